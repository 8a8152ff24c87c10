//! Shared fixture for the groth16_* tests: an issuer, a company that holds the attestations,
//! and terms for the company that are valid at any time.
#![allow(dead_code, clippy::unwrap_used)]

use causeway::attest::Terms;
use causeway::party::SecretKeys;

/// A fresh issuer and company (keys from the OS) and terms with the company as subject, valid
/// from 0 to `u64::MAX`.
pub fn parties() -> (SecretKeys, SecretKeys, Terms) {
    let issuer = SecretKeys::generate().unwrap();
    let company = SecretKeys::generate().unwrap();
    let terms = Terms {
        subject: company.public().key_id(),
        not_before: 0,
        not_after: u64::MAX,
    };
    (issuer, company, terms)
}
