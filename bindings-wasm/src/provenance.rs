//! Provenance bundles (tag 0x52, `docs/spec/provenance.md`): verification only, with the
//! verifier's log key, origin and trust policy; the timeline and the anchor's facts as plain
//! objects. Everything is checked by core (`ProvenanceBundle::verify` / `verify_anchored`).

use crate::convert::{big_u64, obj};
use crate::errors::{bad_arg, cw, JsResult};
use crate::party::public_keys_arg;
use crate::proofs::{anchor_fields, checkpoint_to_js, contract_arg};
use causeway::anchor::{ChainRef, VerifiedAnchor};
use causeway::trace::{ProvenanceBundle, TimelineEntry, TrustPolicy, VerifiedProvenance};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

fn entry_to_js(e: &TimelineEntry) -> JsValue {
    // Fields keep the order the signer gave them: an array of `[name, value]` pairs would be
    // awkward to read, and names are unique (core refuses repeats), so an object keeps it.
    let fields = Object::new();
    for (k, v) in &e.fields {
        let _ = Reflect::set(&fields, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    let details = match &e.details {
        None => JsValue::NULL,
        Some(d) => obj(&[
            ("recordId", JsValue::from_str(&d.record_id.to_string())),
            (
                "ciphertextHash",
                JsValue::from_str(&hex::encode(d.ciphertext_hash)),
            ),
        ]),
    };
    obj(&[
        ("seq", JsValue::from(e.seq)),
        ("index", big_u64(e.index)),
        ("step", JsValue::from_str(&e.step)),
        ("timeMs", big_u64(e.time_ms)),
        ("party", JsValue::from_str(&e.party)),
        ("signer", JsValue::from_str(&e.signer.to_string())),
        ("fields", fields.into()),
        ("details", details),
        ("hash", JsValue::from_str(&hex::encode(e.hash))),
    ])
}

fn anchor_to_js(a: &VerifiedAnchor, pinned: bool) -> JsValue {
    obj(&anchor_fields(
        a,
        [
            ("chainPinned", JsValue::from_bool(pinned)),
            // What was checked here: the log key's signed statement, offline. The block itself
            // is confirmed only on chain (`AnchorReceipt::verify_online`, not in this package).
            ("check", JsValue::from_str("statement")),
        ],
    ))
}

fn verified_to_js(v: &VerifiedProvenance, pinned: bool) -> JsValue {
    let events: Array = v.events.iter().map(entry_to_js).collect();
    obj(&[
        ("origin", JsValue::from_str(&v.origin)),
        ("product", JsValue::from_str(&v.product)),
        ("checkpoint", checkpoint_to_js(&v.checkpoint)),
        ("events", events.into()),
        (
            "anchor",
            v.anchor
                .as_ref()
                .map_or(JsValue::NULL, |a| anchor_to_js(a, pinned)),
        ),
    ])
}

/// Verifies a provenance bundle (its canonical bytes, tag 0x52) offline against the log key
/// (`cwpub1…`) and origin the verifier trusts, a trust policy (its JSON text), the product id
/// the verifier expects (e.g. the one it scanned; `None`: the bundle's) and, when `chain_id`
/// and `contract` are given, an anchor receipt for that chain and registry (required then;
/// without them an anchor the bundle carries is checked for the chain its statement names).
/// Returns `{origin, product, checkpoint, events: [{seq, index, step, timeMs, party, signer,
/// fields, details, hash}], anchor}`; `anchor` is `null` when the bundle has none.
#[wasm_bindgen(js_name = verifyProvenance)]
pub fn verify_provenance(
    bundle: &[u8],
    log_key: &str,
    origin: &str,
    policy: &str,
    product: Option<String>,
    chain_id: JsValue,
    contract: Option<String>,
) -> JsResult<JsValue> {
    let b = ProvenanceBundle::from_bytes(bundle).map_err(cw)?;
    let key = public_keys_arg(log_key)?;
    let policy = TrustPolicy::from_json(policy).map_err(cw)?;
    let chain = match (chain_id.is_undefined() || chain_id.is_null(), contract) {
        (true, None) => None,
        (false, Some(c)) => Some(ChainRef {
            chain_id: crate::convert::u64_arg(&chain_id, "chainId")?,
            contract: contract_arg(&c)?,
        }),
        _ => {
            return Err(bad_arg(
                "decode.invalid",
                "chainId and contract go together (both or neither)",
            ))
        }
    };
    let v = match &chain {
        Some(c) => b.verify_anchored(&key, origin, &policy, product.as_deref(), c),
        None => b.verify(&key, origin, &policy, product.as_deref()),
    }
    .map_err(cw)?;
    Ok(verified_to_js(&v, chain.is_some()))
}

/// What a provenance bundle claims, unverified: `{product, events, checkpointSize, anchored,
/// origin}`
/// (for showing a scanned product's id before the verification finishes; never trust it).
#[wasm_bindgen(js_name = inspectProvenance)]
pub fn inspect_provenance(bundle: &[u8]) -> JsResult<JsValue> {
    let b = ProvenanceBundle::from_bytes(bundle).map_err(cw)?;
    Ok(obj(&[
        ("product", JsValue::from_str(b.product())),
        ("events", JsValue::from(b.events().len() as u32)),
        ("checkpointSize", big_u64(b.checkpoint().checkpoint().size)),
        ("anchored", JsValue::from_bool(b.anchor().is_some())),
        (
            "origin",
            JsValue::from_str(&b.checkpoint().checkpoint().origin),
        ),
    ]))
}
