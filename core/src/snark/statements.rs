//! The Groth16 back-end of [`crate::statement`]: the same [`Statement`]s as the Bulletproofs
//! back-end, proven on the attestation's Poseidon root instead of its Pedersen commitments, and
//! anonymous membership in a Poseidon Merkle tree (Groth16 only).
//!
//! Each statement of a presentation becomes one Groth16 proof under the key of its circuit
//! [`Shape`] (see [`statement_shape`]). The proof's single public input is the circuit's
//! statement hash over everything the verifier knows, which the verifier recomputes itself:
//! - the record roots, from the attestations it verified (issuer signature, window, revocation);
//! - the field name and its type tag (kind and scale), from the attestation's list of numeric
//!   fields, never from the prover;
//! - the bounds, from the statement resolved at that scale;
//! - the bound challenge [`bound_challenge`]: a hash of the verifier's challenge, the holder's
//!   key id, every attestation id of the presentation and the statement's index.
//!
//! So a proof made for another challenge, holder, attestation, field, scale or bound does not
//! verify; the holder's signature over the presentation covers the proofs as well.

use super::{attested, KeyRing, Proof, Shape};
use crate::attest::{Attestation, AttestedRecord};
use crate::commit::{hash_to_field, FieldCommitment, NumericKind};
use crate::error::{DecodeError, ProveError, SnarkError, VerifyError};
use crate::party::KeyId;
use crate::presentation::Challenge;
use crate::statement::{Backend, Predicate, Resolved, Statement, TermsError};
use causeway_circuits::merkle::MerklePath;
use causeway_circuits::statements::attribute::AttributeCircuit;
use causeway_circuits::statements::membership::{
    self, MembershipCircuit, MembershipPrivate, MembershipPublic, Nullifier,
};
use causeway_circuits::statements::sum::SumCircuit;
use causeway_circuits::statements::{Predicate as CircuitPredicate, SecretPath};
use causeway_circuits::Fr;
use rand_core::{CryptoRng, RngCore};

/// Label of the bound challenge of a presentation's Groth16 statements.
pub const PRESENTATION_CHALLENGE_LABEL: &[u8] = b"causeway/presentation-groth16/v1";
/// Label of the bound challenge of a membership proof.
pub const MEMBERSHIP_CHALLENGE_LABEL: &[u8] = b"causeway/membership-groth16/v1";

/// The circuit shape a statement is proven with under Groth16, or why it cannot be.
pub fn statement_shape(st: &Statement) -> Result<Shape, &'static str> {
    if !st.is_sum() {
        return Ok(Shape::Attribute);
    }
    match st.predicate() {
        Predicate::AtLeast(_) | Predicate::Above(_) => {
            let k = u8::try_from(st.attestations().len())
                .map_err(|_| "a sum over more than 64 attestations")?;
            Ok(Shape::Sum(k))
        }
        _ => Err("a sum other than `sum >= t` or `sum > t`"),
    }
}

/// The circuit shapes a list of statements needs (in order, with repeats).
pub fn statement_shapes(statements: &[Statement]) -> Result<Vec<Shape>, ProveError> {
    statements
        .iter()
        .map(|s| {
            statement_shape(s).map_err(|what| ProveError::Unsupported {
                backend: Backend::Groth16,
                what,
            })
        })
        .collect()
}

/// The type tag a numeric kind's leaves hash (`docs/spec/commitments.md`).
pub fn kind_tag(kind: NumericKind) -> u64 {
    match kind {
        NumericKind::Int => 1,
        NumericKind::Decimal(s) => 2 | (u64::from(s) << 8),
        NumericKind::Date => 3,
    }
}

/// What a statement is in circuit terms, from the attestations alone (the verifier's view).
enum Plan {
    Attribute {
        attestation: usize,
        predicate: CircuitPredicate,
        tag: u64,
    },
    Sum {
        attestations: Vec<usize>,
        threshold: i64,
        tag: u64,
    },
}

enum PlanError {
    Invalid(&'static str),
    Unsupported(&'static str),
    CountedTwice(&'static str),
}

fn plan(st: &Statement, atts: &[&Attestation]) -> Result<Plan, PlanError> {
    statement_shape(st).map_err(PlanError::Unsupported)?;
    // the same check of the terms as the Bulletproofs back-end: one record is never counted
    // twice (the sum circuit cannot tell that two equal roots are one record)
    crate::statement::check_terms(st, atts).map_err(|e| match e {
        TermsError::Invalid(w) => PlanError::Invalid(w),
        TermsError::CountedTwice(w) => PlanError::CountedTwice(w),
    })?;
    let mut kind = None;
    let mut indices = Vec::with_capacity(st.attestations().len());
    for i in st.attestations() {
        let a = atts
            .get(usize::from(*i))
            .ok_or(PlanError::Invalid("attestation index out of range"))?;
        let nc = a
            .numeric_field(st.field())
            .ok_or(PlanError::Invalid("no numeric field of that name"))?;
        if kind.is_some_and(|k| k != nc.kind) {
            return Err(PlanError::Invalid(
                "summed fields have different types or scales",
            ));
        }
        kind = Some(nc.kind);
        indices.push(usize::from(*i));
    }
    let kind = kind.ok_or(PlanError::Invalid("no attestation"))?;
    let resolved = st.predicate().resolve(kind).map_err(PlanError::Invalid)?;
    let tag = kind_tag(kind);
    if st.is_sum() {
        if kind == NumericKind::Date {
            return Err(PlanError::Invalid("dates cannot be summed"));
        }
        return match resolved {
            Resolved::Range(Some(threshold), None) => Ok(Plan::Sum {
                attestations: indices,
                threshold,
                tag,
            }),
            _ => Err(PlanError::Unsupported(
                "a sum other than `sum >= t` or `sum > t`",
            )),
        };
    }
    let predicate = match resolved {
        Resolved::Range(lo, hi) => CircuitPredicate::Range {
            lo: lo.unwrap_or(i64::MIN),
            hi: hi.unwrap_or(i64::MAX),
        },
        Resolved::Equal(c) => CircuitPredicate::Equal(c),
        Resolved::NotEqual(c) => CircuitPredicate::NotEqual(c),
    };
    let attestation = indices
        .first()
        .copied()
        .ok_or(PlanError::Invalid("no attestation"))?;
    Ok(Plan::Attribute {
        attestation,
        predicate,
        tag,
    })
}

/// The field element a presentation's statement `index` binds as its challenge:
/// `H(PRESENTATION_CHALLENGE_LABEL, len(challenge) u8 | challenge | holder key id (16) |
/// n u16 | attestation ids (32 each) | index u16)`.
pub fn bound_challenge(
    challenge: &Challenge,
    holder: &KeyId,
    attestations: &[&Attestation],
    index: u16,
) -> Fr {
    let c = challenge.as_bytes();
    let mut b = Vec::with_capacity(1 + c.len() + 16 + 2 + 32 * attestations.len() + 2);
    b.push(c.len() as u8);
    b.extend_from_slice(c);
    b.extend_from_slice(holder.as_bytes());
    b.extend_from_slice(&(attestations.len() as u16).to_be_bytes());
    for a in attestations {
        b.extend_from_slice(&a.id().0);
    }
    b.extend_from_slice(&index.to_be_bytes());
    hash_to_field(PRESENTATION_CHALLENGE_LABEL, &b)
}

fn snark_prove_err(e: SnarkError) -> ProveError {
    match e {
        SnarkError::Unsatisfied => ProveError::Unsatisfied,
        other => ProveError::Snark(other),
    }
}

/// Proves each statement with the Groth16 key of its shape from `keys`, bound to the
/// verifier's `challenge`, the `holder` and the attestations (one proof per statement).
pub fn prove_statements<R: RngCore + CryptoRng>(
    held: &[&AttestedRecord],
    statements: &[Statement],
    keys: &KeyRing,
    challenge: &Challenge,
    holder: &KeyId,
    rng: &mut R,
) -> Result<Vec<Proof>, ProveError> {
    let atts: Vec<&Attestation> = held.iter().map(|h| h.attestation()).collect();
    let mut proofs = Vec::with_capacity(statements.len());
    for (i, st) in statements.iter().enumerate() {
        let index = u16::try_from(i).map_err(|_| ProveError::Limit("too many statements"))?;
        let plan = plan(st, &atts).map_err(|e| match e {
            PlanError::Invalid(w) => ProveError::InvalidStatement(w),
            PlanError::CountedTwice(w) => ProveError::CountedTwice(w),
            PlanError::Unsupported(what) => ProveError::Unsupported {
                backend: Backend::Groth16,
                what,
            },
        })?;
        let shape = statement_shape(st).map_err(|what| ProveError::Unsupported {
            backend: Backend::Groth16,
            what,
        })?;
        let pk = keys
            .proving_key(&shape)
            .ok_or_else(|| ProveError::NoKey(shape.to_string()))?;
        let c = bound_challenge(challenge, holder, &atts, index);
        let proof = match plan {
            Plan::Attribute {
                attestation,
                predicate,
                tag,
            } => {
                let h = held.get(attestation).ok_or(ProveError::InvalidStatement(
                    "attestation index out of range",
                ))?;
                let (public, private) = attested::attribute_statement(h, st.field(), predicate, c)
                    .map_err(snark_prove_err)?;
                if public.type_tag != Fr::from(tag) {
                    return Err(ProveError::InvalidStatement(
                        "the record's field type differs from its attestation's",
                    ));
                }
                if !predicate.holds(private.value) {
                    return Err(ProveError::Unsatisfied);
                }
                super::prove_with_rng(
                    pk,
                    AttributeCircuit {
                        public,
                        private: Some(private),
                    },
                    rng,
                )
                .map_err(snark_prove_err)?
            }
            Plan::Sum {
                attestations,
                threshold,
                tag,
            } => {
                let subset = attestations
                    .iter()
                    .map(|i| held.get(*i).copied())
                    .collect::<Option<Vec<_>>>()
                    .ok_or(ProveError::InvalidStatement(
                        "attestation index out of range",
                    ))?;
                let (public, private) = attested::sum_statement(&subset, st.field(), threshold, c)
                    .map_err(snark_prove_err)?;
                if public.type_tag != Fr::from(tag) {
                    return Err(ProveError::InvalidStatement(
                        "the record's field type differs from its attestation's",
                    ));
                }
                let total: i128 = private.records.iter().map(|r| i128::from(r.value)).sum();
                if total < i128::from(threshold) {
                    return Err(ProveError::Unsatisfied);
                }
                super::prove_with_rng(
                    pk,
                    SumCircuit {
                        public,
                        private: Some(private),
                    },
                    rng,
                )
                .map_err(snark_prove_err)?
            }
        };
        proofs.push(proof);
    }
    Ok(proofs)
}

/// The single public input of each statement's Groth16 proof, recomputed from what a verifier
/// knows: `attestations` (which the caller has verified), the statements, its `challenge` and
/// the `holder`. This is what an on-chain verifier (or `snarkjs groth16 verify`) takes beside
/// the proof.
pub fn public_inputs(
    attestations: &[&Attestation],
    statements: &[Statement],
    challenge: &Challenge,
    holder: &KeyId,
) -> Result<Vec<(Shape, Vec<Fr>)>, VerifyError> {
    let mut out = Vec::with_capacity(statements.len());
    for (i, st) in statements.iter().enumerate() {
        let index = u16::try_from(i).map_err(|_| VerifyError::Proof)?;
        let plan = plan(st, attestations).map_err(|e| match e {
            PlanError::Invalid(w) => VerifyError::InvalidStatement(w),
            PlanError::CountedTwice(w) => VerifyError::CountedTwice(w),
            PlanError::Unsupported(what) => VerifyError::Unsupported {
                backend: Backend::Groth16,
                what,
            },
        })?;
        let shape = statement_shape(st).map_err(|what| VerifyError::Unsupported {
            backend: Backend::Groth16,
            what,
        })?;
        let c = bound_challenge(challenge, holder, attestations, index);
        let inputs = match plan {
            Plan::Attribute {
                attestation,
                predicate,
                tag,
            } => {
                let a = attestations
                    .get(attestation)
                    .ok_or(VerifyError::InvalidStatement(
                        "attestation index out of range",
                    ))?;
                attested::attribute_public(a, st.field(), tag, predicate, c)
                    .ok()
                    .and_then(|p| p.inputs())
                    .ok_or(VerifyError::InvalidStatement("attribute statement"))?
            }
            Plan::Sum {
                attestations: idx,
                threshold,
                tag,
            } => {
                let subset = idx
                    .iter()
                    .map(|i| attestations.get(*i).copied())
                    .collect::<Option<Vec<_>>>()
                    .ok_or(VerifyError::InvalidStatement(
                        "attestation index out of range",
                    ))?;
                attested::sum_public(&subset, st.field(), tag, threshold, c)
                    .map_err(|_| VerifyError::CountedTwice("record root"))?
                    .inputs()
            }
        };
        out.push((shape, inputs));
    }
    Ok(out)
}

/// Verifies [`prove_statements`]' proofs: one per statement, each under the verifier's key for
/// its shape, against the public input recomputed from `attestations` (already verified by the
/// caller), the statement, `challenge` and `holder` ([`public_inputs`]).
pub fn verify_statements(
    attestations: &[&Attestation],
    statements: &[Statement],
    proofs: &[Proof],
    keys: &KeyRing,
    challenge: &Challenge,
    holder: &KeyId,
) -> Result<(), VerifyError> {
    if proofs.len() != statements.len() {
        return Err(VerifyError::Proof);
    }
    let publics = public_inputs(attestations, statements, challenge, holder)?;
    for ((shape, inputs), proof) in publics.iter().zip(proofs) {
        let vk = keys
            .verifying_key(shape)
            .ok_or_else(|| VerifyError::NoKey(shape.to_string()))?;
        if proof.key_id() != vk.id() {
            return Err(VerifyError::WrongKey {
                shape: shape.to_string(),
                expected: vk.id().to_text(),
                found: proof.key_id().to_text(),
            });
        }
        super::verify(vk, inputs, proof).map_err(|_| VerifyError::Proof)?;
    }
    Ok(())
}

/// Anonymous membership: "I know a leaf (or, with a nullifier, an identity secret whose
/// `Poseidon(secret)` is a leaf) of the Poseidon Merkle tree with this root", without saying
/// which. With a nullifier context the proof also reveals `Poseidon(secret, context)`, the same
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
    /// The circuit shape.
    pub fn shape(&self) -> Shape {
        Shape::Membership {
            depth: self.depth,
            nullifier: self.nullifier_context.is_some(),
        }
    }
}

/// The member's witness: the leaf (without nullifier) or the identity secret (with one), and
/// the leaf's Merkle path. Zeroized on drop (the inner witness is `ZeroizeOnDrop`); redacted
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
    /// A witness from the leaf or secret (canonical 32-byte big-endian field element) and path.
    pub fn new(leaf_or_secret: &FieldCommitment, path: &MerklePath) -> Result<Self, DecodeError> {
        Ok(MembershipWitness {
            inner: MembershipPrivate {
                leaf_or_secret: leaf_or_secret.to_fr()?,
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
    let shape = st.shape();
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
                witness.inner.leaf_or_secret,
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
    let shape = st.shape();
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
