//! Ledger receipts.
#![no_main]

use causeway::ledger::Receipt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = Receipt::from_bytes(data) {
        assert_eq!(r.as_bytes(), data);
        let _ = r.to_json();
        let _ = r.leaf_hash();
        let _ = r.event().required_signer();
    }
});
