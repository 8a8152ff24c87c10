//! A ledger writer for the crash-safety test (`tests/tests/ledger_crash.rs`).
//!
//! `ledger-writer <db> <count> <threads> <checkpoint-every>` opens (or creates) a ledger and
//! appends `count` receipts from `threads` threads through a group committer, plus batches from
//! one more thread. It prints one line per acknowledged entry, `ack <index> <leaf hash hex>`,
//! only after the append returned, and `cp <hex of the signed note>` after each stored
//! checkpoint. The test kills it with SIGKILL at random moments and checks what survived.

use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
use causeway::ledger::{GroupCommitter, LocalLedger};
use causeway::party::{Party, SecretKeys};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The origin the crash test uses.
const ORIGIN: &str = "causeway.test/crash";

fn log_party() -> Party {
    Party::from_keys(SecretKeys::from_seeds(&[11; 32], &[12; 32]))
}

fn issuer() -> Party {
    Party::from_keys(SecretKeys::from_seeds(&[21; 32], &[22; 32]))
}

fn out(line: &str) {
    let mut o = std::io::stdout().lock();
    let _ = writeln!(o, "{line}");
    let _ = o.flush();
}

fn receipt(issuer: &Party, salt: u64, n: u64, revoke: bool) -> Receipt {
    let mut id = [0u8; 32];
    id[..8].copy_from_slice(&salt.to_be_bytes());
    id[8..16].copy_from_slice(&n.to_be_bytes());
    let ev = AttestationEvent {
        revocation_handle: id,
        issuer: issuer.key_id(),
    };
    let ev = if revoke {
        Event::AttestationRevoked(ev)
    } else {
        Event::AttestationIssued(ev)
    };
    match Receipt::new(issuer.keys(), ORIGIN, n, ev) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("receipt: {e}");
            std::process::exit(2)
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: ledger-writer <db> <count> <threads> <checkpoint-every>");
        std::process::exit(2);
    }
    let path = Path::new(&args[1]);
    let count: u64 = args[2].parse().unwrap_or(1000);
    let threads: u64 = args[3].parse().unwrap_or(4);
    let every: u64 = args[4].parse().unwrap_or(100).max(1);
    let log = log_party();
    let ledger = if path.exists() {
        LocalLedger::open(path)
    } else {
        LocalLedger::create(path, ORIGIN, &log.public())
    };
    let ledger = match ledger {
        Ok(l) => Arc::new(l),
        Err(e) => {
            eprintln!("open: {e}");
            std::process::exit(3)
        }
    };
    // Distinct content per run, so a receipt from an earlier run is never mistaken for one
    // of this run.
    let salt = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let issuer = issuer();
    let committer = match GroupCommitter::new(ledger.clone(), 512) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("committer: {e}");
            std::process::exit(3)
        }
    };
    let next = AtomicU64::new(0);
    let acks = AtomicU64::new(0);
    let cp_lock = Mutex::new(());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    break;
                }
                let r = receipt(&issuer, salt, n, n % 17 == 5);
                let h = r.leaf_hash();
                match committer.append(r) {
                    Ok(i) => out(&format!("ack {i} {}", hex::encode(h))),
                    Err(e) => {
                        eprintln!("append: {e}");
                        std::process::exit(4)
                    }
                }
                let a = acks.fetch_add(1, Ordering::Relaxed) + 1;
                if a.is_multiple_of(every) {
                    if let Ok(_g) = cp_lock.try_lock() {
                        match ledger.checkpoint(log.keys()) {
                            Ok(note) => out(&format!("cp {}", hex::encode(note))),
                            Err(e) => {
                                eprintln!("checkpoint: {e}");
                                std::process::exit(5)
                            }
                        }
                    }
                }
            });
        }
        // One more thread appends in batches of 10.
        s.spawn(|| loop {
            let n = next.fetch_add(10, Ordering::Relaxed);
            if n >= count {
                break;
            }
            let batch: Vec<Receipt> = (n..n + 10)
                .map(|k| receipt(&issuer, salt, k, false))
                .collect();
            match ledger.append_batch(&batch) {
                Ok(first) => {
                    for (i, r) in batch.iter().enumerate() {
                        out(&format!(
                            "ack {} {}",
                            first + i as u64,
                            hex::encode(r.leaf_hash())
                        ));
                    }
                }
                Err(e) => {
                    eprintln!("batch: {e}");
                    std::process::exit(4)
                }
            }
        });
    });
    drop(committer);
    out("done");
}
