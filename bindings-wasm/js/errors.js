// Error classes of causeway-wasm: one per kind of core's classification (docs/spec/errors.md),
// every one carrying core's stable `code` and `kind` (decision 0072).

/** Base class of every error this package throws. */
export class CausewayError extends Error {
  constructor(code, kind, message, options) {
    super(message, options);
    this.name = 'CausewayError';
    this.code = code;
    this.kind = kind;
  }
}
/** The input is malformed, over a limit, or inconsistent. */
export class MalformedError extends CausewayError {
  constructor(code, message, options) { super(code, 'malformed', message, options); this.name = 'MalformedError'; }
}
/** Well formed, but does not open, verify or hold (wrong key, bad proof, revoked, untrusted). */
export class DeniedError extends CausewayError {
  constructor(code, message, options) { super(code, 'denied', message, options); this.name = 'DeniedError'; }
}
/** A version, key shape or feature this build does not support or has no key for. */
export class UnsupportedError extends CausewayError {
  constructor(code, message, options) { super(code, 'unsupported', message, options); this.name = 'UnsupportedError'; }
}
/** The platform's storage or network failed. */
export class IoError extends CausewayError {
  constructor(code, message, options) { super(code, 'io', message, options); this.name = 'IoError'; }
}
/** A failure inside Causeway or the platform (randomness, a trap): report it. */
export class InternalError extends CausewayError {
  constructor(code, message, options) { super(code, 'internal', message, options); this.name = 'InternalError'; }
}

const BY_KIND = {
  malformed: MalformedError,
  denied: DeniedError,
  unsupported: UnsupportedError,
  io: IoError,
  internal: InternalError,
};

/** The error for a (code, kind) pair; an unknown kind is reported as internal. */
export function makeError(code, kind, message, options) {
  const C = BY_KIND[kind];
  return C ? new C(code, message, options) : new InternalError(code, message, options);
}

/** Whether `e` is an error of this package (optionally of that kind). */
export function isCausewayError(e, kind) {
  return e instanceof CausewayError && (kind === undefined || e.kind === kind);
}
export const isMalformed = (e) => isCausewayError(e, 'malformed');
export const isDenied = (e) => isCausewayError(e, 'denied');
export const isUnsupported = (e) => isCausewayError(e, 'unsupported');
export const isIo = (e) => isCausewayError(e, 'io');
export const isInternal = (e) => isCausewayError(e, 'internal');

/** Codes the package itself uses (not core's): all of kind `internal`. */
export const BINDING_CODES = Object.freeze({
  trap: 'internal.trap',
  notInitialized: 'internal.not_initialized',
  instanceReset: 'internal.instance_reset',
  freed: 'internal.freed',
  unexpected: 'internal.unexpected',
  worker: 'internal.worker',
});

/** Converts whatever the wasm glue threw into a CausewayError. */
export function fromThrown(e) {
  if (e instanceof CausewayError) return e;
  // a cancellation by the caller's AbortSignal stays what it is
  if (e && e.name === 'AbortError') return e;
  if (e && e.name === 'CausewayError' && typeof e.code === 'string') {
    return makeError(e.code, e.kind, e.message);
  }
  if (e instanceof TypeError || e instanceof RangeError) {
    // an argument the glue could not convert (wrong JS type, a number out of range)
    return new MalformedError('decode.invalid', `invalid argument: ${e.message}`, { cause: e });
  }
  return new InternalError(BINDING_CODES.unexpected, `unexpected error: ${e && e.message}`, { cause: e });
}
