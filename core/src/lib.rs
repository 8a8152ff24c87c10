#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]
#![deny(missing_docs)]

pub mod attest;
pub mod commit;
pub mod encoding;
pub mod error;
pub mod ledger;
pub mod party;
pub mod presentation;
pub mod range;
pub mod record;
pub mod seal;
pub mod snark;
pub mod statement;
#[cfg(test)]
mod test_util;

pub use error::Error;

/// BN254 primitives: circomlib Poseidon, Poseidon Merkle trees, strict field encodings.
pub use causeway_circuits as circuits;
