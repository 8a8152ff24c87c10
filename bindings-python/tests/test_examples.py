"""The Python examples (examples/python/) run, so they cannot rot: the bank/merchant script as a
subprocess, its notebook executed cell by cell with nbclient in a real Jupyter kernel, and the
committed notebook is exactly the one derived from the script, with no outputs. Plus the
attacks the story's checks must stop, made on the same objects the example makes."""

from __future__ import annotations

import datetime
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import causeway
from causeway import Statement

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "python"
SCRIPT = EXAMPLES / "bank_merchant.py"
NOTEBOOK = EXAMPLES / "bank_merchant.ipynb"


def _sync() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_notebook", EXAMPLES / "sync_notebook.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_script_runs(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, str(SCRIPT)], cwd=tmp_path, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert f"causeway {causeway.__version__}" in out
    assert "replayed presentation refused: verify" in out
    assert "invoice counted twice refused:" in out
    assert "outsider refused: not_a_recipient" in out
    assert "tampered table refused: decrypt" in out
    assert out.rstrip().endswith("done: volume proven with both back-ends, receipts checked, table shared")
    assert list(tmp_path.iterdir()) == []  # it cleans up after itself


def test_notebook_is_the_script_without_outputs() -> None:
    committed = NOTEBOOK.read_text()
    assert committed == _sync().notebook(), "run examples/python/sync_notebook.py"
    nb = json.loads(committed)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) >= 10 and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    md = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "# A bank and a merchant exchange attested data" in md
    src = "\n".join(c["source"] for c in code)
    # the per-column section (a TODO until causeway.frame landed) seals per column
    assert "### Per-column access" in md and "causeway.frame.seal_frame(" in src
    assert "TODO(causeway.frame)" not in src


def test_sync_check_catches_a_stale_or_executed_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sync = _sync()
    stale = tmp_path / "nb.ipynb"
    monkeypatch.setattr(sync, "NOTEBOOK", stale)
    assert sync.main([]) == 0 and sync.main(["--check"]) == 0
    nb = json.loads(stale.read_text())
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    first_code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    stale.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    assert sync.main(["--check"]) == 1
    stale.write_text(sync.notebook().replace("THRESHOLD = 50_000", "THRESHOLD = 5_000"))
    assert sync.main(["--check"]) == 1


def test_notebook_executes(tmp_path: Path) -> None:
    # required in the project's test venv (examples/python/requirements.txt): never skipped
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel runs this interpreter (the venv with causeway installed), not a system one
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs
            if o.output_type == "execute_result" and "text/html" in o.get("data", {})]
    # the verified presentations (both back-ends), a bundle check, the table, the audit
    assert len(html) >= 5 and all("<table" in h for h in html)
    assert any("sum(amount) &gt;= 50000" in h or "sum(amount) >= 50000" in h for h in html)
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert f"causeway {causeway.__version__}" in text and "done:" in text


# ---------------------------------------------------------------------------------------------
# The example's checks against an adversary (same records, same calls as the example).

NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def _invoice(n: int, amount: int, issued: datetime.date) -> causeway.Record:
    return causeway.Record("invoice/v1", number=f"INV-{n}", customer="C", amount=amount, issued=issued)


@pytest.fixture(scope="module")
def parties() -> tuple[causeway.Party, causeway.Party]:
    return causeway.Party.generate(), causeway.Party.generate()


def _attested(parties: tuple[causeway.Party, causeway.Party], amounts: list[int],
              issued: datetime.date = datetime.date(2026, 11, 5)) -> list[causeway.AttestedRecord]:
    bank, merchant = parties
    return [causeway.attest(_invoice(i, a, issued), issuer=bank, subject=merchant.public_keys,
                            valid_days=90) for i, a in enumerate(amounts)]


def _statements(n: int, threshold: int) -> list[Statement]:
    idx = list(range(n))
    return [Statement.sum("amount", attestations=idx, at_least=threshold)] + [
        Statement.between("issued", *NOVEMBER, attestation=i) for i in idx]


def test_volume_below_threshold_cannot_be_proven(parties: tuple[causeway.Party, causeway.Party]) -> None:
    _, merchant = parties
    held = _attested(parties, [18_250, 12_400, 9_975, 14_600])  # 55,225
    with pytest.raises(causeway.CausewayError):
        causeway.present(holder=merchant, attested=held, challenge=causeway.new_challenge(),
                         prove=_statements(4, 55_226))
    causeway.present(holder=merchant, attested=held, challenge=causeway.new_challenge(),
                     prove=_statements(4, 55_225))


def test_an_october_invoice_does_not_count_for_november(parties: tuple[causeway.Party, causeway.Party]) -> None:
    _, merchant = parties
    held = _attested(parties, [60_000], issued=datetime.date(2026, 10, 31))
    with pytest.raises(causeway.CausewayError):
        causeway.present(holder=merchant, attested=held, challenge=causeway.new_challenge(),
                         prove=_statements(1, 50_000))


def test_presentation_refused_when_changed_replayed_or_from_another_issuer(
        parties: tuple[causeway.Party, causeway.Party]) -> None:
    bank, merchant = parties
    held = _attested(parties, [30_000, 25_000])
    ch = causeway.new_challenge()
    want = _statements(2, 50_000)
    p = causeway.present(holder=merchant, attested=held, challenge=ch, prove=want)
    p.verify(issuers=[bank.public_keys], challenge=ch, require=want, require_schema="invoice/v1")
    with pytest.raises(causeway.VerificationError):
        p.verify(issuers=[bank.public_keys], challenge=causeway.new_challenge(), require=want)
    with pytest.raises(causeway.VerificationError):
        p.verify(issuers=[causeway.Party.generate().public_keys], challenge=ch, require=want)
    # the bank demands a higher threshold than was proven
    with pytest.raises(causeway.VerificationError):
        p.verify(issuers=[bank.public_keys], challenge=ch, require=_statements(2, 50_001))
    # another schema
    with pytest.raises(causeway.VerificationError):
        p.verify(issuers=[bank.public_keys], challenge=ch, require=want, require_schema="order/v1")
    raw = p.to_bytes()
    refused = 0
    for pos in range(0, len(raw), max(1, len(raw) // 64)):
        b = bytearray(raw)
        b[pos] ^= 1
        try:
            causeway.Presentation.from_bytes(bytes(b)).verify(
                issuers=[bank.public_keys], challenge=ch, require=want)
        except causeway.CausewayError:
            refused += 1
        else:
            raise AssertionError(f"a presentation with byte {pos} changed verified")
    assert refused >= 64


def test_invoices_attested_for_someone_else_do_not_count(parties: tuple[causeway.Party, causeway.Party]) -> None:
    bank, _ = parties
    thief = causeway.Party.generate()
    held = _attested(parties, [60_000])  # attested for the merchant
    with pytest.raises(causeway.CausewayError):
        causeway.present(holder=thief, attested=held, challenge=causeway.new_challenge(),
                         prove=_statements(1, 50_000))


def test_receipt_checks_refuse_another_log_key_origin_or_tampering(
        parties: tuple[causeway.Party, causeway.Party], tmp_path: Path) -> None:
    bank, _ = parties
    operator, other = causeway.Party.generate(), causeway.Party.generate()
    origin = "bank.example/ledger"
    held = _attested(parties, [1, 2])
    with causeway.Ledger.create(tmp_path / "l.db", origin=origin, log_key=operator.public_keys) as log:
        log.append([causeway.Receipt.attestation_issued(h.attestation, issuer=bank, origin=origin) for h in held])
        old = log.checkpoint(operator)
        bundle, bundle0 = log.prove_inclusion(1), log.prove_inclusion(0)
        log.append(causeway.Receipt.attestation_issued(held[0].attestation, issuer=bank, origin=origin))
        log.checkpoint(operator)
        grown = log.prove_consistency(2)
    ok = causeway.verify_bundle(bundle, log_key=operator.public_keys, origin=origin)
    assert ok.receipt is not None and ok.receipt.to_dict()["event"]["revocation_handle"] == held[1].attestation.revocation_handle
    assert causeway.verify_bundle(grown, log_key=operator.public_keys, origin=origin).old_size == 2
    assert json.loads(grown)["oldCheckpoint"] == old
    with pytest.raises(causeway.CausewayError):
        causeway.verify_bundle(bundle, log_key=other.public_keys, origin=origin)
    with pytest.raises(causeway.CausewayError):
        causeway.verify_bundle(bundle, log_key=operator.public_keys, origin="other.example/ledger")
    # the receipt swapped for another entry of the same log, or the index moved
    doc, other_doc = json.loads(bundle), json.loads(bundle0)
    for key, value in (("receipt", other_doc["receipt"]), ("leafIdx", 0),
                       ("leafHash", other_doc["leafHash"])):
        forged = dict(doc, **{key: value})
        with pytest.raises(causeway.CausewayError):
            causeway.verify_bundle(json.dumps(forged), log_key=operator.public_keys, origin=origin)
    # a fork: another log of the same origin and key, same size, other entries; its bundles
    # verify on their own, but not against the checkpoint the bank kept, and the old
    # checkpoint in its consistency bundle is not the bank's
    with causeway.Ledger.create(tmp_path / "m.db", origin=origin, log_key=operator.public_keys) as fork:
        fork.append([causeway.Receipt.attestation_issued(h.attestation, issuer=bank, origin=origin)
                     for h in reversed(held)])
        fork.checkpoint(operator)
        fork_bundle = fork.prove_inclusion(0)
        fork.append(causeway.Receipt.attestation_issued(held[1].attestation, issuer=bank, origin=origin))
        fork.checkpoint(operator)
        fork_grown = fork.prove_consistency(2)
    causeway.verify_bundle(fork_bundle, log_key=operator.public_keys, origin=origin)
    with pytest.raises(causeway.VerificationError):
        causeway.verify_bundle(fork_bundle, log_key=operator.public_keys, origin=origin, trusted_checkpoint=old)
    causeway.verify_bundle(fork_grown, log_key=operator.public_keys, origin=origin)
    assert json.loads(fork_grown)["oldCheckpoint"] != old
    # the bank's own bundle of that size verifies against the checkpoint it kept
    causeway.verify_bundle(bundle, log_key=operator.public_keys, origin=origin, trusted_checkpoint=old)


def test_a_date_proven_for_one_invoice_does_not_cover_an_october_one(
        parties: tuple[causeway.Party, causeway.Party]) -> None:
    """Requirements name no attestation (core: any attested record may meet one), so a holder
    can sum a November and an October invoice and prove only the November date: `require`
    accepts it; the example's per-invoice check (every statement it asked for, with its
    index, in `verified.statements`) refuses it."""
    bank, merchant = parties
    held = _attested(parties, [30_000], issued=datetime.date(2026, 11, 3)) + _attested(
        parties, [30_000], issued=datetime.date(2026, 10, 3))
    want = _statements(2, 50_000)
    ch = causeway.new_challenge()
    cheat = causeway.present(holder=merchant, attested=held, challenge=ch, prove=want[:2])
    required = ["sum(amount) >= 50000", f"issued in [{NOVEMBER[0]}, {NOVEMBER[1]}]"]
    v = cheat.verify(issuers=[bank.public_keys], challenge=ch, require=required, require_schema="invoice/v1")
    assert not set(map(str, want)) <= set(v.statements)  # what bank_merchant.november_volume checks
    with pytest.raises(causeway.CausewayError):  # and the October date itself cannot be proven
        causeway.present(holder=merchant, attested=held, challenge=ch, prove=want)
