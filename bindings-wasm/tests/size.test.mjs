// The shipped modules' size (issue 13: the full .wasm <= 1.5 MB uncompressed and <= 500 kB
// gzipped; decision 0093, figures in docs/benchmarks/wasm.md) and what they must not carry: no
// name section, no DWARF, no producers section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { SHIPPED_PKG } from './helpers.mjs';

const read = (v) => readFileSync(path.join(SHIPPED_PKG, v, 'causeway_wasm_bg.wasm'));

test('the full module is at most 1.5 MB, and 500 kB gzipped', () => {
  const full = read('full');
  const gz = gzipSync(full, { level: 9 }).length;
  assert.ok(full.length <= 1_500_000, `full: ${full.length} bytes`);
  assert.ok(gz <= 500_000, `full: ${gz} bytes gzip -9`);
});

test('the light module is smaller than the full one', () => {
  const light = read('light');
  const full = read('full');
  assert.ok(light.length < full.length, `light ${light.length}, full ${full.length}`);
  assert.ok(gzipSync(light, { level: 9 }).length < gzipSync(full, { level: 9 }).length);
});

test('no name section, debug info or producers section in the shipped modules', () => {
  for (const v of ['full', 'light']) {
    const module = new WebAssembly.Module(read(v));
    for (const name of ['name', 'producers', '.debug_info', '.debug_str', '.debug_line']) {
      assert.equal(WebAssembly.Module.customSections(module, name).length, 0, `${v}: ${name}`);
    }
  }
});
