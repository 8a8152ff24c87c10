//! Groth16 keys by circuit shape: what a prover or verifier holds for the statements it
//! proves or checks.
//!
//! Each statement maps to one circuit [`Shape`] (`attribute`, `sum:K`,
//! `membership:D[:nullifier]`), and each shape to one key pair from a setup. A [`KeyRing`] is
//! that map in memory; on disk it is a directory of content-addressed key files
//! (`<groth16vk1…>.pk`, `.vk`, `.vk.json`, written by `causeway setup`) plus a manifest
//! `keys.json` naming the key of each shape:
//!
//! ```json
//! {"format": "causeway-groth16-keys/v1", "keys": {"sum:4": "groth16vk1…", "attribute": "groth16vk1…"}}
//! ```
//!
//! Loading checks that every key file hashes to the id it is filed under
//! ([`KeyRingError::Mismatch`] otherwise). A manifest that files a key under the wrong shape
//! cannot forge anything: every statement's public input is a hash under a domain tag naming
//! its shape, so a proof from another circuit never verifies; proving with it fails with
//! [`SnarkError::KeyMismatch`].
//!
//! Who ran the setup is who the keys trust: see `docs/decisions/0010-groth16-trusted-setup.md`
//! and `docs/groth16-ceremony.md`.

use super::{ProvingKey, VerifyingKey, VerifyingKeyId};
use crate::error::{KeyRingError, SnarkError};
use causeway_circuits::merkle::MAX_DEPTH;
use causeway_circuits::statements::attribute::AttributeCircuit;
use causeway_circuits::statements::membership::MembershipCircuit;
use causeway_circuits::statements::sum::{SumCircuit, MAX_RECORDS};
use rand_core::{CryptoRng, RngCore};
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest's file name in a key directory.
pub const MANIFEST_FILE: &str = "keys.json";
/// The manifest's format string.
pub const MANIFEST_FORMAT: &str = "causeway-groth16-keys/v1";
/// Largest manifest read.
pub const MAX_MANIFEST_LEN: usize = 64 * 1024;
/// Largest proving-key file read (a `sum:64` key is about 40 MB).
pub const MAX_PROVING_KEY_FILE: u64 = 1 << 30;
/// Largest verifying-key file read.
pub const MAX_VERIFYING_KEY_FILE: u64 = 1 << 20;

/// The circuit a Groth16 key is for. Text form: `attribute`, `sum:K` (K = 1..=64),
/// `membership:D` or `membership:D:nullifier` (D = 1..=32).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Shape {
    /// A predicate on one field of one attested record (record tree depth 8).
    Attribute,
    /// `Σ field ≥ t` over this many attested records.
    Sum(u8),
    /// Membership in a Poseidon Merkle tree.
    Membership {
        /// Tree depth.
        depth: u8,
        /// With a nullifier.
        nullifier: bool,
    },
}

impl Shape {
    /// Checks the shape's parameters (k in 1..=64, depth in 1..=32).
    pub fn check(&self) -> Result<(), SnarkError> {
        match *self {
            Shape::Attribute => Ok(()),
            Shape::Sum(k) if k >= 1 && usize::from(k) <= MAX_RECORDS => Ok(()),
            Shape::Membership { depth, .. } if depth >= 1 && usize::from(depth) <= MAX_DEPTH => {
                Ok(())
            }
            _ => Err(SnarkError::Synthesis),
        }
    }

    /// A single-party setup for this shape with OS randomness (see [`super::setup`]: whoever
    /// runs it is trusted).
    pub fn setup(&self) -> Result<ProvingKey, SnarkError> {
        self.setup_with_rng(&mut rand_core::OsRng)
    }

    /// [`Shape::setup`] with the caller's RNG.
    pub fn setup_with_rng<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<ProvingKey, SnarkError> {
        self.check()?;
        match *self {
            Shape::Attribute => super::setup_with_rng(AttributeCircuit::for_setup(), rng),
            Shape::Sum(k) => super::setup_with_rng(SumCircuit::for_setup(usize::from(k)), rng),
            Shape::Membership { depth, nullifier } => super::setup_with_rng(
                MembershipCircuit::for_setup(usize::from(depth), nullifier),
                rng,
            ),
        }
    }
}

impl core::fmt::Display for Shape {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Shape::Attribute => f.write_str("attribute"),
            Shape::Sum(k) => write!(f, "sum:{k}"),
            Shape::Membership {
                depth,
                nullifier: false,
            } => write!(f, "membership:{depth}"),
            Shape::Membership {
                depth,
                nullifier: true,
            } => write!(f, "membership:{depth}:nullifier"),
        }
    }
}

impl core::str::FromStr for Shape {
    type Err = crate::error::DecodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = crate::error::DecodeError::Invalid {
            what: "circuit shape (attribute, sum:K, membership:D[:nullifier])",
        };
        let num = |x: &str| x.parse::<u8>().map_err(|_| bad.clone());
        let shape = match s.split(':').collect::<Vec<_>>().as_slice() {
            ["attribute"] => Shape::Attribute,
            ["sum", k] => Shape::Sum(num(k)?),
            ["membership", d] => Shape::Membership {
                depth: num(d)?,
                nullifier: false,
            },
            ["membership", d, "nullifier"] => Shape::Membership {
                depth: num(d)?,
                nullifier: true,
            },
            _ => return Err(bad),
        };
        shape.check().map_err(|_| bad.clone())?;
        // only the canonical spelling (no leading zeros, no '+')
        if shape.to_string() != s {
            return Err(bad);
        }
        Ok(shape)
    }
}

#[derive(Clone, Debug)]
struct Entry {
    vk: VerifyingKey,
    pk: Option<ProvingKey>,
}

/// Groth16 keys by circuit shape (see the module docs). A prover needs proving keys, a
/// verifier only verifying keys; both must hold the same key for a shape.
#[derive(Clone, Debug, Default)]
pub struct KeyRing {
    entries: BTreeMap<Shape, Entry>,
}

/// Which half of the keys to load from a directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUse {
    /// Proving keys (which contain the verifying keys).
    Prove,
    /// Verifying keys only.
    Verify,
}

impl KeyRing {
    /// An empty key ring.
    pub fn new() -> Self {
        KeyRing::default()
    }

    /// Adds (or replaces) the key pair for `shape`.
    pub fn insert(&mut self, shape: Shape, pk: ProvingKey) {
        let vk = pk.verifying_key().clone();
        self.entries.insert(shape, Entry { vk, pk: Some(pk) });
    }

    /// Adds (or replaces) the verifying key for `shape` (a verifier's pinned key).
    pub fn insert_verifying(&mut self, shape: Shape, vk: VerifyingKey) {
        self.entries.insert(shape, Entry { vk, pk: None });
    }

    /// The proving key for `shape`.
    pub fn proving_key(&self, shape: &Shape) -> Option<&ProvingKey> {
        self.entries.get(shape).and_then(|e| e.pk.as_ref())
    }

    /// The verifying key for `shape`.
    pub fn verifying_key(&self, shape: &Shape) -> Option<&VerifyingKey> {
        self.entries.get(shape).map(|e| &e.vk)
    }

    /// The shapes held, with their key ids.
    pub fn keys(&self) -> Vec<(Shape, VerifyingKeyId)> {
        self.entries.iter().map(|(s, e)| (*s, e.vk.id())).collect()
    }

    /// Whether the ring is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Loads the keys of `shapes` from a key directory (see the module docs), checking that
    /// each file hashes to its id. [`KeyRingError::Missing`] names the first shape the
    /// manifest lacks.
    pub fn load_dir(dir: &Path, shapes: &[Shape], key_use: KeyUse) -> Result<Self, KeyRingError> {
        let manifest = read_manifest(dir)?;
        let mut ring = KeyRing::new();
        for shape in shapes {
            if ring.entries.contains_key(shape) {
                continue;
            }
            let id = manifest
                .get(shape)
                .ok_or_else(|| KeyRingError::Missing(shape.to_string()))?;
            let text = id.to_text();
            match key_use {
                KeyUse::Prove => {
                    let file = dir.join(format!("{text}.pk"));
                    let pk = ProvingKey::from_bytes(&read_capped(&file, MAX_PROVING_KEY_FILE)?)?;
                    if pk.id() != *id {
                        return Err(KeyRingError::Mismatch {
                            file: file.display().to_string(),
                            id: text,
                        });
                    }
                    ring.insert(*shape, pk);
                }
                KeyUse::Verify => {
                    let file = dir.join(format!("{text}.vk"));
                    let vk =
                        VerifyingKey::from_bytes(&read_capped(&file, MAX_VERIFYING_KEY_FILE)?)?;
                    if vk.id() != *id {
                        return Err(KeyRingError::Mismatch {
                            file: file.display().to_string(),
                            id: text,
                        });
                    }
                    ring.insert_verifying(*shape, vk);
                }
            }
        }
        Ok(ring)
    }

    /// Writes every key of the ring into `dir` (`<id>.pk` when held, `<id>.vk`, `<id>.vk.json`)
    /// and files them in the manifest, keeping the manifest's other entries.
    pub fn save_dir(&self, dir: &Path) -> Result<(), KeyRingError> {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, &e))?;
        for (shape, e) in &self.entries {
            let id = e.vk.id().to_text();
            if let Some(pk) = &e.pk {
                write_file(&dir.join(format!("{id}.pk")), &pk.to_bytes())?;
            }
            write_file(&dir.join(format!("{id}.vk")), &e.vk.to_bytes())?;
            write_file(
                &dir.join(format!("{id}.vk.json")),
                super::vk_to_snarkjs_json(&e.vk).as_bytes(),
            )?;
            add_to_manifest(dir, *shape, e.vk.id())?;
        }
        Ok(())
    }
}

fn io_err(path: &Path, e: &std::io::Error) -> KeyRingError {
    KeyRingError::Io {
        path: path.display().to_string(),
        reason: e.kind().to_string(),
    }
}

fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, KeyRingError> {
    let meta = std::fs::metadata(path).map_err(|e| io_err(path, &e))?;
    if meta.len() > max {
        return Err(KeyRingError::Decode(crate::error::DecodeError::TooLong {
            what: "key file",
            len: usize::try_from(meta.len()).unwrap_or(usize::MAX),
            max: usize::try_from(max).unwrap_or(usize::MAX),
        }));
    }
    std::fs::read(path).map_err(|e| io_err(path, &e))
}

fn write_file(path: &Path, data: &[u8]) -> Result<(), KeyRingError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, data).map_err(|e| io_err(&tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_err(path, &e))
}

/// Parses a manifest's text.
pub fn parse_manifest(text: &str) -> Result<BTreeMap<Shape, VerifyingKeyId>, KeyRingError> {
    if text.len() > MAX_MANIFEST_LEN {
        return Err(KeyRingError::Manifest("too long"));
    }
    let v: Json = serde_json::from_str(text).map_err(|_| KeyRingError::Manifest("not JSON"))?;
    if v.get("format").and_then(Json::as_str) != Some(MANIFEST_FORMAT) {
        return Err(KeyRingError::Manifest("unknown format"));
    }
    let keys = v
        .get("keys")
        .and_then(Json::as_object)
        .ok_or(KeyRingError::Manifest("no keys object"))?;
    let mut out = BTreeMap::new();
    for (shape, id) in keys {
        let shape: Shape = shape
            .parse()
            .map_err(|_| KeyRingError::Manifest("unknown circuit shape"))?;
        let id = id
            .as_str()
            .ok_or(KeyRingError::Manifest("key id is not a string"))
            .and_then(|s| {
                VerifyingKeyId::from_text(s).map_err(|_| KeyRingError::Manifest("bad key id"))
            })?;
        out.insert(shape, id);
    }
    Ok(out)
}

/// The manifest text for these entries.
pub fn manifest_text(entries: &BTreeMap<Shape, VerifyingKeyId>) -> String {
    let mut keys = Map::new();
    for (s, id) in entries {
        keys.insert(s.to_string(), Json::String(id.to_text()));
    }
    let v = json!({"format": MANIFEST_FORMAT, "keys": keys});
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// Reads `dir/keys.json` ([`KeyRingError::Io`] if the directory has none).
pub fn read_manifest(dir: &Path) -> Result<BTreeMap<Shape, VerifyingKeyId>, KeyRingError> {
    let path = dir.join(MANIFEST_FILE);
    let b = read_capped(&path, MAX_MANIFEST_LEN as u64)?;
    let text = core::str::from_utf8(&b).map_err(|_| KeyRingError::Manifest("not UTF-8"))?;
    parse_manifest(text)
}

/// Files key `id` under `shape` in `dir/keys.json` (creating it; other entries kept).
pub fn add_to_manifest(dir: &Path, shape: Shape, id: VerifyingKeyId) -> Result<(), KeyRingError> {
    let mut entries = if dir.join(MANIFEST_FILE).exists() {
        read_manifest(dir)?
    } else {
        BTreeMap::new()
    };
    entries.insert(shape, id);
    write_file(&dir.join(MANIFEST_FILE), manifest_text(&entries).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_text_round_trips_and_is_strict() {
        for s in [
            "attribute",
            "sum:4",
            "sum:64",
            "membership:20",
            "membership:1:nullifier",
        ] {
            assert_eq!(s.parse::<Shape>().unwrap().to_string(), s);
        }
        for s in [
            "sum:0",
            "sum:65",
            "sum:04",
            "membership:33",
            "membership:0",
            "sum",
            "x",
            "sum:4:x",
        ] {
            assert!(s.parse::<Shape>().is_err(), "{s}");
        }
    }

    #[test]
    fn manifest_round_trips_and_refuses_junk() {
        let mut m = BTreeMap::new();
        m.insert(Shape::Sum(4), VerifyingKeyId::from_bytes([7; 32]));
        m.insert(Shape::Attribute, VerifyingKeyId::from_bytes([9; 32]));
        assert_eq!(parse_manifest(&manifest_text(&m)).unwrap(), m);
        for bad in [
            "{}",
            r#"{"format":"causeway-groth16-keys/v1"}"#,
            r#"{"format":"other","keys":{}}"#,
            r#"{"format":"causeway-groth16-keys/v1","keys":{"sum:99":"x"}}"#,
            r#"{"format":"causeway-groth16-keys/v1","keys":{"sum:4":"groth16vk1aaaa"}}"#,
        ] {
            assert!(parse_manifest(bad).is_err(), "{bad}");
        }
    }
}
