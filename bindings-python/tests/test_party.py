"""Parties and public keys: generation, key-file text, cwpub1 text, JWK, rotation."""

from __future__ import annotations

import copy
import pickle

import pytest

import causeway
from conftest import VECTORS


def test_generate_gives_distinct_keys() -> None:
    a, b = causeway.Party.generate(), causeway.Party.generate()
    assert a.key_id != b.key_id
    assert a.public_keys != b.public_keys
    assert len(a.key_id) == 32 and int(a.key_id, 16) >= 0


def test_secret_text_round_trip_keeps_retired_keys(bank: causeway.Party) -> None:
    old = bank.key_id
    bank.rotate()
    assert bank.key_id != old and bank.retired_key_ids == [old]
    again = causeway.Party.from_secret_text(bank.to_secret_text())
    assert again.key_id == bank.key_id
    assert again.retired_key_ids == [old]
    assert again.public_keys == bank.public_keys


def test_key_file_from_the_testkit_reads() -> None:
    erin = causeway.Party.from_secret_text((VECTORS / "keys" / "erin.key").read_text())
    assert len(erin.retired_key_ids) == 1
    assert str(erin.public_keys) == (VECTORS / "keys" / "erin.pub").read_text().strip()


def test_public_text_and_jwk_round_trip(bank: causeway.Party) -> None:
    pk = bank.public_keys
    text = pk.to_text()
    assert text.startswith("cwpub1") and str(pk) == text
    assert causeway.PublicKeys.from_text(text) == pk
    jwk = pk.to_jwk()
    assert [k["crv"] for k in jwk["keys"]] == ["Ed25519", "X25519"]
    assert causeway.PublicKeys.from_jwk(jwk) == pk
    import json
    assert causeway.PublicKeys.from_jwk(json.dumps(jwk)) == pk
    assert causeway.PublicKeys.parse(text) == pk
    assert causeway.PublicKeys.parse(json.dumps(jwk)) == pk
    assert pk.key_id == bank.key_id


def test_public_keys_hash_and_equality(bank: causeway.Party, partner: causeway.Party) -> None:
    a = bank.public_keys
    b = causeway.PublicKeys.from_text(a.to_text())
    assert a == b and hash(a) == hash(b)
    assert len({a, b, partner.public_keys}) == 2
    assert a != partner.public_keys
    assert a != a.to_text()  # no equality with text


def test_public_keys_pickle_round_trips(bank: causeway.Party) -> None:
    pk = bank.public_keys
    assert pickle.loads(pickle.dumps(pk)) == pk


def test_party_refuses_pickling_and_hides_secrets(bank: causeway.Party) -> None:
    with pytest.raises(TypeError, match="not picklable"):
        pickle.dumps(bank)
    with pytest.raises(TypeError):
        copy.deepcopy(bank)
    secret = bank.to_secret_text()
    assert "CW-SECRET-1" in secret
    for shown in (repr(bank), str(bank), repr(bank.public_keys)):
        assert "CW-SECRET" not in shown
        for line in secret.splitlines():
            if line.startswith("CW-SECRET"):
                assert line not in shown and line[12:40] not in shown


def test_bad_key_text_is_a_decode_error(bank: causeway.Party) -> None:
    text = bank.public_keys.to_text()
    for bad in ("", "cwpub1", text[:-1], text + "a", "hello", text.replace("cwpub1", "cwpub2")):
        with pytest.raises(causeway.MalformedError) as info:
            causeway.PublicKeys.from_text(bad)
        assert info.value.code.startswith("decode.")
        assert isinstance(info.value, ValueError)
    with pytest.raises(causeway.CausewayError):
        causeway.Party.from_secret_text("CW-SECRET-1garbage")
    with pytest.raises(causeway.TooLongError) as info:
        causeway.Party.from_secret_text("#" * (64 * 1024 + 1))
    assert info.value.code == "decode.too_long"
    # a public key is not a key file, and a key file's secret is not public text
    with pytest.raises(causeway.CausewayError):
        causeway.Party.from_secret_text(text)
    with pytest.raises(causeway.CausewayError):
        causeway.PublicKeys.from_text(bank.to_secret_text().splitlines()[-1])


def test_jwk_of_wrong_type_refused(bank: causeway.Party) -> None:
    jwk = bank.public_keys.to_jwk()
    jwk["keys"][1]["crv"] = "P-256"
    with pytest.raises(causeway.CausewayError):
        causeway.PublicKeys.from_jwk(jwk)
    with pytest.raises(TypeError):
        causeway.PublicKeys.from_jwk(42)  # type: ignore[arg-type]
