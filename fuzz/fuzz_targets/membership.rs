//! Membership: the proof JSON (`docs/spec/membership.md`), leaves files and member secrets.
#![no_main]
#[path = "common.rs"]
mod common;

use causeway::snark::membership::{Leaves, MemberSecret, ProvenMembership};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = MemberSecret::from_text_bytes(data);
    if let Ok(leaves) = Leaves::from_text_bytes(data) {
        let again = Leaves::parse(&leaves.to_text()).expect("re-encoded leaves parse");
        assert_eq!(again.as_slice(), leaves.as_slice());
    }
    let Some(t) = common::text(data) else {
        return;
    };
    if let Ok(p) = ProvenMembership::from_json(t) {
        // What parses re-encodes, and the re-encoding is a fixed point.
        let text = p.to_json();
        let again = ProvenMembership::from_json(&text).expect("re-encoded membership proof parses");
        assert_eq!(again.to_json(), text);
    }
});
