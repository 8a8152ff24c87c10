//! Step 10 of `causeway demo --chain URL` (feature `evm`): anchoring the ledger on an EVM
//! chain.
//!
//! The bank deploys an `AnchorRegistry` (or uses an existing one), anchors the checkpoint of
//! its ledger (step 8), waits until the node's `finalized` block covers it (mining blocks on a
//! local dev node), writes an anchor receipt for one entry and verifies it online (against the
//! node) and offline (against the checkpoint and the chain reference); the same receipt checked
//! for another chain id is refused.

use crate::StepError;
use causeway::anchor::evm::{EvmAnchor, EvmKey, EvmNode, WAIT_MAX_POLLS};
use causeway::anchor::{anchor_ledger, Anchor, AnchorReceipt, AnchorRecord, ChainRef, Finality};
use causeway::error::AnchorError;
use causeway::ledger::receipt::unix_millis_now;
use causeway::ledger::sqlite::LocalLedger;
use causeway::party::SecretKeys;
use std::time::Duration;

/// The balance [`fund_dev_account`] gives a fresh account: 100 ether, in wei (hex).
pub const DEV_BALANCE_WEI: &str = "0x56BC75E2D63100000";

/// A fresh account key funded with the dev node's `anvil_setBalance` on `node` (local dev
/// nodes only; elsewhere the node refuses and the caller needs a funded account key). Returns
/// the key and its address.
pub fn fund_dev_account(node: &EvmNode) -> Result<(EvmKey, [u8; 20]), AnchorError> {
    let k = EvmKey::generate()?;
    let address = k.address()?;
    let addr = format!("0x{}", hex::encode(address));
    node.raw_request(
        "anvil_setBalance",
        &serde_json::json!([addr, DEV_BALANCE_WEI]).to_string(),
    )?;
    Ok((k, address))
}

/// What step 10 established.
#[derive(Debug)]
pub struct Anchored {
    /// The chain's id.
    pub chain_id: u64,
    /// The registry's address.
    pub contract: [u8; 20],
    /// The registry deployed by this step and its deployment block (`None` when the caller
    /// named an existing one).
    pub deployed: Option<([u8; 20], u64)>,
    /// The anchor as recorded on chain.
    pub record: AnchorRecord,
    /// Gas used by the anchoring transaction.
    pub gas: u64,
    /// How long it took until the anchor was final.
    pub final_after: Duration,
    /// Whether the node is a local dev node (blocks were mined to reach finality).
    pub dev_node: bool,
    /// The anchor receipt for the entry.
    pub receipt: AnchorReceipt,
    /// The chain id the receipt was refused for.
    pub other_chain_id: u64,
}

/// Step 10: anchors `ledger` (whose log key is `log_keys`'s) on the node at `url`, sending
/// from `account`, in the registry `contract` (or one it deploys, allowing the ledger's
/// origin), and checks an anchor receipt for entry `index` online, offline, and not for another
/// chain id.
pub fn run(
    url: &str,
    account: &EvmKey,
    contract: Option<[u8; 20]>,
    ledger: &LocalLedger,
    log_keys: &SecretKeys,
    index: u64,
) -> Result<Anchored, StepError> {
    let node = EvmNode::connect(url, Some(account))?;
    let chain_id = node.chain_id();
    let (addr, from_block, deployed) = match contract {
        Some(c) => (c, 0, None),
        None => {
            let (a, block) = node.deploy_registry(&[ledger.origin()])?;
            (a, block, Some((a, block)))
        }
    };
    let mut reg = EvmAnchor::new(node, addr, Finality::Finalized);
    reg.set_from_block(from_block);
    let dev = reg.is_dev_node();
    let started = std::time::Instant::now();
    let (rec, note) = anchor_ledger(
        &reg,
        ledger,
        log_keys,
        unix_millis_now(),
        WAIT_MAX_POLLS,
        |_| reg.pause(dev),
    )?;
    let gas = reg.gas_used(&rec.tx_hash)?;
    let final_after = started.elapsed();
    let cp = note.checkpoint();
    let receipt =
        AnchorReceipt::from_source(ledger, log_keys, index, &note, &rec, unix_millis_now())?;
    let log_pub = log_keys.public();
    receipt.verify_online(&log_pub, &reg)?;
    receipt.verify_offline(&log_pub, cp, &reg.chain())?;
    let other = ChainRef {
        chain_id: chain_id.wrapping_add(1),
        contract: addr,
    };
    if receipt.verify_offline(&log_pub, cp, &other).is_ok() {
        return Err(StepError::failed(
            "the receipt verified for another chain id",
        ));
    }
    Ok(Anchored {
        chain_id,
        contract: addr,
        deployed,
        record: rec,
        gas,
        final_after,
        dev_node: dev,
        receipt,
        other_chain_id: other.chain_id,
    })
}
