//! Generated Solidity Groth16 verifiers, compiled with the pinned solc-js and deployed on a real
//! anvil node: our proofs verify; a wrong input, an input `x + r`, a wrong input count and
//! malformed proofs are refused; gas is measured. `#[ignore]`d in a plain `cargo test`; run by
//! `scripts/suites/50-evm.sh` (which sets `CAUSEWAY_ANVIL_URL`), failing if anything is missing.

use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use causeway::anchor::evm::{EvmKey, EvmNode};
use causeway::anchor::verifier::{
    proof_words, selector, solidity_verifier, verify_calldata, verify_calldata_words,
};
use causeway::snark::{self, input_to_be_bytes, Fr};
use serde_json::json;
use std::path::PathBuf;
use std::process::Command;

#[path = "support/evm_contracts.rs"]
mod evm_contracts;
use evm_contracts::{compile, url};

/// Private `x`; public `p1 = x²`, `p(i+1) = p(i)·x`: `n` public inputs (powers of x).
#[derive(Clone)]
struct Powers {
    n: usize,
    x: Option<Fr>,
}

impl ConstraintSynthesizer<Fr> for Powers {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let x = cs.new_witness_variable(|| self.x.ok_or(SynthesisError::AssignmentMissing))?;
        let mut prev_val = self.x;
        let mut prev = x;
        for _ in 0..self.n {
            let val = prev_val.and_then(|p| self.x.map(|x| p * x));
            let p = cs.new_input_variable(|| val.ok_or(SynthesisError::AssignmentMissing))?;
            cs.enforce_constraint(lc!() + prev, lc!() + x, lc!() + p)?;
            prev = p;
            prev_val = val;
        }
        Ok(())
    }
}

fn snarkjs_dir() -> PathBuf {
    std::env::var("CAUSEWAY_SNARKJS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| causeway_tests::crate_dir().join("interop/snarkjs"))
}

/// The verifier snarkjs generates for `vk` (its own template, rendered by
/// `tests/interop/snarkjs/solidity-verifier.mjs` as `snarkjs zkey export solidityverifier`
/// does), compiled with the same solc settings as ours; returns the artifact JSON.
fn snarkjs_verifier(vk: &snark::VerifyingKey) -> String {
    let dir = tempfile::tempdir().unwrap();
    let vk_path = dir.path().join("verification_key.json");
    std::fs::write(&vk_path, snark::vk_to_snarkjs_json(vk)).unwrap();
    let sol = dir.path().join("Groth16Verifier.sol");
    let status = Command::new("node")
        .arg(snarkjs_dir().join("solidity-verifier.mjs"))
        .arg(&vk_path)
        .arg(&sol)
        .status()
        .expect("node is needed (scripts/suites/50-evm.sh installs snarkjs)");
    assert!(status.success(), "snarkjs did not render its verifier");
    compile("Groth16Verifier", &std::fs::read_to_string(&sol).unwrap())
}

/// Calldata for snarkjs's `verifyProof(uint[2] a, uint[2][2] b, uint[2] c, uint[n] inputs)`:
/// the same 8 proof words (B with the imaginary parts first, as snarkjs's `exportSolidityCallData`
/// writes it), then the inputs, without a length.
fn snarkjs_calldata(proof: &[[u8; 32]; 8], inputs: &[[u8; 32]]) -> Vec<u8> {
    let sig = format!(
        "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[{}])",
        inputs.len()
    );
    let mut out = selector(&sig).to_vec();
    for w in proof.iter().chain(inputs) {
        out.extend_from_slice(w);
    }
    out
}

fn node() -> EvmNode {
    let u = url();
    let key = EvmKey::generate().unwrap();
    let addr = format!("0x{}", hex::encode(key.address().unwrap()));
    EvmNode::connect(&u, None)
        .unwrap()
        .raw_request(
            "anvil_setBalance",
            &json!([addr, "0x56BC75E2D63100000"]).to_string(),
        )
        .unwrap();
    EvmNode::connect(&u, Some(&key)).unwrap()
}

fn returns_true(out: &[u8]) -> bool {
    assert_eq!(out.len(), 32, "verifyProof returns one word");
    let mut one = [0u8; 32];
    one[31] = 1;
    if out == one {
        return true;
    }
    assert_eq!(out, [0u8; 32], "verifyProof returns a bool");
    false
}

/// BN254's scalar field modulus r, big-endian.
fn r_be() -> [u8; 32] {
    let mut r = [0u8; 32];
    hex::decode_to_slice(
        "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
        &mut r,
    )
    .unwrap();
    r
}

fn add_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let s = a[i] as u16 + b[i] as u16 + carry;
        out[i] = s as u8;
        carry = s >> 8;
    }
    assert_eq!(carry, 0);
    out
}

/// Gas figures of one verifier size: ours and snarkjs's for the same key, proof and inputs.
struct Figures {
    ours: u64,
    ours_deploy: u64,
    snarkjs: u64,
    snarkjs_deploy: u64,
}

fn check_verifier(n: usize) -> Figures {
    let pk = snark::setup(Powers { n, x: None }).unwrap();
    let vk = pk.verifying_key();
    let (proof, inputs) = snark::prove_returning_inputs_with_rng(
        &pk,
        Powers {
            n,
            x: Some(Fr::from(7u64)),
        },
        &mut rand_core::OsRng,
    )
    .unwrap();
    snark::verify(vk, &inputs, &proof).unwrap();
    assert_eq!(inputs.len(), n);

    let name = format!("Verifier{n}");
    let artifact = compile(&name, &solidity_verifier(vk, &name));
    let node = node();
    let deployed = node.deploy_artifact(&artifact).unwrap();
    let at = deployed.contract_address.unwrap();

    let good = verify_calldata(&proof, &inputs);
    assert!(
        returns_true(&node.call(at, &good).unwrap()),
        "our proof is refused"
    );
    // Gas from a mined transaction with ample gas (eth_estimateGas would be wrong here: the
    // verifier returns false instead of reverting when a precompile runs out of gas, so the
    // estimator's search settles on a limit at which the pairing fails).
    let tx = node.submit_with_gas(at, &good, 2_000_000).unwrap();
    let gas = node.wait(&tx).unwrap().gas_used;

    // The peer: snarkjs's verifier for the same key, called with the same proof and inputs,
    // measured the same way (a mined transaction's total gas).
    let words: Vec<[u8; 32]> = inputs.iter().map(input_to_be_bytes).collect();
    let pw = proof_words(&proof);
    let peer = node.deploy_artifact(&snarkjs_verifier(vk)).unwrap();
    let peer_at = peer.contract_address.unwrap();
    let peer_data = snarkjs_calldata(&pw, &words);
    assert!(
        returns_true(&node.call(peer_at, &peer_data).unwrap()),
        "snarkjs's verifier refuses our proof"
    );
    let mut peer_wrong = words.clone();
    peer_wrong[0][31] ^= 1;
    assert!(!returns_true(
        &node
            .call(peer_at, &snarkjs_calldata(&pw, &peer_wrong))
            .unwrap()
    ));
    let tx = node
        .submit_with_gas(peer_at, &peer_data, 2_000_000)
        .unwrap();
    let peer_gas = node.wait(&tx).unwrap().gas_used;

    // A wrong input.
    let mut wrong = inputs.clone();
    wrong[0] += Fr::from(1u64);
    assert!(!returns_true(
        &node.call(at, &verify_calldata(&proof, &wrong)).unwrap()
    ));
    // x + r for each input: the same field element, refused (never reduced).
    for i in 0..n {
        let mut w = words.clone();
        w[i] = add_be(&w[i], &r_be());
        assert!(!returns_true(
            &node.call(at, &verify_calldata_words(&pw, &w)).unwrap()
        ));
    }
    // Wrong input counts.
    assert!(!returns_true(
        &node
            .call(at, &verify_calldata_words(&pw, &words[..n - 1]))
            .unwrap()
    ));
    let mut more = words.clone();
    more.push([0u8; 32]);
    assert!(!returns_true(
        &node.call(at, &verify_calldata_words(&pw, &more)).unwrap()
    ));
    // Malformed proofs: each coordinate changed (off the curve or a different point), a
    // coordinate ≥ q, the zero proof, A and C swapped.
    for i in 0..8 {
        let mut bad = pw;
        bad[i][31] ^= 1;
        assert!(
            !returns_true(&node.call(at, &verify_calldata_words(&bad, &words)).unwrap()),
            "proof with coordinate {i} changed accepted"
        );
        let mut big = pw;
        big[i] = [0xff; 32];
        assert!(!returns_true(
            &node.call(at, &verify_calldata_words(&big, &words)).unwrap()
        ));
    }
    assert!(!returns_true(
        &node
            .call(at, &verify_calldata_words(&[[0u8; 32]; 8], &words))
            .unwrap()
    ));
    let mut swapped = pw;
    swapped.swap(0, 6);
    swapped.swap(1, 7);
    assert!(!returns_true(
        &node
            .call(at, &verify_calldata_words(&swapped, &words))
            .unwrap()
    ));
    // A re-randomised proof of the same statement still verifies (Groth16 is malleable:
    // contracts must not use proof bytes as identities).
    let rr = snark::rerandomize_with_rng(vk, &proof, &mut rand_core::OsRng);
    assert!(returns_true(
        &node.call(at, &verify_calldata(&rr, &inputs)).unwrap()
    ));
    Figures {
        ours: gas,
        ours_deploy: deployed.gas_used,
        snarkjs: peer_gas,
        snarkjs_deploy: peer.gas_used,
    }
}

#[test]
#[ignore = "needs anvil, node and snarkjs: run by scripts/suites/50-evm.sh"]
fn generated_verifier_accepts_ours_and_refuses_the_rest() {
    let mut rows = Vec::new();
    for n in [1usize, 3, 8] {
        let f = check_verifier(n);
        println!(
            "verifyProof, {n} public input(s): ours {} gas, snarkjs {} gas, ratio {:.4} \
             (transaction totals); deployment ours {} gas, snarkjs {} gas",
            f.ours,
            f.snarkjs,
            f.ours as f64 / f.snarkjs as f64,
            f.ours_deploy,
            f.snarkjs_deploy
        );
        rows.push((n, f));
    }
    // The target: no more gas than the snarkjs-generated verifier for the same number
    // of public inputs, measured here beside it.
    for (n, f) in rows {
        assert!(
            f.ours <= f.snarkjs,
            "{n} inputs: ours {} gas > snarkjs {} gas",
            f.ours,
            f.snarkjs
        );
    }
}
