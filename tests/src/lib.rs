//! Cross-crate integration tests live in `tests/`; shared vectors in `vectors/`.
//!
//! This library holds helpers the tests share: a deterministic RNG
//! for reproducible fixtures and the mapping from Causeway errors to the error classes named in
//! `vectors/sealed/*.json` (see `vectors/README.md`).

pub mod testkit;

/// This crate's folder (where `vectors/` lives), as cargo gives it to the running test
/// (`CARGO_MANIFEST_DIR` in the process's environment), falling back to where it was compiled.
///
/// Not `env!("CARGO_MANIFEST_DIR")` alone: CI reuses test binaries built in an earlier clone at
/// another path (decision 0109), and that clone may be gone.
pub fn crate_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
