// Figures for docs/benchmarks/wasm.md ("Threads"): Groth16 prove time of the attribute and the
// sum:4 presentations in headless Chromium, in a module Worker of a cross-origin isolated page:
// the single-threaded full entry, and causeway-wasm/threads with pools of 1 and 2 threads; the
// same keys (`causeway setup`, or setupCircuit in the browser without the CLI) and records.
// Usage: node bindings-wasm/bench/threads.mjs [repeats] (default 5; the first proof under a
// key also builds the constraint matrices and is reported apart). Prints the machine's load.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir, loadavg, cpus } from 'node:os';
import path from 'node:path';
import { serve, withPage, ROOT } from '../tests/browser/harness.mjs';

const REPEATS = Number(process.argv[2] ?? 5);
const CLI = process.env.CAUSEWAY_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug', 'causeway');
const dir = mkdtempSync(path.join(tmpdir(), 'cw-bench-threads-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function cliKeys(circuit) {
  if (!existsSync(CLI)) return undefined;
  const kd = path.join(dir, circuit.replace(':', '-'));
  execFileSync(CLI, ['setup', '--circuit', circuit, '--out', kd], { stdio: 'pipe' });
  const keyId = JSON.stringify(JSON.parse(readFileSync(path.join(kd, 'keys.json'), 'utf8'))).match(/groth16vk1[a-z0-9]+/)[0];
  return {
    keyId,
    provingKey: readFileSync(path.join(kd, `${keyId}.pk`)).toString('base64'),
    verifyingKey: readFileSync(path.join(kd, `${keyId}.vk`)).toString('base64'),
  };
}

// Busy fraction of all CPUs between two /proc/stat samples (other processes included).
function cpuSample() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = f[3] + f[4];
  return { idle, total: f.reduce((a, b) => a + b, 0) };
}

const VARIANTS = [
  { name: 'full (1 thread)', entry: '/pkg/index.js', threads: 0 },
  { name: 'threads, pool of 1', entry: '/pkg/threads.js', threads: 1 },
  { name: 'threads, pool of 2', entry: '/pkg/threads.js', threads: 2 },
];
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const server = await serve({ '/': 'bindings-wasm/tests/browser/pages', '/pkg/': 'bindings-wasm/pkg' }, { isolated: true });
const before = cpuSample();
const load0 = loadavg();
const rows = [];
try {
  await withPage(async (page) => {
    await page.goto(`${server.url}/threads.html`);
    await page.waitForFunction(() => window.pageReady === true);
    for (const circuit of ['attribute', 'sum:4']) {
      const given = cliKeys(circuit);
      const out = await page.evaluate(async ({ circuit, given, variants, repeats }) => {
        const res = [];
        let keys = given;
        let fx;
        let challenge;
        for (const v of variants) {
          const w = await window.spawn();
          await w.call('load', { entry: v.entry, threads: v.threads });
          keys = await w.call('setup', { circuit, given: keys });
          fx = await w.call('fixture', { circuit, given: fx });
          challenge ??= await w.call('challenge');
          const p = await w.call('present', { circuit, challenge, repeat: repeats });
          const ok = (await w.call('verify', { circuit, bytes: p.bytes, challenge })).backend;
          res.push({ name: v.name, ms: p.ms, ok });
          w.terminate();
        }
        return res;
      }, { circuit, given, variants: VARIANTS, repeats: REPEATS });
      for (const r of out) rows.push({ circuit, ...r });
    }
  });
} finally {
  await server.close();
}
const after = cpuSample();
const busy = 1 - (after.idle - before.idle) / (after.total - before.total);

console.log(`Chromium, ${cpus().length} CPUs; load average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${loadavg().map((x) => x.toFixed(2)).join(' ')}; all CPUs busy ${(busy * 100).toFixed(0)}% during the run`);
console.log('| circuit | variant | first proof, ms | prove, median ms (warm) | vs full |');
console.log('|---|---|---:|---:|---:|');
for (const circuit of ['attribute', 'sum:4']) {
  const base = median(rows.find((r) => r.circuit === circuit).ms.slice(1));
  for (const r of rows.filter((x) => x.circuit === circuit)) {
    const m = median(r.ms.slice(1));
    console.log(`| ${circuit} | ${r.name} | ${r.ms[0].toFixed(0)} | ${m.toFixed(0)} | ${(base / m).toFixed(2)}× |`);
  }
}
for (const v of ['full', 'threads']) {
  const f = path.join(ROOT, 'bindings-wasm/pkg', v, 'causeway_wasm_bg.wasm');
  console.log(`size ${v}: ${statSync(f).size} B raw, ${gzipSync(readFileSync(f), { level: 9 }).length} B gzip -9`);
}
