//! Provenance bundles (tag 0x52): decoding, canonical re-encoding, and verification against
//! the golden vectors' log key, origin and trust policy (so that mutations of the committed
//! corpus reach the chain, trust and anchor checks).
#![no_main]

use causeway::party::{PublicKeys, SecretKeys};
use causeway::trace::{ProvenanceBundle, TrustPolicy};
use libfuzzer_sys::fuzz_target;

const ORIGIN: &str = "dairy-coop.example/trace";

fn key(seed: u8) -> PublicKeys {
    SecretKeys::from_seeds(&[seed; 32], &[seed.wrapping_add(0x40); 32]).public()
}

fn policy() -> TrustPolicy {
    let mut p = TrustPolicy::new();
    for (i, (name, step)) in [("farm", "produced"), ("lab", "inspected"), ("carrier", "shipped"), ("shop", "received")]
        .into_iter()
        .enumerate()
    {
        p.add_party(name, key(i as u8 + 2)).expect("party");
        p.allow(step, name).expect("step");
    }
    p.allow("sold", "shop").expect("step");
    p
}

fuzz_target!(|data: &[u8]| {
    let Ok(bundle) = ProvenanceBundle::from_bytes(data) else {
        return;
    };
    let bytes = bundle.to_bytes().expect("a decoded bundle encodes");
    assert_eq!(bytes, data, "provenance bundle bytes are canonical");
    let policy = policy();
    if let Ok(v) = bundle.verify(&key(1), ORIGIN, &policy, None) {
        assert_eq!(v.events.len(), bundle.events().len());
        for (i, e) in v.events.iter().enumerate() {
            assert_eq!(e.seq as usize, i);
        }
        let _ = v.timeline_text();
        let _ = v.to_json();
    }
    let _ = bundle.verify(&key(1), "other.example/trace", &TrustPolicy::new(), Some("x"));
});
