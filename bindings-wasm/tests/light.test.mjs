// The shipped package (bindings-wasm/pkg): the light entry verifies and seals without the
// prover, refuses to prove with UnsupportedError, and neither shipped entry has the trapping
// self-test export; package.json carries the crate's version and both entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { load, ROOT, SHIPPED_PKG, readJson } from './helpers.mjs';

const full = await load('index.js', SHIPPED_PKG);
const light = await load('light.js', SHIPPED_PKG);

test('package.json: name, the crate version, browser and node exports, the .wasm as files', () => {
  const pj = readJson(path.join(SHIPPED_PKG, 'package.json'));
  assert.equal(pj.name, 'causeway-wasm');
  const crate = readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"$/m)[1];
  assert.equal(pj.version, crate);
  assert.equal(full.version(), crate);
  for (const e of ['.', './light']) {
    assert.ok(pj.exports[e].browser && pj.exports[e].node && pj.exports[e].types, e);
  }
  for (const v of ['full', 'light']) {
    const wasm = path.join(SHIPPED_PKG, v, 'causeway_wasm_bg.wasm');
    assert.ok(statSync(wasm).size > 100_000);
    // shipped as a file, not inlined into the JS as base64 ("\0asm" is "AGFzbQ" in base64)
    const glue = readFileSync(path.join(SHIPPED_PKG, v, 'causeway_wasm.js'), 'utf8');
    assert.ok(!glue.includes('AGFzbQ') && glue.length < 200_000);
  }
  assert.ok(statSync(path.join(SHIPPED_PKG, 'light/causeway_wasm_bg.wasm')).size
    < statSync(path.join(SHIPPED_PKG, 'full/causeway_wasm_bg.wasm')).size);
});

test('the shipped entries have no trapping export', () => {
  for (const cw of [full, light]) {
    assert.throws(() => cw._selfTestTrap(), (e) => e instanceof cw.UnsupportedError);
  }
});

test('light: keys, sealing and verification work; proving is refused, typed', () => {
  assert.equal(light.hasProver(), false);
  assert.equal(full.hasProver(), true);
  const a = light.Party.generate();
  const b = light.Party.generate();
  const s = light.seal(new Uint8Array([1, 2]), { owner: a, recipients: [b] });
  assert.deepEqual([...light.open(s, { party: b }).content], [1, 2]);
  // a presentation made with the full entry verifies in the light one
  const fa = full.Party.fromSecretText(a.toSecretText());
  const fb = full.Party.fromSecretText(b.toSecretText());
  const held = full.issueAttestation({ schema: 's', fields: { x: { type: 'int', value: 5n } } },
    { issuer: fa, subject: fb, notBefore: 0n, notAfter: 2n ** 40n });
  const challenge = light.randomChallenge();
  const p = full.createPresentation({ holder: fb, attested: [held], prove: ['x >= 1'], challenge });
  assert.deepEqual(light.verifyPresentation(p.bytes, { issuers: [a], challenge }).statements, ['x >= 1']);
  const lheld = light.AttestedRecord.fromBytes(held.toBytes());
  assert.throws(() => light.createPresentation({ holder: b, attested: [lheld], prove: ['x >= 1'], challenge }),
    (e) => e instanceof light.UnsupportedError && e.code === 'prove.unsupported');
  assert.throws(() => light.setupCircuit('attribute'), (e) => e.code === 'prove.unsupported');
});

test('an object of one entry is refused by the other, typed', () => {
  const a = full.Party.generate();
  assert.throws(() => light.seal(new Uint8Array([1]), { owner: a }), (e) => light.isCausewayError(e) || full.isCausewayError(e));
});
