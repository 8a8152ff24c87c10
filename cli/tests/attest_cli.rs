//! End-to-end tests of `causeway attest`, `present`, `verify`, `challenge` and
//! `revoke-attestation`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{ok, run, s, Env};

const RECORD: &str = r#"{"schema":"credit-report/v1","fields":{"credit_score":{"type":"int","value":742},"annual_income":{"type":"decimal","value":"85000.00"},"born":{"type":"date","value":"1990-05-17"},"name":{"type":"string","value":"Alice Example"}}}"#;

#[test]
fn attest_present_verify() {
    let e = Env::new();
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
