//! Membership: a leaf is in a Poseidon Merkle tree with a given root (an anchored batch, an
//! allow-list) without revealing which leaf; optionally with a nullifier so that a proof cannot
//! be reused in the same context.
//!
//! In both variants the member proves knowledge of a **secret** behind its leaf: the private
//! inputs are `secret` and the path, and the leaf is `Poseidon(secret)` (an identity commitment).
//! A tree's leaves are public (whoever checks a proof needs the root, whoever builds it the
//! leaves), so a circuit whose witness is the leaf itself would let anyone holding the leaves
//! file "prove" membership: it authenticated nobody (issue 11 item 7), and that variant is gone.
//!
//! - Without nullifier: public input `statement_hash(MEMBERSHIP | depth, [root, challenge])`
//!   (domain `0x43574d02`: the leaf-as-witness circuit of domain `0x43574d01` is retired, so a
//!   proof under one of its keys never verifies for the new statement).
//! - With nullifier: also the nullifier `Poseidon(secret, context)`; public input
//!   `statement_hash(MEMBERSHIP_NULLIFIER | depth, [root, context, nullifier, challenge])`. A
//!   verifier keeps the nullifiers it has seen per context: the same member proving twice in one
//!   context yields the same nullifier (even if the proof bytes were re-randomised).
//!
//! Empty slots hold zero; no secret hashes to zero (that would be a Poseidon preimage of 0).
//!
//! Constraints: 242 per level, 213 for the leaf, plus 240 for the nullifier variant's nullifier,
//! plus the statement hash (240 for 2 elements, 297 for 4) and two equalities.

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};

use super::{domain, statement_hash, statement_hash_gadget, SecretPath};
use crate::merkle::gadget::MerklePathVar;
use crate::merkle::MAX_DEPTH;
use crate::poseidon;
use crate::Fr;

/// A nullifier and the context it is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nullifier {
    /// The context (e.g. a hash of the verifier's name and the round).
    pub context: Fr,
    /// `Poseidon(secret, context)`.
    pub value: Fr,
}

/// What the verifier knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipPublic {
    /// The tree's root.
    pub root: Fr,
    /// The nullifier, for the variant with one.
    pub nullifier: Option<Nullifier>,
    /// The verifier's challenge.
    pub challenge: Fr,
}

impl MembershipPublic {
    fn elems(&self) -> Vec<Fr> {
        match self.nullifier {
            Some(n) => vec![self.root, n.context, n.value, self.challenge],
            None => vec![self.root, self.challenge],
        }
    }

    fn domain(&self, depth: usize) -> u64 {
        let d = if self.nullifier.is_some() {
            domain::MEMBERSHIP_NULLIFIER
        } else {
            domain::MEMBERSHIP
        };
        d | depth as u64
    }

    /// The Groth16 public inputs (one element) for a tree of `depth`.
    pub fn inputs(&self, depth: usize) -> Vec<Fr> {
        vec![statement_hash(self.domain(depth), &self.elems())]
    }
}

/// The holder's witness.
#[derive(Clone, Default, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct MembershipPrivate {
    /// The member's secret: its leaf is `Poseidon(secret)`.
    pub secret: Fr,
    /// The leaf's path.
    pub path: SecretPath,
}

impl core::fmt::Debug for MembershipPrivate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("MembershipPrivate(..)")
    }
}

/// The identity commitment a member with `secret` is listed under: `Poseidon(secret)`.
pub fn identity_leaf(secret: Fr) -> Fr {
    poseidon::hash(&[secret]).unwrap_or_default()
}

/// The nullifier of `secret` in `context`: `Poseidon(secret, context)`.
pub fn nullifier(secret: Fr, context: Fr) -> Fr {
    poseidon::hash2(secret, context)
}

/// The native mirror.
pub fn check(depth: usize, public: &MembershipPublic, private: &MembershipPrivate) -> bool {
    if let Some(n) = public.nullifier {
        if nullifier(private.secret, n.context) != n.value {
            return false;
        }
    }
    let leaf = identity_leaf(private.secret);
    depth <= MAX_DEPTH
        && private.path.siblings.len() == depth
        && (depth >= 64 || private.path.index >> depth == 0)
        && private.path.to_path().root_for(leaf) == public.root
}

/// The circuit for a tree of `depth` (1..=32).
#[derive(Clone)]
pub struct MembershipCircuit {
    /// Tree depth.
    pub depth: usize,
    /// Public part (its `nullifier` being `Some` selects the variant).
    pub public: MembershipPublic,
    /// Witness (`None` for setup).
    pub private: Option<MembershipPrivate>,
}

impl MembershipCircuit {
    /// A circuit for key generation.
    pub fn for_setup(depth: usize, with_nullifier: bool) -> Self {
        MembershipCircuit {
            depth,
            public: MembershipPublic {
                root: Fr::from(0u64),
                nullifier: with_nullifier.then_some(Nullifier {
                    context: Fr::from(0u64),
                    value: Fr::from(0u64),
                }),
                challenge: Fr::from(0u64),
            },
            private: None,
        }
    }
}

impl ConstraintSynthesizer<Fr> for MembershipCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        if self.depth == 0 || self.depth > MAX_DEPTH {
            return Err(SynthesisError::Unsatisfiable);
        }
        let p = &self.public;
        let h = statement_hash(p.domain(self.depth), &p.elems());
        let h_var = FpVar::new_input(cs.clone(), || Ok(h))?;
        let elems = p
            .elems()
            .into_iter()
            .map(|x| FpVar::new_witness(cs.clone(), || Ok(x)))
            .collect::<Result<Vec<_>, _>>()?;
        statement_hash_gadget(p.domain(self.depth), &elems)?.enforce_equal(&h_var)?;

        let priv_ = self.private.as_ref();
        let secret = FpVar::new_witness(cs.clone(), || {
            priv_
                .map(|x| x.secret)
                .ok_or(SynthesisError::AssignmentMissing)
        })?;
        let path = priv_.map(|x| x.path.to_path());
        let path_var = MerklePathVar::new_witness(cs.clone(), path.as_ref(), self.depth)?;
        match elems.as_slice() {
            [_, context, nullifier_var, _] => {
                poseidon::gadget::hash2(&secret, context)?.enforce_equal(nullifier_var)?;
            }
            [_, _] => {}
            _ => return Err(SynthesisError::Unsatisfiable),
        }
        // The leaf is the identity commitment of the secret, in both variants.
        let leaf = poseidon::gadget::hash(&[secret])?;
        let root = elems.first().ok_or(SynthesisError::Unsatisfiable)?;
        path_var.root(&leaf)?.enforce_equal(root)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::PoseidonTree;
    use ark_relations::r1cs::ConstraintSystem;

    fn sat(depth: usize, public: &MembershipPublic, private: &MembershipPrivate) -> bool {
        let circuit = MembershipCircuit {
            depth,
            public: public.clone(),
            private: Some(private.clone()),
        };
        // Every test's witness, good or bad, gets the same assignment in the prover's mode.
        crate::statements::test_support::assert_same_assignment(circuit.clone());
        let cs = ConstraintSystem::<Fr>::new_ref();
        circuit.generate_constraints(cs.clone()).unwrap();
        let s = cs.is_satisfied().unwrap();
        assert_eq!(s, check(depth, public, private));
        s
    }

    #[test]
    fn with_and_without_nullifier() {
        let secrets: Vec<Fr> = (1..=3u64).map(|i| Fr::from(i * 1_000_003)).collect();
        let leaves: Vec<Fr> = secrets.iter().map(|s| identity_leaf(*s)).collect();
        let tree = PoseidonTree::new(&leaves, 3).unwrap();
        let path = SecretPath::from(&tree.path(1).unwrap());
        let ctx = Fr::from(42u64);
        let public = MembershipPublic {
            root: tree.root(),
            nullifier: Some(Nullifier {
                context: ctx,
                value: nullifier(secrets[1], ctx),
            }),
            challenge: Fr::from(5u64),
        };
        let good = MembershipPrivate {
            secret: secrets[1],
            path: path.clone(),
        };
        assert!(sat(3, &public, &good));
        // Another member's nullifier, another context, a secret not in the tree: refused.
        let mut p2 = public.clone();
        p2.nullifier = Some(Nullifier {
            context: ctx,
            value: nullifier(secrets[0], ctx),
        });
        assert!(!sat(3, &p2, &good));
        let mut p3 = public.clone();
        p3.nullifier = Some(Nullifier {
            context: ctx + Fr::from(1u64),
            value: nullifier(secrets[1], ctx),
        });
        assert!(!sat(3, &p3, &good));
        let mut bad = good.clone();
        bad.secret += Fr::from(1u64);
        assert!(!sat(3, &public, &bad));
        // Without nullifier: still the secret behind the leaf.
        let plain = MembershipPublic {
            root: tree.root(),
            nullifier: None,
            challenge: Fr::from(5u64),
        };
        assert!(sat(3, &plain, &good));
        let mut wrong_root = plain.clone();
        wrong_root.root += Fr::from(1u64);
        assert!(!sat(3, &wrong_root, &good));
        // issue 11 item 7: the public leaf itself (all that the leaves file gives) is no
        // witness, in either variant.
        let leaf_only = MembershipPrivate {
            secret: leaves[1],
            path: path.clone(),
        };
        assert!(!sat(3, &plain, &leaf_only));
        assert!(!sat(3, &public, &leaf_only));
        // An empty slot (zero leaf) is not a member.
        let empty = MembershipPrivate {
            secret: Fr::from(0u64),
            path: SecretPath::from(&tree.path(7).unwrap()),
        };
        assert!(!sat(3, &plain, &empty));
    }
}
