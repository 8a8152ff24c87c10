//! A binary Poseidon Merkle tree of fixed depth: empty leaves are `Fr::ZERO`, a node is
//! `hash2(left, right)`, and leaf `i`'s path reads the bits of `i` from the least significant
//! (bit 0 = 0: the node is a left child).
//!
//! Only the occupied prefix of each level is stored; empty subtrees use precomputed
//! zero-subtree roots, so a depth-32 tree with a few leaves is cheap.

pub mod gadget;

use ark_ff::Zero;

use crate::poseidon::hash2;
use crate::{Fr, MerkleError};

/// The largest supported depth.
pub const MAX_DEPTH: usize = 32;

/// Roots of empty subtrees: `zeros[h]` is the root of an all-zero subtree of height `h`.
fn zero_roots(depth: usize) -> Vec<Fr> {
    let mut zeros = Vec::with_capacity(depth + 1);
    let mut z = Fr::zero();
    zeros.push(z);
    for _ in 0..depth {
        z = hash2(z, z);
        zeros.push(z);
    }
    zeros
}

fn check_shape(len: usize, depth: usize) -> Result<(), MerkleError> {
    if depth > MAX_DEPTH {
        return Err(MerkleError::DepthTooLarge { depth });
    }
    if (len as u128) > (1u128 << depth) {
        return Err(MerkleError::TooManyLeaves);
    }
    Ok(())
}

/// The next level up: pairs hashed, an odd last node paired with the empty subtree root.
fn next_level(level: &[Fr], zero: Fr) -> Vec<Fr> {
    let pair = |c: &[Fr]| match c {
        [l, r] => hash2(*l, *r),
        [l] => hash2(*l, zero),
        _ => zero,
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        // Below this, thread hand-off costs more than it saves.
        const PARALLEL_MIN_PAIRS: usize = 64;
        if level.len() >= 2 * PARALLEL_MIN_PAIRS {
            return level.par_chunks(2).map(pair).collect();
        }
    }
    level.chunks(2).map(pair).collect()
}

/// A Poseidon Merkle tree with its levels kept for paths.
#[derive(Clone, Debug)]
pub struct PoseidonTree {
    depth: usize,
    /// `levels[0]` are the leaves, `levels[depth]` holds the root (occupied prefixes only).
    levels: Vec<Vec<Fr>>,
    zeros: Vec<Fr>,
}

impl PoseidonTree {
    /// Builds the tree; `leaves.len()` must not exceed `2^depth`, `depth <= MAX_DEPTH`.
    pub fn new(leaves: &[Fr], depth: usize) -> Result<Self, MerkleError> {
        check_shape(leaves.len(), depth)?;
        let zeros = zero_roots(depth);
        let mut levels = Vec::with_capacity(depth + 1);
        levels.push(leaves.to_vec());
        for zero in zeros.iter().take(depth) {
            let next = levels
                .last()
                .map(|l| next_level(l, *zero))
                .unwrap_or_default();
            levels.push(next);
        }
        Ok(Self {
            depth,
            levels,
            zeros,
        })
    }

    /// The depth (number of siblings in a path).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The root.
    pub fn root(&self) -> Fr {
        self.levels
            .last()
            .and_then(|l| l.first())
            .or_else(|| self.zeros.last())
            .copied()
            .unwrap_or_else(Fr::zero)
    }

    /// The authentication path of leaf `index` (any index below `2^depth`, occupied or not).
    pub fn path(&self, index: u64) -> Result<MerklePath, MerkleError> {
        if u128::from(index) >= (1u128 << self.depth) {
            return Err(MerkleError::IndexOutOfRange);
        }
        let mut siblings = Vec::with_capacity(self.depth);
        for (h, (level, zero)) in self
            .levels
            .iter()
            .zip(&self.zeros)
            .take(self.depth)
            .enumerate()
        {
            let sibling = usize::try_from((index >> h) ^ 1)
                .ok()
                .and_then(|i| level.get(i))
                .copied()
                .unwrap_or(*zero);
            siblings.push(sibling);
        }
        Ok(MerklePath { index, siblings })
    }
}

/// A leaf's authentication path: its index and the siblings from the leaf level up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerklePath {
    /// The leaf index; bit `h` tells whether the node at height `h` is a right child.
    pub index: u64,
    /// Siblings from the leaf level up (length = depth).
    pub siblings: Vec<Fr>,
}

impl MerklePath {
    /// The root this path yields for `leaf`. Only the low `siblings.len()` bits of `index`
    /// are used; callers comparing against a root of known depth should check
    /// `siblings.len()` (and `index < 2^depth`) themselves.
    pub fn root_for(&self, leaf: Fr) -> Fr {
        self.siblings
            .iter()
            .enumerate()
            .fold(leaf, |node, (h, sibling)| {
                if h < 64 && (self.index >> h) & 1 == 1 {
                    hash2(*sibling, node)
                } else {
                    hash2(node, *sibling)
                }
            })
    }
}

/// The root of a tree of `depth` over `leaves` without keeping the levels (multi-threaded with
/// the `parallel` feature).
pub fn root_of(leaves: &[Fr], depth: usize) -> Result<Fr, MerkleError> {
    check_shape(leaves.len(), depth)?;
    let zeros = zero_roots(depth);
    let mut level: Vec<Fr> = leaves.to_vec();
    for zero in zeros.iter().take(depth) {
        if level.is_empty() {
            break;
        }
        level = next_level(&level, *zero);
    }
    Ok(level
        .first()
        .or_else(|| zeros.last())
        .copied()
        .unwrap_or_else(Fr::zero))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition, with the full tree materialized (small depths only).
    fn naive_root(leaves: &[Fr], depth: usize) -> Fr {
        let mut level: Vec<Fr> = leaves.to_vec();
        level.resize(1 << depth, Fr::zero());
        for _ in 0..depth {
            level = level.chunks(2).map(|c| hash2(c[0], c[1])).collect();
        }
        level[0]
    }

    fn leaves(n: usize, seed: u64) -> Vec<Fr> {
        (0..n as u64).map(|i| Fr::from(i * 7919 + seed)).collect()
    }

    #[test]
    fn empty_and_shape() {
        assert_eq!(root_of(&[], 0).unwrap(), Fr::zero());
        assert_eq!(root_of(&[Fr::from(5u64)], 0).unwrap(), Fr::from(5u64));
        assert_eq!(root_of(&[], 3).unwrap(), naive_root(&[], 3));
        assert_eq!(root_of(&leaves(3, 1), 1), Err(MerkleError::TooManyLeaves));
        assert_eq!(
            root_of(&[], 33),
            Err(MerkleError::DepthTooLarge { depth: 33 })
        );
        assert!(PoseidonTree::new(&[], 33).is_err());
        let tree = PoseidonTree::new(&leaves(4, 0), 2).unwrap();
        assert_eq!(tree.path(4), Err(MerkleError::IndexOutOfRange));
        // depth 32 with few leaves is cheap and consistent.
        let big = PoseidonTree::new(&leaves(3, 9), MAX_DEPTH).unwrap();
        assert_eq!(big.root(), root_of(&leaves(3, 9), MAX_DEPTH).unwrap());
        let p = big.path((1 << 32) - 1).unwrap();
        assert_eq!(p.root_for(Fr::zero()), big.root());
        assert_eq!(p.siblings.len(), MAX_DEPTH);
    }

    #[test]
    fn parallel_levels_match_definition() {
        // Large enough to take the rayon path on the first levels.
        let l = leaves(1000, 3);
        assert_eq!(root_of(&l, 10).unwrap(), naive_root(&l, 10));
        assert_eq!(
            PoseidonTree::new(&l, 10).unwrap().root(),
            naive_root(&l, 10)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn roots_and_paths(depth in 0usize..6, fill in 0usize..=64, seed in any::<u64>()) {
            let n = fill.min(1 << depth);
            let l = leaves(n, seed >> 1);
            let expected = naive_root(&l, depth);
            prop_assert_eq!(root_of(&l, depth).unwrap(), expected);
            let tree = PoseidonTree::new(&l, depth).unwrap();
            prop_assert_eq!(tree.root(), expected);
            for i in 0..(1u64 << depth) {
                let leaf = l.get(i as usize).copied().unwrap_or(Fr::zero());
                let path = tree.path(i).unwrap();
                prop_assert_eq!(path.siblings.len(), depth);
                prop_assert_eq!(path.root_for(leaf), expected);
                if depth > 0 {
                    // A wrong leaf or a wrong index gives another root.
                    prop_assert_ne!(path.root_for(leaf + Fr::from(1u64)), expected);
                    let mut other = path.clone();
                    other.index ^= 1;
                    let sibling = path.siblings[0];
                    if sibling != leaf {
                        prop_assert_ne!(other.root_for(leaf), expected);
                    }
                }
            }
        }
    }
}
