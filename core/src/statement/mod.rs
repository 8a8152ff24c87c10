//! Statements: predicates over attested numeric fields, and their proofs.
//!
//! One [`Statement`] type covers a range `[a, b]`, `≥`, `≤`, `>`, `<`, `=` and `≠` over signed
//! integers, fixed-point decimals (bounds given as decimals, rescaled exactly to the field's
//! scale; inexact bounds are refused) and dates (days), about one field of one attestation or
//! about the sum of one field over several attestations (Pedersen commitments add up).
//!
//! Proofs, all on the attested Pedersen commitments `C = v·B + r·B_blinding`:
//! - range kinds: one aggregated Bulletproofs proof for all of them ([`crate::range`]);
//! - `= c`: a Schnorr proof of knowledge of `r` with `C − c·B = r·B_blinding`;
//! - `≠ c`: a proof of knowledge of `(α, β)` with `α·(C − c·B) − β·B_blinding = B`, which only
//!   exists when `v ≠ c` (then `α = (v − c)⁻¹`, `β = α·r`); otherwise it would give the discrete
//!   logarithm of `B` to the base `B_blinding`.
//!
//! Every proof runs on one merlin transcript that first binds (in [`crate::presentation`]) the
//! protocol label, the verifier's challenge, the attestations' ids and the holder; then each
//! statement (kind, field, attestation indices, bounds resolved at the field's scale, every
//! commitment it uses).
//!
//! Text syntax ([`Statement::parse`] / `Display`): `score >= 700`, `income in [50000, 120000]`,
//! `dob < 2008-11-21`, `score@1 != 0`, `sum(amount) >= 1000000`, `sum(amount@0,2) <= 5.5`.
//!
//! Layout (decision 0055): the statement language (`Statement`, `Predicate`, `Bound`, text
//! syntax and canonical bytes) in `language`; the one resolve step both back-ends run (the
//! terms check and the resolution of a statement's terms against the attestations) in
//! `resolve`; the Bulletproofs / sigma back-end in `bulletproofs`. The Groth16 back-end is
//! [`crate::snark::statements`] and membership [`crate::snark::membership`] (re-exported here).

use crate::attest::{Attestation, AttestedRecord};
use crate::commit::{
    pedersen_gens, random_scalar, scalar_from_canonical, scalar_from_i64, NumericKind,
    RangeCommitment,
};
use crate::encoding::{put_bytes_u16, Reader};
use crate::error::{DecodeError, ProveError, StatementError, VerifyError};
use crate::range::{self, AggregateRangeProof, RangeClaim, RangeWitness};
use crate::record::{Date, Decimal, MAX_NAME_LEN};
use core::fmt;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

mod bulletproofs;
mod language;
mod resolve;
#[cfg(test)]
mod tests;

pub(crate) use bulletproofs::{append, prove_statements_metered};
pub use bulletproofs::{
    prove_statements, verify_statements, EqualityProof, InequalityProof, StatementProofs,
    MAX_RANGE_PROOF_LEN,
};
pub use language::{Bound, Predicate, Resolved, Statement};
pub(crate) use resolve::{resolve_terms, TermsError};

pub use crate::snark::membership::{
    identity_leaf, prove_membership, verify_membership, MembershipProof, MembershipStatement,
    MembershipWitness,
};

/// Most attestations one sum statement adds up.
pub const MAX_SUM_TERMS: usize = 64;

pub use crate::proof::Backend;

// `Backend` lives at the bottom of the crate (`crate::proof`, decision 0045); its parser stays
// here, next to the error it returns.
impl core::str::FromStr for Backend {
    type Err = DecodeError;
    fn from_str(s: &str) -> Result<Self, DecodeError> {
        match s {
            "bulletproofs" => Ok(Backend::Bulletproofs),
            "groth16" => Ok(Backend::Groth16),
            _ => Err(DecodeError::Invalid {
                what: "back-end (bulletproofs or groth16)",
            }),
        }
    }
}
