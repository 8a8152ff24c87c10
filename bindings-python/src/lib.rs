//! `causeway._native`: the Rust half of the `causeway` Python package.
//!
//! A thin layer over the `causeway` crate (DESIGN.md: bindings add no logic that core lacks):
//! argument conversion, GIL release around the cryptography, and the error boundary. The
//! public Python API is `bindings-python/python/causeway/`; the exception classes are defined
//! in Python (`causeway.errors`) and chosen from core's stable error code and kind.

mod attest;
mod convert;
mod errors;
mod frame;
mod hazmat;
mod ledger;
mod party;
mod presentation;
mod record;
mod render;
mod seal;
mod snark;
mod stream;
mod stream_io;

use pyo3::prelude::*;

/// The extension module `causeway._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<party::PyPublicKeys>()?;
    m.add_class::<party::PyParty>()?;
    m.add_class::<record::PyRecord>()?;
    m.add_class::<seal::PySealed>()?;
    m.add_class::<seal::PyOpened>()?;
    m.add_function(wrap_pyfunction!(seal::seal, m)?)?;
    m.add_function(wrap_pyfunction!(seal::open, m)?)?;
    m.add_function(wrap_pyfunction!(seal::open_foreign_jwe, m)?)?;
    m.add_function(wrap_pyfunction!(seal::grant, m)?)?;
    m.add_function(wrap_pyfunction!(seal::revoke, m)?)?;
    m.add_function(wrap_pyfunction!(seal::inspect, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_codes, m)?)?;
    // Streams, attestations, statements, presentations, Groth16, membership, the ledger and
    // anchor receipts (issue 12, the rest of core's safe API).
    m.add(
        "_seal_stream_io",
        wrap_pyfunction!(stream::seal_stream_io, m)?,
    )?;
    m.add(
        "_open_stream_io",
        wrap_pyfunction!(stream::open_stream_io, m)?,
    )?;
    m.add_class::<attest::PyAttestation>()?;
    m.add_class::<attest::PyAttestedRecord>()?;
    m.add_class::<attest::PyRevocationList>()?;
    m.add_class::<attest::PyStatement>()?;
    m.add_function(wrap_pyfunction!(attest::attest, m)?)?;
    m.add_function(wrap_pyfunction!(attest::attest_rows, m)?)?;
    m.add_class::<presentation::PyPresentation>()?;
    m.add_class::<presentation::PyVerified>()?;
    m.add_function(wrap_pyfunction!(presentation::present, m)?)?;
    m.add_function(wrap_pyfunction!(presentation::new_challenge, m)?)?;
    m.add_class::<snark::PyKeyRing>()?;
    m.add_class::<snark::PyVerifyingKey>()?;
    m.add_class::<snark::PyGroth16Export>()?;
    m.add_class::<snark::PyMemberSecret>()?;
    m.add_function(wrap_pyfunction!(snark::membership_root, m)?)?;
    m.add(
        "prove_membership",
        wrap_pyfunction!(snark::prove_membership_py, m)?,
    )?;
    m.add(
        "verify_membership",
        wrap_pyfunction!(snark::verify_membership_py, m)?,
    )?;
    m.add_function(wrap_pyfunction!(snark::read_key_manifest, m)?)?;
    m.add_class::<ledger::PyReceipt>()?;
    m.add_class::<ledger::PyLedger>()?;
    m.add_class::<ledger::PyAuditReport>()?;
    m.add_class::<ledger::PyVerifiedBundle>()?;
    m.add_class::<ledger::PyVerifiedAnchor>()?;
    m.add_function(wrap_pyfunction!(ledger::verify_bundle, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::verify_inclusion, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::verify_consistency, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::merkle_leaf_hash, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::verify_anchor_receipt, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::open_checkpoint, m)?)?;
    m.add_function(wrap_pyfunction!(frame::seal_table, m)?)?;
    m.add_function(wrap_pyfunction!(frame::seal_table_written, m)?)?;
    m.add_class::<frame::PyTableSink>()?;
    m.add_function(wrap_pyfunction!(hazmat::verify_range_vector, m)?)?;
    m.add_function(wrap_pyfunction!(frame::open_table, m)?)?;
    m.add_function(wrap_pyfunction!(frame::inspect_table, m)?)?;
    #[cfg(feature = "self-test")]
    m.add_function(wrap_pyfunction!(errors::_boundary_self_test, m)?)?;
    Ok(())
}
