//! Queries over a ledger's receipts that other modules need (beside the store itself).
//!
//! [`newest_epoch`] finds the newest epoch a set of receipts records for a sealed record: the
//! rollback check of grant, revoke and re-seal (`seal::KnownEpochs`, decision 0030). With the
//! `sqlite` feature, [`crate::ledger::LocalLedger`] implements `seal::KnownEpochs` over its
//! entries.

use super::receipt::{Event, Receipt};
use crate::seal::RecordId;

/// The newest epoch that `receipts` record for `record` (record-sealed, access-granted and
/// access-revoked receipts), or `None` when none names it. Every receipt counts whoever
/// signed it: a higher epoch only makes older copies refused (it fails closed), and a receipt
/// is in the ledger only once its signature verified.
///
/// ```
/// use causeway::ledger::query::newest_epoch;
/// use causeway::ledger::receipt::Receipt;
/// use causeway::party::Party;
/// use causeway::seal::Sealed;
/// let owner = Party::generate()?;
/// let bob = Party::generate()?;
/// let s0 = Sealed::seal_bytes(&owner, &[bob.public()], b"x")?;
/// let s1 = s0.revoke(&owner, &bob.key_id())?;
/// let r0 = Receipt::sealed_from(owner.keys(), "example.org/log", 1, &s0, None)?;
/// let r1 = Receipt::revoked_from(owner.keys(), "example.org/log", 2, &s1, bob.key_id())?;
/// assert_eq!(newest_epoch([&r0, &r1], &s0.record_id()), Some(1));
/// # Ok::<(), causeway::Error>(())
/// ```
pub fn newest_epoch<'a, I>(receipts: I, record: &RecordId) -> Option<u32>
where
    I: IntoIterator<Item = &'a Receipt>,
{
    receipts
        .into_iter()
        .filter_map(|r| epoch_of(r.event(), record))
        .max()
}

/// The epoch an event records for `record`, if it is about that record.
fn epoch_of(event: &Event, record: &RecordId) -> Option<u32> {
    match event {
        Event::RecordSealed(e) if e.record_id == *record => Some(e.epoch),
        Event::AccessGranted(e) if e.record_id == *record => Some(e.epoch),
        Event::AccessRevoked(e) if e.record_id == *record => Some(e.epoch),
        _ => None,
    }
}

#[cfg(feature = "sqlite")]
impl crate::seal::KnownEpochs for super::sqlite::LocalLedger {
    /// Scans every entry (each parsed and its signature verified; one that does not is an
    /// error, so a damaged ledger refuses rather than answers): linear in the ledger's size.
    fn newest_epoch(&self, record: &RecordId) -> Result<Option<u32>, crate::error::LedgerError> {
        let size = self.size()?;
        let mut newest: Option<u32> = None;
        for i in 0..size {
            let r = self.receipt(i)?;
            if let Some(e) = epoch_of(r.event(), record) {
                newest = Some(newest.map_or(e, |n| n.max(e)));
            }
        }
        Ok(newest)
    }
}

#[cfg(all(test, feature = "sqlite"))]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::error::SealError;
    use crate::ledger::LocalLedger;
    use crate::party::Party;
    use crate::seal::{open_any, KnownEpochs, OpenOptions, Sealed};

    /// Issue 11 leftover (rollback), the ledger-backed path: the owner revokes Bob and records
    /// the receipt; a store puts the epoch-0 copy back; granting Carol from it is refused
    /// because the ledger knows epoch 1, and Bob cannot open the old copy under the check.
    #[test]
    fn the_ledger_knows_the_newest_epoch_and_refuses_a_rolled_back_copy() {
        let dir = tempfile::tempdir().unwrap();
        let log = Party::generate().unwrap();
        let l = LocalLedger::create(&dir.path().join("l.db"), "test/log", &log.public()).unwrap();
        let o = Party::generate().unwrap();
        let bob = Party::generate().unwrap();
        let carol = Party::generate().unwrap();
        let s0 = Sealed::seal_bytes(&o, &[bob.public()], b"terms").unwrap();
        assert_eq!(l.newest_epoch(&s0.record_id()).unwrap(), None);
        l.append(&Receipt::sealed_from(o.keys(), "test/log", 1, &s0, None).unwrap())
            .unwrap();
        assert_eq!(l.newest_epoch(&s0.record_id()).unwrap(), Some(0));
        // unrelated receipts do not count
        let other = Sealed::seal_bytes(&o, &[], b"other").unwrap();
        let other1 = other.reseal(&o, &[]).unwrap().reseal(&o, &[]).unwrap();
        l.append(&Receipt::sealed_from(o.keys(), "test/log", 2, &other1, None).unwrap())
            .unwrap();
        let s1 = s0.revoke_checked(&o, &bob.key_id(), &l).unwrap();
        l.append(&Receipt::revoked_from(o.keys(), "test/log", 3, &s1, bob.key_id()).unwrap())
            .unwrap();
        assert_eq!(l.newest_epoch(&s0.record_id()).unwrap(), Some(1));
        assert!(matches!(
            s0.grant_checked(&o, &carol.public(), &l),
            Err(SealError::StaleEpoch {
                epoch: 0,
                newest: 1,
                ..
            })
        ));
        let g = s1.grant_checked(&o, &carol.public(), &l).unwrap();
        l.append(&Receipt::granted_from(o.keys(), "test/log", 4, &g, carol.key_id()).unwrap())
            .unwrap();
        assert_eq!(l.newest_epoch(&s0.record_id()).unwrap(), Some(1));
        let opts = OpenOptions {
            known_epochs: Some(&l),
            ..Default::default()
        };
        assert!(matches!(
            open_any(&s0.to_bytes(), &bob, &opts),
            Err(crate::error::OpenError::StaleEpoch { .. })
        ));
        assert!(open_any(&g.to_bytes(), &carol, &opts).is_ok());
        // the pure function over receipts agrees with the store
        let all: Vec<Receipt> = (0..l.size().unwrap())
            .map(|i| l.receipt(i).unwrap())
            .collect();
        assert_eq!(newest_epoch(&all, &s0.record_id()), Some(1));
        assert_eq!(newest_epoch(&all, &other.record_id()), Some(2));
    }
}
