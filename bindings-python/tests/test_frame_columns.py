"""causeway.frame: attested rows and proofs over a column (all(column) in [a, b], sum >= t),
with the attacks refused (each with its Causeway code)."""

from __future__ import annotations

import datetime
import threading
import time
from decimal import Decimal

import pytest

import causeway
from causeway.errors import CausewayError, MalformedError, VerificationError
from causeway.frame import ColumnResult, attest_rows, prove_column, verify_column

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

NOW = 1_800_000_000
SCHEMA = "invoice/v1"


def invoices(n: int) -> "pd.DataFrame":
    return pd.DataFrame(
        {
            "amount": pd.array([(i * 37) % 10_000 for i in range(n)], dtype="int64"),
            "fee": [Decimal(i % 100) / 10 for i in range(n)],
            "due": [datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 300) for i in range(n)],
            "customer": [f"customer {i % 17}" for i in range(n)],
            "paid": [i % 3 == 0 for i in range(n)],
        }
    )


@pytest.fixture(scope="module")
def parties() -> tuple[causeway.Party, causeway.Party]:
    return causeway.Party.generate(), causeway.Party.generate()


def held_rows(bank: causeway.Party, shop: causeway.Party, df: "pd.DataFrame") -> list[causeway.AttestedRecord]:
    return attest_rows(
        df, issuer=bank, subject=shop, schema=SCHEMA, not_before=0, not_after=2 * NOW
    )


def test_attest_rows_types_and_order(parties) -> None:
    bank, shop = parties
    df = invoices(5)
    held = held_rows(bank, shop, df)
    assert len(held) == 5
    r = held[3].record
    assert r.schema == SCHEMA
    assert r["amount"] == int(df["amount"][3])
    assert r["fee"] == df["fee"][3]
    assert r["due"] == df["due"][3]
    assert r["customer"] == "customer 3"
    assert r["paid"] is True and held[4].record["paid"] is False
    assert all(h.attestation.subject == shop.key_id for h in held)
    # equal rows are distinct records
    same = held_rows(bank, shop, pd.DataFrame({"amount": [7, 7]}))
    assert same[0].attestation.record_id != same[1].attestation.record_id


def test_attest_rows_refuses_bad_frames(parties) -> None:
    bank, shop = parties
    with pytest.raises(TypeError, match="'rate'"):
        held_rows(bank, shop, pd.DataFrame({"amount": [1], "rate": [0.5]}))
    with pytest.raises(TypeError, match="'when'"):
        held_rows(bank, shop, pd.DataFrame({"when": pd.to_datetime(["2026-01-01"])}))
    with pytest.raises(ValueError, match=r"'amount'.*row 1"):
        held_rows(bank, shop, pd.DataFrame({"amount": [1, None, 3]}, dtype="Int64"))
    with pytest.raises(ValueError, match="'fee'"):
        held_rows(bank, shop, pd.DataFrame({"fee": [Decimal("1.5"), None]}))
    with pytest.raises(TypeError):
        held_rows(bank, shop, pd.DataFrame({"tags": [[1], [2]]}))
    with pytest.raises(TypeError):
        held_rows(bank, shop, [1, 2, 3])  # type: ignore[arg-type]
    with pytest.raises(MalformedError) as e:
        held_rows(bank, shop, pd.DataFrame({"amount": pd.array([], dtype="int64")}))
    assert e.value.code == "attest.rows"
    with pytest.raises(MalformedError) as e:
        held_rows(bank, shop, pd.DataFrame({"amount": [1] * 4097}))
    assert e.value.code == "attest.rows"


def test_a_1000_row_column_range_proof_verifies(parties) -> None:
    bank, shop = parties
    held = held_rows(bank, shop, invoices(1000))
    ch = causeway.new_challenge()
    p = prove_column(held, column="amount", within=(0, 10_000), holder=shop, challenge=ch)
    assert p.statements[0].is_all
    r = verify_column(
        p.to_bytes(),
        column="amount",
        within=(0, 10_000),
        issuers=[bank.public_keys],
        challenge=ch,
        rows=1000,
        schema=SCHEMA,
        now=NOW,
    )
    assert isinstance(r, ColumnResult)
    assert (r.rows, r.claim, r.backend, r.schemas) == (1000, "in [0, 10000]", "bulletproofs", [SCHEMA])
    assert r.issuers == [bank.key_id]
    text = repr(r)
    assert "rows=1000" in text and "in [0, 10000]" in text
    assert "<table>" in r._repr_html_()
    # no row values, no openings in what the verifier renders
    assert "customer" not in text and "9999" not in text
    # asking for more than was proven, or for another row count, is refused
    for kw in ({"within": (0, 9_999)}, {"within": (0, 10_000), "rows": 999}, {"at_least": 1}):
        with pytest.raises(VerificationError) as e:
            verify_column(p, column="amount", issuers=[bank.public_keys], challenge=ch, now=NOW, **kw)
        assert e.value.code == "verify.unmet"


def test_decimal_and_date_columns(parties) -> None:
    bank, shop = parties
    held = held_rows(bank, shop, invoices(70))
    ch = causeway.new_challenge()
    p = prove_column(held, column="fee", within=(Decimal("0"), Decimal("9.9")), holder=shop, challenge=ch)
    verify_column(p, column="fee", within=(Decimal("0"), Decimal("9.9")), issuers=[bank.public_keys], challenge=ch, now=NOW)
    d = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    p = prove_column(held, column="due", within=d, holder=shop, challenge=ch)
    verify_column(p, column="due", within=d, issuers=[bank.public_keys], challenge=ch, now=NOW)


def test_sum_over_more_than_64_rows(parties) -> None:
    bank, shop = parties
    df = invoices(200)
    total = int(df["amount"].sum())
    held = held_rows(bank, shop, df)
    ch = causeway.new_challenge()
    p = prove_column(held, column="amount", at_least=total, holder=shop, challenge=ch)
    r = verify_column(p, column="amount", at_least=total, issuers=[bank.public_keys], challenge=ch, now=NOW)
    assert r.claim == f"sum >= {total}" and r.rows == 200
    with pytest.raises(CausewayError) as e:
        prove_column(held, column="amount", at_least=total + 1, holder=shop, challenge=ch)
    assert e.value.code == "prove.unsatisfied"
    # Groth16 sums stop at 64 rows (sum:K); column ranges are Bulletproofs only
    for kw in ({"at_least": 1}, {"within": (0, 10_000)}):
        with pytest.raises(CausewayError) as e:
            prove_column(held, column="amount", holder=shop, challenge=ch, backend="groth16", keys=causeway.KeyRing(), **kw)
        assert e.value.code in ("prove.unsupported", "statement.unsupported", "prove.no_key")


def test_attacks_raise_typed_errors(parties) -> None:
    bank, shop = parties
    df = invoices(80)
    ch = causeway.new_challenge()
    # a row outside the range
    bad = df.copy()
    bad.loc[41, "amount"] = 10_001
    held = held_rows(bank, shop, bad)
    with pytest.raises(CausewayError) as e:
        prove_column(held, column="amount", within=(0, 10_000), holder=shop, challenge=ch)
    assert e.value.code == "prove.unsatisfied"
    held = held_rows(bank, shop, df)
    # a row of another subject, another issuer, another schema
    eve = causeway.Party.generate()
    other_bank = causeway.Party.generate()
    one = pd.DataFrame({"amount": [5]})
    cases = [
        (held_rows(bank, eve, one)[0], "prove.not_subject"),
        (attest_rows(one, issuer=other_bank, subject=shop, schema=SCHEMA)[0], "prove.invalid_statement"),
        (attest_rows(one, issuer=bank, subject=shop, schema="refund/v1")[0], "prove.invalid_statement"),
        (held[7], "prove.counted_twice"),  # the same row twice
    ]
    for extra, code in cases:
        with pytest.raises(CausewayError) as e:
            prove_column(held + [extra], column="amount", within=(0, 10_000), holder=shop, challenge=ch)
        assert e.value.code == code, code
    with pytest.raises(CausewayError) as e:
        prove_column(held + [held[7]], column="amount", at_least=1, holder=shop, challenge=ch)
    assert e.value.code == "prove.counted_twice"
    p = prove_column(held, column="amount", within=(0, 10_000), holder=shop, challenge=ch)
    good = p.to_bytes()
    kw = dict(column="amount", within=(0, 10_000), issuers=[bank.public_keys], now=NOW)
    # replayed under another challenge
    with pytest.raises(VerificationError) as e:
        verify_column(good, challenge=causeway.new_challenge(), **kw)
    assert e.value.code in ("verify.bad_signature", "verify.proof")
    # an untrusted issuer
    with pytest.raises(VerificationError) as e:
        verify_column(good, challenge=ch, **{**kw, "issuers": [other_bank.public_keys]})
    assert e.value.code == "verify.untrusted_issuer"
    # a changed byte: a typed error, never a pass
    for i in range(len(good) - 1, len(good) - 1500, -97):
        b = bytearray(good)
        b[i] ^= 0x01
        with pytest.raises(CausewayError):
            verify_column(bytes(b), challenge=ch, **kw)


def test_the_gil_is_released_while_proving(parties) -> None:
    bank, shop = parties
    held = held_rows(bank, shop, invoices(512))
    ticks = 0
    done = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=spin)
    t.start()
    start = time.perf_counter()
    prove_column(held, column="amount", within=(0, 10_000), holder=shop, challenge=causeway.new_challenge())
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    # the thread kept running during a proof that took a while
    assert ticks > min(20, int(elapsed * 200))


def test_requirement_indices_are_honoured(parties) -> None:
    bank, shop = parties
    held = held_rows(bank, shop, pd.DataFrame({"score": [650, 742]}))
    ch = causeway.new_challenge()
    p = causeway.present(holder=shop, attested=held, challenge=ch, prove=["score@1 >= 700"])
    kw = dict(issuers=[bank.public_keys], challenge=ch, now=NOW)
    p.verify(**kw, require=[causeway.Statement.at_least("score", 700, attestation=1)])
    p.verify(**kw, require=["score >= 700"])  # text: any attestation
    with pytest.raises(VerificationError) as e:
        p.verify(**kw, require=[causeway.Statement.at_least("score", 700, attestation=0)])
    assert e.value.code == "verify.unmet"


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_values = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.text(max_size=5),
    st.none(),
    st.floats(),
    st.dates(),
    st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    col=st.lists(_values, min_size=1, max_size=4),
    lo=st.one_of(st.integers(), st.text(max_size=4), st.none(), st.decimals(allow_nan=False, allow_infinity=False)),
    hi=st.one_of(st.integers(), st.none(), st.dates()),
)
def test_generated_inputs_raise_only_typed_errors(parties, col, lo, hi) -> None:
    bank, shop = parties
    try:
        held = attest_rows(pd.DataFrame({"x": col}), issuer=bank, subject=shop, schema=SCHEMA)
        ch = causeway.new_challenge()
        p = prove_column(held, column="x", within=(lo, hi), holder=shop, challenge=ch)
        verify_column(p, column="x", within=(lo, hi), issuers=[bank.public_keys], challenge=ch)
    except (CausewayError, TypeError, ValueError):
        pass
