//! The column proof's generators (decision 0107): the `bulletproofs` crate's generator chains
//! (`SHAKE256("GeneratorsChain" || 'G'|'H' || j u32le)`, 64 bytes per point through
//! `RistrettoPoint::from_uniform_bytes`), kept **per sub-proof position** `j` rather than per
//! proof shape, so that shapes share them: a proof of `(n, m)` uses the first `n` points of the
//! chains of positions `0..m`, and any chain of length `≥ n` serves it.
//!
//! * The cache holds at most [`MAX_CACHED_GENERATORS`] points per vector (`G` and `H`, ~84 MB
//!   together at the limit), whatever sequence of shapes is asked for. A shape that would push
//!   it over evicts only what it must (decision 0117): first the chains of positions it does not
//!   use, highest position first; then, if that is not enough, it trims the longer chains it
//!   uses to its own length (keeping their prefix, nothing is derived again). What it keeps
//!   stays shared.
//! * Generators are handed out borrowed ([`GenVec`]: the cached chains' slices), never copied:
//!   the prover folds them into half-length vectors on its first inner-product round, and the
//!   verifier's multiscalar multiplication reads them where they are.
//! * The cache's lock is held only to look up and to register chains, never while deriving:
//!   each chain is a cell initialised once (`OnceLock`), so two threads that need the same chain
//!   derive it once (the second waits for the first), and threads that need different chains
//!   derive them in parallel. Missing chains are derived in parallel (rayon, under the
//!   `parallel` feature).
//! * A proof holds its chains (reference-counted) for as long as it runs, so emptying the cache
//!   never pulls generators from under a running proof.

use curve25519_dalek::ristretto::RistrettoPoint;
use std::sync::{Arc, Mutex, OnceLock};

/// The most generator points the column cache keeps per vector (`G` and `H` each): one shape at
/// [`super::MAX_COLUMN_GENERATORS`], or any mix of smaller ones.
pub const MAX_CACHED_GENERATORS: usize = super::MAX_COLUMN_GENERATORS;

/// The `G` and `H` chains of one sub-proof position, `len` points each.
pub(super) struct Chain {
    pub(super) g: Vec<RistrettoPoint>,
    pub(super) h: Vec<RistrettoPoint>,
}

/// A chain cell: position, length, and the points once derived.
pub(super) struct Cell {
    position: u32,
    len: usize,
    chain: OnceLock<Chain>,
}

impl Cell {
    fn chain(&self) -> &Chain {
        self.chain.get_or_init(|| {
            let mut label = [0u8; 5];
            label[1..].copy_from_slice(&self.position.to_le_bytes());
            label[0] = b'G';
            let g = super::generator_chain(&label, self.len);
            label[0] = b'H';
            let h = super::generator_chain(&label, self.len);
            Chain { g, h }
        })
    }
}

/// A chain cache (the process-wide one is [`cache`]; tests make small ones).
pub(super) struct GenCache {
    limit: usize,
    inner: Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    cells: Vec<Option<Arc<Cell>>>,
    points: usize,
}

impl Slots {
    /// The points a shape `bits × parties` adds to the cache.
    fn missing(&self, bits: usize, parties: usize) -> usize {
        (0..parties)
            .map(|j| match self.cells.get(j) {
                Some(Some(c)) => bits.saturating_sub(c.len),
                _ => bits,
            })
            .sum()
    }

    /// Evicts what the shape `bits × parties` needs gone to fit under `limit` (the caller
    /// bounds `bits·parties ≤ limit`): the chains of unused positions, highest first; then the
    /// used chains longer than `bits`, trimmed to `bits` (their derived prefix kept).
    fn make_room(&mut self, bits: usize, parties: usize, limit: usize) {
        let fits = |s: &Slots| s.points.saturating_add(s.missing(bits, parties)) <= limit;
        let mut j = self.cells.len();
        while !fits(self) && j > parties {
            j -= 1;
            if let Some(c) = self.cells.get_mut(j).and_then(Option::take) {
                self.points = self.points.saturating_sub(c.len);
            }
        }
        self.cells.truncate(j.max(parties));
        if fits(self) {
            return;
        }
        for slot in self.cells.iter_mut().take(parties) {
            let Some(c) = slot else { continue };
            if c.len <= bits {
                continue;
            }
            let trimmed = Cell {
                position: c.position,
                len: bits,
                chain: OnceLock::new(),
            };
            if let Some(chain) = c.chain.get() {
                let keep = |v: &[RistrettoPoint]| v.get(..bits).unwrap_or(v).to_vec();
                let _ = trimmed.chain.set(Chain {
                    g: keep(&chain.g),
                    h: keep(&chain.h),
                });
            }
            self.points = self.points.saturating_sub(c.len - bits);
            *slot = Some(Arc::new(trimmed));
        }
    }
}

/// The generators of one proof shape: the first `bits` points of the chains of positions
/// `0..cells.len()`.
pub(super) struct ColumnGens {
    bits: usize,
    cells: Vec<Arc<Cell>>,
}

impl ColumnGens {
    /// The `G` vector in aggregation order (position 0's `bits` points first), borrowed.
    pub(super) fn g(&self) -> GenVec<'_> {
        self.view(|c| &c.g)
    }
    /// The `H` vector in aggregation order, borrowed.
    pub(super) fn h(&self) -> GenVec<'_> {
        self.view(|c| &c.h)
    }
    fn view<'a>(&'a self, pick: impl Fn(&'a Chain) -> &'a [RistrettoPoint]) -> GenVec<'a> {
        GenVec {
            bits: self.bits,
            parts: self
                .cells
                .iter()
                .map(|c| {
                    let v = pick(c.chain());
                    v.get(..self.bits).unwrap_or(v)
                })
                .collect(),
        }
    }
    #[cfg(test)]
    pub(super) fn cells(&self) -> &[Arc<Cell>] {
        &self.cells
    }
}

/// A generator vector borrowed from the cache: the first `bits` points of each position's
/// chain, in aggregation order, read in place.
#[derive(Clone)]
pub(super) struct GenVec<'a> {
    bits: usize,
    parts: Vec<&'a [RistrettoPoint]>,
}

impl<'a> GenVec<'a> {
    /// The number of points.
    pub(super) fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }
    /// Point `k` (`None` past the end).
    pub(super) fn get(&self, k: usize) -> Option<&'a RistrettoPoint> {
        let part = k.checked_div(self.bits)?;
        self.parts.get(part)?.get(k - part * self.bits)
    }
    /// A copy of the points (tests compare vectors).
    #[cfg(test)]
    pub(super) fn to_vec(&self) -> Vec<RistrettoPoint> {
        self.parts.iter().flat_map(|p| p.iter().copied()).collect()
    }
}

impl GenCache {
    /// An empty cache keeping at most `limit` points per vector.
    pub(super) const fn new(limit: usize) -> Self {
        GenCache {
            limit,
            inner: Mutex::new(Slots {
                cells: Vec::new(),
                points: 0,
            }),
        }
    }

    /// The generators for `bits × parties` (the caller bounds both: `bits·parties ≤` the
    /// limit), derived where missing.
    pub(super) fn get(&self, bits: usize, parties: usize) -> ColumnGens {
        let cells = self.cells(bits, parties);
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            cells.par_iter().for_each(|c| {
                c.chain();
            });
        }
        #[cfg(not(feature = "parallel"))]
        for c in &cells {
            c.chain();
        }
        ColumnGens { bits, cells }
    }

    /// Looks up (and registers) the cells, under the lock; derives nothing.
    fn cells(&self, bits: usize, parties: usize) -> Vec<Arc<Cell>> {
        // A poisoned lock only means another thread panicked while holding it; the slots are
        // consistent at every point where the lock is released, so keep using them.
        let mut slots = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        slots.make_room(bits, parties, self.limit);
        if slots.cells.len() < parties {
            slots.cells.resize(parties, None);
        }
        let mut out = Vec::with_capacity(parties);
        let mut added = 0usize;
        for (j, slot) in slots.cells.iter_mut().enumerate().take(parties) {
            match slot {
                Some(c) if c.len >= bits => out.push(Arc::clone(c)),
                _ => {
                    let old = slot.as_ref().map_or(0, |c| c.len);
                    let c = Arc::new(Cell {
                        position: u32::try_from(j).unwrap_or(u32::MAX),
                        len: bits,
                        chain: OnceLock::new(),
                    });
                    added += bits - old;
                    *slot = Some(Arc::clone(&c));
                    out.push(c);
                }
            }
        }
        slots.points += added;
        out
    }

    /// Points per vector the cache holds (registered chains).
    #[cfg(test)]
    pub(super) fn points(&self) -> usize {
        self.inner.lock().map(|s| s.points).unwrap_or(0)
    }
}

/// The process-wide cache of column generators.
pub(super) fn cache() -> &'static GenCache {
    static CACHE: GenCache = GenCache::new(MAX_CACHED_GENERATORS);
    &CACHE
}
