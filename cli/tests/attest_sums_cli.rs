//! Issue 11 items 1 and 8 through the CLI: a sum counts each attested record once. The issue's
//! scenario — one invoice attested at 1,000,000.00, `present -a inv.att` four times with
//! `--prove "sum(amount) >= 4000000"` — is refused with both back-ends (before the fix the
//! Bulletproofs presentation verified), and so is a renewal attested with the same
//! `--record-id`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{keygen, ok, pubkey, run, s};

use std::path::{Path, PathBuf};
use std::process::Output;

struct Env {
    dir: tempfile::TempDir,
    issuer_key: PathBuf,
    holder_key: PathBuf,
    issuer: String,
    holder: String,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let issuer_key = dir.path().join("bank.key");
        let holder_key = dir.path().join("company.key");
        keygen(&issuer_key);
        keygen(&holder_key);
        let issuer = pubkey(&issuer_key);
        let holder = pubkey(&holder_key);
        Env {
            dir,
            issuer_key,
            holder_key,
            issuer,
            holder,
        }
    }
    fn p(&self, n: &str) -> PathBuf {
        self.dir.path().join(n)
    }
    /// Attests an invoice; `extra` are more `attest` arguments. Returns the attested file and
    /// the `--json` output.
    fn attest(&self, name: &str, amount: &str, extra: &[&str]) -> (PathBuf, serde_json::Value) {
        let rec = self.p(&format!("{name}.json"));
        std::fs::write(
            &rec,
            format!(
                r#"{{"schema":"invoice/v1","fields":{{"amount":{{"type":"decimal","value":"{amount}"}}}}}}"#
            ),
        )
        .unwrap();
        let att = self.p(&format!("{name}.att"));
        let mut args = vec![
            "--json",
            "attest",
            "-k",
            s(&self.issuer_key),
            "-i",
            s(&rec),
            "--subject",
            &self.holder,
            "-o",
            s(&att),
        ];
        args.extend_from_slice(extra);
        let out = ok(&args);
        (att, serde_json::from_str(out.trim()).unwrap())
    }
    fn present(&self, atts: &[&Path], claim: &str, backend: &str, keys: Option<&Path>) -> Output {
        let challenge = "42".repeat(32);
        let out = self.p("p.json");
        let mut args = vec![
            "present",
            "-k",
            s(&self.holder_key),
            "--prove",
            claim,
            "--challenge",
            &challenge,
            "--backend",
            backend,
            "-o",
            s(&out),
        ];
        for a in atts {
            args.extend(["-a", s(a)]);
        }
        if let Some(k) = keys {
            args.extend(["--keys", s(k)]);
        }
        run(&args)
    }
}

fn refused_as_counted_twice(out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("counts one record twice"), "{err}");
}

#[test]
fn one_invoice_presented_four_times_is_refused_with_both_back_ends() {
    let e = Env::new();
    let (inv, info) = e.attest("inv", "1000000.00", &[]);
    // the default record id is printed (and hex)
    assert_eq!(info["record_id"].as_str().unwrap().len(), 64);
    let keys = e.p("keys");
    let out = run(&["setup", "--statement", "sum:4", "--out", s(&keys)]);
    assert!(out.status.success());
    for (backend, k) in [("bulletproofs", None), ("groth16", Some(keys.as_path()))] {
        let out = e.present(
            &[&inv, &inv, &inv, &inv],
            "sum(amount) >= 4000000",
            backend,
            k,
        );
        refused_as_counted_twice(&out);
    }
    // four distinct invoices of the same amount do add up
    let others: Vec<PathBuf> = (1..4)
        .map(|i| {
            e.attest(&format!("inv{i}"), &format!("100000{i}.00"), &[])
                .0
        })
        .collect();
    for (backend, k) in [("bulletproofs", None), ("groth16", Some(keys.as_path()))] {
        let out = e.present(
            &[&inv, &others[0], &others[1], &others[2]],
            "sum(amount) >= 4000000",
            backend,
            k,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let challenge = "42".repeat(32);
        ok(&[
            "verify",
            "-i",
            s(&e.p("p.json")),
            "--issuer",
            &e.issuer,
            "--challenge",
            &challenge,
            "--keys",
            s(&keys),
        ]);
    }
}

#[test]
fn a_renewal_with_the_same_record_id_is_not_summed() {
    let e = Env::new();
    let name = "seller 42 invoice 2026-0042";
    let (first, a) = e.attest("first", "1000000.00", &["--record-id", name]);
    let (renewal, b) = e.attest(
        "renewal",
        "1000000.00",
        &["--record-id", name, "--valid-days", "730"],
    );
    assert_eq!(a["record_id"], b["record_id"]);
    assert_ne!(a["attestation"], b["attestation"]);
    refused_as_counted_twice(&e.present(
        &[&first, &renewal],
        "sum(amount) >= 2000000",
        "bulletproofs",
        None,
    ));
    // another invoice, another name: summed, and the verifier sees both record ids
    let (other, c) = e.attest(
        "other",
        "1000000.00",
        &["--record-id", "seller 42 invoice 2026-0043"],
    );
    assert_ne!(a["record_id"], c["record_id"]);
    let out = e.present(
        &[&first, &other],
        "sum(amount) >= 2000000",
        "bulletproofs",
        None,
    );
    assert!(out.status.success());
    let challenge = "42".repeat(32);
    let v: serde_json::Value = serde_json::from_str(
        ok(&[
            "--json",
            "verify",
            "-i",
            s(&e.p("p.json")),
            "--issuer",
            &e.issuer,
            "--challenge",
            &challenge,
        ])
        .trim(),
    )
    .unwrap();
    assert_eq!(v["attestations"][0]["record_id"], a["record_id"]);
    assert_eq!(v["attestations"][1]["record_id"], c["record_id"]);
    // an empty name is refused
    let rec = e.p("first.json");
    let out = run(&[
        "attest",
        "-k",
        s(&e.issuer_key),
        "-i",
        s(&rec),
        "--subject",
        &e.holder,
        "-o",
        s(&e.p("x.att")),
        "--record-id",
        "",
    ]);
    assert_eq!(out.status.code(), Some(1));
}
