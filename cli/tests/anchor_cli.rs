//! `causeway anchor …` and `causeway verify-anchor --rpc` against real anvil nodes (built with
//! `--features evm`; `#[ignore]`d in a plain run, run by scripts/suites/50-evm.sh, which sets
//! `CAUSEWAY_ANVIL_URL` and `CAUSEWAY_ANVIL_URL_B` (chain ids 31337 and 31338)).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use causeway::anchor::evm::{EvmAnchor, EvmKey, EvmNode};
use causeway::anchor::Finality;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

mod common;
use common::{keygen, ledger_init, ok, pubkey, run, s};

/// Runs a command that must fail with exit `code` and say `says` on stderr.
fn refused(args: &[&str], code: i32, says: &str) {
    let err = common::refused(args, code);
    assert!(
        err.contains(says),
        "causeway {args:?}: expected {says:?} in: {err}"
    );
}

fn url(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: these tests need anvil; run scripts/suites/50-evm.sh")
    })
}

/// A fresh account funded on each node at `urls`, its hex key written to `path`.
fn funded_key_file(urls: &[&str], path: &Path) -> String {
    let key = EvmKey::generate().unwrap();
    let addr = format!("0x{}", hex::encode(key.address().unwrap()));
    for u in urls {
        EvmNode::connect(u, None)
            .unwrap()
            .raw_request(
                "anvil_setBalance",
                &json!([addr, "0x56BC75E2D63100000"]).to_string(),
            )
            .unwrap();
    }
    std::fs::write(path, format!("0x{}\n", key.to_hex().as_str())).unwrap();
    addr
}

struct Setup {
    _dir: tempfile::TempDir,
    d: PathBuf,
    a: String,
    b: String,
    owner_key: PathBuf,
    log_key: PathBuf,
    log_pub: String,
    db: PathBuf,
    origin: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let a = url("CAUSEWAY_ANVIL_URL");
    let b = url("CAUSEWAY_ANVIL_URL_B");
    let owner_key = d.join("owner.evmkey");
    funded_key_file(&[&a, &b], &owner_key);
    let log_key = d.join("log.key");
    keygen(&log_key);
    let log_pub = pubkey(&log_key);
    let db = d.join("l.db");
    let origin = format!(
        "cli.example/{}",
        hex::encode(&EvmKey::generate().unwrap().address().unwrap()[..6])
    );
    ledger_init(&db, &origin, &log_key);
    let s_ = Setup {
        _dir: dir,
        d,
        a,
        b,
        owner_key,
        log_key,
        log_pub,
        db,
        origin,
    };
    append(&s_, 3);
    s_
}

fn append(st: &Setup, n: usize) {
    for _ in 0..n {
        let id = EvmKey::generate().unwrap().to_hex().to_string();
        ok(&[
            "ledger",
            "append",
            "--db",
            s(&st.db),
            "--key",
            s(&st.log_key),
            "--attestation-issued",
            &id,
        ]);
    }
}

fn deploy(st: &Setup, rpc: &str, origins: &[&str]) -> (String, u64) {
    let mut args = vec![
        "--json",
        "anchor",
        "deploy",
        "--rpc",
        rpc,
        "--evm-key-file",
        s(&st.owner_key),
    ];
    for o in origins {
        args.push("--origin");
        args.push(o);
    }
    let v: Value = serde_json::from_str(&ok(&args)).unwrap();
    (
        v["contract"].as_str().unwrap().to_owned(),
        v["block"].as_u64().unwrap(),
    )
}

#[test]
#[ignore = "needs anvil: run by scripts/suites/50-evm.sh"]
fn anchor_commands_end_to_end_with_refusals() {
    let st = setup();
    let (contract, block) = deploy(&st, &st.a, &[&st.origin]);
    let from = block.to_string();
    let owner = s(&st.owner_key).to_owned();

    // Anchor the ledger (3 entries), final at 1 confirmation.
    let v: Value = serde_json::from_str(&ok(&[
        "--json",
        "anchor",
        "checkpoint",
        "--rpc",
        &st.a,
        "--evm-key-file",
        &owner,
        "--contract",
        &contract,
        "--ledger",
        s(&st.db),
        "--key",
        s(&st.log_key),
        "--confirmations",
        "1",
        "--from-block",
        &from,
    ]))
    .unwrap();
    assert_eq!(v["size"], 3);
    assert_eq!(v["chain_id"], 31337);
    assert_eq!(v["contract"], contract);
    // The anchor statement was appended to the ledger (entry 3).
    let list: Value = serde_json::from_str(&ok(&[
        "--json",
        "anchor",
        "list",
        "--rpc",
        &st.a,
        "--contract",
        &contract,
        "--origin",
        &st.origin,
        "--confirmations",
        "1",
        "--from-block",
        &from,
        "--log-page",
        "2",
    ]))
    .unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["size"], 3);
    assert_eq!(rows[0]["status"], "final");
    // Text listing too.
    let text = ok(&[
        "anchor",
        "list",
        "--rpc",
        &st.a,
        "--contract",
        &contract,
        "--origin",
        &st.origin,
        "--confirmations",
        "1",
    ]);
    assert!(text.contains("final"), "{text}");

    // A receipt for entry 1, verified online on chain A.
    let receipt = st.d.join("r1.anchor-receipt");
    ok(&[
        "anchor",
        "receipt",
        "--rpc",
        &st.a,
        "--contract",
        &contract,
        "--ledger",
        s(&st.db),
        "--key",
        s(&st.log_key),
        "--index",
        "1",
        "--confirmations",
        "1",
        "-o",
        s(&receipt),
    ]);
    let verified: Value = serde_json::from_str(&ok(&[
        "--json",
        "verify-anchor",
        s(&receipt),
        "--log-key",
        &st.log_pub,
        "--contract",
        &contract,
        "--rpc",
        &st.a,
        "--confirmations",
        "1",
    ]))
    .unwrap();
    assert_eq!(verified["verified"], "online");
    assert_eq!(verified["entry_index"], 1);
    // Not final under the default policy (the dev node's `finalized` tag lags) or under many
    // confirmations: refused, saying why.
    refused(
        &[
            "verify-anchor",
            s(&receipt),
            "--log-key",
            &st.log_pub,
            "--contract",
            &contract,
            "--rpc",
            &st.a,
            "--confirmations",
            "1000",
        ],
        3,
        "not final yet",
    );

    // Wrong chain id: the same receipt against chain B (the same contract address exists
    // there: same deployer, same nonce).
    let (contract_b, _) = deploy(&st, &st.b, &[&st.origin]);
    assert_eq!(contract_b, contract);
    refused(
        &[
            "verify-anchor",
            s(&receipt),
            "--log-key",
            &st.log_pub,
            "--contract",
            &contract,
            "--rpc",
            &st.b,
            "--confirmations",
            "1",
        ],
        3,
        "bound to another chain or contract",
    );
    // Wrong contract on the right chain.
    let (other, _) = deploy(&st, &st.a, &[&st.origin]);
    refused(
        &[
            "verify-anchor",
            s(&receipt),
            "--log-key",
            &st.log_pub,
            "--contract",
            &other,
            "--rpc",
            &st.a,
            "--confirmations",
            "1",
        ],
        3,
        "bound to another chain or contract",
    );
    // Malformed receipt.
    let bad = st.d.join("bad.anchor-receipt");
    std::fs::write(&bad, "Q1cBUAAAAAA\n").unwrap();
    refused(
        &[
            "verify-anchor",
            s(&bad),
            "--log-key",
            &st.log_pub,
            "--contract",
            &contract,
            "--rpc",
            &st.a,
        ],
        1,
        "malformed",
    );
    // Unanchored entries: appended after the anchor, no anchor covers them yet.
    append(&st, 2);
    refused(
        &[
            "anchor",
            "receipt",
            "--rpc",
            &st.a,
            "--contract",
            &contract,
            "--ledger",
            s(&st.db),
            "--key",
            s(&st.log_key),
            "--index",
            "5",
            "--confirmations",
            "1",
        ],
        1,
        "no final anchor covers entry 5",
    );
    // An entry past the end of the ledger is refused as well.
    refused(
        &[
            "anchor",
            "receipt",
            "--rpc",
            &st.a,
            "--contract",
            &contract,
            "--ledger",
            s(&st.db),
            "--key",
            s(&st.log_key),
            "--index",
            "99",
            "--confirmations",
            "1",
        ],
        1,
        "no final anchor covers entry 99",
    );

    // A submitter not on the origin's allow-list is refused by the contract, with the fix.
    let outsider = st.d.join("outsider.evmkey");
    let outsider_addr = funded_key_file(&[&st.a], &outsider);
    let checkpoint_as = |key: &Path| {
        vec![
            "anchor".to_owned(),
            "checkpoint".to_owned(),
            "--rpc".to_owned(),
            st.a.clone(),
            "--evm-key-file".to_owned(),
            s(key).to_owned(),
            "--contract".to_owned(),
            contract.clone(),
            "--ledger".to_owned(),
            s(&st.db).to_owned(),
            "--key".to_owned(),
            s(&st.log_key).to_owned(),
            "--confirmations".to_owned(),
            "1".to_owned(),
        ]
    };
    let as_outsider = checkpoint_as(&outsider);
    let refs: Vec<&str> = as_outsider.iter().map(String::as_str).collect();
    refused(&refs, 3, "not an allowed submitter for this origin");
    // Only the owner (or the origin's admin) changes the allow-list.
    refused(
        &[
            "anchor",
            "allow",
            "--rpc",
            &st.a,
            "--evm-key-file",
            s(&outsider),
            "--contract",
            &contract,
            "--origin",
            &st.origin,
            "--account",
            &outsider_addr,
        ],
        3,
        "neither the registry owner nor the origin's admin",
    );
    refused(
        &[
            "anchor",
            "admin",
            "--rpc",
            &st.a,
            "--evm-key-file",
            s(&outsider),
            "--contract",
            &contract,
            "--origin",
            &st.origin,
            "--account",
            &outsider_addr,
        ],
        3,
        "not the registry owner",
    );
    // The owner names the outsider admin of the origin; it allows itself and anchors.
    ok(&[
        "anchor",
        "admin",
        "--rpc",
        &st.a,
        "--evm-key-file",
        &owner,
        "--contract",
        &contract,
        "--origin",
        &st.origin,
        "--account",
        &outsider_addr,
    ]);
    ok(&[
        "anchor",
        "allow",
        "--rpc",
        &st.a,
        "--evm-key-file",
        s(&outsider),
        "--contract",
        &contract,
        "--origin",
        &st.origin,
        "--account",
        &outsider_addr,
    ]);
    let out = ok(&refs);
    assert!(out.contains("size 6"), "{out}");
    // Removed, it cannot anchor again.
    ok(&[
        "anchor",
        "allow",
        "--rpc",
        &st.a,
        "--evm-key-file",
        &owner,
        "--contract",
        &contract,
        "--origin",
        &st.origin,
        "--account",
        &outsider_addr,
        "--remove",
    ]);
    refused(&refs, 3, "not an allowed submitter for this origin");
    // Without an account key, transactions are refused with the fix.
    refused(
        &[
            "anchor",
            "allow",
            "--rpc",
            &st.a,
            "--contract",
            &contract,
            "--origin",
            &st.origin,
            "--account",
            &outsider_addr,
        ],
        1,
        "--evm-key-file",
    );
    // A receipt for the newer entries now verifies, against the second anchor.
    let r5 = st.d.join("r5.anchor-receipt");
    ok(&[
        "anchor",
        "receipt",
        "--rpc",
        &st.a,
        "--contract",
        &contract,
        "--ledger",
        s(&st.db),
        "--key",
        s(&st.log_key),
        "--index",
        "5",
        "--confirmations",
        "1",
        "-o",
        s(&r5),
    ]);
    let text = ok(&[
        "verify-anchor",
        s(&r5),
        "--log-key",
        &st.log_pub,
        "--contract",
        &contract,
        "--rpc",
        &st.a,
        "--confirmations",
        "1",
    ]);
    assert!(text.contains("entry 5"), "{text}");
    // A node that is not there: an I/O error with a hint.
    refused(
        &[
            "verify-anchor",
            s(&r5),
            "--log-key",
            &st.log_pub,
            "--contract",
            &contract,
            "--rpc",
            "http://127.0.0.1:9",
        ],
        4,
        "node",
    );
}

/// Decision 0060: after the registry's owner resets the origin's head, `verify-anchor --rpc`
/// refuses a receipt made before the reset (exit 3, denied, code `anchor.head_reset`, with a
/// hint), and a receipt against an anchor made after the reset verifies.
#[test]
#[ignore = "needs anvil: run by scripts/suites/50-evm.sh"]
fn verify_anchor_refuses_a_receipt_older_than_a_head_reset() {
    let st = setup();
    let (contract, _) = deploy(&st, &st.a, &[&st.origin]);
    let owner = s(&st.owner_key).to_owned();
    let anchor_now = || {
        ok(&[
            "anchor",
            "checkpoint",
            "--rpc",
            &st.a,
            "--evm-key-file",
            &owner,
            "--contract",
            &contract,
            "--ledger",
            s(&st.db),
            "--key",
            s(&st.log_key),
            "--confirmations",
            "1",
        ]);
    };
    let receipt_for = |path: &Path| {
        ok(&[
            "anchor",
            "receipt",
            "--rpc",
            &st.a,
            "--contract",
            &contract,
            "--ledger",
            s(&st.db),
            "--key",
            s(&st.log_key),
            "--index",
            "1",
            "--confirmations",
            "1",
            "-o",
            s(path),
        ]);
    };
    let verify = |path: &Path, json_out: bool| {
        let mut v = vec![
            "verify-anchor",
            s(path),
            "--log-key",
            &st.log_pub,
            "--contract",
            &contract,
            "--rpc",
            &st.a,
            "--confirmations",
            "1",
        ];
        if json_out {
            v.insert(0, "--json");
        }
        v.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    anchor_now();
    let old = st.d.join("old.anchor-receipt");
    receipt_for(&old);
    let args = verify(&old, false);
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());

    // The owner clears the origin's head (the CLI has no reset command: core's client).
    let key = EvmKey::from_hex(&std::fs::read_to_string(&st.owner_key).unwrap()).unwrap();
    let mut addr = [0u8; 20];
    hex::decode_to_slice(contract.trim_start_matches("0x"), &mut addr).unwrap();
    let reg = EvmAnchor::new(
        EvmNode::connect(&st.a, Some(&key)).unwrap(),
        addr,
        Finality::Confirmations(1),
    );
    let head = reg.head(&st.origin).unwrap();
    reg.reset_head(&st.origin, &head, None).unwrap();

    let args = verify(&old, false);
    refused(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        3,
        "reset this log's anchored head",
    );
    // `anchor list` no longer calls the voided anchors final (review L3), in text and JSON.
    let list_args = [
        "anchor",
        "list",
        "--rpc",
        &st.a,
        "--contract",
        &contract,
        "--origin",
        &st.origin,
        "--confirmations",
        "1",
    ];
    let text = ok(&list_args);
    assert!(text.contains("invalidated by head reset"), "{text}");
    assert!(!text.contains(" final"), "{text}");
    let json_args: Vec<&str> = std::iter::once("--json").chain(list_args).collect();
    let rows: Value = serde_json::from_str(&ok(&json_args)).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!(row["status"], "invalidated", "{row}");
        assert!(row["reset_block"].as_u64().is_some(), "{row}");
    }
    let args = verify(&old, true);
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(3));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(all.contains("anchor.head_reset"), "{all}");
    // Anchored again after the reset: a fresh receipt verifies, the old one still does not.
    anchor_now();
    let new = st.d.join("new.anchor-receipt");
    receipt_for(&new);
    let args = verify(&new, false);
    let text = ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(text.contains("no head reset"), "{text}");
    let args = verify(&old, false);
    refused(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        3,
        "reset",
    );
}

/// Issue 11 item 4, gap G2, from the CLI: `verify --ledger-proof … --anchor-rpc
/// --anchor-contract` (and `ledger verify` with the same flags) accept a revocation bundle
/// made at an anchored size (`ledger prove --size S`), and refuse (exit 3,
/// `anchor.not_anchored`) one at a size never anchored and an equivocating note signed by the
/// log key with the revoked attestation left out; after a head reset the older anchor is
/// refused (`anchor.head_reset`).
#[test]
#[ignore = "needs anvil: run by scripts/suites/50-evm.sh"]
fn verify_ledger_proof_checks_the_checkpoint_on_chain() {
    use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
    use causeway::ledger::revocation::EMPTY_HEAD;
    use causeway::ledger::{BundleProof, ProofBundle};

    let st = setup();
    let (contract, block) = deploy(&st, &st.a, &[&st.origin]);
    let from = block.to_string();
    let (bureau, alice) = (st.d.join("bureau.key"), st.d.join("alice.key"));
    keygen(&bureau);
    keygen(&alice);
    let record = st.d.join("record.json");
    std::fs::write(
        &record,
        r#"{"schema":"credit-report/v1","fields":{"credit_score":{"type":"int","value":742}}}"#,
    )
    .unwrap();
    let held = st.d.join("alice.attested");
    ok(&[
        "attest",
        "-k",
        s(&bureau),
        "-i",
        s(&record),
        "--subject",
        &pubkey(&alice),
        "-o",
        s(&held),
    ]);
    let challenge = ok(&["challenge"]).trim().to_owned();
    let pres = st.d.join("pres.json");
    ok(&[
        "present",
        "-k",
        s(&alice),
        "-a",
        s(&held),
        "--prove",
        "credit_score >= 700",
        "--challenge",
        &challenge,
        "-o",
        s(&pres),
    ]);
    // A second attestation, never revoked.
    let held2 = st.d.join("alice2.attested");
    ok(&[
        "attest",
        "-k",
        s(&bureau),
        "-i",
        s(&record),
        "--subject",
        &pubkey(&alice),
        "-o",
        s(&held2),
    ]);
    let pres2 = st.d.join("pres2.json");
    ok(&[
        "present",
        "-k",
        s(&alice),
        "-a",
        s(&held2),
        "--prove",
        "credit_score >= 700",
        "--challenge",
        &challenge,
        "-o",
        s(&pres2),
    ]);
    // The issuer revokes the first in the ledger; the operator anchors the checkpoint (size 4).
    ok(&[
        "ledger",
        "append",
        "--db",
        s(&st.db),
        "-k",
        s(&bureau),
        "--attestation-revoked",
        s(&held),
    ]);
    let anchored: Value = serde_json::from_str(&ok(&[
        "--json",
        "anchor",
        "checkpoint",
        "--rpc",
        &st.a,
        "--evm-key-file",
        s(&st.owner_key),
        "--contract",
        &contract,
        "--ledger",
        s(&st.db),
        "--key",
        s(&st.log_key),
        "--confirmations",
        "1",
        "--from-block",
        &from,
    ]))
    .unwrap();
    assert_eq!(anchored["size"], 4);
    let prove_for = |pres: &Path, name: &str, size: Option<&str>| {
        let out = st.d.join(name);
        let mut a = vec![
            "ledger",
            "prove",
            "--db",
            s(&st.db),
            "--revocation",
            s(pres),
            "-o",
            s(&out),
        ];
        if let Some(n) = size {
            a.extend(["--size", n]);
        }
        ok(&a);
        out
    };
    let prove = |name: &str, size: Option<&str>| prove_for(&pres, name, size);
    let issuer = pubkey(&bureau);
    let chain = [
        "--anchor-rpc",
        st.a.as_str(),
        "--anchor-contract",
        contract.as_str(),
        "--anchor-confirmations",
        "1",
        "--anchor-from-block",
        from.as_str(),
    ];
    let verify_pres = |pres: &Path, bundle: &Path, json: bool| {
        let mut a = Vec::new();
        if json {
            a.push("--json");
        }
        a.extend([
            "verify",
            "-i",
            s(pres),
            "--issuer",
            issuer.as_str(),
            "--challenge",
            challenge.as_str(),
            "--ledger-proof",
            s(bundle),
            "--log-key",
            st.log_pub.as_str(),
            "--log-origin",
            st.origin.as_str(),
        ]);
        a.extend(chain);
        run(&a)
    };
    let verify = |bundle: &Path, json: bool| verify_pres(&pres, bundle, json);
    let ledger_verify = |bundle: &Path| {
        let mut a = vec![
            "--json",
            "ledger",
            "verify",
            s(bundle),
            "--log-key",
            st.log_pub.as_str(),
            "--origin",
            st.origin.as_str(),
        ];
        a.extend(chain);
        run(&a)
    };
    let says = |out: &std::process::Output, code: i32, what: &str| {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(out.status.code(), Some(code), "{all}");
        assert!(all.contains(what), "expected {what:?} in: {all}");
    };

    // At the anchored size: the chain vouches for the note; the attestation never revoked
    // verifies, the revoked one is refused as revoked.
    let fine = prove_for(&pres2, "fine.json", Some("4"));
    says(
        &verify_pres(&pres2, &fine, false),
        0,
        "the ledger checkpoint of size 4",
    );
    let out = verify_pres(&pres2, &fine, true);
    says(&out, 0, "revocation_state_anchored");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["revocation_state_anchored"][0]["size"], 4);
    let honest = prove("honest.json", Some("4"));
    let out = verify(&honest, false);
    says(&out, 3, "revoked");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("anchor"));
    let out = ledger_verify(&honest);
    says(&out, 0, "\"anchored\"");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["revoked"], true);
    assert_eq!(v["anchored"]["size"], 4);
    assert_eq!(v["anchored"]["block_number"], anchored["block_number"]);

    // The operator equivocates: the same size and root, an empty revocation line, signed by
    // the log key. Without the chain the verifier is fooled; with it, refused.
    let log =
        causeway::party::Party::from_secret_text(&std::fs::read_to_string(&st.log_key).unwrap())
            .unwrap();
    let b = ProofBundle::from_slice(&std::fs::read(&honest).unwrap()).unwrap();
    let BundleProof::Revocation {
        revocation_handle,
        issuer: issuer_id,
        ..
    } = b.proof.clone()
    else {
        panic!("not a revocation bundle");
    };
    let cp = Checkpoint {
        extensions: vec![Checkpoint::revocations_line(0, &EMPTY_HEAD)],
        ..b.checkpoint.checkpoint().clone()
    };
    let forged = ProofBundle::new(
        SignedCheckpoint::sign(&cp, &st.origin, log.keys()).unwrap(),
        BundleProof::Revocation {
            revocation_handle,
            issuer: issuer_id,
            revocations: Vec::new(),
            revoked: None,
        },
    );
    let forged_path = st.d.join("forged.json");
    std::fs::write(&forged_path, forged.to_json().unwrap()).unwrap();
    ok(&[
        "verify",
        "-i",
        s(&pres),
        "--issuer",
        &issuer,
        "--challenge",
        &challenge,
        "--ledger-proof",
        s(&forged_path),
        "--log-key",
        &st.log_pub,
        "--log-origin",
        &st.origin,
    ]);
    says(&verify(&forged_path, false), 3, "not anchored on chain");
    says(&verify(&forged_path, true), 3, "anchor.not_anchored");
    says(&ledger_verify(&forged_path), 3, "anchor.not_anchored");

    // A genuine checkpoint of a size never anchored (the latest, 5, after the anchor
    // statement): refused, and the hint says to prove at an anchored size.
    ok(&[
        "ledger",
        "checkpoint",
        "--db",
        s(&st.db),
        "--key",
        s(&st.log_key),
    ]);
    let latest = prove("latest.json", None);
    says(&verify(&latest, false), 3, "--size");
    says(&ledger_verify(&latest), 3, "anchor.not_anchored");
    // No stored checkpoint of the size asked for: the hint names anchored sizes.
    let err = common::refused(
        &[
            "ledger",
            "prove",
            "--db",
            s(&st.db),
            "--revocation",
            s(&pres),
            "--size",
            "2",
        ],
        1,
    );
    assert!(err.contains("anchored"), "{err}");
    // The flags need a ledger proof to check.
    let mut a = vec![
        "verify",
        "-i",
        s(&pres),
        "--issuer",
        issuer.as_str(),
        "--challenge",
        challenge.as_str(),
    ];
    a.extend(chain);
    refused(&a, 1, "--ledger-proof");

    // The owner clears the origin's head: the size-4 anchor precedes the reset, refused.
    let key = EvmKey::from_hex(&std::fs::read_to_string(&st.owner_key).unwrap()).unwrap();
    let mut addr = [0u8; 20];
    hex::decode_to_slice(contract.trim_start_matches("0x"), &mut addr).unwrap();
    let reg = EvmAnchor::new(
        EvmNode::connect(&st.a, Some(&key)).unwrap(),
        addr,
        Finality::Confirmations(1),
    );
    let head = reg.head(&st.origin).unwrap();
    reg.reset_head(&st.origin, &head, None).unwrap();
    says(&verify(&honest, true), 3, "anchor.head_reset");
    says(&verify_pres(&pres2, &fine, true), 3, "anchor.head_reset");
    says(&ledger_verify(&honest), 3, "anchor.head_reset");
}
