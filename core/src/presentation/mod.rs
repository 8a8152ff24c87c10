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
//!
//! The module is split by concern: the presentation and its prove/verify steps here, the
//! canonical bytes in `wire`, the JSON view in `json` ([`PresentationJson`], [`VerifiedJson`]),
//! the builder and disclosure syntax in `builder`, verifier policies in `policy`, and
//! adversarial editing in [`hazmat`]. Public paths are `causeway::presentation::*` as before.

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
    append, verify_statements, Backend, Bound, Predicate, Statement, StatementProofs,
};
use causeway_circuits::field::{fr_from_be_bytes_canonical, fr_to_be_bytes};
use causeway_circuits::merkle::MerklePath;
use core::fmt;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use serde_json::{json, Value as Json};

mod builder;
pub mod hazmat;
mod json;
mod policy;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_column;
mod wire;

pub use builder::{subject_keys, DiscloseField, PresentationBuilder};
pub use json::{PresentationJson, PresentedAttestation, VerifiedJson};
pub use policy::{Policy, Requirement};

/// Format version of presentations whose statements are proven with Bulletproofs.
pub const PRESENTATION_VERSION: u8 = 1;
/// Format version of presentations whose statements are proven with Groth16 (same layout, the
/// proofs section is `count u16 | Groth16 proof (164 bytes)…`, one per statement).
pub const PRESENTATION_VERSION_GROTH16: u8 = 2;
/// The holder's signing namespace.
pub const PRESENTATION_NAMESPACE: &[u8] = b"causeway/presentation/v1";
/// The label of the proofs' transcript.
pub const TRANSCRIPT_LABEL: &[u8] = b"causeway-presentation v1";
/// Most attestations in one presentation: the rows of a column or sum statement
/// ([`crate::statement::MAX_TERMS`]; decision 0096).
pub const MAX_ATTESTATIONS: usize = crate::statement::MAX_TERMS;
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
        Self::create_metered(
            holder,
            (held, disclose, statements),
            challenge,
            (backend, keys),
            rng,
            &crate::proof::Meter::none(),
        )
    }

    /// [`Presentation::create_with`] that reports its progress to `on` (decision 0088): for
    /// Groth16, the eight stages of each statement's proof
    /// ([`crate::proof::ProvePhase::GROTH16`]); for Bulletproofs,
    /// [`crate::proof::ProvePhase::Statement`] per statement, then
    /// [`crate::proof::ProvePhase::Range`] (the one aggregated proof); then
    /// [`crate::proof::ProvePhase::Sign`] and [`crate::proof::ProvePhase::Done`] (`done ==
    /// total`). Nothing is reported when the call fails before proving (bad arguments). The
    /// presentation is the one [`Presentation::create_with_backend_rng`] makes with the same
    /// RNG: the same bytes.
    ///
    /// ```
    /// use causeway::attest::{issue, Terms};
    /// use causeway::party::Party;
    /// use causeway::presentation::{Challenge, Presentation};
    /// use causeway::proof::{Backend, Progress, ProvePhase};
    /// use causeway::record::{Record, Value};
    /// use causeway::snark::KeyRing;
    /// use causeway::statement::Statement;
    /// let bank = Party::generate()?;
    /// let alice = Party::generate()?;
    /// let record = Record::new("customer/v1")?.with("age", Value::Int(34))?;
    /// let held = issue(bank.keys(), &record, &Terms::for_days(alice.key_id(), 0, 365))?;
    /// let seen = std::cell::RefCell::new(Vec::new());
    /// let p = Presentation::create_with_progress(
    ///     alice.keys(), &[&held], &[], &[Statement::parse("age >= 18", 1)?],
    ///     &Challenge::random()?, (Backend::Bulletproofs, &KeyRing::new()),
    ///     &|r: Progress| seen.borrow_mut().push((r.phase, r.done, r.total)),
    /// )?;
    /// assert_eq!(*seen.borrow(), [
    ///     (ProvePhase::Statement, 0, 3), (ProvePhase::Range, 1, 3), (ProvePhase::Sign, 2, 3),
    ///     (ProvePhase::Done, 3, 3),
    /// ]);
    /// # Ok::<(), causeway::Error>(())
    /// ```
    pub fn create_with_progress(
        holder: &SecretKeys,
        held: &[&AttestedRecord],
        disclose: &[(u16, &str)],
        statements: &[Statement],
        challenge: &Challenge,
        (backend, keys): (Backend, &KeyRing),
        on: &dyn Fn(crate::proof::Progress),
    ) -> Result<Self, ProveError> {
        Self::create_with_progress_rng(
            holder,
            (held, disclose, statements),
            challenge,
            (backend, keys),
            &mut rand_core::OsRng,
            on,
        )
    }

    /// [`Presentation::create_with_progress`] with the given RNG; the records, disclosures
    /// and statements as one tuple.
    pub fn create_with_progress_rng<R: RngCore + CryptoRng>(
        holder: &SecretKeys,
        what: (&[&AttestedRecord], &[(u16, &str)], &[Statement]),
        challenge: &Challenge,
        (backend, keys): (Backend, &KeyRing),
        rng: &mut R,
        on: &dyn Fn(crate::proof::Progress),
    ) -> Result<Self, ProveError> {
        let statements = what.2;
        let n = u16::try_from(statements.len()).unwrap_or(u16::MAX);
        let steps = match backend {
            Backend::Groth16 => u32::from(n).saturating_mul(crate::snark::GROTH16_STEPS),
            // one per statement, the aggregated range proof
            _ => u32::from(n).saturating_add(1),
        };
        // and the signature
        let meter = crate::proof::Meter::new(on, n, steps.saturating_add(1));
        let p = Self::create_metered(holder, what, challenge, (backend, keys), rng, &meter)?;
        meter.finish();
        Ok(p)
    }

    /// Assembles a Groth16 presentation from `proofs` made separately, one per statement and in
    /// order, by [`crate::snark::statements::prove_statement`] (in parallel, say), then signs
    /// it. Every proof is first verified against the verifying key of its shape in `keys` and
    /// the public input recomputed here from the attestations, the statement, `challenge` and
    /// the holder: a proof made for another statement, challenge, holder, index or key is
    /// refused ([`ProveError::Snark`] with [`crate::error::SnarkError::ProofSelfCheck`]) and
    /// nothing is signed. The result is the presentation [`Presentation::create_with`] makes
    /// with those proofs.
    pub fn assemble_groth16(
        holder: &SecretKeys,
        what: (&[&AttestedRecord], &[(u16, &str)], &[Statement]),
        challenge: &Challenge,
        keys: &KeyRing,
        proofs: Vec<Proof>,
    ) -> Result<Self, ProveError> {
        Self::create_inner(
            holder,
            what,
            challenge,
            (Backend::Groth16, keys),
            (&mut rand_core::OsRng, Some(proofs)),
            &crate::proof::Meter::none(),
        )
    }

    fn create_metered<R: RngCore + CryptoRng>(
        holder: &SecretKeys,
        what: (&[&AttestedRecord], &[(u16, &str)], &[Statement]),
        challenge: &Challenge,
        (backend, keys): (Backend, &KeyRing),
        rng: &mut R,
        meter: &crate::proof::Meter<'_>,
    ) -> Result<Self, ProveError> {
        Self::create_inner(holder, what, challenge, (backend, keys), (rng, None), meter)
    }

    fn create_inner<R: RngCore + CryptoRng>(
        holder: &SecretKeys,
        (held, disclose, statements): (&[&AttestedRecord], &[(u16, &str)], &[Statement]),
        challenge: &Challenge,
        (backend, keys): (Backend, &KeyRing),
        (rng, given): (&mut R, Option<Vec<Proof>>),
        meter: &crate::proof::Meter<'_>,
    ) -> Result<Self, ProveError> {
        if held.is_empty() || held.len() > MAX_ATTESTATIONS {
            return Err(ProveError::Limit("1 to 4096 attestations"));
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
            // Built once per attested record (kept inside it).
            let built = h.tree().map_err(|_| ProveError::Range("Poseidon tree"))?;
            let (tree, positions) = (&built.tree, &built.positions);
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
            Backend::Groth16 if given.is_some() => {
                let proofs = given.unwrap_or_default();
                crate::snark::statements::verify_statements(
                    &atts,
                    statements,
                    &proofs,
                    keys,
                    challenge,
                    &hk.key_id(),
                )
                .map_err(|_| ProveError::Snark(crate::error::SnarkError::ProofSelfCheck))?;
                Proofs::Groth16(proofs)
            }
            Backend::Groth16 => {
                Proofs::Groth16(crate::snark::statements::prove_statements_metered(
                    held,
                    statements,
                    (keys, challenge, &hk.key_id()),
                    rng,
                    meter,
                )?)
            }
            _ => {
                let mut t = transcript(challenge, &atts, &hk.key_id());
                Proofs::Bulletproofs(Box::new(crate::statement::prove_statements_metered(
                    &mut t, held, statements, rng, meter,
                )?))
            }
        };
        meter.statement(u16::try_from(statements.len()).unwrap_or(u16::MAX));
        meter.step(crate::proof::ProvePhase::Sign);
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
}
