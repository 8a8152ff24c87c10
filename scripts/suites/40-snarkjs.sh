#!/usr/bin/env bash
# Interop: Groth16 proofs exported by Causeway in snarkjs's JSON format must verify with
# `snarkjs groth16 verify` (snarkjs from npm, GPL-3.0: test harness only, never shipped), and a
# false statement must be refused by it.
#
# Idempotent: installs snarkjs into tests/interop/snarkjs/node_modules only when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HARNESS="$ROOT/tests/interop/snarkjs"
OUT="$ROOT/target/interop/groth16"
export PATH="$HOME/.cargo/bin:$PATH"

# shellcheck source=../lib/install.sh
. "$ROOT/scripts/lib/install.sh"
ensure_npm_dir "$HARNESS"

echo "==> writing vk.json, public.json, proof.json with Causeway"
rm -f "$OUT"/*.json
(cd "$ROOT" && cargo test --quiet -p causeway-tests --test groth16_snarkjs </dev/null)
(cd "$ROOT" && cargo test --quiet -p causeway-tests --test groth16_circuits membership_with_nullifier </dev/null)
(cd "$ROOT" && cargo test --quiet -p causeway-tests --test groth16_presentation exports_a_presentation_proof_for_snarkjs </dev/null)
# issue 10: the export API (Presentation::groth16_exports, ProvenMembership::export)
(cd "$ROOT" && cargo test --quiet -p causeway-tests --test groth16_presentation groth16_exports_for_snarkjs_and_solidity </dev/null)

echo "==> exporting a membership proof with the CLI (causeway verifier export-proof)"
(cd "$ROOT" && cargo build --quiet -p causeway-cli </dev/null)
CW="${CARGO_TARGET_DIR:-$ROOT/target}/debug/causeway"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
printf '%064x\n' 48879 >"$WORK/me.secret"
{ printf '%064x\n' 1 2; "$CW" membership leaf --secret-file "$WORK/me.secret"; printf '%064x\n' 3; } >"$WORK/leaves.txt"
CHAL=00112233445566778899aabbccddeeff0011223344556677
CTX="$(printf '%064x' 2026)"
"$CW" setup --circuit membership:3:nullifier --out "$WORK/keys" >/dev/null 2>&1
"$CW" membership prove --keys "$WORK/keys" --leaves "$WORK/leaves.txt" --depth 3 \
  --secret-file "$WORK/me.secret" --nullifier-context "$CTX" --challenge "$CHAL" -o "$WORK/member.json"
ROOT3="$("$CW" membership root --leaves "$WORK/leaves.txt" --depth 3)"
"$CW" verifier export-proof -i "$WORK/member.json" --challenge "$CHAL" --root "$ROOT3" \
  --nullifier-context "$CTX" --keys "$WORK/keys" --out "$WORK/export" 2>/dev/null
for f in vk proof public; do cp "$WORK/export/membership-$f.json" "$OUT/cli-membership-$f.json"; done
# the same proof with one public input changed (the statement hash plus one)
node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1]));p[0]=(BigInt(p[0])+1n).toString();console.log(JSON.stringify(p))' \
  "$OUT/cli-membership-public.json" >"$OUT/cli-membership-public-wrong.json"

SNARKJS="$HARNESS/node_modules/.bin/snarkjs"
fail=0
for case in "$OUT"/*vk.json; do
  base="${case%vk.json}"
  name="$(basename "$base")"; name="${name%-}"
  out="$("$SNARKJS" groth16 verify "${base}vk.json" "${base}public.json" "${base}proof.json" 2>&1 || true)"
  if printf '%s' "$out" | grep -q "OK!"; then
    echo "ok: snarkjs verifies ${name:-default} proof"
  else
    echo "FAIL: snarkjs did not verify ${name:-default} proof:"; printf '%s\n' "$out"; fail=1
  fi
  if [ -f "${base}public-wrong.json" ]; then
    out="$("$SNARKJS" groth16 verify "${base}vk.json" "${base}public-wrong.json" "${base}proof.json" 2>&1 || true)"
    if printf '%s' "$out" | grep -q "OK!"; then
      echo "FAIL: snarkjs accepted ${name:-default} proof for a false statement"; fail=1
    else
      echo "ok: snarkjs refuses ${name:-default} proof for a false statement"
    fi
  fi
done
exit "$fail"
