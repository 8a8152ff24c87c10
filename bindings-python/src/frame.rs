//! Sealed tables (`causeway::seal::table`), the native half of `causeway.frame`: sealing
//! column groups' payloads under one owner-signed manifest, and opening what a party can read.
//! Arrow and pandas are handled in Python (`python/causeway/frame.py`); this module sees only
//! names, type labels and payload bytes.

use crate::convert::bytes_arg;
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
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PySlice, PyTuple};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// How many pieces a [`PyTableSink`] may hold before `write` waits for the sealer: bounds the
/// memory of the pieces in flight.
const SINK_DEPTH: usize = 2;

/// The longest piece handed to the sealer: a longer write (a column buffer of a record batch)
/// is cut into pieces of at most this length, so the plaintext in flight is at most
/// `SINK_DEPTH + 2` pieces (the queue, the piece being sealed, the piece being copied)
/// whatever the size of the frame's columns.
const PIECE_LEN: usize = 1 << 20;

/// The sizes of the staging `bytearray`s (see [`Stage`]), smallest first: a piece is copied
/// through the smallest one that holds it, so a short write does not copy a whole `PIECE_LEN`.
const STAGE_LENS: [usize; 3] = [4 << 10, 64 << 10, PIECE_LEN];

/// Plaintext given as an argument: a `bytes` object is borrowed (it is the caller's); anything
/// else is copied once, into memory wiped when it is dropped (through [`Stage`], so no
/// throw-away Python copy of it is left behind unwiped).
enum Plain<'py> {
    /// A Python `bytes` (immutable: safe to read with the GIL released).
    Borrowed(Bound<'py, PyBytes>),
    /// A copy of a `bytearray` or of a buffer (`memoryview`, pyarrow `Buffer`).
    Owned(Zeroizing<Vec<u8>>),
}

impl Plain<'_> {
    fn as_slice(&self) -> &[u8] {
        match self {
            Plain::Borrowed(b) => b.as_bytes(),
            Plain::Owned(v) => v,
        }
    }
}

/// `bytearray`s through which bytes that have no `bytes` form (a `memoryview`, a pyarrow
/// `Buffer`) are copied into Rust: `stage[:k] = view[i:i + k]` (a copy inside Python, no new
/// object), then one copy into a [`Zeroizing`] vector. Under the abi3-py39 API a buffer cannot
/// be read from Rust without such a copy, and a copy made by `tobytes()` is a `bytes` object
/// that cannot be wiped; the stages are wiped by [`Stage::wipe`] (and reused until then).
struct Stage {
    /// Created on first use, one per entry of [`STAGE_LENS`].
    arrays: [Option<Py<PyByteArray>>; 3],
}

impl Stage {
    fn new() -> Stage {
        Stage {
            arrays: [None, None, None],
        }
    }

    /// Calls `f` with `data`'s bytes (any C-contiguous buffer) in order, in pieces of at most
    /// [`PIECE_LEN`] bytes, each in memory wiped when dropped. Returns the length of `data`.
    fn pieces(
        &mut self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        mut f: impl FnMut(Zeroizing<Vec<u8>>) -> PyResult<()>,
    ) -> PyResult<usize> {
        if let Ok(b) = data.cast::<PyBytes>() {
            let bytes = b.as_bytes();
            for piece in bytes.chunks(PIECE_LEN) {
                f(Zeroizing::new(piece.to_vec()))?;
            }
            return Ok(bytes.len());
        }
        let memoryview = py.import("builtins")?.getattr("memoryview")?;
        let view = memoryview
            .call1((data,))
            .map_err(|_| {
                PyTypeError::new_err("data must be bytes, bytearray, memoryview or a buffer")
            })?
            .call_method1("cast", ("B",))?;
        let n = view.len()?;
        let mut at = 0;
        while at < n {
            let k = (n - at).min(PIECE_LEN);
            let slot = STAGE_LENS.iter().position(|&len| len >= k).unwrap_or(2);
            let stage_len = STAGE_LENS.get(slot).copied().unwrap_or(PIECE_LEN);
            let array = match self.arrays.get_mut(slot) {
                Some(Some(a)) => a.bind(py).clone(),
                Some(empty) => {
                    let a = PyByteArray::new_with(py, stage_len, |_| Ok(()))?;
                    *empty = Some(a.clone().unbind());
                    a
                }
                None => return Err(PyValueError::new_err("internal: no staging buffer")),
            };
            let window = view.get_item(PySlice::new(py, at as isize, (at + k) as isize, 1))?;
            memoryview
                .call1((&array,))?
                .set_item(PySlice::new(py, 0, k as isize, 1), window)?;
            let mut v = Zeroizing::new(array.to_vec());
            v.truncate(k);
            f(v)?;
            at += k;
        }
        Ok(n)
    }

    /// Overwrites every staging array with zeros.
    fn wipe(&mut self, py: Python<'_>) -> PyResult<()> {
        for a in self.arrays.iter_mut().filter_map(Option::take) {
            let a = a.bind(py);
            let n = a.len();
            let zeros = PyBytes::new_with(py, n, |_| Ok(()))?;
            a.set_item(PySlice::new(py, 0, n as isize, 1), zeros)?;
        }
        Ok(())
    }
}

/// Reads a plaintext argument (`bytes`, `bytearray`, `memoryview`); anything else is a
/// `TypeError` naming `what`.
fn plaintext_arg<'py>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Plain<'py>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Plain::Borrowed(b.clone()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Plain::Owned(Zeroizing::new(b.to_vec())));
    }
    let py = obj.py();
    let memoryview = py.import("builtins")?.getattr("memoryview")?;
    if obj.is_instance(&memoryview)? {
        let mut v = Zeroizing::new(Vec::with_capacity(obj.getattr("nbytes")?.extract()?));
        let mut stage = Stage::new();
        let copied = stage.pieces(py, obj, |piece| {
            v.extend_from_slice(&piece);
            Ok(())
        });
        stage.wipe(py)?;
        copied?;
        return Ok(Plain::Owned(v));
    }
    let got = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    Err(PyTypeError::new_err(format!(
        "{what} must be bytes, bytearray or memoryview, not {got}"
    )))
}

/// The columns of a table to seal as core's [`TableColumn`]s, after the limits on the number
/// of columns and parts (the same checks for [`seal_table`] and [`seal_table_written`]).
fn table_shape(
    py: Python<'_>,
    columns: &Bound<'_, PyList>,
    parts: &Bound<'_, PyList>,
) -> PyResult<Vec<TableColumn>> {
    for (what, len, max) in [
        ("columns", columns.len(), MAX_COLUMNS),
        ("parts", parts.len(), MAX_PARTS),
    ] {
        if len > max {
            return Err(cw(
                py,
                causeway::error::TableError::Limit { what, len, max },
            ));
        }
    }
    let cols: Vec<(String, String)> = columns.extract()?;
    Ok(cols.iter().map(|(n, t)| TableColumn::new(n, t)).collect())
}

/// The fields every part tuple starts with, `(columns, recipients, …)`: the tuple itself (of
/// exactly `arity` items, described by `shape` in the error), its column names and its
/// recipients, with their limits checked.
fn part_head<'py>(
    item: &Bound<'py, PyAny>,
    arity: usize,
    shape: &str,
) -> PyResult<(Bound<'py, PyTuple>, Vec<String>, Vec<PublicKeys>)> {
    let wrong = || PyTypeError::new_err(format!("each part must be a tuple {shape}"));
    let t = item.cast::<PyTuple>().map_err(|_| wrong())?.clone();
    if t.len() != arity {
        return Err(wrong());
    }
    let cols = t.get_item(0)?;
    if cols.len()? > MAX_COLUMNS {
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
    Ok((t, columns, recipients))
}

/// One part as given from Python, before sealing.
struct PartArg<'py> {
    columns: Vec<String>,
    recipients: Vec<PublicKeys>,
    payload: Plain<'py>,
}

fn part_arg<'py>(item: &Bound<'py, PyAny>) -> PyResult<PartArg<'py>> {
    let (t, columns, recipients) = part_head(item, 3, "(columns, recipients, payload)")?;
    let payload = plaintext_arg(&t.get_item(2)?, "payload")?;
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
    let cols = table_shape(py, columns, parts)?;
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
    /// The next bytes of the current part's payload (wiped when dropped, sealed or not).
    Data(Zeroizing<Vec<u8>>),
    /// The current part is complete.
    EndPart,
}

/// A write-only binary file object (`write`, `flush`, `close`, `closed`) that hands what is
/// written to the table sealer of [`seal_table_written`], piece by piece; `causeway.frame`
/// gives it to pyarrow's IPC writer. Only valid during that call.
#[pyclass(name = "_TableSink", module = "causeway._native", frozen)]
pub(crate) struct PyTableSink {
    tx: Mutex<Option<SyncSender<Piece>>>,
    stage: Mutex<Stage>,
}

impl PyTableSink {
    fn sender(&self) -> PyResult<SyncSender<Piece>> {
        self.tx
            .lock()
            .map_err(|_| PyValueError::new_err("the table sink is closed"))?
            .clone()
            .ok_or_else(|| PyValueError::new_err("the table sink is closed"))
    }

    fn send(py: Python<'_>, tx: &SyncSender<Piece>, piece: Piece) -> PyResult<()> {
        // Waiting for the sealer (which never takes the GIL) with the GIL released.
        py.detach(|| tx.send(piece))
            .map_err(|_| PyValueError::new_err("the table sealer stopped (see the error raised)"))
    }

    fn close_sender(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
    }

    /// Wipes the staging arrays (at the end of [`seal_table_written`], whatever its outcome).
    fn wipe(&self, py: Python<'_>) -> PyResult<()> {
        self.stage
            .lock()
            .map_err(|_| PyValueError::new_err("the table sink is closed"))?
            .wipe(py)
    }
}

#[pymethods]
impl PyTableSink {
    /// Hands `data` (bytes-like: `bytes`, a pyarrow `Buffer`, a `memoryview`) to the sealer;
    /// returns its length.
    fn write(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<usize> {
        let tx = self.sender()?;
        // `try_lock`: a second thread writing to the same sink is refused rather than left
        // waiting with the GIL held while this one waits for the sealer without it.
        let mut stage = self
            .stage
            .try_lock()
            .map_err(|_| PyValueError::new_err("the table sink is in use by another thread"))?;
        stage.pieces(py, data, |piece| {
            if piece.is_empty() {
                return Ok(());
            }
            Self::send(py, &tx, Piece::Data(piece))
        })
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
/// Pieces still queued after an error are dropped (and wiped) by the caller's channel.
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
    let cols = table_shape(py, columns, parts)?;
    let mut lens = Vec::with_capacity(parts.len());
    let mut writers = Vec::with_capacity(parts.len());
    for item in parts.iter() {
        let (t, columns, recipients) = part_head(&item, 4, "(columns, recipients, length, write)")?;
        let write = t.get_item(3)?;
        if !write.is_callable() {
            return Err(PyTypeError::new_err("write must be callable: write(sink)"));
        }
        lens.push(TablePartLen {
            columns,
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
                    stage: Mutex::new(Stage::new()),
                },
            )?;
            let plan = &plan;
            let (sealed, written) = std::thread::scope(|scope| {
                let sealing = scope.spawn(move || seal_pieces(plan, party, buf, rx));
                let written = (|| -> PyResult<()> {
                    for w in &writers {
                        w.call1((sink.clone(),))?;
                        PyTableSink::send(py, &sink.get().sender()?, Piece::EndPart)?;
                    }
                    Ok(())
                })();
                // No more pieces: the sealer finishes (or stops at its first error).
                sink.get().close_sender();
                let sealed = py.detach(|| sealing.join());
                (sealed, written)
            });
            // Whatever happened: the staging arrays held plaintext.
            let wiped = sink.get().wipe(py);
            let result = match sealed {
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
            };
            result.and(wiped)
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
                        let opened = match table.open_part_to(party, i, &mut cursor) {
                            Ok(w) if cursor.is_empty() && w as usize == *n => Ok(()),
                            Ok(_) => Err(causeway::error::TableError::Tampered),
                            Err(e) => Err(e),
                        };
                        if opened.is_err() {
                            // The chunks opened before the failure must not outlive it in
                            // the discarded `bytes` object's memory.
                            zeroize::Zeroize::zeroize(&mut buf[..]);
                        }
                        opened
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
