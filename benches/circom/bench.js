// Benchmark harness only: snarkjs (GPL-3.0, from npm, never shipped) proving and verifying the
// circom twins of Causeway's statements, in process (snarkjs.groth16.fullProve = witness
// calculation in wasm + prove; verify with the exported verification key).
//
// node bench.js DIR name... : for each name, uses DIR/<name>.wasm, DIR/<name>.zkey,
// DIR/<name>.vkey.json, DIR/<name>.input.json; checks the public signal equals ours
// (DIR/ours.json) and writes DIR/snarkjs.json.
"use strict";
const fs = require("fs");
const path = require("path");
const snarkjs = require("snarkjs");

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const [dir, ...names] = process.argv.slice(2);
  const quick = process.env.QUICK === "1";
  const ours = JSON.parse(fs.readFileSync(path.join(dir, "ours.json"), "utf8"));
  const out = {};
  for (const name of names) {
    const ourKey = name.startsWith("sum")
      ? `sum-k${name.slice(3)}`
      : name === "membership" ? "membership-d20-nullifier" : name;
    const input = JSON.parse(fs.readFileSync(path.join(dir, `${name}.input.json`), "utf8"));
    const wasm = path.join(dir, `${name}.wasm`);
    const zkey = path.join(dir, `${name}.zkey`);
    const vkey = JSON.parse(fs.readFileSync(path.join(dir, `${name}.vkey.json`), "utf8"));
    const n = quick ? 3 : 7;
    const m = quick ? 10 : 30;
    const prove = [];
    const proveCpu = [];
    let last;
    // one warm-up (wasm compilation, curve tables)
    last = await snarkjs.groth16.fullProve(input, wasm, zkey);
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      const c = process.cpuUsage();
      last = await snarkjs.groth16.fullProve(input, wasm, zkey);
      prove.push(Number(process.hrtime.bigint() - t) / 1e6);
      const d = process.cpuUsage(c);
      proveCpu.push((d.user + d.system) / 1e3);
    }
    const { proof, publicSignals } = last;
    if (ours[ourKey] && publicSignals[0] !== ours[ourKey].public) {
      throw new Error(`${name}: snarkjs public signal ${publicSignals[0]} != ours ${ours[ourKey].public}`);
    }
    const verify = [];
    const verifyCpu = [];
    for (let i = 0; i < m; i++) {
      const t = process.hrtime.bigint();
      const c = process.cpuUsage();
      const ok = await snarkjs.groth16.verify(vkey, publicSignals, proof);
      verify.push(Number(process.hrtime.bigint() - t) / 1e6);
      const d = process.cpuUsage(c);
      verifyCpu.push((d.user + d.system) / 1e3);
      if (!ok) throw new Error(`${name}: snarkjs proof did not verify`);
    }
    out[name] = {
      prove_ms: median(prove), prove_cpu_ms: median(proveCpu),
      verify_ms: median(verify), verify_cpu_ms: median(verifyCpu),
      same_public_input: !!ours[ourKey],
    };
    const r = out[name];
    console.error(`snarkjs ${name}: prove ${r.prove_ms.toFixed(1)} ms (cpu ${r.prove_cpu_ms.toFixed(1)}), verify ${r.verify_ms.toFixed(2)} ms (cpu ${r.verify_cpu_ms.toFixed(2)}); public input equals ours`);
  }
  fs.writeFileSync(path.join(dir, "snarkjs.json"), JSON.stringify(out, null, 2));
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
