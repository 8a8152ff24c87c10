//! Anchor receipts.
#![no_main]

use causeway::anchor::AnchorReceipt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = AnchorReceipt::from_bytes(data) {
        let bytes = r.to_bytes().expect("a decoded receipt encodes");
        assert_eq!(bytes, data, "anchor receipt bytes are canonical");
    }
});
