//! Poseidon (circomlib parameters, BN254) beside light-poseidon: one t = 3 hash, widths 2..17,
//! and a 2^16-leaf tree (ours on all cores and on one thread; light-poseidon single-threaded).
//! Every measurement first checks that both sides compute the same value.

use std::hint::black_box;
use std::time::Duration;

use causeway::circuits::{merkle, poseidon, Fr};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use light_poseidon::{Poseidon, PoseidonHasher};

/// light-poseidon supports 1..=12 inputs.
const PEER_MAX_INPUTS: usize = 12;
const TREE_DEPTH: usize = 16;

fn inputs(n: usize) -> Vec<Fr> {
    (0..n as u64)
        .map(|i| Fr::from(0x9e37_79b9_7f4a_7c15u64.wrapping_mul(i + 1)))
        .collect()
}

fn peer_root(leaves: &[Fr], depth: usize) -> Fr {
    let mut peer = Poseidon::<Fr>::new_circom(2).unwrap();
    let mut level = leaves.to_vec();
    level.resize(1 << depth, Fr::from(0u64));
    for _ in 0..depth {
        level = level
            .chunks(2)
            .map(|c| peer.hash(&[c[0], c[1]]).unwrap())
            .collect();
    }
    level[0]
}

fn t3(c: &mut Criterion) {
    let x = inputs(2);
    let mut peer = Poseidon::<Fr>::new_circom(2).unwrap();
    assert_eq!(poseidon::hash2(x[0], x[1]), peer.hash(&x).unwrap());
    let mut g = c.benchmark_group("poseidon-t3");
    g.bench_function("causeway hash2", |b| {
        b.iter(|| poseidon::hash2(black_box(x[0]), black_box(x[1])))
    });
    g.bench_function("causeway hash", |b| {
        b.iter(|| poseidon::hash(black_box(&x)).unwrap())
    });
    g.bench_function("light-poseidon", |b| {
        b.iter(|| peer.hash(black_box(&x)).unwrap())
    });
    g.finish();
}

fn widths(c: &mut Criterion) {
    let mut g = c.benchmark_group("poseidon-width");
    for n in 1..=poseidon::MAX_INPUTS {
        let x = inputs(n);
        let t = n + 1;
        g.bench_with_input(BenchmarkId::new("causeway", t), &x, |b, x| {
            b.iter(|| poseidon::hash(black_box(x)).unwrap())
        });
        if n <= PEER_MAX_INPUTS {
            let mut peer = Poseidon::<Fr>::new_circom(n).unwrap();
            assert_eq!(poseidon::hash(&x).unwrap(), peer.hash(&x).unwrap());
            g.bench_with_input(BenchmarkId::new("light-poseidon", t), &x, |b, x| {
                b.iter(|| peer.hash(black_box(x)).unwrap())
            });
        }
    }
    g.finish();
}

fn tree(c: &mut Criterion) {
    let leaves = inputs(1 << TREE_DEPTH);
    let expected = peer_root(&leaves, TREE_DEPTH);
    assert_eq!(merkle::root_of(&leaves, TREE_DEPTH).unwrap(), expected);
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut g = c.benchmark_group("poseidon-tree-2^16");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("causeway root_of (all cores)", |b| {
        b.iter(|| merkle::root_of(black_box(&leaves), TREE_DEPTH).unwrap())
    });
    g.bench_function("causeway root_of (1 thread)", |b| {
        b.iter(|| one_thread.install(|| merkle::root_of(black_box(&leaves), TREE_DEPTH).unwrap()))
    });
    g.bench_function("light-poseidon (1 thread)", |b| {
        b.iter(|| peer_root(black_box(&leaves), TREE_DEPTH))
    });
    g.finish();
}

criterion_group!(benches, t3, widths, tree);
criterion_main!(benches);
