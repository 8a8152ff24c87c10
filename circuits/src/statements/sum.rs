//! Sum threshold: the sum of one field over `k` attested records is at least `t` (the
//! trade-finance check: a bank verifies a company's verified volume without its orders).
//!
//! Public input: `statement_hash(SUM | k, [root_1..root_k, name, type_tag, t, challenge])`.
//! Private, per record: the value, the field's salt and its Merkle path (depth 8).
//!
//! Per record: leaf (297) + path (8 × 242) + equality + signed 64-bit range check of the value
//! (65) = 2,299 constraints; then `Σ v − t < 2^71` (72), the statement hash and its equality.
//! The verifier must check that the `k` roots are distinct attestations
//! ([`SumPublic::distinct_roots`]): the circuit cannot know that two equal roots are one record.

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};

use super::{
    domain, field_leaf, field_leaf_gadget, statement_hash, statement_hash_gadget, SecretPath,
    RECORD_TREE_DEPTH,
};
use crate::cmp::constraints::{enforce_bits, enforce_i64};
use crate::field::fr_from_i64;
use crate::merkle::gadget::MerklePathVar;
use crate::Fr;

/// The most records one sum proof covers.
pub const MAX_RECORDS: usize = 64;
/// Bits of `Σ v − t` (k ≤ 64 signed 64-bit values minus a signed 64-bit bound is below 2^70 in
/// magnitude; negatives wrap to ≈ 2^253 and have no 71-bit decomposition).
const SUM_BITS: usize = 71;

/// What the verifier knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumPublic {
    /// The records' roots (one per attestation), in the prover's order.
    pub roots: Vec<Fr>,
    /// The summed field's name as a field element.
    pub name: Fr,
    /// The field's type tag.
    pub type_tag: Fr,
    /// The threshold `t`.
    pub threshold: i64,
    /// The verifier's challenge.
    pub challenge: Fr,
}

impl SumPublic {
    fn elems(&self) -> Vec<Fr> {
        let mut e = self.roots.clone();
        e.extend([
            self.name,
            self.type_tag,
            fr_from_i64(self.threshold),
            self.challenge,
        ]);
        e
    }

    /// The Groth16 public inputs (one element).
    pub fn inputs(&self) -> Vec<Fr> {
        vec![statement_hash(
            domain::SUM | self.roots.len() as u64,
            &self.elems(),
        )]
    }

    /// Whether the roots are pairwise distinct (the verifier's side of "k different records").
    pub fn distinct_roots(&self) -> bool {
        let mut r: Vec<[u8; 32]> = self
            .roots
            .iter()
            .map(crate::field::fr_to_be_bytes)
            .collect();
        r.sort_unstable();
        r.windows(2).all(|w| w.first() != w.get(1))
    }
}

/// One record's witness.
#[derive(Clone, Default, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct SumRecord {
    /// The field's value.
    pub value: i64,
    /// The field's salt.
    pub salt: Fr,
    /// The field's path in its record tree.
    pub path: SecretPath,
}

/// The holder's witness: one entry per root, in the same order.
#[derive(Clone, Default, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct SumPrivate {
    /// The records.
    pub records: Vec<SumRecord>,
}

impl core::fmt::Debug for SumPrivate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SumPrivate(..)")
    }
}

/// The native mirror (including distinct roots).
pub fn check(public: &SumPublic, private: &SumPrivate) -> bool {
    public.roots.len() == private.records.len()
        && !public.roots.is_empty()
        && public.roots.len() <= MAX_RECORDS
        && public.distinct_roots()
        && public.roots.iter().zip(&private.records).all(|(root, r)| {
            let leaf = field_leaf(public.name, public.type_tag, fr_from_i64(r.value), r.salt);
            r.path.siblings.len() == RECORD_TREE_DEPTH
                && r.path.index < (1 << RECORD_TREE_DEPTH)
                && r.path.to_path().root_for(leaf) == *root
        })
        && crate::cmp::sum_at_least(
            &private.records.iter().map(|r| r.value).collect::<Vec<_>>(),
            public.threshold,
        )
}

/// The circuit over `public.roots.len()` records (1..=64).
#[derive(Clone)]
pub struct SumCircuit {
    /// Public part.
    pub public: SumPublic,
    /// Witness (`None` for setup).
    pub private: Option<SumPrivate>,
}

impl SumCircuit {
    /// A circuit for key generation over `k` records.
    pub fn for_setup(k: usize) -> Self {
        SumCircuit {
            public: SumPublic {
                roots: (0..k as u64).map(Fr::from).collect(),
                name: Fr::from(0u64),
                type_tag: Fr::from(0u64),
                threshold: 0,
                challenge: Fr::from(0u64),
            },
            private: None,
        }
    }
}

impl ConstraintSynthesizer<Fr> for SumCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let p = &self.public;
        let k = p.roots.len();
        if k == 0 || k > MAX_RECORDS {
            return Err(SynthesisError::Unsatisfiable);
        }
        if let Some(x) = &self.private {
            if x.records.len() != k {
                return Err(SynthesisError::Unsatisfiable);
            }
        }
        let elems = p.elems();
        let dom = domain::SUM | k as u64;
        let h = statement_hash(dom, &elems);
        let h_var = FpVar::new_input(cs.clone(), || Ok(h))?;
        let vars = elems
            .iter()
            .map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)))
            .collect::<Result<Vec<_>, _>>()?;
        statement_hash_gadget(dom, &vars)?.enforce_equal(&h_var)?;
        let (roots, rest) = vars.split_at(k);
        let [name, type_tag, threshold, _challenge] = rest else {
            return Err(SynthesisError::Unsatisfiable);
        };

        let mut sum = FpVar::<Fr>::zero();
        for (i, root) in roots.iter().enumerate() {
            let rec = self.private.as_ref().and_then(|x| x.records.get(i));
            let value = FpVar::new_witness(cs.clone(), || {
                rec.map(|r| fr_from_i64(r.value))
                    .ok_or(SynthesisError::AssignmentMissing)
            })?;
            let salt = FpVar::new_witness(cs.clone(), || {
                rec.map(|r| r.salt).ok_or(SynthesisError::AssignmentMissing)
            })?;
            let path = rec.map(|r| r.path.to_path());
            let path_var =
                MerklePathVar::new_witness(cs.clone(), path.as_ref(), RECORD_TREE_DEPTH)?;
            let leaf = field_leaf_gadget(name, type_tag, &value, &salt)?;
            path_var.root(&leaf)?.enforce_equal(root)?;
            enforce_i64(&value)?;
            sum += &value;
        }
        enforce_bits(&(sum - threshold), SUM_BITS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statements::test_support::record;
    use ark_relations::r1cs::ConstraintSystem;

    fn setup(values: &[i64]) -> (SumPublic, SumPrivate) {
        let mut roots = Vec::new();
        let mut records = Vec::new();
        let mut name_tag = None;
        for &v in values {
            let (root, name, tag, salt, path) = record(v, 2);
            name_tag = Some((name, tag));
            roots.push(root);
            records.push(SumRecord {
                value: v,
                salt,
                path,
            });
        }
        let (name, type_tag) = name_tag.unwrap();
        (
            SumPublic {
                roots,
                name,
                type_tag,
                threshold: 0,
                challenge: Fr::from(3u64),
            },
            SumPrivate { records },
        )
    }

    fn sat(public: &SumPublic, private: &SumPrivate) -> bool {
        let circuit = SumCircuit {
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
    fn thresholds() {
        let (mut public, private) = setup(&[400_000, 250_000, -50_000, 500_000]);
        for (t, ok) in [
            (1_100_000, true),
            (1_100_001, false),
            (i64::MIN, true),
            (i64::MAX, false),
            (0, true),
        ] {
            public.threshold = t;
            assert_eq!(sat(&public, &private), ok, "{t}");
            assert_eq!(check(&public, &private), ok, "{t}");
        }
        // Extremes: four i64::MAX values clear i64::MAX without wrapping.
        let (mut public, private) = setup(&[i64::MAX, i64::MAX, i64::MAX, i64::MAX]);
        public.threshold = i64::MAX;
        assert!(sat(&public, &private));
        let (mut public, private) = setup(&[i64::MIN, i64::MIN, i64::MIN, i64::MIN]);
        public.threshold = i64::MIN;
        assert!(!sat(&public, &private));
        assert!(!check(&public, &private));
    }

    #[test]
    fn violating_witnesses_fail() {
        let (mut public, private) = setup(&[10, 20, 30, 40]);
        public.threshold = 100;
        assert!(sat(&public, &private));
        let mut bad = private.clone();
        bad.records[2].value = 31; // claim more than attested
        assert!(!sat(&public, &bad));
        let mut other = public.clone();
        other.roots.swap(0, 1); // records in another order than their roots
        assert!(!sat(&other, &private));
        let mut dup = public.clone();
        dup.roots[1] = dup.roots[0];
        assert!(!dup.distinct_roots());
    }
}
