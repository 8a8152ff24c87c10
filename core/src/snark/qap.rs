//! arkworks' `LibsnarkReduction` (R1CS to QAP) with the prover's satisfaction check folded into
//! its witness map.
//!
//! The witness map evaluates every row of A and B on the full assignment anyway; evaluating C
//! too (which it does a moment later) and comparing `a_i · b_i = c_i` costs one multiplication
//! per constraint, where `ConstraintSystem::is_satisfied` re-evaluated every symbolic linear
//! combination before inlining (≈ 8 % of a proof at 10k constraints). The FFTs and the
//! instance map are arkworks' code unchanged, so keys and proofs are those of
//! `Groth16::<Bn254>` (LibsnarkReduction): the setup and the prover may use either.

use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{evaluate_constraint, LibsnarkReduction, R1CSToQAP};
use ark_poly::EvaluationDomain;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystemRef, SynthesisError};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// LibsnarkReduction whose witness map refuses an assignment that does not satisfy the matrices
/// (`SynthesisError::Unsatisfiable`) before any FFT or MSM.
pub(crate) struct CheckedReduction;

type InstanceMap<F> = (Vec<F>, Vec<F>, Vec<F>, F, usize, usize);

impl R1CSToQAP for CheckedReduction {
    fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
        cs: ConstraintSystemRef<F>,
        t: &F,
    ) -> Result<InstanceMap<F>, SynthesisError> {
        LibsnarkReduction::instance_map_with_evaluation::<F, D>(cs, t)
    }

    fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
        matrices: &ConstraintMatrices<F>,
        num_inputs: usize,
        num_constraints: usize,
        full_assignment: &[F],
    ) -> Result<Vec<F>, SynthesisError> {
        let domain =
            D::new(num_constraints + num_inputs).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        let domain_size = domain.size();
        let (ma, mb, mc) = (
            matrices.a.get(..num_constraints),
            matrices.b.get(..num_constraints),
            matrices.c.get(..num_constraints),
        );
        let (Some(ma), Some(mb), Some(mc)) = (ma, mb, mc) else {
            return Err(SynthesisError::Unsatisfiable);
        };
        let in_range = |m: &[Vec<(F, usize)>]| {
            m.iter()
                .all(|row| row.iter().all(|(_, j)| *j < full_assignment.len()))
        };
        if full_assignment.len() < num_inputs || !(in_range(ma) && in_range(mb) && in_range(mc)) {
            return Err(SynthesisError::Unsatisfiable);
        }
        let zero = F::zero();
        let mut a = vec![zero; domain_size];
        let mut b = vec![zero; domain_size];
        let mut c = vec![zero; domain_size];
        {
            let (Some(a_rows), Some(b_rows), Some(c_rows)) = (
                a.get_mut(..num_constraints),
                b.get_mut(..num_constraints),
                c.get_mut(..num_constraints),
            ) else {
                return Err(SynthesisError::PolynomialDegreeTooLarge);
            };
            #[cfg(feature = "parallel")]
            let rows = a_rows
                .par_iter_mut()
                .zip(b_rows.par_iter_mut())
                .zip(c_rows.par_iter_mut())
                .zip(ma.par_iter().zip(mb.par_iter()).zip(mc.par_iter()));
            #[cfg(not(feature = "parallel"))]
            let rows = a_rows
                .iter_mut()
                .zip(b_rows.iter_mut())
                .zip(c_rows.iter_mut())
                .zip(ma.iter().zip(mb.iter()).zip(mc.iter()));
            // One expression for the rayon and the serial iterators; clippy flags `map` + `all`
            // in the serial (wasm) build only.
            #[allow(clippy::map_all_any_identity)]
            let satisfied = rows
                .map(|(((a, b), c), ((at, bt), ct))| {
                    *a = evaluate_constraint(at, full_assignment);
                    *b = evaluate_constraint(bt, full_assignment);
                    *c = evaluate_constraint(ct, full_assignment);
                    *a * *b == *c
                })
                .all(|ok| ok);
            if !satisfied {
                return Err(SynthesisError::Unsatisfiable);
            }
        }
        let (Some(dst), Some(src)) = (
            a.get_mut(num_constraints..num_constraints + num_inputs),
            full_assignment.get(..num_inputs),
        ) else {
            return Err(SynthesisError::PolynomialDegreeTooLarge);
        };
        dst.clone_from_slice(src);

        domain.ifft_in_place(&mut a);
        domain.ifft_in_place(&mut b);
        let coset_domain = domain
            .get_coset(F::GENERATOR)
            .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        coset_domain.fft_in_place(&mut a);
        coset_domain.fft_in_place(&mut b);
        let mut ab = domain.mul_polynomials_in_evaluation_domain(&a, &b);
        drop(a);
        drop(b);

        domain.ifft_in_place(&mut c);
        coset_domain.fft_in_place(&mut c);

        let vanishing_polynomial_over_coset = domain
            .evaluate_vanishing_polynomial(F::GENERATOR)
            .inverse()
            .ok_or(SynthesisError::UnexpectedIdentity)?;
        #[cfg(feature = "parallel")]
        let it = ab.par_iter_mut().zip(c);
        #[cfg(not(feature = "parallel"))]
        let it = ab.iter_mut().zip(c);
        it.for_each(|(ab_i, c_i)| {
            *ab_i -= &c_i;
            *ab_i *= &vanishing_polynomial_over_coset;
        });
        coset_domain.ifft_in_place(&mut ab);
        Ok(ab)
    }

    fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
        max_power: usize,
        t: F,
        zt: F,
        delta_inverse: F,
    ) -> Result<Vec<F>, SynthesisError> {
        LibsnarkReduction::h_query_scalars::<F, D>(max_power, t, zt, delta_inverse)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use ark_bn254::Fr;
    use ark_poly::GeneralEvaluationDomain;
    use ark_relations::lc;
    use ark_relations::r1cs::{ConstraintSystem, OptimizationGoal, SynthesisMode};

    /// `x_{i+1} = x_i^2 + i` over `n` rows, one public output; `cheat` corrupts one witness.
    fn system(n: usize, cheat: bool) -> (ConstraintMatrices<Fr>, Vec<Fr>) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Prove {
            construct_matrices: true,
        });
        let mut v = Fr::from(3u64);
        let mut var = cs.new_witness_variable(|| Ok(v)).unwrap();
        for i in 0..n {
            let mut next = v * v + Fr::from(i as u64);
            if cheat && i == n / 2 {
                next += Fr::from(1u64);
            }
            let nv = cs.new_witness_variable(|| Ok(next)).unwrap();
            cs.enforce_constraint(
                lc!() + var,
                lc!() + var,
                lc!() + nv + (-Fr::from(i as u64), ark_relations::r1cs::Variable::One),
            )
            .unwrap();
            v = next;
            var = nv;
        }
        let out = cs.new_input_variable(|| Ok(v)).unwrap();
        cs.enforce_constraint(
            lc!() + var,
            lc!() + ark_relations::r1cs::Variable::One,
            lc!() + out,
        )
        .unwrap();
        cs.finalize();
        let m = cs.to_matrices().unwrap();
        let b = cs.borrow().unwrap();
        let full = [
            b.instance_assignment.as_slice(),
            b.witness_assignment.as_slice(),
        ]
        .concat();
        (m, full)
    }

    type D = GeneralEvaluationDomain<Fr>;

    #[test]
    fn same_witness_map_as_libsnark_when_satisfied() {
        for n in [1usize, 5, 100, 1000] {
            let (m, z) = system(n, false);
            let ours = CheckedReduction::witness_map_from_matrices::<Fr, D>(
                &m,
                m.num_instance_variables,
                m.num_constraints,
                &z,
            )
            .unwrap();
            let theirs = LibsnarkReduction::witness_map_from_matrices::<Fr, D>(
                &m,
                m.num_instance_variables,
                m.num_constraints,
                &z,
            )
            .unwrap();
            assert_eq!(ours, theirs, "n = {n}");
        }
    }

    #[test]
    fn unsatisfied_assignment_is_refused() {
        let (m, z) = system(64, true);
        assert_eq!(
            CheckedReduction::witness_map_from_matrices::<Fr, D>(
                &m,
                m.num_instance_variables,
                m.num_constraints,
                &z,
            ),
            Err(SynthesisError::Unsatisfiable)
        );
        // A short assignment or a column out of range is refused, never indexed.
        let (m, z) = system(8, false);
        assert!(CheckedReduction::witness_map_from_matrices::<Fr, D>(
            &m,
            m.num_instance_variables,
            m.num_constraints,
            &z[..z.len() - 1],
        )
        .is_err());
    }
}
