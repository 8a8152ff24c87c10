//! The Rust side of the Python call-overhead benchmark (`benches/python/bench_overhead.py` runs
//! this, then the same operations through the `causeway` Python package, and prints the
//! ratios). Each operation is timed in process CPU seconds (median of rounds), so the figures
//! hold on a shared machine.
//!
//! ```text
//! cargo run -p causeway-benches --example python_peer -- OUT.json [PRESENTATIONS.bin]
//! ```
//!
//! `PRESENTATIONS.bin` (written by the Python script): the issuer's `cwpub1…` line, the
//! challenge's hex line, then presentations, each as a u32 big-endian length and its bytes.
//! They are verified here one by one, as the Python script verifies them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use causeway::attest::{issue, NoRevocations, Terms};
use causeway::party::{Party, PublicKeys};
use causeway::presentation::{Challenge, Presentation, PresentationBuilder};
use causeway::record::{Record, Value};
use causeway::seal::{CheckedSealed, OpenOptions, Sealed};
use causeway::snark::{Circuit, KeyRing};
use causeway::statement::{Backend, Statement};
use std::fmt::Write as _;

const NOW: u64 = 1_800_000_000;

use causeway_benches::cpu_seconds;

/// Median CPU seconds per call of `f`, over `rounds` rounds of `n` calls.
fn per_call(rounds: usize, n: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut v: Vec<f64> = (0..rounds)
        .map(|_| {
            let c = cpu_seconds();
            for _ in 0..n {
                f();
            }
            (cpu_seconds() - c) / n as f64
        })
        .collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Calls per round for a payload of `size` bytes (the same as `bench_overhead.py`).
fn calls_for(size: usize) -> usize {
    match size {
        0..=4096 => 300,
        4097..=65536 => 100,
        65537..=1048576 => 10,
        _ => 2,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).expect("OUT.json");
    let bank = Party::generate().unwrap();
    let alice = Party::generate().unwrap();
    let mut fig: Vec<(String, f64)> = Vec::new();
    let mut put = |k: &str, v: f64| fig.push((k.to_owned(), v));

    // trivial: a key id as text (the Python getter `Party.key_id`)
    put(
        "trivial_key_id",
        per_call(15, 20_000, || {
            std::hint::black_box(bank.key_id().to_string());
        }),
    );
    // seal / open 1 KiB and 1 MiB of bytes for one recipient
    let pk: Vec<PublicKeys> = vec![alice.public()];
    for (name, size) in [
        ("1k", 1024usize),
        ("64k", 64 << 10),
        ("1m", 1 << 20),
        ("16m", 16 << 20),
    ] {
        let data = vec![7u8; size];
        let n = calls_for(size);
        put(
            &format!("seal_{name}"),
            per_call(9, n, || {
                std::hint::black_box(Sealed::seal_bytes(&bank, &pk, &data).unwrap().to_bytes());
            }),
        );
        // The path the Python binding takes (issue 12): the exact length first, then straight
        // into a fresh buffer of that length.
        put(
            &format!("seal_into_{name}"),
            per_call(9, n, || {
                let len = Sealed::sealed_bytes_len(&bank, &pk, data.len()).unwrap();
                let mut out = vec![0u8; len];
                Sealed::seal_bytes_into(&bank, &pk, &data, &mut out).unwrap();
                std::hint::black_box(out);
            }),
        );
        let sealed = Sealed::seal_bytes(&bank, &pk, &data).unwrap().to_bytes();
        put(
            &format!("open_{name}"),
            per_call(9, n, || {
                let s = Sealed::from_any(&sealed).unwrap();
                std::hint::black_box(s.open(&alice).unwrap());
            }),
        );
        put(
            &format!("open_into_{name}"),
            per_call(9, n, || {
                let c = CheckedSealed::new(&sealed, &OpenOptions::default())
                    .unwrap()
                    .unwrap();
                let mut out = vec![0u8; c.plaintext_len().unwrap()];
                c.open_bytes_into(&alice, &mut out).unwrap();
                std::hint::black_box(out);
            }),
        );
    }
    // a Bulletproofs presentation: one disclosed field, two statements; create and verify
    let record = Record::new("credit/v1")
        .unwrap()
        .with("score", Value::Int(742))
        .unwrap()
        .with("income", Value::Int(85_000))
        .unwrap()
        .with("name", Value::String("Ada".into()))
        .unwrap();
    let terms = Terms {
        subject: alice.key_id(),
        not_before: 0,
        not_after: u64::MAX,
    };
    let held = issue(bank.keys(), &record, &terms).unwrap();
    let ch = Challenge::from_bytes(&[0x42; 32]).unwrap();
    let sts = [
        Statement::parse("score >= 700", 1).unwrap(),
        Statement::parse("income in [50000, 120000]", 1).unwrap(),
    ];
    let build = |backend: Backend, keys: &KeyRing| {
        let mut b = PresentationBuilder::new(&ch)
            .backend(backend)
            .keys(keys.clone())
            .attested(held.clone())
            .disclose("name".parse().unwrap());
        for s in &sts {
            b = b.prove(s.clone());
        }
        b.build(&alice).unwrap()
    };
    let none = KeyRing::new();
    put(
        "present_bulletproofs",
        per_call(7, 5, || {
            std::hint::black_box(build(Backend::Bulletproofs, &none).to_bytes());
        }),
    );
    let p = build(Backend::Bulletproofs, &none).to_bytes();
    let issuers = [bank.public()];
    put(
        "verify_bulletproofs",
        per_call(7, 10, || {
            let q = Presentation::from_bytes(&p).unwrap();
            std::hint::black_box(q.verify(&issuers, &ch, NOW, &NoRevocations).unwrap());
        }),
    );
    // Groth16: one statement on the attribute circuit
    let mut ring = KeyRing::new();
    ring.insert(Circuit::Attribute, Circuit::Attribute.setup().unwrap());
    let build16 = || {
        PresentationBuilder::new(&ch)
            .backend(Backend::Groth16)
            .keys(ring.clone())
            .attested(held.clone())
            .prove(sts[0].clone())
            .build(&alice)
            .unwrap()
    };
    put(
        "present_groth16",
        per_call(5, 2, || {
            std::hint::black_box(build16().to_bytes());
        }),
    );
    let p16 = build16().to_bytes();
    put(
        "verify_groth16",
        per_call(7, 5, || {
            let q = Presentation::from_bytes(&p16).unwrap();
            std::hint::black_box(
                q.verify_with_keys(&issuers, &ch, NOW, &NoRevocations, &ring)
                    .unwrap(),
            );
        }),
    );

    // 1,000 presentations made by Python, verified one by one
    if let Some(path) = args.get(2) {
        let raw = std::fs::read(path).unwrap();
        let mut lines = raw.splitn(3, |b| *b == b'\n');
        let issuer =
            PublicKeys::from_text(std::str::from_utf8(lines.next().unwrap()).unwrap()).unwrap();
        let ch = Challenge::from_hex(std::str::from_utf8(lines.next().unwrap()).unwrap()).unwrap();
        let mut rest = lines.next().unwrap();
        let mut items = Vec::new();
        while !rest.is_empty() {
            let n = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
            items.push(rest[4..4 + n].to_vec());
            rest = &rest[4 + n..];
        }
        // median of three passes, as the Python side does
        let mut passes = [0.0f64; 3];
        for pass in &mut passes {
            let c = cpu_seconds();
            for b in &items {
                let q = Presentation::from_bytes(b).unwrap();
                q.verify(&[issuer], &ch, NOW, &NoRevocations).unwrap();
            }
            *pass = cpu_seconds() - c;
        }
        passes.sort_by(f64::total_cmp);
        put("verify_1000_total", passes[1]);
        put("verify_1000_count", items.len() as f64);
    }

    let mut text = String::from("{\n");
    for (i, (k, v)) in fig.iter().enumerate() {
        let sep = if i + 1 == fig.len() { "" } else { "," };
        let _ = writeln!(text, "  \"{k}\": {v:e}{sep}");
    }
    text.push_str("}\n");
    std::fs::write(out, text).unwrap();
}
