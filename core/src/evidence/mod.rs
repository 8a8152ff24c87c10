//! Evidence storage (notarisation): record that a party held an exact byte string at a time,
//! in a tamper-evident log, and prove it later to a court with an evidence certificate.
//!
//! * [`ContentDigest`]: SHA-256 and length of the content, computed in bounded memory from any
//!   reader ([`ContentDigest::of_reader`]), so files of any size can be notarised.
//! * [`evidence_receipt`]: the signed ledger receipt of kind 7 (`evidence-recorded`,
//!   [`EvidenceEvent`]) with the digest, the length, a validated [`MediaType`] and a short
//!   [`Label`], signed by the submitting party.
//! * [`seal_and_notarise`]: the same, with the content sealed (a sealed stream, constant
//!   memory) for named parties such as a court or an arbitrator; the evidence receipt links the
//!   `record-sealed` receipt of the sealed copy ([`SealedLink`]).
//! * [`Certificate`]: one self-contained, versioned binary file (tag `0x51`,
//!   `docs/spec/evidence.md`) with the receipt, its inclusion proof, the signed checkpoint and,
//!   when the log was anchored, the anchor receipt's parts. [`Certificate::verify`] checks it
//!   offline with the log's key and origin (reusing [`crate::ledger::ProofBundle::verify`] and
//!   [`crate::anchor::AnchorReceipt::verify_offline`]); [`Certificate::verify_online`] also
//!   checks the anchor on chain ([`crate::anchor::AnchorReceipt::verify_online`]: final,
//!   canonical, no head reset). Both return [`EvidenceFacts`].
//!
//! # What the log reveals
//!
//! The receipt holds the content's SHA-256 digest and length, the media type, the label, the
//! submitter's public keys and the time, all in clear: anyone who sees the log learns them.
//! The digest hides content that cannot be guessed; it does not hide content an adversary can
//! enumerate (a short message, a form with few blanks), which can be confirmed by hashing
//! candidates. The length, media type and label are metadata the submitter chooses to publish:
//! a label should name an exhibit ("exhibit 12"), not describe its content. The sealed copy,
//! when there is one, is encrypted for the named parties; its receipt lists their key ids.
//!
//! ```
//! use causeway::evidence::{evidence_receipt, Certificate, ContentDigest, Label, MediaType};
//! use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
//! use causeway::ledger::merkle::root_from_leaf_hashes;
//! use causeway::ledger::proof::LeafSlice;
//! use causeway::ledger::revocation::EMPTY_HEAD;
//! use causeway::ledger::inclusion_proof;
//! use causeway::party::Party;
//!
//! let (log, firm) = (Party::generate()?, Party::generate()?);
//! let origin = "court.example/evidence";
//! let content = b"signed contract, page 1 of 1";
//! let digest = ContentDigest::of_bytes(content);
//! let receipt = evidence_receipt(
//!     firm.keys(), origin, 1_700_000_000_000, &digest,
//!     &MediaType::new("application/pdf")?, &Label::new("exhibit 12")?, None,
//! )?;
//! let leaves = [receipt.leaf_hash()];
//! let cp = Checkpoint {
//!     origin: origin.into(),
//!     size: 1,
//!     root: root_from_leaf_hashes(&leaves),
//!     extensions: vec![Checkpoint::revocations_line(0, &EMPTY_HEAD)],
//! };
//! let cert = Certificate::new(
//!     receipt, 0, inclusion_proof(&mut LeafSlice(&leaves), 0, 1)?,
//!     SignedCheckpoint::sign(&cp, origin, log.keys())?,
//! )?;
//! let bytes = cert.to_bytes()?;
//! let facts = Certificate::from_bytes(&bytes)?.verify(&digest, &log.public(), origin, None)?;
//! assert_eq!(facts.submitter, firm.key_id());
//! // Another file: refused.
//! let other = ContentDigest::of_bytes(b"signed contract, page 1 of 2");
//! assert!(cert.verify(&other, &log.public(), origin, None).is_err());
//! # Ok::<(), causeway::Error>(())
//! ```

mod certificate;
mod event;

pub use certificate::{
    AnchorCheck, AnchorFacts, Certificate, EvidenceFacts, MAX_CERTIFICATE_LEN, VERSION,
};
pub use event::{
    EvidenceEvent, Label, MediaType, SealedLink, DEFAULT_MEDIA_TYPE, MAX_LABEL, MAX_MEDIA_TYPE,
};

use crate::error::EvidenceError;
use crate::ledger::merkle::Hash;
use crate::ledger::receipt::{Event, Receipt, RecordSealed};
use crate::party::{Party, PublicKeys, SecretKeys};
use crate::seal::stream::{StreamInfo, StreamSealer};
use sha2::{Digest, Sha256};
use std::io::{ErrorKind, Read, Write};

/// Bytes read at a time when digesting or sealing a stream: the memory bound.
pub const READ_BUFFER: usize = 64 * 1024;

/// What is recorded about the content: its SHA-256 digest and its length in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContentDigest {
    /// SHA-256 of the content.
    pub sha256: Hash,
    /// The content's length in bytes.
    pub length: u64,
}

impl ContentDigest {
    /// The digest of an in-memory byte string.
    pub fn of_bytes(content: &[u8]) -> ContentDigest {
        ContentDigest {
            sha256: Sha256::digest(content).into(),
            length: content.len() as u64,
        }
    }

    /// The digest of everything `reader` yields, read [`READ_BUFFER`] bytes at a time (memory
    /// does not grow with the content). Interrupted reads are retried; other read errors are
    /// [`EvidenceError::Io`].
    pub fn of_reader<R: Read>(mut reader: R) -> Result<ContentDigest, EvidenceError> {
        let mut h = Sha256::new();
        let mut buf = vec![0u8; READ_BUFFER];
        let mut length: u64 = 0;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            h.update(buf.get(..n).unwrap_or(&[]));
            length = length.saturating_add(n as u64);
        }
        Ok(ContentDigest {
            sha256: h.finalize().into(),
            length,
        })
    }
}

/// The signed evidence receipt (ledger event kind 7) for content with `digest`, submitted by
/// the holder of `keys` at `time_ms` (Unix milliseconds, the submitter's clock) for the log
/// `origin`. `sealed` links the sealed copy's `record-sealed` receipt, if there is one.
pub fn evidence_receipt(
    keys: &SecretKeys,
    origin: &str,
    time_ms: u64,
    digest: &ContentDigest,
    media_type: &MediaType,
    label: &Label,
    sealed: Option<SealedLink>,
) -> Result<Receipt, EvidenceError> {
    Ok(Receipt::new(
        keys,
        origin,
        time_ms,
        Event::EvidenceRecorded(EvidenceEvent {
            digest: digest.sha256,
            length: digest.length,
            media_type: media_type.clone(),
            label: label.clone(),
            submitter: keys.public().key_id(),
            sealed,
        }),
    )?)
}

/// What [`seal_and_notarise`] produced: two receipts to append to the log in this order
/// (the evidence receipt links the sealed one), and what was sealed.
#[derive(Clone, Debug)]
pub struct SealedEvidence {
    /// The `record-sealed` receipt of the sealed stream (its ciphertext hash is SHA-256 of
    /// every byte of the stream written), signed by the submitter as the stream's owner.
    pub sealed_receipt: Receipt,
    /// The evidence receipt, linking `sealed_receipt`.
    pub evidence_receipt: Receipt,
    /// The content's digest (as recorded).
    pub digest: ContentDigest,
    /// The sealed stream's record id, recipients and length.
    pub stream: StreamInfo,
    /// SHA-256 of the sealed stream's bytes.
    pub ciphertext_hash: Hash,
}

/// Reads the content from `input` once, in bounded memory, and at the same time digests it and
/// seals it as a sealed stream for `recipients` (the owner, `owner`, is always one) into
/// `output`. Returns the two receipts to append (sealed first, then evidence). On an error the
/// output holds a partial stream that no recipient can open: discard it.
#[allow(clippy::too_many_arguments)]
pub fn seal_and_notarise<R: Read, W: Write>(
    owner: &Party,
    recipients: &[PublicKeys],
    origin: &str,
    time_ms: u64,
    media_type: &MediaType,
    label: &Label,
    mut input: R,
    mut output: W,
) -> Result<SealedEvidence, EvidenceError> {
    let mut sealer = StreamSealer::new(owner, recipients)?;
    let mut plain = Sha256::new();
    let mut cipher = Sha256::new();
    let mut length: u64 = 0;
    let mut buf = vec![0u8; READ_BUFFER];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        let chunk = buf.get(..n).unwrap_or(&[]);
        plain.update(chunk);
        length = length.saturating_add(n as u64);
        let out = sealer.push(chunk)?;
        cipher.update(&out);
        output.write_all(&out)?;
    }
    let (out, stream) = sealer.finish()?;
    cipher.update(&out);
    output.write_all(&out)?;
    output.flush()?;
    let ciphertext_hash: Hash = cipher.finalize().into();
    let digest = ContentDigest {
        sha256: plain.finalize().into(),
        length,
    };
    let sealed_receipt = Receipt::new(
        owner.keys(),
        origin,
        time_ms,
        Event::RecordSealed(RecordSealed {
            record_id: stream.record_id,
            epoch: stream.epoch,
            ciphertext_hash,
            content_commitment: [0; 32],
            owner: stream.owner,
            recipients: stream.recipients.clone(),
        }),
    )?;
    let evidence_receipt = evidence_receipt(
        owner.keys(),
        origin,
        time_ms,
        &digest,
        media_type,
        label,
        Some(SealedLink {
            record_id: stream.record_id,
            receipt_leaf: sealed_receipt.leaf_hash(),
        }),
    )?;
    Ok(SealedEvidence {
        sealed_receipt,
        evidence_receipt,
        digest,
        stream,
        ciphertext_hash,
    })
}

#[cfg(all(test, feature = "sqlite"))]
mod tests;
