// The sealed-object testkit (tests/vectors/sealed, see tests/vectors/README.md) against jose:
// what a plain JOSE library must do with each JWE file (its `generic_jose` member).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';
import { ROOT } from './causeway.mjs';

const DIR = join(ROOT, 'tests', 'vectors', 'sealed');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const vectors = files.map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')));
const cases = vectors.filter((v) => v.generic_jose === 'opens' || v.generic_jose === 'fails');

test('testkit present', () => {
  assert.ok(files.length >= 40, `${files.length} files`);
  assert.ok(cases.length >= 30, `${cases.length} JWE cases`);
});

async function tryOpen(text, jwks) {
  for (const jwk of jwks) {
    try {
      const key = await jose.importJWK(jwk, 'ECDH-ES+A256KW');
      if (!text.trimStart().startsWith('{')) {
        return new Uint8Array((await jose.compactDecrypt(text, key)).plaintext);
      }
      const doc = JSON.parse(text);
      const r = doc.recipients ? await jose.generalDecrypt(doc, key) : await jose.flattenedDecrypt(doc, key);
      return new Uint8Array(r.plaintext);
    } catch {
      // try the next key
    }
  }
  return null;
}

for (const v of cases) {
  test(`testkit ${v.name} with jose`, async () => {
    const keys = JSON.parse(readFileSync(join(DIR, 'keys', `${v.opener}.jwk.json`), 'utf8')).keys;
    const text = Buffer.from(v.sealed_b64u, 'base64url').toString('utf8');
    const got = await tryOpen(text, keys);
    if (v.generic_jose === 'fails') {
      assert.equal(got, null, 'a plain JOSE library must refuse this file');
      return;
    }
    assert.notEqual(got, null, 'a plain JOSE library must open this file');
    const want = v.expect.opens_to?.plaintext_b64u;
    if (want !== undefined) {
      assert.deepEqual(got, new Uint8Array(Buffer.from(want, 'base64url')));
    }
  });
}
