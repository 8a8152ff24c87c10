//! The R1CS gadget for a Poseidon Merkle path, mirroring [`super::MerklePath::root_for`].
//!
//! Per level: one boolean constraint for the index bit, one constraint to order the pair
//! (`left = node + bit·(sibling − node)`, `right = node + sibling − left`), and a 240-constraint
//! Poseidon node hash: **242 constraints per level** (depth 8: 1,936; depth 20: 4,840;
//! depth 32: 7,744).

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::r1cs::{ConstraintSystemRef, SynthesisError};

use super::{MerklePath, MAX_DEPTH};
use crate::poseidon::constraints::hash2;
use crate::Fr;

/// A Merkle path allocated as witnesses: index bits (least significant first) and siblings.
#[derive(Clone)]
pub struct MerklePathVar {
    /// Bit `h` is true when the node at height `h` is a right child.
    pub bits: Vec<Boolean<Fr>>,
    /// Siblings from the leaf level up.
    pub siblings: Vec<FpVar<Fr>>,
}

impl MerklePathVar {
    /// Allocates a path of exactly `depth` levels as private witnesses. With no value (setup),
    /// a zero path of that depth is allocated. Refuses depths over [`MAX_DEPTH`] and paths of
    /// another length.
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        path: Option<&MerklePath>,
        depth: usize,
    ) -> Result<Self, SynthesisError> {
        if depth > MAX_DEPTH {
            return Err(SynthesisError::Unsatisfiable);
        }
        if let Some(p) = path {
            if p.siblings.len() != depth || (depth < 64 && p.index >> depth != 0) {
                return Err(SynthesisError::Unsatisfiable);
            }
        }
        let mut bits = Vec::with_capacity(depth);
        let mut siblings = Vec::with_capacity(depth);
        for h in 0..depth {
            let bit = path.map(|p| (p.index >> h) & 1 == 1);
            bits.push(Boolean::new_witness(cs.clone(), || {
                bit.ok_or(SynthesisError::AssignmentMissing)
            })?);
            let sib = path.and_then(|p| p.siblings.get(h).copied());
            siblings.push(FpVar::new_witness(cs.clone(), || {
                sib.ok_or(SynthesisError::AssignmentMissing)
            })?);
        }
        Ok(MerklePathVar { bits, siblings })
    }

    /// The root this path yields for `leaf` (242 constraints per level).
    pub fn root_for(&self, leaf: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
        let mut node = leaf.clone();
        for (bit, sibling) in self.bits.iter().zip(&self.siblings) {
            // left = node + bit * (sibling - node): one constraint.
            let left = bit.select(sibling, &node)?;
            let right = &node + sibling - &left;
            node = hash2(&left, &right)?;
        }
        Ok(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::PoseidonTree;
    use ark_r1cs_std::eq::EqGadget;
    use ark_r1cs_std::R1CSVar;
    use ark_relations::r1cs::ConstraintSystem;
    use proptest::prelude::*;

    fn check(leaves: &[Fr], depth: usize, index: u64, leaf: Fr, root: Fr) -> (bool, usize) {
        let tree = PoseidonTree::new(leaves, depth).unwrap();
        let path = tree.path(index).unwrap();
        let cs = ConstraintSystem::<Fr>::new_ref();
        let l = FpVar::new_witness(cs.clone(), || Ok(leaf)).unwrap();
        let pv = MerklePathVar::new_witness(cs.clone(), Some(&path), depth).unwrap();
        let r = pv.root_for(&l).unwrap();
        let rv = FpVar::new_input(cs.clone(), || Ok(root)).unwrap();
        r.enforce_equal(&rv).unwrap();
        assert_eq!(r.value().unwrap(), path.root_for(leaf));
        (cs.is_satisfied().unwrap(), cs.num_constraints())
    }

    #[test]
    fn cost_per_level_is_pinned() {
        let leaves: Vec<Fr> = (1..=4u64).map(Fr::from).collect();
        let root = PoseidonTree::new(&leaves, 2).unwrap().root();
        let (ok, n) = check(&leaves, 2, 3, Fr::from(4u64), root);
        assert!(ok);
        // 2 levels x 242, plus the final equality with the public root.
        assert_eq!(n, 2 * 242 + 1);
    }

    #[test]
    fn wrong_leaf_or_root_is_unsatisfied() {
        let leaves: Vec<Fr> = (1..=4u64).map(Fr::from).collect();
        let root = PoseidonTree::new(&leaves, 2).unwrap().root();
        assert!(!check(&leaves, 2, 1, Fr::from(9u64), root).0);
        assert!(!check(&leaves, 2, 1, Fr::from(2u64), root + Fr::from(1u64)).0);
        assert!(check(&leaves, 2, 1, Fr::from(2u64), root).0);
    }

    #[test]
    fn bad_shapes_are_refused() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        assert!(MerklePathVar::new_witness(cs.clone(), None, MAX_DEPTH + 1).is_err());
        let p = MerklePath {
            index: 4,
            siblings: vec![Fr::from(0u64); 2],
        };
        assert!(MerklePathVar::new_witness(cs, Some(&p), 2).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        #[test]
        fn gadget_agrees_with_native(n in 1usize..20, depth in 5usize..7, pick in any::<u64>(), seed in any::<u64>()) {
            use ark_ff::UniformRand;
            use ark_std::rand::SeedableRng;
            let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(seed);
            let leaves: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let index = pick % n as u64;
            let tree = PoseidonTree::new(&leaves, depth).unwrap();
            let (ok, _) = check(&leaves, depth, index, leaves[index as usize], tree.root());
            prop_assert!(ok);
        }
    }
}
