//! `causeway anchor …` and `causeway verify-anchor`: ledger checkpoints anchored on an EVM
//! chain (built with the `evm` feature: `cargo build -p causeway-cli --features evm`).

use crate::io::{load_party, write_output};
use crate::verify_anchor_cmd::{anchor_err, parse_address, record_json, FinalityArgs};
use crate::CliError;
use causeway::anchor::evm::{EvmAnchor, EvmKey, EvmNode};
use causeway::anchor::{Anchor, AnchorReceipt, AnchorRecord, AnchorStatus, Finality};
use causeway::encoding::b64u_encode;
use causeway::ledger::checkpoint::SignedCheckpoint;
use causeway::ledger::receipt::unix_millis_now;
use causeway::ledger::sqlite::LocalLedger;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Where the node is and who signs.
#[derive(Args, Clone)]
pub struct NodeArgs {
    /// The node's JSON-RPC URL (e.g. http://127.0.0.1:8545).
    #[arg(long, value_name = "URL")]
    rpc: String,
    /// A file holding the hex secp256k1 key of the account that sends transactions.
    #[arg(long, value_name = "FILE")]
    evm_key_file: Option<PathBuf>,
}

/// Where anchor searches start.
#[derive(Args, Clone)]
pub struct ScanArgs {
    /// Search the registry's events from this block on (its deployment block, which
    /// `causeway anchor deploy` prints; default 0). Searches are paged by --log-page blocks.
    #[arg(long, value_name = "BLOCK", default_value_t = 0)]
    from_block: u64,
    /// Blocks per `eth_getLogs` query.
    #[arg(long, value_name = "BLOCKS", default_value_t = causeway::anchor::evm::DEFAULT_LOG_PAGE_BLOCKS)]
    log_page: u64,
}

impl ScanArgs {
    fn registry(&self, node: EvmNode, contract: [u8; 20], finality: Finality) -> EvmAnchor {
        let mut reg = EvmAnchor::new(node, contract, finality);
        reg.set_from_block(self.from_block);
        reg.set_log_paging(
            self.log_page,
            causeway::anchor::evm::DEFAULT_MAX_LOG_QUERIES,
            causeway::anchor::evm::DEFAULT_MAX_ANCHORS,
        );
        reg
    }
}

/// Arguments of `causeway anchor`.
#[derive(Args)]
pub struct AnchorArgs {
    #[command(subcommand)]
    cmd: AnchorCmd,
}

#[derive(Subcommand)]
enum AnchorCmd {
    /// Deploy an AnchorRegistry; the sending account becomes its owner and a submitter for
    /// each --origin.
    Deploy {
        #[command(flatten)]
        node: NodeArgs,
        /// A log origin the sending account may anchor (repeatable).
        #[arg(long = "origin", value_name = "ORIGIN")]
        origins: Vec<String>,
    },
    /// Sign a checkpoint of a ledger, anchor it, and record the anchor in the ledger.
    Checkpoint {
        #[command(flatten)]
        node: NodeArgs,
        #[command(flatten)]
        finality: FinalityArgs,
        #[command(flatten)]
        scan: ScanArgs,
        /// The registry's address (0x…).
        #[arg(long)]
        contract: String,
        /// The ledger database.
        #[arg(long)]
        ledger: PathBuf,
        /// The log's key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Write an anchor receipt for a ledger entry, against the latest final anchor covering it.
    Receipt {
        #[command(flatten)]
        node: NodeArgs,
        #[command(flatten)]
        finality: FinalityArgs,
        #[command(flatten)]
        scan: ScanArgs,
        /// The registry's address (0x…).
        #[arg(long)]
        contract: String,
        /// The ledger database.
        #[arg(long)]
        ledger: PathBuf,
        /// The log's key file (signs the anchor statement).
        #[arg(long)]
        key: PathBuf,
        /// The entry's index.
        #[arg(long)]
        index: u64,
        /// Output file (stdout if absent).
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// List the anchors of a log origin and their status.
    List {
        #[command(flatten)]
        node: NodeArgs,
        #[command(flatten)]
        finality: FinalityArgs,
        #[command(flatten)]
        scan: ScanArgs,
        /// The registry's address (0x…).
        #[arg(long)]
        contract: String,
        /// The log's origin.
        #[arg(long)]
        origin: String,
    },
    /// Allow (or with --remove, disallow) an account to anchor checkpoints of one origin
    /// (the registry's owner or the origin's admin only).
    Allow {
        #[command(flatten)]
        node: NodeArgs,
        /// The registry's address (0x…).
        #[arg(long)]
        contract: String,
        /// The log's origin.
        #[arg(long)]
        origin: String,
        /// The account (0x…).
        #[arg(long)]
        account: String,
        /// Remove instead of allow.
        #[arg(long)]
        remove: bool,
    },
    /// Name the account that manages an origin's allow-list besides the owner (registry
    /// owner only; 0x0000000000000000000000000000000000000000 removes it).
    Admin {
        #[command(flatten)]
        node: NodeArgs,
        /// The registry's address (0x…).
        #[arg(long)]
        contract: String,
        /// The log's origin.
        #[arg(long)]
        origin: String,
        /// The admin account (0x…).
        #[arg(long)]
        account: String,
    },
}

fn ledger_err(e: causeway::error::LedgerError) -> CliError {
    CliError::from(e)
}

/// Reads an EVM account key file (hex secp256k1 key).
pub fn read_evm_key(path: &Path) -> Result<EvmKey, CliError> {
    let text =
        zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            CliError::io(format!("cannot read account key {}: {e}", path.display()))
        })?);
    EvmKey::from_hex(&text).map_err(anchor_err)
}

/// Connects to the node, with the account key if one is given.
pub fn connect(node: &NodeArgs) -> Result<EvmNode, CliError> {
    let key = node.evm_key_file.as_deref().map(read_evm_key).transpose()?;
    EvmNode::connect(&node.rpc, key.as_ref()).map_err(anchor_err)
}

/// Anchors the latest state of `ledger` ([`causeway::anchor::anchor_ledger`]): signs a
/// checkpoint, anchors it, waits until it is final (mining blocks on a local dev node if
/// `mine_dev`), appends the signed anchor statement. Returns the record and the checkpoint.
pub fn anchor_ledger(
    reg: &EvmAnchor,
    ledger: &LocalLedger,
    log_keys: &causeway::party::SecretKeys,
    mine_dev: bool,
) -> Result<(AnchorRecord, SignedCheckpoint), CliError> {
    causeway::anchor::anchor_ledger(
        reg,
        ledger,
        log_keys,
        unix_millis_now(),
        causeway::anchor::evm::WAIT_MAX_POLLS,
        |_| reg.pause(mine_dev),
    )
    .map_err(anchor_err)
}

/// `causeway anchor …`.
pub fn run(a: AnchorArgs, json_out: bool) -> Result<(), CliError> {
    match a.cmd {
        AnchorCmd::Deploy { node, origins } => {
            let n = connect(&node)?;
            let origins: Vec<&str> = origins.iter().map(String::as_str).collect();
            let (addr, block) = n.deploy_registry(&origins).map_err(anchor_err)?;
            if json_out {
                println!(
                    "{}",
                    json!({
                        "contract": format!("0x{}", hex::encode(addr)),
                        "chain_id": n.chain_id(),
                        "block": block,
                        "origins": origins,
                    })
                );
            } else {
                println!("0x{}", hex::encode(addr));
                eprintln!(
                    "deployed on chain {} in block {block} (pass --from-block {block} to later commands)",
                    n.chain_id()
                );
            }
            Ok(())
        }
        AnchorCmd::Checkpoint {
            node,
            finality,
            scan,
            contract,
            ledger,
            key,
        } => {
            let party = load_party(&key)?;
            let reg = scan.registry(
                connect(&node)?,
                parse_address(&contract)?,
                finality.finality(),
            );
            let ledger = LocalLedger::open(&ledger).map_err(ledger_err)?;
            let (rec, _) = anchor_ledger(&reg, &ledger, party.keys(), false)?;
            if json_out {
                println!("{}", record_json(&rec));
            } else {
                println!(
                    "anchored {} size {} in block {} (tx 0x{}), final",
                    rec.origin,
                    rec.size,
                    rec.block_number,
                    hex::encode(rec.tx_hash)
                );
            }
            Ok(())
        }
        AnchorCmd::Receipt {
            node,
            finality,
            scan,
            contract,
            ledger,
            key,
            index,
            out,
        } => {
            let party = load_party(&key)?;
            let reg = scan.registry(
                connect(&node)?,
                parse_address(&contract)?,
                finality.finality(),
            );
            let ledger = LocalLedger::open(&ledger).map_err(ledger_err)?;
            let receipt =
                AnchorReceipt::for_entry(&reg, &ledger, party.keys(), index, unix_millis_now())
                    .map_err(anchor_err)?;
            let bytes = receipt.to_bytes().map_err(anchor_err)?;
            let mut text = b64u_encode(&bytes);
            text.push('\n');
            write_output(out.as_deref(), text.as_bytes(), false)
        }
        AnchorCmd::List {
            node,
            finality,
            scan,
            contract,
            origin,
        } => {
            let reg = scan.registry(
                connect(&node)?,
                parse_address(&contract)?,
                finality.finality(),
            );
            let mut rows = Vec::new();
            for r in reg.anchors(&origin).map_err(anchor_err)? {
                let mut st = match reg.status(&r).map_err(anchor_err)? {
                    AnchorStatus::Final => "final".to_owned(),
                    AnchorStatus::Pending { confirmations } => format!("pending ({confirmations})"),
                    AnchorStatus::Missing => "missing".to_owned(),
                };
                // A later head reset of the origin voids the anchor for online verification
                // (docs/spec/anchoring.md): never list such an anchor as final (review L3).
                let mut reset_block = None;
                if st != "missing" {
                    if let Some(reset) = reg.reset_after(&r).map_err(anchor_err)? {
                        st = format!("invalidated by head reset (block {})", reset.block_number);
                        reset_block = Some(reset.block_number);
                    }
                }
                if !json_out {
                    println!(
                        "size {:>10}  anchored value {}  block {:>8}  {st}",
                        r.size,
                        hex::encode(r.root),
                        r.block_number
                    );
                }
                let mut v = record_json(&r);
                if let Some(o) = v.as_object_mut() {
                    match reset_block {
                        Some(b) => {
                            o.insert("status".into(), json!("invalidated"));
                            o.insert("reset_block".into(), json!(b));
                        }
                        None => {
                            o.insert("status".into(), json!(st));
                        }
                    }
                }
                rows.push(v);
            }
            if json_out {
                println!("{}", json!(rows));
            }
            Ok(())
        }
        AnchorCmd::Allow {
            node,
            contract,
            origin,
            account,
            remove,
        } => {
            let reg = EvmAnchor::new(
                connect(&node)?,
                parse_address(&contract)?,
                Finality::Confirmations(1),
            );
            reg.set_submitter(&origin, parse_address(&account)?, !remove)
                .map_err(anchor_err)?;
            println!(
                "{} {account} for {origin}",
                if remove { "removed" } else { "allowed" }
            );
            Ok(())
        }
        AnchorCmd::Admin {
            node,
            contract,
            origin,
            account,
        } => {
            let reg = EvmAnchor::new(
                connect(&node)?,
                parse_address(&contract)?,
                Finality::Confirmations(1),
            );
            reg.set_origin_admin(&origin, parse_address(&account)?)
                .map_err(anchor_err)?;
            println!("admin of {origin}: {account}");
            Ok(())
        }
    }
}
