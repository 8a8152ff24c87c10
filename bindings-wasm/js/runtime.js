// The loader and the trap guard (decisions 0071, 0072).
//
// One compiled WebAssembly.Module, two instances: the one in use and a spare. A Rust panic is
// built as `abort`, so it surfaces as a trap (WebAssembly.RuntimeError) that leaves the
// instance in an unknown state; the guard then switches to the spare (synchronously, so the
// next call works), throws InternalError `internal.trap`, and prepares a new spare in the
// background. Each instance comes from its own copy of the wasm-bindgen glue module (imported
// with a distinct query string), because the glue keeps its instance in module state.

import { BINDING_CODES, InternalError, fromThrown } from './errors.js';

const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node)
  && typeof window === 'undefined';

/**
 * Compiles the module from `opts` (`module`, `wasm` bytes, or `url`, default `wasmUrl`); in a
 * browser while it downloads. Shared with runtime-threads.js.
 */
export async function compileWasm(opts, wasmUrl) {
  if (opts.module) return opts.module;
  if (opts.wasm) return WebAssembly.compile(opts.wasm);
  const url = opts.url ?? wasmUrl;
  if (isNode && String(url).startsWith('file:')) {
    const fs = await import('node:fs/promises');
    return WebAssembly.compile(await fs.readFile(new URL(url)));
  }
  // Browsers: compiled while it downloads (streaming); the server must send application/wasm,
  // otherwise it is compiled after the download.
  const res = await fetch(url, opts.fetchOptions);
  if (!res.ok) throw new Error(`fetching ${url}: HTTP ${res.status}`);
  if (typeof WebAssembly.compileStreaming === 'function'
    && (res.headers.get('content-type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

/**
 * Instantiates `module` with copy number `n` of the glue (imported with a distinct query
 * string: the glue keeps its instance in module state). Shared with runtime-threads.js.
 */
export async function instantiateGlue(glueUrl, n, module) {
  const glue = await import(/* webpackIgnore: true */ `${glueUrl}?instance=${n}`);
  await glue.default({ module_or_path: module });
  return glue;
}

/**
 * Runs `fn(c.glue, c.generation)`; a trap calls `onTrap()` and throws InternalError
 * `internal.trap` saying `consequence`; every other failure leaves as a CausewayError. Shared
 * with runtime-threads.js.
 */
export function guardedCall(c, fn, onTrap, consequence) {
  try {
    return fn(c.glue, c.generation);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      onTrap();
      throw new InternalError(BINDING_CODES.trap,
        `internal error in Causeway (a trap in WebAssembly); ${consequence}: please report it`,
        { cause: e });
    }
    throw fromThrown(e);
  }
}

export function createRuntime(glueUrl, wasmUrl) {
  let module = null;
  let current = null; // { glue, generation }
  let spare = null; // glue
  let sparePromise = null;
  let generation = 0;
  let imports = 0;
  let initPromise = null;

  function instantiate(source) {
    imports += 1;
    return instantiateGlue(glueUrl, imports, source);
  }

  function prepareSpare() {
    spare = null;
    sparePromise = instantiate(module).then(
      (g) => { spare = g; },
      () => { sparePromise = null; },
    );
    return sparePromise;
  }

  async function load(opts) {
    // One compilation, then instances of it: the one in use and a spare.
    module = await compileWasm(opts, wasmUrl);
    const glue = await instantiate(module);
    generation += 1;
    current = { glue, generation };
    await prepareSpare();
    if (!spare) throw new Error('could not create a spare WebAssembly instance');
  }

  /** Loads the module once (later calls return the same promise). */
  function init(opts = {}) {
    if (!initPromise) {
      initPromise = load(opts).catch((e) => { initPromise = null; throw fromThrown(e); });
    }
    return initPromise;
  }

  /** Resolves once an instance is in use and a spare is ready (after a trap, too). */
  async function ready() {
    if (!initPromise) throw new InternalError(BINDING_CODES.notInitialized, 'call init() first');
    await initPromise;
    if (!current || !spare) {
      await (sparePromise ?? prepareSpare());
      if (!current && spare) {
        generation += 1;
        current = { glue: spare, generation };
        await prepareSpare();
      }
    }
  }

  function recover() {
    if (spare) {
      generation += 1;
      current = { glue: spare, generation };
      prepareSpare();
    } else {
      // no spare yet: calls fail with internal.not_initialized until ready() resolves
      current = null;
      if (!sparePromise) prepareSpare();
    }
  }

  function glue() {
    if (!current) {
      throw new InternalError(BINDING_CODES.notInitialized,
        'causeway-wasm is not initialised: await init() (or ready() after a trap)');
    }
    return current;
  }

  /** Runs `fn(glue)` on the instance in use; every failure leaves as a CausewayError. */
  function call(fn) {
    return guardedCall(glue(), fn, recover,
      'the instance was replaced, objects made before it are gone');
  }

  return {
    init,
    ready,
    call,
    get generation() { return current ? current.generation : -1; },
    get initialized() { return current !== null; },
  };
}
