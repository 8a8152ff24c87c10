#!/usr/bin/env bash
# Every cargo-fuzz target in fuzz/ (one per parser) runs briefly on its committed corpus
# (fuzz/corpus/TARGET/): a few seconds each, no findings allowed. New inputs the fuzzer finds go
# to a scratch directory under the target dir, never into the committed corpus.
#
#   CAUSEWAY_FUZZ_SECONDS=N   seconds per target (default 4); for a long run outside CI, e.g.
#                             CAUSEWAY_FUZZ_SECONDS=600 scripts/suites/60-fuzz.sh
#   CAUSEWAY_FUZZ_TARGETS="a b"  only these targets
# The targets are those `cargo fuzz list` names (fuzz/Cargo.toml), e.g. `provenance` (issue 15:
# the provenance bundle decoder and verifier, seeded with tests/vectors/provenance/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/install.sh
. "$root/scripts/lib/install.sh"
ensure_cargo_fuzz

seconds="${CAUSEWAY_FUZZ_SECONDS:-4}"
target_dir="${CARGO_TARGET_DIR:-$root/target}/fuzz"
scratch="$target_dir/scratch"
cd "$root/fuzz"
# Every [[bin]] of fuzz/Cargo.toml is a target (`evidence`, issue 15, included), at the same short
# time each.
targets="${CAUSEWAY_FUZZ_TARGETS:-$(cargo fuzz list | grep -vx make-corpus)}"

# No sanitizer (-s none): the code under test forbids `unsafe`, and without ASan the targets
# build faster and run ~4x more executions per second; libFuzzer still catches panics, aborts,
# timeouts and out-of-memory.
fuzz() { local cmd="$1"; shift; RUSTC_BOOTSTRAP=1 cargo fuzz "$cmd" -s none --target-dir "$target_dir" "$@"; }

fuzz build
failed=""
for t in $targets; do
  rm -rf "$scratch/artifacts/$t"
  mkdir -p "$scratch/$t" "$scratch/artifacts/$t" "corpus/$t"
  echo "--- fuzz $t (${seconds}s)"
  rc=0
  fuzz run "$t" "$scratch/$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$scratch/artifacts/$t/" >"$scratch/$t.log" 2>&1 || rc=$?
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|^#[0-9]+ +DONE' "$scratch/$t.log" || true
  if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$scratch/artifacts/$t")" ]; then
    tail -40 "$scratch/$t.log" >&2
    failed="$failed $t"
  fi
done
if [ -n "$failed" ]; then
  echo "60-fuzz: findings in:$failed (inputs under $scratch/artifacts/)" >&2
  exit 1
fi
echo "60-fuzz: every target ran ${seconds}s with no findings"
