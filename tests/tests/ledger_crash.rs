//! Durability of `LocalLedger`: SIGKILL during appends, truncated database and WAL files,
//! injected write and sync errors.

use causeway::error::LedgerError;
use causeway::ledger::checkpoint::Checkpoint;
use causeway::ledger::merkle::{leaf_hash, Hash};
use causeway::ledger::proof::verify_consistency;
use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
use causeway::ledger::sqlite::Fault;
use causeway::ledger::{GroupCommitter, LedgerClient, LocalLedger};
use causeway::party::{Party, PublicKeys, SecretKeys};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

const ORIGIN: &str = "causeway.test/crash";

fn log_party() -> Party {
    Party::from_keys(SecretKeys::from_seeds(&[11; 32], &[12; 32]))
}

fn issuer() -> Party {
    Party::from_keys(SecretKeys::from_seeds(&[21; 32], &[22; 32]))
}

/// xorshift64*, seeded from the clock (printed so a failure can be replayed with
/// `LEDGER_CRASH_SEED`).
struct Rng(u64);

impl Rng {
    fn new() -> Self {
        let seed = std::env::var("LEDGER_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("LEDGER_CRASH_SEED={seed}");
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Checks a reopened ledger against what the writer acknowledged and the checkpoints it
/// issued: every acknowledged entry is there with its exact bytes' hash, the log is a
/// contiguous, fully verifying prefix (audit), and the tree is consistent with every checkpoint.
fn check_survivors(path: &Path, acked: &BTreeMap<u64, String>, notes: &[String], key: &PublicKeys) {
    let l = LocalLedger::open(path).expect("reopen after crash");
    let size = l.size().unwrap();
    let report = l.audit(Some(key)).expect("audit after crash");
    assert_eq!(report.entries, size);
    for (i, h) in acked {
        assert!(*i < size, "acknowledged entry {i} lost (size {size})");
        assert_eq!(
            &hex::encode(leaf_hash(&l.entry(*i).unwrap())),
            h,
            "entry {i} changed"
        );
    }
    let root = l.root().unwrap();
    let mut client = LedgerClient::new(ORIGIN, *key);
    for note in notes {
        let cp = client.open_checkpoint(note).unwrap();
        assert!(cp.size <= size, "checkpoint beyond the surviving log");
        assert_eq!(l.root_at(cp.size).unwrap(), cp.root);
        if cp.size > 0 {
            let p = l.consistency_proof(cp.size, size).unwrap();
            verify_consistency(cp.size, size, &p, &cp.root, &root).unwrap();
        }
        // Checkpoints were printed in issue order, so the client only moves forward.
        if client.trusted().is_none_or(|t| t.size <= cp.size) {
            let t = client.trusted().map(|t| t.size).unwrap_or(0);
            let p = if t == 0 {
                vec![]
            } else {
                l.consistency_proof(t, cp.size).unwrap()
            };
            client.update(note, &p).unwrap();
        }
    }
}

#[test]
fn sigkill_during_appends_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut rng = Rng::new();
    let key = log_party().public();
    let mut acked: BTreeMap<u64, String> = BTreeMap::new();
    let mut notes: Vec<String> = Vec::new();
    let rounds = 6;
    let mut total_kills = 0;
    for round in 0..rounds {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ledger-writer"))
            .arg(&db)
            .arg("1500")
            .arg("6")
            .arg("97")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(l) => {
                        if tx.send(l).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        });
        // Kill after a random delay, unless it is the last round (which runs to the end so
        // the final check also sees a cleanly closed ledger).
        let delay = Duration::from_millis(30 + rng.below(400));
        let killed = if round + 1 < rounds {
            std::thread::sleep(delay);
            let k = child.kill().is_ok();
            total_kills += usize::from(k);
            k
        } else {
            false
        };
        let status = child.wait().unwrap();
        reader.join().unwrap();
        let mut done = false;
        for line in rx.try_iter() {
            if let Some(rest) = line.strip_prefix("ack ") {
                let (i, h) = rest.split_once(' ').unwrap();
                let prev = acked.insert(i.parse().unwrap(), h.to_owned());
                assert!(prev.is_none(), "index {i} acknowledged twice");
            } else if let Some(hexnote) = line.strip_prefix("cp ") {
                notes.push(String::from_utf8(hex::decode(hexnote).unwrap()).unwrap());
            } else if line == "done" {
                done = true;
            }
        }
        if !killed {
            assert!(status.success() && done, "writer failed: {status:?}");
        }
        if db.exists() || !acked.is_empty() {
            check_survivors(&db, &acked, &notes, &key);
        }
    }
    assert!(total_kills > 0);
    assert!(acked.len() >= 1500, "too few appends: {}", acked.len());
    assert!(!notes.is_empty());
}

fn receipt(issuer: &Party, n: u64) -> Receipt {
    let mut id = [0u8; 32];
    id[..8].copy_from_slice(&n.to_be_bytes());
    let ev = AttestationEvent {
        revocation_handle: id,
        issuer: issuer.key_id(),
    };
    let ev = if n % 7 == 3 {
        Event::AttestationRevoked(ev)
    } else {
        Event::AttestationIssued(ev)
    };
    Receipt::new(issuer.keys(), ORIGIN, n, ev).unwrap()
}

/// Opens a (damaged) copy and checks it is either refused with a typed error or a verified
/// prefix of the original log, consistent with the original checkpoints it covers.
fn check_damaged(
    path: &Path,
    original: &[Vec<u8>],
    notes: &[(u64, Hash)],
    key: &PublicKeys,
) -> Option<u64> {
    let l = match LocalLedger::open(path) {
        Ok(l) => l,
        Err(e) => {
            assert!(
                matches!(e, LedgerError::Corrupt(_) | LedgerError::Storage(_)),
                "unexpected error kind {e:?}"
            );
            return None;
        }
    };
    let size = l.size().ok()?;
    match l.audit(Some(key)) {
        Ok(report) => {
            assert!(size as usize <= original.len());
            assert_eq!(report.entries, size);
            for i in 0..size {
                assert_eq!(
                    l.entry(i).unwrap(),
                    original[i as usize],
                    "entry {i} differs"
                );
            }
            for (s, root) in notes {
                if *s <= size {
                    assert_eq!(l.root_at(*s).unwrap(), *root);
                }
            }
            Some(size)
        }
        Err(e) => {
            assert!(
                matches!(
                    e,
                    LedgerError::Corrupt(_)
                        | LedgerError::Storage(_)
                        | LedgerError::Verify(_)
                        | LedgerError::Decode(_)
                ),
                "unexpected error kind {e:?}"
            );
            None
        }
    }
}

/// Builds a ledger of `n` entries in several transactions with checkpoints; returns the
/// original entries and checkpoint (size, root) pairs. If `keep_open`, the WAL is copied to
/// `wal_copy` before the ledger is closed (a closed ledger has checkpointed its WAL away).
fn build(path: &Path, n: u64, wal_copy: Option<&Path>) -> (Vec<Vec<u8>>, Vec<(u64, Hash)>) {
    let log = log_party();
    let issuer = issuer();
    let l = LocalLedger::create(path, ORIGIN, &log.public()).unwrap();
    let mut entries = Vec::new();
    let mut notes = Vec::new();
    let mut k = 0;
    while k < n {
        let batch: Vec<Receipt> = (k..(k + 1 + k % 13).min(n))
            .map(|i| receipt(&issuer, i))
            .collect();
        k += batch.len() as u64;
        l.append_batch(&batch).unwrap();
        entries.extend(batch.iter().map(|r| r.as_bytes().to_vec()));
        if k % 5 == 0 {
            let note = l.checkpoint(log.keys()).unwrap();
            let cp = Checkpoint::open(&note, ORIGIN, &log.public()).unwrap();
            notes.push((cp.size, cp.root));
        }
    }
    if let Some(w) = wal_copy {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        std::fs::copy(&wal, w).unwrap();
        std::fs::copy(path, w.with_extension("db")).unwrap();
    }
    drop(l);
    (entries, notes)
}

/// Truncation tests open thousands of damaged copies; SQLite syncs on every close, so they
/// run in memory-backed storage when there is some (the bytes tested are the same).
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(d) = tempfile::tempdir_in(shm) {
            return d;
        }
    }
    tempfile::tempdir().unwrap()
}

#[test]
fn truncated_wal_leaves_a_verified_prefix() {
    let dir = scratch();
    let src = dir.path().join("src.db");
    let saved = dir.path().join("saved.wal");
    let (entries, notes) = build(&src, 100, Some(&saved));
    let saved_db = saved.with_extension("db");
    let wal = std::fs::read(&saved).unwrap();
    let db = std::fs::read(&saved_db).unwrap();
    assert!(!wal.is_empty(), "the WAL copy is empty");
    let key = log_party().public();
    let work = dir.path().join("t.db");
    let mut work_wal = work.as_os_str().to_owned();
    work_wal.push("-wal");
    let mut shm = work.as_os_str().to_owned();
    shm.push("-shm");
    // The WAL holds the whole run here (no auto-checkpoint at this size), so its "tail" is the
    // file: cut it at every frame boundary and its neighbours, plus a stride through the rest.
    let frame = 24 + 4096;
    let mut offsets: Vec<usize> = Vec::new();
    let mut o = 32usize;
    while o <= wal.len() {
        // The exact boundary, a cut inside the frame header, one right after it (a header
        // without its page); `o - 1` is the previous frame missing its last byte.
        offsets.extend([o.saturating_sub(1), o, o + 1, o + 24]);
        o += frame;
    }
    offsets.extend((0..wal.len()).step_by(4093));
    offsets.push(wal.len());
    offsets.sort();
    offsets.dedup();
    let (mut ok, mut refused, mut sizes) = (0, 0, std::collections::BTreeSet::new());
    for &cut in offsets.iter().filter(|&&c| c <= wal.len()) {
        std::fs::write(&work, &db).unwrap();
        std::fs::write(&work_wal, &wal[..cut]).unwrap();
        let _ = std::fs::remove_file(&shm);
        if let Some(size) = check_damaged(&work, &entries, &notes, &key) {
            ok += 1;
            sizes.insert(size);
        } else {
            refused += 1;
        }
    }
    eprintln!(
        "WAL cuts: {ok} verified prefixes ({} distinct sizes), {refused} refused",
        sizes.len()
    );
    // The full WAL gives the full log; cutting it gives shorter prefixes.
    assert!(sizes.contains(&(entries.len() as u64)));
    assert!(sizes.len() > 5);
}

#[test]
fn truncated_database_leaves_a_verified_prefix_or_a_typed_error() {
    let dir = scratch();
    let src = dir.path().join("src.db");
    let (entries, notes) = build(&src, 120, None);
    let db = std::fs::read(&src).unwrap();
    let key = log_party().public();
    let work = dir.path().join("t.db");
    let mut work_wal = work.as_os_str().to_owned();
    work_wal.push("-wal");
    // The tail: the last 16 pages, every 29th offset (a stride prime to the page size, so
    // every in-page position class is hit), plus every page boundary and its neighbours.
    let tail = db.len().saturating_sub(16 * 4096);
    let mut offsets: Vec<usize> = (tail..=db.len()).step_by(29).collect();
    for p in (0..=db.len()).step_by(4096) {
        offsets.extend([p.saturating_sub(1), p, p + 1]);
    }
    offsets.push(db.len());
    offsets.sort();
    offsets.dedup();
    let (mut ok, mut refused) = (0, 0);
    for &cut in offsets.iter().filter(|&&c| c <= db.len()) {
        std::fs::write(&work, &db[..cut]).unwrap();
        let _ = std::fs::remove_file(&work_wal);
        if check_damaged(&work, &entries, &notes, &key).is_some() {
            ok += 1;
        } else {
            refused += 1;
        }
    }
    eprintln!("database cuts: {ok} verified, {refused} refused with typed errors");
    assert!(ok >= 1, "the untruncated file must verify");
}

#[test]
fn write_error_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let log = log_party();
    let issuer = issuer();
    let l = LocalLedger::create(&path, ORIGIN, &log.public()).unwrap();
    for i in 0..10 {
        l.append(&receipt(&issuer, i)).unwrap();
    }
    l.inject_fault(Fault::Write).unwrap();
    assert!(matches!(
        l.append(&receipt(&issuer, 10)),
        Err(LedgerError::Storage(_))
    ));
    assert!(l.is_failed());
    // Never again, whatever is tried.
    assert_eq!(
        l.append(&receipt(&issuer, 11)),
        Err(LedgerError::FailedClosed)
    );
    assert_eq!(
        l.append_batch(&[receipt(&issuer, 12)]),
        Err(LedgerError::FailedClosed)
    );
    assert_eq!(l.checkpoint(log.keys()), Err(LedgerError::FailedClosed));
    drop(l);
    let l = LocalLedger::open(&path).unwrap();
    assert_eq!(l.size().unwrap(), 10, "the failed write was rolled back");
    assert_eq!(l.audit(None).unwrap().entries, 10);
    assert_eq!(l.append(&receipt(&issuer, 10)).unwrap(), 10);
}

#[test]
fn sync_error_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let log = log_party();
    let issuer = issuer();
    let l = Arc::new(LocalLedger::create(&path, ORIGIN, &log.public()).unwrap());
    let gc = GroupCommitter::new(l.clone(), 64).unwrap();
    for i in 0..10 {
        assert_eq!(gc.append(receipt(&issuer, i)).unwrap(), i);
    }
    l.inject_fault(Fault::Sync).unwrap();
    // The commit reached the disk but reported an error: the append is not acknowledged,
    // and everything after it is refused.
    assert!(matches!(
        gc.append(receipt(&issuer, 10)),
        Err(LedgerError::Storage(_))
    ));
    for i in 11..20 {
        assert_eq!(
            gc.append(receipt(&issuer, i)),
            Err(LedgerError::FailedClosed)
        );
    }
    drop(gc);
    drop(l);
    // Reopened, the durable prefix is intact; whether the unacknowledged entry is there is
    // not promised either way.
    let l = LocalLedger::open(&path).unwrap();
    let size = l.size().unwrap();
    assert!(size == 10 || size == 11);
    assert_eq!(l.audit(None).unwrap().entries, size);
}

#[test]
fn full_disk_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    let log = log_party();
    let issuer = issuer();
    let l = LocalLedger::create(&path, ORIGIN, &log.public()).unwrap();
    let first: Vec<Receipt> = (0..50).map(|i| receipt(&issuer, i)).collect();
    l.append_batch(&first).unwrap();
    let note = l.checkpoint(log.keys()).unwrap();
    // No room to grow: SQLite reports SQLITE_FULL for the next batch.
    let pages = std::fs::metadata(&path).unwrap().len() / 4096 + 2;
    l.limit_pages(pages).unwrap();
    let big: Vec<Receipt> = (50..2050).map(|i| receipt(&issuer, i)).collect();
    assert!(matches!(l.append_batch(&big), Err(LedgerError::Storage(_))));
    // Even with room again, the ledger stays failed.
    l.limit_pages(1 << 30).unwrap();
    assert_eq!(
        l.append(&receipt(&issuer, 50)),
        Err(LedgerError::FailedClosed)
    );
    drop(l);
    let l = LocalLedger::open(&path).unwrap();
    assert_eq!(l.size().unwrap(), 50);
    assert_eq!(l.audit(None).unwrap().checkpoints, 1);
    let client = LedgerClient::with_trusted(ORIGIN, log.public(), &note).unwrap();
    client
        .verify_receipt(
            &l.entry(49).unwrap(),
            49,
            &l.inclusion_proof(49, 50).unwrap(),
        )
        .unwrap();
}
