//! Wycheproof vectors for X25519 and Ed25519, run through Causeway's own API
//! (`SecretKeys::diffie_hellman` and `PublicKeys::verify`), not only the underlying crates.
//!
//! AES-256-GCM vectors run through `causeway::seal::hazmat` in the seal tests.

use causeway::party::{PublicKeys, SecretKeys};
use std::collections::BTreeSet;
use wycheproof::{eddsa, xdh, TestResult};

fn arr32(b: &[u8]) -> Option<[u8; 32]> {
    b.try_into().ok()
}

/// X25519: every vector whose shared secret is non-zero gives exactly the expected secret;
/// every vector with an all-zero (non-contributory) result is refused. SECURITY.md counts 31
/// such vectors in the Wycheproof set.
#[test]
fn wycheproof_x25519_through_diffie_hellman() {
    let set = xdh::TestSet::load(xdh::TestName::X25519).expect("load x25519 vectors");
    let (mut computed, mut refused_zero, mut total) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for group in &set.test_groups {
        for t in &group.tests {
            total += 1;
            let private = arr32(&t.private_key).expect("32-byte private key");
            let public = arr32(&t.public_key).expect("32-byte public key");
            let expected = arr32(&t.shared_secret).expect("32-byte shared secret");
            // The Ed25519 half of the party is irrelevant here; any seed will do.
            let keys = SecretKeys::from_seeds(&[7u8; 32], &private);
            let got = keys.diffie_hellman(&x25519_dalek::PublicKey::from(public));
            let zero = expected == [0u8; 32];
            if zero {
                assert!(
                    t.flags.contains(&xdh::TestFlag::ZeroSharedSecret),
                    "tc {}: all-zero secret without the ZeroSharedSecret flag",
                    t.tc_id
                );
            }
            match (zero, got) {
                (true, None) => refused_zero += 1,
                (true, Some(_)) => {
                    failures.push(format!("tc {}: all-zero secret accepted", t.tc_id))
                }
                (false, Some(s)) if *s == expected => computed += 1,
                (false, Some(_)) => failures.push(format!("tc {}: wrong shared secret", t.tc_id)),
                (false, None) => failures.push(format!(
                    "tc {} ({:?}): contributory exchange refused",
                    t.tc_id, t.result
                )),
            }
            // Wycheproof marks no X25519 vector invalid: each one has a defined output.
            assert_ne!(t.result, TestResult::Invalid, "tc {}", t.tc_id);
        }
    }
    eprintln!("x25519: {total} vectors, {computed} computed, {refused_zero} all-zero refused");
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(total, set.number_of_tests);
    assert_eq!(refused_zero, 31, "SECURITY.md: 31 zero-output vectors");
    assert_eq!(computed + refused_zero, total);
    assert!(computed > 400, "only {computed} vectors computed");
}

/// Ed25519 vectors that are marked `valid` in Wycheproof but that strict verification
/// (`verify_strict`) refuses by design. Empty: Wycheproof marks every signature with a
/// small-order `R` or a non-canonical encoding invalid, so strict verification agrees
/// with every verdict. Keep the list explicit so a change of behaviour fails this test.
const VALID_BUT_STRICTLY_REJECTED: &[usize] = &[];

/// Ed25519: `PublicKeys::verify` accepts exactly the vectors marked valid (bar the explicit list
/// above) and rejects every vector marked invalid. Signatures that are not 64 bytes cannot reach
/// `verify` (its type is `&[u8; 64]`) and count as rejected at that boundary.
#[test]
fn wycheproof_ed25519_through_verify() {
    let set = eddsa::TestSet::load(eddsa::TestName::Ed25519).expect("load ed25519 vectors");
    // Any valid X25519 public key completes a `PublicKeys`; only the Ed25519 half is exercised.
    let x_pub = *SecretKeys::from_seeds(&[1u8; 32], &[2u8; 32])
        .public()
        .encryption()
        .as_bytes();
    let mut strictly_rejected_valid = BTreeSet::new();
    let (mut accepted, mut rejected, mut wrong_length, mut total) = (0usize, 0, 0, 0);
    let mut failures = Vec::new();
    for group in &set.test_groups {
        let pk = arr32(&group.key.pk).expect("32-byte Ed25519 key");
        let public = PublicKeys::from_bytes(&pk, &x_pub).expect("Wycheproof key imports");
        for t in &group.tests {
            total += 1;
            let ok = match <[u8; 64]>::try_from(t.sig.as_slice()) {
                Ok(sig) => public.verify(&t.msg, &sig).is_ok(),
                Err(_) => {
                    wrong_length += 1;
                    false
                }
            };
            if ok {
                accepted += 1;
            } else {
                rejected += 1;
            }
            match (t.result, ok) {
                (TestResult::Invalid, true) => failures.push(format!(
                    "tc {} ({}): invalid signature accepted",
                    t.tc_id, t.comment
                )),
                (TestResult::Valid | TestResult::Acceptable, false) => {
                    strictly_rejected_valid.insert(t.tc_id);
                }
                _ => {}
            }
        }
    }
    eprintln!(
        "ed25519: {total} vectors, {accepted} accepted, {rejected} rejected \
         ({wrong_length} not 64 bytes)"
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(
        strictly_rejected_valid,
        VALID_BUT_STRICTLY_REJECTED
            .iter()
            .copied()
            .collect::<BTreeSet<_>>(),
        "valid vectors that strict verification rejects"
    );
    assert_eq!(total, set.number_of_tests);
    assert_eq!(accepted + rejected, total);
    assert!(wrong_length > 0, "length-mismatch vectors are present");
    assert!(accepted >= 80, "only {accepted} signatures accepted");
}

/// A signature made through Causeway verifies through Causeway, and a flipped bit anywhere
/// in the signature or message does not (a sanity check that `verify` can fail).
#[test]
fn ed25519_sign_verify_roundtrip_and_bitflips() {
    let keys = SecretKeys::from_seeds(&[9u8; 32], &[10u8; 32]);
    let public = keys.public();
    let msg = b"causeway/test/v1 hello";
    let sig = keys.sign(msg);
    public.verify(msg, &sig).expect("own signature verifies");
    for i in 0..64 * 8 {
        let mut s = sig;
        s[i / 8] ^= 1 << (i % 8);
        assert!(public.verify(msg, &s).is_err(), "bit {i} of the signature");
    }
    for i in 0..msg.len() * 8 {
        let mut m = msg.to_vec();
        m[i / 8] ^= 1 << (i % 8);
        assert!(public.verify(&m, &sig).is_err(), "bit {i} of the message");
    }
}
