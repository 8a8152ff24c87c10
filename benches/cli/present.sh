#!/usr/bin/env bash
# The CLI's `present --backend groth16` end to end beside the in-memory prove (issue 14: within
# 1.3x). A benchmark, not a test (not in scripts/suites/).
#
#   benches/cli/present.sh [K] [ROUNDS]      (K records summed, default 16; rounds default 3)
#
# Builds the release CLI, makes K attested records and the sum:K keys in a temporary directory,
# then times (wall and CPU, /usr/bin/time) per round:
#   - `present` proving `sum(amount) >= ...` (key pinned by its manifest: --trust-key-manifest);
#   - the same with a false claim, which stops before synthesis and proving (start, records,
#     key load, native check): the CLI's own overhead.
# Compare with criterion's `groth16/statements/prove-notables/sum-k16` (what a one-shot process
# proves with: no fixed-base tables).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
K="${1:-16}"; ROUNDS="${2:-3}"
(cd "$ROOT" && cargo build --quiet --release -p causeway-cli)
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/causeway"
W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
"$BIN" keygen -o "$W/issuer.key" >/dev/null
"$BIN" keygen -o "$W/holder.key" >/dev/null
HOLDER="$("$BIN" pubkey -k "$W/holder.key")"
ATT=()
for i in $(seq 1 "$K"); do
  printf '{"schema":"trade/order/v1","fields":{"amount":{"type":"int","value":100000},"order_id":{"type":"int","value":%d}}}' "$i" > "$W/r$i.json"
  "$BIN" attest -k "$W/issuer.key" -i "$W/r$i.json" --subject "$HOLDER" -o "$W/r$i.att" >/dev/null
  ATT+=(-a "$W/r$i.att")
done
"$BIN" setup --statement "sum:$K" --out "$W/keys" >/dev/null 2>&1
CH="$("$BIN" challenge)"
present() {
  "$BIN" present -k "$W/holder.key" --backend groth16 --keys "$W/keys" --trust-key-manifest \
    --challenge "$CH" -o "$W/p.json" "${ATT[@]}" --prove "$1"
}
TRUE_CLAIM="sum(amount) >= $((100000 * K))"
FALSE_CLAIM="sum(amount) >= $((100000 * K + 1))"
for r in $(seq 1 "$ROUNDS"); do
  /usr/bin/time -f "round $r present (true claim): %e s wall, %U s user, %S s sys, %M kB max RSS" \
    bash -c "$(declare -f present); BIN='$BIN' W='$W' CH='$CH'; ATT=($(printf "'%s' " "${ATT[@]}")); present '$TRUE_CLAIM' >/dev/null"
  /usr/bin/time -f "round $r present (false claim, no proving): %e s wall, %U s user, %S s sys" \
    bash -c "$(declare -f present); BIN='$BIN' W='$W' CH='$CH'; ATT=($(printf "'%s' " "${ATT[@]}")); present '$FALSE_CLAIM' >/dev/null 2>&1 || true"
done
