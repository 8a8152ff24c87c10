#!/usr/bin/env bash
# Interop with independent JOSE libraries: joserfc (Python, PyPI) and jose (JS, npm).
# Records sealed by Causeway open with them; JWEs they make for a Causeway party open with
# Causeway; the sealed-object testkit behaves as tests/vectors/README.md says for plain JOSE.
# Installs what is missing (.tools/venv, tests/interop/js/node_modules). Runnable alone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CAUSEWAY_ROOT="$ROOT"
# shellcheck source=../lib/install.sh
. "$ROOT/scripts/lib/install.sh"
ensure_python_venv
ensure_node_deps

# The driver binary (already built by `cargo test --workspace`; a no-op then).
cargo build --quiet -p causeway-tests --bin cw-interop
export CAUSEWAY_INTEROP_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cw-interop"

echo "--- Python (joserfc)"
(cd tests/interop/python && "$CAUSEWAY_VENV/bin/python" -m pytest -q -p no:cacheprovider)

echo "--- JS (jose)"
(cd tests/interop/js && node --test --test-reporter=spec)
