// In-browser figures for docs/benchmarks/wasm.md, ours beside snarkjs 0.7.6 in the same headless
// Chromium, and beside our native figures from the same run (a benchmark, not a test: the test
// script does not run it).
//
//   node bindings-wasm/bench/browser.mjs [--quick]
//
// Builds only what is missing: the package (scripts/build-wasm.sh, release; wasm-opt unless
// CAUSEWAY_WASM_OPT=0), the circom twins and their zkeys (benches/circom/run.sh --quick, which
// installs circom2/snarkjs into the git-ignored benches/circom/node_modules: GPL-3.0, measured
// here, never shipped), the native example groth16_figures (release). Then, per statement
// (`attribute`, `sum:4`): Groth16 and Bulletproofs presentations made and verified in wasm,
// proving-key load (KeyRing.addProvingKey, with and without the pinned digest), snarkjs
// fullProve/verify of the circom twin (its public signal must equal ours: same statement), and
// native snark::prove/verify; then, when the package has its threads build (pkg/threads.js), our
// Groth16 prove on two Workers: `causeway-wasm/threads` with a pool of 2 in a module Worker of a
// cross-origin isolated page (tests/browser/pages/threads.html, the keys and records of the first
// page), beside snarkjs's own Workers. Times are medians of wall time (performance.now in the page) and
// of CPU time (the renderer process: CDP Performance.getMetrics `ProcessTime`, so snarkjs's
// Workers count; native: getrusage). Prints a table and writes
// $CARGO_TARGET_DIR/browser-bench.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, withPage, ROOT } from '../tests/browser/harness.mjs';

const QUICK = process.argv.includes('--quick');
const TARGET = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
const CIRCOM = path.join(TARGET, 'bench-circom');
const SNARKJS = path.join(ROOT, 'benches/circom/node_modules/snarkjs/build');
// CAUSEWAY_WASM_PKG: measure another package directory (e.g. a copy, while pkg/ is rebuilt)
const PKG = process.env.CAUSEWAY_WASM_PKG ? path.resolve(process.env.CAUSEWAY_WASM_PKG) : path.join(ROOT, 'bindings-wasm/pkg');
const NAMES = { attribute: 'attribute', 'sum:4': 'sum4' }; // our circuit -> circom twin
const NATIVE_KEYS = { attribute: 'attribute', 'sum:4': 'sum-k4' }; // -> groth16_figures key
const N = QUICK ? 3 : 7; // proofs per median
const M = QUICK ? 3 : 7; // verification batches per median
const BATCH = 20; // our verifications per batch (ProcessTime counts in 10 ms steps)
const SNARKJS_BATCH = 4; // snarkjs verifications per batch

const run = (cmd, args, env = {}) => {
  console.error(`==> ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
};

// ---------------------------------------------------------------- what is missing, built once
let wasmOpt = 'prebuilt';
if (!existsSync(path.join(PKG, 'index.js'))) {
  run(path.join(ROOT, 'scripts/build-wasm.sh'), []);
  wasmOpt = process.env.CAUSEWAY_WASM_OPT === '0' ? 'no' : 'yes';
}
// scripts/build-wasm.sh lists the modules it ran wasm-opt on in pkg/.wasm-opt (binaryen keeps
// rustc's `target_features` section, so the module's own sections do not tell).
const optList = path.join(PKG, '.wasm-opt');
const ranWasmOpt = existsSync(optList) && /^full /m.test(readFileSync(optList, 'utf8'));
const twinsReady = Object.values(NAMES).every((n) => ['wasm', 'zkey', 'vkey.json']
  .every((ext) => existsSync(path.join(CIRCOM, `${n}.${ext}`))));
if (!twinsReady || !existsSync(path.join(SNARKJS, 'snarkjs.min.js'))) {
  run(path.join(ROOT, 'benches/circom/run.sh'), ['--quick']);
}
const example = path.join(TARGET, 'release/examples/groth16_figures');
if (!existsSync(example)) {
  run('cargo', ['build', '--quiet', '--release', '-p', 'causeway-benches', '--example', 'groth16_figures']);
}

// ---------------------------------------------------------------------------------- helpers
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

// --------------------------------------------- native first (same run): figures and witness inputs
const load0 = uptime();
const nativeOut = path.join(CIRCOM, 'browser-native');
mkdirSync(nativeOut, { recursive: true });
const nat = spawnSync(example, ['--out', nativeOut, '--only', 'attribute,sum4', ...(QUICK ? ['--quick'] : [])],
  { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
if (nat.status !== 0) throw new Error(`groth16_figures failed: ${nat.stderr}`);
console.error(nat.stderr.trim());
const native = JSON.parse(readFileSync(path.join(nativeOut, 'ours.json'), 'utf8'));
const nativeThreads = Number(/rayon threads (\d+)/.exec(nat.stderr)?.[1] ?? NaN);

// ------------------------------------------------------------------------------ the browser
console.error(`load before the browser: ${load0}`);
const server = await serve({
  '/': 'bindings-wasm/bench',
  '/pkg/': PKG,
  '/snarkjs/': SNARKJS,
  '/circom/': CIRCOM,
  '/native/': nativeOut,
});
const THREADS_ENTRY = path.join(PKG, 'threads.js');
const keysForThreads = {};
const result = { date: new Date().toISOString(), quick: QUICK, wasmOpt: { built: wasmOpt, ranWasmOpt }, host: { cpus: os.cpus().length, model: os.cpus()[0]?.model }, load: { before: load0 } };
try {
  await withPage(async (page, context) => {
    await page.goto(`${server.url}/browser.html`);
    await page.waitForFunction(() => window.benchReady !== undefined, null, { timeout: 120_000 });
    const ready = await page.evaluate(() => window.benchReady);
    if (!ready.ok || !ready.snarkjs) throw new Error(`bench page: ${JSON.stringify(ready)}`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpuMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ProcessTime').value * 1e3;
    /** Calls bench[fn](...args) `times` times: medians of wall (page) and CPU (renderer) ms,
     * divided by `per` (operations per call). */
    const measure = async (times, per, fn, ...args) => {
      const wall = [];
      const cpu = [];
      let last;
      for (let i = 0; i < times; i += 1) {
        const c0 = await cpuMs();
        last = await page.evaluate(([f, a]) => window.bench[f](...a), [fn, args]);
        const c1 = await cpuMs();
        wall.push((typeof last === 'number' ? last : last.ms) / per);
        cpu.push((c1 - c0) / per);
      }
      return { wall: median(wall), cpu: median(cpu), n: times * per, last };
    };
    result.browser = await page.evaluate(() => window.bench.prepare());
    result.browser.chromium = /Chrome\/([\d.]+)/.exec(result.browser.userAgent)?.[1] ?? null;
    result.ours = {};
    result.snarkjs = {};
    for (const circuit of Object.keys(NAMES)) {
      console.error(`--- ${circuit}`);
      const o = {};
      o.setup = await page.evaluate((c) => window.bench.setup(c), circuit);
      o.keyLoadFull = await measure(QUICK ? 2 : 3, 1, 'loadKey', circuit, false);
      o.keyLoadPinned = await measure(QUICK ? 2 : 3, 1, 'loadKey', circuit, true);
      // The key's first proof in the page (a key fresh from bytes proves one-shot, without
      // its Poseidon rows: decisions 0130, 0132): what a user waits for; then the steady state.
      o.groth16FirstProve = await measure(1, 1, 'prove', circuit, 'groth16');
      o.groth16Prove = await measure(N, 1, 'prove', circuit, 'groth16');
      o.groth16Verify = await measure(M, BATCH, 'verify', circuit, 'groth16', BATCH);
      await page.evaluate(([c]) => window.bench.prove(c, 'bulletproofs'), [circuit]);
      o.bulletproofsProve = await measure(N, 1, 'prove', circuit, 'bulletproofs');
      o.bulletproofsVerify = await measure(M, BATCH, 'verify', circuit, 'bulletproofs', BATCH);
      result.ours[circuit] = o;
      if (existsSync(THREADS_ENTRY)) keysForThreads[circuit] = await page.evaluate((c) => window.bench.keysB64(c), circuit);
      console.error(`ours ${circuit}: groth16 first proof ${o.groth16FirstProve.wall.toFixed(1)} ms (cpu ${o.groth16FirstProve.cpu.toFixed(1)}), then prove ${o.groth16Prove.wall.toFixed(1)} ms (cpu ${o.groth16Prove.cpu.toFixed(1)})`);

      const name = NAMES[circuit];
      const s = { files: await page.evaluate((n) => window.bench.snarkjsLoad(n), name) };
      await page.evaluate((n) => window.bench.snarkjsProve(n, false), name); // warm-up: curve, Workers
      s.prove = await measure(N, 1, 'snarkjsProve', name, false);
      s.proveSingleThread = await measure(QUICK ? 2 : 3, 1, 'snarkjsProve', name, true);
      s.verify = await measure(M, SNARKJS_BATCH, 'snarkjsVerify', name, SNARKJS_BATCH);
      s.public = s.prove.last.public;
      result.snarkjs[circuit] = s;
      console.error(`snarkjs ${circuit}: prove ${s.prove.wall.toFixed(1)} ms (cpu ${s.prove.cpu.toFixed(1)})`);
    }
    if (page.causewayErrors.length) throw new Error(`page errors: ${page.causewayErrors.join('; ')}`);
  });
} finally {
  await server.close();
}

// ----------------------------- ours on two Workers (the threads build; an isolated page)
if (existsSync(THREADS_ENTRY)) {
  const iso = await serve({ '/': 'bindings-wasm/tests/browser/pages', '/pkg/': PKG }, { isolated: true });
  try {
    await withPage(async (page, context) => {
      await page.goto(`${iso.url}/threads.html`);
      await page.waitForFunction(() => window.pageReady === true);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const cpuMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ProcessTime').value * 1e3;
      for (const circuit of Object.keys(NAMES)) {
        const info = await page.evaluate(async ({ circuit, keys }) => {
          const w = await window.spawn();
          window.benchWorker = w;
          const loaded = await w.call('load', { entry: '/pkg/threads.js', threads: 2 });
          await w.call('setup', { circuit, given: keys });
          await w.call('fixture', { circuit });
          window.benchChallenge = await w.call('challenge');
          return loaded;
        }, { circuit, keys: keysForThreads[circuit] });
        if (!info.isolated || info.threads !== 2) throw new Error(`threads Worker: ${JSON.stringify(info)}`);
        // a warm-up (the Worker's first proof: its thread pool and caches)
        await page.evaluate((c) => window.benchWorker.call('present', { circuit: c, challenge: window.benchChallenge }), circuit);
        const wall = [];
        const cpu = [];
        let last;
        for (let i = 0; i < N; i += 1) {
          const c0 = await cpuMs();
          last = await page.evaluate((c) => window.benchWorker.call('present', { circuit: c, challenge: window.benchChallenge }), circuit);
          cpu.push((await cpuMs()) - c0);
          wall.push(last.ms[0]);
        }
        const verified = await page.evaluate(async ({ c, bytes }) => {
          const v = await window.benchWorker.call('verify', { circuit: c, bytes, challenge: window.benchChallenge });
          window.benchWorker.terminate();
          return v.backend;
        }, { c: circuit, bytes: last.bytes });
        if (verified !== 'groth16') throw new Error(`${circuit}: the two-Worker proof did not verify`);
        result.ours[circuit].groth16ProveTwoWorkers = { wall: median(wall), cpu: median(cpu), n: N, threads: info.threads };
        console.error(`ours ${circuit}, 2 Workers: groth16 prove ${median(wall).toFixed(1)} ms (cpu ${median(cpu).toFixed(1)})`);
      }
      if (page.causewayErrors.length) throw new Error(`page errors: ${page.causewayErrors.join('; ')}`);
    });
  } finally {
    await iso.close();
  }
}

result.native = { rayonThreads: nativeThreads, profile: 'release' };
for (const [circuit, key] of Object.entries(NATIVE_KEYS)) {
  const n = native[key];
  result.native[circuit] = n;
  // the snarkjs proof is of the same statement: its public signal is our public input
  if (result.snarkjs[circuit].public !== n.public) {
    throw new Error(`${circuit}: snarkjs public signal ${result.snarkjs[circuit].public} != ours ${n.public}`);
  }
  result.snarkjs[circuit].samePublicInput = true;
}
result.load.after = uptime();

// ------------------------------------------------------------------------------ the table
const r2 = (x) => x.toFixed(2);
const ms = (m) => `${m.wall.toFixed(1)} (${m.cpu.toFixed(1)})`;
const ratio = (a, b) => `${r2(a.wall / b.wall)}× / ${r2(a.cpu / b.cpu)}×`;
result.ratios = {};
const rows = [['statement', 'ours wasm prove', 'snarkjs prove (2 Workers)', 'snarkjs prove (1 thread)', 'native prove',
  'snarkjs / ours prove (≥ 2)', 'snarkjs 1-thread / ours', 'ours verify', 'snarkjs verify', 'native verify', 'snarkjs / ours verify (≥ 5)', 'wasm / native prove (≤ 2.5)', 'wasm / native verify']];
for (const circuit of Object.keys(NAMES)) {
  const o = result.ours[circuit];
  const s = result.snarkjs[circuit];
  const n = result.native[circuit];
  const nProve = { wall: n.prove_ms, cpu: n.prove_cpu_ms };
  const nVerify = { wall: n.verify_ms, cpu: n.verify_cpu_ms };
  result.ratios[circuit] = {
    proveSnarkjsOverOurs: { wall: s.prove.wall / o.groth16Prove.wall, cpu: s.prove.cpu / o.groth16Prove.cpu },
    proveSnarkjs1ThreadOverOurs: { wall: s.proveSingleThread.wall / o.groth16Prove.wall, cpu: s.proveSingleThread.cpu / o.groth16Prove.cpu },
    verifySnarkjsOverOurs: { wall: s.verify.wall / o.groth16Verify.wall, cpu: s.verify.cpu / o.groth16Verify.cpu },
    proveWasmOverNative: { wall: o.groth16Prove.wall / nProve.wall, cpu: o.groth16Prove.cpu / nProve.cpu },
    verifyWasmOverNative: { wall: o.groth16Verify.wall / nVerify.wall, cpu: o.groth16Verify.cpu / nVerify.cpu },
    ...(o.groth16ProveTwoWorkers ? {
      proveSnarkjsOverOursTwoWorkers: { wall: s.prove.wall / o.groth16ProveTwoWorkers.wall, cpu: s.prove.cpu / o.groth16ProveTwoWorkers.cpu },
    } : {}),
    keyLoadFullOverProve: { wall: o.keyLoadFull.wall / o.groth16Prove.wall, cpu: o.keyLoadFull.cpu / o.groth16Prove.cpu },
    keyLoadPinnedOverProve: { wall: o.keyLoadPinned.wall / o.groth16Prove.wall, cpu: o.keyLoadPinned.cpu / o.groth16Prove.cpu },
  };
  rows.push([circuit, ms(o.groth16Prove), ms(s.prove), ms(s.proveSingleThread), ms(nProve),
    ratio(s.prove, o.groth16Prove), ratio(s.proveSingleThread, o.groth16Prove),
    ms(o.groth16Verify), ms(s.verify), ms(nVerify), ratio(s.verify, o.groth16Verify),
    ratio(o.groth16Prove, nProve), ratio(o.groth16Verify, nVerify)]);
}
const table = (rs) => rs.map((r) => `| ${r.join(' | ')} |`).join('\n');
console.log(`Chromium ${result.browser.chromium}, causeway-wasm ${result.browser.version}, wasm-opt ${ranWasmOpt ? 'ran' : 'did not run'}; ${result.date}`);
console.log(`load: before ${result.load.before}; after ${result.load.after}`);
console.log('\nGroth16, ms: wall (cpu); ratios wall / cpu\n');
console.log(table(rows));
const rows2 = [['statement', 'pk bytes', 'setup in wasm ms', 'key load, full checks', 'key load, pinned digest', 'prove', 'full load / prove', 'pinned load / prove', 'Bulletproofs prove', 'Bulletproofs verify']];
for (const circuit of Object.keys(NAMES)) {
  const o = result.ours[circuit];
  const q = result.ratios[circuit];
  rows2.push([circuit, o.setup.pkBytes, o.setup.ms.toFixed(0), ms(o.keyLoadFull), ms(o.keyLoadPinned), ms(o.groth16Prove),
    `${r2(q.keyLoadFullOverProve.wall)}× / ${r2(q.keyLoadFullOverProve.cpu)}×`,
    `${r2(q.keyLoadPinnedOverProve.wall)}× / ${r2(q.keyLoadPinnedOverProve.cpu)}×`,
    ms(o.bulletproofsProve), ms(o.bulletproofsVerify)]);
}
const rows3 = [['statement', 'ours, 1 thread', 'ours, 2 Workers (threads build)', 'snarkjs, 2 Workers', 'snarkjs / ours, 2 Workers each (≥ 3)', 'ours 1 thread / 2 Workers']];
for (const circuit of Object.keys(NAMES)) {
  const o = result.ours[circuit];
  if (!o.groth16ProveTwoWorkers) continue;
  const s = result.snarkjs[circuit];
  rows3.push([circuit, ms(o.groth16Prove), ms(o.groth16ProveTwoWorkers), ms(s.prove), ratio(s.prove, o.groth16ProveTwoWorkers),
    ratio(o.groth16Prove, o.groth16ProveTwoWorkers)]);
}
if (rows3.length > 1) {
  console.log('\nGroth16 prove on two Workers, ms: wall (cpu); ratios wall / cpu\n');
  console.log(table(rows3));
} else {
  console.log('\n(no pkg/threads.js: the two-Worker variant was not measured)');
}
console.log('\nKey load and Bulletproofs in wasm, ms: wall (cpu)\n');
console.log(table(rows2));
const out = path.join(TARGET, 'browser-bench.json');
writeFileSync(out, JSON.stringify(result, null, 2));
console.log(`\nwrote ${out}`);
