// causeway-wasm/worker: Causeway in Web Workers, so that proving never blocks the page
// (decision 0089). Browsers only (module Workers).
//
//   import { init, Party, AttestedRecord } from 'causeway-wasm';
//   import { CausewayWorker } from 'causeway-wasm/worker';
//   const cw = new CausewayWorker();
//   await cw.ready;
//   await cw.addProvingKey('attribute', keyId, '/keys/attribute.pk', { onProgress });
//   const p = await cw.createPresentation(
//     { holder: alice, attested: [held], prove: ['age >= 18'], backend: 'groth16', challenge },
//     { signal, onProgress: ({ phase, done, total }) => bar.value = done / total });

import type { AttestedRecord, Party, Progress, ProgressCallback, PublicKeys, Verified } from './index.js';

export {
  CausewayError, MalformedError, DeniedError, UnsupportedError, IoError, InternalError,
  isCausewayError, isMalformed, isDenied, isUnsupported, isIo, isInternal, BINDING_CODES,
  Progress, ProgressCallback, Verified,
} from './index.js';

export interface CausewayWorkerOptions {
  /** How many Workers: `'auto'` (default) is one. With `n > 1` calls run on the least busy
   * Worker (several presentations at once) and every key is added to every Worker (n copies
   * in memory). One presentation's statements are not split across Workers. */
  workers?: 'auto' | number;
  /** Which wasm build the Worker loads: `'single'` (the full entry, one thread), `'threads'`
   * (the multi-threaded build, which needs a cross-origin isolated page: headers
   * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
   * require-corp`; refused with `prove.unsupported` otherwise or when the package lacks it),
   * `'auto'` (default: `'threads'` when the page is cross-origin isolated and the package has
   * it, with `min(hardwareConcurrency, 4)` threads; `'single'` otherwise). */
  variant?: 'auto' | 'single' | 'threads';
  /** Where the Worker script is (default: `worker-script.js` next to this module). */
  scriptUrl?: string | URL;
}

export interface CallOptions {
  /** Cancels the call: it rejects at once with `signal.reason` (an `AbortError`
   * `DOMException` by default). A call already running in a Worker terminates that Worker
   * and a fresh one is started (the module loads again and every key added so far is added
   * again: the cost of a cancellation); the next call works. */
  signal?: AbortSignal;
  /** Progress events on the main thread, in order: `{phase, done, total}` (see `Progress`). */
  onProgress?: ProgressCallback;
}

export interface AddKeyOptions extends CallOptions {
  /** Pins the proving key's bytes too (`groth16pk1…`, from `causeway setup`). */
  digest?: string;
  /** Passed to `fetch` inside the Worker when the key is given by URL (no `signal`). */
  fetchOptions?: Omit<RequestInit, 'signal'>;
}

/** What a Worker loaded. */
export interface WorkerInfo {
  workers: number;
  variant: 'single' | 'threads';
  threads: number;
  version: string;
  prover: boolean;
}

/** The same options as `createPresentation` of the main API, as they cross to the Worker.
 * `keys` is not accepted: the Worker uses the keys added with `addProvingKey`. */
export interface WorkerPresentationOptions {
  /** The holder: a `Party` of the main API, whose secret text (`toSecretText()`) crosses to
   * each Worker once and is then held only inside that Worker's wasm `Party` (again after a
   * restart); or the secret text itself, which crosses with every call and is freed in the
   * Worker after it. */
  holder: Party | string;
  /** The attested records (secret: they hold the openings), as objects of the main API or
   * their bytes / text; they cross with each call and are freed in the Worker after it. */
  attested: Array<AttestedRecord | Uint8Array | string>;
  disclose?: string[];
  prove?: string[];
  backend?: 'bulletproofs' | 'groth16';
  challenge: Uint8Array;
  /** Also accepted here (the second argument wins). */
  onProgress?: ProgressCallback;
}

/** Causeway in dedicated module Workers: every method runs in a Worker and returns a Promise;
 * errors are the package's typed errors (same `name`, `code`, `kind`; `isCausewayError` is
 * true). A trap inside a Worker (`internal.trap`) restarts that Worker like a cancellation. */
export class CausewayWorker {
  constructor(options?: CausewayWorkerOptions);
  /** Resolves when every Worker has loaded the module (rejects with `internal.worker` if one
   * cannot start). Calls made before wait for it. */
  readonly ready: Promise<WorkerInfo>;
  /** Adds a Groth16 proving key to the Worker(s): bytes (copied to the Worker; the helper
   * keeps your bytes to re-add the key after a restart, so do not modify them) or a URL
   * (fetched inside the Worker with `download` progress; fetched again after a restart).
   * Checked in the Worker against `keyId` (`keyring.wrong_key_id`) and `digest` before it is
   * kept; a refused key is not kept. */
  addProvingKey(circuit: string, keyId: string, bytesOrUrl: Uint8Array | ArrayBuffer | string | URL,
    options?: AddKeyOptions): Promise<{ circuit: string; keyId: string }>;
  /** Adds a Groth16 verifying key (bytes or URL), checked against `keyId`. */
  addVerifyingKey(circuit: string, keyId: string, bytesOrUrl: Uint8Array | ArrayBuffer | string | URL,
    options?: Omit<AddKeyOptions, 'digest'>): Promise<{ circuit: string; keyId: string }>;
  /** The keys a Worker holds. */
  keys(options?: { signal?: AbortSignal }): Promise<Array<{ circuit: string; keyId: string; proving: boolean }>>;
  /** Builds and signs a presentation in a Worker: `{bytes, json}` as in the main API. */
  createPresentation(options: WorkerPresentationOptions, call?: CallOptions): Promise<{ bytes: Uint8Array; json: string }>;
  /** Verifies a presentation in a Worker (Groth16 against the Worker's keys). */
  verifyPresentation(presentation: Uint8Array | string, options: {
    issuers: Array<PublicKeys | Party | string>; challenge: Uint8Array; now?: bigint;
    revocationLists?: Array<Uint8Array | string>;
  }, call?: { signal?: AbortSignal }): Promise<Verified>;
  /** Stops every Worker now (their memory, keys and holders' secrets go with them); pending
   * calls reject with an `AbortError`; later calls reject with `internal.worker`. */
  terminate(): void;
  [Symbol.dispose](): void;
}
