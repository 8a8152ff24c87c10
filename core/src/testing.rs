//! Test support, behind the `testing` cargo feature (off by default): deterministic randomness
//! and record fixtures shared by the core's unit tests, the integration tests and examples.
//!
//! **Never for real keys**: [`TestRng`] is a public, seeded counter. Enable it only in
//! dev-dependencies: `causeway = { path = "core", features = ["testing"] }`.
//!
//! ```
//! use causeway::party::SecretKeys;
//! use causeway::testing::{credit_record, TestRng};
//! let a = SecretKeys::generate_with_rng(&mut TestRng::new(7));
//! let b = SecretKeys::generate_with_rng(&mut TestRng::new(7));
//! assert_eq!(a.public(), b.public()); // the same seed, the same keys
//! assert_eq!(credit_record().schema(), "credit/v1");
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::record::{Record, Value};
use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};

/// SHA-256 in counter mode: block `i` is `SHA-256(prefix || (start + i) as u64 LE)`, each
/// request starting a new block. Deterministic, for fixtures and test vectors only.
#[derive(Clone, Debug)]
pub struct TestRng {
    prefix: Vec<u8>,
    ctr: u64,
}

impl TestRng {
    /// A generator seeded by a number (prefix: the seed as 8 bytes LE; counter from 0).
    pub fn new(seed: u64) -> Self {
        TestRng {
            prefix: seed.to_le_bytes().to_vec(),
            ctr: 0,
        }
    }

    /// A generator with a label prefix and a starting counter (the attestation vectors use
    /// `labelled(b"causeway/test-rng", 0)`).
    pub fn labelled(label: &[u8], start: u64) -> Self {
        TestRng {
            prefix: label.to_vec(),
            ctr: start,
        }
    }
}

impl RngCore for TestRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(32) {
            let mut h = Sha256::new();
            h.update(&self.prefix);
            h.update(self.ctr.to_le_bytes());
            self.ctr = self.ctr.wrapping_add(1);
            let d = h.finalize();
            chunk.copy_from_slice(d.get(..chunk.len()).unwrap_or_default());
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for TestRng {}

/// The credit-report fixture of the attestation tests (`credit/v1`): `score` 742, `limit`
/// 5000, `income` 85000.00, `dob` 1990-05-17, `name` "Alice Example", `verified` true: every
/// numeric kind (int, decimal, date) and a string and a bool.
pub fn credit_record() -> Record {
    Record::new("credit/v1")
        .unwrap()
        .with("score", Value::Int(742))
        .unwrap()
        .with("limit", Value::Int(5000))
        .unwrap()
        .with("income", Value::decimal("85000.00").unwrap())
        .unwrap()
        .with("dob", Value::date("1990-05-17").unwrap())
        .unwrap()
        .with("name", Value::String("Alice Example".into()))
        .unwrap()
        .with("verified", Value::Bool(true))
        .unwrap()
}

/// The smaller credit fixture of the core's unit tests (`credit/v1`): `score` 742, `income`
/// 85000.00, `dob` 1990-05-17, `name` "Alice".
pub fn small_credit_record() -> Record {
    Record::new("credit/v1")
        .unwrap()
        .with("score", Value::Int(742))
        .unwrap()
        .with("income", Value::decimal("85000.00").unwrap())
        .unwrap()
        .with("dob", Value::date("1990-05-17").unwrap())
        .unwrap()
        .with("name", Value::String("Alice".into()))
        .unwrap()
}
