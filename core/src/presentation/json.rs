//! The JSON views of a presentation and of what it established: typed structs
//! ([`PresentationJson`], [`VerifiedJson`]) that serialize (serde) to the JSON documented in
//! `docs/spec/attestations.md` and print as that JSON (`Display`), so no public signature
//! returns a `serde_json::Value`.

use super::*;
use crate::commit::FieldCommitment;

/// An attestation as the JSON view of a [`Presentation`] shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresentedAttestation {
    /// The attestation's id.
    pub id: AttestationId,
    /// The issuer (not yet checked against trusted issuers).
    pub issuer: KeyId,
    /// The subject.
    pub subject: KeyId,
    /// The schema id.
    pub schema: String,
    /// First second of validity.
    pub not_before: u64,
    /// Last second of validity.
    pub not_after: u64,
    /// The attested Poseidon root (hex in JSON).
    pub root: FieldCommitment,
    /// The signed record id (`None` for a version-1 attestation; absent from the JSON then).
    pub record_id: Option<RecordId>,
}

/// The JSON view of a [`Presentation`] ([`Presentation::to_json`]): a readable summary and
/// the canonical bytes. It serializes (serde) and prints (`Display`, compact) as
/// `{"type": "causeway-presentation", "version", "backend", "holder", "attestations",
/// "disclosed", "statements", "bytes"}`; [`Presentation::from_json`] parses that text back.
///
/// ```
/// use causeway::attest::{issue, Terms};
/// use causeway::party::Party;
/// use causeway::presentation::{Challenge, Presentation};
/// use causeway::record::{Record, Value};
/// let bureau = Party::generate()?;
/// let alice = Party::generate()?;
/// let record = Record::new("credit/v1")?.with("score", Value::Int(742))?;
/// let held = issue(bureau.keys(), &record, &Terms::for_days(alice.key_id(), 0, 365))?;
/// let challenge = Challenge::random()?;
/// let p = Presentation::create(alice.keys(), &[&held], &[(0, "score")], &[], &challenge)?;
/// let view = p.to_json();
/// assert_eq!(view.disclosed[0].value, Value::Int(742));
/// assert_eq!(view.bytes, p.to_bytes());
/// let back = Presentation::from_json(&view.to_string())?;
/// assert_eq!(back.to_bytes(), p.to_bytes());
/// # Ok::<(), causeway::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PresentationJson {
    /// Format version ([`PRESENTATION_VERSION`] or [`PRESENTATION_VERSION_GROTH16`]).
    pub version: u8,
    /// The back-end the statements are proven with.
    pub backend: Backend,
    /// The holder's public keys (their text form in JSON).
    pub holder: PublicKeys,
    /// The attestations, in presentation order.
    pub attestations: Vec<PresentedAttestation>,
    /// The disclosed fields (not yet verified).
    pub disclosed: Vec<DisclosedField>,
    /// The statements claimed (not yet verified).
    pub statements: Vec<Statement>,
    /// The canonical bytes (base64url in JSON).
    pub bytes: Vec<u8>,
}

/// The JSON view of a [`Verified`] ([`Verified::to_json`]): it serializes (serde) and prints
/// (`Display`, compact) as `{"backend", "subject", "attestations", "disclosed",
/// "statements"}` (`docs/spec/attestations.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedJson {
    /// The back-end the statements were proven with.
    pub backend: Backend,
    /// The holder.
    pub subject: KeyId,
    /// The attestations, in presentation order.
    pub attestations: Vec<VerifiedAttestation>,
    /// The disclosed fields.
    pub disclosed: Vec<DisclosedField>,
    /// The statements proven.
    pub statements: Vec<Statement>,
}

fn disclosed_json(disclosed: &[DisclosedField]) -> Vec<Json> {
    disclosed
        .iter()
        .map(|d| {
            json!({
                "attestation": d.attestation,
                "field": d.name,
                "type": d.value.type_name(),
                "value": d.value.bare(),
            })
        })
        .collect()
}

impl VerifiedJson {
    /// The JSON value (one rendering for `Serialize` and `Display`).
    pub(crate) fn value(&self) -> Json {
        json!({
            "backend": self.backend.to_string(),
            "subject": self.subject.to_string(),
            "attestations": self.attestations.iter().map(|a| {
                let mut j = json!({
                    "id": a.id.to_string(),
                    "issuer": a.issuer.to_string(),
                    "schema": a.schema,
                    "not_before": a.not_before,
                    "not_after": a.not_after,
                });
                if let (Some(r), Some(o)) = (a.record_id, j.as_object_mut()) {
                    o.insert("record_id".into(), json!(r.to_string()));
                }
                j
            }).collect::<Vec<_>>(),
            "disclosed": disclosed_json(&self.disclosed),
            "statements": self.statements.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        })
    }
}

impl PresentationJson {
    /// The JSON value (one rendering for `Serialize`, `Display` and the check in
    /// [`Presentation::from_json`]).
    pub(crate) fn value(&self) -> Json {
        json!({
            "type": "causeway-presentation",
            "version": self.version,
            "backend": self.backend.to_string(),
            "holder": self.holder.to_text(),
            "attestations": self.attestations.iter().map(|a| {
                let mut j = json!({
                    "id": a.id.to_string(),
                    "issuer": a.issuer.to_string(),
                    "subject": a.subject.to_string(),
                    "schema": a.schema,
                    "not_before": a.not_before,
                    "not_after": a.not_after,
                    "root": hex::encode(a.root.to_bytes()),
                });
                if let (Some(r), Some(o)) = (a.record_id, j.as_object_mut()) {
                    o.insert("record_id".into(), json!(r.to_string()));
                }
                j
            }).collect::<Vec<_>>(),
            "disclosed": disclosed_json(&self.disclosed),
            "statements": self.statements.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "bytes": b64u_encode(&self.bytes),
        })
    }
}

impl serde::Serialize for PresentationJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl serde::Serialize for VerifiedJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl fmt::Display for PresentationJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value(), f)
    }
}

impl fmt::Display for VerifiedJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value(), f)
    }
}

impl Verified {
    /// The JSON view (a typed struct that serializes and prints as JSON).
    pub fn to_json(&self) -> VerifiedJson {
        VerifiedJson {
            backend: self.backend,
            subject: self.subject,
            attestations: self.attestations.clone(),
            disclosed: self.disclosed.clone(),
            statements: self.statements.clone(),
        }
    }

    /// The JSON view as a string.
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }
}

impl Presentation {
    /// The JSON view: a readable summary plus the canonical bytes (see [`PresentationJson`]).
    pub fn to_json(&self) -> PresentationJson {
        PresentationJson {
            version: self.proofs.version(),
            backend: self.backend(),
            holder: self.holder,
            attestations: self
                .attestations
                .iter()
                .map(|a| PresentedAttestation {
                    id: a.id(),
                    issuer: a.issuer(),
                    subject: a.subject(),
                    schema: a.schema().to_owned(),
                    not_before: a.not_before(),
                    not_after: a.not_after(),
                    root: a.root(),
                    record_id: a.record_id(),
                })
                .collect(),
            disclosed: self
                .disclosures
                .iter()
                .map(|d| DisclosedField {
                    attestation: d.attestation,
                    name: d.name.clone(),
                    value: d.value.clone(),
                })
                .collect(),
            statements: self.statements.clone(),
            bytes: self.to_bytes(),
        }
    }

    /// The JSON view as a string.
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }

    /// Parses the JSON view: decodes `"bytes"` and refuses a summary that does not match them.
    pub fn from_json(s: &str) -> Result<Self, DecodeError> {
        let max = MAX_PRESENTATION_LEN * 2;
        if s.len() > max {
            return Err(DecodeError::TooLong {
                what: "presentation JSON",
                len: s.len(),
                max,
            });
        }
        let v: Json = serde_json::from_str(s).map_err(|e| DecodeError::json(&e))?;
        let b = v
            .get("bytes")
            .and_then(Json::as_str)
            .ok_or(DecodeError::Invalid {
                what: "presentation JSON (bytes)",
            })?;
        let p = Self::from_bytes(&b64u_decode("presentation", b, MAX_PRESENTATION_LEN)?)?;
        if p.to_json().value() != v {
            return Err(DecodeError::Invalid {
                what: "presentation JSON (summary does not match the bytes)",
            });
        }
        Ok(p)
    }
}
