//! # Map of the crate
//!
//! | module | what it holds |
//! |--------|---------------|
//! | [`party`] | parties and their keys (Ed25519 signing, X25519 encryption), key ids, rotation, text and JWK forms |
//! | [`record`] | typed records (int, decimal, date, string, bytes, bool) under a schema; the one value type table |
//! | [`seal`] | sealed records and streams: one content key, wrapped per recipient, standard JWE; grant, revoke, re-seal |
//! | [`commit`] | Pedersen commitments (Ristretto), Poseidon leaves and record trees (BN254) |
//! | [`attest`] | attestations: an issuer's signed commitments to a holder's record; revocation lists; the clock |
//! | [`statement`] | statements (`score >= 700`, `sum(amount) >= t`, …): `language.rs` the statement language, `resolve.rs` the one resolve step both back-ends run, `bulletproofs.rs` the Bulletproofs and sigma back-end (the Groth16 back-end is [`snark::statements`], membership [`snark::membership`]) |
//! | [`range`] | aggregated Bulletproofs range proofs with arbitrary bounds, batch verification |
//! | [`proof`] | the bottom of the prove path: the two back-ends ([`proof::Backend`]), the verifier's [`proof::Challenge`] and proving progress ([`proof::Progress`], decision 0088); imports nothing from the crate |
//! | [`presentation`] | presentations: what a holder shows a verifier (disclosures, proven statements); files: `mod.rs` create/verify, `wire.rs` bytes, `json.rs` typed JSON views, `builder.rs`, `policy.rs` verifier policies, [`presentation::hazmat`] |
//! | [`snark`] | Groth16 on BN254: circuits, keys and key rings (from a directory or from bytes), the presentation back-end, snarkjs interop and exports ([`snark::export`]), membership ([`snark::membership`]), the Solidity verifier generator ([`snark::solidity`], re-exported as `anchor::verifier`) |
//! | [`ledger`] | the tamper-evident ledger: signed receipts, RFC 9162 Merkle proofs, C2SP checkpoints, revocation state, proof bundles |
//! | [`anchor`] | anchoring checkpoints on EVM chains: the anchoring workflow, anchor receipts (the Solidity verifier generator is re-exported from `snark`) |
//! | [`evidence`] | evidence storage: notarised content (ledger event kind 7), optionally sealed for named parties; evidence certificates verified offline or on chain |
//! | [`trace`] | product traceability: trace events (ledger receipts of kind 8) chained per product, trust policies, provenance bundles verified offline |
//! | [`encoding`] | canonical binary encodings: headers, tags, strict readers, base64url |
//! | [`wire`] | one [`wire::Wire`] trait for every wire type; [`wire::sniff`] and [`wire::decode_any`] tell binary from text and one type from another |
//! | [`error`] | one error type with stable codes and kinds ([`Error::code`], [`Error::kind`]) |
//! | `testing` | (feature `testing`) a deterministic RNG and record fixtures for tests |
//! | [`circuits`] | BN254 primitives: circomlib Poseidon, Poseidon Merkle trees, strict field encodings |
//!
//! Wire formats: `docs/spec/`; the mathematics of the proofs: `docs/notes/`; decisions:
//! `docs/decisions/` (index: `docs/README.md`).
//!
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]
#![deny(missing_docs)]

pub mod anchor;
pub mod attest;
pub mod commit;
pub mod encoding;
pub mod error;
pub mod evidence;
pub mod ledger;
pub mod party;
pub mod presentation;
pub mod proof;
pub mod range;
pub mod record;
pub mod seal;
pub mod snark;
pub mod statement;
#[cfg(test)]
mod test_util;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod trace;
pub mod wire;

pub use error::Error;

/// BN254 primitives: circomlib Poseidon, Poseidon Merkle trees, strict field encodings.
pub use causeway_circuits as circuits;
