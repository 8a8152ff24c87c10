#!/usr/bin/env bash
# Causeway's whole test suite: the README's test command and what CI runs (.ci/run).
#
# Installs what a fresh machine lacks (Debian packages for the wasm build, cargo-deny, a Python
# venv under .tools/, npm packages), then runs, stopping at the first failure:
#   fmt, clippy, cargo test, rustdoc, cargo-deny (licences, bans, sources; offline),
#   the wasm32 build of core without default features, and every executable scripts/suites/*.sh
#   (.ci/run's source mtimes on a throwaway crate, interop, circomlib, snarkjs, EVM on anvil,
#   the cargo-fuzz targets in fuzz/, the Python
#   package in bindings-python/, the npm package in bindings-wasm/)
#   in sorted order.
# Ends with one line: "N passed, N failed" (counting these stages and suites).
#
# Environment:
#   CAUSEWAY_TEST_SKIP="wasm deny ..."  skip stages by name (for local iteration only)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CAUSEWAY_ROOT="$ROOT"
# shellcheck source=lib/install.sh
. "$ROOT/scripts/lib/install.sh"

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
WASM_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/wasm"
SKIP=" ${CAUSEWAY_TEST_SKIP:-} "
passed=0
failed=0
t_start=$SECONDS

summary() {
  printf '\n%d passed, %d failed\n' "$passed" "$failed"
}

# stage NAME HINT CMD...: runs one stage; on failure prints what failed and how to rerun it,
# prints the summary and exits non-zero (fail fast).
stage() {
  local name="$1" hint="$2"
  shift 2
  case "$SKIP" in *" $name "*)
    printf '\n=== %s: skipped (CAUSEWAY_TEST_SKIP)\n' "$name"
    return 0 ;;
  esac
  printf '\n=== %s\n' "$name"
  local t0=$SECONDS rc=0
  "$@" </dev/null || rc=$?
  if [ "$rc" -ne 0 ]; then
    failed=$((failed + 1))
    printf '\nFAILED: %s (exit %d, after %ds). %s\n' "$name" "$rc" "$((SECONDS - t0))" "$hint" >&2
    summary
    exit 1
  fi
  passed=$((passed + 1))
  printf '=== %s: ok (%ds)\n' "$name" "$((SECONDS - t0))"
}

install_all() {
  ensure_wasm_toolchain
  ensure_cargo_deny
  ensure_cargo_fuzz
  ensure_python_venv
  ensure_node_deps
}

wasm_build() {
  RUSTC_BOOTSTRAP=1 cargo +debian-web build --release --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort -p causeway --no-default-features \
    --target-dir "$WASM_TARGET_DIR"
}

stage install "An installer failed: see the message above (apt, crates.io, PyPI and npm must be reachable)." \
  install_all
stage fmt "Run: cargo fmt --all" \
  cargo fmt --all -- --check
stage clippy "Run: cargo clippy --workspace --all-targets -- -D warnings" \
  cargo clippy --workspace --all-targets --quiet -- -D warnings
stage test "Run: cargo test --workspace" \
  cargo test --workspace
stage doc "Run: RUSTDOCFLAGS='-D warnings' cargo doc --workspace --no-deps" \
  env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
# `cargo deny` reads `cargo metadata` for every platform, so first fetch every crate in the
# lockfile (crates.io is reachable); the check itself then runs offline.
deny_check() {
  cargo fetch --quiet
  cargo deny --offline --log-level error check licenses bans sources
}
stage deny "Run: cargo fetch && cargo deny --offline check licenses bans sources (see deny.toml for the allowed licences)" \
  deny_check
stage wasm "core must build for wasm32-unknown-unknown with --no-default-features: move native-only dependencies behind the 'native' feature." \
  wasm_build

shopt -s nullglob
for suite in "$ROOT"/scripts/suites/*.sh; do
  [ -x "$suite" ] || { printf '\n=== %s: not executable, skipped\n' "${suite#"$ROOT"/}"; continue; }
  stage "${suite#"$ROOT"/}" "Run it alone: $suite" "$suite"
done

printf '\nAll stages passed in %ds.\n' "$((SECONDS - t_start))"
summary
