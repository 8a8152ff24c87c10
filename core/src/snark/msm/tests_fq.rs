//! Differential tests of the x86-64 `Fq` multiplication (`fq_x86`, decision 0113) and of the
//! AVX-512 IFMA batch (`fq_ifma`, decision 0127) against arkworks' portable Montgomery code, and
//! of every `HotField` path through the MSM.

use super::hot::{HotField, FORCE_PORTABLE, FORCE_SCALAR};
use super::*;
use crate::testing::TestRng as Rng;
use ark_bn254::{Fq, Fq2, FqConfig, G1Projective, G2Affine, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{MontConfig, UniformRand};
use rand_core::RngCore;

/// arkworks' portable multiplication (the reference), whatever this CPU has.
fn ark_mul(a: &Fq, b: &Fq) -> Fq {
    let mut x = *a;
    <FqConfig as MontConfig<4>>::mul_assign(&mut x, b);
    x
}

fn ark_square(a: &Fq) -> Fq {
    let mut x = *a;
    <FqConfig as MontConfig<4>>::square_in_place(&mut x);
    x
}

/// The assembly, when this CPU can run it (`None` otherwise: the portable path is then the
/// only one, and the tests below say so).
fn asm_mul(a: &Fq, b: &Fq) -> Option<Fq> {
    fq_x86::Adx::detect().map(|adx| adx.mul(a, b))
}

fn modulus() -> [u64; 4] {
    <FqConfig as MontConfig<4>>::MODULUS.0
}

/// `p − k` as limbs (`k` small).
fn p_minus(k: u64) -> [u64; 4] {
    let mut v = modulus();
    let (l0, borrow) = v[0].overflowing_sub(k);
    v[0] = l0;
    if borrow {
        // p's low limb is large; never reached for the small k used here.
        v[1] -= 1;
    }
    v
}

/// `(p ± 1) / 2` as limbs.
fn half_p(plus_one: bool) -> [u64; 4] {
    let [a, b, c, d] = modulus();
    // p is odd: (p − 1)/2 = p >> 1; (p + 1)/2 = (p >> 1) + 1 (no carry: p >> 1 is odd).
    let low = (a >> 1) | (b << 63);
    [
        if plus_one { low + 1 } else { low },
        (b >> 1) | (c << 63),
        (c >> 1) | (d << 63),
        d >> 1,
    ]
}

/// Edge values: by internal (Montgomery) limbs — 0, 1, 2, small powers of two, limb boundaries,
/// p − 1, p − 2, (p ± 1)/2 — and by field value — 1, −1, R, R², R⁻¹, 2⁻¹.
fn edges() -> Vec<Fq> {
    let raw = |l: [u64; 4]| Fq::new_unchecked(BigInt(l));
    let mut v = vec![
        raw([0, 0, 0, 0]),
        raw([1, 0, 0, 0]),
        raw([2, 0, 0, 0]),
        raw([u64::MAX, 0, 0, 0]),
        raw([0, 1, 0, 0]),
        raw([u64::MAX, u64::MAX, 0, 0]),
        raw([u64::MAX, u64::MAX, u64::MAX, 0]),
        raw([0, 0, 0, 1]),
        raw([0, 0, 0, 1 << 61]),
        raw(p_minus(1)),
        raw(p_minus(2)),
        raw(half_p(false)),
        raw(half_p(true)),
    ];
    let r = <FqConfig as MontConfig<4>>::R;
    let r2 = <FqConfig as MontConfig<4>>::R2;
    v.push(Fq::ONE);
    v.push(-Fq::ONE);
    v.push(Fq::from_bigint(r).unwrap_or(Fq::ZERO));
    v.push(Fq::from_bigint(r2).unwrap_or(Fq::ZERO));
    v.push(
        Fq::from_bigint(r)
            .and_then(|x| x.inverse())
            .unwrap_or(Fq::ZERO),
    );
    v.push(Fq::from(2u64).inverse().unwrap_or(Fq::ZERO));
    // Every edge must be a valid (reduced) element.
    for x in &v {
        assert!(x.0 < <FqConfig as MontConfig<4>>::MODULUS, "{x:?}");
    }
    v
}

#[test]
fn fq_detection_matches_std() {
    let std_says = std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx");
    assert_eq!(fq_x86::Adx::detect().is_some(), std_says);
    // Cached: a second call answers the same.
    assert_eq!(fq_x86::Adx::detect().is_some(), std_says);
    if !std_says {
        eprintln!("this CPU lacks BMI2/ADX: the assembly tests check the fallback only");
    }
}

#[test]
fn fq_asm_matches_arkworks_on_edges() {
    let e = edges();
    for a in &e {
        for b in &e {
            let want = ark_mul(a, b);
            if let Some(got) = asm_mul(a, b) {
                assert_eq!(got.0, want.0, "{a:?} · {b:?}");
            }
            assert_eq!(want, *a * *b);
        }
        if let Some(adx) = fq_x86::Adx::detect() {
            assert_eq!(adx.square(a).0, ark_square(a).0, "{a:?}²");
        }
    }
    // Known answers through the field's own meaning: 1·x = x, (−1)² = 1, (p−1)·(p−1) = 1 in
    // Montgomery limbs means (−R⁻¹·R)² … checked by value here.
    if let (Some(one), Some(sq)) = (
        asm_mul(&Fq::ONE, &Fq::from(7u64)),
        asm_mul(&-Fq::ONE, &-Fq::ONE),
    ) {
        assert_eq!(one, Fq::from(7u64));
        assert_eq!(sq, Fq::ONE);
    }
}

#[test]
fn fq_asm_matches_arkworks_on_random_pairs() {
    let mut r = Rng::new(0x0113);
    for i in 0..100_000 {
        let a = Fq::rand(&mut r);
        let b = if i % 7 == 0 { a } else { Fq::rand(&mut r) };
        let want = ark_mul(&a, &b);
        if let Some(got) = asm_mul(&a, &b) {
            assert_eq!(got.0, want.0, "pair {i}");
        }
        // Through the hot-path entry points, both paths.
        let mut h = a;
        h.mul_h(&b);
        assert_eq!(h.0, want.0, "mul_h {i}");
        let mut s = a;
        s.square_h();
        assert_eq!(s.0, ark_square(&a).0, "square_h {i}");
        FORCE_PORTABLE.with(|f| f.set(true));
        let mut hp = a;
        hp.mul_h(&b);
        FORCE_PORTABLE.with(|f| f.set(false));
        assert_eq!(hp.0, want.0, "portable mul_h {i}");
    }
}

#[test]
fn fq_asm_matches_arkworks_on_random_limbs_below_p() {
    // Random limb patterns (not from `Fq::rand`): top limbs near p's, many all-ones limbs.
    let mut r = Rng::new(0x0114);
    let p = modulus();
    for i in 0..20_000 {
        let mut l = [r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64()];
        if i % 3 == 0 {
            l[0] = u64::MAX;
            l[1] = u64::MAX;
        }
        l[3] = if i % 2 == 0 {
            p[3] - (l[3] & 0xff)
        } else {
            l[3] % p[3]
        };
        let a = Fq::new_unchecked(BigInt(l));
        let b = Fq::new_unchecked(BigInt(p_minus(1 + (i as u64 & 0xf))));
        let want = ark_mul(&a, &b);
        if let Some(got) = asm_mul(&a, &b) {
            assert_eq!(got.0, want.0, "limbs {i}");
        }
    }
}

#[test]
fn fq_asm_long_chains_match_arkworks() {
    let mut r = Rng::new(0x0115);
    // A squaring chain and a product chain, each 200k long: any one-step slip propagates.
    let mut x_asm = Fq::rand(&mut r);
    let mut x_ark = x_asm;
    let y = Fq::rand(&mut r);
    let mut z_asm = -Fq::ONE;
    let mut z_ark = z_asm;
    for i in 0..200_000 {
        x_ark = ark_square(&x_ark);
        z_ark = ark_mul(&z_ark, &y);
        if let (Some(x), Some(z)) = (asm_mul(&x_asm, &x_asm), asm_mul(&z_asm, &y)) {
            x_asm = x;
            z_asm = z;
            if i % 10_000 == 0 {
                assert_eq!(x_asm, x_ark, "square chain {i}");
                assert_eq!(z_asm, z_ark, "product chain {i}");
            }
        } else {
            x_asm = x_ark;
            z_asm = z_ark;
        }
    }
    assert_eq!(x_asm.0, x_ark.0);
    assert_eq!(z_asm.0, z_ark.0);
    // y^200000 by square-and-multiply agrees with the chain.
    assert_eq!(z_ark, -y.pow([200_000u64]));
}

#[test]
fn fq_asm_unreduced_input_is_defined() {
    // Limbs ≥ p never come from the field's API, but the assembly must still be plain arithmetic
    // on them (no fault, no out-of-bounds access): all-ones limbs and p itself.
    let raw = |l: [u64; 4]| Fq::new_unchecked(BigInt(l));
    let big = [raw([u64::MAX; 4]), raw(modulus()), raw(p_minus(0))];
    for a in &big {
        for b in &big {
            let first = asm_mul(a, b);
            assert_eq!(first, asm_mul(a, b), "deterministic");
        }
    }
    // p ≡ 0: p · x reduces to 0 for a reduced x.
    if let Some(z) = asm_mul(&raw(modulus()), &Fq::from(5u64)) {
        assert_eq!(z, Fq::ZERO);
    }
}

fn points(n: usize, seed: u64) -> Vec<G1Affine> {
    let mut r = Rng::new(seed);
    let g = G1Projective::generator();
    let step = g * Fr::rand(&mut r);
    let mut acc = g * Fr::rand(&mut r);
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        acc += step;
        v.push(acc);
    }
    G1Projective::normalize_batch(&v)
}

#[test]
fn msm_g1_same_on_both_field_paths() {
    let mut r = Rng::new(0x0116);
    let n = 3000;
    let p = points(n, 7);
    let mut s: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
    // Adversarial entries: zero, one, r − 1, repeated bases with equal scalars.
    if let Some(x) = s.get_mut(0) {
        *x = Fr::ZERO;
    }
    if let Some(x) = s.get_mut(1) {
        *x = Fr::ONE;
    }
    if let Some(x) = s.get_mut(2) {
        *x = -Fr::ONE;
    }
    let mut bases = p.clone();
    for i in 10..40 {
        if let Some(b) = bases.get_mut(i) {
            *b = p[9];
        }
        s[i] = s[9];
    }
    let want = G1Projective::msm(&bases, &s).unwrap();
    let fast = msm_g1_serial(&bases, &s).unwrap();
    FORCE_SCALAR.with(|f| f.set(true));
    let scalar = msm_g1_serial(&bases, &s).unwrap();
    FORCE_SCALAR.with(|f| f.set(false));
    FORCE_PORTABLE.with(|f| f.set(true));
    let portable = msm_g1_serial(&bases, &s).unwrap();
    FORCE_PORTABLE.with(|f| f.set(false));
    assert_eq!(fast, want);
    assert_eq!(scalar, want);
    assert_eq!(portable, want);
    assert_eq!(fast.into_affine(), portable.into_affine());
}

#[test]
fn ifma_detection_matches_std() {
    let off = std::env::var_os(fq_ifma::ENV_SWITCH).is_some_and(|v| v == "0");
    let std_says = !off
        && std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512ifma");
    assert_eq!(fq_ifma::Ifma::detect().is_some(), std_says);
    assert_eq!(fq_ifma::Ifma::detect().is_some(), std_says);
    if !std_says {
        eprintln!("this CPU lacks AVX-512 IFMA: the vector tests check the fallback only");
    }
}

/// Eight products at once on the vector unit against arkworks, lane by lane.
fn check_mul8(a: &[Fq; 8], b: &[Fq; 8], what: &str) {
    let Some(ifma) = fq_ifma::Ifma::detect() else {
        return;
    };
    let got = ifma.mul8(a, b);
    for (lane, ((x, y), g)) in a.iter().zip(b).zip(&got).enumerate() {
        assert_eq!(g.0, ark_mul(x, y).0, "{what}, lane {lane}: {x:?} · {y:?}");
    }
}

#[test]
fn ifma_mul_matches_arkworks_on_edges() {
    let e = edges();
    for a in &e {
        for b in &e {
            check_mul8(&[*a; 8], &[*b; 8], "edge");
        }
        // The edges in different lanes at once: lanes must not leak into each other.
        let mut lanes = [*a; 8];
        for (l, x) in lanes.iter_mut().zip(e.iter().cycle().skip(3)) {
            *l = *x;
        }
        check_mul8(&lanes, &[*a; 8], "mixed lanes");
    }
}

#[test]
fn ifma_mul_matches_arkworks_on_random_and_near_p_limbs() {
    let mut r = Rng::new(0x0127);
    let p = modulus();
    for i in 0..40_000 {
        let a: [Fq; 8] = core::array::from_fn(|_| Fq::rand(&mut r));
        let b: [Fq; 8] = core::array::from_fn(|l| if l == i % 8 { a[l] } else { Fq::rand(&mut r) });
        check_mul8(&a, &b, "random");
        // Limb patterns near p: the lazy (below 2p) intermediate values are largest there.
        let near: [Fq; 8] = core::array::from_fn(|l| {
            let mut x = [r.next_u64(), r.next_u64(), r.next_u64(), 0];
            if l % 2 == 0 {
                x[0] = u64::MAX;
                x[1] = u64::MAX;
            }
            x[3] = p[3] - (r.next_u64() & 0xf) - 1;
            Fq::new_unchecked(BigInt(x))
        });
        let minus: [Fq; 8] = core::array::from_fn(|l| {
            Fq::new_unchecked(BigInt(p_minus(1 + ((i + l) as u64 & 0x1f))))
        });
        check_mul8(&near, &minus, "near p");
    }
}

/// `a + p` by the affine formulas on arkworks' operators (the reference): any field values,
/// on the curve or not; a doubling where `a.x == p.x`.
fn add_reference(a: &G1Affine, p: &G1Affine) -> (Fq, Fq) {
    let (num, den) = if a.x == p.x {
        (a.x.square() * Fq::from(3u64), a.y.double())
    } else {
        (p.y - a.y, p.x - a.x)
    };
    let l = num * den.inverse().unwrap_or(Fq::ZERO);
    let x3 = l.square() - a.x - p.x;
    (x3, l * (a.x - x3) - a.y)
}

fn den_of(a: &G1Affine, p: &G1Affine) -> Fq {
    if a.x == p.x {
        a.y.double()
    } else {
        p.x - a.x
    }
}

#[test]
fn ifma_add_batch_matches_arkworks_at_every_length() {
    let Some(ifma) = fq_ifma::Ifma::detect() else {
        return;
    };
    let mut r = Rng::new(0x0128);
    let mut scratch = fq_ifma::Scratch::default();
    let e = edges();
    // Every length around the lane count (padding lanes), and long batches; field values off
    // the curve too (the formulas do not care), edge values, doublings (equal x).
    for n in (0..=33).chain([64, 255, 1024]) {
        let mut pick = |i: usize, k: usize| {
            if (i + k).is_multiple_of(5) {
                e.get((i * 7 + k) % e.len()).copied().unwrap_or_default()
            } else {
                Fq::rand(&mut r)
            }
        };
        let size = 3 * n + 5;
        let mut acc: Vec<G1Affine> = (0..size)
            .map(|i| G1Affine::new_unchecked(pick(i, 0), pick(i, 1)))
            .collect();
        // Distinct bucket indices, scattered over `acc`.
        let idx: Vec<u32> = (0..n).map(|i| (3 * i + i % 3) as u32).collect();
        let mut seen = std::collections::HashSet::new();
        assert!(idx.iter().all(|k| seen.insert(*k)), "distinct");
        let pts: Vec<G1Affine> = (0..n)
            .map(|i| {
                let a = acc[idx[i] as usize];
                let x = if i % 9 == 4 { a.x } else { pick(i, 2) };
                let y = if i % 9 == 4 && i % 2 == 0 {
                    a.y
                } else {
                    pick(i, 3)
                };
                G1Affine::new_unchecked(x, y)
            })
            .collect();
        let den: Vec<Fq> = idx
            .iter()
            .zip(&pts)
            .map(|(&k, p)| den_of(&acc[k as usize], p))
            .collect();
        if den.contains(&Fq::ZERO) {
            continue;
        }
        let before = acc.clone();
        assert!(
            ifma.add_batch(&mut acc, &idx, &pts, &den, &mut scratch),
            "n = {n}"
        );
        for (k, (now, was)) in acc.iter().zip(&before).enumerate() {
            match idx.iter().position(|&i| i as usize == k) {
                Some(i) => {
                    let want = add_reference(was, &pts[i]);
                    assert_eq!(
                        (now.x.0, now.y.0),
                        (want.0 .0, want.1 .0),
                        "n = {n}, add {i}"
                    );
                    assert!(!now.infinity);
                }
                None => assert_eq!(now, was, "n = {n}: bucket {k} not in the batch changed"),
            }
        }
    }
}

#[test]
fn ifma_add_batch_refuses_bad_input_unchanged() {
    let Some(ifma) = fq_ifma::Ifma::detect() else {
        return;
    };
    let mut scratch = fq_ifma::Scratch::default();
    let pts = points(12, 3);
    let mut acc = points(12, 4);
    let before = acc.clone();
    let idx: Vec<u32> = (0..12).collect();
    let den: Vec<Fq> = acc.iter().zip(&pts).map(|(a, p)| den_of(a, p)).collect();
    // Lengths that differ, an index out of range, a zero denominator: false, nothing written.
    assert!(!ifma.add_batch(&mut acc, &idx[..11], &pts, &den, &mut scratch));
    assert!(!ifma.add_batch(&mut acc, &idx, &pts, &den[..11], &mut scratch));
    let mut far = idx.clone();
    far[5] = 12;
    assert!(!ifma.add_batch(&mut acc, &far, &pts, &den, &mut scratch));
    far[5] = u32::MAX;
    assert!(!ifma.add_batch(&mut acc, &far, &pts, &den, &mut scratch));
    let mut zero = den.clone();
    zero[9] = Fq::ZERO;
    assert!(!ifma.add_batch(&mut acc, &idx, &pts, &zero, &mut scratch));
    assert_eq!(acc, before);
    // And the good batch goes through.
    assert!(ifma.add_batch(&mut acc, &idx, &pts, &den, &mut scratch));
    for ((a, b), p) in acc.iter().zip(&before).zip(&pts) {
        assert_eq!(*a, (*b + *p).into_affine());
    }
}

#[test]
fn msm_g1_vector_path_on_adversarial_buckets() {
    // Many equal points and their negations: doublings and cancellations in the batches, the
    // collision queue and the overflow buckets, on the vector path and the scalar one.
    let mut r = Rng::new(0x0129);
    let p = points(64, 11);
    let n = 5000;
    let bases: Vec<G1Affine> = (0..n)
        .map(|i| {
            let b = p[(i * 13) % 5];
            if i % 3 == 0 {
                -b
            } else {
                b
            }
        })
        .collect();
    for kind in 0..3 {
        let s: Vec<Fr> = (0..n)
            .map(|i| match kind {
                0 => Fr::from((i % 4) as u64),
                1 => Fr::from(u64::from(r.next_u32() & 0xff)),
                _ => Fr::rand(&mut r),
            })
            .collect();
        let want = G1Projective::msm(&bases, &s).unwrap();
        assert_eq!(
            msm_g1_serial(&bases, &s).unwrap(),
            want,
            "vector, kind {kind}"
        );
        assert_eq!(
            msm_g1(&bases, &s).unwrap(),
            want,
            "vector parallel, kind {kind}"
        );
        FORCE_SCALAR.with(|f| f.set(true));
        let scalar = msm_g1_serial(&bases, &s).unwrap();
        FORCE_SCALAR.with(|f| f.set(false));
        assert_eq!(scalar, want, "scalar, kind {kind}");
    }
}

/// Random `Fq2` with edge values mixed into either component.
fn fq2s(r: &mut Rng, n: usize) -> Vec<Fq2> {
    let e = edges();
    (0..n)
        .map(|i| {
            let pick = |r: &mut Rng, k: usize| {
                if (i + k).is_multiple_of(3) {
                    e.get((i * 5 + k) % e.len()).copied().unwrap_or_default()
                } else {
                    Fq::rand(r)
                }
            };
            Fq2::new(pick(r, 0), pick(r, 1))
        })
        .collect()
}

#[test]
fn ifma_fq2_mul_matches_arkworks() {
    let Some(ifma) = fq_ifma::Ifma::detect() else {
        return;
    };
    let mut r = Rng::new(0x012a);
    for round in 0..5_000 {
        let a = fq2s(&mut r, 8);
        let b = fq2s(&mut r, 8);
        let a: [Fq2; 8] = core::array::from_fn(|l| a[l]);
        let mut b: [Fq2; 8] = core::array::from_fn(|l| b[l]);
        // Squares in one lane.
        b[round % 8] = a[round % 8];
        let got = ifma.mul8(&a, &b);
        for l in 0..8 {
            let want = a[l] * b[l];
            assert_eq!(
                (got[l].c0.0, got[l].c1.0),
                (want.c0.0, want.c1.0),
                "round {round}, lane {l}"
            );
        }
    }
}

#[test]
fn ifma_g2_add_batch_matches_arkworks() {
    let Some(ifma) = fq_ifma::Ifma::detect() else {
        return;
    };
    let mut r = Rng::new(0x012b);
    let mut scratch = fq_ifma::Scratch::default();
    for n in (0..=17).chain([100, 513]) {
        let size = 3 * n + 2;
        let xs = fq2s(&mut r, size);
        let ys = fq2s(&mut r, size);
        let mut acc: Vec<G2Affine> = xs
            .iter()
            .zip(&ys)
            .map(|(x, y)| G2Affine::new_unchecked(*x, *y))
            .collect();
        let idx: Vec<u32> = (0..n).map(|i| (3 * i + i % 3) as u32).collect();
        let (px, py) = (fq2s(&mut r, n), fq2s(&mut r, n));
        let pts: Vec<G2Affine> = (0..n)
            .map(|i| {
                let a = acc[idx[i] as usize];
                // Every seventh a doubling (same point).
                if i % 7 == 3 {
                    a
                } else {
                    G2Affine::new_unchecked(px[i], py[i])
                }
            })
            .collect();
        let den: Vec<Fq2> = idx
            .iter()
            .zip(&pts)
            .map(|(&k, p)| {
                let a = acc[k as usize];
                if a.x == p.x {
                    a.y.double()
                } else {
                    p.x - a.x
                }
            })
            .collect();
        if den.contains(&Fq2::ZERO) {
            continue;
        }
        let before = acc.clone();
        assert!(
            ifma.add_batch(&mut acc, &idx, &pts, &den, &mut scratch),
            "n = {n}"
        );
        for (k, (now, was)) in acc.iter().zip(&before).enumerate() {
            match idx.iter().position(|&i| i as usize == k) {
                Some(i) => {
                    let p = pts[i];
                    let (num, d) = if was.x == p.x {
                        (was.x.square() * Fq2::from(3u64), was.y.double())
                    } else {
                        (p.y - was.y, p.x - was.x)
                    };
                    let l = num * d.inverse().unwrap_or(Fq2::ZERO);
                    let x3 = l.square() - was.x - p.x;
                    let y3 = l * (was.x - x3) - was.y;
                    assert_eq!((now.x, now.y), (x3, y3), "n = {n}, add {i}");
                }
                None => assert_eq!(now, was, "n = {n}: bucket {k} changed"),
            }
        }
    }
}

#[test]
fn msm_g2_same_on_vector_and_scalar_paths() {
    let mut r = Rng::new(0x012c);
    let g = G2Projective::generator();
    let n = 1500;
    let mut acc = g * Fr::rand(&mut r);
    let step = g * Fr::rand(&mut r);
    let proj: Vec<G2Projective> = (0..n)
        .map(|i| {
            acc += step;
            if i % 50 < 10 {
                // Runs of equal points and negations: doublings and cancellations.
                if i % 2 == 0 {
                    g
                } else {
                    -g
                }
            } else {
                acc
            }
        })
        .collect();
    let bases = G2Projective::normalize_batch(&proj);
    for kind in 0..3 {
        let s: Vec<Fr> = (0..n)
            .map(|i| match kind {
                0 => Fr::from((i % 3) as u64),
                1 => Fr::from(u64::from(r.next_u32() & 0xff)),
                _ => Fr::rand(&mut r),
            })
            .collect();
        let want = G2Projective::msm(&bases, &s).unwrap();
        assert_eq!(
            msm_g2_serial(&bases, &s).unwrap(),
            want,
            "vector, kind {kind}"
        );
        assert_eq!(
            msm_g2(&bases, &s).unwrap(),
            want,
            "vector parallel, kind {kind}"
        );
        let checked = CheckedG2Bases::new(bases.clone()).unwrap();
        assert_eq!(
            checked.msm_serial(&s).unwrap(),
            want,
            "vector GLV, kind {kind}"
        );
        FORCE_SCALAR.with(|f| f.set(true));
        let scalar = msm_g2_serial(&bases, &s).unwrap();
        let scalar_glv = checked.msm_serial(&s).unwrap();
        FORCE_SCALAR.with(|f| f.set(false));
        assert_eq!(scalar, want, "scalar, kind {kind}");
        assert_eq!(scalar_glv, want, "scalar GLV, kind {kind}");
    }
}
