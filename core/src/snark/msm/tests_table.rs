//! Fixed-base tables (`table`): differential tests against `ark_ec::VariableBaseMSM`, the tie to
//! the bases a table was built from, and the limits.

use super::table::{FixedBaseTable, MAX_WINDOW_BITS, NARROW_BITS};
use super::*;
use crate::testing::TestRng as Rng;
use ark_bn254::G1Projective;
use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{Field, UniformRand};
use rand_core::RngCore;

const BIG: usize = usize::MAX;

/// Random points of any curve, built cheaply (multiples of a few random points); `msm/tests.rs`
/// uses it for G1.
pub(super) fn points<P: SWCurveConfig>(n: usize, seed: u64) -> Vec<Affine<P>>
where
    P::ScalarField: UniformRand,
{
    let mut r = Rng::new(seed);
    let g = Projective::<P>::generator();
    let mut acc = g * P::ScalarField::rand(&mut r);
    let step = g * P::ScalarField::rand(&mut r);
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        if i % 64 == 0 {
            acc = g * P::ScalarField::rand(&mut r);
        }
        acc += step;
        v.push(acc);
    }
    Projective::<P>::normalize_batch(&v)
}

fn random(n: usize, seed: u64) -> Vec<Fr> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| Fr::rand(&mut r)).collect()
}

// Groth16-witness-like scalars: `msm/tests.rs`'s.
use super::tests::witness_scalars as witness;

/// The table's result (serial and parallel, field and integer scalars) against ark-ec's.
fn agrees<P: SWCurveConfig>(t: &FixedBaseTable<P>, bases: &[Affine<P>], s: &[Fr], what: &str)
where
    Projective<P>: VariableBaseMSM<MulBase = Affine<P>, ScalarField = Fr>,
    P::BaseField: HotField,
{
    assert!(t.is_for(bases), "{what}: table not for these bases");
    let want = Projective::<P>::msm(bases, s).unwrap();
    let big: Vec<BigInt<4>> = s.iter().map(|x| x.into_bigint()).collect();
    for parallel in [true, false] {
        assert_eq!(
            t.msm(bases, s, parallel).unwrap(),
            want,
            "{what} par={parallel}"
        );
        assert_eq!(
            t.msm_bigint(bases, &big, parallel).unwrap(),
            want,
            "{what} bigint par={parallel}"
        );
    }
}

#[test]
fn g1_random_and_witness_scalars_agree_for_every_window_width() {
    for (i, n) in [1usize, 2, 3, 33, 257, 1000].into_iter().enumerate() {
        let bases = points::<ark_bn254::g1::Config>(n, 1 + i as u64);
        for c in [6usize, 8, 11, 13, 16] {
            let t = G1Table::build_with(&bases, c, BIG, true).unwrap();
            assert_eq!(t.window_bits(), c);
            assert_eq!(t.len(), n);
            agrees(
                &t,
                &bases,
                &random(n, 10 + i as u64),
                &format!("random n={n} c={c}"),
            );
            agrees(
                &t,
                &bases,
                &witness(n, 20 + i as u64),
                &format!("witness n={n} c={c}"),
            );
        }
    }
}

#[test]
fn g1_large_inputs_agree_with_the_planned_table() {
    let n = 1 << 13;
    let bases = points::<ark_bn254::g1::Config>(n, 3);
    let t = G1Table::build(&bases, BIG, true).unwrap();
    let plan = G1Table::plan(n, BIG, true).unwrap();
    assert_eq!(t.window_bits(), plan.window_bits);
    assert_eq!(t.bytes(), plan.bytes);
    assert_eq!(
        plan.bytes,
        n * plan.windows * core::mem::size_of::<G1Affine>()
    );
    agrees(&t, &bases, &random(n, 4), "random 2^13");
    agrees(&t, &bases, &witness(n, 5), "witness 2^13");
    // The table built on one thread is the same table.
    let serial = G1Table::build(&bases, BIG, false).unwrap();
    assert_eq!(serial.window_bits(), t.window_bits());
    agrees(&serial, &bases, &random(n, 6), "random 2^13, serial build");
}

fn adversarial(n: usize, seed: u64) -> Vec<(String, Vec<Fr>)> {
    let mut r = Rng::new(seed);
    let mut cases: Vec<(String, Vec<Fr>)> = vec![
        ("all zero".into(), vec![Fr::ZERO; n]),
        ("all one".into(), vec![Fr::ONE; n]),
        ("all r-1".into(), vec![-Fr::ONE; n]),
        ("all equal random".into(), vec![Fr::rand(&mut r); n]),
        ("all u64::MAX".into(), vec![Fr::from(u64::MAX); n]),
        (
            "alternating x, -x".into(),
            (0..n)
                .map(|i| {
                    let x = Fr::from(1u64 << 40) + Fr::from(i as u64 / 2);
                    if i % 2 == 0 {
                        x
                    } else {
                        -x
                    }
                })
                .collect(),
        ),
        (
            "r-1 - small".into(),
            (0..n).map(|i| -Fr::from(i as u64 + 1)).collect(),
        ),
    ];
    // Powers of two at and around the narrow threshold, window edges and the top.
    for k in [
        NARROW_BITS as u64 - 1,
        NARROW_BITS as u64,
        NARROW_BITS as u64 + 1,
        63,
        64,
        127,
        128,
        159,
        160,
        239,
        240,
        252,
        253,
    ] {
        let p = Fr::from(2u64).pow([k]);
        cases.push((format!("all 2^{k}"), vec![p; n]));
        cases.push((
            format!("2^{k} ± i"),
            (0..n)
                .map(|i| {
                    if i % 2 == 0 {
                        p + Fr::from(i as u64)
                    } else {
                        p - Fr::from(i as u64)
                    }
                })
                .collect(),
        ));
    }
    // Every window's digit at its extremes: all bits set below 2^k (Booth digit −1 chains).
    for k in [16u64, 48, 100, 200, 253] {
        let p = Fr::from(2u64).pow([k]) - Fr::ONE;
        cases.push((format!("all 2^{k}-1"), vec![p; n]));
    }
    cases
}

#[test]
fn g1_adversarial_scalars_repeated_bases_and_infinity_agree() {
    let n = 300;
    let g = ark_bn254::g1::Config::GENERATOR;
    let distinct = points::<ark_bn254::g1::Config>(n, 7);
    let repeated = vec![g; n];
    let mut with_inf = distinct.clone();
    for p in with_inf.iter_mut().step_by(3) {
        *p = G1Affine::identity();
    }
    // Bases that are negations and doubles of each other (cancellations and doublings in one
    // bucket batch).
    let mut mixed = distinct.clone();
    for i in (1..n).step_by(4) {
        mixed[i] = -mixed[i - 1];
    }
    for i in (2..n).step_by(4) {
        mixed[i] = (G1Projective::from(mixed[i - 2]).double()).into_affine();
    }
    for (bname, bases) in [
        ("distinct", distinct),
        ("repeated", repeated),
        ("with infinity", with_inf),
        ("negations and doubles", mixed),
    ] {
        for c in [6usize, 16] {
            let t = G1Table::build_with(&bases, c, BIG, true).unwrap();
            for (sname, s) in adversarial(n, 8) {
                agrees(&t, &bases, &s, &format!("{bname} / {sname} c={c}"));
            }
        }
    }
}

#[test]
fn g2_random_witness_and_adversarial_scalars_agree() {
    let n = 200;
    let bases = points::<ark_bn254::g2::Config>(n, 9);
    for c in [7usize, 12] {
        let t = G2Table::build_with(&bases, c, BIG, true).unwrap();
        agrees(&t, &bases, &random(n, 10), &format!("G2 random c={c}"));
        agrees(&t, &bases, &witness(n, 11), &format!("G2 witness c={c}"));
        for (sname, s) in adversarial(n, 12).into_iter().step_by(3) {
            agrees(&t, &bases, &s, &format!("G2 {sname} c={c}"));
        }
    }
    let g = ark_bn254::g2::Config::GENERATOR;
    let mut odd = vec![g; n];
    odd[5] = G2Affine::identity();
    odd[6] = -g;
    let t = G2Table::build_with(&odd, 9, BIG, false).unwrap();
    agrees(&t, &odd, &random(n, 13), "G2 repeated bases with infinity");
    // A planned G2 table on more points.
    let n = 2048;
    let bases = points::<ark_bn254::g2::Config>(n, 14);
    let t = G2Table::build(&bases, BIG, true).unwrap();
    agrees(&t, &bases, &random(n, 15), "G2 random 2^11");
}

#[test]
fn unreduced_integers_take_the_plain_method_and_agree() {
    let n = 64;
    let bases = points::<ark_bn254::g1::Config>(n, 16);
    let t = G1Table::build_with(&bases, 16, BIG, true).unwrap();
    let mut r = Rng::new(17);
    let big: Vec<BigInt<4>> = (0..n)
        .map(|i| match i % 3 {
            0 => BigInt([u64::MAX; 4]),
            1 => BigInt([r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64()]),
            _ => Fr::rand(&mut r).into_bigint(),
        })
        .collect();
    let want = G1Projective::msm_bigint(&bases, &big);
    for parallel in [true, false] {
        assert_eq!(t.msm_bigint(&bases, &big, parallel).unwrap(), want);
    }
}

#[test]
fn a_table_is_never_used_for_other_bases() {
    let n = 500;
    let bases = points::<ark_bn254::g1::Config>(n, 18);
    let other = points::<ark_bn254::g1::Config>(n, 19);
    let t = G1Table::build_with(&bases, 10, BIG, true).unwrap();
    let s = random(n, 20);
    let from_table = t.msm(&bases, &s, true).unwrap();
    // Other bases of the same length, one base changed, a prefix, bases reordered: each result
    // is the plain MSM over the bases given (the table's would be `from_table`).
    let mut one_changed = bases.clone();
    one_changed[n - 1] = other[0];
    let mut swapped = bases.clone();
    swapped.swap(0, 1);
    for (what, b) in [
        ("other bases", &other[..]),
        ("one base changed", &one_changed[..]),
        ("swapped", &swapped[..]),
    ] {
        assert!(!t.is_for(b), "{what}");
        let want = G1Projective::msm(b, &s).unwrap();
        assert_ne!(want, from_table, "{what}");
        for parallel in [true, false] {
            assert_eq!(t.msm(b, &s, parallel).unwrap(), want, "{what}");
        }
    }
    let prefix = &bases[..n - 1];
    assert!(!t.is_for(prefix));
    assert_eq!(
        t.msm(prefix, &s[..n - 1], true).unwrap(),
        G1Projective::msm(prefix, &s[..n - 1]).unwrap()
    );
    // Mismatched lengths stay a typed error.
    assert_eq!(
        t.msm(&bases, &s[..n - 1], true).unwrap_err(),
        SnarkError::MsmLengthMismatch {
            bases: n,
            scalars: n - 1
        }
    );
}

#[test]
fn limits_budget_zero_huge_n_and_memory() {
    let bases = points::<ark_bn254::g1::Config>(100, 21);
    // A budget of 0 means no table.
    assert!(G1Table::plan(100, 0, true).is_none());
    assert!(G1Table::build(&bases, 0, true).is_none());
    assert!(G1Table::build_with(&bases, 8, 0, true).is_none());
    // No table for no bases, or for more than the MSM cap.
    assert!(G1Table::plan(0, BIG, true).is_none());
    assert!(G1Table::build(&[], BIG, true).is_none());
    assert!(G1Table::plan(MAX_MSM_POINTS + 1, BIG, true).is_none());
    assert!(G2Table::plan(usize::MAX, BIG, true).is_none());
    // The budget bounds the table: a plan always fits it, and a pinned width that does not fit
    // is refused before any allocation.
    let point = core::mem::size_of::<G1Affine>();
    for budget in [point * 100 * 13, point * 100 * 20, point * 100 * 43, BIG] {
        if let Some(p) = G1Table::plan(100, budget, true) {
            assert!(p.bytes <= budget);
            assert!(p.window_bits <= MAX_WINDOW_BITS);
        }
    }
    let exact = 100 * 16 * point; // c = 16: 16 windows
    assert!(G1Table::build_with(&bases, 16, exact - 1, true).is_none());
    let t = G1Table::build_with(&bases, 16, exact, true).unwrap();
    assert_eq!(t.bytes(), exact);
    // Under a small budget the plan widens the window (fewer windows) or gives up.
    let n = 1 << 16;
    let roomy = G1Table::plan(n, BIG, true).unwrap();
    let tight = G1Table::plan(n, roomy.bytes - 1, true);
    if let Some(t) = tight {
        assert!(t.bytes < roomy.bytes);
        assert!(t.window_bits > roomy.window_bits);
    }
    // The largest key the format allows: planned only under a budget it fits (never more).
    let huge = G2Table::plan(MAX_MSM_POINTS, 64 << 20, true);
    assert!(huge.is_none());
}

#[test]
fn the_plan_pays_only_where_the_model_says() {
    // Full-width scalars on many points: a table is planned, at least as wide as the plain
    // method's window (no per-window reductions to pay), its bucket set within half an L2.
    for n in [1usize << 12, 1 << 14, 1 << 16, 1 << 20] {
        let Some(p) = G1Table::plan(n, BIG, true) else {
            assert!(n > 1 << 16, "n={n}: no G1 plan");
            continue;
        };
        assert!(p.window_bits >= window_bits(n, 254).min(13), "n={n}: {p:?}");
        assert!((1usize << (p.window_bits - 1)) * core::mem::size_of::<G1Affine>() <= 512 << 10);
        // G2: planned up to 2^14; from ≈ 2^16 on the capped window (c ≤ 12) no longer beats
        // the plain method's wider one by 10 %, and then no table is planned.
        let q = G2Table::plan(n, BIG, true);
        assert!(q.is_some() || n > 1 << 14, "n={n}");
        if let Some(q) = q {
            assert!(
                (1usize << (q.window_bits - 1)) * core::mem::size_of::<G2Affine>() <= 512 << 10
            );
        }
    }
    // A handful of points: the plain method is as good (no table planned) or the table is
    // modelled to beat it; either way nothing wider than the cap.
    if let Some(p) = G1Table::plan(2, BIG, true) {
        assert!(p.window_bits <= 13);
    }
}
