//! The Merkle path R1CS gadget, mirror of [`super::MerklePath::root_for`].
//!
//! Per level: one constraint for the path bit being boolean, one for the selection of the left
//! child (`left = cur + bit * (sibling - cur)`, the right child is `cur + sibling - left`), and a
//! t = 3 Poseidon (240): 242 constraints per level.

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::select::CondSelectGadget;
use ark_relations::r1cs::{ConstraintSystemRef, SynthesisError};

use super::{MerklePath, MAX_DEPTH};
use crate::poseidon::gadget::hash2;
use crate::Fr;

/// A Merkle path as circuit variables: the index bits (least significant first: bit `h` set
/// means the node at height `h` is a right child) and the siblings from the leaf level up.
#[derive(Clone, Debug)]
pub struct MerklePathVar {
    /// Index bits, least significant first (one per level).
    pub index_bits: Vec<Boolean<Fr>>,
    /// Siblings from the leaf level up.
    pub siblings: Vec<FpVar<Fr>>,
}

impl MerklePathVar {
    /// Allocates a path of `depth` levels as private witnesses. `path` may be `None` when only the
    /// circuit's shape is needed (setup); otherwise its length must be `depth` and its index
    /// below `2^depth`. `depth` is at most [`MAX_DEPTH`].
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        path: Option<&MerklePath>,
        depth: usize,
    ) -> Result<Self, SynthesisError> {
        if depth > MAX_DEPTH {
            return Err(SynthesisError::Unsatisfiable);
        }
        if let Some(p) = path {
            if p.siblings.len() != depth || u128::from(p.index) >= (1u128 << depth) {
                return Err(SynthesisError::Unsatisfiable);
            }
        }
        let mut index_bits = Vec::with_capacity(depth);
        let mut siblings = Vec::with_capacity(depth);
        for h in 0..depth {
            let bit = path.map(|p| (p.index >> h) & 1 == 1);
            index_bits.push(Boolean::new_witness(cs.clone(), || {
                bit.ok_or(SynthesisError::AssignmentMissing)
            })?);
            let sibling = path.and_then(|p| p.siblings.get(h)).copied();
            siblings.push(FpVar::new_witness(cs.clone(), || {
                sibling.ok_or(SynthesisError::AssignmentMissing)
            })?);
        }
        Ok(Self {
            index_bits,
            siblings,
        })
    }

    /// The root for `leaf` along this path.
    pub fn root(&self, leaf: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
        root_from_path(leaf, &self.index_bits, &self.siblings)
    }

    /// The leaf index as a field element (from its bits).
    pub fn index(&self) -> Result<FpVar<Fr>, SynthesisError> {
        Boolean::le_bits_to_fp(&self.index_bits)
    }
}

/// The root for `leaf` given the index bits (least significant first) and the siblings; both
/// slices must have the same length, at most [`MAX_DEPTH`].
pub fn root_from_path(
    leaf: &FpVar<Fr>,
    index_bits: &[Boolean<Fr>],
    siblings: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    if index_bits.len() != siblings.len() || siblings.len() > MAX_DEPTH {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut node = leaf.clone();
    for (bit, sibling) in index_bits.iter().zip(siblings) {
        // bit = 1: the current node is the right child, so the sibling is on the left.
        let left = FpVar::conditionally_select(bit, sibling, &node)?;
        let right = &node + sibling - &left;
        node = hash2(&left, &right)?;
    }
    Ok(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::PoseidonTree;
    use ark_r1cs_std::prelude::*;
    use ark_relations::r1cs::ConstraintSystem;
    use proptest::prelude::*;

    fn leaves(n: usize, seed: u64) -> Vec<Fr> {
        (0..n as u64).map(|i| Fr::from(i * 31 + seed)).collect()
    }

    /// Synthesizes "leaf is under root" with the root public; returns (count, satisfied).
    fn check(leaf: Fr, path: &MerklePath, root: Fr, depth: usize) -> (usize, bool) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let root_var = FpVar::new_input(cs.clone(), || Ok(root)).unwrap();
        let leaf_var = FpVar::new_witness(cs.clone(), || Ok(leaf)).unwrap();
        let path_var = MerklePathVar::new_witness(cs.clone(), Some(path), depth).unwrap();
        let computed = path_var.root(&leaf_var).unwrap();
        assert_eq!(computed.value().unwrap(), path.root_for(leaf));
        assert_eq!(
            path_var.index().unwrap().value().unwrap(),
            Fr::from(path.index)
        );
        computed.enforce_equal(&root_var).unwrap();
        (cs.num_constraints(), cs.is_satisfied().unwrap())
    }

    #[test]
    fn constraint_count_is_pinned() {
        for depth in [0usize, 1, 4, 20] {
            let tree = PoseidonTree::new(&leaves(5.min(1 << depth), 1), depth).unwrap();
            let path = tree.path(0).unwrap();
            let (count, ok) = check(leaves(1, 1)[0], &path, tree.root(), depth);
            assert!(ok);
            // 242 per level, plus the final equality with the public root.
            assert_eq!(count, 242 * depth + 1, "depth {depth}");
        }
    }

    #[test]
    fn shape_without_witness_and_bad_shapes() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_mode(ark_relations::r1cs::SynthesisMode::Setup);
        let leaf = FpVar::new_witness(cs.clone(), || Ok(Fr::from(0u64))).unwrap();
        let p = MerklePathVar::new_witness(cs.clone(), None, 8).unwrap();
        let _root = p.root(&leaf).unwrap();
        assert_eq!(cs.num_constraints(), 242 * 8);

        let cs = ConstraintSystem::<Fr>::new_ref();
        assert!(MerklePathVar::new_witness(cs.clone(), None, MAX_DEPTH + 1).is_err());
        let path = MerklePath {
            index: 4,
            siblings: vec![Fr::from(0u64); 2],
        };
        assert!(MerklePathVar::new_witness(cs.clone(), Some(&path), 2).is_err());
        assert!(MerklePathVar::new_witness(cs.clone(), Some(&path), 3).is_err());
        let leaf = FpVar::new_witness(cs.clone(), || Ok(Fr::from(0u64))).unwrap();
        let bits = vec![Boolean::TRUE; 2];
        assert!(root_from_path(&leaf, &bits, &[FpVar::Constant(Fr::from(0u64))]).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        #[test]
        fn gadget_agrees_with_native_and_rejects_wrong_witnesses(
            depth in 1usize..5, fill in 1usize..=16, index in any::<u64>(), seed in any::<u64>()
        ) {
            let l = leaves(fill.min(1 << depth), seed >> 2);
            let tree = PoseidonTree::new(&l, depth).unwrap();
            let index = index % (1u64 << depth);
            let leaf = l.get(index as usize).copied().unwrap_or(Fr::from(0u64));
            let path = tree.path(index).unwrap();
            prop_assert!(check(leaf, &path, tree.root(), depth).1);
            // Wrong leaf.
            prop_assert!(!check(leaf + Fr::from(1u64), &path, tree.root(), depth).1);
            // Wrong sibling at each level.
            for h in 0..depth {
                let mut bad = path.clone();
                bad.siblings[h] += Fr::from(1u64);
                prop_assert!(!check(leaf, &bad, tree.root(), depth).1);
            }
            // Wrong index (a different position), unless the swapped nodes are equal.
            let mut moved = path.clone();
            moved.index ^= 1;
            if path.siblings[0] != leaf {
                prop_assert!(!check(leaf, &moved, tree.root(), depth).1);
            }
            // Wrong root.
            prop_assert!(!check(leaf, &path, tree.root() + Fr::from(1u64), depth).1);
        }
    }
}
