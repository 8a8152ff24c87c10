// The page's side of prover-worker.js: promise-returning calls with progress callbacks and
// AbortSignal cancellation (an abort terminates the worker, since a proof is one synchronous
// wasm call; the next call starts a fresh worker, which must load its keys again).

/** An error carried back from the worker: `code` and `kind` are causeway-wasm's. */
export class WorkerError extends Error {
  constructor({ name, code, kind, message }) {
    super(message);
    this.name = name || 'CausewayError';
    this.code = code;
    this.kind = kind;
  }
}

function abortError() {
  return new DOMException('The operation was cancelled', 'AbortError');
}

export class ProverWorker {
  #worker = null;
  #pending = new Map();
  #next = 1;
  #url;

  /** `url`: the worker module (default: prover-worker.js next to this file). */
  constructor(url = new URL('./prover-worker.js', import.meta.url)) {
    this.#url = url;
  }

  #start() {
    if (this.#worker) return this.#worker;
    const w = new Worker(this.#url, { type: 'module', name: 'causeway-prover' });
    w.onmessage = (ev) => {
      const { id, progress, result, error } = ev.data ?? {};
      const p = this.#pending.get(id);
      if (!p) return;
      if (progress) { p.onProgress?.(progress); return; }
      this.#pending.delete(id);
      p.cleanup();
      if (error) p.reject(new WorkerError(error));
      else p.resolve(result);
    };
    w.onerror = (ev) => {
      ev.preventDefault?.();
      this.#fail(new WorkerError({ code: 'internal.unexpected', kind: 'internal', message: ev.message || 'the worker failed to start' }));
    };
    this.#worker = w;
    return w;
  }

  #fail(err) {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#worker?.terminate();
    this.#worker = null;
    for (const p of pending) { p.cleanup(); p.reject(err); }
  }

  /** Whether a worker is running (it keeps the keys it loaded). */
  get running() { return this.#worker !== null; }

  /** Stops the worker now; pending calls reject with an AbortError. */
  terminate() { this.#fail(abortError()); }

  #call(op, args, { signal, onProgress } = {}, transfer = []) {
    if (signal?.aborted) return Promise.reject(abortError());
    const w = this.#start();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.terminate();
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal?.removeEventListener('abort', onAbort);
      this.#pending.set(id, { resolve, reject, onProgress, cleanup });
      w.postMessage({ id, op, args }, transfer);
    });
  }

  /** Loads the wasm module in the worker: `{version, prover}`. */
  ready(opts) { return this.#call('init', {}, opts); }

  /** Fetches a proving key by URL in the worker and keeps it once it is the key `keyId` (and
   * `digest`) names. Progress: `{phase: "download", done, total}` then `{phase: "check"}`. */
  addProvingKey(circuit, keyId, url, { digest, signal, onProgress } = {}) {
    return this.#call('addProvingKey', { circuit, keyId, digest, url: String(url) }, { signal, onProgress });
  }

  /** Proves a presentation in the worker: `{bytes, json, ms}`. `holderKey` is the holder's key
   * file text, `attested` the holder's file bytes. Progress `{phase: "prove", done, total}`. */
  createPresentation(args, opts) { return this.#call('createPresentation', args, opts); }

  /** Verifies a presentation in the worker (fetching and checking the verifying key):
   * `{verified, ms}`. */
  verifyPresentation(args, opts) { return this.#call('verifyPresentation', args, opts); }
}
