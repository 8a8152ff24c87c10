//! Rollback protection: the newest epoch known for a sealed record.
//!
//! Every epoch of a sealed record is validly owner-signed, so the object alone cannot tell a
//! current copy from an older one that a store put back (for instance the epoch from before a
//! revocation: granting from it would re-admit the revoked recipient). The owner (or a reader)
//! therefore asks a source it trusts for the newest epoch it knows of the record, and refuses
//! a copy older than that ([`crate::error::SealError::StaleEpoch`],
//! [`crate::error::OpenError::StaleEpoch`]). Sources: a ledger's receipts
//! (`impl KnownEpochs for LocalLedger` in `ledger::query`), an [`EpochBook`] the caller keeps
//! (the owner's own record of the epochs it produced, with a text form to store it), or a
//! single `(RecordId, u32)` the caller holds. See `docs/decisions/0030-sealed-record-rollback.md`.
//!
//! ```
//! use causeway::party::Party;
//! use causeway::seal::{EpochBook, Sealed};
//! let owner = Party::generate()?;
//! let bob = Party::generate()?;
//! let carol = Party::generate()?;
//! let mut book = EpochBook::new();
//! let epoch0 = Sealed::seal_bytes(&owner, &[bob.public()], b"terms")?;
//! book.observe_sealed(&epoch0)?;
//! let epoch1 = epoch0.revoke_checked(&owner, &bob.key_id(), &book)?;
//! book.observe_sealed(&epoch1)?;
//! // A store puts the epoch-0 copy back: granting from it is refused.
//! assert!(epoch0.grant_checked(&owner, &carol.public(), &book).is_err());
//! assert!(epoch1.grant_checked(&owner, &carol.public(), &book).is_ok());
//! # Ok::<(), causeway::Error>(())
//! ```

use super::{RecordId, Sealed};
use crate::error::{DecodeError, LedgerError};
use crate::party::KeyId;
use std::collections::BTreeMap;

/// Most records an [`EpochBook`] holds.
pub const MAX_BOOK_ENTRIES: usize = 100_000;
/// Largest [`EpochBook`] text accepted, checked before parsing.
pub const MAX_BOOK_TEXT: usize = 8 * 1024 * 1024;
/// The first line of an [`EpochBook`]'s text form.
pub const BOOK_HEADER: &str = "causeway-sealed-epochs v1";

/// A source of the newest epoch known for a sealed record id, as made by its owner.
///
/// Implemented by [`EpochBook`], by `(RecordId, u32)` (one record whose newest epoch the caller
/// holds) and, with the `sqlite` feature, by the ledger (`ledger::LocalLedger`, over its
/// record-sealed, access-granted and access-revoked receipts).
pub trait KnownEpochs {
    /// The newest epoch known for `record` **as signed by one of `owners`** (the key ids the
    /// record's owner signs with), or `None` when nothing is known of it. A source that
    /// others can write to (a shared ledger) must count only what those owners signed: record
    /// ids are public, and a higher epoch claimed by anyone else would lock the record (every
    /// copy refused as stale). A source the caller alone writes ([`EpochBook`], a held pair)
    /// may ignore `owners`.
    fn newest_epoch(&self, record: &RecordId, owners: &[KeyId])
        -> Result<Option<u32>, LedgerError>;
}

impl<T: KnownEpochs + ?Sized> KnownEpochs for &T {
    fn newest_epoch(
        &self,
        record: &RecordId,
        owners: &[KeyId],
    ) -> Result<Option<u32>, LedgerError> {
        (**self).newest_epoch(record, owners)
    }
}

/// The caller's own knowledge of one record: `owners` is not consulted.
impl KnownEpochs for (RecordId, u32) {
    fn newest_epoch(
        &self,
        record: &RecordId,
        _owners: &[KeyId],
    ) -> Result<Option<u32>, LedgerError> {
        Ok((self.0 == *record).then_some(self.1))
    }
}

/// The newest epoch of each record, as a caller (typically the owner, of the epochs it
/// produced) keeps it. [`EpochBook::observe`] only ever raises an entry.
///
/// Its text form ([`EpochBook::to_text`]) is a first line [`BOOK_HEADER`], then one line per
/// record, `<record id, 32 hex digits> <epoch, decimal>`, sorted by record id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EpochBook {
    epochs: BTreeMap<RecordId, u32>,
}

impl EpochBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// The newest epoch recorded for `record`.
    pub fn get(&self, record: &RecordId) -> Option<u32> {
        self.epochs.get(record).copied()
    }

    /// How many records the book holds.
    pub fn len(&self) -> usize {
        self.epochs.len()
    }

    /// Whether the book is empty.
    pub fn is_empty(&self) -> bool {
        self.epochs.is_empty()
    }

    /// The records and their newest epochs, sorted by record id.
    pub fn entries(&self) -> Vec<(RecordId, u32)> {
        self.epochs.iter().map(|(r, e)| (*r, *e)).collect()
    }

    /// Records that `epoch` of `record` exists: the entry becomes the larger of the two.
    /// Returns whether the entry changed. A new record beyond [`MAX_BOOK_ENTRIES`] is refused
    /// with `DecodeError::TooLong`.
    pub fn observe(&mut self, record: RecordId, epoch: u32) -> Result<bool, DecodeError> {
        match self.epochs.get_mut(&record) {
            Some(e) if *e >= epoch => Ok(false),
            Some(e) => {
                *e = epoch;
                Ok(true)
            }
            None => {
                if self.epochs.len() >= MAX_BOOK_ENTRIES {
                    return Err(DecodeError::TooLong {
                        what: "sealed-record epoch book",
                        len: self.epochs.len().saturating_add(1),
                        max: MAX_BOOK_ENTRIES,
                    });
                }
                self.epochs.insert(record, epoch);
                Ok(true)
            }
        }
    }

    /// [`EpochBook::observe`] of a sealed record's id and epoch.
    pub fn observe_sealed(&mut self, sealed: &Sealed) -> Result<bool, DecodeError> {
        self.observe(sealed.record_id(), sealed.epoch())
    }

    /// The text form (see the type's docs).
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(BOOK_HEADER.len() + 1 + self.epochs.len() * 44);
        out.push_str(BOOK_HEADER);
        out.push('\n');
        for (r, e) in &self.epochs {
            out.push_str(&format!("{r} {e}\n"));
        }
        out
    }

    /// Parses the text form strictly: the header line, then `<record id> <epoch>` lines
    /// (lowercase or uppercase hex, a decimal `u32`), each record at most once, at most
    /// [`MAX_BOOK_ENTRIES`] lines and [`MAX_BOOK_TEXT`] bytes. Empty lines are ignored.
    pub fn from_text(text: &str) -> Result<EpochBook, DecodeError> {
        if text.len() > MAX_BOOK_TEXT {
            return Err(DecodeError::TooLong {
                what: "sealed-record epoch book",
                len: text.len(),
                max: MAX_BOOK_TEXT,
            });
        }
        let mut lines = text.lines();
        if lines.next().map(str::trim_end) != Some(BOOK_HEADER) {
            return Err(DecodeError::InvalidText {
                what: "sealed-record epoch book (header line)",
            });
        }
        let mut book = EpochBook::new();
        for line in lines {
            let line = line.trim_end();
            if line.is_empty() {
                continue;
            }
            let (rid, epoch) = line.split_once(' ').ok_or(DecodeError::InvalidText {
                what: "sealed-record epoch book line",
            })?;
            let rid: RecordId = rid.parse()?;
            if epoch.is_empty() || !epoch.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DecodeError::InvalidText {
                    what: "sealed-record epoch book epoch",
                });
            }
            let epoch: u32 = epoch.parse().map_err(|_| DecodeError::InvalidText {
                what: "sealed-record epoch book epoch",
            })?;
            if book.epochs.contains_key(&rid) {
                return Err(DecodeError::Invalid {
                    what: "sealed-record epoch book (a record listed twice)",
                });
            }
            book.observe(rid, epoch)?;
        }
        Ok(book)
    }
}

/// The caller's own record (it alone writes it, typically the owner of the epochs it
/// produced): `owners` is not consulted.
impl KnownEpochs for EpochBook {
    fn newest_epoch(
        &self,
        record: &RecordId,
        _owners: &[KeyId],
    ) -> Result<Option<u32>, LedgerError> {
        Ok(self.get(record))
    }
}

/// The newest epoch `known` has for `record` (signed by one of `owners`), if it is newer than
/// `epoch`: the copy at `epoch` is stale.
pub(crate) fn newer_than(
    known: &dyn KnownEpochs,
    record: &RecordId,
    owners: &[KeyId],
    epoch: u32,
) -> Result<Option<u32>, LedgerError> {
    Ok(known.newest_epoch(record, owners)?.filter(|n| *n > epoch))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn book_keeps_the_newest_and_round_trips() {
        let a = RecordId([1; 16]);
        let b = RecordId([2; 16]);
        let mut book = EpochBook::new();
        assert!(book.observe(b, 3).unwrap());
        assert!(book.observe(a, 1).unwrap());
        assert!(!book.observe(b, 2).unwrap(), "never lowered");
        assert!(book.observe(b, 4).unwrap());
        assert_eq!(book.get(&b), Some(4));
        let text = book.to_text();
        assert_eq!(
            text,
            format!("{BOOK_HEADER}\n{a} 1\n{b} 4\n"),
            "sorted, one line each"
        );
        assert_eq!(EpochBook::from_text(&text).unwrap(), book);
        assert_eq!(book.newest_epoch(&a, &[]).unwrap(), Some(1));
        assert_eq!(book.newest_epoch(&RecordId([3; 16]), &[]).unwrap(), None);
    }

    #[test]
    fn book_text_is_parsed_strictly() {
        let a = RecordId([1; 16]);
        for bad in [
            String::new(),
            "causeway-sealed-epochs v2\n".to_string(),
            format!("{BOOK_HEADER}\n{a}\n"),
            format!("{BOOK_HEADER}\n{a} -1\n"),
            format!("{BOOK_HEADER}\n{a} +1\n"),
            format!("{BOOK_HEADER}\n{a} 4294967296\n"),
            format!("{BOOK_HEADER}\n{a} 1 2\n"),
            format!("{BOOK_HEADER}\n0101 1\n"),
            format!("{BOOK_HEADER}\n{a} 1\n{a} 2\n"),
        ] {
            assert!(EpochBook::from_text(&bad).is_err(), "{bad:?}");
        }
        let big = "x".repeat(MAX_BOOK_TEXT + 1);
        assert!(matches!(
            EpochBook::from_text(&big),
            Err(DecodeError::TooLong { .. })
        ));
    }

    #[test]
    fn a_held_pair_names_one_record() {
        let a = RecordId([1; 16]);
        let held = (a, 7u32);
        assert_eq!(held.newest_epoch(&a, &[]).unwrap(), Some(7));
        assert_eq!(held.newest_epoch(&RecordId([9; 16]), &[]).unwrap(), None);
        assert_eq!(newer_than(&held, &a, &[], 6).unwrap(), Some(7));
        assert_eq!(newer_than(&held, &a, &[], 7).unwrap(), None);
    }
}
