//! The bottom of the prove path: the two proof back-ends ([`Backend`]) and the verifier's
//! [`Challenge`] that every proof binds (DESIGN.md: a **proof** is evidence for a statement,
//! with two back-ends and one meaning).
//!
//! This module imports nothing from the rest of the crate, so that [`crate::error`] can name a
//! [`Backend`] in its variants and [`crate::statement`], [`crate::presentation`] and
//! [`crate::snark`] can share these types without importing each other (decision 0045). The
//! old paths `statement::Backend` and `presentation::Challenge` re-export them. The fallible
//! constructors of [`Challenge`] ([`Challenge::from_hex`], [`Challenge::from_bytes`],
//! [`Challenge::random`]) are written in [`crate::presentation`], next to the error types they
//! return.
//!
//! ```
//! use causeway::proof::{Backend, Challenge};
//!
//! let backend: Backend = "groth16".parse()?;
//! assert_eq!(backend, Backend::Groth16);
//! assert_eq!(backend.to_string(), "groth16");
//! let challenge = Challenge::from_hex("00112233445566778899aabbccddeeff")?;
//! assert_eq!(challenge.as_bytes().len(), 16);
//! # Ok::<(), causeway::error::DecodeError>(())
//! ```

use core::fmt;
use rand_core::{CryptoRng, RngCore};

/// Shortest challenge accepted (bytes).
pub const MIN_CHALLENGE_LEN: usize = 16;
/// Longest challenge accepted (bytes).
pub const MAX_CHALLENGE_LEN: usize = 64;

/// The proof system a statement is proven with: one statement, either way.
///
/// | statement | Bulletproofs | Groth16 |
/// |---|---|---|
/// | range, `≥`, `≤`, `>`, `<` on one field | aggregated range proof | `attribute` circuit |
/// | `=`, `≠` on one field | Schnorr proofs | `attribute` circuit |
/// | `sum ≥ t`, `sum > t` over k attestations | Pedersen sum + range proof | `sum:k` circuit |
/// | `sum ≤ t`, sum in a range, `sum = t`, `sum ≠ t` | yes | refused (`ProveError::Unsupported`) |
/// | membership in a Poseidon Merkle tree | refused | `membership:D[:nullifier]` circuit |
///
/// Bulletproofs need no setup and prove on the attestation's Pedersen commitments; Groth16
/// proves on its Poseidon root with keys from a trusted setup (`snark::KeyRing`):
/// 164-byte proofs that verify in about a millisecond and on an EVM chain.
///
/// Text form (`Display` / `FromStr`): `bulletproofs`, `groth16`, the same words as the CLI's
/// `--backend`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// Bulletproofs and sigma proofs over Ristretto (no trusted setup).
    Bulletproofs,
    /// Groth16 over BN254 (per-circuit trusted setup).
    Groth16,
}

impl Backend {
    /// Every back-end, in the order the CLI lists them.
    pub const ALL: [Backend; 2] = [Backend::Bulletproofs, Backend::Groth16];

    /// The text form (`bulletproofs`, `groth16`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Backend::Bulletproofs => "bulletproofs",
            Backend::Groth16 => "groth16",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verifier's fresh random challenge (16 to 64 bytes). Issue a new one per presentation
/// or membership proof: every proof binds it, so a proof made for one challenge does not
/// verify under another (no replay).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Challenge(pub(crate) Vec<u8>);

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Challenge({})", hex::encode(&self.0))
    }
}

impl fmt::Display for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl Challenge {
    /// 32 random bytes from `rng`.
    pub fn random_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut b = vec![0u8; 32];
        rng.fill_bytes(&mut b);
        Challenge(b)
    }
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}
