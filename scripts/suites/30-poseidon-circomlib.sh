#!/usr/bin/env bash
# Poseidon equals circomlib: computes circomlibjs (npm) outputs for a deterministic input set into
# target/ (never committed) and compares every one with causeway-circuits. circomlibjs is GPL-3.0:
# it lives only in this harness folder, never in what Causeway ships.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
harness="$root/tests/interop/circomlib"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/interop/circomlib-poseidon.json"

command -v node >/dev/null || { echo "30-poseidon-circomlib: node is required" >&2; exit 1; }
# shellcheck source=../lib/install.sh
. "$root/scripts/lib/install.sh"
ensure_npm_dir "$harness"
mkdir -p "$(dirname "$out")"
rm -f "$out"
node "$harness/poseidon-vectors.js" "$out"
CAUSEWAY_CIRCOMLIB_VECTORS="$out" cargo test -p causeway-circuits --test circomlib -- --ignored --nocapture
