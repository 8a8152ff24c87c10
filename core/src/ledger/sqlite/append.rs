//! Appending: one durable transaction per append or batch; any write or sync error fails
//! the ledger closed.
use super::*;

impl LocalLedger {
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
    pub(super) fn append_hashed(
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
    pub(super) fn write_batch(
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
}
