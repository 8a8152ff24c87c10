//! The sealed-object testkit: `tests/vectors/sealed/*.json`, one sealed object per file with its
//! expected outcome (opens to X, or fails with error class Y), one defect per file. The format is
//! documented in `tests/vectors/README.md`; Python and JS suites run the same files.
//!
//! `sealed_vectors_testkit` runs every file through Causeway's API. The files `101-…` and up
//! (format version 2, owner-signed) are produced by `regenerate_sealed_vectors` (ignored; run it
//! with `cargo test -p causeway-tests --test sealed_vectors -- --ignored regenerate`) from a fixed
//! seed, so regenerating reproduces them byte for byte while the formats stay the same. The files
//! `001-…` to `077-…` are format version 1, kept as they were made (the generator now writes
//! version 2): version-1 objects must keep opening.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use causeway::party::{Party, PublicKeys};
use causeway::record::{Record, Value as Field};
use causeway::seal::{hazmat, open_jwe, stream, Content, Sealed};
use causeway_tests::testkit::{decode_class, open_class, DetRng, ERROR_CLASSES};
use rand_core::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SEED: &str = "causeway/testkit/sealed/v1";

fn dir() -> PathBuf {
    causeway_tests::crate_dir().join("vectors/sealed")
}

fn b64(b: &[u8]) -> String {
    B64.encode(b)
}

fn unb64(s: &str) -> Vec<u8> {
    B64.decode(s).expect("base64url")
}

// ---------------------------------------------------------------------------------------------
// Running the vectors
// ---------------------------------------------------------------------------------------------

/// What a vector opened to.
#[derive(Debug)]
enum Opened {
    Content(Content),
    Stream(Vec<u8>),
}

fn load_party(name: &str) -> Party {
    let text = std::fs::read_to_string(dir().join("keys").join(format!("{name}.key")))
        .unwrap_or_else(|e| panic!("key file {name}: {e}"));
    Party::from_secret_text(&text).expect("key file parses")
}

/// Runs one vector through Causeway's API; `Err` is the error class.
fn run(form: &str, bytes: &[u8], party: &Party) -> Result<Opened, String> {
    match form {
        "jwe" => {
            let s = Sealed::from_any(bytes).map_err(|e| decode_class(&e))?;
            s.open(party)
                .map(Opened::Content)
                .map_err(|e| open_class(&e))
        }
        "binary" => {
            let s = Sealed::from_bytes(bytes).map_err(|e| decode_class(&e))?;
            s.open(party)
                .map(Opened::Content)
                .map_err(|e| open_class(&e))
        }
        "foreign-jwe" => {
            let text = std::str::from_utf8(bytes).map_err(|_| "decode.invalid_utf8".to_string())?;
            open_jwe(text, party)
                .map(|b| Opened::Content(Content::Bytes(b)))
                .map_err(|e| open_class(&e))
        }
        "stream" => {
            let mut out = Vec::new();
            stream::open_stream(party, bytes, &mut out, &mut |_| {})
                .map(|_| Opened::Stream(out))
                .map_err(|e| open_class(&e))
        }
        other => panic!("unknown form {other}"),
    }
}

fn check_opened(name: &str, opened: &Opened, want: &Value) -> Result<(), String> {
    let plaintext: Vec<u8> = match opened {
        Opened::Content(Content::Record(r)) => {
            let expected = want
                .get("record")
                .ok_or_else(|| format!("{name}: opened to a record, expected bytes"))?;
            let expected = Record::from_json_value(expected)
                .map_err(|e| format!("{name}: expected record does not parse: {e}"))?;
            if r != &expected {
                return Err(format!("{name}: opened to a different record"));
            }
            r.to_bytes()
        }
        Opened::Content(Content::Bytes(b)) => {
            if want.get("record").is_some() {
                return Err(format!("{name}: opened to bytes, expected a record"));
            }
            b.clone()
        }
        Opened::Stream(b) => b.clone(),
    };
    if let Some(p) = want.get("plaintext_b64u").and_then(Value::as_str) {
        if unb64(p) != plaintext {
            return Err(format!("{name}: plaintext differs"));
        }
    }
    if let Some(h) = want.get("sha256").and_then(Value::as_str) {
        if hex::encode(Sha256::digest(&plaintext)) != h {
            return Err(format!("{name}: plaintext hash differs"));
        }
    }
    if let Some(n) = want.get("length").and_then(Value::as_u64) {
        if plaintext.len() as u64 != n {
            return Err(format!("{name}: plaintext length differs"));
        }
    }
    Ok(())
}

fn vector_paths() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/vectors/sealed exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn sealed_vectors_testkit() {
    let paths = vector_paths();
    assert!(paths.len() >= 40, "only {} vectors", paths.len());
    let mut parties: BTreeMap<String, Party> = BTreeMap::new();
    let mut failures = Vec::new();
    let (mut opens, mut fails) = (0usize, 0usize);
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    for path in &paths {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        assert_eq!(v["name"], name.as_str(), "{name}: name matches the file");
        let form = v["form"].as_str().expect("form");
        let bytes = unb64(v["sealed_b64u"].as_str().expect("sealed_b64u"));
        if let Some(text) = v.get("jwe").and_then(Value::as_str) {
            assert_eq!(text.as_bytes(), bytes, "{name}: jwe and sealed_b64u agree");
        }
        let opener = v["opener"].as_str().expect("opener");
        let party = parties
            .entry(opener.to_string())
            .or_insert_with(|| load_party(opener));
        let got = run(form, &bytes, party);
        let expect = &v["expect"];
        match (expect.get("opens_to"), expect.get("fails_with"), got) {
            (Some(want), None, Ok(opened)) => match check_opened(&name, &opened, want) {
                Ok(()) => opens += 1,
                Err(e) => failures.push(e),
            },
            (Some(_), None, Err(class)) => {
                failures.push(format!("{name}: expected to open, failed with {class}"))
            }
            (None, Some(want), Err(class)) => {
                let want = want.as_str().expect("fails_with is a string");
                assert!(
                    ERROR_CLASSES.contains(&want),
                    "{name}: unknown class {want}"
                );
                if class == want {
                    fails += 1;
                    *classes.entry(class).or_default() += 1;
                } else {
                    failures.push(format!("{name}: expected {want}, got {class}"));
                }
            }
            (None, Some(want), Ok(_)) => {
                failures.push(format!("{name}: expected {want}, but it opened"))
            }
            _ => panic!("{name}: expect must have exactly one of opens_to / fails_with"),
        }
    }
    eprintln!(
        "sealed testkit: {} files, {opens} open as expected, {fails} fail as expected: {classes:?}",
        paths.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(opens >= 10 && fails >= 30);
    // The testkit covers the failure classes the format can produce.
    for c in [
        "decrypt",
        "not_a_recipient",
        "decode.truncated",
        "decode.trailing_data",
        "decode.bad_magic",
        "decode.unsupported_version",
        "decode.unexpected_tag",
        "decode.too_long",
        "decode.invalid_base64",
        "decode.invalid",
        "decode.json",
    ] {
        assert!(classes.contains_key(c), "no vector fails with {c}");
    }
}

/// The key files agree with each other: the JWK file holds the X25519 keys of the key file.
#[test]
fn testkit_key_files_agree() {
    for name in ["alice", "bob", "carol", "dave", "erin"] {
        let party = load_party(name);
        let jwks: Value = serde_json::from_str(
            &std::fs::read_to_string(dir().join("keys").join(format!("{name}.jwk.json"))).unwrap(),
        )
        .unwrap();
        let keys = jwks["keys"].as_array().unwrap();
        let ours: Vec<String> = party
            .all_keys()
            .map(|k| {
                serde_json::to_value(k.public().encryption_jwk()).unwrap()["x"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let theirs: Vec<String> = keys
            .iter()
            .map(|k| k["x"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ours, theirs, "{name}");
        let public: Value = serde_json::from_str(
            &std::fs::read_to_string(dir().join("keys").join(format!("{name}.pub"))).unwrap(),
        )
        .unwrap_or(Value::Null);
        assert!(public.is_null(), "{name}.pub is text, not JSON");
        let text = std::fs::read_to_string(dir().join("keys").join(format!("{name}.pub"))).unwrap();
        assert_eq!(PublicKeys::from_text(text.trim()).unwrap(), party.public());
    }
}

/// The generator draws everything from a fixed seed: two runs give identical files.
#[test]
fn generator_is_deterministic() {
    let a = build();
    let b = build();
    assert_eq!(a, b);
    assert!(a.len() >= 40 + 5 * 3);
}

/// Writes the testkit files (and reports which changed). Ignored: run it on purpose.
#[test]
#[ignore]
fn regenerate_sealed_vectors() {
    let files = build();
    let d = dir();
    std::fs::create_dir_all(d.join("keys")).unwrap();
    let mut before = BTreeMap::new();
    // Only the generated (version-2) files: 001-077 are frozen version-1 vectors.
    for old in vector_paths().into_iter().filter(|p| generated(p)) {
        before.insert(old.clone(), std::fs::read_to_string(&old).unwrap());
        std::fs::remove_file(old).unwrap();
    }
    let mut changed = 0;
    for (rel, text) in &files {
        let p = d.join(rel);
        let old = before
            .get(&p)
            .cloned()
            .or_else(|| std::fs::read_to_string(&p).ok());
        if old.as_deref() != Some(text.as_str()) {
            changed += 1;
        }
        std::fs::write(&p, text).unwrap();
    }
    eprintln!("wrote {} files, {changed} new or changed", files.len());
}

/// Number of the first generated file; the files below it are frozen version-1 vectors.
const FIRST_GENERATED: usize = 101;

fn generated(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.get(..3))
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|n| n >= FIRST_GENERATED)
}

// ---------------------------------------------------------------------------------------------
// Generating the vectors
// ---------------------------------------------------------------------------------------------

/// Length of an owner signature (Ed25519).
const SIG: usize = 64;
const RECORD_SIG_LABEL: &[u8] = b"causeway/sealed-record/v2/owner-signature";
const STREAM_HEADER_SIG_LABEL: &[u8] = b"causeway/sealed-stream/v2/header-signature";
const STREAM_END_SIG_LABEL: &[u8] = b"causeway/sealed-stream/v2/end-signature";

/// The canonical binary form of a Causeway JWE without its signature, assembled independently
/// from the JSON (docs/spec/sealed-record.md): what the owner signs.
fn unsigned_binary(j: &Value) -> Vec<u8> {
    let p: Value = serde_json::from_slice(&unb64(j["protected"].as_str().unwrap())).unwrap();
    let mut out = b"CW".to_vec();
    out.push(p["cw_v"].as_u64().unwrap() as u8);
    out.push(0x02);
    out.push(match p["cty"].as_str().unwrap() {
        "application/vnd.causeway.record+bin" => 1,
        _ => 2,
    });
    out.extend(hex::decode(p["cw_rid"].as_str().unwrap()).unwrap());
    out.extend((p["cw_ep"].as_u64().unwrap() as u32).to_be_bytes());
    out.extend(hex::decode(p["cw_own"].as_str().unwrap()).unwrap());
    out.extend(unb64(p["cw_kc"].as_str().unwrap()));
    out.extend(unb64(j["iv"].as_str().unwrap()));
    let rs = j["recipients"].as_array().unwrap();
    out.extend((rs.len() as u16).to_be_bytes());
    for r in rs {
        let keys = PublicKeys::from_text(r["header"]["cw_pk"].as_str().unwrap()).unwrap();
        out.extend(keys.signing().as_bytes());
        out.extend(keys.encryption().as_bytes());
        out.extend(unb64(r["header"]["epk"]["x"].as_str().unwrap()));
        out.extend(unb64(r["encrypted_key"].as_str().unwrap()));
    }
    let ct = unb64(j["ciphertext"].as_str().unwrap());
    out.extend((ct.len() as u32).to_be_bytes());
    out.extend(ct);
    out.extend(unb64(j["tag"].as_str().unwrap()));
    out
}

/// Signs a (crafted) Causeway JWE with `signer`'s keys: `unprotected.cw_sig`.
fn sign_jwe(j: &mut Value, signer: &Party) {
    let mut m = RECORD_SIG_LABEL.to_vec();
    m.extend(Sha256::digest(unsigned_binary(j)));
    j["unprotected"] = json!({"cw_sig": b64(&signer.keys().sign(&m))});
}

/// Re-signs a version-2 stream (header of `header_len` bytes, signature included) with
/// `signer`'s keys: the header signature and the trailer.
fn resign_stream(s: &[u8], header_len: usize, signer: &Party) -> Vec<u8> {
    let unsigned = &s[..header_len - SIG];
    let mut m = STREAM_HEADER_SIG_LABEL.to_vec();
    m.extend(Sha256::digest(unsigned));
    let mut out = unsigned.to_vec();
    out.extend(signer.keys().sign(&m));
    let chunks = &s[header_len..s.len() - SIG];
    let mut m = STREAM_END_SIG_LABEL.to_vec();
    m.extend(Sha256::digest(&out));
    m.extend(Sha256::digest(chunks));
    out.extend_from_slice(chunks);
    out.extend(signer.keys().sign(&m));
    out
}

/// An independent ECDH-ES+A256KW wrap (RFC 7518 §4.6 and RFC 8037): used to craft objects that
/// Causeway itself would never produce.
fn wrap_for(
    rng: &mut DetRng,
    to: &PublicKeys,
    cek: &[u8; 32],
    apu: &[u8],
    apv: &[u8],
) -> (Vec<u8>, Vec<u8>) {
    let mut seed = [0u8; 32];
    rng.fill_bytes(&mut seed);
    let esk = x25519_dalek::StaticSecret::from(seed);
    let epk = x25519_dalek::PublicKey::from(&esk);
    let z = esk.diffie_hellman(to.encryption());
    let mut h = Sha256::new();
    h.update(1u32.to_be_bytes());
    h.update(z.as_bytes());
    for part in [b"ECDH-ES+A256KW".as_slice(), apu, apv] {
        h.update((part.len() as u32).to_be_bytes());
        h.update(part);
    }
    h.update(256u32.to_be_bytes());
    let kek: [u8; 32] = h.finalize().into();
    let mut ek = [0u8; 40];
    aes_kw::KekAes256::new(&kek.into())
        .wrap(cek, &mut ek)
        .unwrap();
    (epk.as_bytes().to_vec(), ek.to_vec())
}

fn epk_jwk(epk: &[u8]) -> Value {
    json!({"kty": "OKP", "crv": "X25519", "x": b64(epk)})
}

/// A Causeway-shaped JWE crafted by hand: `wraps` gives each recipient's content key, `kc_cek`
/// the key the commitment is computed over, `ct_cek` the key the content is encrypted under.
#[allow(clippy::too_many_arguments)]
fn craft_causeway_jwe(
    rng: &mut DetRng,
    owner: &Party,
    cty: &str,
    wraps: &[(PublicKeys, [u8; 32])],
    kc_cek: &[u8; 32],
    ct_cek: &[u8; 32],
    plaintext: &[u8],
) -> String {
    let mut rid = [0u8; 16];
    rng.fill_bytes(&mut rid);
    let epoch = 0u32;
    let mut kc = Sha256::new();
    kc.update(b"causeway/key-commitment/v1");
    kc.update(rid);
    kc.update(epoch.to_be_bytes());
    kc.update(kc_cek);
    let kc: [u8; 32] = kc.finalize().into();
    let protected = format!(
        "{{\"enc\":\"A256GCM\",\"cty\":\"{cty}\",\"cw_v\":2,\"cw_rid\":\"{}\",\"cw_ep\":{epoch},\"cw_own\":\"{}\",\"cw_kc\":\"{}\"}}",
        hex::encode(rid),
        owner.key_id(),
        b64(&kc)
    );
    let protected_b64 = b64(protected.as_bytes());
    let recipients: Vec<Value> = wraps
        .iter()
        .map(|(keys, cek)| {
            let (epk, ek) = wrap_for(rng, keys, cek, b"", b"");
            json!({
                "header": {"alg": "ECDH-ES+A256KW", "kid": keys.key_id().to_string(),
                           "epk": epk_jwk(&epk), "cw_pk": keys.to_text()},
                "encrypted_key": b64(&ek),
            })
        })
        .collect();
    let mut iv = [0u8; 12];
    rng.fill_bytes(&mut iv);
    let ct = hazmat::aes256gcm_encrypt(ct_cek, &iv, protected_b64.as_bytes(), plaintext);
    let (ct, tag) = ct.split_at(ct.len() - 16);
    let mut j = json!({
        "protected": protected_b64,
        "recipients": recipients,
        "iv": b64(&iv),
        "ciphertext": b64(ct),
        "tag": b64(tag),
    });
    sign_jwe(&mut j, owner);
    j.to_string()
}

enum Foreign<'a> {
    Compact,
    Flattened { apu: &'a [u8], apv: &'a [u8] },
    General { kid: String },
}

/// A standard JWE as another JOSE library would make it, for one X25519 recipient.
fn foreign_jwe(rng: &mut DetRng, to: &PublicKeys, plaintext: &[u8], shape: Foreign<'_>) -> String {
    let mut cek = [0u8; 32];
    rng.fill_bytes(&mut cek);
    let (apu, apv): (&[u8], &[u8]) = match &shape {
        Foreign::Flattened { apu, apv } => (apu, apv),
        _ => (b"", b""),
    };
    let (epk, ek) = wrap_for(rng, to, &cek, apu, apv);
    let mut iv = [0u8; 12];
    rng.fill_bytes(&mut iv);
    let alg_epk = json!({"alg": "ECDH-ES+A256KW", "epk": epk_jwk(&epk)});
    let protected = match &shape {
        Foreign::Compact | Foreign::General { .. } => {
            json!({"alg": "ECDH-ES+A256KW", "enc": "A256GCM", "epk": epk_jwk(&epk)})
        }
        Foreign::Flattened { .. } => json!({"enc": "A256GCM"}),
    };
    let protected_b64 = b64(protected.to_string().as_bytes());
    let ct = hazmat::aes256gcm_encrypt(&cek, &iv, protected_b64.as_bytes(), plaintext);
    let (ct, tag) = ct.split_at(ct.len() - 16);
    match shape {
        Foreign::Compact => format!(
            "{protected_b64}.{}.{}.{}.{}",
            b64(&ek),
            b64(&iv),
            b64(ct),
            b64(tag)
        ),
        Foreign::Flattened { apu, apv } => {
            let mut header = alg_epk;
            header["apu"] = json!(b64(apu));
            header["apv"] = json!(b64(apv));
            json!({"protected": protected_b64, "header": header, "encrypted_key": b64(&ek),
                   "iv": b64(&iv), "ciphertext": b64(ct), "tag": b64(tag)})
            .to_string()
        }
        Foreign::General { kid } => json!({
            "protected": protected_b64,
            "recipients": [{"header": {"kid": kid}, "encrypted_key": b64(&ek)}],
            "iv": b64(&iv), "ciphertext": b64(ct), "tag": b64(tag)})
        .to_string(),
    }
}

fn flip_b64(s: &str, byte: usize) -> String {
    let mut b = unb64(s);
    let i = byte.min(b.len() - 1);
    b[i] ^= 0x01;
    b64(&b)
}

fn jv(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The decoded protected header of a Causeway JWE, as text.
fn protected_text(j: &Value) -> String {
    String::from_utf8(unb64(j["protected"].as_str().unwrap())).unwrap()
}

struct Gen {
    rng: DetRng,
    files: Vec<(String, String)>,
    n: usize,
}

#[derive(Clone, Copy)]
enum Jose {
    /// A standard JOSE library holding the opener's X25519 key opens it to the same plaintext.
    Opens,
    /// A standard JOSE library fails to open it.
    Fails,
    /// Not applicable or library-dependent (not a JWE, or a defect only Causeway checks).
    NotApplicable,
}

impl Gen {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        slug: &str,
        description: &str,
        form: &str,
        bytes: &[u8],
        opener: &str,
        expect: Value,
        jose: Jose,
    ) {
        self.n += 1;
        let name = format!("{:03}-{slug}", self.n);
        let mut v = json!({
            "name": name,
            "description": description,
            "form": form,
            "opener": opener,
            "expect": expect,
            "sealed_b64u": b64(bytes),
        });
        if form == "jwe" || form == "foreign-jwe" {
            if let Ok(t) = std::str::from_utf8(bytes) {
                v["jwe"] = json!(t);
            }
            v["generic_jose"] = json!(match jose {
                Jose::Opens => "opens",
                Jose::Fails => "fails",
                Jose::NotApplicable => "n/a",
            });
        }
        let text = serde_json::to_string_pretty(&v).unwrap() + "\n";
        self.files.push((format!("{name}.json"), text));
    }
}

fn opens_record(r: &Record) -> Value {
    json!({"opens_to": {"record": r.to_json(), "plaintext_b64u": b64(&r.to_bytes())}})
}

fn opens_bytes(b: &[u8]) -> Value {
    json!({"opens_to": {"plaintext_b64u": b64(b)}})
}

fn fails(class: &str) -> Value {
    json!({"fails_with": class})
}

fn record() -> Record {
    Record::new("kyc/v1")
        .unwrap()
        .with("name", Field::String("Ada Lovelace".into()))
        .unwrap()
        .with("score", Field::Int(712))
        .unwrap()
        .with("balance", Field::decimal("85000.50").unwrap())
        .unwrap()
        .with("born", Field::date("1815-12-10").unwrap())
        .unwrap()
        .with("verified", Field::Bool(true))
        .unwrap()
        .with("photo", Field::Bytes(vec![0, 1, 2, 254, 255]))
        .unwrap()
}

/// Offsets in the canonical binary form of a sealed record (docs/spec/sealed-record.md).
const BIN_CTY: usize = 4;
const BIN_COUNT: usize = 85;
const BIN_RECIPIENTS: usize = 87;
const BIN_ENTRY: usize = 136;
/// Offsets in a sealed stream header.
/// (version 2: the owner's Ed25519 and X25519 keys at 25..89)
const STREAM_OWNER: usize = 25;
const STREAM_COUNT: usize = 121;
const STREAM_ENTRIES: usize = 123;
const STREAM_ENTRY: usize = 88;

/// Builds every testkit file: `(relative path, contents)`.
fn build() -> Vec<(String, String)> {
    let mut g = Gen {
        rng: DetRng::new(SEED),
        files: Vec::new(),
        n: FIRST_GENERATED - 1,
    };
    let rng = &mut g.rng;
    let alice = Party::generate_with_rng(rng);
    let bob = Party::generate_with_rng(rng);
    let carol = Party::generate_with_rng(rng);
    let dave = Party::generate_with_rng(rng);
    let erin_old = Party::generate_with_rng(rng);
    let mut erin = erin_old.clone();
    erin.rotate_with_rng(rng);

    let mut keyfiles = Vec::new();
    for (name, p) in [
        ("alice", &alice),
        ("bob", &bob),
        ("carol", &carol),
        ("dave", &dave),
        ("erin", &erin),
    ] {
        keyfiles.push((
            format!("keys/{name}.key"),
            p.to_secret_text().expose().to_string(),
        ));
        keyfiles.push((
            format!("keys/{name}.pub"),
            format!("{}\n", p.public().to_text()),
        ));
        let jwks: Vec<Value> = p
            .all_keys()
            .map(|k| serde_json::from_str(k.encryption_jwk().expose()).unwrap())
            .collect();
        keyfiles.push((
            format!("keys/{name}.jwk.json"),
            serde_json::to_string_pretty(&json!({ "keys": jwks })).unwrap() + "\n",
        ));
    }

    let rec = record();
    let base = Sealed::seal_record_with_rng(&alice, &[bob.public()], &rec, rng).unwrap();
    let base_jwe = base.to_jwe_json();
    let base_bin = base.to_bytes();
    let bytes_payload = b"quarterly-report.csv: 1,2,3\n".to_vec();
    let sealed_bytes =
        Sealed::seal_bytes_with_rng(&alice, &[bob.public()], &bytes_payload, rng).unwrap();
    let sealed_empty = Sealed::seal_bytes_with_rng(&alice, &[bob.public()], b"", rng).unwrap();
    let granted = base.grant_with_rng(&alice, &carol.public(), rng).unwrap();
    let two =
        Sealed::seal_record_with_rng(&alice, &[bob.public(), dave.public()], &rec, rng).unwrap();
    let revoked = two.revoke_with_rng(&alice, &bob.key_id(), rng).unwrap();
    let to_erin_old =
        Sealed::seal_record_with_rng(&alice, &[erin_old.public()], &rec, rng).unwrap();
    let mut many: Vec<PublicKeys> = (0..8)
        .map(|_| Party::generate_with_rng(rng).public())
        .collect();
    many.push(dave.public());
    let ten = Sealed::seal_record_with_rng(&alice, &many, &rec, rng).unwrap();
    let compact = foreign_jwe(
        rng,
        &bob.public(),
        b"hello from another JOSE library",
        Foreign::Compact,
    );
    let flattened = foreign_jwe(
        rng,
        &bob.public(),
        b"flattened, with apu/apv",
        Foreign::Flattened {
            apu: b"Alice",
            apv: b"Bob",
        },
    );
    let general = foreign_jwe(
        rng,
        &bob.public(),
        b"general serialization, one recipient",
        Foreign::General {
            kid: bob.key_id().to_string(),
        },
    );
    let mut big = vec![0u8; stream::CHUNK_SIZE + 100];
    rng.fill_bytes(&mut big);
    let mut stream_big = Vec::new();
    stream::seal_stream_with_rng(
        &alice,
        &[bob.public()],
        &big[..],
        &mut stream_big,
        &mut |_| {},
        rng,
    )
    .unwrap();
    let small: Vec<u8> = b"a small stream: "
        .iter()
        .copied()
        .cycle()
        .take(300)
        .collect();
    let mut stream_small = Vec::new();
    stream::seal_stream_with_rng(
        &alice,
        &[bob.public()],
        &small[..],
        &mut stream_small,
        &mut |_| {},
        rng,
    )
    .unwrap();

    // Crafted objects (Causeway never produces these).
    let mut cek_a = [0u8; 32];
    let mut cek_b = [0u8; 32];
    rng.fill_bytes(&mut cek_a);
    rng.fill_bytes(&mut cek_b);
    let rec_bytes = rec.to_bytes();
    let kc_mismatch = craft_causeway_jwe(
        rng,
        &alice,
        "application/vnd.causeway.record+bin",
        &[(alice.public(), cek_a), (bob.public(), cek_a)],
        &cek_b,
        &cek_a,
        &rec_bytes,
    );
    let two_ceks = craft_causeway_jwe(
        rng,
        &alice,
        "application/vnd.causeway.record+bin",
        &[
            (alice.public(), cek_a),
            (bob.public(), cek_a),
            (dave.public(), cek_b),
        ],
        &cek_a,
        &cek_b,
        &rec_bytes,
    );
    let not_a_record = craft_causeway_jwe(
        rng,
        &alice,
        "application/vnd.causeway.record+bin",
        &[(alice.public(), cek_a), (bob.public(), cek_a)],
        &cek_a,
        &cek_a,
        b"this is not a canonical record encoding",
    );
    let crafted_ok = craft_causeway_jwe(
        rng,
        &alice,
        "application/vnd.causeway.record+bin",
        &[(alice.public(), cek_a), (bob.public(), cek_a)],
        &cek_a,
        &cek_a,
        &rec_bytes,
    );
    let mut other_epk = [0u8; 32];
    rng.fill_bytes(&mut other_epk);
    let other_epk =
        *x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(other_epk)).as_bytes();

    // ---- Objects that open ----
    g.push(
        "jwe-record-for-recipient",
        "A record sealed by alice for bob (JWE JSON), opened by bob.",
        "jwe",
        base_jwe.as_bytes(),
        "bob",
        opens_record(&rec),
        Jose::Opens,
    );
    g.push(
        "jwe-record-for-owner",
        "The same record opened by its owner alice (always a recipient).",
        "jwe",
        base_jwe.as_bytes(),
        "alice",
        opens_record(&rec),
        Jose::Opens,
    );
    g.push(
        "binary-record",
        "The same record in Causeway's canonical binary form, opened by bob.",
        "binary",
        &base_bin,
        "bob",
        opens_record(&rec),
        Jose::NotApplicable,
    );
    g.push(
        "jwe-bytes",
        "Opaque bytes sealed for bob.",
        "jwe",
        sealed_bytes.to_jwe_json().as_bytes(),
        "bob",
        opens_bytes(&bytes_payload),
        Jose::Opens,
    );
    g.push(
        "jwe-empty-bytes",
        "An empty payload sealed for bob.",
        "jwe",
        sealed_empty.to_jwe_json().as_bytes(),
        "bob",
        opens_bytes(b""),
        Jose::Opens,
    );
    g.push(
        "jwe-granted",
        "The record granted to carol without re-encryption; carol opens it.",
        "jwe",
        granted.to_jwe_json().as_bytes(),
        "carol",
        opens_record(&rec),
        Jose::Opens,
    );
    g.push(
        "jwe-revoked-epoch1-remaining",
        "Sealed for bob and dave, bob revoked (epoch 1); dave still opens.",
        "jwe",
        revoked.to_jwe_json().as_bytes(),
        "dave",
        opens_record(&rec),
        Jose::Opens,
    );
    g.push(
        "jwe-retired-key",
        "Sealed for erin's previous key; erin rotated and opens it with the retired key.",
        "jwe",
        to_erin_old.to_jwe_json().as_bytes(),
        "erin",
        opens_record(&rec),
        Jose::Opens,
    );
    g.push(
        "binary-ten-recipients",
        "Sealed for ten recipients (owner first); the last one, dave, opens it.",
        "binary",
        &ten.to_bytes(),
        "dave",
        opens_record(&rec),
        Jose::NotApplicable,
    );
    g.push(
        "jwe-crafted-consistent",
        "A Causeway JWE assembled by an independent implementation of the spec; opens.",
        "jwe",
        crafted_ok.as_bytes(),
        "bob",
        opens_record(&rec),
        Jose::Opens,
    );
    g.push(
        "foreign-jwe-compact",
        "A standard compact JWE (ECDH-ES+A256KW, X25519, A256GCM) for bob's key.",
        "foreign-jwe",
        compact.as_bytes(),
        "bob",
        opens_bytes(b"hello from another JOSE library"),
        Jose::Opens,
    );
    g.push(
        "foreign-jwe-flattened-apu-apv",
        "A standard flattened JSON JWE with apu/apv in the per-recipient header.",
        "foreign-jwe",
        flattened.as_bytes(),
        "bob",
        opens_bytes(b"flattened, with apu/apv"),
        Jose::Opens,
    );
    g.push(
        "foreign-jwe-general",
        "A standard general JSON JWE with one recipient and a kid.",
        "foreign-jwe",
        general.as_bytes(),
        "bob",
        opens_bytes(b"general serialization, one recipient"),
        Jose::Opens,
    );
    g.push(
        "stream-two-chunks",
        "A sealed stream of 64 KiB + 100 bytes (two chunks) for bob.",
        "stream",
        &stream_big,
        "bob",
        json!({"opens_to": {"sha256": hex::encode(Sha256::digest(&big)), "length": big.len()}}),
        Jose::NotApplicable,
    );
    g.push(
        "stream-one-chunk",
        "A sealed stream of 300 bytes (one chunk) for bob.",
        "stream",
        &stream_small,
        "bob",
        opens_bytes(&small),
        Jose::NotApplicable,
    );

    // ---- JWE defects ----
    let j = jv(&base_jwe);
    let mut t = j.clone();
    t["tag"] = json!(flip_b64(j["tag"].as_str().unwrap(), 0));
    g.push(
        "jwe-tampered-tag",
        "One bit of the GCM tag flipped.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["ciphertext"] = json!(flip_b64(j["ciphertext"].as_str().unwrap(), 10));
    g.push(
        "jwe-tampered-ciphertext",
        "One bit of the ciphertext flipped.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["iv"] = json!(flip_b64(j["iv"].as_str().unwrap(), 5));
    g.push(
        "jwe-tampered-iv",
        "One bit of the IV flipped.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    let mut ct = unb64(j["ciphertext"].as_str().unwrap());
    ct.pop();
    t["ciphertext"] = json!(b64(&ct));
    g.push(
        "jwe-truncated-ciphertext",
        "The last ciphertext byte removed.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["tag"] = json!(b64(&unb64(j["tag"].as_str().unwrap())[..15]));
    g.push(
        "jwe-short-tag",
        "A 15-byte tag.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::Fails,
    );
    let p = protected_text(&j);
    let mut t = j.clone();
    t["protected"] = json!(b64(p.replace("\"cw_ep\":0", "\"cw_ep\":1").as_bytes()));
    g.push(
        "jwe-protected-epoch-changed",
        "The protected header's epoch changed from 0 to 1 (still canonical).",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["protected"] = json!(b64(p
        .replace("vnd.causeway.record+bin", "octet-stream")
        .as_bytes()));
    g.push(
        "jwe-protected-cty-changed",
        "The protected header's cty changed from a record to bytes.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    let rid = p.split("\"cw_rid\":\"").nth(1).unwrap()[..32].to_string();
    let mut rid2 = hex::decode(&rid).unwrap();
    rid2[0] ^= 1;
    t["protected"] = json!(b64(p.replace(&rid, &hex::encode(rid2)).as_bytes()));
    g.push(
        "jwe-protected-record-id-changed",
        "One bit of the record id in the protected header flipped.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["protected"] = json!(b64(p.replacen(',', ", ", 1).as_bytes()));
    g.push(
        "jwe-protected-not-canonical",
        "A space added to the protected header JSON. (Library-dependent for plain JOSE: joserfc 1.8 recomputes the GCM AAD from the re-serialized header and opens it.)",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    let mut t = j.clone();
    t["protected"] = json!(b64(p.replace("\"cw_v\":2", "\"cw_v\":3").as_bytes()));
    g.push(
        "jwe-unknown-version",
        "The protected header names format version 3.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.unsupported_version"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["protected"] = json!(b64(p.replace("A256GCM", "A128GCM").as_bytes()));
    g.push(
        "jwe-enc-a128gcm",
        "The protected header names enc A128GCM.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["protected"] = json!(b64(p
        .replace("vnd.causeway.record+bin", "vnd.causeway.unknown")
        .as_bytes()));
    g.push(
        "jwe-unknown-content-type",
        "The protected header names an unknown cty.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::Fails,
    );
    let mut t = j.clone();
    let long = p.replacen('{', &format!("{{\"x\":\"{}\",", "a".repeat(5000)), 1);
    t["protected"] = json!(b64(long.as_bytes()));
    g.push(
        "jwe-oversized-protected",
        "A protected header over the 4 KiB cap.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.too_long"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["recipients"][1]["encrypted_key"] = json!(flip_b64(
        j["recipients"][1]["encrypted_key"].as_str().unwrap(),
        3
    ));
    g.push(
        "jwe-tampered-encrypted-key",
        "One bit of bob's wrapped content key flipped.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["recipients"][1]["header"]["epk"]["x"] = json!(b64(&other_epk));
    g.push(
        "jwe-replaced-epk",
        "Bob's ephemeral public key replaced by another valid point.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    let mut hi = unb64(j["recipients"][1]["header"]["epk"]["x"].as_str().unwrap());
    hi[31] |= 0x80;
    t["recipients"][1]["header"]["epk"]["x"] = json!(b64(&hi));
    g.push(
        "jwe-epk-high-bit",
        "Bob's ephemeral key with the unused top bit set (not canonical).",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    let mut t = j.clone();
    t["recipients"][1]["header"]["epk"]["x"] = json!(b64(&[0u8; 32]));
    g.push(
        "jwe-epk-low-order",
        "Bob's ephemeral key replaced by the point u = 0 (all-zero shared secret).",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["recipients"][1]["header"]["kid"] = json!(carol.key_id().to_string());
    g.push(
        "jwe-kid-mismatch",
        "Bob's kid replaced by carol's (no longer the hash of cw_pk).",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    let mut t = j.clone();
    t["recipients"][1]["header"]["alg"] = json!("ECDH-ES");
    g.push(
        "jwe-alg-ecdh-es",
        "Bob's alg changed to direct ECDH-ES.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    let mut t = j.clone();
    let (a, b) = (
        j["recipients"][0]["encrypted_key"].clone(),
        j["recipients"][1]["encrypted_key"].clone(),
    );
    t["recipients"][0]["encrypted_key"] = b;
    t["recipients"][1]["encrypted_key"] = a;
    g.push(
        "jwe-swapped-encrypted-keys",
        "Alice's and bob's wrapped keys swapped.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Fails,
    );
    g.push(
        "jwe-wrong-recipient",
        "Opened by carol, who is not a recipient.",
        "jwe",
        base_jwe.as_bytes(),
        "carol",
        fails("not_a_recipient"),
        Jose::Fails,
    );
    g.push(
        "jwe-revoked-recipient",
        "Bob opens the epoch-1 record he was revoked from.",
        "jwe",
        revoked.to_jwe_json().as_bytes(),
        "bob",
        fails("not_a_recipient"),
        Jose::Fails,
    );
    let mut t = j.clone();
    let r0 = j["recipients"][1].clone();
    t["recipients"] = json!([r0]);
    g.push(
        "jwe-owner-not-recipient",
        "Alice's (the owner's) recipient entry removed.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::Opens,
    );
    let mut t = j.clone();
    t["recipients"]
        .as_array_mut()
        .unwrap()
        .push(j["recipients"][1].clone());
    g.push(
        "jwe-duplicate-recipient",
        "Bob's recipient entry twice.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    let mut t = j.clone();
    t["recipients"] = json!([]);
    g.push(
        "jwe-no-recipients",
        "An empty recipient list.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["aad"] = json!(b64(b"extra"));
    g.push(
        "jwe-unexpected-aad",
        "An aad member added (Causeway's JWEs have none).",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.json"),
        Jose::Fails,
    );
    let mut t = j.clone();
    t["iv"] = json!(format!("{}=", j["iv"].as_str().unwrap()));
    g.push(
        "jwe-bad-base64-padding",
        "The IV with a base64 padding character.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid_base64"),
        Jose::NotApplicable,
    );
    let mut t = j.clone();
    t["ciphertext"] = json!(j["ciphertext"].as_str().unwrap().replacen(
        |c: char| c.is_ascii_alphanumeric(),
        "+",
        1
    ));
    g.push(
        "jwe-bad-base64-alphabet",
        "A '+' (standard, not url-safe, base64) in the ciphertext.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid_base64"),
        Jose::NotApplicable,
    );
    let mut tr = base_jwe.clone().into_bytes();
    tr.extend_from_slice(b"{}");
    g.push(
        "jwe-trailing-data",
        "Bytes after the JWE JSON object.",
        "jwe",
        &tr,
        "bob",
        fails("decode.json"),
        Jose::NotApplicable,
    );
    g.push(
        "jwe-truncated-json",
        "The JWE JSON cut in half.",
        "jwe",
        &base_jwe.as_bytes()[..base_jwe.len() / 2],
        "bob",
        fails("decode.json"),
        Jose::NotApplicable,
    );
    let mut bad = base_jwe.clone().into_bytes();
    bad.insert(1, 0xff);
    g.push(
        "jwe-invalid-utf8",
        "A byte that is not UTF-8 inside the JSON.",
        "jwe",
        &bad,
        "bob",
        fails("decode.invalid_utf8"),
        Jose::NotApplicable,
    );
    g.push("jwe-mismatched-key-commitment", "Crafted: GCM-consistent, but cw_kc commits to another content key. A plain JOSE library opens it; Causeway must not.", "jwe", kc_mismatch.as_bytes(), "bob", fails("decrypt"), Jose::Opens);
    g.push("jwe-two-ceks-other-recipient", "Crafted: bob's and dave's wraps hold different content keys, content under dave's key, cw_kc commits to bob's. Dave opens with a plain JOSE library; Causeway refuses dave.", "jwe", two_ceks.as_bytes(), "dave", fails("decrypt"), Jose::Opens);
    g.push("jwe-two-ceks-committed-recipient", "The same crafted object opened by bob: his key matches cw_kc but the content is under dave's key.", "jwe", two_ceks.as_bytes(), "bob", fails("decrypt"), Jose::Fails);
    g.push("jwe-content-not-a-record", "Crafted: authentic and committed, but the plaintext is not a canonical record although cty says it is.", "jwe", not_a_record.as_bytes(), "bob", fails("decode.invalid"), Jose::Opens);

    // ---- Binary defects ----
    let b = &base_bin;
    let mut t = b.clone();
    t[b.len() - SIG - 1] ^= 1;
    g.push(
        "binary-tampered-tag",
        "One bit of the tag flipped.",
        "binary",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    t[0] = b'X';
    g.push(
        "binary-bad-magic",
        "The magic is 'XW' instead of 'CW'.",
        "binary",
        &t,
        "bob",
        fails("decode.bad_magic"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    t[2] = 3;
    g.push(
        "binary-unknown-version",
        "Format version 3.",
        "binary",
        &t,
        "bob",
        fails("decode.unsupported_version"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    t[3] = 0x7f;
    g.push(
        "binary-unknown-tag",
        "Type tag 0x7f (not registered).",
        "binary",
        &t,
        "bob",
        fails("decode.unexpected_tag"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    t[3] = 0x01;
    g.push(
        "binary-record-tag",
        "The tag of a plain record (0x01), not a sealed record.",
        "binary",
        &t,
        "bob",
        fails("decode.unexpected_tag"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    t[BIN_CTY] = 9;
    g.push(
        "binary-unknown-content-type",
        "Content type byte 9.",
        "binary",
        &t,
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    for (slug, cut, what) in [
        ("binary-truncated-in-header", 3, "inside the object header"),
        (
            "binary-truncated-before-recipients",
            BIN_RECIPIENTS,
            "before the first recipient",
        ),
        (
            "binary-truncated-in-recipient",
            BIN_RECIPIENTS + BIN_ENTRY + 70,
            "inside bob's recipient entry",
        ),
        (
            "binary-truncated-in-ciphertext",
            b.len() - SIG - 16 - 5,
            "inside the ciphertext",
        ),
        (
            "binary-truncated-in-tag",
            b.len() - SIG - 1,
            "one byte short of the tag",
        ),
        (
            "binary-truncated-in-signature",
            b.len() - 1,
            "one byte short of the owner signature",
        ),
    ] {
        g.push(
            slug,
            &format!("Truncated {what} ({cut} of {} bytes).", b.len()),
            "binary",
            &b[..cut],
            "bob",
            fails("decode.truncated"),
            Jose::NotApplicable,
        );
    }
    let mut t = b.clone();
    t.push(0);
    g.push(
        "binary-trailing-data",
        "One byte after the tag.",
        "binary",
        &t,
        "bob",
        fails("decode.trailing_data"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    t[BIN_COUNT..BIN_COUNT + 2].copy_from_slice(&0u16.to_be_bytes());
    g.push(
        "binary-zero-recipients",
        "A recipient count of 0.",
        "binary",
        &t,
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    t[BIN_COUNT..BIN_COUNT + 2].copy_from_slice(&u16::MAX.to_be_bytes());
    g.push(
        "binary-oversized-recipient-count",
        "A recipient count of 65535 (over the cap), checked before allocation.",
        "binary",
        &t,
        "bob",
        fails("decode.too_long"),
        Jose::NotApplicable,
    );
    let ct_len_at = BIN_RECIPIENTS + 2 * BIN_ENTRY;
    let mut t = b.clone();
    t[ct_len_at..ct_len_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    g.push(
        "binary-oversized-ciphertext-length",
        "A ciphertext length of 4 GiB - 1 (over the cap), checked before allocation.",
        "binary",
        &t,
        "bob",
        fails("decode.too_long"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    let at = BIN_RECIPIENTS + BIN_ENTRY + 32;
    t[at..at + 32].copy_from_slice(&[0u8; 32]);
    g.push(
        "binary-low-order-recipient-key",
        "Bob's X25519 public key replaced by a low-order point.",
        "binary",
        &t,
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    let mut t = b.clone();
    let at = BIN_RECIPIENTS + BIN_ENTRY + 96;
    t[at] ^= 1;
    g.push(
        "binary-tampered-encrypted-key",
        "One bit of bob's wrapped content key flipped.",
        "binary",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    g.push(
        "binary-wrong-recipient",
        "Opened by carol, who is not a recipient.",
        "binary",
        b,
        "carol",
        fails("not_a_recipient"),
        Jose::NotApplicable,
    );

    // ---- Stream defects ----
    let s = &stream_small;
    let header_len = STREAM_ENTRIES + 2 * STREAM_ENTRY + SIG;
    assert_eq!(
        u16::from_be_bytes([s[STREAM_COUNT], s[STREAM_COUNT + 1]]),
        2
    );
    let mut t = s.clone();
    t[s.len() - SIG - 1] ^= 1;
    g.push(
        "stream-tampered-chunk",
        "One bit of the last chunk's tag flipped.",
        "stream",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    g.push(
        "stream-truncated-in-chunk",
        "The last chunk cut short by 20 bytes.",
        "stream",
        &s[..s.len() - SIG - 20],
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    g.push(
        "stream-no-chunks",
        "The header alone: every chunk dropped.",
        "stream",
        &s[..header_len],
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    g.push(
        "stream-truncated-in-header",
        "Cut inside the header.",
        "stream",
        &s[..header_len - 10],
        "bob",
        fails("decode.truncated"),
        Jose::NotApplicable,
    );
    let mut t = s.clone();
    t.extend_from_slice(&[0u8; 17]);
    g.push(
        "stream-trailing-data",
        "17 bytes appended after the last chunk.",
        "stream",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    let mut t = s.clone();
    t[2] = 9;
    g.push(
        "stream-unknown-version",
        "Format version 9 in the stream header.",
        "stream",
        &t,
        "bob",
        fails("decode.unsupported_version"),
        Jose::NotApplicable,
    );
    let mut t = s.clone();
    t[STREAM_ENTRIES + STREAM_ENTRY + 16 + 32] ^= 1;
    g.push(
        "stream-tampered-encrypted-key",
        "One bit of bob's wrapped content key in the header flipped.",
        "stream",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    g.push(
        "stream-wrong-recipient",
        "Opened by carol, who is not a recipient.",
        "stream",
        s,
        "carol",
        fails("not_a_recipient"),
        Jose::NotApplicable,
    );
    let big_header = header_len;
    let first_end = big_header + stream::CHUNK_SIZE + 16;
    g.push("stream-truncated-at-chunk-boundary", "The two-chunk stream with its last chunk dropped: it ends cleanly after a chunk not marked last.", "stream", &stream_big[..first_end], "bob", fails("decrypt"), Jose::NotApplicable);

    // ---- Version 2: the owner signature (issue 11 item 2) ----
    // An entry added for carol to a correctly signed object, wrapping the real content key
    // (what a recipient, or anyone who learned the key, could add).
    let mut added = jv(&crafted_ok);
    let (epk, ek) = wrap_for(&mut g.rng, &carol.public(), &cek_a, b"", b"");
    added["recipients"].as_array_mut().unwrap().push(json!({
        "header": {"alg": "ECDH-ES+A256KW", "kid": carol.key_id().to_string(),
                   "epk": epk_jwk(&epk), "cw_pk": carol.public().to_text()},
        "encrypted_key": b64(&ek),
    }));
    g.push("jwe-added-recipient", "A recipient entry for carol appended to alice's signed object (it wraps the real content key). Bob must refuse it: the owner signature does not cover it. A plain JOSE library cannot tell.", "jwe", added.to_string().as_bytes(), "bob", fails("decrypt"), Jose::Opens);
    g.push(
        "jwe-added-recipient-opened-by-it",
        "The same object opened by carol, the injected recipient.",
        "jwe",
        added.to_string().as_bytes(),
        "carol",
        fails("decrypt"),
        Jose::Opens,
    );
    let mut resigned = added.clone();
    sign_jwe(&mut resigned, &bob);
    g.push("jwe-added-recipient-resigned-by-recipient", "The added entry, the object re-signed by bob (a recipient, not the owner named in cw_own); opened by bob.", "jwe", resigned.to_string().as_bytes(), "bob", fails("decrypt"), Jose::Opens);
    g.push("jwe-added-recipient-resigned-by-recipient-owner", "The same, opened by the owner alice: she refuses it too (and so cannot re-wrap for carol on her next revoke).", "jwe", resigned.to_string().as_bytes(), "alice", fails("decrypt"), Jose::Opens);
    // carol makes an object for alice and bob that claims alice as its owner.
    let mut forged = jv(&craft_causeway_jwe(
        &mut g.rng,
        &alice,
        "application/vnd.causeway.record+bin",
        &[(alice.public(), cek_b), (bob.public(), cek_b)],
        &cek_b,
        &cek_b,
        &rec_bytes,
    ));
    sign_jwe(&mut forged, &carol);
    g.push("jwe-forged-owner", "Made by carol for alice and bob with cw_own naming alice, signed with carol's keys. Anyone can wrap for public keys; only the owner can sign. A plain JOSE library opens it.", "jwe", forged.to_string().as_bytes(), "bob", fails("decrypt"), Jose::Opens);
    let j = jv(&base_jwe);
    let mut t = j.clone();
    t["unprotected"]["cw_sig"] = json!(flip_b64(j["unprotected"]["cw_sig"].as_str().unwrap(), 20));
    g.push(
        "jwe-signature-flipped",
        "One bit of the owner signature (unprotected cw_sig) flipped.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decrypt"),
        Jose::Opens,
    );
    let mut t = j.clone();
    t.as_object_mut().unwrap().remove("unprotected");
    g.push(
        "jwe-signature-missing",
        "A version-2 object without its owner signature.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::Opens,
    );
    let mut t = j.clone();
    t["unprotected"]["cw_sig"] = json!(b64(&[0u8; 63]));
    g.push(
        "jwe-signature-short",
        "A 63-byte owner signature.",
        "jwe",
        t.to_string().as_bytes(),
        "bob",
        fails("decode.invalid"),
        Jose::Opens,
    );
    let mut t = j.clone();
    t["recipients"][0]["header"]["cw_pk"] = json!(carol.public().to_text());
    t["recipients"][0]["header"]["kid"] = json!(carol.key_id().to_string());
    g.push("jwe-owner-entry-keys-replaced", "The owner's recipient entry names carol's keys instead of alice's (cw_own no longer among the recipients).", "jwe", t.to_string().as_bytes(), "bob", fails("decode.invalid"), Jose::Opens);
    let mut t = j.clone();
    t["recipients"][1]["header"]["epk"]["x"] = json!(b64(&other_epk));
    g.push("jwe-other-recipient-epk-replaced", "Bob's ephemeral key replaced; opened by alice, whose own entry is intact: the signature covers every entry.", "jwe", t.to_string().as_bytes(), "alice", fails("decrypt"), Jose::NotApplicable);
    let mut t = base_bin.clone();
    *t.last_mut().unwrap() ^= 1;
    g.push(
        "binary-signature-flipped",
        "One bit of the owner signature (the last 64 bytes) flipped.",
        "binary",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    let mut t = base_bin.clone();
    t[BIN_RECIPIENTS + 5] ^= 1;
    g.push("binary-owner-entry-changed-opened-by-other", "One bit of the owner's own entry (its Ed25519 key) flipped; opened by bob. Refused as malformed (the owner's keys changed, so cw_own is no longer a recipient) or, if it decodes, by the signature.", "binary", &t, "bob", fails("decode.invalid"), Jose::NotApplicable);
    let mut t = base_bin.clone();
    t[BIN_RECIPIENTS + 64 + 7] ^= 1;
    g.push(
        "binary-owner-epk-changed-opened-by-other",
        "One bit of the owner's ephemeral key flipped; opened by bob, whose entry is intact.",
        "binary",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    let s = &stream_small;
    let mut t = s.clone();
    t[header_len - 1] ^= 1;
    g.push(
        "stream-header-signature-flipped",
        "One bit of the header signature flipped: refused before any chunk is released.",
        "stream",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    let mut t = s.clone();
    *t.last_mut().unwrap() ^= 1;
    g.push(
        "stream-trailer-flipped",
        "One bit of the trailer (the owner's signature over the whole stream) flipped.",
        "stream",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    g.push(
        "stream-trailer-missing",
        "The trailer signature dropped.",
        "stream",
        &s[..s.len() - SIG],
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    let mut t = s.clone();
    t[STREAM_OWNER..STREAM_OWNER + 32].copy_from_slice(carol.public().signing().as_bytes());
    t[STREAM_OWNER + 32..STREAM_OWNER + 64].copy_from_slice(carol.public().encryption().as_bytes());
    g.push(
        "stream-owner-replaced",
        "The owner's keys in the header replaced by carol's (not a recipient): malformed.",
        "stream",
        &t,
        "bob",
        fails("decode.invalid"),
        Jose::NotApplicable,
    );
    let t = resign_stream(s, header_len, &bob);
    g.push(
        "stream-resigned-by-recipient",
        "The stream's header and trailer re-signed by bob, not by the owner.",
        "stream",
        &t,
        "bob",
        fails("decrypt"),
        Jose::NotApplicable,
    );
    let t = resign_stream(s, header_len, &alice);
    g.push(
        "stream-resigned-by-owner",
        "The same re-signing by the owner alice: opens (the re-signing is faithful to the spec).",
        "stream",
        &t,
        "bob",
        opens_bytes(&small),
        Jose::NotApplicable,
    );

    let mut files = keyfiles;
    files.extend(g.files);
    files
}

/// A version-1 stream is unsigned and says so: `StreamInfo::signed` / `StreamHeader::signed`
/// are false for it and true for a version-2 stream, so a caller (and `causeway open`) can tell
/// an owner that is only claimed from one that signed.
#[test]
fn stream_signed_flag_tells_version_1_from_version_2() {
    for (file, signed) in [
        ("014-stream-two-chunks.json", false),
        ("114-stream-two-chunks.json", true),
    ] {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(dir().join(file)).unwrap()).unwrap();
        let bytes = unb64(v["sealed_b64u"].as_str().unwrap());
        let party = load_party(v["opener"].as_str().unwrap());
        let header = stream::inspect_stream(&bytes[..]).unwrap();
        assert_eq!(header.signed, signed, "{file} header");
        let mut out = Vec::new();
        let info = stream::open_stream(&party, &bytes[..], &mut out, &mut |_| {}).unwrap();
        assert_eq!(info.signed, signed, "{file} opened");
    }
}
