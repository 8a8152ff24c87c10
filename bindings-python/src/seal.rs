//! Sealed records and bytes: `seal`, `open`, `grant`, `revoke`, `inspect` and the `Sealed`
//! object, over `causeway::seal`.

use crate::convert::{bytes_arg, view_to_py};
use crate::errors::{cw, guard};
use crate::party::{key_id_arg, PyParty, PyPublicKeys};
use crate::record::PyRecord;
use causeway::party::PublicKeys;
use causeway::record::Record;
use causeway::seal::{
    open_any, open_jwe, CheckedSealed, CheckedSealedRef, Content, Format, OpenOptions, Owner,
    Sealed,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// How many recipients a call may name before anything else is done: core caps a sealed
/// record's recipients (`seal::MAX_RECIPIENTS`) and says so with its own error; this cap only
/// stops a huge Python iterable from being copied first.
const MAX_RECIPIENT_ARGS: usize = 4096;

/// A sealed record or sealed bytes (one object, encrypted once, wrapped for each recipient).
#[pyclass(name = "Sealed", module = "causeway", frozen)]
pub(crate) struct PySealed(pub(crate) Sealed);

/// The output form of a sealed object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Binary,
    Jwe,
}

fn form_arg(form: &str) -> PyResult<Form> {
    match form {
        "binary" => Ok(Form::Binary),
        "jwe" => Ok(Form::Jwe),
        _ => Err(PyValueError::new_err("form must be \"binary\" or \"jwe\"")),
    }
}

fn encode(s: &Sealed, form: Form) -> Vec<u8> {
    match form {
        Form::Binary => s.to_bytes(),
        Form::Jwe => s.to_jwe_json().into_bytes(),
    }
}

fn content_to_py<'py>(py: Python<'py>, c: Content) -> PyResult<Bound<'py, PyAny>> {
    match c {
        Content::Record(r) => Ok(Bound::new(py, PyRecord(r))?.into_any()),
        Content::Bytes(b) => Ok(PyBytes::new(py, &b).into_any()),
    }
}

fn recipients_arg(recipients: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PublicKeys>> {
    let mut out = Vec::new();
    let Some(r) = recipients else {
        return Ok(out);
    };
    if r.cast::<PyPublicKeys>().is_ok() || r.cast::<PyString>().is_ok() {
        return Err(PyTypeError::new_err(
            "recipients must be an iterable of PublicKeys (a list, even for one recipient)",
        ));
    }
    for item in r.try_iter()? {
        let item = item?;
        let pk = item.cast::<PyPublicKeys>().map_err(|_| {
            PyTypeError::new_err("recipients must be PublicKeys (use PublicKeys.parse(text))")
        })?;
        if out.len() == MAX_RECIPIENT_ARGS {
            return Err(PyValueError::new_err(format!(
                "more than {MAX_RECIPIENT_ARGS} recipients"
            )));
        }
        out.push(pk.get().0);
    }
    Ok(out)
}

/// Decodes a sealed record in either form, remembering which.
fn parse_sealed(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<(Sealed, Form)> {
    if let Ok(s) = data.cast::<PySealed>() {
        return Ok((s.get().0.clone(), Form::Binary));
    }
    let b = bytes_arg(data, "sealed", true)?;
    let bytes = b.as_slice();
    let form = if bytes.starts_with(&causeway::encoding::MAGIC) {
        Form::Binary
    } else {
        Form::Jwe
    };
    let s = guard(py, || {
        py.detach(|| Sealed::from_any(bytes)).map_err(|e| cw(py, e))
    })?;
    Ok((s, form))
}

/// Seals a `Record` or bytes for `recipients` (the owner is always one); returns the sealed
/// object as bytes, in `form` `"binary"` (canonical) or `"jwe"` (JWE JSON, UTF-8).
#[pyfunction]
#[pyo3(signature = (content, *, owner, recipients = None, form = "binary"))]
pub(crate) fn seal<'py>(
    py: Python<'py>,
    content: &Bound<'py, PyAny>,
    owner: PyRef<'py, PyParty>,
    recipients: Option<&Bound<'py, PyAny>>,
    form: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let form = form_arg(form)?;
    let recipients = recipients_arg(recipients)?;
    let party = &owner.0;
    // Sealing and encoding both run with the GIL released; only the copy into a Python
    // `bytes` holds it.
    let out = if let Ok(r) = content.cast::<PyRecord>() {
        let record: Record = r.borrow().0.clone();
        guard(py, || {
            py.detach(|| Sealed::seal_record(party, &recipients, &record).map(|s| encode(&s, form)))
                .map_err(|e| cw(py, e))
        })?
    } else {
        let b = bytes_arg(content, "content", false).map_err(|_| {
            PyTypeError::new_err("content must be a Record, bytes, bytearray or memoryview")
        })?;
        let bytes = b.as_slice();
        if form == Form::Binary {
            // Straight into the returned `bytes`: the plaintext is copied once, into the
            // Python object, and encrypted there with the GIL released.
            let len =
                Sealed::sealed_bytes_len(party, &recipients, bytes.len()).map_err(|e| cw(py, e))?;
            return guard(py, || {
                PyBytes::new_with(py, len, |buf| {
                    py.detach(|| Sealed::seal_bytes_into(party, &recipients, bytes, buf))
                        .map_err(|e| cw(py, e))
                })
            });
        }
        guard(py, || {
            py.detach(|| Sealed::seal_bytes(party, &recipients, bytes).map(|s| encode(&s, form)))
                .map_err(|e| cw(py, e))
        })?
    };
    Ok(PyBytes::new(py, &out))
}

/// What `open` opened: the content and what the object shows about who made it.
#[pyclass(name = "Opened", module = "causeway", frozen)]
pub(crate) struct PyOpened {
    content: Py<PyAny>,
    format: &'static str,
    version: Option<u8>,
    owner: Option<String>,
    owner_signed: bool,
    record_id: Option<String>,
    epoch: Option<u32>,
}

#[pymethods]
impl PyOpened {
    /// The plaintext: a `Record`, or `bytes`.
    #[getter]
    fn content(&self, py: Python<'_>) -> Py<PyAny> {
        self.content.clone_ref(py)
    }
    /// The content as a `Record`; sealed bytes raise `causeway.DecodeError` (the error core's
    /// `open_record` gives for them).
    #[getter]
    fn record(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.content.bind(py).cast::<PyRecord>().is_ok() {
            return Ok(self.content.clone_ref(py));
        }
        Err(cw(
            py,
            causeway::error::DecodeError::Invalid {
                what: "content type (not a record)",
            },
        ))
    }
    /// `"binary"`, `"jwe"`, `"stream"` or `"foreign-jwe"`.
    #[getter]
    fn format(&self) -> &'static str {
        self.format
    }
    /// The format version; `None` for a foreign JWE.
    #[getter]
    fn version(&self) -> Option<u8> {
        self.version
    }
    /// The owner's key id when the owner signed the object (and the signature verified);
    /// `None` for a version-1 object (an unauthenticated claim) or a foreign JWE.
    #[getter]
    fn owner(&self) -> Option<String> {
        self.owner.clone()
    }
    /// Whether the owner signed the object.
    #[getter]
    fn owner_signed(&self) -> bool {
        self.owner_signed
    }
    /// The record id (32 hex digits); `None` for a foreign JWE.
    #[getter]
    fn record_id(&self) -> Option<String> {
        self.record_id.clone()
    }
    /// The epoch (0, then +1 at each revocation); `None` for a foreign JWE.
    #[getter]
    fn epoch(&self) -> Option<u32> {
        self.epoch
    }
    fn __repr__(&self) -> String {
        format!(
            "Opened(format='{}', owner={}, record_id={}, epoch={})",
            self.format,
            self.owner
                .as_deref()
                .map_or("None".into(), |o| format!("'{o}'")),
            self.record_id
                .as_deref()
                .map_or("None".into(), |o| format!("'{o}'")),
            self.epoch.map_or("None".into(), |e| e.to_string()),
        )
    }
}

/// Opens any sealed object (binary or JWE record, sealed stream, foreign JWE) as `party`.
/// With `expect_owner` (a `PublicKeys` or a key id), anything not signed by that owner is
/// refused before decryption.
#[pyfunction]
#[pyo3(signature = (sealed, *, party, expect_owner = None))]
pub(crate) fn open<'py>(
    py: Python<'py>,
    sealed: &Bound<'py, PyAny>,
    party: PyRef<'py, PyParty>,
    expect_owner: Option<&Bound<'py, PyAny>>,
) -> PyResult<PyOpened> {
    let b = bytes_arg(sealed, "sealed", true)?;
    let expect = match expect_owner {
        Some(o) => Some(key_id_arg(py, o, "expect_owner")?),
        None => None,
    };
    let bytes = b.as_slice();
    let p = &party.0;
    // Made inside each closure: `OpenOptions` is not `Sync` (it may hold a `KnownEpochs`).
    let opts = move || OpenOptions {
        expect_owner: expect,
        ..Default::default()
    };
    // Sealed bytes in the binary form: decoded and checked without copying the ciphertext,
    // then decrypted straight into the returned `bytes` (the only payload-sized allocation of
    // the call: see `CheckedSealedRef`), GIL released.
    let checked_ref = guard(py, || {
        py.detach(|| CheckedSealedRef::new(bytes, &opts()))
            .map_err(|e| cw(py, e))
    })?;
    if let Some(c) = checked_ref.as_ref().filter(|c| c.plaintext_len().is_some()) {
        let len = c.plaintext_len().unwrap_or(0);
        let content = guard(py, || {
            PyBytes::new_with(py, len, |buf| {
                py.detach(|| c.open_bytes_into(p, buf))
                    .map_err(|e| cw(py, e))
            })
        })?;
        return Ok(PyOpened {
            content: content.into_any().unbind(),
            format: Format::Binary.as_str(),
            version: Some(c.version()),
            owner: c.owner().signed().map(|k| k.to_string()),
            owner_signed: matches!(c.owner(), Owner::Signed(_)),
            record_id: Some(c.record_id().to_string()),
            epoch: Some(c.epoch()),
        });
    }
    // Anything else that is a sealed record (a record, the JWE form) is decoded and its owner
    // checked first; sealed bytes are then decrypted straight into the returned `bytes`.
    let checked = guard(py, || {
        py.detach(|| CheckedSealed::new(bytes, &opts()))
            .map_err(|e| cw(py, e))
    })?;
    if let Some(c) = checked {
        let content = match c.plaintext_len() {
            Some(len) => guard(py, || {
                PyBytes::new_with(py, len, |buf| {
                    py.detach(|| c.open_bytes_into(p, buf))
                        .map_err(|e| cw(py, e))
                })
            })?
            .into_any(),
            None => {
                let opened = guard(py, || py.detach(|| c.open(p)).map_err(|e| cw(py, e)))?;
                content_to_py(py, opened.content)?
            }
        };
        let s = c.sealed();
        return Ok(PyOpened {
            content: content.unbind(),
            format: c.format().as_str(),
            version: Some(s.version()),
            owner: c.owner().signed().map(|k| k.to_string()),
            owner_signed: matches!(c.owner(), Owner::Signed(_)),
            record_id: Some(s.record_id().to_string()),
            epoch: Some(s.epoch()),
        });
    }
    let opened = guard(py, || {
        py.detach(|| open_any(bytes, p, &opts()))
            .map_err(|e| cw(py, e))
    })?;
    Ok(PyOpened {
        content: content_to_py(py, opened.content)?.unbind(),
        format: opened.format.as_str(),
        version: opened.version,
        owner: opened.owner.signed().map(|k| k.to_string()),
        owner_signed: matches!(opened.owner, Owner::Signed(_)),
        record_id: opened.record_id.map(|r| r.to_string()),
        epoch: opened.epoch,
    })
}

/// Opens a plain JWE made by another JOSE library (compact, flattened or general with one
/// recipient) for `party`; returns the plaintext bytes. It has no owner, record id or epoch.
#[pyfunction]
#[pyo3(signature = (jwe, *, party))]
pub(crate) fn open_foreign_jwe<'py>(
    py: Python<'py>,
    jwe: &Bound<'py, PyAny>,
    party: PyRef<'py, PyParty>,
) -> PyResult<Bound<'py, PyBytes>> {
    let b = bytes_arg(jwe, "jwe", true)?;
    let text = std::str::from_utf8(b.as_slice()).map_err(|_| {
        cw(
            py,
            causeway::error::DecodeError::InvalidUtf8 { what: "JWE" },
        )
    })?;
    let p = &party.0;
    let plain = guard(py, || {
        py.detach(|| open_jwe(text, p)).map_err(|e| cw(py, e))
    })?;
    Ok(PyBytes::new(py, &plain))
}

/// Adds a recipient to a sealed record (same content, record id and epoch); returns it in
/// the form it came in. Only the owner can grant.
#[pyfunction]
#[pyo3(signature = (sealed, *, owner, to))]
pub(crate) fn grant<'py>(
    py: Python<'py>,
    sealed: &Bound<'py, PyAny>,
    owner: PyRef<'py, PyParty>,
    to: PyRef<'py, PyPublicKeys>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (s, form) = parse_sealed(py, sealed)?;
    let p = &owner.0;
    let to = to.0;
    let out = guard(py, || {
        py.detach(|| s.grant(p, &to).map(|g| encode(&g, form)))
            .map_err(|e| cw(py, e))
    })?;
    Ok(PyBytes::new(py, &out))
}

/// Removes a recipient (a `PublicKeys` or a key id): the record is re-sealed under a new
/// content key with the epoch increased; returned in the form it came in.
#[pyfunction]
#[pyo3(signature = (sealed, *, owner, recipient))]
pub(crate) fn revoke<'py>(
    py: Python<'py>,
    sealed: &Bound<'py, PyAny>,
    owner: PyRef<'py, PyParty>,
    recipient: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let kid = key_id_arg(py, recipient, "recipient")?;
    let (s, form) = parse_sealed(py, sealed)?;
    let p = &owner.0;
    let out = guard(py, || {
        py.detach(|| s.revoke(p, &kid).map(|r| encode(&r, form)))
            .map_err(|e| cw(py, e))
    })?;
    Ok(PyBytes::new(py, &out))
}

/// What a sealed record says about itself, without opening it (no secrets): a `dict`.
#[pyfunction]
pub(crate) fn inspect<'py>(
    py: Python<'py>,
    sealed: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (s, _) = parse_sealed(py, sealed)?;
    view_to_py(py, &s.inspect())
}

#[pymethods]
impl PySealed {
    /// Decodes the canonical binary form.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", false)?;
        guard(py, || {
            Sealed::from_bytes(b.as_slice())
                .map(PySealed)
                .map_err(|e| cw(py, e))
        })
    }

    /// Parses the JWE JSON form strictly.
    #[staticmethod]
    fn from_jwe(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(text, "text", true)?;
        let s = std::str::from_utf8(b.as_slice()).map_err(|_| {
            cw(
                py,
                causeway::error::DecodeError::InvalidUtf8 { what: "JWE JSON" },
            )
        })?;
        guard(py, || {
            Sealed::from_jwe_json(s)
                .map(PySealed)
                .map_err(|e| cw(py, e))
        })
    }

    /// Decodes either form (binary, starting with `CW`, or JWE JSON).
    #[staticmethod]
    fn parse(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", true)?;
        guard(py, || {
            Sealed::from_any(b.as_slice())
                .map(PySealed)
                .map_err(|e| cw(py, e))
        })
    }

    /// The canonical binary form.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_bytes())
    }

    /// The JWE JSON form (a view over the same bytes).
    fn to_jwe(&self) -> String {
        self.0.to_jwe_json()
    }

    /// Opens as `party` (current or retired keys): a `Record` or `bytes`.
    #[pyo3(signature = (party))]
    fn open<'py>(
        &self,
        py: Python<'py>,
        party: PyRef<'py, PyParty>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = &party.0;
        let s = &self.0;
        if s.content_type() == causeway::seal::CTY_BYTES {
            // Straight into the returned `bytes` (GIL released).
            return guard(py, || {
                PyBytes::new_with(py, s.ciphertext_len(), |buf| {
                    py.detach(|| s.open_bytes_into(p, buf))
                        .map_err(|e| cw(py, e))
                })
            })
            .map(Bound::into_any);
        }
        let c = guard(py, || py.detach(|| s.open(p)).map_err(|e| cw(py, e)))?;
        content_to_py(py, c)
    }

    /// Adds a recipient (owner only).
    #[pyo3(signature = (owner, to))]
    fn grant(
        &self,
        py: Python<'_>,
        owner: PyRef<'_, PyParty>,
        to: PyRef<'_, PyPublicKeys>,
    ) -> PyResult<Self> {
        let p = &owner.0;
        let to = to.0;
        let s = &self.0;
        guard(py, || {
            py.detach(|| s.grant(p, &to))
                .map(PySealed)
                .map_err(|e| cw(py, e))
        })
    }

    /// Removes a recipient (a `PublicKeys` or a key id; owner only): a new epoch.
    #[pyo3(signature = (owner, recipient))]
    fn revoke(
        &self,
        py: Python<'_>,
        owner: PyRef<'_, PyParty>,
        recipient: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let kid = key_id_arg(py, recipient, "recipient")?;
        let p = &owner.0;
        let s = &self.0;
        guard(py, || {
            py.detach(|| s.revoke(p, &kid))
                .map(PySealed)
                .map_err(|e| cw(py, e))
        })
    }

    /// What the object says about itself (no secrets): a `dict`.
    fn inspect<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        view_to_py(py, &self.0.inspect())
    }

    /// The record id (32 hex digits).
    #[getter]
    fn record_id(&self) -> String {
        self.0.record_id().to_string()
    }
    /// The epoch.
    #[getter]
    fn epoch(&self) -> u32 {
        self.0.epoch()
    }
    /// The owner's key id (authenticated only when `version` is 2; `open` checks it).
    #[getter]
    fn owner(&self) -> String {
        self.0.owner().to_string()
    }
    /// The recipients' key ids.
    #[getter]
    fn recipients(&self) -> Vec<String> {
        self.0.recipients().iter().map(|k| k.to_string()).collect()
    }
    /// The JWE `cty` (a media type): `application/vnd.causeway.record+bin` or `application/octet-stream`.
    #[getter]
    fn content_type(&self) -> String {
        self.0.content_type().to_owned()
    }
    /// The format version (2: owner-signed; 1: legacy, unsigned).
    #[getter]
    fn version(&self) -> u8 {
        self.0.version()
    }
    fn __repr__(&self) -> String {
        format!(
            "Sealed(record_id='{}', epoch={}, owner='{}', recipients={})",
            self.0.record_id(),
            self.0.epoch(),
            self.0.owner(),
            self.0.recipients().len()
        )
    }
}
