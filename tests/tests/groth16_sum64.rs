//! The largest sum threshold end to end: `sum(amount) >= t` over k = 64 attested records,
//! proven with Groth16 inside a presentation and verified; a higher claim cannot be proven and
//! the genuine proof re-signed for a higher threshold is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "support/issuer_company.rs"]
mod issuer_company;
use causeway::attest::{issue, NoRevocations};
use causeway::error::ProveError;
use causeway::presentation::{hazmat, Challenge, Presentation};
use causeway::record::{Decimal, Record, Value};
use causeway::snark::{Circuit, KeyRing};
use causeway::statement::{Backend, Statement};

#[test]
fn sum_threshold_over_64_attested_records() {
    const K: usize = 64;
    let (issuer, company, terms) = issuer_company::parties();
    // amounts 1.01, 2.02, ..., 64.64 (units at scale 2: 101 * i); total 101 * 2080 = 210080
    let held: Vec<_> = (1..=K as i64)
        .map(|i| {
            let r = Record::new("trade/order/v1")
                .unwrap()
                .with("amount", Value::Decimal(Decimal::new(101 * i, 2).unwrap()))
                .unwrap();
            issue(&issuer, &r, &terms).unwrap()
        })
        .collect();
    let refs: Vec<_> = held.iter().collect();
    let mut keys = KeyRing::new();
    keys.insert(
        Circuit::Sum(K as u8),
        Circuit::Sum(K as u8).setup().unwrap(),
    );
    let challenge = Challenge::random().unwrap();
    let claim = |s: &str| Statement::parse(s, K as u16).unwrap();
    let p = Presentation::create_with(
        &company,
        &refs,
        &[],
        &[claim("sum(amount) >= 2100.80")],
        &challenge,
        Backend::Groth16,
        &keys,
    )
    .unwrap();
    let p = Presentation::from_bytes(&p.to_bytes()).unwrap();
    let trusted = [issuer.public()];
    let v = p
        .verify_with_keys(&trusted, &challenge, 1, &NoRevocations, &keys)
        .unwrap();
    assert_eq!(v.attestations().len(), K);
    assert_eq!(v.backend(), Backend::Groth16);
    // one cent above the true total: no proof
    assert_eq!(
        Presentation::create_with(
            &company,
            &refs,
            &[],
            &[claim("sum(amount) >= 2100.81")],
            &challenge,
            Backend::Groth16,
            &keys,
        )
        .unwrap_err(),
        ProveError::Unsatisfied
    );
    // the genuine proof for a threshold one cent higher: refused
    let mut parts = hazmat::parts(&p);
    parts.statements = vec![claim("sum(amount) >= 2100.81")];
    let edited = hazmat::sign(parts, &company, &challenge).unwrap();
    assert!(edited
        .verify_with_keys(&trusted, &challenge, 1, &NoRevocations, &keys)
        .is_err());
}
