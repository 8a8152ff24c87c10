//! Shared test helpers: a deterministic RNG and error classes for the sealed-object testkit.

use causeway::error::{DecodeError, OpenError};
use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};

/// A deterministic RNG for fixtures: SHA-256 in counter mode over a label.
/// Only for generating reproducible test vectors: never for real keys.
#[derive(Clone, Debug)]
pub struct DetRng {
    seed: [u8; 32],
    counter: u64,
    buf: [u8; 32],
    pos: usize,
}

impl DetRng {
    /// A generator seeded by `label`.
    pub fn new(label: &str) -> Self {
        DetRng {
            seed: Sha256::digest(label.as_bytes()).into(),
            counter: 0,
            buf: [0; 32],
            pos: 32,
        }
    }

    fn refill(&mut self) {
        let mut h = Sha256::new();
        h.update(self.seed);
        h.update(self.counter.to_be_bytes());
        self.buf = h.finalize().into();
        self.counter += 1;
        self.pos = 0;
    }
}

impl RngCore for DetRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_be_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_be_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for d in dest.iter_mut() {
            if self.pos == self.buf.len() {
                self.refill();
            }
            *d = self.buf[self.pos];
            self.pos += 1;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for DetRng {}

/// The testkit's name for a decoding error: core's stable code (`decode.<variant>`).
pub fn decode_class(e: &DecodeError) -> String {
    e.code().to_owned()
}

/// The testkit's name for an error from opening a sealed object: core's stable code
/// (`decrypt`, `not_a_recipient`, `io`, `decode.*`).
pub fn open_class(e: &OpenError) -> String {
    e.code().to_owned()
}

/// Every error class a vector may name (each is one of core's codes, `causeway::error::CODES`).
pub const ERROR_CLASSES: &[&str] = &[
    "decrypt",
    "not_a_recipient",
    "io",
    "decode.truncated",
    "decode.trailing_data",
    "decode.bad_magic",
    "decode.unsupported_version",
    "decode.unexpected_tag",
    "decode.too_long",
    "decode.invalid_utf8",
    "decode.invalid_base64",
    "decode.invalid_text",
    "decode.invalid",
    "decode.json",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vector_class_is_a_core_code() {
        for class in ERROR_CLASSES {
            assert!(
                causeway::error::CODES.iter().any(|(c, _)| c == class),
                "{class} is not one of core's error codes"
            );
        }
    }
}
