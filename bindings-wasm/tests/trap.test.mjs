// Trap recovery (decision 0072): the self-test build (bindings-wasm/pkg-test, cargo feature
// `self-test`) has an export that panics; under panic=abort that is a trap. The wrapper must
// throw InternalError `internal.trap`, switch to a fresh instance, and the next call must work;
// objects of the trapped instance refuse use with `internal.instance_reset`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, TEST_PKG } from './helpers.mjs';

const cw = await load('index.js', TEST_PKG);

test('the test build has the trapping export, and the wrapper recovers from a trap', async () => {
  const before = cw.Party.generate();
  const sealed = cw.seal(new Uint8Array([7]), { owner: before });
  assert.throws(() => cw._selfTestTrap(), (e) => {
    assert.ok(e instanceof cw.InternalError, `${e}`);
    assert.equal(e.code, 'internal.trap');
    assert.equal(e.kind, 'internal');
    assert.ok(e.cause instanceof WebAssembly.RuntimeError);
    return true;
  });
  // the next call works, on the spare instance
  const after = cw.Party.generate();
  assert.equal(cw.open(cw.seal(new Uint8Array([8]), { owner: after }), { party: after }).content[0], 8);
  // objects of the dead instance refuse use, typed
  assert.throws(() => before.keyId, (e) => e.code === 'internal.instance_reset');
  // bytes made before still open with a party re-created from its secret text elsewhere
  assert.throws(() => before.toSecretText(), (e) => e.code === 'internal.instance_reset');
  before.free(); // freeing a dead instance's object is harmless
  // a second trap right away: recovered too (after ready() a new spare exists)
  await cw.ready();
  assert.throws(() => cw._selfTestTrap(), (e) => e.code === 'internal.trap');
  assert.equal(typeof cw.Party.generate().keyId, 'string');
  void sealed;
});
