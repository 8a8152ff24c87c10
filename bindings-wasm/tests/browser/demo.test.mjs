// The demo page (examples/web) in headless Chromium: open the record the bank sealed for the
// user and see its attested fields; prove "age >= 18" and "income >= 30000" in a Worker while
// the progress bar moves and the main thread stays responsive (no long task over 50 ms, a
// timer keeps ticking); a cancel mid-proof, then a retry that the verifier panel verifies,
// and that Node verifies again from the bytes the page exposes; the product's history with
// every step and the anchor verified; a tampered copy refused with its code; no console
// errors; a record sealed by someone else or changed, and a proving key other than the pinned
// one, refused in the page. Saves full-page screenshots in artifactsDir() (demo.png and one
// per state).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { withPage, artifactsDir, ROOT } from './harness.mjs';
import { serveDemo, ensureFixtures, FIXTURES } from '../../../examples/web/serve.mjs';

const manifest = ensureFixtures();
const cw = await import(pathToFileURL(path.join(ROOT, 'bindings-wasm/pkg/index.js')).href);
await cw.init();

// Injected before the page's own scripts: a longtask observer and a main-thread timer.
function probes() {
  window.__probe = { longTasks: [], ticks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  setInterval(() => window.__probe.ticks.push(performance.now()), 20);
}

async function shot(page, name) {
  const file = path.join(artifactsDir(), name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const state = (page, step) => page.evaluate((s) => window.causewayDemo[s].state, step);

test('the demo page: record, proof in a Worker (cancel, retry, verify), history, refusal', async () => {
  const server = await serveDemo();
  try {
    await withPage(async (page) => {
      await page.addInitScript(probes);
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => window.causewayDemo && window.causewayDemo.engine !== 'loading', null, { timeout: 60_000 });
      assert.equal(await page.evaluate(() => window.causewayDemo.engine), 'ready',
        JSON.stringify(await page.evaluate(() => window.causewayDemo.errors)));
      await page.getByText('Secure engine ready').waitFor();

      // (1) the record: sealed by the bank for the user, opened with the user's key
      await page.getByRole('button', { name: 'Open with my key' }).click();
      await page.waitForFunction(() => !['sealed', 'opening'].includes(window.causewayDemo.record.state));
      const record = await page.evaluate(() => window.causewayDemo.record);
      assert.equal(record.state, 'open', JSON.stringify(record));
      assert.deepEqual(record.fields.sort(), ['account', 'age', 'customer_since', 'income', 'name']);
      assert.equal(record.subject, manifest.customer.keyId);
      const row = (f) => page.locator(`#fields tr[data-field="${f}"] td.v`).textContent();
      assert.equal(await row('age'), '34');
      assert.equal((await row('income')).replace(/\s/g, ''), '58400.00');
      assert.equal(await row('name'), 'Ana Moreira');
      assert.equal(await page.locator('#sealed-from').textContent(), manifest.bank.name);
      await shot(page, 'demo-record.png');

      // (2) prove: first a cancel mid-proof
      await page.getByRole('button', { name: /Continue: prove/ }).click();
      assert.equal(await page.getByRole('tab', { name: /Prove/ }).getAttribute('aria-selected'), 'true');
      await page.getByRole('button', { name: 'Create proof' }).click();
      await page.waitForFunction(() => ['prove', 'done', 'error'].includes(document.getElementById('prover').dataset.phase));
      assert.equal(await page.locator('#prover').getAttribute('data-phase'), 'prove', 'the proof finished before it could be cancelled');
      await shot(page, 'demo-proving.png');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.waitForFunction(() => window.causewayDemo.prove.state !== 'running');
      assert.equal(await state(page, 'prove'), 'cancelled');
      // the first attempt fetched the proving key in the worker (progress in bytes), checked it
      const first = (await page.evaluate(() => window.causewayDemo.prove.phases)).map((p) => p.phase);
      for (const p of ['download', 'check', 'prove']) assert.ok(first.includes(p), `phase ${p}: ${first}`);
      assert.equal(await page.evaluate(() => window.causewayDemo.presentation), null);
      assert.equal(await page.locator('#verifier').getAttribute('data-state'), 'waiting');
      assert.equal(await page.locator('#progress').getAttribute('aria-valuenow'), '0');

      // the retry: causeway-wasm/worker restarted the worker with the key re-added; it proves
      // (progress through core's stages), and the verifier's own worker verifies
      const t0 = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Create proof' }).click();
      const seen = new Set();
      for (;;) {
        const [now, s] = await page.evaluate(() => [document.getElementById('progress').getAttribute('aria-valuenow'), window.causewayDemo.prove.state]);
        seen.add(Number(now));
        if (s !== 'running') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await page.waitForFunction(() => !['running', 'proved'].includes(window.causewayDemo.prove.state), null, { timeout: 120_000 });
      const prove = await page.evaluate(() => window.causewayDemo.prove);
      assert.equal(prove.state, 'verified', JSON.stringify(prove));
      // the progress bar moved through the proving stages to 100, never back
      const phases = prove.phases.map((p) => p.phase);
      for (const p of ['prove', 'done']) assert.ok(phases.includes(p), `phase ${p}: ${phases}`);
      const pcts = prove.phases.map((p) => p.pct);
      for (let i = 1; i < pcts.length; i++) assert.ok(pcts[i] >= pcts[i - 1], `progress went back: ${pcts}`);
      assert.equal(pcts.at(-1), 100);
      const during = new Set(prove.phases.filter((p) => p.phase === 'prove').map((p) => p.pct));
      assert.ok(during.size >= 6, `progress values while proving: ${[...during]}`);
      assert.ok(seen.size >= 2, `the test saw the bar at ${[...seen]}`);
      // responsive while proving: no long task, and the page's timer kept ticking
      const proveStart = prove.phases.find((p) => p.phase === 'prove').t;
      const proveEnd = prove.phases.find((p) => p.phase === 'done').t;
      const probe = await page.evaluate(() => window.__probe);
      const long = probe.longTasks.filter((t) => t.start + t.duration > t0 && t.start < proveEnd);
      assert.deepEqual(long, [], `long tasks during the proof: ${JSON.stringify(long)}`);
      const ticks = probe.ticks.filter((t) => t >= proveStart && t <= proveEnd);
      const span = proveEnd - proveStart;
      let gap = 0;
      for (let i = 1; i < ticks.length; i++) gap = Math.max(gap, ticks[i] - ticks[i - 1]);
      console.log(`proof in the worker: ${span.toFixed(0)} ms of proving stages on the page's clock (createPresentation round trip ${prove.proveMs.toFixed(0)} ms), ${ticks.length} timer ticks, largest gap ${gap.toFixed(0)} ms`);
      assert.ok(span > 0 && ticks.length >= Math.floor(span / 100), `${ticks.length} ticks in ${span} ms`);
      assert.ok(gap < 400, `the timer stalled for ${gap} ms`);
      const verdict = page.locator('#verdict');
      assert.match(await verdict.textContent(), /Verified/);
      assert.deepEqual(prove.verified.statements, ['age >= 18', 'income >= 30000']);
      assert.equal(prove.verified.disclosed, 0);
      await shot(page, 'demo-prove.png');

      // the verifier's check again in Node, from the bytes the page exposes
      const { bytes, challenge } = await page.evaluate(() => ({
        bytes: Array.from(window.causewayDemo.presentation), challenge: Array.from(window.causewayDemo.challenge),
      }));
      const p = new Uint8Array(bytes);
      const ch = new Uint8Array(challenge);
      const keys = new cw.KeyRing().addVerifyingKey('attribute', manifest.circuit.keyId,
        new Uint8Array(readFileSync(path.join(FIXTURES, manifest.circuit.verifyingKey))));
      const v = cw.verifyPresentation(p, { issuers: [manifest.bank.key], challenge: ch, keys });
      assert.equal(v.backend, 'groth16');
      assert.equal(v.subject, manifest.customer.keyId);
      assert.deepEqual(v.statements, ['age >= 18', 'income >= 30000']);
      assert.deepEqual(v.disclosed, []);
      assert.equal(cw.inspectPresentation(p).json.includes('58400'), false);
      assert.equal(Buffer.from(p).includes(Buffer.from('58400')), false);
      // replayed against another challenge, from another issuer, or changed: refused
      const refused = (fn) => assert.throws(fn, (e) => cw.isCausewayError(e) && e.kind !== 'internal');
      refused(() => cw.verifyPresentation(p, { issuers: [manifest.bank.key], challenge: cw.randomChallenge(), keys }));
      refused(() => cw.verifyPresentation(p, { issuers: [manifest.product.logKey], challenge: ch, keys }));
      for (const i of [8, Math.floor(p.length / 2), p.length - 5]) {
        const x = p.slice();
        x[i] ^= 1;
        refused(() => cw.verifyPresentation(x, { issuers: [manifest.bank.key], challenge: ch, keys }));
      }
      keys.free();

      // (3) the product's history: every step and the anchor verified
      await page.getByRole('tab', { name: /Check a product/ }).click();
      await page.getByRole('button', { name: 'Check history' }).click();
      await page.waitForFunction(() => window.causewayDemo.history.state !== 'checking');
      const h = await page.evaluate(() => window.causewayDemo.history);
      assert.equal(h.state, 'verified', JSON.stringify(h));
      assert.deepEqual(h.steps, ['produced', 'inspected', 'shipped', 'received', 'sold']);
      assert.deepEqual(h.anchor, { chainId: String(manifest.product.chain.chainId), blockNumber: h.anchor.blockNumber, chainPinned: true });
      assert.equal(h.receipt.coversCheckpoint, true);
      const items = page.locator('#timeline > li');
      assert.equal(await items.count(), 6);
      assert.deepEqual(await items.evaluateAll((l) => l.map((e) => e.dataset.step)),
        ['produced', 'inspected', 'shipped', 'received', 'sold', 'anchored']);
      assert.match(await page.locator('#history-status').textContent(), /Verified history/);
      const png = await shot(page, 'demo.png');
      console.log(`screenshot: ${png}`);

      // a tampered copy: refused, with its code
      await page.getByLabel(/A tampered copy/).check();
      await page.getByRole('button', { name: 'Check history' }).click();
      await page.waitForFunction(() => window.causewayDemo.history.state !== 'checking' && window.causewayDemo.history.state !== 'idle');
      const t = await page.evaluate(() => window.causewayDemo.history);
      assert.equal(t.state, 'refused');
      assert.equal(t.code, manifest.product.tamperedCode);
      const status = await page.locator('#history-status').textContent();
      assert.match(status, /Verification failed/);
      assert.ok(status.includes(manifest.product.tamperedCode), status);
      assert.equal(await items.count(), 0);
      await shot(page, 'demo-refused.png');

      assert.deepEqual(page.causewayErrors, []);
      assert.deepEqual(await page.evaluate(() => window.causewayDemo.errors), []);
    });
  } finally {
    await server.close();
  }
});

test('the demo page on a phone-sized screen: no sideways scrolling, the history verifies', async () => {
  const server = await serveDemo();
  try {
    await withPage(async (page) => {
      await page.goto(`${server.url}/#product`);
      await page.waitForFunction(() => window.causewayDemo && window.causewayDemo.engine === 'ready', null, { timeout: 60_000 });
      assert.equal(await page.getByRole('tab', { name: /Check a product/ }).getAttribute('aria-selected'), 'true');
      // keyboard: the tabs move with the arrow keys
      await page.getByRole('tab', { name: /Check a product/ }).focus();
      await page.keyboard.press('ArrowLeft');
      assert.equal(await page.getByRole('tab', { name: /Prove/ }).getAttribute('aria-selected'), 'true');
      await page.keyboard.press('ArrowRight');
      await page.getByRole('button', { name: 'Check history' }).click();
      await page.waitForFunction(() => window.causewayDemo.history.state === 'verified');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      console.log(`screenshot: ${await shot(page, 'demo-mobile.png')}`);
      assert.deepEqual(page.causewayErrors, []);
    }, { viewport: { width: 390, height: 844 } });
  } finally {
    await server.close();
  }
});

test('the demo page refuses a record the bank did not seal, and a changed one', async () => {
  // A record sealed for the customer by someone else (a fresh party), and the bank's with one
  // changed byte in its ciphertext: both must be refused before anything is shown.
  const customer = cw.Party.fromSecretText(readFileSync(path.join(FIXTURES, manifest.customer.keyFile), 'utf8'));
  const mallory = cw.Party.generate();
  const real = new Uint8Array(readFileSync(path.join(FIXTURES, manifest.record)));
  const forged = cw.seal(cw.open(real, { party: customer }).content, { owner: mallory, recipients: [customer.publicKeys] });
  const changed = real.slice();
  changed[changed.length - 40] ^= 1;
  const server = await serveDemo();
  try {
    for (const [name, bytes, codes] of [['forged', forged, ['seal.wrong_owner']], ['changed', changed, ['decrypt', 'seal.wrong_owner', 'seal.bad_signature']]]) {
      await withPage(async (page) => {
        await page.route('**/fixtures/record.cwseal', (r) => r.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(bytes) }));
        await page.goto(`${server.url}/`);
        await page.waitForFunction(() => window.causewayDemo && window.causewayDemo.engine === 'ready', null, { timeout: 60_000 });
        await page.getByRole('button', { name: 'Open with my key' }).click();
        await page.waitForFunction(() => !['sealed', 'opening'].includes(window.causewayDemo.record.state));
        const r = await page.evaluate(() => window.causewayDemo.record);
        assert.equal(r.state, 'error', name);
        assert.equal(await page.locator('#sealed-from').textContent(), name === 'forged' ? 'an unknown sender' : manifest.bank.name);
        assert.ok(codes.includes(r.code), `${name}: ${r.code}`);
        assert.equal(await page.locator('#record-opened').isHidden(), true);
        assert.match(await page.locator('#record-empty').textContent(), /Refused/);
        assert.equal(await page.locator('#prove').isDisabled(), true);
        if (name === 'forged') console.log(`screenshot: ${await shot(page, 'demo-record-refused.png')}`);
        assert.deepEqual(page.causewayErrors, []);
      });
    }
  } finally {
    await server.close();
    customer.free();
    mallory.free();
  }
});

test('the demo page refuses a proving key that is not the pinned one', async () => {
  // Another setup of the same circuit: a valid key, but not the one the page pinned.
  const other = cw.setupCircuit('attribute');
  assert.notEqual(other.keyId, manifest.circuit.keyId);
  const server = await serveDemo();
  try {
    await withPage(async (page) => {
      await page.route('**/fixtures/keys/*.pk', (r) => r.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(other.provingKey) }));
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => window.causewayDemo && window.causewayDemo.engine === 'ready', null, { timeout: 60_000 });
      await page.getByRole('button', { name: 'Open with my key' }).click();
      await page.waitForFunction(() => window.causewayDemo.record.state === 'open');
      await page.getByRole('tab', { name: /Prove/ }).click();
      await page.getByRole('button', { name: 'Create proof' }).click();
      await page.waitForFunction(() => window.causewayDemo.prove.state !== 'running', null, { timeout: 120_000 });
      const p = await page.evaluate(() => window.causewayDemo.prove);
      assert.equal(p.state, 'error');
      // the page pins the key's digest too, which is checked first
      assert.equal(p.code, 'keyring.wrong_digest');
      assert.equal(await page.evaluate(() => window.causewayDemo.presentation), null);
      assert.equal(await page.locator('#verifier').getAttribute('data-state'), 'waiting');
      assert.match(await page.locator('#progress-label').textContent(), /keyring\.wrong_digest/);
      assert.deepEqual(page.causewayErrors, []);
    });
  } finally {
    await server.close();
  }
});
