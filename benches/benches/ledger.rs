//! The ledger beside its peer: the same receipts as plain SQLite inserts (same pragmas: WAL,
//! `synchronous = FULL`, one table `entries(idx INTEGER PRIMARY KEY, data BLOB)`) without the
//! Merkle tree.
//!
//! * `ledger-append-batched/<n>`: appends in transactions of 1,000 at a log of ~n entries.
//! * `ledger-append-single/<n>`: one durable transaction per append (fsync each).
//! * `ledger-append-group/<n>`: 64 threads appending individually, each waiting for its own
//!   durable acknowledgement; the ledger's `GroupCommitter` vs. the same group commit over
//!   plain SQLite.
//! * `ledger-prove/<n>`: inclusion and consistency proof generation at ~n entries, beside a
//!   plain SQLite point read of one receipt; `ledger-verify`: verification (no store).
//! * bytes on disk per entry are printed to stderr (ledger vs. peer).
//!
//! Sizes default to 10^3, 10^4, 10^5. For the growth curve at larger logs:
//! `LEDGER_BENCH_SIZES=1000,10000,100000,1000000,10000000 cargo bench -p causeway-benches
//! --bench ledger` (building a 10^7-entry log takes a few minutes and ~3 GB of disk in the
//! temp directory; `LEDGER_BENCH_DIR` picks the directory).

use causeway::ledger::merkle::{leaf_hash, Hash};
use causeway::ledger::proof::{verify_consistency, verify_inclusion};
use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
use causeway::ledger::{GroupCommitter, LocalLedger};
use causeway::party::{Party, SecretKeys};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rusqlite::{params, Connection};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const ORIGIN: &str = "bench.causeway/ledger";
const POOL: usize = 20_000;
const BATCH: usize = 1_000;
const THREADS: usize = 64;

fn sizes() -> Vec<u64> {
    std::env::var("LEDGER_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000])
}

fn scratch() -> tempfile::TempDir {
    match std::env::var("LEDGER_BENCH_DIR") {
        Ok(d) => tempfile::tempdir_in(d).unwrap(),
        Err(_) => tempfile::tempdir().unwrap(),
    }
}

/// A pool of distinct signed receipts (attestation events, ~200 bytes); appends cycle
/// through it.
fn pool() -> Vec<Receipt> {
    let issuer = Party::from_keys(SecretKeys::from_seeds(&[1; 32], &[2; 32]));
    (0..POOL as u64)
        .map(|i| {
            let mut id = [0u8; 32];
            id[..8].copy_from_slice(&i.to_be_bytes());
            let ev = AttestationEvent {
                attestation_id: id,
                issuer: issuer.key_id(),
            };
            Receipt::new(issuer.keys(), ORIGIN, i, Event::AttestationIssued(ev)).unwrap()
        })
        .collect()
}

fn log_key() -> Party {
    Party::from_keys(SecretKeys::from_seeds(&[3; 32], &[4; 32]))
}

/// The peer: plain SQLite inserts of the same receipts, same durability settings.
struct Peer {
    conn: Connection,
    next: i64,
}

impl Peer {
    fn create(path: &Path) -> Peer {
        let conn = Connection::open(path).unwrap();
        let _: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             CREATE TABLE entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL) STRICT;",
        )
        .unwrap();
        Peer { conn, next: 0 }
    }
    fn insert_batch<'a>(&mut self, rs: impl IntoIterator<Item = &'a Receipt>) {
        let tx = self.conn.transaction().unwrap();
        {
            let mut st = tx
                .prepare_cached("INSERT INTO entries(idx, data) VALUES (?1, ?2)")
                .unwrap();
            for r in rs {
                st.execute(params![self.next, r.as_bytes()]).unwrap();
                self.next += 1;
            }
        }
        tx.commit().unwrap();
    }
    fn read(&self, idx: i64) -> Vec<u8> {
        self.conn
            .prepare_cached("SELECT data FROM entries WHERE idx = ?1")
            .unwrap()
            .query_row([idx], |r| r.get(0))
            .unwrap()
    }
}

/// The same group commit as `GroupCommitter`, over the peer.
struct PeerCommitter {
    tx: Option<mpsc::Sender<(Receipt, mpsc::SyncSender<i64>)>>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl PeerCommitter {
    fn new(peer: Arc<Mutex<Peer>>) -> Self {
        let (tx, rx) = mpsc::channel::<(Receipt, mpsc::SyncSender<i64>)>();
        let handle = std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while batch.len() < 512 {
                    match rx.try_recv() {
                        Ok(j) => batch.push(j),
                        Err(_) => break,
                    }
                }
                let mut p = peer.lock().unwrap();
                let start = p.next;
                p.insert_batch(batch.iter().map(|(r, _)| r));
                drop(p);
                for (i, (_, reply)) in batch.into_iter().enumerate() {
                    let _ = reply.send(start + i as i64);
                }
            }
        });
        PeerCommitter {
            tx: Some(tx),
            handle: Some(handle),
        }
    }
    fn append(&self, r: Receipt) -> i64 {
        let (reply, rx) = mpsc::sync_channel(1);
        self.tx.as_ref().unwrap().send((r, reply)).unwrap();
        rx.recv().unwrap()
    }
}

impl Drop for PeerCommitter {
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(h) = self.handle.take() {
            h.join().unwrap();
        }
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    ledger: Arc<LocalLedger>,
    peer: Arc<Mutex<Peer>>,
    ledger_path: PathBuf,
    peer_path: PathBuf,
}

fn fixture(n: u64, pool: &[Receipt]) -> Fixture {
    let dir = scratch();
    let ledger_path = dir.path().join("ledger.db");
    let peer_path = dir.path().join("peer.db");
    let ledger = LocalLedger::create(&ledger_path, ORIGIN, &log_key().public()).unwrap();
    let mut peer = Peer::create(&peer_path);
    let mut k = 0u64;
    while k < n {
        let m = (n - k).min(10_000) as usize;
        let start = (k as usize) % pool.len();
        let batch: Vec<Receipt> = (0..m)
            .map(|i| pool[(start + i) % pool.len()].clone())
            .collect();
        ledger.append_batch(&batch).unwrap();
        peer.insert_batch(batch.iter());
        k += m as u64;
    }
    Fixture {
        _dir: dir,
        ledger: Arc::new(ledger),
        peer: Arc::new(Mutex::new(peer)),
        ledger_path,
        peer_path,
    }
}

fn file_bytes(p: &Path) -> u64 {
    let mut total = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut wal = p.as_os_str().to_owned();
    wal.push("-wal");
    total += std::fs::metadata(PathBuf::from(wal))
        .map(|m| m.len())
        .unwrap_or(0);
    total
}

fn bytes_per_entry(pool: &[Receipt]) {
    for n in sizes() {
        let f = fixture(n, pool);
        // Checkpoint the WALs into the main files so the figures are the settled sizes.
        drop(
            f.peer
                .lock()
                .unwrap()
                .conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"),
        );
        let Fixture {
            _dir,
            ledger,
            peer,
            ledger_path,
            peer_path,
        } = f;
        drop(ledger);
        drop(peer);
        let lb = file_bytes(&ledger_path) as f64 / n as f64;
        let pb = file_bytes(&peer_path) as f64 / n as f64;
        eprintln!(
            "ledger-bytes-per-entry/{n}: ledger {lb:.1} B, plain SQLite {pb:.1} B, ratio {:.2} (receipt {} B)",
            lb / pb,
            pool[0].as_bytes().len()
        );
    }
}

fn append_batched(c: &mut Criterion) {
    let pool = pool();
    bytes_per_entry(&pool);
    let mut g = c.benchmark_group("ledger-append-batched");
    g.sample_size(10);
    g.throughput(Throughput::Elements(BATCH as u64));
    for n in sizes() {
        let f = fixture(n, &pool);
        let batch: Vec<Receipt> = pool[..BATCH].to_vec();
        g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
            b.iter(|| f.ledger.append_batch(black_box(&batch)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("plain-sqlite", n), &n, |b, _| {
            b.iter(|| f.peer.lock().unwrap().insert_batch(black_box(&batch)))
        });
    }
    g.finish();
}

fn append_single(c: &mut Criterion) {
    let pool = pool();
    let mut g = c.benchmark_group("ledger-append-single");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1));
    for n in sizes() {
        let f = fixture(n, &pool);
        let r = pool[0].clone();
        g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
            b.iter(|| f.ledger.append(black_box(&r)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("plain-sqlite", n), &n, |b, _| {
            b.iter(|| f.peer.lock().unwrap().insert_batch([black_box(&r)]))
        });
    }
    g.finish();
}

fn run_threads(iters: u64, append: &(dyn Fn(Receipt) + Sync), pool: &[Receipt]) -> Duration {
    let per = iters.div_ceil(THREADS as u64);
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..THREADS as u64 {
            s.spawn(move || {
                for i in 0..per {
                    append(pool[((t * per + i) as usize) % pool.len()].clone());
                }
            });
        }
    });
    start.elapsed()
}

fn append_group(c: &mut Criterion) {
    let pool = pool();
    let mut g = c.benchmark_group("ledger-append-group");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1));
    for n in sizes() {
        let f = fixture(n, &pool);
        let gc = GroupCommitter::new(f.ledger.clone(), 4096).unwrap();
        g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
            b.iter_custom(|iters| {
                run_threads(
                    iters,
                    &|r| {
                        gc.append(r).unwrap();
                    },
                    &pool,
                )
            })
        });
        drop(gc);
        let pc = PeerCommitter::new(f.peer.clone());
        g.bench_with_input(BenchmarkId::new("plain-sqlite", n), &n, |b, _| {
            b.iter_custom(|iters| {
                run_threads(
                    iters,
                    &|r| {
                        pc.append(r);
                    },
                    &pool,
                )
            })
        });
    }
    g.finish();
}

fn prove(c: &mut Criterion) {
    let pool = pool();
    let mut g = c.benchmark_group("ledger-prove");
    for n in sizes() {
        let f = fixture(n, &pool);
        let size = f.ledger.size().unwrap();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        g.bench_with_input(BenchmarkId::new("inclusion", n), &n, |b, _| {
            b.iter(|| f.ledger.inclusion_proof(next() % size, size).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("consistency", n), &n, |b, _| {
            b.iter(|| {
                f.ledger
                    .consistency_proof(1 + next() % (size - 1), size)
                    .unwrap()
            })
        });
        g.bench_with_input(BenchmarkId::new("plain-sqlite-read", n), &n, |b, _| {
            b.iter(|| f.peer.lock().unwrap().read((next() % size) as i64))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("ledger-verify");
    for n in sizes() {
        let f = fixture(n, &pool);
        let size = f.ledger.size().unwrap();
        let root = f.ledger.root().unwrap();
        let idx = size / 3;
        let leaf: Hash = leaf_hash(&f.ledger.entry(idx).unwrap());
        let p = f.ledger.inclusion_proof(idx, size).unwrap();
        let old = size / 2 + 1;
        let old_root = f.ledger.root_at(old).unwrap();
        let cp = f.ledger.consistency_proof(old, size).unwrap();
        g.bench_with_input(BenchmarkId::new("inclusion", n), &n, |b, _| {
            b.iter(|| verify_inclusion(idx, size, black_box(&leaf), &p, &root).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("consistency", n), &n, |b, _| {
            b.iter(|| verify_consistency(old, size, black_box(&cp), &old_root, &root).unwrap())
        });
        // The peer of a verification: hashing the receipt once (what any integrity check costs).
        let data = f.ledger.entry(idx).unwrap();
        g.bench_with_input(BenchmarkId::new("sha256-of-receipt", n), &n, |b, _| {
            b.iter(|| leaf_hash(black_box(&data)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = append_batched, append_single, append_group, prove
}
criterion_main!(benches);
