"""The shared sealed-object testkit (tests/vectors/sealed, tests/vectors/README.md): every file
gives the same outcome, and on failure the same error code, as in the Rust testkit
(tests/tests/sealed_vectors.rs, `run`)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import causeway
from conftest import VECTORS

# tests/src/testkit.rs ERROR_CLASSES: the classes a vector may name.
ERROR_CLASSES = {
    "decrypt", "not_a_recipient", "io", "decode.truncated", "decode.trailing_data",
    "decode.bad_magic", "decode.unsupported_version", "decode.unexpected_tag",
    "decode.too_long", "decode.invalid_utf8", "decode.invalid_base64", "decode.invalid_text",
    "decode.invalid", "decode.json",
}


def _b64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


_PARTIES: dict[str, causeway.Party] = {}


def _party(name: str) -> causeway.Party:
    if name not in _PARTIES:
        text = (VECTORS / "keys" / f"{name}.key").read_text()
        _PARTIES[name] = causeway.Party.from_secret_text(text)
    return _PARTIES[name]


def _vectors() -> list[Any]:
    return [pytest.param(json.loads(p.read_text()), id=p.stem) for p in sorted(VECTORS.glob("*.json"))]


VECTOR_CASES = _vectors()


def run(form: str, data: bytes, party: causeway.Party) -> object:
    """The Rust runner's calls, one per form; returns the content or raises."""
    if form == "jwe":
        return causeway.Sealed.parse(data).open(party)
    if form == "binary":
        return causeway.Sealed.from_bytes(data).open(party)
    if form == "foreign-jwe":
        return causeway.open_foreign_jwe(data, party=party)
    if form == "stream":
        opened = causeway.open(data, party=party)
        assert opened.format == "stream"
        return opened.content
    raise AssertionError(f"unknown form {form}")


def check_opened(got: object, want: dict[str, Any]) -> None:
    if "record" in want:
        assert isinstance(got, causeway.Record), "opened to bytes, expected a record"
        assert got == causeway.Record.from_json(json.dumps(want["record"]))
        plaintext = got.to_bytes()
    else:
        assert isinstance(got, bytes), "opened to a record, expected bytes"
        plaintext = got
    if "plaintext_b64u" in want:
        assert plaintext == _b64(want["plaintext_b64u"])
    if "sha256" in want:
        assert hashlib.sha256(plaintext).hexdigest() == want["sha256"]
    if "length" in want:
        assert len(plaintext) == want["length"]


def test_testkit_is_present() -> None:
    assert len(VECTOR_CASES) >= 100


@pytest.mark.parametrize("v", VECTOR_CASES)
def test_vector(v: dict[str, Any]) -> None:
    data = _b64(v["sealed_b64u"])
    party = _party(v["opener"])
    expect = v["expect"]
    if "opens_to" in expect:
        check_opened(run(v["form"], data, party), expect["opens_to"])
        return
    want = expect["fails_with"]
    assert want in ERROR_CLASSES
    with pytest.raises(causeway.CausewayError) as info:
        run(v["form"], data, party)
    assert info.value.code == want
    # The class follows the code: decryption failures are one opaque class, decoding errors
    # are ValueErrors.
    if want == "decrypt":
        assert type(info.value) is causeway.DecryptionError
    elif want == "not_a_recipient":
        assert type(info.value) is causeway.NotARecipientError
    elif want == "decode.unsupported_version":
        # kind "unsupported": not malformed, just newer than this build
        assert type(info.value) is causeway.UnsupportedError
    elif want.startswith("decode."):
        assert isinstance(info.value, causeway.DecodeError)
        assert isinstance(info.value, ValueError)


def _open_any_cases() -> list[Any]:
    # Bytes without the binary magic are not known to be meant as binary: `open` reads them as
    # JWE text (and reports that they are not UTF-8), so the bad-magic files are left out here.
    return [c for c in VECTOR_CASES
            if c.values[0]["form"] in ("jwe", "binary")
            and c.values[0]["expect"].get("fails_with") != "decode.bad_magic"]


@pytest.mark.parametrize("v", _open_any_cases())
def test_vector_through_open_any(v: dict[str, Any]) -> None:
    """`causeway.open` (core's open_any) agrees with the form-specific calls on every record
    vector but the bad-magic ones: what opens there opens here to the same content, what fails
    fails with the same code."""
    data = _b64(v["sealed_b64u"])
    party = _party(v["opener"])
    expect = v["expect"]
    if "opens_to" in expect:
        check_opened(causeway.open(data, party=party).content, expect["opens_to"])
    else:
        with pytest.raises(causeway.CausewayError) as info:
            causeway.open(data, party=party)
        assert info.value.code == expect["fails_with"]


def test_every_failure_class_is_covered() -> None:
    seen = Counter(c.values[0]["expect"].get("fails_with") for c in VECTOR_CASES)
    for c in ("decrypt", "not_a_recipient", "decode.truncated", "decode.trailing_data",
              "decode.bad_magic", "decode.unsupported_version", "decode.unexpected_tag",
              "decode.too_long", "decode.invalid_base64", "decode.invalid", "decode.json"):
        assert seen[c] > 0, c


def test_version_1_record_opens_without_an_owner_and_refuses_an_expected_one() -> None:
    """A version-1 object only claims its owner: `open` says so (owner None), and asking for
    an owner refuses it before decryption; the version-2 twin (101) is signed by alice."""
    alice = _party("alice")
    bob = _party("bob")
    v1 = _b64(json.loads((VECTORS / "001-jwe-record-for-recipient.json").read_text())["sealed_b64u"])
    v2 = _b64(json.loads((VECTORS / "101-jwe-record-for-recipient.json").read_text())["sealed_b64u"])
    old = causeway.open(v1, party=bob)
    assert old.version == 1 and old.owner is None and not old.owner_signed
    with pytest.raises(causeway.DeniedError) as info:
        causeway.open(v1, party=bob, expect_owner=alice.public_keys)
    assert info.value.code == "seal.unauthenticated"
    new = causeway.open(v2, party=bob, expect_owner=alice.public_keys)
    assert new.version == 2 and new.owner == alice.key_id and new.content == old.content
    # grant needs the owner's signature over the recipient list: refused on version 1
    with pytest.raises(causeway.DeniedError) as info:
        causeway.grant(v1, owner=alice, to=_party("carol").public_keys)
    assert info.value.code == "seal.unauthenticated"
