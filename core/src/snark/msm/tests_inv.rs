//! Differential tests of the `Fq` inversion (`fq_inv`, decision 0128) against arkworks'
//! `Field::inverse`, bit for bit, and of `HotField::inverse_h` on `Fq` and `Fq2`.

use super::fq_inv::{self, MAX_ROUNDS};
use super::hot::HotField;
use crate::testing::TestRng as Rng;
use ark_bn254::{Fq, Fq2, FqConfig};
use ark_ff::{AdditiveGroup, BigInt, Field, MontConfig, One, PrimeField, UniformRand, Zero};
use rand_core::RngCore;

fn modulus() -> [u64; 4] {
    <FqConfig as MontConfig<4>>::MODULUS.0
}

/// `x − k` on four limbs (no borrow out for the values used here).
fn sub_small(x: [u64; 4], k: u64) -> [u64; 4] {
    let mut out = x;
    let mut borrow = k;
    for l in &mut out {
        let (d, b) = l.overflowing_sub(borrow);
        *l = d;
        borrow = u64::from(b);
    }
    out
}

/// `x >> 1` on four limbs.
fn half(x: [u64; 4]) -> [u64; 4] {
    let [a, b, c, d] = x;
    [
        (a >> 1) | (b << 63),
        (b >> 1) | (c << 63),
        (c >> 1) | (d << 63),
        d >> 1,
    ]
}

/// Whether the limbs are below `p` (a valid `Fq` representation).
fn below_p(l: &[u64; 4]) -> bool {
    BigInt(*l) < <FqConfig as MontConfig<4>>::MODULUS
}

/// Edge values, as field values (0, 1, −1, 2, 2⁻¹, p − 1, p − 2, (p ± 1)/2, R, R², R⁻¹) and as raw
/// Montgomery limbs (the same integers where below `p`, limb boundaries, powers of two, values
/// whose top bits equal `p`'s, so that the approximations of `a` and `b` tie).
fn edges() -> Vec<Fq> {
    let p = modulus();
    let r = <FqConfig as MontConfig<4>>::R.0;
    let r2 = <FqConfig as MontConfig<4>>::R2.0;
    let p_half = half(p);
    let mut ints: Vec<[u64; 4]> = vec![
        [0, 0, 0, 0],
        [1, 0, 0, 0],
        [2, 0, 0, 0],
        sub_small(p, 1),
        sub_small(p, 2),
        p_half,
        [p_half[0] + 1, p_half[1], p_half[2], p_half[3]],
        r,
        r2,
        [u64::MAX, 0, 0, 0],
        [0, 1, 0, 0],
        [u64::MAX, u64::MAX, 0, 0],
        [0, 0, 1, 0],
        [u64::MAX, u64::MAX, u64::MAX, 0],
        [0, 0, 0, 1],
        [u64::MAX, 0, u64::MAX, 0],
        [0, u64::MAX, 0, 1],
    ];
    for k in 0..254 {
        let mut l = [0u64; 4];
        if let Some(w) = l.get_mut(k / 64) {
            *w = 1 << (k % 64);
        }
        ints.push(l);
        // p − 1 − 2^k: the top bits tie with p's for small k.
        let mut m = sub_small(p, 1);
        let mut borrow = false;
        for (mi, li) in m.iter_mut().zip(l) {
            let (d, b1) = mi.overflowing_sub(li);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            *mi = d;
            borrow = b1 | b2;
        }
        ints.push(m);
    }
    for k in 3..200u64 {
        ints.push(sub_small(p, k));
        ints.push([k, 0, 0, 0]);
    }
    let mut v: Vec<Fq> = Vec::new();
    for l in &ints {
        // As raw Montgomery limbs (where a valid representation) …
        if below_p(l) {
            v.push(Fq::new_unchecked(BigInt(*l)));
        }
        // … and as the field element with that integer value.
        if let Some(x) = Fq::from_bigint(BigInt(*l)) {
            v.push(x);
        }
    }
    let two = Fq::from(2u64);
    v.extend([
        Fq::ZERO,
        Fq::ONE,
        -Fq::ONE,
        two,
        two.inverse().unwrap_or(Fq::ZERO),
        Fq::from_bigint(BigInt(r))
            .and_then(|x| x.inverse())
            .unwrap_or(Fq::ZERO),
    ]);
    v
}

/// Checks one element: the same limbs as arkworks, `x·x⁻¹ = 1`, and no fall-back (returns the
/// rounds taken, 0 for zero).
fn check(x: &Fq, what: &str) -> u32 {
    let want = x.inverse();
    let got = fq_inv::inverse(x);
    assert_eq!(got.map(|g| (g.0).0), want.map(|w| (w.0).0), "{what}: {x:?}");
    assert_eq!(
        x.inverse_h().map(|g| (g.0).0),
        want.map(|w| (w.0).0),
        "{what}: inverse_h"
    );
    let Some(inv) = got else {
        assert!(x.is_zero(), "{what}: {x:?} not inverted");
        return 0;
    };
    assert!(below_p(&(inv.0).0), "{what}: not reduced");
    assert_eq!(*x * inv, Fq::ONE, "{what}: x·x⁻¹");
    let got = fq_inv::invert(&(x.0).0);
    assert!(
        got.is_some(),
        "{what}: {x:?} needed more than {MAX_ROUNDS} rounds"
    );
    let Some((limbs, rounds)) = got else {
        return 0;
    };
    assert_eq!(limbs, (inv.0).0, "{what}");
    rounds
}

#[test]
fn fq_inverse_matches_arkworks_on_edges() {
    let e = edges();
    assert!(e.len() > 1000);
    let mut max = 0;
    for (i, x) in e.iter().enumerate() {
        max = max.max(check(x, &format!("edge {i}")));
    }
    assert_eq!(fq_inv::inverse(&Fq::ZERO), None);
    assert_eq!(Fq::ZERO.inverse_h(), None);
    assert_eq!(fq_inv::inverse(&Fq::ONE), Some(Fq::ONE));
    assert_eq!(fq_inv::inverse(&-Fq::ONE), Some(-Fq::ONE));
    eprintln!("edges: at most {max} rounds of {MAX_ROUNDS}");
}

#[test]
fn fq_inverse_matches_arkworks_on_random_elements() {
    let mut r = Rng::new(0x0128);
    let (mut max, mut total) = (0u32, 0u64);
    let n = 100_000u32;
    for i in 0..n {
        let x = Fq::rand(&mut r);
        let rounds = check(&x, &format!("random {i}"));
        max = max.max(rounds);
        total += u64::from(rounds);
    }
    eprintln!(
        "random: at most {max} rounds of {MAX_ROUNDS}, {:.2} on average",
        total as f64 / f64::from(n)
    );
}

#[test]
fn fq_inverse_matches_arkworks_on_random_limbs() {
    // Limb patterns `Fq::rand` rarely makes: all-ones limbs, zero limbs, tops near p's, and
    // short values (a few limbs), all below p.
    let mut r = Rng::new(0x0129);
    let p = modulus();
    for i in 0..20_000u32 {
        let mut l = [r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64()];
        for (k, w) in l.iter_mut().enumerate() {
            match (i >> (2 * k)) % 4 {
                0 => *w = u64::MAX,
                1 => *w = 0,
                _ => {}
            }
        }
        let [_, _, _, top] = p;
        if let Some(w) = l.get_mut(3) {
            *w = match i % 3 {
                0 => top - (*w & 0xff).min(top),
                1 => *w % (top + 1),
                _ => 0,
            };
        }
        if !below_p(&l) {
            continue;
        }
        check(&Fq::new_unchecked(BigInt(l)), &format!("limbs {i}"));
    }
}

#[test]
fn fq_inverse_of_products_and_chains() {
    // x⁻¹ of x = Π of small factors, and repeated inversion returns the start value.
    let mut x = Fq::ONE;
    for k in 1..2_000u64 {
        x *= Fq::from(k);
        check(&x, &format!("{k}!"));
    }
    let mut r = Rng::new(0x012a);
    let start = Fq::rand(&mut r);
    let mut y = start;
    for _ in 0..1_000 {
        y = fq_inv::inverse(&y).unwrap_or(Fq::ZERO);
    }
    assert_eq!(y, start);
}

/// arkworks' `Fq2` inverse against `HotField::inverse_h`, limbs of both coordinates.
fn check2(a: &Fq2, what: &str) {
    let want = a.inverse();
    let got = a.inverse_h();
    assert_eq!(
        got.map(|g| ((g.c0.0).0, (g.c1.0).0)),
        want.map(|w| ((w.c0.0).0, (w.c1.0).0)),
        "{what}: {a:?}"
    );
    if let Some(g) = got {
        assert!(g * a == Fq2::one(), "{what}: a·a⁻¹");
    }
}

#[test]
fn fq2_inverse_h_matches_arkworks() {
    let e = edges();
    let mut r = Rng::new(0x012b);
    check2(&Fq2::zero(), "zero");
    check2(&Fq2::one(), "one");
    check2(&Fq2::new(Fq::ZERO, Fq::ONE), "u");
    check2(&Fq2::new(Fq::ZERO, -Fq::ONE), "−u");
    // Edge values in either coordinate, the other zero, one or random.
    for (i, x) in e.iter().enumerate().step_by(3) {
        let y = Fq::rand(&mut r);
        for (c0, c1) in [
            (*x, Fq::ZERO),
            (Fq::ZERO, *x),
            (*x, Fq::ONE),
            (*x, *x),
            (*x, -*x),
            (*x, y),
            (y, *x),
        ] {
            check2(&Fq2::new(c0, c1), &format!("edge {i}"));
        }
    }
    for i in 0..20_000 {
        check2(&Fq2::rand(&mut r), &format!("random {i}"));
    }
}
