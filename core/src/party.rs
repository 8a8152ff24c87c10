//! Parties: an organisation's or person's keys.
//!
//! A party holds an Ed25519 signing key and an X25519 encryption key. Its [`KeyId`] is a hash of
//! both public keys. Public keys print as `cwpub1…`, secret keys only through [`SecretText`]
//! as `CW-SECRET-1…`; both carry a checksum. Keys also import and export as RFC 8037 JWKs so any
//! JOSE library can encrypt to a party or open what it sealed.
//!
//! ```
//! use causeway::party::{Party, PublicKeys};
//! let alice = Party::generate()?;
//! let text = alice.public().to_text();
//! assert!(text.starts_with("cwpub1"));
//! assert_eq!(PublicKeys::from_text(&text)?, alice.public());
//! # Ok::<(), causeway::Error>(())
//! ```

use crate::encoding::{b64u_decode, b64u_encode, text};
use crate::error::{DecodeError, KeyError};
use core::fmt;
use ed25519_dalek::{Signature, Signer as _};
use rand_core::{CryptoRng, RngCore};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Prefix of public key text.
pub const PUBLIC_PREFIX: &str = "cwpub1";
/// Prefix of secret key text.
pub const SECRET_PREFIX: &str = "CW-SECRET-1";
const KEY_TEXT_VERSION: u8 = 1;
/// Most retired keys a party keeps.
pub const MAX_RETIRED: usize = 64;
/// Largest party text or JWK set accepted.
pub const MAX_KEY_TEXT: usize = 64 * 1024;

/// A string holding secret material: zeroized on drop, redacted in `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretText(String);

impl SecretText {
    /// Wraps a secret string.
    pub fn new(s: String) -> Self {
        SecretText(s)
    }
    /// The secret text. Handle with care: do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(<redacted>)")
    }
}

/// Identifies a party's key generation: the first 16 bytes of
/// `SHA-256("causeway/keyid/v1" || ed25519 public || x25519 public)`, printed as 32 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 16]);

impl KeyId {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl core::str::FromStr for KeyId {
    type Err = DecodeError;
    fn from_str(s: &str) -> Result<Self, DecodeError> {
        if s.len() != 32 {
            return Err(DecodeError::Invalid { what: "key id" });
        }
        let mut out = [0u8; 16];
        hex::decode_to_slice(s, &mut out).map_err(|_| DecodeError::Invalid { what: "key id" })?;
        Ok(KeyId(out))
    }
}

/// A party's public keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKeys {
    signing: ed25519_dalek::VerifyingKey,
    encryption: x25519_dalek::PublicKey,
}

impl fmt::Debug for PublicKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKeys({})", self.key_id())
    }
}

impl fmt::Display for PublicKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

fn check_x25519_public(b: [u8; 32]) -> Result<x25519_dalek::PublicKey, KeyError> {
    // Refuse non-canonical encodings (top bit set, or u >= 2^255 - 19): X25519 ignores the top
    // bit and reduces u, so such bytes name the same key as their canonical form under another
    // key id.
    if !crate::seal::canonical_x25519(&b) {
        return Err(KeyError::Decode(DecodeError::Invalid {
            what: "X25519 public key (not canonical)",
        }));
    }
    // Refuse points of small order: a DH with them is not contributory (RFC 7748 §6.1).
    let m = curve25519_dalek::montgomery::MontgomeryPoint(b);
    for sign in [0u8, 1] {
        if let Some(p) = m.to_edwards(sign) {
            if p.is_small_order() {
                return Err(KeyError::Decode(DecodeError::Invalid {
                    what: "X25519 public key (small order)",
                }));
            }
        }
    }
    Ok(x25519_dalek::PublicKey::from(b))
}

fn check_ed25519_public(b: &[u8; 32]) -> Result<ed25519_dalek::VerifyingKey, KeyError> {
    let vk = ed25519_dalek::VerifyingKey::from_bytes(b).map_err(|_| {
        KeyError::Decode(DecodeError::Invalid {
            what: "Ed25519 public key",
        })
    })?;
    if vk.is_weak() {
        return Err(KeyError::Decode(DecodeError::Invalid {
            what: "Ed25519 public key (small order)",
        }));
    }
    // Refuse non-canonical encodings (y >= 2^255 - 19): they decode to a point whose canonical
    // encoding differs, i.e. the same key under another key id.
    let canonical = curve25519_dalek::edwards::CompressedEdwardsY(*b)
        .decompress()
        .map(|p| p.compress().to_bytes() == *b)
        .unwrap_or(false);
    if !canonical {
        return Err(KeyError::Decode(DecodeError::Invalid {
            what: "Ed25519 public key (not canonical)",
        }));
    }
    Ok(vk)
}

impl PublicKeys {
    /// Builds public keys from their raw bytes, refusing invalid and small-order points.
    pub fn from_bytes(signing: &[u8; 32], encryption: &[u8; 32]) -> Result<Self, KeyError> {
        Ok(PublicKeys {
            signing: check_ed25519_public(signing)?,
            encryption: check_x25519_public(*encryption)?,
        })
    }

    /// The key id.
    pub fn key_id(&self) -> KeyId {
        let mut h = Sha256::new();
        h.update(b"causeway/keyid/v1");
        h.update(self.signing.as_bytes());
        h.update(self.encryption.as_bytes());
        let d = h.finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(d.get(..16).unwrap_or(&[0; 16]));
        KeyId(id)
    }

    /// The Ed25519 verifying key.
    pub fn signing(&self) -> &ed25519_dalek::VerifyingKey {
        &self.signing
    }

    /// The X25519 public key.
    pub fn encryption(&self) -> &x25519_dalek::PublicKey {
        &self.encryption
    }

    /// Verifies an Ed25519 signature strictly (`verify_strict`: canonical `S`, no small-order
    /// `R` or key).
    pub fn verify(&self, msg: &[u8], sig: &[u8; 64]) -> Result<(), KeyError> {
        let sig = Signature::from_bytes(sig);
        self.signing
            .verify_strict(msg, &sig)
            .map_err(|_| KeyError::Decode(DecodeError::Invalid { what: "signature" }))
    }

    /// The 65 payload bytes of the text form: version, Ed25519 key, X25519 key.
    fn payload(&self) -> [u8; 65] {
        let mut p = [0u8; 65];
        p[0] = KEY_TEXT_VERSION;
        p[1..33].copy_from_slice(self.signing.as_bytes());
        p[33..].copy_from_slice(self.encryption.as_bytes());
        p
    }

    /// `cwpub1…` text.
    pub fn to_text(&self) -> String {
        text::encode(PUBLIC_PREFIX, &self.payload(), false).to_string()
    }

    /// Parses `cwpub1…` text.
    pub fn from_text(s: &str) -> Result<Self, KeyError> {
        let p = text::decode(PUBLIC_PREFIX, s, 65)?;
        Self::from_payload(&p)
    }

    fn from_payload(p: &[u8]) -> Result<Self, KeyError> {
        let (version, rest) = p.split_first().ok_or(DecodeError::Truncated)?;
        if *version != KEY_TEXT_VERSION {
            return Err(DecodeError::UnsupportedVersion { found: *version }.into());
        }
        let (ed, x) = rest.split_at_checked(32).ok_or(DecodeError::Truncated)?;
        let ed: [u8; 32] = ed.try_into().map_err(|_| DecodeError::Truncated)?;
        let x: [u8; 32] = x.try_into().map_err(|_| DecodeError::Truncated)?;
        Self::from_bytes(&ed, &x)
    }

    /// The X25519 key as an RFC 8037 public JWK (what a JOSE library encrypts to): a typed
    /// view that serializes and prints (`Display`) as the JWK's JSON.
    pub fn encryption_jwk(&self) -> PublicJwk {
        PublicJwk {
            curve: JwkCurve::X25519,
            kid: self.key_id(),
            x: *self.encryption.as_bytes(),
        }
    }

    /// The Ed25519 key as an RFC 8037 public JWK (a typed view, see [`PublicJwk`]).
    pub fn signing_jwk(&self) -> PublicJwk {
        PublicJwk {
            curve: JwkCurve::Ed25519,
            kid: self.key_id(),
            x: *self.signing.as_bytes(),
        }
    }

    /// Both keys as a JWK Set.
    pub fn to_jwk_set(&self) -> String {
        json!({ "keys": [self.signing_jwk().value(), self.encryption_jwk().value()] }).to_string()
    }

    /// Parses a JWK Set with one OKP Ed25519 and one OKP X25519 public key.
    pub fn from_jwk_set(s: &str) -> Result<Self, KeyError> {
        let (ed, x) = parse_jwk_set(s, false)?;
        Self::from_bytes(&ed.x, &x.x)
    }

    /// Parses a party's public keys from any text a user may hand over as a recipient, in this
    /// order (surrounding whitespace ignored, at most [`MAX_KEY_TEXT`] bytes):
    ///
    /// 1. `cwpub1…` text ([`PublicKeys::from_text`]);
    /// 2. a public JWK set, text starting with `{` ([`PublicKeys::from_jwk_set`]);
    /// 3. text with a line that starts with `cwpub1` (e.g. a saved `pubkey` output or a
    ///    comment-annotated file): the first such line;
    /// 4. a party's key file ([`Party::from_secret_text`]): its current public keys.
    ///
    /// The first form whose shape matches decides: its error is returned, other forms are not
    /// tried. Text that matches none gives `DecodeError::InvalidText`.
    ///
    /// ```
    /// use causeway::party::{Party, PublicKeys};
    /// let p = Party::generate()?;
    /// let want = p.public();
    /// assert_eq!(PublicKeys::from_any_text(&want.to_text())?, want);
    /// assert_eq!(PublicKeys::from_any_text(&want.to_jwk_set())?, want);
    /// assert_eq!(PublicKeys::from_any_text(p.to_secret_text().expose())?, want);
    /// assert!(PublicKeys::from_any_text("hello").is_err());
    /// # Ok::<(), causeway::Error>(())
    /// ```
    pub fn from_any_text(text: &str) -> Result<Self, KeyError> {
        if text.len() > MAX_KEY_TEXT {
            return Err(DecodeError::TooLong {
                what: "public key text",
                len: text.len(),
                max: MAX_KEY_TEXT,
            }
            .into());
        }
        let t = text.trim();
        let is_pub = |l: &str| {
            l.get(..PUBLIC_PREFIX.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(PUBLIC_PREFIX))
        };
        if is_pub(t) {
            return Self::from_text(t);
        }
        if t.starts_with('{') {
            return Self::from_jwk_set(t);
        }
        if let Some(line) = t.lines().map(str::trim).find(|l| is_pub(l)) {
            return Self::from_text(line);
        }
        if t.lines().map(str::trim).any(|l| {
            l.get(..SECRET_PREFIX.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(SECRET_PREFIX))
        }) {
            return Party::from_secret_text(t).map(|p| p.public());
        }
        Err(DecodeError::InvalidText {
            what: "public key (expected cwpub1… text, a public JWK set or a key file)",
        }
        .into())
    }
}

struct OkpJwk {
    x: [u8; 32],
    d: Option<Zeroizing<[u8; 32]>>,
}

fn field32(v: &Value, name: &'static str) -> Result<Option<Zeroizing<[u8; 32]>>, KeyError> {
    match v.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => {
            let b = Zeroizing::new(b64u_decode(name, s, 32)?);
            let mut out = Zeroizing::new([0u8; 32]);
            if b.len() != 32 {
                return Err(DecodeError::Invalid {
                    what: "JWK key length",
                }
                .into());
            }
            out.copy_from_slice(&b);
            Ok(Some(out))
        }
        Some(_) => Err(DecodeError::Invalid { what: "JWK member" }.into()),
    }
}

fn parse_okp(v: &Value, secret: bool) -> Result<(&str, OkpJwk), KeyError> {
    if v.get("kty").and_then(Value::as_str) != Some("OKP") {
        return Err(KeyError::UnsupportedJwk("kty must be OKP"));
    }
    let crv = match v.get("crv").and_then(Value::as_str) {
        Some(c @ ("Ed25519" | "X25519")) => c,
        _ => return Err(KeyError::UnsupportedJwk("crv must be Ed25519 or X25519")),
    };
    let x = field32(v, "x")?.ok_or(KeyError::UnsupportedJwk("missing x"))?;
    let d = field32(v, "d")?;
    if secret && d.is_none() {
        return Err(KeyError::UnsupportedJwk("missing d (secret key)"));
    }
    Ok((crv, OkpJwk { x: *x, d }))
}

fn parse_jwk_set(s: &str, secret: bool) -> Result<(OkpJwk, OkpJwk), KeyError> {
    if s.len() > MAX_KEY_TEXT {
        return Err(DecodeError::TooLong {
            what: "JWK set",
            len: s.len(),
            max: MAX_KEY_TEXT,
        }
        .into());
    }
    let v: Value = serde_json::from_str(s).map_err(|e| DecodeError::json(&e))?;
    let keys = v
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(KeyError::UnsupportedJwk(
            "expected a JWK Set with a \"keys\" array",
        ))?;
    let (mut ed, mut x) = (None, None);
    for k in keys.iter().take(8) {
        let (crv, jwk) = parse_okp(k, secret)?;
        let slot = if crv == "Ed25519" { &mut ed } else { &mut x };
        if slot.replace(jwk).is_some() {
            return Err(KeyError::UnsupportedJwk("two keys on the same curve"));
        }
    }
    match (ed, x) {
        (Some(ed), Some(x)) => Ok((ed, x)),
        _ => Err(KeyError::UnsupportedJwk(
            "a party needs one Ed25519 and one X25519 key",
        )),
    }
}

/// Adds the secret member `d` to a JWK object.
/// The curve of a [`PublicJwk`] (RFC 8037 `OKP` keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwkCurve {
    /// An Ed25519 signing key (`"use": "sig"`, `"alg": "EdDSA"`).
    Ed25519,
    /// An X25519 encryption key (`"use": "enc"`, `"alg": "ECDH-ES+A256KW"`).
    X25519,
}

impl JwkCurve {
    /// The JWK `crv` name.
    pub fn crv(self) -> &'static str {
        match self {
            JwkCurve::Ed25519 => "Ed25519",
            JwkCurve::X25519 => "X25519",
        }
    }

    /// The JWK `use` (`"sig"` or `"enc"`).
    pub fn key_use(self) -> &'static str {
        match self {
            JwkCurve::Ed25519 => "sig",
            JwkCurve::X25519 => "enc",
        }
    }

    /// The JWK `alg`.
    pub fn alg(self) -> &'static str {
        match self {
            JwkCurve::Ed25519 => "EdDSA",
            JwkCurve::X25519 => "ECDH-ES+A256KW",
        }
    }
}

/// One public key as an RFC 8037 JWK ([`PublicKeys::encryption_jwk`],
/// [`PublicKeys::signing_jwk`]): it serializes (serde) and prints (`Display`, compact) as
/// `{"kty": "OKP", "crv", "use", "alg", "kid", "x"}`.
///
/// ```
/// use causeway::party::{JwkCurve, Party};
/// let alice = Party::generate()?;
/// let jwk = alice.public().encryption_jwk();
/// assert_eq!(jwk.curve, JwkCurve::X25519);
/// assert_eq!(jwk.kid, alice.key_id());
/// assert!(jwk.to_string().contains(r#""crv":"X25519""#));
/// # Ok::<(), causeway::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicJwk {
    /// The curve (and with it `use` and `alg`).
    pub curve: JwkCurve,
    /// The key id of the key generation this key belongs to (`kid`).
    pub kid: KeyId,
    /// The public key bytes (`x`, base64url in JSON).
    pub x: [u8; 32],
}

impl PublicJwk {
    /// The one rendering behind `Serialize` and `Display`.
    fn value(&self) -> Value {
        json!({
            "kty": "OKP", "crv": self.curve.crv(), "use": self.curve.key_use(),
            "alg": self.curve.alg(),
            "kid": self.kid.to_string(),
            "x": b64u_encode(&self.x),
        })
    }
}

impl serde::Serialize for PublicJwk {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl fmt::Display for PublicJwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value(), f)
    }
}

fn with_d(jwk: &mut Value, d: &[u8; 32]) {
    if let Some(obj) = jwk.as_object_mut() {
        obj.insert("d".to_owned(), Value::String(b64u_encode(d)));
    }
}

/// One generation of a party's secret keys. Zeroized on drop; `Debug` shows only the key id.
#[derive(Clone, ZeroizeOnDrop)]
pub struct SecretKeys {
    signing: ed25519_dalek::SigningKey,
    encryption: x25519_dalek::StaticSecret,
}

impl fmt::Debug for SecretKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKeys({}, <redacted>)", self.public().key_id())
    }
}

/// 32 bytes from the operating system's RNG.
pub(crate) fn os_random32() -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let mut b = Zeroizing::new([0u8; 32]);
    getrandom::getrandom(&mut b[..]).map_err(|_| KeyError::Rng)?;
    Ok(b)
}

impl SecretKeys {
    /// Fresh keys from the operating system's RNG.
    pub fn generate() -> Result<Self, KeyError> {
        let ed = os_random32()?;
        let x = os_random32()?;
        Ok(Self::from_seeds(&ed, &x))
    }

    /// Fresh keys from the given RNG (for tests and deterministic fixtures).
    pub fn generate_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut ed = Zeroizing::new([0u8; 32]);
        let mut x = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(&mut ed[..]);
        rng.fill_bytes(&mut x[..]);
        Self::from_seeds(&ed, &x)
    }

    /// Keys from their 32-byte secrets (Ed25519 seed, X25519 scalar).
    pub fn from_seeds(signing: &[u8; 32], encryption: &[u8; 32]) -> Self {
        SecretKeys {
            signing: ed25519_dalek::SigningKey::from_bytes(signing),
            encryption: x25519_dalek::StaticSecret::from(*encryption),
        }
    }

    /// The public keys.
    pub fn public(&self) -> PublicKeys {
        PublicKeys {
            signing: self.signing.verifying_key(),
            encryption: x25519_dalek::PublicKey::from(&self.encryption),
        }
    }

    /// Signs a message with Ed25519. Callers put a domain-separation label in `msg`.
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.signing.sign(msg).to_bytes()
    }

    /// X25519 with a peer's public key. Refuses a non-contributory (all-zero) result.
    pub fn diffie_hellman(&self, peer: &x25519_dalek::PublicKey) -> Option<Zeroizing<[u8; 32]>> {
        let shared = self.encryption.diffie_hellman(peer);
        if !shared.was_contributory() {
            return None;
        }
        Some(Zeroizing::new(*shared.as_bytes()))
    }

    /// `CW-SECRET-1…` text.
    pub fn to_text(&self) -> SecretText {
        let mut p = Zeroizing::new(Vec::with_capacity(65));
        p.push(KEY_TEXT_VERSION);
        p.extend_from_slice(self.signing.as_bytes());
        p.extend_from_slice(self.encryption.as_bytes());
        let t = text::encode(SECRET_PREFIX, &p, true);
        SecretText::new(t.to_string())
    }

    /// Parses `CW-SECRET-1…` text.
    pub fn from_text(s: &str) -> Result<Self, KeyError> {
        let p = text::decode(SECRET_PREFIX, s, 65)?;
        let (version, rest) = p.split_first().ok_or(DecodeError::Truncated)?;
        if *version != KEY_TEXT_VERSION {
            return Err(DecodeError::UnsupportedVersion { found: *version }.into());
        }
        let mut ed = Zeroizing::new([0u8; 32]);
        let mut x = Zeroizing::new([0u8; 32]);
        ed.copy_from_slice(rest.get(..32).ok_or(DecodeError::Truncated)?);
        x.copy_from_slice(rest.get(32..64).ok_or(DecodeError::Truncated)?);
        Ok(Self::from_seeds(&ed, &x))
    }

    /// Both secret keys as an RFC 8037 JWK Set (with `d`).
    pub fn to_jwk_set(&self) -> SecretText {
        let public = self.public();
        let mut ed = public.signing_jwk().value();
        with_d(&mut ed, self.signing.as_bytes());
        let mut x = public.encryption_jwk().value();
        with_d(&mut x, self.encryption.as_bytes());
        let s = json!({ "keys": [ed, x] }).to_string();
        // The JSON values above hold secret copies; they are dropped here.
        SecretText::new(s)
    }

    /// Parses an RFC 8037 JWK Set holding an Ed25519 and an X25519 secret key, checking that
    /// each `x` matches its `d`.
    pub fn from_jwk_set(s: &str) -> Result<Self, KeyError> {
        let (ed, x) = parse_jwk_set(s, true)?;
        let (Some(ed_d), Some(x_d)) = (ed.d.as_ref(), x.d.as_ref()) else {
            return Err(KeyError::UnsupportedJwk("missing d (secret key)"));
        };
        let keys = Self::from_seeds(ed_d, x_d);
        let public = keys.public();
        if public.signing.as_bytes() != &ed.x || public.encryption.as_bytes() != &x.x {
            return Err(KeyError::Mismatch);
        }
        Ok(keys)
    }

    /// The X25519 secret scalar as an RFC 8037 private JWK.
    pub fn encryption_jwk(&self) -> SecretText {
        let mut x = self.public().encryption_jwk().value();
        with_d(&mut x, self.encryption.as_bytes());
        SecretText::new(x.to_string())
    }
}

/// A party: its current keys and the keys it retired, kept so that records sealed to them
/// still open. New records are sealed to and signed with the current keys only.
#[derive(Clone, Debug)]
pub struct Party {
    current: SecretKeys,
    retired: Vec<SecretKeys>,
}

impl Party {
    /// A new party with fresh keys from the operating system's RNG.
    pub fn generate() -> Result<Self, KeyError> {
        Ok(Party {
            current: SecretKeys::generate()?,
            retired: Vec::new(),
        })
    }

    /// A new party with keys from the given RNG.
    pub fn generate_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Party {
            current: SecretKeys::generate_with_rng(rng),
            retired: Vec::new(),
        }
    }

    /// A party from existing keys.
    pub fn from_keys(current: SecretKeys) -> Self {
        Party {
            current,
            retired: Vec::new(),
        }
    }

    /// The current keys.
    pub fn keys(&self) -> &SecretKeys {
        &self.current
    }

    /// The retired keys, newest first.
    pub fn retired(&self) -> &[SecretKeys] {
        &self.retired
    }

    /// The current public keys.
    pub fn public(&self) -> PublicKeys {
        self.current.public()
    }

    /// The current key id.
    pub fn key_id(&self) -> KeyId {
        self.public().key_id()
    }

    /// All key generations, current first.
    pub fn all_keys(&self) -> impl Iterator<Item = &SecretKeys> {
        core::iter::once(&self.current).chain(self.retired.iter())
    }

    /// The keys with this id, current or retired.
    pub fn find(&self, id: &KeyId) -> Option<&SecretKeys> {
        self.all_keys().find(|k| k.public().key_id() == *id)
    }

    /// Replaces the current keys with fresh ones; the old ones are retired (kept for opening).
    /// The oldest are dropped past [`MAX_RETIRED`].
    pub fn rotate(&mut self) -> Result<(), KeyError> {
        let next = SecretKeys::generate()?;
        self.rotate_to(next);
        Ok(())
    }

    /// Like [`Party::rotate`] with keys from the given RNG.
    pub fn rotate_with_rng<R: RngCore + CryptoRng>(&mut self, rng: &mut R) {
        self.rotate_to(SecretKeys::generate_with_rng(rng));
    }

    fn rotate_to(&mut self, next: SecretKeys) {
        let old = core::mem::replace(&mut self.current, next);
        self.retired.insert(0, old);
        self.retired.truncate(MAX_RETIRED);
    }

    /// The party as text: one `CW-SECRET-1…` line per key generation, current first, with
    /// comment lines (`#`) naming the public keys. The format of a `causeway keygen` key file.
    pub fn to_secret_text(&self) -> SecretText {
        let mut s = String::new();
        s.push_str("# causeway party key file: keep it secret\n");
        for (i, k) in self.all_keys().enumerate() {
            let label = if i == 0 { "current" } else { "retired" };
            s.push_str(&format!("# {label}: {}\n", k.public().to_text()));
            s.push_str(k.to_text().expose());
            s.push('\n');
        }
        SecretText::new(s)
    }

    /// Parses [`Party::to_secret_text`] output (or a single `CW-SECRET-1…` line).
    pub fn from_secret_text(s: &str) -> Result<Self, KeyError> {
        if s.len() > MAX_KEY_TEXT {
            return Err(DecodeError::TooLong {
                what: "key file",
                len: s.len(),
                max: MAX_KEY_TEXT,
            }
            .into());
        }
        let mut keys = s
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let current = SecretKeys::from_text(keys.next().ok_or(DecodeError::Truncated)?)?;
        let mut retired = Vec::new();
        for line in keys {
            if retired.len() == MAX_RETIRED {
                return Err(DecodeError::TooLong {
                    what: "retired keys",
                    len: MAX_RETIRED + 1,
                    max: MAX_RETIRED,
                }
                .into());
            }
            retired.push(SecretKeys::from_text(line)?);
        }
        Ok(Party { current, retired })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips() {
        let p = Party::generate().unwrap();
        let pk = p.public();
        assert_eq!(PublicKeys::from_text(&pk.to_text()).unwrap(), pk);
        let sk = SecretKeys::from_text(p.keys().to_text().expose()).unwrap();
        assert_eq!(sk.public(), pk);
        assert!(p.keys().to_text().expose().starts_with("CW-SECRET-1"));
        // secret text is not accepted as public text and vice versa
        assert!(PublicKeys::from_text(p.keys().to_text().expose()).is_err());
        assert!(SecretKeys::from_text(&pk.to_text()).is_err());
    }

    #[test]
    fn jwk_round_trips() {
        let p = Party::generate().unwrap();
        let pk = p.public();
        assert_eq!(PublicKeys::from_jwk_set(&pk.to_jwk_set()).unwrap(), pk);
        let sk = SecretKeys::from_jwk_set(p.keys().to_jwk_set().expose()).unwrap();
        assert_eq!(sk.public(), pk);
        // a public set is not a secret set
        assert!(SecretKeys::from_jwk_set(&pk.to_jwk_set()).is_err());
        // mismatched x and d
        let other = Party::generate().unwrap();
        let mut v: Value = serde_json::from_str(p.keys().to_jwk_set().expose()).unwrap();
        v["keys"][1]["x"] = Value::String(b64u_encode(other.public().encryption().as_bytes()));
        assert_eq!(
            SecretKeys::from_jwk_set(&v.to_string()).unwrap_err(),
            KeyError::Mismatch
        );
    }

    #[test]
    fn rotation_keeps_old_keys() {
        let mut p = Party::generate().unwrap();
        let old = p.key_id();
        p.rotate().unwrap();
        assert_ne!(p.key_id(), old);
        assert!(p.find(&old).is_some());
        let back = Party::from_secret_text(p.to_secret_text().expose()).unwrap();
        assert_eq!(back.key_id(), p.key_id());
        assert!(back.find(&old).is_some());
    }

    #[test]
    fn small_order_keys_refused() {
        // the identity (0) and the order-8 point with u = 1 are small order
        let ed = *Party::generate().unwrap().public().signing().as_bytes();
        assert!(PublicKeys::from_bytes(&ed, &[0u8; 32]).is_err());
        let mut one = [0u8; 32];
        one[0] = 1;
        assert!(PublicKeys::from_bytes(&ed, &one).is_err());
    }

    #[test]
    fn non_canonical_x25519_keys_refused() {
        // Issue 11 item 13: X25519 ignores the top bit and reduces u mod p, so these encodings
        // name the same key as `x` under another key id.
        let p = Party::generate().unwrap();
        let ed = *p.public().signing().as_bytes();
        let x = *p.public().encryption().as_bytes();
        assert!(PublicKeys::from_bytes(&ed, &x).is_ok());
        let mut high = x;
        high[31] |= 0x80;
        assert!(matches!(
            PublicKeys::from_bytes(&ed, &high),
            Err(KeyError::Decode(DecodeError::Invalid { .. }))
        ));
        // u = 9 + p: bytes f6 ff .. ff 7f (the same point as the base point u = 9)
        let mut over = [0xffu8; 32];
        over[0] = 0xf6;
        over[31] = 0x7f;
        assert!(PublicKeys::from_bytes(&ed, &over).is_err());
        // through the text and JWK forms too
        let mut payload = vec![KEY_TEXT_VERSION];
        payload.extend_from_slice(&ed);
        payload.extend_from_slice(&high);
        let t = text::encode(PUBLIC_PREFIX, &payload, false).to_string();
        assert!(PublicKeys::from_text(&t).is_err());
        let mut v: Value = serde_json::from_str(&p.public().to_jwk_set()).unwrap();
        v["keys"][1]["x"] = Value::String(b64u_encode(&high));
        assert!(PublicKeys::from_jwk_set(&v.to_string()).is_err());
    }

    #[test]
    fn non_canonical_ed25519_keys_refused() {
        // y in p ..= 2^255 - 1 (bytes ed..ff, ff.., 7f) encodes y - p non-canonically.
        let x = *Party::generate().unwrap().public().encryption().as_bytes();
        for y in 0u8..19 {
            let mut b = [0xffu8; 32];
            b[0] = 0xed + y;
            b[31] = 0x7f;
            assert!(PublicKeys::from_bytes(&b, &x).is_err(), "y = p + {y}");
        }
    }

    #[test]
    fn debug_is_redacted() {
        let p = Party::generate().unwrap();
        let secret = p.keys().to_text();
        let dbg = format!("{p:?} {secret:?}");
        assert!(!dbg.contains(secret.expose()));
        assert!(dbg.contains("redacted"));
    }

    #[test]
    fn public_keys_from_any_text() {
        let p = Party::generate().unwrap();
        let want = p.public();
        let text = want.to_text();
        assert_eq!(PublicKeys::from_any_text(&text).unwrap(), want);
        assert_eq!(
            PublicKeys::from_any_text(&format!("  {text}\n")).unwrap(),
            want
        );
        assert_eq!(PublicKeys::from_any_text(&want.to_jwk_set()).unwrap(), want);
        assert_eq!(
            PublicKeys::from_any_text(&format!("# bank\n# contact ops\n{text}\n")).unwrap(),
            want
        );
        // a key file gives its current public keys, also after a rotation
        let mut q = Party::generate().unwrap();
        assert_eq!(
            PublicKeys::from_any_text(q.to_secret_text().expose()).unwrap(),
            q.public()
        );
        q.rotate().unwrap();
        assert_eq!(
            PublicKeys::from_any_text(q.to_secret_text().expose()).unwrap(),
            q.public()
        );
        // the first matching shape decides, with its own error
        let mut bad = text.clone();
        bad.pop();
        bad.push(if text.ends_with('a') { 'b' } else { 'a' });
        assert!(PublicKeys::from_any_text(&bad).is_err());
        assert!(matches!(
            PublicKeys::from_any_text("{not json"),
            Err(KeyError::Decode(DecodeError::Json(_))
                | KeyError::Decode(_)
                | KeyError::UnsupportedJwk(_))
        ));
        for junk in ["", "hello", "# only a comment", "cwpub", "CW-SECRET-1"] {
            assert!(PublicKeys::from_any_text(junk).is_err(), "{junk:?}");
        }
        assert!(matches!(
            PublicKeys::from_any_text("hello"),
            Err(KeyError::Decode(DecodeError::InvalidText { .. }))
        ));
        let long = format!("{text}{}", " ".repeat(MAX_KEY_TEXT));
        assert!(matches!(
            PublicKeys::from_any_text(&long),
            Err(KeyError::Decode(DecodeError::TooLong { .. }))
        ));
    }
}
