// causeway-wasm/worker, the Worker side (decision 0089): runs inside a dedicated module Worker
// that CausewayWorker (worker.js) starts. It loads the package, keeps a KeyRing and the
// holders' Party objects in its own WebAssembly memory, and answers one request at a time:
//   main -> worker  { id, op, args }
//   worker -> main  { id, type: 'progress', progress }   (any number, in order)
//                   { id, type: 'result', value }         (once)  |  { id, type: 'error', error }
// Errors cross as { name, code, kind, message } and become the package's typed errors again on
// the main thread. Nothing here is secret-bearing except `addHolder`'s secret text, which goes
// straight into a wasm Party object.

let api = null;
let ring = null;
let loaded = null;
// holder slot key -> Party (inside this Worker's wasm memory); at most MAX_HOLDERS
const holders = new Map();
const MAX_HOLDERS = 16;

// ------------------------------------------------------------------------------------------
// THE one spot where the wasm variant is chosen (constructor option `variant`).
//   'single'  the package's full entry (one thread)
//   'threads' the multi-threaded variant (pkg/threads.js: init() and initThreadPool(n)); needs
//             a cross-origin isolated page (COOP same-origin + COEP require-corp)
//   'auto'    'threads' when self.crossOriginIsolated and the variant is in the package,
//             otherwise 'single'
// The threads build is wired by the wasm-threads work: it only has to ship `threads.js` next
// to `index.js` with the same exports plus `initThreadPool(n)`.
async function loadVariant(variant) {
  const wantThreads = variant === 'threads' || (variant === 'auto' && self.crossOriginIsolated === true);
  if (wantThreads) {
    let m = null;
    try {
      m = await import(/* webpackIgnore: true */ './threads.js');
    } catch (e) {
      if (variant === 'threads') {
        throw Object.assign(new Error('the multi-threaded variant is not in this package'),
          { name: 'UnsupportedError', code: 'prove.unsupported', kind: 'unsupported' });
      }
    }
    if (m) {
      // not isolated, or not a dedicated Worker (runtime-threads.js, decision 0094)
      const why = m.threadsUnavailableReason();
      if (why) {
        throw Object.assign(new Error(why),
          { name: 'UnsupportedError', code: 'prove.unsupported', kind: 'unsupported' });
      }
      try {
        await m.init();
        const threads = Math.max(1, Math.min(self.navigator?.hardwareConcurrency || 1, 4));
        await m.initThreadPool(threads);
        return { api: m, variant: 'threads', threads };
      } catch (e) {
        // 'auto': a browser that isolates the page but cannot start the pool (no wasm threads,
        // Workers refused) proves on one thread instead; 'threads' insists.
        if (variant === 'threads') throw e;
      }
    }
  }
  const m = await import(/* webpackIgnore: true */ './index.js');
  await m.init();
  return { api: m, variant: 'single', threads: 1 };
}
// ------------------------------------------------------------------------------------------

function errorData(e) {
  if (e && typeof e === 'object') {
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      code: typeof e.code === 'string' ? e.code : undefined,
      kind: typeof e.kind === 'string' ? e.kind : undefined,
      message: String(e.message ?? e),
    };
  }
  return { name: 'Error', message: String(e) };
}

function need() {
  if (!api) {
    throw Object.assign(new Error('the Worker was not initialised'),
      { name: 'InternalError', code: 'internal.not_initialized', kind: 'internal' });
  }
}

function holder(key) {
  const p = holders.get(key);
  if (!p) {
    throw Object.assign(new Error('the holder is not known to this Worker'),
      { name: 'InternalError', code: 'internal.instance_reset', kind: 'internal' });
  }
  return p;
}

// Runs fn(party, attestedRecords) with the holder (kept, or made from a one-off secret text)
// and the attested records decoded in this Worker; frees what it made.
function withHolder({ holderKey, secret, attested }, fn) {
  need();
  let once = null;
  const party = secret !== undefined ? (once = api.Party.fromSecretText(secret)) : holder(holderKey);
  const recs = [];
  try {
    for (const a of attested) recs.push(api.AttestedRecord.fromBytes(a));
    return fn(party, recs);
  } finally {
    for (const r of recs) r.free();
    if (once) once.free();
  }
}

const ops = {
  async init({ variant }) {
    if (!loaded) loaded = loadVariant(variant);
    const r = await loaded;
    api = r.api;
    ring = new api.KeyRing();
    return { variant: r.variant, threads: r.threads, version: api.version(), prover: api.hasProver() };
  },

  async addProvingKey({ circuit, keyId, bytes, url, digest, fetchOptions }, progress) {
    need();
    const b = bytes ?? await api.fetchKey(url, { onProgress: progress, fetchOptions });
    ring.addProvingKey(circuit, keyId, b, { digest });
    return { circuit, keyId };
  },

  async addVerifyingKey({ circuit, keyId, bytes, url, fetchOptions }, progress) {
    need();
    const b = bytes ?? await api.fetchKey(url, { onProgress: progress, fetchOptions });
    ring.addVerifyingKey(circuit, keyId, b);
    return { circuit, keyId };
  },

  keys() {
    need();
    return ring.keys();
  },

  // The holder's secret text becomes a wasm Party here and is not kept anywhere else.
  addHolder({ key, secret }) {
    need();
    const old = holders.get(key);
    if (old) { old.free(); holders.delete(key); }
    while (holders.size >= MAX_HOLDERS) {
      const [k, p] = holders.entries().next().value;
      p.free();
      holders.delete(k);
    }
    const party = api.Party.fromSecretText(secret);
    holders.set(key, party);
    return { keyId: party.keyId };
  },

  createPresentation(args, progress) {
    const { disclose, prove, backend, challenge } = args;
    return withHolder(args, (party, recs) => api.createPresentation({
      holder: party, attested: recs, disclose, prove, backend, challenge, keys: ring,
      onProgress: progress,
    }));
  },

  // Groth16 with several Workers: one statement here, the proofs assembled in one Worker.
  proveStatement(args, progress) {
    return withHolder(args, (party, recs) => api.proveStatement({
      holder: party, attested: recs, disclose: args.disclose, prove: args.prove, challenge: args.challenge,
      keys: ring, onProgress: progress,
    }, args.index));
  },

  assemblePresentation(args) {
    return withHolder(args, (party, recs) => api.assemblePresentation({
      holder: party, attested: recs, disclose: args.disclose, prove: args.prove, challenge: args.challenge,
      keys: ring,
    }, args.proofs));
  },

  verifyPresentation({ presentation, issuers, challenge, now, revocationLists }) {
    need();
    return api.verifyPresentation(presentation, { issuers, challenge, now, revocationLists, keys: ring });
  },

  // Test builds only (bindings-wasm/pkg-test): traps on purpose.
  selfTestTrap() {
    need();
    api._selfTestTrap();
  },
};

// Byte results move to the main thread without a copy.
function transferables(v) {
  if (v instanceof Uint8Array) return [v.buffer];
  if (v && typeof v === 'object' && v.bytes instanceof Uint8Array) return [v.bytes.buffer];
  return [];
}

self.onmessage = async ({ data }) => {
  const { id, op, args } = data ?? {};
  const progress = (p) => self.postMessage({ id, type: 'progress', progress: p });
  try {
    const f = Object.prototype.hasOwnProperty.call(ops, op) ? ops[op] : null;
    if (!f) {
      throw Object.assign(new Error(`unknown operation ${String(op)}`),
        { name: 'InternalError', code: 'internal.unexpected', kind: 'internal' });
    }
    const value = await f(args ?? {}, progress);
    self.postMessage({ id, type: 'result', value }, transferables(value));
  } catch (e) {
    self.postMessage({ id, type: 'error', error: errorData(e) });
  }
};
