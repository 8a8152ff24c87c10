//! Typed errors of this crate.

use thiserror::Error;

/// A field element could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FieldError {
    /// The encoding is not the canonical one (the integer is not below the field modulus r).
    #[error("field element is not canonical (not below the modulus)")]
    NonCanonical,
}

/// A Poseidon hash could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PoseidonError {
    /// The number of inputs is outside 1..=[`crate::poseidon::MAX_INPUTS`].
    #[error("poseidon takes 1 to 16 inputs, got {got}")]
    InputCount {
        /// How many inputs were given.
        got: usize,
    },
}

/// A Merkle tree or path operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MerkleError {
    /// The depth exceeds [`crate::merkle::MAX_DEPTH`].
    #[error("merkle depth {depth} exceeds the maximum of 32")]
    DepthTooLarge {
        /// The requested depth.
        depth: usize,
    },
    /// More leaves than a tree of this depth holds.
    #[error("too many leaves for the tree depth")]
    TooManyLeaves,
    /// The leaf index is outside the tree.
    #[error("leaf index outside the tree")]
    IndexOutOfRange,
}
