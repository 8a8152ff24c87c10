#!/usr/bin/env bash
# The npm package (bindings-wasm): installs what is missing (Debian's wasm toolchain, the
# wasm-bindgen CLI at the crate's version, bindings-wasm's npm packages from its lockfile),
# builds the package with scripts/build-wasm.sh --test (the shipped pkg/ and the self-test
# build pkg-test/), then runs the Node tests in bindings-wasm/tests: the shared vectors, round
# trips and attacks, 10 000 fast-check runs, trap recovery, the light entry, the README
# examples, and cross-face runs with the CLI ($CARGO_TARGET_DIR/debug/causeway, built here if
# missing); then the browser tests in bindings-wasm/tests/browser (Debian's Chromium, installed
# if missing, driven by playwright-core against pages served on 127.0.0.1): the Worker helper
# causeway-wasm/worker (worker.test.mjs), the multi-threaded causeway-wasm/threads in a
# cross-origin isolated page (threads.test.mjs) and the demo page examples/web (demo.test.mjs;
# its fixtures made by the example web_fixtures). Runnable alone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CAUSEWAY_ROOT="$ROOT"
# shellcheck source=../lib/install.sh
. "$ROOT/scripts/lib/install.sh"

# The shipped modules are built with the size-tuned `wasm` profile and shrunk with wasm-opt -O1
# (npm binaryen: seconds per module on a quiet machine, under a minute under load; decision
# 0093). CAUSEWAY_WASM_OPT=0 skips it.
export CAUSEWAY_WASM_OPT="${CAUSEWAY_WASM_OPT:-1}"
echo "--- build (scripts/build-wasm.sh --test)"
"$ROOT/scripts/build-wasm.sh" --test

CLI="${CAUSEWAY_CLI:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/causeway}"
if [ ! -x "$CLI" ]; then
  echo "--- build the CLI for the cross-face tests"
  cargo build --quiet -p causeway-cli </dev/null
fi
export CAUSEWAY_CLI="$CLI"

# The demo page's fixture generator (examples/examples/web_fixtures.rs; `cargo test
# --workspace` builds it): examples/web/serve.mjs runs it into examples/web/fixtures/.
GEN="${CAUSEWAY_WEB_FIXTURES_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/web_fixtures}"
if [ ! -x "$GEN" ] || [ "$ROOT/examples/examples/web_fixtures.rs" -nt "$GEN" ]; then
  echo "--- build the demo page's fixture generator"
  cargo build --quiet -p causeway-examples --example web_fixtures </dev/null
fi
export CAUSEWAY_WEB_FIXTURES_BIN="$GEN"

echo "--- node --test bindings-wasm/tests"
cd "$ROOT/bindings-wasm"
node --expose-gc --test --test-reporter=spec tests/*.test.mjs

echo "--- browser tests (headless Chromium, playwright-core): bindings-wasm/tests/browser"
ensure_chromium
# One Chromium for every file (tests/browser/browser-server.mjs; the harness connects to it and
# gives each page a new browser context): not one browser start per page. It stops when this
# script's end of its stdin closes (also if this script is killed), or by its PID.
endpoint="$(mktemp -u)"
exec 8> >(exec node tests/browser/browser-server.mjs "$endpoint")
browser_pid=$!
trap 'exec 8>&-; kill "$browser_pid" 2>/dev/null || true; rm -f "$endpoint"' EXIT
for _ in $(seq 1 600); do [ -s "$endpoint" ] && break; sleep 0.1; done
[ -s "$endpoint" ] || { echo "80-wasm: the browser server did not start" >&2; exit 1; }
CAUSEWAY_BROWSER_WS="$(cat "$endpoint")"
export CAUSEWAY_BROWSER_WS
node --test --test-concurrency=1 --test-reporter=spec tests/browser/*.test.mjs
