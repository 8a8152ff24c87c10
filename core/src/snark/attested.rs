//! From attested records to Groth16 statements: the holder's witnesses and the verifier's
//! public inputs for the attribute-predicate and sum-threshold circuits of
//! [`causeway_circuits::statements`], built from [`AttestedRecord`]s and [`Attestation`]s so both
//! sides hash exactly the leaves of `docs/spec/commitments.md`.
//!
//! These are building blocks of the presentation back-end ([`super::statements`]): they build
//! circuit inputs and check no holder binding, issuer, subject, validity or revocation. To prove
//! or check a statement about attested records use `presentation::Presentation` with
//! `Backend::Groth16` (decision 0024: the CLI's separate `prove` / `verify-proof` path that
//! called these directly was removed for that reason).

use crate::attest::{Attestation, AttestedRecord};
use crate::commit::{hash_to_field, numeric_value, type_tag, NAME_LABEL, TREE_DEPTH};
use crate::error::SnarkError;
use causeway_circuits::statements::attribute::{AttributePrivate, AttributePublic};
use causeway_circuits::statements::sum::{SumPrivate, SumPublic, SumRecord, MAX_RECORDS};
use causeway_circuits::statements::{Predicate, SecretPath};
use causeway_circuits::Fr;

/// A field name as the field element its leaves hash (`H(NAME_LABEL, name)`).
pub fn field_name(name: &str) -> Fr {
    hash_to_field(NAME_LABEL, name.as_bytes())
}

/// One numeric field of an attested record: its value, salt, path and type tag.
fn numeric_opening(
    held: &AttestedRecord,
    field: &str,
) -> Result<(i64, Fr, SecretPath, u64), SnarkError> {
    let record = held.record();
    let (index, value) = record
        .fields()
        .enumerate()
        .find(|(_, (n, _))| *n == field)
        .map(|(i, (_, v))| (i, v))
        .ok_or(SnarkError::Unsatisfied)?;
    let (_, v) = numeric_value(value).ok_or(SnarkError::Unsatisfied)?;
    let salt_bytes = held
        .openings()
        .salts()
        .get(index)
        .ok_or(SnarkError::Unsatisfied)?
        .as_bytes();
    let salt = crate::snark::input_from_be_bytes(salt_bytes).map_err(SnarkError::Decode)?;
    // the holder's tree under its layout (issue 11 item 15: fields at secret slots)
    let built = held.tree().map_err(|_| SnarkError::Synthesis)?;
    let (tree, positions) = (&built.tree, &built.positions);
    if tree.depth() != TREE_DEPTH {
        return Err(SnarkError::Synthesis);
    }
    let slot = positions.get(index).ok_or(SnarkError::Synthesis)?;
    let path = tree.path(*slot).map_err(|_| SnarkError::Synthesis)?;
    Ok((v, salt, SecretPath::from(&path), type_tag(value)))
}

fn root_of(a: &Attestation) -> Result<Fr, SnarkError> {
    a.root().to_fr().map_err(SnarkError::Decode)
}

/// The holder's side of "field `field` of this attested record satisfies `predicate`".
pub fn attribute_statement(
    held: &AttestedRecord,
    field: &str,
    predicate: Predicate,
    challenge: Fr,
) -> Result<(AttributePublic, AttributePrivate), SnarkError> {
    let (value, salt, path, tag) = numeric_opening(held, field)?;
    let public = attribute_public(held.attestation(), field, tag, predicate, challenge)?;
    Ok((public, AttributePrivate { value, salt, path }))
}

/// The verifier's side of [`attribute_statement`] (the type tag comes with the proof: it says
/// how the bound is scaled).
pub fn attribute_public(
    attestation: &Attestation,
    field: &str,
    type_tag: u64,
    predicate: Predicate,
    challenge: Fr,
) -> Result<AttributePublic, SnarkError> {
    if predicate.normalized().is_none() {
        return Err(SnarkError::Unsatisfied);
    }
    Ok(AttributePublic {
        root: root_of(attestation)?,
        name: field_name(field),
        type_tag: Fr::from(type_tag),
        predicate,
        challenge,
    })
}

/// The holder's side of "the sum of `field` over these attested records is at least
/// `threshold`" (all records must give the field the same type and scale).
pub fn sum_statement(
    held: &[&AttestedRecord],
    field: &str,
    threshold: i64,
    challenge: Fr,
) -> Result<(SumPublic, SumPrivate), SnarkError> {
    if held.is_empty() || held.len() > MAX_RECORDS {
        return Err(SnarkError::TooManyInputs {
            count: held.len(),
            max: MAX_RECORDS,
        });
    }
    let mut records = Vec::with_capacity(held.len());
    let mut tag = None;
    for h in held {
        let (value, salt, path, t) = numeric_opening(h, field)?;
        if tag.is_some_and(|x| x != t) {
            return Err(SnarkError::Unsatisfied);
        }
        tag = Some(t);
        records.push(SumRecord { value, salt, path });
    }
    let attestations: Vec<&Attestation> = held.iter().map(|h| h.attestation()).collect();
    let public = sum_public(&attestations, field, tag.unwrap_or(0), threshold, challenge)?;
    Ok((public, SumPrivate { records }))
}

/// The verifier's side of [`sum_statement`]. It refuses a repeated Poseidon root, and nothing
/// more: it checks no record id (issue 11 item 8), no attestation version, subject, issuer or
/// validity. A verifier of sums over attested records uses a Groth16 presentation
/// (`Presentation::verify_with_keys`), which runs the terms check (`check_terms` in
/// `core/src/statement/resolve.rs`) and every other check; so must any consumer of the
/// exported Solidity verifier, off chain, before it trusts a sum.
pub fn sum_public(
    attestations: &[&Attestation],
    field: &str,
    type_tag: u64,
    threshold: i64,
    challenge: Fr,
) -> Result<SumPublic, SnarkError> {
    if attestations.is_empty() || attestations.len() > MAX_RECORDS {
        return Err(SnarkError::TooManyInputs {
            count: attestations.len(),
            max: MAX_RECORDS,
        });
    }
    let public = SumPublic {
        roots: attestations
            .iter()
            .map(|a| root_of(a))
            .collect::<Result<_, _>>()?,
        name: field_name(field),
        type_tag: Fr::from(type_tag),
        threshold,
        challenge,
    };
    if !public.distinct_roots() {
        return Err(SnarkError::Unsatisfied);
    }
    Ok(public)
}

/// A verifier's challenge bytes as the field element the statements bind
/// (`H("causeway/groth16-challenge/v1", bytes)`, 253 bits).
pub fn challenge_field(challenge: &[u8]) -> Fr {
    hash_to_field(b"causeway/groth16-challenge/v1", challenge)
}
