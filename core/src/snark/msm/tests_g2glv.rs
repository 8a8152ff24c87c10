//! GLV on G2 with `ψ` (decision 0114) and the inlined `Fq2` arithmetic: every constant
//! re-derived from the curve parameter, differential tests against arkworks, and bases outside
//! G2 on every public entry point.

use super::hot::HotField;
use super::*;
use crate::testing::TestRng as Rng;
use ark_bn254::{Fq, Fq2};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{One, UniformRand};
use num_bigint::{BigInt as Big, BigUint};
use rand_core::RngCore;

/// BN254's curve parameter `x`: `p` and `r` are polynomials in it.
const X: u64 = 4965661367192848881;

fn rng(seed: u64) -> Rng {
    Rng::new(seed)
}

fn x_big() -> BigUint {
    BigUint::from(X)
}

fn p_big() -> BigUint {
    BigUint::from(Fq::MODULUS)
}

fn r_big() -> BigUint {
    BigUint::from(Fr::MODULUS)
}

/// `6x² = t − 1`.
fn lambda_big() -> BigUint {
    BigUint::from(6u32) * x_big() * x_big()
}

fn lambda() -> Fr {
    Fr::from(lambda_big())
}

fn u128_big(v: u128) -> BigUint {
    BigUint::from(v)
}

fn limbs3(v: &BigUint) -> [u64; 3] {
    let d = v.to_u64_digits();
    assert!(d.len() <= 3, "{v} wider than 192 bits");
    [
        d.first().copied().unwrap_or(0),
        d.get(1).copied().unwrap_or(0),
        d.get(2).copied().unwrap_or(0),
    ]
}

fn limbs3_big(v: &[u64; 3]) -> BigUint {
    (BigUint::from(v[2]) << 128) | (BigUint::from(v[1]) << 64) | BigUint::from(v[0])
}

/// Random points of G2 (multiples of the generator).
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

/// A point on the twist outside G2 (the twist's order is `r · h`, so almost every point).
fn outside_g2(r: &mut Rng) -> G2Affine {
    loop {
        let x = Fq2::new(Fq::rand(r), Fq::rand(r));
        if let Some(p) = G2Affine::get_point_from_x_unchecked(x, r.next_u32() & 1 == 1) {
            if !super::super::g2_in_subgroup_assuming_on_curve(&p) {
                return p;
            }
        }
    }
}

fn witness_scalars(n: usize, seed: u64) -> Vec<Fr> {
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

// ------------------------------------------------------------------------------------------
// Constants.

#[test]
fn the_curve_parameter_gives_p_and_r() {
    let x = x_big();
    let x2 = &x * &x;
    let x3 = &x2 * &x;
    let x4 = &x3 * &x;
    let common = BigUint::from(36u32) * &x4 + BigUint::from(36u32) * &x3 + 6u32 * &x + 1u32;
    assert_eq!(p_big(), &common + BigUint::from(24u32) * &x2);
    assert_eq!(r_big(), &common + BigUint::from(18u32) * &x2);
}

#[test]
fn psi_coefficients_are_powers_of_the_twist_non_residue() {
    // ξ = 9 + u: arkworks' BN254 twist is y² = x³ + 3/ξ.
    let xi = Fq2::new(Fq::from(9u64), Fq::ONE);
    assert_eq!(
        <ark_bn254::g2::Config as ark_ec::short_weierstrass::SWCurveConfig>::COEFF_B,
        Fq2::new(Fq::from(3u64), Fq::ZERO) / xi
    );
    let p1 = p_big() - 1u32;
    let third = &p1 / 3u32;
    let half = &p1 / 2u32;
    assert_eq!(&third * 3u32, p1);
    assert_eq!(xi.pow(third.to_u64_digits()), crate::snark::pkformat::PSI_X);
    assert_eq!(xi.pow(half.to_u64_digits()), crate::snark::pkformat::PSI_Y);
}

#[test]
fn psi_acts_as_six_x_squared_on_g2_and_not_as_the_other_root() {
    // ψ² − t·ψ + p = 0 with t = 6x² + 1: modulo r (= p + 1 − t) the roots are 1 and p ≡ 6x².
    let l = lambda();
    let t = l + Fr::ONE;
    let p_mod_r = Fr::from(p_big());
    assert_eq!(p_mod_r, l, "p ≡ 6x² (mod r)");
    for root in [Fr::ONE, l] {
        assert_eq!(root * root - t * root + p_mod_r, Fr::ZERO);
    }
    assert_eq!(lambda_big().bits(), 127);
    for p in points_g2(24, 11) {
        let q = G2Projective::from(glv::psi(&p));
        assert_eq!(q, p * l, "ψ(P) = [6x²]P");
        assert_ne!(q, G2Projective::from(p), "ψ is not the other root, 1");
        let qq = G2Projective::from(glv::psi(&q.into_affine()));
        assert_eq!(qq - q * t + p * p_mod_r, G2Projective::zero());
    }
    assert!(glv::psi(&G2Affine::identity()).infinity);
    // Off the subgroup ψ is not [λ]: why only G2 bases may take this path.
    let mut r = rng(12);
    for _ in 0..4 {
        let p = outside_g2(&mut r);
        assert!(p.is_on_curve());
        let q = glv::psi(&p);
        assert!(q.is_on_curve(), "ψ maps the twist to itself");
        assert_ne!(G2Projective::from(q), p * l);
    }
}

/// The first two rows `(rᵢ, −tᵢ)` of the extended Euclidean algorithm on `r` and `λ`
/// (`rᵢ = sᵢ·r + tᵢ·λ`, so `rᵢ + λ·(−tᵢ) ≡ 0`) whose remainder is below 2^128.
fn euclid_basis(lambda: &BigUint) -> ((Big, Big), (Big, Big)) {
    let (mut r0, mut r1) = (Big::from(r_big()), Big::from(lambda.clone()));
    let (mut t0, mut t1) = (Big::from(0), Big::from(1));
    let bound = Big::from(1) << 128;
    let mut rows = vec![(r0.clone(), t0.clone()), (r1.clone(), t1.clone())];
    while r1 != Big::from(0) {
        let q = &r0 / &r1;
        let r2 = &r0 - &q * &r1;
        let t2 = &t0 - &q * &t1;
        (r0, r1, t0, t1) = (r1, r2.clone(), t1, t2.clone());
        rows.push((r2, t2));
    }
    let i = rows.iter().position(|(ri, _)| *ri < bound).unwrap();
    let v1 = (rows[i].0.clone(), -rows[i].1.clone());
    let v2 = (rows[i + 1].0.clone(), -rows[i + 1].1.clone());
    (v1, v2)
}

/// What `glv::decompose_with` needs of a lattice: both vectors in it, `a₁·b₂ − a₂·b₁ = r`, the
/// rounding constants `⌊2^256·b₂/r⌋` and `⌊2^256·(−b₁)/r⌋`, and halves below 2^129.
fn assert_lattice(l: &glv::Lattice, lambda: &BigUint) {
    let r = r_big();
    let (a1, nb1, a2, b2) = (
        u128_big(l.a1),
        u128_big(l.nb1),
        u128_big(l.a2),
        u128_big(l.b2),
    );
    assert_eq!(
        (&a1 + &r * lambda - (lambda * &nb1) % &r) % &r,
        BigUint::from(0u32)
    );
    assert_eq!((&a2 + lambda * &b2) % &r, BigUint::from(0u32));
    assert_eq!(&a1 * &b2 + &a2 * &nb1, r, "det = r");
    let two256 = BigUint::one() << 256;
    assert_eq!(limbs3_big(&l.g1), &two256 * &b2 / &r);
    assert_eq!(limbs3_big(&l.g2), &two256 * &nb1 / &r);
    let bound = BigUint::one() << 129;
    assert!(BigUint::from(2u32) * (&a1 + &a2) < bound);
    assert!(BigUint::from(2u32) * (&nb1 + &b2) < bound);
}

#[test]
fn g2_lattice_is_derived_from_r_and_lambda() {
    let l = lambda_big();
    let ((a1, b1), (a2, b2)) = euclid_basis(&l);
    // The Euclidean rows already have the signs `decompose_with` expects.
    assert_eq!(a1, Big::from(l.clone()));
    assert_eq!(b1, Big::from(-1));
    let (a1, nb1, a2, b2) = (
        a1.to_biguint().unwrap(),
        (-b1).to_biguint().unwrap(),
        a2.to_biguint().unwrap(),
        b2.to_biguint().unwrap(),
    );
    let g = &glv::G2_LATTICE;
    assert_eq!(u128_big(g.a1), a1);
    assert_eq!(u128_big(g.nb1), nb1);
    assert_eq!(u128_big(g.a2), a2);
    assert_eq!(u128_big(g.b2), b2);
    let two256 = BigUint::one() << 256;
    assert_eq!(g.g1, limbs3(&(&two256 * &b2 / r_big())));
    assert_eq!(g.g2, limbs3(&(&two256 * &nb1 / r_big())));
    assert_lattice(g, &l);
    // Halves of G2's split stay below 2^128.
    let bound = BigUint::one() << 128;
    assert!(BigUint::from(2u32) * (&a1 + &a2) < bound);
    assert!(BigUint::from(2u32) * (&nb1 + &b2) < bound);
    // G1's lattice (decision 0101) passes the same checks for its λ.
    let l1 = <ark_bn254::g1::Config as ark_ec::scalar_mul::glv::GLVConfig>::LAMBDA;
    assert_lattice(&glv::G1_LATTICE, &BigUint::from(l1.into_bigint()));
}

fn from_half(h: &glv::Half) -> Fr {
    let v = Fr::from_le_bytes_mod_order(&BigInt::<4>(h.abs).to_bytes_le());
    if h.negative {
        -v
    } else {
        v
    }
}

/// Scalars at the edges of G2's split: λ, r − λ, the lattice vectors' coordinates, values
/// whose halves sit at the bounds, r − 1, powers of two.
fn g2_edge_scalars() -> Vec<Fr> {
    let l = lambda();
    let two = Fr::from(2u64);
    let g = &glv::G2_LATTICE;
    let b2 = Fr::from(u128_big(g.b2));
    let a2 = Fr::from(u128_big(g.a2));
    let big = [
        two.pow([128]) - Fr::ONE,
        two.pow([127]),
        -(two.pow([128]) - Fr::ONE),
        -two.pow([127]),
        l,
        Fr::ZERO,
        Fr::ONE,
    ];
    let mut v = vec![
        Fr::ZERO,
        Fr::ONE,
        -Fr::ONE,
        l,
        -l,
        l + Fr::ONE,
        l - Fr::ONE,
        l * l,
        -(l * l),
        b2,
        -b2,
        a2,
        -a2,
        a2 + l * b2,
        Fr::from(u64::MAX) * l,
    ];
    for x in big {
        for y in big {
            v.push(x + l * y);
        }
    }
    for k in [64u64, 126, 127, 128, 129, 200, 252, 253] {
        v.push(two.pow([k]));
        v.push(two.pow([k]) - Fr::ONE);
        v.push(-two.pow([k]));
    }
    v
}

#[test]
fn g2_split_recomposes_within_bounds() {
    let l = lambda();
    let mut r = rng(13);
    let mut scalars = g2_edge_scalars();
    scalars.extend((0..20_000).map(|_| Fr::rand(&mut r)));
    let mut widest = 0;
    for k in &scalars {
        let (k1, k2) = glv::decompose_with(&k.into_bigint().0, &glv::G2_LATTICE);
        assert_eq!(from_half(&k1) + l * from_half(&k2), *k, "k = {k}");
        for h in [k1, k2] {
            let bits = BigInt::<4>(h.abs).num_bits();
            assert!(bits <= 128, "half of {bits} bits for {k}");
            widest = widest.max(bits);
            assert!(!(h.negative && bits == 0), "negative zero");
        }
    }
    assert!(widest >= 126, "the bounds were exercised: {widest}");
    // Unreduced integers split as their residue.
    let k = Fr::rand(&mut r).into_bigint();
    let mut k_plus = k;
    assert!(!k_plus.add_with_carry(&Fr::MODULUS));
    assert_eq!(
        glv::decompose_with(&k.0, &glv::G2_LATTICE),
        glv::decompose_with(&k_plus.0, &glv::G2_LATTICE)
    );
    let all_ones = BigInt::<4>([u64::MAX; 4]);
    let (h1, h2) = glv::decompose_with(&all_ones.0, &glv::G2_LATTICE);
    assert_eq!(
        from_half(&h1) + l * from_half(&h2),
        Fr::from_le_bytes_mod_order(&all_ones.to_bytes_le())
    );
}

// ------------------------------------------------------------------------------------------
// The MSM on G2 bases with ψ, against arkworks.

fn assert_checked_agrees(bases: &[G2Affine], scalars: &[Fr], what: &str) {
    let want = G2Projective::msm(bases, scalars).unwrap();
    let checked = CheckedG2Bases::new(bases.to_vec()).unwrap();
    assert_eq!(checked.len(), bases.len());
    assert_eq!(checked.bases(), bases);
    assert_eq!(checked.msm(scalars).unwrap(), want, "{what}: checked");
    assert_eq!(
        checked.msm_serial(scalars).unwrap(),
        want,
        "{what}: checked serial"
    );
    let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
    assert_eq!(
        checked.msm_bigint(&bigints).unwrap(),
        want,
        "{what}: checked bigint"
    );
    for parallel in [true, false] {
        assert_eq!(
            msm_g2_subgroup_bigint_with(bases, &bigints, parallel).unwrap(),
            want,
            "{what}: subgroup path, parallel={parallel}"
        );
    }
}

#[test]
fn checked_g2_msm_agrees_with_arkworks_across_sizes() {
    for (i, n) in [0usize, 1, 2, 3, 7, 33, 257, 1000, 2049]
        .into_iter()
        .enumerate()
    {
        let bases = points_g2(n, 21 + i as u64);
        let mut r = rng(40 + i as u64);
        let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
        assert_checked_agrees(&bases, &scalars, &format!("random n={n}"));
        assert_checked_agrees(
            &bases,
            &witness_scalars(n, 50 + i as u64),
            &format!("witness n={n}"),
        );
    }
    let n = 1 << 12;
    let bases = points_g2(n, 60);
    let mut r = rng(61);
    let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    assert_checked_agrees(&bases, &scalars, "random 2^12");
}

#[test]
fn checked_g2_msm_agrees_on_adversarial_inputs() {
    let n = 300;
    let bases = points_g2(n, 62);
    let mut r = rng(63);
    let random: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    for (what, scalars) in [
        ("all zero", vec![Fr::ZERO; n]),
        ("all one", vec![Fr::ONE; n]),
        ("all r-1", vec![-Fr::ONE; n]),
        ("all λ", vec![lambda(); n]),
        ("all r-λ", vec![-lambda(); n]),
        ("all u64::MAX", vec![Fr::from(u64::MAX); n]),
        (
            "alternating r-1 and 1",
            (0..n)
                .map(|i| if i % 2 == 0 { -Fr::ONE } else { Fr::ONE })
                .collect(),
        ),
        ("witness", witness_scalars(n, 64)),
    ] {
        assert_checked_agrees(&bases, &scalars, what);
    }
    // The split's edge scalars, on distinct bases, on one repeated base, and on P, −P, ψ(P),
    // −ψ(P): one scalar's halves land in the buckets of other points' (collisions, doublings,
    // cancellation).
    let edges = g2_edge_scalars();
    let m = edges.len();
    let bases_m = points_g2(m, 65);
    assert_checked_agrees(&bases_m, &edges, "edge scalars");
    let p = bases_m[0];
    let q = glv::psi(&p);
    let mixed: Vec<G2Affine> = (0..m)
        .map(|i| match i % 4 {
            0 => p,
            1 => -p,
            2 => q,
            _ => -q,
        })
        .collect();
    assert_checked_agrees(&mixed, &edges, "edge scalars on P, -P, ψ(P), -ψ(P)");
    assert_checked_agrees(&vec![p; m], &edges, "edge scalars on one base");
    let l = lambda();
    assert_checked_agrees(&[p, p], &[l, -l], "λ and r − λ cancel");
    assert_checked_agrees(&[p, q], &[l, -Fr::ONE], "λ·P − ψ(P)");
    // Repeated and cancelling bases with random scalars.
    assert_checked_agrees(&vec![p; n], &random, "repeated base, random");
    let pm: Vec<G2Affine> = (0..n).map(|i| if i % 2 == 0 { p } else { -p }).collect();
    assert_checked_agrees(&pm, &vec![Fr::from(3u64); n], "P, -P, equal");
    assert_checked_agrees(&pm, &random, "P, -P, random");
    // Points at infinity.
    let mut inf = bases.clone();
    for (i, b) in inf.iter_mut().enumerate() {
        if i % 3 == 0 {
            *b = G2Affine::identity();
        }
    }
    assert_checked_agrees(&inf, &random, "infinity, random");
    // Unreduced integers: reducing them is exact on the subgroup.
    let checked = CheckedG2Bases::new(bases.clone()).unwrap();
    let unreduced: Vec<BigInt<4>> = (0..n)
        .map(|i| {
            let mut k = random[i].into_bigint();
            if i % 2 == 0 {
                k.add_with_carry(&Fr::MODULUS);
            }
            k
        })
        .collect();
    assert_eq!(
        checked.msm_bigint(&unreduced).unwrap(),
        G2Projective::msm(&bases, &random).unwrap()
    );
    // Errors as for `msm_g2`.
    assert_eq!(
        checked.msm(&random[..2]).unwrap_err().code(),
        "snark.msm_length_mismatch"
    );
}

// ------------------------------------------------------------------------------------------
// Bases outside G2.

#[test]
fn bases_outside_g2_keep_arkworks_result_on_every_public_entry_point() {
    let mut r = rng(70);
    let n = 200;
    let mut bases = points_g2(n, 71);
    let outside: Vec<usize> = vec![3, 50, 51, 120, 199];
    for &i in &outside {
        bases[i] = outside_g2(&mut r);
    }
    let random: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    for (what, scalars) in [
        ("random", random.clone()),
        ("witness", witness_scalars(n, 72)),
        ("all λ", vec![lambda(); n]),
        ("all r-1", vec![-Fr::ONE; n]),
    ] {
        let want = G2Projective::msm(&bases, &scalars).unwrap();
        let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(msm_g2(&bases, &scalars).unwrap(), want, "{what}: msm_g2");
        assert_eq!(msm_g2_serial(&bases, &scalars).unwrap(), want, "{what}");
        assert_eq!(msm_g2_bigint(&bases, &bigints).unwrap(), want, "{what}");
        assert_eq!(
            msm_g2_bigint_with(&bases, &bigints, false).unwrap(),
            want,
            "{what}"
        );
        let table = G2Table::build_with(&bases, 4, usize::MAX, true).unwrap();
        assert_eq!(table.msm(&bases, &scalars, true).unwrap(), want, "{what}");
        assert_eq!(table.msm_bigint(&bases, &bigints, false).unwrap(), want);
    }
    // The checked type refuses them, naming the first.
    let e = CheckedG2Bases::new(bases.clone()).unwrap_err();
    assert_eq!(e, SnarkError::MsmBaseNotInSubgroup { index: 3 });
    assert_eq!(e.code(), "snark.msm_base_not_in_subgroup");
    assert_eq!(
        crate::Error::from(e).code(),
        "snark.msm_base_not_in_subgroup"
    );
    // And a point off the curve.
    let good = points_g2(4, 73);
    let mut off = good.clone();
    off[2] = G2Affine::new_unchecked(off[2].x, off[2].y + Fq2::ONE);
    assert!(!off[2].is_on_curve());
    assert_eq!(
        CheckedG2Bases::new(off).unwrap_err(),
        SnarkError::MsmBaseNotInSubgroup { index: 2 }
    );
    // Why the guard matters: the ψ path on such a base is not arkworks' result.
    let p = outside_g2(&mut r);
    let k = Fr::rand(&mut r);
    assert!(k.into_bigint().num_bits() > 128);
    assert_ne!(
        msm_g2_subgroup_bigint_with(&[p], &[k.into_bigint()], false).unwrap(),
        G2Projective::msm(&[p], &[k]).unwrap()
    );
    // A cofactor-cleared point is in G2 and accepted.
    let cleared = p.clear_cofactor();
    assert!(CheckedG2Bases::new(vec![cleared, G2Affine::identity()]).is_ok());
}

#[test]
fn checked_bases_have_a_cap() {
    assert!(matches!(
        CheckedG2Bases::new(vec![G2Affine::identity(); MAX_MSM_POINTS + 1]),
        Err(SnarkError::MsmTooLarge { .. })
    ));
}

// ------------------------------------------------------------------------------------------
// Fq2 arithmetic, bit for bit against arkworks' operators.

fn assert_fq2_ops(a: Fq2, b: Fq2) {
    let mut m = a;
    m.mul_h(&b);
    assert_eq!(m, a * b, "{a} * {b}");
    let mut s = a;
    s.square_h();
    assert_eq!(s, a.square(), "{a}²");
    let mut d = a;
    d.sub_h(&b);
    assert_eq!(d, a - b, "{a} - {b}");
    // The representation itself, not only the value.
    assert_eq!((m.c0.0, m.c1.0), ((a * b).c0.0, (a * b).c1.0));
    assert_eq!((s.c0.0, s.c1.0), (a.square().c0.0, a.square().c1.0));
}

#[test]
fn fq2_hot_arithmetic_is_bit_identical_to_arkworks() {
    let p1 = -Fq::ONE;
    let half = Fq::from(BigUint::from(Fq::MODULUS) >> 1u32);
    let edge_fq = [
        Fq::ZERO,
        Fq::ONE,
        Fq::from(2u64),
        p1,
        p1 - Fq::ONE,
        half,
        half + Fq::ONE,
        Fq::from(u64::MAX),
        // The largest Montgomery representation: the element whose form is p − 1.
        Fq::new_unchecked({
            let mut m = Fq::MODULUS;
            m.0[0] -= 1;
            m
        }),
    ];
    let mut edges = Vec::new();
    for x in edge_fq {
        for y in edge_fq {
            edges.push(Fq2::new(x, y));
        }
    }
    for &a in &edges {
        for &b in &edges {
            assert_fq2_ops(a, b);
        }
    }
    let mut r = rng(90);
    for _ in 0..100_000 {
        let a = Fq2::rand(&mut r);
        let b = Fq2::rand(&mut r);
        assert_fq2_ops(a, b);
    }
    // Chains (each result fed back), as the bucket code uses them.
    let mut acc = Fq2::rand(&mut r);
    let mut want = acc;
    for _ in 0..1000 {
        let b = Fq2::rand(&mut r);
        acc.mul_h(&b);
        acc.square_h();
        acc.sub_h(&b);
        want = (want * b).square() - b;
    }
    assert_eq!(acc, want);
}
