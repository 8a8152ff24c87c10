// causeway-wasm/worker in Chromium (issue 13, decision 0089): a Groth16 presentation proved in
// the Worker verifies; its progress events arrive in order, stage by stage; the page stays
// responsive while it proves (no main-thread long task, a 10 ms timer keeps ticking);
// cancelling mid-proof rejects with AbortError at once and the next presentation works; a
// wrong key id and a trap inside the Worker come back as the package's typed errors.
//
// Keys: a single-party setup of the `attribute` circuit made here in Node with the package,
// served to the page by the harness (the Worker fetches the proving key by URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, serve, withPage } from './harness.mjs';
import { load } from '../helpers.mjs';

const GROTH16 = ['witness', 'quotient', 'msm-h', 'msm-l', 'msm-a', 'msm-b1', 'msm-b2', 'check'];

async function makeKeys() {
  const cw = await load();
  const a = cw.setupCircuit('attribute');
  const b = cw.setupCircuit('attribute');
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'causeway-worker-keys-'));
  await fsp.writeFile(path.join(dir, 'attribute.pk'), a.provingKey);
  await fsp.writeFile(path.join(dir, 'attribute.vk'), a.verifyingKey);
  await fsp.writeFile(path.join(dir, 'keys.json'),
    JSON.stringify({ keyId: a.keyId, digest: a.digest, otherKeyId: b.keyId, otherDigest: b.digest }));
  return dir;
}

test('CausewayWorker proves off the main thread, reports progress, cancels, recovers', { timeout: 600_000 }, async () => {
  const keys = await makeKeys();
  const server = await serve({
    '/': 'bindings-wasm/tests/browser/pages',
    '/pkg/': 'bindings-wasm/pkg',
    '/pkg-test/': 'bindings-wasm/pkg-test',
    '/keys/': keys,
  });
  try {
    await withPage(async (page) => {
      await page.goto(`${server.url}/worker.html`);
      await page.waitForFunction(() => window.t !== undefined, null, { timeout: 120_000 });
      const setupError = await page.evaluate(() => window.t.error);
      assert.equal(setupError, undefined, setupError);
      const info = await page.evaluate(() => window.t.info);
      assert.equal(info.workers, 1);
      assert.equal(info.variant, 'single');
      assert.equal(info.prover, true);

      // the proving key, fetched by URL inside the Worker and checked there
      const added = await page.evaluate(() => window.t.addKeyByUrl());
      assert.equal(added.r.circuit, 'attribute');
      assert.ok(added.events.length >= 1 && added.events.every((e) => e.phase === 'download'));
      assert.deepEqual(added.keys.map((k) => [k.circuit, k.proving]), [['attribute', true]]);

      // a wrong key id: the package's typed error, in the page; the key is not kept twice
      const wrong = await page.evaluate(() => window.t.wrongKeyId());
      assert.equal(wrong.ok, false);
      assert.equal(wrong.error.code, 'keyring.wrong_key_id');
      assert.equal(wrong.error.causeway, true);
      assert.equal(wrong.error.kind, 'denied');
      assert.equal(wrong.error.name, 'DeniedError');
      assert.equal(wrong.keys.length, 1);

      // a changed byte and a wrong digest pin are refused in the Worker, typed; the good key stays
      const attacks = await page.evaluate(() => window.t.keyAttacks());
      for (const e of [attacks.tampered, attacks.wrongDigest]) {
        assert.equal(e.causeway, true, JSON.stringify(e));
        assert.notEqual(e.kind, 'internal', JSON.stringify(e));
      }
      assert.deepEqual(attacks.keys.map((k) => [k.circuit, k.proving]), [['attribute', true]]);

      // a Groth16 presentation proved in the Worker (one-shot, as every proof of a loaded key)
      const warm = await page.evaluate(() => window.t.prove());
      assert.equal(warm.ok, true, JSON.stringify(warm.error));
      const run = await page.evaluate(() => window.t.prove());
      assert.equal(run.ok, true, JSON.stringify(run.error));
      for (const r of [warm, run]) {
        assert.equal(r.backend, 'groth16');
        assert.deepEqual(r.statements, ['age >= 18', 'income >= 50000']);
        assert.deepEqual(r.workerVerified, r.statements);
        assert.deepEqual(r.disclosed, ['name=Alice']);
        // progress: every stage of both proofs in order, then sign and done
        const expected = [...GROTH16.map((p) => [p, 0]), ...GROTH16.map((p) => [p, 1]), ['sign', 2], ['done', 2]];
        assert.deepEqual(r.events.map((e) => [e.phase, e.statement]), expected);
        r.events.forEach((e, i) => {
          assert.equal(e.done, i);
          assert.equal(e.total, expected.length - 1);
        });
        assert.ok(new Set(r.events.map((e) => e.phase)).size > 2);
        // responsive: no long task on the main thread, the timer kept ticking
        assert.deepEqual(r.longTasks.filter((d) => d > 50), [], `long tasks ${r.longTasks} in ${r.ms} ms`);
        const wanted = Math.max(3, Math.floor(r.ms / 10 / 3));
        assert.ok(r.ticks >= wanted, `${r.ticks} ticks in ${Math.round(r.ms)} ms (wanted ${wanted})`);
      }
      console.log(`# worker proof (2 statements): first ${Math.round(warm.ms)} ms, then ${Math.round(run.ms)} ms, ${run.ticks} timer ticks`);

      // Bulletproofs with the holder and attestation given as secret text / bytes
      const bp = await page.evaluate(() => window.t.bulletproofs());
      assert.deepEqual(bp.events, ['statement:0/3', 'range:1/3', 'sign:2/3', 'done:3/3']);
      assert.deepEqual(bp.statements, ['age >= 18']);

      // a holder who rotated after proving once: the Worker gets the new secret and proves
      // with the retired key the attestation names; a freed Party is a typed error
      const rot = await page.evaluate(() => window.t.rotated());
      assert.equal(rot.before, rot.after);
      assert.deepEqual(rot.retired, [rot.before]);
      assert.equal(rot.freedError.code, 'internal.freed');
      assert.equal(rot.freedError.causeway, true);

      // an already aborted signal: rejected with its reason, nothing runs
      const before = await page.evaluate(() => window.t.abortedBeforeStart());
      assert.equal(before.ok, false);
      assert.equal(before.error.name, 'AbortError');
      assert.equal(before.error.message, 'not wanted');

      // cancelled mid-proof (during the second statement's quotient of six): AbortError at once,
      // nothing more from the killed Worker, and the next presentation works in a fresh one
      const six = ['age >= 18', 'income >= 50000', 'age >= 20', 'age >= 21', 'income >= 1', 'age >= 30'];
      const cancelled = await page.evaluate((s) => window.t.prove({ statements: s, abortAt: ['quotient', 1] }), six);
      assert.equal(cancelled.ok, false);
      assert.equal(cancelled.error.name, 'AbortError');
      assert.equal(cancelled.error.domException, true);
      assert.ok(cancelled.rejectMs < 500, `rejected ${cancelled.rejectMs} ms after abort`);
      assert.equal(cancelled.eventsAfterAbort, 0);
      assert.deepEqual(cancelled.events.at(-1), { phase: 'quotient', statement: 1, statements: 6, done: 9, total: 49 });
      const next = await page.evaluate(() => window.t.prove());
      assert.equal(next.ok, true, JSON.stringify(next.error));
      assert.deepEqual(next.statements, ['age >= 18', 'income >= 50000']);

      // figures: the same presentation on the main thread (blocking), the restart after a cancel
      const main = await page.evaluate(() => window.t.mainThread());
      console.log(`# 2-statement Groth16 presentation: Worker ${Math.round(run.ms)} ms, main thread ${Math.round(main.ms)} ms`
        + ` (Worker/main ${(run.ms / main.ms).toFixed(2)}); first call after a cancel (restart + key re-added) ${Math.round(next.ms)} ms`);

      // two Workers: a presentation's two statements proved one per Worker, then assembled;
      // progress sums both (done never decreases, ends at total); two presentations at once
      const pool = await page.evaluate(() => window.t.pool());
      assert.equal(pool.info.workers, 2);
      for (const r of [pool.warm, pool.one]) {
        assert.equal(r.ok, true, JSON.stringify(r.error));
        assert.deepEqual(r.statements, ['age >= 18', 'income >= 50000']);
        assert.deepEqual(r.workerVerified, r.statements);
        assert.ok(r.events.every((e) => e.total === 17));
        r.events.forEach((e, i) => { if (i > 0) assert.ok(e.done >= r.events[i - 1].done); });
        assert.deepEqual(r.events.slice(-2).map((e) => [e.phase, e.done]), [['sign', 16], ['done', 17]]);
        for (const st of [0, 1]) {
          assert.deepEqual(r.events.filter((e) => e.statement === st).map((e) => e.phase), GROTH16);
        }
        assert.deepEqual(r.longTasks.filter((d) => d > 50), []);
      }
      assert.deepEqual(pool.ok, [true, true]);
      assert.deepEqual(pool.statements, [['age >= 18', 'income >= 50000'], ['age >= 18', 'income >= 50000']]);
      console.log(`# 2-statement presentation on two Workers: ${Math.round(pool.one.ms)} ms (one Worker ${Math.round(run.ms)} ms,`
        + ` ratio ${(run.ms / pool.one.ms).toFixed(2)}); two presentations at once on two Workers: ${Math.round(pool.ms)} ms`);

      // a trap inside the Worker (the self-test build): InternalError internal.trap, then the
      // Worker is replaced, its key re-added, and the next Groth16 presentation verifies
      const trap = await page.evaluate(() => window.t.trap());
      assert.equal(trap.trapError.code, 'internal.trap');
      assert.equal(trap.trapError.name, 'InternalError');
      assert.equal(trap.trapError.causeway, true);
      assert.equal(trap.trapError.internal, true);
      assert.equal(trap.after.ok, true, JSON.stringify(trap.after.error));
      assert.deepEqual(trap.after.statements, ['age >= 18']);
      assert.deepEqual(trap.keysAfter.map((k) => k.circuit), ['attribute']);
      assert.equal(trap.afterTerminate.code, 'internal.worker');

      assert.deepEqual(page.causewayErrors, []);
    });
  } finally {
    await server.close();
    await fsp.rm(keys, { recursive: true, force: true });
  }
});

test("the README's Worker page runs: a Groth16 proof in the Worker, verified", { timeout: 600_000 }, async () => {
  const keys = await makeKeys();
  const md = await fsp.readFile(path.join(ROOT, 'bindings-wasm/README.md'), 'utf8');
  const pages = [...md.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(pages.length, 1);
  const site = await fsp.mkdtemp(path.join(os.tmpdir(), 'causeway-worker-readme-'));
  const k = JSON.parse(await fsp.readFile(path.join(keys, 'keys.json'), 'utf8'));
  await fsp.writeFile(path.join(site, 'index.html'), pages[0]);
  await fsp.writeFile(path.join(site, 'favicon.ico'), new Uint8Array(0)); // not part of the example
  await fsp.writeFile(path.join(site, 'keys.js'),
    `export const KEY_ID = '${k.keyId}';\nexport const KEY_DIGEST = '${k.digest}';\n`);
  const server = await serve({
    '/': site, '/causeway-wasm/': 'bindings-wasm/pkg', '/keys/': keys,
  });
  try {
    await withPage(async (page) => {
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => document.querySelector('#out').textContent !== '', null, { timeout: 300_000 });
      assert.equal(await page.textContent('#out'), 'proved: age >= 18');
      assert.equal(await page.evaluate(() => document.querySelector('#bar').value), 1);
      assert.equal(await page.textContent('#phase'), 'done');
      assert.deepEqual(page.causewayErrors, [], JSON.stringify([...server.requests.keys()]));
    });
  } finally {
    await server.close();
    await fsp.rm(keys, { recursive: true, force: true });
    await fsp.rm(site, { recursive: true, force: true });
  }
});

// The variant choice (worker-script.js loadVariant): on a cross-origin isolated page `auto`
// takes the threads build when the package has it and falls back to the single-threaded one
// otherwise; `threads` insists and is refused, typed, where it cannot be had.
test('variant: auto falls back to single; threads without the build is prove.unsupported', { timeout: 300_000 }, async () => {
  const server = await serve({ '/': 'bindings-wasm/tests/browser/pages', '/pkg/': 'bindings-wasm/pkg' },
    { isolated: true });
  try {
    await withPage(async (page) => {
      await page.goto(`${server.url}/smoke.html`);
      await page.waitForFunction(() => window.smoke !== undefined, null, { timeout: 120_000 });
      const r = await page.evaluate(async () => {
        const { CausewayWorker } = await import('/pkg/worker.js');
        const out = { isolated: self.crossOriginIsolated };
        const auto = new CausewayWorker();
        out.auto = await auto.ready;
        auto.terminate();
        const threads = new CausewayWorker({ variant: 'threads' });
        try { out.threads = await threads.ready; } catch (e) { out.threadsError = { name: e.name, code: e.code, kind: e.kind }; }
        threads.terminate();
        try { new CausewayWorker({ variant: 'many' }); } catch (e) { out.badVariant = e.code; }
        try { new CausewayWorker({ workers: 0 }); } catch (e) { out.badWorkers = e.code; }
        return out;
      });
      assert.equal(r.isolated, true);
      const hasThreads = server.requests.has('/pkg/threads.js')
        && (await import('node:fs')).existsSync(path.join(ROOT, 'bindings-wasm/pkg/threads.js'));
      if (hasThreads) {
        assert.equal(r.auto.variant, 'threads');
      } else {
        assert.equal(r.auto.variant, 'single');
        assert.equal(r.auto.threads, 1);
        assert.deepEqual(r.threadsError, { name: 'UnsupportedError', code: 'prove.unsupported', kind: 'unsupported' });
      }
      assert.equal(r.badVariant, 'decode.invalid');
      assert.equal(r.badWorkers, 'decode.invalid');
    });
  } finally {
    await server.close();
  }
});
