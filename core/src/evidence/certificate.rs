//! The evidence certificate (tag `0x51`): format, construction and verification.

use super::{ContentDigest, EvidenceEvent, Label, MediaType, SealedLink};
use crate::anchor::{Anchor, AnchorReceipt, ChainRef};
use crate::encoding::{put_bytes_u32, read_header, write_header, Reader, Tag};
use crate::error::{AnchorError, DecodeError, EvidenceError, LedgerError};
use crate::ledger::bundle::{BundleProof, Established, ProofBundle};
use crate::ledger::checkpoint::{Checkpoint, SignedCheckpoint, MAX_NOTE_LEN};
use crate::ledger::merkle::Hash;
use crate::ledger::proof::MAX_PROOF_HASHES;
use crate::ledger::receipt::{Event, Receipt, MAX_RECEIPT_LEN};
use crate::ledger::source::LedgerSource;
use crate::party::{KeyId, PublicKeys};
use serde_json::{json, Value};

/// The certificate format version written and read.
pub const VERSION: u8 = 1;
/// Largest encoded certificate, in bytes (checked before parsing).
pub const MAX_CERTIFICATE_LEN: usize = 256 * 1024;

/// The anchor receipt's parts that the certificate does not already hold.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AnchorPart {
    consistency: Vec<Hash>,
    statement: Receipt,
    anchored_checkpoint: SignedCheckpoint,
}

/// An evidence certificate: an evidence receipt, its inclusion proof in a signed checkpoint
/// of the log, and, when the log was anchored, the anchor receipt (consistency to the anchored
/// checkpoint, the log operator's signed `checkpoint-anchored` statement and the anchored
/// checkpoint). Format: `docs/spec/evidence.md`.
///
/// Every byte is covered by a signature or a proof that offline verification checks: the
/// anchor receipt's block hash, which nothing signs, is left out (online verification reads
/// it from the chain, where the anchoring transaction is found).
///
/// Decoding checks the structure and both receipts' signatures and refuses receipts of
/// another kind ([`EvidenceError::NotEvidence`]); what they prove is checked by
/// [`Certificate::verify`] and [`Certificate::verify_online`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    receipt: Receipt,
    index: u64,
    inclusion: Vec<Hash>,
    checkpoint: SignedCheckpoint,
    anchor: Option<AnchorPart>,
}

/// How far the anchor in a certificate was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnchorCheck {
    /// Offline, chain not named by the verifier: the log operator's signed statement says the
    /// log state was anchored on the chain reported (its word, not the chain's).
    Claimed,
    /// Offline, for the chain and contract the verifier named: the log operator's signed
    /// statement is for that chain (another chain or contract is refused); not yet checked
    /// against the chain itself.
    StatementForChain,
    /// Online: the anchoring event is in the node's canonical chain, final under the policy
    /// (the `finalized` block by default), and no head reset of the log follows it.
    OnChain,
}

impl AnchorCheck {
    /// Stable name: `"claimed"`, `"statement-for-chain"`, `"on-chain"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AnchorCheck::Claimed => "claimed",
            AnchorCheck::StatementForChain => "statement-for-chain",
            AnchorCheck::OnChain => "on-chain",
        }
    }
}

/// What a verified certificate says about its anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorFacts {
    /// The chain and registry contract.
    pub chain: ChainRef,
    /// The block that includes the anchoring transaction.
    pub block: u64,
    /// That block's hash, as the chain says (online only; `None` offline).
    pub block_hash: Option<[u8; 32]>,
    /// The anchoring transaction.
    pub tx_hash: [u8; 32],
    /// The anchored log size (at least the certificate's checkpoint size).
    pub anchored_size: u64,
    /// The anchored checkpoint's Merkle root.
    pub anchored_root: Hash,
    /// When the log operator signed the anchor statement (its clock, Unix milliseconds).
    pub statement_time_ms: u64,
    /// The anchoring block's timestamp (Unix seconds), when read from the chain
    /// (`Certificate::verify_on_evm`, feature `evm`); `None` otherwise.
    pub block_time: Option<u64>,
    /// How far this was checked.
    pub check: AnchorCheck,
}

/// What a verified certificate establishes: "this exact content (digest, length) was recorded
/// by party `submitter` at `time_ms` in log `origin` (entry `index`, in the checkpoint of
/// `log_size` entries with root `log_root`), and that log state was on chain `anchor.chain` in
/// block `anchor.block`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceFacts {
    /// SHA-256 of the content.
    pub sha256: Hash,
    /// The content's length in bytes.
    pub length: u64,
    /// Its media type, as submitted.
    pub media_type: MediaType,
    /// Its label, as submitted.
    pub label: Label,
    /// The submitting party's key id.
    pub submitter: KeyId,
    /// The submitting party's public keys (the receipt's signer).
    pub submitter_keys: PublicKeys,
    /// When the party says it submitted (its signed clock, Unix milliseconds). The checkpoint,
    /// and the anchor's block, bound it from above.
    pub time_ms: u64,
    /// The log's origin (the verifier's, checked).
    pub origin: String,
    /// The entry's index in the log.
    pub index: u64,
    /// The checkpoint's tree size.
    pub log_size: u64,
    /// The checkpoint's root.
    pub log_root: Hash,
    /// The sealed copy, when there is one.
    pub sealed: Option<SealedLink>,
    /// The anchor, when the certificate carries one.
    pub anchor: Option<AnchorFacts>,
}

impl EvidenceFacts {
    /// A JSON view with snake_case keys (hashes in hex; decision 0058).
    pub fn to_json(&self) -> Value {
        json!({
            "sha256": hex::encode(self.sha256),
            "length": self.length,
            "media_type": self.media_type.as_str(),
            "label": self.label.as_str(),
            "submitter": self.submitter.to_string(),
            "submitter_key": self.submitter_keys.to_text(),
            "time_ms": self.time_ms,
            "origin": self.origin,
            "index": self.index,
            "log_size": self.log_size,
            "log_root": hex::encode(self.log_root),
            "sealed": self.sealed.map(|s| json!({
                "record_id": s.record_id.to_string(),
                "receipt_leaf": hex::encode(s.receipt_leaf),
            })),
            "anchor": self.anchor.as_ref().map(|a| json!({
                "chain_id": a.chain.chain_id,
                "contract": format!("0x{}", hex::encode(a.chain.contract)),
                "block": a.block,
                "block_hash": a.block_hash.map(|h| format!("0x{}", hex::encode(h))),
                "tx_hash": format!("0x{}", hex::encode(a.tx_hash)),
                "anchored_size": a.anchored_size,
                "anchored_root": hex::encode(a.anchored_root),
                "statement_time_ms": a.statement_time_ms,
                "block_time": a.block_time,
                "check": a.check.as_str(),
            })),
        })
    }
}

fn evidence_of(receipt: &Receipt) -> Result<&EvidenceEvent, EvidenceError> {
    match receipt.event() {
        Event::EvidenceRecorded(e) => Ok(e),
        other => Err(EvidenceError::NotEvidence {
            kind: other.kind_name(),
        }),
    }
}

fn check_hashes(hs: &[Hash]) -> Result<(), DecodeError> {
    if hs.len() > MAX_PROOF_HASHES {
        return Err(DecodeError::TooLong {
            what: "proof",
            len: hs.len(),
            max: MAX_PROOF_HASHES,
        });
    }
    Ok(())
}

fn put_hashes(out: &mut Vec<u8>, hs: &[Hash]) {
    let n = u16::try_from(hs.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&n.to_be_bytes());
    for h in hs.iter().take(usize::from(n)) {
        out.extend_from_slice(h);
    }
}

fn read_hashes(r: &mut Reader<'_>) -> Result<Vec<Hash>, DecodeError> {
    let n = usize::from(r.u16()?);
    if n > MAX_PROOF_HASHES {
        return Err(DecodeError::TooLong {
            what: "proof",
            len: n,
            max: MAX_PROOF_HASHES,
        });
    }
    if r.remaining() < n.saturating_mul(32) {
        return Err(DecodeError::Truncated);
    }
    (0..n).map(|_| r.array()).collect()
}

fn read_note(r: &mut Reader<'_>, what: &'static str) -> Result<SignedCheckpoint, DecodeError> {
    let b = r.bytes_u32(what, MAX_NOTE_LEN)?;
    let text = std::str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8 { what })?;
    SignedCheckpoint::parse(text).map_err(|_| DecodeError::Invalid { what })
}

fn put_note(out: &mut Vec<u8>, note: &SignedCheckpoint) -> Result<(), DecodeError> {
    let b = note.note().as_bytes();
    if b.len() > MAX_NOTE_LEN {
        return Err(DecodeError::TooLong {
            what: "checkpoint",
            len: b.len(),
            max: MAX_NOTE_LEN,
        });
    }
    put_bytes_u32(out, b);
    Ok(())
}

impl Certificate {
    /// A certificate from its parts (not anchored). The receipt must be an evidence receipt
    /// ([`EvidenceError::NotEvidence`]); nothing else is checked until verification.
    pub fn new(
        receipt: Receipt,
        index: u64,
        inclusion: Vec<Hash>,
        checkpoint: SignedCheckpoint,
    ) -> Result<Certificate, EvidenceError> {
        evidence_of(&receipt)?;
        check_hashes(&inclusion)?;
        Ok(Certificate {
            receipt,
            index,
            inclusion,
            checkpoint,
            anchor: None,
        })
    }

    /// The certificate of entry `index` of a ledger, against its stored checkpoint of `size`
    /// entries (the latest when `None`), through [`ProofBundle::inclusion_from`]
    /// ([`LedgerError::NoCheckpoint`] when there is none, [`LedgerError::OutOfRange`] when it
    /// does not cover the entry).
    pub fn from_ledger<L: LedgerSource + ?Sized>(
        ledger: &L,
        index: u64,
        size: Option<u64>,
    ) -> Result<Certificate, EvidenceError> {
        let bundle = ProofBundle::inclusion_from(ledger, index, size)?;
        match bundle.proof {
            BundleProof::Inclusion {
                index,
                receipt,
                proof,
            } => Certificate::new(
                Receipt::from_bytes(&receipt)?,
                index,
                proof,
                bundle.checkpoint,
            ),
            _ => Err(LedgerError::Corrupt("an inclusion bundle of another type").into()),
        }
    }

    /// The anchored certificate of the entry an anchor receipt covers (version 2 anchor
    /// receipts: they carry the anchored checkpoint; a version-1 receipt is
    /// [`EvidenceError::InvalidValue`]). The entry must be an evidence receipt.
    pub fn from_anchor_receipt(ar: AnchorReceipt) -> Result<Certificate, EvidenceError> {
        let anchored_checkpoint = ar.anchored_checkpoint.ok_or(EvidenceError::InvalidValue(
            "a version-1 anchor receipt (bare root) cannot be put in a certificate",
        ))?;
        check_hashes(&ar.consistency)?;
        let mut c = Certificate::new(ar.entry, ar.index, ar.inclusion, ar.checkpoint)?;
        c.anchor = Some(AnchorPart {
            consistency: ar.consistency,
            statement: ar.anchored,
            anchored_checkpoint,
        });
        Ok(c)
    }

    /// The evidence receipt.
    pub fn receipt(&self) -> &Receipt {
        &self.receipt
    }

    /// The evidence the receipt records (unverified until [`Certificate::verify`]).
    pub fn event(&self) -> Result<&EvidenceEvent, EvidenceError> {
        evidence_of(&self.receipt)
    }

    /// The entry's index.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The signed checkpoint the entry is proven against.
    pub fn checkpoint(&self) -> &SignedCheckpoint {
        &self.checkpoint
    }

    /// Whether the certificate carries an anchor receipt.
    pub fn is_anchored(&self) -> bool {
        self.anchor.is_some()
    }

    /// The full anchor receipt, when the certificate carries one, with the anchoring block's
    /// hash `block_hash` (which the certificate does not hold: read it from the chain).
    pub fn anchor_receipt(&self, block_hash: [u8; 32]) -> Option<AnchorReceipt> {
        self.anchor.as_ref().map(|a| AnchorReceipt {
            entry: self.receipt.clone(),
            index: self.index,
            inclusion: self.inclusion.clone(),
            checkpoint: self.checkpoint.clone(),
            consistency: a.consistency.clone(),
            anchored: a.statement.clone(),
            block_hash,
            anchored_checkpoint: Some(a.anchored_checkpoint.clone()),
        })
    }

    /// The canonical bytes (`docs/spec/evidence.md`).
    pub fn to_bytes(&self) -> Result<Vec<u8>, EvidenceError> {
        check_hashes(&self.inclusion)?;
        let mut out = Vec::with_capacity(2048);
        write_header(&mut out, VERSION, Tag::EvidenceCertificate);
        out.extend_from_slice(&self.index.to_be_bytes());
        put_bytes_u32(&mut out, self.receipt.as_bytes());
        put_hashes(&mut out, &self.inclusion);
        put_note(&mut out, &self.checkpoint)?;
        match &self.anchor {
            None => out.push(0),
            Some(a) => {
                check_hashes(&a.consistency)?;
                out.push(1);
                put_hashes(&mut out, &a.consistency);
                put_bytes_u32(&mut out, a.statement.as_bytes());
                put_note(&mut out, &a.anchored_checkpoint)?;
            }
        }
        if out.len() > MAX_CERTIFICATE_LEN {
            return Err(DecodeError::TooLong {
                what: "evidence certificate",
                len: out.len(),
                max: MAX_CERTIFICATE_LEN,
            }
            .into());
        }
        Ok(out)
    }

    /// Parses canonical bytes strictly: header, every length within its cap before reading,
    /// both receipts' signatures (the statement must be a `checkpoint-anchored` receipt), the
    /// receipt must be an evidence receipt, nothing after the end.
    pub fn from_bytes(b: &[u8]) -> Result<Certificate, EvidenceError> {
        if b.len() > MAX_CERTIFICATE_LEN {
            return Err(DecodeError::TooLong {
                what: "evidence certificate",
                len: b.len(),
                max: MAX_CERTIFICATE_LEN,
            }
            .into());
        }
        let mut r = Reader::new(b);
        read_header(&mut r, Tag::EvidenceCertificate, &[VERSION])?;
        let index = r.u64()?;
        let receipt = Receipt::from_bytes(r.bytes_u32("evidence receipt", MAX_RECEIPT_LEN)?)?;
        evidence_of(&receipt)?;
        let inclusion = read_hashes(&mut r)?;
        let checkpoint = read_note(&mut r, "checkpoint")?;
        let anchor = match r.u8()? {
            0 => None,
            1 => {
                let consistency = read_hashes(&mut r)?;
                let statement =
                    Receipt::from_bytes(r.bytes_u32("anchor statement", MAX_RECEIPT_LEN)?)?;
                if !matches!(statement.event(), Event::CheckpointAnchored(_)) {
                    return Err(DecodeError::Invalid {
                        what: "anchor statement (not a checkpoint-anchored receipt)",
                    }
                    .into());
                }
                let anchored_checkpoint = read_note(&mut r, "anchored checkpoint")?;
                Some(AnchorPart {
                    consistency,
                    statement,
                    anchored_checkpoint,
                })
            }
            _ => {
                return Err(DecodeError::Invalid {
                    what: "evidence certificate anchor flag",
                }
                .into())
            }
        };
        r.finish()?;
        Ok(Certificate {
            receipt,
            index,
            inclusion,
            checkpoint,
            anchor,
        })
    }

    /// Verifies the certificate offline and that `content` is the content it records.
    ///
    /// Checks, in order: the checkpoint is signed by `log_key` for the log `origin` (the
    /// verifier's, never the certificate's: decision 0063) and the receipt (signed by its
    /// submitter, for that origin) is at its index in it, through
    /// [`ProofBundle::verify`]; the receipt is an evidence receipt; `content` has its digest
    /// and length ([`EvidenceError::ContentMismatch`]); and, when the certificate is anchored,
    /// the anchor receipt through [`AnchorReceipt::verify_offline`] against the anchored
    /// checkpoint it carries (signed by the log key for `origin`): the statement must be
    /// signed by the log key, and for `chain` when the verifier names one
    /// ([`crate::error::AnchorError::WrongChain`] otherwise). Offline, the anchor is the log
    /// operator's word ([`AnchorCheck`]); [`Certificate::verify_online`] asks the chain.
    pub fn verify(
        &self,
        content: &ContentDigest,
        log_key: &PublicKeys,
        origin: &str,
        chain: Option<&ChainRef>,
    ) -> Result<EvidenceFacts, EvidenceError> {
        let mut facts = self.verify_entry(content, log_key, origin)?;
        if let Some(a) = &self.anchor {
            let ar = self
                .anchor_receipt([0; 32])
                .ok_or(EvidenceError::NotAnchored)?;
            let anchored = Checkpoint::open(a.anchored_checkpoint.note(), origin, log_key)
                .map_err(LedgerError::from)?;
            let claimed = ar.claimed_anchor()?.chain;
            let v = ar.verify_offline(log_key, &anchored, chain.unwrap_or(&claimed))?;
            let check = if chain.is_some() {
                AnchorCheck::StatementForChain
            } else {
                AnchorCheck::Claimed
            };
            facts.anchor = Some(anchor_facts(&ar, &anchored, v.record.chain, check)?);
        }
        Ok(facts)
    }

    /// Verifies the certificate as [`Certificate::verify`] does (for the node's chain and
    /// contract: a statement for another is [`crate::error::AnchorError::WrongChain`]), then
    /// its anchor against the chain behind `node`: the registry, in its state at the final
    /// block, holds exactly the anchored checkpoint for `origin` and no head reset follows its
    /// final `Anchored` event ([`crate::anchor::verify_checkpoint_anchored`]); that event is
    /// the statement's transaction and block ([`crate::error::AnchorError::Invalid`]
    /// otherwise); and the anchor receipt, with the block hash the chain gives, passes
    /// [`AnchorReceipt::verify_online`] (in the canonical chain, final under the node's policy:
    /// the `finalized` tag unless configured otherwise). A certificate without an anchor is
    /// [`EvidenceError::NotAnchored`].
    pub fn verify_online<A: Anchor + ?Sized>(
        &self,
        content: &ContentDigest,
        log_key: &PublicKeys,
        origin: &str,
        node: &A,
    ) -> Result<EvidenceFacts, EvidenceError> {
        let chain = node.chain();
        let part = self.anchor.as_ref().ok_or(EvidenceError::NotAnchored)?;
        let mut facts = self.verify(content, log_key, origin, Some(&chain))?;
        let record = crate::anchor::verify_checkpoint_anchored(
            node,
            &part.anchored_checkpoint,
            origin,
            log_key,
        )?;
        let Some(a) = facts.anchor.as_mut() else {
            return Err(EvidenceError::NotAnchored);
        };
        if record.tx_hash != a.tx_hash || record.block_number != a.block {
            return Err(AnchorError::Invalid(
                "the chain's final anchor of this checkpoint is another transaction than the statement's",
            )
            .into());
        }
        let ar = self
            .anchor_receipt(record.block_hash)
            .ok_or(EvidenceError::NotAnchored)?;
        ar.verify_online(log_key, node)?;
        a.block_hash = Some(record.block_hash);
        a.check = AnchorCheck::OnChain;
        Ok(facts)
    }

    /// [`Certificate::verify_online`] against an EVM registry, and the anchoring block's
    /// timestamp read from the node (the block at the recorded number must have the recorded
    /// hash): [`AnchorFacts::block_time`].
    #[cfg(feature = "evm")]
    pub fn verify_on_evm(
        &self,
        content: &ContentDigest,
        log_key: &PublicKeys,
        origin: &str,
        registry: &crate::anchor::evm::EvmAnchor,
    ) -> Result<EvidenceFacts, EvidenceError> {
        let mut facts = self.verify_online(content, log_key, origin, registry)?;
        if let Some(a) = facts.anchor.as_mut() {
            let hash = a.block_hash.ok_or(EvidenceError::NotAnchored)?;
            a.block_time = Some(block_time(registry.node(), a.block, &hash)?);
        }
        Ok(facts)
    }

    fn verify_entry(
        &self,
        content: &ContentDigest,
        log_key: &PublicKeys,
        origin: &str,
    ) -> Result<EvidenceFacts, EvidenceError> {
        let bundle = ProofBundle::new(
            self.checkpoint.clone(),
            BundleProof::Inclusion {
                index: self.index,
                receipt: self.receipt.as_bytes().to_vec(),
                proof: self.inclusion.clone(),
            },
        );
        let v = bundle.verify(log_key, Some(origin), None)?;
        let Established::Inclusion { index, receipt } = v.established else {
            return Err(
                LedgerError::Corrupt("an inclusion bundle established another fact").into(),
            );
        };
        let e = evidence_of(&receipt)?;
        if e.digest != content.sha256 || e.length != content.length {
            return Err(EvidenceError::ContentMismatch);
        }
        Ok(EvidenceFacts {
            sha256: e.digest,
            length: e.length,
            media_type: e.media_type.clone(),
            label: e.label.clone(),
            submitter: e.submitter,
            submitter_keys: *receipt.signer(),
            time_ms: receipt.time_ms(),
            origin: v.origin,
            index,
            log_size: v.checkpoint.size,
            log_root: v.checkpoint.root,
            sealed: e.sealed,
            anchor: None,
        })
    }
}

fn anchor_facts(
    ar: &AnchorReceipt,
    anchored: &Checkpoint,
    chain: ChainRef,
    check: AnchorCheck,
) -> Result<AnchorFacts, EvidenceError> {
    let Event::CheckpointAnchored(e) = ar.anchored.event() else {
        return Err(DecodeError::Invalid {
            what: "anchor statement (not a checkpoint-anchored receipt)",
        }
        .into());
    };
    Ok(AnchorFacts {
        chain,
        block: e.block,
        block_hash: None,
        tx_hash: e.tx_hash,
        anchored_size: anchored.size,
        anchored_root: anchored.root,
        statement_time_ms: ar.anchored.time_ms(),
        block_time: None,
        check,
    })
}

/// The timestamp (Unix seconds) of block `number`, which must have hash `hash` on the node's
/// canonical chain ([`crate::error::AnchorError::NotOnChain`] otherwise).
#[cfg(feature = "evm")]
fn block_time(
    node: &crate::anchor::evm::EvmNode,
    number: u64,
    hash: &[u8; 32],
) -> Result<u64, EvidenceError> {
    let text = node.raw_request(
        "eth_getBlockByNumber",
        &format!("[\"0x{number:x}\", false]"),
    )?;
    let v: Value = serde_json::from_str(&text).map_err(|e| DecodeError::json(&e))?;
    let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let got = field("hash").ok_or(AnchorError::NotOnChain)?;
    if got.to_ascii_lowercase() != format!("0x{}", hex::encode(hash)) {
        return Err(AnchorError::NotOnChain.into());
    }
    let ts = field("timestamp").ok_or(AnchorError::Invalid("block without a timestamp"))?;
    let ts = ts.strip_prefix("0x").unwrap_or(&ts);
    Ok(u64::from_str_radix(ts, 16).map_err(|_| AnchorError::Invalid("block timestamp"))?)
}
