//! `LocalLedger`: the log in an embedded SQLite database (WAL mode, `synchronous = FULL`).
//!
//! * Every append (single or batch) is one transaction; it is acknowledged only after
//!   `COMMIT` returned, i.e. after SQLite synced the write-ahead log. A crash leaves a committed
//!   prefix of the log.
//! * Any write, commit or sync error puts the ledger in a failed state: it refuses every later
//!   write ([`LedgerError::FailedClosed`]) and never retries. Reopening recovers the durable
//!   prefix ("fsyncgate": a failed fsync may have dropped dirty pages, so nothing written
//!   before it can be trusted to be durable without a fresh open).
//! * The store keeps each entry's bytes and the hash of every perfect subtree of level >= 1
//!   (`(level, index)` covers leaves `[index << level, (index + 1) << level)`), stored in the
//!   row of the entry that completes it (leaf `((index + 1) << level) - 1`): one row per entry,
//!   about one extra 32-byte hash per entry, no second index to maintain. Any subtree hash,
//!   hence any proof, reads `O(log n)` rows; in memory the ledger holds only the right edge of
//!   the tree (`O(log n)` hashes).
//! * [`GroupCommitter`] batches individually acknowledged appends from many threads into one
//!   transaction per round (group commit).
//!
//! Schema (format 1): `meta(key, value)`, `entries(idx, data, nodes = hashes of the subtrees
//! of levels 1, 2, ... this entry completes)`, `checkpoints(size, note)`,
//! `revocations(seq, idx, attestation, issuer, head)`.

use super::checkpoint::Checkpoint;
use super::merkle::{empty_root, leaf_hash, Frontier, Hash};
use super::proof::{consistency_proof, inclusion_proof, perfect_parts, subtree_hash, NodeSource};
use super::receipt::{Event, Receipt};
use super::revocation::{
    chain_step, RevocationEntry, RevocationProof, RevokedEvidence, EMPTY_HEAD, MAX_REVOCATIONS,
};
use crate::error::{LedgerError, LogVerifyError};
use crate::party::{PublicKeys, SecretKeys};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard};

/// The store's format version (`meta.format`).
pub const FORMAT: &str = "1";
/// Most receipts in one batch append.
pub const MAX_BATCH: usize = 1 << 20;
/// Largest log this store addresses.
pub const MAX_SIZE: u64 = 1 << 62;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL,
    nodes BLOB NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS revocations(seq INTEGER PRIMARY KEY, idx INTEGER NOT NULL,
    attestation BLOB NOT NULL, issuer BLOB NOT NULL, head BLOB NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS revocations_by_attestation ON revocations(attestation);
";

fn sql_err(e: rusqlite::Error) -> LedgerError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase) => {
            LedgerError::Corrupt("database file")
        }
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            LedgerError::InUse
        }
        _ => LedgerError::Storage(e.to_string()),
    }
}

fn to_i64(v: u64) -> Result<i64, LedgerError> {
    i64::try_from(v).map_err(|_| LedgerError::TooLarge {
        what: "index",
        len: v,
        max: i64::MAX as u64,
    })
}

fn to_u64(v: i64) -> Result<u64, LedgerError> {
    u64::try_from(v).map_err(|_| LedgerError::Corrupt("negative index"))
}

/// The entry whose row holds perfect subtree `(level, index)`: the last leaf it covers.
fn node_row(level: u32, index: u64) -> Result<i64, LedgerError> {
    index
        .checked_add(1)
        .and_then(|i| i.checked_shl(level))
        .filter(|&end| end >> level == index + 1 && end <= MAX_SIZE)
        .map(|end| end - 1)
        .ok_or(LedgerError::Corrupt("node coordinates"))
        .and_then(to_i64)
}

/// The subtree hashes leaf `idx` completes, as stored: levels 1, 2, ... concatenated.
fn node_blob(nodes: &[(u32, u64, Hash)]) -> Vec<u8> {
    let mut b = Vec::with_capacity(32 * nodes.len());
    for (_, _, h) in nodes {
        b.extend_from_slice(h);
    }
    b
}

fn hash_from_blob(b: Vec<u8>) -> Result<Hash, LedgerError> {
    b.try_into()
        .map_err(|_| LedgerError::Corrupt("stored hash length"))
}

/// A fault to inject into the next write (feature `fault-injection`, for tests only).
#[cfg(feature = "fault-injection")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The next write fails before `COMMIT` (as a failed `write()` would).
    Write,
    /// The next `COMMIT` reaches the disk but then reports an error (as a failed `fsync()`
    /// would: the outcome is unknown to the caller).
    Sync,
}

struct Inner {
    conn: Connection,
    frontier: Frontier,
    rev_count: u64,
    rev_head: Hash,
    failed: bool,
    top: TopCache,
    #[cfg(feature = "fault-injection")]
    fault: Option<Fault>,
}

impl Inner {
    fn store(&mut self) -> Store<'_> {
        Store::new(&self.conn, &self.frontier, &mut self.top)
    }
}

/// Most perfect-subtree hashes the top-of-tree cache holds (about 3 MiB at most).
const TOP_CACHE_CAP: usize = 1 << 16;

/// A bounded cache of the hashes of the tree's highest perfect subtrees: every subtree of
/// level >= `min_level`, where `min_level` grows with the log so that there are at most
/// `TOP_CACHE_CAP` of them (fewer than `2 * (size >> min_level)`). Proofs then read only the
/// `min_level` lowest levels from the database. Perfect subtrees never change once committed,
/// so entries are never stale; only hashes read from, or committed to, the database go in.
#[derive(Default)]
struct TopCache {
    min_level: u32,
    map: std::collections::HashMap<(u32, u64), Hash>,
}

impl TopCache {
    /// Raises `min_level` (dropping lower entries) so that a log of `size` entries fits.
    fn fit(&mut self, size: u64) {
        let mut level = self.min_level.max(1);
        while level < 63 && (size >> level) > (TOP_CACHE_CAP / 2) as u64 {
            level += 1;
        }
        if level != self.min_level {
            self.min_level = level;
            self.map.retain(|k, _| k.0 >= level);
        }
    }

    fn get(&self, level: u32, index: u64) -> Option<Hash> {
        self.map.get(&(level, index)).copied()
    }

    fn insert(&mut self, level: u32, index: u64, h: &Hash) {
        if level >= self.min_level && self.map.len() < TOP_CACHE_CAP {
            self.map.insert((level, index), *h);
        }
    }
}

/// Reads perfect subtrees from the store, with the in-memory right edge and the top-of-tree
/// cache as shortcuts; [`NodeSource::prefetch`] reads the rows a proof needs up front, each row
/// once, in index order.
struct Store<'a> {
    conn: &'a Connection,
    frontier: &'a Frontier,
    top: &'a mut TopCache,
    fetched: Vec<((u32, u64), Hash)>,
}

impl<'a> Store<'a> {
    fn new(conn: &'a Connection, frontier: &'a Frontier, top: &'a mut TopCache) -> Self {
        Store {
            conn,
            frontier,
            top,
            fetched: Vec::new(),
        }
    }

    /// The row that holds perfect subtree `(level, index)`.
    fn row(level: u32, index: u64) -> Result<i64, LedgerError> {
        if level == 0 {
            to_i64(index)
        } else {
            node_row(level, index)
        }
    }

    /// The hash of `(level, index)` from its row's `data` (a leaf) or `nodes` (level >= 1).
    fn from_row(level: u32, data: &[u8], nodes: &[u8]) -> Result<Hash, LedgerError> {
        if level == 0 {
            return Ok(leaf_hash(data));
        }
        let at = (level as usize - 1) * 32;
        nodes
            .get(at..at + 32)
            .ok_or(LedgerError::Corrupt("missing node"))
            .and_then(|h| hash_from_blob(h.to_vec()))
    }
}

impl NodeSource for Store<'_> {
    fn perfect(&mut self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        if let Some(h) = self.frontier.get(level, index) {
            return Ok(h);
        }
        if let Some(h) = self.top.get(level, index) {
            return Ok(h);
        }
        if let Some((_, h)) = self.fetched.iter().find(|(k, _)| *k == (level, index)) {
            return Ok(*h);
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT data, nodes FROM entries WHERE idx = ?1")
            .map_err(sql_err)?;
        let h = st
            .query_row([Self::row(level, index)?], |r| {
                let data = r.get_ref(0)?.as_blob()?;
                let nodes = r.get_ref(1)?.as_blob()?;
                Ok(Self::from_row(level, data, nodes))
            })
            .optional()
            .map_err(sql_err)?
            .ok_or(LedgerError::Corrupt("missing entry"))??;
        self.top.insert(level, index, &h);
        Ok(h)
    }

    fn prefetch(&mut self, nodes: &[(u32, u64)]) -> Result<(), LedgerError> {
        let mut want: Vec<(i64, u32, u64)> = Vec::with_capacity(nodes.len());
        for &(level, index) in nodes {
            if self.frontier.get(level, index).is_none() && self.top.get(level, index).is_none() {
                want.push((Self::row(level, index)?, level, index));
            }
        }
        want.sort_unstable();
        want.dedup();
        let mut st = self
            .conn
            .prepare_cached("SELECT data, nodes FROM entries WHERE idx = ?1")
            .map_err(sql_err)?;
        let mut w = 0;
        while let Some(&(row, _, _)) = want.get(w) {
            let mut rows = st.query([row]).map_err(sql_err)?;
            let r = rows
                .next()
                .map_err(sql_err)?
                .ok_or(LedgerError::Corrupt("missing entry"))?;
            let data = r
                .get_ref(0)
                .and_then(|v| Ok(v.as_blob()?))
                .map_err(sql_err)?;
            let blob = r
                .get_ref(1)
                .and_then(|v| Ok(v.as_blob()?))
                .map_err(sql_err)?;
            // Every wanted subtree stored in this row.
            while let Some(&(_, level, index)) = want.get(w).filter(|x| x.0 == row) {
                let h = Self::from_row(level, data, blob)?;
                self.top.insert(level, index, &h);
                self.fetched.push(((level, index), h));
                w += 1;
            }
        }
        Ok(())
    }
}

/// What [`LocalLedger::audit`] checked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditReport {
    /// Entries replayed (every receipt's signature verified).
    pub entries: u64,
    /// Stored subtree hashes compared with the recomputed ones.
    pub nodes: u64,
    /// Checkpoints whose signature, root and revocation line were checked.
    pub checkpoints: u64,
    /// Attestation revocations in the log.
    pub revocations: u64,
    /// The root of the whole log.
    pub root: Hash,
}

/// An append-only Merkle log of receipts in a SQLite database.
pub struct LocalLedger {
    inner: Mutex<Inner>,
    origin: String,
    log_key: PublicKeys,
    path: PathBuf,
}

impl std::fmt::Debug for LocalLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalLedger")
            .field("origin", &self.origin)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn configure(conn: &Connection) -> Result<(), LedgerError> {
    // One process owns an open ledger (as RocksDB or LMDB writers do): its locks are taken once
    // and held, so reads and commits make no lock system calls, the WAL index lives in heap
    // memory, and a second process cannot open the ledger while it is open (SQLITE_BUSY).
    // See docs/decisions (ledger storage). Durability is unchanged: `synchronous = FULL`.
    conn.busy_timeout(std::time::Duration::from_secs(2))
        .map_err(sql_err)?;
    let lock: String = conn
        .query_row("PRAGMA locking_mode = EXCLUSIVE", [], |r| r.get(0))
        .map_err(sql_err)?;
    if !lock.eq_ignore_ascii_case("exclusive") {
        return Err(LedgerError::Storage("could not lock the ledger".into()));
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(sql_err)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(LedgerError::Storage("could not enable WAL mode".into()));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;")
        .map_err(sql_err)?;
    Ok(())
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>, LedgerError> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(sql_err)
}

impl LocalLedger {
    /// Creates a new, empty ledger at `path` for the log `origin`, whose checkpoints will be
    /// signed by `log_key`. Refuses an existing, non-empty file.
    pub fn create(path: &Path, origin: &str, log_key: &PublicKeys) -> Result<Self, LedgerError> {
        // The same rules as a receipt's origin and a checkpoint's first line.
        if origin.is_empty()
            || origin.len() > super::receipt::MAX_ORIGIN
            || origin.contains('+')
            || origin.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(LedgerError::InvalidValue(
                "origin must be 1..=255 bytes without spaces, '+' or control characters",
            ));
        }
        if std::fs::metadata(path).is_ok() {
            return Err(LedgerError::Location(
                "a ledger already exists at this path",
            ));
        }
        // Built under a temporary name and renamed into place, so a crash during creation never
        // leaves a half-initialised ledger at `path`.
        let mut tmp_name = path.as_os_str().to_owned();
        tmp_name.push(".creating");
        let tmp = PathBuf::from(tmp_name);
        for suffix in ["", "-wal", "-shm"] {
            let mut p = tmp.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        let conn = Connection::open_with_flags(
            &tmp,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql_err)?;
        configure(&conn)?;
        conn.execute_batch(&format!("BEGIN IMMEDIATE; {SCHEMA}"))
            .map_err(sql_err)?;
        let init = (|| {
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('format', ?1), ('origin', ?2), ('log_key', ?3)",
                params![FORMAT, origin, log_key.to_text()],
            )?;
            conn.execute_batch("COMMIT")
        })();
        if let Err(e) = init {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(sql_err(e));
        }
        // Closing the only connection checkpoints the WAL into the main file.
        conn.close().map_err(|(_, e)| sql_err(e))?;
        let io =
            |_: std::io::Error| LedgerError::Storage("could not create the ledger file".into());
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        if std::fs::metadata(path).is_ok() {
            return Err(LedgerError::Location(
                "a ledger already exists at this path",
            ));
        }
        std::fs::rename(&tmp, path).map_err(io)?;
        if let Some(dir) = path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::File::open(dir)
                .and_then(|f| f.sync_all())
                .map_err(io)?;
        }
        Self::open(path)
    }

    /// Opens an existing ledger and checks its structure: the right edge of the tree is present,
    /// and the latest checkpoint matches the stored tree (`O(log n)` work; a full check is
    /// [`LocalLedger::audit`]).
    pub fn open(path: &Path) -> Result<Self, LedgerError> {
        if !path.exists() {
            return Err(LedgerError::Location("no ledger at this path"));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql_err)?;
        configure(&conn)?;
        if meta(&conn, "format")?.as_deref() != Some(FORMAT) {
            return Err(LedgerError::Corrupt("not a ledger of a supported format"));
        }
        let origin = meta(&conn, "origin")?.ok_or(LedgerError::Corrupt("no origin"))?;
        let log_key = meta(&conn, "log_key")?
            .ok_or(LedgerError::Corrupt("no log key"))
            .and_then(|t| PublicKeys::from_text(&t).map_err(|_| LedgerError::Corrupt("log key")))?;
        let size = conn
            .query_row("SELECT max(idx) FROM entries", [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .map_err(sql_err)?
            .map(|m| to_u64(m).map(|m| m + 1))
            .transpose()?
            .unwrap_or(0);
        if size > MAX_SIZE {
            return Err(LedgerError::Corrupt("log size"));
        }
        let mut frontier = Frontier::new();
        let mut top = TopCache::default();
        top.fit(size);
        {
            let mut nodes = Vec::new();
            let empty = Frontier::new();
            let mut store = Store::new(&conn, &empty, &mut top);
            let edge: Vec<(u32, u64)> = Frontier::coordinates(size).collect();
            store.prefetch(&edge)?;
            for (level, index) in edge {
                nodes.push(store.perfect(level, index)?);
            }
            if size > 0 {
                frontier =
                    Frontier::from_parts(size, nodes).ok_or(LedgerError::Corrupt("right edge"))?;
            }
        }
        let (rev_count, rev_head) = match conn
            .query_row(
                "SELECT seq, head FROM revocations ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)),
            )
            .optional()
            .map_err(sql_err)?
        {
            None => (0, EMPTY_HEAD),
            Some((seq, head)) => (to_u64(seq)? + 1, hash_from_blob(head)?),
        };
        let ledger = LocalLedger {
            inner: Mutex::new(Inner {
                conn,
                frontier,
                rev_count,
                rev_head,
                failed: false,
                top,
                #[cfg(feature = "fault-injection")]
                fault: None,
            }),
            origin,
            log_key,
            path: path.to_path_buf(),
        };
        ledger.check_latest_checkpoint()?;
        Ok(ledger)
    }

    fn check_latest_checkpoint(&self) -> Result<(), LedgerError> {
        let mut g = self.lock()?;
        let last: Option<(i64, String)> = g
            .conn
            .query_row(
                "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(sql_err)?;
        let Some((size, note)) = last else {
            return Ok(());
        };
        let size = to_u64(size)?;
        if size > g.frontier.size() {
            return Err(LedgerError::Corrupt(
                "the log is shorter than a checkpoint it signed",
            ));
        }
        let cp = Checkpoint::open(&note, &self.origin, &self.log_key)
            .map_err(|_| LedgerError::Corrupt("stored checkpoint does not verify"))?;
        if cp.size != size || Self::root_at_locked(&mut g, size)? != cp.root {
            return Err(LedgerError::Corrupt(
                "the stored tree does not match its latest checkpoint",
            ));
        }
        Ok(())
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, LedgerError> {
        // A panic while holding the lock cannot leave a half-applied append (SQLite rolls back
        // the open transaction), but fail closed anyway.
        self.inner.lock().map_err(|_| LedgerError::FailedClosed)
    }

    /// The log's origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The key that signs this log's checkpoints.
    pub fn log_key(&self) -> &PublicKeys {
        &self.log_key
    }

    /// The database path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the ledger has failed closed.
    pub fn is_failed(&self) -> bool {
        self.inner.lock().map(|g| g.failed).unwrap_or(true)
    }

    /// The number of entries.
    pub fn size(&self) -> Result<u64, LedgerError> {
        Ok(self.lock()?.frontier.size())
    }

    /// The root of the whole log.
    pub fn root(&self) -> Result<Hash, LedgerError> {
        Ok(self.lock()?.frontier.root())
    }

    fn root_at_locked(g: &mut Inner, size: u64) -> Result<Hash, LedgerError> {
        if size > g.frontier.size() {
            return Err(LedgerError::OutOfRange {
                index: size,
                size: g.frontier.size(),
            });
        }
        if size == 0 {
            return Ok(empty_root());
        }
        let mut store = g.store();
        let mut parts = Vec::new();
        perfect_parts(0, size, &mut parts)?;
        store.prefetch(&parts)?;
        subtree_hash(&mut store, 0, size)
    }

    /// The root of the tree of the first `size` entries.
    pub fn root_at(&self, size: u64) -> Result<Hash, LedgerError> {
        Self::root_at_locked(&mut *self.lock()?, size)
    }

    /// Appends one receipt durably; returns its index once it is committed.
    pub fn append(&self, receipt: &Receipt) -> Result<u64, LedgerError> {
        self.append_hashed(&[receipt], None)
    }

    /// Appends receipts in one durable transaction; returns the index of the first.
    pub fn append_batch(&self, receipts: &[Receipt]) -> Result<u64, LedgerError> {
        // (Hashing on a rayon pool was tried and dropped: on a loaded 2-core machine, waiting
        // for the pool's threads to be scheduled cost more than the ~0.4 µs per receipt saved.)
        let refs: Vec<&Receipt> = receipts.iter().collect();
        self.append_hashed(&refs, None)
    }

    /// Appends `receipts` in one transaction; `leaves`, when given, are their leaf hashes
    /// (computed by the caller, e.g. in parallel by the threads of a group commit).
    fn append_hashed(
        &self,
        receipts: &[&Receipt],
        leaves: Option<&[Hash]>,
    ) -> Result<u64, LedgerError> {
        if leaves.is_some_and(|l| l.len() != receipts.len()) {
            return Err(LedgerError::InvalidValue("one leaf hash per receipt"));
        }
        if receipts.len() > MAX_BATCH {
            return Err(LedgerError::TooLarge {
                what: "batch",
                len: receipts.len() as u64,
                max: MAX_BATCH as u64,
            });
        }
        if receipts.iter().any(|r| r.origin() != self.origin) {
            return Err(LedgerError::WrongOrigin);
        }
        let mut g = self.lock()?;
        if g.failed {
            return Err(LedgerError::FailedClosed);
        }
        let first = g.frontier.size();
        if first.saturating_add(receipts.len() as u64) > MAX_SIZE {
            return Err(LedgerError::TooLarge {
                what: "log",
                len: first.saturating_add(receipts.len() as u64),
                max: MAX_SIZE,
            });
        }
        match Self::write_batch(&mut g, receipts, leaves) {
            Ok((frontier, rev_count, rev_head, high)) => {
                g.frontier = frontier;
                g.rev_count = rev_count;
                g.rev_head = rev_head;
                let size = g.frontier.size();
                g.top.fit(size);
                for (l, i, h) in &high {
                    g.top.insert(*l, *i, h);
                }
                Ok(first)
            }
            Err(e) => {
                g.failed = true;
                Err(e)
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn write_batch(
        g: &mut Inner,
        receipts: &[&Receipt],
        leaves: Option<&[Hash]>,
    ) -> Result<(Frontier, u64, Hash, Vec<(u32, u64, Hash)>), LedgerError> {
        let mut frontier = g.frontier.clone();
        // Subtrees this batch completes that belong in the top-of-tree cache (once committed).
        let min_cached = g.top.min_level;
        let mut high: Vec<(u32, u64, Hash)> = Vec::new();
        let (mut rev_count, mut rev_head) = (g.rev_count, g.rev_head);
        #[cfg(feature = "fault-injection")]
        let fault = g.fault.take();
        let tx = g
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_err)?;
        {
            let mut ins_entry = tx
                .prepare_cached("INSERT INTO entries(idx, data, nodes) VALUES (?1, ?2, ?3)")
                .map_err(sql_err)?;
            // Levels 1..=63 at most: the hashes this entry completes, concatenated.
            let mut blob = [0u8; 32 * 63];
            for (n, r) in receipts.iter().enumerate() {
                let idx = frontier.size();
                let leaf = match leaves.and_then(|l| l.get(n)) {
                    Some(h) => *h,
                    None => r.leaf_hash(),
                };
                let mut len = 0usize;
                frontier.push(leaf, |l, i, h| {
                    if let Some(dst) = blob.get_mut(len..len + 32) {
                        dst.copy_from_slice(h);
                        len += 32;
                    }
                    if l >= min_cached {
                        high.push((l, i, *h));
                    }
                });
                ins_entry
                    .execute(params![
                        to_i64(idx)?,
                        r.as_bytes(),
                        blob.get(..len).unwrap_or(&[])
                    ])
                    .map_err(sql_err)?;
                if let Event::AttestationRevoked(a) = r.event() {
                    rev_head = chain_step(&rev_head, idx, &a.revocation_handle, &a.issuer);
                    tx.prepare_cached(
                        "INSERT INTO revocations(seq, idx, attestation, issuer, head) VALUES (?1, ?2, ?3, ?4, ?5)",
                    )
                    .and_then(|mut st| {
                        st.execute(params![
                            to_i64(rev_count).unwrap_or(i64::MAX),
                            to_i64(idx).unwrap_or(i64::MAX),
                            &a.revocation_handle[..],
                            &a.issuer.as_bytes()[..],
                            &rev_head[..]
                        ])
                    })
                    .map_err(sql_err)?;
                    rev_count += 1;
                }
            }
        }
        #[cfg(feature = "fault-injection")]
        if fault == Some(Fault::Write) {
            return Err(LedgerError::Storage("injected write error".into()));
        }
        tx.commit().map_err(sql_err)?;
        #[cfg(feature = "fault-injection")]
        if fault == Some(Fault::Sync) {
            return Err(LedgerError::Storage("injected sync error".into()));
        }
        Ok((frontier, rev_count, rev_head, high))
    }

    /// Makes the next write fail (feature `fault-injection`; tests only).
    #[cfg(feature = "fault-injection")]
    pub fn inject_fault(&self, fault: Fault) -> Result<(), LedgerError> {
        self.lock()?.fault = Some(fault);
        Ok(())
    }

    /// Caps the database at `pages` pages so that growing it fails with `SQLITE_FULL`, as a
    /// full disk would (feature `fault-injection`; tests only).
    #[cfg(feature = "fault-injection")]
    pub fn limit_pages(&self, pages: u64) -> Result<(), LedgerError> {
        let g = self.lock()?;
        let _: i64 = g
            .conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
                r.get(0)
            })
            .map_err(sql_err)?;
        Ok(())
    }

    /// The canonical bytes of entry `index`.
    pub fn entry(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        let g = self.lock()?;
        if index >= g.frontier.size() {
            return Err(LedgerError::OutOfRange {
                index,
                size: g.frontier.size(),
            });
        }
        let mut st = g
            .conn
            .prepare_cached("SELECT data FROM entries WHERE idx = ?1")
            .map_err(sql_err)?;
        st.query_row([to_i64(index)?], |r| r.get(0))
            .optional()
            .map_err(sql_err)?
            .ok_or(LedgerError::Corrupt("missing entry"))
    }

    /// Entry `index` as a verified receipt.
    pub fn receipt(&self, index: u64) -> Result<Receipt, LedgerError> {
        Receipt::from_bytes(&self.entry(index)?)
    }

    /// Reads the top of the tree into the bounded top-of-tree cache: every perfect subtree of
    /// level >= the cache's floor, from at most 2^15 rows whatever the log size (~0.1-1 s on
    /// a cold 10^7-entry file). Optional: proofs fill the cache as they go; a long-running
    /// service calls this once after opening so that its proofs read only the few lowest
    /// levels (at 10^7 entries, levels below 9) from the database. Returns the hashes cached.
    pub fn warm_cache(&self) -> Result<u64, LedgerError> {
        let mut g = self.lock()?;
        let size = g.frontier.size();
        g.top.fit(size);
        let Inner { conn, top, .. } = &mut *g;
        let floor = top.min_level;
        let step = 1u64
            .checked_shl(floor)
            .ok_or(LedgerError::Corrupt("cache level"))?;
        let mut st = conn
            .prepare_cached("SELECT nodes FROM entries WHERE idx = ?1")
            .map_err(sql_err)?;
        let mut cached = 0u64;
        // The row ending at `end` (a multiple of 2^floor) holds the subtrees of levels
        // 1..=trailing_zeros(end) that end there.
        let mut end = step;
        while end <= size {
            let top_level = end.trailing_zeros();
            let blob: Vec<u8> = st
                .query_row([to_i64(end - 1)?], |r| r.get(0))
                .optional()
                .map_err(sql_err)?
                .ok_or(LedgerError::Corrupt("missing entry"))?;
            for level in floor..=top_level {
                let h = Store::from_row(level, &[], &blob)?;
                top.insert(level, (end >> level) - 1, &h);
                cached += 1;
            }
            end += step;
        }
        Ok(cached)
    }

    /// The inclusion proof of entry `index` in the tree of the first `size` entries.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        let mut g = self.lock()?;
        if size > g.frontier.size() {
            return Err(LedgerError::OutOfRange {
                index: size,
                size: g.frontier.size(),
            });
        }
        inclusion_proof(&mut g.store(), index, size)
    }

    /// The consistency proof from the tree of `size1` entries to the tree of `size2`.
    pub fn consistency_proof(&self, size1: u64, size2: u64) -> Result<Vec<Hash>, LedgerError> {
        let mut g = self.lock()?;
        if size2 > g.frontier.size() {
            return Err(LedgerError::OutOfRange {
                index: size2,
                size: g.frontier.size(),
            });
        }
        consistency_proof(&mut g.store(), size1, size2)
    }

    /// Signs a checkpoint of the whole log with the log key (which must be the one the ledger
    /// was created with), stores it durably and returns the signed note.
    pub fn checkpoint(&self, keys: &SecretKeys) -> Result<String, LedgerError> {
        if keys.public() != self.log_key {
            return Err(LedgerError::WrongSigner);
        }
        let mut g = self.lock()?;
        if g.failed {
            return Err(LedgerError::FailedClosed);
        }
        let cp = Checkpoint {
            origin: self.origin.clone(),
            size: g.frontier.size(),
            root: g.frontier.root(),
            extensions: vec![Checkpoint::revocations_line(g.rev_count, &g.rev_head)],
        };
        let note = cp.sign(&self.origin, keys)?;
        let res = g
            .conn
            .execute(
                "INSERT OR IGNORE INTO checkpoints(size, note) VALUES (?1, ?2)",
                params![to_i64(cp.size)?, note],
            )
            .map_err(sql_err);
        if let Err(e) = res {
            g.failed = true;
            return Err(e);
        }
        Ok(note)
    }

    /// The stored checkpoint of exactly `size` entries, if one was signed.
    pub fn checkpoint_at(&self, size: u64) -> Result<Option<String>, LedgerError> {
        let g = self.lock()?;
        g.conn
            .query_row(
                "SELECT note FROM checkpoints WHERE size = ?1",
                [to_i64(size)?],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err)
    }

    /// The latest stored checkpoint, if any.
    pub fn latest_checkpoint(&self) -> Result<Option<String>, LedgerError> {
        let g = self.lock()?;
        g.conn
            .query_row(
                "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err)
    }

    /// Proves whether the attestation with `revocation_handle` by `issuer` is revoked as of the stored
    /// checkpoint of `size` entries (the latest checkpoint when `None`). See
    /// [`super::revocation`].
    pub fn revocation_proof(
        &self,
        revocation_handle: &[u8; 32],
        issuer: &crate::party::KeyId,
        size: Option<u64>,
    ) -> Result<RevocationProof, LedgerError> {
        let note = match size {
            Some(s) => self.checkpoint_at(s)?,
            None => self.latest_checkpoint()?,
        }
        .ok_or(LedgerError::Location("no checkpoint of that size"))?;
        let cp = Checkpoint::open(&note, &self.origin, &self.log_key)?;
        let mut g = self.lock()?;
        let mut st = g
            .conn
            .prepare_cached(
                "SELECT idx, attestation, issuer FROM revocations WHERE idx < ?1 ORDER BY seq",
            )
            .map_err(sql_err)?;
        let mut rows = st.query([to_i64(cp.size)?]).map_err(sql_err)?;
        let mut revocations = Vec::new();
        while let Some(row) = rows.next().map_err(sql_err)? {
            if revocations.len() >= MAX_REVOCATIONS {
                return Err(LedgerError::TooLarge {
                    what: "revocation list",
                    len: revocations.len() as u64,
                    max: MAX_REVOCATIONS as u64,
                });
            }
            let idx: i64 = row.get(0).map_err(sql_err)?;
            let a: Vec<u8> = row.get(1).map_err(sql_err)?;
            let i: Vec<u8> = row.get(2).map_err(sql_err)?;
            revocations.push(RevocationEntry {
                index: to_u64(idx)?,
                revocation_handle: hash_from_blob(a)?,
                issuer: crate::party::KeyId(
                    i.try_into()
                        .map_err(|_| LedgerError::Corrupt("stored key id"))?,
                ),
            });
        }
        drop(rows);
        drop(st);
        let hit = revocations
            .iter()
            .find(|e| &e.revocation_handle == revocation_handle && &e.issuer == issuer)
            .map(|e| e.index);
        let revoked = match hit {
            None => None,
            Some(index) => {
                let inclusion = inclusion_proof(&mut g.store(), index, cp.size)?;
                let receipt: Vec<u8> = g
                    .conn
                    .query_row(
                        "SELECT data FROM entries WHERE idx = ?1",
                        [to_i64(index)?],
                        |r| r.get(0),
                    )
                    .map_err(sql_err)?;
                Some(RevokedEvidence {
                    index,
                    receipt,
                    inclusion,
                })
            }
        };
        Ok(RevocationProof {
            checkpoint: note,
            revocations,
            revoked,
        })
    }

    /// Replays the whole log: checks that entries are contiguous, every receipt parses, is
    /// signed by the party it names and belongs to this log; recomputes every stored subtree
    /// hash and the revocation chain; and checks every stored checkpoint's signature (under
    /// `log_key`, or the key the ledger was created with) against the recomputed tree.
    /// Streams the log: memory stays `O(log n)`.
    pub fn audit(&self, log_key: Option<&PublicKeys>) -> Result<AuditReport, LedgerError> {
        let key = log_key.unwrap_or(&self.log_key);
        let g = self.lock()?;
        let size = g.frontier.size();
        let mut checkpoints_st = g
            .conn
            .prepare("SELECT size, note FROM checkpoints ORDER BY size")
            .map_err(sql_err)?;
        let mut cps = checkpoints_st.query([]).map_err(sql_err)?;
        let mut next_cp: Option<(u64, String)> = None;
        let advance = |cps: &mut rusqlite::Rows<'_>| -> Result<Option<(u64, String)>, LedgerError> {
            match cps.next().map_err(sql_err)? {
                None => Ok(None),
                Some(r) => Ok(Some((
                    to_u64(r.get(0).map_err(sql_err)?)?,
                    r.get(1).map_err(sql_err)?,
                ))),
            }
        };
        next_cp = next_cp.or(advance(&mut cps)?);
        let mut report = AuditReport {
            entries: 0,
            nodes: 0,
            checkpoints: 0,
            revocations: 0,
            root: empty_root(),
        };
        let mut rev_st = g
            .conn
            .prepare("SELECT idx, attestation, issuer, head FROM revocations WHERE seq = ?1")
            .map_err(sql_err)?;
        let mut entries_st = g
            .conn
            .prepare("SELECT idx, data, nodes FROM entries ORDER BY idx")
            .map_err(sql_err)?;
        let mut rows = entries_st.query([]).map_err(sql_err)?;
        let mut f = Frontier::new();
        let mut rev_head = EMPTY_HEAD;
        let mut rev_count = 0u64;
        let check_cp = |f: &Frontier,
                        rev_count: u64,
                        rev_head: &Hash,
                        next_cp: &mut Option<(u64, String)>,
                        report: &mut AuditReport,
                        cps: &mut rusqlite::Rows<'_>|
         -> Result<(), LedgerError> {
            while let Some((s, note)) = next_cp.as_ref() {
                if *s != f.size() {
                    break;
                }
                let cp = Checkpoint::open(note, &self.origin, key)?;
                if cp.size != *s || cp.root != f.root() {
                    return Err(LogVerifyError::Inconsistent.into());
                }
                if cp.revocations()? != Some((rev_count, *rev_head)) {
                    return Err(LogVerifyError::InvalidRevocationProof(
                        "checkpoint revocation line",
                    )
                    .into());
                }
                report.checkpoints += 1;
                *next_cp = advance(cps)?;
            }
            Ok(())
        };
        check_cp(
            &f,
            rev_count,
            &rev_head,
            &mut next_cp,
            &mut report,
            &mut cps,
        )?;
        while let Some(row) = rows.next().map_err(sql_err)? {
            let idx = to_u64(row.get(0).map_err(sql_err)?)?;
            if idx != f.size() {
                return Err(LedgerError::Corrupt("entries are not contiguous"));
            }
            let data: Vec<u8> = row.get(1).map_err(sql_err)?;
            let r = Receipt::from_bytes(&data)?;
            if r.origin() != self.origin {
                return Err(LogVerifyError::WrongOrigin.into());
            }
            let stored: Vec<u8> = row.get(2).map_err(sql_err)?;
            let mut new_nodes: Vec<(u32, u64, Hash)> = Vec::new();
            f.push(leaf_hash(&data), |l, i, h| new_nodes.push((l, i, *h)));
            if stored != node_blob(&new_nodes) {
                return Err(LedgerError::Corrupt("stored subtree hash is wrong"));
            }
            report.nodes += new_nodes.len() as u64;
            if let Event::AttestationRevoked(a) = r.event() {
                rev_head = chain_step(&rev_head, idx, &a.revocation_handle, &a.issuer);
                let stored: Option<StoredRevocation> = rev_st
                    .query_row([to_i64(rev_count)?], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })
                    .optional()
                    .map_err(sql_err)?;
                let ok = stored.is_some_and(|(i, att, iss, head)| {
                    to_u64(i).ok() == Some(idx)
                        && att[..] == a.revocation_handle[..]
                        && iss[..] == a.issuer.as_bytes()[..]
                        && head[..] == rev_head[..]
                });
                if !ok {
                    return Err(LedgerError::Corrupt("revocation index"));
                }
                rev_count += 1;
            }
            report.entries += 1;
            check_cp(
                &f,
                rev_count,
                &rev_head,
                &mut next_cp,
                &mut report,
                &mut cps,
            )?;
        }
        if f.size() != size || f.root() != g.frontier.root() {
            return Err(LedgerError::Corrupt("the log changed during the audit"));
        }
        if next_cp.is_some() {
            return Err(LedgerError::Corrupt(
                "a checkpoint is beyond the end of the log",
            ));
        }
        let extra: Option<i64> = g
            .conn
            .query_row(
                "SELECT seq FROM revocations WHERE seq >= ?1 LIMIT 1",
                [to_i64(rev_count)?],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err)?;
        if extra.is_some() {
            return Err(LedgerError::Corrupt("revocation index has extra rows"));
        }
        report.revocations = rev_count;
        report.root = f.root();
        Ok(report)
    }
}

/// A stored revocation row: index, revocation handle (column `attestation`), issuer, chain head.
type StoredRevocation = (i64, Vec<u8>, Vec<u8>, Vec<u8>);

struct Job {
    receipt: Receipt,
    leaf: Hash,
    reply: mpsc::SyncSender<Result<u64, LedgerError>>,
}

/// The committer's queue: jobs waiting for the next round, and whether it is closing.
struct Queue {
    jobs: Vec<Job>,
    closed: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    arrived: Condvar,
}

/// How long the committer waits for stragglers of a round that is filling up (see
/// [`GroupCommitter`]); short beside a durable commit (milliseconds on most disks).
const LINGER: std::time::Duration = std::time::Duration::from_micros(100);
/// At most this many lingers per round.
const MAX_LINGERS: u32 = 4;

/// Group commit: many threads append individually, each blocking until its own receipt is
/// durable; a committer thread gathers whatever is waiting (up to `max_batch`) into one
/// transaction and one sync, and acknowledges each caller only after that commit returned.
/// Callers hash their own receipts, so the committer only writes.
///
/// Just after a commit, the callers it acknowledged are still waking up; a round that started
/// at once would carry only the first of them and the rest would wait a whole commit. So when
/// the queue holds fewer than half as many jobs as the previous round, the committer waits up
/// to `MAX_LINGERS` × 100 µs for more, stopping as soon as a wait brings nothing new.
/// Dropping it stops the committer after the queued work.
pub struct GroupCommitter {
    origin: String,
    shared: Arc<Shared>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for GroupCommitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommitter").finish_non_exhaustive()
    }
}

impl GroupCommitter {
    /// Starts a committer thread for `ledger`.
    pub fn new(ledger: Arc<LocalLedger>, max_batch: usize) -> Result<Self, LedgerError> {
        let max_batch = max_batch.clamp(1, MAX_BATCH);
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                jobs: Vec::new(),
                closed: false,
            }),
            arrived: Condvar::new(),
        });
        let sh = shared.clone();
        let origin = ledger.origin().to_owned();
        let handle = std::thread::Builder::new()
            .name("causeway-ledger-commit".into())
            .spawn(move || Self::run(&ledger, &sh, max_batch))
            .map_err(|e| LedgerError::Storage(format!("could not start the committer: {e}")))?;
        Ok(GroupCommitter {
            origin,
            shared,
            handle: Some(handle),
        })
    }

    fn run(ledger: &LocalLedger, sh: &Shared, max_batch: usize) {
        let mut batch: Vec<Job> = Vec::new();
        let mut last_round = 0usize;
        loop {
            {
                let Ok(mut q) = sh.queue.lock() else { return };
                while q.jobs.is_empty() && !q.closed {
                    q = match sh.arrived.wait(q) {
                        Ok(q) => q,
                        Err(_) => return,
                    };
                }
                if q.jobs.is_empty() {
                    return; // closed and drained
                }
                let mut lingers = 0;
                while !q.closed
                    && lingers < MAX_LINGERS
                    && q.jobs.len() < max_batch
                    && q.jobs.len() * 2 < last_round
                {
                    let before = q.jobs.len();
                    q = match sh.arrived.wait_timeout(q, LINGER) {
                        Ok((q, _)) => q,
                        Err(_) => return,
                    };
                    lingers += 1;
                    if q.jobs.len() == before {
                        break;
                    }
                }
                let take = q.jobs.len().min(max_batch);
                batch.extend(q.jobs.drain(..take));
            }
            last_round = batch.len();
            let (receipts, leaves): (Vec<&Receipt>, Vec<Hash>) =
                batch.iter().map(|j| (&j.receipt, j.leaf)).unzip();
            let res = ledger.append_hashed(&receipts, Some(&leaves));
            drop(receipts);
            for (i, job) in batch.drain(..).enumerate() {
                let r = match &res {
                    Ok(first) => Ok(first + i as u64),
                    Err(e) => Err(e.clone()),
                };
                let _ = job.reply.send(r);
            }
        }
    }

    /// Appends one receipt and blocks until it is durable (or the round it joined failed).
    pub fn append(&self, receipt: Receipt) -> Result<u64, LedgerError> {
        // A receipt for another log is refused on its own, so it cannot fail a round.
        if receipt.origin() != self.origin {
            return Err(LedgerError::WrongOrigin);
        }
        let leaf = receipt.leaf_hash();
        let (reply, rx) = mpsc::sync_channel(1);
        {
            let mut q = self
                .shared
                .queue
                .lock()
                .map_err(|_| LedgerError::CommitterStopped)?;
            if q.closed {
                return Err(LedgerError::CommitterStopped);
            }
            q.jobs.push(Job {
                receipt,
                leaf,
                reply,
            });
        }
        self.shared.arrived.notify_one();
        rx.recv().map_err(|_| LedgerError::CommitterStopped)?
    }
}

impl Drop for GroupCommitter {
    fn drop(&mut self) {
        if let Ok(mut q) = self.shared.queue.lock() {
            q.closed = true;
        }
        self.shared.arrived.notify_all();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::client::LedgerClient;
    use crate::ledger::merkle::root_from_leaf_hashes;
    use crate::ledger::receipt::AttestationEvent;
    use crate::ledger::revocation::RevocationStatus;
    use crate::party::Party;

    fn party(seed: u8) -> Party {
        Party::from_keys(SecretKeys::from_seeds(&[seed; 32], &[seed ^ 0x5a; 32]))
    }

    fn receipt(p: &Party, i: u32, revoke: bool) -> Receipt {
        let mut id = [0u8; 32];
        id[..4].copy_from_slice(&i.to_be_bytes());
        let ev = AttestationEvent {
            revocation_handle: id,
            issuer: p.key_id(),
        };
        let ev = if revoke {
            Event::AttestationRevoked(ev)
        } else {
            Event::AttestationIssued(ev)
        };
        Receipt::new(p.keys(), "test/log", u64::from(i), ev).unwrap()
    }

    #[test]
    fn append_prove_checkpoint_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let log = party(1);
        let issuer = party(2);
        let mut leaves = Vec::new();
        let mut client = LedgerClient::new("test/log", log.public());
        {
            let l = LocalLedger::create(&path, "test/log", &log.public()).unwrap();
            assert!(LocalLedger::create(&path, "test/log", &log.public()).is_err());
            let mut batch = Vec::new();
            for i in 0..37u32 {
                let r = receipt(&issuer, i, i % 10 == 3);
                leaves.push(r.leaf_hash());
                if i < 20 {
                    assert_eq!(l.append(&r).unwrap(), u64::from(i));
                } else {
                    batch.push(r);
                }
                if i == 19 {
                    let note = l.checkpoint(log.keys()).unwrap();
                    client.update(&note, &[]).unwrap();
                }
            }
            assert_eq!(l.append_batch(&batch).unwrap(), 20);
            assert_eq!(l.root().unwrap(), root_from_leaf_hashes(&leaves));
            for s in 0..=37 {
                assert_eq!(
                    l.root_at(s).unwrap(),
                    root_from_leaf_hashes(&leaves[..s as usize])
                );
            }
            let note = l.checkpoint(log.keys()).unwrap();
            assert!(l.checkpoint(issuer.keys()).is_err());
            let p = l.consistency_proof(20, 37).unwrap();
            client.update(&note, &p).unwrap();
            for i in 0..37 {
                let p = l.inclusion_proof(i, 37).unwrap();
                client.verify_receipt(&l.entry(i).unwrap(), i, &p).unwrap();
            }
            // Revocation: 3, 13, 23, 33 are revoked.
            let mut id = [0u8; 32];
            id[..4].copy_from_slice(&13u32.to_be_bytes());
            let proof = l.revocation_proof(&id, &issuer.key_id(), None).unwrap();
            assert_eq!(proof.revocations.len(), 4);
            assert_eq!(
                client
                    .check_revocation(&proof, &id, &issuer.key_id())
                    .unwrap(),
                RevocationStatus::Revoked {
                    index: 13,
                    time_ms: 13
                }
            );
            id[..4].copy_from_slice(&14u32.to_be_bytes());
            let proof = l.revocation_proof(&id, &issuer.key_id(), None).unwrap();
            assert_eq!(
                client
                    .check_revocation(&proof, &id, &issuer.key_id())
                    .unwrap(),
                RevocationStatus::NotRevoked { as_of_size: 37 }
            );
            // Leaving a revocation out of the list is detected.
            id[..4].copy_from_slice(&13u32.to_be_bytes());
            let mut forged = l.revocation_proof(&id, &issuer.key_id(), None).unwrap();
            forged.revocations.remove(1);
            forged.revoked = None;
            assert!(client
                .check_revocation(&forged, &id, &issuer.key_id())
                .is_err());
            // At the older checkpoint (size 20) only 3 and 13 count.
            let old = l.revocation_proof(&id, &issuer.key_id(), Some(20)).unwrap();
            assert_eq!(old.revocations.len(), 2);
            let report = l.audit(None).unwrap();
            assert_eq!(report.entries, 37);
            assert_eq!(report.checkpoints, 2);
            assert_eq!(report.revocations, 4);
        }
        let l = LocalLedger::open(&path).unwrap();
        assert_eq!(l.size().unwrap(), 37);
        assert_eq!(l.root().unwrap(), root_from_leaf_hashes(&leaves));
        assert_eq!(l.append(&receipt(&issuer, 99, true)).unwrap(), 37);
        // One handle at a time: a second open is refused while the first holds the ledger.
        assert_eq!(LocalLedger::open(&path).unwrap_err(), LedgerError::InUse);
        drop(l);
        let r2 = LocalLedger::open(&path).unwrap();
        assert_eq!(r2.audit(None).unwrap().revocations, 5);
    }

    #[test]
    fn group_commit_from_many_threads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        let log = party(1);
        let issuer = party(3);
        let l = Arc::new(LocalLedger::create(&path, "test/log", &log.public()).unwrap());
        let gc = GroupCommitter::new(l.clone(), 256).unwrap();
        let mut acked: Vec<(u64, Hash)> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8u32)
                .map(|t| {
                    let gc = &gc;
                    let issuer = &issuer;
                    s.spawn(move || {
                        (0..50u32)
                            .map(|i| {
                                let r = receipt(issuer, t * 1000 + i, false);
                                let h = r.leaf_hash();
                                (gc.append(r).unwrap(), h)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        let stranger = Receipt::new(
            issuer.keys(),
            "other/log",
            1,
            Event::AttestationIssued(AttestationEvent {
                revocation_handle: [1; 32],
                issuer: issuer.key_id(),
            }),
        )
        .unwrap();
        assert_eq!(gc.append(stranger), Err(LedgerError::WrongOrigin));
        assert!(!l.is_failed());
        drop(gc);
        acked.sort();
        assert_eq!(acked.len(), 400);
        for (n, (i, h)) in acked.iter().enumerate() {
            assert_eq!(*i, n as u64);
            assert_eq!(leaf_hash(&l.entry(*i).unwrap()), *h);
        }
        assert_eq!(l.audit(None).unwrap().entries, 400);
    }

    #[test]
    fn attestation_revocation_from_the_ledger() {
        use crate::attest::{issue, RevocationCheck, Terms};
        use crate::ledger::client::LedgerRevocations;
        use crate::record::{Record, Value};
        let dir = tempfile::tempdir().unwrap();
        let log = party(1);
        let issuer = party(2);
        let holder = party(3);
        let rec = Record::new("credit/v1")
            .unwrap()
            .with("score", Value::Int(700))
            .unwrap();
        let terms = Terms {
            subject: holder.key_id(),
            not_before: 0,
            not_after: 10,
        };
        let a1 = issue(issuer.keys(), &rec, &terms).unwrap();
        let a2 = issue(issuer.keys(), &rec, &terms).unwrap();
        let (a1, a2) = (a1.attestation(), a2.attestation());
        let l = LocalLedger::create(&dir.path().join("a.db"), "test/log", &log.public()).unwrap();
        for a in [a1, a2] {
            l.append(&Receipt::attestation_issued_from(issuer.keys(), "test/log", 1, a).unwrap())
                .unwrap();
        }
        // Only the issuer can revoke.
        assert!(Receipt::attestation_revoked_from(holder.keys(), "test/log", 2, a1).is_err());
        l.append(&Receipt::attestation_revoked_from(issuer.keys(), "test/log", 2, a1).unwrap())
            .unwrap();
        let note = l.checkpoint(log.keys()).unwrap();
        let client = LedgerClient::with_trusted("test/log", log.public(), &note).unwrap();
        let h1 = a1.revocation_handle();
        let h2 = a2.revocation_handle();
        let p1 = l.revocation_proof(&h1.0, &issuer.key_id(), None).unwrap();
        let p2 = l.revocation_proof(&h2.0, &issuer.key_id(), None).unwrap();
        let proofs = [p1.clone(), p2.clone()];
        let check = LedgerRevocations {
            client: &client,
            proofs: &proofs,
        };
        assert!(check.is_revoked(&issuer.public(), &h1).unwrap());
        assert!(!check.is_revoked(&issuer.public(), &h2).unwrap());
        // Another issuer's handle is not revoked by this issuer's receipt.
        assert!(!check.is_revoked(&holder.public(), &h1).unwrap());
        // With only the proof for a2, a1's revocation is listed but not evidenced: fail closed.
        let only2 = [p2];
        let check = LedgerRevocations {
            client: &client,
            proofs: &only2,
        };
        assert!(check.is_revoked(&issuer.public(), &h1).is_err());
        assert!(!check.is_revoked(&issuer.public(), &h2).unwrap());
        // A proof for an older checkpoint than the trusted one is not accepted.
        l.append(&receipt(&issuer, 50, false)).unwrap();
        let newer = l.checkpoint(log.keys()).unwrap();
        let mut c2 = client.clone();
        c2.update(&newer, &l.consistency_proof(3, 4).unwrap())
            .unwrap();
        let stale = [p1];
        let check = LedgerRevocations {
            client: &c2,
            proofs: &stale,
        };
        assert!(check.is_revoked(&issuer.public(), &h1).is_err());
    }

    #[test]
    fn top_cache_stays_bounded() {
        let mut c = TopCache::default();
        for size in [0u64, 1, 1000, 1 << 20, 10_000_000, 1 << 40, MAX_SIZE] {
            c.fit(size);
            // Fewer than 2 * (size >> min_level) perfect subtrees at levels >= min_level.
            assert!(2 * (size >> c.min_level) <= TOP_CACHE_CAP as u64, "{size}");
        }
        let before = c.min_level;
        c.fit(5);
        assert_eq!(c.min_level, before, "the level never drops");
        c.insert(before - 1, 0, &[1; 32]);
        assert!(c.get(before - 1, 0).is_none());
        c.insert(before, 0, &[1; 32]);
        assert_eq!(c.get(before, 0), Some([1; 32]));
    }

    #[test]
    fn store_proofs_match_the_reference() {
        use crate::ledger::proof::LeafSlice;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        let log = party(1);
        let issuer = party(2);
        let rs: Vec<Receipt> = (0..300u32).map(|i| receipt(&issuer, i, false)).collect();
        let leaves: Vec<Hash> = rs.iter().map(|r| r.leaf_hash()).collect();
        let check = |l: &LocalLedger, n: usize| {
            let refs = &leaves[..n];
            let n = n as u64;
            for size in [1, n / 3 + 1, n - 1, n] {
                for i in (0..size).step_by(7).chain([size - 1]) {
                    assert_eq!(
                        l.inclusion_proof(i, size).unwrap(),
                        inclusion_proof(&mut LeafSlice(refs), i, size).unwrap()
                    );
                }
                for s1 in (1..=size).step_by(5) {
                    assert_eq!(
                        l.consistency_proof(s1, size).unwrap(),
                        consistency_proof(&mut LeafSlice(refs), s1, size).unwrap()
                    );
                }
                assert_eq!(
                    l.root_at(size).unwrap(),
                    root_from_leaf_hashes(&refs[..size as usize])
                );
            }
        };
        {
            let l = LocalLedger::create(&path, "test/log", &log.public()).unwrap();
            l.append_batch(&rs[..131]).unwrap();
            check(&l, 131);
            // The cache now holds hashes read by proofs; appends add the ones they complete.
            for r in &rs[131..200] {
                l.append(r).unwrap();
            }
            check(&l, 200);
        }
        let l = LocalLedger::open(&path).unwrap();
        check(&l, 200);
        drop(l);
        let l = LocalLedger::open(&path).unwrap();
        // Floor level 1: every row ending a pair, levels 1..=trailing_zeros.
        assert_eq!(l.warm_cache().unwrap(), 100 + 50 + 25 + 12 + 6 + 3 + 1);
        check(&l, 200);
        l.append_batch(&rs[200..]).unwrap();
        check(&l, 300);
    }

    #[test]
    fn wrong_origin_refused() {
        let dir = tempfile::tempdir().unwrap();
        let log = party(1);
        let l = LocalLedger::create(&dir.path().join("o.db"), "other/log", &log.public()).unwrap();
        assert_eq!(
            l.append(&receipt(&party(2), 1, false)),
            Err(LedgerError::WrongOrigin)
        );
        assert!(!l.is_failed());
        assert!(LocalLedger::open(&dir.path().join("absent.db")).is_err());
        // A freshly opened ledger, before any write, already keeps others out.
        drop(l);
        let l = LocalLedger::open(&dir.path().join("o.db")).unwrap();
        assert_eq!(
            LocalLedger::open(&dir.path().join("o.db")).unwrap_err(),
            LedgerError::InUse
        );
        drop(l);
        LocalLedger::open(&dir.path().join("o.db")).unwrap();
    }
}
