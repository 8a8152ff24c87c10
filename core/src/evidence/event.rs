//! The evidence receipt's body (ledger event kind 7) and the rules for its public fields.

use crate::encoding::Reader;
use crate::error::{DecodeError, EvidenceError};
use crate::ledger::merkle::Hash;
use crate::party::KeyId;
use crate::seal::RecordId;
use serde_json::{json, Value};

/// Longest media type, in bytes (RFC 6838 caps each of type and subtype at 127 characters;
/// one bound for the whole `type/subtype` keeps receipts small).
pub const MAX_MEDIA_TYPE: usize = 127;
/// Longest label, in bytes of UTF-8.
pub const MAX_LABEL: usize = 64;
/// The media type used when the caller names none.
pub const DEFAULT_MEDIA_TYPE: &str = "application/octet-stream";

/// A validated media type: RFC 6838 `type/subtype`, lower case, no parameters, at most
/// [`MAX_MEDIA_TYPE`] bytes. Lower case only, so one media type has one spelling on the log.
///
/// The media type is public: it is written in clear into the log (say so to whoever submits).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MediaType(String);

impl MediaType {
    /// Checks `text` against the rules above ([`EvidenceError::InvalidValue`] otherwise).
    pub fn new(text: &str) -> Result<MediaType, EvidenceError> {
        check_media_type(text).map_err(EvidenceError::InvalidValue)?;
        Ok(MediaType(text.to_owned()))
    }

    /// `application/octet-stream`.
    pub fn octet_stream() -> MediaType {
        MediaType(DEFAULT_MEDIA_TYPE.to_owned())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for MediaType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A validated label: at most [`MAX_LABEL`] bytes of UTF-8, possibly empty; printable
/// characters and plain spaces only (no control characters, no other whitespace, no
/// invisible formatting or bidirectional override characters, which could make two labels
/// look alike or reorder what a court reads), no leading or trailing space.
///
/// The label is public: it is written in clear into the log. Name the exhibit ("exhibit 12"),
/// not its content.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Label(String);

impl Label {
    /// Checks `text` against the rules above ([`EvidenceError::InvalidValue`] otherwise).
    pub fn new(text: &str) -> Result<Label, EvidenceError> {
        check_label(text).map_err(EvidenceError::InvalidValue)?;
        Ok(Label(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for Label {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

fn restricted_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || matches!(c, '!' | '#' | '$' | '&' | '-' | '^' | '_' | '.' | '+')
        })
}

fn check_media_type(s: &str) -> Result<(), &'static str> {
    const RULE: &str =
        "media type must be lower-case `type/subtype` (RFC 6838 names, no parameters), at most 127 bytes";
    if s.is_empty() || s.len() > MAX_MEDIA_TYPE {
        return Err(RULE);
    }
    let Some((t, sub)) = s.split_once('/') else {
        return Err(RULE);
    };
    if !restricted_name(t) || !restricted_name(sub) {
        return Err(RULE);
    }
    Ok(())
}

/// Invisible or reordering characters (Unicode format characters that matter for display).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}' | '\u{e0000}'..='\u{e0fff}')
}

fn check_label(s: &str) -> Result<(), &'static str> {
    if s.len() > MAX_LABEL {
        return Err("label must be at most 64 bytes");
    }
    if s.starts_with(' ') || s.ends_with(' ') {
        return Err("label must not start or end with a space");
    }
    if s.chars()
        .any(|c| c != ' ' && (c.is_control() || c.is_whitespace() || is_invisible(c)))
    {
        return Err("label must hold printable characters and plain spaces only");
    }
    Ok(())
}

/// The sealed copy of the notarised content, as recorded in the evidence receipt: the record
/// id of the sealed stream and the leaf hash of its `record-sealed` receipt (appended to the
/// same log before the evidence receipt), which lists who can open it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealedLink {
    /// The sealed stream's record id.
    pub record_id: RecordId,
    /// The RFC 9162 leaf hash of the `record-sealed` receipt of that stream.
    pub receipt_leaf: Hash,
}

/// Ledger event kind 7, `evidence-recorded`: a party notarised a byte string.
///
/// Only the SHA-256 digest and the length of the content are recorded, with a public media
/// type and label. The digest does not hide content an adversary can guess (a short or
/// templated document can be confirmed by hashing candidates): seal such content rather than
/// rely on the digest's secrecy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceEvent {
    /// SHA-256 of the content.
    pub digest: Hash,
    /// The content's length in bytes.
    pub length: u64,
    /// Its media type (public).
    pub media_type: MediaType,
    /// The submitter's label (public).
    pub label: Label,
    /// The submitter's key id (the receipt's signer).
    pub submitter: KeyId,
    /// The sealed copy, when the content was also sealed for named parties.
    pub sealed: Option<SealedLink>,
}

impl EvidenceEvent {
    /// Appends the body's canonical bytes (`docs/spec/evidence.md`).
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.digest);
        out.extend_from_slice(&self.length.to_be_bytes());
        // Both are validated to fit a u8 length (127 and 64 bytes at most).
        let mt = self.media_type.as_str().as_bytes();
        out.push(u8::try_from(mt.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(mt.get(..usize::from(u8::MAX)).unwrap_or(mt));
        let label = self.label.as_str().as_bytes();
        out.push(u8::try_from(label.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(label.get(..usize::from(u8::MAX)).unwrap_or(label));
        out.extend_from_slice(self.submitter.as_bytes());
        match &self.sealed {
            None => out.push(0),
            Some(s) => {
                out.push(1);
                out.extend_from_slice(&s.record_id.0);
                out.extend_from_slice(&s.receipt_leaf);
            }
        }
    }

    /// Reads the body strictly: the media type and label must satisfy their rules, the
    /// sealed flag must be 0 or 1.
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<EvidenceEvent, DecodeError> {
        let digest = r.array()?;
        let length = r.u64()?;
        let n = usize::from(r.u8()?);
        let mt = std::str::from_utf8(r.take(n)?).map_err(|_| DecodeError::InvalidUtf8 {
            what: "evidence media type",
        })?;
        check_media_type(mt).map_err(|_| DecodeError::Invalid {
            what: "evidence media type",
        })?;
        let n = usize::from(r.u8()?);
        let label = std::str::from_utf8(r.take(n)?).map_err(|_| DecodeError::InvalidUtf8 {
            what: "evidence label",
        })?;
        check_label(label).map_err(|_| DecodeError::Invalid {
            what: "evidence label",
        })?;
        let submitter = KeyId(r.array()?);
        let sealed = match r.u8()? {
            0 => None,
            1 => Some(SealedLink {
                record_id: RecordId(r.array()?),
                receipt_leaf: r.array()?,
            }),
            _ => {
                return Err(DecodeError::Invalid {
                    what: "evidence sealed flag",
                })
            }
        };
        Ok(EvidenceEvent {
            digest,
            length,
            media_type: MediaType(mt.to_owned()),
            label: Label(label.to_owned()),
            submitter,
            sealed,
        })
    }

    /// The JSON view (snake_case keys, hashes in hex).
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "sha256": hex::encode(self.digest),
            "length": self.length,
            "media_type": self.media_type.as_str(),
            "label": self.label.as_str(),
            "submitter": self.submitter.to_string(),
            "sealed": self.sealed.map(|s| json!({
                "record_id": s.record_id.to_string(),
                "receipt_leaf": hex::encode(s.receipt_leaf),
            })),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        for ok in [
            "application/pdf",
            "image/jpeg",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "video/mp4",
            "application/ld+json",
        ] {
            assert!(MediaType::new(ok).is_ok(), "{ok}");
        }
        let long = format!("application/{}", "x".repeat(120));
        for bad in [
            "",
            "pdf",
            "application/",
            "/pdf",
            "Application/PDF",
            "text/plain; charset=utf-8",
            "text/plain ",
            "a/b/c",
            "text/\u{202e}fdp",
            long.as_str(),
        ] {
            assert!(MediaType::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn labels() {
        for ok in ["", "exhibit 12", "证据 第3号", "Vertrag §4 (Entwurf)"] {
            assert!(Label::new(ok).is_ok(), "{ok}");
        }
        let long = "x".repeat(65);
        for bad in [
            " lead",
            "trail ",
            "tab\there",
            "line\nbreak",
            "nul\0",
            "rtl\u{202e}txt.exe",
            "zero\u{200b}width",
            "bom\u{feff}",
            "nbsp\u{a0}here",
            long.as_str(),
        ] {
            assert!(Label::new(bad).is_err(), "{bad:?}");
        }
    }
}
