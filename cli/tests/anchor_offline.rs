//! `causeway verifier export|calldata` and `causeway verify-anchor` offline: no node needed
//! (the on-chain commands are tested against anvil in `anchor_cli.rs`, scripts/suites/50-evm.sh).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use causeway::anchor::verifier::{solidity_verifier, verify_calldata};
use causeway::anchor::{AnchorReceipt, AnchorRecord, ChainRef};
use causeway::encoding::b64u_encode;
use causeway::ledger::checkpoint::Checkpoint;
use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
use causeway::ledger::sqlite::LocalLedger;
use causeway::party::SecretKeys;
use causeway::snark::{self, Fr};
use std::path::Path;

mod common;
use common::{ok_output as ok, refused, run, s};

/// Runs a command that must fail with `code`, and returns its stderr.
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

#[test]
fn verifier_export_and_calldata() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pk = snark::setup(Powers { n: 2, x: None }).unwrap();
    let vk = pk.verifying_key();
    let (proof, inputs) = snark::prove_returning_inputs_with_rng(
        &pk,
        Powers {
            n: 2,
            x: Some(Fr::from(5u64)),
        },
        &mut rand_core::OsRng,
    )
    .unwrap();
    let vk_bin = d.join("vk.bin");
    std::fs::write(&vk_bin, vk.to_bytes()).unwrap();
    let vk_text = d.join("vk.txt");
    std::fs::write(&vk_text, b64u_encode(&vk.to_bytes())).unwrap();
    let vk_json = d.join("verification_key.json");
    std::fs::write(&vk_json, snark::vk_to_snarkjs_json(vk)).unwrap();
    let proof_bin = d.join("proof.bin");
    std::fs::write(&proof_bin, proof.to_bytes()).unwrap();
    let proof_json = d.join("proof.json");
    std::fs::write(&proof_json, snark::proof_to_snarkjs_json(&proof)).unwrap();
    let public = d.join("public.json");
    std::fs::write(&public, snark::public_to_snarkjs_json(&inputs)).unwrap();

    // export: the library's contract, from any of the key's three forms, to a file or stdout.
    let want = solidity_verifier(vk, "PowersVerifier");
    assert!(want.contains("contract PowersVerifier"));
    assert!(want.contains("eq(input.length, 2)"));
    for src in [&vk_bin, &vk_text, &vk_json] {
        let sol = d.join("v.sol");
        ok(&[
            "verifier",
            "export",
            s(src),
            "--name",
            "PowersVerifier",
            "-o",
            s(&sol),
        ]);
        assert_eq!(std::fs::read_to_string(&sol).unwrap(), want);
    }
    let out = ok(&["verifier", "export", s(&vk_bin)]);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("contract Groth16Verifier"));

    // calldata: selector, 8 proof words, offset, count, inputs; the same from either form.
    let want = format!("0x{}\n", hex::encode(verify_calldata(&proof, &inputs)));
    for (k, p) in [(&vk_bin, &proof_bin), (&vk_json, &proof_json)] {
        let out = ok(&[
            "verifier",
            "calldata",
            "--vk",
            s(k),
            "--proof",
            s(p),
            "--public",
            s(&public),
        ]);
        assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    }
    assert_eq!(want.len(), 2 + 2 * (4 + 32 * 12) + 1);

    // raw-check: the pairing check only, and it says so; a wrong input is refused (exit 3).
    for (k, p) in [(&vk_bin, &proof_bin), (&vk_json, &proof_json)] {
        let out = ok(&[
            "verifier",
            "raw-check",
            "--vk",
            s(k),
            "--proof",
            s(p),
            "--public",
            s(&public),
        ]);
        assert!(String::from_utf8(out.stdout)
            .unwrap()
            .contains("raw Groth16 check passed"));
        let said = String::from_utf8(out.stderr).unwrap();
        assert!(
            said.contains("no statement, holder, issuer, challenge or revocation"),
            "{said}"
        );
    }
    let wrong = d.join("wrong.json");
    std::fs::write(
        &wrong,
        snark::public_to_snarkjs_json(&[inputs[0], inputs[1] + Fr::from(1u64)]),
    )
    .unwrap();
    let err = refused(
        &[
            "verifier",
            "raw-check",
            "--vk",
            s(&vk_json),
            "--proof",
            s(&proof_json),
            "--public",
            s(&wrong),
        ],
        3,
    );
    assert!(err.contains("raw Groth16 check failed"), "{err}");

    // issue 11 item 3: a snarkjs key before any phase-2 contribution (gamma = delta) lets anyone
    // forge; no Solidity verifier, calldata or check is made for it.
    let mut weak: serde_json::Value = serde_json::from_str(&snark::vk_to_snarkjs_json(vk)).unwrap();
    weak["vk_delta_2"] = weak["vk_gamma_2"].clone();
    let weak_json = d.join("weak.json");
    std::fs::write(&weak_json, weak.to_string()).unwrap();
    let err = refused(&["verifier", "export", s(&weak_json)], 1);
    assert!(err.contains("admits forged proofs"), "{err}");
    let err = refused(
        &[
            "verifier",
            "raw-check",
            "--vk",
            s(&weak_json),
            "--proof",
            s(&proof_json),
            "--public",
            s(&public),
        ],
        1,
    );
    assert!(err.contains("admits forged proofs"), "{err}");

    // Refusals, with a message that says what is wrong.
    let one = d.join("one.json");
    std::fs::write(&one, snark::public_to_snarkjs_json(&inputs[..1])).unwrap();
    let err = refused(
        &[
            "verifier",
            "calldata",
            "--vk",
            s(&vk_bin),
            "--proof",
            s(&proof_bin),
            "--public",
            s(&one),
        ],
        1,
    );
    assert!(
        err.contains("1 public inputs given, the key takes 2"),
        "{err}"
    );
    // An input ≥ r (r itself) is refused, never reduced.
    let big = d.join("big.json");
    std::fs::write(
        &big,
        "[\"21888242871839275222246405745257275088548364400416034343698204186575808495617\", \"1\"]",
    )
    .unwrap();
    let err = refused(
        &[
            "verifier",
            "calldata",
            "--vk",
            s(&vk_bin),
            "--proof",
            s(&proof_bin),
            "--public",
            s(&big),
        ],
        1,
    );
    assert!(err.contains("public inputs"), "{err}");
    let garbage = d.join("garbage.bin");
    std::fs::write(&garbage, b"CW\x01\x40not a key").unwrap();
    let err = refused(&["verifier", "export", s(&garbage)], 1);
    assert!(err.contains("malformed verifying key"), "{err}");
    let err = refused(
        &[
            "verifier",
            "calldata",
            "--vk",
            s(&vk_bin),
            "--proof",
            s(&garbage),
            "--public",
            s(&public),
        ],
        1,
    );
    assert!(err.contains("malformed proof"), "{err}");
    refused(&["verifier", "export", s(&d.join("missing.vk"))], 4);
}

struct Anchored {
    _dir: tempfile::TempDir,
    log_pub: String,
    receipt: std::path::PathBuf,
    receipt_bin: std::path::PathBuf,
    anchored_note: std::path::PathBuf,
    older_note: std::path::PathBuf,
    record: AnchorRecord,
}

const CHAIN: ChainRef = ChainRef {
    chain_id: 31337,
    contract: [0xab; 20],
};

/// A ledger of 6 entries, checkpoints at 3 and 6, an anchor of the size-6 checkpoint on
/// `CHAIN` (as the chain would record it), and the receipt for entry 1 proven in the size-3
/// checkpoint, written as text and binary.
fn anchored() -> Anchored {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let origin = "offline.example/log";
    let log_keys = SecretKeys::generate().unwrap();
    let issuer = SecretKeys::generate().unwrap();
    let ledger = LocalLedger::create(&d.join("log.db"), origin, &log_keys.public()).unwrap();
    let mut notes = Vec::new();
    for n in 1..=6u64 {
        let mut id = [0u8; 32];
        id[..8].copy_from_slice(&n.to_be_bytes());
        let r = Receipt::new(
            &issuer,
            origin,
            n,
            Event::AttestationIssued(AttestationEvent {
                revocation_handle: id,
                issuer: issuer.public().key_id(),
            }),
        )
        .unwrap();
        ledger.append(&r).unwrap();
        if n % 3 == 0 {
            notes.push(ledger.checkpoint(&log_keys).unwrap());
        }
    }
    let cp6 = Checkpoint::open(&notes[1], origin, &log_keys.public()).unwrap();
    let record = AnchorRecord {
        origin: origin.to_owned(),
        size: cp6.size,
        root: cp6.root,
        chain: CHAIN,
        block_number: 42,
        block_hash: [0x42; 32],
        tx_hash: [0x17; 32],
        submitter: [0x01; 20],
    };
    let receipt = AnchorReceipt::from_ledger(&ledger, &log_keys, 1, &notes[0], &record, 7).unwrap();
    let bytes = receipt.to_bytes().unwrap();
    let text = d.join("r.anchor-receipt");
    std::fs::write(&text, format!("{}\n", b64u_encode(&bytes))).unwrap();
    let bin = d.join("r.bin");
    std::fs::write(&bin, &bytes).unwrap();
    let anchored_note = d.join("anchored.txt");
    std::fs::write(&anchored_note, &notes[1]).unwrap();
    let older_note = d.join("older.txt");
    std::fs::write(&older_note, &notes[0]).unwrap();
    Anchored {
        log_pub: log_keys.public().to_text(),
        receipt: text,
        receipt_bin: bin,
        anchored_note,
        older_note,
        record,
        _dir: dir,
    }
}

#[test]
fn verify_anchor_offline_and_refusals() {
    let a = anchored();
    let contract = format!("0x{}", hex::encode(CHAIN.contract));
    let args = |receipt: &Path, key: &str, contract: &str, note: &Path, chain: &str| {
        vec![
            "verify-anchor".to_owned(),
            s(receipt).to_owned(),
            "--log-key".to_owned(),
            key.to_owned(),
            "--contract".to_owned(),
            contract.to_owned(),
            "--anchored-checkpoint".to_owned(),
            s(note).to_owned(),
            "--chain-id".to_owned(),
            chain.to_owned(),
        ]
    };
    let strs = |v: &[String]| v.join(" ");
    let good = args(&a.receipt, &a.log_pub, &contract, &a.anchored_note, "31337");
    let refs: Vec<&str> = good.iter().map(String::as_str).collect();
    let out = ok(&refs);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("entry 1 of offline.example/log"), "{text}");
    // Issue 11 item 10: offline, the chain is the log key's word, and the output says so
    // (it used to print "anchored on chain 31337 at block 42" as if that had been checked).
    assert!(
        text.contains("consistent with the anchored checkpoint you gave (size 6) (offline)"),
        "{text}"
    );
    assert!(
        text.contains("the log's key says it was anchored on chain 31337"),
        "{text}"
    );
    assert!(
        text.contains("at block 42; not checked against the chain"),
        "{text}"
    );
    assert!(!text.contains("size 6 anchored on chain"), "{text}");
    // The binary form too, and JSON output.
    let bin = args(
        &a.receipt_bin,
        &a.log_pub,
        &contract,
        &a.anchored_note,
        "31337",
    );
    let mut refs: Vec<&str> = vec!["--json"];
    refs.extend(bin.iter().map(String::as_str));
    let out = ok(&refs);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], "offline");
    assert_eq!(v["chain_checked"], false);
    assert_eq!(v["entry_index"], 1);
    assert_eq!(v["size"], a.record.size);
    assert_eq!(v["chain_id"], 31337);
    assert_eq!(v["tx_hash"], format!("0x{}", hex::encode(a.record.tx_hash)));

    let expect_refused = |v: Vec<String>, code: i32, says: &str| {
        let refs: Vec<&str> = v.iter().map(String::as_str).collect();
        let err = refused(&refs, code);
        assert!(
            err.contains(says),
            "{}: expected {says:?} in {err}",
            strs(&v)
        );
    };
    // Wrong chain id, wrong contract: bound to its chain and contract.
    expect_refused(
        args(&a.receipt, &a.log_pub, &contract, &a.anchored_note, "31338"),
        3,
        "bound to another chain or contract",
    );
    let other = format!("0x{}", hex::encode([0xac; 20]));
    expect_refused(
        args(&a.receipt, &a.log_pub, &other, &a.anchored_note, "31337"),
        3,
        "bound to another chain or contract",
    );
    // Another log key: the checkpoint's signature does not verify.
    let stranger = SecretKeys::generate().unwrap().public().to_text();
    let v = args(&a.receipt, &stranger, &contract, &a.anchored_note, "31337");
    let refs: Vec<&str> = v.iter().map(String::as_str).collect();
    assert_eq!(run(&refs).status.code(), Some(3));
    // A checkpoint that is not the anchored one (the older, size-3 one).
    let v = args(&a.receipt, &a.log_pub, &contract, &a.older_note, "31337");
    let refs: Vec<&str> = v.iter().map(String::as_str).collect();
    assert_eq!(run(&refs).status.code(), Some(3));
    // Malformed receipts: garbage text, a truncated binary, a flipped byte.
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage");
    std::fs::write(&garbage, "not a receipt\n").unwrap();
    expect_refused(
        args(&garbage, &a.log_pub, &contract, &a.anchored_note, "31337"),
        1,
        "anchor receipt",
    );
    let bytes = std::fs::read(&a.receipt_bin).unwrap();
    let truncated = dir.path().join("truncated");
    std::fs::write(&truncated, &bytes[..bytes.len() - 5]).unwrap();
    expect_refused(
        args(&truncated, &a.log_pub, &contract, &a.anchored_note, "31337"),
        1,
        "malformed",
    );
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 1;
    let flipped_path = dir.path().join("flipped");
    std::fs::write(&flipped_path, &flipped).unwrap();
    let v = args(
        &flipped_path,
        &a.log_pub,
        &contract,
        &a.anchored_note,
        "31337",
    );
    let refs: Vec<&str> = v.iter().map(String::as_str).collect();
    let out = run(&refs);
    assert!(
        !out.status.success(),
        "a receipt with a flipped byte verified"
    );
    // Neither --rpc nor an anchored checkpoint: a usage error with the way out.
    let err = refused(
        &[
            "verify-anchor",
            s(&a.receipt),
            "--log-key",
            &a.log_pub,
            "--contract",
            &contract,
        ],
        1,
    );
    assert!(err.contains("--anchored-checkpoint"), "{err}");
    // --anchored-checkpoint without --chain-id: clap refuses it (usage).
    refused(
        &[
            "verify-anchor",
            s(&a.receipt),
            "--log-key",
            &a.log_pub,
            "--contract",
            &contract,
            "--anchored-checkpoint",
            s(&a.anchored_note),
        ],
        2,
    );
    // Without the evm feature, --rpc says so instead of trying.
    if !cfg!(feature = "evm") {
        let err = refused(
            &[
                "verify-anchor",
                s(&a.receipt),
                "--log-key",
                &a.log_pub,
                "--contract",
                &contract,
                "--rpc",
                "http://127.0.0.1:9",
            ],
            1,
        );
        assert!(err.contains("without the `evm` feature"), "{err}");
    }
}
