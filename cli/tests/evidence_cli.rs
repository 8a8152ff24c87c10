//! End-to-end tests of `causeway notarize` and `causeway evidence export | verify` (issue 15
//! §1): the facts printed, and every refusal with its exit code and error code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{keygen, ledger_init, ok, pubkey, refused, run, s};
use serde_json::Value;

const ORIGIN: &str = "court.example/evidence";

fn json(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap()
}

/// The `code` of a `--json` error on stderr.
fn error_code(args: &[&str], exit: i32) -> String {
    let mut a = vec!["--json"];
    a.extend_from_slice(args);
    let err = refused(&a, exit);
    json(&err)["code"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn notarize_export_verify_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (log, firm, court, other) = (
        d.join("log.key"),
        d.join("firm.key"),
        d.join("court.key"),
        d.join("other.key"),
    );
    for k in [&log, &firm, &court, &other] {
        keygen(k);
    }
    let db = d.join("l.db");
    ledger_init(&db, ORIGIN, &log);
    // A file larger than one read buffer.
    let file = d.join("contract.pdf");
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &content).unwrap();
    let court_pub = pubkey(&court);
    let sealed = d.join("contract.pdf.cws");
    let n = json(&ok(&[
        "--json",
        "notarize",
        s(&file),
        "--db",
        s(&db),
        "-k",
        s(&firm),
        "--media-type",
        "application/pdf",
        "--label",
        "exhibit 12",
        "--seal-for",
        &court_pub,
        "--sealed-out",
        s(&sealed),
    ]));
    let index = n["index"].as_u64().unwrap();
    assert_eq!(index, 1, "the sealed copy's receipt comes first: {n}");
    assert_eq!(n["length"], 200_000);
    ok(&["ledger", "checkpoint", "--db", s(&db), "-k", s(&log)]);
    let cert = d.join("contract.cwev");
    let idx = index.to_string();
    ok(&[
        "evidence",
        "export",
        "--db",
        s(&db),
        "--index",
        &idx,
        "-o",
        s(&cert),
    ]);

    // The facts, in text and JSON.
    let text = ok(&[
        "evidence",
        "verify",
        s(&cert),
        "--file",
        s(&file),
        "--log-key",
        s(&log),
        "--origin",
        ORIGIN,
    ]);
    assert!(
        text.starts_with("OK: this exact file was recorded in the log"),
        "{text}"
    );
    assert!(
        text.contains("exhibit 12") && text.contains("application/pdf"),
        "{text}"
    );
    assert!(text.contains("sealed:"), "{text}");
    let v = json(&ok(&[
        "--json",
        "evidence",
        "verify",
        s(&cert),
        "--file",
        s(&file),
        "--log-key",
        s(&log),
        "--origin",
        ORIGIN,
    ]));
    assert_eq!(v["sha256"], n["sha256"]);
    assert_eq!(v["index"], index);
    assert_eq!(v["log_size"], 2);
    assert_eq!(v["submitter"], n["submitter"]);
    assert!(v["anchor"].is_null());

    // The court opens the sealed copy: it is the notarised file.
    let opened = d.join("opened.pdf");
    ok(&["open", "-k", s(&court), "-i", s(&sealed), "-o", s(&opened)]);
    assert_eq!(std::fs::read(&opened).unwrap(), content);
    ok(&[
        "evidence",
        "verify",
        s(&cert),
        "--file",
        s(&opened),
        "--log-key",
        s(&log),
        "--origin",
        ORIGIN,
    ]);

    let base = |f: &std::path::Path, c: &std::path::Path, key: &std::path::Path, origin: &str| {
        vec![
            "evidence".to_owned(),
            "verify".to_owned(),
            s(c).to_owned(),
            "--file".to_owned(),
            s(f).to_owned(),
            "--log-key".to_owned(),
            s(key).to_owned(),
            "--origin".to_owned(),
            origin.to_owned(),
        ]
    };
    let call = |args: Vec<String>, exit: i32| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        error_code(&a, exit)
    };
    // A changed file (one byte), a truncated file.
    let changed = d.join("changed.pdf");
    let mut c2 = content.clone();
    c2[150_000] ^= 0x20;
    std::fs::write(&changed, &c2).unwrap();
    assert_eq!(
        call(base(&changed, &cert, &log, ORIGIN), 3),
        "evidence.content_mismatch"
    );
    let cut = d.join("cut.pdf");
    std::fs::write(&cut, &content[..content.len() - 1]).unwrap();
    assert_eq!(
        call(base(&cut, &cert, &log, ORIGIN), 3),
        "evidence.content_mismatch"
    );
    // Another log's key; another origin.
    assert_eq!(
        call(base(&file, &cert, &other, ORIGIN), 3),
        "log.bad_signature"
    );
    let code = call(base(&file, &cert, &log, "court.example/other"), 3);
    assert!(code.starts_with("log."), "{code}");
    // A changed byte of the certificate, a truncated certificate.
    let bytes = std::fs::read(&cert).unwrap();
    let bad = d.join("bad.cwev");
    let mut b = bytes.clone();
    let i = b.len() - 10;
    b[i] ^= 1;
    std::fs::write(&bad, &b).unwrap();
    assert!(!run(&base(&file, &bad, &log, ORIGIN)
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>())
    .status
    .success());
    std::fs::write(&bad, &bytes[..bytes.len() - 1]).unwrap();
    assert_eq!(call(base(&file, &bad, &log, ORIGIN), 1), "decode.truncated");
    // A receipt of another kind: entry 0 is the sealed copy's record-sealed receipt.
    assert_eq!(
        error_code(
            &[
                "evidence",
                "export",
                "--db",
                s(&db),
                "--index",
                "0",
                "-o",
                s(&bad)
            ],
            3
        ),
        "evidence.not_evidence"
    );
    // Not anchored: no on-chain answer without a node, and offline with a pinned chain it
    // still verifies (there is no anchor to refuse) but says it is not anchored.
    let t = ok(&[
        "evidence",
        "verify",
        s(&cert),
        "--file",
        s(&file),
        "--log-key",
        s(&log),
        "--origin",
        ORIGIN,
        "--chain-id",
        "31337",
        "--contract",
        "0x00000000000000000000000000000000000000aa",
    ]);
    assert!(t.contains("anchored:  no"), "{t}");
    // Bad media type and label are refused before anything is written.
    assert_eq!(
        error_code(
            &[
                "notarize",
                s(&file),
                "--db",
                s(&db),
                "-k",
                s(&firm),
                "--media-type",
                "PDF"
            ],
            1
        ),
        "evidence.invalid_value"
    );
    assert_eq!(
        error_code(
            &[
                "notarize",
                s(&file),
                "--db",
                s(&db),
                "-k",
                s(&firm),
                "--label",
                "a\u{202e}b"
            ],
            1
        ),
        "evidence.invalid_value"
    );
    // The origin is required.
    let out = run(&[
        "evidence",
        "verify",
        s(&cert),
        "--file",
        s(&file),
        "--log-key",
        s(&log),
    ]);
    assert_eq!(out.status.code(), Some(2));
}
