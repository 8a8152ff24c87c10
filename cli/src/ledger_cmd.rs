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
use causeway::ledger::checkpoint::{verifier_key, Checkpoint};
use causeway::ledger::merkle::{leaf_hash, Hash};
use causeway::ledger::proof::verify_consistency;
use causeway::ledger::receipt::{unix_millis_now, AttestationEvent, Event, Receipt};
use causeway::ledger::revocation::{RevocationEntry, RevocationProof, RevokedEvidence};
use causeway::ledger::{LedgerClient, LocalLedger, RevocationStatus};
use causeway::party::{KeyId, Party, PublicKeys, SecretKeys};
use causeway::presentation::Presentation;
use causeway::seal::Sealed;
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
    /// Against the stored checkpoint of this size (default: the latest).
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
    /// The log's origin (default: the one in the bundle's checkpoint; give it to pin it).
    #[arg(long)]
    origin: Option<String>,
    /// A checkpoint you already trust (signed note file): the bundle's checkpoint must be
    /// consistent with it; the bundle then needs a `consistency_from_trusted` proof.
    #[arg(long)]
    trusted: Option<PathBuf>,
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

impl From<LedgerError> for CliError {
    fn from(e: LedgerError) -> Self {
        match &e {
            LedgerError::Verify(_) => CliError::denied(e.to_string()),
            LedgerError::Storage(_) | LedgerError::Location(_) => CliError::io(e.to_string()),
            LedgerError::InUse => CliError::io(e.to_string())
                .hint("another process has this ledger open; run the command when it is closed"),
            LedgerError::FailedClosed => CliError::io(e.to_string())
                .hint("the ledger refused further writes after a storage error; reopen it"),
            LedgerError::Corrupt(_) => CliError::denied(e.to_string())
                .hint("run `causeway ledger audit` on a backup copy to see how much verifies"),
            _ => CliError::input(e.to_string()),
        }
    }
}

impl From<LogVerifyError> for CliError {
    fn from(e: LogVerifyError) -> Self {
        CliError::denied(e.to_string())
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
    if let Ok(h) = AttestedRecord::from_bytes(&b) {
        return Ok(vec![h.attestation().clone()]);
    }
    if let Ok(a) = Attestation::from_bytes(&b) {
        return Ok(vec![a]);
    }
    if let Ok(p) = Presentation::from_bytes(&b) {
        return Ok(p.attestations().to_vec());
    }
    if let Ok(text) = std::str::from_utf8(&b) {
        if let Ok(a) = Attestation::from_text(text) {
            return Ok(vec![a]);
        }
        if let Ok(p) = Presentation::from_json(text) {
            return Ok(p.attestations().to_vec());
        }
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
    let note = l.checkpoint(party.keys()).map_err(|e| match e {
        LedgerError::WrongSigner => {
            CliError::input("this key is not the log key the ledger was created with")
        }
        e => e.into(),
    })?;
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

fn checkpoint_for(l: &LocalLedger, size: Option<u64>) -> Result<(String, Checkpoint), CliError> {
    let note = match size {
        Some(s) => l.checkpoint_at(s)?,
        None => l.latest_checkpoint()?,
    }
    .ok_or_else(|| {
        CliError::input("no stored checkpoint of that size")
            .hint("sign one with `causeway ledger checkpoint --db DB --key LOGKEY`")
    })?;
    let cp = Checkpoint::open(&note, l.origin(), l.log_key())?;
    Ok((note, cp))
}

fn hashes(p: &[Hash]) -> Vec<String> {
    p.iter().map(|h| b64(h)).collect()
}

fn prove(a: ProveArgs) -> Result<(), CliError> {
    let l = open(&a.db)?;
    let (note, cp) = checkpoint_for(&l, a.size)?;
    let bundle = if let Some(index) = a.index {
        if index >= cp.size {
            return Err(CliError::input(format!(
                "entry {index} is not covered by the checkpoint of size {}",
                cp.size
            ))
            .hint("sign a newer checkpoint first"));
        }
        let receipt = l.entry(index)?;
        let proof = l.inclusion_proof(index, cp.size)?;
        json!({
            "type": "inclusion", "origin": l.origin(),
            "leafIdx": index, "treeSize": cp.size, "root": b64(&cp.root),
            "leafHash": b64(&leaf_hash(&receipt)), "proof": hashes(&proof),
            "receipt": b64(&receipt), "checkpoint": note,
        })
    } else if let Some(size1) = a.consistency {
        if size1 == 0 || size1 > cp.size {
            return Err(CliError::input(format!(
                "--consistency must be between 1 and the checkpoint size {}",
                cp.size
            )));
        }
        let proof = l.consistency_proof(size1, cp.size)?;
        let old = l.checkpoint_at(size1)?;
        json!({
            "type": "consistency", "origin": l.origin(),
            "size1": size1, "size2": cp.size,
            "root1": b64(&l.root_at(size1)?), "root2": b64(&cp.root),
            "proof": hashes(&proof), "checkpoint": note, "old_checkpoint": old,
        })
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
        // One bundle answers for every attestation absent from the (complete) list; it
        // carries the evidence of the first revoked attestation, if any, which is enough to
        // refuse a presentation.
        let mut chosen = None;
        for (h, i) in &targets {
            let p = l.revocation_proof(&h.0, i, Some(cp.size))?;
            let revoked = p.revoked.is_some();
            if chosen.is_none() || revoked {
                chosen = Some((*h, *i, p));
            }
            if revoked {
                break;
            }
        }
        let (h, issuer, p) =
            chosen.ok_or_else(|| CliError::input("--revocation: no attestation named"))?;
        json!({
            "type": "revocation", "origin": l.origin(),
            "revocation_handle": h.to_string(), "issuer": issuer.to_string(),
            "checkpoint": p.checkpoint,
            "revocations": p.revocations.iter().map(|e| json!({
                "index": e.index, "revocation_handle": hex::encode(e.revocation_handle),
                "issuer": e.issuer.to_string(),
            })).collect::<Vec<_>>(),
            "revoked": p.revoked.as_ref().map(|r| json!({
                "index": r.index, "receipt": b64(&r.receipt), "proof": hashes(&r.inclusion),
            })),
        })
    } else {
        return Err(CliError::input("nothing to prove")
            .hint("give --index N, --consistency SIZE or --revocation ATTESTED-FILE"));
    };
    let text = serde_json::to_string_pretty(&bundle).unwrap_or_else(|_| bundle.to_string());
    match &a.output {
        Some(o) => write_atomic(o, format!("{text}\n").as_bytes()),
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

// ---- verification of bundles (no database) ----

fn field<'a>(v: &'a Value, k: &str) -> Result<&'a Value, CliError> {
    v.get(k)
        .ok_or_else(|| CliError::input(format!("proof bundle: missing \"{k}\"")))
}

fn str_field<'a>(v: &'a Value, k: &str) -> Result<&'a str, CliError> {
    field(v, k)?
        .as_str()
        .ok_or_else(|| CliError::input(format!("proof bundle: \"{k}\" must be a string")))
}

fn u64_field(v: &Value, k: &str) -> Result<u64, CliError> {
    field(v, k)?
        .as_u64()
        .ok_or_else(|| CliError::input(format!("proof bundle: \"{k}\" must be an integer")))
}

fn bytes_field(v: &Value, k: &str, max: usize) -> Result<Vec<u8>, CliError> {
    let s = str_field(v, k)?;
    if s.len() > max.div_ceil(3) * 4 + 4 {
        return Err(CliError::input(format!(
            "proof bundle: \"{k}\" is too long"
        )));
    }
    STANDARD
        .decode(s)
        .map_err(|_| CliError::input(format!("proof bundle: \"{k}\" is not base64")))
}

fn hash_list(v: &Value, k: &str) -> Result<Vec<Hash>, CliError> {
    let arr = match field(v, k)? {
        Value::Null => return Ok(Vec::new()),
        Value::Array(a) => a,
        _ => {
            return Err(CliError::input(format!(
                "proof bundle: \"{k}\" must be a list"
            )))
        }
    };
    if arr.len() > causeway::ledger::proof::MAX_PROOF_HASHES {
        return Err(LogVerifyError::InvalidProof.into());
    }
    arr.iter()
        .map(|h| {
            let s = h.as_str().unwrap_or_default();
            let b = STANDARD
                .decode(s)
                .map_err(|_| LogVerifyError::InvalidProof)?;
            Hash::try_from(b).map_err(|_| CliError::from(LogVerifyError::InvalidProof))
        })
        .collect()
}

/// The revocation handle a bundle (or one of its entries) names: `revocation_handle`, or the
/// older name `attestation_id` of bundles written before issue 11 (which held the same value
/// when the receipt was made by the library, and an attestation id when it was made by the
/// CLI's `--attestation-revoked ID`, a revocation that never matched).
fn handle_field(v: &Value) -> Result<RevocationHandle, CliError> {
    let s = match v.get("revocation_handle") {
        Some(_) => str_field(v, "revocation_handle")?,
        None => str_field(v, "attestation_id")?,
    };
    Ok(RevocationHandle(hex32(s, "revocation_handle")?))
}

/// The revocation proof of a `"type": "revocation"` bundle whose checkpoint note is `note`.
pub fn revocation_proof_of(v: &Value, note: &str) -> Result<RevocationProof, CliError> {
    let list = field(v, "revocations")?
        .as_array()
        .ok_or_else(|| CliError::input("proof bundle: \"revocations\" must be a list"))?;
    if list.len() > causeway::ledger::revocation::MAX_REVOCATIONS {
        return Err(CliError::input("proof bundle: too many revocations"));
    }
    let mut revocations = Vec::with_capacity(list.len());
    for e in list {
        revocations.push(RevocationEntry {
            index: u64_field(e, "index")?,
            revocation_handle: handle_field(e)?.0,
            issuer: str_field(e, "issuer")?
                .parse()
                .map_err(|_| CliError::input("proof bundle: bad issuer key id"))?,
        });
    }
    let revoked = match v.get("revoked") {
        None | Some(Value::Null) => None,
        Some(r) => Some(RevokedEvidence {
            index: u64_field(r, "index")?,
            receipt: bytes_field(r, "receipt", causeway::ledger::receipt::MAX_RECEIPT_LEN)?,
            inclusion: hash_list(r, "proof")?,
        }),
    };
    Ok(RevocationProof {
        checkpoint: note.to_owned(),
        revocations,
        revoked,
    })
}

/// Reads a proof bundle (JSON from `causeway ledger prove`).
pub fn read_bundle(p: &Path) -> Result<Value, CliError> {
    let raw = read_input(Some(p))?;
    if raw.len() > 64 * 1024 * 1024 {
        return Err(CliError::input("proof bundle is too large"));
    }
    serde_json::from_slice(&raw)
        .map_err(|e| CliError::input(format!("{}: proof bundle is not JSON: {e}", p.display())))
}

/// A client of the bundle's log (origin `origin`, or the one its checkpoint names) that
/// trusts the bundle's checkpoint: as is (trust on first use), or, given a `trusted`
/// checkpoint file, only when it is consistent with that one (`consistency_from_trusted`).
pub fn client_for_bundle(
    v: &Value,
    log_key: PublicKeys,
    origin: Option<&str>,
    trusted: Option<&Path>,
) -> Result<LedgerClient, CliError> {
    let note = str_field(v, "checkpoint")?;
    let unverified = Checkpoint::parse_unverified(note)?;
    let origin = origin.map(str::to_owned).unwrap_or(unverified.origin);
    let mut client = LedgerClient::new(&origin, log_key);
    if let Some(t) = trusted {
        let tn = String::from_utf8(read_input(Some(t))?)
            .map_err(|_| CliError::input("the trusted checkpoint is not text"))?;
        client.update(&tn, &[])?;
        let proof = match v.get("consistency_from_trusted") {
            Some(p) => hash_list(&json!({ "p": p }), "p")?,
            None => Vec::new(),
        };
        client.update(note, &proof)?;
    } else {
        client.update(note, &[])?;
    }
    Ok(client)
}

fn verify(a: VerifyArgs, json: bool) -> Result<(), CliError> {
    let log_key: PublicKeys = parse_recipient(&a.log_key)?;
    let v = read_bundle(&a.proof)?;
    let note = str_field(&v, "checkpoint")?;
    let client = client_for_bundle(&v, log_key, a.origin.as_deref(), a.trusted.as_deref())?;
    let origin = client.origin().to_owned();
    let cp = client
        .trusted()
        .cloned()
        .ok_or(LogVerifyError::InvalidProof)?;
    let kind = str_field(&v, "type")?;
    let out = match kind {
        "inclusion" => {
            let index = u64_field(&v, "leafIdx")?;
            if u64_field(&v, "treeSize")? != cp.size {
                return Err(LogVerifyError::InvalidProof.into());
            }
            let receipt = bytes_field(&v, "receipt", causeway::ledger::receipt::MAX_RECEIPT_LEN)?;
            let proof = hash_list(&v, "proof")?;
            let r = client.verify_receipt(&receipt, index, &proof)?;
            json!({
                "verified": "inclusion", "origin": origin, "index": index,
                "tree_size": cp.size, "root": b64(&cp.root), "receipt": r.to_json(),
            })
        }
        "consistency" => {
            let size1 = u64_field(&v, "size1")?;
            let root1: Hash = Hash::try_from(bytes_field(&v, "root1", 32)?)
                .map_err(|_| CliError::from(LogVerifyError::InvalidProof))?;
            if u64_field(&v, "size2")? != cp.size {
                return Err(LogVerifyError::InvalidProof.into());
            }
            let proof = hash_list(&v, "proof")?;
            verify_consistency(size1, cp.size, &proof, &root1, &cp.root)?;
            // If the bundle carries the old checkpoint, it must say the same root.
            if let Some(old) = v.get("old_checkpoint").and_then(Value::as_str) {
                let oc = client.open_checkpoint(old)?;
                if oc.size != size1 || oc.root != root1 {
                    return Err(LogVerifyError::Inconsistent.into());
                }
            }
            json!({
                "verified": "consistency", "origin": origin, "size1": size1,
                "size2": cp.size, "root1": b64(&root1), "root2": b64(&cp.root),
            })
        }
        "revocation" => {
            let id = handle_field(&v)?;
            let issuer: KeyId = str_field(&v, "issuer")?
                .parse()
                .map_err(|_| CliError::input("proof bundle: bad issuer key id"))?;
            let proof = revocation_proof_of(&v, note)?;
            let status = client.check_revocation(&proof, &id.0, &issuer)?;
            match status {
                RevocationStatus::Revoked { index, time_ms } => json!({
                    "verified": "revocation", "revoked": true, "index": index,
                    "time_ms": time_ms, "tree_size": cp.size,
                }),
                RevocationStatus::NotRevoked { as_of_size } => json!({
                    "verified": "revocation", "revoked": false, "as_of_size": as_of_size,
                }),
                _ => json!({ "verified": "revocation" }),
            }
        }
        _ => return Err(CliError::input("proof bundle: unknown \"type\"")),
    };
    if json {
        print(&out);
    } else {
        let get = |k: &str| out.get(k).cloned().unwrap_or(Value::Null);
        match kind {
            "inclusion" => {
                println!(
                "OK: entry {} is in {origin} at tree size {} (root {}); receipt signature valid",
                get("index"),
                cp.size,
                b64(&cp.root)
            )
            }
            "consistency" => println!(
                "OK: the tree of size {} is a prefix of the tree of size {} in {origin}",
                get("size1"),
                cp.size
            ),
            _ => {
                if get("revoked") == json!(true) {
                    println!(
                        "REVOKED: the attestation was revoked at index {} (as of tree size {})",
                        get("index"),
                        cp.size
                    );
                } else {
                    println!("OK: not revoked as of tree size {}", cp.size);
                }
            }
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
