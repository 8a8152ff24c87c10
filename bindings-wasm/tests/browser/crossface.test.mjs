// Cross-face in a real browser: records sealed and presentations made in headless Chromium open
// and verify with the `causeway` CLI ($CAUSEWAY_CLI, ../cli.mjs), and the reverse; a changed
// byte is refused by both faces with the same error code. One browser, one page
// (pages/crossface.html), one `causeway setup --circuit attribute` per run; the CLI's files are
// served to the page under /work/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serve, withPage } from './harness.mjs';
import { cli, cliFailure, cliJson, scratch } from '../cli.mjs';
import { PKG, VECTORS } from '../helpers.mjs';

const { dir, f } = scratch('cw-browser-cross-');
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const fromB64 = (text) => Buffer.from(text, 'base64');
const NOW = Math.floor(Date.now() / 1000);
const MEMBERSHIP_VECTOR = path.join(VECTORS, 'membership/proof.json');

/** The CLI's exit code for each error kind (decision 0003). */
const EXIT_OF_KIND = { malformed: 1, unsupported: 1, internal: 1, denied: 3, io: 4 };

/** `bytes` with bit 0 of byte `i` flipped. */
function flip(bytes, i) {
  const out = Buffer.from(bytes);
  out[i] ^= 0x01;
  return out;
}

/** Changed copies of a binary object: header, early, middle and late bytes, the last byte. */
function binaryVariants(bytes) {
  const n = bytes.length;
  return [0, 5, 40, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4), n - 1]
    .filter((i, k, all) => i < n && all.indexOf(i) === k)
    .map((i) => ({ what: `byte ${i} of ${n}`, bytes: flip(bytes, i) }));
}

/** Changed copies of a JWE JSON serialization: one character in the middle of each base64url
 * member (protected header, each recipient's wrapped key, iv, ciphertext, tag), replaced by
 * another base64url character; and a raw byte of the JSON text. */
function jweVariants(bytes) {
  const jwe = JSON.parse(bytes.toString('utf8'));
  const out = [];
  const change = (s) => {
    const i = Math.floor(s.length / 2);
    return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  };
  for (const k of ['protected', 'iv', 'ciphertext', 'tag']) {
    assert.equal(typeof jwe[k], 'string', `JWE member ${k}`);
    out.push({ what: `JWE ${k}`, bytes: Buffer.from(JSON.stringify({ ...jwe, [k]: change(jwe[k]) })) });
  }
  jwe.recipients.forEach((r, i) => {
    const recipients = jwe.recipients.map((x, j) => (j === i ? { ...x, encrypted_key: change(x.encrypted_key) } : x));
    out.push({ what: `JWE recipients[${i}].encrypted_key`, bytes: Buffer.from(JSON.stringify({ ...jwe, recipients })) });
  });
  out.push({ what: 'JWE text byte', bytes: flip(bytes, Math.floor(bytes.length / 2)) });
  return out;
}

test('cross-face with the CLI in Chromium', async (t) => {
  // the CLI's parties: the bank (issuer, owner) and an outsider who is sent nothing
  cli('keygen', '-o', f('bank.key'));
  cli('keygen', '-o', f('outsider.key'));
  const bankPub = cli('pubkey', '-k', f('bank.key')).toString().trim();
  const outsiderPub = cli('pubkey', '-k', f('outsider.key')).toString().trim();
  // one setup per run; the page gets the key files from /work/keys/
  const setup = cliJson('setup', '--circuit', 'attribute', '--out', f('keys'));
  const keyId = setup.key_id;
  const digest = setup.proving_key_digest;
  assert.match(keyId, /^groth16vk1/);
  assert.match(digest, /^groth16pk1/);

  const server = await serve({
    '/': 'bindings-wasm/tests/browser/pages',
    '/pkg/': PKG,
    '/work/': dir,
  });
  try {
    await withPage(async (page) => {
      await page.goto(`${server.url}/crossface.html`);
      await page.waitForFunction(() => window.crossfaceReady !== undefined, null, { timeout: 60_000 });
      const ready = await page.evaluate(() => window.crossfaceReady);
      assert.equal(ready.ok, true, ready.error);
      assert.equal(ready.prover, true);

      const call = (fn, ...args) => page.evaluate(([name, a]) => window.crossface[name](...a), [fn, args]);
      const ok = async (fn, ...args) => {
        const r = await call(fn, ...args);
        assert.ok(!r.error, `${fn} failed in the page: ${JSON.stringify(r.error)}`);
        return r.ok;
      };
      const refused = async (fn, ...args) => {
        const r = await call(fn, ...args);
        assert.ok(r.error, `${fn} succeeded in the page; a refusal was expected`);
        assert.equal(r.error.causeway, true, `not a CausewayError: ${JSON.stringify(r.error)}`);
        assert.equal(typeof r.error.code, 'string');
        return r.error;
      };
      // the page's parties: the user (holder, recipient), a stranger; and the bank's key file
      // imported into the page, so both faces can open a changed record as the same recipient
      const user = await ok('newParty', 'user');
      await ok('newParty', 'stranger');
      const bankInPage = await ok('importParty', 'bank', '/work/bank.key');
      assert.equal(bankInPage.pub, bankPub);
      writeFileSync(f('user.pub'), user.pub);
      writeFileSync(f('bank.pub'), bankPub);

      /** Both faces refuse `bytes` as `bank` with the same code: returns it. */
      const sameRefusal = async (what, bytes, cliArgs, pageCall) => {
        writeFileSync(f('changed'), bytes);
        const c = cliFailure(...cliArgs(f('changed')));
        const p = await refused(...pageCall(b64(bytes)));
        assert.equal(p.code, c.code, `${what}: the page refused with ${p.code}, the CLI with ${c.code}`);
        // and the same kind: the CLI's exit code is the kind's (decision 0003)
        assert.equal(c.status, EXIT_OF_KIND[p.kind], `${what}: ${p.code} is ${p.kind}, the CLI exited ${c.status}`);
        return c.code;
      };
      const openArgs = (file) => ['open', '-k', f('bank.key'), '-i', file];

      await t.test('sealed in Chromium (binary and JWE): the CLI opens it for the recipient only', async (st) => {
        const record = { schema: 'note/v1', fields: { amount: { type: 'int', value: '-4611686018427387904' }, memo: { type: 'string', value: 'héllo' } } };
        for (const form of ['binary', 'jwe']) {
          const sealed = fromB64((await ok('seal', 'user', [bankPub], record, form)).b64);
          writeFileSync(f(`page.${form}`), sealed);
          const out = JSON.parse(cli('open', '-k', f('bank.key'), '-i', f(`page.${form}`), '--expect-owner', user.keyId).toString());
          assert.equal(out.schema, 'note/v1');
          assert.equal(BigInt(out.fields.amount.value), -(2n ** 62n));
          assert.equal(out.fields.memo.value, 'héllo');
          // not for anyone else: the outsider's key, or another owner expected
          const outsider = cliFailure('open', '-k', f('outsider.key'), '-i', f(`page.${form}`));
          assert.equal(outsider.status, 3);
          assert.equal(outsider.code, 'not_a_recipient');
          const stranger = await refused('open', b64(sealed), 'stranger');
          assert.equal(stranger.code, outsider.code);
          const wrongOwner = cliFailure('open', '-k', f('bank.key'), '-i', f(`page.${form}`), '--expect-owner', bankPub);
          assert.equal(wrongOwner.code, 'seal.wrong_owner');
          assert.equal((await refused('open', b64(sealed), 'bank', bankPub)).code, wrongOwner.code);
          // a changed byte: refused by both, with the same code
          const codes = new Set();
          for (const v of form === 'jwe' ? jweVariants(sealed) : binaryVariants(sealed)) {
            codes.add(await sameRefusal(`${form} ${v.what}`, v.bytes, openArgs, (s) => ['open', s, 'bank']));
          }
          st.diagnostic(`refused with ${[...codes].join(', ')}`);
          assert.ok(codes.size >= 2, `only ${[...codes]}: the changes should reach more than one check`);
        }
      });

      await t.test('sealed by the CLI (binary and JWE): Chromium opens it for the recipient only', async (st) => {
        writeFileSync(f('rec.json'), JSON.stringify({ schema: 'cli/v1', fields: { n: { type: 'int', value: 7 }, tag: { type: 'string', value: 'ünïcode' } } }));
        for (const extra of [[], ['--jwe']]) {
          cli('seal', '-k', f('bank.key'), '-r', f('user.pub'), '-i', f('rec.json'), '-o', f('cli.sealed'), ...extra);
          const sealed = readFileSync(f('cli.sealed'));
          const o = await ok('open', b64(sealed), 'user', bankPub);
          assert.equal(o.content.fields.n.value, '7');
          assert.equal(o.content.fields.tag.value, 'ünïcode');
          assert.equal(o.owner, bankInPage.keyId);
          assert.equal(o.format, extra.length ? 'jwe' : 'binary');
          assert.equal((await refused('open', b64(sealed), 'stranger')).code, 'not_a_recipient');
          assert.equal((await refused('open', b64(sealed), 'user', outsiderPub)).code, 'seal.wrong_owner');
          assert.equal(cliFailure('open', '-k', f('bank.key'), '-i', f('cli.sealed'), '--expect-owner', outsiderPub).code, 'seal.wrong_owner');
          assert.equal(cliFailure('open', '-k', f('outsider.key'), '-i', f('cli.sealed')).code, 'not_a_recipient');
          const codes = new Set();
          for (const v of extra.length ? jweVariants(sealed) : binaryVariants(sealed)) {
            codes.add(await sameRefusal(`CLI ${extra.length ? 'jwe' : 'binary'} ${v.what}`, v.bytes, openArgs, (s) => ['open', s, 'bank']));
          }
          st.diagnostic(`refused with ${[...codes].join(', ')}`);
          assert.ok(codes.size >= 2, `only ${[...codes]}`);
        }
      });

      // The bank attests the user's age (issued by the CLI, held in the page).
      writeFileSync(f('person.json'), JSON.stringify({ schema: 'person/v1', fields: { age: { type: 'int', value: 41 }, name: { type: 'string', value: 'Ann' } } }));
      cli('attest', '-k', f('bank.key'), '-i', f('person.json'), '--subject', f('user.pub'), '-o', f('ann.held'));
      const verifyArgs = (challenge, ...more) => (file) => ['verify', '-i', file, '--issuer', bankPub, '--challenge', challenge, ...more];

      await t.test('presented in Chromium (Bulletproofs): causeway verify accepts it, and only for its challenge', async (st) => {
        const challenge = cliJson('challenge').challenge;
        const p = await ok('present', 'user', '/work/ann.held', { disclose: ['name'], prove: ['age >= 18'], challenge });
        writeFileSync(f('bp.json'), p.json);
        writeFileSync(f('bp.bin'), fromB64(p.bytes.b64));
        for (const file of ['bp.json', 'bp.bin']) {
          const v = cliJson('verify', '-i', f(file), '--issuer', bankPub, '--challenge', challenge, '--require', 'age >= 18');
          assert.deepEqual(v.statements, ['age >= 18']);
          assert.equal(v.subject, user.keyId);
          assert.equal(v.backend, 'bulletproofs');
        }
        // a stronger claim than proven, another challenge, another issuer: refused
        assert.equal(cliFailure('verify', '-i', f('bp.json'), '--issuer', bankPub, '--challenge', challenge, '--require', 'age >= 42').status, 3);
        const other = cliJson('challenge').challenge;
        const c = cliFailure('verify', '-i', f('bp.json'), '--issuer', bankPub, '--challenge', other);
        const pc = await refused('verify', p.bytes.b64, { issuers: [bankPub], challenge: other });
        assert.equal(pc.code, c.code);
        assert.equal(cliFailure('verify', '-i', f('bp.json'), '--issuer', outsiderPub, '--challenge', challenge).status, 3);
        const codes = new Set();
        for (const v of binaryVariants(fromB64(p.bytes.b64))) {
          codes.add(await sameRefusal(`presentation ${v.what}`, v.bytes, verifyArgs(challenge),
            (s) => ['verify', s, { issuers: [bankPub], challenge }]));
        }
        st.diagnostic(`refused with ${[...codes].join(', ')}`);
        assert.ok(codes.size >= 2, `only ${[...codes]}`);
      });

      await t.test('Groth16 keys from causeway setup, fetched by the page, checked against their key id and digest', async (st) => {
        const url = `/work/keys/${keyId}.pk`;
        assert.deepEqual(await ok('fetchProvingKey', 'pk', 'attribute', keyId, url, digest), [{ circuit: 'attribute', keyId, proving: true }]);
        await ok('fetchProvingKey', 'pk-unpinned', 'attribute', keyId, url, null);
        await ok('fetchVerifyingKey', 'vk', 'attribute', keyId, `/work/keys/${keyId}.vk`);
        // the key under another key's id (the membership vector's), another circuit, another
        // key's digest: refused
        const otherId = await ok('verifyingKeyId', JSON.parse(readFileSync(MEMBERSHIP_VECTOR, 'utf8')).verifying_key_b64u);
        assert.match(otherId, /^groth16vk1/);
        assert.notEqual(otherId, keyId);
        assert.equal((await refused('fetchProvingKey', 'x', 'attribute', otherId, url, null)).code, 'keyring.wrong_key_id');
        assert.equal((await refused('fetchVerifyingKey', 'x', 'attribute', otherId, `/work/keys/${keyId}.vk`)).code, 'keyring.wrong_key_id');
        const otherDigest = cliJson('setup', '--circuit', 'sum:1', '--out', f('keys-sum1')).proving_key_digest;
        assert.equal((await refused('fetchProvingKey', 'x', 'attribute', keyId, url, otherDigest)).code, 'keyring.wrong_digest');
      });

      await t.test('presented in Chromium (Groth16, the served keys): causeway verify accepts it', async (st) => {
        const challenge = cliJson('challenge').challenge;
        const p = await ok('present', 'user', '/work/ann.held', { prove: ['age >= 21'], backend: 'groth16', challenge, ring: 'pk' });
        writeFileSync(f('g16.json'), p.json);
        const v = cliJson('verify', '-i', f('g16.json'), '--issuer', bankPub, '--challenge', challenge, '--keys', f('keys'), '--require', 'age >= 21', '--backend', 'groth16');
        assert.equal(v.backend, 'groth16');
        assert.deepEqual(v.statements, ['age >= 21']);
        assert.equal(v.subject, user.keyId);
        // the proof from the unpinned load is as good
        const p2 = await ok('present', 'user', '/work/ann.held', { prove: ['age >= 21'], backend: 'groth16', challenge, ring: 'pk-unpinned' });
        writeFileSync(f('g16b.bin'), fromB64(p2.bytes.b64));
        assert.equal(cliJson('verify', '-i', f('g16b.bin'), '--issuer', bankPub, '--challenge', challenge, '--keys', f('keys')).backend, 'groth16');
        // without keys, or with another circuit's keys only: refused
        assert.notEqual(cliFailure('verify', '-i', f('g16.json'), '--issuer', bankPub, '--challenge', challenge, '--keys', f('keys-sum1')).status, 0);
        const codes = new Set();
        for (const v2 of binaryVariants(fromB64(p.bytes.b64))) {
          codes.add(await sameRefusal(`Groth16 presentation ${v2.what}`, v2.bytes, verifyArgs(challenge, '--keys', f('keys')),
            (s) => ['verify', s, { issuers: [bankPub], challenge, ring: 'vk' }]));
        }
        st.diagnostic(`refused with ${[...codes].join(', ')}`);
        assert.ok(codes.size >= 2, `only ${[...codes]}`);
      });

      // The user attests the bank's income in the page; the CLI holds and presents it.
      const held = await ok('issue', 'user', bankPub, { schema: 'income/v1', fields: { income: { type: 'int', value: 120000 } } }, NOW - 60, NOW + 86_400);
      writeFileSync(f('income.held'), fromB64(held.b64), { mode: 0o600 });

      for (const backend of ['bulletproofs', 'groth16']) {
        await t.test(`presented by the CLI (${backend}): Chromium verifies it, and only for its challenge`, async (st) => {
          const challenge = await ok('randomChallenge');
          const keyArgs = backend === 'groth16' ? ['--keys', f('keys'), '--pk-digest', digest] : [];
          cli('present', '-k', f('bank.key'), '-a', f('income.held'), '--prove', 'income >= 100000', '--backend', backend, ...keyArgs, '--challenge', challenge, '-o', f(`cli-${backend}.json`));
          const json = readFileSync(f(`cli-${backend}.json`));
          const ring = backend === 'groth16' ? 'vk' : undefined;
          const v = await ok('verify', b64(json), { issuers: [user.pub], challenge, ring });
          assert.equal(v.backend, backend);
          assert.deepEqual(v.statements, ['income >= 100000']);
          assert.equal(v.subject, bankInPage.keyId);
          const other = await ok('randomChallenge');
          const pc = await refused('verify', b64(json), { issuers: [user.pub], challenge: other, ring });
          assert.equal(pc.code, cliFailure('verify', '-i', f(`cli-${backend}.json`), '--issuer', f('user.pub'), '--challenge', other, ...(ring ? ['--keys', f('keys')] : [])).code);
          assert.equal((await refused('verify', b64(json), { issuers: [outsiderPub], challenge, ring })).kind, 'denied');
          // the canonical bytes inside the JSON, changed: same code on both faces
          const bytes = Buffer.from(JSON.parse(json.toString()).bytes, 'base64url');
          const codes = new Set();
          for (const v2 of binaryVariants(bytes)) {
            codes.add(await sameRefusal(`CLI ${backend} presentation ${v2.what}`, v2.bytes,
              (file) => ['verify', '-i', file, '--issuer', f('user.pub'), '--challenge', challenge, ...(ring ? ['--keys', f('keys')] : [])],
              (s) => ['verify', s, { issuers: [user.pub], challenge, ring }]));
          }
          st.diagnostic(`refused with ${[...codes].join(', ')}`);
          assert.ok(codes.size >= 2, `only ${[...codes]}`);
        });
      }

      await t.test('a changed byte in a served proving key: the page and the CLI refuse it with the same code', async (st) => {
        const pk = readFileSync(f(`keys/${keyId}.pk`));
        const vk = readFileSync(f(`keys/${keyId}.vk`));
        const manifest = JSON.parse(readFileSync(f('keys/keys.json'), 'utf8'));
        const challenge = await ok('randomChallenge');
        const codes = new Set();
        for (const at of [40, Math.floor(pk.length / 2), pk.length - 1]) {
          for (const pinned of [true, false]) {
            const kd = `keys-changed-${at}-${pinned ? 'pinned' : 'unpinned'}`;
            mkdirSync(f(kd));
            writeFileSync(f(`${kd}/${keyId}.pk`), flip(pk, at));
            writeFileSync(f(`${kd}/${keyId}.vk`), vk);
            writeFileSync(f(`${kd}/keys.json`), JSON.stringify(pinned ? manifest : { ...manifest, provingKeyDigests: {} }));
            const c = cliFailure('present', '-k', f('bank.key'), '-a', f('income.held'), '--prove', 'income >= 100000',
              '--backend', 'groth16', '--keys', f(kd), ...(pinned ? ['--pk-digest', digest] : []), '--challenge', challenge);
            const p = await refused('fetchProvingKey', 'x', 'attribute', keyId, `/work/${kd}/${keyId}.pk`, pinned ? digest : null);
            assert.equal(p.code, c.code, `byte ${at}, pinned ${pinned}: the page refused with ${p.code}, the CLI with ${c.code}`);
            codes.add(c.code);
          }
        }
        st.diagnostic(`refused with ${[...codes].join(', ')}`);
        assert.ok(codes.size >= 2, `only ${[...codes]}`);
      });

      await t.test('the attribute key filed under sum:1: both faces refuse to prove with it, with the same code', async (st) => {
        // A ring takes a key for the id it is filed under; its shape is checked when proving.
        const manifest = { ...JSON.parse(readFileSync(f('keys/keys.json'), 'utf8')), keys: { 'sum:1': keyId } };
        mkdirSync(f('keys-misfiled'));
        writeFileSync(f(`keys-misfiled/${keyId}.pk`), readFileSync(f(`keys/${keyId}.pk`)));
        writeFileSync(f('keys-misfiled/keys.json'), JSON.stringify(manifest));
        const challenge = await ok('randomChallenge');
        const c = cliFailure('present', '-k', f('bank.key'), '-a', f('income.held'), '--prove', 'sum(income) >= 100000',
          '--backend', 'groth16', '--keys', f('keys-misfiled'), '--challenge', challenge);
        await ok('fetchProvingKey', 'misfiled', 'sum:1', keyId, `/work/keys/${keyId}.pk`, digest);
        const p = await refused('present', 'user', '/work/ann.held', { prove: ['sum(age) >= 18'], backend: 'groth16', challenge, ring: 'misfiled' });
        assert.equal(p.code, 'snark.key_mismatch');
        assert.equal(c.code, p.code);
      });

      assert.deepEqual(page.causewayErrors, []);
    });
  } finally {
    await server.close();
  }
});
