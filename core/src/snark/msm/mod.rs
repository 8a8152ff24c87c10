//! Multi-scalar multiplication on BN254 G1 and G2: `Σ sᵢ·Pᵢ` for many scalars and points, the
//! bulk of a Groth16 proof (four G1 MSMs and one G2 MSM).
//!
//! Built on arkworks 0.5 field and curve types (results are `ark_bn254::G1Projective` /
//! `G2Projective`, equal to `ark_ec::VariableBaseMSM::msm` on the same input); one generic
//! implementation over short Weierstrass curves serves both groups. Techniques:
//!
//! * **Small-scalar partitions.** Scalars are sorted by bit length: zeros (and points at
//!   infinity) are dropped, ones are summed directly (a batch-affine addition tree), and scalars
//!   of at most 8, 16, 32 and 64 bits each get their own bucket method sized to their width, so a
//!   bit or a byte costs about one point addition instead of one per window. Groth16 witnesses
//!   are mostly bits (every comparison is a bit decomposition).
//! * **Signed (Booth) digits.** Each window of `c` bits is read with one bit of overlap into a
//!   digit in `[−2^(c−1), 2^(c−1)]` (negating a point is free), which halves the buckets; the
//!   digit of a window depends only on its own `c + 1` bits, so windows need no carry between
//!   them and no digit table.
//! * **Batch-affine buckets** (see `bucket`): bucket additions in affine coordinates with one
//!   Montgomery batch inversion per batch; a point whose bucket is already pending waits in a
//!   queue for the next batch; collisions, doublings, cancellations and empty buckets are
//!   handled exactly (decision 0101).
//! * **GLV on G1** (see `glv`): a scalar wider than 128 bits becomes two halves below 2^129 on
//!   `P` and `φ(P) = (β·x, y)`, which halves the windows (decision 0101).
//! * **Window size from `n` and the class's bit width** by a cost model (docs/decisions/0068),
//!   never wider than the class's bits + 1.
//! * **Parallelism** (rayon, behind the `parallel` feature): windows, and slices of the points
//!   when there are fewer windows than threads, run as independent jobs. Without the feature
//!   (wasm32) the same jobs run on one thread; [`msm_g1_serial`] is that path on any build. The
//!   result is the same group element either way.
//!
//! G2 runs the same code over `Fq2`; its cost model counts an inversion as fewer field
//! multiplications (an `Fq2` inversion is one `Fq` inversion and a few `Fq` multiplications,
//! while an `Fq2` multiplication is three), so its batches are shorter and its windows narrower.
//!
//! G2 uses GLV (with `ψ`, see `glv`) only on bases known to lie in the order-`r` subgroup: the
//! prover's proving-key bases and [`CheckedG2Bases`] (decision 0114, amending 0101); [`msm_g2`]
//! and its siblings take any point on the twist and keep arkworks' result for it. Like
//! arkworks' MSM, the running time depends on the scalars
//! (zeros and small scalars are cheaper by design): it is not constant time.

mod bucket;
#[cfg(target_arch = "x86_64")]
mod fq_ifma;
#[cfg(not(target_arch = "wasm32"))]
mod fq_inv;
#[cfg(target_arch = "x86_64")]
mod fq_x86;
mod glv;
mod hot;
pub mod table;
#[cfg(test)]
mod tests;
#[cfg(all(test, target_arch = "x86_64"))]
mod tests_fq;
#[cfg(test)]
mod tests_g2glv;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests_inv;
#[cfg(test)]
mod tests_table;

use crate::error::SnarkError;
use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::AdditiveGroup;
use ark_ff::{BigInt, BigInteger, Field, PrimeField, Zero};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

pub use hot::HotField;
pub use table::{FixedBaseTable, G1Table, G2Table, TablePlan};

/// The most points one multi-scalar multiplication takes (the proving key's cap, 2^24).
pub const MAX_MSM_POINTS: usize = super::MAX_PROVING_KEY_POINTS;

/// `Σ scalars[i] · bases[i]` on BN254 G1, multi-threaded when the `parallel` feature is on.
///
/// Refuses slices of different lengths ([`SnarkError::MsmLengthMismatch`]) and more than
/// [`MAX_MSM_POINTS`] points ([`SnarkError::MsmTooLarge`]). An empty input gives the identity.
pub fn msm_g1(bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    let bigints = to_bigints(scalars, true);
    Ok(run(bases, &bigints, true, Some(&glv::G1)))
}

/// [`msm_g1`] on one thread, whatever the features: the path a wasm32 build takes. Same result.
pub fn msm_g1_serial(bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    let bigints = to_bigints(scalars, false);
    Ok(run(bases, &bigints, false, Some(&glv::G1)))
}

/// [`msm_g1`] on scalars already in integer form (`Fr::into_bigint`), as arkworks' provers hold
/// them. Integers need not be reduced below `r`: all 256 bits count.
pub fn msm_g1_bigint(
    bases: &[G1Affine],
    scalars: &[BigInt<4>],
) -> Result<G1Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    Ok(run(bases, scalars, true, Some(&glv::G1)))
}

/// `Σ scalars[i] · bases[i]` on BN254 G2, multi-threaded when the `parallel` feature is on. Same
/// limits and errors as [`msm_g1`].
pub fn msm_g2(bases: &[G2Affine], scalars: &[Fr]) -> Result<G2Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    let bigints = to_bigints(scalars, true);
    Ok(run(bases, &bigints, true, None))
}

/// [`msm_g2`] on one thread, whatever the features (the wasm32 path). Same result.
pub fn msm_g2_serial(bases: &[G2Affine], scalars: &[Fr]) -> Result<G2Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    let bigints = to_bigints(scalars, false);
    Ok(run(bases, &bigints, false, None))
}

/// [`msm_g2`] on scalars in integer form (all 256 bits count, as in [`msm_g1_bigint`]).
pub fn msm_g2_bigint(
    bases: &[G2Affine],
    scalars: &[BigInt<4>],
) -> Result<G2Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    Ok(run(bases, scalars, true, None))
}

/// [`msm_g1_bigint`] with the thread choice explicit (`parallel == false`: one thread). The
/// prover's entry point.
pub(crate) fn msm_g1_bigint_with(
    bases: &[G1Affine],
    scalars: &[BigInt<4>],
    parallel: bool,
) -> Result<G1Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    Ok(run(bases, scalars, parallel, Some(&glv::G1)))
}

/// [`msm_g2_bigint`] with the thread choice explicit.
pub(crate) fn msm_g2_bigint_with(
    bases: &[G2Affine],
    scalars: &[BigInt<4>],
    parallel: bool,
) -> Result<G2Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    Ok(run(bases, scalars, parallel, None))
}

/// [`msm_g2_bigint_with`] for bases the caller knows to lie in G2 (the order-`r` subgroup):
/// GLV with `ψ` (decision 0114), ≈ half the windows. Same result as [`msm_g2_bigint`] on such
/// bases; on a base outside G2 the result differs from arkworks' (`ψ` is `[λ]` on G2 only), so
/// only proving-key bases come here (the prover, whose proof is then self-checked).
pub(crate) fn msm_g2_subgroup_bigint_with(
    bases: &[G2Affine],
    scalars: &[BigInt<4>],
    parallel: bool,
) -> Result<G2Projective, SnarkError> {
    check(bases.len(), scalars.len())?;
    Ok(run(bases, scalars, parallel, Some(&glv::G2)))
}

/// BN254 G2 bases each checked to be on the curve and in the order-`r` subgroup, so that their
/// MSMs may use the endomorphism `ψ` (GLV on G2, decision 0114): about twice as fast as
/// [`msm_g2`] on full-width scalars, the same result. Checking costs about one 127-bit scalar
/// multiplication by the 64-bit curve parameter per base (`snark::g2_in_subgroup_assuming_on_curve`),
/// so this pays for bases used more than once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedG2Bases {
    bases: Vec<G2Affine>,
}

impl CheckedG2Bases {
    /// Checks every base (on the curve, in the subgroup; the identity is allowed) and keeps
    /// them. Refuses more than [`MAX_MSM_POINTS`] bases ([`SnarkError::MsmTooLarge`]) and the
    /// first base that fails ([`SnarkError::MsmBaseNotInSubgroup`], with its index).
    pub fn new(bases: Vec<G2Affine>) -> Result<Self, SnarkError> {
        if bases.len() > MAX_MSM_POINTS {
            return Err(SnarkError::MsmTooLarge {
                len: bases.len(),
                max: MAX_MSM_POINTS,
            });
        }
        let ok = |p: &G2Affine| p.is_on_curve() && super::g2_in_subgroup_assuming_on_curve(p);
        #[cfg(feature = "parallel")]
        let bad = bases.par_iter().position_first(|p| !ok(p));
        #[cfg(not(feature = "parallel"))]
        let bad = bases.iter().position(|p| !ok(p));
        match bad {
            Some(index) => Err(SnarkError::MsmBaseNotInSubgroup { index }),
            None => Ok(CheckedG2Bases { bases }),
        }
    }

    /// The bases.
    pub fn bases(&self) -> &[G2Affine] {
        &self.bases
    }

    /// How many bases.
    pub fn len(&self) -> usize {
        self.bases.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.bases.is_empty()
    }

    /// `Σ scalars[i] · bases[i]`, multi-threaded when the `parallel` feature is on: the same
    /// group element as [`msm_g2`] (and arkworks' MSM). Same limits and errors as [`msm_g2`].
    pub fn msm(&self, scalars: &[Fr]) -> Result<G2Projective, SnarkError> {
        self.msm_with(&to_bigints(scalars, true), true)
    }

    /// [`CheckedG2Bases::msm`] on one thread, whatever the features (the wasm32 path).
    pub fn msm_serial(&self, scalars: &[Fr]) -> Result<G2Projective, SnarkError> {
        self.msm_with(&to_bigints(scalars, false), false)
    }

    /// [`CheckedG2Bases::msm`] on scalars in integer form (all 256 bits count; reducing them
    /// modulo `r` is exact on the subgroup).
    pub fn msm_bigint(&self, scalars: &[BigInt<4>]) -> Result<G2Projective, SnarkError> {
        self.msm_with(scalars, true)
    }

    fn msm_with(&self, scalars: &[BigInt<4>], parallel: bool) -> Result<G2Projective, SnarkError> {
        // Every base passed `new`'s subgroup check: ψ acts as [λ] on each.
        msm_g2_subgroup_bigint_with(&self.bases, scalars, parallel)
    }
}

fn check(bases: usize, scalars: usize) -> Result<(), SnarkError> {
    if bases != scalars {
        return Err(SnarkError::MsmLengthMismatch { bases, scalars });
    }
    if bases > MAX_MSM_POINTS {
        return Err(SnarkError::MsmTooLarge {
            len: bases,
            max: MAX_MSM_POINTS,
        });
    }
    Ok(())
}

/// `s.into_bigint()` of every scalar ([`to_bigint`]), on rayon with `parallel`.
pub(crate) fn to_bigints(scalars: &[Fr], parallel: bool) -> Vec<BigInt<4>> {
    #[cfg(feature = "parallel")]
    if parallel {
        return scalars.par_iter().map(to_bigint).collect();
    }
    let _ = parallel;
    scalars.iter().map(to_bigint).collect()
}

/// `s.into_bigint()`, with zero and one (most of a Groth16 witness) recognised by their
/// Montgomery limbs (decision 0119), and every other value below [`SMALL`] found in a small
/// table of Montgomery forms (a hash probe and a comparison, L1-resident) instead of paying a
/// Montgomery reduction (decision 0133).
#[inline]
fn to_bigint(s: &Fr) -> BigInt<4> {
    if s.0 == Fr::ZERO.0 {
        BigInt::from(0u64)
    } else if s.0 == Fr::ONE.0 {
        BigInt::from(1u64)
    } else {
        // wasm32: no table (the full module's size budget; decision 0133).
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(k) = small_table().find(&s.0 .0) {
            return BigInt::from(k);
        }
        s.into_bigint()
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// Values below this are recognised by [`SmallTable`] (bytes: the scalars of a byte
/// decomposition, and counts, flags, digits).
const SMALL: usize = 256;
#[cfg(not(target_arch = "wasm32"))]
/// Open-addressing slots of [`SmallTable`] (a quarter full).
const SMALL_SLOTS: usize = 4 * SMALL;
#[cfg(not(target_arch = "wasm32"))]
/// An empty slot.
const NO_SLOT: u16 = u16::MAX;

#[cfg(not(target_arch = "wasm32"))]
/// The Montgomery forms of `0..SMALL` and an index of them by their low limb.
struct SmallTable {
    mont: [[u64; 4]; SMALL],
    slots: [u16; SMALL_SLOTS],
}

#[cfg(not(target_arch = "wasm32"))]
impl SmallTable {
    fn new() -> Self {
        let mut t = SmallTable {
            mont: [[0; 4]; SMALL],
            slots: [NO_SLOT; SMALL_SLOTS],
        };
        for (k, m) in t.mont.iter_mut().enumerate() {
            *m = Fr::from(k as u64).0 .0;
            let mut i = Self::slot(m[0]);
            // At most a quarter of the slots are taken: a free one is always found.
            for _ in 0..SMALL_SLOTS {
                match t.slots.get_mut(i) {
                    Some(slot) if *slot == NO_SLOT => {
                        *slot = k as u16;
                        break;
                    }
                    _ => i = (i + 1) % SMALL_SLOTS,
                }
            }
        }
        t
    }

    /// The home slot of a low limb (Fibonacci hashing: the top 10 bits of a multiple).
    #[inline(always)]
    fn slot(limb: u64) -> usize {
        (limb.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SMALL_SLOTS.trailing_zeros())) as usize
    }

    /// `k` if `m` is the Montgomery form of `k < SMALL`.
    #[inline(always)]
    fn find(&self, m: &[u64; 4]) -> Option<u64> {
        let mut i = Self::slot(m[0]);
        for _ in 0..SMALL_SLOTS {
            let k = *self.slots.get(i)?;
            if k == NO_SLOT {
                return None;
            }
            if self.mont.get(usize::from(k))? == m {
                return Some(u64::from(k));
            }
            i = (i + 1) % SMALL_SLOTS;
        }
        None
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn small_table() -> &'static SmallTable {
    static TABLE: std::sync::OnceLock<SmallTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(SmallTable::new)
}

/// Scalar classes by bit length: the upper bound of each (the last takes the rest).
const CLASS_BITS: [u32; 5] = [8, 16, 32, 64, 256];

/// One class of the partition: points and scalars of at most `bits` bits.
struct Class<P: SWCurveConfig> {
    bases: Vec<Affine<P>>,
    scalars: Vec<[u64; 4]>,
    bits: u32,
}

/// The endomorphism of GLV and its lattice (G1: `φ`; G2: `ψ`, on subgroup bases only): given,
/// scalars wider than 128 bits are split in two halves (see `glv`).
type Endo<P> = &'static glv::Glv<P>;

/// One chunk's partition: its points with scalar one, and its classes.
struct Partition<P: SWCurveConfig> {
    ones: Vec<Affine<P>>,
    classes: Vec<Class<P>>,
}

/// Sorts one chunk of the input into its partition (zeros and infinity dropped; GLV split when
/// `endo` is given and the scalar is wider than [`GLV_MIN_BITS`]).
fn partition<P: SWCurveConfig>(
    bases: &[Affine<P>],
    scalars: &[BigInt<4>],
    endo: Option<Endo<P>>,
) -> Partition<P> {
    let mut part = Partition {
        ones: Vec::new(),
        classes: CLASS_BITS
            .iter()
            .map(|_| Class {
                bases: Vec::new(),
                scalars: Vec::new(),
                bits: 0,
            })
            .collect(),
    };
    for (p, s) in bases.iter().zip(scalars) {
        if p.infinity {
            continue;
        }
        let nb = s.num_bits();
        match endo {
            Some(g) if nb > GLV_MIN_BITS => {
                let (k1, k2) = glv::decompose_with(&s.0, g.lattice);
                let q = (g.phi)(p);
                for (point, half) in [(*p, k1), (q, k2)] {
                    let point = if half.negative { -point } else { point };
                    let nb = BigInt::<4>(half.abs).num_bits();
                    place(&mut part.ones, &mut part.classes, point, half.abs, nb);
                }
            }
            _ => place(&mut part.ones, &mut part.classes, *p, s.0, nb),
        }
    }
    part
}

/// A run of points and their scalars inside one chunk's class.
type Segment<'a, P> = (&'a [Affine<P>], &'a [[u64; 4]]);

/// Splits the segments (in order) into `groups` runs of about equal point counts.
fn split_segments<'a, P: SWCurveConfig>(
    segs: &[Segment<'a, P>],
    total: usize,
    groups: usize,
) -> Vec<Vec<Segment<'a, P>>> {
    let per = total.div_ceil(groups.max(1)).max(1);
    let mut out: Vec<Vec<Segment<'a, P>>> = Vec::new();
    let mut cur: Vec<Segment<'a, P>> = Vec::new();
    let mut room = per;
    for &(mut bs, mut ss) in segs {
        while !bs.is_empty() {
            let take = room.min(bs.len());
            let (b0, b1) = bs.split_at(take);
            let (s0, s1) = ss.split_at(take.min(ss.len()));
            cur.push((b0, s0));
            bs = b1;
            ss = s1;
            room -= take;
            if room == 0 {
                out.push(std::mem::take(&mut cur));
                room = per;
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn run<P: SWCurveConfig>(
    bases: &[Affine<P>],
    scalars: &[BigInt<4>],
    parallel: bool,
    endo: Option<Endo<P>>,
) -> Projective<P>
where
    P::BaseField: hot::HotField,
{
    let inversion = inversion_cost::<P>();
    let threads = if parallel { threads() } else { 1 };
    // Partition, one chunk per thread (the GLV split and the copies are a fifth of a small
    // MSM's work: decision 0119). Each chunk keeps its own classes; a job walks the chunks' runs
    // in turn, so nothing is copied twice. Bit lengths are recorded per class so each class's
    // windows cover only the bits it uses.
    let per_chunk = bases.len().div_ceil(threads).max(PARTITION_MIN_CHUNK);
    #[cfg(feature = "parallel")]
    let parts: Vec<Partition<P>> = if parallel && bases.len() > per_chunk {
        bases
            .par_chunks(per_chunk)
            .zip(scalars.par_chunks(per_chunk))
            .map(|(b, s)| partition(b, s, endo))
            .collect()
    } else {
        vec![partition(bases, scalars, endo)]
    };
    #[cfg(not(feature = "parallel"))]
    let parts: Vec<Partition<P>> = {
        let _ = per_chunk;
        vec![partition(bases, scalars, endo)]
    };

    let mut jobs: Vec<Job<'_, P>> = Vec::new();
    // Ones: split into as many slices as threads.
    let ones_total: usize = parts.iter().map(|p| p.ones.len()).sum();
    if ones_total > 0 {
        let per = ones_total.div_ceil(threads).max(1);
        for part in &parts {
            for slice in part.ones.chunks(per) {
                jobs.push(Job::Sum(slice));
            }
        }
    }
    for ci in 0..CLASS_BITS.len() {
        let segs: Vec<Segment<'_, P>> = parts
            .iter()
            .filter_map(|p| p.classes.get(ci))
            .filter(|c| !c.bases.is_empty())
            .map(|c| (c.bases.as_slice(), c.scalars.as_slice()))
            .collect();
        let n: usize = segs.iter().map(|s| s.0.len()).sum();
        if n == 0 {
            continue;
        }
        let bits = parts
            .iter()
            .filter_map(|p| p.classes.get(ci))
            .map(|c| c.bits)
            .max()
            .unwrap_or(0) as usize;
        let c = window_bits_with(n, bits, inversion);
        let windows = (bits + 1).div_ceil(c);
        // Enough jobs for the threads: slice the points when windows are few, but keep at least
        // `SLICE_PER_BUCKET` points per bucket in a slice (each slice pays its own reduction of
        // `2^(c−1)` buckets, ≈ 27 multiplications each, against ≈ 6 per point).
        let min_slice = (SLICE_PER_BUCKET << (c - 1)).max(1 << 10);
        let slices = if windows >= 2 * threads || threads == 1 {
            1
        } else {
            (2 * threads).div_ceil(windows).min(n / min_slice).max(1)
        };
        for group in split_segments(&segs, n, slices) {
            let points: usize = group.iter().map(|s| s.0.len()).sum();
            let copies = bucket_copies(1 << (c - 1), points);
            for w in 0..windows {
                jobs.push(Job::Window {
                    segs: group.clone(),
                    c,
                    w,
                    copies,
                    batch: batch_size_with(copies << (c - 1), inversion),
                });
            }
        }
    }

    #[cfg(feature = "parallel")]
    if parallel {
        return jobs
            .par_iter()
            .map(Job::run)
            .reduce(Projective::<P>::zero, |a, b| a + b);
    }
    jobs.iter()
        .map(Job::run)
        .fold(Projective::<P>::zero(), |a, b| a + b)
}

/// Copies of a window's `buckets` buckets for `points` points (decision 0119): doubled while
/// all copies together stay within [`COPIES_MAX_BUCKETS`] and each copy still gets
/// [`COPIES_MIN_PER_BUCKET`] points per bucket, so that a batch (≈ √(50·buckets)) can grow and
/// the inversions shrink; folding a copy costs one batched addition per bucket.
fn bucket_copies(buckets: usize, points: usize) -> usize {
    let mut copies = 1usize;
    while copies < 8
        && buckets * copies * 2 <= COPIES_MAX_BUCKETS
        && points >= COPIES_MIN_PER_BUCKET * buckets * copies * 2
    {
        copies *= 2;
    }
    copies
}

/// The most buckets, over all copies, [`bucket_copies`] lets a window hold (74 KB of G1 points:
/// the level-2 cache keeps them).
const COPIES_MAX_BUCKETS: usize = 1 << 10;

/// The fewest points per bucket and copy for [`bucket_copies`] to add a copy.
const COPIES_MIN_PER_BUCKET: usize = 16;

/// The fewest points a partition chunk gets (below it one thread partitions everything).
const PARTITION_MIN_CHUNK: usize = 1 << 11;

fn threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads().max(1)
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}

/// The fewest points per bucket worth a slice of its own (see `run`).
const SLICE_PER_BUCKET: usize = 8;

/// Scalars wider than this are split by GLV when the group has the endomorphism.
const GLV_MIN_BITS: u32 = 128;

/// Puts `s · p` (`s` of `nb` bits) into its class: dropped when zero, with the ones when one.
#[inline]
fn place<P: SWCurveConfig>(
    ones: &mut Vec<Affine<P>>,
    classes: &mut [Class<P>],
    p: Affine<P>,
    s: [u64; 4],
    nb: u32,
) {
    if nb == 0 {
        return;
    }
    if nb == 1 {
        ones.push(p);
        return;
    }
    let slot = CLASS_BITS
        .iter()
        .position(|&b| nb <= b)
        .unwrap_or(CLASS_BITS.len() - 1);
    if let Some(c) = classes.get_mut(slot) {
        c.bases.push(p);
        c.scalars.push(s);
        c.bits = c.bits.max(nb);
    }
}

/// One independent piece of work; the MSM is the sum of all jobs' results.
enum Job<'a, P: SWCurveConfig> {
    /// The sum of points whose scalar is one.
    Sum(&'a [Affine<P>]),
    /// `2^(c·w) · Σ digit_w(sᵢ) · Pᵢ` for one window `w` of width `c`.
    Window {
        /// The points and scalars, in runs (one per partition chunk, or part of one).
        segs: Vec<Segment<'a, P>>,
        c: usize,
        w: usize,
        /// Copies of the buckets (a power of two, see `bucket::Buckets::with_copies`).
        copies: usize,
        batch: usize,
    },
}

impl<P: SWCurveConfig> Job<'_, P>
where
    P::BaseField: hot::HotField,
{
    fn run(&self) -> Projective<P> {
        match *self {
            Job::Sum(points) => bucket::sum_affine(points),
            Job::Window {
                ref segs,
                c,
                w,
                copies,
                batch,
            } => window_sum(segs, c, w, copies, batch),
        }
    }
}

/// Field multiplications one inversion costs (arkworks' binary extended Euclid on BN254's base
/// field, roughly). Since decision 0128 the batches invert with `fq_inv` (≈ 70 multiplications);
/// the model is not retuned yet (that moves batch sizes and windows: to be measured on its own).
const INVERSION: usize = 200;

/// [`INVERSION`] in multiplications of the curve's base field: an `Fq2` inversion is one `Fq`
/// inversion plus a few `Fq` multiplications, and an `Fq2` multiplication is three of them, so
/// ≈ 70 `Fq2` multiplications.
fn inversion_cost<P: SWCurveConfig>() -> usize {
    match P::BaseField::extension_degree() {
        1 => INVERSION,
        _ => INVERSION / 3 + 4,
    }
}

/// Batch size of the bucket accumulator for `buckets` buckets. Each addition pays
/// `INVERSION / batch` for its share of the inversion and, with probability ≈
/// `batch / (2 · buckets)`, a collision (≈ 8 multiplications more): the sum is smallest at
/// `batch ≈ √(INVERSION · buckets / 4)`.
#[cfg(test)]
fn batch_size(buckets: usize) -> usize {
    batch_size_with(buckets, INVERSION)
}

/// [`batch_size`] for an inversion that costs `inversion` multiplications.
fn batch_size_with(buckets: usize, inversion: usize) -> usize {
    isqrt(inversion * buckets / 4).clamp(16, 1024)
}

fn isqrt(x: usize) -> usize {
    let mut r = (x as f64).sqrt() as usize;
    while r.saturating_mul(r) > x {
        r -= 1;
    }
    while (r + 1).saturating_mul(r + 1) <= x {
        r += 1;
    }
    r
}

fn window_sum<P: SWCurveConfig>(
    segs: &[Segment<'_, P>],
    c: usize,
    w: usize,
    copies: usize,
    batch: usize,
) -> Projective<P>
where
    P::BaseField: hot::HotField,
{
    let nbuckets = 1usize << (c - 1);
    let mut buckets = bucket::Buckets::<P>::with_copies(nbuckets, copies, batch);
    // Consecutive points go to consecutive copies (`copies` is a power of two).
    let mask = copies.max(1) - 1;
    let mut i = 0usize;
    for &(bases, scalars) in segs {
        for (p, s) in bases.iter().zip(scalars) {
            let d = booth_digit(s, c, w);
            let base = (i & mask) * nbuckets;
            i = i.wrapping_add(1);
            if d > 0 {
                buckets.add(base + (d - 1) as usize, p);
            } else if d < 0 {
                buckets.add(base + (-d - 1) as usize, &-*p);
            }
        }
    }
    let mut sum = buckets.reduce();
    for _ in 0..c * w {
        sum.double_in_place();
    }
    sum
}

/// Bits `start .. start + len` of a 256-bit little-endian integer (`len ≤ 32`; bits past the
/// top read as zero).
#[inline(always)]
fn bits(s: &[u64; 4], start: usize, len: usize) -> u64 {
    let word = start / 64;
    let off = start % 64;
    let mut v = match s.get(word) {
        Some(x) => x >> off,
        None => 0,
    };
    if off + len > 64 && off != 0 {
        if let Some(x) = s.get(word + 1) {
            v |= x << (64 - off);
        }
    }
    v & ((1u64 << len) - 1)
}

/// The signed digit of window `w` (width `c`): `raw + b₋₁ − 2^c · b_top`, where `raw` is the
/// window's `c` bits, `b₋₁` the bit just below it and `b_top` its top bit. The digits of all
/// windows sum (with weights `2^(c·w)`) to the scalar when the windows cover at least one bit
/// past its top bit; each lies in `[−2^(c−1), 2^(c−1)]`.
#[inline(always)]
fn booth_digit(s: &[u64; 4], c: usize, w: usize) -> i64 {
    let v = if w == 0 {
        bits(s, 0, c) << 1
    } else {
        bits(s, w * c - 1, c + 1)
    };
    let raw = (v >> 1) as i64;
    let below = (v & 1) as i64;
    let top = ((v >> c) & 1) as i64;
    raw + below - (top << c)
}

/// Window width for `n` points with scalars of `bits` bits: minimises
/// `windows · (n · add + buckets · REDUCE)`, in field multiplications (×10 to stay in integers),
/// where `add` is a batch-affine bucket addition (≈ 6 multiplications plus its share of the
/// batch's inversion and of collisions, see [`batch_size`]) and `REDUCE` the two projective
/// additions per bucket of the running-sum reduction.
#[cfg(test)]
fn window_bits(n: usize, bits: usize) -> usize {
    window_bits_with(n, bits, INVERSION)
}

/// [`window_bits`] for an inversion that costs `inversion` multiplications.
fn window_bits_with(n: usize, bits: usize, inversion: usize) -> usize {
    const ADD: usize = 60;
    const REDUCE: usize = 270;
    let mut best = (usize::MAX, 2);
    // A window wider than the scalars (plus Booth's bit) only adds empty buckets.
    for c in 2..=16usize.min(bits + 1).max(2) {
        let buckets = 1usize << (c - 1);
        let add = ADD + 20 * inversion / batch_size_with(buckets, inversion);
        let windows = (bits + 1).div_ceil(c);
        let cost = windows.saturating_mul(
            n.saturating_mul(add)
                .saturating_add(buckets.saturating_mul(REDUCE)),
        );
        if cost < best.0 {
            best = (cost, c);
        }
    }
    best.1
}
