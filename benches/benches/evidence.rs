//! Evidence storage (issue 15 §1) beside the plain ledger.
//!
//! * `evidence-notarise/<n>`: notarising n distinct 4 KiB files into a SQLite ledger in one
//!   batch: streamed SHA-256 of each file, one signed evidence receipt each, one durable
//!   `append_batch`, beside `ledger-append` of n pre-signed plain receipts (attestation-issued,
//!   the ledger's own peer) and of n pre-signed evidence receipts (the format's own cost).
//!   Throughput is files (receipts) per second.
//! * `evidence-verify`: offline verification of a certificate (decode, inclusion bundle,
//!   digest compare) without and with an anchor, beside `ProofBundle::verify` of the same
//!   entry's inclusion bundle (what a plain ledger proof costs); the file's digest is computed
//!   once outside (its cost is SHA-256 of the file: see `evidence-digest`).
//! * `evidence-digest/<bytes>`: the streamed digest of 1 MiB beside one-shot `Sha256::digest`.
//! * printed to stderr: the certificate sizes (plain, anchored) at a log of `EVIDENCE_LOG`
//!   entries (default 10,000).
//!
//! `cargo bench -p causeway-benches --bench evidence -- --warm-up-time 1 --measurement-time 3`.
//! Online verification (against anvil) is not measured here: it is dominated by the node's
//! JSON-RPC round trips (see docs/benchmarks/evidence.md).

use causeway::anchor::{anchored_value, AnchorReceipt, AnchorRecord, ChainRef};
use causeway::evidence::{evidence_receipt, Certificate, ContentDigest, Label, MediaType};
use causeway::ledger::bundle::ProofBundle;
use causeway::ledger::checkpoint::SignedCheckpoint;
use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
use causeway::ledger::LocalLedger;
use causeway::party::SecretKeys;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::time::Duration;

const ORIGIN: &str = "bench.causeway/evidence";
const FILE: usize = 4096;

fn plain(k: &SecretKeys, i: u64) -> Receipt {
    let mut h = [0u8; 32];
    h[..8].copy_from_slice(&i.to_be_bytes());
    Receipt::new(
        k,
        ORIGIN,
        1_700_000_000_000 + i,
        Event::AttestationIssued(AttestationEvent {
            revocation_handle: h,
            issuer: k.public().key_id(),
        }),
    )
    .unwrap()
}

fn file(i: u64) -> Vec<u8> {
    let mut v = vec![0u8; FILE];
    v[..8].copy_from_slice(&i.to_be_bytes());
    v
}

fn notarise(k: &SecretKeys, i: u64, bytes: &[u8], mt: &MediaType, label: &Label) -> Receipt {
    let d = ContentDigest::of_reader(bytes).unwrap();
    evidence_receipt(k, ORIGIN, 1_700_000_000_000 + i, &d, mt, label, None).unwrap()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let log = SecretKeys::from_seeds(&[1; 32], &[2; 32]);
    let firm = SecretKeys::from_seeds(&[3; 32], &[4; 32]);
    let mt = MediaType::new("application/pdf").unwrap();
    let label = Label::new("exhibit").unwrap();
    let mut counter: u64 = 0;

    for n in [100u64, 1000] {
        let mut g = c.benchmark_group("evidence-notarise");
        g.sample_size(10);
        g.throughput(Throughput::Elements(n));
        let files: Vec<Vec<u8>> = (0..n).map(file).collect();
        let ledger =
            LocalLedger::create(&dir.path().join(format!("n{n}.db")), ORIGIN, &log.public())
                .unwrap();
        g.bench_with_input(BenchmarkId::new("notarise-files", n), &n, |b, _| {
            b.iter(|| {
                let rs: Vec<Receipt> = files
                    .iter()
                    .map(|f| {
                        counter += 1;
                        notarise(&firm, counter, f, &mt, &label)
                    })
                    .collect();
                ledger.append_batch(&rs).unwrap()
            })
        });
        let pre_plain: Vec<Receipt> = (0..n).map(|i| plain(&firm, 1_000_000 + i)).collect();
        let pre_ev: Vec<Receipt> = files
            .iter()
            .enumerate()
            .map(|(i, f)| notarise(&firm, 2_000_000 + i as u64, f, &mt, &label))
            .collect();
        g.bench_with_input(BenchmarkId::new("ledger-append-plain", n), &n, |b, _| {
            b.iter(|| ledger.append_batch(black_box(&pre_plain)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("ledger-append-evidence", n), &n, |b, _| {
            b.iter(|| ledger.append_batch(black_box(&pre_ev)).unwrap())
        });
        g.finish();
    }

    // A log of EVIDENCE_LOG entries with one evidence entry in the middle.
    let size: u64 = std::env::var("EVIDENCE_LOG")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let ledger = LocalLedger::create(&dir.path().join("v.db"), ORIGIN, &log.public()).unwrap();
    let content = vec![7u8; 1 << 20];
    let digest = ContentDigest::of_bytes(&content);
    let rs: Vec<Receipt> = (0..size / 2).map(|i| plain(&firm, i)).collect();
    ledger.append_batch(&rs).unwrap();
    let r = evidence_receipt(&firm, ORIGIN, 1, &digest, &mt, &label, None).unwrap();
    let index = ledger.append(&r).unwrap();
    let rs: Vec<Receipt> = (size / 2 + 1..size).map(|i| plain(&firm, i)).collect();
    ledger.append_batch(&rs).unwrap();
    let note = ledger.checkpoint(&log).unwrap();
    let cert = Certificate::from_ledger(&ledger, index, None).unwrap();
    let cert_bytes = cert.to_bytes().unwrap();
    let more: Vec<Receipt> = (size..size + 100).map(|i| plain(&firm, i)).collect();
    ledger.append_batch(&more).unwrap();
    let anchored_note = ledger.checkpoint(&log).unwrap();
    let acp = SignedCheckpoint::open(&anchored_note, ORIGIN, &log.public()).unwrap();
    let chain = ChainRef {
        chain_id: 31337,
        contract: [0xc0; 20],
    };
    let record = AnchorRecord {
        origin: ORIGIN.into(),
        size: acp.checkpoint().size,
        root: anchored_value(acp.checkpoint()).unwrap(),
        chain,
        block_number: 1,
        block_hash: [1; 32],
        tx_hash: [2; 32],
        submitter: [3; 20],
    };
    let cp = SignedCheckpoint::open(&note, ORIGIN, &log.public()).unwrap();
    let ar = AnchorReceipt::from_source(&ledger, &log, index, &cp, &record, 5).unwrap();
    let anchored_bytes = Certificate::from_anchor_receipt(ar)
        .unwrap()
        .to_bytes()
        .unwrap();
    let bundle = ProofBundle::inclusion_from(&ledger, index, Some(size)).unwrap();
    let bundle_json = bundle.to_json().unwrap();
    eprintln!(
        "evidence certificate at a log of {size} entries: {} bytes plain, {} bytes anchored (the inclusion bundle's JSON: {} bytes; the receipt: {} bytes)",
        cert_bytes.len(),
        anchored_bytes.len(),
        bundle_json.len(),
        r.as_bytes().len()
    );
    let key = log.public();
    let mut g = c.benchmark_group("evidence-verify");
    g.bench_function("certificate-offline", |b| {
        b.iter(|| {
            Certificate::from_bytes(black_box(&cert_bytes))
                .unwrap()
                .verify(&digest, &key, ORIGIN, None)
                .unwrap()
        })
    });
    g.bench_function("certificate-anchored-offline", |b| {
        b.iter(|| {
            Certificate::from_bytes(black_box(&anchored_bytes))
                .unwrap()
                .verify(&digest, &key, ORIGIN, Some(&chain))
                .unwrap()
        })
    });
    g.bench_function("ledger-bundle-verify", |b| {
        b.iter(|| {
            ProofBundle::from_json(black_box(&bundle_json))
                .unwrap()
                .verify(&key, Some(ORIGIN), None)
                .unwrap()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("evidence-digest");
    g.throughput(Throughput::Bytes(content.len() as u64));
    g.bench_function("content-digest-streamed", |b| {
        b.iter(|| ContentDigest::of_reader(black_box(&content[..])).unwrap())
    });
    g.bench_function("sha256-one-shot", |b| {
        b.iter(|| Sha256::digest(black_box(&content)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
