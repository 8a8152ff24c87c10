//! What every CLI test file shares: running the `causeway` binary (`mod common;`).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// The `causeway` binary built for these tests, as a command to add arguments to.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_causeway"))
}

/// Runs `causeway ARGS`.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run causeway")
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
    let out = run(args);
    assert!(
        out.status.success(),
        "causeway {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A path as a command-line argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
