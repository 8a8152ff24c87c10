//! The Groth16 back-end of [`crate::statement`]: the same [`Statement`]s as the Bulletproofs
//! back-end, proven on the attestation's Poseidon root instead of its Pedersen commitments, and
//! anonymous membership in a Poseidon Merkle tree (Groth16 only).
//!
//! Each statement of a presentation becomes one Groth16 proof under the key of its circuit
//! [`Circuit`] (see [`statement_circuit`]). The proof's single public input is the circuit's
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
//!
//! Membership moved to [`super::membership`]; its items are re-exported here (their old path).

use super::{attested, Circuit, KeyRing, Proof};
use crate::attest::{Attestation, AttestedRecord};
use crate::commit::{hash_to_field, NumericKind};
use crate::error::{ProveError, SnarkError, StatementError, VerifyError};
use crate::party::KeyId;
use crate::proof::Backend;
use crate::proof::Challenge;
use crate::statement::{resolve_terms, Predicate, Resolved, Statement, TermsError};
use causeway_circuits::statements::attribute::AttributeCircuit;
use causeway_circuits::statements::sum::SumCircuit;
use causeway_circuits::statements::Predicate as CircuitPredicate;
use causeway_circuits::Fr;
use rand_core::{CryptoRng, RngCore};

pub use super::membership::{
    identity_leaf, prove_membership, verify_membership, MembershipProof, MembershipStatement,
    MembershipWitness, MEMBERSHIP_CHALLENGE_LABEL,
};

/// Label of the bound challenge of a presentation's Groth16 statements.
pub const PRESENTATION_CHALLENGE_LABEL: &[u8] = b"causeway/presentation-groth16/v1";

/// The circuit shape a statement is proven with under Groth16, or why it cannot be.
pub fn statement_circuit(st: &Statement) -> Result<Circuit, StatementError> {
    if !st.is_sum() {
        return Ok(Circuit::Attribute);
    }
    match st.predicate() {
        Predicate::AtLeast(_) | Predicate::Above(_) => {
            let k =
                u8::try_from(st.attestations().len()).map_err(|_| StatementError::TooManyTerms)?;
            Ok(Circuit::Sum(k))
        }
        _ => Err(StatementError::UnsupportedSum),
    }
}

/// The circuit shapes a list of statements needs (in order, with repeats).
pub fn statement_circuits(statements: &[Statement]) -> Result<Vec<Circuit>, ProveError> {
    statements
        .iter()
        .map(|s| {
            statement_circuit(s).map_err(|e| ProveError::Unsupported {
                backend: Backend::Groth16,
                what: e.what(),
            })
        })
        .collect()
}

/// The type tag a numeric kind's leaves hash (`docs/spec/commitments.md`).
/// The same tag as [`NumericKind::type_tag`] (the one type table, decision 0037).
pub fn kind_tag(kind: NumericKind) -> u64 {
    kind.type_tag()
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
    statement_circuit(st).map_err(|e| PlanError::Unsupported(e.what()))?;
    // the one resolve step of both back-ends (`crate::statement::resolve_terms`): the same
    // check of the terms as the Bulletproofs back-end, so one record is never counted twice
    // (the sum circuit cannot tell that two equal roots are one record)
    let terms = resolve_terms(st, atts).map_err(|e| match e {
        TermsError::Invalid(w) => PlanError::Invalid(w),
        TermsError::CountedTwice(w) => PlanError::CountedTwice(w),
    })?;
    let kind = terms.kind;
    let indices = terms.indices;
    let resolved = st
        .predicate()
        .resolve(kind)
        .map_err(|e| PlanError::Invalid(e.what()))?;
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

pub(super) fn snark_prove_err(e: SnarkError) -> ProveError {
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
    prove_statements_metered(
        held,
        statements,
        (keys, challenge, holder),
        rng,
        &crate::proof::Meter::none(),
    )
}

/// [`prove_statements`] reporting each statement's Groth16 stages to `meter`.
pub(crate) fn prove_statements_metered<R: RngCore + CryptoRng>(
    held: &[&AttestedRecord],
    statements: &[Statement],
    (keys, challenge, holder): (&KeyRing, &Challenge, &KeyId),
    rng: &mut R,
    meter: &crate::proof::Meter<'_>,
) -> Result<Vec<Proof>, ProveError> {
    let atts: Vec<&Attestation> = held.iter().map(|h| h.attestation()).collect();
    let mut proofs = Vec::with_capacity(statements.len());
    for (i, st) in statements.iter().enumerate() {
        let index = u16::try_from(i).map_err(|_| ProveError::Limit("too many statements"))?;
        meter.statement(index);
        let plan = plan(st, &atts).map_err(|e| match e {
            PlanError::Invalid(w) => ProveError::InvalidStatement(w),
            PlanError::CountedTwice(w) => ProveError::CountedTwice(w),
            PlanError::Unsupported(what) => ProveError::Unsupported {
                backend: Backend::Groth16,
                what,
            },
        })?;
        let shape = statement_circuit(st).map_err(|e| ProveError::Unsupported {
            backend: Backend::Groth16,
            what: e.what(),
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
                super::prove_inner(
                    pk,
                    AttributeCircuit {
                        public,
                        private: Some(private),
                    },
                    rng,
                    meter,
                )
                .map_err(snark_prove_err)?
                .0
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
                super::prove_inner(
                    pk,
                    SumCircuit {
                        public,
                        private: Some(private),
                    },
                    rng,
                    meter,
                )
                .map_err(snark_prove_err)?
                .0
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
) -> Result<Vec<(Circuit, Vec<Fr>)>, VerifyError> {
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
        let shape = statement_circuit(st).map_err(|e| VerifyError::Unsupported {
            backend: Backend::Groth16,
            what: e.what(),
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
