//! Anonymous membership in a Poseidon Merkle tree, with Groth16 (decision 0047): the member
//! list, the member's secret, finding one's own leaf, proving, verifying, and the proof's JSON.
//!
//! - [`Leaves`]: the public member list, one leaf `Poseidon(secret)` per member. Text form: one
//!   leaf per line as 64 hex digits (a canonical BN254 field element, below `r`); blank lines
//!   and surrounding white space are ignored; at most [`MAX_LEAVES`] leaves and
//!   [`MAX_LEAVES_TEXT_LEN`] bytes.
//! - [`MemberSecret`]: the member's identity secret (zeroized on drop, redacted in `Debug`);
//!   its [`MemberSecret::leaf`] is what the list holds.
//! - [`MemberTree`]: the leaves as a tree of a given depth; [`MemberTree::witness`] finds the
//!   member's own index from its secret ([`ProveError::NotAMember`] if it is not listed).
//! - [`prove_membership`] / [`verify_membership`], and [`ProvenMembership`]: what a member hands
//!   a verifier, with its JSON form (`docs/spec/membership.md`) and its export for snarkjs and
//!   the Solidity verifier ([`ProvenMembership::export`]).
//!
//! ```
//! use causeway::proof::{Backend, Challenge};
//! use causeway::snark::membership::{Leaves, MemberSecret, ProvenMembership, prove_membership, verify_membership};
//! use causeway::snark::{Circuit, KeyRing};
//!
//! let me = MemberSecret::random()?;
//! let mut leaves: Vec<_> = (0..3).map(|_| MemberSecret::random().map(|s| s.leaf())).collect::<Result<_, _>>()?;
//! leaves.push(me.leaf());
//! let leaves = Leaves::parse(&Leaves::new(leaves)?.to_text())?;
//!
//! // the verifier's keys (a real verifier loads the consortium's keys instead)
//! let circuit = Circuit::Membership { depth: 2, nullifier: false };
//! let mut keys = KeyRing::new();
//! keys.insert(circuit, circuit.setup()?);
//!
//! let challenge = Challenge::random()?;
//! let tree = leaves.tree(2)?;
//! let statement = tree.statement(None);
//! let witness = tree.witness(&me)?;
//! let proof = prove_membership(Backend::Groth16, &keys, &statement, &witness, &challenge, &mut rand_core::OsRng)?;
//! let json = ProvenMembership { statement, proof }.to_json();
//!
//! // the verifier: its own root, depth and challenge; the JSON's statement is informational
//! let received = ProvenMembership::from_json(&json)?;
//! verify_membership(&keys, &statement, &received.proof, &challenge)?;
//! assert!(verify_membership(&keys, &statement, &received.proof, &Challenge::random()?).is_err());
//! // a secret that is not listed finds no leaf
//! assert!(tree.witness(&MemberSecret::random()?).is_err());
//! # Ok::<(), causeway::Error>(())
//! ```

use super::export::Groth16Export;
use super::{Circuit, KeyRing, Proof};
use crate::commit::{hash_to_field, FieldCommitment};
use crate::encoding::{b64u_decode, b64u_encode};
use crate::error::{DecodeError, KeyError, ProveError, VerifyError};
use crate::proof::{Backend, Challenge};
use ark_ff::PrimeField;
use causeway_circuits::merkle::{MerklePath, PoseidonTree, MAX_DEPTH};
use causeway_circuits::statements::membership::{
    self, MembershipCircuit, MembershipPrivate, MembershipPublic, Nullifier,
};
use causeway_circuits::statements::SecretPath;
use causeway_circuits::Fr;
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::statements::snark_prove_err;

/// Label of the bound challenge of a membership proof.
pub const MEMBERSHIP_CHALLENGE_LABEL: &[u8] = b"causeway/membership-groth16/v1";
/// Most leaves in a member list.
pub const MAX_LEAVES: usize = 1 << 20;
/// Longest text form of a member list read (bytes): 80 bytes a leaf (64 hex digits, a line
/// break and some white space).
pub const MAX_LEAVES_TEXT_LEN: usize = 80 * MAX_LEAVES;
/// The `format` of a membership proof's JSON.
pub const MEMBERSHIP_PROOF_FORMAT: &str = "causeway-membership-proof/v1";
/// Longest membership proof JSON read (bytes).
pub const MAX_MEMBERSHIP_PROOF_JSON: usize = 16 * 1024;

/// Anonymous membership: "I know an identity secret whose `Poseidon(secret)` is a leaf of the
/// Poseidon Merkle tree with this root", without saying which. (Knowing a leaf proves nothing:
/// the leaves are public.) With a nullifier context the proof also reveals `Poseidon(secret, context)`, the same
/// for every proof by that member in that context: verifiers de-duplicate on it (never on proof
/// bytes, which anyone can re-randomise). Groth16 only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MembershipStatement {
    /// The tree's root (an anchored batch, an allow-list).
    pub root: FieldCommitment,
    /// The tree's depth (1..=32).
    pub depth: u8,
    /// The nullifier context, for the variant with a nullifier.
    pub nullifier_context: Option<FieldCommitment>,
}

impl MembershipStatement {
    /// The circuit (`membership:D` or `membership:D:nullifier`).
    pub fn circuit(&self) -> Circuit {
        Circuit::Membership {
            depth: self.depth,
            nullifier: self.nullifier_context.is_some(),
        }
    }
}

/// The member's witness: the identity secret (its leaf is [`identity_leaf`] of it) and the
/// leaf's Merkle path. Zeroized on drop (the inner witness is `ZeroizeOnDrop`); redacted
/// `Debug`.
#[derive(Clone)]
pub struct MembershipWitness {
    inner: MembershipPrivate,
}

impl core::fmt::Debug for MembershipWitness {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("MembershipWitness(..)")
    }
}

impl MembershipWitness {
    /// A witness from the member's secret (canonical 32-byte big-endian field element) and the
    /// path of its leaf `Poseidon(secret)`. A leaf in place of the secret proves nothing.
    pub fn new(secret: &FieldCommitment, path: &MerklePath) -> Result<Self, DecodeError> {
        Ok(MembershipWitness {
            inner: MembershipPrivate {
                secret: secret.to_fr()?,
                path: SecretPath::from(path),
            },
        })
    }
}

/// A membership proof: the Groth16 proof and the nullifier it reveals (if any). No equality:
/// Groth16 proofs are re-randomisable, compare nullifiers instead.
#[derive(Clone, Debug)]
pub struct MembershipProof {
    /// `Poseidon(secret, context)` for the variant with a nullifier.
    pub nullifier: Option<FieldCommitment>,
    /// The proof.
    pub proof: Proof,
}

/// The identity commitment (tree leaf) of a member's secret: `Poseidon(secret)`.
pub fn identity_leaf(secret: &FieldCommitment) -> Result<FieldCommitment, DecodeError> {
    Ok(FieldCommitment::from_fr(&membership::identity_leaf(
        secret.to_fr()?,
    )))
}

fn membership_public(
    st: &MembershipStatement,
    nullifier: Option<&FieldCommitment>,
    challenge: &Challenge,
) -> Result<MembershipPublic, DecodeError> {
    let nullifier = match (st.nullifier_context, nullifier) {
        (Some(ctx), Some(n)) => Some(Nullifier {
            context: ctx.to_fr()?,
            value: n.to_fr()?,
        }),
        (None, None) => None,
        _ => return Err(DecodeError::Invalid { what: "nullifier" }),
    };
    Ok(MembershipPublic {
        root: st.root.to_fr()?,
        nullifier,
        challenge: hash_to_field(MEMBERSHIP_CHALLENGE_LABEL, challenge.as_bytes()),
    })
}

/// Proves membership with `backend` (only [`Backend::Groth16`] can: Bulletproofs gets
/// [`ProveError::Unsupported`]), bound to the verifier's `challenge`.
pub fn prove_membership<R: RngCore + CryptoRng>(
    backend: Backend,
    keys: &KeyRing,
    st: &MembershipStatement,
    witness: &MembershipWitness,
    challenge: &Challenge,
    rng: &mut R,
) -> Result<MembershipProof, ProveError> {
    if backend != Backend::Groth16 {
        return Err(ProveError::Unsupported {
            backend,
            what: "membership in a Merkle tree",
        });
    }
    let shape = st.circuit();
    shape
        .check()
        .map_err(|_| ProveError::InvalidStatement("tree depth (1 to 32)"))?;
    let pk = keys
        .proving_key(&shape)
        .ok_or_else(|| ProveError::NoKey(shape.to_string()))?;
    let nullifier = match st.nullifier_context {
        Some(ctx) => {
            let ctx = ctx
                .to_fr()
                .map_err(|_| ProveError::InvalidStatement("nullifier context"))?;
            Some(FieldCommitment::from_fr(&membership::nullifier(
                witness.inner.secret,
                ctx,
            )))
        }
        None => None,
    };
    let public = membership_public(st, nullifier.as_ref(), challenge)
        .map_err(|_| ProveError::InvalidStatement("membership statement"))?;
    let depth = usize::from(st.depth);
    if !membership::check(depth, &public, &witness.inner) {
        return Err(ProveError::Unsatisfied);
    }
    let proof = super::prove_with_rng(
        pk,
        MembershipCircuit {
            depth,
            public,
            private: Some(witness.inner.clone()),
        },
        rng,
    )
    .map_err(snark_prove_err)?;
    Ok(MembershipProof { nullifier, proof })
}

/// Verifies a membership proof under the verifier's key for the statement's shape and its
/// `challenge`. Returns the nullifier (for the variant with one): the caller refuses one it has
/// seen in this context.
pub fn verify_membership(
    keys: &KeyRing,
    st: &MembershipStatement,
    proof: &MembershipProof,
    challenge: &Challenge,
) -> Result<Option<FieldCommitment>, VerifyError> {
    let shape = st.circuit();
    let vk = keys
        .verifying_key(&shape)
        .ok_or_else(|| VerifyError::NoKey(shape.to_string()))?;
    if proof.proof.key_id() != vk.id() {
        return Err(VerifyError::WrongKey {
            shape: shape.to_string(),
            expected: vk.id().to_text(),
            found: proof.proof.key_id().to_text(),
        });
    }
    let public = membership_public(st, proof.nullifier.as_ref(), challenge)?;
    super::verify(vk, &public.inputs(usize::from(st.depth)), &proof.proof)
        .map_err(|_| VerifyError::Proof)?;
    Ok(proof.nullifier)
}

/// A member's identity secret: a BN254 field element whose `Poseidon(secret)` is the member's
/// leaf ([`MemberSecret::leaf`]). Zeroized on drop; `Debug` prints `MemberSecret(..)`. Text
/// form: 64 hex digits (big-endian, below `r`).
#[derive(Clone)]
pub struct MemberSecret(Zeroizing<Fr>);

impl core::fmt::Debug for MemberSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("MemberSecret(..)")
    }
}

impl MemberSecret {
    /// A fresh secret from the operating system's randomness (64 bytes reduced mod `r`).
    pub fn random() -> Result<Self, KeyError> {
        let mut wide = Zeroizing::new([0u8; 64]);
        getrandom::getrandom(wide.as_mut_slice()).map_err(|_| KeyError::Rng)?;
        Ok(MemberSecret(Zeroizing::new(Fr::from_le_bytes_mod_order(
            wide.as_slice(),
        ))))
    }

    /// A fresh secret from `rng`.
    pub fn random_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut wide = Zeroizing::new([0u8; 64]);
        rng.fill_bytes(wide.as_mut_slice());
        MemberSecret(Zeroizing::new(Fr::from_le_bytes_mod_order(wide.as_slice())))
    }

    /// A secret from its 32 big-endian bytes; refuses a value `≥ r` (never reduced).
    pub fn from_bytes(b: &[u8; 32]) -> Result<Self, DecodeError> {
        let x = causeway_circuits::field::fr_from_be_bytes_canonical(b).map_err(|_| {
            DecodeError::Invalid {
                what: "member secret: not a BN254 field element (≥ r)",
            }
        })?;
        Ok(MemberSecret(Zeroizing::new(x)))
    }

    /// A secret from its text form (64 hex digits; white space around it is ignored). The
    /// error never contains the text.
    pub fn from_hex(text: &str) -> Result<Self, DecodeError> {
        let mut b = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text.trim(), b.as_mut_slice()).map_err(|_| DecodeError::Invalid {
            what: "member secret: expected 64 hex digits",
        })?;
        Self::from_bytes(&b)
    }

    /// A secret from the bytes of a secret file (UTF-8 text, 64 hex digits).
    pub fn from_text_bytes(b: &[u8]) -> Result<Self, DecodeError> {
        if b.len() > 1024 {
            return Err(DecodeError::Invalid {
                what: "member secret: expected 64 hex digits",
            });
        }
        let text = core::str::from_utf8(b).map_err(|_| DecodeError::Invalid {
            what: "member secret: not text (expected 64 hex digits)",
        })?;
        Self::from_hex(text)
    }

    /// The 32 big-endian bytes, zeroized on drop.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(causeway_circuits::field::fr_to_be_bytes(&self.0))
    }

    /// The text form (64 hex digits), zeroized on drop.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.to_bytes().as_slice()))
    }

    /// The member's leaf, `Poseidon(secret)`: what the member list holds.
    pub fn leaf(&self) -> FieldCommitment {
        FieldCommitment::from_fr(&membership::identity_leaf(*self.0))
    }
}

/// A public member list: one leaf per member (see the module docs for the text form and
/// limits). Order matters: a leaf's index is its position in the tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Leaves(Vec<FieldCommitment>);

fn leaves_too_many(len: usize) -> DecodeError {
    DecodeError::TooLong {
        what: "member list (leaves)",
        len,
        max: MAX_LEAVES,
    }
}

impl Leaves {
    /// A list from leaves (at most [`MAX_LEAVES`]).
    pub fn new(leaves: Vec<FieldCommitment>) -> Result<Self, DecodeError> {
        if leaves.len() > MAX_LEAVES {
            return Err(leaves_too_many(leaves.len()));
        }
        Ok(Leaves(leaves))
    }

    /// Parses the text form: one leaf per line (64 hex digits, below `r`); blank lines and
    /// white space around a leaf are ignored.
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        if text.len() > MAX_LEAVES_TEXT_LEN {
            return Err(DecodeError::TooLong {
                what: "member list text",
                len: text.len(),
                max: MAX_LEAVES_TEXT_LEN,
            });
        }
        let mut out = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if out.len() >= MAX_LEAVES {
                return Err(leaves_too_many(out.len().saturating_add(1)));
            }
            let mut b = [0u8; 32];
            hex::decode_to_slice(line, &mut b).map_err(|_| DecodeError::Invalid {
                what: "leaf: expected 64 hex digits",
            })?;
            out.push(
                FieldCommitment::from_bytes(&b).map_err(|_| DecodeError::Invalid {
                    what: "leaf: not a BN254 field element (≥ r)",
                })?,
            );
        }
        Ok(Leaves(out))
    }

    /// Parses the bytes of a leaves file (UTF-8 text, see [`Leaves::parse`]).
    pub fn from_text_bytes(b: &[u8]) -> Result<Self, DecodeError> {
        if b.len() > MAX_LEAVES_TEXT_LEN {
            return Err(DecodeError::TooLong {
                what: "member list text",
                len: b.len(),
                max: MAX_LEAVES_TEXT_LEN,
            });
        }
        let text = core::str::from_utf8(b).map_err(|_| DecodeError::Invalid {
            what: "member list: not text",
        })?;
        Self::parse(text)
    }

    /// The text form: one leaf a line, lowercase hex, each line ending in `\n`.
    pub fn to_text(&self) -> String {
        let mut s = String::with_capacity(self.0.len().saturating_mul(65));
        for l in &self.0 {
            s.push_str(&hex::encode(l.to_bytes()));
            s.push('\n');
        }
        s
    }

    /// The leaves.
    pub fn as_slice(&self) -> &[FieldCommitment] {
        &self.0
    }

    /// How many leaves.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The index of the first occurrence of `leaf`.
    pub fn position(&self, leaf: &FieldCommitment) -> Option<usize> {
        self.0.iter().position(|l| l == leaf)
    }

    /// The list as a Poseidon Merkle tree of `depth` (1 to 32, at most `2^depth` leaves; empty
    /// positions are zero leaves).
    pub fn tree(&self, depth: u8) -> Result<MemberTree, DecodeError> {
        if depth == 0 || usize::from(depth) > MAX_DEPTH {
            return Err(DecodeError::Invalid {
                what: "tree depth (1 to 32)",
            });
        }
        let capacity = 1u64.checked_shl(u32::from(depth)).unwrap_or(u64::MAX);
        if self.0.len() as u64 > capacity {
            return Err(DecodeError::TooLong {
                what: "leaves for the tree depth",
                len: self.0.len(),
                max: usize::try_from(capacity).unwrap_or(usize::MAX),
            });
        }
        let frs = self
            .0
            .iter()
            .map(FieldCommitment::to_fr)
            .collect::<Result<Vec<_>, _>>()?;
        let tree =
            PoseidonTree::new(&frs, usize::from(depth)).map_err(|_| DecodeError::Invalid {
                what: "leaves for the tree depth",
            })?;
        Ok(MemberTree {
            leaves: self.clone(),
            tree,
            depth,
        })
    }

    /// The root of the tree of `depth` over these leaves.
    pub fn root(&self, depth: u8) -> Result<FieldCommitment, DecodeError> {
        Ok(self.tree(depth)?.root())
    }
}

/// A member list as a tree ([`Leaves::tree`]).
#[derive(Clone, Debug)]
pub struct MemberTree {
    leaves: Leaves,
    tree: PoseidonTree,
    depth: u8,
}

impl MemberTree {
    /// The root.
    pub fn root(&self) -> FieldCommitment {
        FieldCommitment::from_fr(&self.tree.root())
    }

    /// The depth.
    pub fn depth(&self) -> u8 {
        self.depth
    }

    /// The leaves.
    pub fn leaves(&self) -> &Leaves {
        &self.leaves
    }

    /// The statement "a member of this tree" (with a nullifier in `nullifier_context` if given).
    pub fn statement(&self, nullifier_context: Option<FieldCommitment>) -> MembershipStatement {
        MembershipStatement {
            root: self.root(),
            depth: self.depth,
            nullifier_context,
        }
    }

    /// The member's witness: finds the member's own leaf `Poseidon(secret)` in the list and
    /// its path. [`ProveError::NotAMember`] if the list does not hold it (a leaf given as the
    /// secret is not found either: the leaves are public, only the secret proves).
    pub fn witness(&self, secret: &MemberSecret) -> Result<MembershipWitness, ProveError> {
        let index = self
            .leaves
            .position(&secret.leaf())
            .ok_or(ProveError::NotAMember)?;
        let path = self
            .tree
            .path(index as u64)
            .map_err(|_| ProveError::NotAMember)?;
        Ok(MembershipWitness::from_secret(secret, &path))
    }
}

impl MembershipWitness {
    /// A witness from the member's secret and its leaf's path (see [`MemberTree::witness`],
    /// which finds the path).
    pub fn from_secret(secret: &MemberSecret, path: &MerklePath) -> Self {
        MembershipWitness {
            inner: MembershipPrivate {
                secret: *secret.0,
                path: SecretPath::from(path),
            },
        }
    }
}

impl MembershipProof {
    /// The Groth16 public inputs this proof verifies against for `st` and `challenge` (root,
    /// then nullifier and context for the variant with one, then the bound challenge).
    pub fn public_inputs(
        &self,
        st: &MembershipStatement,
        challenge: &Challenge,
    ) -> Result<Vec<Fr>, DecodeError> {
        let public = membership_public(st, self.nullifier.as_ref(), challenge)?;
        Ok(public.inputs(usize::from(st.depth)))
    }
}

/// What a member hands a verifier: the statement it claims (informational: a verifier checks
/// against its own root, depth and nullifier context) and the proof. JSON form:
/// `docs/spec/membership.md`.
#[derive(Clone, Debug)]
pub struct ProvenMembership {
    /// The statement the member proved.
    pub statement: MembershipStatement,
    /// The proof.
    pub proof: MembershipProof,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MembershipJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<String>,
    backend: String,
    statement: String,
    root: String,
    nullifier_context: Option<String>,
    nullifier: Option<String>,
    proof: String,
}

/// A field element from the JSON's 64 hex digits: lower-case only (the one encoding every
/// writer produced), so that one value has one spelling (a nullifier compared as text cannot be
/// replayed in upper case), and canonical (below `r`).
fn fe_hex(what: &'static str, s: &str) -> Result<FieldCommitment, DecodeError> {
    if s.len() != 64 || !s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(DecodeError::Invalid { what });
    }
    let mut b = [0u8; 32];
    hex::decode_to_slice(s, &mut b).map_err(|_| DecodeError::Invalid { what })?;
    FieldCommitment::from_bytes(&b).map_err(|_| DecodeError::Invalid { what })
}

impl ProvenMembership {
    /// The JSON form (`docs/spec/membership.md`): snake_case keys, field elements as 64 hex
    /// digits, the proof as unpadded base64url of its 164 bytes.
    pub fn to_json(&self) -> String {
        let h = |x: &FieldCommitment| hex::encode(x.to_bytes());
        let j = MembershipJson {
            format: Some(MEMBERSHIP_PROOF_FORMAT.to_owned()),
            backend: Backend::Groth16.to_string(),
            statement: self.statement.circuit().to_string(),
            root: h(&self.statement.root),
            nullifier_context: self.statement.nullifier_context.as_ref().map(h),
            nullifier: self.proof.nullifier.as_ref().map(h),
            proof: b64u_encode(&self.proof.proof.to_bytes()),
        };
        let mut s = serde_json::to_string_pretty(&j).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parses the JSON form, strictly: known keys only, a known `format` (absent in files
    /// written before it existed), back-end `groth16`, a membership circuit whose nullifier
    /// flag matches the nullifier fields, canonical field elements.
    pub fn from_json(text: &str) -> Result<Self, DecodeError> {
        if text.len() > MAX_MEMBERSHIP_PROOF_JSON {
            return Err(DecodeError::TooLong {
                what: "membership proof JSON",
                len: text.len(),
                max: MAX_MEMBERSHIP_PROOF_JSON,
            });
        }
        let j: MembershipJson = serde_json::from_str(text).map_err(|e| DecodeError::json(&e))?;
        match j.format.as_deref() {
            None | Some(MEMBERSHIP_PROOF_FORMAT) => {}
            Some(_) => {
                return Err(DecodeError::Invalid {
                    what: "membership proof format (causeway-membership-proof/v1)",
                })
            }
        }
        if j.backend != Backend::Groth16.as_str() {
            return Err(DecodeError::Invalid {
                what: "membership proof back-end (groth16)",
            });
        }
        let circuit: Circuit = j.statement.parse()?;
        let Circuit::Membership { depth, nullifier } = circuit else {
            return Err(DecodeError::Invalid {
                what: "membership proof statement (membership:D[:nullifier])",
            });
        };
        let ctx = j
            .nullifier_context
            .as_deref()
            .map(|c| fe_hex("nullifier context", c))
            .transpose()?;
        let n = j
            .nullifier
            .as_deref()
            .map(|c| fe_hex("nullifier", c))
            .transpose()?;
        if ctx.is_some() != nullifier || n.is_some() != nullifier {
            return Err(DecodeError::Invalid {
                what: "nullifier fields do not match the statement",
            });
        }
        let proof = Proof::from_bytes(&b64u_decode("proof", &j.proof, super::PROOF_BYTES)?)?;
        Ok(ProvenMembership {
            statement: MembershipStatement {
                root: fe_hex("root", &j.root)?,
                depth,
                nullifier_context: ctx,
            },
            proof: MembershipProof {
                nullifier: n,
                proof,
            },
        })
    }

    /// The proof for `snarkjs groth16 verify` and the Solidity verifier, with the public
    /// inputs of the **verifier's** statement `trusted` (its root, depth and nullifier
    /// context; the nullifier is the proof's) and `challenge`. The statement in the prover's
    /// JSON is not used: an export checked outside Causeway then establishes membership in the
    /// tree the verifier trusts, not in one the prover named.
    pub fn export(
        &self,
        trusted: &MembershipStatement,
        challenge: &Challenge,
    ) -> Result<Groth16Export, DecodeError> {
        Ok(Groth16Export {
            circuit: trusted.circuit(),
            public_inputs: self.proof.public_inputs(trusted, challenge)?,
            proof: self.proof.proof.clone(),
        })
    }

    /// [`ProvenMembership::export`] under the statement **the prover claims** (its root, depth
    /// and context, from the JSON). Only for relaying a proof: whoever checks this export
    /// must compare its root (public input 0) with the root it accepts, or it proves
    /// membership in a tree of the prover's choosing.
    pub fn export_claimed(&self, challenge: &Challenge) -> Result<Groth16Export, DecodeError> {
        self.export(&self.statement, challenge)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use std::sync::OnceLock;

    fn keys() -> &'static KeyRing {
        static K: OnceLock<KeyRing> = OnceLock::new();
        K.get_or_init(|| {
            let mut rng = crate::testing::TestRng::new(7);
            let mut k = KeyRing::new();
            for nullifier in [false, true] {
                let c = Circuit::Membership {
                    depth: 3,
                    nullifier,
                };
                k.insert(c, c.setup_with_rng(&mut rng).unwrap());
            }
            k
        })
    }

    fn fe(i: u64) -> FieldCommitment {
        FieldCommitment::from_fr(&Fr::from(i))
    }

    fn world() -> (MemberSecret, Leaves) {
        let mut rng = crate::testing::TestRng::new(1);
        let me = MemberSecret::random_with_rng(&mut rng);
        let leaves = Leaves::new(vec![fe(1), fe(2), me.leaf(), fe(4), fe(5)]).unwrap();
        (me, leaves)
    }

    #[test]
    fn secret_is_redacted_checked_and_round_trips() {
        let (me, _) = world();
        assert_eq!(format!("{me:?}"), "MemberSecret(..)");
        let again = MemberSecret::from_hex(&format!("  {}\n", me.to_hex().as_str())).unwrap();
        assert_eq!(*again.to_bytes(), *me.to_bytes());
        assert_eq!(again.leaf(), me.leaf());
        // ≥ r refused, not reduced; bad hex refused without echoing it
        let e = MemberSecret::from_hex(&"f".repeat(64)).unwrap_err();
        assert!(e.to_string().contains("field element"), "{e}");
        let e = MemberSecret::from_hex("my-passphrase").unwrap_err();
        assert!(!e.to_string().contains("passphrase"));
        assert!(MemberSecret::from_text_bytes(&[0xff, 0xfe]).is_err());
        assert!(MemberSecret::from_hex(&"0".repeat(63)).is_err());
    }

    #[test]
    fn leaves_text_is_strict_and_capped() {
        let (_, leaves) = world();
        let text = leaves.to_text();
        assert_eq!(Leaves::parse(&text).unwrap(), leaves);
        // blank lines and surrounding white space are ignored, CRLF too
        let loose = format!("\n  {}\r\n\n", text.trim_end().replace('\n', "\r\n"));
        assert_eq!(Leaves::parse(&loose).unwrap(), leaves);
        for bad in [
            "0x01",
            &"0".repeat(63),
            &"0".repeat(65),
            &"f".repeat(64),
            &format!("{} {}", "0".repeat(32), "0".repeat(32)),
        ] {
            assert!(Leaves::parse(bad).is_err(), "{bad}");
        }
        assert!(Leaves::from_text_bytes(&[0xc3, 0x28]).is_err());
        // over the limits: refused before the work
        let over = "0".repeat(64) + "\n";
        let e = Leaves::parse(&over.repeat(MAX_LEAVES + 1)).unwrap_err();
        assert!(matches!(e, DecodeError::TooLong { .. }), "{e:?}");
        assert!(matches!(
            Leaves::from_text_bytes(&vec![b' '; MAX_LEAVES_TEXT_LEN + 1]),
            Err(DecodeError::TooLong { .. })
        ));
        assert!(Leaves::new(vec![fe(0); MAX_LEAVES + 1]).is_err());
        // depth limits and capacity
        assert!(leaves.tree(0).is_err());
        assert!(leaves.tree(33).is_err());
        assert!(matches!(leaves.tree(2), Err(DecodeError::TooLong { .. })));
        assert_eq!(leaves.root(3).unwrap(), leaves.tree(3).unwrap().root());
    }

    #[test]
    fn prove_verify_and_refusals() {
        let (me, leaves) = world();
        let mut rng = crate::testing::TestRng::new(2);
        let challenge = Challenge::random_with_rng(&mut rng);
        let tree = leaves.tree(3).unwrap();
        // not listed: a random secret, and a listed leaf used as a secret
        let stranger = MemberSecret::random_with_rng(&mut rng);
        assert_eq!(tree.witness(&stranger).unwrap_err(), ProveError::NotAMember);
        let leaf_as_secret = MemberSecret::from_bytes(&me.leaf().to_bytes()).unwrap();
        assert_eq!(
            tree.witness(&leaf_as_secret).unwrap_err(),
            ProveError::NotAMember
        );
        for ctx in [None, Some(fe(2026))] {
            let st = tree.statement(ctx);
            let w = tree.witness(&me).unwrap();
            assert_eq!(format!("{w:?}"), "MembershipWitness(..)");
            let proof =
                prove_membership(Backend::Groth16, keys(), &st, &w, &challenge, &mut rng).unwrap();
            let sent = ProvenMembership {
                statement: st,
                proof,
            };
            let got = ProvenMembership::from_json(&sent.to_json()).unwrap();
            assert_eq!(got.statement, st);
            assert_eq!(
                verify_membership(keys(), &st, &got.proof, &challenge).unwrap(),
                sent.proof.nullifier
            );
            // replay under another challenge, another root, a changed nullifier: refused
            let other = Challenge::random_with_rng(&mut rng);
            assert!(verify_membership(keys(), &st, &got.proof, &other).is_err());
            let mut wrong_root = st;
            wrong_root.root = fe(9);
            assert!(verify_membership(keys(), &wrong_root, &got.proof, &challenge).is_err());
            if ctx.is_some() {
                let mut forged = got.proof.clone();
                forged.nullifier = Some(fe(7));
                assert!(verify_membership(keys(), &st, &forged, &challenge).is_err());
            }
            // the export's public inputs are what the verifier checks
            let ex = got.export(&st, &challenge).unwrap();
            assert_eq!(
                got.export_claimed(&challenge).unwrap().public_inputs,
                ex.public_inputs
            );
            // a prover's JSON naming another root: the verifier's export uses its own root,
            // and the proof does not check under it; the claimed export would
            let mut lying = got.clone();
            lying.statement.root = fe(9);
            let vk0 = keys().verifying_key(&st.circuit()).unwrap();
            lying.export(&st, &challenge).unwrap().check(vk0).unwrap();
            assert_eq!(
                lying.export(&st, &challenge).unwrap().public_inputs,
                got.proof.public_inputs(&st, &challenge).unwrap()
            );
            assert!(lying
                .export_claimed(&challenge)
                .unwrap()
                .check(vk0)
                .is_err());
            let vk = keys().verifying_key(&st.circuit()).unwrap();
            ex.check(vk).unwrap();
            let mut changed = ex.clone();
            changed.public_inputs[0] += Fr::from(1u64);
            assert!(changed.check(vk).is_err());
        }
        // Bulletproofs cannot prove membership
        let st = tree.statement(None);
        let w = tree.witness(&me).unwrap();
        assert!(matches!(
            prove_membership(Backend::Bulletproofs, keys(), &st, &w, &challenge, &mut rng),
            Err(ProveError::Unsupported { .. })
        ));
    }

    /// A real `.pk` with one point of `l_query` changed to another valid point: same key id,
    /// so the id pin lets it in and proving refuses (self-check); the digest pin refuses it
    /// when it is loaded, from bytes and from a key directory.
    #[test]
    fn tampered_proving_key_is_refused_by_self_check_and_by_digest_pin() {
        use crate::error::{KeyRingError, SnarkError};
        use ark_ec::{AffineRepr, CurveGroup};
        let (me, leaves) = world();
        let mut rng = crate::testing::TestRng::new(4);
        let c = Circuit::Membership {
            depth: 3,
            nullifier: false,
        };
        let pk = keys().proving_key(&c).unwrap();
        let (id, digest) = (pk.id(), pk.digest());
        let mut raw = pk.as_arkworks().clone();
        let j = raw.l_query.len() / 2;
        raw.l_query[j] = (raw.l_query[j] + ark_bn254::G1Affine::generator()).into_affine();
        let bad_bytes = super::super::ProvingKey::from_arkworks(raw)
            .unwrap()
            .to_bytes();
        let challenge = Challenge::random_with_rng(&mut rng);
        let tree = leaves.tree(3).unwrap();
        let (st, w) = (tree.statement(None), tree.witness(&me).unwrap());

        // pinned by id only: accepted (the id hashes only the verifying key) ...
        let mut ring = KeyRing::new();
        ring.insert_proving_bytes(c, id, &bad_bytes).unwrap();
        assert_eq!(ring.proving_key(&c).unwrap().id(), id);
        // ... but no proof leaves prove_membership
        let e =
            prove_membership(Backend::Groth16, &ring, &st, &w, &challenge, &mut rng).unwrap_err();
        assert_eq!(e, ProveError::Snark(SnarkError::ProofSelfCheck));
        assert_eq!(crate::Error::from(e).code(), "snark.proof_self_check");

        // pinned by digest: refused on load, the ring unchanged
        let mut ring = KeyRing::new();
        let e = ring
            .insert_proving_bytes_pinned(c, id, digest, &bad_bytes)
            .unwrap_err();
        assert!(matches!(e, KeyRingError::WrongDigest { .. }), "{e:?}");
        assert_eq!(crate::Error::from(e).code(), "keyring.wrong_digest");
        assert!(ring.is_empty());
        // the genuine bytes under the same pins load and prove
        ring.insert_proving_bytes_pinned(c, id, digest, &pk.to_bytes())
            .unwrap();
        prove_membership(Backend::Groth16, &ring, &st, &w, &challenge, &mut rng).unwrap();

        // a key directory records the digest; swapping the .pk file for the tampered one
        // (same name: same id) is refused when it is loaded
        let dir = tempfile::tempdir().unwrap();
        ring.save_dir(dir.path()).unwrap();
        let manifest =
            std::fs::read_to_string(dir.path().join(super::super::keyring::MANIFEST_FILE)).unwrap();
        assert!(manifest.contains(&digest.to_text()), "{manifest}");
        KeyRing::load_dir(dir.path(), &[c], super::super::KeyUse::Prove).unwrap();
        let file = dir.path().join(format!("{}.pk", id.to_text()));
        std::fs::write(&file, &bad_bytes).unwrap();
        let e = KeyRing::load_dir(dir.path(), &[c], super::super::KeyUse::Prove).unwrap_err();
        assert!(matches!(e, KeyRingError::WrongDigest { .. }), "{e:?}");
        // the verifier's half is unaffected (its .vk is genuine)
        KeyRing::load_dir(dir.path(), &[c], super::super::KeyUse::Verify).unwrap();
    }

    #[test]
    fn proof_json_is_strict_and_reads_the_old_form() {
        let (me, leaves) = world();
        let mut rng = crate::testing::TestRng::new(3);
        let challenge = Challenge::random_with_rng(&mut rng);
        let tree = leaves.tree(3).unwrap();
        let st = tree.statement(Some(fe(0xabcd)));
        let proof = prove_membership(
            Backend::Groth16,
            keys(),
            &st,
            &tree.witness(&me).unwrap(),
            &challenge,
            &mut rng,
        )
        .unwrap();
        let json = ProvenMembership {
            statement: st,
            proof,
        }
        .to_json();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        // the form `causeway membership prove` wrote before it had a format: still read
        let mut old = v.clone();
        old.as_object_mut().unwrap().remove("format");
        assert!(ProvenMembership::from_json(&old.to_string()).is_ok());
        let edits: Vec<(&str, serde_json::Value)> = vec![
            ("format", "causeway-membership-proof/v9".into()),
            ("backend", "bulletproofs".into()),
            ("statement", "sum:2".into()),
            ("statement", "membership:3".into()),
            ("nullifier", serde_json::Value::Null),
            ("root", "f".repeat(64).into()),
            ("proof", "AAAA".into()),
            ("extra", 1.into()),
        ];
        for (k, val) in edits {
            let mut e = v.clone();
            e[k] = val;
            assert!(ProvenMembership::from_json(&e.to_string()).is_err(), "{k}");
        }
        assert!(ProvenMembership::from_json(&" ".repeat(MAX_MEMBERSHIP_PROOF_JSON + 1)).is_err());
        // one spelling per value: upper-case (or mixed-case) hex of a field element is refused,
        // in the nullifier above all (a second spelling of a seen nullifier), in the old form too
        for k in ["nullifier", "nullifier_context", "root"] {
            let lower = v[k].as_str().unwrap().to_owned();
            assert!(lower.bytes().any(|c| c.is_ascii_alphabetic()), "{lower}");
            for spelled in [lower.to_ascii_uppercase(), {
                let i = lower.find(|c: char| c.is_ascii_alphabetic()).unwrap();
                let mut m = lower.clone();
                m.replace_range(i..=i, &lower[i..=i].to_ascii_uppercase());
                m
            }] {
                for base in [&v, &old] {
                    let mut e = base.clone();
                    e[k] = spelled.clone().into();
                    let err = ProvenMembership::from_json(&e.to_string()).unwrap_err();
                    assert!(matches!(err, DecodeError::Invalid { .. }), "{k}: {err:?}");
                }
            }
        }
    }
}
