//! RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing.
//!
//! * leaf hash: `SHA-256(0x00 || data)`
//! * interior node: `SHA-256(0x01 || left || right)`
//! * the empty tree: `SHA-256("")`
//!
//! A tree of `n > 1` leaves splits at `k`, the largest power of two smaller than `n`; an odd
//! node is never duplicated (the duplication behind Bitcoin's CVE-2012-2459 cannot occur), and
//! the distinct prefixes keep a leaf from ever being read as a node (second preimages as in
//! CVE-2017-12842).
//!
//! Every subtree this split produces starts at a multiple of its own left part's size, so each
//! subtree is either *perfect* (`2^level` leaves starting at a multiple of `2^level`) or the
//! right edge of the tree; a store that keeps the perfect subtrees' hashes answers any subtree
//! hash with `O(log n)` reads.

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// Length of a [`type@Hash`].
pub const HASH_LEN: usize = 32;

/// Prefix of a leaf hash's preimage.
pub const LEAF_PREFIX: u8 = 0x00;
/// Prefix of an interior node hash's preimage.
pub const NODE_PREFIX: u8 = 0x01;

/// `SHA-256(0x00 || data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([LEAF_PREFIX]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([NODE_PREFIX]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree, `SHA-256("")`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The largest power of two strictly smaller than `n` (for `n >= 2`; `0` otherwise).
pub fn split_point(n: u64) -> u64 {
    if n < 2 {
        return 0;
    }
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The root of the tree over the given leaf hashes, computed directly from the RFC 9162
/// definition. `O(n)`: a reference for tests and small trees, not for stores.
pub fn root_from_leaf_hashes(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [one] => *one,
        _ => {
            let k = split_point(leaves.len() as u64) as usize;
            let (l, r) = leaves.split_at(k.min(leaves.len()));
            node_hash(&root_from_leaf_hashes(l), &root_from_leaf_hashes(r))
        }
    }
}

/// The right edge of a tree: the hashes of the perfect subtrees that make up `[0, size)`, one
/// per set bit of `size`, largest (leftmost) first. `O(log n)` memory; enough to append and to
/// compute the root.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Frontier {
    size: u64,
    nodes: Vec<Hash>,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Frontier::default()
    }

    /// A frontier from its parts: `nodes` must hold exactly one hash per set bit of `size`,
    /// leftmost (largest subtree) first.
    pub fn from_parts(size: u64, nodes: Vec<Hash>) -> Option<Self> {
        if nodes.len() != size.count_ones() as usize {
            return None;
        }
        Some(Frontier { size, nodes })
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The perfect subtree hashes, leftmost first.
    pub fn nodes(&self) -> &[Hash] {
        &self.nodes
    }

    /// The `(level, index)` coordinates of the frontier's subtrees, leftmost first (a perfect
    /// subtree `(level, index)` covers leaves `[index << level, (index + 1) << level)`).
    pub fn coordinates(size: u64) -> impl Iterator<Item = (u32, u64)> {
        (0..64u32)
            .rev()
            .filter(move |l| size & (1u64 << l) != 0)
            .map(move |l| (l, (size >> l) - 1))
    }

    /// The hash of the frontier's perfect subtree at `(level, index)`, if it is one of them.
    pub fn get(&self, level: u32, index: u64) -> Option<Hash> {
        if level >= 64 || self.size & (1u64 << level) == 0 || (self.size >> level) - 1 != index {
            return None;
        }
        // Leftmost first: its position is the number of larger subtrees.
        let larger = self.size.checked_shr(level + 1).unwrap_or(0).count_ones();
        self.nodes.get(larger as usize).copied()
    }

    /// Appends a leaf hash. `on_node(level, index, hash)` is called for every perfect subtree of
    /// level >= 1 this append completes, lowest first (what a store persists).
    pub fn push(&mut self, leaf: Hash, mut on_node: impl FnMut(u32, u64, &Hash)) {
        let mut h = leaf;
        let mut level = 0u32;
        let mut index = self.size;
        while self.size & (1u64 << level) != 0 {
            let Some(left) = self.nodes.pop() else { break };
            h = node_hash(&left, &h);
            level += 1;
            index >>= 1;
            on_node(level, index, &h);
        }
        self.nodes.push(h);
        self.size += 1;
    }

    /// The root hash of the tree.
    pub fn root(&self) -> Hash {
        let mut it = self.nodes.iter().rev();
        let Some(last) = it.next() else {
            return empty_root();
        };
        it.fold(*last, |acc, left| node_hash(left, &acc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // RFC 6962 test data (as used by transparency-dev/merkle): empty tree and the leaf "".
        assert_eq!(
            hex::encode(empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex::encode(leaf_hash(b"")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }

    #[test]
    fn split_points() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(1 << 40), 1 << 39);
        assert_eq!(split_point((1 << 40) + 1), 1 << 40);
    }

    #[test]
    fn frontier_matches_reference() {
        let mut f = Frontier::new();
        let mut leaves = Vec::new();
        let mut nodes = 0usize;
        for i in 0u32..130 {
            assert_eq!(f.root(), root_from_leaf_hashes(&leaves));
            let l = leaf_hash(&i.to_be_bytes());
            leaves.push(l);
            f.push(l, |level, index, h| {
                nodes += 1;
                let lo = (index << level) as usize;
                let hi = ((index + 1) << level) as usize;
                assert_eq!(*h, root_from_leaf_hashes(&leaves[lo..hi]));
            });
            assert_eq!(f.nodes().len(), f.size().count_ones() as usize);
            for ((level, index), h) in Frontier::coordinates(f.size()).zip(f.nodes()) {
                assert_eq!(f.get(level, index), Some(*h));
                assert_eq!(f.get(level, index + 1), None);
                assert_eq!(f.get(level + 1, index), None);
            }
        }
        assert_eq!(nodes, 130 - 130u32.count_ones() as usize);
    }
}
