//! Input and output helpers: files or stdin/stdout, atomic writes, recipient parsing.

use crate::CliError;
use causeway::party::{Party, PublicKeys};
use std::fs;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Largest non-stream input read into memory.
pub const MAX_INPUT: u64 = 256 * 1024 * 1024;

/// Reads all of a file, or stdin for `None`/`-`, refusing more than `MAX_INPUT` bytes.
pub fn read_input(path: Option<&Path>) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    let limit = MAX_INPUT + 1;
    match path {
        Some(p) if p != Path::new("-") => {
            let f = fs::File::open(p)
                .map_err(|e| CliError::io(format!("cannot read {}: {e}", p.display())))?;
            f.take(limit)
                .read_to_end(&mut buf)
                .map_err(|e| CliError::io(format!("cannot read {}: {e}", p.display())))?;
        }
        _ => {
            std::io::stdin()
                .take(limit)
                .read_to_end(&mut buf)
                .map_err(|e| CliError::io(format!("cannot read stdin: {e}")))?;
        }
    }
    if buf.len() as u64 > MAX_INPUT {
        return Err(CliError::input(format!(
            "input is larger than {} MiB",
            MAX_INPUT / (1024 * 1024)
        ))
        .hint("seal large files with `causeway seal --stream`"));
    }
    Ok(buf)
}

/// Writes `data` to a file atomically (temp file + rename), or to stdout for `None`/`-`.
/// Refuses to write binary to a terminal.
pub fn write_output(path: Option<&Path>, data: &[u8], binary: bool) -> Result<(), CliError> {
    match path {
        Some(p) if p != Path::new("-") => write_atomic(p, data),
        _ => {
            let mut out = std::io::stdout().lock();
            if binary && out.is_terminal() {
                return Err(
                    CliError::input("refusing to write binary output to a terminal")
                        .hint("use -o FILE, pipe the output, or --jwe for text"),
                );
            }
            out.write_all(data)
                .and_then(|_| out.flush())
                .map_err(|e| CliError::io(format!("cannot write stdout: {e}")))
        }
    }
}

/// A temporary path next to `p`.
pub fn temp_path(p: &Path) -> PathBuf {
    let mut name = p.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".causeway-tmp-{}", std::process::id()));
    p.with_file_name(name)
}

/// Writes via a temp file and renames, so a failed run never leaves partial output.
pub fn write_atomic(p: &Path, data: &[u8]) -> Result<(), CliError> {
    let tmp = temp_path(p);
    let r = (|| -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        fs::rename(&tmp, p)
    })();
    r.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        CliError::io(format!("cannot write {}: {e}", p.display()))
    })
}

/// Loads a party key file.
pub fn load_party(path: &Path) -> Result<Party, CliError> {
    let text = fs::read_to_string(path)
        .map_err(|e| CliError::io(format!("cannot read key file {}: {e}", path.display())))?;
    Party::from_secret_text(&text).map_err(|e| {
        CliError::input(format!("{} is not a usable key file: {e}", path.display()))
            .hint("create one with `causeway keygen -o FILE`")
    })
}

/// Parses a recipient: `cwpub1…` text, or a file holding `cwpub1…` text, a public JWK set, or a
/// key file (its public keys are used).
pub fn parse_recipient(s: &str) -> Result<PublicKeys, CliError> {
    if s.len() >= 6 && s.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("cwpub1")) {
        return PublicKeys::from_text(s)
            .map_err(|e| CliError::input(format!("recipient {}: {e}", short(s))));
    }
    let p = Path::new(s);
    let text = fs::read_to_string(p).map_err(|e| {
        CliError::input(format!(
            "recipient {}: not a cwpub1… key and not a readable file ({e})",
            short(s)
        ))
    })?;
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        return PublicKeys::from_jwk_set(trimmed)
            .map_err(|e| CliError::input(format!("recipient {}: {e}", p.display())));
    }
    if let Some(line) = trimmed
        .lines()
        .map(str::trim)
        .find(|l| l.get(..6).is_some_and(|x| x.eq_ignore_ascii_case("cwpub1")))
    {
        return PublicKeys::from_text(line)
            .map_err(|e| CliError::input(format!("recipient {}: {e}", p.display())));
    }
    Party::from_secret_text(trimmed)
        .map(|party| party.public())
        .map_err(|_| {
            CliError::input(format!(
                "recipient {}: no public key found in the file",
                p.display()
            ))
        })
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(24).collect();
    if s.chars().count() > 24 {
        out.push('…');
    }
    out
}
