//! Checkpoints: signed tree heads in the C2SP `tlog-checkpoint` format, as C2SP `signed-note`s.
//!
//! ```text
//! <origin>\n
//! <tree size, decimal>\n
//! <root hash, standard base64>\n
//! [extension lines\n]
//! \n
//! — <key name> <base64(key hash (4 bytes) || Ed25519 signature (64 bytes))>\n
//! ```
//!
//! The signature is plain Ed25519 over the note text (everything before the blank line,
//! including its final newline), as the signed-note specification requires, so existing
//! transparency-log tooling (Go's `golang.org/x/mod/sumdb/note`, witnesses) verifies it; the
//! note's first line (the origin) is its domain separation. The key hash is the first four bytes
//! of `SHA-256(name || "\n" || 0x01 || Ed25519 public key)`. Causeway names the key after the
//! log's origin and adds one extension line committing to the attestation revocations
//! (`causeway-revocations <count> <base64 chain head>`, see [`super::revocation`]).

use super::merkle::{Hash, HASH_LEN};
use crate::error::{LedgerError, LogVerifyError};
use crate::party::{PublicKeys, SecretKeys};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Largest note accepted, in bytes.
pub const MAX_NOTE_LEN: usize = 16 * 1024;
/// Most signature lines a note may carry.
pub const MAX_SIGNATURES: usize = 100;
/// Most extension lines a checkpoint may carry.
pub const MAX_EXTENSIONS: usize = 16;
/// Longest origin or key name.
pub const MAX_NAME_LEN: usize = 255;
/// The signed-note signature type byte of Ed25519 keys.
pub const ALG_ED25519: u8 = 0x01;
/// The prefix of Causeway's revocation extension line.
pub const REVOCATIONS_EXTENSION: &str = "causeway-revocations";

const EM_DASH: &str = "\u{2014} ";

/// An unsigned checkpoint: what the log commits to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin (first line), unique per log.
    pub origin: String,
    /// The tree size.
    pub size: u64,
    /// The root hash of the tree of that size.
    pub root: Hash,
    /// Extension lines (non-empty, without newlines), in order.
    pub extensions: Vec<String>,
}

fn malformed(what: &'static str) -> LogVerifyError {
    LogVerifyError::MalformedCheckpoint(what)
}

fn check_name(name: &str) -> Result<(), LogVerifyError> {
    if name.is_empty()
        || name.len() > MAX_NAME_LEN
        || name.contains('+')
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(malformed("key name"));
    }
    Ok(())
}

fn check_line(line: &str) -> Result<(), LogVerifyError> {
    if line.is_empty() || line.chars().any(|c| c.is_control()) {
        return Err(malformed("line"));
    }
    Ok(())
}

/// The signed-note key hash: `SHA-256(name || "\n" || 0x01 || public key)[..4]`.
pub fn key_hash(name: &str, key: &PublicKeys) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([ALG_ED25519]);
    h.update(key.signing().as_bytes());
    let d = h.finalize();
    let mut out = [0u8; 4];
    out.copy_from_slice(d.get(..4).unwrap_or(&[0; 4]));
    out
}

/// The signed-note verifier key text, `<name>+<key hash hex>+<base64(0x01 || public key)>`,
/// as note-verifying tools take it.
pub fn verifier_key(name: &str, key: &PublicKeys) -> String {
    let mut k = vec![ALG_ED25519];
    k.extend_from_slice(key.signing().as_bytes());
    format!(
        "{name}+{}+{}",
        hex::encode(key_hash(name, key)),
        STANDARD.encode(k)
    )
}

impl Checkpoint {
    /// The note text (what is signed).
    pub fn body(&self) -> Result<String, LogVerifyError> {
        check_name(&self.origin).map_err(|_| malformed("origin"))?;
        if self.extensions.len() > MAX_EXTENSIONS {
            return Err(malformed("too many extension lines"));
        }
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        );
        for e in &self.extensions {
            check_line(e)?;
            s.push_str(e);
            s.push('\n');
        }
        Ok(s)
    }

    /// Signs the checkpoint as a signed note under the key name `name` (Causeway uses the
    /// origin).
    pub fn sign(&self, name: &str, keys: &SecretKeys) -> Result<String, LedgerError> {
        check_name(name)?;
        let body = self.body()?;
        let sig = keys.sign(body.as_bytes());
        let mut blob = key_hash(name, &keys.public()).to_vec();
        blob.extend_from_slice(&sig);
        Ok(format!(
            "{body}\n{EM_DASH}{name} {}\n",
            STANDARD.encode(blob)
        ))
    }

    /// Parses a signed checkpoint without checking any signature (to inspect it).
    pub fn parse_unverified(note: &str) -> Result<Checkpoint, LogVerifyError> {
        let (text, _) = split_note(note)?;
        parse_body(text)
    }

    /// Parses a signed checkpoint and verifies it: at least one signature line for `name`
    /// carries `key`'s key hash and a valid (strict) Ed25519 signature, and no such line carries
    /// an invalid one. Lines of other keys are ignored, as the signed-note format requires.
    pub fn open(note: &str, name: &str, key: &PublicKeys) -> Result<Checkpoint, LogVerifyError> {
        check_name(name)?;
        let (text, sigs) = split_note(note)?;
        let want = key_hash(name, key);
        let mut verified = false;
        for line in sigs.split_terminator('\n') {
            let rest = line
                .strip_prefix(EM_DASH)
                .ok_or(malformed("signature line"))?;
            let (n, b64) = rest.split_once(' ').ok_or(malformed("signature line"))?;
            check_name(n)?;
            if b64.len() > 4 * 1024 {
                return Err(malformed("signature too long"));
            }
            let blob = STANDARD
                .decode(b64)
                .map_err(|_| malformed("signature base64"))?;
            if blob.len() < 5 {
                return Err(malformed("signature too short"));
            }
            let (kh, sig) = blob.split_at(4);
            if n != name || kh != want {
                continue;
            }
            let sig: [u8; 64] = sig.try_into().map_err(|_| LogVerifyError::BadSignature)?;
            key.verify(text.as_bytes(), &sig)
                .map_err(|_| LogVerifyError::BadSignature)?;
            verified = true;
        }
        if !verified {
            return Err(LogVerifyError::BadSignature);
        }
        parse_body(text)
    }

    /// The revocation commitment from the `causeway-revocations` extension line, if present:
    /// the number of revocations and the chain head.
    pub fn revocations(&self) -> Result<Option<(u64, Hash)>, LogVerifyError> {
        let mut found = None;
        for e in &self.extensions {
            let mut parts = e.split(' ');
            if parts.next() != Some(REVOCATIONS_EXTENSION) {
                continue;
            }
            if found.is_some() {
                return Err(malformed("two revocation lines"));
            }
            let count = parts
                .next()
                .and_then(parse_decimal)
                .ok_or(malformed("revocation count"))?;
            let head = parts
                .next()
                .ok_or(malformed("revocation head"))
                .and_then(parse_hash)?;
            if parts.next().is_some() {
                return Err(malformed("revocation line"));
            }
            found = Some((count, head));
        }
        Ok(found)
    }

    /// The revocation extension line for `count` revocations with chain head `head`.
    pub fn revocations_line(count: u64, head: &Hash) -> String {
        format!("{REVOCATIONS_EXTENSION} {count} {}", STANDARD.encode(head))
    }
}

/// A signed checkpoint: the C2SP signed-note text together with the [`Checkpoint`] it states.
///
/// Made only by parsing a note ([`SignedCheckpoint::parse`]: well formed, signatures not yet
/// checked), by opening one under a log key ([`SignedCheckpoint::open`]: a signature verified)
/// or by signing ([`SignedCheckpoint::sign`]), so the text and the parsed fields always agree.
/// Equality compares the note text (two notes with other co-signature lines differ).
///
/// ```
/// use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
/// use causeway::party::Party;
/// let log = Party::generate()?;
/// let cp = Checkpoint { origin: "example.com/log".into(), size: 0,
///     root: causeway::ledger::empty_root(), extensions: vec![] };
/// let signed = SignedCheckpoint::sign(&cp, "example.com/log", log.keys())?;
/// let back = SignedCheckpoint::open(signed.note(), "example.com/log", &log.public())?;
/// assert_eq!(back.checkpoint(), &cp);
/// // Another key does not open it.
/// let other = Party::generate()?;
/// assert!(SignedCheckpoint::open(signed.note(), "example.com/log", &other.public()).is_err());
/// # Ok::<(), causeway::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedCheckpoint {
    note: String,
    checkpoint: Checkpoint,
}

impl SignedCheckpoint {
    /// Parses a signed note's text and its checkpoint body (at most [`MAX_NOTE_LEN`] bytes),
    /// without checking any signature: use [`SignedCheckpoint::verify`] (or
    /// [`SignedCheckpoint::open`]) before trusting it.
    pub fn parse(note: &str) -> Result<SignedCheckpoint, LogVerifyError> {
        let checkpoint = Checkpoint::parse_unverified(note)?;
        Ok(SignedCheckpoint {
            note: note.to_owned(),
            checkpoint,
        })
    }

    /// Parses a signed note and verifies it under the log `key` for the log `origin` (see
    /// [`Checkpoint::open`]); the checkpoint must name `origin`.
    pub fn open(
        note: &str,
        origin: &str,
        key: &PublicKeys,
    ) -> Result<SignedCheckpoint, LogVerifyError> {
        let checkpoint = Checkpoint::open(note, origin, key)?;
        if checkpoint.origin != origin {
            return Err(LogVerifyError::WrongOrigin);
        }
        Ok(SignedCheckpoint {
            note: note.to_owned(),
            checkpoint,
        })
    }

    /// Signs `checkpoint` under the key name `name` (see [`Checkpoint::sign`]).
    pub fn sign(
        checkpoint: &Checkpoint,
        name: &str,
        keys: &SecretKeys,
    ) -> Result<SignedCheckpoint, LedgerError> {
        let note = checkpoint.sign(name, keys)?;
        Ok(SignedCheckpoint {
            note,
            checkpoint: checkpoint.clone(),
        })
    }

    /// Verifies the note under the log `key` for the log `origin` and returns its checkpoint.
    pub fn verify(&self, origin: &str, key: &PublicKeys) -> Result<&Checkpoint, LogVerifyError> {
        let opened = Checkpoint::open(&self.note, origin, key)?;
        if opened.origin != origin {
            return Err(LogVerifyError::WrongOrigin);
        }
        if opened != self.checkpoint {
            return Err(malformed("note"));
        }
        Ok(&self.checkpoint)
    }

    /// The signed note text.
    pub fn note(&self) -> &str {
        &self.note
    }

    /// The checkpoint the note states (verified only if this value came from
    /// [`SignedCheckpoint::open`] or [`SignedCheckpoint::sign`]).
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The signed note text, by value.
    pub fn into_note(self) -> String {
        self.note
    }
}

impl core::fmt::Display for SignedCheckpoint {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.note)
    }
}

impl core::str::FromStr for SignedCheckpoint {
    type Err = LogVerifyError;
    fn from_str(s: &str) -> Result<Self, LogVerifyError> {
        SignedCheckpoint::parse(s)
    }
}

fn split_note(note: &str) -> Result<(&str, &str), LogVerifyError> {
    if note.len() > MAX_NOTE_LEN {
        return Err(malformed("note too long"));
    }
    if note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(malformed("control character"));
    }
    let at = note.rfind("\n\n").ok_or(malformed("no signature block"))?;
    let text = note.get(..at + 1).ok_or(malformed("note"))?;
    let sigs = note.get(at + 2..).ok_or(malformed("note"))?;
    if text.contains("\n\n") || !sigs.ends_with('\n') || sigs.len() < 2 {
        return Err(malformed("signature block"));
    }
    if sigs.matches('\n').count() > MAX_SIGNATURES {
        return Err(malformed("too many signatures"));
    }
    Ok((text, sigs))
}

fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return None;
    }
    s.parse().ok()
}

fn parse_hash(s: &str) -> Result<Hash, LogVerifyError> {
    if s.len() != 44 {
        return Err(malformed("hash"));
    }
    let b = STANDARD.decode(s).map_err(|_| malformed("hash base64"))?;
    let h: Hash = b.try_into().map_err(|_| malformed("hash length"))?;
    if STANDARD.encode(h) != s {
        return Err(malformed("hash base64 not canonical"));
    }
    Ok(h)
}

fn parse_body(text: &str) -> Result<Checkpoint, LogVerifyError> {
    let mut lines = text.split_terminator('\n');
    let origin = lines.next().ok_or(malformed("origin"))?;
    check_name(origin).map_err(|_| malformed("origin"))?;
    let size = lines
        .next()
        .and_then(parse_decimal)
        .ok_or(malformed("tree size"))?;
    let root = parse_hash(lines.next().ok_or(malformed("root hash"))?)?;
    let mut extensions = Vec::new();
    for l in lines {
        if extensions.len() >= MAX_EXTENSIONS {
            return Err(malformed("too many extension lines"));
        }
        check_line(l)?;
        extensions.push(l.to_owned());
    }
    debug_assert_eq!(root.len(), HASH_LEN);
    Ok(Checkpoint {
        origin: origin.to_owned(),
        size,
        root,
        extensions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::merkle::empty_root;

    fn keys(seed: u8) -> SecretKeys {
        SecretKeys::from_seeds(&[seed; 32], &[seed ^ 0x55; 32])
    }

    fn cp() -> Checkpoint {
        Checkpoint {
            origin: "example.com/log".into(),
            size: 12345,
            root: [0xab; 32],
            extensions: vec![Checkpoint::revocations_line(2, &[3; 32])],
        }
    }

    #[test]
    fn sign_open_round_trip_and_format() {
        let k = keys(1);
        let note = cp().sign("example.com/log", &k).unwrap();
        let lines: Vec<&str> = note.lines().collect();
        assert_eq!(lines[0], "example.com/log");
        assert_eq!(lines[1], "12345");
        assert_eq!(lines[2], STANDARD.encode([0xab; 32]));
        assert_eq!(lines[4], "");
        assert!(lines[5].starts_with("\u{2014} example.com/log "));
        let back = Checkpoint::open(&note, "example.com/log", &k.public()).unwrap();
        assert_eq!(back, cp());
        assert_eq!(back.revocations().unwrap(), Some((2, [3; 32])));
        // Another key, another name: refused.
        assert_eq!(
            Checkpoint::open(&note, "example.com/log", &keys(2).public()),
            Err(LogVerifyError::BadSignature)
        );
        assert!(Checkpoint::open(&note, "other", &k.public()).is_err());
        // A co-signature by an unknown key is ignored; a bad one by our key is not.
        let extra = format!("{note}\u{2014} witness {}\n", STANDARD.encode([1u8; 68]));
        assert!(Checkpoint::open(&extra, "example.com/log", &k.public()).is_ok());
        let mut blob = key_hash("example.com/log", &k.public()).to_vec();
        blob.extend_from_slice(&[0u8; 64]);
        let bad = format!("{note}\u{2014} example.com/log {}\n", STANDARD.encode(blob));
        assert_eq!(
            Checkpoint::open(&bad, "example.com/log", &k.public()),
            Err(LogVerifyError::BadSignature)
        );
    }

    #[test]
    fn every_byte_matters() {
        let k = keys(1);
        let note = cp().sign("example.com/log", &k).unwrap();
        let b = note.as_bytes();
        for i in 0..b.len() {
            for flip in [0x01u8, 0x20] {
                let mut m = b.to_vec();
                m[i] ^= flip;
                if let Ok(s) = String::from_utf8(m) {
                    assert!(
                        Checkpoint::open(&s, "example.com/log", &k.public()).is_err(),
                        "flip {flip} at {i}"
                    );
                }
            }
        }
        for cut in 0..b.len() {
            if let Some(s) = note.get(..cut) {
                assert!(Checkpoint::open(s, "example.com/log", &k.public()).is_err());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_notes_never_panic(s in "(?s).{0,300}", tail in "[a-zA-Z0-9+/= \n\u{2014}]{0,120}") {
            let k = keys(1).public();
            let _ = Checkpoint::open(&s, "example.com/log", &k);
            let _ = Checkpoint::parse_unverified(&s);
            let mixed = format!("example.com/log\n5\n{s}\n\n{tail}");
            let _ = Checkpoint::open(&mixed, "example.com/log", &k);
        }
    }

    #[test]
    fn known_key_hash_and_vkey() {
        // The key hash formula from the signed-note spec, checked against an independent
        // computation of SHA-256(name || "\n" || 0x01 || key).
        let k = keys(7).public();
        let mut pre = b"n\n\x01".to_vec();
        pre.extend_from_slice(k.signing().as_bytes());
        let d: [u8; 32] = Sha256::digest(&pre).into();
        assert_eq!(key_hash("n", &k), d[..4]);
        let vk = verifier_key("n", &k);
        assert!(vk.starts_with(&format!("n+{}+", hex::encode(&d[..4]))));
    }

    #[test]
    fn strict_parsing() {
        let k = keys(1);
        let mut c = cp();
        c.size = 0;
        c.root = empty_root();
        c.extensions.clear();
        let ok = c.sign("example.com/log", &k).unwrap();
        assert!(Checkpoint::open(&ok, "example.com/log", &k.public()).is_ok());
        for body in [
            "o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "o\n1\nAAAA\n",
            "o\n18446744073709551616\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        ] {
            assert!(parse_body(body).is_err(), "{body:?}");
        }
        assert!(Checkpoint::parse_unverified("no signatures\n").is_err());
        assert!(Checkpoint::parse_unverified(&"x".repeat(MAX_NOTE_LEN + 1)).is_err());
    }
}
