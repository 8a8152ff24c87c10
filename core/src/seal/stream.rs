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
//! Chunks are written out as they authenticate. A failure later in the stream (truncation,
//! tampering) comes back as an error after earlier chunks were written: callers that must not
//! keep partial output write to a temporary file and keep it only on success.
//! The format is in `docs/spec/sealed-record.md`.

use super::hazmat::{Aes256Gcm, TAG_LEN};
use super::{
    key_commitment, recipient_set, unwrap_cek, wrap_cek, Cek, RecordId, ALG, CEK_LEN,
    MAX_RECIPIENTS, VERSION, WRAPPED_LEN,
};
use crate::encoding::{read_header, write_header, Reader, Tag, MAGIC};
use crate::error::{DecodeError, OpenError, SealError};
use crate::party::{KeyId, Party, PublicKeys};
use rand_core::{CryptoRng, OsRng, RngCore};
use sha2::{Digest, Sha256};
use std::io::{ErrorKind, Read, Write};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

/// Plaintext bytes per chunk.
pub const CHUNK_SIZE: usize = 64 * 1024;
const CT_CHUNK: usize = CHUNK_SIZE + TAG_LEN;
const CHUNK_LOG2: u8 = 16;
const PAYLOAD_INFO: &[u8] = b"causeway/stream/v1/payload";
/// Fixed part of the header: magic, version, tag, chunk size, rid, epoch, owner, kc, count.
const FIXED_LEN: usize = 4 + 1 + 16 + 4 + 16 + 32 + 2;
const ENTRY_LEN: usize = 16 + 32 + WRAPPED_LEN;

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
}

struct Entry {
    kid: KeyId,
    epk: [u8; 32],
    ek: [u8; WRAPPED_LEN],
}

struct Header {
    bytes: Vec<u8>,
    rid: RecordId,
    epoch: u32,
    owner: KeyId,
    kc: [u8; 32],
    entries: Vec<Entry>,
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
        }
    }
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

/// Seals `input` as a stream for `recipients` (the owner is always added), writing to `output`.
/// `progress` is called with the plaintext bytes sealed so far.
pub fn seal_stream<R: Read, W: Write>(
    owner: &Party,
    recipients: &[PublicKeys],
    input: R,
    output: W,
    progress: &mut dyn FnMut(u64),
) -> Result<StreamInfo, SealError> {
    seal_stream_with_rng(&mut OsRng, owner, recipients, input, output, progress)
}

/// [`seal_stream`] with the given RNG.
pub fn seal_stream_with_rng<G: RngCore + CryptoRng, R: Read, W: Write>(
    rng: &mut G,
    owner: &Party,
    recipients: &[PublicKeys],
    input: R,
    mut output: W,
    progress: &mut dyn FnMut(u64),
) -> Result<StreamInfo, SealError> {
    let set = recipient_set(owner, recipients)?;
    let mut rid = [0u8; 16];
    rng.try_fill_bytes(&mut rid).map_err(|_| SealError::Rng)?;
    let rid = RecordId(rid);
    let epoch = 0u32;
    let mut cek: Cek = Zeroizing::new([0u8; CEK_LEN]);
    rng.try_fill_bytes(&mut cek[..])
        .map_err(|_| SealError::Rng)?;
    let owner_id = owner.key_id();

    let mut header = Vec::with_capacity(FIXED_LEN + set.len() * ENTRY_LEN);
    write_header(&mut header, VERSION, Tag::SealedStream);
    header.push(CHUNK_LOG2);
    header.extend_from_slice(&rid.0);
    header.extend_from_slice(&epoch.to_be_bytes());
    header.extend_from_slice(&owner_id.0);
    header.extend_from_slice(&key_commitment(&rid, epoch, &cek));
    header.extend_from_slice(&(set.len() as u16).to_be_bytes());
    for keys in &set {
        let (epk, ek) = wrap_cek(rng, keys, &cek)?;
        header.extend_from_slice(&keys.key_id().0);
        header.extend_from_slice(&epk);
        header.extend_from_slice(&ek);
    }
    output.write_all(&header)?;

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
        output.write_all(buf.get(..end).unwrap_or(&[]))?;
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
    output.flush()?;
    Ok(StreamInfo {
        record_id: rid,
        epoch,
        owner: owner_id,
        recipients: set.iter().map(PublicKeys::key_id).collect(),
        plaintext_len: total,
    })
}

fn read_exact_or_truncated<R: Read>(r: &mut R, buf: &mut [u8]) -> Result<(), OpenError> {
    if read_full(r, buf)? != buf.len() {
        return Err(DecodeError::Truncated.into());
    }
    Ok(())
}

fn read_stream_header<R: Read>(input: &mut R) -> Result<Header, OpenError> {
    let mut fixed = [0u8; FIXED_LEN];
    // The first four bytes alone, so a wrong magic or version is named before we ask for more.
    read_exact_or_truncated(input, fixed.get_mut(..4).unwrap_or(&mut []))?;
    read_header(
        &mut Reader::new(fixed.get(..4).unwrap_or(&[])),
        Tag::SealedStream,
        &[VERSION],
    )?;
    read_exact_or_truncated(input, fixed.get_mut(4..).unwrap_or(&mut []))?;
    let mut r = Reader::new(&fixed);
    r.take(4)?;
    if r.u8()? != CHUNK_LOG2 {
        return Err(DecodeError::Invalid { what: "chunk size" }.into());
    }
    let rid = RecordId(r.array()?);
    let epoch = r.u32()?;
    let owner = KeyId(r.array()?);
    let kc = r.array()?;
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
    let mut bytes = Vec::with_capacity(FIXED_LEN + n * ENTRY_LEN);
    bytes.extend_from_slice(&fixed);
    bytes.resize(FIXED_LEN + n * ENTRY_LEN, 0);
    read_exact_or_truncated(input, bytes.get_mut(FIXED_LEN..).unwrap_or(&mut []))?;
    let mut r = Reader::new(bytes.get(FIXED_LEN..).unwrap_or(&[]));
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
    Ok(Header {
        bytes,
        rid,
        epoch,
        owner,
        kc,
        entries,
    })
}

/// Reads a sealed stream's header without opening it.
pub fn inspect_stream<R: Read>(mut input: R) -> Result<StreamHeader, OpenError> {
    Ok(read_stream_header(&mut input)?.info())
}

/// Opens a sealed stream as a recipient (current or retired keys), writing the plaintext to
/// `output` chunk by chunk as each authenticates. `progress` is called with the plaintext
/// bytes written so far. Truncation, reordering, trailing data and any tampering give
/// [`OpenError::Decrypt`] (see the module docs about partial output).
pub fn open_stream<R: Read, W: Write>(
    party: &Party,
    mut input: R,
    mut output: W,
    progress: &mut dyn FnMut(u64),
) -> Result<StreamInfo, OpenError> {
    let h = read_stream_header(&mut input)?;
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
    let aead = Aes256Gcm::new(&payload_key(&h.bytes, &cek));
    drop(cek);
    let mut blocks = Blocks::new(input);
    let mut buf = Zeroizing::new(vec![0u8; CT_CHUNK + 1]);
    let mut counter = 0u64;
    let mut total = 0u64;
    loop {
        let (n, last) = blocks.next(&mut buf[..], CT_CHUNK)?;
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
    output.flush()?;
    Ok(StreamInfo {
        record_id: h.rid,
        epoch: h.epoch,
        owner: h.owner,
        recipients: h.entries.iter().map(|e| e.kid).collect(),
        plaintext_len: total,
    })
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
            assert_eq!(s.len(), FIXED_LEN + 2 * ENTRY_LEN + len + chunks * TAG_LEN);
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
        let hl = FIXED_LEN + ENTRY_LEN;
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
        // payload key re-flags it as non-last and appends an empty last chunk: refused.
        let o = party(1);
        let data = vec![5u8; CHUNK_SIZE];
        let mut honest = Vec::new();
        seal_stream_with_rng(
            &mut Fixed(0x33),
            &o,
            &[],
            &data[..],
            &mut honest,
            &mut |_| {},
        )
        .unwrap();
        let hl = FIXED_LEN + ENTRY_LEN;
        let cek = [0x33u8; 32];
        let aead = Aes256Gcm::new(&payload_key(&honest[..hl], &cek));
        let mut c0 = data.clone();
        let t0 = aead.seal_in_place(&nonce(0, false), &[], &mut c0).unwrap();
        let t1 = aead.seal_in_place(&nonce(1, true), &[], &mut []).unwrap();
        let mut forged = honest[..hl].to_vec();
        forged.extend_from_slice(&c0);
        forged.extend_from_slice(&t0);
        forged.extend_from_slice(&t1);
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
        assert_eq!(open(&o, &ok).unwrap().len(), CHUNK_SIZE + 1);
    }

    #[test]
    fn header_tampering_and_wrong_party() {
        let o = party(1);
        let a = party(2);
        let stranger = party(3);
        let s = seal(&o, &[a.public()], b"hello stream");
        assert!(matches!(open(&stranger, &s), Err(OpenError::NotARecipient)));
        for i in 0..FIXED_LEN + 2 * ENTRY_LEN {
            let mut t = s.clone();
            t[i] ^= 0x01;
            assert!(open(&a, &t).is_err(), "header byte {i}");
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
}
