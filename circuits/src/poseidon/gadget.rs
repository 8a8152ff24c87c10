//! The Poseidon R1CS gadget, mirror of [`super::hash`]: same parameters, same outputs.
//!
//! Linear layers and constant additions are free in R1CS (linear combinations), so the gadget
//! follows the textbook form: each S-box on a variable costs three constraints
//! (`x2 = x*x`, `x4 = x2*x2`, `x5 = x4*x`), an S-box on a constant none. With circomlib's
//! parameters and the zero first state element that is `3 * (8 t - 1 + R_P)` constraints,
//! 240 for t = 3 (two inputs).

use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::r1cs::SynthesisError;

use super::params;
use crate::Fr;

fn sbox(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// Poseidon of 1 to [`super::MAX_INPUTS`] field variables (t = `inputs.len() + 1`); any other
/// count is refused with `SynthesisError::Unsatisfiable`.
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let p = params(inputs.len()).map_err(|_| SynthesisError::Unsatisfiable)?;
    let mut state: Vec<FpVar<Fr>> = Vec::with_capacity(p.t);
    state.push(FpVar::zero());
    state.extend(inputs.iter().cloned());
    let half = p.full_rounds / 2;
    for (r, round_constants) in p.constants.chunks_exact(p.t).enumerate() {
        for (s, c) in state.iter_mut().zip(round_constants) {
            *s += *c;
        }
        if r < half || r >= half + p.partial_rounds {
            for s in state.iter_mut() {
                *s = sbox(s)?;
            }
        } else if let Some(s0) = state.first_mut() {
            *s0 = sbox(s0)?;
        }
        state = p
            .mds
            .chunks_exact(p.t)
            .map(|row| {
                row.iter()
                    .zip(&state)
                    .fold(FpVar::zero(), |acc, (m, s)| acc + s * *m)
            })
            .collect();
    }
    state
        .into_iter()
        .next()
        .ok_or(SynthesisError::Unsatisfiable)
}

/// Poseidon of two variables (t = 3, 240 constraints): the Merkle node hash.
pub fn hash2(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    hash(&[a.clone(), b.clone()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poseidon;
    use ark_r1cs_std::prelude::*;
    use ark_relations::r1cs::ConstraintSystem;
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;
    use proptest::prelude::*;

    fn synthesize(inputs: &[Fr]) -> (Fr, usize, bool) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars: Vec<FpVar<Fr>> = inputs
            .iter()
            .map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)).unwrap())
            .collect();
        let out = hash(&vars).unwrap();
        (
            out.value().unwrap(),
            cs.num_constraints(),
            cs.is_satisfied().unwrap(),
        )
    }

    #[test]
    fn t3_costs_240_constraints_and_matches_circomlib() {
        let (out, n, ok) = synthesize(&[Fr::from(1u64), Fr::from(2u64)]);
        assert_eq!(n, 240);
        assert!(ok);
        assert_eq!(
            hex::encode(crate::field::fr_to_be_bytes(&out)),
            "115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a"
        );
    }

    #[test]
    fn constraint_counts_per_width_are_pinned() {
        // 3 * (8 t - 1 + R_P): every S-box on a variable, none on the constant first element of
        // the first round.
        for n in 1..=poseidon::MAX_INPUTS {
            let t = n + 1;
            let rp = poseidon::PARTIAL_ROUNDS[n - 1];
            let (_, count, ok) = synthesize(&vec![Fr::from(3u64); n]);
            assert_eq!(count, 3 * (8 * t - 1 + rp), "t={t}");
            assert!(ok);
        }
        assert_eq!(synthesize(&[Fr::from(0u64); 4]).1, 3 * (8 * 5 - 1 + 60));
    }

    #[test]
    fn constants_cost_nothing_and_counts_are_refused() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let out = hash(&[
            FpVar::constant(Fr::from(1u64)),
            FpVar::constant(Fr::from(2u64)),
        ])
        .unwrap();
        assert_eq!(cs.num_constraints(), 0);
        assert_eq!(
            out.value().unwrap(),
            poseidon::hash2(Fr::from(1u64), Fr::from(2u64))
        );
        assert!(hash(&[]).is_err());
        assert!(hash(&vec![FpVar::zero(); 17]).is_err());
    }

    #[test]
    fn wrong_output_is_unsatisfiable() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let a = FpVar::new_witness(cs.clone(), || Ok(Fr::from(1u64))).unwrap();
        let b = FpVar::new_witness(cs.clone(), || Ok(Fr::from(2u64))).unwrap();
        let claimed = FpVar::new_input(cs.clone(), || {
            Ok(poseidon::hash2(Fr::from(1u64), Fr::from(2u64)) + Fr::from(1u64))
        })
        .unwrap();
        hash2(&a, &b).unwrap().enforce_equal(&claimed).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn gadget_agrees_with_native(n in 1..=poseidon::MAX_INPUTS, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let inputs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let (out, _, ok) = synthesize(&inputs);
            prop_assert!(ok);
            prop_assert_eq!(out, poseidon::hash(&inputs).unwrap());
        }
    }
}
