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

const KIND_INT: u8 = 1;
const KIND_DECIMAL: u8 = 2;
const KIND_DATE: u8 = 3;
const KIND_STRING: u8 = 4;
const KIND_BYTES: u8 = 5;
const KIND_BOOL: u8 = 6;

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
    /// The type name used in JSON.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Decimal(_) => "decimal",
            Value::Date(_) => "date",
            Value::String(_) => "string",
            Value::Bytes(_) => "bytes",
            Value::Bool(_) => "bool",
        }
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
        let v = match self {
            Value::Int(i) => json!(i),
            Value::Decimal(d) => json!(d.to_string()),
            Value::Date(d) => json!(d.to_string()),
            Value::String(s) => json!(s),
            Value::Bytes(b) => json!(b64u_encode(b)),
            Value::Bool(b) => json!(b),
        };
        json!({ "type": self.type_name(), "value": v })
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
        let value = match ty {
            "int" => match val {
                Json::Number(n) => Value::Int(n.as_i64().ok_or(bad("int out of range"))?),
                Json::String(s) => Value::Int(s.parse().map_err(|_| bad("int"))?),
                _ => return Err(bad("int")),
            },
            "decimal" => match val {
                Json::String(s) => Value::decimal(s)?,
                _ => return Err(bad("decimal must be a string like \"12.50\"")),
            },
            "date" => Value::date(val.as_str().ok_or(bad("date must be a string"))?)?,
            "string" => Value::String(val.as_str().ok_or(bad("string"))?.to_owned()),
            "bytes" => Value::Bytes(b64u_decode(
                "bytes value",
                val.as_str().ok_or(bad("bytes must be base64url"))?,
                MAX_BYTES_LEN,
            )?),
            "bool" => Value::Bool(val.as_bool().ok_or(bad("bool"))?),
            _ => return Err(bad("unknown field type")),
        };
        value.check()?;
        Ok(value)
    }
}

fn check_name(name: &str) -> Result<(), RecordError> {
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
            match value {
                Value::Int(i) => {
                    out.push(KIND_INT);
                    out.extend_from_slice(&i.to_be_bytes());
                }
                Value::Decimal(d) => {
                    out.push(KIND_DECIMAL);
                    out.push(d.scale);
                    out.extend_from_slice(&d.units.to_be_bytes());
                }
                Value::Date(d) => {
                    out.push(KIND_DATE);
                    out.extend_from_slice(&d.0.to_be_bytes());
                }
                Value::String(s) => {
                    out.push(KIND_STRING);
                    put_bytes_u32(&mut out, s.as_bytes());
                }
                Value::Bytes(b) => {
                    out.push(KIND_BYTES);
                    put_bytes_u32(&mut out, b);
                }
                Value::Bool(b) => {
                    out.push(KIND_BOOL);
                    out.push(u8::from(*b));
                }
            }
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
            let value = match r.u8()? {
                KIND_INT => Value::Int(r.i64()?),
                KIND_DECIMAL => {
                    let scale = r.u8()?;
                    Value::Decimal(Decimal::new(r.i64()?, scale)?)
                }
                KIND_DATE => Value::Date(Date::from_days(r.u32()? as i32)?),
                KIND_STRING => {
                    let b = r.bytes_u32("string value", MAX_STRING_LEN)?;
                    Value::String(
                        core::str::from_utf8(b)
                            .map_err(|_| DecodeError::InvalidUtf8 {
                                what: "string value",
                            })?
                            .to_owned(),
                    )
                }
                KIND_BYTES => Value::Bytes(r.bytes_u32("bytes value", MAX_BYTES_LEN)?.to_vec()),
                KIND_BOOL => match r.u8()? {
                    0 => Value::Bool(false),
                    1 => Value::Bool(true),
                    _ => return Err(DecodeError::Invalid { what: "bool" }.into()),
                },
                _ => return Err(DecodeError::Invalid { what: "field type" }.into()),
            };
            rec.insert(name, value)?;
        }
        r.finish()?;
        Ok(rec)
    }

    /// The JSON view: `{"schema": …, "fields": {name: {"type": …, "value": …}}}`.
    pub fn to_json(&self) -> Json {
        let fields: Map<String, Json> = self
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        json!({ "schema": self.schema, "fields": fields })
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
