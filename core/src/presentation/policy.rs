//! Verifier policies: what a verifier needs a presentation to establish.

use super::*;

/// One thing a verifier needs a presentation to establish: a statement, optionally only from
/// some issuers and about some schema. See [`Policy`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    statement: Statement,
    issuers: Vec<KeyId>,
    schema: Option<String>,
    pinned: bool,
}

impl Requirement {
    /// A requirement of `statement` **at its attestation indices** (decision 0097): met only
    /// by a statement proven over exactly those attestations (in any order), or for a
    /// single-field statement by a disclosure from that attestation. A sum or column statement
    /// with no indices (parsed with `n_attestations = 0`) pins nothing: see
    /// [`Requirement::any`] (an upper-bounded sum or a column statement then covers every
    /// attestation presented).
    pub fn new(statement: Statement) -> Self {
        let pinned = !statement.attestations().is_empty();
        Requirement {
            statement,
            issuers: Vec::new(),
            schema: None,
            pinned,
        }
    }

    /// A requirement of `statement` at any attestations of the presentation (its indices are
    /// not looked at): a single-field statement from any attestation, a sum with a lower bound
    /// (`>=`, `>`) over any attestations; a column statement, and a sum with an upper side
    /// (`<=`, `<`, `in`, `==`, `!=`), over **every** attestation of the presentation (one row
    /// meets `sum(amount) <= t` that the whole table does not; decision 0097, amended). Which
    /// attestations a presentation carries is the holder's choice: a verifier that needs an
    /// upper bound over a known set of rows also checks that they are all there (their count
    /// and record ids in [`Verified::attestations`]).
    pub fn any(statement: Statement) -> Self {
        Requirement {
            statement,
            issuers: Vec::new(),
            schema: None,
            pinned: false,
        }
    }

    /// Whether the requirement pins the statement's attestation indices.
    pub fn is_pinned(&self) -> bool {
        self.pinned
    }

    /// Parses the statement syntax of [`Statement::parse`] without attestation indices:
    /// `credit_score >= 700`, `income in [50000, 120000]`, `sum(amount) >= 2000000`,
    /// `all(amount) in [0, 10000]` and `sum(amount) <= 5000` (every attestation of the
    /// presentation); the result is [`Requirement::any`]. To pin indices, build a [`Statement`] and use
    /// [`Requirement::new`].
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        if text.contains('@') {
            return Err(DecodeError::Invalid {
                what: "a requirement names no attestation index (drop the @)",
            });
        }
        Ok(Self::any(Statement::parse(text, 0)?))
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

    /// Whether an unpinned requirement must be met over every attestation presented: a column
    /// statement, and a sum whose predicate has an upper side (`<=`, `<`, `in`, `==`, `!=`),
    /// which a sum over fewer rows meets more easily (decision 0097, amended). A sum with only
    /// a lower bound (`>=`, `>`) may be met over any of the rows.
    pub fn covers_every_attestation(&self) -> bool {
        let want = &self.statement;
        !self.pinned
            && (want.is_all()
                || (want.is_sum()
                    && !matches!(
                        want.predicate(),
                        Predicate::AtLeast(_) | Predicate::Above(_)
                    )))
    }

    /// Whether a proven statement covers the attestations this requirement asks for: exactly
    /// the pinned ones, every attestation presented
    /// ([`Requirement::covers_every_attestation`]), or any.
    fn covers(&self, s: &Statement, v: &Verified) -> bool {
        let want = &self.statement;
        if self.pinned {
            let mut a = s.attestations().to_vec();
            let mut b = want.attestations().to_vec();
            a.sort_unstable();
            b.sort_unstable();
            return a == b;
        }
        // rows of a proven statement are distinct (checked when it verified)
        !self.covers_every_attestation() || s.attestations().len() == v.attestations.len()
    }

    fn met_by(&self, v: &Verified) -> bool {
        let want = &self.statement;
        let att = |i: &u16| v.attestations.get(usize::from(*i));
        let proven = v.statements.iter().any(|s| {
            s.is_sum() == want.is_sum()
                && s.is_all() == want.is_all()
                && s.field() == want.field()
                && same_predicate(s.predicate(), want.predicate())
                && !s.attestations().is_empty()
                && s.attestations().iter().all(|i| self.counts(att(i)))
                && self.covers(s, v)
        });
        let disclosed = !want.is_sum()
            && !want.is_all()
            && v.disclosed.iter().any(|d| {
                d.name == want.field()
                    && self.counts(att(&d.attestation))
                    && satisfies(&d.value, want.predicate())
                    && (!self.pinned || want.attestations() == [d.attestation])
            });
        proven || disclosed
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.statement.field();
        let one = Statement::new(field, *self.statement.predicate()).to_string();
        let rest = one.get(field.len()..).unwrap_or_default();
        if self.pinned && !self.statement.is_sum() && !self.statement.is_all() {
            let i = self.statement.attestations().first().copied().unwrap_or(0);
            write!(f, "{field}@{i}{rest}")?;
        } else if self.pinned {
            write!(f, "{}", self.statement)?;
        } else if self.statement.is_sum() {
            write!(f, "sum({field}){rest}")?;
        } else if self.statement.is_all() {
            write!(f, "all({field}){rest}")?;
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
