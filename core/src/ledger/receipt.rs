//! Receipts: typed, signed ledger entries that say what happened.
//!
//! A receipt is signed by the party that acted (the record's owner for seal, grant and revoke;
//! the issuer for attestation events; the log operator for anchors) with Ed25519 over
//! `"causeway/ledger/receipt/v1" || 0x00 || <every byte of the receipt before the signature>`.
//! The bytes bind the format version, the event kind, the time, the log origin and the
//! signer's public keys. The wire format is in `docs/spec/receipt.md`; a receipt's canonical
//! bytes are the ledger leaf (`leaf hash = SHA-256(0x00 || bytes)`).
//!
//! ```
//! use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
//! use causeway::party::Party;
//! let issuer = Party::generate()?;
//! let r = Receipt::new(
//!     issuer.keys(),
//!     "example.org/log",
//!     1_700_000_000_000,
//!     Event::AttestationRevoked(AttestationEvent { revocation_handle: [7; 32], issuer: issuer.key_id() }),
//! )?;
//! let back = Receipt::from_bytes(r.as_bytes())?; // parses and verifies the signature
//! assert_eq!(back, r);
//! # Ok::<(), causeway::Error>(())
//! ```

use super::merkle::{leaf_hash, Hash};
use crate::encoding::{read_header, write_header, Reader, Tag};
use crate::error::{DecodeError, LedgerError, LogVerifyError};
use crate::evidence::EvidenceEvent;
use crate::party::{KeyId, PublicKeys, SecretKeys};
use crate::seal::{RecordId, Sealed};
use serde_json::{json, Value};

/// Current receipt format version.
pub const VERSION: u8 = 1;
/// The signature's domain-separation label.
pub const SIGNING_LABEL: &[u8] = b"causeway/ledger/receipt/v1";
/// Longest log origin, in bytes.
pub const MAX_ORIGIN: usize = 255;
/// Most recipients a record-sealed receipt lists.
pub const MAX_RECIPIENTS: usize = 1024;
/// Largest receipt, in bytes (a sealed receipt with [`MAX_RECIPIENTS`] recipients fits).
pub const MAX_RECEIPT_LEN: usize = 64 * 1024;

const SIG_LEN: usize = 64;

/// A record was sealed (first epoch, or a re-seal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordSealed {
    /// The record id.
    pub record_id: RecordId,
    /// The epoch of this sealed version.
    pub epoch: u32,
    /// SHA-256 of the sealed record's canonical bytes.
    pub ciphertext_hash: Hash,
    /// The attested content commitment, all zero when there is none.
    pub content_commitment: Hash,
    /// The owner's key id (the receipt's signer).
    pub owner: KeyId,
    /// The recipients' key ids (stored sorted, without duplicates).
    pub recipients: Vec<KeyId>,
}

/// A recipient was added to a sealed record (same content key, one more wrap).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessGranted {
    /// The record id.
    pub record_id: RecordId,
    /// The epoch (unchanged by a grant).
    pub epoch: u32,
    /// SHA-256 of the new sealed record's canonical bytes.
    pub ciphertext_hash: Hash,
    /// The owner's key id (the receipt's signer).
    pub owner: KeyId,
    /// Who was granted access.
    pub grantee: KeyId,
}

/// A recipient was removed: the record was re-sealed under a new key with the epoch increased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRevoked {
    /// The record id.
    pub record_id: RecordId,
    /// The new epoch.
    pub epoch: u32,
    /// SHA-256 of the new sealed record's canonical bytes.
    pub ciphertext_hash: Hash,
    /// The owner's key id (the receipt's signer).
    pub owner: KeyId,
    /// Whose access was revoked.
    pub revoked: KeyId,
}

/// An attestation was issued or revoked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttestationEvent {
    /// The attestation's revocation handle ([`crate::attest::Attestation::revocation_handle`],
    /// what verifiers check revocation against), not its id. Until issue 11 this field was
    /// called `attestation_id`; the bytes on the wire are unchanged.
    pub revocation_handle: [u8; 32],
    /// The issuer's key id (the receipt's signer).
    pub issuer: KeyId,
}

/// A checkpoint of this log was anchored on a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckpointAnchored {
    /// The anchored checkpoint's tree size.
    pub log_size: u64,
    /// The anchored checkpoint's root hash.
    pub log_root: Hash,
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// The anchor contract's address.
    pub contract: [u8; 20],
    /// The block number that includes the anchoring transaction.
    pub block: u64,
    /// The anchoring transaction's hash.
    pub tx_hash: [u8; 32],
}

/// What a receipt records.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Kind 1.
    RecordSealed(RecordSealed),
    /// Kind 2.
    AccessGranted(AccessGranted),
    /// Kind 3.
    AccessRevoked(AccessRevoked),
    /// Kind 4.
    AttestationIssued(AttestationEvent),
    /// Kind 5.
    AttestationRevoked(AttestationEvent),
    /// Kind 6.
    CheckpointAnchored(CheckpointAnchored),
    /// Kind 7: a party notarised a byte string (issue 15 §1, [`crate::evidence`]).
    EvidenceRecorded(EvidenceEvent),
    /// Kind 8: a trace event about a product (see [`crate::trace`]).
    TraceRecorded(crate::trace::TraceEvent),
}

impl Event {
    /// The kind byte on the wire.
    pub fn kind(&self) -> u8 {
        match self {
            Event::RecordSealed(_) => 1,
            Event::AccessGranted(_) => 2,
            Event::AccessRevoked(_) => 3,
            Event::AttestationIssued(_) => 4,
            Event::AttestationRevoked(_) => 5,
            Event::CheckpointAnchored(_) => 6,
            Event::EvidenceRecorded(_) => 7,
            Event::TraceRecorded(_) => 8,
        }
    }

    /// The kind's name (`record-sealed`, `access-granted`, ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Event::RecordSealed(_) => "record-sealed",
            Event::AccessGranted(_) => "access-granted",
            Event::AccessRevoked(_) => "access-revoked",
            Event::AttestationIssued(_) => "attestation-issued",
            Event::AttestationRevoked(_) => "attestation-revoked",
            Event::CheckpointAnchored(_) => "checkpoint-anchored",
            Event::EvidenceRecorded(_) => "evidence-recorded",
            Event::TraceRecorded(_) => "trace-recorded",
        }
    }

    /// The party that must sign this event, if the event names one.
    pub fn required_signer(&self) -> Option<KeyId> {
        match self {
            Event::RecordSealed(e) => Some(e.owner),
            Event::AccessGranted(e) => Some(e.owner),
            Event::AccessRevoked(e) => Some(e.owner),
            Event::AttestationIssued(e) | Event::AttestationRevoked(e) => Some(e.issuer),
            Event::CheckpointAnchored(_) => None,
            Event::EvidenceRecorded(e) => Some(e.submitter),
            Event::TraceRecorded(e) => Some(e.actor),
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Event::RecordSealed(e) => {
                out.extend_from_slice(&e.record_id.0);
                out.extend_from_slice(&e.epoch.to_be_bytes());
                out.extend_from_slice(&e.ciphertext_hash);
                out.extend_from_slice(&e.content_commitment);
                out.extend_from_slice(e.owner.as_bytes());
                let n = u16::try_from(e.recipients.len()).unwrap_or(u16::MAX);
                out.extend_from_slice(&n.to_be_bytes());
                for r in e.recipients.iter().take(usize::from(n)) {
                    out.extend_from_slice(r.as_bytes());
                }
            }
            Event::AccessGranted(e) => {
                out.extend_from_slice(&e.record_id.0);
                out.extend_from_slice(&e.epoch.to_be_bytes());
                out.extend_from_slice(&e.ciphertext_hash);
                out.extend_from_slice(e.owner.as_bytes());
                out.extend_from_slice(e.grantee.as_bytes());
            }
            Event::AccessRevoked(e) => {
                out.extend_from_slice(&e.record_id.0);
                out.extend_from_slice(&e.epoch.to_be_bytes());
                out.extend_from_slice(&e.ciphertext_hash);
                out.extend_from_slice(e.owner.as_bytes());
                out.extend_from_slice(e.revoked.as_bytes());
            }
            Event::AttestationIssued(e) | Event::AttestationRevoked(e) => {
                out.extend_from_slice(&e.revocation_handle);
                out.extend_from_slice(e.issuer.as_bytes());
            }
            Event::CheckpointAnchored(e) => {
                out.extend_from_slice(&e.log_size.to_be_bytes());
                out.extend_from_slice(&e.log_root);
                out.extend_from_slice(&e.chain_id.to_be_bytes());
                out.extend_from_slice(&e.contract);
                out.extend_from_slice(&e.block.to_be_bytes());
                out.extend_from_slice(&e.tx_hash);
            }
            Event::EvidenceRecorded(e) => e.encode(out),
            Event::TraceRecorded(e) => crate::trace::encode_event(e, out),
        }
    }

    fn decode(kind: u8, r: &mut Reader<'_>) -> Result<Event, DecodeError> {
        Ok(match kind {
            1 => {
                let record_id = RecordId(r.array()?);
                let epoch = r.u32()?;
                let ciphertext_hash = r.array()?;
                let content_commitment = r.array()?;
                let owner = KeyId(r.array()?);
                let n = usize::from(r.u16()?);
                if n > MAX_RECIPIENTS {
                    return Err(DecodeError::TooLong {
                        what: "receipt recipients",
                        len: n,
                        max: MAX_RECIPIENTS,
                    });
                }
                if r.remaining() < n.saturating_mul(16) {
                    return Err(DecodeError::Truncated);
                }
                let mut recipients: Vec<KeyId> = Vec::with_capacity(n);
                for _ in 0..n {
                    let k = KeyId(r.array()?);
                    if recipients.last().is_some_and(|p| *p >= k) {
                        return Err(DecodeError::Invalid {
                            what: "receipt recipients (not sorted and unique)",
                        });
                    }
                    recipients.push(k);
                }
                Event::RecordSealed(RecordSealed {
                    record_id,
                    epoch,
                    ciphertext_hash,
                    content_commitment,
                    owner,
                    recipients,
                })
            }
            2 => Event::AccessGranted(AccessGranted {
                record_id: RecordId(r.array()?),
                epoch: r.u32()?,
                ciphertext_hash: r.array()?,
                owner: KeyId(r.array()?),
                grantee: KeyId(r.array()?),
            }),
            3 => Event::AccessRevoked(AccessRevoked {
                record_id: RecordId(r.array()?),
                epoch: r.u32()?,
                ciphertext_hash: r.array()?,
                owner: KeyId(r.array()?),
                revoked: KeyId(r.array()?),
            }),
            4 | 5 => {
                let e = AttestationEvent {
                    revocation_handle: r.array()?,
                    issuer: KeyId(r.array()?),
                };
                if kind == 4 {
                    Event::AttestationIssued(e)
                } else {
                    Event::AttestationRevoked(e)
                }
            }
            6 => Event::CheckpointAnchored(CheckpointAnchored {
                log_size: r.u64()?,
                log_root: r.array()?,
                chain_id: r.u64()?,
                contract: r.array()?,
                block: r.u64()?,
                tx_hash: r.array()?,
            }),
            7 => Event::EvidenceRecorded(EvidenceEvent::decode(r)?),
            8 => Event::TraceRecorded(crate::trace::decode_event(r)?),
            _ => {
                return Err(DecodeError::Invalid {
                    what: "receipt kind",
                })
            }
        })
    }

    fn to_json(&self) -> Value {
        fn h<T: AsRef<[u8]>>(b: T) -> String {
            hex::encode(b)
        }
        match self {
            Event::RecordSealed(e) => json!({
                "record_id": e.record_id.to_string(), "epoch": e.epoch,
                "ciphertext_hash": h(e.ciphertext_hash),
                "content_commitment": h(e.content_commitment),
                "owner": e.owner.to_string(),
                "recipients": e.recipients.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            }),
            Event::AccessGranted(e) => json!({
                "record_id": e.record_id.to_string(), "epoch": e.epoch,
                "ciphertext_hash": h(e.ciphertext_hash), "owner": e.owner.to_string(),
                "grantee": e.grantee.to_string(),
            }),
            Event::AccessRevoked(e) => json!({
                "record_id": e.record_id.to_string(), "epoch": e.epoch,
                "ciphertext_hash": h(e.ciphertext_hash), "owner": e.owner.to_string(),
                "revoked": e.revoked.to_string(),
            }),
            Event::AttestationIssued(e) | Event::AttestationRevoked(e) => json!({
                "revocation_handle": h(e.revocation_handle), "issuer": e.issuer.to_string(),
            }),
            Event::CheckpointAnchored(e) => json!({
                "log_size": e.log_size, "log_root": h(e.log_root), "chain_id": e.chain_id,
                "contract": format!("0x{}", h(e.contract)), "block": e.block,
                "tx_hash": format!("0x{}", h(e.tx_hash)),
            }),
            Event::EvidenceRecorded(e) => e.to_json(),
            Event::TraceRecorded(e) => e.to_json(),
        }
    }
}

/// A signed receipt. Values of this type always carry a valid signature by the party the
/// event names: they are made by [`Receipt::new`] or checked by [`Receipt::from_bytes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    bytes: Vec<u8>,
    origin: String,
    time_ms: u64,
    signer: PublicKeys,
    event: Event,
}

fn check_origin(origin: &str) -> Result<(), LedgerError> {
    if origin.is_empty()
        || origin.len() > MAX_ORIGIN
        || origin.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(LedgerError::InvalidValue(
            "origin must be 1..=255 bytes without spaces or control characters",
        ));
    }
    Ok(())
}

impl Receipt {
    /// Signs `event` as happening at `time_ms` (Unix milliseconds), for the log `origin`.
    /// The signing keys must be the owner's (seal, grant, revoke) or the issuer's
    /// (attestation events); recipients are sorted and de-duplicated.
    pub fn new(
        keys: &SecretKeys,
        origin: &str,
        time_ms: u64,
        mut event: Event,
    ) -> Result<Receipt, LedgerError> {
        check_origin(origin)?;
        let signer = keys.public();
        if let Some(required) = event.required_signer() {
            if required != signer.key_id() {
                return Err(LedgerError::WrongSigner);
            }
        }
        if let Event::RecordSealed(e) = &mut event {
            e.recipients.sort_unstable();
            e.recipients.dedup();
            if e.recipients.len() > MAX_RECIPIENTS {
                return Err(LedgerError::TooLarge {
                    what: "receipt recipients",
                    len: e.recipients.len() as u64,
                    max: MAX_RECIPIENTS as u64,
                });
            }
        }
        if let Event::TraceRecorded(e) = &mut event {
            crate::trace::canonicalize_event(e)?;
        }
        let mut bytes = Vec::with_capacity(256);
        write_header(&mut bytes, VERSION, Tag::Receipt);
        bytes.push(event.kind());
        bytes.extend_from_slice(&time_ms.to_be_bytes());
        crate::encoding::put_bytes_u16(&mut bytes, origin.as_bytes());
        bytes.extend_from_slice(signer.signing().as_bytes());
        bytes.extend_from_slice(signer.encryption().as_bytes());
        event.encode(&mut bytes);
        let sig = keys.sign(&signed_message(&bytes));
        bytes.extend_from_slice(&sig);
        Ok(Receipt {
            bytes,
            origin: origin.to_owned(),
            time_ms,
            signer,
            event,
        })
    }

    /// A record-sealed receipt for `sealed` (first seal or re-seal), signed by its owner.
    /// `content_commitment` is the attested content commitment, if there is one.
    pub fn sealed_from(
        keys: &SecretKeys,
        origin: &str,
        time_ms: u64,
        sealed: &Sealed,
        content_commitment: Option<Hash>,
    ) -> Result<Receipt, LedgerError> {
        Self::new(
            keys,
            origin,
            time_ms,
            Event::RecordSealed(RecordSealed {
                record_id: sealed.record_id(),
                epoch: sealed.epoch(),
                ciphertext_hash: sealed.ciphertext_hash(),
                content_commitment: content_commitment.unwrap_or([0; 32]),
                owner: sealed.owner(),
                recipients: sealed.recipients(),
            }),
        )
    }

    /// An access-granted receipt for the sealed record a grant returned.
    pub fn granted_from(
        keys: &SecretKeys,
        origin: &str,
        time_ms: u64,
        granted: &Sealed,
        grantee: KeyId,
    ) -> Result<Receipt, LedgerError> {
        Self::new(
            keys,
            origin,
            time_ms,
            Event::AccessGranted(AccessGranted {
                record_id: granted.record_id(),
                epoch: granted.epoch(),
                ciphertext_hash: granted.ciphertext_hash(),
                owner: granted.owner(),
                grantee,
            }),
        )
    }

    /// An access-revoked receipt for the re-sealed record a revocation returned.
    pub fn revoked_from(
        keys: &SecretKeys,
        origin: &str,
        time_ms: u64,
        resealed: &Sealed,
        revoked: KeyId,
    ) -> Result<Receipt, LedgerError> {
        Self::new(
            keys,
            origin,
            time_ms,
            Event::AccessRevoked(AccessRevoked {
                record_id: resealed.record_id(),
                epoch: resealed.epoch(),
                ciphertext_hash: resealed.ciphertext_hash(),
                owner: resealed.owner(),
                revoked,
            }),
        )
    }

    /// An attestation-issued receipt for `attestation`, signed by its issuer. The receipt
    /// carries the attestation's revocation handle, the value revocation is checked against
    /// (see [`crate::attest::RevocationCheck`]). `keys` must be the issuer key the attestation
    /// names (after a rotation, the retired key: see `Party::find`).
    pub fn attestation_issued_from(
        keys: &SecretKeys,
        origin: &str,
        time_ms: u64,
        attestation: &crate::attest::Attestation,
    ) -> Result<Receipt, LedgerError> {
        Self::new(
            keys,
            origin,
            time_ms,
            Event::AttestationIssued(AttestationEvent {
                revocation_handle: attestation.revocation_handle().0,
                issuer: attestation.issuer(),
            }),
        )
    }

    /// An attestation-revoked receipt for `attestation`, signed by its issuer (carrying its
    /// revocation handle, as [`Receipt::attestation_issued_from`]).
    pub fn attestation_revoked_from(
        keys: &SecretKeys,
        origin: &str,
        time_ms: u64,
        attestation: &crate::attest::Attestation,
    ) -> Result<Receipt, LedgerError> {
        Self::new(
            keys,
            origin,
            time_ms,
            Event::AttestationRevoked(AttestationEvent {
                revocation_handle: attestation.revocation_handle().0,
                issuer: attestation.issuer(),
            }),
        )
    }

    /// Parses canonical receipt bytes and verifies the signature (strictly) and that the
    /// signer is the party the event names.
    pub fn from_bytes(b: &[u8]) -> Result<Receipt, LedgerError> {
        if b.len() > MAX_RECEIPT_LEN {
            return Err(DecodeError::TooLong {
                what: "receipt",
                len: b.len(),
                max: MAX_RECEIPT_LEN,
            }
            .into());
        }
        let body_len = b.len().checked_sub(SIG_LEN).ok_or(DecodeError::Truncated)?;
        let (body, sig) = b.split_at(body_len);
        let mut r = Reader::new(body);
        read_header(&mut r, Tag::Receipt, &[VERSION])?;
        let kind = r.u8()?;
        let time_ms = r.u64()?;
        let origin = r.str_u16("receipt origin", MAX_ORIGIN)?.to_owned();
        check_origin(&origin).map_err(|_| DecodeError::Invalid {
            what: "receipt origin",
        })?;
        let ed: [u8; 32] = r.array()?;
        let x: [u8; 32] = r.array()?;
        let signer = PublicKeys::from_bytes(&ed, &x)
            .map_err(|_| LogVerifyError::InvalidReceipt("signer key"))?;
        let event = Event::decode(kind, &mut r)?;
        r.finish()?;
        let sig: [u8; 64] = sig.try_into().map_err(|_| DecodeError::Truncated)?;
        signer
            .verify(&signed_message(body), &sig)
            .map_err(|_| LogVerifyError::InvalidReceipt("signature"))?;
        if let Some(required) = event.required_signer() {
            if required != signer.key_id() {
                return Err(LogVerifyError::InvalidReceipt("signed by another party").into());
            }
        }
        Ok(Receipt {
            bytes: b.to_vec(),
            origin,
            time_ms,
            signer,
            event,
        })
    }

    /// The canonical bytes (the ledger leaf).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The canonical bytes, consuming the receipt.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The RFC 9162 leaf hash of the canonical bytes.
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.bytes)
    }

    /// The log this receipt was made for.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// When it happened, as the signer says (Unix milliseconds).
    pub fn time_ms(&self) -> u64 {
        self.time_ms
    }

    /// The signer's public keys.
    pub fn signer(&self) -> &PublicKeys {
        &self.signer
    }

    /// What happened.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// A JSON view (no secrets; the receipt's bytes are the authority): a typed struct that
    /// serializes and prints as `{"kind", "origin", "time_ms", "signer", "event"}` (see
    /// [`ReceiptJson`]).
    pub fn to_json(&self) -> ReceiptJson {
        ReceiptJson {
            kind: self.event.kind_name(),
            origin: self.origin.clone(),
            time_ms: self.time_ms,
            signer: self.signer.key_id(),
            event: self.event.clone(),
        }
    }
}

/// The JSON view of a [`Receipt`] ([`Receipt::to_json`]): it serializes (serde) and prints
/// (`Display`, compact) as `{"kind", "origin", "time_ms", "signer", "event"}`, the event's
/// hashes in hex and its key ids as text. A view for people and logs: it is not read back (the
/// receipt's bytes are the authority).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptJson {
    /// The event's kind name (`"record-sealed"`, …).
    pub kind: &'static str,
    /// The ledger's origin.
    pub origin: String,
    /// The signer's clock, in milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// The signer's key id.
    pub signer: KeyId,
    /// What happened.
    pub event: Event,
}

impl ReceiptJson {
    /// The one rendering behind `Serialize` and `Display`.
    fn value(&self) -> Value {
        json!({
            "kind": self.kind,
            "origin": self.origin,
            "time_ms": self.time_ms,
            "signer": self.signer.to_string(),
            "event": self.event.to_json(),
        })
    }
}

impl serde::Serialize for ReceiptJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl core::fmt::Display for ReceiptJson {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(&self.value(), f)
    }
}

fn signed_message(body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNING_LABEL.len() + 1 + body.len());
    m.extend_from_slice(SIGNING_LABEL);
    m.push(0);
    m.extend_from_slice(body);
    m
}

/// The current time in Unix milliseconds (native builds; browsers pass their own clock).
#[cfg(not(target_arch = "wasm32"))]
pub fn unix_millis_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::party::Party;
    use crate::record::Record;

    fn party(seed: u8) -> Party {
        Party::from_keys(SecretKeys::from_seeds(
            &[seed; 32],
            &[seed.wrapping_add(100); 32],
        ))
    }

    fn all_events(owner: &Party) -> Vec<Event> {
        let id = owner.key_id();
        vec![
            Event::RecordSealed(RecordSealed {
                record_id: RecordId([1; 16]),
                epoch: 3,
                ciphertext_hash: [2; 32],
                content_commitment: [0; 32],
                owner: id,
                recipients: vec![KeyId([9; 16]), id, KeyId([9; 16])],
            }),
            Event::AccessGranted(AccessGranted {
                record_id: RecordId([1; 16]),
                epoch: 3,
                ciphertext_hash: [3; 32],
                owner: id,
                grantee: KeyId([5; 16]),
            }),
            Event::AccessRevoked(AccessRevoked {
                record_id: RecordId([1; 16]),
                epoch: 4,
                ciphertext_hash: [4; 32],
                owner: id,
                revoked: KeyId([5; 16]),
            }),
            Event::AttestationIssued(AttestationEvent {
                revocation_handle: [6; 32],
                issuer: id,
            }),
            Event::AttestationRevoked(AttestationEvent {
                revocation_handle: [6; 32],
                issuer: id,
            }),
            Event::CheckpointAnchored(CheckpointAnchored {
                log_size: 10,
                log_root: [7; 32],
                chain_id: 31337,
                contract: [8; 20],
                block: 99,
                tx_hash: [9; 32],
            }),
            Event::EvidenceRecorded(EvidenceEvent {
                digest: [10; 32],
                length: 12345,
                media_type: crate::evidence::MediaType::new("application/pdf").unwrap(),
                label: crate::evidence::Label::new("exhibit 1").unwrap(),
                submitter: id,
                sealed: Some(crate::evidence::SealedLink {
                    record_id: RecordId([11; 16]),
                    receipt_leaf: [12; 32],
                }),
            }),
        ]
    }

    #[test]
    fn round_trip_every_kind_and_every_bit_flip_fails() {
        let owner = party(1);
        for ev in all_events(&owner) {
            let r = Receipt::new(owner.keys(), "log.example/1", 42, ev).unwrap();
            let back = Receipt::from_bytes(r.as_bytes()).unwrap();
            assert_eq!(back, r);
            assert_eq!(back.event().kind(), r.as_bytes()[4]);
            for i in 0..r.as_bytes().len() {
                let mut b = r.as_bytes().to_vec();
                b[i] ^= 0x10;
                assert!(Receipt::from_bytes(&b).is_err(), "flip at {i} accepted");
            }
            for cut in 0..r.as_bytes().len() {
                assert!(Receipt::from_bytes(&r.as_bytes()[..cut]).is_err());
            }
            let mut longer = r.as_bytes().to_vec();
            longer.push(0);
            assert!(Receipt::from_bytes(&longer).is_err());
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = Receipt::from_bytes(&b);
            // With a valid header and kind too.
            let mut h = b"CW\x01\x4c\x05".to_vec();
            h.extend_from_slice(&b);
            let _ = Receipt::from_bytes(&h);
        }
    }

    #[test]
    fn recipients_are_canonical() {
        let owner = party(1);
        let r = Receipt::new(owner.keys(), "o", 1, all_events(&owner).remove(0)).unwrap();
        let Event::RecordSealed(e) = r.event() else {
            panic!()
        };
        assert_eq!(e.recipients.len(), 2);
        assert!(e.recipients.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn only_the_named_party_signs() {
        let owner = party(1);
        let other = party(2);
        for ev in all_events(&owner) {
            let anchored = matches!(ev, Event::CheckpointAnchored(_));
            let res = Receipt::new(other.keys(), "o", 1, ev);
            assert_eq!(res.is_ok(), anchored);
            if !anchored {
                assert_eq!(res.unwrap_err(), LedgerError::WrongSigner);
            }
        }
        assert!(Receipt::new(owner.keys(), "", 1, all_events(&owner).remove(3)).is_err());
        assert!(Receipt::new(owner.keys(), "a b", 1, all_events(&owner).remove(3)).is_err());
    }

    #[test]
    fn from_sealed_records() {
        let owner = Party::generate().unwrap();
        let bob = Party::generate().unwrap();
        let rec = Record::new("s").unwrap();
        let sealed = Sealed::seal_record(&owner, &[], &rec).unwrap();
        let r = Receipt::sealed_from(owner.keys(), "o", 5, &sealed, None).unwrap();
        let Event::RecordSealed(e) = r.event() else {
            panic!()
        };
        assert_eq!(e.record_id, sealed.record_id());
        assert_eq!(e.ciphertext_hash, sealed.ciphertext_hash());
        assert!(e.recipients.contains(&owner.key_id()));
        let granted = sealed.grant(&owner, &bob.public()).unwrap();
        let g = Receipt::granted_from(owner.keys(), "o", 6, &granted, bob.key_id()).unwrap();
        assert_eq!(Receipt::from_bytes(g.as_bytes()).unwrap(), g);
        let revoked = granted.revoke(&owner, &bob.key_id()).unwrap();
        let v = Receipt::revoked_from(owner.keys(), "o", 7, &revoked, bob.key_id()).unwrap();
        let Event::AccessRevoked(e) = v.event() else {
            panic!()
        };
        assert_eq!(e.epoch, sealed.epoch() + 1);
        assert!(Receipt::sealed_from(bob.keys(), "o", 5, &sealed, None).is_err());
    }
}
