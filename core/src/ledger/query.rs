//! Queries over a ledger's receipts that other modules need (beside the store itself).
//!
//! [`newest_epoch`] finds the newest epoch a set of receipts records for a sealed record, as
//! signed by its owner: the rollback check of grant, revoke, re-seal and open
//! (`seal::KnownEpochs`, decision 0030). [`names_sealed`] tells whether the owner's receipts
//! name one exact sealed object (its hash), for the upgrade of an unsigned version-1 record.
//! With the `sqlite` feature, [`crate::ledger::LocalLedger`] implements `seal::KnownEpochs`
//! over its entries, reading each entry's record id from its bytes and parsing and verifying
//! only the entries about the record asked for.

use super::receipt::{Event, Receipt};
use crate::party::KeyId;
use crate::seal::{RecordId, Sealed};

/// The newest epoch that `receipts` record for `record` (record-sealed, access-granted and
/// access-revoked receipts) **signed by one of `owners`**, or `None` when none does. Receipts
/// by anyone else are ignored: record ids are public, and whoever may append to a ledger could
/// otherwise name a record with epoch `u32::MAX` and lock it for good. A receipt's owner field
/// is its verified signer ([`Receipt`] values always carry a valid signature by it).
///
/// `owners` are the key ids the record's owner signs with: the object's signed owner for a
/// reader, every key (current and retired) of the owner's [`crate::party::Party`] for the
/// owner itself (after a key rotation, newer epochs are signed by the newer key).
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
/// let owners = [owner.key_id()];
/// assert_eq!(newest_epoch([&r0, &r1], &s0.record_id(), &owners), Some(1));
/// // receipts signed by anyone else do not count
/// assert_eq!(newest_epoch([&r0, &r1], &s0.record_id(), &[bob.key_id()]), None);
/// # Ok::<(), causeway::Error>(())
/// ```
pub fn newest_epoch<'a, I>(receipts: I, record: &RecordId, owners: &[KeyId]) -> Option<u32>
where
    I: IntoIterator<Item = &'a Receipt>,
{
    receipts
        .into_iter()
        .filter_map(|r| about(r.event(), record, owners).map(|(epoch, _)| epoch))
        .max()
}

/// Whether `receipts` hold a record-sealed, access-granted or access-revoked receipt signed by
/// one of `owners` for exactly `sealed`: its record id, its epoch and the SHA-256 of its
/// canonical bytes ([`Sealed::ciphertext_hash`]). This is how an owner checks that a copy it
/// is about to re-sign (the upgrade of a version-1 record, which carries no owner signature)
/// is the one it made, not one a store writer assembled.
///
/// ```
/// use causeway::ledger::query::names_sealed;
/// use causeway::ledger::receipt::Receipt;
/// use causeway::party::Party;
/// use causeway::seal::Sealed;
/// let owner = Party::generate()?;
/// let s0 = Sealed::seal_bytes(&owner, &[], b"x")?;
/// let r0 = Receipt::sealed_from(owner.keys(), "example.org/log", 1, &s0, None)?;
/// assert!(names_sealed([&r0], &s0, &[owner.key_id()]));
/// let other = Sealed::seal_bytes(&owner, &[], b"y")?;
/// assert!(!names_sealed([&r0], &other, &[owner.key_id()]));
/// # Ok::<(), causeway::Error>(())
/// ```
pub fn names_sealed<'a, I>(receipts: I, sealed: &Sealed, owners: &[KeyId]) -> bool
where
    I: IntoIterator<Item = &'a Receipt>,
{
    let hash = sealed.ciphertext_hash();
    let rid = sealed.record_id();
    receipts
        .into_iter()
        .any(|r| about(r.event(), &rid, owners) == Some((sealed.epoch(), hash)))
}

/// The epoch and object hash an event records for `record`, if it is about that record and
/// signed by one of `owners` (the event's owner is the receipt's verified signer).
fn about(event: &Event, record: &RecordId, owners: &[KeyId]) -> Option<(u32, [u8; 32])> {
    let (rid, epoch, hash, owner) = match event {
        Event::RecordSealed(e) => (e.record_id, e.epoch, e.ciphertext_hash, e.owner),
        Event::AccessGranted(e) => (e.record_id, e.epoch, e.ciphertext_hash, e.owner),
        Event::AccessRevoked(e) => (e.record_id, e.epoch, e.ciphertext_hash, e.owner),
        _ => return None,
    };
    (rid == *record && owners.contains(&owner)).then_some((epoch, hash))
}

/// What an entry's bytes say it is about, read without parsing or verifying the whole
/// receipt: `Some(record id)` for a record-sealed, access-granted or access-revoked receipt,
/// `None` for an attestation or anchoring receipt. An entry whose layout cannot be read that
/// far (or of an unknown kind) is an error: it could be about any record.
#[cfg(feature = "sqlite")]
fn entry_record(bytes: &[u8]) -> Result<Option<RecordId>, crate::error::LedgerError> {
    use crate::encoding::{read_header, Reader, Tag};
    let mut r = Reader::new(bytes);
    read_header(&mut r, Tag::Receipt, &[super::receipt::VERSION])?;
    let kind = r.u8()?;
    let _time_ms = r.u64()?;
    let _origin = r.bytes_u16("receipt origin", super::receipt::MAX_ORIGIN)?;
    let _signer = r.take(64)?;
    match kind {
        1..=3 => Ok(Some(RecordId(r.array::<16>()?))),
        // Attestations, anchors, evidence (7: its sealed copy has its own kind-1 receipt) and
        // trace events (8) change no record's access state.
        4..=8 => Ok(None),
        _ => Err(crate::error::DecodeError::Invalid {
            what: "receipt kind",
        }
        .into()),
    }
}

#[cfg(feature = "sqlite")]
impl super::sqlite::LocalLedger {
    /// The receipts of this ledger about `record`: every entry is read, but only those whose
    /// bytes name `record` are parsed and their signatures verified (one that does not verify
    /// is an error: a damaged ledger refuses rather than answers for that record). An entry
    /// about another record, or an attestation or anchoring receipt, is skipped unverified,
    /// so a damaged entry blocks only the lookups of the record it names (or every lookup, if
    /// not even its kind and record id can be read). Linear in the ledger's size; there is no
    /// index by record id.
    pub fn receipts_about(
        &self,
        record: &RecordId,
    ) -> Result<Vec<Receipt>, crate::error::LedgerError> {
        let size = self.size()?;
        let mut out = Vec::new();
        for i in 0..size {
            let bytes = self.entry(i)?;
            if entry_record(&bytes)? == Some(*record) {
                out.push(Receipt::from_bytes(&bytes)?);
            }
        }
        Ok(out)
    }

    /// [`names_sealed`] over this ledger's receipts about `sealed`'s record
    /// ([`super::sqlite::LocalLedger::receipts_about`]).
    pub fn names_sealed(
        &self,
        sealed: &Sealed,
        owners: &[KeyId],
    ) -> Result<bool, crate::error::LedgerError> {
        Ok(names_sealed(
            &self.receipts_about(&sealed.record_id())?,
            sealed,
            owners,
        ))
    }
}

#[cfg(feature = "sqlite")]
impl crate::seal::KnownEpochs for super::sqlite::LocalLedger {
    /// Over [`super::sqlite::LocalLedger::receipts_about`] `record` (entries about other
    /// records are skipped unverified), counting only receipts signed by one of `owners`.
    fn newest_epoch(
        &self,
        record: &RecordId,
        owners: &[KeyId],
    ) -> Result<Option<u32>, crate::error::LedgerError> {
        Ok(newest_epoch(&self.receipts_about(record)?, record, owners))
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
        let owners = [o.key_id()];
        assert_eq!(l.newest_epoch(&s0.record_id(), &owners).unwrap(), None);
        l.append(&Receipt::sealed_from(o.keys(), "test/log", 1, &s0, None).unwrap())
            .unwrap();
        assert_eq!(l.newest_epoch(&s0.record_id(), &owners).unwrap(), Some(0));
        // unrelated receipts do not count
        let other = Sealed::seal_bytes(&o, &[], b"other").unwrap();
        let other1 = other.reseal(&o, &[]).unwrap().reseal(&o, &[]).unwrap();
        l.append(&Receipt::sealed_from(o.keys(), "test/log", 2, &other1, None).unwrap())
            .unwrap();
        let s1 = s0.revoke_checked(&o, &bob.key_id(), &l).unwrap();
        l.append(&Receipt::revoked_from(o.keys(), "test/log", 3, &s1, bob.key_id()).unwrap())
            .unwrap();
        assert_eq!(l.newest_epoch(&s0.record_id(), &owners).unwrap(), Some(1));
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
        assert_eq!(l.newest_epoch(&s0.record_id(), &owners).unwrap(), Some(1));
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
        assert_eq!(newest_epoch(&all, &s0.record_id(), &owners), Some(1));
        assert_eq!(newest_epoch(&all, &other.record_id(), &owners), Some(2));
    }

    /// Review of c6e3057, item 2: record ids are public, so anyone who may append to the
    /// ledger could write a record-sealed receipt of their own naming the owner's record at
    /// epoch `u32::MAX`; it counted, and every copy of the record was refused as stale for
    /// good. Only receipts signed by the record's owner (any of its keys) count now.
    #[test]
    fn only_the_owners_receipts_count() {
        let dir = tempfile::tempdir().unwrap();
        let log = Party::generate().unwrap();
        let l = LocalLedger::create(&dir.path().join("l.db"), "test/log", &log.public()).unwrap();
        let o = Party::generate().unwrap();
        let bob = Party::generate().unwrap();
        let mallory = Party::generate().unwrap();
        let s0 = Sealed::seal_bytes(&o, &[bob.public()], b"terms").unwrap();
        l.append(&Receipt::sealed_from(o.keys(), "test/log", 1, &s0, None).unwrap())
            .unwrap();
        // Mallory's receipt names the owner's record id at the highest epoch, signed by her
        let forged = Receipt::new(
            mallory.keys(),
            "test/log",
            2,
            Event::RecordSealed(crate::ledger::receipt::RecordSealed {
                record_id: s0.record_id(),
                epoch: u32::MAX,
                ciphertext_hash: [7; 32],
                content_commitment: [0; 32],
                owner: mallory.key_id(),
                recipients: vec![mallory.key_id()],
            }),
        )
        .unwrap();
        l.append(&forged).unwrap();
        let owners = [o.key_id()];
        assert_eq!(l.newest_epoch(&s0.record_id(), &owners).unwrap(), Some(0));
        // the owner's operations and a reader's open go on
        let g = s0
            .grant_checked(&o, &Party::generate().unwrap().public(), &l)
            .unwrap();
        let opts = OpenOptions {
            known_epochs: Some(&l),
            ..Default::default()
        };
        assert!(open_any(&g.to_bytes(), &bob, &opts).is_ok());
        // Mallory's epoch counts only for her own key
        assert_eq!(
            l.newest_epoch(&s0.record_id(), &[mallory.key_id()])
                .unwrap(),
            Some(u32::MAX)
        );
        // after a rotation the owner's older key still counts for the owner: epochs signed by
        // the new key refuse an old-key copy
        let mut rotated = o.clone();
        rotated.rotate().unwrap();
        let s1 = s0.revoke_checked(&rotated, &bob.key_id(), &l).unwrap();
        assert_eq!(s1.owner(), rotated.key_id());
        l.append(&Receipt::revoked_from(rotated.keys(), "test/log", 3, &s1, bob.key_id()).unwrap())
            .unwrap();
        assert!(matches!(
            s0.grant_checked(&rotated, &bob.public(), &l),
            Err(SealError::StaleEpoch {
                epoch: 0,
                newest: 1,
                ..
            })
        ));
        // the exact object is named by the owner's receipts, another one is not
        assert!(l.names_sealed(&s0, &owners).unwrap());
        assert!(!l.names_sealed(&g, &owners).unwrap());
        assert!(!l.names_sealed(&s0, &[mallory.key_id()]).unwrap());
    }

    /// Review of c6e3057, item 6: every entry was parsed and verified on each lookup, so one
    /// damaged entry refused every record's lookup. Now only entries whose bytes name the
    /// record are verified; an entry whose kind and record id cannot be read still refuses.
    #[test]
    fn a_damaged_entry_blocks_only_its_own_record() {
        let o = Party::generate().unwrap();
        let s = Sealed::seal_bytes(&o, &[], b"a").unwrap();
        let t = Sealed::seal_bytes(&o, &[], b"b").unwrap();
        let rs = Receipt::sealed_from(o.keys(), "test/log", 1, &s, None).unwrap();
        let rt = Receipt::sealed_from(o.keys(), "test/log", 1, &t, None).unwrap();
        assert_eq!(entry_record(rs.as_bytes()).unwrap(), Some(s.record_id()));
        // a changed signature byte: still about record s (refused for s, skipped for t)
        let mut bad = rs.as_bytes().to_vec();
        let n = bad.len();
        bad[n - 1] ^= 1;
        assert_eq!(entry_record(&bad).unwrap(), Some(s.record_id()));
        assert!(Receipt::from_bytes(&bad).is_err());
        assert_ne!(entry_record(&bad).unwrap(), Some(t.record_id()));
        // a receipt of another kind is not about any record
        let att = Receipt::new(
            o.keys(),
            "test/log",
            1,
            Event::AttestationIssued(crate::ledger::receipt::AttestationEvent {
                revocation_handle: [1; 32],
                issuer: o.key_id(),
            }),
        )
        .unwrap();
        assert_eq!(entry_record(att.as_bytes()).unwrap(), None);
        // evidence (7) and trace (8) receipts are about no record's access either (the scan
        // reads only the prefix, so the kind byte alone decides)
        for kind in [7u8, 8] {
            let mut other = att.as_bytes().to_vec();
            other[4] = kind;
            assert_eq!(entry_record(&other).unwrap(), None, "kind {kind}");
        }
        // unreadable layout or an unknown kind: could be about anything, refused
        assert!(entry_record(&rt.as_bytes()[..20]).is_err());
        let mut unknown = rt.as_bytes().to_vec();
        unknown[4] = 0x7f;
        assert!(entry_record(&unknown).is_err());
        // through the store: damage entry 0 (about s) on disk; t's lookups still answer
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let log = Party::generate().unwrap();
        let l = LocalLedger::create(&path, "test/log", &log.public()).unwrap();
        l.append(&rs).unwrap();
        l.append(&rt).unwrap();
        l.append(&att).unwrap();
        let owners = [o.key_id()];
        assert_eq!(l.newest_epoch(&t.record_id(), &owners).unwrap(), Some(0));
        drop(l); // the store holds an exclusive lock
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute(
            "UPDATE entries SET data = ?1 WHERE idx = 0",
            rusqlite::params![bad],
        )
        .unwrap();
        drop(c);
        let l = LocalLedger::open(&path).unwrap();
        assert_eq!(l.newest_epoch(&t.record_id(), &owners).unwrap(), Some(0));
        assert!(l.newest_epoch(&s.record_id(), &owners).is_err());
        assert!(l.receipts_about(&s.record_id()).is_err());
    }
}
