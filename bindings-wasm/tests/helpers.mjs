// Shared by the Node tests: loads the package under test (CAUSEWAY_WASM_PKG, default the
// shipped build bindings-wasm/pkg; the trap test loads bindings-wasm/pkg-test, the full entry
// built with the `self-test` feature) and reads the shared vectors.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const VECTORS = path.join(ROOT, 'tests/vectors');
export const PKG = process.env.CAUSEWAY_WASM_PKG
  ? path.resolve(process.env.CAUSEWAY_WASM_PKG)
  : path.join(ROOT, 'bindings-wasm/pkg');
export const SHIPPED_PKG = path.join(ROOT, 'bindings-wasm/pkg');
export const TEST_PKG = path.join(ROOT, 'bindings-wasm/pkg-test');

export async function load(entry = 'index.js', dir = PKG) {
  const cw = await import(pathToFileURL(path.join(dir, entry)).href);
  await cw.init();
  return cw;
}

export function b64u(s) {
  return new Uint8Array(Buffer.from(s, 'base64url'));
}
export function hex(s) {
  return new Uint8Array(Buffer.from(s, 'hex'));
}
export function readJson(p) {
  return JSON.parse(readFileSync(p, 'utf8'));
}
export function readText(p) {
  return readFileSync(p, 'utf8');
}
