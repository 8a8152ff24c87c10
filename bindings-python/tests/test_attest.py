"""Attestations, revocation lists, statements and presentations (Bulletproofs and Groth16):
round trips, the result object, and refusals with their codes."""

from __future__ import annotations

import datetime
import pickle
import re
from decimal import Decimal

import pytest

import causeway
from causeway import Party


def _without_ids(text: str) -> str:
    """`text` without its hex identifiers (attestation ids, key ids): a random id may contain
    the digits of a secret value ("742" in "…d357423dc…"), which says nothing about a leak."""
    return re.sub(r"[0-9a-f]{16,}", "<id>", text)

NOW = 1_800_000_000


def credit() -> causeway.Record:
    return causeway.Record(
        "credit/v1",
        credit_score=742,
        income=Decimal("85000.00"),
        born=datetime.date(1990, 5, 17),
        name="Alice",
        limit=-5000,
    )


@pytest.fixture
def held(bank: Party, partner: Party) -> causeway.AttestedRecord:
    return causeway.attest(credit(), issuer=bank, subject=partner.public_keys, not_before=NOW - 10, valid_days=30)


def test_attest_round_trip(held: causeway.AttestedRecord, bank: Party, partner: Party) -> None:
    a = held.attestation
    assert a.issuer == bank.key_id and a.subject == partner.key_id and a.schema == "credit/v1"
    assert a.not_after == NOW - 10 + 30 * 86400 and a.version == 2 and a.record_id
    assert sorted(a.numeric_fields) == ["born", "credit_score", "income", "limit"]
    assert causeway.Attestation.from_bytes(a.to_bytes()) == a
    assert causeway.Attestation.from_bytes(a.to_text()) == a
    assert pickle.loads(pickle.dumps(a)) == a
    assert a.verify(issuers=[bank.public_keys], now=NOW) == bank.key_id
    again = causeway.AttestedRecord.from_secret_bytes(held.to_secret_bytes())
    assert again.record == credit() and again.attestation == a
    # the holder copy is a secret: no pickling, no values in repr
    with pytest.raises(TypeError):
        pickle.dumps(held)
    assert "742" not in _without_ids(repr(held)) and "Alice" not in repr(held)


def test_attestation_refusals(held: causeway.AttestedRecord, bank: Party, outsider: Party) -> None:
    a = held.attestation
    cases = [
        (dict(issuers=[outsider.public_keys], now=NOW), "verify.untrusted_issuer"),
        (dict(issuers=[bank.public_keys], now=NOW - 100), "verify.not_yet_valid"),
        (dict(issuers=[bank.public_keys], now=NOW + 31 * 86400), "verify.expired"),
    ]
    for kw, code in cases:
        with pytest.raises(causeway.VerificationError) as e:
            a.verify(**kw)  # type: ignore[arg-type]
        assert e.value.code == code
    b = bytearray(a.to_bytes())
    b[-1] ^= 1
    with pytest.raises(causeway.VerificationError) as e2:
        causeway.Attestation.from_bytes(bytes(b)).verify(issuers=[bank.public_keys], now=NOW)
    assert e2.value.code == "verify.bad_signature"
    for bad in (b"", a.to_bytes()[:-1], a.to_bytes() + b"\0"):
        with pytest.raises(causeway.DecodeError):
            causeway.Attestation.from_bytes(bad)
    with pytest.raises(TypeError):
        causeway.attest({"a": 1}, issuer=bank, subject=bank.public_keys)  # type: ignore[arg-type]
    with pytest.raises(causeway.MalformedError) as e3:
        causeway.attest(credit(), issuer=bank, subject=bank.public_keys, not_after=5, valid_days=3)
    assert e3.value.code == "attest.invalid_window"


def test_revocation_list(held: causeway.AttestedRecord, bank: Party, partner: Party, outsider: Party) -> None:
    a = held.attestation
    rl = causeway.RevocationList.issue(issuer=bank, revoked=[a], issued_at=NOW)
    assert a in rl and held in rl and a.revocation_handle in rl and len(rl) == 1
    assert rl.issuer == bank.key_id and rl.issued_at == NOW
    assert causeway.RevocationList.from_bytes(rl.to_bytes()) == rl
    rl.verify(bank.public_keys)
    with pytest.raises(causeway.VerificationError) as e:
        a.verify(issuers=[bank.public_keys], now=NOW, revocations=[rl])
    assert e.value.code == "verify.revoked"
    # another issuer's list says nothing; a stale list fails under max_age
    empty = causeway.RevocationList.issue(issuer=bank, revoked=[], issued_at=NOW - 1000)
    assert a.verify(issuers=[bank.public_keys], now=NOW, revocations=[empty]) == bank.key_id
    with pytest.raises(causeway.VerificationError) as e2:
        a.verify(issuers=[bank.public_keys], now=NOW, revocations=[empty], revocations_max_age=10)
    assert e2.value.code == "verify.revocation_list_too_old"
    with pytest.raises(causeway.VerificationError) as e3:
        a.verify(issuers=[bank.public_keys], now=NOW, revocations=[], require_revocation_lists=True)
    assert e3.value.code == "verify.no_revocation_list"
    # a list signed by someone else for the bank's attestation: refused to sign
    with pytest.raises(causeway.VerificationError):
        causeway.RevocationList.issue(issuer=outsider, revoked=[a])
    forged = bytearray(rl.to_bytes())
    forged[-3] ^= 0x10
    with pytest.raises(causeway.VerificationError) as e4:
        a.verify(issuers=[bank.public_keys], now=NOW, revocations=[causeway.RevocationList.from_bytes(bytes(forged))])
    assert e4.value.code == "verify.revocation_unavailable"
    with pytest.raises(causeway.DecodeError):
        causeway.RevocationList.issue(issuer=bank, revoked=["zz"])
    other = causeway.attest(credit(), issuer=outsider, subject=partner.public_keys)
    with pytest.raises(ValueError):
        causeway.RevocationList.issue(issuer=bank, revoked=[a, other.attestation])


def test_statements_text_and_builders() -> None:
    S = causeway.Statement
    assert S.parse("credit_score >= 700") == S.at_least("credit_score", 700)
    assert str(S.between("income", Decimal("50000"), 120000)) == "income in [50000, 120000]"
    assert str(S.below("born", datetime.date(2008, 11, 21))) == "born < 2008-11-21"
    assert S.parse("limit == -5000") == S.equals("limit", -5000)
    assert S.parse("x != 0") == S.not_equals("x", 0)
    s = S.sum("amount", attestations=[0, 1], at_least=2_000_000)
    assert s.is_sum and s.attestations == [0, 1] and s.field == "amount"
    assert repr(S.at_most("a", 5)) == "Statement('a <= 5')"
    assert len({S.parse("a >= 1"), S.at_least("a", 1)}) == 1
    for bad in ("", "score >>= 7", "score >= ", "sum(a) >= 1 and"):
        with pytest.raises(causeway.DecodeError):
            S.parse(bad)
    with pytest.raises(TypeError):
        S.at_least("a", True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        S.at_least("a", 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        S.below("born", datetime.datetime(2020, 1, 1))
    with pytest.raises(causeway.DecodeError):
        S.at_least("a", "1" * 100)


def test_presentation_bulletproofs(held: causeway.AttestedRecord, bank: Party, partner: Party) -> None:
    ch = causeway.new_challenge()
    assert len(ch) == 32 and ch != causeway.new_challenge()
    p = causeway.present(
        holder=partner,
        attested=[held],
        challenge=ch,
        disclose=["name"],
        prove=["credit_score >= 700", causeway.Statement.between("income", 50000, 120000)],
    )
    assert p.backend == "bulletproofs" and len(p.statements) == 2
    for data in (p.to_bytes(), p.to_json()):
        q = causeway.Presentation.from_bytes(data)
        v = q.verify(issuers=[bank.public_keys], challenge=ch, now=NOW, require=["credit_score >= 700"])
        assert v.backend == "bulletproofs" and v.subject == partner.key_id
        assert v.disclosed == {"name": "Alice"} and v.value("name") == "Alice"
        assert v.statements == ["credit_score >= 700", "income in [50000, 120000]"]
        assert v.requirements == ["credit_score >= 700"]
        assert v.attestations[0]["issuer"] == bank.key_id
    # result rendering: readable repr, an HTML table, no secret (undisclosed values absent)
    html = v._repr_html_()
    assert html.startswith("<table") and "credit_score &gt;= 700" in html and "Alice" in html
    for secret in ("742", "85000", "1990-05-17", "-5000"):
        assert secret not in _without_ids(html) and secret not in _without_ids(repr(v))
    assert "VerifiedPresentation(" in repr(v)
    with pytest.raises(KeyError):
        v.value("credit_score")
    # a presentation is public: it pickles
    assert pickle.loads(pickle.dumps(p)).to_bytes() == p.to_bytes()


def test_presentation_refusals(held: causeway.AttestedRecord, bank: Party, partner: Party, outsider: Party) -> None:
    ch = causeway.new_challenge()
    p = causeway.present(holder=partner, attested=[held], challenge=ch, prove=["credit_score >= 700"])
    with pytest.raises(causeway.VerificationError) as e:
        p.verify(issuers=[bank.public_keys], challenge=causeway.new_challenge(), now=NOW)
    assert e.value.code == "verify.bad_signature"
    with pytest.raises(causeway.VerificationError) as e2:
        p.verify(issuers=[outsider.public_keys], challenge=ch, now=NOW)
    assert e2.value.code == "verify.untrusted_issuer"
    with pytest.raises(causeway.CausewayError) as e3:
        p.verify(issuers=[bank.public_keys], challenge=ch, now=NOW, require=["credit_score >= 750"])
    assert e3.value.code.startswith("verify.")
    with pytest.raises(causeway.VerificationError) as e7:
        p.verify(issuers=[bank.public_keys], challenge=ch, now=NOW, backend="groth16")
    assert e7.value.code == "verify.unmet"
    # a changed byte anywhere is refused (a decode or a verification error, never a result)
    raw = p.to_bytes()
    for i in range(0, len(raw), max(1, len(raw) // 40)):
        b = bytearray(raw)
        b[i] ^= 0x01
        with pytest.raises(causeway.CausewayError):
            causeway.Presentation.from_bytes(bytes(b)).verify(issuers=[bank.public_keys], challenge=ch, now=NOW)
    # proving what is false, or as someone else
    with pytest.raises(causeway.DeniedError) as e4:
        causeway.present(holder=partner, attested=[held], challenge=ch, prove=["credit_score >= 800"])
    assert e4.value.code == "prove.unsatisfied"
    with pytest.raises(causeway.DeniedError) as e5:
        causeway.present(holder=outsider, attested=[held], challenge=ch, prove=["credit_score >= 700"])
    assert e5.value.code == "prove.not_subject"
    with pytest.raises(causeway.CausewayError) as e6:
        causeway.present(holder=partner, attested=[held], challenge=ch, prove=["credit_score >= 700"], backend="groth16")
    assert e6.value.code == "prove.no_key"
    with pytest.raises(causeway.DecodeError):
        causeway.present(holder=partner, attested=[held], challenge=b"short", prove=[])
    with pytest.raises(TypeError):
        causeway.present(holder=partner, attested=held, challenge=ch)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        causeway.present(holder=partner, attested=[held], challenge=ch, backend="snark")  # type: ignore[arg-type]


def test_html_escapes_disclosed_values(bank: Party, partner: Party) -> None:
    """A disclosed value is attacker-chosen text: the notebook table escapes it."""
    evil = '<script>alert("x")</script>&'
    held = causeway.attest(causeway.Record("x/v1", name=evil), issuer=bank, subject=partner.public_keys, not_before=NOW - 1)
    ch = causeway.new_challenge()
    v = causeway.present(holder=partner, attested=[held], challenge=ch, disclose=["name"]).verify(
        issuers=[bank.public_keys], challenge=ch, now=NOW
    )
    html = v._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert v.disclosed == {"name": evil}
