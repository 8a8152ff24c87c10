// Cross-face: objects made in wasm open and verify with the CLI binary, and CLI-made ones in
// wasm. The CLI plumbing (which binary, scratch files) is in ./cli.mjs, shared with the
// Chromium cross-face test (browser/crossface.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { load } from './helpers.mjs';
import { CLI, cli, cliJson, hexOf, scratch } from './cli.mjs';

const cw = await load();
const { f } = scratch();

test('the CLI binary exists (built by the test stage)', () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: build it with cargo build -p causeway-cli`);
});

// keys made by the CLI, loaded in wasm; and a wasm key written for the CLI
cli('keygen', '-o', f('cli.key'));
const cliParty = cw.Party.fromSecretText(readFileSync(f('cli.key'), 'utf8'));
const wasmParty = cw.Party.generate();
writeFileSync(f('wasm.key'), wasmParty.toSecretText(), { mode: 0o600 });
writeFileSync(f('wasm.pub'), wasmParty.publicKeys.toText());

test('key files read the same in both faces', () => {
  assert.equal(cli('pubkey', '-k', f('cli.key')).toString().trim(), cliParty.publicKeys.toText());
  assert.equal(cli('pubkey', '-k', f('wasm.key')).toString().trim(), wasmParty.publicKeys.toText());
});

test('sealed in wasm, opened by the CLI; sealed by the CLI, opened in wasm (binary and JWE)', () => {
  const rec = { schema: 'note/v1', fields: { amount: { type: 'int', value: -(2n ** 62n) }, memo: { type: 'string', value: 'héllo' } } };
  for (const form of ['binary', 'jwe']) {
    writeFileSync(f(`w.${form}`), cw.seal(rec, { owner: wasmParty, recipients: [cliParty.publicKeys], form }));
    const out = JSON.parse(cli('open', '-k', f('cli.key'), '-i', f(`w.${form}`), '--expect-owner', wasmParty.keyId).toString());
    assert.equal(out.schema, 'note/v1');
    assert.equal(BigInt(out.fields.amount.value), -(2n ** 62n));
    assert.equal(out.fields.memo.value, 'héllo');
  }
  writeFileSync(f('rec.json'), JSON.stringify({ schema: 'cli/v1', fields: { n: { type: 'int', value: 7 } } }));
  for (const extra of [[], ['--jwe']]) {
    cli('seal', '-k', f('cli.key'), '-r', f('wasm.pub'), '-i', f('rec.json'), '-o', f('c.sealed'), ...extra);
    const o = cw.open(readFileSync(f('c.sealed')), { party: wasmParty, expectOwner: cliParty.publicKeys });
    assert.equal(o.content.fields.n.value, 7n);
    // a grant made in wasm by the CLI's key holder opens in the CLI for the new recipient
  }
  const other = cw.Party.generate();
  writeFileSync(f('other.key'), other.toSecretText(), { mode: 0o600 });
  const granted = cw.grant(readFileSync(f('c.sealed')), { owner: cliParty, to: other });
  writeFileSync(f('g.sealed'), granted);
  assert.equal(JSON.parse(cli('open', '-k', f('other.key'), '-i', f('g.sealed')).toString()).fields.n.value, 7);
  // bytes sealed by the CLI
  writeFileSync(f('blob'), Buffer.from([0, 1, 2, 3, 254]));
  cli('seal', '--bytes', '-k', f('cli.key'), '-r', f('wasm.pub'), '-i', f('blob'), '-o', f('b.sealed'));
  assert.deepEqual([...cw.open(readFileSync(f('b.sealed')), { party: wasmParty }).content], [0, 1, 2, 3, 254]);
});

const NOW = BigInt(Math.floor(Date.now() / 1000));

test('attested by the CLI, presented in wasm, verified by the CLI (Bulletproofs)', () => {
  writeFileSync(f('person.json'), JSON.stringify({ schema: 'person/v1', fields: { age: { type: 'int', value: 41 }, name: { type: 'string', value: 'Ann' } } }));
  cli('attest', '-k', f('cli.key'), '-i', f('person.json'), '--subject', f('wasm.pub'), '-o', f('ann.held'));
  const held = cw.AttestedRecord.fromBytes(readFileSync(f('ann.held')));
  const challenge = cw.randomChallenge();
  const p = cw.createPresentation({ holder: wasmParty, attested: [held], disclose: ['name'], prove: ['age >= 18'], challenge });
  writeFileSync(f('p.json'), p.json);
  const v = cliJson('verify', '-i', f('p.json'), '--issuer', cliParty.publicKeys.toText(), '--challenge', hexOf(challenge), '--require', 'age >= 18');
  assert.deepEqual(v.statements, ['age >= 18']);
  assert.equal(v.subject, wasmParty.keyId);
  // the binary form too
  writeFileSync(f('p.bin'), p.bytes);
  cliJson('verify', '-i', f('p.bin'), '--issuer', cliParty.publicKeys.toText(), '--challenge', hexOf(challenge));
  // another challenge: the CLI refuses (exit non-zero)
  assert.throws(() => cli('verify', '-i', f('p.json'), '--issuer', cliParty.publicKeys.toText(), '--challenge', hexOf(cw.randomChallenge())));
});

test('attested in wasm, presented by the CLI, verified in wasm', () => {
  const held = cw.issueAttestation({ schema: 'income/v1', fields: { income: { type: 'int', value: 120_000n } } },
    { issuer: wasmParty, subject: cliParty, notBefore: NOW - 60n, notAfter: NOW + 86_400n });
  writeFileSync(f('inc.held'), held.toBytes(), { mode: 0o600 });
  const challenge = cw.randomChallenge();
  const out = cli('present', '-k', f('cli.key'), '-a', f('inc.held'), '--prove', 'income >= 100000', '--challenge', hexOf(challenge));
  const v = cw.verifyPresentation(out, { issuers: [wasmParty], challenge });
  assert.deepEqual(v.statements, ['income >= 100000']);
  assert.equal(v.subject, cliParty.keyId);
});

test('Groth16: CLI setup keys loaded in wasm by id; wasm proof verified by the CLI, CLI proof in wasm', () => {
  const kd = f('keys');
  cli('setup', '--circuit', 'attribute', '--out', kd);
  const manifest = JSON.parse(readFileSync(path.join(kd, 'keys.json'), 'utf8'));
  const entry = JSON.stringify(manifest);
  const keyId = entry.match(/groth16vk1[a-z0-9]+/)[0];
  const pk = readFileSync(path.join(kd, `${keyId}.pk`));
  const vk = readFileSync(path.join(kd, `${keyId}.vk`));
  const keys = new cw.KeyRing().addProvingKey('attribute', keyId, pk);
  // the CLI key under another key's id is refused
  const other = cw.setupCircuit('attribute');
  assert.throws(() => new cw.KeyRing().addProvingKey('attribute', other.keyId, pk), (e) => e.code === 'keyring.wrong_key_id');

  const held = cw.AttestedRecord.fromBytes(readFileSync(f('ann.held')));
  const challenge = cw.randomChallenge();
  const p = cw.createPresentation({ holder: wasmParty, attested: [held], prove: ['age >= 21'], backend: 'groth16', challenge, keys });
  writeFileSync(f('g16.json'), p.json);
  const v = cliJson('verify', '-i', f('g16.json'), '--issuer', cliParty.publicKeys.toText(), '--challenge', hexOf(challenge), '--keys', kd);
  assert.equal(v.backend, 'groth16');

  const c2 = cw.randomChallenge();
  writeFileSync(f('person2.json'), JSON.stringify({ schema: 'person/v1', fields: { age: { type: 'int', value: 30 } } }));
  cli('attest', '-k', f('wasm.key'), '-i', f('person2.json'), '--subject', cliParty.publicKeys.toText(), '-o', f('p2.held'));
  const out = cli('present', '-k', f('cli.key'), '-a', f('p2.held'), '--prove', 'age >= 18', '--backend', 'groth16', '--keys', kd, '--challenge', hexOf(c2));
  const vkeys = new cw.KeyRing().addVerifyingKey('attribute', keyId, vk);
  assert.equal(cw.verifyPresentation(out, { issuers: [wasmParty], challenge: c2, keys: vkeys }).backend, 'groth16');
  assert.ok(readdirSync(kd).length >= 3);
  keys.free();
  vkeys.free();
});
