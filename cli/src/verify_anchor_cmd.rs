//! `causeway verify-anchor`: checks an anchor receipt offline against an anchored checkpoint
//! (always built), or online against a node (with the `evm` feature).

use crate::io::{parse_recipient, read_input};
use crate::CliError;
use causeway::anchor::{AnchorReceipt, AnchorRecord, ChainRef, Finality};
use causeway::error::AnchorError;
use causeway::ledger::checkpoint::Checkpoint;
use causeway::wire::decode_any;
use clap::Args;
use serde_json::json;
use std::path::{Path, PathBuf};

/// When an anchor counts.
#[derive(Args, Clone)]
pub struct FinalityArgs {
    /// Count an anchor after this many confirmations instead of at the node's `finalized`
    /// block (the default).
    #[arg(long, value_name = "N")]
    confirmations: Option<u64>,
}

impl FinalityArgs {
    /// The policy.
    pub fn finality(&self) -> Finality {
        match self.confirmations {
            Some(n) => Finality::Confirmations(n),
            None => Finality::Finalized,
        }
    }
}

/// The on-chain check of a proof's checkpoint (`causeway verify --ledger-proof`, `causeway
/// ledger verify`): the checkpoint the proof is against must be anchored, exactly (its signed
/// text, revocation line included), so an equivocating second note is refused.
#[derive(Args, Clone, Default)]
pub struct AnchorCheckArgs {
    /// Refuse unless the proof's checkpoint (its exact signed note, revocation line included)
    /// is anchored, final, in the registry --anchor-contract on the node at this JSON-RPC URL,
    /// with no head reset of the log after it. Make the proof at an anchored size.
    #[arg(long, value_name = "URL", requires = "anchor_contract")]
    pub anchor_rpc: Option<String>,
    /// The anchor registry's address (0x…), with --anchor-rpc.
    #[arg(long, value_name = "ADDR", requires = "anchor_rpc")]
    pub anchor_contract: Option<String>,
    /// With --anchor-rpc: count an anchor after this many confirmations instead of at the
    /// node's `finalized` block (the default).
    #[arg(long, value_name = "N", requires = "anchor_rpc")]
    pub anchor_confirmations: Option<u64>,
    /// With --anchor-rpc: search the registry's events from this block on (its deployment
    /// block; default 0).
    #[arg(long, value_name = "BLOCK", requires = "anchor_rpc")]
    pub anchor_from_block: Option<u64>,
}

/// Most distinct checkpoints one on-chain check looks up.
pub const MAX_ANCHOR_CHECKS: usize = 64;

impl AnchorCheckArgs {
    /// Whether the check was asked for.
    pub fn is_set(&self) -> bool {
        self.anchor_rpc.is_some()
    }

    /// Checks that each of `notes` (signed by `log_key` for `origin`) is anchored
    /// ([`causeway::anchor::verify_checkpoint_anchored`]); notes with the same checkpoint are
    /// looked up once. Returns the anchors, one per distinct checkpoint; nothing when the
    /// check was not asked for.
    pub fn check(
        &self,
        notes: &[&causeway::ledger::checkpoint::SignedCheckpoint],
        origin: &str,
        log_key: &causeway::party::PublicKeys,
    ) -> Result<Vec<AnchorRecord>, CliError> {
        let (Some(url), Some(contract)) = (&self.anchor_rpc, &self.anchor_contract) else {
            return Ok(Vec::new());
        };
        let contract = parse_address(contract)?;
        let mut distinct: Vec<&causeway::ledger::checkpoint::SignedCheckpoint> = Vec::new();
        for n in notes {
            if !distinct.iter().any(|d| d.checkpoint() == n.checkpoint()) {
                distinct.push(n);
            }
        }
        if distinct.len() > MAX_ANCHOR_CHECKS {
            return Err(CliError::input(format!(
                "too many distinct checkpoints to check on chain ({}, at most {MAX_ANCHOR_CHECKS})",
                distinct.len()
            )));
        }
        self.check_on_chain(url, contract, &distinct, origin, log_key)
    }

    #[cfg(feature = "evm")]
    fn check_on_chain(
        &self,
        url: &str,
        contract: [u8; 20],
        notes: &[&causeway::ledger::checkpoint::SignedCheckpoint],
        origin: &str,
        log_key: &causeway::party::PublicKeys,
    ) -> Result<Vec<AnchorRecord>, CliError> {
        use causeway::anchor::evm::{EvmAnchor, EvmNode};
        let finality = match self.anchor_confirmations {
            Some(n) => Finality::Confirmations(n),
            None => Finality::Finalized,
        };
        let mut reg = EvmAnchor::new(
            EvmNode::connect(url, None).map_err(anchor_err)?,
            contract,
            finality,
        );
        reg.set_from_block(self.anchor_from_block.unwrap_or(0));
        notes
            .iter()
            .map(|n| {
                causeway::anchor::verify_checkpoint_anchored(&reg, n, origin, log_key)
                    .map_err(anchor_err)
            })
            .collect()
    }

    #[cfg(not(feature = "evm"))]
    fn check_on_chain(
        &self,
        _url: &str,
        _contract: [u8; 20],
        _notes: &[&causeway::ledger::checkpoint::SignedCheckpoint],
        _origin: &str,
        _log_key: &causeway::party::PublicKeys,
    ) -> Result<Vec<AnchorRecord>, CliError> {
        let _ = (self.anchor_confirmations, self.anchor_from_block);
        Err(CliError::input(
            "this causeway was built without the `evm` feature: it cannot check anchors on chain",
        )
        .hint("drop --anchor-rpc, or build with `--features evm`"))
    }
}

/// Arguments of `causeway verify-anchor`.
#[derive(Args)]
pub struct VerifyAnchorArgs {
    /// The anchor receipt (base64url text or binary).
    receipt: PathBuf,
    /// The log's public key (cwpub1… or a file).
    #[arg(long)]
    log_key: String,
    /// The registry's address (0x…).
    #[arg(long)]
    contract: String,
    /// Verify online against this node (JSON-RPC URL).
    #[arg(long, value_name = "URL", conflicts_with = "anchored_checkpoint")]
    rpc: Option<String>,
    #[command(flatten)]
    finality: FinalityArgs,
    /// Verify offline against this anchored checkpoint (a signed note file) …
    #[arg(long, value_name = "FILE", requires = "chain_id")]
    anchored_checkpoint: Option<PathBuf>,
    /// … on this chain id.
    #[arg(long)]
    chain_id: Option<u64>,
}

/// Maps an anchoring error to the CLI's error classes: the exit code from core's `kind()`,
/// with the CLI's hints.
pub fn anchor_err(e: AnchorError) -> CliError {
    let hint = match &e {
        AnchorError::Node(_) | AnchorError::Timeout => {
            Some("check that the node is running and --rpc points to it")
        }
        AnchorError::Rejected(causeway::anchor::Rejection::NotSubmitter) => Some(
            "the registry's owner or the origin's admin allows an account with `causeway anchor allow --origin …`",
        ),
        AnchorError::NoSigner => Some("pass --evm-key-file FILE (hex account key)"),
        AnchorError::NotOnChain => Some("the anchor vanished from the chain (reorganised); anchor again"),
        AnchorError::NotCovered { .. } => Some("run `causeway anchor checkpoint` first"),
        AnchorError::NotAnchored { .. } => Some(
            "the proof must be made against an anchored checkpoint: `causeway ledger prove --size S` with S the size of a final anchor of the log (`causeway anchor list`); a note of the same size that differs from the anchored one is the log operator equivocating",
        ),
        AnchorError::HeadReset { .. } => Some(
            "the registry's owner reset this log's anchors after this one: investigate, and ask the log operator for a receipt against an anchor made after the reset (`causeway anchor receipt`)",
        ),
        _ => None,
    };
    // The exit code comes from `kind()`, with no exceptions (decision 0041, amended).
    let c = CliError::from(causeway::Error::from(e));
    match hint {
        Some(h) => c.hint(h),
        None => c,
    }
}

/// Parses a 0x-prefixed 20-byte address.
pub fn parse_address(s: &str) -> Result<[u8; 20], CliError> {
    let t = s.trim();
    let t = t.strip_prefix("0x").unwrap_or(t);
    let mut a = [0u8; 20];
    hex::decode_to_slice(t, &mut a)
        .map_err(|_| CliError::input(format!("not a 20-byte hex address: {s}")))?;
    Ok(a)
}

/// A record as JSON.
pub fn record_json(r: &AnchorRecord) -> serde_json::Value {
    json!({
        "origin": r.origin,
        "size": r.size,
        "root": hex::encode(r.root),
        "chain_id": r.chain.chain_id,
        "contract": format!("0x{}", hex::encode(r.chain.contract)),
        "block_number": r.block_number,
        "block_hash": format!("0x{}", hex::encode(r.block_hash)),
        "tx_hash": format!("0x{}", hex::encode(r.tx_hash)),
        "submitter": format!("0x{}", hex::encode(r.submitter)),
    })
}

/// Reads an anchor receipt (binary, or base64url text: `causeway::wire::decode_any`). A
/// receipt that does not decode is malformed input (exit code from `kind()`).
pub fn read_receipt(path: &Path) -> Result<AnchorReceipt, CliError> {
    let raw = read_input(Some(path))?;
    decode_any::<AnchorReceipt>(&raw).map_err(|e| anchor_err(AnchorError::Decode(e)))
}

#[cfg(feature = "evm")]
fn verify_online(
    receipt: &AnchorReceipt,
    log_key: &causeway::party::PublicKeys,
    url: &str,
    contract: [u8; 20],
    a: &VerifyAnchorArgs,
) -> Result<causeway::anchor::VerifiedAnchor, CliError> {
    use causeway::anchor::evm::{EvmAnchor, EvmNode};
    let reg = EvmAnchor::new(
        EvmNode::connect(url, None).map_err(anchor_err)?,
        contract,
        a.finality.finality(),
    );
    receipt.verify_online(log_key, &reg).map_err(anchor_err)
}

#[cfg(not(feature = "evm"))]
fn verify_online(
    _receipt: &AnchorReceipt,
    _log_key: &causeway::party::PublicKeys,
    _url: &str,
    _contract: [u8; 20],
    a: &VerifyAnchorArgs,
) -> Result<causeway::anchor::VerifiedAnchor, CliError> {
    let _ = a.finality.finality();
    Err(CliError::input(
        "this causeway was built without the `evm` feature: it verifies offline only",
    )
    .hint("give --anchored-checkpoint FILE --chain-id N, or build with `--features evm`"))
}

/// `causeway verify-anchor`.
pub fn verify(a: VerifyAnchorArgs, json_out: bool) -> Result<(), CliError> {
    let receipt = read_receipt(&a.receipt)?;
    let log_key = parse_recipient(&a.log_key)?;
    let contract = parse_address(&a.contract)?;
    let (v, mode) = if let Some(url) = &a.rpc {
        (
            verify_online(&receipt, &log_key, url, contract, &a)?,
            "online",
        )
    } else if let (Some(path), Some(chain_id)) = (&a.anchored_checkpoint, a.chain_id) {
        let note = std::fs::read_to_string(path)
            .map_err(|e| CliError::io(format!("cannot read {}: {e}", path.display())))?;
        let origin = receipt.anchored.origin().to_owned();
        let cp = Checkpoint::open(&note, &origin, &log_key)?;
        let chain = ChainRef { chain_id, contract };
        (
            receipt
                .verify_offline(&log_key, &cp, &chain)
                .map_err(anchor_err)?,
            "offline",
        )
    } else {
        return Err(CliError::input(
            "give --rpc URL (online) or --anchored-checkpoint FILE --chain-id N (offline)",
        ));
    };
    let online = mode == "online";
    if json_out {
        let mut r = record_json(&v.record);
        if let Some(o) = r.as_object_mut() {
            o.insert("verified".into(), json!(mode));
            o.insert("entry_index".into(), json!(v.index));
            // Offline, the chain fields are the log operator's word only.
            o.insert("chain_checked".into(), json!(online));
        }
        println!("{r}");
    } else {
        print!("{}", verified_text(&v, online));
    }
    Ok(())
}

/// What a verified anchor receipt establishes, in words: online, the chain was checked;
/// offline, only the log key vouches for the chain, block and transaction.
pub fn verified_text(v: &causeway::anchor::VerifiedAnchor, online: bool) -> String {
    let r = &v.record;
    if online {
        format!(
            "✓ entry {} of {} is covered by the checkpoint of size {} anchored on chain {} at block {} \
             (online: the anchoring event is in the node's canonical chain and final, and no head \
             reset of the log's anchors follows it)\n",
            v.index, r.origin, r.size, r.chain.chain_id, r.block_number
        )
    } else {
        format!(
            "✓ entry {} of {} is in a checkpoint signed by the log key, consistent with the anchored \
             checkpoint you gave (size {}) (offline)\n  \
             the log's key says it was anchored on chain {} (contract 0x{}) at block {}; \
             not checked against the chain (give --rpc URL to check)\n",
            v.index,
            r.origin,
            r.size,
            r.chain.chain_id,
            hex::encode(r.chain.contract),
            r.block_number
        )
    }
}
