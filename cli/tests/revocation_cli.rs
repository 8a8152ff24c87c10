//! Issue 11 items 5 and 9: revoking attestations from the CLI, before and after `causeway
//! rotate`, through the ledger (`ledger append --attestation-revoked`, `ledger prove
//! --revocation`, `verify --ledger-proof`) and through signed lists (`revoke-attestation`,
//! `verify --revocations`), and the freshness and coverage options of `verify`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{keygen, ledger_init, ok, pubkey, refused, run, s};

use std::path::{Path, PathBuf};
use std::process::Output;

/// Runs a command that must be refused with `code`; returns its stderr.
const RECORD: &str =
    r#"{"schema":"credit-report/v1","fields":{"credit_score":{"type":"int","value":742}}}"#;

struct Env {
    dir: tempfile::TempDir,
    bureau: PathBuf,
    alice: PathBuf,
    log: PathBuf,
    db: PathBuf,
    challenge: String,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        let (bureau, alice, log, db) = (p("bureau.key"), p("alice.key"), p("log.key"), p("l.db"));
        for k in [&bureau, &alice, &log] {
            keygen(k);
        }
        std::fs::write(p("record.json"), RECORD).unwrap();
        ledger_init(&db, "revocations.example/log", &log);
        let challenge = ok(&["challenge"]).trim().to_owned();
        Env {
            dir,
            bureau,
            alice,
            log,
            db,
            challenge,
        }
    }
    fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    /// Attests the record for Alice with the bureau's current key; returns the attested file,
    /// the presentation and the printed revocation handle.
    fn attest(&self, name: &str) -> (PathBuf, PathBuf, String) {
        let held = self.p(&format!("{name}.attested"));
        let out = ok(&[
            "--json",
            "attest",
            "-k",
            s(&self.bureau),
            "-i",
            s(&self.p("record.json")),
            "--subject",
            &pubkey(&self.alice),
            "-o",
            s(&held),
        ]);
        let info: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        let pres = self.p(&format!("{name}.json"));
        ok(&[
            "present",
            "-k",
            s(&self.alice),
            "-a",
            s(&held),
            "--prove",
            "credit_score >= 700",
            "--challenge",
            &self.challenge,
            "-o",
            s(&pres),
        ]);
        (
            held,
            pres,
            info["revocation_handle"].as_str().unwrap().to_owned(),
        )
    }
    fn checkpoint(&self) {
        ok(&[
            "ledger",
            "checkpoint",
            "--db",
            s(&self.db),
            "--key",
            s(&self.log),
        ]);
    }
    /// `ledger prove --revocation PRESENTATION`; returns the bundle file.
    fn prove(&self, pres: &Path, name: &str) -> PathBuf {
        let out = self.p(name);
        ok(&[
            "ledger",
            "prove",
            "--db",
            s(&self.db),
            "--revocation",
            s(pres),
            "-o",
            s(&out),
        ]);
        out
    }
    fn verify_args<'a>(&'a self, pres: &'a Path, issuer: &'a str) -> Vec<&'a str> {
        vec![
            "verify",
            "-i",
            s(pres),
            "--issuer",
            issuer,
            "--challenge",
            &self.challenge,
        ]
    }
    fn verify_ledger(&self, pres: &Path, issuer: &str, bundle: &Path) -> Output {
        let mut a = self.verify_args(pres, issuer);
        a.extend([
            "--ledger-proof",
            s(bundle),
            "--log-key",
            s(&self.log),
            "--log-origin",
            "revocations.example/log",
        ]);
        run(&a)
    }
}

fn refused_as_revoked(out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("revoked"), "{err}");
}

/// The documented ledger path revokes attestations issued before and after a key rotation,
/// named by their attested record file or by the printed revocation handle.
#[test]
fn ledger_revocation_before_and_after_rotation() {
    let e = Env::new();
    let old_issuer = pubkey(&e.bureau);
    let (held_old, pres_old, _) = e.attest("old");
    ok(&["rotate", "-k", s(&e.bureau)]);
    let new_issuer = pubkey(&e.bureau);
    assert_ne!(old_issuer, new_issuer);
    let (held_new, pres_new, _) = e.attest("new");
    let (_, pres_h, handle_h) = e.attest("by-handle");

    // Nothing revoked yet: the ledger's proof lets all three verify.
    e.checkpoint();
    for (pres, issuer) in [
        (&pres_old, &old_issuer),
        (&pres_new, &new_issuer),
        (&pres_h, &new_issuer),
    ] {
        let b = e.prove(pres, "before.json");
        let out = e.verify_ledger(pres, issuer, &b);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Revoke: the attestation issued under the retired key (signed with it), the current
    // one, and one by the handle `causeway attest` printed.
    for arg in [s(&held_old), s(&held_new), handle_h.as_str()] {
        ok(&[
            "ledger",
            "append",
            "--db",
            s(&e.db),
            "-k",
            s(&e.bureau),
            "--attestation-revoked",
            arg,
        ]);
    }
    e.checkpoint();
    for (pres, issuer) in [
        (&pres_old, &old_issuer),
        (&pres_new, &new_issuer),
        (&pres_h, &new_issuer),
    ] {
        let b = e.prove(pres, "after.json");
        refused_as_revoked(&e.verify_ledger(pres, issuer, &b));
        // `ledger verify` agrees.
        let out = ok(&[
            "--json",
            "ledger",
            "verify",
            s(&b),
            "--log-key",
            s(&e.log),
            "--origin",
            "revocations.example/log",
        ]);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["revoked"], true, "{out}");
    }
    // A bundle made for another attestation lists this one without its evidence: the
    // verifier cannot tell, and refuses (fails closed).
    let other = e.prove(&pres_new, "other.json");
    let out = e.verify_ledger(&pres_old, &old_issuer, &other);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unavailable"));

    // The log the proof must come from is the verifier's to name (post-merge review L1): a
    // ledger proof without --log-origin or --log-checkpoint is refused, whatever it holds.
    let mut a = e.verify_args(&pres_old, &old_issuer);
    a.extend(["--ledger-proof", s(&other), "--log-key", s(&e.log)]);
    let out = run(&a);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--log-origin"));

    // The issuer's key file must hold the issuing key: another party cannot sign it.
    let err = refused(
        &[
            "ledger",
            "append",
            "--db",
            s(&e.db),
            "-k",
            s(&e.alice),
            "--attestation-revoked",
            s(&held_old),
        ],
        1,
    );
    assert!(
        err.contains("neither the current nor a retired key"),
        "{err}"
    );
    // Neither a file nor a handle: a clear error.
    let err = refused(
        &[
            "ledger",
            "append",
            "--db",
            s(&e.db),
            "-k",
            s(&e.bureau),
            "--attestation-revoked",
            "nope",
        ],
        1,
    );
    assert!(err.contains("revocation handle"), "{err}");
}

/// `revoke-attestation --attested FILE` signs with the key that issued the attestation, even
/// after a rotation (it used to sign with the current key, so the list never matched).
#[test]
fn signed_list_revocation_after_rotation() {
    let e = Env::new();
    let old_issuer = pubkey(&e.bureau);
    let (held_old, pres_old, handle_old) = e.attest("old");
    ok(&["rotate", "-k", s(&e.bureau)]);
    let list = e.p("revoked.cw");
    ok(&[
        "revoke-attestation",
        "-k",
        s(&e.bureau),
        "--attested",
        s(&held_old),
        "-o",
        s(&list),
    ]);
    let mut a = e.verify_args(&pres_old, &old_issuer);
    a.extend(["--revocations", s(&list)]);
    refused_as_revoked(&run(&a));
    // The handle with --issuer naming the retired key does the same.
    let list2 = e.p("revoked2.cw");
    let old_id = {
        let out = ok(&["--json", "pubkey", "-k", s(&e.bureau)]);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        v["retired_key_ids"][0].as_str().unwrap().to_owned()
    };
    ok(&[
        "revoke-attestation",
        "-k",
        s(&e.bureau),
        "--handle",
        &handle_old,
        "--issuer",
        &old_id,
        "-o",
        s(&list2),
    ]);
    let mut a = e.verify_args(&pres_old, &old_issuer);
    a.extend(["--revocations", s(&list2)]);
    refused_as_revoked(&run(&a));
}

/// Item 9: `--require-revocations` refuses an issuer without a list, and
/// `--revocations-max-age` an old list.
#[test]
fn revocation_list_freshness_and_coverage() {
    let e = Env::new();
    let issuer = pubkey(&e.bureau);
    let (_, pres, _) = e.attest("a");
    let mut a = e.verify_args(&pres, &issuer);
    a.push("--require-revocations");
    let err = refused(&a, 3);
    assert!(err.contains("no revocation list"), "{err}");
    let list = e.p("empty.cw");
    ok(&[
        "revoke-attestation",
        "-k",
        s(&e.bureau),
        "--handle",
        &"00".repeat(32),
        "-o",
        s(&list),
    ]);
    let mut a = e.verify_args(&pres, &issuer);
    a.extend(["--require-revocations", "--revocations", s(&list)]);
    ok(&a);
    // The same list, checked a day later with a one-hour limit, is too old.
    let later = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400)
        .to_string();
    let mut a = e.verify_args(&pres, &issuer);
    a.extend([
        "--revocations",
        s(&list),
        "--revocations-max-age",
        "3600",
        "--now",
        &later,
    ]);
    let err = refused(&a, 3);
    assert!(err.contains("too old"), "{err}");
    a.truncate(a.len() - 4);
    a.extend(["--revocations-max-age", "172800", "--now", &later]);
    ok(&a);
}
