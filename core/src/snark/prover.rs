//! Groth16 proof assembly on our own MSMs (`msm`): the four G1 MSMs (`h`, `l`, `a`, `b` in G1)
//! and the G2 MSM (`b` in G2) of ark-groth16 0.5's `create_proof_with_assignment`, with the same
//! formulas in the same order, so that for the same `r`, `s` and witness the proof is the same
//! group elements, hence the same bytes, as ark-groth16's (tested in `snark::tests`).
//!
//! ```text
//! A = α + Σ zᵢ·a_query[i] + r·δ
//! B = β + Σ zᵢ·b_g2_query[i] + s·δ          (and its G1 twin B₁ when r ≠ 0)
//! C = s·A + r·B₁ − r·s·δ + Σ wⱼ·l_query[j] + Σ hₖ·h_query[k]
//! ```
//!
//! Like ark-ec's MSM, the running time depends on the witness (zeros and small scalars are
//! cheaper): see docs/decisions/0081-variable-time-prover.md.

use super::msm::{msm_g1_bigint_with, msm_g2_bigint_with};
use crate::error::SnarkError;
use crate::proof::{Meter, ProvePhase};
use ark_bn254::{Bn254, Fr, G1Projective};
use ark_ec::CurveGroup;
use ark_ff::{BigInt, PrimeField, Zero};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// The proof for the full assignment `full` (`full[0]` is the constant one, then the
/// `num_inputs − 1` public inputs, then the witnesses) and the QAP quotient coefficients `h`,
/// with blinding scalars `r` and `s`. `parallel == false` runs every MSM on one thread.
///
/// Refuses (with [`SnarkError::KeyMismatch`]) an assignment or quotient whose length does not
/// fit the key; never indexes out of range. `meter` hears each MSM begin (`MsmH`, `MsmL`,
/// `MsmA`, `MsmB1`, `MsmB2`, in that order; `MsmB1` also when `r = 0` skips it).
#[allow(clippy::too_many_arguments)]
pub(crate) fn create_proof(
    pk: &ark_groth16::ProvingKey<Bn254>,
    r: Fr,
    s: Fr,
    h: &[Fr],
    full: &[Fr],
    num_inputs: usize,
    parallel: bool,
    meter: &Meter<'_>,
) -> Result<ark_groth16::Proof<Bn254>, SnarkError> {
    let vars = pk.a_query.len();
    if full.len() != vars
        || pk.b_g1_query.len() != vars
        || pk.b_g2_query.len() != vars
        || num_inputs == 0
        || num_inputs > vars
        || vars - num_inputs != pk.l_query.len()
        || h.len() < pk.h_query.len()
    {
        return Err(SnarkError::KeyMismatch);
    }
    let z = to_bigints(full, parallel);
    let h_big = to_bigints(h.get(..pk.h_query.len()).unwrap_or(&[]), parallel);
    let aux = z.get(num_inputs..).unwrap_or(&[]);
    let rest = z.get(1..).unwrap_or(&[]);
    let (Some(a0), Some(b0), Some(b20)) = (
        pk.a_query.first(),
        pk.b_g1_query.first(),
        pk.b_g2_query.first(),
    ) else {
        return Err(SnarkError::KeyMismatch);
    };
    let tail = |q: usize| 1..q;

    // C's witness parts.
    meter.step(ProvePhase::MsmH);
    let h_acc = msm_g1_bigint_with(&pk.h_query, &h_big, parallel)?;
    drop(h_big);
    meter.step(ProvePhase::MsmL);
    let l_acc = msm_g1_bigint_with(&pk.l_query, aux, parallel)?;
    let r_s_delta_g1 = pk.delta_g1 * (r * s);

    // A.
    meter.step(ProvePhase::MsmA);
    let a_q = pk.a_query.get(tail(vars)).unwrap_or(&[]);
    let mut g_a: G1Projective = pk.delta_g1 * r;
    g_a += a0;
    g_a += msm_g1_bigint_with(a_q, rest, parallel)?;
    g_a += pk.vk.alpha_g1;
    let s_g_a = g_a * s;

    // B in G1 (only C needs it, and only when r ≠ 0).
    meter.step(ProvePhase::MsmB1);
    let g1_b = if !r.is_zero() {
        let b_q = pk.b_g1_query.get(tail(vars)).unwrap_or(&[]);
        let mut b: G1Projective = pk.delta_g1 * s;
        b += b0;
        b += msm_g1_bigint_with(b_q, rest, parallel)?;
        b += pk.beta_g1;
        b
    } else {
        G1Projective::zero()
    };

    // B in G2.
    meter.step(ProvePhase::MsmB2);
    let b2_q = pk.b_g2_query.get(tail(vars)).unwrap_or(&[]);
    let mut g2_b = pk.vk.delta_g2 * s;
    g2_b += b20;
    g2_b += msm_g2_bigint_with(b2_q, rest, parallel)?;
    g2_b += pk.vk.beta_g2;
    let r_g1_b = g1_b * r;

    let mut g_c = s_g_a;
    g_c += r_g1_b;
    g_c -= r_s_delta_g1;
    g_c += l_acc;
    g_c += h_acc;

    let proof: ark_groth16::Proof<Bn254> = ark_groth16::Proof {
        a: g_a.into_affine(),
        b: g2_b.into_affine(),
        c: g_c.into_affine(),
    };
    // A proof point at infinity is never released (the decoder refuses it anyway).
    if proof.a.infinity || proof.b.infinity || proof.c.infinity {
        return Err(SnarkError::ProofSelfCheck);
    }
    Ok(proof)
}

fn to_bigints(v: &[Fr], parallel: bool) -> Vec<BigInt<4>> {
    #[cfg(feature = "parallel")]
    if parallel {
        return v.par_iter().map(|x| x.into_bigint()).collect();
    }
    let _ = parallel;
    v.iter().map(|x| x.into_bigint()).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::super::*;
    use super::create_proof;
    use ark_ff::{AdditiveGroup, Field, UniformRand, Zero};
    use ark_relations::lc;
    use ark_relations::r1cs::{ConstraintSystemRef, Variable};
    use ark_std::rand::SeedableRng;

    /// Public `x`, witnesses `wᵢ` (a mix of zeros, ones, bytes and full-width values) with
    /// `wᵢ · wᵢ = sqᵢ + shift` and `Σ wᵢ · 1 = x`. `shift` changes the matrices, not the counts.
    #[derive(Clone)]
    struct Mix {
        ws: Vec<Fr>,
        shift: u64,
        cheat: bool,
    }

    impl ConstraintSynthesizer<Fr> for Mix {
        fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
            let total: Fr = self.ws.iter().sum();
            let x = cs.new_input_variable(|| Ok(total))?;
            let mut sum = lc!();
            for (i, w) in self.ws.iter().enumerate() {
                let wv = cs.new_witness_variable(|| Ok(*w))?;
                let mut sq = *w * w - Fr::from(self.shift);
                if self.cheat && i == 0 {
                    sq += Fr::ONE;
                }
                let sv = cs.new_witness_variable(|| Ok(sq))?;
                cs.enforce_constraint(
                    lc!() + wv,
                    lc!() + wv,
                    lc!() + sv + (Fr::from(self.shift), Variable::One),
                )?;
                sum = sum + wv;
            }
            cs.enforce_constraint(sum, lc!() + Variable::One, lc!() + x)?;
            Ok(())
        }
    }

    fn witness(n: usize, seed: u64) -> Vec<Fr> {
        let mut r = ark_std::rand::rngs::StdRng::seed_from_u64(seed);
        (0..n)
            .map(|i| match i % 5 {
                0 => Fr::ZERO,
                1 => Fr::ONE,
                2 => Fr::from((i % 256) as u64),
                3 => -Fr::ONE,
                _ => Fr::rand(&mut r),
            })
            .collect()
    }

    fn mix(n: usize, seed: u64) -> Mix {
        Mix {
            ws: witness(n, seed),
            shift: 0,
            cheat: false,
        }
    }

    fn matrices_and_assignment(c: Mix) -> (ConstraintMatrices<Fr>, Vec<Fr>) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        c.generate_constraints(cs.clone()).unwrap();
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

    #[test]
    fn same_proof_bytes_as_ark_groth16_for_the_same_r_and_s() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(1);
        for (n, seed) in [(1usize, 2u64), (5, 3), (200, 4), (700, 5)] {
            let pk = setup_with_rng(mix(n, seed), &mut rng).unwrap();
            let (m, full) = matrices_and_assignment(mix(n, seed + 100));
            for (r, s) in [
                (Fr::rand(&mut rng), Fr::rand(&mut rng)),
                (Fr::ZERO, Fr::rand(&mut rng)),
                (Fr::ONE, -Fr::ONE),
            ] {
                let theirs = ark_groth16::Groth16::<Bn254, qap::CheckedReduction>::create_proof_with_reduction_and_matrices(
                    &pk.inner,
                    r,
                    s,
                    &m,
                    m.num_instance_variables,
                    m.num_constraints,
                    &full,
                )
                .unwrap();
                for parallel in [true, false] {
                    let ours = prove_with_matrices(
                        &pk,
                        &m,
                        &full,
                        r,
                        s,
                        parallel,
                        &crate::proof::Meter::none(),
                    )
                    .unwrap();
                    assert_eq!(ours, theirs, "n={n} parallel={parallel}");
                    let mut a = Vec::new();
                    let mut b = Vec::new();
                    ours.serialize_compressed(&mut a).unwrap();
                    theirs.serialize_compressed(&mut b).unwrap();
                    assert_eq!(a, b);
                }
                if !r.is_zero() {
                    let proof = Proof {
                        key_id: pk.id(),
                        inner: prove_with_matrices(
                            &pk,
                            &m,
                            &full,
                            r,
                            s,
                            true,
                            &crate::proof::Meter::none(),
                        )
                        .unwrap(),
                    };
                    verify(pk.verifying_key(), &full[1..2], &proof).unwrap();
                }
            }
        }
    }

    #[test]
    fn matrices_are_kept_after_the_first_good_proof_and_shared_by_clones() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(7);
        let pk = setup_with_rng(mix(64, 8), &mut rng).unwrap();
        // Since the L3 fix (decision 0082, amended) setup keeps its own matrices at once: they
        // are the ones a proof would build.
        let (m, _) = matrices_and_assignment(mix(64, 10));
        assert_eq!(**pk.matrices.get().unwrap(), m);
        let (p1, in1) = prove_returning_inputs_with_rng(&pk, mix(64, 9), &mut rng).unwrap();
        let kept = pk.matrices.get().cloned().unwrap();
        assert_eq!(*kept, m);
        // A key decoded from bytes and named for no circuit keeps no caller's matrices.
        let loaded = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
        for seed in 15..17 {
            let (p, inputs) =
                prove_returning_inputs_with_rng(&loaded, mix(64, seed), &mut rng).unwrap();
            verify(pk.verifying_key(), &inputs, &p).unwrap();
        }
        assert!(loaded.matrices.get().is_none());
        let clone = pk.clone();
        assert!(clone.matrices.get().is_some());
        // Later proofs (new witnesses, through the clone too) use the kept matrices and verify.
        for seed in 11..14 {
            let (p, inputs) =
                prove_returning_inputs_with_rng(&clone, mix(64, seed), &mut rng).unwrap();
            verify(pk.verifying_key(), &inputs, &p).unwrap();
        }
        verify(pk.verifying_key(), &in1, &p1).unwrap();
        // The same witness proven twice: two different valid proofs (fresh r, s each time).
        let (a, ia) = prove_returning_inputs_with_rng(&pk, mix(64, 20), &mut rng).unwrap();
        let (b, ib) = prove_returning_inputs_with_rng(&pk, mix(64, 20), &mut rng).unwrap();
        assert_eq!(ia, ib);
        assert_ne!(a.to_bytes(), b.to_bytes());
        verify(pk.verifying_key(), &ia, &a).unwrap();
        verify(pk.verifying_key(), &ib, &b).unwrap();
    }

    #[test]
    fn another_circuit_after_the_cache_is_filled_is_refused_without_poisoning() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(30);
        let pk = setup_with_rng(mix(16, 31), &mut rng).unwrap();
        prove_with_rng(&pk, mix(16, 32), &mut rng).unwrap();
        assert!(pk.matrices.get().is_some());
        // Same counts, other matrices (shift): its witness does not satisfy the key's circuit.
        let other = Mix {
            ws: witness(16, 33),
            shift: 5,
            cheat: false,
        };
        assert_eq!(
            prove_with_rng(&pk, other, &mut rng).unwrap_err(),
            SnarkError::Unsatisfied
        );
        // A cheating witness of the right circuit: refused, no proof.
        let cheat = Mix {
            ws: witness(16, 34),
            shift: 0,
            cheat: true,
        };
        assert_eq!(
            prove_with_rng(&pk, cheat, &mut rng).unwrap_err(),
            SnarkError::Unsatisfied
        );
        // Other counts: refused as a key mismatch.
        assert_eq!(
            prove_with_rng(&pk, mix(17, 35), &mut rng).unwrap_err(),
            SnarkError::KeyMismatch
        );
        // None of this poisoned the key: the honest circuit still proves.
        let (p, inputs) = prove_returning_inputs_with_rng(&pk, mix(16, 36), &mut rng).unwrap();
        verify(pk.verifying_key(), &inputs, &p).unwrap();
    }

    #[test]
    fn a_wrong_first_circuit_fills_no_cache() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(40);
        let setup_key = setup_with_rng(mix(16, 41), &mut rng).unwrap();
        // A key without matrices (decoded, named for no circuit; since the L3 fix setup's own
        // keys start with theirs).
        let pk = ProvingKey::from_bytes(&setup_key.to_bytes()).unwrap();
        // Same counts, other matrices, as the very first proof: its own matrices are satisfied,
        // the proof fails the self-check (as before this change), and they are not kept.
        let other = Mix {
            ws: witness(16, 42),
            shift: 5,
            cheat: false,
        };
        assert_eq!(
            prove_with_rng(&pk, other.clone(), &mut rng).unwrap_err(),
            SnarkError::ProofSelfCheck
        );
        assert!(pk.matrices.get().is_none());
        // The setup's key checks it against its own matrices: refused, and not poisoned.
        assert_eq!(
            prove_with_rng(&setup_key, other, &mut rng).unwrap_err(),
            SnarkError::Unsatisfied
        );
        prove_with_rng(&setup_key, mix(16, 43), &mut rng).unwrap();
    }

    #[test]
    fn lengths_that_do_not_fit_the_key_are_refused() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(50);
        let pk = setup_with_rng(mix(8, 51), &mut rng).unwrap();
        let (_, full) = matrices_and_assignment(mix(8, 52));
        let h = vec![Fr::ONE; pk.inner.h_query.len() + 1];
        let (r, s) = (Fr::ONE, Fr::ONE);
        let ni = pk.inner.vk.gamma_abc_g1.len();
        assert!(create_proof(
            &pk.inner,
            r,
            s,
            &h,
            &full,
            ni,
            true,
            &crate::proof::Meter::none()
        )
        .is_ok());
        for (full, h, ni) in [
            (&full[..full.len() - 1], &h[..], ni),
            (&full[..], &h[..h.len() - 2], ni),
            (&full[..], &h[..], 0),
            (&full[..], &h[..], ni + 1),
            (&full[..], &h[..], full.len() + 1),
            (&[][..], &h[..], ni),
        ] {
            assert_eq!(
                create_proof(
                    &pk.inner,
                    r,
                    s,
                    h,
                    full,
                    ni,
                    true,
                    &crate::proof::Meter::none()
                )
                .unwrap_err(),
                SnarkError::KeyMismatch
            );
        }
    }
}
