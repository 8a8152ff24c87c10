//! Presentations: what a holder gives a verifier.
//!
//! A [`Presentation`] carries one or more attestations about the holder, the fields the holder
//! discloses (value, salt and Merkle path to the attested Poseidon root; for numeric fields
//! also the Pedersen opening), statements about hidden fields with their proofs, and the
//! holder's Ed25519 signature over all of it and the verifier's [`Challenge`]. The proofs run
//! on a transcript that binds the challenge, the attestations' ids and the holder, so a
//! presentation made for one verifier's challenge does not verify for another.
//!
//! [`Presentation::verify`] returns a [`Verified`]: exactly what was established — the
//! disclosed values, the statements proven, the issuers and the subject.
//!
//! ```
//! use causeway::attest::{issue, NoRevocations, Terms};
//! use causeway::party::Party;
//! use causeway::presentation::{Challenge, Presentation};
//! use causeway::record::{Record, Value};
//! use causeway::statement::Statement;
//! let bureau = Party::generate()?;
//! let alice = Party::generate()?;
//! let record = Record::new("credit/v1")?
//!     .with("score", Value::Int(742))?
//!     .with("name", Value::String("Alice".into()))?;
//! let terms = Terms { subject: alice.key_id(), not_before: 0, not_after: u64::MAX };
//! let held = issue(bureau.keys(), &record, &terms)?;
//! let challenge = Challenge::random()?;
//! let st = Statement::parse("score >= 700", 1)?;
//! let p = Presentation::create(alice.keys(), &[&held], &[(0, "name")], &[st], &challenge)?;
//! let v = p.verify(&[bureau.public()], &challenge, 1_800_000_000, &NoRevocations)?;
//! assert_eq!(v.statements()[0].to_string(), "score >= 700");
//! assert_eq!(v.disclosed()[0].value, Value::String("Alice".into()));
//! # Ok::<(), causeway::Error>(())
//! ```

use crate::attest::{
    Attestation, AttestationId, AttestedRecord, RecordId, RevocationCheck, MAX_ATTESTATION_LEN,
};
use crate::commit::{
    field_leaf, numeric_value, path_reaches, scalar_from_canonical, FieldSalt, RangeOpening,
    TREE_DEPTH,
};
use crate::encoding::{
    b64u_decode, b64u_encode, put_bytes_u16, put_bytes_u32, read_header, write_header, Reader, Tag,
};
use crate::error::{DecodeError, ProveError, RecordError, VerifyError};
use crate::party::{KeyId, Party, PublicKeys, SecretKeys};
use crate::record::{Value, MAX_NAME_LEN};
use crate::snark::{KeyRing, Proof, PROOF_BYTES};
use crate::statement::{
    append, prove_statements, verify_statements, Backend, Bound, Predicate, Statement,
    StatementProofs,
};
use causeway_circuits::field::{fr_from_be_bytes_canonical, fr_to_be_bytes};
use causeway_circuits::merkle::MerklePath;
use core::fmt;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use serde_json::{json, Value as Json};

/// Format version of presentations whose statements are proven with Bulletproofs.
pub const PRESENTATION_VERSION: u8 = 1;
/// Format version of presentations whose statements are proven with Groth16 (same layout, the
/// proofs section is `count u16 | Groth16 proof (164 bytes)…`, one per statement).
pub const PRESENTATION_VERSION_GROTH16: u8 = 2;
/// The holder's signing namespace.
pub const PRESENTATION_NAMESPACE: &[u8] = b"causeway/presentation/v1";
/// The label of the proofs' transcript.
pub const TRANSCRIPT_LABEL: &[u8] = b"causeway-presentation v1";
/// Most attestations in one presentation.
pub const MAX_ATTESTATIONS: usize = 64;
/// Most disclosures in one presentation.
pub const MAX_DISCLOSURES: usize = 256;
/// Most statements in one presentation.
pub const MAX_STATEMENTS: usize = 64;
/// Largest encoded presentation.
pub const MAX_PRESENTATION_LEN: usize = 4 * 1024 * 1024;
pub use crate::proof::{Challenge, MAX_CHALLENGE_LEN, MIN_CHALLENGE_LEN};

// The type lives at the bottom of the crate (`crate::proof`, decision 0045); its fallible
// constructors stay here, next to the errors they return.
impl Challenge {
    /// 32 random bytes from the operating system.
    pub fn random() -> Result<Self, crate::error::KeyError> {
        let mut b = vec![0u8; 32];
        getrandom::getrandom(&mut b).map_err(|_| crate::error::KeyError::Rng)?;
        Ok(Challenge(b))
    }
    /// A challenge from bytes (16 to 64).
    pub fn from_bytes(b: &[u8]) -> Result<Self, DecodeError> {
        if !(MIN_CHALLENGE_LEN..=MAX_CHALLENGE_LEN).contains(&b.len()) {
            return Err(DecodeError::Invalid {
                what: "challenge length (16 to 64 bytes)",
            });
        }
        Ok(Challenge(b.to_vec()))
    }
    /// Parses hex text.
    pub fn from_hex(s: &str) -> Result<Self, DecodeError> {
        let s = s.trim();
        if s.len() > 2 * MAX_CHALLENGE_LEN {
            return Err(DecodeError::Invalid { what: "challenge" });
        }
        let b = hex::decode(s).map_err(|_| DecodeError::Invalid {
            what: "challenge hex",
        })?;
        Self::from_bytes(&b)
    }
}

/// A disclosed field with its openings.
#[derive(Clone, Debug)]
pub struct Disclosure {
    attestation: u16,
    name: String,
    value: Value,
    salt: FieldSalt,
    path: MerklePath,
    blinding: Option<Scalar>,
}

/// A field the verifier learned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisclosedField {
    /// Index of the attestation in the presentation.
    pub attestation: u16,
    /// The field name.
    pub name: String,
    /// The value.
    pub value: Value,
}

/// What an attestation in a verified presentation established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedAttestation {
    /// The attestation's id.
    pub id: AttestationId,
    /// The issuer (one of the caller's trusted issuers).
    pub issuer: KeyId,
    /// The schema id.
    pub schema: String,
    /// First second of validity.
    pub not_before: u64,
    /// Last second of validity.
    pub not_after: u64,
    /// The signed record id (`None` for a version-1 attestation).
    pub record_id: Option<RecordId>,
}

/// Exactly what a verified presentation established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    backend: Backend,
    subject: KeyId,
    attestations: Vec<VerifiedAttestation>,
    disclosed: Vec<DisclosedField>,
    statements: Vec<Statement>,
}

impl Verified {
    /// The back-end the statements were proven with.
    pub fn backend(&self) -> Backend {
        self.backend
    }
    /// The holder, subject of every attestation (proven by its signature).
    pub fn subject(&self) -> KeyId {
        self.subject
    }
    /// The attestations, in presentation order.
    pub fn attestations(&self) -> &[VerifiedAttestation] {
        &self.attestations
    }
    /// The disclosed fields.
    pub fn disclosed(&self) -> &[DisclosedField] {
        &self.disclosed
    }
    /// The statements proven.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
    /// A disclosed value.
    pub fn value(&self, attestation: u16, name: &str) -> Option<&Value> {
        self.disclosed
            .iter()
            .find(|d| d.attestation == attestation && d.name == name)
            .map(|d| &d.value)
    }
    /// The JSON view.
    pub fn to_json(&self) -> Json {
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
            "disclosed": self.disclosed.iter().map(|d| json!({
                "attestation": d.attestation,
                "field": d.name,
                "type": d.value.type_name(),
                "value": d.value.bare(),
            })).collect::<Vec<_>>(),
            "statements": self.statements.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        })
    }
}

/// The one value codec ([`Value::encode`]), with a presentation's error type.
fn decode_value(r: &mut Reader<'_>) -> Result<Value, DecodeError> {
    Value::decode(r).map_err(|e| match e {
        RecordError::Decode(d) => d,
        _ => DecodeError::Invalid {
            what: "disclosed value",
        },
    })
}

/// A holder's presentation (see the module docs).
#[derive(Clone, Debug)]
pub struct Presentation {
    attestations: Vec<Attestation>,
    holder: PublicKeys,
    disclosures: Vec<Disclosure>,
    statements: Vec<Statement>,
    proofs: Proofs,
    signature: [u8; 64],
}

/// The statements' proofs, by back-end.
#[derive(Clone, Debug)]
enum Proofs {
    Bulletproofs(Box<StatementProofs>),
    Groth16(Vec<Proof>),
}

impl Proofs {
    fn backend(&self) -> Backend {
        match self {
            Proofs::Bulletproofs(_) => Backend::Bulletproofs,
            Proofs::Groth16(_) => Backend::Groth16,
        }
    }

    fn version(&self) -> u8 {
        match self {
            Proofs::Bulletproofs(_) => PRESENTATION_VERSION,
            Proofs::Groth16(_) => PRESENTATION_VERSION_GROTH16,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Proofs::Bulletproofs(p) => p.encode(out),
            Proofs::Groth16(ps) => {
                out.extend_from_slice(&(ps.len() as u16).to_be_bytes());
                for p in ps {
                    out.extend_from_slice(&p.to_bytes());
                }
            }
        }
    }

    fn decode(r: &mut Reader<'_>, version: u8) -> Result<Self, DecodeError> {
        if version == PRESENTATION_VERSION_GROTH16 {
            let n = r.u16()? as usize;
            if n > MAX_STATEMENTS {
                return Err(DecodeError::TooLong {
                    what: "Groth16 proofs",
                    len: n,
                    max: MAX_STATEMENTS,
                });
            }
            let mut ps = Vec::with_capacity(n);
            for _ in 0..n {
                ps.push(Proof::from_bytes(&r.array::<PROOF_BYTES>()?)?);
            }
            Ok(Proofs::Groth16(ps))
        } else {
            Ok(Proofs::Bulletproofs(Box::new(StatementProofs::decode(
                r,
                MAX_STATEMENTS,
            )?)))
        }
    }
}

fn transcript(challenge: &Challenge, attestations: &[&Attestation], holder: &KeyId) -> Transcript {
    let mut t = Transcript::new(b"causeway");
    append(&mut t, b"protocol", TRANSCRIPT_LABEL);
    append(&mut t, b"challenge", challenge.as_bytes());
    append(
        &mut t,
        b"attestations",
        &(attestations.len() as u64).to_be_bytes(),
    );
    for a in attestations {
        append(&mut t, b"attestation", &a.id().0);
    }
    append(&mut t, b"holder", holder.as_bytes());
    t
}

impl Presentation {
    /// Builds a presentation: `disclose` lists `(attestation index, field)` pairs to reveal,
    /// `statements` are proven about (hidden or disclosed) numeric fields; everything is bound
    /// to `challenge` and signed by `holder`, who must be the subject of every attestation.
    pub fn create(
        holder: &SecretKeys,
        held: &[&AttestedRecord],
        disclose: &[(u16, &str)],
        statements: &[Statement],
        challenge: &Challenge,
    ) -> Result<Self, ProveError> {
        Self::create_with_rng(
            holder,
            held,
            disclose,
            statements,
            challenge,
            &mut rand_core::OsRng,
        )
    }

    /// [`Presentation::create`] with the given RNG.
    pub fn create_with_rng<R: RngCore + CryptoRng>(
        holder: &SecretKeys,
        held: &[&AttestedRecord],
        disclose: &[(u16, &str)],
        statements: &[Statement],
        challenge: &Challenge,
        rng: &mut R,
    ) -> Result<Self, ProveError> {
        Self::create_with_backend_rng(
            holder,
            held,
            disclose,
            statements,
            challenge,
            (Backend::Bulletproofs, &KeyRing::new()),
            rng,
        )
    }

    /// [`Presentation::create`] with the statements proven by `backend`: one statement,
    /// either way. Groth16 needs the proving key of each statement's circuit shape in `keys`
    /// ([`crate::snark::statements::statement_circuit`]; [`ProveError::NoKey`] otherwise) and
    /// proves on the attestations' Poseidon roots; Bulletproofs ignores `keys`.
    pub fn create_with(
        holder: &SecretKeys,
        held: &[&AttestedRecord],
        disclose: &[(u16, &str)],
        statements: &[Statement],
        challenge: &Challenge,
        backend: Backend,
        keys: &KeyRing,
    ) -> Result<Self, ProveError> {
        Self::create_with_backend_rng(
            holder,
            held,
            disclose,
            statements,
            challenge,
            (backend, keys),
            &mut rand_core::OsRng,
        )
    }

    /// [`Presentation::create_with`] with the given RNG.
    pub fn create_with_backend_rng<R: RngCore + CryptoRng>(
        holder: &SecretKeys,
        held: &[&AttestedRecord],
        disclose: &[(u16, &str)],
        statements: &[Statement],
        challenge: &Challenge,
        (backend, keys): (Backend, &KeyRing),
        rng: &mut R,
    ) -> Result<Self, ProveError> {
        if held.is_empty() || held.len() > MAX_ATTESTATIONS {
            return Err(ProveError::Limit("1 to 64 attestations"));
        }
        if disclose.len() > MAX_DISCLOSURES {
            return Err(ProveError::Limit("too many disclosures"));
        }
        if statements.len() > MAX_STATEMENTS {
            return Err(ProveError::Limit("too many statements"));
        }
        let hk = holder.public();
        if held
            .iter()
            .any(|h| h.attestation().subject() != hk.key_id())
        {
            return Err(ProveError::NotSubject);
        }
        let mut disclosures: Vec<Disclosure> = Vec::with_capacity(disclose.len());
        type Tree = (causeway_circuits::merkle::PoseidonTree, Vec<u64>);
        let mut trees: Vec<Option<Tree>> = vec![None; held.len()];
        for (i, name) in disclose {
            if disclosures
                .iter()
                .any(|d| d.attestation == *i && d.name == *name)
            {
                return Err(ProveError::InvalidStatement("field disclosed twice"));
            }
            let h = held.get(usize::from(*i)).ok_or(ProveError::MissingField)?;
            let idx = h.field_index(name).ok_or(ProveError::MissingField)?;
            let value = h
                .record()
                .get(name)
                .ok_or(ProveError::MissingField)?
                .clone();
            let salt = h.salt(name).ok_or(ProveError::MissingField)?.clone();
            let slot = trees
                .get_mut(usize::from(*i))
                .ok_or(ProveError::MissingField)?;
            if slot.is_none() {
                *slot = Some(h.tree().map_err(|_| ProveError::Range("Poseidon tree"))?);
            }
            let (tree, positions) = slot.as_ref().ok_or(ProveError::Range("Poseidon tree"))?;
            let position = positions.get(idx).ok_or(ProveError::MissingField)?;
            let path = tree
                .path(*position)
                .map_err(|_| ProveError::Range("Merkle path"))?;
            let blinding = h.range_opening(name).map(|(_, o)| *o.blinding());
            disclosures.push(Disclosure {
                attestation: *i,
                name: (*name).to_owned(),
                value,
                salt,
                path,
                blinding,
            });
        }
        let atts: Vec<&Attestation> = held.iter().map(|h| h.attestation()).collect();
        let proofs = match backend {
            Backend::Groth16 => Proofs::Groth16(crate::snark::statements::prove_statements(
                held,
                statements,
                keys,
                challenge,
                &hk.key_id(),
                rng,
            )?),
            _ => {
                let mut t = transcript(challenge, &atts, &hk.key_id());
                Proofs::Bulletproofs(Box::new(prove_statements(&mut t, held, statements, rng)?))
            }
        };
        let mut p = Presentation {
            attestations: atts.into_iter().cloned().collect(),
            holder: hk,
            disclosures,
            statements: statements.to_vec(),
            proofs,
            signature: [0; 64],
        };
        p.signature = holder.sign(&p.signed_message(challenge));
        Ok(p)
    }

    fn signed_message(&self, challenge: &Challenge) -> Vec<u8> {
        let mut m = PRESENTATION_NAMESPACE.to_vec();
        m.push(challenge.as_bytes().len() as u8);
        m.extend_from_slice(challenge.as_bytes());
        m.extend_from_slice(&self.body());
        m
    }

    fn body(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        write_header(&mut out, self.proofs.version(), Tag::Presentation);
        out.extend_from_slice(&(self.attestations.len() as u16).to_be_bytes());
        for a in &self.attestations {
            put_bytes_u32(&mut out, &a.to_bytes());
        }
        out.extend_from_slice(self.holder.signing().as_bytes());
        out.extend_from_slice(self.holder.encryption().as_bytes());
        out.extend_from_slice(&(self.disclosures.len() as u16).to_be_bytes());
        for d in &self.disclosures {
            out.extend_from_slice(&d.attestation.to_be_bytes());
            put_bytes_u16(&mut out, d.name.as_bytes());
            d.value.encode(&mut out);
            out.extend_from_slice(d.salt.as_bytes());
            out.push(d.path.index as u8);
            for s in &d.path.siblings {
                out.extend_from_slice(&fr_to_be_bytes(s));
            }
            match &d.blinding {
                Some(b) => {
                    out.push(1);
                    out.extend_from_slice(b.as_bytes());
                }
                None => out.push(0),
            }
        }
        out.extend_from_slice(&(self.statements.len() as u16).to_be_bytes());
        for s in &self.statements {
            s.encode(&mut out);
        }
        self.proofs.encode(&mut out);
        out
    }

    /// The canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.body();
        b.extend_from_slice(&self.signature);
        b
    }

    /// Strict decoding (caps before allocation, canonical points, scalars and field elements,
    /// no trailing bytes). Verification is separate: [`Presentation::verify`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > MAX_PRESENTATION_LEN {
            return Err(DecodeError::TooLong {
                what: "presentation",
                len: bytes.len(),
                max: MAX_PRESENTATION_LEN,
            });
        }
        let mut r = Reader::new(bytes);
        let version = read_header(
            &mut r,
            Tag::Presentation,
            &[PRESENTATION_VERSION, PRESENTATION_VERSION_GROTH16],
        )?;
        let n = r.u16()? as usize;
        if n == 0 || n > MAX_ATTESTATIONS {
            return Err(DecodeError::Invalid {
                what: "number of attestations",
            });
        }
        let mut attestations = Vec::with_capacity(n);
        for _ in 0..n {
            attestations.push(Attestation::from_bytes(
                r.bytes_u32("attestation", MAX_ATTESTATION_LEN)?,
            )?);
        }
        let sk = r.array::<32>()?;
        let ek = r.array::<32>()?;
        let holder = PublicKeys::from_bytes(&sk, &ek).map_err(|_| DecodeError::Invalid {
            what: "holder public keys",
        })?;
        let n = r.u16()? as usize;
        if n > MAX_DISCLOSURES {
            return Err(DecodeError::TooLong {
                what: "disclosures",
                len: n,
                max: MAX_DISCLOSURES,
            });
        }
        let mut disclosures: Vec<Disclosure> = Vec::with_capacity(n);
        for _ in 0..n {
            let attestation = r.u16()?;
            let name = r.str_u16("field name", MAX_NAME_LEN)?.to_owned();
            if disclosures
                .iter()
                .any(|d| d.attestation == attestation && d.name == name)
            {
                return Err(DecodeError::Invalid {
                    what: "duplicate disclosure",
                });
            }
            let value = decode_value(&mut r)?;
            let salt = FieldSalt::from_bytes(&r.array()?)?;
            let index = u64::from(r.u8()?);
            let mut siblings = Vec::with_capacity(TREE_DEPTH);
            for _ in 0..TREE_DEPTH {
                siblings.push(fr_from_be_bytes_canonical(&r.array()?).map_err(|_| {
                    DecodeError::Invalid {
                        what: "Merkle sibling (not canonical)",
                    }
                })?);
            }
            let blinding = match r.u8()? {
                0 => None,
                1 => Some(scalar_from_canonical(&r.array()?)?),
                _ => {
                    return Err(DecodeError::Invalid {
                        what: "blinding flag",
                    })
                }
            };
            disclosures.push(Disclosure {
                attestation,
                name,
                value,
                salt,
                path: MerklePath { index, siblings },
                blinding,
            });
        }
        let n = r.u16()? as usize;
        if n > MAX_STATEMENTS {
            return Err(DecodeError::TooLong {
                what: "statements",
                len: n,
                max: MAX_STATEMENTS,
            });
        }
        let mut statements = Vec::with_capacity(n);
        for _ in 0..n {
            statements.push(Statement::decode(&mut r)?);
        }
        let proofs = Proofs::decode(&mut r, version)?;
        let signature = r.array::<64>()?;
        r.finish()?;
        Ok(Presentation {
            attestations,
            holder,
            disclosures,
            statements,
            proofs,
            signature,
        })
    }

    /// The attestations.
    pub fn attestations(&self) -> &[Attestation] {
        &self.attestations
    }
    /// The holder's public keys.
    pub fn holder(&self) -> &PublicKeys {
        &self.holder
    }
    /// The statements claimed (not yet verified).
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
    /// The back-end the statements are proven with.
    pub fn backend(&self) -> Backend {
        self.proofs.backend()
    }
    /// The Groth16 key ids the proofs name (empty for Bulletproofs), in statement order.
    pub fn groth16_key_ids(&self) -> Vec<crate::snark::VerifyingKeyId> {
        self.groth16_proofs().iter().map(Proof::key_id).collect()
    }
    /// The Groth16 proofs, one per statement (empty for Bulletproofs). For an external
    /// verifier (a contract, snarkjs) with [`Presentation::groth16_public_inputs`]; verify the
    /// attestations and the holder's signature first ([`Presentation::verify_with_keys`] does
    /// everything).
    pub fn groth16_proofs(&self) -> &[Proof] {
        match &self.proofs {
            Proofs::Groth16(ps) => ps,
            Proofs::Bulletproofs(_) => &[],
        }
    }
    /// The public input of each Groth16 proof as the verifier recomputes it for `challenge`
    /// (from the attestations, the statements and the holder), with the statement's circuit
    /// shape.
    pub fn groth16_public_inputs(
        &self,
        challenge: &Challenge,
    ) -> Result<Vec<(crate::snark::Circuit, Vec<crate::snark::Fr>)>, VerifyError> {
        let atts: Vec<&Attestation> = self.attestations.iter().collect();
        crate::snark::statements::public_inputs(
            &atts,
            &self.statements,
            challenge,
            &self.holder.key_id(),
        )
    }

    /// Each Groth16 proof with the public inputs it verifies against for `challenge`, ready for
    /// `snarkjs groth16 verify` (`proof.json`, `public.json`) and the generated Solidity verifier
    /// (see [`crate::snark::export`]). Empty for a Bulletproofs presentation. The export says
    /// nothing about issuers, validity or revocation: verify the presentation itself
    /// ([`Presentation::verify_with_keys`]) for those.
    pub fn groth16_exports(
        &self,
        challenge: &Challenge,
    ) -> Result<Vec<crate::snark::Groth16Export>, VerifyError> {
        if self.backend() != Backend::Groth16 {
            return Ok(Vec::new());
        }
        let proofs = self.groth16_proofs();
        let publics = self.groth16_public_inputs(challenge)?;
        if proofs.len() != publics.len() {
            return Err(VerifyError::InvalidStatement(
                "one Groth16 proof per statement",
            ));
        }
        Ok(publics
            .into_iter()
            .zip(proofs.iter())
            .map(
                |((circuit, public_inputs), proof)| crate::snark::Groth16Export {
                    circuit,
                    proof: proof.clone(),
                    public_inputs,
                },
            )
            .collect())
    }

    /// Verifies everything and returns what was established: every attestation is signed by
    /// one of `trusted_issuers`, valid at `now` (unix seconds) and not revoked; the holder is
    /// the subject of each and signed the presentation for `challenge`; every disclosed field
    /// opens the attested commitments; every statement's proof verifies. A Groth16
    /// presentation needs the verifier's keys: [`Presentation::verify_with_keys`] (here it
    /// fails with [`VerifyError::NoKey`]).
    pub fn verify(
        &self,
        trusted_issuers: &[PublicKeys],
        challenge: &Challenge,
        now: u64,
        revocations: &(impl RevocationCheck + ?Sized),
    ) -> Result<Verified, VerifyError> {
        self.verify_with_keys(
            trusted_issuers,
            challenge,
            now,
            revocations,
            &KeyRing::new(),
        )
    }

    /// [`Presentation::verify`] with the verifier's Groth16 verifying keys, pinned by circuit
    /// shape: each Groth16 proof must name the verifier's key for its statement's shape
    /// ([`VerifyError::WrongKey`] otherwise) and verify against the public input the verifier
    /// recomputes from the attestations, the statement, its challenge and the holder
    /// ([`crate::snark::statements`]). Bulletproofs presentations ignore `keys`.
    pub fn verify_with_keys(
        &self,
        trusted_issuers: &[PublicKeys],
        challenge: &Challenge,
        now: u64,
        revocations: &(impl RevocationCheck + ?Sized),
        keys: &KeyRing,
    ) -> Result<Verified, VerifyError> {
        let mut verified_atts = Vec::with_capacity(self.attestations.len());
        for a in &self.attestations {
            let issuer = a.verify(trusted_issuers, now, revocations)?;
            verified_atts.push(VerifiedAttestation {
                id: a.id(),
                issuer: issuer.key_id(),
                schema: a.schema().to_owned(),
                not_before: a.not_before(),
                not_after: a.not_after(),
                record_id: a.record_id(),
            });
        }
        let subject = self.holder.key_id();
        if self.attestations.iter().any(|a| a.subject() != subject) {
            return Err(VerifyError::WrongSubject);
        }
        self.holder
            .verify(&self.signed_message(challenge), &self.signature)
            .map_err(|_| VerifyError::BadSignature)?;
        let mut disclosed = Vec::with_capacity(self.disclosures.len());
        for d in &self.disclosures {
            let a = self
                .attestations
                .get(usize::from(d.attestation))
                .ok_or(VerifyError::Disclosure)?;
            let leaf =
                field_leaf(&d.name, &d.value, &d.salt).map_err(|_| VerifyError::Disclosure)?;
            if !path_reaches(&d.path, &leaf, &a.root()) {
                return Err(VerifyError::Disclosure);
            }
            match (
                numeric_value(&d.value),
                a.numeric_field(&d.name),
                &d.blinding,
            ) {
                (Some((kind, v)), Some(nc), Some(b)) => {
                    if kind != nc.kind || !RangeOpening::new(v, *b).opens(&nc.commitment) {
                        return Err(VerifyError::Disclosure);
                    }
                }
                (None, None, None) => {}
                _ => return Err(VerifyError::Disclosure),
            }
            disclosed.push(DisclosedField {
                attestation: d.attestation,
                name: d.name.clone(),
                value: d.value.clone(),
            });
        }
        let atts: Vec<&Attestation> = self.attestations.iter().collect();
        match &self.proofs {
            Proofs::Bulletproofs(p) => {
                let mut t = transcript(challenge, &atts, &subject);
                verify_statements(&mut t, &atts, &self.statements, p)?;
            }
            Proofs::Groth16(ps) => crate::snark::statements::verify_statements(
                &atts,
                &self.statements,
                ps,
                keys,
                challenge,
                &subject,
            )?,
        }
        Ok(Verified {
            backend: self.proofs.backend(),
            subject,
            attestations: verified_atts,
            disclosed,
            statements: self.statements.clone(),
        })
    }

    /// The JSON view: a readable summary plus the canonical bytes (`"bytes"`, base64url).
    pub fn to_json(&self) -> Json {
        json!({
            "type": "causeway-presentation",
            "version": self.proofs.version(),
            "backend": self.backend().to_string(),
            "holder": self.holder.to_text(),
            "attestations": self.attestations.iter().map(|a| {
                let mut j = json!({
                    "id": a.id().to_string(),
                    "issuer": a.issuer().to_string(),
                    "subject": a.subject().to_string(),
                    "schema": a.schema(),
                    "not_before": a.not_before(),
                    "not_after": a.not_after(),
                    "root": hex::encode(a.root().to_bytes()),
                });
                if let (Some(r), Some(o)) = (a.record_id(), j.as_object_mut()) {
                    o.insert("record_id".into(), json!(r.to_string()));
                }
                j
            }).collect::<Vec<_>>(),
            "disclosed": self.disclosures.iter().map(|d| json!({
                "attestation": d.attestation,
                "field": d.name,
                "type": d.value.type_name(),
                "value": d.value.bare(),
            })).collect::<Vec<_>>(),
            "statements": self.statements.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "bytes": b64u_encode(&self.to_bytes()),
        })
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
        if p.to_json() != v {
            return Err(DecodeError::Invalid {
                what: "presentation JSON (summary does not match the bytes)",
            });
        }
        Ok(p)
    }
}

/// Hazardous editing, for adversarial tests: the holder (who has the key) changes any part of
/// a presentation and signs it again. Nothing here weakens verification.
pub mod hazmat {
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
        let proofs = Proofs::decode(&mut r, version)?;
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
}

/// A field the holder reveals: the attestation's index in the presentation and the field's
/// name. Text form `NAME` (a field of attestation 0) or `INDEX:NAME`.
///
/// ```
/// use causeway::presentation::DiscloseField;
/// assert_eq!(DiscloseField::parse("name")?, DiscloseField::new(0, "name"));
/// assert_eq!(DiscloseField::parse(" 2 : income ")?, DiscloseField::new(2, "income"));
/// assert_eq!(DiscloseField::new(2, "income").to_string(), "2:income");
/// assert!(DiscloseField::parse("x:income").is_err());
/// assert!(DiscloseField::parse("").is_err());
/// # Ok::<(), causeway::error::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DiscloseField {
    /// Index of the attestation in the presentation.
    pub attestation: u16,
    /// The field's name.
    pub name: String,
}

impl DiscloseField {
    /// Field `name` of attestation `attestation`.
    pub fn new(attestation: u16, name: &str) -> Self {
        DiscloseField {
            attestation,
            name: name.to_owned(),
        }
    }

    /// Parses `NAME` or `INDEX:NAME` (spaces around either part are ignored). The index is a
    /// decimal `u16`; the name must be a valid field name (`[A-Za-z_][A-Za-z0-9_.-]*`, at most
    /// 64 bytes).
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        let bad = DecodeError::Invalid {
            what: "disclosure (expected NAME or INDEX:NAME)",
        };
        let (attestation, name) = match text.split_once(':') {
            Some((i, name)) => (i.trim().parse::<u16>().map_err(|_| bad.clone())?, name),
            None => (0, text),
        };
        let name = name.trim();
        crate::record::check_name(name).map_err(|_| bad)?;
        Ok(Self::new(attestation, name))
    }
}

impl core::str::FromStr for DiscloseField {
    type Err = DecodeError;
    fn from_str(s: &str) -> Result<Self, DecodeError> {
        Self::parse(s)
    }
}

impl fmt::Display for DiscloseField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.attestation, self.name)
    }
}

/// The holder's keys, current or retired, that are the subject of `held`: an attestation
/// issued before the holder rotated names a retired key, and only that key can present it.
/// [`ProveError::NotSubject`] if no key of `holder` is the subject of every attestation;
/// [`ProveError::Limit`] without attestations.
///
/// ```
/// use causeway::attest::{issue, Terms};
/// use causeway::party::Party;
/// use causeway::presentation::subject_keys;
/// use causeway::record::{Record, Value};
/// let bureau = Party::generate()?;
/// let mut alice = Party::generate()?;
/// let record = Record::new("credit/v1")?.with("score", Value::Int(742))?;
/// let held = issue(bureau.keys(), &record, &Terms::for_days(alice.key_id(), 0, 365))?;
/// alice.rotate()?; // the attestation names alice's retired key now
/// let keys = subject_keys(&alice, std::slice::from_ref(&held))?;
/// assert_eq!(keys.public().key_id(), held.attestation().subject());
/// # Ok::<(), causeway::Error>(())
/// ```
pub fn subject_keys<'p>(
    holder: &'p Party,
    held: &[AttestedRecord],
) -> Result<&'p SecretKeys, ProveError> {
    let first = held
        .first()
        .ok_or(ProveError::Limit("1 to 64 attestations"))?;
    let subject = first.attestation().subject();
    if held.iter().any(|h| h.attestation().subject() != subject) {
        return Err(ProveError::NotSubject);
    }
    holder.find(&subject).ok_or(ProveError::NotSubject)
}

/// Builds a [`Presentation`]: the one entry point for holders (bindings wrap this). Add the
/// attested records (the first is attestation 0), the fields to disclose and the statements to
/// prove, pick a back-end, then [`build`](Self::build) with the holder's [`Party`]: the
/// builder finds the holder's key (current or retired) that is the attestations' subject.
///
/// ```
/// use causeway::attest::{issue, NoRevocations, Terms};
/// use causeway::party::Party;
/// use causeway::presentation::{Challenge, DiscloseField, PresentationBuilder};
/// use causeway::record::{Record, Value};
/// use causeway::statement::Statement;
/// let bureau = Party::generate()?;
/// let alice = Party::generate()?;
/// let record = Record::new("credit/v1")?
///     .with("score", Value::Int(742))?
///     .with("name", Value::String("Alice".into()))?;
/// let held = issue(bureau.keys(), &record, &Terms::for_days(alice.key_id(), 0, 365))?;
/// let challenge = Challenge::random()?;
/// let p = PresentationBuilder::new(&challenge)
///     .attested(held)
///     .disclose(DiscloseField::parse("name")?)
///     .prove(Statement::parse("score >= 700", 1)?)
///     .build(&alice)?;
/// let v = p.verify(&[bureau.public()], &challenge, 1_000, &NoRevocations)?;
/// assert_eq!(v.statements()[0].to_string(), "score >= 700");
/// # Ok::<(), causeway::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PresentationBuilder {
    challenge: Challenge,
    held: Vec<AttestedRecord>,
    disclose: Vec<DiscloseField>,
    statements: Vec<Statement>,
    backend: Backend,
    keys: KeyRing,
}

impl PresentationBuilder {
    /// A presentation for the verifier's `challenge`, with Bulletproofs statements by default.
    pub fn new(challenge: &Challenge) -> Self {
        PresentationBuilder {
            challenge: challenge.clone(),
            held: Vec::new(),
            disclose: Vec::new(),
            statements: Vec::new(),
            backend: Backend::Bulletproofs,
            keys: KeyRing::new(),
        }
    }

    /// Adds an attested record (the next attestation index).
    pub fn attested(mut self, held: AttestedRecord) -> Self {
        self.held.push(held);
        self
    }

    /// Adds a field to disclose.
    pub fn disclose(mut self, field: DiscloseField) -> Self {
        self.disclose.push(field);
        self
    }

    /// Adds a statement to prove.
    pub fn prove(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// Proves the statements with `backend` (Groth16 needs [`keys`](Self::keys)).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The Groth16 proving keys (see [`Presentation::create_with`]); Bulletproofs ignores them.
    pub fn keys(mut self, keys: KeyRing) -> Self {
        self.keys = keys;
        self
    }

    /// How many attested records were added (the count [`Statement::parse`] checks indices
    /// against).
    pub fn attestation_count(&self) -> usize {
        self.held.len()
    }

    /// Builds and signs the presentation with `holder`'s key that is the attestations'
    /// subject ([`subject_keys`]).
    pub fn build(&self, holder: &Party) -> Result<Presentation, ProveError> {
        self.build_with_rng(holder, &mut rand_core::OsRng)
    }

    /// [`PresentationBuilder::build`] with the given RNG.
    pub fn build_with_rng<R: RngCore + CryptoRng>(
        &self,
        holder: &Party,
        rng: &mut R,
    ) -> Result<Presentation, ProveError> {
        if self.held.len() > MAX_ATTESTATIONS {
            return Err(ProveError::Limit("1 to 64 attestations"));
        }
        let keys = subject_keys(holder, &self.held)?;
        let held: Vec<&AttestedRecord> = self.held.iter().collect();
        let disclose: Vec<(u16, &str)> = self
            .disclose
            .iter()
            .map(|d| (d.attestation, d.name.as_str()))
            .collect();
        Presentation::create_with_backend_rng(
            keys,
            &held,
            &disclose,
            &self.statements,
            &self.challenge,
            (self.backend, &self.keys),
            rng,
        )
    }
}

/// One thing a verifier needs a presentation to establish: a statement, optionally only from
/// some issuers and about some schema. See [`Policy`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    statement: Statement,
    issuers: Vec<KeyId>,
    schema: Option<String>,
}

impl Requirement {
    /// A requirement of `statement` (its attestation indices are ignored: any attestation of
    /// the presentation may establish it).
    pub fn new(statement: Statement) -> Self {
        Requirement {
            statement,
            issuers: Vec::new(),
            schema: None,
        }
    }

    /// Parses the statement syntax of [`Statement::parse`] without attestation indices:
    /// `credit_score >= 700`, `income in [50000, 120000]`, `sum(amount) >= 2000000`.
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        if text.contains('@') {
            return Err(DecodeError::Invalid {
                what: "a requirement names no attestation index (drop the @)",
            });
        }
        Ok(Self::new(Statement::parse(text, 0)?))
    }

    /// Only attestations by one of `issuers` count for this requirement (by default any issuer
    /// the verification trusted).
    pub fn from_issuers(mut self, issuers: &[KeyId]) -> Self {
        self.issuers = issuers.to_vec();
        self
    }

    /// Only attestations of `schema` count for this requirement.
    pub fn with_schema(mut self, schema: &str) -> Self {
        self.schema = Some(schema.to_owned());
        self
    }

    /// The required statement.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }

    fn counts(&self, a: Option<&VerifiedAttestation>) -> bool {
        a.is_some_and(|a| {
            (self.issuers.is_empty() || self.issuers.contains(&a.issuer))
                && self.schema.as_ref().is_none_or(|s| *s == a.schema)
        })
    }

    fn met_by(&self, v: &Verified) -> bool {
        let want = &self.statement;
        let att = |i: &u16| v.attestations.get(usize::from(*i));
        let proven = v.statements.iter().any(|s| {
            s.is_sum() == want.is_sum()
                && s.field() == want.field()
                && same_predicate(s.predicate(), want.predicate())
                && !s.attestations().is_empty()
                && s.attestations().iter().all(|i| self.counts(att(i)))
        });
        let disclosed = !want.is_sum()
            && v.disclosed.iter().any(|d| {
                d.name == want.field()
                    && self.counts(att(&d.attestation))
                    && satisfies(&d.value, want.predicate())
            });
        proven || disclosed
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.statement.field();
        let one = Statement::new(field, *self.statement.predicate()).to_string();
        let rest = one.get(field.len()..).unwrap_or_default();
        if self.statement.is_sum() {
            write!(f, "sum({field}){rest}")?;
        } else {
            write!(f, "{field}{rest}")?;
        }
        if let Some(s) = &self.schema {
            write!(f, " (schema {s})")?;
        }
        if !self.issuers.is_empty() {
            let ids: Vec<String> = self.issuers.iter().map(|i| i.to_string()).collect();
            write!(f, " (issuer {})", ids.join(" or "))?;
        }
        Ok(())
    }
}

/// A bound as an exact rational `units / 10^scale` scaled to 18 digits (or a date), for
/// comparisons across scales.
fn bound_value(b: &Bound) -> (bool, i128) {
    match b {
        Bound::Number(d) => (false, scaled(d.units(), d.scale())),
        Bound::Date(d) => (true, i128::from(d.days())),
    }
}

fn scaled(units: i64, scale: u8) -> i128 {
    // scale ≤ 18 and |units| < 2^63: the product stays below 2^63 · 10^18 < 2^127
    let f = 10i128.pow(u32::from(
        crate::record::MAX_DECIMAL_SCALE.saturating_sub(scale),
    ));
    i128::from(units).saturating_mul(f)
}

/// The same predicate kind with numerically equal bounds (`700` = `700.00`; a date only equals
/// a date).
fn same_predicate(a: &Predicate, b: &Predicate) -> bool {
    let eq = |x: &Bound, y: &Bound| bound_value(x) == bound_value(y);
    match (a, b) {
        (Predicate::Between(a1, a2), Predicate::Between(b1, b2)) => eq(a1, b1) && eq(a2, b2),
        (Predicate::AtLeast(x), Predicate::AtLeast(y))
        | (Predicate::AtMost(x), Predicate::AtMost(y))
        | (Predicate::Above(x), Predicate::Above(y))
        | (Predicate::Below(x), Predicate::Below(y))
        | (Predicate::Equal(x), Predicate::Equal(y))
        | (Predicate::NotEqual(x), Predicate::NotEqual(y)) => eq(x, y),
        _ => false,
    }
}

/// Whether a disclosed value satisfies a predicate (numbers with numbers, dates with dates).
fn satisfies(v: &Value, p: &Predicate) -> bool {
    let x = match v {
        Value::Int(i) => (false, scaled(*i, 0)),
        Value::Decimal(d) => (false, scaled(d.units(), d.scale())),
        Value::Date(d) => (true, i128::from(d.days())),
        _ => return false,
    };
    let cmp = |b: &Bound| {
        let b = bound_value(b);
        (b.0 == x.0).then(|| x.1.cmp(&b.1))
    };
    use core::cmp::Ordering::{Equal, Greater, Less};
    match p {
        Predicate::Between(a, b) => {
            matches!(cmp(a), Some(Greater | Equal)) && matches!(cmp(b), Some(Less | Equal))
        }
        Predicate::AtLeast(a) => matches!(cmp(a), Some(Greater | Equal)),
        Predicate::AtMost(a) => matches!(cmp(a), Some(Less | Equal)),
        Predicate::Above(a) => cmp(a) == Some(Greater),
        Predicate::Below(a) => cmp(a) == Some(Less),
        Predicate::Equal(a) => cmp(a) == Some(Equal),
        Predicate::NotEqual(a) => matches!(cmp(a), Some(Less | Greater)),
    }
}

/// What a verifier needs a presentation to establish, checked against what it did establish
/// ([`Verified`]): [`Presentation::verify`] says only that everything in a presentation is
/// true, not that it is what the verifier asked for (a holder can present `score >= 1`).
///
/// A [`Requirement`] is met when the verified presentation
/// - **proves exactly that statement**: the same field, the same predicate (`>=` is not `>`),
///   numerically equal bounds (`700` = `700.00`), a sum for a sum, over attestations that all
///   count for the requirement (issuer, schema); a stronger claim (`score >= 750` for a
///   required `score >= 700`) does not count: ask for what you need and the holder proves that;
/// - or **discloses that field with a value that satisfies it**, from an attestation that
///   counts (the verifier learned more than it asked for, but the fact holds). Sums are met
///   only by a proven sum.
///
/// Every attestation of a [`Verified`] is already signed by one of the verifier's trusted
/// issuers; [`Requirement::from_issuers`] narrows that per requirement (a credit score from
/// the credit bureau, not from a car dealer the verifier trusts for something else).
///
/// ```
/// use causeway::attest::{issue, NoRevocations, Terms};
/// use causeway::party::Party;
/// use causeway::presentation::{Challenge, Policy, Presentation, Requirement};
/// use causeway::record::{Record, Value};
/// use causeway::statement::Statement;
/// let bureau = Party::generate()?;
/// let alice = Party::generate()?;
/// let record = Record::new("credit/v1")?.with("score", Value::Int(742))?;
/// let terms = Terms { subject: alice.key_id(), not_before: 0, not_after: u64::MAX };
/// let held = issue(bureau.keys(), &record, &terms)?;
/// let challenge = Challenge::random()?;
/// let weak = Statement::parse("score >= 1", 1)?;
/// let p = Presentation::create(alice.keys(), &[&held], &[], &[weak], &challenge)?;
/// let v = p.verify(&[bureau.public()], &challenge, 1_800_000_000, &NoRevocations)?;
/// let policy = Policy::new().require(Requirement::parse("score >= 700")?);
/// assert!(policy.check(&v).is_err()); // true, but not what was asked
/// # Ok::<(), causeway::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    requirements: Vec<Requirement>,
}

impl Policy {
    /// A policy with no requirements (met by every verified presentation).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a requirement (builder style).
    pub fn require(mut self, r: Requirement) -> Self {
        self.requirements.push(r);
        self
    }

    /// The requirements.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// `Ok` when every requirement is met; otherwise [`VerifyError::Unmet`] naming the first
    /// requirement that is not.
    pub fn check(&self, verified: &Verified) -> Result<(), VerifyError> {
        match self.requirements.iter().find(|r| !r.met_by(verified)) {
            Some(r) => Err(VerifyError::Unmet(r.to_string())),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11 item 16: a verified presentation meets a policy only if it proves exactly the
    /// required statement (or discloses a satisfying value) from an attestation that counts.
    #[test]
    fn policy_requires_exactly_what_was_asked() {
        use crate::attest::{issue_with_rng, Terms};
        use crate::test_util::TestRng;
        let mut rng = TestRng::new(21);
        let bureau = SecretKeys::generate_with_rng(&mut rng);
        let dealer = SecretKeys::generate_with_rng(&mut rng);
        let alice = SecretKeys::generate_with_rng(&mut rng);
        let terms = Terms {
            subject: alice.public().key_id(),
            not_before: 0,
            not_after: u64::MAX,
        };
        let credit = crate::record::Record::new("credit/v1")
            .unwrap()
            .with("score", Value::Int(742))
            .unwrap()
            .with("income", Value::decimal("85000.00").unwrap())
            .unwrap()
            .with("born", Value::date("1990-05-17").unwrap())
            .unwrap();
        let car = crate::record::Record::new("car/v1")
            .unwrap()
            .with("score", Value::Int(900))
            .unwrap();
        let a = issue_with_rng(&bureau, &credit, &terms, &mut rng).unwrap();
        let b = issue_with_rng(&dealer, &car, &terms, &mut rng).unwrap();
        let c = Challenge::random_with_rng(&mut rng);
        let sts = [
            Statement::parse("score >= 700", 2).unwrap(),
            Statement::parse("score@1 in [800, 1000]", 2).unwrap(),
        ];
        let p = Presentation::create_with_rng(
            &alice,
            &[&a, &b],
            &[(0, "income"), (0, "born")],
            &sts,
            &c,
            &mut rng,
        )
        .unwrap();
        let trusted = [bureau.public(), dealer.public()];
        let v = p
            .verify(&trusted, &c, 1, &crate::attest::NoRevocations)
            .unwrap();
        let req = |t: &str| Requirement::parse(t).unwrap();
        let check = |r: Requirement| Policy::new().require(r).check(&v);
        for met in [
            "score >= 700",
            "score >= 700.00",
            "score in [800, 1000]",
            "income >= 50000",
            "income in [80000, 90000.5]",
            "born < 2008-11-21",
        ] {
            assert_eq!(check(req(met)), Ok(()), "{met}");
        }
        for unmet in [
            "score > 699",
            "score >= 750",
            "score >= 699",
            "sum(score) >= 700",
            "income >= 90000",
            "born > 2008-11-21",
            "born >= 1000",
            "limit >= 0",
        ] {
            assert_eq!(
                check(req(unmet)),
                Err(VerifyError::Unmet(unmet.to_owned())),
                "{unmet}"
            );
        }
        let bureau_id = bureau.public().key_id();
        let dealer_id = dealer.public().key_id();
        assert_eq!(
            check(req("score >= 700").from_issuers(&[bureau_id])),
            Ok(())
        );
        assert!(matches!(
            check(req("score >= 700").from_issuers(&[dealer_id])),
            Err(VerifyError::Unmet(m)) if m.contains("issuer")
        ));
        assert!(check(req("score in [800, 1000]").from_issuers(&[bureau_id])).is_err());
        assert_eq!(check(req("score >= 700").with_schema("credit/v1")), Ok(()));
        assert!(check(req("score >= 700").with_schema("car/v1")).is_err());
        // every requirement must hold; the first unmet one is named
        let both = Policy::new()
            .require(req("score >= 700"))
            .require(req("income <= 1000"));
        assert_eq!(
            both.check(&v),
            Err(VerifyError::Unmet("income <= 1000".into()))
        );
        assert_eq!(Policy::new().check(&v), Ok(()));
        assert!(Requirement::parse("score@1 >= 700").is_err());
    }

    /// Issue 10: the builder takes the holder's `Party` and presents with the key (current or
    /// retired) that is the subject; the bare constructors with the current key refuse an
    /// attestation issued before a rotation (what the CLI used to work around itself).
    #[test]
    fn builder_finds_the_subject_key() {
        use crate::attest::{issue_with_rng, NoRevocations, Terms};
        use crate::test_util::TestRng;
        let mut rng = TestRng::new(33);
        let bureau = Party::generate_with_rng(&mut rng);
        let mut alice = Party::generate_with_rng(&mut rng);
        let stranger = Party::generate_with_rng(&mut rng);
        let rec = crate::record::Record::new("credit/v1")
            .unwrap()
            .with("score", Value::Int(742))
            .unwrap()
            .with("name", Value::String("Alice".into()))
            .unwrap();
        let old = issue_with_rng(
            bureau.keys(),
            &rec,
            &Terms::for_days(alice.key_id(), 0, 1),
            &mut rng,
        )
        .unwrap();
        alice.rotate_with_rng(&mut rng);
        let new = issue_with_rng(
            bureau.keys(),
            &rec,
            &Terms::for_days(alice.key_id(), 0, 1),
            &mut rng,
        )
        .unwrap();
        let c = Challenge::random_with_rng(&mut rng);
        let score = Statement::parse("score >= 700", 1).unwrap();
        for held in [&old, &new] {
            let b = PresentationBuilder::new(&c)
                .attested(held.clone())
                .disclose(DiscloseField::parse("name").unwrap())
                .prove(score.clone());
            assert_eq!(b.attestation_count(), 1);
            let p = b.build_with_rng(&alice, &mut rng).unwrap();
            let v = p
                .verify(&[bureau.public()], &c, 10, &NoRevocations)
                .unwrap();
            assert_eq!(v.subject(), held.attestation().subject());
            assert_eq!(v.statements(), std::slice::from_ref(&score));
            assert_eq!(v.value(0, "name"), Some(&Value::String("Alice".into())));
            // the same presentation from the old constructor with the subject key
            let keys = subject_keys(&alice, std::slice::from_ref(held)).unwrap();
            assert!(Presentation::create(keys, &[held], &[(0, "name")], &[], &c).is_ok());
        }
        // the current key is not the subject of the old attestation
        assert_eq!(
            Presentation::create(alice.keys(), &[&old], &[], &[], &c).err(),
            Some(ProveError::NotSubject)
        );
        // nobody else's keys, and no mix of subjects (one signature binds one holder)
        let err = |b: PresentationBuilder, who: &Party| b.build(who).err();
        let one = PresentationBuilder::new(&c).attested(old.clone());
        assert_eq!(err(one, &stranger), Some(ProveError::NotSubject));
        let mixed = PresentationBuilder::new(&c)
            .attested(old.clone())
            .attested(new.clone());
        assert_eq!(err(mixed, &alice), Some(ProveError::NotSubject));
        assert!(matches!(
            err(PresentationBuilder::new(&c), &alice),
            Some(ProveError::Limit(_))
        ));
        // a disclosure of a missing field, a statement index out of range: refused
        let b = PresentationBuilder::new(&c)
            .attested(new.clone())
            .disclose(DiscloseField::new(0, "income"));
        assert_eq!(err(b, &alice), Some(ProveError::MissingField));
        let b = PresentationBuilder::new(&c)
            .attested(new.clone())
            .disclose(DiscloseField::new(1, "name"));
        assert!(err(b, &alice).is_some());
        // Groth16 without keys: NoKey, not a Bulletproofs proof
        let b = PresentationBuilder::new(&c)
            .attested(new)
            .prove(score)
            .backend(Backend::Groth16);
        assert!(matches!(err(b, &alice), Some(ProveError::NoKey(_))));
    }

    /// Issue 10: one parser for the disclosure syntax `NAME` / `INDEX:NAME`.
    #[test]
    fn disclosure_syntax() {
        for (text, index, name) in [
            ("name", 0, "name"),
            (" name ", 0, "name"),
            ("0:name", 0, "name"),
            ("3:annual_income", 3, "annual_income"),
            (" 12 : a.b-c ", 12, "a.b-c"),
            ("65535:x", 65535, "x"),
        ] {
            let d = DiscloseField::parse(text).unwrap();
            assert_eq!(d, DiscloseField::new(index, name), "{text}");
            assert_eq!(d.to_string().parse::<DiscloseField>().unwrap(), d);
        }
        for bad in [
            "",
            ":",
            "1:",
            ":name",
            "x:name",
            "-1:name",
            "65536:name",
            "1:2:name",
            "1:na me",
            "1name:",
            "9abc",
        ] {
            assert!(DiscloseField::parse(bad).is_err(), "{bad:?}");
        }
        let long = "a".repeat(65);
        assert!(DiscloseField::parse(&long).is_err());
    }

    /// Issue 11 item 15: a disclosure's Merkle path says nothing about the record's shape.
    /// Before, fields sat at slots 0..n with zero padding: a small record's paths ended in the
    /// roots of empty subtrees and the leaf index was the field's rank.
    #[test]
    fn disclosure_paths_hide_the_record_shape() {
        use crate::attest::{hazmat as ahz, issue_with_rng, Terms};
        use crate::test_util::TestRng;
        let mut zeros = vec![causeway_circuits::Fr::from(0u64)];
        for h in 0..TREE_DEPTH {
            let z = zeros[h];
            zeros.push(crate::commit::poseidon::hash2(z, z));
        }
        let mut rng = TestRng::new(31);
        let issuer = SecretKeys::generate_with_rng(&mut rng);
        let holder = SecretKeys::generate_with_rng(&mut rng);
        let terms = Terms {
            subject: holder.public().key_id(),
            not_before: 0,
            not_after: u64::MAX,
        };
        let c = Challenge::random_with_rng(&mut rng);
        for n in [1usize, 2, 5, 130, 256] {
            let mut rec = crate::record::Record::new("shape/v1").unwrap();
            for i in 0..n {
                rec.insert(&format!("f{i:03}"), Value::Int(i as i64))
                    .unwrap();
            }
            let new = issue_with_rng(&issuer, &rec, &terms, &mut rng).unwrap();
            let old = ahz::issue_format1_with_rng(&issuer, &rec, &terms, &mut rng).unwrap();
            let held = AttestedRecord::from_bytes(&new.to_bytes()).unwrap();
            for (h, hides) in [(&held, true), (&old, false)] {
                let p =
                    Presentation::create_with_rng(&holder, &[h], &[(0, "f000")], &[], &c, &mut rng)
                        .unwrap();
                p.verify(&[issuer.public()], &c, 1, &crate::attest::NoRevocations)
                    .unwrap();
                let d = &hazmat::parts(&p).disclosures[0];
                let empty = d
                    .path
                    .siblings
                    .iter()
                    .enumerate()
                    .any(|(h, s)| *s == zeros[h]);
                if hides {
                    assert!(!empty, "{n} fields: a sibling is an empty subtree");
                } else {
                    assert_eq!(d.path.index, 0);
                    // field 0's path crosses an empty subtree unless slots 128.. are used
                    assert_eq!(empty, n <= 128, "{n} fields, format 1");
                }
            }
        }
        // the first field sits at a slot that varies with the layout, not at 0
        assert!(indices_vary(&mut rng, &issuer, &holder, &terms));
    }

    fn indices_vary(
        rng: &mut crate::test_util::TestRng,
        issuer: &SecretKeys,
        holder: &SecretKeys,
        terms: &crate::attest::Terms,
    ) -> bool {
        let rec = crate::record::Record::new("shape/v1")
            .unwrap()
            .with("a", Value::Int(1))
            .unwrap();
        let c = Challenge::random_with_rng(rng);
        let idx: std::collections::BTreeSet<u64> = (0..8)
            .map(|_| {
                let h = crate::attest::issue_with_rng(issuer, &rec, terms, rng).unwrap();
                let p = Presentation::create_with_rng(holder, &[&h], &[(0, "a")], &[], &c, rng)
                    .unwrap();
                hazmat::parts(&p).disclosures[0].path.index
            })
            .collect();
        idx.len() > 1
    }
}
