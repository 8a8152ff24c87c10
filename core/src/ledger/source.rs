//! [`LedgerSource`]: what a prover needs from a ledger (its origin and log key, stored signed
//! checkpoints, entries, inclusion and consistency proofs, revocation proofs), as a trait, so
//! that proof bundles ([`super::bundle`]) and anchor receipts
//! ([`crate::anchor::AnchorReceipt::from_source`]) are built from any store, not only the
//! SQLite [`super::sqlite::LocalLedger`] (which implements it with the `sqlite` feature).

use super::merkle::Hash;
use super::revocation::RevocationProof;
use crate::error::LedgerError;
use crate::party::{KeyId, PublicKeys};

/// Read access to a ledger, for building proofs.
pub trait LedgerSource {
    /// The log's origin.
    fn origin(&self) -> &str;
    /// The key that signs the log's checkpoints.
    fn log_key(&self) -> &PublicKeys;
    /// The stored signed checkpoint of exactly `size` entries, if one was signed.
    fn checkpoint_at(&self, size: u64) -> Result<Option<String>, LedgerError>;
    /// The latest stored signed checkpoint, if any.
    fn latest_checkpoint(&self) -> Result<Option<String>, LedgerError>;
    /// The canonical bytes of entry `index`.
    fn entry(&self, index: u64) -> Result<Vec<u8>, LedgerError>;
    /// The root of the tree of the first `size` entries.
    fn root_at(&self, size: u64) -> Result<Hash, LedgerError>;
    /// The inclusion proof of entry `index` in the tree of the first `size` entries.
    fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError>;
    /// The consistency proof from the tree of `size1` entries to the tree of `size2`.
    fn consistency_proof(&self, size1: u64, size2: u64) -> Result<Vec<Hash>, LedgerError>;
    /// Whether the attestation with `revocation_handle` by `issuer` is revoked as of the
    /// stored checkpoint of `size` entries (the latest when `None`).
    fn revocation_proof(
        &self,
        revocation_handle: &[u8; 32],
        issuer: &KeyId,
        size: Option<u64>,
    ) -> Result<RevocationProof, LedgerError>;
}

#[cfg(feature = "sqlite")]
impl LedgerSource for super::sqlite::LocalLedger {
    fn origin(&self) -> &str {
        super::sqlite::LocalLedger::origin(self)
    }
    fn log_key(&self) -> &PublicKeys {
        super::sqlite::LocalLedger::log_key(self)
    }
    fn checkpoint_at(&self, size: u64) -> Result<Option<String>, LedgerError> {
        super::sqlite::LocalLedger::checkpoint_at(self, size)
    }
    fn latest_checkpoint(&self) -> Result<Option<String>, LedgerError> {
        super::sqlite::LocalLedger::latest_checkpoint(self)
    }
    fn entry(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        super::sqlite::LocalLedger::entry(self, index)
    }
    fn root_at(&self, size: u64) -> Result<Hash, LedgerError> {
        super::sqlite::LocalLedger::root_at(self, size)
    }
    fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        super::sqlite::LocalLedger::inclusion_proof(self, index, size)
    }
    fn consistency_proof(&self, size1: u64, size2: u64) -> Result<Vec<Hash>, LedgerError> {
        super::sqlite::LocalLedger::consistency_proof(self, size1, size2)
    }
    fn revocation_proof(
        &self,
        revocation_handle: &[u8; 32],
        issuer: &KeyId,
        size: Option<u64>,
    ) -> Result<RevocationProof, LedgerError> {
        super::sqlite::LocalLedger::revocation_proof(self, revocation_handle, issuer, size)
    }
}
