// The threaded variant (`causeway-wasm/threads`, decision 0094) in headless Chromium:
// - in a cross-origin isolated page, a module Worker loads pkg/threads, starts a pool of two
//   threads and proves a Groth16 `attribute` presentation under keys made by the CLI; it
//   verifies in wasm and in the CLI (native Rust), and not under another challenge;
// - the threaded build (pkg-test/threads, 2 threads) and the single-threaded one
//   (pkg-test/index.js) make the same bytes for the same RNG seed (different bytes for another);
// - a trap poisons the threaded instance; ready() loads a new one with a new pool;
// - refusals: a page that is not cross-origin isolated, the page's main thread, pool sizes out
//   of range, calls before the pool, a second pool size, a proving key with a changed byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, withPage, ROOT } from './harness.mjs';

const MOUNTS = {
  '/': 'bindings-wasm/tests/browser/pages',
  '/pkg/': 'bindings-wasm/pkg',
  '/pkg-test/': 'bindings-wasm/pkg-test',
};
const CLI = process.env.CAUSEWAY_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug', 'causeway');
const dir = mkdtempSync(path.join(tmpdir(), 'cw-wasm-threads-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const cli = (...args) => execFileSync(CLI, args, { encoding: 'buffer', stdio: ['pipe', 'pipe', 'pipe'] });

async function onPage(isolated, fn) {
  const server = await serve(MOUNTS, { isolated });
  try {
    return await withPage(async (page) => {
      await page.goto(`${server.url}/threads.html`);
      await page.waitForFunction(() => window.pageReady === true, null, { timeout: 30_000 });
      const out = await fn(page);
      assert.deepEqual(page.causewayErrors, []);
      return out;
    });
  } finally {
    await server.close();
  }
}

// One `causeway setup --circuit attribute` per run (a real Groth16 setup by the CLI, made on
// first use), shared by the tests that prove under CLI-made keys: a second setup of the same
// circuit checked nothing the first does not.
let cliKeys;
function attributeKeys() {
  if (!cliKeys) {
    const kd = path.join(dir, 'keys');
    cli('setup', '--circuit', 'attribute', '--out', kd);
    const keyId = JSON.stringify(JSON.parse(readFileSync(path.join(kd, 'keys.json'), 'utf8'))).match(/groth16vk1[a-z0-9]+/)[0];
    cliKeys = {
      kd,
      keyId,
      pk: readFileSync(path.join(kd, `${keyId}.pk`)).toString('base64'),
      vk: readFileSync(path.join(kd, `${keyId}.vk`)).toString('base64'),
    };
  }
  return cliKeys;
}

test('the CLI binary exists (built by the test stage)', () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: build it with cargo build -p causeway-cli`);
});

test('threads: a Worker in an isolated page proves with 2 threads; the presentation verifies in wasm and in the CLI', { timeout: 600_000 }, async () => {
  const { kd, keyId, pk, vk } = attributeKeys();
  const given = { keyId, provingKey: pk, verifyingKey: vk };
  const r = await onPage(true, (page) => page.evaluate(async (given) => {
    const w = await window.spawn();
    const refusals = {};
    const code = (p) => p.then(() => 'resolved', (e) => `${e.name}:${e.code}`);
    const loaded = await w.call('load', { entry: '/pkg/threads.js' });
    // before the pool: every call is refused (a rayon call would fix a one-thread pool)
    refusals.beforePool = await code(w.call('version'));
    refusals.zero = await code(w.call('initThreadPool', { threads: 0 }));
    refusals.tooMany = await code(w.call('initThreadPool', { threads: 65 }));
    refusals.fraction = await code(w.call('initThreadPool', { threads: 1.5 }));
    await w.call('initThreadPool', { threads: 2 });
    refusals.again = await code(w.call('initThreadPool', { threads: 2 }));
    refusals.otherSize = await code(w.call('initThreadPool', { threads: 3 }));
    const threads = await w.call('threadCount');
    const hasThreads = await w.call('hasThreads');
    await w.call('setup', { circuit: 'attribute', given });
    const fx = await w.call('fixture', { circuit: 'attribute' });
    const challenge = await w.call('challenge');
    const p = await w.call('present', { circuit: 'attribute', challenge });
    const v = await w.call('verify', { circuit: 'attribute', bytes: p.bytes, challenge });
    const other = await w.call('challenge');
    refusals.otherChallenge = await code(w.call('verify', { circuit: 'attribute', bytes: p.bytes, challenge: other }));
    refusals.badKey = await code(w.call('present', { circuit: 'attribute', challenge, badKeyByte: 200 }));
    w.terminate();
    return { loaded, refusals, threads, hasThreads, p, v, challenge, issuer: fx.issuerPublic, isolated: self.crossOriginIsolated };
  }, given));
  assert.equal(r.isolated, true);
  assert.equal(r.loaded.isolated, true);
  assert.equal(r.loaded.threads, 0);
  assert.equal(r.hasThreads, true);
  assert.equal(r.threads, 2);
  assert.deepEqual(r.refusals, {
    beforePool: 'InternalError:internal.not_initialized',
    zero: 'MalformedError:decode.invalid',
    tooMany: 'MalformedError:decode.invalid',
    fraction: 'MalformedError:decode.invalid',
    again: 'resolved',
    otherSize: 'MalformedError:decode.invalid',
    otherChallenge: 'DeniedError:verify.bad_signature',
    badKey: r.refusals.badKey, // checked below: any typed refusal, never a proof
  });
  assert.match(r.refusals.badKey, /^(Malformed|Denied|Unsupported)Error:/, r.refusals.badKey);
  assert.equal(r.v.backend, 'groth16');
  assert.deepEqual(r.v.statements, ['age >= 18']);
  // the same presentation verifies natively (the CLI), and not under another challenge
  writeFileSync(path.join(dir, 'p.json'), r.p.json);
  const hexOf = (b64) => Buffer.from(b64, 'base64').toString('hex');
  const v = JSON.parse(cli('--json', 'verify', '-i', path.join(dir, 'p.json'), '--issuer', r.issuer,
    '--challenge', hexOf(r.challenge), '--keys', kd, '--require', 'age >= 18').toString());
  assert.equal(v.backend, 'groth16');
  assert.throws(() => cli('verify', '-i', path.join(dir, 'p.json'), '--issuer', r.issuer,
    '--challenge', '00'.repeat(32), '--keys', kd));
  // a changed byte in the presentation is refused natively too
  const bytes = Buffer.from(r.p.bytes, 'base64');
  bytes[bytes.length - 40] ^= 1;
  writeFileSync(path.join(dir, 'p.bin'), bytes);
  assert.throws(() => cli('verify', '-i', path.join(dir, 'p.bin'), '--issuer', r.issuer,
    '--challenge', hexOf(r.challenge), '--keys', kd));
});

test('threads: the same seed gives the same presentation bytes with 2 threads as single-threaded', { timeout: 600_000 }, async () => {
  const r = await onPage(true, (page) => page.evaluate(async () => {
    const t = await window.spawn();
    const s = await window.spawn();
    await t.call('load', { entry: '/pkg-test/threads.js', threads: 2 });
    await s.call('load', { entry: '/pkg-test/index.js' });
    const keys = await s.call('setup', { circuit: 'attribute' });
    await t.call('setup', { circuit: 'attribute', given: keys });
    const fx = await s.call('fixture', { circuit: 'attribute' });
    await t.call('fixture', { circuit: 'attribute', given: fx });
    const challenge = await s.call('challenge');
    const seed = '123456789';
    const one = await s.call('present', { circuit: 'attribute', challenge, seed });
    const two = await t.call('present', { circuit: 'attribute', challenge, seed });
    const twoAgain = await t.call('present', { circuit: 'attribute', challenge, seed });
    const otherSeed = await t.call('present', { circuit: 'attribute', challenge, seed: '123456790' });
    const v = await s.call('verify', { circuit: 'attribute', bytes: two.bytes, challenge });
    const threads = await t.call('threadCount');
    t.terminate();
    s.terminate();
    return { one: one.bytes, two: two.bytes, twoAgain: twoAgain.bytes, otherSeed: otherSeed.bytes, v, threads };
  }));
  assert.equal(r.threads, 2);
  assert.ok(r.one.length > 100);
  assert.equal(r.two, r.one, 'threaded and single-threaded bytes differ for the same seed');
  assert.equal(r.twoAgain, r.one);
  assert.notEqual(r.otherSeed, r.one);
  assert.equal(r.v.backend, 'groth16');
});

test('threads: a trap poisons the threaded instance; ready() loads a new one with a new pool', { timeout: 600_000 }, async () => {
  const r = await onPage(true, (page) => page.evaluate(async () => {
    const w = await window.spawn();
    const code = (p) => p.then(() => 'resolved', (e) => `${e.name}:${e.code}`);
    await w.call('load', { entry: '/pkg-test/threads.js', threads: 2 });
    await w.call('setup', { circuit: 'attribute' });
    await w.call('fixture', { circuit: 'attribute' });
    const out = {};
    out.trap = await code(w.call('trap'));
    out.after = await code(w.call('version'));
    out.countAfterTrap = await w.call('threadCount');
    out.readyThreads = await w.call('ready');
    // records made before the trap belong to the old instance
    const challenge = await w.call('challenge');
    out.oldObjects = await code(w.call('present', { circuit: 'attribute', challenge }));
    await w.call('fixture', { circuit: 'attribute' });
    const p = await w.call('present', { circuit: 'attribute', challenge });
    out.verified = (await w.call('verify', { circuit: 'attribute', bytes: p.bytes, challenge })).backend;
    w.terminate();
    return out;
  }));
  assert.deepEqual(r, {
    trap: 'InternalError:internal.trap',
    after: 'InternalError:internal.not_initialized',
    countAfterTrap: 0,
    readyThreads: 2,
    oldObjects: 'InternalError:internal.instance_reset',
    verified: 'groth16',
  });
});

test('threads: refused with UnsupportedError where the page is not cross-origin isolated, and on the main thread', { timeout: 300_000 }, async () => {
  const plain = await onPage(false, (page) => page.evaluate(async () => {
    const w = await window.spawn();
    const out = await w.call('load', { entry: '/pkg/threads.js', threads: 2 })
      .then(() => ({ ok: true }), (e) => ({ ok: false, name: e.name, code: e.code, kind: e.kind, message: e.message }));
    // the full entry works in the same Worker context (the fallback CausewayWorker uses)
    const s = await window.spawn();
    const full = await s.call('load', { entry: '/pkg/index.js' });
    w.terminate();
    s.terminate();
    return { out, full, isolated: self.crossOriginIsolated };
  }));
  assert.equal(plain.isolated, false);
  assert.equal(plain.out.ok, false);
  assert.equal(plain.out.name, 'UnsupportedError');
  assert.equal(plain.out.code, 'prove.unsupported');
  assert.equal(plain.out.kind, 'unsupported');
  assert.match(plain.out.message, /cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/s);
  assert.equal(plain.full.threads, 1);
  const main = await onPage(true, (page) => page.evaluate(() => window.mainThread('/pkg/threads.js')));
  assert.equal(main.ok, false);
  assert.equal(main.code, 'prove.unsupported');
  assert.match(main.message, /inside a dedicated Worker/);
  assert.match(main.reason, /inside a dedicated Worker/);
});

// CausewayWorker (causeway-wasm/worker) picks the threads build with `variant: 'auto'` on an
// isolated page (min(hardwareConcurrency, 4) threads), proves through it with progress, is
// cancelled mid-proof (the Worker and its pool are terminated and restarted) and proves again;
// on a page that is not isolated `auto` is one thread and `threads` is refused, typed.
test('threads: CausewayWorker auto uses the threads build where isolated, cancels and recovers; single elsewhere', { timeout: 600_000 }, async () => {
  const { keyId, pk, vk } = attributeKeys();
  const given = { keyId, pk, vk };
  const scenario = async (given) => {
    const dec = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    const cw = await import('/pkg/index.js');
    const { CausewayWorker } = await import('/pkg/worker.js');
    await cw.init();
    const out = { isolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency };
    const strict = new CausewayWorker({ variant: 'threads' });
    out.strict = await strict.ready.then((i) => i.variant, (e) => `${e.name}:${e.code}`);
    strict.terminate();
    const worker = new CausewayWorker();
    out.info = await worker.ready;
    await worker.addProvingKey('attribute', given.keyId, dec(given.pk));
    await worker.addVerifyingKey('attribute', given.keyId, dec(given.vk));
    const bank = cw.Party.generate();
    const alice = cw.Party.generate();
    const held = cw.issueAttestation({ schema: 'person/v1', fields: { age: { type: 'int', value: 34n } } },
      { issuer: bank, subject: alice.publicKeys, notBefore: 0n, notAfter: 2n ** 40n });
    const challenge = cw.randomChallenge();
    const args = { holder: alice, attested: [held], prove: ['age >= 18'], backend: 'groth16', challenge };
    const phases = [];
    const p = await worker.createPresentation(args, { onProgress: (e) => phases.push(e.phase) });
    out.phases = phases;
    out.verified = (await worker.verifyPresentation(p.bytes, { issuers: [bank.publicKeys], challenge })).backend;
    // cancelled once the proof is under way (the first progress event)
    const ctl = new AbortController();
    out.cancelled = await worker.createPresentation(args, { signal: ctl.signal, onProgress: () => ctl.abort() })
      .then(() => 'resolved', (e) => e.name);
    const again = await worker.createPresentation(args);
    out.afterCancel = (await worker.verifyPresentation(again.bytes, { issuers: [bank.publicKeys], challenge })).backend;
    out.infoAfter = await worker.ready;
    worker.terminate();
    return out;
  };
  const iso = await onPage(true, (page) => page.evaluate(scenario, given));
  assert.equal(iso.isolated, true);
  assert.equal(iso.info.variant, 'threads');
  assert.equal(iso.info.threads, Math.max(1, Math.min(iso.hardwareConcurrency, 4)));
  assert.equal(iso.strict, 'threads');
  assert.equal(iso.verified, 'groth16');
  assert.ok(iso.phases.includes('msm-b2') && iso.phases.at(-1) === 'done', iso.phases.join());
  assert.equal(iso.cancelled, 'AbortError');
  assert.equal(iso.afterCancel, 'groth16');
  assert.equal(iso.infoAfter.variant, 'threads');
  const plain = await onPage(false, (page) => page.evaluate(scenario, given));
  assert.equal(plain.isolated, false);
  assert.equal(plain.strict, 'UnsupportedError:prove.unsupported');
  assert.equal(plain.info.variant, 'single');
  assert.equal(plain.info.threads, 1);
  assert.equal(plain.verified, 'groth16');
  assert.equal(plain.cancelled, 'AbortError');
  assert.equal(plain.afterCancel, 'groth16');
});
