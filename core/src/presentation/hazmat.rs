//! Hazardous editing, for adversarial tests: the holder (who has the key) changes any part of
//! a presentation and signs it again. Nothing here weakens verification.

use super::*;

/// A disclosure's parts.
#[derive(Clone, Debug)]
pub struct DisclosureParts {
    /// Attestation index.
    pub attestation: u16,
    /// Field name.
    pub name: String,
    /// Disclosed value.
    pub value: Value,
    /// Salt bytes (must be a canonical BN254 element).
    pub salt: [u8; 32],
    /// Merkle path.
    pub path: MerklePath,
    /// Pedersen blinding bytes (canonical scalar) for numeric fields.
    pub blinding: Option<[u8; 32]>,
}

/// A presentation's parts.
#[derive(Clone, Debug)]
pub struct PresentationParts {
    /// Attestations.
    pub attestations: Vec<Attestation>,
    /// Disclosures.
    pub disclosures: Vec<DisclosureParts>,
    /// Statements.
    pub statements: Vec<Statement>,
    /// Encoded proofs (see `docs/spec/attestations.md`).
    pub proofs: Vec<u8>,
    /// The back-end the proofs are for.
    pub backend: Backend,
}

/// The parts of a presentation.
pub fn parts(p: &Presentation) -> PresentationParts {
    let mut proofs = Vec::new();
    p.proofs.encode(&mut proofs);
    PresentationParts {
        attestations: p.attestations.clone(),
        disclosures: p
            .disclosures
            .iter()
            .map(|d| DisclosureParts {
                attestation: d.attestation,
                name: d.name.clone(),
                value: d.value.clone(),
                salt: *d.salt.as_bytes(),
                path: d.path.clone(),
                blinding: d.blinding.map(|b| b.to_bytes()),
            })
            .collect(),
        statements: p.statements.clone(),
        proofs,
        backend: p.backend(),
    }
}

/// Assembles parts and signs them as `holder` for `challenge`.
pub fn sign(
    parts: PresentationParts,
    holder: &SecretKeys,
    challenge: &Challenge,
) -> Result<Presentation, DecodeError> {
    let mut disclosures = Vec::with_capacity(parts.disclosures.len());
    for d in parts.disclosures {
        disclosures.push(Disclosure {
            attestation: d.attestation,
            name: d.name,
            value: d.value,
            salt: FieldSalt::from_bytes(&d.salt)?,
            path: d.path,
            blinding: match d.blinding {
                Some(b) => Some(scalar_from_canonical(&b)?),
                None => None,
            },
        });
    }
    let mut r = Reader::new(&parts.proofs);
    let version = match parts.backend {
        Backend::Groth16 => PRESENTATION_VERSION_GROTH16,
        _ => PRESENTATION_VERSION,
    };
    let column = parts.statements.iter().any(Statement::is_all);
    let proofs = Proofs::decode(&mut r, version, column)?;
    r.finish()?;
    let mut p = Presentation {
        attestations: parts.attestations,
        holder: holder.public(),
        disclosures,
        statements: parts.statements,
        proofs,
        signature: [0; 64],
    };
    p.signature = holder.sign(&p.signed_message(challenge));
    Ok(p)
}
