// The public API over the raw exports (decision 0071): argument checks, bigint ranges, plain
// objects, handles that know which instance they belong to, and a FinalizationRegistry backstop
// for objects that are never free()d.

import {
  BINDING_CODES, InternalError, IoError, MalformedError, UnsupportedError, fromThrown,
} from './errors.js';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;
const MAX_KEY_BYTES = 512 * 1024 * 1024;
const enc = new TextEncoder();

function bad(code, message) { return new MalformedError(code, message); }

function bytesArg(x, what, textAllowed = false) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (textAllowed && typeof x === 'string') return enc.encode(x);
  throw bad('decode.invalid', `${what} must be a Uint8Array${textAllowed ? ' or a string' : ''}`);
}

function strArg(x, what) {
  if (typeof x !== 'string') throw bad('decode.invalid', `${what} must be a string`);
  return x;
}

function optStr(x, what) {
  return x === undefined || x === null ? undefined : strArg(x, what);
}

function u64Arg(x, what) {
  if (typeof x !== 'bigint') throw bad('record.invalid_value', `${what} must be a bigint`);
  if (x < 0n || x > U64_MAX) throw bad('record.invalid_value', `${what} is outside the unsigned 64-bit range`);
  return x;
}

function fnArg(x, what) {
  if (x === undefined || x === null) return undefined;
  if (typeof x !== 'function') throw bad('decode.invalid', `${what} must be a function`);
  return x;
}

function b64u(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A record object `{schema, fields: {name: {type, value}}}` as the JSON text core reads. */
export function recordJson(record) {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw bad('decode.invalid', 'a record must be an object {schema, fields}');
  }
  const { schema, fields } = record;
  if (typeof schema !== 'string') throw bad('decode.invalid', 'schema must be a string');
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw bad('decode.invalid', 'fields must be an object');
  }
  const out = {};
  for (const name of Object.keys(fields)) {
    const f = fields[name];
    if (f === null || typeof f !== 'object') throw bad('decode.invalid', `field ${name} must be {type, value}`);
    let { type, value } = f;
    if (type === 'int') {
      if (typeof value === 'bigint') {
        if (value < I64_MIN || value > I64_MAX) {
          throw bad('record.invalid_value', `field ${name}: outside the signed 64-bit range`);
        }
        value = value.toString();
      } else if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) {
          throw bad('record.invalid_value', `field ${name}: not a safe integer (use a bigint)`);
        }
      } else {
        throw bad('record.invalid_value', `field ${name}: an int must be a bigint`);
      }
    } else if (type === 'bytes' && value instanceof Uint8Array) {
      value = b64u(value);
    }
    out[name] = { type, value };
  }
  try {
    return JSON.stringify({ schema, fields: out });
  } catch (e) {
    throw new MalformedError('decode.invalid', `a record field value cannot be encoded: ${e.message}`, { cause: e });
  }
}

export function makeApi(rt, entry) {
  const call = rt.call;
  let live = 0;
  const registry = new FinalizationRegistry((held) => {
    live -= 1;
    // Free the wasm side only if the instance it lives in is still the one in use.
    if (held.generation === rt.generation) {
      try { held.raw.free(); } catch { /* the instance is gone */ }
    }
  });

  /** The base of every object that holds memory inside wasm. */
  class Handle {
    #raw; #generation; #token;
    constructor(raw, generation) {
      this.#raw = raw;
      this.#generation = generation;
      this.#token = {};
      live += 1;
      registry.register(this, { raw, generation }, this.#token);
    }
    /** @internal the raw wasm-bindgen object, checked to belong to the instance in use. */
    _raw() {
      if (this.#raw === null) throw new InternalError(BINDING_CODES.freed, `this ${this.constructor.name} was freed`);
      if (this.#generation !== rt.generation) {
        throw new InternalError(BINDING_CODES.instanceReset,
          `this ${this.constructor.name} belonged to a WebAssembly instance that trapped and was replaced`);
      }
      return this.#raw;
    }
    /** Frees the wasm memory now (secrets are zeroised); the object cannot be used after. */
    free() {
      if (this.#raw === null) return;
      const raw = this.#raw;
      this.#raw = null;
      registry.unregister(this.#token);
      live -= 1;
      if (this.#generation === rt.generation) raw.free();
    }
    [Symbol.dispose]() { this.free(); }
  }

  class PublicKeys extends Handle {
    static fromText(text) { return call((g, gen) => new PublicKeys(g.PublicKeys.fromText(strArg(text, 'text')), gen)); }
    static parse(text) { return call((g, gen) => new PublicKeys(g.PublicKeys.parse(strArg(text, 'text')), gen)); }
    static fromJwk(jwk) {
      const text = typeof jwk === 'string' ? jwk : JSON.stringify(jwk);
      return call((g, gen) => new PublicKeys(g.PublicKeys.fromJwkText(text), gen));
    }
    toText() { return call(() => this._raw().toText()); }
    toJwk() { return JSON.parse(call(() => this._raw().toJwkText())); }
    get keyId() { return call(() => this._raw().keyId); }
    toString() { return this.toText(); }
    equals(other) { return other instanceof PublicKeys && other.toText() === this.toText(); }
  }

  class Party extends Handle {
    static generate() { return call((g, gen) => new Party(g.Party.generate(), gen)); }
    static fromSecretText(text) { return call((g, gen) => new Party(g.Party.fromSecretText(strArg(text, 'text')), gen)); }
    toSecretText() { return call(() => this._raw().toSecretText()); }
    get publicKeys() { return call((g, gen) => new PublicKeys(this._raw().publicKeys, gen)); }
    get keyId() { return call(() => this._raw().keyId); }
    get retiredKeyIds() { return call(() => this._raw().retiredKeyIds); }
    rotate() { call(() => this._raw().rotate()); }
    toString() { return `Party(${this.keyId})`; }
    toJSON() { return { keyId: this.keyId }; }
  }

  function partyArg(p, what) {
    if (!(p instanceof Party)) throw bad('decode.invalid', `${what} must be a Party`);
    return p._raw();
  }
  function pubText(k, what) {
    if (k instanceof PublicKeys) return k.toText();
    if (k instanceof Party) return k.publicKeys.toText();
    return strArg(k, what);
  }
  function keyIdText(k, what) {
    if (k instanceof PublicKeys || k instanceof Party) return k.keyId;
    return strArg(k, what);
  }
  function textList(list, what, conv) {
    if (!Array.isArray(list)) throw bad('decode.invalid', `${what} must be an array`);
    return list.map((x) => conv(x, what));
  }

  function seal(content, { owner, recipients = [], form = 'binary' } = {}) {
    if (form !== 'binary' && form !== 'jwe') throw bad('decode.invalid', 'form must be "binary" or "jwe"');
    const to = textList(recipients, 'recipients', pubText);
    const jwe = form === 'jwe';
    if (content instanceof Uint8Array || content instanceof ArrayBuffer) {
      const b = bytesArg(content, 'content');
      return call((g) => g.sealBytes(b, partyArg(owner, 'owner'), to, jwe));
    }
    const json = recordJson(content);
    return call((g) => g.sealRecord(json, partyArg(owner, 'owner'), to, jwe));
  }

  function open(sealed, { party, expectOwner } = {}) {
    const b = bytesArg(sealed, 'sealed', true);
    const eo = expectOwner === undefined || expectOwner === null ? undefined : keyIdText(expectOwner, 'expectOwner');
    return call((g) => g.open(b, partyArg(party, 'party'), eo));
  }
  const openSealed = (sealed, party) => {
    const b = bytesArg(sealed, 'sealed', true);
    return call((g) => g.openSealed(b, partyArg(party, 'party')));
  };
  const openBinary = (sealed, party) => {
    const b = bytesArg(sealed, 'sealed');
    return call((g) => g.openBinary(b, partyArg(party, 'party')));
  };
  const openForeignJwe = (jwe, party) => {
    const b = bytesArg(jwe, 'jwe', true);
    return call((g) => g.openForeignJwe(b, partyArg(party, 'party')));
  };
  function grant(sealed, { owner, to } = {}) {
    const b = bytesArg(sealed, 'sealed', true);
    const t = pubText(to, 'to');
    return call((g) => g.grant(b, partyArg(owner, 'owner'), t));
  }
  function revoke(sealed, { owner, recipient } = {}) {
    const b = bytesArg(sealed, 'sealed', true);
    const r = keyIdText(recipient, 'recipient');
    return call((g) => g.revoke(b, partyArg(owner, 'owner'), r));
  }
  function inspect(sealed) {
    const b = bytesArg(sealed, 'sealed', true);
    return JSON.parse(call((g) => g.inspectJson(b)));
  }

  class AttestedRecord extends Handle {
    static fromBytes(data) {
      const b = bytesArg(data, 'data', true);
      return call((g, gen) => new AttestedRecord(g.AttestedRecord.fromBytes(b), gen));
    }
    toBytes() { return call(() => this._raw().toBytes()); }
    get attestation() { return call(() => this._raw().attestation); }
    get record() { return call(() => this._raw().record); }
    attestationBytes() { return call(() => this._raw().attestationBytes()); }
  }

  function issueAttestation(record, { issuer, subject, notBefore, notAfter, recordId } = {}) {
    const json = recordJson(record);
    const s = pubText(subject, 'subject');
    const nb = u64Arg(notBefore, 'notBefore');
    const na = u64Arg(notAfter, 'notAfter');
    const rid = optStr(recordId, 'recordId');
    return call((g, gen) => new AttestedRecord(
      g.issueAttestation(partyArg(issuer, 'issuer'), json, s, nb, na, rid), gen));
  }

  class KeyRing extends Handle {
    constructor(raw, gen) {
      if (raw === undefined) {
        const made = call((g, gn) => [new g.KeyRing(), gn]);
        super(made[0], made[1]);
      } else {
        super(raw, gen);
      }
    }
    addProvingKey(circuit, keyId, data, { digest } = {}) {
      const b = bytesArg(data, 'data');
      call(() => this._raw().addProvingKey(strArg(circuit, 'circuit'), strArg(keyId, 'keyId'), b, optStr(digest, 'digest')));
      return this;
    }
    addVerifyingKey(circuit, keyId, data) {
      const b = bytesArg(data, 'data');
      call(() => this._raw().addVerifyingKey(strArg(circuit, 'circuit'), strArg(keyId, 'keyId'), b));
      return this;
    }
    async fetchProvingKey(circuit, keyId, url, opts = {}) {
      const b = await fetchKey(url, opts);
      return this.addProvingKey(circuit, keyId, b, opts);
    }
    async fetchVerifyingKey(circuit, keyId, url, opts = {}) {
      const b = await fetchKey(url, opts);
      return this.addVerifyingKey(circuit, keyId, b);
    }
    keys() { return call(() => this._raw().keys()); }
  }

  // The raw exports take a key ring always; an absent one is an empty ring made for the call.
  function withKeys(g, k, fn) {
    if (k === undefined || k === null) {
      const empty = new g.KeyRing();
      try { return fn(empty); } finally { empty.free(); }
    }
    if (!(k instanceof KeyRing)) throw bad('decode.invalid', 'keys must be a KeyRing');
    return fn(k._raw());
  }

  /** Downloads a key, reporting `{phase: "download", done, total}` as bytes arrive. */
  async function fetchKey(url, { signal, onProgress, fetchOptions } = {}) {
    fnArg(onProgress, 'onProgress');
    let res;
    try {
      res = await fetch(url, { ...fetchOptions, signal });
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new IoError('io', `fetching ${url} failed: ${e && e.message}`, { cause: e });
    }
    if (!res.ok) throw new IoError('io', `fetching ${url}: HTTP ${res.status}`);
    const total = Number(res.headers.get('content-length')) || 0;
    if (total > MAX_KEY_BYTES) throw bad('decode.too_long', `${url}: key over ${MAX_KEY_BYTES} bytes`);
    if (!res.body || !res.body.getReader) {
      const b = new Uint8Array(await res.arrayBuffer());
      if (onProgress) onProgress({ phase: 'download', done: b.length, total: b.length });
      return b;
    }
    const reader = res.body.getReader();
    const chunks = [];
    let done = 0;
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      done += value.length;
      if (done > MAX_KEY_BYTES) { reader.cancel(); throw bad('decode.too_long', `${url}: key over ${MAX_KEY_BYTES} bytes`); }
      chunks.push(value);
      if (onProgress) onProgress({ phase: 'download', done, total: total || done });
    }
    const out = new Uint8Array(done);
    let o = 0;
    for (const c of chunks) { out.set(c, o); o += c.length; }
    return out;
  }

  function needProver(g, name) {
    if (typeof g[name] !== 'function' && !(name === 'PresentationRequest.build' && g.PresentationRequest
      && typeof g.PresentationRequest.prototype.build === 'function')) {
      throw new UnsupportedError('prove.unsupported',
        `the ${entry} entry has no prover: import "causeway-wasm" for ${name}`);
    }
  }

  function setupCircuit(circuit) {
    const c = strArg(circuit, 'circuit');
    return call((g) => { needProver(g, 'setupCircuit'); return g.setupCircuit(c); });
  }

  const randomChallenge = () => call((g) => g.randomChallenge());
  const statementCircuits = (statements, attestations = 1) => {
    const st = textList(statements, 'statements', strArg);
    if (!Number.isInteger(attestations) || attestations < 0 || attestations > 65535) {
      throw bad('decode.invalid', 'attestations must be an integer 0..65535');
    }
    return call((g) => g.statementCircuits(st, attestations));
  };

  function createPresentation(options = {}) {
    const { holder, challenge, keys, onProgress, _selfTestSeed } = options;
    const c = bytesArg(challenge, 'challenge');
    const cb = fnArg(onProgress, 'onProgress');
    return call((g) => withRequest(g, options, (req) => {
      if (_selfTestSeed !== undefined) {
        // Test-only: a seeded RNG (the `self-test` build), to compare the bytes of two builds.
        if (typeof req.selfTestBuildSeeded !== 'function') {
          throw new UnsupportedError('prove.unsupported', 'built without the self-test feature');
        }
        const seed = u64Arg(_selfTestSeed, '_selfTestSeed');
        return withKeys(g, keys, (ring) => req.selfTestBuildSeeded(partyArg(holder, 'holder'), c, ring, seed));
      }
      return withKeys(g, keys, (ring) => req.build(partyArg(holder, 'holder'), c, ring, cb));
    }));
  }

  // A PresentationRequest for `options` inside `g`, passed to `fn` and freed after it.
  function withRequest(g, {
    attested, disclose = [], prove = [], backend = 'bulletproofs',
  }, fn) {
    if (!Array.isArray(attested)) throw bad('decode.invalid', 'attested must be an array of AttestedRecord');
    const d = textList(disclose, 'disclose', strArg);
    const p = textList(prove, 'prove', strArg);
    const b = strArg(backend, 'backend');
    needProver(g, 'PresentationRequest.build');
    const req = new g.PresentationRequest();
    try {
      for (const a of attested) {
        if (!(a instanceof AttestedRecord)) throw bad('decode.invalid', 'attested must hold AttestedRecord objects');
        req.attested(a._raw());
      }
      for (const x of d) req.disclose(x);
      for (const x of p) req.prove(x);
      req.backend(b);
      return fn(req);
    } finally {
      req.free();
    }
  }

  /** Groth16: proves statement `index` of the options' `prove` alone (parallel proving). */
  function proveStatement(options = {}, index) {
    const { holder, challenge, keys, onProgress } = options;
    if (!Number.isInteger(index) || index < 0 || index > 65535) throw bad('decode.invalid', 'index must be an integer 0..65535');
    const c = bytesArg(challenge, 'challenge');
    const cb = fnArg(onProgress, 'onProgress');
    if (!(keys instanceof KeyRing)) throw bad('decode.invalid', 'keys must be a KeyRing');
    return call((g) => withRequest(g, options, (req) => req.proveStatement(
      partyArg(holder, 'holder'), c, keys._raw(), index, cb)));
  }

  /** Groth16: the presentation from proofs made by proveStatement, checked, then signed. */
  function assemblePresentation(options = {}, proofs) {
    const { holder, challenge, keys } = options;
    const c = bytesArg(challenge, 'challenge');
    if (!Array.isArray(proofs)) throw bad('decode.invalid', 'proofs must be an array of Uint8Array');
    const ps = proofs.map((x) => bytesArg(x, 'proof'));
    if (!(keys instanceof KeyRing)) throw bad('decode.invalid', 'keys must be a KeyRing');
    return call((g) => withRequest(g, { ...options, backend: 'groth16' },
      (req) => req.assemble(partyArg(holder, 'holder'), c, keys._raw(), ps)));
  }

  function presentationCircuits({ attested, prove = [], backend = 'groth16' } = {}) {
    if (backend !== 'groth16') return [];
    const n = Array.isArray(attested) ? attested.length : Number(attested ?? 1);
    return statementCircuits(prove, n);
  }

  function verifyPresentation(presentation, { issuers, challenge, now, keys, revocationLists } = {}) {
    const b = bytesArg(presentation, 'presentation', true);
    const iss = textList(issuers ?? [], 'issuers', pubText);
    const c = bytesArg(challenge, 'challenge');
    const t = u64Arg(now ?? BigInt(Math.floor(Date.now() / 1000)), 'now');
    const lists = revocationLists === undefined ? undefined
      : textList(revocationLists, 'revocationLists', (x) => bytesArg(x, 'revocation list', true));
    return call((g) => withKeys(g, keys, (ring) => g.verifyPresentation(b, iss, c, t, ring, lists)));
  }
  const inspectPresentation = (presentation) => {
    const b = bytesArg(presentation, 'presentation', true);
    return call((g) => g.inspectPresentation(b));
  };

  class MemberSecret extends Handle {
    static random() { return call((g, gen) => new MemberSecret(g.MemberSecret.random(), gen)); }
    static fromHex(text) { return call((g, gen) => new MemberSecret(g.MemberSecret.fromHex(strArg(text, 'text')), gen)); }
    toHex() { return call(() => this._raw().toHex()); }
    get leaf() { return call(() => this._raw().leaf); }
  }

  function depthArg(d) {
    if (!Number.isInteger(d) || d < 0 || d > 255) throw bad('decode.invalid', 'depth must be an integer 1..32');
    return d;
  }
  const membershipRoot = (leaves, depth) => {
    const l = strArg(leaves, 'leaves');
    const d = depthArg(depth);
    return call((g) => g.membershipRoot(l, d));
  };
  function proveMembership({ secret, leaves, depth, context, challenge, keys, onProgress } = {}) {
    if (!(secret instanceof MemberSecret)) throw bad('decode.invalid', 'secret must be a MemberSecret');
    const l = strArg(leaves, 'leaves');
    const d = depthArg(depth);
    const ctx = optStr(context, 'context');
    const c = bytesArg(challenge, 'challenge');
    const cb = fnArg(onProgress, 'onProgress');
    if (!(keys instanceof KeyRing)) throw bad('decode.invalid', 'keys must be a KeyRing');
    return call((g) => {
      needProver(g, 'proveMembership');
      return g.proveMembership(secret._raw(), l, d, ctx, c, keys._raw(), cb);
    });
  }
  function verifyMembership(proof, { root, depth, context, challenge, keys } = {}) {
    const p = strArg(typeof proof === 'string' ? proof : new TextDecoder().decode(bytesArg(proof, 'proof')), 'proof');
    const r = strArg(root, 'root');
    const d = depthArg(depth);
    const ctx = optStr(context, 'context');
    const c = bytesArg(challenge, 'challenge');
    if (!(keys instanceof KeyRing)) throw bad('decode.invalid', 'keys must be a KeyRing');
    return call((g) => g.verifyMembership(p, r, d, ctx, c, keys._raw()));
  }
  const verifyingKeyId = (data) => {
    const b = bytesArg(data, 'data', true);
    return call((g) => g.verifyingKeyId(b));
  };

  function verifyBundle(bundle, { logKey, origin, trustedCheckpoint } = {}) {
    const b = bytesArg(bundle, 'bundle', true);
    const k = pubText(logKey, 'logKey');
    const o = optStr(origin, 'origin');
    const t = optStr(trustedCheckpoint, 'trustedCheckpoint');
    const v = call((g) => g.verifyBundle(b, k, o, t));
    if (v.receiptJson !== undefined) {
      v.receipt = JSON.parse(v.receiptJson);
      delete v.receiptJson;
    }
    return v;
  }
  function verifyAnchorReceipt(receipt, { logKey, anchoredCheckpoint, chainId, contract, origin } = {}) {
    const b = bytesArg(receipt, 'receipt', true);
    const k = pubText(logKey, 'logKey');
    const n = strArg(anchoredCheckpoint, 'anchoredCheckpoint');
    const id = u64Arg(chainId, 'chainId');
    const ct = strArg(contract, 'contract');
    const o = optStr(origin, 'origin');
    return call((g) => g.verifyAnchorReceipt(b, k, n, id, ct, o));
  }
  function policyText(policy) {
    if (typeof policy === 'string') return policy;
    if (policy !== null && typeof policy === 'object' && !Array.isArray(policy)) return JSON.stringify(policy);
    throw bad('decode.invalid', 'policy must be the trust policy JSON (text or object)');
  }
  /** Verifies a provenance bundle (tag 0x52) with the verifier's log key, origin and policy. */
  function verifyProvenance(bundle, { logKey, origin, policy, product, chain } = {}) {
    const b = bytesArg(bundle, 'bundle');
    const k = pubText(logKey, 'logKey');
    const o = strArg(origin, 'origin');
    const pol = policyText(policy);
    const pr = optStr(product, 'product');
    let id; let ct;
    if (chain !== undefined && chain !== null) {
      if (typeof chain !== 'object') throw bad('decode.invalid', 'chain must be {chainId, contract}');
      id = u64Arg(chain.chainId, 'chain.chainId');
      ct = strArg(chain.contract, 'chain.contract');
    }
    return call((g) => g.verifyProvenance(b, k, o, pol, pr, id, ct));
  }
  /** What a provenance bundle claims, unverified. */
  const inspectProvenance = (bundle) => {
    const b = bytesArg(bundle, 'bundle');
    return call((g) => g.inspectProvenance(b));
  };
  const validate = (kind, data) => {
    const k = strArg(kind, 'kind');
    const b = bytesArg(data, 'data', true);
    call((g) => g.validate(k, b));
  };

  // Every function leaves with a CausewayError, whatever its argument checks ran into.
  const guard = (fn) => function guarded(...args) {
    try {
      const r = fn.apply(this, args);
      return r instanceof Promise ? r.catch((e) => { throw fromThrown(e); }) : r;
    } catch (e) {
      throw fromThrown(e);
    }
  };
  for (const C of [PublicKeys, Party, AttestedRecord, KeyRing, MemberSecret]) {
    for (const target of [C, C.prototype]) {
      for (const name of Object.getOwnPropertyNames(target)) {
        const d = Object.getOwnPropertyDescriptor(target, name);
        if (name === 'constructor' || name === 'prototype' || name === 'length' || name === 'name') continue;
        if (typeof d.value === 'function') d.value = guard(d.value);
        if (d.get) d.get = guard(d.get);
        if (d.configurable) Object.defineProperty(target, name, d);
      }
    }
  }
  const api = {
    PublicKeys, Party, AttestedRecord, KeyRing, MemberSecret,
    seal, open, openSealed, openBinary, openForeignJwe, grant, revoke, inspect,
    issueAttestation, setupCircuit, randomChallenge, statementCircuits, presentationCircuits,
    createPresentation, verifyPresentation, inspectPresentation, proveStatement, assemblePresentation,
    membershipRoot, proveMembership, verifyMembership, verifyingKeyId,
    verifyBundle, verifyAnchorReceipt, validate, fetchKey,
    verifyProvenance, inspectProvenance,
    version: () => call((g) => g.version()),
    hasProver: () => call((g) => g.hasProver()),
    errorCodes: () => call((g) => g.errorCodes()),
    liveHandles: () => live,
    // Test-only: traps on purpose; the export exists only in a build with the `self-test`
    // feature (bindings-wasm/pkg-test), never in the package.
    _selfTestTrap: () => call((g) => {
      if (typeof g.selfTestTrap !== 'function') {
        throw new UnsupportedError('prove.unsupported', 'built without the self-test feature');
      }
      g.selfTestTrap();
    }),
    // Test-only: another `selfTest*` export of the self-test build by name (src/selftest.rs:
    // `selfTestFieldOps`, `selfTestMembershipVector`; decision 0103).
    _selfTest: (name, ...args) => call((g) => {
      if (!/^selfTest[A-Z]/.test(String(name)) || typeof g[name] !== 'function') {
        throw new UnsupportedError('prove.unsupported', 'built without the self-test feature');
      }
      return g[name](...args);
    }),
  };
  for (const k of Object.keys(api)) {
    if (typeof api[k] === 'function' && !/^[A-Z]/.test(k)) api[k] = guard(api[k]);
  }
  return api;
}
