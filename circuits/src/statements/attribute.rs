//! Attribute predicate: a field committed under an attestation's Poseidon root satisfies a
//! range, `≥`, `≤`, `=` or `≠`, bound to the verifier's challenge.
//!
//! Public input: `statement_hash(ATTRIBUTE | depth, [root, name, type_tag, lo, hi, ne, c,
//! challenge])` where `(lo, hi, ne, c)` is [`Predicate::normalized`]. Private: the value, the
//! field's salt and its Merkle path in the record tree.
//!
//! Constraints: the leaf `Poseidon(name, type_tag, value, salt)` (297) up the depth-8 record tree
//! (8 × 242) to `root`; `lo ≤ value ≤ hi` (130); `ne ⇒ value ≠ c` (1 + 1 boolean); the statement
//! hash over 8 elements (402) and two equalities. Total pinned in `tests/tests/groth16_circuits.rs`.

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};

use super::{
    domain, field_leaf, field_leaf_gadget, statement_hash, statement_hash_gadget, Predicate,
    SecretPath, RECORD_TREE_DEPTH,
};
use crate::cmp::constraints::{enforce_in_range, enforce_not_equal_if};
use crate::field::fr_from_i64;
use crate::merkle::gadget::MerklePathVar;
use crate::Fr;

/// What the verifier knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributePublic {
    /// The attestation's record root (its `FieldCommitment`).
    pub root: Fr,
    /// The field name as a field element (`H(NAME_LABEL, name)`, see `commitments.md`).
    pub name: Fr,
    /// The field's type tag (`kind | scale << 8`).
    pub type_tag: Fr,
    /// The predicate on the field's signed 64-bit value.
    pub predicate: Predicate,
    /// The verifier's challenge.
    pub challenge: Fr,
}

impl AttributePublic {
    fn elems(&self) -> Result<Vec<Fr>, SynthesisError> {
        let (lo, hi, ne, c) = self
            .predicate
            .normalized()
            .ok_or(SynthesisError::Unsatisfiable)?;
        Ok(vec![
            self.root,
            self.name,
            self.type_tag,
            fr_from_i64(lo),
            fr_from_i64(hi),
            Fr::from(u64::from(ne)),
            fr_from_i64(c),
            self.challenge,
        ])
    }

    /// The Groth16 public inputs (one element); `None` for an empty range.
    pub fn inputs(&self) -> Option<Vec<Fr>> {
        let e = self.elems().ok()?;
        Some(vec![statement_hash(
            domain::ATTRIBUTE | RECORD_TREE_DEPTH as u64,
            &e,
        )])
    }
}

/// The holder's witness.
#[derive(Clone, Default, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct AttributePrivate {
    /// The field's signed 64-bit value.
    pub value: i64,
    /// The field's salt.
    pub salt: Fr,
    /// The field's path in the record tree (depth 8).
    pub path: SecretPath,
}

impl core::fmt::Debug for AttributePrivate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AttributePrivate(..)")
    }
}

/// The native mirror: the witness opens a leaf under `root` and the value satisfies the predicate.
pub fn check(public: &AttributePublic, private: &AttributePrivate) -> bool {
    let leaf = field_leaf(
        public.name,
        public.type_tag,
        fr_from_i64(private.value),
        private.salt,
    );
    private.path.siblings.len() == RECORD_TREE_DEPTH
        && private.path.index < (1 << RECORD_TREE_DEPTH)
        && private.path.to_path().root_for(leaf) == public.root
        && public.predicate.holds(private.value)
}

/// The circuit.
#[derive(Clone)]
pub struct AttributeCircuit {
    /// Public part.
    pub public: AttributePublic,
    /// Witness (`None` for setup).
    pub private: Option<AttributePrivate>,
}

impl AttributeCircuit {
    /// A circuit for key generation (no witness; any public values give the same key).
    pub fn for_setup() -> Self {
        AttributeCircuit {
            public: AttributePublic {
                root: Fr::from(0u64),
                name: Fr::from(0u64),
                type_tag: Fr::from(0u64),
                predicate: Predicate::AtLeast(0),
                challenge: Fr::from(0u64),
            },
            private: None,
        }
    }
}

impl ConstraintSynthesizer<Fr> for AttributeCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let p = &self.public;
        let elems = p.elems()?;
        let h = statement_hash(domain::ATTRIBUTE | RECORD_TREE_DEPTH as u64, &elems);
        let h_var = FpVar::new_input(cs.clone(), || Ok(h))?;
        let w = |x: Fr| FpVar::new_witness(cs.clone(), || Ok(x));
        let [root, name, type_tag, lo, hi, ne, c, challenge] = elems.as_slice() else {
            return Err(SynthesisError::Unsatisfiable);
        };
        let (root, name, type_tag, lo, hi, c, challenge) = (
            w(*root)?,
            w(*name)?,
            w(*type_tag)?,
            w(*lo)?,
            w(*hi)?,
            w(*c)?,
            w(*challenge)?,
        );
        let ne = Boolean::new_witness(cs.clone(), || Ok(*ne == Fr::from(1u64)))?;
        let computed = statement_hash_gadget(
            domain::ATTRIBUTE | RECORD_TREE_DEPTH as u64,
            &[
                root.clone(),
                name.clone(),
                type_tag.clone(),
                lo.clone(),
                hi.clone(),
                FpVar::from(ne.clone()),
                c.clone(),
                challenge,
            ],
        )?;
        computed.enforce_equal(&h_var)?;

        let priv_ = self.private.as_ref();
        let missing = || SynthesisError::AssignmentMissing;
        let value = FpVar::new_witness(cs.clone(), || {
            priv_.map(|x| fr_from_i64(x.value)).ok_or_else(missing)
        })?;
        let salt = FpVar::new_witness(cs.clone(), || priv_.map(|x| x.salt).ok_or_else(missing))?;
        let path = priv_.map(|x| x.path.to_path());
        let path_var = MerklePathVar::new_witness(cs.clone(), path.as_ref(), RECORD_TREE_DEPTH)?;
        let leaf = field_leaf_gadget(&name, &type_tag, &value, &salt)?;
        path_var.root(&leaf)?.enforce_equal(&root)?;
        enforce_in_range(&value, &lo, &hi)?;
        enforce_not_equal_if(&value, &c, &ne)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statements::test_support::record;
    use ark_relations::r1cs::ConstraintSystem;

    fn sat(public: &AttributePublic, private: &AttributePrivate) -> bool {
        let circuit = AttributeCircuit {
            public: public.clone(),
            private: Some(private.clone()),
        };
        // Every test's witness, good or bad, gets the same assignment in the prover's mode.
        crate::statements::test_support::assert_same_assignment(circuit.clone());
        let cs = ConstraintSystem::<Fr>::new_ref();
        circuit.generate_constraints(cs.clone()).unwrap();
        cs.is_satisfied().unwrap()
    }

    #[test]
    fn predicates_agree_with_native() {
        let (root, name, tag, salt, path) = record(742, 3);
        for pred in [
            Predicate::AtLeast(700),
            Predicate::AtLeast(742),
            Predicate::AtLeast(743),
            Predicate::AtMost(742),
            Predicate::AtMost(741),
            Predicate::Range { lo: 700, hi: 800 },
            Predicate::Range { lo: 743, hi: 800 },
            Predicate::Range {
                lo: i64::MIN,
                hi: i64::MAX,
            },
            Predicate::Equal(742),
            Predicate::Equal(-742),
            Predicate::NotEqual(742),
            Predicate::NotEqual(0),
        ] {
            let public = AttributePublic {
                root,
                name,
                type_tag: tag,
                predicate: pred,
                challenge: Fr::from(99u64),
            };
            let private = AttributePrivate {
                value: 742,
                salt,
                path: path.clone(),
            };
            assert_eq!(sat(&public, &private), check(&public, &private), "{pred:?}");
            assert_eq!(check(&public, &private), pred.holds(742));
        }
    }

    #[test]
    fn violating_witnesses_fail() {
        let (root, name, tag, salt, path) = record(-5, 0);
        let public = AttributePublic {
            root,
            name,
            type_tag: tag,
            predicate: Predicate::Range { lo: -10, hi: 0 },
            challenge: Fr::from(7u64),
        };
        let good = AttributePrivate {
            value: -5,
            salt,
            path: path.clone(),
        };
        assert!(sat(&public, &good));
        let mut bad = good.clone();
        bad.value = -4; // another value: leaf differs
        assert!(!sat(&public, &bad));
        let mut bad = good.clone();
        bad.salt += Fr::from(1u64);
        assert!(!sat(&public, &bad));
        let mut bad = good.clone();
        bad.path.index ^= 1;
        assert!(!sat(&public, &bad));
        let mut bad = good.clone();
        bad.path.siblings[7] += Fr::from(1u64);
        assert!(!sat(&public, &bad));
        let mut other = public.clone();
        other.type_tag += Fr::from(1u64);
        assert!(!sat(&other, &good));
        let mut other = public.clone();
        other.predicate = Predicate::AtLeast(-4);
        assert!(!sat(&other, &good));
    }
}
