//! Peak memory (RSS) of one Groth16 proof, ours beside raw ark-groth16 0.5 on the same circuit
//! and key (issue 14: "peak RSS of prove at sum:64 reported beside ark-groth16's").
//!
//! ```text
//! cargo run --release -p causeway-benches --example groth16_rss -- [--k 64] [--dir DIR]
//!     [--variants load,ours,ours-unnamed,ours-warm,ark]
//! ```
//!
//! The parent makes (once) the sum:k proving key and caches it as `DIR/sum<k>.pk` (format v2;
//! DIR defaults to `$CARGO_TARGET_DIR/groth16-rss`, else `target/groth16-rss`; never commit
//! it), then runs one child process per variant, so that each peak is its own:
//!
//! * `load`: load the key and build the circuit's witness inputs, no proof (the floor);
//! * `ours`: `snark::prove` on the key named for its circuit (`ProvingKey::for_circuit`, as the
//!   CLI and the bindings load keys), one proof;
//! * `ours-unnamed`: `snark::prove` on the key named for no circuit (matrices from the caller's
//!   circuit, like ark-groth16);
//! * `ours-warm`: the same key as `ours`, a second proof (one-shot again since decision 0134;
//!   before it, the second proof built and kept our reference matrices), the peak
//!   taken over that proof only;
//! * `ark`: raw ark-groth16 0.5 `create_random_proof_with_reduction` (LibsnarkReduction) on the
//!   same key's arkworks form.
//!
//! Each child prints the whole process's `getrusage(RUSAGE_SELF).ru_maxrss` (key load included),
//! the RSS just before proving and the peak during the proof (`VmHWM` after resetting it through
//! `/proc/self/clear_refs`; Linux only). Every proof is verified. Setup runs in a child of its
//! own: Linux carries a process's RSS high-water mark across `execve`, so a child forked from
//! a parent that had just run setup would report the parent's peak.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use ark_bn254::Bn254;
use causeway::snark::{self, Circuit, ProvingKey, ProvingKeyFormat};
use causeway_circuits::statements::sum::SumCircuit;

#[path = "../common/groth16.rs"]
#[allow(dead_code)]
mod common;
use common::sum;

const VARIANTS: [&str; 5] = ["load", "ours", "ours-unnamed", "ours-warm", "ark"];

/// `ru_maxrss` of this process, in KiB (Linux reports KiB).
fn maxrss_kib() -> u64 {
    let mut u = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a plain C struct through a valid pointer.
    let r = unsafe { libc::getrusage(libc::RUSAGE_SELF, u.as_mut_ptr()) };
    assert_eq!(r, 0, "getrusage");
    // SAFETY: initialised by the successful call above (and zeroed before it).
    let u = unsafe { u.assume_init() };
    u.ru_maxrss as u64
}

/// A `/proc/self/status` field in KiB (`VmRSS`, `VmHWM`).
fn status_kib(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets the peak RSS (`VmHWM`) to the current RSS; false if the kernel refused.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn key_path(dir: &Path, k: usize) -> PathBuf {
    dir.join(format!("sum{k}.pk"))
}

fn load(dir: &Path, k: usize) -> ProvingKey {
    let bytes = std::fs::read(key_path(dir, k)).unwrap();
    // Our own cached file: pinned by its own digest (no point checks; they are not the subject).
    let digest = ProvingKey::digest_of_bytes(&bytes);
    ProvingKey::from_bytes_pinned(&bytes, &digest).unwrap()
}

fn child(variant: &str, dir: &Path, k: usize) {
    let pk = load(dir, k);
    let (circuit, inputs) = sum(k);
    let pk = match variant {
        "ours" | "ours-warm" => pk.for_circuit(Circuit::Sum(k as u8)),
        _ => pk,
    };
    if variant == "ours-warm" {
        let p = snark::prove(&pk, circuit.clone()).unwrap();
        snark::verify(pk.verifying_key(), &inputs, &p).unwrap();
    }
    // Give freed heap back to the kernel (glibc keeps it otherwise: after a first proof the
    // matrix synthesis's freed memory stays resident and hides what the next proof needs).
    // SAFETY: malloc_trim only releases free memory of glibc's allocator.
    unsafe {
        libc::malloc_trim(0);
    }
    let before = status_kib("VmRSS");
    let reset = reset_peak();
    let t = Instant::now();
    match variant {
        "load" => {}
        "ours" | "ours-unnamed" | "ours-warm" => {
            let p = snark::prove(&pk, circuit).unwrap();
            let secs = t.elapsed().as_secs_f64();
            let peak = status_kib("VmHWM");
            snark::verify(pk.verifying_key(), &inputs, &p).unwrap();
            return report(variant, before, peak, reset, secs);
        }
        "ark" => {
            let p = ark_groth16::Groth16::<Bn254>::create_random_proof_with_reduction(
                circuit,
                pk.as_arkworks(),
                &mut rand_core::OsRng,
            )
            .unwrap();
            let secs = t.elapsed().as_secs_f64();
            let peak = status_kib("VmHWM");
            let p = snark::Proof::from_arkworks(pk.id(), p).unwrap();
            snark::verify(pk.verifying_key(), &inputs, &p).unwrap();
            return report(variant, before, peak, reset, secs);
        }
        other => panic!("unknown variant {other}"),
    }
    let peak = status_kib("VmHWM");
    report(variant, before, peak, reset, 0.0);
}

fn report(variant: &str, before: u64, peak: u64, reset: bool, secs: f64) {
    // One line the parent parses.
    println!(
        "rss {variant} maxrss_kib={} before_kib={before} peak_kib={} prove_s={secs:.3}",
        maxrss_kib(),
        if reset { peak } else { 0 },
    );
}

fn field(line: &str, key: &str) -> f64 {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(key.trim_end_matches('='))?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let k: usize = arg("--k").map(|v| v.parse().unwrap()).unwrap_or(64);
    let dir = arg("--dir").map(PathBuf::from).unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target"))
            .join("groth16-rss")
    });
    if arg("--child").as_deref() == Some("setup") {
        let path = key_path(&dir, k);
        eprintln!("setting up sum:{k} (cached as {})", path.display());
        let t = Instant::now();
        let pk = snark::setup(SumCircuit::for_setup(k)).unwrap();
        std::fs::write(&path, pk.to_bytes_in(ProvingKeyFormat::V2)).unwrap();
        eprintln!("setup {:.1} s", t.elapsed().as_secs_f64());
        return;
    }
    if let Some(v) = arg("--child") {
        return child(&v, &dir, k);
    }
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    // Setup in a child too: a child's `ru_maxrss` starts from the RSS of the process it was
    // forked from (Linux keeps the high-water mark across `execve`), so the parent stays small.
    if !key_path(&dir, k).exists() {
        let st = Command::new(&exe)
            .args(["--child", "setup", "--k", &k.to_string(), "--dir"])
            .arg(&dir)
            .status()
            .unwrap();
        assert!(st.success(), "setup failed");
    }
    let only = arg("--variants");
    let mut rows = Vec::new();
    for v in VARIANTS {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|x| x == v))
        {
            continue;
        }
        let out = Command::new(&exe)
            .args(["--child", v, "--k", &k.to_string(), "--dir"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{v}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("rss "))
            .unwrap()
            .to_string();
        eprintln!("{line}");
        rows.push((v, line));
    }
    let mib = |kib: f64| kib / 1024.0;
    let get = |name: &str, key: &str| {
        rows.iter()
            .find(|(v, _)| *v == name)
            .map(|(_, l)| field(l, key))
            .unwrap_or(f64::NAN)
    };
    println!(
        "| variant | whole process ru_maxrss | RSS before prove | peak during prove | prove |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (v, l) in &rows {
        println!(
            "| {v} | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.2} s |",
            mib(field(l, "maxrss_kib=")),
            mib(field(l, "before_kib=")),
            mib(field(l, "peak_kib=")),
            field(l, "prove_s="),
        );
    }
    let ark_max = get("ark", "maxrss_kib=");
    let ark_peak = get("ark", "peak_kib=");
    for v in ["ours", "ours-unnamed", "ours-warm"] {
        println!(
            "{v} / ark: ru_maxrss {:.3}x, peak during prove {:.3}x",
            get(v, "maxrss_kib=") / ark_max,
            get(v, "peak_kib=") / ark_peak
        );
    }
}
