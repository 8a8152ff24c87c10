//! Validity window, revocation, issuer and subject checks, and the CCTV-style Ed25519 edge cases
//! (non-canonical S, small-order R and A, mixed-order keys) through the attestation and
//! presentation verify paths: typed errors, never a pass.

#[path = "support/attest_fixture.rs"]
mod attest_fixture;
use attest_fixture::*;

use causeway::attest::{
    hazmat as ahz, issue, Attestation, NoRevocations, RevocationCheck, RevocationHandle,
    RevocationList, Terms,
};
use causeway::error::{AttestError, ProveError, VerifyError};
use causeway::party::{KeyId, PublicKeys};
use causeway::presentation::{hazmat, Presentation};
use causeway::statement::Statement;
use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::edwards::CompressedEdwardsY;

#[test]
fn window_edges() {
    let w = World::new();
    let held = w.held();
    let c = challenge();
    let p = w.present(&[&held], &[], &["score >= 700"], &c);
    let t = w.terms();
    let v = |now| {
        p.verify(&[w.issuer.public()], &c, now, &NoRevocations)
            .map(|_| ())
    };
    assert_eq!(v(t.not_before), Ok(()));
    assert_eq!(v(t.not_after), Ok(()));
    assert_eq!(v(t.not_before - 1), Err(VerifyError::NotYetValid));
    assert_eq!(v(0), Err(VerifyError::NotYetValid));
    assert_eq!(v(t.not_after + 1), Err(VerifyError::Expired));
    assert_eq!(v(u64::MAX), Err(VerifyError::Expired));
    let bad = Terms {
        not_before: 10,
        not_after: 9,
        ..t
    };
    assert_eq!(
        issue(&w.issuer, &World::record(), &bad).unwrap_err(),
        AttestError::InvalidWindow
    );
}

#[test]
fn revoked() {
    let w = World::new();
    let held = w.held();
    let other = w.held();
    let c = challenge();
    let p = w.present(&[&held], &[], &["score >= 700"], &c);
    let trusted = [w.issuer.public()];
    let list = RevocationList::new(
        &w.issuer,
        NOW,
        vec![
            held.attestation().revocation_handle(),
            RevocationHandle([7; 32]),
        ],
    )
    .unwrap();
    let list = RevocationList::from_bytes(&list.to_bytes()).unwrap();
    assert_eq!(
        p.verify(&trusted, &c, NOW, &list).map(|_| ()),
        Err(VerifyError::Revoked)
    );
    // another attestation of the same issuer is unaffected
    let p2 = w.present(&[&other], &[], &["score >= 700"], &c);
    assert!(p2.verify(&trusted, &c, NOW, &list).is_ok());
    // revoking one attestation of a multi-attestation presentation fails it
    let p3 = w.present(&[&other, &held], &[], &["score@1 >= 700"], &c);
    assert_eq!(
        p3.verify(&trusted, &c, NOW, &list).map(|_| ()),
        Err(VerifyError::Revoked)
    );
    // a list "for" this issuer signed by someone else makes the status unavailable
    let forged = RevocationList::new(&w.issuer2, NOW, vec![]).unwrap();
    let mut b = forged.to_bytes();
    b[4..20].copy_from_slice(w.issuer.public().key_id().as_bytes());
    let forged = RevocationList::from_bytes(&b).unwrap();
    assert_eq!(
        p2.verify(&trusted, &c, NOW, &forged).map(|_| ()),
        Err(VerifyError::RevocationUnavailable)
    );
    // a source that cannot answer fails closed
    struct Down;
    impl RevocationCheck for Down {
        fn is_revoked(&self, _: &PublicKeys, _: &RevocationHandle) -> Result<bool, VerifyError> {
            Err(VerifyError::RevocationUnavailable)
        }
    }
    assert_eq!(
        p2.verify(&trusted, &c, NOW, &Down).map(|_| ()),
        Err(VerifyError::RevocationUnavailable)
    );
}

#[test]
fn wrong_issuer_and_subject() {
    let w = World::new();
    let held = w.held();
    let c = challenge();
    let p = w.present(&[&held], &[], &["score >= 700"], &c);
    assert_eq!(
        p.verify(&[w.issuer2.public()], &c, NOW, &NoRevocations)
            .map(|_| ()),
        Err(VerifyError::UntrustedIssuer)
    );
    assert_eq!(
        p.verify(&[], &c, NOW, &NoRevocations).map(|_| ()),
        Err(VerifyError::UntrustedIssuer)
    );
    // the holder key is not the subject
    let st = Statement::parse("score >= 700", 1).unwrap();
    assert_eq!(
        Presentation::create(&w.holder2, &[&held], &[], &[st], &c).unwrap_err(),
        ProveError::NotSubject
    );
    // someone else presents the holder's attestation with their own key
    let stolen = hazmat::sign(hazmat::parts(&p), &w.holder2, &c).unwrap();
    assert_eq!(
        stolen
            .verify(&[w.issuer.public()], &c, NOW, &NoRevocations)
            .map(|_| ()),
        Err(VerifyError::WrongSubject)
    );
}

const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

fn add_le(a: &[u8], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let s = a[i] as u16 + b[i] as u16 + carry;
        out[i] = s as u8;
        carry = s >> 8;
    }
    out
}

/// Small-order points: the eight torsion points canonically encoded, plus non-canonical
/// encodings (sign bit on x = 0, y ≥ p).
fn small_order_encodings() -> Vec<[u8; 32]> {
    let mut v: Vec<[u8; 32]> = EIGHT_TORSION
        .iter()
        .map(|p| p.compress().to_bytes())
        .collect();
    let mut id_neg = [0u8; 32];
    id_neg[0] = 1;
    id_neg[31] = 0x80; // identity with the sign bit set
    v.push(id_neg);
    let mut y_p_plus_1 = [0xffu8; 32]; // y = p + 1 ≡ 1 (identity, non-canonical)
    y_p_plus_1[0] = 0xee;
    y_p_plus_1[31] = 0x7f;
    v.push(y_p_plus_1);
    let mut minus_one_neg = [0xffu8; 32]; // y = −1 with the sign bit set
    minus_one_neg[0] = 0xec;
    v.push(minus_one_neg);
    v
}

#[test]
fn cctv_non_canonical_s() {
    let w = World::new();
    let held = w.held();
    let a = held.attestation();
    let trusted = [w.issuer.public()];
    let sig = ahz::signature(a);
    // S + ℓ: same value mod ℓ, not canonical; verify_strict refuses it
    let mut bad = sig;
    bad[32..].copy_from_slice(&add_le(&sig[32..], &L));
    let forged = ahz::with_signature(a, bad);
    assert_eq!(
        forged.verify(&trusted, NOW, &NoRevocations),
        Err(VerifyError::BadSignature)
    );
    // high bits of S set
    let mut bad = sig;
    bad[63] |= 0xe0;
    let forged = ahz::with_signature(a, bad);
    assert_eq!(
        forged.verify(&trusted, NOW, &NoRevocations),
        Err(VerifyError::BadSignature)
    );
    // through the presentation path too
    let c = challenge();
    let p = w.present(&[&held], &[], &["score >= 700"], &c);
    let mut parts = hazmat::parts(&p);
    let mut bad = sig;
    bad[32..].copy_from_slice(&add_le(&sig[32..], &L));
    parts.attestations[0] = ahz::with_signature(a, bad);
    let p = hazmat::sign(parts, &w.holder, &c).unwrap();
    let p = Presentation::from_bytes(&p.to_bytes()).unwrap();
    assert_eq!(
        p.verify(&trusted, &c, NOW, &NoRevocations).map(|_| ()),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn cctv_small_order_r() {
    let w = World::new();
    let held = w.held();
    let a = held.attestation();
    let trusted = [w.issuer.public()];
    for r in small_order_encodings() {
        for s in [[0u8; 32], {
            let mut s = [0u8; 32];
            s[0] = 1;
            s
        }] {
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(&r);
            sig[32..].copy_from_slice(&s);
            let forged = ahz::with_signature(a, sig);
            assert_eq!(
                forged.verify(&trusted, NOW, &NoRevocations),
                Err(VerifyError::BadSignature),
                "R = {}",
                hex::encode(r)
            );
        }
        // keep the real S, replace R
        let mut sig = ahz::signature(a);
        sig[..32].copy_from_slice(&r);
        let forged = ahz::with_signature(a, sig);
        assert_eq!(
            forged.verify(&trusted, NOW, &NoRevocations),
            Err(VerifyError::BadSignature)
        );
    }
}

#[test]
fn cctv_small_order_a_refused_at_import() {
    let x = World::new().issuer.public();
    let enc = *x.encryption().as_bytes();
    for a in small_order_encodings() {
        assert!(
            PublicKeys::from_bytes(&a, &enc).is_err(),
            "A = {}",
            hex::encode(a)
        );
    }
    // and a presentation whose holder key is small-order does not even decode
    let w = World::new();
    let held = w.held();
    let c = challenge();
    let p = w.present(&[&held], &[], &["score >= 700"], &c);
    let mut b = p.to_bytes();
    let att_len = held.attestation().to_bytes().len();
    let off = 4 + 2 + 4 + att_len;
    assert_eq!(&b[off..off + 32], w.holder.public().signing().as_bytes());
    for a in small_order_encodings() {
        b[off..off + 32].copy_from_slice(&a);
        assert!(Presentation::from_bytes(&b).is_err());
    }
}

#[test]
fn cctv_mixed_order_key() {
    // A' = A + T (T of order 8): a torsioned issuer key. The issuer's signature made with A's
    // secret must not verify under A' (no cofactor confusion), and vice versa.
    let w = World::new();
    let held = w.held();
    let a_pt = CompressedEdwardsY(*w.issuer.public().signing().as_bytes())
        .decompress()
        .unwrap();
    let enc = *w.issuer.public().encryption().as_bytes();
    for t in EIGHT_TORSION.iter().skip(1) {
        let a2 = (a_pt + t).compress().to_bytes();
        let Ok(pk2) = PublicKeys::from_bytes(&a2, &enc) else {
            continue;
        };
        let mut parts = ahz::parts(held.attestation());
        parts.issuer = pk2.key_id();
        let att = ahz::sign(parts, &w.issuer);
        assert_eq!(
            att.verify(&[pk2], NOW, &NoRevocations),
            Err(VerifyError::BadSignature)
        );
    }
}

#[test]
fn cross_namespace_signature() {
    // an issuer's revocation-list signature over the same bytes is not an attestation signature
    // (attestation format 2 signs under its own namespace since issue 11 item 8; format 1,
    // re-signed here, keeps the old one)
    let w = World::new();
    let held = w.held();
    let mut v1 = ahz::parts(held.attestation());
    v1.record_id = None;
    let v1 = ahz::sign(v1, &w.issuer);
    for (att, ns) in [
        (held.attestation().clone(), b"causeway/attestation/v2"),
        (v1, b"causeway/attestation/v1"),
    ] {
        let msg = ahz::signed_message(&att);
        assert!(msg.starts_with(ns));
        let raw = w.issuer.sign(&msg[ns.len()..]);
        let forged = ahz::with_signature(&att, raw);
        assert_eq!(
            forged.verify(&[w.issuer.public()], NOW, &NoRevocations),
            Err(VerifyError::BadSignature)
        );
        let _: KeyId = forged.issuer();
        let _ = Attestation::from_bytes(&forged.to_bytes()).unwrap();
        // the other version's namespace over the same body is no signature either
        let other: &[u8] = if ns == b"causeway/attestation/v2" {
            b"causeway/attestation/v1"
        } else {
            b"causeway/attestation/v2"
        };
        let cross = w.issuer.sign(&[other, &msg[ns.len()..]].concat());
        assert_eq!(
            ahz::with_signature(&att, cross).verify(&[w.issuer.public()], NOW, &NoRevocations),
            Err(VerifyError::BadSignature)
        );
    }
}
