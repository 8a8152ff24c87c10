//! Issue 11 item 16: `causeway verify --require STATEMENT` (repeatable) exits 3 unless the
//! presentation establishes exactly that statement (proven with the same field, predicate and
//! bound, or the field disclosed with a satisfying value) under a trusted issuer. Before, verify
//! exited 0 for any genuine presentation, whatever it proved (`credit_score >= 1`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{ok, run, s};

use std::process::Output;

const RECORD: &str = r#"{"schema":"credit-report/v1","fields":{"credit_score":{"type":"int","value":742},"annual_income":{"type":"decimal","value":"85000.00"},"name":{"type":"string","value":"Alice Example"}}}"#;

#[test]
fn verify_require_fails_unless_exactly_that_is_established() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    for k in ["bureau.key", "alice.key", "other.key"] {
        ok(&["keygen", "-o", s(&p(k))]);
    }
    let bureau = ok(&["pubkey", "-k", s(&p("bureau.key"))]).trim().to_owned();
    let alice = ok(&["pubkey", "-k", s(&p("alice.key"))]).trim().to_owned();
    let other = ok(&["pubkey", "-k", s(&p("other.key"))]).trim().to_owned();
    std::fs::write(p("record.json"), RECORD).unwrap();
    ok(&[
        "attest",
        "-k",
        s(&p("bureau.key")),
        "-i",
        s(&p("record.json")),
        "--subject",
        &alice,
        "-o",
        s(&p("alice.att")),
    ]);
    let challenge = ok(&["challenge"]).trim().to_owned();
    let present = |claim: &str, out: &str| {
        ok(&[
            "present",
            "-k",
            s(&p("alice.key")),
            "-a",
            s(&p("alice.att")),
            "--prove",
            claim,
            "--disclose",
            "annual_income",
            "--challenge",
            &challenge,
            "-o",
            s(&p(out)),
        ]);
    };
    present("credit_score >= 700", "good.json");
    present("credit_score >= 1", "weak.json");
    let verify = |pres: &str, issuers: &[&str], reqs: &[&str]| {
        let file = p(pres);
        let mut args = vec!["--json", "verify", "-i", s(&file)];
        for i in issuers {
            args.extend(["--issuer", i]);
        }
        args.extend(["--challenge", &challenge]);
        for r in reqs {
            args.extend(["--require", r]);
        }
        run(&args)
    };
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // exactly the required statement: met (exit 0), and the JSON lists what was required
    let out = verify("good.json", &[&bureau], &["credit_score >= 700"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["requirements_met"][0], "credit_score >= 700");
    // a disclosed value that satisfies the requirement, together with a proven one
    let out = verify(
        "good.json",
        &[&bureau, &other],
        &["credit_score >= 700", "annual_income in [50000, 120000]"],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // true but not what was required: exit 3, naming the unmet requirement
    for (pres, reqs, unmet) in [
        (
            "weak.json",
            vec!["credit_score >= 700"],
            "credit_score >= 700",
        ),
        (
            "good.json",
            vec!["credit_score >= 800"],
            "credit_score >= 800",
        ),
        (
            "good.json",
            vec!["credit_score > 700"],
            "credit_score > 700",
        ),
        (
            "good.json",
            vec!["credit_score >= 700", "annual_income >= 90000"],
            "annual_income >= 90000",
        ),
        (
            "good.json",
            vec!["sum(credit_score) >= 700"],
            "sum(credit_score) >= 700",
        ),
    ] {
        let out = verify(pres, &[&bureau], &reqs);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{pres} {reqs:?}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains(unmet), "{}", stderr(&out));
    }
    // without --require a weak presentation still verifies (verify says only that it is true)
    let out = verify("weak.json", &[&bureau], &[]);
    assert!(out.status.success());
    assert!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["requirements_met"]
            .is_null()
    );
    // not under a trusted issuer: refused whatever is required
    let out = verify("good.json", &[&other], &["credit_score >= 700"]);
    assert_eq!(out.status.code(), Some(3));
    // a malformed requirement is bad input (exit 1)
    for bad in ["credit_score@0 >= 700", "credit_score", "credit_score >= x"] {
        let out = verify("good.json", &[&bureau], &[bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
    }
}
