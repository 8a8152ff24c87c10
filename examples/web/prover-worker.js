// The demo's own background worker (a module Worker): loads causeway-wasm off the main thread,
// fetches Groth16 proving keys by URL (checked against their key id and digest before use),
// proves presentations and verifies them, reporting progress. Cancelling is terminating the
// worker (a proof is one synchronous wasm call); worker-client.js does that and starts a fresh
// one. This stands in for the package's `causeway-wasm/worker` helper until the page switches
// to it.
import * as cw from './pkg/index.js';

const ring = { keys: null };
let loaded = null;

function post(id, msg, transfer = []) {
  self.postMessage({ id, ...msg }, transfer);
}

function errorOf(e) {
  return {
    name: (e && e.name) || 'Error',
    code: (e && e.code) || 'internal.unexpected',
    kind: (e && e.kind) || 'internal',
    message: String((e && e.message) || e),
  };
}

const ops = {
  async init() {
    loaded ??= cw.init();
    await loaded;
    return { version: cw.version(), prover: cw.hasProver() };
  },

  async addProvingKey(id, { circuit, keyId, digest, url }) {
    await ops.init();
    const onProgress = (p) => post(id, { progress: p });
    const bytes = await cw.fetchKey(new URL(url, self.location.href), { onProgress });
    post(id, { progress: { phase: 'check', done: 0, total: 1 } });
    ring.keys ??= new cw.KeyRing();
    ring.keys.addProvingKey(circuit, keyId, bytes, { digest });
    post(id, { progress: { phase: 'check', done: 1, total: 1 } });
    return { keys: ring.keys.keys() };
  },

  async createPresentation(id, { holderKey, attested, prove, disclose, challenge, backend }) {
    await ops.init();
    const holder = cw.Party.fromSecretText(holderKey);
    const held = cw.AttestedRecord.fromBytes(attested);
    try {
      const started = performance.now();
      const out = cw.createPresentation({
        holder,
        attested: [held],
        prove,
        disclose,
        challenge,
        backend,
        keys: ring.keys ?? undefined,
        onProgress: (p) => post(id, { progress: p }),
      });
      return { bytes: out.bytes, json: out.json, ms: performance.now() - started };
    } finally {
      held.free();
      holder.free();
    }
  },

  async verifyPresentation(id, { presentation, issuers, challenge, verifyingKey }) {
    await ops.init();
    const keys = new cw.KeyRing();
    try {
      if (verifyingKey) {
        await keys.fetchVerifyingKey(verifyingKey.circuit, verifyingKey.keyId,
          new URL(verifyingKey.url, self.location.href));
      }
      const started = performance.now();
      const verified = cw.verifyPresentation(presentation, { issuers, challenge, keys });
      return { verified, ms: performance.now() - started };
    } finally {
      keys.free();
    }
  },
};

self.onmessage = async (ev) => {
  const { id, op, args } = ev.data ?? {};
  const fn = ops[op];
  if (typeof fn !== 'function') {
    post(id, { error: { name: 'Error', code: 'decode.invalid', kind: 'malformed', message: `unknown operation ${op}` } });
    return;
  }
  try {
    const result = await fn(id, args ?? {});
    const transfer = result && result.bytes instanceof Uint8Array ? [result.bytes.buffer] : [];
    post(id, { result }, transfer);
  } catch (e) {
    post(id, { error: errorOf(e) });
  }
};
