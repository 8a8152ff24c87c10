//! The presentation builder, the disclosure syntax and the holder's key choice (decision 0038).

use super::*;

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
        .ok_or(ProveError::Limit("1 to 4096 attestations"))?;
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
            return Err(ProveError::Limit("1 to 4096 attestations"));
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
