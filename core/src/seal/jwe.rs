//! The JWE JSON view of a sealed record, and opening foreign JWEs.

use super::{
    canonical_x25519, unwrap_cek, Recipient, RecordId, Sealed, ALG, ENC, MAX_JSON, MAX_PAYLOAD,
    MAX_PROTECTED, MAX_RECIPIENTS, SIGNATURE_LEN, VERSION, VERSION_1,
};
use crate::encoding::{b64u_decode, b64u_encode};
use crate::error::{DecodeError, OpenError};
use crate::party::{KeyId, Party, PublicKeys};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

/// Largest wrapped key or nonce-sized field we accept from JSON.
const SMALL_FIELD: usize = 64;

pub(super) fn to_json(s: &Sealed) -> String {
    let (recipients, iv, ct, tag) = s.parts();
    let recipients: Vec<Value> = recipients
        .iter()
        .map(|r| {
            json!({
                "header": {
                    "alg": ALG,
                    "kid": r.kid.to_string(),
                    "epk": { "kty": "OKP", "crv": "X25519", "x": b64u_encode(&r.epk) },
                    "cw_pk": r.keys.to_text(),
                },
                "encrypted_key": b64u_encode(&r.ek),
            })
        })
        .collect();
    let mut v = json!({
        "protected": b64u_encode(s.protected_json().as_bytes()),
        "recipients": recipients,
        "iv": b64u_encode(iv),
        "ciphertext": b64u_encode(ct),
        "tag": b64u_encode(tag),
    });
    // Version 2: the owner signature, in the shared unprotected header (JOSE libraries ignore
    // header parameters they do not know, unless named in `crit`).
    if let (Some(sig), Some(m)) = (s.signature(), v.as_object_mut()) {
        m.insert(
            "unprotected".to_owned(),
            json!({ "cw_sig": b64u_encode(sig) }),
        );
    }
    v.to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JweGeneral {
    protected: String,
    #[serde(default)]
    unprotected: Option<Unprotected>,
    recipients: Vec<JweRecipient>,
    iv: String,
    ciphertext: String,
    tag: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Unprotected {
    cw_sig: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JweRecipient {
    header: RecipientHeader,
    encrypted_key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecipientHeader {
    alg: String,
    kid: String,
    epk: Epk,
    cw_pk: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Epk {
    kty: String,
    crv: String,
    x: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Protected {
    enc: String,
    cty: String,
    cw_v: u64,
    cw_rid: String,
    cw_ep: u32,
    cw_own: String,
    cw_kc: String,
}

fn fixed<const N: usize>(what: &'static str, s: &str) -> Result<[u8; N], DecodeError> {
    let v = b64u_decode(what, s, N)?;
    v.as_slice()
        .try_into()
        .map_err(|_| DecodeError::Invalid { what })
}

fn epk_bytes(e: &Epk) -> Result<[u8; 32], DecodeError> {
    if e.kty != "OKP" || e.crv != "X25519" {
        return Err(DecodeError::Invalid {
            what: "epk (expected an OKP X25519 key)",
        });
    }
    fixed::<32>("epk", &e.x)
}

fn check_json_len(s: &str) -> Result<(), DecodeError> {
    if s.len() > MAX_JSON {
        return Err(DecodeError::TooLong {
            what: "JWE JSON",
            len: s.len(),
            max: MAX_JSON,
        });
    }
    Ok(())
}

pub(super) fn from_json(s: &str) -> Result<Sealed, DecodeError> {
    check_json_len(s)?;
    let j: JweGeneral = serde_json::from_str(s).map_err(|e| DecodeError::json(&e))?;
    // The protected header: version first (so an unknown version is named as such), then the
    // strict shape, then byte-exact canonical form.
    let protected = b64u_decode("protected header", &j.protected, MAX_PROTECTED)?;
    let pv: Value = serde_json::from_slice(&protected).map_err(|e| DecodeError::json(&e))?;
    let version = match pv.get("cw_v").and_then(Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => VERSION,
        Some(v) if v == u64::from(VERSION_1) => VERSION_1,
        Some(v) => {
            return Err(DecodeError::UnsupportedVersion {
                found: u8::try_from(v).unwrap_or(u8::MAX),
            })
        }
        None => return Err(DecodeError::Invalid { what: "cw_v" }),
    };
    let p: Protected = serde_json::from_value(pv).map_err(|e| DecodeError::json(&e))?;
    if p.cw_v != u64::from(version) || p.enc != ENC {
        return Err(DecodeError::Invalid { what: "enc" });
    }
    // Version 2 carries the owner signature in the unprotected header; version 1 has none.
    let sig = match (version, &j.unprotected) {
        (VERSION, Some(u)) => Some(fixed::<SIGNATURE_LEN>("cw_sig", &u.cw_sig)?),
        (VERSION, None) => {
            return Err(DecodeError::Invalid {
                what: "cw_sig (owner signature missing)",
            })
        }
        (_, None) => None,
        (_, Some(_)) => {
            return Err(DecodeError::Invalid {
                what: "unprotected header in a version-1 object",
            })
        }
    };
    let rid: RecordId = p.cw_rid.parse()?;
    let owner: KeyId = p.cw_own.parse()?;
    let kc = fixed::<32>("cw_kc", &p.cw_kc)?;
    if j.recipients.is_empty() {
        return Err(DecodeError::Invalid {
            what: "recipient count",
        });
    }
    if j.recipients.len() > MAX_RECIPIENTS {
        return Err(DecodeError::TooLong {
            what: "recipients",
            len: j.recipients.len(),
            max: MAX_RECIPIENTS,
        });
    }
    let mut recipients = Vec::with_capacity(j.recipients.len());
    for r in &j.recipients {
        if r.header.alg != ALG {
            return Err(DecodeError::Invalid { what: "alg" });
        }
        let keys = PublicKeys::from_text(&r.header.cw_pk).map_err(|_| DecodeError::Invalid {
            what: "recipient public key",
        })?;
        let kid = keys.key_id();
        if r.header.kid != kid.to_string() {
            return Err(DecodeError::Invalid {
                what: "recipient kid",
            });
        }
        recipients.push(Recipient {
            keys,
            kid,
            epk: epk_bytes(&r.header.epk)?,
            ek: fixed::<40>("encrypted_key", &r.encrypted_key)?,
        });
    }
    let iv = fixed::<12>("iv", &j.iv)?;
    let tag = fixed::<16>("tag", &j.tag)?;
    let ciphertext = b64u_decode("ciphertext", &j.ciphertext, MAX_PAYLOAD)?;
    let sealed = Sealed::from_parts(
        sig, &p.cty, rid, p.cw_ep, owner, kc, iv, recipients, ciphertext, tag,
    )?;
    if sealed.protected_json().as_bytes() != protected.as_slice() {
        return Err(DecodeError::Invalid {
            what: "protected header (not in canonical form)",
        });
    }
    Ok(sealed)
}

/// The parts of a foreign JWE, in any of the three serializations.
struct Foreign {
    protected_b64: String,
    aad_b64: Option<String>,
    header: Map<String, Value>,
    encrypted_key: String,
    iv: String,
    ciphertext: String,
    tag: String,
}

fn obj(v: Option<&Value>, what: &'static str) -> Result<Map<String, Value>, DecodeError> {
    match v {
        None => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(_) => Err(DecodeError::Invalid { what }),
    }
}

fn string(v: Option<&Value>, what: &'static str) -> Result<String, DecodeError> {
    match v {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(DecodeError::Invalid { what }),
    }
}

fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) -> Result<(), DecodeError> {
    for (k, v) in from {
        if into.insert(k, v).is_some() {
            // RFC 7516 §7.2.1: header parameter names must be disjoint.
            return Err(DecodeError::Invalid {
                what: "duplicate JWE header parameter",
            });
        }
    }
    Ok(())
}

fn parse_foreign(s: &str) -> Result<Foreign, DecodeError> {
    check_json_len(s)?;
    let s = s.trim();
    if !s.starts_with('{') {
        // Compact serialization: five base64url parts.
        let parts: Vec<&str> = s.split('.').collect();
        let [p, ek, iv, ct, tag] = parts.as_slice() else {
            return Err(DecodeError::Invalid {
                what: "compact JWE (expected five parts)",
            });
        };
        let pb = b64u_decode("protected header", p, MAX_PROTECTED)?;
        let header: Value = serde_json::from_slice(&pb).map_err(|e| DecodeError::json(&e))?;
        return Ok(Foreign {
            protected_b64: (*p).to_owned(),
            aad_b64: None,
            header: obj(Some(&header), "protected header")?,
            encrypted_key: (*ek).to_owned(),
            iv: (*iv).to_owned(),
            ciphertext: (*ct).to_owned(),
            tag: (*tag).to_owned(),
        });
    }
    let v: Value = serde_json::from_str(s).map_err(|e| DecodeError::json(&e))?;
    let protected_b64 = match v.get("protected") {
        None => String::new(),
        p => string(p, "protected")?,
    };
    let mut header = if protected_b64.is_empty() {
        Map::new()
    } else {
        let pb = b64u_decode("protected header", &protected_b64, MAX_PROTECTED)?;
        let h: Value = serde_json::from_slice(&pb).map_err(|e| DecodeError::json(&e))?;
        obj(Some(&h), "protected header")?
    };
    merge(&mut header, obj(v.get("unprotected"), "unprotected")?)?;
    let (rh, encrypted_key) = match v.get("recipients") {
        Some(Value::Array(rs)) => {
            let [r] = rs.as_slice() else {
                return Err(DecodeError::Invalid {
                    what: "foreign JWE must have exactly one recipient",
                });
            };
            (
                obj(r.get("header"), "header")?,
                string(r.get("encrypted_key"), "encrypted_key")?,
            )
        }
        Some(_) => return Err(DecodeError::Invalid { what: "recipients" }),
        None => (
            obj(v.get("header"), "header")?,
            string(v.get("encrypted_key"), "encrypted_key")?,
        ),
    };
    merge(&mut header, rh)?;
    let aad_b64 = match v.get("aad") {
        None => None,
        a => Some(string(a, "aad")?),
    };
    Ok(Foreign {
        protected_b64,
        aad_b64,
        header,
        encrypted_key,
        iv: string(v.get("iv"), "iv")?,
        ciphertext: string(v.get("ciphertext"), "ciphertext")?,
        tag: string(v.get("tag"), "tag")?,
    })
}

/// Whether a JWE (compact or JSON) is a *foreign* one: made by another JOSE library, with no
/// Causeway header member (`cw_…`) in its protected, shared or recipient header. A Causeway JWE
/// that fails to decode as a sealed record, for instance one whose owner signature `cw_sig` was
/// stripped, is not foreign, and must be refused rather than opened with [`open_jwe`], which
/// checks no owner signature (issue 11). Text that does not parse as a JWE is not foreign either.
pub fn is_foreign_jwe(text: &str) -> bool {
    let Ok(f) = parse_foreign(text) else {
        return false;
    };
    let shared = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("unprotected").and_then(Value::as_object).cloned())
        .unwrap_or_default();
    !f.header
        .keys()
        .chain(shared.keys())
        .any(|k| k.starts_with("cw_"))
}

/// Opens a standard JWE made by another JOSE library for one of the party's X25519 keys
/// (`ECDH-ES+A256KW`, `A256GCM`; compact, flattened or general JSON with one recipient), without
/// Causeway's header. There is no key commitment to check: with a single recipient the wrapped
/// key is the only key (see `docs/decisions/0002-seal-foreign-jwe.md`). `zip` and `crit` are refused.
/// Returns the plaintext bytes.
pub fn open_jwe(json: &str, party: &Party) -> Result<Vec<u8>, OpenError> {
    let f = parse_foreign(json)?;
    let h = &f.header;
    let get = |k: &str| h.get(k).and_then(Value::as_str);
    if get("alg") != Some(ALG) {
        return Err(DecodeError::Invalid {
            what: "alg (expected ECDH-ES+A256KW)",
        }
        .into());
    }
    if get("enc") != Some(ENC) {
        return Err(DecodeError::Invalid {
            what: "enc (expected A256GCM)",
        }
        .into());
    }
    if h.contains_key("zip") || h.contains_key("crit") {
        return Err(DecodeError::Invalid {
            what: "unsupported header parameter (zip or crit)",
        }
        .into());
    }
    let epk: Epk = serde_json::from_value(
        h.get("epk")
            .cloned()
            .ok_or(DecodeError::Invalid { what: "epk" })?,
    )
    .or_else(|_| {
        // Tolerate extra members (some libraries add "alg" or "use"): only kty/crv/x matter.
        let e = h.get("epk").and_then(Value::as_object);
        let g = |k: &str| {
            e.and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(DecodeError::Invalid { what: "epk" })
        };
        Ok::<Epk, DecodeError>(Epk {
            kty: g("kty")?,
            crv: g("crv")?,
            x: g("x")?,
        })
    })?;
    let epk = epk_bytes(&epk)?;
    if !canonical_x25519(&epk) {
        return Err(DecodeError::Invalid {
            what: "epk (not canonical)",
        }
        .into());
    }
    let apu = match get("apu") {
        Some(s) => b64u_decode("apu", s, SMALL_FIELD * 16)?,
        None => Vec::new(),
    };
    let apv = match get("apv") {
        Some(s) => b64u_decode("apv", s, SMALL_FIELD * 16)?,
        None => Vec::new(),
    };
    let ek = b64u_decode("encrypted_key", &f.encrypted_key, SMALL_FIELD)?;
    let iv = fixed::<12>("iv", &f.iv)?;
    let tag = fixed::<16>("tag", &f.tag)?;
    let ciphertext = b64u_decode("ciphertext", &f.ciphertext, MAX_PAYLOAD)?;
    let mut aad = f.protected_b64.clone().into_bytes();
    if let Some(a) = &f.aad_b64 {
        aad.push(b'.');
        aad.extend_from_slice(a.as_bytes());
    }
    // A kid naming one of our keys picks it; otherwise every key generation is tried.
    let kid: Option<KeyId> = get("kid").and_then(|k| k.parse().ok());
    let candidates: Vec<&crate::party::SecretKeys> = match kid.and_then(|k| party.find(&k)) {
        Some(k) => vec![k],
        None => party.all_keys().collect(),
    };
    for keys in candidates {
        let Ok(cek) = unwrap_cek(keys, &epk, &ek, ALG, &apu, &apv) else {
            continue;
        };
        let mut buf = Zeroizing::new(ciphertext.clone());
        super::hazmat::Aes256Gcm::new(&cek).open_in_place(&iv, &aad, &mut buf, &tag)?;
        return Ok(core::mem::take(&mut *buf));
    }
    Err(OpenError::Decrypt)
}

#[cfg(test)]
mod tests {
    use super::super::{concat_kdf, hazmat};
    use super::*;

    /// A compact JWE as other libraries make it: epk, apu and apv in the protected header.
    fn foreign_compact(to: &PublicKeys, pt: &[u8], apu: &[u8], apv: &[u8]) -> String {
        let esk = x25519_dalek::StaticSecret::from([0x5au8; 32]);
        let epk = x25519_dalek::PublicKey::from(&esk);
        let z = esk.diffie_hellman(to.encryption());
        let kek = concat_kdf(z.as_bytes(), ALG, apu, apv);
        let cek = [0x11u8; 32];
        let mut ek = [0u8; 40];
        aes_kw::KekAes256::new(&(*kek).into())
            .wrap(&cek, &mut ek)
            .unwrap();
        let header = json!({
            "alg": ALG, "enc": ENC,
            "epk": {"kty": "OKP", "crv": "X25519", "x": b64u_encode(epk.as_bytes())},
            "apu": b64u_encode(apu), "apv": b64u_encode(apv),
        });
        let p = b64u_encode(header.to_string().as_bytes());
        let iv = [0x22u8; 12];
        let ct = hazmat::aes256gcm_encrypt(&cek, &iv, p.as_bytes(), pt);
        let (c, t) = ct.split_at(ct.len() - 16);
        format!(
            "{p}.{}.{}.{}.{}",
            b64u_encode(&ek),
            b64u_encode(&iv),
            b64u_encode(c),
            b64u_encode(t)
        )
    }

    #[test]
    fn a_causeway_jwe_without_its_owner_signature_is_not_foreign() {
        let p = Party::generate().unwrap();
        assert!(is_foreign_jwe(&foreign_compact(
            &p.public(),
            b"x",
            b"",
            b""
        )));
        let sealed = super::super::Sealed::seal_bytes(&p, &[], b"owned").unwrap();
        let jwe = sealed.to_jwe_json();
        assert!(!is_foreign_jwe(&jwe));
        let mut v: Value = serde_json::from_str(&jwe).unwrap();
        v.as_object_mut().unwrap().remove("unprotected");
        let stripped = v.to_string();
        assert!(super::super::Sealed::from_any(stripped.as_bytes()).is_err());
        // open_jwe itself opens it (plain JOSE), so the caller must ask is_foreign_jwe first
        assert_eq!(open_jwe(&stripped, &p).unwrap(), b"owned");
        assert!(!is_foreign_jwe(&stripped));
        assert!(!is_foreign_jwe("not a jwe"));
    }

    #[test]
    fn compact_with_apu_apv_and_rotation() {
        let mut p = Party::generate().unwrap();
        let jwe = foreign_compact(&p.public(), b"from elsewhere", b"Alice", b"Bob");
        assert_eq!(open_jwe(&jwe, &p).unwrap(), b"from elsewhere");
        p.rotate().unwrap();
        // no kid: every key generation is tried
        assert_eq!(open_jwe(&jwe, &p).unwrap(), b"from elsewhere");
        let other = Party::generate().unwrap();
        assert!(matches!(open_jwe(&jwe, &other), Err(OpenError::Decrypt)));
        // tampered apu changes the KEK
        let parts: Vec<&str> = jwe.split('.').collect();
        let mut h: Value =
            serde_json::from_slice(&b64u_decode("h", parts[0], 4096).unwrap()).unwrap();
        h["apu"] = Value::String(b64u_encode(b"Mallory"));
        let bad = format!(
            "{}.{}",
            b64u_encode(h.to_string().as_bytes()),
            parts[1..].join(".")
        );
        assert!(matches!(open_jwe(&bad, &p), Err(OpenError::Decrypt)));
        // four parts, or a zip header, are refused as malformed
        assert!(matches!(
            open_jwe(&parts[..4].join("."), &p),
            Err(OpenError::Decode(_))
        ));
        h["apu"] = Value::String(b64u_encode(b"Alice"));
        h["zip"] = Value::String("DEF".into());
        let zipped = format!(
            "{}.{}",
            b64u_encode(h.to_string().as_bytes()),
            parts[1..].join(".")
        );
        assert!(matches!(open_jwe(&zipped, &p), Err(OpenError::Decode(_))));
    }
}
