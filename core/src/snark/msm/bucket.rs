//! Batch-affine bucket accumulation and batch-affine summation, for any short Weierstrass curve
//! (BN254 G1 over `Fq`, G2 over `Fq2`).
//!
//! An affine addition `P + Q` needs one field inversion (the slope's denominator). Many
//! *independent* additions share one inversion with Montgomery's trick (three multiplications per
//! element plus one inversion per batch), so an addition costs ≈ 6 multiplications where a mixed
//! Jacobian addition costs ≈ 11. Additions are independent when no two of a batch touch the same
//! bucket: a point whose bucket is already in the pending batch (a collision) waits in a queue and
//! is scheduled into the next batch (after the flush its bucket is free again). The queue holds at
//! most one batch; only a collision that finds it full goes to a projective overflow bucket (≈ 11
//! multiplications, and one more addition per bucket in the reduction), which keeps every input
//! correct (repeated bases, equal scalars: the same bucket over and over) with at most
//! `points / batch + batch + 1` inversions. Doubling (`P == Q`), cancellation (`P == −Q`) and
//! empty buckets are settled when the addition is scheduled.

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::AdditiveGroup;
use ark_ff::{Field, Zero};

use super::hot::{BatchScratch, HotField};

/// Buckets `1 ..= len` of one window (bucket `k` stored at index `k − 1`), accumulated in affine
/// coordinates with batched inversions.
pub(super) struct Buckets<P: SWCurveConfig> {
    /// Buckets per copy (see [`Buckets::with_copies`]); `acc.len()` is a multiple of it.
    len: usize,
    acc: Vec<Affine<P>>,
    /// Bit `k` set when bucket `k` has an addition in the pending batch (a bit set rather than a
    /// stamp per bucket: it stays in L1, where the buckets do not).
    busy: Vec<u64>,
    /// Collisions waiting for the next batch: (bucket index, point); at most `batch` of them.
    queue: Vec<(u32, Affine<P>)>,
    /// Projective overflow buckets for collisions that find the queue full; empty until then.
    overflow: Vec<Projective<P>>,
    batch: usize,
    idx: Vec<u32>,
    pts: Vec<Affine<P>>,
    den: Vec<P::BaseField>,
    pre: Vec<P::BaseField>,
    /// The vector unit's working memory (see [`HotField::add_batch`]).
    scratch: BatchScratch,
}

impl<P: SWCurveConfig> Buckets<P>
where
    P::BaseField: HotField,
{
    /// `len` buckets, flushing every `batch` scheduled additions (at most `len / 2`: a batch
    /// touches each bucket once, so a longer one would mostly collide).
    pub(super) fn new(len: usize, batch: usize) -> Self {
        Self::with_copies(len, 1, batch)
    }

    /// `len` buckets held `copies` times over (bucket `k` of copy `j` at index `j·len + k`):
    /// spreading points over the copies lets a batch be longer than `len / 2` without colliding,
    /// so few buckets (a byte class: 256) pay fewer inversions (decision 0119). [`Self::reduce`]
    /// folds the copies into the first `len` buckets (batch-affine) before the running sum.
    pub(super) fn with_copies(len: usize, copies: usize, batch: usize) -> Self {
        let copies = copies.max(1);
        let total = len.saturating_mul(copies);
        let batch = batch.min(total / 2).max(1);
        Buckets {
            len,
            acc: vec![Affine::<P>::identity(); total],
            busy: vec![0; total.div_ceil(64)],
            queue: Vec::new(),
            overflow: Vec::new(),
            batch,
            idx: Vec::with_capacity(batch),
            pts: Vec::with_capacity(batch),
            den: Vec::with_capacity(batch),
            pre: Vec::with_capacity(batch),
            scratch: BatchScratch::default(),
        }
    }

    /// Adds `p` (not at infinity) to bucket index `k` (`k < len`; an index out of range is
    /// ignored, which the callers rule out by construction).
    pub(super) fn add(&mut self, k: usize, p: &Affine<P>) {
        if k >= self.acc.len() {
            return;
        }
        if self.is_busy(k) {
            // Collision with the pending batch: wait for the next one, or overflow.
            if self.queue.len() < self.batch {
                // `k < acc.len() <= u32::MAX` (callers cap buckets at 2^20).
                self.queue.push((k as u32, *p));
            } else {
                if self.overflow.is_empty() {
                    self.overflow = vec![Projective::<P>::zero(); self.acc.len()];
                }
                if let Some(o) = self.overflow.get_mut(k) {
                    *o += p;
                }
            }
            return;
        }
        self.schedule(k, p);
        if self.idx.len() >= self.batch {
            self.flush();
        }
    }

    /// Puts `acc[k] + p` into the pending batch (bucket `k` not in it), or settles it at once
    /// (empty bucket, cancellation).
    #[inline(always)]
    fn schedule(&mut self, k: usize, p: &Affine<P>) {
        // In range by construction (digits are bounded by the window, the bitset is sized for
        // every copy); a point dropped below would make the sum wrong, so tests and debug
        // builds stop on it. Release builds never panic here, and the prover's self-check
        // refuses a wrong proof.
        debug_assert!(
            k < self.acc.len() && k / 64 < self.busy.len(),
            "bucket index {k} outside the buckets or the busy bitset"
        );
        let (Some(a), Some(word)) = (self.acc.get_mut(k), self.busy.get_mut(k / 64)) else {
            return;
        };
        if a.infinity {
            *a = *p;
            return;
        }
        let den = if a.x == p.x {
            if a.y != p.y || a.y.is_zero() {
                // p == −a, or a point of order two: the sum is the identity.
                *a = Affine::<P>::identity();
                return;
            }
            a.y.double()
        } else {
            let mut d = p.x;
            d.sub_h(&a.x);
            d
        };
        *word |= 1 << (k % 64);
        self.idx.push(k as u32);
        self.pts.push(*p);
        self.den.push(den);
    }

    /// Applies the pending batch (one inversion for all of it), then moves the queued
    /// collisions whose buckets are now free into the next batch.
    pub(super) fn flush(&mut self) {
        self.apply();
        if self.queue.is_empty() {
            return;
        }
        let mut queue = std::mem::take(&mut self.queue);
        queue.retain(|(k, p)| {
            let k = *k as usize;
            if self.is_busy(k) {
                return true;
            }
            self.schedule(k, p);
            false
        });
        self.queue = queue;
    }

    /// Whether bucket `k` has an addition in the pending batch.
    #[inline(always)]
    fn is_busy(&self, k: usize) -> bool {
        self.busy
            .get(k / 64)
            .is_some_and(|w| (w >> (k % 64)) & 1 == 1)
    }

    /// Applies the pending batch: one inversion for all of it; frees its buckets.
    fn apply(&mut self) {
        if self.idx.is_empty() {
            return;
        }
        if !P::BaseField::add_batch(
            &mut self.acc,
            &self.idx,
            &self.pts,
            &self.den,
            &mut self.scratch,
        ) {
            self.apply_scalar();
        }
        for &k in &self.idx {
            if let Some(word) = self.busy.get_mut(k as usize / 64) {
                *word = 0;
            }
        }
        self.idx.clear();
        self.pts.clear();
        self.den.clear();
    }

    /// [`Self::apply`]'s additions one element at a time (Montgomery's trick over the batch).
    fn apply_scalar(&mut self) {
        self.pre.clear();
        let mut run = P::BaseField::ONE;
        for d in &self.den {
            run.mul_h(d);
            self.pre.push(run);
        }
        match run.inverse_h() {
            Some(mut inv) => {
                // Walk back: inv = (d_0 … d_i)^-1 at step i.
                for i in (0..self.idx.len()).rev() {
                    let prev = if i == 0 {
                        P::BaseField::ONE
                    } else {
                        self.pre.get(i - 1).copied().unwrap_or(P::BaseField::ONE)
                    };
                    let mut inv_i = inv;
                    inv_i.mul_h(&prev);
                    if let Some(d) = self.den.get(i) {
                        inv.mul_h(d);
                    }
                    let (Some(&k), Some(p)) = (self.idx.get(i), self.pts.get(i)) else {
                        continue;
                    };
                    if let Some(a) = self.acc.get_mut(k as usize) {
                        *a = affine_add_with_inverse(a, p, &inv_i);
                    }
                }
            }
            None => {
                // Unreachable for the denominators scheduled above (all non-zero); kept total:
                // fall back to projective additions.
                for (&k, p) in self.idx.iter().zip(&self.pts) {
                    if let Some(a) = self.acc.get_mut(k as usize) {
                        *a = (Projective::<P>::from(*a) + p).into();
                    }
                }
            }
        }
    }

    /// Applies the batch and the queue until both are empty.
    fn drain(&mut self) {
        // Each round applies the batch and schedules at least the first queued point (its bucket
        // is free after the flush), so this ends after at most `queue.len() + 1` rounds.
        loop {
            self.flush();
            if self.queue.is_empty() {
                self.apply();
                break;
            }
        }
    }

    /// Flushes and returns `Σ_k k · bucket_k` over the first `len` buckets (the running-sum
    /// reduction), after adding every other copy's bucket `k` into bucket `k`.
    pub(super) fn reduce(mut self) -> Projective<P> {
        self.drain();
        let len = self.len;
        if self.acc.len() > len {
            // Fold copy j ≥ 1 into copy 0: `len` independent additions per copy, batched like
            // the rest (a point equal to its target, or its negation, is settled exactly).
            for i in len..self.acc.len() {
                let Some(&q) = self.acc.get(i) else { break };
                if !q.infinity {
                    self.add(i % len, &q);
                }
            }
            self.drain();
        }
        let (acc, overflow) = (self.acc.get(..len).unwrap_or(&[]), &self.overflow);
        let mut running = Projective::<P>::zero();
        let mut sum = Projective::<P>::zero();
        for (k, a) in acc.iter().enumerate().rev() {
            running += a;
            // Overflow buckets (rare: collisions that found the queue full), every copy's.
            for o in overflow.iter().skip(k).step_by(len.max(1)) {
                running += o;
            }
            sum += running;
        }
        sum
    }
}

/// `a + p` (or `2a` when `a == p`) given the inverse of the slope's denominator.
#[inline(always)]
fn affine_add_with_inverse<P: SWCurveConfig>(
    a: &Affine<P>,
    p: &Affine<P>,
    inv: &P::BaseField,
) -> Affine<P>
where
    P::BaseField: HotField,
{
    let mut lambda = if a.x == p.x {
        // Doubling: λ = 3x² / 2y.
        let mut xx = a.x;
        xx.square_h();
        let mut num = xx.double() + xx;
        if !P::COEFF_A.is_zero() {
            num += P::COEFF_A;
        }
        num
    } else {
        let mut dy = p.y;
        dy.sub_h(&a.y);
        dy
    };
    lambda.mul_h(inv);
    let mut x3 = lambda;
    x3.square_h();
    x3.sub_h(&a.x);
    x3.sub_h(&p.x);
    let mut y3 = a.x;
    y3.sub_h(&x3);
    y3.mul_h(&lambda);
    y3.sub_h(&a.y);
    Affine::<P>::new_unchecked(x3, y3)
}

/// The sum of `points` by pairwise batch-affine additions (a tree, one inversion per level and
/// chunk); points at infinity are dropped.
pub(super) fn sum_affine<P: SWCurveConfig>(points: &[Affine<P>]) -> Projective<P>
where
    P::BaseField: HotField,
{
    const SMALL: usize = 16;
    const CHUNK: usize = 1 << 12;
    let mut total = Projective::<P>::zero();
    let mut scratch = BatchScratch::default();
    let mut order: Vec<u32> = Vec::new();
    for chunk in points.chunks(CHUNK) {
        let mut level: Vec<Affine<P>> = chunk.iter().filter(|p| !p.infinity).copied().collect();
        let mut next: Vec<Affine<P>> = Vec::with_capacity(level.len() / 2 + 1);
        let mut den: Vec<P::BaseField> = Vec::with_capacity(level.len() / 2);
        let mut pre: Vec<P::BaseField> = Vec::with_capacity(level.len() / 2);
        while level.len() > SMALL {
            next.clear();
            den.clear();
            // Pairs that need an inversion go first into `next` (as their left operand), with
            // their denominators; pairs settled without one are pushed after.
            let mut settled: Vec<Affine<P>> = Vec::new();
            let mut rights: Vec<Affine<P>> = Vec::with_capacity(level.len() / 2);
            let mut pairs = level.chunks_exact(2);
            for pair in pairs.by_ref() {
                let [a, b] = pair else { continue };
                if a.x == b.x {
                    if a.y != b.y || a.y.is_zero() {
                        continue; // a + b = identity
                    }
                    den.push(a.y.double());
                } else {
                    let mut d = b.x;
                    d.sub_h(&a.x);
                    den.push(d);
                }
                next.push(*a);
                rights.push(*b);
            }
            settled.extend_from_slice(pairs.remainder());
            // `next.len() <= CHUNK / 2`, so the indices fit u32.
            order.clear();
            order.extend(0..next.len() as u32);
            if P::BaseField::add_batch(&mut next, &order, &rights, &den, &mut scratch) {
                next.extend(settled);
                std::mem::swap(&mut level, &mut next);
                continue;
            }
            pre.clear();
            let mut run = P::BaseField::ONE;
            for d in &den {
                run.mul_h(d);
                pre.push(run);
            }
            if let Some(mut inv) = run.inverse_h() {
                for i in (0..next.len()).rev() {
                    let prev = if i == 0 {
                        P::BaseField::ONE
                    } else {
                        pre.get(i - 1).copied().unwrap_or(P::BaseField::ONE)
                    };
                    let mut inv_i = inv;
                    inv_i.mul_h(&prev);
                    if let Some(d) = den.get(i) {
                        inv.mul_h(d);
                    }
                    if let (Some(a), Some(b)) = (next.get_mut(i), rights.get(i)) {
                        *a = affine_add_with_inverse(a, b, &inv_i);
                    }
                }
            } else {
                for (a, b) in next.iter_mut().zip(&rights) {
                    *a = (Projective::<P>::from(*a) + b).into();
                }
            }
            next.extend(settled);
            std::mem::swap(&mut level, &mut next);
        }
        for p in &level {
            total += p;
        }
    }
    total
}
