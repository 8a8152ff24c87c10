//! Shared helpers for the anvil-backed contract tests (verifier_evm, trade_finance_evm).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// `contracts/` (or `$CAUSEWAY_CONTRACTS_DIR`, which scripts/suites/50-evm.sh sets).
pub fn contracts_dir() -> PathBuf {
    std::env::var("CAUSEWAY_CONTRACTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| causeway_tests::crate_dir().join("../contracts"))
}

/// Compiles `source` with `contracts/build.mjs --file` and returns the artifact JSON.
pub fn compile(name: &str, source: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let sol = dir.path().join(format!("{name}.sol"));
    std::fs::write(&sol, source).unwrap();
    let out = dir.path().join("out");
    let status = Command::new("node")
        .arg(contracts_dir().join("build.mjs"))
        .arg("--file")
        .arg(&sol)
        .arg("--out")
        .arg(&out)
        .status()
        .expect("node is needed (scripts/suites/50-evm.sh installs solc-js)");
    assert!(status.success(), "solc failed on the generated verifier");
    std::fs::read_to_string(out.join(format!("{name}.json"))).unwrap()
}

/// The anvil node the suite started.
pub fn url() -> String {
    std::env::var("CAUSEWAY_ANVIL_URL").unwrap_or_else(|_| {
        panic!(
            "CAUSEWAY_ANVIL_URL is not set: these tests need anvil; run scripts/suites/50-evm.sh"
        )
    })
}
