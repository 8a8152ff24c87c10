//! Groth16 keys by circuit: what a prover or verifier holds for the statements it proves or
//! checks.
//!
//! Vocabulary (decision 0046): a **circuit** ([`Circuit`]: `attribute`, `sum:K`,
//! `membership:D[:nullifier]`) is what a Groth16 key is for and what `causeway setup --circuit`
//! names; a circuit's **shape** ([`super::CircuitShape`]) is its R1CS size and matrix hash,
//! pinned in tests. Each statement maps to one circuit, and each circuit to one key pair from a
//! setup. A [`KeyRing`] is that map in memory; it can be filled from bytes
//! ([`KeyRing::insert_proving_bytes`], [`KeyRing::insert_verifying_bytes`], no file system:
//! wasm) or from a key directory; on disk it is a directory of content-addressed key files
//! (`<groth16vk1…>.pk`, `.vk`, `.vk.json`, written by `causeway setup`) plus a manifest
//! `keys.json` naming the key of each shape:
//!
//! ```json
//! {"format": "causeway-groth16-keys/v1", "keys": {"sum:4": "groth16vk1…", "attribute": "groth16vk1…"},
//!  "provingKeyDigests": {"groth16vk1…": "groth16pk1…"}}
//! ```
//!
//! Loading checks that every key file hashes to the id it is filed under
//! ([`KeyRingError::Mismatch`] otherwise) and, for a proving key the manifest records a digest
//! of ([`ProvingKeyDigest`], the whole key: the id covers only the verifying key), that the
//! file has that digest ([`KeyRingError::WrongDigest`] otherwise; decision 0062). Those digests
//! are advisory: the key is still checked point by point, unless the caller pins the digest
//! itself ([`KeyRing::load_dir_pinned`]) or vouches for the manifest
//! ([`KeyRing::load_dir_trusted_manifest`]); decision 0079, amended. Proving checks
//! every proof under the key's own verifying key whether or not a digest is pinned. A manifest that files a key under the wrong shape
//! cannot forge anything: every statement's public input is a hash under a domain tag naming
//! its shape, so a proof from another circuit never verifies; proving with it fails with
//! [`SnarkError::KeyMismatch`].
//!
//! Who ran the setup is who the keys trust: see `docs/decisions/0010-groth16-trusted-setup.md`
//! and `docs/groth16-ceremony.md`.

use super::{ProvingKey, ProvingKeyDigest, VerifyingKey, VerifyingKeyId};
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

/// The old name of [`Circuit`] (kept so that code written against it compiles).
pub type Shape = Circuit;

/// The circuit a Groth16 key is for (what `causeway setup --circuit` names). Text form: `attribute`, `sum:K` (K = 1..=64),
/// `membership:D` or `membership:D:nullifier` (D = 1..=32).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Circuit {
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

impl Circuit {
    /// Checks the shape's parameters (k in 1..=64, depth in 1..=32).
    pub fn check(&self) -> Result<(), SnarkError> {
        match *self {
            Circuit::Attribute => Ok(()),
            Circuit::Sum(k) if k >= 1 && usize::from(k) <= MAX_RECORDS => Ok(()),
            Circuit::Membership { depth, .. } if depth >= 1 && usize::from(depth) <= MAX_DEPTH => {
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

    /// [`Circuit::setup`] with the caller's RNG.
    pub fn setup_with_rng<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<ProvingKey, SnarkError> {
        self.check()?;
        match *self {
            Circuit::Attribute => super::setup_with_rng(AttributeCircuit::for_setup(), rng),
            Circuit::Sum(k) => super::setup_with_rng(SumCircuit::for_setup(usize::from(k)), rng),
            Circuit::Membership { depth, nullifier } => super::setup_with_rng(
                MembershipCircuit::for_setup(usize::from(depth), nullifier),
                rng,
            ),
        }
        .map(|pk| pk.for_circuit(*self))
    }

    /// This circuit's counts `(instance variables, witness variables, constraints)`, from a
    /// setup-mode synthesis of our own circuit code that builds no Poseidon rows
    /// (`CountOnly`), kept per process: what a one-shot proof under a key named for this
    /// circuit must match (decision 0130).
    pub(crate) fn counts(&self) -> Result<Counts, SnarkError> {
        let table = counts_table();
        if let Some(c) = table.lock().unwrap_or_else(|e| e.into_inner()).get(self) {
            return Ok(*c);
        }
        self.check()?;
        let counts = match *self {
            Circuit::Attribute => super::setup_counts(AttributeCircuit::for_setup()),
            Circuit::Sum(k) => super::setup_counts(SumCircuit::for_setup(usize::from(k))),
            Circuit::Membership { depth, nullifier } => {
                super::setup_counts(MembershipCircuit::for_setup(usize::from(depth), nullifier))
            }
        }?;
        table
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(*self, counts);
        Ok(counts)
    }

    /// Whether [`Circuit::counts`] is known in this process (no synthesis to wait for).
    #[cfg_attr(
        any(not(feature = "parallel"), target_arch = "wasm32"),
        allow(dead_code)
    )]
    pub(crate) fn counts_known(&self) -> bool {
        counts_table()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(self)
    }

    /// This circuit's constraint matrices, synthesised from our own circuit code in setup mode
    /// (what a key for it was made from): what a named key's one-shot proof is made again on
    /// when it fails its self-check, and kept if that proof passes (decisions 0082, amended,
    /// 0130, 0134).
    pub(crate) fn reference_matrices(
        &self,
    ) -> Result<ark_relations::r1cs::ConstraintMatrices<ark_bn254::Fr>, SnarkError> {
        self.check()?;
        match *self {
            Circuit::Attribute => super::setup_matrices(AttributeCircuit::for_setup()),
            Circuit::Sum(k) => super::setup_matrices(SumCircuit::for_setup(usize::from(k))),
            Circuit::Membership { depth, nullifier } => {
                super::setup_matrices(MembershipCircuit::for_setup(usize::from(depth), nullifier))
            }
        }
    }
}

/// [`Circuit::counts`] of the circuits met in this process.
fn counts_table() -> &'static std::sync::Mutex<BTreeMap<Circuit, Counts>> {
    static COUNTS: std::sync::OnceLock<std::sync::Mutex<BTreeMap<Circuit, Counts>>> =
        std::sync::OnceLock::new();
    COUNTS.get_or_init(|| std::sync::Mutex::new(BTreeMap::new()))
}

/// `(instance variables, witness variables, constraints)` of a circuit.
pub(crate) type Counts = (usize, usize, usize);

impl core::fmt::Display for Circuit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Circuit::Attribute => f.write_str("attribute"),
            Circuit::Sum(k) => write!(f, "sum:{k}"),
            Circuit::Membership {
                depth,
                nullifier: false,
            } => write!(f, "membership:{depth}"),
            Circuit::Membership {
                depth,
                nullifier: true,
            } => write!(f, "membership:{depth}:nullifier"),
        }
    }
}

impl core::str::FromStr for Circuit {
    type Err = crate::error::DecodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = crate::error::DecodeError::Invalid {
            what: "circuit shape (attribute, sum:K, membership:D[:nullifier])",
        };
        let num = |x: &str| x.parse::<u8>().map_err(|_| bad.clone());
        let shape = match s.split(':').collect::<Vec<_>>().as_slice() {
            ["attribute"] => Circuit::Attribute,
            ["sum", k] => Circuit::Sum(num(k)?),
            ["membership", d] => Circuit::Membership {
                depth: num(d)?,
                nullifier: false,
            },
            ["membership", d, "nullifier"] => Circuit::Membership {
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
    entries: BTreeMap<Circuit, Entry>,
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
    pub fn insert(&mut self, shape: Circuit, pk: ProvingKey) {
        // The held key is named for its circuit: its counts are checked against our code for
        // `shape`, and only our code's matrices can ever be kept in it.
        let pk = pk.for_circuit(shape);
        let vk = pk.verifying_key().clone();
        self.entries.insert(shape, Entry { vk, pk: Some(pk) });
    }

    /// Adds (or replaces) the verifying key for `shape` (a verifier's pinned key). A proving
    /// key already held for `shape` is kept when it belongs to this verifying key (same id),
    /// and dropped otherwise.
    pub fn insert_verifying(&mut self, shape: Circuit, vk: VerifyingKey) {
        let pk = self
            .entries
            .remove(&shape)
            .and_then(|e| e.pk)
            .filter(|pk| pk.id() == vk.id());
        self.entries.insert(shape, Entry { vk, pk });
    }

    /// Adds (or replaces) the key pair for `circuit` from a proving key's bytes
    /// ([`ProvingKey::to_bytes`], the `<id>.pk` file), without a file system (wasm): the key
    /// must hash to `expected` ([`KeyRingError::WrongKeyId`] otherwise, and the ring is left
    /// unchanged), and at most [`MAX_PROVING_KEY_FILE`] bytes.
    ///
    /// ```
    /// use causeway::snark::{Circuit, KeyRing};
    /// let circuit = Circuit::Membership { depth: 1, nullifier: false };
    /// let pk = circuit.setup()?;
    /// let (id, bytes) = (pk.id(), pk.to_bytes()); // e.g. fetched, with the id pinned by the verifier
    /// let mut ring = KeyRing::new();
    /// ring.insert_proving_bytes(circuit, id, &bytes)?;
    /// ring.insert_verifying_bytes(circuit, id, &pk.verifying_key().to_bytes())?;
    /// assert_eq!(ring.keys(), vec![(circuit, id)]);
    /// assert!(ring.proving_key(&circuit).is_some()); // the matching proving key is kept
    /// // a key from another setup is refused under the pinned id
    /// let other = circuit.setup()?;
    /// assert!(ring.insert_proving_bytes(circuit, id, &other.to_bytes()).is_err());
    /// # Ok::<(), causeway::Error>(())
    /// ```
    pub fn insert_proving_bytes(
        &mut self,
        circuit: Circuit,
        expected: VerifyingKeyId,
        bytes: &[u8],
    ) -> Result<(), KeyRingError> {
        check_circuit_and_len(&circuit, bytes.len(), MAX_PROVING_KEY_FILE)?;
        let pk = ProvingKey::from_bytes(bytes)?;
        check_id(&circuit, expected, pk.id())?;
        self.insert(circuit, pk);
        Ok(())
    }

    /// [`KeyRing::insert_proving_bytes`] that also pins the whole proving key: the bytes must
    /// have the digest `digest` ([`ProvingKey::digest`], printed by `setup` as `groth16pk1…`),
    /// checked before decoding ([`KeyRingError::WrongDigest`] otherwise, and the ring is left
    /// unchanged). The key id alone covers only the verifying key, so a key with altered query
    /// vectors passes [`KeyRing::insert_proving_bytes`] (its proofs are then refused by the
    /// self-check in [`super::prove`]); with the digest it is refused when loaded.
    ///
    /// ```
    /// use causeway::snark::{Circuit, KeyRing};
    /// let circuit = Circuit::Membership { depth: 1, nullifier: false };
    /// let pk = circuit.setup()?;
    /// let (id, digest, bytes) = (pk.id(), pk.digest(), pk.to_bytes());
    /// let mut ring = KeyRing::new();
    /// ring.insert_proving_bytes_pinned(circuit, id, digest, &bytes)?;
    /// let mut changed = bytes.clone();
    /// if let Some(b) = changed.last_mut() { *b ^= 1; }
    /// assert!(ring.insert_proving_bytes_pinned(circuit, id, digest, &changed).is_err());
    /// # Ok::<(), causeway::Error>(())
    /// ```
    pub fn insert_proving_bytes_pinned(
        &mut self,
        circuit: Circuit,
        expected: VerifyingKeyId,
        digest: ProvingKeyDigest,
        bytes: &[u8],
    ) -> Result<(), KeyRingError> {
        check_circuit_and_len(&circuit, bytes.len(), MAX_PROVING_KEY_FILE)?;
        check_digest(&circuit, digest, ProvingKey::digest_of_bytes(bytes))?;
        // The digest covers every byte: the per-point checks are skipped (decision 0079).
        let pk = ProvingKey::from_bytes_digest_checked(bytes)?;
        check_id(&circuit, expected, pk.id())?;
        self.insert(circuit, pk);
        Ok(())
    }

    /// Adds (or replaces) the verifying key for `circuit` from its bytes
    /// ([`VerifyingKey::to_bytes`], the `<id>.vk` file), checked against the `expected` id as
    /// in [`KeyRing::insert_proving_bytes`]; at most [`MAX_VERIFYING_KEY_FILE`] bytes.
    pub fn insert_verifying_bytes(
        &mut self,
        circuit: Circuit,
        expected: VerifyingKeyId,
        bytes: &[u8],
    ) -> Result<(), KeyRingError> {
        check_circuit_and_len(&circuit, bytes.len(), MAX_VERIFYING_KEY_FILE)?;
        let vk = VerifyingKey::from_bytes(bytes)?;
        check_id(&circuit, expected, vk.id())?;
        self.insert_verifying(circuit, vk);
        Ok(())
    }

    /// The proving key for `shape`.
    pub fn proving_key(&self, shape: &Circuit) -> Option<&ProvingKey> {
        self.entries.get(shape).and_then(|e| e.pk.as_ref())
    }

    /// The verifying key for `shape`.
    pub fn verifying_key(&self, shape: &Circuit) -> Option<&VerifyingKey> {
        self.entries.get(shape).map(|e| &e.vk)
    }

    /// The shapes held, with their key ids.
    pub fn keys(&self) -> Vec<(Circuit, VerifyingKeyId)> {
        self.entries.iter().map(|(s, e)| (*s, e.vk.id())).collect()
    }

    /// Whether the ring is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Loads the keys of `shapes` from a key directory (see the module docs), checking that
    /// each file hashes to its id, and each proving key file to the digest the manifest
    /// records for it, if any ([`KeyRingError::WrongDigest`]). [`KeyRingError::Missing`] names
    /// the first shape the manifest lacks.
    ///
    /// The manifest lies next to the keys, so it vouches for nothing: its digests are advisory
    /// (a mismatch is refused) and every proving key is decoded with the full per-point curve
    /// and subgroup checks (decision 0079, amended). To skip those checks, pin the digests
    /// from a place you trust ([`KeyRing::load_dir_pinned`]) or say that you trust the
    /// manifest ([`KeyRing::load_dir_trusted_manifest`]).
    pub fn load_dir(dir: &Path, shapes: &[Circuit], key_use: KeyUse) -> Result<Self, KeyRingError> {
        Self::load_dir_inner(dir, shapes, key_use, Trust::Advisory)
    }

    /// [`KeyRing::load_dir`] from a directory whose manifest the caller vouches for (it wrote
    /// it, or got it by a channel it trusts as much as the key ids): a proving key whose digest
    /// the manifest records is decoded without the per-point curve and subgroup checks (the
    /// digest covers every byte; decision 0079); one without a recorded digest is checked in
    /// full. Never use this for a directory fetched or shared with others: a manifest that came
    /// with the keys can pin a malformed key's digest.
    pub fn load_dir_trusted_manifest(
        dir: &Path,
        shapes: &[Circuit],
        key_use: KeyUse,
    ) -> Result<Self, KeyRingError> {
        Self::load_dir_inner(dir, shapes, key_use, Trust::Manifest)
    }

    /// [`KeyRing::load_dir`] for proving with digests the caller pins **per circuit** (from a
    /// source it trusts more than the directory, e.g. the setup's output kept elsewhere):
    /// `pinned` lists `(circuit, digest)` pairs (a circuit may appear more than once, e.g. with
    /// the digests of both key formats), and every proving key loaded must have one of the
    /// digests pinned for **its** circuit, whatever the manifest says
    /// ([`KeyRingError::WrongDigest`] otherwise, before the key is decoded). A key pinned for
    /// one circuit but filed under another in `keys.json` is refused at load (the error says
    /// which circuit the digest was pinned for), never decoded unchecked. Pins for circuits not
    /// loaded are ignored. With [`KeyUse::Verify`] no proving key is read and the pins are not
    /// used.
    pub fn load_dir_pinned(
        dir: &Path,
        shapes: &[Circuit],
        key_use: KeyUse,
        pinned: &[(Circuit, ProvingKeyDigest)],
    ) -> Result<Self, KeyRingError> {
        Self::load_dir_inner(dir, shapes, key_use, Trust::Pins(pinned))
    }

    fn load_dir_inner(
        dir: &Path,
        shapes: &[Circuit],
        key_use: KeyUse,
        trust: Trust<'_>,
    ) -> Result<Self, KeyRingError> {
        let pinned = match trust {
            Trust::Pins(p) => Some(p),
            Trust::Advisory | Trust::Manifest => None,
        };
        let (manifest, digests) = read_manifest_with_digests(dir)?;
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
                    let bytes = read_capped(&file, MAX_PROVING_KEY_FILE)?;
                    // Only a pin from the caller (its own, or a manifest it vouches for) lets
                    // the decoder skip the point checks; the digest covers every byte
                    // (decision 0079, amended).
                    let vouched = match trust {
                        Trust::Pins(_) => true,
                        Trust::Manifest => digests.contains_key(id),
                        Trust::Advisory => false,
                    };
                    // The digest and the decoding read the same bytes side by side. A key
                    // whose digest is not the pinned one is refused below and its decoding
                    // dropped unused (decoding does no curve arithmetic on unchecked points).
                    let (found, pk) = super::qap::join(
                        || ProvingKey::digest_of_bytes(&bytes),
                        || {
                            if vouched {
                                ProvingKey::from_bytes_digest_checked(&bytes)
                            } else {
                                ProvingKey::from_bytes(&bytes)
                            }
                        },
                    );
                    if let Some(d) = digests.get(id) {
                        check_digest(shape, *d, found)?;
                    }
                    if let Some(pins) = pinned {
                        if !pins.contains(&(*shape, found)) {
                            return Err(KeyRingError::WrongDigest {
                                circuit: shape.to_string(),
                                expected: pinned_text(shape, pins, found),
                                found: found.to_text(),
                            });
                        }
                    }
                    let pk = pk?;
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
    /// and files them in the manifest, with each written proving key's digest, keeping the
    /// manifest's other entries.
    ///
    /// A digest is filed only for a key whose every point was checked
    /// ([`ProvingKey::points_checked`]: made by setup in this process, or decoded with full
    /// checks). A key loaded under a pinned digest is checked here first
    /// ([`ProvingKey::check_points`]), so a pin that vouched for a malformed key is not passed
    /// on: such a ring is refused (the decoder's error) before anything is written.
    pub fn save_dir(&self, dir: &Path) -> Result<(), KeyRingError> {
        for pk in self.entries.values().filter_map(|e| e.pk.as_ref()) {
            pk.check_points()?;
        }
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, &e))?;
        for (shape, e) in &self.entries {
            let id = e.vk.id().to_text();
            let mut digest = None;
            if let Some(pk) = &e.pk {
                let bytes = pk.to_bytes();
                // check_points above: every held key is checked, so its digest may be filed.
                digest = pk
                    .points_checked()
                    .then(|| ProvingKey::digest_of_bytes(&bytes));
                write_file(&dir.join(format!("{id}.pk")), &bytes)?;
            }
            write_file(&dir.join(format!("{id}.vk")), &e.vk.to_bytes())?;
            write_file(
                &dir.join(format!("{id}.vk.json")),
                super::vk_to_snarkjs_json(&e.vk).as_bytes(),
            )?;
            add_to_manifest_with_digest(dir, *shape, e.vk.id(), digest)?;
        }
        Ok(())
    }
}

/// Parses a pin's text: `CIRCUIT=DIGEST` (`sum:4=groth16pk1…`) or a bare `DIGEST`, which
/// names no circuit (the caller decides which circuit it pins, e.g. the only one it loads).
/// At most 256 bytes.
pub fn parse_pin(
    text: &str,
) -> Result<(Option<Circuit>, ProvingKeyDigest), crate::error::DecodeError> {
    if text.len() > 256 {
        return Err(crate::error::DecodeError::TooLong {
            what: "proving-key pin",
            len: text.len(),
            max: 256,
        });
    }
    match text.split_once('=') {
        Some((c, d)) => Ok((
            Some(c.trim().parse()?),
            ProvingKeyDigest::from_text(d.trim())?,
        )),
        None => Ok((None, ProvingKeyDigest::from_text(text.trim())?)),
    }
}

/// Where the digests that let a proving key skip its point checks come from.
#[derive(Clone, Copy)]
enum Trust<'a> {
    /// None: the manifest's digests are only compared (a mismatch is refused).
    Advisory,
    /// The caller's pins by circuit: every proving key must have one pinned for its circuit.
    Pins(&'a [(Circuit, ProvingKeyDigest)]),
    /// The manifest, which the caller vouches for.
    Manifest,
}

fn check_circuit_and_len(circuit: &Circuit, len: usize, max: u64) -> Result<(), KeyRingError> {
    circuit.check().map_err(|_| {
        KeyRingError::Decode(crate::error::DecodeError::Invalid {
            what: "circuit (attribute, sum:K, membership:D[:nullifier])",
        })
    })?;
    if len as u64 > max {
        return Err(KeyRingError::Decode(crate::error::DecodeError::TooLong {
            what: "key bytes",
            len,
            max: usize::try_from(max).unwrap_or(usize::MAX),
        }));
    }
    Ok(())
}

fn check_id(
    circuit: &Circuit,
    expected: VerifyingKeyId,
    found: VerifyingKeyId,
) -> Result<(), KeyRingError> {
    if expected != found {
        return Err(KeyRingError::WrongKeyId {
            circuit: circuit.to_string(),
            expected: expected.to_text(),
            found: found.to_text(),
        });
    }
    Ok(())
}

/// What was pinned for `circuit`, for [`KeyRingError::WrongDigest`]; says so when `found` is
/// pinned for another circuit (the manifest files that key under the wrong circuit).
fn pinned_text(
    circuit: &Circuit,
    pins: &[(Circuit, ProvingKeyDigest)],
    found: ProvingKeyDigest,
) -> String {
    let mine: Vec<String> = pins
        .iter()
        .filter(|(c, _)| c == circuit)
        .map(|(_, d)| d.to_text())
        .collect();
    let mut text = match mine.as_slice() {
        [] => format!("digest for {circuit} (none was pinned for it)"),
        [one] => one.clone(),
        many => format!("one of {}", many.join(", ")),
    };
    let elsewhere: Vec<String> = pins
        .iter()
        .filter(|(c, d)| c != circuit && *d == found)
        .map(|(c, _)| c.to_string())
        .collect();
    if !elsewhere.is_empty() {
        text.push_str(&format!(
            "; that digest is pinned for {}: the manifest files that key under the wrong circuit",
            elsewhere.join(", ")
        ));
    }
    text
}

fn check_digest(
    circuit: &Circuit,
    expected: ProvingKeyDigest,
    found: ProvingKeyDigest,
) -> Result<(), KeyRingError> {
    if expected != found {
        return Err(KeyRingError::WrongDigest {
            circuit: circuit.to_string(),
            expected: expected.to_text(),
            found: found.to_text(),
        });
    }
    Ok(())
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

/// The manifest member that records proving-key digests by key id (optional; decision 0062).
pub const MANIFEST_DIGESTS: &str = "provingKeyDigests";

/// Parses a manifest's text.
pub fn parse_manifest(text: &str) -> Result<BTreeMap<Circuit, VerifyingKeyId>, KeyRingError> {
    parse_manifest_with_digests(text).map(|(keys, _)| keys)
}

/// Proving-key digests recorded in a manifest, by key id.
pub type ManifestDigests = BTreeMap<VerifyingKeyId, ProvingKeyDigest>;

/// Parses a manifest's text with the proving-key digests it records ([`MANIFEST_DIGESTS`];
/// empty for a manifest written before them).
pub fn parse_manifest_with_digests(
    text: &str,
) -> Result<(BTreeMap<Circuit, VerifyingKeyId>, ManifestDigests), KeyRingError> {
    let keys = parse_manifest_keys(text)?;
    // parse_manifest_keys checked the length and that it is JSON
    let v: Json = serde_json::from_str(text).map_err(|_| KeyRingError::Manifest("not JSON"))?;
    let mut digests = BTreeMap::new();
    if let Some(d) = v.get(MANIFEST_DIGESTS) {
        let d = d.as_object().ok_or(KeyRingError::Manifest(
            "proving key digests are not an object",
        ))?;
        for (id, digest) in d {
            let id =
                VerifyingKeyId::from_text(id).map_err(|_| KeyRingError::Manifest("bad key id"))?;
            let digest = digest
                .as_str()
                .ok_or(KeyRingError::Manifest("proving key digest is not a string"))
                .and_then(|s| {
                    ProvingKeyDigest::from_text(s)
                        .map_err(|_| KeyRingError::Manifest("bad proving key digest"))
                })?;
            digests.insert(id, digest);
        }
    }
    Ok((keys, digests))
}

fn parse_manifest_keys(text: &str) -> Result<BTreeMap<Circuit, VerifyingKeyId>, KeyRingError> {
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
        let shape: Circuit = shape
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
pub fn manifest_text(entries: &BTreeMap<Circuit, VerifyingKeyId>) -> String {
    manifest_text_with_digests(entries, &BTreeMap::new())
}

/// The manifest text for these entries and proving-key digests (the digests member is
/// written only when there is one).
pub fn manifest_text_with_digests(
    entries: &BTreeMap<Circuit, VerifyingKeyId>,
    digests: &ManifestDigests,
) -> String {
    let mut keys = Map::new();
    for (s, id) in entries {
        keys.insert(s.to_string(), Json::String(id.to_text()));
    }
    let mut v = json!({"format": MANIFEST_FORMAT, "keys": keys});
    if !digests.is_empty() {
        let mut d = Map::new();
        for (id, digest) in digests {
            d.insert(id.to_text(), Json::String(digest.to_text()));
        }
        if let Some(o) = v.as_object_mut() {
            o.insert(MANIFEST_DIGESTS.to_owned(), Json::Object(d));
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// Reads `dir/keys.json` ([`KeyRingError::Io`] if the directory has none).
pub fn read_manifest(dir: &Path) -> Result<BTreeMap<Circuit, VerifyingKeyId>, KeyRingError> {
    read_manifest_with_digests(dir).map(|(keys, _)| keys)
}

/// Reads `dir/keys.json` with the proving-key digests it records.
pub fn read_manifest_with_digests(
    dir: &Path,
) -> Result<(BTreeMap<Circuit, VerifyingKeyId>, ManifestDigests), KeyRingError> {
    let path = dir.join(MANIFEST_FILE);
    let b = read_capped(&path, MAX_MANIFEST_LEN as u64)?;
    let text = core::str::from_utf8(&b).map_err(|_| KeyRingError::Manifest("not UTF-8"))?;
    parse_manifest_with_digests(text)
}

/// Files key `id` under `shape` in `dir/keys.json` (creating it; other entries kept).
pub fn add_to_manifest(dir: &Path, shape: Circuit, id: VerifyingKeyId) -> Result<(), KeyRingError> {
    add_to_manifest_with_digest(dir, shape, id, None)
}

/// [`add_to_manifest`] that also records the proving key's digest (when given) under its key
/// id; other entries and digests are kept.
pub fn add_to_manifest_with_digest(
    dir: &Path,
    shape: Circuit,
    id: VerifyingKeyId,
    digest: Option<ProvingKeyDigest>,
) -> Result<(), KeyRingError> {
    let (mut entries, mut digests) = if dir.join(MANIFEST_FILE).exists() {
        read_manifest_with_digests(dir)?
    } else {
        (BTreeMap::new(), BTreeMap::new())
    };
    entries.insert(shape, id);
    if let Some(d) = digest {
        digests.insert(id, d);
    }
    write_file(
        &dir.join(MANIFEST_FILE),
        manifest_text_with_digests(&entries, &digests).as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn shape_text_round_trips_and_is_strict() {
        for s in [
            "attribute",
            "sum:4",
            "sum:64",
            "membership:20",
            "membership:1:nullifier",
        ] {
            assert_eq!(s.parse::<Circuit>().unwrap().to_string(), s);
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
            assert!(s.parse::<Circuit>().is_err(), "{s}");
        }
    }

    #[test]
    fn manifest_round_trips_and_refuses_junk() {
        let mut m = BTreeMap::new();
        m.insert(Circuit::Sum(4), VerifyingKeyId::from_bytes([7; 32]));
        m.insert(Circuit::Attribute, VerifyingKeyId::from_bytes([9; 32]));
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

    #[test]
    fn key_ring_from_bytes_checks_the_key_id() {
        #![allow(clippy::unwrap_used)]
        let mut rng = crate::testing::TestRng::new(11);
        let c = Circuit::Membership {
            depth: 1,
            nullifier: false,
        };
        let pk = c.setup_with_rng(&mut rng).unwrap();
        let other = c.setup_with_rng(&mut rng).unwrap();
        let (id, bytes) = (pk.id(), pk.to_bytes());
        let vk_bytes = pk.verifying_key().to_bytes();
        let mut ring = KeyRing::new();
        // a key from another setup under the pinned id: refused, the ring untouched
        for e in [
            ring.insert_proving_bytes(c, id, &other.to_bytes()),
            ring.insert_verifying_bytes(c, id, &other.verifying_key().to_bytes()),
        ] {
            assert!(matches!(e, Err(KeyRingError::WrongKeyId { .. })), "{e:?}");
        }
        assert!(ring.is_empty());
        // a changed byte: malformed or another id, never accepted
        let mut bad = vk_bytes.clone();
        if let Some(b) = bad.last_mut() {
            *b ^= 1;
        }
        assert!(ring.insert_verifying_bytes(c, id, &bad).is_err());
        // a proving key where a verifying key is expected, truncation, an invalid circuit
        assert!(ring.insert_verifying_bytes(c, id, &bytes).is_err());
        assert!(ring
            .insert_proving_bytes(c, id, &bytes[..bytes.len() / 2])
            .is_err());
        assert!(ring
            .insert_proving_bytes(Circuit::Sum(0), id, &bytes)
            .is_err());
        assert!(ring.is_empty());
        // the right bytes: held, and the verifier's half alone as well
        ring.insert_verifying_bytes(c, id, &vk_bytes).unwrap();
        assert!(ring.proving_key(&c).is_none());
        ring.insert_proving_bytes(c, id, &bytes).unwrap();
        assert_eq!(ring.proving_key(&c).unwrap().id(), id);
        assert_eq!(ring.keys(), vec![(c, id)]);
        // the matching verifying key again keeps the proving key; another setup's drops it
        ring.insert_verifying_bytes(c, id, &vk_bytes).unwrap();
        assert_eq!(ring.proving_key(&c).unwrap().id(), id);
        ring.insert_verifying(c, other.verifying_key().clone());
        assert!(ring.proving_key(&c).is_none());
        assert_eq!(ring.keys(), vec![(c, other.id())]);
        let e = Error::from(KeyRingError::WrongKeyId {
            circuit: c.to_string(),
            expected: id.to_text(),
            found: other.id().to_text(),
        });
        assert_eq!(e.code(), "keyring.wrong_key_id");
    }
}
