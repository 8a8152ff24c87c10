#!/usr/bin/env bash
# The README's first command: builds the causeway CLI and runs its end-to-end demo, offline on
# embedded defaults. Extra arguments go to `causeway demo` (e.g. `--dir out/` keeps artefacts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --quiet -p causeway-cli --bin causeway
exec "${CARGO_TARGET_DIR:-target}/debug/causeway" demo "$@"
