//! `causeway membership` with the member's secret read from a file or stdin (`--secret-file`),
//! never from the command line (issue 11 leftover: argv is visible in `ps` and shell history).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{ok, run, s};

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run causeway");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_secret_is_refused_on_the_command_line_and_read_from_a_file_or_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let secret = format!("{:064x}", 0x00c0_ffee_5ec7_u64);
    let file = dir.path().join("member.secret");
    std::fs::write(&file, format!("{secret}\n")).unwrap();

    // The old flag is refused, with a message that says why and does not echo the secret.
    let out = run(&["membership", "leaf", "--secret", &secret]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--secret was removed"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--secret-file"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains(&secret),
        "the refusal echoed the secret"
    );
    assert!(out.stdout.is_empty());
    let leaves = dir.path().join("leaves.txt");
    std::fs::write(&leaves, format!("{:064x}\n", 1u64)).unwrap();
    let out = run(&[
        "membership",
        "prove",
        "--keys",
        s(dir.path()),
        "--leaves",
        s(&leaves),
        "--depth",
        "2",
        "--secret",
        &secret,
        "--challenge",
        "00112233445566778899aabbccddeeff",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--secret was removed"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains(&secret),
        "the refusal echoed the secret"
    );
    // Even together with --secret-file, a secret in argv is refused.
    let out = run(&[
        "membership",
        "leaf",
        "--secret-file",
        s(&file),
        "--secret",
        &secret,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // From a file and from stdin: the same leaf.
    let from_file = ok(&["membership", "leaf", "--secret-file", s(&file)]);
    let out = run_stdin(
        &["membership", "leaf", "--secret-file", "-"],
        secret.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
    assert_eq!(from_file.trim().len(), 64);
    assert_ne!(
        from_file.trim(),
        secret,
        "the leaf is a hash, not the secret"
    );

    // A missing secret, a malformed one, one that is not a field element: clear refusals that
    // do not echo the file's content.
    let out = run(&["membership", "leaf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--secret-file"), "{}", stderr(&out));
    let bad = dir.path().join("bad.secret");
    std::fs::write(&bad, "not-hex-but-a-passphrase").unwrap();
    let out = run(&["membership", "leaf", "--secret-file", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("64 hex digits"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("passphrase"), "{}", stderr(&out));
    std::fs::write(&bad, "f".repeat(64)).unwrap();
    let out = run(&["membership", "leaf", "--secret-file", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("field element"), "{}", stderr(&out));
    let out = run(&[
        "membership",
        "leaf",
        "--secret-file",
        s(&dir.path().join("absent")),
    ]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}
