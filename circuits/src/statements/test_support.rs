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
    // A one-shot prover's synthesis: the Poseidon rows left empty, their values recorded.
    let recorded = {
        use crate::poseidon::gadget::ConstraintValues;
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Prove {
            construct_matrices: true,
        });
        assert!(ConstraintValues::install(&cs));
        circuit.clone().generate_constraints(cs.clone()).unwrap();
        let rows = ConstraintValues::take(&cs).unwrap().rows;
        cs.finalize();
        let m = cs.to_matrices().unwrap();
        let b = cs.borrow().unwrap();
        let z: Vec<Fr> = [b.instance_assignment.clone(), b.witness_assignment.clone()].concat();
        (z, m, rows)
    };
    let full = reference.3.as_ref().unwrap();
    let (z, skeleton, rows) = &recorded;
    assert!(z[..reference.0.len()] == reference.0[..] && z[reference.0.len()..] == reference.1[..]);
    // The system holds the other rows, in order; the recorded ones are counted among all.
    assert_eq!(skeleton.num_constraints + rows.len(), full.num_constraints);
    let eval = |row: &[(Fr, usize)]| -> Fr { row.iter().map(|(c, i)| *c * z[*i]).sum() };
    let mut next = rows.iter().peekable();
    let mut held = 0;
    for r in 0..full.num_constraints {
        let (a, b, c) = (&full.a[r], &full.b[r], &full.c[r]);
        if let Some(&&(row, va, vb, vc)) = next.peek().filter(|x| x.0 == r) {
            next.next();
            assert_eq!(row, r);
            assert!(
                eval(a) == va && eval(b) == vb && eval(c) == vc,
                "recorded row {r}"
            );
        } else {
            assert!(
                skeleton.a[held] == *a && skeleton.b[held] == *b && skeleton.c[held] == *c,
                "row {r}"
            );
            held += 1;
        }
    }
    assert_eq!(held, skeleton.num_constraints, "rows the system holds");
    assert!(
        next.next().is_none(),
        "a recorded row past the last constraint"
    );
    assert!(
        rows.len() * 10 >= full.num_constraints * 8,
        "Poseidon rows recorded: {}",
        rows.len()
    );
    assert!(reference.3.is_some() && reference.3 == flat.3, "matrices");
    for (other, what) in [(&flat, "flat"), (&values, "values only")] {
        assert_eq!(reference.0, other.0, "{what}: instance assignment");
        assert_eq!(reference.1.len(), other.1.len(), "{what}: witness count");
        assert!(reference.1 == other.1, "{what}: witness assignment");
        assert_eq!(reference.2, other.2, "{what}: constraint count");
    }
    reference.2
}
