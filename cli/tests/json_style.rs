//! Decision 0058: every `--json` summary and every Causeway-defined JSON document uses
//! snake_case keys; only the proof bundle (camelCase, decision 0040) and other ecosystems'
//! documents (JOSE, snarkjs) keep their own names. This test runs a command from every command
//! group that does not need a chain and checks every object key it prints or writes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{ok, ok_output, s};

const RECORD: &str = r#"{"schema":"credit-report/v1","fields":{"credit_score":{"type":"int","value":742},"annual_income":{"type":"decimal","value":"85000.00"},"name":{"type":"string","value":"Alice Example"}}}"#;

/// Lower-case words joined by single underscores, digits allowed after the first letter.
fn is_snake(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some('a'..='z'))
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !k.contains("__")
        && !k.ends_with('_')
}

/// Every object key in `v`, with its path, that is not snake_case.
fn offenders(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                // A record's field names are the user's, not ours.
                let users = path.ends_with(".fields") || path.ends_with(".disclosed");
                if !users && !is_snake(k) {
                    out.push(format!("{path}.{k}"));
                }
                offenders(x, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| offenders(x, &format!("{path}[{i}]"), out)),
        _ => {}
    }
}

fn check(what: &str, text: &str) -> Value {
    let v: Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
    let mut bad = Vec::new();
    offenders(&v, "", &mut bad);
    assert!(bad.is_empty(), "{what}: keys not in snake_case: {bad:?}");
    v
}

/// A `--json` command whose summary may go to stdout or, when the command's output is on
/// stdout, to stderr (decision 0053).
fn check_run(what: &str, args: &[&str]) -> Value {
    let out = ok_output(args);
    let text = if out.stdout.is_empty() {
        String::from_utf8(out.stderr).unwrap()
    } else {
        String::from_utf8(out.stdout).unwrap()
    };
    check(what, &text)
}

fn file(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn snake_case_keys_in_every_command_group() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| -> PathBuf { dir.path().join(n) };
    let (owner, partner, bureau, op) = (p("owner.key"), p("partner.key"), p("b.key"), p("op.key"));

    // Keys.
    for k in [&owner, &partner, &bureau, &op] {
        check_run("keygen", &["--json", "keygen", "-o", s(k)]);
    }
    check_run("pubkey", &["--json", "pubkey", "-k", s(&partner)]);
    let partner_pub = ok(&["pubkey", "-k", s(&partner)]).trim().to_owned();

    // Sealing.
    let rec = p("rec.json");
    std::fs::write(&rec, RECORD).unwrap();
    let sealed = p("rec.cw");
    #[rustfmt::skip]
    check_run("seal", &["--json", "seal", "-k", s(&owner), "-i", s(&rec), "-o", s(&sealed)]);
    check_run("inspect", &["--json", "inspect", "-i", s(&sealed)]);
    let granted = p("granted.cw");
    #[rustfmt::skip]
    check_run("grant", &["--json", "grant", "-k", s(&owner), "-r", &partner_pub, "-i", s(&sealed), "-o", s(&granted), "--epoch-state", s(&p("ep"))]);
    let opened = p("opened.json");
    #[rustfmt::skip]
    check_run("open", &["--json", "open", "-k", s(&partner), "-i", s(&granted), "-o", s(&opened)]);
    let revoked = p("revoked.cw");
    #[rustfmt::skip]
    check_run("revoke", &["--json", "revoke", "-k", s(&owner), "--remove", &partner_pub, "-i", s(&granted), "-o", s(&revoked), "--epoch-state", s(&p("ep"))]);
    let jwe = p("rec.jwe");
    #[rustfmt::skip]
    ok(&["seal", "-k", s(&owner), "-r", &partner_pub, "--jwe", "-i", s(&rec), "-o", s(&jwe)]);
    // The JWE members are JOSE's; Causeway's own members (`cw_*`) are snake_case.
    let v: Value = serde_json::from_str(&file(&jwe)).unwrap();
    for k in v.as_object().unwrap().keys() {
        assert!(is_snake(k), "JWE member {k}");
    }

    // Ledger.
    let db = p("ledger.db");
    #[rustfmt::skip]
    check_run("ledger init", &["--json", "ledger", "init", "--db", s(&db), "--origin", "example.com/log", "-k", s(&op)]);
    #[rustfmt::skip]
    check_run("ledger append", &["--json", "ledger", "append", "--db", s(&db), "-k", s(&owner), "--sealed", s(&sealed)]);
    #[rustfmt::skip]
    check_run("ledger checkpoint", &["--json", "ledger", "checkpoint", "--db", s(&db), "-k", s(&op)]);
    let bundle = p("bundle.json");
    #[rustfmt::skip]
    ok(&["ledger", "prove", "--db", s(&db), "--index", "0", "-o", s(&bundle)]);
    #[rustfmt::skip]
    check_run("ledger verify", &["--json", "ledger", "verify", "--log-key", s(&op), "--origin", "example.com/log", s(&bundle)]);

    // Evidence (issue 15 §1): notarise (plain and sealed for a party), export, verify.
    let exhibit = p("exhibit.pdf");
    std::fs::write(&exhibit, b"%PDF-1.7 exhibit").unwrap();
    #[rustfmt::skip]
    check_run("notarize", &["--json", "notarize", s(&exhibit), "--db", s(&db), "-k", s(&owner), "--media-type", "application/pdf", "--label", "exhibit 1"]);
    #[rustfmt::skip]
    let n = check_run("notarize --seal-for", &["--json", "notarize", s(&exhibit), "--db", s(&db), "-k", s(&owner), "--seal-for", &partner_pub, "--sealed-out", s(&p("exhibit.cws"))]);
    assert!(n["sealed"].is_object(), "{n}");
    ok(&["ledger", "checkpoint", "--db", s(&db), "-k", s(&op)]);
    let index = n["index"].as_u64().unwrap().to_string();
    let cert = p("exhibit.cwev");
    #[rustfmt::skip]
    check_run("evidence export", &["--json", "evidence", "export", "--db", s(&db), "--index", &index, "-o", s(&cert)]);
    #[rustfmt::skip]
    check_run("evidence verify", &["--json", "evidence", "verify", s(&cert), "--file", s(&exhibit), "--log-key", s(&op), "--origin", "example.com/log"]);
    check_run(
        "ledger audit",
        &["--json", "ledger", "audit", "--db", s(&db)],
    );

    // Traceability (issue 15 §2).
    #[rustfmt::skip]
    check_run("trace record", &["--json", "trace", "record", "--db", s(&db), "-k", s(&owner), "--product", "LOT-1", "--step", "produced", "--field", "origin=NZ"]);
    #[rustfmt::skip]
    check_run("trace record (sealed details)", &["--json", "trace", "record", "--db", s(&db), "-k", s(&partner), "--product", "LOT-1", "--step", "inspected", "--details", s(&rec), "--for", s(&owner)]);
    ok(&["ledger", "checkpoint", "--db", s(&db), "-k", s(&op)]);
    let lot = p("lot.cw");
    #[rustfmt::skip]
    check_run("trace bundle", &["--json", "trace", "bundle", "--db", s(&db), "--product", "LOT-1", "-o", s(&lot)]);
    let policy = p("policy.json");
    #[rustfmt::skip]
    check_run("trace policy", &["--json", "trace", "policy", "--party", &format!("farm={}", s(&owner)), "--party", &format!("lab={}", s(&partner)), "--allow", "produced=farm", "--allow", "inspected=lab", "-o", s(&policy)]);
    check("trace policy document", &file(&policy));
    #[rustfmt::skip]
    check_run("trace verify", &["--json", "trace", "verify", s(&lot), "--log-key", s(&op), "--origin", "example.com/log", "--policy", s(&policy)]);

    // Attestations and presentations.
    let held = p("held.att");
    #[rustfmt::skip]
    let info = check_run("attest", &["--json", "attest", "-k", s(&bureau), "-i", s(&rec), "--subject", &ok(&["pubkey", "-k", s(&owner)]), "-o", s(&held)]);
    let handle = info["revocation_handle"].as_str().unwrap().to_owned();
    let chal = check_run("challenge", &["--json", "challenge"]);
    let chal = chal["challenge"].as_str().unwrap().to_owned();
    let pres = p("pres.json");
    #[rustfmt::skip]
    ok(&["present", "-k", s(&owner), "-a", s(&held), "--disclose", "name", "--prove", "credit_score >= 700", "--challenge", &chal, "-o", s(&pres)]);
    check("presentation document", &file(&pres));
    let issuer = ok(&["pubkey", "-k", s(&bureau)]).trim().to_owned();
    #[rustfmt::skip]
    check_run("verify", &["--json", "verify", "-i", s(&pres), "--issuer", &issuer, "--challenge", &chal]);
    let list = p("revocations");
    #[rustfmt::skip]
    check_run("revoke-attestation", &["--json", "revoke-attestation", "-k", s(&bureau), "--handle", &handle, "-o", s(&list)]);

    // Membership (no keys needed for the tree).
    let secret = p("secret");
    std::fs::write(&secret, format!("{:064x}\n", 7)).unwrap();
    let leaf = check_run(
        "membership leaf",
        &["--json", "membership", "leaf", "--secret-file", s(&secret)],
    );
    let leaves = p("leaves");
    std::fs::write(&leaves, format!("{}\n", leaf["leaf"].as_str().unwrap())).unwrap();
    #[rustfmt::skip]
    check_run("membership root", &["--json", "membership", "root", "--leaves", s(&leaves), "--depth", "4"]);
}

#[test]
fn the_snake_case_check_can_fail() {
    assert!(is_snake("tree_size") && is_snake("size1") && is_snake("ok"));
    for k in [
        "treeSize", "leafIdx", "Tree", "_x", "a__b", "x_", "nPublic", "",
    ] {
        assert!(!is_snake(k), "{k}");
    }
}
