//! Verifiable attestation revocation: "is the attestation with revocation handle X revoked as of
//! checkpoint C?".
//!
//! The ledger keeps a hash chain over its attestation-revoked receipts, in log order:
//!
//! ```text
//! head_0     = 32 zero bytes
//! head_{k+1} = SHA-256("causeway/ledger/revocations/v1" || head_k || index_be64 || revocation handle || issuer key id)
//! ```
//!
//! and every checkpoint it signs carries `causeway-revocations <count> <base64 head>` for the
//! revocations among its first `size` entries. A [`RevocationProof`] lists those revocations;
//! the verifier recomputes the chain, so the list is complete (nothing left out, nothing
//! added) and "not revoked" is checkable. A revocation that is listed comes with its signed
//! receipt and an inclusion proof against the checkpoint's root. The proof grows with the
//! number of revocations in the log, not with the log.

use super::checkpoint::{Checkpoint, SignedCheckpoint};
use super::merkle::{leaf_hash, Hash};
use super::proof::verify_inclusion;
use super::receipt::{Event, Receipt};
use crate::error::LogVerifyError;
use crate::party::{KeyId, PublicKeys};
use sha2::{Digest, Sha256};

/// The chain's domain-separation label.
pub const CHAIN_LABEL: &[u8] = b"causeway/ledger/revocations/v1";
/// Most revocations a proof may list.
pub const MAX_REVOCATIONS: usize = 1 << 20;

/// The head of the empty chain.
pub const EMPTY_HEAD: Hash = [0; 32];

/// One link of the chain.
pub fn chain_step(head: &Hash, index: u64, revocation_handle: &[u8; 32], issuer: &KeyId) -> Hash {
    let mut h = Sha256::new();
    h.update(CHAIN_LABEL);
    h.update(head);
    h.update(index.to_be_bytes());
    h.update(revocation_handle);
    h.update(issuer.as_bytes());
    h.finalize().into()
}

/// A revocation as the chain records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevocationEntry {
    /// The log index of the attestation-revoked receipt.
    pub index: u64,
    /// The revoked attestation's revocation handle (`Attestation::revocation_handle`, not
    /// its id).
    pub revocation_handle: [u8; 32],
    /// Its issuer (who signed the revocation).
    pub issuer: KeyId,
}

/// The evidence that a revocation is in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedEvidence {
    /// The log index of the receipt.
    pub index: u64,
    /// The attestation-revoked receipt's canonical bytes.
    pub receipt: Vec<u8>,
    /// Its inclusion proof in the checkpoint's tree.
    pub inclusion: Vec<Hash>,
}

/// The answer to "is attestation X revoked as of checkpoint C", with its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationProof {
    /// The signed checkpoint the answer is relative to (parsed; its signature is checked by
    /// [`RevocationProof::verify`]). Its note text, [`SignedCheckpoint::note`], is what the
    /// bundle's and the ledger's formats carry, unchanged.
    pub checkpoint: SignedCheckpoint,
    /// Every revocation among the checkpoint's entries, in log order.
    pub revocations: Vec<RevocationEntry>,
    /// When the attestation is revoked: its receipt and inclusion proof.
    pub revoked: Option<RevokedEvidence>,
}

/// The verified status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationStatus {
    /// No revocation of this attestation by this issuer among the checkpoint's entries.
    NotRevoked {
        /// The checkpoint's tree size.
        as_of_size: u64,
    },
    /// Revoked by its issuer at this log index.
    Revoked {
        /// The log index of the revocation receipt.
        index: u64,
        /// The time the issuer gave (Unix milliseconds).
        time_ms: u64,
    },
}

fn bad(what: &'static str) -> LogVerifyError {
    LogVerifyError::InvalidRevocationProof(what)
}

impl RevocationProof {
    /// Verifies the proof for the attestation with `revocation_handle` issued by `issuer`, against a checkpoint of the
    /// log `origin` signed by `log_key`. Returns the checkpoint too, so a client can check it
    /// is consistent with the one it trusts (see `LedgerClient::check_revocation`).
    pub fn verify(
        &self,
        origin: &str,
        log_key: &PublicKeys,
        revocation_handle: &[u8; 32],
        issuer: &KeyId,
    ) -> Result<(RevocationStatus, Checkpoint), LogVerifyError> {
        let cp = Checkpoint::open(self.checkpoint.note(), origin, log_key)?;
        if cp.origin != origin {
            return Err(LogVerifyError::WrongOrigin);
        }
        let (count, head) = cp
            .revocations()?
            .ok_or(bad("checkpoint has no revocation line"))?;
        if self.revocations.len() > MAX_REVOCATIONS
            || u64::try_from(self.revocations.len()).ok() != Some(count)
        {
            return Err(bad("revocation count"));
        }
        let mut h = EMPTY_HEAD;
        let mut last: Option<u64> = None;
        let mut hit: Option<u64> = None;
        for e in &self.revocations {
            if e.index >= cp.size || last.is_some_and(|l| e.index <= l) {
                return Err(bad("revocation indices"));
            }
            last = Some(e.index);
            h = chain_step(&h, e.index, &e.revocation_handle, &e.issuer);
            if &e.revocation_handle == revocation_handle && &e.issuer == issuer && hit.is_none() {
                hit = Some(e.index);
            }
        }
        if h != head {
            return Err(bad("revocation chain does not match the checkpoint"));
        }
        match (hit, &self.revoked) {
            (None, _) => Ok((
                RevocationStatus::NotRevoked {
                    as_of_size: cp.size,
                },
                cp,
            )),
            (Some(index), Some(ev)) if ev.index == index => {
                let r = Receipt::from_bytes(&ev.receipt)
                    .map_err(|_| LogVerifyError::InvalidReceipt("revocation receipt"))?;
                match r.event() {
                    Event::AttestationRevoked(a)
                        if &a.revocation_handle == revocation_handle && &a.issuer == issuer => {}
                    _ => return Err(bad("receipt is not this revocation")),
                }
                if r.origin() != origin {
                    return Err(LogVerifyError::WrongOrigin);
                }
                verify_inclusion(
                    index,
                    cp.size,
                    &leaf_hash(&ev.receipt),
                    &ev.inclusion,
                    &cp.root,
                )?;
                Ok((
                    RevocationStatus::Revoked {
                        index,
                        time_ms: r.time_ms(),
                    },
                    cp,
                ))
            }
            (Some(_), _) => Err(bad("revoked, but the receipt evidence is missing or wrong")),
        }
    }
}
