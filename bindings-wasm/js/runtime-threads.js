// The loader of the threaded variant, `causeway-wasm/threads` (decision 0094). Same interface
// as runtime.js (init, ready, call, generation, initialized) plus initThreadPool.
//
// The module imports one shared WebAssembly.Memory; `initThreadPool(n)` (wasm-bindgen-rayon)
// starts n Web Workers that instantiate the same module on that memory and become rayon's
// global pool, so core's parallel paths (our MSMs, the QAP's FFTs) run on them. Differences
// from runtime.js:
// - Where: only in a dedicated Worker of a cross-origin isolated page. Shared memory needs
//   cross-origin isolation (COOP same-origin + COEP require-corp), and a thread that waits for
//   the pool blocks in Atomics.wait, which a page's main thread may not do. Elsewhere init()
//   refuses with UnsupportedError `prove.unsupported`; use the full entry there (the Worker
//   helper's `variant: 'auto'` does).
// - Order: every call before initThreadPool(n) has resolved is refused (internal.not_initialized):
//   a rayon call first would install a one-thread global pool that can never be replaced.
// - No spare instance: a spare would need its own memory and its own pool of idle Workers. A
//   trap on the calling thread poisons the instance: that call throws InternalError
//   `internal.trap`, later calls `internal.not_initialized`, and `ready()` reloads: a new
//   instance with a new memory and a new pool of the same size (the old pool's Workers are
//   terminated). Objects made before the trap are gone (`internal.instance_reset`).
// - A trap on a pool thread cannot reach the caller, which then waits for ever: the remedy is
//   to terminate the Worker that runs the call (its pool goes with it) and start another, which
//   is what the Worker helper's cancellation does.

import { BINDING_CODES, InternalError, MalformedError, UnsupportedError, fromThrown } from './errors.js';
import { compileWasm, guardedCall, instantiateGlue } from './runtime.js';

/** The most pool threads initThreadPool accepts. */
export const MAX_THREADS = 64;

/** Why this context cannot run the threaded variant, or null if it can. */
export function threadsUnavailableReason() {
  if (typeof SharedArrayBuffer !== 'function' || globalThis.crossOriginIsolated !== true) {
    return 'causeway-wasm/threads needs a cross-origin isolated page (Cross-Origin-Opener-Policy: '
      + 'same-origin and Cross-Origin-Embedder-Policy: require-corp); use the full entry '
      + '("causeway-wasm") here';
  }
  if (typeof DedicatedWorkerGlobalScope === 'undefined'
    || !(globalThis instanceof DedicatedWorkerGlobalScope)) {
    return 'causeway-wasm/threads runs inside a dedicated Worker (the page\'s main thread may not '
      + 'block on Atomics.wait): load it in a Worker, e.g. through causeway-wasm/worker';
  }
  return null;
}

export function createRuntime(glueUrl, wasmUrl) {
  let module = null;
  let current = null; // { glue, generation, workers }
  let generation = 0;
  let imports = 0;
  let initPromise = null;
  let threads = 0; // the pool size asked for (0: initThreadPool not called yet)
  let poolPromise = null;
  let reloadPromise = null;
  let poisoned = false;

  // A new instance on a new shared memory (the glue creates it: the module's own initial and
  // maximum sizes, shared). Its own copy of the glue, which keeps its instance in module state.
  function instantiate() {
    imports += 1;
    return instantiateGlue(glueUrl, imports, module);
  }

  // Starts the pool of `n` Workers for `glue`, and returns them (wasm-bindgen-rayon keeps no
  // handle we could reach, so the Workers it creates meanwhile are recorded to terminate them
  // when the instance is replaced; nothing else creates Workers in this Worker meanwhile).
  async function startPool(glue, n) {
    const created = [];
    const Native = globalThis.Worker;
    globalThis.Worker = class extends Native {
      constructor(...args) { super(...args); created.push(this); }
    };
    try {
      await glue.initThreadPool(n);
    } catch (e) {
      for (const w of created) w.terminate();
      throw e;
    } finally {
      globalThis.Worker = Native;
    }
    return created;
  }

  async function load(opts) {
    const why = threadsUnavailableReason();
    if (why) throw new UnsupportedError('prove.unsupported', why);
    module = await compileWasm(opts, wasmUrl);
    const glue = await instantiate();
    generation += 1;
    current = { glue, generation, workers: [] };
  }

  /** Loads the module once (later calls return the same promise). */
  function init(opts = {}) {
    if (!initPromise) {
      initPromise = load(opts).catch((e) => { initPromise = null; throw fromThrown(e); });
    }
    return initPromise;
  }

  /** Starts the pool (once per package instance; the same size again resolves at once). */
  function initThreadPool(n) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
      return Promise.reject(new MalformedError('decode.invalid',
        `initThreadPool: the number of threads must be an integer 1..${MAX_THREADS}`));
    }
    if (!initPromise) {
      return Promise.reject(new InternalError(BINDING_CODES.notInitialized, 'call init() first'));
    }
    if (threads !== 0 && n !== threads) {
      return Promise.reject(new MalformedError('decode.invalid',
        `initThreadPool: the pool already has ${threads} threads`));
    }
    if (!poolPromise) {
      threads = n;
      poolPromise = (async () => {
        await initPromise;
        current.workers = await startPool(current.glue, n);
      })().catch((e) => { poolPromise = null; threads = 0; throw fromThrown(e); });
    }
    return poolPromise;
  }

  // After a trap: a new instance, memory and pool of the same size; the old pool is ended.
  async function reload() {
    const old = current;
    current = null;
    if (old) for (const w of old.workers) w.terminate();
    const glue = await instantiate();
    const workers = threads > 0 ? await startPool(glue, threads) : [];
    generation += 1;
    current = { glue, generation, workers };
    poisoned = false;
  }

  /** Resolves once an instance is in use and its pool started (after a trap, too). */
  async function ready() {
    if (!initPromise) throw new InternalError(BINDING_CODES.notInitialized, 'call init() first');
    await initPromise;
    if (poolPromise) await poolPromise;
    if (poisoned) {
      if (!reloadPromise) {
        reloadPromise = reload().finally(() => { reloadPromise = null; });
      }
      try {
        await reloadPromise;
      } catch (e) {
        throw fromThrown(e);
      }
    }
  }

  function glue() {
    if (!current || poisoned) {
      throw new InternalError(BINDING_CODES.notInitialized, poisoned
        ? 'the threaded instance trapped: await ready() to load a new one'
        : 'causeway-wasm/threads is not initialised: await init() and initThreadPool(n)');
    }
    if (threads === 0 || current.workers.length !== threads) {
      throw new InternalError(BINDING_CODES.notInitialized,
        'causeway-wasm/threads: await initThreadPool(n) before the first call');
    }
    return current;
  }

  /** Runs `fn(glue)` on the instance in use; every failure leaves as a CausewayError. */
  function call(fn) {
    return guardedCall(glue(), fn, () => { poisoned = true; },
      'the threaded instance is poisoned: await ready() to load a new one; objects made before '
      + 'it are gone');
  }

  return {
    init,
    ready,
    call,
    initThreadPool,
    get threads() { return current && !poisoned ? current.workers.length : 0; },
    get generation() { return current ? current.generation : -1; },
    get initialized() { return current !== null && !poisoned; },
  };
}
