//! `std::io::Read` / `Write` over Python binary file objects, for core's streaming functions
//! running with the GIL released: each call re-takes the GIL for the file's `read` / `write`.
//! A Python exception raised there is kept (the first one) and re-raised after core returns.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes};
use std::io;
use std::sync::Mutex;

/// The first Python exception a file object or callback raised during a streaming call.
#[derive(Default)]
pub(crate) struct Slot(Mutex<Option<PyErr>>);

impl Slot {
    /// Keeps `e` unless an earlier error is kept.
    pub(crate) fn set(&self, e: PyErr) {
        if let Ok(mut g) = self.0.lock() {
            if g.is_none() {
                *g = Some(e);
            }
        }
    }
    /// Whether an error is kept.
    pub(crate) fn is_set(&self) -> bool {
        self.0.lock().map(|g| g.is_some()).unwrap_or(true)
    }
    /// Takes the kept error.
    pub(crate) fn take(&self) -> Option<PyErr> {
        self.0.lock().ok().and_then(|mut g| g.take())
    }
}

fn aborted() -> io::Error {
    io::Error::other("the Python file object raised an exception")
}

/// Reads from a Python object with `read(n) -> bytes`.
pub(crate) struct PyReader<'a> {
    file: Py<PyAny>,
    slot: &'a Slot,
    max: usize,
}

impl<'a> PyReader<'a> {
    /// A reader asking at most `max` bytes of `file` per call.
    pub(crate) fn new(file: Py<PyAny>, slot: &'a Slot, max: usize) -> Self {
        PyReader { file, slot, max }
    }
}

impl io::Read for PyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.slot.is_set() {
            return Err(aborted());
        }
        let want = buf.len().min(self.max);
        if want == 0 {
            return Ok(0);
        }
        Python::attach(|py| {
            let got = match self.file.call_method1(py, "read", (want,)) {
                Ok(g) => g,
                Err(e) => {
                    self.slot.set(e);
                    return Err(aborted());
                }
            };
            let got = got.bind(py);
            let n = if let Ok(b) = got.cast::<PyBytes>() {
                copy_into(b.as_bytes(), buf)
            } else if let Ok(b) = got.cast::<PyByteArray>() {
                copy_into(&b.to_vec(), buf)
            } else if got.is_none() {
                // a non-blocking raw file with no data yet: treated as the end would be
                // wrong, so refuse it
                self.slot.set(PyTypeError::new_err(
                    "the source returned None (a non-blocking file is not supported)",
                ));
                return Err(aborted());
            } else {
                self.slot.set(PyTypeError::new_err(
                    "the source must be opened in binary mode (read() must return bytes)",
                ));
                return Err(aborted());
            };
            match n {
                Some(n) => Ok(n),
                None => {
                    self.slot.set(PyTypeError::new_err(
                        "the source's read(n) returned more than n bytes",
                    ));
                    Err(aborted())
                }
            }
        })
    }
}

fn copy_into(src: &[u8], buf: &mut [u8]) -> Option<usize> {
    let dst = buf.get_mut(..src.len())?;
    dst.copy_from_slice(src);
    Some(src.len())
}

/// Writes to a Python object with `write(b)`.
pub(crate) struct PyWriter<'a> {
    file: Py<PyAny>,
    slot: &'a Slot,
}

impl<'a> PyWriter<'a> {
    /// A writer over `file`.
    pub(crate) fn new(file: Py<PyAny>, slot: &'a Slot) -> Self {
        PyWriter { file, slot }
    }
}

impl io::Write for PyWriter<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.slot.is_set() {
            return Err(aborted());
        }
        if data.is_empty() {
            return Ok(0);
        }
        Python::attach(|py| {
            let b = PyBytes::new(py, data);
            match self.file.call_method1(py, "write", (b,)) {
                // `write` of a buffered or BytesIO object writes everything; a raw file may
                // write less and says how much. A sink whose `write` returns None (many
                // file-likes) is taken to have written everything. 0 (a non-blocking file that
                // would block) or a count beyond what it was given is refused, never counted as
                // written.
                Ok(r) if r.is_none(py) => Ok(data.len()),
                Ok(r) => match r.extract::<usize>(py) {
                    Ok(n) if n > 0 && n <= data.len() => Ok(n),
                    Ok(0) => {
                        self.slot.set(PyTypeError::new_err(
                            "the destination's write() wrote nothing (a non-blocking file is \
                             not supported)",
                        ));
                        Err(aborted())
                    }
                    Ok(_) | Err(_) => {
                        self.slot.set(PyTypeError::new_err(
                            "the destination's write(b) must return None or a count of at most \
                             len(b) bytes",
                        ));
                        Err(aborted())
                    }
                },
                Err(e) => {
                    self.slot.set(e);
                    Err(aborted())
                }
            }
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
