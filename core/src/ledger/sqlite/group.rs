//! Group commit: individually acknowledged appends from many threads, batched into one
//! transaction per round.
use super::*;

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
