//! Cross-crate integration tests live in `tests/`; shared vectors in `vectors/`.
