//! Precomputed tables over fixed bases (a proving key's query vectors, which never change between
//! proofs): memory traded for time (docs/decisions/0098-fixed-base-msm-tables.md).
//!
//! For a window width `c` and `W = ⌈255 / c⌉` windows, the table holds `2^(c·j) · Pᵢ` for every
//! base `Pᵢ` and window `j < W`, in affine form (batch-normalised when built). A scalar's Booth
//! digits `d_j` (see `booth_digit`) then all go into **one** set of `2^(c−1)` buckets, digit
//! `d_j` adding `±2^(c·j)·Pᵢ` to bucket `|d_j|`: `n · W` batch-affine bucket additions, one
//! running-sum reduction, and no doublings, where the plain method pays `W` reductions and
//! `c · W` doublings. With the reductions gone, `c` can be wider (fewer additions).
//!
//! The small-scalar classes stay: zeros, ones and scalars of at most [`NARROW_BITS`] bits go to
//! the plain method (`run`), whose per-class windows are cheaper for them than a wide table
//! window (a bit would otherwise land in one hot bucket); wider scalars use only the table's
//! windows their bit length needs. Parallel: the wide points (not the windows) are split across
//! rayon threads, each with its own bucket set; one thread without the `parallel` feature.
//!
//! A table is tied to the bases it was built from: window 0 of every entry *is* the base, and
//! every use compares them (`n` point comparisons, microseconds): bases that differ anywhere
//! are computed by the plain method instead, never from the table.

use super::bucket::Buckets;
use super::hot::HotField;
use super::{batch_size_with, booth_digit, check, inversion_cost, run, threads};
use crate::error::SnarkError;
use ark_bn254::Fr;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, CurveGroup};
use ark_ff::{BigInt, BigInteger, PrimeField, Zero};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// Scalars of at most this many bits go to the plain method, not the table.
pub const NARROW_BITS: u32 = 32;

/// Bits a table covers: scalars below `r` (254 bits) need windows up to bit 254 (Booth digits
/// read one bit past the top). Wider integers (unreduced) go to the plain method.
const TABLE_BITS: usize = 255;

/// Widest window a table may use (`2^(MAX_WINDOW_BITS − 1)` buckets per thread).
pub const MAX_WINDOW_BITS: usize = 20;

/// Narrowest window a table may use.
const MIN_WINDOW_BITS: usize = 6;

/// Most bytes one thread's bucket set may take: the buckets are read and written in random
/// order, so a set that outgrows the core's L2 cache (1 MiB here, shared with the table's
/// stream) turns each addition into a cache miss. Measured (docs/benchmarks/msm.md, 6 Dec):
/// at 2^16 a 16,384-bucket G1 set (1.2 MB, c = 15) gained 1.04× over the plain method where
/// the model said 1.3×; at 2^14 a 4,096-bucket set (c = 13) gained 1.2×. This caps G1 at
/// c = 13 and G2 at c = 12.
const BUCKET_SET_BYTES: usize = 512 << 10;

/// The shape of a table for `n` bases: window width, windows, and its size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TablePlan {
    /// Window width `c` in bits.
    pub window_bits: usize,
    /// Windows per base, `⌈255 / c⌉`.
    pub windows: usize,
    /// Bytes the table's points take (`n · windows` affine points).
    pub bytes: usize,
}

/// A fixed-base table over a vector of bases (BN254 G1 or G2): see the module documentation.
pub struct FixedBaseTable<P: SWCurveConfig> {
    c: usize,
    windows: usize,
    n: usize,
    /// `points[i · windows + j] = 2^(c·j) · bases[i]`.
    points: Vec<Affine<P>>,
}

/// A table over BN254 G1 bases.
pub type G1Table = FixedBaseTable<ark_bn254::g1::Config>;
/// A table over BN254 G2 bases.
pub type G2Table = FixedBaseTable<ark_bn254::g2::Config>;

impl<P: SWCurveConfig> core::fmt::Debug for FixedBaseTable<P>
where
    P::BaseField: HotField,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FixedBaseTable")
            .field("bases", &self.n)
            .field("window_bits", &self.c)
            .field("windows", &self.windows)
            .field("bytes", &self.bytes())
            .finish()
    }
}

/// Cost units of the model (field multiplications × 10, as in `window_bits_with`): a
/// batch-affine bucket addition and one bucket of the running-sum reduction.
const ADD: usize = 60;
const REDUCE: usize = 270;

fn add_cost(buckets: usize, inversion: usize) -> usize {
    ADD + 20 * inversion / batch_size_with(buckets, inversion)
}

/// Modelled cost of the plain method on `n` full-width scalars (its best window).
fn plain_cost(n: usize, inversion: usize) -> usize {
    (2..=16usize)
        .map(|c| {
            let buckets = 1usize << (c - 1);
            let windows = TABLE_BITS.div_ceil(c);
            windows.saturating_mul(
                n.saturating_mul(add_cost(buckets, inversion))
                    .saturating_add(buckets.saturating_mul(REDUCE)),
            )
        })
        .min()
        .unwrap_or(usize::MAX)
}

/// Modelled cost of a table of width `c` on `n` full-width scalars over `threads` threads (each
/// reduces its own bucket set).
fn table_cost(n: usize, c: usize, threads: usize, inversion: usize) -> usize {
    let buckets = 1usize << (c - 1);
    n.saturating_mul(TABLE_BITS.div_ceil(c))
        .saturating_mul(add_cost(buckets, inversion))
        .saturating_add(threads.saturating_mul(buckets).saturating_mul(REDUCE))
}

impl<P: SWCurveConfig> FixedBaseTable<P>
where
    P::BaseField: HotField,
{
    /// The table to build for `n` bases within `budget` bytes: the window width the cost model
    /// finds fastest among those whose table fits (and whose bucket set stays within
    /// `BUCKET_SET_BYTES`, half an L2 cache), or `None` when no table fits, none is
    /// modelled to beat the plain method by at least 10 %, `n` is 0, or `n` exceeds
    /// [`super::MAX_MSM_POINTS`]. A budget of 0 means no table.
    pub fn plan(n: usize, budget: usize, parallel: bool) -> Option<TablePlan> {
        if n == 0 || n > super::MAX_MSM_POINTS || budget == 0 {
            return None;
        }
        let inversion = inversion_cost::<P>();
        let threads = if parallel { threads() } else { 1 };
        let point = core::mem::size_of::<Affine<P>>();
        let mut best: Option<(usize, TablePlan)> = None;
        for c in MIN_WINDOW_BITS..=MAX_WINDOW_BITS {
            if (1usize << (c - 1)).saturating_mul(point) > BUCKET_SET_BYTES {
                break;
            }
            let windows = TABLE_BITS.div_ceil(c);
            let Some(bytes) = n.checked_mul(windows).and_then(|e| e.checked_mul(point)) else {
                continue;
            };
            if bytes > budget {
                continue;
            }
            let cost = table_cost(n, c, threads, inversion);
            if best.is_none_or(|(b, _)| cost < b) {
                best = Some((
                    cost,
                    TablePlan {
                        window_bits: c,
                        windows,
                        bytes,
                    },
                ));
            }
        }
        let (cost, plan) = best?;
        (cost.saturating_mul(10) < plain_cost(n, inversion).saturating_mul(9)).then_some(plan)
    }

    /// Builds the table [`FixedBaseTable::plan`] chooses for `bases` within `budget` bytes, or
    /// `None` (no table pays or fits, or the memory could not be reserved: never an
    /// out-of-memory abort). `parallel == false` builds on one thread.
    pub fn build(bases: &[Affine<P>], budget: usize, parallel: bool) -> Option<Self> {
        let plan = Self::plan(bases.len(), budget, parallel)?;
        Self::build_with(bases, plan.window_bits, budget, parallel)
    }

    /// Builds a table of window width `c` (clamped to the supported range) for `bases`, or
    /// `None` when it would exceed `budget` bytes or [`super::MAX_MSM_POINTS`] bases, or its
    /// memory could not be reserved. For tests and benches that pin the width.
    pub fn build_with(
        bases: &[Affine<P>],
        c: usize,
        budget: usize,
        parallel: bool,
    ) -> Option<Self> {
        let c = c.clamp(MIN_WINDOW_BITS, MAX_WINDOW_BITS);
        let n = bases.len();
        if n == 0 || n > super::MAX_MSM_POINTS {
            return None;
        }
        let windows = TABLE_BITS.div_ceil(c);
        let total = n.checked_mul(windows)?;
        if total.checked_mul(core::mem::size_of::<Affine<P>>())? > budget {
            return None;
        }
        let mut points: Vec<Affine<P>> = Vec::new();
        points.try_reserve_exact(total).ok()?;
        points.resize(total, Affine::<P>::identity());
        // Bases in chunks, so the projective intermediates stay small.
        const CHUNK: usize = 512;
        let fill = |(dst, src): (&mut [Affine<P>], &[Affine<P>])| {
            let mut proj: Vec<Projective<P>> = Vec::with_capacity(dst.len());
            for p in src {
                let mut q = Projective::<P>::from(*p);
                for j in 0..windows {
                    if j > 0 {
                        for _ in 0..c {
                            q.double_in_place();
                        }
                    }
                    proj.push(q);
                }
            }
            for (d, a) in dst.iter_mut().zip(Projective::<P>::normalize_batch(&proj)) {
                *d = a;
            }
        };
        #[cfg(feature = "parallel")]
        if parallel {
            points
                .par_chunks_mut(CHUNK * windows)
                .zip(bases.par_chunks(CHUNK))
                .for_each(fill);
            return Some(FixedBaseTable {
                c,
                windows,
                n,
                points,
            });
        }
        let _ = parallel;
        points
            .chunks_mut(CHUNK * windows)
            .zip(bases.chunks(CHUNK))
            .for_each(fill);
        Some(FixedBaseTable {
            c,
            windows,
            n,
            points,
        })
    }

    /// Number of bases the table was built for.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the table has no bases (never true for a built table).
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Window width `c` in bits.
    pub fn window_bits(&self) -> usize {
        self.c
    }

    /// Bytes the table's points take.
    pub fn bytes(&self) -> usize {
        self.points
            .len()
            .saturating_mul(core::mem::size_of::<Affine<P>>())
    }

    /// Whether this table was built from exactly `bases` (same length, same points in the same
    /// order): its window-0 entries are the bases themselves.
    pub fn is_for(&self, bases: &[Affine<P>]) -> bool {
        bases.len() == self.n
            && self
                .points
                .iter()
                .step_by(self.windows.max(1))
                .zip(bases)
                .all(|(t, b)| t == b)
    }

    /// `Σ scalars[i] · bases[i]`, from the table when it was built for `bases`
    /// ([`FixedBaseTable::is_for`]), by the plain method otherwise: the same result as
    /// [`super::msm_g1`] / [`super::msm_g2`] either way. Same limits and errors.
    pub fn msm(
        &self,
        bases: &[Affine<P>],
        scalars: &[Fr],
        parallel: bool,
    ) -> Result<Projective<P>, SnarkError> {
        check(bases.len(), scalars.len())?;
        let bigints: Vec<BigInt<4>> = scalars.iter().map(|s| s.into_bigint()).collect();
        self.msm_bigint(bases, &bigints, parallel)
    }

    /// [`FixedBaseTable::msm`] on scalars in integer form (all 256 bits count; integers too
    /// wide for the table's windows take the plain method).
    pub fn msm_bigint(
        &self,
        bases: &[Affine<P>],
        scalars: &[BigInt<4>],
        parallel: bool,
    ) -> Result<Projective<P>, SnarkError> {
        check(bases.len(), scalars.len())?;
        if !self.is_for(bases) {
            // No GLV here: this type is generic over both groups (the plain method without the
            // endomorphism gives the same point).
            return Ok(run(bases, scalars, parallel, None));
        }
        Ok(self.run_tied(bases, scalars, parallel))
    }

    fn run_tied(
        &self,
        bases: &[Affine<P>],
        scalars: &[BigInt<4>],
        parallel: bool,
    ) -> Projective<P> {
        // Partition: wide scalars (by index) to the table, the rest to the plain method.
        let cover = self.c * self.windows;
        let mut wide: Vec<(u32, [u64; 4], u8)> = Vec::new();
        let mut rest_b: Vec<Affine<P>> = Vec::new();
        let mut rest_s: Vec<BigInt<4>> = Vec::new();
        for (i, (p, s)) in bases.iter().zip(scalars).enumerate() {
            if p.infinity {
                continue;
            }
            let nb = s.num_bits();
            if nb == 0 {
                continue;
            }
            // `nb + 1 ≤ cover`: the table's windows reach one bit past the top bit.
            if nb > NARROW_BITS && (nb as usize) < cover {
                let k = (nb as usize + 1).div_ceil(self.c);
                // `i < n ≤ MAX_MSM_POINTS < 2^32`, `k ≤ windows ≤ 43`.
                wide.push((i as u32, s.0, k as u8));
            } else {
                rest_b.push(*p);
                rest_s.push(*s);
            }
        }
        let rest = if rest_b.is_empty() {
            Projective::<P>::zero()
        } else {
            run(&rest_b, &rest_s, parallel, None)
        };
        drop(rest_b);
        drop(rest_s);
        let threads = if parallel { threads() } else { 1 };
        let per = wide.len().div_ceil(threads).max(1);
        #[cfg(feature = "parallel")]
        if parallel {
            return wide
                .par_chunks(per)
                .map(|chunk| self.accumulate(chunk))
                .reduce(Projective::<P>::zero, |a, b| a + b)
                + rest;
        }
        wide.chunks(per)
            .map(|chunk| self.accumulate(chunk))
            .fold(rest, |a, b| a + b)
    }

    /// One thread's share: every digit of every scalar in `wide` into one bucket set.
    fn accumulate(&self, wide: &[(u32, [u64; 4], u8)]) -> Projective<P> {
        let nbuckets = 1usize << (self.c - 1);
        let inversion = inversion_cost::<P>();
        let mut buckets = Buckets::<P>::new(nbuckets, batch_size_with(nbuckets, inversion));
        for &(i, ref s, k) in wide {
            let base = (i as usize).saturating_mul(self.windows);
            let Some(row) = self.points.get(base..base.saturating_add(k as usize)) else {
                continue;
            };
            for (w, p) in row.iter().enumerate() {
                if p.infinity {
                    continue;
                }
                let d = booth_digit(s, self.c, w);
                if d > 0 {
                    buckets.add((d - 1) as usize, p);
                } else if d < 0 {
                    buckets.add((-d - 1) as usize, &-*p);
                }
            }
        }
        buckets.reduce()
    }
}
