//! `Record`: a dict-like view over core's record, with Python values.

use crate::convert::bytes_arg;
use crate::errors::{cw, guard, raise};
use causeway::error::RecordError;
use causeway::record::{Date, Record, Value};
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyList, PyString, PyTuple};

/// A Python value as a record value: `bool`, `int` (signed 64-bit), `decimal.Decimal`,
/// `datetime.date` (not `datetime`), `str`, `bytes`/`bytearray`/`memoryview`.
pub(crate) fn value_from_py(field: &str, v: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = v.py();
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    // An `int`, or an integer type that says it is one (`__index__`: numpy's int64, ...).
    let int = if v.cast::<PyInt>().is_ok() {
        Some(v.clone())
    } else if v.hasattr("__index__")? {
        Some(py.import("operator")?.getattr("index")?.call1((v,))?)
    } else {
        None
    };
    if let Some(v) = int {
        return match v.extract::<i64>() {
            Ok(i) => Ok(Value::Int(i)),
            Err(_) => Err(raise(
                py,
                RecordError::InvalidValue("").code(),
                "malformed",
                &format!("field {field:?}: integer outside the signed 64-bit range"),
                Some("int_range"),
            )),
        };
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    if v.is_instance(&decimal)? {
        let text: String = py
            .import("builtins")?
            .getattr("format")?
            .call1((v, "f"))?
            .extract()?;
        return Value::decimal(&text).map_err(|e| cw(py, e));
    }
    let datetime = py.import("datetime")?;
    if v.is_instance(&datetime.getattr("datetime")?)? {
        return Err(PyTypeError::new_err(format!(
            "field {field:?}: a datetime is not a date (pass .date())"
        )));
    }
    if v.is_instance(&datetime.getattr("date")?)? {
        let y: i32 = v.getattr("year")?.extract()?;
        let m: u32 = v.getattr("month")?.extract()?;
        let d: u32 = v.getattr("day")?.extract()?;
        return Date::from_ymd(y, m, d)
            .map(Value::Date)
            .map_err(|e| cw(py, e));
    }
    if let Ok(b) = bytes_arg(v, "a field value", false) {
        return Ok(Value::Bytes(b.as_slice().to_vec()));
    }
    let got = v
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let hint = if got == "float" {
        " (use decimal.Decimal for exact decimals)"
    } else {
        ""
    };
    Err(PyTypeError::new_err(format!(
        "field {field:?}: unsupported value type {got}{hint}; expected int, bool, decimal.Decimal, datetime.date, str or bytes"
    )))
}

/// A record value as a Python object.
pub(crate) fn value_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Bytes(b) => PyBytes::new(py, b).into_any(),
        Value::Decimal(d) => py
            .import("decimal")?
            .getattr("Decimal")?
            .call1((d.to_string(),))?,
        Value::Date(d) => {
            let (y, m, day) = d.ymd();
            py.import("datetime")?.getattr("date")?.call1((y, m, day))?
        }
        // `Value` is non-exhaustive: a type added to core and not yet here is refused, not
        // guessed.
        other => {
            return Err(PyTypeError::new_err(format!(
                "record value type {} is not supported by this version of the Python package",
                other.type_name()
            )))
        }
    })
}

/// A record: a schema id and named, typed fields, used like a `dict`.
///
/// `repr` shows the schema and field names and types, never the values.
#[pyclass(name = "Record", module = "causeway", eq)]
#[derive(PartialEq)]
pub(crate) struct PyRecord(pub(crate) Record);

impl PyRecord {
    /// The record with `name` set to `value` (replacing a present field).
    fn with_field(&self, name: &str, value: Option<Value>) -> Result<Record, RecordError> {
        let mut out = Record::new(self.0.schema())?;
        for (k, v) in self.0.fields() {
            if k != name {
                out.insert(k, v.clone())?;
            }
        }
        if let Some(v) = value {
            out.insert(name, v)?;
        }
        Ok(out)
    }
}

#[pymethods]
impl PyRecord {
    /// A record of `schema` (printable ASCII, e.g. `"kyc/v1"`) with the fields of `fields`
    /// (a mapping) and of the keyword arguments.
    #[new]
    #[pyo3(signature = (schema, fields = None, **kwargs))]
    fn new(
        py: Python<'_>,
        schema: &str,
        fields: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let mut r = Record::new(schema).map_err(|e| cw(py, e))?;
        let mut add = |k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>| -> PyResult<()> {
            let name: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("field names must be str"))?;
            let value = value_from_py(&name, v)?;
            r.insert(&name, value).map_err(|e| cw(py, e))
        };
        if let Some(f) = fields {
            let items = f
                .call_method0("items")
                .map_err(|_| PyTypeError::new_err("fields must be a mapping"))?;
            for item in items.try_iter()? {
                let item = item?;
                let pair = item.cast::<PyTuple>()?;
                add(&pair.get_item(0)?, &pair.get_item(1)?)?;
            }
        }
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                add(&k, &v)?;
            }
        }
        Ok(PyRecord(r))
    }

    /// The schema id.
    #[getter]
    fn schema(&self) -> &str {
        self.0.schema()
    }

    fn __getitem__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.0.get(name) {
            Some(v) => value_to_py(py, v),
            None => Err(PyKeyError::new_err(name.to_owned())),
        }
    }

    fn __setitem__(&mut self, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = value.py();
        let v = value_from_py(name, value)?;
        self.0 = self.with_field(name, Some(v)).map_err(|e| cw(py, e))?;
        Ok(())
    }

    fn __delitem__(&mut self, py: Python<'_>, name: &str) -> PyResult<()> {
        if self.0.get(name).is_none() {
            return Err(PyKeyError::new_err(name.to_owned()));
        }
        self.0 = self.with_field(name, None).map_err(|e| cw(py, e))?;
        Ok(())
    }

    fn __contains__(&self, name: &Bound<'_, PyAny>) -> bool {
        name.extract::<String>()
            .map(|n| self.0.get(&n).is_some())
            .unwrap_or(false)
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, self.keys())?.try_iter()?.into_any())
    }

    /// The field names, in canonical (sorted) order.
    fn keys(&self) -> Vec<String> {
        self.0.fields().map(|(k, _)| k.to_owned()).collect()
    }

    /// The field values, in canonical order.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.0.fields().map(|(_, v)| value_to_py(py, v)).collect()
    }

    /// `(name, value)` pairs, in canonical order.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
        self.0
            .fields()
            .map(|(k, v)| Ok((k.to_owned(), value_to_py(py, v)?)))
            .collect()
    }

    /// A field's value, or `default`.
    #[pyo3(signature = (name, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.0.get(name) {
            Some(v) => value_to_py(py, v),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    /// The fields as a new `dict`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in self.0.fields() {
            d.set_item(k, value_to_py(py, v)?)?;
        }
        Ok(d)
    }

    /// The value type names by field (`"int"`, `"decimal"`, `"date"`, `"string"`, `"bytes"`,
    /// `"bool"`).
    fn types(&self) -> Vec<(String, String)> {
        self.0
            .fields()
            .map(|(k, v)| (k.to_owned(), v.type_name().to_owned()))
            .collect()
    }

    /// The JSON view (`{"schema": …, "fields": {name: {"type": …, "value": …}}}`) as text.
    fn to_json(&self) -> String {
        self.0.to_json_string()
    }

    /// Parses the JSON view.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(py, || {
            Record::from_json(text).map(PyRecord).map_err(|e| cw(py, e))
        })
    }

    /// The canonical binary encoding.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_bytes())
    }

    /// Decodes the canonical binary encoding strictly.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", false)?;
        guard(py, || {
            Record::from_bytes(b.as_slice())
                .map(PyRecord)
                .map_err(|e| cw(py, e))
        })
    }

    fn __repr__(&self) -> String {
        let fields: Vec<String> = self
            .0
            .fields()
            .map(|(k, v)| format!("{k}: {}", v.type_name()))
            .collect();
        format!(
            "Record(schema={:?}, fields=[{}])",
            self.0.schema(),
            fields.join(", ")
        )
    }
}
