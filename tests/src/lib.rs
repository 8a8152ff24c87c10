//! Cross-crate integration tests live in `tests/`; shared vectors in `vectors/`.
//!
//! This library holds helpers the tests share: a deterministic RNG
//! for reproducible fixtures and the mapping from Causeway errors to the error classes named in
//! `vectors/sealed/*.json` (see `vectors/README.md`).

pub mod testkit;
