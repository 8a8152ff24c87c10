// The `causeway` CLI for the cross-face tests (Node: ../crossface.test.mjs; Chromium:
// browser/crossface.test.mjs). The binary is $CAUSEWAY_CLI, else
// $CARGO_TARGET_DIR/debug/causeway (built by the test stage), else target/debug/causeway.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.mjs';

/** The CLI binary under test. */
export const CLI = process.env.CAUSEWAY_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug', 'causeway');

/** A fresh temporary directory, removed when the process exits: `{ dir, f(name) }`. */
export function scratch(prefix = 'cw-wasm-cross-') {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { dir, f: (name) => path.join(dir, name) };
}

/** Runs the CLI; throws when it exits non-zero. Returns stdout as a Buffer. */
export function cli(...args) {
  return execFileSync(CLI, args, { encoding: 'buffer', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs the CLI with `--json` and parses stdout. */
export function cliJson(...args) {
  return JSON.parse(cli('--json', ...args).toString());
}

/**
 * Runs the CLI with `--json`, expecting it to fail: returns `{ status, code, message }` where
 * `code` is core's stable error code from the JSON the CLI prints on stderr (`null` when the
 * failure did not come from core). Throws when the command succeeds or prints no JSON error.
 */
export function cliFailure(...args) {
  const r = spawnSync(CLI, ['--json', ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  if (r.status === 0) throw new Error(`causeway ${args.join(' ')} succeeded; a failure was expected`);
  const line = r.stderr.trim().split('\n').pop() ?? '';
  let err;
  try {
    err = JSON.parse(line);
  } catch {
    throw new Error(`causeway ${args.join(' ')} failed (exit ${r.status}) without a JSON error: ${r.stderr}`);
  }
  return { status: r.status, code: err.code, message: err.error };
}

/** Lower-case hex of bytes. */
export const hexOf = (b) => Buffer.from(b).toString('hex');
