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

/// Synthesises `circuit` twice, recording the matrices (every gadget symbolic) and assigning
/// only (the prover's mode once a key holds its matrices: Poseidon on values), and asserts the
/// same assignment and counts. Returns the number of constraints.
pub(crate) fn assert_same_assignment<C>(circuit: C) -> usize
where
    C: ark_relations::r1cs::ConstraintSynthesizer<Fr> + Clone,
{
    use ark_relations::r1cs::{ConstraintSystem, OptimizationGoal, SynthesisMode};
    let run = |construct_matrices: bool| {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Prove { construct_matrices });
        circuit.clone().generate_constraints(cs.clone()).unwrap();
        cs.finalize();
        let b = cs.borrow().unwrap();
        (
            b.instance_assignment.clone(),
            b.witness_assignment.clone(),
            b.num_constraints,
        )
    };
    let symbolic = run(true);
    let values = run(false);
    assert_eq!(symbolic.0, values.0, "instance assignment");
    assert_eq!(symbolic.1.len(), values.1.len(), "witness count");
    assert!(symbolic.1 == values.1, "witness assignment");
    assert_eq!(symbolic.2, values.2, "constraint count");
    symbolic.2
}
