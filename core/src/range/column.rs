//! Column range proofs: one aggregated Bulletproofs proof that every value of a column lies in
//! its range, for up to [`MAX_COLUMN_CLAIMS`] claims (decision 0096).
//!
//! The claims are the same [`RangeClaim`]s as [`super::prove`]'s; what differs is the scale:
//!
//! * **Bit width per proof.** Every sub-proof of a column proof has one width `n` in
//!   `{8, 16, 32, 64}`: the smallest with `hi − lo < 2^n` for every claim when every claim is
//!   two-sided, else 64. With both sub-proofs `x = v − lo ∈ [0, 2^n)` and `y = hi − v ∈ [0, 2^n)`
//!   and `x + y = hi − lo` (mod ℓ, and `x + y < 2^65 ≪ ℓ`, so over the integers), `v` lies in
//!   `[lo, hi]` for any such `n`: a narrower width proves the same claim with fewer generators.
//!   The verifier recomputes `n` from the claims; it is bound in the transcript.
//! * **Generators.** The proof aggregates `m` sub-proofs (their count rounded up to a power of
//!   two) and needs `n·m` generators per vector; both prover and verifier refuse
//!   `n·m > `[`MAX_COLUMN_GENERATORS`] before building any, so a verifier's memory and time are
//!   bounded by the constants, not by the input. Generators come from a cache of per-position
//!   chains shared by every shape and bounded in memory (`gens.rs`, decision 0107).
//! * **Arithmetic.** The proof is `bulletproofs`' aggregated range proof (same transcript,
//!   equations and bytes), computed in `prover.rs` on every core; verification is one
//!   multiscalar multiplication (decision 0107).
//! * **Domain.** The transcript label is [`COLUMN_PROTOCOL_LABEL`], so a column proof is never
//!   accepted as a presentation's ordinary range proof or the other way round.
//!
//! Wire format: the one of [`AggregateRangeProof`] with `rounds = log2(n·m)` in
//! `3..=`[`MAX_COLUMN_ROUNDS`] (`docs/spec/range-proof.md`).

use super::*;

/// The protocol label appended to the caller's transcript before a column proof's claims.
pub const COLUMN_PROTOCOL_LABEL: &[u8] = b"causeway-range-column v1";
/// The most claims one column proof covers (rows of a column, over every column statement of a
/// presentation).
pub const MAX_COLUMN_CLAIMS: usize = 4096;
/// The most generators (per vector, `n·m`) a column proof may need: `2^18`, e.g. 4,096
/// two-sided claims of width ≤ 32 bits, or 2,048 of width 64.
pub const MAX_COLUMN_GENERATORS: usize = 1 << 18;
/// The most inner-product rounds of a column proof (`log2` of [`MAX_COLUMN_GENERATORS`]).
pub const MAX_COLUMN_ROUNDS: u8 = 18;
const MIN_COLUMN_ROUNDS: u8 = 3; // log2(8 · 1)

/// Largest encoded column proof: `5 + 32·(9 + 2·18)` bytes.
pub const MAX_COLUMN_PROOF_LEN: usize = 5 + 32 * (9 + 2 * MAX_COLUMN_ROUNDS as usize);

/// The shape of a column proof: bit width `n` and padded aggregation size `m`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnShape {
    /// The bit width of every sub-proof (8, 16, 32 or 64).
    pub bits: usize,
    /// The number of sub-proofs, padded to a power of two.
    pub aggregation: usize,
}

impl ColumnShape {
    /// `log2(n·m)`: the proof's inner-product rounds.
    pub fn rounds(&self) -> u32 {
        (self.bits * self.aggregation).trailing_zeros()
    }
}

/// The shape of the column proof for `claims`, or why there is none (shared by prover and
/// verifier; checked before any generator is built).
fn column_shape(claims: &[RangeClaim]) -> Result<ColumnShape, ClaimError> {
    if claims.is_empty() {
        return Err(ClaimError::Invalid("no range claims"));
    }
    if claims.len() > MAX_COLUMN_CLAIMS {
        return Err(ClaimError::TooMany);
    }
    let mut subproofs = 0usize;
    let mut widest: u128 = 0;
    let mut one_sided = false;
    for c in claims {
        match (c.lo, c.hi) {
            (None, None) => return Err(ClaimError::Invalid("range claim without bounds")),
            (Some(lo), Some(hi)) => {
                if lo > hi {
                    return Err(ClaimError::Invalid("empty range (lower bound above upper)"));
                }
                // hi − lo < 2^64 for i64 bounds
                let w = (i128::from(hi) - i128::from(lo)).unsigned_abs();
                widest = widest.max(w);
                subproofs += 2;
            }
            _ => {
                one_sided = true;
                subproofs += 1;
            }
        }
    }
    let bits = if one_sided {
        64
    } else {
        [8usize, 16, 32, 64]
            .into_iter()
            .find(|b| *b == 64 || widest < (1u128 << *b))
            .unwrap_or(64)
    };
    let aggregation = subproofs.next_power_of_two();
    if bits.saturating_mul(aggregation) > MAX_COLUMN_GENERATORS {
        return Err(ClaimError::TooMany);
    }
    Ok(ColumnShape { bits, aggregation })
}

/// The shape a column proof for `claims` has (`Err` with the prover's error when none can be
/// made: no claims, a claim without bounds, too many claims or generators).
pub fn column_shape_of(claims: &[RangeClaim]) -> Result<ColumnShape, ProveError> {
    column_shape(claims).map_err(|e| match e {
        ClaimError::TooMany => ProveError::Limit(
            "a column proof over more than 4096 claims or 2^18 generators (64-bit ranges: 2048 rows)",
        ),
        other => other.into(),
    })
}

fn bind_column_claims(t: &mut Transcript, claims: &[RangeClaim], bits: usize) {
    t.append_message(b"dom-sep", COLUMN_PROTOCOL_LABEL);
    t.append_u64(b"bits", bits as u64);
    t.append_u64(b"claims", claims.len() as u64);
    for c in claims {
        t.append_message(b"C", c.commitment.as_compressed().as_bytes());
        t.append_message(b"lo", &bound_bytes(c.lo));
        t.append_message(b"hi", &bound_bytes(c.hi));
    }
}

/// The generators for `shape`, from the shared cache (decision 0107).
fn column_gens(shape: ColumnShape) -> super::gens::ColumnGens {
    super::gens::cache().get(shape.bits, shape.aggregation)
}

/// Proves every claim of a column in one aggregated proof (`witnesses[i]` opens
/// `claims[i].commitment`), randomness from `rng`.
pub fn prove_column_with_rng<R: RngCore + CryptoRng>(
    transcript: &mut Transcript,
    claims: &[RangeClaim],
    witnesses: &[RangeWitness],
    rng: &mut R,
) -> Result<AggregateRangeProof, ProveError> {
    let shape = column_shape_of(claims)?;
    if witnesses.len() != claims.len() {
        return Err(ProveError::InvalidStatement(
            "one range witness per claim is needed",
        ));
    }
    let m = shape.aggregation;
    let mut values: Zeroizing<Vec<u64>> = Zeroizing::new(Vec::with_capacity(m));
    let mut blindings: Zeroizing<Vec<Scalar>> = Zeroizing::new(Vec::with_capacity(m));
    let limit = if shape.bits == 64 {
        u64::MAX
    } else {
        (1u64 << shape.bits) - 1
    };
    for (c, w) in claims.iter().zip(witnesses) {
        if RangeCommitment::commit(w.value, &w.blinding) != c.commitment {
            return Err(ProveError::Range(
                "the witness does not open the claim's commitment",
            ));
        }
        let v = i128::from(w.value);
        if let Some(lo) = c.lo {
            let d = u64::try_from(v - i128::from(lo)).map_err(|_| ProveError::Unsatisfied)?;
            if d > limit {
                return Err(ProveError::Unsatisfied);
            }
            values.push(d);
            blindings.push(w.blinding);
        }
        if let Some(hi) = c.hi {
            let d = u64::try_from(i128::from(hi) - v).map_err(|_| ProveError::Unsatisfied)?;
            if d > limit {
                return Err(ProveError::Unsatisfied);
            }
            values.push(d);
            blindings.push(-w.blinding);
        }
    }
    values.resize(m, 0);
    blindings.resize(m, Scalar::ZERO);
    let derived = derive_commitments(claims, m)?;
    let commitments: Vec<CompressedRistretto> = derived.iter().map(|(c, _)| *c).collect();
    let gens = column_gens(shape);
    bind_column_claims(transcript, claims, shape.bits);
    let mut rng = CheckedRng {
        inner: rng,
        failed: false,
    };
    let body = super::prover::prove(
        transcript,
        &gens,
        shape.bits,
        (&values, &blindings, &commitments),
        &mut rng,
    )?;
    if rng.failed {
        return Err(ProveError::Rng);
    }
    let rounds = u8::try_from(shape.rounds()).map_err(|_| ProveError::Range("too large"))?;
    AggregateRangeProof::from_body(rounds, &body)
        .map_err(|_| ProveError::Range("the prover produced a malformed proof"))
}

/// [`prove_column_with_rng`] with randomness from the OS.
pub fn prove_column(
    transcript: &mut Transcript,
    claims: &[RangeClaim],
    witnesses: &[RangeWitness],
) -> Result<AggregateRangeProof, ProveError> {
    prove_column_with_rng(transcript, claims, witnesses, &mut OsRng)
}

/// Verifies a column proof for `claims` on a transcript in the prover's state. The shape is
/// recomputed from the claims and bounded before any generator is built; a proof whose round
/// count does not match it fails (opaquely, [`VerifyError::Proof`]).
pub fn verify_column(
    transcript: &mut Transcript,
    claims: &[RangeClaim],
    proof: &AggregateRangeProof,
) -> Result<(), VerifyError> {
    let shape = column_shape(claims)?;
    if u32::from(proof.parsed.rounds) != shape.rounds() {
        return Err(VerifyError::Proof);
    }
    let derived = derive_commitments(claims, shape.aggregation)?;
    let gens = column_gens(shape);
    bind_column_claims(transcript, claims, shape.bits);
    let mut rng = CheckedRng {
        inner: &mut OsRng,
        failed: false,
    };
    let nm = shape.bits * shape.aggregation;
    let mut pow2 = Vec::with_capacity(shape.bits);
    let mut two_i = Scalar::ONE;
    for _ in 0..shape.bits {
        pow2.push(two_i);
        two_i += two_i;
    }
    let mut shared = SharedTerms {
        B: Scalar::ZERO,
        B_blinding: Scalar::ZERO,
        G: vec![Scalar::ZERO; nm],
        H: vec![Scalar::ZERO; nm],
    };
    let rounds = usize::from(proof.parsed.rounds);
    let mut scalars = Vec::with_capacity(2 * nm + 2 * rounds + shape.aggregation + 6);
    let mut points = Vec::with_capacity(2 * nm + 2 * rounds + shape.aggregation + 6);
    let terms = Terms {
        scalars: &mut scalars,
        points: &mut points,
        shared: &mut shared,
    };
    accumulate_equation(transcript, &proof.parsed, &derived, &pow2, &mut rng, terms)?;
    let pc = pedersen_gens();
    scalars.push(shared.B);
    points.push(pc.B);
    scalars.push(shared.B_blinding);
    points.push(pc.B_blinding);
    // The generators are read where the cache holds them (decision 0117): the scalars are
    // `[proof terms | G | H]`, the points the proof's terms, then the cached chains.
    let (g, h) = (gens.g(), gens.h());
    let terms = points.len();
    scalars.append(&mut shared.G);
    scalars.append(&mut shared.H);
    if scalars.len() != terms + g.len() + h.len() || g.len() != nm || rng.failed {
        return Err(VerifyError::Proof);
    }
    let id = RistrettoPoint::identity();
    let point = |i: usize| -> &RistrettoPoint {
        match i.checked_sub(terms) {
            None => points.get(i),
            Some(k) if k < nm => g.get(k),
            Some(k) => h.get(k - nm),
        }
        .unwrap_or(&id)
    };
    if super::prover::msm_indexed(&scalars, point).is_identity() {
        Ok(())
    } else {
        Err(VerifyError::Proof)
    }
}

impl AggregateRangeProof {
    /// Strictly decodes a column proof's bytes (as [`AggregateRangeProof::from_bytes`], with
    /// `rounds` in `3..=`[`MAX_COLUMN_ROUNDS`]).
    pub fn from_column_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > MAX_COLUMN_PROOF_LEN {
            return Err(DecodeError::TooLong {
                what: "column range proof",
                len: bytes.len(),
                max: MAX_COLUMN_PROOF_LEN,
            });
        }
        let mut r = Reader::new(bytes);
        read_header(&mut r, Tag::RangeProof, &[PROOF_VERSION])?;
        let rounds = r.u8()?;
        if !(MIN_COLUMN_ROUNDS..=MAX_COLUMN_ROUNDS).contains(&rounds) {
            return Err(DecodeError::Invalid {
                what: "column range proof rounds",
            });
        }
        let body = r.take(body_len(rounds))?;
        r.finish()?;
        Self::from_body(rounds, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng() -> OsRng {
        OsRng
    }

    fn column(values: &[i64], lo: i64, hi: i64) -> (Vec<RangeClaim>, Vec<RangeWitness>) {
        let mut r = rng();
        let mut claims = Vec::new();
        let mut ws = Vec::new();
        for v in values {
            let b = crate::commit::random_scalar(&mut r);
            claims.push(RangeClaim::between(RangeCommitment::commit(*v, &b), lo, hi));
            ws.push(RangeWitness {
                value: *v,
                blinding: b,
            });
        }
        (claims, ws)
    }

    fn t() -> Transcript {
        Transcript::new(b"column test")
    }

    #[test]
    fn shapes() {
        let (c, _) = column(&[1, 2, 3], 0, 255);
        let s = column_shape(&c).ok().unwrap();
        assert_eq!((s.bits, s.aggregation), (8, 8));
        let (c, _) = column(&[1], 0, 256);
        assert_eq!(column_shape(&c).ok().unwrap().bits, 16);
        let (c, _) = column(&[1], i64::MIN, i64::MAX);
        assert_eq!(column_shape(&c).ok().unwrap().bits, 64);
        let mut c = column(&[1], 0, 10).0;
        c.push(RangeClaim::at_least(c[0].commitment, 0));
        assert_eq!(column_shape(&c).ok().unwrap().bits, 64);
        // 4096 two-sided 32-bit claims fit, 2049 64-bit ones do not, 4097 claims never
        let one = column(&[0], 0, 10).0[0];
        let wide = RangeClaim::between(one.commitment, 0, 1 << 40);
        assert!(column_shape(&vec![RangeClaim::between(one.commitment, 0, 1 << 31); 4096]).is_ok());
        assert!(column_shape(&vec![wide; 2048]).is_ok());
        assert!(matches!(
            column_shape(&vec![wide; 2049]),
            Err(ClaimError::TooMany)
        ));
        assert!(matches!(
            column_shape(&vec![one; 4097]),
            Err(ClaimError::TooMany)
        ));
        // a verifier refuses an oversized shape before building any generator
        let (c, w) = column(&[1, 2], 0, 10);
        let p = prove_column_with_rng(&mut t(), &c, &w, &mut rng()).unwrap();
        assert!(matches!(
            verify_column(&mut t(), &vec![wide; 2049], &p),
            Err(VerifyError::InvalidStatement(_))
        ));
        assert!(matches!(
            prove_column_with_rng(
                &mut t(),
                &vec![wide; 2049],
                &vec![w[0].clone(); 2049],
                &mut rng()
            ),
            Err(ProveError::Limit(_))
        ));
    }

    #[test]
    fn round_trip_and_attacks() {
        let vals: Vec<i64> = (0..100).map(|i| i * 97 % 10_001).collect();
        let (claims, ws) = column(&vals, 0, 10_000);
        let p = prove_column_with_rng(&mut t(), &claims, &ws, &mut rng()).unwrap();
        verify_column(&mut t(), &claims, &p).unwrap();
        let bytes = p.to_bytes();
        let q = AggregateRangeProof::from_column_bytes(&bytes).unwrap();
        verify_column(&mut t(), &claims, &q).unwrap();
        // another transcript (challenge), another bound, a dropped claim, a changed byte
        assert!(verify_column(&mut Transcript::new(b"other"), &claims, &p).is_err());
        let mut c2 = claims.clone();
        c2[3].hi = Some(9_999);
        assert!(verify_column(&mut t(), &c2, &p).is_err());
        assert!(verify_column(&mut t(), &claims[1..], &p).is_err());
        for i in [5usize, 40, bytes.len() - 1] {
            let mut b = bytes.clone();
            b[i] ^= 1;
            if let Ok(q) = AggregateRangeProof::from_column_bytes(&b) {
                assert!(verify_column(&mut t(), &claims, &q).is_err());
            }
        }
        // a column proof is not an ordinary range proof (other label, other width)
        assert!(super::super::verify(&mut t(), &claims[..8], &p).is_err());
    }

    #[test]
    fn out_of_range_row_is_refused() {
        let (claims, ws) = column(&[5, 10_001, 7], 0, 10_000);
        assert_eq!(
            prove_column_with_rng(&mut t(), &claims, &ws, &mut rng()).unwrap_err(),
            ProveError::Unsatisfied
        );
        let (claims, ws) = column(&[5, -1], 0, 10_000);
        assert!(prove_column_with_rng(&mut t(), &claims, &ws, &mut rng()).is_err());
    }

    /// `range::prove` runs the in-house prover: byte for byte the `bulletproofs` crate's
    /// `prove_multiple_with_rng` from the same seed, on the same transcript.
    #[test]
    fn range_prove_is_the_crates_prover_byte_for_byte() {
        use super::super::{bind_claims, check_claims, prove_with_rng, BITS};
        let cases: [(&[i64], i64, i64); 3] = [
            (&[5, 10_000, 7], 0, 10_000),
            (&[-3, 0], -5, 5),
            (&[42], 1, 100),
        ];
        for (vals, lo, hi) in cases {
            let (claims, ws) = column(vals, lo, hi);
            let seeded = |seed| crate::test_util::TestRng::new(seed);
            let ours = prove_with_rng(&mut t(), &claims, &ws, &mut seeded(7)).unwrap();
            let m = check_claims(&claims).ok().unwrap();
            let mut values = Vec::new();
            let mut blindings = Vec::new();
            for w in &ws {
                values.push((i128::from(w.value) - i128::from(lo)) as u64);
                blindings.push(w.blinding);
                values.push((i128::from(hi) - i128::from(w.value)) as u64);
                blindings.push(-w.blinding);
            }
            values.resize(m, 0);
            blindings.resize(m, Scalar::ZERO);
            let gens = BulletproofGens::new(BITS, m);
            let mut tr = t();
            bind_claims(&mut tr, &claims);
            let (inner, _) = RangeProof::prove_multiple_with_rng(
                &gens,
                pedersen_gens(),
                &mut tr,
                &values,
                &blindings,
                BITS,
                &mut seeded(7),
            )
            .unwrap();
            let theirs = AggregateRangeProof::from_body(
                (BITS * m).trailing_zeros() as u8,
                &inner.to_bytes(),
            )
            .unwrap();
            assert_eq!(
                ours.to_bytes(),
                theirs.to_bytes(),
                "{vals:?} in [{lo}, {hi}]"
            );
        }
    }

    /// The column proof as the `bulletproofs` crate makes it (the code before decision 0107).
    fn prove_with_crate(claims: &[RangeClaim], ws: &[RangeWitness]) -> AggregateRangeProof {
        prove_with_crate_rng(claims, ws, &mut rng())
    }

    fn prove_with_crate_rng<R: RngCore + CryptoRng>(
        claims: &[RangeClaim],
        ws: &[RangeWitness],
        r: &mut R,
    ) -> AggregateRangeProof {
        let shape = column_shape(claims).ok().unwrap();
        let mut values = Vec::new();
        let mut blindings = Vec::new();
        for (c, w) in claims.iter().zip(ws) {
            values.push((i128::from(w.value) - i128::from(c.lo.unwrap())) as u64);
            blindings.push(w.blinding);
            values.push((i128::from(c.hi.unwrap()) - i128::from(w.value)) as u64);
            blindings.push(-w.blinding);
        }
        values.resize(shape.aggregation, 0);
        blindings.resize(shape.aggregation, Scalar::ZERO);
        let gens = BulletproofGens::new(shape.bits, shape.aggregation);
        let mut tr = t();
        bind_column_claims(&mut tr, claims, shape.bits);
        let (inner, _) = RangeProof::prove_multiple_with_rng(
            &gens,
            pedersen_gens(),
            &mut tr,
            &values,
            &blindings,
            shape.bits,
            r,
        )
        .unwrap();
        AggregateRangeProof::from_body(shape.rounds() as u8, &inner.to_bytes()).unwrap()
    }

    /// The crate's verifier on a column proof.
    fn verify_with_crate(claims: &[RangeClaim], p: &AggregateRangeProof) -> bool {
        let shape = column_shape(claims).ok().unwrap();
        let gens = BulletproofGens::new(shape.bits, shape.aggregation);
        let derived = derive_commitments(claims, shape.aggregation).ok().unwrap();
        let commitments: Vec<CompressedRistretto> = derived.iter().map(|(c, _)| *c).collect();
        let mut tr = t();
        bind_column_claims(&mut tr, claims, shape.bits);
        p.inner
            .verify_multiple_with_rng(
                &gens,
                pedersen_gens(),
                &mut tr,
                &commitments,
                shape.bits,
                &mut rng(),
            )
            .is_ok()
    }

    #[test]
    fn proofs_agree_with_the_bulletproofs_crate_both_ways() {
        // widths 8, 16, 32 and 64 bits; 1 to 12 claims (padding included)
        for (vals, lo, hi) in [
            (vec![0i64, 255, 7], 0i64, 255i64),
            (vec![5, 10_000, 0, 1, 2, 3, 4, 9_999], 0, 10_000),
            (vec![-3, 1 << 30], -5, 1 << 31),
            (vec![i64::MIN, i64::MAX], i64::MIN, i64::MAX),
            ((0..12).collect(), -1, 100),
        ] {
            let (claims, ws) = column(&vals, lo, hi);
            let ours = prove_column_with_rng(&mut t(), &claims, &ws, &mut rng()).unwrap();
            assert!(
                verify_with_crate(&claims, &ours),
                "crate refuses ours: {vals:?}"
            );
            verify_column(&mut t(), &claims, &ours).unwrap();
            let theirs = prove_with_crate(&claims, &ws);
            verify_column(&mut t(), &claims, &theirs).unwrap();
            // from the same seeded RNG, the crate's bytes exactly
            let seeded = |seed| crate::test_util::TestRng::new(seed);
            let ours = prove_column_with_rng(&mut t(), &claims, &ws, &mut seeded(5)).unwrap();
            let theirs = prove_with_crate_rng(&claims, &ws, &mut seeded(5));
            assert_eq!(ours.to_bytes(), theirs.to_bytes());
            // both verifiers refuse the same tampering: another bound, a changed byte
            let mut c2 = claims.clone();
            c2[0].lo = Some(lo.saturating_add(1).min(hi));
            if c2[0].lo != claims[0].lo {
                assert!(verify_column(&mut t(), &c2, &ours).is_err());
                assert!(!verify_with_crate(&c2, &ours));
            }
            let mut b = ours.to_bytes();
            let last = b.len() - 40;
            b[last] ^= 1;
            if let Ok(q) = AggregateRangeProof::from_column_bytes(&b) {
                assert!(verify_column(&mut t(), &claims, &q).is_err());
                assert!(!verify_with_crate(&claims, &q));
            }
        }
    }

    #[test]
    fn a_cache_hit_returns_the_same_generators() {
        use super::super::gens::GenCache;
        use std::sync::Arc;
        let cache = GenCache::new(64);
        let a = cache.get(16, 4);
        let b = cache.get(16, 4);
        assert_eq!(cache.points(), 64);
        assert!(a
            .cells()
            .iter()
            .zip(b.cells())
            .all(|(x, y)| Arc::ptr_eq(x, y)));
        // a narrower shape reuses the longer chains (their prefixes)
        let c = cache.get(8, 2);
        assert!(c
            .cells()
            .iter()
            .zip(a.cells())
            .all(|(x, y)| Arc::ptr_eq(x, y)));
        assert_eq!(
            c.g().to_vec(),
            a.g()
                .to_vec()
                .chunks(16)
                .take(2)
                .flat_map(|g| g[..8].to_vec())
                .collect::<Vec<_>>()
        );
        assert_eq!(cache.points(), 64);
        // the same points as the crate's chains: position 1's 'H' chain
        assert_eq!(
            c.h().to_vec()[8..16].to_vec(),
            super::super::generator_chain(&[b'H', 1, 0, 0, 0], 8)
        );
        // over the limit the cache starts again (memory bounded); held generators stay valid
        let d = cache.get(8, 8);
        assert!(cache.points() <= 64);
        assert!(!Arc::ptr_eq(&d.cells()[0], &a.cells()[0]));
        assert_eq!(d.g().to_vec()[..8].to_vec(), a.g().to_vec()[..8].to_vec());
        assert_eq!(a.g().len(), 64);
        // the process-wide cache: the same shape twice shares its chains
        let s = ColumnShape {
            bits: 8,
            aggregation: 4,
        };
        let (x, y) = (column_gens(s), column_gens(s));
        assert!(x
            .cells()
            .iter()
            .zip(y.cells())
            .all(|(p, q)| Arc::ptr_eq(p, q)));
    }

    #[test]
    fn concurrent_proofs_of_two_shapes() {
        let shapes: [(i64, usize); 2] = [(255, 20), (10_000, 40)];
        let handles: Vec<_> = shapes
            .into_iter()
            .map(|(hi, rows)| {
                std::thread::spawn(move || {
                    for round in 0..3i64 {
                        let vals: Vec<i64> =
                            (0..rows as i64).map(|i| (i * 7 + round) % hi).collect();
                        let (claims, ws) = column(&vals, 0, hi);
                        let p = prove_column_with_rng(&mut t(), &claims, &ws, &mut rng()).unwrap();
                        verify_column(&mut t(), &claims, &p).unwrap();
                        assert!(verify_with_crate(&claims, &p));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert!(super::super::gens::cache().points() <= MAX_COLUMN_GENERATORS);
    }

    /// Decision 0117: a shape that does not fit evicts only what it must. Unused positions
    /// go first (highest first); the chains a shape shares with the ones before stay the same
    /// cells; longer chains are trimmed to a prefix (no point derived again); the points kept
    /// never pass the limit, whatever the sequence of shapes; every handed-out vector holds the
    /// crate's generator chains.
    #[test]
    fn eviction_is_partial_and_bounded() {
        use super::super::gens::GenCache;
        use std::sync::Arc;
        let same = |a: &super::super::gens::ColumnGens, b: &super::super::gens::ColumnGens, k| {
            a.cells()
                .iter()
                .zip(b.cells())
                .take(k)
                .all(|(x, y)| Arc::ptr_eq(x, y))
        };
        let cache = GenCache::new(64);
        let a = cache.get(8, 4);
        let b = cache.get(8, 8);
        assert_eq!(cache.points(), 64);
        assert!(same(&a, &b, 4), "the first four positions are shared");
        // 16 × 2 needs 16 more points: positions 7 and 6 go, positions 0..6 stay
        let c = cache.get(16, 2);
        assert_eq!(cache.points(), 64);
        let d = cache.get(8, 6);
        assert!(same(&c, &d, 2), "the 16-long chains serve 8 × 6");
        assert!(d.cells()[2..]
            .iter()
            .zip(&b.cells()[2..6])
            .all(|(x, y)| Arc::ptr_eq(x, y)));
        assert_eq!(cache.points(), 64, "nothing derived for 8 × 6");
        // 8 × 8 again: positions 0, 1 (16 long) trimmed to 8, their prefix kept
        let e = cache.get(8, 8);
        assert!(cache.points() <= 64);
        assert!(!Arc::ptr_eq(&e.cells()[0], &c.cells()[0]));
        assert_eq!(e.g().to_vec()[..8].to_vec(), c.g().to_vec()[..8].to_vec());
        // held vectors stay valid after eviction
        assert_eq!(c.g().len(), 32);
        assert_eq!(b.h().len(), 64);
        for shapes in [
            [(8usize, 8usize), (16, 4), (64, 1), (32, 2), (8, 4)],
            [(64, 1), (8, 8), (16, 2), (16, 4), (32, 2)],
        ] {
            for (bits, m) in shapes {
                let g = cache.get(bits, m);
                assert!(cache.points() <= 64, "{bits} × {m}");
                let (gv, hv) = (g.g().to_vec(), g.h().to_vec());
                assert_eq!(gv.len(), bits * m);
                for j in 0..m {
                    let label = |c: u8| {
                        let mut l = [c, 0, 0, 0, 0];
                        l[1..].copy_from_slice(&(j as u32).to_le_bytes());
                        l
                    };
                    assert_eq!(
                        gv[j * bits..(j + 1) * bits].to_vec(),
                        super::super::generator_chain(&label(b'G'), bits)
                    );
                    assert_eq!(
                        hv[j * bits..(j + 1) * bits].to_vec(),
                        super::super::generator_chain(&label(b'H'), bits)
                    );
                }
            }
        }
    }

    /// Claims reordered, one repeated in place of another, or the proof checked against the
    /// claims of another column of the same length: refused.
    #[test]
    fn reordered_repeated_or_other_claims_are_refused() {
        let vals: Vec<i64> = (0..20).map(|i| i * 13 % 255).collect();
        let (claims, ws) = column(&vals, 0, 255);
        let p = prove_column_with_rng(&mut t(), &claims, &ws, &mut rng()).unwrap();
        verify_column(&mut t(), &claims, &p).unwrap();
        let mut swapped = claims.clone();
        swapped.swap(0, 1);
        assert!(verify_column(&mut t(), &swapped, &p).is_err());
        let mut repeated = claims.clone();
        repeated[1] = repeated[0];
        assert!(verify_column(&mut t(), &repeated, &p).is_err());
        let (others, _) = column(&vals, 0, 255);
        assert!(verify_column(&mut t(), &others, &p).is_err());
        // a proof with a claim repeated is its own statement: it proves and verifies as such,
        // and does not verify for the column without the repetition
        let mut rc = claims.clone();
        let mut rw = ws.clone();
        rc.push(claims[0]);
        rw.push(ws[0].clone());
        let q = prove_column_with_rng(&mut t(), &rc, &rw, &mut rng()).unwrap();
        verify_column(&mut t(), &rc, &q).unwrap();
        assert!(verify_column(&mut t(), &claims, &q).is_err());
    }

    #[test]
    fn decode_bounds() {
        let mut b = Vec::new();
        write_header(&mut b, PROOF_VERSION, Tag::RangeProof);
        b.push(19);
        b.extend_from_slice(&vec![0u8; body_len(19)]);
        assert!(AggregateRangeProof::from_column_bytes(&b).is_err());
        b[4] = 2;
        assert!(AggregateRangeProof::from_column_bytes(&b).is_err());
    }
}
