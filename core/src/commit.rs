//! Commitments to field values.
//!
//! Numeric fields (int, decimal, date) are committed as signed 64-bit integers with Pedersen
//! commitments over Ristretto ([`RangeCommitment`]), which the Bulletproofs back-end
//! ([`crate::range`]) proves statements about.

use crate::error::DecodeError;
use bulletproofs::PedersenGens;
use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::scalar::Scalar;
use std::sync::OnceLock;

/// The Pedersen generators of every [`RangeCommitment`]: `bulletproofs::PedersenGens::default()`
/// (`B` = the Ristretto basepoint, `B_blinding` = SHA3-512 hash-to-group of `B`).
pub(crate) fn pedersen_gens() -> &'static PedersenGens {
    static GENS: OnceLock<PedersenGens> = OnceLock::new();
    GENS.get_or_init(PedersenGens::default)
}

/// The scalar for a signed 64-bit value: `v` for `v ≥ 0`, `ℓ − |v|` for `v < 0`.
pub(crate) fn scalar_from_i64(v: i64) -> Scalar {
    let s = Scalar::from(v.unsigned_abs());
    if v < 0 {
        -s
    } else {
        s
    }
}

/// A Pedersen commitment `v·B + r·B_blinding` over Ristretto to a signed 64-bit value `v` with
/// blinding `r` (generators of `bulletproofs::PedersenGens::default()`).
///
/// Hiding and binding; a valid value of this type always holds a point that decompresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RangeCommitment(CompressedRistretto);

impl RangeCommitment {
    /// Commits to `value` with `blinding`.
    pub fn commit(value: i64, blinding: &Scalar) -> Self {
        let point = pedersen_gens().commit(scalar_from_i64(value), *blinding);
        RangeCommitment(point.compress())
    }

    /// Reads a commitment from its 32 bytes; refuses bytes that are not a canonical Ristretto
    /// encoding.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, DecodeError> {
        let c = CompressedRistretto(*bytes);
        match c.decompress() {
            Some(_) => Ok(RangeCommitment(c)),
            None => Err(DecodeError::Invalid {
                what: "range commitment point",
            }),
        }
    }

    /// The 32 bytes of the compressed point.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The compressed point.
    pub fn as_compressed(&self) -> &CompressedRistretto {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitment_round_trip_and_homomorphism() {
        let r = Scalar::from(7u64);
        let c = RangeCommitment::commit(-5, &r);
        assert_eq!(RangeCommitment::from_bytes(&c.to_bytes()).unwrap(), c);
        // -5 + 5 = 0: C(-5, r) + 5·B = C(0, r)
        let sum = c.as_compressed().decompress().unwrap()
            + curve25519_dalek::RistrettoPoint::mul_base(&Scalar::from(5u64));
        assert_eq!(
            sum.compress(),
            *RangeCommitment::commit(0, &r).as_compressed()
        );
        assert!(RangeCommitment::from_bytes(&[0xff; 32]).is_err());
    }
}
