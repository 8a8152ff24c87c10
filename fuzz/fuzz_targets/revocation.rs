//! Ledger proofs over untrusted bytes: inclusion and consistency paths.
#![no_main]

use causeway::ledger::proof::{verify_consistency_bytes, verify_inclusion_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 16 {
        return;
    }
    let (head, rest) = data.split_at(16);
    let mut a = [0u8; 8];
    let mut b = [0u8; 8];
    a.copy_from_slice(&head[..8]);
    b.copy_from_slice(&head[8..]);
    let (x, y) = (u64::from_le_bytes(a) >> 40, u64::from_le_bytes(b) >> 40);
    let chunks: Vec<&[u8]> = rest.chunks(32).collect();
    let Some((first, others)) = chunks.split_first() else {
        return;
    };
    let Some((second, proof)) = others.split_first() else {
        return;
    };
    let _ = verify_inclusion_bytes(x, y, first, proof, second);
    let _ = verify_consistency_bytes(x, y, proof, first, second);
});
