//! Product traceability: trace events about a product or batch, chained per product in the
//! ledger, and provenance bundles that anyone with the log's key verifies offline.
//!
//! A **trace event** ([`TraceEvent`]) is a ledger receipt of kind 8 signed by the party that
//! acted: the product id, a step name (`produced`, `inspected`, `shipped`, …), public fields
//! (origin, grade, a temperature-log digest: bounded key/value pairs) and, optionally, a link
//! to private details sealed for chosen partners (a [`crate::seal::Sealed`] record whose own
//! `record-sealed` receipt is in the ledger too). Every event commits to its product's previous
//! event: `prev` is the leaf hash of the previous event's receipt, and the first event's `prev`
//! is the product's [`genesis`] value (which binds the log origin and the product id); `seq`
//! counts the events from 0.
//!
//! A **provenance bundle** ([`ProvenanceBundle`], tag `0x52`, `docs/spec/provenance.md`) holds
//! one product's events in order with their inclusion proofs against one signed checkpoint
//! and, when the log is anchored, an anchor receipt. [`ProvenanceBundle::verify`] checks,
//! with the log key and origin the verifier trusts and a [`TrustPolicy`] (step → parties):
//! the checkpoint's signature; every event's signature, origin and inclusion; that each event
//! is about the product; that none repeats or forks; that the events form one unbroken chain
//! from the genesis value (so none is missing between the first and the last shown, and none
//! is re-ordered); and that each event's signer is trusted for its step.
//!
//! ```
//! use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
//! use causeway::ledger::merkle::root_from_leaf_hashes;
//! use causeway::ledger::proof::{inclusion_proof, LeafSlice};
//! use causeway::party::Party;
//! use causeway::trace::{EventDraft, ProductHead, ProvenanceBundle, TrustPolicy};
//!
//! let (log, farm, lab) = (Party::generate()?, Party::generate()?, Party::generate()?);
//! let origin = "dairy.example/trace";
//! let mut head = ProductHead::genesis(origin, "LOT-2026-0042")?;
//! let e0 = head.sign(farm.keys(), 1_000, &EventDraft::new("produced")?.field("origin", "NZ")?)?;
//! head = head.after(&e0)?;
//! let e1 = head.sign(lab.keys(), 2_000, &EventDraft::new("inspected")?.field("grade", "A")?)?;
//! let leaves = [e0.leaf_hash(), e1.leaf_hash()];
//! let cp = Checkpoint { origin: origin.into(), size: 2, root: root_from_leaf_hashes(&leaves), extensions: vec![] };
//! let note = SignedCheckpoint::sign(&cp, origin, log.keys())?;
//! let events = vec![
//!     (0, e0, inclusion_proof(&mut LeafSlice(&leaves), 0, 2)?),
//!     (1, e1, inclusion_proof(&mut LeafSlice(&leaves), 1, 2)?),
//! ];
//! let bundle = ProvenanceBundle::new("LOT-2026-0042", note, events)?;
//! let mut policy = TrustPolicy::new();
//! policy.add_party("farm", farm.public())?;
//! policy.add_party("lab", lab.public())?;
//! policy.allow("produced", "farm")?;
//! policy.allow("inspected", "lab")?;
//! let bytes = bundle.to_bytes()?;
//! let v = ProvenanceBundle::from_bytes(&bytes)?.verify(&log.public(), origin, &policy, Some("LOT-2026-0042"))?;
//! assert_eq!(v.events.len(), 2);
//! // The lab may not claim to have produced the batch.
//! let mut strict = TrustPolicy::new();
//! strict.add_party("farm", farm.public())?;
//! strict.allow("produced", "farm")?;
//! assert!(bundle.verify(&log.public(), origin, &strict, None).is_err());
//! # Ok::<(), causeway::Error>(())
//! ```

use crate::anchor::{AnchorReceipt, ChainRef, VerifiedAnchor, MAX_ANCHOR_RECEIPT_LEN};
use crate::encoding::{put_bytes_u16, put_bytes_u32, read_header, write_header, Reader, Tag};
use crate::error::{DecodeError, LedgerError, LogVerifyError, TraceError};
use crate::ledger::checkpoint::{Checkpoint, SignedCheckpoint, MAX_NOTE_LEN};
use crate::ledger::client::LedgerClient;
use crate::ledger::merkle::Hash;
use crate::ledger::proof::MAX_PROOF_HASHES;
use crate::ledger::receipt::{Event, Receipt, MAX_RECEIPT_LEN};
use crate::ledger::source::LedgerSource;
use crate::party::{KeyId, PublicKeys, SecretKeys};
use crate::seal::{RecordId, Sealed};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The label of a product's genesis value.
pub const GENESIS_LABEL: &[u8] = b"causeway/trace/genesis/v1";
/// The provenance bundle format version [`ProvenanceBundle::to_bytes`] writes.
pub const BUNDLE_VERSION: u8 = 1;
/// Longest product or batch id, in bytes.
pub const MAX_PRODUCT_ID: usize = 128;
/// Longest step name, in bytes.
pub const MAX_STEP: usize = 32;
/// Most public fields an event carries.
pub const MAX_FIELDS: usize = 16;
/// Longest public field name, in bytes.
pub const MAX_FIELD_NAME: usize = 32;
/// Longest public field value, in bytes (UTF-8).
pub const MAX_FIELD_VALUE: usize = 256;
/// Most events a provenance bundle holds.
pub const MAX_EVENTS: usize = 1024;
/// Largest encoded provenance bundle, in bytes.
pub const MAX_BUNDLE_LEN: usize = 16 * 1024 * 1024;
/// Most parties a trust policy names.
pub const MAX_POLICY_PARTIES: usize = 256;
/// Most steps a trust policy names.
pub const MAX_POLICY_STEPS: usize = 64;
/// Largest trust policy text, in bytes.
pub const MAX_POLICY_LEN: usize = 256 * 1024;

/// The link from a trace event to private details sealed for chosen partners: the sealed
/// record's id and the SHA-256 of its canonical bytes (its `record-sealed` receipt is in the
/// ledger too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealedDetails {
    /// The sealed record's id.
    pub record_id: RecordId,
    /// SHA-256 of the sealed record's canonical bytes.
    pub ciphertext_hash: Hash,
}

impl SealedDetails {
    /// The link to `sealed`.
    pub fn of(sealed: &Sealed) -> SealedDetails {
        SealedDetails {
            record_id: sealed.record_id(),
            ciphertext_hash: sealed.ciphertext_hash(),
        }
    }

    /// Whether `sealed` is the record this link names (same id and same bytes).
    pub fn matches(&self, sealed: &Sealed) -> bool {
        *self == SealedDetails::of(sealed)
    }
}

/// A trace event: what the body of a kind-8 receipt records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    /// The product or batch id (1..=[`MAX_PRODUCT_ID`] printable ASCII bytes, no spaces).
    pub product: String,
    /// The step name (1..=[`MAX_STEP`] bytes of `a-z 0-9 _ -`, starting with a letter).
    pub step: String,
    /// The party that acted (the receipt's signer).
    pub actor: KeyId,
    /// The event's position in the product's history, from 0.
    pub seq: u32,
    /// The leaf hash of the product's previous event, or its [`genesis`] value for `seq` 0.
    pub prev: Hash,
    /// Public fields, sorted by name, names unique.
    pub fields: Vec<(String, String)>,
    /// Private details sealed for chosen partners, if any.
    pub details: Option<SealedDetails>,
}

/// The genesis value of `product` in the log `origin`: what the first event's `prev` is.
/// `SHA-256("causeway/trace/genesis/v1" || 0x00 || u16 len || origin || u8 len || product)`.
pub fn genesis(origin: &str, product: &str) -> Hash {
    let mut h = Sha256::new();
    h.update(GENESIS_LABEL);
    h.update([0u8]);
    h.update(
        u16::try_from(origin.len())
            .unwrap_or(u16::MAX)
            .to_be_bytes(),
    );
    h.update(origin.as_bytes());
    h.update([u8::try_from(product.len()).unwrap_or(u8::MAX)]);
    h.update(product.as_bytes());
    h.finalize().into()
}

fn check_product(p: &str) -> Result<(), &'static str> {
    if p.is_empty() || p.len() > MAX_PRODUCT_ID || !p.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("product id must be 1..=128 printable ASCII characters without spaces");
    }
    Ok(())
}

fn is_name(s: &str, max: usize, extra: &[u8]) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && s.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || b == b'_'
                || b == b'-'
                || extra.contains(&b)
        })
}

fn check_step(s: &str) -> Result<(), &'static str> {
    if !is_name(s, MAX_STEP, &[]) {
        return Err("step name must be 1..=32 characters of a-z 0-9 _ -, starting with a letter");
    }
    Ok(())
}

fn check_field(k: &str, v: &str) -> Result<(), &'static str> {
    if !is_name(k, MAX_FIELD_NAME, b".") {
        return Err(
            "field name must be 1..=32 characters of a-z 0-9 _ - ., starting with a letter",
        );
    }
    if v.len() > MAX_FIELD_VALUE || v.chars().any(char::is_control) {
        return Err("field value must be at most 256 bytes without control characters");
    }
    Ok(())
}

fn check_fields(fields: &[(String, String)]) -> Result<(), &'static str> {
    if fields.len() > MAX_FIELDS {
        return Err("at most 16 fields");
    }
    for (k, v) in fields {
        check_field(k, v)?;
    }
    if fields.windows(2).any(|w| match w {
        [a, b] => a.0 >= b.0,
        _ => false,
    }) {
        return Err("field names must be unique");
    }
    Ok(())
}

/// Validates an event before it is signed, sorting its fields (called by
/// [`Receipt::new`]).
pub(crate) fn canonicalize_event(e: &mut TraceEvent) -> Result<(), LedgerError> {
    e.fields.sort_by(|a, b| a.0.cmp(&b.0));
    check_product(&e.product)
        .and_then(|()| check_step(&e.step))
        .and_then(|()| check_fields(&e.fields))
        .map_err(LedgerError::InvalidValue)
}

/// The body of a kind-8 receipt (the event must have passed [`canonicalize_event`]).
pub(crate) fn encode_event(e: &TraceEvent, out: &mut Vec<u8>) {
    put_u8_str(out, &e.product);
    put_u8_str(out, &e.step);
    out.extend_from_slice(e.actor.as_bytes());
    out.extend_from_slice(&e.seq.to_be_bytes());
    out.extend_from_slice(&e.prev);
    let n = e.fields.len().min(MAX_FIELDS);
    out.push(u8::try_from(n).unwrap_or(0));
    for (k, v) in e.fields.iter().take(n) {
        put_u8_str(out, k);
        put_bytes_u16(out, v.as_bytes());
    }
    match &e.details {
        None => out.push(0),
        Some(d) => {
            out.push(1);
            out.extend_from_slice(&d.record_id.0);
            out.extend_from_slice(&d.ciphertext_hash);
        }
    }
}

fn put_u8_str(out: &mut Vec<u8>, s: &str) {
    let n = s.len().min(usize::from(u8::MAX));
    out.push(u8::try_from(n).unwrap_or(u8::MAX));
    out.extend_from_slice(s.as_bytes().get(..n).unwrap_or_default());
}

fn read_u8_str<'a>(
    r: &mut Reader<'a>,
    what: &'static str,
    max: usize,
) -> Result<&'a str, DecodeError> {
    let n = usize::from(r.u8()?);
    if n > max {
        return Err(DecodeError::TooLong { what, len: n, max });
    }
    std::str::from_utf8(r.take(n)?).map_err(|_| DecodeError::InvalidUtf8 { what })
}

/// Reads the body of a kind-8 receipt, strictly (names, caps, sorted fields, flag byte).
pub(crate) fn decode_event(r: &mut Reader<'_>) -> Result<TraceEvent, DecodeError> {
    let product = read_u8_str(r, "trace product id", MAX_PRODUCT_ID)?.to_owned();
    check_product(&product).map_err(|_| DecodeError::Invalid {
        what: "trace product id",
    })?;
    let step = read_u8_str(r, "trace step", MAX_STEP)?.to_owned();
    check_step(&step).map_err(|_| DecodeError::Invalid { what: "trace step" })?;
    let actor = KeyId(r.array()?);
    let seq = r.u32()?;
    let prev = r.array()?;
    let n = usize::from(r.u8()?);
    if n > MAX_FIELDS {
        return Err(DecodeError::TooLong {
            what: "trace fields",
            len: n,
            max: MAX_FIELDS,
        });
    }
    let mut fields = Vec::with_capacity(n);
    for _ in 0..n {
        let k = read_u8_str(r, "trace field name", MAX_FIELD_NAME)?.to_owned();
        let v = r.str_u16("trace field value", MAX_FIELD_VALUE)?.to_owned();
        fields.push((k, v));
    }
    check_fields(&fields).map_err(|_| DecodeError::Invalid {
        what: "trace fields",
    })?;
    let details = match r.u8()? {
        0 => None,
        1 => Some(SealedDetails {
            record_id: RecordId(r.array()?),
            ciphertext_hash: r.array()?,
        }),
        _ => {
            return Err(DecodeError::Invalid {
                what: "trace details flag",
            })
        }
    };
    Ok(TraceEvent {
        product,
        step,
        actor,
        seq,
        prev,
        fields,
        details,
    })
}

impl TraceEvent {
    /// The JSON view inside a receipt's JSON (snake_case; hashes in hex).
    pub(crate) fn to_json(&self) -> Value {
        let fields: serde_json::Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        json!({
            "product": self.product,
            "step": self.step,
            "actor": self.actor.to_string(),
            "seq": self.seq,
            "prev": hex::encode(self.prev),
            "fields": fields,
            "details": self.details.map(|d| json!({
                "record_id": d.record_id.to_string(),
                "ciphertext_hash": hex::encode(d.ciphertext_hash),
            })),
        })
    }

    /// The value of public field `name`, if the event has it.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the acting party says about one step, before it is chained and signed: the step
/// name, public fields and an optional link to sealed details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDraft {
    step: String,
    fields: BTreeMap<String, String>,
    details: Option<SealedDetails>,
}

impl EventDraft {
    /// A draft for `step` (1..=32 characters of `a-z 0-9 _ -`, starting with a letter).
    pub fn new(step: &str) -> Result<EventDraft, TraceError> {
        check_step(step).map_err(TraceError::InvalidValue)?;
        Ok(EventDraft {
            step: step.to_owned(),
            fields: BTreeMap::new(),
            details: None,
        })
    }

    /// Adds the public field `name` = `value` (a name of `a-z 0-9 _ - .`, a value of at most
    /// 256 bytes without control characters; at most [`MAX_FIELDS`] fields, names unique).
    pub fn field(mut self, name: &str, value: &str) -> Result<EventDraft, TraceError> {
        check_field(name, value).map_err(TraceError::InvalidValue)?;
        if self.fields.contains_key(name) {
            return Err(TraceError::InvalidValue("field names must be unique"));
        }
        if self.fields.len() >= MAX_FIELDS {
            return Err(TraceError::InvalidValue("at most 16 fields"));
        }
        self.fields.insert(name.to_owned(), value.to_owned());
        Ok(self)
    }

    /// Links private details sealed for chosen partners (see [`EventDraft::seal_details`]).
    pub fn details(mut self, details: SealedDetails) -> EventDraft {
        self.details = Some(details);
        self
    }

    /// Seals `details` for `recipients` (the acting party is always added) with core's seal
    /// and links the sealed record. Append the sealed record's `record-sealed` receipt
    /// ([`Receipt::sealed_from`]) to the ledger too, so the partners can check it.
    pub fn seal_details(
        self,
        party: &crate::party::Party,
        recipients: &[PublicKeys],
        details: &[u8],
    ) -> Result<(EventDraft, Sealed), crate::Error> {
        let sealed = Sealed::seal_bytes(party, recipients, details)?;
        Ok((self.details(SealedDetails::of(&sealed)), sealed))
    }

    /// The step name.
    pub fn step(&self) -> &str {
        &self.step
    }
}

/// Where a product's history stands: the next event's sequence number and the hash it must
/// commit to. Start from [`ProductHead::genesis`], move with [`ProductHead::after`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductHead {
    origin: String,
    product: String,
    seq: u32,
    prev: Hash,
}

impl ProductHead {
    /// The head of a product with no events yet in the log `origin`.
    pub fn genesis(origin: &str, product: &str) -> Result<ProductHead, TraceError> {
        check_product(product).map_err(TraceError::InvalidValue)?;
        Ok(ProductHead {
            origin: origin.to_owned(),
            product: product.to_owned(),
            seq: 0,
            prev: genesis(origin, product),
        })
    }

    /// The head after `receipt`, which must be the event this head expects next (this
    /// product, this log, this sequence number and predecessor).
    pub fn after(&self, receipt: &Receipt) -> Result<ProductHead, TraceError> {
        let Event::TraceRecorded(e) = receipt.event() else {
            return Err(TraceError::WrongProduct { position: 0 });
        };
        if receipt.origin() != self.origin {
            return Err(LogVerifyError::WrongOrigin.into());
        }
        if e.product != self.product {
            return Err(TraceError::WrongProduct { position: 0 });
        }
        if e.seq != self.seq || e.prev != self.prev {
            return Err(TraceError::ChainBroken {
                position: usize::try_from(self.seq).unwrap_or(usize::MAX),
            });
        }
        Ok(ProductHead {
            origin: self.origin.clone(),
            product: self.product.clone(),
            seq: self
                .seq
                .checked_add(1)
                .ok_or(TraceError::InvalidValue("too many events"))?,
            prev: receipt.leaf_hash(),
        })
    }

    /// Signs the next event: `draft` by the party with `keys`, at `time_ms` (Unix
    /// milliseconds), chained to this head.
    pub fn sign(
        &self,
        keys: &SecretKeys,
        time_ms: u64,
        draft: &EventDraft,
    ) -> Result<Receipt, TraceError> {
        let event = TraceEvent {
            product: self.product.clone(),
            step: draft.step.clone(),
            actor: keys.public().key_id(),
            seq: self.seq,
            prev: self.prev,
            fields: draft
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            details: draft.details,
        };
        Ok(Receipt::new(
            keys,
            &self.origin,
            time_ms,
            Event::TraceRecorded(event),
        )?)
    }

    /// The product id.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// The next event's sequence number (the number of events so far).
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// The hash the next event commits to.
    pub fn prev(&self) -> &Hash {
        &self.prev
    }
}

/// Whether an entry's bytes are a kind-8 receipt (read from the header, without parsing).
fn is_trace_entry(bytes: &[u8]) -> bool {
    bytes.get(3) == Some(&(Tag::Receipt as u8)) && bytes.get(4) == Some(&8)
}

/// The events of `product` among the first `size` entries of `ledger`, in chain order with
/// their indices. Every kind-8 entry is parsed and its signature verified (one that does not
/// verify refuses, as a damaged ledger should). The events must form one chain from the
/// genesis value: a fork (two events claiming the same predecessor) or a gap is refused.
/// Linear in `size` (there is no index by product).
pub fn product_events<L: LedgerSource + ?Sized>(
    ledger: &L,
    size: u64,
    product: &str,
) -> Result<Vec<(u64, Receipt)>, TraceError> {
    check_product(product).map_err(TraceError::InvalidValue)?;
    let mut found = Vec::new();
    for i in 0..size {
        let bytes = ledger.entry(i)?;
        if !is_trace_entry(&bytes) {
            continue;
        }
        let r = Receipt::from_bytes(&bytes)?;
        if let Event::TraceRecorded(e) = r.event() {
            if e.product == product && r.origin() == ledger.origin() {
                if found.len() >= MAX_EVENTS {
                    return Err(DecodeError::TooLong {
                        what: "product history",
                        len: found.len().saturating_add(1),
                        max: MAX_EVENTS,
                    }
                    .into());
                }
                found.push((i, r));
            }
        }
    }
    chain_order(ledger.origin(), product, found)
}

/// Puts a product's events (in any order) into chain order, refusing forks, gaps and
/// repeats.
fn chain_order(
    origin: &str,
    product: &str,
    events: Vec<(u64, Receipt)>,
) -> Result<Vec<(u64, Receipt)>, TraceError> {
    let mut by_prev: HashMap<Hash, usize> = HashMap::with_capacity(events.len());
    for (pos, (_, r)) in events.iter().enumerate() {
        if let Event::TraceRecorded(e) = r.event() {
            if let Some(first) = by_prev.insert(e.prev, pos) {
                return Err(TraceError::Fork { first, second: pos });
            }
        }
    }
    let mut slots: Vec<Option<(u64, Receipt)>> = events.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    let mut head = ProductHead::genesis(origin, product)?;
    while let Some(&pos) = by_prev.get(head.prev()) {
        let Some((i, r)) = slots.get_mut(pos).and_then(Option::take) else {
            break;
        };
        head = head.after(&r)?;
        out.push((i, r));
    }
    if out.len() != slots.len() {
        return Err(TraceError::ChainBroken {
            position: out.len(),
        });
    }
    Ok(out)
}

/// The head of `product`'s history among the first `size` entries of `ledger` (genesis when
/// it has no events).
pub fn product_head<L: LedgerSource + ?Sized>(
    ledger: &L,
    size: u64,
    product: &str,
) -> Result<ProductHead, TraceError> {
    let mut head = ProductHead::genesis(ledger.origin(), product)?;
    for (_, r) in product_events(ledger, size, product)? {
        head = head.after(&r)?;
    }
    Ok(head)
}

/// Records the next event of `product` in `ledger`: finds the product's head, signs `draft`
/// with `party`'s keys at `time_ms` and appends it. When `sealed` is given (the details the
/// draft links, from [`EventDraft::seal_details`]), its `record-sealed` receipt is appended
/// first. Returns the event's index and receipt. The head is read and the event appended
/// through this one handle (a `LocalLedger` is held by one process), so two events recorded
/// through it never fork.
#[cfg(feature = "sqlite")]
pub fn record(
    ledger: &crate::ledger::sqlite::LocalLedger,
    party: &crate::party::Party,
    time_ms: u64,
    product: &str,
    draft: &EventDraft,
    sealed: Option<&Sealed>,
) -> Result<(u64, Receipt), TraceError> {
    if let Some(s) = sealed {
        if draft.details != Some(SealedDetails::of(s)) {
            return Err(TraceError::InvalidValue(
                "the sealed details are not the ones the draft links",
            ));
        }
    }
    let head = product_head(ledger, ledger.size()?, product)?;
    let receipt = head.sign(party.keys(), time_ms, draft)?;
    if let Some(s) = sealed {
        ledger.append(&Receipt::sealed_from(
            party.keys(),
            ledger.origin(),
            time_ms,
            s,
            None,
        )?)?;
    }
    let index = ledger.append(&receipt)?;
    Ok((index, receipt))
}

// ---------------------------------------------------------------------------------------------
// Trust policy
// ---------------------------------------------------------------------------------------------

/// Which parties a verifier trusts for which step: named parties (public keys) and, per step
/// name, the set of party names allowed to sign it. A step the policy does not name is
/// trusted for nobody.
///
/// Text form (JSON, snake_case, strict; `docs/spec/provenance.md`):
/// `{"version": 1, "parties": [{"name": "farm", "key": "cwpub1…"}], "steps": [{"step":
/// "produced", "parties": ["farm"]}]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustPolicy {
    parties: BTreeMap<String, PublicKeys>,
    steps: BTreeMap<String, BTreeSet<String>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyJson {
    version: u8,
    parties: Vec<PartyJson>,
    steps: Vec<StepJson>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyJson {
    name: String,
    key: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StepJson {
    step: String,
    parties: Vec<String>,
}

impl TrustPolicy {
    /// An empty policy (trusts nobody for anything).
    pub fn new() -> TrustPolicy {
        TrustPolicy::default()
    }

    /// Names a party (a name of `a-z 0-9 _ - .`, up to 32 characters; names and keys unique).
    pub fn add_party(&mut self, name: &str, key: PublicKeys) -> Result<(), TraceError> {
        if !is_name(name, MAX_FIELD_NAME, b".") {
            return Err(TraceError::Policy(
                "party name must be 1..=32 characters of a-z 0-9 _ - ., starting with a letter",
            ));
        }
        if self.parties.contains_key(name) {
            return Err(TraceError::Policy("a party is named twice"));
        }
        if self.parties.values().any(|k| *k == key) {
            return Err(TraceError::Policy("a key is named twice"));
        }
        if self.parties.len() >= MAX_POLICY_PARTIES {
            return Err(TraceError::Policy("too many parties"));
        }
        self.parties.insert(name.to_owned(), key);
        Ok(())
    }

    /// Trusts the party named `party` (added before) for `step`.
    pub fn allow(&mut self, step: &str, party: &str) -> Result<(), TraceError> {
        check_step(step).map_err(TraceError::Policy)?;
        if !self.parties.contains_key(party) {
            return Err(TraceError::Policy("a step names an unknown party"));
        }
        if !self.steps.contains_key(step) && self.steps.len() >= MAX_POLICY_STEPS {
            return Err(TraceError::Policy("too many steps"));
        }
        self.steps
            .entry(step.to_owned())
            .or_default()
            .insert(party.to_owned());
        Ok(())
    }

    /// The name of the party with key id `signer` if the policy trusts it for `step`.
    pub fn trusted_for(&self, step: &str, signer: &KeyId) -> Option<&str> {
        let names = self.steps.get(step)?;
        names
            .iter()
            .find(|n| self.parties.get(*n).is_some_and(|k| k.key_id() == *signer))
            .map(String::as_str)
    }

    /// The name the policy gives the key `signer`, if any (whatever the step).
    pub fn name_of(&self, signer: &KeyId) -> Option<&str> {
        self.parties
            .iter()
            .find(|(_, k)| k.key_id() == *signer)
            .map(|(n, _)| n.as_str())
    }

    /// Parses the JSON text form, strictly (unknown members, repeated names or steps, unknown
    /// parties, caps).
    pub fn from_json(text: &str) -> Result<TrustPolicy, TraceError> {
        if text.len() > MAX_POLICY_LEN {
            return Err(DecodeError::TooLong {
                what: "trust policy",
                len: text.len(),
                max: MAX_POLICY_LEN,
            }
            .into());
        }
        let j: PolicyJson = serde_json::from_str(text).map_err(|e| DecodeError::json(&e))?;
        if j.version != 1 {
            return Err(DecodeError::UnsupportedVersion { found: j.version }.into());
        }
        if j.parties.len() > MAX_POLICY_PARTIES || j.steps.len() > MAX_POLICY_STEPS {
            return Err(TraceError::Policy("too many parties or steps"));
        }
        let mut p = TrustPolicy::new();
        for party in &j.parties {
            let key = PublicKeys::from_text(&party.key)
                .map_err(|_| TraceError::Policy("a party's key is not cwpub1… text"))?;
            p.add_party(&party.name, key)?;
        }
        for s in &j.steps {
            if p.steps.contains_key(&s.step) {
                return Err(TraceError::Policy("a step is listed twice"));
            }
            if s.parties.is_empty() {
                return Err(TraceError::Policy("a step lists no party"));
            }
            for name in &s.parties {
                if p.steps.get(&s.step).is_some_and(|set| set.contains(name)) {
                    return Err(TraceError::Policy("a step lists a party twice"));
                }
                p.allow(&s.step, name)?;
            }
        }
        Ok(p)
    }

    /// The JSON text form (parties and steps sorted by name).
    pub fn to_json(&self) -> String {
        let j = PolicyJson {
            version: 1,
            parties: self
                .parties
                .iter()
                .map(|(n, k)| PartyJson {
                    name: n.clone(),
                    key: k.to_text(),
                })
                .collect(),
            steps: self
                .steps
                .iter()
                .map(|(s, names)| StepJson {
                    step: s.clone(),
                    parties: names.iter().cloned().collect(),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&j).unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// Provenance bundle
// ---------------------------------------------------------------------------------------------

/// One event of a provenance bundle: its leaf index, its receipt (signature checked when
/// decoded) and its inclusion proof in the bundle's checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleEvent {
    /// The entry's leaf index.
    pub index: u64,
    /// The signed kind-8 receipt.
    pub receipt: Receipt,
    /// Its inclusion proof in the bundle's checkpoint.
    pub proof: Vec<Hash>,
}

/// One product's events in order, with inclusion proofs against one signed checkpoint and,
/// when anchored, an anchor receipt for that checkpoint (format: `docs/spec/provenance.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvenanceBundle {
    product: String,
    checkpoint: SignedCheckpoint,
    events: Vec<BundleEvent>,
    anchor: Option<AnchorReceipt>,
}

/// One line of a verified product's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    /// The event's position in the product's history (0 = first).
    pub seq: u32,
    /// Its leaf index in the log.
    pub index: u64,
    /// The step name.
    pub step: String,
    /// When it happened, as its signer says (Unix milliseconds).
    pub time_ms: u64,
    /// The signer's name in the trust policy.
    pub party: String,
    /// The signer's key id.
    pub signer: KeyId,
    /// The public fields.
    pub fields: Vec<(String, String)>,
    /// The link to sealed private details, if any.
    pub details: Option<SealedDetails>,
    /// The event's hash (its receipt's leaf hash, what the next event commits to).
    pub hash: Hash,
}

/// What a verified provenance bundle establishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedProvenance {
    /// The log's origin (the verifier's).
    pub origin: String,
    /// The product or batch id.
    pub product: String,
    /// The verified checkpoint the events are in.
    pub checkpoint: Checkpoint,
    /// The product's events from its first, in order, none missing between.
    pub events: Vec<TimelineEntry>,
    /// The verified anchor (offline: by the log key's signed statement; confirm it on chain
    /// with [`AnchorReceipt::verify_online`] on [`ProvenanceBundle::anchor`]), if the bundle
    /// has one.
    pub anchor: Option<VerifiedAnchor>,
}

fn read_proof(r: &mut Reader<'_>) -> Result<Vec<Hash>, DecodeError> {
    let n = usize::from(r.u8()?);
    if n > MAX_PROOF_HASHES {
        return Err(DecodeError::TooLong {
            what: "inclusion proof",
            len: n,
            max: MAX_PROOF_HASHES,
        });
    }
    if r.remaining() < n.saturating_mul(32) {
        return Err(DecodeError::Truncated);
    }
    (0..n).map(|_| r.array::<32>()).collect()
}

impl ProvenanceBundle {
    /// A bundle from its parts: the product, the signed checkpoint, and the events in chain
    /// order as `(index, receipt, inclusion proof)`. Only caps are checked here; everything
    /// else is checked by [`ProvenanceBundle::verify`].
    pub fn new(
        product: &str,
        checkpoint: SignedCheckpoint,
        events: Vec<(u64, Receipt, Vec<Hash>)>,
    ) -> Result<ProvenanceBundle, TraceError> {
        check_product(product).map_err(TraceError::InvalidValue)?;
        if events.is_empty() {
            return Err(TraceError::Empty);
        }
        if events.len() > MAX_EVENTS {
            return Err(DecodeError::TooLong {
                what: "provenance events",
                len: events.len(),
                max: MAX_EVENTS,
            }
            .into());
        }
        if events.iter().any(|(_, _, p)| p.len() > MAX_PROOF_HASHES) {
            return Err(LedgerError::InvalidValue("inclusion proof too long").into());
        }
        Ok(ProvenanceBundle {
            product: product.to_owned(),
            checkpoint,
            events: events
                .into_iter()
                .map(|(index, receipt, proof)| BundleEvent {
                    index,
                    receipt,
                    proof,
                })
                .collect(),
            anchor: None,
        })
    }

    /// The bundle of `product` from any [`LedgerSource`] against its signed checkpoint
    /// `checkpoint` (signed by the ledger's log key): every event of the product in the
    /// checkpoint's tree, in chain order, with inclusion proofs.
    pub fn from_source<L: LedgerSource + ?Sized>(
        ledger: &L,
        checkpoint: &SignedCheckpoint,
        product: &str,
    ) -> Result<ProvenanceBundle, TraceError> {
        let cp = checkpoint.verify(ledger.origin(), ledger.log_key())?;
        let size = cp.size;
        let events = product_events(ledger, size, product)?;
        let mut with_proofs = Vec::with_capacity(events.len());
        for (i, r) in events {
            let proof = ledger.inclusion_proof(i, size)?;
            with_proofs.push((i, r, proof));
        }
        ProvenanceBundle::new(product, checkpoint.clone(), with_proofs)
    }

    /// The bundle of `product` from a SQLite ledger, against its stored checkpoint of `size`
    /// entries (default: the latest).
    #[cfg(feature = "sqlite")]
    pub fn from_ledger(
        ledger: &crate::ledger::sqlite::LocalLedger,
        product: &str,
        size: Option<u64>,
    ) -> Result<ProvenanceBundle, TraceError> {
        let note = match size {
            Some(s) => ledger.checkpoint_at(s)?,
            None => ledger.latest_checkpoint()?,
        }
        .ok_or(LedgerError::NoCheckpoint)?;
        let cp = SignedCheckpoint::open(&note, ledger.origin(), ledger.log_key())?;
        ProvenanceBundle::from_source(ledger, &cp, product)
    }

    /// Attaches an anchor receipt: its checkpoint must be the bundle's (the same signed text)
    /// and its entry one of the bundle's events. It is verified by
    /// [`ProvenanceBundle::verify`].
    pub fn with_anchor(mut self, anchor: AnchorReceipt) -> Result<ProvenanceBundle, TraceError> {
        if anchor.checkpoint.checkpoint() != self.checkpoint.checkpoint() {
            return Err(crate::error::AnchorError::Invalid(
                "the anchor receipt is for another checkpoint than the bundle's",
            )
            .into());
        }
        if !self
            .events
            .iter()
            .any(|e| e.index == anchor.index && e.receipt == anchor.entry)
        {
            return Err(crate::error::AnchorError::Invalid(
                "the anchor receipt's entry is not an event of the bundle",
            )
            .into());
        }
        self.anchor = Some(anchor);
        Ok(self)
    }

    /// The product id the bundle is for.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// The signed checkpoint.
    pub fn checkpoint(&self) -> &SignedCheckpoint {
        &self.checkpoint
    }

    /// The events, as the bundle holds them.
    pub fn events(&self) -> &[BundleEvent] {
        &self.events
    }

    /// The anchor receipt, if any (check it on chain with [`AnchorReceipt::verify_online`]).
    pub fn anchor(&self) -> Option<&AnchorReceipt> {
        self.anchor.as_ref()
    }

    /// The canonical bytes (version [`BUNDLE_VERSION`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>, TraceError> {
        let mut out = Vec::with_capacity(1024 + self.events.len() * 1024);
        write_header(&mut out, BUNDLE_VERSION, Tag::ProvenanceBundle);
        put_u8_str(&mut out, &self.product);
        let note = self.checkpoint.note();
        if note.len() > MAX_NOTE_LEN {
            return Err(LedgerError::InvalidValue("checkpoint too long").into());
        }
        put_bytes_u32(&mut out, note.as_bytes());
        let n = u16::try_from(self.events.len())
            .map_err(|_| LedgerError::InvalidValue("too many events"))?;
        out.extend_from_slice(&n.to_be_bytes());
        for e in &self.events {
            out.extend_from_slice(&e.index.to_be_bytes());
            put_bytes_u32(&mut out, e.receipt.as_bytes());
            let k = u8::try_from(e.proof.len())
                .map_err(|_| LedgerError::InvalidValue("inclusion proof too long"))?;
            out.push(k);
            for h in &e.proof {
                out.extend_from_slice(h);
            }
        }
        match &self.anchor {
            None => out.push(0),
            Some(a) => {
                out.push(1);
                put_bytes_u32(&mut out, &a.to_bytes()?);
            }
        }
        if out.len() > MAX_BUNDLE_LEN {
            return Err(LedgerError::InvalidValue("bundle too large").into());
        }
        Ok(out)
    }

    /// Parses canonical bytes strictly: header, caps before allocation, every receipt's
    /// signature, no trailing bytes. The evidence is checked by [`ProvenanceBundle::verify`].
    pub fn from_bytes(b: &[u8]) -> Result<ProvenanceBundle, TraceError> {
        if b.len() > MAX_BUNDLE_LEN {
            return Err(DecodeError::TooLong {
                what: "provenance bundle",
                len: b.len(),
                max: MAX_BUNDLE_LEN,
            }
            .into());
        }
        let mut r = Reader::new(b);
        read_header(&mut r, Tag::ProvenanceBundle, &[BUNDLE_VERSION])?;
        let product = read_u8_str(&mut r, "product id", MAX_PRODUCT_ID)?.to_owned();
        check_product(&product).map_err(|_| DecodeError::Invalid { what: "product id" })?;
        let note = r.bytes_u32("checkpoint", MAX_NOTE_LEN)?;
        let note = std::str::from_utf8(note)
            .map_err(|_| DecodeError::InvalidUtf8 { what: "checkpoint" })?;
        let checkpoint = SignedCheckpoint::parse(note)?;
        let n = usize::from(r.u16()?);
        if n == 0 {
            return Err(TraceError::Empty);
        }
        if n > MAX_EVENTS {
            return Err(DecodeError::TooLong {
                what: "provenance events",
                len: n,
                max: MAX_EVENTS,
            }
            .into());
        }
        // each event takes at least 8 + 4 + 1 bytes
        if r.remaining() < n.saturating_mul(13) {
            return Err(DecodeError::Truncated.into());
        }
        let mut events = Vec::with_capacity(n);
        for _ in 0..n {
            let index = r.u64()?;
            let receipt = Receipt::from_bytes(r.bytes_u32("receipt", MAX_RECEIPT_LEN)?)?;
            let proof = read_proof(&mut r)?;
            events.push(BundleEvent {
                index,
                receipt,
                proof,
            });
        }
        let anchor = match r.u8()? {
            0 => None,
            1 => Some(AnchorReceipt::from_bytes(
                r.bytes_u32("anchor receipt", MAX_ANCHOR_RECEIPT_LEN)?,
            )?),
            _ => {
                return Err(DecodeError::Invalid {
                    what: "anchor flag",
                }
                .into())
            }
        };
        r.finish()?;
        Ok(ProvenanceBundle {
            product,
            checkpoint,
            events,
            anchor,
        })
    }

    /// Verifies the bundle offline against the log's key `log_key` and origin `origin` (both
    /// from a source the verifier trusts, decision 0063), `policy`, and, if given, the product
    /// id the verifier expects (e.g. the one it scanned). Checks, in order: the checkpoint's
    /// signature and origin; the product; for each event its origin, that it is a trace event
    /// of the product and its inclusion at its index; that no entry repeats and no two events
    /// claim the same predecessor; that the events chain from the product's genesis value,
    /// each committing to the one before with the next sequence number; that each signer is
    /// trusted for its step; and the anchor receipt, if any (its checkpoint is the bundle's,
    /// its anchored checkpoint and statement signed by the log key, for the chain the
    /// statement names; `expect_chain` in [`ProvenanceBundle::verify_anchored`]).
    pub fn verify(
        &self,
        log_key: &PublicKeys,
        origin: &str,
        policy: &TrustPolicy,
        product: Option<&str>,
    ) -> Result<VerifiedProvenance, TraceError> {
        self.verify_inner(log_key, origin, policy, product, None)
    }

    /// [`ProvenanceBundle::verify`], and the bundle must carry an anchor receipt for `chain`
    /// (another chain or contract: [`crate::error::AnchorError::WrongChain`]).
    pub fn verify_anchored(
        &self,
        log_key: &PublicKeys,
        origin: &str,
        policy: &TrustPolicy,
        product: Option<&str>,
        chain: &ChainRef,
    ) -> Result<VerifiedProvenance, TraceError> {
        if self.anchor.is_none() {
            return Err(
                crate::error::AnchorError::Invalid("the bundle has no anchor receipt").into(),
            );
        }
        self.verify_inner(log_key, origin, policy, product, Some(chain))
    }

    fn verify_inner(
        &self,
        log_key: &PublicKeys,
        origin: &str,
        policy: &TrustPolicy,
        product: Option<&str>,
        chain: Option<&ChainRef>,
    ) -> Result<VerifiedProvenance, TraceError> {
        let client = LedgerClient::with_trusted(origin, *log_key, self.checkpoint.note())?;
        let cp = client
            .trusted()
            .ok_or(LogVerifyError::InvalidProof)?
            .clone();
        if product.is_some_and(|p| p != self.product) {
            return Err(TraceError::WrongProduct { position: 0 });
        }
        if self.events.is_empty() {
            return Err(TraceError::Empty);
        }
        let mut trace = Vec::with_capacity(self.events.len());
        for (pos, e) in self.events.iter().enumerate() {
            if e.receipt.origin() != origin {
                return Err(LogVerifyError::WrongOrigin.into());
            }
            let Event::TraceRecorded(ev) = e.receipt.event() else {
                return Err(TraceError::WrongProduct { position: pos });
            };
            if ev.product != self.product {
                return Err(TraceError::WrongProduct { position: pos });
            }
            client.verify_inclusion(e.receipt.as_bytes(), e.index, &e.proof)?;
            trace.push(ev);
        }
        let mut seen_index: HashMap<u64, usize> = HashMap::with_capacity(self.events.len());
        let mut seen_prev: HashMap<Hash, usize> = HashMap::with_capacity(self.events.len());
        for (pos, (e, ev)) in self.events.iter().zip(&trace).enumerate() {
            if seen_index.insert(e.index, pos).is_some() {
                return Err(TraceError::Duplicate { position: pos });
            }
            if let Some(first) = seen_prev.insert(ev.prev, pos) {
                return Err(TraceError::Fork { first, second: pos });
            }
        }
        let mut expected = genesis(origin, &self.product);
        for (pos, (e, ev)) in self.events.iter().zip(&trace).enumerate() {
            if ev.prev != expected || usize::try_from(ev.seq).ok() != Some(pos) {
                return Err(TraceError::ChainBroken { position: pos });
            }
            expected = e.receipt.leaf_hash();
        }
        let mut events = Vec::with_capacity(trace.len());
        for (pos, (e, ev)) in self.events.iter().zip(&trace).enumerate() {
            let signer = e.receipt.signer().key_id();
            let party = policy.trusted_for(&ev.step, &signer).ok_or_else(|| {
                TraceError::UntrustedSigner {
                    position: pos,
                    step: ev.step.clone(),
                }
            })?;
            events.push(TimelineEntry {
                seq: ev.seq,
                index: e.index,
                step: ev.step.clone(),
                time_ms: e.receipt.time_ms(),
                party: party.to_owned(),
                signer,
                fields: ev.fields.clone(),
                details: ev.details,
                hash: e.receipt.leaf_hash(),
            });
        }
        let anchor = match &self.anchor {
            None => None,
            Some(a) => Some(self.verify_anchor(a, log_key, &cp, chain)?),
        };
        Ok(VerifiedProvenance {
            origin: origin.to_owned(),
            product: self.product.clone(),
            checkpoint: cp,
            events,
            anchor,
        })
    }

    fn verify_anchor(
        &self,
        a: &AnchorReceipt,
        log_key: &PublicKeys,
        cp: &Checkpoint,
        chain: Option<&ChainRef>,
    ) -> Result<VerifiedAnchor, TraceError> {
        use crate::error::AnchorError;
        if a.checkpoint.checkpoint() != cp {
            return Err(
                AnchorError::Invalid("the anchor receipt is for another checkpoint").into(),
            );
        }
        if !self
            .events
            .iter()
            .any(|e| e.index == a.index && e.receipt == a.entry)
        {
            return Err(AnchorError::Invalid(
                "the anchor receipt's entry is not an event of the bundle",
            )
            .into());
        }
        let anchored = a.anchored_checkpoint.as_ref().ok_or(AnchorError::Invalid(
            "the anchor receipt has no anchored checkpoint (version 1)",
        ))?;
        let anchored = Checkpoint::open(anchored.note(), &cp.origin, log_key)?;
        let claimed = a.claimed_anchor()?.chain;
        if chain.is_some_and(|c| *c != claimed) {
            return Err(AnchorError::WrongChain.into());
        }
        Ok(a.verify_offline(log_key, &anchored, &claimed)?)
    }
}

// ---------------------------------------------------------------------------------------------
// Timeline views
// ---------------------------------------------------------------------------------------------

/// `YYYY-MM-DD HH:MM:SS UTC` for Unix milliseconds.
pub fn format_time(time_ms: u64) -> String {
    let secs = time_ms / 1000;
    let days = i32::try_from(secs / 86_400).unwrap_or(i32::MAX);
    let rem = secs % 86_400;
    match crate::record::Date::from_days(days) {
        Ok(d) => {
            let (y, m, dd) = d.ymd();
            format!(
                "{y:04}-{m:02}-{dd:02} {:02}:{:02}:{:02} UTC",
                rem / 3600,
                (rem / 60) % 60,
                rem % 60
            )
        }
        Err(_) => format!("{time_ms} ms"),
    }
}

impl VerifiedProvenance {
    /// A readable timeline, one line per event (and a header and an anchor line).
    pub fn timeline_text(&self) -> String {
        let mut s = format!(
            "product {} in log {} (checkpoint of {} entries): {} events, none missing from the first\n",
            self.product,
            self.origin,
            self.checkpoint.size,
            self.events.len()
        );
        for e in &self.events {
            s.push_str(&format!(
                "  {:>3}  {}  {:<12} by {}",
                e.seq,
                format_time(e.time_ms),
                e.step,
                e.party
            ));
            for (k, v) in &e.fields {
                s.push_str(&format!("  {k}={v}"));
            }
            if let Some(d) = &e.details {
                s.push_str(&format!("  [sealed details {}]", d.record_id));
            }
            s.push('\n');
        }
        if let Some(a) = &self.anchor {
            s.push_str(&format!(
                "  anchored: checkpoint of {} entries on chain {} contract 0x{} at block {} (offline: the log key's statement)\n",
                a.record.size,
                a.record.chain.chain_id,
                hex::encode(a.record.chain.contract),
                a.record.block_number
            ));
        }
        s
    }

    /// A JSON view (snake_case): `{"origin", "product", "checkpoint_size", "checkpoint_root",
    /// "events": [{"seq", "index", "step", "time_ms", "party", "signer", "fields", "details",
    /// "hash"}], "anchor"}`.
    pub fn to_json(&self) -> Value {
        let events: Vec<Value> = self
            .events
            .iter()
            .map(|e| {
                let fields: serde_json::Map<String, Value> = e
                    .fields
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                json!({
                    "seq": e.seq,
                    "index": e.index,
                    "step": e.step,
                    "time_ms": e.time_ms,
                    "party": e.party,
                    "signer": e.signer.to_string(),
                    "fields": fields,
                    "details": e.details.map(|d| json!({
                        "record_id": d.record_id.to_string(),
                        "ciphertext_hash": hex::encode(d.ciphertext_hash),
                    })),
                    "hash": hex::encode(e.hash),
                })
            })
            .collect();
        json!({
            "origin": self.origin,
            "product": self.product,
            "checkpoint_size": self.checkpoint.size,
            "checkpoint_root": hex::encode(self.checkpoint.root),
            "events": events,
            "anchor": self.anchor.as_ref().map(|a| json!({
                "size": a.record.size,
                "chain_id": a.record.chain.chain_id,
                "contract": format!("0x{}", hex::encode(a.record.chain.contract)),
                "block": a.record.block_number,
                "tx_hash": format!("0x{}", hex::encode(a.record.tx_hash)),
            })),
        })
    }
}
