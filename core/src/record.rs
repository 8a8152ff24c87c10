//! Records: named, typed fields under a schema id.
//!
//! Field types are signed integers, fixed-point decimals, dates, strings, bytes and booleans.
//! A record has one canonical encoding (fields sorted by name, each at most once) and a typed
//! JSON view:
//!
//! ```
//! use causeway::record::{Record, Value};
//! let r = Record::new("kyc/customer/v1")?
//!     .with("credit_score", Value::Int(712))?
//!     .with("income", Value::decimal("85000.50")?)?
//!     .with("born", Value::date("1990-04-02")?)?
//!     .with("name", Value::String("Ada Lovelace".into()))?;
//! let json = r.to_json_string();
//! assert_eq!(Record::from_json(&json)?, r);
//! assert_eq!(Record::from_bytes(&r.to_bytes())?, r);
//! # Ok::<(), causeway::error::RecordError>(())
//! ```

use crate::encoding::{
    b64u_decode, b64u_encode, put_bytes_u16, put_bytes_u32, read_header, write_header, Reader, Tag,
};
use crate::error::{DecodeError, RecordError};
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;
use std::fmt;

/// Current record encoding version.
pub const RECORD_VERSION: u8 = 1;
/// Most fields in a record.
pub const MAX_FIELDS: usize = 256;
/// Longest field name, in bytes.
pub const MAX_NAME_LEN: usize = 64;
/// Longest schema id, in bytes.
pub const MAX_SCHEMA_LEN: usize = 128;
/// Longest string value, in bytes.
pub const MAX_STRING_LEN: usize = 64 * 1024;
/// Longest bytes value (larger payloads are sealed as streams).
pub const MAX_BYTES_LEN: usize = 16 * 1024 * 1024;
/// Largest encoded record.
pub const MAX_RECORD_LEN: usize = MAX_BYTES_LEN + 1024 * 1024;
/// Largest decimal scale (digits after the point).
pub const MAX_DECIMAL_SCALE: u8 = 18;

/// The type of a [`Value`], and the one table of its type codes: every encoding that tags a
/// value (a record's canonical bytes, a presentation's disclosures, a field's Poseidon leaf,
/// a numeric commitment's kind) takes the code from [`ValueType::code`] and reads it back with
/// [`ValueType::from_code`], which refuses unknown codes.
///
/// | type | code | JSON `type` |
/// |------|------|-------------|
/// | [`Value::Int`] | 1 | `int` |
/// | [`Value::Decimal`] | 2 | `decimal` |
/// | [`Value::Date`] | 3 | `date` |
/// | [`Value::String`] | 4 | `string` |
/// | [`Value::Bytes`] | 5 | `bytes` |
/// | [`Value::Bool`] | 6 | `bool` |
///
/// ```
/// use causeway::record::{UnknownValueType, Value, ValueType};
/// assert_eq!(Value::Int(7).value_type(), ValueType::Int);
/// for t in ValueType::ALL {
///     assert_eq!(ValueType::from_code(t.code()), Ok(t));
///     assert_eq!(ValueType::from_name(t.name()), Some(t));
/// }
/// assert_eq!(ValueType::from_code(0), Err(UnknownValueType(0)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[non_exhaustive]
pub enum ValueType {
    /// [`Value::Int`].
    Int,
    /// [`Value::Decimal`].
    Decimal,
    /// [`Value::Date`].
    Date,
    /// [`Value::String`].
    String,
    /// [`Value::Bytes`].
    Bytes,
    /// [`Value::Bool`].
    Bool,
}

impl ValueType {
    /// Every value type, in code order.
    pub const ALL: [ValueType; 6] = [
        ValueType::Int,
        ValueType::Decimal,
        ValueType::Date,
        ValueType::String,
        ValueType::Bytes,
        ValueType::Bool,
    ];

    /// The one-byte type code (`docs/spec/commitments.md`, `docs/spec/attestations.md`).
    pub const fn code(self) -> u8 {
        match self {
            ValueType::Int => 1,
            ValueType::Decimal => 2,
            ValueType::Date => 3,
            ValueType::String => 4,
            ValueType::Bytes => 5,
            ValueType::Bool => 6,
        }
    }

    /// The type with this code; an unknown code is an [`UnknownValueType`] error (never a
    /// default type).
    pub fn from_code(code: u8) -> Result<Self, UnknownValueType> {
        ValueType::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or(UnknownValueType(code))
    }

    /// The type name of the JSON views (`int`, `decimal`, `date`, `string`, `bytes`, `bool`).
    pub const fn name(self) -> &'static str {
        match self {
            ValueType::Int => "int",
            ValueType::Decimal => "decimal",
            ValueType::Date => "date",
            ValueType::String => "string",
            ValueType::Bytes => "bytes",
            ValueType::Bool => "bool",
        }
    }

    /// The type with this JSON name, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        ValueType::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A type code that no [`ValueType`] has (in an encoding: malformed input).
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
#[error("unknown value type code {0:#04x}")]
pub struct UnknownValueType(pub u8);

impl From<UnknownValueType> for DecodeError {
    fn from(_: UnknownValueType) -> Self {
        DecodeError::Invalid { what: "value type" }
    }
}

impl From<UnknownValueType> for RecordError {
    fn from(e: UnknownValueType) -> Self {
        RecordError::Decode(e.into())
    }
}

/// A calendar date, stored as days since 1970-01-01 (proleptic Gregorian), years 1 to 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(i32);

const MIN_DAY: i32 = -719_162; // 0001-01-01
const MAX_DAY: i32 = 2_932_896; // 9999-12-31

impl Date {
    /// A date from days since the Unix epoch.
    pub fn from_days(days: i32) -> Result<Self, RecordError> {
        if (MIN_DAY..=MAX_DAY).contains(&days) {
            Ok(Date(days))
        } else {
            Err(RecordError::InvalidValue("date out of range"))
        }
    }
    /// Days since 1970-01-01.
    pub fn days(&self) -> i32 {
        self.0
    }
    /// A date from year, month, day; refuses dates that do not exist.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Result<Self, RecordError> {
        if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return Err(RecordError::InvalidValue("no such date"));
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date::from_days(era * 146_097 + doe - 719_468)
    }
    /// Year, month, day.
    pub fn ymd(&self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl core::str::FromStr for Date {
    type Err = RecordError;
    fn from_str(s: &str) -> Result<Self, RecordError> {
        let bad = RecordError::InvalidValue("date must be YYYY-MM-DD");
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(bad);
        }
        let num = |r: core::ops::Range<usize>| -> Result<u32, RecordError> {
            let part = s
                .get(r)
                .ok_or(RecordError::InvalidValue("date must be YYYY-MM-DD"))?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(RecordError::InvalidValue("date must be YYYY-MM-DD"));
            }
            part.parse()
                .map_err(|_| RecordError::InvalidValue("date must be YYYY-MM-DD"))
        };
        Date::from_ymd(num(0..4)? as i32, num(5..7)?, num(8..10)?)
    }
}

/// A fixed-point decimal: `units / 10^scale`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Decimal {
    units: i64,
    scale: u8,
}

impl Decimal {
    /// `units / 10^scale`; `scale` at most [`MAX_DECIMAL_SCALE`].
    pub fn new(units: i64, scale: u8) -> Result<Self, RecordError> {
        if scale > MAX_DECIMAL_SCALE {
            return Err(RecordError::InvalidValue("decimal scale too large"));
        }
        Ok(Decimal { units, scale })
    }
    /// The integer number of `10^-scale` units.
    pub fn units(&self) -> i64 {
        self.units
    }
    /// Digits after the point.
    pub fn scale(&self) -> u8 {
        self.scale
    }
    /// The value rescaled to `scale` digits, if exact and in range.
    pub fn rescale(&self, scale: u8) -> Option<i64> {
        if scale > MAX_DECIMAL_SCALE {
            return None;
        }
        if scale >= self.scale {
            let f = 10i64.checked_pow(u32::from(scale - self.scale))?;
            self.units.checked_mul(f)
        } else {
            let f = 10i64.checked_pow(u32::from(self.scale - scale))?;
            (self.units % f == 0).then_some(self.units / f)
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.units);
        }
        let sign = if self.units < 0 { "-" } else { "" };
        let abs = self.units.unsigned_abs();
        let p = 10u64.pow(u32::from(self.scale));
        write!(
            f,
            "{sign}{}.{:0width$}",
            abs / p,
            abs % p,
            width = self.scale as usize
        )
    }
}

impl core::str::FromStr for Decimal {
    type Err = RecordError;
    fn from_str(s: &str) -> Result<Self, RecordError> {
        let bad = || RecordError::InvalidValue("decimal must look like -123.45");
        if s.is_empty() || s.len() > 40 {
            return Err(bad());
        }
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        if int.is_empty()
            || !int.bytes().all(|c| c.is_ascii_digit())
            || !frac.bytes().all(|c| c.is_ascii_digit())
            || (body.contains('.') && frac.is_empty())
        {
            return Err(bad());
        }
        let scale = u8::try_from(frac.len()).map_err(|_| bad())?;
        if scale > MAX_DECIMAL_SCALE {
            return Err(RecordError::InvalidValue("decimal scale too large"));
        }
        let digits = format!("{int}{frac}");
        let mag: i128 = digits.parse().map_err(|_| bad())?;
        let v = if neg { -mag } else { mag };
        let units =
            i64::try_from(v).map_err(|_| RecordError::InvalidValue("decimal out of range"))?;
        Decimal::new(units, scale)
    }
}

/// A field value.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Value {
    /// A signed 64-bit integer.
    Int(i64),
    /// A fixed-point decimal.
    Decimal(Decimal),
    /// A calendar date.
    Date(Date),
    /// UTF-8 text.
    String(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// A boolean.
    Bool(bool),
}

impl Value {
    /// Parses a decimal such as `"85000.50"`.
    pub fn decimal(s: &str) -> Result<Value, RecordError> {
        Ok(Value::Decimal(s.parse()?))
    }
    /// Parses a date such as `"2008-11-21"`.
    pub fn date(s: &str) -> Result<Value, RecordError> {
        Ok(Value::Date(s.parse()?))
    }
    /// The value's type (its code in [`ValueType`]'s table).
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Int(_) => ValueType::Int,
            Value::Decimal(_) => ValueType::Decimal,
            Value::Date(_) => ValueType::Date,
            Value::String(_) => ValueType::String,
            Value::Bytes(_) => ValueType::Bytes,
            Value::Bool(_) => ValueType::Bool,
        }
    }

    /// The type name used in JSON ([`ValueType::name`]).
    pub fn type_name(&self) -> &'static str {
        self.value_type().name()
    }

    /// The bare JSON value of the typed view, without its type: a number for ints, a string
    /// for decimals (`"85000.00"`), dates (`"2008-11-21"`) and text, unpadded base64url for
    /// bytes, a boolean for bools.
    fn bare_json(&self) -> Json {
        match self {
            Value::Int(i) => json!(i),
            Value::Decimal(d) => json!(d.to_string()),
            Value::Date(d) => json!(d.to_string()),
            Value::String(s) => json!(s),
            Value::Bytes(b) => json!(b64u_encode(b)),
            Value::Bool(b) => json!(b),
        }
    }

    /// The typed JSON view, `{"type": "int", "value": 742}` (as in a record's JSON), as a
    /// string; [`Value::from_json_str`] reads it back. `Value` also implements
    /// `serde::Serialize` with this shape.
    ///
    /// ```
    /// use causeway::record::Value;
    /// let v = Value::decimal("85000.00")?;
    /// assert_eq!(v.to_json_string(), r#"{"type":"decimal","value":"85000.00"}"#);
    /// assert_eq!(Value::from_json_str(&v.to_json_string())?, v);
    /// # Ok::<(), causeway::error::RecordError>(())
    /// ```
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }

    /// Parses the typed JSON view of [`Value::to_json_string`] (with the same limits as a
    /// record field).
    pub fn from_json_str(s: &str) -> Result<Value, RecordError> {
        let max = MAX_BYTES_LEN.saturating_mul(2);
        if s.len() > max {
            return Err(DecodeError::TooLong {
                what: "value JSON",
                len: s.len(),
                max,
            }
            .into());
        }
        let v: Json = serde_json::from_str(s).map_err(|e| DecodeError::json(&e))?;
        Value::from_json(&v)
    }

    /// Appends the canonical encoding: the [`ValueType`] code, then the value (int: i64;
    /// decimal: scale u8, units i64; date: days i32; string and bytes: u32 length and bytes;
    /// bool: 0 or 1; all big-endian). The one value codec of records and presentations.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.value_type().code());
        match self {
            Value::Int(i) => out.extend_from_slice(&i.to_be_bytes()),
            Value::Decimal(d) => {
                out.push(d.scale);
                out.extend_from_slice(&d.units.to_be_bytes());
            }
            Value::Date(d) => out.extend_from_slice(&d.0.to_be_bytes()),
            Value::String(s) => put_bytes_u32(out, s.as_bytes()),
            Value::Bytes(b) => put_bytes_u32(out, b),
            Value::Bool(b) => out.push(u8::from(*b)),
        }
    }

    /// Reads what [`Value::encode`] wrote, strictly: an unknown type code, an out-of-range
    /// decimal scale or date, a string that is not UTF-8, a bool other than 0 or 1 and an
    /// over-long string or bytes value are errors.
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Value, RecordError> {
        Ok(match ValueType::from_code(r.u8()?)? {
            ValueType::Int => Value::Int(r.i64()?),
            ValueType::Decimal => {
                let scale = r.u8()?;
                Value::Decimal(Decimal::new(r.i64()?, scale)?)
            }
            ValueType::Date => Value::Date(Date::from_days(r.u32()? as i32)?),
            ValueType::String => {
                let b = r.bytes_u32("string value", MAX_STRING_LEN)?;
                Value::String(
                    core::str::from_utf8(b)
                        .map_err(|_| DecodeError::InvalidUtf8 {
                            what: "string value",
                        })?
                        .to_owned(),
                )
            }
            ValueType::Bytes => Value::Bytes(r.bytes_u32("bytes value", MAX_BYTES_LEN)?.to_vec()),
            ValueType::Bool => match r.u8()? {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                _ => return Err(DecodeError::Invalid { what: "bool" }.into()),
            },
        })
    }
    fn check(&self) -> Result<(), RecordError> {
        match self {
            Value::String(s) if s.len() > MAX_STRING_LEN => {
                Err(RecordError::Limit("string value too long"))
            }
            Value::Bytes(b) if b.len() > MAX_BYTES_LEN => {
                Err(RecordError::Limit("bytes value too long"))
            }
            _ => Ok(()),
        }
    }
    fn to_json(&self) -> Json {
        json!({ "type": self.type_name(), "value": self.bare_json() })
    }
    fn from_json(v: &Json) -> Result<Value, RecordError> {
        let bad = |what| RecordError::Decode(DecodeError::Invalid { what });
        let obj = v
            .as_object()
            .ok_or(bad("field must be {\"type\", \"value\"}"))?;
        if obj.len() != 2 {
            return Err(bad("field must be {\"type\", \"value\"}"));
        }
        let ty = obj
            .get("type")
            .and_then(Json::as_str)
            .ok_or(bad("field type"))?;
        let val = obj.get("value").ok_or(bad("field value"))?;
        let ty = ValueType::from_name(ty).ok_or(bad("unknown field type"))?;
        let value = match ty {
            ValueType::Int => match val {
                Json::Number(n) => Value::Int(n.as_i64().ok_or(bad("int out of range"))?),
                Json::String(s) => Value::Int(s.parse().map_err(|_| bad("int"))?),
                _ => return Err(bad("int")),
            },
            ValueType::Decimal => match val {
                Json::String(s) => Value::decimal(s)?,
                _ => return Err(bad("decimal must be a string like \"12.50\"")),
            },
            ValueType::Date => Value::date(val.as_str().ok_or(bad("date must be a string"))?)?,
            ValueType::String => Value::String(val.as_str().ok_or(bad("string"))?.to_owned()),
            ValueType::Bytes => Value::Bytes(b64u_decode(
                "bytes value",
                val.as_str().ok_or(bad("bytes must be base64url"))?,
                MAX_BYTES_LEN,
            )?),
            ValueType::Bool => Value::Bool(val.as_bool().ok_or(bad("bool"))?),
        };
        value.check()?;
        Ok(value)
    }
}

/// A value for people to read: ints, decimals (at their scale, `85000.00`), dates
/// (`2008-11-21`) and bools as in JSON; text in double quotes with control characters, quotes
/// and backslashes escaped (so a disclosed string cannot forge lines of a report); bytes as
/// their length (`3 bytes`). For a lossless form use [`Value::to_json_string`].
///
/// ```
/// use causeway::record::Value;
/// assert_eq!(Value::Int(742).to_string(), "742");
/// assert_eq!(Value::decimal("85000.00")?.to_string(), "85000.00");
/// assert_eq!(Value::String("a\nb".into()).to_string(), r#""a\nb""#);
/// assert_eq!(Value::Bytes(vec![1, 2, 3]).to_string(), "3 bytes");
/// # Ok::<(), causeway::error::RecordError>(())
/// ```
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Bytes(b) => write!(f, "{} bytes", b.len()),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// The JSON view of a [`Record`] ([`Record::to_json`]): it serializes (serde) and prints
/// (`Display`, compact) as `{"schema": …, "fields": {name: {"type": …, "value": …}}}`, the
/// text [`Record::from_json`] reads back.
///
/// ```
/// use causeway::record::{Record, Value};
/// let r = Record::new("credit/v1")?.with("score", Value::Int(742))?;
/// let view = r.to_json();
/// assert_eq!(view.fields.get("score"), Some(&Value::Int(742)));
/// assert_eq!(
///     view.to_string(),
///     r#"{"fields":{"score":{"type":"int","value":742}},"schema":"credit/v1"}"#
/// );
/// assert_eq!(Record::from_json(&view.to_string())?, r);
/// # Ok::<(), causeway::error::RecordError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordJson {
    /// The schema id.
    pub schema: String,
    /// The fields, by name.
    pub fields: BTreeMap<String, Value>,
}

impl RecordJson {
    /// The one rendering behind `Serialize` and `Display`.
    fn value(&self) -> Json {
        let fields: Map<String, Json> = self
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        json!({ "schema": self.schema, "fields": fields })
    }
}

impl serde::Serialize for RecordJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl fmt::Display for RecordJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value(), f)
    }
}

/// The typed JSON view of [`Value::to_json_string`]: `{"type": …, "value": …}`.
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// Only the bare JSON value of the typed view, for objects that name the type beside it
/// (`{"name": …, "type": "int", "value": 742}`): see [`Value::bare`].
#[derive(Clone, Copy, Debug)]
pub struct BareValue<'a>(&'a Value);

impl serde::Serialize for BareValue<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.bare_json().serialize(serializer)
    }
}

impl Value {
    /// The bare JSON value without its type (a number for ints; a string for decimals, dates
    /// and text; base64url for bytes; a boolean), as `serde::Serialize`.
    ///
    /// ```
    /// use causeway::record::Value;
    /// let v = Value::decimal("12.50")?;
    /// assert_eq!(serde_json::to_string(&v.bare()).unwrap(), r#""12.50""#);
    /// assert_eq!(serde_json::to_string(&Value::Int(7).bare()).unwrap(), "7");
    /// # Ok::<(), causeway::error::RecordError>(())
    /// ```
    pub fn bare(&self) -> BareValue<'_> {
        BareValue(self)
    }
}

pub(crate) fn check_name(name: &str) -> Result<(), RecordError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(RecordError::InvalidFieldName)
    }
}

fn check_schema(schema: &str) -> Result<(), RecordError> {
    let ok = !schema.is_empty()
        && schema.len() <= MAX_SCHEMA_LEN
        && schema.bytes().all(|c| c.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(RecordError::InvalidSchema)
    }
}

/// A record: a schema id and named, typed fields.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Record {
    schema: String,
    fields: BTreeMap<String, Value>,
}

impl Record {
    /// An empty record of a schema (printable ASCII, at most 128 bytes, e.g. `kyc/v1`).
    pub fn new(schema: &str) -> Result<Self, RecordError> {
        check_schema(schema)?;
        Ok(Record {
            schema: schema.to_owned(),
            fields: BTreeMap::new(),
        })
    }

    /// Adds a field (builder style).
    pub fn with(mut self, name: &str, value: Value) -> Result<Self, RecordError> {
        self.insert(name, value)?;
        Ok(self)
    }

    /// Adds a field; refuses a duplicate name, a bad name, an oversized value or too many fields.
    pub fn insert(&mut self, name: &str, value: Value) -> Result<(), RecordError> {
        check_name(name)?;
        value.check()?;
        if self.fields.contains_key(name) {
            return Err(RecordError::DuplicateField);
        }
        if self.fields.len() >= MAX_FIELDS {
            return Err(RecordError::Limit("too many fields"));
        }
        self.fields.insert(name.to_owned(), value);
        Ok(())
    }

    /// The schema id.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// A field's value.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// Fields in canonical (name) order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        write_header(&mut out, RECORD_VERSION, Tag::Record);
        put_bytes_u16(&mut out, self.schema.as_bytes());
        out.extend_from_slice(&(self.fields.len() as u16).to_be_bytes());
        for (name, value) in &self.fields {
            put_bytes_u16(&mut out, name.as_bytes());
            value.encode(&mut out);
        }
        out
    }

    /// Decodes the canonical encoding strictly: fields must be in order and unique, values in
    /// range, no trailing bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RecordError> {
        if bytes.len() > MAX_RECORD_LEN {
            return Err(DecodeError::TooLong {
                what: "record",
                len: bytes.len(),
                max: MAX_RECORD_LEN,
            }
            .into());
        }
        let mut r = Reader::new(bytes);
        read_header(&mut r, Tag::Record, &[RECORD_VERSION])?;
        let schema = r.str_u16("schema", MAX_SCHEMA_LEN)?;
        let mut rec = Record::new(schema)?;
        let count = r.u16()? as usize;
        if count > MAX_FIELDS {
            return Err(RecordError::Limit("too many fields"));
        }
        let mut last: Option<&str> = None;
        for _ in 0..count {
            let name = r.str_u16("field name", MAX_NAME_LEN)?;
            if last.is_some_and(|l| l >= name) {
                return Err(DecodeError::Invalid {
                    what: "field order (fields must be sorted and unique)",
                }
                .into());
            }
            last = Some(name);
            let value = Value::decode(&mut r)?;
            rec.insert(name, value)?;
        }
        r.finish()?;
        Ok(rec)
    }

    /// The JSON view: a typed struct that serializes and prints as `{"schema": …, "fields":
    /// {name: {"type": …, "value": …}}}` (see [`RecordJson`]).
    pub fn to_json(&self) -> RecordJson {
        RecordJson {
            schema: self.schema.clone(),
            fields: self.fields.clone(),
        }
    }

    /// The JSON view as a string.
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }

    /// Parses the JSON view. Ints may be JSON numbers or decimal strings; decimals and dates are
    /// strings; bytes are base64url.
    pub fn from_json(s: &str) -> Result<Self, RecordError> {
        if s.len() > MAX_RECORD_LEN * 2 {
            return Err(DecodeError::TooLong {
                what: "record JSON",
                len: s.len(),
                max: MAX_RECORD_LEN * 2,
            }
            .into());
        }
        let v: Json = serde_json::from_str(s).map_err(|e| DecodeError::json(&e))?;
        Self::from_json_value(&v)
    }

    /// Parses the JSON view from a parsed value.
    pub fn from_json_value(v: &Json) -> Result<Self, RecordError> {
        let bad = |what| RecordError::Decode(DecodeError::Invalid { what });
        let schema = v
            .get("schema")
            .and_then(Json::as_str)
            .ok_or(bad("schema"))?;
        let fields = v
            .get("fields")
            .and_then(Json::as_object)
            .ok_or(bad("fields must be an object"))?;
        if fields.len() > MAX_FIELDS {
            return Err(RecordError::Limit("too many fields"));
        }
        let mut rec = Record::new(schema)?;
        for (name, value) in fields {
            rec.insert(name, Value::from_json(value)?)?;
        }
        Ok(rec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for (s, days) in [
            ("1970-01-01", 0),
            ("2000-02-29", 11016),
            ("1969-12-31", -1),
            ("0001-01-01", MIN_DAY),
            ("9999-12-31", MAX_DAY),
        ] {
            let d: Date = s.parse().unwrap();
            assert_eq!(d.days(), days, "{s}");
            assert_eq!(d.to_string(), s);
        }
        for bad in [
            "2001-02-29",
            "2000-13-01",
            "2000-00-10",
            "20000-01-01",
            "2000-1-01",
            "+200-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn decimals() {
        for (s, units, scale) in [("12.50", 1250, 2), ("-0.5", -5, 1), ("7", 7, 0)] {
            let d: Decimal = s.parse().unwrap();
            assert_eq!((d.units(), d.scale()), (units, scale));
            assert_eq!(d.to_string(), s);
        }
        for bad in [
            "",
            "-",
            ".5",
            "1.",
            "1e5",
            "1.2.3",
            "99999999999999999999",
            "0.1234567890123456789",
        ] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad}");
        }
        assert_eq!("12.5".parse::<Decimal>().unwrap().rescale(2), Some(1250));
        assert_eq!("12.55".parse::<Decimal>().unwrap().rescale(1), None);
    }

    #[test]
    fn encoding_is_strict() {
        let r = Record::new("s/v1")
            .unwrap()
            .with("a", Value::Bool(true))
            .unwrap()
            .with("b", Value::Bytes(vec![1, 2, 3]))
            .unwrap();
        let b = r.to_bytes();
        assert_eq!(Record::from_bytes(&b).unwrap(), r);
        let mut trailing = b.clone();
        trailing.push(0);
        assert!(Record::from_bytes(&trailing).is_err());
        for n in 0..b.len() {
            assert!(Record::from_bytes(&b[..n]).is_err());
        }
        assert!(Record::new("s/v1")
            .unwrap()
            .with("a", Value::Int(1))
            .unwrap()
            .with("a", Value::Int(2))
            .is_err());
        assert!(Record::new("bad schema").is_err());
        assert!(Record::new("s")
            .unwrap()
            .with("1abc", Value::Int(1))
            .is_err());
    }

    /// One sample of every variant (a new variant must be added here and to the table).
    fn samples() -> Vec<Value> {
        vec![
            Value::Int(-742),
            Value::decimal("-85000.25").unwrap(),
            Value::date("2008-11-21").unwrap(),
            Value::String("Ada \"Lovelace\"\n".into()),
            Value::Bytes(vec![0, 1, 0xff]),
            Value::Bool(true),
        ]
    }

    /// Issue 10: one type table. Every variant has a type in [`ValueType::ALL`] (and the table
    /// nothing else), distinct codes and names read back by `from_code` / `from_name`, and every
    /// encoding that tags a value uses that code: the value codec, the leaf type tag, the
    /// numeric kind; each variant round-trips through the codec, the JSON view and a record.
    #[test]
    fn every_variant_round_trips_through_the_one_table() {
        use crate::commit::{numeric_value, type_tag, NumericKind};
        use std::collections::BTreeSet;
        let types: BTreeSet<ValueType> = samples().iter().map(Value::value_type).collect();
        assert_eq!(types, ValueType::ALL.into_iter().collect());
        let codes: BTreeSet<u8> = ValueType::ALL.iter().map(|t| t.code()).collect();
        let names: BTreeSet<&str> = ValueType::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(
            (codes.len(), names.len()),
            (ValueType::ALL.len(), ValueType::ALL.len())
        );
        assert!(!codes.contains(&0), "0 is never a type code");
        for t in ValueType::ALL {
            assert_eq!(ValueType::from_code(t.code()), Ok(t));
            assert_eq!(ValueType::from_name(t.name()), Some(t));
            assert_eq!(t.to_string(), t.name());
        }
        for v in samples() {
            let code = v.value_type().code();
            let mut b = Vec::new();
            v.encode(&mut b);
            assert_eq!(b.first(), Some(&code), "{v:?}");
            let mut r = Reader::new(&b);
            assert_eq!(Value::decode(&mut r).unwrap(), v);
            r.finish().unwrap();
            assert_eq!(type_tag(&v) & 0xff, u64::from(code), "{v:?}");
            if let Some((kind, _)) = numeric_value(&v) {
                assert_eq!(kind.value_type(), v.value_type());
                assert_eq!(kind.type_tag(), type_tag(&v));
                assert_eq!(NumericKind::from_parts(kind.code(), kind.scale()), Ok(kind));
            }
            let json = v.to_json_string();
            assert!(
                json.contains(&format!(r#""type":"{}""#, v.type_name())),
                "{json}"
            );
            assert_eq!(Value::from_json_str(&json).unwrap(), v);
            assert_eq!(serde_json::to_string(&v).unwrap(), json);
            let rec = Record::new("s/v1").unwrap().with("f", v.clone()).unwrap();
            assert_eq!(Record::from_bytes(&rec.to_bytes()).unwrap(), rec);
            assert_eq!(Record::from_json(&rec.to_json_string()).unwrap(), rec);
        }
        // the leaf tag of a decimal carries its scale
        assert_eq!(type_tag(&Value::decimal("1.25").unwrap()), 2 | (2 << 8));
    }

    /// Issue 10: a code outside the table is a typed error everywhere a code is read (the
    /// codec, a record, a numeric kind), never a default type.
    #[test]
    fn an_unknown_type_code_is_a_typed_error() {
        let rec = Record::new("s/v1")
            .unwrap()
            .with("f", Value::Bool(false))
            .unwrap()
            .to_bytes();
        let at = rec.len() - 2; // the bool's type code
        assert_eq!(rec.get(at), Some(&ValueType::Bool.code()));
        for code in (0..=255u8).filter(|c| ValueType::from_code(*c).is_err()) {
            assert_eq!(ValueType::from_code(code), Err(UnknownValueType(code)));
            let bytes = [code, 0, 0, 0, 0, 0, 0, 0, 0];
            let typed = RecordError::Decode(DecodeError::Invalid { what: "value type" });
            assert_eq!(
                Value::decode(&mut Reader::new(&bytes))
                    .unwrap_err()
                    .to_string(),
                typed.to_string()
            );
            let mut bad = rec.clone();
            if let Some(b) = bad.get_mut(at) {
                *b = code;
            }
            assert!(matches!(
                Record::from_bytes(&bad),
                Err(RecordError::Decode(DecodeError::Invalid {
                    what: "value type"
                }))
            ));
            assert!(crate::commit::NumericKind::from_parts(code, 0).is_err());
        }
        assert!(Value::from_json_str(r#"{"type":"money","value":1}"#).is_err());
    }

    #[test]
    fn display_is_for_people() {
        let shown: Vec<String> = samples().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "-742",
                "-85000.25",
                "2008-11-21",
                r#""Ada \"Lovelace\"\n""#,
                "3 bytes",
                "true"
            ]
        );
        // a disclosed string cannot start a new line of a report
        assert!(!Value::String("x\n   proven     score >= 900".into())
            .to_string()
            .contains('\n'));
    }

    #[test]
    fn json_round_trip() {
        let r = Record::new("trade/invoice/v1")
            .unwrap()
            .with("amount", Value::decimal("-1000.25").unwrap())
            .unwrap()
            .with("due", Value::date("2026-03-03").unwrap())
            .unwrap()
            .with("n", Value::Int(i64::MIN))
            .unwrap();
        assert_eq!(Record::from_json(&r.to_json_string()).unwrap(), r);
        assert!(
            Record::from_json(r#"{"schema":"s","fields":{"a":{"type":"int","value":1.5}}}"#)
                .is_err()
        );
        assert!(
            Record::from_json(r#"{"schema":"s","fields":{"a":{"type":"money","value":1}}}"#)
                .is_err()
        );
    }
}
