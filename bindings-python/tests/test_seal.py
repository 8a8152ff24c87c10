"""seal / open / grant / revoke / inspect: round trips and every refusal class."""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Callable

import pytest

import causeway
from causeway import Party


def rec() -> causeway.Record:
    return causeway.Record("kyc/v1", score=712, name="Ada")


@pytest.mark.parametrize("form", ["binary", "jwe"])
def test_record_round_trip(form: str, bank: Party, partner: Party) -> None:
    sealed = causeway.seal(rec(), owner=bank, recipients=[partner.public_keys], form=form)
    assert isinstance(sealed, bytes)
    if form == "jwe":
        assert json.loads(sealed)["protected"]
    else:
        assert sealed[:2] == b"CW"
    for who in (bank, partner):
        opened = causeway.open(sealed, party=who)
        assert opened.content == rec() and opened.record == rec()
        assert opened.format == form and opened.version == 2 and opened.epoch == 0
        assert opened.owner == bank.key_id and opened.owner_signed
        assert opened.record_id and len(opened.record_id) == 32


@pytest.mark.parametrize("data", [b"", b"payload", bytes(range(256)) * 100])
def test_bytes_round_trip_all_buffer_types(data: bytes, bank: Party, partner: Party) -> None:
    for given in (data, bytearray(data), memoryview(data)):
        sealed = causeway.seal(given, owner=bank, recipients=[partner.public_keys])
        opened = causeway.open(sealed, party=partner)
        got = opened.content
        assert type(got) is bytes and got == data
        with pytest.raises(causeway.DecodeError) as info:
            opened.record
        assert info.value.code == "decode.invalid"
        assert causeway.open(bytearray(sealed), party=partner).content == data
        assert causeway.open(memoryview(sealed), party=partner).content == data


def test_jwe_text_opens_as_str(bank: Party, partner: Party) -> None:
    sealed = causeway.seal(b"x", owner=bank, recipients=[partner.public_keys], form="jwe")
    assert causeway.open(sealed.decode(), party=partner).content == b"x"


def test_sealed_object_api(bank: Party, partner: Party) -> None:
    sealed = causeway.Sealed.parse(causeway.seal(rec(), owner=bank))
    assert sealed.recipients == [bank.key_id] and sealed.owner == bank.key_id
    assert sealed.content_type == "application/vnd.causeway.record+bin" and sealed.version == 2 and sealed.epoch == 0
    assert causeway.Sealed.from_bytes(sealed.to_bytes()).to_bytes() == sealed.to_bytes()
    assert causeway.Sealed.from_jwe(sealed.to_jwe()).to_bytes() == sealed.to_bytes()
    granted = sealed.grant(bank, partner.public_keys)
    assert granted.open(partner) == rec()
    revoked = granted.revoke(bank, partner.key_id)
    assert revoked.epoch == 1
    with pytest.raises(causeway.NotARecipientError):
        revoked.open(partner)
    assert revoked.open(bank) == rec()
    assert "Sealed(record_id=" in repr(sealed)


def test_grant_then_revoke_keeps_form(bank: Party, partner: Party, outsider: Party) -> None:
    for form in ("binary", "jwe"):
        sealed = causeway.seal(rec(), owner=bank, recipients=[partner.public_keys], form=form)
        with pytest.raises(causeway.NotARecipientError) as info:
            causeway.open(sealed, party=outsider)
        assert info.value.code == "not_a_recipient" and info.value.kind == "denied"
        granted = causeway.grant(sealed, owner=bank, to=outsider.public_keys)
        assert granted[:2] == sealed[:2]
        assert causeway.open(granted, party=outsider).content == rec()
        # revoke by PublicKeys and by key id
        r1 = causeway.revoke(granted, owner=bank, recipient=outsider.public_keys)
        r2 = causeway.revoke(granted, owner=bank, recipient=outsider.key_id)
        for revoked in (r1, r2):
            assert causeway.inspect(revoked)["epoch"] == 1
            with pytest.raises(causeway.NotARecipientError):
                causeway.open(revoked, party=outsider)
            assert causeway.open(revoked, party=partner).content == rec()


def test_revoked_recipient_cannot_use_old_key_on_new_epoch(bank: Party, partner: Party) -> None:
    """The revoked party keeps the old copy (nothing can take it back), but the new epoch has a
    new content key: the old wrapped key does not open it, even spliced in."""
    granted = causeway.Sealed.parse(causeway.seal(rec(), owner=bank, recipients=[partner.public_keys]))
    revoked = granted.revoke(bank, partner.public_keys)
    assert revoked.epoch == 1 and partner.key_id not in revoked.recipients
    old = json.loads(granted.to_jwe())
    new = json.loads(revoked.to_jwe())
    spliced = dict(new)
    spliced["recipients"] = new["recipients"] + [r for r in old["recipients"] if r["header"]["kid"] == partner.key_id]
    with pytest.raises(causeway.CausewayError) as info:
        causeway.open(json.dumps(spliced), party=partner)
    assert info.value.code in ("decrypt", "decode.invalid")


def test_only_the_owner_grants_and_revokes(bank: Party, partner: Party, outsider: Party) -> None:
    sealed = causeway.seal(rec(), owner=bank, recipients=[partner.public_keys])
    with pytest.raises(causeway.NotOwnerError) as info:
        causeway.grant(sealed, owner=partner, to=outsider.public_keys)
    assert info.value.code == "seal.not_owner"
    with pytest.raises(causeway.NotOwnerError):
        causeway.revoke(sealed, owner=partner, recipient=bank.key_id)
    with pytest.raises(causeway.MalformedError) as info:
        causeway.revoke(sealed, owner=bank, recipient=bank.public_keys)
    assert info.value.code == "seal.revoke_owner"
    with pytest.raises(causeway.MalformedError) as info:
        causeway.revoke(sealed, owner=bank, recipient=outsider.key_id)
    assert info.value.code == "seal.unknown_recipient"


@pytest.mark.parametrize("form", ["binary", "jwe"])
def test_every_changed_byte_is_refused(form: str, bank: Party, partner: Party) -> None:
    """Flip each byte of a small sealed record in turn: never plaintext, only Causeway errors."""
    sealed = causeway.seal(b"secret!", owner=bank, recipients=[partner.public_keys], form=form)
    codes = set()
    step = 1 if form == "binary" else 7
    for i in range(0, len(sealed), step):
        bad = bytearray(sealed)
        bad[i] ^= 0x01
        try:
            got = causeway.open(bytes(bad), party=partner).content
        except causeway.CausewayError as e:
            codes.add(e.code)
            continue
        # A JWE's base64url can have a flipped bit that decodes to the same bytes only if
        # decoding were lax; core's is strict, so any opening is a defect.
        pytest.fail(f"byte {i} flipped still opened to {got!r}")
    assert "decrypt" in codes


def test_wrong_key_and_old_key(bank: Party, partner: Party, outsider: Party) -> None:
    sealed = causeway.seal(b"x", owner=bank, recipients=[partner.public_keys])
    with pytest.raises(causeway.NotARecipientError):
        causeway.open(sealed, party=outsider)
    # a party that rotated still opens what was sealed to its old key
    partner.rotate()
    assert causeway.open(sealed, party=partner).content == b"x"
    # a party made from the retired key alone is not the new key
    fresh = causeway.seal(b"y", owner=bank, recipients=[partner.public_keys])
    old_only = Party.from_secret_text(partner.to_secret_text().split("\n", 1)[1].split("\n", 2)[-1])
    with pytest.raises(causeway.NotARecipientError):
        causeway.open(fresh, party=old_only)


def test_expect_owner(bank: Party, partner: Party, outsider: Party) -> None:
    sealed = causeway.seal(b"x", owner=bank, recipients=[partner.public_keys])
    assert causeway.open(sealed, party=partner, expect_owner=bank.public_keys).content == b"x"
    assert causeway.open(sealed, party=partner, expect_owner=bank.key_id).content == b"x"
    with pytest.raises(causeway.DeniedError) as info:
        causeway.open(sealed, party=partner, expect_owner=outsider.public_keys)
    assert info.value.code == "seal.wrong_owner"
    with pytest.raises(causeway.DecodeError):
        causeway.open(sealed, party=partner, expect_owner="not-a-key-id")


def test_inspect_has_no_secrets(bank: Party, partner: Party) -> None:
    sealed = causeway.seal(b"top secret plaintext", owner=bank, recipients=[partner.public_keys])
    info = causeway.inspect(sealed)
    assert info["owner"] == bank.key_id and info["owner_signature"] == "valid"
    assert set(info["recipients"]) == {bank.key_id, partner.key_id}
    assert b"top secret" not in json.dumps(info).encode()


def test_argument_errors(bank: Party, partner: Party) -> None:
    with pytest.raises(TypeError):
        causeway.seal("a str", owner=bank)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        causeway.seal(b"x", owner=bank, recipients=partner.public_keys)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        causeway.seal(b"x", owner=bank, recipients=[partner.public_keys.to_text()])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        causeway.seal(b"x", bank)  # type: ignore[misc]  # keyword-only
    with pytest.raises(ValueError):
        causeway.seal(b"x", owner=bank, form="pem")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        causeway.open(12, party=bank)  # type: ignore[arg-type]
    for junk in (b"", b"CW", b"{", b"\xff" * 10):
        with pytest.raises(causeway.MalformedError):
            causeway.open(junk, party=bank)


def test_limits(bank: Party) -> None:
    many = [Party.generate().public_keys for _ in range(3)]
    assert len(causeway.inspect(causeway.seal(b"x", owner=bank, recipients=many * 2))["recipients"]) == 4
    with pytest.raises(causeway.LimitError) as info:
        causeway.seal(bytes(64 * 1024 * 1024 + 1), owner=bank)
    assert info.value.code == "seal.payload_too_large"


def _ran_during(call: Callable[[], object]) -> int:
    """How many times another Python thread ran its loop while `call` was running: exact, not
    timed. The switch interval is raised so that nothing preempts a thread holding the GIL; the
    other thread gives the GIL up only in `time.sleep(0)`. So a call that holds the GIL
    throughout leaves the counter exactly where it was, and a call that releases it lets the
    other thread count."""
    count = [0]
    stop = threading.Event()
    started = threading.Event()

    def tick() -> None:
        started.set()
        while not stop.is_set():
            count[0] += 1
            time.sleep(0)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    t = threading.Thread(target=tick)
    try:
        t.start()
        started.wait()
        before = count[0]
        call()
        after = count[0]
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    return after - before


def test_gil_is_released_while_sealing_and_opening(bank: Party) -> None:
    """Another Python thread runs while a large payload is sealed and opened; a call that
    holds the GIL (bytes.replace) lets it run not once, so the check can fail."""
    data = bytes(16 * 1024 * 1024)
    assert _ran_during(lambda: data.replace(b"\x00", b"\x01")) == 0
    sealed = causeway.seal(data, owner=bank)
    assert _ran_during(lambda: causeway.seal(data, owner=bank)) > 0
    assert _ran_during(lambda: causeway.open(sealed, party=bank)) > 0


def test_sealing_twice_gives_fresh_ids_keys_and_nonces(bank: Party, partner: Party) -> None:
    a = causeway.Sealed.parse(causeway.seal(b"same", owner=bank, recipients=[partner.public_keys], form="jwe"))
    b = causeway.Sealed.parse(causeway.seal(b"same", owner=bank, recipients=[partner.public_keys], form="jwe"))
    ja, jb = json.loads(a.to_jwe()), json.loads(b.to_jwe())
    assert a.record_id != b.record_id
    assert ja["iv"] != jb["iv"] and ja["ciphertext"] != jb["ciphertext"]
    assert {r["encrypted_key"] for r in ja["recipients"]}.isdisjoint(r["encrypted_key"] for r in jb["recipients"])


def _child_material(owner_text: str) -> tuple[str, str, str]:
    owner = Party.from_secret_text(owner_text)
    sealed = json.loads(causeway.seal(b"x", owner=owner, form="jwe"))
    return Party.generate().key_id, sealed["iv"], sealed["recipients"][0]["encrypted_key"]


def test_forked_workers_never_repeat_keys_or_nonces(bank: Party) -> None:
    """Randomness comes from the OS at each call: forked workers (multiprocessing's default on
    Linux) draw different keys, IVs and wrapped keys from each other and from the parent."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        got = pool.map(_child_material, [bank.to_secret_text()] * 8)
    got.append(_child_material(bank.to_secret_text()))
    for i in range(3):
        values = [g[i] for g in got]
        assert len(set(values)) == len(values), i


def test_one_mib_straight_into_bytes_round_trips_and_refuses_tampering(
    bank: Party, partner: Party, outsider: Party
) -> None:
    data = bytes(range(256)) * 4096
    sealed = causeway.seal(data, owner=bank, recipients=[partner.public_keys])
    assert isinstance(sealed, bytes)
    assert len(sealed) == len(causeway.Sealed.from_bytes(sealed).to_bytes())
    for party in (bank, partner):
        opened = causeway.open(sealed, party=party, expect_owner=bank.public_keys)
        assert opened.content == data and opened.format == "binary" and opened.owner_signed
        assert causeway.Sealed.from_bytes(sealed).open(party) == data
    with pytest.raises(causeway.errors.CausewayError):
        causeway.open(sealed, party=outsider)
    for at in (10, len(sealed) // 2, len(sealed) - 1):
        t = bytearray(sealed)
        t[at] ^= 1
        with pytest.raises(causeway.errors.CausewayError):
            causeway.open(bytes(t), party=partner)
    with pytest.raises(causeway.errors.CausewayError):
        causeway.open(sealed, party=partner, expect_owner=partner.public_keys)


def test_open_borrowing_the_ciphertext_says_what_the_other_paths_say(
    bank: Party, partner: Party, outsider: Party
) -> None:
    # Issue 12: sealed bytes in the binary form are opened without copying the ciphertext
    # (core's CheckedSealedRef); every attribute and every refusal is the one the JWE form and
    # Sealed.open give, for every size class around the 64 KiB and 1 MiB marks.
    for n in (0, 1, 65_535, 65_536, 65_537, (1 << 20) + 3):
        data = bytes((i * 7) % 251 for i in range(n))
        sealed = causeway.seal(data, owner=bank, recipients=[partner.public_keys])
        jwe = causeway.Sealed.from_bytes(sealed).to_jwe().encode()
        a = causeway.open(sealed, party=partner, expect_owner=bank.public_keys)
        b = causeway.open(jwe, party=partner, expect_owner=bank.public_keys)
        assert a.content == b.content == data
        assert (a.format, b.format) == ("binary", "jwe")
        for attr in ("version", "owner", "owner_signed", "record_id", "epoch"):
            assert getattr(a, attr) == getattr(b, attr), attr
        # the same input as bytearray and memoryview (copied once): the same plaintext
        assert causeway.open(bytearray(sealed), party=partner).content == data
        assert causeway.open(memoryview(sealed), party=partner).content == data
    # refusals: same exception class and code as the JWE form
    for bad_party, expect in ((outsider, None), (partner, partner.public_keys)):
        codes = []
        for form in (sealed, jwe):
            with pytest.raises(causeway.errors.CausewayError) as e:
                causeway.open(form, party=bad_party, expect_owner=expect)
            codes.append((type(e.value), e.value.code))
        assert codes[0] == codes[1]
    # truncated and trailing bytes: a decode error, never a panic or a partial plaintext
    for t in (sealed[:5], sealed[:100], sealed[:-1], sealed + b"\x00"):
        with pytest.raises(causeway.errors.CausewayError):
            causeway.open(t, party=partner)
    # a sealed record still opens as a record through the binary form
    rec = causeway.Record("kyc/v1", score=712)
    opened = causeway.open(
        causeway.seal(rec, owner=bank, recipients=[partner.public_keys]), party=partner
    )
    assert opened.format == "binary" and opened.record["score"] == 712
