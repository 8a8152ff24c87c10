// causeway-wasm/threads: the full API (the declarations of "causeway-wasm") built for wasm
// threads, proving on a pool of Web Workers (decision 0094).
//
// Runs only inside a dedicated Worker of a cross-origin isolated page (the page is served with
// `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`);
// elsewhere `init()` rejects with UnsupportedError `prove.unsupported` (use "causeway-wasm"
// there; `CausewayWorker` with `variant: 'auto'` chooses for you). Differences from the full
// entry:
// - `init()` instantiates once (no spare instance); then `initThreadPool(n)` must resolve
//   before any other call (calls before it throw InternalError `internal.not_initialized`).
// - A trap on the calling thread poisons the instance: that call throws InternalError
//   `internal.trap`, later calls `internal.not_initialized` until `ready()` has loaded a new
//   instance with a new pool of the same size. A trap on a pool thread never returns to the
//   caller: terminate the Worker (CausewayWorker's cancellation does) and start another.
// - Proofs are the same bytes as the full entry's for the same randomness (the blinding
//   scalars are drawn on the calling thread; the pool only sums group elements).

export * from './index.js';

/** The most threads `initThreadPool` accepts. */
export const MAX_THREADS: 64;

/** Starts `threads` Web Workers (1..64) sharing the module's memory as the thread pool, e.g.
 * `Math.min(navigator.hardwareConcurrency, 4)`. Once per package instance: the same size again
 * resolves at once, another size rejects with MalformedError `decode.invalid`. */
export function initThreadPool(threads: number): Promise<void>;

/** Whether the module was built with threads (`true`; the `hasThreads` export of the crate). */
export function hasThreads(): boolean;

/** The size of the running pool (0 before `initThreadPool` has resolved, or after a trap). */
export function threadCount(): number;

/** Why this context cannot run the threaded variant (not cross-origin isolated, or not in a
 * dedicated Worker), or `null` if it can. */
export function threadsUnavailableReason(): string | null;
