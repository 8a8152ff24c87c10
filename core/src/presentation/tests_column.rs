//! Column statements (`all(field) in [a, b]`) and sums over more than 64 rows, with their
//! attacks; requirements that name attestation indices (decision 0096, 0097).

use super::*;
use crate::attest::{issue_rows_with_rng, issue_with_rng, NoRevocations, Terms};
use crate::error::AttestError;
use crate::record::Record;
use crate::test_util::TestRng;

struct Table {
    bank: SecretKeys,
    shop: SecretKeys,
    rows: Vec<AttestedRecord>,
    rng: TestRng,
}

fn terms(subject: &SecretKeys) -> Terms {
    Terms {
        subject: subject.public().key_id(),
        not_before: 0,
        not_after: u64::MAX,
    }
}

fn invoice(amount: i64) -> Record {
    Record::new("invoice/v1")
        .unwrap()
        .with("amount", Value::Int(amount))
        .unwrap()
        .with("customer", Value::String("ACME".into()))
        .unwrap()
}

fn table(amounts: &[i64]) -> Table {
    let mut rng = TestRng::new(96);
    let bank = SecretKeys::generate_with_rng(&mut rng);
    let shop = SecretKeys::generate_with_rng(&mut rng);
    let records: Vec<Record> = amounts.iter().map(|a| invoice(*a)).collect();
    let rows = issue_rows_with_rng(&bank, &records, &terms(&shop), &mut rng).unwrap();
    Table {
        bank,
        shop,
        rows,
        rng,
    }
}

fn amounts(n: i64) -> Vec<i64> {
    // equal amounts repeat on purpose: equal rows are distinct records
    (0..n).map(|i| (i * 37) % 500).collect()
}

impl Table {
    fn prove(&mut self, statement: &str) -> Result<Presentation, ProveError> {
        let held: Vec<&AttestedRecord> = self.rows.iter().collect();
        let st = Statement::parse(statement, held.len() as u16)
            .map_err(|_| ProveError::InvalidStatement("test statement does not parse"))?;
        let c = Challenge::from_bytes(&[7; 32]).unwrap();
        Presentation::create_with_rng(&self.shop, &held, &[], &[st], &c, &mut self.rng)
    }

    fn verify(&self, p: &Presentation) -> Result<Verified, VerifyError> {
        let c = Challenge::from_bytes(&[7; 32]).unwrap();
        p.verify(&[self.bank.public()], &c, 1, &NoRevocations)
    }
}

#[test]
fn column_range_over_more_than_64_rows_verifies_and_travels() {
    let mut t = table(&amounts(100));
    let p = t.prove("all(amount) in [0, 10000]").unwrap();
    let v = t.verify(&p).unwrap();
    assert_eq!(v.statements().len(), 1);
    assert!(v.statements()[0].is_all());
    assert_eq!(v.statements()[0].attestations().len(), 100);
    assert_eq!(
        v.statements()[0].to_string(),
        "all(amount@0-99) in [0, 10000]"
    );
    let bytes = p.to_bytes();
    let q = Presentation::from_bytes(&bytes).unwrap();
    assert_eq!(q.to_bytes(), bytes);
    t.verify(&q).unwrap();
    // what the verifier asked for: every row presented
    let req = Policy::new().require(Requirement::parse("all(amount) in [0, 10000]").unwrap());
    assert_eq!(req.check(&v), Ok(()));
    let other = Policy::new().require(Requirement::parse("all(amount) in [0, 9999]").unwrap());
    assert!(matches!(other.check(&v), Err(VerifyError::Unmet(_))));
    let sum = Policy::new().require(Requirement::parse("sum(amount) in [0, 10000]").unwrap());
    assert!(sum.check(&v).is_err());
}

#[test]
fn column_statement_on_a_subset_does_not_meet_an_every_row_requirement() {
    let mut t = table(&amounts(70));
    let p = t.prove("all(amount@0-68) in [0, 10000]").unwrap();
    let v = t.verify(&p).unwrap();
    let req = Policy::new().require(Requirement::parse("all(amount) in [0, 10000]").unwrap());
    assert!(matches!(req.check(&v), Err(VerifyError::Unmet(_))));
    // pinned to exactly those rows, it is met
    let st = Statement::parse("all(amount@0-68) in [0, 10000]", 0).unwrap();
    assert_eq!(
        Policy::new().require(Requirement::new(st)).check(&v),
        Ok(())
    );
}

#[test]
fn a_row_outside_the_range_cannot_be_proven() {
    let mut a = amounts(80);
    a[41] = 10_001;
    let mut t = table(&a);
    assert_eq!(
        t.prove("all(amount) in [0, 10000]").unwrap_err(),
        ProveError::Unsatisfied
    );
    a[41] = -1;
    let mut t = table(&a);
    assert_eq!(
        t.prove("all(amount) >= 0").unwrap_err(),
        ProveError::Unsatisfied
    );
}

#[test]
fn rows_of_another_subject_issuer_or_schema_are_refused() {
    let mut t = table(&amounts(3));
    // another subject: the holder is not its subject
    let eve = SecretKeys::generate_with_rng(&mut t.rng);
    let theirs = issue_with_rng(&t.bank, &invoice(5), &terms(&eve), &mut t.rng).unwrap();
    t.rows.push(theirs);
    assert_eq!(
        t.prove("all(amount) in [0, 10000]").unwrap_err(),
        ProveError::NotSubject
    );
    t.rows.pop();
    // another issuer (the verifier may trust both, the column has one issuer)
    let other_bank = SecretKeys::generate_with_rng(&mut t.rng);
    let shop_terms = terms(&t.shop);
    let foreign = issue_with_rng(&other_bank, &invoice(5), &shop_terms, &mut t.rng).unwrap();
    t.rows.push(foreign);
    assert!(matches!(
        t.prove("all(amount) in [0, 10000]").unwrap_err(),
        ProveError::InvalidStatement(w) if w.contains("one issuer")
    ));
    t.rows.pop();
    // another schema
    let rec = Record::new("refund/v1")
        .unwrap()
        .with("amount", Value::Int(5))
        .unwrap();
    let refund = issue_with_rng(&t.bank, &rec, &shop_terms, &mut t.rng).unwrap();
    t.rows.push(refund);
    assert!(matches!(
        t.prove("all(amount) in [0, 10000]").unwrap_err(),
        ProveError::InvalidStatement(w) if w.contains("one schema")
    ));
}

#[test]
fn a_repeated_row_counts_once_or_is_refused() {
    let mut t = table(&amounts(66));
    let dup = t.rows[3].clone();
    t.rows.push(dup);
    for st in ["sum(amount) >= 1", "all(amount) in [0, 10000]"] {
        assert!(
            matches!(t.prove(st).unwrap_err(), ProveError::CountedTwice(_)),
            "{st}"
        );
    }
    // a holder-built presentation naming row 3 twice (forged statement) fails at the verifier
    t.rows.pop();
    let p = t.prove("sum(amount) >= 1").unwrap();
    let mut parts = hazmat::parts(&p);
    let mut idx: Vec<u16> = (0..66).collect();
    idx[65] = 3;
    parts.statements = vec![Statement::sum(
        "amount",
        &idx,
        Predicate::AtLeast(Bound::Number(crate::record::Decimal::new(1, 0).unwrap())),
    )];
    let c = Challenge::from_bytes(&[7; 32]).unwrap();
    let forged = hazmat::sign(parts, &t.shop, &c).unwrap();
    assert!(matches!(
        t.verify(&forged).unwrap_err(),
        VerifyError::CountedTwice(_)
    ));
}

#[test]
fn sum_over_more_than_64_rows_with_bulletproofs_not_groth16() {
    let a = amounts(100);
    let total: i64 = a.iter().sum();
    let mut t = table(&a);
    let p = t.prove(&format!("sum(amount) >= {total}")).unwrap();
    let v = t.verify(&p).unwrap();
    assert_eq!(v.statements()[0].attestations().len(), 100);
    let req = Requirement::parse(&format!("sum(amount) >= {total}")).unwrap();
    assert_eq!(Policy::new().require(req).check(&v), Ok(()));
    assert_eq!(
        t.prove(&format!("sum(amount) >= {}", total + 1))
            .unwrap_err(),
        ProveError::Unsatisfied
    );
    // Groth16: sums up to 64 rows (sum:K); a column statement never
    let held: Vec<&AttestedRecord> = t.rows.iter().collect();
    let c = Challenge::from_bytes(&[7; 32]).unwrap();
    for st in ["sum(amount) >= 1", "all(amount) in [0, 10000]"] {
        let st = Statement::parse(st, 100).unwrap();
        let e = Presentation::create_with(
            &t.shop,
            &held,
            &[],
            &[st],
            &c,
            Backend::Groth16,
            &KeyRing::new(),
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                ProveError::Unsupported { .. } | ProveError::InvalidStatement(_)
            ),
            "{e:?}"
        );
    }
}

#[test]
fn tampering_and_replay_fail() {
    let mut t = table(&amounts(65));
    let p = t.prove("all(amount) in [0, 10000]").unwrap();
    let bytes = p.to_bytes();
    // another challenge
    let other = Challenge::from_bytes(&[8; 32]).unwrap();
    assert!(p
        .verify(&[t.bank.public()], &other, 1, &NoRevocations)
        .is_err());
    // a changed byte anywhere in the proofs' tail and the statement: never verifies
    let n = bytes.len();
    for i in [n - 70, n - 200, n - 700, n - 1300] {
        let mut b = bytes.clone();
        b[i] ^= 0x10;
        if let Ok(q) = Presentation::from_bytes(&b) {
            assert!(t.verify(&q).is_err(), "byte {i}");
        }
    }
    // the holder re-signs a presentation whose statement claims a narrower range, or drops a
    // row from the statement: the proof does not verify
    for forged_st in [
        "all(amount@0-64) in [0, 499]",
        "all(amount@0-63) in [0, 10000]",
    ] {
        let mut parts = hazmat::parts(&p);
        parts.statements = vec![Statement::parse(forged_st, 0).unwrap()];
        let c = Challenge::from_bytes(&[7; 32]).unwrap();
        if let Ok(forged) = hazmat::sign(parts, &t.shop, &c) {
            assert_eq!(
                t.verify(&forged).unwrap_err(),
                VerifyError::Proof,
                "{forged_st}"
            );
        }
    }
    // a column proof cut off: decoding fails cleanly
    assert!(Presentation::from_bytes(&bytes[..n - 100]).is_err());
}

#[test]
fn statement_text_and_bytes() {
    let s = Statement::parse("all(amount) in [0, 10000]", 4).unwrap();
    assert!(s.is_all() && !s.is_sum());
    assert_eq!(s.attestations(), &[0, 1, 2, 3]);
    assert_eq!(s.to_string(), "all(amount@0-3) in [0, 10000]");
    let again = Statement::parse(&s.to_string(), 0).unwrap();
    assert_eq!(again, s);
    let mut b = Vec::new();
    s.encode(&mut b);
    assert_eq!(b[1], 2);
    let d = Statement::decode(&mut crate::encoding::Reader::new(&b)).unwrap();
    assert_eq!(d, s);
    assert_eq!(
        Statement::parse("all(amount@0,1,5-7,9) >= 0", 0)
            .unwrap()
            .attestations(),
        &[0, 1, 5, 6, 7, 9]
    );
    assert!(Statement::parse("all(amount@0-4096) >= 0", 0).is_err());
    assert!(Statement::parse("all(amount@5-3) >= 0", 0).is_err());
    // equality over a column is refused (shape)
    let eq = Statement::parse("all(amount) == 3", 2).unwrap();
    assert!(eq.check_shape(2).is_err());
    // a sum keeps its old text up to 64 rows
    assert_eq!(
        Statement::parse("sum(amount) >= 1", 3).unwrap().to_string(),
        "sum(amount@0,1,2) >= 1"
    );
    // decode refuses more than MAX_TERMS indices before allocating
    let mut big = vec![1u8, 2, 0, 1, b'a'];
    big.extend_from_slice(&4097u16.to_be_bytes());
    assert!(Statement::decode(&mut crate::encoding::Reader::new(&big)).is_err());
}

#[test]
fn issue_rows_limits() {
    let mut rng = TestRng::new(1);
    let bank = SecretKeys::generate_with_rng(&mut rng);
    let t = terms(&bank);
    assert!(matches!(
        issue_rows_with_rng(&bank, &[], &t, &mut rng),
        Err(AttestError::Rows(_))
    ));
    let mixed = [
        invoice(1),
        Record::new("other/v1")
            .unwrap()
            .with("amount", Value::Int(1))
            .unwrap(),
    ];
    assert!(matches!(
        issue_rows_with_rng(&bank, &mixed, &t, &mut rng),
        Err(AttestError::Rows(_))
    ));
    let many = vec![invoice(1); crate::attest::MAX_ROWS + 1];
    assert!(matches!(
        issue_rows_with_rng(&bank, &many, &t, &mut rng),
        Err(AttestError::Rows(_))
    ));
    let two = issue_rows_with_rng(&bank, &[invoice(1), invoice(1)], &t, &mut rng).unwrap();
    assert_ne!(
        two[0].attestation().record_id(),
        two[1].attestation().record_id()
    );
    assert_eq!(
        crate::Error::from(AttestError::Rows("x")).code(),
        "attest.rows"
    );
}

/// A table attested twice (a renewal, a retry) names each row by the same record id, so a sum
/// over rows of both issuances is refused (counted twice) instead of counting every row twice;
/// equal rows of one table stay distinct records.
#[test]
fn a_table_attested_twice_does_not_count_its_rows_twice() {
    let mut t = table(&[4_000, 4_000, 2_000]);
    let records = [invoice(4_000), invoice(4_000), invoice(2_000)];
    let mut later = terms(&t.shop);
    later.not_before = 1;
    let again = issue_rows_with_rng(&t.bank, &records, &later, &mut t.rng).unwrap();
    for (a, b) in t.rows.iter().zip(&again) {
        assert_eq!(a.attestation().record_id(), b.attestation().record_id());
    }
    assert_ne!(
        t.rows[0].attestation().record_id(),
        t.rows[1].attestation().record_id()
    );
    // a row attested alone by `issue` is the same record as the table's first equal row
    let alone = issue_with_rng(&t.bank, &records[2], &terms(&t.shop), &mut t.rng).unwrap();
    assert_eq!(
        alone.attestation().record_id(),
        t.rows[2].attestation().record_id()
    );
    // 10,000 from 3 rows: the sum over both issuances (20,000) is refused
    t.rows.extend(again);
    assert!(matches!(
        t.prove("sum(amount) >= 15000"),
        Err(ProveError::CountedTwice("record id"))
    ));
    t.rows.truncate(3);
    t.prove("sum(amount) >= 10000").unwrap();
}

#[test]
fn requirements_honour_attestation_indices() {
    let mut rng = TestRng::new(97);
    let bureau = SecretKeys::generate_with_rng(&mut rng);
    let alice = SecretKeys::generate_with_rng(&mut rng);
    let rec = |s: i64| {
        Record::new("credit/v1")
            .unwrap()
            .with("score", Value::Int(s))
            .unwrap()
    };
    let a = issue_with_rng(&bureau, &rec(650), &terms(&alice), &mut rng).unwrap();
    let b = issue_with_rng(&bureau, &rec(742), &terms(&alice), &mut rng).unwrap();
    let c = Challenge::random_with_rng(&mut rng);
    let st = Statement::parse("score@1 >= 700", 2).unwrap();
    let p = Presentation::create_with_rng(&alice, &[&a, &b], &[(0, "score")], &[st], &c, &mut rng)
        .unwrap();
    let v = p.verify(&[bureau.public()], &c, 1, &NoRevocations).unwrap();
    let check = |r: Requirement| Policy::new().require(r).check(&v);
    // the proof is about attestation 1: a requirement pinned to 0 is not met by it, nor by the
    // disclosure of attestation 0 (650)
    let at0 = Statement::parse("score >= 700", 2).unwrap();
    assert!(Requirement::new(at0.clone()).is_pinned());
    assert!(
        matches!(check(Requirement::new(at0.clone())), Err(VerifyError::Unmet(m)) if m == "score@0 >= 700")
    );
    assert_eq!(check(Requirement::any(at0)), Ok(()));
    assert_eq!(
        check(Requirement::new(
            Statement::parse("score@1 >= 700", 2).unwrap()
        )),
        Ok(())
    );
    // a pinned disclosure counts only from its attestation
    assert_eq!(
        check(Requirement::new(
            Statement::parse("score@0 >= 600", 2).unwrap()
        )),
        Ok(())
    );
    assert!(check(Requirement::new(
        Statement::parse("score@1 >= 600", 2).unwrap()
    ))
    .is_err());
    // sums: exactly the pinned attestations
    let s01 = Statement::parse("sum(score@0,1) >= 1", 2).unwrap();
    assert!(check(Requirement::new(s01)).is_err());
}

/// Post-merge review (info), decision 0097 amended: a sum requirement with an upper side and no
/// indices is met only by a sum over every attestation presented. A holder presenting a table
/// of 100 rows and summing one of them meets `sum(amount) <= t` that the table does not.
#[test]
fn a_sum_over_some_rows_does_not_meet_an_upper_bound_requirement() {
    let a = amounts(100);
    let total: i64 = a.iter().sum();
    let small = *a.iter().min().unwrap();
    let mut t = table(&a);
    let bound = total - 1;
    // The whole table is over the bound; one row (index 0 holds the smallest amount) is not.
    assert_eq!(a[0], small);
    let one_row = t.prove(&format!("sum(amount@0) <= {bound}")).unwrap();
    let v = t.verify(&one_row).unwrap();
    assert_eq!(v.attestations().len(), 100);
    for text in [
        format!("sum(amount) <= {bound}"),
        format!("sum(amount) < {total}"),
        format!("sum(amount) in [0, {bound}]"),
        format!("sum(amount) == {small}"),
        format!("sum(amount) != {total}"),
    ] {
        let req = Requirement::parse(&text).unwrap();
        assert!(req.covers_every_attestation(), "{text}");
        // (the one-row statement is proven only for `<=`; every other form is refused
        // because nothing proves it, which says nothing about the rule)
        let proven = t.prove(&text.replace("sum(amount)", "sum(amount@0)"));
        if let Ok(p) = proven {
            let v = t.verify(&p).unwrap();
            assert!(
                matches!(
                    Policy::new().require(req).check(&v),
                    Err(VerifyError::Unmet(_))
                ),
                "{text} met by a sum over one of 100 rows"
            );
        }
    }
    let req = Requirement::parse(&format!("sum(amount) <= {bound}")).unwrap();
    assert!(matches!(
        Policy::new().require(req.clone()).check(&v),
        Err(VerifyError::Unmet(_))
    ));
    // 99 of 100 rows: still refused. Every row: met, when the claim holds.
    let most = t.prove(&format!("sum(amount@1-99) <= {total}")).unwrap();
    let v = t.verify(&most).unwrap();
    let req_total = Requirement::parse(&format!("sum(amount) <= {total}")).unwrap();
    assert!(Policy::new().require(req_total.clone()).check(&v).is_err());
    let all = t.prove(&format!("sum(amount) <= {total}")).unwrap();
    let v = t.verify(&all).unwrap();
    assert_eq!(Policy::new().require(req_total).check(&v), Ok(()));
    // A lower bound may still be met over some of the rows (the holder picks what it presents).
    let lower = Requirement::parse(&format!("sum(amount) >= {small}")).unwrap();
    assert!(!lower.covers_every_attestation());
    let p = t.prove(&format!("sum(amount@0) >= {small}")).unwrap();
    let v = t.verify(&p).unwrap();
    assert_eq!(Policy::new().require(lower).check(&v), Ok(()));
    // Pinned indices are met by exactly those rows, upper bound or not.
    let st = Statement::parse(&format!("sum(amount@0) <= {bound}"), 0).unwrap();
    let pinned = Requirement::new(st);
    assert!(!pinned.covers_every_attestation());
    let v = t.verify(&one_row).unwrap();
    assert_eq!(Policy::new().require(pinned).check(&v), Ok(()));
}
