// Compiles contracts/src/*.sol with solc-js (pinned version and EVM target) and writes
// contracts/artifacts/<Name>.json (ABI, creation and runtime bytecode).
//   node build.mjs           write the artifacts
//   node build.mjs --check   recompile and compare byte-for-byte with the checked-in artifacts
//   node build.mjs --file X.sol --out DIR   compile one extra source (generated verifiers)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const SOLC_VERSION = '0.8.37';
const EVM_VERSION = 'shanghai';
const RUNS = 200;

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const fileAt = args.indexOf('--file');
const outAt = args.indexOf('--out');

if (!solc.version().startsWith(SOLC_VERSION + '+')) {
  console.error(`solc ${solc.version()} is not the pinned ${SOLC_VERSION}`);
  process.exit(2);
}

let files;
if (fileAt >= 0) {
  files = [path.resolve(args[fileAt + 1])];
} else {
  const src = path.join(here, 'src');
  files = fs.readdirSync(src).filter((f) => f.endsWith('.sol')).sort().map((f) => path.join(src, f));
}
const outDir = outAt >= 0 ? path.resolve(args[outAt + 1]) : path.join(here, 'artifacts');

const sources = {};
for (const f of files) sources[path.basename(f)] = { content: fs.readFileSync(f, 'utf8') };
const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: EVM_VERSION,
    optimizer: { enabled: true, runs: RUNS },
    metadata: { bytecodeHash: 'none', appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors || []).filter((e) => e.severity === 'error');
for (const e of out.errors || []) console.error(e.formattedMessage);
if (errors.length) process.exit(1);

let differ = 0;
fs.mkdirSync(outDir, { recursive: true });
for (const file of Object.keys(out.contracts).sort()) {
  for (const name of Object.keys(out.contracts[file]).sort()) {
    const c = out.contracts[file][name];
    if (!c.evm.bytecode.object) continue; // interfaces, abstract contracts
    const artifact = {
      contractName: name,
      sourceName: file,
      compiler: { solc: SOLC_VERSION, evmVersion: EVM_VERSION, optimizerRuns: RUNS },
      abi: c.abi,
      bytecode: '0x' + c.evm.bytecode.object,
      deployedBytecode: '0x' + c.evm.deployedBytecode.object,
    };
    const text = JSON.stringify(artifact, null, 2) + '\n';
    const dest = path.join(outDir, `${name}.json`);
    if (check) {
      const have = fs.existsSync(dest) ? fs.readFileSync(dest, 'utf8') : null;
      if (have !== text) {
        console.error(`artifact differs from a fresh compile: ${path.relative(here, dest)}`);
        differ++;
      } else {
        console.log(`ok ${path.relative(here, dest)}`);
      }
    } else {
      fs.writeFileSync(dest, text);
      console.log(`wrote ${path.relative(process.cwd(), dest)}`);
    }
  }
}
process.exit(differ ? 1 : 0);
