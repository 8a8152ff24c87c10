#!/usr/bin/env bash
# Groth16 beside its peers, in one run (a benchmark, not a test: not in scripts/suites/).
#
#   benches/circom/run.sh [--quick] [--sums "4"]
#
# 1. Causeway: benches/examples/groth16_figures.rs (release) — per statement constraints, setup,
#    prove, verify, key sizes; ours vs raw ark-groth16 on a square chain; prove phases. It also
#    writes the circom witness inputs of the same statements.
# 2. Peer: the same statements in circom (benches/circom/circuits, circomlib Poseidon) compiled
#    with circom2 (--O2) and proven/verified by snarkjs 0.7.6 in node (bench.js); the public
#    signal must equal our public input (same statement hash).
# 3. A table of ratios (ours vs snarkjs; targets: prove >= 8x faster (issue 14), verify >= 10x faster).
#
# circom2, circomlib and snarkjs are GPL-3.0: installed from npm into benches/circom/node_modules
# (git-ignored), used here only, never part of what Causeway ships. Artifacts (r1cs, wasm, ptau,
# zkey) go to target/bench-circom and are reused: the powers-of-tau preparation (2^14) takes
# several CPU-minutes the first time; sums beyond k = 4 need 2^16+ and are off by default.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
H="$ROOT/benches/circom"
OUT="${CARGO_TARGET_DIR:-$ROOT/target}/bench-circom"
QUICK=0; SUMS="4"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --sums) SUMS="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$OUT"
command -v node >/dev/null || { echo "node is required" >&2; exit 1; }
if [ ! -x "$H/node_modules/.bin/snarkjs" ] || [ ! -x "$H/node_modules/.bin/circom2" ]; then
  (cd "$H" && npm install --no-audit --no-fund --loglevel=error </dev/null)
fi
SNARKJS="$H/node_modules/.bin/snarkjs"
CIRCOM="$H/node_modules/.bin/circom2"

# Largest circuit -> powers of tau: 2^14 covers attribute (2,777), membership d20 (~5.6k) and
# sum k=4 (~9.7k).
POW=14
for k in $SUMS; do
  case "$k" in 4) ;; 16) [ $POW -lt 16 ] && POW=16 ;; 64) POW=18 ;; esac
done
PTAU="$OUT/pot$POW.ptau"
if [ ! -f "$PTAU" ]; then
  echo "==> powers of tau 2^$POW (one-off, slow)"
  "$SNARKJS" powersoftau new bn128 "$POW" "$OUT/pot${POW}_0.ptau" >/dev/null
  "$SNARKJS" powersoftau contribute "$OUT/pot${POW}_0.ptau" "$OUT/pot${POW}_1.ptau" --name=bench -e="causeway bench $RANDOM" >/dev/null
  "$SNARKJS" powersoftau prepare phase2 "$OUT/pot${POW}_1.ptau" "$PTAU.tmp" >/dev/null
  mv "$PTAU.tmp" "$PTAU"; rm -f "$OUT/pot${POW}_0.ptau" "$OUT/pot${POW}_1.ptau"
fi

NAMES="attribute membership"
for k in $SUMS; do NAMES="$NAMES sum$k"; done
declare -A SNARK_SETUP
for name in $NAMES; do
  src="$H/circuits/$name.circom"
  if [[ "$name" == sum* ]]; then
    # Generated beside common.circom (circom2 runs under WASI: relative includes only);
    # git-ignored (benches/circom/.gitignore).
    k="${name#sum}"; src="$H/circuits/$name.circom"
    sed "s/Sum(K, 8)/Sum($k, 8)/" "$H/circuits/sum.circom.in" > "$src.tmp"
    if cmp -s "$src.tmp" "$src" 2>/dev/null; then rm "$src.tmp"; else mv "$src.tmp" "$src"; fi
  fi
  if [ ! -f "$OUT/$name.zkey" ] || [ "$src" -nt "$OUT/$name.zkey" ] || [ "$H/circuits/common.circom" -nt "$OUT/$name.zkey" ]; then
    echo "==> circom2 $name (--O2) and snarkjs groth16 setup"
    "$CIRCOM" "$src" --r1cs --wasm --O2 -l "$H/node_modules" -o "$OUT" | grep -E "constraints|wires" || true
    cp "$OUT/${name}_js/$name.wasm" "$OUT/$name.wasm"
    t0=$(date +%s.%N)
    "$SNARKJS" groth16 setup "$OUT/$name.r1cs" "$PTAU" "$OUT/$name.zkey" >/dev/null
    t1=$(date +%s.%N)
    echo "snarkjs groth16 setup $name: $(echo "$t1 - $t0" | bc) s (single contribution-free phase 2, from the prepared ptau)"
    "$SNARKJS" zkey export verificationkey "$OUT/$name.zkey" "$OUT/$name.vkey.json" >/dev/null
  fi
  "$SNARKJS" r1cs info "$OUT/$name.r1cs" 2>/dev/null | grep -E "Constraints" | sed "s/^/circom $name: /" || true
done

echo "==> Causeway (release)"
ONLY="attribute,membership,chain,phases"
for k in $SUMS; do ONLY="$ONLY,sum$k"; done
Q=(); [ "$QUICK" = 1 ] && Q=(--quick)
(cd "$ROOT" && cargo run --quiet --release -p causeway-benches --example groth16_figures -- --out "$OUT" --only "$ONLY" "${Q[@]}")

echo "==> snarkjs 0.7.6 (node $(node --version))"
(cd "$H" && QUICK=$QUICK node bench.js "$OUT" $NAMES)

echo "==> ratios (same run)"
node -e '
const fs = require("fs");
const o = JSON.parse(fs.readFileSync(process.argv[1] + "/ours.json"));
const s = JSON.parse(fs.readFileSync(process.argv[1] + "/snarkjs.json"));
const rows = [["statement", "ours prove ms (cpu)", "snarkjs prove ms (cpu)", "prove ratio wall / cpu (target >= 8)", "ours verify ms (cpu)", "snarkjs verify ms (cpu)", "verify ratio wall / cpu (target >= 10)"]];
for (const name of Object.keys(s)) {
  const key = name.startsWith("sum") ? "sum-k" + name.slice(3) : name === "membership" ? "membership-d20-nullifier" : name;
  const a = o[key], b = s[name];
  rows.push([key, `${a.prove_ms.toFixed(1)} (${a.prove_cpu_ms.toFixed(1)})`, `${b.prove_ms.toFixed(1)} (${b.prove_cpu_ms.toFixed(1)})`,
             `${(b.prove_ms / a.prove_ms).toFixed(2)}x / ${(b.prove_cpu_ms / a.prove_cpu_ms).toFixed(2)}x`,
             `${a.verify_ms.toFixed(2)} (${a.verify_cpu_ms.toFixed(2)})`, `${b.verify_ms.toFixed(2)} (${b.verify_cpu_ms.toFixed(2)})`,
             `${(b.verify_ms / a.verify_ms).toFixed(1)}x / ${(b.verify_cpu_ms / a.verify_cpu_ms).toFixed(1)}x`]);
}
for (const r of rows) console.log("| " + r.join(" | ") + " |");
const q = o.square_chain;
if (q) console.log(`square chain ${q.constraints}: causeway ${q.causeway_ms.toFixed(1)} ms / ark-groth16 ${q.ark_groth16_ms.toFixed(1)} ms = ${q.ratio.toFixed(3)} wall, ${q.ratio_cpu.toFixed(3)} cpu (target <= 1.05)`);
' "$OUT"
