//! The Poseidon hash over BN254 with circomlib's parameters.
//!
//! `hash(inputs)` runs the permutation of width `t = inputs.len() + 1` on the state
//! `[0, inputs...]` and returns the first element, exactly as circomlib's `Poseidon(n)` template
//! and circomlibjs' `poseidon`. Round constants and MDS matrices are regenerated with the Grain
//! LFSR of the Poseidon reference script (see the private `grain` module) once per width and kept in Montgomery
//! form. The permutation uses the optimized form (constants of partial rounds folded into one
//! scalar each, sparse partial-round matrices); [`hash_reference`] keeps the textbook form for
//! tests and as the specification.

pub mod gadget;
mod grain;
mod optimized;

use std::sync::OnceLock;

use ark_ff::Zero;

use crate::{Fr, PoseidonError};

pub(crate) use grain::Params;

/// The largest number of inputs (width 17).
pub const MAX_INPUTS: usize = 16;

/// Full rounds (all widths).
pub(crate) const FULL_ROUNDS: usize = 8;

/// circomlib's partial rounds for t = 2..=17.
pub(crate) const PARTIAL_ROUNDS: [usize; MAX_INPUTS] = [
    56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68,
];

static PARAMS: [OnceLock<Params>; MAX_INPUTS] = [const { OnceLock::new() }; MAX_INPUTS];

/// The plain (reference) parameters for `n_inputs` inputs (t = n_inputs + 1).
pub(crate) fn params(n_inputs: usize) -> Result<&'static Params, PoseidonError> {
    let slot = n_inputs
        .checked_sub(1)
        .and_then(|i| PARAMS.get(i).zip(PARTIAL_ROUNDS.get(i)))
        .ok_or(PoseidonError::InputCount { got: n_inputs })?;
    let (cell, &partial) = slot;
    Ok(cell.get_or_init(|| grain::generate(n_inputs + 1, FULL_ROUNDS, partial)))
}

/// The plain parameters of one width, for code generators (the Solidity Poseidon contract of
/// `causeway::anchor::trade`): what [`hash_reference`] runs.
#[derive(Clone, Debug)]
pub struct Parameters {
    /// Width `t` (inputs + 1).
    pub t: usize,
    /// Full rounds (half before, half after the partial rounds).
    pub full_rounds: usize,
    /// Partial rounds.
    pub partial_rounds: usize,
    /// `(full_rounds + partial_rounds) * t` round constants, round-major.
    pub constants: Vec<Fr>,
    /// The `t * t` MDS matrix, row-major: `new[i] = sum_j mds[i * t + j] * s[j]`.
    pub mds: Vec<Fr>,
}

/// The plain parameters for `n_inputs` inputs (1 to [`MAX_INPUTS`]).
pub fn parameters(n_inputs: usize) -> Result<Parameters, PoseidonError> {
    let p = params(n_inputs)?;
    Ok(Parameters {
        t: p.t,
        full_rounds: p.full_rounds,
        partial_rounds: p.partial_rounds,
        constants: p.constants.clone(),
        mds: p.mds.clone(),
    })
}

/// x^5. Multiplication rather than `square`: without the `asm` feature arkworks' generic
/// squaring is slower than its no-carry Montgomery multiplication for BN254.
#[inline(always)]
pub(crate) fn pow5(x: Fr) -> Fr {
    let x2 = x * x;
    let x4 = x2 * x2;
    x4 * x
}

/// circomlib Poseidon of 1 to [`MAX_INPUTS`] field elements (t = `inputs.len() + 1`).
pub fn hash(inputs: &[Fr]) -> Result<Fr, PoseidonError> {
    optimized::hash(inputs)
}

/// circomlib Poseidon of two elements (t = 3): the Merkle node hash.
pub fn hash2(a: Fr, b: Fr) -> Fr {
    optimized::hash2(a, b)
}

/// The textbook permutation (add constants, S-box, dense MDS each round): the specification that
/// [`hash`] is tested against. Slow; prefer [`hash`].
pub fn hash_reference(inputs: &[Fr]) -> Result<Fr, PoseidonError> {
    let p = params(inputs.len())?;
    let mut state: Vec<Fr> = Vec::with_capacity(p.t);
    state.push(Fr::zero());
    state.extend_from_slice(inputs);
    let half = p.full_rounds / 2;
    for (r, round_constants) in p.constants.chunks_exact(p.t).enumerate() {
        for (s, c) in state.iter_mut().zip(round_constants) {
            *s += c;
        }
        if r < half || r >= half + p.partial_rounds {
            for s in state.iter_mut() {
                *s = pow5(*s);
            }
        } else if let Some(s0) = state.first_mut() {
            *s0 = pow5(*s0);
        }
        state = p
            .mds
            .chunks_exact(p.t)
            .map(|row| row.iter().zip(&state).map(|(m, s)| *m * s).sum())
            .collect();
    }
    Ok(state.first().copied().unwrap_or_else(Fr::zero))
}

#[cfg(test)]
mod tests;
