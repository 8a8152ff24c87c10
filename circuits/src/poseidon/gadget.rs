//! The Poseidon R1CS gadget, mirror of [`super::hash`]: same parameters, same outputs.
//!
//! Linear layers and constant additions are free in R1CS (linear combinations), so the gadget
//! follows the textbook form: each S-box on a variable costs three constraints
//! (`x2 = x*x`, `x4 = x2*x2`, `x5 = x4*x`), an S-box on a constant none. With circomlib's
//! parameters and the zero first state element that is `3 * (8 t - 1 + R_P)` constraints,
//! 240 for t = 3 (two inputs).

use ark_ff::Zero;
use ark_r1cs_std::fields::fp::{AllocatedFp, FpVar};
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::R1CSVar;
use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable};

use super::{params, Params};
use crate::Fr;

fn sbox(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// Poseidon of 1 to [`super::MAX_INPUTS`] field variables (t = `inputs.len() + 1`); any other
/// count is refused with `SynthesisError::Unsatisfiable`.
///
/// When the constraint system only assigns a witness (prove mode without matrices: the prover
/// holds the key's matrices already, decision 0082), the rounds are evaluated natively and only
/// the S-box witnesses are allocated ([`hash_witness_only`]); otherwise every operation goes
/// through the field gadgets. Both allocate the same witnesses in the same order and count the
/// same constraints, so the assignment is the same (tested against each other).
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let p = params(inputs.len()).map_err(|_| SynthesisError::Unsatisfiable)?;
    let cs = inputs.cs();
    if witness_only(&cs) {
        return hash_witness_only(p, inputs, &cs);
    }
    hash_symbolic(p, inputs)
}

/// True when `cs` records no constraints, only the assignment (and is a real system).
pub(crate) fn witness_only(cs: &ConstraintSystemRef<Fr>) -> bool {
    !cs.is_none() && !cs.is_in_setup_mode() && !cs.should_construct_matrices()
}

/// The rounds on values: the textbook permutation of [`super::hash_reference`], allocating
/// `x^2`, `x^4`, `x^5` for every S-box on a non-constant element in the gadget's order and
/// counting its three constraints (their linear combinations are not recorded in this mode).
/// The output is one linear combination of the last round's `x^5` witnesses.
fn hash_witness_only(
    p: &Params,
    inputs: &[FpVar<Fr>],
    cs: &ConstraintSystemRef<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    let t = p.t;
    let mut val: Vec<Fr> = Vec::with_capacity(t);
    let mut is_var: Vec<bool> = Vec::with_capacity(t);
    val.push(Fr::zero());
    is_var.push(false);
    for x in inputs {
        val.push(x.value()?);
        is_var.push(matches!(x, FpVar::Var(_)));
    }
    // The x^5 witness of each element's latest S-box.
    let mut fifth: Vec<Variable> = vec![Variable::Zero; t];
    let mut next: Vec<Fr> = vec![Fr::zero(); t];
    let half = p.full_rounds / 2;
    let alloc = |v: Fr| -> Result<Variable, SynthesisError> {
        let var = cs.new_witness_variable(|| Ok(v))?;
        cs.enforce_constraint(lc!(), lc!(), lc!())?;
        Ok(var)
    };
    for (r, round_constants) in p.constants.chunks_exact(t).enumerate() {
        for (s, c) in val.iter_mut().zip(round_constants) {
            *s += c;
        }
        let boxed = if r < half || r >= half + p.partial_rounds {
            t
        } else {
            1
        };
        for ((s, &v), f) in val.iter_mut().zip(&is_var).zip(&mut fifth).take(boxed) {
            let x = *s;
            let x2 = x * x;
            let x4 = x2 * x2;
            let x5 = x4 * x;
            if v {
                alloc(x2)?;
                alloc(x4)?;
                *f = alloc(x5)?;
            }
            *s = x5;
        }
        for (row, n) in p.mds.chunks_exact(t).zip(&mut next) {
            *n = row.iter().zip(&val).map(|(m, s)| *m * s).sum();
        }
        core::mem::swap(&mut val, &mut next);
        let any = is_var.iter().any(|&v| v);
        is_var.iter_mut().for_each(|v| *v = any);
    }
    let out = val.first().copied().ok_or(SynthesisError::Unsatisfiable)?;
    if !is_var.first().copied().unwrap_or(false) {
        return Ok(FpVar::Constant(out));
    }
    // Every element was a variable in the last (full) round, so the output is
    // `sum_j mds[0][j] * x5_j`.
    let row = p.mds.get(..t).ok_or(SynthesisError::Unsatisfiable)?;
    let mut lc = LinearCombination::zero();
    for (m, f) in row.iter().zip(&fifth) {
        lc += (*m, *f);
    }
    let var = cs.new_lc(lc)?;
    Ok(FpVar::Var(AllocatedFp::new(Some(out), var, cs.clone())))
}

/// The gadget form: every round through the field gadgets (symbolic linear combinations).
fn hash_symbolic(p: &Params, inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
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
    use ark_relations::r1cs::{ConstraintSystem, SynthesisMode};
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

    /// The hash of `inputs` (`true` = a witness variable, `false` = a constant) in both
    /// modes: (output value, output is a constant, instance and witness assignment, constraints).
    type Synthesis = (Fr, bool, Vec<Fr>, Vec<Fr>, usize);

    fn both_modes(inputs: &[(Fr, bool)]) -> [Synthesis; 2] {
        [true, false].map(|construct_matrices| {
            let cs = ConstraintSystem::<Fr>::new_ref();
            cs.set_mode(SynthesisMode::Prove { construct_matrices });
            let vars: Vec<FpVar<Fr>> = inputs
                .iter()
                .map(|&(x, var)| {
                    if var {
                        FpVar::new_witness(cs.clone(), || Ok(x)).unwrap()
                    } else {
                        FpVar::constant(x)
                    }
                })
                .collect();
            let out = hash(&vars).unwrap();
            // The output is usable: constrain it to a public input holding the native hash.
            let expect = poseidon::hash(&inputs.iter().map(|i| i.0).collect::<Vec<_>>()).unwrap();
            let public = FpVar::new_input(cs.clone(), || Ok(expect)).unwrap();
            out.enforce_equal(&public).unwrap();
            if construct_matrices {
                assert!(cs.is_satisfied().unwrap());
            }
            let b = cs.borrow().unwrap();
            (
                out.value().unwrap(),
                out.is_constant(),
                b.instance_assignment.clone(),
                b.witness_assignment.clone(),
                b.num_constraints,
            )
        })
    }

    #[test]
    fn assigning_only_gives_the_gadgets_assignment_for_every_width_and_mix() {
        let mut rng = StdRng::seed_from_u64(7);
        for n in 1..=poseidon::MAX_INPUTS {
            // All variables; a constant first input (the statement hash's chaining value); every
            // other input constant; all constants (nothing allocated).
            let patterns: [&dyn Fn(usize) -> bool; 4] =
                [&|_| true, &|i| i != 0, &|i| i % 2 == 1, &|_| false];
            for pattern in patterns {
                let inputs: Vec<(Fr, bool)> =
                    (0..n).map(|i| (Fr::rand(&mut rng), pattern(i))).collect();
                let [symbolic, values] = both_modes(&inputs);
                assert_eq!(symbolic.0, values.0, "n={n}");
                assert_eq!(symbolic.1, values.1, "n={n}");
                assert_eq!(symbolic.2, values.2, "n={n}");
                assert!(symbolic.3 == values.3, "n={n}: witness assignment");
                assert_eq!(symbolic.4, values.4, "n={n}");
            }
        }
        // Edge values: zero, one, -1.
        let edge = [Fr::from(0u64), Fr::from(1u64), -Fr::from(1u64)];
        let inputs: Vec<(Fr, bool)> = edge.iter().map(|&x| (x, true)).collect();
        let [symbolic, values] = both_modes(&inputs);
        assert!(symbolic.3 == values.3 && symbolic.4 == values.4);
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
