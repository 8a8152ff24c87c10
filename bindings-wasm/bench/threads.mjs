// Figures for docs/benchmarks/wasm.md ("Threads"): Groth16 prove time of the attribute and the
// sum:4 presentations in headless Chromium, in a module Worker of a cross-origin isolated page:
// the single-threaded full entry, and causeway-wasm/threads with pools of 1 and 2 threads; the
// same keys (`causeway setup`, or setupCircuit in the browser without the CLI) and records.
// Usage: node bindings-wasm/bench/threads.mjs [repeats] (default 5, after one proof reported
// apart: a warm-up). Prints the machine's
// load and the CPU time Chromium used while proving (/proc; Linux).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
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

// CPU ticks (user + system) of every process below this one (the Chromium that playwright
// launched, its zygotes, renderers and utility processes; not other users' browsers), by pid,
// from /proc (Linux). With a pool of 2 on a free machine: close to 2 ms of CPU per ms of wall.
function descendantsTicks() {
  const info = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      info.set(Number(pid), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch { /* the process ended */ }
  }
  const out = new Map();
  for (const [pid, x] of info) {
    for (let p = x.ppid, hops = 0; p > 1 && hops < 16; p = info.get(p)?.ppid ?? 0, hops += 1) {
      if (p === process.pid) { out.set(pid, x.ticks); break; }
    }
  }
  return out;
}
// CPU ms used between two samples by the processes in the second (an ended process counts 0).
function cpuMsBetween(a, b) {
  let t = 0;
  for (const [pid, ticks] of b) t += ticks - (a.get(pid) ?? 0);
  return t * 10; // USER_HZ = 100
}

const server = await serve({ '/': 'bindings-wasm/tests/browser/pages', '/pkg/': 'bindings-wasm/pkg' }, { isolated: true });
const before = cpuSample();
const load0 = loadavg();
const rows = [];
try {
  await withPage(async (page) => {
    await page.goto(`${server.url}/threads.html`);
    await page.waitForFunction(() => window.pageReady === true);
    for (const circuit of ['attribute', 'sum:4']) {
      let keys = cliKeys(circuit);
      let fx;
      let challenge;
      for (const v of VARIANTS) {
        ({ keys, fx, challenge } = await page.evaluate(async ({ circuit, keys, fx, challenge, v }) => {
          const w = await window.spawn();
          window.benchWorker = w;
          await w.call('load', { entry: v.entry, threads: v.threads });
          return {
            keys: await w.call('setup', { circuit, given: keys }),
            fx: await w.call('fixture', { circuit, given: fx }),
            challenge: challenge ?? await w.call('challenge'),
          };
        }, { circuit, keys, fx, challenge, v }));
        // the first proof (a warm-up): apart
        const first = await page.evaluate((a) => window.benchWorker.call('present', a), { circuit, challenge });
        const cpu0 = descendantsTicks();
        const t0 = performance.now();
        const p = await page.evaluate((a) => window.benchWorker.call('present', a), { circuit, challenge, repeat: REPEATS });
        const wall = performance.now() - t0;
        const cpu = cpuMsBetween(cpu0, descendantsTicks());
        const ok = await page.evaluate(async (a) => {
          const r = (await window.benchWorker.call('verify', a)).backend;
          window.benchWorker.terminate();
          return r;
        }, { circuit, bytes: p.bytes, challenge });
        rows.push({ circuit, name: v.name, first: first.ms[0], ms: p.ms, cpuPerProof: cpu / REPEATS, cpuPerWall: cpu / wall, ok });
      }
    }
  });
} finally {
  await server.close();
}
const after = cpuSample();
const busy = 1 - (after.idle - before.idle) / (after.total - before.total);

console.log(`Chromium, ${cpus().length} CPUs; load average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${loadavg().map((x) => x.toFixed(2)).join(' ')}; all CPUs busy ${(busy * 100).toFixed(0)}% during the run`);
console.log('| circuit | variant | first proof, ms | prove, median ms | vs full (wall) | Chromium CPU per proof, ms | CPU / wall while proving |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const circuit of ['attribute', 'sum:4']) {
  const base = median(rows.find((r) => r.circuit === circuit).ms);
  for (const r of rows.filter((x) => x.circuit === circuit)) {
    const m = median(r.ms);
    if (r.ok !== 'groth16') throw new Error(`${circuit} ${r.name}: did not verify`);
    console.log(`| ${circuit} | ${r.name} | ${r.first.toFixed(0)} | ${m.toFixed(0)} | ${(base / m).toFixed(2)}× | ${r.cpuPerProof.toFixed(0)} | ${r.cpuPerWall.toFixed(2)} |`);
  }
}
for (const v of ['full', 'threads']) {
  const f = path.join(ROOT, 'bindings-wasm/pkg', v, 'causeway_wasm_bg.wasm');
  console.log(`size ${v}: ${statSync(f).size} B raw, ${gzipSync(readFileSync(f), { level: 9 }).length} B gzip -9`);
}
