//! `causeway trace record | policy | bundle | verify`: product traceability (issue 15 §2).
//!
//! Events go into the audit ledger as signed receipts chained per product; a provenance bundle
//! (tag 0x52, `docs/spec/provenance.md`) holds one product's events with inclusion proofs and
//! is verified with the log key, its origin and a trust policy (step → parties).

use crate::io::{load_party, parse_recipient, read_input, write_atomic, write_output};
use crate::CliError;
use causeway::anchor::AnchorReceipt;
use causeway::error::TraceError;
use causeway::ledger::receipt::{unix_millis_now, Event};
use causeway::ledger::LocalLedger;
use causeway::party::PublicKeys;
use causeway::trace::{self, EventDraft, ProvenanceBundle, TrustPolicy};
use causeway::wire::decode_any;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Arguments of `causeway trace`.
#[derive(Args)]
pub struct TraceArgs {
    #[command(subcommand)]
    command: TraceCommand,
}

#[derive(Subcommand)]
enum TraceCommand {
    /// Record a step of a product's history (signed by --key, chained to its last event).
    Record(RecordArgs),
    /// Write a trust policy: named parties and the steps each may sign.
    Policy(PolicyArgs),
    /// Write a product's provenance bundle: its events with proofs against a checkpoint.
    Bundle(BundleArgs),
    /// Verify a provenance bundle offline and print the product's timeline.
    Verify(VerifyArgs),
}

#[derive(Args)]
struct RecordArgs {
    /// The ledger database.
    #[arg(long)]
    db: PathBuf,
    /// The key file of the party that acted; it signs the event.
    #[arg(short, long)]
    key: PathBuf,
    /// The product or batch id (printable ASCII, no spaces, at most 128 characters).
    #[arg(long)]
    product: String,
    /// The step: produced, inspected, shipped, received, sold, … (a-z 0-9 _ -).
    #[arg(long)]
    step: String,
    /// A public field NAME=VALUE (origin, grade, a temperature-log digest, …); repeatable.
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,
    /// Private details (a file) to seal for the --for parties and link from the event.
    #[arg(long, requires = "for_parties")]
    details: Option<PathBuf>,
    /// Who may open the details (`cwpub1…`, a file holding it, or a key file); repeatable.
    #[arg(long = "for", value_name = "RECIPIENT")]
    for_parties: Vec<String>,
    /// Write the sealed details here (with --details).
    #[arg(long, requires = "details")]
    sealed_out: Option<PathBuf>,
    /// The event's time in Unix milliseconds (default: now).
    #[arg(long)]
    time_ms: Option<u64>,
}

#[derive(Args)]
struct PolicyArgs {
    /// A party NAME=KEY (`cwpub1…`, a file holding it, or a key file); repeatable.
    #[arg(long = "party", value_name = "NAME=KEY")]
    parties: Vec<String>,
    /// A step STEP=NAME[,NAME…] that the named parties may sign; repeatable.
    #[arg(long = "allow", value_name = "STEP=NAMES")]
    allow: Vec<String>,
    /// Write the policy here instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct BundleArgs {
    /// The ledger database.
    #[arg(long)]
    db: PathBuf,
    /// The product or batch id.
    #[arg(long)]
    product: String,
    /// Against the stored checkpoint of this size (default: the latest).
    #[arg(long)]
    size: Option<u64>,
    /// Attach an anchor receipt (from `causeway anchor receipt`) of one of the product's
    /// events against the same checkpoint.
    #[arg(long)]
    anchor_receipt: Option<PathBuf>,
    /// Write the bundle here.
    #[arg(short, long)]
    output: PathBuf,
}

#[derive(Args)]
struct VerifyArgs {
    /// The provenance bundle.
    bundle: PathBuf,
    /// The log's public key (`cwpub1…`, a file holding it, or its key file).
    #[arg(long)]
    log_key: String,
    /// The log's origin (its checkpoints' first line), from a source you trust.
    #[arg(long)]
    origin: String,
    /// The trust policy (JSON from `causeway trace policy`).
    #[arg(long)]
    policy: PathBuf,
    /// The product id you expect (e.g. the one scanned from the package).
    #[arg(long)]
    product: Option<String>,
}

/// Trace errors: exit code from core's `kind()`, hints here.
impl From<TraceError> for CliError {
    fn from(e: TraceError) -> Self {
        let hint = match &e {
            TraceError::UntrustedSigner { .. } => {
                Some("the policy does not trust that party for that step; check --policy")
            }
            TraceError::Fork { .. } => Some(
                "two events claim the same predecessor: the product's history forked in the log",
            ),
            TraceError::Empty => Some("record an event with `causeway trace record` first"),
            _ => None,
        };
        let c = CliError::from(causeway::Error::from(e));
        match hint {
            Some(h) => c.hint(h),
            None => c,
        }
    }
}

/// Runs `causeway trace …`.
pub fn run(a: TraceArgs, json: bool) -> Result<(), CliError> {
    match a.command {
        TraceCommand::Record(a) => record(a, json),
        TraceCommand::Policy(a) => policy(a, json),
        TraceCommand::Bundle(a) => bundle(a, json),
        TraceCommand::Verify(a) => verify(a, json),
    }
}

fn open(db: &Path) -> Result<LocalLedger, CliError> {
    LocalLedger::open(db).map_err(|e| {
        CliError::from(e).hint(format!(
            "create a ledger with `causeway ledger init --db {} --origin NAME --key KEYFILE`",
            db.display()
        ))
    })
}

fn split_pair<'a>(s: &'a str, what: &str) -> Result<(&'a str, &'a str), CliError> {
    s.split_once('=')
        .ok_or_else(|| CliError::input(format!("{what} {s}: expected NAME=VALUE")))
}

fn print(v: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    );
}

fn record(a: RecordArgs, json: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    let l = open(&a.db)?;
    let mut draft = EventDraft::new(&a.step)?;
    for f in &a.fields {
        let (k, v) = split_pair(f, "--field")?;
        draft = draft.field(k, v)?;
    }
    let mut sealed = None;
    if let Some(p) = &a.details {
        let recipients = a
            .for_parties
            .iter()
            .map(|r| parse_recipient(r))
            .collect::<Result<Vec<PublicKeys>, _>>()?;
        let bytes = read_input(Some(p))?;
        let (d, s) = draft
            .seal_details(&party, &recipients, &bytes)
            .map_err(CliError::from)?;
        draft = d;
        sealed = Some(s);
    }
    let time_ms = a.time_ms.unwrap_or_else(unix_millis_now);
    let (index, receipt) = trace::record(&l, &party, time_ms, &a.product, &draft, sealed.as_ref())?;
    if let (Some(s), Some(out)) = (&sealed, &a.sealed_out) {
        write_atomic(out, &s.to_bytes())?;
    }
    let Event::TraceRecorded(ev) = receipt.event() else {
        return Err(CliError::input(
            "the ledger returned another kind of receipt",
        ));
    };
    if json {
        print(&json!({
            "index": index,
            "product": ev.product,
            "step": ev.step,
            "seq": ev.seq,
            "signer": receipt.signer().key_id().to_string(),
            "time_ms": receipt.time_ms(),
            "hash": hex::encode(receipt.leaf_hash()),
            "details_record_id": ev.details.map(|d| d.record_id.to_string()),
        }));
    } else {
        println!(
            "recorded {} #{} of {} at ledger index {index}",
            ev.step, ev.seq, ev.product
        );
        if let Some(d) = &ev.details {
            println!("sealed details: record {}", d.record_id);
        }
    }
    Ok(())
}

fn policy(a: PolicyArgs, json: bool) -> Result<(), CliError> {
    let mut p = TrustPolicy::new();
    for s in &a.parties {
        let (name, key) = split_pair(s, "--party")?;
        p.add_party(name, parse_recipient(key)?)?;
    }
    for s in &a.allow {
        let (step, names) = split_pair(s, "--allow")?;
        for n in names.split(',') {
            p.allow(step, n.trim())?;
        }
    }
    let text = p.to_json();
    // check that what we write reads back
    TrustPolicy::from_json(&text)?;
    write_output(a.output.as_deref(), format!("{text}\n").as_bytes(), false)?;
    if json && a.output.is_some() {
        print(&json!({ "parties": a.parties.len(), "steps": a.allow.len() }));
    }
    Ok(())
}

fn bundle(a: BundleArgs, json: bool) -> Result<(), CliError> {
    let l = open(&a.db)?;
    let mut b = ProvenanceBundle::from_ledger(&l, &a.product, a.size)?;
    if let Some(p) = &a.anchor_receipt {
        let raw = read_input(Some(p))?;
        let ar = decode_any::<AnchorReceipt>(&raw)?;
        b = b.with_anchor(ar)?;
    }
    let bytes = b.to_bytes()?;
    write_atomic(&a.output, &bytes)?;
    let size = b.checkpoint().checkpoint().size;
    if json {
        print(&json!({
            "product": b.product(),
            "events": b.events().len(),
            "checkpoint_size": size,
            "anchored": b.anchor().is_some(),
            "bytes": bytes.len(),
            "output": a.output.display().to_string(),
        }));
    } else {
        println!(
            "wrote {} ({} events of {}, checkpoint of {size} entries, {} bytes)",
            a.output.display(),
            b.events().len(),
            b.product(),
            bytes.len()
        );
    }
    Ok(())
}

fn verify(a: VerifyArgs, json: bool) -> Result<(), CliError> {
    let log_key = parse_recipient(&a.log_key)?;
    let text = String::from_utf8(read_input(Some(&a.policy))?)
        .map_err(|_| CliError::input("the policy is not UTF-8 text"))?;
    let policy = TrustPolicy::from_json(&text)?;
    let b = ProvenanceBundle::from_bytes(&read_input(Some(&a.bundle))?)?;
    let v = b.verify(&log_key, &a.origin, &policy, a.product.as_deref())?;
    if json {
        print(&v.to_json());
    } else {
        print!("{}", v.timeline_text());
        println!("verified: every event is in the log, signed by a party trusted for its step, in order, none missing");
    }
    Ok(())
}
