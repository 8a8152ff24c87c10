//! Issue 11 items 1 and 8: a sum never counts one record twice, in either back-end, in the
//! prover and in the verifier — not the same attestation at two indices, not a re-signed copy
//! (same root or commitment), not two attestations of one record (same signed record id: a
//! renewal, a second issuer) — and version-1 attestations (no record id) are not summed with
//! others. Before the fix, one invoice attested at 1,000,000.00 presented four times proved
//! `sum(amount) >= 4000000` with Bulletproofs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use causeway::attest::{
    hazmat as ahz, issue, issue_with_record_id, AttestedRecord, NoRevocations, RecordId, Terms,
};
use causeway::error::{ProveError, VerifyError};
use causeway::party::SecretKeys;
use causeway::presentation::{hazmat, Challenge, Presentation};
use causeway::record::{Record, Value};
use causeway::snark::{Circuit, KeyRing};
use causeway::statement::{Backend, Statement};

const NOW: u64 = 1_800_000_000;

struct World {
    bank: SecretKeys,
    auditor: SecretKeys,
    company: SecretKeys,
}

fn world() -> World {
    World {
        bank: SecretKeys::generate().unwrap(),
        auditor: SecretKeys::generate().unwrap(),
        company: SecretKeys::generate().unwrap(),
    }
}

impl World {
    fn terms(&self, not_after: u64) -> Terms {
        Terms {
            subject: self.company.public().key_id(),
            not_before: 0,
            not_after,
        }
    }
}

fn invoice(amount: &str) -> Record {
    Record::new("invoice/v1")
        .unwrap()
        .with("amount", Value::decimal(amount).unwrap())
        .unwrap()
}

fn keys() -> KeyRing {
    let mut k = KeyRing::new();
    k.insert(Circuit::Sum(2), Circuit::Sum(2).setup().unwrap());
    k
}

fn create(
    w: &World,
    held: &[&AttestedRecord],
    claim: &str,
    backend: Backend,
    keys: &KeyRing,
    c: &Challenge,
) -> Result<Presentation, ProveError> {
    let n = held.len() as u16;
    let st = Statement::parse(claim, n).unwrap();
    Presentation::create_with(&w.company, held, &[], &[st], c, backend, keys)
}

/// The verifier's view of a genuine presentation over two distinct records, re-signed by the
/// holder with `attestations` instead.
fn resigned_with(
    w: &World,
    genuine: &Presentation,
    attestations: Vec<causeway::attest::Attestation>,
    c: &Challenge,
    keys: &KeyRing,
) -> Result<causeway::presentation::Verified, VerifyError> {
    let mut parts = hazmat::parts(genuine);
    parts.attestations = attestations;
    let p = hazmat::sign(parts, &w.company, c).unwrap();
    let p = Presentation::from_bytes(&p.to_bytes()).unwrap();
    p.verify_with_keys(
        &[w.bank.public(), w.auditor.public()],
        c,
        NOW,
        &NoRevocations,
        keys,
    )
}

#[test]
fn one_record_is_never_summed_twice_in_either_back_end() {
    let w = world();
    let keys = keys();
    let c = Challenge::random().unwrap();
    let inv = issue(&w.bank, &invoice("1000000.00"), &w.terms(u64::MAX)).unwrap();
    let big = issue(&w.bank, &invoice("3000000.00"), &w.terms(u64::MAX)).unwrap();
    // a renewal of `inv` (same issuer, subject and record: the same default record id)
    let renewal = issue(&w.bank, &invoice("1000000.00"), &w.terms(u64::MAX - 1)).unwrap();
    assert_eq!(
        inv.attestation().record_id(),
        renewal.attestation().record_id()
    );
    // a second issuer's attestation of the invoice, named alike by both
    let name = RecordId::named("seller 42 invoice 2026-0042").unwrap();
    let by_bank = issue_with_record_id(
        &w.bank,
        &invoice("1000000.00"),
        &w.terms(u64::MAX - 2),
        &name,
    );
    let by_auditor = issue_with_record_id(
        &w.auditor,
        &invoice("1000000.00"),
        &w.terms(u64::MAX - 2),
        &name,
    );
    let (by_bank, by_auditor) = (by_bank.unwrap(), by_auditor.unwrap());
    let trusted = [w.bank.public(), w.auditor.public()];

    for backend in [Backend::Bulletproofs, Backend::Groth16] {
        // the prover: four times the same invoice (the issue's CLI scenario), the same
        // invoice twice, a renewal, a second issuer
        // (refused before any key is needed: no sum:4 key)
        let k4 = KeyRing::new();
        assert_eq!(
            create(
                &w,
                &[&inv, &inv, &inv, &inv],
                "sum(amount) >= 4000000",
                backend,
                &k4,
                &c
            )
            .unwrap_err(),
            ProveError::CountedTwice("attestation"),
            "{backend}"
        );
        for (pair, what) in [
            ([&inv, &inv], "attestation"),
            ([&inv, &renewal], "record id"),
            ([&by_bank, &by_auditor], "record id"),
        ] {
            assert_eq!(
                create(&w, &pair, "sum(amount) >= 2000000", backend, &keys, &c).unwrap_err(),
                ProveError::CountedTwice(what),
                "{backend} {what}"
            );
        }

        // the verifier: a genuine proof over two distinct records, shown with one record twice
        let genuine = create(
            &w,
            &[&inv, &big],
            "sum(amount) >= 4000000",
            backend,
            &keys,
            &c,
        )
        .unwrap();
        genuine
            .verify_with_keys(&trusted, &c, NOW, &NoRevocations, &keys)
            .unwrap();
        let a = inv.attestation().clone();
        for (atts, what) in [
            (vec![a.clone(), a.clone()], "attestation"),
            (vec![a.clone(), renewal.attestation().clone()], "record id"),
            (
                vec![
                    by_bank.attestation().clone(),
                    by_auditor.attestation().clone(),
                ],
                "record id",
            ),
        ] {
            assert_eq!(
                resigned_with(&w, &genuine, atts, &c, &keys).unwrap_err(),
                VerifyError::CountedTwice(what),
                "{backend} {what}"
            );
        }
        // a copy re-signed by the issuer (another id, the same root and commitments)
        let mut parts = ahz::parts(&a);
        parts.not_after -= 1;
        let copy = ahz::sign(parts, &w.bank);
        assert_eq!(
            resigned_with(&w, &genuine, vec![a.clone(), copy], &c, &keys).unwrap_err(),
            VerifyError::CountedTwice("record root"),
            "{backend}"
        );
    }
}

#[test]
fn version_one_attestations_are_not_summed_with_others() {
    let w = world();
    let keys = keys();
    let c = Challenge::random().unwrap();
    let a = issue(&w.bank, &invoice("1000000.00"), &w.terms(u64::MAX)).unwrap();
    let b = issue(&w.bank, &invoice("3000000.00"), &w.terms(u64::MAX)).unwrap();
    let v1 = |h: &AttestedRecord| {
        let mut parts = ahz::parts(h.attestation());
        parts.record_id = None;
        ahz::replace_attestation(h, ahz::sign(parts, &w.bank))
    };
    let (a1, b1) = (v1(&a), v1(&b));
    assert_eq!(a1.attestation().version(), 1);
    let trusted = [w.bank.public()];
    for backend in [Backend::Bulletproofs, Backend::Groth16] {
        assert!(matches!(
            create(&w, &[&a1, &b1], "sum(amount) >= 1", backend, &keys, &c),
            Err(ProveError::InvalidStatement(_))
        ));
        let genuine = create(&w, &[&a, &b], "sum(amount) >= 1", backend, &keys, &c).unwrap();
        let err = resigned_with(
            &w,
            &genuine,
            vec![a1.attestation().clone(), b.attestation().clone()],
            &c,
            &keys,
        )
        .unwrap_err();
        assert!(
            matches!(err, VerifyError::InvalidStatement(w) if w.contains("record id")),
            "{err:?}"
        );
    }
    // one version-1 attestation alone still proves and verifies
    let p = Presentation::create(
        &w.company,
        &[&a1],
        &[],
        &[Statement::parse("amount >= 1000000", 1).unwrap()],
        &c,
    )
    .unwrap();
    p.verify(&trusted, &c, NOW, &NoRevocations).unwrap();
}
