//! The ledger beside its peer: the same receipts as plain SQLite inserts (same durability: WAL,
//! `synchronous = FULL`, one transaction per acknowledged write; one table
//! `entries(idx INTEGER PRIMARY KEY, data BLOB)`) without the Merkle tree.
//!
//! For every log size n (one log of each kind built once per size, then measured at ~n):
//! * `ledger-append-batched/<n>`: appends in transactions of 1,000.
//! * `ledger-append-single/<n>`: one durable transaction per append (one sync each).
//! * `ledger-append-group/<n>`: `LEDGER_BENCH_THREADS` (default 256) threads appending one
//!   receipt at a time, each waiting for its own durable acknowledgement: the ledger's
//!   `GroupCommitter` vs. the same group commit (same queue, same gathering rule) over plain
//!   SQLite.
//! * `ledger-prove/<n>`: inclusion and consistency proof generation, beside a plain SQLite
//!   point read of one receipt; `ledger-verify/<n>`: verification (no store), beside hashing
//!   the receipt once.
//! * printed to stderr: bytes on disk per entry (ledger vs. peer, WAL checkpointed) and the
//!   rate at which the log was built (transactions of 10,000).
//!
//! Sizes default to 10^3, 10^4, 10^5; the growth curve:
//! `LEDGER_BENCH_SIZES=1000,10000,100000,1000000,10000000 cargo bench -p causeway-benches
//! --bench ledger -- --warm-up-time 1 --measurement-time 3` (the 10^7 logs take a few minutes
//! to build and ~5 GB of disk). With `LEDGER_BENCH_DIR` set, the logs are kept there
//! (`ledger-<n>.db`, `peer-<n>.db`) and reused by later runs instead of being rebuilt.

use causeway::ledger::merkle::{leaf_hash, Hash};
use causeway::ledger::proof::{verify_consistency, verify_inclusion};
use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
use causeway::ledger::{GroupCommitter, LocalLedger};
use causeway::party::{Party, SecretKeys};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rusqlite::{params, Connection, OptionalExtension};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

const ORIGIN: &str = "bench.causeway/ledger";
const POOL: usize = 20_000;
const BATCH: usize = 1_000;
const BUILD_BATCH: usize = 10_000;

fn sizes() -> Vec<u64> {
    std::env::var("LEDGER_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000])
}

fn threads() -> usize {
    std::env::var("LEDGER_BENCH_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

/// A pool of distinct signed receipts (attestation events, 212 bytes); appends cycle
/// through it.
fn pool() -> Vec<Receipt> {
    let issuer = Party::from_keys(SecretKeys::from_seeds(&[1; 32], &[2; 32]));
    (0..POOL as u64)
        .map(|i| {
            let mut id = [0u8; 32];
            id[..8].copy_from_slice(&i.to_be_bytes());
            let ev = AttestationEvent {
                revocation_handle: id,
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
    fn open(path: &Path) -> Peer {
        let conn = Connection::open(path).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL) STRICT;",
        )
        .unwrap();
        let next = conn
            .query_row("SELECT max(idx) FROM entries", [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .optional()
            .unwrap()
            .flatten()
            .map_or(0, |m| m + 1);
        Peer { conn, next }
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

type PeerJob = (Receipt, mpsc::SyncSender<i64>);

struct PeerQueue {
    jobs: Mutex<(Vec<PeerJob>, bool)>,
    arrived: Condvar,
}

/// The same group commit as `GroupCommitter` (same queue and gathering rule: linger up to
/// 4 × 100 µs while the queue holds under half the previous round), over the peer.
struct PeerCommitter {
    q: Arc<PeerQueue>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl PeerCommitter {
    fn new(peer: Arc<Mutex<Peer>>, max_batch: usize) -> Self {
        let q = Arc::new(PeerQueue {
            jobs: Mutex::new((Vec::new(), false)),
            arrived: Condvar::new(),
        });
        let qq = q.clone();
        let handle = std::thread::spawn(move || {
            let mut last = 0usize;
            loop {
                let batch: Vec<PeerJob> = {
                    let mut g = qq.jobs.lock().unwrap();
                    while g.0.is_empty() && !g.1 {
                        g = qq.arrived.wait(g).unwrap();
                    }
                    if g.0.is_empty() {
                        return;
                    }
                    let mut lingers = 0;
                    while !g.1 && lingers < 4 && g.0.len() < max_batch && g.0.len() * 2 < last {
                        let before = g.0.len();
                        g = qq
                            .arrived
                            .wait_timeout(g, Duration::from_micros(100))
                            .unwrap()
                            .0;
                        lingers += 1;
                        if g.0.len() == before {
                            break;
                        }
                    }
                    let take = g.0.len().min(max_batch);
                    g.0.drain(..take).collect()
                };
                last = batch.len();
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
            q,
            handle: Some(handle),
        }
    }
    fn append(&self, r: Receipt) -> i64 {
        let (reply, rx) = mpsc::sync_channel(1);
        self.q.jobs.lock().unwrap().0.push((r, reply));
        self.q.arrived.notify_one();
        rx.recv().unwrap()
    }
}

impl Drop for PeerCommitter {
    fn drop(&mut self) {
        self.q.jobs.lock().unwrap().1 = true;
        self.q.arrived.notify_all();
        if let Some(h) = self.handle.take() {
            h.join().unwrap();
        }
    }
}

/// A ledger and a peer of `n` entries. Appends run on working copies that are restored (untimed)
/// from the `n`-entry originals whenever the next appends would take them past `n + window`,
/// so every append figure is for a log of between `n` and `n + window` entries. Logs of
/// 10^6 entries or more are appended to in place (a measurement adds less than `n`).
struct Fixture {
    _dir: Option<tempfile::TempDir>,
    n: u64,
    pristine: (PathBuf, PathBuf),
    work: (PathBuf, PathBuf),
    in_place: bool,
    ledger: Option<Arc<LocalLedger>>,
    peer: Option<Arc<Mutex<Peer>>>,
}

const IN_PLACE_FROM: u64 = 1_000_000;

fn remove_db(p: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut f = p.as_os_str().to_owned();
        f.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(f));
    }
}

impl Fixture {
    fn ledger(&self) -> &Arc<LocalLedger> {
        self.ledger.as_ref().unwrap()
    }
    fn peer(&self) -> &Arc<Mutex<Peer>> {
        self.peer.as_ref().unwrap()
    }
    fn sizes(&self) -> (u64, u64) {
        (
            self.ledger().size().unwrap(),
            self.peer().lock().unwrap().next as u64,
        )
    }
    /// Opens the working copies, restoring them from the originals first unless in place.
    fn restore(&mut self) {
        self.ledger = None;
        self.peer = None;
        if !self.in_place {
            for (from, to) in [
                (&self.pristine.0, &self.work.0),
                (&self.pristine.1, &self.work.1),
            ] {
                remove_db(to);
                std::fs::copy(from, to).unwrap();
                // Flushed now, so that no later (timed) sync pays for the copy.
                std::fs::File::open(to).unwrap().sync_all().unwrap();
            }
        }
        self.ledger = Some(Arc::new(LocalLedger::open(&self.work.0).unwrap()));
        self.peer = Some(Arc::new(Mutex::new(Peer::open(&self.work.1))));
    }
    /// Makes room for `k` more appends within `[n, n + window]`.
    fn room(&mut self, k: u64, window: u64) {
        let (l, p) = self.sizes();
        // (Logs appended to in place are never restored; they report how far they grew.)
        if !self.in_place && l.max(p) + k > self.n + window {
            self.restore();
        }
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

/// Builds (or, under `LEDGER_BENCH_DIR`, reuses) a ledger and a peer of n entries; prints
/// the build rate and the bytes on disk per entry.
fn fixture(n: u64, pool: &[Receipt]) -> Fixture {
    let (dir, base) = match std::env::var("LEDGER_BENCH_DIR") {
        Ok(d) => (None, PathBuf::from(d)),
        Err(_) => {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    };
    let ledger_path = base.join(format!("ledger-{n}.db"));
    let peer_path = base.join(format!("peer-{n}.db"));
    if !(ledger_path.exists() && peer_path.exists()) {
        remove_db(&ledger_path);
        remove_db(&peer_path);
        let ledger = LocalLedger::create(&ledger_path, ORIGIN, &log_key().public()).unwrap();
        let mut peer = Peer::open(&peer_path);
        let (mut tl, mut tp) = (Duration::ZERO, Duration::ZERO);
        let mut k = 0u64;
        while k < n {
            let m = (n - k).min(BUILD_BATCH as u64) as usize;
            let start = (k as usize) % pool.len();
            let batch: Vec<Receipt> = (0..m)
                .map(|i| pool[(start + i) % pool.len()].clone())
                .collect();
            let t = Instant::now();
            ledger.append_batch(&batch).unwrap();
            tl += t.elapsed();
            let t = Instant::now();
            peer.insert_batch(batch.iter());
            tp += t.elapsed();
            k += m as u64;
        }
        let (rl, rp) = (n as f64 / tl.as_secs_f64(), n as f64 / tp.as_secs_f64());
        eprintln!(
            "ledger-build/{n}: causeway {:.1} k/s, plain SQLite {:.1} k/s, peer/ours {:.2} (transactions of {BUILD_BATCH})",
            rl / 1e3,
            rp / 1e3,
            rp / rl
        );
    }
    // Both are closed here (the last connection checkpoints its WAL into the main file).
    let in_place = n >= IN_PLACE_FROM;
    let mut f = Fixture {
        _dir: dir,
        n,
        work: if in_place {
            (ledger_path.clone(), peer_path.clone())
        } else {
            (
                base.join(format!("work-ledger-{n}.db")),
                base.join(format!("work-peer-{n}.db")),
            )
        },
        pristine: (ledger_path, peer_path),
        in_place,
        ledger: None,
        peer: None,
    };
    let (lb, pb) = (file_bytes(&f.pristine.0), file_bytes(&f.pristine.1));
    f.restore();
    let (l, p) = f.sizes();
    let (lb, pb) = (lb as f64 / l as f64, pb as f64 / p as f64);
    eprintln!(
        "ledger-bytes-per-entry/{n}: causeway {lb:.1} B, plain SQLite {pb:.1} B, ours/peer {:.2} (receipt {} B; {l} entries)",
        lb / pb,
        pool[0].as_bytes().len()
    );
    f
}

/// `iters` appends in total from up to `threads()` threads, each waiting for its own
/// acknowledgement; the time from the moment all threads are ready until the last is
/// acknowledged.
fn run_threads(iters: u64, append: &(dyn Fn(Receipt) + Sync), pool: &[Receipt]) -> Duration {
    let next = AtomicU64::new(0);
    let t = (threads() as u64).min(iters).max(1);
    let ready = std::sync::Barrier::new(t as usize + 1);
    std::thread::scope(|s| {
        for _ in 0..t {
            s.spawn(|| {
                ready.wait();
                loop {
                    let i = next.fetch_add(1, Ordering::AcqRel);
                    if i >= iters {
                        break;
                    }
                    append(pool[(i as usize) % pool.len()].clone());
                }
            });
        }
        ready.wait();
        let start = Instant::now();
        // Every thread takes one index past the end as it leaves, after its last append.
        while next.load(Ordering::Acquire) < iters + t {
            std::thread::sleep(Duration::from_micros(100));
        }
        start.elapsed()
    })
}

/// Ours and the peer measured alternately, round after round (`rounds` rounds of `elems`
/// appends each), so that drift in the shared machine's disk and CPU load hits both alike:
/// prints both rates (total elements / total time) and the median per-round ratio.
fn paired(
    what: &str,
    n: u64,
    rounds: usize,
    elems: u64,
    f: &mut Fixture,
    ours: &mut dyn FnMut(&mut Fixture) -> Duration,
    peer: &mut dyn FnMut(&mut Fixture) -> Duration,
) {
    let (mut to, mut tp) = (Duration::ZERO, Duration::ZERO);
    let mut ratios = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let a = ours(f);
        let b = peer(f);
        to += a;
        tp += b;
        ratios.push(a.as_secs_f64() / b.as_secs_f64());
    }
    ratios.sort_by(|x, y| x.total_cmp(y));
    let total = (rounds as u64 * elems) as f64;
    let (ro, rp) = (total / to.as_secs_f64(), total / tp.as_secs_f64());
    eprintln!(
        "ledger-paired-{what}/{n}: causeway {ro:.0}/s, plain SQLite {rp:.0}/s, peer/ours {:.2} (median per-round {:.2}; {rounds} alternating rounds of {elems})",
        rp / ro,
        ratios.get(rounds / 2).copied().unwrap_or(f64::NAN)
    );
}

/// Group-commit measurements keep the log within `[n, n + max(n, GROUP_WINDOW)]`.
const GROUP_WINDOW: u64 = 16_384;

fn ledger(c: &mut Criterion) {
    let pool = pool();
    let batch: Vec<Receipt> = pool[..BATCH].to_vec();
    for n in sizes() {
        let mut f = fixture(n, &pool);
        let report = |what: &str, f: &Fixture| {
            let (l, p) = f.sizes();
            eprintln!(
                "{what}/{n}: measured on logs of {n} to {} entries; now {l} (ledger), {p} (peer)",
                if f.in_place { l.max(p) } else { 2 * n }
            )
        };

        let mut g = c.benchmark_group("ledger-append-batched");
        g.sample_size(10);
        g.throughput(Throughput::Elements(BATCH as u64));
        g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
            b.iter_custom(|iters| {
                let mut t = Duration::ZERO;
                for _ in 0..iters {
                    f.room(BATCH as u64, n);
                    let s = Instant::now();
                    f.ledger().append_batch(black_box(&batch)).unwrap();
                    t += s.elapsed();
                }
                t
            })
        });
        g.bench_with_input(BenchmarkId::new("plain-sqlite", n), &n, |b, _| {
            b.iter_custom(|iters| {
                let mut t = Duration::ZERO;
                for _ in 0..iters {
                    f.room(BATCH as u64, n);
                    let mut p = f.peer().lock().unwrap();
                    let s = Instant::now();
                    p.insert_batch(black_box(&batch));
                    t += s.elapsed();
                }
                t
            })
        });
        g.finish();
        report("ledger-append-batched", &f);

        let mut g = c.benchmark_group("ledger-append-single");
        g.sample_size(10);
        g.throughput(Throughput::Elements(1));
        let r = pool[0].clone();
        g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
            b.iter_custom(|iters| {
                let mut t = Duration::ZERO;
                for _ in 0..iters {
                    f.room(1, n);
                    let s = Instant::now();
                    f.ledger().append(black_box(&r)).unwrap();
                    t += s.elapsed();
                }
                t
            })
        });
        g.bench_with_input(BenchmarkId::new("plain-sqlite", n), &n, |b, _| {
            b.iter_custom(|iters| {
                let mut t = Duration::ZERO;
                for _ in 0..iters {
                    f.room(1, n);
                    let mut p = f.peer().lock().unwrap();
                    let s = Instant::now();
                    p.insert_batch([black_box(&r)]);
                    t += s.elapsed();
                }
                t
            })
        });
        g.finish();
        report("ledger-append-single", &f);

        let window = n.max(GROUP_WINDOW);
        let mut g = c.benchmark_group("ledger-append-group");
        g.sample_size(10);
        g.throughput(Throughput::Elements(1));
        g.bench_with_input(BenchmarkId::new("causeway", n), &n, |b, _| {
            b.iter_custom(|iters| {
                let mut t = Duration::ZERO;
                let mut left = iters;
                while left > 0 {
                    let chunk = left.min(window);
                    f.room(chunk, window);
                    let gc = GroupCommitter::new(f.ledger().clone(), 4096).unwrap();
                    t += run_threads(
                        chunk,
                        &|r| {
                            gc.append(r).unwrap();
                        },
                        &pool,
                    );
                    drop(gc);
                    left -= chunk;
                }
                t
            })
        });
        g.bench_with_input(BenchmarkId::new("plain-sqlite", n), &n, |b, _| {
            b.iter_custom(|iters| {
                let mut t = Duration::ZERO;
                let mut left = iters;
                while left > 0 {
                    let chunk = left.min(window);
                    f.room(chunk, window);
                    let pc = PeerCommitter::new(f.peer().clone(), 4096);
                    t += run_threads(
                        chunk,
                        &|r| {
                            pc.append(r);
                        },
                        &pool,
                    );
                    drop(pc);
                    left -= chunk;
                }
                t
            })
        });
        g.finish();
        let (l, p) = f.sizes();
        eprintln!(
            "ledger-append-group/{n}: measured on logs of {n} to {} entries; now {l} (ledger), {p} (peer); {} threads",
            if f.in_place { l.max(p) } else { n + window },
            threads()
        );

        paired(
            "batched",
            n,
            20,
            BATCH as u64,
            &mut f,
            &mut |f| {
                f.room(BATCH as u64, n);
                let s = Instant::now();
                f.ledger().append_batch(&batch).unwrap();
                s.elapsed()
            },
            &mut |f| {
                f.room(BATCH as u64, n);
                let mut p = f.peer().lock().unwrap();
                let s = Instant::now();
                p.insert_batch(&batch);
                s.elapsed()
            },
        );
        paired(
            "single",
            n,
            60,
            5,
            &mut f,
            &mut |f| {
                f.room(5, n);
                let s = Instant::now();
                for _ in 0..5 {
                    f.ledger().append(&r).unwrap();
                }
                s.elapsed()
            },
            &mut |f| {
                f.room(5, n);
                let mut p = f.peer().lock().unwrap();
                let s = Instant::now();
                for _ in 0..5 {
                    p.insert_batch([&r]);
                }
                s.elapsed()
            },
        );
        let chunk = 4096.min(window);
        paired(
            "group",
            n,
            8,
            chunk,
            &mut f,
            &mut |f| {
                f.room(chunk, window);
                let gc = GroupCommitter::new(f.ledger().clone(), 4096).unwrap();
                run_threads(
                    chunk,
                    &|r| {
                        gc.append(r).unwrap();
                    },
                    &pool,
                )
            },
            &mut |f| {
                f.room(chunk, window);
                let pc = PeerCommitter::new(f.peer().clone(), 4096);
                run_threads(
                    chunk,
                    &|r| {
                        pc.append(r);
                    },
                    &pool,
                )
            },
        );

        // Proofs on the n-entry logs (logs of 10^6 or more: as the appends left them).
        if !f.in_place {
            f.restore();
        }
        let ledger = f.ledger().clone();
        let peer = f.peer().clone();
        let (size, peer_size) = f.sizes();
        eprintln!("ledger-prove/{n}: proofs in the tree of {size} entries");
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut g = c.benchmark_group("ledger-prove");
        // First with the top-of-tree cache as a fresh handle has it (filled by proofs as they
        // go), then after `warm_cache` (what a long-running service does once).
        g.bench_with_input(BenchmarkId::new("inclusion-fresh-handle", n), &n, |b, _| {
            b.iter(|| ledger.inclusion_proof(next() % size, size).unwrap())
        });
        let s = Instant::now();
        let cached = ledger.warm_cache().unwrap();
        eprintln!(
            "ledger-warm-cache/{n}: {cached} hashes in {:.1} ms",
            s.elapsed().as_secs_f64() * 1e3
        );
        g.bench_with_input(BenchmarkId::new("inclusion", n), &n, |b, _| {
            b.iter(|| ledger.inclusion_proof(next() % size, size).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("consistency", n), &n, |b, _| {
            b.iter(|| {
                ledger
                    .consistency_proof(1 + next() % (size - 1), size)
                    .unwrap()
            })
        });
        g.bench_with_input(BenchmarkId::new("plain-sqlite-read", n), &n, |b, _| {
            b.iter(|| peer.lock().unwrap().read((next() % peer_size) as i64))
        });
        g.finish();

        let mut g = c.benchmark_group("ledger-verify");
        let root = ledger.root().unwrap();
        let idx = size / 3;
        let data = ledger.entry(idx).unwrap();
        let leaf: Hash = leaf_hash(&data);
        let p = ledger.inclusion_proof(idx, size).unwrap();
        let old = size / 2 + 1;
        let old_root = ledger.root_at(old).unwrap();
        let cp = ledger.consistency_proof(old, size).unwrap();
        g.bench_with_input(BenchmarkId::new("inclusion", n), &n, |b, _| {
            b.iter(|| verify_inclusion(idx, size, black_box(&leaf), &p, &root).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("consistency", n), &n, |b, _| {
            b.iter(|| verify_consistency(old, size, black_box(&cp), &old_root, &root).unwrap())
        });
        // The peer of a verification: hashing the receipt once (what any integrity check costs).
        g.bench_with_input(BenchmarkId::new("sha256-of-receipt", n), &n, |b, _| {
            b.iter(|| leaf_hash(black_box(&data)))
        });
        g.finish();
        drop((ledger, peer));
        drop(f);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = ledger
}
criterion_main!(benches);
