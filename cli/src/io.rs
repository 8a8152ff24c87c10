//! Input and output helpers: files or stdin/stdout, atomic writes, recipient parsing.

use crate::CliError;
use causeway::party::{Party, PublicKeys, MAX_KEY_TEXT};
use std::fs;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

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

/// [`create_temp`] opened for reading too, mode 0600 (a private spool file).
fn create_temp_rw(p: &Path) -> std::io::Result<(fs::File, PathBuf)> {
    let mut last = None;
    for _ in 0..8 {
        let tmp = temp_path(p);
        let mut o = fs::OpenOptions::new();
        o.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        match o.open(&tmp) {
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
/// key file (its public keys are used). The parsing is core's [`PublicKeys::from_any_text`];
/// a file is read only up to its size limit.
pub fn parse_recipient(s: &str) -> Result<PublicKeys, CliError> {
    if s.len() >= 6 && s.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("cwpub1")) {
        return PublicKeys::from_any_text(s)
            .map_err(|e| CliError::input(format!("recipient {}: {e}", short(s))));
    }
    let p = Path::new(s);
    let text = read_text_limited(p, MAX_KEY_TEXT).map_err(|e| {
        CliError::input(format!(
            "recipient {}: not a cwpub1… key and not a readable key file ({e})",
            short(s)
        ))
    })?;
    PublicKeys::from_any_text(&text).map_err(|e| {
        CliError::input(format!("recipient {}: {e}", p.display()))
            .hint("give `cwpub1…` text (`causeway pubkey -k KEY`), a public JWK set or a key file")
    })
}

/// Reads a UTF-8 text file of at most `max` bytes.
fn read_text_limited(p: &Path, max: usize) -> std::io::Result<String> {
    let f = fs::File::open(p)?;
    let mut buf = Vec::new();
    f.take(max as u64 + 1).read_to_end(&mut buf)?;
    if buf.len() > max {
        return Err(std::io::Error::other(format!("larger than {max} bytes")));
    }
    String::from_utf8(buf).map_err(|_| std::io::Error::other("not UTF-8 text"))
}

/// Reads a private state file of at most `max` bytes, refusing to follow a symlink at `p` (or
/// read anything but a regular file): `Ok(None)` when there is no file.
pub fn read_private_file(p: &Path, max: u64) -> Result<Option<Vec<u8>>, CliError> {
    let meta = match fs::symlink_metadata(p) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(CliError::io(format!("cannot read {}: {e}", p.display()))),
    };
    if !meta.file_type().is_file() {
        return Err(CliError::input(format!(
            "{} is not a regular file (a symlink or another kind of file): refusing to use it",
            p.display()
        )));
    }
    let f =
        fs::File::open(p).map_err(|e| CliError::io(format!("cannot read {}: {e}", p.display())))?;
    #[cfg(unix)]
    {
        // The file opened is the one checked (not swapped for a symlink in between).
        use std::os::unix::fs::MetadataExt;
        let opened = f
            .metadata()
            .map_err(|e| CliError::io(format!("cannot read {}: {e}", p.display())))?;
        if opened.dev() != meta.dev() || opened.ino() != meta.ino() {
            return Err(CliError::input(format!(
                "{} changed while it was read: refusing to use it",
                p.display()
            )));
        }
    }
    let mut buf = Vec::new();
    f.take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| CliError::io(format!("cannot read {}: {e}", p.display())))?;
    if buf.len() as u64 > max {
        return Err(CliError::input(format!(
            "{} is larger than {max} bytes",
            p.display()
        )));
    }
    Ok(Some(buf))
}

/// Most plaintext a [`Spool`] keeps in memory before it moves to a temporary file.
pub const SPOOL_MEMORY: usize = 8 * 1024 * 1024;

/// Bytes read back from a spool file at a time.
const SPOOL_READ: usize = 1 << 20;

/// Holds output back until it is known to be good (a stream's trailer verified): in memory up
/// to [`SPOOL_MEMORY`] bytes, then in a temporary file created exclusively with mode 0600 in
/// the system temp directory (on unix unlinked at once, so nothing is left behind whatever
/// happens). [`Spool::release`] copies it out; dropping it discards it.
///
/// Nothing of the plaintext is left behind in the clear: the memory buffer is wiped when it
/// grows (a larger buffer is allocated and the old one zeroized, never reallocated in place
/// by `Vec`) and when dropped; the file holds the plaintext sealed as a Causeway stream
/// (AES-256-GCM chunks, core's push API) for a throwaway party whose keys exist only in this
/// process's memory, so the temp directory (a disk, a swap-backed tmpfs, a backup) never sees
/// it. Reading it back checks every chunk and the stream's signature.
pub struct Spool {
    mem: Zeroizing<Vec<u8>>,
    file: Option<SpoolFile>,
    limit: usize,
    dir: PathBuf,
}

struct SpoolFile {
    file: fs::File,
    /// Empty on unix (unlinked at once); else removed on drop.
    path: PathBuf,
    /// The throwaway party the file is sealed for.
    party: causeway::party::Party,
    sealer: causeway::seal::stream::StreamSealer,
}

impl Spool {
    /// An empty spool.
    pub fn new() -> Self {
        Self::with_limit(SPOOL_MEMORY)
    }

    /// An empty spool keeping at most `limit` bytes in memory.
    pub fn with_limit(limit: usize) -> Self {
        Self::with_limit_in(limit, std::env::temp_dir())
    }

    /// [`Spool::with_limit`], spilling into `dir`.
    pub fn with_limit_in(limit: usize, dir: PathBuf) -> Self {
        Spool {
            mem: Zeroizing::new(Vec::new()),
            file: None,
            limit,
            dir,
        }
    }

    /// Whether the spool moved to a temporary file.
    #[cfg(test)]
    pub fn on_disk(&self) -> bool {
        self.file.is_some()
    }

    /// The bytes written to the spool file so far (through its open handle).
    #[cfg(test)]
    fn disk_bytes(&mut self) -> std::io::Result<Vec<u8>> {
        use std::io::Seek as _;
        let mut out = Vec::new();
        if let Some(sf) = self.file.as_mut() {
            let mut f = sf.file.try_clone()?;
            let pos = f.stream_position()?;
            f.seek(std::io::SeekFrom::Start(0))?;
            f.read_to_end(&mut out)?;
            f.seek(std::io::SeekFrom::Start(pos))?;
        }
        Ok(out)
    }

    fn spill(&mut self) -> std::io::Result<()> {
        let base = self.dir.join("causeway-open");
        let (mut file, path) = create_temp_rw(&base)?;
        #[cfg(unix)]
        let path = {
            // Unlinked right away: the open handle is all that is left.
            fs::remove_file(&path)?;
            PathBuf::new()
        };
        let party = causeway::party::Party::generate().map_err(std::io::Error::other)?;
        let mut sealer = causeway::seal::stream::StreamSealer::new(&party, &[])
            .map_err(std::io::Error::other)?;
        file.write_all(&sealer.push(&self.mem).map_err(std::io::Error::other)?)?;
        self.mem = Zeroizing::new(Vec::new());
        self.file = Some(SpoolFile {
            file,
            path,
            party,
            sealer,
        });
        Ok(())
    }

    /// Writes everything held to `out`, then discards it.
    pub fn release(mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(sf) = self.file.take() {
            use std::io::Seek as _;
            let SpoolFile {
                mut file,
                path,
                party,
                sealer,
            } = sf;
            let r = (|| -> std::io::Result<()> {
                let (tail, _) = sealer.finish().map_err(std::io::Error::other)?;
                file.write_all(&tail)?;
                file.flush()?;
                file.seek(std::io::SeekFrom::Start(0))?;
                let mut opener = causeway::seal::stream::StreamOpener::new(&party);
                let mut buf = Zeroizing::new(vec![0u8; SPOOL_READ]);
                loop {
                    let n = file.read(&mut buf[..])?;
                    if n == 0 {
                        break;
                    }
                    let plain = Zeroizing::new(
                        opener
                            .push(buf.get(..n).unwrap_or(&[]))
                            .map_err(std::io::Error::other)?,
                    );
                    out.write_all(&plain)?;
                }
                let (tail, _) = opener.finish().map_err(std::io::Error::other)?;
                out.write_all(&Zeroizing::new(tail))
            })();
            if !path.as_os_str().is_empty() {
                let _ = fs::remove_file(&path);
            }
            r?;
        } else {
            out.write_all(&self.mem)?;
        }
        out.flush()
    }
}

impl Default for Spool {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(sf) = self.file.as_mut() {
            let sealed = sf.sealer.push(buf).map_err(std::io::Error::other)?;
            sf.file.write_all(&sealed)?;
            return Ok(buf.len());
        }
        let needed = self.mem.len().saturating_add(buf.len());
        if needed > self.limit {
            self.spill()?;
            return self.write(buf);
        }
        if needed > self.mem.capacity() {
            // Grow into a new buffer and wipe the old one (Vec's own growth would free it
            // unwiped).
            let cap = needed
                .max(self.mem.capacity().saturating_mul(2))
                .min(self.limit);
            let mut bigger = Zeroizing::new(Vec::with_capacity(cap));
            bigger.extend_from_slice(&self.mem);
            self.mem = bigger;
        }
        self.mem.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.file.as_mut() {
            Some(sf) => sf.file.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        // `mem` is zeroized by `Zeroizing`; the file is sealed, and its name is removed.
        if let Some(sf) = self.file.take() {
            if !sf.path.as_os_str().is_empty() {
                let _ = fs::remove_file(&sf.path);
            }
        }
    }
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

    #[test]
    fn a_spool_holds_back_in_memory_then_in_a_private_file() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut small = Spool::with_limit(1 << 20);
        small.write_all(&data).unwrap();
        assert!(!small.on_disk());
        let mut out = Vec::new();
        small.release(&mut out).unwrap();
        assert_eq!(out, data);
        let mut big = Spool::with_limit(1000);
        for c in data.chunks(333) {
            big.write_all(c).unwrap();
        }
        assert!(big.on_disk());
        // unlinked at once: no file name of ours in the temp directory
        let ours = fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("causeway-open.causeway-tmp-")
            });
        assert!(!ours);
        let mut out = Vec::new();
        big.release(&mut out).unwrap();
        assert_eq!(out, data);
        let dropped = {
            let mut s = Spool::with_limit(10);
            s.write_all(&data).unwrap();
            s.on_disk()
        };
        assert!(dropped);
        // the dropped spool's file is gone (in a directory of its own, to be sure of it)
        let own = tempfile::tempdir().unwrap();
        {
            let mut s = Spool::with_limit_in(10, own.path().to_path_buf());
            s.write_all(&data).unwrap();
            assert!(s.on_disk());
        }
        assert_eq!(
            fs::read_dir(own.path()).unwrap().count(),
            0,
            "temp file left"
        );
    }

    /// Review of c6e3057, item 7: past the memory limit the plaintext went to the temp
    /// directory in the clear. The spool file now holds it sealed for a throwaway party (no
    /// plaintext run on disk), it reads back exactly, and a dropped spool leaves no file.
    #[test]
    fn a_spool_file_holds_no_plaintext_and_nothing_is_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let secret: Vec<u8> = b"account 1234-5678, balance 1000000; "
            .iter()
            .copied()
            .cycle()
            .take(300_000)
            .collect();
        let mut sp = Spool::with_limit_in(1000, dir.path().to_path_buf());
        for c in secret.chunks(4097) {
            sp.write_all(c).unwrap();
        }
        assert!(sp.on_disk());
        let disk = sp.disk_bytes().unwrap();
        assert!(disk.len() > 1000, "{}", disk.len());
        assert!(
            !disk
                .windows(16)
                .any(|w| secret.windows(16).take(36).any(|p| p == w)),
            "plaintext on disk"
        );
        // unlinked at once
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut out = Vec::new();
        sp.release(&mut out).unwrap();
        assert_eq!(out, secret);
        // dropped without release: nothing left in the directory
        {
            let mut sp = Spool::with_limit_in(10, dir.path().to_path_buf());
            sp.write_all(&secret).unwrap();
            assert!(sp.on_disk());
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        // in memory, growth keeps the content (buffers are replaced, not reallocated)
        let mut m = Spool::with_limit_in(1 << 20, dir.path().to_path_buf());
        for c in secret.chunks(1000).take(200) {
            m.write_all(c).unwrap();
        }
        assert!(!m.on_disk());
        let mut out = Vec::new();
        m.release(&mut out).unwrap();
        assert_eq!(out, &secret[..200_000]);
    }
}
