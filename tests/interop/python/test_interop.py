"""Causeway <-> joserfc: sealed records open with an independent JOSE library, and JWEs it
makes for a Causeway party's X25519 key open with Causeway."""

import json

import pytest
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

ALGS = ["ECDH-ES+A256KW", "A256GCM"]
# Causeway's JWEs carry their own header members (cw_v, cw_rid, ... and cw_pk per recipient);
# a plain JOSE library must ignore them, so joserfc's strict header check is turned off. Only
# the recipient whose key we hold can unwrap: don't require every recipient to verify.
REGISTRY = jwe.JWERegistry(algorithms=ALGS, strict_check_header=False, verify_all_recipients=False)

PAYLOADS = [b"hello, regulator", b"", bytes(range(256)) * 40]


@pytest.mark.parametrize("payload", PAYLOADS, ids=["text", "empty", "10KiB"])
def test_causeway_sealed_opens_with_joserfc(cw, payload):
    alice, bob = cw.party("alice"), cw.party("bob")
    sealed = cw.seal(alice, cw.pubkey(bob), payload)
    doc = json.loads(sealed)
    assert len(doc["recipients"]) == 2  # the owner is always a recipient too
    for who in (alice, bob):
        key = OKPKey.import_key(cw.jwk(who, secret=True))
        assert jwe.decrypt_json(doc, key, registry=REGISTRY).plaintext == payload


def test_causeway_sealed_does_not_open_for_another_key(cw):
    alice, bob, carol = cw.party("alice"), cw.party("bob"), cw.party("carol")
    doc = json.loads(cw.seal(alice, cw.pubkey(bob), b"not for carol"))
    key = OKPKey.import_key(cw.jwk(carol, secret=True))
    with pytest.raises((JoseError, ValueError)):
        jwe.decrypt_json(doc, key, registry=REGISTRY)


def _joserfc_general(plaintext: bytes, public: OKPKey) -> str:
    obj = jwe.GeneralJSONEncryption({"enc": "A256GCM"}, plaintext)
    obj.add_recipient({"alg": "ECDH-ES+A256KW", "kid": public.kid}, public)
    return json.dumps(jwe.encrypt_json(obj, None, registry=REGISTRY))


def _joserfc_flattened(plaintext: bytes, public: OKPKey) -> str:
    obj = jwe.FlattenedJSONEncryption({"enc": "A256GCM", "alg": "ECDH-ES+A256KW"}, plaintext)
    obj.add_recipient(None, public)
    return json.dumps(jwe.encrypt_json(obj, None, registry=REGISTRY))


def _joserfc_compact(plaintext: bytes, public: OKPKey) -> str:
    header = {"alg": "ECDH-ES+A256KW", "enc": "A256GCM"}
    return jwe.encrypt_compact(header, plaintext, public, registry=REGISTRY)


@pytest.mark.parametrize("make", [pytest.param(_joserfc_compact, id="compact"),
                                  pytest.param(_joserfc_flattened, id="flattened"),
                                  pytest.param(_joserfc_general, id="general")])
@pytest.mark.parametrize("payload", PAYLOADS, ids=["text", "empty", "10KiB"])
def test_joserfc_jwe_opens_with_causeway(cw, make, payload):
    bob = cw.party("bob")
    public = OKPKey.import_key(cw.jwk(bob))
    assert public.as_dict()["crv"] == "X25519"
    token = make(payload, public)
    assert cw.open(bob, token) == payload


def test_joserfc_jwe_for_another_key_is_refused(cw):
    bob, carol = cw.party("bob"), cw.party("carol")
    token = _joserfc_general(b"for bob only", OKPKey.import_key(cw.jwk(bob)))
    with pytest.raises(RuntimeError, match="decryption failed"):
        cw.open(carol, token)


def test_tampered_joserfc_jwe_is_refused(cw):
    bob = cw.party("bob")
    doc = json.loads(_joserfc_general(b"integrity", OKPKey.import_key(cw.jwk(bob))))
    ct = doc["ciphertext"]
    doc["ciphertext"] = ("A" if ct[0] != "A" else "B") + ct[1:]
    with pytest.raises(RuntimeError, match="decryption failed"):
        cw.open(bob, json.dumps(doc))
