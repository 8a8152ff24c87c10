//! Ledger proof bundles (JSON, versions 1 and 2): parsing, re-encoding, verification against a
//! fixed log key.
#![no_main]
#[path = "common.rs"]
mod common;

use causeway::ledger::bundle::ProofBundle;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(bundle) = ProofBundle::from_slice(data) else {
        return;
    };
    // What parses re-encodes, and the re-encoding parses to the same bundle.
    if let Ok(text) = bundle.to_json() {
        assert_eq!(ProofBundle::from_json(&text).ok().as_ref(), Some(&bundle));
    }
    let _ = bundle.revocation_proof();
    let key = common::party().public();
    let _ = bundle.verify(&key, None, None);
    let _ = bundle.verify(&key, Some("causeway.example/log"), Some(&bundle.checkpoint));
});
