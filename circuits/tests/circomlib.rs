//! Cross-check against circomlibjs (npm), run by `scripts/suites/30-poseidon-circomlib.sh`, which
//! computes the vectors with circomlibjs each time and points `CAUSEWAY_CIRCOMLIB_VECTORS` at
//! them. Ignored in plain `cargo test` (it needs Node); with `--ignored` a missing or short file
//! fails.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use causeway_circuits::field::{fr_from_be_bytes_canonical, fr_to_be_bytes};
use causeway_circuits::poseidon;
use causeway_circuits::Fr;
use std::path::PathBuf;

fn parse(s: &str) -> Fr {
    let digits = s.strip_prefix("0x").expect("0x prefix");
    let bytes: [u8; 32] = hex::decode(digits)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    fr_from_be_bytes_canonical(&bytes).expect("canonical")
}

#[test]
#[ignore = "needs vectors from circomlibjs: run scripts/suites/30-poseidon-circomlib.sh"]
fn poseidon_equals_circomlibjs() {
    let path = std::env::var_os("CAUSEWAY_CIRCOMLIB_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_MANIFEST_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
                .join("../target/interop/circomlib-poseidon.json")
        });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("circomlibjs vectors missing at {}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("vectors are JSON");
    let cases = json["cases"].as_array().expect("cases array");
    // 16 widths x 11 input sets; fewer means the generator did not run fully.
    assert!(cases.len() >= 16 * 11, "only {} vectors", cases.len());
    let mut widths = [0usize; poseidon::MAX_INPUTS + 1];
    for (i, case) in cases.iter().enumerate() {
        let inputs: Vec<Fr> = case["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .map(|v| parse(v.as_str().expect("hex string")))
            .collect();
        let expected = parse(case["output"].as_str().expect("output"));
        let ours = poseidon::hash(&inputs).expect("supported width");
        assert_eq!(
            hex::encode(fr_to_be_bytes(&ours)),
            hex::encode(fr_to_be_bytes(&expected)),
            "case {i} ({} inputs)",
            inputs.len()
        );
        assert_eq!(
            poseidon::hash_reference(&inputs).unwrap(),
            expected,
            "reference, case {i}"
        );
        if let [a, b] = inputs[..] {
            assert_eq!(poseidon::hash2(a, b), expected, "hash2, case {i}");
        }
        widths[inputs.len()] += 1;
    }
    assert!(
        widths[1..].iter().all(|&n| n > 0),
        "every width 1..=16 covered: {widths:?}"
    );
    println!("{} circomlibjs vectors equal", cases.len());
}
