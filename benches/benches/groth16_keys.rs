//! Groth16 proving-key loading and batch verification (issue 14; decisions 0079, 0080).
//!
//! * `groth16_keys/load_sum16`: the sum:16 proving key decoded from memory, format version 1
//!   (compressed, the peer: what every load cost before) beside version 2 (uncompressed), each
//!   fully checked and with a pinned digest (SHA-256 of the bytes included); and
//!   `KeyRing::load_dir_trusted_manifest` from a key directory (file read, manifest, pinned by
//!   it: since decision 0079's amendment plain `load_dir` treats the manifest as advisory and
//!   checks every point, the `full_checks` figure). Throughput in
//!   bytes of the encoding.
//! * `groth16_keys/prove_sum16`: the sum:16 proof in memory (key already loaded) beside
//!   `load_dir_trusted_manifest` + the same proof: what a CLI run with a pinned key pays on top
//!   of proving.
//! * `groth16_keys/verify64`: 64 proofs under one key, one by one (serial, as a loop of
//!   `snark::verify`, and on rayon's threads) beside `VerifyingKey::verify_batch`.
//!
//! Short settings: `cargo bench -p causeway-benches --bench groth16_keys -- --warm-up-time 1
//! --measurement-time 3`.

use causeway::snark::{self, Circuit, Fr, KeyRing, KeyUse, ProvingKey, ProvingKeyFormat};
use causeway_circuits::statements::sum::SumCircuit;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand_core::OsRng;
use std::hint::black_box;
use std::time::Instant;

#[path = "../common/groth16.rs"]
#[allow(dead_code)]
mod common;
use common::SquareChain;

fn sum16_circuit() -> (SumCircuit, Vec<Fr>) {
    common::sum(16)
}

fn load(c: &mut Criterion) {
    let shape = Circuit::Sum(16);
    let t = Instant::now();
    let pk = shape.setup().unwrap();
    eprintln!("sum:16 setup {:.1} s", t.elapsed().as_secs_f64());
    let dir = tempfile::tempdir().unwrap();
    let mut ring = KeyRing::new();
    ring.insert(shape, pk.clone());
    ring.save_dir(dir.path()).unwrap();

    let mut g = c.benchmark_group("groth16_keys/load_sum16");
    g.sample_size(10);
    for (name, format) in [("v1", ProvingKeyFormat::V1), ("v2", ProvingKeyFormat::V2)] {
        let bytes = pk.to_bytes_in(format);
        let digest = ProvingKey::digest_of_bytes(&bytes);
        eprintln!("sum:16 proving key {name}: {} bytes", bytes.len());
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(BenchmarkId::new("full_checks", name), |b| {
            b.iter(|| ProvingKey::from_bytes(black_box(&bytes)).unwrap())
        });
        g.bench_function(BenchmarkId::new("pinned_digest", name), |b| {
            b.iter(|| ProvingKey::from_bytes_pinned(black_box(&bytes), &digest).unwrap())
        });
    }
    let v2_len = pk.to_bytes().len() as u64;
    g.throughput(Throughput::Bytes(v2_len));
    g.bench_function(BenchmarkId::new("load_dir_manifest_pinned", "v2"), |b| {
        b.iter(|| KeyRing::load_dir_trusted_manifest(dir.path(), &[shape], KeyUse::Prove).unwrap())
    });
    g.finish();

    let (circuit, inputs) = sum16_circuit();
    let proof = snark::prove(&pk, circuit.clone()).unwrap();
    snark::verify(pk.verifying_key(), &inputs, &proof).unwrap();
    let mut g = c.benchmark_group("groth16_keys/prove_sum16");
    g.sample_size(10);
    g.bench_function("in_memory", |b| {
        b.iter(|| snark::prove(&pk, black_box(circuit.clone())).unwrap())
    });
    g.bench_function("load_dir_then_prove", |b| {
        b.iter(|| {
            let ring =
                KeyRing::load_dir_trusted_manifest(dir.path(), &[shape], KeyUse::Prove).unwrap();
            let pk = ring.proving_key(&shape).unwrap();
            snark::prove(pk, black_box(circuit.clone())).unwrap()
        })
    });
    g.finish();
}

fn verify64(c: &mut Criterion) {
    // Verification cost depends on the key's public inputs (one, as every statement circuit),
    // not on the circuit's size: a small circuit, 64 distinct (re-randomised) proofs.
    let pk = snark::setup(SquareChain { n: 64, x: None }).unwrap();
    let vk = pk.verifying_key().clone();
    let (proof, inputs) = snark::prove_returning_inputs_with_rng(
        &pk,
        SquareChain {
            n: 64,
            x: Some(Fr::from(3u64)),
        },
        &mut OsRng,
    )
    .unwrap();
    let proofs: Vec<snark::Proof> = (0..64)
        .map(|_| snark::rerandomize_with_rng(&vk, &proof, &mut OsRng))
        .collect();
    let items: Vec<(&snark::Proof, &[Fr])> =
        proofs.iter().map(|p| (p, inputs.as_slice())).collect();
    vk.verify_batch(&items).unwrap();

    let mut g = c.benchmark_group("groth16_keys/verify64");
    g.sample_size(10);
    g.throughput(Throughput::Elements(64));
    g.bench_function("one_by_one_serial", |b| {
        b.iter(|| {
            for (p, x) in &items {
                snark::verify(&vk, x, p).unwrap();
            }
        })
    });
    g.bench_function("one_by_one_rayon", |b| {
        use rayon::prelude::*;
        b.iter(|| {
            items
                .par_iter()
                .for_each(|(p, x)| snark::verify(&vk, x, p).unwrap())
        })
    });
    g.bench_function("batch", |b| {
        b.iter(|| vk.verify_batch(black_box(&items)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, verify64, load);
criterion_main!(benches);
