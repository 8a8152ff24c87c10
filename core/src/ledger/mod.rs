//! The ledger: an append-only Merkle log (RFC 9162 hashing) of signed receipts, with inclusion
//! and consistency proofs and signed checkpoints (C2SP signed-note format).
//!
//! Everything a verifier needs ([`merkle`], [`proof`], [`checkpoint`], [`receipt`],
//! [`revocation`], [`client`], proof [`bundle`]s and the [`source::LedgerSource`] trait they
//! are built from) is plain Rust without storage, so it builds for wasm32. The
//! SQLite store, [`sqlite::LocalLedger`], is behind the `sqlite` feature (on with `native`).

pub mod bundle;
pub mod checkpoint;
pub mod client;
pub mod merkle;
pub mod proof;
pub mod query;
pub mod receipt;
pub mod revocation;
pub mod source;
#[cfg(feature = "sqlite")]
pub mod sqlite;

pub use bundle::{BundleProof, Established, OriginSource, ProofBundle, VerifiedBundle};
pub use checkpoint::{Checkpoint, SignedCheckpoint};
pub use client::{LedgerClient, LedgerRevocations};
pub use merkle::{empty_root, leaf_hash, node_hash, Frontier, Hash};
pub use proof::{
    consistency_proof, inclusion_proof, verify_consistency, verify_inclusion, NodeSource,
};
pub use receipt::{Event, Receipt, ReceiptJson};
pub use revocation::{RevocationProof, RevocationStatus};
pub use source::LedgerSource;
#[cfg(feature = "sqlite")]
pub use sqlite::{AuditReport, GroupCommitter, LocalLedger};
