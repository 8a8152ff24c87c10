//! Differential tests against `ark_ec::VariableBaseMSM::msm`.

use super::*;
use crate::testing::TestRng as Rng;
use ark_bn254::{G1Projective, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{BigInteger, Field, UniformRand};
use proptest::prelude::*;
use rand_core::RngCore;

fn rng(seed: u64) -> Rng {
    Rng::new(seed)
}

/// Random points, built cheaply: multiples of random points from a few scalar multiplications.
fn points(n: usize, seed: u64) -> Vec<G1Affine> {
    super::tests_table::points::<ark_bn254::g1::Config>(n, seed)
}

fn reference(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    G1Projective::msm(bases, scalars).unwrap()
}

fn assert_agrees(bases: &[G1Affine], scalars: &[Fr], what: &str) {
    let want = reference(bases, scalars);
    assert_eq!(msm_g1(bases, scalars).unwrap(), want, "{what}: parallel");
    assert_eq!(
        msm_g1_serial(bases, scalars).unwrap(),
        want,
        "{what}: serial"
    );
    let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
    assert_eq!(
        msm_g1_bigint(bases, &bigints).unwrap(),
        want,
        "{what}: bigint"
    );
}

fn minus_one() -> Fr {
    -Fr::ONE
}

/// Witness-like: mostly 0 and 1, some bytes and u64s, a few full-width.
pub(super) fn witness_scalars(n: usize, seed: u64) -> Vec<Fr> {
    let mut r = rng(seed);
    (0..n)
        .map(|_| match r.next_u32() % 100 {
            0..=44 => Fr::ZERO,
            45..=84 => Fr::ONE,
            85..=89 => Fr::from(r.next_u32() as u8 as u64),
            90..=94 => Fr::from(r.next_u64()),
            _ => Fr::rand(&mut r),
        })
        .collect()
}

#[test]
fn random_scalars_agree_across_sizes() {
    for (i, n) in [0usize, 1, 2, 3, 7, 31, 32, 33, 100, 257, 1000, 4097]
        .into_iter()
        .enumerate()
    {
        let bases = points(n, 1 + i as u64);
        let mut r = rng(100 + i as u64);
        let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
        assert_agrees(&bases, &scalars, &format!("random n={n}"));
    }
}

#[test]
fn large_random_and_witness_inputs_agree() {
    let n = 1 << 14;
    let bases = points(n, 7);
    let mut r = rng(8);
    let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    assert_agrees(&bases, &scalars, "random 2^14");
    assert_agrees(&bases, &witness_scalars(n, 9), "witness 2^14");
}

#[test]
fn empty_input_is_the_identity() {
    assert!(msm_g1(&[], &[]).unwrap().is_zero());
    assert!(msm_g1_serial(&[], &[]).unwrap().is_zero());
}

#[test]
fn mismatched_lengths_are_a_typed_error() {
    let bases = points(3, 1);
    let e = msm_g1(&bases, &[Fr::ONE, Fr::ONE]).unwrap_err();
    assert_eq!(
        e,
        SnarkError::MsmLengthMismatch {
            bases: 3,
            scalars: 2
        }
    );
    assert_eq!(e.code(), "snark.msm_length_mismatch");
    assert!(msm_g1_serial(&bases[..1], &[Fr::ONE, Fr::ONE]).is_err());
    assert!(msm_g1_bigint(&bases, &[]).is_err());
    assert!(msm_g1(&[], &[Fr::ONE]).is_err());
}

#[test]
fn too_many_points_is_a_typed_error() {
    assert_eq!(
        check(MAX_MSM_POINTS + 1, MAX_MSM_POINTS + 1),
        Err(SnarkError::MsmTooLarge {
            len: MAX_MSM_POINTS + 1,
            max: MAX_MSM_POINTS
        })
    );
    assert_eq!(check(MAX_MSM_POINTS, MAX_MSM_POINTS), Ok(()));
}

#[test]
fn adversarial_scalars_agree() {
    let n = 600;
    let bases = points(n, 11);
    let cases: Vec<(&str, Vec<Fr>)> = vec![
        ("all zero", vec![Fr::ZERO; n]),
        ("all one", vec![Fr::ONE; n]),
        ("all r-1", vec![minus_one(); n]),
        ("all two", vec![Fr::from(2u64); n]),
        ("all 2^63", vec![Fr::from(1u64 << 63); n]),
        ("all u64::MAX", vec![Fr::from(u64::MAX); n]),
        (
            "alternating r-1 and 1",
            (0..n)
                .map(|i| if i % 2 == 0 { minus_one() } else { Fr::ONE })
                .collect(),
        ),
        (
            "powers of two",
            (0..n)
                .map(|i| Fr::from(2u64).pow([i as u64 % 254]))
                .collect(),
        ),
        (
            "window boundary patterns",
            (0..n)
                .map(|i| {
                    // 2^k − 1 and 2^k: runs of ones that exercise every carry.
                    let k = (i % 254) as u64;
                    let p = Fr::from(2u64).pow([k]);
                    if i % 2 == 0 {
                        p - Fr::ONE
                    } else {
                        p
                    }
                })
                .collect(),
        ),
        ("witness-like", witness_scalars(n, 12)),
    ];
    for (what, scalars) in cases {
        assert_agrees(&bases, &scalars, what);
    }
}

#[test]
fn repeated_and_cancelling_bases_agree() {
    let n = 513;
    let p = points(1, 21)[0];
    let mut r = rng(22);
    // One base repeated: every window puts many points in the same bucket (collisions,
    // doublings).
    let same = vec![p; n];
    let random: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    assert_agrees(&same, &random, "repeated base, random scalars");
    assert_agrees(
        &same,
        &vec![Fr::from(5u64); n],
        "repeated base, equal scalars",
    );
    assert_agrees(&same, &vec![Fr::ONE; n], "repeated base, ones");
    assert_agrees(&same, &vec![minus_one(); n], "repeated base, r-1");
    // P and −P alternating with equal scalars: buckets cancel to infinity and refill.
    let pm: Vec<G1Affine> = (0..n).map(|i| if i % 2 == 0 { p } else { -p }).collect();
    assert_agrees(&pm, &vec![Fr::from(3u64); n], "P, -P, equal scalars");
    assert_agrees(&pm, &vec![Fr::ONE; n], "P, -P, ones");
    assert_agrees(&pm, &random, "P, -P, random");
    // Sums that hit the identity midway and doublings in the ones tree.
    let few = points(4, 23);
    let mut mixed = Vec::new();
    for i in 0..n {
        mixed.push(few[i % 4]);
    }
    assert_agrees(&mixed, &vec![Fr::ONE; n], "four bases repeated, ones");
    assert_agrees(&mixed, &random, "four bases repeated, random");
}

#[test]
fn bases_at_infinity_agree() {
    let n = 300;
    let mut bases = points(n, 31);
    for (i, b) in bases.iter_mut().enumerate() {
        if i % 3 == 0 {
            *b = G1Affine::identity();
        }
    }
    let mut r = rng(32);
    let random: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    assert_agrees(&bases, &random, "infinity, random");
    assert_agrees(&bases, &witness_scalars(n, 33), "infinity, witness");
    let all_inf = vec![G1Affine::identity(); 50];
    assert_agrees(&all_inf, &random[..50], "all infinity");
}

#[test]
fn unreduced_bigints_use_all_256_bits() {
    // 2^255 + 2^254 + 1 as an integer (above r): the result must be that multiple, not a
    // truncation.
    let bases = points(3, 41);
    let big = BigInt::<4>([1, 0, 0, 0b11 << 62]);
    let scalars = [
        big,
        BigInt::<4>([0, 0, 0, u64::MAX]),
        BigInt::<4>([7, 0, 0, 0]),
    ];
    let got = msm_g1_bigint(&bases, &scalars).unwrap();
    let want: G1Projective = bases
        .iter()
        .zip(&scalars)
        .map(|(b, s)| G1Projective::from(*b).mul_bigint(s))
        .sum();
    assert_eq!(got, want);
    assert_eq!(scalars[0].num_bits(), 256);
}

#[test]
fn booth_digits_recompose_the_scalar() {
    let mut r = rng(51);
    for c in 2..=16usize {
        for bits in [1usize, 8, 64, 254, 256] {
            let mut s = [r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64()];
            // Keep `bits` bits.
            for (i, limb) in s.iter_mut().enumerate() {
                let lo = i * 64;
                if lo >= bits {
                    *limb = 0;
                } else if bits - lo < 64 {
                    *limb &= (1u64 << (bits - lo)) - 1;
                }
            }
            let windows = (bits + 1).div_ceil(c);
            let mut acc = Fr::ZERO;
            for w in (0..windows).rev() {
                let d = booth_digit(&s, c, w);
                assert!(d.unsigned_abs() <= 1 << (c - 1), "c={c} w={w} d={d}");
                for _ in 0..c {
                    acc.double_in_place();
                }
                acc += if d >= 0 {
                    Fr::from(d as u64)
                } else {
                    -Fr::from(d.unsigned_abs())
                };
            }
            assert_eq!(
                acc,
                Fr::from_le_bytes_mod_order(&BigInt::<4>(s).to_bytes_le())
            );
        }
    }
}

#[test]
fn window_width_grows_with_n_and_shrinks_with_bits() {
    assert!(window_bits(1 << 16, 254) >= window_bits(1 << 10, 254));
    assert!(window_bits(1 << 16, 8) >= 8);
    for n in [1usize, 2, 100, 1 << 20] {
        let c = window_bits(n, 254);
        assert!((2..=16).contains(&c));
        // Never wider than the scalars + Booth's bit: wider windows only add empty buckets
        // (bytes once took c = 12, whose batches never filled).
        for bits in [2usize, 8, 16] {
            assert!(window_bits(n, bits) <= bits + 1, "n={n} bits={bits}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn agrees_with_arkworks_on_mixed_sizes(
        seed in any::<u64>(),
        n in 0usize..200,
        kinds in proptest::collection::vec(0u8..6, 200),
        repeat in any::<bool>(),
    ) {
        let mut bases = points(n, seed);
        if repeat && n > 2 {
            for i in (0..n).step_by(3) {
                bases[i] = bases[0];
            }
        }
        let mut r = rng(seed ^ 0x5eed);
        let scalars: Vec<Fr> = (0..n)
            .map(|i| match kinds[i] {
                0 => Fr::ZERO,
                1 => Fr::ONE,
                2 => Fr::from(r.next_u32() as u16 as u64),
                3 => Fr::from(r.next_u64()),
                4 => minus_one() - Fr::from(r.next_u32() as u8 as u64),
                _ => Fr::rand(&mut r),
            })
            .collect();
        let want = reference(&bases, &scalars);
        prop_assert_eq!(msm_g1(&bases, &scalars).unwrap(), want);
        prop_assert_eq!(msm_g1_serial(&bases, &scalars).unwrap(), want);
    }
}

#[test]
fn chosen_windows_for_the_benchmarked_sizes() {
    // Printed for the decision record; the assertions only bound them.
    for log in [12u32, 14, 16, 20] {
        let n = 1usize << log;
        let c = window_bits(n, 254);
        let b = batch_size(1 << (c - 1));
        eprintln!(
            "n=2^{log}: c={c}, batch={b}, bytes: c={}",
            window_bits(n, 8)
        );
        assert!((8..=16).contains(&c));
        assert!((16..=1024).contains(&b));
    }
}

// ------------------------------------------------------------------------------------------
// G2: the same code over Fq2, against ark-ec's G2 MSM.

fn points_g2(n: usize, seed: u64) -> Vec<G2Affine> {
    let mut r = rng(seed);
    let g = G2Projective::generator();
    let mut acc = g * Fr::rand(&mut r);
    let step = g * Fr::rand(&mut r);
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        if i % 64 == 0 {
            acc = g * Fr::rand(&mut r);
        }
        acc += step;
        v.push(acc);
    }
    G2Projective::normalize_batch(&v)
}

fn assert_agrees_g2(bases: &[G2Affine], scalars: &[Fr], what: &str) {
    let want = G2Projective::msm(bases, scalars).unwrap();
    assert_eq!(msm_g2(bases, scalars).unwrap(), want, "{what}: G2 parallel");
    assert_eq!(
        msm_g2_serial(bases, scalars).unwrap(),
        want,
        "{what}: G2 serial"
    );
    let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
    assert_eq!(
        msm_g2_bigint(bases, &bigints).unwrap(),
        want,
        "{what}: G2 bigint"
    );
    assert_eq!(
        msm_g2_bigint_with(bases, &bigints, false).unwrap(),
        want,
        "{what}: G2 bigint serial"
    );
}

#[test]
fn g2_random_scalars_agree_across_sizes() {
    for (i, n) in [0usize, 1, 2, 3, 7, 33, 257, 1000, 2049]
        .into_iter()
        .enumerate()
    {
        let bases = points_g2(n, 301 + i as u64);
        let mut r = rng(400 + i as u64);
        let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
        assert_agrees_g2(&bases, &scalars, &format!("G2 random n={n}"));
        assert_agrees_g2(
            &bases,
            &witness_scalars(n, 500 + i as u64),
            &format!("G2 witness n={n}"),
        );
    }
}

#[test]
fn g2_adversarial_inputs_agree() {
    let n = 300;
    let bases = points_g2(n, 61);
    let mut r = rng(62);
    let random: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    for (what, scalars) in [
        ("all zero", vec![Fr::ZERO; n]),
        ("all one", vec![Fr::ONE; n]),
        ("all r-1", vec![minus_one(); n]),
        ("all u64::MAX", vec![Fr::from(u64::MAX); n]),
        (
            "alternating r-1 and 1",
            (0..n)
                .map(|i| if i % 2 == 0 { minus_one() } else { Fr::ONE })
                .collect(),
        ),
        (
            "bytes",
            (0..n).map(|i| Fr::from((i % 256) as u64)).collect(),
        ),
    ] {
        assert_agrees_g2(&bases, &scalars, what);
    }
    // Repeated and cancelling bases: collisions, doublings, P + (−P).
    let p = bases[0];
    let same = vec![p; n];
    assert_agrees_g2(&same, &random, "G2 repeated base, random");
    assert_agrees_g2(&same, &vec![Fr::from(5u64); n], "G2 repeated base, equal");
    assert_agrees_g2(&same, &vec![Fr::ONE; n], "G2 repeated base, ones");
    let pm: Vec<G2Affine> = (0..n).map(|i| if i % 2 == 0 { p } else { -p }).collect();
    assert_agrees_g2(&pm, &vec![Fr::from(3u64); n], "G2 P, -P, equal");
    assert_agrees_g2(&pm, &vec![Fr::ONE; n], "G2 P, -P, ones");
    // Points at infinity.
    let mut inf = bases.clone();
    for (i, b) in inf.iter_mut().enumerate() {
        if i % 3 == 0 {
            *b = G2Affine::identity();
        }
    }
    assert_agrees_g2(&inf, &random, "G2 infinity, random");
    assert_agrees_g2(&inf, &witness_scalars(n, 63), "G2 infinity, witness");
    // Errors as for G1.
    assert_eq!(
        msm_g2(&bases[..2], &[Fr::ONE]).unwrap_err().code(),
        "snark.msm_length_mismatch"
    );
    assert!(msm_g2_serial(&[], &[]).unwrap().is_zero());
}

#[test]
fn g2_large_random_and_witness_inputs_agree() {
    let n = 1 << 12;
    let bases = points_g2(n, 71);
    let mut r = rng(72);
    let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    assert_agrees_g2(&bases, &scalars, "G2 random 2^12");
    assert_agrees_g2(&bases, &witness_scalars(n, 73), "G2 witness 2^12");
}

#[test]
fn g2_cost_model_picks_shorter_batches() {
    assert!(inversion_cost::<ark_bn254::g2::Config>() < inversion_cost::<ark_bn254::g1::Config>());
    let c = window_bits_with(1 << 14, 254, inversion_cost::<ark_bn254::g2::Config>());
    assert!((2..=16).contains(&c));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn g2_agrees_with_arkworks_on_mixed_sizes(
        seed in any::<u64>(),
        n in 0usize..80,
        kinds in proptest::collection::vec(0u8..6, 80),
    ) {
        let bases = points_g2(n, seed);
        let mut r = rng(seed ^ 0x9e2);
        let scalars: Vec<Fr> = (0..n)
            .map(|i| match kinds[i] {
                0 => Fr::ZERO,
                1 => Fr::ONE,
                2 => Fr::from(r.next_u32() as u16 as u64),
                3 => Fr::from(r.next_u64()),
                4 => minus_one() - Fr::from(r.next_u32() as u8 as u64),
                _ => Fr::rand(&mut r),
            })
            .collect();
        let want = G2Projective::msm(&bases, &scalars).unwrap();
        prop_assert_eq!(msm_g2(&bases, &scalars).unwrap(), want);
        prop_assert_eq!(msm_g2_serial(&bases, &scalars).unwrap(), want);
    }
}

// ------------------------------------------------------------------------------------------
// GLV (G1) and the collision queue.

/// λ for G1: φ(x, y) = (β·x, y) is [λ] on G1.
fn lambda_g1() -> Fr {
    <ark_bn254::g1::Config as ark_ec::scalar_mul::glv::GLVConfig>::LAMBDA
}

fn from_half(h: &glv::Half) -> Fr {
    let v = Fr::from_le_bytes_mod_order(&BigInt::<4>(h.abs).to_bytes_le());
    if h.negative {
        -v
    } else {
        v
    }
}

/// Scalars that stress the GLV split: λ and r − λ, multiples of the lattice vectors, values
/// whose halves sit at the bounds (x + λ·y for x, y = ±(2^128 − 1), ±2^127), r − 1, 2^k.
fn glv_edge_scalars() -> Vec<Fr> {
    let l = lambda_g1();
    let two = Fr::from(2u64);
    let big = [
        two.pow([128]) - Fr::ONE,
        two.pow([127]),
        -(two.pow([128]) - Fr::ONE),
        -two.pow([127]),
        Fr::ZERO,
        Fr::ONE,
    ];
    let mut v = vec![
        Fr::ZERO,
        Fr::ONE,
        minus_one(),
        l,
        -l,
        l + Fr::ONE,
        l - Fr::ONE,
        l * l,
        -(l * l),
        // the lattice vectors' first coordinates as scalars, and r − them
        Fr::from(glv_a1()),
        -Fr::from(glv_a1()),
        Fr::from(u64::MAX) * l,
    ];
    for x in big {
        for y in big {
            v.push(x + l * y);
        }
    }
    for k in [64u64, 127, 128, 129, 200, 252, 253] {
        v.push(two.pow([k]));
        v.push(two.pow([k]) - Fr::ONE);
        v.push(-two.pow([k]));
    }
    v
}

fn glv_a1() -> ark_ff::BigInt<4> {
    ark_ff::BigInt::<4>([0x8211bbeb7d4f1128, 0x6f4d8248eeb859fc, 0, 0])
}

#[test]
fn glv_endomorphism_is_lambda_on_g1() {
    let l = lambda_g1();
    for p in points(20, 81) {
        assert_eq!(
            G1Projective::from(glv::endomorphism(&p)),
            p * l,
            "φ(P) = λ·P"
        );
        // The other root of λ² + λ + 1 is not this endomorphism's eigenvalue.
        assert_ne!(G1Projective::from(glv::endomorphism(&p)), p * (l * l));
    }
    assert_eq!(l * l + l + Fr::ONE, Fr::ZERO);
    assert!(glv::endomorphism(&G1Affine::identity()).infinity);
}

#[test]
fn glv_g2_eigenvalue_is_the_other_root() {
    // The same map (x, y) → (ω·x, y) on the twist (ω the same cube root of unity in Fq ⊂ Fq2)
    // acts on G2 as λ² = −1 − λ, not as G1's λ: a G2 GLV must use the other root.
    use ark_ec::scalar_mul::glv::GLVConfig;
    let l = lambda_g1();
    for p in points_g2(5, 82) {
        let phi = <ark_bn254::g2::Config as GLVConfig>::endomorphism_affine(&p);
        assert_eq!(G2Projective::from(phi), p * (l * l));
        assert_ne!(G2Projective::from(phi), p * l);
    }
    assert_eq!(<ark_bn254::g2::Config as GLVConfig>::LAMBDA, -Fr::ONE - l);
}

#[test]
fn glv_split_recomposes_within_bounds() {
    let l = lambda_g1();
    let mut r = rng(83);
    let mut scalars = glv_edge_scalars();
    scalars.extend((0..20_000).map(|_| Fr::rand(&mut r)));
    let mut widest = 0;
    for k in &scalars {
        let (k1, k2) = glv::decompose(&k.into_bigint().0);
        assert_eq!(from_half(&k1) + l * from_half(&k2), *k, "k = {k}");
        for h in [k1, k2] {
            let bits = BigInt::<4>(h.abs).num_bits();
            assert!(bits <= 129, "half of {bits} bits for {k}");
            widest = widest.max(bits);
            assert!(!(h.negative && bits == 0), "negative zero");
        }
    }
    assert!(widest >= 126, "the bounds were exercised: {widest}");
    // Unreduced integers: k and k + r, k + 5r split to the same value mod r.
    let k = Fr::rand(&mut r).into_bigint();
    let mut k_plus = k;
    assert!(!k_plus.add_with_carry(&Fr::MODULUS));
    let (a1, a2) = glv::decompose(&k.0);
    let (b1, b2) = glv::decompose(&k_plus.0);
    assert_eq!((a1, a2), (b1, b2));
    let all_ones = BigInt::<4>([u64::MAX; 4]);
    let (h1, h2) = glv::decompose(&all_ones.0);
    assert_eq!(
        from_half(&h1) + l * from_half(&h2),
        Fr::from_le_bytes_mod_order(&all_ones.to_bytes_le())
    );
}

#[test]
fn glv_edge_scalars_agree_in_the_msm() {
    let scalars = glv_edge_scalars();
    let n = scalars.len();
    let bases = points(n, 84);
    assert_agrees(&bases, &scalars, "GLV edge scalars");
    // The same scalars on one repeated base, and on P, −P, φ(P), −φ(P): the halves of one
    // scalar land in the same buckets as other points' (collisions, doublings, cancellation).
    let p = bases[0];
    let q = glv::endomorphism(&p);
    let mixed: Vec<G1Affine> = (0..n)
        .map(|i| match i % 4 {
            0 => p,
            1 => -p,
            2 => q,
            _ => -q,
        })
        .collect();
    assert_agrees(&mixed, &scalars, "GLV edge scalars on P, -P, φ(P), -φ(P)");
    assert_agrees(&vec![p; n], &scalars, "GLV edge scalars on one base");
    // λ·P + (r − λ)·P = 0 and λ·P − φ(P)·1 = 0 in one input.
    let l = lambda_g1();
    assert_agrees(&[p, p], &[l, -l], "λ and r − λ cancel");
    assert_agrees(&[p, q], &[l, minus_one()], "λ·P − φ(P)");
    assert_agrees(&vec![p; 300], &vec![l; 300], "all-equal λ on one base");
}

#[test]
fn buckets_queue_and_overflow_are_exact() {
    // Bucket sums against projective sums: many points per bucket (queue, then overflow),
    // repeated points (doublings), P and −P (cancellation), a bucket that empties and refills.
    let base = points(16, 85);
    for (len, batch, n) in [
        (4usize, 64usize, 2000usize),
        (64, 16, 3000),
        (1, 1, 100),
        (512, 200, 5000),
    ] {
        let mut r = rng(86 + len as u64);
        let mut b = bucket::Buckets::<ark_bn254::g1::Config>::new(len, batch);
        let mut want = vec![G1Projective::zero(); len];
        for i in 0..n {
            let k = (r.next_u32() as usize) % len;
            let p = base[(r.next_u32() as usize) % base.len()];
            let p = match i % 5 {
                0 => -p,
                _ => p,
            };
            b.add(k, &p);
            want[k] += p;
        }
        let got = b.reduce();
        let expect: G1Projective = want
            .iter()
            .enumerate()
            .map(|(k, s)| *s * Fr::from(k as u64 + 1))
            .sum();
        assert_eq!(got, expect, "len={len} batch={batch} n={n}");
    }
}

// ------------------------------------------------------------------------------------------
// Decision 0119: branch-free `Fq` subtraction and addition, and the zero/one shortcut of the
// scalar conversion.

/// `Fq` edge values by Montgomery limbs (0, 1, p − 1, p − 2, (p ± 1)/2, limb boundaries) and by
/// value (±1, ±2).
fn fq_edges() -> Vec<ark_bn254::Fq> {
    use ark_bn254::{Fq, FqConfig};
    use ark_ff::MontConfig;
    let p = <FqConfig as MontConfig<4>>::MODULUS.0;
    let raw = |l: [u64; 4]| Fq::new_unchecked(BigInt(l));
    let half = [
        (p[0] >> 1) | (p[1] << 63),
        (p[1] >> 1) | (p[2] << 63),
        (p[2] >> 1) | (p[3] << 63),
        p[3] >> 1,
    ];
    let mut half_plus = half;
    half_plus[0] += 1;
    let mut p1 = p;
    p1[0] -= 1;
    let mut p2 = p;
    p2[0] -= 2;
    vec![
        raw([0, 0, 0, 0]),
        raw([1, 0, 0, 0]),
        raw([u64::MAX, 0, 0, 0]),
        raw([0, 1, 0, 0]),
        raw([u64::MAX, u64::MAX, u64::MAX, 0]),
        raw([0, 0, 0, 1]),
        raw(p1),
        raw(p2),
        raw(half),
        raw(half_plus),
        Fq::ONE,
        -Fq::ONE,
        Fq::from(2u64),
        -Fq::from(2u64),
    ]
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn fq_branch_free_add_and_sub_are_bit_identical_to_arkworks() {
    use ark_bn254::Fq;
    let check = |a: Fq, b: Fq| {
        let mut s = a;
        hot::fq_sub(&mut s, &b);
        assert_eq!(s.0, (a - b).0, "{a} - {b}");
        let mut h = a;
        h.sub_h(&b);
        assert_eq!(h.0, (a - b).0, "sub_h {a} - {b}");
        let mut t = a;
        hot::fq_add(&mut t, &b);
        assert_eq!(t.0, (a + b).0, "{a} + {b}");
    };
    let e = fq_edges();
    for &a in &e {
        for &b in &e {
            check(a, b);
        }
    }
    let mut r = rng(119);
    for _ in 0..200_000 {
        let a = Fq::rand(&mut r);
        let b = Fq::rand(&mut r);
        check(a, b);
        // Equal operands and a near-equal pair (one limb changed) take the borrow edges.
        check(a, a);
        let mut c = a;
        (c.0).0[0] ^= 1;
        if c.0 < Fq::MODULUS {
            check(a, c);
            check(c, a);
        }
    }
    // A long chain fed back into itself, as the bucket loops use it.
    let (mut x, mut want) = (Fq::rand(&mut r), Fq::ZERO);
    want += x;
    for i in 0..10_000u64 {
        let b = Fq::from(i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        hot::fq_sub(&mut x, &b);
        let y = x;
        hot::fq_add(&mut x, &y);
        want = (want - b).double();
    }
    assert_eq!(x, want);
}

#[test]
fn scalar_conversion_shortcut_matches_into_bigint() {
    let mut r = rng(1190);
    let mut edge = vec![
        Fr::ZERO,
        Fr::ONE,
        Fr::from(2u64),
        minus_one(),
        // The element whose integer value is the Montgomery form of one (R mod r), and the one
        // whose Montgomery form is the integer 1 (R⁻¹): neither is 0 or 1.
        Fr::from_bigint(Fr::ONE.0).unwrap(),
        Fr::new_unchecked(BigInt::from(1u64)),
        Fr::new_unchecked(BigInt::from(0u64)),
    ];
    edge.extend((0..1000).map(|_| Fr::rand(&mut r)));
    for s in &edge {
        assert_eq!(to_bigint(s), s.into_bigint(), "{s}");
    }
    let got = to_bigints(&edge, true);
    let serial = to_bigints(&edge, false);
    let want: Vec<_> = edge.iter().map(|s| s.into_bigint()).collect();
    assert_eq!(got, want);
    assert_eq!(serial, want);
    // Through the MSM: ones and zeros among R-valued and R⁻¹-valued scalars.
    let mut scalars = Vec::new();
    for i in 0..600 {
        scalars.push(match i % 6 {
            0 => Fr::ZERO,
            1 => Fr::ONE,
            2 => Fr::from_bigint(Fr::ONE.0).unwrap(),
            3 => Fr::new_unchecked(BigInt::from(1u64)),
            4 => minus_one(),
            _ => Fr::rand(&mut r),
        });
    }
    assert_agrees(&points(600, 1191), &scalars, "zero/one shortcut");
}

#[test]
fn bucket_copies_fold_exactly() {
    // Copies of the buckets (decision 0119) against projective sums: the same bucket in every
    // copy, a point in one copy and its negation in another (the fold cancels), a point equal
    // to its counterpart in another copy (the fold doubles), few base points (queue and
    // overflow), empty copies.
    let base = points(8, 1192);
    for (len, copies, batch, n) in [
        (4usize, 2usize, 64usize, 2000usize),
        (256, 4, 226, 20_000),
        (64, 8, 300, 5000),
        (1, 8, 4, 300),
        (256, 4, 226, 0),
        (128, 2, 1, 500),
    ] {
        let mut r = rng(1193 + len as u64 + copies as u64);
        let mut b = bucket::Buckets::<ark_bn254::g1::Config>::with_copies(len, copies, batch);
        let mut want = vec![G1Projective::zero(); len];
        for i in 0..n {
            let k = (r.next_u32() as usize) % len;
            let j = (r.next_u32() as usize) % copies;
            let p = base[(r.next_u32() as usize) % base.len()];
            let p = if i % 3 == 0 { -p } else { p };
            b.add(j * len + k, &p);
            want[k] += p;
        }
        // Mirrored pairs across copies: P in copy 0 and −P in the last copy of bucket 0; Q in
        // copy 0 and Q in copy 1 of the last bucket.
        let (p, q) = (base[0], base[1]);
        b.add(0, &p);
        b.add((copies - 1) * len, &-p);
        b.add(len - 1, &q);
        b.add(len * copies.min(2) - 1, &q);
        want[len - 1] += q + q;
        // An index past every copy is ignored, as for one copy.
        b.add(len * copies, &p);
        let got = b.reduce();
        let expect: G1Projective = want
            .iter()
            .enumerate()
            .map(|(k, s)| *s * Fr::from(k as u64 + 1))
            .sum();
        assert_eq!(got, expect, "len={len} copies={copies} batch={batch} n={n}");
    }
}

#[test]
fn byte_and_small_classes_use_copies_and_agree() {
    // The byte class at sizes where `bucket_copies` gives 2, 4 and 8 copies, serial and
    // parallel, with repeated bases and cancelling pairs inside it.
    assert_eq!(bucket_copies(256, 1000), 1);
    assert_eq!(bucket_copies(256, 16_384), 4);
    assert_eq!(bucket_copies(128, 16_384), 8);
    assert_eq!(bucket_copies(4096, 1 << 20), 1);
    let mut r = rng(1194);
    for n in [5000usize, 20_000, 40_000] {
        let bases = points(n, 1195 + n as u64);
        let mut scalars: Vec<Fr> = (0..n)
            .map(|_| Fr::from(r.next_u32() as u8 as u64))
            .collect();
        assert_agrees(&bases, &scalars, "bytes");
        // Half seven-bit scalars on three repeated bases, and P with −P at the same scalar.
        let mut rep = bases.clone();
        for i in 0..n / 2 {
            rep[i] = bases[i % 3];
            scalars[i] = Fr::from(r.next_u32() as u64 & 0x7f);
        }
        rep[n - 1] = -rep[0];
        scalars[n - 1] = scalars[0];
        assert_agrees(&rep, &scalars, "seven-bit, repeated, cancelling");
    }
}

#[test]
fn g2_byte_class_with_copies_agrees() {
    // G2 (`Fq2` points, branch-free `Fq` add/sub under Karatsuba) through the bucket copies:
    // 20,000 byte scalars give 4 copies on the serial path; a base repeated and one cancelled.
    let n = 20_000;
    let mut bases = points_g2(n, 1196);
    let mut r = rng(1197);
    let mut scalars: Vec<Fr> = (0..n)
        .map(|_| Fr::from(r.next_u32() as u8 as u64))
        .collect();
    for i in 0..200 {
        bases[i] = bases[0];
    }
    bases[n - 1] = -bases[1];
    scalars[n - 1] = scalars[1];
    assert_eq!(bucket_copies(256, n), 4);
    assert_agrees_g2(&bases, &scalars, "G2 bytes with copies");
}

/// Decision 0133: the small-value table gives `into_bigint` exactly, for every value it holds,
/// the values around it, their negations, random values, and Montgomery forms that share a
/// table entry's low limb (the probe's key) but differ above it.
#[test]
fn small_scalars_convert_as_into_bigint() {
    use ark_ff::{BigInt, PrimeField};
    let check = |x: Fr| assert_eq!(super::to_bigint(&x), x.into_bigint(), "{x}");
    for k in 0..1024u64 {
        check(Fr::from(k));
        check(-Fr::from(k));
    }
    let mut rng = Rng::new(133);
    for _ in 0..10_000 {
        check(Fr::rand(&mut rng));
    }
    for k in [2u64, 7, 200, 255] {
        let m = Fr::from(k).0 .0;
        for limb in 1..4 {
            let mut other = m;
            other[limb] ^= 1;
            let x = Fr::new_unchecked(BigInt::new(other));
            // Still a valid Montgomery form (below r) for these values: the table must not
            // answer `k` for it.
            if x.0 < Fr::MODULUS {
                check(x);
                assert_ne!(super::to_bigint(&x), BigInt::from(k));
            }
        }
    }
    let all: Vec<Fr> = (0..5000u64).map(|k| Fr::from(k % 300)).collect();
    let want: Vec<BigInt<4>> = all.iter().map(|x| x.into_bigint()).collect();
    assert_eq!(super::to_bigints(&all, true), want);
    assert_eq!(super::to_bigints(&all, false), want);
}
