// causeway-wasm/worker, the main-thread side (decision 0089): `CausewayWorker` runs the
// package in dedicated module Workers (worker-script.js) so that proving never blocks the page.
//
// One request at a time per Worker, a FIFO queue per Worker on this side. Cancellation: an
// AbortSignal rejects the call at once with the signal's reason; a call not yet sent is just
// dropped, a call running in a Worker terminates that Worker (a synchronous wasm call cannot be
// interrupted otherwise), and a fresh Worker is started transparently: the module is loaded
// again and every key added so far is added again (from the bytes or URL this helper kept).
// The same happens after a trap inside the Worker (`internal.trap`) or a Worker crash.

import { BINDING_CODES, InternalError, MalformedError, fromThrown, makeError } from './errors.js';

export {
  CausewayError, MalformedError, DeniedError, UnsupportedError, IoError, InternalError,
  isCausewayError, isMalformed, isDenied, isUnsupported, isIo, isInternal, BINDING_CODES,
} from './errors.js';

const SCRIPT_URL = new URL('./worker-script.js', import.meta.url);
const MAX_WORKERS = 16;
// mirrors MAX_HOLDERS in worker-script.js (both evict the oldest holder the same way)
const MAX_HOLDERS = 16;
const enc = new TextEncoder();

function bad(message) { return new MalformedError('decode.invalid', message); }

function abortReason(signal) {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

function bytesOf(x, what, textAllowed = false) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (textAllowed && typeof x === 'string') return enc.encode(x);
  throw bad(`${what} must be a Uint8Array${textAllowed ? ' or a string' : ''}`);
}

function strOf(x, what) {
  if (typeof x !== 'string') throw bad(`${what} must be a string`);
  return x;
}

function fnOf(x, what) {
  if (x === undefined || x === null) return undefined;
  if (typeof x !== 'function') throw bad(`${what} must be a function`);
  return x;
}

function signalOf(x) {
  if (x === undefined || x === null) return undefined;
  if (typeof x !== 'object' || typeof x.aborted !== 'boolean' || typeof x.addEventListener !== 'function') {
    throw bad('signal must be an AbortSignal');
  }
  return x;
}

function strList(list, what) {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw bad(`${what} must be an array`);
  return list.map((x) => strOf(x, what));
}

// Public keys as text: a PublicKeys or Party of the main API (anything with toText() /
// publicKeys), or the `cwpub1…` text.
function pubText(k, what) {
  if (typeof k === 'string') return k;
  if (k && typeof k.toText === 'function') return k.toText();
  if (k && k.publicKeys && typeof k.publicKeys.toText === 'function') return k.publicKeys.toText();
  throw bad(`${what} must be public keys (text, PublicKeys or Party)`);
}

// An attested record as bytes: an AttestedRecord of the main API, its bytes, or its text form.
function attestedBytes(a) {
  if (a && typeof a.toBytes === 'function') return a.toBytes();
  return bytesOf(a, 'attested', true);
}

// One token per Party object that sent its secret to a Worker: the Worker's cached holder is
// named by it (and the key ids, so a rotation sends the new secret), never by the public key id
// alone, which anyone can claim: an object that only says it is a holder must not sign with the
// secret the holder's own Party sent earlier (review2).
const partyTokens = new WeakMap();
let nextToken = 1;
function partyToken(p) {
  let t = partyTokens.get(p);
  if (t === undefined) {
    t = nextToken++;
    partyTokens.set(p, t);
  }
  return t;
}

// The holder: a Party of the main API (its secret crosses once per Worker, see addHolder) or
// its secret text (`CW-SECRET-…`, sent with each call and dropped by the Worker after it).
function holderOf(h) {
  if (typeof h === 'string') return { secret: h };
  if (h && typeof h.toSecretText === 'function' && typeof h.keyId === 'string') {
    const retired = Array.isArray(h.retiredKeyIds) ? h.retiredKeyIds.join(',') : '';
    return { party: h, key: `${partyToken(h)}|${h.keyId}|${retired}` };
  }
  throw bad('holder must be a Party or its secret text');
}

function fromData(d) {
  if (d && typeof d.code === 'string') return makeError(d.code, d.kind, d.message);
  return new InternalError(BINDING_CODES.unexpected, `unexpected error in the Worker: ${d && d.message}`);
}

let nextId = 1;

/** One Worker and its queue. */
class Slot {
  constructor(owner, index) {
    this.owner = owner;
    this.index = index;
    this.queue = [];
    this.current = null;
    this.holders = new Map(); // key -> true, mirrors the Worker's holders
    this.worker = null;
    this.ready = null;
    this.info = null;
    this.dead = false;
    this.start();
  }

  /** Starts (or restarts) the Worker: load the module, then add every key kept so far. */
  start() {
    this.holders.clear();
    this.pending = new Map();
    let w;
    try {
      w = new Worker(this.owner.scriptUrl, { type: 'module', name: `causeway-worker-${this.index}` });
    } catch (e) {
      this.ready = Promise.reject(new InternalError(BINDING_CODES.worker,
        `could not start a Worker: ${e && e.message}`, { cause: e }));
      this.ready.catch(() => {});
      return;
    }
    this.worker = w;
    w.onmessage = ({ data }) => this.onMessage(data);
    w.onerror = (ev) => {
      if (ev && typeof ev.preventDefault === 'function') ev.preventDefault();
      this.crash(new InternalError(BINDING_CODES.worker,
        `the Worker failed: ${(ev && ev.message) || 'script error'}`));
    };
    w.onmessageerror = () => this.crash(new InternalError(BINDING_CODES.worker, 'a message from the Worker could not be read'));
    this.ready = (async () => {
      this.info = await this.rpc('init', { variant: this.owner.variant });
      for (const k of this.owner.keyLog) {
        await this.rpc(k.op, k.args);
      }
      return this.info;
    })();
    this.ready.catch(() => {});
  }

  /** A raw request to this Worker (no queue: used by start and by run). */
  rpc(op, args, onProgress, transfer = []) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      try {
        this.worker.postMessage({ id, op, args }, transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(fromThrown(e));
      }
    });
  }

  onMessage(data) {
    const p = data && this.pending.get(data.id);
    if (!p) return;
    if (data.type === 'progress') {
      if (p.onProgress) {
        try { p.onProgress(data.progress); } catch { /* a throwing callback does not stop proving */ }
      }
      return;
    }
    this.pending.delete(data.id);
    if (data.type === 'result') p.resolve(data.value);
    else p.reject(fromData(data.error));
  }

  /** The Worker died (crash or unexpected error event): fail what was in flight, restart. */
  crash(err) {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
    this.restart();
  }

  restart() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    // whatever was in flight in the old Worker is lost
    for (const p of this.pending.values()) {
      p.reject(new InternalError(BINDING_CODES.worker, 'the Worker was restarted'));
    }
    this.pending = new Map();
    if (!this.dead) this.start();
  }

  enqueue(job) {
    this.queue.push(job);
    this.pump();
  }

  async pump() {
    if (this.current || this.dead) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    try {
      await this.ready;
    } catch (e) {
      // the Worker did not come up (or re-adding a key failed): fail this job, try again fresh
      this.current = null;
      job.settle(false, e);
      this.restart();
      this.pump();
      return;
    }
    if (job.done) { this.current = null; this.pump(); return; }
    job.slot = this;
    let restart = false;
    try {
      const { op, args, transfer } = await job.prepare(this);
      const value = await this.rpc(op, args, job.onProgress, transfer);
      job.settle(true, value);
    } catch (e) {
      const err = fromThrown(e);
      // A trap inside the Worker left its instance's objects (key ring, holders) dead.
      if (err.code === BINDING_CODES.trap || err.code === BINDING_CODES.instanceReset) restart = true;
      job.settle(false, err);
    }
    job.slot = null;
    if (this.current === job) {
      this.current = null;
      if (restart) this.restart();
      this.pump();
    }
  }

  /** Called when the running job is cancelled: kill the Worker now, start a fresh one. */
  cancelRunning(job) {
    if (this.current !== job) return;
    this.current = null;
    this.restart();
    this.pump();
  }

  terminate() {
    this.dead = true;
    const err = new DOMException('The CausewayWorker was terminated.', 'AbortError');
    for (const j of this.queue) j.settle(false, err);
    this.queue = [];
    if (this.current) { this.current.settle(false, err); this.current = null; }
    if (this.worker) this.worker.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** A job: settles once; cancellation by an AbortSignal. */
function makeJob({ prepare, onProgress, signal }) {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  const job = {
    prepare, onProgress, signal, promise, done: false, slot: null,
    settle(ok, v) {
      if (job.done) return;
      job.done = true;
      if (signal) signal.removeEventListener('abort', onAbort);
      if (ok) resolve(v); else reject(v);
    },
  };
  function onAbort() {
    if (job.done) return;
    const slot = job.slot;
    job.settle(false, abortReason(signal));
    if (slot) slot.cancelRunning(job);
    else for (const s of job.owner.slots) {
      const i = s.queue.indexOf(job);
      if (i >= 0) s.queue.splice(i, 1);
    }
  }
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  return job;
}

/**
 * Runs Causeway in Web Workers: proving never blocks the page. See worker.d.ts and the
 * package README ("Off the main thread").
 */
export class CausewayWorker {
  #slots;
  #ready;
  #terminated = false;

  constructor({ workers = 'auto', variant = 'auto', scriptUrl } = {}) {
    if (typeof Worker !== 'function') {
      throw new InternalError(BINDING_CODES.worker, 'Web Workers are not available here');
    }
    let n;
    if (workers === 'auto' || workers === undefined) n = 1;
    else if (Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS) n = workers;
    else throw bad(`workers must be 'auto' or an integer 1..${MAX_WORKERS}`);
    if (!['auto', 'single', 'threads'].includes(variant)) {
      throw bad("variant must be 'auto', 'single' or 'threads'");
    }
    this.variant = variant;
    this.scriptUrl = scriptUrl ?? SCRIPT_URL;
    /** @internal keys added so far, re-added to a fresh Worker: {op, args}. */
    this.keyLog = [];
    this.#slots = [];
    for (let i = 0; i < n; i += 1) this.#slots.push(new Slot(this, i));
    this.#ready = Promise.all(this.#slots.map((s) => s.ready)).then((infos) => ({
      workers: infos.length, variant: infos[0].variant, threads: infos[0].threads,
      version: infos[0].version, prover: infos[0].prover,
    }));
    this.#ready.catch(() => {});
  }

  /** Resolves when every Worker has loaded the module: `{workers, variant, threads, version, prover}`. */
  get ready() { return this.#ready; }

  /** @internal */
  get slots() { return this.#slots; }

  #check() {
    if (this.#terminated) {
      throw new InternalError(BINDING_CODES.worker, 'this CausewayWorker was terminated');
    }
  }

  // One job on the least busy Worker.
  #one(prepare, { signal, onProgress }) {
    const job = makeJob({ prepare, onProgress, signal });
    job.owner = this;
    if (signal && signal.aborted) {
      job.settle(false, abortReason(signal));
      return job.promise;
    }
    let best = this.#slots[0];
    for (const s of this.#slots) {
      if (s.queue.length + (s.current ? 1 : 0) < best.queue.length + (best.current ? 1 : 0)) best = s;
    }
    best.enqueue(job);
    return job.promise;
  }

  // The same job on every Worker (keys): resolves with the first Worker's result.
  #all(op, args, transfer, { signal, onProgress }) {
    if (signal && signal.aborted) return Promise.reject(abortReason(signal));
    const jobs = this.#slots.map((s, i) => {
      const job = makeJob({
        prepare: async () => ({ op, args, transfer: i === 0 ? transfer : [] }),
        onProgress: i === 0 ? onProgress : undefined,
        signal,
      });
      job.owner = this;
      s.enqueue(job);
      return job.promise;
    });
    return Promise.all(jobs).then((r) => r[0]);
  }

  async #addKey(op, circuit, keyId, source, { digest, signal, onProgress, fetchOptions } = {}) {
    this.#check();
    const c = strOf(circuit, 'circuit');
    const id = strOf(keyId, 'keyId');
    const cb = fnOf(onProgress, 'onProgress');
    const sig = signalOf(signal);
    const args = { circuit: c, keyId: id };
    if (digest !== undefined && digest !== null) args.digest = strOf(digest, 'digest');
    if (typeof source === 'string' || source instanceof URL) {
      args.url = new URL(String(source), globalThis.location?.href).href;
      if (fetchOptions) {
        const { signal: _ignored, ...rest } = fetchOptions;
        args.fetchOptions = rest;
      }
    } else {
      // A copy goes to the Worker; this helper keeps the caller's bytes (a view of part of a
      // larger buffer is copied first) to re-add the key to a fresh Worker after a restart.
      const b = bytesOf(source, 'key bytes');
      args.bytes = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
    }
    const r = await this.#all(op, args, [], { signal: sig, onProgress: cb });
    this.keyLog.push({ op, args });
    return r;
  }

  /**
   * Adds a Groth16 proving key to the Worker(s): its bytes (copied to the Worker) or a URL
   * (fetched inside the Worker, `download` progress). Checked there against `keyId` (and
   * `digest`); refused with `keyring.wrong_key_id` otherwise.
   */
  addProvingKey(circuit, keyId, bytesOrUrl, options = {}) {
    return this.#addKey('addProvingKey', circuit, keyId, bytesOrUrl, options)
      .catch((e) => { throw fromThrown(e); });
  }

  /** Adds a Groth16 verifying key (bytes or URL), checked against `keyId`. */
  addVerifyingKey(circuit, keyId, bytesOrUrl, options = {}) {
    return this.#addKey('addVerifyingKey', circuit, keyId, bytesOrUrl, options)
      .catch((e) => { throw fromThrown(e); });
  }

  /** The keys the Worker holds: `[{circuit, keyId, proving}]`. */
  keys({ signal } = {}) {
    try { this.#check(); } catch (e) { return Promise.reject(e); }
    return this.#one(async () => ({ op: 'keys', args: {}, transfer: [] }), { signal: signalOf(signal) });
  }

  /**
   * Builds and signs a presentation in a Worker. Same options as the main API's
   * `createPresentation` (without `keys`: the Worker's keys are used); `holder` is a Party (its
   * secret text crosses once per Worker) or its secret text.
   */
  createPresentation(options = {}, { signal, onProgress } = {}) {
    let prepare;
    let cb;
    let sig;
    try {
      this.#check();
      const {
        holder, attested, disclose = [], prove = [], backend = 'bulletproofs', challenge, keys,
      } = options ?? {};
      if (keys !== undefined) {
        throw bad('keys: add Groth16 keys to the CausewayWorker with addProvingKey (the Worker keeps them)');
      }
      if (!Array.isArray(attested)) throw bad('attested must be an array of AttestedRecord (or their bytes)');
      const h = holderOf(holder);
      const recs = attested.map(attestedBytes);
      const args = {
        attested: recs,
        disclose: strList(disclose, 'disclose'),
        prove: strList(prove, 'prove'),
        backend: strOf(backend, 'backend'),
        challenge: bytesOf(challenge, 'challenge'),
      };
      cb = fnOf(onProgress ?? options.onProgress, 'onProgress');
      sig = signalOf(signal);
      prepare = (op, extra = {}) => async (slot) => {
        if (h.secret !== undefined) return { op, args: { ...args, ...extra, secret: h.secret }, transfer: [] };
        if (!slot.holders.has(h.key)) {
          // the secret text crosses once per Worker (and again after a restart)
          const secret = h.party.toSecretText();
          await slot.rpc('addHolder', { key: h.key, secret });
          slot.holders.delete(h.key);
          while (slot.holders.size >= MAX_HOLDERS) slot.holders.delete(slot.holders.keys().next().value);
          slot.holders.set(h.key, true);
        }
        return { op, args: { ...args, ...extra, holderKey: h.key }, transfer: [] };
      };
      if (this.#slots.length > 1 && args.backend === 'groth16' && args.prove.length > 1) {
        return this.#parallel(prepare, args.prove.length, sig, cb).catch((e) => { throw fromThrown(e); });
      }
    } catch (e) {
      return Promise.reject(fromThrown(e));
    }
    return this.#one(prepare('createPresentation'), { signal: sig, onProgress: cb });
  }

  // Groth16 with several Workers: one statement per job on the least busy Worker, then the
  // proofs assembled (each checked against its key) and signed in one Worker. Progress is the
  // sum of the statements' steps, in the order events arrive (`done` never decreases).
  async #parallel(prepare, n, signal, cb) {
    const total = 8 * n + 1;
    const doneBy = new Array(n).fill(0);
    const sum = () => doneBy.reduce((a, b) => a + b, 0);
    const emit = (e) => { if (cb) { try { cb(e); } catch { /* ignored */ } } };
    const proofs = await Promise.all(Array.from({ length: n }, (_, i) => this.#one(
      prepare('proveStatement', { index: i }),
      {
        signal,
        onProgress: (e) => {
          if (e.phase === 'done') { doneBy[i] = 8; return; }
          doneBy[i] = Math.max(doneBy[i], e.done);
          emit({ phase: e.phase, statement: i, statements: n, done: sum(), total });
        },
      },
    )));
    emit({ phase: 'sign', statement: n, statements: n, done: 8 * n, total });
    const r = await this.#one(prepare('assemblePresentation', { proofs }), { signal });
    emit({ phase: 'done', statement: n, statements: n, done: total, total });
    return r;
  }

  /** Verifies a presentation in a Worker (Groth16 against the Worker's keys). */
  verifyPresentation(presentation, options = {}, { signal } = {}) {
    let args;
    try {
      this.#check();
      const { issuers = [], challenge, now, revocationLists, keys } = options ?? {};
      if (keys !== undefined) throw bad('keys: add Groth16 keys to the CausewayWorker');
      if (!Array.isArray(issuers)) throw bad('issuers must be an array');
      args = {
        presentation: bytesOf(presentation, 'presentation', true),
        issuers: issuers.map((k) => pubText(k, 'issuers')),
        challenge: bytesOf(challenge, 'challenge'),
        now,
        revocationLists: revocationLists === undefined ? undefined
          : revocationLists.map((x) => bytesOf(x, 'revocation list', true)),
      };
    } catch (e) {
      return Promise.reject(fromThrown(e));
    }
    return this.#one(async () => ({ op: 'verifyPresentation', args, transfer: [] }), { signal: signalOf(signal) });
  }

  /** @internal test builds only: traps inside a Worker. */
  _selfTestTrap() {
    return this.#one(async () => ({ op: 'selfTestTrap', args: {}, transfer: [] }), {});
  }

  /** Stops every Worker now; pending calls reject with an AbortError. */
  terminate() {
    this.#terminated = true;
    for (const s of this.#slots) s.terminate();
    this.keyLog = [];
  }

  [Symbol.dispose]() { this.terminate(); }
}
