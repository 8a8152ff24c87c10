//! Circuits and fixtures shared by `benches/groth16.rs` and `examples/groth16_figures.rs`
//! (included by path in both, so the two always measure the same thing).

use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use causeway::snark::Fr;
use causeway_circuits::field::fr_from_i64;
use causeway_circuits::merkle::PoseidonTree;
use causeway_circuits::statements::{field_leaf, SecretPath, RECORD_TREE_DEPTH};

/// `x, x², x⁴, …` over `n` constraints with the last value public: the same-size circuit on
/// which ours is compared with raw ark-groth16.
#[derive(Clone)]
pub struct SquareChain {
    pub n: usize,
    pub x: Option<Fr>,
}

impl ConstraintSynthesizer<Fr> for SquareChain {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let mut v = self.x;
        let mut var = cs.new_witness_variable(|| v.ok_or(SynthesisError::AssignmentMissing))?;
        for _ in 1..self.n {
            let next = v.map(|x| x * x);
            let nv = cs.new_witness_variable(|| next.ok_or(SynthesisError::AssignmentMissing))?;
            cs.enforce_constraint(lc!() + var, lc!() + var, lc!() + nv)?;
            v = next;
            var = nv;
        }
        let out = cs.new_input_variable(|| v.ok_or(SynthesisError::AssignmentMissing))?;
        cs.enforce_constraint(
            lc!() + var,
            lc!() + ark_relations::r1cs::Variable::One,
            lc!() + out,
        )?;
        Ok(())
    }
}

/// An attested record's field tree with `value` at leaf `index`: (root, name, type tag, salt,
/// path), deterministic in `seed`.
pub fn record(value: i64, index: usize, seed: u64) -> (Fr, Fr, Fr, Fr, SecretPath) {
    let name = Fr::from(0xabcd_u64);
    let tag = Fr::from(1u64);
    let salt = Fr::from(seed * 7919 + 1);
    let mut leaves: Vec<Fr> = (0..6u64).map(|i| Fr::from(seed * 100 + i + 1)).collect();
    leaves[index] = field_leaf(name, tag, fr_from_i64(value), salt);
    let tree = PoseidonTree::new(&leaves, RECORD_TREE_DEPTH).unwrap();
    (
        tree.root(),
        name,
        tag,
        salt,
        SecretPath::from(&tree.path(index as u64).unwrap()),
    )
}
