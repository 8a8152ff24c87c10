"""Hypothesis: generated inputs (random bytes, wrong types, huge and negative numbers, mutated
valid objects) across the public functions raise only Causeway exceptions or TypeError /
ValueError (a negative or huge int is `IntegerRangeError`, a Causeway `ValueError`). Never a
PanicException (a BaseException: it would fail the test), never anything else. More than
10,000 inputs in all (the last test counts them)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is a test requirement (tests/interop/python/requirements.txt)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import causeway  # noqa: E402

ALLOWED = (causeway.CausewayError, TypeError, ValueError)
COUNT = {"n": 0}

PARTY = causeway.Party.generate()
OTHER = causeway.Party.generate()
SEALED = causeway.seal(causeway.Record("s/v1", a=1, b="x"), owner=PARTY, recipients=[OTHER.public_keys])
JWE = causeway.seal(b"bytes", owner=PARTY, form="jwe")
_STREAM = io.BytesIO()
causeway.seal_stream(io.BytesIO(b"z" * 70_000), _STREAM, owner=PARTY)
STREAM = _STREAM.getvalue()
HELD = causeway.attest(causeway.Record("c/v1", score=5, name="n"), issuer=PARTY, subject=OTHER.public_keys)
CH = causeway.new_challenge()
PRES = causeway.present(holder=OTHER, attested=[HELD], challenge=CH, disclose=["name"], prove=["score >= 1"]).to_bytes()
RL = causeway.RevocationList.issue(issuer=PARTY, revoked=[HELD.attestation]).to_bytes()
VALID = [SEALED, JWE, STREAM, PRES, RL, HELD.attestation.to_bytes(), HELD.to_secret_bytes()]

junk = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.builds(bytearray, st.binary(max_size=50)),
    st.builds(memoryview, st.binary(max_size=50)),
)


@st.composite
def mutated(draw: Any) -> bytes:
    """A valid object with one to three bytes changed, a truncation or an extension."""
    base = bytearray(draw(st.sampled_from(VALID)))
    how = draw(st.sampled_from(["flip", "truncate", "extend", "splice"]))
    if how == "flip" and base:
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, len(base) - 1))
            base[i] ^= draw(st.integers(1, 255))
    elif how == "truncate":
        base = base[: draw(st.integers(0, max(0, len(base) - 1)))]
    elif how == "extend":
        base += draw(st.binary(min_size=1, max_size=20))
    else:
        i = draw(st.integers(0, len(base)))
        base[i:i] = draw(st.binary(min_size=1, max_size=8))
    return bytes(base)


inputs = st.one_of(junk, mutated())


def _call(f: Callable[[], object]) -> None:
    COUNT["n"] += 1
    try:
        f()
    except ALLOWED:
        pass


FUNCS: list[tuple[str, Callable[[Any], object]]] = [
    ("open", lambda x: causeway.open(x, party=OTHER)),
    ("Sealed.parse", lambda x: causeway.Sealed.parse(x)),
    ("inspect", lambda x: causeway.inspect(x)),
    ("grant", lambda x: causeway.grant(x, owner=PARTY, to=OTHER.public_keys)),
    ("revoke", lambda x: causeway.revoke(x, owner=PARTY, recipient=x)),
    ("open_foreign_jwe", lambda x: causeway.open_foreign_jwe(x, party=OTHER)),
    ("Record.from_bytes", lambda x: causeway.Record.from_bytes(x)),
    ("Record", lambda x: causeway.Record("s", v=x)),
    ("PublicKeys.parse", lambda x: causeway.PublicKeys.parse(x)),
    ("Party.from_secret_text", lambda x: causeway.Party.from_secret_text(x)),
    ("open_stream", lambda x: causeway.open_stream(io.BytesIO(x), io.BytesIO(), party=PARTY)),
    ("Attestation.from_bytes", lambda x: causeway.Attestation.from_bytes(x)),
    ("AttestedRecord.from_secret_bytes", lambda x: causeway.AttestedRecord.from_secret_bytes(x)),
    ("RevocationList.from_bytes", lambda x: causeway.RevocationList.from_bytes(x)),
    ("Statement.parse", lambda x: causeway.Statement.parse(x)),
    ("Statement.at_least", lambda x: causeway.Statement.at_least("f", x)),
    ("Statement.between", lambda x: causeway.Statement.between("f", x, x)),
    ("Presentation.verify", lambda x: causeway.Presentation.from_bytes(x).verify(issuers=[PARTY.public_keys], challenge=CH)),
    ("present challenge", lambda x: causeway.present(holder=OTHER, attested=[HELD], challenge=x, prove=["score >= 1"])),
    ("present prove", lambda x: causeway.present(holder=OTHER, attested=[HELD], challenge=CH, prove=[x])),
    ("present disclose", lambda x: causeway.present(holder=OTHER, attested=[HELD], challenge=CH, disclose=[x])),
    ("attest window", lambda x: causeway.attest(causeway.Record("c", a=1), issuer=PARTY, subject=OTHER.public_keys, not_before=x)),
    ("VerifyingKey.from_bytes", lambda x: causeway.VerifyingKey.from_bytes(x)),
    ("KeyRing.add_proving_key", lambda x: causeway.KeyRing().add_proving_key("attribute", x)),
    ("membership_root", lambda x: causeway.membership_root(x, depth=4)),
    ("verify_membership", lambda x: causeway.verify_membership(x, root="00" * 32, depth=4, challenge=CH, keys=causeway.KeyRing())),
    ("MemberSecret.from_secret_text", lambda x: causeway.MemberSecret.from_secret_text(x)),
    ("verify_bundle", lambda x: causeway.verify_bundle(x, log_key=PARTY.public_keys)),
    ("verify_anchor_receipt", lambda x: causeway.verify_anchor_receipt(x, log_key=PARTY.public_keys, origin="o", anchored_checkpoint="o\n1\nAA==\n", chain_id=1, contract="0x" + "00" * 20)),
    ("Receipt.from_bytes", lambda x: causeway.Receipt.from_bytes(x)),
    ("open_checkpoint", lambda x: causeway.open_checkpoint(x, log_key=PARTY.public_keys, origin="o")),
    ("verify_inclusion", lambda x: causeway.verify_inclusion(leaf_hash=x, index=0, size=1, proof=[], root=x)),
    ("verify_consistency", lambda x: causeway.verify_consistency(size1=1, size2=2, proof=[x], root1=x, root2=x)),
    ("merkle_leaf_hash", lambda x: causeway.merkle_leaf_hash(x)),
]


@pytest.mark.parametrize("name,f", FUNCS, ids=[n for n, _ in FUNCS])
@settings(max_examples=320, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(x=inputs)
def test_only_expected_exceptions(name: str, f: Callable[[Any], object], x: Any) -> None:
    _call(lambda: f(x))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(n=st.integers(min_value=-(2**70), max_value=2**70), s=st.text(max_size=30))
def test_numbers_and_names(n: int, s: str) -> None:
    _call(lambda: causeway.Record("s", **{"k": n}))
    _call(lambda: causeway.Record(s, k=1))
    _call(lambda: causeway.Statement.at_least(s, n))
    _call(lambda: causeway.KeyRing.setup([s]) if not s.startswith(("attr", "sum", "mem")) else None)
    _call(lambda: causeway.verify_inclusion(leaf_hash=b"\0" * 32, index=n, size=n, proof=[], root=b"\0" * 32))
    _call(lambda: causeway.membership_root([], depth=n))


def test_zz_enough_inputs() -> None:
    """Runs last in this file: the generated inputs above add up to at least 10,000."""
    if COUNT["n"] == 0:
        pytest.skip("run with the whole file to count the inputs")
    assert COUNT["n"] >= 10_000, COUNT["n"]
