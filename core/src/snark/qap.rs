//! The QAP quotient of the prover (R1CS to QAP: `h = (A·B − C)/Z`), with the satisfaction
//! check folded in: [`quotient`] (decision 0118), and, for tests, `CheckedReduction`: arkworks'
//! `LibsnarkReduction` with the same check, the reference `quotient` is compared with.
//!
//! The witness map evaluates every row of A and B on the full assignment anyway; evaluating C
//! too and comparing `a_i · b_i = c_i` costs one multiplication per constraint, where
//! `ConstraintSystem::is_satisfied` re-evaluated every symbolic linear combination before
//! inlining (≈ 8 % of a proof at 10k constraints). Keys and proofs are those of
//! `Groth16::<Bn254>` (LibsnarkReduction).

use ark_ff::PrimeField;
use ark_relations::r1cs::{ConstraintMatrices, SynthesisError};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

#[cfg(test)]
pub(crate) use reference::CheckedReduction;

/// arkworks' reduction with the check, kept as the reference for tests.
#[cfg(test)]
mod reference {
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
            let domain = D::new(num_constraints + num_inputs)
                .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
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
            if full_assignment.len() < num_inputs || !(in_range(ma) && in_range(mb) && in_range(mc))
            {
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
                let mut rows = a_rows
                    .iter_mut()
                    .zip(b_rows.iter_mut())
                    .zip(c_rows.iter_mut())
                    .zip(ma.iter().zip(mb.iter()).zip(mc.iter()));
                let satisfied = rows.all(|(((a, b), c), ((at, bt), ct))| {
                    *a = evaluate_constraint(at, full_assignment);
                    *b = evaluate_constraint(bt, full_assignment);
                    *c = evaluate_constraint(ct, full_assignment);
                    *a * *b == *c
                });
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
}

/// Largest domain the prover's quotient accepts (2^28, the two-adicity of BN254's scalar field:
/// no larger radix-2 domain exists).
const MAX_LOG_DOMAIN: u32 = 28;

/// FFT stages with butterfly groups up to this many elements run block by block (each block
/// stays in the core's L2 cache through those stages): 2^12 elements, 128 KiB of `Fr`.
const LOG_BLOCK: u32 = 12;

/// Butterflies of one stage are split across threads in runs of this many.
#[cfg(feature = "parallel")]
const PAR_RUN: usize = 1 << 10;

/// The prover's QAP quotient: the coefficients of `h = (A·B − C) / Z` for the full assignment,
/// equal to arkworks' `LibsnarkReduction::witness_map_from_matrices` (hence to
/// [`CheckedReduction`]'s) for every satisfying assignment, and the same refusal
/// (`SynthesisError::Unsatisfiable`) for any other, before any FFT.
///
/// What it does differently (decision 0118; the same field operations on the same values, so the
/// same output):
/// - every inverse transform is a decimation-in-time FFT (bit-reversed in, natural out) and
///   every coset transform a decimation-in-frequency one (natural in, bit-reversed out): two
///   bit-reversal passes (of `a` and `b` after the row evaluation), where arkworks makes one per
///   FFT (seven);
/// - the roots of unity are computed once per proof, not once per FFT;
/// - `C` is not kept from the row evaluation: on the domain, `c = a ∘ b` for a satisfying
///   assignment (input rows have `b = 0 = c`), so after the check `c` is `a ∘ b`; and `A·B − C`
///   is formed in place, so three vectors of the domain size are alive at once, not four;
/// - the inverse FFT's `1/n` and the coset shift are one pass, as are `1/Z(g)`, `1/n` and the
///   shift back;
/// - stages with small butterfly groups run block by block, each block in cache;
/// - the two permutations and the twiddle table, then the three coset transforms, run side by
///   side on rayon (decision 0123).
pub(crate) fn quotient<F: PrimeField>(
    matrices: &ConstraintMatrices<F>,
    num_inputs: usize,
    num_constraints: usize,
    full_assignment: &[F],
) -> Result<Vec<F>, SynthesisError> {
    quotient_with(matrices, num_inputs, num_constraints, full_assignment, &[])
}

/// [`quotient`] where the rows named in `recorded` (`(row, a·z, b·z, c·z)`, rows in increasing
/// order, `row` among all `num_constraints`) are not in `matrices` and take these values
/// instead; `matrices` holds every other row, in order (a one-shot prover's Poseidon rows:
/// decisions 0130, 0132). Each recorded row is checked (`a·b = c`) like any other; recorded
/// rows out of order, repeated or past the constraints, or matrices with other than the rows
/// left over, are refused.
pub(crate) fn quotient_with<F: PrimeField>(
    matrices: &ConstraintMatrices<F>,
    num_inputs: usize,
    num_constraints: usize,
    full_assignment: &[F],
    recorded: &[(usize, F, F, F)],
) -> Result<Vec<F>, SynthesisError> {
    let rows = num_constraints
        .checked_add(num_inputs)
        .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    let n = rows
        .checked_next_power_of_two()
        .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    let log_n = n.trailing_zeros();
    if log_n > MAX_LOG_DOMAIN || log_n > F::TWO_ADICITY {
        return Err(SynthesisError::PolynomialDegreeTooLarge);
    }
    // The rows the matrices hold: all of them, or those not recorded.
    let held = num_constraints
        .checked_sub(recorded.len())
        .ok_or(SynthesisError::Unsatisfiable)?;
    if !recorded.is_empty() && matrices.a.len() != held {
        return Err(SynthesisError::Unsatisfiable);
    }
    let (ma, mb, mc) = (
        matrices.a.get(..held),
        matrices.b.get(..held),
        matrices.c.get(..held),
    );
    let (Some(ma), Some(mb), Some(mc)) = (ma, mb, mc) else {
        return Err(SynthesisError::Unsatisfiable);
    };
    let Some(inputs) = full_assignment.get(..num_inputs) else {
        return Err(SynthesisError::Unsatisfiable);
    };
    let z = full_assignment;
    let omega = F::get_root_of_unity(n as u64).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    let n_inv = F::from(n as u64)
        .inverse()
        .ok_or(SynthesisError::UnexpectedIdentity)?;
    let g = F::GENERATOR;
    let g_inv = g.inverse().ok_or(SynthesisError::UnexpectedIdentity)?;
    // 1 / Z(g) for Z(x) = xⁿ − 1, constant over the coset g·H.
    let z_inv = (g.pow([n as u64]) - F::one())
        .inverse()
        .ok_or(SynthesisError::UnexpectedIdentity)?;

    // A and B on the domain; C checked row by row, not kept. A
    // column outside the assignment fails the check, as in `CheckedReduction`.
    let zero = F::zero();
    let mut a = vec![zero; n];
    let mut b = vec![zero; n];
    let eval = |row: usize, (a, b): (&mut F, &mut F)| -> bool {
        if let (Some(at), Some(bt), Some(ct)) = (ma.get(row), mb.get(row), mc.get(row)) {
            let (Some(av), Some(bv), Some(cv)) =
                (eval_row(at, z), eval_row(bt, z), eval_row(ct, z))
            else {
                return false;
            };
            *a = av;
            *b = bv;
            av * bv == cv
        } else {
            false
        }
    };
    // Without recorded rows the matrix rows are the domain's first rows; with them, the matrix
    // rows are evaluated apart and merged with the recorded ones below.
    let (mut held_a, mut held_b) = if recorded.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (vec![zero; held], vec![zero; held])
    };
    let (ta, tb) = if recorded.is_empty() {
        (a.get_mut(..held), b.get_mut(..held))
    } else {
        (Some(held_a.as_mut_slice()), Some(held_b.as_mut_slice()))
    };
    let (Some(ta), Some(tb)) = (ta, tb) else {
        return Err(SynthesisError::Unsatisfiable);
    };
    #[cfg(feature = "parallel")]
    let satisfied = ta
        .par_iter_mut()
        .zip(tb.par_iter_mut())
        .enumerate()
        .with_min_len(PAR_RUN)
        .all(|(row, ab)| eval(row, ab));
    #[cfg(not(feature = "parallel"))]
    let satisfied = ta
        .iter_mut()
        .zip(tb.iter_mut())
        .enumerate()
        .all(|(row, ab)| eval(row, ab));
    if !satisfied {
        return Err(SynthesisError::Unsatisfiable);
    }
    if !recorded.is_empty() {
        // Row by row: the next recorded row if it is this one, else the next matrix row.
        let mut next_recorded = recorded.iter().peekable();
        let mut next_held = held_a.iter().zip(&held_b);
        for (row, (a, b)) in a
            .iter_mut()
            .zip(b.iter_mut())
            .take(num_constraints)
            .enumerate()
        {
            let (av, bv) = match next_recorded.next_if(|r| r.0 == row) {
                Some(&(_, av, bv, cv)) => {
                    if av * bv != cv {
                        return Err(SynthesisError::Unsatisfiable);
                    }
                    (av, bv)
                }
                None => match next_held.next() {
                    Some((av, bv)) => (*av, *bv),
                    None => return Err(SynthesisError::Unsatisfiable),
                },
            };
            *a = av;
            *b = bv;
        }
        // A recorded row out of order, repeated or past the constraints is left over.
        if next_recorded.next().is_some() || next_held.next().is_some() {
            return Err(SynthesisError::Unsatisfiable);
        }
    }
    // The input rows (`A = x_i`, `B = C = 0`) after the constraints.
    let input_rows = a
        .get_mut(num_constraints..)
        .ok_or(SynthesisError::Unsatisfiable)?;
    for (a, x) in input_rows.iter_mut().zip(inputs) {
        *a = *x;
    }
    // Rows in order (the matrices and the assignment are read in memory order), then one
    // permutation each into the bit-reversed order the first transform takes.
    // The two permutations and the twiddle table are independent: side by side (a domain of
    // up to 2^12 is one FFT block, so without this its transforms would leave a core idle).
    let (tw, ()) = join(
        || Twiddles::new(omega, log_n),
        || {
            join(
                || bitrev_permute(&mut a, log_n),
                || bitrev_permute(&mut b, log_n),
            );
        },
    );
    let mut c = pointwise(&a, &b, |x, y| x * y);

    // Evaluations on H (bit-reversed) → n·coefficients (natural) → coefficients shifted to the
    // coset (× gⁱ/n) → evaluations on g·H (bit-reversed); the three vectors side by side.
    let to_coset = |v: &mut Vec<F>| {
        tw.dit_inverse(v);
        scale_by_powers(v, n_inv, g);
        tw.dif(v);
    };
    join(
        || to_coset(&mut c),
        || join(|| to_coset(&mut a), || to_coset(&mut b)),
    );
    // (A·B − C) on g·H, in place in `a`.
    zip3_in_place(&mut a, &b, &c, |x, y, z| *x = *x * y - z);
    drop(b);
    drop(c);
    // Back to coefficients: × g⁻ⁱ / (n · Z(g)).
    tw.dit_inverse(&mut a);
    scale_by_powers(&mut a, n_inv * z_inv, g_inv);
    Ok(a)
}

/// `Σ coeff · z[j]` over a row's terms (arkworks' `evaluate_constraint` without its parallel
/// iterator per row: a row has a handful of terms), or `None` if a column is outside `z`.
#[inline]
fn eval_row<F: PrimeField>(terms: &[(F, usize)], z: &[F]) -> Option<F> {
    let mut sum = F::zero();
    for (coeff, j) in terms {
        let v = z.get(*j)?;
        if coeff.is_one() {
            sum += v;
        } else {
            sum += *v * coeff;
        }
    }
    Some(sum)
}

/// Puts `v[i]` at `bitrev(i)` (an involution: pairs swapped once).
fn bitrev_permute<F>(v: &mut [F], log_n: u32) {
    for i in 0..v.len() {
        let j = bitrev(i, log_n);
        if i < j {
            v.swap(i, j);
        }
    }
}

/// `rayon::join` with the `parallel` feature, one after the other without it.
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(feature = "parallel")]
    return rayon::join(a, b);
    #[cfg(not(feature = "parallel"))]
    (a(), b())
}

/// `i` with its low `log_n` bits reversed.
fn bitrev(i: usize, log_n: u32) -> usize {
    if log_n == 0 {
        0
    } else {
        i.reverse_bits() >> (usize::BITS - log_n)
    }
}

fn pointwise<F: PrimeField>(a: &[F], b: &[F], f: impl Fn(F, F) -> F + Sync + Send) -> Vec<F> {
    #[cfg(feature = "parallel")]
    return a
        .par_iter()
        .zip(b.par_iter())
        .with_min_len(PAR_RUN)
        .map(|(x, y)| f(*x, *y))
        .collect();
    #[cfg(not(feature = "parallel"))]
    a.iter().zip(b).map(|(x, y)| f(*x, *y)).collect()
}

fn zip3_in_place<F: PrimeField>(
    a: &mut [F],
    b: &[F],
    c: &[F],
    f: impl Fn(&mut F, F, F) + Sync + Send,
) {
    #[cfg(feature = "parallel")]
    a.par_iter_mut()
        .zip(b.par_iter().zip(c.par_iter()))
        .with_min_len(PAR_RUN)
        .for_each(|(x, (y, z))| f(x, *y, *z));
    #[cfg(not(feature = "parallel"))]
    a.iter_mut()
        .zip(b.iter().zip(c))
        .for_each(|(x, (y, z))| f(x, *y, *z));
}

/// `v[i] *= c · gⁱ`.
fn scale_by_powers<F: PrimeField>(v: &mut [F], c: F, g: F) {
    let run = |start: usize, chunk: &mut [F]| {
        let mut p = c * g.pow([start as u64]);
        for x in chunk {
            *x *= p;
            p *= g;
        }
    };
    #[cfg(feature = "parallel")]
    {
        let size = (v.len() / rayon::current_num_threads().max(1)).max(PAR_RUN);
        v.par_chunks_mut(size)
            .enumerate()
            .for_each(|(k, chunk)| run(k * size, chunk));
    }
    #[cfg(not(feature = "parallel"))]
    run(0, v);
}

/// The twiddle factors of every stage of a radix-2 FFT of size `n = 2^log_n`: for a stage whose
/// butterflies span `2m` elements, `ω_{2m}^j` for `j < m`, at `[m − 1, 2m − 1)` (n − 1 in all).
struct Twiddles<F> {
    log_n: u32,
    w: Vec<F>,
}

impl<F: PrimeField> Twiddles<F> {
    fn new(omega: F, log_n: u32) -> Self {
        let n = 1usize << log_n;
        let half = n / 2;
        let mut w = vec![F::zero(); n.saturating_sub(1)];
        if half > 0 {
            // The last stage's ω^j, j < n/2, then each earlier stage takes every second one.
            if let Some(top) = w.get_mut(half - 1..) {
                powers_into(top, omega);
            }
            let mut m = half / 2;
            while m >= 1 {
                let (low, high) = w.split_at_mut(2 * m - 1);
                if let (Some(dst), Some(src)) = (low.get_mut(m - 1..), high.get(..2 * m)) {
                    for (d, s) in dst.iter_mut().zip(src.iter().step_by(2)) {
                        *d = *s;
                    }
                }
                m /= 2;
            }
        }
        Twiddles { log_n, w }
    }

    fn stage(&self, m: usize) -> &[F] {
        self.w.get(m - 1..2 * m - 1).unwrap_or(&[])
    }

    /// Decimation in frequency with ω: natural order in, bit-reversed out (`X_k = Σ xⱼ ωʲᵏ`).
    fn dif(&self, x: &mut [F]) {
        let n = x.len();
        debug_assert_eq!(n, 1usize << self.log_n);
        let block = n.min(1 << LOG_BLOCK);
        let mut m = n / 2;
        while m >= block && m >= 1 {
            self.stage_wide(x, m, false);
            m /= 2;
        }
        let small = |blk: &mut [F]| {
            let mut m = m;
            while m >= 1 {
                let tw = self.stage(m);
                for chunk in blk.chunks_exact_mut(2 * m) {
                    let (lo, hi) = chunk.split_at_mut(m);
                    dif_butterflies(lo, hi, tw);
                }
                m /= 2;
            }
        };
        for_each_block(x, block, small);
    }

    /// The inverse transform without its `1/n`: bit-reversed in, natural out
    /// (`Y_k = Σ xⱼ ω⁻ʲᵏ`), as a forward decimation-in-time FFT followed by `Y_k = X_{n−k}`.
    fn dit_inverse(&self, x: &mut [F]) {
        let n = x.len();
        debug_assert_eq!(n, 1usize << self.log_n);
        let block = n.min(1 << LOG_BLOCK);
        let small = |blk: &mut [F]| {
            let mut m = 1;
            while 2 * m <= blk.len() {
                let tw = self.stage(m);
                for chunk in blk.chunks_exact_mut(2 * m) {
                    let (lo, hi) = chunk.split_at_mut(m);
                    dit_butterflies(lo, hi, tw);
                }
                m *= 2;
            }
        };
        for_each_block(x, block, small);
        let mut m = block;
        while m < n {
            self.stage_wide(x, m, true);
            m *= 2;
        }
        if let Some(rest) = x.get_mut(1..) {
            rest.reverse();
        }
    }

    /// One stage over the whole vector, its butterflies split across threads.
    fn stage_wide(&self, x: &mut [F], m: usize, dit: bool) {
        let tw = self.stage(m);
        for chunk in x.chunks_exact_mut(2 * m) {
            let (lo, hi) = chunk.split_at_mut(m);
            let f = |((lo, hi), tw): ((&mut [F], &mut [F]), &[F])| {
                if dit {
                    dit_butterflies(lo, hi, tw)
                } else {
                    dif_butterflies(lo, hi, tw)
                }
            };
            #[cfg(feature = "parallel")]
            lo.par_chunks_mut(PAR_RUN)
                .zip(hi.par_chunks_mut(PAR_RUN))
                .zip(tw.par_chunks(PAR_RUN))
                .for_each(f);
            #[cfg(not(feature = "parallel"))]
            f(((lo, hi), tw));
        }
    }
}

fn for_each_block<F: PrimeField>(x: &mut [F], block: usize, f: impl Fn(&mut [F]) + Sync + Send) {
    #[cfg(feature = "parallel")]
    x.par_chunks_mut(block).for_each(f);
    #[cfg(not(feature = "parallel"))]
    x.chunks_mut(block).for_each(f);
}

/// `(lo, hi) ← (lo + hi, (lo − hi)·w)`.
#[inline]
fn dif_butterflies<F: PrimeField>(lo: &mut [F], hi: &mut [F], tw: &[F]) {
    for ((l, h), w) in lo.iter_mut().zip(hi.iter_mut()).zip(tw) {
        let t = *l - *h;
        *l += *h;
        *h = t * w;
    }
}

/// `(lo, hi) ← (lo + hi·w, lo − hi·w)`.
#[inline]
fn dit_butterflies<F: PrimeField>(lo: &mut [F], hi: &mut [F], tw: &[F]) {
    for ((l, h), w) in lo.iter_mut().zip(hi.iter_mut()).zip(tw) {
        let t = *h * w;
        *h = *l - t;
        *l += t;
    }
}

/// `out[i] = ωⁱ`.
fn powers_into<F: PrimeField>(out: &mut [F], omega: F) {
    let run = |start: usize, chunk: &mut [F]| {
        let mut p = omega.pow([start as u64]);
        for x in chunk {
            *x = p;
            p *= omega;
        }
    };
    #[cfg(feature = "parallel")]
    {
        let size = (out.len() / rayon::current_num_threads().max(1)).max(PAR_RUN);
        out.par_chunks_mut(size)
            .enumerate()
            .for_each(|(k, chunk)| run(k * size, chunk));
    }
    #[cfg(not(feature = "parallel"))]
    run(0, out);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use ark_bn254::Fr;
    use ark_groth16::r1cs_to_qap::{LibsnarkReduction, R1CSToQAP};
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

    use ark_ff::{Field, One, UniformRand, Zero};
    use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
    use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};

    /// A random R1CS system with `inputs` public inputs (after the constant one) and `rows`
    /// constraints, satisfied by the returned assignment: A and B rows are random sparse
    /// combinations (repeated columns, the constant, coefficients 1, −1, small and full-width);
    /// each row's C is a fresh witness plus random other terms, the witness chosen so that
    /// `a·b = c`.
    fn random_system(
        rng: &mut StdRng,
        inputs: usize,
        rows: usize,
    ) -> (ConstraintMatrices<Fr>, Vec<Fr>) {
        let mut z: Vec<Fr> = vec![Fr::one()];
        z.extend((0..inputs).map(|_| Fr::rand(rng)));
        let ni = z.len();
        // A few free witnesses to draw on.
        let free = 1 + rng.gen_range(0..4);
        z.extend((0..free).map(|i| if i == 0 { Fr::zero() } else { Fr::rand(rng) }));
        let coeff = |rng: &mut StdRng| match rng.gen_range(0..4) {
            0 => Fr::one(),
            1 => -Fr::one(),
            2 => Fr::from(rng.gen_range(2..300u64)),
            _ => Fr::rand(rng),
        };
        let lc = |rng: &mut StdRng, z: &[Fr]| -> Vec<(Fr, usize)> {
            let terms = rng.gen_range(0..5);
            (0..terms)
                .map(|_| (coeff(rng), rng.gen_range(0..z.len())))
                .collect()
        };
        let eval = |t: &[(Fr, usize)], z: &[Fr]| t.iter().map(|(c, j)| *c * z[*j]).sum::<Fr>();
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rows {
            let at = lc(rng, &z);
            let bt = lc(rng, &z);
            let rest = lc(rng, &z);
            let k = coeff(rng);
            // k·w + rest = a·b  ⇒  w = (a·b − rest) / k.
            let w = (eval(&at, &z) * eval(&bt, &z) - eval(&rest, &z)) * k.inverse().unwrap();
            z.push(w);
            let mut ct = rest;
            ct.push((k, z.len() - 1));
            a.push(at);
            b.push(bt);
            c.push(ct);
        }
        let nz = |m: &Vec<Vec<(Fr, usize)>>| m.iter().map(Vec::len).sum();
        let m = ConstraintMatrices {
            num_instance_variables: ni,
            num_witness_variables: z.len() - ni,
            num_constraints: rows,
            a_num_non_zero: nz(&a),
            b_num_non_zero: nz(&b),
            c_num_non_zero: nz(&c),
            a,
            b,
            c,
        };
        (m, z)
    }

    fn libsnark(m: &ConstraintMatrices<Fr>, z: &[Fr]) -> Result<Vec<Fr>, SynthesisError> {
        LibsnarkReduction::witness_map_from_matrices::<Fr, D>(
            m,
            m.num_instance_variables,
            m.num_constraints,
            z,
        )
    }

    fn ours(m: &ConstraintMatrices<Fr>, z: &[Fr]) -> Result<Vec<Fr>, SynthesisError> {
        quotient(m, m.num_instance_variables, m.num_constraints, z)
    }

    #[test]
    fn quotient_equals_libsnark_on_random_satisfied_systems() {
        let mut rng = StdRng::seed_from_u64(14);
        // Domain sizes from 1 to 2^14: below, at and above the block (2^12), where the wide
        // stages run; row counts that fill the domain exactly and that leave it nearly empty.
        let shapes = [
            (0usize, 0usize),
            (0, 1),
            (1, 0),
            (1, 1),
            (2, 1),
            (1, 2),
            (3, 5),
            (1, 31),
            (4, 60),
            (2, 100),
            (1, 1023),
            (5, 4091),
            (1, 4096),
            (3, 9000),
        ];
        for (inputs, rows) in shapes {
            let (m, z) = random_system(&mut rng, inputs, rows);
            let theirs = libsnark(&m, &z).unwrap();
            assert_eq!(
                ours(&m, &z).unwrap(),
                theirs,
                "inputs {inputs}, rows {rows}"
            );
            assert_eq!(
                CheckedReduction::witness_map_from_matrices::<Fr, D>(
                    &m,
                    m.num_instance_variables,
                    m.num_constraints,
                    &z
                )
                .unwrap(),
                theirs
            );
        }
        // And the square chains of the other tests.
        for n in [1usize, 5, 100, 1000, 5000] {
            let (m, z) = system(n, false);
            assert_eq!(
                ours(&m, &z).unwrap(),
                libsnark(&m, &z).unwrap(),
                "chain {n}"
            );
        }
    }

    #[test]
    fn quotient_refuses_every_unsatisfied_system_where_libsnark_answers() {
        let mut rng = StdRng::seed_from_u64(15);
        for (inputs, rows) in [(1usize, 1usize), (2, 7), (1, 64), (3, 700), (1, 5000)] {
            let (m, z) = random_system(&mut rng, inputs, rows);
            // One changed value anywhere: an input, a free witness or a row's output (which
            // breaks that row unless its coefficient there is zero: never, by construction).
            for _ in 0..6 {
                let mut bad = z.clone();
                let j = rng.gen_range(1..bad.len());
                bad[j] += Fr::from(rng.gen_range(1..1000u64));
                if m.a.iter().zip(&m.b).zip(&m.c).all(|((a, b), c)| {
                    let e = |t: &Vec<(Fr, usize)>| t.iter().map(|(c, j)| *c * bad[*j]).sum::<Fr>();
                    e(a) * e(b) == e(c)
                }) {
                    // The change touched no row (a value no constraint uses): still satisfied.
                    assert_eq!(ours(&m, &bad).unwrap(), libsnark(&m, &bad).unwrap());
                    continue;
                }
                // LibsnarkReduction computes some h (whose proof would not verify); ours refuses.
                assert!(libsnark(&m, &bad).is_ok());
                assert_eq!(ours(&m, &bad), Err(SynthesisError::Unsatisfiable));
            }
            // The last row alone broken (the check is over every row, not a sample).
            let mut m2 = m.clone();
            m2.c.last_mut().unwrap().push((Fr::one(), 0));
            assert_eq!(ours(&m2, &z), Err(SynthesisError::Unsatisfiable));
        }
    }

    #[test]
    fn quotient_refuses_shapes_that_do_not_fit() {
        let mut rng = StdRng::seed_from_u64(16);
        let (m, z) = random_system(&mut rng, 2, 40);
        // Short assignment, a column outside it, more rows than the matrices hold, more inputs
        // than the assignment.
        assert!(ours(&m, &z[..z.len() - 1]).is_err());
        let mut wide = m.clone();
        wide.a[3].push((Fr::one(), z.len()));
        assert_eq!(ours(&wide, &z), Err(SynthesisError::Unsatisfiable));
        assert!(quotient(&m, m.num_instance_variables, m.num_constraints + 1, &z).is_err());
        assert!(quotient(&m, z.len() + 1, m.num_constraints, &z).is_err());
        assert!(quotient(&m, usize::MAX, 1, &z).is_err());
    }

    /// Decision 0132: rows taken out of the matrices and given as recorded values (their
    /// indices among all rows) give the same quotient; a record out of order, repeated, past
    /// the rows, with a wrong value, or not matching the rows left in the matrices is refused.
    #[test]
    fn recorded_rows_merge_with_the_matrix_rows() {
        let mut rng = StdRng::seed_from_u64(18);
        let (m, z) = random_system(&mut rng, 3, 700);
        let full = ours(&m, &z).unwrap();
        let e = |t: &Vec<(Fr, usize)>| t.iter().map(|(c, j)| *c * z[*j]).sum::<Fr>();
        // Take out every third row, the first and the last.
        let total = m.num_constraints;
        let taken: Vec<usize> = (0..total)
            .filter(|r| r % 3 == 1 || *r == 0 || *r + 1 == total)
            .collect();
        let mut held = m.clone();
        let mut recorded = Vec::new();
        for r in taken.iter().rev() {
            held.a.remove(*r);
            held.b.remove(*r);
            held.c.remove(*r);
        }
        held.num_constraints -= taken.len();
        for &r in &taken {
            recorded.push((r, e(&m.a[r]), e(&m.b[r]), e(&m.c[r])));
        }
        let with = |h: &ConstraintMatrices<Fr>, rec: &[(usize, Fr, Fr, Fr)]| {
            quotient_with(h, h.num_instance_variables, total, &z, rec)
        };
        assert_eq!(with(&held, &recorded).unwrap(), full);
        let refused = |rec: Vec<(usize, Fr, Fr, Fr)>, what: &str| {
            assert_eq!(
                with(&held, &rec),
                Err(SynthesisError::Unsatisfiable),
                "{what}"
            );
        };
        // Out of order, repeated, past the rows, a wrong value (a·b ≠ c), one fewer or one more.
        let mut swapped = recorded.clone();
        swapped.swap(3, 4);
        refused(swapped, "out of order");
        let mut repeated = recorded.clone();
        repeated[4].0 = repeated[3].0;
        refused(repeated, "repeated");
        let mut past = recorded.clone();
        past.last_mut().unwrap().0 = total;
        refused(past, "past the rows");
        let mut wrong = recorded.clone();
        wrong[5].3 += Fr::one();
        refused(wrong, "a·b ≠ c");
        refused(recorded[1..].to_vec(), "one fewer");
        let mut more = recorded.clone();
        more.insert(1, (2, Fr::one(), Fr::one(), Fr::one()));
        refused(more, "one more");
        // A satisfied record in other rows than the ones taken out (so the matrix rows shift).
        let mut shifted = recorded.clone();
        shifted[2].0 += 1;
        let q = with(&held, &shifted);
        assert!(q.is_err() || q.unwrap() != full, "shifted rows");
        // The matrices must hold exactly the rows left over.
        let mut extra = held.clone();
        extra.a.push(Vec::new());
        extra.b.push(Vec::new());
        extra.c.push(Vec::new());
        assert_eq!(with(&extra, &recorded), Err(SynthesisError::Unsatisfiable));
    }

    #[test]
    fn our_transforms_equal_ark_polys() {
        let mut rng = StdRng::seed_from_u64(17);
        for log_n in 0..=14u32 {
            let n = 1usize << log_n;
            let dom = Radix2EvaluationDomain::<Fr>::new(n).unwrap();
            let tw = Twiddles::new(dom.group_gen(), log_n);
            let x: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            // DIF: natural in, bit-reversed out.
            let mut ours = x.clone();
            tw.dif(&mut ours);
            let theirs = dom.fft(&x);
            for (i, v) in theirs.iter().enumerate() {
                assert_eq!(ours[bitrev(i, log_n)], *v, "dif n={n} i={i}");
            }
            // Inverse DIT: bit-reversed in, natural out, times n.
            let mut permuted = vec![Fr::zero(); n];
            for (i, v) in x.iter().enumerate() {
                permuted[bitrev(i, log_n)] = *v;
            }
            tw.dit_inverse(&mut permuted);
            let theirs = dom.ifft(&x);
            let size = Fr::from(n as u64);
            for (a, b) in permuted.iter().zip(&theirs) {
                assert_eq!(*a, *b * size, "dit n={n}");
            }
        }
    }
}
