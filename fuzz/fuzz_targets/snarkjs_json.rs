//! snarkjs JSON: verification keys, proofs and public signals.
#![no_main]

use causeway::snark as json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(t) = core::str::from_utf8(data) else {
        return;
    };
    let _ = json::public_from_snarkjs_json(t);
    if let Ok(vk) = json::vk_from_snarkjs_json(t) {
        let again = json::vk_from_snarkjs_json(&json::vk_to_snarkjs_json(&vk))
            .expect("re-exported verification key parses");
        assert_eq!(again, vk);
        let _ = json::proof_from_snarkjs_json(t, &vk);
    }
});
