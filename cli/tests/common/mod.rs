//! What every CLI test file shares: running the `causeway` binary, a temporary folder with
//! key files, exit codes and refusals (`mod common;`).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `causeway` binary built for these tests, as a command to add arguments to.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_causeway"))
}

/// Runs `causeway ARGS`.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run causeway")
}

/// Runs `causeway ARGS` with `stdin` on its standard input.
pub fn run_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run causeway");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `causeway ARGS`, which must succeed; returns its whole output.
pub fn ok_output(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "causeway {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs `causeway ARGS`, which must succeed; returns its stdout.
pub fn ok(args: &[&str]) -> String {
    String::from_utf8(ok_output(args).stdout).unwrap()
}

/// Runs `causeway ARGS`, which must exit with `code`; returns its stderr.
pub fn refused(args: &[&str], code: i32) -> String {
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "causeway {args:?}: expected exit {code}; stdout {} stderr {err}",
        String::from_utf8_lossy(&out.stdout)
    );
    err
}

/// The exit code (-1 if the process was killed by a signal).
pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// The standard error output as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A path as a command-line argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `causeway keygen -o PATH`.
pub fn keygen(path: &Path) {
    ok(&["keygen", "-o", s(path)]);
}

/// The public key text of a key file (`causeway pubkey -k KEY`).
pub fn pubkey(key: &Path) -> String {
    ok(&["pubkey", "-k", s(key)]).trim().to_owned()
}

/// The key id of a key file (`causeway --json pubkey -k KEY`).
pub fn key_id(key: &Path) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&ok(&["--json", "pubkey", "-k", s(key)])).unwrap();
    v["key_id"].as_str().unwrap().to_owned()
}

/// A `credit/v1` record with one integer field, `score` = 742 (JSON input of `attest`).
pub const CREDIT_RECORD: &str =
    r#"{"schema":"credit/v1","fields":{"score":{"type":"int","value":742}}}"#;

/// `causeway attest -k ISSUER -i RECORD --subject SUBJECT -o OUT`, which must succeed.
pub fn attest(issuer: &Path, record: &Path, subject: &str, out: &Path) {
    ok(&[
        "attest",
        "-k",
        s(issuer),
        "-i",
        s(record),
        "--subject",
        subject,
        "-o",
        s(out),
    ]);
}

/// `causeway ledger init --db DB --origin ORIGIN --key KEY`, which must succeed.
pub fn ledger_init(db: &Path, origin: &str, key: &Path) {
    ok(&[
        "ledger",
        "init",
        "--db",
        s(db),
        "--origin",
        origin,
        "--key",
        s(key),
    ]);
}

/// A temporary folder for one test's files (removed when dropped).
pub struct Env {
    /// The folder.
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A fresh temporary folder.
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    /// The path of `name` in the folder.
    pub fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    /// A new key file `name` in the folder.
    pub fn keygen(&self, name: &str) -> PathBuf {
        let k = self.p(name);
        keygen(&k);
        k
    }
    /// The public key text of a key file.
    pub fn pubkey(&self, key: &Path) -> String {
        pubkey(key)
    }
    /// The key id of a key file.
    pub fn key_id(&self, key: &Path) -> String {
        key_id(key)
    }
}

/// This package's folder, as cargo gives it to the running test (`CARGO_MANIFEST_DIR` in the
/// environment), falling back to where the test was compiled: CI reuses test binaries built in
/// an earlier clone at another path (decision 0109), and that clone may be gone.
#[allow(dead_code)]
pub fn crate_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
