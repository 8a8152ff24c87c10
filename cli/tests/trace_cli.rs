//! `causeway trace record | policy | bundle | verify` (issue 15 §2): the README's tour, a
//! readable timeline, and refusals with exit codes from core's `kind()` (decision 0041) and
//! core's codes in `--json` errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
use common::{ok, refused, s, Env};

const ORIGIN: &str = "example.com/ledger";

fn json_err(err: &str) -> serde_json::Value {
    serde_json::from_str(err.trim()).unwrap_or_else(|_| panic!("not JSON: {err}"))
}

#[test]
fn the_readme_tour_and_the_refusals() {
    let e = Env::new();
    let (op, farm, lab, shop, mallory) = (
        e.keygen("operator.key"),
        e.keygen("farm.key"),
        e.keygen("lab.key"),
        e.keygen("shop.key"),
        e.keygen("mallory.key"),
    );
    let db = e.p("audit.db");
    common::ledger_init(&db, ORIGIN, &op);
    let report = e.p("lab-report.pdf");
    std::fs::write(&report, b"%PDF-1.4 lab report: pass").unwrap();
    let sealed = e.p("lab-report.cw");
    #[rustfmt::skip]
    ok(&["trace", "record", "--db", s(&db), "-k", s(&farm), "--product", "LOT-42", "--step", "produced", "--field", "origin=NZ"]);
    #[rustfmt::skip]
    ok(&["trace", "record", "--db", s(&db), "-k", s(&lab), "--product", "LOT-42", "--step", "inspected", "--field", "result=pass", "--details", s(&report), "--for", s(&shop), "--sealed-out", s(&sealed)]);
    #[rustfmt::skip]
    ok(&["trace", "record", "--db", s(&db), "-k", s(&shop), "--product", "LOT-42", "--step", "sold"]);
    ok(&["ledger", "checkpoint", "--db", s(&db), "-k", s(&op)]);
    let bundle = e.p("lot-42.cw");
    #[rustfmt::skip]
    ok(&["trace", "bundle", "--db", s(&db), "--product", "LOT-42", "-o", s(&bundle)]);
    let policy = e.p("policy.json");
    #[rustfmt::skip]
    ok(&["trace", "policy", "--party", &format!("farm={}", s(&farm)), "--party", &format!("lab={}", s(&lab)), "--party", &format!("shop={}", s(&shop)), "--allow", "produced=farm", "--allow", "inspected=lab", "--allow", "sold=shop", "-o", s(&policy)]);
    let log_key = e.pubkey(&op);
    let verify = |b: &std::path::Path| -> Vec<String> {
        vec![
            "trace".into(),
            "verify".into(),
            s(b).into(),
            "--log-key".into(),
            log_key.clone(),
            "--origin".into(),
            ORIGIN.into(),
            "--policy".into(),
            s(&policy).into(),
            "--product".into(),
            "LOT-42".into(),
        ]
    };
    let args = verify(&bundle);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ok(&a);
    assert!(
        out.contains("produced") && out.contains("by farm") && out.contains("origin=NZ"),
        "{out}"
    );
    assert!(
        out.contains("inspected") && out.contains("sealed details"),
        "{out}"
    );
    assert!(
        out.contains("sold") && out.contains("none missing"),
        "{out}"
    );
    // the shop opens the sealed lab report; the farm cannot
    let opened = ok(&["open", "-k", s(&shop), "-i", s(&sealed)]);
    assert!(opened.contains("lab report"), "{opened}");
    refused(&["open", "-k", s(&farm), "-i", s(&sealed)], 3);
    // --json: the timeline as data
    let mut j = vec!["--json"];
    j.extend(&a);
    let v: serde_json::Value = serde_json::from_str(&ok(&j)).unwrap();
    assert_eq!(v["events"].as_array().unwrap().len(), 3);
    assert_eq!(v["events"][1]["party"], "lab");
    assert_eq!(v["events"][0]["fields"]["origin"], "NZ");

    // a changed byte in the farm's event: exit 3, log.invalid_receipt
    let raw = std::fs::read(&bundle).unwrap();
    let at = raw
        .windows(10)
        .position(|w| w == b"origin\x00\x02NZ")
        .unwrap()
        + 8;
    let mut x = raw.clone();
    x[at] = b'X';
    let tampered = e.p("tampered.cw");
    std::fs::write(&tampered, &x).unwrap();
    let args = verify(&tampered);
    let mut a: Vec<&str> = vec!["--json"];
    a.extend(args.iter().map(String::as_str));
    assert_eq!(json_err(&refused(&a, 3))["code"], "log.invalid_receipt");
    // truncated: exit 1, decode.truncated
    std::fs::write(&tampered, &raw[..raw.len() - 3]).unwrap();
    assert_eq!(json_err(&refused(&a, 1))["code"], "decode.truncated");
    // another origin: exit 3
    std::fs::write(&tampered, &raw).unwrap();
    let wrong: Vec<&str> = a
        .iter()
        .map(|x| {
            if *x == ORIGIN {
                "other.example/ledger"
            } else {
                x
            }
        })
        .collect();
    refused(&wrong, 3);

    // mallory chains a "sold" event: in the log, refused by the policy (exit 3)
    #[rustfmt::skip]
    ok(&["trace", "record", "--db", s(&db), "-k", s(&mallory), "--product", "LOT-42", "--step", "sold", "--field", "store=marketplace"]);
    ok(&["ledger", "checkpoint", "--db", s(&db), "-k", s(&op)]);
    #[rustfmt::skip]
    ok(&["trace", "bundle", "--db", s(&db), "--product", "LOT-42", "-o", s(&bundle)]);
    let args = verify(&bundle);
    let mut a: Vec<&str> = vec!["--json"];
    a.extend(args.iter().map(String::as_str));
    let err = json_err(&refused(&a, 3));
    assert_eq!(err["code"], "trace.untrusted_signer");
    assert!(err["hint"].as_str().unwrap().contains("policy"));

    // bad input: exit 1
    #[rustfmt::skip]
    refused(&["trace", "record", "--db", s(&db), "-k", s(&farm), "--product", "LOT 42", "--step", "produced"], 1);
    #[rustfmt::skip]
    refused(&["trace", "record", "--db", s(&db), "-k", s(&farm), "--product", "LOT-42", "--step", "Produced!"], 1);
    #[rustfmt::skip]
    refused(&["trace", "record", "--db", s(&db), "-k", s(&farm), "--product", "LOT-42", "--step", "x", "--field", "novalue"], 1);
    refused(&["trace", "policy", "--allow", "sold=nobody"], 1);
    #[rustfmt::skip]
    let err = json_err(&refused(&["--json", "trace", "bundle", "--db", s(&db), "--product", "LOT-99", "-o", s(&e.p("none.cw"))], 1));
    assert_eq!(err["code"], "trace.empty");
}
