//! Provenance bundles (issue 15 §2): size and offline verification time for a 20-event
//! product, beside the peer already in the SDK: the same 20 events checked one by one as
//! ledger inclusion bundles (JSON, `ProofBundle::verify`, decision 0040), which prove that each
//! event is in the log but not that none is missing between them. A floor is measured too:
//! 20 receipt decodes (one Ed25519 signature each) and 20 inclusion proofs, nothing else.
//!
//! For every log size n (the product's 20 events spread over a log of n entries, other
//! products' events and attestation receipts in between):
//! * `provenance-verify/<n>`: `ProvenanceBundle::from_bytes` + `verify` (trust policy of 5
//!   parties) — ours;
//! * `inclusion-bundles-verify/<n>`: 20 × `ProofBundle::from_json` + `verify` — the peer;
//! * `floor-decode-and-include/<n>`: 20 × `Receipt::from_bytes` + `verify_inclusion`.
//!
//! Printed to stderr: the bundle's bytes beside the 20 JSON bundles' bytes. Sizes default to
//! 10^3 and 10^5 (`PROVENANCE_BENCH_SIZES=1000,100000`).

use causeway::ledger::bundle::ProofBundle;
use causeway::ledger::checkpoint::Checkpoint;
use causeway::ledger::proof::verify_inclusion;
use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
use causeway::ledger::LocalLedger;
use causeway::party::{Party, SecretKeys};
use causeway::trace::{self, EventDraft, ProvenanceBundle, TrustPolicy};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

const ORIGIN: &str = "bench.causeway/trace";
const LOT: &str = "BENCH-LOT-0001";
const EVENTS: usize = 20;
const STEPS: [&str; 5] = ["produced", "inspected", "shipped", "received", "sold"];

fn sizes() -> Vec<u64> {
    std::env::var("PROVENANCE_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 100_000])
}

fn party(seed: u8) -> Party {
    Party::from_keys(SecretKeys::from_seeds(&[seed; 32], &[seed ^ 0x33; 32]))
}

struct Fixture {
    _dir: tempfile::TempDir,
    log: Party,
    policy: TrustPolicy,
    bundle: Vec<u8>,
    json_bundles: Vec<String>,
    receipts: Vec<(u64, Vec<u8>, Vec<[u8; 32]>)>,
    checkpoint: Checkpoint,
}

fn fixture(n: u64) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let log = party(1);
    let actors: Vec<Party> = (2..7).map(party).collect();
    let ledger = LocalLedger::create(&dir.path().join("p.db"), ORIGIN, &log.public()).unwrap();
    let mut policy = TrustPolicy::new();
    for (i, (a, step)) in actors.iter().zip(STEPS).enumerate() {
        let name = format!("p{i}");
        policy.add_party(&name, a.public()).unwrap();
        policy.allow(step, &name).unwrap();
    }
    let filler_issuer = party(9);
    let gap = (n / EVENTS as u64).max(1);
    let mut next_filler = 0u64;
    for e in 0..EVENTS {
        // filler receipts before each event, appended in batches
        let mut filler = Vec::new();
        for _ in 1..gap {
            next_filler += 1;
            let mut h = [0u8; 32];
            h[..8].copy_from_slice(&next_filler.to_be_bytes());
            filler.push(
                Receipt::new(
                    filler_issuer.keys(),
                    ORIGIN,
                    1,
                    Event::AttestationIssued(AttestationEvent {
                        revocation_handle: h,
                        issuer: filler_issuer.key_id(),
                    }),
                )
                .unwrap(),
            );
        }
        for chunk in filler.chunks(10_000) {
            ledger.append_batch(chunk).unwrap();
        }
        let step = STEPS[e % STEPS.len()];
        let who = &actors[e % STEPS.len()];
        let d = EventDraft::new(step)
            .unwrap()
            .field("site", &format!("site-{e}"))
            .unwrap()
            .field("temperature_log_sha256", &"ab".repeat(32))
            .unwrap();
        trace::record(&ledger, who, 1_780_000_000_000 + e as u64, LOT, &d, None).unwrap();
    }
    ledger.checkpoint(log.keys()).unwrap();
    let b = ProvenanceBundle::from_ledger(&ledger, LOT, None).unwrap();
    let bundle = b.to_bytes().unwrap();
    let checkpoint = Checkpoint::open(b.checkpoint().note(), ORIGIN, &log.public()).unwrap();
    let json_bundles = b
        .events()
        .iter()
        .map(|e| {
            ProofBundle::inclusion_from(&ledger, e.index, None)
                .unwrap()
                .to_json()
                .unwrap()
        })
        .collect();
    let receipts = b
        .events()
        .iter()
        .map(|e| (e.index, e.receipt.as_bytes().to_vec(), e.proof.clone()))
        .collect();
    Fixture {
        _dir: dir,
        log,
        policy,
        bundle,
        json_bundles,
        receipts,
        checkpoint,
    }
}

fn bench(c: &mut Criterion) {
    for n in sizes() {
        let f = fixture(n);
        let key = f.log.public();
        let json_total: usize = f.json_bundles.iter().map(String::len).sum();
        eprintln!(
            "provenance n={n}: bundle {} bytes for {EVENTS} events ({} per event); 20 JSON inclusion bundles {} bytes ({:.2}x)",
            f.bundle.len(),
            f.bundle.len() / EVENTS,
            json_total,
            json_total as f64 / f.bundle.len() as f64
        );
        // sanity: all three verify
        let v = ProvenanceBundle::from_bytes(&f.bundle)
            .unwrap()
            .verify(&key, ORIGIN, &f.policy, Some(LOT))
            .unwrap();
        assert_eq!(v.events.len(), EVENTS);
        let mut g = c.benchmark_group("provenance");
        g.bench_with_input(BenchmarkId::new("provenance-verify", n), &f, |b, f| {
            b.iter(|| {
                let pb = ProvenanceBundle::from_bytes(black_box(&f.bundle)).unwrap();
                black_box(pb.verify(&key, ORIGIN, &f.policy, Some(LOT)).unwrap());
            })
        });
        g.bench_with_input(
            BenchmarkId::new("inclusion-bundles-verify", n),
            &f,
            |b, f| {
                b.iter(|| {
                    for j in &f.json_bundles {
                        let pb = ProofBundle::from_json(black_box(j)).unwrap();
                        black_box(pb.verify(&key, Some(ORIGIN), None).unwrap());
                    }
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new("floor-decode-and-include", n),
            &f,
            |b, f| {
                b.iter(|| {
                    for (i, r, p) in &f.receipts {
                        let rec = Receipt::from_bytes(black_box(r)).unwrap();
                        verify_inclusion(
                            *i,
                            f.checkpoint.size,
                            &rec.leaf_hash(),
                            p,
                            &f.checkpoint.root,
                        )
                        .unwrap();
                    }
                })
            },
        );
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
