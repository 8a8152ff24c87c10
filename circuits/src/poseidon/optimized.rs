//! The optimized Poseidon permutation (Poseidon paper, appendix B; the form of circomlib's
//! `poseidon_opt` and neptune), derived here from the plain parameters:
//!
//! - Partial-round constants: only the first state element passes through the S-box, so the
//!   constants added to the other elements are pushed forward through the linear layer; each
//!   partial round then adds one scalar, and what remains is added in the next full round.
//! - Sparse matrices: writing `M = [[m00, v^T], [w, M^]]`, the dense part `diag(1, M^)` commutes
//!   with a partial round, so it is moved backwards round by round and merged into the last full
//!   round before the partial rounds. Each partial round then multiplies by
//!   `[[m00, u^T], [w', I]]` (2t - 1 multiplications instead of t^2).
//! - The last full round computes only the output element.
//!
//! If a precomputation step ever failed (a singular matrix), the width falls back to the plain
//! permutation, so outputs never change.

use std::sync::OnceLock;

use ark_ff::{BigInt, BigInteger, Field, One, PrimeField, Zero};

use super::{params, pow5, Params, MAX_INPUTS};
use crate::{Fr, PoseidonError};

type Mat = Vec<Vec<Fr>>;

/// The optimized parameters of one width, derived once by [`build`] (width-generic, flat
/// row-major vectors): the input of [`OptParams::from_flat`] and of the width-generic
/// permutation [`permute_flat`].
pub(crate) struct FlatParams {
    t: usize,
    /// `half * t` constants of the first full rounds.
    first_constants: Vec<Fr>,
    /// `t * t`.
    mds: Vec<Fr>,
    /// `t * t`: `diag(1, M^^R_P) * M`, the matrix of the last full round before the partial
    /// rounds.
    pre_partial_mds: Vec<Fr>,
    /// One scalar per partial round.
    partial_constants: Vec<Fr>,
    /// `R_P * t`: per partial round `[a, u...]` (see [`Sparse::row`]).
    sparse_rows: Vec<Fr>,
    /// `R_P * t`: per partial round `[0, 1, w...]` (see [`Sparse::col`]).
    sparse_cols: Vec<Fr>,
    /// `half * t` constants of the last full rounds.
    second_constants: Vec<Fr>,
}

/// Precomputed optimized parameters for width `T` (fixed-size arrays: one monomorphised
/// permutation per width, the fast path).
pub(crate) struct OptParams<const T: usize> {
    first_constants: Vec<[Fr; T]>,
    mds: [[Fr; T]; T],
    /// `diag(1, M^^R_P) * M`: the matrix of the last full round before the partial rounds.
    pre_partial_mds: [[Fr; T]; T],
    partial_constants: Vec<Fr>,
    sparse: Vec<Sparse<T>>,
    second_constants: Vec<[Fr; T]>,
}

struct Sparse<const T: usize> {
    /// `[a, u...]`: the first output is the dot product of this row with the state.
    row: [Fr; T],
    /// `[0, 1, w...]`: the other outputs are `s_j + w_j * s_0` (`w_1 = 1` after scaling, so
    /// that term is an addition).
    col: [Fr; T],
}

impl<const T: usize> OptParams<T> {
    /// The same parameters as fixed-size arrays; `None` if `f` is not of width `T`.
    fn from_flat(f: &FlatParams) -> Option<Self> {
        if f.t != T {
            return None;
        }
        let rows = |v: &[Fr]| -> Option<Vec<[Fr; T]>> {
            v.chunks_exact(T).map(arr::<T>).collect::<Option<_>>()
        };
        let sparse = rows(&f.sparse_rows)?
            .into_iter()
            .zip(rows(&f.sparse_cols)?)
            .map(|(row, col)| Sparse { row, col })
            .collect();
        Some(OptParams {
            first_constants: rows(&f.first_constants)?,
            mds: rows(&f.mds)?.try_into().ok()?,
            pre_partial_mds: rows(&f.pre_partial_mds)?.try_into().ok()?,
            partial_constants: f.partial_constants.clone(),
            sparse,
            second_constants: rows(&f.second_constants)?,
        })
    }
}

/// `5^-1 mod (r - 1)`, so that `x^(5^-1)` is the unique fifth root (x^5 is a permutation of Fr).
fn inverse_of_five_exponent() -> Option<BigInt<4>> {
    let mut m = Fr::MODULUS;
    m.sub_with_borrow(&BigInt::from(1u64));
    let mut n = BigInt::from(1u64);
    for _ in 1..=4 {
        if n.add_with_carry(&m) {
            return None;
        }
        // n = k (r - 1) + 1; divide by 5 when exact.
        let mut quotient = [0u64; 4];
        let mut rem: u128 = 0;
        for (q, limb) in quotient.iter_mut().rev().zip(n.0.iter().rev()) {
            let cur = (rem << 64) | u128::from(*limb);
            *q = u64::try_from(cur / 5).ok()?;
            rem = cur % 5;
        }
        if rem == 0 {
            return Some(BigInt::new(quotient));
        }
    }
    None
}

fn fifth_root(x: Fr, exponent: &BigInt<4>) -> Option<Fr> {
    let root = x.pow(exponent.0);
    (super::pow5(root) == x).then_some(root)
}

fn mat_vec(m: &Mat, v: &[Fr]) -> Vec<Fr> {
    m.iter()
        .map(|row| row.iter().zip(v).map(|(a, b)| *a * b).sum())
        .collect()
}

/// `v^T * m` as a vector.
fn vec_mat(v: &[Fr], m: &Mat) -> Vec<Fr> {
    let cols = m.first().map_or(0, Vec::len);
    let mut out = vec![Fr::zero(); cols];
    for (vi, row) in v.iter().zip(m) {
        for (o, x) in out.iter_mut().zip(row) {
            *o += *vi * x;
        }
    }
    out
}

fn mat_mul(a: &Mat, b: &Mat) -> Mat {
    a.iter().map(|row| vec_mat(row, b)).collect()
}

/// `m^e` by squaring (powers of one matrix commute, so the order of the products is free).
fn mat_pow(m: &Mat, mut e: usize) -> Mat {
    let mut result = identity(m.len());
    let mut base = m.clone();
    while e > 0 {
        if e & 1 == 1 {
            result = mat_mul(&result, &base);
        }
        e >>= 1;
        if e > 0 {
            base = mat_mul(&base, &base);
        }
    }
    result
}

fn identity(n: usize) -> Mat {
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| if i == j { Fr::one() } else { Fr::zero() })
                .collect()
        })
        .collect()
}

/// Gauss-Jordan inverse; `None` if singular.
fn inverse(m: &Mat) -> Option<Mat> {
    let n = m.len();
    let mut a: Mat = m.clone();
    let mut inv = identity(n);
    for col in 0..n {
        let pivot = (col..n).find(|&r| {
            a.get(r)
                .and_then(|row| row.get(col))
                .is_some_and(|x| !x.is_zero())
        })?;
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let scale = a.get(col)?.get(col)?.inverse()?;
        let pivot_a: Vec<Fr> = a.get(col)?.iter().map(|x| *x * scale).collect();
        let pivot_i: Vec<Fr> = inv.get(col)?.iter().map(|x| *x * scale).collect();
        for (r, (row_a, row_i)) in a.iter_mut().zip(inv.iter_mut()).enumerate() {
            if r == col {
                row_a.clone_from(&pivot_a);
                row_i.clone_from(&pivot_i);
                continue;
            }
            let factor = *row_a.get(col)?;
            if factor.is_zero() {
                continue;
            }
            for (x, p) in row_a.iter_mut().zip(&pivot_a) {
                *x -= factor * p;
            }
            for (x, p) in row_i.iter_mut().zip(&pivot_i) {
                *x -= factor * p;
            }
        }
    }
    Some(inv)
}

fn arr<const T: usize>(v: &[Fr]) -> Option<[Fr; T]> {
    v.try_into().ok()
}

/// Derives the optimized form from the plain parameters (width-generic: one copy of this code
/// serves every width).
pub(crate) fn build(p: &Params) -> Option<FlatParams> {
    let t = p.t;
    if t < 2 || p.mds.len() != t * t {
        return None;
    }
    let half = p.full_rounds / 2;
    let rp = p.partial_rounds;
    let m: Mat = p.mds.chunks_exact(t).map(<[Fr]>::to_vec).collect();
    let row0 = m.first()?.clone();
    let w: Vec<Fr> = m
        .iter()
        .skip(1)
        .map(|r| r.first().copied())
        .collect::<Option<_>>()?;
    let m_rest: Mat = m.iter().skip(1).cloned().collect();
    let m_hat: Mat = m_rest
        .iter()
        .map(|r| r.iter().skip(1).copied().collect())
        .collect();
    let m_hat_inv = inverse(&m_hat)?;
    let v: Vec<Fr> = row0.iter().skip(1).copied().collect();
    let m00 = *row0.first()?;

    let rounds: Vec<&[Fr]> = p.constants.chunks_exact(t).collect();
    let first_constants: Vec<Fr> = rounds.get(..half)?.concat();

    // Forward push of the non-first partial-round constants.
    let mut carry = vec![Fr::zero(); t];
    let mut partial_constants = Vec::with_capacity(rp);
    for c in rounds.get(half..half + rp)? {
        let c: Vec<Fr> = c.iter().zip(&carry).map(|(a, b)| *a + b).collect();
        partial_constants.push(*c.first()?);
        let rest: Vec<Fr> = std::iter::once(Fr::zero())
            .chain(c.iter().skip(1).copied())
            .collect();
        carry = mat_vec(&m, &rest);
    }
    let mut second: Vec<Vec<Fr>> = rounds
        .get(half + rp..)?
        .iter()
        .map(|c| c.to_vec())
        .collect();
    for (x, c) in second.first_mut()?.iter_mut().zip(&carry) {
        *x += c;
    }
    let second_constants: Vec<Fr> = second.concat();

    // Sparse factors: the partial round with j partial rounds after it multiplies by
    // [[m00, v^T M^^-(j+1)], [M^^j w, I]].
    let mut us = Vec::with_capacity(rp);
    let mut ws = Vec::with_capacity(rp);
    let mut u = vec_mat(&v, &m_hat_inv);
    let mut wj = w;
    for _ in 0..rp {
        let next_u = vec_mat(&u, &m_hat_inv);
        let next_w = mat_vec(&m_hat, &wj);
        us.push(std::mem::replace(&mut u, next_u));
        ws.push(std::mem::replace(&mut wj, next_w));
    }
    // Per-round scaling: the first element is carried divided by lambda_k with
    // lambda_k^5 = 1 / w_1(k) (lambda after the last partial round is 1), which turns the
    // multiplication by w_1 into an addition. Round k then computes, on the scaled state,
    // y = (s_0 + c_k / lambda_k)^5, s_0' = a_k y + u_k . s_rest, s_j' = s_j + w_j(k) lambda_k^5 y,
    // with a_k = m00 lambda_k^5 / lambda_{k+1}, u_k = u / lambda_{k+1}.
    let exponent = inverse_of_five_exponent()?;
    let factors: Vec<(Vec<Fr>, Vec<Fr>)> = us.into_iter().zip(ws).rev().collect();
    // 1 / lambda_k is the fifth root of w_1(k). (This runs inside a `OnceLock` initialiser:
    // nothing here may call into rayon, whose work stealing could re-enter it on this thread
    // and deadlock; hence no `ark_ff::batch_inversion`, parallel with ark-ff's `parallel`.)
    let mut lambda_inv = Vec::with_capacity(rp + 1);
    for (_, w) in &factors {
        let w1 = *w.first()?;
        if w1.is_zero() {
            return None;
        }
        lambda_inv.push(fifth_root(w1, &exponent)?);
    }
    lambda_inv.push(Fr::one());
    let lambda: Vec<Fr> = lambda_inv
        .iter()
        .map(Field::inverse)
        .collect::<Option<_>>()?;
    let mut sparse_rows = Vec::with_capacity(rp * t);
    let mut sparse_cols = Vec::with_capacity(rp * t);
    let mut scaled_constants = Vec::with_capacity(rp);
    for (k, ((u, w), c)) in factors.iter().zip(&partial_constants).enumerate() {
        let (l_inv, next_inv) = (*lambda_inv.get(k)?, *lambda_inv.get(k + 1)?);
        let l5 = super::pow5(*lambda.get(k)?);
        let row = std::iter::once(m00 * l5 * next_inv).chain(u.iter().map(|x| *x * next_inv));
        let col = std::iter::once(Fr::zero()).chain(w.iter().map(|x| *x * l5));
        let (rows_before, cols_before) = (sparse_rows.len(), sparse_cols.len());
        sparse_rows.extend(row);
        sparse_cols.extend(col);
        if sparse_rows.len() != rows_before + t || sparse_cols.len() != cols_before + t {
            return None;
        }
        scaled_constants.push(*c * l_inv);
    }
    let partial_constants = scaled_constants;
    let first_lambda_inv = *lambda_inv.first()?;
    let d = mat_pow(&m_hat, rp);
    let row0_scaled: Vec<Fr> = row0.iter().map(|x| *x * first_lambda_inv).collect();
    let pre: Mat = std::iter::once(row0_scaled)
        .chain(mat_mul(&d, &m_rest))
        .collect();

    let flat = FlatParams {
        t,
        first_constants,
        mds: m.concat(),
        pre_partial_mds: pre.concat(),
        partial_constants,
        sparse_rows,
        sparse_cols,
        second_constants,
    };
    let ok = flat.first_constants.len() == half * t
        && flat.second_constants.len() == p.full_rounds.saturating_sub(half) * t
        && flat.pre_partial_mds.len() == t * t
        && flat.partial_constants.len() == rp;
    ok.then_some(flat)
}

#[inline(always)]
fn add_sbox<const T: usize>(s: &mut [Fr; T], c: &[Fr; T]) {
    for (x, c) in s.iter_mut().zip(c) {
        *x = pow5(*x + c);
    }
}

#[inline(always)]
fn mix<const T: usize>(m: &[[Fr; T]; T], s: &mut [Fr; T]) {
    let old = *s;
    for (x, row) in s.iter_mut().zip(m) {
        *x = Fr::sum_of_products(row, &old);
    }
}

/// The permutation on `s`; returns the first element of the result (the only one computed in
/// the last round).
#[inline(always)]
fn permute<const T: usize>(o: &OptParams<T>, s: &mut [Fr; T]) -> Fr {
    let half = o.first_constants.len();
    for (r, c) in o.first_constants.iter().enumerate() {
        add_sbox(s, c);
        mix(
            if r + 1 == half {
                &o.pre_partial_mds
            } else {
                &o.mds
            },
            s,
        );
    }
    for (c, sp) in o.partial_constants.iter().zip(&o.sparse) {
        let Some(first) = s.first_mut() else {
            return Fr::zero();
        };
        let x0 = pow5(*first + c);
        *first = x0;
        let new0 = Fr::sum_of_products(&sp.row, s);
        let mut rest = s.iter_mut().zip(&sp.col).skip(1);
        if let Some((x1, _)) = rest.next() {
            *x1 += x0;
        }
        for (x, w) in rest {
            *x += *w * x0;
        }
        if let Some(first) = s.first_mut() {
            *first = new0;
        }
    }
    let last = o.second_constants.len();
    for (r, c) in o.second_constants.iter().enumerate() {
        add_sbox(s, c);
        if r + 1 == last {
            return o
                .mds
                .first()
                .map_or_else(Fr::zero, |row0| Fr::sum_of_products(row0, s));
        }
        mix(&o.mds, s);
    }
    s.first().copied().unwrap_or_else(Fr::zero)
}

/// The width-generic permutation on `s` (`s.len() == f.t`): the same arithmetic as
/// [`permute`], over slices instead of fixed-size arrays, so one copy of the code serves every
/// width (the `small-code` feature uses it for the widths that are not hot).
fn permute_flat(f: &FlatParams, s: &mut [Fr]) -> Fr {
    let t = f.t;
    if t == 0 || s.len() != t {
        return Fr::zero();
    }
    let half = f.first_constants.len() / t;
    for (r, c) in f.first_constants.chunks_exact(t).enumerate() {
        for (x, c) in s.iter_mut().zip(c) {
            *x = pow5(*x + c);
        }
        mix_flat(
            if r + 1 == half {
                &f.pre_partial_mds
            } else {
                &f.mds
            },
            s,
        );
    }
    let sparse = f
        .sparse_rows
        .chunks_exact(t)
        .zip(f.sparse_cols.chunks_exact(t));
    for (c, (row, col)) in f.partial_constants.iter().zip(sparse) {
        let Some(first) = s.first_mut() else {
            return Fr::zero();
        };
        let x0 = pow5(*first + c);
        *first = x0;
        let new0 = dot(row, s);
        let mut rest = s.iter_mut().zip(col).skip(1);
        if let Some((x1, _)) = rest.next() {
            *x1 += x0;
        }
        for (x, w) in rest {
            *x += *w * x0;
        }
        if let Some(first) = s.first_mut() {
            *first = new0;
        }
    }
    let last = f.second_constants.len() / t;
    for (r, c) in f.second_constants.chunks_exact(t).enumerate() {
        for (x, c) in s.iter_mut().zip(c) {
            *x = pow5(*x + c);
        }
        if r + 1 == last {
            return f.mds.get(..t).map_or_else(Fr::zero, |row0| dot(row0, s));
        }
        mix_flat(&f.mds, s);
    }
    s.first().copied().unwrap_or_else(Fr::zero)
}

fn dot(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

/// `s = m * s` for the row-major `t * t` matrix `m` (`t = s.len() <= MAX_INPUTS + 1`).
fn mix_flat(m: &[Fr], s: &mut [Fr]) {
    let mut buf = [Fr::zero(); MAX_INPUTS + 1];
    let Some(old) = buf.get_mut(..s.len()) else {
        return;
    };
    old.copy_from_slice(s);
    for (x, row) in s.iter_mut().zip(m.chunks_exact(old.len())) {
        *x = dot(row, old);
    }
}

static FLAT: [OnceLock<Option<FlatParams>>; MAX_INPUTS] = [const { OnceLock::new() }; MAX_INPUTS];

/// The width-generic optimized parameters for `n_inputs` inputs, derived once.
fn flat_params(n_inputs: usize) -> Option<&'static FlatParams> {
    let cell = FLAT.get(n_inputs.checked_sub(1)?)?;
    cell.get_or_init(|| params(n_inputs).ok().and_then(build))
        .as_ref()
}

/// Hashes `inputs` with the width-generic permutation (t = `inputs.len() + 1`).
pub(crate) fn hash_flat(inputs: &[Fr]) -> Result<Fr, PoseidonError> {
    let n = inputs.len();
    if n == 0 || n > MAX_INPUTS {
        return Err(PoseidonError::InputCount { got: n });
    }
    let Some(f) = flat_params(n) else {
        return super::hash_reference(inputs);
    };
    let mut buf = [Fr::zero(); MAX_INPUTS + 1];
    let Some(s) = buf.get_mut(..f.t) else {
        return super::hash_reference(inputs);
    };
    for (x, i) in s.iter_mut().skip(1).zip(inputs) {
        *x = *i;
    }
    Ok(permute_flat(f, s))
}

type Cell<const T: usize> = OnceLock<Option<OptParams<T>>>;

/// The fixed-width optimized parameters of width `T`, derived once.
fn opt_params<const T: usize>(cell: &'static Cell<T>) -> Option<&'static OptParams<T>> {
    cell.get_or_init(|| {
        params(T - 1)
            .ok()
            .and_then(build)
            .and_then(|f| OptParams::from_flat(&f))
    })
    .as_ref()
}

/// Hashes `inputs` (exactly `T - 1` of them) with width `T`.
fn run<const T: usize>(inputs: &[Fr], cell: &'static Cell<T>) -> Result<Fr, PoseidonError> {
    match opt_params(cell) {
        Some(o) if inputs.len() + 1 == T => {
            let mut s = [Fr::zero(); T];
            for (x, i) in s.iter_mut().skip(1).zip(inputs) {
                *x = *i;
            }
            Ok(permute(o, &mut s))
        }
        _ => super::hash_reference(inputs),
    }
}

/// `widths! { n => t, CELL; ... }`: one monomorphised permutation for each listed input count
/// `n` (width `t = n + 1`); every other count from 1 to `MAX_INPUTS` runs [`hash_flat`].
macro_rules! widths {
    ($($n:literal => $t:literal, $cell:ident;)*) => {
        $(static $cell: Cell<$t> = OnceLock::new();)*

        pub(crate) fn hash(inputs: &[Fr]) -> Result<Fr, PoseidonError> {
            match inputs.len() {
                $($n => run::<$t>(inputs, &$cell),)*
                _ => hash_flat(inputs),
            }
        }

        /// For each width 2..=17: whether the optimized form was derived (no fallback), in
        /// both forms where the width has a fixed-size copy.
        #[cfg(test)]
        pub(crate) fn optimized_widths() -> Vec<bool> {
            let fixed = [$(($n, opt_params(&$cell).is_some()),)*];
            (1..=MAX_INPUTS)
                .map(|n| {
                    flat_params(n).is_some()
                        && fixed.iter().all(|&(m, ok): &(usize, bool)| m != n || ok)
                })
                .collect()
        }
    };
}

// Every width gets its own copy (fastest; ~50 kB of code per width in wasm).
#[cfg(not(feature = "small-code"))]
widths! {
    1 => 2, P2; 2 => 3, P3; 3 => 4, P4; 4 => 5, P5; 5 => 6, P6; 6 => 7, P7; 7 => 8, P8;
    8 => 9, P9; 9 => 10, P10; 10 => 11, P11; 11 => 12, P12; 12 => 13, P13; 13 => 14, P14;
    14 => 15, P15; 15 => 16, P16; 16 => 17, P17;
}

// `small-code` (the wasm build): a copy only for the hot width, the Merkle node (t = 3: 509 of
// a shape-hiding record's 511 hashes); the others (the field leaves, t = 5, two or so per
// record; statement hashes, one per proof) share `hash_flat`. The t = 5 copy went to keep the
// full module under its 500 kB gzipped budget (docs/benchmarks/wasm.md, 7 Dec 2026).
#[cfg(feature = "small-code")]
widths! {
    2 => 3, P3;
}

/// t = 3 without the dispatch.
pub(crate) fn hash2(a: Fr, b: Fr) -> Fr {
    // Two inputs is always a supported count, so the error arm is unreachable.
    run::<3>(&[a, b], &P3).unwrap_or_else(|_| Fr::zero())
}
