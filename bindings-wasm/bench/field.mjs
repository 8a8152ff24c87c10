// Field arithmetic and Groth16 prove phases in wasm, in Node (issue 13; decision 0103).
//
//   node bindings-wasm/bench/field.mjs [iterations] [proofs]
//
// 1. Fq / Fr multiplication, squaring and the two-product sum (the kernel of Fq2
//    multiplication) in the self-test module (bindings-wasm/pkg-test, built by
//    `scripts/build-wasm.sh --test`): the bodies the module uses beside arkworks' upstream
//    64-bit-limb bodies, compiled into the same module (ns per operation, best of 5 runs of a
//    chain of `iterations`, default 1e6; CPU time of the process).
// 2. Where a Groth16 presentation's time goes in the shipped module (bindings-wasm/pkg): the
//    time from each `onProgress` phase to the next (witness, quotient, msm-h … msm-b2, check,
//    sign), medians of `proofs` (default 5) after one warm-up proof
//    (CAUSEWAY_WASM_PKG=dir measures another package directory).
import path from 'node:path';
import { load, TEST_PKG, PKG } from '../tests/helpers.mjs';

const ITERS = Number(process.argv[2] ?? 1e6);
const PROOFS = Number(process.argv[3] ?? 5);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const t = await load('index.js', TEST_PKG).catch(() => null);
const best = (op, iters = ITERS) => {
  let b = Infinity;
  let out;
  for (let i = 0; i < 5; i += 1) {
    const c0 = cpu();
    out = t._selfTest('selfTestFieldOps', op, iters);
    b = Math.min(b, cpu() - c0);
  }
  return { ns: (b * 1e6) / iters, out };
};
if (t) {
console.log(`node ${process.version}; ${ITERS} chained ops per run, best of 5 (CPU ns/op); module ${path.relative(process.cwd(), TEST_PKG)}`);
console.log('| operation | used in wasm | upstream 64-bit limbs | upstream / used |');
console.log('|---|---:|---:|---:|');
for (const [name, ours, up] of [
  ['Fq mul', 'fq-mul', 'fq-mul-u64'],
  ['Fq square', 'fq-square', 'fq-square-u64'],
  ['Fq a0·b0 + a1·b1', 'fq-sop2-u32', 'fq-sop2-u64'],
  ['Fr mul', 'fr-mul', 'fr-mul-u64'],
]) {
  const a = best(ours);
  const b = best(up);
  if (a.out !== b.out) throw new Error(`${name}: results differ`);
  console.log(`| ${name} | ${a.ns.toFixed(1)} | ${b.ns.toFixed(1)} | ${(b.ns / a.ns).toFixed(2)}× |`);
}
for (const op of ['fq2-mul', 'g1-add']) console.log(`${op}: ${best(op).ns.toFixed(1)} ns/op`);
// the MSM's cost model counts an inversion in multiplications (core/src/snark/msm/mod.rs)
const inv = best('fq-inverse', Math.max(1, Math.round(ITERS / 100)));
const mul = best('fq-mul');
console.log(`fq-inverse: ${inv.ns.toFixed(1)} ns/op = ${(inv.ns / mul.ns).toFixed(0)} Fq multiplications`);
}

const cw = await load('index.js', PKG);
const bank = cw.Party.generate();
const holder = cw.Party.generate();
const person = cw.issueAttestation({ schema: 'person/v1', fields: { age: { type: 'int', value: 34n } } },
  { issuer: bank, subject: holder, notBefore: 0n, notAfter: 2n ** 40n });
const invoices = [0, 1, 2, 3].map((i) => cw.issueAttestation(
  { schema: 'invoice/v1', fields: { amount: { type: 'int', value: 300_000n + BigInt(i) } } },
  { issuer: bank, subject: holder, notBefore: 0n, notAfter: 2n ** 40n, recordId: `invoice ${i}` }));
const challenge = cw.randomChallenge();
console.log(`\nGroth16 presentation phases, shipped module ${path.relative(process.cwd(), PKG)}: median CPU ms of ${PROOFS}`);
for (const c of [
  { name: 'attribute', attested: [person], prove: ['age >= 18'] },
  { name: 'sum:4', attested: invoices, prove: ['sum(amount) >= 1000000'] },
]) {
  const setup = cw.setupCircuit(c.name);
  const keys = new cw.KeyRing().addProvingKey(c.name, setup.keyId, setup.provingKey);
  const runs = [];
  for (let i = 0; i <= PROOFS; i += 1) {
    const marks = [];
    const c0 = cpu();
    cw.createPresentation({
      holder, attested: c.attested, prove: c.prove, challenge, backend: 'groth16', keys,
      onProgress: (p) => marks.push([p.phase, cpu()]),
    });
    const end = cpu();
    const row = { total: end - c0 };
    marks.forEach(([ph, at], k) => { row[ph] = (marks[k + 1]?.[1] ?? end) - at; });
    if (i > 0) runs.push(row);
  }
  const phases = Object.keys(runs[0]);
  console.log(`${c.name}: ${phases.map((p) => `${p} ${med(runs.map((r) => r[p] ?? 0)).toFixed(1)}`).join(', ')}`);
  keys.free();
}
