//! Sealed tables (`causeway::seal::table`), the native half of `causeway.frame`: sealing
//! column groups' payloads under one owner-signed manifest, and opening what a party can read.
//! Arrow and pandas are handled in Python (`python/causeway/frame.py`); this module sees only
//! names, type labels and payload bytes.

use crate::convert::{bytes_arg, BytesArg};
use crate::errors::{cw, guard};
use crate::party::{PyParty, PyPublicKeys};
use causeway::party::PublicKeys;
use causeway::seal::table::{
    SealedTable, TableColumn, TableManifest, TablePart, TablePartLen, TablePlan, MAX_COLUMNS,
    MAX_PARTS,
};
use causeway::seal::MAX_RECIPIENTS;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;

/// How many pieces a [`PyTableSink`] may hold before `write` waits for the sealer: bounds the
/// memory of the pieces in flight (each is one write of the serializer, at most one column
/// buffer of a record batch).
const SINK_DEPTH: usize = 2;

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

/// What a [`PyTableSink`] hands the sealing thread.
enum Piece {
    /// The next bytes of the current part's payload.
    Data(Vec<u8>),
    /// The current part is complete.
    EndPart,
}

/// A write-only binary file object (`write`, `flush`, `close`, `closed`) that hands what is
/// written to the table sealer of [`seal_table_written`], piece by piece; `causeway.frame`
/// gives it to pyarrow's IPC writer. Only valid during that call.
#[pyclass(name = "_TableSink", module = "causeway._native", frozen)]
pub(crate) struct PyTableSink {
    tx: Mutex<Option<SyncSender<Piece>>>,
}

impl PyTableSink {
    fn send(&self, py: Python<'_>, piece: Piece) -> PyResult<()> {
        let tx = self
            .tx
            .lock()
            .map_err(|_| PyValueError::new_err("the table sink is closed"))?
            .clone()
            .ok_or_else(|| PyValueError::new_err("the table sink is closed"))?;
        // Waiting for the sealer (which never takes the GIL) with the GIL released.
        py.detach(move || tx.send(piece))
            .map_err(|_| PyValueError::new_err("the table sealer stopped (see the error raised)"))
    }

    fn close_sender(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
    }
}

#[pymethods]
impl PyTableSink {
    /// Hands `data` (bytes-like: `bytes`, a pyarrow `Buffer`, a `memoryview`) to the sealer;
    /// returns its length.
    fn write(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<usize> {
        let v = if let Ok(b) = data.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else {
            let view = py
                .import("builtins")?
                .getattr("memoryview")?
                .call1((data,))?;
            let b = view.call_method0("tobytes")?;
            b.cast::<PyBytes>()?.as_bytes().to_vec()
        };
        let n = v.len();
        if n > 0 {
            self.send(py, Piece::Data(v))?;
        }
        Ok(n)
    }

    /// Nothing to flush: every write is handed on at once.
    fn flush(&self) {}

    /// Does nothing: the sink ends its part when the writer function returns.
    fn close(&self) {}

    /// Always `False` while the sink is in use.
    #[getter]
    fn closed(&self) -> bool {
        false
    }

    /// A sink is write-only.
    fn writable(&self) -> bool {
        true
    }

    /// A sink is not readable.
    fn readable(&self) -> bool {
        false
    }

    /// A sink is not seekable.
    fn seekable(&self) -> bool {
        false
    }
}

/// The sealing thread of [`seal_table_written`]: seals what the sinks hand it into `out`.
/// An error says whether it came while pieces were arriving (`false`: a wrong length, the
/// cause) or at the end (`true`: the input stopped early, perhaps because a writer raised).
fn seal_pieces(
    plan: &TablePlan,
    owner: &causeway::party::Party,
    out: &mut [u8],
    rx: Receiver<Piece>,
) -> Result<(), (bool, causeway::error::TableError)> {
    let mut sealer = plan.sealer(owner, out).map_err(|e| (false, e))?;
    for piece in rx {
        match piece {
            Piece::Data(v) => sealer.push(&v),
            Piece::EndPart => sealer.end_part(),
        }
        .map_err(|e| (false, e))?;
    }
    sealer.finish().map_err(|e| (true, e))
}

/// Seals column groups as one sealed table from payloads written piece by piece, so that no
/// payload exists whole: `parts` is a list of `(column_names, recipients, payload_len,
/// write)`, where `write(sink)` writes exactly `payload_len` bytes to the file-like `sink`
/// (pyarrow's IPC writer does). Each piece is sealed, on a thread without the GIL, straight
/// into the returned `bytes`. A wrong length, or an exception from `write`, raises and
/// returns nothing.
#[pyfunction]
#[pyo3(signature = (*, owner, content_type, rows, columns, parts))]
pub(crate) fn seal_table_written<'py>(
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
    let mut lens = Vec::with_capacity(parts.len());
    let mut writers = Vec::with_capacity(parts.len());
    for item in parts.iter() {
        let t = item.cast::<PyTuple>().map_err(|_| {
            PyTypeError::new_err("each part must be a tuple (columns, recipients, length, write)")
        })?;
        if t.len() != 4 {
            return Err(PyTypeError::new_err(
                "each part must be a tuple (columns, recipients, length, write)",
            ));
        }
        let c = t.get_item(0)?;
        if c.len()? > MAX_COLUMNS {
            return Err(PyValueError::new_err(format!(
                "a part names more than {MAX_COLUMNS} columns"
            )));
        }
        let r = t.get_item(1)?;
        if r.len()? >= MAX_RECIPIENTS {
            return Err(PyValueError::new_err(format!(
                "a part has more than {} recipients",
                MAX_RECIPIENTS - 1
            )));
        }
        let mut recipients = Vec::new();
        for k in r.try_iter()? {
            let k = k?;
            let pk = k.cast::<PyPublicKeys>().map_err(|_| {
                PyTypeError::new_err("recipients must be PublicKeys (use PublicKeys.parse(text))")
            })?;
            recipients.push(pk.get().0);
        }
        let write = t.get_item(3)?;
        if !write.is_callable() {
            return Err(PyTypeError::new_err("write must be callable: write(sink)"));
        }
        lens.push(TablePartLen {
            columns: c.extract()?,
            recipients,
            payload_len: t.get_item(2)?.extract()?,
        });
        writers.push(write);
    }
    let party = &owner.0;
    let plan = guard(py, || {
        TablePlan::from_lengths(party, content_type, rows, &cols, &lens).map_err(|e| cw(py, e))
    })?;
    let len = plan.sealed_len().map_err(|e| cw(py, e))?;
    guard(py, || {
        PyBytes::new_with(py, len, |buf| {
            let (tx, rx) = sync_channel::<Piece>(SINK_DEPTH);
            let sink = Bound::new(
                py,
                PyTableSink {
                    tx: Mutex::new(Some(tx)),
                },
            )?;
            let plan = &plan;
            let (sealed, written) = std::thread::scope(|scope| {
                let sealing = scope.spawn(move || seal_pieces(plan, party, buf, rx));
                let written = (|| -> PyResult<()> {
                    for w in &writers {
                        w.call1((sink.clone(),))?;
                        sink.get().send(py, Piece::EndPart)?;
                    }
                    Ok(())
                })();
                // No more pieces: the sealer finishes (or stops at its first error).
                sink.get().close_sender();
                let sealed = py.detach(|| sealing.join());
                (sealed, written)
            });
            match sealed {
                // A writer that raised: its exception (the sealer only saw the input stop).
                Ok(Err((true, _))) if written.is_err() => written,
                // Otherwise the sealer's error first: a writer's error may only say that the
                // sealer stopped.
                Ok(Err((_, e))) => Err(cw(py, e)),
                Ok(Ok(())) => written,
                Err(_) => Err(crate::errors::raise(
                    py,
                    crate::errors::PANIC_CODE,
                    "internal",
                    "internal error in Causeway (a Rust panic): please report it",
                    None,
                )),
            }
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
