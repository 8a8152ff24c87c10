//! Groth16 over BN254: keys identified by the hash of their verifying key, 128-byte proofs that
//! carry that key id, and a strict verifier.
//!
//! ```text
//! setup(circuit)            -> ProvingKey (contains the VerifyingKey)     single-party: trusts its operator
//! prove(&pk, circuit)       -> Proof { key id, A, B, C }                  128 bytes of points
//! verify(&vk, inputs, &pf)  -> Result<(), SnarkVerifyError>
//! ```
//!
//! What the verifier checks, in order: the proof was made for this verifying key (its key id), the
//! number of public inputs is exactly `gamma_abc_g1.len() - 1`, then the pairing equation (with a
//! prepared verifying key). Public inputs that arrive as bytes or decimal text are refused when
//! they are `≥ r` ([`input_from_be_bytes`], [`input_from_decimal`]): they are never reduced, so
//! `x` and `x + r` cannot both be accepted.
//!
//! Encodings are canonical: arkworks' compressed points (G1 32 bytes, G2 64 bytes, little-endian
//! `x` with the sign and infinity flags in the top bits), decoded with on-curve and subgroup
//! checks and re-encoded to refuse any second encoding of the same point. The point at infinity is
//! refused in proofs and verifying keys (no honest proof or key contains it); it is allowed only
//! inside the proving key's query vectors, where a variable that never appears in a matrix yields
//! it. See `docs/spec/groth16.md`.
//!
//! Groth16 proofs are malleable (anyone can re-randomise a valid proof into another valid proof
//! of the same statement, see [`rerandomize_with_rng`]): proof bytes are never an identity or a
//! de-duplication key. Use a nullifier (a public input) for that.

pub mod attested;
pub mod batch;
pub mod export;
mod json;
pub mod keyring;
pub mod membership;
pub mod msm;
mod pkformat;
mod prover;
mod qap;
pub mod solidity;
pub mod statements;

pub use batch::{BatchFailure, MAX_BATCH_PROOFS};
pub use export::Groth16Export;
pub use keyring::{Circuit, KeyRing, KeyUse, Shape};
pub use pkformat::{
    g2_in_subgroup_assuming_on_curve, ProvingKeyFormat, G1_UNCOMPRESSED_BYTES,
    G2_UNCOMPRESSED_BYTES,
};
pub use prover::{
    PrecomputedTables, QueryTable, AUTO_TABLES_AFTER_PROOFS, AUTO_TABLES_KEY_MULTIPLE,
    DEFAULT_TABLE_BUDGET,
};

pub use json::{
    proof_from_snarkjs_json, proof_to_snarkjs_json, public_from_snarkjs_json,
    public_to_snarkjs_json, vk_from_snarkjs_json, vk_to_snarkjs_json,
};

use crate::encoding::{self, Reader, Tag};
use crate::error::{DecodeError, SnarkError, SnarkVerifyError};
use ark_bn254::{Bn254, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::Groth16;
use ark_relations::r1cs::{
    ConstraintMatrices, ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef,
    OptimizationGoal, SynthesisError, SynthesisMode,
};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use rand_core::{CryptoRng, OsRng, RngCore};
use sha2::{Digest, Sha256};

/// The scalar field of BN254 (the circuits' field); its modulus is `r`.
pub use ark_bn254::Fr;

/// The most public inputs a verifying key may have.
pub const MAX_PUBLIC_INPUTS: usize = 1024;
/// The most points in any one query vector of a proving key (2^24: a 16 M-constraint circuit).
pub const MAX_PROVING_KEY_POINTS: usize = 1 << 24;
/// Bytes of a compressed proof (A: G1, B: G2, C: G1).
pub const PROOF_POINT_BYTES: usize = 128;
/// Bytes of a proof's canonical wire form: header, key id, points.
pub const PROOF_BYTES: usize = 4 + 32 + PROOF_POINT_BYTES;
/// Text prefix of a verifying key id.
pub const KEY_ID_PREFIX: &str = "groth16vk1";
/// Text prefix of a proving key digest ([`ProvingKeyDigest`]).
pub const PK_DIGEST_PREFIX: &str = "groth16pk1";

const VERSION: u8 = 1;
/// The proving-key format version the encoder writes ([`ProvingKeyFormat::V2`]).
const PK_VERSION: u8 = 2;
const G1_BYTES: usize = 32;
const G2_BYTES: usize = 64;
const KEY_ID_DOMAIN: &[u8] = b"causeway/groth16-vk-id/v1";
const PK_DIGEST_DOMAIN: &[u8] = b"causeway/groth16-pk-digest/v1";

/// The digest of a whole proving key: SHA-256 over a domain label and the key's canonical bytes
/// ([`ProvingKey::to_bytes`]), printed as `groth16pk1…` (checksummed base32).
///
/// The key id ([`VerifyingKeyId`]) hashes only the verifying key, so it does not pin the
/// proving key's query vectors: a key with an altered `l_query` has the same id. Pin the digest
/// (printed by `setup`, filed in the key directory's manifest) to pin the whole key; proving
/// also checks every proof under the key's own verifying key before releasing it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProvingKeyDigest([u8; 32]);

impl ProvingKeyDigest {
    /// The digest's 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A digest from its bytes.
    pub fn from_bytes(b: [u8; 32]) -> Self {
        ProvingKeyDigest(b)
    }

    /// `groth16pk1…` text.
    pub fn to_text(&self) -> String {
        encoding::text::encode(PK_DIGEST_PREFIX, &self.0, false).to_string()
    }

    /// Parses `groth16pk1…` text (checksum verified).
    pub fn from_text(s: &str) -> Result<Self, DecodeError> {
        let b = encoding::text::decode(PK_DIGEST_PREFIX, s, 32)?;
        let mut out = [0u8; 32];
        out.copy_from_slice(&b);
        Ok(ProvingKeyDigest(out))
    }
}

impl core::fmt::Debug for ProvingKeyDigest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ProvingKeyDigest({})", self.to_text())
    }
}

impl core::fmt::Display for ProvingKeyDigest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// The id of a verifying key: SHA-256 over a domain label and the key's canonical bytes.
/// Printed as `groth16vk1…` (checksummed base32).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VerifyingKeyId([u8; 32]);

impl VerifyingKeyId {
    /// The id's 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// An id from its bytes (no check is possible: any 32 bytes name some key or none).
    pub fn from_bytes(b: [u8; 32]) -> Self {
        VerifyingKeyId(b)
    }

    /// `groth16vk1…` text.
    pub fn to_text(&self) -> String {
        encoding::text::encode(KEY_ID_PREFIX, &self.0, false).to_string()
    }

    /// Parses `groth16vk1…` text (checksum verified).
    pub fn from_text(s: &str) -> Result<Self, DecodeError> {
        let b = encoding::text::decode(KEY_ID_PREFIX, s, 32)?;
        let mut out = [0u8; 32];
        out.copy_from_slice(&b);
        Ok(VerifyingKeyId(out))
    }
}

impl core::fmt::Debug for VerifyingKeyId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "VerifyingKeyId({})", self.to_text())
    }
}

impl core::fmt::Display for VerifyingKeyId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// A Groth16 verifying key, prepared for verification, with its id.
#[derive(Clone)]
pub struct VerifyingKey {
    inner: ark_groth16::VerifyingKey<Bn254>,
    prepared: ark_groth16::PreparedVerifyingKey<Bn254>,
    id: VerifyingKeyId,
}

impl core::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("id", &self.id)
            .field("public_inputs", &self.public_inputs())
            .finish()
    }
}

impl PartialEq for VerifyingKey {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl Eq for VerifyingKey {}

fn has_identity_vk(vk: &ark_groth16::VerifyingKey<Bn254>) -> bool {
    vk.alpha_g1.is_zero()
        || vk.beta_g2.is_zero()
        || vk.gamma_g2.is_zero()
        || vk.delta_g2.is_zero()
        || vk.gamma_abc_g1.iter().any(|p| p.is_zero())
}

/// Refuses the relations between a verifying key's G2 points that let anyone forge a proof of
/// any statement, whatever the public inputs (`vk_x = IC_0 + Σ x_i IC_i`), from the key alone.
/// The check is `e(A, B) = e(α, β) · e(vk_x, γ) · e(C, δ)`:
///
/// - `δ = γ` (a snarkjs zkey before any phase-2 contribution has `γ = δ =` the G2 generator):
///   `A = α, B = β, C = −vk_x`; `δ = −γ`: the same with `C = vk_x`;
/// - `β = γ`: `A = α + vk_x, B = γ, C = 0` (the Solidity verifier and snarkjs accept a proof
///   point at infinity; ours does not, but the key is refused anyway); `β = −γ`: `A = vk_x − α`;
/// - `δ = ±` the G2 generator: a phase-2 setup nobody contributed to (its `δ` is public).
///
/// (`γ` or `δ` at infinity, which drop a term from the equation, are refused with the other
/// identity checks.) `γ = ` the G2 generator alone is what every snarkjs key has and is allowed.
/// Keys from an honest setup meet none of these relations except with negligible probability;
/// a key with some other known relation (say `δ = 2γ`) can only be excluded by checking the
/// ceremony transcript (`docs/groth16-ceremony.md`).
fn weak_vk_relation(vk: &ark_groth16::VerifyingKey<Bn254>) -> Option<&'static str> {
    let g2 = G2Affine::generator();
    let (beta, gamma, delta) = (vk.beta_g2, vk.gamma_g2, vk.delta_g2);
    if delta == gamma || delta == -gamma {
        return Some("delta equals plus or minus gamma");
    }
    if beta == gamma || beta == -gamma {
        return Some("beta equals plus or minus gamma");
    }
    if delta == g2 || delta == -g2 {
        return Some("delta is the G2 generator (no phase-2 contribution)");
    }
    None
}

impl VerifyingKey {
    /// Wraps an arkworks verifying key after checking it: no point at infinity, at least one
    /// `gamma_abc_g1` entry, at most [`MAX_PUBLIC_INPUTS`] inputs, every point on the curve and in
    /// the prime-order subgroup, and none of the relations between `β`, `γ` and `δ` that let
    /// anyone forge proofs ([`DecodeError::WeakVerifyingKey`]: `δ = ±γ`, `β = ±γ`, `δ = ±` the G2
    /// generator). Every way to obtain a [`VerifyingKey`] or [`ProvingKey`] (bytes, key
    /// directories, snarkjs JSON, setup) goes through this check.
    pub fn from_arkworks(vk: ark_groth16::VerifyingKey<Bn254>) -> Result<Self, DecodeError> {
        if vk.gamma_abc_g1.is_empty() {
            return Err(DecodeError::Invalid {
                what: "verifying key without inputs",
            });
        }
        if vk.gamma_abc_g1.len() > MAX_PUBLIC_INPUTS + 1 {
            return Err(DecodeError::TooLong {
                what: "public inputs",
                len: vk.gamma_abc_g1.len() - 1,
                max: MAX_PUBLIC_INPUTS,
            });
        }
        if has_identity_vk(&vk) {
            return Err(DecodeError::Invalid {
                what: "point at infinity in verifying key",
            });
        }
        let g1_ok = |p: &G1Affine| p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve();
        let g2_ok = |p: &G2Affine| p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve();
        if !(g1_ok(&vk.alpha_g1)
            && g2_ok(&vk.beta_g2)
            && g2_ok(&vk.gamma_g2)
            && g2_ok(&vk.delta_g2)
            && vk.gamma_abc_g1.iter().all(g1_ok))
        {
            return Err(DecodeError::Invalid {
                what: "verifying key point",
            });
        }
        if let Some(what) = weak_vk_relation(&vk) {
            return Err(DecodeError::WeakVerifyingKey { what });
        }
        let mut body = Vec::with_capacity(4 + 32 + 3 * 64 + 2 + 32 * vk.gamma_abc_g1.len());
        encoding::write_header(&mut body, VERSION, Tag::Groth16VerifyingKey);
        write_vk_body(&mut body, &vk);
        let mut h = Sha256::new();
        h.update(KEY_ID_DOMAIN);
        h.update(&body);
        let id = VerifyingKeyId(h.finalize().into());
        let prepared = ark_groth16::prepare_verifying_key(&vk);
        Ok(VerifyingKey {
            inner: vk,
            prepared,
            id,
        })
    }

    /// The key's id (hash of its canonical bytes).
    pub fn id(&self) -> VerifyingKeyId {
        self.id
    }

    /// How many public inputs a proof under this key takes.
    pub fn public_inputs(&self) -> usize {
        self.inner.gamma_abc_g1.len().saturating_sub(1)
    }

    /// The arkworks key (for Solidity verifier generation and interop).
    pub fn as_arkworks(&self) -> &ark_groth16::VerifyingKey<Bn254> {
        &self.inner
    }

    /// Canonical bytes: `"CW" | 1 | 0x40 | alpha G1 | beta G2 | gamma G2 | delta G2 | u16 n | n × G1`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 32 + 3 * 64 + 2 + 32 * self.inner.gamma_abc_g1.len());
        encoding::write_header(&mut out, VERSION, Tag::Groth16VerifyingKey);
        write_vk_body(&mut out, &self.inner);
        out
    }

    /// Strict decoding of [`VerifyingKey::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(b);
        encoding::read_header(&mut r, Tag::Groth16VerifyingKey, &[VERSION])?;
        let vk = read_vk_body(&mut r)?;
        r.finish()?;
        Self::from_arkworks(vk)
    }
}

fn write_vk_body(out: &mut Vec<u8>, vk: &ark_groth16::VerifyingKey<Bn254>) {
    put_g1(out, &vk.alpha_g1);
    put_g2(out, &vk.beta_g2);
    put_g2(out, &vk.gamma_g2);
    put_g2(out, &vk.delta_g2);
    let n = u16::try_from(vk.gamma_abc_g1.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&n.to_be_bytes());
    for p in vk.gamma_abc_g1.iter().take(usize::from(n)) {
        put_g1(out, p);
    }
}

fn read_vk_body(r: &mut Reader<'_>) -> Result<ark_groth16::VerifyingKey<Bn254>, DecodeError> {
    let alpha_g1 = read_g1(r, false)?;
    let beta_g2 = read_g2(r, false)?;
    let gamma_g2 = read_g2(r, false)?;
    let delta_g2 = read_g2(r, false)?;
    let n = usize::from(r.u16()?);
    if n == 0 {
        return Err(DecodeError::Invalid {
            what: "verifying key without inputs",
        });
    }
    if n > MAX_PUBLIC_INPUTS + 1 {
        return Err(DecodeError::TooLong {
            what: "public inputs",
            len: n - 1,
            max: MAX_PUBLIC_INPUTS,
        });
    }
    if r.remaining() < n * G1_BYTES {
        return Err(DecodeError::Truncated);
    }
    let mut gamma_abc_g1 = Vec::with_capacity(n);
    for _ in 0..n {
        gamma_abc_g1.push(read_g1(r, false)?);
    }
    Ok(ark_groth16::VerifyingKey {
        alpha_g1,
        beta_g2,
        gamma_g2,
        delta_g2,
        gamma_abc_g1,
    })
}

/// A Groth16 proving key (public, but large). It contains its verifying key.
#[derive(Clone)]
pub struct ProvingKey {
    inner: ark_groth16::ProvingKey<Bn254>,
    vk: VerifyingKey,
    /// Set once a proof made with this key failed its self-check: the key is tampered with or
    /// corrupt, and it proves nothing more (shared by clones). Without this, whether a proof
    /// comes out at all would tell, proof after proof, whether the witness values a tampered
    /// query touches are zero; with it, a tampered key answers at most once.
    poisoned: std::sync::Arc<core::sync::atomic::AtomicBool>,
    /// The key's constraint matrices when it holds them (shared by clones): a key from [`setup`]
    /// in this process, or one whose one-shot proof was made again on our own circuit's
    /// matrices; proofs then synthesise only the witness and evaluate these directly (decision
    /// 0082). Other keys prove one-shot every time (decisions 0130, 0132, 0134).
    matrices: MatrixCache,
    /// Set when every point of the key was checked: decoded with full checks, made by
    /// [`setup`] in this process, or checked by [`ProvingKey::check_points`] (shared by clones).
    /// A key decoded under a pinned digest, or wrapped from arkworks, starts unchecked; only a
    /// checked key's digest is filed by [`KeyRing::save_dir`] (decision 0079, amended).
    points_checked: std::sync::Arc<core::sync::atomic::AtomicBool>,
    /// The circuit this key is for, when known ([`KeyRing`] and [`Circuit::setup`] name it):
    /// an empty matrix cache is then filled from our own circuit code for it, never from the
    /// circuit a caller proves (post-merge review L3, decision 0082 amended).
    circuit: Option<Circuit>,
    /// Fixed-base tables over the query vectors (shared by clones), built by
    /// [`ProvingKey::precompute`] (decision 0098) or, on native builds, by the key itself after
    /// [`AUTO_TABLES_AFTER_PROOFS`] proofs (decision 0123).
    tables: prover::TableCache,
}

/// Constraint matrices of a proving key's circuit, filled once.
type MatrixCache = std::sync::Arc<std::sync::OnceLock<std::sync::Arc<ConstraintMatrices<Fr>>>>;

impl core::fmt::Debug for ProvingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ProvingKey")
            .field("id", &self.vk.id)
            .field("witnesses", &self.inner.l_query.len())
            .field("domain", &self.inner.h_query.len())
            .finish()
    }
}

impl ProvingKey {
    /// Wraps an arkworks proving key after checking its verifying key (see
    /// [`VerifyingKey::from_arkworks`]) and the consistency of its query vectors.
    pub fn from_arkworks(pk: ark_groth16::ProvingKey<Bn254>) -> Result<Self, DecodeError> {
        let vk = VerifyingKey::from_arkworks(pk.vk.clone())?;
        if pk.beta_g1.is_zero() || pk.delta_g1.is_zero() {
            return Err(DecodeError::Invalid {
                what: "point at infinity in proving key",
            });
        }
        let vars = pk.a_query.len();
        if pk.b_g1_query.len() != vars
            || pk.b_g2_query.len() != vars
            || vars != pk.vk.gamma_abc_g1.len().saturating_add(pk.l_query.len())
        {
            return Err(DecodeError::Invalid {
                what: "proving key shape",
            });
        }
        Ok(ProvingKey {
            inner: pk,
            vk,
            poisoned: Default::default(),
            matrices: Default::default(),
            points_checked: Default::default(),
            circuit: None,
            tables: Default::default(),
        })
    }

    /// Builds precomputed tables over the key's fixed bases (its query vectors) within
    /// `budget` bytes, in place of any it held (shared by clones), and says what was built.
    /// Later proofs take their MSMs from them: faster, the same proofs (the same bytes for the
    /// same randomness). A budget of 0 drops the tables; a budget too small for any table
    /// builds none. A build takes the time of several proofs and up to `budget` bytes
    /// ([`DEFAULT_TABLE_BUDGET`] is a suggestion; decision 0098 gives the memory per key size),
    /// worth it to a caller who proves many times. After this call the key builds no tables on
    /// its own (see [`ProvingKey::set_auto_tables`]).
    pub fn precompute(&self, budget: usize) -> PrecomputedTables {
        self.tables.precompute(&self.inner, budget)
    }

    /// Whether this key (and its clones) may build its tables on its own (decision 0123): on
    /// native builds a key does, by default, once it has made [`AUTO_TABLES_AFTER_PROOFS`] good
    /// proofs in this process, within [`AUTO_TABLES_KEY_MULTIPLE`] times the bytes of its own
    /// points (at most [`DEFAULT_TABLE_BUDGET`]); the proof that reaches the count returns after
    /// the build. `false` stops that (a caller short of memory); tables already built stay
    /// until `precompute(0)`. wasm32 builds never hold tables.
    pub fn set_auto_tables(&self, on: bool) {
        self.tables.set_auto(on);
    }

    /// The precomputed tables the key holds now (empty when none).
    pub fn precomputed(&self) -> PrecomputedTables {
        self.tables
            .current()
            .map(|t| t.report())
            .unwrap_or_default()
    }

    /// Names the circuit this key is for: a caller's circuit must then have that circuit's
    /// counts ([`SnarkError::KeyMismatch`] otherwise), and a proof that fails its self-check is
    /// made again on our own circuit code's matrices before the key is blamed (kept if that
    /// proof passes); no circuit a caller proves can fill the key's matrix cache (decisions
    /// 0082, amended, and 0130). [`KeyRing`] does this for every key it holds.
    pub fn for_circuit(mut self, circuit: Circuit) -> Self {
        self.circuit = Some(circuit);
        self
    }

    /// The circuit this key was named for ([`ProvingKey::for_circuit`]), if any.
    pub fn circuit(&self) -> Option<Circuit> {
        self.circuit
    }

    /// Whether every point of this key has been checked (on the curve, in the prime-order
    /// subgroup): true for a key decoded by [`ProvingKey::from_bytes`], made by [`setup`] in
    /// this process, or passed through [`ProvingKey::check_points`]; false for a key decoded
    /// under a pinned digest ([`ProvingKey::from_bytes_pinned`], which vouches for the points
    /// instead) or wrapped by [`ProvingKey::from_arkworks`].
    pub fn points_checked(&self) -> bool {
        self.points_checked
            .load(core::sync::atomic::Ordering::SeqCst)
    }

    /// Checks every point of the key as [`ProvingKey::from_bytes`] does (one full decode of its
    /// encoding), unless that was done already; on success the key (and its clones) counts as
    /// checked ([`ProvingKey::points_checked`]). A key loaded under a pin that vouched for a
    /// malformed key fails here with the decoder's error.
    pub fn check_points(&self) -> Result<(), DecodeError> {
        if self.points_checked() {
            return Ok(());
        }
        Self::decode(&self.to_bytes(), pkformat::Checks::Full)?;
        self.points_checked
            .store(true, core::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// The verifying key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.vk
    }

    /// The verifying key's id (it does not cover the query vectors: see [`ProvingKey::digest`]).
    pub fn id(&self) -> VerifyingKeyId {
        self.vk.id
    }

    /// The digest of the whole key ([`ProvingKeyDigest`]: SHA-256 over a domain label and
    /// [`ProvingKey::to_bytes`], the version 2 encoding). Two keys with one id and different
    /// query vectors have different digests.
    ///
    /// A digest is the digest of an encoding (decision 0079): the same key written as version 1
    /// ([`ProvingKey::to_bytes_in`]) has another digest, [`ProvingKey::digest_in`]. A digest
    /// pinned for a version 1 file keeps matching that file, which still loads.
    pub fn digest(&self) -> ProvingKeyDigest {
        Self::digest_of_bytes(&self.to_bytes())
    }

    /// The digest of this key's encoding in `format`.
    pub fn digest_in(&self, format: ProvingKeyFormat) -> ProvingKeyDigest {
        Self::digest_of_bytes(&self.to_bytes_in(format))
    }

    /// The digest of a proving key's canonical bytes (what [`ProvingKey::digest`] returns for
    /// the key they decode to), without decoding them.
    pub fn digest_of_bytes(bytes: &[u8]) -> ProvingKeyDigest {
        let mut h = Sha256::new();
        h.update(PK_DIGEST_DOMAIN);
        h.update(bytes);
        ProvingKeyDigest(h.finalize().into())
    }

    /// The arkworks key.
    pub fn as_arkworks(&self) -> &ark_groth16::ProvingKey<Bn254> {
        &self.inner
    }

    /// Canonical bytes, format version 2 ([`ProvingKeyFormat::V2`], `docs/spec/groth16.md`):
    /// `"CW" | 2 | 0x41 |` verifying key body `| beta G1 | delta G1 |` then five `u32`-counted
    /// point vectors `a (G1) | b (G1) | b (G2) | h (G1) | l (G1)`, the points after the
    /// verifying key uncompressed (they load without square roots).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_bytes_in(ProvingKeyFormat::V2)
    }

    /// The key's bytes in a given format version (version 1 for readers that predate
    /// version 2).
    pub fn to_bytes_in(&self, format: ProvingKeyFormat) -> Vec<u8> {
        match format {
            ProvingKeyFormat::V1 => self.to_bytes_v1(),
            ProvingKeyFormat::V2 => {
                let mut out = Vec::with_capacity(pkformat::v2_len(&self.inner));
                encoding::write_header(&mut out, PK_VERSION, Tag::Groth16ProvingKey);
                pkformat::write_v2_body(&mut out, &self.inner);
                out
            }
        }
    }

    /// Format version 1: `"CW" | 1 | 0x41 |` verifying key body `| beta G1 | delta G1 |` then
    /// five `u32`-counted vectors of compressed points.
    fn to_bytes_v1(&self) -> Vec<u8> {
        let pk = &self.inner;
        let cap = 4
            + 64 * 4
            + 2
            + 32 * pk.vk.gamma_abc_g1.len()
            + 32 * 2
            + 20
            + 32 * (pk.a_query.len() + pk.b_g1_query.len() + pk.h_query.len() + pk.l_query.len())
            + 64 * pk.b_g2_query.len();
        let mut out = Vec::with_capacity(cap);
        encoding::write_header(&mut out, VERSION, Tag::Groth16ProvingKey);
        write_vk_body(&mut out, &pk.vk);
        put_g1(&mut out, &pk.beta_g1);
        put_g1(&mut out, &pk.delta_g1);
        put_g1_vec(&mut out, &pk.a_query);
        put_g1_vec(&mut out, &pk.b_g1_query);
        let n = u32::try_from(pk.b_g2_query.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&n.to_be_bytes());
        for p in pk.b_g2_query.iter().take(n as usize) {
            put_g2(&mut out, p);
        }
        put_g1_vec(&mut out, &pk.h_query);
        put_g1_vec(&mut out, &pk.l_query);
        out
    }

    /// Strict decoding of a proving key in either format version (every point checked; the point
    /// at infinity is allowed only in the query vectors). For a key from anywhere: the
    /// verifying key as in [`VerifyingKey::from_bytes`], every query point on the curve and in
    /// the prime-order subgroup, the vectors' counts consistent, nothing after the key.
    pub fn from_bytes(b: &[u8]) -> Result<Self, DecodeError> {
        Self::decode(b, pkformat::Checks::Full)
    }

    /// Decodes a proving key whose bytes must have the digest `pinned` (checked first, over
    /// every byte: [`DecodeError::DigestMismatch`] otherwise). Because the digest covers every
    /// byte decoded and the encoding is canonical, the query points are exactly those of the key
    /// the digest was made from, which was checked then; so the per-point curve and subgroup
    /// checks of the query vectors are skipped (decision 0079). Everything else is checked as in
    /// [`ProvingKey::from_bytes`]: header, counts and lengths, coordinates below `p`, the
    /// verifying key in full, the key's shape.
    ///
    /// Pin only digests from a source you trust as much as the key's id (`setup`'s output, a
    /// manifest you wrote): a digest taken from the same untrusted place as the bytes pins
    /// nothing. Proofs are still self-checked ([`prove`]).
    pub fn from_bytes_pinned(b: &[u8], pinned: &ProvingKeyDigest) -> Result<Self, DecodeError> {
        if Self::digest_of_bytes(b) != *pinned {
            return Err(DecodeError::DigestMismatch);
        }
        Self::decode(b, pkformat::Checks::Pinned)
    }

    /// [`ProvingKey::from_bytes_pinned`] after the caller has compared the bytes' digest with
    /// a pin (the key ring, which reports a mismatch with its own error).
    pub(crate) fn from_bytes_digest_checked(b: &[u8]) -> Result<Self, DecodeError> {
        Self::decode(b, pkformat::Checks::Pinned)
    }

    fn decode(b: &[u8], checks: pkformat::Checks) -> Result<Self, DecodeError> {
        let pk = Self::decode_unmarked(b, checks)?;
        if checks == pkformat::Checks::Full {
            pk.points_checked
                .store(true, core::sync::atomic::Ordering::SeqCst);
        }
        Ok(pk)
    }

    fn decode_unmarked(b: &[u8], checks: pkformat::Checks) -> Result<Self, DecodeError> {
        let mut r = Reader::new(b);
        let version =
            encoding::read_header(&mut r, Tag::Groth16ProvingKey, &[VERSION, PK_VERSION])?;
        if version == PK_VERSION {
            return Self::from_arkworks(pkformat::read_v2_body(&mut r, checks)?);
        }
        let vk = read_vk_body(&mut r)?;
        let beta_g1 = read_g1(&mut r, false)?;
        let delta_g1 = read_g1(&mut r, false)?;
        let a_query = read_g1_vec(&mut r, checks)?;
        let b_g1_query = read_g1_vec(&mut r, checks)?;
        let n = r.u32()? as usize;
        check_count(&r, n, G2_BYTES)?;
        let raw = r.take(n * G2_BYTES)?;
        let b_g2_query = decode_points::<G2Affine>(raw, G2_BYTES, checks)?;
        let h_query = read_g1_vec(&mut r, checks)?;
        let l_query = read_g1_vec(&mut r, checks)?;
        r.finish()?;
        Self::from_arkworks(ark_groth16::ProvingKey {
            vk,
            beta_g1,
            delta_g1,
            a_query,
            b_g1_query,
            b_g2_query,
            h_query,
            l_query,
        })
    }
}

/// A Groth16 proof (A, B, C on BN254) with the id of the verifying key it was made for.
///
/// Deliberately without `Eq`/`Hash`: proofs are malleable, so their bytes must never serve as an
/// identity or a de-duplication key.
#[derive(Clone)]
pub struct Proof {
    key_id: VerifyingKeyId,
    inner: ark_groth16::Proof<Bn254>,
}

impl core::fmt::Debug for Proof {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Proof")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Proof {
    /// Wraps arkworks proof points for the key `key_id` (refuses points at infinity and points
    /// off the curve or outside the subgroup).
    pub fn from_arkworks(
        key_id: VerifyingKeyId,
        p: ark_groth16::Proof<Bn254>,
    ) -> Result<Self, DecodeError> {
        let g1_ok = |p: &G1Affine| {
            !p.is_zero() && p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()
        };
        let g2_ok = |p: &G2Affine| {
            !p.is_zero() && p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()
        };
        if !(g1_ok(&p.a) && g2_ok(&p.b) && g1_ok(&p.c)) {
            return Err(DecodeError::Invalid {
                what: "proof point",
            });
        }
        Ok(Proof { key_id, inner: p })
    }

    /// The id of the verifying key this proof is for.
    pub fn key_id(&self) -> VerifyingKeyId {
        self.key_id
    }

    /// The arkworks proof.
    pub fn as_arkworks(&self) -> &ark_groth16::Proof<Bn254> {
        &self.inner
    }

    /// The 128 bytes of compressed points `A (G1) | B (G2) | C (G1)`.
    pub fn points_bytes(&self) -> [u8; PROOF_POINT_BYTES] {
        let mut v = Vec::with_capacity(PROOF_POINT_BYTES);
        put_g1(&mut v, &self.inner.a);
        put_g2(&mut v, &self.inner.b);
        put_g1(&mut v, &self.inner.c);
        let mut out = [0u8; PROOF_POINT_BYTES];
        if v.len() == PROOF_POINT_BYTES {
            out.copy_from_slice(&v);
        }
        out
    }

    /// Decodes the 128 point bytes of a proof for the key `key_id`.
    pub fn from_points_bytes(key_id: VerifyingKeyId, b: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(b);
        let a = read_g1(&mut r, false)?;
        let bb = read_g2(&mut r, false)?;
        let c = read_g1(&mut r, false)?;
        r.finish()?;
        Ok(Proof {
            key_id,
            inner: ark_groth16::Proof { a, b: bb, c },
        })
    }

    /// Canonical bytes (164): `"CW" | 1 | 0x42 | key id (32) | A (32) | B (64) | C (32)`.
    pub fn to_bytes(&self) -> [u8; PROOF_BYTES] {
        let mut out = [0u8; PROOF_BYTES];
        let mut v = Vec::with_capacity(PROOF_BYTES);
        encoding::write_header(&mut v, VERSION, Tag::Groth16Proof);
        v.extend_from_slice(&self.key_id.0);
        v.extend_from_slice(&self.points_bytes());
        if v.len() == PROOF_BYTES {
            out.copy_from_slice(&v);
        }
        out
    }

    /// Strict decoding of [`Proof::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(b);
        encoding::read_header(&mut r, Tag::Groth16Proof, &[VERSION])?;
        let key_id = VerifyingKeyId(r.array()?);
        let pts = r.take(PROOF_POINT_BYTES)?;
        r.finish()?;
        Self::from_points_bytes(key_id, pts)
    }
}

// ---------------------------------------------------------------------------------------------
// Points

fn put_g1(out: &mut Vec<u8>, p: &G1Affine) {
    // Serialising a valid affine point into a Vec cannot fail.
    let _ = p.serialize_compressed(&mut *out);
}

fn put_g2(out: &mut Vec<u8>, p: &G2Affine) {
    let _ = p.serialize_compressed(&mut *out);
}

fn put_g1_vec(out: &mut Vec<u8>, v: &[G1Affine]) {
    let n = u32::try_from(v.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&n.to_be_bytes());
    for p in v.iter().take(n as usize) {
        put_g1(out, p);
    }
}

/// Decodes one compressed point: on the curve, in the subgroup, canonical (re-encodes to the
/// same bytes), and not the identity unless `allow_identity`.
fn decode_point<P>(b: &[u8], allow_identity: bool) -> Result<P, DecodeError>
where
    P: AffineRepr + CanonicalDeserialize + CanonicalSerialize,
{
    decode_point_with(b, allow_identity, pkformat::Checks::Full)
}

/// [`decode_point`]; with [`pkformat::Checks::Pinned`] the subgroup check is skipped (the point
/// is still on the curve: decompression solves the curve equation for `y`).
fn decode_point_with<P>(
    b: &[u8],
    allow_identity: bool,
    checks: pkformat::Checks,
) -> Result<P, DecodeError>
where
    P: AffineRepr + CanonicalDeserialize + CanonicalSerialize,
{
    let validate = match checks {
        pkformat::Checks::Full => Validate::Yes,
        pkformat::Checks::Pinned => Validate::No,
    };
    let p =
        P::deserialize_with_mode(b, Compress::Yes, validate).map_err(|_| DecodeError::Invalid {
            what: "curve point",
        })?;
    let mut again = Vec::with_capacity(b.len());
    p.serialize_compressed(&mut again)
        .map_err(|_| DecodeError::Invalid {
            what: "curve point",
        })?;
    if again != b {
        return Err(DecodeError::Invalid {
            what: "non-canonical curve point",
        });
    }
    if !allow_identity && p.is_zero() {
        return Err(DecodeError::Invalid {
            what: "point at infinity",
        });
    }
    Ok(p)
}

fn read_g1(r: &mut Reader<'_>, allow_identity: bool) -> Result<G1Affine, DecodeError> {
    decode_point(r.take(G1_BYTES)?, allow_identity)
}

fn read_g2(r: &mut Reader<'_>, allow_identity: bool) -> Result<G2Affine, DecodeError> {
    decode_point(r.take(G2_BYTES)?, allow_identity)
}

fn check_count(r: &Reader<'_>, n: usize, size: usize) -> Result<(), DecodeError> {
    if n > MAX_PROVING_KEY_POINTS {
        return Err(DecodeError::TooLong {
            what: "proving key vector",
            len: n,
            max: MAX_PROVING_KEY_POINTS,
        });
    }
    if r.remaining() < n.saturating_mul(size) {
        return Err(DecodeError::Truncated);
    }
    Ok(())
}

fn read_g1_vec(r: &mut Reader<'_>, checks: pkformat::Checks) -> Result<Vec<G1Affine>, DecodeError> {
    let n = r.u32()? as usize;
    check_count(r, n, G1_BYTES)?;
    let raw = r.take(n * G1_BYTES)?;
    decode_points::<G1Affine>(raw, G1_BYTES, checks)
}

/// Decodes a run of points (identity allowed), in parallel where the `parallel` feature is on.
fn decode_points<P>(
    raw: &[u8],
    size: usize,
    checks: pkformat::Checks,
) -> Result<Vec<P>, DecodeError>
where
    P: AffineRepr + CanonicalDeserialize + CanonicalSerialize + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        raw.par_chunks(size)
            .map(|c| decode_point_with::<P>(c, true, checks))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        raw.chunks(size)
            .map(|c| decode_point_with::<P>(c, true, checks))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Public inputs at the boundary

/// A public input from 32 big-endian bytes; refuses values `≥ r` (never reduces).
pub fn input_from_be_bytes(b: &[u8; 32]) -> Result<Fr, DecodeError> {
    let mut le = *b;
    le.reverse();
    let mut limbs = [0u64; 4];
    for (i, l) in limbs.iter_mut().enumerate() {
        let mut w = [0u8; 8];
        if let Some(s) = le.get(i * 8..i * 8 + 8) {
            w.copy_from_slice(s);
        }
        *l = u64::from_le_bytes(w);
    }
    Fr::from_bigint(ark_ff::BigInt::new(limbs)).ok_or(DecodeError::Invalid {
        what: "public input (not below the field modulus)",
    })
}

/// A public input's 32 big-endian bytes.
pub fn input_to_be_bytes(x: &Fr) -> [u8; 32] {
    let v = x.into_bigint().to_bytes_be();
    let mut out = [0u8; 32];
    if v.len() == 32 {
        out.copy_from_slice(&v);
    }
    out
}

/// A public input from canonical decimal text (digits only, no sign, no leading zeros, at most
/// 78 digits); refuses values `≥ r` (never reduces).
pub fn input_from_decimal(s: &str) -> Result<Fr, DecodeError> {
    let b = parse_decimal_u256(s, "public input")?;
    Fr::from_bigint(b).ok_or(DecodeError::Invalid {
        what: "public input (not below the field modulus)",
    })
}

/// A public input as decimal text (as snarkjs writes `public.json`).
pub fn input_to_decimal(x: &Fr) -> String {
    x.into_bigint().to_string()
}

/// Strict decimal parsing into 256 bits (no reduction).
pub(crate) fn parse_decimal_u256(
    s: &str,
    what: &'static str,
) -> Result<ark_ff::BigInt<4>, DecodeError> {
    let ok = !s.is_empty()
        && s.len() <= 78
        && s.bytes().all(|c| c.is_ascii_digit())
        && !(s.len() > 1 && s.starts_with('0'));
    if !ok {
        return Err(DecodeError::Invalid { what });
    }
    s.parse::<ark_ff::BigInt<4>>()
        .map_err(|_| DecodeError::Invalid { what })
}

// ---------------------------------------------------------------------------------------------
// Setup, prove, verify

fn map_synthesis(e: SynthesisError) -> SnarkError {
    match e {
        SynthesisError::AssignmentMissing => SnarkError::MissingWitness,
        SynthesisError::Unsatisfiable => SnarkError::Unsatisfied,
        _ => SnarkError::Synthesis,
    }
}

/// Generates keys for `circuit` with randomness from the operating system.
///
/// Trust: whoever runs this single-party setup learns the toxic waste for an instant (arkworks
/// drops it after use) and could forge proofs had they kept it. Verifiers therefore trust the
/// operator of the setup; a multi-party phase-2 ceremony removes that trust (see
/// `docs/decisions/`).
pub fn setup<C: ConstraintSynthesizer<Fr>>(circuit: C) -> Result<ProvingKey, SnarkError> {
    setup_with_rng(circuit, &mut OsRng)
}

/// [`setup`] with a caller's RNG (tests, reproducible fixtures).
pub fn setup_with_rng<C, R>(circuit: C, rng: &mut R) -> Result<ProvingKey, SnarkError>
where
    C: ConstraintSynthesizer<Fr>,
    R: RngCore + CryptoRng,
{
    // The setup's own constraint system is kept to fill the key's matrix cache: these are the
    // key's matrices by construction (decision 0082, amended).
    let seen: std::rc::Rc<std::cell::RefCell<Option<ConstraintSystemRef<Fr>>>> = Default::default();
    let capture = Capture {
        inner: circuit,
        seen: seen.clone(),
    };
    let pk = Groth16::<Bn254>::generate_random_parameters_with_reduction(capture, rng)
        .map_err(map_synthesis)?;
    let matrices = seen.borrow_mut().take().and_then(|cs| cs.to_matrices());
    if pk.vk.gamma_abc_g1.len() > MAX_PUBLIC_INPUTS + 1 {
        return Err(SnarkError::TooManyInputs {
            count: pk.vk.gamma_abc_g1.len() - 1,
            max: MAX_PUBLIC_INPUTS,
        });
    }
    let pk = ProvingKey::from_arkworks(pk).map_err(SnarkError::Decode)?;
    // Made here from the setup's own points: nothing to check.
    pk.points_checked
        .store(true, core::sync::atomic::Ordering::SeqCst);
    if let Some(m) = matrices {
        let _ = pk.matrices.set(std::sync::Arc::new(m));
    }
    Ok(pk)
}

/// A circuit that hands the constraint system it is synthesised into to its caller (the
/// setup keeps its matrices).
struct Capture<C> {
    inner: C,
    seen: std::rc::Rc<std::cell::RefCell<Option<ConstraintSystemRef<Fr>>>>,
}

impl<C: ConstraintSynthesizer<Fr>> ConstraintSynthesizer<Fr> for Capture<C> {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        *self.seen.borrow_mut() = Some(cs.clone());
        self.inner.generate_constraints(cs)
    }
}

/// A circuit's constraint matrices as setup builds them (setup mode, no witness).
pub(crate) fn setup_matrices<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
) -> Result<ConstraintMatrices<Fr>, SnarkError> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    circuit
        .generate_constraints(cs.clone())
        .map_err(map_synthesis)?;
    cs.finalize();
    cs.to_matrices().ok_or(SnarkError::Synthesis)
}

/// A circuit's `(instance variables, witness variables, constraints)` from a setup-mode
/// synthesis that builds no Poseidon rows (`CountOnly`, decision 0130).
pub(crate) fn setup_counts<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
) -> Result<(usize, usize, usize), SnarkError> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    if !causeway_circuits::poseidon::gadget::CountOnly::install(&cs) {
        return Err(SnarkError::Synthesis);
    }
    circuit
        .generate_constraints(cs.clone())
        .map_err(map_synthesis)?;
    let counted = causeway_circuits::poseidon::gadget::CountOnly::rows(&cs);
    let b = cs.borrow().ok_or(SnarkError::Synthesis)?;
    Ok((
        b.num_instance_variables,
        b.num_witness_variables,
        b.num_constraints
            .checked_add(counted)
            .ok_or(SnarkError::Synthesis)?,
    ))
}

/// Proves that the witness inside `circuit` satisfies it, under `pk`. Checks that the circuit is
/// satisfied (arkworks would otherwise produce a proof that does not verify) and that it has the
/// shape the key was made for, and verifies the proof under the key's own verifying key before
/// returning it ([`SnarkError::ProofSelfCheck`] otherwise, and no proof is released): a proving
/// key with altered query vectors keeps its id but could make proofs that fail only for some
/// witnesses, leaking them to whoever sees which proofs fail.
///
/// The proof is assembled on [`msm`]'s G1 and G2 MSMs (`snark::prover`). A key from [`setup`]
/// in this process holds its constraint matrices and its proofs only synthesise the witness
/// (decision 0082); a key loaded from bytes proves one-shot, its Poseidon constraints recorded
/// rather than built (decisions 0130, 0132, 0134: as fast, without the matrices' memory). Not
/// constant time: zero, one and small witness values are cheaper, as in arkworks' prover
/// (decision 0081).
pub fn prove<C: ConstraintSynthesizer<Fr>>(
    pk: &ProvingKey,
    circuit: C,
) -> Result<Proof, SnarkError> {
    prove_with_rng(pk, circuit, &mut OsRng)
}

/// [`prove`] with a caller's RNG.
pub fn prove_with_rng<C, R>(pk: &ProvingKey, circuit: C, rng: &mut R) -> Result<Proof, SnarkError>
where
    C: ConstraintSynthesizer<Fr>,
    R: RngCore + CryptoRng,
{
    prove_inner(pk, circuit, rng, &crate::proof::Meter::none()).map(|(p, _)| p)
}

/// [`prove_with_rng`] that reports its stages to `on` as they begin (see
/// [`crate::proof::ProvePhase::GROTH16`]: witness, quotient, the five MSMs, the self-check),
/// then [`crate::proof::ProvePhase::Done`]; `total` is 8. The proof is the one
/// [`prove_with_rng`] makes with the same RNG: the same bytes.
///
/// Tested in `snark::tests` (the sequence of reports, the same bytes as without).
pub fn prove_with_progress_rng<C, R>(
    pk: &ProvingKey,
    circuit: C,
    rng: &mut R,
    on: &dyn Fn(crate::proof::Progress),
) -> Result<Proof, SnarkError>
where
    C: ConstraintSynthesizer<Fr>,
    R: RngCore + CryptoRng,
{
    let meter = crate::proof::Meter::new(on, 1, GROTH16_STEPS);
    let (p, _) = prove_inner(pk, circuit, rng, &meter)?;
    meter.finish();
    Ok(p)
}

/// How many progress steps one Groth16 proof reports ([`crate::proof::ProvePhase::GROTH16`]).
pub const GROTH16_STEPS: u32 = crate::proof::ProvePhase::GROTH16.len() as u32;

/// [`prove_with_rng`] that also returns the public inputs the circuit assigned (without the
/// leading constant one), in the order the verifier takes them.
pub fn prove_returning_inputs_with_rng<C, R>(
    pk: &ProvingKey,
    circuit: C,
    rng: &mut R,
) -> Result<(Proof, Vec<Fr>), SnarkError>
where
    C: ConstraintSynthesizer<Fr>,
    R: RngCore + CryptoRng,
{
    prove_inner(pk, circuit, rng, &crate::proof::Meter::none())
}

/// Runs `synthesize` here and, when `circuit` is named (a one-shot proof under a key named for
/// one of our circuits), that circuit's counts ([`Circuit::counts`]): on another thread while
/// `synthesize` runs when they are not known yet and a thread can be had (natively), after it
/// otherwise.
fn beside_counts<T>(
    circuit: Option<Circuit>,
    synthesize: impl FnOnce() -> T,
) -> (T, Option<Result<keyring::Counts, SnarkError>>) {
    let Some(c) = circuit else {
        return (synthesize(), None);
    };
    #[cfg(all(feature = "parallel", not(target_arch = "wasm32")))]
    if !c.counts_known() {
        return std::thread::scope(|s| {
            match std::thread::Builder::new().spawn_scoped(s, move || c.counts()) {
                Ok(h) => {
                    let out = synthesize();
                    (out, Some(h.join().unwrap_or(Err(SnarkError::Synthesis))))
                }
                Err(_) => {
                    let out = synthesize();
                    (out, Some(c.counts()))
                }
            }
        });
    }
    let out = synthesize();
    (out, Some(c.counts()))
}

pub(crate) fn prove_inner<C, R>(
    pk: &ProvingKey,
    circuit: C,
    rng: &mut R,
    meter: &crate::proof::Meter<'_>,
) -> Result<(Proof, Vec<Fr>), SnarkError>
where
    C: ConstraintSynthesizer<Fr>,
    R: RngCore + CryptoRng,
{
    use ark_ff::UniformRand;
    use core::sync::atomic::Ordering;
    if pk.poisoned.load(Ordering::SeqCst) {
        return Err(SnarkError::ProofSelfCheck);
    }
    // Witness synthesis, and where this proof's constraint rows come from:
    // - a key that holds its matrices (from `setup` in this process, or our own circuit's after
    //   the self-check fallback below) only assigns the witness (decision 0082);
    // - every other proof is one-shot: the caller's circuit is synthesised once with its
    //   matrices, the Poseidon constraints recorded instead of added (decisions 0130, 0132), and
    //   nothing is kept. A one-shot proof is as fast as one on kept matrices (decision 0134), so
    //   a loaded key no longer builds and keeps our reference matrices on its second proof.
    meter.step(crate::proof::ProvePhase::Witness);
    enum Rows {
        Kept(std::sync::Arc<ConstraintMatrices<Fr>>),
        OneShot,
    }
    let rows = match pk.matrices.get().cloned() {
        Some(m) => Rows::Kept(m),
        None => Rows::OneShot,
    };
    let one_shot = matches!(rows, Rows::OneShot);
    // A one-shot proof under a key named for a circuit: the caller's circuit must have that
    // circuit's counts (as the kept matrices' shape is checked below). Those come from
    // a synthesis of our own circuit, made beside the caller's where a thread is free.
    let named = if one_shot { pk.circuit } else { None };
    let (synthesized, expected) = beside_counts(named, || -> Result<_, SnarkError> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Prove {
            construct_matrices: one_shot,
        });
        if one_shot && !causeway_circuits::poseidon::gadget::ConstraintValues::install(&cs) {
            return Err(SnarkError::Synthesis);
        }
        circuit
            .generate_constraints(cs.clone())
            .map_err(map_synthesis)?;
        let recorded = if one_shot {
            causeway_circuits::poseidon::gadget::ConstraintValues::take(&cs)
                .ok_or(SnarkError::Synthesis)?
                .rows
        } else {
            Vec::new()
        };
        // The satisfaction check happens in the QAP witness map, on the matrices, before any
        // FFT or MSM (`qap::quotient`): an unsatisfied circuit is refused with `Unsatisfied`
        // instead of yielding a proof that does not verify.
        cs.finalize();
        let own = if one_shot {
            Some(cs.to_matrices().ok_or(SnarkError::Synthesis)?)
        } else {
            None
        };
        let b = cs.borrow().ok_or(SnarkError::Synthesis)?;
        let mut full = Vec::with_capacity(b.instance_assignment.len() + b.witness_assignment.len());
        full.extend_from_slice(&b.instance_assignment);
        full.extend_from_slice(&b.witness_assignment);
        let inputs = b.instance_assignment.get(1..).unwrap_or(&[]).to_vec();
        // The recorded Poseidon constraints are the circuit's too (decision 0132).
        let counts = (
            b.num_instance_variables,
            b.num_witness_variables,
            b.num_constraints
                .checked_add(recorded.len())
                .ok_or(SnarkError::Synthesis)?,
        );
        Ok((own, recorded, full, inputs, counts))
    });
    let (own, recorded, full, inputs, counts) = synthesized?;
    if let Some(expected) = expected {
        if expected? != counts {
            return Err(SnarkError::KeyMismatch);
        }
    }
    let matrices = match (&rows, own) {
        (Rows::Kept(m), _) => m.clone(),
        (Rows::OneShot, Some(own)) => std::sync::Arc::new(own),
        (Rows::OneShot, None) => return Err(SnarkError::Synthesis),
    };
    let inner = &pk.inner;
    // The circuit must have the kept matrices' shape (another circuit of the same key is refused
    // here or, if its counts agree, by the satisfaction check on the key's matrices).
    // A one-shot proof's matrices lack its recorded rows (decision 0132).
    let constraints = matrices
        .num_constraints
        .checked_add(recorded.len())
        .ok_or(SnarkError::KeyMismatch)?;
    if counts
        != (
            matrices.num_instance_variables,
            matrices.num_witness_variables,
            constraints,
        )
        || matrices.num_instance_variables != inner.vk.gamma_abc_g1.len()
        || matrices.num_witness_variables != inner.l_query.len()
        || full.len() != inner.a_query.len()
    {
        return Err(SnarkError::KeyMismatch);
    }
    let domain = ark_poly_domain_size(constraints + matrices.num_instance_variables);
    if domain != Some(inner.h_query.len().saturating_add(1)) {
        return Err(SnarkError::KeyMismatch);
    }
    let r = Fr::rand(rng);
    let s = Fr::rand(rng);
    let proof = prove_with_rows(pk, &matrices, &recorded, &full, r, s, true, meter)?;
    let proof = Proof {
        key_id: pk.vk.id,
        inner: proof,
    };
    // Self-check (one pairing check): a tampered proving key (same verifying key, altered
    // a/b/h/l queries) yields proofs that do not verify; none leaves this function.
    meter.step(crate::proof::ProvePhase::Check);
    if verify(&pk.vk, &inputs, &proof).is_err() {
        // A one-shot proof followed the caller's own constraints, which can differ from the
        // key's circuit and still have its counts (rows in another order, say). Under a key
        // named for a circuit, the key is blamed only if a proof on our own matrices for that
        // circuit fails too; an assignment those matrices refuse is the caller's to fix.
        if let (true, Some(c)) = (one_shot, pk.circuit) {
            if let Ok(reference) = c.reference_matrices() {
                let n = reference.num_instance_variables;
                if qap::quotient(&reference, n, reference.num_constraints, &full).is_err() {
                    return Err(SnarkError::Unsatisfied);
                }
                let none = crate::proof::Meter::none();
                let again = prove_with_rows(pk, &reference, &[], &full, r, s, true, &none)?;
                let again = Proof {
                    key_id: pk.vk.id,
                    inner: again,
                };
                if verify(&pk.vk, &inputs, &again).is_ok() && !pk.poisoned.load(Ordering::SeqCst) {
                    // Our own circuit's matrices made a good proof: keep them (later proofs
                    // then follow our rows, not the caller's).
                    let _ = pk.matrices.set(std::sync::Arc::new(reference));
                    pk.tables.after_proof(&pk.inner);
                    return Ok((again, inputs));
                }
            }
        }
        pk.poisoned.store(true, Ordering::SeqCst);
        return Err(SnarkError::ProofSelfCheck);
    }
    // Another proof under this key (a clone, another thread) may have failed its self-check
    // while this one was made: the key answers no more.
    if pk.poisoned.load(Ordering::SeqCst) {
        return Err(SnarkError::ProofSelfCheck);
    }
    // A key that keeps proving builds its fixed-base tables on its own (decision 0123).
    pk.tables.after_proof(&pk.inner);
    Ok((proof, inputs))
}

/// The QAP witness map (with its satisfaction check) and the proof assembly on our MSMs, for a
/// full assignment already checked against the key's shape. The same bytes as ark-groth16's
/// `create_proof_with_reduction_and_matrices` for the same `r` and `s`.
#[cfg(test)]
fn prove_with_matrices(
    pk: &ProvingKey,
    matrices: &ConstraintMatrices<Fr>,
    full: &[Fr],
    r: Fr,
    s: Fr,
    parallel: bool,
    meter: &crate::proof::Meter<'_>,
) -> Result<ark_groth16::Proof<Bn254>, SnarkError> {
    prove_with_rows(pk, matrices, &[], full, r, s, parallel, meter)
}

/// [`prove_with_matrices`] where the rows in `recorded` are not in `matrices` and take their
/// recorded values (`qap::quotient_with`, decisions 0130, 0132).
#[allow(clippy::too_many_arguments)]
fn prove_with_rows(
    pk: &ProvingKey,
    matrices: &ConstraintMatrices<Fr>,
    recorded: &[(usize, Fr, Fr, Fr)],
    full: &[Fr],
    r: Fr,
    s: Fr,
    parallel: bool,
    meter: &crate::proof::Meter<'_>,
) -> Result<ark_groth16::Proof<Bn254>, SnarkError> {
    meter.step(crate::proof::ProvePhase::Quotient);
    // Equal to `qap::CheckedReduction` (arkworks' LibsnarkReduction with the check) on every
    // satisfying assignment, in fewer passes and less memory (decision 0118). With `parallel`
    // it runs beside the MSMs that need only the assignment (`prover::create_proof_from_quotient`).
    let constraints = matrices
        .num_constraints
        .checked_add(recorded.len())
        .ok_or(SnarkError::KeyMismatch)?;
    let quotient = || {
        qap::quotient_with(
            matrices,
            matrices.num_instance_variables,
            constraints,
            full,
            recorded,
        )
        .map_err(map_synthesis)
    };
    let tables = pk.tables.current();
    prover::create_proof_from_quotient(
        &pk.inner,
        tables.as_deref(),
        r,
        s,
        quotient,
        full,
        matrices.num_instance_variables,
        parallel,
        meter,
    )
}

/// The size of the evaluation domain arkworks' LibsnarkReduction uses for `n` rows (the next
/// power of two), or `None` if it is too large.
fn ark_poly_domain_size(n: usize) -> Option<usize> {
    n.checked_next_power_of_two()
}

/// Verifies `proof` for `inputs` under `vk`. Refuses a proof made for another key, a wrong
/// number of inputs, and any proof that does not satisfy the pairing equation (one opaque error).
pub fn verify(vk: &VerifyingKey, inputs: &[Fr], proof: &Proof) -> Result<(), SnarkVerifyError> {
    if proof.key_id != vk.id {
        return Err(SnarkVerifyError::WrongKey);
    }
    let expected = vk.public_inputs();
    if inputs.len().checked_add(1) != Some(vk.inner.gamma_abc_g1.len()) {
        return Err(SnarkVerifyError::InputCount {
            expected,
            found: inputs.len(),
        });
    }
    let prepared = Groth16::<Bn254>::prepare_inputs(&vk.prepared, inputs)
        .map_err(|_| SnarkVerifyError::Invalid)?;
    match Groth16::<Bn254>::verify_proof_with_prepared_inputs(&vk.prepared, &proof.inner, &prepared)
    {
        Ok(true) => Ok(()),
        _ => Err(SnarkVerifyError::Invalid),
    }
}

/// [`verify`] with public inputs given as 32 big-endian bytes each (each refused if `≥ r`).
pub fn verify_be_bytes(
    vk: &VerifyingKey,
    inputs: &[[u8; 32]],
    proof: &Proof,
) -> Result<(), SnarkVerifyError> {
    if inputs.len() > MAX_PUBLIC_INPUTS {
        return Err(SnarkVerifyError::InputCount {
            expected: vk.public_inputs(),
            found: inputs.len(),
        });
    }
    let mut xs = Vec::with_capacity(inputs.len());
    for (index, b) in inputs.iter().enumerate() {
        xs.push(input_from_be_bytes(b).map_err(|_| SnarkVerifyError::InputNotInField { index })?);
    }
    verify(vk, &xs, proof)
}

/// [`verify`] with public inputs given as decimal text (each refused if `≥ r`).
pub fn verify_decimal(
    vk: &VerifyingKey,
    inputs: &[&str],
    proof: &Proof,
) -> Result<(), SnarkVerifyError> {
    if inputs.len() > MAX_PUBLIC_INPUTS {
        return Err(SnarkVerifyError::InputCount {
            expected: vk.public_inputs(),
            found: inputs.len(),
        });
    }
    let mut xs = Vec::with_capacity(inputs.len());
    for (index, s) in inputs.iter().enumerate() {
        xs.push(input_from_decimal(s).map_err(|_| SnarkVerifyError::InputNotInField { index })?);
    }
    verify(vk, &xs, proof)
}

/// Re-randomises a valid proof into another valid proof of the same statement (arkworks
/// `rerandomize_proof`). Exposed so that tests and callers can see that proof bytes are not an
/// identity: the result verifies, and its bytes differ.
pub fn rerandomize_with_rng<R: RngCore + CryptoRng>(
    vk: &VerifyingKey,
    proof: &Proof,
    rng: &mut R,
) -> Proof {
    Proof {
        key_id: proof.key_id,
        inner: Groth16::<Bn254>::rerandomize_proof(&vk.inner, &proof.inner, rng),
    }
}

/// The shape of a circuit: counts and a hash of its constraint matrices (for pinning circuits
/// in tests and naming them in key files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CircuitShape {
    /// Number of constraints.
    pub constraints: usize,
    /// Number of public inputs (without the constant one).
    pub public_inputs: usize,
    /// Number of private witness variables.
    pub witnesses: usize,
    /// SHA-256 over the A, B and C matrices (see [`circuit_shape`]).
    pub matrix_hash: [u8; 32],
}

/// Synthesises `circuit` in setup mode (no witness needed) and returns its [`CircuitShape`].
/// The hash covers, per matrix and row, the number of terms and each `(coefficient, column)`.
pub fn circuit_shape<C: ConstraintSynthesizer<Fr>>(circuit: C) -> Result<CircuitShape, SnarkError> {
    let m = setup_matrices(circuit)?;
    let mut h = Sha256::new();
    h.update(b"causeway/r1cs-shape/v1");
    for (n, v) in [
        (m.num_instance_variables, 0u8),
        (m.num_witness_variables, 1),
        (m.num_constraints, 2),
    ] {
        h.update([v]);
        h.update((n as u64).to_be_bytes());
    }
    for (tag, mat) in [(b'A', &m.a), (b'B', &m.b), (b'C', &m.c)] {
        h.update([tag]);
        for row in mat {
            h.update((row.len() as u64).to_be_bytes());
            for (coeff, col) in row {
                h.update(coeff.into_bigint().to_bytes_be());
                h.update((*col as u64).to_be_bytes());
            }
        }
    }
    Ok(CircuitShape {
        constraints: m.num_constraints,
        public_inputs: m.num_instance_variables.saturating_sub(1),
        witnesses: m.num_witness_variables,
        matrix_hash: h.finalize().into(),
    })
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_batch;
#[cfg(test)]
mod tests_pkformat;
// the wasm32 field multiplication of vendor/ark-ff-macros against upstream (decision 0103)
#[cfg(test)]
mod tests_field32;
