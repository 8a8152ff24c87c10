"""Proofs over a column of attested rows (causeway.frame.prove_column / verify_column), beside
what a user could do before column statements existed, in one run.

For N rows of `amount` in [0, 10000] (N = 64, 1,000, 4,096):
  - ours: one presentation with the column statement `all(amount) in [0, 10000]` (one column
    range proof, 16-bit sub-proofs), and one with `sum(amount) >= t`;
  - before: ceil(N / 64) presentations of 64 rows, each proving `amount@i in [0, 10000]` for
    each of its rows (one ordinary aggregated range proof of 128 64-bit sub-proofs each);
prove time, verify time and presentation/proof sizes. Run:
python benches/python/bench_columns.py [--rows 64,1000,4096] [--baseline-max 1000]
(results in docs/benchmarks/python-frame.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any, Callable

import pandas as pd

import causeway
from causeway.frame import attest_rows, prove_column, verify_column

NOW = 1_800_000_000


def timed(f: Callable[[], Any], reps: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="64,1000,4096")
    ap.add_argument("--baseline-max", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    print("load before:", os.getloadavg())
    bank, shop = causeway.Party.generate(), causeway.Party.generate()
    keys = [bank.public_keys]
    for n in [int(x) for x in args.rows.split(",")]:
        df = pd.DataFrame({"amount": [(i * 37) % 10_001 for i in range(n)]})
        t_att, held = timed(
            lambda: attest_rows(df, issuer=bank, subject=shop, schema="invoice/v1",
                                not_before=0, not_after=2 * NOW), 1)
        ch = causeway.new_challenge()
        reps = args.reps if n <= 1000 else 1
        t_p, p = timed(lambda: prove_column(held, column="amount", within=(0, 10_000),
                                            holder=shop, challenge=ch), reps)
        t_v, r = timed(lambda: verify_column(p, column="amount", within=(0, 10_000),
                                             issuers=keys, challenge=ch, now=NOW), reps)
        total = int(df["amount"].sum())
        t_ps, ps = timed(lambda: prove_column(held, column="amount", at_least=total,
                                              holder=shop, challenge=ch), reps)
        t_vs, _ = timed(lambda: verify_column(ps, column="amount", at_least=total,
                                              issuers=keys, challenge=ch, now=NOW), reps)
        att_bytes = sum(len(a.to_bytes()) for a in p.attestations)
        size = len(p.to_bytes())
        print(f"rows={n} attest={t_att:.3f}s | all-in-range prove={t_p:.3f}s verify={t_v:.3f}s "
              f"presentation={size} B (attestations {att_bytes} B, statement+proofs+sig "
              f"{size - att_bytes} B) | sum prove={t_ps:.3f}s verify={t_vs:.3f}s "
              f"presentation={len(ps.to_bytes())} B", flush=True)
        if n > args.baseline_max:
            continue
        # before: chunks of 64 rows, one single-row range statement per row
        def before_prove() -> list[Any]:
            out = []
            for start in range(0, n, 64):
                chunk = held[start:start + 64]
                sts = [causeway.Statement.between("amount", 0, 10_000, attestation=i)
                       for i in range(len(chunk))]
                out.append(causeway.present(holder=shop, attested=chunk, challenge=ch, prove=sts))
            return out

        def before_verify(ps_: list[Any]) -> None:
            for q in ps_:
                q.verify(issuers=keys, challenge=ch, now=NOW)

        t_bp, bps = timed(before_prove, reps)
        t_bv, _ = timed(lambda: before_verify(bps), reps)
        bsize = sum(len(q.to_bytes()) for q in bps)
        print(f"rows={n} before: {len(bps)} presentations prove={t_bp:.3f}s verify={t_bv:.3f}s "
              f"size={bsize} B (statement+proofs+sig {bsize - att_bytes} B) | ratio ours/before "
              f"prove {t_p / t_bp:.2f}x verify {t_v / t_bv:.2f}x", flush=True)
    print("load after:", os.getloadavg())


if __name__ == "__main__":
    main()
