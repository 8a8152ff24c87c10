//! The error boundary: every core error becomes the Python exception that `causeway.errors`
//! chooses for its stable code and kind, and no Rust panic crosses into Python.

use pyo3::prelude::*;
use pyo3::types::PyList;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The code of the exception raised when Rust code panicked: a defect in Causeway, reported as
/// `causeway.InternalError` (kind `internal`) instead of pyo3's `PanicException`, which is a
/// `BaseException` that `except Exception` does not catch. Not one of core's codes: core
/// never panics on purpose.
pub(crate) const PANIC_CODE: &str = "internal.panic";

/// Builds the exception `causeway.errors` chooses for (`code`, `kind`). `special` names a
/// finer class for a failure the binding detects itself (`"int_range"`).
pub(crate) fn raise(
    py: Python<'_>,
    code: &str,
    kind: &str,
    message: &str,
    special: Option<&str>,
) -> PyErr {
    let made = py
        .import("causeway.errors")
        .and_then(|m| m.getattr("_from_native"))
        .and_then(|f| f.call1((code, kind, message, special)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        // The package's Python half is missing or broken: say so rather than hide the error.
        Err(e) => e,
    }
}

/// Converts any core error into its Python exception.
pub(crate) fn cw<E: Into<causeway::Error>>(py: Python<'_>, e: E) -> PyErr {
    let e: causeway::Error = e.into();
    raise(py, e.code(), e.kind().as_str(), &e.to_string(), None)
}

/// Runs `f`, turning a Rust panic into `causeway.InternalError` (code [`PANIC_CODE`]). The
/// panic's own message is not passed on (it may quote data); the hook still prints it to
/// stderr for the bug report.
pub(crate) fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(raise(
            py,
            PANIC_CODE,
            "internal",
            "internal error in Causeway (a Rust panic): please report it",
            None,
        )),
    }
}

/// Every error code core defines, with its kind, as `[(code, kind), …]`.
#[pyfunction]
pub(crate) fn error_codes(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let pairs: Vec<(&str, &str)> = causeway::error::CODES
        .iter()
        .map(|(c, k)| (*c, k.as_str()))
        .collect();
    PyList::new(py, pairs)
}

/// Panics inside the error boundary, to show (in the tests) that a panic reaches Python as
/// `causeway.InternalError`, never as `PanicException`. Does nothing else.
/// Built only with the `self-test` feature (the test suite), never into a shipped wheel.
#[cfg(feature = "self-test")]
#[pyfunction]
#[allow(clippy::panic)]
pub(crate) fn _boundary_self_test(py: Python<'_>) -> PyResult<()> {
    guard(py, || panic!("boundary self-test"))
}
