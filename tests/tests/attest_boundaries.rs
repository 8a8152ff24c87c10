//! Boundaries: values at a, b, a − 1, b + 1, zero, the extremes of the 64-bit width, negatives,
//! decimals and dates, through attestations, presentations and verification.

#[path = "support/attest_fixture.rs"]
mod attest_fixture;
use attest_fixture::*;

use causeway::attest::{issue, NoRevocations};
use causeway::error::ProveError;
use causeway::presentation::Presentation;
use causeway::record::{Record, Value};
use causeway::statement::Statement;

/// Proves `stmt` about `value` (field `x`) and verifies it; `Ok(())` if it verified, `Err` with
/// the prover's refusal otherwise. A statement the prover refuses is also checked not to be
/// provable by presenting a true neighbour statement and relabelling it (see attest_binding).
fn check(w: &World, value: Value, stmt: &str) -> Result<(), ProveError> {
    let rec = Record::new("t/v1").unwrap().with("x", value).unwrap();
    let held = issue(&w.issuer, &rec, &w.terms()).unwrap();
    let c = challenge();
    let st = Statement::parse(stmt, 1).unwrap();
    let p = Presentation::create(&w.holder, &[&held], &[], &[st], &c)?;
    let p = Presentation::from_bytes(&p.to_bytes()).unwrap();
    let v = p
        .verify(&[w.issuer.public()], &c, NOW, &NoRevocations)
        .expect("a true statement verifies");
    assert_eq!(
        v.statements()[0].to_string(),
        Statement::parse(stmt, 1).unwrap().to_string()
    );
    assert!(v.disclosed().is_empty());
    Ok(())
}

fn yes(w: &World, value: Value, stmt: &str) {
    check(w, value.clone(), stmt).unwrap_or_else(|e| panic!("{stmt} for {value:?}: {e}"));
}

fn no(w: &World, value: Value, stmt: &str) {
    match check(w, value.clone(), stmt) {
        Err(ProveError::Unsatisfied) => {}
        other => panic!("{stmt} for {value:?}: expected Unsatisfied, got {other:?}"),
    }
}

#[test]
fn integer_range_edges() {
    let w = World::new();
    let (a, b) = (-50i64, 120i64);
    let r = format!("x in [{a}, {b}]");
    for v in [a, b, 0, 1, -1, 7] {
        yes(&w, Value::Int(v), &r);
    }
    for v in [a - 1, b + 1, i64::MIN, i64::MAX] {
        no(&w, Value::Int(v), &r);
    }
    yes(&w, Value::Int(700), "x >= 700");
    no(&w, Value::Int(699), "x >= 700");
    yes(&w, Value::Int(700), "x <= 700");
    no(&w, Value::Int(701), "x <= 700");
    yes(&w, Value::Int(701), "x > 700");
    no(&w, Value::Int(700), "x > 700");
    yes(&w, Value::Int(699), "x < 700");
    no(&w, Value::Int(700), "x < 700");
    yes(&w, Value::Int(0), "x in [0, 0]");
    no(&w, Value::Int(1), "x in [0, 0]");
    yes(&w, Value::Int(0), "x == 0");
    yes(&w, Value::Int(0), "x != 1");
    no(&w, Value::Int(0), "x != 0");
}

#[test]
fn width_extremes() {
    let w = World::new();
    let (min, max) = (i64::MIN, i64::MAX);
    yes(&w, Value::Int(min), &format!("x in [{min}, {max}]"));
    yes(&w, Value::Int(max), &format!("x in [{min}, {max}]"));
    yes(&w, Value::Int(min), &format!("x >= {min}"));
    yes(&w, Value::Int(max), &format!("x <= {max}"));
    yes(&w, Value::Int(max), &format!("x >= {max}"));
    yes(&w, Value::Int(min), &format!("x <= {min}"));
    no(&w, Value::Int(max - 1), &format!("x >= {max}"));
    no(&w, Value::Int(min + 1), &format!("x <= {min}"));
    yes(&w, Value::Int(min), &format!("x == {min}"));
    yes(&w, Value::Int(min), &format!("x != {max}"));
    yes(&w, Value::Int(max), &format!("x != {min}"));
    // strict bounds beyond the width cannot be expressed
    let rec = Record::new("t/v1")
        .unwrap()
        .with("x", Value::Int(0))
        .unwrap();
    let held = issue(&w.issuer, &rec, &w.terms()).unwrap();
    let st = Statement::parse(&format!("x > {max}"), 1).unwrap();
    assert!(matches!(
        Presentation::create(&w.holder, &[&held], &[], &[st], &challenge()),
        Err(ProveError::InvalidStatement(_))
    ));
}

#[test]
fn negative_ranges() {
    let w = World::new();
    yes(&w, Value::Int(-1000), "x in [-1000, -999]");
    yes(&w, Value::Int(-999), "x in [-1000, -999]");
    no(&w, Value::Int(-1001), "x in [-1000, -999]");
    no(&w, Value::Int(-998), "x in [-1000, -999]");
    yes(&w, Value::Int(-5), "x < 0");
    no(&w, Value::Int(0), "x < 0");
}

#[test]
fn decimals_rescale_exactly() {
    let w = World::new();
    let d = |s: &str| Value::decimal(s).unwrap();
    yes(&w, d("50000.00"), "x in [50000, 120000]");
    yes(&w, d("120000.00"), "x in [50000, 120000]");
    no(&w, d("49999.99"), "x in [50000, 120000]");
    no(&w, d("120000.01"), "x in [50000, 120000]");
    yes(&w, d("-0.01"), "x < 0");
    yes(&w, d("1.50"), "x == 1.5");
    yes(&w, d("1.50"), "x >= 1.49");
    // a bound finer than the field's scale is refused, never rounded
    let rec = Record::new("t/v1").unwrap().with("x", d("1.50")).unwrap();
    let held = issue(&w.issuer, &rec, &w.terms()).unwrap();
    for bad in ["x >= 1.495", "x == 2008-11-21"] {
        let st = Statement::parse(bad, 1).unwrap();
        assert!(
            matches!(
                Presentation::create(&w.holder, &[&held], &[], &[st], &challenge()),
                Err(ProveError::InvalidStatement(_))
            ),
            "{bad}"
        );
    }
    // an int field refuses a fractional bound
    let rec = Record::new("t/v1")
        .unwrap()
        .with("x", Value::Int(3))
        .unwrap();
    let held = issue(&w.issuer, &rec, &w.terms()).unwrap();
    let st = Statement::parse("x >= 2.5", 1).unwrap();
    assert!(matches!(
        Presentation::create(&w.holder, &[&held], &[], &[st], &challenge()),
        Err(ProveError::InvalidStatement(_))
    ));
    // ... but accepts an exact one
    yes(&w, Value::Int(3), "x >= 2.0");
}

#[test]
fn dates() {
    let w = World::new();
    let d = |s: &str| Value::date(s).unwrap();
    // "born before 2008-11-21"
    yes(&w, d("2008-11-20"), "x < 2008-11-21");
    no(&w, d("2008-11-21"), "x < 2008-11-21");
    no(&w, d("2010-01-01"), "x < 2008-11-21");
    yes(&w, d("1969-12-31"), "x < 1970-01-01");
    yes(&w, d("0001-01-01"), "x in [0001-01-01, 9999-12-31]");
    yes(&w, d("9999-12-31"), "x in [0001-01-01, 9999-12-31]");
    yes(&w, d("2000-02-29"), "x == 2000-02-29");
    // a numeric bound on a date field is refused
    let rec = Record::new("t/v1")
        .unwrap()
        .with("x", d("2000-01-01"))
        .unwrap();
    let held = issue(&w.issuer, &rec, &w.terms()).unwrap();
    let st = Statement::parse("x >= 5", 1).unwrap();
    assert!(matches!(
        Presentation::create(&w.holder, &[&held], &[], &[st], &challenge()),
        Err(ProveError::InvalidStatement(_))
    ));
}

#[test]
fn sums_over_attestations() {
    let w = World::new();
    let invoice = |amt: &str| {
        let r = Record::new("invoice/v1")
            .unwrap()
            .with("amount", Value::decimal(amt).unwrap())
            .unwrap();
        w.held_with(&r)
    };
    let inv: Vec<_> = [
        "200000.00",
        "150000.50",
        "300000.00",
        "250000.00",
        "99999.50",
    ]
    .iter()
    .map(|a| invoice(a))
    .collect();
    let refs: Vec<_> = inv.iter().collect();
    // total = 1,000,000.00 exactly
    let c = challenge();
    let p = w.present(&refs, &[], &["sum(amount) >= 1000000"], &c);
    let v = p
        .verify(&[w.issuer.public()], &c, NOW, &NoRevocations)
        .unwrap();
    assert_eq!(v.attestations().len(), 5);
    let st = Statement::parse("sum(amount) >= 1000000.01", 5).unwrap();
    assert_eq!(
        Presentation::create(&w.holder, &refs, &[], &[st], &c).unwrap_err(),
        ProveError::Unsatisfied
    );
    // a subset
    let p = w.present(&refs, &[], &["sum(amount@0,2) == 500000"], &c);
    p.verify(&[w.issuer.public()], &c, NOW, &NoRevocations)
        .unwrap();
    // overflow of the 64-bit width is refused
    let big = |v: i64| {
        let r = Record::new("t/v1")
            .unwrap()
            .with("n", Value::Int(v))
            .unwrap();
        w.held_with(&r)
    };
    let (a, b) = (big(i64::MAX), big(1));
    let st = Statement::parse("sum(n) >= 0", 2).unwrap();
    assert_eq!(
        Presentation::create(&w.holder, &[&a, &b], &[], &[st], &c).unwrap_err(),
        ProveError::OutOfWidth
    );
}
