//! Groth16 verifying keys, proving keys, proofs and key ids; verification on decoded inputs.
#![no_main]

use causeway::snark::{self, Proof, ProvingKey, VerifyingKey, VerifyingKeyId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    match sel % 4 {
        0 => {
            if let Ok(vk) = VerifyingKey::from_bytes(rest) {
                assert_eq!(vk.to_bytes(), rest, "verifying key bytes are canonical");
            }
        }
        1 => {
            if let Ok(pk) = ProvingKey::from_bytes(rest) {
                assert_eq!(pk.to_bytes(), rest, "proving key bytes are canonical");
            }
        }
        2 => {
            if let Ok(p) = Proof::from_bytes(rest) {
                assert_eq!(&p.to_bytes()[..], rest, "proof bytes are canonical");
            }
        }
        _ => {
            if let Ok(t) = core::str::from_utf8(rest) {
                if let Ok(id) = VerifyingKeyId::from_text(t) {
                    assert_eq!(id.to_text(), t);
                }
            }
            // A key and a proof glued together: verification must fail cleanly or succeed.
            if rest.len() > snark::PROOF_BYTES {
                let (p, k) = rest.split_at(snark::PROOF_BYTES);
                if let (Ok(p), Ok(vk)) = (Proof::from_bytes(p), VerifyingKey::from_bytes(k)) {
                    let _ = snark::verify(&vk, &[], &p);
                }
            }
        }
    }
});
