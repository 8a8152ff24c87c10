//! The R1CS gadget for circomlib's Poseidon, mirroring [`super::hash`].
//!
//! It runs the textbook permutation of [`super::hash_reference`] over [`FpVar`]s: additions and
//! the MDS mixing are linear (no constraints); each S-box `x^5` costs 3 constraints
//! (`x² = x·x`, `x⁴ = x²·x²`, `x⁵ = x⁴·x`). The capacity element starts as the constant 0, so its
//! first S-box is computed on a constant and costs nothing.
//!
//! Cost for `n` inputs (`t = n + 1`, `P` partial rounds): `3·(8·t + P − 1)` constraints:
//!
//! | inputs | t | constraints |
//! |---|---|---|
//! | 1 | 2 | 213 |
//! | 2 | 3 | **240** (circomlib's `Poseidon(2)`: the floor for these parameters) |
//! | 4 | 5 | 297 |
//! | 8 | 9 | 402 |
//! | 16 | 17 | 609 |
//!
//! (pinned in the tests below).

use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::r1cs::SynthesisError;

use super::params;
use crate::Fr;

fn pow5(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// Poseidon of 1 to [`super::MAX_INPUTS`] field variables (t = `inputs.len() + 1`), equal to
/// [`super::hash`] on their values. Cost: see the module docs.
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let p = params(inputs.len()).map_err(|_| SynthesisError::Unsatisfiable)?;
    let mut state: Vec<FpVar<Fr>> = Vec::with_capacity(p.t);
    state.push(FpVar::zero());
    state.extend_from_slice(inputs);
    let half = p.full_rounds / 2;
    for (r, round_constants) in p.constants.chunks_exact(p.t).enumerate() {
        for (s, c) in state.iter_mut().zip(round_constants) {
            *s += *c;
        }
        if r < half || r >= half + p.partial_rounds {
            for s in state.iter_mut() {
                *s = pow5(s)?;
            }
        } else if let Some(s0) = state.first_mut() {
            *s0 = pow5(s0)?;
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
    use ark_ff::UniformRand;
    use ark_r1cs_std::alloc::AllocVar;
    use ark_r1cs_std::eq::EqGadget;
    use ark_r1cs_std::R1CSVar;
    use ark_relations::r1cs::ConstraintSystem;
    use proptest::prelude::*;

    fn run(inputs: &[Fr]) -> (Fr, usize) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars: Vec<FpVar<Fr>> = inputs
            .iter()
            .map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)).unwrap())
            .collect();
        let out = hash(&vars).unwrap();
        assert!(cs.is_satisfied().unwrap());
        (out.value().unwrap(), cs.num_constraints())
    }

    #[test]
    fn constraint_counts_are_pinned() {
        let expect = [(1usize, 213usize), (2, 240), (4, 297), (8, 402), (16, 609)];
        for (n, want) in expect {
            let xs: Vec<Fr> = (0..n as u64).map(Fr::from).collect();
            let (_, got) = run(&xs);
            assert_eq!(got, want, "{n} inputs");
        }
    }

    #[test]
    fn circomlib_vector() {
        // circomlibjs poseidon([1, 2])
        let (h, _) = run(&[Fr::from(1u64), Fr::from(2u64)]);
        assert_eq!(
            h.to_string(),
            "7853200120776062878684798364095072458815029376092732009249414926327459813530"
        );
    }

    #[test]
    fn wrong_output_is_unsatisfied() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let a = FpVar::new_witness(cs.clone(), || Ok(Fr::from(1u64))).unwrap();
        let b = FpVar::new_witness(cs.clone(), || Ok(Fr::from(2u64))).unwrap();
        let out = hash2(&a, &b).unwrap();
        let claimed = FpVar::new_input(cs.clone(), || Ok(Fr::from(3u64))).unwrap();
        out.enforce_equal(&claimed).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn gadget_agrees_with_native(n in 1usize..=16, seed in any::<u64>()) {
            use ark_std::rand::SeedableRng;
            let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(seed);
            let xs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let (h, _) = run(&xs);
            prop_assert_eq!(h, crate::poseidon::hash(&xs).unwrap());
        }
    }
}
