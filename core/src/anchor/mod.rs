//! Anchoring ledger checkpoints on a chain, and anchor receipts.
//!
//! A log operator periodically anchors its latest checkpoint (origin, size, root) in an
//! `AnchorRegistry` contract (`contracts/src/AnchorRegistry.sol`). The contract keeps each
//! origin's checkpoints monotonic (a rollback, a duplicate or a fork is rejected on chain) and
//! emits an `Anchored` event per anchor. An [`AnchorReceipt`] then lets anyone check that a
//! ledger entry is covered by an anchored checkpoint:
//!
//! * **offline**, given the anchored checkpoint (e.g. one the verifier read from the chain
//!   earlier): the entry's inclusion in a signed checkpoint, that checkpoint's consistency with
//!   the anchored one, and the log operator's signed `checkpoint-anchored` receipt, which binds
//!   the log origin, the chain id and the contract address ([`AnchorReceipt::verify_offline`]);
//! * **online**, against a node: the anchoring transaction's event is in the canonical chain at
//!   the recorded block, that block is final under a [`Finality`] policy — the `finalized`
//!   block tag, or a number of confirmations — and no head reset of the origin follows the
//!   anchor (decision 0060; [`AnchorReceipt::verify_online`]).
//!
//! [`Anchor`] is the chain-independent interface; `evm` implements it over Ethereum JSON-RPC
//! with alloy (feature `evm`, native only: it is never part of a wasm build). [`verifier`]
//! writes Solidity Groth16 verifiers for Causeway verifying keys and encodes their calldata.
//! Everything but `evm` is plain Rust and builds for wasm32.

#[cfg(feature = "evm")]
pub mod evm;
pub mod trade;
pub use crate::snark::solidity as verifier;

use crate::encoding::{put_bytes_u32, read_header, write_header, Reader, Tag};
use crate::error::{AnchorError, DecodeError};
use crate::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
use crate::ledger::receipt::{CheckpointAnchored, Event, Receipt};
use crate::ledger::source::LedgerSource;
use crate::ledger::{verify_consistency, verify_inclusion, Hash};
use crate::party::PublicKeys;
use crate::party::SecretKeys;
use sha3::{Digest, Keccak256};

/// Wire-format version of [`AnchorReceipt`] that encoders write: version 2 carries the
/// anchored checkpoint's signed note, whose [`anchored_value`] is what the registry holds.
/// Version 1 (anchors of the bare Merkle root, which bind no revocation state) still decodes
/// and verifies.
pub const VERSION: u8 = 2;
/// The version-1 anchor receipt (the bare root was anchored).
pub const VERSION_1: u8 = 1;
/// The domain-separation label of [`anchored_value`].
pub const ANCHOR_LABEL: &[u8] = b"causeway/anchor/checkpoint/v2";

/// The value anchored in the registry's `root` slot for a checkpoint:
/// `SHA-256("causeway/anchor/checkpoint/v2" || 0x00 || the checkpoint's signed note text)`.
///
/// The note text holds the origin, the size, the Merkle root and every extension line, among
/// them the revocation line (`causeway-revocations <count> <head>`), so the chain pins the
/// revocation state as well as the tree: two notes of the same size with different revocation
/// lines have different values, and the registry refuses a second one (a fork). (Before
/// issue 11 the slot held the bare Merkle root; such anchors still verify as version 1 but bind
/// no revocation state.)
pub fn anchored_value(checkpoint: &Checkpoint) -> Result<Hash, AnchorError> {
    let body = checkpoint.body()?;
    let mut h = sha2::Sha256::new();
    sha2::Digest::update(&mut h, ANCHOR_LABEL);
    sha2::Digest::update(&mut h, [0u8]);
    sha2::Digest::update(&mut h, body.as_bytes());
    Ok(sha2::Digest::finalize(h).into())
}
/// Most hashes in an inclusion or consistency proof of an anchor receipt.
pub const MAX_PROOF_HASHES: usize = 128;
/// Largest encoded anchor receipt.
pub const MAX_ANCHOR_RECEIPT_LEN: usize = 256 * 1024;

/// A chain and the registry contract on it: what an anchor is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChainRef {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// The `AnchorRegistry` contract's address.
    pub contract: [u8; 20],
}

impl std::fmt::Display for ChainRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "chain {} contract 0x{}",
            self.chain_id,
            hex::encode(self.contract)
        )
    }
}

/// When an anchor counts as anchored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finality {
    /// The anchoring block is at or below the node's `finalized` block (and canonical).
    Finalized,
    /// The anchoring block has at least this many confirmations (the block itself counts as
    /// one) and is canonical. `Confirmations(0)` is treated as 1.
    Confirmations(u64),
}

/// One anchor as found on the chain: a checkpoint and where the chain records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorRecord {
    /// The log's origin.
    pub origin: String,
    /// The anchored tree size.
    pub size: u64,
    /// The value in the registry's `root` slot: the checkpoint's [`anchored_value`] (which
    /// covers its Merkle root and revocation line), or, for anchors made before issue 11, the
    /// bare Merkle root.
    pub root: Hash,
    /// The chain and contract.
    pub chain: ChainRef,
    /// The block that includes the anchoring transaction.
    pub block_number: u64,
    /// That block's hash.
    pub block_hash: [u8; 32],
    /// The anchoring transaction's hash.
    pub tx_hash: [u8; 32],
    /// The account that submitted the anchor.
    pub submitter: [u8; 20],
}

impl AnchorRecord {
    /// Whether this anchor is of `checkpoint`: same origin and size, and the anchored value is
    /// the checkpoint's [`anchored_value`] (so its revocation line is the anchored one). An
    /// anchor of the bare root (made before issue 11) is of no checkpoint in this sense: it does
    /// not pin the revocation line. A verifier that read an anchor from the chain uses this to
    /// decide which signed note to trust (e.g. with `LedgerClient::with_trusted`).
    pub fn is_of(&self, checkpoint: &Checkpoint) -> Result<bool, AnchorError> {
        Ok(self.origin == checkpoint.origin
            && self.size == checkpoint.size
            && self.root == anchored_value(checkpoint)?)
    }
}

/// A reset of an origin's head by the registry's owner (`resetHead`), as found on the chain
/// (its `HeadReset` event). A reset invalidates every earlier anchor of the origin for online
/// verification ([`AnchorReceipt::verify_online`] fails with [`AnchorError::HeadReset`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadReset {
    /// The log's origin.
    pub origin: String,
    /// The head value it replaced (`keccak256(abi.encode(size, root))`).
    pub replaced: [u8; 32],
    /// The new head's size (0: the head was cleared).
    pub size: u64,
    /// The new head's anchored value (zero when cleared).
    pub root: Hash,
    /// The block that includes the reset.
    pub block_number: u64,
    /// The reset's log index in that block (its position among the block's events).
    pub log_index: u64,
    /// The resetting transaction's hash.
    pub tx_hash: [u8; 32],
}

/// Where an anchor stands on the chain now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnchorStatus {
    /// Final under the policy.
    Final,
    /// In the canonical chain but not final yet.
    Pending {
        /// Confirmations so far (the including block counts as one).
        confirmations: u64,
    },
    /// Not in the canonical chain (never mined, reorganised away or reverted).
    Missing,
}

// `Rejection` lives in `crate::error` (the error that carries it must not import this module,
// decision 0045); re-exported here, its old path.
pub use crate::error::Rejection;

/// The registry's key for a log origin: `keccak256(origin)`.
pub fn origin_key(origin: &str) -> [u8; 32] {
    Keccak256::digest(origin.as_bytes()).into()
}

/// The registry's head value for a checkpoint: `keccak256(abi.encode(uint64 size, bytes32
/// root))`, where `root` is the anchored value ([`AnchorRecord::root`]). The contract's
/// `head(origin)` and `wasAnchored(origin, head)` speak in these values.
pub fn head_of(size: u64, root: &Hash) -> [u8; 32] {
    let mut buf = [0u8; 64];
    if let Some(w) = buf.get_mut(24..32) {
        w.copy_from_slice(&size.to_be_bytes());
    }
    if let Some(w) = buf.get_mut(32..) {
        w.copy_from_slice(root);
    }
    Keccak256::digest(buf).into()
}

/// Anchoring checkpoints on a chain.
pub trait Anchor {
    /// The chain and contract this anchors on.
    fn chain(&self) -> ChainRef;
    /// Anchors `checkpoint` (submits its size and [`anchored_value`] and waits until it is in
    /// a block; that block need not be final yet: see [`Anchor::status`]). The contract rejects
    /// rollbacks, duplicates, forks and unauthorised senders ([`AnchorError::Rejected`]).
    fn anchor(&self, checkpoint: &Checkpoint) -> Result<AnchorRecord, AnchorError>;
    /// Every anchor of `origin` in the node's current canonical chain, oldest first.
    fn anchors(&self, origin: &str) -> Result<Vec<AnchorRecord>, AnchorError>;
    /// Whether `record` is (still) on the canonical chain and final under the policy.
    fn status(&self, record: &AnchorRecord) -> Result<AnchorStatus, AnchorError>;
    /// The first head reset of `record`'s origin that the node's canonical chain holds after
    /// the anchor `record` (in a later block, or later in the same block), up to the node's
    /// latest block (final or not: a visible reset fails closed). `None` if there is none.
    fn reset_after(&self, record: &AnchorRecord) -> Result<Option<HeadReset>, AnchorError>;

    /// Whether the registry, in its state at the block the finality policy counts as final,
    /// records the checkpoint (`size`, anchored `value`) as anchored for `origin` (its head
    /// then, or an earlier head): the contract's `wasAnchored(origin, headOf(size, value))`.
    /// The provided implementation answers from the final `Anchored` events
    /// ([`Anchor::final_anchor`]); the EVM registry asks the contract's state.
    fn was_anchored_final(
        &self,
        origin: &str,
        size: u64,
        value: &Hash,
    ) -> Result<bool, AnchorError> {
        Ok(self.final_anchor(origin, size, value)?.is_some())
    }

    /// The final anchor of exactly (`origin`, `size`, `root`), if there is one, where `root`
    /// is the anchored value (see [`AnchorRecord::root`]). Pending and vanished anchors are not
    /// reported.
    fn final_anchor(
        &self,
        origin: &str,
        size: u64,
        root: &Hash,
    ) -> Result<Option<AnchorRecord>, AnchorError> {
        for rec in self.anchors(origin)? {
            if rec.size == size && &rec.root == root && self.status(&rec)? == AnchorStatus::Final {
                return Ok(Some(rec));
            }
        }
        Ok(None)
    }
}

/// Checks that exactly the signed checkpoint `note` (e.g. a revocation proof's or a proof
/// bundle's) was anchored for the log `origin` on the chain behind `node`, and that the chain
/// still vouches for that anchor. A verifier who holds no trusted checkpoint uses this to
/// refuse an equivocating note: the log operator can sign a second note with the same size
/// and root and another revocation line, but the registry holds the [`anchored_value`] of one
/// note per size (a second one is a fork), so only the note the operator committed to on chain
/// passes.
///
/// Checks, in order: the note is signed by `log_key` for `origin`; the registry's state at the
/// final block (the node's policy: the `finalized` tag, or confirmations) says the checkpoint
/// (size, [`anchored_value`] of the note's text, extension lines included; signature lines
/// may differ) was anchored for `origin` ([`Anchor::was_anchored_final`], else
/// [`AnchorError::NotAnchored`]); the latest final `Anchored` event of exactly that checkpoint
/// is found in the canonical chain (a reset that returned to it emits a new one); and no
/// `HeadReset` of the origin follows that event ([`Anchor::reset_after`], else
/// [`AnchorError::HeadReset`], decision 0060). Returns that anchor.
///
/// A note of a size that was never anchored is refused too: make such proofs against an
/// anchored checkpoint (the ledger's stored checkpoint of an anchored size). Anchors of the
/// bare Merkle root (made before issue 11) pin no revocation state and never pass. Freshness
/// is not checked: an older anchored note passes (the returned record says when it was
/// anchored).
pub fn verify_checkpoint_anchored<A: Anchor + ?Sized>(
    node: &A,
    note: &SignedCheckpoint,
    origin: &str,
    log_key: &PublicKeys,
) -> Result<AnchorRecord, AnchorError> {
    let cp = note.verify(origin, log_key)?;
    let value = anchored_value(cp)?;
    if !node.was_anchored_final(origin, cp.size, &value)? {
        return Err(AnchorError::NotAnchored { size: cp.size });
    }
    let mut found = None;
    for rec in node.anchors(origin)? {
        if rec.size == cp.size && rec.root == value && node.status(&rec)? == AnchorStatus::Final {
            found = Some(rec);
        }
    }
    let record = found.ok_or(AnchorError::Invalid(
        "the anchor's event is not in the searched blocks (set the start block)",
    ))?;
    if let Some(reset) = node.reset_after(&record)? {
        return Err(AnchorError::HeadReset {
            block: reset.block_number,
        });
    }
    Ok(record)
}

/// Polls `anchor` until `record` is final under its policy, calling `pause` between polls
/// (with the confirmations so far): sleep there, or on a local dev node mine blocks. At most
/// `max_polls` polls, then [`AnchorError::Timeout`]; an anchor that leaves the canonical chain
/// (reorganised away) is [`AnchorError::NotOnChain`] (anchor again). Never sleeps itself, so it
/// runs wherever the caller can wait.
pub fn wait_final<A, F>(
    anchor: &A,
    record: &AnchorRecord,
    max_polls: u32,
    mut pause: F,
) -> Result<(), AnchorError>
where
    A: Anchor + ?Sized,
    F: FnMut(u64) -> Result<(), AnchorError>,
{
    for _ in 0..max_polls {
        match anchor.status(record)? {
            AnchorStatus::Final => return Ok(()),
            AnchorStatus::Missing => return Err(AnchorError::NotOnChain),
            AnchorStatus::Pending { confirmations } => pause(confirmations)?,
        }
    }
    Err(AnchorError::Timeout)
}

/// The log operator's anchoring step for one signed checkpoint: checks the note is signed by
/// `log_keys` for its origin, anchors it (its [`anchored_value`]), waits until the anchor is
/// final ([`wait_final`]) and returns the anchor and the signed `checkpoint-anchored` statement
/// (about the checkpoint's Merkle root), which the operator appends to its ledger.
pub fn anchor_checkpoint<A, F>(
    anchor: &A,
    checkpoint: &SignedCheckpoint,
    log_keys: &SecretKeys,
    time_ms: u64,
    max_polls: u32,
    pause: F,
) -> Result<(AnchorRecord, Receipt), AnchorError>
where
    A: Anchor + ?Sized,
    F: FnMut(u64) -> Result<(), AnchorError>,
{
    let cp = checkpoint.verify(&checkpoint.checkpoint().origin, &log_keys.public())?;
    let record = anchor.anchor(cp)?;
    wait_final(anchor, &record, max_polls, pause)?;
    // The statement names the Merkle root; the chain holds the anchored value.
    let mut stated = record.clone();
    stated.root = cp.root;
    let statement = AnchorReceipt::statement(log_keys, time_ms, &stated)?;
    Ok((record, statement))
}

/// Anchors the latest state of a SQLite ledger: signs and stores a checkpoint with
/// `log_keys` (the ledger's log key), anchors it and waits until final
/// ([`anchor_checkpoint`]), and appends the signed anchor statement to the ledger. Returns the
/// anchor and the signed checkpoint.
#[cfg(feature = "sqlite")]
pub fn anchor_ledger<A, F>(
    anchor: &A,
    ledger: &crate::ledger::sqlite::LocalLedger,
    log_keys: &SecretKeys,
    time_ms: u64,
    max_polls: u32,
    pause: F,
) -> Result<(AnchorRecord, SignedCheckpoint), AnchorError>
where
    A: Anchor + ?Sized,
    F: FnMut(u64) -> Result<(), AnchorError>,
{
    let note = ledger.checkpoint(log_keys)?;
    let signed = SignedCheckpoint::open(&note, ledger.origin(), ledger.log_key())?;
    let (record, statement) =
        anchor_checkpoint(anchor, &signed, log_keys, time_ms, max_polls, pause)?;
    ledger.append(&statement)?;
    Ok((record, signed))
}

/// Evidence that a ledger entry is covered by a checkpoint anchored on a chain.
///
/// Binary form: header (`"CW"`, [`VERSION`], [`Tag::AnchorReceipt`]), then the entry (u32
/// length + receipt bytes), the entry index (u64), the inclusion proof (u16 count + hashes),
/// the signed checkpoint note (u32 length + UTF-8), the consistency proof (u16 count + hashes),
/// the operator's signed `checkpoint-anchored` receipt (u32 length + bytes), the anchoring
/// block's hash (32 bytes) and, in version 2, the anchored checkpoint's signed note (u32 length
/// + UTF-8). All integers big-endian.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorReceipt {
    /// The ledger entry.
    pub entry: Receipt,
    /// Its leaf index.
    pub index: u64,
    /// Its inclusion proof in `checkpoint`.
    pub inclusion: Vec<Hash>,
    /// A checkpoint note signed by the log key that includes the entry (its signature is
    /// checked by the `verify_*` methods, not by decoding).
    pub checkpoint: SignedCheckpoint,
    /// The consistency proof from `checkpoint` to the anchored checkpoint.
    pub consistency: Vec<Hash>,
    /// The log operator's signed `checkpoint-anchored` receipt: origin, anchored size and root,
    /// chain id, contract, block number and transaction.
    pub anchored: Receipt,
    /// The anchoring block's hash (checked online).
    pub block_hash: [u8; 32],
    /// The anchored checkpoint's signed note (version 2), whose [`anchored_value`] is what
    /// the registry holds; `None` in version-1 receipts, whose anchor is the bare root. Its
    /// signature is checked by the `verify_*` methods, not by decoding.
    pub anchored_checkpoint: Option<SignedCheckpoint>,
}

/// What a verified anchor receipt establishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedAnchor {
    /// The anchor (the claim the online check confirms).
    pub record: AnchorRecord,
    /// The verified checkpoint the entry was proven against.
    pub checkpoint: Checkpoint,
    /// The entry's leaf index.
    pub index: u64,
}

fn invalid(what: &'static str) -> AnchorError {
    AnchorError::Invalid(what)
}

impl AnchorReceipt {
    /// The log operator's signed `checkpoint-anchored` statement for `record` (signed with the
    /// log key, for the record's origin, chain id and contract). Its `log_root` is
    /// `record.root`: pass the checkpoint's Merkle root there (not its anchored value). It can
    /// also be appended to the log itself.
    pub fn statement(
        log_keys: &SecretKeys,
        time_ms: u64,
        record: &AnchorRecord,
    ) -> Result<Receipt, AnchorError> {
        Ok(Receipt::new(
            log_keys,
            &record.origin,
            time_ms,
            Event::CheckpointAnchored(CheckpointAnchored {
                log_size: record.size,
                log_root: record.root,
                chain_id: record.chain.chain_id,
                contract: record.chain.contract,
                block: record.block_number,
                tx_hash: record.tx_hash,
            }),
        )?)
    }

    /// Builds the receipt for the entry at `index` of `ledger`, proven against the signed
    /// checkpoint `checkpoint` (which must include it) and made consistent with the anchored
    /// checkpoint in `record` (which must not be smaller). The statement is signed with
    /// `log_keys`, which must be the ledger's log key. See [`AnchorReceipt::from_source`].
    #[cfg(feature = "sqlite")]
    pub fn from_ledger(
        ledger: &crate::ledger::sqlite::LocalLedger,
        log_keys: &SecretKeys,
        index: u64,
        checkpoint: &str,
        record: &AnchorRecord,
        time_ms: u64,
    ) -> Result<AnchorReceipt, AnchorError> {
        let cp = SignedCheckpoint::open(checkpoint, ledger.origin(), ledger.log_key())?;
        Self::from_source(ledger, log_keys, index, &cp, record, time_ms)
    }

    /// Builds the receipt for the entry at `index` of any [`LedgerSource`], proven against
    /// the signed checkpoint `checkpoint` (signed by the ledger's log key, and including the
    /// entry) and made consistent with the anchored checkpoint in `record` (which must not be
    /// smaller, and which the ledger must hold a signed checkpoint of). The statement is signed
    /// with `log_keys`, which must be the ledger's log key.
    pub fn from_source<L: LedgerSource + ?Sized>(
        ledger: &L,
        log_keys: &SecretKeys,
        index: u64,
        checkpoint: &SignedCheckpoint,
        record: &AnchorRecord,
        time_ms: u64,
    ) -> Result<AnchorReceipt, AnchorError> {
        if &log_keys.public() != ledger.log_key() || record.origin != ledger.origin() {
            return Err(invalid("not this ledger's key or origin"));
        }
        let cp = checkpoint.verify(ledger.origin(), ledger.log_key())?;
        if index >= cp.size || cp.size > record.size {
            return Err(invalid(
                "the entry is not covered by the anchored checkpoint",
            ));
        }
        let anchored_note = ledger
            .checkpoint_at(record.size)?
            .ok_or(invalid("the ledger has no checkpoint of the anchored size"))?;
        let anchored_note =
            SignedCheckpoint::open(&anchored_note, ledger.origin(), ledger.log_key())?;
        let anchored = anchored_note.checkpoint();
        let anchored_checkpoint = if anchored_value(anchored)? == record.root {
            Some(anchored_note.clone())
        } else if anchored.root == record.root {
            // An anchor of the bare root, made before issue 11: a version-1 receipt.
            None
        } else {
            return Err(invalid("the anchor is not of this ledger's checkpoint"));
        };
        let mut statement_record = record.clone();
        statement_record.root = anchored.root;
        Ok(AnchorReceipt {
            entry: Receipt::from_bytes(&ledger.entry(index)?)?,
            index,
            inclusion: ledger.inclusion_proof(index, cp.size)?,
            checkpoint: checkpoint.clone(),
            consistency: ledger.consistency_proof(cp.size, record.size)?,
            anchored: Self::statement(log_keys, time_ms, &statement_record)?,
            block_hash: record.block_hash,
            anchored_checkpoint,
        })
    }

    /// The receipt for the entry at `index` against the latest final anchor of the ledger
    /// that covers it, proven against that anchored checkpoint itself (which the ledger must
    /// hold). [`AnchorError::NotCovered`] when no final anchor covers the entry yet.
    pub fn for_entry<A, L>(
        anchor: &A,
        ledger: &L,
        log_keys: &SecretKeys,
        index: u64,
        time_ms: u64,
    ) -> Result<AnchorReceipt, AnchorError>
    where
        A: Anchor + ?Sized,
        L: LedgerSource + ?Sized,
    {
        let mut best = None;
        for r in anchor.anchors(ledger.origin())? {
            if r.size > index && anchor.status(&r)? == AnchorStatus::Final {
                best = Some(r);
            }
        }
        let record = best.ok_or(AnchorError::NotCovered { index })?;
        // An anchor followed by a head reset no longer verifies online; every earlier anchor
        // precedes that reset too, so the entry waits for an anchor made after it.
        if anchor.reset_after(&record)?.is_some() {
            return Err(AnchorError::NotCovered { index });
        }
        let note = ledger
            .checkpoint_at(record.size)?
            .ok_or(crate::error::LedgerError::NoCheckpoint)?;
        let cp = SignedCheckpoint::open(&note, ledger.origin(), ledger.log_key())?;
        Self::from_source(ledger, log_keys, index, &cp, &record, time_ms)
    }

    fn anchored_event(&self) -> Result<&CheckpointAnchored, AnchorError> {
        match self.anchored.event() {
            Event::CheckpointAnchored(e) => Ok(e),
            _ => Err(invalid("not a checkpoint-anchored receipt")),
        }
    }

    /// The anchored checkpoint, for version 2 receipts: its note, opened under `log_key`,
    /// must be for the statement's origin, size and Merkle root.
    fn anchored_checkpoint(&self, log_key: &PublicKeys) -> Result<Option<Checkpoint>, AnchorError> {
        let Some(note) = &self.anchored_checkpoint else {
            return Ok(None);
        };
        let e = self.anchored_event()?;
        let cp = Checkpoint::open(note.note(), self.anchored.origin(), log_key)?;
        if cp.origin != self.anchored.origin() || cp.size != e.log_size || cp.root != e.log_root {
            return Err(invalid(
                "the anchored checkpoint differs from the statement",
            ));
        }
        Ok(Some(cp))
    }

    /// The anchor this receipt claims (origin, size, anchored value, chain, block,
    /// transaction), as signed by the log operator: the anchored value is the
    /// [`anchored_value`] of the anchored checkpoint (version 2) or the statement's root
    /// (version 1). Unverified until [`AnchorReceipt::verify_offline`] or
    /// [`AnchorReceipt::verify_online`] succeeds.
    pub fn claimed_anchor(&self) -> Result<AnchorRecord, AnchorError> {
        let e = self.anchored_event()?;
        let root = match &self.anchored_checkpoint {
            Some(note) => anchored_value(note.checkpoint())?,
            None => e.log_root,
        };
        Ok(AnchorRecord {
            origin: self.anchored.origin().to_owned(),
            size: e.log_size,
            root,
            chain: ChainRef {
                chain_id: e.chain_id,
                contract: e.contract,
            },
            block_number: e.block,
            block_hash: self.block_hash,
            tx_hash: e.tx_hash,
            submitter: [0; 20],
        })
    }

    /// Verifies the receipt without a node, given the log's key, the anchored checkpoint the
    /// verifier trusts and the chain and contract it expects. Checks: the checkpoint note is
    /// signed by the log key; the entry is at `index` in it; it is consistent with the anchored
    /// checkpoint; the log key signed the `checkpoint-anchored` receipt for this origin, this
    /// anchored checkpoint, this chain id and this contract. A receipt for another chain or
    /// contract does not verify. Version 2: the receipt's anchored note must be the given
    /// checkpoint, extension lines (the revocation line) included. Version 1: only origin, size
    /// and root are compared (extensions are ignored; the anchor binds no revocation state).
    pub fn verify_offline(
        &self,
        log_key: &PublicKeys,
        anchored: &Checkpoint,
        chain: &ChainRef,
    ) -> Result<VerifiedAnchor, AnchorError> {
        let origin = anchored.origin.as_str();
        let cp = Checkpoint::open(self.checkpoint.note(), origin, log_key)?;
        if cp.origin != origin || self.entry.origin() != origin || self.anchored.origin() != origin
        {
            return Err(invalid("log origin mismatch"));
        }
        if self.anchored.signer() != log_key {
            return Err(invalid("anchor statement not signed by the log key"));
        }
        let e = self.anchored_event()?;
        if e.chain_id != chain.chain_id || e.contract != chain.contract {
            return Err(AnchorError::WrongChain);
        }
        if e.log_size != anchored.size || e.log_root != anchored.root {
            return Err(invalid("the anchored checkpoint differs"));
        }
        if let Some(a) = self.anchored_checkpoint(log_key)? {
            if a != *anchored {
                return Err(invalid(
                    "the anchored checkpoint differs (another revocation line or extension)",
                ));
            }
        }
        if self.index >= cp.size {
            return Err(invalid("entry index beyond the checkpoint"));
        }
        verify_inclusion(
            self.index,
            cp.size,
            &self.entry.leaf_hash(),
            &self.inclusion,
            &cp.root,
        )?;
        verify_consistency(
            cp.size,
            anchored.size,
            &self.consistency,
            &cp.root,
            &anchored.root,
        )?;
        let mut record = self.claimed_anchor()?;
        record.origin = origin.to_owned();
        Ok(VerifiedAnchor {
            record,
            checkpoint: cp,
            index: self.index,
        })
    }

    /// Verifies the receipt against a node: everything [`AnchorReceipt::verify_offline`]
    /// checks, with the anchored checkpoint taken from the signed statement, and then that the
    /// chain behind `node` is `chain`, that the anchoring event is in its canonical chain at the
    /// recorded block, that the block is final under the node's policy (only the
    /// `finalized` tag or the configured confirmations count), and that no head reset of the
    /// origin follows the anchor on the chain ([`Anchor::reset_after`]): after a reset by the
    /// registry's owner, anchors made before it fail with [`AnchorError::HeadReset`] (there is
    /// no override; ask the log operator for a receipt against an anchor made after the reset,
    /// such as the `Anchored` event the reset itself emits for an earlier genuine checkpoint).
    pub fn verify_online<A: Anchor + ?Sized>(
        &self,
        log_key: &PublicKeys,
        node: &A,
    ) -> Result<VerifiedAnchor, AnchorError> {
        let chain = node.chain();
        let anchored = match self.anchored_checkpoint(log_key)? {
            Some(cp) => cp,
            None => {
                let claim = self.claimed_anchor()?;
                Checkpoint {
                    origin: claim.origin.clone(),
                    size: claim.size,
                    root: claim.root,
                    extensions: Vec::new(),
                }
            }
        };
        let verified = self.verify_offline(log_key, &anchored, &chain)?;
        match node.status(&verified.record)? {
            AnchorStatus::Final => {}
            AnchorStatus::Pending { confirmations } => {
                return Err(AnchorError::NotFinal { confirmations })
            }
            AnchorStatus::Missing => return Err(AnchorError::NotOnChain),
        }
        if let Some(reset) = node.reset_after(&verified.record)? {
            return Err(AnchorError::HeadReset {
                block: reset.block_number,
            });
        }
        Ok(verified)
    }

    /// The canonical bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, AnchorError> {
        if self.inclusion.len() > MAX_PROOF_HASHES || self.consistency.len() > MAX_PROOF_HASHES {
            return Err(invalid("proof too long"));
        }
        let mut out = Vec::with_capacity(1024);
        let version = if self.anchored_checkpoint.is_some() {
            VERSION
        } else {
            VERSION_1
        };
        write_header(&mut out, version, Tag::AnchorReceipt);
        put_bytes_u32(&mut out, self.entry.as_bytes());
        out.extend_from_slice(&self.index.to_be_bytes());
        put_hashes(&mut out, &self.inclusion);
        put_bytes_u32(&mut out, self.checkpoint.note().as_bytes());
        put_hashes(&mut out, &self.consistency);
        put_bytes_u32(&mut out, self.anchored.as_bytes());
        out.extend_from_slice(&self.block_hash);
        if let Some(note) = &self.anchored_checkpoint {
            let note = note.note();
            if note.len() > crate::ledger::checkpoint::MAX_NOTE_LEN {
                return Err(invalid("anchored checkpoint too long"));
            }
            put_bytes_u32(&mut out, note.as_bytes());
        }
        if out.len() > MAX_ANCHOR_RECEIPT_LEN {
            return Err(invalid("receipt too large"));
        }
        Ok(out)
    }

    /// Parses canonical bytes (checking both embedded receipts' signatures; the rest is
    /// checked by the `verify_*` methods).
    pub fn from_bytes(b: &[u8]) -> Result<AnchorReceipt, AnchorError> {
        if b.len() > MAX_ANCHOR_RECEIPT_LEN {
            return Err(DecodeError::TooLong {
                what: "anchor receipt",
                len: b.len(),
                max: MAX_ANCHOR_RECEIPT_LEN,
            }
            .into());
        }
        let mut r = Reader::new(b);
        let version = read_header(&mut r, Tag::AnchorReceipt, &[VERSION_1, VERSION])?;
        let entry = Receipt::from_bytes(r.bytes_u32("anchored entry", MAX_ANCHOR_RECEIPT_LEN)?)?;
        let index = r.u64()?;
        let inclusion = read_hashes(&mut r)?;
        let note = r.bytes_u32("checkpoint", crate::ledger::checkpoint::MAX_NOTE_LEN)?;
        let checkpoint = signed_note(note, "checkpoint")?;
        let consistency = read_hashes(&mut r)?;
        let anchored =
            Receipt::from_bytes(r.bytes_u32("anchor statement", MAX_ANCHOR_RECEIPT_LEN)?)?;
        let block_hash: [u8; 32] = r.array()?;
        let anchored_checkpoint = if version == VERSION {
            let note = r.bytes_u32(
                "anchored checkpoint",
                crate::ledger::checkpoint::MAX_NOTE_LEN,
            )?;
            Some(signed_note(note, "anchored checkpoint")?)
        } else {
            None
        };
        r.finish()?;
        let out = AnchorReceipt {
            entry,
            index,
            inclusion,
            checkpoint,
            consistency,
            anchored,
            block_hash,
            anchored_checkpoint,
        };
        out.anchored_event()?;
        Ok(out)
    }
}

/// A signed note field of the binary form: UTF-8 text that parses as a checkpoint note (its
/// signature is checked by the `verify_*` methods). The text is kept verbatim, so the bytes
/// re-encode unchanged.
fn signed_note(bytes: &[u8], what: &'static str) -> Result<SignedCheckpoint, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|_| DecodeError::Invalid { what })?;
    SignedCheckpoint::parse(text).map_err(|_| DecodeError::Invalid { what })
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
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(r.array::<32>()?);
    }
    Ok(v)
}

#[cfg(test)]
#[cfg(feature = "sqlite")]
mod tests {
    use super::*;
    use crate::error::LogVerifyError;
    use crate::ledger::receipt::AttestationEvent;
    use crate::ledger::sqlite::LocalLedger;
    use std::cell::RefCell;

    const ORIGIN: &str = "test.example/log";
    const CHAIN: ChainRef = ChainRef {
        chain_id: 31337,
        contract: [0x5f; 20],
    };

    fn keys(seed: u8) -> SecretKeys {
        SecretKeys::from_seeds(&[seed; 32], &[seed ^ 0x44; 32])
    }

    /// An in-memory chain: every anchor is pending for `pending` polls, then final.
    struct MemChain {
        anchors: RefCell<Vec<(AnchorRecord, u32)>>,
        /// Head resets, each after the first `n` anchors.
        resets: RefCell<Vec<(usize, HeadReset)>>,
        pending: u32,
        vanish: bool,
    }

    impl MemChain {
        fn new(pending: u32) -> Self {
            MemChain {
                anchors: RefCell::new(Vec::new()),
                resets: RefCell::new(Vec::new()),
                pending,
                vanish: false,
            }
        }
    }

    impl Anchor for MemChain {
        fn chain(&self) -> ChainRef {
            CHAIN
        }
        fn anchor(&self, checkpoint: &Checkpoint) -> Result<AnchorRecord, AnchorError> {
            let mut a = self.anchors.borrow_mut();
            let n = a.len() as u64;
            let rec = AnchorRecord {
                origin: checkpoint.origin.clone(),
                size: checkpoint.size,
                root: anchored_value(checkpoint)?,
                chain: CHAIN,
                block_number: 10 + n,
                block_hash: [n as u8; 32],
                tx_hash: [0xcc; 32],
                submitter: [0xdd; 20],
            };
            a.push((rec.clone(), self.pending));
            Ok(rec)
        }
        fn anchors(&self, origin: &str) -> Result<Vec<AnchorRecord>, AnchorError> {
            Ok(self
                .anchors
                .borrow()
                .iter()
                .filter(|(r, _)| r.origin == origin)
                .map(|(r, _)| r.clone())
                .collect())
        }
        fn status(&self, record: &AnchorRecord) -> Result<AnchorStatus, AnchorError> {
            if self.vanish {
                return Ok(AnchorStatus::Missing);
            }
            let mut a = self.anchors.borrow_mut();
            // As on a chain: the anchor is found by its block and value (a receipt's claimed
            // anchor does not know the submitter).
            let Some((_, left)) = a.iter_mut().find(|(r, _)| {
                (&r.origin, r.size, r.root, r.block_hash)
                    == (&record.origin, record.size, record.root, record.block_hash)
            }) else {
                return Ok(AnchorStatus::Missing);
            };
            if *left == 0 {
                return Ok(AnchorStatus::Final);
            }
            *left -= 1;
            Ok(AnchorStatus::Pending { confirmations: 1 })
        }
        fn reset_after(&self, record: &AnchorRecord) -> Result<Option<HeadReset>, AnchorError> {
            let a = self.anchors.borrow();
            let Some(at) = a.iter().position(|(r, _)| {
                (&r.origin, r.size, r.root, r.block_hash)
                    == (&record.origin, record.size, record.root, record.block_hash)
            }) else {
                return Err(AnchorError::NotOnChain);
            };
            Ok(self
                .resets
                .borrow()
                .iter()
                .find(|(after, r)| *after > at && r.origin == record.origin)
                .map(|(_, r)| r.clone()))
        }
    }

    impl MemChain {
        /// The registry's owner resets the origin's head now (after every anchor so far).
        fn reset(&self, origin: &str) {
            let n = self.anchors.borrow().len();
            self.resets.borrow_mut().push((
                n,
                HeadReset {
                    origin: origin.to_owned(),
                    replaced: [1; 32],
                    size: 0,
                    root: [0; 32],
                    block_number: 100 + n as u64,
                    log_index: 0,
                    tx_hash: [0xee; 32],
                },
            ));
        }
    }

    #[test]
    fn a_head_reset_invalidates_earlier_anchors_online_only() {
        let dir = tempfile::tempdir().unwrap();
        let log = keys(1);
        let l = ledger(&dir, &log, 3);
        let chain = MemChain::new(0);
        let (_, signed) = anchor_ledger(&chain, &l, &log, 7, 10, |_| Ok(())).unwrap();
        let old = AnchorReceipt::for_entry(&chain, &l, &log, 1, 8).unwrap();
        old.verify_online(&log.public(), &chain).unwrap();
        // A reset of another origin changes nothing.
        chain.reset("other.example/log");
        old.verify_online(&log.public(), &chain).unwrap();
        chain.reset(ORIGIN);
        // The anchor older than the reset no longer verifies online, nor is it offered again.
        assert_eq!(
            old.verify_online(&log.public(), &chain),
            Err(AnchorError::HeadReset { block: 101 })
        );
        assert_eq!(
            AnchorReceipt::for_entry(&chain, &l, &log, 1, 8).unwrap_err(),
            AnchorError::NotCovered { index: 1 }
        );
        // Offline, against the anchored checkpoint the verifier trusts, it still verifies:
        // offline verification never sees the chain.
        old.verify_offline(&log.public(), signed.checkpoint(), &CHAIN)
            .unwrap();
        // An anchor made after the reset covers the entry and verifies online.
        anchor_ledger(&chain, &l, &log, 9, 10, |_| Ok(())).unwrap();
        let new = AnchorReceipt::for_entry(&chain, &l, &log, 1, 10).unwrap();
        new.verify_online(&log.public(), &chain).unwrap();
        assert_eq!(
            old.verify_online(&log.public(), &chain),
            Err(AnchorError::HeadReset { block: 101 })
        );
    }

    #[test]
    fn only_the_anchored_note_passes_the_chain_check() {
        let dir = tempfile::tempdir().unwrap();
        let log = keys(1);
        let l = ledger(&dir, &log, 3);
        let chain = MemChain::new(0);
        let (rec, signed) = anchor_ledger(&chain, &l, &log, 7, 10, |_| Ok(())).unwrap();
        assert_eq!(
            verify_checkpoint_anchored(&chain, &signed, ORIGIN, &log.public()).unwrap(),
            rec
        );
        // The operator's second note of size 3: same root, another revocation line.
        let mut cp = signed.checkpoint().clone();
        cp.extensions = vec![Checkpoint::revocations_line(1, &[9; 32])];
        let forged = SignedCheckpoint::sign(&cp, ORIGIN, &log).unwrap();
        assert_eq!(
            verify_checkpoint_anchored(&chain, &forged, ORIGIN, &log.public()),
            Err(AnchorError::NotAnchored { size: 3 })
        );
        assert_eq!(
            crate::Error::from(AnchorError::NotAnchored { size: 3 }).code(),
            "anchor.not_anchored"
        );
        // Another log key, another origin: refused before the chain is asked.
        assert!(matches!(
            verify_checkpoint_anchored(&chain, &signed, ORIGIN, &keys(9).public()),
            Err(AnchorError::LogVerify(_))
        ));
        assert!(matches!(
            verify_checkpoint_anchored(&chain, &signed, "other.example/log", &log.public()),
            Err(AnchorError::LogVerify(_))
        ));
        // A genuine note of a size never anchored (4: the anchor statement was appended).
        let note4 =
            SignedCheckpoint::open(&l.checkpoint(&log).unwrap(), ORIGIN, &log.public()).unwrap();
        assert_eq!(
            verify_checkpoint_anchored(&chain, &note4, ORIGIN, &log.public()),
            Err(AnchorError::NotAnchored { size: 4 })
        );
        // An anchor that is not final yet does not count.
        let slow = MemChain::new(5);
        slow.anchor(signed.checkpoint()).unwrap();
        assert_eq!(
            verify_checkpoint_anchored(&slow, &signed, ORIGIN, &log.public()),
            Err(AnchorError::NotAnchored { size: 3 })
        );
        // A head reset after the anchor: refused.
        chain.reset(ORIGIN);
        assert_eq!(
            verify_checkpoint_anchored(&chain, &signed, ORIGIN, &log.public()),
            Err(AnchorError::HeadReset { block: 101 })
        );
    }

    fn ledger(dir: &tempfile::TempDir, log: &SecretKeys, n: u8) -> LocalLedger {
        let l = LocalLedger::create(&dir.path().join("l.db"), ORIGIN, &log.public()).unwrap();
        let issuer = keys(2);
        for i in 0..n {
            let ev = Event::AttestationIssued(AttestationEvent {
                revocation_handle: [i; 32],
                issuer: issuer.public().key_id(),
            });
            l.append(&Receipt::new(&issuer, ORIGIN, 1, ev).unwrap())
                .unwrap();
        }
        l
    }

    #[test]
    fn anchor_ledger_waits_appends_and_receipts_verify() {
        let dir = tempfile::tempdir().unwrap();
        let log = keys(1);
        let l = ledger(&dir, &log, 3);
        let chain = MemChain::new(2);
        let mut pauses = 0;
        let (rec, signed) = anchor_ledger(&chain, &l, &log, 7, 10, |_| {
            pauses += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(pauses, 2);
        assert_eq!(rec.size, 3);
        assert!(rec.is_of(signed.checkpoint()).unwrap());
        // The statement was appended (entry 3), naming the Merkle root.
        let stmt = Receipt::from_bytes(&l.entry(3).unwrap()).unwrap();
        match stmt.event() {
            Event::CheckpointAnchored(e) => {
                assert_eq!((e.log_size, e.log_root), (3, signed.checkpoint().root));
            }
            _ => panic!("not an anchor statement"),
        }
        // A receipt for entry 1 against the final anchor verifies online and offline.
        let r = AnchorReceipt::for_entry(&chain, &l, &log, 1, 8).unwrap();
        let v = r.verify_online(&log.public(), &chain).unwrap();
        assert_eq!(v.index, 1);
        r.verify_offline(&log.public(), signed.checkpoint(), &CHAIN)
            .unwrap();
        // Another chain, another log key: refused.
        let other = ChainRef {
            chain_id: 1,
            contract: CHAIN.contract,
        };
        assert_eq!(
            r.verify_offline(&log.public(), signed.checkpoint(), &other),
            Err(AnchorError::WrongChain)
        );
        assert!(r
            .verify_offline(&keys(9).public(), signed.checkpoint(), &CHAIN)
            .is_err());
        // The statement entry (index 3) is not covered by the anchor of size 3.
        assert_eq!(
            AnchorReceipt::for_entry(&chain, &l, &log, 3, 8).unwrap_err(),
            AnchorError::NotCovered { index: 3 }
        );
        // Only the log key builds receipts.
        assert!(AnchorReceipt::for_entry(&chain, &l, &keys(9), 1, 8).is_err());
    }

    #[test]
    fn waiting_times_out_or_sees_the_anchor_vanish() {
        let dir = tempfile::tempdir().unwrap();
        let log = keys(1);
        let l = ledger(&dir, &log, 1);
        let note =
            SignedCheckpoint::open(&l.checkpoint(&log).unwrap(), ORIGIN, &log.public()).unwrap();
        let slow = MemChain::new(100);
        assert_eq!(
            anchor_checkpoint(&slow, &note, &log, 1, 3, |_| Ok(())).unwrap_err(),
            AnchorError::Timeout
        );
        let mut gone = MemChain::new(0);
        gone.vanish = true;
        assert_eq!(
            anchor_checkpoint(&gone, &note, &log, 1, 3, |_| Ok(())).unwrap_err(),
            AnchorError::NotOnChain
        );
        // A pause that fails stops the wait with its error.
        let pending = MemChain::new(5);
        assert_eq!(
            anchor_checkpoint(&pending, &note, &log, 1, 3, |_| Err(AnchorError::Timeout))
                .unwrap_err(),
            AnchorError::Timeout
        );
        // A note not signed by the operator's key is not anchored.
        let other = keys(9);
        assert!(matches!(
            anchor_checkpoint(&MemChain::new(0), &note, &other, 1, 3, |_| Ok(())),
            Err(AnchorError::LogVerify(LogVerifyError::BadSignature))
        ));
    }
}
