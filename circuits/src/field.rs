//! Strict encodings of BN254 scalar-field elements at the boundary.

use ark_ff::{BigInt, PrimeField};

use crate::{FieldError, Fr};

/// Decodes a big-endian 32-byte integer as a field element, refusing any value `>= r`
/// (it never reduces).
pub fn fr_from_be_bytes_canonical(b: &[u8; 32]) -> Result<Fr, FieldError> {
    let mut limbs = [0u64; 4];
    // limbs are little-endian: limb 0 holds the last 8 bytes.
    for (limb, chunk) in limbs.iter_mut().rev().zip(b.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    Fr::from_bigint(BigInt::new(limbs)).ok_or(FieldError::NonCanonical)
}

/// Encodes a field element as its canonical big-endian 32-byte integer.
pub fn fr_to_be_bytes(x: &Fr) -> [u8; 32] {
    let limbs = x.into_bigint().0;
    let mut out = [0u8; 32];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(limbs.iter().rev()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// Maps a signed 64-bit integer into the field; negative values map to `r - |v|`.
pub fn fr_from_i64(v: i64) -> Fr {
    let magnitude = Fr::from(v.unsigned_abs());
    if v < 0 {
        -magnitude
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{Field, One, Zero};
    use proptest::prelude::*;

    /// r, the BN254 scalar field modulus, big-endian.
    fn modulus_be() -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, limb) in out.chunks_exact_mut(8).zip(Fr::MODULUS.0.iter().rev()) {
            chunk.copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    fn add_small(be: [u8; 32], k: u8) -> [u8; 32] {
        let mut out = be;
        let mut carry = u16::from(k);
        for byte in out.iter_mut().rev() {
            let s = u16::from(*byte) + carry;
            *byte = (s & 0xff) as u8;
            carry = s >> 8;
        }
        out
    }

    #[test]
    fn modulus_constant_is_bn254_r() {
        assert_eq!(
            hex::encode(modulus_be()),
            "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001"
        );
    }

    #[test]
    fn refuses_r_and_above_accepts_r_minus_one() {
        let r = modulus_be();
        assert_eq!(
            fr_from_be_bytes_canonical(&r),
            Err(FieldError::NonCanonical)
        );
        assert_eq!(
            fr_from_be_bytes_canonical(&add_small(r, 1)),
            Err(FieldError::NonCanonical)
        );
        assert_eq!(
            fr_from_be_bytes_canonical(&[0xff; 32]),
            Err(FieldError::NonCanonical)
        );
        let mut r_minus_1 = r;
        r_minus_1[31] -= 1;
        let x = fr_from_be_bytes_canonical(&r_minus_1).unwrap();
        assert_eq!(x, -Fr::one());
        assert_eq!(fr_to_be_bytes(&x), r_minus_1);
        assert_eq!(fr_from_be_bytes_canonical(&[0; 32]).unwrap(), Fr::zero());
    }

    #[test]
    fn i64_mapping() {
        assert_eq!(fr_from_i64(0), Fr::zero());
        assert_eq!(fr_from_i64(-1), -Fr::one());
        assert_eq!(fr_from_i64(i64::MIN) + Fr::from(1u64 << 63), Fr::zero());
        assert_eq!(fr_from_i64(i64::MAX), Fr::from(i64::MAX as u64));
        assert_eq!(fr_from_i64(-5) + Fr::from(5u64), Fr::zero());
        assert_eq!(fr_from_i64(2).square(), Fr::from(4u64));
    }

    proptest! {
        #[test]
        fn round_trip_and_strictness(bytes in proptest::array::uniform32(any::<u8>())) {
            let below = {
                let mut b = bytes;
                b[0] &= 0x2f; // < 0x30 in the top byte: always below r
                b
            };
            let x = fr_from_be_bytes_canonical(&below).unwrap();
            prop_assert_eq!(fr_to_be_bytes(&x), below);
            // Any input decodes iff it is numerically below r, and then round-trips exactly.
            match fr_from_be_bytes_canonical(&bytes) {
                Ok(y) => { prop_assert!(bytes < modulus_be()); prop_assert_eq!(fr_to_be_bytes(&y), bytes); }
                Err(_) => prop_assert!(bytes >= modulus_be()),
            }
        }

        #[test]
        fn i64_is_a_ring_hom(a in any::<i32>(), b in any::<i32>()) {
            let (a, b) = (i64::from(a), i64::from(b));
            prop_assert_eq!(fr_from_i64(a) + fr_from_i64(b), fr_from_i64(a + b));
            prop_assert_eq!(fr_from_i64(a) * fr_from_i64(b), fr_from_i64(a * b));
        }
    }
}
