//! Attestations, attested records (the holder's secret copy) and revocation lists.
#![no_main]

use causeway::attest::{Attestation, AttestedRecord, RevocationList};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = Attestation::from_bytes(data) {
        assert_eq!(a.to_bytes(), data, "attestation bytes are canonical");
        let _ = Attestation::from_text(&a.to_text()).expect("text form decodes");
    }
    if let Ok(t) = core::str::from_utf8(data) {
        let _ = Attestation::from_text(t);
    }
    if let Ok(r) = AttestedRecord::from_bytes(data) {
        assert_eq!(
            &r.to_bytes()[..],
            data,
            "attested record bytes are canonical"
        );
    }
    if let Ok(l) = RevocationList::from_bytes(data) {
        assert_eq!(l.to_bytes(), data, "revocation list bytes are canonical");
    }
});
