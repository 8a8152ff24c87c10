//! End-to-end tests of `causeway ledger …`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{keygen, ledger_init, ok_output as ok, run, s};

#[test]
fn ledger_init_append_checkpoint_prove_verify_audit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (log, bank, reg) = (d.join("log.key"), d.join("bank.key"), d.join("reg.key"));
    for k in [&log, &bank, &reg] {
        keygen(k);
    }
    let db = d.join("l.db");
    ledger_init(&db, "test.example/ledger", &log);
    // A second init on the same file is refused.
    assert!(!run(&[
        "ledger",
        "init",
        "--db",
        s(&db),
        "--origin",
        "x",
        "--key",
        s(&log)
    ])
    .status
    .success());
    let data = d.join("data.txt");
    std::fs::write(&data, b"hello").unwrap();
    let sealed = d.join("s.cw");
    ok(&[
        "seal",
        "--key",
        s(&bank),
        "-r",
        s(&reg),
        "--bytes",
        "-i",
        s(&data),
        "-o",
        s(&sealed),
    ]);
    ok(&[
        "ledger",
        "append",
        "--db",
        s(&db),
        "--key",
        s(&bank),
        "--sealed",
        s(&sealed),
    ]);
    let att = "ab".repeat(32);
    ok(&[
        "ledger",
        "append",
        "--db",
        s(&db),
        "--key",
        s(&bank),
        "--attestation-issued",
        &att,
    ]);
    ok(&[
        "ledger",
        "append",
        "--db",
        s(&db),
        "--key",
        s(&bank),
        "--attestation-revoked",
        &att,
    ]);
    let cp = d.join("cp.txt");
    ok(&[
        "ledger",
        "checkpoint",
        "--db",
        s(&db),
        "--key",
        s(&log),
        "-o",
        s(&cp),
    ]);
    // Only the log key signs checkpoints.
    assert_eq!(
        run(&["ledger", "checkpoint", "--db", s(&db), "--key", s(&bank)])
            .status
            .code(),
        Some(1)
    );

    let proof = d.join("p.json");
    ok(&[
        "ledger",
        "prove",
        "--db",
        s(&db),
        "--index",
        "0",
        "-o",
        s(&proof),
    ]);
    let out = ok(&[
        "--json",
        "ledger",
        "verify",
        s(&proof),
        "--log-key",
        s(&log),
        "--origin",
        "test.example/ledger",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], "inclusion");
    assert_eq!(v["receipt"]["kind"], "record-sealed");
    assert_eq!(v["origin_source"], "caller");
    // The bundle's own origin is not trusted: without --origin (or --trusted) it is refused,
    // and another origin than the log's is refused (review finding).
    let out = run(&["ledger", "verify", s(&proof), "--log-key", s(&log)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("origin is not pinned"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other_origin = [
        "ledger",
        "verify",
        s(&proof),
        "--log-key",
        s(&log),
        "--origin",
        "other.example/ledger",
    ];
    assert_eq!(run(&other_origin).status.code(), Some(3));
    // Another key, or a tampered bundle: exit 3.
    assert_eq!(
        run(&[
            "ledger",
            "verify",
            s(&proof),
            "--log-key",
            s(&bank),
            "--origin",
            "test.example/ledger"
        ])
        .status
        .code(),
        Some(3)
    );
    let text = std::fs::read_to_string(&proof).unwrap();
    let bad = d.join("bad.json");
    std::fs::write(&bad, text.replace("\"leafIdx\": 0", "\"leafIdx\": 1")).unwrap();
    assert_eq!(
        run(&[
            "ledger",
            "verify",
            s(&bad),
            "--log-key",
            s(&log),
            "--origin",
            "test.example/ledger"
        ])
        .status
        .code(),
        Some(3)
    );

    // Revocation: revoked with evidence; another attestation is not revoked.
    let rp = d.join("r.json");
    ok(&[
        "ledger",
        "prove",
        "--db",
        s(&db),
        "--revocation",
        &att,
        "--issuer",
        s(&bank),
        "-o",
        s(&rp),
    ]);
    let out = ok(&[
        "--json",
        "ledger",
        "verify",
        s(&rp),
        "--log-key",
        s(&log),
        "--origin",
        "test.example/ledger",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["revoked"], true);
    let other = "cd".repeat(32);
    ok(&[
        "ledger",
        "prove",
        "--db",
        s(&db),
        "--revocation",
        &other,
        "--issuer",
        s(&bank),
        "-o",
        s(&rp),
    ]);
    let out = ok(&[
        "--json",
        "ledger",
        "verify",
        s(&rp),
        "--log-key",
        s(&log),
        "--origin",
        "test.example/ledger",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["revoked"], false);
    // "not revoked" names what it is about: the handle and the issuer (review finding)
    assert_eq!(v["revocation_handle"], other.as_str());
    let bank_out = ok(&["--json", "pubkey", "-k", s(&bank)]);
    let bank_json: serde_json::Value = serde_json::from_slice(&bank_out.stdout).unwrap();
    let bank_id = bank_json["key_id"].as_str().unwrap().to_owned();
    assert_eq!(v["issuer"], bank_id.as_str());
    let text = ok(&[
        "ledger",
        "verify",
        s(&rp),
        "--log-key",
        s(&log),
        "--origin",
        "test.example/ledger",
    ]);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains(&format!(
            "revocation handle {other} by issuer {bank_id} is not revoked"
        )),
        "{text}"
    );

    // Grow, checkpoint, and prove consistency with the first checkpoint.
    ok(&[
        "ledger",
        "append",
        "--db",
        s(&db),
        "--key",
        s(&reg),
        "--attestation-issued",
        &other,
    ]);
    ok(&["ledger", "checkpoint", "--db", s(&db), "--key", s(&log)]);
    let cpf = d.join("c.json");
    ok(&[
        "ledger",
        "prove",
        "--db",
        s(&db),
        "--consistency",
        "3",
        "-o",
        s(&cpf),
    ]);
    let out = ok(&[
        "--json",
        "ledger",
        "verify",
        s(&cpf),
        "--log-key",
        s(&log),
        "--origin",
        "test.example/ledger",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], "consistency");
    assert_eq!(v["size2"], 4);
    assert_eq!(v["root1_signed"], true);

    let out = ok(&["--json", "ledger", "audit", "--db", s(&db)]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["entries"], 4);
    assert_eq!(v["checkpoints"], 2);
    assert_eq!(v["revocations"], 1);
    // Auditing against the wrong log key fails.
    assert_eq!(
        run(&["ledger", "audit", "--db", s(&db), "--log-key", s(&bank)])
            .status
            .code(),
        Some(3)
    );
}
