#!/usr/bin/env bash
# The demo page (examples/web): builds what is missing (the npm package with
# scripts/build-wasm.sh; the fixture generator, the example web_fixtures, and its fixtures in
# examples/web/fixtures/), then serves the page and the package on 127.0.0.1 and prints the URL.
#   scripts/serve-demo.sh [--port N]     (default 8480)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
# wasm-opt (npm binaryen, itself wasm) takes very long on this module: skip it unless asked.
export CAUSEWAY_WASM_OPT="${CAUSEWAY_WASM_OPT:-0}"
# Keep the test build if the test suite made one (its stamp covers both; a plain build would
# replace it).
BUILD_ARGS=()
[ -d "$ROOT/bindings-wasm/pkg-test" ] && BUILD_ARGS=(--test)
"$ROOT/scripts/build-wasm.sh" "${BUILD_ARGS[@]}"
exec node "$ROOT/examples/web/serve.mjs" "$@"
