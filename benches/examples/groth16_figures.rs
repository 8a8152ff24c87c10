//! Groth16 figures in one run: per statement (constraints, setup, prove, verify, key sizes),
//! where prove time goes, our `snark::prove` beside raw ark-groth16 on a square chain of the
//! same size, and the witness files for the circom/snarkjs peer (`benches/circom/run.sh` runs
//! this, then snarkjs on the same statements, and prints the ratios).
//!
//! ```text
//! cargo run --release -p causeway-benches --example groth16_figures -- [--out DIR] [--quick]
//!     [--only attribute,membership,sum4,sum16,sum64,chain,phases,prover-phases]
//! ```
//!
//! `prover-phases` times the stages of our own `snark::prove` (through its progress reports:
//! witness, quotient, each MSM, the self-check) on attribute, membership d20, sum:4 and sum:16,
//! on keys that hold their matrices (steady state), median of the runs per stage, and the share
//! of the proof during which rayon's worker threads slept for want of work (a core left idle;
//! from `/proc/self/task/*/schedstat`, so it does not count time lost to other load).
//!
//! Writes `DIR/ours.json` (all figures) and, per statement with a circom twin,
//! `DIR/<name>.input.json` (the circom witness inputs) with our public input inside
//! `DIR/ours.json` so the runner can check that snarkjs proves the same statement.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use ark_bn254::{Bn254, G1Projective, G2Projective};
use ark_ec::VariableBaseMSM;
use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{LibsnarkReduction, R1CSToQAP};
use ark_relations::r1cs::{
    ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode,
};
use causeway::snark::{self, circuit_shape, Fr};
use causeway_circuits::statements::attribute::AttributeCircuit;
use causeway_circuits::statements::membership::MembershipCircuit;
use causeway_circuits::statements::sum::SumCircuit;
use causeway_circuits::statements::{Predicate, RECORD_TREE_DEPTH};

#[path = "../common/groth16.rs"]
#[allow(dead_code)]
mod common;
use common::SquareChain;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

use causeway_benches::cpu_seconds;

/// Wall and CPU seconds of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (w, c) = (Instant::now(), cpu_seconds());
    let out = f();
    (out, w.elapsed().as_secs_f64(), cpu_seconds() - c)
}

fn dec(x: &Fr) -> String {
    x.into_bigint().to_string()
}

fn bits(index: u64, depth: usize) -> Vec<String> {
    (0..depth).map(|h| ((index >> h) & 1).to_string()).collect()
}

fn json_list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(",")
    )
}

struct Figures {
    json: String,
}

impl Figures {
    fn add(&mut self, key: &str, value: String) {
        if !self.json.is_empty() {
            self.json.push_str(",\n");
        }
        let _ = write!(self.json, "  \"{key}\": {value}");
    }
}

/// Setup once, prove `n` times, verify `m` times; prints and records the figures.
fn statement<C: ConstraintSynthesizer<Fr> + Clone>(
    f: &mut Figures,
    name: &str,
    setup_circuit: C,
    circuit: C,
    inputs: Vec<Fr>,
    n: usize,
    m: usize,
) {
    let shape = circuit_shape(setup_circuit.clone()).unwrap();
    let t = Instant::now();
    let pk = snark::setup(setup_circuit).unwrap();
    let setup_s = t.elapsed().as_secs_f64();
    let vk = pk.verifying_key();
    let (mut prove, mut prove_cpu) = (Vec::new(), Vec::new());
    let mut proof = None;
    for _ in 0..n {
        let (p, w, c) = timed(|| snark::prove(&pk, circuit.clone()).unwrap());
        proof = Some(p);
        prove.push(w);
        prove_cpu.push(c);
    }
    let proof = proof.unwrap();
    let (mut verify, mut verify_cpu) = (Vec::new(), Vec::new());
    for _ in 0..m {
        let ((), w, c) = timed(|| snark::verify(vk, &inputs, &proof).unwrap());
        verify.push(w);
        verify_cpu.push(c);
    }
    let (p, v) = (median(prove), median(verify));
    let (pc, vc) = (median(prove_cpu), median(verify_cpu));
    let (pk_b, vk_b) = (pk.to_bytes().len(), vk.to_bytes().len());
    eprintln!(
        "{name:<26} {:>7} constraints  setup {setup_s:>6.2} s  prove {:>7.1} ms (cpu {:>7.1})  verify {:>5.2} ms (cpu {:>5.2})  pk {:>9} B  vk {vk_b} B",
        shape.constraints,
        p * 1e3,
        pc * 1e3,
        v * 1e3,
        vc * 1e3,
        pk_b
    );
    f.add(
        name,
        format!(
            "{{\"constraints\": {}, \"setup_s\": {setup_s:.4}, \"prove_ms\": {:.3}, \"prove_cpu_ms\": {:.3}, \"verify_ms\": {:.4}, \"verify_cpu_ms\": {:.4}, \"pk_bytes\": {pk_b}, \"vk_bytes\": {vk_b}, \"proof_bytes\": {}, \"public\": \"{}\"}}",
            shape.constraints,
            p * 1e3,
            pc * 1e3,
            v * 1e3,
            vc * 1e3,
            snark::PROOF_BYTES,
            dec(&inputs[0])
        ),
    );
}

/// The attribute statement (range 700..=800) and its circom witness inputs.
fn attribute() -> (AttributeCircuit, Vec<Fr>, String) {
    let (circuit, inputs) = common::attribute(Predicate::Range { lo: 700, hi: 800 });
    let (public, private) = (&circuit.public, circuit.private.as_ref().unwrap());
    let input_json = format!(
        "{{\"h\": \"{}\", \"root\": \"{}\", \"name\": \"{}\", \"type_tag\": \"{}\", \"lo\": \"700\", \"hi\": \"800\", \"ne\": \"0\", \"c\": \"0\", \"challenge\": \"9\", \"value\": \"742\", \"salt\": \"{}\", \"bits\": {}, \"siblings\": {}}}",
        dec(&inputs[0]),
        dec(&public.root),
        dec(&public.name),
        dec(&public.type_tag),
        dec(&private.salt),
        json_list(&bits(private.path.index, RECORD_TREE_DEPTH)),
        json_list(&private.path.siblings.iter().map(dec).collect::<Vec<_>>())
    );
    (circuit, inputs, input_json)
}

/// The sum-threshold statement over `k` records and its circom witness inputs.
fn sum(k: usize) -> (SumCircuit, Vec<Fr>, String) {
    let (circuit, inputs) = common::sum(k);
    let (public, records) = (&circuit.public, &circuit.private.as_ref().unwrap().records);
    let input_json = format!(
        "{{\"h\": \"{}\", \"roots\": {}, \"name\": \"{}\", \"type_tag\": \"{}\", \"threshold\": \"{}\", \"challenge\": \"3\", \"values\": {}, \"salts\": {}, \"bits\": [{}], \"siblings\": [{}]}}",
        dec(&inputs[0]),
        json_list(&public.roots.iter().map(dec).collect::<Vec<_>>()),
        dec(&public.name),
        dec(&public.type_tag),
        public.threshold,
        json_list(&vec!["100000".to_string(); k]),
        json_list(&records.iter().map(|r| dec(&r.salt)).collect::<Vec<_>>()),
        records
            .iter()
            .map(|r| json_list(&bits(r.path.index, RECORD_TREE_DEPTH)))
            .collect::<Vec<_>>()
            .join(","),
        records
            .iter()
            .map(|r| json_list(&r.path.siblings.iter().map(dec).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
            .join(",")
    );
    (circuit, inputs, input_json)
}

/// Membership depth 20 with a nullifier and its circom witness inputs.
fn membership() -> (MembershipCircuit, Vec<Fr>, String) {
    let (circuit, inputs) = common::membership(20);
    let (public, private) = (&circuit.public, circuit.private.as_ref().unwrap());
    let nullifier = public.nullifier.unwrap();
    let input_json = format!(
        "{{\"h\": \"{}\", \"root\": \"{}\", \"context\": \"{}\", \"nullifier\": \"{}\", \"challenge\": \"{}\", \"secret\": \"{}\", \"bits\": {}, \"siblings\": {}}}",
        dec(&inputs[0]),
        dec(&public.root),
        dec(&nullifier.context),
        dec(&nullifier.value),
        dec(&public.challenge),
        dec(&private.secret),
        json_list(&bits(private.path.index, 20)),
        json_list(&private.path.siblings.iter().map(dec).collect::<Vec<_>>())
    );
    (circuit, inputs, input_json)
}

/// Ours beside raw ark-groth16 on the same square chain, interleaved (ABAB...) so that load
/// drifts hit both alike; the ratio is of medians.
fn square_chain(f: &mut Figures, n: usize, reps: usize) {
    let pk = snark::setup(SquareChain { n, x: None }).unwrap();
    let raw_pk = pk.as_arkworks().clone();
    let c = SquareChain {
        n,
        x: Some(Fr::from(3u64)),
    };
    let (mut ours, mut raw, mut ours_c, mut raw_c) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut rng = rand_core::OsRng;
    for _ in 0..reps {
        let (p, w, cpu) = timed(|| snark::prove(&pk, c.clone()).unwrap());
        std::hint::black_box(p);
        ours.push(w);
        ours_c.push(cpu);
        let (p, w, cpu) = timed(|| {
            ark_groth16::Groth16::<Bn254>::create_random_proof_with_reduction(
                c.clone(),
                &raw_pk,
                &mut rng,
            )
            .unwrap()
        });
        std::hint::black_box(p);
        raw.push(w);
        raw_c.push(cpu);
    }
    let (o, r) = (median(ours), median(raw));
    let (oc, rc) = (median(ours_c), median(raw_c));
    eprintln!(
        "square chain {n}: causeway {:.1} ms (cpu {:.1}), ark-groth16 {:.1} ms (cpu {:.1}), ratio wall {:.3} cpu {:.3} (target <= 1.05)",
        o * 1e3,
        oc * 1e3,
        r * 1e3,
        rc * 1e3,
        o / r,
        oc / rc
    );
    f.add(
        "square_chain",
        format!(
            "{{\"constraints\": {n}, \"causeway_ms\": {:.3}, \"ark_groth16_ms\": {:.3}, \"ratio\": {:.4}, \"causeway_cpu_ms\": {:.3}, \"ark_groth16_cpu_ms\": {:.3}, \"ratio_cpu\": {:.4}, \"reps\": {reps}}}",
            o * 1e3,
            r * 1e3,
            o / r,
            oc * 1e3,
            rc * 1e3,
            oc / rc
        ),
    );
}

/// Where prove time goes: the same steps as `snark::prove`, timed one by one.
fn phases<C: ConstraintSynthesizer<Fr> + Clone>(
    f: &mut Figures,
    name: &str,
    setup_circuit: C,
    circuit: C,
    reps: usize,
) {
    let pk = snark::setup(setup_circuit).unwrap();
    let pk = pk.as_arkworks();
    let mut t_syn = Vec::new();
    let mut t_fft = Vec::new();
    let mut t_g1 = Vec::new();
    let mut t_g2 = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Prove {
            construct_matrices: true,
        });
        circuit.clone().generate_constraints(cs.clone()).unwrap();
        cs.finalize();
        let m = cs.to_matrices().unwrap();
        let full = {
            let b = cs.borrow().unwrap();
            [
                b.instance_assignment.as_slice(),
                b.witness_assignment.as_slice(),
            ]
            .concat()
        };
        t_syn.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let h = LibsnarkReduction::witness_map_from_matrices::<
            Fr,
            ark_poly::GeneralEvaluationDomain<Fr>,
        >(&m, m.num_instance_variables, m.num_constraints, &full)
        .unwrap();
        t_fft.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let hb: Vec<_> = h.iter().map(|x| x.into_bigint()).collect();
        let zb: Vec<_> = full.iter().map(|x| x.into_bigint()).collect();
        let aux = &zb[m.num_instance_variables..];
        let _ = std::hint::black_box(G1Projective::msm_bigint(&pk.h_query, &hb));
        let _ = std::hint::black_box(G1Projective::msm_bigint(&pk.l_query, aux));
        let _ = std::hint::black_box(G1Projective::msm_bigint(&pk.a_query, &zb));
        let _ = std::hint::black_box(G1Projective::msm_bigint(&pk.b_g1_query, &zb));
        t_g1.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let _ = std::hint::black_box(G2Projective::msm_bigint(&pk.b_g2_query, &zb));
        t_g2.push(t.elapsed().as_secs_f64());
    }
    let (s, w, g1, g2) = (median(t_syn), median(t_fft), median(t_g1), median(t_g2));
    let total = s + w + g1 + g2;
    eprintln!(
        "{name:<28} prove phases: witness synthesis {:.1} ms ({:.0} %), QAP witness map (FFTs) {:.1} ms ({:.0} %), 4 G1 MSMs {:.1} ms ({:.0} %), 1 G2 MSM {:.1} ms ({:.0} %)",
        s * 1e3,
        100.0 * s / total,
        w * 1e3,
        100.0 * w / total,
        g1 * 1e3,
        100.0 * g1 / total,
        g2 * 1e3,
        100.0 * g2 / total
    );
    f.add(
        &format!("phases_{name}"),
        format!(
            "{{\"synthesis_ms\": {:.3}, \"fft_ms\": {:.3}, \"msm_g1_ms\": {:.3}, \"msm_g2_ms\": {:.3}}}",
            s * 1e3,
            w * 1e3,
            g1 * 1e3,
            g2 * 1e3
        ),
    );
}

/// `(run, wait)` nanoseconds of every thread of this process but the main one, by thread id
/// (`/proc/self/task/*/schedstat`: time on a CPU, time runnable but waiting for one; Linux).
fn worker_schedstats() -> Vec<(u64, u64, u64)> {
    let me = std::process::id().to_string();
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in dir.flatten() {
        let tid = e.file_name().to_string_lossy().to_string();
        if tid == me {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(e.path().join("schedstat")) else {
            continue;
        };
        let v: Vec<u64> = text
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if let (Ok(tid), Some(run), Some(wait)) = (tid.parse::<u64>(), v.first(), v.get(1)) {
            out.push((tid, *run, *wait));
        }
    }
    out
}

/// The share of the worker threads' time during `wall_ns` that they were neither running nor
/// waiting for a CPU: asleep for want of work, a core our proof left idle. Meaningful on a
/// quiet machine only: a rayon worker out of work yields a while before it sleeps, and under
/// load each yield waits in the run queue, which counts as waiting, not idle.
fn idle_share(before: &[(u64, u64, u64)], after: &[(u64, u64, u64)], wall_ns: u64) -> f64 {
    let mut idle = 0u64;
    let mut n = 0u64;
    for (tid, run, wait) in after {
        if let Some((_, r0, w0)) = before.iter().find(|b| b.0 == *tid) {
            let busy = (run - r0) + (wait - w0);
            idle += wall_ns.saturating_sub(busy);
            n += 1;
        }
    }
    if n == 0 {
        return 0.0;
    }
    idle as f64 / (n * wall_ns) as f64
}

/// Where our own `snark::prove` spends its time: the stages it reports through
/// `prove_with_progress_rng`, timed from one report to the next (medians over `reps` proofs
/// after one warm-up proof).
fn prover_phases<C: ConstraintSynthesizer<Fr> + Clone>(
    f: &mut Figures,
    name: &str,
    setup_circuit: C,
    circuit: C,
    reps: usize,
) {
    use causeway::proof::{Progress, ProvePhase};
    use std::cell::RefCell;
    let pk = snark::setup(setup_circuit).unwrap();
    snark::prove(&pk, circuit.clone()).unwrap();
    let phases = ProvePhase::GROTH16;
    let mut per: Vec<Vec<f64>> = vec![Vec::new(); phases.len()];
    let mut totals = Vec::new();
    // From `Quotient` to `Check`: the quotient and the five MSMs, which the prover runs side by
    // side on two threads (decision 0123: `msm-h` … `msm-b2` are then reported together as they
    // begin, so the per-stage figures from `quotient` to `msm-b2` are not the stages' own).
    let mut block = Vec::new();
    let mut idle = Vec::new();
    for _ in 0..reps {
        let marks: RefCell<Vec<(ProvePhase, Instant)>> = RefCell::new(Vec::new());
        let on = |p: Progress| marks.borrow_mut().push((p.phase, Instant::now()));
        let s0 = worker_schedstats();
        let t = Instant::now();
        snark::prove_with_progress_rng(&pk, circuit.clone(), &mut rand_core::OsRng, &on).unwrap();
        let wall = t.elapsed();
        idle.push(idle_share(
            &s0,
            &worker_schedstats(),
            wall.as_nanos() as u64,
        ));
        totals.push(wall.as_secs_f64());
        let marks = marks.into_inner();
        let at = |p: ProvePhase| marks.iter().find(|m| m.0 == p).map(|m| m.1);
        if let (Some(q), Some(c)) = (at(ProvePhase::Quotient), at(ProvePhase::Check)) {
            block.push((c - q).as_secs_f64());
        }
        for w in marks.windows(2) {
            if let Some(i) = phases.iter().position(|p| *p == w[0].0) {
                per[i].push((w[1].1 - w[0].1).as_secs_f64());
            }
        }
    }
    // Beside the quotient stage: arkworks' LibsnarkReduction on the same matrices and
    // assignment (what our prover ran before decision 0118).
    let (m, full) = {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Prove {
            construct_matrices: true,
        });
        circuit.clone().generate_constraints(cs.clone()).unwrap();
        cs.finalize();
        let m = cs.to_matrices().unwrap();
        let b = cs.borrow().unwrap();
        let full = [
            b.instance_assignment.as_slice(),
            b.witness_assignment.as_slice(),
        ]
        .concat();
        (m, full)
    };
    let ark_qap = median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                let h = LibsnarkReduction::witness_map_from_matrices::<
                    Fr,
                    ark_poly::GeneralEvaluationDomain<Fr>,
                >(&m, m.num_instance_variables, m.num_constraints, &full)
                .unwrap();
                std::hint::black_box(h);
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    let total = median(totals);
    let meds: Vec<f64> = per.into_iter().map(median).collect();
    let mut line = format!(
        "{name:<28} ark-groth16 QAP (LibsnarkReduction) {:.1} ms; our prove {:.1} ms:",
        ark_qap * 1e3,
        total * 1e3
    );
    let mut json = format!(
        "{{\"ark_qap_ms\": {:.3}, \"total_ms\": {:.3}",
        ark_qap * 1e3,
        total * 1e3
    );
    for (p, m) in phases.iter().zip(&meds) {
        let _ = write!(line, " {p} {:.1} ms ({:.1} %),", m * 1e3, 100.0 * m / total);
        let _ = write!(
            json,
            ", \"{}_ms\": {:.3}",
            p.as_str().replace('-', "_"),
            m * 1e3
        );
    }
    let rest = total - meds.iter().sum::<f64>();
    let _ = write!(line, " outside the stages {:.1} ms", rest * 1e3);
    let block = median(block);
    let _ = write!(
        line,
        "; quotient and MSMs together {:.1} ms ({:.1} %)",
        block * 1e3,
        100.0 * block / total
    );
    let _ = write!(json, ", \"quotient_and_msms_ms\": {:.3}", block * 1e3);
    let idle = median(idle);
    let _ = write!(
        line,
        "; rayon workers idle (asleep for want of work) {:.1} % of the proof",
        100.0 * idle
    );
    let _ = write!(json, ", \"workers_idle_share\": {idle:.4}");
    json.push('}');
    eprintln!("{line}");
    f.add(&format!("prover_phases_{name}"), json);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let out = PathBuf::from(arg("--out").unwrap_or_else(|| "target/bench-circom".into()));
    let quick = args.iter().any(|a| a == "--quick");
    let only =
        arg("--only").unwrap_or_else(|| "attribute,membership,sum4,sum16,chain,phases".into());
    let want = |k: &str| only.split(',').any(|x| x == k);
    std::fs::create_dir_all(&out).unwrap();
    let (n, m) = if quick { (3, 20) } else { (7, 100) };
    eprintln!(
        "groth16 figures: rayon threads {}, prove median of {n}, verify median of {m}",
        rayon::current_num_threads()
    );
    let mut f = Figures {
        json: String::new(),
    };
    if want("attribute") {
        let (c, inputs, input) = attribute();
        std::fs::write(out.join("attribute.input.json"), input).unwrap();
        statement(
            &mut f,
            "attribute",
            AttributeCircuit::for_setup(),
            c,
            inputs,
            n,
            m,
        );
    }
    if want("membership") {
        let (c, inputs, input) = membership();
        std::fs::write(out.join("membership.input.json"), input).unwrap();
        statement(
            &mut f,
            "membership-d20-nullifier",
            MembershipCircuit::for_setup(20, true),
            c,
            inputs,
            n,
            m,
        );
    }
    for k in [4usize, 16, 64] {
        if !want(&format!("sum{k}")) {
            continue;
        }
        let (c, inputs, input) = sum(k);
        std::fs::write(out.join(format!("sum{k}.input.json")), input).unwrap();
        let reps = if k == 64 { n.min(3) } else { n };
        statement(
            &mut f,
            &format!("sum-k{k}"),
            SumCircuit::for_setup(k),
            c,
            inputs,
            reps,
            m,
        );
    }
    if want("chain") {
        let size = circuit_shape(SumCircuit::for_setup(4)).unwrap().constraints;
        square_chain(&mut f, size, if quick { 5 } else { 11 });
    }
    if want("phases") {
        let (c, _, _) = sum(4);
        phases(&mut f, "sum-k4", SumCircuit::for_setup(4), c, n);
        let size = circuit_shape(SumCircuit::for_setup(4)).unwrap().constraints;
        phases(
            &mut f,
            "square-chain",
            SquareChain { n: size, x: None },
            SquareChain {
                n: size,
                x: Some(Fr::from(3u64)),
            },
            n,
        );
    }
    if want("prover-phases") {
        let (c, _, _) = attribute();
        prover_phases(&mut f, "attribute", AttributeCircuit::for_setup(), c, n);
        let (c, _, _) = membership();
        prover_phases(
            &mut f,
            "membership-d20-nullifier",
            MembershipCircuit::for_setup(20, true),
            c,
            n,
        );
        for k in [4usize, 16] {
            let (c, _, _) = sum(k);
            prover_phases(&mut f, &format!("sum-k{k}"), SumCircuit::for_setup(k), c, n);
        }
    }
    std::fs::write(out.join("ours.json"), format!("{{\n{}\n}}\n", f.json)).unwrap();
    eprintln!("wrote {}", out.join("ours.json").display());
}
