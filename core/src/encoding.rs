//! The wire format: every object's canonical bytes start with a magic, a version and a type tag.
//!
//! ```text
//! "CW" | version: u8 | tag: u8 | body
//! ```
//!
//! Decoders are strict: unknown versions and tags are typed errors, every length is checked
//! against a cap before anything is allocated, and trailing bytes are refused. Text forms
//! (JSON, base64url, prefixed key strings) are views over these bytes. The tag registry lives in
//! `docs/spec/tags.md`; retired tags are never reused.

use crate::error::DecodeError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The two bytes every Causeway object starts with.
pub const MAGIC: [u8; 2] = *b"CW";

/// Type tags of the wire format (see `docs/spec/tags.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum Tag {
    /// A [`crate::record::Record`].
    Record = 0x01,
    /// A sealed record (the binary form of a Causeway JWE).
    SealedRecord = 0x02,
    /// The header of a sealed stream.
    SealedStream = 0x03,
    /// A party's public keys.
    PublicKeys = 0x04,
    /// A sealed table ([`crate::seal::table`]): a signed manifest and one sealed stream per
    /// column group.
    SealedTable = 0x05,
    /// An issuer's [`crate::attest::Attestation`].
    Attestation = 0x20,
    /// A holder's [`crate::attest::AttestedRecord`] (record, attestation and secret openings).
    AttestedRecord = 0x21,
    /// An issuer's signed [`crate::attest::RevocationList`].
    RevocationList = 0x22,
    /// A holder's [`crate::presentation::Presentation`].
    Presentation = 0x23,
    /// An aggregated Bulletproofs range proof ([`crate::range::AggregateRangeProof`]).
    RangeProof = 0x28,
    /// A Groth16 verifying key ([`crate::snark::VerifyingKey`]).
    Groth16VerifyingKey = 0x40,
    /// A Groth16 proving key ([`crate::snark::ProvingKey`]).
    Groth16ProvingKey = 0x41,
    /// A Groth16 proof with its key id ([`crate::snark::Proof`]).
    Groth16Proof = 0x42,
    /// A signed ledger receipt ([`crate::ledger::receipt::Receipt`]).
    Receipt = 0x4c,
    /// An anchor receipt ([`crate::anchor::AnchorReceipt`]).
    AnchorReceipt = 0x50,
    /// An evidence certificate ([`crate::evidence::Certificate`]).
    EvidenceCertificate = 0x51,
    /// A provenance bundle ([`crate::trace::ProvenanceBundle`]).
    ProvenanceBundle = 0x52,
}

impl Tag {
    /// The tag for a byte, if it is registered.
    pub fn from_byte(b: u8) -> Option<Tag> {
        Some(match b {
            0x01 => Tag::Record,
            0x02 => Tag::SealedRecord,
            0x03 => Tag::SealedStream,
            0x04 => Tag::PublicKeys,
            0x05 => Tag::SealedTable,
            0x20 => Tag::Attestation,
            0x21 => Tag::AttestedRecord,
            0x22 => Tag::RevocationList,
            0x23 => Tag::Presentation,
            0x28 => Tag::RangeProof,
            0x40 => Tag::Groth16VerifyingKey,
            0x41 => Tag::Groth16ProvingKey,
            0x42 => Tag::Groth16Proof,
            0x4c => Tag::Receipt,
            0x50 => Tag::AnchorReceipt,
            0x51 => Tag::EvidenceCertificate,
            0x52 => Tag::ProvenanceBundle,
            _ => return None,
        })
    }
}

/// Writes the object header.
pub fn write_header(out: &mut Vec<u8>, version: u8, tag: Tag) {
    out.extend_from_slice(&MAGIC);
    out.push(version);
    out.push(tag as u8);
}

/// Reads and checks an object header; returns the version, which must be in `supported`.
pub fn read_header(r: &mut Reader<'_>, tag: Tag, supported: &[u8]) -> Result<u8, DecodeError> {
    let magic = r.array::<2>()?;
    if magic != MAGIC {
        return Err(DecodeError::BadMagic);
    }
    let version = r.u8()?;
    let found = r.u8()?;
    if found != tag as u8 {
        return Err(DecodeError::UnexpectedTag {
            expected: tag as u8,
            found,
        });
    }
    if !supported.contains(&version) {
        return Err(DecodeError::UnsupportedVersion { found: version });
    }
    Ok(version)
}

/// A strict, bounded reader over untrusted bytes. It never panics and never allocates more
/// than the caller's caps allow.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// Takes the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or(DecodeError::Truncated)?;
        let out = self.buf.get(self.pos..end).ok_or(DecodeError::Truncated)?;
        self.pos = end;
        Ok(out)
    }

    /// Takes a fixed-size array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let s = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Reads one byte.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    /// Reads a big-endian `u16`.
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `u32`.
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `u64`.
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `i64`.
    pub fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    /// Reads a `u32` length prefix, checks it against `max` (before allocating), and takes
    /// that many bytes.
    pub fn bytes_u32(&mut self, what: &'static str, max: usize) -> Result<&'a [u8], DecodeError> {
        let len = self.u32()? as usize;
        if len > max {
            return Err(DecodeError::TooLong { what, len, max });
        }
        self.take(len)
    }

    /// Reads a `u16` length prefix, checks it against `max`, and takes that many bytes.
    pub fn bytes_u16(&mut self, what: &'static str, max: usize) -> Result<&'a [u8], DecodeError> {
        let len = self.u16()? as usize;
        if len > max {
            return Err(DecodeError::TooLong { what, len, max });
        }
        self.take(len)
    }

    /// Reads a `u16`-prefixed UTF-8 string of at most `max` bytes.
    pub fn str_u16(&mut self, what: &'static str, max: usize) -> Result<&'a str, DecodeError> {
        let b = self.bytes_u16(what, max)?;
        core::str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8 { what })
    }

    /// Succeeds only if every byte was read.
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(DecodeError::TrailingData)
        }
    }
}

/// Appends a `u16`-length-prefixed byte string. Callers enforce the caps before writing.
pub fn put_bytes_u16(out: &mut Vec<u8>, b: &[u8]) {
    let len = u16::try_from(b.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b.get(..len as usize).unwrap_or(b));
}

/// Appends a `u32`-length-prefixed byte string. Callers enforce the caps before writing.
pub fn put_bytes_u32(out: &mut Vec<u8>, b: &[u8]) {
    let len = u32::try_from(b.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b.get(..len as usize).unwrap_or(b));
}

/// base64url without padding (RFC 4648 §5), as JOSE uses it.
pub fn b64u_encode(b: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(b)
}

/// Strict base64url decoding (no padding, canonical trailing bits), with a cap on the decoded
/// length checked before decoding.
pub fn b64u_decode(what: &'static str, s: &str, max: usize) -> Result<Vec<u8>, DecodeError> {
    // 4 chars carry 3 bytes; refuse before allocating.
    let len = s.len() / 4 * 3 + (s.len() % 4).saturating_sub(1);
    if len > max {
        return Err(DecodeError::TooLong { what, len, max });
    }
    URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| DecodeError::InvalidBase64 { what })
}

/// Prefixed, checksummed text for keys: `prefix` followed by lowercase (or uppercase) RFC 4648
/// base32 of `payload || SHA-256("causeway/text/v1" || prefix || payload)[..4]`.
pub mod text {
    use crate::error::DecodeError;
    use sha2::{Digest, Sha256};
    use zeroize::Zeroizing;

    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

    fn checksum(prefix: &str, payload: &[u8]) -> [u8; 4] {
        let mut h = Sha256::new();
        h.update(b"causeway/text/v1");
        h.update((prefix.len() as u32).to_be_bytes());
        h.update(prefix.to_ascii_lowercase().as_bytes());
        h.update(payload);
        let d = h.finalize();
        let mut out = [0u8; 4];
        out.copy_from_slice(d.get(..4).unwrap_or(&[0; 4]));
        out
    }

    /// Encodes `payload` under `prefix`. Upper case when `upper` (secret keys, like age).
    #[allow(clippy::indexing_slicing)] // indices are masked to 0..32
    pub fn encode(prefix: &str, payload: &[u8], upper: bool) -> Zeroizing<String> {
        let mut data = Zeroizing::new(payload.to_vec());
        data.extend_from_slice(&checksum(prefix, payload));
        let mut s = Zeroizing::new(String::with_capacity(prefix.len() + data.len() * 8 / 5 + 2));
        s.push_str(prefix);
        let mut acc: u32 = 0;
        let mut bits = 0u32;
        for &b in data.iter() {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                let c = ALPHABET[((acc >> bits) & 31) as usize];
                s.push(if upper { c.to_ascii_uppercase() } else { c } as char);
            }
        }
        if bits > 0 {
            let c = ALPHABET[((acc << (5 - bits)) & 31) as usize];
            s.push(if upper { c.to_ascii_uppercase() } else { c } as char);
        }
        s
    }

    /// Decodes text made by [`encode`]; case-insensitive in the body, checksum verified, payload
    /// length must equal `len`.
    pub fn decode(prefix: &str, s: &str, len: usize) -> Result<Zeroizing<Vec<u8>>, DecodeError> {
        let s = s.trim();
        let body = match s.get(..prefix.len()) {
            Some(p) if p.eq_ignore_ascii_case(prefix) => s.get(prefix.len()..).unwrap_or(""),
            _ => return Err(DecodeError::InvalidText { what: "prefix" }),
        };
        let want_chars = ((len + 4) * 8).div_ceil(5);
        if body.len() != want_chars {
            return Err(DecodeError::InvalidText { what: "length" });
        }
        let mut out = Zeroizing::new(Vec::with_capacity(len + 4));
        let mut acc: u32 = 0;
        let mut bits = 0u32;
        for c in body.bytes() {
            let v = match c.to_ascii_lowercase() {
                c @ b'a'..=b'z' => c - b'a',
                c @ b'2'..=b'7' => c - b'2' + 26,
                _ => return Err(DecodeError::InvalidText { what: "character" }),
            };
            acc = ((acc << 5) | u32::from(v)) & 0xFFFF;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        // Canonical: leftover bits must be zero.
        if bits > 0 && (acc & ((1 << bits) - 1)) != 0 {
            return Err(DecodeError::InvalidText {
                what: "padding bits",
            });
        }
        if out.len() != len + 4 {
            return Err(DecodeError::InvalidText { what: "length" });
        }
        let (payload, sum) = out.split_at(len);
        let want = checksum(prefix, payload);
        if !bool::from(subtle::ConstantTimeEq::ct_eq(&want[..], sum)) {
            return Err(DecodeError::InvalidText { what: "checksum" });
        }
        Ok(Zeroizing::new(payload.to_vec()))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn round_trip_and_checksum() {
            for n in [0usize, 1, 5, 32, 65] {
                let p: Vec<u8> = (0..n as u8).collect();
                let t = encode("cwx1", &p, false);
                assert_eq!(&decode("cwx1", &t, n).unwrap()[..], &p[..]);
                let up = encode("CW-X-", &p, true);
                assert_eq!(&decode("CW-X-", &up, n).unwrap()[..], &p[..]);
                // any single character change is caught
                let mut bad = t.as_bytes().to_vec();
                let last = bad.len() - 1;
                bad[last] = if bad[last] == b'a' { b'b' } else { b'a' };
                assert!(decode("cwx1", core::str::from_utf8(&bad).unwrap(), n).is_err());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_is_bounded() {
        let mut r = Reader::new(&[0, 0, 0, 9, 1, 2]);
        assert!(matches!(
            r.clone().bytes_u32("x", 4),
            Err(DecodeError::TooLong { .. })
        ));
        assert!(matches!(r.bytes_u32("x", 100), Err(DecodeError::Truncated)));
        let r = Reader::new(&[1]);
        assert!(matches!(r.finish(), Err(DecodeError::TrailingData)));
    }

    #[test]
    fn header_checks() {
        let mut v = Vec::new();
        write_header(&mut v, 1, Tag::Record);
        assert_eq!(
            read_header(&mut Reader::new(&v), Tag::Record, &[1]).unwrap(),
            1
        );
        assert!(matches!(
            read_header(&mut Reader::new(&v), Tag::Record, &[2]),
            Err(DecodeError::UnsupportedVersion { found: 1 })
        ));
        assert!(matches!(
            read_header(&mut Reader::new(&v), Tag::SealedRecord, &[1]),
            Err(DecodeError::UnexpectedTag { .. })
        ));
        assert!(matches!(
            read_header(&mut Reader::new(b"XX\x01\x01"), Tag::Record, &[1]),
            Err(DecodeError::BadMagic)
        ));
    }
}
