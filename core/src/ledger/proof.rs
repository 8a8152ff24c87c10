//! Inclusion and consistency proofs (RFC 9162 §2.1.3 and §2.1.4): generation over any store of
//! perfect-subtree hashes, and verification as plain functions that need no store.
//!
//! Verification is strict: every proof hash must be exactly 32 bytes, the proof must have
//! exactly the length the sizes imply, and any failure is the one opaque
//! [`LogVerifyError::InvalidProof`].

use super::merkle::{node_hash, split_point, Hash, HASH_LEN};
use crate::error::{LedgerError, LogVerifyError};

/// Most hashes a proof can hold (two per level of a 2^64 tree); longer input is refused
/// before any allocation.
pub const MAX_PROOF_HASHES: usize = 128;

/// A source of perfect-subtree hashes: `(level, index)` is the subtree over leaves
/// `[index << level, (index + 1) << level)`; level 0 is a leaf hash.
pub trait NodeSource {
    /// The hash of a perfect subtree that lies inside the tree.
    fn perfect(&mut self, level: u32, index: u64) -> Result<Hash, LedgerError>;

    /// Announces the perfect subtrees `(level, index)` about to be asked for, so that a store
    /// can read them together (one query instead of one per node). Optional: the default does
    /// nothing, and `perfect` must answer whether or not it was called.
    fn prefetch(&mut self, _nodes: &[(u32, u64)]) -> Result<(), LedgerError> {
        Ok(())
    }
}

/// Appends to `out` the perfect subtrees that [`subtree_hash`] reads for `[lo, hi)`, in the
/// order it reads them (at most one per level).
pub fn perfect_parts(lo: u64, hi: u64, out: &mut Vec<(u32, u64)>) -> Result<(), LedgerError> {
    if hi <= lo {
        return Err(LedgerError::OutOfRange {
            index: lo,
            size: hi,
        });
    }
    let mut lo = lo;
    loop {
        let n = hi - lo;
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            let level = n.trailing_zeros();
            out.push((level, lo >> level));
            return Ok(());
        }
        let k = split_point(n);
        if k == 0 || !lo.is_multiple_of(k) {
            return Err(LedgerError::Corrupt("subtree is not aligned"));
        }
        let level = k.trailing_zeros();
        out.push((level, lo >> level));
        lo += k;
    }
}

/// The hashes of the subtrees `ranges`, after announcing every perfect subtree they need to
/// the store in one [`NodeSource::prefetch`] call.
fn subtree_hashes<S: NodeSource + ?Sized>(
    src: &mut S,
    ranges: &[(u64, u64)],
) -> Result<Vec<Hash>, LedgerError> {
    let mut parts = Vec::with_capacity(2 * ranges.len() + 2);
    for &(a, b) in ranges {
        perfect_parts(a, b, &mut parts)?;
    }
    src.prefetch(&parts)?;
    ranges
        .iter()
        .map(|&(a, b)| subtree_hash(src, a, b))
        .collect()
}

/// A [`NodeSource`] over leaf hashes held in memory (for tests, tools and small trees).
#[derive(Debug, Clone, Copy)]
pub struct LeafSlice<'a>(pub &'a [Hash]);

impl NodeSource for LeafSlice<'_> {
    fn perfect(&mut self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        let lo = index
            .checked_shl(level)
            .ok_or(LedgerError::Corrupt("node index"))?;
        let hi = index
            .checked_add(1)
            .and_then(|i| i.checked_shl(level))
            .ok_or(LedgerError::Corrupt("node index"))?;
        let leaves = usize::try_from(lo)
            .ok()
            .zip(usize::try_from(hi).ok())
            .and_then(|(lo, hi)| self.0.get(lo..hi))
            .ok_or(LedgerError::OutOfRange {
                index: hi,
                size: self.0.len() as u64,
            })?;
        Ok(super::merkle::root_from_leaf_hashes(leaves))
    }
}

/// The hash of the subtree over leaves `[lo, hi)` as the RFC 9162 tree splits it (`lo` must be
/// a subtree boundary of that tree, which every range this module asks for is). Reads
/// `O(log n)` perfect subtrees.
pub fn subtree_hash<S: NodeSource + ?Sized>(
    src: &mut S,
    lo: u64,
    hi: u64,
) -> Result<Hash, LedgerError> {
    if hi <= lo {
        return Err(LedgerError::OutOfRange {
            index: lo,
            size: hi,
        });
    }
    // Walk down the right spine, collecting the perfect left parts, then fold back up.
    let mut lefts: Vec<Hash> = Vec::new();
    let (mut lo, hi) = (lo, hi);
    loop {
        let n = hi - lo;
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            let level = n.trailing_zeros();
            let mut acc = src.perfect(level, lo >> level)?;
            while let Some(l) = lefts.pop() {
                acc = node_hash(&l, &acc);
            }
            return Ok(acc);
        }
        let k = split_point(n);
        if k == 0 || !lo.is_multiple_of(k) {
            return Err(LedgerError::Corrupt("subtree is not aligned"));
        }
        let level = k.trailing_zeros();
        lefts.push(src.perfect(level, lo >> level)?);
        lo += k;
    }
}

/// The inclusion proof (audit path) of leaf `index` in the tree of `size` leaves, bottom-up.
pub fn inclusion_proof<S: NodeSource + ?Sized>(
    src: &mut S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, LedgerError> {
    if index >= size {
        return Err(LedgerError::OutOfRange { index, size });
    }
    let mut ranges: Vec<(u64, u64)> = Vec::new();
    let (mut lo, mut hi) = (0u64, size);
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if index < lo + k {
            ranges.push((lo + k, hi));
            hi = lo + k;
        } else {
            ranges.push((lo, lo + k));
            lo += k;
        }
    }
    ranges.reverse();
    subtree_hashes(src, &ranges)
}

/// The consistency proof between the trees of `size1` and `size2` leaves (`0 < size1 <= size2`;
/// empty when the sizes are equal).
pub fn consistency_proof<S: NodeSource + ?Sized>(
    src: &mut S,
    size1: u64,
    size2: u64,
) -> Result<Vec<Hash>, LedgerError> {
    if size1 == 0 || size1 > size2 {
        return Err(LedgerError::OutOfRange {
            index: size1,
            size: size2,
        });
    }
    if size1 == size2 {
        return Ok(Vec::new());
    }
    let mut ranges: Vec<(u64, u64)> = Vec::new();
    let (mut lo, mut hi) = (0u64, size2);
    let mut complete = true;
    loop {
        if size1 == hi {
            if !complete {
                ranges.push((lo, hi));
            }
            break;
        }
        let k = split_point(hi - lo);
        if size1 <= lo + k {
            ranges.push((lo + k, hi));
            hi = lo + k;
        } else {
            ranges.push((lo, lo + k));
            lo += k;
            complete = false;
        }
    }
    ranges.reverse();
    subtree_hashes(src, &ranges)
}

/// The root an inclusion proof implies for `leaf` at `index` in a tree of `size` leaves.
pub fn root_from_inclusion_proof(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, LogVerifyError> {
    if index >= size || proof.len() > MAX_PROOF_HASHES {
        return Err(LogVerifyError::InvalidProof);
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if snode == 0 {
            return Err(LogVerifyError::InvalidProof);
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(LogVerifyError::InvalidProof);
    }
    Ok(r)
}

/// Verifies that `leaf` (a leaf hash) is at `index` in the tree of `size` leaves with `root`.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), LogVerifyError> {
    let r = root_from_inclusion_proof(index, size, leaf, proof)?;
    if &r == root {
        Ok(())
    } else {
        Err(LogVerifyError::InvalidProof)
    }
}

/// Verifies that the tree of `size2` leaves with `root2` extends the tree of `size1` leaves
/// with `root1`.
///
/// `size1` must be at least 1: every tree extends the empty one, so a proof from size 0
/// proves nothing and is refused (a client that trusts nothing yet has nothing to check).
/// Equal sizes need an empty proof and equal roots.
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    proof: &[Hash],
    root1: &Hash,
    root2: &Hash,
) -> Result<(), LogVerifyError> {
    if size1 == 0 || size1 > size2 || proof.len() > MAX_PROOF_HASHES {
        return Err(LogVerifyError::InvalidProof);
    }
    if size1 == size2 {
        return if proof.is_empty() && root1 == root2 {
            Ok(())
        } else {
            Err(LogVerifyError::InvalidProof)
        };
    }
    let (first, rest): (&Hash, &[Hash]) = if size1.is_power_of_two() {
        (root1, proof)
    } else {
        match proof.split_first() {
            Some((f, r)) => (f, r),
            None => return Err(LogVerifyError::InvalidProof),
        }
    };
    let (mut fnode, mut snode) = (size1 - 1, size2 - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if snode == 0 {
            return Err(LogVerifyError::InvalidProof);
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 || &fr != root1 || &sr != root2 {
        return Err(LogVerifyError::InvalidProof);
    }
    Ok(())
}

fn hash_from(b: &[u8]) -> Result<Hash, LogVerifyError> {
    if b.len() != HASH_LEN {
        return Err(LogVerifyError::InvalidProof);
    }
    let mut h = [0u8; HASH_LEN];
    h.copy_from_slice(b);
    Ok(h)
}

fn hashes_from<T: AsRef<[u8]>>(proof: &[T]) -> Result<Vec<Hash>, LogVerifyError> {
    if proof.len() > MAX_PROOF_HASHES {
        return Err(LogVerifyError::InvalidProof);
    }
    proof.iter().map(|p| hash_from(p.as_ref())).collect()
}

/// [`verify_inclusion`] over untrusted byte strings (e.g. decoded from JSON): every hash must
/// be exactly 32 bytes.
pub fn verify_inclusion_bytes<T: AsRef<[u8]>>(
    index: u64,
    size: u64,
    leaf: &[u8],
    proof: &[T],
    root: &[u8],
) -> Result<(), LogVerifyError> {
    verify_inclusion(
        index,
        size,
        &hash_from(leaf)?,
        &hashes_from(proof)?,
        &hash_from(root)?,
    )
}

/// [`verify_consistency`] over untrusted byte strings. Every proof hash must be 32 bytes; so
/// must the roots, except that two statements about the same non-zero size with an empty proof
/// are consistent exactly when their roots are the same bytes (nothing is hashed).
pub fn verify_consistency_bytes<T: AsRef<[u8]>>(
    size1: u64,
    size2: u64,
    proof: &[T],
    root1: &[u8],
    root2: &[u8],
) -> Result<(), LogVerifyError> {
    if size1 != 0 && size1 == size2 {
        return if proof.is_empty() && root1 == root2 {
            Ok(())
        } else {
            Err(LogVerifyError::InvalidProof)
        };
    }
    verify_consistency(
        size1,
        size2,
        &hashes_from(proof)?,
        &hash_from(root1)?,
        &hash_from(root2)?,
    )
}

#[cfg(test)]
mod tests {
    use super::super::merkle::{leaf_hash, root_from_leaf_hashes};
    use super::*;

    fn leaves(n: u64) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(&i.to_le_bytes())).collect()
    }

    /// Records every perfect subtree read, and what was announced.
    struct Recorder<'a> {
        leaves: LeafSlice<'a>,
        announced: Vec<(u32, u64)>,
        read: Vec<(u32, u64)>,
    }

    impl NodeSource for Recorder<'_> {
        fn perfect(&mut self, level: u32, index: u64) -> Result<Hash, LedgerError> {
            self.read.push((level, index));
            self.leaves.perfect(level, index)
        }
        fn prefetch(&mut self, nodes: &[(u32, u64)]) -> Result<(), LedgerError> {
            self.announced.extend_from_slice(nodes);
            Ok(())
        }
    }

    #[test]
    fn prefetch_announces_exactly_what_is_read() {
        let all = leaves(70);
        for size in 1..=70u64 {
            let l = &all[..size as usize];
            let check = |f: &dyn Fn(&mut Recorder<'_>) -> Vec<Hash>| {
                let mut r = Recorder {
                    leaves: LeafSlice(l),
                    announced: Vec::new(),
                    read: Vec::new(),
                };
                f(&mut r);
                assert_eq!(r.announced, r.read);
            };
            for i in 0..size {
                check(&|r| inclusion_proof(r, i, size).unwrap());
            }
            for s1 in 1..size {
                check(&|r| consistency_proof(r, s1, size).unwrap());
            }
        }
    }

    #[test]
    fn small_trees_round_trip() {
        let all = leaves(20);
        for size in 1..=20u64 {
            let l = &all[..size as usize];
            let root = root_from_leaf_hashes(l);
            for i in 0..size {
                let p = inclusion_proof(&mut LeafSlice(l), i, size).unwrap();
                verify_inclusion(i, size, &l[i as usize], &p, &root).unwrap();
            }
            for s1 in 1..=size {
                let r1 = root_from_leaf_hashes(&l[..s1 as usize]);
                let p = consistency_proof(&mut LeafSlice(l), s1, size).unwrap();
                verify_consistency(s1, size, &p, &r1, &root).unwrap();
            }
        }
    }
}
