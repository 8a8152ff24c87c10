//! `causeway notarize FILE …` and `causeway evidence export | verify …` (issue 15 §1): the CLI
//! over `causeway::evidence`.

use crate::io::{create_temp, load_party, parse_recipient, read_input, write_atomic};
use crate::CliError;
use causeway::anchor::{AnchorReceipt, ChainRef};
use causeway::error::EvidenceError;
use causeway::evidence::{
    evidence_receipt, seal_and_notarise, AnchorCheck, Certificate, ContentDigest, EvidenceFacts,
    Label, MediaType, DEFAULT_MEDIA_TYPE,
};
use causeway::ledger::receipt::unix_millis_now;
use causeway::ledger::LocalLedger;
use causeway::party::PublicKeys;
use causeway::wire::decode_any;
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Evidence errors: the exit code from core's `kind()`.
impl From<EvidenceError> for CliError {
    fn from(e: EvidenceError) -> Self {
        let hint = match &e {
            EvidenceError::ContentMismatch => Some(
                "this is not the file the certificate records (another digest or length): compare with the file the court received",
            ),
            EvidenceError::NotAnchored => Some(
                "export the certificate again with --anchor-receipt (from `causeway anchor receipt`) once the log is anchored",
            ),
            _ => None,
        };
        let c = CliError::from(causeway::Error::from(e));
        match hint {
            Some(h) => c.hint(h),
            None => c,
        }
    }
}

/// Arguments of `causeway notarize`.
#[derive(Args)]
pub struct NotarizeArgs {
    /// The file to notarise (read once, in constant memory; any size).
    file: PathBuf,
    /// The ledger database.
    #[arg(long)]
    db: PathBuf,
    /// The submitting party's key file (signs the receipt).
    #[arg(short, long)]
    key: PathBuf,
    /// The file's media type (lower-case `type/subtype`, public: it is written in clear).
    #[arg(long, default_value = DEFAULT_MEDIA_TYPE)]
    media_type: String,
    /// A short label, at most 64 bytes (public: name the exhibit, not its content).
    #[arg(long, default_value = "")]
    label: String,
    /// Also seal the file for this party (`cwpub1…` or a key file; repeatable): a court, an
    /// arbitrator. The sealed copy's receipt is appended and linked. Needs --sealed-out.
    #[arg(long = "seal-for", value_name = "RECIPIENT", requires = "sealed_out")]
    seal_for: Vec<String>,
    /// Where to write the sealed copy (a sealed stream), with --seal-for.
    #[arg(long, value_name = "FILE")]
    sealed_out: Option<PathBuf>,
    /// Also write the evidence receipt's canonical bytes here.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Arguments of `causeway evidence`.
#[derive(Args)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    command: EvidenceCommand,
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Write the evidence certificate of a notarised entry (one self-contained file).
    Export(ExportArgs),
    /// Verify an evidence certificate against the file, offline with the log's key, or also
    /// on chain; prints what it establishes.
    Verify(VerifyArgs),
}

#[derive(Args)]
struct ExportArgs {
    /// The ledger database.
    #[arg(long)]
    db: PathBuf,
    /// The evidence entry's index (as `causeway notarize` printed it).
    #[arg(long)]
    index: u64,
    /// Against the stored checkpoint of this size (default: the latest).
    #[arg(long, conflicts_with = "anchor_receipt")]
    size: Option<u64>,
    /// Make an anchored certificate from this anchor receipt of the entry (from `causeway
    /// anchor receipt --index N`).
    #[arg(long, value_name = "FILE")]
    anchor_receipt: Option<PathBuf>,
    /// The certificate file to write.
    #[arg(short, long)]
    output: PathBuf,
}

#[derive(Args)]
struct VerifyArgs {
    /// The evidence certificate.
    certificate: PathBuf,
    /// The file the certificate is about (read once, in constant memory).
    #[arg(long)]
    file: PathBuf,
    /// The log's public key (`cwpub1…`, or a file holding it, or its key file).
    #[arg(long)]
    log_key: String,
    /// The log's origin (its checkpoints' first line): the certificate cannot vouch for its own
    /// log (another log under the same key would verify).
    #[arg(long)]
    origin: String,
    /// Offline: refuse an anchor statement for another chain than this chain id (with
    /// --contract).
    #[arg(long, requires = "contract", conflicts_with = "anchor_rpc")]
    chain_id: Option<u64>,
    /// Offline: the anchor registry's address (0x…), with --chain-id.
    #[arg(long, requires = "chain_id")]
    contract: Option<String>,
    /// Online: the anchor must be final on chain (--anchor-rpc URL --anchor-contract ADDR).
    #[command(flatten)]
    anchor: crate::verify_anchor_cmd::AnchorCheckArgs,
}

fn print(v: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    );
}

fn open_file(p: &Path) -> Result<BufReader<File>, CliError> {
    File::open(p)
        .map(BufReader::new)
        .map_err(|e| CliError::io(format!("cannot read {}: {e}", p.display())))
}

fn open_ledger(db: &Path) -> Result<LocalLedger, CliError> {
    LocalLedger::open(db).map_err(|e| {
        CliError::from(e).hint(format!(
            "create a ledger with `causeway ledger init --db {} --origin NAME --key KEYFILE`",
            db.display()
        ))
    })
}

/// Runs `causeway notarize`.
pub fn notarize(a: NotarizeArgs, json_out: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    let media_type = MediaType::new(&a.media_type)?;
    let label = Label::new(&a.label)?;
    let recipients: Vec<PublicKeys> = a
        .seal_for
        .iter()
        .map(|r| parse_recipient(r))
        .collect::<Result<_, _>>()?;
    let ledger = open_ledger(&a.db)?;
    let origin = ledger.origin().to_owned();
    let now = unix_millis_now();
    let input = open_file(&a.file)?;
    let (digest, receipts, sealed) = match (&a.sealed_out, recipients.is_empty()) {
        (Some(out), false) => {
            let (f, tmp) = create_temp(out, false)
                .map_err(|e| CliError::io(format!("cannot write {}: {e}", out.display())))?;
            let w = std::io::BufWriter::new(f);
            let res = seal_and_notarise(
                &party,
                &recipients,
                &origin,
                now,
                &media_type,
                &label,
                input,
                w,
            )
            .and_then(|s| {
                std::fs::rename(&tmp, out)?;
                Ok(s)
            });
            let s = match res {
                Ok(s) => s,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
            };
            let sealed = json!({
                "path": out.display().to_string(),
                "record_id": s.stream.record_id.to_string(),
                "recipients": s.stream.recipients.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
                "ciphertext_sha256": hex::encode(s.ciphertext_hash),
            });
            (
                s.digest,
                vec![s.sealed_receipt, s.evidence_receipt],
                Some(sealed),
            )
        }
        (Some(_), true) => {
            return Err(CliError::input(
                "--sealed-out needs at least one --seal-for",
            ))
        }
        (None, _) => {
            let digest = ContentDigest::of_reader(input)?;
            let r = evidence_receipt(
                party.keys(),
                &origin,
                now,
                &digest,
                &media_type,
                &label,
                None,
            )?;
            (digest, vec![r], None)
        }
    };
    let first = ledger.append_batch(&receipts)?;
    let index = first
        .saturating_add(receipts.len() as u64)
        .saturating_sub(1);
    let Some(receipt) = receipts.last() else {
        return Err(CliError::input("nothing was notarised"));
    };
    if let Some(o) = &a.output {
        write_atomic(o, receipt.as_bytes())?;
    }
    let mut sealed = sealed;
    if let (Some(Value::Object(m)), true) = (sealed.as_mut(), receipts.len() == 2) {
        m.insert("index".into(), json!(first));
    }
    let out = json!({
        "index": index,
        "origin": origin,
        "sha256": hex::encode(digest.sha256),
        "length": digest.length,
        "media_type": media_type.as_str(),
        "label": label.as_str(),
        "submitter": party.key_id().to_string(),
        "time_ms": now,
        "leaf_hash": hex::encode(receipt.leaf_hash()),
        "sealed": sealed,
    });
    if json_out {
        print(&out);
    } else {
        println!(
            "notarised {} ({} bytes, sha256 {}) as entry {index} of {origin} (durable)",
            a.file.display(),
            digest.length,
            hex::encode(digest.sha256)
        );
        if let Some(s) = out.get("sealed").filter(|s| !s.is_null()) {
            println!(
                "sealed copy {} for {} (record {}, entry {})",
                s["path"].as_str().unwrap_or_default(),
                s["recipients"]
                    .as_array()
                    .map(|r| r
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default(),
                s["record_id"].as_str().unwrap_or_default(),
                first
            );
        }
        println!("next: sign a checkpoint (`causeway ledger checkpoint`), then `causeway evidence export --index {index}`");
    }
    Ok(())
}

/// Runs `causeway evidence …`.
pub fn run(a: EvidenceArgs, json_out: bool) -> Result<(), CliError> {
    match a.command {
        EvidenceCommand::Export(a) => export(a, json_out),
        EvidenceCommand::Verify(a) => verify(a, json_out),
    }
}

fn export(a: ExportArgs, json_out: bool) -> Result<(), CliError> {
    let cert = match &a.anchor_receipt {
        Some(p) => {
            let ar: AnchorReceipt = decode_any(&read_input(Some(p))?)?;
            if ar.index != a.index {
                return Err(CliError::input(format!(
                    "the anchor receipt is for entry {}, not {}",
                    ar.index, a.index
                )));
            }
            Certificate::from_anchor_receipt(ar)?
        }
        None => {
            let ledger = open_ledger(&a.db)?;
            Certificate::from_ledger(&ledger, a.index, a.size).map_err(|e| match e {
                EvidenceError::Ledger(causeway::error::LedgerError::NoCheckpoint) => {
                    CliError::from(e)
                        .hint("sign one with `causeway ledger checkpoint --db DB --key LOGKEY`")
                }
                EvidenceError::Ledger(causeway::error::LedgerError::OutOfRange { .. }) => {
                    CliError::from(e).hint("sign a newer checkpoint first")
                }
                e => e.into(),
            })?
        }
    };
    let bytes = cert.to_bytes()?;
    write_atomic(&a.output, &bytes)?;
    let out = json!({
        "certificate": a.output.display().to_string(),
        "index": cert.index(),
        "log_size": cert.checkpoint().checkpoint().size,
        "anchored": cert.is_anchored(),
        "bytes": bytes.len(),
    });
    if json_out {
        print(&out);
    } else {
        println!(
            "wrote evidence certificate {} ({} bytes): entry {} in the checkpoint of {} entries{}",
            a.output.display(),
            bytes.len(),
            cert.index(),
            cert.checkpoint().checkpoint().size,
            if cert.is_anchored() {
                ", with its anchor receipt"
            } else {
                " (not anchored)"
            }
        );
    }
    Ok(())
}

/// `2026-12-06T05:07:09.123Z` for Unix milliseconds (proleptic Gregorian, UTC).
pub fn utc(ms: u64) -> String {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

fn verify(a: VerifyArgs, json_out: bool) -> Result<(), CliError> {
    let log_key: PublicKeys = parse_recipient(&a.log_key)?;
    let cert = Certificate::from_bytes(&read_input(Some(&a.certificate))?)?;
    let digest = ContentDigest::of_reader(open_file(&a.file)?)?;
    let chain = match (a.chain_id, &a.contract) {
        (Some(chain_id), Some(c)) => Some(ChainRef {
            chain_id,
            contract: crate::verify_anchor_cmd::parse_address(c)?,
        }),
        _ => None,
    };
    let facts = if a.anchor.is_set() {
        verify_on_chain(&cert, &digest, &log_key, &a.origin, &a.anchor)?
    } else {
        cert.verify(&digest, &log_key, &a.origin, chain.as_ref())?
    };
    let mut out = facts.to_json();
    if let Some(o) = out.as_object_mut() {
        o.insert("verified".into(), json!("evidence"));
        o.insert("file".into(), json!(a.file.display().to_string()));
        o.insert("time".into(), json!(utc(facts.time_ms)));
    }
    if json_out {
        print(&out);
    } else {
        print_facts(&a.file, &facts);
    }
    Ok(())
}

fn print_facts(file: &Path, f: &EvidenceFacts) {
    println!("OK: this exact file was recorded in the log");
    println!(
        "  file:      {} ({} bytes, sha256 {})",
        file.display(),
        f.length,
        hex::encode(f.sha256)
    );
    println!(
        "  recorded:  by party {} at {} (the party's signed clock)",
        f.submitter,
        utc(f.time_ms)
    );
    println!(
        "  as:        {}{}",
        f.media_type,
        if f.label.as_str().is_empty() {
            String::new()
        } else {
            format!(", label \"{}\"", f.label)
        }
    );
    println!(
        "  log:       {}, entry {}, in the checkpoint of {} entries (root {}) signed by the log key",
        f.origin,
        f.index,
        f.log_size,
        hex::encode(f.log_root)
    );
    if let Some(s) = &f.sealed {
        println!(
            "  sealed:    a copy sealed for named parties: record {} (its record-sealed receipt has leaf hash {})",
            s.record_id,
            hex::encode(s.receipt_leaf)
        );
    }
    match &f.anchor {
        None => println!("  anchored:  no (the certificate carries no anchor receipt)"),
        Some(a) => {
            let when = a
                .block_time
                .map(|t| format!(" (block time {})", utc(t.saturating_mul(1000))))
                .unwrap_or_default();
            let how = match a.check {
                AnchorCheck::OnChain => "final on chain, no head reset after it",
                AnchorCheck::StatementForChain => {
                    "the log operator's signed statement for this chain; not checked on chain (use --anchor-rpc)"
                }
                _ => {
                    "the log operator's signed statement; chain not pinned (use --chain-id/--contract, or --anchor-rpc)"
                }
            };
            println!(
                "  anchored:  log state of {} entries on chain {} contract 0x{} in block {}{when}: {how}",
                a.anchored_size,
                a.chain.chain_id,
                hex::encode(a.chain.contract),
                a.block
            );
        }
    }
}

#[cfg(feature = "evm")]
fn verify_on_chain(
    cert: &Certificate,
    digest: &ContentDigest,
    log_key: &PublicKeys,
    origin: &str,
    a: &crate::verify_anchor_cmd::AnchorCheckArgs,
) -> Result<EvidenceFacts, CliError> {
    use causeway::anchor::evm::{EvmAnchor, EvmNode};
    use causeway::anchor::Finality;
    let (Some(url), Some(contract)) = (&a.anchor_rpc, &a.anchor_contract) else {
        return Err(CliError::input("--anchor-rpc needs --anchor-contract"));
    };
    let contract = crate::verify_anchor_cmd::parse_address(contract)?;
    let finality = match a.anchor_confirmations {
        Some(n) => Finality::Confirmations(n),
        None => Finality::Finalized,
    };
    let node = EvmNode::connect(url, None).map_err(crate::verify_anchor_cmd::anchor_err)?;
    let mut reg = EvmAnchor::new(node, contract, finality);
    reg.set_from_block(a.anchor_from_block.unwrap_or(0));
    cert.verify_on_evm(digest, log_key, origin, &reg)
        .map_err(|e| match e {
            EvidenceError::Anchor(e) => crate::verify_anchor_cmd::anchor_err(e),
            e => e.into(),
        })
}

#[cfg(not(feature = "evm"))]
fn verify_on_chain(
    _cert: &Certificate,
    _digest: &ContentDigest,
    _log_key: &PublicKeys,
    _origin: &str,
    _a: &crate::verify_anchor_cmd::AnchorCheckArgs,
) -> Result<EvidenceFacts, CliError> {
    Err(CliError::input(
        "this causeway was built without the `evm` feature: it cannot check anchors on chain",
    )
    .hint("drop --anchor-rpc (and verify offline), or build with `--features evm`"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(super::utc(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    }
}
