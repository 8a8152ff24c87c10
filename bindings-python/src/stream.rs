//! Sealed streams between Python binary file objects: core's `seal_stream` / `open_stream_with`
//! run with the GIL released, re-taking it only to call the file's `read` / `write` and the
//! progress callback (decision 0084). Paths, temporary files and `tqdm` are in
//! `causeway/stream.py`.

use crate::convert::Usize;
use crate::errors::{cw, guard};
use crate::party::{key_id_arg, PyParty};
use crate::stream_io::{PyReader, PyWriter, Slot};
use causeway::party::PublicKeys;
use causeway::seal::stream::{open_stream_with, seal_stream, StreamInfo};
use causeway::seal::OpenOptions;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Most recipients one call may name (core caps the set itself; this stops a huge iterable
/// from being copied first).
const MAX_RECIPIENT_ARGS: usize = 4096;
/// Largest read asked of a file object in one call (64 MiB): the bound on memory per step.
pub(crate) const MAX_READ: usize = 64 << 20;

fn info_dict<'py>(py: Python<'py>, info: &StreamInfo) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("record_id", info.record_id.to_string())?;
    d.set_item("epoch", info.epoch)?;
    d.set_item("owner", info.owner.to_string())?;
    d.set_item(
        "recipients",
        info.recipients
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>(),
    )?;
    d.set_item("plaintext_len", info.plaintext_len)?;
    d.set_item("signed", info.signed)?;
    Ok(d)
}

/// Reads `recipients` (an iterable of `PublicKeys`) into core's type.
fn recipient_list(recipients: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PublicKeys>> {
    let mut out = Vec::new();
    let Some(r) = recipients else {
        return Ok(out);
    };
    if r.cast::<crate::party::PyPublicKeys>().is_ok() || r.cast::<pyo3::types::PyString>().is_ok() {
        return Err(PyTypeError::new_err(
            "recipients must be an iterable of PublicKeys (a list, even for one recipient)",
        ));
    }
    for item in r.try_iter()? {
        let item = item?;
        let pk = item
            .cast::<crate::party::PyPublicKeys>()
            .map_err(|_| PyTypeError::new_err("recipients must be PublicKeys"))?;
        if out.len() == MAX_RECIPIENT_ARGS {
            return Err(PyValueError::new_err(format!(
                "more than {MAX_RECIPIENT_ARGS} recipients"
            )));
        }
        out.push(pk.get().0);
    }
    Ok(out)
}

fn chunk_arg(chunk_size: usize) -> PyResult<usize> {
    if chunk_size == 0 || chunk_size > MAX_READ {
        return Err(PyValueError::new_err(format!(
            "chunk_size must be between 1 and {MAX_READ}"
        )));
    }
    Ok(chunk_size)
}

/// Progress, throttled to one Python call per `step` bytes; the first error the callback
/// raises is kept in `slot` (and fails the next write).
struct Progress<'a> {
    cb: Option<Py<PyAny>>,
    slot: &'a Slot,
    step: u64,
    last: u64,
}

impl Progress<'_> {
    fn report(&mut self, done: u64, force: bool) {
        let Some(cb) = &self.cb else {
            return;
        };
        if !force && done < self.last.saturating_add(self.step) {
            return;
        }
        self.last = done;
        if self.slot.is_set() {
            return;
        }
        Python::attach(|py| {
            if let Err(e) = cb.call1(py, (done,)) {
                self.slot.set(e);
            }
        });
    }
}

/// Seals everything `reader.read(n)` gives as a stream for `recipients` (the owner is always
/// one), passing the sealed bytes to `writer.write(b)`; `progress(done)` gets the plaintext
/// bytes sealed so far. Returns the stream's info.
#[pyfunction]
#[pyo3(signature = (reader, writer, *, owner, recipients = None, progress = None, chunk_size = None))]
pub(crate) fn seal_stream_io<'py>(
    py: Python<'py>,
    reader: Py<PyAny>,
    writer: Py<PyAny>,
    owner: PyRef<'py, PyParty>,
    recipients: Option<&Bound<'py, PyAny>>,
    progress: Option<Py<PyAny>>,
    chunk_size: Option<Usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let step = chunk_arg(chunk_size.map_or(1 << 20, |x| x.0))?;
    let recipients = recipient_list(recipients)?;
    let party = &owner.0;
    let slot = Slot::default();
    let result = guard(py, || {
        Ok(py.detach(|| {
            let r = PyReader::new(reader, &slot, step);
            let w = PyWriter::new(writer, &slot);
            let mut p = Progress {
                cb: progress,
                slot: &slot,
                step: step as u64,
                last: 0,
            };
            let res = seal_stream(party, &recipients, r, w, &mut |d| p.report(d, false));
            if let Ok(info) = &res {
                p.report(info.plaintext_len, true);
            }
            res
        }))
    })?;
    if let Some(e) = slot.take() {
        return Err(e);
    }
    let info = result.map_err(|e| cw(py, e))?;
    info_dict(py, &info)
}

/// Opens the sealed stream `reader.read(n)` gives as `party`, passing plaintext to
/// `writer.write(b)` chunk by chunk as each authenticates; the end (truncation, the owner's
/// trailer signature) is checked last, so a caller must discard what it received if this
/// raises. `expect_owner` refuses anything not signed by that owner before decryption.
#[pyfunction]
#[pyo3(signature = (reader, writer, *, party, expect_owner = None, progress = None, chunk_size = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn open_stream_io<'py>(
    py: Python<'py>,
    reader: Py<PyAny>,
    writer: Py<PyAny>,
    party: PyRef<'py, PyParty>,
    expect_owner: Option<&Bound<'py, PyAny>>,
    progress: Option<Py<PyAny>>,
    chunk_size: Option<Usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let step = chunk_arg(chunk_size.map_or(1 << 20, |x| x.0))?;
    let expect = match expect_owner {
        Some(o) => Some(key_id_arg(py, o, "expect_owner")?),
        None => None,
    };
    let p = &party.0;
    let slot = Slot::default();
    let result = guard(py, || {
        Ok(py.detach(|| {
            let r = PyReader::new(reader, &slot, step);
            let w = PyWriter::new(writer, &slot);
            let mut pr = Progress {
                cb: progress,
                slot: &slot,
                step: step as u64,
                last: 0,
            };
            let opts = OpenOptions {
                expect_owner: expect,
                ..Default::default()
            };
            let res = open_stream_with(p, r, w, &mut |d| pr.report(d, false), &opts);
            if let Ok(info) = &res {
                pr.report(info.plaintext_len, true);
            }
            res
        }))
    })?;
    if let Some(e) = slot.take() {
        return Err(e);
    }
    let info = result.map_err(|e| cw(py, e))?;
    info_dict(py, &info)
}
