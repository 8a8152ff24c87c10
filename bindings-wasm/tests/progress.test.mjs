// Progress of createPresentation on the main API (decision 0088): core's stages, in order, with
// a fixed total and `done` counting up to it; a callback that throws does not stop proving; a
// call that fails reports no `done`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

const cw = await load();
const GROTH16 = ['witness', 'quotient', 'msm-h', 'msm-l', 'msm-a', 'msm-b1', 'msm-b2', 'check'];
const NOW = BigInt(Math.floor(Date.now() / 1000));

function fixture() {
  const bank = cw.Party.generate();
  const alice = cw.Party.generate();
  const held = cw.issueAttestation({ schema: 'customer/v1', fields: {
    age: { type: 'int', value: 34n }, income: { type: 'int', value: 85_000n },
  } }, { issuer: bank, subject: alice.publicKeys, notBefore: NOW - 60n, notAfter: NOW + 3600n });
  return { bank, alice, held };
}

test('Groth16: eight stages per statement, then sign and done', () => {
  const { bank, alice, held } = fixture();
  const setup = cw.setupCircuit('attribute');
  const keys = new cw.KeyRing().addProvingKey('attribute', setup.keyId, setup.provingKey);
  const challenge = cw.randomChallenge();
  const seen = [];
  const p = cw.createPresentation({
    holder: alice, attested: [held], prove: ['age >= 18', 'income != 0', 'income <= 100000'],
    backend: 'groth16', challenge, keys, onProgress: (e) => seen.push(e),
  });
  const expected = [0, 1, 2].flatMap((i) => GROTH16.map((ph) => [ph, i]));
  expected.push(['sign', 3], ['done', 3]);
  assert.deepEqual(seen.map((e) => [e.phase, e.statement]), expected);
  seen.forEach((e, i) => {
    assert.deepEqual(e, { ...e, done: i, total: 25, statements: 3 });
  });
  const v = cw.verifyPresentation(p.bytes, { issuers: [bank], challenge, keys });
  assert.deepEqual(v.statements, ['age >= 18', 'income != 0', 'income <= 100000']);

  // a throwing callback is ignored: the presentation is made and verifies
  let calls = 0;
  const q = cw.createPresentation({
    holder: alice, attested: [held], prove: ['age >= 18'], backend: 'groth16', challenge, keys,
    onProgress: () => { calls += 1; throw new Error('ui bug'); },
  });
  assert.equal(calls, 10);
  cw.verifyPresentation(q.bytes, { issuers: [bank], challenge, keys });

  // a statement that does not hold: refused, and `done` never reported
  const failed = [];
  assert.throws(() => cw.createPresentation({
    holder: alice, attested: [held], prove: ['age >= 18', 'age >= 40'], backend: 'groth16',
    challenge, keys, onProgress: (e) => failed.push(e.phase),
  }), (e) => e.code === 'prove.unsatisfied');
  assert.deepEqual(failed, GROTH16);
  keys.free();
});

test('Bulletproofs: one stage per statement, the aggregated range proof, sign, done', () => {
  const { alice, held } = fixture();
  const seen = [];
  cw.createPresentation({
    holder: alice, attested: [held], prove: ['age >= 18', 'income != 7', 'income in [1, 100000]'],
    challenge: cw.randomChallenge(), onProgress: (e) => seen.push(`${e.phase}:${e.statement}:${e.done}/${e.total}`),
  });
  assert.deepEqual(seen, [
    'statement:0:0/5', 'statement:1:1/5', 'statement:2:2/5', 'range:3:3/5', 'sign:3:4/5', 'done:3:5/5',
  ]);
  // no callback: nothing to report, the same call works
  cw.createPresentation({ holder: alice, attested: [held], prove: ['age >= 18'], challenge: cw.randomChallenge() });
});
