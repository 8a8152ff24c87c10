//! Sealed records on the command line: rollback protection (`--ledger`, the owner's epoch
//! state), streams to stdout held back until they verify, `open --expect-owner`, `reseal`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{ok, run, s};
use std::path::{Path, PathBuf};
use std::process::Output;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn keygen(&self, name: &str) -> PathBuf {
        let k = self.p(name);
        ok(&["keygen", "-o", s(&k)]);
        k
    }
    fn key_id(&self, key: &Path) -> String {
        let v: serde_json::Value =
            serde_json::from_str(&ok(&["--json", "pubkey", "-k", s(key)])).unwrap();
        v["key_id"].as_str().unwrap().to_owned()
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn json_error_code(out: &Output) -> String {
    let v: serde_json::Value = String::from_utf8_lossy(&out.stderr)
        .lines()
        .chain(String::from_utf8_lossy(&out.stdout).lines())
        .find_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .unwrap_or_default();
    let c = &v["error"]["code"];
    if c.is_string() {
        c.as_str().unwrap().to_owned()
    } else {
        v["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// Seals `data` (bytes) by `owner` for `to`, revokes `to`: returns (epoch-0 copy, epoch-1 copy).
fn seal_then_revoke(e: &Env, owner: &Path, to: &Path, extra: &[&str]) -> (PathBuf, PathBuf) {
    let data = e.p("data.bin");
    std::fs::write(&data, b"term sheet").unwrap();
    let s0 = e.p("rec-0.cw");
    ok(&[
        "seal",
        "-k",
        s(owner),
        "-r",
        s(to),
        "--bytes",
        "-i",
        s(&data),
        "-o",
        s(&s0),
    ]);
    let s1 = e.p("rec-1.cw");
    let mut args = vec![
        "revoke",
        "-k",
        s(owner),
        "--remove",
        s(to),
        "-i",
        s(&s0),
        "-o",
        s(&s1),
    ];
    args.extend_from_slice(extra);
    ok(&args);
    (s0, s1)
}

/// Issue 11 leftover (rollback): after Bob's revocation, a store puts the epoch-0 copy back.
/// The owner's next grant from it would re-admit Bob (it is still validly signed); the owner's
/// epoch state (next to its key file) knows epoch 1, so the grant is refused and nothing is
/// written.
#[test]
fn grant_from_a_rolled_back_copy_is_refused() {
    let e = Env::new();
    let owner = e.keygen("owner.key");
    let bob = e.keygen("bob.key");
    let carol = e.keygen("carol.key");
    let (s0, s1) = seal_then_revoke(&e, &owner, &bob, &[]);
    let state = e.p("owner.key.epochs");
    assert!(state.exists(), "revoke records the epoch it produced");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(code(&run(&["open", "-k", s(&bob), "-i", s(&s1)])), 3);

    let out_path = e.p("rolled-back-grant.cw");
    let out = run(&[
        "--json",
        "grant",
        "-k",
        s(&owner),
        "-r",
        s(&carol),
        "-i",
        s(&s0),
        "-o",
        s(&out_path),
    ]);
    assert_eq!(code(&out), 3, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_error_code(&out), "seal.stale_epoch");
    assert!(!out_path.exists(), "nothing written");
    // revoke and reseal from the stale copy are refused too
    for args in [
        vec!["revoke", "--remove", s(&bob)],
        vec!["reseal", "-r", s(&carol)],
    ] {
        let mut a = args.clone();
        a.extend_from_slice(&["-k", s(&owner), "-i", s(&s0), "-o", s(&out_path)]);
        let out = run(&a);
        assert_eq!(code(&out), 3, "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("stale"));
        assert!(!out_path.exists());
    }
    // the current copy grants; Bob stays out, Carol is in
    let g = e.p("granted.cw");
    ok(&[
        "grant",
        "-k",
        s(&owner),
        "-r",
        s(&carol),
        "-i",
        s(&s1),
        "-o",
        s(&g),
    ]);
    assert_eq!(code(&run(&["open", "-k", s(&bob), "-i", s(&g)])), 3);
    assert_eq!(ok(&["open", "-k", s(&carol), "-i", s(&g)]), "term sheet");

    // --epoch-state names another state file (created 0600 on the first change)
    let other = e.p("elsewhere.epochs");
    let r2 = e.p("rec-2.cw");
    ok(&[
        "reseal",
        "-k",
        s(&owner),
        "-r",
        s(&carol),
        "-i",
        s(&g),
        "-o",
        s(&r2),
        "--epoch-state",
        s(&other),
    ]);
    let text = std::fs::read_to_string(&other).unwrap();
    assert!(text.starts_with("causeway-sealed-epochs v1\n"));
    assert!(text.trim_end().ends_with(" 2"), "{text}");
}

/// The ledger-backed path: the owner's state does not know the revocation (another machine
/// did it), but the ledger's access-revoked receipt does.
#[test]
fn the_ledger_refuses_a_rolled_back_copy_for_grant_and_open() {
    let e = Env::new();
    let log = e.keygen("log.key");
    let owner = e.keygen("owner.key");
    let bob = e.keygen("bob.key");
    let carol = e.keygen("carol.key");
    let db = e.p("ledger.db");
    ok(&[
        "ledger",
        "init",
        "--db",
        s(&db),
        "--origin",
        "test.example/ledger",
        "-k",
        s(&log),
    ]);
    let elsewhere = e.p("other-machine.epochs");
    let (s0, s1) = seal_then_revoke(&e, &owner, &bob, &["--epoch-state", s(&elsewhere)]);
    ok(&[
        "ledger",
        "append",
        "--db",
        s(&db),
        "-k",
        s(&owner),
        "--sealed",
        s(&s0),
    ]);
    // without the ledger the owner's own state knows nothing: the old copy would pass
    assert!(!e.p("owner.key.epochs").exists());
    ok(&[
        "ledger",
        "append",
        "--db",
        s(&db),
        "-k",
        s(&owner),
        "--revoked",
        s(&s1),
        "--party",
        s(&bob),
    ]);
    let out_path = e.p("out.cw");
    let out = run(&[
        "--json",
        "grant",
        "-k",
        s(&owner),
        "-r",
        s(&carol),
        "-i",
        s(&s0),
        "-o",
        s(&out_path),
        "--ledger",
        s(&db),
    ]);
    assert_eq!(code(&out), 3, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_error_code(&out), "seal.stale_epoch");
    assert!(!out_path.exists());
    // Bob opening the old copy with the ledger: refused, nothing on stdout
    let out = run(&["open", "-k", s(&bob), "-i", s(&s0), "--ledger", s(&db)]);
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());
    // the current copy grants and opens with the ledger
    ok(&[
        "grant",
        "-k",
        s(&owner),
        "-r",
        s(&carol),
        "-i",
        s(&s1),
        "-o",
        s(&out_path),
        "--ledger",
        s(&db),
    ]);
    assert_eq!(
        ok(&[
            "open",
            "-k",
            s(&carol),
            "-i",
            s(&out_path),
            "--ledger",
            s(&db)
        ]),
        "term sheet"
    );
    // a path that is not a ledger is an error, not "nothing known"
    let out = run(&[
        "grant",
        "-k",
        s(&owner),
        "-r",
        s(&carol),
        "-i",
        s(&s1),
        "--ledger",
        s(&e.p("missing.db")),
    ]);
    assert_ne!(code(&out), 0);
}

/// The epoch state is never followed through a symlink, and a damaged one is an error.
#[cfg(unix)]
#[test]
fn the_epoch_state_is_not_followed_through_a_symlink() {
    let e = Env::new();
    let owner = e.keygen("owner.key");
    let bob = e.keygen("bob.key");
    let victim = e.p("victim");
    std::fs::write(&victim, b"untouched").unwrap();
    std::os::unix::fs::symlink(&victim, e.p("owner.key.epochs")).unwrap();
    let data = e.p("d.bin");
    std::fs::write(&data, b"x").unwrap();
    let s0 = e.p("s0.cw");
    ok(&[
        "seal",
        "-k",
        s(&owner),
        "-r",
        s(&bob),
        "--bytes",
        "-i",
        s(&data),
        "-o",
        s(&s0),
    ]);
    let out = run(&[
        "revoke",
        "-k",
        s(&owner),
        "--remove",
        s(&bob),
        "-i",
        s(&s0),
        "-o",
        s(&e.p("s1.cw")),
    ]);
    assert_ne!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("symlink"));
    assert_eq!(std::fs::read(&victim).unwrap(), b"untouched");
    assert!(!e.p("s1.cw").exists());
    // a damaged state file is refused rather than taken as empty
    std::fs::remove_file(e.p("owner.key.epochs")).unwrap();
    std::fs::write(e.p("owner.key.epochs"), b"garbage\n").unwrap();
    let out = run(&["revoke", "-k", s(&owner), "--remove", s(&bob), "-i", s(&s0)]);
    assert_eq!(code(&out), 1);
}

fn seal_stream(e: &Env, owner: &Path, to: &Path, len: usize) -> (Vec<u8>, PathBuf) {
    let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
    let input = e.p("big.bin");
    std::fs::write(&input, &data).unwrap();
    let sealed = e.p("big.cws");
    ok(&[
        "seal",
        "-k",
        s(owner),
        "-r",
        s(to),
        "--stream",
        "-i",
        s(&input),
        "-o",
        s(&sealed),
    ]);
    (data, sealed)
}

/// Issue 11 leftover: a stream opened to stdout is held back until its trailer verified. A
/// truncated stream, or one with a changed trailer byte, writes nothing to stdout (before,
/// every chunk that authenticated was already on stdout).
#[test]
fn a_stream_to_stdout_is_released_only_once_it_verified() {
    let e = Env::new();
    let owner = e.keygen("owner.key");
    let bob = e.keygen("bob.key");
    let (data, sealed) = seal_stream(&e, &owner, &bob, 3 * 65536 + 1000);
    let out = run(&["open", "-k", s(&bob), "-i", s(&sealed)]);
    assert!(out.status.success());
    assert_eq!(out.stdout, data);
    let bytes = std::fs::read(&sealed).unwrap();
    let bad = e.p("bad.cws");
    // truncated: the trailer, the trailer and the last chunk, inside the first chunk
    for cut in [64usize, 64 + 1000 + 16, bytes.len() / 2] {
        std::fs::write(&bad, &bytes[..bytes.len() - cut]).unwrap();
        let out = run(&["open", "-k", s(&bob), "-i", s(&bad)]);
        assert_eq!(code(&out), 3, "cut {cut}");
        assert!(out.stdout.is_empty(), "cut {cut}: stdout must be empty");
    }
    // a changed trailer byte
    let mut t = bytes.clone();
    let last = t.len() - 1;
    t[last] ^= 0x01;
    std::fs::write(&bad, &t).unwrap();
    let out = run(&["open", "-k", s(&bob), "-i", s(&bad)]);
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());
    // also from stdin to stdout
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(["open", "-k", s(&bob)])
        .stdin(std::fs::File::open(&bad).unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());
    // a stream larger than what is held in memory (8 MiB) goes through a temporary file
    let (big, sealed) = seal_stream(&e, &owner, &bob, 9 * 1024 * 1024 + 5);
    let out = run(&["open", "-k", s(&bob), "-i", s(&sealed)]);
    assert!(out.status.success());
    assert!(out.stdout == big, "large stream round trip");
    let bytes = std::fs::read(&sealed).unwrap();
    std::fs::write(&bad, &bytes[..bytes.len() - 1]).unwrap();
    let out = run(&["open", "-k", s(&bob), "-i", s(&bad)]);
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());
}

/// `open --expect-owner`: the owner given as a key id or a public key; another signed owner, a
/// version-1 record (owner only claimed) and a foreign JWE are refused.
#[test]
fn open_expect_owner() {
    let e = Env::new();
    let owner = e.keygen("owner.key");
    let bob = e.keygen("bob.key");
    let mallory = e.keygen("mallory.key");
    let data = e.p("d.bin");
    std::fs::write(&data, b"hello").unwrap();
    let sealed = e.p("s.cw");
    ok(&[
        "seal",
        "-k",
        s(&owner),
        "-r",
        s(&bob),
        "--bytes",
        "-i",
        s(&data),
        "-o",
        s(&sealed),
    ]);
    let id = e.key_id(&owner);
    assert_eq!(
        ok(&[
            "open",
            "-k",
            s(&bob),
            "-i",
            s(&sealed),
            "--expect-owner",
            &id
        ]),
        "hello"
    );
    assert_eq!(
        ok(&[
            "open",
            "-k",
            s(&bob),
            "-i",
            s(&sealed),
            "--expect-owner",
            s(&owner)
        ]),
        "hello"
    );
    let out = run(&[
        "--json",
        "open",
        "-k",
        s(&bob),
        "-i",
        s(&sealed),
        "--expect-owner",
        s(&mallory),
    ]);
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());
    assert_eq!(json_error_code(&out), "seal.wrong_owner");
    // Mallory seals the same bytes for Bob: refused when Bob expects the owner
    let forged = e.p("forged.cw");
    ok(&[
        "seal",
        "-k",
        s(&mallory),
        "-r",
        s(&bob),
        "--bytes",
        "-i",
        s(&data),
        "-o",
        s(&forged),
    ]);
    let out = run(&[
        "open",
        "-k",
        s(&bob),
        "-i",
        s(&forged),
        "--expect-owner",
        &id,
    ]);
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());
    // a version-1 record (golden vector, sealed by alice for bob) names alice as its owner,
    // which proves nothing: opened with a warning, refused under --expect-owner
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sealed");
    let vector: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(keys.join("001-jwe-record-for-recipient.json")).unwrap(),
    )
    .unwrap();
    let v1 = e.p("v1.jwe");
    std::fs::write(&v1, vector["jwe"].as_str().unwrap()).unwrap();
    let bob_v = keys.join("keys/bob.key");
    let out = run(&["open", "-k", s(&bob_v), "-i", s(&v1)]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("version 1"));
    let out = run(&[
        "--json",
        "open",
        "-k",
        s(&bob_v),
        "-i",
        s(&v1),
        "--expect-owner",
        s(&keys.join("keys/alice.key")),
    ]);
    assert_eq!(code(&out), 3);
    assert!(out.stdout.is_empty());
    assert_eq!(json_error_code(&out), "seal.unauthenticated");
    // --json says what was opened
    let out = ok(&[
        "--json",
        "open",
        "-k",
        s(&bob),
        "-i",
        s(&sealed),
        "-o",
        s(&e.p("o.bin")),
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["format"], "binary");
    assert_eq!(v["owner_signed"], true);
    assert_eq!(v["owner"], id.as_str());
}
