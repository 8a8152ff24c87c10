//! Attestation revocations: the revocation proof of an attestation as of a stored
//! checkpoint (see [`crate::ledger::revocation`]).
use super::*;

impl LocalLedger {
    /// Proves whether the attestation with `revocation_handle` by `issuer` is revoked as of the stored
    /// checkpoint of `size` entries (the latest checkpoint when `None`). See
    /// [`crate::ledger::revocation`].
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
        let signed = SignedCheckpoint::open(&note, &self.origin, &self.log_key)?;
        let cp = signed.checkpoint().clone();
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
            checkpoint: signed,
            revocations,
            revoked,
        })
    }
}
