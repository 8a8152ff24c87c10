#!/usr/bin/env bash
# Builds the causeway CLI and runs its end-to-end demo (the README's first command).
# Extra arguments are passed to `causeway demo`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --quiet -p causeway-cli --bin causeway
exec "${CARGO_TARGET_DIR:-target}/debug/causeway" demo "$@"
