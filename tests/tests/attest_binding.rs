//! Transcript binding: a holder (who has its own key and re-signs) changes one element of a
//! valid presentation; verification must fail with the typed error that names the broken check.
//! Each mutation keeps the holder's signature valid, so what fails is the proof or the opening,
//! not the signature.

#[path = "support/attest_fixture.rs"]
mod attest_fixture;
use attest_fixture::*;

use causeway::attest::{hazmat as ahz, issue, AttestedRecord, NoRevocations};
use causeway::commit::RangeCommitment;
use causeway::error::VerifyError;
use causeway::presentation::hazmat::{self, PresentationParts};
use causeway::presentation::{Challenge, Presentation};
use causeway::record::{Record, Value};
use causeway::statement::{Bound, Predicate, Statement};

const STATEMENTS: &[&str] = &[
    "score >= 700",
    "income in [50000, 120000]",
    "dob < 2008-11-21",
    "limit == 5000",
    "limit != 4000",
];

struct Setup {
    w: World,
    held: AttestedRecord,
    c: Challenge,
    p: Presentation,
}

fn setup() -> Setup {
    let w = World::new();
    let held = w.held();
    let c = challenge();
    let p = w.present(&[&held], &[(0, "name"), (0, "limit")], STATEMENTS, &c);
    p.verify(
        &[w.issuer.public(), w.issuer2.public()],
        &c,
        NOW,
        &NoRevocations,
    )
    .expect("the unmodified presentation verifies");
    Setup { w, held, c, p }
}

fn trusted(w: &World) -> Vec<causeway::party::PublicKeys> {
    vec![w.issuer.public(), w.issuer2.public()]
}

/// Applies `f` to the parts, re-signs as the holder for the original challenge, verifies.
fn mutate(s: &Setup, f: impl FnOnce(&mut PresentationParts)) -> Result<(), VerifyError> {
    let mut parts = hazmat::parts(&s.p);
    f(&mut parts);
    let p = hazmat::sign(parts, &s.w.holder, &s.c).expect("re-signing");
    let p = Presentation::from_bytes(&p.to_bytes()).expect("still well formed");
    p.verify(&trusted(&s.w), &s.c, NOW, &NoRevocations)
        .map(|_| ())
}

fn set_statement(parts: &mut PresentationParts, i: usize, text: &str) {
    parts.statements[i] = Statement::parse(text, 1).unwrap();
}

#[test]
fn resigning_alone_keeps_it_valid() {
    let s = setup();
    mutate(&s, |_| {}).unwrap();
}

#[test]
fn lower_bound() {
    let s = setup();
    assert_eq!(
        mutate(&s, |p| set_statement(p, 0, "score >= 701")),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| set_statement(p, 0, "score >= 699")),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| set_statement(p, 1, "income in [50000.01, 120000]")),
        Err(VerifyError::Proof)
    );
}

#[test]
fn upper_bound() {
    let s = setup();
    assert_eq!(
        mutate(&s, |p| set_statement(p, 1, "income in [50000, 119999]")),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| set_statement(p, 2, "dob < 2008-11-20")),
        Err(VerifyError::Proof)
    );
}

#[test]
fn statement_kind() {
    let s = setup();
    // same bound, another kind
    assert_eq!(
        mutate(&s, |p| set_statement(p, 0, "score > 700")),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| set_statement(p, 0, "score <= 700")),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| set_statement(p, 3, "limit != 5000")),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| set_statement(p, 4, "limit == 4000")),
        Err(VerifyError::Proof)
    );
    // a sum over one attestation is another statement than the single-field one
    assert_eq!(
        mutate(&s, |p| p.statements[0] = Statement::sum(
            "score",
            &[0],
            Predicate::AtLeast("700".parse::<Bound>().unwrap())
        )),
        Err(VerifyError::Proof)
    );
}

#[test]
fn equality_and_inequality_constants() {
    let s = setup();
    assert_eq!(
        mutate(&s, |p| set_statement(p, 3, "limit == 5001")),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| set_statement(p, 4, "limit != 4001")),
        Err(VerifyError::Proof)
    );
}

#[test]
fn field_name() {
    let s = setup();
    // another numeric field of the same type (int) and a satisfiable claim for it
    assert_eq!(
        mutate(&s, |p| set_statement(p, 0, "limit >= 700")),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| set_statement(p, 3, "score == 5000")),
        Err(VerifyError::Proof)
    );
}

#[test]
fn statement_order_and_count() {
    let s = setup();
    assert_eq!(
        mutate(&s, |p| p.statements.swap(0, 1)),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| {
            p.statements.pop();
        }),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| {
            p.statements.remove(0);
        }),
        Err(VerifyError::Proof)
    );
}

#[test]
fn challenge_binding() {
    let s = setup();
    // the verifier's own challenge differs: the holder's signature fails first
    let other = attest_fixture::challenge();
    assert_eq!(
        s.p.verify(&trusted(&s.w), &other, NOW, &NoRevocations)
            .map(|_| ()),
        Err(VerifyError::BadSignature)
    );
    // the holder re-signs for the new challenge but reuses the proofs: the proofs fail
    let p = hazmat::sign(hazmat::parts(&s.p), &s.w.holder, &other).unwrap();
    assert_eq!(
        p.verify(&trusted(&s.w), &other, NOW, &NoRevocations)
            .map(|_| ()),
        Err(VerifyError::Proof)
    );
}

/// Replaces attestation 0 with `a` (signed by `signer`), keeping everything else.
fn with_attestation(s: &Setup, a: causeway::attest::Attestation) -> Result<(), VerifyError> {
    mutate(s, |p| p.attestations[0] = a)
}

#[test]
fn each_commitment() {
    let s = setup();
    let base = ahz::parts(s.held.attestation());
    for i in 0..base.numeric.len() {
        let mut parts = base.clone();
        // shift the commitment by B: a commitment to v + 1 with the same blinding
        let c = parts.numeric[i].commitment.point().unwrap()
            + curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
        parts.numeric[i].commitment = RangeCommitment::from_point(&c);
        let name = parts.numeric[i].name.clone();
        let res = with_attestation(&s, ahz::sign(parts, &s.w.issuer));
        // the disclosed numeric field fails its opening; the others fail their proofs
        let want = if name == "limit" {
            VerifyError::Disclosure
        } else {
            VerifyError::Proof
        };
        assert_eq!(res, Err(want), "commitment of {name}");
    }
}

#[test]
fn attestation_bytes() {
    let s = setup();
    // the same record attested again (new salts, blindings and handle) for the same holder
    let again = issue(&s.w.issuer, &World::record(), &s.w.terms()).unwrap();
    let mut parts = hazmat::parts(&s.p);
    parts.attestations[0] = again.attestation().clone();
    parts.disclosures.clear();
    let p = hazmat::sign(parts, &s.w.holder, &s.c).unwrap();
    assert_eq!(
        p.verify(&trusted(&s.w), &s.c, NOW, &NoRevocations)
            .map(|_| ()),
        Err(VerifyError::Proof)
    );
    // one field of the signed attestation changed (the window), re-signed by the issuer
    let mut a = ahz::parts(s.held.attestation());
    a.not_after += 1;
    assert_eq!(
        with_attestation(&s, ahz::sign(a, &s.w.issuer)),
        Err(VerifyError::Proof)
    );
    // the revocation handle
    let mut a = ahz::parts(s.held.attestation());
    a.revocation.0[0] ^= 1;
    assert_eq!(
        with_attestation(&s, ahz::sign(a, &s.w.issuer)),
        Err(VerifyError::Proof)
    );
    // the schema
    let mut a = ahz::parts(s.held.attestation());
    a.schema = "credit/v2".into();
    assert_eq!(
        with_attestation(&s, ahz::sign(a, &s.w.issuer)),
        Err(VerifyError::Proof)
    );
    // unsigned change: the issuer's signature fails
    let mut a = ahz::parts(s.held.attestation());
    a.not_after += 1;
    let forged = ahz::with_signature(
        &ahz::sign(a, &s.w.issuer),
        ahz::signature(s.held.attestation()),
    );
    assert_eq!(with_attestation(&s, forged), Err(VerifyError::BadSignature));
}

#[test]
fn issuer() {
    let s = setup();
    // another trusted issuer signs the very same commitments
    let mut a = ahz::parts(s.held.attestation());
    a.issuer = s.w.issuer2.public().key_id();
    assert_eq!(
        with_attestation(&s, ahz::sign(a, &s.w.issuer2)),
        Err(VerifyError::Proof)
    );
    // the issuer field changed without the issuer's key
    let mut a = ahz::parts(s.held.attestation());
    a.issuer = s.w.issuer2.public().key_id();
    assert_eq!(
        with_attestation(&s, ahz::sign(a, &s.w.issuer)),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn subject() {
    let s = setup();
    // the issuer attests the same commitments to holder2; holder2 reuses holder's proofs
    let mut a = ahz::parts(s.held.attestation());
    a.subject = s.w.holder2.public().key_id();
    let a = ahz::sign(a, &s.w.issuer);
    let mut parts = hazmat::parts(&s.p);
    parts.attestations[0] = a.clone();
    let p = hazmat::sign(parts, &s.w.holder2, &s.c).unwrap();
    assert_eq!(
        p.verify(&trusted(&s.w), &s.c, NOW, &NoRevocations)
            .map(|_| ()),
        Err(VerifyError::Proof)
    );
    // the holder presents an attestation about someone else
    assert_eq!(with_attestation(&s, a), Err(VerifyError::WrongSubject));
}

#[test]
fn disclosed_value_salt_path_blinding() {
    let s = setup();
    let name = |p: &PresentationParts| p.disclosures.iter().position(|d| d.name == "name").unwrap();
    let limit = |p: &PresentationParts| {
        p.disclosures
            .iter()
            .position(|d| d.name == "limit")
            .unwrap()
    };
    assert_eq!(
        mutate(&s, |p| {
            let i = name(p);
            p.disclosures[i].value = Value::String("Mallory".into())
        }),
        Err(VerifyError::Disclosure)
    );
    assert_eq!(
        mutate(&s, |p| {
            let i = limit(p);
            p.disclosures[i].value = Value::Int(50_000)
        }),
        Err(VerifyError::Disclosure)
    );
    assert_eq!(
        mutate(&s, |p| {
            let i = name(p);
            p.disclosures[i].salt[31] ^= 1
        }),
        Err(VerifyError::Disclosure)
    );
    assert_eq!(
        mutate(&s, |p| {
            let i = name(p);
            p.disclosures[i].name = "names".into()
        }),
        Err(VerifyError::Disclosure)
    );
    assert_eq!(
        mutate(&s, |p| {
            let i = name(p);
            p.disclosures[i].path.index ^= 1
        }),
        Err(VerifyError::Disclosure)
    );
    assert_eq!(
        mutate(&s, |p| {
            let i = name(p);
            p.disclosures[i].path.siblings[3] += causeway::circuits::Fr::from(1u64)
        }),
        Err(VerifyError::Disclosure)
    );
    assert_eq!(
        mutate(&s, |p| {
            let i = limit(p);
            p.disclosures[i].blinding.as_mut().unwrap()[0] ^= 1
        }),
        Err(VerifyError::Disclosure)
    );
    assert_eq!(
        mutate(&s, |p| {
            let i = limit(p);
            p.disclosures[i].blinding = None
        }),
        Err(VerifyError::Disclosure)
    );
    assert_eq!(
        mutate(&s, |p| {
            let i = name(p);
            p.disclosures[i].attestation = 1
        }),
        Err(VerifyError::Disclosure)
    );
}

#[test]
fn proof_bytes() {
    let s = setup();
    let n = hazmat::parts(&s.p).proofs.len();
    let mut failures = 0;
    for i in (0..n).step_by(3) {
        let mut parts = hazmat::parts(&s.p);
        parts.proofs[i] ^= 0x01;
        // a flip may make the proof bytes malformed (refused when re-assembling) ...
        let Ok(p) = hazmat::sign(parts, &s.w.holder, &s.c) else {
            failures += 1;
            continue;
        };
        // ... or well formed and wrong
        assert!(
            matches!(
                p.verify(&trusted(&s.w), &s.c, NOW, &NoRevocations),
                Err(VerifyError::Proof) | Err(VerifyError::Decode(_))
            ),
            "flip at {i}"
        );
        failures += 1;
    }
    assert!(failures > 100);
}

#[test]
fn sum_terms() {
    let w = World::new();
    let inv = |amt: i64| {
        let r = Record::new("invoice/v1")
            .unwrap()
            .with("amount", Value::Int(amt))
            .unwrap();
        w.held_with(&r)
    };
    let (a, b, c3) = (inv(600), inv(500), inv(700));
    let ch = challenge();
    let p = w.present(&[&a, &b, &c3], &[], &["sum(amount@0,1) >= 1100"], &ch);
    p.verify(&[w.issuer.public()], &ch, NOW, &NoRevocations)
        .unwrap();
    let s = Setup {
        w,
        held: a.clone(),
        c: ch,
        p,
    };
    // another set of summed attestations whose sum also satisfies the bound
    assert_eq!(
        mutate(&s, |p| p.statements[0] =
            Statement::parse("sum(amount@1,2) >= 1100", 3).unwrap()),
        Err(VerifyError::Proof)
    );
    assert_eq!(
        mutate(&s, |p| p.statements[0] =
            Statement::parse("sum(amount@0,2) >= 1100", 3).unwrap()),
        Err(VerifyError::Proof)
    );
    // swapping two attestations
    assert_eq!(
        mutate(&s, |p| p.attestations.swap(0, 2)),
        Err(VerifyError::Proof)
    );
    // a statement about attestation 1 instead of a sum
    assert_eq!(
        mutate(&s, |p| p.statements[0] =
            Statement::parse("amount@1 >= 500", 3).unwrap()),
        Err(VerifyError::Proof)
    );
}
