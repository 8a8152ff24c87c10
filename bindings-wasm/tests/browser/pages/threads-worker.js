// A module Worker driven by threads.html (the threads browser test and bench/threads.mjs): loads
// one entry of the package (`causeway-wasm/threads` with a pool, or the full entry), then runs
// the operations the page posts: {id, op, args} -> {id, ok, value | error}.
let cw = null;
let keys = null; // { circuit, keyId, provingKey, verifyingKey }
let provingRing = null; // the KeyRing of `keys` (loaded once: bench/browser.mjs times proofs only)
const held = new Map(); // fixture name -> { issuer, holder, attested: AttestedRecord[] }

const b64 = {
  enc: (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)); return btoa(s); },
  dec: (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)),
};

function fixture(name) {
  const issuer = cw.Party.generate();
  const holder = cw.Party.generate();
  const terms = (i) => ({ issuer, subject: holder, notBefore: 0n, notAfter: 2n ** 40n, recordId: `${name} ${i}` });
  const attested = name === 'sum:4'
    ? [0, 1, 2, 3].map((i) => cw.issueAttestation(
      { schema: 'invoice/v1', fields: { amount: { type: 'int', value: 300_000n + BigInt(i) } } }, terms(i)))
    : [cw.issueAttestation({ schema: 'person/v1', fields: { age: { type: 'int', value: 34n } } }, terms(0))];
  return { issuer, holder, attested };
}
const STATEMENT = { attribute: 'age >= 18', 'sum:4': 'sum(amount) >= 1000000' };

function ring(k) {
  return new cw.KeyRing().addProvingKey(k.circuit, k.keyId, k.provingKey);
}

const ops = {
  async load({ entry, threads }) {
    cw = await import(entry);
    await cw.init();
    if (threads) await cw.initThreadPool(threads);
    const threaded = typeof cw.initThreadPool === 'function';
    // the threaded entry refuses every call before its pool runs
    const callable = !threaded || threads > 0;
    return {
      isolated: self.crossOriginIsolated === true,
      threads: threaded ? cw.threadCount() : 1,
      hasThreads: callable && threaded ? cw.hasThreads() : false,
      version: callable ? cw.version() : undefined,
    };
  },
  hasThreads() { return cw.hasThreads(); },
  initThreadPool({ threads }) { return cw.initThreadPool(threads); },
  threadCount() { return cw.threadCount(); },
  version() { return cw.version(); },
  async ready() { await cw.ready(); return cw.threadCount(); },
  trap() { cw._selfTestTrap(); },
  challenge() { return b64.enc(cw.randomChallenge()); },
  // Groth16 keys: made here (setupCircuit) or given (base64, e.g. from `causeway setup`).
  setup({ circuit, given }) {
    provingRing?.free();
    provingRing = null;
    keys = given
      ? { circuit, keyId: given.keyId, provingKey: b64.dec(given.provingKey), verifyingKey: b64.dec(given.verifyingKey) }
      : { circuit, ...cw.setupCircuit(circuit) };
    return { keyId: keys.keyId, provingKey: b64.enc(keys.provingKey), verifyingKey: b64.enc(keys.verifyingKey) };
  },
  // Attested records for a circuit's statement: made here, or given (from another Worker).
  fixture({ circuit, given }) {
    const f = given
      ? {
        issuer: cw.Party.fromSecretText(given.issuer),
        holder: cw.Party.fromSecretText(given.holder),
        attested: given.attested.map((a) => cw.AttestedRecord.fromBytes(b64.dec(a))),
      }
      : fixture(circuit);
    held.set(circuit, f);
    return {
      issuer: f.issuer.toSecretText(),
      issuerPublic: f.issuer.publicKeys.toText(),
      holder: f.holder.toSecretText(),
      attested: f.attested.map((a) => b64.enc(a.toBytes())),
    };
  },
  // Proves the circuit's statement with Groth16 `repeat` times (wall-clock ms of each); `seed`
  // (a decimal string) uses the self-test build's seeded RNG.
  present({ circuit, challenge, seed, repeat = 1, badKeyByte }) {
    const f = held.get(circuit);
    let kr;
    if (badKeyByte !== undefined) {
      const pk = keys.provingKey.slice();
      pk[badKeyByte] ^= 1;
      kr = new cw.KeyRing().addProvingKey(keys.circuit, keys.keyId, pk);
    } else {
      provingRing ??= new cw.KeyRing().addProvingKey(keys.circuit, keys.keyId, keys.provingKey);
      kr = provingRing;
    }
    const ms = [];
    let p;
    try {
      for (let i = 0; i < repeat; i += 1) {
        const t0 = performance.now();
        p = cw.createPresentation({
          holder: f.holder, attested: f.attested, prove: [STATEMENT[circuit]], backend: 'groth16',
          challenge: b64.dec(challenge), keys: kr,
          ...(seed !== undefined ? { _selfTestSeed: BigInt(seed) } : {}),
        });
        ms.push(performance.now() - t0);
      }
    } finally {
      if (kr !== provingRing) kr.free();
    }
    return { bytes: b64.enc(p.bytes), json: p.json, ms };
  },
  verify({ circuit, bytes, challenge }) {
    const f = held.get(circuit);
    const kr = new cw.KeyRing().addVerifyingKey(keys.circuit, keys.keyId, keys.verifyingKey);
    try {
      const v = cw.verifyPresentation(b64.dec(bytes), { issuers: [f.issuer.publicKeys], challenge: b64.dec(challenge), keys: kr });
      return { backend: v.backend, statements: v.statements };
    } finally {
      kr.free();
    }
  },
};

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    postMessage({ id, ok: true, value: await ops[op](args ?? {}) });
  } catch (e) {
    postMessage({ id, ok: false, error: { name: e?.name, code: e?.code, kind: e?.kind, message: String(e?.message ?? e) } });
  }
};
postMessage({ id: 0, ok: true, value: 'started' });
