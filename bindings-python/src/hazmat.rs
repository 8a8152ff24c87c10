//! `causeway.hazmat`: raw primitives of core for test vectors and interoperability, not for
//! applications (which use presentations). Today: verifying a raw aggregated range proof
//! (`causeway::range::verify`) under the fixed transcript of the shared range vectors.

use crate::convert::bytes_arg;
use crate::errors::{cw, guard};
use causeway::commit::RangeCommitment;
use causeway::range::{self, AggregateRangeProof, RangeClaim, Transcript};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The merlin transcript label of the raw range-proof vectors (`tests/vectors/range`).
const RANGE_VECTOR_LABEL: &[u8] = b"causeway-range vector";
/// Longest claim list copied from Python (core caps the aggregation far lower, with its own
/// error).
const MAX_CLAIM_ARGS: usize = 1024;

/// Verifies a raw aggregated range proof (`causeway::range::verify`) for `claims`, each
/// `(commitment, lo, hi)` (a 32-byte Ristretto commitment, inclusive `int` bounds or `None`),
/// on the transcript the range vectors use: merlin `Transcript::new(b"causeway-range vector")`,
/// then `append_message(b"challenge", challenge)`. Returns `None` or raises what Rust
/// gives: `DecodeError` for malformed proof or commitment bytes, `VerificationError` (code
/// `verify.proof`) for a proof that does not verify, `MalformedError` for an invalid
/// statement (an empty range, no bound).
#[pyfunction]
#[pyo3(signature = (*, challenge, claims, proof))]
pub(crate) fn verify_range_vector(
    py: Python<'_>,
    challenge: &Bound<'_, PyAny>,
    claims: &Bound<'_, PyAny>,
    proof: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let challenge = bytes_arg(challenge, "challenge", false)?;
    let proof = bytes_arg(proof, "proof", false)?;
    if claims.len()? > MAX_CLAIM_ARGS {
        return Err(PyValueError::new_err(format!(
            "more than {MAX_CLAIM_ARGS} claims"
        )));
    }
    let mut parsed = Vec::new();
    for item in claims.try_iter()? {
        let item = item?;
        let t = item
            .cast::<PyTuple>()
            .map_err(|_| PyTypeError::new_err("each claim must be a tuple (commitment, lo, hi)"))?;
        if t.len() != 3 {
            return Err(PyTypeError::new_err(
                "each claim must be a tuple (commitment, lo, hi)",
            ));
        }
        let c = bytes_arg(&t.get_item(0)?, "commitment", false)?;
        let c: [u8; 32] = c.as_slice().try_into().map_err(|_| {
            cw(
                py,
                causeway::error::DecodeError::Invalid {
                    what: "range commitment (not 32 bytes)",
                },
            )
        })?;
        let commitment = RangeCommitment::from_bytes(&c).map_err(|e| cw(py, e))?;
        let lo: Option<i64> = t.get_item(1)?.extract()?;
        let hi: Option<i64> = t.get_item(2)?.extract()?;
        parsed.push(RangeClaim { commitment, lo, hi });
    }
    let challenge = challenge.as_slice();
    let proof = proof.as_slice();
    guard(py, || {
        py.detach(|| {
            let p = AggregateRangeProof::from_bytes(proof).map_err(causeway::Error::from)?;
            let mut t = Transcript::new(RANGE_VECTOR_LABEL);
            t.append_message(b"challenge", challenge);
            range::verify(&mut t, &parsed, &p).map_err(causeway::Error::from)
        })
        .map_err(|e| cw(py, e))
    })
}
