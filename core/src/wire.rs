//! One uniform way to encode and decode every Causeway wire object, so that a binding wraps
//! them all the same way: [`Wire`] (tag, canonical bytes, one decode error type, a text form)
//! and one binary-or-text sniffer, [`decode_any`].
//!
//! Every object's canonical binary form starts with `"CW" | version | tag`
//! (`docs/spec/tags.md`); its text form is the object's own (the JWE JSON of a sealed record,
//! a presentation's JSON, a snarkjs verifying key, an attestation's text) or else the
//! base64url of its bytes. The types keep their own inherent `to_bytes` / `from_bytes`; this
//! trait maps their errors to [`DecodeError`]. All the impls live in this file.
//!
//! ```
//! use causeway::party::Party;
//! use causeway::seal::Sealed;
//! use causeway::wire::{decode_any, Wire};
//! let owner = Party::generate()?;
//! let sealed = Sealed::seal_bytes(&owner, &[], b"x")?;
//! let bytes = Wire::to_bytes(&sealed)?;
//! let text = Wire::to_text(&sealed)?; // the JWE JSON
//! assert_eq!(decode_any::<Sealed>(&bytes)?, sealed);
//! assert_eq!(decode_any::<Sealed>(text.as_bytes())?, sealed);
//! assert_eq!(<Sealed as Wire>::TAG, causeway::encoding::Tag::SealedRecord);
//! # Ok::<(), causeway::Error>(())
//! ```

use crate::anchor::{AnchorReceipt, MAX_ANCHOR_RECEIPT_LEN};
use crate::attest::{Attestation, AttestedRecord, RevocationList, MAX_ATTESTATION_LEN};
use crate::encoding::{b64u_decode, b64u_encode, read_header, write_header, Reader, Tag, MAGIC};
use crate::error::{AnchorError, AttestError, DecodeError, KeyError, LedgerError, RecordError};
use crate::ledger::receipt::{Receipt, MAX_RECEIPT_LEN};
use crate::party::PublicKeys;
use crate::presentation::Presentation;
use crate::range::AggregateRangeProof;
use crate::record::Record;
use crate::record::{MAX_FIELDS, MAX_RECORD_LEN};
use crate::seal::Sealed;
use crate::snark::{Proof, ProvingKey, VerifyingKey};

/// Largest base64url text form accepted by the default [`Wire::from_text`] when a type sets no
/// smaller [`Wire::MAX_LEN`] (checked before decoding).
pub const MAX_WIRE_LEN: usize = 256 * 1024 * 1024;

/// A Causeway wire object: its tag, its canonical bytes and a text form.
pub trait Wire: Sized {
    /// The tag byte of the canonical form (`"CW" | version | tag | …`).
    const TAG: Tag;
    /// A short name for error messages (`"sealed record"`, `"presentation"`, …).
    const NAME: &'static str;
    /// The largest canonical form accepted (bytes).
    const MAX_LEN: usize = MAX_WIRE_LEN;

    /// The canonical bytes. Fails only for objects that can exceed their format's limits
    /// (an anchor receipt with too long proofs): `DecodeError::TooLong` or `Invalid`.
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError>;

    /// Strict decoding of the canonical bytes; every failure is a [`DecodeError`] (a receipt
    /// whose signature does not verify: `DecodeError::Invalid`).
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError>;

    /// The text form: by default the base64url (no padding) of the canonical bytes.
    fn to_text(&self) -> Result<String, DecodeError> {
        Ok(b64u_encode(&self.to_bytes()?))
    }

    /// Parses the text form (surrounding whitespace ignored): by default base64url of the
    /// canonical bytes, at most [`Wire::MAX_LEN`] bytes once decoded.
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        Self::from_bytes(&b64u_decode(Self::NAME, text.trim(), Self::MAX_LEN)?)
    }
}

/// How some input is encoded, as [`sniff`] tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Canonical binary: `"CW"` then a version byte (never printable ASCII).
    Binary,
    /// JSON text (first non-blank character `{` or `[`).
    Json,
    /// Other text (base64url, or an object's own text form).
    Text,
}

/// Tells binary from text: binary is `"CW"` followed by a byte that is not printable ASCII
/// (every format version is a small number), so text that happens to start with `CW` (say
/// base64url) is still text. Whitespace before JSON is allowed.
pub fn sniff(bytes: &[u8]) -> Form {
    if bytes.starts_with(&MAGIC) && bytes.get(2).is_some_and(|b| !b.is_ascii_graphic()) {
        return Form::Binary;
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') => Form::Json,
        _ => Form::Text,
    }
}

/// Decodes `T` from its binary or its text form, whichever `bytes` hold ([`sniff`]). Text
/// must be UTF-8; more than [`Wire::MAX_LEN`] bytes of binary (or 4/3 of it plus some slack
/// as text) are refused before parsing.
pub fn decode_any<T: Wire>(bytes: &[u8]) -> Result<T, DecodeError> {
    let max_text = T::MAX_LEN.saturating_mul(4) / 3 + 1024;
    match sniff(bytes) {
        Form::Binary => {
            if bytes.len() > T::MAX_LEN {
                return Err(DecodeError::TooLong {
                    what: T::NAME,
                    len: bytes.len(),
                    max: T::MAX_LEN,
                });
            }
            T::from_bytes(bytes)
        }
        Form::Json | Form::Text => {
            if bytes.len() > max_text {
                return Err(DecodeError::TooLong {
                    what: T::NAME,
                    len: bytes.len(),
                    max: max_text,
                });
            }
            let text = core::str::from_utf8(bytes)
                .map_err(|_| DecodeError::InvalidUtf8 { what: T::NAME })?;
            T::from_text(text.trim())
        }
    }
}

fn from_record_error(e: RecordError) -> DecodeError {
    match e {
        RecordError::Decode(d) => d,
        _ => DecodeError::Invalid { what: "record" },
    }
}

fn from_ledger_error(e: LedgerError) -> DecodeError {
    match e {
        LedgerError::Decode(d) => d,
        _ => DecodeError::Invalid {
            what: "receipt (signature or signer)",
        },
    }
}

fn from_anchor_error(e: AnchorError) -> DecodeError {
    match e {
        AnchorError::Decode(d) => d,
        AnchorError::Ledger(l) => from_ledger_error(l),
        AnchorError::Invalid(what) => DecodeError::Invalid { what },
        _ => DecodeError::Invalid {
            what: "anchor receipt",
        },
    }
}

fn from_attest_error(e: AttestError) -> DecodeError {
    match e {
        AttestError::Decode(d) => d,
        _ => DecodeError::Invalid {
            what: "attested record (openings do not open the attestation)",
        },
    }
}

fn from_key_error(e: KeyError) -> DecodeError {
    match e {
        KeyError::Decode(d) => d,
        _ => DecodeError::Invalid {
            what: "public keys",
        },
    }
}

/// Largest canonical attested record (the bound `AttestedRecord::from_bytes` checks).
pub const MAX_ATTESTED_RECORD_LEN: usize =
    MAX_RECORD_LEN + MAX_ATTESTATION_LEN + 64 * MAX_FIELDS + 64;

/// The version of the binary form of [`PublicKeys`].
pub const PUBLIC_KEYS_VERSION: u8 = 1;
/// Length of the binary form of [`PublicKeys`].
pub const PUBLIC_KEYS_LEN: usize = 4 + 32 + 32;

/// A party's public keys: binary `"CW" | 1 | 0x04 | Ed25519 key (32) | X25519 key (32)`
/// (68 bytes; both points checked as by [`PublicKeys::from_bytes`]); text `cwpub1…`
/// ([`PublicKeys::to_text`]), and base64url of the binary form is read too.
impl Wire for PublicKeys {
    const TAG: Tag = Tag::PublicKeys;
    const NAME: &'static str = "public keys";
    const MAX_LEN: usize = PUBLIC_KEYS_LEN;
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::with_capacity(PUBLIC_KEYS_LEN);
        write_header(&mut out, PUBLIC_KEYS_VERSION, Tag::PublicKeys);
        out.extend_from_slice(self.signing().as_bytes());
        out.extend_from_slice(self.encryption().as_bytes());
        Ok(out)
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > PUBLIC_KEYS_LEN {
            return Err(DecodeError::TooLong {
                what: "public keys",
                len: bytes.len(),
                max: PUBLIC_KEYS_LEN,
            });
        }
        let mut r = Reader::new(bytes);
        read_header(&mut r, Tag::PublicKeys, &[PUBLIC_KEYS_VERSION])?;
        let ed: [u8; 32] = r.array()?;
        let x: [u8; 32] = r.array()?;
        r.finish()?;
        PublicKeys::from_bytes(&ed, &x).map_err(from_key_error)
    }
    /// `cwpub1…` text.
    fn to_text(&self) -> Result<String, DecodeError> {
        Ok(PublicKeys::to_text(self))
    }
    /// `cwpub1…` text, or base64url of the binary form.
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        let t = text.trim();
        if t.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("cwpub1")) {
            return PublicKeys::from_text(t).map_err(from_key_error);
        }
        <Self as Wire>::from_bytes(&b64u_decode(Self::NAME, t, Self::MAX_LEN)?)
    }
}

/// A holder's attested record (record, attestation and the **secret** openings). Text form:
/// base64url of the canonical bytes. Prefer the inherent [`AttestedRecord::to_bytes`], which
/// zeroizes its buffer: the `Vec` and `String` this trait returns are the caller's to wipe.
impl Wire for AttestedRecord {
    const TAG: Tag = Tag::AttestedRecord;
    const NAME: &'static str = "attested record";
    const MAX_LEN: usize = MAX_ATTESTED_RECORD_LEN;
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(AttestedRecord::to_bytes(self).to_vec())
    }
    /// Decodes strictly and checks that the openings open the attestation (its signature is
    /// not checked here).
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        AttestedRecord::from_bytes(bytes).map_err(from_attest_error)
    }
    fn to_text(&self) -> Result<String, DecodeError> {
        Ok(b64u_encode(&AttestedRecord::to_bytes(self)))
    }
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        let bytes = zeroize::Zeroizing::new(b64u_decode(Self::NAME, text.trim(), Self::MAX_LEN)?);
        <Self as Wire>::from_bytes(&bytes)
    }
}

impl Wire for Record {
    const TAG: Tag = Tag::Record;
    const NAME: &'static str = "record";
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(Record::to_bytes(self))
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Record::from_bytes(bytes).map_err(from_record_error)
    }
    /// The record's JSON.
    fn to_text(&self) -> Result<String, DecodeError> {
        Ok(self.to_json().to_string())
    }
    /// The record's JSON.
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        Record::from_json(text).map_err(from_record_error)
    }
}

impl Wire for Sealed {
    const TAG: Tag = Tag::SealedRecord;
    const NAME: &'static str = "sealed record";
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(Sealed::to_bytes(self))
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Sealed::from_bytes(bytes)
    }
    /// The JWE JSON general serialization.
    fn to_text(&self) -> Result<String, DecodeError> {
        Ok(self.to_jwe_json())
    }
    /// A Causeway JWE (JSON general serialization).
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        Sealed::from_jwe_json(text)
    }
}

impl Wire for Attestation {
    const TAG: Tag = Tag::Attestation;
    const NAME: &'static str = "attestation";
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(Attestation::to_bytes(self))
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Attestation::from_bytes(bytes)
    }
    /// The attestation's own text form ([`Attestation::to_text`]).
    fn to_text(&self) -> Result<String, DecodeError> {
        Ok(Attestation::to_text(self))
    }
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        Attestation::from_text(text)
    }
}

impl Wire for RevocationList {
    const TAG: Tag = Tag::RevocationList;
    const NAME: &'static str = "revocation list";
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(RevocationList::to_bytes(self))
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        RevocationList::from_bytes(bytes)
    }
}

impl Wire for Presentation {
    const TAG: Tag = Tag::Presentation;
    const NAME: &'static str = "presentation";
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(Presentation::to_bytes(self))
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Presentation::from_bytes(bytes)
    }
    /// The presentation's JSON.
    fn to_text(&self) -> Result<String, DecodeError> {
        Ok(self.to_json().to_string())
    }
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        Presentation::from_json(text)
    }
}

impl Wire for AggregateRangeProof {
    const TAG: Tag = Tag::RangeProof;
    const NAME: &'static str = "range proof";
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(AggregateRangeProof::to_bytes(self))
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        AggregateRangeProof::from_bytes(bytes)
    }
}

impl Wire for VerifyingKey {
    const TAG: Tag = Tag::Groth16VerifyingKey;
    const NAME: &'static str = "verifying key";
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(VerifyingKey::to_bytes(self))
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        VerifyingKey::from_bytes(bytes)
    }
    /// snarkjs `verification_key.json` (what `snarkjs groth16 verify` reads).
    fn to_text(&self) -> Result<String, DecodeError> {
        Ok(crate::snark::vk_to_snarkjs_json(self))
    }
    /// snarkjs JSON (text starting with `{`), or base64url of the canonical bytes.
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        let t = text.trim();
        if t.starts_with('{') {
            crate::snark::vk_from_snarkjs_json(t)
        } else {
            <Self as Wire>::from_bytes(&b64u_decode(Self::NAME, t, Self::MAX_LEN)?)
        }
    }
}

impl Wire for ProvingKey {
    const TAG: Tag = Tag::Groth16ProvingKey;
    const NAME: &'static str = "proving key";
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(ProvingKey::to_bytes(self))
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        ProvingKey::from_bytes(bytes)
    }
}

impl Wire for Proof {
    const TAG: Tag = Tag::Groth16Proof;
    const NAME: &'static str = "Groth16 proof";
    const MAX_LEN: usize = 4096;
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(Proof::to_bytes(self).to_vec())
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Proof::from_bytes(bytes)
    }
}

impl Wire for Receipt {
    const TAG: Tag = Tag::Receipt;
    const NAME: &'static str = "receipt";
    const MAX_LEN: usize = MAX_RECEIPT_LEN;
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        Ok(self.as_bytes().to_vec())
    }
    /// Parses and verifies the receipt's signature (a failure is `DecodeError::Invalid`).
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Receipt::from_bytes(bytes).map_err(from_ledger_error)
    }
}

impl Wire for AnchorReceipt {
    const TAG: Tag = Tag::AnchorReceipt;
    const NAME: &'static str = "anchor receipt";
    const MAX_LEN: usize = MAX_ANCHOR_RECEIPT_LEN;
    fn to_bytes(&self) -> Result<Vec<u8>, DecodeError> {
        AnchorReceipt::to_bytes(self).map_err(from_anchor_error)
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        AnchorReceipt::from_bytes(bytes).map_err(from_anchor_error)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::party::Party;
    use crate::record::Value;

    fn round_trip<T: Wire + PartialEq + core::fmt::Debug>(x: &T) {
        let b = Wire::to_bytes(x).unwrap();
        assert_eq!(b.get(..2), Some(&MAGIC[..]));
        assert_eq!(b[3], T::TAG as u8, "{}", T::NAME);
        assert_eq!(sniff(&b), Form::Binary);
        assert_eq!(&T::from_bytes(&b).unwrap(), x);
        assert_eq!(&decode_any::<T>(&b).unwrap(), x);
        let t = x.to_text().unwrap();
        assert_ne!(sniff(t.as_bytes()), Form::Binary);
        assert_eq!(&T::from_text(&t).unwrap(), x);
        assert_eq!(&decode_any::<T>(format!("\n {t}\n").as_bytes()).unwrap(), x);
        // base64url of the bytes is always accepted where the text form is not JSON
        if !t.trim_start().starts_with('{') {
            assert_eq!(&decode_any::<T>(b64u_encode(&b).as_bytes()).unwrap(), x);
        }
        // a changed version byte, a cut and trailing bytes are decode errors, never panics
        let mut v = b.clone();
        v[2] = 0x7f;
        assert!(decode_any::<T>(&v).is_err());
        assert!(decode_any::<T>(&b[..b.len() - 1]).is_err());
        let mut long = b.clone();
        long.push(0);
        assert!(decode_any::<T>(&long).is_err());
        // another object's bytes are refused
        let mut other = b.clone();
        other[3] = if T::TAG == Tag::Record { 0x02 } else { 0x01 };
        assert!(T::from_bytes(&other).is_err());
    }

    #[test]
    fn objects_round_trip_through_bytes_and_text() {
        let owner = Party::generate().unwrap();
        let record = Record::new("kyc/v1")
            .unwrap()
            .with("score", Value::Int(712))
            .unwrap();
        round_trip(&record);
        round_trip(&Sealed::seal_record(&owner, &[], &record).unwrap());
        let r = Receipt::new(
            owner.keys(),
            "example.org/log",
            1,
            crate::ledger::Event::AttestationRevoked(crate::ledger::receipt::AttestationEvent {
                revocation_handle: [7; 32],
                issuer: owner.key_id(),
            }),
        )
        .unwrap();
        round_trip(&r);
        // review of c6e3057, item 10: public keys and the attested record are wire objects too
        round_trip(&owner.public());
        let pk = owner.public();
        assert_eq!(Wire::to_bytes(&pk).unwrap().len(), PUBLIC_KEYS_LEN);
        assert_eq!(Wire::to_text(&pk).unwrap(), pk.to_text());
        assert_eq!(
            decode_any::<PublicKeys>(pk.to_text().as_bytes()).unwrap(),
            pk
        );
        // a low-order X25519 key in the binary form is refused like everywhere else
        let mut low = Wire::to_bytes(&pk).unwrap();
        low[36..].copy_from_slice(&[0u8; 32]);
        assert!(decode_any::<PublicKeys>(&low).is_err());
        let held = crate::attest::issue(
            owner.keys(),
            &record,
            &crate::attest::Terms::for_days(owner.key_id(), 1_000, 1),
        )
        .unwrap();
        let b = Wire::to_bytes(&held).unwrap();
        assert_eq!(b[3], Tag::AttestedRecord as u8);
        assert_eq!(&b[..], &held.to_bytes()[..]);
        for form in [b.clone(), Wire::to_text(&held).unwrap().into_bytes()] {
            let back = decode_any::<AttestedRecord>(&form).unwrap();
            assert_eq!(&back.to_bytes()[..], &b[..]);
        }
        let mut cut = b.clone();
        cut.pop();
        assert!(decode_any::<AttestedRecord>(&cut).is_err());
    }

    #[test]
    fn the_sniffer_tells_binary_from_text() {
        assert_eq!(sniff(b"CW\x02\x02rest"), Form::Binary);
        assert_eq!(sniff(b"CWxyz"), Form::Text, "base64url that starts with CW");
        assert_eq!(sniff(b"  {\"a\":1}"), Form::Json);
        assert_eq!(sniff(b"[1]"), Form::Json);
        assert_eq!(sniff(b""), Form::Text);
        assert!(matches!(
            decode_any::<Sealed>(b"\xff\xfe"),
            Err(DecodeError::InvalidUtf8 { .. })
        ));
        assert!(matches!(
            decode_any::<Proof>(&vec![b'A'; 10_000]),
            Err(DecodeError::TooLong { .. })
        ));
        // a receipt with a bad signature is a decode error of the one type
        let owner = Party::generate().unwrap();
        let r = Receipt::new(
            owner.keys(),
            "example.org/log",
            1,
            crate::ledger::Event::AttestationIssued(crate::ledger::receipt::AttestationEvent {
                revocation_handle: [1; 32],
                issuer: owner.key_id(),
            }),
        )
        .unwrap();
        let mut b = r.as_bytes().to_vec();
        let n = b.len();
        b[n - 1] ^= 1;
        assert!(matches!(
            decode_any::<Receipt>(&b),
            Err(DecodeError::Invalid { .. })
        ));
    }
}
