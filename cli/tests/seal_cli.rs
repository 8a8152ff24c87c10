//! Sealed records on the command line: rollback protection (`--ledger`, the owner's epoch
//! state), streams to stdout held back until they verify, `open --expect-owner`, `reseal`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{code, ok, run, s, Env};
use std::path::{Path, PathBuf};
use std::process::Output;

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
    let keys = crate_dir().join("../tests/vectors/sealed");
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

/// The golden vectors' directory and a v1 JWE from it (`NNN-…json`'s `jwe`), written to `to`.
fn v1_vector(name: &str, to: &Path) {
    let dir = crate_dir().join("../tests/vectors/sealed");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
    std::fs::write(to, v["jwe"].as_str().unwrap()).unwrap();
}

/// Review of c6e3057, item 3: `reseal` took any version-1 (unsigned) input naming the owner,
/// so anyone could get content of their choice signed by the owner under the owner's record
/// id and an epoch of their choice (which `save` then recorded). Now it needs --upgrade-v1;
/// with --ledger the input's exact hash must be named by one of the owner's receipts; and an
/// owner whose state already knows the record does not upgrade an unsigned copy of it.
#[test]
fn upgrading_a_version_1_record_needs_the_flag_and_the_owners_receipt() {
    let e = Env::new();
    let vectors = crate_dir().join("../tests/vectors/sealed/keys");
    // alice's key, copied so that her epoch state lives in the test's directory
    let alice = e.p("alice.key");
    std::fs::copy(vectors.join("alice.key"), &alice).unwrap();
    let bob = e.p("bob.key");
    std::fs::copy(vectors.join("bob.key"), &bob).unwrap();
    let log = e.keygen("log.key");
    // 001: alice's version-1 record for bob; 006: another version-1 object of the same record
    // id (think: one a store writer assembled), not named by any receipt
    let v1 = e.p("v1.jwe");
    v1_vector("001-jwe-record-for-recipient.json", &v1);
    let other = e.p("other-v1.jwe");
    v1_vector("006-jwe-granted.json", &other);
    let out_path = e.p("up.jwe");
    let state = e.p("alice.key.epochs");

    // without --upgrade-v1: refused, nothing written, nothing recorded
    let out = run(&[
        "reseal",
        "-k",
        s(&alice),
        "-r",
        s(&bob),
        "-i",
        s(&v1),
        "-o",
        s(&out_path),
    ]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--upgrade-v1"));
    assert!(!out_path.exists());
    assert!(!state.exists());
    assert!(
        !e.p("alice.key.epochs.lock").exists(),
        "a refused input creates no file"
    );

    // with --ledger: the input's hash must be in one of alice's receipts
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
    ok(&[
        "ledger",
        "append",
        "--db",
        s(&db),
        "-k",
        s(&alice),
        "--sealed",
        s(&v1),
    ]);
    let out = run(&[
        "reseal",
        "--upgrade-v1",
        "-k",
        s(&alice),
        "-r",
        s(&bob),
        "-i",
        s(&other),
        "-o",
        s(&out_path),
        "--ledger",
        s(&db),
    ]);
    assert_eq!(code(&out), 3, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no receipt"));
    assert!(!out_path.exists());
    assert!(!state.exists());
    // the copy the receipt names is upgraded: version 2, signed by alice, epoch 1 recorded
    ok(&[
        "reseal",
        "--upgrade-v1",
        "-k",
        s(&alice),
        "-r",
        s(&bob),
        "-i",
        s(&v1),
        "-o",
        s(&out_path),
        "--ledger",
        s(&db),
    ]);
    let opened = ok(&[
        "--json",
        "open",
        "-k",
        s(&bob),
        "-i",
        s(&out_path),
        "--expect-owner",
        s(&alice),
        "-o",
        s(&e.p("plain.json")),
    ]);
    let v: serde_json::Value = serde_json::from_str(opened.trim()).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["epoch"], 1);
    let rid = v["record_id"].as_str().unwrap().to_owned();
    assert_eq!(
        std::fs::read_to_string(&state).unwrap(),
        format!("causeway-sealed-epochs v1\n{rid} 1\n")
    );
    // now that alice signed an epoch of the record, an unsigned copy of it is not upgraded
    // (here one at a current epoch, which the stale check alone would let through)
    std::fs::write(&state, format!("causeway-sealed-epochs v1\n{rid} 0\n")).unwrap();
    let out = run(&[
        "reseal",
        "--upgrade-v1",
        "-k",
        s(&alice),
        "-r",
        s(&bob),
        "-i",
        s(&v1),
        "-o",
        s(&e.p("again.jwe")),
    ]);
    assert_eq!(code(&out), 3, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!e.p("again.jwe").exists());
    // grant and revoke never take a version-1 input, flag or not
    let out = run(&["grant", "-k", s(&alice), "-r", s(&bob), "-i", s(&v1)]);
    assert_eq!(code(&out), 1);
}

/// Review of c6e3057, item 5: `--json open` without -o printed its JSON summary on stdout
/// right after the plaintext. The summary goes to stderr when the output is stdout (and stays
/// on stdout with -o); the same for grant, revoke, reseal and seal.
#[test]
fn json_summaries_never_follow_output_on_stdout() {
    let e = Env::new();
    let owner = e.keygen("owner.key");
    let bob = e.keygen("bob.key");
    let carol = e.keygen("carol.key");
    let data = e.p("d.bin");
    std::fs::write(&data, b"exact plaintext").unwrap();
    let sealed = e.p("s.jwe");
    let out = ok(&[
        "--json",
        "seal",
        "-k",
        s(&owner),
        "-r",
        s(&bob),
        "--bytes",
        "--jwe",
        "-i",
        s(&data),
        "-o",
        s(&sealed),
    ]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(out.trim()).unwrap()["action"],
        "sealed"
    );
    let out = common::ok_output(&["--json", "open", "-k", s(&bob), "-i", s(&sealed)]);
    assert_eq!(out.stdout, b"exact plaintext");
    let summary: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stderr).trim()).unwrap();
    assert_eq!(summary["action"], "opened");
    // a grant to stdout: the JWE alone on stdout, the summary on stderr
    let out = common::ok_output(&[
        "--json",
        "grant",
        "-k",
        s(&owner),
        "-r",
        s(&carol),
        "-i",
        s(&sealed),
    ]);
    let granted = e.p("granted.jwe");
    std::fs::write(&granted, &out.stdout).unwrap();
    assert_eq!(
        ok(&["open", "-k", s(&carol), "-i", s(&granted)]),
        "exact plaintext"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"action\":\"granted\""));
    // a stream to stdout
    let (_, st) = seal_stream(&e, &owner, &bob, 1000);
    let out = common::ok_output(&["--json", "open", "-k", s(&bob), "-i", s(&st)]);
    assert_eq!(out.stdout.len(), 1000);
    assert!(String::from_utf8_lossy(&out.stderr).contains("opened stream"));
}

/// Review of c6e3057, item 4: two runs on one state file each wrote the whole book as read at
/// their start (last rename wins), so an entry could go down. Runs now hold `STATE.lock` and
/// merge on save: many concurrent revokes of different records all end up in the state.
#[test]
fn concurrent_runs_do_not_lose_epochs() {
    let e = Env::new();
    let owner = e.keygen("owner.key");
    let bob = e.keygen("bob.key");
    let data = e.p("d.bin");
    std::fs::write(&data, b"x").unwrap();
    let n = 6;
    let mut inputs = Vec::new();
    for i in 0..n {
        let p = e.p(&format!("s{i}.cw"));
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
            s(&p),
        ]);
        inputs.push(p);
    }
    let children: Vec<_> = inputs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            common::bin()
                .args([
                    "revoke",
                    "-k",
                    s(&owner),
                    "--remove",
                    s(&bob),
                    "-i",
                    s(p),
                    "-o",
                    s(&e.p(&format!("r{i}.cw"))),
                ])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let text = std::fs::read_to_string(e.p("owner.key.epochs")).unwrap();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(lines.len(), n, "{text}");
    assert!(lines.iter().all(|l| l.ends_with(" 1")), "{text}");
}

/// Review of c6e3057, item 12: a state that cannot be saved (read-only directory, or a full
/// state) made the command fail after the output was written, with a hint to re-run on an
/// output that then existed. Both are now found before anything is written.
#[cfg(unix)]
#[test]
fn an_unsavable_state_is_found_before_the_output_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let e = Env::new();
    let owner = e.keygen("owner.key");
    let bob = e.keygen("bob.key");
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
    // a read-only directory for the state
    let ro = e.p("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
    let writable = std::fs::write(ro.join("probe"), b"").is_ok(); // root ignores modes
    let out_path = e.p("s1.cw");
    // `revoke … --epoch-state STATE`, which must fail with `exit` and write nothing.
    let revoke_fails = |state: &Path, exit: i32| {
        let out = run(&[
            "revoke",
            "-k",
            s(&owner),
            "--remove",
            s(&bob),
            "-i",
            s(&s0),
            "-o",
            s(&out_path),
            "--epoch-state",
            s(state),
        ]);
        assert_eq!(code(&out), exit, "{}", String::from_utf8_lossy(&out.stderr));
        assert!(!out_path.exists(), "nothing written");
        out
    };
    if !writable {
        let out = revoke_fails(&ro.join("state"), 4);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("re-run"));
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    // a directory that does not exist (unwritable even for root)
    let out = revoke_fails(&e.p("missing-dir/state"), 4);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("re-run"));
    // a full state (MAX_BOOK_ENTRIES records): a new record cannot be recorded
    let full = e.p("full.epochs");
    let mut text = String::from("causeway-sealed-epochs v1\n");
    for i in 0..causeway::seal::MAX_BOOK_ENTRIES as u128 {
        text.push_str(&format!("{:032x} 0\n", i + (1u128 << 100)));
    }
    std::fs::write(&full, &text).unwrap();
    let out = revoke_fails(&full, 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--epoch-state"));
    assert_eq!(std::fs::read_to_string(&full).unwrap(), text);
}

/// This package's folder, as cargo gives it to the running test, falling back to where the test
/// was compiled (CI reuses test binaries built in an earlier clone at another path).
fn crate_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
