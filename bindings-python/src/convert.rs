//! Argument and result conversion: bytes-like inputs, JSON views as Python objects, key ids.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyList, PyString};
use serde_json::Value as Json;

/// A bytes-like argument: a `bytes` object is borrowed, anything else copied once.
pub(crate) enum BytesArg<'py> {
    /// A Python `bytes` (immutable: safe to read with the GIL released).
    Borrowed(Bound<'py, PyBytes>),
    /// A copy of a `bytearray`, a `memoryview` or (where allowed) the UTF-8 of a `str`.
    Owned(Vec<u8>),
}

impl BytesArg<'_> {
    /// The bytes.
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            BytesArg::Borrowed(b) => b.as_bytes(),
            BytesArg::Owned(v) => v,
        }
    }
}

/// Reads `bytes`, `bytearray` or `memoryview` (and `str` as UTF-8 when `text_ok`, for JWE
/// text); anything else is a `TypeError` naming `what`.
pub(crate) fn bytes_arg<'py>(
    obj: &Bound<'py, PyAny>,
    what: &str,
    text_ok: bool,
) -> PyResult<BytesArg<'py>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(BytesArg::Borrowed(b.clone()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(BytesArg::Owned(b.to_vec()));
    }
    if text_ok {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(BytesArg::Owned(s.to_cow()?.as_bytes().to_vec()));
        }
    }
    let memoryview = obj.py().import("builtins")?.getattr("memoryview")?;
    if obj.is_instance(&memoryview)? {
        let b = obj.call_method0("tobytes")?;
        return Ok(BytesArg::Borrowed(b.cast_into::<PyBytes>()?));
    }
    let got = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let want = if text_ok {
        "bytes, bytearray, memoryview or str"
    } else {
        "bytes, bytearray or memoryview"
    };
    Err(PyTypeError::new_err(format!(
        "{what} must be {want}, not {got}"
    )))
}

/// One of core's typed JSON views (a summary, a record's JSON) as plain Python objects.
pub(crate) fn view_to_py<'py, T: serde::Serialize>(
    py: Python<'py>,
    view: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let v = serde_json::to_value(view)
        .map_err(|e| crate::errors::raise(py, "internal", "internal", &e.to_string(), None))?;
    json_to_py(py, &v)
}

/// A JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn json_to_py<'py>(py: Python<'py>, v: &Json) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Json::String(s) => PyString::new(py, s).into_any(),
        Json::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(json_to_py(py, x)?)?;
            }
            l.into_any()
        }
        Json::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// JSON text from a `str` (taken as is) or a `dict` (serialised with Python's `json`).
pub(crate) fn json_text_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if obj.cast::<PyDict>().is_ok() {
        let dumped = obj.py().import("json")?.call_method1("dumps", (obj,))?;
        return Ok(dumped.cast_into::<PyString>()?.to_cow()?.into_owned());
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a str or a dict"
    )))
}

/// Unsigned integer arguments: a negative or too large `int` is `causeway.IntegerRangeError`
/// (a `ValueError`, code `decode.invalid`) instead of pyo3's bare `OverflowError`, so that bad
/// numbers read like any other malformed input.
macro_rules! uint_arg {
    ($(#[$doc:meta] $name:ident($t:ty);)*) => {$(
        #[$doc]
        #[derive(Clone, Copy, Debug)]
        pub(crate) struct $name(pub(crate) $t);

        impl<'a, 'py> FromPyObject<'a, 'py> for $name {
            type Error = PyErr;
            fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
                let py = obj.py();
                match obj.extract::<$t>() {
                    Ok(v) => Ok($name(v)),
                    Err(e) if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py) => {
                        Err(crate::errors::raise(
                            py,
                            "decode.invalid",
                            "malformed",
                            concat!("integer outside the range of ", stringify!($t)),
                            Some("int_range"),
                        ))
                    }
                    Err(e) => Err(e),
                }
            }
        }
    )*};
}

uint_arg! {
    /// A `u64` argument (times, sizes, indices).
    U64(u64);
    /// A `u16` argument (attestation indices, counts).
    U16(u16);
    /// A `u8` argument (tree depths).
    U8(u8);
    /// A `usize` argument (chunk sizes).
    Usize(usize);
}
