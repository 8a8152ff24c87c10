//! Statements: predicates over attested numeric fields, and their proofs.
//!
//! One [`Statement`] type covers a range `[a, b]`, `≥`, `≤`, `>`, `<`, `=` and `≠` over signed
//! integers, fixed-point decimals (bounds given as decimals, rescaled exactly to the field's
//! scale; inexact bounds are refused) and dates (days), about one field of one attestation or
//! about the sum of one field over several attestations (Pedersen commitments add up).
//!
//! Proofs, all on the attested Pedersen commitments `C = v·B + r·B_blinding`:
//! - range kinds: one aggregated Bulletproofs proof for all of them ([`crate::range`]);
//! - `= c`: a Schnorr proof of knowledge of `r` with `C − c·B = r·B_blinding`;
//! - `≠ c`: a proof of knowledge of `(α, β)` with `α·(C − c·B) − β·B_blinding = B`, which only
//!   exists when `v ≠ c` (then `α = (v − c)⁻¹`, `β = α·r`); otherwise it would give the discrete
//!   logarithm of `B` to the base `B_blinding`.
//!
//! Every proof runs on one merlin transcript that first binds (in [`crate::presentation`]) the
//! protocol label, the verifier's challenge, the attestations' ids and the holder; then each
//! statement (kind, field, attestation indices, bounds resolved at the field's scale, every
//! commitment it uses).
//!
//! Text syntax ([`Statement::parse`] / `Display`): `score >= 700`, `income in [50000, 120000]`,
//! `dob < 2008-11-21`, `score@1 != 0`, `sum(amount) >= 1000000`, `sum(amount@0,2) <= 5.5`.

use crate::attest::{Attestation, AttestedRecord};
use crate::commit::{
    pedersen_gens, random_scalar, scalar_from_canonical, scalar_from_i64, NumericKind,
    RangeCommitment,
};
use crate::encoding::{put_bytes_u16, Reader};
use crate::error::{DecodeError, ProveError, VerifyError};
use crate::range::{self, AggregateRangeProof, RangeClaim, RangeWitness};
use crate::record::{Date, Decimal, MAX_NAME_LEN};
use core::fmt;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

pub use crate::snark::membership::{
    identity_leaf, prove_membership, verify_membership, MembershipProof, MembershipStatement,
    MembershipWitness,
};

/// Most attestations one sum statement adds up.
pub const MAX_SUM_TERMS: usize = 64;

pub use crate::proof::Backend;

// `Backend` lives at the bottom of the crate (`crate::proof`, decision 0045); its parser stays
// here, next to the error it returns.
impl core::str::FromStr for Backend {
    type Err = DecodeError;
    fn from_str(s: &str) -> Result<Self, DecodeError> {
        match s {
            "bulletproofs" => Ok(Backend::Bulletproofs),
            "groth16" => Ok(Backend::Groth16),
            _ => Err(DecodeError::Invalid {
                what: "back-end (bulletproofs or groth16)",
            }),
        }
    }
}

/// A bound of a statement: a number (an integer is a decimal of scale 0) or a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// A number, rescaled exactly to the field's scale.
    Number(Decimal),
    /// A date (for date fields).
    Date(Date),
}

impl Bound {
    /// The bound as a signed 64-bit integer at the field's kind; refuses a date for a number,
    /// a number for a date, and a decimal that does not rescale exactly.
    pub fn to_units(&self, kind: NumericKind) -> Result<i64, &'static str> {
        match (self, kind) {
            (Bound::Number(d), NumericKind::Int) => d
                .rescale(0)
                .ok_or("bound is not an integer (inexact at the field's scale)"),
            (Bound::Number(d), NumericKind::Decimal(s)) => d
                .rescale(s)
                .ok_or("bound does not rescale exactly to the field's scale"),
            (Bound::Date(d), NumericKind::Date) => Ok(i64::from(d.days())),
            (Bound::Date(_), _) => Err("date bound for a numeric field"),
            (Bound::Number(_), NumericKind::Date) => Err("numeric bound for a date field"),
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Bound::Number(d) => {
                out.push(1);
                out.push(d.scale());
                out.extend_from_slice(&d.units().to_be_bytes());
            }
            Bound::Date(d) => {
                out.push(2);
                out.push(0);
                out.extend_from_slice(&i64::from(d.days()).to_be_bytes());
            }
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let bad = DecodeError::Invalid { what: "bound" };
        let ty = r.u8()?;
        let scale = r.u8()?;
        let v = r.i64()?;
        match (ty, scale) {
            (1, s) => Ok(Bound::Number(Decimal::new(v, s).map_err(|_| bad)?)),
            (2, 0) => {
                let days = i32::try_from(v).map_err(|_| DecodeError::Invalid { what: "bound" })?;
                Ok(Bound::Date(
                    Date::from_days(days).map_err(|_| DecodeError::Invalid { what: "bound" })?,
                ))
            }
            _ => Err(bad),
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Number(d) => write!(f, "{d}"),
            Bound::Date(d) => write!(f, "{d}"),
        }
    }
}

impl core::str::FromStr for Bound {
    type Err = DecodeError;
    fn from_str(s: &str) -> Result<Self, DecodeError> {
        let s = s.trim();
        if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') {
            return s
                .parse::<Date>()
                .map(Bound::Date)
                .map_err(|_| DecodeError::Invalid { what: "date bound" });
        }
        s.parse::<Decimal>()
            .map(Bound::Number)
            .map_err(|_| DecodeError::Invalid {
                what: "numeric bound",
            })
    }
}

/// The predicate of a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Predicate {
    /// `a ≤ v ≤ b`.
    Between(Bound, Bound),
    /// `v ≥ a`.
    AtLeast(Bound),
    /// `v ≤ b`.
    AtMost(Bound),
    /// `v > a`.
    Above(Bound),
    /// `v < b` ("born before 2008-11-21").
    Below(Bound),
    /// `v = c`.
    Equal(Bound),
    /// `v ≠ c`.
    NotEqual(Bound),
}

impl Predicate {
    fn code(&self) -> u8 {
        match self {
            Predicate::Between(..) => 1,
            Predicate::AtLeast(_) => 2,
            Predicate::AtMost(_) => 3,
            Predicate::Above(_) => 4,
            Predicate::Below(_) => 5,
            Predicate::Equal(_) => 6,
            Predicate::NotEqual(_) => 7,
        }
    }

    fn bounds(&self) -> (Bound, Option<Bound>) {
        match *self {
            Predicate::Between(a, b) => (a, Some(b)),
            Predicate::AtLeast(a)
            | Predicate::AtMost(a)
            | Predicate::Above(a)
            | Predicate::Below(a)
            | Predicate::Equal(a)
            | Predicate::NotEqual(a) => (a, None),
        }
    }

    /// The predicate in integer units at the field's kind.
    pub fn resolve(&self, kind: NumericKind) -> Result<Resolved, &'static str> {
        let u = |b: &Bound| b.to_units(kind);
        Ok(match self {
            Predicate::Between(a, b) => {
                let (lo, hi) = (u(a)?, u(b)?);
                if lo > hi {
                    return Err("empty range (lower bound above upper bound)");
                }
                Resolved::Range(Some(lo), Some(hi))
            }
            Predicate::AtLeast(a) => Resolved::Range(Some(u(a)?), None),
            Predicate::AtMost(b) => Resolved::Range(None, Some(u(b)?)),
            Predicate::Above(a) => Resolved::Range(
                Some(
                    u(a)?
                        .checked_add(1)
                        .ok_or("bound outside the 64-bit width")?,
                ),
                None,
            ),
            Predicate::Below(b) => Resolved::Range(
                None,
                Some(
                    u(b)?
                        .checked_sub(1)
                        .ok_or("bound outside the 64-bit width")?,
                ),
            ),
            Predicate::Equal(c) => Resolved::Equal(u(c)?),
            Predicate::NotEqual(c) => Resolved::NotEqual(u(c)?),
        })
    }
}

/// A predicate resolved to integer units at a field's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// `lo ≤ v ≤ hi`, each side optional.
    Range(Option<i64>, Option<i64>),
    /// `v = c`.
    Equal(i64),
    /// `v ≠ c`.
    NotEqual(i64),
}

impl Resolved {
    fn holds(&self, v: i64) -> bool {
        match *self {
            Resolved::Range(lo, hi) => lo.is_none_or(|l| v >= l) && hi.is_none_or(|h| v <= h),
            Resolved::Equal(c) => v == c,
            Resolved::NotEqual(c) => v != c,
        }
    }
}

/// A statement about one numeric field: of one attestation, or summed over several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    field: String,
    attestations: Vec<u16>,
    sum: bool,
    predicate: Predicate,
}

impl Statement {
    /// A statement about `field` of the first attestation of a presentation.
    pub fn new(field: &str, predicate: Predicate) -> Self {
        Statement {
            field: field.to_owned(),
            attestations: vec![0],
            sum: false,
            predicate,
        }
    }

    /// The same statement about the attestation at `index` of the presentation.
    pub fn on(mut self, index: u16) -> Self {
        self.attestations = vec![index];
        self.sum = false;
        self
    }

    /// `a ≤ field ≤ b`.
    pub fn between(field: &str, a: Bound, b: Bound) -> Self {
        Self::new(field, Predicate::Between(a, b))
    }
    /// `field ≥ a`.
    pub fn at_least(field: &str, a: Bound) -> Self {
        Self::new(field, Predicate::AtLeast(a))
    }
    /// `field ≤ b`.
    pub fn at_most(field: &str, b: Bound) -> Self {
        Self::new(field, Predicate::AtMost(b))
    }
    /// `field < b`.
    pub fn below(field: &str, b: Bound) -> Self {
        Self::new(field, Predicate::Below(b))
    }
    /// `field > a`.
    pub fn above(field: &str, a: Bound) -> Self {
        Self::new(field, Predicate::Above(a))
    }
    /// `field = c`.
    pub fn equals(field: &str, c: Bound) -> Self {
        Self::new(field, Predicate::Equal(c))
    }
    /// `field ≠ c`.
    pub fn not_equals(field: &str, c: Bound) -> Self {
        Self::new(field, Predicate::NotEqual(c))
    }

    /// A predicate over the sum of `field` over the attestations at `indices` (distinct, at
    /// most [`MAX_SUM_TERMS`]).
    pub fn sum(field: &str, indices: &[u16], predicate: Predicate) -> Self {
        Statement {
            field: field.to_owned(),
            attestations: indices.to_vec(),
            sum: true,
            predicate,
        }
    }

    /// The field.
    pub fn field(&self) -> &str {
        &self.field
    }
    /// The attestation indices (one unless a sum).
    pub fn attestations(&self) -> &[u16] {
        &self.attestations
    }
    /// Whether this is a sum statement.
    pub fn is_sum(&self) -> bool {
        self.sum
    }
    /// The predicate.
    pub fn predicate(&self) -> &Predicate {
        &self.predicate
    }

    pub(crate) fn check_shape(&self, n_attestations: usize) -> Result<(), &'static str> {
        if self.field.is_empty() || self.field.len() > MAX_NAME_LEN {
            return Err("field name");
        }
        if self.attestations.is_empty() || self.attestations.len() > MAX_SUM_TERMS {
            return Err("number of summed attestations");
        }
        if !self.sum && self.attestations.len() != 1 {
            return Err("a single-field statement names one attestation");
        }
        if self
            .attestations
            .iter()
            .any(|a| usize::from(*a) >= n_attestations)
        {
            return Err("attestation index out of range");
        }
        Ok(())
    }

    /// Canonical bytes: `kind u8 | sum u8 | field (u16 len) | count u16 | indices u16… |
    /// bound | [bound]`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.predicate.code());
        out.push(u8::from(self.sum));
        put_bytes_u16(out, self.field.as_bytes());
        out.extend_from_slice(&(self.attestations.len() as u16).to_be_bytes());
        for a in &self.attestations {
            out.extend_from_slice(&a.to_be_bytes());
        }
        let (a, b) = self.predicate.bounds();
        a.encode(out);
        if let Some(b) = b {
            b.encode(out);
        }
    }

    /// Strict decoding of [`Statement::encode`].
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let code = r.u8()?;
        let sum = match r.u8()? {
            0 => false,
            1 => true,
            _ => return Err(DecodeError::Invalid { what: "statement" }),
        };
        let field = r.str_u16("statement field", MAX_NAME_LEN)?.to_owned();
        let n = r.u16()? as usize;
        if n == 0 || n > MAX_SUM_TERMS || (!sum && n != 1) {
            return Err(DecodeError::Invalid {
                what: "statement attestations",
            });
        }
        let mut attestations = Vec::with_capacity(n);
        for _ in 0..n {
            attestations.push(r.u16()?);
        }
        let a = Bound::decode(r)?;
        let predicate = match code {
            1 => Predicate::Between(a, Bound::decode(r)?),
            2 => Predicate::AtLeast(a),
            3 => Predicate::AtMost(a),
            4 => Predicate::Above(a),
            5 => Predicate::Below(a),
            6 => Predicate::Equal(a),
            7 => Predicate::NotEqual(a),
            _ => {
                return Err(DecodeError::Invalid {
                    what: "statement kind",
                })
            }
        };
        Ok(Statement {
            field,
            attestations,
            sum,
            predicate,
        })
    }

    /// Parses the text syntax (see the module docs). `sum(field)` without indices sums over
    /// the first `n_attestations` attestations.
    pub fn parse(s: &str, n_attestations: u16) -> Result<Self, DecodeError> {
        let bad = |what| DecodeError::Invalid { what };
        let s = s.trim();
        if s.len() > 256 {
            return Err(bad("statement too long"));
        }
        let ops = [">=", "<=", "!=", "==", ">", "<", "=", " in "];
        let (pos, op) = ops
            .iter()
            .filter_map(|op| s.find(op).map(|p| (p, *op)))
            .min_by_key(|(p, op)| (*p, usize::MAX - op.len()))
            .ok_or(bad("statement operator"))?;
        let lhs = s.get(..pos).ok_or(bad("statement"))?.trim();
        let rhs = s.get(pos + op.len()..).ok_or(bad("statement"))?.trim();
        let predicate = match op {
            " in " => {
                let inner = rhs
                    .strip_prefix('[')
                    .and_then(|r| r.strip_suffix(']'))
                    .ok_or(bad("range must be [a, b]"))?;
                let (a, b) = inner.split_once(',').ok_or(bad("range must be [a, b]"))?;
                Predicate::Between(a.parse()?, b.parse()?)
            }
            ">=" => Predicate::AtLeast(rhs.parse()?),
            "<=" => Predicate::AtMost(rhs.parse()?),
            ">" => Predicate::Above(rhs.parse()?),
            "<" => Predicate::Below(rhs.parse()?),
            "==" | "=" => Predicate::Equal(rhs.parse()?),
            "!=" => Predicate::NotEqual(rhs.parse()?),
            _ => return Err(bad("statement operator")),
        };
        if let Some(inner) = lhs.strip_prefix("sum(").and_then(|l| l.strip_suffix(')')) {
            let (field, idx) = match inner.split_once('@') {
                Some((f, list)) => {
                    let idx = list
                        .split(',')
                        .map(|i| {
                            i.trim()
                                .parse::<u16>()
                                .map_err(|_| bad("attestation index"))
                        })
                        .collect::<Result<Vec<u16>, _>>()?;
                    (f.trim(), idx)
                }
                None => (inner.trim(), (0..n_attestations).collect()),
            };
            if idx.len() > MAX_SUM_TERMS {
                return Err(bad("too many summed attestations"));
            }
            return Ok(Statement::sum(field, &idx, predicate));
        }
        let (field, idx) = match lhs.split_once('@') {
            Some((f, i)) => (
                f.trim(),
                i.trim()
                    .parse::<u16>()
                    .map_err(|_| bad("attestation index"))?,
            ),
            None => (lhs, 0),
        };
        Ok(Statement::new(field, predicate).on(idx))
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let idx = self
            .attestations
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        if self.sum {
            write!(f, "sum({}@{idx})", self.field)?;
        } else if self.attestations.first().is_some_and(|i| *i != 0) {
            write!(f, "{}@{idx}", self.field)?;
        } else {
            f.write_str(&self.field)?;
        }
        match &self.predicate {
            Predicate::Between(a, b) => write!(f, " in [{a}, {b}]"),
            Predicate::AtLeast(a) => write!(f, " >= {a}"),
            Predicate::AtMost(a) => write!(f, " <= {a}"),
            Predicate::Above(a) => write!(f, " > {a}"),
            Predicate::Below(a) => write!(f, " < {a}"),
            Predicate::Equal(a) => write!(f, " == {a}"),
            Predicate::NotEqual(a) => write!(f, " != {a}"),
        }
    }
}

/// Why the terms of a statement cannot be used (see [`check_terms`]).
pub(crate) enum TermsError {
    /// A malformed statement (maps to `InvalidStatement`).
    Invalid(&'static str),
    /// One record counted twice (maps to `CountedTwice`).
    CountedTwice(&'static str),
}

impl From<TermsError> for ProveError {
    fn from(e: TermsError) -> Self {
        match e {
            TermsError::Invalid(w) => ProveError::InvalidStatement(w),
            TermsError::CountedTwice(w) => ProveError::CountedTwice(w),
        }
    }
}

impl From<TermsError> for VerifyError {
    fn from(e: TermsError) -> Self {
        match e {
            TermsError::Invalid(w) => VerifyError::InvalidStatement(w),
            TermsError::CountedTwice(w) => VerifyError::CountedTwice(w),
        }
    }
}

/// The one check of a statement's terms that both back-ends run, in the prover and in the
/// verifier, before anything is proven or verified: the shape ([`Statement::check_shape`]),
/// and that no two terms of a statement over several attestations are one record counted
/// twice — the same attestation index, the same attestation (id), the same Poseidon record
/// root, the same Pedersen commitment of the field, or the same signed record id
/// ([`crate::attest::RecordId`]). A sum over two or more attestations also needs every term
/// to carry a record id (attestation format 2): a version-1 attestation cannot say whether it
/// is a renewal of another term, so it is refused in such sums (`docs/spec/attestations.md`).
pub(crate) fn check_terms(st: &Statement, attestations: &[&Attestation]) -> Result<(), TermsError> {
    st.check_shape(attestations.len())
        .map_err(TermsError::Invalid)?;
    if st.attestations.len() < 2 {
        return Ok(());
    }
    let mut seen: Vec<(u16, &Attestation, crate::attest::AttestationId)> =
        Vec::with_capacity(st.attestations.len());
    for i in &st.attestations {
        let a = attestations
            .get(usize::from(*i))
            .copied()
            .ok_or(TermsError::Invalid("attestation index out of range"))?;
        let id = a.id();
        let c = a.numeric_field(&st.field).map(|n| n.commitment);
        for (j, b, b_id) in &seen {
            if j == i {
                return Err(TermsError::CountedTwice("attestation index"));
            }
            if *b_id == id {
                return Err(TermsError::CountedTwice("attestation"));
            }
            if b.root() == a.root() {
                return Err(TermsError::CountedTwice("record root"));
            }
            if c.is_some() && b.numeric_field(&st.field).map(|n| n.commitment) == c {
                return Err(TermsError::CountedTwice("commitment"));
            }
            if a.record_id().is_some() && b.record_id() == a.record_id() {
                return Err(TermsError::CountedTwice("record id"));
            }
        }
        seen.push((*i, a, id));
    }
    if st.sum && seen.iter().any(|(_, a, _)| a.record_id().is_none()) {
        return Err(TermsError::Invalid(
            "a sum over an attestation without a record id (attestation format 1)",
        ));
    }
    Ok(())
}

/// Appends a labelled, length-prefixed message.
pub(crate) fn append(t: &mut Transcript, label: &'static [u8], msg: &[u8]) {
    t.append_message(label, msg);
}

fn challenge_scalar(t: &mut Transcript, label: &'static [u8]) -> Scalar {
    let mut b = [0u8; 64];
    t.challenge_bytes(label, &mut b);
    Scalar::from_bytes_mod_order_wide(&b)
}

/// What a statement is about, resolved against attestations.
struct Target {
    kind: NumericKind,
    resolved: Resolved,
    components: Vec<RangeCommitment>,
    sum: RistrettoPoint,
}

fn target(st: &Statement, attestations: &[&Attestation]) -> Result<Target, TermsError> {
    check_terms(st, attestations)?;
    let bad = TermsError::Invalid;
    let mut kind = None;
    let mut components = Vec::with_capacity(st.attestations.len());
    let mut sum = RistrettoPoint::identity();
    for i in &st.attestations {
        let a = attestations
            .get(usize::from(*i))
            .ok_or(bad("attestation index out of range"))?;
        let nc = a
            .numeric_field(&st.field)
            .ok_or(bad("no numeric field of that name"))?;
        if kind.is_some_and(|k| k != nc.kind) {
            return Err(bad("summed fields have different types or scales"));
        }
        kind = Some(nc.kind);
        sum += nc.commitment.point().map_err(|_| bad("commitment"))?;
        components.push(nc.commitment);
    }
    let kind = kind.ok_or(bad("no attestation"))?;
    if st.sum && kind == NumericKind::Date {
        return Err(bad("dates cannot be summed"));
    }
    let resolved = st.predicate.resolve(kind).map_err(bad)?;
    Ok(Target {
        kind,
        resolved,
        components,
        sum,
    })
}

fn bind_statement(t: &mut Transcript, st: &Statement, tg: &Target) {
    let mut b = Vec::with_capacity(96);
    st.encode(&mut b);
    append(t, b"statement", &b);
    let mut r = vec![tg.kind.code(), tg.kind.scale()];
    match tg.resolved {
        Resolved::Range(lo, hi) => {
            r.push(1);
            for x in [lo, hi] {
                match x {
                    Some(v) => {
                        r.push(1);
                        r.extend_from_slice(&v.to_be_bytes());
                    }
                    None => r.push(0),
                }
            }
        }
        Resolved::Equal(c) => {
            r.push(2);
            r.extend_from_slice(&c.to_be_bytes());
        }
        Resolved::NotEqual(c) => {
            r.push(3);
            r.extend_from_slice(&c.to_be_bytes());
        }
    }
    append(t, b"resolved", &r);
    for c in &tg.components {
        append(t, b"commitment", &c.to_bytes());
    }
}

/// The proof of an `=` statement: `(R, s)`, 64 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EqualityProof {
    r: CompressedRistretto,
    s: Scalar,
}

/// The proof of a `≠` statement: `(R, z1, z2)`, 96 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InequalityProof {
    r: CompressedRistretto,
    z1: Scalar,
    z2: Scalar,
}

/// The proofs of a list of statements: one sigma proof per `=`/`≠` statement (in order) and
/// one aggregated range proof for all the range statements.
#[derive(Clone, Debug)]
pub struct StatementProofs {
    equalities: Vec<EqualityProof>,
    inequalities: Vec<InequalityProof>,
    range: Option<AggregateRangeProof>,
}

/// Largest aggregated range proof accepted.
pub const MAX_RANGE_PROOF_LEN: usize = 64 * 1024;

impl StatementProofs {
    /// Canonical bytes: `count u16 | (R, s)… | count u16 | (R, z1, z2)… | range proof (u32 len,
    /// 0 = none)`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.equalities.len() as u16).to_be_bytes());
        for p in &self.equalities {
            out.extend_from_slice(p.r.as_bytes());
            out.extend_from_slice(p.s.as_bytes());
        }
        out.extend_from_slice(&(self.inequalities.len() as u16).to_be_bytes());
        for p in &self.inequalities {
            out.extend_from_slice(p.r.as_bytes());
            out.extend_from_slice(p.z1.as_bytes());
            out.extend_from_slice(p.z2.as_bytes());
        }
        match &self.range {
            Some(p) => crate::encoding::put_bytes_u32(out, &p.to_bytes()),
            None => out.extend_from_slice(&0u32.to_be_bytes()),
        }
    }

    /// Strict decoding (canonical scalars; at most `max` sigma proofs of each kind).
    pub fn decode(r: &mut Reader<'_>, max: usize) -> Result<Self, DecodeError> {
        let n = r.u16()? as usize;
        if n > max {
            return Err(DecodeError::TooLong {
                what: "equality proofs",
                len: n,
                max,
            });
        }
        let mut equalities = Vec::with_capacity(n);
        for _ in 0..n {
            let rr = CompressedRistretto(r.array()?);
            let s = scalar_from_canonical(&r.array()?)?;
            equalities.push(EqualityProof { r: rr, s });
        }
        let n = r.u16()? as usize;
        if n > max {
            return Err(DecodeError::TooLong {
                what: "inequality proofs",
                len: n,
                max,
            });
        }
        let mut inequalities = Vec::with_capacity(n);
        for _ in 0..n {
            let rr = CompressedRistretto(r.array()?);
            let z1 = scalar_from_canonical(&r.array()?)?;
            let z2 = scalar_from_canonical(&r.array()?)?;
            inequalities.push(InequalityProof { r: rr, z1, z2 });
        }
        let b = r.bytes_u32("range proof", MAX_RANGE_PROOF_LEN)?;
        let range = if b.is_empty() {
            None
        } else {
            Some(AggregateRangeProof::from_bytes(b)?)
        };
        Ok(StatementProofs {
            equalities,
            inequalities,
            range,
        })
    }
}

/// Proves `statements` about the holder's attested records on a transcript that already binds
/// the context (challenge, attestations, holder).
pub fn prove_statements<R: RngCore + CryptoRng>(
    transcript: &mut Transcript,
    held: &[&AttestedRecord],
    statements: &[Statement],
    rng: &mut R,
) -> Result<StatementProofs, ProveError> {
    let atts: Vec<&Attestation> = held.iter().map(|h| h.attestation()).collect();
    let g = pedersen_gens();
    append(
        transcript,
        b"statements",
        &(statements.len() as u64).to_be_bytes(),
    );
    let mut claims = Vec::new();
    let mut witnesses = Vec::new();
    let mut equalities = Vec::new();
    let mut inequalities = Vec::new();
    for st in statements {
        let tg = target(st, &atts)?;
        // the witness: the sum of the values and of the blindings
        let mut value: i128 = 0;
        let mut blinding = Zeroizing::new(Scalar::ZERO);
        for i in &st.attestations {
            let h = held
                .get(usize::from(*i))
                .ok_or(ProveError::InvalidStatement(
                    "attestation index out of range",
                ))?;
            let (_, o) = h
                .range_opening(&st.field)
                .ok_or(ProveError::InvalidStatement(
                    "no numeric field of that name",
                ))?;
            value += i128::from(o.value());
            *blinding += o.blinding();
        }
        let value = i64::try_from(value).map_err(|_| ProveError::OutOfWidth)?;
        if !tg.resolved.holds(value) {
            return Err(ProveError::Unsatisfied);
        }
        bind_statement(transcript, st, &tg);
        match tg.resolved {
            Resolved::Range(lo, hi) => {
                claims.push(RangeClaim {
                    commitment: RangeCommitment::from_point(&tg.sum),
                    lo,
                    hi,
                });
                witnesses.push(RangeWitness {
                    value,
                    blinding: *blinding,
                });
            }
            Resolved::Equal(_) => {
                // C − c·B = r·B_blinding (the holder checked v = c above)
                let k = Zeroizing::new(random_scalar(rng));
                let r_pt = (g.B_blinding * *k).compress();
                append(transcript, b"eq-R", r_pt.as_bytes());
                let e = challenge_scalar(transcript, b"eq-e");
                let s = *k + e * *blinding;
                equalities.push(EqualityProof { r: r_pt, s });
            }
            Resolved::NotEqual(c) => {
                let diff = Zeroizing::new(scalar_from_i64(value) - scalar_from_i64(c));
                let alpha = Zeroizing::new(diff.invert());
                let beta = Zeroizing::new(*alpha * *blinding);
                let d = tg.sum - g.B * scalar_from_i64(c);
                let k1 = Zeroizing::new(random_scalar(rng));
                let k2 = Zeroizing::new(random_scalar(rng));
                let r_pt = (d * *k1 - g.B_blinding * *k2).compress();
                append(transcript, b"ne-R", r_pt.as_bytes());
                let e = challenge_scalar(transcript, b"ne-e");
                inequalities.push(InequalityProof {
                    r: r_pt,
                    z1: *k1 + e * *alpha,
                    z2: *k2 + e * *beta,
                });
            }
        }
    }
    let range = if claims.is_empty() {
        None
    } else {
        Some(range::prove_with_rng(transcript, &claims, &witnesses, rng)?)
    };
    Ok(StatementProofs {
        equalities,
        inequalities,
        range,
    })
}

/// Verifies [`prove_statements`]' proofs on a transcript that binds the same context.
pub fn verify_statements(
    transcript: &mut Transcript,
    attestations: &[&Attestation],
    statements: &[Statement],
    proofs: &StatementProofs,
) -> Result<(), VerifyError> {
    let g = pedersen_gens();
    append(
        transcript,
        b"statements",
        &(statements.len() as u64).to_be_bytes(),
    );
    let mut claims = Vec::new();
    let mut eqs = proofs.equalities.iter();
    let mut nes = proofs.inequalities.iter();
    for st in statements {
        let tg = target(st, attestations)?;
        bind_statement(transcript, st, &tg);
        match tg.resolved {
            Resolved::Range(lo, hi) => claims.push(RangeClaim {
                commitment: RangeCommitment::from_point(&tg.sum),
                lo,
                hi,
            }),
            Resolved::Equal(c) => {
                let p = eqs.next().ok_or(VerifyError::Proof)?;
                append(transcript, b"eq-R", p.r.as_bytes());
                let e = challenge_scalar(transcript, b"eq-e");
                let r_pt = p.r.decompress().ok_or(VerifyError::Proof)?;
                let d = tg.sum - g.B * scalar_from_i64(c);
                if g.B_blinding * p.s != r_pt + d * e {
                    return Err(VerifyError::Proof);
                }
            }
            Resolved::NotEqual(c) => {
                let p = nes.next().ok_or(VerifyError::Proof)?;
                append(transcript, b"ne-R", p.r.as_bytes());
                let e = challenge_scalar(transcript, b"ne-e");
                let r_pt = p.r.decompress().ok_or(VerifyError::Proof)?;
                let d = tg.sum - g.B * scalar_from_i64(c);
                if d * p.z1 - g.B_blinding * p.z2 != r_pt + g.B * e {
                    return Err(VerifyError::Proof);
                }
            }
        }
    }
    if eqs.next().is_some() || nes.next().is_some() {
        return Err(VerifyError::Proof);
    }
    match (&proofs.range, claims.is_empty()) {
        (None, true) => Ok(()),
        (Some(p), false) => range::verify(transcript, &claims, p).map_err(|_| VerifyError::Proof),
        _ => Err(VerifyError::Proof),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::{issue_with_rng, Terms};
    use crate::party::SecretKeys;
    use crate::record::{Record, Value};
    use crate::test_util::TestRng;

    fn held(values: &[(&str, Value)], seed: u64) -> AttestedRecord {
        let mut rng = TestRng::new(seed);
        let issuer = SecretKeys::generate_with_rng(&mut rng);
        let mut rec = Record::new("t/v1").unwrap();
        for (n, v) in values {
            rec.insert(n, v.clone()).unwrap();
        }
        let terms = Terms {
            subject: issuer.public().key_id(),
            not_before: 0,
            not_after: u64::MAX,
        };
        issue_with_rng(&issuer, &rec, &terms, &mut rng).unwrap()
    }

    fn run(h: &[&AttestedRecord], sts: &[Statement]) -> Result<(), String> {
        let mut rng = TestRng::new(99);
        let mut t = Transcript::new(b"test");
        let p = prove_statements(&mut t, h, sts, &mut rng).map_err(|e| format!("prove: {e}"))?;
        let mut buf = Vec::new();
        p.encode(&mut buf);
        let p2 = StatementProofs::decode(&mut Reader::new(&buf), 16).unwrap();
        let atts: Vec<&Attestation> = h.iter().map(|h| h.attestation()).collect();
        let mut t = Transcript::new(b"test");
        verify_statements(&mut t, &atts, sts, &p2).map_err(|e| format!("verify: {e}"))
    }

    fn n(s: &str) -> Bound {
        s.parse().unwrap()
    }

    #[test]
    fn equality_and_inequality() {
        let h = held(
            &[
                ("x", Value::Int(-5)),
                ("d", Value::decimal("1.50").unwrap()),
            ],
            1,
        );
        run(&[&h], &[Statement::equals("x", n("-5"))]).unwrap();
        run(
            &[&h],
            &[
                Statement::not_equals("x", n("-4")),
                Statement::not_equals("x", n("0")),
            ],
        )
        .unwrap();
        run(
            &[&h],
            &[
                Statement::equals("d", n("1.5")),
                Statement::not_equals("d", n("1.49")),
            ],
        )
        .unwrap();
        assert!(run(&[&h], &[Statement::equals("x", n("-4"))])
            .unwrap_err()
            .starts_with("prove"));
        assert!(run(&[&h], &[Statement::not_equals("x", n("-5"))])
            .unwrap_err()
            .starts_with("prove"));
        assert!(run(&[&h], &[Statement::equals("d", n("1.505"))])
            .unwrap_err()
            .contains("invalid statement"));
    }

    #[test]
    fn sigma_proofs_bind_the_bound() {
        let h = held(&[("x", Value::Int(10))], 2);
        let mut rng = TestRng::new(3);
        let atts = [h.attestation()];
        for (good, bad) in [
            (
                Statement::equals("x", n("10")),
                Statement::equals("x", n("11")),
            ),
            (
                Statement::not_equals("x", n("3")),
                Statement::not_equals("x", n("10")),
            ),
            (
                Statement::not_equals("x", n("3")),
                Statement::not_equals("x", n("4")),
            ),
        ] {
            let mut t = Transcript::new(b"t");
            let p = prove_statements(&mut t, &[&h], std::slice::from_ref(&good), &mut rng).unwrap();
            let mut t = Transcript::new(b"t");
            assert!(verify_statements(&mut t, &atts, std::slice::from_ref(&good), &p).is_ok());
            let mut t = Transcript::new(b"t");
            assert_eq!(
                verify_statements(&mut t, &atts, &[bad], &p),
                Err(VerifyError::Proof)
            );
            let mut t = Transcript::new(b"other");
            assert_eq!(
                verify_statements(&mut t, &atts, &[good], &p),
                Err(VerifyError::Proof)
            );
        }
    }

    #[test]
    fn ranges_and_sums() {
        let a = held(
            &[
                ("amt", Value::decimal("400000.00").unwrap()),
                ("dob", Value::date("2000-01-01").unwrap()),
            ],
            4,
        );
        let b = held(&[("amt", Value::decimal("600000.50").unwrap())], 5);
        run(&[&a], &[Statement::parse("amt in [0, 400000]", 1).unwrap()]).unwrap();
        run(&[&a], &[Statement::parse("dob < 2008-11-21", 1).unwrap()]).unwrap();
        assert!(run(&[&a], &[Statement::parse("dob > 2008-11-21", 1).unwrap()]).is_err());
        run(
            &[&a, &b],
            &[Statement::parse("sum(amt) >= 1000000.5", 2).unwrap()],
        )
        .unwrap();
        assert!(run(
            &[&a, &b],
            &[Statement::parse("sum(amt) >= 1000000.51", 2).unwrap()]
        )
        .is_err());
        run(
            &[&a, &b],
            &[Statement::parse("sum(amt) == 1000000.5", 2).unwrap()],
        )
        .unwrap();
        assert!(run(
            &[&a, &b],
            &[Statement::parse("sum(dob@0,0) >= 1", 2).unwrap()]
        )
        .is_err());
    }

    /// Issue 11 item 1: one attestation at several indices is one record, refused in a sum by
    /// the prover and by the verifier (before today's fix it summed its commitment k times).
    #[test]
    fn a_repeated_attestation_is_not_summed() {
        let inv = held(&[("amount", Value::decimal("1000000.00").unwrap())], 6);
        let other = held(&[("amount", Value::decimal("3000000.00").unwrap())], 7);
        let st = Statement::parse("sum(amount) >= 4000000", 4).unwrap();
        let mut rng = TestRng::new(8);
        let mut t = Transcript::new(b"test");
        assert_eq!(
            prove_statements(
                &mut t,
                &[&inv, &inv, &inv, &inv],
                std::slice::from_ref(&st),
                &mut rng
            )
            .unwrap_err(),
            ProveError::CountedTwice("attestation")
        );
        // a genuine proof over two distinct records, shown with one of them twice
        let st2 = Statement::parse("sum(amount) >= 4000000", 2).unwrap();
        let mut t = Transcript::new(b"test");
        let p = prove_statements(
            &mut t,
            &[&inv, &other],
            std::slice::from_ref(&st2),
            &mut rng,
        )
        .unwrap();
        let mut t = Transcript::new(b"test");
        let a = inv.attestation();
        assert_eq!(
            verify_statements(&mut t, &[a, a], std::slice::from_ref(&st2), &p),
            Err(VerifyError::CountedTwice("attestation"))
        );
        let mut t = Transcript::new(b"test");
        assert_eq!(
            verify_statements(
                &mut t,
                &[a, other.attestation()],
                &[Statement::sum(
                    "amount",
                    &[0, 0],
                    Predicate::AtLeast(n("1"))
                )],
                &p
            ),
            Err(VerifyError::CountedTwice("attestation index"))
        );
        // the same commitment or root under another signature is the same record too
        let mut parts = crate::attest::hazmat::parts(a);
        parts.not_after -= 1;
        let issuer = SecretKeys::generate_with_rng(&mut TestRng::new(6));
        let resigned = crate::attest::hazmat::sign(parts, &issuer);
        assert_ne!(resigned.id(), a.id());
        let mut t = Transcript::new(b"test");
        assert_eq!(
            verify_statements(&mut t, &[a, &resigned], std::slice::from_ref(&st2), &p),
            Err(VerifyError::CountedTwice("record root"))
        );
    }

    /// Issue 11 item 8: two attestations of one record (a renewal, a second issuer) carry the
    /// same signed record id and are not summed; version-1 attestations (no record id) are not
    /// summed with others at all, but still prove single-field statements.
    #[test]
    fn a_record_attested_twice_is_not_summed() {
        use crate::attest::{hazmat, issue_with_record_id_rng, RecordId};
        let mut rng = TestRng::new(11);
        let bank = SecretKeys::generate_with_rng(&mut rng);
        let auditor = SecretKeys::generate_with_rng(&mut rng);
        let holder = SecretKeys::generate_with_rng(&mut rng);
        let rec = Record::new("invoice/v1")
            .unwrap()
            .with("amount", Value::decimal("1000000.00").unwrap())
            .unwrap();
        let terms = Terms {
            subject: holder.public().key_id(),
            not_before: 0,
            not_after: 100,
        };
        let renewed = Terms {
            not_after: 200,
            ..terms
        };
        let first = issue_with_rng(&bank, &rec, &terms, &mut rng).unwrap();
        let renewal = issue_with_rng(&bank, &rec, &renewed, &mut rng).unwrap();
        assert_ne!(first.attestation().root(), renewal.attestation().root());
        assert_eq!(
            first.attestation().record_id(),
            renewal.attestation().record_id()
        );
        let st = Statement::parse("sum(amount) >= 2000000", 2).unwrap();
        assert_eq!(
            run(&[&first, &renewal], std::slice::from_ref(&st)).unwrap_err(),
            "prove: a statement counts one record twice (repeated record id)"
        );
        // two issuers naming the invoice alike
        let name = RecordId::named("seller 1234 invoice 2026-0042").unwrap();
        let a = issue_with_record_id_rng(&bank, &rec, &terms, &name, &mut rng).unwrap();
        let b = issue_with_record_id_rng(&auditor, &rec, &terms, &name, &mut rng).unwrap();
        assert_eq!(
            run(&[&a, &b], std::slice::from_ref(&st)).unwrap_err(),
            "prove: a statement counts one record twice (repeated record id)"
        );
        // the verifier refuses it too, with a genuine proof over two distinct records
        let other = issue_with_record_id_rng(
            &auditor,
            &rec,
            &terms,
            &RecordId::named("seller 1234 invoice 2026-0043").unwrap(),
            &mut rng,
        )
        .unwrap();
        run(&[&a, &other], std::slice::from_ref(&st)).unwrap();
        let mut t = Transcript::new(b"test");
        let p =
            prove_statements(&mut t, &[&a, &other], std::slice::from_ref(&st), &mut rng).unwrap();
        let mut t = Transcript::new(b"test");
        assert_eq!(
            verify_statements(
                &mut t,
                &[a.attestation(), b.attestation()],
                std::slice::from_ref(&st),
                &p
            ),
            Err(VerifyError::CountedTwice("record id"))
        );
        // version 1: decodes and verifies, proves about one field, is not summed with others
        let v1 = |h: &AttestedRecord, k: &SecretKeys| {
            let mut parts = hazmat::parts(h.attestation());
            parts.record_id = None;
            let att = hazmat::sign(parts, k);
            assert_eq!(att.version(), 1);
            let att = Attestation::from_bytes(&att.to_bytes()).unwrap();
            hazmat::replace_attestation(h, att)
        };
        let (a1, o1) = (v1(&a, &bank), v1(&other, &auditor));
        run(&[&a1], &[Statement::parse("amount >= 1000000", 1).unwrap()]).unwrap();
        assert!(run(&[&a1, &o1], std::slice::from_ref(&st))
            .unwrap_err()
            .contains("without a record id"));
        assert!(run(&[&a1, &other], std::slice::from_ref(&st))
            .unwrap_err()
            .contains("without a record id"));
    }

    #[test]
    fn parse_and_display() {
        for s in [
            "score >= 700",
            "income in [50000, 120000]",
            "dob < 2008-11-21",
            "x@1 != -3.25",
            "sum(amount@0,1,2) >= 1000000",
            "x == 5",
            "x <= 5",
            "x > 5",
        ] {
            let st = Statement::parse(s, 3).unwrap();
            assert_eq!(st.to_string(), s);
            let mut b = Vec::new();
            st.encode(&mut b);
            let mut r = Reader::new(&b);
            assert_eq!(Statement::decode(&mut r).unwrap(), st);
            r.finish().unwrap();
        }
        assert_eq!(
            Statement::parse("sum(a) >= 1", 2).unwrap().to_string(),
            "sum(a@0,1) >= 1"
        );
        for bad in ["score", "score >= ", "x in 1,2", "x >= 1e5", "x@z >= 1"] {
            assert!(Statement::parse(bad, 1).is_err(), "{bad}");
        }
    }
}
