//! Sealed records and bytes: `seal`, `open`, `grant`, `revoke`, `inspect`, and opening a plain
//! JWE (compact, flattened or general serialization) made by another JOSE library.

use crate::convert::{bytes, obj, opt_str, record_from_json, record_to_js, string_array};
use crate::errors::{cw, JsResult};
use crate::party::{key_id_arg, public_keys_arg, WParty};
use causeway::error::DecodeError;
use causeway::party::PublicKeys;
use causeway::seal::{open_any, open_jwe, Content, OpenOptions, Owner, Sealed};
use js_sys::Array;
use wasm_bindgen::prelude::*;

fn encode(s: &Sealed, jwe: bool) -> Vec<u8> {
    if jwe {
        s.to_jwe_json().into_bytes()
    } else {
        s.to_bytes()
    }
}

fn recipients(a: &Array) -> JsResult<Vec<PublicKeys>> {
    string_array(a, "recipients")?
        .iter()
        .map(|t| public_keys_arg(t))
        .collect()
}

/// Decodes a sealed record in either form, remembering whether it was JWE.
fn parse_sealed(data: &[u8]) -> JsResult<(Sealed, bool)> {
    let jwe = !data.starts_with(&causeway::encoding::MAGIC);
    Sealed::from_any(data).map(|s| (s, jwe)).map_err(cw)
}

/// Seals a record (JSON text `{schema, fields}`) for `recipients` (`cwpub1…` texts; the owner
/// is always one). Returns the sealed object's bytes: JWE JSON (UTF-8) when `jwe`, otherwise
/// the canonical binary form.
#[wasm_bindgen(js_name = sealRecord)]
pub fn seal_record(
    record_json: &str,
    owner: &WParty,
    recipient_texts: &Array,
    jwe: bool,
) -> JsResult<Vec<u8>> {
    let record = record_from_json(record_json)?;
    let to = recipients(recipient_texts)?;
    Sealed::seal_record(&owner.0, &to, &record)
        .map(|s| encode(&s, jwe))
        .map_err(cw)
}

/// Seals bytes for `recipients`, as [`seal_record`].
#[wasm_bindgen(js_name = sealBytes)]
pub fn seal_bytes(
    content: &[u8],
    owner: &WParty,
    recipient_texts: &Array,
    jwe: bool,
) -> JsResult<Vec<u8>> {
    let to = recipients(recipient_texts)?;
    Sealed::seal_bytes(&owner.0, &to, content)
        .map(|s| encode(&s, jwe))
        .map_err(cw)
}

fn content_to_js(c: Content) -> (JsValue, &'static str) {
    match c {
        Content::Record(r) => (record_to_js(&r), "record"),
        Content::Bytes(b) => (bytes(&b), "bytes"),
    }
}

/// Opens any sealed object (binary or JWE record, sealed stream, foreign JWE) as `party`.
/// With `expect_owner` (a key id or public keys' text), anything not signed by that owner is
/// refused before decryption. Returns `{content, contentType, format, version, owner,
/// ownerSigned, recordId, epoch}`.
#[wasm_bindgen]
pub fn open(sealed: &[u8], party: &WParty, expect_owner: Option<String>) -> JsResult<JsValue> {
    let expect = match expect_owner {
        Some(o) => Some(key_id_arg(&o)?),
        None => None,
    };
    let opts = OpenOptions {
        expect_owner: expect,
        ..Default::default()
    };
    let opened = open_any(sealed, &party.0, &opts).map_err(cw)?;
    let (content, content_type) = content_to_js(opened.content);
    Ok(obj(&[
        ("content", content),
        ("contentType", JsValue::from_str(content_type)),
        ("format", JsValue::from_str(opened.format.as_str())),
        (
            "version",
            opened.version.map_or(JsValue::NULL, JsValue::from),
        ),
        (
            "owner",
            opt_str(opened.owner.signed().map(|k| k.to_string())),
        ),
        (
            "ownerSigned",
            JsValue::from_bool(matches!(opened.owner, Owner::Signed(_))),
        ),
        ("recordId", opt_str(opened.record_id.map(|r| r.to_string()))),
        ("epoch", opened.epoch.map_or(JsValue::NULL, JsValue::from)),
    ]))
}

/// Opens a sealed record in its JWE JSON form strictly (`Sealed::from_any`, then open), the
/// testkit's `jwe` and `binary` forms: the content (a record object or a `Uint8Array`).
#[wasm_bindgen(js_name = openSealed)]
pub fn open_sealed(sealed: &[u8], party: &WParty) -> JsResult<JsValue> {
    let s = Sealed::from_any(sealed).map_err(cw)?;
    let c = s.open(&party.0).map_err(cw)?;
    Ok(content_to_js(c).0)
}

/// Opens a sealed record in its canonical binary form only (`Sealed::from_bytes`).
#[wasm_bindgen(js_name = openBinary)]
pub fn open_binary(sealed: &[u8], party: &WParty) -> JsResult<JsValue> {
    let s = Sealed::from_bytes(sealed).map_err(cw)?;
    let c = s.open(&party.0).map_err(cw)?;
    Ok(content_to_js(c).0)
}

/// Opens a plain JWE made by another JOSE library (compact, flattened or general with one
/// recipient) for `party`: the plaintext bytes. It has no owner, record id or epoch.
#[wasm_bindgen(js_name = openForeignJwe)]
pub fn open_foreign_jwe(jwe: &[u8], party: &WParty) -> JsResult<Vec<u8>> {
    let text =
        std::str::from_utf8(jwe).map_err(|_| cw(DecodeError::InvalidUtf8 { what: "JWE" }))?;
    open_jwe(text, &party.0).map_err(cw)
}

/// Adds a recipient (`cwpub1…` text) to a sealed record (same content, record id and epoch);
/// returned in the form it came in. Only the owner can grant.
#[wasm_bindgen]
pub fn grant(sealed: &[u8], owner: &WParty, to: &str) -> JsResult<Vec<u8>> {
    let (s, jwe) = parse_sealed(sealed)?;
    let to = public_keys_arg(to)?;
    s.grant(&owner.0, &to).map(|g| encode(&g, jwe)).map_err(cw)
}

/// Removes a recipient (a key id or public keys' text): the record is re-sealed under a new
/// content key with the epoch increased; returned in the form it came in.
#[wasm_bindgen]
pub fn revoke(sealed: &[u8], owner: &WParty, recipient: &str) -> JsResult<Vec<u8>> {
    let kid = key_id_arg(recipient)?;
    let (s, jwe) = parse_sealed(sealed)?;
    s.revoke(&owner.0, &kid)
        .map(|r| encode(&r, jwe))
        .map_err(cw)
}

/// What a sealed record says about itself, without opening it (no secrets), as JSON text
/// (`docs/spec/sealed-record.md`; the wrapper returns it as a plain object).
#[wasm_bindgen(js_name = inspectJson)]
pub fn inspect_json(sealed: &[u8]) -> JsResult<String> {
    let (s, _) = parse_sealed(sealed)?;
    Ok(s.inspect().to_string())
}
