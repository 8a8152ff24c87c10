#!/usr/bin/env bash
# EVM suite: the checked-in contract artifacts recompile byte-for-byte (solc-js, pinned); clippy
# passes with the `evm` features; the anchoring, on-chain verification (beside snarkjs's
# generated verifier), trade-finance contract and CLI tests run against two real local anvil nodes (different chain
# ids) on 127.0.0.1; the demo runs anchored. anvil and solc come from npm
# (contracts/package.json), snarkjs from tests/interop/snarkjs; anvil is started directly (not
# through the npm wrapper) and always stopped by its PID.
#
# One feature set for every cargo command here (EVM_FEATURES), so clippy, the tests and the
# binary the demo runs share one build of the dependencies.
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
# solc and anvil (contracts/package.json), snarkjs (the gas peer), from their lockfiles
# shellcheck source=../lib/install.sh
. "$ROOT/scripts/lib/install.sh"
ensure_npm_dir "$ROOT/contracts"
ANVIL="$(find_anvil)" || { echo "50-evm: anvil binary missing after npm install" >&2; exit 1; }
SNARKJS_DIR="$ROOT/tests/interop/snarkjs"
ensure_npm_dir "$SNARKJS_DIR"

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

# The gas peer: tests/interop/snarkjs/solidity-verifier.mjs renders snarkjs's template from a
# verification key. Check that it writes byte for byte what `snarkjs zkey export
# solidityverifier` writes, on the .zkey that ships in snarkjs's own dependencies (pinned by
# the lockfile).
ZKEY="$SNARKJS_DIR/node_modules/circom_runtime/test/circuit/circuit.zkey"
[ -f "$ZKEY" ] || { echo "50-evm: $ZKEY missing (snarkjs's dependencies changed?)" >&2; exit 1; }
"$SNARKJS_DIR/node_modules/.bin/snarkjs" zkey export solidityverifier "$ZKEY" "$WORK/snarkjs-cli.sol" >/dev/null
"$SNARKJS_DIR/node_modules/.bin/snarkjs" zkey export verificationkey "$ZKEY" "$WORK/snarkjs-vk.json" >/dev/null
node "$SNARKJS_DIR/solidity-verifier.mjs" "$WORK/snarkjs-vk.json" "$WORK/snarkjs-rendered.sol" >/dev/null
cmp "$WORK/snarkjs-cli.sol" "$WORK/snarkjs-rendered.sol"
echo "50-evm: solidity-verifier.mjs writes what \`snarkjs zkey export solidityverifier\` writes"

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
EVM_FEATURES="causeway-cli/evm,causeway-tests/evm"
echo "50-evm: clippy with the evm features"
cargo clippy --workspace --all-targets --features "$EVM_FEATURES" --quiet -- -D warnings

export CAUSEWAY_ANVIL_URL="$URL_A"
export CAUSEWAY_ANVIL_URL_B="$URL_B"
export CAUSEWAY_CONTRACTS_DIR="$ROOT/contracts"
export CAUSEWAY_SNARKJS_DIR="$SNARKJS_DIR"
# The EVM tests are #[ignore]d in plain `cargo test` (no node there); here they run, and fail
# if the node is missing. One thread: they mine, snapshot and revert the shared nodes.
cargo test -p causeway-tests -p causeway-cli --features "$EVM_FEATURES" \
  --test anchor_evm --test verifier_evm --test evidence_evm --test trade_finance_evm --test anchor_cli -- --ignored --test-threads=1 --nocapture

# The demo, anchored on the node from one command (the binary the CLI tests just ran), then
# its receipt checked by the CLI.
CAUSEWAY="${CARGO_TARGET_DIR:-$ROOT/target}/debug/causeway"
DEMO="$WORK/demo"
"$CAUSEWAY" demo --dir "$DEMO" --chain "$URL_A" | tee "$WORK/demo.out"
grep -q "anchored on chain 31337" "$WORK/demo.out"
# Step 13: the financing contract paid the exporter on proof and refused the replay.
grep -q "pays it 1000000000000000000 wei on chain 31337" "$WORK/demo.out"
grep -q "the proof replayed to the second deal (refused: ProofRejected" "$WORK/demo.out"
if grep -q "all offline" "$WORK/demo.out"; then
  echo "50-evm: the anchored demo claims to be all offline" >&2
  exit 1
fi
"$CAUSEWAY" verify-anchor "$DEMO/grant.anchor-receipt" \
  --log-key "$DEMO/northwind-ledger.pub" --contract "$(cat "$DEMO/anchor-registry.address")" \
  --rpc "$URL_A" --confirmations 1
# Bound to its chain: the same receipt does not verify against the other chain id.
if "$CAUSEWAY" verify-anchor "$DEMO/grant.anchor-receipt" \
  --log-key "$DEMO/northwind-ledger.pub" --contract "$(cat "$DEMO/anchor-registry.address")" \
  --rpc "$URL_B" --confirmations 1 2>/dev/null; then
  echo "50-evm: a receipt anchored on chain 31337 verified against chain 31338" >&2
  exit 1
fi
# Without --dir the anchored demo leaves nothing behind in the temporary directory.
mkdir -p "$WORK/tmp"
TMPDIR="$WORK/tmp" "$CAUSEWAY" demo --chain "$URL_A" >/dev/null
if [ -n "$(ls -A "$WORK/tmp")" ]; then
  echo "50-evm: the anchored demo left files in its temporary directory:" >&2
  ls -la "$WORK/tmp" >&2
  exit 1
fi
echo "50-evm: ok"
