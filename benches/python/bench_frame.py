"""causeway.frame beside the paths a user could write by hand, in one run.

A 1-million-row pandas DataFrame (int64, float64, string, date) is
  - sealed and opened whole with causeway.frame (seal_frame / open_frame);
  - sealed and opened by the plain path: pyarrow writes Arrow IPC, core seals those bytes as one
    object (causeway.seal / causeway.open), pyarrow reads them back;
  - sealed and opened per column (four parts, each under its own key) with causeway.frame;
  - sealed and opened row by row with a Python loop over `cryptography`'s AESGCM (the rows as
    CSV-ish bytes, one nonce per row);
and the peak RSS above the frame is measured for each sealing and opening path in a fresh
process. Run: python benches/python/bench_frame.py [--rows N] (results in
docs/benchmarks/python-frame.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Callable

import numpy as np
import pandas as pd
import pyarrow as pa

import causeway
from causeway.frame import open_frame, seal_frame, to_arrow, to_ipc


def make_frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "id": np.arange(n, dtype="int64"),
            "amount": rng.normal(1000.0, 250.0, n),
            "customer": pd.array(
                np.char.add("customer-", (rng.integers(0, 100_000, n)).astype(str)), dtype="string"
            ),
            "day": pd.array(
                pa.array(rng.integers(18000, 20000, n, dtype="int32"), pa.date32()),
                dtype=pd.ArrowDtype(pa.date32()),
            ),
        }
    )


def timed(f: Callable[[], Any], reps: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def plain_seal(df: pd.DataFrame, owner: causeway.Party, to: causeway.PublicKeys) -> bytes:
    ipc = to_ipc(pa.Table.from_pandas(df))
    return causeway.seal(ipc, owner=owner, recipients=[to])


def plain_open(sealed: bytes, party: causeway.Party) -> pd.DataFrame:
    ipc = causeway.open(sealed, party=party).content
    return pa.ipc.open_stream(pa.py_buffer(ipc)).read_all().to_pandas()


def per_column(df: pd.DataFrame, owner: causeway.Party, to: causeway.PublicKeys) -> bytes:
    return seal_frame(df, owner, columns={c: [to] for c in df.columns})


def rss_now() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def hwm() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def memory_child(op: str, rows: int) -> None:
    """In a fresh process: build the frame (and the sealed input), then one operation; print
    the peak RSS above what was there before the operation."""
    bank, partner = causeway.Party.generate(), causeway.Party.generate()
    df = make_frame(rows)
    sealed = None
    if op == "open_ours":
        sealed = seal_frame(df, bank, recipients=[partner.public_keys])
    elif op == "open_plain":
        sealed = plain_seal(df, bank, partner.public_keys)
    base = rss_now()
    # reset the peak RSS (VmHWM) to the current RSS, so the peak read after the operation is
    # the operation's own (Linux >= 4.0)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    if op == "seal_ours":
        out: Any = seal_frame(df, bank, recipients=[partner.public_keys])
    elif op == "seal_plain":
        out = plain_seal(df, bank, partner.public_keys)
    elif op == "open_ours":
        out = open_frame(sealed, partner)  # type: ignore[arg-type]
    else:
        out = plain_open(sealed, partner)  # type: ignore[arg-type]
    peak = hwm()
    print(json.dumps({"op": op, "extra": peak - base, "out": out is not None}))


def aesgcm_rows(df: pd.DataFrame) -> tuple[float, float]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = AESGCM.generate_key(bit_length=256)
    aes = AESGCM(key)
    t = time.perf_counter()
    rows = []
    for r in df.itertuples(index=False):
        nonce = os.urandom(12)
        data = f"{r.id},{r.amount!r},{r.customer},{r.day}".encode()
        rows.append((nonce, aes.encrypt(nonce, data, None)))
    seal_t = time.perf_counter() - t
    t = time.perf_counter()
    back = []
    for nonce, ct in rows:
        i, amount, customer, day = aes.decrypt(nonce, ct, None).decode().split(",")
        back.append((int(i), float(amount), customer, day))
    pd.DataFrame(back, columns=list(df.columns))
    return seal_t, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--memory-child")
    a = ap.parse_args()
    if a.memory_child:
        memory_child(a.memory_child, a.rows)
        return
    bank, partner = causeway.Party.generate(), causeway.Party.generate()
    df = make_frame(a.rows)
    arrow_size = to_arrow(df).nbytes
    res: dict[str, float] = {}
    res["seal_ours"], sealed = timed(lambda: seal_frame(df, bank, recipients=[partner.public_keys]), a.reps)
    res["open_ours"], opened = timed(lambda: open_frame(sealed, partner), a.reps)
    pd.testing.assert_frame_equal(opened.frame, df)
    res["seal_plain"], sealed_p = timed(lambda: plain_seal(df, bank, partner.public_keys), a.reps)
    res["open_plain"], opened_p = timed(lambda: plain_open(sealed_p, partner), a.reps)
    pd.testing.assert_frame_equal(opened_p, df)
    res["seal_per_column"], sealed_c = timed(lambda: per_column(df, bank, partner.public_keys), a.reps)
    res["open_per_column"], opened_c = timed(lambda: open_frame(sealed_c, partner), a.reps)
    pd.testing.assert_frame_equal(opened_c.frame, df)
    res["seal_aesgcm_rows"], res["open_aesgcm_rows"] = aesgcm_rows(df)
    mem = {}
    for op in ("seal_ours", "seal_plain", "open_ours", "open_plain"):
        out = subprocess.run(
            [sys.executable, __file__, "--rows", str(a.rows), "--memory-child", op],
            capture_output=True, text=True, check=True,
        )
        mem[op] = json.loads(out.stdout)["extra"]
    ours = res["seal_ours"] + res["open_ours"]
    plain = res["seal_plain"] + res["open_plain"]
    percol = res["seal_per_column"] + res["open_per_column"]
    loop = res["seal_aesgcm_rows"] + res["open_aesgcm_rows"]
    report = {
        "rows": a.rows,
        "arrow_bytes": arrow_size,
        "sealed_bytes": {"ours": len(sealed), "plain": len(sealed_p), "per_column": len(sealed_c)},
        "seconds": {k: round(v, 4) for k, v in res.items()},
        "ratios": {
            "ours_over_plain_seal+open": round(ours / plain, 3),
            "ours_over_plain_seal": round(res["seal_ours"] / res["seal_plain"], 3),
            "ours_over_plain_open": round(res["open_ours"] / res["open_plain"], 3),
            "aesgcm_loop_over_ours": round(loop / ours, 1),
            "per_column_over_whole": round(percol / ours, 3),
        },
        "peak_rss_over_frame_arrow_size": {k: round(v / arrow_size, 2) for k, v in mem.items()},
        "load": os.getloadavg(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
