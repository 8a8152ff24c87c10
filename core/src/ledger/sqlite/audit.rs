//! Auditing: replaying the whole log against its stored hashes, checkpoints and revocation
//! index.
use super::*;

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

/// A stored revocation row: index, revocation handle (column `attestation`), issuer, chain head.
type StoredRevocation = (i64, Vec<u8>, Vec<u8>, Vec<u8>);

impl LocalLedger {
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
