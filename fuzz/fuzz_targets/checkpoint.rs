//! Checkpoints (C2SP signed notes): parsing, signature check, the revocation line.
#![no_main]
#[path = "common.rs"]
mod common;

use causeway::ledger::Checkpoint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(note) = common::text(data) else {
        return;
    };
    if let Ok(cp) = Checkpoint::parse_unverified(note) {
        let _ = cp.revocations();
        let _ = cp.body();
    }
    let key = common::party().public();
    if let Ok(cp) = Checkpoint::open(note, "causeway.example/log", &key) {
        let _ = cp.revocations();
    }
});
