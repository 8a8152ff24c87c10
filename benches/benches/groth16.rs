//! Groth16 (BN254, arkworks 0.5 through `causeway::snark`).
//!
//! * `groth16/square_chain_prove`: our `snark::prove` beside raw `ark_groth16::Groth16::prove`
//!   on the same square-chain circuit (`x_{i+1} = x_i²`) of the size of the sum-threshold k = 4
//!   statement — the wrapper's overhead (target ≤ 1.05×).
//! * `groth16/statements`: prove and verify per statement (attribute predicate; membership
//!   depth 20 with nullifier; sum threshold k = 4 and 16). Constraint counts, one setup time and
//!   key sizes are printed once per statement before the measurements (setup is too slow to
//!   repeat inside criterion). Beside our `prove`: `prove-ark` (raw ark-groth16 0.5
//!   `create_random_proof_with_reduction` on the same key and circuit, the peer) and `witness`
//!   (what our prover spends on witness synthesis once the key holds its matrices: the circuit
//!   run in prove mode without matrices, and the assignment copied out). `prove` runs with the
//!   key's fixed-base tables (`ProvingKey::precompute(DEFAULT_TABLE_BUDGET)`, decision 0098;
//!   their build time and bytes are printed), `prove-notables` on the same key with
//!   its tables dropped (`precompute(0)`), `prove-oneshot` on the same key loaded from its bytes
//!   and named for no circuit (every proof one-shot, decisions 0130 and 0132; no tables).
//!
//! Short settings: `cargo bench -p causeway-benches --bench groth16 -- --warm-up-time 1
//! --measurement-time 3`.

use ark_bn254::Bn254;
use ark_relations::r1cs::ConstraintSynthesizer;
use causeway::snark::{self, circuit_shape, Fr};
use causeway_circuits::statements::attribute::AttributeCircuit;
use causeway_circuits::statements::membership::MembershipCircuit;
use causeway_circuits::statements::sum::SumCircuit;
use causeway_circuits::statements::Predicate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Instant;

#[path = "../common/groth16.rs"]
#[allow(dead_code)]
mod common;
use common::SquareChain;

fn square_chain(c: &mut Criterion) {
    let n = circuit_shape(SumCircuit::for_setup(4)).unwrap().constraints;
    let pk = snark::setup(SquareChain { n, x: None }).unwrap();
    let raw_pk = pk.as_arkworks().clone();
    let circuit = SquareChain {
        n,
        x: Some(Fr::from(3u64)),
    };
    let mut g = c.benchmark_group("groth16/square_chain_prove");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("causeway", n), |b| {
        b.iter(|| snark::prove(&pk, black_box(circuit.clone())).unwrap())
    });
    g.bench_function(BenchmarkId::new("ark-groth16", n), |b| {
        b.iter(|| {
            use ark_snark_shim::prove;
            prove::<Bn254, _>(&raw_pk, black_box(circuit.clone()))
        })
    });
    g.finish();
}

mod ark_snark_shim {
    use ark_ec::pairing::Pairing;
    pub fn prove<E: Pairing, C: ark_relations::r1cs::ConstraintSynthesizer<E::ScalarField>>(
        pk: &ark_groth16::ProvingKey<E>,
        c: C,
    ) -> ark_groth16::Proof<E> {
        ark_groth16::Groth16::<E>::create_random_proof_with_reduction(c, pk, &mut rand_core::OsRng)
            .unwrap()
    }
}

fn report<C: ConstraintSynthesizer<Fr> + Clone>(name: &str, setup_circuit: C) -> snark::ProvingKey {
    let shape = circuit_shape(setup_circuit.clone()).unwrap();
    let t = Instant::now();
    let pk = snark::setup(setup_circuit).unwrap();
    let setup_s = t.elapsed().as_secs_f64();
    eprintln!(
        "groth16 {name}: {} constraints, setup {:.2} s, proving key {} B, verifying key {} B, proof {} B",
        shape.constraints,
        setup_s,
        pk.to_bytes().len(),
        pk.verifying_key().to_bytes().len(),
        snark::PROOF_BYTES
    );
    pk
}

/// Witness synthesis as the prover does it once the key holds its matrices.
fn witness_only<C: ConstraintSynthesizer<Fr>>(circuit: C) -> usize {
    use ark_relations::r1cs::{ConstraintSystem, OptimizationGoal, SynthesisMode};
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: false,
    });
    circuit.generate_constraints(cs.clone()).unwrap();
    cs.finalize();
    let b = cs.borrow().unwrap();
    let full = [
        b.instance_assignment.as_slice(),
        b.witness_assignment.as_slice(),
    ]
    .concat();
    full.len()
}

fn bench_statement<C: ConstraintSynthesizer<Fr> + Clone>(
    c: &mut Criterion,
    name: &str,
    pk: &snark::ProvingKey,
    circuit: C,
    inputs: Vec<Fr>,
) {
    let proof = snark::prove(pk, circuit.clone()).unwrap();
    snark::verify(pk.verifying_key(), &inputs, &proof).unwrap();
    let t = Instant::now();
    let tables = pk.precompute(snark::DEFAULT_TABLE_BUDGET);
    eprintln!(
        "groth16 {name}: tables {} B built in {:.2} s: {:?}",
        tables.bytes,
        t.elapsed().as_secs_f64(),
        tables
            .tables
            .iter()
            .map(|t| (t.query, t.points, t.window_bits, t.bytes))
            .collect::<Vec<_>>()
    );
    let mut g = c.benchmark_group("groth16/statements");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("prove", name), |b| {
        b.iter(|| snark::prove(pk, black_box(circuit.clone())).unwrap())
    });
    // The same key with its tables dropped (and none built again), then rebuilt.
    pk.precompute(0);
    g.bench_function(BenchmarkId::new("prove-notables", name), |b| {
        b.iter(|| snark::prove(pk, black_box(circuit.clone())).unwrap())
    });
    // The same key from its bytes, named for no circuit: every proof is one-shot (the caller's
    // circuit's own rows, Poseidon's recorded: decisions 0130, 0132), no tables either.
    let bare = snark::ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
    bare.precompute(0);
    g.bench_function(BenchmarkId::new("prove-oneshot", name), |b| {
        b.iter(|| snark::prove(&bare, black_box(circuit.clone())).unwrap())
    });
    drop(bare);
    pk.precompute(snark::DEFAULT_TABLE_BUDGET);
    g.bench_function(BenchmarkId::new("prove-ark", name), |b| {
        b.iter(|| ark_snark_shim::prove::<Bn254, _>(pk.as_arkworks(), black_box(circuit.clone())))
    });
    g.bench_function(BenchmarkId::new("witness", name), |b| {
        b.iter(|| witness_only(black_box(circuit.clone())))
    });
    g.bench_function(BenchmarkId::new("verify", name), |b| {
        b.iter(|| snark::verify(pk.verifying_key(), black_box(&inputs), black_box(&proof)).unwrap())
    });
    g.finish();
}

fn statements(c: &mut Criterion) {
    let pk = report("attribute", AttributeCircuit::for_setup());
    let (circuit, inputs) = common::attribute(Predicate::AtLeast(700));
    bench_statement(c, "attribute", &pk, circuit, inputs);

    // Membership, depth 20, with nullifier.
    let name = "membership-d20-nullifier";
    let pk = report(name, MembershipCircuit::for_setup(20, true));
    let (circuit, inputs) = common::membership(20);
    bench_statement(c, name, &pk, circuit, inputs);

    // Sum threshold, k = 4 and 16.
    for k in [4usize, 16] {
        let pk = report(&format!("sum-k{k}"), SumCircuit::for_setup(k));
        let (circuit, inputs) = common::sum(k);
        bench_statement(c, &format!("sum-k{k}"), &pk, circuit, inputs);
    }
}

criterion_group!(benches, square_chain, statements);
criterion_main!(benches);
