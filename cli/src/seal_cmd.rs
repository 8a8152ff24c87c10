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
use causeway::wire::{sniff, Form};
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
    /// Accept a format version 1 input (no owner signature) and sign it as yours in version 2.
    /// Its content, record id and epoch are not authenticated: anyone can make such an object
    /// naming your record. With --ledger, the input's hash must be named by one of your
    /// ledger receipts; without it, compare the hash yourself first.
    #[arg(long)]
    upgrade_v1: bool,
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

fn sealed_output(sealed: &Sealed, jwe: bool) -> Vec<u8> {
    if jwe {
        let mut s = sealed.to_jwe_json().into_bytes();
        s.push(b'\n');
        s
    } else {
        sealed.to_bytes()
    }
}

/// Whether the command's output (`-o`) goes to stdout.
fn to_stdout(output: Option<&Path>) -> bool {
    output.is_none_or(|p| p == Path::new("-"))
}

/// Prints a `--json` summary: on stdout, unless the command's output itself went to stdout
/// (plaintext, a sealed object), where a JSON line after it would corrupt it; then on stderr.
fn print_json(v: &serde_json::Value, output: Option<&Path>) {
    if to_stdout(output) {
        eprintln!("{v}");
    } else {
        println!("{v}");
    }
}

fn summary(sealed: &Sealed, what: &str, output: Option<&Path>, json: bool) {
    let recipients: Vec<String> = sealed.recipients().iter().map(KeyId::to_string).collect();
    if json {
        print_json(
            &json!({
                "action": what,
                "record_id": sealed.record_id().to_string(),
                "epoch": sealed.epoch(),
                "owner": sealed.owner().to_string(),
                "recipients": recipients,
                "output": output.map(|p| p.display().to_string()),
            }),
            output,
        );
    } else if !to_stdout(output) {
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
            print_json(
                &json!({
                    "action": "sealed stream",
                    "record_id": info.record_id.to_string(),
                    "epoch": info.epoch,
                    "owner": info.owner.to_string(),
                    "recipients": info.recipients.iter().map(KeyId::to_string).collect::<Vec<_>>(),
                    "plaintext_bytes": info.plaintext_len,
                }),
                a.output.as_deref(),
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
        "seal.unauthenticated" => Some("format version 1 records and JWEs from other libraries carry no owner signature; --expect-owner and --ledger cannot hold for them (open without them to read it, knowing its owner and epoch are unchecked)"),
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
        let info = if to_stdout(a.output.as_deref()) {
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
            print_json(
                &json!({"action": "opened stream", "record_id": info.record_id.to_string(), "epoch": info.epoch, "plaintext_bytes": info.plaintext_len, "owner_signed": info.signed}),
                a.output.as_deref(),
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
        print_json(
            &json!({
                "action": "opened",
                "format": format.as_str(),
                "version": version,
                "record_id": record_id.map(|r| r.to_string()),
                "epoch": epoch,
                "owner": match owner { Owner::Signed(k) | Owner::Claimed(k) => Some(k.to_string()), Owner::None => None },
                "owner_signed": matches!(owner, Owner::Signed(_)),
            }),
            a.output.as_deref(),
        );
    }
    Ok(())
}

/// Loads a sealed record to re-wrap (grant, revoke, reseal). For grant and revoke its recipient
/// list is used, so it must be authenticated: a version-2 object whose owner signature verifies
/// (`allow_v1` is for `reseal --upgrade-v1`, which takes an explicit list). Version-1 objects
/// and foreign JWEs (made by other JOSE libraries) carry no owner signature and are refused
/// with a hint (issue 11 item 2, `docs/decisions/0025-sealed-record-owner-signature.md`).
/// Returns the object and whether it came as JWE JSON (the output keeps the form).
fn load_sealed(input: Option<&Path>, v1: V1) -> Result<(Sealed, bool), CliError> {
    let bytes = read_input(input)?;
    if stream::is_stream(&bytes) {
        return Err(CliError::input("this is a sealed stream").hint(
            "streams are re-sealed, not granted: open it and seal it again for the new recipient set",
        ));
    }
    let form = sniff(&bytes);
    let sealed = match Sealed::from_any(&bytes) {
        Ok(s) => s,
        Err(e) if form != Form::Binary => {
            return Err(CliError::from(e).hint(
                "if this is a JWE made by another JOSE library: it has no owner signature, so its recipient list cannot be trusted; open it and seal it again (`causeway open`, then `causeway seal -r ...` with the recipients you choose)",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let jwe = form == Form::Json;
    if !sealed.is_signed() {
        return match v1 {
            V1::Upgrade => Ok((sealed, jwe)),
            V1::Offer => Err(CliError::input(
                "this sealed record is format version 1: its content, record id, epoch and recipient list are not authenticated (anyone can make one naming your record)",
            )
            .hint("if it is a record you sealed with an older version, pass --upgrade-v1 (with --ledger, its hash must match one of your receipts); otherwise open it and seal it again (`causeway open`, then `causeway seal -r ...`)")),
            V1::Refuse => Err(CliError::input(
                "this sealed record is format version 1: its recipient list is not authenticated, so it cannot be granted or revoked from",
            )
            .hint("open it and seal it again for the recipients you choose (`causeway open`, then `causeway seal -r ...`), or `causeway reseal --upgrade-v1 -r ...` it")),
        };
    }
    sealed.verify().map_err(|_| {
        CliError::denied("the sealed record's owner signature does not verify: it was changed after the owner sealed it")
            .hint("do not grant or revoke from it; fetch the owner's copy (its hash is in the ledger receipt)")
    })?;
    Ok((sealed, jwe))
}

/// What [`load_sealed`] does with a version-1 (unsigned) input.
#[derive(Clone, Copy, PartialEq, Eq)]
enum V1 {
    /// Refuse (grant, revoke: the stored list would be used).
    Refuse,
    /// Refuse, pointing at `reseal --upgrade-v1`.
    Offer,
    /// Accept (`reseal --upgrade-v1`).
    Upgrade,
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

/// `PATH` with `suffix` appended to its file name.
fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut name = p.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The newest epochs known to a grant, revoke or reseal: the owner's state file and, if given,
/// the ledger. Either knowing a newer epoch makes a copy stale. The state file's lock is held
/// from [`Known::load`] to the end of the command, so concurrent runs on one state file take
/// turns: each reads the state the previous one wrote.
struct Known {
    state_path: PathBuf,
    book: EpochBook,
    ledger: Option<LocalLedger>,
    /// `STATE.lock`, exclusively locked (released when dropped, or when the process ends).
    _lock: fs::File,
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

/// The hint for an epoch state that cannot be used or saved.
fn state_hint(state: &Path) -> String {
    format!(
        "the epoch state {} (and {}.lock beside it) must be a writable regular file in a writable directory; fix that or pass --epoch-state PATH",
        state.display(),
        state.display()
    )
}

/// Reads the state file (strictly; none is an empty book).
fn read_book(state_path: &Path) -> Result<EpochBook, CliError> {
    match read_private_file(state_path, seal::MAX_BOOK_TEXT as u64)? {
        None => Ok(EpochBook::new()),
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
            })
        }
    }
}

/// Opens (creating it 0600 if needed) and exclusively locks `STATE.lock`. A symlink or any
/// other kind of file there is refused. The lock file is never removed (removing it would let
/// two runs lock two different files).
fn lock_state(state_path: &Path) -> Result<fs::File, CliError> {
    let lock_path = with_suffix(state_path, ".lock");
    match fs::symlink_metadata(&lock_path) {
        Ok(m) if !m.file_type().is_file() => {
            return Err(CliError::input(format!(
                "{} is not a regular file (a symlink or another kind of file): refusing to use it",
                lock_path.display()
            )))
        }
        _ => {}
    }
    let mut o = fs::OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(&lock_path).map_err(|e| {
        CliError::io(format!("cannot open {}: {e}", lock_path.display()))
            .hint(state_hint(state_path))
    })?;
    f.lock().map_err(|e| {
        CliError::io(format!("cannot lock {}: {e}", lock_path.display()))
            .hint(state_hint(state_path))
    })?;
    Ok(f)
}

impl Known {
    /// Locks the state, checks that it can be saved (its directory is writable) and reads it;
    /// opens the ledger. All before anything is computed or written.
    fn load(key: &Path, a: &EpochArgs) -> Result<Known, CliError> {
        let state_path = epoch_state_path(key, a.epoch_state.as_deref());
        let lock = lock_state(&state_path)?;
        // Saving writes a temporary file beside the state and renames it: try that now, so
        // that a read-only directory fails before the output is written, not after.
        let (probe, probe_path) = create_temp(&state_path, true).map_err(|e| {
            CliError::io(format!(
                "cannot write beside the epoch state {}: {e}",
                state_path.display()
            ))
            .hint(state_hint(&state_path))
        })?;
        drop(probe);
        let _ = fs::remove_file(&probe_path);
        let book = read_book(&state_path)?;
        let ledger = a.ledger.as_deref().map(open_ledger).transpose()?;
        Ok(Known {
            state_path,
            book,
            ledger,
            _lock: lock,
        })
    }

    /// The state with the epochs of `seen` recorded (only ever raising an entry), computed
    /// before the output is written: a full state is refused here, with nothing written.
    /// `None` when nothing changes. Only signed objects may be passed: the epoch of an
    /// unsigned (version-1) object is anyone's choice and is never recorded.
    fn prepare(&self, seen: &[&Sealed]) -> Result<Option<EpochBook>, CliError> {
        let mut next = self.book.clone();
        let mut changed = false;
        for s in seen {
            changed |= next.observe_sealed(s).map_err(|e| {
                CliError::input(format!(
                    "the epoch state {} cannot record this record: {e}",
                    self.state_path.display()
                ))
                .hint(format!(
                    "it holds the most records it may ({}); nothing was written. Start another state file with --epoch-state PATH (keep the old one for the records it lists)",
                    seal::MAX_BOOK_ENTRIES
                ))
            })?;
        }
        Ok(changed.then_some(next))
    }

    /// Saves `next` (from [`Known::prepare`]): re-reads the state (a run that did not take the
    /// lock may have written it), merges keeping the higher epoch of each record, and writes it
    /// (0600, through a fresh exclusive temp file renamed over the old one, so a symlink there
    /// is replaced, never followed). Called after the output was written.
    fn save(self, next: Option<EpochBook>) -> Result<(), CliError> {
        let Some(mut next) = next else {
            return Ok(());
        };
        let hint = || {
            format!(
                "the output was written, but the epoch state {} was not updated: fix it (or pass --epoch-state) and re-run the command on the new output",
                self.state_path.display()
            )
        };
        let on_disk = read_book(&self.state_path).map_err(|e| e.hint(hint()))?;
        for (rid, epoch) in on_disk.entries() {
            next.observe(rid, epoch)
                .map_err(|e| CliError::input(e.to_string()).hint(hint()))?;
        }
        write_atomic_secret(&self.state_path, next.to_text().as_bytes()).map_err(|e| e.hint(hint()))
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
    // The input is read and checked first: a refused input takes no lock and creates no file.
    let (input, jwe) = load_sealed(a.input.as_deref(), V1::Refuse)?;
    let known = Known::load(&a.key, &a.epochs)?;
    check_fresh(&input, &party, &known)?;
    let mut sealed = input.clone();
    for r in recipients(&a.recipients)? {
        sealed = sealed.grant(&party, &r)?;
    }
    let next = known.prepare(&[&input, &sealed])?;
    write_output(a.output.as_deref(), &sealed_output(&sealed, jwe), !jwe)?;
    known.save(next)?;
    summary(&sealed, "granted", a.output.as_deref(), json);
    Ok(())
}

/// `causeway revoke`.
pub fn revoke(a: RevokeArgs, json: bool) -> Result<(), CliError> {
    let party: Party = load_party(&a.key)?;
    // The input is read and checked first: a refused input takes no lock and creates no file.
    let (input, jwe) = load_sealed(a.input.as_deref(), V1::Refuse)?;
    let known = Known::load(&a.key, &a.epochs)?;
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
    let next = known.prepare(&[&input, &sealed])?;
    write_output(a.output.as_deref(), &sealed_output(&sealed, jwe), !jwe)?;
    known.save(next)?;
    summary(&sealed, "revoked; re-sealed", a.output.as_deref(), json);
    Ok(())
}

/// `causeway reseal`.
///
/// A version-1 input (no owner signature) is taken only with `--upgrade-v1`: the owner is about
/// to sign, under its own record id, content that anyone could have assembled. With `--ledger`,
/// one of the owner's receipts must name the input's exact hash; the state file must not know
/// the record (an owner that already signed an epoch of it has no version-1 copy to upgrade);
/// and the input's epoch (its maker's choice) is never recorded, only the output's.
pub fn reseal(a: ResealArgs, json: bool) -> Result<(), CliError> {
    let party: Party = load_party(&a.key)?;
    let v1 = if a.upgrade_v1 { V1::Upgrade } else { V1::Offer };
    let (input, jwe) = load_sealed(a.input.as_deref(), v1)?;
    let known = Known::load(&a.key, &a.epochs)?;
    check_fresh(&input, &party, &known)?;
    let signed_input = input.is_signed();
    if !signed_input {
        let rid = input.record_id();
        if let Some(e) = known.book.get(&rid) {
            return Err(CliError::denied(format!(
                "refusing to upgrade a version-1 copy of record {rid}: your epoch state records a signed epoch {e} of it, so this unsigned copy is not one you need to upgrade"
            ))
            .hint("re-seal your newest signed copy instead"));
        }
        let owners: Vec<KeyId> = party.all_keys().map(|k| k.public().key_id()).collect();
        match &known.ledger {
            Some(l) => {
                if !l.names_sealed(&input, &owners).map_err(causeway::Error::from)? {
                    return Err(CliError::denied(format!(
                        "no receipt of yours in the ledger names this exact version-1 object (record {rid}, epoch {}, hash {})",
                        input.epoch(),
                        hex::encode(input.ciphertext_hash())
                    ))
                    .hint("it may have been changed or made by someone else; upgrade only the copy your record-sealed (or granted/revoked) receipt names"));
                }
            }
            None => eprintln!(
                "warning: upgrading a format version 1 record without --ledger: its content, record id and epoch are not authenticated; compare its hash {} with your ledger receipt",
                hex::encode(input.ciphertext_hash())
            ),
        }
    }
    let sealed = input.reseal(&party, &recipients(&a.recipients)?)?;
    let next = if signed_input {
        known.prepare(&[&input, &sealed])?
    } else {
        known.prepare(&[&sealed])?
    };
    write_output(a.output.as_deref(), &sealed_output(&sealed, jwe), !jwe)?;
    known.save(next)?;
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
        json!(Sealed::from_any(&bytes)?.inspect())
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
