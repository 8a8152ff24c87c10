// The package README's examples run (against the built package).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { ROOT, SHIPPED_PKG } from './helpers.mjs';

test('every ```js example in bindings-wasm/README.md runs', () => {
  const md = readFileSync(path.join(ROOT, 'bindings-wasm/README.md'), 'utf8');
  const blocks = [...md.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 1);
  const dir = mkdtempSync(path.join(tmpdir(), 'cw-readme-'));
  try {
    blocks.forEach((code, i) => {
      const src = code
        .replaceAll("'causeway-wasm/light'", `'${pathToFileURL(path.join(SHIPPED_PKG, 'light.js')).href}'`)
        .replaceAll("'causeway-wasm'", `'${pathToFileURL(path.join(SHIPPED_PKG, 'index.js')).href}'`);
      const file = path.join(dir, `example${i}.mjs`);
      writeFileSync(file, src);
      execFileSync(process.execPath, [file], { stdio: 'pipe' });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
