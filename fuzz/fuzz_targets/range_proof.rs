//! Bulletproofs range proofs.
#![no_main]

use causeway::range::AggregateRangeProof;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = AggregateRangeProof::from_bytes(data) {
        assert_eq!(p.to_bytes(), data, "range proof bytes are canonical");
    }
});
