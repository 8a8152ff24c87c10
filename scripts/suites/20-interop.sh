#!/usr/bin/env bash
# Interop with independent JOSE libraries: joserfc (Python, PyPI) and jose (JS, npm).
# Records sealed with the `causeway` CLI open with them; JWEs they make for a Causeway party
# open with `causeway open`; the sealed-object testkit behaves as tests/vectors/README.md says for plain JOSE.
# Installs what is missing (.tools/venv, tests/interop/js/node_modules). Runnable alone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CAUSEWAY_ROOT="$ROOT"
# shellcheck source=../lib/install.sh
. "$ROOT/scripts/lib/install.sh"
ensure_python_venv
ensure_node_deps

# The `causeway` CLI, as `cargo test --workspace` builds it (a no-op after the test stage of
# scripts/test.sh; building it with `-p causeway-cli` alone would unify features differently
# and rebuild core twice per run).
cargo test --quiet --workspace --no-run
export CAUSEWAY_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/causeway"

echo "--- Python (joserfc)"
(cd tests/interop/python && "$CAUSEWAY_VENV/bin/python" -m pytest -q -p no:cacheprovider)

echo "--- JS (jose)"
(cd tests/interop/js && node --test --test-reporter=tap)
