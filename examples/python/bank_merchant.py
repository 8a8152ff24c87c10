# %% [markdown]
# # A bank and a merchant exchange attested data
#
# A merchant wants a better credit line. The bank asks for proof that the merchant's sales in
# November were at least EUR 50,000, but the merchant does not want to hand over its invoices
# (they name its customers and its prices). With Causeway:
#
# 1. the **bank attests** the merchant's invoices it has seen paid: it signs commitments to each
#    invoice's fields, and the merchant keeps the attested copies (secrets);
# 2. the **merchant proves** `sum(amount) >= 50000` over the attested invoices, and that each
#    was issued in November, without revealing any amount, with zero-knowledge proofs bound to
#    a fresh challenge from the bank (Bulletproofs, no trusted setup; and Groth16, whose proofs
#    an EVM contract can check);
# 3. the **bank verifies** and gets a result object (a table in Jupyter);
# 4. every attestation and seal goes into the bank's **ledger** as a signed receipt; the bank
#    checks the receipts with inclusion and consistency proofs and audits the whole log;
# 5. the bank **seals a customer table** (a pandas DataFrame) for the merchant, as one
#    encrypted object only the merchant (and the bank) can open.
#
# The script `examples/python/bank_merchant.py` and the notebook `bank_merchant.ipynb` are the
# same code: the notebook is written from the script by `sync_notebook.py` (one `# %%` block
# per cell). Needs `pip install ./bindings-python pandas`.

# %%
from __future__ import annotations

import datetime
import io
import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

import causeway
from causeway import Statement

print("causeway", causeway.__version__)

bank = causeway.Party.generate()  # issues attestations, verifies, owns the customer table
merchant = causeway.Party.generate()  # holds the attested invoices, proves its volume
log_operator = causeway.Party.generate()  # the bank's ledger signing key
workdir = Path(tempfile.mkdtemp(prefix="causeway-bank-merchant-"))

# %% [markdown]
# ## 1. The bank attests the merchant's invoices
#
# An invoice is a `Record` under the schema `invoice/v1`. The bank signs commitments to its
# fields (`attest`); the result is the merchant's **holder copy**: the record, the attestation
# and the secret openings. It is not picklable and its `repr` shows no values.

# %%
NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
invoices = [
    causeway.Record("invoice/v1", number="INV-2026-1101", customer="Harbour Foods",
                    amount=18_250, issued=datetime.date(2026, 11, 3)),
    causeway.Record("invoice/v1", number="INV-2026-1102", customer="Quayside Ltd",
                    amount=12_400, issued=datetime.date(2026, 11, 12)),
    causeway.Record("invoice/v1", number="INV-2026-1103", customer="North Pier Market",
                    amount=9_975, issued=datetime.date(2026, 11, 19)),
    causeway.Record("invoice/v1", number="INV-2026-1104", customer="Harbour Foods",
                    amount=14_600, issued=datetime.date(2026, 11, 27)),
]
attested = [causeway.attest(inv, issuer=bank, subject=merchant.public_keys, valid_days=90)
            for inv in invoices]
for held in attested:
    print(held.attestation.id[:16], held.record["number"], held.attestation.numeric_fields)

# %% [markdown]
# ## 2. The merchant proves its monthly volume
#
# The bank sends a fresh challenge; the merchant proves, over the four attested invoices:
#
# - `sum(amount) >= 50000` (one statement over all four records: each invoice counts once),
# - `issued in [2026-11-01, 2026-11-30]` for each invoice, so the sum is November's,
#
# and discloses nothing else. First with **Bulletproofs** (no trusted setup).

# %%
THRESHOLD = 50_000
idx = list(range(len(attested)))
statements = [Statement.sum("amount", attestations=idx, at_least=THRESHOLD)] + [
    Statement.between("issued", *NOVEMBER, attestation=i) for i in idx
]

challenge = causeway.new_challenge()  # the bank's, fresh for this exchange
presentation = causeway.present(holder=merchant, attested=attested, challenge=challenge,
                                prove=statements)
print(presentation.backend, len(presentation.to_bytes()), "bytes")

# %% [markdown]
# ## 3. The bank verifies
#
# The bank checks the presentation against *its own* challenge, trusts only its own issuer key,
# and requires a sum of at least 50,000 and November dates over `invoice/v1` records. A
# requirement says *what* must be proven, not about *which* record (any attested record of the
# presentation may meet it), so the bank also checks that a November date was proven for every
# invoice in the sum: `verified.statements` names the records (`issued@2 …` is the third).
# The result says what was established; in Jupyter it renders as a table. No amount appears.

# %%
REQUIRED = [f"sum(amount) >= {THRESHOLD}", f"issued in [{NOVEMBER[0]}, {NOVEMBER[1]}]"]


def november_volume(v: causeway.VerifiedPresentation) -> bool:
    """The sum covers every invoice of the presentation and each has a proven November date."""
    return set(map(str, statements)) <= set(v.statements)


verified = presentation.verify(issuers=[bank.public_keys], challenge=challenge,
                               require=REQUIRED, require_schema="invoice/v1")
assert verified.subject == merchant.key_id and november_volume(verified)
assert verified.disclosed == {}
verified

# %% [markdown]
# What the bank does **not** accept: the same presentation against another challenge (a replay
# in another exchange), and one invoice counted twice to inflate the sum.

# %%
try:
    presentation.verify(issuers=[bank.public_keys], challenge=causeway.new_challenge(),
                        require=REQUIRED, require_schema="invoice/v1")
except causeway.VerificationError as e:
    print("replayed presentation refused:", e.code)
else:
    raise AssertionError("a presentation verified against another challenge")

try:
    causeway.present(holder=merchant, attested=[attested[0], attested[0]], challenge=challenge,
                     prove=[Statement.sum("amount", attestations=[0, 1], at_least=30_000)])
except causeway.CausewayError as e:
    print("invoice counted twice refused:", e.code)
else:
    raise AssertionError("one invoice counted twice")

# %% [markdown]
# The same statements with **Groth16**: succinct proofs an EVM contract can verify. Groth16
# needs keys for its circuits (`attribute` for ranges, `sum:4` for a sum of four records). Here
# the bank runs a single-party setup, which means the keys trust the bank; a real deployment
# uses keys from a ceremony (`KeyRing.load`).

# %%
ring = causeway.KeyRing.setup(["attribute", f"sum:{len(attested)}"])
challenge16 = causeway.new_challenge()
presentation16 = causeway.present(holder=merchant, attested=attested, challenge=challenge16,
                                  prove=statements, backend="groth16", keys=ring)
verified16 = presentation16.verify(issuers=[bank.public_keys], challenge=challenge16, keys=ring,
                                   require=REQUIRED, require_schema="invoice/v1",
                                   backend="groth16")
assert verified16.backend == "groth16" and november_volume(verified16)
exports = presentation16.groth16_exports(challenge16)
print([(x.circuit, len(x.calldata())) for x in exports])  # calldata for the Solidity verifier
verified16

# %% [markdown]
# ## 4. Receipts in the ledger
#
# The bank records a signed receipt for every attestation it issued in its local ledger
# (SQLite, append-only Merkle log), signs a checkpoint, and later checks the receipts the way
# anyone without the database can: an **inclusion proof bundle** per receipt, verified against
# the log operator's key and the log's origin.

# %%
ORIGIN = "bank.example/ledger"
with causeway.Ledger.create(workdir / "ledger.db", origin=ORIGIN,
                            log_key=log_operator.public_keys) as ledger:
    first = ledger.append([causeway.Receipt.attestation_issued(h.attestation, issuer=bank,
                                                               origin=ORIGIN)
                           for h in attested])
    first_checkpoint = ledger.checkpoint(log_operator)
    invoice_bundles = [ledger.prove_inclusion(first + i) for i in idx]
print(first_checkpoint)

# %% [markdown]
# The bank checks that each attestation in the merchant's presentation has its receipt in the
# log: the bundle verifies against the log's key and origin, and the receipt it proves is an
# attestation receipt signed by the bank for that attestation (its revocation handle).

# %%
checked = [causeway.verify_bundle(b, log_key=log_operator.public_keys, origin=ORIGIN)
           for b in invoice_bundles]
for att, check in zip(presentation.attestations, checked):
    receipt = check.receipt
    assert check.kind == "inclusion" and receipt is not None
    assert receipt.signer == bank.public_keys and receipt.kind == "attestation-issued"
    assert receipt.to_dict()["event"]["revocation_handle"] == att.revocation_handle
    print(check.index, receipt.kind, att.id[:16], "in the log of size", check.tree_size)
checked[0]

# %% [markdown]
# ## 5. A customer table, sealed for the merchant
#
# The bank shares its table of the merchant's customers (a pandas DataFrame). First it seals
# the table **whole**: the DataFrame's CSV bytes become one sealed object for the merchant (the
# owner is always a recipient too). For large tables, `causeway.seal_stream` does the same in
# bounded memory. The seal gets its own receipt in the ledger.

# %%
customers = pd.DataFrame({
    "customer": ["Harbour Foods", "Quayside Ltd", "North Pier Market"],
    "iban": ["DE44500105175407324931", "FR7630006000011234567890189", "NL91ABNA0417164300"],
    "credit_limit": [40_000, 25_000, 15_000],
    "since": pd.to_datetime(["2019-04-01", "2021-09-15", "2024-01-08"]),
})
table_bytes = customers.to_csv(index=False).encode()
sealed_table = causeway.seal(table_bytes, owner=bank, recipients=[merchant.public_keys])
print(causeway.inspect(sealed_table)["recipients"])

opened = causeway.open(sealed_table, party=merchant, expect_owner=bank.public_keys)
assert isinstance(opened.content, bytes)  # sealed bytes open as bytes (a record as a Record)
received = pd.read_csv(io.BytesIO(opened.content), parse_dates=["since"])
pd.testing.assert_frame_equal(received, customers, check_dtype=False)
received

# %% [markdown]
# Anyone else gets one opaque refusal, and a changed byte releases nothing.

# %%
outsider = causeway.Party.generate()
try:
    causeway.open(sealed_table, party=outsider)
except causeway.NotARecipientError as e:
    print("outsider refused:", e.code)
else:
    raise AssertionError("an outsider opened the customer table")
tampered = bytearray(sealed_table)
tampered[-1] ^= 1
try:
    causeway.open(tampered, party=merchant)
except causeway.DecryptionError as e:
    print("tampered table refused:", e.code)
else:
    raise AssertionError("a tampered table opened")

# %% [markdown]
# ### Per-column access
#
# Better still, the bank seals the table **column by column** (`causeway.frame`): `iban` is for
# a regulator only, the other columns for the merchant and the regulator. Each column group has
# its own content key and its own recipients, under one manifest the owner signs, so a column
# cannot be swapped, dropped, renamed or taken from another table unnoticed. Opening returns the
# columns a party may read and names the ones it may not.

# %%
regulator = causeway.Party.generate()
per_column = causeway.frame.seal_frame(
    customers,
    bank,
    columns={
        "iban": [regulator],
        ("customer", "credit_limit", "since"): [merchant, regulator],
    },
)
merchant_view, merchant_cannot = causeway.frame.open_frame(
    per_column, merchant, owner=bank.public_keys
)
assert merchant_cannot == ["iban"]
assert list(merchant_view.columns) == ["customer", "credit_limit", "since"]
regulator_view, regulator_cannot = causeway.frame.open_frame(
    per_column, regulator, owner=bank.public_keys
)
assert regulator_cannot == []
pd.testing.assert_frame_equal(regulator_view, customers, check_dtype=False)
causeway.frame.inspect_frame(per_column)

# %%
merchant_view

# %% [markdown]
# ## 6. The log grows: consistency and audit
#
# The seal's receipt is appended and a second checkpoint signed. A **consistency proof** shows
# the new log extends the one the bank checked before (nothing rewritten): it is verified, and
# its old checkpoint must be the very one the bank kept from step 4. The audit replays the log.

# %%
with causeway.Ledger.open(workdir / "ledger.db") as ledger:
    table_index = ledger.append(causeway.Receipt.sealed(sealed_table, owner=bank, origin=ORIGIN))
    ledger.checkpoint(log_operator)
    grown = ledger.prove_consistency(len(attested))
    table_bundle = ledger.prove_inclusion(table_index)
    audit = ledger.audit(log_key=log_operator.public_keys)

consistency = causeway.verify_bundle(grown, log_key=log_operator.public_keys, origin=ORIGIN)
assert consistency.kind == "consistency" and consistency.old_size == len(attested)
assert consistency.old_checkpoint_signed
assert json.loads(grown)["oldCheckpoint"] == first_checkpoint  # from the very log we checked
table_check = causeway.verify_bundle(table_bundle, log_key=log_operator.public_keys,
                                     origin=ORIGIN)
assert table_check.receipt is not None and table_check.receipt.kind == "record-sealed"
assert table_check.receipt.to_dict()["event"]["record_id"] == causeway.inspect(sealed_table)["record_id"]
assert audit.entries == len(attested) + 1 and audit.checkpoints == 2
audit

# %%
shutil.rmtree(workdir)
print("done: volume proven with both back-ends, receipts checked, table shared")
