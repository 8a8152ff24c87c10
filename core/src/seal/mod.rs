//! Sealed records: a record (or bytes) encrypted once under a fresh content key and wrapped for
//! each recipient.
//!
//! A [`Sealed`] is a standard JWE (RFC 7516 JSON general serialization, `ECDH-ES+A256KW` over
//! X25519 per RFC 8037, `A256GCM`), so any JOSE library holding a recipient's X25519 JWK can
//! open it. Causeway adds to the protected header its format version (`cw_v`), the record id
//! (`cw_rid`), the epoch (`cw_ep`), the owner's key id (`cw_own`) and a key commitment
//! (`cw_kc`). The canonical form is binary (`docs/spec/sealed-record.md`); the JWE JSON is a
//! view over those bytes.
//!
//! The owner signs the whole object (format version 2, Ed25519; in the JWE the unprotected
//! header parameter `cw_sig`, which JOSE libraries ignore): open, grant, revoke and re-seal
//! check it first, so an added recipient, a second key of a recipient or another `cw_own` is
//! refused by every recipient and never re-wrapped for (`docs/decisions/0025-…`). Version-1
//! objects (unsigned) still open; grant and revoke refuse them.
//!
//! Causeway checks the key commitment in constant time before decrypting: AES-GCM is not
//! key-committing, so without it a sender could wrap different content keys for different
//! recipients and show each of them different plaintext ("invisible salamanders").
//!
//! ```
//! use causeway::party::Party;
//! use causeway::record::{Record, Value};
//! use causeway::seal::Sealed;
//! let bank = Party::generate()?;
//! let regulator = Party::generate()?;
//! let record = Record::new("kyc/v1")?.with("score", Value::Int(712))?;
//! let sealed = Sealed::seal_record(&bank, &[], &record)?;
//! assert!(sealed.open_record(&regulator).is_err());
//! let granted = sealed.grant(&bank, &regulator.public())?;
//! assert_eq!(granted.open_record(&regulator)?, record);
//! let revoked = granted.revoke(&bank, &regulator.key_id())?;
//! assert_eq!(revoked.epoch(), 1);
//! assert!(revoked.open_record(&regulator).is_err());
//! # Ok::<(), causeway::Error>(())
//! ```

mod any;
mod epochs;
#[cfg(test)]
mod fixtures;
pub mod hazmat;
mod jwe;
pub mod stream;
pub mod table;

pub use any::{open_any, CheckedSealed, CheckedSealedRef, Format, OpenOptions, Opened, Owner};
pub use epochs::{EpochBook, KnownEpochs, BOOK_HEADER, MAX_BOOK_ENTRIES, MAX_BOOK_TEXT};
pub use jwe::{is_foreign_jwe, open_jwe};

use crate::encoding::{read_header, write_header, Reader, Tag};
use crate::error::{DecodeError, OpenError, SealError};
use crate::party::{KeyId, Party, PublicKeys, SecretKeys};
use crate::record::Record;
use core::fmt;
use rand_core::{CryptoRng, OsRng, RngCore};
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

/// Format version of sealed records and streams (`cw_v`) that encoders write: version 2 is
/// signed by the owner (`docs/spec/sealed-record.md`).
pub const VERSION: u8 = 2;
/// The first format version: no owner signature. Still decoded and opened; its recipient list
/// is not trusted by [`Sealed::grant`] and [`Sealed::revoke`] (see [`SealError::Unauthenticated`]).
pub const VERSION_1: u8 = 1;
/// Length of an owner signature (Ed25519).
pub const SIGNATURE_LEN: usize = 64;
/// Most recipients a sealed record or stream may have (the owner included).
pub const MAX_RECIPIENTS: usize = 1024;
/// Largest plaintext a sealed record holds; bigger payloads go in a [`stream`].
pub const MAX_PAYLOAD: usize = 64 * 1024 * 1024;
/// Largest protected header accepted (decoded bytes).
pub const MAX_PROTECTED: usize = 4 * 1024;
/// Largest JWE JSON text accepted, checked before parsing.
pub const MAX_JSON: usize = 100 * 1024 * 1024;

/// `cty` of a sealed [`Record`].
pub const CTY_RECORD: &str = "application/vnd.causeway.record+bin";
/// `cty` of sealed bytes.
pub const CTY_BYTES: &str = "application/octet-stream";
/// The JWE key management algorithm.
pub const ALG: &str = "ECDH-ES+A256KW";
/// The JWE content encryption algorithm.
pub const ENC: &str = "A256GCM";

const KC_LABEL: &[u8] = b"causeway/key-commitment/v1";
/// Signing namespace of a version-2 sealed record's owner signature.
const SIG_LABEL: &[u8] = b"causeway/sealed-record/v2/owner-signature";
const CEK_LEN: usize = 32;
const WRAPPED_LEN: usize = 40;
/// The canonical form's fixed bytes before the recipients and after them up to the ciphertext:
/// header (4), content type (1), record id (16), epoch (4), owner key id (16), key commitment
/// (32), IV (12), recipient count (2) and the ciphertext's length (4).
const PREFIX_FIXED_LEN: usize = 4 + 1 + 16 + 4 + 16 + 32 + 12 + 2 + 4;
/// One recipient entry of the canonical form: signing key, encryption key, ephemeral key
/// (32 each) and the wrapped key (40).
const RECIPIENT_ENTRY_LEN: usize = 32 + 32 + 32 + WRAPPED_LEN;

/// The message an owner signs over a version-2 object's canonical bytes without the signature
/// (`body`): the signing namespace and the body's SHA-256.
fn signed_message_of(body: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(body);
    let mut m = Vec::with_capacity(SIG_LABEL.len() + 32);
    m.extend_from_slice(SIG_LABEL);
    m.extend_from_slice(&digest);
    m
}

/// A sealed record's id: 16 random bytes, printed as 32 hex digits. Kept across grants and
/// revocations (the epoch tells the versions apart).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub [u8; 16]);

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({self})")
    }
}

impl core::str::FromStr for RecordId {
    type Err = DecodeError;
    fn from_str(s: &str) -> Result<Self, DecodeError> {
        if s.len() != 32 {
            return Err(DecodeError::Invalid { what: "record id" });
        }
        let mut out = [0u8; 16];
        hex::decode_to_slice(s, &mut out)
            .map_err(|_| DecodeError::Invalid { what: "record id" })?;
        Ok(RecordId(out))
    }
}

/// What a sealed record holds.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Content {
    /// A Causeway [`Record`] (`cty` [`CTY_RECORD`]).
    Record(Record),
    /// Opaque bytes (`cty` [`CTY_BYTES`]).
    Bytes(Vec<u8>),
}

/// The kind of content, as carried in `cty`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ContentType {
    Record = 1,
    Bytes = 2,
}

impl ContentType {
    fn as_str(self) -> &'static str {
        match self {
            ContentType::Record => CTY_RECORD,
            ContentType::Bytes => CTY_BYTES,
        }
    }
    fn from_byte(b: u8) -> Result<Self, DecodeError> {
        match b {
            1 => Ok(ContentType::Record),
            2 => Ok(ContentType::Bytes),
            _ => Err(DecodeError::Invalid {
                what: "content type",
            }),
        }
    }
    fn from_str(s: &str) -> Result<Self, DecodeError> {
        match s {
            CTY_RECORD => Ok(ContentType::Record),
            CTY_BYTES => Ok(ContentType::Bytes),
            _ => Err(DecodeError::Invalid {
                what: "content type",
            }),
        }
    }
}

/// One recipient's wrap of the content key.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Recipient {
    /// The recipient's public keys (so the owner can re-seal on revocation).
    pub(crate) keys: PublicKeys,
    pub(crate) kid: KeyId,
    /// The ephemeral X25519 public key (canonical: high bit clear, below p).
    pub(crate) epk: [u8; 32],
    /// AES key wrap (RFC 3394) of the content key.
    pub(crate) ek: [u8; WRAPPED_LEN],
}

/// A content key. Zeroized on drop.
pub(crate) type Cek = Zeroizing<[u8; CEK_LEN]>;

/// A sealed record: a standard multi-recipient JWE with Causeway's header. Public data only;
/// the content key is never stored.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Sealed {
    /// The owner's Ed25519 signature (version 2), or `None` for a version-1 object.
    sig: Option<[u8; SIGNATURE_LEN]>,
    cty: ContentType,
    rid: RecordId,
    epoch: u32,
    owner: KeyId,
    kc: [u8; 32],
    iv: [u8; 12],
    recipients: Vec<Recipient>,
    ciphertext: Vec<u8>,
    tag: [u8; 16],
}

fn fill<R: RngCore + CryptoRng>(rng: &mut R, buf: &mut [u8]) -> Result<(), SealError> {
    rng.try_fill_bytes(buf).map_err(|_| SealError::Rng)
}

/// `SHA-256("causeway/key-commitment/v1" || rid || epoch_be32 || CEK)`.
pub(crate) fn key_commitment(rid: &RecordId, epoch: u32, cek: &[u8; CEK_LEN]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(KC_LABEL);
    h.update(rid.0);
    h.update(epoch.to_be_bytes());
    h.update(cek);
    h.finalize().into()
}

/// Concat KDF (RFC 7518 §4.6.2, NIST SP 800-56A) with SHA-256 for a 256-bit key.
pub(crate) fn concat_kdf(z: &[u8; 32], alg: &str, apu: &[u8], apv: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(1u32.to_be_bytes());
    h.update(z);
    for part in [alg.as_bytes(), apu, apv] {
        h.update((part.len() as u32).to_be_bytes());
        h.update(part);
    }
    h.update(256u32.to_be_bytes());
    Zeroizing::new(h.finalize().into())
}

/// An X25519 public key in canonical form: the unused top bit clear and `u < 2^255 - 19`.
/// RFC 7748 implementations ignore the top bit, so without this check a flipped bit would
/// still open.
pub(crate) fn canonical_x25519(b: &[u8; 32]) -> bool {
    let top = b[31];
    if top & 0x80 != 0 {
        return false;
    }
    // u >= p  <=>  b = ed..ff, ff.., 7f
    let over = top == 0x7f && b[1..31].iter().all(|&x| x == 0xff) && b[0] >= 0xed;
    !over
}

/// Wraps `cek` for a recipient: fresh ephemeral X25519 key, Concat KDF, AES key wrap.
pub(crate) fn wrap_cek<R: RngCore + CryptoRng>(
    rng: &mut R,
    to: &PublicKeys,
    cek: &[u8; CEK_LEN],
) -> Result<([u8; 32], [u8; WRAPPED_LEN]), SealError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    fill(rng, &mut seed[..])?;
    let esk = x25519_dalek::StaticSecret::from(*seed);
    let epk = x25519_dalek::PublicKey::from(&esk);
    let shared = esk.diffie_hellman(to.encryption());
    if !shared.was_contributory() {
        return Err(SealError::BadRecipient);
    }
    let kek = concat_kdf(shared.as_bytes(), ALG, &[], &[]);
    let mut ek = [0u8; WRAPPED_LEN];
    aes_kw::KekAes256::new(&(*kek).into())
        .wrap(cek, &mut ek)
        .map_err(|_| SealError::BadRecipient)?;
    Ok((*epk.as_bytes(), ek))
}

/// Unwraps a content key with one of the caller's keys. Every failure is `Decrypt`.
pub(crate) fn unwrap_cek(
    keys: &SecretKeys,
    epk: &[u8; 32],
    ek: &[u8],
    alg: &str,
    apu: &[u8],
    apv: &[u8],
) -> Result<Cek, OpenError> {
    if !canonical_x25519(epk) {
        return Err(OpenError::Decrypt);
    }
    let shared = keys
        .diffie_hellman(&x25519_dalek::PublicKey::from(*epk))
        .ok_or(OpenError::Decrypt)?;
    let kek = concat_kdf(&shared, alg, apu, apv);
    let mut cek = Zeroizing::new([0u8; CEK_LEN]);
    if ek.len() != WRAPPED_LEN {
        return Err(OpenError::Decrypt);
    }
    aes_kw::KekAes256::new(&(*kek).into())
        .unwrap(ek, &mut cek[..])
        .map_err(|_| OpenError::Decrypt)?;
    Ok(cek)
}

/// The recipients of a new seal: the owner's current keys first, then the others in order,
/// duplicates dropped.
fn recipient_set(owner: &Party, recipients: &[PublicKeys]) -> Result<Vec<PublicKeys>, SealError> {
    let mut out: Vec<PublicKeys> = Vec::with_capacity(recipients.len().min(MAX_RECIPIENTS) + 1);
    out.push(owner.public());
    for r in recipients {
        if out.iter().any(|o| o == r) {
            continue;
        }
        if out.len() == MAX_RECIPIENTS {
            return Err(SealError::TooManyRecipients {
                count: recipients.len().saturating_add(1),
                max: MAX_RECIPIENTS,
            });
        }
        out.push(*r);
    }
    Ok(out)
}

/// The state of a sealed record's owner signature, as [`Sealed::inspect`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OwnerSignature {
    /// A version-1 object: the recipient list is not authenticated.
    None,
    /// The owner's signature verifies.
    Valid,
    /// The owner's signature does not verify.
    Invalid,
}

impl OwnerSignature {
    /// The text the JSON summary shows.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerSignature::None => "none (version 1: recipient list not authenticated)",
            OwnerSignature::Valid => "valid",
            OwnerSignature::Invalid => "INVALID",
        }
    }
}

/// What a sealed record says about itself ([`Sealed::inspect`]), without opening it (no
/// secrets). It serializes (serde) and prints (`Display`, compact) as `{"type":
/// "sealed-record", "version", "owner_signature", "record_id", "epoch", "owner",
/// "recipients", "content_type", "alg", "enc", "ciphertext_len", "sha256"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedSummary {
    /// The format version.
    pub version: u8,
    /// Whether the owner's signature verifies.
    pub owner_signature: OwnerSignature,
    /// The record id.
    pub record_id: RecordId,
    /// The epoch.
    pub epoch: u32,
    /// The owner's key id.
    pub owner: KeyId,
    /// The recipients' key ids, in the object's order.
    pub recipients: Vec<KeyId>,
    /// The JWE content type (`cty`).
    pub content_type: &'static str,
    /// The ciphertext's length in bytes.
    pub ciphertext_len: usize,
    /// SHA-256 of the ciphertext (hex in JSON).
    pub sha256: [u8; 32],
}

impl SealedSummary {
    /// The one rendering behind `Serialize` and `Display`.
    fn value(&self) -> serde_json::Value {
        json!({
            "type": "sealed-record",
            "version": self.version,
            "owner_signature": self.owner_signature.as_str(),
            "record_id": self.record_id.to_string(),
            "epoch": self.epoch,
            "owner": self.owner.to_string(),
            "recipients": self.recipients.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            "content_type": self.content_type,
            "alg": ALG,
            "enc": ENC,
            "ciphertext_len": self.ciphertext_len,
            "sha256": hex::encode(self.sha256),
        })
    }
}

impl serde::Serialize for SealedSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl fmt::Display for SealedSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value(), f)
    }
}

impl Sealed {
    /// Seals a record for `recipients` (the owner is always added).
    pub fn seal_record(
        owner: &Party,
        recipients: &[PublicKeys],
        record: &Record,
    ) -> Result<Sealed, SealError> {
        Self::seal_record_with_rng(owner, recipients, record, &mut OsRng)
    }

    /// [`Sealed::seal_record`] with the given RNG.
    pub fn seal_record_with_rng<R: RngCore + CryptoRng>(
        owner: &Party,
        recipients: &[PublicKeys],
        record: &Record,
        rng: &mut R,
    ) -> Result<Sealed, SealError> {
        let bytes = Zeroizing::new(record.to_bytes());
        Self::seal_inner(rng, owner, recipients, ContentType::Record, bytes)
    }

    /// Seals bytes for `recipients` (the owner is always added). At most [`MAX_PAYLOAD`]
    /// bytes; larger payloads go in a [`stream`].
    pub fn seal_bytes(
        owner: &Party,
        recipients: &[PublicKeys],
        bytes: &[u8],
    ) -> Result<Sealed, SealError> {
        Self::seal_bytes_with_rng(owner, recipients, bytes, &mut OsRng)
    }

    /// [`Sealed::seal_bytes`] with the given RNG.
    pub fn seal_bytes_with_rng<R: RngCore + CryptoRng>(
        owner: &Party,
        recipients: &[PublicKeys],
        bytes: &[u8],
        rng: &mut R,
    ) -> Result<Sealed, SealError> {
        if bytes.len() > MAX_PAYLOAD {
            return Err(SealError::PayloadTooLarge {
                len: bytes.len(),
                max: MAX_PAYLOAD,
            });
        }
        let buf = Zeroizing::new(bytes.to_vec());
        Self::seal_inner(rng, owner, recipients, ContentType::Bytes, buf)
    }

    fn seal_inner<R: RngCore + CryptoRng>(
        rng: &mut R,
        owner: &Party,
        recipients: &[PublicKeys],
        cty: ContentType,
        plaintext: Zeroizing<Vec<u8>>,
    ) -> Result<Sealed, SealError> {
        let mut rid = [0u8; 16];
        fill(rng, &mut rid)?;
        let set = recipient_set(owner, recipients)?;
        Self::seal_fresh(rng, owner.keys(), &set, RecordId(rid), 0, cty, plaintext)
    }

    /// Seals under a fresh content key and IV, encrypting `plaintext` in place (it becomes the
    /// ciphertext, so large records are not copied again).
    fn seal_fresh<R: RngCore + CryptoRng>(
        rng: &mut R,
        signer: &SecretKeys,
        set: &[PublicKeys],
        rid: RecordId,
        epoch: u32,
        cty: ContentType,
        mut plaintext: Zeroizing<Vec<u8>>,
    ) -> Result<Sealed, SealError> {
        let (mut sealed, cek) =
            Self::fresh_unsealed(rng, signer, set, rid, epoch, cty, plaintext.len())?;
        let aad = sealed.aad();
        let len = plaintext.len();
        let tag = hazmat::Aes256Gcm::new(&cek)
            .seal_in_place(&sealed.iv, aad.as_bytes(), &mut plaintext)
            .map_err(|_| SealError::PayloadTooLarge {
                len,
                max: MAX_PAYLOAD,
            })?;
        // Now ciphertext: move it out of the zeroizing wrapper.
        sealed.ciphertext = core::mem::take(&mut *plaintext);
        sealed.tag = tag;
        sealed.sign(signer);
        Ok(sealed)
    }

    /// Checks the limits and draws, in this order, the content key, the IV and every
    /// recipient's wrap of a new seal of `len` plaintext bytes: the object without its
    /// ciphertext, tag and signature yet, and the content key.
    fn fresh_unsealed<R: RngCore + CryptoRng>(
        rng: &mut R,
        signer: &SecretKeys,
        set: &[PublicKeys],
        rid: RecordId,
        epoch: u32,
        cty: ContentType,
        len: usize,
    ) -> Result<(Sealed, Cek), SealError> {
        if len > MAX_PAYLOAD {
            return Err(SealError::PayloadTooLarge {
                len,
                max: MAX_PAYLOAD,
            });
        }
        if set.is_empty() {
            return Err(SealError::NoRecipients);
        }
        if set.len() > MAX_RECIPIENTS {
            return Err(SealError::TooManyRecipients {
                count: set.len(),
                max: MAX_RECIPIENTS,
            });
        }
        let mut cek: Cek = Zeroizing::new([0u8; CEK_LEN]);
        fill(rng, &mut cek[..])?;
        let mut iv = [0u8; 12];
        fill(rng, &mut iv)?;
        let mut recipients = Vec::with_capacity(set.len());
        for keys in set {
            let (epk, ek) = wrap_cek(rng, keys, &cek)?;
            recipients.push(Recipient {
                keys: *keys,
                kid: keys.key_id(),
                epk,
                ek,
            });
        }
        let sealed = Sealed {
            sig: Some([0u8; SIGNATURE_LEN]),
            cty,
            rid,
            epoch,
            owner: signer.public().key_id(),
            kc: key_commitment(&rid, epoch, &cek),
            iv,
            recipients,
            ciphertext: Vec::new(),
            tag: [0u8; 16],
        };
        Ok((sealed, cek))
    }

    /// The exact length of the canonical bytes [`Sealed::seal_bytes_into`] writes when `owner`
    /// seals `len` plaintext bytes for `recipients` (the owner added, duplicates dropped, as
    /// [`Sealed::seal_bytes`] does). Refuses what `seal_bytes` refuses for its size and
    /// recipients.
    pub fn sealed_bytes_len(
        owner: &Party,
        recipients: &[PublicKeys],
        len: usize,
    ) -> Result<usize, SealError> {
        if len > MAX_PAYLOAD {
            return Err(SealError::PayloadTooLarge {
                len,
                max: MAX_PAYLOAD,
            });
        }
        let set = recipient_set(owner, recipients)?;
        Ok(PREFIX_FIXED_LEN + set.len() * RECIPIENT_ENTRY_LEN + len + 16 + SIGNATURE_LEN)
    }

    /// [`Sealed::seal_bytes`] written straight into `out` in the canonical binary form
    /// (`docs/spec/sealed-record.md`), for a caller that owns the output buffer (a binding
    /// writing into its own bytes object): the plaintext is copied once, into `out`, and
    /// encrypted there. `out` must be exactly [`Sealed::sealed_bytes_len`] bytes (otherwise
    /// `SealError::Io` of kind `InvalidInput`, before anything is drawn or written). For the
    /// same RNG the bytes are those of `seal_bytes_with_rng(..).to_bytes()`. On an error `out`
    /// holds no plaintext.
    pub fn seal_bytes_into(
        owner: &Party,
        recipients: &[PublicKeys],
        bytes: &[u8],
        out: &mut [u8],
    ) -> Result<(), SealError> {
        Self::seal_bytes_into_with_rng(owner, recipients, bytes, out, &mut OsRng)
    }

    /// [`Sealed::seal_bytes_into`] with the given RNG.
    pub fn seal_bytes_into_with_rng<R: RngCore + CryptoRng>(
        owner: &Party,
        recipients: &[PublicKeys],
        bytes: &[u8],
        out: &mut [u8],
        rng: &mut R,
    ) -> Result<(), SealError> {
        let total = Self::sealed_bytes_len(owner, recipients, bytes.len())?;
        if out.len() != total {
            return Err(SealError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the output buffer is not the sealed length",
            )));
        }
        let r = Self::seal_into_inner(rng, owner, recipients, ContentType::Bytes, bytes, out);
        if r.is_err() {
            zeroize::Zeroize::zeroize(out);
        }
        r
    }

    /// The body of [`Sealed::seal_bytes_into_with_rng`]: the same RNG draws in the same order
    /// as [`Sealed::seal_inner`].
    fn seal_into_inner<R: RngCore + CryptoRng>(
        rng: &mut R,
        owner: &Party,
        recipients: &[PublicKeys],
        cty: ContentType,
        plaintext: &[u8],
        out: &mut [u8],
    ) -> Result<(), SealError> {
        let mut rid = [0u8; 16];
        fill(rng, &mut rid)?;
        let set = recipient_set(owner, recipients)?;
        let signer = owner.keys();
        let (sealed, cek) =
            Self::fresh_unsealed(rng, signer, &set, RecordId(rid), 0, cty, plaintext.len())?;
        let mismatch = || {
            SealError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the output buffer is not the sealed length",
            ))
        };
        // Without room reserved for the rest: a payload-sized block beside `out` made glibc trim
        // and refault its heap top on every call (decision 0116).
        let prefix = sealed.prefix_bytes(plaintext.len());
        let (head, rest) = out
            .split_at_mut_checked(prefix.len())
            .ok_or_else(mismatch)?;
        head.copy_from_slice(&prefix);
        let (ct, rest) = rest
            .split_at_mut_checked(plaintext.len())
            .ok_or_else(mismatch)?;
        ct.copy_from_slice(plaintext);
        let aad = sealed.aad();
        let tag = hazmat::Aes256Gcm::new(&cek)
            .seal_in_place(&sealed.iv, aad.as_bytes(), ct)
            .map_err(|_| SealError::PayloadTooLarge {
                len: plaintext.len(),
                max: MAX_PAYLOAD,
            })?;
        rest.get_mut(..16)
            .ok_or_else(mismatch)?
            .copy_from_slice(&tag);
        let body_len = prefix.len() + plaintext.len() + 16;
        let body = out.get(..body_len).ok_or_else(mismatch)?;
        let sig = signer.sign(&signed_message_of(body));
        out.get_mut(body_len..)
            .filter(|s| s.len() == SIGNATURE_LEN)
            .ok_or_else(mismatch)?
            .copy_from_slice(&sig);
        Ok(())
    }

    /// The format version of this object: [`VERSION`] when signed, [`VERSION_1`] otherwise.
    pub fn version(&self) -> u8 {
        if self.sig.is_some() {
            VERSION
        } else {
            VERSION_1
        }
    }

    /// Whether the object carries an owner signature (version 2). Decoding does not check it;
    /// [`Sealed::verify`], every open, grant, revoke and re-seal do.
    pub fn is_signed(&self) -> bool {
        self.sig.is_some()
    }

    /// The message the owner signs: the signing namespace and the SHA-256 of the canonical
    /// bytes without the signature (every other byte of the object).
    fn signed_message(&self) -> Vec<u8> {
        self.signed_message_with(&self.ciphertext)
    }

    /// [`Sealed::signed_message`] for the object with `ciphertext` (its own, or the one
    /// [`Sealed::from_bytes_split`] left in the caller's bytes), hashed in place: the same
    /// message as `signed_message_of(&self.body_bytes())` without a copy of the body.
    fn signed_message_with(&self, ciphertext: &[u8]) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(self.prefix_bytes(ciphertext.len()));
        h.update(ciphertext);
        h.update(self.tag);
        let mut m = Vec::with_capacity(SIG_LABEL.len() + 32);
        m.extend_from_slice(SIG_LABEL);
        m.extend_from_slice(&h.finalize());
        m
    }

    /// Signs the object with the owner's keys (version 2).
    fn sign(&mut self, owner: &SecretKeys) {
        self.sig = Some([0u8; SIGNATURE_LEN]);
        let sig = owner.sign(&self.signed_message());
        self.sig = Some(sig);
    }

    /// The owner's public keys, as listed in the owner's recipient entry (its key id is
    /// `cw_own`, so they are bound to it).
    fn owner_keys(&self) -> Option<&PublicKeys> {
        self.recipients
            .iter()
            .find(|r| r.kid == self.owner)
            .map(|r| &r.keys)
    }

    /// Checks the owner signature over the whole object (version 2): the owner, record id,
    /// epoch, key commitment, IV, every recipient entry, the ciphertext and the tag. Any
    /// changed byte fails here, for every recipient. Version-1 objects carry no signature and
    /// give `OpenError::Decrypt` here (check [`Sealed::is_signed`] first if they are
    /// acceptable); opening them does not call this.
    pub fn verify(&self) -> Result<(), OpenError> {
        self.verify_with(&self.ciphertext)
    }

    /// [`Sealed::verify`] for the object with `ciphertext` (see
    /// [`Sealed::signed_message_with`]).
    fn verify_with(&self, ciphertext: &[u8]) -> Result<(), OpenError> {
        let sig = self.sig.as_ref().ok_or(OpenError::Decrypt)?;
        let keys = self.owner_keys().ok_or(OpenError::Decrypt)?;
        keys.verify(&self.signed_message_with(ciphertext), sig)
            .map_err(|_| OpenError::Decrypt)
    }

    /// The check every operation makes first: the owner signature when there is one.
    fn authenticate(&self) -> Result<(), OpenError> {
        if self.sig.is_some() {
            self.verify()
        } else {
            Ok(())
        }
    }

    /// The protected header, exactly as it is base64url-encoded in the JWE.
    pub(crate) fn protected_json(&self) -> String {
        format!(
            "{{\"enc\":\"{ENC}\",\"cty\":\"{}\",\"cw_v\":{},\"cw_rid\":\"{}\",\"cw_ep\":{},\"cw_own\":\"{}\",\"cw_kc\":\"{}\"}}",
            self.cty.as_str(),
            self.version(),
            self.rid,
            self.epoch,
            self.owner,
            crate::encoding::b64u_encode(&self.kc)
        )
    }

    /// The GCM additional data: ASCII of the base64url protected header.
    fn aad(&self) -> String {
        crate::encoding::b64u_encode(self.protected_json().as_bytes())
    }

    /// Recovers the content key with the party's keys (current or retired) and checks the key
    /// commitment in constant time. Nothing is decrypted here.
    fn content_key(&self, party: &Party) -> Result<Cek, OpenError> {
        let mut tried = false;
        for r in &self.recipients {
            let Some(keys) = party.find(&r.kid) else {
                continue;
            };
            tried = true;
            let Ok(cek) = unwrap_cek(keys, &r.epk, &r.ek, ALG, &[], &[]) else {
                continue;
            };
            let kc = key_commitment(&self.rid, self.epoch, &cek);
            if bool::from(kc.ct_eq(&self.kc)) {
                return Ok(cek);
            }
        }
        Err(if tried {
            OpenError::Decrypt
        } else {
            OpenError::NotARecipient
        })
    }

    fn decrypt(&self, cek: &Cek) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        let aad = self.aad();
        let mut buf = Zeroizing::new(self.ciphertext.clone());
        hazmat::Aes256Gcm::new(cek).open_in_place(&self.iv, aad.as_bytes(), &mut buf, &self.tag)?;
        Ok(buf)
    }

    fn open_plaintext(&self, party: &Party) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        self.authenticate()?;
        let cek = self.content_key(party)?;
        self.decrypt(&cek)
    }

    /// Opens as a recipient, with the party's current or retired keys. The owner signature
    /// (version 2) and the key commitment are checked before anything is decrypted; any
    /// failure of either, or of decryption, is the opaque [`OpenError::Decrypt`].
    pub fn open(&self, party: &Party) -> Result<Content, OpenError> {
        self.authenticate()?;
        self.open_authenticated(party)
    }

    /// Opens sealed bytes as a recipient straight into `out`, for a caller that owns the output
    /// buffer (a binding writing into its own bytes object): the ciphertext is copied once,
    /// into `out`, and decrypted there. `out` must be exactly [`Sealed::ciphertext_len`] bytes
    /// (the plaintext's length). The same checks as [`Sealed::open`], in the same order; a
    /// sealed [`Record`] gives `OpenError::Decode(Invalid)` (open it with
    /// [`Sealed::open_record`]). On any error `out` is zeroized: nothing is released.
    pub fn open_bytes_into(&self, party: &Party, out: &mut [u8]) -> Result<(), OpenError> {
        if let Err(e) = self.authenticate() {
            out.fill(0);
            return Err(e);
        }
        self.open_bytes_into_authenticated(party, out)
    }

    /// [`Sealed::open_bytes_into`] after the owner signature was checked.
    pub(crate) fn open_bytes_into_authenticated(
        &self,
        party: &Party,
        out: &mut [u8],
    ) -> Result<(), OpenError> {
        self.open_ciphertext_into(&self.ciphertext, party, out)
    }

    /// Opens `ciphertext` (this object's own, or the one [`Sealed::from_bytes_split`] left in
    /// the caller's bytes) into `out` after the owner signature was checked; on any error `out`
    /// is zeroized.
    pub(crate) fn open_ciphertext_into(
        &self,
        ciphertext: &[u8],
        party: &Party,
        out: &mut [u8],
    ) -> Result<(), OpenError> {
        if self.cty != ContentType::Bytes {
            out.fill(0);
            return Err(OpenError::Decode(DecodeError::Invalid {
                what: "content type (not bytes)",
            }));
        }
        if out.len() != ciphertext.len() {
            out.fill(0);
            return Err(OpenError::Decode(DecodeError::Invalid {
                what: "output length (not the plaintext's)",
            }));
        }
        let cek = match self.content_key(party) {
            Ok(k) => k,
            Err(e) => {
                out.fill(0);
                return Err(e);
            }
        };
        out.copy_from_slice(ciphertext);
        let aad = self.aad();
        // `open_in_place` zeroizes `out` when the tag does not verify.
        hazmat::Aes256Gcm::new(&cek).open_in_place(&self.iv, aad.as_bytes(), out, &self.tag)
    }

    /// [`Sealed::open`] after the owner signature was checked (by [`open_any`], which checks
    /// it before its options).
    pub(crate) fn open_authenticated(&self, party: &Party) -> Result<Content, OpenError> {
        let cek = self.content_key(party)?;
        let mut pt = self.decrypt(&cek)?;
        match self.cty {
            ContentType::Bytes => Ok(Content::Bytes(core::mem::take(&mut *pt))),
            ContentType::Record => Record::from_bytes(&pt).map(Content::Record).map_err(|_| {
                OpenError::Decode(DecodeError::Invalid {
                    what: "sealed record content",
                })
            }),
        }
    }

    /// Opens a sealed [`Record`]; sealed bytes give `OpenError::Decode(Invalid)`.
    pub fn open_record(&self, party: &Party) -> Result<Record, OpenError> {
        if self.cty != ContentType::Record {
            return Err(OpenError::Decode(DecodeError::Invalid {
                what: "content type (not a record)",
            }));
        }
        match self.open(party)? {
            Content::Record(r) => Ok(r),
            Content::Bytes(_) => Err(OpenError::Decode(DecodeError::Invalid {
                what: "content type (not a record)",
            })),
        }
    }

    fn check_owner<'p>(&self, owner: &'p Party) -> Result<&'p SecretKeys, SealError> {
        owner.find(&self.owner).ok_or(SealError::NotOwner)
    }

    /// Before re-wrapping from the stored recipient list: the list must be the owner's own,
    /// i.e. the object must be signed (version 2) and the signature must verify.
    fn check_signed_list(&self) -> Result<(), SealError> {
        if self.sig.is_none() {
            return Err(SealError::Unauthenticated);
        }
        self.verify()?;
        Ok(())
    }

    /// Grants access to one more recipient: the content key is unwrapped with the owner's keys
    /// and wrapped for `to`; the ciphertext, record id and epoch stay the same, and the owner
    /// signs the new object. Granting to a current recipient returns the record unchanged.
    /// The object's owner signature is checked first; a version-1 object (no signature) is
    /// refused with [`SealError::Unauthenticated`]: re-seal it with an explicit list.
    ///
    /// This does not know whether the copy is the newest epoch (every epoch is validly
    /// signed): for a copy from a store, use [`Sealed::grant_checked`].
    pub fn grant(&self, owner: &Party, to: &PublicKeys) -> Result<Sealed, SealError> {
        self.grant_with_rng(owner, to, &mut OsRng)
    }

    /// [`Sealed::grant`] with the given RNG.
    pub fn grant_with_rng<R: RngCore + CryptoRng>(
        &self,
        owner: &Party,
        to: &PublicKeys,
        rng: &mut R,
    ) -> Result<Sealed, SealError> {
        self.check_signed_list()?;
        let signer = self.check_owner(owner)?;
        let cek = self.content_key(owner)?;
        let kid = to.key_id();
        if self.recipients.iter().any(|r| r.kid == kid) {
            return Ok(self.clone());
        }
        if self.recipients.len() >= MAX_RECIPIENTS {
            return Err(SealError::TooManyRecipients {
                count: self.recipients.len().saturating_add(1),
                max: MAX_RECIPIENTS,
            });
        }
        let (epk, ek) = wrap_cek(rng, to, &cek)?;
        let mut out = self.clone();
        out.recipients.push(Recipient {
            keys: *to,
            kid,
            epk,
            ek,
        });
        out.sign(signer);
        Ok(out)
    }

    /// Revokes a recipient: the content is re-sealed under a fresh content key for everyone
    /// else, with the same record id and the epoch increased. The revoked party may keep what
    /// it already opened, but cannot open this epoch or later ones. The remaining recipients
    /// come from the stored list, so the owner signature is checked first and a version-1
    /// object is refused with [`SealError::Unauthenticated`] (re-seal it with an explicit
    /// list instead).
    ///
    /// This does not know whether the copy is the newest epoch: for a copy from a store, use
    /// [`Sealed::revoke_checked`].
    pub fn revoke(&self, owner: &Party, remove: &KeyId) -> Result<Sealed, SealError> {
        self.revoke_with_rng(owner, remove, &mut OsRng)
    }

    /// [`Sealed::revoke`] with the given RNG.
    pub fn revoke_with_rng<R: RngCore + CryptoRng>(
        &self,
        owner: &Party,
        remove: &KeyId,
        rng: &mut R,
    ) -> Result<Sealed, SealError> {
        self.check_signed_list()?;
        self.check_owner(owner)?;
        if owner.find(remove).is_some() {
            return Err(SealError::RevokeOwner);
        }
        if !self.recipients.iter().any(|r| r.kid == *remove) {
            return Err(SealError::UnknownRecipient);
        }
        let rest: Vec<PublicKeys> = self
            .recipients
            .iter()
            .filter(|r| r.kid != *remove && owner.find(&r.kid).is_none())
            .map(|r| r.keys)
            .collect();
        self.reseal_with_rng(owner, &rest, rng)
    }

    /// Re-seals the content under a fresh content key for `recipients` (and the owner's current
    /// keys), same record id, epoch increased: e.g. after a key rotation, so that new epochs
    /// are wrapped for current keys only. The stored recipient list is not used. A signed
    /// object's signature is checked first; a version-1 object is accepted (this is how it is
    /// upgraded to version 2), and the owner then signs content it could only check with the
    /// key commitment and GCM: compare the old object's hash with the owner's ledger receipt
    /// first (`docs/spec/sealed-record.md`). For a copy from a store, use
    /// [`Sealed::reseal_checked`] (rollback).
    pub fn reseal(&self, owner: &Party, recipients: &[PublicKeys]) -> Result<Sealed, SealError> {
        self.reseal_with_rng(owner, recipients, &mut OsRng)
    }

    /// [`Sealed::reseal`] with the given RNG.
    pub fn reseal_with_rng<R: RngCore + CryptoRng>(
        &self,
        owner: &Party,
        recipients: &[PublicKeys],
        rng: &mut R,
    ) -> Result<Sealed, SealError> {
        self.check_owner(owner)?;
        let epoch = self.epoch.checked_add(1).ok_or(SealError::EpochExhausted)?;
        let pt = self.open_plaintext(owner)?;
        let set = recipient_set(owner, recipients)?;
        Self::seal_fresh(rng, owner.keys(), &set, self.rid, epoch, self.cty, pt)
    }

    /// Refuses a stale copy, for a reader: `Err(SealError::StaleEpoch)` when `known` has a
    /// newer epoch of this record, signed by this object's owner, than this object's (a store
    /// put an older, still validly signed copy back, e.g. the one from before a revocation). A
    /// copy at the newest known epoch, or newer (the source has not seen it yet), passes. The
    /// owner signature is checked first; an unsigned (version-1) object has no owner to ask
    /// about and is refused with [`SealError::Unauthenticated`]. See [`KnownEpochs`] and
    /// decision 0030. The owner itself uses [`Sealed::check_fresh_as`].
    pub fn check_fresh(&self, known: &dyn KnownEpochs) -> Result<(), SealError> {
        if self.sig.is_none() {
            return Err(SealError::Unauthenticated);
        }
        self.verify()?;
        self.stale_check(known, &[self.owner])
    }

    /// [`Sealed::check_fresh`] for the owner `owner`: counts the epochs signed by any of its
    /// keys, current or retired (after a rotation, newer epochs are signed by the newer key
    /// while an old copy names the old one). The object's signature is not checked here (the
    /// operations that follow check it; a version-1 object is checked against the owner's own
    /// epochs too). Used by [`Sealed::grant_checked`], [`Sealed::revoke_checked`] and
    /// [`Sealed::reseal_checked`].
    pub fn check_fresh_as(&self, owner: &Party, known: &dyn KnownEpochs) -> Result<(), SealError> {
        let owners: Vec<KeyId> = owner.all_keys().map(|k| k.public().key_id()).collect();
        self.stale_check(known, &owners)
    }

    fn stale_check(&self, known: &dyn KnownEpochs, owners: &[KeyId]) -> Result<(), SealError> {
        match epochs::newer_than(known, &self.rid, owners, self.epoch)
            .map_err(SealError::EpochLookup)?
        {
            Some(newest) => Err(SealError::StaleEpoch {
                record_id: self.rid,
                epoch: self.epoch,
                newest,
            }),
            None => Ok(()),
        }
    }

    /// [`Sealed::grant`] from a copy checked against the newest epoch `known` for the record
    /// ([`Sealed::check_fresh_as`]): the rollback-safe grant, for a copy read from a store the
    /// owner does not fully control. Record the result's epoch in the source afterwards (a
    /// ledger receipt, [`EpochBook::observe_sealed`]).
    pub fn grant_checked(
        &self,
        owner: &Party,
        to: &PublicKeys,
        known: &dyn KnownEpochs,
    ) -> Result<Sealed, SealError> {
        self.check_fresh_as(owner, known)?;
        self.grant(owner, to)
    }

    /// [`Sealed::revoke`] from a copy checked against the newest epoch `known` for the record
    /// ([`Sealed::check_fresh_as`]). Without the check, revoking from a rolled-back copy would
    /// re-admit whoever an earlier revocation removed.
    pub fn revoke_checked(
        &self,
        owner: &Party,
        remove: &KeyId,
        known: &dyn KnownEpochs,
    ) -> Result<Sealed, SealError> {
        self.check_fresh_as(owner, known)?;
        self.revoke(owner, remove)
    }

    /// [`Sealed::reseal`] from a copy checked against the newest epoch `known` for the record
    /// ([`Sealed::check_fresh_as`]).
    pub fn reseal_checked(
        &self,
        owner: &Party,
        recipients: &[PublicKeys],
        known: &dyn KnownEpochs,
    ) -> Result<Sealed, SealError> {
        self.check_fresh_as(owner, known)?;
        self.reseal(owner, recipients)
    }

    /// The record id (the same across epochs).
    pub fn record_id(&self) -> RecordId {
        self.rid
    }

    /// The epoch: 0 when first sealed, increased by each revocation or re-seal.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The key id of the owner's keys that sealed this epoch (and, in version 2, signed it:
    /// authenticated once [`Sealed::verify`] or an open succeeded).
    pub fn owner(&self) -> KeyId {
        self.owner
    }

    /// Key ids of the recipients, the owner's first.
    pub fn recipients(&self) -> Vec<KeyId> {
        self.recipients.iter().map(|r| r.kid).collect()
    }

    /// The public keys of the recipients, in the same order as [`Sealed::recipients`].
    pub fn recipient_keys(&self) -> Vec<PublicKeys> {
        self.recipients.iter().map(|r| r.keys).collect()
    }

    /// The JWE `cty`.
    pub fn content_type(&self) -> &str {
        self.cty.as_str()
    }

    /// Length of the ciphertext (without the tag), equal to the plaintext's.
    pub fn ciphertext_len(&self) -> usize {
        self.ciphertext.len()
    }

    /// SHA-256 of the canonical bytes, for ledger receipts.
    pub fn ciphertext_hash(&self) -> [u8; 32] {
        Sha256::digest(self.to_bytes()).into()
    }

    /// The canonical binary form (`docs/spec/sealed-record.md`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.body_bytes();
        if let Some(sig) = &self.sig {
            out.extend_from_slice(sig);
        }
        out
    }

    /// The canonical bytes without the trailing signature (what the owner signs).
    fn body_bytes(&self) -> Vec<u8> {
        let mut out = self.body_prefix(self.ciphertext.len());
        out.extend_from_slice(&self.ciphertext);
        out.extend_from_slice(&self.tag);
        out
    }

    /// The canonical bytes up to the ciphertext (its length field included), for a ciphertext
    /// of `ct_len` bytes; room is reserved for the rest.
    fn body_prefix(&self, ct_len: usize) -> Vec<u8> {
        let mut out = self.prefix_bytes(ct_len);
        out.reserve(ct_len + 16 + SIGNATURE_LEN);
        out
    }

    /// The canonical bytes up to the ciphertext (its length field included), for a ciphertext
    /// of `ct_len` bytes, with no room reserved for the rest.
    fn prefix_bytes(&self, ct_len: usize) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(PREFIX_FIXED_LEN + self.recipients.len() * RECIPIENT_ENTRY_LEN);
        write_header(&mut out, self.version(), Tag::SealedRecord);
        out.push(self.cty as u8);
        out.extend_from_slice(&self.rid.0);
        out.extend_from_slice(&self.epoch.to_be_bytes());
        out.extend_from_slice(&self.owner.0);
        out.extend_from_slice(&self.kc);
        out.extend_from_slice(&self.iv);
        out.extend_from_slice(&(self.recipients.len() as u16).to_be_bytes());
        for r in &self.recipients {
            out.extend_from_slice(r.keys.signing().as_bytes());
            out.extend_from_slice(r.keys.encryption().as_bytes());
            out.extend_from_slice(&r.epk);
            out.extend_from_slice(&r.ek);
        }
        out.extend_from_slice(&u32::try_from(ct_len).unwrap_or(u32::MAX).to_be_bytes());
        out
    }

    /// Decodes the canonical binary form strictly: known version and content type, recipient
    /// count in `1..=MAX_RECIPIENTS`, valid and distinct recipient keys, canonical ephemeral
    /// keys, the owner among the recipients, ciphertext at most [`MAX_PAYLOAD`], the owner
    /// signature present (version 2), no trailing bytes. The signature itself is checked by
    /// [`Sealed::verify`] and by every operation, not here.
    pub fn from_bytes(b: &[u8]) -> Result<Sealed, DecodeError> {
        let (mut s, ct) = Self::from_bytes_split(b)?;
        s.ciphertext = b.get(ct).ok_or(DecodeError::Truncated)?.to_vec();
        Ok(s)
    }

    /// [`Sealed::from_bytes`] (the same checks) without copying the ciphertext: the object
    /// with an empty ciphertext, and where its ciphertext lies in `b`. For callers that read
    /// the ciphertext from `b` ([`super::CheckedSealedRef`]); the object alone is incomplete.
    pub(crate) fn from_bytes_split(
        b: &[u8],
    ) -> Result<(Sealed, core::ops::Range<usize>), DecodeError> {
        let mut r = Reader::new(b);
        let version = read_header(&mut r, Tag::SealedRecord, &[VERSION_1, VERSION])?;
        let cty = ContentType::from_byte(r.u8()?)?;
        let rid = RecordId(r.array()?);
        let epoch = r.u32()?;
        let owner = KeyId(r.array()?);
        let kc = r.array()?;
        let iv = r.array()?;
        let n = r.u16()? as usize;
        if n == 0 {
            return Err(DecodeError::Invalid {
                what: "recipient count",
            });
        }
        if n > MAX_RECIPIENTS {
            return Err(DecodeError::TooLong {
                what: "recipients",
                len: n,
                max: MAX_RECIPIENTS,
            });
        }
        let mut recipients = Vec::with_capacity(n);
        for _ in 0..n {
            let sig: [u8; 32] = r.array()?;
            let enc: [u8; 32] = r.array()?;
            let epk = r.array()?;
            let ek = r.array()?;
            let keys = PublicKeys::from_bytes(&sig, &enc).map_err(|_| DecodeError::Invalid {
                what: "recipient public key",
            })?;
            recipients.push(Recipient {
                kid: keys.key_id(),
                keys,
                epk,
                ek,
            });
        }
        let ct_len = r.bytes_u32("ciphertext", MAX_PAYLOAD)?.len();
        let ct_end = b.len() - r.remaining();
        let ct = ct_end - ct_len..ct_end;
        let tag = r.array()?;
        let sig = if version == VERSION {
            Some(r.array()?)
        } else {
            None
        };
        r.finish()?;
        let s = Sealed {
            sig,
            cty,
            rid,
            epoch,
            owner,
            kc,
            iv,
            recipients,
            ciphertext: Vec::new(),
            tag,
        };
        s.validate()?;
        Ok((s, ct))
    }

    /// Structural checks shared by both decoders.
    fn validate(&self) -> Result<(), DecodeError> {
        for (i, r) in self.recipients.iter().enumerate() {
            if !canonical_x25519(&r.epk) {
                return Err(DecodeError::Invalid {
                    what: "ephemeral public key (not canonical)",
                });
            }
            if self.recipients.iter().skip(i + 1).any(|o| o.kid == r.kid) {
                return Err(DecodeError::Invalid {
                    what: "duplicate recipient",
                });
            }
        }
        if !self.recipients.iter().any(|r| r.kid == self.owner) {
            return Err(DecodeError::Invalid {
                what: "owner is not a recipient",
            });
        }
        Ok(())
    }

    /// The standard JWE JSON general serialization: a view over the canonical bytes.
    pub fn to_jwe_json(&self) -> String {
        jwe::to_json(self)
    }

    /// Parses a Causeway JWE (JSON general serialization) strictly: the input is capped at
    /// [`MAX_JSON`] before parsing, the protected header must be exactly what Causeway writes.
    pub fn from_jwe_json(s: &str) -> Result<Sealed, DecodeError> {
        jwe::from_json(s)
    }

    /// Decodes either form: binary (starting with `CW`) or JWE JSON.
    pub fn from_any(b: &[u8]) -> Result<Sealed, DecodeError> {
        if b.starts_with(&crate::encoding::MAGIC) {
            return Self::from_bytes(b);
        }
        if b.len() > MAX_JSON {
            return Err(DecodeError::TooLong {
                what: "JWE JSON",
                len: b.len(),
                max: MAX_JSON,
            });
        }
        let s =
            core::str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8 { what: "JWE JSON" })?;
        Self::from_jwe_json(s.trim())
    }

    /// What the sealed record says about itself, without opening it (no secrets): a typed
    /// summary that serializes and prints as JSON (see [`SealedSummary`]).
    pub fn inspect(&self) -> SealedSummary {
        SealedSummary {
            version: self.version(),
            owner_signature: match (&self.sig, self.verify()) {
                (None, _) => OwnerSignature::None,
                (Some(_), Ok(())) => OwnerSignature::Valid,
                (Some(_), Err(_)) => OwnerSignature::Invalid,
            },
            record_id: self.rid,
            epoch: self.epoch,
            owner: self.owner,
            recipients: self.recipients.iter().map(|r| r.kid).collect(),
            content_type: self.cty.as_str(),
            ciphertext_len: self.ciphertext.len(),
            sha256: self.ciphertext_hash(),
        }
    }

    // Accessors for the JWE view.
    pub(crate) fn parts(&self) -> (&[Recipient], &[u8; 12], &[u8], &[u8; 16]) {
        (&self.recipients, &self.iv, &self.ciphertext, &self.tag)
    }

    pub(crate) fn signature(&self) -> Option<&[u8; SIGNATURE_LEN]> {
        self.sig.as_ref()
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        sig: Option<[u8; SIGNATURE_LEN]>,
        cty: &str,
        rid: RecordId,
        epoch: u32,
        owner: KeyId,
        kc: [u8; 32],
        iv: [u8; 12],
        recipients: Vec<Recipient>,
        ciphertext: Vec<u8>,
        tag: [u8; 16],
    ) -> Result<Sealed, DecodeError> {
        let s = Sealed {
            sig,
            cty: ContentType::from_str(cty)?,
            rid,
            epoch,
            owner,
            kc,
            iv,
            recipients,
            ciphertext,
            tag,
        };
        s.validate()?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests;
