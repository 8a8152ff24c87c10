//! Test fixtures: a record tree of depth 8 with a numeric field at some index.

use super::{field_leaf, SecretPath, RECORD_TREE_DEPTH};
use crate::field::fr_from_i64;
use crate::merkle::PoseidonTree;
use crate::Fr;

/// `(root, name, type_tag, salt, path)` of a record whose field `index` holds `value`.
pub(crate) fn record(value: i64, index: usize) -> (Fr, Fr, Fr, Fr, SecretPath) {
    let name = Fr::from(0x6e61_6d65u64 + index as u64);
    let tag = Fr::from(1u64);
    let salt = Fr::from(0x5a17u64 * (index as u64 + 1) + value.unsigned_abs());
    let mut leaves: Vec<Fr> = (0..5u64).map(|i| Fr::from(1000 + i)).collect();
    leaves[index] = field_leaf(name, tag, fr_from_i64(value), salt);
    let tree = PoseidonTree::new(&leaves, RECORD_TREE_DEPTH).unwrap();
    let path = tree.path(index as u64).unwrap();
    (tree.root(), name, tag, salt, SecretPath::from(&path))
}

/// Synthesises `circuit` three ways and asserts they agree: the gadget form throughout with
/// matrices (the reference: `poseidon::gadget::FORCE_SYMBOLIC`), the matrix path `hash` takes
/// (flat linear combinations: the same matrices and assignment), and assigning only (the
/// prover's mode once a key holds its matrices: the same assignment and counts). Returns the
/// number of constraints.
pub(crate) fn assert_same_assignment<C>(circuit: C) -> usize
where
    C: ark_relations::r1cs::ConstraintSynthesizer<Fr> + Clone,
{
    use crate::poseidon::gadget::FORCE_SYMBOLIC;
    use ark_relations::r1cs::{ConstraintSystem, OptimizationGoal, SynthesisMode};
    let run = |construct_matrices: bool, symbolic: bool| {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Prove { construct_matrices });
        FORCE_SYMBOLIC.with(|f| f.set(symbolic));
        let done = circuit.clone().generate_constraints(cs.clone());
        FORCE_SYMBOLIC.with(|f| f.set(false));
        done.unwrap();
        cs.finalize();
        let matrices = cs.to_matrices();
        let b = cs.borrow().unwrap();
        (
            b.instance_assignment.clone(),
            b.witness_assignment.clone(),
            b.num_constraints,
            matrices,
        )
    };
    let reference = run(true, true);
    let flat = run(true, false);
    let values = run(false, false);
    assert!(reference.3.is_some() && reference.3 == flat.3, "matrices");
    for (other, what) in [(&flat, "flat"), (&values, "values only")] {
        assert_eq!(reference.0, other.0, "{what}: instance assignment");
        assert_eq!(reference.1.len(), other.1.len(), "{what}: witness count");
        assert!(reference.1 == other.1, "{what}: witness assignment");
        assert_eq!(reference.2, other.2, "{what}: constraint count");
    }
    reference.2
}
