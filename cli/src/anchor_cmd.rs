//! `causeway anchor …` and `causeway verify-anchor`: ledger checkpoints anchored on an EVM
//! chain (built with the `evm` feature: `cargo build -p causeway-cli --features evm`).

use crate::io::{load_party, parse_recipient, write_output};
use crate::CliError;
use causeway::anchor::evm::{EvmAnchor, EvmKey, EvmNode};
use causeway::anchor::{Anchor, AnchorReceipt, AnchorRecord, AnchorStatus, ChainRef, Finality};
use causeway::encoding::{b64u_decode, b64u_encode};
use causeway::error::AnchorError;
use causeway::ledger::checkpoint::Checkpoint;
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

/// When an anchor counts.
#[derive(Args, Clone)]
pub struct FinalityArgs {
    /// Count an anchor after this many confirmations instead of at the node's `finalized`
    /// block (the default).
    #[arg(long, value_name = "N")]
    confirmations: Option<u64>,
}

impl FinalityArgs {
    fn finality(&self) -> Finality {
        match self.confirmations {
            Some(n) => Finality::Confirmations(n),
            None => Finality::Finalized,
        }
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
    /// Deploy an AnchorRegistry; the sending account becomes its owner and a submitter.
    Deploy {
        #[command(flatten)]
        node: NodeArgs,
    },
    /// Sign a checkpoint of a ledger, anchor it, and record the anchor in the ledger.
    Checkpoint {
        #[command(flatten)]
        node: NodeArgs,
        #[command(flatten)]
        finality: FinalityArgs,
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
        /// The registry's address (0x…).
        #[arg(long)]
        contract: String,
        /// The log's origin.
        #[arg(long)]
        origin: String,
    },
    /// Allow (or with --remove, disallow) an account to anchor (registry owner only).
    Allow {
        #[command(flatten)]
        node: NodeArgs,
        /// The registry's address (0x…).
        #[arg(long)]
        contract: String,
        /// The account (0x…).
        #[arg(long)]
        account: String,
        /// Remove instead of allow.
        #[arg(long)]
        remove: bool,
    },
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

fn anchor_err(e: AnchorError) -> CliError {
    match e {
        AnchorError::Node(_) | AnchorError::Timeout => CliError::io(e.to_string())
            .hint("check that the node is running and --rpc points to it"),
        AnchorError::Rejected(_) => CliError::input(e.to_string()),
        AnchorError::NoSigner => {
            CliError::input(e.to_string()).hint("pass --evm-key-file FILE (hex account key)")
        }
        _ => CliError::denied(e.to_string()),
    }
}

fn ledger_err(e: causeway::error::LedgerError) -> CliError {
    CliError::input(e.to_string())
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

fn read_evm_key(path: &Path) -> Result<EvmKey, CliError> {
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

/// Anchors the latest state of `ledger`: signs a checkpoint, anchors it, waits until it is
/// final (mining blocks on a local dev node if `mine_dev` and the node supports it), appends
/// the signed anchor statement to the ledger. Returns the record and the checkpoint note.
pub fn anchor_ledger(
    reg: &EvmAnchor,
    ledger: &LocalLedger,
    log_keys: &causeway::party::SecretKeys,
    mine_dev: bool,
) -> Result<(AnchorRecord, String), CliError> {
    let note = ledger.checkpoint(log_keys).map_err(ledger_err)?;
    let cp = Checkpoint::open(&note, ledger.origin(), ledger.log_key())
        .map_err(|e| CliError::input(e.to_string()))?;
    let rec = reg.anchor(&cp).map_err(anchor_err)?;
    wait_final(reg, &rec, mine_dev)?;
    let statement =
        AnchorReceipt::statement(log_keys, causeway::ledger::receipt::unix_millis_now(), &rec)
            .map_err(anchor_err)?;
    ledger.append(&statement).map_err(ledger_err)?;
    Ok((rec, note))
}

/// Waits until `rec` is final; on a dev node (`mine_dev`) mines blocks to get there.
pub fn wait_final(reg: &EvmAnchor, rec: &AnchorRecord, mine_dev: bool) -> Result<(), CliError> {
    for _ in 0..600 {
        match reg.status(rec).map_err(anchor_err)? {
            AnchorStatus::Final => return Ok(()),
            AnchorStatus::Missing => {
                return Err(CliError::denied(
                    "the anchor vanished from the chain (reorganised); anchor again",
                ))
            }
            AnchorStatus::Pending { .. } => {
                if mine_dev {
                    reg.node()
                        .raw_request("anvil_mine", json!(["0x10"]))
                        .map_err(anchor_err)?;
                } else {
                    std::thread::sleep(std::time::Duration::from_secs(2));
                }
            }
        }
    }
    Err(CliError::io("the anchor did not become final in time"))
}

fn read_receipt(path: &Path) -> Result<AnchorReceipt, CliError> {
    let raw = std::fs::read(path)
        .map_err(|e| CliError::io(format!("cannot read {}: {e}", path.display())))?;
    let bytes = if raw.starts_with(b"CW") {
        raw
    } else {
        let text = String::from_utf8(raw)
            .map_err(|_| CliError::input("the receipt is neither binary nor base64url text"))?;
        b64u_decode(
            "anchor receipt",
            text.trim(),
            causeway::anchor::MAX_ANCHOR_RECEIPT_LEN,
        )?
    };
    AnchorReceipt::from_bytes(&bytes).map_err(anchor_err)
}

/// `causeway anchor …`.
pub fn run(a: AnchorArgs, json_out: bool) -> Result<(), CliError> {
    match a.cmd {
        AnchorCmd::Deploy { node } => {
            let n = connect(&node)?;
            let addr = n.deploy_registry().map_err(anchor_err)?;
            if json_out {
                println!(
                    "{}",
                    json!({"contract": format!("0x{}", hex::encode(addr)), "chain_id": n.chain_id()})
                );
            } else {
                println!("0x{}", hex::encode(addr));
            }
            Ok(())
        }
        AnchorCmd::Checkpoint {
            node,
            finality,
            contract,
            ledger,
            key,
        } => {
            let party = load_party(&key)?;
            let reg = EvmAnchor::new(
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
            contract,
            ledger,
            key,
            index,
            out,
        } => {
            let party = load_party(&key)?;
            let reg = EvmAnchor::new(
                connect(&node)?,
                parse_address(&contract)?,
                finality.finality(),
            );
            let ledger = LocalLedger::open(&ledger).map_err(ledger_err)?;
            let receipt = receipt_for(&reg, &ledger, party.keys(), index)?;
            let bytes = receipt.to_bytes().map_err(anchor_err)?;
            let mut text = b64u_encode(&bytes);
            text.push('\n');
            write_output(out.as_deref(), text.as_bytes(), false)
        }
        AnchorCmd::List {
            node,
            finality,
            contract,
            origin,
        } => {
            let reg = EvmAnchor::new(
                connect(&node)?,
                parse_address(&contract)?,
                finality.finality(),
            );
            let mut rows = Vec::new();
            for r in reg.anchors(&origin).map_err(anchor_err)? {
                let st = match reg.status(&r).map_err(anchor_err)? {
                    AnchorStatus::Final => "final".to_owned(),
                    AnchorStatus::Pending { confirmations } => format!("pending ({confirmations})"),
                    AnchorStatus::Missing => "missing".to_owned(),
                };
                if !json_out {
                    println!(
                        "size {:>10}  root {}  block {:>8}  {st}",
                        r.size,
                        hex::encode(r.root),
                        r.block_number
                    );
                }
                let mut v = record_json(&r);
                v["status"] = json!(st);
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
            account,
            remove,
        } => {
            let reg = EvmAnchor::new(
                connect(&node)?,
                parse_address(&contract)?,
                Finality::Confirmations(1),
            );
            reg.set_submitter(parse_address(&account)?, !remove)
                .map_err(anchor_err)?;
            println!("{} {account}", if remove { "removed" } else { "allowed" });
            Ok(())
        }
    }
}

/// The anchor receipt for entry `index` against the latest final anchor of the ledger that
/// covers it (the entry is proven against that anchored checkpoint itself).
pub fn receipt_for(
    reg: &EvmAnchor,
    ledger: &LocalLedger,
    log_keys: &causeway::party::SecretKeys,
    index: u64,
) -> Result<AnchorReceipt, CliError> {
    let mut best = None;
    for r in reg.anchors(ledger.origin()).map_err(anchor_err)? {
        if r.size > index && reg.status(&r).map_err(anchor_err)? == AnchorStatus::Final {
            best = Some(r);
        }
    }
    let rec = best.ok_or_else(|| {
        CliError::input(format!("no final anchor covers entry {index} yet"))
            .hint("run `causeway anchor checkpoint` first")
    })?;
    let note = ledger
        .checkpoint_at(rec.size)
        .map_err(ledger_err)?
        .ok_or_else(|| {
            CliError::input("the ledger has no stored checkpoint for the anchored size")
        })?;
    AnchorReceipt::from_ledger(
        ledger,
        log_keys,
        index,
        &note,
        &rec,
        causeway::ledger::receipt::unix_millis_now(),
    )
    .map_err(anchor_err)
}

/// `causeway verify-anchor`.
pub fn verify(a: VerifyAnchorArgs, json_out: bool) -> Result<(), CliError> {
    let receipt = read_receipt(&a.receipt)?;
    let log_key = parse_recipient(&a.log_key)?;
    let contract = parse_address(&a.contract)?;
    let (v, mode) = if let Some(url) = &a.rpc {
        let reg = EvmAnchor::new(
            EvmNode::connect(url, None).map_err(anchor_err)?,
            contract,
            a.finality.finality(),
        );
        (
            receipt.verify_online(&log_key, &reg).map_err(anchor_err)?,
            "online",
        )
    } else if let (Some(path), Some(chain_id)) = (&a.anchored_checkpoint, a.chain_id) {
        let note = std::fs::read_to_string(path)
            .map_err(|e| CliError::io(format!("cannot read {}: {e}", path.display())))?;
        let origin = receipt.anchored.origin().to_owned();
        let cp = Checkpoint::open(&note, &origin, &log_key)
            .map_err(|e| CliError::denied(e.to_string()))?;
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
    if json_out {
        let mut r = record_json(&v.record);
        r["verified"] = json!(mode);
        r["entry_index"] = json!(v.index);
        println!("{r}");
    } else {
        println!(
            "✓ entry {} of {} is covered by the checkpoint of size {} anchored on chain {} at block {} ({mode})",
            v.index, v.record.origin, v.record.size, v.record.chain.chain_id, v.record.block_number
        );
    }
    Ok(())
}

/// The demo's on-chain step (`causeway demo --chain URL`): deploys a registry (or uses
/// `contract`), anchors the demo ledger's checkpoint, waits until the node's `finalized` block
/// covers it (mining on a local dev node), writes an anchor receipt for entry `index` and
/// verifies it online and offline. Without an account key it uses a fresh key funded with the
/// dev node's `anvil_setBalance` (local nodes only).
pub fn demo_chain(
    url: &str,
    evm_key_file: Option<&Path>,
    contract: Option<&str>,
    ledger: &LocalLedger,
    log_keys: &causeway::party::SecretKeys,
    index: u64,
) -> Result<AnchorReceipt, CliError> {
    let key = match evm_key_file {
        Some(p) => read_evm_key(p)?,
        None => {
            let k = EvmKey::generate().map_err(anchor_err)?;
            let addr = format!("0x{}", hex::encode(k.address().map_err(anchor_err)?));
            EvmNode::connect(url, None)
                .map_err(anchor_err)?
                .raw_request("anvil_setBalance", json!([addr, "0x56BC75E2D63100000"]))
                .map_err(|e| {
                    anchor_err(e)
                        .hint("not a local dev node: pass --evm-key-file with a funded account key")
                })?;
            println!("   fresh account {addr}, funded on the local dev node");
            k
        }
    };
    let node = EvmNode::connect(url, Some(&key)).map_err(anchor_err)?;
    let dev = node.raw_request("anvil_nodeInfo", json!([])).is_ok();
    let chain_id = node.chain_id();
    let addr = match contract {
        Some(c) => parse_address(c)?,
        None => {
            let a = node.deploy_registry().map_err(anchor_err)?;
            println!(
                "   deployed AnchorRegistry at 0x{} on chain {chain_id}",
                hex::encode(a)
            );
            a
        }
    };
    let reg = EvmAnchor::new(node, addr, Finality::Finalized);
    let started = std::time::Instant::now();
    let (rec, note) = anchor_ledger(&reg, ledger, log_keys, dev)?;
    let gas = reg.gas_used(&rec.tx_hash).map_err(anchor_err)?;
    println!(
        "   anchored {} size {} root {}… in block {} (tx 0x{}…, {gas} gas)",
        rec.origin,
        rec.size,
        hex::encode(rec.root.get(..8).unwrap_or_default()),
        rec.block_number,
        hex::encode(rec.tx_hash.get(..8).unwrap_or_default())
    );
    println!(
        "   final at the node's `finalized` block after {:.1} s{}",
        started.elapsed().as_secs_f64(),
        if dev {
            " (blocks mined on the dev node)"
        } else {
            ""
        }
    );
    let cp = Checkpoint::open(&note, ledger.origin(), ledger.log_key())
        .map_err(|e| CliError::input(e.to_string()))?;
    let receipt = AnchorReceipt::from_ledger(
        ledger,
        log_keys,
        index,
        &note,
        &rec,
        causeway::ledger::receipt::unix_millis_now(),
    )
    .map_err(anchor_err)?;
    let log_pub = log_keys.public();
    receipt.verify_online(&log_pub, &reg).map_err(anchor_err)?;
    receipt
        .verify_offline(&log_pub, &cp, &reg.chain())
        .map_err(anchor_err)?;
    println!(
        "   ✓ anchor receipt for entry {index} verifies online (chain {chain_id}, finalized) and offline"
    );
    let other = ChainRef {
        chain_id: chain_id.wrapping_add(1),
        contract: addr,
    };
    if receipt.verify_offline(&log_pub, &cp, &other).is_ok() {
        return Err(CliError::input(
            "demo step failed: the receipt verified for another chain id",
        ));
    }
    println!(
        "   ✗ the same receipt checked for chain {} (refused, as it should be)",
        other.chain_id
    );
    Ok(receipt)
}
