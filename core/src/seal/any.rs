//! "Open anything": one entry point for every sealed format a party may be handed.
//!
//! [`open_any`] tells apart a sealed stream, a sealed record in Causeway's binary form or as a
//! Causeway JWE, and a plain JWE made by another JOSE library (decision 0002), opens it, and
//! says what it opened: the format, the version and whether the owner signed it
//! ([`Owner`] — a version-1 record or stream and a foreign JWE carry no owner signature, and
//! the type makes a caller who wants the owner deal with that). [`OpenOptions`] refuses a
//! record whose signed owner is not the one expected, and a stale copy (decision 0030).

use super::epochs::{self, KnownEpochs};
use super::{jwe, stream, Content, RecordId, Sealed};
use crate::encoding::MAGIC;
use crate::error::OpenError;
use crate::party::{KeyId, Party};
use core::fmt;

/// The format of what [`open_any`] opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// A sealed record in Causeway's canonical binary form (`docs/spec/sealed-record.md`).
    Binary,
    /// A sealed record as a Causeway JWE (JSON general serialization).
    Jwe,
    /// A sealed stream ([`crate::seal::stream`]).
    Stream,
    /// A JWE made by another JOSE library, for one recipient (decision 0002): no record id, no
    /// epoch, no owner.
    ForeignJwe,
}

impl Format {
    /// A stable name: `"binary"`, `"jwe"`, `"stream"`, `"foreign-jwe"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Binary => "binary",
            Format::Jwe => "jwe",
            Format::Stream => "stream",
            Format::ForeignJwe => "foreign-jwe",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who made what [`open_any`] opened, as far as it can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    /// Format version 2: the owner with this key id signed the whole object, and the signature
    /// verified.
    Signed(KeyId),
    /// Format version 1: the object names this owner, but nothing authenticates the claim or
    /// the recipient list (anyone can make such an object).
    Claimed(KeyId),
    /// A foreign JWE: no owner at all.
    None,
}

impl Owner {
    /// The owner's key id when the owner signed the object; `None` for a claim or no owner.
    pub fn signed(&self) -> Option<KeyId> {
        match self {
            Owner::Signed(k) => Some(*k),
            Owner::Claimed(_) | Owner::None => None,
        }
    }
}

/// What [`open_any`] (and [`stream::open_stream_with`]) check besides decryption.
#[derive(Clone, Copy, Default)]
pub struct OpenOptions<'a> {
    /// Refuse anything not signed by this owner key id: another signed owner gives
    /// [`OpenError::WrongOwner`]; a version-1 object or a foreign JWE (no owner signature)
    /// gives [`OpenError::Unauthenticated`].
    pub expect_owner: Option<KeyId>,
    /// Refuse a copy older than the newest epoch this source knows for its record, as signed
    /// by the object's owner ([`OpenError::StaleEpoch`]). Freshness needs an owner: with this
    /// set, an object without an owner signature (a version-1 record or stream, whose record
    /// id, epoch and owner anyone can write, or a foreign JWE, which has none) is refused with
    /// [`OpenError::Unauthenticated`] rather than opened unchecked.
    ///
    /// The object's signed owner key is the one asked about: after the owner rotated its key,
    /// a copy signed by the old key is checked against what the old key signed only.
    pub known_epochs: Option<&'a dyn KnownEpochs>,
}

impl fmt::Debug for OpenOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenOptions")
            .field("expect_owner", &self.expect_owner)
            .field("known_epochs", &self.known_epochs.is_some())
            .finish()
    }
}

impl OpenOptions<'_> {
    /// The checks made before anything is unwrapped: the owner, then the epoch.
    pub(crate) fn check(
        &self,
        owner: Owner,
        record: Option<(RecordId, u32)>,
    ) -> Result<(), OpenError> {
        if let Some(expected) = self.expect_owner {
            match owner {
                Owner::Signed(found) if found == expected => {}
                Owner::Signed(found) => return Err(OpenError::WrongOwner { expected, found }),
                Owner::Claimed(_) | Owner::None => return Err(OpenError::Unauthenticated),
            }
        }
        if let Some(known) = self.known_epochs {
            // Freshness is about what an owner signed: an unsigned object (or one without a
            // record id) has nothing to check it against, and is refused (review of c6e3057,
            // item 8).
            let (Owner::Signed(signer), Some((rid, epoch))) = (owner, record) else {
                return Err(OpenError::Unauthenticated);
            };
            if let Some(newest) =
                epochs::newer_than(known, &rid, &[signer], epoch).map_err(OpenError::EpochLookup)?
            {
                return Err(OpenError::StaleEpoch {
                    record_id: rid,
                    epoch,
                    newest,
                });
            }
        }
        Ok(())
    }
}

/// What [`open_any`] opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// The format.
    pub format: Format,
    /// The format version (`cw_v`); `None` for a foreign JWE.
    pub version: Option<u8>,
    /// Who made it: check this (or set [`OpenOptions::expect_owner`]) before relying on the
    /// owner or the recipient list.
    pub owner: Owner,
    /// The record id; `None` for a foreign JWE.
    pub record_id: Option<RecordId>,
    /// The epoch; `None` for a foreign JWE.
    pub epoch: Option<u32>,
    /// The plaintext: a [`Content::Record`] or [`Content::Bytes`] (streams and foreign JWEs
    /// are always bytes).
    pub content: Content,
}

impl Opened {
    /// Whether the owner signed the object (format version 2, verified).
    pub fn owner_signed(&self) -> bool {
        matches!(self.owner, Owner::Signed(_))
    }
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

/// Opens whatever sealed object `bytes` holds, as `party` (current or retired keys): a sealed
/// stream, a sealed record (binary or Causeway JWE), or a foreign JWE (JSON or compact; only
/// when it carries no Causeway header member, [`super::is_foreign_jwe`], so a Causeway record
/// whose owner signature was stripped is refused, never opened without its check).
///
/// The owner signature (version 2) is checked before anything is unwrapped, then `options`
/// (expected owner, known epochs), then the key commitment and the ciphertext. A stream is
/// opened whole and released only once its trailer verified. Errors: [`OpenError::Decode`]
/// for what is not a sealed object (the sealed-record decoder's error), `NotARecipient`,
/// the opaque `Decrypt`, and the options' `WrongOwner`, `Unauthenticated`, `StaleEpoch`.
///
/// ```
/// use causeway::party::Party;
/// use causeway::seal::{open_any, Content, Format, OpenOptions, Owner, Sealed};
/// let bank = Party::generate()?;
/// let auditor = Party::generate()?;
/// let sealed = Sealed::seal_bytes(&bank, &[auditor.public()], b"ledger extract")?;
/// let opts = OpenOptions { expect_owner: Some(bank.key_id()), ..Default::default() };
/// let opened = open_any(sealed.to_jwe_json().as_bytes(), &auditor, &opts)?;
/// assert_eq!(opened.format, Format::Jwe);
/// assert_eq!(opened.owner, Owner::Signed(bank.key_id()));
/// assert_eq!(opened.content, Content::Bytes(b"ledger extract".to_vec()));
/// // the auditor is not the owner: expecting it refuses the record
/// let wrong = OpenOptions { expect_owner: Some(auditor.key_id()), ..Default::default() };
/// assert!(open_any(&sealed.to_bytes(), &auditor, &wrong).is_err());
/// # Ok::<(), causeway::Error>(())
/// ```
pub fn open_any(
    bytes: &[u8],
    party: &Party,
    options: &OpenOptions<'_>,
) -> Result<Opened, OpenError> {
    if stream::is_stream(bytes) {
        // Opened whole before anything is returned; a stream that fails after some chunks
        // authenticated leaves their plaintext in `out`, wiped here rather than freed as it is
        // (review of 6 Dec, R2). Sized once from the input, so no growth leaves copies behind.
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(bytes.len()));
        let info = stream::open_stream_with(party, bytes, &mut *out, &mut |_| {}, options)?;
        return Ok(Opened {
            format: Format::Stream,
            version: Some(if info.signed {
                super::VERSION
            } else {
                super::VERSION_1
            }),
            owner: if info.signed {
                Owner::Signed(info.owner)
            } else {
                Owner::Claimed(info.owner)
            },
            record_id: Some(info.record_id),
            epoch: Some(info.epoch),
            content: Content::Bytes(core::mem::take(&mut *out)),
        });
    }
    match Sealed::from_any(bytes) {
        Ok(sealed) => open_sealed(
            &sealed,
            if bytes.starts_with(&MAGIC) {
                Format::Binary
            } else {
                Format::Jwe
            },
            party,
            options,
        ),
        Err(e) if is_json(bytes) || is_compact_jwe(bytes) => {
            // Perhaps a standard JWE made by another JOSE library (JSON or compact).
            let text = core::str::from_utf8(bytes)
                .map_err(|_| OpenError::Decode(e.clone()))?
                .trim();
            if !jwe::is_foreign_jwe(text) {
                // A Causeway JWE that does not decode: refused with the decoder's error.
                return Err(OpenError::Decode(e));
            }
            options.check(Owner::None, None)?;
            match jwe::open_jwe(text, party) {
                Ok(plain) => Ok(Opened {
                    format: Format::ForeignJwe,
                    version: None,
                    owner: Owner::None,
                    record_id: None,
                    epoch: None,
                    content: Content::Bytes(plain),
                }),
                Err(OpenError::Decode(_)) => Err(OpenError::Decode(e)),
                Err(other) => Err(other),
            }
        }
        Err(e) => Err(OpenError::Decode(e)),
    }
}

/// [`open_any`] for a decoded [`Sealed`] (`format` says how it came).
fn open_sealed(
    sealed: &Sealed,
    format: Format,
    party: &Party,
    options: &OpenOptions<'_>,
) -> Result<Opened, OpenError> {
    let owner = check_sealed(sealed, options)?;
    // The owner signature was checked just above: not again (it hashes the whole object).
    let content = sealed.open_authenticated(party)?;
    Ok(Opened {
        format,
        version: Some(sealed.version()),
        owner,
        record_id: Some(sealed.record_id()),
        epoch: Some(sealed.epoch()),
        content,
    })
}

/// The checks [`open_any`] makes on a sealed record before unwrapping anything: the owner
/// signature (version 2), then `options`.
fn check_sealed(sealed: &Sealed, options: &OpenOptions<'_>) -> Result<Owner, OpenError> {
    check_sealed_with(sealed, &sealed.ciphertext, options)
}

/// [`check_sealed`] for an object whose ciphertext is `ciphertext` (its own, or the one
/// [`Sealed::from_bytes_split`] left in the caller's bytes).
fn check_sealed_with(
    sealed: &Sealed,
    ciphertext: &[u8],
    options: &OpenOptions<'_>,
) -> Result<Owner, OpenError> {
    let owner = if sealed.is_signed() {
        // The signature first: only then does `cw_own` name who made the object.
        sealed.verify_with(ciphertext)?;
        Owner::Signed(sealed.owner())
    } else {
        Owner::Claimed(sealed.owner())
    };
    options.check(owner, Some((sealed.record_id(), sealed.epoch())))?;
    Ok(owner)
}

/// A sealed record (binary or Causeway JWE) decoded, its owner signature checked and the
/// [`OpenOptions`] applied, not yet unwrapped: [`open_any`] in two steps, for a caller that
/// opens sealed bytes into a buffer of its own (a binding writing straight into its bytes
/// object). [`CheckedSealed::new`] gives `None` for what is not a Causeway sealed record (a
/// sealed stream or a foreign JWE): open those with [`open_any`].
///
/// ```
/// use causeway::party::Party;
/// use causeway::seal::{CheckedSealed, OpenOptions, Sealed};
/// let bank = Party::generate()?;
/// let auditor = Party::generate()?;
/// let sealed = Sealed::seal_bytes(&bank, &[auditor.public()], b"ledger extract")?.to_bytes();
/// let opts = OpenOptions { expect_owner: Some(bank.key_id()), ..Default::default() };
/// let checked = CheckedSealed::new(&sealed, &opts)?.expect("a sealed record");
/// let mut out = vec![0u8; checked.plaintext_len().expect("sealed bytes")];
/// checked.open_bytes_into(&auditor, &mut out)?;
/// assert_eq!(out, b"ledger extract");
/// # Ok::<(), causeway::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CheckedSealed {
    sealed: Sealed,
    format: Format,
    owner: Owner,
}

impl CheckedSealed {
    /// Decodes `bytes` as a sealed record and makes [`open_any`]'s checks (owner signature,
    /// then `options`), with the same errors; `Ok(None)` when `bytes` is a sealed stream or
    /// looks like a JWE that is not a Causeway record ([`open_any`] opens or refuses those).
    pub fn new(
        bytes: &[u8],
        options: &OpenOptions<'_>,
    ) -> Result<Option<CheckedSealed>, OpenError> {
        if stream::is_stream(bytes) {
            return Ok(None);
        }
        match Sealed::from_any(bytes) {
            Ok(sealed) => {
                let format = if bytes.starts_with(&MAGIC) {
                    Format::Binary
                } else {
                    Format::Jwe
                };
                let owner = check_sealed(&sealed, options)?;
                Ok(Some(CheckedSealed {
                    sealed,
                    format,
                    owner,
                }))
            }
            Err(_) if is_json(bytes) || is_compact_jwe(bytes) => Ok(None),
            Err(e) => Err(OpenError::Decode(e)),
        }
    }

    /// The decoded record.
    pub fn sealed(&self) -> &Sealed {
        &self.sealed
    }

    /// The form it came in ([`Format::Binary`] or [`Format::Jwe`]).
    pub fn format(&self) -> Format {
        self.format
    }

    /// Who made it (checked: a signed owner's signature verified).
    pub fn owner(&self) -> Owner {
        self.owner
    }

    /// The plaintext length when the record holds bytes (the buffer
    /// [`CheckedSealed::open_bytes_into`] needs); `None` for a sealed [`super::Record`].
    pub fn plaintext_len(&self) -> Option<usize> {
        (self.sealed.content_type() == super::CTY_BYTES).then(|| self.sealed.ciphertext_len())
    }

    /// Opens sealed bytes into `out` (exactly [`CheckedSealed::plaintext_len`] bytes) as
    /// `party`: [`Sealed::open_bytes_into`] without checking the signature a second time. On
    /// any error `out` is zeroized.
    pub fn open_bytes_into(&self, party: &Party, out: &mut [u8]) -> Result<(), OpenError> {
        self.sealed.open_bytes_into_authenticated(party, out)
    }

    /// Opens it as [`open_any`] would have (records and bytes alike).
    pub fn open(&self, party: &Party) -> Result<Opened, OpenError> {
        let content = self.sealed.open_authenticated(party)?;
        Ok(Opened {
            format: self.format,
            version: Some(self.sealed.version()),
            owner: self.owner,
            record_id: Some(self.sealed.record_id()),
            epoch: Some(self.sealed.epoch()),
            content,
        })
    }
}

/// [`CheckedSealed`] for a sealed record in the canonical binary form that borrows its
/// ciphertext from the caller's bytes instead of copying it: the same decoding, the same
/// checks (owner signature, then the [`OpenOptions`]) with the same errors, and
/// [`CheckedSealedRef::open_bytes_into`] copies the ciphertext once, from `bytes` into `out`.
/// A binding that opens into its own output object holds one payload-sized allocation per
/// call instead of two (measured: two 1 MiB blocks alive at once made glibc return and take
/// back its heap top on every call, page faults that doubled the time of a 1 MiB open).
///
/// ```
/// use causeway::party::Party;
/// use causeway::seal::{CheckedSealedRef, OpenOptions, Sealed};
/// let bank = Party::generate()?;
/// let auditor = Party::generate()?;
/// let bytes = Sealed::seal_bytes(&bank, &[auditor.public()], b"ledger extract")?.to_bytes();
/// let checked = CheckedSealedRef::new(&bytes, &OpenOptions::default())?.expect("binary form");
/// let mut out = vec![0u8; checked.plaintext_len().expect("sealed bytes")];
/// checked.open_bytes_into(&auditor, &mut out)?;
/// assert_eq!(out, b"ledger extract");
/// # Ok::<(), causeway::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CheckedSealedRef<'a> {
    /// The decoded object, its ciphertext left in `ciphertext`.
    sealed: Sealed,
    ciphertext: &'a [u8],
    owner: Owner,
}

impl<'a> CheckedSealedRef<'a> {
    /// Decodes `bytes` as a sealed record in the binary form and makes [`open_any`]'s checks
    /// (owner signature, then `options`), with the same errors; `Ok(None)` when `bytes` is not
    /// in the binary form of a sealed record (a JWE or a sealed stream: use
    /// [`CheckedSealed::new`] or [`open_any`]).
    pub fn new(
        bytes: &'a [u8],
        options: &OpenOptions<'_>,
    ) -> Result<Option<CheckedSealedRef<'a>>, OpenError> {
        if !bytes.starts_with(&MAGIC) || stream::is_stream(bytes) {
            return Ok(None);
        }
        let (sealed, range) = Sealed::from_bytes_split(bytes).map_err(OpenError::Decode)?;
        let ciphertext = bytes
            .get(range)
            .ok_or(OpenError::Decode(crate::error::DecodeError::Truncated))?;
        let owner = check_sealed_with(&sealed, ciphertext, options)?;
        Ok(Some(CheckedSealedRef {
            sealed,
            ciphertext,
            owner,
        }))
    }

    /// Who made it (checked: a signed owner's signature verified).
    pub fn owner(&self) -> Owner {
        self.owner
    }

    /// The format version.
    pub fn version(&self) -> u8 {
        self.sealed.version()
    }

    /// The record id.
    pub fn record_id(&self) -> RecordId {
        self.sealed.record_id()
    }

    /// The epoch.
    pub fn epoch(&self) -> u32 {
        self.sealed.epoch()
    }

    /// The plaintext length when the record holds bytes (the buffer
    /// [`CheckedSealedRef::open_bytes_into`] needs); `None` for a sealed [`super::Record`]
    /// (open those with [`CheckedSealed`]).
    pub fn plaintext_len(&self) -> Option<usize> {
        (self.sealed.content_type() == super::CTY_BYTES).then_some(self.ciphertext.len())
    }

    /// Opens sealed bytes into `out` (exactly [`CheckedSealedRef::plaintext_len`] bytes) as
    /// `party`, without checking the signature a second time: the ciphertext is copied from
    /// the caller's bytes into `out` and decrypted there. On any error `out` is zeroized.
    pub fn open_bytes_into(&self, party: &Party, out: &mut [u8]) -> Result<(), OpenError> {
        self.sealed
            .open_ciphertext_into(self.ciphertext, party, out)
    }
}
