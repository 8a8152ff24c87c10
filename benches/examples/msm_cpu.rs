//! One G1 MSM run many times, for CPU-time comparisons under `perf stat` on a shared machine
//! (wall-clock benches are noisy there; user time is not). Usage:
//!
//! ```text
//! msm_cpu <causeway|ark-ec|setup> <random|bits|bytes|g2-random> <log2 n> <iterations>
//! ```
//!
//! `g2-random` runs G2 (`msm_g2`, which does not assume the subgroup, and arkworks').
//!
//! `setup` builds the inputs and runs nothing, so its CPU time can be subtracted. Same inputs as
//! the `msm` bench (ark-std's `test_rng`).

use ark_bn254::{Fr, G1Projective, G2Projective};
use ark_ec::{CurveGroup, VariableBaseMSM};
use causeway::snark::msm::{msm_g1, msm_g2};
use causeway_benches::msm_inputs;
use std::hint::black_box;
use std::process::ExitCode;

fn scalars(mix: &str, n: usize) -> Option<Vec<Fr>> {
    Some(match mix {
        "random" | "g2-random" => msm_inputs::random(n),
        "bits" => msm_inputs::bits(n),
        "bytes" => msm_inputs::bytes(n),
        _ => return None,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [who, mix, log, iters] = args.as_slice() else {
        eprintln!(
            "usage: msm_cpu <causeway|ark-ec|setup> <random|bits|bytes|g2-random> <log2 n> <iterations>"
        );
        return ExitCode::FAILURE;
    };
    let (Ok(log), Ok(iters)) = (log.parse::<u32>(), iters.parse::<usize>()) else {
        eprintln!("log2 n and iterations are integers");
        return ExitCode::FAILURE;
    };
    let n = 1usize << log.min(20);
    let Some(s) = scalars(mix, n) else {
        eprintln!("unknown mix {mix}");
        return ExitCode::FAILURE;
    };
    if mix == "g2-random" {
        let p = msm_inputs::g2_bases(n);
        let mut check = G2Projective::default();
        for _ in 0..iters {
            check = match who.as_str() {
                "causeway" => msm_g2(black_box(&p), black_box(&s)).unwrap_or_default(),
                "ark-ec" => G2Projective::msm(black_box(&p), black_box(&s)).unwrap_or_default(),
                _ => break,
            };
        }
        println!("{who} {mix} 2^{log} x{iters}: {}", check.into_affine());
        return ExitCode::SUCCESS;
    }
    let p = msm_inputs::g1_bases(n);
    let mut check = G1Projective::default();
    for _ in 0..iters {
        let r = match who.as_str() {
            "causeway" => msm_g1(black_box(&p), black_box(&s)).ok(),
            "ark-ec" => G1Projective::msm(black_box(&p), black_box(&s)).ok(),
            "setup" => break,
            _ => {
                eprintln!("unknown side {who}");
                return ExitCode::FAILURE;
            }
        };
        check = r.unwrap_or_default();
    }
    println!("{who} {mix} 2^{log} x{iters}: {}", check.into_affine());
    ExitCode::SUCCESS
}
