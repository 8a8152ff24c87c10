#!/usr/bin/env bash
# Builds the npm package `causeway-wasm` into bindings-wasm/pkg/ (decision 0071):
#   full/   the whole API (proving included)       -> import "causeway-wasm"
#   light/  keys, sealing, verification (no prover) -> import "causeway-wasm/light"
#   threads/ the full API on a pool of Web Workers    -> import "causeway-wasm/threads"
#           (shared memory: its own std and target dir, $WASM_TARGET_DIR/threads; decision 0094)
#   worker.js + worker-script.js: the Worker helper     -> import "causeway-wasm/worker"
# each as: cargo +debian-web (wasm32, -Zbuild-std) -> wasm-bindgen --target web (no name
# section) -> wasm-opt (npm binaryen); then the JS wrapper, the curated .d.ts, README and a
# package.json with the crate's version. With --test it also builds bindings-wasm/pkg-test/
# (the full entry with the `self-test` feature: an export that traps on purpose), which only the
# test suite uses. Idempotent: skips when the inputs did not change since the last build.
#
# Environment: WASM_TARGET_DIR (default: ${CARGO_TARGET_DIR:-target}/wasm);
# CAUSEWAY_WASM_OPT=0 skips wasm-opt (local iteration only: the modules are then larger);
# CAUSEWAY_WASM_PROFILE overrides the cargo profile of the shipped modules (default `wasm`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CAUSEWAY_ROOT="$ROOT"
# shellcheck source=lib/install.sh
. "$ROOT/scripts/lib/install.sh"

WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1
WASM_TARGET_DIR="${WASM_TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/wasm}"
PKG_DIR="$ROOT/bindings-wasm"

ensure_wasm_toolchain
ensure_rust_lld
ensure_wasm_bindgen
ensure_wasm_node_deps

# The inputs: every tracked or new file the wasm build reads, and this script.
inputs_hash() {
  {
    git ls-files -co --exclude-standard -- core circuits bindings-wasm vendor Cargo.toml Cargo.lock \
      rust-toolchain.toml scripts/build-wasm.sh scripts/lib/install.sh |
      grep -v -e '^bindings-wasm/pkg' -e '^bindings-wasm/node_modules' -e '^bindings-wasm/tests/' |
      sort | while read -r f; do [ -f "$f" ] && sha256sum "$f"; done
    echo "test=$WITH_TEST opt=${CAUSEWAY_WASM_OPT:-1} ${CAUSEWAY_WASM_OPT_LEVEL:-} ${CAUSEWAY_WASM_PROFILE:-}"
    # the tools that make the bytes (their pins live in scripts/lib/install.sh, hashed above)
    echo "rustflags=${RUSTFLAGS:-} $(rustc +debian-web -vV | tr '\n' ' ') $(wasm-bindgen --version)" \
      "$(rust-lld -flavor wasm --version 2>&1 | head -n1)"
  } | sha256sum | cut -d' ' -f1
}
HASH="$(inputs_hash)"
if [ -f "$PKG_DIR/pkg/.build-stamp" ] && [ "$(cat "$PKG_DIR/pkg/.build-stamp")" = "$HASH" ] &&
  { [ "$WITH_TEST" = 0 ] || [ -f "$PKG_DIR/pkg-test/index.js" ]; }; then
  _cw_say "bindings-wasm/pkg is up to date"
  exit 0
fi
# The last build's output, kept under the target dir by the inputs' hash: a fresh clone (CI)
# whose inputs equal the last build's copies it instead of running wasm-bindgen and wasm-opt
# on five modules again. One entry (the latest); a copy is made only after a whole build.
PKG_CACHE="$WASM_TARGET_DIR/pkg-cache"
if [ -f "$PKG_CACHE/$HASH/pkg/.build-stamp" ] &&
  { [ "$WITH_TEST" = 0 ] || [ -f "$PKG_CACHE/$HASH/pkg-test/index.js" ]; }; then
  rm -rf "$PKG_DIR/pkg" "$PKG_DIR/pkg-test"
  cp -a "$PKG_CACHE/$HASH/pkg" "$PKG_DIR/pkg"
  [ "$WITH_TEST" = 1 ] && cp -a "$PKG_CACHE/$HASH/pkg-test" "$PKG_DIR/pkg-test"
  _cw_say "bindings-wasm/pkg copied from the build of the same inputs ($PKG_CACHE/$HASH)"
  exit 0
fi

WASM_OPT="$PKG_DIR/node_modules/.bin/wasm-opt"
# Cargo profiles (decision 0093, docs/benchmarks/wasm.md): the shipped light and full modules
# use the workspace's `[profile.wasm]` (size-tuned, fat LTO); the test-only module uses
# `release` (no LTO: a cheap link; its size does not matter).
SHIP_PROFILE="${CAUSEWAY_WASM_PROFILE:-wasm}"
TEST_PROFILE="release"
# wasm-opt flags for the shipped modules: -O1 (npm binaryen runs as wasm, single-threaded; -Oz
# took minutes and made the LTO-built module larger gzipped: docs/benchmarks/wasm.md).
WASM_OPT_LEVEL="${CAUSEWAY_WASM_OPT_LEVEL:--O1}"
VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"

# build_variant OUT_DIR FEATURES PROFILE [OPT]: one wasm module and its glue into OUT_DIR,
# built with the cargo profile PROFILE, shrunk with wasm-opt unless OPT is "no-opt" (the
# test-only module).
build_variant() {
  local out="$1" features="$2" profile="$3" opt="${4:-opt}"
  _cw_say "cargo build causeway-wasm (wasm32, profile $profile, features: ${features:-none})"
  RUSTC_BOOTSTRAP=1 cargo +debian-web build --profile "$profile" --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort -p causeway-wasm --no-default-features \
    ${features:+--features "$features"} --target-dir "$WASM_TARGET_DIR" </dev/null
  rm -rf "$out"
  mkdir -p "$out"
  wasm-bindgen --target web --remove-name-section --remove-producers-section --no-typescript \
    --out-dir "$out" --out-name causeway_wasm \
    "$WASM_TARGET_DIR/wasm32-unknown-unknown/$profile/causeway_wasm.wasm"
  { [ "$opt" = "no-opt" ] || [ "${CAUSEWAY_WASM_OPT:-1}" = 0 ]; } && return 0
  # the features rustc 1.96 enables for wasm32 by default; wasm-opt must accept them
  _cw_say "wasm-opt $WASM_OPT_LEVEL $(basename "$out")"
  "$WASM_OPT" "$WASM_OPT_LEVEL" --strip-debug --strip-producers \
    --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --enable-threads \
    "$out/causeway_wasm_bg.wasm" -o "$out/causeway_wasm_bg.wasm"
  # which modules went through wasm-opt (bench/browser.mjs reports it; not in the npm files):
  # binaryen keeps rustc's `target_features` section, so the module itself does not tell
  echo "$(basename "$out") $WASM_OPT_LEVEL" >>"$(dirname "$out")/.wasm-opt"
}

# assemble DEST: the JS wrapper, entries, types, README and package.json around full/ light/.
assemble() {
  local dest="$1"
  cp "$PKG_DIR"/js/errors.js "$PKG_DIR"/js/runtime.js "$PKG_DIR"/js/api.js "$dest/"
  # causeway-wasm/worker: the main-thread helper and the script its Workers run (decision 0089)
  cp "$PKG_DIR"/js/worker.js "$PKG_DIR"/js/worker-script.js "$PKG_DIR"/js/worker.d.ts "$dest/"
  cp "$PKG_DIR"/js/index.d.ts "$dest/index.d.ts"
  cp "$PKG_DIR"/js/index.d.ts "$dest/light.d.ts"
  cp "$PKG_DIR/README.md" "$dest/README.md"
  sed -e 's/@ENTRY@/full/g' -e 's/@DIR@/full/g' -e 's/@ENTRY_DTS@/index.d.ts/g' \
    "$PKG_DIR/js/entry.js.in" >"$dest/index.js"
  if [ -d "$dest/threads" ]; then
    cp "$PKG_DIR"/js/runtime-threads.js "$PKG_DIR"/js/threads.d.ts "$dest/"
    { sed -e 's/@ENTRY@/threads/g' -e 's/@DIR@/threads/g' -e 's/@ENTRY_DTS@/threads.d.ts/g' \
      -e "s#'./runtime.js'#'./runtime-threads.js'#" "$PKG_DIR/js/entry.js.in"
      cat "$PKG_DIR/js/entry-threads.js.in"; } >"$dest/threads.js"
  fi
  if [ -d "$dest/light" ]; then
    sed -e 's/@ENTRY@/light/g' -e 's/@DIR@/light/g' -e 's/@ENTRY_DTS@/light.d.ts/g' \
      "$PKG_DIR/js/entry.js.in" >"$dest/light.js"
  fi
  sed "s/@VERSION@/$VERSION/" "$PKG_DIR/js/package.json.in" >"$dest/package.json"
}

STAGE="$(mktemp -d "$PKG_DIR/.pkg-stage.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
build_variant "$STAGE/pkg/light" "" "$SHIP_PROFILE"
build_variant "$STAGE/pkg/full" "prover" "$SHIP_PROFILE"
# The threads variant: wasm32 with atomics (shared memory; bindings-wasm/build.rs adds the
# link arguments), so std and every dependency are built again with these target features, in
# their own target dir (no fingerprint churn with the two variants above). It is the variant a
# page picks for speed, so it uses `release` (opt-level 3, no LTO) rather than the size-tuned
# profile, shares that one build with its self-test module, and skips wasm-opt (binaryen from
# npm takes minutes on its ~3.7 MB): an optional download beside the 1.2 MB full module.
THREADS_RUSTFLAGS="-C target-feature=+atomics,+bulk-memory,+mutable-globals"
RUSTFLAGS="$THREADS_RUSTFLAGS" WASM_TARGET_DIR="$WASM_TARGET_DIR/threads" \
  build_variant "$STAGE/pkg/threads" "threads" "$TEST_PROFILE" no-opt
assemble "$STAGE/pkg"
if [ "$WITH_TEST" = 1 ]; then
  build_variant "$STAGE/pkg-test/full" "prover,self-test" "$TEST_PROFILE" no-opt
  RUSTFLAGS="$THREADS_RUSTFLAGS" WASM_TARGET_DIR="$WASM_TARGET_DIR/threads" \
    build_variant "$STAGE/pkg-test/threads" "threads,self-test" "$TEST_PROFILE" no-opt
  assemble "$STAGE/pkg-test"
fi
rm -rf "$PKG_DIR/pkg"
mv "$STAGE/pkg" "$PKG_DIR/pkg"
if [ "$WITH_TEST" = 1 ]; then
  rm -rf "$PKG_DIR/pkg-test"
  mv "$STAGE/pkg-test" "$PKG_DIR/pkg-test"
fi
echo "$HASH" >"$PKG_DIR/pkg/.build-stamp"
rm -rf "$PKG_CACHE"
mkdir -p "$PKG_CACHE/$HASH.tmp"
cp -a "$PKG_DIR/pkg" "$PKG_CACHE/$HASH.tmp/pkg"
[ "$WITH_TEST" = 1 ] && cp -a "$PKG_DIR/pkg-test" "$PKG_CACHE/$HASH.tmp/pkg-test"
mv "$PKG_CACHE/$HASH.tmp" "$PKG_CACHE/$HASH"
for v in full light threads; do
  f="$PKG_DIR/pkg/$v/causeway_wasm_bg.wasm"
  printf '==> %-7s %s bytes, %s bytes gzip -9\n' "$v" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done
