//! Bulletproofs range proofs: `causeway::range` beside the raw `bulletproofs` 5 crate.
//!
//! * `range/single_64`: one 64-bit range proof, prove and verify (causeway: a one-sided claim,
//!   one sub-proof; raw: `prove_single` / `verify_single`).
//! * `range/aggregate`: `k` two-sided claims (`2k` 64-bit sub-proofs) in one proof, beside the raw
//!   crate aggregating `2k` values.
//! * `range/batch_verify`: `N` independent single-claim proofs, verified one by one (raw crate and
//!   causeway) and with `causeway::range::verify_batch` (throughput = proofs).
//!
//! Short settings: `cargo bench -p causeway-benches --bench range -- --warm-up-time 1
//! --measurement-time 3`.

use bulletproofs::{BulletproofGens, PedersenGens, RangeProof};
use causeway::commit::RangeCommitment;
use causeway::range::{
    self, AggregateRangeProof, BatchItem, RangeClaim, RangeWitness, Scalar, Transcript,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use curve25519_dalek::ristretto::CompressedRistretto;
use rand_core::{OsRng, RngCore};
use std::hint::black_box;

fn blinding() -> Scalar {
    let mut wide = [0u8; 64];
    OsRng.fill_bytes(&mut wide);
    Scalar::from_bytes_mod_order_wide(&wide)
}

fn transcript() -> Transcript {
    Transcript::new(b"causeway bench")
}

fn one_sided(value: i64) -> (RangeClaim, RangeWitness) {
    let r = blinding();
    (
        RangeClaim::at_least(RangeCommitment::commit(value, &r), 0),
        RangeWitness { value, blinding: r },
    )
}

fn two_sided(value: i64) -> (RangeClaim, RangeWitness) {
    let r = blinding();
    (
        RangeClaim::between(
            RangeCommitment::commit(value, &r),
            value - 1_000,
            value + 1_000,
        ),
        RangeWitness { value, blinding: r },
    )
}

fn raw_prove(
    bp: &BulletproofGens,
    pc: &PedersenGens,
    values: &[u64],
    blindings: &[Scalar],
) -> (RangeProof, Vec<CompressedRistretto>) {
    RangeProof::prove_multiple_with_rng(
        bp,
        pc,
        &mut transcript(),
        values,
        blindings,
        64,
        &mut OsRng,
    )
    .unwrap()
}

fn single(c: &mut Criterion) {
    let pc = PedersenGens::default();
    let bp = BulletproofGens::new(64, 1);
    let mut g = c.benchmark_group("range/single_64");
    g.sample_size(20);

    let v = 1_037_578_891u64;
    let r = blinding();
    g.bench_function("bulletproofs/prove", |b| {
        b.iter(|| raw_prove(&bp, &pc, black_box(&[v]), &[r]))
    });
    let (claim, witness) = one_sided(v as i64);
    let claims = [claim];
    let witnesses = [witness];
    g.bench_function("causeway/prove", |b| {
        b.iter(|| range::prove(&mut transcript(), black_box(&claims), &witnesses).unwrap())
    });

    let (raw, vs) = raw_prove(&bp, &pc, &[v], &[r]);
    g.bench_function("bulletproofs/verify", |b| {
        b.iter(|| {
            raw.verify_multiple_with_rng(
                &bp,
                &pc,
                &mut transcript(),
                black_box(&vs),
                64,
                &mut OsRng,
            )
            .unwrap()
        })
    });
    let proof = range::prove(&mut transcript(), &claims, &witnesses).unwrap();
    g.bench_function("causeway/verify", |b| {
        b.iter(|| range::verify(&mut transcript(), black_box(&claims), &proof).unwrap())
    });
    g.finish();
}

fn aggregate(c: &mut Criterion) {
    let pc = PedersenGens::default();
    let bp = BulletproofGens::new(64, 32);
    let mut g = c.benchmark_group("range/aggregate");
    g.sample_size(10);
    for k in [2usize, 4, 8, 16] {
        let m = 2 * k;
        let values: Vec<u64> = (0..m as u64).map(|i| 1_000 + i).collect();
        let blindings: Vec<Scalar> = (0..m).map(|_| blinding()).collect();
        let (claims, witnesses): (Vec<_>, Vec<_>) =
            (0..k as i64).map(|i| two_sided(50_000 + i)).unzip();

        g.bench_with_input(BenchmarkId::new("bulletproofs/prove", k), &k, |b, _| {
            b.iter(|| raw_prove(&bp, &pc, &values, &blindings))
        });
        g.bench_with_input(BenchmarkId::new("causeway/prove", k), &k, |b, _| {
            b.iter(|| range::prove(&mut transcript(), &claims, &witnesses).unwrap())
        });
        let (raw, vs) = raw_prove(&bp, &pc, &values, &blindings);
        g.bench_with_input(BenchmarkId::new("bulletproofs/verify", k), &k, |b, _| {
            b.iter(|| {
                raw.verify_multiple_with_rng(&bp, &pc, &mut transcript(), &vs, 64, &mut OsRng)
                    .unwrap()
            })
        });
        let proof = range::prove(&mut transcript(), &claims, &witnesses).unwrap();
        g.bench_with_input(BenchmarkId::new("causeway/verify", k), &k, |b, _| {
            b.iter(|| range::verify(&mut transcript(), &claims, &proof).unwrap())
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let pc = PedersenGens::default();
    let bp = BulletproofGens::new(64, 1);
    let max = 1024usize;
    // One single-claim proof per item, each on its own transcript (distinct challenges).
    let cases: Vec<(
        RangeClaim,
        AggregateRangeProof,
        RangeProof,
        CompressedRistretto,
    )> = (0..max)
        .map(|i| {
            let (claim, w) = one_sided(i as i64 * 7_919);
            let mut t = transcript();
            t.append_u64(b"challenge", i as u64);
            let proof = range::prove(&mut t, &[claim], &[w]).unwrap();
            let mut t = transcript();
            t.append_u64(b"challenge", i as u64);
            let (raw, v) = RangeProof::prove_single_with_rng(
                &bp,
                &pc,
                &mut t,
                i as u64,
                &blinding(),
                64,
                &mut OsRng,
            )
            .unwrap();
            (claim, proof, raw, v)
        })
        .collect();
    let claims: Vec<[RangeClaim; 1]> = cases.iter().map(|c| [c.0]).collect();
    let chal = |i: usize| {
        let mut t = transcript();
        t.append_u64(b"challenge", i as u64);
        t
    };

    let mut g = c.benchmark_group("range/batch_verify");
    g.sample_size(10);
    for n in [64usize, 256, 1024] {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new("bulletproofs/one_by_one", n),
            &n,
            |b, &n| {
                b.iter(|| {
                    for (i, case) in cases.iter().take(n).enumerate() {
                        case.2
                            .verify_single_with_rng(&bp, &pc, &mut chal(i), &case.3, 64, &mut OsRng)
                            .unwrap();
                    }
                })
            },
        );
        g.bench_with_input(BenchmarkId::new("causeway/one_by_one", n), &n, |b, &n| {
            b.iter(|| {
                for (i, case) in cases.iter().take(n).enumerate() {
                    range::verify(&mut chal(i), &claims[i], &case.1).unwrap();
                }
            })
        });
        g.bench_with_input(BenchmarkId::new("causeway/batch", n), &n, |b, &n| {
            b.iter(|| {
                let mut items: Vec<BatchItem<'_>> = cases
                    .iter()
                    .take(n)
                    .enumerate()
                    .map(|(i, case)| BatchItem {
                        transcript: chal(i),
                        claims: &claims[i],
                        proof: &case.1,
                    })
                    .collect();
                range::verify_batch(&mut items).unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, single, aggregate, batch);
criterion_main!(benches);
