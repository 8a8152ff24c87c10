//! `attest`, `present`, `verify`, `challenge`, `revoke-attestation`: attestations and
//! presentations with Bulletproofs statements.

use crate::io::{load_party, parse_recipient, read_input, write_atomic, write_output};
use crate::CliError;
use causeway::attest::{
    issue, issue_with_record_id, AttestedRecord, RecordId, RevocationHandle, RevocationList, Terms,
};
use causeway::error::KeyRingError;
use causeway::error::{AttestError, DecodeError, ProveError, VerifyError};
use causeway::presentation::{
    Challenge, DiscloseField, Policy, Presentation, PresentationBuilder, Requirement,
};
use causeway::record::Record;
use causeway::snark::{statements::statement_circuits, Circuit, KeyRing, KeyUse};
use causeway::statement::{Backend, Statement};
use clap::Args;
use rayon::prelude::*;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Arguments of `causeway attest`.
#[derive(Args)]
pub struct AttestArgs {
    /// The issuer's key file.
    #[arg(short, long)]
    key: PathBuf,
    /// The record to attest, as JSON (`{"schema": …, "fields": {…}}`); stdin if absent.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// The holder the attestation is about: `cwpub1…` text, or a file holding it.
    #[arg(long)]
    subject: String,
    /// First second of validity, unix seconds (default: now).
    #[arg(long)]
    not_before: Option<u64>,
    /// Last second of validity, unix seconds (default: not-before + --valid-days).
    #[arg(long, conflicts_with = "valid_days")]
    not_after: Option<u64>,
    /// Validity in days when --not-after is not given (default: 365).
    #[arg(long)]
    valid_days: Option<u64>,
    /// The record's stable name, signed (hashed) into the attestation as its record id, e.g.
    /// `"seller LEI 5493001KJTIIGC8Y1R12 invoice 2026-0042"`: give a renewal, or another
    /// issuer's attestation of the same record, the same name, and no sum counts it twice.
    /// Anyone who can guess the name can recognise the id. Default: a record id keyed by your
    /// signing key over the subject and the record (the same record attested again by you for
    /// the same holder gets the same id; nobody else can compute it).
    #[arg(long, value_name = "NAME")]
    record_id: Option<String>,
    /// Where to write the attested record: the holder's secret file (mode 0600).
    #[arg(short, long)]
    output: PathBuf,
    /// Overwrite an existing output file.
    #[arg(long)]
    force: bool,
}

/// Arguments of `causeway present`.
#[derive(Args)]
pub struct PresentArgs {
    /// The holder's key file (the attestations' subject).
    #[arg(short, long)]
    key: PathBuf,
    /// An attested record file from `causeway attest` (repeat for several; the first is
    /// attestation 0).
    #[arg(short, long = "attested", required = true)]
    attested: Vec<PathBuf>,
    /// A field to reveal: `NAME` (of attestation 0) or `INDEX:NAME`. Repeatable.
    #[arg(long)]
    disclose: Vec<String>,
    /// A statement to prove without revealing the field, e.g. `score >= 700`,
    /// `income in [50000, 120000]`, `dob < 2008-11-21`, `sum(amount) >= 1000000`. Repeatable.
    #[arg(long)]
    prove: Vec<String>,
    /// The verifier's challenge (hex, from `causeway challenge`).
    #[arg(long)]
    challenge: String,
    /// The proof back-end: Bulletproofs (no setup) or Groth16 (succinct, EVM-verifiable; needs
    /// --keys from `causeway setup`).
    #[arg(long, value_parser = crate::snark_cmd::backend_parser(), default_value = "bulletproofs")]
    backend: Backend,
    /// With --backend groth16: the key directory of `causeway setup` (proving keys).
    #[arg(long, value_name = "DIR")]
    keys: Option<PathBuf>,
    /// With --backend groth16: pin a circuit's proving-key digest, `CIRCUIT=DIGEST`
    /// (`sum:4=groth16pk1…`; `causeway setup --circuit CIRCUIT` prints it as "pk digest"), or a
    /// bare `DIGEST` when the statements need one circuit. Every proving key the statements
    /// need must have a digest pinned for its circuit, whatever the directory's keys.json
    /// says; a pinned key then loads without its point checks. Repeatable.
    #[arg(long = "pk-digest", value_name = "[CIRCUIT=]DIGEST", requires = "keys")]
    pk_digests: Vec<String>,
    /// With --backend groth16: trust the key directory's keys.json. A proving key whose digest
    /// it records loads without its point checks (seconds saved for large keys). Only for a
    /// directory you control (written by your own `causeway setup`, never writable by others):
    /// a keys.json that came with the keys can vouch for a malformed key, whose proofs are then
    /// refused by the prover's self-check. Without this flag (and without --pk-digest) every
    /// point is checked.
    #[arg(long, requires = "keys", conflicts_with = "pk_digests")]
    trust_key_manifest: bool,
    /// Where to write the presentation (JSON); stdout if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Arguments of `causeway verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The presentation (JSON or binary); stdin if absent.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// A trusted issuer: `cwpub1…` text, or a file holding it. Repeatable.
    #[arg(long = "issuer", required = true)]
    issuers: Vec<String>,
    /// The challenge you issued for this presentation (hex).
    #[arg(long)]
    challenge: String,
    /// The time to check validity at, unix seconds (default: now).
    #[arg(long)]
    now: Option<u64>,
    #[command(flatten)]
    revocation: crate::revocation_opts::RevocationArgs,
    /// For Groth16 presentations: your key directory from `causeway setup` (verifying keys
    /// pinned by circuit shape in its keys.json).
    #[arg(long, value_name = "DIR")]
    keys: Option<PathBuf>,
    /// Require this back-end (default: accept the one the presentation uses).
    #[arg(long, value_parser = crate::snark_cmd::backend_parser())]
    backend: Option<Backend>,
    /// A statement the presentation must establish, e.g. `credit_score >= 700` or
    /// `sum(amount) >= 2000000` (no `@` index). Met only if exactly that is proven (same
    /// field, predicate and bound) or the field is disclosed with a value that satisfies it,
    /// from an attestation by one of the --issuer keys; otherwise exit 3. Repeatable: all must
    /// be met. Without it, verify only says that what was presented is true.
    #[arg(long = "require", value_name = "STATEMENT")]
    require: Vec<String>,
    /// Every --require counts only attestations by this issuer (`cwpub1…` text, a file holding
    /// it, or a key id): a credit score from the bureau, not from another --issuer you trust
    /// for something else. It must be one of the --issuer keys. Repeatable: any of them.
    #[arg(long = "require-issuer", value_name = "KEY", requires = "require")]
    require_issuers: Vec<String>,
    /// Every --require counts only attestations of this schema, e.g. `credit-report/v1`.
    #[arg(long = "require-schema", value_name = "SCHEMA", requires = "require")]
    require_schema: Option<String>,
}

/// Arguments of `causeway challenge`.
#[derive(Args)]
pub struct ChallengeArgs {}

/// Arguments of `causeway revoke-attestation`.
#[derive(Args)]
pub struct RevokeAttestationArgs {
    /// The issuer's key file.
    #[arg(short, long)]
    key: PathBuf,
    /// An attestation to revoke: its attested record file from `causeway attest` (or an
    /// attestation or presentation file). The list is signed with the key of --key that issued
    /// it, current or retired by `causeway rotate`. Repeatable (one issuer key per list).
    #[arg(
        long = "attested",
        value_name = "FILE",
        required_unless_present = "handles"
    )]
    attested: Vec<PathBuf>,
    /// A revocation handle to list (hex, as printed by `causeway attest`). Repeatable.
    #[arg(long = "handle")]
    handles: Vec<String>,
    /// The issuer key that signs (key id or `cwpub1…`), when the handles were issued under a
    /// key of --key retired by `causeway rotate` (default: the key of the --attested
    /// attestations, else the current key).
    #[arg(long, value_name = "KEY")]
    issuer: Option<String>,
    /// Where to write the signed revocation list.
    #[arg(short, long)]
    output: PathBuf,
}

/// The one "now" of the CLI ([`causeway::attest::unix_now`]: an error, never 0).
pub fn unix_now() -> Result<u64, CliError> {
    causeway::attest::unix_now().map_err(attest_err)
}

fn attest_err(e: AttestError) -> CliError {
    CliError::from(causeway::Error::from(e))
}

fn prove_err(e: ProveError) -> CliError {
    let hint = match &e {
        ProveError::Unsatisfied => Some("the attested value does not satisfy the statement"),
        ProveError::NotSubject => {
            Some("use the key file of the holder the attestation was issued to (--subject)")
        }
        ProveError::Unsupported { .. } => Some(
            "Groth16 proves sums only as `sum(field) >= t`; use --backend bulletproofs for others",
        ),
        ProveError::NoKey(_) => Some("run `causeway setup --circuit SHAPE --out DIR` for it"),
        ProveError::CountedTwice(_) => Some(
            "a sum counts each record once: pass each attested record once, and not a renewal \
             or another issuer's attestation of a record already summed",
        ),
        ProveError::InvalidStatement(_) => Some(
            "statements look like `score >= 700`, `income in [50000, 120000]`, `dob < 2008-11-21`; \
             bounds must be exact at the field's scale",
        ),
        _ => None,
    };
    let err = CliError::input(format!("cannot build the presentation: {e}")).core_code(e.code());
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}

fn verify_err(e: VerifyError) -> CliError {
    let hint = match &e {
        VerifyError::UntrustedIssuer => Some("pass the issuer's public key with --issuer"),
        VerifyError::BadSignature | VerifyError::Proof => {
            Some("the presentation was made for another challenge, or it was altered")
        }
        VerifyError::Expired | VerifyError::NotYetValid => {
            Some("check --now, or ask the holder for a current attestation")
        }
        VerifyError::WrongKey { .. } => Some(
            "the holder proved with keys from another setup: both sides must use the same keys",
        ),
        VerifyError::NoKey(_) => Some("pass --keys DIR holding a key for this circuit shape"),
        VerifyError::RevocationListTooOld { .. } => {
            Some("get the issuer's current list (`causeway revoke-attestation`), or raise --revocations-max-age")
        }
        VerifyError::RevocationListInFuture { .. } => {
            Some("check this machine's clock (or --now) and the issuer's; ask the issuer for a list dated now")
        }
        VerifyError::NoRevocationList => Some("pass the issuer's revocation list with --revocations"),
        VerifyError::RevocationUnavailable => Some(
            "a revocation list or ledger proof did not verify, or the ledger lists the attestation \
             without evidence: get a proof made for this presentation (`causeway ledger prove --revocation`)",
        ),
        _ => None,
    };
    let err = CliError::denied(format!("verification failed: {e}")).core_code(e.code());
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}

fn keyring_err(dir: &Path, e: KeyRingError) -> CliError {
    let hint = match &e {
        KeyRingError::Missing(shape) => format!(
            "run `causeway setup --circuit {shape} --out {}` (or get the consortium's keys)",
            dir.display()
        ),
        KeyRingError::Io { .. } => format!(
            "{} must be a key directory written by `causeway setup` (with keys.json)",
            dir.display()
        ),
        KeyRingError::Mismatch { .. } => {
            "a key file was altered or replaced: re-run `causeway setup` or restore it".into()
        }
        _ => "re-run `causeway setup` for this directory".into(),
    };
    CliError::input(format!("Groth16 keys: {e}"))
        .core_code(e.code())
        .hint(hint)
}

/// `--keys DIR`, which Groth16 needs.
fn keys_dir(dir: Option<&Path>) -> Result<&Path, CliError> {
    dir.ok_or_else(|| {
        CliError::input("Groth16 needs keys: pass --keys DIR").hint(
            "create them with `causeway setup --circuit attribute --out DIR` (and sum:K for sums)",
        )
    })
}

fn load_keys(dir: Option<&Path>, shapes: &[Circuit], key_use: KeyUse) -> Result<KeyRing, CliError> {
    let dir = keys_dir(dir)?;
    KeyRing::load_dir(dir, shapes, key_use).map_err(|e| keyring_err(dir, e))
}

/// `--pk-digest` pins by circuit: a bare digest pins the one circuit the statements need, and
/// is refused when they need several (it would pin a key for whichever circuit keys.json
/// files it under).
fn circuit_pins(
    pins: &[(Option<Circuit>, causeway::snark::ProvingKeyDigest)],
    shapes: &[Circuit],
) -> Result<Vec<(Circuit, causeway::snark::ProvingKeyDigest)>, CliError> {
    pins.iter()
        .map(|(c, d)| match (c, shapes) {
            (Some(c), _) => Ok((*c, *d)),
            (None, [only]) => Ok((*only, *d)),
            (None, _) => {
                let names: Vec<String> = shapes.iter().map(ToString::to_string).collect();
                Err(CliError::input(format!(
                    "--pk-digest {}: the statements need several circuits ({}); say which one this digest pins",
                    d.to_text(),
                    names.join(", ")
                ))
                .hint("write --pk-digest CIRCUIT=DIGEST, e.g. `sum:4=groth16pk1…`"))
            }
        })
        .collect()
}

fn decode_err(what: &str, e: DecodeError) -> CliError {
    CliError::input(format!("{what}: {e}")).core_code(e.code())
}

fn challenge_arg(s: &str) -> Result<Challenge, CliError> {
    Challenge::from_hex(s).map_err(|e| {
        decode_err("--challenge", e)
            .hint("issue one with `causeway challenge` (16 to 64 bytes, hex)")
    })
}

/// `causeway attest`.
pub fn attest(a: AttestArgs, json: bool) -> Result<(), CliError> {
    let issuer = load_party(&a.key)?;
    let subject = parse_recipient(&a.subject)?;
    let input = read_input(a.input.as_deref())?;
    let text =
        std::str::from_utf8(&input).map_err(|_| CliError::input("the record is not UTF-8 JSON"))?;
    let record =
        Record::from_json(text).map_err(|e| CliError::input(format!("the record: {e}")))?;
    let terms = Terms::window(
        subject.key_id(),
        unix_now()?,
        a.not_before,
        a.not_after,
        a.valid_days,
    )
    .map_err(|e| attest_err(e).hint("--not-after must not be before --not-before"))?;
    if a.output.exists() && !a.force {
        return Err(
            CliError::input(format!("{} already exists", a.output.display()))
                .hint("pass --force to overwrite it"),
        );
    }
    let held = match &a.record_id {
        Some(name) => {
            let id = RecordId::named(name).map_err(|e| {
                CliError::input(format!("--record-id: {e}"))
                    .hint("a name of 1 to 256 bytes, e.g. the seller's id and the invoice number")
            })?;
            issue_with_record_id(issuer.keys(), &record, &terms, &id)
        }
        None => issue(issuer.keys(), &record, &terms),
    }
    .map_err(attest_err)?;
    write_secret(&a.output, &held.to_bytes())?;
    let att = held.attestation();
    if json {
        println!(
            "{}",
            json!({
                "attestation": att.id().to_string(),
                "issuer": att.issuer().to_string(),
                "subject": att.subject().to_string(),
                "schema": att.schema(),
                "not_before": att.not_before(),
                "not_after": att.not_after(),
                "revocation_handle": att.revocation_handle().to_string(),
                "record_id": att.record_id().map(|r| r.to_string()),
                "numeric_fields": att.numeric().iter().map(|n| n.name.clone()).collect::<Vec<_>>(),
                "output": a.output.display().to_string(),
            })
        );
    } else {
        println!(
            "attested {} field(s) of {} for {}",
            record.len(),
            att.schema(),
            att.subject()
        );
        println!("attestation id    {}", att.id());
        println!(
            "valid             {} .. {} (unix seconds)",
            att.not_before(),
            att.not_after()
        );
        println!("revocation handle {}", att.revocation_handle());
        if let Some(r) = att.record_id() {
            println!("record id         {r}");
        }
        println!(
            "holder file       {} (secret: give it to the holder only)",
            a.output.display()
        );
    }
    Ok(())
}

fn write_secret(path: &Path, data: &[u8]) -> Result<(), CliError> {
    crate::io::write_atomic_secret(path, data)
}

/// `causeway present`.
pub fn present(a: PresentArgs, json: bool) -> Result<(), CliError> {
    let holder = load_party(&a.key)?;
    let challenge = challenge_arg(&a.challenge)?;
    // Every file is read, then decoded side by side below; a file that cannot be read is
    // reported in argument order with those that do not decode.
    let raw: Vec<(&PathBuf, Result<Vec<u8>, CliError>)> = a
        .attested
        .iter()
        .map(|p| (p, read_input(Some(p))))
        .collect();
    let n = u16::try_from(raw.len()).map_err(|_| CliError::input("too many attested records"))?;
    // The arguments' errors come after the records' (as when records were decoded first).
    let args = present_args(&a, n);
    let load_keys = || match &args {
        Ok(PresentPlan {
            keys: Some((shapes, dir, pins)),
            ..
        }) => if !pins.is_empty() {
            KeyRing::load_dir_pinned(dir, shapes, KeyUse::Prove, pins)
        } else if a.trust_key_manifest {
            KeyRing::load_dir_trusted_manifest(dir, shapes, KeyUse::Prove)
        } else {
            KeyRing::load_dir(dir, shapes, KeyUse::Prove)
        }
        .map_err(|e| keyring_err(dir, e)),
        _ => Ok(KeyRing::new()),
    };
    // Decoding a record builds its Poseidon tree (hundreds of hashes): the records are decoded
    // side by side, and beside the proving keys' load (reading, digest, conversion).
    let decode = |(p, bytes): &(&PathBuf, Result<Vec<u8>, CliError>)| {
        bytes.as_ref().ok().map(|bytes| {
            causeway::wire::decode_any::<AttestedRecord>(bytes).map_err(|e| {
                CliError::input(format!("{}: not an attested record: {e}", p.display()))
            })
        })
    };
    let (decoded, keys) = rayon::join(|| raw.par_iter().map(decode).collect::<Vec<_>>(), load_keys);
    // The first bad record in argument order, then the arguments', then the keys'.
    let mut held = Vec::with_capacity(raw.len());
    for ((_, bytes), record) in raw.into_iter().zip(decoded) {
        match (bytes, record) {
            (Err(e), _) | (Ok(_), Some(Err(e))) => return Err(e),
            (Ok(_), Some(Ok(h))) => held.push(h),
            (Ok(_), None) => return Err(CliError::input("a record was not decoded")),
        }
    }
    let PresentPlan {
        statements,
        disclose,
        ..
    } = args?;
    let keys = keys?;
    let backend = a.backend;
    // The builder picks the holder's key (current or retired) that is the subject.
    let mut builder = PresentationBuilder::new(&challenge)
        .backend(backend)
        .keys(keys);
    for h in held {
        builder = builder.attested(h);
    }
    for d in &disclose {
        builder = builder.disclose(d.clone());
    }
    for st in &statements {
        builder = builder.prove(st.clone());
    }
    let p = builder.build(&holder).map_err(prove_err)?;
    let text = p.to_json_string();
    write_output(a.output.as_deref(), format!("{text}\n").as_bytes(), false)?;
    if a.output.is_some() {
        if json {
            println!(
                "{}",
                json!({ "backend": backend.to_string(), "statements": statements.len(), "disclosed": disclose.len(), "bytes": p.to_bytes().len() })
            );
        } else {
            println!(
                "presentation ({backend}) with {} statement(s) and {} disclosed field(s), {} bytes",
                statements.len(),
                disclose.len(),
                p.to_bytes().len()
            );
        }
    }
    Ok(())
}

/// Where `present` takes its Groth16 proving keys from: the circuits, the directory, the pins.
type KeySource<'a> = (
    Vec<Circuit>,
    &'a Path,
    Vec<(Circuit, causeway::snark::ProvingKeyDigest)>,
);

/// What `present`'s arguments ask for, besides its records.
struct PresentPlan<'a> {
    statements: Vec<Statement>,
    disclose: Vec<DiscloseField>,
    /// `None` without Groth16.
    keys: Option<KeySource<'a>>,
}

/// `present`'s statements, disclosures and key source, from its arguments (`n` records).
fn present_args(a: &PresentArgs, n: u16) -> Result<PresentPlan<'_>, CliError> {
    let statements = a
        .prove
        .iter()
        .map(|s| {
            Statement::parse(s, n).map_err(|e| {
                decode_err(&format!("--prove {s:?}"), e)
                    .hint("e.g. `score >= 700`, `income in [50000, 120000]`, `dob < 2008-11-21`")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let disclose = a
        .disclose
        .iter()
        .map(|s| {
            DiscloseField::parse(s).map_err(|e| {
                decode_err(&format!("--disclose {s}"), e).hint("e.g. `name` or `1:income`")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let backend = a.backend;
    let pins = a
        .pk_digests
        .iter()
        .map(|s| {
            causeway::snark::keyring::parse_pin(s).map_err(|e| {
                decode_err(&format!("--pk-digest {s}"), e).hint(
                    "CIRCUIT=DIGEST, e.g. `sum:4=groth16pk1…`: the `pk digest` line `causeway setup --circuit CIRCUIT` printed",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !matches!(backend, Backend::Groth16) {
        if !pins.is_empty() {
            return Err(CliError::input("--pk-digest pins a Groth16 proving key")
                .hint("add --backend groth16, or drop --pk-digest"));
        }
        if a.trust_key_manifest {
            return Err(
                CliError::input("--trust-key-manifest is about Groth16 proving keys")
                    .hint("add --backend groth16, or drop --trust-key-manifest"),
            );
        }
    }
    let key_source = match backend {
        Backend::Groth16 => {
            let shapes = statement_circuits(&statements).map_err(prove_err)?;
            let dir = keys_dir(a.keys.as_deref())?;
            let pins = circuit_pins(&pins, &shapes)?;
            Some((shapes, dir, pins))
        }
        _ => None,
    };
    Ok(PresentPlan {
        statements,
        disclose,
        keys: key_source,
    })
}

/// `causeway verify`.
pub fn verify(a: VerifyArgs, json: bool) -> Result<(), CliError> {
    let challenge = challenge_arg(&a.challenge)?;
    let issuers = a
        .issuers
        .iter()
        .map(|s| parse_recipient(s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut require_issuers = Vec::with_capacity(a.require_issuers.len());
    for k in &a.require_issuers {
        let id = crate::ledger_cmd::key_id(k)?;
        if !issuers.iter().any(|i| i.key_id() == id) {
            return Err(CliError::input(format!(
                "--require-issuer {id} is not one of the --issuer keys"
            ))
            .hint(
                "an attestation counts only if its issuer is trusted: pass it with --issuer too",
            ));
        }
        require_issuers.push(id);
    }
    let mut policy = Policy::new();
    for r in &a.require {
        let mut req = Requirement::parse(r).map_err(|e| {
            decode_err(&format!("--require {r:?}"), e).hint(
                "e.g. `credit_score >= 700`, `income in [50000, 120000]`, `sum(amount) >= 2000000`",
            )
        })?;
        if !require_issuers.is_empty() {
            req = req.from_issuers(&require_issuers);
        }
        if let Some(schema) = &a.require_schema {
            req = req.with_schema(schema);
        }
        policy = policy.require(req);
    }
    let revocations = crate::revocation_opts::Revocations::load(&a.revocation)?;
    let input = read_input(a.input.as_deref())?;
    let p = causeway::wire::decode_any::<Presentation>(&input)
        .map_err(|e| decode_err("malformed presentation", e))?;
    let now = match a.now {
        Some(t) => t,
        None => unix_now()?,
    };
    if let Some(required) = a.backend {
        if p.backend() != required {
            return Err(CliError::denied(format!(
                "the presentation is proven with {}, not {required}",
                p.backend()
            )));
        }
    }
    let keys = match p.backend() {
        Backend::Groth16 => {
            let shapes = statement_circuits(p.statements()).map_err(|e| {
                CliError::denied(format!("verification failed: {e}")).core_code(e.code())
            })?;
            load_keys(a.keys.as_deref(), &shapes, KeyUse::Verify)?
        }
        _ => KeyRing::new(),
    };
    let v = p
        .verify_with_keys(&issuers, &challenge, now, &revocations.check(now), &keys)
        .map_err(verify_err)?;
    policy.check(&v).map_err(|e| {
        CliError::denied(format!("verification failed: {e}"))
            .core_code(e.code())
            .hint(
                "the presentation is genuine but does not prove what you require: ask the holder \
                 to prove exactly that statement",
            )
    })?;
    if json {
        let mut out = json!(v.to_json());
        if let (false, Some(o)) = (revocations.anchored.is_empty(), out.as_object_mut()) {
            o.insert(
                "revocation_state_anchored".into(),
                json!(revocations
                    .anchored
                    .iter()
                    .map(crate::verify_anchor_cmd::record_json)
                    .collect::<Vec<_>>()),
            );
        }
        if let (false, Some(o)) = (policy.requirements().is_empty(), out.as_object_mut()) {
            o.insert(
                "requirements_met".into(),
                json!(policy
                    .requirements()
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>()),
            );
        }
        println!("{out}");
    } else {
        println!("verified ({}): presented by {}", v.backend(), v.subject());
        for (shape, id) in keys.keys() {
            println!("   groth16 key {shape}: {id}");
        }
        for (i, att) in v.attestations().iter().enumerate() {
            println!(
                "   attestation {i}: {} by issuer {}, schema {}, valid {} .. {}",
                att.id, att.issuer, att.schema, att.not_before, att.not_after
            );
        }
        for d in v.disclosed() {
            println!("   disclosed  {}@{} = {}", d.name, d.attestation, d.value);
        }
        for s in v.statements() {
            println!("   proven     {s}");
        }
        for r in policy.requirements() {
            println!("   required   {r}: met");
        }
        for r in &revocations.anchored {
            println!(
                "   revocation state: the ledger checkpoint of size {} ({}) is anchored on chain {} at block {} (final, no head reset after it)",
                r.size, r.origin, r.chain.chain_id, r.block_number
            );
        }
        if v.disclosed().is_empty() && v.statements().is_empty() {
            println!("   (nothing disclosed or proven beyond the attestations themselves)");
        }
    }
    Ok(())
}

/// Reads a signed revocation list file (binary, or its base64url text).
pub fn read_revocation_list(p: &Path) -> Result<RevocationList, CliError> {
    let b = read_input(Some(p))?;
    causeway::wire::decode_any::<RevocationList>(&b)
        .map_err(|e| CliError::input(format!("{}: not a revocation list: {e}", p.display())))
}

/// `causeway challenge`.
pub fn challenge(_a: ChallengeArgs, json: bool) -> Result<(), CliError> {
    let c = Challenge::random()?;
    if json {
        println!("{}", json!({ "challenge": c.to_string() }));
    } else {
        println!("{c}");
    }
    Ok(())
}

/// `causeway revoke-attestation`.
pub fn revoke_attestation(a: RevokeAttestationArgs, json: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    let mut handles = Vec::with_capacity(a.handles.len() + a.attested.len());
    let mut issuer = a
        .issuer
        .as_deref()
        .map(crate::ledger_cmd::key_id)
        .transpose()?;
    for p in &a.attested {
        for att in crate::ledger_cmd::attestations_in(p)? {
            if *issuer.get_or_insert(att.issuer()) != att.issuer() {
                return Err(CliError::input(format!(
                    "{}: issued by {}, not by the key of the other attestations",
                    p.display(),
                    att.issuer()
                ))
                .hint("a list is signed by one issuer key: make one list per key"));
            }
            handles.push(att.revocation_handle());
        }
    }
    for h in &a.handles {
        let mut b = [0u8; 32];
        hex::decode_to_slice(h.trim(), &mut b)
            .map_err(|_| CliError::input(format!("--handle {h}: expected 64 hex digits")))?;
        handles.push(RevocationHandle(b));
    }
    let keys = match &issuer {
        Some(id) => crate::ledger_cmd::issuer_keys(&party, id)?,
        None => party.keys(),
    };
    let list = RevocationList::new(keys, unix_now()?, handles).map_err(attest_err)?;
    write_atomic(&a.output, &list.to_bytes())?;
    if json {
        println!(
            "{}",
            json!({ "issuer": list.issuer().to_string(), "revoked": list.handles().len(), "output": a.output.display().to_string() })
        );
    } else {
        println!(
            "revocation list of {} handle(s) signed by {} written to {}",
            list.handles().len(),
            list.issuer(),
            a.output.display()
        );
    }
    Ok(())
}
