//! `Party` and `PublicKeys`.

use crate::convert::{json_text_arg, json_to_py};
use crate::errors::{cw, guard};
use causeway::party::{KeyId, Party, PublicKeys};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A party's public keys (Ed25519 for signatures, X25519 for encryption).
#[pyclass(name = "PublicKeys", module = "causeway", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyPublicKeys(pub(crate) PublicKeys);

#[pymethods]
impl PyPublicKeys {
    /// Parses `cwpub1…` text only.
    #[staticmethod]
    fn from_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(py, || {
            PublicKeys::from_text(text)
                .map(PyPublicKeys)
                .map_err(|e| cw(py, e))
        })
    }

    /// Parses what a user may hand over as a recipient: `cwpub1…` text, a public JWK Set, or a
    /// key file (whose current public keys are taken).
    #[staticmethod]
    fn parse(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(py, || {
            PublicKeys::from_any_text(text)
                .map(PyPublicKeys)
                .map_err(|e| cw(py, e))
        })
    }

    /// Parses a public JWK Set (`{"keys": [Ed25519, X25519]}`), as `str` or `dict`.
    #[staticmethod]
    fn from_jwk(py: Python<'_>, jwk: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = json_text_arg(jwk, "jwk")?;
        guard(py, || {
            PublicKeys::from_jwk_set(&text)
                .map(PyPublicKeys)
                .map_err(|e| cw(py, e))
        })
    }

    /// The `cwpub1…` text.
    fn to_text(&self) -> String {
        self.0.to_text()
    }

    /// The public JWK Set as a `dict`.
    fn to_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::json!({
            "keys": [self.0.signing_jwk(), self.0.encryption_jwk()]
        });
        json_to_py(py, &v)
    }

    /// The key id (32 hex digits).
    #[getter]
    fn key_id(&self) -> String {
        self.0.key_id().to_string()
    }

    fn __str__(&self) -> String {
        self.0.to_text()
    }

    fn __repr__(&self) -> String {
        format!("PublicKeys(key_id='{}')", self.0.key_id())
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.0.key_id().as_bytes().hash(&mut h);
        self.0.to_text().hash(&mut h);
        h.finish()
    }

    /// Rebuilt from its `cwpub1…` text when unpickled (public keys are no secret).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_text = slf.get_type().getattr("from_text")?;
        let args = PyTuple::new(py, [slf.get().0.to_text()])?;
        PyTuple::new(py, [from_text, args.into_any()])
    }
}

/// A party: current keys and the retired keys kept so that old records still open.
///
/// Holds secret keys: its `repr` shows only the key id, and it refuses to be pickled (use
/// `to_secret_text()` deliberately).
#[pyclass(name = "Party", module = "causeway")]
pub(crate) struct PyParty(pub(crate) Party);

#[pymethods]
impl PyParty {
    /// A new party with fresh keys from the operating system's RNG.
    #[staticmethod]
    fn generate(py: Python<'_>) -> PyResult<Self> {
        guard(py, || Party::generate().map(PyParty).map_err(|e| cw(py, e)))
    }

    /// Parses a key file's text (`CW-SECRET-1…` lines, current key first).
    #[staticmethod]
    fn from_secret_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(py, || {
            Party::from_secret_text(text)
                .map(PyParty)
                .map_err(|e| cw(py, e))
        })
    }

    /// The key file's text: a secret. Write it somewhere safe, never to a log.
    fn to_secret_text(&self) -> String {
        self.0.to_secret_text().expose().to_owned()
    }

    /// The current public keys.
    #[getter]
    fn public_keys(&self) -> PyPublicKeys {
        PyPublicKeys(self.0.public())
    }

    /// The current key id (32 hex digits).
    #[getter]
    fn key_id(&self) -> String {
        self.0.key_id().to_string()
    }

    /// The key ids of the retired keys, newest first.
    #[getter]
    fn retired_key_ids(&self) -> Vec<String> {
        self.0
            .retired()
            .iter()
            .map(|k| k.public().key_id().to_string())
            .collect()
    }

    /// Replaces the current keys with fresh ones; the old ones are kept (retired) for opening.
    fn rotate(&mut self, py: Python<'_>) -> PyResult<()> {
        guard(py, || self.0.rotate().map_err(|e| cw(py, e)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Party(key_id='{}', retired={})",
            self.0.key_id(),
            self.0.retired().len()
        )
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a Party holds secret keys and is not picklable: use to_secret_text() deliberately",
        ))
    }
}

/// A key id argument: a `PublicKeys` object or 32 hex digits.
pub(crate) fn key_id_arg(py: Python<'_>, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<KeyId> {
    if let Ok(pk) = obj.cast::<PyPublicKeys>() {
        return Ok(pk.get().0.key_id());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s.to_cow()?.parse::<KeyId>().map_err(|e| cw(py, e));
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be PublicKeys or a key id (str of 32 hex digits)"
    )))
}
