//! Where a column proof's time goes (issue 12, decision 0096): attesting rows, building
//! generators, proving and verifying `all(amount) in [0, 10000]` over N rows, beside the per-row
//! alternative (⌈N/64⌉ presentations of 64 single-row range statements), in one run.
//!
//! ```text
//! cargo build --release -p causeway-benches --example column_profile
//! target/release/examples/column_profile [ROWS,ROWS,...] [--no-before] [--no-raw]
//! ```
//!
//! `--no-raw` skips the column proof made alone (so the first presentation of a shape builds
//! its generators, as `benches/python/bench_columns.py` does); every run also proves and
//! verifies `sum(amount) >= total`, the other statement that script times.
//!
//! Wall-clock seconds (one repetition; the machine is shared: read the ratios).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use causeway::attest::{issue_rows, AttestedRecord, NoRevocations, Terms};
use causeway::party::Party;
use causeway::presentation::{Challenge, Presentation};
use causeway::range::{self, RangeClaim, RangeWitness, Transcript};
use causeway::record::{Record, Value};
use causeway::statement::Statement;
use std::time::Instant;

const NOW: u64 = 1_800_000_000;

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: Vec<usize> = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(|s| s.split(',').map(|x| x.parse().unwrap()).collect())
        .unwrap_or_else(|| vec![64, 1000, 4096]);
    let before = !args.iter().any(|a| a == "--no-before");
    let raw = !args.iter().any(|a| a == "--no-raw");
    let bank = Party::generate().unwrap();
    let shop = Party::generate().unwrap();
    let terms = Terms {
        subject: shop.key_id(),
        not_before: 0,
        not_after: 2 * NOW,
    };
    let ch = Challenge::random().unwrap();
    for n in rows {
        let records: Vec<Record> = (0..n)
            .map(|i| {
                Record::new("invoice/v1")
                    .unwrap()
                    .with("amount", Value::Int(((i * 37) % 10_001) as i64))
                    .unwrap()
            })
            .collect();
        let t = Instant::now();
        let held = issue_rows(bank.keys(), &records, &terms).unwrap();
        let t_attest = secs(t);

        // the column proof alone, from the rows' commitments and openings
        let (claims, witnesses): (Vec<RangeClaim>, Vec<RangeWitness>) = held
            .iter()
            .map(|h| {
                let o = &h.openings().ranges()[0];
                (
                    RangeClaim::between(o.commitment(), 0, 10_000),
                    RangeWitness {
                        value: o.value(),
                        blinding: *o.blinding(),
                    },
                )
            })
            .unzip();
        let (mut t_prove_first, mut t_prove_warm, mut t_verify_col) = (0.0, 0.0, 0.0);
        if raw {
            let t = Instant::now();
            let proof =
                range::prove_column(&mut Transcript::new(b"profile"), &claims, &witnesses).unwrap();
            t_prove_first = secs(t);
            let t = Instant::now();
            let proof2 =
                range::prove_column(&mut Transcript::new(b"profile"), &claims, &witnesses).unwrap();
            t_prove_warm = secs(t);
            let t = Instant::now();
            range::verify_column(&mut Transcript::new(b"profile"), &claims, &proof).unwrap();
            t_verify_col = secs(t);
            range::verify_column(&mut Transcript::new(b"profile"), &claims, &proof2).unwrap();
        }

        // the whole presentation
        let refs: Vec<&AttestedRecord> = held.iter().collect();
        let idx: Vec<u16> = (0..n as u16).collect();
        let st = Statement::all(
            "amount",
            &idx,
            *Statement::parse("amount in [0, 10000]", 1)
                .unwrap()
                .predicate(),
        );
        let t = Instant::now();
        let p = Presentation::create(shop.keys(), &refs, &[], &[st], &ch).unwrap();
        let t_pres = secs(t);
        let t = Instant::now();
        p.verify(&[bank.public()], &ch, NOW, &NoRevocations)
            .unwrap();
        let t_pres_v = secs(t);
        let t = Instant::now();
        for a in p.attestations() {
            a.verify(&[bank.public()], NOW, &NoRevocations).unwrap();
        }
        let t_atts = secs(t);
        println!(
            "rows={n} attest={t_attest:.3}s ({:.2} ms/row) | column proof: first={t_prove_first:.3}s warm={t_prove_warm:.3}s verify={t_verify_col:.3}s | presentation prove={t_pres:.3}s verify={t_pres_v:.3}s (attestation checks {t_atts:.3}s)",
            t_attest * 1e3 / n as f64
        );
        // `sum(amount) >= total` over every row (as `bench_columns.py`'s second statement)
        let total: i64 = (0..n).map(|i| ((i * 37) % 10_001) as i64).sum();
        let sum = Statement::sum(
            "amount",
            &idx,
            *Statement::parse(&format!("amount >= {total}"), 1)
                .unwrap()
                .predicate(),
        );
        let t = Instant::now();
        let ps = Presentation::create(shop.keys(), &refs, &[], &[sum], &ch).unwrap();
        let t_sum = secs(t);
        let t = Instant::now();
        ps.verify(&[bank.public()], &ch, NOW, &NoRevocations)
            .unwrap();
        let t_sum_v = secs(t);
        println!("rows={n} sum prove={t_sum:.3}s verify={t_sum_v:.3}s");
        if !before || n > 1000 {
            continue;
        }
        let t = Instant::now();
        let mut ps = Vec::new();
        for chunk in refs.chunks(64) {
            let sts: Vec<Statement> = (0..chunk.len())
                .map(|i| Statement::parse(&format!("amount@{i} in [0, 10000]"), 64).unwrap())
                .collect();
            ps.push(Presentation::create(shop.keys(), chunk, &[], &sts, &ch).unwrap());
        }
        let t_bp = secs(t);
        let t = Instant::now();
        for q in &ps {
            q.verify(&[bank.public()], &ch, NOW, &NoRevocations)
                .unwrap();
        }
        let t_bv = secs(t);
        println!(
            "rows={n} before: {} presentations prove={t_bp:.3}s verify={t_bv:.3}s | ours/before prove {:.2}x verify {:.2}x",
            ps.len(),
            t_pres / t_bp,
            t_pres_v / t_bv
        );
    }
}
