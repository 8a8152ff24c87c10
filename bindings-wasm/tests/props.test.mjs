// Property tests (fast-check): whatever bytes, strings, numbers or objects reach the exports —
// junk, or valid objects with bytes changed, cut or extended — the only thing thrown is a
// CausewayError of a non-internal kind, and the instance keeps working (no trap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import path from 'node:path';
import { load, b64u, readJson, VECTORS } from './helpers.mjs';

const cw = await load();
const RUNS = Number(process.env.CAUSEWAY_PROPERTY_RUNS ?? 10_000);
const NOW = 1_800_000_000n;

const alice = cw.Party.generate();
const bob = cw.Party.generate();
const held = cw.issueAttestation({ schema: 's/v1', fields: { age: { type: 'int', value: 30n }, n: { type: 'string', value: 'x' } } },
  { issuer: alice, subject: bob, notBefore: 0n, notAfter: 2n ** 40n });
const challenge = cw.randomChallenge();
const presentation = cw.createPresentation({ holder: bob, attested: [held], prove: ['age >= 18'], disclose: ['n'], challenge }).bytes;
const sealedBin = cw.seal({ schema: 's', fields: { a: { type: 'int', value: 1n } } }, { owner: alice, recipients: [bob] });
const sealedJwe = cw.seal(new Uint8Array([1, 2, 3]), { owner: alice, recipients: [bob], form: 'jwe' });
const attBytes = held.attestationBytes();
const heldBytes = held.toBytes();
const vk = cw.setupCircuit('membership:2');
const ring = new cw.KeyRing().addVerifyingKey(vk.circuit, vk.keyId, vk.verifyingKey);

const prov = readJson(path.join(VECTORS, 'provenance/bundle.json'));
const provBundle = b64u(prov.bundle_b64u);

const VALID = [sealedBin, sealedJwe, presentation, attBytes, heldBytes, vk.verifyingKey, provBundle];

// a valid object with up to 4 bytes changed, a cut, or junk appended
const mutated = fc.tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
  fc.option(fc.nat()), fc.option(fc.uint8Array({ maxLength: 8 })))
  .map(([base, flips, cut, tail]) => {
    let b = base.slice();
    for (const [i, x] of flips) b[i % b.length] ^= x;
    if (cut !== null) b = b.slice(0, cut % (b.length + 1));
    if (tail !== null) { const t = new Uint8Array(b.length + tail.length); t.set(b); t.set(tail, b.length); b = t; }
    return b;
  });
const bytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated, mutated);
const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('cwpub1', 'groth16vk1', 'attribute', 'sum:0', 'membership:99', '{}', '[]', 'null'),
  bytes.map((b) => new TextDecoder().decode(b)));
const anything = fc.oneof(bytes, text, fc.bigInt(), fc.integer(), fc.double(), fc.constant(null), fc.constant(undefined),
  fc.object(), fc.array(fc.string(), { maxLength: 3 }));
const big = fc.oneof(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.integer(), fc.constant(undefined));

const OPS = {
  open: (a) => cw.open(a, { party: bob }),
  openForeignJwe: (a) => cw.openForeignJwe(a, bob),
  inspect: (a) => cw.inspect(a),
  grant: (a) => cw.grant(a, { owner: alice, to: bob }),
  revoke: (a, b) => cw.revoke(a, { owner: alice, recipient: b }),
  verifyPresentation: (a, _b, n) => cw.verifyPresentation(a, { issuers: [alice], challenge, now: n }),
  inspectPresentation: (a) => cw.inspectPresentation(a),
  attestedFromBytes: (a) => cw.AttestedRecord.fromBytes(a).free(),
  validate: (a, b) => cw.validate(typeof b === 'string' ? b : 'attestation', a),
  publicKeysParse: (_a, b) => cw.PublicKeys.parse(b).free(),
  partyFromSecret: (_a, b) => cw.Party.fromSecretText(b).free(),
  seal: (a, b) => cw.seal(a, { owner: alice, recipients: [b] }),
  sealRecord: (_a, b, n) => cw.seal({ schema: b, fields: { x: { type: 'int', value: n } } }, { owner: alice }),
  addVerifyingKey: (a, b) => new cw.KeyRing().addVerifyingKey(b, vk.keyId, a).free(),
  addProvingKey: (a, b) => new cw.KeyRing().addProvingKey('attribute', b, a).free(),
  verifyingKeyId: (a) => cw.verifyingKeyId(a),
  verifyMembership: (a, b) => cw.verifyMembership(a, { root: b, depth: 2, challenge, keys: ring }),
  membershipRoot: (_a, b, n) => cw.membershipRoot(b, typeof n === 'number' ? n : 2),
  verifyBundle: (a, b) => cw.verifyBundle(a, { logKey: alice, origin: b }),
  verifyAnchorReceipt: (a, b, n) => cw.verifyAnchorReceipt(a, { logKey: alice, anchoredCheckpoint: b, chainId: n, contract: '0x' + '00'.repeat(20) }),
  verifyProvenance: (a, b, n) => cw.verifyProvenance(a, {
    logKey: prov.log_key, origin: prov.origin, product: typeof b === 'string' && b.length < 20 ? b : undefined,
    policy: typeof b === 'string' && b.startsWith('{') ? b : prov.policy,
    chain: n === undefined ? undefined : { chainId: n, contract: '0x' + '00'.repeat(20) },
  }),
  inspectProvenance: (a) => cw.inspectProvenance(a),
  statementCircuits: (_a, b) => cw.statementCircuits([b], 1),
  createPresentation: (_a, b) => cw.createPresentation({ holder: bob, attested: [held], prove: [b], challenge }),
};

test(`${RUNS} random calls across the exports raise only typed, non-internal errors`, () => {
  const thrown = new Map();
  fc.assert(fc.property(fc.constantFrom(...Object.keys(OPS)), bytes, text, big, anything, (op, a, b, n, junk) => {
    for (const args of [[a, b, n], [junk, junk, junk]]) {
      try {
        OPS[op](...args);
      } catch (e) {
        if (!cw.isCausewayError(e) || e.kind === 'internal') {
          throw new Error(`${op} threw ${e && e.name} ${e && e.code}: ${e && e.message}`);
        }
        thrown.set(e.code, (thrown.get(e.code) ?? 0) + 1);
      }
    }
  }), { numRuns: RUNS });
  // the same instance is still the one in use (no trap happened) and still works
  assert.equal(cw.open(sealedBin, { party: bob }).contentType, 'record');
  // the inputs reached core's decoders, not only the wrapper's checks
  assert.ok([...thrown.keys()].filter((c) => c.startsWith('decode.')).length >= 4, [...thrown.keys()].join(' '));
});
