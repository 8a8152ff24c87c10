//! BN254 G1 and G2 multi-scalar multiplication: `causeway::snark::msm::{msm_g1, msm_g2}` beside
//! ark-ec 0.5's `VariableBaseMSM::msm` (the MSM ark-groth16 0.5 proves with), both on rayon's
//! threads, for n = 2^12, 2^14, 2^16 and these scalar mixes:
//!
//! * `random`: uniform full-width scalars;
//! * `bits`: only 0 and 1 (half each);
//! * `bytes`: uniform 8-bit scalars;
//! * `witness`: Groth16-witness-like scalars (45 % zero, 40 % one, 5 % bytes, 5 % u64, 5 %
//!   full).
//!
//! G2 runs `random` and `witness` only (its MSM is one of five in a proof), and a third row,
//! `causeway-subgroup`: `causeway::snark::msm::CheckedG2Bases::msm`, the path with GLV on `ψ`
//! that the prover takes on its proving-key bases (decision 0114; the check is done once, before
//! the timing, as a key's load does it).
//!
//! `msm-table/{g1,g2}/{random,witness}` (issue 14, decision 0098): the fixed-base table
//! (`causeway::snark::msm::G1Table` / `G2Table`, planned with no memory limit) beside our plain
//! MSM and ark-ec's, at 2^14 and 2^16; each table's build time and bytes are printed first.
//!
//! `fq-inverse/{causeway,ark-ff}` (decision 0128): 1,024 inversions of random BN254 `Fq`
//! elements per iteration, `causeway::snark::msm::HotField::inverse_h` (the MSM's optimized
//! binary GCD) beside arkworks' `Field::inverse`; divide the time by 1,024 for one inversion.
//!
//! Every group first checks that both sides return the same point.
//! Short settings: `cargo bench -p causeway-benches --bench msm -- --warm-up-time 1
//! --measurement-time 3`.

use ark_bn254::{Fq, Fr, G1Projective, G2Projective};
use ark_ec::VariableBaseMSM;
use ark_ff::{Field, One, UniformRand, Zero};
use ark_std::rand::RngCore;
use ark_std::test_rng;
use causeway::snark::msm::{msm_g1, msm_g2, CheckedG2Bases, G1Table, G2Table, HotField};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

use causeway_benches::msm_inputs::{bits, bytes, g1_bases as bases, g2_bases, random};

fn witness(n: usize) -> Vec<Fr> {
    let mut rng = test_rng();
    rng.next_u32();
    (0..n)
        .map(|_| match rng.next_u32() % 100 {
            0..=44 => Fr::zero(),
            45..=84 => Fr::one(),
            85..=89 => Fr::from(rng.next_u32() as u8 as u64),
            90..=94 => Fr::from(rng.next_u64()),
            _ => Fr::rand(&mut rng),
        })
        .collect()
}

fn msm(c: &mut Criterion) {
    type Make = fn(usize) -> Vec<Fr>;
    let mixes: [(&str, Make); 4] = [
        ("random", random),
        ("bits", bits),
        ("bytes", bytes),
        ("witness", witness),
    ];
    for (mix, make) in mixes {
        let mut g = c.benchmark_group(format!("msm-g1/{mix}"));
        g.sample_size(10);
        for log in [12u32, 14, 16] {
            let n = 1usize << log;
            let p = bases(n);
            let s = make(n);
            assert_eq!(
                msm_g1(&p, &s).unwrap(),
                G1Projective::msm(&p, &s).unwrap(),
                "{mix} 2^{log}"
            );
            g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
                b.iter(|| msm_g1(black_box(&p), black_box(&s)).unwrap())
            });
            g.bench_with_input(BenchmarkId::new("ark-ec", n), &n, |b, _| {
                b.iter(|| G1Projective::msm(black_box(&p), black_box(&s)).unwrap())
            });
        }
        g.finish();
    }
    for (mix, make) in [mixes[0], mixes[3]] {
        let mut g = c.benchmark_group(format!("msm-g2/{mix}"));
        g.sample_size(10);
        for log in [12u32, 14, 16] {
            let n = 1usize << log;
            let p = g2_bases(n);
            let s = make(n);
            assert_eq!(
                msm_g2(&p, &s).unwrap(),
                G2Projective::msm(&p, &s).unwrap(),
                "G2 {mix} 2^{log}"
            );
            let checked = CheckedG2Bases::new(p.clone()).unwrap();
            assert_eq!(
                checked.msm(&s).unwrap(),
                G2Projective::msm(&p, &s).unwrap(),
                "G2 subgroup {mix} 2^{log}"
            );
            g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
                b.iter(|| msm_g2(black_box(&p), black_box(&s)).unwrap())
            });
            g.bench_with_input(BenchmarkId::new("causeway-subgroup", n), &n, |b, _| {
                b.iter(|| checked.msm(black_box(&s)).unwrap())
            });
            g.bench_with_input(BenchmarkId::new("ark-ec", n), &n, |b, _| {
                b.iter(|| G2Projective::msm(black_box(&p), black_box(&s)).unwrap())
            });
        }
        g.finish();
    }
}

fn msm_table(c: &mut Criterion) {
    type Make = fn(usize) -> Vec<Fr>;
    let mixes: [(&str, Make); 2] = [("random", random), ("witness", witness)];
    for log in [14u32, 16] {
        let n = 1usize << log;
        let p = bases(n);
        let t0 = std::time::Instant::now();
        // Where the model plans no table (it would not pay), the bench pins c = 13 to show it.
        let t = G1Table::build(&p, usize::MAX, true)
            .or_else(|| G1Table::build_with(&p, 13, usize::MAX, true))
            .unwrap();
        eprintln!(
            "G1 table 2^{log}: c = {}, {} bytes, built in {:.2?}",
            t.window_bits(),
            t.bytes(),
            t0.elapsed()
        );
        for (mix, make) in mixes {
            let s = make(n);
            let want = G1Projective::msm(&p, &s).unwrap();
            assert_eq!(t.msm(&p, &s, true).unwrap(), want, "G1 table {mix} 2^{log}");
            let mut g = c.benchmark_group(format!("msm-table/g1/{mix}"));
            g.sample_size(10);
            g.bench_with_input(BenchmarkId::new("table", n), &n, |b, _| {
                b.iter(|| t.msm(black_box(&p), black_box(&s), true).unwrap())
            });
            g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
                b.iter(|| msm_g1(black_box(&p), black_box(&s)).unwrap())
            });
            g.bench_with_input(BenchmarkId::new("ark-ec", n), &n, |b, _| {
                b.iter(|| G1Projective::msm(black_box(&p), black_box(&s)).unwrap())
            });
            g.finish();
        }
    }
    for log in [14u32, 16] {
        let n = 1usize << log;
        let p = g2_bases(n);
        let t0 = std::time::Instant::now();
        // G2 at 2^16: the model plans no table (≤ 1.10×); the bench pins c = 12 to show it.
        let t = G2Table::build(&p, usize::MAX, true)
            .or_else(|| G2Table::build_with(&p, 12, usize::MAX, true))
            .unwrap();
        eprintln!(
            "G2 table 2^{log}: c = {}, {} bytes, built in {:.2?}",
            t.window_bits(),
            t.bytes(),
            t0.elapsed()
        );
        for (mix, make) in mixes {
            let s = make(n);
            let want = G2Projective::msm(&p, &s).unwrap();
            assert_eq!(t.msm(&p, &s, true).unwrap(), want, "G2 table {mix} 2^{log}");
            let mut g = c.benchmark_group(format!("msm-table/g2/{mix}"));
            g.sample_size(10);
            g.bench_with_input(BenchmarkId::new("table", n), &n, |b, _| {
                b.iter(|| t.msm(black_box(&p), black_box(&s), true).unwrap())
            });
            g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
                b.iter(|| msm_g2(black_box(&p), black_box(&s)).unwrap())
            });
            g.bench_with_input(BenchmarkId::new("ark-ec", n), &n, |b, _| {
                b.iter(|| G2Projective::msm(black_box(&p), black_box(&s)).unwrap())
            });
            g.finish();
        }
    }
}

fn fq_inverse(c: &mut Criterion) {
    let mut rng = test_rng();
    let xs: Vec<Fq> = (0..1024).map(|_| Fq::rand(&mut rng)).collect();
    for x in &xs {
        assert_eq!(x.inverse_h(), x.inverse());
    }
    let mut g = c.benchmark_group("fq-inverse");
    g.bench_function("causeway", |b| {
        b.iter(|| {
            black_box(&xs)
                .iter()
                .map(|x| x.inverse_h().unwrap_or_else(Fq::zero))
                .fold(Fq::zero(), |a, y| a + y)
        })
    });
    g.bench_function("ark-ff", |b| {
        b.iter(|| {
            black_box(&xs)
                .iter()
                .map(|x| x.inverse().unwrap_or_else(Fq::zero))
                .fold(Fq::zero(), |a, y| a + y)
        })
    });
    g.finish();
}

criterion_group!(benches, fq_inverse, msm, msm_table);
criterion_main!(benches);
