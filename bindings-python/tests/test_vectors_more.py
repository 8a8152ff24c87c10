"""The shared testkit beyond sealed objects (tests/vectors/README.md): attest, membership,
ledger (proof bundles), anchor (receipts) and rfc6962 give the same outcome, and on failure
the same error class and code, as the Rust tests that run them (tests/tests/*_vectors.rs)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

import causeway
from conftest import ROOT

V = ROOT / "tests" / "vectors"


def _files(d: str) -> list[Any]:
    return [pytest.param(json.loads(p.read_text()), id=p.stem) for p in sorted((V / d).glob("*.json"))]


def _b64u(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


# ---- attest/ (tests/tests/attest_vectors.rs) ---------------------------------------------------

def _verify_code(variant: str) -> str:
    """The Rust `VerifyError` variant a negative case names (its Debug form, e.g.
    `CountedTwice("attestation")`) → core's stable code (`verify.counted_twice`)."""
    name = variant.split("(", 1)[0]
    snake = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return "verify." + snake


@pytest.mark.parametrize("v", _files("attest"))
def test_attest_vectors(v: dict[str, Any]) -> None:
    issuer = causeway.PublicKeys.from_text(v["issuer_public"])
    holder = causeway.PublicKeys.from_text(v["holder_public"])
    a = causeway.Attestation.from_bytes(bytes.fromhex(v["attestation"]))
    assert a.id == v["attestation_id"] and a.to_bytes().hex() == v["attestation"]
    assert a.subject == holder.key_id and a.issuer == issuer.key_id
    if "record_id" in v:
        assert a.record_id == v["record_id"]
    held = causeway.AttestedRecord.from_secret_bytes(bytes.fromhex(v["attested_record"]))
    assert held.attestation == a
    assert held.record == causeway.Record.from_json(json.dumps(v["record"]))
    assert held.to_secret_bytes().hex() == v["attested_record"]
    p = causeway.Presentation.from_bytes(bytes.fromhex(v["presentation"]))
    assert p.to_bytes().hex() == v["presentation"]
    got = p.verify(issuers=[issuer], challenge=v["challenge"], now=v["now"])
    assert json.loads(got.to_json()) == v["verified"]
    assert got.statements == v["statements"]
    for n in v["negative"]:
        with pytest.raises(causeway.CausewayError) as e:
            causeway.Presentation.from_bytes(bytes.fromhex(n["presentation"])).verify(
                issuers=[issuer], challenge=n["challenge"], now=n["now"]
            )
        if n["error"] != "any":
            assert isinstance(e.value, causeway.VerificationError), n["case"]
            assert e.value.code == _verify_code(n["error"]), n["case"]


# ---- membership/ (tests/tests/membership_vectors.rs) ------------------------------------------


@pytest.mark.parametrize("v", _files("membership"))
def test_membership_vectors(v: dict[str, Any]) -> None:
    ring = causeway.KeyRing()
    ring.add_verifying_key(v["circuit"], _b64u(v["verifying_key_b64u"]))
    assert causeway.membership_root(v["leaves"], depth=v["depth"]) == v["root"]
    expect = v["expect"]
    if expect.get("parses") is False:
        with pytest.raises(causeway.DecodeError):
            causeway.verify_membership(
                v["proof_json"], root=v["root"], depth=v["depth"], challenge=v["challenge"],
                keys=ring, nullifier_context=v["nullifier_context"],
            )
        return
    if expect["verifies"]:
        n = causeway.verify_membership(
            v["proof_json"], root=v["root"], depth=v["depth"], challenge=v["challenge"],
            keys=ring, nullifier_context=v["nullifier_context"],
        )
        assert n == expect["nullifier"]
    else:
        with pytest.raises(causeway.VerificationError) as e:
            causeway.verify_membership(
                v["proof_json"], root=v["root"], depth=v["depth"], challenge=v["challenge"],
                keys=ring, nullifier_context=v["nullifier_context"],
            )
        assert e.value.code.startswith("verify.")


# ---- ledger/ (tests/tests/bundle_vectors.rs) ---------------------------------------------------


@pytest.mark.parametrize("v", _files("ledger"))
def test_bundle_vectors(v: dict[str, Any]) -> None:
    key = causeway.PublicKeys.from_text(v["log_key"])
    expect = v["expect"]
    if "fails" in expect:
        with pytest.raises(causeway.CausewayError) as e:
            causeway.verify_bundle(v["bundle"], log_key=key, origin=v["origin"])
        if isinstance(expect["fails"], str) and "." in expect["fails"]:
            assert e.value.code == expect["fails"]
        return
    got = causeway.verify_bundle(v["bundle"], log_key=key, origin=v["origin"])
    assert got.kind == expect["verified"]
    assert got.tree_size == expect["tree_size"]
    if "index" in expect:
        assert got.index == expect["index"]
    if "old_size" in expect:
        assert got.old_size == expect["old_size"]
        assert got.old_checkpoint_signed == expect["old_checkpoint_signed"]
    if "revoked" in expect:
        assert got.revoked == expect["revoked"]


# ---- anchor/ (tests/tests/anchor_vectors.rs) ---------------------------------------------------


@pytest.mark.parametrize("v", _files("anchor"))
def test_anchor_vectors(v: dict[str, Any]) -> None:
    key = causeway.PublicKeys.from_text(v["log_key"])
    origin = v["anchored_checkpoint"].split("\n", 1)[0]
    receipt = _b64u(v["receipt_b64u"])
    got = causeway.verify_anchor_receipt(
        receipt, log_key=key, origin=origin, anchored_checkpoint=v["anchored_checkpoint"],
        chain_id=v["chain_id"], contract=v["contract"],
    )
    assert got.index == v["entry_index"] and got.anchored_value == v["anchored_value"]
    assert got.chain_id == v["chain_id"] and got.contract == v["contract"]
    assert "<table" in got._repr_html_()
    # the same receipt for another chain or contract, or a changed byte, does not verify
    with pytest.raises(causeway.CausewayError):
        causeway.verify_anchor_receipt(
            receipt, log_key=key, origin=origin, anchored_checkpoint=v["anchored_checkpoint"],
            chain_id=v["chain_id"] + 1, contract=v["contract"],
        )
    with pytest.raises(causeway.CausewayError):
        causeway.verify_anchor_receipt(
            receipt, log_key=key, origin=origin, anchored_checkpoint=v["anchored_checkpoint"],
            chain_id=v["chain_id"], contract="0x" + "cd" * 20,
        )
    b = bytearray(receipt)
    b[len(b) // 2] ^= 1
    with pytest.raises(causeway.CausewayError):
        causeway.verify_anchor_receipt(
            bytes(b), log_key=key, origin=origin, anchored_checkpoint=v["anchored_checkpoint"],
            chain_id=v["chain_id"], contract=v["contract"],
        )


# ---- rfc6962/ (tests/tests/ledger_vectors.rs) --------------------------------------------------


def _rfc6962() -> list[Any]:
    return [
        pytest.param(json.loads(p.read_text()), id=str(p.relative_to(V / "rfc6962")))
        for p in sorted((V / "rfc6962").rglob("*.json"))
    ]


RFC6962 = _rfc6962()


def test_rfc6962_counts() -> None:
    # the same totals the Rust test asserts
    assert len(RFC6962) == 196
    assert sum(1 for p in RFC6962 if not p.values[0]["wantErr"]) == 12


def _b64std(x: Any) -> bytes:
    return base64.b64decode(x) if x is not None else b""


@pytest.mark.parametrize("v", RFC6962)
def test_rfc6962_vectors(v: dict[str, Any]) -> None:
    proof = [_b64std(p) for p in (v["proof"] or [])]

    def run() -> None:
        if "leafIdx" in v:
            causeway.verify_inclusion(
                leaf_hash=_b64std(v["leafHash"]), index=v["leafIdx"], size=v["treeSize"],
                proof=proof, root=_b64std(v["root"]),
            )
        else:
            causeway.verify_consistency(
                size1=v["size1"], size2=v["size2"], proof=proof,
                root1=_b64std(v["root1"]), root2=_b64std(v["root2"]),
            )

    if v["wantErr"]:
        with pytest.raises(causeway.CausewayError) as e:
            run()
        assert e.value.code.startswith("log.")
    else:
        run()


_RANGE_OUTCOMES = {
    "decode_error": causeway.errors.DecodeError,
    "verify_error": causeway.errors.VerificationError,
    "invalid_statement": causeway.errors.MalformedError,
}


@pytest.mark.parametrize("v", _files("range"))
def test_range_vectors(v: dict[str, Any]) -> None:
    """tests/vectors/range through causeway.hazmat: the outcome tests/tests/range_vectors.rs
    asserts for each file (raw Bulletproofs under the vectors' fixed transcript)."""
    from causeway.hazmat import verify_range_vector

    claims = [
        (
            bytes.fromhex(c["commitment"]),
            None if c["lo"] is None else int(c["lo"]),
            None if c["hi"] is None else int(c["hi"]),
        )
        for c in v["claims"]
    ]
    args = dict(
        challenge=bytes.fromhex(v["challenge"]), claims=claims, proof=bytes.fromhex(v["proof"])
    )
    assert v["transcript_label"] == "causeway-range vector"
    if v["expect"] == "ok":
        verify_range_vector(**args)  # type: ignore[arg-type]
        # any changed proof byte, a moved bound or another challenge is refused
        p = bytearray(args["proof"])  # type: ignore[arg-type]
        p[len(p) // 2] ^= 1
        with pytest.raises((causeway.errors.DecodeError, causeway.errors.VerificationError)):
            verify_range_vector(**{**args, "proof": bytes(p)})  # type: ignore[arg-type]
        with pytest.raises(causeway.errors.VerificationError):
            verify_range_vector(**{**args, "challenge": b"another challenge"})  # type: ignore[arg-type]
        return
    with pytest.raises(_RANGE_OUTCOMES[v["expect"]]) as e:
        verify_range_vector(**args)  # type: ignore[arg-type]
    # the narrowest class: an invalid statement is not a decode error
    if v["expect"] == "invalid_statement":
        assert not isinstance(e.value, causeway.errors.DecodeError)


def test_range_vectors_cover_every_outcome() -> None:
    files = sorted((V / "range").glob("*.json"))
    kinds = {json.loads(p.read_text())["expect"] for p in files}
    assert kinds == {"ok", "decode_error", "verify_error", "invalid_statement"}
    assert len(files) >= 10
