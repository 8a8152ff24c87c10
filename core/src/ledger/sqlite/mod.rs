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

use super::checkpoint::{Checkpoint, SignedCheckpoint};
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

mod append;
mod audit;
mod group;
mod revocations;
mod store;

pub use audit::AuditReport;
pub use group::GroupCommitter;
#[cfg(test)]
use store::TOP_CACHE_CAP;
use store::{Store, TopCache};

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
