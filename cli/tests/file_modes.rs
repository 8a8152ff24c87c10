//! Issue 11 item 14 (audit G7): every file that holds secrets (key files, attested records,
//! opened plaintext) is created with mode 0600, whatever the umask, and a rotation or an
//! import never leaves a wider mode behind.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

mod common;
use common::s;

/// Runs `causeway ARGS` under umask 000, so any mode the process does not set itself would
/// come out world-readable.
fn ok_umask0(args: &[&str]) -> String {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("umask 000 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_causeway"))
        .args(args);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "causeway {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn secret_outputs_are_0600_under_a_permissive_umask() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);

    // The umask really is in effect: a file the shell creates comes out 0666.
    let probe = p("probe");
    let out = Command::new("sh")
        .arg("-c")
        .arg("umask 000 && : > \"$0\"")
        .arg(&probe)
        .status()
        .unwrap();
    assert!(out.success());
    assert_eq!(mode(&probe), 0o666, "the test's umask did not apply");

    let (issuer, holder) = (p("issuer.key"), p("holder.key"));
    ok_umask0(&["keygen", "-o", s(&issuer)]);
    ok_umask0(&["keygen", "-o", s(&holder)]);
    assert_eq!(mode(&issuer), 0o600, "keygen -o");

    // A rotation rewrites the key file in place: still 0600, even if it had been widened.
    std::fs::set_permissions(&holder, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok_umask0(&["rotate", "-k", s(&holder)]);
    assert_eq!(mode(&holder), 0o600, "rotate");

    // A JWK set imported into a new key file.
    let jwk = ok_umask0(&["export-jwk", "-k", s(&issuer), "--secret"]);
    let jwk_file = p("issuer.jwk");
    std::fs::write(&jwk_file, jwk).unwrap();
    let imported = p("imported.key");
    ok_umask0(&["import-jwk", "-i", s(&jwk_file), "-o", s(&imported)]);
    assert_eq!(mode(&imported), 0o600, "import-jwk -o");

    // The holder's attested record holds the secret openings.
    let record = p("record.json");
    std::fs::write(
        &record,
        r#"{"schema":"s/v1","fields":{"score":{"type":"int","value":7}}}"#,
    )
    .unwrap();
    let subject = ok_umask0(&["pubkey", "-k", s(&holder)]);
    let held = p("held.att");
    ok_umask0(&[
        "attest",
        "-k",
        s(&issuer),
        "-i",
        s(&record),
        "--subject",
        subject.trim(),
        "-o",
        s(&held),
    ]);
    assert_eq!(mode(&held), 0o600, "attest -o");

    // Opened plaintext.
    let sealed = p("rec.cw");
    ok_umask0(&["seal", "-k", s(&issuer), "-i", s(&record), "-o", s(&sealed)]);
    let opened = p("opened.json");
    ok_umask0(&["open", "-k", s(&issuer), "-i", s(&sealed), "-o", s(&opened)]);
    assert_eq!(mode(&opened), 0o600, "open -o");
}

/// An output path that is a symlink to another file is not followed: the target keeps its
/// contents (exclusive creation, or replacement of the link itself).
#[test]
fn a_symlinked_output_is_not_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"keep me").unwrap();
    let link = dir.path().join("new.key");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(["keygen", "-o", s(&link)])
        .output()
        .unwrap();
    assert!(!out.status.success(), "keygen wrote over an existing path");
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    let _ = Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(["keygen", "--force", "-o", s(&link)])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"keep me",
        "--force wrote through the symlink"
    );
}
