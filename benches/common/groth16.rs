//! Circuits, statements and fixtures shared by the Groth16 benches and examples
//! (`benches/groth16.rs`, `benches/groth16_keys.rs`, `examples/groth16_figures.rs`,
//! `examples/groth16_rss.rs`; included by path in each, so they always measure the same
//! statements). Each user takes what it needs, hence `dead_code` is allowed where included.

use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use causeway::snark::Fr;
use causeway_circuits::field::fr_from_i64;
use causeway_circuits::merkle::PoseidonTree;
use causeway_circuits::statements::attribute::{
    AttributeCircuit, AttributePrivate, AttributePublic,
};
use causeway_circuits::statements::membership::{
    identity_leaf, nullifier, MembershipCircuit, MembershipPrivate, MembershipPublic, Nullifier,
};
use causeway_circuits::statements::sum::{SumCircuit, SumPrivate, SumPublic, SumRecord};
use causeway_circuits::statements::{field_leaf, Predicate, SecretPath, RECORD_TREE_DEPTH};

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

/// The attribute statement: `predicate` over the value 742 at leaf 3 of an attested record
/// (challenge 9): the circuit with its witness, and its public inputs.
pub fn attribute(predicate: Predicate) -> (AttributeCircuit, Vec<Fr>) {
    let (root, name, type_tag, salt, path) = record(742, 3, 1);
    let public = AttributePublic {
        root,
        name,
        type_tag,
        predicate,
        challenge: Fr::from(9u64),
    };
    let inputs = public.inputs().unwrap();
    let circuit = AttributeCircuit {
        public,
        private: Some(AttributePrivate {
            value: 742,
            salt,
            path,
        }),
    };
    (circuit, inputs)
}

/// Membership of the sixth of 64 identities in a Poseidon tree of `depth`, with a nullifier
/// (context 1, challenge 2): the circuit with its witness, and its public inputs.
pub fn membership(depth: usize) -> (MembershipCircuit, Vec<Fr>) {
    let secrets: Vec<Fr> = (1..=64u64).map(Fr::from).collect();
    let leaves: Vec<Fr> = secrets.iter().map(|s| identity_leaf(*s)).collect();
    let tree = PoseidonTree::new(&leaves, depth).unwrap();
    let ctx = Fr::from(1u64);
    let public = MembershipPublic {
        root: tree.root(),
        nullifier: Some(Nullifier {
            context: ctx,
            value: nullifier(secrets[5], ctx),
        }),
        challenge: Fr::from(2u64),
    };
    let inputs = public.inputs(depth);
    let circuit = MembershipCircuit {
        depth,
        public,
        private: Some(MembershipPrivate {
            secret: secrets[5],
            path: SecretPath::from(&tree.path(5).unwrap()),
        }),
    };
    (circuit, inputs)
}

/// The sum-threshold statement over `k` attested records of 100,000 each (threshold
/// `100,000 · k`, challenge 3): the circuit with its witness, and its public inputs.
pub fn sum(k: usize) -> (SumCircuit, Vec<Fr>) {
    let mut roots = Vec::new();
    let mut records = Vec::new();
    let mut nt = (Fr::from(0u64), Fr::from(0u64));
    for i in 0..k {
        let (root, name, tag, salt, path) = record(100_000, i % 5, i as u64 + 10);
        nt = (name, tag);
        roots.push(root);
        records.push(SumRecord {
            value: 100_000,
            salt,
            path,
        });
    }
    let public = SumPublic {
        roots,
        name: nt.0,
        type_tag: nt.1,
        threshold: 100_000 * k as i64,
        challenge: Fr::from(3u64),
    };
    let inputs = public.inputs();
    let circuit = SumCircuit {
        public,
        private: Some(SumPrivate { records }),
    };
    (circuit, inputs)
}
