//! `Party` (secret keys, kept inside wasm memory) and `PublicKeys`.

use crate::errors::{cw, JsResult};
use causeway::party::{KeyId, Party, PublicKeys};
use js_sys::Array;
use wasm_bindgen::prelude::*;

/// A party's public keys (Ed25519 for signatures, X25519 for encryption).
#[wasm_bindgen(js_name = PublicKeys)]
pub struct WPublicKeys(pub(crate) PublicKeys);

#[wasm_bindgen(js_class = PublicKeys)]
impl WPublicKeys {
    /// Parses `cwpub1…` text only.
    #[wasm_bindgen(js_name = fromText)]
    pub fn from_text(text: &str) -> JsResult<WPublicKeys> {
        PublicKeys::from_text(text).map(WPublicKeys).map_err(cw)
    }

    /// Parses what a user may hand over as a recipient: `cwpub1…` text, a public JWK Set, or a
    /// key file (whose current public keys are taken).
    pub fn parse(text: &str) -> JsResult<WPublicKeys> {
        PublicKeys::from_any_text(text).map(WPublicKeys).map_err(cw)
    }

    /// Parses a public JWK Set (`{"keys": [Ed25519, X25519]}`) given as JSON text.
    #[wasm_bindgen(js_name = fromJwkText)]
    pub fn from_jwk_text(text: &str) -> JsResult<WPublicKeys> {
        PublicKeys::from_jwk_set(text).map(WPublicKeys).map_err(cw)
    }

    /// The `cwpub1…` text.
    #[wasm_bindgen(js_name = toText)]
    pub fn to_text(&self) -> String {
        self.0.to_text()
    }

    /// The public JWK Set as JSON text.
    #[wasm_bindgen(js_name = toJwkText)]
    pub fn to_jwk_text(&self) -> String {
        serde_json::json!({ "keys": [self.0.signing_jwk(), self.0.encryption_jwk()] }).to_string()
    }

    /// The key id (32 hex digits).
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> String {
        self.0.key_id().to_string()
    }
}

/// A party: current keys and the retired keys kept so that old records still open. The
/// secret keys never leave wasm memory except through `toSecretText()`.
#[wasm_bindgen(js_name = Party)]
pub struct WParty(pub(crate) Party);

#[wasm_bindgen(js_class = Party)]
impl WParty {
    /// A new party with fresh keys from the platform's RNG (`crypto.getRandomValues`).
    pub fn generate() -> JsResult<WParty> {
        Party::generate().map(WParty).map_err(cw)
    }

    /// Parses a key file's text (`CW-SECRET-1…` lines, current key first).
    #[wasm_bindgen(js_name = fromSecretText)]
    pub fn from_secret_text(text: &str) -> JsResult<WParty> {
        Party::from_secret_text(text).map(WParty).map_err(cw)
    }

    /// The key file's text: a secret.
    #[wasm_bindgen(js_name = toSecretText)]
    pub fn to_secret_text(&self) -> String {
        self.0.to_secret_text().expose().to_owned()
    }

    /// The current public keys.
    #[wasm_bindgen(getter, js_name = publicKeys)]
    pub fn public_keys(&self) -> WPublicKeys {
        WPublicKeys(self.0.public())
    }

    /// The current key id (32 hex digits).
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> String {
        self.0.key_id().to_string()
    }

    /// The key ids of the retired keys, newest first.
    #[wasm_bindgen(getter, js_name = retiredKeyIds)]
    pub fn retired_key_ids(&self) -> Array {
        self.0
            .retired()
            .iter()
            .map(|k| JsValue::from_str(&k.public().key_id().to_string()))
            .collect()
    }

    /// Replaces the current keys with fresh ones; the old ones are kept (retired) for opening.
    pub fn rotate(&mut self) -> JsResult<()> {
        self.0.rotate().map_err(cw)
    }
}

/// A key id from a `PublicKeys`' text, a key file, a JWK Set or 32 hex digits.
pub fn key_id_arg(text: &str) -> JsResult<KeyId> {
    if let Ok(k) = text.parse::<KeyId>() {
        return Ok(k);
    }
    PublicKeys::from_any_text(text)
        .map(|p| p.key_id())
        .map_err(cw)
}

/// Public keys from `cwpub1…` text, a JWK Set or a key file.
pub fn public_keys_arg(text: &str) -> JsResult<PublicKeys> {
    PublicKeys::from_any_text(text).map_err(cw)
}
