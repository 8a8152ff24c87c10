//! Sealed records: the binary form, Causeway JWE and foreign JWE, then opening.
#![no_main]
#[path = "common.rs"]
mod common;

use causeway::seal::{self, Sealed};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let party = common::party();
    if let Ok(s) = Sealed::from_any(data) {
        // Canonical: what decodes re-encodes to a form that decodes to the same object.
        let bytes = s.to_bytes();
        let again = Sealed::from_bytes(&bytes).expect("re-encoded sealed record decodes");
        assert_eq!(again.to_bytes(), bytes, "binary form is canonical");
        let _ = Sealed::from_jwe_json(&s.to_jwe_json()).expect("JWE view decodes");
        let _ = s.inspect();
        let _ = s.open(&party);
    }
    if let Some(t) = common::text(data) {
        let _ = seal::open_jwe(t, &party);
    }
});
