// Causeway <-> jose (npm): sealed records open with an independent JOSE library, and JWEs it
// makes for a Causeway party's X25519 key open with Causeway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { Causeway } from './causeway.mjs';

const ALG = 'ECDH-ES+A256KW';
const PAYLOADS = {
  text: new TextEncoder().encode('hello, regulator'),
  empty: new Uint8Array(0),
  '10KiB': Uint8Array.from({ length: 10240 }, (_, i) => i % 256),
};

for (const [name, payload] of Object.entries(PAYLOADS)) {
  test(`Causeway sealed (${name}) opens with jose`, async () => {
    const cw = new Causeway();
    const alice = cw.party('alice');
    const bob = cw.party('bob');
    const doc = JSON.parse(cw.seal(alice, cw.pubkey(bob), payload));
    assert.equal(doc.recipients.length, 2); // the owner is always a recipient too
    for (const who of [alice, bob]) {
      const key = await jose.importJWK(cw.jwk(who, true), ALG);
      const { plaintext } = await jose.generalDecrypt(doc, key);
      assert.deepEqual(new Uint8Array(plaintext), payload);
    }
  });

  for (const shape of ['compact', 'flattened', 'general']) {
    test(`jose ${shape} JWE (${name}) opens with Causeway`, async () => {
      const cw = new Causeway();
      const bob = cw.party('bob');
      const pub = cw.jwk(bob);
      assert.equal(pub.crv, 'X25519');
      const key = await jose.importJWK(pub, ALG);
      let token;
      if (shape === 'compact') {
        token = await new jose.CompactEncrypt(payload)
          .setProtectedHeader({ alg: ALG, enc: 'A256GCM' })
          .encrypt(key);
      } else if (shape === 'flattened') {
        token = JSON.stringify(
          await new jose.FlattenedEncrypt(payload)
            .setProtectedHeader({ enc: 'A256GCM' })
            .setUnprotectedHeader({ alg: ALG, kid: pub.kid })
            .encrypt(key),
        );
      } else {
        token = JSON.stringify(
          await new jose.GeneralEncrypt(payload)
            .setProtectedHeader({ enc: 'A256GCM' })
            .addRecipient(key)
            .setUnprotectedHeader({ alg: ALG, kid: pub.kid })
            .encrypt(),
        );
      }
      assert.deepEqual(cw.open(bob, token), payload);
    });
  }
}

test('Causeway sealed does not open with jose for another key', async () => {
  const cw = new Causeway();
  const alice = cw.party('alice');
  const bob = cw.party('bob');
  const carol = cw.party('carol');
  const doc = JSON.parse(cw.seal(alice, cw.pubkey(bob), new TextEncoder().encode('not for carol')));
  const key = await jose.importJWK(cw.jwk(carol, true), ALG);
  await assert.rejects(jose.generalDecrypt(doc, key));
});

test('a jose JWE for another key or tampered is refused by Causeway', async () => {
  const cw = new Causeway();
  const bob = cw.party('bob');
  const carol = cw.party('carol');
  const pub = cw.jwk(bob);
  const key = await jose.importJWK(pub, ALG);
  const doc = await new jose.GeneralEncrypt(new TextEncoder().encode('for bob only'))
    .setProtectedHeader({ enc: 'A256GCM' })
    .addRecipient(key)
    .setUnprotectedHeader({ alg: ALG, kid: pub.kid })
    .encrypt();
  assert.throws(() => cw.open(carol, JSON.stringify(doc)), /decryption failed/);
  const ct = doc.ciphertext;
  doc.ciphertext = (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1);
  assert.throws(() => cw.open(bob, JSON.stringify(doc)), /decryption failed/);
});
