//! Proving-key load in CPU time as well as wall time (issue 14: "proving-key load ≥ 200 MiB/s,
//! the sum:16 key in ≤ 50 ms").
//!
//! The criterion group `groth16_keys/load_sum16` times the same loads in wall time only, which on
//! the shared 2-core machine is inflated by whatever else runs. This example sets up the sum:16
//! key once, then times, median of `ROUNDS` (default 15, or the first argument):
//! - `ProvingKey::from_bytes_pinned` on the v2 bytes (digest pinned: no point checks);
//! - `KeyRing::load_dir_trusted_manifest` (read the file, the manifest's digest pinned);
//! - once each, for scale: v2 with full checks, v1 pinned (square roots remain).
//!
//! Wall and process CPU time (`getrusage`, all threads) are printed side by side, with MiB/s.
//!
//!     cargo run --release -p causeway-benches --example pk_load [ROUNDS]
use causeway::snark::{Circuit, KeyRing, KeyUse, ProvingKey, ProvingKeyFormat};
use std::hint::black_box;
use std::time::Instant;

use causeway_benches::cpu_seconds;

/// Median wall and CPU seconds of `rounds` calls of `f`.
fn time<T>(rounds: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let (w, c) = (Instant::now(), cpu_seconds());
        black_box(f());
        wall.push(w.elapsed().as_secs_f64());
        cpu.push(cpu_seconds() - c);
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (med(&mut wall), med(&mut cpu))
}

fn row(name: &str, bytes: usize, (wall, cpu): (f64, f64)) {
    let mib = bytes as f64 / (1 << 20) as f64;
    println!(
        "{name:44} {:9.1} ms wall ({:7.1} MiB/s)  {:9.1} ms cpu ({:7.1} MiB/s)",
        wall * 1e3,
        mib / wall,
        cpu * 1e3,
        mib / cpu
    );
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(15)
        .max(1);
    let shape = Circuit::Sum(16);
    let t = Instant::now();
    let pk = shape.setup().expect("setup");
    eprintln!("sum:16 setup {:.1} s", t.elapsed().as_secs_f64());
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ring = KeyRing::new();
    ring.insert(shape, pk.clone());
    ring.save_dir(dir.path()).expect("save_dir");

    let v2 = pk.to_bytes_in(ProvingKeyFormat::V2);
    let v1 = pk.to_bytes_in(ProvingKeyFormat::V1);
    let (d2, d1) = (
        ProvingKey::digest_of_bytes(&v2),
        ProvingKey::digest_of_bytes(&v1),
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "sum:16 proving key: v2 {} B, v1 {} B; {rounds} rounds; loadavg {}",
        v2.len(),
        v1.len(),
        load.trim()
    );
    row(
        "v2, pinned digest (from_bytes_pinned)",
        v2.len(),
        time(rounds, || {
            ProvingKey::from_bytes_pinned(&v2, &d2).expect("v2 pinned")
        }),
    );
    row(
        "v2, load_dir_trusted_manifest (file + digest)",
        v2.len(),
        time(rounds, || {
            KeyRing::load_dir_trusted_manifest(dir.path(), &[shape], KeyUse::Prove)
                .expect("load_dir")
        }),
    );
    row(
        "v2, full checks (untrusted source), 1 round",
        v2.len(),
        time(1, || ProvingKey::from_bytes(&v2).expect("v2 full")),
    );
    row(
        "v1, pinned digest (square roots), 1 round",
        v1.len(),
        time(1, || {
            ProvingKey::from_bytes_pinned(&v1, &d1).expect("v1 pinned")
        }),
    );
}
