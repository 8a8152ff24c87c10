"""Cross-face: objects made in Python open / verify with the CLI binary, and CLI-made ones in
Python (streams, attestations and presentations, ledger proof bundles). Skipped, with the reason,
only when the CLI binary is not built."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import causeway
from conftest import ROOT

NOW = 1_800_000_000


def _cli() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "causeway"


CLI = _cli()
pytestmark = pytest.mark.skipif(
    not CLI.exists(), reason=f"the CLI binary is not built ({CLI}); run `cargo build -p causeway-cli`"
)


def cli(*args: str, input: bytes | None = None) -> bytes:
    r = subprocess.run([str(CLI), *args], input=input, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout


def cli_fails(*args: str) -> int:
    r = subprocess.run([str(CLI), *args], capture_output=True, timeout=300)
    assert r.returncode != 0
    return r.returncode


@pytest.fixture
def keys(tmp_path: Path) -> tuple[causeway.Party, Path, causeway.Party, Path]:
    a, b = causeway.Party.generate(), causeway.Party.generate()
    pa, pb = tmp_path / "a.key", tmp_path / "b.key"
    pa.write_text(a.to_secret_text())
    pb.write_text(b.to_secret_text())
    return a, pa, b, pb


def test_streams_both_ways(tmp_path: Path, keys: tuple[causeway.Party, Path, causeway.Party, Path]) -> None:
    a, pa, b, pb = keys
    data = os.urandom(200_000)
    (tmp_path / "in").write_bytes(data)
    # Python seals, the CLI opens
    causeway.seal_stream(tmp_path / "in", tmp_path / "py.cw", owner=a, recipients=[b.public_keys])
    cli("open", "-k", str(pb), "-i", str(tmp_path / "py.cw"), "-o", str(tmp_path / "cli.out"), "--expect-owner", a.key_id)
    assert (tmp_path / "cli.out").read_bytes() == data
    # the CLI seals, Python opens
    cli("seal", "-k", str(pa), "-r", b.public_keys.to_text(), "--stream", "-i", str(tmp_path / "in"), "-o", str(tmp_path / "cli.cw"))
    causeway.open_stream(tmp_path / "cli.cw", tmp_path / "py.out", party=b, expect_owner=a.public_keys)
    assert (tmp_path / "py.out").read_bytes() == data
    # a changed byte: both faces refuse, neither writes
    bad = bytearray((tmp_path / "py.cw").read_bytes())
    bad[len(bad) // 2] ^= 1
    (tmp_path / "bad.cw").write_bytes(bytes(bad))
    cli_fails("open", "-k", str(pb), "-i", str(tmp_path / "bad.cw"), "-o", str(tmp_path / "x1"))
    with pytest.raises(causeway.DecryptionError):
        causeway.open_stream(tmp_path / "bad.cw", tmp_path / "x2", party=b)
    assert not (tmp_path / "x1").exists() and not (tmp_path / "x2").exists()


def test_presentations_both_ways(tmp_path: Path, keys: tuple[causeway.Party, Path, causeway.Party, Path]) -> None:
    issuer, pi, holder, ph = keys
    record = causeway.Record("credit/v1", score=742, name="Ada")
    ch = causeway.new_challenge().hex()
    # Python attests and presents, the CLI verifies
    held = causeway.attest(record, issuer=issuer, subject=holder.public_keys, not_before=NOW - 1)
    p = causeway.present(holder=holder, attested=[held], challenge=ch, disclose=["name"], prove=["score >= 700"])
    (tmp_path / "p.json").write_text(p.to_json())
    out = json.loads(cli("--json", "verify", "-i", str(tmp_path / "p.json"), "--issuer", issuer.public_keys.to_text(), "--challenge", ch, "--now", str(NOW)))
    assert out["statements"] == ["score >= 700"] and out["subject"] == holder.key_id
    cli_fails("verify", "-i", str(tmp_path / "p.json"), "--issuer", issuer.public_keys.to_text(), "--challenge", causeway.new_challenge().hex(), "--now", str(NOW))
    # the holder file Python wrote is what the CLI presents from
    (tmp_path / "held.bin").write_bytes(held.to_secret_bytes())
    cli("present", "-k", str(ph), "-a", str(tmp_path / "held.bin"), "--prove", "score >= 700", "--challenge", ch, "-o", str(tmp_path / "cli-p.json"))
    # the CLI attests, Python presents and verifies; the CLI's presentation verifies in Python
    (tmp_path / "rec.json").write_text(record.to_json())
    cli("attest", "-k", str(pi), "--subject", holder.public_keys.to_text(), "-i", str(tmp_path / "rec.json"), "--not-before", str(NOW - 1), "-o", str(tmp_path / "cli-held.bin"))
    cli_held = causeway.AttestedRecord.from_secret_bytes((tmp_path / "cli-held.bin").read_bytes())
    assert cli_held.record == record
    v = causeway.present(holder=holder, attested=[cli_held], challenge=ch, prove=["score >= 700"]).verify(
        issuers=[issuer.public_keys], challenge=ch, now=NOW
    )
    assert v.statements == ["score >= 700"]
    v2 = causeway.Presentation.from_bytes((tmp_path / "cli-p.json").read_bytes()).verify(issuers=[issuer.public_keys], challenge=ch, now=NOW)
    assert v2.subject == holder.key_id


def test_ledger_bundles_both_ways(tmp_path: Path, keys: tuple[causeway.Party, Path, causeway.Party, Path]) -> None:
    operator, po, owner, _ = keys
    origin = "x.example/log"
    db = tmp_path / "l.db"
    with causeway.Ledger.create(db, origin=origin, log_key=operator.public_keys) as log:
        for i in range(3):
            log.append(causeway.Receipt.sealed(causeway.seal(bytes([i]), owner=owner), owner=owner, origin=origin))
        log.checkpoint(operator)
        bundle = log.prove_inclusion(2)
    (tmp_path / "b.json").write_text(bundle)
    out = json.loads(cli("--json", "ledger", "verify", "--log-key", operator.public_keys.to_text(), "--origin", origin, str(tmp_path / "b.json")))
    assert out  # the CLI verified a Python-made bundle
    cli_fails("ledger", "verify", "--log-key", owner.public_keys.to_text(), "--origin", origin, str(tmp_path / "b.json"))
    # the CLI audits and proves from the Python-made ledger; Python verifies the CLI's bundle
    cli("ledger", "audit", "--db", str(db))
    proved = cli("ledger", "prove", "--db", str(db), "--index", "1")
    v = causeway.verify_bundle(proved, log_key=operator.public_keys, origin=origin)
    assert v.kind == "inclusion" and v.index == 1 and v.tree_size == 3
