#!/usr/bin/env bash
# The demo anchored on a local EVM node, from one command: installs anvil from npm if missing
# (contracts/package.json), starts it on a free 127.0.0.1 port, builds the causeway CLI with the
# `evm` feature, runs `causeway demo --chain URL` (extra arguments go to `causeway demo`, e.g.
# `--dir out/`), and stops anvil by its PID.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

find_anvil() {
  local b
  for b in "$ROOT"/contracts/node_modules/@foundry-rs/anvil-*/bin/anvil; do
    if [ -x "$b" ]; then echo "$b"; return 0; fi
  done
  return 1
}
if ! find_anvil >/dev/null || [ ! -f "$ROOT/contracts/node_modules/solc/package.json" ]; then
  command -v npm >/dev/null || { echo "demo-chain: npm is required (apt-get install nodejs npm)" >&2; exit 1; }
  echo "demo-chain: installing anvil and solc-js from npm (contracts/package.json)"
  (cd "$ROOT/contracts" && npm install --no-audit --no-fund --loglevel=error </dev/null)
fi
ANVIL="$(find_anvil)"

cargo build --quiet -p causeway-cli --features evm --bin causeway
CAUSEWAY="${CARGO_TARGET_DIR:-$ROOT/target}/debug/causeway"

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
URL="http://127.0.0.1:$PORT"
LOG="$(mktemp)"
"$ANVIL" --host 127.0.0.1 --port "$PORT" --chain-id 31337 >"$LOG" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -f "$LOG"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 300); do
  if curl -sf -m 2 -H 'content-type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$URL" >/dev/null 2>&1; then
    break
  fi
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
echo "demo-chain: anvil (chain 31337) at $URL, pid $PID"
# Step 13 compiles the generated Groth16 verifier with the pinned solc-js of contracts/.
export CAUSEWAY_CONTRACTS_DIR="$ROOT/contracts"
"$CAUSEWAY" demo --chain "$URL" "$@"
