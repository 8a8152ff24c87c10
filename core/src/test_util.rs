//! Deterministic randomness for unit tests.
#![allow(clippy::indexing_slicing)]

use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};

/// SHA-256 in counter mode: deterministic, for fixtures only.
pub(crate) struct TestRng {
    seed: u64,
    ctr: u64,
}

impl TestRng {
    pub(crate) fn new(seed: u64) -> Self {
        TestRng { seed, ctr: 0 }
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
            h.update(self.seed.to_le_bytes());
            h.update(self.ctr.to_le_bytes());
            self.ctr += 1;
            let d = h.finalize();
            chunk.copy_from_slice(&d[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for TestRng {}
