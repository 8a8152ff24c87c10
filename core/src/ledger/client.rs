//! A ledger client: keeps the last checkpoint it trusted and only moves forward along a
//! consistency proof. A smaller checkpoint is a rollback; a different root for the same size,
//! or a newer checkpoint without a valid consistency proof, is a fork. Both are errors and the
//! trusted checkpoint is left unchanged.
//!
//! The revocation state (the checkpoint's `causeway-revocations` line) is not part of the
//! Merkle root, so the client also refuses equivocation about it: a second checkpoint of the
//! trusted size and root whose signed text differs ([`LogVerifyError::Equivocation`]), a
//! revocation proof whose checkpoint text is not the trusted one, a newer checkpoint with fewer
//! revocations, and a revocation proof whose list does not extend the revocation state of the
//! checkpoints the client trusted before ([`LogVerifyError::RevocationsRewritten`]).

use super::checkpoint::Checkpoint;
use super::merkle::{leaf_hash, Hash};
use super::proof::{verify_consistency, verify_inclusion};
use super::receipt::Receipt;
use super::revocation::{chain_step, RevocationProof, RevocationStatus, EMPTY_HEAD};
use crate::error::{LedgerError, LogVerifyError};
use crate::party::{KeyId, PublicKeys};

/// A verifier's view of one log.
#[derive(Clone, Debug)]
pub struct LedgerClient {
    origin: String,
    key: PublicKeys,
    trusted: Option<(Checkpoint, String)>,
    /// The revocation commitments `(size, count, head)` of checkpoints trusted before the
    /// current one, by increasing size (the latest [`MAX_HISTORY`]).
    history: Vec<(u64, u64, Hash)>,
}

/// How many earlier revocation commitments a client remembers.
pub const MAX_HISTORY: usize = 1024;

impl LedgerClient {
    /// A client of the log `origin` whose checkpoints are signed by `key` (under the key name
    /// `origin`). It trusts no checkpoint yet: the first one it is given (validly signed) is
    /// accepted as is.
    pub fn new(origin: &str, key: PublicKeys) -> Self {
        LedgerClient {
            origin: origin.to_owned(),
            key,
            trusted: None,
            history: Vec::new(),
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
        let mut earlier = None;
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
                // Same tree, other signed text (another revocation line): equivocation.
                if cp != *t {
                    return Err(LogVerifyError::Equivocation { size: cp.size });
                }
            } else {
                if t.size > 0 {
                    verify_consistency(t.size, cp.size, consistency, &t.root, &cp.root)
                        .map_err(|_| LogVerifyError::Inconsistent)?;
                }
                // The revocation chain only grows.
                let old = t.revocations()?;
                if let Some((count, _)) = old {
                    match cp.revocations()? {
                        Some((n, _)) if n >= count => {}
                        _ => return Err(LogVerifyError::RevocationsRewritten),
                    }
                }
                earlier = old.map(|(count, head)| (t.size, count, head));
            }
        }
        if let Some(e) = earlier {
            if self.history.len() >= MAX_HISTORY {
                self.history.remove(0);
            }
            self.history.push(e);
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

    /// Checks a revocation proof for the attestation with `revocation_handle` by `issuer`. Its
    /// checkpoint must be the trusted one: the same signed text (size, root and revocation
    /// line; signature lines may differ, e.g. by co-signatures); bring the client up to date
    /// with [`LedgerClient::update`] first. Its revocation list must also extend the revocation
    /// state of every earlier checkpoint the client trusted (that it remembers).
    pub fn check_revocation(
        &self,
        proof: &RevocationProof,
        revocation_handle: &[u8; 32],
        issuer: &KeyId,
    ) -> Result<RevocationStatus, LogVerifyError> {
        let (status, cp) = proof.verify(&self.origin, &self.key, revocation_handle, issuer)?;
        let (t, _) = self.trusted.as_ref().ok_or(LogVerifyError::InvalidProof)?;
        if cp.size != t.size {
            return Err(LogVerifyError::InvalidRevocationProof(
                "the proof is for another checkpoint than the trusted one",
            ));
        }
        if cp.root != t.root {
            return Err(LogVerifyError::Fork { size: cp.size });
        }
        if cp != *t {
            return Err(LogVerifyError::Equivocation { size: cp.size });
        }
        self.check_history(proof)?;
        Ok(status)
    }

    /// The list's prefix below each remembered size recomputes that checkpoint's count and head.
    fn check_history(&self, proof: &RevocationProof) -> Result<(), LogVerifyError> {
        let mut head = EMPTY_HEAD;
        let mut taken = 0usize;
        for &(size, count, want) in &self.history {
            while let Some(e) = proof.revocations.get(taken).filter(|e| e.index < size) {
                head = chain_step(&head, e.index, &e.revocation_handle, &e.issuer);
                taken += 1;
            }
            if u64::try_from(taken).ok() != Some(count) || head != want {
                return Err(LogVerifyError::RevocationsRewritten);
            }
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::{RevocationCheck, RevocationHandle};
    use crate::ledger::checkpoint::SignedCheckpoint;
    use crate::ledger::merkle::root_from_leaf_hashes;
    use crate::ledger::proof::{inclusion_proof, LeafSlice};
    use crate::ledger::receipt::{AttestationEvent, Event};
    use crate::ledger::revocation::{RevocationEntry, RevokedEvidence};
    use crate::party::SecretKeys;

    const ORIGIN: &str = "test.example/log";

    fn keys(seed: u8) -> SecretKeys {
        SecretKeys::from_seeds(&[seed; 32], &[seed ^ 0x5a; 32])
    }

    /// A log of attestation receipts by one issuer, signed by one log key.
    struct Log {
        log: SecretKeys,
        issuer: SecretKeys,
        entries: Vec<Vec<u8>>,
        revocations: Vec<RevocationEntry>,
    }

    impl Log {
        fn new() -> Self {
            Log {
                log: keys(1),
                issuer: keys(2),
                entries: Vec::new(),
                revocations: Vec::new(),
            }
        }
        fn push(&mut self, handle: [u8; 32], revoke: bool) {
            let ev = AttestationEvent {
                revocation_handle: handle,
                issuer: self.issuer.public().key_id(),
            };
            let ev = if revoke {
                Event::AttestationRevoked(ev)
            } else {
                Event::AttestationIssued(ev)
            };
            let r = Receipt::new(&self.issuer, ORIGIN, 1, ev).unwrap();
            if revoke {
                self.revocations.push(RevocationEntry {
                    index: self.entries.len() as u64,
                    revocation_handle: handle,
                    issuer: self.issuer.public().key_id(),
                });
            }
            self.entries.push(r.into_bytes());
        }
        fn leaves(&self) -> Vec<Hash> {
            self.entries.iter().map(|e| leaf_hash(e)).collect()
        }
        /// A checkpoint of the whole log with the revocation line over `revs`.
        fn note(&self, revs: &[RevocationEntry]) -> String {
            let mut head = EMPTY_HEAD;
            for e in revs {
                head = chain_step(&head, e.index, &e.revocation_handle, &e.issuer);
            }
            Checkpoint {
                origin: ORIGIN.into(),
                size: self.entries.len() as u64,
                root: root_from_leaf_hashes(&self.leaves()),
                extensions: vec![Checkpoint::revocations_line(revs.len() as u64, &head)],
            }
            .sign(ORIGIN, &self.log)
            .unwrap()
        }
        /// A revocation proof for `handle` over `revs`, signed in `note`.
        fn proof(&self, note: &str, revs: &[RevocationEntry], handle: [u8; 32]) -> RevocationProof {
            let revoked = revs
                .iter()
                .find(|e| e.revocation_handle == handle)
                .map(|e| {
                    let leaves = self.leaves();
                    RevokedEvidence {
                        index: e.index,
                        receipt: self.entries[e.index as usize].clone(),
                        inclusion: inclusion_proof(
                            &mut LeafSlice(&leaves),
                            e.index,
                            self.entries.len() as u64,
                        )
                        .unwrap(),
                    }
                });
            RevocationProof {
                checkpoint: SignedCheckpoint::parse(note).unwrap(),
                revocations: revs.to_vec(),
                revoked,
            }
        }
    }

    /// Issue 11 item 4: the operator signs a second note with the same root and an empty
    /// revocation line. Before the fix, `check_revocation` compared only size and root and
    /// answered "not revoked".
    #[test]
    fn same_root_other_revocation_line_is_equivocation() {
        let mut log = Log::new();
        let h = [7; 32];
        log.push(h, false);
        log.push(h, true);
        let honest = log.note(&log.revocations);
        let evil = log.note(&[]);
        let issuer = log.issuer.public().key_id();
        let mut client = LedgerClient::with_trusted(ORIGIN, log.log.public(), &honest).unwrap();
        assert!(matches!(
            client.check_revocation(&log.proof(&honest, &log.revocations, h), &h, &issuer),
            Ok(RevocationStatus::Revoked { index: 1, .. })
        ));
        let evil_proof = log.proof(&evil, &[], h);
        // The evil proof verifies on its own (the operator signed it) ...
        assert!(evil_proof
            .verify(ORIGIN, &log.log.public(), &h, &issuer)
            .is_ok());
        // ... but not against the trusted checkpoint, and the note cannot replace it.
        assert_eq!(
            client.check_revocation(&evil_proof, &h, &issuer),
            Err(LogVerifyError::Equivocation { size: 2 })
        );
        assert_eq!(
            client.update(&evil, &[]).map(|_| ()),
            Err(LogVerifyError::Equivocation { size: 2 })
        );
        assert_eq!(client.trusted_note(), Some(honest.as_str()));
        // Through the `RevocationCheck` seam: fails closed.
        let proofs = [evil_proof];
        let check = LedgerRevocations {
            client: &client,
            proofs: &proofs,
        };
        assert_eq!(
            check.is_revoked(&log.issuer.public(), &RevocationHandle(h)),
            Err(crate::error::VerifyError::RevocationUnavailable)
        );
        // The same signed text with another (co-)signature line is not equivocation.
        let cosigned = format!(
            "{honest}\u{2014} witness.example {}\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [1u8; 68])
        );
        assert!(client
            .check_revocation(&log.proof(&cosigned, &log.revocations, h), &h, &issuer)
            .is_ok());
        assert!(client.update(&cosigned, &[]).is_ok());
    }

    /// A newer checkpoint may not drop or rewrite the revocations of one trusted before.
    #[test]
    fn newer_checkpoint_must_extend_the_revocation_chain() {
        let mut log = Log::new();
        let (h, g) = ([7; 32], [8; 32]);
        log.push(h, false);
        log.push(h, true);
        let issuer = log.issuer.public().key_id();
        let first = log.note(&log.revocations);
        let client0 = LedgerClient::with_trusted(ORIGIN, log.log.public(), &first).unwrap();
        log.push(g, false);
        log.push(g, true);
        let all = log.revocations.clone();
        let leaves = log.leaves();
        let consistency =
            crate::ledger::proof::consistency_proof(&mut LeafSlice(&leaves), 2, 4).unwrap();
        // Dropping h's revocation and counting g's: same count, other chain.
        let rewritten = vec![all[1]];
        let evil = log.note(&rewritten);
        let mut c = client0.clone();
        c.update(&evil, &consistency).unwrap();
        assert_eq!(
            c.check_revocation(&log.proof(&evil, &rewritten, h), &h, &issuer),
            Err(LogVerifyError::RevocationsRewritten)
        );
        // Dropping it outright: fewer revocations than trusted.
        let mut c = client0.clone();
        assert_eq!(
            c.update(&log.note(&[]), &consistency).map(|_| ()),
            Err(LogVerifyError::RevocationsRewritten)
        );
        // The honest successor extends the chain.
        let honest = log.note(&all);
        let mut c = client0.clone();
        c.update(&honest, &consistency).unwrap();
        assert!(matches!(
            c.check_revocation(&log.proof(&honest, &all, h), &h, &issuer),
            Ok(RevocationStatus::Revoked { index: 1, .. })
        ));
    }
}
