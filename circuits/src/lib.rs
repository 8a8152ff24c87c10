//! Native BN254 building blocks shared by Causeway's commitments and (later) its Groth16 circuits.
//!
//! - [`poseidon`]: the Poseidon hash with circomlib's parameters (x^5 S-box, 8 full rounds,
//!   circomlib's partial-round counts, Grain-generated constants and Cauchy MDS matrices), so
//!   outputs equal circomlib / circomlibjs `poseidon` for 1 to 16 inputs.
//! - [`merkle`]: a fixed-depth binary Poseidon Merkle tree (empty leaves are zero).
//! - [`field`]: strict encodings of field elements at the boundary.
//! - R1CS gadgets beside their native mirrors (arkworks `ark-r1cs-std`):
//!   [`poseidon::gadget`] (240 constraints for t = 3) and [`merkle::gadget`] (242 per level).
//!
//! This crate has no dependency on `causeway` (core); core re-exports it.
#![cfg_attr(docsrs, feature(doc_auto_cfg))]
#![deny(missing_docs)]

pub mod cmp;
pub mod error;
pub mod field;
pub mod merkle;
pub mod poseidon;
pub mod statements;

pub use ark_bn254::Fr;
pub use error::{FieldError, MerkleError, PoseidonError};
