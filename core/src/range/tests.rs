use super::*;
use proptest::prelude::*;
use rand_core::{CryptoRng, RngCore};

fn blinding() -> Scalar {
    let mut wide = [0u8; 64];
    OsRng.fill_bytes(&mut wide);
    Scalar::from_bytes_mod_order_wide(&wide)
}

fn commit(value: i64) -> (RangeCommitment, RangeWitness) {
    let r = blinding();
    (
        RangeCommitment::commit(value, &r),
        RangeWitness { value, blinding: r },
    )
}

fn claim(value: i64, lo: Option<i64>, hi: Option<i64>) -> (RangeClaim, RangeWitness) {
    let (commitment, w) = commit(value);
    (RangeClaim { commitment, lo, hi }, w)
}

fn transcript(challenge: &[u8]) -> Transcript {
    let mut t = Transcript::new(b"causeway-range test");
    t.append_message(b"challenge", challenge);
    t
}

fn prove_claims(
    claims: &[RangeClaim],
    witnesses: &[RangeWitness],
) -> Result<AggregateRangeProof, ProveError> {
    prove(&mut transcript(b"chal"), claims, witnesses)
}

fn verify_claims(claims: &[RangeClaim], proof: &AggregateRangeProof) -> Result<(), VerifyError> {
    verify(&mut transcript(b"chal"), claims, proof)
}

fn batch_one(claims: &[RangeClaim], proof: &AggregateRangeProof) -> Result<(), VerifyError> {
    verify_batch(&mut [BatchItem {
        transcript: transcript(b"chal"),
        claims,
        proof,
    }])
}

/// Proves, then checks the proof verifies one by one, in a batch of one, and after a round
/// trip through its bytes.
fn prove_and_check(claims: &[RangeClaim], witnesses: &[RangeWitness]) -> AggregateRangeProof {
    let proof = prove_claims(claims, witnesses).unwrap();
    verify_claims(claims, &proof).unwrap();
    batch_one(claims, &proof).unwrap();
    let bytes = proof.to_bytes();
    let back = AggregateRangeProof::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes(), bytes);
    verify_claims(claims, &back).unwrap();
    proof
}

fn unzip(v: Vec<(RangeClaim, RangeWitness)>) -> (Vec<RangeClaim>, Vec<RangeWitness>) {
    v.into_iter().unzip()
}

#[test]
fn generators_match_the_crate() {
    let gens = BulletproofGens::new(BITS, 4);
    for j in 0..4 {
        let ours = party_gens(j).unwrap();
        let theirs: Vec<RistrettoPoint> = gens.share(j).G(BITS).copied().collect();
        assert_eq!(ours.G, theirs);
        assert_ne!(ours.G, ours.H);
    }
    assert!(party_gens(MAX_AGGREGATION).is_none());
}

#[test]
fn two_sided_boundaries() {
    let ranges: [(i64, i64); 8] = [
        (50_000, 120_000),
        (-100, 100),
        (-250, -3),
        (0, 0),
        (i64::MIN, i64::MAX),
        (i64::MIN, i64::MIN + 5),
        (i64::MAX - 5, i64::MAX),
        (-1, 1),
    ];
    for (a, b) in ranges {
        let mut inside = vec![a, b, a / 2 + b / 2];
        if a <= 0 && 0 <= b {
            inside.push(0);
        }
        for v in inside {
            let (c, w) = claim(v, Some(a), Some(b));
            prove_and_check(&[c], &[w]);
        }
        for v in [a.checked_sub(1), b.checked_add(1)].into_iter().flatten() {
            let (c, w) = claim(v, Some(a), Some(b));
            assert_eq!(
                prove_claims(&[c], &[w]).unwrap_err(),
                ProveError::Unsatisfied
            );
        }
    }
}

#[test]
fn one_sided_boundaries() {
    for bound in [700, 0, -42, i64::MIN, i64::MAX] {
        let (c, w) = claim(bound, Some(bound), None);
        prove_and_check(&[c], &[w]);
        let (c, w) = claim(bound, None, Some(bound));
        prove_and_check(&[c], &[w]);
        if let Some(below) = bound.checked_sub(1) {
            let (c, w) = claim(below, Some(bound), None);
            assert_eq!(
                prove_claims(&[c], &[w]).unwrap_err(),
                ProveError::Unsatisfied
            );
            let (c, w) = claim(below, None, Some(bound));
            prove_and_check(&[c], &[w]);
        }
        if let Some(above) = bound.checked_add(1) {
            let (c, w) = claim(above, None, Some(bound));
            assert_eq!(
                prove_claims(&[c], &[w]).unwrap_err(),
                ProveError::Unsatisfied
            );
            let (c, w) = claim(above, Some(bound), None);
            prove_and_check(&[c], &[w]);
        }
    }
    // The extremes of the width on both sides.
    let (c, w) = claim(i64::MIN, None, Some(i64::MIN));
    prove_and_check(&[c], &[w]);
    let (c, w) = claim(i64::MAX, Some(i64::MIN), None);
    prove_and_check(&[c], &[w]);
}

#[test]
fn proof_for_one_bound_does_not_verify_another() {
    let (c, w) = claim(700, Some(700), None);
    let proof = prove_and_check(&[c], &[w]);
    for lo in [701, 699, i64::MIN, 0] {
        let other = RangeClaim { lo: Some(lo), ..c };
        assert_eq!(verify_claims(&[other], &proof), Err(VerifyError::Proof));
        assert_eq!(batch_one(&[other], &proof), Err(VerifyError::Proof));
    }
    // ≥ 700 is not ≤ 700.
    let flipped = RangeClaim::at_most(c.commitment, 700);
    assert_eq!(verify_claims(&[flipped], &proof), Err(VerifyError::Proof));
}

#[test]
fn aggregation_sizes_1_to_16() {
    for k in 1..=16usize {
        let claims: Vec<_> = (0..k)
            .map(|i| {
                let v = (i as i64 - 8) * 1_000;
                match i % 3 {
                    0 => claim(v, Some(v - 5), Some(v + 5)),
                    1 => claim(v, Some(v - 1), None),
                    _ => claim(v, None, Some(v)),
                }
            })
            .collect();
        let subproofs: usize = claims
            .iter()
            .map(|(c, _)| usize::from(c.lo.is_some()) + usize::from(c.hi.is_some()))
            .sum();
        let (claims, witnesses) = unzip(claims);
        let proof = prove_and_check(&claims, &witnesses);
        let m = subproofs.next_power_of_two();
        assert_eq!(
            u32::from(proof.parsed.rounds),
            (BITS * m).trailing_zeros(),
            "k = {k}"
        );
        assert_eq!(proof.to_bytes().len(), 5 + body_len(proof.parsed.rounds));
    }
}

#[test]
fn padding_is_hidden_and_sound() {
    // 3 sub-proofs, padded to 4 with a proof of 0 on the identity.
    let (c1, w1) = claim(5, Some(0), Some(10));
    let (c2, w2) = claim(-5, None, Some(0));
    let proof = prove_and_check(&[c1, c2], &[w1, w2]);
    assert_eq!(proof.parsed.rounds, 8);
    // A fourth sub-proof on a commitment whose derived value is the identity (a commitment to
    // 0 with blinding 0, claim ≥ 0) is a different statement: refused.
    let zero = RangeClaim::at_least(RangeCommitment::commit(0, &Scalar::ZERO), 0);
    assert_eq!(
        verify_claims(&[c1, c2, zero], &proof),
        Err(VerifyError::Proof)
    );
    // Dropping a claim changes m: refused.
    assert_eq!(verify_claims(&[c1], &proof), Err(VerifyError::Proof));
    assert_eq!(verify_claims(&[c2], &proof), Err(VerifyError::Proof));
    // The identity commitment itself can be the subject of an honest claim.
    let (zc, zw) = (
        RangeClaim::between(RangeCommitment::commit(0, &Scalar::ZERO), 0, 0),
        RangeWitness {
            value: 0,
            blinding: Scalar::ZERO,
        },
    );
    prove_and_check(&[zc], &[zw]);
}

#[test]
fn transcript_binds_every_element() {
    let (claims, witnesses) = unzip(vec![
        claim(720, Some(700), None),
        claim(80_000, Some(50_000), Some(120_000)),
        claim(-3, None, Some(0)),
    ]);
    let proof = prove_and_check(&claims, &witnesses);
    let mut mutants: Vec<(&str, Vec<RangeClaim>, Transcript)> = Vec::new();
    let other = commit(720).0;
    for i in 0..claims.len() {
        let mut c = claims.clone();
        c[i].commitment = other;
        mutants.push(("commitment", c, transcript(b"chal")));
        for delta in [-1i64, 1] {
            if let Some(lo) = claims[i].lo {
                let mut c = claims.clone();
                c[i].lo = Some(lo + delta);
                mutants.push(("lo", c, transcript(b"chal")));
            }
            if let Some(hi) = claims[i].hi {
                let mut c = claims.clone();
                c[i].hi = Some(hi + delta);
                mutants.push(("hi", c, transcript(b"chal")));
            }
        }
        // Dropping or adding a bound.
        let mut c = claims.clone();
        if c[i].lo.is_some() && c[i].hi.is_some() {
            c[i].hi = None;
        } else if c[i].lo.is_none() {
            c[i].lo = Some(i64::MIN);
        } else {
            c[i].hi = Some(i64::MAX);
        }
        mutants.push(("bound presence", c, transcript(b"chal")));
    }
    let mut swapped = claims.clone();
    swapped.swap(0, 2);
    mutants.push(("order", swapped, transcript(b"chal")));
    mutants.push(("challenge", claims.clone(), transcript(b"chal2")));
    mutants.push((
        "no challenge",
        claims.clone(),
        Transcript::new(b"causeway-range test"),
    ));
    mutants.push((
        "label",
        claims.clone(),
        Transcript::new(b"causeway-range test2"),
    ));
    let mut extra = transcript(b"chal");
    extra.append_message(b"attestation", b"another");
    mutants.push(("extra context", claims.clone(), extra));
    assert!(mutants.len() >= 15);
    for (what, c, t) in mutants {
        let mut t1 = t.clone();
        assert_eq!(
            verify(&mut t1, &c, &proof),
            Err(VerifyError::Proof),
            "{what}"
        );
        let res = verify_batch(&mut [BatchItem {
            transcript: t,
            claims: &c,
            proof: &proof,
        }]);
        assert_eq!(res, Err(VerifyError::Proof), "{what} (batch)");
    }
}

#[test]
fn bad_statements_are_typed_errors() {
    let (c, w) = claim(5, Some(0), Some(10));
    assert!(matches!(
        prove_claims(&[], &[]),
        Err(ProveError::InvalidStatement(_))
    ));
    assert!(matches!(
        prove_claims(&[c], &[]),
        Err(ProveError::InvalidStatement(_))
    ));
    let unbounded = RangeClaim {
        lo: None,
        hi: None,
        ..c
    };
    assert!(matches!(
        prove_claims(&[unbounded], std::slice::from_ref(&w)),
        Err(ProveError::InvalidStatement(_))
    ));
    let inverted = RangeClaim {
        lo: Some(10),
        hi: Some(0),
        ..c
    };
    assert!(matches!(
        prove_claims(&[inverted], std::slice::from_ref(&w)),
        Err(ProveError::InvalidStatement(_))
    ));
    let wrong = RangeWitness {
        value: 6,
        blinding: w.blinding,
    };
    assert!(matches!(
        prove_claims(&[c], &[wrong]),
        Err(ProveError::Range(_))
    ));
    let many: Vec<RangeClaim> = vec![c; MAX_CLAIMS + 1];
    let many_w: Vec<RangeWitness> = (0..=MAX_CLAIMS).map(|_| w.clone()).collect();
    assert!(matches!(
        prove_claims(&many, &many_w),
        Err(ProveError::Limit(_))
    ));

    let proof = prove_and_check(&[c], std::slice::from_ref(&w));
    for bad in [vec![], vec![unbounded], vec![inverted], many] {
        assert!(matches!(
            verify_claims(&bad, &proof),
            Err(VerifyError::InvalidStatement(_))
        ));
        assert!(matches!(
            batch_one(&bad, &proof),
            Err(VerifyError::InvalidStatement(_))
        ));
    }
}

#[test]
fn max_claims_aggregate() {
    let (claims, witnesses) = unzip(
        (0..MAX_CLAIMS as i64)
            .map(|i| claim(i, Some(i - 1), Some(i + 1)))
            .collect(),
    );
    let proof = prove_and_check(&claims, &witnesses);
    assert_eq!(proof.parsed.rounds, MAX_ROUNDS);
}

#[test]
fn randomness_failure_is_an_error() {
    struct Broken;
    impl RngCore for Broken {
        fn next_u32(&mut self) -> u32 {
            0
        }
        fn next_u64(&mut self) -> u64 {
            0
        }
        fn fill_bytes(&mut self, _: &mut [u8]) {
            panic!("fill_bytes must not be called")
        }
        fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), rand_core::Error> {
            Err(std::num::NonZeroU32::new(rand_core::Error::CUSTOM_START)
                .unwrap()
                .into())
        }
    }
    impl CryptoRng for Broken {}
    let (c, w) = claim(5, Some(0), None);
    assert_eq!(
        prove_with_rng(
            &mut transcript(b"x"),
            &[c],
            std::slice::from_ref(&w),
            &mut Broken
        )
        .unwrap_err(),
        ProveError::Rng
    );
    let proof = prove_claims(&[c], &[w]).unwrap();
    assert_eq!(
        verify_with_rng(&mut transcript(b"chal"), &[c], &proof, &mut Broken),
        Err(VerifyError::Proof)
    );
    let mut items = [BatchItem {
        transcript: transcript(b"chal"),
        claims: &[c],
        proof: &proof,
    }];
    assert_eq!(
        verify_batch_with_rng(&mut items, &mut Broken),
        Err(VerifyError::Proof)
    );
}

#[test]
fn witness_debug_is_redacted() {
    let (_, w) = claim(123_456_789, None, None);
    let s = format!("{w:?}");
    assert!(!s.contains("123456789"));
}

// ---------------------------------------------------------------------------------------------
// Decoding

const L_BYTES: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

fn fixture() -> &'static (Vec<RangeClaim>, AggregateRangeProof) {
    static F: OnceLock<(Vec<RangeClaim>, AggregateRangeProof)> = OnceLock::new();
    F.get_or_init(|| {
        let (claims, witnesses) = unzip(vec![
            claim(30, Some(18), Some(65)),
            claim(-7, None, Some(-7)),
        ]);
        let proof = prove_claims(&claims, &witnesses).unwrap();
        (claims, proof)
    })
}

#[test]
fn strict_decoding() {
    let (claims, proof) = fixture();
    let good = proof.to_bytes();
    assert_eq!(&good[..4], b"CW\x01\x28");
    let decode = |b: &[u8]| AggregateRangeProof::from_bytes(b).map(|_| ());
    // Length: every truncation and one extra byte.
    for n in 0..good.len() {
        assert!(decode(&good[..n]).is_err(), "truncated to {n}");
    }
    let mut long = good.clone();
    long.push(0);
    assert_eq!(decode(&long), Err(DecodeError::TrailingData));
    // Rounds outside 6..=13.
    for r in [0u8, 5, 14, 255] {
        let mut b = good.clone();
        b[4] = r;
        assert!(decode(&b).is_err());
    }
    let mut b = good.clone();
    b[4] = 14;
    assert!(matches!(decode(&b), Err(DecodeError::TooLong { .. })));
    // Header.
    let mut b = good.clone();
    b[2] = 2;
    assert_eq!(
        decode(&b),
        Err(DecodeError::UnsupportedVersion { found: 2 })
    );
    let mut b = good.clone();
    b[3] = Tag::Record as u8;
    assert!(matches!(decode(&b), Err(DecodeError::UnexpectedTag { .. })));
    // Each scalar: ℓ (non-canonical) and all-ones.
    let rounds = usize::from(proof.parsed.rounds);
    let scalar_offsets: Vec<usize> = [4usize, 5, 6, 9 + 2 * rounds - 2, 9 + 2 * rounds - 1]
        .iter()
        .map(|i| 5 + 32 * i)
        .collect();
    for off in &scalar_offsets {
        for bad in [L_BYTES, [0xff; 32]] {
            let mut b = good.clone();
            b[*off..off + 32].copy_from_slice(&bad);
            assert!(matches!(decode(&b), Err(DecodeError::Invalid { .. })));
        }
    }
    // Each point: the identity, a non-canonical encoding, a non-point.
    let mut point_offsets: Vec<usize> = (0..4).map(|i| 5 + 32 * i).collect();
    point_offsets.extend((0..2 * rounds).map(|i| 5 + 32 * (7 + i)));
    for off in point_offsets {
        for bad in [[0u8; 32], [0xff; 32], {
            let mut x = [0u8; 32];
            x[0] = 1;
            x
        }] {
            let mut b = good.clone();
            b[off..off + 32].copy_from_slice(&bad);
            assert!(
                matches!(decode(&b), Err(DecodeError::Invalid { .. })),
                "offset {off}"
            );
        }
    }
    // And the good one still verifies.
    verify_claims(claims, &AggregateRangeProof::from_bytes(&good).unwrap()).unwrap();
}

#[test]
fn wrong_size_proof_is_refused_by_verifier() {
    let (claims, proof) = fixture();
    // The fixture has 3 sub-proofs (m = 4); a single one-sided claim wants m = 1.
    assert_eq!(verify_claims(&claims[1..], proof), Err(VerifyError::Proof));
    assert_eq!(batch_one(&claims[1..], proof), Err(VerifyError::Proof));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1200, ..ProptestConfig::default() })]

    /// Mutated valid proofs: one to three bytes replaced anywhere (header, rounds, points,
    /// scalars). Either a typed decode error or a verification failure; never a panic, never
    /// success.
    #[test]
    fn mutated_proofs_are_rejected(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)
    ) {
        let (claims, proof) = fixture();
        let mut b = proof.to_bytes();
        for (i, v) in &edits {
            let i = i.index(b.len());
            b[i] ^= v.max(&1);
        }
        match AggregateRangeProof::from_bytes(&b) {
            Err(_) => {}
            Ok(p) => {
                prop_assert_eq!(verify_claims(claims, &p), Err(VerifyError::Proof));
                prop_assert_eq!(batch_one(claims, &p), Err(VerifyError::Proof));
            }
        }
    }

    /// Random bytes, with or without a valid header and length.
    #[test]
    fn random_bytes_are_rejected(
        body in proptest::collection::vec(any::<u8>(), 0..1200),
        rounds in 0u8..20,
        header in any::<bool>(),
    ) {
        let mut b = Vec::new();
        if header {
            b.extend_from_slice(b"CW\x01\x28");
            b.push(rounds);
        }
        b.extend_from_slice(&body);
        let _ = AggregateRangeProof::from_bytes(&b);
        // A body of exactly the right length: random points and scalars are almost always
        // refused, but not always (a body of one repeated byte such as 0x06 is a canonical
        // scalar and a valid Ristretto point in every slot); whatever decodes is canonical.
        let mut exact = b"CW\x01\x28".to_vec();
        let r = rounds.clamp(MIN_ROUNDS, MAX_ROUNDS);
        exact.push(r);
        exact.extend(body.iter().cycle().take(body_len(r)));
        if body.is_empty() {
            exact.resize(5 + body_len(r), 0);
        }
        if let Ok(p) = AggregateRangeProof::from_bytes(&exact) {
            prop_assert_eq!(p.to_bytes(), exact);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Batch verification against one-by-one verification

struct Case {
    claims: Vec<RangeClaim>,
    proof: AggregateRangeProof,
    challenge: Vec<u8>,
}

fn valid_cases(n: usize) -> Vec<Case> {
    (0..n)
        .map(|i| {
            let k = 1 + i % 3;
            let (claims, witnesses) = unzip(
                (0..k)
                    .map(|j| {
                        let v = (i * 31 + j) as i64 - 40;
                        match (i + j) % 3 {
                            0 => claim(v, Some(v - 3), Some(v + 3)),
                            1 => claim(v, Some(v - 100), None),
                            _ => claim(v, None, Some(v + 100)),
                        }
                    })
                    .collect(),
            );
            let challenge = format!("challenge {i}").into_bytes();
            let proof = prove(&mut transcript(&challenge), &claims, &witnesses).unwrap();
            Case {
                claims,
                proof,
                challenge,
            }
        })
        .collect()
}

fn cases() -> &'static Vec<Case> {
    static C: OnceLock<Vec<Case>> = OnceLock::new();
    C.get_or_init(|| valid_cases(12))
}

fn items(cases: &[&'static Case]) -> Vec<BatchItem<'static>> {
    cases
        .iter()
        .map(|c| BatchItem {
            transcript: transcript(&c.challenge),
            claims: &c.claims,
            proof: &c.proof,
        })
        .collect()
}

fn one_by_one(items: &[BatchItem<'_>]) -> bool {
    items.iter().all(|it| {
        let mut t = it.transcript.clone();
        verify(&mut t, it.claims, it.proof).is_ok()
    })
}

#[test]
fn batch_of_valid_proofs_verifies() {
    let all: Vec<&'static Case> = cases().iter().collect();
    let mut its = items(&all);
    assert!(one_by_one(&its));
    verify_batch(&mut its).unwrap();
    // Mixed sizes (m = 1, 2, 4 in one batch) and repeated proofs.
    let mut twice = items(&[all[2], all[0], all[2], all[1]]);
    verify_batch(&mut twice).unwrap();
}

#[test]
fn empty_batch_is_ok() {
    assert_eq!(verify_batch(&mut []), Ok(()));
}

#[test]
fn batch_with_one_bad_proof_fails() {
    let all: Vec<&'static Case> = cases().iter().collect();
    for bad in 0..all.len() {
        // Wrong challenge.
        let mut its = items(&all);
        its[bad].transcript = transcript(b"another challenge");
        assert!(!one_by_one(&its));
        assert_eq!(
            verify_batch(&mut its),
            Err(VerifyError::Proof),
            "challenge {bad}"
        );

        // Another case's proof in this slot (wrong statement).
        let mut its = items(&all);
        let other = (bad + 3) % all.len();
        its[bad].proof = &all[other].proof;
        assert!(!one_by_one(&its));
        assert_eq!(
            verify_batch(&mut its),
            Err(VerifyError::Proof),
            "swap {bad}"
        );
    }
}

#[test]
fn batch_with_tampered_scalar_fails() {
    // t_x + 1, a + 1, e_blinding + 1, ...: canonical, decodes, wrong.
    let all: Vec<&'static Case> = cases().iter().collect();
    let case = all[4];
    let rounds = usize::from(case.proof.parsed.rounds);
    for idx in [4usize, 5, 6, 7 + 2 * rounds, 8 + 2 * rounds] {
        let mut bytes = case.proof.to_bytes();
        let off = 5 + 32 * idx;
        let s = Scalar::from_canonical_bytes(bytes[off..off + 32].try_into().unwrap()).unwrap();
        bytes[off..off + 32].copy_from_slice((s + Scalar::ONE).as_bytes());
        let tampered = AggregateRangeProof::from_bytes(&bytes).unwrap();
        assert_eq!(
            verify(&mut transcript(&case.challenge), &case.claims, &tampered),
            Err(VerifyError::Proof)
        );
        let mut its = items(&all);
        its[4].proof = &tampered;
        assert_eq!(
            verify_batch(&mut its),
            Err(VerifyError::Proof),
            "scalar {idx}"
        );
    }
    // A point replaced by another valid point (A := S).
    let mut bytes = case.proof.to_bytes();
    let s_bytes: [u8; 32] = bytes[5 + 32..5 + 64].try_into().unwrap();
    bytes[5..5 + 32].copy_from_slice(&s_bytes);
    let tampered = AggregateRangeProof::from_bytes(&bytes).unwrap();
    let mut its = items(&all);
    its[4].proof = &tampered;
    assert_eq!(verify_batch(&mut its), Err(VerifyError::Proof));
}

#[test]
fn batch_with_wrong_commitment_fails() {
    let all: Vec<&'static Case> = cases().iter().collect();
    let mut claims = all[5].claims.clone();
    claims[0].commitment = commit(1).0;
    let mut its = items(&all);
    its[5].claims = Box::leak(claims.into_boxed_slice());
    assert!(!one_by_one(&its));
    assert_eq!(verify_batch(&mut its), Err(VerifyError::Proof));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random subsets of valid proofs with random corruptions: the batch verdict equals the
    /// conjunction of the one-by-one verdicts.
    #[test]
    fn batch_agrees_with_one_by_one(
        picks in proptest::collection::vec((0usize..12, 0u8..6), 1..10)
    ) {
        let all = cases();
        let mut its: Vec<BatchItem<'static>> = Vec::new();
        for (i, corrupt) in &picks {
            let c = &all[*i];
            let mut item = BatchItem {
                transcript: transcript(&c.challenge),
                claims: &c.claims,
                proof: &c.proof,
            };
            match corrupt {
                0 => item.transcript = transcript(b"wrong"),
                1 => item.proof = &all[(i + 1) % all.len()].proof,
                _ => {}
            }
            its.push(item);
        }
        let expected = one_by_one(&its);
        prop_assert_eq!(verify_batch(&mut its).is_ok(), expected);
    }
}
