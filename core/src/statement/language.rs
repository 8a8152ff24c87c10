//! The statement language: bounds, predicates, statements, their text syntax and bytes.

use super::*;

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
    pub fn to_units(&self, kind: NumericKind) -> Result<i64, StatementError> {
        match (self, kind) {
            (Bound::Number(d), NumericKind::Int) => {
                d.rescale(0).ok_or(StatementError::NotAnInteger)
            }
            (Bound::Number(d), NumericKind::Decimal(s)) => {
                d.rescale(s).ok_or(StatementError::InexactBound)
            }
            (Bound::Date(d), NumericKind::Date) => Ok(i64::from(d.days())),
            (Bound::Date(_), _) => Err(StatementError::DateForNumber),
            (Bound::Number(_), NumericKind::Date) => Err(StatementError::NumberForDate),
        }
    }

    pub(super) fn encode(&self, out: &mut Vec<u8>) {
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

    pub(super) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
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
    pub(super) fn code(&self) -> u8 {
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

    pub(super) fn bounds(&self) -> (Bound, Option<Bound>) {
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
    pub fn resolve(&self, kind: NumericKind) -> Result<Resolved, StatementError> {
        let u = |b: &Bound| b.to_units(kind);
        Ok(match self {
            Predicate::Between(a, b) => {
                let (lo, hi) = (u(a)?, u(b)?);
                if lo > hi {
                    return Err(StatementError::EmptyRange);
                }
                Resolved::Range(Some(lo), Some(hi))
            }
            Predicate::AtLeast(a) => Resolved::Range(Some(u(a)?), None),
            Predicate::AtMost(b) => Resolved::Range(None, Some(u(b)?)),
            Predicate::Above(a) => Resolved::Range(
                Some(u(a)?.checked_add(1).ok_or(StatementError::OutOfWidth)?),
                None,
            ),
            Predicate::Below(b) => Resolved::Range(
                None,
                Some(u(b)?.checked_sub(1).ok_or(StatementError::OutOfWidth)?),
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
    pub(super) fn holds(&self, v: i64) -> bool {
        match *self {
            Resolved::Range(lo, hi) => lo.is_none_or(|l| v >= l) && hi.is_none_or(|h| v <= h),
            Resolved::Equal(c) => v == c,
            Resolved::NotEqual(c) => v != c,
        }
    }
}

/// A statement about one numeric field: of one attestation, summed over several, or of every
/// one of several (a column statement, `all(amount) in [0, 10000]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub(super) field: String,
    pub(super) attestations: Vec<u16>,
    pub(super) sum: bool,
    pub(super) all: bool,
    pub(super) predicate: Predicate,
}

impl Statement {
    /// A statement about `field` of the first attestation of a presentation.
    pub fn new(field: &str, predicate: Predicate) -> Self {
        Statement {
            field: field.to_owned(),
            attestations: vec![0],
            sum: false,
            all: false,
            predicate,
        }
    }

    /// The same statement about the attestation at `index` of the presentation.
    pub fn on(mut self, index: u16) -> Self {
        self.attestations = vec![index];
        self.sum = false;
        self.all = false;
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
    /// most [`MAX_TERMS`]; a Groth16 sum at most [`MAX_SUM_TERMS`]).
    pub fn sum(field: &str, indices: &[u16], predicate: Predicate) -> Self {
        Statement {
            field: field.to_owned(),
            attestations: indices.to_vec(),
            sum: true,
            all: false,
            predicate,
        }
    }

    /// A column statement: `predicate` holds for `field` of **every** attestation at `indices`
    /// (distinct rows of one issuer and schema, at most [`MAX_TERMS`]); a range predicate
    /// (`in [a, b]`, `>=`, `<=`, `>`, `<`), proven with one aggregated range proof
    /// (Bulletproofs only).
    pub fn all(field: &str, indices: &[u16], predicate: Predicate) -> Self {
        Statement {
            field: field.to_owned(),
            attestations: indices.to_vec(),
            sum: false,
            all: true,
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
    /// Whether this is a column statement ([`Statement::all`]).
    pub fn is_all(&self) -> bool {
        self.all
    }
    /// The predicate.
    pub fn predicate(&self) -> &Predicate {
        &self.predicate
    }

    pub(crate) fn check_shape(&self, n_attestations: usize) -> Result<(), &'static str> {
        if self.field.is_empty() || self.field.len() > MAX_NAME_LEN {
            return Err("field name");
        }
        if self.attestations.is_empty() || self.attestations.len() > MAX_TERMS {
            return Err("number of summed attestations");
        }
        if !self.sum && !self.all && self.attestations.len() != 1 {
            return Err("a single-field statement names one attestation");
        }
        if self.sum && self.all {
            return Err("a statement is a sum or a column statement, not both");
        }
        if self.all && matches!(self.predicate, Predicate::Equal(_) | Predicate::NotEqual(_)) {
            return Err("a column statement is a range (in, >=, <=, >, <)");
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

    /// Canonical bytes: `kind u8 | scope u8 | field (u16 len) | count u16 | indices u16… |
    /// bound | [bound]`; scope 0 one attestation, 1 a sum, 2 every attestation (column).
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.predicate.code());
        out.push(if self.all { 2 } else { u8::from(self.sum) });
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
        let (sum, all) = match r.u8()? {
            0 => (false, false),
            1 => (true, false),
            2 => (false, true),
            _ => return Err(DecodeError::Invalid { what: "statement" }),
        };
        let field = r.str_u16("statement field", MAX_NAME_LEN)?.to_owned();
        let n = r.u16()? as usize;
        if n == 0 || n > MAX_TERMS || (!sum && !all && n != 1) {
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
            all,
            predicate,
        })
    }

    /// Parses the text syntax (see the module docs). `sum(field)` / `all(field)` without
    /// indices cover the first `n_attestations` attestations; an index list may hold runs
    /// (`sum(amount@0-99,120)`).
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
        let many = lhs
            .strip_prefix("sum(")
            .map(|l| (false, l))
            .or_else(|| lhs.strip_prefix("all(").map(|l| (true, l)));
        if let Some((all, inner)) = many {
            let inner = inner.strip_suffix(')').ok_or(bad("statement"))?;
            let (field, idx) = match inner.split_once('@') {
                Some((f, list)) => (f.trim(), parse_indices(list)?),
                None => (inner.trim(), (0..n_attestations).collect()),
            };
            if idx.len() > MAX_TERMS {
                return Err(bad("too many summed attestations"));
            }
            return Ok(if all {
                Statement::all(field, &idx, predicate)
            } else {
                Statement::sum(field, &idx, predicate)
            });
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
        if self.all || (self.sum && self.attestations.len() > MAX_SUM_TERMS) {
            let kw = if self.all { "all" } else { "sum" };
            write!(f, "{kw}({}@{})", self.field, runs(&self.attestations))?;
        } else if self.sum {
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

/// Parses an index list: `0,2,5` or runs `0-99,120` (at most [`MAX_TERMS`] indices).
fn parse_indices(list: &str) -> Result<Vec<u16>, DecodeError> {
    let bad = DecodeError::Invalid {
        what: "attestation index",
    };
    let mut out = Vec::new();
    for part in list.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (part, part),
        };
        let a = a.parse::<u16>().map_err(|_| bad.clone())?;
        let b = b.parse::<u16>().map_err(|_| bad.clone())?;
        if a > b || out.len() + usize::from(b - a) + 1 > MAX_TERMS {
            return Err(DecodeError::Invalid {
                what: "attestation index range",
            });
        }
        out.extend(a..=b);
    }
    Ok(out)
}

/// Writes an index list with runs of three or more as `a-b`.
fn runs(indices: &[u16]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&start) = indices.get(i) {
        let mut j = i;
        while let (Some(&x), Some(&y)) = (indices.get(j), indices.get(j + 1)) {
            if y != x.wrapping_add(1) || x == u16::MAX {
                break;
            }
            j += 1;
        }
        let end = indices.get(j).copied().unwrap_or(start);
        if j >= i + 2 {
            parts.push(format!("{start}-{end}"));
            i = j + 1;
        } else {
            parts.push(start.to_string());
            i += 1;
        }
    }
    parts.join(",")
}
