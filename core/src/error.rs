//! Errors. One enum per operation, each `#[non_exhaustive]`, wrapped by [`enum@Error`].
//!
//! Messages never contain secrets or raw input. Every decryption failure, whatever its cause,
//! is the single opaque [`OpenError::Decrypt`].
//!
//! Every error has a stable [`code`](Error::code) (`"decode.truncated"`, `"decrypt"`,
//! `"verify.revoked"`, …) and a [`kind`](Error::kind): one classification for every face. The
//! CLI derives its exit code from the kind, the testkit vectors name codes, and the Python and
//! JS packages raise exceptions / `Error` objects carrying the same code. Codes are never
//! reused or renamed; [`CODES`] lists them all (`docs/spec/errors.md`).

use thiserror::Error;

/// Malformed bytes or text at a trust boundary.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended early.
    #[error("input is truncated")]
    Truncated,
    /// Bytes were left over after a complete object.
    #[error("unexpected trailing data after the object")]
    TrailingData,
    /// The object does not start with the Causeway magic.
    #[error("not a Causeway object (bad magic)")]
    BadMagic,
    /// The object names a format version this build does not read.
    #[error("unsupported format version {found}")]
    UnsupportedVersion {
        /// The version found.
        found: u8,
    },
    /// The object is of another type than expected.
    #[error("unexpected object type tag {found:#04x} (expected {expected:#04x})")]
    UnexpectedTag {
        /// The tag expected.
        expected: u8,
        /// The tag found.
        found: u8,
    },
    /// A length or count is over its cap.
    #[error("{what} is too long ({len} > {max})")]
    TooLong {
        /// What was too long.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// A string is not UTF-8.
    #[error("{what} is not valid UTF-8")]
    InvalidUtf8 {
        /// Which string.
        what: &'static str,
    },
    /// base64url that is malformed or non-canonical.
    #[error("{what} is not valid base64url")]
    InvalidBase64 {
        /// Which field.
        what: &'static str,
    },
    /// Prefixed key text that is malformed.
    #[error("invalid key text ({what})")]
    InvalidText {
        /// What was wrong.
        what: &'static str,
    },
    /// A value that is out of range, of the wrong kind, or not in canonical form.
    #[error("invalid {what}")]
    Invalid {
        /// What was wrong.
        what: &'static str,
    },
    /// JSON that does not parse or does not have the expected shape.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A Groth16 verifying key whose points are related in a way that lets anyone forge proofs
    /// for it (δ = ±γ, β = ±γ, δ = ±the G2 generator: e.g. a snarkjs zkey before any phase-2
    /// contribution). Refused however the key arrives (bytes, key directory, snarkjs JSON).
    #[error("Groth16 verifying key admits forged proofs: {what}")]
    WeakVerifyingKey {
        /// Which relation holds.
        what: &'static str,
    },
    /// Bytes whose SHA-256 digest is not the one pinned for them (a Groth16 proving key loaded
    /// with [`crate::snark::ProvingKey::from_bytes_pinned`]): they are another key, or altered.
    #[error("the bytes do not have the pinned digest")]
    DigestMismatch,
}

impl DecodeError {
    /// Wraps a serde_json error without echoing input.
    pub(crate) fn json(e: &serde_json::Error) -> Self {
        DecodeError::Json(format!(
            "{:?} at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))
    }
}

/// Key generation, import and export.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key material is malformed.
    #[error("malformed key: {0}")]
    Decode(#[from] DecodeError),
    /// A JWK has the wrong type or curve.
    #[error("unsupported JWK: {0}")]
    UnsupportedJwk(&'static str),
    /// The public and secret parts of a key do not match.
    #[error("the public key does not match the secret key")]
    Mismatch,
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Rng,
}

/// Building or validating a record.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordError {
    /// The record's encoding is malformed.
    #[error("malformed record: {0}")]
    Decode(#[from] DecodeError),
    /// A field name is empty, too long, or has characters outside `[A-Za-z0-9_.-]`.
    #[error("invalid field name")]
    InvalidFieldName,
    /// The schema id is empty, too long, or has characters outside the printable ASCII.
    #[error("invalid schema id")]
    InvalidSchema,
    /// The same field appears twice.
    #[error("duplicate field")]
    DuplicateField,
    /// A limit on the number of fields or a value's size was exceeded.
    #[error("record limit exceeded: {0}")]
    Limit(&'static str),
    /// A value is out of range or malformed (e.g. a date that does not exist).
    #[error("invalid value: {0}")]
    InvalidValue(&'static str),
    /// A field is absent.
    #[error("no such field")]
    MissingField,
}

/// Sealing a record or stream.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SealError {
    /// No recipients were given.
    #[error("a sealed record needs at least one recipient")]
    NoRecipients,
    /// Too many recipients.
    #[error("too many recipients ({count} > {max})")]
    TooManyRecipients {
        /// How many were given.
        count: usize,
        /// The cap.
        max: usize,
    },
    /// The payload is larger than a sealed record may be (use a stream).
    #[error("payload too large for a sealed record ({len} > {max} bytes); seal it as a stream")]
    PayloadTooLarge {
        /// Payload length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// A recipient's key is unusable (e.g. a low-order X25519 point).
    #[error("recipient key is unusable")]
    BadRecipient,
    /// The caller holds no key that the sealed object was wrapped for.
    #[error("not a recipient of this sealed object")]
    NotARecipient,
    /// Unwrapping the existing content key failed (grant/revoke need a working key).
    #[error("could not open the existing sealed object")]
    Open(#[from] OpenError),
    /// Only the owner of a sealed record (current or retired keys) may grant, revoke or re-seal.
    #[error("only the owner of a sealed record can change its recipients")]
    NotOwner,
    /// The owner cannot be revoked from its own record.
    #[error("the owner cannot be revoked")]
    RevokeOwner,
    /// The key id to revoke is not among the recipients.
    #[error("no such recipient")]
    UnknownRecipient,
    /// The epoch counter is at its maximum.
    #[error("the record's epoch cannot be increased further")]
    EpochExhausted,
    /// The sealed object's recipient list is not authenticated (a version-1 object, which has
    /// no owner signature), so it cannot be re-wrapped from: re-seal it for an explicit
    /// recipient list (`Sealed::reseal`). Issue 11 item 2.
    #[error("the recipient list of this sealed object is not authenticated (version 1, no owner signature); re-seal it for an explicit recipient list")]
    Unauthenticated,
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Rng,
    /// Writing the output failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    // -- issue 11 leftover (rollback), decision 0030 --
    /// The sealed object is an older epoch than the newest one known for its record (from a
    /// ledger's receipts or the owner's own record of what it produced): a store served a
    /// rolled-back copy, e.g. the one from before a revocation. Granting, revoking or
    /// re-sealing from it would re-admit whoever was revoked since, so it is refused.
    #[error("stale copy of sealed record {record_id}: epoch {epoch}, but epoch {newest} is known")]
    StaleEpoch {
        /// The record id.
        record_id: crate::seal::RecordId,
        /// The epoch of the copy given.
        epoch: u32,
        /// The newest epoch known for the record.
        newest: u32,
    },
    /// Looking up the newest known epoch failed (the ledger could not be read).
    #[error("cannot look up the newest epoch of the record: {0}")]
    EpochLookup(LedgerError),
}

/// Opening a sealed record or stream.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The sealed object is malformed (public structure only; nothing was decrypted).
    #[error("malformed sealed object: {0}")]
    Decode(#[from] DecodeError),
    /// None of the caller's keys is among the recipients.
    #[error("not a recipient of this sealed object")]
    NotARecipient,
    /// Decryption failed. Deliberately opaque: wrong key, tampered ciphertext, a key commitment
    /// that does not match, a truncated or reordered stream all look the same.
    #[error("decryption failed")]
    Decrypt,
    /// Reading the input failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    // -- issue 11 leftovers, decision 0030 (`seal::open_any` and its `OpenOptions`) --
    /// The sealed object is an older epoch than the newest one known for its record (see
    /// [`SealError::StaleEpoch`]). Nothing was decrypted.
    #[error("stale copy of sealed record {record_id}: epoch {epoch}, but epoch {newest} is known")]
    StaleEpoch {
        /// The record id.
        record_id: crate::seal::RecordId,
        /// The epoch of the copy given.
        epoch: u32,
        /// The newest epoch known for the record.
        newest: u32,
    },
    /// Looking up the newest known epoch failed (the ledger could not be read).
    #[error("cannot look up the newest epoch of the record: {0}")]
    EpochLookup(LedgerError),
    /// The object is owner-signed, but by another owner than the one expected. Nothing was
    /// decrypted.
    #[error("the sealed object is owned by {found}, not by the expected owner {expected}")]
    WrongOwner {
        /// The owner the caller expected.
        expected: crate::party::KeyId,
        /// The owner that signed the object.
        found: crate::party::KeyId,
    },
    /// An owner was expected, or freshness ([`crate::seal::OpenOptions::known_epochs`]), but
    /// the object carries no owner signature (a version-1 record or stream, whose owner,
    /// record id and epoch are only claims, or a JWE made by another JOSE library, which has
    /// none of them), so it cannot show who made it or which epoch it is. Nothing was
    /// decrypted.
    #[error("the sealed object has no owner signature (format version 1 or a foreign JWE), so its owner and epoch cannot be checked")]
    Unauthenticated,
    /// The stream is a part of a sealed table (it names its table and column group) opened
    /// outside that table, or a stream that does not name the table, part and column group it
    /// was expected to. Only its table opens a part. Nothing was decrypted.
    #[error(
        "the sealed stream is a part of a sealed table and opens only as that part of that table"
    )]
    TablePart,
}

/// Sealing or opening a sealed table (`seal::table`).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TableError {
    /// The sealed table is malformed.
    #[error("malformed sealed table: {0}")]
    Decode(#[from] DecodeError),
    /// Sealing a part failed.
    #[error(transparent)]
    Seal(#[from] SealError),
    /// Opening a part failed.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The columns or column groups are inconsistent (an empty or repeated name, a column in
    /// no part or in two, a part without columns).
    #[error("invalid table layout: {0}")]
    InvalidColumns(&'static str),
    /// A count or length is over its cap.
    #[error("{what} is too long ({len} > {max})")]
    Limit {
        /// What was too long.
        what: &'static str,
        /// Its length or count.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The manifest's owner signature does not verify, or a part does not match the manifest
    /// (its digest, length or owner): columns swapped, dropped, duplicated, renamed, or parts
    /// mixed from two tables.
    #[error("the sealed table was tampered with (its manifest or a part does not verify)")]
    Tampered,
    /// The key given to seal a table is not the owner the plan was made for (the plan's
    /// recipient sets and manifest name that owner). Nothing was written.
    #[error("the table plan was made for owner {expected}, not for {found}")]
    WrongOwner {
        /// The owner the plan was made for.
        expected: crate::party::KeyId,
        /// The owner whose key was given.
        found: crate::party::KeyId,
    },
}

impl TableError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            TableError::Decode(e) => e.code(),
            TableError::Seal(e) => e.code(),
            TableError::Open(e) => e.code(),
            TableError::InvalidColumns(..) => "table.invalid_columns",
            TableError::Limit { .. } => "table.limit",
            TableError::Tampered => "table.tampered",
            TableError::WrongOwner { .. } => "table.wrong_owner",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            TableError::Decode(e) => e.kind(),
            TableError::Seal(e) => e.kind(),
            TableError::Open(e) => e.kind(),
            TableError::InvalidColumns(..) => ErrorKind::Malformed,
            TableError::Limit { .. } => ErrorKind::Malformed,
            TableError::Tampered => ErrorKind::Denied,
            TableError::WrongOwner { .. } => ErrorKind::Denied,
        }
    }
}

/// Issuing an attestation or building a holder's attested record.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttestError {
    /// The attested record (or a part of it) is malformed.
    #[error("malformed attested record: {0}")]
    Decode(#[from] DecodeError),
    /// The record cannot be attested (too many fields, bad value).
    #[error("record cannot be attested: {0}")]
    Record(#[from] RecordError),
    /// The validity window is empty (`not_after < not_before`).
    #[error("invalid validity window")]
    InvalidWindow,
    /// The openings do not match the attestation's commitments.
    #[error("the openings do not match the attestation")]
    OpeningMismatch,
    /// Hashing into the BN254 field failed.
    #[error("commitment hashing failed")]
    Hash,
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Rng,
    // -- issue 11 item 8 (record ids) --
    /// A record name for [`crate::attest::RecordId::named`] is empty or longer than 256 bytes.
    #[error("invalid record id (a name of 1 to 256 bytes)")]
    InvalidRecordId,
    /// The system clock reads before 1970 ([`crate::attest::unix_now`]): no time is used
    /// rather than a silent 0.
    #[error("the system clock is before 1970")]
    Clock,
    /// Rows that cannot be attested together ([`crate::attest::issue_rows`]): none, more than
    /// [`crate::attest::MAX_ROWS`], or records of different schemas.
    #[error("rows cannot be attested together: {0}")]
    Rows(&'static str),
}

/// Building a proof or a presentation.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProveError {
    /// The statement is malformed or does not apply to the field (wrong type, inexact bound,
    /// empty range, unknown field, ...).
    #[error("invalid statement: {0}")]
    InvalidStatement(&'static str),
    /// The holder's value does not satisfy the statement: no proof exists.
    #[error("the statement is false for the attested value")]
    Unsatisfied,
    /// A requested disclosure names a field the record lacks.
    #[error("no such field to disclose")]
    MissingField,
    /// The holder's key is not the attestation's subject.
    #[error("the holder is not the subject of the attestation")]
    NotSubject,
    /// Too many attestations, statements or disclosures.
    #[error("presentation limit exceeded: {0}")]
    Limit(&'static str),
    /// A value or a sum does not fit the 64-bit signed width of the proofs.
    #[error("value outside the supported 64-bit width")]
    OutOfWidth,
    /// The range-proof back-end failed.
    #[error("range proof failed: {0}")]
    Range(&'static str),
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Rng,
    /// The chosen proof back-end cannot prove this kind of statement (membership is Groth16
    /// only; a Groth16 sum proves only `sum ≥ t` / `sum > t`).
    #[error("the {backend} back-end cannot prove {what}")]
    Unsupported {
        /// The back-end asked for.
        backend: crate::proof::Backend,
        /// What it cannot prove.
        what: &'static str,
    },
    /// No Groth16 proving key for the statement's circuit shape (`attribute`, `sum:K`,
    /// `membership:D[:nullifier]`) in the key ring: run `causeway setup` for it.
    #[error("no Groth16 proving key for {0}")]
    NoKey(String),
    /// The Groth16 prover failed for another reason than a false statement.
    #[error("Groth16 proving failed: {0}")]
    Snark(SnarkError),
    // -- issue 11 items 1 and 8 (repeated records in sums) --
    /// A statement over several attestations would count one record more than once: two of
    /// its terms are the same attestation index, attestation, record root, commitment or
    /// signed record id (see the `statement` module). The same check, and this error, in both
    /// back-ends and on both sides.
    #[error("a statement counts one record twice (repeated {0})")]
    CountedTwice(&'static str),
    // -- issue 10 (membership in core) --
    /// The member's leaf `Poseidon(secret)` is not in the member list: this secret is not a
    /// member (a listed leaf given as the secret is not one either).
    #[error("not a member: the member list does not hold the leaf of this secret (64 hex digits, a field element)")]
    NotAMember,
}

/// A statement that does not apply to a field or a back-end: what `statement::Bound::to_units`,
/// `statement::Predicate::resolve` and `snark::statements::statement_circuit` return. Proving and
/// verifying report the same failures as [`ProveError::InvalidStatement`] /
/// [`ProveError::Unsupported`] and their [`VerifyError`] twins, with the same message.
#[derive(Debug, Error, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatementError {
    /// A bound that is not an integer, for an integer field.
    #[error("bound is not an integer (inexact at the field's scale)")]
    NotAnInteger,
    /// A decimal bound that does not rescale exactly to the field's scale.
    #[error("bound does not rescale exactly to the field's scale")]
    InexactBound,
    /// A date bound for a numeric field.
    #[error("date bound for a numeric field")]
    DateForNumber,
    /// A numeric bound for a date field.
    #[error("numeric bound for a date field")]
    NumberForDate,
    /// A range whose lower bound is above its upper bound.
    #[error("empty range (lower bound above upper bound)")]
    EmptyRange,
    /// A strict bound (`>` / `<`) whose neighbour does not fit 64 signed bits.
    #[error("bound outside the 64-bit width")]
    OutOfWidth,
    /// A Groth16 sum over more attestations than a sum circuit takes.
    #[error("a sum over more than 64 attestations")]
    TooManyTerms,
    /// A Groth16 sum with another predicate than `sum >= t` / `sum > t`.
    #[error("a sum other than `sum >= t` or `sum > t`")]
    UnsupportedSum,
    /// A column statement (`all(field) …`) under Groth16: proven with Bulletproofs only.
    #[error("a column statement (all) is proven with Bulletproofs only")]
    ColumnGroth16,
}

impl StatementError {
    /// The message, as a static string (what [`ProveError::InvalidStatement`] and
    /// [`ProveError::Unsupported`] carry).
    pub fn what(&self) -> &'static str {
        match self {
            StatementError::NotAnInteger => {
                "bound is not an integer (inexact at the field's scale)"
            }
            StatementError::InexactBound => "bound does not rescale exactly to the field's scale",
            StatementError::DateForNumber => "date bound for a numeric field",
            StatementError::NumberForDate => "numeric bound for a date field",
            StatementError::EmptyRange => "empty range (lower bound above upper bound)",
            StatementError::OutOfWidth => "bound outside the 64-bit width",
            StatementError::TooManyTerms => "a sum over more than 64 attestations",
            StatementError::UnsupportedSum => "a sum other than `sum >= t` or `sum > t`",
            StatementError::ColumnGroth16 => {
                "a column statement (all) is proven with Bulletproofs only"
            }
        }
    }

    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            StatementError::NotAnInteger => "statement.not_an_integer",
            StatementError::InexactBound => "statement.inexact_bound",
            StatementError::DateForNumber | StatementError::NumberForDate => "statement.bound_type",
            StatementError::EmptyRange => "statement.empty_range",
            StatementError::OutOfWidth => "statement.out_of_width",
            StatementError::TooManyTerms
            | StatementError::UnsupportedSum
            | StatementError::ColumnGroth16 => "statement.unsupported",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            StatementError::TooManyTerms
            | StatementError::UnsupportedSum
            | StatementError::ColumnGroth16 => ErrorKind::Unsupported,
            _ => ErrorKind::Malformed,
        }
    }
}

/// Verifying an attestation, a proof or a presentation.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The object is malformed.
    #[error("malformed input: {0}")]
    Decode(#[from] DecodeError),
    /// The attestation's issuer is not among the caller's trusted issuers.
    #[error("the issuer is not trusted")]
    UntrustedIssuer,
    /// A signature (issuer's, holder's or revocation list's) does not verify.
    #[error("bad signature")]
    BadSignature,
    /// `now` is before the attestation's `not_before`.
    #[error("the attestation is not yet valid")]
    NotYetValid,
    /// `now` is after the attestation's `not_after`.
    #[error("the attestation has expired")]
    Expired,
    /// The issuer revoked the attestation.
    #[error("the attestation has been revoked")]
    Revoked,
    /// The revocation status could not be established.
    #[error("revocation status unavailable")]
    RevocationUnavailable,
    /// The presenter is not the attestations' subject, or the attestations name different
    /// subjects.
    #[error("the presenter is not the subject of the attestation")]
    WrongSubject,
    /// A statement is malformed or does not apply to the attested field.
    #[error("invalid statement: {0}")]
    InvalidStatement(&'static str),
    /// A disclosed value does not open the attested commitments.
    #[error("a disclosed field does not match the attestation")]
    Disclosure,
    /// A proof does not verify. Deliberately opaque: another statement, another challenge,
    /// another attestation, a tampered commitment or proof all look the same.
    #[error("proof verification failed")]
    Proof,
    /// No Groth16 verifying key for the statement's circuit shape in the verifier's key ring.
    #[error("no Groth16 verifying key for {0}")]
    NoKey(String),
    /// A Groth16 proof names another verifying key than the verifier's key for its shape
    /// (proven with another setup).
    #[error("the proof for {shape} was made with key {found}, not the verifier's key {expected}")]
    WrongKey {
        /// The statement's circuit shape.
        shape: String,
        /// The verifier's key id.
        expected: String,
        /// The key id the proof names.
        found: String,
    },
    /// The back-end cannot express this statement (see [`ProveError::Unsupported`]).
    #[error("the {backend} back-end cannot prove {what}")]
    Unsupported {
        /// The presentation's back-end.
        backend: crate::proof::Backend,
        /// What it cannot prove.
        what: &'static str,
    },
    // -- issue 11 items 1 and 8 (repeated records in sums) --
    /// A statement over several attestations counts one record more than once (see
    /// [`ProveError::CountedTwice`]).
    #[error("a statement counts one record twice (repeated {0})")]
    CountedTwice(&'static str),
    // -- issue 11 item 16 (verifier policy) --
    /// The presentation verified but does not establish a requirement of the verifier's
    /// `presentation::Policy` (named here, in the requirement syntax).
    #[error("the presentation does not establish the required `{0}`")]
    Unmet(String),
    // Revocation-list policy (issue 11 item 9).
    /// The issuer's newest revocation list is older than the verifier's `max_age`.
    #[error(
        "the issuer's revocation list is too old (signed at {issued_at}, older than {max_age} s)"
    )]
    RevocationListTooOld {
        /// When the newest list of the issuer was signed (unix seconds).
        issued_at: u64,
        /// The verifier's limit, in seconds.
        max_age: u64,
    },
    /// The verifier requires a fresh revocation list, and the issuer's only lists are dated
    /// after the verifier's clock (plus the allowed skew).
    #[error("the issuer's revocation list is dated in the future (signed at {issued_at}); check the clocks")]
    RevocationListInFuture {
        /// The earliest such date (unix seconds).
        issued_at: u64,
    },
    /// The verifier requires a revocation list from every issuer, and this issuer has none.
    #[error("no revocation list from the attestation's issuer")]
    NoRevocationList,
}

/// Verifying ledger evidence: Merkle proofs, checkpoints, receipts and revocation proofs.
///
/// Every proof failure, whatever its cause (wrong size, wrong index, a flipped bit, a missing or
/// extra hash), is the single opaque [`LogVerifyError::InvalidProof`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogVerifyError {
    /// An inclusion or consistency proof does not verify.
    #[error("the Merkle proof does not verify")]
    InvalidProof,
    /// A checkpoint or signed note that is not well formed.
    #[error("malformed checkpoint ({0})")]
    MalformedCheckpoint(&'static str),
    /// No signature on the checkpoint verifies under the expected log key.
    #[error("the checkpoint is not signed by the expected log key")]
    BadSignature,
    /// The checkpoint or receipt names another log.
    #[error("the checkpoint or receipt belongs to another log (origin mismatch)")]
    WrongOrigin,
    /// The offered checkpoint is smaller than the one already trusted.
    #[error("rollback: offered tree size {offered} is smaller than the trusted size {trusted}")]
    Rollback {
        /// Size of the trusted checkpoint.
        trusted: u64,
        /// Size of the offered checkpoint.
        offered: u64,
    },
    /// Two checkpoints of the same size with different roots: the log has forked.
    #[error("fork: two different roots for tree size {size}")]
    Fork {
        /// The tree size.
        size: u64,
    },
    /// The consistency proof between the trusted and the offered checkpoint does not verify
    /// (a fork, or a forged or damaged proof).
    #[error("the offered checkpoint is not consistent with the trusted one")]
    Inconsistent,
    /// A receipt that is malformed, wrongly signed, or signed by someone other than the party
    /// it names.
    #[error("invalid receipt ({0})")]
    InvalidReceipt(&'static str),
    /// A revocation proof that is incomplete or does not match its checkpoint.
    #[error("invalid revocation proof ({0})")]
    InvalidRevocationProof(&'static str),
    // Revocation-state equivocation (issue 11 item 4).
    /// Two checkpoints signed by the log key for the same tree size and root whose signed text
    /// differs (e.g. another revocation line): the log operator equivocated.
    #[error("equivocation: two different signed checkpoints for tree size {size}")]
    Equivocation {
        /// The tree size.
        size: u64,
    },
    /// A newer checkpoint's revocation state does not extend the one already trusted (a
    /// revocation was dropped or rewritten).
    #[error("the offered revocation state does not extend the trusted one")]
    RevocationsRewritten,
    /// A consistency proof whose older tree is not authenticated by the log's signed
    /// checkpoint of that size: its old root is only the prover's word (decision 0063).
    #[error("the old root of size {size} is not authenticated by a signed checkpoint")]
    UnauthenticatedOldRoot {
        /// The older tree size.
        size: u64,
    },
}

/// Operating a ledger: building receipts, appending, proving, checkpointing, auditing.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LedgerError {
    /// Malformed bytes.
    #[error("malformed ledger data: {0}")]
    Decode(#[from] DecodeError),
    /// Evidence that does not verify.
    #[error(transparent)]
    Verify(#[from] LogVerifyError),
    /// A receipt value is out of range (e.g. too many recipients, an origin that is too long).
    #[error("invalid receipt value: {0}")]
    InvalidValue(&'static str),
    /// The signing key is not the party the receipt names (owner or issuer).
    #[error("the signing key is not the party named in the receipt")]
    WrongSigner,
    /// A receipt made for another log.
    #[error("the receipt names another log origin")]
    WrongOrigin,
    /// An index or tree size beyond the log.
    #[error("index {index} is out of range for tree size {size}")]
    OutOfRange {
        /// The index or size asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The ledger refused the write because an earlier write or sync failed. It never retries
    /// and never acknowledges after such a failure: reopen it to recover the durable prefix.
    #[error("the ledger has failed closed after a write error; reopen it")]
    FailedClosed,
    /// The storage engine reported an error (the write, if any, was not acknowledged).
    #[error("storage error: {0}")]
    Storage(String),
    /// The stored log is damaged or inconsistent.
    #[error("ledger storage is corrupt ({0})")]
    Corrupt(&'static str),
    /// A ledger already exists where a new one was to be created, or none exists to open.
    #[error("{0}")]
    Location(&'static str),
    /// The group committer has stopped.
    #[error("the group committer has stopped")]
    CommitterStopped,
    /// The ledger is open elsewhere: one process (one `LocalLedger`) holds a ledger while it
    /// is open.
    #[error("the ledger is in use by another process or handle")]
    InUse,
    /// A batch or input over its cap.
    #[error("{what} is too large ({len} > {max})")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size.
        len: u64,
        /// The cap.
        max: u64,
    },
    /// No signed checkpoint of the requested size is stored (sign one first).
    #[error("no stored checkpoint of the requested size")]
    NoCheckpoint,
}

/// Loading or saving a directory of Groth16 keys (`snark::KeyRing`).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyRingError {
    /// A file could not be read or written.
    #[error("cannot access {path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The key directory's manifest (`keys.json`) is malformed.
    #[error("malformed key manifest: {0}")]
    Manifest(&'static str),
    /// The directory has no key for this circuit shape.
    #[error("no Groth16 key for {0}")]
    Missing(String),
    /// A key file does not hash to the id it is filed under, or is for another shape.
    #[error("key file {file} does not match its key id {id}")]
    Mismatch {
        /// The file.
        file: String,
        /// The id it is filed under.
        id: String,
    },
    /// A key file is malformed.
    #[error("malformed key file: {0}")]
    Decode(#[from] DecodeError),
    // -- issue 10 (key rings from bytes) --
    /// Key bytes given for a circuit hash to another key id than the one expected for it.
    #[error("the key for {circuit} is {found}, not the expected {expected}")]
    WrongKeyId {
        /// The circuit.
        circuit: String,
        /// The key id expected.
        expected: String,
        /// The key id of the bytes.
        found: String,
    },
    /// A proving key's bytes (or key file) do not have the digest pinned for them (the whole
    /// key, [`crate::snark::ProvingKeyDigest`]): its query vectors differ from the pinned key's.
    #[error("the proving key for {circuit} has digest {found}, not the pinned {expected}")]
    WrongDigest {
        /// The circuit.
        circuit: String,
        /// The digest pinned.
        expected: String,
        /// The digest of the bytes.
        found: String,
    },
}

/// Groth16 setup, proving and key handling (the `snark` module).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SnarkError {
    /// A key or proof is malformed.
    #[error("malformed Groth16 object: {0}")]
    Decode(#[from] DecodeError),
    /// The circuit needs a witness value that was not given.
    #[error("the circuit is missing a witness value")]
    MissingWitness,
    /// The witness does not satisfy the circuit: the statement is false, no proof exists.
    #[error("the witness does not satisfy the circuit")]
    Unsatisfied,
    /// The circuit could not be synthesised (too large, or an internal arithmetic error).
    #[error("the circuit could not be synthesised")]
    Synthesis,
    /// The proving key was made for a circuit of another shape.
    #[error("the proving key does not match the circuit")]
    KeyMismatch,
    /// The circuit has more public inputs than a key may.
    #[error("too many public inputs ({count} > {max})")]
    TooManyInputs {
        /// How many the circuit has.
        count: usize,
        /// The cap.
        max: usize,
    },
    /// The proof made does not verify under the proving key's own verifying key: the proving
    /// key's query vectors are corrupt or tampered with. No proof is released.
    #[error("the proof does not verify under the proving key's own verifying key (corrupt or tampered proving key)")]
    ProofSelfCheck,
    /// A multi-scalar multiplication was given different numbers of points and scalars.
    #[error("multi-scalar multiplication of {bases} points by {scalars} scalars")]
    MsmLengthMismatch {
        /// How many points.
        bases: usize,
        /// How many scalars.
        scalars: usize,
    },
    /// A multi-scalar multiplication has more points than allowed.
    #[error("multi-scalar multiplication too large ({len} > {max} points)")]
    MsmTooLarge {
        /// How many points.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// A base given as a G2 subgroup point (`snark::msm::CheckedG2Bases`) is off the curve or
    /// outside the order-`r` subgroup.
    #[error("multi-scalar multiplication base {index} is not a G2 point of order r")]
    MsmBaseNotInSubgroup {
        /// The base's index.
        index: usize,
    },
}

/// Verifying a Groth16 proof (`snark::verify`).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SnarkVerifyError {
    /// The proof, key or inputs are malformed.
    #[error("malformed Groth16 input: {0}")]
    Decode(#[from] DecodeError),
    /// The proof was made for another verifying key (its key id differs).
    #[error("the proof is for another verifying key")]
    WrongKey,
    /// The number of public inputs is not the key's.
    #[error("wrong number of public inputs ({found}, the key takes {expected})")]
    InputCount {
        /// How many the key takes.
        expected: usize,
        /// How many were given.
        found: usize,
    },
    /// A public input is not below the field modulus `r` (it is refused, never reduced).
    #[error("public input {index} is not below the field modulus")]
    InputNotInField {
        /// Its position.
        index: usize,
    },
    /// The proof does not verify. Deliberately opaque.
    #[error("the proof does not verify")]
    Invalid,
    /// A batch holds more proofs than [`crate::snark::MAX_BATCH_PROOFS`] (split it).
    #[error("a batch of {len} proofs is over the limit of {max}")]
    BatchTooLarge {
        /// The batch's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// At least one proof of a batch does not verify: the whole batch is refused, and each
    /// failing proof is named by its index in the batch, with why it failed.
    #[error("{} of {total} proofs in the batch do not verify (indices {})", failures.len(), crate::snark::batch::list_indices(failures))]
    BatchRejected {
        /// The batch's length.
        total: usize,
        /// Each failing proof, by index, in increasing order.
        failures: Vec<crate::snark::BatchFailure>,
    },
}

/// Product traceability (`core::trace`): recording trace events and verifying provenance
/// bundles.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TraceError {
    /// Malformed bytes.
    #[error("malformed trace data: {0}")]
    Decode(#[from] DecodeError),
    /// Ledger evidence (checkpoint, inclusion proof, receipt signature, origin) does not verify.
    #[error(transparent)]
    LogVerify(#[from] LogVerifyError),
    /// The ledger could not build, store or read a receipt.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The bundle's anchor receipt does not verify.
    #[error(transparent)]
    Anchor(#[from] AnchorError),
    /// A product id, step name, field or value that is empty, too long or has characters
    /// outside its alphabet.
    #[error("invalid trace value: {0}")]
    InvalidValue(&'static str),
    /// A trust policy that is malformed (unknown party, repeated name or step, over a cap).
    #[error("invalid trust policy: {0}")]
    Policy(&'static str),
    /// The product has no trace events (in the ledger, or in the bundle).
    #[error("no trace events for this product")]
    Empty,
    /// An event of the bundle is not a trace event of the bundle's product (another product's
    /// event spliced in, or another kind of receipt).
    #[error("event {position} is not about this product")]
    WrongProduct {
        /// The event's position in the bundle (0-based).
        position: usize,
    },
    /// The same ledger entry appears twice.
    #[error("event {position} repeats an earlier event")]
    Duplicate {
        /// The repeated event's position in the bundle (0-based).
        position: usize,
    },
    /// Two events claim the same predecessor: the product's history has forked.
    #[error("events {first} and {second} claim the same predecessor (a fork)")]
    Fork {
        /// The earlier event's position.
        first: usize,
        /// The later event's position.
        second: usize,
    },
    /// An event does not commit to the event before it (or, first, to the product's genesis
    /// value): an event was dropped, re-ordered or inserted.
    #[error(
        "event {position} does not follow the event before it (dropped, re-ordered or inserted)"
    )]
    ChainBroken {
        /// The event's position in the bundle (0-based).
        position: usize,
    },
    /// An event is signed by a key that the verifier's trust policy does not trust for its step.
    #[error("event {position} ({step}) is signed by a key not trusted for that step")]
    UntrustedSigner {
        /// The event's position in the bundle (0-based).
        position: usize,
        /// Its step name.
        step: String,
    },
}

/// Anchoring checkpoints on a chain and verifying anchor receipts (`core::anchor`).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnchorError {
    /// Malformed bytes.
    #[error("malformed anchor data: {0}")]
    Decode(#[from] DecodeError),
    /// Ledger evidence inside the receipt (proof, checkpoint, signature) does not verify.
    #[error(transparent)]
    LogVerify(#[from] LogVerifyError),
    /// The ledger could not produce or parse a receipt.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The anchor receipt does not verify.
    #[error("the anchor receipt does not verify ({0})")]
    Invalid(&'static str),
    /// The anchor is bound to another chain id or contract than the one checked against.
    #[error("the anchor is bound to another chain or contract")]
    WrongChain,
    /// The anchor is not in the node's canonical chain (never mined, reorganised or reverted).
    #[error("the anchor is not on the chain")]
    NotOnChain,
    /// The anchor is on the chain but not final under the policy yet.
    #[error("the anchor is not final yet ({confirmations} confirmations)")]
    NotFinal {
        /// Confirmations so far.
        confirmations: u64,
    },
    /// The contract rejected the transaction.
    #[error("rejected by the contract: {0}")]
    Rejected(Rejection),
    /// The node could not be reached or answered with an error.
    #[error("node error: {0}")]
    Node(String),
    /// A transaction was not mined within the wait limit.
    #[error("the transaction was not mined in time")]
    Timeout,
    /// A transaction needs a signing key and none was given.
    #[error("no signing key for transactions")]
    NoSigner,
    /// An account key that is not a valid secp256k1 secret key.
    #[error("invalid account key")]
    BadKey,
    /// No final anchor covers the ledger entry yet (anchor a checkpoint that includes it).
    #[error("no final anchor covers entry {index} yet")]
    NotCovered {
        /// The entry's index.
        index: u64,
    },
    /// The registry's owner reset the origin's head (a `HeadReset` event) after the anchor
    /// the receipt relies on, so that anchor no longer counts online; a receipt against an
    /// anchor made after the reset is needed.
    #[error(
        "the registry's owner reset this log's anchored head at block {block}, after the anchor"
    )]
    HeadReset {
        /// The block of the (first) reset after the anchor.
        block: u64,
    },
    /// The signed checkpoint is not anchored on the chain: the registry holds no final anchor
    /// of exactly this note (its size and anchored value, revocation line included) for its
    /// origin. An equivocating second note of an anchored size, or a note of a size never
    /// anchored, is refused so; make proofs against an anchored checkpoint.
    #[error("the checkpoint of size {size} is not anchored on chain (no final anchor of exactly this signed note)")]
    NotAnchored {
        /// The checkpoint's tree size.
        size: u64,
    },
}

/// Notarising evidence and verifying evidence certificates (`core::evidence`, issue 15 §1).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum EvidenceError {
    /// Malformed bytes (a certificate, or a receipt inside it).
    #[error("malformed evidence data: {0}")]
    Decode(#[from] DecodeError),
    /// The ledger could not build, parse or prove a receipt, or its proof does not verify.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The anchor evidence does not verify (another chain or contract, not final, reset …).
    #[error(transparent)]
    Anchor(#[from] AnchorError),
    /// Sealing the content for its recipients failed.
    #[error(transparent)]
    Seal(#[from] SealError),
    /// A media type or label that is not allowed (the rule is in the message; no input echoed).
    #[error("invalid evidence value: {0}")]
    InvalidValue(&'static str),
    /// The content given is not the content the certificate records: another SHA-256 digest
    /// or another length.
    #[error("the content does not match the certificate (another digest or length)")]
    ContentMismatch,
    /// The certificate's receipt is a signed receipt of another kind than evidence.
    #[error("the certificate holds a {kind} receipt, not an evidence receipt")]
    NotEvidence {
        /// The receipt's kind name.
        kind: &'static str,
    },
    /// The certificate carries no anchor receipt, but an on-chain check was asked for.
    #[error(
        "the certificate carries no anchor receipt (it was exported before the log was anchored)"
    )]
    NotAnchored,
    /// Reading the content failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Any Causeway error.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`DecodeError`].
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// See [`KeyError`].
    #[error(transparent)]
    Key(#[from] KeyError),
    /// See [`RecordError`].
    #[error(transparent)]
    Record(#[from] RecordError),
    /// See [`SealError`].
    #[error(transparent)]
    Seal(#[from] SealError),
    /// See [`OpenError`].
    #[error(transparent)]
    Open(#[from] OpenError),
    /// See [`AttestError`].
    #[error(transparent)]
    Attest(#[from] AttestError),
    /// See [`ProveError`].
    #[error(transparent)]
    Prove(#[from] ProveError),
    /// See [`StatementError`].
    #[error(transparent)]
    Statement(#[from] StatementError),
    /// See [`VerifyError`].
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// See [`LedgerError`].
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// See [`LogVerifyError`].
    #[error(transparent)]
    LogVerify(#[from] LogVerifyError),
    /// See [`SnarkError`].
    #[error(transparent)]
    Snark(#[from] SnarkError),
    /// See [`KeyRingError`].
    #[error(transparent)]
    KeyRing(#[from] KeyRingError),
    /// See [`SnarkVerifyError`].
    #[error(transparent)]
    SnarkVerify(#[from] SnarkVerifyError),
    /// See [`AnchorError`].
    #[error(transparent)]
    Anchor(#[from] AnchorError),
    /// See [`TableError`].
    #[error(transparent)]
    Table(#[from] TableError),
    /// See [`EvidenceError`].
    #[error(transparent)]
    Evidence(#[from] EvidenceError),
    /// See [`TraceError`].
    #[error(transparent)]
    Trace(#[from] TraceError),
}

/// The kind of a failure: what a caller (or a front end choosing an exit code or an exception
/// class) does about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is malformed, over a limit, or inconsistent: fix the input.
    Malformed,
    /// The input is well formed but does not open, verify or hold (wrong key, bad proof,
    /// revoked, untrusted, statement false): deliberately without more detail.
    Denied,
    /// A format version, key shape or feature this build does not support or has no key for.
    Unsupported,
    /// The file system, the database or the network failed.
    Io,
    /// A failure inside Causeway or the platform (randomness, synthesis): report it.
    Internal,
}

impl ErrorKind {
    /// The kind's stable name (`"malformed"`, `"denied"`, `"unsupported"`, `"io"`, `"internal"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Malformed => "malformed",
            ErrorKind::Denied => "denied",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Io => "io",
            ErrorKind::Internal => "internal",
        }
    }
}

impl core::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the anchor registry contract rejected an anchor (re-exported as `anchor::Rejection`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The sender is not on the origin's allow-list.
    NotSubmitter,
    /// Only the registry's owner or the origin's admin may change the origin's allow-list.
    NotOriginAdmin,
    /// Only the registry's owner may do this.
    NotOwner,
    /// The offered size is smaller than the anchored one.
    Rollback {
        /// The size already anchored.
        anchored: u64,
        /// The size offered.
        offered: u64,
    },
    /// This exact checkpoint is already the latest anchor.
    Duplicate,
    /// Same size as the latest anchor, different root.
    Fork,
    /// The previous checkpoint the client named is not the latest anchor (a race).
    StaleHead,
    /// Size zero.
    EmptyCheckpoint,
    /// A head reset to a half-zero value or to the current head.
    BadReset,
    /// A head reset to a checkpoint that was never anchored for the origin.
    NeverAnchored,
    /// The trade-finance contract's named refusal (`contracts/src/TradeFinance.sol`).
    Deal(DealRevert),
    /// Another revert.
    Other,
}

/// The named errors of the trade-finance contract (`docs/spec/trade-finance.md`), decoded from
/// its revert data (re-exported as `anchor::trade::DealRevert`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DealRevert {
    /// The deployment's registry, verifier, Poseidon contract or record count is unusable.
    BadSetup,
    /// A deal opened without escrow.
    NoEscrow,
    /// A zero address, a threshold of zero or above `i64::MAX`, or a field name `>= r`.
    BadTerms,
    /// A deal opened with a deadline that is not in the future.
    DeadlineInPast,
    /// No deal has this id.
    UnknownDeal,
    /// The deal was paid already.
    AlreadyPaid,
    /// The deal was refunded already.
    AlreadyRefunded,
    /// A claim after the deal's deadline.
    DeadlinePassed,
    /// A refund before the deal's deadline.
    DeadlineNotReached,
    /// Another number of record roots than the deployment's.
    WrongRootCount,
    /// A record root `>= r`.
    RootNotInField,
    /// One record root given twice.
    RepeatedRoot,
    /// A record root the deal's issuer never registered.
    RootNotRegistered,
    /// A record root the deal's issuer revoked.
    RootRevoked,
    /// The Groth16 verifier refused the proof for this deal's statement.
    ProofRejected,
    /// The ether transfer to the exporter or funder failed (nothing changed).
    TransferFailed,
}

impl DealRevert {
    /// The contract's error name.
    pub fn name(&self) -> &'static str {
        match self {
            DealRevert::BadSetup => "BadSetup",
            DealRevert::NoEscrow => "NoEscrow",
            DealRevert::BadTerms => "BadTerms",
            DealRevert::DeadlineInPast => "DeadlineInPast",
            DealRevert::UnknownDeal => "UnknownDeal",
            DealRevert::AlreadyPaid => "AlreadyPaid",
            DealRevert::AlreadyRefunded => "AlreadyRefunded",
            DealRevert::DeadlinePassed => "DeadlinePassed",
            DealRevert::DeadlineNotReached => "DeadlineNotReached",
            DealRevert::WrongRootCount => "WrongRootCount",
            DealRevert::RootNotInField => "RootNotInField",
            DealRevert::RepeatedRoot => "RepeatedRoot",
            DealRevert::RootNotRegistered => "RootNotRegistered",
            DealRevert::RootRevoked => "RootRevoked",
            DealRevert::ProofRejected => "ProofRejected",
            DealRevert::TransferFailed => "TransferFailed",
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::NotSubmitter => {
                f.write_str("the sender is not an allowed submitter for this origin")
            }
            Rejection::NotOriginAdmin => {
                f.write_str("the sender is neither the registry owner nor the origin's admin")
            }
            Rejection::NotOwner => f.write_str("the sender is not the registry owner"),
            Rejection::Rollback { anchored, offered } => write!(
                f,
                "rollback: size {offered} is smaller than the anchored size {anchored}"
            ),
            Rejection::Duplicate => f.write_str("duplicate: this checkpoint is already anchored"),
            Rejection::Fork => f.write_str("fork: another root is anchored for this size"),
            Rejection::StaleHead => f.write_str("stale head: the latest anchor moved"),
            Rejection::EmptyCheckpoint => f.write_str("an empty checkpoint cannot be anchored"),
            Rejection::BadReset => f.write_str("bad reset: a half-empty or unchanged head"),
            Rejection::NeverAnchored => {
                f.write_str("the head to reset to was never anchored for this origin")
            }
            Rejection::Deal(d) => write!(f, "the financing contract refused: {}", d.name()),
            Rejection::Other => f.write_str("the transaction reverted"),
        }
    }
}

/// Every code an error can have, with its kind, sorted by code. Codes shared by several enums
/// (`"io"`, `"rng"`, `"not_a_recipient"`) have one kind everywhere.
pub const CODES: &[(&str, ErrorKind)] = &[
    ("anchor.bad_key", ErrorKind::Malformed),
    ("anchor.head_reset", ErrorKind::Denied),
    ("anchor.invalid", ErrorKind::Denied),
    ("anchor.no_signer", ErrorKind::Malformed),
    ("anchor.node", ErrorKind::Io),
    ("anchor.not_anchored", ErrorKind::Denied),
    ("anchor.not_covered", ErrorKind::Malformed),
    ("anchor.not_final", ErrorKind::Denied),
    ("anchor.not_on_chain", ErrorKind::Denied),
    ("anchor.rejected", ErrorKind::Denied),
    ("anchor.timeout", ErrorKind::Io),
    ("anchor.wrong_chain", ErrorKind::Denied),
    ("attest.clock", ErrorKind::Internal),
    ("attest.hash", ErrorKind::Malformed),
    ("attest.invalid_record_id", ErrorKind::Malformed),
    ("attest.invalid_window", ErrorKind::Malformed),
    ("attest.opening_mismatch", ErrorKind::Denied),
    ("attest.rows", ErrorKind::Malformed),
    ("decode.bad_magic", ErrorKind::Malformed),
    ("decode.digest_mismatch", ErrorKind::Denied),
    ("decode.invalid", ErrorKind::Malformed),
    ("decode.invalid_base64", ErrorKind::Malformed),
    ("decode.invalid_text", ErrorKind::Malformed),
    ("decode.invalid_utf8", ErrorKind::Malformed),
    ("decode.json", ErrorKind::Malformed),
    ("decode.too_long", ErrorKind::Malformed),
    ("decode.trailing_data", ErrorKind::Malformed),
    ("decode.truncated", ErrorKind::Malformed),
    ("decode.unexpected_tag", ErrorKind::Malformed),
    ("decode.unsupported_version", ErrorKind::Unsupported),
    ("decode.weak_verifying_key", ErrorKind::Malformed),
    ("decrypt", ErrorKind::Denied),
    ("evidence.content_mismatch", ErrorKind::Denied),
    ("evidence.invalid_value", ErrorKind::Malformed),
    ("evidence.not_anchored", ErrorKind::Malformed),
    ("evidence.not_evidence", ErrorKind::Denied),
    ("io", ErrorKind::Io),
    ("key.mismatch", ErrorKind::Malformed),
    ("key.unsupported_jwk", ErrorKind::Unsupported),
    ("keyring.manifest", ErrorKind::Malformed),
    ("keyring.mismatch", ErrorKind::Denied),
    ("keyring.missing", ErrorKind::Unsupported),
    ("keyring.wrong_digest", ErrorKind::Denied),
    ("keyring.wrong_key_id", ErrorKind::Denied),
    ("ledger.committer_stopped", ErrorKind::Internal),
    ("ledger.corrupt", ErrorKind::Denied),
    ("ledger.failed_closed", ErrorKind::Io),
    ("ledger.in_use", ErrorKind::Io),
    ("ledger.invalid_value", ErrorKind::Malformed),
    ("ledger.location", ErrorKind::Io),
    ("ledger.no_checkpoint", ErrorKind::Malformed),
    ("ledger.out_of_range", ErrorKind::Malformed),
    ("ledger.storage", ErrorKind::Io),
    ("ledger.too_large", ErrorKind::Malformed),
    ("ledger.wrong_origin", ErrorKind::Malformed),
    ("ledger.wrong_signer", ErrorKind::Malformed),
    ("log.bad_signature", ErrorKind::Denied),
    ("log.equivocation", ErrorKind::Denied),
    ("log.fork", ErrorKind::Denied),
    ("log.inconsistent", ErrorKind::Denied),
    ("log.invalid_proof", ErrorKind::Denied),
    ("log.invalid_receipt", ErrorKind::Denied),
    ("log.invalid_revocation_proof", ErrorKind::Denied),
    ("log.malformed_checkpoint", ErrorKind::Malformed),
    ("log.revocations_rewritten", ErrorKind::Denied),
    ("log.rollback", ErrorKind::Denied),
    ("log.wrong_origin", ErrorKind::Denied),
    ("not_a_recipient", ErrorKind::Denied),
    ("prove.counted_twice", ErrorKind::Malformed),
    ("prove.invalid_statement", ErrorKind::Malformed),
    ("prove.limit", ErrorKind::Malformed),
    ("prove.missing_field", ErrorKind::Malformed),
    ("prove.no_key", ErrorKind::Unsupported),
    ("prove.not_a_member", ErrorKind::Malformed),
    ("prove.not_subject", ErrorKind::Denied),
    ("prove.out_of_width", ErrorKind::Unsupported),
    ("prove.range", ErrorKind::Internal),
    ("prove.unsatisfied", ErrorKind::Denied),
    ("prove.unsupported", ErrorKind::Unsupported),
    ("record.duplicate_field", ErrorKind::Malformed),
    ("record.invalid_field_name", ErrorKind::Malformed),
    ("record.invalid_schema", ErrorKind::Malformed),
    ("record.invalid_value", ErrorKind::Malformed),
    ("record.limit", ErrorKind::Malformed),
    ("record.missing_field", ErrorKind::Malformed),
    ("rng", ErrorKind::Internal),
    ("seal.bad_recipient", ErrorKind::Malformed),
    ("seal.epoch_exhausted", ErrorKind::Unsupported),
    ("seal.no_recipients", ErrorKind::Malformed),
    ("seal.not_owner", ErrorKind::Denied),
    ("seal.payload_too_large", ErrorKind::Malformed),
    ("seal.revoke_owner", ErrorKind::Malformed),
    ("seal.stale_epoch", ErrorKind::Denied),
    ("seal.table_part", ErrorKind::Denied),
    ("seal.too_many_recipients", ErrorKind::Malformed),
    ("seal.unauthenticated", ErrorKind::Denied),
    ("seal.unknown_recipient", ErrorKind::Malformed),
    ("seal.wrong_owner", ErrorKind::Denied),
    ("snark.batch_rejected", ErrorKind::Denied),
    ("snark.batch_too_large", ErrorKind::Malformed),
    ("snark.input_count", ErrorKind::Malformed),
    ("snark.input_not_in_field", ErrorKind::Malformed),
    ("snark.invalid", ErrorKind::Denied),
    ("snark.key_mismatch", ErrorKind::Malformed),
    ("snark.missing_witness", ErrorKind::Internal),
    ("snark.msm_base_not_in_subgroup", ErrorKind::Malformed),
    ("snark.msm_length_mismatch", ErrorKind::Malformed),
    ("snark.msm_too_large", ErrorKind::Malformed),
    ("snark.synthesis", ErrorKind::Internal),
    ("snark.too_many_inputs", ErrorKind::Malformed),
    ("snark.unsatisfied", ErrorKind::Denied),
    ("snark.wrong_key", ErrorKind::Denied),
    ("statement.bound_type", ErrorKind::Malformed),
    ("statement.empty_range", ErrorKind::Malformed),
    ("statement.inexact_bound", ErrorKind::Malformed),
    ("statement.not_an_integer", ErrorKind::Malformed),
    ("statement.out_of_width", ErrorKind::Malformed),
    ("statement.unsupported", ErrorKind::Unsupported),
    ("table.invalid_columns", ErrorKind::Malformed),
    ("table.limit", ErrorKind::Malformed),
    ("table.tampered", ErrorKind::Denied),
    ("table.wrong_owner", ErrorKind::Denied),
    ("trace.chain_broken", ErrorKind::Denied),
    ("trace.duplicate", ErrorKind::Denied),
    ("trace.empty", ErrorKind::Malformed),
    ("trace.fork", ErrorKind::Denied),
    ("trace.invalid_value", ErrorKind::Malformed),
    ("trace.policy", ErrorKind::Malformed),
    ("trace.untrusted_signer", ErrorKind::Denied),
    ("trace.wrong_product", ErrorKind::Denied),
    ("verify.bad_signature", ErrorKind::Denied),
    ("verify.counted_twice", ErrorKind::Denied),
    ("verify.disclosure", ErrorKind::Denied),
    ("verify.expired", ErrorKind::Denied),
    ("verify.invalid_statement", ErrorKind::Malformed),
    ("verify.no_key", ErrorKind::Unsupported),
    ("verify.no_revocation_list", ErrorKind::Denied),
    ("verify.not_yet_valid", ErrorKind::Denied),
    ("verify.proof", ErrorKind::Denied),
    ("verify.revocation_list_in_future", ErrorKind::Denied),
    ("verify.revocation_list_too_old", ErrorKind::Denied),
    ("verify.revocation_unavailable", ErrorKind::Denied),
    ("verify.revoked", ErrorKind::Denied),
    ("verify.unmet", ErrorKind::Denied),
    ("verify.unsupported", ErrorKind::Unsupported),
    ("verify.untrusted_issuer", ErrorKind::Denied),
    ("verify.wrong_key", ErrorKind::Denied),
    ("verify.wrong_subject", ErrorKind::Denied),
];

impl DecodeError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::WeakVerifyingKey { .. } => "decode.weak_verifying_key",
            DecodeError::Truncated => "decode.truncated",
            DecodeError::TrailingData => "decode.trailing_data",
            DecodeError::BadMagic => "decode.bad_magic",
            DecodeError::UnsupportedVersion { .. } => "decode.unsupported_version",
            DecodeError::UnexpectedTag { .. } => "decode.unexpected_tag",
            DecodeError::TooLong { .. } => "decode.too_long",
            DecodeError::InvalidUtf8 { .. } => "decode.invalid_utf8",
            DecodeError::InvalidBase64 { .. } => "decode.invalid_base64",
            DecodeError::InvalidText { .. } => "decode.invalid_text",
            DecodeError::Invalid { .. } => "decode.invalid",
            DecodeError::Json(..) => "decode.json",
            DecodeError::DigestMismatch => "decode.digest_mismatch",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            DecodeError::WeakVerifyingKey { .. } => ErrorKind::Malformed,
            DecodeError::Truncated => ErrorKind::Malformed,
            DecodeError::TrailingData => ErrorKind::Malformed,
            DecodeError::BadMagic => ErrorKind::Malformed,
            DecodeError::UnsupportedVersion { .. } => ErrorKind::Unsupported,
            DecodeError::UnexpectedTag { .. } => ErrorKind::Malformed,
            DecodeError::TooLong { .. } => ErrorKind::Malformed,
            DecodeError::InvalidUtf8 { .. } => ErrorKind::Malformed,
            DecodeError::InvalidBase64 { .. } => ErrorKind::Malformed,
            DecodeError::InvalidText { .. } => ErrorKind::Malformed,
            DecodeError::Invalid { .. } => ErrorKind::Malformed,
            DecodeError::Json(..) => ErrorKind::Malformed,
            DecodeError::DigestMismatch => ErrorKind::Denied,
        }
    }
}

impl KeyError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::Decode(e) => e.code(),
            KeyError::UnsupportedJwk(..) => "key.unsupported_jwk",
            KeyError::Mismatch => "key.mismatch",
            KeyError::Rng => "rng",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            KeyError::Decode(e) => e.kind(),
            KeyError::UnsupportedJwk(..) => ErrorKind::Unsupported,
            KeyError::Mismatch => ErrorKind::Malformed,
            KeyError::Rng => ErrorKind::Internal,
        }
    }
}

impl RecordError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            RecordError::Decode(e) => e.code(),
            RecordError::InvalidFieldName => "record.invalid_field_name",
            RecordError::InvalidSchema => "record.invalid_schema",
            RecordError::DuplicateField => "record.duplicate_field",
            RecordError::Limit(..) => "record.limit",
            RecordError::InvalidValue(..) => "record.invalid_value",
            RecordError::MissingField => "record.missing_field",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            RecordError::Decode(e) => e.kind(),
            RecordError::InvalidFieldName => ErrorKind::Malformed,
            RecordError::InvalidSchema => ErrorKind::Malformed,
            RecordError::DuplicateField => ErrorKind::Malformed,
            RecordError::Limit(..) => ErrorKind::Malformed,
            RecordError::InvalidValue(..) => ErrorKind::Malformed,
            RecordError::MissingField => ErrorKind::Malformed,
        }
    }
}

impl SealError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            SealError::Unauthenticated => "seal.unauthenticated",
            SealError::NoRecipients => "seal.no_recipients",
            SealError::TooManyRecipients { .. } => "seal.too_many_recipients",
            SealError::PayloadTooLarge { .. } => "seal.payload_too_large",
            SealError::BadRecipient => "seal.bad_recipient",
            SealError::NotARecipient => "not_a_recipient",
            SealError::Open(e) => e.code(),
            SealError::NotOwner => "seal.not_owner",
            SealError::RevokeOwner => "seal.revoke_owner",
            SealError::UnknownRecipient => "seal.unknown_recipient",
            SealError::EpochExhausted => "seal.epoch_exhausted",
            SealError::Rng => "rng",
            SealError::Io(..) => "io",
            SealError::StaleEpoch { .. } => "seal.stale_epoch",
            SealError::EpochLookup(e) => e.code(),
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            SealError::Unauthenticated => ErrorKind::Denied,
            SealError::NoRecipients => ErrorKind::Malformed,
            SealError::TooManyRecipients { .. } => ErrorKind::Malformed,
            SealError::PayloadTooLarge { .. } => ErrorKind::Malformed,
            SealError::BadRecipient => ErrorKind::Malformed,
            SealError::NotARecipient => ErrorKind::Denied,
            SealError::Open(e) => e.kind(),
            SealError::NotOwner => ErrorKind::Denied,
            SealError::RevokeOwner => ErrorKind::Malformed,
            SealError::UnknownRecipient => ErrorKind::Malformed,
            SealError::EpochExhausted => ErrorKind::Unsupported,
            SealError::Rng => ErrorKind::Internal,
            SealError::Io(..) => ErrorKind::Io,
            SealError::StaleEpoch { .. } => ErrorKind::Denied,
            SealError::EpochLookup(e) => e.kind(),
        }
    }
}

impl OpenError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            OpenError::Decode(e) => e.code(),
            OpenError::NotARecipient => "not_a_recipient",
            OpenError::Decrypt => "decrypt",
            OpenError::Io(..) => "io",
            OpenError::StaleEpoch { .. } => "seal.stale_epoch",
            OpenError::EpochLookup(e) => e.code(),
            OpenError::WrongOwner { .. } => "seal.wrong_owner",
            OpenError::Unauthenticated => "seal.unauthenticated",
            OpenError::TablePart => "seal.table_part",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            OpenError::Decode(e) => e.kind(),
            OpenError::NotARecipient => ErrorKind::Denied,
            OpenError::Decrypt => ErrorKind::Denied,
            OpenError::Io(..) => ErrorKind::Io,
            OpenError::StaleEpoch { .. } => ErrorKind::Denied,
            OpenError::EpochLookup(e) => e.kind(),
            OpenError::WrongOwner { .. } => ErrorKind::Denied,
            OpenError::Unauthenticated => ErrorKind::Denied,
            OpenError::TablePart => ErrorKind::Denied,
        }
    }
}

impl AttestError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            AttestError::InvalidRecordId => "attest.invalid_record_id",
            AttestError::Decode(e) => e.code(),
            AttestError::Record(e) => e.code(),
            AttestError::InvalidWindow => "attest.invalid_window",
            AttestError::OpeningMismatch => "attest.opening_mismatch",
            AttestError::Hash => "attest.hash",
            AttestError::Rng => "rng",
            AttestError::Clock => "attest.clock",
            AttestError::Rows(..) => "attest.rows",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            AttestError::InvalidRecordId => ErrorKind::Malformed,
            AttestError::Decode(e) => e.kind(),
            AttestError::Record(e) => e.kind(),
            AttestError::InvalidWindow => ErrorKind::Malformed,
            AttestError::OpeningMismatch => ErrorKind::Denied,
            AttestError::Hash => ErrorKind::Malformed,
            AttestError::Rng => ErrorKind::Internal,
            AttestError::Clock => ErrorKind::Internal,
            AttestError::Rows(..) => ErrorKind::Malformed,
        }
    }
}

impl ProveError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            ProveError::CountedTwice(..) => "prove.counted_twice",
            ProveError::NotAMember => "prove.not_a_member",
            ProveError::InvalidStatement(..) => "prove.invalid_statement",
            ProveError::Unsatisfied => "prove.unsatisfied",
            ProveError::MissingField => "prove.missing_field",
            ProveError::NotSubject => "prove.not_subject",
            ProveError::Limit(..) => "prove.limit",
            ProveError::OutOfWidth => "prove.out_of_width",
            ProveError::Range(..) => "prove.range",
            ProveError::Rng => "rng",
            ProveError::Unsupported { .. } => "prove.unsupported",
            ProveError::NoKey(..) => "prove.no_key",
            ProveError::Snark(e) => e.code(),
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            ProveError::CountedTwice(..) => ErrorKind::Malformed,
            ProveError::NotAMember => ErrorKind::Malformed,
            ProveError::InvalidStatement(..) => ErrorKind::Malformed,
            ProveError::Unsatisfied => ErrorKind::Denied,
            ProveError::MissingField => ErrorKind::Malformed,
            ProveError::NotSubject => ErrorKind::Denied,
            ProveError::Limit(..) => ErrorKind::Malformed,
            ProveError::OutOfWidth => ErrorKind::Unsupported,
            ProveError::Range(..) => ErrorKind::Internal,
            ProveError::Rng => ErrorKind::Internal,
            ProveError::Unsupported { .. } => ErrorKind::Unsupported,
            ProveError::NoKey(..) => ErrorKind::Unsupported,
            ProveError::Snark(e) => e.kind(),
        }
    }
}

impl VerifyError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::NoRevocationList => "verify.no_revocation_list",
            VerifyError::RevocationListTooOld { .. } => "verify.revocation_list_too_old",
            VerifyError::RevocationListInFuture { .. } => "verify.revocation_list_in_future",
            VerifyError::Unmet(..) => "verify.unmet",
            VerifyError::CountedTwice(..) => "verify.counted_twice",
            VerifyError::Decode(e) => e.code(),
            VerifyError::UntrustedIssuer => "verify.untrusted_issuer",
            VerifyError::BadSignature => "verify.bad_signature",
            VerifyError::NotYetValid => "verify.not_yet_valid",
            VerifyError::Expired => "verify.expired",
            VerifyError::Revoked => "verify.revoked",
            VerifyError::RevocationUnavailable => "verify.revocation_unavailable",
            VerifyError::WrongSubject => "verify.wrong_subject",
            VerifyError::InvalidStatement(..) => "verify.invalid_statement",
            VerifyError::Disclosure => "verify.disclosure",
            VerifyError::Proof => "verify.proof",
            VerifyError::NoKey(..) => "verify.no_key",
            VerifyError::WrongKey { .. } => "verify.wrong_key",
            VerifyError::Unsupported { .. } => "verify.unsupported",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            VerifyError::NoRevocationList => ErrorKind::Denied,
            VerifyError::RevocationListTooOld { .. } => ErrorKind::Denied,
            VerifyError::RevocationListInFuture { .. } => ErrorKind::Denied,
            VerifyError::Unmet(..) => ErrorKind::Denied,
            VerifyError::CountedTwice(..) => ErrorKind::Denied,
            VerifyError::Decode(e) => e.kind(),
            VerifyError::UntrustedIssuer => ErrorKind::Denied,
            VerifyError::BadSignature => ErrorKind::Denied,
            VerifyError::NotYetValid => ErrorKind::Denied,
            VerifyError::Expired => ErrorKind::Denied,
            VerifyError::Revoked => ErrorKind::Denied,
            VerifyError::RevocationUnavailable => ErrorKind::Denied,
            VerifyError::WrongSubject => ErrorKind::Denied,
            VerifyError::InvalidStatement(..) => ErrorKind::Malformed,
            VerifyError::Disclosure => ErrorKind::Denied,
            VerifyError::Proof => ErrorKind::Denied,
            VerifyError::NoKey(..) => ErrorKind::Unsupported,
            VerifyError::WrongKey { .. } => ErrorKind::Denied,
            VerifyError::Unsupported { .. } => ErrorKind::Unsupported,
        }
    }
}

impl LogVerifyError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            LogVerifyError::RevocationsRewritten => "log.revocations_rewritten",
            LogVerifyError::UnauthenticatedOldRoot { .. } => "log.unauthenticated_old_root",
            LogVerifyError::Equivocation { .. } => "log.equivocation",
            LogVerifyError::InvalidProof => "log.invalid_proof",
            LogVerifyError::MalformedCheckpoint(..) => "log.malformed_checkpoint",
            LogVerifyError::BadSignature => "log.bad_signature",
            LogVerifyError::WrongOrigin => "log.wrong_origin",
            LogVerifyError::Rollback { .. } => "log.rollback",
            LogVerifyError::Fork { .. } => "log.fork",
            LogVerifyError::Inconsistent => "log.inconsistent",
            LogVerifyError::InvalidReceipt(..) => "log.invalid_receipt",
            LogVerifyError::InvalidRevocationProof(..) => "log.invalid_revocation_proof",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            LogVerifyError::RevocationsRewritten => ErrorKind::Denied,
            LogVerifyError::UnauthenticatedOldRoot { .. } => ErrorKind::Denied,
            LogVerifyError::Equivocation { .. } => ErrorKind::Denied,
            LogVerifyError::InvalidProof => ErrorKind::Denied,
            LogVerifyError::MalformedCheckpoint(..) => ErrorKind::Malformed,
            LogVerifyError::BadSignature => ErrorKind::Denied,
            LogVerifyError::WrongOrigin => ErrorKind::Denied,
            LogVerifyError::Rollback { .. } => ErrorKind::Denied,
            LogVerifyError::Fork { .. } => ErrorKind::Denied,
            LogVerifyError::Inconsistent => ErrorKind::Denied,
            LogVerifyError::InvalidReceipt(..) => ErrorKind::Denied,
            LogVerifyError::InvalidRevocationProof(..) => ErrorKind::Denied,
        }
    }
}

impl LedgerError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::Decode(e) => e.code(),
            LedgerError::Verify(e) => e.code(),
            LedgerError::InvalidValue(..) => "ledger.invalid_value",
            LedgerError::WrongSigner => "ledger.wrong_signer",
            LedgerError::WrongOrigin => "ledger.wrong_origin",
            LedgerError::OutOfRange { .. } => "ledger.out_of_range",
            LedgerError::FailedClosed => "ledger.failed_closed",
            LedgerError::Storage(..) => "ledger.storage",
            LedgerError::Corrupt(..) => "ledger.corrupt",
            LedgerError::Location(..) => "ledger.location",
            LedgerError::CommitterStopped => "ledger.committer_stopped",
            LedgerError::InUse => "ledger.in_use",
            LedgerError::TooLarge { .. } => "ledger.too_large",
            LedgerError::NoCheckpoint => "ledger.no_checkpoint",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            LedgerError::Decode(e) => e.kind(),
            LedgerError::Verify(e) => e.kind(),
            LedgerError::InvalidValue(..) => ErrorKind::Malformed,
            LedgerError::WrongSigner => ErrorKind::Malformed,
            LedgerError::WrongOrigin => ErrorKind::Malformed,
            LedgerError::OutOfRange { .. } => ErrorKind::Malformed,
            LedgerError::FailedClosed => ErrorKind::Io,
            LedgerError::Storage(..) => ErrorKind::Io,
            LedgerError::Corrupt(..) => ErrorKind::Denied,
            LedgerError::Location(..) => ErrorKind::Io,
            LedgerError::CommitterStopped => ErrorKind::Internal,
            LedgerError::InUse => ErrorKind::Io,
            LedgerError::TooLarge { .. } => ErrorKind::Malformed,
            LedgerError::NoCheckpoint => ErrorKind::Malformed,
        }
    }
}

impl KeyRingError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            KeyRingError::Io { .. } => "io",
            KeyRingError::Manifest(..) => "keyring.manifest",
            KeyRingError::Missing(..) => "keyring.missing",
            KeyRingError::Mismatch { .. } => "keyring.mismatch",
            KeyRingError::WrongKeyId { .. } => "keyring.wrong_key_id",
            KeyRingError::WrongDigest { .. } => "keyring.wrong_digest",
            KeyRingError::Decode(e) => e.code(),
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            KeyRingError::Io { .. } => ErrorKind::Io,
            KeyRingError::Manifest(..) => ErrorKind::Malformed,
            KeyRingError::Missing(..) => ErrorKind::Unsupported,
            KeyRingError::Mismatch { .. } => ErrorKind::Denied,
            KeyRingError::WrongKeyId { .. } => ErrorKind::Denied,
            KeyRingError::WrongDigest { .. } => ErrorKind::Denied,
            KeyRingError::Decode(e) => e.kind(),
        }
    }
}

impl SnarkError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            SnarkError::Decode(e) => e.code(),
            SnarkError::MissingWitness => "snark.missing_witness",
            SnarkError::Unsatisfied => "snark.unsatisfied",
            SnarkError::Synthesis => "snark.synthesis",
            SnarkError::KeyMismatch => "snark.key_mismatch",
            SnarkError::TooManyInputs { .. } => "snark.too_many_inputs",
            SnarkError::ProofSelfCheck => "snark.proof_self_check",
            SnarkError::MsmLengthMismatch { .. } => "snark.msm_length_mismatch",
            SnarkError::MsmTooLarge { .. } => "snark.msm_too_large",
            SnarkError::MsmBaseNotInSubgroup { .. } => "snark.msm_base_not_in_subgroup",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            SnarkError::Decode(e) => e.kind(),
            SnarkError::MissingWitness => ErrorKind::Internal,
            SnarkError::Unsatisfied => ErrorKind::Denied,
            SnarkError::Synthesis => ErrorKind::Internal,
            SnarkError::KeyMismatch => ErrorKind::Malformed,
            SnarkError::TooManyInputs { .. } => ErrorKind::Malformed,
            SnarkError::ProofSelfCheck => ErrorKind::Denied,
            SnarkError::MsmLengthMismatch { .. } => ErrorKind::Malformed,
            SnarkError::MsmTooLarge { .. } => ErrorKind::Malformed,
            SnarkError::MsmBaseNotInSubgroup { .. } => ErrorKind::Malformed,
        }
    }
}

impl SnarkVerifyError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            SnarkVerifyError::Decode(e) => e.code(),
            SnarkVerifyError::WrongKey => "snark.wrong_key",
            SnarkVerifyError::InputCount { .. } => "snark.input_count",
            SnarkVerifyError::InputNotInField { .. } => "snark.input_not_in_field",
            SnarkVerifyError::Invalid => "snark.invalid",
            SnarkVerifyError::BatchTooLarge { .. } => "snark.batch_too_large",
            SnarkVerifyError::BatchRejected { .. } => "snark.batch_rejected",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            SnarkVerifyError::Decode(e) => e.kind(),
            SnarkVerifyError::WrongKey => ErrorKind::Denied,
            SnarkVerifyError::InputCount { .. } => ErrorKind::Malformed,
            SnarkVerifyError::InputNotInField { .. } => ErrorKind::Malformed,
            SnarkVerifyError::Invalid => ErrorKind::Denied,
            SnarkVerifyError::BatchTooLarge { .. } => ErrorKind::Malformed,
            SnarkVerifyError::BatchRejected { .. } => ErrorKind::Denied,
        }
    }
}

impl AnchorError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            AnchorError::Decode(e) => e.code(),
            AnchorError::LogVerify(e) => e.code(),
            AnchorError::Ledger(e) => e.code(),
            AnchorError::Invalid(..) => "anchor.invalid",
            AnchorError::WrongChain => "anchor.wrong_chain",
            AnchorError::NotOnChain => "anchor.not_on_chain",
            AnchorError::NotFinal { .. } => "anchor.not_final",
            AnchorError::Rejected(..) => "anchor.rejected",
            AnchorError::Node(..) => "anchor.node",
            AnchorError::Timeout => "anchor.timeout",
            AnchorError::NoSigner => "anchor.no_signer",
            AnchorError::BadKey => "anchor.bad_key",
            AnchorError::NotCovered { .. } => "anchor.not_covered",
            AnchorError::HeadReset { .. } => "anchor.head_reset",
            AnchorError::NotAnchored { .. } => "anchor.not_anchored",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            AnchorError::Decode(e) => e.kind(),
            AnchorError::LogVerify(e) => e.kind(),
            AnchorError::Ledger(e) => e.kind(),
            AnchorError::Invalid(..) => ErrorKind::Denied,
            AnchorError::WrongChain => ErrorKind::Denied,
            AnchorError::NotOnChain => ErrorKind::Denied,
            AnchorError::NotFinal { .. } => ErrorKind::Denied,
            AnchorError::Rejected(..) => ErrorKind::Denied,
            AnchorError::Node(..) => ErrorKind::Io,
            AnchorError::Timeout => ErrorKind::Io,
            AnchorError::NoSigner => ErrorKind::Malformed,
            AnchorError::BadKey => ErrorKind::Malformed,
            AnchorError::NotCovered { .. } => ErrorKind::Malformed,
            AnchorError::HeadReset { .. } => ErrorKind::Denied,
            AnchorError::NotAnchored { .. } => ErrorKind::Denied,
        }
    }
}

impl EvidenceError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            EvidenceError::Decode(e) => e.code(),
            EvidenceError::Ledger(e) => e.code(),
            EvidenceError::Anchor(e) => e.code(),
            EvidenceError::Seal(e) => e.code(),
            EvidenceError::InvalidValue(..) => "evidence.invalid_value",
            EvidenceError::ContentMismatch => "evidence.content_mismatch",
            EvidenceError::NotEvidence { .. } => "evidence.not_evidence",
            EvidenceError::NotAnchored => "evidence.not_anchored",
            EvidenceError::Io(..) => "io",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            EvidenceError::Decode(e) => e.kind(),
            EvidenceError::Ledger(e) => e.kind(),
            EvidenceError::Anchor(e) => e.kind(),
            EvidenceError::Seal(e) => e.kind(),
            EvidenceError::InvalidValue(..) => ErrorKind::Malformed,
            EvidenceError::ContentMismatch => ErrorKind::Denied,
            EvidenceError::NotEvidence { .. } => ErrorKind::Denied,
            EvidenceError::NotAnchored => ErrorKind::Malformed,
            EvidenceError::Io(..) => ErrorKind::Io,
        }
    }
}

impl TraceError {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            TraceError::Decode(e) => e.code(),
            TraceError::LogVerify(e) => e.code(),
            TraceError::Ledger(e) => e.code(),
            TraceError::Anchor(e) => e.code(),
            TraceError::InvalidValue(..) => "trace.invalid_value",
            TraceError::Policy(..) => "trace.policy",
            TraceError::Empty => "trace.empty",
            TraceError::WrongProduct { .. } => "trace.wrong_product",
            TraceError::Duplicate { .. } => "trace.duplicate",
            TraceError::Fork { .. } => "trace.fork",
            TraceError::ChainBroken { .. } => "trace.chain_broken",
            TraceError::UntrustedSigner { .. } => "trace.untrusted_signer",
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            TraceError::Decode(e) => e.kind(),
            TraceError::LogVerify(e) => e.kind(),
            TraceError::Ledger(e) => e.kind(),
            TraceError::Anchor(e) => e.kind(),
            TraceError::InvalidValue(..) => ErrorKind::Malformed,
            TraceError::Policy(..) => ErrorKind::Malformed,
            TraceError::Empty => ErrorKind::Malformed,
            TraceError::WrongProduct { .. } => ErrorKind::Denied,
            TraceError::Duplicate { .. } => ErrorKind::Denied,
            TraceError::Fork { .. } => ErrorKind::Denied,
            TraceError::ChainBroken { .. } => ErrorKind::Denied,
            TraceError::UntrustedSigner { .. } => ErrorKind::Denied,
        }
    }
}

impl Error {
    /// The stable classification code of this error (see [`ErrorKind`] and `docs/spec/errors.md`):
    /// the same string in Rust, the CLI's `--json` output, Python and JS.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Decode(e) => e.code(),
            Error::Key(e) => e.code(),
            Error::Record(e) => e.code(),
            Error::Seal(e) => e.code(),
            Error::Open(e) => e.code(),
            Error::Attest(e) => e.code(),
            Error::Prove(e) => e.code(),
            Error::Statement(e) => e.code(),
            Error::Verify(e) => e.code(),
            Error::Ledger(e) => e.code(),
            Error::LogVerify(e) => e.code(),
            Error::Snark(e) => e.code(),
            Error::KeyRing(e) => e.code(),
            Error::SnarkVerify(e) => e.code(),
            Error::Anchor(e) => e.code(),
            Error::Table(e) => e.code(),
            Error::Evidence(e) => e.code(),
            Error::Trace(e) => e.code(),
        }
    }

    /// What kind of failure this is (for exit codes and exception classes).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Decode(e) => e.kind(),
            Error::Key(e) => e.kind(),
            Error::Record(e) => e.kind(),
            Error::Seal(e) => e.kind(),
            Error::Open(e) => e.kind(),
            Error::Attest(e) => e.kind(),
            Error::Prove(e) => e.kind(),
            Error::Statement(e) => e.kind(),
            Error::Verify(e) => e.kind(),
            Error::Ledger(e) => e.kind(),
            Error::LogVerify(e) => e.kind(),
            Error::Snark(e) => e.kind(),
            Error::KeyRing(e) => e.kind(),
            Error::SnarkVerify(e) => e.kind(),
            Error::Anchor(e) => e.kind(),
            Error::Table(e) => e.kind(),
            Error::Evidence(e) => e.kind(),
            Error::Trace(e) => e.kind(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_well_formed() {
        for w in CODES.windows(2) {
            if let [(a, _), (b, _)] = w {
                assert!(a < b, "CODES not sorted or repeated at {a} / {b}");
            }
        }
        for (c, _) in CODES {
            assert!(
                c.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'_'
                    || b == b'.'),
                "{c}"
            );
        }
    }

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../../docs/spec/errors.md");
        for (c, k) in CODES {
            assert!(
                doc.contains(&format!("| `{c}` | {k} |")),
                "docs/spec/errors.md lacks the row for {c}"
            );
        }
    }

    fn listed(code: &str, kind: ErrorKind) {
        assert!(
            CODES.contains(&(code, kind)),
            "({code}, {kind}) is not listed in CODES"
        );
    }

    #[test]
    fn wrappers_keep_the_inner_code_and_kind() {
        let d = DecodeError::Truncated;
        let cases: Vec<Error> = vec![
            Error::from(d.clone()),
            Error::from(OpenError::Decode(d.clone())),
            Error::from(SealError::Open(OpenError::Decode(d.clone()))),
            Error::from(VerifyError::Decode(d.clone())),
            Error::from(AnchorError::Ledger(LedgerError::Decode(d.clone()))),
        ];
        for e in cases {
            assert_eq!(e.code(), "decode.truncated", "{e:?}");
            assert_eq!(e.kind(), ErrorKind::Malformed, "{e:?}");
        }
        let e = Error::from(SealError::Open(OpenError::Decrypt));
        assert_eq!((e.code(), e.kind()), ("decrypt", ErrorKind::Denied));
        let e = Error::from(ProveError::Snark(SnarkError::Unsatisfied));
        assert_eq!(
            (e.code(), e.kind()),
            ("snark.unsatisfied", ErrorKind::Denied)
        );
    }

    #[test]
    fn leaf_errors_are_listed_with_their_kind() {
        let io = || std::io::Error::other("x");
        let errors: Vec<Error> = vec![
            DecodeError::UnsupportedVersion { found: 9 }.into(),
            DecodeError::Json("x".into()).into(),
            KeyError::Rng.into(),
            RecordError::Limit("x").into(),
            SealError::NotOwner.into(),
            SealError::Io(io()).into(),
            OpenError::NotARecipient.into(),
            OpenError::Io(io()).into(),
            AttestError::InvalidWindow.into(),
            AttestError::Clock.into(),
            AttestError::Rows("x").into(),
            ProveError::Unsatisfied.into(),
            ProveError::NoKey("sum:4".into()).into(),
            VerifyError::Revoked.into(),
            VerifyError::RevocationListInFuture { issued_at: 1 }.into(),
            VerifyError::Proof.into(),
            LogVerifyError::Inconsistent.into(),
            LedgerError::FailedClosed.into(),
            LedgerError::Verify(LogVerifyError::BadSignature).into(),
            KeyRingError::Manifest("x").into(),
            KeyRingError::WrongKeyId {
                circuit: "attribute".into(),
                expected: "a".into(),
                found: "b".into(),
            }
            .into(),
            KeyRingError::WrongDigest {
                circuit: "attribute".into(),
                expected: "a".into(),
                found: "b".into(),
            }
            .into(),
            ProveError::NotAMember.into(),
            StatementError::NotAnInteger.into(),
            StatementError::InexactBound.into(),
            StatementError::DateForNumber.into(),
            StatementError::NumberForDate.into(),
            StatementError::EmptyRange.into(),
            StatementError::OutOfWidth.into(),
            StatementError::TooManyTerms.into(),
            StatementError::UnsupportedSum.into(),
            SnarkError::Synthesis.into(),
            SnarkVerifyError::Invalid.into(),
            AnchorError::WrongChain.into(),
            AnchorError::Timeout.into(),
            AnchorError::HeadReset { block: 7 }.into(),
            AnchorError::NotAnchored { size: 7 }.into(),
            EvidenceError::ContentMismatch.into(),
            EvidenceError::NotEvidence {
                kind: "record-sealed",
            }
            .into(),
            EvidenceError::InvalidValue("x").into(),
            EvidenceError::NotAnchored.into(),
            TraceError::ChainBroken { position: 1 }.into(),
            TraceError::Empty.into(),
            TraceError::UntrustedSigner {
                position: 0,
                step: "produced".into(),
            }
            .into(),
        ];
        for e in &errors {
            listed(e.code(), e.kind());
        }
        let kinds: Vec<ErrorKind> = errors.iter().map(Error::kind).collect();
        for k in [
            ErrorKind::Malformed,
            ErrorKind::Denied,
            ErrorKind::Unsupported,
            ErrorKind::Io,
            ErrorKind::Internal,
        ] {
            assert!(kinds.contains(&k), "no example of {k}");
        }
    }
}
