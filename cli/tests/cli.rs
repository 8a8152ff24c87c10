//! End-to-end tests of the `causeway` binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Output;

mod common;
use common::{code, ok_output as ok, run, s, Env};

const RECORD: &str = r#"{"schema":"kyc/customer/v1","fields":{"credit_score":{"type":"int","value":712},"income":{"type":"decimal","value":"86500.00"},"born":{"type":"date","value":"1988-06-14"}}}"#;

#[test]
fn seal_open_grant_revoke() {
    let e = Env::new();
    let bank = e.keygen("bank.key");
    let partner = e.keygen("partner.key");
    let regulator = e.keygen("regulator.key");
    let rec = e.p("rec.json");
    std::fs::write(&rec, RECORD).unwrap();

    let partner_pub = e.pubkey(&partner);
    assert!(partner_pub.starts_with("cwpub1"));
    let sealed = e.p("rec.cw");
    ok(&[
        "seal",
        "-k",
        s(&bank),
        "-r",
        &partner_pub,
        "-i",
        s(&rec),
        "-o",
        s(&sealed),
    ]);

    // the partner opens it
    let out = ok(&["open", "-k", s(&partner), "-i", s(&sealed)]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want: serde_json::Value = serde_json::from_str(RECORD).unwrap();
    assert_eq!(v, want);

    // the regulator cannot: exit 3 and a clear message, nothing on stdout
    let out = run(&["open", "-k", s(&regulator), "-i", s(&sealed)]);
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a recipient"));

    // grant the regulator (recipient given as a key file)
    let granted = e.p("rec-granted.cw");
    ok(&[
        "grant",
        "-k",
        s(&bank),
        "-r",
        s(&regulator),
        "-i",
        s(&sealed),
        "-o",
        s(&granted),
    ]);
    ok(&["open", "-k", s(&regulator), "-i", s(&granted)]);

    // revoke the partner
    let revoked = e.p("rec-revoked.cw");
    ok(&[
        "revoke",
        "-k",
        s(&bank),
        "--remove",
        &partner_pub,
        "-i",
        s(&granted),
        "-o",
        s(&revoked),
    ]);
    assert_eq!(
        code(&run(&["open", "-k", s(&partner), "-i", s(&revoked)])),
        3
    );
    ok(&["open", "-k", s(&regulator), "-i", s(&revoked)]);

    // inspect says who can open it, without opening
    let out = ok(&["--json", "inspect", "-i", s(&revoked)]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v.to_string();
    let reg_id = serde_json::from_slice::<serde_json::Value>(
        &ok(&["--json", "pubkey", "-k", s(&regulator)]).stdout,
    )
    .unwrap()["key_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.contains(&reg_id),
        "inspect output lacks the regulator: {text}"
    );
    assert!(
        !text.contains("credit_score") && !text.contains("86500"),
        "inspect must not reveal content"
    );
}

#[test]
fn jwe_output_and_rotation() {
    let e = Env::new();
    let bank = e.keygen("bank.key");
    let partner = e.keygen("partner.key");
    let rec = e.p("rec.json");
    std::fs::write(&rec, RECORD).unwrap();
    let jwe = e.p("rec.json.jwe");
    ok(&[
        "seal",
        "-k",
        s(&bank),
        "-r",
        s(&partner),
        "--jwe",
        "-i",
        s(&rec),
        "-o",
        s(&jwe),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&jwe).unwrap()).unwrap();
    assert!(v["recipients"].as_array().unwrap().len() == 2);
    assert!(v["protected"].is_string() && v["ciphertext"].is_string());

    // after rotation the partner still opens the old record with its retired key
    ok(&["rotate", "-k", s(&partner)]);
    ok(&["open", "-k", s(&partner), "-i", s(&jwe)]);
}

/// A Causeway JWE whose owner signature (`unprotected.cw_sig`) was stripped is refused, not
/// opened as a foreign JWE without its owner check (issue 11).
#[test]
fn jwe_with_stripped_owner_signature_is_refused() {
    let e = Env::new();
    let bank = e.keygen("bank.key");
    let partner = e.keygen("partner.key");
    let rec = e.p("rec.json");
    std::fs::write(&rec, RECORD).unwrap();
    let jwe = e.p("rec.json.jwe");
    ok(&[
        "seal",
        "-k",
        s(&bank),
        "-r",
        s(&partner),
        "--jwe",
        "-i",
        s(&rec),
        "-o",
        s(&jwe),
    ]);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&jwe).unwrap()).unwrap();
    assert!(v["unprotected"]["cw_sig"].is_string());
    v.as_object_mut().unwrap().remove("unprotected");
    let stripped = e.p("stripped.jwe");
    std::fs::write(&stripped, v.to_string()).unwrap();
    let out = run(&["open", "-k", s(&partner), "-i", s(&stripped)]);
    assert_ne!(code(&out), 0);
    assert!(out.stdout.is_empty());
    // With one recipient (sealed for oneself) the stripped JWE is a valid plain JOSE JWE, so
    // only the `cw_` members tell it apart from a foreign one.
    let own = e.p("own.jwe");
    ok(&[
        "seal",
        "-k",
        s(&partner),
        "--jwe",
        "-i",
        s(&rec),
        "-o",
        s(&own),
    ]);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&own).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("unprotected");
    std::fs::write(&stripped, v.to_string()).unwrap();
    let out = run(&["open", "-k", s(&partner), "-i", s(&stripped)]);
    assert_ne!(code(&out), 0);
    assert!(out.stdout.is_empty());
}

#[test]
fn tampering_and_bad_input_fail_cleanly() {
    let e = Env::new();
    let bank = e.keygen("bank.key");
    let rec = e.p("rec.json");
    std::fs::write(&rec, RECORD).unwrap();
    let sealed = e.p("rec.cw");
    ok(&["seal", "-k", s(&bank), "-i", s(&rec), "-o", s(&sealed)]);
    let mut bytes = std::fs::read(&sealed).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 0x40;
    let bad = e.p("bad.cw");
    std::fs::write(&bad, &bytes).unwrap();
    let out = run(&["open", "-k", s(&bank), "-i", s(&bad)]);
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());

    // truncated
    std::fs::write(&bad, &bytes[..n / 2]).unwrap();
    let out = run(&["open", "-k", s(&bank), "-i", s(&bad)]);
    assert_ne!(code(&out), 0);
    assert!(out.stdout.is_empty());

    // garbage, not a record, missing key file, bad recipient
    std::fs::write(&bad, b"hello").unwrap();
    assert_eq!(code(&run(&["open", "-k", s(&bank), "-i", s(&bad)])), 1);
    let out = run(&["seal", "-k", s(&bank), "-i", s(&bad)]);
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("record"));
    assert_eq!(
        code(&run(&["open", "-k", s(&e.p("nope.key")), "-i", s(&sealed)])),
        4
    );
    assert_eq!(
        code(&run(&[
            "seal",
            "-k",
            s(&bank),
            "-r",
            "cwpub1abc",
            "-i",
            s(&rec)
        ])),
        1
    );
    // usage error
    assert_eq!(code(&run(&["seal"])), 2);
}

#[test]
fn stream_round_trip_and_truncation() {
    let e = Env::new();
    let bank = e.keygen("bank.key");
    let partner = e.keygen("partner.key");
    let data: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let input = e.p("data.bin");
    std::fs::write(&input, &data).unwrap();
    let sealed = e.p("data.cws");
    ok(&[
        "seal",
        "--stream",
        "-k",
        s(&bank),
        "-r",
        s(&partner),
        "-i",
        s(&input),
        "-o",
        s(&sealed),
    ]);
    let out_path = e.p("data.out");
    ok(&[
        "open",
        "-k",
        s(&partner),
        "-i",
        s(&sealed),
        "-o",
        s(&out_path),
    ]);
    assert_eq!(std::fs::read(&out_path).unwrap(), data);
    ok(&["--json", "inspect", "-i", s(&sealed)]);

    // a truncated stream fails and leaves no output file behind
    let bytes = std::fs::read(&sealed).unwrap();
    let cut = e.p("cut.cws");
    std::fs::write(&cut, &bytes[..bytes.len() - 100_000]).unwrap();
    let out2 = e.p("cut.out");
    let out = run(&["open", "-k", s(&partner), "-i", s(&cut), "-o", s(&out2)]);
    assert_eq!(code(&out), 3);
    assert!(!out2.exists());
}

#[test]
fn jwk_export_import() {
    let e = Env::new();
    let k = e.keygen("a.key");
    let jwks = String::from_utf8(ok(&["export-jwk", "-k", s(&k), "--secret"]).stdout).unwrap();
    let f = e.p("a.jwks");
    std::fs::write(&f, jwks).unwrap();
    let k2 = e.p("b.key");
    ok(&["import-jwk", "-i", s(&f), "-o", s(&k2)]);
    assert_eq!(e.pubkey(&k), e.pubkey(&k2));
    // refuses to overwrite
    assert_eq!(code(&run(&["import-jwk", "-i", s(&f), "-o", s(&k2)])), 1);
}

#[test]
fn demo_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&["demo", "--dir", s(dir.path())]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("revokes Harbor Credit"));
    assert!(
        text.contains("the regulator verified: entry 2 is in"),
        "{text}"
    );
    assert!(dir.path().join("ledger.db").exists());
    assert!(dir.path().join("checkpoint.txt").exists());
    assert!(dir.path().join("record-epoch1.cw").exists());
    // Step 10 (issue 15 §1): the evidence certificate verifies from the artefacts with the
    // CLI, and the printed refusals are there.
    assert!(text.contains("evidence certificate:"), "{text}");
    assert!(text.contains("evidence.content_mismatch"), "{text}");
    let pubkey = dir.path().join("northwind-ledger.pub");
    let v = ok(&[
        "evidence",
        "verify",
        s(&dir.path().join("exhibit-12.cwev")),
        "--file",
        s(&dir.path().join("exhibit-12.pdf")),
        "--log-key",
        s(&pubkey),
        "--origin",
        "northwind.example/ledger",
    ]);
    assert!(String::from_utf8(v.stdout)
        .unwrap()
        .starts_with("OK: this exact file was recorded"));
}

/// Issue 11 items 2 and 14: grant and revoke use only an owner-signed recipient list; key files
/// and opened plaintext are created 0600.
#[test]
fn owner_signature_and_file_modes() {
    let e = Env::new();
    let bank = e.keygen("bank.key");
    let partner = e.keygen("partner.key");
    let regulator = e.keygen("regulator.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&bank), 0o600);
        ok(&["keygen", "--force", "-o", s(&regulator)]);
        assert_eq!(mode(&regulator), 0o600);
        let rec = e.p("rec.json");
        std::fs::write(&rec, RECORD).unwrap();
        let sealed = e.p("rec.cw");
        let partner_pub = e.pubkey(&partner);
        ok(&[
            "seal",
            "-k",
            s(&bank),
            "-r",
            &partner_pub,
            "-i",
            s(&rec),
            "-o",
            s(&sealed),
        ]);
        let opened = e.p("opened.json");
        ok(&[
            "open",
            "-k",
            s(&partner),
            "-i",
            s(&sealed),
            "-o",
            s(&opened),
        ]);
        assert_eq!(mode(&opened), 0o600);
    }
    let rec = e.p("rec.json");
    std::fs::write(&rec, RECORD).unwrap();
    let sealed = e.p("rec2.cw");
    let partner_pub = e.pubkey(&partner);
    ok(&[
        "seal",
        "-k",
        s(&bank),
        "-r",
        &partner_pub,
        "-i",
        s(&rec),
        "-o",
        s(&sealed),
    ]);
    let v: serde_json::Value =
        serde_json::from_slice(&ok(&["--json", "inspect", "-i", s(&sealed)]).stdout).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["owner_signature"], "valid");
    // one changed byte (the last one, in the owner signature; or one in the partner's entry):
    // nobody opens it, the owner neither grants nor revokes from it
    let good = std::fs::read(&sealed).unwrap();
    for at in [good.len() - 1, 87 + 136 + 70] {
        let mut bad = good.clone();
        bad[at] ^= 1;
        let t = e.p("tampered.cw");
        std::fs::write(&t, &bad).unwrap();
        for k in [&bank, &partner] {
            assert_eq!(
                code(&run(&["open", "-k", s(k), "-i", s(&t)])),
                3,
                "byte {at}"
            );
        }
        let out = run(&[
            "grant",
            "-k",
            s(&bank),
            "-r",
            s(&regulator),
            "-i",
            s(&t),
            "-o",
            s(&e.p("g.cw")),
        ]);
        assert_eq!(code(&out), 3, "byte {at}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("owner signature"));
        let out = run(&[
            "revoke",
            "-k",
            s(&bank),
            "--remove",
            &partner_pub,
            "-i",
            s(&t),
            "-o",
            s(&e.p("r.cw")),
        ]);
        assert_eq!(code(&out), 3, "byte {at}");
        assert!(!e.p("g.cw").exists() && !e.p("r.cw").exists());
        let v: serde_json::Value =
            serde_json::from_slice(&ok(&["--json", "inspect", "-i", s(&t)]).stdout).unwrap();
        assert_eq!(v["owner_signature"], "INVALID");
    }
    // a version-1 record (golden vector, sealed by alice for bob): opens, but is not re-wrapped
    let keys = common::crate_dir().join("../tests/vectors/sealed");
    let vector: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(keys.join("001-jwe-record-for-recipient.json")).unwrap(),
    )
    .unwrap();
    let v1 = e.p("v1.jwe");
    std::fs::write(&v1, vector["jwe"].as_str().unwrap()).unwrap();
    let alice = keys.join("keys/alice.key");
    ok(&["open", "-k", s(&keys.join("keys/bob.key")), "-i", s(&v1)]);
    let out = run(&["grant", "-k", s(&alice), "-r", s(&regulator), "-i", s(&v1)]);
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("version 1"));
    let out = run(&[
        "revoke",
        "-k",
        s(&alice),
        "--remove",
        s(&keys.join("keys/bob.pub")),
        "-i",
        s(&v1),
    ]);
    assert_eq!(code(&out), 1);
}

/// `--json` errors carry core's stable error code, and the exit code follows its kind.
#[test]
fn json_errors_carry_core_codes() {
    let e = Env::new();
    let bank = e.keygen("bank.key");
    let other = e.keygen("other.key");
    let rec = e.p("rec.json");
    std::fs::write(&rec, RECORD).unwrap();
    let sealed = e.p("rec.cw");
    ok(&["seal", "-k", s(&bank), "-i", s(&rec), "-o", s(&sealed)]);
    let err = |out: &Output| -> serde_json::Value {
        serde_json::from_slice(out.stderr.trim_ascii()).expect("one JSON error object on stderr")
    };

    let out = run(&["--json", "open", "-k", s(&other), "-i", s(&sealed)]);
    assert_eq!(code(&out), 3);
    let v = err(&out);
    assert_eq!(v["code"], "not_a_recipient");
    assert_eq!(v["exit_code"], 3);

    let mut bytes = std::fs::read(&sealed).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 0x40;
    let bad = e.p("bad.cw");
    std::fs::write(&bad, &bytes).unwrap();
    let out = run(&["--json", "open", "-k", s(&bank), "-i", s(&bad)]);
    assert_eq!(code(&out), 3);
    assert_eq!(err(&out)["code"], "decrypt");

    std::fs::write(&bad, b"CW\x09\x02rest").unwrap();
    let out = run(&["--json", "open", "-k", s(&bank), "-i", s(&bad)]);
    assert_eq!(code(&out), 1);
    let v = err(&out);
    assert!(
        v["code"].as_str().is_some_and(|c| c.starts_with("decode.")),
        "{v}"
    );
}

/// `causeway open` warns when a stream is version 1 (its owner is only a claim), as it does for
/// records; a version-2 stream opens without the warning. `inspect` says which it is.
#[test]
fn unsigned_stream_is_flagged() {
    use base64::Engine as _;
    let e = Env::new();
    let vectors = common::crate_dir().join("../tests/vectors/sealed");
    for (file, signed) in [
        ("014-stream-two-chunks.json", false),
        ("114-stream-two-chunks.json", true),
    ] {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(vectors.join(file)).unwrap()).unwrap();
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(v["sealed_b64u"].as_str().unwrap())
            .unwrap();
        let input = e.p("in.cws");
        std::fs::write(&input, bytes).unwrap();
        let key = vectors.join(format!("keys/{}.key", v["opener"].as_str().unwrap()));
        let out_path = e.p("out.bin");
        let _ = std::fs::remove_file(&out_path);
        let out = ok(&["open", "-k", s(&key), "-i", s(&input), "-o", s(&out_path)]);
        let warned = String::from_utf8_lossy(&out.stderr).contains("stream format version 1");
        assert_eq!(warned, !signed, "{file}");
        let out = ok(&["--json", "inspect", "-i", s(&input)]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let sig = v["owner_signature"].as_str().unwrap();
        assert_eq!(sig.starts_with("valid"), signed, "{file}: {sig}");
    }
}
