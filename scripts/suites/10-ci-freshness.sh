#!/usr/bin/env bash
# The content-keyed mtimes of .ci/run (scripts/lib/mtimes.py, decision 0109) on a throwaway
# crate with its own target dir: a clone with the content the cache was built from is fresh
# (nothing recompiled); and every way of getting a stale artefact is refused: a changed file,
# an older commit after a newer one, a build outside a sealed run, a run killed before its seal,
# a tracked file rewritten during a run (even back to its content). Also ensure_npm_dir's cache
# of node_modules. Also: no test path baked in at compile time (see the end). Runnable alone (~20 s).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOL="$ROOT/scripts/lib/mtimes.py"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
export CARGO_TARGET_DIR="$W/target" CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never
unset RUSTFLAGS
fail=0

# the origin repository: commit A prints 1, commit B prints 2
mkdir -p "$W/origin/src"
cd "$W/origin"
git init -q -b main
git config user.email ci@example.invalid
git config user.name ci
printf '[package]\nname = "probe"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n' >Cargo.toml
echo 'fn main() { println!("{}", include_str!("value.txt").trim()); }' >src/main.rs
echo 1 >src/value.txt
git add -A && git commit -qm A && git tag A
echo 2 >src/value.txt
git commit -qam B && git tag B

n=0
# run REV [--no-seal] [--foreign]: a fresh clone of REV built as .ci/run does; sets OUT (what
# the binary printed) and BUILT (1 if cargo compiled the crate).
run() {
  local rev="$1" seal=1
  [ "${2:-}" = --no-seal ] && seal=0
  n=$((n + 1))
  local c="$W/clone$n"
  git clone -q "$W/origin" "$c"
  git -C "$c" checkout -q "$rev"
  sleep 0.05 # the clone's mtimes differ from the last build's
  python3 "$TOOL" restore "$c" "$CARGO_TARGET_DIR" >/dev/null
  local log
  log="$(cd "$c" && cargo build 2>&1)"
  BUILT=0
  grep -q "Compiling probe" <<<"$log" && BUILT=1
  OUT="$("$CARGO_TARGET_DIR/debug/probe")"
  [ "$seal" = 1 ] && python3 "$TOOL" seal "$c" "$CARGO_TARGET_DIR" >/dev/null
  return 0
}
check() { # check WHAT EXPECTED_OUT EXPECTED_BUILT
  if [ "$OUT" = "$2" ] && [ "$BUILT" = "$3" ]; then
    echo "ok: $1 (prints $OUT, compiled: $BUILT)"
  else
    echo "FAIL: $1: printed $OUT (expected $2), compiled: $BUILT (expected $3)" >&2
    fail=1
  fi
}

run B; check "first run: builds" 2 1
run B; check "same content in a fresh clone: nothing recompiled" 2 0
run A; check "an older commit after a newer one: rebuilt" 1 1
run B; check "back to the newer commit: rebuilt" 2 1
run B; check "again the same content: fresh" 2 0

# a build outside a sealed run (another checkout using the cache directly)
c="$W/foreign"; git clone -q "$W/origin" "$c"; git -C "$c" checkout -q A
sleep 0.05
(cd "$c" && cargo build -q)
run B; check "after a build outside a run: the manifest is distrusted, rebuilt" 2 1

# a run killed before its seal, which built A
run A --no-seal
run A; check "after a killed run: the manifest is distrusted, rebuilt" 1 1
run A; check "sealed again: fresh" 1 0

# a tracked file rewritten during a run (content changed, built, then written back)
n=$((n + 1)); c="$W/clone$n"
git clone -q "$W/origin" "$c"; git -C "$c" checkout -q A
sleep 0.05
python3 "$TOOL" restore "$c" "$CARGO_TARGET_DIR" >/dev/null
echo 9 >"$c/src/value.txt"
(cd "$c" && cargo build -q)
echo 1 >"$c/src/value.txt"
python3 "$TOOL" seal "$c" "$CARGO_TARGET_DIR" >/dev/null
run A; check "a file rewritten during a run: its artefacts are not reused" 1 1

# node_modules kept by the content of package.json + lockfile (ensure_npm_dir, CAUSEWAY_NPM_CACHE):
# the same content in a fresh folder is copied; a changed package.json installs again.
npm_case() { # npm_case DIR VERSION: a folder depending on the local package at that version
  mkdir -p "$W/$1" "$W/dep-$2"
  printf '{"name":"dep","version":"%s"}\n' "$2" >"$W/dep-$2/package.json"
  printf '{"name":"%s","private":true,"dependencies":{"dep":"file:../dep-%s"}}\n' "$1" "$2" >"$W/$1/package.json"
}
npm_run() { # npm_run DIR: ensure_npm_dir with the cache; prints how it got node_modules
  (CAUSEWAY_ROOT="$W" CAUSEWAY_NPM_CACHE="$W/npm-cache" bash -c \
    ". '$ROOT/scripts/lib/install.sh'; ensure_npm_dir '$W/$1'" 2>&1) |
    grep -o -e 'npm install' -e 'copied' || echo "nothing"
}
npm_check() { # npm_check WHAT GOT EXPECTED DIR VERSION
  local v
  v="$(node -p "require('$W/$4/node_modules/dep/package.json').version" 2>/dev/null || echo none)"
  if [ "$2" = "$3" ] && [ "$v" = "$5" ]; then echo "ok: $1 ($2, dep $v)"
  else echo "FAIL: $1: $2 (expected $3), dep $v (expected $5)" >&2; fail=1; fi
}
npm_case npm1 1.0.0
npm_check "node_modules: first install" "$(npm_run npm1)" "npm install" npm1 1.0.0
npm_check "node_modules: unchanged in place" "$(npm_run npm1)" "nothing" npm1 1.0.0
rm -rf "$W/npm1/node_modules"
npm_check "node_modules: a fresh folder with the same content is copied" "$(npm_run npm1)" "copied" npm1 1.0.0
npm_case npm1 2.0.0
npm_check "node_modules: a changed package.json installs again" "$(npm_run npm1)" "npm install" npm1 2.0.0

# A reused artefact keeps the absolute paths it was compiled with: `env!("CARGO_MANIFEST_DIR")`
# in a test names the clone that built it, which may be gone by the next run (it was: 6 Dec,
# two CLI tests read vectors from a deleted clone). Tests resolve their folder at run time
# (cargo sets CARGO_MANIFEST_DIR for the test process) and keep the compile-time value only as
# a fallback, on the same line.
if stale="$(cd "$ROOT" && git grep -n 'env!("CARGO_MANIFEST_DIR")' -- '*.rs' |
  grep -v -e 'unwrap_or_else' -e ':[0-9]*: *//')"; then
  echo "FAIL: compile-time CARGO_MANIFEST_DIR without a run-time lookup first:" >&2
  echo "$stale" >&2
  fail=1
else
  echo "ok: every env!(\"CARGO_MANIFEST_DIR\") is a fallback behind the run-time variable"
fi

[ "$fail" = 0 ] && echo "10-ci-freshness: ok"
exit "$fail"
