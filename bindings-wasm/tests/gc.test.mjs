// The FinalizationRegistry backstop: objects dropped without free() are freed once collected.
// Needs `node --expose-gc` (scripts/suites/80-wasm.sh passes it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { load } from './helpers.mjs';

const cw = await load();

test('dropped objects are freed by the registry', async () => {
  assert.equal(typeof globalThis.gc, 'function', 'run with node --expose-gc');
  const before = cw.liveHandles();
  (() => {
    for (let i = 0; i < 200; i += 1) cw.Party.generate().keyId;
  })();
  assert.ok(cw.liveHandles() >= before + 200);
  for (let i = 0; i < 50 && cw.liveHandles() > before + 20; i += 1) {
    globalThis.gc();
    await tick();
  }
  assert.ok(cw.liveHandles() <= before + 20, `${cw.liveHandles() - before} still alive`);
  // the instance is intact after its objects were freed from finalizers
  const p = cw.Party.generate();
  assert.equal(cw.open(cw.seal(new Uint8Array([5]), { owner: p }), { party: p }).content[0], 5);
});
