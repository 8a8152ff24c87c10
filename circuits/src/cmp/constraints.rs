//! R1CS comparisons on signed 64-bit values (see the [parent module](super) for the encoding).
//!
//! | gadget | constraints |
//! |---|---|
//! | [`enforce_bits`] `(n)` | `n + 1` (n booleans, one packing equality) |
//! | [`enforce_i64`] | 65 |
//! | [`enforce_le`] `a ≤ b` | 65 |
//! | [`enforce_in_range`] `lo ≤ v ≤ hi` | 130 |
//! | [`enforce_not_equal_if`] | 2 (one boolean, one product) |

use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::R1CSVar;
use ark_relations::r1cs::SynthesisError;

use crate::Fr;

/// `2^63` as a field element.
pub fn two_pow_63() -> Fr {
    Fr::from(1u64 << 63)
}

/// Enforces `x < 2^n` (`n ≤ 250`) by allocating its `n` low bits as witnesses and packing them
/// back: `n + 1` constraints. With a value `≥ 2^n` no witness satisfies it.
pub fn enforce_bits(x: &FpVar<Fr>, n: usize) -> Result<(), SynthesisError> {
    if n > 250 {
        return Err(SynthesisError::Unsatisfiable);
    }
    let cs = x.cs();
    let value = x.value().ok();
    let bits_le = value.map(|v| v.into_bigint().to_bits_le());
    let mut packed = FpVar::<Fr>::zero();
    let mut coeff = Fr::from(1u64);
    for i in 0..n {
        let b = bits_le
            .as_ref()
            .map(|bits| bits.get(i).copied().unwrap_or(false));
        let bit = if cs.is_none() {
            Boolean::constant(b.unwrap_or(false))
        } else {
            Boolean::new_witness(cs.clone(), || b.ok_or(SynthesisError::AssignmentMissing))?
        };
        packed += FpVar::from(bit) * coeff;
        coeff = coeff + coeff;
    }
    packed.enforce_equal(x)
}

/// Enforces that `x` is a signed 64-bit value: `x + 2^63 < 2^64` (65 constraints).
pub fn enforce_i64(x: &FpVar<Fr>) -> Result<(), SynthesisError> {
    enforce_bits(&(x + two_pow_63()), 64)
}

/// Enforces `a ≤ b` for signed 64-bit `a`, `b`: `b − a < 2^64` (65 constraints). Both operands
/// must be known to be signed 64-bit values (range-checked, or fixed by the verifier).
pub fn enforce_le(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<(), SynthesisError> {
    enforce_bits(&(b - a), 64)
}

/// Enforces `lo ≤ v ≤ hi` (130 constraints). If `lo` and `hi` are signed 64-bit values this
/// also proves that `v` is one.
pub fn enforce_in_range(
    v: &FpVar<Fr>,
    lo: &FpVar<Fr>,
    hi: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    enforce_le(lo, v)?;
    enforce_le(v, hi)
}

/// Enforces `v ≠ c` when `active` is true (and nothing when false): `(v − c) · inv = active`
/// (1 constraint; `active` must already be boolean-constrained).
pub fn enforce_not_equal_if(
    v: &FpVar<Fr>,
    c: &FpVar<Fr>,
    active: &Boolean<Fr>,
) -> Result<(), SynthesisError> {
    let diff = v - c;
    let cs = diff.cs().or(active.cs());
    let inv_value = || -> Result<Fr, SynthesisError> {
        let d = diff.value()?;
        let a = active.value()?;
        Ok(if a {
            ark_ff::Field::inverse(&d).unwrap_or_default()
        } else {
            Fr::from(0u64)
        })
    };
    let inv = if cs.is_none() {
        FpVar::Constant(inv_value()?)
    } else {
        FpVar::new_witness(cs, inv_value)?
    };
    diff.mul_equals(&inv, &FpVar::from(active.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::fr_from_i64;
    use ark_relations::r1cs::ConstraintSystem;
    use proptest::prelude::*;

    fn range(v: i64, lo: i64, hi: i64) -> (bool, usize) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let w = |x: i64| FpVar::new_witness(cs.clone(), || Ok(fr_from_i64(x))).unwrap();
        let (vv, l, h) = (w(v), w(lo), w(hi));
        enforce_in_range(&vv, &l, &h).unwrap();
        (cs.is_satisfied().unwrap(), cs.num_constraints())
    }

    #[test]
    fn boundaries() {
        for (lo, hi) in [
            (-5i64, 5i64),
            (i64::MIN, i64::MAX),
            (0, 0),
            (i64::MIN, i64::MIN + 1),
            (i64::MAX - 1, i64::MAX),
        ] {
            for v in [
                lo,
                hi,
                lo.wrapping_sub(1),
                hi.wrapping_add(1),
                0,
                i64::MIN,
                i64::MAX,
            ] {
                assert_eq!(
                    range(v, lo, hi).0,
                    in_range_native(v, lo, hi),
                    "{v} in [{lo}, {hi}]"
                );
            }
        }
        assert_eq!(range(0, -1, 1).1, 130);
    }

    fn in_range_native(v: i64, lo: i64, hi: i64) -> bool {
        super::super::in_range(v, lo, hi)
    }

    #[test]
    fn i64_check() {
        for (x, ok) in [
            (fr_from_i64(i64::MIN), true),
            (fr_from_i64(i64::MAX), true),
            (fr_from_i64(i64::MAX) + Fr::from(1u64), false),
            (fr_from_i64(i64::MIN) - Fr::from(1u64), false),
        ] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let v = FpVar::new_witness(cs.clone(), || Ok(x)).unwrap();
            enforce_i64(&v).unwrap();
            assert_eq!(cs.is_satisfied().unwrap(), ok);
            assert_eq!(cs.num_constraints(), 65);
        }
    }

    #[test]
    fn not_equal() {
        for (v, c, active, ok) in [
            (3i64, 4i64, true, true),
            (4, 4, true, false),
            (4, 4, false, true),
            (3, 4, false, true),
        ] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let vv = FpVar::new_witness(cs.clone(), || Ok(fr_from_i64(v))).unwrap();
            let cc = FpVar::new_witness(cs.clone(), || Ok(fr_from_i64(c))).unwrap();
            let a = Boolean::new_witness(cs.clone(), || Ok(active)).unwrap();
            enforce_not_equal_if(&vv, &cc, &a).unwrap();
            assert_eq!(cs.is_satisfied().unwrap(), ok, "{v} != {c} ({active})");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn gadget_agrees_with_native(v in any::<i64>(), a in any::<i64>(), b in any::<i64>()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert_eq!(range(v, lo, hi).0, in_range_native(v, lo, hi));
            prop_assert_eq!(range(lo, lo, hi).0, true);
        }
    }
}
