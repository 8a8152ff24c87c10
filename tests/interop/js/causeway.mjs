// Drives the `causeway` CLI for the interop tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = process.env.CAUSEWAY_BIN || join(ROOT, 'target', 'debug', 'causeway');

export class Causeway {
  constructor() {
    if (!existsSync(BIN)) {
      throw new Error(`${BIN} is missing: run cargo build -p causeway-cli`);
    }
    this.dir = mkdtempSync(join(tmpdir(), 'cw-js-'));
  }

  run(...args) {
    try {
      return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(String(e.stderr || e.message).trim());
    }
  }

  party(name) {
    const key = join(this.dir, `${name}.key`);
    this.run('keygen', '-o', key);
    return key;
  }

  pubkey(key) {
    return this.run('pubkey', '-k', key).trim();
  }

  jwk(key, secret = false) {
    return JSON.parse(this.run('export-jwk', '-k', key, '--encryption-only', ...(secret ? ['--secret'] : [])));
  }

  seal(owner, recipientPub, plaintext) {
    const src = join(this.dir, 'in.bin');
    const out = join(this.dir, 'sealed.jwe');
    writeFileSync(src, plaintext);
    this.run('seal', '-k', owner, '-r', recipientPub, '--bytes', '--jwe', '-i', src, '-o', out);
    return readFileSync(out, 'utf8');
  }

  open(key, sealed) {
    const src = join(this.dir, 'sealed.in');
    const out = join(this.dir, 'plain.out');
    writeFileSync(src, sealed);
    this.run('open', '-k', key, '-i', src, '-o', out);
    return new Uint8Array(readFileSync(out));
  }
}
