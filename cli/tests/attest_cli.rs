//! End-to-end tests of `causeway attest`, `present`, `verify`, `challenge` and
//! `revoke-attestation`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{ok, run, s, Env};

const RECORD: &str = r#"{"schema":"credit-report/v1","fields":{"credit_score":{"type":"int","value":742},"annual_income":{"type":"decimal","value":"85000.00"},"born":{"type":"date","value":"1990-05-17"},"name":{"type":"string","value":"Alice Example"}}}"#;

/// What the tests start from: the bureau attests Alice's record and Alice presents it (name
/// disclosed, three statements proven) for a fresh challenge.
struct Presented {
    bureau: std::path::PathBuf,
    alice: std::path::PathBuf,
    mallory: std::path::PathBuf,
    held: std::path::PathBuf,
    handle: String,
    challenge: String,
    pres: std::path::PathBuf,
}

fn attest_and_present(e: &Env) -> Presented {
    let bureau = e.keygen("bureau.key");
    let alice = e.keygen("alice.key");
    let mallory = e.keygen("mallory.key");
    let record = e.p("record.json");
    std::fs::write(&record, RECORD).unwrap();
    let held = e.p("alice.attested");
    let out = ok(&[
        "--json",
        "attest",
        "-k",
        s(&bureau),
        "-i",
        s(&record),
        "--subject",
        &e.pubkey(&alice),
        "-o",
        s(&held),
    ]);
    let info: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let handle = info["revocation_handle"].as_str().unwrap().to_owned();

    let challenge = ok(&["challenge"]).trim().to_owned();
    let pres = e.p("p.json");
    ok(&[
        "present",
        "-k",
        s(&alice),
        "-a",
        s(&held),
        "--disclose",
        "name",
        "--prove",
        "credit_score >= 700",
        "--prove",
        "annual_income in [50000, 120000]",
        "--prove",
        "born < 2008-11-21",
        "--challenge",
        &challenge,
        "-o",
        s(&pres),
    ]);
    Presented {
        bureau,
        alice,
        mallory,
        held,
        handle,
        challenge,
        pres,
    }
}

#[test]
fn attest_present_verify() {
    let e = Env::new();
    let Presented {
        bureau,
        alice,
        mallory,
        held,
        handle,
        challenge,
        pres,
    } = attest_and_present(&e);
    let issuer = e.pubkey(&bureau);
    let out = ok(&[
        "--json",
        "verify",
        "-i",
        s(&pres),
        "--issuer",
        &issuer,
        "--challenge",
        &challenge,
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["disclosed"][0]["value"], "Alice Example");
    assert_eq!(v["statements"][0], "credit_score >= 700");
    assert_eq!(v["statements"][2], "born < 2008-11-21");
    // the hidden values appear nowhere in the presentation's readable part
    let text = std::fs::read_to_string(&pres).unwrap();
    let view: serde_json::Value = serde_json::from_str(&text).unwrap();
    let summary = serde_json::to_string(&view["disclosed"]).unwrap();
    assert!(!summary.contains("742") && !summary.contains("85000"));

    // another challenge: refused with exit code 3
    let other = ok(&["challenge"]).trim().to_owned();
    let out = run(&[
        "verify",
        "-i",
        s(&pres),
        "--issuer",
        &issuer,
        "--challenge",
        &other,
    ]);
    assert_eq!(out.status.code(), Some(3));
    // an untrusted issuer
    let out = run(&[
        "verify",
        "-i",
        s(&pres),
        "--issuer",
        &e.pubkey(&mallory),
        "--challenge",
        &challenge,
    ]);
    assert_eq!(out.status.code(), Some(3));
    // expired
    let out = run(&[
        "verify",
        "-i",
        s(&pres),
        "--issuer",
        &issuer,
        "--challenge",
        &challenge,
        "--now",
        "99999999999",
    ]);
    assert_eq!(out.status.code(), Some(3));
    // a false statement cannot be presented
    let out = run(&[
        "present",
        "-k",
        s(&alice),
        "-a",
        s(&held),
        "--prove",
        "credit_score >= 800",
        "--challenge",
        &challenge,
    ]);
    assert_eq!(out.status.code(), Some(1));
    // someone else cannot present Alice's attestation
    let out = run(&[
        "present",
        "-k",
        s(&mallory),
        "-a",
        s(&held),
        "--prove",
        "credit_score >= 700",
        "--challenge",
        &challenge,
    ]);
    assert_eq!(out.status.code(), Some(1));
    // revoked
    let list = e.p("revoked.cw");
    ok(&[
        "revoke-attestation",
        "-k",
        s(&bureau),
        "--handle",
        &handle,
        "-o",
        s(&list),
    ]);
    let out = run(&[
        "verify",
        "-i",
        s(&pres),
        "--issuer",
        &issuer,
        "--challenge",
        &challenge,
        "--revocations",
        s(&list),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("revoked"));
}

/// `--json` failures of `present` and `verify` carry core's stable code (what the npm and
/// Python faces report for the same input), with the exit codes unchanged.
#[test]
fn present_and_verify_failures_carry_core_codes() {
    use base64::Engine as _;
    let e = Env::new();
    let Presented {
        bureau,
        alice,
        mallory,
        held,
        challenge,
        pres,
        ..
    } = attest_and_present(&e);
    let other = ok(&["challenge"]).trim().to_owned();
    let issuer = e.pubkey(&bureau);
    let intruder = e.pubkey(&mallory);
    // the code the --json error names, after checking the exit code
    let failure = |args: &[&str], exit: i32| -> String {
        let out = run(&[&["--json"], args].concat());
        assert_eq!(out.status.code(), Some(exit), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let line = err.trim().lines().last().unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        v["code"].as_str().unwrap_or("(none)").to_owned()
    };
    let verify = |p: &str, issuer: &str, challenge: &str, exit: i32| {
        failure(
            &[
                "verify",
                "-i",
                p,
                "--issuer",
                issuer,
                "--challenge",
                challenge,
            ],
            exit,
        )
    };
    assert_eq!(verify(s(&pres), &issuer, &other, 3), "verify.bad_signature");
    assert_eq!(
        verify(s(&pres), &intruder, &challenge, 3),
        "verify.untrusted_issuer"
    );
    let unmet = failure(
        &[
            "verify",
            "-i",
            s(&pres),
            "--issuer",
            &issuer,
            "--challenge",
            &challenge,
            "--require",
            "credit_score >= 800",
        ],
        3,
    );
    assert_eq!(unmet, "verify.unmet");
    // the canonical bytes with their last byte changed, or cut short
    let view: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&pres).unwrap()).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(view["bytes"].as_str().unwrap())
        .unwrap();
    let mut changed = bytes.clone();
    *changed.last_mut().unwrap() ^= 1;
    let bin = e.p("changed.bin");
    std::fs::write(&bin, &changed).unwrap();
    assert_eq!(
        verify(s(&bin), &issuer, &challenge, 3),
        "verify.bad_signature"
    );
    std::fs::write(&bin, &bytes[..bytes.len() / 2]).unwrap();
    assert!(verify(s(&bin), &issuer, &challenge, 1).starts_with("decode."));
    // present: a false statement; someone else's attestation
    let present = |key: &std::path::Path, statement: &str| {
        failure(
            &[
                "present",
                "-k",
                s(key),
                "-a",
                s(&held),
                "--prove",
                statement,
                "--challenge",
                &challenge,
            ],
            1,
        )
    };
    assert_eq!(present(&alice, "credit_score >= 800"), "prove.unsatisfied");
    assert_eq!(
        present(&mallory, "credit_score >= 700"),
        "prove.not_subject"
    );
}
