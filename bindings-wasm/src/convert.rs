//! Conversions between JS values and core types: plain objects, `bigint` for 64-bit values
//! (refused outside the Rust type's range, never wrapped), records with typed fields.

use crate::errors::{bad_arg, cw, JsResult};
use causeway::record::{Record, Value};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

/// Most array elements an export copies out of a JS array (recipients, issuers, revocation
/// lists, ...) before core applies its own, smaller, limits.
pub const MAX_ARRAY_ARGS: u32 = 4096;

/// A plain object from `(key, value)` pairs.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// `Some(s)` as a JS string, `None` as `null`.
pub fn opt_str(s: Option<String>) -> JsValue {
    s.map_or(JsValue::NULL, |s| JsValue::from_str(&s))
}

/// A byte vector as a fresh `Uint8Array`.
pub fn bytes(b: &[u8]) -> JsValue {
    Uint8Array::from(b).into()
}

/// A `u64` as a `bigint`.
pub fn big_u64(v: u64) -> JsValue {
    JsValue::from(v)
}

/// A `bigint` argument that must fit a `u64` (a `number` is refused too: it may already have
/// lost precision).
pub fn u64_arg(v: &JsValue, what: &str) -> JsResult<u64> {
    if !v.is_bigint() {
        return Err(bad_arg(
            "record.invalid_value",
            &format!("{what} must be a bigint"),
        ));
    }
    u64::try_from(v.clone()).map_err(|_| {
        bad_arg(
            "record.invalid_value",
            &format!("{what} is outside the unsigned 64-bit range"),
        )
    })
}

/// The strings of a JS array of strings, at most [`MAX_ARRAY_ARGS`].
pub fn string_array(a: &Array, what: &str) -> JsResult<Vec<String>> {
    if a.length() > MAX_ARRAY_ARGS {
        return Err(bad_arg(
            "decode.too_long",
            &format!("more than {MAX_ARRAY_ARGS} {what}"),
        ));
    }
    a.iter()
        .map(|v| {
            v.as_string()
                .ok_or_else(|| bad_arg("decode.invalid", &format!("{what} must be strings")))
        })
        .collect()
}

/// The byte arrays of a JS array of `Uint8Array`s, at most [`MAX_ARRAY_ARGS`].
pub fn bytes_array(a: &Array, what: &str) -> JsResult<Vec<Vec<u8>>> {
    if a.length() > MAX_ARRAY_ARGS {
        return Err(bad_arg(
            "decode.too_long",
            &format!("more than {MAX_ARRAY_ARGS} {what}"),
        ));
    }
    a.iter()
        .map(|v| {
            v.dyn_into::<Uint8Array>()
                .map(|u| u.to_vec())
                .map_err(|_| bad_arg("decode.invalid", &format!("{what} must be Uint8Arrays")))
        })
        .collect()
}

/// A field value as a plain object `{type, value}`: ints as `bigint`, decimals and dates as
/// strings, bytes as `Uint8Array`, strings and bools as themselves.
pub fn value_to_js(v: &Value) -> JsValue {
    let value = match v {
        Value::Int(i) => JsValue::from(*i),
        Value::Bytes(b) => bytes(b),
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::String(s) => JsValue::from_str(s),
        // decimals and dates: their canonical text (`85000.00`, `2008-11-21`)
        other => JsValue::from_str(&other.to_string()),
    };
    obj(&[("type", JsValue::from_str(v.type_name())), ("value", value)])
}

/// A record as `{schema, fields: {name: {type, value}}}` (see [`value_to_js`]).
pub fn record_to_js(r: &Record) -> JsValue {
    let fields = Object::new();
    for (name, v) in r.fields() {
        let _ = Reflect::set(&fields, &JsValue::from_str(name), &value_to_js(v));
    }
    obj(&[
        ("schema", JsValue::from_str(r.schema())),
        ("fields", fields.into()),
    ])
}

/// A record from its JSON text (the wrapper serialises `{schema, fields}`, ints as decimal
/// strings after checking they fit an i64, bytes as base64url).
pub fn record_from_json(text: &str) -> JsResult<Record> {
    Record::from_json(text).map_err(cw)
}
