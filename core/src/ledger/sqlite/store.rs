//! The subtree store: the bounded top-of-tree cache, reading perfect-subtree hashes from
//! entry rows, and the inclusion and consistency proofs built from them.
use super::*;

/// Most perfect-subtree hashes the top-of-tree cache holds (about 3 MiB at most).
pub(super) const TOP_CACHE_CAP: usize = 1 << 16;

/// A bounded cache of the hashes of the tree's highest perfect subtrees: every subtree of
/// level >= `min_level`, where `min_level` grows with the log so that there are at most
/// `TOP_CACHE_CAP` of them (fewer than `2 * (size >> min_level)`). Proofs then read only the
/// `min_level` lowest levels from the database. Perfect subtrees never change once committed,
/// so entries are never stale; only hashes read from, or committed to, the database go in.
#[derive(Default)]
pub(super) struct TopCache {
    pub(super) min_level: u32,
    pub(super) map: std::collections::HashMap<(u32, u64), Hash>,
}

impl TopCache {
    /// Raises `min_level` (dropping lower entries) so that a log of `size` entries fits.
    pub(super) fn fit(&mut self, size: u64) {
        let mut level = self.min_level.max(1);
        while level < 63 && (size >> level) > (TOP_CACHE_CAP / 2) as u64 {
            level += 1;
        }
        if level != self.min_level {
            self.min_level = level;
            self.map.retain(|k, _| k.0 >= level);
        }
    }

    pub(super) fn get(&self, level: u32, index: u64) -> Option<Hash> {
        self.map.get(&(level, index)).copied()
    }

    pub(super) fn insert(&mut self, level: u32, index: u64, h: &Hash) {
        if level >= self.min_level && self.map.len() < TOP_CACHE_CAP {
            self.map.insert((level, index), *h);
        }
    }
}

/// Reads perfect subtrees from the store, with the in-memory right edge and the top-of-tree
/// cache as shortcuts; [`NodeSource::prefetch`] reads the rows a proof needs up front, each row
/// once, in index order.
pub(super) struct Store<'a> {
    pub(super) conn: &'a Connection,
    pub(super) frontier: &'a Frontier,
    pub(super) top: &'a mut TopCache,
    pub(super) fetched: Vec<((u32, u64), Hash)>,
}

impl<'a> Store<'a> {
    pub(super) fn new(conn: &'a Connection, frontier: &'a Frontier, top: &'a mut TopCache) -> Self {
        Store {
            conn,
            frontier,
            top,
            fetched: Vec::new(),
        }
    }

    /// The row that holds perfect subtree `(level, index)`.
    pub(super) fn row(level: u32, index: u64) -> Result<i64, LedgerError> {
        if level == 0 {
            to_i64(index)
        } else {
            node_row(level, index)
        }
    }

    /// The hash of `(level, index)` from its row's `data` (a leaf) or `nodes` (level >= 1).
    pub(super) fn from_row(level: u32, data: &[u8], nodes: &[u8]) -> Result<Hash, LedgerError> {
        if level == 0 {
            return Ok(leaf_hash(data));
        }
        let at = (level as usize - 1) * 32;
        nodes
            .get(at..at + 32)
            .ok_or(LedgerError::Corrupt("missing node"))
            .and_then(|h| hash_from_blob(h.to_vec()))
    }
}

impl NodeSource for Store<'_> {
    fn perfect(&mut self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        if let Some(h) = self.frontier.get(level, index) {
            return Ok(h);
        }
        if let Some(h) = self.top.get(level, index) {
            return Ok(h);
        }
        if let Some((_, h)) = self.fetched.iter().find(|(k, _)| *k == (level, index)) {
            return Ok(*h);
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT data, nodes FROM entries WHERE idx = ?1")
            .map_err(sql_err)?;
        let h = st
            .query_row([Self::row(level, index)?], |r| {
                let data = r.get_ref(0)?.as_blob()?;
                let nodes = r.get_ref(1)?.as_blob()?;
                Ok(Self::from_row(level, data, nodes))
            })
            .optional()
            .map_err(sql_err)?
            .ok_or(LedgerError::Corrupt("missing entry"))??;
        self.top.insert(level, index, &h);
        Ok(h)
    }

    fn prefetch(&mut self, nodes: &[(u32, u64)]) -> Result<(), LedgerError> {
        let mut want: Vec<(i64, u32, u64)> = Vec::with_capacity(nodes.len());
        for &(level, index) in nodes {
            if self.frontier.get(level, index).is_none() && self.top.get(level, index).is_none() {
                want.push((Self::row(level, index)?, level, index));
            }
        }
        want.sort_unstable();
        want.dedup();
        let mut st = self
            .conn
            .prepare_cached("SELECT data, nodes FROM entries WHERE idx = ?1")
            .map_err(sql_err)?;
        let mut w = 0;
        while let Some(&(row, _, _)) = want.get(w) {
            let mut rows = st.query([row]).map_err(sql_err)?;
            let r = rows
                .next()
                .map_err(sql_err)?
                .ok_or(LedgerError::Corrupt("missing entry"))?;
            let data = r
                .get_ref(0)
                .and_then(|v| Ok(v.as_blob()?))
                .map_err(sql_err)?;
            let blob = r
                .get_ref(1)
                .and_then(|v| Ok(v.as_blob()?))
                .map_err(sql_err)?;
            // Every wanted subtree stored in this row.
            while let Some(&(_, level, index)) = want.get(w).filter(|x| x.0 == row) {
                let h = Self::from_row(level, data, blob)?;
                self.top.insert(level, index, &h);
                self.fetched.push(((level, index), h));
                w += 1;
            }
        }
        Ok(())
    }
}

impl LocalLedger {
    /// Reads the top of the tree into the bounded top-of-tree cache: every perfect subtree of
    /// level >= the cache's floor, from at most 2^15 rows whatever the log size (~0.1-1 s on
    /// a cold 10^7-entry file). Optional: proofs fill the cache as they go; a long-running
    /// service calls this once after opening so that its proofs read only the few lowest
    /// levels (at 10^7 entries, levels below 9) from the database. Returns the hashes cached.
    pub fn warm_cache(&self) -> Result<u64, LedgerError> {
        let mut g = self.lock()?;
        let size = g.frontier.size();
        g.top.fit(size);
        let Inner { conn, top, .. } = &mut *g;
        let floor = top.min_level;
        let step = 1u64
            .checked_shl(floor)
            .ok_or(LedgerError::Corrupt("cache level"))?;
        let mut st = conn
            .prepare_cached("SELECT nodes FROM entries WHERE idx = ?1")
            .map_err(sql_err)?;
        let mut cached = 0u64;
        // The row ending at `end` (a multiple of 2^floor) holds the subtrees of levels
        // 1..=trailing_zeros(end) that end there.
        let mut end = step;
        while end <= size {
            let top_level = end.trailing_zeros();
            let blob: Vec<u8> = st
                .query_row([to_i64(end - 1)?], |r| r.get(0))
                .optional()
                .map_err(sql_err)?
                .ok_or(LedgerError::Corrupt("missing entry"))?;
            for level in floor..=top_level {
                let h = Store::from_row(level, &[], &blob)?;
                top.insert(level, (end >> level) - 1, &h);
                cached += 1;
            }
            end += step;
        }
        Ok(cached)
    }

    /// The inclusion proof of entry `index` in the tree of the first `size` entries.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        let mut g = self.lock()?;
        if size > g.frontier.size() {
            return Err(LedgerError::OutOfRange {
                index: size,
                size: g.frontier.size(),
            });
        }
        inclusion_proof(&mut g.store(), index, size)
    }

    /// The consistency proof from the tree of `size1` entries to the tree of `size2`.
    pub fn consistency_proof(&self, size1: u64, size2: u64) -> Result<Vec<Hash>, LedgerError> {
        let mut g = self.lock()?;
        if size2 > g.frontier.size() {
            return Err(LedgerError::OutOfRange {
                index: size2,
                size: g.frontier.size(),
            });
        }
        consistency_proof(&mut g.store(), size1, size2)
    }
}
