"""Sealed streams to and from paths and binary file objects, in bounded memory.

The cryptography is core's chunked stream (64 KiB AES-256-GCM chunks, an owner signature over
the header and over the whole stream), run in Rust with the GIL released; it takes the GIL back
only to call the file objects' ``read`` / ``write`` and the progress callback. Memory stays
bounded by ``chunk_size`` plus one stream chunk, whatever the size of the input.

Nothing is written half-way to a **path**: the output goes to a temporary file in the same
directory, which is renamed over the target only after the stream is complete (sealing) or has
authenticated to its end (opening), and is removed on any failure. A **file object** given as
the output receives bytes as they are produced (opening: only chunks that authenticated); on
failure the caller must discard what it received — the exception says the output is not a
whole stream (decision 0084).

Progress: ``progress(done, total)`` is called with the plaintext bytes processed so far and the
total when known (a path or a seekable file), else ``None``; ``progress=True`` shows a ``tqdm``
bar when ``tqdm`` is installed (and is ignored otherwise). The callback runs with the GIL held,
between chunks; an exception it raises aborts the operation (nothing is written to a path).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from typing import IO, Any, Callable, Optional, Union

from ._native import Party, PublicKeys, _open_stream_io, _seal_stream_io

__all__ = ["seal_stream", "open_stream", "DEFAULT_CHUNK_SIZE", "MAX_CHUNK_SIZE"]

DEFAULT_CHUNK_SIZE = 1 << 20
"""Bytes read from the input per step (1 MiB)."""
MAX_CHUNK_SIZE = 64 << 20
"""The largest ``chunk_size`` accepted (64 MiB): the bound on memory per step."""

PathLike = Union[str, "os.PathLike[str]"]
Source = Union[PathLike, IO[bytes]]
Progress = Union[bool, Callable[[int, Optional[int]], Any], None]


def _is_path(x: object) -> bool:
    return isinstance(x, (str, os.PathLike))


def _total_of(f: IO[bytes]) -> Optional[int]:
    try:
        if f.seekable():
            pos = f.tell()
            end = f.seek(0, io.SEEK_END)
            f.seek(pos)
            return end - pos
    except (OSError, ValueError, AttributeError):
        return None
    return None


class _Reporter:
    """Calls the user's callback, or drives a tqdm bar, or does nothing."""

    def __init__(self, progress: Progress, total: Optional[int], desc: str) -> None:
        self._cb: Optional[Callable[[int, Optional[int]], Any]] = None
        self._bar: Any = None
        self._total = total
        self._done = 0
        if progress is True:
            try:
                from tqdm.auto import tqdm  # type: ignore[import-not-found,import-untyped,unused-ignore]
            except ImportError:
                return
            self._bar = tqdm(total=total, unit="B", unit_scale=True, desc=desc)
        elif progress is False or progress is None:
            return
        elif callable(progress):
            self._cb = progress
        else:
            raise TypeError("progress must be a callable, True (tqdm) or None")

    def active(self) -> bool:
        return self._cb is not None or self._bar is not None

    def __call__(self, done: int) -> None:
        step = done - self._done
        self._done = done
        if self._cb is not None:
            self._cb(done, self._total)
        if self._bar is not None and step > 0:
            self._bar.update(step)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _check_chunk(chunk_size: int) -> None:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise TypeError("chunk_size must be an int")
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be between 1 and {MAX_CHUNK_SIZE}")


def _readable(x: object, what: str) -> IO[bytes]:
    if not hasattr(x, "read"):
        raise TypeError(f"{what} must be a path or a binary file object opened for reading")
    return x  # type: ignore[return-value]


def _writable(x: object, what: str) -> IO[bytes]:
    if not hasattr(x, "write"):
        raise TypeError(f"{what} must be a path or a binary file object opened for writing")
    return x  # type: ignore[return-value]


def _atomic(
    target: PathLike, work: Callable[[IO[bytes]], None], overwrite: bool
) -> None:
    target = os.fspath(target)
    if not overwrite and os.path.exists(target):
        raise FileExistsError(f"{target} exists (pass overwrite=True to replace it)")
    d = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=".causeway-", suffix=".part", dir=d)
    try:
        with os.fdopen(fd, "wb") as out:
            work(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def seal_stream(
    source: Source,
    destination: Source,
    *,
    owner: Party,
    recipients: Optional[Iterable[PublicKeys]] = None,
    progress: Progress = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Seals ``source`` (a path or a binary file object) as a chunked stream for ``recipients``
    (the owner is always one) into ``destination`` (a path, written atomically, or a binary
    file object). Returns the stream's info (record id, owner, recipients, plaintext length).
    """
    _check_chunk(chunk_size)
    keys = list(recipients) if recipients is not None else None

    def run(src: IO[bytes], dst: IO[bytes]) -> dict[str, Any]:
        rep = _Reporter(progress, _total_of(src), "seal")
        try:
            return _seal_stream_io(
                src,
                dst,
                owner=owner,
                recipients=keys,
                progress=rep if rep.active() else None,
                chunk_size=chunk_size,
            )
        finally:
            rep.close()

    return _with_io(source, destination, run, overwrite)


def open_stream(
    source: Source,
    destination: Source,
    *,
    party: Party,
    expect_owner: Union[PublicKeys, str, None] = None,
    progress: Progress = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Opens a sealed stream from ``source`` as ``party`` into ``destination`` (a path: written
    to a temporary file and renamed only once the whole stream authenticated; a file object:
    receives authenticated chunks as they come, to be discarded if this raises). With
    ``expect_owner`` anything not signed by that owner is refused before decryption. Returns
    the stream's info; a truncated or altered stream raises ``DecryptionError``.
    """
    _check_chunk(chunk_size)

    def run(src: IO[bytes], dst: IO[bytes]) -> dict[str, Any]:
        rep = _Reporter(progress, _total_of(src), "open")
        try:
            return _open_stream_io(
                src,
                dst,
                party=party,
                expect_owner=expect_owner,
                progress=rep if rep.active() else None,
                chunk_size=chunk_size,
            )
        finally:
            rep.close()

    return _with_io(source, destination, run, overwrite)


def _with_io(
    source: Source,
    destination: Source,
    run: Callable[[IO[bytes], IO[bytes]], dict[str, Any]],
    overwrite: bool,
) -> dict[str, Any]:
    result: dict[str, Any] = {}

    def with_src(dst: IO[bytes]) -> None:
        if _is_path(source):
            with open(os.fspath(source), "rb") as src:  # type: ignore[arg-type]
                result.update(run(src, dst))
        else:
            result.update(run(_readable(source, "source"), dst))


    if _is_path(destination):
        if _is_path(source) and os.path.abspath(os.fspath(source)) == os.path.abspath(  # type: ignore[arg-type]
            os.fspath(destination)  # type: ignore[arg-type]
        ):
            raise ValueError("source and destination are the same file")
        _atomic(destination, with_src, overwrite)  # type: ignore[arg-type]
    else:
        with_src(_writable(destination, "destination"))
    return result
