//! `seal`, `open`, `grant`, `revoke`, `inspect`.

use crate::io::{
    create_temp, load_party, parse_recipient, read_input, read_private_file, write_atomic_secret,
    write_output, write_output_secret, Spool,
};
use crate::CliError;
use causeway::error::LedgerError;
use causeway::ledger::LocalLedger;
use causeway::party::{KeyId, Party, PublicKeys};
use causeway::record::Record;
use causeway::seal::{
    self, stream, Content, EpochBook, KnownEpochs, OpenOptions, Opened, Owner, RecordId, Sealed,
};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use std::fs;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Arguments of `causeway seal`.
#[derive(Args)]
pub struct SealArgs {
    /// Your key file: you own the sealed record and can grant and revoke access.
    #[arg(short, long)]
    key: PathBuf,
    /// A recipient: `cwpub1…`, or a file with a `cwpub1…` key, a public JWK set or a key file.
    /// Repeat for several. You are always a recipient too.
    #[arg(short, long = "recipient", value_name = "RECIPIENT")]
    recipients: Vec<String>,
    /// Input (a record as JSON unless --bytes or --stream); stdin if absent or `-`.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// Output file; stdout if absent or `-`.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Seal the input as opaque bytes rather than a record.
    #[arg(long, conflicts_with = "stream")]
    bytes: bool,
    /// Seal a large file as a chunked stream in constant memory.
    #[arg(long)]
    stream: bool,
    /// Write the standard JWE JSON serialization instead of Causeway's binary form.
    #[arg(long, conflicts_with = "stream")]
    jwe: bool,
}

/// Arguments of `causeway open`.
#[derive(Args)]
pub struct OpenArgs {
    /// Your key file (current and retired keys are tried).
    #[arg(short, long)]
    key: PathBuf,
    /// The sealed record, stream or JWE; stdin if absent or `-`.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// Where to write the plaintext; stdout if absent. A stream is written to a temporary file
    /// and renamed only once fully authenticated; to stdout, it is held back (in memory, then
    /// a private temporary file) until its end verified, so nothing reaches stdout otherwise.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Refuse the record unless this owner signed it: a key id (32 hex digits) or a recipient
    /// as for `seal -r`. A version-1 record or a foreign JWE (no owner signature) is refused.
    #[arg(long, value_name = "KEY")]
    expect_owner: Option<String>,
    /// A ledger whose receipts give the newest epoch of the record: an older copy is refused.
    #[arg(long, value_name = "PATH")]
    ledger: Option<PathBuf>,
}

/// Where grant, revoke and reseal learn the newest epoch of a record (rollback protection,
/// decision 0030).
#[derive(Args)]
pub struct EpochArgs {
    /// A ledger whose receipts (record-sealed, access-granted, access-revoked) give the newest
    /// epoch of the record: a copy older than that is refused.
    #[arg(long, value_name = "PATH")]
    ledger: Option<PathBuf>,
    /// The owner's own record of the newest epoch it produced per record (default: the key file
    /// with `.epochs` appended, or $CAUSEWAY_EPOCH_STATE). Always checked and updated; created
    /// with mode 0600.
    #[arg(long, value_name = "PATH")]
    epoch_state: Option<PathBuf>,
}

/// Arguments of `causeway grant`.
#[derive(Args)]
pub struct GrantArgs {
    /// Your key file (the owner's, or any current recipient's).
    #[arg(short, long)]
    key: PathBuf,
    /// The new recipient(s).
    #[arg(short, long = "recipient", value_name = "RECIPIENT", required = true)]
    recipients: Vec<String>,
    /// The sealed record; stdin if absent.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// Output file; stdout if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    epochs: EpochArgs,
}

/// Arguments of `causeway reseal`.
#[derive(Args)]
pub struct ResealArgs {
    /// Your key file (the owner's).
    #[arg(short, long)]
    key: PathBuf,
    /// The recipients of the new epoch (you are always one). The stored list is not used.
    #[arg(short, long = "recipient", value_name = "RECIPIENT")]
    recipients: Vec<String>,
    /// The sealed record; stdin if absent.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// Output file; stdout if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    epochs: EpochArgs,
}

/// Arguments of `causeway revoke`.
#[derive(Args)]
pub struct RevokeArgs {
    /// Your key file (the owner's).
    #[arg(short, long)]
    key: PathBuf,
    /// The recipient to remove: a key id (32 hex digits) or a recipient as for `seal -r`.
    #[arg(long = "remove", value_name = "RECIPIENT", required = true)]
    remove: Vec<String>,
    /// The sealed record; stdin if absent.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// Output file; stdout if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    epochs: EpochArgs,
}

/// Arguments of `causeway inspect`.
#[derive(Args)]
pub struct InspectArgs {
    /// The sealed record or stream; stdin if absent.
    #[arg(short, long)]
    input: Option<PathBuf>,
}

fn recipients(list: &[String]) -> Result<Vec<PublicKeys>, CliError> {
    list.iter().map(|r| parse_recipient(r)).collect()
}

fn is_json(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// A JWE in the compact serialization: five base64url parts separated by dots.
fn is_compact_jwe(bytes: &[u8]) -> bool {
    let t = bytes.trim_ascii();
    !t.is_empty()
        && t.iter().filter(|&&b| b == b'.').count() == 4
        && t.iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn sealed_output(sealed: &Sealed, jwe: bool) -> Vec<u8> {
    if jwe {
        let mut s = sealed.to_jwe_json().into_bytes();
        s.push(b'\n');
        s
    } else {
        sealed.to_bytes()
    }
}

fn summary(sealed: &Sealed, what: &str, output: Option<&Path>, json: bool) {
    let recipients: Vec<String> = sealed.recipients().iter().map(KeyId::to_string).collect();
    if json {
        println!(
            "{}",
            json!({
                "action": what,
                "record_id": sealed.record_id().to_string(),
                "epoch": sealed.epoch(),
                "owner": sealed.owner().to_string(),
                "recipients": recipients,
                "output": output.map(|p| p.display().to_string()),
            })
        );
    } else if output.is_some_and(|p| p != Path::new("-")) {
        eprintln!(
            "{what} record {} (epoch {}) for {} recipient(s): {}",
            sealed.record_id(),
            sealed.epoch(),
            recipients.len(),
            recipients.join(", ")
        );
    }
}

fn progress(total: Option<u64>, json: bool) -> ProgressBar {
    if json || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

fn open_input(path: Option<&Path>) -> Result<(Box<dyn Read>, Option<u64>), CliError> {
    match path {
        Some(p) if p != Path::new("-") => {
            let f = fs::File::open(p)
                .map_err(|e| CliError::io(format!("cannot read {}: {e}", p.display())))?;
            let len = f.metadata().ok().map(|m| m.len());
            Ok((Box::new(f), len))
        }
        _ => Ok((Box::new(std::io::stdin()), None)),
    }
}

/// Runs `f` writing into `output` (a temp file, created exclusively under a random name and
/// mode 0600 when `secret`, renamed on success; or stdout).
fn with_output<T>(
    output: Option<&Path>,
    secret: bool,
    f: impl FnOnce(&mut dyn Write) -> Result<T, CliError>,
) -> Result<T, CliError> {
    match output {
        Some(p) if p != Path::new("-") => {
            let (file, tmp) = create_temp(p, secret).map_err(|e| {
                CliError::io(format!("cannot create a file next to {}: {e}", p.display()))
            })?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
            let r = f(&mut w).and_then(|v| {
                let file = w.into_inner().map_err(|e| {
                    CliError::io(format!("cannot write {}: {}", p.display(), e.error()))
                })?;
                file.sync_all()
                    .map_err(|e| CliError::io(format!("cannot write {}: {e}", p.display())))?;
                fs::rename(&tmp, p)
                    .map_err(|e| CliError::io(format!("cannot write {}: {e}", p.display())))?;
                Ok(v)
            });
            if r.is_err() {
                let _ = fs::remove_file(&tmp);
            }
            r
        }
        _ => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            let v = f(&mut lock)?;
            lock.flush()
                .map_err(|e| CliError::io(format!("cannot write stdout: {e}")))?;
            Ok(v)
        }
    }
}

/// `causeway seal`.
pub fn seal(a: SealArgs, json: bool) -> Result<(), CliError> {
    let owner = load_party(&a.key)?;
    let to = recipients(&a.recipients)?;
    if a.stream {
        if a.output.is_none() && std::io::stdout().is_terminal() {
            return Err(
                CliError::input("refusing to write a binary stream to a terminal")
                    .hint("use -o FILE or pipe the output"),
            );
        }
        let (input, total) = open_input(a.input.as_deref())?;
        let bar = progress(total, json);
        let info = with_output(a.output.as_deref(), false, |w| {
            stream::seal_stream(&owner, &to, input, w, &mut |n| bar.set_position(n))
                .map_err(|e| CliError::from(causeway::Error::from(e)))
        })?;
        bar.finish_and_clear();
        if json {
            println!(
                "{}",
                json!({
                    "action": "sealed stream",
                    "record_id": info.record_id.to_string(),
                    "epoch": info.epoch,
                    "owner": info.owner.to_string(),
                    "recipients": info.recipients.iter().map(KeyId::to_string).collect::<Vec<_>>(),
                    "plaintext_bytes": info.plaintext_len,
                })
            );
        } else {
            eprintln!(
                "sealed stream {} ({} bytes) for {} recipient(s)",
                info.record_id,
                info.plaintext_len,
                info.recipients.len()
            );
        }
        return Ok(());
    }
    let input = read_input(a.input.as_deref())?;
    let sealed = if a.bytes {
        Sealed::seal_bytes(&owner, &to, &input)?
    } else {
        let text = std::str::from_utf8(&input).map_err(|_| {
            CliError::input("the record is not UTF-8 JSON").hint("use --bytes for binary input")
        })?;
        let record = Record::from_json(text).map_err(|e| {
            CliError::input(format!("the input is not a valid record: {e}")).hint(
                "a record looks like {\"schema\":\"kyc/v1\",\"fields\":{\"score\":{\"type\":\"int\",\"value\":712}}}; use --bytes for other data",
            )
        })?;
        Sealed::seal_record(&owner, &to, &record)?
    };
    write_output(a.output.as_deref(), &sealed_output(&sealed, a.jwe), !a.jwe)?;
    summary(&sealed, "sealed", a.output.as_deref(), json);
    Ok(())
}

fn write_content(content: Content, output: Option<&Path>) -> Result<(), CliError> {
    match content {
        Content::Record(r) => {
            let mut s = serde_json::to_string_pretty(&r.to_json())
                .map_err(|e| CliError::input(format!("cannot print record: {e}")))?;
            s.push('\n');
            write_output_secret(output, s.as_bytes())
        }
        Content::Bytes(b) => write_output_secret(output, &b),
    }
}

/// A key id (32 hex digits) or a recipient as for `seal -r` (its key id).
fn parse_key_id(s: &str) -> Result<KeyId, CliError> {
    if s.len() == 32 && s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return s
            .parse::<KeyId>()
            .map_err(|e| CliError::input(format!("invalid key id: {e}")));
    }
    Ok(parse_recipient(s)?.key_id())
}

fn open_ledger(path: &Path) -> Result<LocalLedger, CliError> {
    LocalLedger::open(path).map_err(|e| {
        CliError::from(causeway::Error::from(e)).hint(format!(
            "--ledger names the ledger whose receipts record the record's epochs ({})",
            path.display()
        ))
    })
}

/// The hint for a refused stale copy (core's messages name no commands).
fn stale_hint(e: CliError, code: Option<&str>) -> CliError {
    if code == Some("seal.stale_epoch") {
        e.hint("a store gave back an older copy of this record (for instance from before a revocation); use the newest copy (its hash is in the latest ledger receipt)")
    } else {
        e
    }
}

fn open_error(e: causeway::error::OpenError) -> CliError {
    let code = e.code();
    let hint = match code {
        "seal.wrong_owner" => Some("the record was sealed by another party than --expect-owner"),
        "seal.unauthenticated" => Some("format version 1 records and JWEs from other libraries carry no owner signature; --expect-owner cannot hold for them"),
        _ => None,
    };
    let c = stale_hint(CliError::from(e), Some(code));
    match hint {
        Some(h) => c.hint(h),
        None => c,
    }
}

/// Opening the owner's own record, which the owner signed: warn when it is not signed.
fn warn_unsigned(owner: &Owner, what: &str) {
    if let Owner::Claimed(k) = owner {
        eprintln!(
            "warning: {what}format version 1 (no owner signature): the owner {k} and the recipient list are not authenticated"
        );
    }
}

/// `causeway open`.
pub fn open(a: OpenArgs, json: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    let expect_owner = a.expect_owner.as_deref().map(parse_key_id).transpose()?;
    let ledger = a.ledger.as_deref().map(open_ledger).transpose()?;
    let options = OpenOptions {
        expect_owner,
        known_epochs: ledger.as_ref().map(|l| l as &dyn KnownEpochs),
    };
    let (input, total) = open_input(a.input.as_deref())?;
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let head = reader
        .fill_buf()
        .map_err(|e| CliError::io(format!("cannot read input: {e}")))?;
    if stream::is_stream(head) {
        let bar = progress(total, json);
        let to_stdout = a.output.as_deref().is_none_or(|p| p == Path::new("-"));
        let info = if to_stdout {
            // Held back until the trailer verified: a truncated or changed stream writes
            // nothing to stdout.
            let mut spool = Spool::new();
            let info = stream::open_stream_with(
                &party,
                &mut reader,
                &mut spool,
                &mut |n| bar.set_position(n),
                &options,
            )
            .map_err(open_error)?;
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            spool
                .release(&mut lock)
                .map_err(|e| CliError::io(format!("cannot write stdout: {e}")))?;
            info
        } else {
            with_output(a.output.as_deref(), true, |w| {
                stream::open_stream_with(
                    &party,
                    &mut reader,
                    w,
                    &mut |n| bar.set_position(n),
                    &options,
                )
                .map_err(open_error)
            })?
        };
        bar.finish_and_clear();
        if !info.signed {
            eprintln!(
                "warning: stream format version 1 (no owner signature): the owner {} and the recipient list are not authenticated",
                info.owner
            );
        }
        if json {
            println!(
                "{}",
                json!({"action": "opened stream", "record_id": info.record_id.to_string(), "epoch": info.epoch, "plaintext_bytes": info.plaintext_len, "owner_signed": info.signed})
            );
        }
        return Ok(());
    }
    let mut bytes = Vec::new();
    reader
        .take(crate::io::MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::io(format!("cannot read input: {e}")))?;
    if bytes.len() as u64 > crate::io::MAX_INPUT {
        return Err(CliError::input("input too large for a sealed record"));
    }
    let Opened {
        format,
        owner,
        content,
        record_id,
        epoch,
        version,
    } = seal::open_any(&bytes, &party, &options).map_err(open_error)?;
    warn_unsigned(&owner, "");
    write_content(content, a.output.as_deref())?;
    if json {
        println!(
            "{}",
            json!({
                "action": "opened",
                "format": format.as_str(),
                "version": version,
                "record_id": record_id.map(|r| r.to_string()),
                "epoch": epoch,
                "owner": match owner { Owner::Signed(k) | Owner::Claimed(k) => Some(k.to_string()), Owner::None => None },
                "owner_signed": matches!(owner, Owner::Signed(_)),
            })
        );
    }
    Ok(())
}

/// Loads a sealed record to re-wrap (grant, revoke, reseal). For grant and revoke its recipient
/// list is used, so it must be authenticated: a version-2 object whose owner signature verifies
/// (`allow_v1` is for reseal, which takes an explicit list). Version-1 objects and foreign JWEs
/// (made by other JOSE libraries) carry no owner signature and are refused with a hint (issue
/// 11 item 2, `docs/decisions/0025-sealed-record-owner-signature.md`).
fn load_sealed(input: Option<&Path>, allow_v1: bool) -> Result<(Sealed, bool), CliError> {
    let bytes = read_input(input)?;
    if stream::is_stream(&bytes) {
        return Err(CliError::input("this is a sealed stream").hint(
            "streams are re-sealed, not granted: open it and seal it again for the new recipient set",
        ));
    }
    let sealed = match Sealed::from_any(&bytes) {
        Ok(s) => s,
        Err(e) if is_compact_jwe(&bytes) || is_json(&bytes) => {
            return Err(CliError::from(e).hint(
                "if this is a JWE made by another JOSE library: it has no owner signature, so its recipient list cannot be trusted; open it and seal it again (`causeway open`, then `causeway seal -r ...` with the recipients you choose)",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    if !sealed.is_signed() {
        if allow_v1 {
            eprintln!(
                "warning: upgrading a format version 1 record: check its hash against your ledger receipt first, its content is only checked by its key commitment"
            );
            return Ok((sealed, is_json(&bytes)));
        }
        return Err(CliError::input(
            "this sealed record is format version 1: its recipient list is not authenticated, so it cannot be granted or revoked from",
        )
        .hint("open it and seal it again for the recipients you choose (`causeway open`, then `causeway seal -r ...`), or `causeway reseal -r ...` it"));
    }
    sealed.verify().map_err(|_| {
        CliError::denied("the sealed record's owner signature does not verify: it was changed after the owner sealed it")
            .hint("do not grant or revoke from it; fetch the owner's copy (its hash is in the ledger receipt)")
    })?;
    Ok((sealed, is_json(&bytes)))
}

/// The owner's epoch state file: `--epoch-state`, else `$CAUSEWAY_EPOCH_STATE`, else the key
/// file's path with `.epochs` appended.
fn epoch_state_path(key: &Path, arg: Option<&Path>) -> PathBuf {
    if let Some(p) = arg {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("CAUSEWAY_EPOCH_STATE").filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    let mut name = key.as_os_str().to_os_string();
    name.push(".epochs");
    PathBuf::from(name)
}

/// The newest epochs known to a grant, revoke or reseal: the owner's state file and, if given,
/// the ledger. Either knowing a newer epoch makes a copy stale.
struct Known {
    state_path: PathBuf,
    book: EpochBook,
    ledger: Option<LocalLedger>,
}

impl KnownEpochs for Known {
    fn newest_epoch(
        &self,
        record: &RecordId,
        owners: &[KeyId],
    ) -> Result<Option<u32>, LedgerError> {
        let from_ledger = match &self.ledger {
            Some(l) => l.newest_epoch(record, owners)?,
            None => None,
        };
        Ok(self.book.get(record).max(from_ledger))
    }
}

impl Known {
    fn load(key: &Path, a: &EpochArgs) -> Result<Known, CliError> {
        let state_path = epoch_state_path(key, a.epoch_state.as_deref());
        let book = match read_private_file(&state_path, seal::MAX_BOOK_TEXT as u64)? {
            None => EpochBook::new(),
            Some(bytes) => {
                let text = std::str::from_utf8(&bytes).map_err(|_| {
                    CliError::input(format!(
                        "{} is not an epoch state file",
                        state_path.display()
                    ))
                })?;
                EpochBook::from_text(text).map_err(|e| {
                    CliError::input(format!(
                        "{} is not a usable epoch state file: {e}",
                        state_path.display()
                    ))
                })?
            }
        };
        let ledger = a.ledger.as_deref().map(open_ledger).transpose()?;
        Ok(Known {
            state_path,
            book,
            ledger,
        })
    }

    /// Records the epochs of what was read and written (only ever raising an entry) and saves
    /// the state file (0600, written to a fresh exclusive temp file and renamed over the old
    /// one, so a symlink there is replaced, never followed).
    fn save(mut self, seen: &[&Sealed]) -> Result<(), CliError> {
        let mut changed = false;
        for s in seen {
            changed |= self.book.observe_sealed(s)?;
        }
        if !changed {
            return Ok(());
        }
        write_atomic_secret(&self.state_path, self.book.to_text().as_bytes()).map_err(|e| {
            e.hint(format!(
                "the output was written, but the epoch state {} was not updated: fix it (or pass --epoch-state) and re-run the command on the new output",
                self.state_path.display()
            ))
        })
    }
}

fn check_fresh(sealed: &Sealed, owner: &Party, known: &Known) -> Result<(), CliError> {
    sealed.check_fresh_as(owner, known).map_err(|e| {
        let code = e.code();
        stale_hint(CliError::from(e), Some(code))
    })
}

/// `causeway grant`.
pub fn grant(a: GrantArgs, json: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    let known = Known::load(&a.key, &a.epochs)?;
    let (input, jwe) = load_sealed(a.input.as_deref(), false)?;
    check_fresh(&input, &party, &known)?;
    let mut sealed = input.clone();
    for r in recipients(&a.recipients)? {
        sealed = sealed.grant(&party, &r)?;
    }
    write_output(a.output.as_deref(), &sealed_output(&sealed, jwe), !jwe)?;
    known.save(&[&input, &sealed])?;
    summary(&sealed, "granted", a.output.as_deref(), json);
    Ok(())
}

/// `causeway revoke`.
pub fn revoke(a: RevokeArgs, json: bool) -> Result<(), CliError> {
    let party: Party = load_party(&a.key)?;
    let known = Known::load(&a.key, &a.epochs)?;
    let (input, jwe) = load_sealed(a.input.as_deref(), false)?;
    check_fresh(&input, &party, &known)?;
    let mut sealed = input.clone();
    for r in &a.remove {
        let id = parse_key_id(r)?;
        if !sealed.recipients().contains(&id) {
            return Err(CliError::input(format!(
                "{id} is not a recipient of this record"
            )));
        }
        sealed = sealed.revoke(&party, &id)?;
    }
    write_output(a.output.as_deref(), &sealed_output(&sealed, jwe), !jwe)?;
    known.save(&[&input, &sealed])?;
    summary(&sealed, "revoked; re-sealed", a.output.as_deref(), json);
    Ok(())
}

/// `causeway reseal`.
pub fn reseal(a: ResealArgs, json: bool) -> Result<(), CliError> {
    let party: Party = load_party(&a.key)?;
    let known = Known::load(&a.key, &a.epochs)?;
    let (input, jwe) = load_sealed(a.input.as_deref(), true)?;
    check_fresh(&input, &party, &known)?;
    let sealed = input.reseal(&party, &recipients(&a.recipients)?)?;
    write_output(a.output.as_deref(), &sealed_output(&sealed, jwe), !jwe)?;
    known.save(&[&input, &sealed])?;
    summary(&sealed, "re-sealed", a.output.as_deref(), json);
    Ok(())
}

/// `causeway inspect`.
pub fn inspect(a: InspectArgs, json: bool) -> Result<(), CliError> {
    let (input, _) = open_input(a.input.as_deref())?;
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let head = reader
        .fill_buf()
        .map_err(|e| CliError::io(format!("cannot read input: {e}")))?;
    let v = if stream::is_stream(head) {
        let info = stream::inspect_stream(&mut reader)?;
        json!({
            "kind": "sealed stream",
            "record_id": info.record_id.to_string(),
            "epoch": info.epoch,
            "owner": info.owner.to_string(),
            "recipients": info.recipients.iter().map(KeyId::to_string).collect::<Vec<_>>(),
            "owner_signature": if info.signed {
                "valid (header; the whole stream is checked when it is opened)"
            } else {
                "none (version 1: owner and recipient list not authenticated)"
            },
        })
    } else {
        let mut bytes = Vec::new();
        reader
            .take(crate::io::MAX_INPUT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::io(format!("cannot read input: {e}")))?;
        Sealed::from_any(&bytes)?.inspect()
    };
    if json {
        println!("{v}");
    } else {
        let text = serde_json::to_string_pretty(&v)
            .map_err(|e| CliError::input(format!("cannot print: {e}")))?;
        println!("{text}");
    }
    Ok(())
}
