// Writes the Solidity Groth16 verifier snarkjs generates for a verifying key, as the gas peer of
// Causeway's own verifier (tests/tests/verifier_evm.rs, run by scripts/suites/50-evm.sh).
//
//   node solidity-verifier.mjs vk.json out.sol
//
// `snarkjs zkey export solidityverifier` reads the verifying key out of a .zkey and renders
// snarkjs's template with it (snarkjs 0.7.6, build/main.cjs `exportSolidityVerifier`:
// `ejs.render(templates[vk.protocol], vk)`). Causeway has no .zkey (its keys come from its own
// setup), so this does the same render with the same template and the same ejs, from the key in
// snarkjs's verification_key.json form (causeway's `snark::vk_to_snarkjs_json`). The output is
// what the CLI writes for a .zkey holding this key (scripts/suites/50-evm.sh checks that, byte
// for byte, on a .zkey from snarkjs's dependencies). Test harness only (snarkjs is GPL-3.0).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ejs = require('ejs');
const snarkjsDir = path.join(here, 'node_modules', 'snarkjs');
const template = fs.readFileSync(path.join(snarkjsDir, 'templates', 'verifier_groth16.sol.ejs'), 'utf8');

const [vkPath, outPath] = process.argv.slice(2);
if (!vkPath || !outPath) {
  console.error('usage: node solidity-verifier.mjs vk.json out.sol');
  process.exit(2);
}
const vk = JSON.parse(fs.readFileSync(vkPath, 'utf8'));
if (vk.protocol !== 'groth16') {
  console.error(`not a groth16 verifying key: ${vk.protocol}`);
  process.exit(2);
}
fs.writeFileSync(outPath, ejs.render(template, vk));
console.log(`snarkjs ${JSON.parse(fs.readFileSync(path.join(snarkjsDir, 'package.json'), 'utf8')).version} verifier written to ${outPath}`);
