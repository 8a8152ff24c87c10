"""Sealed streams to and from paths and file objects: round trips, progress, bounded memory,
refusals, and nothing written half-way to a path."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest

import causeway
from causeway import Party


def _data(n: int) -> bytes:
    # deterministic, incompressible-looking
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(i.to_bytes(8, "big")).digest()
        i += 1
    return bytes(out[:n])


@pytest.mark.parametrize("n", [0, 1, 65535, 65536, 65537, 3 * 65536 + 17])
def test_path_round_trip(tmp_path: Path, n: int, bank: Party, partner: Party) -> None:
    src, sealed, out = tmp_path / "in", tmp_path / "in.cw", tmp_path / "out"
    data = _data(n)
    src.write_bytes(data)
    info = causeway.seal_stream(src, sealed, owner=bank, recipients=[partner.public_keys])
    assert info["plaintext_len"] == n and info["signed"] and info["owner"] == bank.key_id
    assert partner.key_id in info["recipients"]
    got = causeway.open_stream(sealed, out, party=partner, expect_owner=bank.public_keys)
    assert out.read_bytes() == data and got["plaintext_len"] == n
    assert got["record_id"] == info["record_id"]
    # the one-shot open reads the same stream
    opened = causeway.open(sealed.read_bytes(), party=partner)
    assert opened.format == "stream" and opened.content == data


def test_file_objects_and_small_chunks(bank: Party, partner: Party) -> None:
    data = _data(200_000)
    sealed = io.BytesIO()
    causeway.seal_stream(io.BytesIO(data), sealed, owner=bank, recipients=[partner.public_keys], chunk_size=777)
    out = io.BytesIO()
    sealed.seek(0)
    causeway.open_stream(sealed, out, party=partner, chunk_size=4096)
    assert out.getvalue() == data


def test_progress_callback_reports_totals(tmp_path: Path, bank: Party) -> None:
    data = _data(300_000)
    seen: list[tuple[int, object]] = []
    src = tmp_path / "in"
    src.write_bytes(data)
    causeway.seal_stream(src, tmp_path / "s", owner=bank, progress=lambda d, t: seen.append((d, t)), chunk_size=65536)
    assert seen and seen[-1] == (len(data), len(data))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    # a non-seekable source has no total
    class Pipe(io.RawIOBase):
        def __init__(self, b: bytes) -> None:
            self._b = io.BytesIO(b)

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            return self._b.read(n)

        def seekable(self) -> bool:
            return False

    seen.clear()
    causeway.seal_stream(Pipe(data), io.BytesIO(), owner=bank, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (len(data), None)


def test_progress_true_uses_tqdm_when_installed(tmp_path: Path, bank: Party) -> None:
    pytest.importorskip("tqdm", reason="tqdm is an optional extra")
    src = tmp_path / "in"
    src.write_bytes(b"x" * 1000)
    causeway.seal_stream(src, tmp_path / "s", owner=bank, progress=True)
    assert (tmp_path / "s").exists()


def test_progress_exception_aborts_and_writes_nothing(tmp_path: Path, bank: Party) -> None:
    src = tmp_path / "in"
    src.write_bytes(_data(500_000))

    def stop(done: int, total: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        causeway.seal_stream(src, tmp_path / "s", owner=bank, progress=stop, chunk_size=65536)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def _tamper(b: bytes, at: int) -> bytes:
    x = bytearray(b)
    x[at] ^= 1
    return bytes(x)


@pytest.mark.parametrize("how", ["flip-middle", "flip-last", "truncate-chunk", "truncate-end", "append"])
def test_tampered_stream_leaves_no_output_file(tmp_path: Path, how: str, bank: Party, partner: Party) -> None:
    data = _data(3 * 65536 + 5)
    sealed = io.BytesIO()
    causeway.seal_stream(io.BytesIO(data), sealed, owner=bank, recipients=[partner.public_keys])
    b = sealed.getvalue()
    bad = {
        "flip-middle": lambda: _tamper(b, len(b) // 2),
        "flip-last": lambda: _tamper(b, len(b) - 1),
        "truncate-chunk": lambda: b[: len(b) - 100],
        "truncate-end": lambda: b[: len(b) - 64],
        "append": lambda: b + b"\x00",
    }[how]()
    (tmp_path / "bad.cw").write_bytes(bad)
    out = tmp_path / "out"
    with pytest.raises(causeway.DecryptionError) as e:
        causeway.open_stream(tmp_path / "bad.cw", out, party=partner)
    assert e.value.code == "decrypt"
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.cw"]


def test_refusals(tmp_path: Path, bank: Party, partner: Party, outsider: Party) -> None:
    sealed = io.BytesIO()
    causeway.seal_stream(io.BytesIO(b"secret"), sealed, owner=bank, recipients=[partner.public_keys])
    b = sealed.getvalue()
    with pytest.raises(causeway.NotARecipientError) as e:
        causeway.open_stream(io.BytesIO(b), io.BytesIO(), party=outsider)
    assert e.value.code == "not_a_recipient"
    # another owner expected: refused before decryption
    with pytest.raises(causeway.CausewayError) as e2:
        causeway.open_stream(io.BytesIO(b), io.BytesIO(), party=partner, expect_owner=outsider.public_keys)
    assert e2.value.code == "seal.wrong_owner"
    with pytest.raises(causeway.DecodeError):
        causeway.open_stream(io.BytesIO(b"CW\x01\x03garbage"), io.BytesIO(), party=partner)
    # existing target: refused unless overwrite
    (tmp_path / "t").write_bytes(b"keep")
    with pytest.raises(FileExistsError):
        causeway.seal_stream(io.BytesIO(b"x"), tmp_path / "t", owner=bank)
    assert (tmp_path / "t").read_bytes() == b"keep"
    causeway.seal_stream(io.BytesIO(b"x"), tmp_path / "t", owner=bank, overwrite=True)
    assert (tmp_path / "t").read_bytes()[:2] == b"CW"
    # types
    with pytest.raises(TypeError):
        causeway.seal_stream(12, io.BytesIO(), owner=bank)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        causeway.seal_stream(io.StringIO("text"), io.BytesIO(), owner=bank)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        causeway.seal_stream(io.BytesIO(b""), io.BytesIO(), owner=bank, chunk_size=0)
    with pytest.raises(ValueError):
        causeway.seal_stream(tmp_path / "t", tmp_path / "t", owner=bank, overwrite=True)


def test_file_object_errors_propagate_unchanged(bank: Party) -> None:
    class Boom(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, b: object) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError) as e:
        causeway.seal_stream(io.BytesIO(b"x" * 100), Boom(), owner=bank)
    assert e.value.errno == 28

    class BadRead(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            return b"y" * (n + 1)

    with pytest.raises(TypeError):
        causeway.seal_stream(BadRead(), io.BytesIO(), owner=bank)

    class WouldBlock(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, b: object) -> int:
            return 0

    class Overcounts(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, b: object) -> int:
            return len(b) + 1  # type: ignore[arg-type]

    # neither may be counted as a complete write (bytes silently lost)
    for sink in (WouldBlock(), Overcounts()):
        with pytest.raises(TypeError):
            causeway.seal_stream(io.BytesIO(b"x" * 100), sink, owner=bank)


def test_memory_is_bounded(tmp_path: Path, bank: Party) -> None:
    """32 MiB through the path API with 1 MiB steps: Python-side peak stays a few MiB."""
    n = 32 << 20
    src = tmp_path / "big"
    with open(src, "wb") as f:
        block = _data(1 << 20)
        for _ in range(n >> 20):
            f.write(block)
    tracemalloc.start()
    causeway.seal_stream(src, tmp_path / "big.cw", owner=bank)
    causeway.open_stream(tmp_path / "big.cw", tmp_path / "big.out", party=bank)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 << 20, peak
    assert os.path.getsize(tmp_path / "big.out") == n
    h1 = hashlib.sha256(src.read_bytes()).digest()
    assert hashlib.sha256((tmp_path / "big.out").read_bytes()).digest() == h1
