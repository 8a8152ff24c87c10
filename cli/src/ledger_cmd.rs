//! `causeway ledger init | append | checkpoint | prove | verify | audit`.
//!
//! Proofs are printed as self-contained JSON bundles (the receipt, its inclusion proof and the
//! signed checkpoint they verify against), so a regulator can check them with `causeway ledger
//! verify --log-key cwpub1…` and nothing else.

use crate::io::{load_party, parse_recipient, read_input, write_atomic};
use crate::CliError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use causeway::attest::{Attestation, AttestedRecord, RevocationHandle};
use causeway::error::{LedgerError, LogVerifyError};
use causeway::ledger::bundle::{Established, ProofBundle};
use causeway::ledger::checkpoint::{verifier_key, SignedCheckpoint};
use causeway::ledger::receipt::{unix_millis_now, AttestationEvent, Event, Receipt};
use causeway::ledger::{LocalLedger, RevocationStatus};
use causeway::party::{KeyId, Party, PublicKeys, SecretKeys};
use causeway::presentation::Presentation;
use causeway::seal::Sealed;
use causeway::wire::decode_any;
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Arguments of `causeway ledger`.
#[derive(Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    command: LedgerCommand,
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Create an empty ledger whose checkpoints the given key signs.
    Init(InitArgs),
    /// Append a receipt (signed by --key) and wait until it is durable.
    Append(AppendArgs),
    /// Sign and store a checkpoint (C2SP signed note) of the whole ledger.
    Checkpoint(CheckpointArgs),
    /// Print a proof bundle: inclusion of an entry, consistency between sizes, or revocation.
    Prove(ProveArgs),
    /// Verify a proof bundle against the log's public key (no ledger database needed).
    Verify(VerifyArgs),
    /// Replay the ledger: every receipt's signature, every stored hash, every checkpoint.
    Audit(AuditArgs),
}

#[derive(Args)]
struct InitArgs {
    /// The ledger database file to create.
    #[arg(long)]
    db: PathBuf,
    /// The log's origin, a unique name such as `example.com/ledger` (first line of its
    /// checkpoints).
    #[arg(long)]
    origin: String,
    /// The key file of the log operator (signs the checkpoints).
    #[arg(short, long)]
    key: PathBuf,
}

#[derive(Args)]
struct AppendArgs {
    /// The ledger database.
    #[arg(long)]
    db: PathBuf,
    /// The key file of the party that acted (owner or issuer); it signs the receipt.
    #[arg(short, long)]
    key: PathBuf,
    /// Append a receipt file as is (canonical bytes; its signature is checked).
    #[arg(long, conflicts_with_all = ["sealed", "granted", "revoked", "attestation_issued", "attestation_revoked"])]
    receipt: Option<PathBuf>,
    /// A sealed record that was just sealed (or re-sealed): records who can open it.
    #[arg(long)]
    sealed: Option<PathBuf>,
    /// The attested content commitment of --sealed (64 hex digits), if there is one.
    #[arg(long, requires = "sealed")]
    content_commitment: Option<String>,
    /// A sealed record returned by `causeway grant`; needs --party.
    #[arg(long, requires = "party")]
    granted: Option<PathBuf>,
    /// A sealed record returned by `causeway revoke`; needs --party.
    #[arg(long, requires = "party")]
    revoked: Option<PathBuf>,
    /// The party granted or revoked (key id, `cwpub1…` or a key file).
    #[arg(long)]
    party: Option<String>,
    /// An attestation that --key issued: the attested record file of `causeway attest` (or an
    /// attestation file), or its revocation handle (64 hex digits, as `causeway attest` prints
    /// it; not the attestation id).
    #[arg(long, value_name = "FILE|HANDLE")]
    attestation_issued: Option<String>,
    /// An attestation that --key revokes: the attested record file of `causeway attest` (or an
    /// attestation or presentation file holding it), or its revocation handle (64 hex digits,
    /// as `causeway attest` prints it; not the attestation id). The receipt is signed with the
    /// key of --key that issued the attestation, current or retired by `causeway rotate`.
    #[arg(long, value_name = "FILE|HANDLE")]
    attestation_revoked: Option<String>,
    /// With a bare revocation handle: the issuer key that signs (key id or `cwpub1…`), when it
    /// is a key of --key retired by `causeway rotate` (default: the current key).
    #[arg(long, value_name = "KEY")]
    issuer: Option<String>,
    /// Also write the receipt's canonical bytes here.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct CheckpointArgs {
    /// The ledger database.
    #[arg(long)]
    db: PathBuf,
    /// The log operator's key file.
    #[arg(short, long)]
    key: PathBuf,
    /// Also write the signed note to this file.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct ProveArgs {
    /// The ledger database.
    #[arg(long)]
    db: PathBuf,
    /// Prove inclusion of the entry at this index.
    #[arg(long, conflicts_with_all = ["consistency", "revocation"])]
    index: Option<u64>,
    /// Prove that the tree of this size is a prefix of the checkpointed tree.
    #[arg(long, conflicts_with = "revocation")]
    consistency: Option<u64>,
    /// Prove whether an attestation is revoked: an attested record, attestation or
    /// presentation file (the issuer is read from it; for a presentation, one bundle answers
    /// for all its attestations), or a revocation handle (64 hex digits) with --issuer.
    #[arg(long, value_name = "FILE|HANDLE")]
    revocation: Option<String>,
    /// With a bare revocation handle: the attestation's issuer (key id, `cwpub1…` or a key
    /// file).
    #[arg(long)]
    issuer: Option<String>,
    /// Against the stored checkpoint of this size (default: the latest). A revocation proof
    /// that verifiers check on chain (`causeway verify --anchor-rpc`, `causeway ledger verify
    /// --anchor-rpc`) must be made at an anchored size: the anchored checkpoint is the stored
    /// checkpoint of that size (`causeway anchor list` shows the sizes).
    #[arg(long)]
    size: Option<u64>,
    /// Write the bundle to this file instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct VerifyArgs {
    /// The proof bundle (JSON from `causeway ledger prove`).
    proof: PathBuf,
    /// The log's public key (`cwpub1…`, or a file holding it, or its key file).
    #[arg(long)]
    log_key: String,
    /// The log's origin (its checkpoints' first line). Required unless --trusted names it: a
    /// bundle's own origin is not trusted (another log under the same key would verify).
    #[arg(long)]
    origin: Option<String>,
    /// A checkpoint you already trust (signed note file): the bundle's checkpoint must be
    /// consistent with it; the bundle then needs a `consistency_from_trusted` proof.
    #[arg(long)]
    trusted: Option<PathBuf>,
    /// The on-chain check of the bundle's checkpoint (--anchor-rpc …).
    #[command(flatten)]
    anchor: crate::verify_anchor_cmd::AnchorCheckArgs,
}

#[derive(Args)]
struct AuditArgs {
    /// The ledger database.
    #[arg(long)]
    db: PathBuf,
    /// Check checkpoints against this public key instead of the one stored in the ledger.
    #[arg(long)]
    log_key: Option<String>,
}

/// Ledger errors: the exit code comes from core's `kind()` (through [`causeway::Error`]); the
/// hints, which name CLI commands, are added here.
impl From<LedgerError> for CliError {
    fn from(e: LedgerError) -> Self {
        let hint = match &e {
            LedgerError::InUse => {
                Some("another process has this ledger open; run the command when it is closed")
            }
            LedgerError::FailedClosed => {
                Some("the ledger refused further writes after a storage error; reopen it")
            }
            LedgerError::Corrupt(_) => {
                Some("run `causeway ledger audit` on a backup copy to see how much verifies")
            }
            LedgerError::NoCheckpoint => {
                Some("sign one with `causeway ledger checkpoint --db DB --key LOGKEY`")
            }
            LedgerError::WrongSigner => Some(
                "use the key file of the party the receipt names (for `ledger checkpoint`: the log key the ledger was created with)",
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

/// Log verification errors: exit code from core's `kind()`.
impl From<LogVerifyError> for CliError {
    fn from(e: LogVerifyError) -> Self {
        CliError::from(causeway::Error::from(e))
    }
}

/// Runs `causeway ledger …`.
pub fn run(a: LedgerArgs, json: bool) -> Result<(), CliError> {
    match a.command {
        LedgerCommand::Init(a) => init(a, json),
        LedgerCommand::Append(a) => append(a, json),
        LedgerCommand::Checkpoint(a) => checkpoint(a, json),
        LedgerCommand::Prove(a) => prove(a),
        LedgerCommand::Verify(a) => verify(a, json),
        LedgerCommand::Audit(a) => audit(a, json),
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

fn hex32(s: &str, what: &str) -> Result<[u8; 32], CliError> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s.trim(), &mut out)
        .map_err(|_| CliError::input(format!("{what} must be 64 hex digits")))?;
    Ok(out)
}

/// A key id given as 32 hex digits, `cwpub1…` text, or a key file.
pub fn key_id(s: &str) -> Result<KeyId, CliError> {
    if s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return s
            .parse()
            .map_err(|_| CliError::input("a key id is 32 hex digits"));
    }
    Ok(parse_recipient(s)?.key_id())
}

/// What `--attestation-revoked` and friends name: an attestation read from a file, or a bare
/// revocation handle.
pub enum AttestationArg {
    /// The attestations a file holds (an attested record or attestation: one; a presentation:
    /// one or more).
    Attestations(Vec<Attestation>),
    /// A revocation handle given as 64 hex digits.
    Handle(RevocationHandle),
}

/// The attestations a file holds: an attested record (from `causeway attest`), an attestation
/// (binary or text), or a presentation (binary or JSON).
pub fn attestations_in(p: &Path) -> Result<Vec<Attestation>, CliError> {
    let b = read_input(Some(p))?;
    if let Ok(h) = decode_any::<AttestedRecord>(&b) {
        return Ok(vec![h.attestation().clone()]);
    }
    if let Ok(a) = decode_any::<Attestation>(&b) {
        return Ok(vec![a]);
    }
    if let Ok(p) = decode_any::<Presentation>(&b) {
        return Ok(p.attestations().to_vec());
    }
    Err(CliError::input(format!(
        "{}: neither an attested record, an attestation nor a presentation",
        p.display()
    )))
}

/// Reads an [`AttestationArg`]: an existing file, else 64 hex digits (a revocation handle).
pub fn attestation_arg(s: &str, what: &str) -> Result<AttestationArg, CliError> {
    let p = Path::new(s);
    if p.exists() {
        return Ok(AttestationArg::Attestations(attestations_in(p)?));
    }
    let mut b = [0u8; 32];
    hex::decode_to_slice(s.trim(), &mut b).map_err(|_| {
        CliError::input(format!(
            "{what} {s}: not a file, and not a revocation handle (64 hex digits)"
        ))
        .hint("pass the attested record file written by `causeway attest`")
    })?;
    Ok(AttestationArg::Handle(RevocationHandle(b)))
}

/// The key of `party` (current or retired) whose key id is `issuer`.
pub fn issuer_keys<'a>(party: &'a Party, issuer: &KeyId) -> Result<&'a SecretKeys, CliError> {
    party.find(issuer).ok_or_else(|| {
        CliError::input(format!(
            "the attestation was issued by {issuer}, which is neither the current nor a retired key of this key file"
        ))
        .hint("use the key file of the issuer (after `causeway rotate` it keeps the retired keys)")
    })
}

/// The signing keys and the event for an attestation named on the command line.
fn attestation_event<'a>(
    party: &'a Party,
    arg: &str,
    issuer: Option<&str>,
    what: &str,
) -> Result<(&'a SecretKeys, AttestationEvent), CliError> {
    let (issuer_id, handle) = match attestation_arg(arg, what)? {
        AttestationArg::Attestations(atts) => {
            let [att] = atts.as_slice() else {
                return Err(CliError::input(format!(
                    "{what} {arg}: the file holds {} attestations; name one (its attested record, or its revocation handle)",
                    atts.len()
                )));
            };
            if let Some(i) = issuer {
                if key_id(i)? != att.issuer() {
                    return Err(CliError::input(format!(
                        "--issuer is not the attestation's issuer {}",
                        att.issuer()
                    )));
                }
            }
            (att.issuer(), att.revocation_handle())
        }
        AttestationArg::Handle(h) => {
            let id = match issuer {
                Some(i) => key_id(i)?,
                None => party.key_id(),
            };
            (id, h)
        }
    };
    let keys = issuer_keys(party, &issuer_id)?;
    Ok((
        keys,
        AttestationEvent {
            revocation_handle: handle.0,
            issuer: issuer_id,
        },
    ))
}

fn load_sealed(p: &Path) -> Result<Sealed, CliError> {
    let sealed = Sealed::from_any(&read_input(Some(p))?)?;
    // Issue 11 item 2: no receipt for a record changed after its owner signed it.
    if sealed.is_signed() {
        sealed.verify()?;
    }
    Ok(sealed)
}

fn b64(h: &[u8]) -> String {
    STANDARD.encode(h)
}

fn print(v: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    );
}

fn init(a: InitArgs, json: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    let l = LocalLedger::create(&a.db, &a.origin, &party.public())?;
    let vkey = verifier_key(l.origin(), l.log_key());
    if json {
        print(&json!({
            "db": a.db.display().to_string(), "origin": l.origin(),
            "log_key": l.log_key().to_text(), "note_verifier_key": vkey,
        }));
    } else {
        println!(
            "created ledger {} for origin {}",
            a.db.display(),
            l.origin()
        );
        println!("log key:           {}", l.log_key().to_text());
        println!("note verifier key: {vkey}");
    }
    Ok(())
}

fn append(a: AppendArgs, json: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    let l = open(&a.db)?;
    let origin = l.origin().to_owned();
    let now = unix_millis_now();
    let keys = party.keys();
    let receipt = if let Some(p) = &a.receipt {
        Receipt::from_bytes(&read_input(Some(p))?)?
    } else if let Some(p) = &a.sealed {
        let cc = a
            .content_commitment
            .as_deref()
            .map(|s| hex32(s, "--content-commitment"))
            .transpose()?;
        Receipt::sealed_from(keys, &origin, now, &load_sealed(p)?, cc)?
    } else if let Some(p) = &a.granted {
        let who = key_id(a.party.as_deref().unwrap_or_default())?;
        Receipt::granted_from(keys, &origin, now, &load_sealed(p)?, who)?
    } else if let Some(p) = &a.revoked {
        let who = key_id(a.party.as_deref().unwrap_or_default())?;
        Receipt::revoked_from(keys, &origin, now, &load_sealed(p)?, who)?
    } else if let Some(t) = &a.attestation_issued {
        let (keys, ev) = attestation_event(&party, t, a.issuer.as_deref(), "--attestation-issued")?;
        Receipt::new(keys, &origin, now, Event::AttestationIssued(ev))?
    } else if let Some(t) = &a.attestation_revoked {
        let (keys, ev) =
            attestation_event(&party, t, a.issuer.as_deref(), "--attestation-revoked")?;
        Receipt::new(keys, &origin, now, Event::AttestationRevoked(ev))?
    } else {
        return Err(CliError::input("nothing to append").hint(
            "give one of --receipt, --sealed, --granted, --revoked, --attestation-issued, --attestation-revoked",
        ));
    };
    let index = l.append(&receipt)?;
    if let Some(o) = &a.output {
        write_atomic(o, receipt.as_bytes())?;
    }
    if json {
        print(&json!({
            "index": index, "leaf_hash": b64(&receipt.leaf_hash()), "receipt": receipt.to_json(),
        }));
    } else {
        println!(
            "appended {} receipt at index {index} (durable)",
            receipt.event().kind_name()
        );
        println!("leaf hash: {}", b64(&receipt.leaf_hash()));
    }
    Ok(())
}

fn checkpoint(a: CheckpointArgs, json: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    let l = open(&a.db)?;
    let note = l.checkpoint(party.keys())?;
    if let Some(o) = &a.output {
        write_atomic(o, note.as_bytes())?;
    }
    if json {
        print(&json!({ "checkpoint": note }));
    } else {
        print!("{note}");
    }
    Ok(())
}

fn prove(a: ProveArgs) -> Result<(), CliError> {
    let l = open(&a.db)?;
    let bundle = if let Some(index) = a.index {
        ProofBundle::inclusion_from(&l, index, a.size).map_err(|e| match e {
            LedgerError::OutOfRange { .. } => {
                CliError::from(e).hint("sign a newer checkpoint first")
            }
            e => e.into(),
        })?
    } else if let Some(size1) = a.consistency {
        ProofBundle::consistency_from(&l, size1, a.size).map_err(|e| match e {
            LedgerError::OutOfRange { .. } => {
                CliError::from(e).hint("--consistency must be between 1 and the checkpoint's size")
            }
            e => e.into(),
        })?
    } else if let Some(att) = &a.revocation {
        let targets: Vec<(RevocationHandle, KeyId)> = match attestation_arg(att, "--revocation")? {
            AttestationArg::Attestations(atts) => {
                if let Some(i) = &a.issuer {
                    let i = key_id(i)?;
                    if atts.iter().any(|x| x.issuer() != i) {
                        return Err(CliError::input(
                            "--issuer is not the issuer of the attestations in --revocation",
                        ));
                    }
                }
                atts.iter()
                    .map(|x| (x.revocation_handle(), x.issuer()))
                    .collect()
            }
            AttestationArg::Handle(h) => {
                let i = a.issuer.as_deref().ok_or_else(|| {
                    CliError::input("a bare revocation handle needs --issuer")
                        .hint("or pass the attested record or presentation file instead")
                })?;
                vec![(h, key_id(i)?)]
            }
        };
        ProofBundle::revocation_from(&l, &targets, a.size).map_err(|e| match (e, a.size) {
            (LedgerError::NoCheckpoint, Some(size)) => CliError::from(LedgerError::NoCheckpoint)
                .hint(format!(
                    "the ledger stores no checkpoint of size {size}: give the size of an anchored checkpoint (`causeway anchor list`), which `causeway anchor checkpoint` stored; verifiers checking the chain (--anchor-rpc) accept only a proof made at an anchored size"
                )),
            (e, _) => e.into(),
        })?
    } else {
        return Err(CliError::input("nothing to prove")
            .hint("give --index N, --consistency SIZE or --revocation ATTESTED-FILE"));
    };
    let text = bundle.to_json()?;
    match &a.output {
        Some(o) => write_atomic(o, format!("{text}\n").as_bytes()),
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

// ---- verification of bundles (no database) ----

/// Reads a proof bundle (JSON from `causeway ledger prove`, any version).
pub fn read_bundle(p: &Path) -> Result<ProofBundle, CliError> {
    let raw = read_input(Some(p))?;
    ProofBundle::from_slice(&raw).map_err(|e| {
        let path = p.display().to_string();
        let c = CliError::from(e);
        CliError {
            message: format!("{path}: proof bundle: {}", c.message),
            ..c
        }
    })
}

/// Reads a signed checkpoint (note file) the user trusts.
pub fn read_checkpoint(p: &Path) -> Result<SignedCheckpoint, CliError> {
    let text = String::from_utf8(read_input(Some(p))?).map_err(|_| {
        CliError::input(format!(
            "{}: not a signed checkpoint (not text)",
            p.display()
        ))
    })?;
    Ok(SignedCheckpoint::parse(&text)?)
}

fn verify(a: VerifyArgs, json: bool) -> Result<(), CliError> {
    let log_key: PublicKeys = parse_recipient(&a.log_key)?;
    let bundle = read_bundle(&a.proof)?;
    let trusted = a.trusted.as_deref().map(read_checkpoint).transpose()?;
    if a.origin.is_none() && trusted.is_none() {
        return Err(CliError::input(format!(
            "the log's origin is not pinned (the bundle names {:?}, but a bundle cannot vouch for its own log)",
            bundle.checkpoint.checkpoint().origin
        ))
        .hint("give --origin NAME (the log's origin, as `causeway ledger init` printed it) or --trusted CHECKPOINT-FILE"));
    }
    let v = bundle.verify(&log_key, a.origin.as_deref(), trusted.as_ref())?;
    let (origin, cp) = (&v.origin, &v.checkpoint);
    let origin_source = v.origin_source.as_str();
    // With --anchor-rpc: the bundle's checkpoint must be the one the operator anchored (an
    // equivocating note with another revocation line is refused).
    let anchored = a.anchor.check(&[&bundle.checkpoint], origin, &log_key)?;
    let mut out = match &v.established {
        Established::Inclusion { index, receipt } => json!({
            "verified": "inclusion", "origin": origin, "origin_source": origin_source, "index": index,
            "tree_size": cp.size, "root": b64(&cp.root), "receipt": receipt.to_json(),
        }),
        Established::Consistency {
            old_size,
            old_root,
            old_checkpoint_signed,
        } => json!({
            "verified": "consistency", "origin": origin, "origin_source": origin_source,
            "size1": old_size, "size2": cp.size, "root1": b64(old_root), "root2": b64(&cp.root),
            "root1_signed": old_checkpoint_signed,
        }),
        Established::Revocation {
            status,
            revocation_handle,
            issuer,
        } => {
            let (h, i) = (revocation_handle.to_string(), issuer.to_string());
            match status {
                RevocationStatus::Revoked { index, time_ms } => json!({
                    "verified": "revocation", "origin": origin, "origin_source": origin_source,
                    "revocation_handle": h, "issuer": i, "revoked": true, "index": index,
                    "time_ms": time_ms, "tree_size": cp.size,
                }),
                RevocationStatus::NotRevoked { as_of_size } => json!({
                    "verified": "revocation", "origin": origin, "origin_source": origin_source,
                    "revocation_handle": h, "issuer": i, "revoked": false,
                    "as_of_size": as_of_size,
                }),
                _ => json!({
                    "verified": "revocation", "origin": origin, "origin_source": origin_source,
                    "revocation_handle": h, "issuer": i,
                }),
            }
        }
        _ => json!({ "verified": bundle.kind() }),
    };
    if let (Some(r), Some(o)) = (anchored.first(), out.as_object_mut()) {
        o.insert("anchored".into(), crate::verify_anchor_cmd::record_json(r));
    }
    if json {
        print(&out);
    } else {
        match &v.established {
            Established::Inclusion { index, .. } => println!(
                "OK: entry {index} is in {origin} at tree size {} (root {}); receipt signature valid",
                cp.size,
                b64(&cp.root)
            ),
            Established::Consistency { old_size, .. } => println!(
                "OK: the tree of size {old_size} (signed checkpoint) is a prefix of the tree of size {} in {origin}",
                cp.size
            ),
            Established::Revocation {
                status: RevocationStatus::Revoked { index, .. },
                revocation_handle,
                issuer,
            } => println!(
                "REVOKED: the attestation with revocation handle {revocation_handle} by issuer {issuer} was revoked at index {index} in {origin} (as of tree size {})",
                cp.size
            ),
            Established::Revocation {
                revocation_handle,
                issuer,
                ..
            } => println!(
                "OK: the attestation with revocation handle {revocation_handle} by issuer {issuer} is not revoked in {origin} as of tree size {}",
                cp.size
            ),
            _ => println!("OK: {} verified in {origin}", bundle.kind()),
        }
        if let Some(r) = anchored.first() {
            println!(
                "OK: this checkpoint (size {}) is the one anchored on chain {} at block {} (final, no head reset after it)",
                r.size, r.chain.chain_id, r.block_number
            );
        }
        print(&out);
    }
    Ok(())
}

fn audit(a: AuditArgs, json: bool) -> Result<(), CliError> {
    let l = open(&a.db)?;
    let key = a.log_key.as_deref().map(parse_recipient).transpose()?;
    let report = l.audit(key.as_ref())?;
    if json {
        print(&json!({
            "ok": true, "entries": report.entries, "nodes": report.nodes,
            "checkpoints": report.checkpoints, "revocations": report.revocations,
            "root": b64(&report.root),
        }));
    } else {
        println!(
            "OK: {} entries (every receipt signature verified), {} stored hashes, {} checkpoints, {} revocations",
            report.entries, report.nodes, report.checkpoints, report.revocations
        );
        println!("root: {}", b64(&report.root));
    }
    Ok(())
}
