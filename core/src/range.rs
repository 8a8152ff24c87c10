//! Range proofs over [`RangeCommitment`]s: Bulletproofs (the `bulletproofs` 5 crate, merlin
//! transcripts), with arbitrary inclusive bounds on signed 64-bit values, aggregation of any
//! number of claims into one proof, and batch verification of many independent proofs with one
//! multiscalar multiplication.
//!
//! # Claims
//! A [`RangeClaim`] says `lo ≤ v ≤ hi` about the value `v` committed in `C = v·B + r·B̃`; either
//! bound may be absent (`≥ lo`, `≤ hi`). Each present bound becomes one 64-bit sub-proof on a
//! commitment the verifier derives from `C` alone:
//!
//! * `v − lo ∈ [0, 2^64)` on `C − lo·B` (blinding `r`),
//! * `hi − v ∈ [0, 2^64)` on `hi·B − C` (blinding `−r`).
//!
//! For `lo ≤ hi` both in `i64`, `hi − lo < 2^64`, so the two sub-proofs together say exactly
//! `v ∈ [lo, hi]`. A one-sided claim `v ≥ lo` says `v ∈ [lo, lo + 2^64)` over the integers
//! (and `v ≤ hi`: `v ∈ (hi − 2^64, hi]`), which for a committed `i64` is the claim itself.
//!
//! # Aggregation and padding
//! All sub-proofs of all claims go into one aggregated Bulletproofs proof of `m` 64-bit values,
//! `m` the number of sub-proofs rounded up to a power of two. The padding sub-proofs prove `0` on
//! the identity commitment (value 0, blinding 0), which the verifier recomputes: they are not
//! part of the API or of the proof bytes, and say nothing about the claims.
//!
//! # Transcript
//! The caller owns the transcript and appends its own context (statement, attestation,
//! verifier's challenge) first. [`prove`] and [`verify`] then append, under the protocol label
//! `causeway-range v1`, the bit width, the number of claims and for each claim its commitment
//! and both bounds (absent bounds encoded distinctly), before the Bulletproofs protocol (which
//! appends `n`, `m` and every derived commitment).
//!
//! # Wire format
//! `"CW" | 0x01 | 0x28 (Tag::RangeProof) | rounds: u8 | A | S | T1 | T2 | t_x | t_x~ | e~ |
//! (L_k | R_k) × rounds | a | b`, 32-byte compressed Ristretto points and canonical
//! little-endian scalars, `rounds = log2(64·m)` in `6..=13`. Decoding refuses non-canonical
//! scalars, points that do not decompress or are the identity, wrong lengths and trailing bytes.
//! See `docs/spec/range-proof.md`.

#![allow(non_snake_case)] // A, S, T_1, ... follow the Bulletproofs paper

use crate::commit::{pedersen_gens, scalar_from_i64, RangeCommitment};
use crate::encoding::{read_header, write_header, Reader, Tag};
use crate::error::{DecodeError, ProveError, VerifyError};
use bulletproofs::{BulletproofGens, RangeProof};
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::traits::{Identity, IsIdentity, VartimeMultiscalarMul};
use rand_core::{CryptoRng, OsRng, RngCore};
use std::sync::OnceLock;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The protocol label appended to the caller's transcript before the claims.
pub const PROTOCOL_LABEL: &[u8] = b"causeway-range v1";
/// The bit width of every sub-proof.
pub const BITS: usize = 64;
/// The most claims one proof may cover.
pub const MAX_CLAIMS: usize = 64;
/// The most sub-proofs (after padding) one proof may aggregate.
pub const MAX_AGGREGATION: usize = 2 * MAX_CLAIMS;
/// Batches larger than this are verified in several multiscalar multiplications of at most this
/// many proofs each (bounding memory).
pub const MAX_BATCH_CHUNK: usize = 4096;

/// The scalar type of blindings (re-exported from `curve25519-dalek` 4).
pub use curve25519_dalek::scalar::Scalar;
/// The transcript type (re-exported from `merlin` 3).
pub use merlin::Transcript;

const PROOF_VERSION: u8 = 1;
const MIN_ROUNDS: u8 = 6; // log2(64 · 1)
const MAX_ROUNDS: u8 = 13; // log2(64 · 128)

/// A claim `lo ≤ v ≤ hi` (inclusive) about the value committed in `commitment`; `None` leaves
/// that side unbounded. At least one bound must be present, and `lo ≤ hi` when both are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeClaim {
    /// The commitment to the value.
    pub commitment: RangeCommitment,
    /// The inclusive lower bound, if any.
    pub lo: Option<i64>,
    /// The inclusive upper bound, if any.
    pub hi: Option<i64>,
}

impl RangeClaim {
    /// `lo ≤ v ≤ hi`.
    pub fn between(commitment: RangeCommitment, lo: i64, hi: i64) -> Self {
        RangeClaim {
            commitment,
            lo: Some(lo),
            hi: Some(hi),
        }
    }

    /// `v ≥ lo`.
    pub fn at_least(commitment: RangeCommitment, lo: i64) -> Self {
        RangeClaim {
            commitment,
            lo: Some(lo),
            hi: None,
        }
    }

    /// `v ≤ hi`.
    pub fn at_most(commitment: RangeCommitment, hi: i64) -> Self {
        RangeClaim {
            commitment,
            lo: None,
            hi: Some(hi),
        }
    }
}

/// The prover's opening of a claim's commitment: the value and its blinding.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RangeWitness {
    /// The committed value.
    pub value: i64,
    /// The commitment's blinding factor.
    pub blinding: Scalar,
}

impl core::fmt::Debug for RangeWitness {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("RangeWitness { .. }")
    }
}

/// One aggregated Bulletproofs proof covering every claim it was made for. Its canonical bytes
/// are [`AggregateRangeProof::to_bytes`]; proof bytes are malleable, never use them as an id.
#[derive(Clone)]
pub struct AggregateRangeProof {
    inner: RangeProof,
    parsed: Parsed,
    body: Vec<u8>,
}

impl core::fmt::Debug for AggregateRangeProof {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AggregateRangeProof")
            .field("rounds", &self.parsed.rounds)
            .field("len", &(self.body.len() + 5))
            .finish()
    }
}

/// The proof's components, validated and decompressed (for batch verification).
#[derive(Clone)]
struct Parsed {
    rounds: u8,
    A: (CompressedRistretto, RistrettoPoint),
    S: (CompressedRistretto, RistrettoPoint),
    T_1: (CompressedRistretto, RistrettoPoint),
    T_2: (CompressedRistretto, RistrettoPoint),
    t_x: Scalar,
    t_x_blinding: Scalar,
    e_blinding: Scalar,
    L: Vec<(CompressedRistretto, RistrettoPoint)>,
    R: Vec<(CompressedRistretto, RistrettoPoint)>,
    a: Scalar,
    b: Scalar,
}

fn read_point(r: &mut Reader<'_>) -> Result<(CompressedRistretto, RistrettoPoint), DecodeError> {
    let c = CompressedRistretto(r.array::<32>()?);
    match c.decompress() {
        Some(p) if !p.is_identity() => Ok((c, p)),
        _ => Err(DecodeError::Invalid {
            what: "range proof point",
        }),
    }
}

fn read_scalar(r: &mut Reader<'_>) -> Result<Scalar, DecodeError> {
    let b = r.array::<32>()?;
    Option::<Scalar>::from(Scalar::from_canonical_bytes(b)).ok_or(DecodeError::Invalid {
        what: "range proof scalar (non-canonical)",
    })
}

fn body_len(rounds: u8) -> usize {
    32 * (9 + 2 * usize::from(rounds))
}

impl AggregateRangeProof {
    /// The canonical bytes (see the module docs for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(5 + self.body.len());
        write_header(&mut out, PROOF_VERSION, Tag::RangeProof);
        out.push(self.parsed.rounds);
        out.extend_from_slice(&self.body);
        out
    }

    /// Strictly decodes canonical bytes: header, round count in range, exact length, canonical
    /// scalars, points that decompress and are not the identity, no trailing bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        read_header(&mut r, Tag::RangeProof, &[PROOF_VERSION])?;
        let rounds = r.u8()?;
        if rounds > MAX_ROUNDS {
            return Err(DecodeError::TooLong {
                what: "range proof rounds",
                len: usize::from(rounds),
                max: usize::from(MAX_ROUNDS),
            });
        }
        if rounds < MIN_ROUNDS {
            return Err(DecodeError::Invalid {
                what: "range proof rounds",
            });
        }
        let body = r.take(body_len(rounds))?;
        r.finish()?;
        Self::from_body(rounds, body)
    }

    fn from_body(rounds: u8, body: &[u8]) -> Result<Self, DecodeError> {
        if body.len() != body_len(rounds) {
            return Err(DecodeError::Invalid {
                what: "range proof length",
            });
        }
        let mut r = Reader::new(body);
        let A = read_point(&mut r)?;
        let S = read_point(&mut r)?;
        let T_1 = read_point(&mut r)?;
        let T_2 = read_point(&mut r)?;
        let t_x = read_scalar(&mut r)?;
        let t_x_blinding = read_scalar(&mut r)?;
        let e_blinding = read_scalar(&mut r)?;
        let mut L = Vec::with_capacity(usize::from(rounds));
        let mut R = Vec::with_capacity(usize::from(rounds));
        for _ in 0..rounds {
            L.push(read_point(&mut r)?);
            R.push(read_point(&mut r)?);
        }
        let a = read_scalar(&mut r)?;
        let b = read_scalar(&mut r)?;
        r.finish()?;
        let inner = RangeProof::from_bytes(body).map_err(|_| DecodeError::Invalid {
            what: "range proof",
        })?;
        Ok(AggregateRangeProof {
            inner,
            parsed: Parsed {
                rounds,
                A,
                S,
                T_1,
                T_2,
                t_x,
                t_x_blinding,
                e_blinding,
                L,
                R,
                a,
                b,
            },
            body: body.to_vec(),
        })
    }
}

/// Why a set of claims is not a valid statement (shared by prover and verifier).
enum ClaimError {
    Invalid(&'static str),
    TooMany,
}

impl From<ClaimError> for ProveError {
    fn from(e: ClaimError) -> Self {
        match e {
            ClaimError::Invalid(w) => ProveError::InvalidStatement(w),
            ClaimError::TooMany => ProveError::Limit("too many range claims"),
        }
    }
}

impl From<ClaimError> for VerifyError {
    fn from(e: ClaimError) -> Self {
        match e {
            ClaimError::Invalid(w) => VerifyError::InvalidStatement(w),
            ClaimError::TooMany => VerifyError::InvalidStatement("too many range claims"),
        }
    }
}

/// Checks the shape of the claims; returns the padded aggregation size `m`.
fn check_claims(claims: &[RangeClaim]) -> Result<usize, ClaimError> {
    if claims.is_empty() {
        return Err(ClaimError::Invalid("no range claims"));
    }
    if claims.len() > MAX_CLAIMS {
        return Err(ClaimError::TooMany);
    }
    let mut subproofs = 0usize;
    for c in claims {
        match (c.lo, c.hi) {
            (None, None) => return Err(ClaimError::Invalid("range claim without bounds")),
            (Some(lo), Some(hi)) if lo > hi => {
                return Err(ClaimError::Invalid("empty range (lower bound above upper)"))
            }
            _ => {}
        }
        subproofs += usize::from(c.lo.is_some()) + usize::from(c.hi.is_some());
    }
    Ok(subproofs.next_power_of_two())
}

fn bound_bytes(b: Option<i64>) -> [u8; 9] {
    let mut out = [0u8; 9];
    if let Some(v) = b {
        out[0] = 1;
        out[1..].copy_from_slice(&v.to_be_bytes());
    }
    out
}

/// Appends the protocol label and every claim to the transcript.
fn bind_claims(t: &mut Transcript, claims: &[RangeClaim]) {
    t.append_message(b"dom-sep", PROTOCOL_LABEL);
    t.append_u64(b"bits", BITS as u64);
    t.append_u64(b"claims", claims.len() as u64);
    for c in claims {
        t.append_message(b"C", c.commitment.as_compressed().as_bytes());
        t.append_message(b"lo", &bound_bytes(c.lo));
        t.append_message(b"hi", &bound_bytes(c.hi));
    }
}

/// The commitments of the sub-proofs (padded to `m` with the identity), as the verifier derives
/// them from the claims.
fn derive_commitments(
    claims: &[RangeClaim],
    m: usize,
) -> Result<Vec<(CompressedRistretto, RistrettoPoint)>, ClaimError> {
    let mut out = Vec::with_capacity(m);
    // A column's claims share their bounds: compute each bound's `b·B` once (the last few).
    let mut bound_points: Vec<(i64, RistrettoPoint)> = Vec::with_capacity(4);
    let mut times_base = |b: i64| -> RistrettoPoint {
        if let Some((_, p)) = bound_points.iter().find(|(v, _)| *v == b) {
            return *p;
        }
        let p = RistrettoPoint::mul_base(&scalar_from_i64(b));
        if bound_points.len() >= 4 {
            bound_points.remove(0);
        }
        bound_points.push((b, p));
        p
    };
    for c in claims {
        let point = c
            .commitment
            .as_compressed()
            .decompress()
            .ok_or(ClaimError::Invalid("range commitment is not a valid point"))?;
        if let Some(lo) = c.lo {
            let v = point - times_base(lo);
            out.push((v.compress(), v));
        }
        if let Some(hi) = c.hi {
            let v = times_base(hi) - point;
            out.push((v.compress(), v));
        }
    }
    let id = RistrettoPoint::identity();
    out.resize(m, (id.compress(), id));
    Ok(out)
}

/// Bulletproofs generators for aggregation size `m` (a power of two ≤ [`MAX_AGGREGATION`]),
/// built once per size class.
fn bp_gens(m: usize) -> Option<&'static BulletproofGens> {
    const CLASSES: usize = MAX_AGGREGATION.trailing_zeros() as usize + 1;
    static GENS: [OnceLock<BulletproofGens>; CLASSES] = [const { OnceLock::new() }; CLASSES];
    if !m.is_power_of_two() || m > MAX_AGGREGATION {
        return None;
    }
    let class = GENS.get(m.trailing_zeros() as usize)?;
    Some(class.get_or_init(|| BulletproofGens::new(BITS, m)))
}

/// An RNG adapter that turns a failing OS RNG into an error after the fact instead of a panic.
struct CheckedRng<'a, R: RngCore + CryptoRng> {
    inner: &'a mut R,
    failed: bool,
}

impl<R: RngCore + CryptoRng> RngCore for CheckedRng<'_, R> {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        if self.inner.try_fill_bytes(dest).is_err() {
            self.failed = true;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.inner.try_fill_bytes(dest)
    }
}

impl<R: RngCore + CryptoRng> CryptoRng for CheckedRng<'_, R> {}

fn random_scalar<R: RngCore + CryptoRng>(rng: &mut CheckedRng<'_, R>) -> Scalar {
    // The bytes a blinding is reduced from are as secret as the blinding (review of 6 Dec, R3).
    let mut wide = Zeroizing::new([0u8; 64]);
    rng.fill_bytes(&mut wide[..]);
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// Proves all `claims` in one aggregated proof, with `witnesses[i]` opening
/// `claims[i].commitment`. Randomness from the OS.
pub fn prove(
    transcript: &mut Transcript,
    claims: &[RangeClaim],
    witnesses: &[RangeWitness],
) -> Result<AggregateRangeProof, ProveError> {
    prove_with_rng(transcript, claims, witnesses, &mut OsRng)
}

/// [`prove`] with the caller's RNG (for tests).
pub fn prove_with_rng<R: RngCore + CryptoRng>(
    transcript: &mut Transcript,
    claims: &[RangeClaim],
    witnesses: &[RangeWitness],
    rng: &mut R,
) -> Result<AggregateRangeProof, ProveError> {
    let m = check_claims(claims)?;
    if witnesses.len() != claims.len() {
        return Err(ProveError::InvalidStatement(
            "one range witness per claim is needed",
        ));
    }
    let mut values: Zeroizing<Vec<u64>> = Zeroizing::new(Vec::with_capacity(m));
    let mut blindings: Zeroizing<Vec<Scalar>> = Zeroizing::new(Vec::with_capacity(m));
    for (c, w) in claims.iter().zip(witnesses) {
        if RangeCommitment::commit(w.value, &w.blinding) != c.commitment {
            return Err(ProveError::Range(
                "the witness does not open the claim's commitment",
            ));
        }
        let v = i128::from(w.value);
        if let Some(lo) = c.lo {
            let d = u64::try_from(v - i128::from(lo)).map_err(|_| ProveError::Unsatisfied)?;
            values.push(d);
            blindings.push(w.blinding);
        }
        if let Some(hi) = c.hi {
            let d = u64::try_from(i128::from(hi) - v).map_err(|_| ProveError::Unsatisfied)?;
            values.push(d);
            blindings.push(-w.blinding);
        }
    }
    values.resize(m, 0);
    blindings.resize(m, Scalar::ZERO);
    if !m.is_power_of_two() || m > MAX_AGGREGATION {
        return Err(ProveError::Limit("too many range claims"));
    }
    // The in-house aggregated prover (`range/prover.rs`, decision 0107), the column proofs' one:
    // the same transcript and bytes as `bulletproofs`' `RangeProof::prove_multiple_with_rng`
    // (tested byte for byte from one seed), so the crate's prover is no longer linked (a few kB
    // of the shipped wasm module).
    let derived = derive_commitments(claims, m)?;
    let commitments: Vec<CompressedRistretto> = derived.iter().map(|(c, _)| *c).collect();
    let gens = gens::cache().get(BITS, m);
    bind_claims(transcript, claims);
    let mut rng = CheckedRng {
        inner: rng,
        failed: false,
    };
    let body = prover::prove(
        transcript,
        &gens,
        BITS,
        (&values, &blindings, &commitments),
        &mut rng,
    )?;
    if rng.failed {
        return Err(ProveError::Rng);
    }
    let rounds = u8::try_from((BITS * m).trailing_zeros())
        .map_err(|_| ProveError::Range("aggregation too large"))?;
    AggregateRangeProof::from_body(rounds, &body)
        .map_err(|_| ProveError::Range("the prover produced a malformed proof"))
}

/// Verifies `proof` for `claims` on a transcript in the same state as the prover's.
pub fn verify(
    transcript: &mut Transcript,
    claims: &[RangeClaim],
    proof: &AggregateRangeProof,
) -> Result<(), VerifyError> {
    verify_with_rng(transcript, claims, proof, &mut OsRng)
}

/// [`verify`] with the caller's RNG (the verifier's internal random combination). Crate-only
/// (decision 0117): a verifier whose RNG an adversary can predict accepts forged proofs, so the
/// public API draws from the OS.
pub(crate) fn verify_with_rng<R: RngCore + CryptoRng>(
    transcript: &mut Transcript,
    claims: &[RangeClaim],
    proof: &AggregateRangeProof,
    rng: &mut R,
) -> Result<(), VerifyError> {
    let m = check_claims(claims)?;
    if u32::from(proof.parsed.rounds) != (BITS * m).trailing_zeros() {
        return Err(VerifyError::Proof);
    }
    let derived = derive_commitments(claims, m)?;
    let commitments: Vec<CompressedRistretto> = derived.iter().map(|(c, _)| *c).collect();
    let gens = bp_gens(m).ok_or(VerifyError::Proof)?;
    bind_claims(transcript, claims);
    let mut rng = CheckedRng {
        inner: rng,
        failed: false,
    };
    let res = proof.inner.verify_multiple_with_rng(
        gens,
        pedersen_gens(),
        transcript,
        &commitments,
        BITS,
        &mut rng,
    );
    match res {
        Ok(()) if !rng.failed => Ok(()),
        _ => Err(VerifyError::Proof),
    }
}

// ---------------------------------------------------------------------------------------------
// Batch verification

/// One independent proof in a batch: its transcript (in the state the prover's was in before
/// [`prove`]), its claims and the proof.
pub struct BatchItem<'a> {
    /// The transcript, with the caller's context already appended.
    pub transcript: Transcript,
    /// The claims the proof is for.
    pub claims: &'a [RangeClaim],
    /// The proof.
    pub proof: &'a AggregateRangeProof,
}

/// The `G` and `H` generators of one party (sub-proof position), as `bulletproofs` derives them.
struct PartyGens {
    G: Vec<RistrettoPoint>,
    H: Vec<RistrettoPoint>,
}

fn generator_chain(label: &[u8], n: usize) -> Vec<RistrettoPoint> {
    use sha3::digest::{ExtendableOutput, Update, XofReader};
    let mut shake = sha3::Shake256::default();
    shake.update(b"GeneratorsChain");
    shake.update(label);
    let mut reader = shake.finalize_xof();
    (0..n)
        .map(|_| {
            let mut uniform = [0u8; 64];
            reader.read(&mut uniform);
            RistrettoPoint::from_uniform_bytes(&uniform)
        })
        .collect()
}

fn party_gens(j: usize) -> Option<&'static PartyGens> {
    static GENS: [OnceLock<PartyGens>; MAX_AGGREGATION] =
        [const { OnceLock::new() }; MAX_AGGREGATION];
    let cell = GENS.get(j)?;
    let index = u32::try_from(j).ok()?.to_le_bytes();
    Some(cell.get_or_init(|| {
        let mut label = [0u8; 5];
        label[1..].copy_from_slice(&index);
        label[0] = b'G';
        let G = generator_chain(&label, BITS);
        label[0] = b'H';
        let H = generator_chain(&label, BITS);
        PartyGens { G, H }
    }))
}

fn challenge_scalar(t: &mut Transcript, label: &'static [u8]) -> Scalar {
    let mut buf = [0u8; 64];
    t.challenge_bytes(label, &mut buf);
    Scalar::from_bytes_mod_order_wide(&buf)
}

/// The shared part of the batch equation: coefficients of `B`, `B̃` and the `G`, `H` vectors.
struct SharedTerms {
    B: Scalar,
    B_blinding: Scalar,
    G: Vec<Scalar>,
    H: Vec<Scalar>,
}

/// Replays one proof's Fiat–Shamir transcript exactly as `bulletproofs` 5 does and adds its
/// verification equation (the one `RangeProof::verify_multiple` checks), weighted by a fresh
/// random scalar, to the batch.
fn accumulate<R: RngCore + CryptoRng>(
    item: &mut BatchItem<'_>,
    rng: &mut CheckedRng<'_, R>,
    pow2: &[Scalar],
    shared: &mut SharedTerms,
    scalars: &mut Vec<Scalar>,
    points: &mut Vec<RistrettoPoint>,
) -> Result<(), VerifyError> {
    let m = check_claims(item.claims)?;
    let derived = derive_commitments(item.claims, m)?;
    bind_claims(&mut item.transcript, item.claims);
    let terms = Terms {
        scalars,
        points,
        shared,
    };
    accumulate_equation(
        &mut item.transcript,
        &item.proof.parsed,
        &derived,
        pow2,
        rng,
        terms,
    )
}

/// Where one proof's weighted equation goes: its own points, and the shared coefficients.
struct Terms<'a> {
    scalars: &'a mut Vec<Scalar>,
    points: &'a mut Vec<RistrettoPoint>,
    shared: &'a mut SharedTerms,
}

/// The verification equation of one aggregated proof of `derived.len()` sub-proofs of
/// `pow2.len()` bits each (8, 16, 32 or 64), on a transcript that has the caller's context and
/// claims: `bulletproofs`' `verify_multiple` as one weighted sum (shared by the batch and
/// column verifiers).
fn accumulate_equation<R: RngCore + CryptoRng>(
    t: &mut Transcript,
    p: &Parsed,
    derived: &[(CompressedRistretto, RistrettoPoint)],
    pow2: &[Scalar],
    rng: &mut CheckedRng<'_, R>,
    Terms {
        scalars,
        points,
        shared,
    }: Terms<'_>,
) -> Result<(), VerifyError> {
    let bits = pow2.len();
    let m = derived.len();
    if !matches!(bits, 8 | 16 | 32 | 64) || !m.is_power_of_two() {
        return Err(VerifyError::Proof);
    }
    let nm = bits * m;
    let lg_nm = nm.trailing_zeros();
    if u32::from(p.rounds) != lg_nm || p.L.len() != p.R.len() || p.L.len() != usize::from(p.rounds)
    {
        return Err(VerifyError::Proof);
    }
    if shared.G.len() < nm || shared.H.len() < nm {
        return Err(VerifyError::Proof);
    }

    // RangeProof::verify_multiple_with_rng
    t.append_message(b"dom-sep", b"rangeproof v1");
    t.append_u64(b"n", bits as u64);
    t.append_u64(b"m", m as u64);
    for (c, _) in derived {
        t.append_message(b"V", c.as_bytes());
    }
    // (A, S, T_1, T_2, L, R were checked not to be the identity when the proof was decoded.)
    t.append_message(b"A", p.A.0.as_bytes());
    t.append_message(b"S", p.S.0.as_bytes());
    let y = challenge_scalar(t, b"y");
    let z = challenge_scalar(t, b"z");
    t.append_message(b"T_1", p.T_1.0.as_bytes());
    t.append_message(b"T_2", p.T_2.0.as_bytes());
    let x = challenge_scalar(t, b"x");
    t.append_message(b"t_x", p.t_x.as_bytes());
    t.append_message(b"t_x_blinding", p.t_x_blinding.as_bytes());
    t.append_message(b"e_blinding", p.e_blinding.as_bytes());
    let w = challenge_scalar(t, b"w");

    // InnerProductProof::verification_scalars
    t.append_message(b"dom-sep", b"ipp v1");
    t.append_u64(b"n", nm as u64);
    let mut u_sq = Vec::with_capacity(p.L.len());
    for (l, r) in p.L.iter().zip(&p.R) {
        t.append_message(b"L", l.0.as_bytes());
        t.append_message(b"R", r.0.as_bytes());
        u_sq.push(challenge_scalar(t, b"u"));
    }
    let mut u_inv_sq = u_sq.clone();
    let allinv = Scalar::batch_invert(&mut u_inv_sq);
    for u in u_sq.iter_mut() {
        *u = *u * *u;
    }
    for u in u_inv_sq.iter_mut() {
        *u = *u * *u;
    }
    // s_i = Π_k u_k^{±1}: s_0 = 1/(u_1…u_k), s_i = s_{i − 2^⌊lg i⌋} · u_{lg i + 1}²
    let mut s: Vec<Scalar> = Vec::with_capacity(nm);
    s.push(allinv);
    for i in 1..nm {
        let lg_i = (usize::BITS - 1 - i.leading_zeros()) as usize;
        let k = 1usize << lg_i;
        let u = u_sq.get((p.L.len() - 1) - lg_i).ok_or(VerifyError::Proof)?;
        let prev = s.get(i - k).ok_or(VerifyError::Proof)?;
        s.push(prev * u);
    }

    // The random combination inside one proof (the crate's `c`) and this proof's batch weight.
    let c = random_scalar(rng);
    let rho = random_scalar(rng);
    let a = p.a;
    let b = p.b;
    let zz = z * z;

    // delta(y, z) = (z − z²)·Σ_{i<nm} y^i − z³·Σ_{i<n} 2^i · Σ_{j<m} z^j
    let mut sum_y = Scalar::ZERO;
    let mut y_pow = Scalar::ONE;
    for _ in 0..nm {
        sum_y += y_pow;
        y_pow *= y;
    }
    let mut sum_z = Scalar::ZERO;
    let mut z_pow = Scalar::ONE;
    for _ in 0..m {
        sum_z += z_pow;
        z_pow *= z;
    }
    // Σ_{i<n} 2^i = 2^n − 1
    let sum_2 = Scalar::from(u64::MAX >> (64 - bits));
    let delta = (z - zz) * sum_y - zz * z * sum_2 * sum_z;

    // Per-proof points.
    scalars.push(rho);
    points.push(p.A.1);
    scalars.push(rho * x);
    points.push(p.S.1);
    let rho_c = rho * c;
    scalars.push(rho_c * x);
    points.push(p.T_1.1);
    scalars.push(rho_c * x * x);
    points.push(p.T_2.1);
    for (u, l) in u_sq.iter().zip(&p.L) {
        scalars.push(rho * u);
        points.push(l.1);
    }
    for (u, r) in u_inv_sq.iter().zip(&p.R) {
        scalars.push(rho * u);
        points.push(r.1);
    }
    let mut z_j = Scalar::ONE;
    for (_, v) in derived {
        if !v.is_identity() {
            scalars.push(rho_c * zz * z_j);
            points.push(*v);
        }
        z_j *= z;
    }

    // Shared points.
    shared.B_blinding += rho * (-p.e_blinding - c * p.t_x_blinding);
    shared.B += rho * (w * (p.t_x - a * b) + c * (delta - p.t_x));
    let rho_z = rho * z;
    let rho_a = rho * a;
    let rho_b = rho * b;
    let y_inv = y.invert();
    let mut y_inv_pow = Scalar::ONE;
    let mut rho_zz_zj = rho * zz;
    let mut l = 0usize;
    for _j in 0..m {
        for two_i in pow2 {
            let s_l = s.get(l).ok_or(VerifyError::Proof)?;
            let s_rev = s.get(nm - 1 - l).ok_or(VerifyError::Proof)?;
            let g = shared.G.get_mut(l).ok_or(VerifyError::Proof)?;
            *g -= rho_z + rho_a * s_l;
            let h = shared.H.get_mut(l).ok_or(VerifyError::Proof)?;
            *h += rho_z + y_inv_pow * (rho_zz_zj * two_i - rho_b * s_rev);
            y_inv_pow *= y_inv;
            l += 1;
        }
        rho_zz_zj *= z;
    }
    Ok(())
}

/// Verifies many independent proofs at once with one multiscalar multiplication (per
/// [`MAX_BATCH_CHUNK`] proofs): each proof's Bulletproofs verification equation is weighted by
/// an independent random scalar from the OS and the weighted sum is checked to be the identity.
///
/// `Ok(())` only if every proof verifies (up to a negligible probability); one opaque
/// [`VerifyError::Proof`] otherwise, whichever proof failed (verify one by one to find it).
/// Malformed claims give [`VerifyError::InvalidStatement`]. An empty batch is `Ok(())`: there
/// is nothing that fails to verify; callers that expect proofs must check that they have them.
/// Each item's transcript is consumed as [`verify`] would consume it.
pub fn verify_batch(items: &mut [BatchItem<'_>]) -> Result<(), VerifyError> {
    verify_batch_with_rng(items, &mut OsRng)
}

/// [`verify_batch`] with the caller's RNG (for tests). Crate-only (decision 0117): the batch's
/// weights must be unpredictable to whoever made the proofs, or a forged batch passes; the
/// public API draws them from the OS.
pub(crate) fn verify_batch_with_rng<R: RngCore + CryptoRng>(
    items: &mut [BatchItem<'_>],
    rng: &mut R,
) -> Result<(), VerifyError> {
    let mut rng = CheckedRng {
        inner: rng,
        failed: false,
    };
    let mut pow2 = Vec::with_capacity(BITS);
    let mut two_i = Scalar::ONE;
    for _ in 0..BITS {
        pow2.push(two_i);
        two_i += two_i;
    }
    for chunk in items.chunks_mut(MAX_BATCH_CHUNK) {
        verify_chunk(chunk, &mut rng, &pow2)?;
    }
    if rng.failed {
        return Err(VerifyError::Proof);
    }
    Ok(())
}

fn verify_chunk<R: RngCore + CryptoRng>(
    items: &mut [BatchItem<'_>],
    rng: &mut CheckedRng<'_, R>,
    pow2: &[Scalar],
) -> Result<(), VerifyError> {
    if items.is_empty() {
        return Ok(());
    }
    let mut max_m = 1usize;
    let mut per_proof = 0usize;
    for item in items.iter() {
        let m = check_claims(item.claims)?;
        max_m = max_m.max(m);
        per_proof += 4 + 2 * usize::from(item.proof.parsed.rounds) + m;
    }
    let mut shared = SharedTerms {
        B: Scalar::ZERO,
        B_blinding: Scalar::ZERO,
        G: vec![Scalar::ZERO; BITS * max_m],
        H: vec![Scalar::ZERO; BITS * max_m],
    };
    let mut scalars = Vec::with_capacity(per_proof + 2 + 2 * BITS * max_m);
    let mut points = Vec::with_capacity(per_proof + 2 + 2 * BITS * max_m);
    for item in items.iter_mut() {
        accumulate(item, rng, pow2, &mut shared, &mut scalars, &mut points)?;
    }
    let pc = pedersen_gens();
    scalars.push(shared.B);
    points.push(pc.B);
    scalars.push(shared.B_blinding);
    points.push(pc.B_blinding);
    let mut g = shared.G.chunks(BITS);
    let mut h = shared.H.chunks(BITS);
    for j in 0..max_m {
        let gens = party_gens(j).ok_or(VerifyError::Proof)?;
        let (gs, hs) = match (g.next(), h.next()) {
            (Some(gs), Some(hs)) => (gs, hs),
            _ => return Err(VerifyError::Proof),
        };
        scalars.extend_from_slice(gs);
        points.extend_from_slice(&gens.G);
        scalars.extend_from_slice(hs);
        points.extend_from_slice(&gens.H);
    }
    let check = RistrettoPoint::vartime_multiscalar_mul(&scalars, &points);
    if check.is_identity() {
        Ok(())
    } else {
        Err(VerifyError::Proof)
    }
}

mod column;
mod gens;
mod prover;
pub use column::{
    column_shape_of, prove_column, prove_column_with_rng, verify_column, ColumnShape,
    COLUMN_PROTOCOL_LABEL, MAX_COLUMN_CLAIMS, MAX_COLUMN_GENERATORS, MAX_COLUMN_PROOF_LEN,
    MAX_COLUMN_ROUNDS,
};
pub use gens::MAX_CACHED_GENERATORS;
#[cfg(test)]
mod tests;
