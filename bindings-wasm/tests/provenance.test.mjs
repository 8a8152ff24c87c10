// verifyProvenance: the shared vectors (tests/vectors/provenance, as tests/tests/
// provenance_vectors.rs runs them) give the same timelines and error codes as in Rust; an
// anchored bundle made by the demo's fixture generator (examples/examples/web_fixtures.rs)
// verifies with its chain pinned and is refused for another chain, product, origin, log key or
// policy, and with any single changed bit outside the anchoring block's hash (unsigned in the
// receipt, checked only online, as in tests/tests/provenance.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load, b64u, readJson, VECTORS, ROOT } from './helpers.mjs';

const cw = await load();
const DIR = path.join(VECTORS, 'provenance');

// The timeline as core's VerifiedProvenance::to_json writes it (snake_case), from the JS view.
function asCoreJson(e) {
  return {
    details: e.details && { ciphertext_hash: e.details.ciphertextHash, record_id: e.details.recordId },
    fields: e.fields,
    hash: e.hash,
    index: Number(e.index),
    party: e.party,
    seq: e.seq,
    signer: e.signer,
    step: e.step,
    time_ms: Number(e.timeMs),
  };
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

test('the provenance vectors verify as in Rust, refused ones with the same codes', () => {
  assert.ok(files.length >= 10, 'the provenance vectors are missing');
  for (const f of files) {
    const v = readJson(path.join(DIR, f));
    const opts = { logKey: v.log_key, origin: v.origin, policy: v.policy, product: v.product };
    const bytes = b64u(v.bundle_b64u);
    if (v.expect.verified) {
      const got = cw.verifyProvenance(bytes, opts);
      assert.equal(got.product, v.product, f);
      assert.equal(got.origin, v.origin, f);
      assert.equal(got.checkpoint.size, BigInt(v.expect.checkpoint_size), f);
      assert.deepEqual(got.events.map(asCoreJson), v.expect.timeline, f);
      assert.equal(got.anchor, null, f);
      // the policy as text reads the same as the object
      assert.deepEqual(cw.verifyProvenance(bytes, { ...opts, policy: JSON.stringify(v.policy) }).events.length, got.events.length);
    } else {
      assert.throws(() => cw.verifyProvenance(bytes, opts), (e) => {
        assert.ok(cw.isCausewayError(e), `${f}: ${e}`);
        assert.equal(e.code, v.expect.fails_with, `${f}: ${e.message}`);
        return true;
      }, f);
    }
  }
});

test('inspectProvenance reads the claims without trusting them', () => {
  const v = readJson(path.join(DIR, 'bundle.json'));
  const i = cw.inspectProvenance(b64u(v.bundle_b64u));
  assert.deepEqual(i, { product: v.product, events: 5, checkpointSize: BigInt(v.expect.checkpoint_size), anchored: false, origin: v.origin });
});

test('the vector bundle is refused for another product, origin or a policy without the farm', () => {
  const v = readJson(path.join(DIR, 'bundle.json'));
  const bytes = b64u(v.bundle_b64u);
  const opts = { logKey: v.log_key, origin: v.origin, policy: v.policy, product: v.product };
  const code = (o) => {
    try { cw.verifyProvenance(bytes, o); } catch (e) { return e.code; }
    return 'verified';
  };
  assert.equal(code(opts), 'verified');
  assert.equal(code({ ...opts, product: 'MILK-POWDER-2026-0043' }), 'trace.wrong_product');
  // the checkpoint's signature binds the origin: another origin fails there first
  assert.equal(code({ ...opts, origin: 'elsewhere.example/trace' }), 'log.bad_signature');
  const noFarm = { ...v.policy, steps: v.policy.steps.filter((s) => s.step !== 'produced') };
  assert.equal(code({ ...opts, policy: noFarm }), 'trace.untrusted_signer');
  // a chain pinned on a bundle without an anchor receipt
  assert.equal(code({ ...opts, chain: { chainId: 31337n, contract: `0x${'ab'.repeat(20)}` } }), 'anchor.invalid');
});

test('arguments are checked before core sees them', () => {
  const v = readJson(path.join(DIR, 'bundle.json'));
  const bytes = b64u(v.bundle_b64u);
  const opts = { logKey: v.log_key, origin: v.origin, policy: v.policy };
  const code = (b, o) => {
    try { cw.verifyProvenance(b, o); } catch (e) { assert.ok(cw.isCausewayError(e), String(e)); return e.code; }
    return 'verified';
  };
  assert.equal(code(v.bundle_b64u, opts), 'decode.invalid'); // bytes, not text
  assert.equal(code(bytes, { ...opts, origin: undefined }), 'decode.invalid');
  assert.equal(code(bytes, { ...opts, policy: 42 }), 'decode.invalid');
  assert.equal(code(bytes, { ...opts, policy: '{"version": 1, "parties": [' }), 'decode.json');
  assert.equal(code(bytes, { ...opts, chain: { chainId: 31337, contract: `0x${'ab'.repeat(20)}` } }), 'record.invalid_value');
  assert.equal(code(bytes, { ...opts, chain: { chainId: -1n, contract: `0x${'ab'.repeat(20)}` } }), 'record.invalid_value');
  assert.equal(code(bytes, { ...opts, chain: { chainId: 1n, contract: '0x1234' } }), 'decode.invalid');
  assert.equal(code(bytes, { ...opts, logKey: 'cwpub1nope' }), 'decode.invalid_text');
  assert.equal(code(new Uint8Array(0), opts), 'decode.truncated');
  assert.equal(code(bytes.subarray(0, bytes.length - 1), opts), 'decode.truncated');
});

// The demo's anchored bundle: made by the project's own generator (the test stage builds it;
// examples/web/serve.mjs builds and runs it when missing or stale).
const { ensureFixtures, FIXTURES } = await import(path.join(ROOT, 'examples/web/serve.mjs'));
const m = ensureFixtures();
const fx = (name) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const P = m.product;
const policy = readFileSync(path.join(FIXTURES, P.policy), 'utf8');
const chain = { chainId: BigInt(P.chain.chainId), contract: P.chain.contract };
const base = { logKey: P.logKey, origin: P.origin, policy, product: P.id, chain };
const anchored = fx(P.bundle);

test('an anchored bundle verifies with its chain pinned; its timeline and anchor facts', () => {
  const v = cw.verifyProvenance(anchored, base);
  assert.deepEqual(v.events.map((e) => e.step), ['produced', 'inspected', 'shipped', 'received', 'sold']);
  assert.deepEqual(v.events.map((e) => e.party), ['farm', 'lab', 'carrier', 'shop', 'shop']);
  assert.deepEqual(v.events.map((e) => e.seq), [0, 1, 2, 3, 4]);
  for (let i = 1; i < v.events.length; i++) assert.ok(v.events[i].timeMs > v.events[i - 1].timeMs);
  assert.equal(v.events[0].fields.origin, 'Waikato, NZ');
  assert.notEqual(v.events[1].details, null);
  assert.equal(v.anchor.chainId, 31337n);
  assert.equal(v.anchor.contract, P.chain.contract);
  assert.equal(v.anchor.chainPinned, true);
  assert.equal(v.anchor.check, 'statement');
  assert.equal(v.anchor.size, v.checkpoint.size);
  assert.equal(v.anchor.index, v.events[4].index);
  // without the pin, the chain the statement names is checked, and the result says so
  const loose = cw.verifyProvenance(anchored, { ...base, chain: undefined });
  assert.equal(loose.anchor.chainPinned, false);
  // the same receipt alone, against the anchored checkpoint
  const a = cw.verifyAnchorReceipt(fx(P.anchorReceipt), {
    logKey: P.logKey, anchoredCheckpoint: readFileSync(path.join(FIXTURES, P.anchoredCheckpoint), 'utf8'),
    chainId: chain.chainId, contract: chain.contract, origin: P.origin,
  });
  assert.equal(a.index, v.anchor.index);
  assert.equal(a.anchoredValue, v.anchor.anchoredValue);
});

test('the anchored bundle is refused for another chain, registry, log key, product, or tampered', () => {
  const code = (b, o) => {
    try { cw.verifyProvenance(b, o); } catch (e) { assert.ok(cw.isCausewayError(e), String(e)); return e.code; }
    return 'verified';
  };
  assert.equal(code(anchored, { ...base, chain: { ...chain, chainId: 1n } }), 'anchor.wrong_chain');
  assert.equal(code(anchored, { ...base, chain: { ...chain, contract: `0x${'00'.repeat(20)}` } }), 'anchor.wrong_chain');
  assert.equal(code(anchored, { ...base, logKey: m.bank.key }), 'log.bad_signature');
  assert.equal(code(anchored, { ...base, product: 'MILK-POWDER-2026-0043' }), 'trace.wrong_product');
  assert.equal(code(fx(P.tampered), base), P.tamperedCode);
  assert.equal(P.tamperedCode, 'log.invalid_receipt');
});

test('every changed bit of the anchored bundle is refused, except in the unsigned block hash', () => {
  const v = cw.verifyProvenance(anchored, base);
  const bh = Buffer.from(v.anchor.blockHash, 'hex');
  const at = Buffer.from(anchored).indexOf(bh);
  assert.ok(at > 0);
  assert.equal(Buffer.from(anchored).indexOf(bh, at + 1), -1);
  let refused = 0;
  for (let i = 0; i < anchored.length; i++) {
    if (i >= at && i < at + 32) continue;
    const x = anchored.slice();
    x[i] ^= 0x04;
    assert.throws(() => cw.verifyProvenance(x, base), (e) => cw.isCausewayError(e), `flip at ${i}`);
    refused += 1;
  }
  assert.equal(refused, anchored.length - 32);
});
