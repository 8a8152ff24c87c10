// causeway-wasm: curated type declarations (written by hand; decision 0071).
//
// Conventions: bytes are `Uint8Array`; 64-bit integers are `bigint` (outside the Rust type's
// range they are refused with MalformedError `record.invalid_value`, never wrapped); results
// are plain objects; every failure is a `CausewayError` whose `code` and `kind` are core's
// stable classification (docs/spec/errors.md). The light entry (`causeway-wasm/light`) has the
// same declarations; its proving functions throw UnsupportedError `prove.unsupported`.

// ---------------------------------------------------------------------------------- loading

/** Where to load the `.wasm` from (all optional). */
export interface InitOptions {
  /** URL of the `.wasm` file (default: the one next to this module). Browsers compile it while
   * it downloads (`WebAssembly.compileStreaming`; serve it as `application/wasm`), then
   * instantiate it (twice: the instance in use and a spare). */
  url?: string | URL;
  /** The module's bytes, or an already compiled `WebAssembly.Module` (e.g. posted to a Worker). */
  wasm?: BufferSource;
  module?: WebAssembly.Module;
  /** Passed to `fetch` when loading by URL. */
  fetchOptions?: RequestInit;
}
/** Loads the module once; later calls return the same promise. Call before anything else.
 * Also prepares a spare instance, used if a trap ever poisons the one in use. */
export function init(options?: InitOptions): Promise<void>;
/** Resolves when an instance (and its spare) is ready: after `init`, or after a trap. */
export function ready(): Promise<void>;
/** The package (and crate) version. */
export function version(): string;
/** Whether this entry can prove (`false` in `causeway-wasm/light`). */
export function hasProver(): boolean;
/** Every error code core defines, with its kind: `[code, kind][]`. */
export function errorCodes(): Array<[string, ErrorKind]>;
/** How many wasm-backed objects are alive (not yet freed or collected). */
export function liveHandles(): number;

// ----------------------------------------------------------------------------------- errors

/** What a caller does about a failure. */
export type ErrorKind = 'malformed' | 'denied' | 'unsupported' | 'io' | 'internal';
/** Base class of every error of this package. `code` is core's stable code (`decrypt`,
 * `decode.truncated`, `verify.expired`, ...) or one of BINDING_CODES. */
export class CausewayError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
}
/** Malformed input, over a limit, or inconsistent: fix the input. */
export class MalformedError extends CausewayError { readonly kind: 'malformed'; }
/** Well formed but does not open, verify or hold (wrong key, bad proof, revoked, untrusted);
 * deliberately without detail. */
export class DeniedError extends CausewayError { readonly kind: 'denied'; }
/** A version, key shape or feature this build does not support or has no key for. */
export class UnsupportedError extends CausewayError { readonly kind: 'unsupported'; }
/** Network or storage failed (e.g. `fetchKey`). */
export class IoError extends CausewayError { readonly kind: 'io'; }
/** A failure inside Causeway or the platform: report it. */
export class InternalError extends CausewayError { readonly kind: 'internal'; }
/** Whether `e` is a CausewayError (of `kind`, when given). */
export function isCausewayError(e: unknown, kind?: ErrorKind): e is CausewayError;
export function isMalformed(e: unknown): e is MalformedError;
export function isDenied(e: unknown): e is DeniedError;
export function isUnsupported(e: unknown): e is UnsupportedError;
export function isIo(e: unknown): e is IoError;
export function isInternal(e: unknown): e is InternalError;
/** Codes of failures the package detects itself (kind `internal`):
 * `trap` — a trap (a Rust panic, a defect) poisoned the instance: it was replaced, the call
 *   failed, the next call works; objects made before belong to the dead instance;
 * `notInitialized` — `init()` was not awaited (or a trap happened before a spare was ready:
 *   await `ready()`);
 * `instanceReset` — the object belonged to an instance replaced after a trap;
 * `freed` — the object was freed; `unexpected` — anything else thrown inside;
 * `worker` — `causeway-wasm/worker`: a Worker could not start or died. */
export const BINDING_CODES: Readonly<{
  trap: 'internal.trap';
  notInitialized: 'internal.not_initialized';
  instanceReset: 'internal.instance_reset';
  freed: 'internal.freed';
  unexpected: 'internal.unexpected';
  worker: 'internal.worker';
}>;

// ------------------------------------------------------------------------------ wasm objects

/** An object holding memory (and possibly secrets) inside wasm. Call `free()` when done (the
 * memory is zeroised and released at once); a `FinalizationRegistry` frees objects that are
 * garbage collected without it, at an unspecified later time. Supports `using` (Symbol.dispose). */
export interface Freeable {
  /** Releases the wasm memory now; using the object afterwards throws `internal.freed`. */
  free(): void;
  [Symbol.dispose](): void;
}

/** A party's public keys (Ed25519 signing, X25519 encryption). */
export class PublicKeys implements Freeable {
  private constructor();
  /** Parses `cwpub1…` text only. */
  static fromText(text: string): PublicKeys;
  /** Parses what a user may hand over: `cwpub1…` text, a public JWK Set, or a key file. */
  static parse(text: string): PublicKeys;
  /** Parses a public JWK Set `{"keys": [Ed25519, X25519]}` (object or JSON text). */
  static fromJwk(jwk: object | string): PublicKeys;
  /** The `cwpub1…` text. */
  toText(): string;
  /** The public JWK Set. */
  toJwk(): { keys: object[] };
  /** The key id (32 hex digits). */
  readonly keyId: string;
  equals(other: unknown): boolean;
  free(): void;
  [Symbol.dispose](): void;
}

/** A party: current keys and retired keys (kept so old records still open). The secret keys
 * stay inside wasm memory; `toSecretText()` is the only way out. */
export class Party implements Freeable {
  private constructor();
  /** Fresh keys from `crypto.getRandomValues`. */
  static generate(): Party;
  /** Parses a key file (`CW-SECRET-1…` lines, current key first), as `causeway keygen` writes. */
  static fromSecretText(text: string): Party;
  /** The key file's text: a secret. */
  toSecretText(): string;
  readonly publicKeys: PublicKeys;
  /** The current key id (32 hex digits). */
  readonly keyId: string;
  /** The retired keys' ids, newest first. */
  readonly retiredKeyIds: string[];
  /** New current keys; the old ones are retired (still open old records). */
  rotate(): void;
  free(): void;
  [Symbol.dispose](): void;
}

/** Public keys as an object, `cwpub1…` text, a JWK Set's text or a key file; a Party stands
 * for its current public keys. */
export type KeysLike = PublicKeys | Party | string;

// ----------------------------------------------------------------------------------- records

/** A field value: ints are `bigint` (a safe-integer `number` is accepted on input), decimals
 * and dates strings (`"85000.00"`, `"2008-11-21"`), bytes `Uint8Array`. */
export type Field =
  | { type: 'int'; value: bigint | number }
  | { type: 'decimal'; value: string }
  | { type: 'date'; value: string }
  | { type: 'string'; value: string }
  | { type: 'bytes'; value: Uint8Array | string }
  | { type: 'bool'; value: boolean };
/** A record: named, typed fields under a schema id. Output ints are always `bigint`. */
export interface RecordObject { schema: string; fields: Record<string, Field>; }
/** The record's JSON text as core reads it (ints as decimal strings after the i64 check). */
export function recordJson(record: RecordObject): string;

// ------------------------------------------------------------------------------ sealed records

export interface SealOptions {
  /** The owner (always a recipient); signs the object. */
  owner: Party;
  /** More recipients. */
  recipients?: KeysLike[];
  /** `"binary"` (canonical, default) or `"jwe"` (RFC 7516 JSON, UTF-8 bytes). */
  form?: 'binary' | 'jwe';
}
/** Seals a record or bytes for the owner and the recipients: the sealed object's bytes. */
export function seal(content: RecordObject | Uint8Array, options: SealOptions): Uint8Array;

/** What `open` opened. */
export interface Opened {
  /** The plaintext: a record, or bytes. */
  content: RecordObject | Uint8Array;
  contentType: 'record' | 'bytes';
  format: 'binary' | 'jwe' | 'stream' | 'foreign-jwe';
  /** The format version (`null` for a foreign JWE). */
  version: number | null;
  /** The owner's key id when the owner's signature verified (`null` otherwise). */
  owner: string | null;
  ownerSigned: boolean;
  recordId: string | null;
  epoch: number | null;
}
/** Opens any sealed object (binary or JWE record, sealed stream, or a plain JWE in compact,
 * flattened or general form) as `party` (current or retired keys). With `expectOwner`, an
 * object not signed by that owner is refused (`seal.unauthenticated`) before decryption.
 * Failures: `decrypt` (one opaque class), `not_a_recipient`, `decode.*`. */
export function open(sealed: Uint8Array | string, options: { party: Party; expectOwner?: KeysLike }): Opened;
/** Opens a sealed record strictly as binary or JWE JSON (no streams, no foreign JWE). */
export function openSealed(sealed: Uint8Array | string, party: Party): RecordObject | Uint8Array;
/** Opens a sealed record in its canonical binary form only. */
export function openBinary(sealed: Uint8Array, party: Party): RecordObject | Uint8Array;
/** Opens a plain JWE from another JOSE library (compact, flattened, general with one
 * recipient; `ECDH-ES+A256KW`, X25519, `A256GCM`): the plaintext. */
export function openForeignJwe(jwe: Uint8Array | string, party: Party): Uint8Array;
/** Adds a recipient (owner only); same content, record id and epoch; same form as given. */
export function grant(sealed: Uint8Array | string, options: { owner: Party; to: KeysLike }): Uint8Array;
/** Removes a recipient (keys or key id): re-sealed under a new content key, epoch + 1. */
export function revoke(sealed: Uint8Array | string, options: { owner: Party; recipient: KeysLike }): Uint8Array;
/** What a sealed record says about itself, without opening it (no secrets). */
export function inspect(sealed: Uint8Array | string): {
  type: 'sealed-record'; version: number; owner_signature: string; record_id: string;
  epoch: number; owner: string; recipients: string[]; content_type: string; alg: string;
  enc: string; ciphertext_len: number; sha256: string;
};

// ------------------------------------------------------------------------------ attestations

/** An attestation's public description. */
export interface AttestationInfo {
  id: string; issuer: string; subject: string; schema: string;
  /** Validity window, unix seconds (inclusive). */
  notBefore: bigint; notAfter: bigint;
  revocationHandle: string; recordId: string | null; version: number;
  /** The fields with Pedersen commitments (provable with Bulletproofs). */
  numericFields: string[];
}
/** An attested record as its holder keeps it (record, attestation, openings: secret). */
export class AttestedRecord implements Freeable {
  private constructor();
  /** Decodes the holder's file (`causeway attest` output; binary or base64url text). */
  static fromBytes(data: Uint8Array | string): AttestedRecord;
  /** The holder's file (a secret). */
  toBytes(): Uint8Array;
  readonly attestation: AttestationInfo;
  /** The attested record (its values are the holder's secrets). */
  readonly record: RecordObject;
  /** The attestation alone (public), canonical bytes. */
  attestationBytes(): Uint8Array;
  free(): void;
  [Symbol.dispose](): void;
}
/** Issues an attestation over `record` for `subject`, valid `notBefore..notAfter` (unix
 * seconds). `recordId` names the record (renewals and co-issuers use the same name). */
export function issueAttestation(record: RecordObject, options: {
  issuer: Party; subject: KeysLike; notBefore: bigint; notAfter: bigint; recordId?: string;
}): AttestedRecord;

// --------------------------------------------------------------------------------- Groth16 keys

/** A circuit shape: `attribute`, `sum:K` (1..64), `membership:D` or `membership:D:nullifier`. */
export type Circuit = string;
/** A stage of a long operation (decision 0088). `createPresentation` reports, as each begins:
 * - Groth16, per statement (8 steps): `witness` (synthesis, the Poseidon constraints
 *   recorded rather than built), `quotient` (FFTs and the satisfaction check), `msm-h`,
 *   `msm-l`, `msm-a`, `msm-b1` (G1 MSMs), `msm-b2` (the G2 MSM, the costliest), `check` (the
 *   proof's self-check);
 * - Bulletproofs: `statement` once per statement, then `range` (the one aggregated range
 *   proof, where nearly all the time goes);
 * - then `sign` and `done` (`done === total`).
 * `proveMembership` reports `prove` (0 of 1, then 1 of 1); `fetchKey` reports `download`
 * (bytes). */
export type ProgressPhase =
  | 'statement' | 'range' | 'witness' | 'quotient' | 'msm-h' | 'msm-l' | 'msm-a' | 'msm-b1'
  | 'msm-b2' | 'check' | 'sign' | 'done' | 'prove' | 'download';
/** Progress of a long operation: `phase` begins now and `done` of `total` steps are finished
 * (steps, not time: an MSM and the signature count one each). `total` is fixed for the call,
 * `done` never decreases, so `done / total` drives a progress bar. Proving also says which
 * statement (`statement` of `statements`, 0-based; equal to `statements` after the last). */
export interface Progress {
  phase: ProgressPhase; done: number; total: number; statement?: number; statements?: number;
}
export type ProgressCallback = (p: Progress) => void;
export interface FetchKeyOptions { signal?: AbortSignal; onProgress?: ProgressCallback; fetchOptions?: RequestInit; }

/** Groth16 keys by circuit shape; every key is checked against the id the caller pinned
 * (`keyring.wrong_key_id`) before it is kept. Proving keys are large: free the ring when done. */
export class KeyRing implements Freeable {
  constructor();
  /** Adds a proving key (`<id>.pk` of `causeway setup`), refused unless it is the key `keyId`
   * (`groth16vk1…`) names and, with `digest` (`groth16pk1…`), has exactly those bytes. */
  addProvingKey(circuit: Circuit, keyId: string, data: Uint8Array, options?: { digest?: string }): this;
  /** Adds a verifying key (`<id>.vk`), refused unless it is the key `keyId` names. */
  addVerifyingKey(circuit: Circuit, keyId: string, data: Uint8Array): this;
  /** `fetchKey(url)` then `addProvingKey` (the id check happens before the key is kept). */
  fetchProvingKey(circuit: Circuit, keyId: string, url: string | URL, options?: FetchKeyOptions & { digest?: string }): Promise<this>;
  fetchVerifyingKey(circuit: Circuit, keyId: string, url: string | URL, options?: FetchKeyOptions): Promise<this>;
  keys(): Array<{ circuit: Circuit; keyId: string; proving: boolean }>;
  free(): void;
  [Symbol.dispose](): void;
}
/** Downloads a key's bytes with progress and cancellation (no check: pass them to a KeyRing).
 * Rejects with IoError `io` when the download fails, and with the signal's `AbortError` when
 * cancelled. */
export function fetchKey(url: string | URL, options?: FetchKeyOptions): Promise<Uint8Array>;
/** The `groth16vk1…` id of a verifying key's bytes. */
export function verifyingKeyId(data: Uint8Array | string): string;
/** A single-party setup in this process (whoever runs it is trusted; for tests and demos). */
export function setupCircuit(circuit: Circuit): {
  circuit: Circuit; keyId: string; digest: string; provingKey: Uint8Array; verifyingKey: Uint8Array;
};

// ------------------------------------------------------------------------------ presentations

/** 32 random bytes: a verifier's challenge (16 to 64 bytes are accepted). */
export function randomChallenge(): Uint8Array;
/** The Groth16 circuits the statements need keys for, e.g. `["attribute", "sum:4"]`. */
export function statementCircuits(statements: string[], attestations?: number): Circuit[];
/** The same for a presentation's options (empty for Bulletproofs). */
export function presentationCircuits(options: { attested: AttestedRecord[] | number; prove?: string[]; backend?: 'bulletproofs' | 'groth16' }): Circuit[];

export interface PresentationOptions {
  /** The holder: the party (current or retired key) the attestations are about. */
  holder: Party;
  /** The attested records; the first is attestation 0. */
  attested: AttestedRecord[];
  /** Fields to reveal: `NAME` (attestation 0) or `INDEX:NAME`. */
  disclose?: string[];
  /** Statements to prove without revealing: `age >= 18`, `income in [50000, 120000]`,
   * `dob < 2008-11-21`, `sum(amount) >= 1000000`, `country != "XX"`. */
  prove?: string[];
  backend?: 'bulletproofs' | 'groth16';
  /** The verifier's challenge (16 to 64 bytes). */
  challenge: Uint8Array;
  /** Groth16: the proving keys for `presentationCircuits(...)`. */
  keys?: KeyRing;
  /** Called synchronously (from inside the call) as each stage begins (see `Progress`); an
   * exception it throws is ignored. In a page, prove in `causeway-wasm/worker` to see them
   * while the page keeps painting. */
  onProgress?: ProgressCallback;
}
/** Builds and signs a presentation (synchronous and CPU-bound: run it in a Worker in pages).
 * Returns the canonical bytes and the JSON `causeway present` writes (either verifies). */
export function createPresentation(options: PresentationOptions): { bytes: Uint8Array; json: string };

/** Groth16, for parallel proving (what `causeway-wasm/worker` does with several Workers):
 * proves statement `index` of `options.prove` alone, bound to the same challenge, holder,
 * attestations and index as `createPresentation` would; `onProgress` hears its eight stages.
 * Returns the proof's bytes. */
export function proveStatement(options: PresentationOptions & { keys: KeyRing }, index: number): Uint8Array;
/** Groth16: the presentation from `proofs` (one per statement, in order, from
 * `proveStatement`): each is verified against its key in `options.keys` and the public input
 * recomputed here before the holder signs; a swapped, repeated, foreign or missing proof is
 * refused (`snark.proof_self_check`). */
export function assemblePresentation(options: Omit<PresentationOptions, 'backend' | 'onProgress'> & { keys: KeyRing }, proofs: Uint8Array[]): { bytes: Uint8Array; json: string };

/** What a verified presentation established. */
export interface Verified {
  backend: 'bulletproofs' | 'groth16';
  /** The holder's key id. */
  subject: string;
  attestations: Array<{ id: string; issuer: string; schema: string; notBefore: bigint; notAfter: bigint; recordId: string | null }>;
  disclosed: Array<{ attestation: number; field: string; type: Field['type']; value: bigint | string | boolean | Uint8Array }>;
  /** The statements proven, in canonical text. */
  statements: string[];
}
/** Verifies everything: trusted issuers, validity at `now` (default: the clock), revocation
 * lists, the holder's signature over your challenge, disclosures, every proof (Groth16 against
 * `keys`). Failures are DeniedError (`verify.*`) or MalformedError (`decode.*`). */
export function verifyPresentation(presentation: Uint8Array | string, options: {
  issuers: KeysLike[]; challenge: Uint8Array; now?: bigint; keys?: KeyRing;
  revocationLists?: Array<Uint8Array | string>;
}): Verified;
/** What a presentation claims, unverified. */
export function inspectPresentation(presentation: Uint8Array | string): {
  backend: string; holder: string; statements: string[]; attestations: AttestationInfo[];
  groth16KeyIds: string[]; json: string;
};

// ------------------------------------------------------------------------------- membership

/** A member's identity secret (stays in wasm; `toHex()` is the way out). */
export class MemberSecret implements Freeable {
  private constructor();
  static random(): MemberSecret;
  /** 64 lower-case hex digits. */
  static fromHex(text: string): MemberSecret;
  toHex(): string;
  /** The public leaf `Poseidon(secret)`, 64 hex digits. */
  readonly leaf: string;
  free(): void;
  [Symbol.dispose](): void;
}
/** The Poseidon Merkle root of a leaves file (one 64-hex-digit leaf a line) at `depth`. */
export function membershipRoot(leaves: string, depth: number): string;
/** Proves membership (Groth16) bound to the challenge: the proof JSON. */
export function proveMembership(options: {
  secret: MemberSecret; leaves: string; depth: number; context?: string; challenge: Uint8Array;
  keys: KeyRing; onProgress?: ProgressCallback;
}): string;
/** Verifies a membership proof against your root, depth, nullifier context and challenge;
 * returns the nullifier to de-duplicate on (never on proof bytes). */
export function verifyMembership(proof: string | Uint8Array, options: {
  root: string; depth: number; context?: string; challenge: Uint8Array; keys: KeyRing;
}): { nullifier: string | null };

// ----------------------------------------------------------------------- ledger and anchoring

export interface CheckpointInfo { origin: string; size: bigint; root: string; }
/** What a verified proof bundle established. */
export type VerifiedBundle = { origin: string; originPinned: boolean; checkpoint: CheckpointInfo } & (
  | { kind: 'inclusion'; index: bigint; receipt: object }
  | { kind: 'consistency'; oldSize: bigint; oldRoot: string; oldCheckpointSigned: boolean }
  | { kind: 'revocation'; revocationHandle: string; issuer: string; revoked: boolean; index?: bigint; timeMs?: bigint }
);
/** Verifies a ledger proof bundle (JSON, docs/spec/bundle.md) against the log key; pin the
 * `origin` (otherwise `originPinned` is false: the bundle named it). */
export function verifyBundle(bundle: string | Uint8Array, options: {
  logKey: KeysLike; origin?: string; trustedCheckpoint?: string;
}): VerifiedBundle;
/** Verifies an anchor receipt offline against the anchored checkpoint (signed note) for the
 * chain and registry you expect; the block itself is only checked online (not here). */
export function verifyAnchorReceipt(receipt: Uint8Array | string, options: {
  logKey: KeysLike; anchoredCheckpoint: string; chainId: bigint; contract: string; origin?: string;
}): {
  index: bigint; origin: string; size: bigint; anchoredValue: string; chainId: bigint;
  contract: string; blockNumber: bigint; blockHash: string; txHash: string;
  checkpoint: CheckpointInfo; coversCheckpoint: boolean;
};
// ------------------------------------------------------------------------------ provenance

/** One step of a verified product history, oldest first. */
export interface ProvenanceEvent {
  /** Position in the product's history (0 = first); none is missing between. */
  seq: number;
  /** Leaf index in the log. */
  index: bigint;
  /** The step name (`produced`, `inspected`, `shipped`, ...). */
  step: string;
  /** When it happened, as its signer says (Unix milliseconds). */
  timeMs: bigint;
  /** The signer's name in your trust policy (trusted for this step). */
  party: string;
  /** The signer's key id (32 hex digits). */
  signer: string;
  /** The public fields, in the signer's order. */
  fields: Record<string, string>;
  /** The link to private details sealed for chosen partners, if any. */
  details: { recordId: string; ciphertextHash: string } | null;
  /** The event's hash (what the next event commits to), 64 hex digits. */
  hash: string;
}
/** What a verified provenance bundle establishes. */
export interface VerifiedProvenance {
  /** The log's origin (yours). */
  origin: string;
  /** The product or batch id. */
  product: string;
  /** The verified checkpoint the events are in. */
  checkpoint: CheckpointInfo;
  events: ProvenanceEvent[];
  /** The anchor receipt's facts, verified offline (the log key's signed statement that the
   * checkpoint was anchored on `chainId` in `contract` at `blockNumber`; `check` says so:
   * the block itself is confirmed only on chain, not in this package), or `null` when the
   * bundle has none. `chainPinned`: whether you passed the `chain` to expect. */
  anchor: {
    index: bigint; origin: string; size: bigint; anchoredValue: string; chainId: bigint;
    contract: string; blockNumber: bigint; blockHash: string; txHash: string;
    checkpoint: CheckpointInfo; chainPinned: boolean; check: 'statement';
  } | null;
}
/** Verifies a product's provenance bundle (tag 0x52, its canonical bytes) offline: the
 * checkpoint is signed by `logKey` for your `origin` (both from a source you trust, not from
 * the bundle), every event is in it, about the product (`product`: the id you scanned), in one
 * unbroken chain from the first (none missing, repeated, re-ordered or forked), and signed by a
 * party your `policy` (the trust policy JSON, `docs/spec/provenance.md`) trusts for its step.
 * With `chain`, the bundle must carry an anchor receipt for that chain and registry.
 * Failures: `log.*` (signature, origin, inclusion, `log.invalid_receipt` for a changed event),
 * `trace.*` (`chain_broken`, `fork`, `duplicate`, `wrong_product`, `untrusted_signer`,
 * `policy`), `anchor.*` (`wrong_chain`, `invalid`), `decode.*`. */
export function verifyProvenance(bundle: Uint8Array, options: {
  logKey: KeysLike; origin: string; policy: string | object; product?: string;
  chain?: { chainId: bigint; contract: string };
}): VerifiedProvenance;
/** What a provenance bundle claims, unverified (never trust it: call `verifyProvenance`). */
export function inspectProvenance(bundle: Uint8Array): {
  product: string; events: number; checkpointSize: bigint; anchored: boolean; origin: string;
};

/** Checks that `data` decodes strictly as a wire object of `kind`. */
export function validate(kind: 'attestation' | 'presentation' | 'sealed' | 'anchor-receipt' | 'verifying-key', data: Uint8Array | string): void;
