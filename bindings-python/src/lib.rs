//! `causeway._native`: the Rust half of the `causeway` Python package.
//!
//! A thin layer over the `causeway` crate (DESIGN.md: bindings add no logic that core lacks):
//! argument conversion, GIL release around the cryptography, and the error boundary. The
//! public Python API is `bindings-python/python/causeway/`; the exception classes are defined
//! in Python (`causeway.errors`) and chosen from core's stable error code and kind.

mod convert;
mod errors;
mod frame;
mod party;
mod record;
mod seal;

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
    m.add_function(wrap_pyfunction!(frame::seal_table, m)?)?;
    m.add_function(wrap_pyfunction!(frame::open_table, m)?)?;
    m.add_function(wrap_pyfunction!(frame::inspect_table, m)?)?;
    #[cfg(feature = "self-test")]
    m.add_function(wrap_pyfunction!(errors::_boundary_self_test, m)?)?;
    Ok(())
}
