"""Python call overhead against Rust, in one run (docs/benchmarks/python.md).

Times the same operations through the `causeway` Python package and through the Rust crate
(`cargo run -p causeway-benches --example python_peer`, run by this script), in process CPU
seconds (median of rounds; robust to other load on a shared machine), and prints the ratios.
Also verifies 1,000 Bulletproofs presentations made here, from Python, and the same bytes in
Rust.

    python benches/python/bench_overhead.py [--rust-bin PATH] [--count 1000] [--json OUT] [--repeat 3]

Needs the package built into the running interpreter (`scripts/suites/70-python.sh` or
`maturin develop` in bindings-python/) and cargo on PATH (or `--rust-bin`, a built
`python_peer` example).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import causeway

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_800_000_000


def per_call(rounds: int, n: int, f: Callable[[], object]) -> float:
    f()
    v = []
    for _ in range(rounds):
        c = time.process_time()
        for _ in range(n):
            f()
        v.append((time.process_time() - c) / n)
    return statistics.median(v)


def calls_for(size: int) -> int:
    """Calls per round for a payload of `size` bytes (the same as the Rust peer)."""
    if size <= 4096:
        return 300
    if size <= 65536:
        return 100
    if size <= 1 << 20:
        return 10
    return 2


def python_figures(count: int, pres_file: Path) -> dict[str, float]:
    bank, alice = causeway.Party.generate(), causeway.Party.generate()
    fig: dict[str, float] = {}
    fig["trivial_key_id"] = per_call(15, 20_000, lambda: bank.key_id)
    for name, size in (("1k", 1024), ("64k", 64 << 10), ("1m", 1 << 20), ("16m", 16 << 20)):
        data = bytes([7]) * size
        n = calls_for(size)
        fig[f"seal_{name}"] = per_call(9, n, lambda: causeway.seal(data, owner=bank, recipients=[alice.public_keys]))
        sealed = causeway.seal(data, owner=bank, recipients=[alice.public_keys])
        fig[f"open_{name}"] = per_call(9, n, lambda: causeway.open(sealed, party=alice))
    record = causeway.Record("credit/v1", score=742, income=85_000, name="Ada")
    held = causeway.attest(record, issuer=bank, subject=alice.public_keys, not_before=0, not_after=2**63)
    ch = bytes([0x42]) * 32
    sts = ["score >= 700", "income in [50000, 120000]"]

    def present_bp() -> causeway.Presentation:
        return causeway.present(holder=alice, attested=[held], challenge=ch, disclose=["name"], prove=sts)

    fig["present_bulletproofs"] = per_call(7, 5, lambda: present_bp().to_bytes())
    p = present_bp().to_bytes()
    issuers = [bank.public_keys]
    fig["verify_bulletproofs"] = per_call(
        7, 10, lambda: causeway.Presentation.from_bytes(p).verify(issuers=issuers, challenge=ch, now=NOW)
    )
    ring = causeway.KeyRing.setup(["attribute"])

    def present16() -> causeway.Presentation:
        return causeway.present(holder=alice, attested=[held], challenge=ch, prove=sts[:1], backend="groth16", keys=ring)

    fig["present_groth16"] = per_call(5, 2, lambda: present16().to_bytes())
    p16 = present16().to_bytes()
    fig["verify_groth16"] = per_call(
        7, 5, lambda: causeway.Presentation.from_bytes(p16).verify(issuers=issuers, challenge=ch, now=NOW, keys=ring)
    )
    # 1,000 presentations (each its own proofs), verified one by one
    items = [present_bp().to_bytes() for _ in range(count)]
    with open(pres_file, "wb") as f:
        f.write(bank.public_keys.to_text().encode() + b"\n" + ch.hex().encode() + b"\n")
        for b in items:
            f.write(struct.pack(">I", len(b)) + b)
    passes = []
    for _ in range(3):  # median of three passes, as the Rust peer does
        c = time.process_time()
        for b in items:
            causeway.Presentation.from_bytes(b).verify(issuers=issuers, challenge=ch, now=NOW)
        passes.append(time.process_time() - c)
    fig["verify_1000_total"] = statistics.median(passes)
    fig["verify_1000_count"] = float(len(items))
    return fig


def rust_figures(out: Path, pres_file: Path, rust_bin: str | None) -> dict[str, float]:
    if rust_bin:
        cmd = [rust_bin, str(out), str(pres_file)]
    else:
        cmd = ["cargo", "run", "-q", "-p", "causeway-benches", "--example", "python_peer", "--", str(out), str(pres_file)]
    subprocess.run(cmd, check=True, cwd=ROOT)
    return json.loads(out.read_text())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rust-bin")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--json")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="alternate the Python and Rust sides this many times and keep each figure's median "
        "(on a shared machine, load that shifts between the two sides' blocks skews one run)",
    )
    a = ap.parse_args()
    pys: list[dict[str, float]] = []
    rss: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as d:
        for i in range(max(1, a.repeat)):
            pres = Path(d) / f"presentations-{i}.bin"
            pys.append(python_figures(a.count, pres))
            rss.append(rust_figures(Path(d) / f"rust-{i}.json", pres, a.rust_bin))
    py = {k: statistics.median(f[k] for f in pys) for k in pys[0]}
    rs = {k: statistics.median(f[k] for f in rss) for k in rss[0]}
    load = os.getloadavg()
    rows = []
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; CPU seconds, median of rounds"
        f" (and of {len(pys)} alternating runs)"
    )
    print(f"{'operation':28} {'Rust':>12} {'Python':>12} {'ratio':>7} {'overhead':>12}")
    for k in rs:
        if k.endswith("_count"):
            continue
        # `seal_into_*` / `open_into_*`: the Rust side of the path the binding takes (an exact
        # length, then straight into a fresh buffer), beside the same Python call.
        r, p = rs[k], py[k.replace("_into_", "_")]
        ratio = p / r if r else float("inf")
        rows.append({"op": k, "rust_s": r, "python_s": p, "ratio": ratio, "overhead_s": p - r})
        print(f"{k:28} {r:12.3e} {p:12.3e} {ratio:7.3f} {p - r:12.3e}")
    if a.json:
        Path(a.json).write_text(json.dumps({"load": load, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
