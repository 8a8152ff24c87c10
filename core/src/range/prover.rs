//! The column proof's prover and verifier arithmetic (decision 0107): the aggregated
//! Bulletproofs range proof of `bulletproofs` 5 (`RangeProof::prove_multiple` and
//! `verify_multiple`, the same transcript, the same equations, the same bytes), computed here so
//! that the work runs on every core (rayon, under the `parallel` feature) and the generators
//! come from the shared cache ([`super::gens`]):
//!
//! * the commitment `A` (constant-time selections) and `S` (constant-time multiscalar
//!   multiplications) in chunks, the `n·m` parties' shares computed as one (their sum is what
//!   the transcript and the proof carry);
//! * the inner-product argument's `L`, `R` multiscalar multiplications split across threads and
//!   its generator folding in parallel chunks;
//! * verification as one multiscalar multiplication (the equation of [`super::verify_batch`]
//!   for one proof), split across threads;
//! * the generators read where the cache holds them ([`GenVec`]), never copied whole: the
//!   first inner-product round folds them into half-length vectors (decision 0117);
//! * every secret scalar and vector (blindings, `s_L`, `s_R`, the polynomial's coefficients, the
//!   inner-product witness) in [`Zeroizing`] wrappers, wiped when the prover returns.
//!
//! The tests check it against the crate both ways: proofs made here verify with the crate's
//! verifier, and the crate's proofs verify here.

#![allow(non_snake_case)]

use super::gens::{ColumnGens, GenVec};
use super::*;
use curve25519_dalek::traits::MultiscalarMul;
use subtle::{Choice, ConditionallySelectable};

/// Points per parallel chunk of the folding and of `A`, `S`.
const CHUNK: usize = 64;
/// Below this many points a multiscalar multiplication is not split across threads.
#[cfg_attr(not(feature = "parallel"), allow(dead_code))]
const PAR_MSM_MIN: usize = 2048;

/// `Σ scalars[i]·point(i)`, variable time, split across the thread pool for large inputs; the
/// points are read where they are (the cache's chains, a proof's terms before them), never
/// gathered into one vector.
pub(super) fn msm_indexed<'p>(
    scalars: &[Scalar],
    point: impl Fn(usize) -> &'p RistrettoPoint + Sync,
) -> RistrettoPoint {
    #[cfg(feature = "parallel")]
    {
        let threads = rayon::current_num_threads().max(1);
        if scalars.len() >= PAR_MSM_MIN && threads > 1 {
            use rayon::prelude::*;
            let part = scalars.len().div_ceil(threads);
            return scalars
                .par_chunks(part)
                .enumerate()
                .map(|(c, s)| {
                    let lo = c * part;
                    RistrettoPoint::vartime_multiscalar_mul(s, (lo..lo + s.len()).map(&point))
                })
                .reduce(RistrettoPoint::identity, |a, b| a + b);
        }
    }
    RistrettoPoint::vartime_multiscalar_mul(scalars, (0..scalars.len()).map(point))
}

/// Runs `f` on each index range `lo..hi` of at most `CHUNK` of `0..n`, in parallel when
/// enabled, and sums the results.
fn sum_chunks(
    n: usize,
    f: impl Fn(usize, usize) -> RistrettoPoint + Sync + Send,
) -> RistrettoPoint {
    let chunks = n.div_ceil(CHUNK);
    let run = |c: usize| f(c * CHUNK, ((c + 1) * CHUNK).min(n));
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..chunks)
            .into_par_iter()
            .map(run)
            .reduce(RistrettoPoint::identity, |a, b| a + b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..chunks)
            .map(run)
            .fold(RistrettoPoint::identity(), |a, b| a + b)
    }
}

/// `lo[i] ← s(i).0·lo[i] + s(i).1·hi[i]` for every `i`, in parallel chunks when enabled.
fn fold_points(
    lo: &mut [RistrettoPoint],
    hi: &[RistrettoPoint],
    s: impl Fn(usize) -> (Scalar, Scalar) + Sync + Send,
) {
    let work = |(c, (l, h)): (usize, (&mut [RistrettoPoint], &[RistrettoPoint]))| {
        for (k, (pl, ph)) in l.iter_mut().zip(h).enumerate() {
            let (a, b) = s(c * CHUNK + k);
            *pl = RistrettoPoint::vartime_multiscalar_mul([a, b], [*pl, *ph]);
        }
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        lo.par_chunks_mut(CHUNK)
            .zip(hi.par_chunks(CHUNK))
            .enumerate()
            .for_each(work);
    }
    #[cfg(not(feature = "parallel"))]
    lo.chunks_mut(CHUNK)
        .zip(hi.chunks(CHUNK))
        .enumerate()
        .for_each(work);
}

/// The first fold, out of the cache: `out[i] = s(i).0·v[i] + s(i).1·v[n + i]` for `i < n`
/// (`v` has `2n` points), a new vector of half the length.
fn fold_from(
    v: &GenVec<'_>,
    n: usize,
    s: impl Fn(usize) -> (Scalar, Scalar) + Sync + Send,
) -> Result<Vec<RistrettoPoint>, ProveError> {
    let one = |i: usize| -> Result<RistrettoPoint, ProveError> {
        let (a, b) = s(i);
        match (v.get(i), v.get(n + i)) {
            (Some(l), Some(h)) => Ok(RistrettoPoint::vartime_multiscalar_mul([a, b], [l, h])),
            _ => Err(ProveError::Range("column generators")),
        }
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(one).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..n).map(one).collect()
    }
}

fn inner_product(a: &[Scalar], b: &[Scalar]) -> Scalar {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Proves `values[j] ∈ [0, 2^bits)` with blindings `blindings[j]` for commitments
/// `commitments[j]` (`values[j]·B + blindings[j]·B̃`, checked by the caller; `m =
/// values.len()` a power of two), on `transcript`. Returns the proof body (the crate's
/// `RangeProof::to_bytes` layout).
pub(super) fn prove<R: RngCore + CryptoRng>(
    transcript: &mut Transcript,
    gens: &ColumnGens,
    bits: usize,
    (values, blindings, commitments): (&[u64], &[Scalar], &[CompressedRistretto]),
    rng: &mut CheckedRng<'_, R>,
) -> Result<Vec<u8>, ProveError> {
    let m = values.len();
    let nm = bits * m;
    if !matches!(bits, 8 | 16 | 32 | 64)
        || !m.is_power_of_two()
        || blindings.len() != m
        || commitments.len() != m
    {
        return Err(ProveError::Range("column proof shape"));
    }
    let G = gens.g();
    let H = gens.h();
    if G.len() != nm || H.len() != nm {
        return Err(ProveError::Range("column generators"));
    }
    let id = RistrettoPoint::identity();
    let (g, h) = (
        |k: usize| G.get(k).unwrap_or(&id),
        |k: usize| H.get(k).unwrap_or(&id),
    );
    let pc = pedersen_gens();
    transcript.append_message(b"dom-sep", b"rangeproof v1");
    transcript.append_u64(b"n", bits as u64);
    transcript.append_u64(b"m", m as u64);
    for v in commitments {
        transcript.append_message(b"V", v.as_bytes());
    }

    // A = a_blinding·B̃ + Σ (bit ? G_k : −H_k), constant time in the bits.
    let bit = |k: usize| -> u8 {
        let v = values.get(k / bits).copied().unwrap_or(0);
        ((v >> (k % bits)) & 1) as u8
    };
    // Randomness in the crate's order, so a seeded RNG gives the crate's bytes: per party
    // a_blinding, s_blinding, s_L (n), s_R (n); after the bit challenge, per party τ1, τ2. The
    // parties' shares are summed (the proof carries only the sums).
    let mut a_blinding = Zeroizing::new(Scalar::ZERO);
    let mut s_blinding = Zeroizing::new(Scalar::ZERO);
    let mut s_L: Zeroizing<Vec<Scalar>> = Zeroizing::new(Vec::with_capacity(nm));
    let mut s_R: Zeroizing<Vec<Scalar>> = Zeroizing::new(Vec::with_capacity(nm));
    for _ in 0..m {
        *a_blinding += random_scalar(rng);
        *s_blinding += random_scalar(rng);
        for _ in 0..bits {
            s_L.push(random_scalar(rng));
        }
        for _ in 0..bits {
            s_R.push(random_scalar(rng));
        }
    }
    let sel = sum_chunks(nm, |lo, hi| {
        let mut acc = RistrettoPoint::identity();
        for k in lo..hi {
            acc += RistrettoPoint::conditional_select(&(-h(k)), g(k), Choice::from(bit(k)));
        }
        acc
    });
    let A = pc.B_blinding * *a_blinding + sel;

    // S = s_blinding·B̃ + <s_L, G> + <s_R, H>, constant time.
    let S = pc.B_blinding * *s_blinding
        + sum_chunks(nm, |lo, hi| match (s_L.get(lo..hi), s_R.get(lo..hi)) {
            (Some(sl), Some(sr)) => RistrettoPoint::multiscalar_mul(
                sl.iter().chain(sr),
                (lo..hi).map(g).chain((lo..hi).map(h)),
            ),
            _ => RistrettoPoint::identity(),
        });
    transcript.append_message(b"A", A.compress().as_bytes());
    transcript.append_message(b"S", S.compress().as_bytes());
    let y = challenge_scalar(transcript, b"y");
    let z = challenge_scalar(transcript, b"z");
    let zz = z * z;

    // l(X) = (a_L − z) + s_L·X, r(X) = y^k ∘ (a_R + z + s_R·X) + z^{2+j}·2^i (k = j·n + i)
    let mut l0: Zeroizing<Vec<Scalar>> = Zeroizing::new(Vec::with_capacity(nm));
    let mut r0: Zeroizing<Vec<Scalar>> = Zeroizing::new(Vec::with_capacity(nm));
    let mut r1: Zeroizing<Vec<Scalar>> = Zeroizing::new(Vec::with_capacity(nm));
    let mut exp_y = Scalar::ONE;
    let mut zz_j = zz;
    for j in 0..m {
        let mut exp_2 = Scalar::ONE;
        for i in 0..bits {
            let k = j * bits + i;
            let a_L = Scalar::from(bit(k));
            let a_R = a_L - Scalar::ONE;
            l0.push(a_L - z);
            r0.push(exp_y * (a_R + z) + zz_j * exp_2);
            r1.push(exp_y * s_R.get(k).copied().unwrap_or(Scalar::ZERO));
            exp_y *= y;
            exp_2 = exp_2 + exp_2;
        }
        zz_j *= z;
    }
    let t0 = Zeroizing::new(inner_product(&l0, &r0));
    let t2 = Zeroizing::new(inner_product(&s_L, &r1));
    let t1 = Zeroizing::new(
        l0.iter()
            .zip(s_L.iter())
            .zip(r0.iter().zip(r1.iter()))
            .map(|((a, b), (c, d))| (a + b) * (c + d))
            .sum::<Scalar>()
            - *t0
            - *t2,
    );
    let mut t1_blinding = Zeroizing::new(Scalar::ZERO);
    let mut t2_blinding = Zeroizing::new(Scalar::ZERO);
    for _ in 0..m {
        *t1_blinding += random_scalar(rng);
        *t2_blinding += random_scalar(rng);
    }
    let T_1 = pc.commit(*t1, *t1_blinding);
    let T_2 = pc.commit(*t2, *t2_blinding);
    transcript.append_message(b"T_1", T_1.compress().as_bytes());
    transcript.append_message(b"T_2", T_2.compress().as_bytes());
    let x = challenge_scalar(transcript, b"x");
    if x == Scalar::ZERO {
        return Err(ProveError::Range("zero challenge"));
    }
    let t_x = *t0 + x * (*t1 + x * *t2);
    let mut gamma = Zeroizing::new(Scalar::ZERO);
    let mut z_j = Scalar::ONE;
    for b in blindings {
        *gamma += z_j * b;
        z_j *= z;
    }
    let t_x_blinding = zz * *gamma + x * (*t1_blinding + x * *t2_blinding);
    let e_blinding = *a_blinding + *s_blinding * x;
    transcript.append_message(b"t_x", t_x.as_bytes());
    transcript.append_message(b"t_x_blinding", t_x_blinding.as_bytes());
    transcript.append_message(b"e_blinding", e_blinding.as_bytes());
    let w = challenge_scalar(transcript, b"w");
    let Q = pc.B * w;

    let l: Zeroizing<Vec<Scalar>> =
        Zeroizing::new(l0.iter().zip(s_L.iter()).map(|(a, b)| a + x * b).collect());
    let r: Zeroizing<Vec<Scalar>> =
        Zeroizing::new(r0.iter().zip(r1.iter()).map(|(a, b)| a + x * b).collect());
    drop((l0, r0, r1, s_L, s_R));
    let y_inv = y.invert();
    let mut H_factors = Vec::with_capacity(nm);
    let mut f = Scalar::ONE;
    for _ in 0..nm {
        H_factors.push(f);
        f *= y_inv;
    }
    let (L, R, a, b) = inner_product_proof(transcript, &Q, &H_factors, (&G, &H), (l, r))?;

    let mut body = Vec::with_capacity(32 * (9 + 2 * L.len()));
    for p in [A, S, T_1, T_2] {
        body.extend_from_slice(p.compress().as_bytes());
    }
    for s in [t_x, t_x_blinding, e_blinding] {
        body.extend_from_slice(s.as_bytes());
    }
    for (l, r) in L.iter().zip(&R) {
        body.extend_from_slice(l.as_bytes());
        body.extend_from_slice(r.as_bytes());
    }
    body.extend_from_slice(a.as_bytes());
    body.extend_from_slice(b.as_bytes());
    Ok(body)
}

type Ipp = (
    Vec<CompressedRistretto>,
    Vec<CompressedRistretto>,
    Scalar,
    Scalar,
);

/// `bulletproofs`' `InnerProductProof::create` with `G_factors = 1`, in parallel. The first
/// round reads the generators from the cache and folds them into half-length vectors; later
/// rounds fold those in place.
fn inner_product_proof(
    transcript: &mut Transcript,
    Q: &RistrettoPoint,
    H_factors: &[Scalar],
    (Gv, Hv): (&GenVec<'_>, &GenVec<'_>),
    (mut a, mut b): (Zeroizing<Vec<Scalar>>, Zeroizing<Vec<Scalar>>),
) -> Result<Ipp, ProveError> {
    let mut n = Gv.len();
    if !n.is_power_of_two() || Hv.len() != n || a.len() != n || b.len() != n {
        return Err(ProveError::Range("inner-product shape"));
    }
    transcript.append_message(b"dom-sep", b"ipp v1");
    transcript.append_u64(b"n", n as u64);
    let mut L_vec = Vec::new();
    let mut R_vec = Vec::new();
    let mut first = true;
    // The folded generators (empty until the first round has folded the cache's).
    let mut G: Vec<RistrettoPoint> = Vec::new();
    let mut H: Vec<RistrettoPoint> = Vec::new();
    let mut scalars: Zeroizing<Vec<Scalar>> = Zeroizing::new(Vec::with_capacity(n + 1));
    let id = RistrettoPoint::identity();
    while n != 1 {
        n /= 2;
        let hf = |i: usize| {
            if first {
                H_factors.get(i).copied().unwrap_or(Scalar::ONE)
            } else {
                Scalar::ONE
            }
        };
        let (a_L, a_R) = a.split_at_mut(n);
        let (b_L, b_R) = b.split_at_mut(n);
        let c_L = Zeroizing::new(inner_product(a_L, b_R));
        let c_R = Zeroizing::new(inner_product(a_R, b_L));
        let (L, R) = {
            let (gs, hs): (&[RistrettoPoint], &[RistrettoPoint]) = (&G, &H);
            // the current generators: the cache's on the first round, the folded ones after
            let g = |k: usize| -> &RistrettoPoint {
                if first { Gv.get(k) } else { gs.get(k) }.unwrap_or(&id)
            };
            let h = |k: usize| -> &RistrettoPoint {
                if first { Hv.get(k) } else { hs.get(k) }.unwrap_or(&id)
            };
            // L = <a_L, G_R> + <b_R, hf∘H_L> + c_L·Q
            scalars.clear();
            scalars.extend_from_slice(a_L);
            scalars.extend(b_R.iter().enumerate().map(|(i, b)| b * hf(i)));
            scalars.push(*c_L);
            let L = msm_indexed(&scalars, |i| match i {
                i if i < n => g(n + i),
                i if i < 2 * n => h(i - n),
                _ => Q,
            })
            .compress();
            // R = <a_R, G_L> + <b_L, hf∘H_R> + c_R·Q
            scalars.clear();
            scalars.extend_from_slice(a_R);
            scalars.extend(b_L.iter().enumerate().map(|(i, b)| b * hf(n + i)));
            scalars.push(*c_R);
            let R = msm_indexed(&scalars, |i| match i {
                i if i < n => g(i),
                i if i < 2 * n => h(i),
                _ => Q,
            })
            .compress();
            scalars.zeroize();
            (L, R)
        };

        transcript.append_message(b"L", L.as_bytes());
        transcript.append_message(b"R", R.as_bytes());
        L_vec.push(L);
        R_vec.push(R);
        let u = challenge_scalar(transcript, b"u");
        let u_inv = u.invert();
        for i in 0..n {
            if let (Some(al), Some(ar), Some(bl), Some(br)) =
                (a_L.get_mut(i), a_R.get(i), b_L.get_mut(i), b_R.get(i))
            {
                *al = *al * u + u_inv * ar;
                *bl = *bl * u_inv + u * br;
            }
        }
        if first {
            G = fold_from(Gv, n, |_| (u_inv, u))?;
            H = fold_from(Hv, n, |i| (u * hf(i), u_inv * hf(n + i)))?;
        } else {
            let (G_L, G_R) = G.split_at_mut(n);
            fold_points(G_L, G_R, |_| (u_inv, u));
            let (H_L, H_R) = H.split_at_mut(n);
            fold_points(H_L, H_R, |_| (u, u_inv));
            G.truncate(n);
            H.truncate(n);
        }
        first = false;
        a.truncate(n);
        b.truncate(n);
    }
    match (a.first(), b.first()) {
        (Some(a), Some(b)) => Ok((L_vec, R_vec, *a, *b)),
        _ => Err(ProveError::Range("inner-product shape")),
    }
}
