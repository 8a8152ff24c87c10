// causeway-wasm/worker, main-thread side (decision 0089), with a stub Worker in Node: the
// Worker's cached holder is named by the Party object that sent its secret, not by its public
// key id alone. An object that only claims a holder's keyId (public) must not make the Worker
// sign with the holder's secret kept from an earlier call (review2).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const sent = [];
class StubWorker {
  constructor() { this.onmessage = null; }
  postMessage(msg) {
    sent.push(msg);
    const { id, op, args } = msg;
    let value;
    if (op === 'init') value = { variant: 'single', threads: 1, version: 'stub', prover: true };
    else if (op === 'addHolder') value = { keyId: 'k1' };
    else value = { holderKey: args.holderKey, secret: args.secret };
    queueMicrotask(() => this.onmessage && this.onmessage({ data: { id, type: 'result', value } }));
  }
  terminate() {}
}
globalThis.Worker = StubWorker;
const { CausewayWorker } = await import('../js/worker.js');

function party(secret) {
  return { keyId: 'k1', retiredKeyIds: [], toSecretText: () => secret };
}

test('a holder cached in the Worker is reused only for the same Party object', async () => {
  const w = new CausewayWorker({ workers: 1, variant: 'single' });
  await w.ready;
  const challenge = new Uint8Array(32);
  const alice = party('CW-SECRET-alice');
  await w.createPresentation({ holder: alice, attested: [], challenge });
  await w.createPresentation({ holder: alice, attested: [], challenge });
  const adds = () => sent.filter((m) => m.op === 'addHolder').map((m) => m.args.secret);
  assert.deepEqual(adds(), ['CW-SECRET-alice'], 'the secret crosses once per Worker');
  // another object claiming alice's (public) key id: its own secret crosses, and the call does
  // not run under the holder alice's secret made
  const forged = party('CW-SECRET-mallory');
  const r = await w.createPresentation({ holder: forged, attested: [], challenge });
  assert.deepEqual(adds(), ['CW-SECRET-alice', 'CW-SECRET-mallory']);
  const keys = sent.filter((m) => m.op === 'createPresentation').map((m) => m.args.holderKey);
  assert.equal(keys[0], keys[1]);
  assert.notEqual(keys[2], keys[0]);
  assert.equal(r.holderKey, keys[2]);
  w.terminate();
});
