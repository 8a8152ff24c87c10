// Drives Causeway through tests/src/bin/cw-interop.rs for the interop tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = process.env.CAUSEWAY_INTEROP_BIN || join(ROOT, 'target', 'debug', 'cw-interop');

export class Causeway {
  constructor() {
    if (!existsSync(BIN)) {
      throw new Error(`${BIN} is missing: run cargo build -p causeway-tests --bin cw-interop`);
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
    this.run('keygen', key);
    return key;
  }

  pubkey(key) {
    return this.run('pubkey', key).trim();
  }

  jwk(key, secret = false) {
    return JSON.parse(this.run('jwk', key, ...(secret ? ['--secret'] : [])));
  }

  seal(owner, recipientPub, plaintext) {
    const src = join(this.dir, 'in.bin');
    const out = join(this.dir, 'sealed.jwe');
    writeFileSync(src, plaintext);
    this.run('seal', owner, recipientPub, src, out);
    return readFileSync(out, 'utf8');
  }

  open(key, sealed) {
    const src = join(this.dir, 'sealed.in');
    const out = join(this.dir, 'plain.out');
    writeFileSync(src, sealed);
    this.run('open', key, src, out);
    return new Uint8Array(readFileSync(out));
  }
}
