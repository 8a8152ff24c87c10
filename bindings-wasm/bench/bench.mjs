// Figures for docs/benchmarks/wasm.md: Bulletproofs and Groth16 prove/verify for the attribute
// statement and the sum over 4 attested records, and proving-key load time, in Node (one
// thread). Usage: node bindings-wasm/bench/bench.mjs [pkg dir] (default bindings-wasm/pkg).
import { pathToFileURL, fileURLToPath } from 'node:url';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(process.argv[2] ?? path.join(here, '../pkg'));
const cw = await import(pathToFileURL(path.join(pkg, 'index.js')).href);
await cw.init();

function measure(fn, n) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < n; i += 1) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const med = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { wall: med(wall), cpu: med(cpu) };
}
const fmt = (m) => `${m.wall.toFixed(2)} ms (cpu ${m.cpu.toFixed(2)})`;

const bank = cw.Party.generate();
const holder = cw.Party.generate();
const person = cw.issueAttestation({ schema: 'person/v1', fields: { age: { type: 'int', value: 34n } } },
  { issuer: bank, subject: holder, notBefore: 0n, notAfter: 2n ** 40n });
const invoices = [0, 1, 2, 3].map((i) => cw.issueAttestation(
  { schema: 'invoice/v1', fields: { amount: { type: 'int', value: 300_000n + BigInt(i) } } },
  { issuer: bank, subject: holder, notBefore: 0n, notAfter: 2n ** 40n, recordId: `invoice ${i}` }));
const cases = [
  { name: 'attribute', attested: [person], prove: ['age >= 18'], circuit: 'attribute' },
  { name: 'sum k = 4', attested: invoices, prove: ['sum(amount) >= 1000000'], circuit: 'sum:4' },
];
const challenge = cw.randomChallenge();
const rows = [];
for (const c of cases) {
  const bp = measure(() => cw.createPresentation({ holder, attested: c.attested, prove: c.prove, challenge }), 5);
  const p = cw.createPresentation({ holder, attested: c.attested, prove: c.prove, challenge });
  const bv = measure(() => cw.verifyPresentation(p.bytes, { issuers: [bank], challenge }), 20);
  const t0 = performance.now();
  const setup = cw.setupCircuit(c.circuit);
  const setupMs = performance.now() - t0;
  const load = measure(() => new cw.KeyRing().addProvingKey(c.circuit, setup.keyId, setup.provingKey).free(), 5);
  const keys = new cw.KeyRing().addProvingKey(c.circuit, setup.keyId, setup.provingKey);
  const vkeys = new cw.KeyRing().addVerifyingKey(c.circuit, setup.keyId, setup.verifyingKey);
  const gp = measure(() => cw.createPresentation({ holder, attested: c.attested, prove: c.prove, challenge, backend: 'groth16', keys }), 5);
  const g = cw.createPresentation({ holder, attested: c.attested, prove: c.prove, challenge, backend: 'groth16', keys });
  const gv = measure(() => cw.verifyPresentation(g.bytes, { issuers: [bank], challenge, keys: vkeys }), 20);
  rows.push({ c: c.name, bp, bv, gp, gv, load, setupMs, pkBytes: setup.provingKey.length });
  keys.free(); vkeys.free();
}
console.log(`node ${process.version}, package ${pkg}`);
for (const v of ['full', 'light']) {
  const b = readFileSync(path.join(pkg, v, 'causeway_wasm_bg.wasm'));
  console.log(`${v}.wasm: ${b.length} bytes raw, ${gzipSync(b, { level: 9 }).length} bytes gzip -9`);
}
for (const r of rows) {
  console.log(`${r.c}: bulletproofs presentation prove ${fmt(r.bp)}, verify ${fmt(r.bv)}`);
  console.log(`${r.c}: groth16 presentation prove ${fmt(r.gp)}, verify ${fmt(r.gv)}; proving key ${r.pkBytes} B loads in ${fmt(r.load)}; setup ${r.setupMs.toFixed(0)} ms`);
}
