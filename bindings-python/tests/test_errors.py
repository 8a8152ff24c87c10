"""The exception hierarchy follows core's error classification; panics never reach Python."""

from __future__ import annotations

import os
import pickle

import pytest

import causeway
from causeway import _native, errors


def test_every_core_code_maps_to_a_class_of_its_kind() -> None:
    codes = _native.error_codes()
    assert len(codes) > 100
    kinds = {"malformed": causeway.MalformedError, "denied": causeway.DeniedError,
             "unsupported": causeway.UnsupportedError, "io": causeway.StorageError,
             "internal": causeway.InternalError}
    for code, kind in codes:
        e = errors._from_native(code, kind, "m")
        assert isinstance(e, kinds[kind]), (code, kind, type(e))
        assert e.code == code and e.kind == kind
        if kind == "malformed":
            assert isinstance(e, ValueError)
        if kind == "io":
            assert isinstance(e, OSError)
    cls = {c: type(errors._from_native(c, k, "m")) for c, k in codes}
    assert cls["decrypt"] is causeway.DecryptionError
    assert cls["not_a_recipient"] is causeway.NotARecipientError
    assert cls["decode.truncated"] is causeway.DecodeError
    assert cls["decode.too_long"] is causeway.TooLongError
    assert cls["verify.proof"] is causeway.VerificationError
    assert cls["log.invalid_proof"] is causeway.VerificationError


def test_a_panic_becomes_internal_error() -> None:
    # The panicking function exists only in builds with the `self-test` feature, which the
    # project's suite uses (and says so through CAUSEWAY_PY_SELF_TEST=1, so that there a
    # missing function fails instead of skipping).
    if not hasattr(_native, "_boundary_self_test"):
        assert os.environ.get("CAUSEWAY_PY_SELF_TEST") != "1", "built without the self-test feature"
        pytest.skip("built without the self-test feature (a release build)")
    with pytest.raises(causeway.InternalError) as info:
        _native._boundary_self_test()
    assert info.value.code == "internal.panic" and info.value.kind == "internal"
    assert isinstance(info.value, Exception)


def test_exceptions_pickle_with_their_code() -> None:
    e = errors._from_native("decrypt", "denied", "decryption failed")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is causeway.DecryptionError and back.code == "decrypt" and str(back) == str(e)


def test_exported_names() -> None:
    for name in causeway.__all__:
        assert hasattr(causeway, name), name
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), causeway.CausewayError)


def test_version_is_the_crates() -> None:
    import re
    from pathlib import Path
    cargo = (Path(__file__).resolve().parents[2] / "Cargo.toml").read_text()
    m = re.search(r'\[workspace\.package\]\s*\nversion = "([^"]+)"', cargo)
    assert m and causeway.__version__ == m.group(1)
    from importlib.metadata import version
    assert version("causeway") == m.group(1)
