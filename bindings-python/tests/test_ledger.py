"""The local ledger: create/open as a context manager, append, checkpoint, inclusion /
consistency / revocation bundles, audit, bundle verification and the result objects."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pytest

import causeway
from causeway import Party

ORIGIN = "bank.example/log"


def _fill(log: causeway.Ledger, owner: Party, partner: Party, n: int) -> list[causeway.Receipt]:
    out = []
    for i in range(n):
        sealed = causeway.seal(causeway.Record("t/v1", i=i), owner=owner, recipients=[partner.public_keys])
        r = causeway.Receipt.sealed(sealed, owner=owner, origin=ORIGIN, time_ms=1_700_000_000_000 + i)
        out.append(r)
    log.append(out)
    return out


def test_ledger_round_trip(tmp_path: Path, bank: Party, partner: Party) -> None:
    path = tmp_path / "log.db"
    operator = causeway.Party.generate()
    with causeway.Ledger.create(path, origin=ORIGIN, log_key=operator.public_keys) as log:
        assert log.origin == ORIGIN and log.log_key == operator.public_keys and log.size() == 0
        rs = _fill(log, bank, partner, 3)
        first_cp = log.checkpoint(operator)
        held = causeway.attest(causeway.Record("c/v1", s=1), issuer=bank, subject=partner.public_keys)
        i = log.append(causeway.Receipt.attestation_issued(held.attestation, issuer=bank, origin=ORIGIN))
        assert i == 3 and len(log) == 4
        log.append(causeway.Receipt.attestation_revoked(held.attestation, issuer=bank, origin=ORIGIN))
        cp = log.checkpoint(operator)
        assert log.latest_checkpoint() == cp
        assert log.receipt(1).to_bytes() == rs[1].to_bytes()
        inc = log.prove_inclusion(1, size=3)
        con = log.prove_consistency(3)
        rev = log.prove_revocation(held.attestation)
        report = log.audit()
        assert report.entries == 5 and report.checkpoints == 2 and report.revocations == 1
        assert report.root == log.root()
        assert "AuditReport(entries=5" in repr(report) and "<table" in report._repr_html_()
    with pytest.raises(ValueError):
        log.size()
    # reopened: same log
    with causeway.Ledger.open(path) as log2:
        assert log2.size() == 5 and log2.latest_checkpoint() == cp
    k = operator.public_keys
    v = causeway.verify_bundle(inc, log_key=k, origin=ORIGIN)
    assert (v.kind, v.index, v.tree_size, v.origin_source) == ("inclusion", 1, 3, "caller")
    assert v.receipt is not None and v.receipt.to_bytes() == rs[1].to_bytes()
    assert v.receipt.kind == "record-sealed"
    v2 = causeway.verify_bundle(con, log_key=k, origin=ORIGIN)
    assert (v2.kind, v2.old_size, v2.tree_size, v2.old_checkpoint_signed) == ("consistency", 3, 5, True)
    v3 = causeway.verify_bundle(rev, log_key=k, origin=ORIGIN)
    assert (v3.kind, v3.revoked, v3.index) == ("revocation", True, 4)
    assert v3.origin_source == "caller"
    # a bundle checked against an older trusted checkpoint needs a consistency proof from it
    with pytest.raises(causeway.VerificationError):
        causeway.verify_bundle(rev, log_key=k, origin=ORIGIN, trusted_checkpoint=first_cp)
    v5 = causeway.verify_bundle(rev, log_key=k, trusted_checkpoint=cp)
    assert v5.origin_source == "trusted-checkpoint"
    v4 = causeway.verify_bundle(inc, log_key=k)
    assert v4.origin_source == "bundle"
    for x in (v, v2, v3):
        assert x._repr_html_().startswith("<table") and "VerifiedBundle(" in repr(x)
    # refusals: another log key, another origin, a changed byte
    with pytest.raises(causeway.VerificationError):
        causeway.verify_bundle(inc, log_key=bank.public_keys, origin=ORIGIN)
    with pytest.raises(causeway.VerificationError):
        causeway.verify_bundle(inc, log_key=k, origin="other.example/log")
    b = inc.replace('"leafIdx": 1', '"leafIdx": 2')
    with pytest.raises(causeway.CausewayError):
        causeway.verify_bundle(b, log_key=k, origin=ORIGIN)
    with pytest.raises(causeway.DecodeError):
        causeway.verify_bundle("{}", log_key=k)
    c = causeway.open_checkpoint(cp, log_key=k, origin=ORIGIN)
    assert c["size"] == 5 and c["origin"] == ORIGIN
    with pytest.raises(causeway.CausewayError):
        causeway.open_checkpoint(cp, log_key=bank.public_keys, origin=ORIGIN)


def test_ledger_refusals(tmp_path: Path, bank: Party, partner: Party) -> None:
    operator = causeway.Party.generate()
    path = tmp_path / "log.db"
    with causeway.Ledger.create(path, origin=ORIGIN, log_key=operator.public_keys) as log:
        _fill(log, bank, partner, 2)
        with pytest.raises(causeway.CausewayError) as e:
            log.checkpoint(bank)  # not the log key
        assert e.value.code == "ledger.wrong_signer"
        with pytest.raises(causeway.CausewayError) as e2:
            log.prove_inclusion(0)
        assert e2.value.code == "ledger.no_checkpoint"
        log.checkpoint(operator)
        with pytest.raises(causeway.CausewayError) as e3:
            log.prove_inclusion(7)
        assert e3.value.code == "ledger.out_of_range"
        # a receipt for another log is refused
        sealed = causeway.seal(b"x", owner=bank)
        with pytest.raises(causeway.CausewayError):
            log.append(causeway.Receipt.sealed(sealed, owner=bank, origin="elsewhere/log"))
        with pytest.raises(TypeError):
            log.append([b"not a receipt"])  # type: ignore[list-item]
        with pytest.raises(TypeError):
            pickle.dumps(log)
        # a receipt signed by someone who is not the owner
        with pytest.raises(causeway.CausewayError):
            causeway.Receipt.sealed(sealed, owner=partner, origin=ORIGIN)
    with pytest.raises(causeway.CausewayError):
        causeway.Ledger.create(path, origin=ORIGIN, log_key=operator.public_keys)
    with pytest.raises(causeway.CausewayError):
        causeway.Ledger.open(tmp_path / "missing.db")
    # tampering with the stored entries is caught by the audit
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
    assert tables
    db.close()
    r = causeway.Receipt.from_bytes(causeway.Receipt.sealed(sealed_bytes(bank), owner=bank, origin=ORIGIN).to_bytes())
    assert r.origin == ORIGIN
    bad = bytearray(r.to_bytes())
    bad[-1] ^= 1
    with pytest.raises(causeway.CausewayError):
        causeway.Receipt.from_bytes(bytes(bad))


def sealed_bytes(owner: Party) -> bytes:
    return causeway.seal(b"payload", owner=owner)


def test_merkle_functions() -> None:
    leaves = [causeway.merkle_leaf_hash(bytes([i])) for i in range(2)]
    import hashlib

    root = hashlib.sha256(b"\x01" + leaves[0] + leaves[1]).digest()
    causeway.verify_inclusion(leaf_hash=leaves[0], index=0, size=2, proof=[leaves[1]], root=root)
    with pytest.raises(causeway.VerificationError):
        causeway.verify_inclusion(leaf_hash=leaves[1], index=0, size=2, proof=[leaves[1]], root=root)
    with pytest.raises(ValueError):
        causeway.verify_inclusion(leaf_hash=leaves[0], index=0, size=2, proof=[leaves[1]] * 200, root=root)
    causeway.verify_consistency(size1=2, size2=2, proof=[], root1=root, root2=root)
