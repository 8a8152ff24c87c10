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
    write_output_mode(path, data, binary, false)
}

/// [`write_output`] for secrets: a file is created with mode 0600 ([`write_atomic_secret`]).
pub fn write_output_secret(path: Option<&Path>, data: &[u8]) -> Result<(), CliError> {
    write_output_mode(path, data, false, true)
}

fn write_output_mode(
    path: Option<&Path>,
    data: &[u8],
    binary: bool,
    secret: bool,
) -> Result<(), CliError> {
    match path {
        Some(p) if p != Path::new("-") => write_atomic_mode(p, data, secret),
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

/// A temporary path next to `p` with an unpredictable name (16 random bytes, hex).
pub fn temp_path(p: &Path) -> PathBuf {
    use rand_core::RngCore as _;
    let mut r = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut r);
    let mut name = p.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".causeway-tmp-{}", hex::encode(r)));
    p.with_file_name(name)
}

/// Creates `path` exclusively (`O_CREAT | O_EXCL`, so an existing file or symlink there,
/// dangling or not, is an error and never followed), with mode 0600 from the start when
/// `secret` (unix).
pub fn create_exclusive(path: &Path, secret: bool) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        if secret {
            o.mode(0o600);
        }
    }
    #[cfg(not(unix))]
    let _ = secret;
    o.open(path)
}

/// Creates a fresh temp file next to `p` (see [`temp_path`], [`create_exclusive`]), trying a
/// few random names.
pub fn create_temp(p: &Path, secret: bool) -> std::io::Result<(fs::File, PathBuf)> {
    let mut last = None;
    for _ in 0..8 {
        let tmp = temp_path(p);
        match create_exclusive(&tmp, secret) {
            Ok(f) => return Ok((f, tmp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary file name available")))
}

/// Writes via a temp file and renames, so a failed run never leaves partial output.
pub fn write_atomic(p: &Path, data: &[u8]) -> Result<(), CliError> {
    write_atomic_mode(p, data, false)
}

/// [`write_atomic`] for secrets (key files, attested records, opened plaintext): the file is
/// created with mode 0600 (unix), so it is never readable by others, not even briefly.
pub fn write_atomic_secret(p: &Path, data: &[u8]) -> Result<(), CliError> {
    write_atomic_mode(p, data, true)
}

fn write_atomic_mode(p: &Path, data: &[u8], secret: bool) -> Result<(), CliError> {
    let (mut f, tmp) = create_temp(p, secret)
        .map_err(|e| CliError::io(format!("cannot write {}: {e}", p.display())))?;
    let r = (|| -> std::io::Result<()> {
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

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn secrets_are_created_0600_and_temp_names_are_random() {
        // Issue 11 item 14.
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("party.key");
        write_atomic_secret(&p, b"CW-SECRET-1...").unwrap();
        assert_eq!(mode(&p), 0o600);
        assert_eq!(fs::read(&p).unwrap(), b"CW-SECRET-1...");
        // overwriting keeps 0600 (a new file is renamed over the old one)
        write_atomic_secret(&p, b"again").unwrap();
        assert_eq!(mode(&p), 0o600);
        assert_ne!(temp_path(&p), temp_path(&p));
        // no temp file left behind
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn planted_symlinks_are_not_followed() {
        // Issue 11 item 14: the old temp name was `<file>.causeway-tmp-<pid>`; a symlink
        // planted there made the write land in its target.
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("victim");
        fs::write(&target, b"untouched").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
        let p = d.path().join("out.att");
        let mut old_name = p.file_name().unwrap().to_os_string();
        old_name.push(format!(".causeway-tmp-{}", std::process::id()));
        std::os::unix::fs::symlink(&target, p.with_file_name(old_name)).unwrap();
        write_atomic_secret(&p, b"secret").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"untouched");
        assert_eq!(mode(&target), 0o644);
        assert_eq!(fs::read(&p).unwrap(), b"secret");
        assert!(!fs::symlink_metadata(&p).unwrap().file_type().is_symlink());
        assert_eq!(mode(&p), 0o600);
        // exclusive creation refuses a symlink at the very name it is given
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = create_exclusive(&link, true).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        let dangling = d.path().join("dangling");
        std::os::unix::fs::symlink(d.path().join("nowhere"), &dangling).unwrap();
        assert!(create_exclusive(&dangling, true).is_err());
        assert!(!d.path().join("nowhere").exists());
        assert_eq!(fs::read(&target).unwrap(), b"untouched");
    }
}
