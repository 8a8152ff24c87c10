//! The Groth16 statements: each has a `…Public` struct (what the verifier knows), a `…Private`
//! struct (the holder's witness, zeroized on drop) and a circuit implementing
//! [`ConstraintSynthesizer`](ark_relations::r1cs::ConstraintSynthesizer).
//!
//! Every statement has **one public input**: a Poseidon hash of everything the verifier knows
//! (roots, field, bounds, nullifier, the verifier's challenge), under a domain tag naming the
//! statement and its shape ([`statement_hash`]). The circuit recomputes that hash from private
//! copies and constrains it equal to the public input, so each of those values is bound into the
//! proof while the on-chain verifier pays for a single input (≈ 6k gas each with EIP-1108).
//!
//! | statement | module | shape |
//! |---|---|---|
//! | a field under an attestation's root satisfies a range, `≥`, `≤`, `=` or `≠` | [`attribute`] | record tree depth 8 |
//! | a leaf is in a Poseidon Merkle tree, optional nullifier | [`membership`] | depth 1..=32 |
//! | `Σ` one field over `k` attested records `≥ t` | [`sum`] | k = 1..=64 (4, 16, 64 benchmarked) |

pub mod attribute;
pub mod membership;
pub mod sum;

use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::r1cs::SynthesisError;

use crate::poseidon;
use crate::Fr;

/// Depth of an attested record's Poseidon tree (`causeway::commit::TREE_DEPTH`: 256 fields).
pub const RECORD_TREE_DEPTH: usize = 8;

/// Elements absorbed per Poseidon call by [`statement_hash`] (the chaining value takes one of
/// the 16 inputs).
const RATE: usize = 15;

/// Domain tags of the statements' public-input hashes (high 32 bits: statement; low: shape).
pub mod domain {
    /// Attribute predicate (`| depth`).
    pub const ATTRIBUTE: u64 = 0x4357_4101 << 32;
    /// Membership without nullifier (`| depth`), knowledge of the secret behind the leaf.
    /// Version 2: `0x4357_4d01` was the retired circuit whose witness was the public leaf itself
    /// (issue 11 item 7); it is never reused.
    pub const MEMBERSHIP: u64 = 0x4357_4d02 << 32;
    /// Membership with nullifier (`| depth`).
    pub const MEMBERSHIP_NULLIFIER: u64 = 0x4357_4e01 << 32;
    /// Sum threshold (`| k`).
    pub const SUM: u64 = 0x4357_5301 << 32;
}

/// `h_0 = domain`, then `h_{i+1} = Poseidon(h_i, chunk_i)` over chunks of up to 15 elements
/// (`Poseidon(domain)` if there are none). The statement's single public input.
pub fn statement_hash(domain: u64, elems: &[Fr]) -> Fr {
    let mut h = Fr::from(domain);
    if elems.is_empty() {
        return poseidon::hash(&[h]).unwrap_or_default();
    }
    for chunk in elems.chunks(RATE) {
        let mut inputs = Vec::with_capacity(chunk.len() + 1);
        inputs.push(h);
        inputs.extend_from_slice(chunk);
        h = poseidon::hash(&inputs).unwrap_or_default();
    }
    h
}

/// The gadget of [`statement_hash`].
pub fn statement_hash_gadget(
    domain: u64,
    elems: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    let mut h = FpVar::Constant(Fr::from(domain));
    if elems.is_empty() {
        return poseidon::gadget::hash(&[h]);
    }
    for chunk in elems.chunks(RATE) {
        let mut inputs = Vec::with_capacity(chunk.len() + 1);
        inputs.push(h);
        inputs.extend_from_slice(chunk);
        h = poseidon::gadget::hash(&inputs)?;
    }
    Ok(h)
}

/// A predicate on a signed 64-bit value (decimals and dates are committed as signed 64-bit
/// integers in units of their scale; bounds are inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Predicate {
    /// `lo ≤ v ≤ hi`.
    Range {
        /// Lower bound (inclusive).
        lo: i64,
        /// Upper bound (inclusive).
        hi: i64,
    },
    /// `v ≥ t`.
    AtLeast(i64),
    /// `v ≤ t`.
    AtMost(i64),
    /// `v = c`.
    Equal(i64),
    /// `v ≠ c`.
    NotEqual(i64),
}

impl Predicate {
    /// The circuit's form: `(lo, hi, not_equal, c)` with the check
    /// `lo ≤ v ≤ hi ∧ (not_equal ⇒ v ≠ c)`. `None` for an empty range.
    pub fn normalized(&self) -> Option<(i64, i64, bool, i64)> {
        Some(match *self {
            Predicate::Range { lo, hi } if lo <= hi => (lo, hi, false, 0),
            Predicate::Range { .. } => return None,
            Predicate::AtLeast(t) => (t, i64::MAX, false, 0),
            Predicate::AtMost(t) => (i64::MIN, t, false, 0),
            Predicate::Equal(c) => (c, c, false, 0),
            Predicate::NotEqual(c) => (i64::MIN, i64::MAX, true, c),
        })
    }

    /// The native check (the mirror of the circuit).
    pub fn holds(&self, v: i64) -> bool {
        match self.normalized() {
            Some((lo, hi, ne, c)) => crate::cmp::in_range(v, lo, hi) && !(ne && v == c),
            None => false,
        }
    }
}

/// The Poseidon leaf of an attested field: `Poseidon(name, type_tag, value, salt)` (4 inputs;
/// see `docs/spec/commitments.md`).
pub fn field_leaf(name: Fr, type_tag: Fr, value: Fr, salt: Fr) -> Fr {
    poseidon::hash(&[name, type_tag, value, salt]).unwrap_or_default()
}

/// The gadget of [`field_leaf`] (297 constraints).
pub fn field_leaf_gadget(
    name: &FpVar<Fr>,
    type_tag: &FpVar<Fr>,
    value: &FpVar<Fr>,
    salt: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    poseidon::gadget::hash(&[name.clone(), type_tag.clone(), value.clone(), salt.clone()])
}

/// A Merkle path held as a secret (zeroized on drop).
#[derive(Clone, Default, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct SecretPath {
    /// Leaf index.
    pub index: u64,
    /// Siblings from the leaf level up.
    pub siblings: Vec<Fr>,
}

impl SecretPath {
    /// As the native [`crate::merkle::MerklePath`].
    pub fn to_path(&self) -> crate::merkle::MerklePath {
        crate::merkle::MerklePath {
            index: self.index,
            siblings: self.siblings.clone(),
        }
    }
}

impl From<&crate::merkle::MerklePath> for SecretPath {
    fn from(p: &crate::merkle::MerklePath) -> Self {
        SecretPath {
            index: p.index,
            siblings: p.siblings.clone(),
        }
    }
}

impl core::fmt::Debug for SecretPath {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SecretPath(..)")
    }
}

#[cfg(test)]
pub(crate) mod test_support;
