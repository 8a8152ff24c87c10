//! Proof bundles: the self-contained JSON a regulator receives to check an inclusion, a
//! consistency or a revocation proof with nothing but the log's public key.
//!
//! A [`ProofBundle`] holds the signed checkpoint the proof is against, the proof itself
//! ([`BundleProof`]) and, optionally, a consistency proof from a checkpoint the verifier already
//! trusts (`consistencyFromTrusted`). Its text form is JSON (format in `docs/spec/bundle.md`):
//! version 2 (written) has a `"version": 2` member and camelCase keys; the unversioned
//! version 1 that `causeway ledger prove` wrote before (mixed `leafIdx` / `old_checkpoint`
//! keys) still parses. Byte strings are standard base64 with padding, as in the checkpoint
//! note; revocation handles and key ids are lowercase hex, as Causeway prints them. Parsing
//! is strict: unknown or repeated members, non-canonical base64 or hex, lists over their caps
//! (checked while reading, before they grow), or redundant members (origin, tree size, root,
//! leaf hash) that disagree with the checkpoint are refused.
//!
//! [`ProofBundle::verify`] checks a bundle against the log key (and optionally a trusted
//! checkpoint) and returns what it established ([`VerifiedBundle`]).
//!
//! ```
//! use causeway::ledger::bundle::{BundleProof, Established, ProofBundle};
//! use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
//! use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
//! use causeway::ledger::{inclusion_proof, leaf_hash, merkle::root_from_leaf_hashes};
//! use causeway::ledger::proof::LeafSlice;
//! use causeway::ledger::revocation::EMPTY_HEAD;
//! use causeway::party::Party;
//!
//! let (log, issuer) = (Party::generate()?, Party::generate()?);
//! let origin = "example.com/log";
//! let event = Event::AttestationIssued(AttestationEvent {
//!     revocation_handle: [7; 32],
//!     issuer: issuer.public().key_id(),
//! });
//! let receipt = Receipt::new(issuer.keys(), origin, 1, event)?;
//! let leaves = [leaf_hash(receipt.as_bytes())];
//! let cp = Checkpoint {
//!     origin: origin.into(),
//!     size: 1,
//!     root: root_from_leaf_hashes(&leaves),
//!     extensions: vec![Checkpoint::revocations_line(0, &EMPTY_HEAD)],
//! };
//! let bundle = ProofBundle::new(
//!     SignedCheckpoint::sign(&cp, origin, log.keys())?,
//!     BundleProof::Inclusion {
//!         index: 0,
//!         receipt: receipt.as_bytes().to_vec(),
//!         proof: inclusion_proof(&mut LeafSlice(&leaves), 0, 1)?,
//!     },
//! );
//! let json = bundle.to_json()?;
//! let back = ProofBundle::from_json(&json)?;
//! assert_eq!(back, bundle);
//! let verified = back.verify(&log.public(), None, None)?;
//! assert!(matches!(verified.established, Established::Inclusion { index: 0, .. }));
//! // Another log's key: refused.
//! assert!(back.verify(&issuer.public(), None, None).is_err());
//! # Ok::<(), causeway::Error>(())
//! ```

use super::checkpoint::{Checkpoint, SignedCheckpoint};
use super::client::LedgerClient;
use super::merkle::{leaf_hash, Hash};
use super::proof::{verify_consistency, MAX_PROOF_HASHES};
use super::receipt::{Receipt, MAX_RECEIPT_LEN};
use super::revocation::{
    RevocationEntry, RevocationProof, RevocationStatus, RevokedEvidence, MAX_REVOCATIONS,
};
use super::source::LedgerSource;
use crate::attest::RevocationHandle;
use crate::error::{DecodeError, LedgerError, LogVerifyError};
use crate::party::{KeyId, PublicKeys};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::de::{Error as _, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The bundle format version that [`ProofBundle::to_json`] writes.
pub const VERSION: u8 = 2;
/// Largest bundle text accepted, in bytes (checked before parsing).
pub const MAX_BUNDLE_LEN: usize = 64 * 1024 * 1024;
/// A short name for error messages.
pub const NAME: &str = "proof bundle";

/// A proof bundle: a signed checkpoint and a proof against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofBundle {
    /// The signed checkpoint the proof is against (parsed; its signature is checked by
    /// [`ProofBundle::verify`]).
    pub checkpoint: SignedCheckpoint,
    /// A consistency proof from a checkpoint the verifier already trusts to
    /// [`ProofBundle::checkpoint`] (empty when there is none, or the two are the same).
    pub consistency_from_trusted: Vec<Hash>,
    /// The proof.
    pub proof: BundleProof,
}

/// What a bundle proves.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleProof {
    /// The entry `receipt` is at `index` in the checkpoint's tree.
    Inclusion {
        /// The leaf index.
        index: u64,
        /// The entry's canonical bytes (a signed receipt).
        receipt: Vec<u8>,
        /// The inclusion proof.
        proof: Vec<Hash>,
    },
    /// The tree of `old_size` entries with root `old_root` is a prefix of the checkpoint's.
    Consistency {
        /// The older tree size (at least 1, at most the checkpoint's size).
        old_size: u64,
        /// The older tree's root.
        old_root: Hash,
        /// The consistency proof.
        proof: Vec<Hash>,
        /// The log's signed checkpoint of the older size: it must be signed by the log key and
        /// state `old_size` and `old_root`. A bundle without it is refused by
        /// [`ProofBundle::verify`] ([`LogVerifyError::UnauthenticatedOldRoot`], decision 0063):
        /// its old root would be the prover's word. (`Option` so that bundles written before can
        /// be read and refused with that precise error.)
        old_checkpoint: Option<SignedCheckpoint>,
    },
    /// Whether the attestation with `revocation_handle` by `issuer` is revoked as of the
    /// checkpoint (see [`super::revocation`]).
    Revocation {
        /// The attestation's revocation handle.
        revocation_handle: RevocationHandle,
        /// Its issuer.
        issuer: KeyId,
        /// Every revocation among the checkpoint's entries, in log order.
        revocations: Vec<RevocationEntry>,
        /// The evidence when the attestation is revoked.
        revoked: Option<RevokedEvidence>,
    },
}

/// What a verified bundle established.
// Returned once per verification: boxing the receipt would only add an indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Established {
    /// The receipt (signature checked) is at `index` in the checkpoint's tree.
    Inclusion {
        /// The leaf index.
        index: u64,
        /// The receipt.
        receipt: Receipt,
    },
    /// The tree of `old_size` entries and root `old_root` is a prefix of the checkpoint's.
    Consistency {
        /// The older tree size.
        old_size: u64,
        /// The older tree's root.
        old_root: Hash,
        /// Whether the old root is authenticated by the log's signed checkpoint of the older
        /// size (which verified and states the same root). Always `true` since decision 0063:
        /// a bundle without that checkpoint is refused.
        old_checkpoint_signed: bool,
    },
    /// The revocation status of one attestation as of the checkpoint.
    Revocation {
        /// The attestation's revocation handle.
        revocation_handle: RevocationHandle,
        /// Its issuer.
        issuer: KeyId,
        /// Revoked (where and when) or not.
        status: RevocationStatus,
    },
}

/// Where the log origin a bundle was verified against came from (decision 0063).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginSource {
    /// The caller named it (an explicit origin, or the [`LedgerClient`] given to
    /// [`ProofBundle::verify_with`]).
    Caller,
    /// The checkpoint the caller already trusts names it.
    TrustedCheckpoint,
    /// Only the bundle named it (trust on first use): the log key vouches for the checkpoint,
    /// but a log run under the same key with another origin would verify too. A verifier that
    /// cares which log it is must pin the origin.
    Bundle,
}

impl OriginSource {
    /// Whether the origin came from the caller or a checkpoint the caller trusts (not from the
    /// bundle alone).
    pub fn is_pinned(self) -> bool {
        !matches!(self, OriginSource::Bundle)
    }

    /// Stable name: `"caller"`, `"trusted-checkpoint"`, `"bundle"`.
    pub fn as_str(self) -> &'static str {
        match self {
            OriginSource::Caller => "caller",
            OriginSource::TrustedCheckpoint => "trusted-checkpoint",
            OriginSource::Bundle => "bundle",
        }
    }
}

/// The result of [`ProofBundle::verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedBundle {
    /// The log's origin.
    pub origin: String,
    /// Where [`VerifiedBundle::origin`] came from: only [`OriginSource::Bundle`] when the
    /// caller pinned nothing.
    pub origin_source: OriginSource,
    /// The verified checkpoint the proof is against (now trusted).
    pub checkpoint: Checkpoint,
    /// What the proof established.
    pub established: Established,
}

fn stored_checkpoint<L: LedgerSource + ?Sized>(
    ledger: &L,
    size: Option<u64>,
) -> Result<SignedCheckpoint, LedgerError> {
    let note = match size {
        Some(s) => ledger.checkpoint_at(s)?,
        None => ledger.latest_checkpoint()?,
    }
    .ok_or(LedgerError::NoCheckpoint)?;
    Ok(SignedCheckpoint::open(
        &note,
        ledger.origin(),
        ledger.log_key(),
    )?)
}

impl ProofBundle {
    /// A bundle from its parts (no consistency proof from a trusted checkpoint).
    pub fn new(checkpoint: SignedCheckpoint, proof: BundleProof) -> ProofBundle {
        ProofBundle {
            checkpoint,
            consistency_from_trusted: Vec::new(),
            proof,
        }
    }

    /// The inclusion bundle of entry `index` against the ledger's stored checkpoint of `size`
    /// entries (the latest when `None`). [`LedgerError::NoCheckpoint`] if there is no such
    /// checkpoint; [`LedgerError::OutOfRange`] if it does not cover the entry.
    pub fn inclusion_from<L: LedgerSource + ?Sized>(
        ledger: &L,
        index: u64,
        size: Option<u64>,
    ) -> Result<ProofBundle, LedgerError> {
        let checkpoint = stored_checkpoint(ledger, size)?;
        let tree = checkpoint.checkpoint().size;
        if index >= tree {
            return Err(LedgerError::OutOfRange { index, size: tree });
        }
        let receipt = ledger.entry(index)?;
        let proof = ledger.inclusion_proof(index, tree)?;
        Ok(ProofBundle::new(
            checkpoint,
            BundleProof::Inclusion {
                index,
                receipt,
                proof,
            },
        ))
    }

    /// The consistency bundle from the tree of `old_size` entries to the ledger's stored
    /// checkpoint of `size` entries (the latest when `None`); it carries the stored checkpoint
    /// of `old_size`, which authenticates the old root ([`LedgerError::NoCheckpoint`] when
    /// there is none: sign checkpoints at the sizes verifiers compare). `old_size` must be
    /// between 1 and that size ([`LedgerError::OutOfRange`]).
    pub fn consistency_from<L: LedgerSource + ?Sized>(
        ledger: &L,
        old_size: u64,
        size: Option<u64>,
    ) -> Result<ProofBundle, LedgerError> {
        let checkpoint = stored_checkpoint(ledger, size)?;
        let tree = checkpoint.checkpoint().size;
        if old_size == 0 || old_size > tree {
            return Err(LedgerError::OutOfRange {
                index: old_size,
                size: tree,
            });
        }
        let proof = ledger.consistency_proof(old_size, tree)?;
        let old_note = ledger
            .checkpoint_at(old_size)?
            .ok_or(LedgerError::NoCheckpoint)?;
        let old_checkpoint = Some(SignedCheckpoint::open(
            &old_note,
            ledger.origin(),
            ledger.log_key(),
        )?);
        let old_root = ledger.root_at(old_size)?;
        Ok(ProofBundle::new(
            checkpoint,
            BundleProof::Consistency {
                old_size,
                old_root,
                proof,
                old_checkpoint,
            },
        ))
    }

    /// The revocation bundle for the attestations `targets` (revocation handle and issuer)
    /// against the ledger's stored checkpoint of `size` entries (the latest when `None`).
    ///
    /// The proof's revocation list is complete, so one bundle answers "not revoked" for every
    /// target absent from it; it carries the evidence of the first revoked target, if any
    /// (enough to refuse a presentation), else names the first target.
    pub fn revocation_from<L: LedgerSource + ?Sized>(
        ledger: &L,
        targets: &[(RevocationHandle, KeyId)],
        size: Option<u64>,
    ) -> Result<ProofBundle, LedgerError> {
        let checkpoint = stored_checkpoint(ledger, size)?;
        let tree = checkpoint.checkpoint().size;
        let mut chosen = None;
        for (h, i) in targets {
            let p = ledger.revocation_proof(&h.0, i, Some(tree))?;
            let revoked = p.revoked.is_some();
            if chosen.is_none() || revoked {
                chosen = Some((*h, *i, p));
            }
            if revoked {
                break;
            }
        }
        let (revocation_handle, issuer, p) =
            chosen.ok_or(LedgerError::InvalidValue("no attestation named"))?;
        if p.checkpoint.note() != checkpoint.note() {
            return Err(LedgerError::Corrupt("two stored checkpoints of one size"));
        }
        Ok(ProofBundle::new(
            checkpoint,
            BundleProof::Revocation {
                revocation_handle,
                issuer,
                revocations: p.revocations,
                revoked: p.revoked,
            },
        ))
    }

    /// The revocation proof a revocation bundle carries (for [`LedgerClient::check_revocation`]
    /// or [`super::LedgerRevocations`]); `None` for other bundles.
    pub fn revocation_proof(&self) -> Option<RevocationProof> {
        match &self.proof {
            BundleProof::Revocation {
                revocations,
                revoked,
                ..
            } => Some(RevocationProof {
                checkpoint: self.checkpoint.clone(),
                revocations: revocations.clone(),
                revoked: revoked.clone(),
            }),
            _ => None,
        }
    }

    /// A client of the bundle's log that trusts the bundle's checkpoint: the log is `origin`
    /// (default: the origin of `trusted`, else the origin the bundle's checkpoint names) with
    /// checkpoints signed by `log_key`. Without
    /// `trusted` the checkpoint is trusted as it is (trust on first use); with it, the client
    /// trusts `trusted` first and takes the bundle's checkpoint only with a valid
    /// [`ProofBundle::consistency_from_trusted`] (same checkpoint: no proof needed; an older
    /// one is a rollback; same size and another text is a fork or equivocation).
    pub fn client(
        &self,
        log_key: &PublicKeys,
        origin: Option<&str>,
        trusted: Option<&SignedCheckpoint>,
    ) -> Result<LedgerClient, LogVerifyError> {
        let (origin, _) = self.origin_for(origin, trusted);
        let mut client = LedgerClient::new(origin, *log_key);
        if let Some(t) = trusted {
            client.update(t.note(), &[])?;
            client.update(self.checkpoint.note(), &self.consistency_from_trusted)?;
        } else {
            client.update(self.checkpoint.note(), &[])?;
        }
        Ok(client)
    }

    fn origin_for<'a>(
        &'a self,
        origin: Option<&'a str>,
        trusted: Option<&'a SignedCheckpoint>,
    ) -> (&'a str, OriginSource) {
        match (origin, trusted) {
            (Some(o), _) => (o, OriginSource::Caller),
            (None, Some(t)) => (&t.checkpoint().origin, OriginSource::TrustedCheckpoint),
            (None, None) => (&self.checkpoint.checkpoint().origin, OriginSource::Bundle),
        }
    }

    /// Verifies the bundle: its checkpoint under `log_key` for the log `origin` (default: the
    /// origin of `trusted`, else the one the bundle names, which
    /// [`VerifiedBundle::origin_source`] then reports as [`OriginSource::Bundle`]; consistent
    /// with `trusted` if given, see [`ProofBundle::client`]), then its proof against that
    /// checkpoint. Returns what was established.
    pub fn verify(
        &self,
        log_key: &PublicKeys,
        origin: Option<&str>,
        trusted: Option<&SignedCheckpoint>,
    ) -> Result<VerifiedBundle, LedgerError> {
        let client = self.client(log_key, origin, trusted)?;
        let mut v = self.verify_with(&client)?;
        v.origin_source = self.origin_for(origin, trusted).1;
        Ok(v)
    }

    /// Verifies the bundle's proof against `client`'s trusted checkpoint, which must be the
    /// bundle's checkpoint (the same signed text; co-signature lines may differ).
    ///
    /// The result's [`VerifiedBundle::origin_source`] is [`OriginSource::Caller`]: the origin is
    /// the one `client` was made for, which this function cannot trace. A client made by
    /// [`ProofBundle::client`] with no origin and no trusted checkpoint took the bundle's own
    /// origin; use [`ProofBundle::verify`] to have that reported as [`OriginSource::Bundle`].
    pub fn verify_with(&self, client: &LedgerClient) -> Result<VerifiedBundle, LedgerError> {
        let t = client
            .trusted()
            .ok_or(LogVerifyError::InvalidProof)?
            .clone();
        let cp = client.open_checkpoint(self.checkpoint.note())?;
        if cp.size != t.size {
            return Err(LogVerifyError::InvalidProof.into());
        }
        if cp.root != t.root {
            return Err(LogVerifyError::Fork { size: cp.size }.into());
        }
        if cp != t {
            return Err(LogVerifyError::Equivocation { size: cp.size }.into());
        }
        let established = match &self.proof {
            BundleProof::Inclusion {
                index,
                receipt,
                proof,
            } => Established::Inclusion {
                index: *index,
                receipt: client.verify_receipt(receipt, *index, proof)?,
            },
            BundleProof::Consistency {
                old_size,
                old_root,
                proof,
                old_checkpoint,
            } => {
                verify_consistency(*old_size, cp.size, proof, old_root, &cp.root)?;
                // The old root must be the log's word, not the prover's (decision 0063).
                let old = old_checkpoint
                    .as_ref()
                    .ok_or(LogVerifyError::UnauthenticatedOldRoot { size: *old_size })?;
                let oc = client.open_checkpoint(old.note())?;
                if oc.size != *old_size || oc.root != *old_root {
                    return Err(LogVerifyError::Inconsistent.into());
                }
                Established::Consistency {
                    old_size: *old_size,
                    old_root: *old_root,
                    old_checkpoint_signed: old_checkpoint.is_some(),
                }
            }
            BundleProof::Revocation {
                revocation_handle,
                issuer,
                ..
            } => {
                let proof = self
                    .revocation_proof()
                    .ok_or(LogVerifyError::InvalidProof)?;
                let status = client.check_revocation(&proof, &revocation_handle.0, issuer)?;
                // Evidence of a revocation must be for the attestation the bundle names.
                if proof.revoked.is_some() && !matches!(status, RevocationStatus::Revoked { .. }) {
                    return Err(LogVerifyError::InvalidRevocationProof(
                        "the evidence is for another attestation than the one named",
                    )
                    .into());
                }
                Established::Revocation {
                    revocation_handle: *revocation_handle,
                    issuer: *issuer,
                    status,
                }
            }
        };
        Ok(VerifiedBundle {
            origin: client.origin().to_owned(),
            origin_source: OriginSource::Caller,
            checkpoint: cp,
            established,
        })
    }

    /// The bundle's kind as its JSON `type` names it: `"inclusion"`, `"consistency"` or
    /// `"revocation"`.
    pub fn kind(&self) -> &'static str {
        match &self.proof {
            BundleProof::Inclusion { .. } => "inclusion",
            BundleProof::Consistency { .. } => "consistency",
            BundleProof::Revocation { .. } => "revocation",
        }
    }

    /// The JSON text form, format [`VERSION`] (pretty-printed). Fails only for a bundle built
    /// from parts that exceeds a cap ([`DecodeError::TooLong`]).
    pub fn to_json(&self) -> Result<String, DecodeError> {
        let cp = self.checkpoint.checkpoint();
        check_len(
            "proof",
            self.consistency_from_trusted.len(),
            MAX_PROOF_HASHES,
        )?;
        let v2 = match &self.proof {
            BundleProof::Inclusion {
                index,
                receipt,
                proof,
            } => {
                check_len("proof", proof.len(), MAX_PROOF_HASHES)?;
                check_len("receipt", receipt.len(), MAX_RECEIPT_LEN)?;
                V2::Inclusion(InclusionV2 {
                    version: VERSION,
                    kind: Kind::Inclusion,
                    origin: cp.origin.clone(),
                    leaf_idx: *index,
                    tree_size: cp.size,
                    root: b64(&cp.root),
                    leaf_hash: b64(&leaf_hash(receipt)),
                    proof: hashes_out(proof),
                    receipt: b64(receipt),
                    checkpoint: self.checkpoint.note().to_owned(),
                    consistency_from_trusted: hashes_out(&self.consistency_from_trusted),
                })
            }
            BundleProof::Consistency {
                old_size,
                old_root,
                proof,
                old_checkpoint,
            } => {
                check_len("proof", proof.len(), MAX_PROOF_HASHES)?;
                V2::Consistency(ConsistencyV2 {
                    version: VERSION,
                    kind: Kind::Consistency,
                    origin: cp.origin.clone(),
                    size1: *old_size,
                    size2: cp.size,
                    root1: b64(old_root),
                    root2: b64(&cp.root),
                    proof: hashes_out(proof),
                    checkpoint: self.checkpoint.note().to_owned(),
                    old_checkpoint: old_checkpoint.as_ref().map(|c| c.note().to_owned()),
                    consistency_from_trusted: hashes_out(&self.consistency_from_trusted),
                })
            }
            BundleProof::Revocation {
                revocation_handle,
                issuer,
                revocations,
                revoked,
            } => {
                check_len("revocation list", revocations.len(), MAX_REVOCATIONS)?;
                if let Some(r) = revoked {
                    check_len("proof", r.inclusion.len(), MAX_PROOF_HASHES)?;
                    check_len("receipt", r.receipt.len(), MAX_RECEIPT_LEN)?;
                }
                V2::Revocation(RevocationV2 {
                    version: VERSION,
                    kind: Kind::Revocation,
                    origin: cp.origin.clone(),
                    revocation_handle: revocation_handle.to_string(),
                    issuer: issuer.to_string(),
                    checkpoint: self.checkpoint.note().to_owned(),
                    revocations: Bounded(
                        revocations
                            .iter()
                            .map(|e| EntryV2 {
                                index: e.index,
                                revocation_handle: hex::encode(e.revocation_handle),
                                issuer: e.issuer.to_string(),
                            })
                            .collect(),
                    ),
                    revoked: revoked.as_ref().map(|r| RevokedJson {
                        index: r.index,
                        receipt: b64(&r.receipt),
                        proof: hashes_out(&r.inclusion),
                    }),
                    consistency_from_trusted: hashes_out(&self.consistency_from_trusted),
                })
            }
        };
        serde_json::to_string_pretty(&v2).map_err(|e| DecodeError::Json(e.to_string()))
    }

    /// Parses the JSON text form: version 2, or the unversioned version 1. At most
    /// [`MAX_BUNDLE_LEN`] bytes. Every failure is a [`DecodeError`]; nothing is verified yet
    /// (see [`ProofBundle::verify`]).
    pub fn from_json(text: &str) -> Result<ProofBundle, DecodeError> {
        if text.len() > MAX_BUNDLE_LEN {
            return Err(DecodeError::TooLong {
                what: NAME,
                len: text.len(),
                max: MAX_BUNDLE_LEN,
            });
        }
        let head: Head = json(text)?;
        match (head.version, head.kind) {
            (Some(VERSION), Kind::Inclusion) => json::<InclusionV2>(text)?.into_bundle(),
            (Some(VERSION), Kind::Consistency) => json::<ConsistencyV2>(text)?.into_bundle(),
            (Some(VERSION), Kind::Revocation) => json::<RevocationV2>(text)?.into_bundle(),
            (None, Kind::Inclusion) => json::<InclusionV1>(text)?.into_bundle(),
            (None, Kind::Consistency) => json::<ConsistencyV1>(text)?.into_bundle(),
            (None, Kind::Revocation) => json::<RevocationV1>(text)?.into_bundle(),
            (Some(found), _) => Err(DecodeError::UnsupportedVersion { found }),
        }
    }

    /// Parses bundle bytes (UTF-8 JSON text, surrounding whitespace allowed), as read from a
    /// file.
    pub fn from_slice(bytes: &[u8]) -> Result<ProofBundle, DecodeError> {
        if bytes.len() > MAX_BUNDLE_LEN {
            return Err(DecodeError::TooLong {
                what: NAME,
                len: bytes.len(),
                max: MAX_BUNDLE_LEN,
            });
        }
        let text =
            core::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8 { what: NAME })?;
        ProofBundle::from_json(text.trim())
    }
}

fn check_len(what: &'static str, len: usize, max: usize) -> Result<(), DecodeError> {
    if len > max {
        return Err(DecodeError::TooLong { what, len, max });
    }
    Ok(())
}

fn b64(b: &[u8]) -> String {
    STANDARD.encode(b)
}

fn hashes_out(hs: &[Hash]) -> Bounded<String, MAX_PROOF_HASHES> {
    Bounded(hs.iter().map(|h| b64(h)).collect())
}

fn json<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, DecodeError> {
    serde_json::from_str(text).map_err(|e| DecodeError::Json(e.to_string()))
}

fn invalid(what: &'static str) -> DecodeError {
    DecodeError::Invalid { what }
}

/// Standard base64 of at most `max` bytes, canonical (re-encoding gives the same text).
fn bytes_in(s: &str, what: &'static str, max: usize) -> Result<Vec<u8>, DecodeError> {
    if s.len() > max.div_ceil(3).saturating_mul(4) {
        return Err(DecodeError::TooLong {
            what,
            len: s.len(),
            max: max.div_ceil(3).saturating_mul(4),
        });
    }
    let b = STANDARD.decode(s).map_err(|_| invalid(what))?;
    if b.len() > max || STANDARD.encode(&b) != s {
        return Err(invalid(what));
    }
    Ok(b)
}

fn hash_in(s: &str, what: &'static str) -> Result<Hash, DecodeError> {
    bytes_in(s, what, 32)?.try_into().map_err(|_| invalid(what))
}

fn hashes_in(hs: &[String]) -> Result<Vec<Hash>, DecodeError> {
    hs.iter().map(|h| hash_in(h, "proof hash")).collect()
}

/// 64 lowercase hex digits.
fn handle_in(s: &str) -> Result<RevocationHandle, DecodeError> {
    let mut b = [0u8; 32];
    hex::decode_to_slice(s, &mut b).map_err(|_| invalid("revocation handle"))?;
    if hex::encode(b) != s {
        return Err(invalid("revocation handle"));
    }
    Ok(RevocationHandle(b))
}

/// 32 lowercase hex digits.
fn key_id_in(s: &str) -> Result<KeyId, DecodeError> {
    let k: KeyId = s.parse().map_err(|_| invalid("issuer key id"))?;
    if k.to_string() != s {
        return Err(invalid("issuer key id"));
    }
    Ok(k)
}

fn note_in(s: &str) -> Result<SignedCheckpoint, DecodeError> {
    SignedCheckpoint::parse(s).map_err(|_| invalid("checkpoint note"))
}

/// The bundle's checkpoint, with the redundant members checked against it.
fn checkpoint_in(note: &str, origin: &str) -> Result<SignedCheckpoint, DecodeError> {
    let cp = note_in(note)?;
    if cp.checkpoint().origin != origin {
        return Err(invalid("bundle origin (differs from its checkpoint)"));
    }
    Ok(cp)
}

fn same(ok: bool, what: &'static str) -> Result<(), DecodeError> {
    if ok {
        Ok(())
    } else {
        Err(invalid(what))
    }
}

/// A list capped at `N` items while it is read (before it grows past the cap).
#[derive(Debug, Default)]
struct Bounded<T, const N: usize>(Vec<T>);

impl<T: Serialize, const N: usize> Serialize for Bounded<T, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Bounded<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const N: usize>(core::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for V<T, N> {
            type Value = Bounded<T, N>;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "a list of at most {N} items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element()? {
                    if out.len() >= N {
                        return Err(A::Error::custom(format_args!(
                            "a list of more than {N} items"
                        )));
                    }
                    out.push(x);
                }
                Ok(Bounded(out))
            }
        }
        d.deserialize_seq(V::<T, N>(core::marker::PhantomData))
    }
}

impl<T, const N: usize> Bounded<T, N> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Inclusion,
    Consistency,
    Revocation,
}

/// What every version has: the version (absent in version 1) and the type.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    version: Option<u8>,
    #[serde(rename = "type")]
    kind: Kind,
}

#[derive(Serialize)]
#[serde(untagged)]
enum V2 {
    Inclusion(InclusionV2),
    Consistency(ConsistencyV2),
    Revocation(RevocationV2),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InclusionV2 {
    version: u8,
    #[serde(rename = "type")]
    kind: Kind,
    origin: String,
    leaf_idx: u64,
    tree_size: u64,
    root: String,
    leaf_hash: String,
    proof: Bounded<String, MAX_PROOF_HASHES>,
    receipt: String,
    checkpoint: String,
    #[serde(default, skip_serializing_if = "Bounded::is_empty")]
    consistency_from_trusted: Bounded<String, MAX_PROOF_HASHES>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConsistencyV2 {
    version: u8,
    #[serde(rename = "type")]
    kind: Kind,
    origin: String,
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Bounded<String, MAX_PROOF_HASHES>,
    checkpoint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    old_checkpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Bounded::is_empty")]
    consistency_from_trusted: Bounded<String, MAX_PROOF_HASHES>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EntryV2 {
    index: u64,
    revocation_handle: String,
    issuer: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RevokedJson {
    index: u64,
    receipt: String,
    proof: Bounded<String, MAX_PROOF_HASHES>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RevocationV2 {
    version: u8,
    #[serde(rename = "type")]
    kind: Kind,
    origin: String,
    revocation_handle: String,
    issuer: String,
    checkpoint: String,
    revocations: Bounded<EntryV2, MAX_REVOCATIONS>,
    revoked: Option<RevokedJson>,
    #[serde(default, skip_serializing_if = "Bounded::is_empty")]
    consistency_from_trusted: Bounded<String, MAX_PROOF_HASHES>,
}

/// Version 1 (unversioned), as `causeway ledger prove` wrote it before version 2.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InclusionV1 {
    #[serde(rename = "type")]
    _kind: Kind,
    origin: String,
    #[serde(rename = "leafIdx")]
    leaf_idx: u64,
    #[serde(rename = "treeSize")]
    tree_size: u64,
    root: String,
    #[serde(rename = "leafHash")]
    leaf_hash: String,
    proof: Option<Bounded<String, MAX_PROOF_HASHES>>,
    receipt: String,
    checkpoint: String,
    #[serde(default)]
    consistency_from_trusted: Option<Bounded<String, MAX_PROOF_HASHES>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsistencyV1 {
    #[serde(rename = "type")]
    _kind: Kind,
    origin: String,
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Option<Bounded<String, MAX_PROOF_HASHES>>,
    checkpoint: String,
    #[serde(default)]
    old_checkpoint: Option<String>,
    #[serde(default)]
    consistency_from_trusted: Option<Bounded<String, MAX_PROOF_HASHES>>,
}

/// A version-1 revocation entry: `revocation_handle`, or `attestation_id` in bundles written
/// before issue 11 (the same value; if both are given they must agree).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryV1 {
    index: u64,
    #[serde(default)]
    revocation_handle: Option<String>,
    #[serde(default)]
    attestation_id: Option<String>,
    issuer: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevocationV1 {
    #[serde(rename = "type")]
    _kind: Kind,
    origin: String,
    #[serde(default)]
    revocation_handle: Option<String>,
    #[serde(default)]
    attestation_id: Option<String>,
    issuer: String,
    checkpoint: String,
    revocations: Bounded<EntryV1, MAX_REVOCATIONS>,
    #[serde(default)]
    revoked: Option<RevokedJson>,
    #[serde(default)]
    consistency_from_trusted: Option<Bounded<String, MAX_PROOF_HASHES>>,
}

fn v1_handle(
    revocation_handle: Option<&str>,
    attestation_id: Option<&str>,
) -> Result<RevocationHandle, DecodeError> {
    match (revocation_handle, attestation_id) {
        (Some(h), None) | (None, Some(h)) => handle_in(h),
        (Some(h), Some(a)) if h == a => handle_in(h),
        (Some(_), Some(_)) => Err(invalid("revocation handle (two different values)")),
        (None, None) => Err(invalid("revocation handle (missing)")),
    }
}

fn opt_hashes(h: Option<Bounded<String, MAX_PROOF_HASHES>>) -> Result<Vec<Hash>, DecodeError> {
    h.map_or(Ok(Vec::new()), |b| hashes_in(&b.0))
}

fn revoked_in(r: Option<RevokedJson>) -> Result<Option<RevokedEvidence>, DecodeError> {
    r.map(|r| {
        Ok(RevokedEvidence {
            index: r.index,
            receipt: bytes_in(&r.receipt, "revocation receipt", MAX_RECEIPT_LEN)?,
            inclusion: hashes_in(&r.proof.0)?,
        })
    })
    .transpose()
}

#[allow(clippy::too_many_arguments)]
fn inclusion(
    origin: &str,
    index: u64,
    tree_size: u64,
    root: &str,
    leaf: &str,
    proof: Vec<Hash>,
    receipt: &str,
    checkpoint: &str,
    from_trusted: Vec<Hash>,
) -> Result<ProofBundle, DecodeError> {
    let checkpoint = checkpoint_in(checkpoint, origin)?;
    let cp = checkpoint.checkpoint();
    let receipt = bytes_in(receipt, "receipt", MAX_RECEIPT_LEN)?;
    same(
        tree_size == cp.size,
        "treeSize (differs from the checkpoint)",
    )?;
    same(
        hash_in(root, "root")? == cp.root,
        "root (differs from the checkpoint)",
    )?;
    same(
        hash_in(leaf, "leafHash")? == leaf_hash(&receipt),
        "leafHash (not the receipt's)",
    )?;
    Ok(ProofBundle {
        checkpoint,
        consistency_from_trusted: from_trusted,
        proof: BundleProof::Inclusion {
            index,
            receipt,
            proof,
        },
    })
}

#[allow(clippy::too_many_arguments)]
fn consistency(
    origin: &str,
    size1: u64,
    size2: u64,
    root1: &str,
    root2: &str,
    proof: Vec<Hash>,
    checkpoint: &str,
    old: Option<&str>,
    from_trusted: Vec<Hash>,
) -> Result<ProofBundle, DecodeError> {
    let checkpoint = checkpoint_in(checkpoint, origin)?;
    let cp = checkpoint.checkpoint();
    same(size2 == cp.size, "size2 (differs from the checkpoint)")?;
    same(
        hash_in(root2, "root2")? == cp.root,
        "root2 (differs from the checkpoint)",
    )?;
    same(size1 >= 1 && size1 <= size2, "size1")?;
    Ok(ProofBundle {
        checkpoint,
        consistency_from_trusted: from_trusted,
        proof: BundleProof::Consistency {
            old_size: size1,
            old_root: hash_in(root1, "root1")?,
            proof,
            old_checkpoint: old.map(note_in).transpose()?,
        },
    })
}

impl InclusionV2 {
    fn into_bundle(self) -> Result<ProofBundle, DecodeError> {
        inclusion(
            &self.origin,
            self.leaf_idx,
            self.tree_size,
            &self.root,
            &self.leaf_hash,
            hashes_in(&self.proof.0)?,
            &self.receipt,
            &self.checkpoint,
            hashes_in(&self.consistency_from_trusted.0)?,
        )
    }
}

impl InclusionV1 {
    fn into_bundle(self) -> Result<ProofBundle, DecodeError> {
        inclusion(
            &self.origin,
            self.leaf_idx,
            self.tree_size,
            &self.root,
            &self.leaf_hash,
            opt_hashes(self.proof)?,
            &self.receipt,
            &self.checkpoint,
            opt_hashes(self.consistency_from_trusted)?,
        )
    }
}

impl ConsistencyV2 {
    fn into_bundle(self) -> Result<ProofBundle, DecodeError> {
        consistency(
            &self.origin,
            self.size1,
            self.size2,
            &self.root1,
            &self.root2,
            hashes_in(&self.proof.0)?,
            &self.checkpoint,
            self.old_checkpoint.as_deref(),
            hashes_in(&self.consistency_from_trusted.0)?,
        )
    }
}

impl ConsistencyV1 {
    fn into_bundle(self) -> Result<ProofBundle, DecodeError> {
        consistency(
            &self.origin,
            self.size1,
            self.size2,
            &self.root1,
            &self.root2,
            opt_hashes(self.proof)?,
            &self.checkpoint,
            self.old_checkpoint.as_deref(),
            opt_hashes(self.consistency_from_trusted)?,
        )
    }
}

impl RevocationV2 {
    fn into_bundle(self) -> Result<ProofBundle, DecodeError> {
        let checkpoint = checkpoint_in(&self.checkpoint, &self.origin)?;
        let revocations = self
            .revocations
            .0
            .iter()
            .map(|e| {
                Ok(RevocationEntry {
                    index: e.index,
                    revocation_handle: handle_in(&e.revocation_handle)?.0,
                    issuer: key_id_in(&e.issuer)?,
                })
            })
            .collect::<Result<Vec<_>, DecodeError>>()?;
        Ok(ProofBundle {
            checkpoint,
            consistency_from_trusted: hashes_in(&self.consistency_from_trusted.0)?,
            proof: BundleProof::Revocation {
                revocation_handle: handle_in(&self.revocation_handle)?,
                issuer: key_id_in(&self.issuer)?,
                revocations,
                revoked: revoked_in(self.revoked)?,
            },
        })
    }
}

impl RevocationV1 {
    fn into_bundle(self) -> Result<ProofBundle, DecodeError> {
        let checkpoint = checkpoint_in(&self.checkpoint, &self.origin)?;
        let revocations = self
            .revocations
            .0
            .iter()
            .map(|e| {
                Ok(RevocationEntry {
                    index: e.index,
                    revocation_handle: v1_handle(
                        e.revocation_handle.as_deref(),
                        e.attestation_id.as_deref(),
                    )?
                    .0,
                    issuer: key_id_in(&e.issuer)?,
                })
            })
            .collect::<Result<Vec<_>, DecodeError>>()?;
        Ok(ProofBundle {
            checkpoint,
            consistency_from_trusted: opt_hashes(self.consistency_from_trusted)?,
            proof: BundleProof::Revocation {
                revocation_handle: v1_handle(
                    self.revocation_handle.as_deref(),
                    self.attestation_id.as_deref(),
                )?,
                issuer: key_id_in(&self.issuer)?,
                revocations,
                revoked: revoked_in(self.revoked)?,
            },
        })
    }
}

#[cfg(test)]
#[cfg(feature = "sqlite")]
mod tests {
    use super::*;
    use crate::ledger::receipt::{AttestationEvent, Event};
    use crate::ledger::sqlite::LocalLedger;
    use crate::party::SecretKeys;
    use serde_json::json;

    const ORIGIN: &str = "test.example/log";

    fn keys(seed: u8) -> SecretKeys {
        SecretKeys::from_seeds(&[seed; 32], &[seed ^ 0x33; 32])
    }

    struct Env {
        _dir: tempfile::TempDir,
        l: LocalLedger,
        log: SecretKeys,
        issuer: SecretKeys,
    }

    fn att(e: &Env, handle: [u8; 32], revoke: bool) {
        let ev = AttestationEvent {
            revocation_handle: handle,
            issuer: e.issuer.public().key_id(),
        };
        let ev = if revoke {
            Event::AttestationRevoked(ev)
        } else {
            Event::AttestationIssued(ev)
        };
        e.l.append(&Receipt::new(&e.issuer, ORIGIN, 5, ev).unwrap())
            .unwrap();
    }

    /// Four entries (handle 7 issued and revoked, handle 8 issued), checkpoints at 2 and 4.
    fn env() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let log = keys(1);
        let l = LocalLedger::create(&dir.path().join("l.db"), ORIGIN, &log.public()).unwrap();
        let e = Env {
            _dir: dir,
            l,
            log,
            issuer: keys(2),
        };
        att(&e, [7; 32], false);
        att(&e, [8; 32], false);
        e.l.checkpoint(&e.log).unwrap();
        att(&e, [7; 32], true);
        att(&e, [9; 32], false);
        e.l.checkpoint(&e.log).unwrap();
        e
    }

    fn targets(e: &Env, h: u8) -> Vec<(RevocationHandle, KeyId)> {
        vec![(RevocationHandle([h; 32]), e.issuer.public().key_id())]
    }

    fn bundles(e: &Env) -> Vec<ProofBundle> {
        vec![
            ProofBundle::inclusion_from(&e.l, 1, None).unwrap(),
            ProofBundle::consistency_from(&e.l, 2, None).unwrap(),
            ProofBundle::revocation_from(&e.l, &targets(e, 7), None).unwrap(),
            ProofBundle::revocation_from(&e.l, &targets(e, 8), None).unwrap(),
        ]
    }

    #[test]
    fn round_trip_and_verify() {
        let e = env();
        let key = e.log.public();
        for b in bundles(&e) {
            let text = b.to_json().unwrap();
            assert!(text.contains("\"version\": 2"), "{text}");
            assert!(!text.contains('_'), "one key style (camelCase): {text}");
            let back = ProofBundle::from_json(&text).unwrap();
            assert_eq!(back, b);
            let v = back.verify(&key, Some(ORIGIN), None).unwrap();
            assert_eq!(v.checkpoint.size, 4);
            assert_eq!(v.origin, ORIGIN);
        }
        let [inc, cons, rev, not_rev] = &bundles(&e)[..] else {
            panic!()
        };
        assert!(matches!(
            inc.verify(&key, None, None).unwrap().established,
            Established::Inclusion { index: 1, .. }
        ));
        assert!(matches!(
            cons.verify(&key, None, None).unwrap().established,
            Established::Consistency {
                old_size: 2,
                old_checkpoint_signed: true,
                ..
            }
        ));
        assert!(matches!(
            rev.verify(&key, None, None).unwrap().established,
            Established::Revocation {
                status: RevocationStatus::Revoked { index: 2, .. },
                ..
            }
        ));
        assert!(matches!(
            not_rev.verify(&key, None, None).unwrap().established,
            Established::Revocation {
                status: RevocationStatus::NotRevoked { as_of_size: 4 },
                ..
            }
        ));
        assert!(not_rev.revocation_proof().is_some());
        assert!(inc.revocation_proof().is_none());
    }

    /// Flipping any bit of any byte of a bundle's text makes it fail to parse, fail to
    /// verify, or parse to the very same bundle (e.g. JSON whitespace).
    #[test]
    fn a_changed_byte_anywhere_is_refused() {
        let e = env();
        let key = e.log.public();
        for b in bundles(&e) {
            let text = b.to_json().unwrap();
            let bytes = text.as_bytes();
            for i in 0..bytes.len() {
                let mut m = bytes.to_vec();
                m[i] ^= 0x01;
                match ProofBundle::from_slice(&m) {
                    Err(_) => {}
                    Ok(p) if p == b => {}
                    Ok(p) => match p.verify(&key, None, None) {
                        Err(_) => {}
                        // The question a revocation bundle asks is not evidence: another
                        // handle or issuer gets its own (true) answer from the complete list,
                        // never the original's.
                        Ok(VerifiedBundle {
                            established:
                                Established::Revocation {
                                    revocation_handle,
                                    issuer,
                                    status: RevocationStatus::NotRevoked { .. },
                                },
                            ..
                        }) if (revocation_handle.0, issuer)
                            != ([8; 32], e.issuer.public().key_id()) => {}
                        Ok(v) => panic!(
                            "byte {i} of a {} bundle changed and it still verifies: {v:?}",
                            b.kind()
                        ),
                    },
                }
            }
        }
    }

    #[test]
    fn another_logs_key_or_origin_is_refused() {
        let e = env();
        for b in bundles(&e) {
            assert_eq!(
                b.verify(&keys(9).public(), None, None).unwrap_err(),
                LedgerError::Verify(LogVerifyError::BadSignature)
            );
            assert!(b
                .verify(&e.log.public(), Some("other.example/log"), None)
                .is_err());
        }
    }

    /// Review finding: with no origin pinned, the bundle named the origin it was checked
    /// against, so a bundle from another log run under the same key verified. The result now
    /// says where the origin came from, and a pinned origin (explicit or from a trusted
    /// checkpoint) refuses the other log's bundle.
    #[test]
    fn another_log_under_the_same_key_is_refused_once_the_origin_is_pinned() {
        let e = env();
        let key = e.log.public();
        let dir = tempfile::tempdir().unwrap();
        let other_origin = "other.example/log";
        let other = LocalLedger::create(&dir.path().join("o.db"), other_origin, &key).unwrap();
        let ev = AttestationEvent {
            revocation_handle: [7; 32],
            issuer: e.issuer.public().key_id(),
        };
        for _ in 0..2 {
            other
                .append(
                    &Receipt::new(
                        &e.issuer,
                        other_origin,
                        5,
                        Event::AttestationIssued(ev.clone()),
                    )
                    .unwrap(),
                )
                .unwrap();
        }
        other.checkpoint(&e.log).unwrap();
        let b = ProofBundle::inclusion_from(&other, 1, None).unwrap();
        // nothing pinned: it verifies, and the result says the bundle alone named the origin
        let v = b.verify(&key, None, None).unwrap();
        assert_eq!(v.origin, other_origin);
        assert_eq!(v.origin_source, OriginSource::Bundle);
        assert!(!v.origin_source.is_pinned());
        // pinned by the caller or by a trusted checkpoint of our log: refused
        // (the note's signature names the origin it was signed for, so it is refused there)
        assert!(matches!(
            b.verify(&key, Some(ORIGIN), None).unwrap_err(),
            LedgerError::Verify(LogVerifyError::BadSignature | LogVerifyError::WrongOrigin)
        ));
        let ours = ProofBundle::inclusion_from(&e.l, 1, None).unwrap();
        assert!(b.verify(&key, None, Some(&ours.checkpoint)).is_err());
        // our own bundle: the origin's source is reported truthfully
        let v = ours.verify(&key, Some(ORIGIN), None).unwrap();
        assert_eq!(v.origin_source, OriginSource::Caller);
        let v = ours.verify(&key, None, Some(&ours.checkpoint)).unwrap();
        assert_eq!(
            (v.origin.as_str(), v.origin_source),
            (ORIGIN, OriginSource::TrustedCheckpoint)
        );
    }

    /// Review finding: a consistency bundle without the signed old checkpoint verified, though
    /// its old root is only the prover's word. It is refused now (decision 0063), and the
    /// prover does not make one.
    #[test]
    fn consistency_without_a_signed_old_checkpoint_is_refused() {
        let e = env();
        let key = e.log.public();
        let mut b = ProofBundle::consistency_from(&e.l, 2, None).unwrap();
        assert!(b.verify(&key, Some(ORIGIN), None).is_ok());
        let BundleProof::Consistency { old_checkpoint, .. } = &mut b.proof else {
            panic!()
        };
        *old_checkpoint = None;
        let e2 = b.verify(&key, Some(ORIGIN), None).unwrap_err();
        assert_eq!(
            e2,
            LedgerError::Verify(LogVerifyError::UnauthenticatedOldRoot { size: 2 })
        );
        assert_eq!(
            crate::Error::from(e2).code(),
            "log.unauthenticated_old_root"
        );
        // read back from JSON (as a version-2 file without oldCheckpoint): same refusal
        let back = ProofBundle::from_json(&b.to_json().unwrap()).unwrap();
        assert!(back.verify(&key, Some(ORIGIN), None).is_err());
        // no stored checkpoint of size 3: no bundle
        assert_eq!(
            ProofBundle::consistency_from(&e.l, 3, None).unwrap_err(),
            LedgerError::NoCheckpoint
        );
    }

    /// Issue 10 leftover: a revocation proof carries its checkpoint as the parsed
    /// `SignedCheckpoint`, while the formats carry the same note text as before.
    #[test]
    fn revocation_proof_carries_the_parsed_signed_checkpoint() {
        let e = env();
        let b = ProofBundle::revocation_from(&e.l, &targets(&e, 7), None).unwrap();
        let p = b.revocation_proof().unwrap();
        assert_eq!(p.checkpoint, b.checkpoint);
        assert_eq!(p.checkpoint.checkpoint().size, 4);
        let stored =
            e.l.revocation_proof(&[7; 32], &e.issuer.public().key_id(), None)
                .unwrap();
        assert_eq!(
            stored.checkpoint.note(),
            e.l.latest_checkpoint().unwrap().unwrap()
        );
        let v: serde_json::Value = serde_json::from_str(&b.to_json().unwrap()).unwrap();
        assert_eq!(v["checkpoint"], p.checkpoint.note());
    }

    #[test]
    fn consistency_with_another_old_root_is_refused() {
        let e = env();
        let key = e.log.public();
        let mut b = ProofBundle::consistency_from(&e.l, 2, None).unwrap();
        let BundleProof::Consistency { old_root, .. } = &mut b.proof else {
            panic!()
        };
        old_root[0] ^= 1;
        assert_eq!(
            b.verify(&key, None, None).unwrap_err(),
            LedgerError::Verify(LogVerifyError::InvalidProof)
        );
        // The right root and proof, but an old checkpoint (signed by the log key) of another
        // tree: the old checkpoint must say the same root.
        let mut b = ProofBundle::consistency_from(&e.l, 2, None).unwrap();
        let other = Checkpoint {
            origin: ORIGIN.into(),
            size: 2,
            root: [5; 32],
            extensions: vec![],
        };
        let BundleProof::Consistency { old_checkpoint, .. } = &mut b.proof else {
            panic!()
        };
        *old_checkpoint = Some(SignedCheckpoint::sign(&other, ORIGIN, &e.log).unwrap());
        assert_eq!(
            b.verify(&key, None, None).unwrap_err(),
            LedgerError::Verify(LogVerifyError::Inconsistent)
        );
        // An old checkpoint signed by someone else.
        let BundleProof::Consistency { old_checkpoint, .. } = &mut b.proof else {
            panic!()
        };
        let real = Checkpoint::open(&e.l.checkpoint_at(2).unwrap().unwrap(), ORIGIN, &key).unwrap();
        *old_checkpoint = Some(SignedCheckpoint::sign(&real, ORIGIN, &keys(9)).unwrap());
        assert_eq!(
            b.verify(&key, None, None).unwrap_err(),
            LedgerError::Verify(LogVerifyError::BadSignature)
        );
    }

    #[test]
    fn revocation_bundle_with_another_note_than_the_trusted_one() {
        let e = env();
        let key = e.log.public();
        let b = ProofBundle::revocation_from(&e.l, &targets(&e, 7), None).unwrap();
        // The operator signs a second note of the same tree with an empty revocation line.
        let mut evil_cp = b.checkpoint.checkpoint().clone();
        evil_cp.extensions = vec![Checkpoint::revocations_line(0, &[0; 32])];
        let evil = SignedCheckpoint::sign(&evil_cp, ORIGIN, &e.log).unwrap();
        let forged = ProofBundle::new(
            evil.clone(),
            BundleProof::Revocation {
                revocation_handle: RevocationHandle([7; 32]),
                issuer: e.issuer.public().key_id(),
                revocations: vec![],
                revoked: None,
            },
        );
        // On its own (trust on first use) it says "not revoked" ...
        assert!(forged.verify(&key, None, None).is_ok());
        // ... but not against the trusted honest note, nor through a client that trusts it.
        assert_eq!(
            forged.verify(&key, None, Some(&b.checkpoint)).unwrap_err(),
            LedgerError::Verify(LogVerifyError::Equivocation { size: 4 })
        );
        let client = b.client(&key, None, None).unwrap();
        assert_eq!(
            forged.verify_with(&client).unwrap_err(),
            LedgerError::Verify(LogVerifyError::Equivocation { size: 4 })
        );
        // A bundle naming the honest note with the forged list fails the chain check.
        let mut lying = b.clone();
        let BundleProof::Revocation {
            revocations,
            revoked,
            ..
        } = &mut lying.proof
        else {
            panic!()
        };
        revocations.clear();
        *revoked = None;
        assert!(matches!(
            lying.verify(&key, None, Some(&b.checkpoint)).unwrap_err(),
            LedgerError::Verify(LogVerifyError::InvalidRevocationProof(_))
        ));
    }

    #[test]
    fn trusted_checkpoint_needs_consistency_and_refuses_rollback() {
        let e = env();
        let key = e.log.public();
        let old =
            SignedCheckpoint::open(&e.l.checkpoint_at(2).unwrap().unwrap(), ORIGIN, &key).unwrap();
        let mut b = ProofBundle::inclusion_from(&e.l, 1, None).unwrap();
        assert_eq!(
            b.verify(&key, None, Some(&old)).unwrap_err(),
            LedgerError::Verify(LogVerifyError::Inconsistent)
        );
        b.consistency_from_trusted = e.l.consistency_proof(2, 4).unwrap();
        let text = b.to_json().unwrap();
        assert!(text.contains("consistencyFromTrusted"));
        let b = ProofBundle::from_json(&text).unwrap();
        assert!(b.verify(&key, None, Some(&old)).is_ok());
        // A bundle against the old checkpoint, with the new one trusted: rollback.
        let stale = ProofBundle::inclusion_from(&e.l, 1, Some(2)).unwrap();
        assert!(matches!(
            stale.verify(&key, None, Some(&b.checkpoint)).unwrap_err(),
            LedgerError::Verify(LogVerifyError::Rollback { .. })
        ));
        // Replayed as is against the same trusted checkpoint: fine (same answer).
        assert!(stale.verify(&key, None, Some(&old)).is_ok());
    }

    /// The unversioned bundles `causeway ledger prove` wrote before version 2 still parse to
    /// the same bundle (built here exactly as the CLI built them).
    #[test]
    fn version_1_bundles_still_read() {
        let e = env();
        let key = e.log.public();
        let b64 = |h: &[u8]| STANDARD.encode(h);
        let hashes = |p: &[Hash]| p.iter().map(|h| b64(h)).collect::<Vec<_>>();
        let note = e.l.latest_checkpoint().unwrap().unwrap();
        let cp = Checkpoint::open(&note, ORIGIN, &key).unwrap();
        let receipt = e.l.entry(1).unwrap();
        let proof = e.l.inclusion_proof(1, 4).unwrap();
        let v1 = json!({
            "type": "inclusion", "origin": ORIGIN,
            "leafIdx": 1, "treeSize": 4, "root": b64(&cp.root),
            "leafHash": b64(&leaf_hash(&receipt)), "proof": hashes(&proof),
            "receipt": b64(&receipt), "checkpoint": note,
        });
        let got = ProofBundle::from_json(&serde_json::to_string_pretty(&v1).unwrap()).unwrap();
        assert_eq!(got, ProofBundle::inclusion_from(&e.l, 1, None).unwrap());
        let v1 = json!({
            "type": "consistency", "origin": ORIGIN,
            "size1": 2, "size2": 4,
            "root1": b64(&e.l.root_at(2).unwrap()), "root2": b64(&cp.root),
            "proof": hashes(&e.l.consistency_proof(2, 4).unwrap()), "checkpoint": note,
            "old_checkpoint": e.l.checkpoint_at(2).unwrap(),
        });
        let got = ProofBundle::from_json(&v1.to_string()).unwrap();
        assert_eq!(got, ProofBundle::consistency_from(&e.l, 2, None).unwrap());
        let issuer = e.issuer.public().key_id();
        let p = e.l.revocation_proof(&[7; 32], &issuer, None).unwrap();
        let r = p.revoked.clone().unwrap();
        // Before issue 11 the handle was named `attestation_id`.
        let v1 = json!({
            "type": "revocation", "origin": ORIGIN,
            "attestation_id": hex::encode([7u8; 32]), "issuer": issuer.to_string(),
            "checkpoint": p.checkpoint.note(),
            "revocations": p.revocations.iter().map(|e| json!({
                "index": e.index, "attestation_id": hex::encode(e.revocation_handle),
                "issuer": e.issuer.to_string(),
            })).collect::<Vec<_>>(),
            "revoked": { "index": r.index, "receipt": b64(&r.receipt), "proof": hashes(&r.inclusion) },
        });
        let got = ProofBundle::from_json(&v1.to_string()).unwrap();
        assert_eq!(
            got,
            ProofBundle::revocation_from(&e.l, &targets(&e, 7), None).unwrap()
        );
        assert!(got.verify(&key, None, None).is_ok());
    }

    #[test]
    fn strict_parsing_and_limits() {
        let e = env();
        let b = ProofBundle::inclusion_from(&e.l, 1, None).unwrap();
        let text = b.to_json().unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let parse = |v: &serde_json::Value| ProofBundle::from_json(&v.to_string());
        assert!(parse(&v).is_ok());
        // Unknown member, unknown version, unknown type.
        let mut w = v.clone();
        w["extra"] = json!(1);
        assert!(matches!(parse(&w), Err(DecodeError::Json(_))));
        let mut w = v.clone();
        w["version"] = json!(3);
        assert_eq!(
            parse(&w).unwrap_err(),
            DecodeError::UnsupportedVersion { found: 3 }
        );
        let mut w = v.clone();
        w["type"] = json!("other");
        assert!(parse(&w).is_err());
        // A repeated member.
        let dup = text.replacen("\"leafIdx\": 1,", "\"leafIdx\": 1, \"leafIdx\": 0,", 1);
        assert_ne!(dup, text);
        assert!(ProofBundle::from_json(&dup).is_err());
        // Redundant members must agree with the checkpoint and the receipt.
        for (k, bad) in [
            ("treeSize", json!(3)),
            ("origin", json!("other.example/log")),
            ("root", json!(b64(&[0; 32]))),
            ("leafHash", json!(b64(&[0; 32]))),
        ] {
            let mut w = v.clone();
            w[k] = bad;
            assert!(matches!(parse(&w), Err(DecodeError::Invalid { .. })), "{k}");
        }
        // Too many proof hashes: refused while reading.
        v["proof"] = json!(vec![b64(&[0; 32]); MAX_PROOF_HASHES + 1]);
        assert!(matches!(parse(&v), Err(DecodeError::Json(m)) if m.contains("more than")));
        // Non-canonical base64 (trailing bits) and upper-case hex.
        let mut w: serde_json::Value = serde_json::from_str(&text).unwrap();
        let root = w["root"].as_str().unwrap().to_owned();
        let mut c: Vec<char> = root.chars().collect();
        let n = c.len() - 2;
        c[n] = if c[n] == 'A' { 'B' } else { 'A' };
        w["root"] = json!(c.into_iter().collect::<String>());
        assert!(parse(&w).is_err());
        let r = ProofBundle::revocation_from(&e.l, &targets(&e, 7), None)
            .unwrap()
            .to_json()
            .unwrap();
        let id = e.issuer.public().key_id().to_string();
        let upper = r.replace(&id, &id.to_uppercase());
        assert_ne!(upper, r);
        assert!(ProofBundle::from_json(&upper).is_err());
        // Too long, before parsing.
        let big = " ".repeat(MAX_BUNDLE_LEN + 1);
        assert!(matches!(
            ProofBundle::from_slice(big.as_bytes()),
            Err(DecodeError::TooLong { .. })
        ));
        assert!(matches!(
            ProofBundle::from_slice(b"\xff{}"),
            Err(DecodeError::InvalidUtf8 { .. })
        ));
        // Building from a ledger: typed errors.
        assert_eq!(
            ProofBundle::inclusion_from(&e.l, 4, None).unwrap_err(),
            LedgerError::OutOfRange { index: 4, size: 4 }
        );
        assert_eq!(
            ProofBundle::inclusion_from(&e.l, 0, Some(3)).unwrap_err(),
            LedgerError::NoCheckpoint
        );
        assert!(ProofBundle::consistency_from(&e.l, 0, None).is_err());
        assert!(ProofBundle::revocation_from(&e.l, &[], None).is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(s in "(?s).{0,400}") {
            let _ = ProofBundle::from_json(&s);
            let wrapped = format!("{{\"version\":2,\"type\":\"revocation\",{s}}}");
            let _ = ProofBundle::from_json(&wrapped);
        }
    }
}
