//! Attestations and presentations, each beside its peer:
//! - presentation create / verify (2 range statements, "credit score ≥ 700" and "income in
//!   [50 000, 120 000]") beside the bare aggregated range proof of the same two claims, so the
//!   ratio is the cost of the presentation layer (signatures, transcript, attestation checks);
//! - attestation verify beside a bare Ed25519 `verify_strict` of the same signed message;
//! - issuing an attestation of a 6-field record (Poseidon leaves and root, Pedersen
//!   commitments, signature).

use causeway::attest::{hazmat, issue, NoRevocations, Terms};
use causeway::commit::RangeCommitment;
use causeway::party::SecretKeys;
use causeway::presentation::{Challenge, Presentation};
use causeway::range::{self, RangeClaim, RangeWitness};
use causeway::record::{Record, Value};
use causeway::statement::Statement;
use criterion::{criterion_group, criterion_main, Criterion};
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use std::hint::black_box;
use std::time::Duration;

fn record() -> Record {
    Record::new("credit-report/v1")
        .unwrap()
        .with("credit_score", Value::Int(742))
        .unwrap()
        .with("annual_income", Value::decimal("85000.00").unwrap())
        .unwrap()
        .with("born", Value::date("1990-05-17").unwrap())
        .unwrap()
        .with("limit", Value::Int(5000))
        .unwrap()
        .with("name", Value::String("Alice Example".into()))
        .unwrap()
        .with("pep", Value::Bool(false))
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let issuer = SecretKeys::generate().unwrap();
    let holder = SecretKeys::generate().unwrap();
    let terms = Terms {
        subject: holder.public().key_id(),
        not_before: 0,
        not_after: u64::MAX,
    };
    let rec = record();
    let held = issue(&issuer, &rec, &terms).unwrap();
    let challenge = Challenge::random().unwrap();
    let statements = [
        Statement::parse("credit_score >= 700", 1).unwrap(),
        Statement::parse("annual_income in [50000, 120000]", 1).unwrap(),
    ];
    let trusted = [issuer.public()];
    let p = Presentation::create(&holder, &[&held], &[], &statements, &challenge).unwrap();

    // the peer: the same two claims as a bare aggregated range proof
    let r1 = Scalar::from(11u64);
    let r2 = Scalar::from(13u64);
    let claims = [
        RangeClaim::at_least(RangeCommitment::commit(742, &r1), 700),
        RangeClaim::between(
            RangeCommitment::commit(8_500_000, &r2),
            5_000_000,
            12_000_000,
        ),
    ];
    let witnesses = [
        RangeWitness {
            value: 742,
            blinding: r1,
        },
        RangeWitness {
            value: 8_500_000,
            blinding: r2,
        },
    ];
    let proof = range::prove(&mut Transcript::new(b"bench"), &claims, &witnesses).unwrap();

    let mut g = c.benchmark_group("presentation/2-statements");
    g.bench_function("causeway presentation create", |b| {
        b.iter(|| Presentation::create(&holder, &[&held], &[], &statements, &challenge).unwrap())
    });
    g.bench_function("bare range prove (peer)", |b| {
        b.iter(|| range::prove(&mut Transcript::new(b"bench"), &claims, &witnesses).unwrap())
    });
    g.bench_function("causeway presentation verify", |b| {
        b.iter(|| {
            black_box(&p)
                .verify(&trusted, &challenge, 1, &NoRevocations)
                .unwrap()
        })
    });
    g.bench_function("bare range verify (peer)", |b| {
        b.iter(|| {
            range::verify(&mut Transcript::new(b"bench"), &claims, black_box(&proof)).unwrap()
        })
    });
    g.finish();

    let att = held.attestation();
    let msg = hazmat::signed_message(att);
    let sig = hazmat::signature(att);
    let mut g = c.benchmark_group("attestation/verify");
    g.bench_function("causeway attestation verify", |b| {
        b.iter(|| black_box(att).verify(&trusted, 1, &NoRevocations).unwrap())
    });
    g.bench_function("bare ed25519 verify_strict (peer)", |b| {
        b.iter(|| issuer.public().verify(black_box(&msg), &sig).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("attestation/issue");
    g.bench_function("issue 6-field record", |b| {
        b.iter(|| issue(&issuer, black_box(&rec), &terms).unwrap())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = bench
}
criterion_main!(benches);
