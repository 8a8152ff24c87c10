//! Sealed streams: large payloads in constant memory.
//!
//! The header carries the record id, epoch, owner, key commitment and the same recipient wraps
//! as a sealed record (`ECDH-ES+A256KW` over X25519). The payload is cut into 64 KiB chunks, each
//! sealed with AES-256-GCM under a payload key `HKDF-SHA256(salt = SHA-256(header), ikm = CEK,
//! info = "causeway/stream/v1/payload")`, so the whole header (recipients included) is
//! authenticated by the first chunk. The nonce is an 11-byte big-endian chunk counter followed
//! by a last-chunk flag (age's STREAM construction): dropped, reordered or appended chunks
//! fail, and an empty payload is a single empty last chunk.
//!
//! Version 2 (what is written) is signed by the owner twice: the header (owner keys, record
//! id, epoch, key commitment, every recipient entry) right after it, so nothing is released
//! from a header the owner did not sign; and the whole stream (header and every chunk) in a
//! 64-byte trailer after the last chunk, so a recipient, who knows the payload key, cannot
//! substitute content under the owner's header. Version-1 streams (no signatures) still open.
//!
//! Chunks are written out as they authenticate. A failure later in the stream (truncation,
//! tampering) comes back as an error after earlier chunks were written: callers that must not
//! keep partial output write to a temporary file and keep it only on success.
//! The format is in `docs/spec/sealed-record.md`.

use super::any::{OpenOptions, Owner};
use super::hazmat::{Aes256Gcm, TAG_LEN};
use super::{
    key_commitment, recipient_set, unwrap_cek, wrap_cek, Cek, RecordId, ALG, CEK_LEN,
    MAX_RECIPIENTS, SIGNATURE_LEN, VERSION, VERSION_1, WRAPPED_LEN,
};
use crate::encoding::{read_header, write_header, Reader, Tag, MAGIC};
use crate::error::{DecodeError, OpenError, SealError};
use crate::party::{KeyId, Party, PublicKeys, SecretKeys};
use rand_core::{CryptoRng, OsRng, RngCore};
use sha2::{Digest, Sha256};
use std::io::{ErrorKind, Read, Write};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

mod push;
pub use push::{StreamOpener, StreamSealer};

/// Plaintext bytes per chunk.
pub const CHUNK_SIZE: usize = 64 * 1024;
const CT_CHUNK: usize = CHUNK_SIZE + TAG_LEN;
const CHUNK_LOG2: u8 = 16;
const PAYLOAD_INFO: &[u8] = b"causeway/stream/v1/payload";
/// Signing namespace of a version-2 stream's header signature.
const HEADER_SIG_LABEL: &[u8] = b"causeway/sealed-stream/v2/header-signature";
/// Signing namespace of a version-2 stream's trailer (whole-stream) signature.
const END_SIG_LABEL: &[u8] = b"causeway/sealed-stream/v2/end-signature";
/// Format version of a stream that is a part of a sealed table (sealed tables version 2,
/// `docs/spec/sealed-table.md`): a version-2 header that also names its table and column group
/// ([`PartContext`]), signed under its own namespaces. Only a table opens it.
pub(crate) const PART_VERSION: u8 = 3;
/// Signing namespace of a table part's header signature.
const HEADER_SIG_LABEL_PART: &[u8] = b"causeway/sealed-stream/v3/header-signature";
/// Signing namespace of a table part's trailer signature.
const END_SIG_LABEL_PART: &[u8] = b"causeway/sealed-stream/v3/end-signature";
/// Length of a [`PartContext`] in a part's header: table id, part index, column-group digest.
pub(crate) const CONTEXT_LEN: usize = 16 + 2 + 32;
/// Fixed part of a version-1 header: magic, version, tag, chunk size, rid, epoch, owner key
/// id, kc, count.
const FIXED_LEN_V1: usize = 4 + 1 + 16 + 4 + 16 + 32 + 2;
/// Fixed part of a version-2 header: the owner's public keys (Ed25519, X25519) replace its key id.
const FIXED_LEN: usize = 4 + 1 + 16 + 4 + 32 + 32 + 32 + 2;
/// Fixed part of a table part's header (version 3): version 2's plus its [`PartContext`].
const FIXED_LEN_PART: usize = FIXED_LEN + CONTEXT_LEN;
const ENTRY_LEN: usize = 16 + 32 + WRAPPED_LEN;

/// What a table part's header names (version 3): the table (its manifest's random id), the
/// part's index in it, and a digest of its column group (the table's content type and the
/// part's column names and type labels, in table order). The owner signs it with the header
/// and it salts the payload key, so a part opens only where all three match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PartContext {
    /// The table's id.
    pub(crate) table_id: [u8; 16],
    /// The part's index in the table.
    pub(crate) part: u16,
    /// The column-group digest.
    pub(crate) group: [u8; 32],
}

impl PartContext {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.table_id);
        out.extend_from_slice(&self.part.to_be_bytes());
        out.extend_from_slice(&self.group);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(PartContext {
            table_id: r.array()?,
            part: r.u16()?,
            group: r.array()?,
        })
    }
}

/// What a sealed stream says about itself, and how many plaintext bytes went through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamInfo {
    /// The record id.
    pub record_id: RecordId,
    /// The epoch.
    pub epoch: u32,
    /// The owner's key id.
    pub owner: KeyId,
    /// Key ids of the recipients, owner first.
    pub recipients: Vec<KeyId>,
    /// Plaintext bytes sealed or opened.
    pub plaintext_len: u64,
    /// Whether the owner signed the stream (version 2, verified). A version-1 stream is
    /// unsigned: its `owner` and recipient list are only claims (anyone can write one).
    pub signed: bool,
}

/// The header of a sealed stream, read without opening it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamHeader {
    /// The record id.
    pub record_id: RecordId,
    /// The epoch.
    pub epoch: u32,
    /// The owner's key id.
    pub owner: KeyId,
    /// Key ids of the recipients, owner first.
    pub recipients: Vec<KeyId>,
    /// Plaintext bytes per chunk.
    pub chunk_size: usize,
    /// Length of the header in bytes.
    pub header_len: usize,
    /// Whether the header is owner-signed (version 2, signature verified); version 1 is not,
    /// and its `owner` is only a claim.
    pub signed: bool,
}

struct Entry {
    kid: KeyId,
    epk: [u8; 32],
    ek: [u8; WRAPPED_LEN],
}

struct Header {
    /// Every header byte (the header signature included): the payload key's salt.
    bytes: Vec<u8>,
    /// The owner's public keys (version 2; `None` in version 1, which is unsigned).
    owner_keys: Option<PublicKeys>,
    rid: RecordId,
    epoch: u32,
    owner: KeyId,
    kc: [u8; 32],
    entries: Vec<Entry>,
    /// The table context of a table part (version 3).
    context: Option<PartContext>,
}

impl Header {
    fn info(&self) -> StreamHeader {
        StreamHeader {
            record_id: self.rid,
            epoch: self.epoch,
            owner: self.owner,
            recipients: self.entries.iter().map(|e| e.kid).collect(),
            chunk_size: CHUNK_SIZE,
            header_len: self.bytes.len(),
            signed: self.owner_keys.is_some(),
        }
    }
}

/// The exact length of a version-2 stream sealing `plaintext` bytes for `recipients` recipient
/// entries (the owner included): header, header signature, every chunk with its tag, trailer.
/// `None` on overflow.
pub(crate) fn sealed_len(recipients: usize, plaintext: usize) -> Option<usize> {
    let chunks = plaintext.div_ceil(CHUNK_SIZE).max(1);
    FIXED_LEN
        .checked_add(recipients.checked_mul(ENTRY_LEN)?)?
        .checked_add(SIGNATURE_LEN)?
        .checked_add(plaintext)?
        .checked_add(chunks.checked_mul(TAG_LEN)?)?
        .checked_add(SIGNATURE_LEN)
}

/// The exact length of a table part (version 3) sealing `plaintext` bytes for `recipients`
/// recipient entries: a version-2 stream's plus its context.
pub(crate) fn sealed_part_len(recipients: usize, plaintext: usize) -> Option<usize> {
    sealed_len(recipients, plaintext)?.checked_add(CONTEXT_LEN)
}

/// The plaintext length of a well-formed version-2 stream of `total` bytes whose header is
/// `header_len` bytes (its signature included); `None` if no payload length fits.
pub(crate) fn plaintext_len(header_len: usize, total: usize) -> Option<usize> {
    let body = total.checked_sub(header_len)?.checked_sub(SIGNATURE_LEN)?;
    let chunks = body.div_ceil(CT_CHUNK).max(1);
    body.checked_sub(chunks.checked_mul(TAG_LEN)?)
}

/// Whether `prefix` (the first bytes of some input, at least 4) starts a sealed stream.
pub fn is_stream(prefix: &[u8]) -> bool {
    prefix.len() >= 4
        && prefix.starts_with(&MAGIC)
        && prefix.get(3) == Some(&(Tag::SealedStream as u8))
}

fn payload_key(header: &[u8], cek: &[u8; CEK_LEN]) -> Zeroizing<[u8; 32]> {
    let salt = Sha256::digest(header);
    let hk = hkdf::Hkdf::<Sha256>::new(Some(&salt), cek);
    let mut k = Zeroizing::new([0u8; 32]);
    // 32 bytes is always a valid HKDF-SHA256 output length (the limit is 255 × 32), so
    // `expand` cannot fail here; the result is ignored rather than unwrapped.
    let _ = hk.expand(PAYLOAD_INFO, &mut k[..]);
    k
}

fn nonce(counter: u64, last: bool) -> [u8; 12] {
    let mut n = [0u8; 12];
    let c = counter.to_be_bytes();
    for (d, s) in n.iter_mut().skip(3).zip(c.iter()) {
        *d = *s;
    }
    if let Some(f) = n.last_mut() {
        *f = u8::from(last);
    }
    n
}

/// Whether these header bytes are a table part's (version 3): its signatures use their own
/// namespaces.
fn is_part_header(header: &[u8]) -> bool {
    header.get(2) == Some(&PART_VERSION)
}

/// `label || SHA-256(header)` for the header signature.
fn header_message(unsigned_header: &[u8]) -> Vec<u8> {
    let mut m = if is_part_header(unsigned_header) {
        HEADER_SIG_LABEL_PART.to_vec()
    } else {
        HEADER_SIG_LABEL.to_vec()
    };
    m.extend_from_slice(&Sha256::digest(unsigned_header));
    m
}

/// `label || SHA-256(full header) || SHA-256(every chunk's ciphertext and tag, in order)` for
/// the trailer signature.
fn end_message(header: &[u8], chunks: Sha256) -> Vec<u8> {
    let mut m = if is_part_header(header) {
        END_SIG_LABEL_PART.to_vec()
    } else {
        END_SIG_LABEL.to_vec()
    };
    m.extend_from_slice(&Sha256::digest(header));
    m.extend_from_slice(&chunks.finalize());
    m
}

/// A reader that holds back the last `hold` bytes of its input (a version-2 stream's
/// trailer): it hands out only bytes known not to be among them, and after the end gives the
/// held bytes to [`HoldBack::tail`].
struct HoldBack<R> {
    inner: R,
    hold: usize,
    buf: Vec<u8>,
    eof: bool,
}

impl<R: Read> HoldBack<R> {
    fn new(inner: R, hold: usize) -> Self {
        HoldBack {
            inner,
            hold,
            buf: Vec::new(),
            eof: false,
        }
    }

    /// The held-back bytes, once the input has ended (fewer than `hold` if it was too short).
    fn tail(&self) -> Option<&[u8]> {
        (self.eof && self.buf.len() <= self.hold).then_some(self.buf.as_slice())
    }
}

impl<R: Read> Read for HoldBack<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let ready = self.buf.len().saturating_sub(self.hold);
            if ready > 0 {
                let n = ready.min(out.len());
                let (src, dst) = (self.buf.get(..n), out.get_mut(..n));
                if let (Some(src), Some(dst)) = (src, dst) {
                    dst.copy_from_slice(src);
                }
                self.buf.drain(..n);
                return Ok(n);
            }
            if self.eof {
                return Ok(0);
            }
            let old = self.buf.len();
            self.buf.resize(old + out.len().max(4096), 0);
            let r = self.inner.read(self.buf.get_mut(old..).unwrap_or(&mut []));
            match r {
                Ok(k) => {
                    self.buf.truncate(old + k);
                    if k == 0 {
                        self.eof = true;
                    }
                }
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        }
    }
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let Some(rest) = buf.get_mut(n..) else { break };
        match r.read(rest) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A reader that hands out blocks of a fixed size and knows whether each one is the last: it
/// reads one byte past the block in the same call and carries it over to the next block.
struct Blocks<R> {
    inner: R,
    carry: Option<u8>,
}

impl<R: Read> Blocks<R> {
    fn new(inner: R) -> Self {
        Blocks { inner, carry: None }
    }

    fn inner(&self) -> &R {
        &self.inner
    }

    /// Fills `buf[..size]` (`buf` must hold `size + 1` bytes); returns `(len, last)`. After a
    /// non-last block, `buf[size]` holds the next block's first byte, kept by the reader.
    fn next(&mut self, buf: &mut [u8], size: usize) -> std::io::Result<(usize, bool)> {
        let want = buf.len().min(size.saturating_add(1));
        let mut n = 0;
        if let Some(b) = self.carry.take() {
            if let Some(first) = buf.first_mut() {
                *first = b;
                n = 1;
            }
        }
        n += read_full(&mut self.inner, buf.get_mut(n..want).unwrap_or(&mut []))?;
        if n > size {
            self.carry = buf.get(size).copied();
            Ok((size, false))
        } else {
            Ok((n, true))
        }
    }
}

/// A new version-2 header (epoch 0) for the recipient set `set`, signed by `signer`: the header
/// bytes (signature included), the content key and the record id; with a `context`, a table
/// part's version-3 header naming it. The RNG is used in this order: record id, content key,
/// then each recipient's wrap.
fn build_header<G: RngCore + CryptoRng>(
    rng: &mut G,
    signer: &SecretKeys,
    set: &[PublicKeys],
    context: Option<&PartContext>,
) -> Result<(Vec<u8>, Cek, RecordId), SealError> {
    let mut rid = [0u8; 16];
    rng.try_fill_bytes(&mut rid).map_err(|_| SealError::Rng)?;
    let rid = RecordId(rid);
    let epoch = 0u32;
    let mut cek: Cek = Zeroizing::new([0u8; CEK_LEN]);
    rng.try_fill_bytes(&mut cek[..])
        .map_err(|_| SealError::Rng)?;
    let owner_keys = signer.public();
    let mut header = Vec::with_capacity(FIXED_LEN_PART + set.len() * ENTRY_LEN + SIGNATURE_LEN);
    let version = if context.is_some() {
        PART_VERSION
    } else {
        VERSION
    };
    write_header(&mut header, version, Tag::SealedStream);
    header.push(CHUNK_LOG2);
    header.extend_from_slice(&rid.0);
    header.extend_from_slice(&epoch.to_be_bytes());
    header.extend_from_slice(owner_keys.signing().as_bytes());
    header.extend_from_slice(owner_keys.encryption().as_bytes());
    header.extend_from_slice(&key_commitment(&rid, epoch, &cek));
    if let Some(c) = context {
        c.write(&mut header);
    }
    header.extend_from_slice(&(set.len() as u16).to_be_bytes());
    for keys in set {
        let (epk, ek) = wrap_cek(rng, keys, &cek)?;
        header.extend_from_slice(&keys.key_id().0);
        header.extend_from_slice(&epk);
        header.extend_from_slice(&ek);
    }
    let hsig = signer.sign(&header_message(&header));
    header.extend_from_slice(&hsig);
    Ok((header, cek, rid))
}

/// Seals `input` as a stream for `recipients` (the owner is always added), writing to `output`.
/// `progress` is called with the plaintext bytes sealed so far.
pub fn seal_stream<R: Read, W: Write>(
    owner: &Party,
    recipients: &[PublicKeys],
    input: R,
    output: W,
    progress: &mut dyn FnMut(u64),
) -> Result<StreamInfo, SealError> {
    seal_stream_with_rng(owner, recipients, input, output, progress, &mut OsRng)
}

/// [`seal_stream`] with the given RNG.
pub fn seal_stream_with_rng<G: RngCore + CryptoRng, R: Read, W: Write>(
    owner: &Party,
    recipients: &[PublicKeys],
    input: R,
    output: W,
    progress: &mut dyn FnMut(u64),
    rng: &mut G,
) -> Result<StreamInfo, SealError> {
    seal_stream_digest(owner, recipients, input, output, progress, rng, None).map(|(info, _)| info)
}

/// [`seal_stream_with_rng`], also returning the stream's digest ([`end_digest`]); with a
/// `context`, a table part (version 3) naming it.
pub(crate) fn seal_stream_digest<G: RngCore + CryptoRng, R: Read, W: Write>(
    owner: &Party,
    recipients: &[PublicKeys],
    input: R,
    mut output: W,
    progress: &mut dyn FnMut(u64),
    rng: &mut G,
    context: Option<&PartContext>,
) -> Result<(StreamInfo, [u8; 32]), SealError> {
    let set = recipient_set(owner, recipients)?;
    let signer: &SecretKeys = owner.keys();
    let (header, cek, rid) = build_header(rng, signer, &set, context)?;
    let epoch = 0u32;
    let owner_id = signer.public().key_id();
    output.write_all(&header)?;
    let mut chunks = Sha256::new();

    let aead = Aes256Gcm::new(&payload_key(&header, &cek));
    let mut blocks = Blocks::new(input);
    // One chunk, its tag, and room for the look-ahead byte.
    let mut buf = Zeroizing::new(vec![0u8; CT_CHUNK + 1]);
    let mut counter = 0u64;
    let mut total = 0u64;
    loop {
        let (n, last) = blocks.next(&mut buf[..], CHUNK_SIZE)?;
        let chunk = buf.get_mut(..n).unwrap_or(&mut []);
        let tag = aead
            .seal_in_place(&nonce(counter, last), &[], chunk)
            .map_err(|_| SealError::PayloadTooLarge {
                len: n,
                max: CHUNK_SIZE,
            })?;
        let end = n + TAG_LEN;
        buf.get_mut(n..end)
            .ok_or(SealError::PayloadTooLarge {
                len: n,
                max: CHUNK_SIZE,
            })?
            .copy_from_slice(&tag);
        let sealed_chunk = buf.get(..end).unwrap_or(&[]);
        chunks.update(sealed_chunk);
        output.write_all(sealed_chunk)?;
        total = total.saturating_add(n as u64);
        progress(total);
        if last {
            break;
        }
        counter = counter.checked_add(1).ok_or(SealError::PayloadTooLarge {
            len: usize::MAX,
            max: CHUNK_SIZE,
        })?;
    }
    let m = end_message(&header, chunks);
    output.write_all(&signer.sign(&m))?;
    output.flush()?;
    Ok((
        StreamInfo {
            record_id: rid,
            epoch,
            owner: owner_id,
            recipients: set.iter().map(PublicKeys::key_id).collect(),
            plaintext_len: total,
            signed: true,
        },
        Sha256::digest(&m).into(),
    ))
}

fn read_exact_or_truncated<R: Read>(r: &mut R, buf: &mut [u8]) -> Result<(), OpenError> {
    if read_full(r, buf)? != buf.len() {
        return Err(DecodeError::Truncated.into());
    }
    Ok(())
}

/// Reads a stream's header outside any table: a table part (version 3) is refused with
/// [`OpenError::TablePart`] once its owner signature verified.
fn read_stream_header<R: Read>(input: &mut R) -> Result<Header, OpenError> {
    read_stream_header_in(input, None)
}

/// Reads a stream's header where `expected` is the table context it must name (`None`: a
/// stream outside any table, which must name none). Any difference, after the header
/// signature verified, is [`OpenError::TablePart`].
fn read_stream_header_in<R: Read>(
    input: &mut R,
    expected: Option<&PartContext>,
) -> Result<Header, OpenError> {
    let h = parse_stream_header(input)?;
    if h.context.as_ref() != expected {
        return Err(OpenError::TablePart);
    }
    Ok(h)
}

fn parse_stream_header<R: Read>(input: &mut R) -> Result<Header, OpenError> {
    let mut head = [0u8; 4];
    // The first four bytes alone, so a wrong magic or version is named before we ask for more.
    read_exact_or_truncated(input, &mut head)?;
    let version = read_header(
        &mut Reader::new(&head),
        Tag::SealedStream,
        &[VERSION_1, VERSION, PART_VERSION],
    )?;
    let fixed_len = match version {
        VERSION => FIXED_LEN,
        PART_VERSION => FIXED_LEN_PART,
        _ => FIXED_LEN_V1,
    };
    let mut fixed = vec![0u8; fixed_len];
    if let Some(h) = fixed.get_mut(..4) {
        h.copy_from_slice(&head);
    }
    read_exact_or_truncated(input, fixed.get_mut(4..).unwrap_or(&mut []))?;
    let mut r = Reader::new(&fixed);
    r.take(4)?;
    if r.u8()? != CHUNK_LOG2 {
        return Err(DecodeError::Invalid { what: "chunk size" }.into());
    }
    let rid = RecordId(r.array()?);
    let epoch = r.u32()?;
    let (owner, owner_keys) = if version == VERSION || version == PART_VERSION {
        let sig: [u8; 32] = r.array()?;
        let enc: [u8; 32] = r.array()?;
        let keys = PublicKeys::from_bytes(&sig, &enc).map_err(|_| DecodeError::Invalid {
            what: "owner public key",
        })?;
        (keys.key_id(), Some(keys))
    } else {
        (KeyId(r.array()?), None)
    };
    let kc = r.array()?;
    let context = if version == PART_VERSION {
        Some(PartContext::read(&mut r)?)
    } else {
        None
    };
    let n = r.u16()? as usize;
    r.finish()?;
    if n == 0 {
        return Err(DecodeError::Invalid {
            what: "recipient count",
        }
        .into());
    }
    if n > MAX_RECIPIENTS {
        return Err(DecodeError::TooLong {
            what: "recipients",
            len: n,
            max: MAX_RECIPIENTS,
        }
        .into());
    }
    let sig_len = if owner_keys.is_some() {
        SIGNATURE_LEN
    } else {
        0
    };
    let unsigned_len = fixed_len + n * ENTRY_LEN;
    let mut bytes = Vec::with_capacity(unsigned_len + sig_len);
    bytes.extend_from_slice(&fixed);
    bytes.resize(unsigned_len + sig_len, 0);
    read_exact_or_truncated(input, bytes.get_mut(fixed_len..).unwrap_or(&mut []))?;
    let mut r = Reader::new(bytes.get(fixed_len..unsigned_len).unwrap_or(&[]));
    let mut entries: Vec<Entry> = Vec::with_capacity(n);
    for _ in 0..n {
        let e = Entry {
            kid: KeyId(r.array()?),
            epk: r.array()?,
            ek: r.array()?,
        };
        if !super::canonical_x25519(&e.epk) {
            return Err(DecodeError::Invalid {
                what: "ephemeral public key (not canonical)",
            }
            .into());
        }
        if entries.iter().any(|o| o.kid == e.kid) {
            return Err(DecodeError::Invalid {
                what: "duplicate recipient",
            }
            .into());
        }
        entries.push(e);
    }
    r.finish()?;
    if !entries.iter().any(|e| e.kid == owner) {
        return Err(DecodeError::Invalid {
            what: "owner is not a recipient",
        }
        .into());
    }
    if let Some(keys) = &owner_keys {
        // The header signature, before anything is unwrapped or released: any changed header
        // byte (an added recipient, another owner) fails here for every recipient.
        let (unsigned, sig) = bytes
            .split_at_checked(unsigned_len)
            .ok_or(OpenError::Decrypt)?;
        let sig: [u8; SIGNATURE_LEN] = sig.try_into().map_err(|_| OpenError::Decrypt)?;
        keys.verify(&header_message(unsigned), &sig)
            .map_err(|_| OpenError::Decrypt)?;
    }
    Ok(Header {
        owner_keys,
        bytes,
        rid,
        epoch,
        owner,
        kc,
        entries,
        context,
    })
}

/// Reads a sealed stream's header without opening it. A version-2 header's owner signature is
/// checked (`OpenError::Decrypt` if it fails).
pub fn inspect_stream<R: Read>(mut input: R) -> Result<StreamHeader, OpenError> {
    Ok(read_stream_header(&mut input)?.info())
}

/// [`inspect_stream`] for a part of a sealed table that must name `expected`.
pub(crate) fn inspect_part<R: Read>(
    mut input: R,
    expected: Option<&PartContext>,
) -> Result<StreamHeader, OpenError> {
    Ok(read_stream_header_in(&mut input, expected)?.info())
}

/// Opens a sealed stream as a recipient (current or retired keys), writing the plaintext to
/// `output` chunk by chunk as each authenticates. `progress` is called with the plaintext
/// bytes written so far. Truncation, reordering, trailing data and any tampering give
/// [`OpenError::Decrypt`] (see the module docs about partial output). In version 2 the owner's
/// header signature is checked before anything is released and the trailer signature over
/// the whole stream at the end.
pub fn open_stream<R: Read, W: Write>(
    party: &Party,
    input: R,
    output: W,
    progress: &mut dyn FnMut(u64),
) -> Result<StreamInfo, OpenError> {
    open_stream_with(party, input, output, progress, &OpenOptions::default())
}

/// The checks of `options` on a read header, then the payload cipher for `party` from the
/// header's recipient entries (the key commitment checked in constant time): one place for the
/// pull opener ([`open_stream_with`]) and the push opener ([`push::StreamOpener`]).
fn header_cipher(
    party: &Party,
    h: &Header,
    options: &OpenOptions<'_>,
) -> Result<Aes256Gcm, OpenError> {
    options.check(
        if h.owner_keys.is_some() {
            Owner::Signed(h.owner)
        } else {
            Owner::Claimed(h.owner)
        },
        Some((h.rid, h.epoch)),
    )?;
    let mut tried = false;
    let mut cek: Option<Cek> = None;
    for e in &h.entries {
        let Some(keys) = party.find(&e.kid) else {
            continue;
        };
        tried = true;
        let Ok(k) = unwrap_cek(keys, &e.epk, &e.ek, ALG, &[], &[]) else {
            continue;
        };
        if bool::from(key_commitment(&h.rid, h.epoch, &k).ct_eq(&h.kc)) {
            cek = Some(k);
            break;
        }
    }
    let Some(cek) = cek else {
        return Err(if tried {
            OpenError::Decrypt
        } else {
            OpenError::NotARecipient
        });
    };
    Ok(Aes256Gcm::new(&payload_key(&h.bytes, &cek)))
}

/// [`open_stream`] with the checks of [`OpenOptions`], made once the header (and in version 2
/// its owner signature) is read and before anything is unwrapped or written: the expected
/// owner ([`OpenError::WrongOwner`], or [`OpenError::Unauthenticated`] for an unsigned
/// version-1 stream) and the newest known epoch ([`OpenError::StaleEpoch`]).
pub fn open_stream_with<R: Read, W: Write>(
    party: &Party,
    input: R,
    output: W,
    progress: &mut dyn FnMut(u64),
    options: &OpenOptions<'_>,
) -> Result<StreamInfo, OpenError> {
    open_stream_digest(party, input, output, progress, options, None).map(|(info, _)| info)
}

/// [`open_stream_with`], also returning SHA-256 of the trailer's signed message (the stream's
/// digest, [`end_digest`]; zeros for an unsigned version-1 stream). For sealed tables.
/// With `expected`, the stream must be a table part naming that context (else
/// [`OpenError::TablePart`], before anything is unwrapped).
pub(crate) fn open_stream_digest<R: Read, W: Write>(
    party: &Party,
    mut input: R,
    mut output: W,
    progress: &mut dyn FnMut(u64),
    options: &OpenOptions<'_>,
    expected: Option<&PartContext>,
) -> Result<(StreamInfo, [u8; 32]), OpenError> {
    let h = read_stream_header_in(&mut input, expected)?;
    let aead = header_cipher(party, &h, options)?;
    let mut digest = [0u8; 32];
    let hold = if h.owner_keys.is_some() {
        SIGNATURE_LEN
    } else {
        0
    };
    let mut blocks = Blocks::new(HoldBack::new(input, hold));
    let mut chunks = Sha256::new();
    let mut buf = Zeroizing::new(vec![0u8; CT_CHUNK + 1]);
    let mut counter = 0u64;
    let mut total = 0u64;
    loop {
        let (n, last) = blocks.next(&mut buf[..], CT_CHUNK)?;
        chunks.update(buf.get(..n).unwrap_or(&[]));
        let body_len = n.checked_sub(TAG_LEN).ok_or(OpenError::Decrypt)?;
        let (body, rest) = buf.split_at_mut(body_len);
        let tag: [u8; TAG_LEN] = rest
            .get(..TAG_LEN)
            .and_then(|t| t.try_into().ok())
            .ok_or(OpenError::Decrypt)?;
        aead.open_in_place(&nonce(counter, last), &[], body, &tag)?;
        if last && body_len == 0 && counter > 0 {
            // Only an empty payload may end with an empty chunk.
            return Err(OpenError::Decrypt);
        }
        output.write_all(body)?;
        total = total.saturating_add(body_len as u64);
        progress(total);
        if last {
            break;
        }
        counter = counter.checked_add(1).ok_or(OpenError::Decrypt)?;
    }
    if let Some(keys) = &h.owner_keys {
        // The trailer: the owner's signature over the header and every chunk.
        let sig: [u8; SIGNATURE_LEN] = blocks
            .inner()
            .tail()
            .and_then(|t| t.try_into().ok())
            .ok_or(OpenError::Decrypt)?;
        let m = end_message(&h.bytes, chunks);
        keys.verify(&m, &sig).map_err(|_| OpenError::Decrypt)?;
        digest = Sha256::digest(&m).into();
    }
    output.flush()?;
    Ok((
        StreamInfo {
            record_id: h.rid,
            epoch: h.epoch,
            owner: h.owner,
            recipients: h.entries.iter().map(|e| e.kid).collect(),
            plaintext_len: total,
            signed: h.owner_keys.is_some(),
        },
        digest,
    ))
}

/// A version-2 stream's digest without opening it: SHA-256 of the message its trailer signs
/// (`label || SHA-256(header) || SHA-256(chunks)`), after checking the header signature and
/// the trailer signature against the owner's key in the header. Any failure is
/// [`OpenError::Decrypt`] (a version-1 stream has no digest: [`OpenError::Unauthenticated`]).
/// Returns the header's view too.
/// With `expected`, the stream must be a table part naming that context
/// ([`OpenError::TablePart`]).
pub(crate) fn end_digest(
    bytes: &[u8],
    expected: Option<&PartContext>,
) -> Result<(StreamHeader, [u8; 32]), OpenError> {
    let mut input = bytes;
    let h = read_stream_header_in(&mut input, expected)?;
    let keys = h.owner_keys.ok_or(OpenError::Unauthenticated)?;
    let split = input
        .len()
        .checked_sub(SIGNATURE_LEN)
        .ok_or(OpenError::Decrypt)?;
    let (body, sig) = input.split_at_checked(split).ok_or(OpenError::Decrypt)?;
    let sig: [u8; SIGNATURE_LEN] = sig.try_into().map_err(|_| OpenError::Decrypt)?;
    let m = end_message(&h.bytes, Sha256::new_with_prefix(body));
    keys.verify(&m, &sig).map_err(|_| OpenError::Decrypt)?;
    Ok((h.info(), Sha256::digest(&m).into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(_n: u8) -> Party {
        Party::generate().unwrap()
    }

    fn seal(owner: &Party, to: &[PublicKeys], data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        seal_stream(owner, to, data, &mut out, &mut |_| {}).unwrap();
        out
    }

    fn open(p: &Party, sealed: &[u8]) -> Result<Vec<u8>, OpenError> {
        let mut out = Vec::new();
        open_stream(p, sealed, &mut out, &mut |_| {}).map(|_| out)
    }

    #[test]
    fn round_trips_at_chunk_boundaries() {
        let o = party(1);
        let a = party(2);
        for len in [
            0,
            1,
            CHUNK_SIZE - 1,
            CHUNK_SIZE,
            CHUNK_SIZE + 1,
            3 * CHUNK_SIZE,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let s = seal(&o, &[a.public()], &data);
            assert!(is_stream(&s));
            let chunks = len.div_ceil(CHUNK_SIZE).max(1);
            assert_eq!(
                s.len(),
                FIXED_LEN + 2 * ENTRY_LEN + SIGNATURE_LEN + len + chunks * TAG_LEN + SIGNATURE_LEN
            );
            assert_eq!(open(&a, &s).unwrap(), data);
            assert_eq!(open(&o, &s).unwrap(), data);
            let info = inspect_stream(&s[..]).unwrap();
            assert_eq!(info.recipients, vec![o.key_id(), a.key_id()]);
        }
    }

    #[test]
    fn truncation_reordering_trailing_detected() {
        let o = party(1);
        let data: Vec<u8> = (0..3 * CHUNK_SIZE + 100).map(|i| i as u8).collect();
        let s = seal(&o, &[], &data);
        let hl = FIXED_LEN + ENTRY_LEN + SIGNATURE_LEN;
        // drop the last chunk
        let cut = hl + 3 * CT_CHUNK;
        assert!(matches!(open(&o, &s[..cut]), Err(OpenError::Decrypt)));
        // cut inside a chunk, and every tail length around the end
        for t in [1usize, 15, 16, 17, 100, 116, CT_CHUNK] {
            assert!(matches!(
                open(&o, &s[..s.len() - t]),
                Err(OpenError::Decrypt)
            ));
        }
        // only the header
        assert!(matches!(open(&o, &s[..hl]), Err(OpenError::Decrypt)));
        // swap chunks 0 and 1
        let mut sw = s.clone();
        let (c0, c1) = (hl..hl + CT_CHUNK, hl + CT_CHUNK..hl + 2 * CT_CHUNK);
        let a = s[c0.clone()].to_vec();
        let b = s[c1.clone()].to_vec();
        sw[c0].copy_from_slice(&b);
        sw[c1].copy_from_slice(&a);
        assert!(matches!(open(&o, &sw), Err(OpenError::Decrypt)));
        // trailing data
        for extra in [1usize, 16, CT_CHUNK] {
            let mut t = s.clone();
            t.extend(std::iter::repeat_n(0u8, extra));
            assert!(matches!(open(&o, &t), Err(OpenError::Decrypt)));
        }
        // empty payload: no final chunk at all is truncation
        let e = seal(&o, &[], &[]);
        assert_eq!(open(&o, &e).unwrap(), Vec::<u8>::new());
        assert!(matches!(open(&o, &e[..hl]), Err(OpenError::Decrypt)));
    }

    /// A fixed-output RNG so the test knows the content key.
    struct Fixed(u8);
    impl RngCore for Fixed {
        fn next_u32(&mut self) -> u32 {
            u32::from(self.0)
        }
        fn next_u64(&mut self) -> u64 {
            u64::from(self.0)
        }
        fn fill_bytes(&mut self, d: &mut [u8]) {
            d.iter_mut().for_each(|b| *b = self.0);
        }
        fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(d);
            Ok(())
        }
    }
    impl CryptoRng for Fixed {}

    #[test]
    fn forged_empty_last_chunk_after_full_chunks_refused() {
        // The honest stream of exactly one chunk: that chunk is flagged last. A forger with the
        // payload key re-flags it as non-last and appends an empty last chunk: refused. (In
        // version 2 the forger must also sign the trailer: here the forger is the owner, so
        // that the empty-chunk rule itself is what refuses it.)
        let o = party(1);
        let data = vec![5u8; CHUNK_SIZE];
        let mut honest = Vec::new();
        seal_stream_with_rng(
            &o,
            &[],
            &data[..],
            &mut honest,
            &mut |_| {},
            &mut Fixed(0x33),
        )
        .unwrap();
        let hl = FIXED_LEN + ENTRY_LEN + SIGNATURE_LEN;
        let cek = [0x33u8; 32];
        let aead = Aes256Gcm::new(&payload_key(&honest[..hl], &cek));
        let mut c0 = data.clone();
        let t0 = aead.seal_in_place(&nonce(0, false), &[], &mut c0).unwrap();
        let t1 = aead.seal_in_place(&nonce(1, true), &[], &mut []).unwrap();
        let mut forged = honest[..hl].to_vec();
        forged.extend_from_slice(&c0);
        forged.extend_from_slice(&t0);
        forged.extend_from_slice(&t1);
        sign_trailer(&o, &mut forged, hl);
        assert_eq!(open(&o, &honest).unwrap(), data);
        assert!(matches!(open(&o, &forged), Err(OpenError::Decrypt)));
        // ... and the same forgery with a non-empty last chunk opens: the check is specific.
        let mut c1 = vec![1u8];
        let t1 = aead.seal_in_place(&nonce(1, true), &[], &mut c1).unwrap();
        let mut ok = honest[..hl].to_vec();
        ok.extend_from_slice(&c0);
        ok.extend_from_slice(&t0);
        ok.extend_from_slice(&c1);
        ok.extend_from_slice(&t1);
        let unsigned = ok.clone();
        sign_trailer(&o, &mut ok, hl);
        assert_eq!(open(&o, &ok).unwrap().len(), CHUNK_SIZE + 1);
        // ... but not without the owner's trailer signature (issue 11 item 2: a recipient
        // knows the payload key and could otherwise substitute content under the owner's
        // header).
        let other = party(4);
        let mut by_other = unsigned.clone();
        sign_trailer(&other, &mut by_other, hl);
        assert!(matches!(open(&o, &by_other), Err(OpenError::Decrypt)));
        assert!(matches!(open(&o, &unsigned), Err(OpenError::Decrypt)));
    }

    /// Appends the trailer signature by `signer` over `s` (header of length `hl`, then chunks).
    fn sign_trailer(signer: &Party, s: &mut Vec<u8>, hl: usize) {
        let mut chunks = Sha256::new();
        chunks.update(&s[hl..]);
        let sig = signer.keys().sign(&end_message(&s[..hl], chunks));
        s.extend_from_slice(&sig);
    }

    #[test]
    fn recipient_cannot_substitute_content_or_add_a_recipient() {
        // Issue 11 item 2. `a` is a recipient and knows the content key (a fixed RNG here).
        let o = party(1);
        let a = party(2);
        let mallory = party(3);
        let mut honest = Vec::new();
        seal_stream_with_rng(
            &o,
            &[a.public()],
            &b"the owner's content"[..],
            &mut honest,
            &mut |_| {},
            &mut Fixed(0x44),
        )
        .unwrap();
        assert_eq!(open(&a, &honest).unwrap(), b"the owner's content");
        let hl = FIXED_LEN + 2 * ENTRY_LEN + SIGNATURE_LEN;
        let cek = [0x44u8; 32];
        // Other content under the owner's signed header, with a's own trailer signature.
        let aead = Aes256Gcm::new(&payload_key(&honest[..hl], &cek));
        let mut c = b"forged content".to_vec();
        let t = aead.seal_in_place(&nonce(0, true), &[], &mut c).unwrap();
        let mut forged = honest[..hl].to_vec();
        forged.extend_from_slice(&c);
        forged.extend_from_slice(&t);
        sign_trailer(&a, &mut forged, hl);
        for p in [&o, &a] {
            let mut out = Vec::new();
            assert!(matches!(
                open_stream(p, &forged[..], &mut out, &mut |_| {}),
                Err(OpenError::Decrypt)
            ));
        }
        // An added recipient entry for mallory (count + 1, her wrap of the known key): the
        // header signature fails for every recipient before anything is released.
        let (epk, ek) = wrap_cek(&mut Fixed(0x55), &mallory.public(), &cek).unwrap();
        let mut h = honest[..hl - SIGNATURE_LEN].to_vec();
        let count = FIXED_LEN - 2;
        h[count + 1] += 1;
        h.extend_from_slice(&mallory.key_id().0);
        h.extend_from_slice(&epk);
        h.extend_from_slice(&ek);
        h.extend_from_slice(&a.keys().sign(&header_message(&h)));
        let mut added = h.clone();
        added.extend_from_slice(&honest[hl..]);
        for p in [&o, &a, &mallory] {
            let mut out = Vec::new();
            assert!(matches!(
                open_stream(p, &added[..], &mut out, &mut |_| {}),
                Err(OpenError::Decrypt)
            ));
            assert!(out.is_empty());
        }
        assert!(inspect_stream(&added[..]).is_err());
    }

    #[test]
    fn owner_cannot_be_forged() {
        // Issue 11 item 2: mallory seals a stream for the bank and names the bank as owner
        // (its keys in the owner field); she cannot sign for it.
        let bank = party(1);
        let mallory = party(2);
        let s = seal(&mallory, &[bank.public()], b"from the bank?");
        let mut t = s.clone();
        let owner_at = 4 + 1 + 16 + 4;
        t[owner_at..owner_at + 32].copy_from_slice(bank.public().signing().as_bytes());
        t[owner_at + 32..owner_at + 64].copy_from_slice(bank.public().encryption().as_bytes());
        for p in [&bank, &mallory] {
            assert!(matches!(open(p, &t), Err(OpenError::Decrypt)));
        }
        assert_eq!(inspect_stream(&s[..]).unwrap().owner, mallory.key_id());
    }

    #[test]
    fn header_tampering_and_wrong_party() {
        let o = party(1);
        let a = party(2);
        let stranger = party(3);
        let s = seal(&o, &[a.public()], b"hello stream");
        assert!(matches!(open(&stranger, &s), Err(OpenError::NotARecipient)));
        for i in 0..FIXED_LEN + 2 * ENTRY_LEN + SIGNATURE_LEN {
            let mut t = s.clone();
            t[i] ^= 0x01;
            for p in [&o, &a] {
                let mut out = Vec::new();
                assert!(
                    open_stream(p, &t[..], &mut out, &mut |_| {}).is_err(),
                    "header byte {i}"
                );
                assert!(out.is_empty(), "header byte {i}: nothing released");
            }
        }
        let mut v = s.clone();
        v[2] = 9;
        assert!(matches!(
            open(&a, &v),
            Err(OpenError::Decode(DecodeError::UnsupportedVersion {
                found: 9
            }))
        ));
    }

    #[test]
    fn nonce_layout() {
        assert_eq!(nonce(0, true), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(nonce(0x0102, false), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0]);
    }

    /// A deterministic RNG (SHA-256 in counter mode) so that two sealings can be compared.
    struct Counter(u64);
    impl RngCore for Counter {
        fn next_u32(&mut self) -> u32 {
            rand_core::impls::next_u32_via_fill(self)
        }
        fn next_u64(&mut self) -> u64 {
            rand_core::impls::next_u64_via_fill(self)
        }
        fn fill_bytes(&mut self, d: &mut [u8]) {
            for b in d.chunks_mut(32) {
                self.0 += 1;
                let h = Sha256::digest(self.0.to_be_bytes());
                b.copy_from_slice(&h[..b.len()]);
            }
        }
        fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(d);
            Ok(())
        }
    }
    impl CryptoRng for Counter {}

    fn push_seal(
        owner: &Party,
        to: &[PublicKeys],
        data: &[u8],
        piece: usize,
        seed: u64,
    ) -> Vec<u8> {
        let mut s = StreamSealer::new_with_rng(owner, to, &mut Counter(seed)).unwrap();
        let mut out = Vec::new();
        for p in data.chunks(piece.max(1)) {
            out.extend(s.push(p).unwrap());
        }
        if data.is_empty() {
            out.extend(s.push(&[]).unwrap());
        }
        let (tail, info) = s.finish().unwrap();
        out.extend(tail);
        assert_eq!(info.plaintext_len, data.len() as u64);
        out
    }

    fn push_open(p: &Party, sealed: &[u8], piece: usize) -> Result<Vec<u8>, OpenError> {
        let mut o = StreamOpener::new(p);
        let mut out = Vec::new();
        for c in sealed.chunks(piece.max(1)) {
            out.extend(o.push(c)?);
        }
        let (tail, _) = o.finish()?;
        out.extend(tail);
        Ok(out)
    }

    #[test]
    fn the_push_api_writes_and_reads_the_same_bytes_as_read_write() {
        let o = party(1);
        let a = party(2);
        for len in [
            0,
            1,
            CHUNK_SIZE - 1,
            CHUNK_SIZE,
            CHUNK_SIZE + 1,
            2 * CHUNK_SIZE,
            2 * CHUNK_SIZE + 77,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 13 % 256) as u8).collect();
            let mut rw = Vec::new();
            let info = seal_stream_with_rng(
                &o,
                &[a.public()],
                &data[..],
                &mut rw,
                &mut |_| {},
                &mut Counter(7),
            )
            .unwrap();
            for piece in [1usize, 1000, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE] {
                if piece == 1 && len > CHUNK_SIZE + 1 {
                    continue; // byte-at-a-time over several chunks: slow, covered by 1000
                }
                let pushed = push_seal(&o, &[a.public()], &data, piece, 7);
                assert_eq!(pushed, rw, "len {len}, pieces of {piece}: same bytes");
                assert_eq!(
                    push_open(&a, &rw, piece).unwrap(),
                    data,
                    "len {len}, piece {piece}"
                );
            }
            assert_eq!(open(&a, &rw).unwrap(), data);
            assert_eq!(info.plaintext_len, len as u64);
            // the pushed header says what the written one says
            let mut op = StreamOpener::new(&a);
            let _ = op
                .push(&rw[..rw.len().min(FIXED_LEN + 2 * ENTRY_LEN + SIGNATURE_LEN)])
                .unwrap();
            assert_eq!(op.header().unwrap(), inspect_stream(&rw[..]).unwrap());
        }
    }

    /// Issue 12: chunks inside a pushed piece are sealed straight from it, only a chunk that
    /// spans pieces is staged; the bytes must not depend on how the plaintext is cut (pieces
    /// of every size class around the chunk size, as a serializer writes them).
    #[test]
    fn the_push_sealer_writes_the_same_bytes_whatever_the_pieces() {
        let o = party(1);
        let a = party(2);
        let len = 4 * CHUNK_SIZE + 333;
        let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
        let mut rw = Vec::new();
        seal_stream_with_rng(
            &o,
            &[a.public()],
            &data[..],
            &mut rw,
            &mut |_| {},
            &mut Counter(9),
        )
        .unwrap();
        let cuts: [&[usize]; 4] = [
            &[8, 200, CHUNK_SIZE - 208, 1, 2 * CHUNK_SIZE + 5, 0, 17],
            &[CHUNK_SIZE, CHUNK_SIZE, 1, CHUNK_SIZE - 1, 3],
            &[CHUNK_SIZE + 1, CHUNK_SIZE - 1, 2 * CHUNK_SIZE],
            &[3 * CHUNK_SIZE + 7, 0, 0, 1],
        ];
        for cut in cuts {
            let mut s = StreamSealer::new_with_rng(&o, &[a.public()], &mut Counter(9)).unwrap();
            let mut out = Vec::new();
            let mut at = 0usize;
            for n in cut.iter().copied().chain([usize::MAX]) {
                let end = at.saturating_add(n).min(len);
                out.extend(s.push(&data[at..end]).unwrap());
                at = end;
            }
            let (tail, info) = s.finish().unwrap();
            out.extend(tail);
            assert_eq!(info.plaintext_len, len as u64, "{cut:?}");
            assert_eq!(out, rw, "pieces {cut:?}: same bytes");
        }
        assert_eq!(open(&a, &rw).unwrap(), data);
    }

    #[test]
    fn the_push_opener_refuses_what_open_stream_refuses() {
        let o = party(1);
        let a = party(2);
        let data: Vec<u8> = (0..2 * CHUNK_SIZE + 100).map(|i| i as u8).collect();
        let s = seal(&o, &[a.public()], &data);
        let hl = FIXED_LEN + 2 * ENTRY_LEN + SIGNATURE_LEN;
        // truncated anywhere, a changed byte anywhere (sampled), trailing data
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for cut in [
            1usize,
            63,
            64,
            65,
            80,
            116,
            CT_CHUNK,
            s.len() - hl,
            s.len() - 3,
        ] {
            cases.push(s[..s.len() - cut].to_vec());
        }
        for at in [
            0usize,
            3,
            20,
            hl - 1,
            hl,
            hl + CT_CHUNK,
            s.len() - 65,
            s.len() - 1,
        ] {
            let mut t = s.clone();
            t[at] ^= 1;
            cases.push(t);
        }
        let mut t = s.clone();
        t.push(0);
        cases.push(t);
        for (i, c) in cases.iter().enumerate() {
            let rw = open(&a, c);
            for piece in [7usize, 4096, CT_CHUNK + 64] {
                let p = push_open(&a, c, piece);
                assert!(p.is_err(), "case {i}, piece {piece}");
                assert_eq!(
                    p.map_err(|e| e.code()).unwrap_err(),
                    rw.as_ref().map_err(|e| e.code()).unwrap_err(),
                    "case {i}: same error class"
                );
            }
        }
        // not a recipient; after an error, every later call fails
        let stranger = party(3);
        let mut op = StreamOpener::new(&stranger);
        assert!(matches!(op.push(&s), Err(OpenError::NotARecipient)));
        assert!(op.push(&[]).is_err());
        assert!(op.finish().is_err());
        // the last chunk is released only by finish, after the trailer verified
        let mut op = StreamOpener::new(&a);
        let early = op.push(&s).unwrap();
        assert_eq!(early.len(), 2 * CHUNK_SIZE);
        let (tail, info) = op.finish().unwrap();
        assert_eq!(tail, &data[2 * CHUNK_SIZE..]);
        assert!(info.signed);
    }
}
