//! A ledger client: keeps the last checkpoint it trusted and only moves forward along a
//! consistency proof. A smaller checkpoint is a rollback; a different root for the same size,
//! or a newer checkpoint without a valid consistency proof, is a fork. Both are errors and the
//! trusted checkpoint is left unchanged.

use super::checkpoint::Checkpoint;
use super::merkle::{leaf_hash, Hash};
use super::proof::{verify_consistency, verify_inclusion};
use super::receipt::Receipt;
use super::revocation::{RevocationProof, RevocationStatus};
use crate::error::{LedgerError, LogVerifyError};
use crate::party::{KeyId, PublicKeys};

/// A verifier's view of one log.
#[derive(Clone, Debug)]
pub struct LedgerClient {
    origin: String,
    key: PublicKeys,
    trusted: Option<(Checkpoint, String)>,
}

impl LedgerClient {
    /// A client of the log `origin` whose checkpoints are signed by `key` (under the key name
    /// `origin`). It trusts no checkpoint yet: the first one it is given (validly signed) is
    /// accepted as is.
    pub fn new(origin: &str, key: PublicKeys) -> Self {
        LedgerClient {
            origin: origin.to_owned(),
            key,
            trusted: None,
        }
    }

    /// A client that starts from a checkpoint it already trusts (e.g. stored from an earlier
    /// session, or read from a chain anchor).
    pub fn with_trusted(origin: &str, key: PublicKeys, note: &str) -> Result<Self, LogVerifyError> {
        let mut c = Self::new(origin, key);
        c.update(note, &[])?;
        Ok(c)
    }

    /// The log's origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The trusted checkpoint, if any.
    pub fn trusted(&self) -> Option<&Checkpoint> {
        self.trusted.as_ref().map(|(c, _)| c)
    }

    /// The trusted checkpoint's signed note, to persist across sessions.
    pub fn trusted_note(&self) -> Option<&str> {
        self.trusted.as_ref().map(|(_, n)| n.as_str())
    }

    /// Opens and checks a signed checkpoint of this log without trusting it.
    pub fn open_checkpoint(&self, note: &str) -> Result<Checkpoint, LogVerifyError> {
        let cp = Checkpoint::open(note, &self.origin, &self.key)?;
        if cp.origin != self.origin {
            return Err(LogVerifyError::WrongOrigin);
        }
        Ok(cp)
    }

    /// Offers a newer checkpoint with the consistency proof from the trusted size to its size.
    /// On success the new checkpoint becomes the trusted one.
    pub fn update(
        &mut self,
        note: &str,
        consistency: &[Hash],
    ) -> Result<&Checkpoint, LogVerifyError> {
        let cp = self.open_checkpoint(note)?;
        if let Some((t, _)) = &self.trusted {
            if cp.size < t.size {
                return Err(LogVerifyError::Rollback {
                    trusted: t.size,
                    offered: cp.size,
                });
            }
            if cp.size == t.size {
                if cp.root != t.root {
                    return Err(LogVerifyError::Fork { size: cp.size });
                }
            } else if t.size > 0 {
                verify_consistency(t.size, cp.size, consistency, &t.root, &cp.root)
                    .map_err(|_| LogVerifyError::Inconsistent)?;
            }
        }
        let (c, _) = self.trusted.insert((cp, note.to_owned()));
        Ok(c)
    }

    /// Verifies that `leaf` (an entry's canonical bytes) is at `index` in the trusted tree.
    pub fn verify_inclusion(
        &self,
        leaf: &[u8],
        index: u64,
        proof: &[Hash],
    ) -> Result<(), LogVerifyError> {
        let (t, _) = self.trusted.as_ref().ok_or(LogVerifyError::InvalidProof)?;
        verify_inclusion(index, t.size, &leaf_hash(leaf), proof, &t.root)
    }

    /// Verifies a receipt's signature and its inclusion at `index` in the trusted tree, and
    /// that it was made for this log.
    pub fn verify_receipt(
        &self,
        receipt: &[u8],
        index: u64,
        proof: &[Hash],
    ) -> Result<Receipt, LedgerError> {
        let r = Receipt::from_bytes(receipt)?;
        if r.origin() != self.origin {
            return Err(LogVerifyError::WrongOrigin.into());
        }
        self.verify_inclusion(receipt, index, proof)?;
        Ok(r)
    }

    /// Checks a revocation proof for an attestation. Its checkpoint must be the trusted one
    /// (same size and root); bring the client up to date with [`LedgerClient::update`] first.
    pub fn check_revocation(
        &self,
        proof: &RevocationProof,
        attestation_id: &[u8; 32],
        issuer: &KeyId,
    ) -> Result<RevocationStatus, LogVerifyError> {
        let (status, cp) = proof.verify(&self.origin, &self.key, attestation_id, issuer)?;
        let (t, _) = self.trusted.as_ref().ok_or(LogVerifyError::InvalidProof)?;
        if cp.size != t.size {
            return Err(LogVerifyError::InvalidRevocationProof(
                "the proof is for another checkpoint than the trusted one",
            ));
        }
        if cp.root != t.root {
            return Err(LogVerifyError::Fork { size: cp.size });
        }
        Ok(status)
    }
}

/// Attestation revocation read from the ledger: answers [`crate::attest::RevocationCheck`]
/// from a [`RevocationProof`] checked against the client's trusted checkpoint.
///
/// The proof's revocation list is complete for its checkpoint (the chain head is signed), so
/// one proof answers "not revoked" for every attestation absent from the list. An attestation
/// in the list counts as revoked only with its issuer-signed receipt and inclusion proof; a
/// listed revocation without that evidence, a proof for another checkpoint, or any proof
/// failure is `RevocationUnavailable` (verification fails closed).
#[derive(Clone, Copy, Debug)]
pub struct LedgerRevocations<'a> {
    /// The client holding the trusted checkpoint.
    pub client: &'a LedgerClient,
    /// The revocation proofs (at least one) for the trusted checkpoint.
    pub proofs: &'a [RevocationProof],
}

impl crate::attest::RevocationCheck for LedgerRevocations<'_> {
    fn is_revoked(
        &self,
        issuer: &PublicKeys,
        handle: &crate::attest::RevocationHandle,
    ) -> Result<bool, crate::error::VerifyError> {
        let issuer = issuer.key_id();
        let mut answer = None;
        for p in self.proofs {
            match self.client.check_revocation(p, &handle.0, &issuer) {
                Ok(RevocationStatus::Revoked { .. }) => return Ok(true),
                Ok(_) => answer = Some(false),
                // This proof may carry evidence for another attestation only; another proof
                // may carry ours.
                Err(_) => {}
            }
        }
        answer.ok_or(crate::error::VerifyError::RevocationUnavailable)
    }
}
