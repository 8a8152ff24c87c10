#!/usr/bin/env bash
# EVM suite: the checked-in contract artifacts recompile byte-for-byte (solc-js, pinned), and
# the anchoring / on-chain verification tests run against two real local anvil nodes (different
# chain ids) on 127.0.0.1. anvil and solc come from npm (contracts/package.json); anvil is
# started directly (not through the npm wrapper) and always stopped by its PID.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT/contracts"

find_anvil() {
  local b
  for b in node_modules/@foundry-rs/anvil-*/bin/anvil; do
    if [ -x "$b" ]; then echo "$ROOT/contracts/$b"; return 0; fi
  done
  return 1
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "50-evm: node and npm are required (apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -f node_modules/solc/package.json ] || ! find_anvil >/dev/null; then
  echo "50-evm: installing solc and anvil from npm (contracts/package.json)"
  npm install --no-audit --no-fund
fi
ANVIL="$(find_anvil)" || { echo "50-evm: anvil binary missing after npm install" >&2; exit 1; }

echo "50-evm: recompiling contracts and comparing with contracts/artifacts/"
node build.mjs --check

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_anvil VAR CHAIN_ID: starts a node, waits until it answers, sets VAR to its URL.
start_anvil() {
  local var="$1" chain="$2" port url i
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  "$ANVIL" --host 127.0.0.1 --port "$port" --chain-id "$chain" --accounts 4 \
    >"$WORK/anvil-$chain.log" 2>&1 &
  PIDS+=("$!")
  for i in $(seq 1 300); do
    if curl -sf -m 2 -H 'content-type: application/json' \
      --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$url" >/dev/null 2>&1; then
      printf -v "$var" '%s' "$url"
      echo "50-evm: anvil chain $chain at $url (pid ${PIDS[-1]})"
      return 0
    fi
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "50-evm: anvil (chain $chain) did not start:" >&2
  cat "$WORK/anvil-$chain.log" >&2
  return 1
}

URL_A=""
URL_B=""
start_anvil URL_A 31337
start_anvil URL_B 31338

cd "$ROOT"
export CAUSEWAY_ANVIL_URL="$URL_A"
export CAUSEWAY_ANVIL_URL_B="$URL_B"
export CAUSEWAY_CONTRACTS_DIR="$ROOT/contracts"
# The EVM tests are #[ignore]d in plain `cargo test` (no node there); here they run, and fail
# if the node is missing. One thread: they mine, snapshot and revert the shared nodes.
cargo test -p causeway-tests --features evm --test anchor_evm --test verifier_evm -- --ignored --test-threads=1 --nocapture

# The demo, anchored on the node from one command, then its receipt checked by the CLI.
DEMO="$WORK/demo"
cargo run -q -p causeway-cli --features evm -- demo --dir "$DEMO" --chain "$URL_A"
cargo run -q -p causeway-cli --features evm -- verify-anchor "$DEMO/grant.anchor-receipt" \
  --log-key "$DEMO/northwind-ledger.pub" --contract "$(cat "$DEMO/anchor-registry.address")" \
  --rpc "$URL_A" --confirmations 1
# Bound to its chain: the same receipt does not verify against the other chain id.
if cargo run -q -p causeway-cli --features evm -- verify-anchor "$DEMO/grant.anchor-receipt" \
  --log-key "$DEMO/northwind-ledger.pub" --contract "$(cat "$DEMO/anchor-registry.address")" \
  --rpc "$URL_B" --confirmations 1 2>/dev/null; then
  echo "50-evm: a receipt anchored on chain 31337 verified against chain 31338" >&2
  exit 1
fi
echo "50-evm: ok"
