//! Batch verification of Groth16 proofs under one verifying key (decision 0080).
//!
//! For proofs `(A_i, B_i, C_i)` with public inputs `x_i`, each must satisfy
//! `e(A_i, B_i) = e(α, β) · e(vk_x(x_i), γ) · e(C_i, δ)`. With random 128-bit scalars `ρ_i`
//! from the OS RNG the batch checks one product instead:
//!
//! ```text
//! Π e(ρ_i·A_i, B_i) · e(−(Σρ_i)·α, β) · e(Σρ_i·vk_x(x_i), −γ) · e(Σρ_i·C_i, −δ) = 1
//! ```
//!
//! one multi-Miller loop over `n + 3` pairs and one final exponentiation, where one-by-one
//! verification takes `3n` Miller loops and `n` final exponentiations. `Σρ_i·vk_x(x_i)` is one
//! MSM over the key's `IC` points with scalars `Σρ_i·x_ij`. A batch holding a bad proof passes
//! with probability at most `2^-128` per check (every proof point is in its prime-order group:
//! decoding and [`super::Proof::from_arkworks`] check it). When the product is not 1, the batch
//! is bisected, each half re-checked with fresh scalars, down to single proofs checked alone, so
//! the refusal names every failing proof.

use super::{verify, Fr, Proof, VerifyingKey};
use crate::error::SnarkVerifyError;
use ark_bn254::{Bn254, G1Affine, G1Projective};
use ark_ec::pairing::{Pairing, PairingOutput};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInt, PrimeField, Zero};
use rand_core::{CryptoRng, OsRng, RngCore};

/// The most proofs one batch may hold (larger sets: several batches).
pub const MAX_BATCH_PROOFS: usize = 4096;

/// Below this many proofs, a failing sub-batch is checked proof by proof instead of bisected.
const BISECT_FLOOR: usize = 4;

/// One proof of a batch that does not verify, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchFailure {
    /// Its position in the batch.
    pub index: usize,
    /// Why it fails, as [`super::verify`] says for it alone.
    pub error: SnarkVerifyError,
}

/// The indices of `failures`, comma-separated (for error messages).
pub(crate) fn list_indices(failures: &[BatchFailure]) -> String {
    let mut s = String::new();
    for (k, f) in failures.iter().enumerate() {
        if k > 0 {
            s.push_str(", ");
        }
        s.push_str(&f.index.to_string());
    }
    s
}

impl VerifyingKey {
    /// Verifies a batch of proofs, each with its public inputs, under this key, with random
    /// scalars from the OS. `Ok(())` only if every proof verifies as [`super::verify`] would
    /// accept it alone; otherwise [`SnarkVerifyError::BatchRejected`] names each failing proof
    /// (index and the error [`super::verify`] gives it). More than [`MAX_BATCH_PROOFS`] proofs:
    /// [`SnarkVerifyError::BatchTooLarge`]. An empty batch holds no bad proof: `Ok(())`.
    pub fn verify_batch(&self, items: &[(&Proof, &[Fr])]) -> Result<(), SnarkVerifyError> {
        self.verify_batch_with_rng(items, &mut OsRng)
    }

    /// [`VerifyingKey::verify_batch`] with a caller's RNG (tests; the scalars must be
    /// unpredictable to whoever made the proofs). Crate-only (decision 0117): a predictable RNG
    /// lets a forged batch pass, so the public API draws from the OS.
    pub(crate) fn verify_batch_with_rng<R: RngCore + CryptoRng>(
        &self,
        items: &[(&Proof, &[Fr])],
        rng: &mut R,
    ) -> Result<(), SnarkVerifyError> {
        if items.len() > MAX_BATCH_PROOFS {
            return Err(SnarkVerifyError::BatchTooLarge {
                len: items.len(),
                max: MAX_BATCH_PROOFS,
            });
        }
        let mut failures = Vec::new();
        let mut candidates = Vec::with_capacity(items.len());
        for (index, (proof, inputs)) in items.iter().enumerate() {
            if proof.key_id != self.id {
                failures.push(BatchFailure {
                    index,
                    error: SnarkVerifyError::WrongKey,
                });
            } else if inputs.len().checked_add(1) != Some(self.inner.gamma_abc_g1.len()) {
                failures.push(BatchFailure {
                    index,
                    error: SnarkVerifyError::InputCount {
                        expected: self.public_inputs(),
                        found: inputs.len(),
                    },
                });
            } else {
                candidates.push(index);
            }
        }
        if !candidates.is_empty() && !self.combined_check(items, &candidates, rng) {
            let named = failures.len();
            self.bisect(items, &candidates, rng, &mut failures);
            if failures.len() == named {
                // The whole batch failed but the bisection's re-randomised checks named no proof
                // (a bad proof slipped through one of them, with probability 2^-128): fail closed
                // on the authoritative answer, every proof checked on its own.
                for &index in &candidates {
                    if let Some((proof, inputs)) = items.get(index) {
                        if let Err(error) = verify(self, inputs, proof) {
                            failures.push(BatchFailure { index, error });
                        }
                    }
                }
            }
        }
        if failures.is_empty() {
            return Ok(());
        }
        failures.sort_by_key(|f| f.index);
        Err(SnarkVerifyError::BatchRejected {
            total: items.len(),
            failures,
        })
    }

    /// Finds the failing proofs among `idx`, known (or suspected) to hold at least one.
    fn bisect<R: RngCore + CryptoRng>(
        &self,
        items: &[(&Proof, &[Fr])],
        idx: &[usize],
        rng: &mut R,
        out: &mut Vec<BatchFailure>,
    ) {
        if idx.len() <= BISECT_FLOOR {
            for &index in idx {
                if let Some((proof, inputs)) = items.get(index) {
                    if let Err(error) = verify(self, inputs, proof) {
                        out.push(BatchFailure { index, error });
                    }
                }
            }
            return;
        }
        let (left, right) = idx.split_at(idx.len() / 2);
        for half in [left, right] {
            if !self.combined_check(items, half, rng) {
                self.bisect(items, half, rng, out);
            }
        }
    }

    /// The randomised product check over the proofs at `idx` (each already known to be for
    /// this key and to have the right number of inputs).
    fn combined_check<R: RngCore + CryptoRng>(
        &self,
        items: &[(&Proof, &[Fr])],
        idx: &[usize],
        rng: &mut R,
    ) -> bool {
        let vk = &self.inner;
        let n_ic = vk.gamma_abc_g1.len();
        let mut ic_scalars = vec![Fr::zero(); n_ic];
        let mut a_points = Vec::with_capacity(idx.len());
        let mut b_points = Vec::with_capacity(idx.len());
        let mut c_points = Vec::with_capacity(idx.len());
        let mut rhos = Vec::with_capacity(idx.len());
        let mut rho_sum = Fr::zero();
        for &i in idx {
            let Some((proof, inputs)) = items.get(i) else {
                return false;
            };
            let rho = random_rho(rng);
            rho_sum += rho;
            if let Some((first, rest)) = ic_scalars.split_first_mut() {
                *first += rho;
                for (s, x) in rest.iter_mut().zip(inputs.iter()) {
                    *s += rho * x;
                }
            }
            a_points.push(proof.inner.a);
            b_points.push(proof.inner.b);
            c_points.push(proof.inner.c);
            rhos.push(rho);
        }
        // ρ_i·A_i, in parallel where `parallel` is on.
        let scaled_a = scale_points(&a_points, &rhos);
        let Ok(c_sum) = G1Projective::msm(&c_points, &rhos) else {
            return false;
        };
        let Ok(vk_x) = G1Projective::msm(&vk.gamma_abc_g1, &ic_scalars) else {
            return false;
        };
        let neg_alpha = (vk.alpha_g1 * (-rho_sum)).into_affine();
        let mut g1: Vec<G1Affine> = scaled_a;
        g1.push(neg_alpha);
        let mut g2 = prepare_g2(&b_points);
        g2.push(vk.beta_g2.into());
        let tail = G1Projective::normalize_batch(&[vk_x, c_sum]);
        g1.extend_from_slice(&tail);
        g2.push(self.prepared.gamma_g2_neg_pc.clone());
        g2.push(self.prepared.delta_g2_neg_pc.clone());
        // A sum at infinity (say `Σρ_i·C_i`) is dropped by the Miller loop: `e(O, Q) = 1`, so
        // the product is unchanged.
        let ml = Bn254::multi_miller_loop(g1, g2);
        Bn254::final_exponentiation(ml).is_some_and(|r| r == PairingOutput::<Bn254>::zero())
    }
}

/// A non-zero scalar of 128 random bits.
fn random_rho<R: RngCore + CryptoRng>(rng: &mut R) -> Fr {
    loop {
        let (lo, hi) = (rng.next_u64(), rng.next_u64());
        if lo != 0 || hi != 0 {
            return Fr::from_bigint(BigInt::new([lo, hi, 0, 0])).unwrap_or(Fr::from(1u64));
        }
    }
}

fn scale_points(points: &[G1Affine], rhos: &[Fr]) -> Vec<G1Affine> {
    #[cfg(feature = "parallel")]
    let proj: Vec<G1Projective> = {
        use rayon::prelude::*;
        points
            .par_iter()
            .zip(rhos.par_iter())
            .map(|(p, r)| p.mul_bigint(r.into_bigint()))
            .collect()
    };
    #[cfg(not(feature = "parallel"))]
    let proj: Vec<G1Projective> = points
        .iter()
        .zip(rhos.iter())
        .map(|(p, r)| p.mul_bigint(r.into_bigint()))
        .collect();
    G1Projective::normalize_batch(&proj)
}

type G2Prep = <Bn254 as Pairing>::G2Prepared;

/// The line coefficients of each `B_i` (the costly part of a pairing with an unprepared G2
/// point), in parallel where `parallel` is on (arkworks' multi-Miller loop prepares serially).
fn prepare_g2(points: &[ark_bn254::G2Affine]) -> Vec<G2Prep> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let mut v: Vec<G2Prep> = points.par_iter().map(|b| G2Prep::from(*b)).collect();
        v.reserve(3);
        v
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut v = Vec::with_capacity(points.len() + 3);
        v.extend(points.iter().map(|b| G2Prep::from(*b)));
        v
    }
}
