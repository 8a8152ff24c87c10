//! Shared by the fuzz targets: fixed keys (the fuzzer's input decides everything else).

use causeway::party::{Party, SecretKeys};

#[allow(dead_code)]
/// A fixed party, so targets that open or verify have someone to do it as.
pub fn party() -> Party {
    Party::from_keys(SecretKeys::from_seeds(&[7u8; 32], &[9u8; 32]))
}

/// The input as text when it is UTF-8.
#[allow(dead_code)]
pub fn text(data: &[u8]) -> Option<&str> {
    core::str::from_utf8(data).ok()
}
