// Serves the demo page (examples/web) and the npm package (bindings-wasm/pkg) on 127.0.0.1,
// after making the fixtures if they are missing or stale. Run by scripts/serve-demo.sh (which
// builds the package first) and imported by the page's browser test
// (bindings-wasm/tests/browser/demo.test.mjs).
//
//   node examples/web/serve.mjs [--port N]
//
// The fixtures are made by Causeway's own code, the Rust example
// examples/examples/web_fixtures.rs ($CAUSEWAY_WEB_FIXTURES_BIN, else
// $CARGO_TARGET_DIR/debug/examples/web_fixtures, built with cargo if missing), into
// examples/web/fixtures/ (git-ignored; fixed names, listed in fixtures/manifest.json).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../bindings-wasm/tests/browser/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const FIXTURES = path.join(HERE, 'fixtures');
const TARGET = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
const BIN = process.env.CAUSEWAY_WEB_FIXTURES_BIN
  || path.join(TARGET, 'debug', 'examples', 'web_fixtures');
const GENERATOR_SRC = path.join(ROOT, 'examples/examples/web_fixtures.rs');
// The attestation in the fixtures is valid for 366 days from its making: remake well before.
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

function mtime(p) {
  try { return fs.statSync(p).mtimeMs; } catch { return 0; }
}

/** Builds the generator if it is missing or older than its source. */
function ensureGenerator() {
  if (process.env.CAUSEWAY_WEB_FIXTURES_BIN) return;
  if (mtime(BIN) > mtime(GENERATOR_SRC)) return;
  process.stderr.write('==> cargo build -p causeway-examples --example web_fixtures\n');
  execFileSync('cargo', ['build', '--quiet', '-p', 'causeway-examples', '--example', 'web_fixtures'], {
    cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** The fixtures' manifest, making them first if they are missing, stale, or older than the
 * generator. `force` remakes them anyway. */
export function ensureFixtures({ force = false } = {}) {
  const manifest = path.join(FIXTURES, 'manifest.json');
  ensureGenerator();
  let m = null;
  try { m = JSON.parse(fs.readFileSync(manifest, 'utf8')); } catch { m = null; }
  const fresh = m && Date.now() - Number(m.generatedAtMs) < MAX_AGE_MS && mtime(manifest) > mtime(BIN);
  if (force || !fresh) {
    execFileSync(BIN, [FIXTURES], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    m = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  }
  return m;
}

/** Serves the page at `/` and the package at `/pkg/` on 127.0.0.1 (`port` 0: a free one). */
export async function serveDemo({ port = 0, isolated = false } = {}) {
  if (!fs.existsSync(path.join(ROOT, 'bindings-wasm/pkg/index.js'))) {
    throw new Error('bindings-wasm/pkg is missing: run scripts/build-wasm.sh (scripts/serve-demo.sh does)');
  }
  ensureFixtures();
  return serve({ '/': 'examples/web', '/pkg/': 'bindings-wasm/pkg' }, { isolated, port });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8480;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: node examples/web/serve.mjs [--port N]\n');
    process.exit(2);
  }
  const server = await serveDemo({ port });
  process.stdout.write(`Causeway demo: ${server.url}/  (Ctrl-C to stop)\n`);
  const stop = async () => { await server.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
