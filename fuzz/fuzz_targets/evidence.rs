//! Evidence certificates (tag 0x51): decoding, canonical re-encoding, and verification (offline,
//! with and without a chain pinned) against a fixed log key and origin.
#![no_main]

use causeway::anchor::ChainRef;
use causeway::evidence::{Certificate, ContentDigest};
use causeway::party::SecretKeys;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Certificate::from_bytes(data) {
        let bytes = c.to_bytes().expect("a decoded certificate encodes");
        assert_eq!(bytes, data, "certificate bytes are canonical");
        // The key of tests/vectors/evidence/ (seeds 21, 22), so corpus seeds get far.
        let log = SecretKeys::from_seeds(&[21; 32], &[22; 32]).public();
        let content = ContentDigest::of_bytes(data);
        let chain = ChainRef { chain_id: 31337, contract: [0xc0; 20] };
        let _ = c.verify(&content, &log, "vectors.example/evidence", None);
        let _ = c.verify(&content, &log, "vectors.example/evidence", Some(&chain));
        if let Ok(e) = c.event() {
            let digest = ContentDigest { sha256: e.digest, length: e.length };
            let _ = c.verify(&digest, &log, "vectors.example/evidence", Some(&chain));
        }
        let _ = c.anchor_receipt([0; 32]).map(|a| a.to_bytes());
    }
});
