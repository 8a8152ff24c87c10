"""Records: dict-like access, typed values, the i64 check, JSON and binary round trips."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

import causeway


def sample() -> causeway.Record:
    return causeway.Record(
        "kyc/v1",
        {"score": 712, "limit": Decimal("85000.50")},
        since=datetime.date(1815, 12, 10),
        name="Ada",
        photo=b"\x00\x01\xfe",
        verified=True,
    )


def test_values_keep_their_python_types() -> None:
    r = sample()
    assert r.schema == "kyc/v1"
    assert r["score"] == 712 and type(r["score"]) is int
    assert r["limit"] == Decimal("85000.50") and str(r["limit"]) == "85000.50"
    assert r["since"] == datetime.date(1815, 12, 10)
    assert r["name"] == "Ada" and r["photo"] == b"\x00\x01\xfe"
    assert r["verified"] is True
    assert dict(r.items()) == r.to_dict()
    assert list(r) == sorted(r.keys()) == ["limit", "name", "photo", "score", "since", "verified"]
    assert len(r) == 6 and "name" in r and "nope" not in r and 3 not in r
    assert r.get("nope") is None and r.get("nope", 5) == 5
    assert dict(r.types())["limit"] == "decimal"


def test_bool_is_not_an_int() -> None:
    r = causeway.Record("t", yes=True, one=1)
    assert dict(r.types()) == {"one": "int", "yes": "bool"}


def test_json_and_bytes_round_trip() -> None:
    r = sample()
    assert causeway.Record.from_json(r.to_json()) == r
    assert causeway.Record.from_bytes(r.to_bytes()) == r
    assert causeway.Record.from_bytes(bytearray(r.to_bytes())) == r
    assert causeway.Record.from_bytes(memoryview(r.to_bytes())) == r


def test_mutation() -> None:
    r = sample()
    r["score"] = 800
    assert r["score"] == 800
    r["new"] = "x"
    del r["photo"]
    assert "photo" not in r and r["new"] == "x"
    with pytest.raises(KeyError):
        del r["photo"]
    with pytest.raises(KeyError):
        r["photo"]


@pytest.mark.parametrize("big", [2**63, -(2**63) - 1, 10**40])
def test_int_outside_i64_is_refused(big: int) -> None:
    with pytest.raises(causeway.IntegerRangeError) as info:
        causeway.Record("t", x=big)
    e = info.value
    assert isinstance(e, OverflowError) and isinstance(e, ValueError)
    assert e.code == "record.invalid_value" and e.kind == "malformed"
    r = causeway.Record("t", x=2**63 - 1, y=-(2**63))
    assert r["x"] == 2**63 - 1 and r["y"] == -(2**63)
    with pytest.raises(causeway.IntegerRangeError):
        r["x"] = 2**63
    assert r["x"] == 2**63 - 1  # unchanged after the refusal


def test_integer_like_types_are_ints() -> None:
    class Index:
        def __init__(self, v: int) -> None:
            self.v = v

        def __index__(self) -> int:
            return self.v

    r = causeway.Record("t", x=Index(5))  # type: ignore[arg-type]
    assert r["x"] == 5 and type(r["x"]) is int
    with pytest.raises(causeway.IntegerRangeError):
        causeway.Record("t", x=Index(2**64))  # type: ignore[arg-type]


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="decimal.Decimal"):
        causeway.Record("t", x=1.5)
    with pytest.raises(TypeError, match="date"):
        causeway.Record("t", x=datetime.datetime(2020, 1, 1))
    for bad in (None, [1], {"a": 1}, object()):
        with pytest.raises(TypeError):
            causeway.Record("t", x=bad)
    with pytest.raises(TypeError):
        causeway.Record("t", {1: 2})
    with pytest.raises(TypeError):
        causeway.Record("t", 5)  # type: ignore[arg-type]


def test_bad_decimals_and_names_are_malformed() -> None:
    for d in (Decimal("NaN"), Decimal("Infinity"), Decimal("1e-19"), Decimal("1e30")):
        with pytest.raises(causeway.MalformedError) as info:
            causeway.Record("t", x=d)
        assert info.value.code == "record.invalid_value"
    assert causeway.Record("t", x=Decimal("1E+3"))["x"] == Decimal("1000")
    with pytest.raises(causeway.MalformedError) as info:
        causeway.Record("t", **{"bad name": 1})
    assert info.value.code == "record.invalid_field_name"
    with pytest.raises(causeway.MalformedError) as info:
        causeway.Record("")
    assert info.value.code == "record.invalid_schema"


def test_limits() -> None:
    with pytest.raises(causeway.LimitError) as info:
        causeway.Record("t", {f"f{i}": i for i in range(257)})
    assert info.value.code == "record.limit"
    with pytest.raises(causeway.MalformedError):
        causeway.Record("t", s="x" * (64 * 1024 + 1))


def test_decoding_garbage_is_a_decode_error() -> None:
    r = sample().to_bytes()
    for bad in (b"", r[:-1], r + b"\x00", b"XX" + r[2:]):
        with pytest.raises(causeway.DecodeError):
            causeway.Record.from_bytes(bad)
    with pytest.raises(causeway.DecodeError) as info:
        causeway.Record.from_json("{")
    assert info.value.code == "decode.json"
    with pytest.raises(TypeError):
        causeway.Record.from_bytes("text")  # type: ignore[arg-type]


def test_repr_shows_no_values() -> None:
    r = causeway.Record("kyc/v1", ssn="123-45-6789", score=712)
    assert "123-45-6789" not in repr(r) and "712" not in repr(r)
    assert "ssn: string" in repr(r)
