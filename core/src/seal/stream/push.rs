//! The push API for sealed streams: feed bytes in with `push`, end with `finish`, for callers
//! without `Read`/`Write` (bindings, event loops, wasm). Same format, same checks, and for the
//! same RNG the same bytes as [`super::seal_stream_with_rng`] / [`super::open_stream`].

use super::super::hazmat::{Aes256Gcm, TAG_LEN};
use super::super::{recipient_set, MAX_RECIPIENTS, VERSION, VERSION_1};
use super::{
    build_header, end_message, nonce, payload_key, read_stream_header, Header, PartContext,
    StreamHeader, StreamInfo, CHUNK_SIZE, CT_CHUNK, ENTRY_LEN, FIXED_LEN, FIXED_LEN_PART,
    FIXED_LEN_V1, PART_VERSION, SIGNATURE_LEN,
};
use crate::encoding::{read_header, Reader, Tag};
use crate::error::{DecodeError, OpenError, SealError};
use crate::party::{Party, PublicKeys, SecretKeys};
use crate::seal::OpenOptions;
use rand_core::{CryptoRng, OsRng, RngCore};
use sha2::{Digest, Sha256};
use std::io::Write;
use zeroize::{Zeroize, Zeroizing};

/// Seals a stream from pushed plaintext.
///
/// ```
/// use causeway::party::Party;
/// use causeway::seal::stream::{StreamOpener, StreamSealer};
/// let owner = Party::generate()?;
/// let bob = Party::generate()?;
/// let mut sealer = StreamSealer::new(&owner, &[bob.public()])?;
/// let mut sealed = sealer.push(b"first part, ")?;
/// sealed.extend(sealer.push(b"second part")?);
/// let (tail, info) = sealer.finish()?;
/// sealed.extend(tail);
/// assert_eq!(info.plaintext_len, 23);
///
/// let mut opener = StreamOpener::new(&bob);
/// let mut plain = Vec::new();
/// for piece in sealed.chunks(1000) {
///     plain.extend(opener.push(piece)?);
/// }
/// let (tail, _) = opener.finish()?;
/// plain.extend(tail);
/// assert_eq!(plain, b"first part, second part");
/// # Ok::<(), causeway::Error>(())
/// ```
pub struct StreamSealer {
    signer: SecretKeys,
    /// The header, until it is handed out with the first output.
    header: Vec<u8>,
    header_sent: bool,
    aead: Aes256Gcm,
    /// Plaintext of a chunk that spans pushed pieces (at most [`CHUNK_SIZE`] bytes).
    buf: Zeroizing<Vec<u8>>,
    /// Where each chunk is encrypted: ciphertext between calls (wiped if sealing fails).
    work: Vec<u8>,
    chunks: Sha256,
    counter: u64,
    info: StreamInfo,
}

impl core::fmt::Debug for StreamSealer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StreamSealer")
            .field("record_id", &self.info.record_id)
            .field("plaintext_len", &self.info.plaintext_len)
            .finish_non_exhaustive()
    }
}

impl StreamSealer {
    /// Starts a stream for `recipients` (the owner is always added).
    pub fn new(owner: &Party, recipients: &[PublicKeys]) -> Result<StreamSealer, SealError> {
        Self::new_with_rng(owner, recipients, &mut OsRng)
    }

    /// [`StreamSealer::new`] with the given RNG (used here only: the header is made at once).
    pub fn new_with_rng<G: RngCore + CryptoRng>(
        owner: &Party,
        recipients: &[PublicKeys],
        rng: &mut G,
    ) -> Result<StreamSealer, SealError> {
        Self::new_in(owner, recipients, rng, None)
    }

    /// [`StreamSealer::new_with_rng`], for a table part (version 3) with its `context`: the
    /// same RNG draws as [`super::seal_stream_digest`].
    pub(crate) fn new_in<G: RngCore + CryptoRng>(
        owner: &Party,
        recipients: &[PublicKeys],
        rng: &mut G,
        context: Option<&PartContext>,
    ) -> Result<StreamSealer, SealError> {
        let set = recipient_set(owner, recipients)?;
        let signer = owner.keys().clone();
        let (header, cek, rid) = build_header(rng, &signer, &set, context)?;
        let aead = Aes256Gcm::new(&payload_key(&header, &cek));
        drop(cek);
        let info = StreamInfo {
            record_id: rid,
            epoch: 0,
            owner: signer.public().key_id(),
            recipients: set.iter().map(PublicKeys::key_id).collect(),
            plaintext_len: 0,
            signed: true,
        };
        Ok(StreamSealer {
            signer,
            header,
            header_sent: false,
            aead,
            buf: Zeroizing::new(Vec::with_capacity(CHUNK_SIZE)),
            work: Vec::with_capacity(CHUNK_SIZE),
            chunks: Sha256::new(),
            counter: 0,
            info,
        })
    }

    /// What the stream will say about itself (its header is fixed from the start).
    pub fn info(&self) -> &StreamInfo {
        &self.info
    }

    fn take_header<W: Write>(&mut self, out: &mut W) -> Result<(), SealError> {
        if !self.header_sent {
            out.write_all(&self.header)?;
            self.header_sent = true;
        }
        Ok(())
    }

    /// Seals the chunk `plain` (at most [`CHUNK_SIZE`] bytes of plaintext) and writes it to
    /// `out`: `plain` is copied into the reused work buffer and encrypted there, so what the
    /// buffer keeps afterwards is ciphertext (wiped only on failure, when it may hold
    /// plaintext).
    fn seal_chunk_from<W: Write>(
        &mut self,
        plain: &[u8],
        last: bool,
        out: &mut W,
    ) -> Result<(), SealError> {
        let n = plain.len();
        self.work.clear();
        self.work.extend_from_slice(plain);
        let tag = match self
            .aead
            .seal_in_place(&nonce(self.counter, last), &[], &mut self.work)
        {
            Ok(tag) => tag,
            Err(_) => {
                self.work.zeroize();
                return Err(SealError::PayloadTooLarge {
                    len: n,
                    max: CHUNK_SIZE,
                });
            }
        };
        self.chunks.update(&self.work);
        self.chunks.update(tag);
        out.write_all(&self.work)?;
        out.write_all(&tag)?;
        self.info.plaintext_len = self.info.plaintext_len.saturating_add(n as u64);
        if !last {
            self.counter = self
                .counter
                .checked_add(1)
                .ok_or(SealError::PayloadTooLarge {
                    len: usize::MAX,
                    max: CHUNK_SIZE,
                })?;
        }
        Ok(())
    }

    /// Seals the staged chunk (`buf`, [`CHUNK_SIZE`] bytes or, when `last`, fewer) and empties
    /// the stage, wiping it.
    fn seal_staged<W: Write>(&mut self, last: bool, out: &mut W) -> Result<(), SealError> {
        let staged = core::mem::take(&mut self.buf);
        let r = self.seal_chunk_from(&staged, last, out);
        self.buf = staged;
        self.buf.zeroize();
        r
    }

    /// Adds plaintext; returns the sealed bytes ready so far (the header first, then every
    /// chunk known not to be the last: a full chunk is sealed once at least one more byte
    /// follows it).
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut out = Vec::new();
        self.push_to(data, &mut out)?;
        Ok(out)
    }

    /// [`StreamSealer::push`], writing the sealed bytes to `out`.
    ///
    /// A chunk is sealed once at least one more byte is known to follow it (the last chunk is
    /// sealed by `finish_to`), so chunk boundaries fall at multiples of [`CHUNK_SIZE`] however
    /// the plaintext is cut into pieces. Only a chunk that spans pieces is staged (copied into
    /// `buf`); the chunks inside a piece are sealed straight from it.
    pub(crate) fn push_to<W: Write>(&mut self, data: &[u8], out: &mut W) -> Result<(), SealError> {
        self.take_header(out)?;
        let mut data = data;
        if !self.buf.is_empty() {
            // complete the staged chunk; seal it once a byte follows it
            let room = CHUNK_SIZE.saturating_sub(self.buf.len());
            let (now, rest) = data.split_at(room.min(data.len()));
            self.buf.extend_from_slice(now);
            data = rest;
            if data.is_empty() {
                return Ok(());
            }
            self.seal_staged(false, out)?;
        }
        // whole chunks with at least one byte after them, straight from `data`
        while data.len() > CHUNK_SIZE {
            let (chunk, rest) = data.split_at(CHUNK_SIZE);
            self.seal_chunk_from(chunk, false, out)?;
            data = rest;
        }
        // the rest (at most a chunk, perhaps the last) waits
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// Ends the stream: returns the last sealed bytes (the last chunk, possibly empty, and the
    /// owner's trailer signature) and what was sealed.
    pub fn finish(self) -> Result<(Vec<u8>, StreamInfo), SealError> {
        let mut out = Vec::new();
        let (info, _) = self.finish_to(&mut out)?;
        Ok((out, info))
    }

    /// [`StreamSealer::finish`], writing the last sealed bytes to `out`; also returns the
    /// stream's digest (what a table manifest records for a part, as
    /// [`super::seal_stream_digest`] returns it).
    pub(crate) fn finish_to<W: Write>(
        mut self,
        out: &mut W,
    ) -> Result<(StreamInfo, [u8; 32]), SealError> {
        self.take_header(out)?;
        self.seal_staged(true, out)?;
        let chunks = core::mem::take(&mut self.chunks);
        let m = end_message(&self.header, chunks);
        out.write_all(&self.signer.sign(&m))?;
        Ok((self.info.clone(), Sha256::digest(&m).into()))
    }
}

/// Opens a sealed stream from pushed bytes, as a recipient (current or retired keys).
///
/// As with [`super::open_stream`], chunks are handed out by [`StreamOpener::push`] as they
/// authenticate, before the trailer (version 2) is checked by [`StreamOpener::finish`]:
/// a caller that must not act on a stream that later fails holds the output back until
/// `finish` succeeds. The last chunk is only handed out by `finish`, after the trailer
/// verified. After an error every later call fails.
///
/// [`StreamOpener::new`] checks nothing about who made the stream: a version-1 stream (no
/// owner signature) opens, and so does a stream of another owner or an older epoch. A caller
/// that relies on the owner or on freshness uses [`StreamOpener::with_options`], which makes
/// the checks of [`super::open_stream_with`] as soon as the header is read, before any key is
/// unwrapped or any plaintext handed out:
///
/// ```
/// use causeway::error::OpenError;
/// use causeway::party::Party;
/// use causeway::seal::stream::{StreamOpener, StreamSealer};
/// use causeway::seal::OpenOptions;
/// let owner = Party::generate()?;
/// let bob = Party::generate()?;
/// let mut sealer = StreamSealer::new(&owner, &[bob.public()])?;
/// let mut sealed = sealer.push(b"payload")?;
/// let (tail, info) = sealer.finish()?;
/// sealed.extend(tail);
/// // a newer epoch of this record is known: the stream is refused before anything is opened
/// let known = (info.record_id, 1u32);
/// let opts = OpenOptions { expect_owner: Some(owner.key_id()), known_epochs: Some(&known) };
/// let mut opener = StreamOpener::with_options(&bob, opts);
/// assert!(matches!(opener.push(&sealed), Err(OpenError::StaleEpoch { .. })));
/// # Ok::<(), causeway::Error>(())
/// ```
pub struct StreamOpener<'a> {
    party: Option<Party>,
    options: OpenOptions<'a>,
    buf: Vec<u8>,
    header: Option<Header>,
    aead: Option<Aes256Gcm>,
    hold: usize,
    chunks: Sha256,
    counter: u64,
    total: u64,
    failed: bool,
}

impl core::fmt::Debug for StreamOpener<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StreamOpener")
            .field("header_read", &self.header.is_some())
            .field("plaintext_len", &self.total)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The length of a stream header whose first bytes are `prefix`, once that can be told; `Err`
/// when the prefix is already invalid (read it to get the error).
fn header_len(prefix: &[u8]) -> Result<Option<usize>, ()> {
    if prefix.len() < 4 {
        return Ok(None);
    }
    let version = read_header(
        &mut Reader::new(prefix.get(..4).unwrap_or(&[])),
        Tag::SealedStream,
        &[VERSION_1, VERSION, PART_VERSION],
    )
    .map_err(|_| ())?;
    // A table part's header is read whole, then refused (`OpenError::TablePart`).
    let (fixed, sig) = match version {
        VERSION => (FIXED_LEN, SIGNATURE_LEN),
        PART_VERSION => (FIXED_LEN_PART, SIGNATURE_LEN),
        _ => (FIXED_LEN_V1, 0),
    };
    let (Some(a), Some(b)) = (prefix.get(fixed - 2), prefix.get(fixed - 1)) else {
        return Ok(None);
    };
    let n = usize::from(u16::from_be_bytes([*a, *b]));
    if n == 0 || n > MAX_RECIPIENTS {
        return Err(());
    }
    Ok(Some(fixed + n * ENTRY_LEN + sig))
}

impl StreamOpener<'static> {
    /// Starts opening as `party` (a copy of its keys is kept until the header is read), with
    /// no check of the owner or the epoch (see the type's docs).
    pub fn new(party: &Party) -> StreamOpener<'static> {
        StreamOpener::with_options(party, OpenOptions::default())
    }
}

impl<'a> StreamOpener<'a> {
    /// Starts opening as `party`, with the checks of `options` made once the header (and in
    /// version 2 its owner signature) is read and before any key is unwrapped: the expected
    /// owner ([`OpenError::WrongOwner`]; an unsigned version-1 stream gives
    /// [`OpenError::Unauthenticated`]) and the newest known epoch signed by the stream's owner
    /// ([`OpenError::StaleEpoch`]; with `known_epochs` set an unsigned stream is refused with
    /// `Unauthenticated` too). The same checks as [`super::open_stream_with`].
    pub fn with_options(party: &Party, options: OpenOptions<'a>) -> StreamOpener<'a> {
        StreamOpener {
            party: Some(party.clone()),
            options,
            buf: Vec::new(),
            header: None,
            aead: None,
            hold: 0,
            chunks: Sha256::new(),
            counter: 0,
            total: 0,
            failed: false,
        }
    }

    /// The header, once it was read (and, in version 2, its owner signature verified).
    pub fn header(&self) -> Option<StreamHeader> {
        self.header.as_ref().map(Header::info)
    }

    fn fail<T>(&mut self, e: OpenError) -> Result<T, OpenError> {
        self.failed = true;
        self.buf.clear();
        self.party = None;
        Err(e)
    }

    /// Reads the header from the buffer once it is complete (`at_end`: no more input).
    fn try_header(&mut self, at_end: bool) -> Result<bool, OpenError> {
        if self.header.is_some() {
            return Ok(true);
        }
        let complete = match header_len(&self.buf) {
            Ok(Some(len)) => self.buf.len() >= len,
            Ok(None) => false,
            Err(()) => true, // parse it now for the precise error
        };
        if !complete && !at_end {
            return Ok(false);
        }
        let mut r: &[u8] = &self.buf;
        let h = read_stream_header(&mut r)?;
        let used = self.buf.len() - r.len();
        self.buf.drain(..used);
        // The options before anything is unwrapped (review of c6e3057, item 1), in the one
        // place the pull opener uses too.
        let party = self.party.take().ok_or(OpenError::Decrypt)?;
        let aead = super::header_cipher(&party, &h, &self.options);
        drop(party);
        self.aead = Some(aead?);
        self.hold = if h.owner_keys.is_some() {
            SIGNATURE_LEN
        } else {
            0
        };
        self.header = Some(h);
        Ok(true)
    }

    /// Opens the chunk `buf[..n]` and appends its plaintext to `out`.
    fn open_chunk(&mut self, n: usize, last: bool, out: &mut Vec<u8>) -> Result<(), OpenError> {
        let aead = self.aead.as_ref().ok_or(OpenError::Decrypt)?;
        let chunk = self.buf.get(..n).ok_or(OpenError::Decrypt)?;
        self.chunks.update(chunk);
        let body_len = n.checked_sub(TAG_LEN).ok_or(OpenError::Decrypt)?;
        let (body, tag) = chunk.split_at(body_len);
        let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| OpenError::Decrypt)?;
        let mut body = Zeroizing::new(body.to_vec());
        aead.open_in_place(&nonce(self.counter, last), &[], &mut body, &tag)?;
        if last && body_len == 0 && self.counter > 0 {
            // Only an empty payload may end with an empty chunk.
            return Err(OpenError::Decrypt);
        }
        out.extend_from_slice(&body);
        self.buf.drain(..n);
        self.total = self.total.saturating_add(body_len as u64);
        if !last {
            self.counter = self.counter.checked_add(1).ok_or(OpenError::Decrypt)?;
        }
        Ok(())
    }

    fn push_inner(&mut self, data: &[u8]) -> Result<Vec<u8>, OpenError> {
        let mut out = Vec::new();
        let mut data = data;
        while !data.is_empty() {
            // Bounded buffering: at most one chunk, its look-ahead and the trailer at a time
            // (the header: up to its own length).
            let cap = if self.header.is_some() {
                CT_CHUNK + 1 + self.hold
            } else {
                FIXED_LEN_PART + MAX_RECIPIENTS * ENTRY_LEN + SIGNATURE_LEN
            };
            let room = cap.saturating_sub(self.buf.len()).max(1);
            let (now, rest) = data.split_at(room.min(data.len()));
            self.buf.extend_from_slice(now);
            data = rest;
            if !self.try_header(false)? {
                continue;
            }
            while self.buf.len() > CT_CHUNK + self.hold {
                self.open_chunk(CT_CHUNK, false, &mut out)?;
            }
        }
        Ok(out)
    }

    /// Adds sealed bytes; returns the plaintext of every chunk that authenticated and is known
    /// not to be the last (see the type's docs about the trailer).
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<u8>, OpenError> {
        if self.failed {
            return Err(OpenError::Decrypt);
        }
        match self.push_inner(data) {
            Ok(out) => Ok(out),
            Err(e) => self.fail(e),
        }
    }

    fn finish_inner(&mut self) -> Result<(Vec<u8>, StreamInfo), OpenError> {
        if !self.try_header(true)? {
            return Err(DecodeError::Truncated.into());
        }
        let n = self
            .buf
            .len()
            .checked_sub(self.hold)
            .ok_or(OpenError::Decrypt)?;
        let mut out = Vec::new();
        self.open_chunk(n, true, &mut out)?;
        let h = self.header.as_ref().ok_or(OpenError::Decrypt)?;
        if let Some(keys) = &h.owner_keys {
            let sig: [u8; SIGNATURE_LEN] = self
                .buf
                .as_slice()
                .try_into()
                .map_err(|_| OpenError::Decrypt)?;
            let chunks = core::mem::take(&mut self.chunks);
            keys.verify(&end_message(&h.bytes, chunks), &sig)
                .map_err(|_| OpenError::Decrypt)?;
        } else if !self.buf.is_empty() {
            return Err(OpenError::Decrypt);
        }
        Ok((
            out,
            StreamInfo {
                record_id: h.rid,
                epoch: h.epoch,
                owner: h.owner,
                recipients: h.entries.iter().map(|e| e.kid).collect(),
                plaintext_len: self.total,
                signed: h.owner_keys.is_some(),
            },
        ))
    }

    /// Ends the input: opens the last chunk, checks the trailer (version 2) and returns the
    /// last chunk's plaintext and what was opened. Truncation, trailing data and any changed
    /// byte give the opaque [`OpenError::Decrypt`] (a header cut short: `Decode(Truncated)`).
    pub fn finish(mut self) -> Result<(Vec<u8>, StreamInfo), OpenError> {
        if self.failed {
            return Err(OpenError::Decrypt);
        }
        let r = self.finish_inner();
        if r.is_err() {
            self.buf.clear();
        }
        r
    }
}
