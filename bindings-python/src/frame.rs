//! Sealed tables (`causeway::seal::table`), the native half of `causeway.frame`: sealing
//! column groups' payloads under one owner-signed manifest, and opening what a party can read.
//! Arrow and pandas are handled in Python (`python/causeway/frame.py`); this module sees only
//! names, type labels and payload bytes.

use crate::convert::{bytes_arg, BytesArg};
use crate::errors::{cw, guard};
use crate::party::{PyParty, PyPublicKeys};
use causeway::party::PublicKeys;
use causeway::seal::table::{
    SealedTable, TableColumn, TableManifest, TablePart, TablePlan, MAX_COLUMNS, MAX_PARTS,
};
use causeway::seal::MAX_RECIPIENTS;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

/// One part as given from Python, before sealing.
struct PartArg<'py> {
    columns: Vec<String>,
    recipients: Vec<PublicKeys>,
    payload: BytesArg<'py>,
}

fn part_arg<'py>(item: &Bound<'py, PyAny>) -> PyResult<PartArg<'py>> {
    let t = item.cast::<PyTuple>().map_err(|_| {
        PyTypeError::new_err("each part must be a tuple (columns, recipients, payload)")
    })?;
    if t.len() != 3 {
        return Err(PyTypeError::new_err(
            "each part must be a tuple (columns, recipients, payload)",
        ));
    }
    let cols = t.get_item(0)?;
    let n = cols.len()?;
    if n > MAX_COLUMNS {
        return Err(PyValueError::new_err(format!(
            "a part names more than {MAX_COLUMNS} columns"
        )));
    }
    let columns: Vec<String> = cols.extract()?;
    let recips = t.get_item(1)?;
    if recips.len()? >= MAX_RECIPIENTS {
        return Err(PyValueError::new_err(format!(
            "a part has more than {} recipients",
            MAX_RECIPIENTS - 1
        )));
    }
    let mut recipients = Vec::new();
    for r in recips.try_iter()? {
        let r = r?;
        let pk = r.cast::<PyPublicKeys>().map_err(|_| {
            PyTypeError::new_err("recipients must be PublicKeys (use PublicKeys.parse(text))")
        })?;
        recipients.push(pk.get().0);
    }
    let payload = bytes_arg(&t.get_item(2)?, "payload", false)?;
    Ok(PartArg {
        columns,
        recipients,
        payload,
    })
}

/// Seals column groups as one sealed table; returns its bytes. `columns` is every column as
/// `(name, type_label)` in table order; `parts` is a list of `(column_names, recipients,
/// payload)`. Sealing runs with the GIL released, straight into the returned `bytes`.
#[pyfunction]
#[pyo3(signature = (*, owner, content_type, rows, columns, parts))]
pub(crate) fn seal_table<'py>(
    py: Python<'py>,
    owner: PyRef<'py, PyParty>,
    content_type: &str,
    rows: u64,
    columns: &Bound<'py, PyList>,
    parts: &Bound<'py, PyList>,
) -> PyResult<Bound<'py, PyBytes>> {
    if columns.len() > MAX_COLUMNS {
        return Err(cw(
            py,
            causeway::error::TableError::Limit {
                what: "columns",
                len: columns.len(),
                max: MAX_COLUMNS,
            },
        ));
    }
    if parts.len() > MAX_PARTS {
        return Err(cw(
            py,
            causeway::error::TableError::Limit {
                what: "parts",
                len: parts.len(),
                max: MAX_PARTS,
            },
        ));
    }
    let cols: Vec<(String, String)> = columns.extract()?;
    let cols: Vec<TableColumn> = cols.iter().map(|(n, t)| TableColumn::new(n, t)).collect();
    let args: Vec<PartArg<'py>> = parts
        .iter()
        .map(|p| part_arg(&p))
        .collect::<PyResult<_>>()?;
    let table_parts: Vec<TablePart<'_>> = args
        .iter()
        .map(|a| TablePart {
            columns: a.columns.clone(),
            recipients: a.recipients.clone(),
            payload: a.payload.as_slice(),
        })
        .collect();
    let party = &owner.0;
    let plan = guard(py, || {
        TablePlan::new(party, content_type, rows, &cols, &table_parts).map_err(|e| cw(py, e))
    })?;
    let len = plan.sealed_len().map_err(|e| cw(py, e))?;
    guard(py, || {
        PyBytes::new_with(py, len, |buf| {
            py.detach(|| plan.seal_into(party, &table_parts, buf))
                .map_err(|e| cw(py, e))
        })
    })
}

fn manifest_to_py<'py>(py: Python<'py>, m: &TableManifest) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("table_id", hex_string(&m.table_id))?;
    d.set_item("owner", Bound::new(py, PyPublicKeys(m.owner))?)?;
    d.set_item("content_type", &m.content_type)?;
    d.set_item("rows", m.rows)?;
    let cols: Vec<(&str, &str)> = m
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.type_label.as_str()))
        .collect();
    d.set_item("columns", cols)?;
    Ok(d)
}

fn hex_string(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn part_dict<'py>(
    py: Python<'py>,
    columns: &[String],
    recipients: &[causeway::party::KeyId],
    payload: Option<Bound<'py, PyBytes>>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("columns", columns.to_vec())?;
    let r: Vec<String> = recipients.iter().map(ToString::to_string).collect();
    d.set_item("recipients", r)?;
    d.set_item("payload", payload)?;
    Ok(d)
}

/// Opens a sealed table as `party`: a dict with the manifest (`table_id`, `owner`,
/// `content_type`, `rows`, `columns` as `(name, type)` pairs), `parts` (each a dict of
/// `columns`, `recipients` key ids and `payload`: `bytes`, or `None` where the party cannot
/// read it) and `unreadable` (the part indices it cannot read). Every part is checked against
/// the signed manifest before any is opened; with `owner`, a table signed by anyone else is
/// refused. Runs with the GIL released, except for creating the result objects.
#[pyfunction]
#[pyo3(signature = (sealed, party, *, owner = None))]
pub(crate) fn open_table<'py>(
    py: Python<'py>,
    sealed: &Bound<'py, PyAny>,
    party: PyRef<'py, PyParty>,
    owner: Option<PyRef<'py, PyPublicKeys>>,
) -> PyResult<Bound<'py, PyDict>> {
    let b = bytes_arg(sealed, "sealed", false)?;
    let bytes = b.as_slice();
    let party = &party.0;
    let expect = owner.map(|o| o.0.key_id());
    // Parse, check the owner and every part; learn which parts the party can read.
    let (table, plan) = guard(py, || {
        py.detach(|| {
            let t = SealedTable::parse(bytes)?;
            if let Some(expected) = expect {
                let found = t.manifest().owner.key_id();
                if found != expected {
                    return Err(causeway::error::TableError::Open(
                        causeway::error::OpenError::WrongOwner { expected, found },
                    ));
                }
            }
            let mut plan = Vec::with_capacity(t.manifest().parts.len());
            // Unreadable parts are checked here (digest, signatures); readable ones while
            // they are opened below, so each part is hashed once.
            for i in 0..t.manifest().parts.len() {
                let recipients = t.part_recipients(i)?;
                let readable = recipients.iter().any(|k| party.find(k).is_some());
                if !readable {
                    t.verify_part(i)?;
                }
                let len = if readable {
                    Some(t.part_plaintext_len(i)?)
                } else {
                    None
                };
                plan.push((recipients, len));
            }
            Ok((t, plan))
        })
        .map_err(|e| cw(py, e))
    })?;
    let out = manifest_to_py(py, table.manifest())?;
    let parts = PyList::empty(py);
    let mut unreadable = Vec::new();
    for (i, (recipients, len)) in plan.iter().enumerate() {
        let columns = table
            .manifest()
            .parts
            .get(i)
            .map(|p| p.columns.clone())
            .unwrap_or_default();
        let payload = match len {
            None => {
                unreadable.push(i);
                None
            }
            Some(n) => Some(guard(py, || {
                PyBytes::new_with(py, *n, |buf| {
                    py.detach(|| {
                        let mut cursor: &mut [u8] = buf;
                        let written = table.open_part_to(party, i, &mut cursor)?;
                        if !cursor.is_empty() || written as usize != *n {
                            return Err(causeway::error::TableError::Tampered);
                        }
                        Ok(())
                    })
                    .map_err(|e| cw(py, e))
                })
            })?),
        };
        parts.append(part_dict(py, &columns, recipients, payload)?)?;
    }
    out.set_item("parts", parts)?;
    out.set_item("unreadable", unreadable)?;
    Ok(out)
}

/// Reads a sealed table's manifest without opening any part: the same dict as
/// [`open_table`] with every `payload` `None` and `unreadable` empty. The owner's signature
/// and every part's digest and header are checked.
#[pyfunction]
pub(crate) fn inspect_table<'py>(
    py: Python<'py>,
    sealed: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let b = bytes_arg(sealed, "sealed", false)?;
    let bytes = b.as_slice();
    let (table, recipients) = guard(py, || {
        py.detach(|| {
            let t = SealedTable::parse(bytes)?;
            let r = (0..t.manifest().parts.len())
                .map(|i| t.verify_part(i))
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, causeway::error::TableError>((t, r))
        })
        .map_err(|e| cw(py, e))
    })?;
    let out = manifest_to_py(py, table.manifest())?;
    let parts = PyList::empty(py);
    for (p, r) in table.manifest().parts.iter().zip(&recipients) {
        parts.append(part_dict(py, &p.columns, r, None)?)?;
    }
    out.set_item("parts", parts)?;
    out.set_item("unreadable", Vec::<usize>::new())?;
    Ok(out)
}
