"""The sealed-object testkit (tests/vectors/sealed, see tests/vectors/README.md) against joserfc:
what a plain JOSE library must do with each JWE file (its `generic_jose` member)."""

import base64
import json
from pathlib import Path

import pytest
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "sealed"
REGISTRY = jwe.JWERegistry(algorithms=["ECDH-ES+A256KW", "A256GCM"],
                           strict_check_header=False, verify_all_recipients=False)


def _b64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _cases():
    out = []
    for path in sorted(VECTORS.glob("*.json")):
        v = json.loads(path.read_text())
        if v.get("generic_jose") in ("opens", "fails"):
            out.append(pytest.param(v, id=v["name"]))
    return out


CASES = _cases()


def test_testkit_present():
    assert len(list(VECTORS.glob("*.json"))) >= 40
    assert len(CASES) >= 30


def _try_open(text: str, keys: list[dict]) -> bytes | None:
    """Plaintext if any of the opener's X25519 keys opens the JWE, else None."""
    for jwk in keys:
        key = OKPKey.import_key(jwk)
        try:
            if text.lstrip().startswith("{"):
                return jwe.decrypt_json(json.loads(text), key, registry=REGISTRY).plaintext
            return jwe.decrypt_compact(text, key, registry=REGISTRY).plaintext
        except (JoseError, ValueError, KeyError, TypeError):
            continue
    return None


@pytest.mark.parametrize("v", CASES)
def test_vector_with_joserfc(v):
    keys = json.loads((VECTORS / "keys" / f"{v['opener']}.jwk.json").read_text())["keys"]
    got = _try_open(_b64(v["sealed_b64u"]).decode(), keys)
    if v["generic_jose"] == "fails":
        assert got is None, "a plain JOSE library must refuse this file"
        return
    assert got is not None, "a plain JOSE library must open this file"
    want = v["expect"].get("opens_to", {}).get("plaintext_b64u")
    if want is not None:
        assert got == _b64(want)
