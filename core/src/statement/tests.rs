use super::bulletproofs::target;
use super::*;
use crate::attest::{issue_with_rng, Terms};
use crate::party::SecretKeys;
use crate::record::{Record, Value};
use crate::test_util::TestRng;

fn held(values: &[(&str, Value)], seed: u64) -> AttestedRecord {
    let mut rng = TestRng::new(seed);
    let issuer = SecretKeys::generate_with_rng(&mut rng);
    let mut rec = Record::new("t/v1").unwrap();
    for (n, v) in values {
        rec.insert(n, v.clone()).unwrap();
    }
    let terms = Terms {
        subject: issuer.public().key_id(),
        not_before: 0,
        not_after: u64::MAX,
    };
    issue_with_rng(&issuer, &rec, &terms, &mut rng).unwrap()
}

fn run(h: &[&AttestedRecord], sts: &[Statement]) -> Result<(), String> {
    let mut rng = TestRng::new(99);
    let mut t = Transcript::new(b"test");
    let p = prove_statements(&mut t, h, sts, &mut rng).map_err(|e| format!("prove: {e}"))?;
    let mut buf = Vec::new();
    p.encode(&mut buf);
    let p2 = StatementProofs::decode(&mut Reader::new(&buf), 16).unwrap();
    let atts: Vec<&Attestation> = h.iter().map(|h| h.attestation()).collect();
    let mut t = Transcript::new(b"test");
    verify_statements(&mut t, &atts, sts, &p2).map_err(|e| format!("verify: {e}"))
}

fn n(s: &str) -> Bound {
    s.parse().unwrap()
}

#[test]
fn equality_and_inequality() {
    let h = held(
        &[
            ("x", Value::Int(-5)),
            ("d", Value::decimal("1.50").unwrap()),
        ],
        1,
    );
    run(&[&h], &[Statement::equals("x", n("-5"))]).unwrap();
    run(
        &[&h],
        &[
            Statement::not_equals("x", n("-4")),
            Statement::not_equals("x", n("0")),
        ],
    )
    .unwrap();
    run(
        &[&h],
        &[
            Statement::equals("d", n("1.5")),
            Statement::not_equals("d", n("1.49")),
        ],
    )
    .unwrap();
    assert!(run(&[&h], &[Statement::equals("x", n("-4"))])
        .unwrap_err()
        .starts_with("prove"));
    assert!(run(&[&h], &[Statement::not_equals("x", n("-5"))])
        .unwrap_err()
        .starts_with("prove"));
    assert!(run(&[&h], &[Statement::equals("d", n("1.505"))])
        .unwrap_err()
        .contains("invalid statement"));
}

#[test]
fn sigma_proofs_bind_the_bound() {
    let h = held(&[("x", Value::Int(10))], 2);
    let mut rng = TestRng::new(3);
    let atts = [h.attestation()];
    for (good, bad) in [
        (
            Statement::equals("x", n("10")),
            Statement::equals("x", n("11")),
        ),
        (
            Statement::not_equals("x", n("3")),
            Statement::not_equals("x", n("10")),
        ),
        (
            Statement::not_equals("x", n("3")),
            Statement::not_equals("x", n("4")),
        ),
    ] {
        let mut t = Transcript::new(b"t");
        let p = prove_statements(&mut t, &[&h], std::slice::from_ref(&good), &mut rng).unwrap();
        let mut t = Transcript::new(b"t");
        assert!(verify_statements(&mut t, &atts, std::slice::from_ref(&good), &p).is_ok());
        let mut t = Transcript::new(b"t");
        assert_eq!(
            verify_statements(&mut t, &atts, &[bad], &p),
            Err(VerifyError::Proof)
        );
        let mut t = Transcript::new(b"other");
        assert_eq!(
            verify_statements(&mut t, &atts, &[good], &p),
            Err(VerifyError::Proof)
        );
    }
}

#[test]
fn ranges_and_sums() {
    let a = held(
        &[
            ("amt", Value::decimal("400000.00").unwrap()),
            ("dob", Value::date("2000-01-01").unwrap()),
        ],
        4,
    );
    let b = held(&[("amt", Value::decimal("600000.50").unwrap())], 5);
    run(&[&a], &[Statement::parse("amt in [0, 400000]", 1).unwrap()]).unwrap();
    run(&[&a], &[Statement::parse("dob < 2008-11-21", 1).unwrap()]).unwrap();
    assert!(run(&[&a], &[Statement::parse("dob > 2008-11-21", 1).unwrap()]).is_err());
    run(
        &[&a, &b],
        &[Statement::parse("sum(amt) >= 1000000.5", 2).unwrap()],
    )
    .unwrap();
    assert!(run(
        &[&a, &b],
        &[Statement::parse("sum(amt) >= 1000000.51", 2).unwrap()]
    )
    .is_err());
    run(
        &[&a, &b],
        &[Statement::parse("sum(amt) == 1000000.5", 2).unwrap()],
    )
    .unwrap();
    assert!(run(
        &[&a, &b],
        &[Statement::parse("sum(dob@0,0) >= 1", 2).unwrap()]
    )
    .is_err());
}

/// Issue 11 item 1: one attestation at several indices is one record, refused in a sum by
/// the prover and by the verifier (before today's fix it summed its commitment k times).
#[test]
fn a_repeated_attestation_is_not_summed() {
    let inv = held(&[("amount", Value::decimal("1000000.00").unwrap())], 6);
    let other = held(&[("amount", Value::decimal("3000000.00").unwrap())], 7);
    let st = Statement::parse("sum(amount) >= 4000000", 4).unwrap();
    let mut rng = TestRng::new(8);
    let mut t = Transcript::new(b"test");
    assert_eq!(
        prove_statements(
            &mut t,
            &[&inv, &inv, &inv, &inv],
            std::slice::from_ref(&st),
            &mut rng
        )
        .unwrap_err(),
        ProveError::CountedTwice("attestation")
    );
    // a genuine proof over two distinct records, shown with one of them twice
    let st2 = Statement::parse("sum(amount) >= 4000000", 2).unwrap();
    let mut t = Transcript::new(b"test");
    let p = prove_statements(
        &mut t,
        &[&inv, &other],
        std::slice::from_ref(&st2),
        &mut rng,
    )
    .unwrap();
    let mut t = Transcript::new(b"test");
    let a = inv.attestation();
    assert_eq!(
        verify_statements(&mut t, &[a, a], std::slice::from_ref(&st2), &p),
        Err(VerifyError::CountedTwice("attestation"))
    );
    let mut t = Transcript::new(b"test");
    assert_eq!(
        verify_statements(
            &mut t,
            &[a, other.attestation()],
            &[Statement::sum(
                "amount",
                &[0, 0],
                Predicate::AtLeast(n("1"))
            )],
            &p
        ),
        Err(VerifyError::CountedTwice("attestation index"))
    );
    // the same commitment or root under another signature is the same record too
    let mut parts = crate::attest::hazmat::parts(a);
    parts.not_after -= 1;
    let issuer = SecretKeys::generate_with_rng(&mut TestRng::new(6));
    let resigned = crate::attest::hazmat::sign(parts, &issuer);
    assert_ne!(resigned.id(), a.id());
    let mut t = Transcript::new(b"test");
    assert_eq!(
        verify_statements(&mut t, &[a, &resigned], std::slice::from_ref(&st2), &p),
        Err(VerifyError::CountedTwice("record root"))
    );
}

/// Issue 11 item 1: one Pedersen commitment of the summed field under two roots (an issuer
/// signing one commitment into two records, with different record ids) is one amount counted
/// twice, refused by the verifier and the prover as `commitment`. The audit of issue 11
/// (docs/security/review-a06bf6e.md, G6) found no test of this branch of `check_terms`.
#[test]
fn one_commitment_under_two_roots_is_not_summed() {
    use crate::attest::{hazmat, RecordId};
    let inv = held(&[("amount", Value::decimal("1000000.00").unwrap())], 6);
    let other = held(&[("amount", Value::decimal("3000000.00").unwrap())], 7);
    let st = Statement::parse("sum(amount) >= 4000000", 2).unwrap();
    let mut rng = TestRng::new(12);
    let mut t = Transcript::new(b"test");
    let p = prove_statements(&mut t, &[&inv, &other], std::slice::from_ref(&st), &mut rng).unwrap();
    // `inv`'s commitment, signed under `other`'s root with a record id of its own
    let a = inv.attestation();
    let mut parts = hazmat::parts(a);
    parts.root = other.attestation().root();
    parts.record_id = Some(RecordId::random_with_rng(&mut rng));
    let issuer = SecretKeys::generate_with_rng(&mut TestRng::new(6));
    let copy = hazmat::sign(parts, &issuer);
    assert_ne!(copy.id(), a.id());
    assert_ne!(copy.root(), a.root());
    assert_ne!(copy.record_id(), a.record_id());
    assert_eq!(
        copy.numeric_field("amount").map(|n| n.commitment),
        a.numeric_field("amount").map(|n| n.commitment)
    );
    let mut t = Transcript::new(b"test");
    assert_eq!(
        verify_statements(&mut t, &[a, &copy], std::slice::from_ref(&st), &p),
        Err(VerifyError::CountedTwice("commitment"))
    );
    let copy_held = hazmat::replace_attestation(&inv, copy);
    let mut t = Transcript::new(b"test");
    assert_eq!(
        prove_statements(
            &mut t,
            &[&inv, &copy_held],
            std::slice::from_ref(&st),
            &mut rng
        )
        .unwrap_err(),
        ProveError::CountedTwice("commitment")
    );
}

/// Issue 11 item 8: two attestations of one record (a renewal, a second issuer) carry the
/// same signed record id and are not summed; version-1 attestations (no record id) are not
/// summed with others at all, but still prove single-field statements.
#[test]
fn a_record_attested_twice_is_not_summed() {
    use crate::attest::{hazmat, issue_with_record_id_rng, RecordId};
    let mut rng = TestRng::new(11);
    let bank = SecretKeys::generate_with_rng(&mut rng);
    let auditor = SecretKeys::generate_with_rng(&mut rng);
    let holder = SecretKeys::generate_with_rng(&mut rng);
    let rec = Record::new("invoice/v1")
        .unwrap()
        .with("amount", Value::decimal("1000000.00").unwrap())
        .unwrap();
    let terms = Terms {
        subject: holder.public().key_id(),
        not_before: 0,
        not_after: 100,
    };
    let renewed = Terms {
        not_after: 200,
        ..terms
    };
    let first = issue_with_rng(&bank, &rec, &terms, &mut rng).unwrap();
    let renewal = issue_with_rng(&bank, &rec, &renewed, &mut rng).unwrap();
    assert_ne!(first.attestation().root(), renewal.attestation().root());
    assert_eq!(
        first.attestation().record_id(),
        renewal.attestation().record_id()
    );
    let st = Statement::parse("sum(amount) >= 2000000", 2).unwrap();
    assert_eq!(
        run(&[&first, &renewal], std::slice::from_ref(&st)).unwrap_err(),
        "prove: a statement counts one record twice (repeated record id)"
    );
    // two issuers naming the invoice alike
    let name = RecordId::named("seller 1234 invoice 2026-0042").unwrap();
    let a = issue_with_record_id_rng(&bank, &rec, &terms, &name, &mut rng).unwrap();
    let b = issue_with_record_id_rng(&auditor, &rec, &terms, &name, &mut rng).unwrap();
    assert_eq!(
        run(&[&a, &b], std::slice::from_ref(&st)).unwrap_err(),
        "prove: a statement counts one record twice (repeated record id)"
    );
    // the verifier refuses it too, with a genuine proof over two distinct records
    let other = issue_with_record_id_rng(
        &auditor,
        &rec,
        &terms,
        &RecordId::named("seller 1234 invoice 2026-0043").unwrap(),
        &mut rng,
    )
    .unwrap();
    run(&[&a, &other], std::slice::from_ref(&st)).unwrap();
    let mut t = Transcript::new(b"test");
    let p = prove_statements(&mut t, &[&a, &other], std::slice::from_ref(&st), &mut rng).unwrap();
    let mut t = Transcript::new(b"test");
    assert_eq!(
        verify_statements(
            &mut t,
            &[a.attestation(), b.attestation()],
            std::slice::from_ref(&st),
            &p
        ),
        Err(VerifyError::CountedTwice("record id"))
    );
    // version 1: decodes and verifies, proves about one field, is not summed with others
    let v1 = |h: &AttestedRecord, k: &SecretKeys| {
        let mut parts = hazmat::parts(h.attestation());
        parts.record_id = None;
        let att = hazmat::sign(parts, k);
        assert_eq!(att.version(), 1);
        let att = Attestation::from_bytes(&att.to_bytes()).unwrap();
        hazmat::replace_attestation(h, att)
    };
    let (a1, o1) = (v1(&a, &bank), v1(&other, &auditor));
    run(&[&a1], &[Statement::parse("amount >= 1000000", 1).unwrap()]).unwrap();
    assert!(run(&[&a1, &o1], std::slice::from_ref(&st))
        .unwrap_err()
        .contains("without a record id"));
    assert!(run(&[&a1, &other], std::slice::from_ref(&st))
        .unwrap_err()
        .contains("without a record id"));
}

#[test]
fn parse_and_display() {
    for s in [
        "score >= 700",
        "income in [50000, 120000]",
        "dob < 2008-11-21",
        "x@1 != -3.25",
        "sum(amount@0,1,2) >= 1000000",
        "x == 5",
        "x <= 5",
        "x > 5",
    ] {
        let st = Statement::parse(s, 3).unwrap();
        assert_eq!(st.to_string(), s);
        let mut b = Vec::new();
        st.encode(&mut b);
        let mut r = Reader::new(&b);
        assert_eq!(Statement::decode(&mut r).unwrap(), st);
        r.finish().unwrap();
    }
    assert_eq!(
        Statement::parse("sum(a) >= 1", 2).unwrap().to_string(),
        "sum(a@0,1) >= 1"
    );
    for bad in ["score", "score >= ", "x in 1,2", "x >= 1e5", "x@z >= 1"] {
        assert!(Statement::parse(bad, 1).is_err(), "{bad}");
    }
}

/// Decision 0056: the one resolve step both back-ends run. It finds each term's attestation
/// and commitment in statement order, and refuses what `target` (Bulletproofs) refused, with
/// the same error: an index out of range, a missing or non-numeric field, mixed kinds, one
/// attestation counted twice.
#[test]
fn one_resolve_step() {
    let a = held(
        &[("x", Value::Int(5)), ("s", Value::String("t".into()))],
        31,
    );
    let b = held(&[("x", Value::Int(7))], 32);
    let c = held(&[("x", Value::decimal("1.5").unwrap())], 33);
    let atts = [a.attestation(), b.attestation(), c.attestation()];
    let st = Statement::sum("x", &[1, 0], Predicate::AtLeast(n("10")));
    let t = resolve_terms(&st, &atts).map_err(ProveError::from).unwrap();
    assert_eq!(t.kind, NumericKind::Int);
    assert_eq!(t.indices, vec![1, 0]);
    let want: Vec<RangeCommitment> = [1usize, 0]
        .iter()
        .map(|i| atts[*i].numeric_field("x").unwrap().commitment)
        .collect();
    assert_eq!(t.components, want);
    let tg = target(&st, &atts).map_err(ProveError::from).unwrap();
    assert_eq!(tg.components, want);
    for bad in [
        Statement::at_least("x", n("1")).on(3),
        Statement::at_least("s", n("1")),
        Statement::at_least("nope", n("1")),
        Statement::sum("x", &[0, 2], Predicate::AtLeast(n("1"))),
        Statement::sum("x", &[0, 0], Predicate::AtLeast(n("1"))),
    ] {
        let r = resolve_terms(&bad, &atts)
            .map(|_| ())
            .map_err(ProveError::from);
        let b = target(&bad, &atts).map(|_| ()).map_err(ProveError::from);
        assert!(r.is_err(), "{bad}");
        assert_eq!(r, b, "{bad}");
    }
}

/// Decision 0064: the statement language fails with a typed `StatementError` (a code and a
/// kind), and proving and verifying keep their errors and messages.
#[test]
fn statement_errors_are_typed() {
    use crate::error::{ErrorKind, StatementError as E};
    use crate::snark::statements::statement_circuit;
    use crate::snark::Circuit;
    let cases = [
        (n("1.5").to_units(NumericKind::Int), E::NotAnInteger),
        (
            n("1.555").to_units(NumericKind::Decimal(2)),
            E::InexactBound,
        ),
        (n("2024-01-01").to_units(NumericKind::Int), E::DateForNumber),
        (n("5").to_units(NumericKind::Date), E::NumberForDate),
    ];
    for (got, want) in cases {
        assert_eq!(got, Err(want));
    }
    assert_eq!(n("1.50").to_units(NumericKind::Decimal(2)), Ok(150));
    assert_eq!(
        Predicate::Between(n("5"), n("1")).resolve(NumericKind::Int),
        Err(E::EmptyRange)
    );
    assert_eq!(
        Predicate::Above(Bound::Number(Decimal::new(i64::MAX, 0).unwrap()))
            .resolve(NumericKind::Int),
        Err(E::OutOfWidth)
    );
    assert_eq!(
        Predicate::Below(Bound::Number(Decimal::new(i64::MIN, 0).unwrap()))
            .resolve(NumericKind::Int),
        Err(E::OutOfWidth)
    );
    assert_eq!(
        Predicate::Above(n("7")).resolve(NumericKind::Int),
        Ok(Resolved::Range(Some(8), None))
    );
    let sum_le = Statement::parse("sum(a@0,1) <= 5", 2).unwrap();
    assert_eq!(statement_circuit(&sum_le), Err(E::UnsupportedSum));
    let sum_ge = Statement::parse("sum(a@0,1) >= 5", 2).unwrap();
    assert_eq!(statement_circuit(&sum_ge), Ok(Circuit::Sum(2)));
    for (e, code, kind) in [
        (
            E::NotAnInteger,
            "statement.not_an_integer",
            ErrorKind::Malformed,
        ),
        (
            E::DateForNumber,
            "statement.bound_type",
            ErrorKind::Malformed,
        ),
        (
            E::UnsupportedSum,
            "statement.unsupported",
            ErrorKind::Unsupported,
        ),
    ] {
        let err = crate::Error::from(e);
        assert_eq!((err.code(), err.kind()), (code, kind));
        assert_eq!(e.to_string(), e.what());
    }
    // the prover reports an inexact bound as before: an invalid statement, same message
    let h = held(&[("x", Value::Int(5))], 41);
    let st = Statement::parse("x >= 1.5", 1).unwrap();
    let err = run(&[&h], &[st]).unwrap_err();
    assert!(err.contains(E::NotAnInteger.what()), "{err}");
}
