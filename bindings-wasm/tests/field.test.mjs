// The wasm32 field multiplication (vendor/ark-ff-macros, decision 0103) in the module itself:
// the self-test build (bindings-wasm/pkg-test) computes what arkworks' upstream 64-bit-limb
// code computes, op for op over long chains, and a seeded Groth16 setup and proof made in wasm
// are byte for byte the golden membership vector made natively by
// tests/tests/membership_vectors.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { load, TEST_PKG, VECTORS, readJson } from './helpers.mjs';

const cw = await load('index.js', TEST_PKG);
const ops = (op, n) => cw._selfTest('selfTestFieldOps', op, n);

test('wasm field ops equal the upstream 64-bit-limb bodies over long chains', () => {
  const n = 20_000;
  for (const [ours, upstream] of [
    ['fq-mul', 'fq-mul-u64'], ['fq-mul-u32', 'fq-mul-u64'], ['fq-square', 'fq-square-u64'],
    ['fq-sop2-u32', 'fq-sop2-u64'], ['fr-mul', 'fr-mul-u64'],
  ]) {
    const a = ops(ours, n);
    assert.equal(a, ops(upstream, n), `${ours} vs ${upstream}`);
    // not vacuous: another length gives another value
    assert.notEqual(a, ops(ours, n + 1), ours);
  }
  assert.match(ops('fq2-mul', 1000), /\d/);
  assert.throws(() => ops('fq-mul', 100_000_001), (e) => e.code === 'decode.limit');
  assert.throws(() => ops('no-such-op', 1), (e) => e.code === 'decode.invalid');
});

test('a seeded Groth16 setup and proof in wasm equal the native golden membership vector', () => {
  const v = readJson(path.join(VECTORS, 'membership', 'proof.json'));
  const ours = cw._selfTest('selfTestMembershipVector');
  assert.equal(ours.verifyingKey, v.verifying_key_b64u);
  assert.equal(ours.proofJson, v.proof_json);
});
