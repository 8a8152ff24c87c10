// Round trips for every public object, and the attacks an adversary would try: a changed byte,
// an old key after revocation, a replay under another challenge, a key that is not the pinned
// one, a value outside i64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.mjs';

const cw = await load();
const NOW = 1_800_000_000n;
const YEAR = 365n * 86_400n;

const record = () => ({
  schema: 'credit-report/v1',
  fields: {
    name: { type: 'string', value: 'Alice Example' },
    credit_score: { type: 'int', value: 742n },
    age: { type: 'int', value: 34n },
    income: { type: 'decimal', value: '85000.00' },
    born: { type: 'date', value: '1991-04-02' },
    limit: { type: 'int', value: -(2n ** 63n) },
    photo: { type: 'bytes', value: new Uint8Array([1, 2, 3]) },
    verified: { type: 'bool', value: true },
  },
});

const throwsCode = (fn, code, kind) => assert.throws(fn, (e) => {
  assert.ok(cw.isCausewayError(e), `not a CausewayError: ${e}`);
  assert.equal(e.code, code, e.message);
  if (kind) assert.equal(e.kind, kind);
  return true;
});

test('version and prover flag', () => {
  assert.match(cw.version(), /^\d+\.\d+\.\d+/);
  assert.equal(cw.hasProver(), true);
});

test('parties and public keys round trip through text and JWK; secrets only on request', () => {
  const p = cw.Party.generate();
  const q = cw.Party.fromSecretText(p.toSecretText());
  assert.equal(q.keyId, p.keyId);
  const pk = p.publicKeys;
  assert.equal(cw.PublicKeys.fromText(pk.toText()).keyId, p.keyId);
  assert.equal(cw.PublicKeys.fromJwk(pk.toJwk()).keyId, p.keyId);
  assert.equal(cw.PublicKeys.parse(p.toSecretText()).keyId, p.keyId);
  assert.ok(pk.equals(cw.PublicKeys.parse(pk.toText())));
  assert.deepEqual(JSON.parse(JSON.stringify(p)), { keyId: p.keyId });
  assert.ok(!String(p).includes('CW-SECRET'));
  const old = p.keyId;
  p.rotate();
  assert.notEqual(p.keyId, old);
  assert.deepEqual(p.retiredKeyIds, [old]);
  throwsCode(() => cw.PublicKeys.fromText('cwpub1notakey'), cw.errorCodes().find(([c]) => c.startsWith('decode.invalid_text')) ? 'decode.invalid_text' : 'decode.invalid', 'malformed');
  throwsCode(() => cw.Party.fromSecretText(42), 'decode.invalid', 'malformed');
});

test('free() releases at once; a freed object refuses use; the registry counts live objects', () => {
  const before = cw.liveHandles();
  const p = cw.Party.generate();
  assert.equal(cw.liveHandles(), before + 1);
  p.free();
  p.free(); // idempotent
  assert.equal(cw.liveHandles(), before);
  throwsCode(() => p.keyId, 'internal.freed', 'internal');
  const q = cw.Party.generate();
  assert.equal(typeof q.keyId, 'string');
  q[Symbol.dispose](); // what `using` calls
  assert.throws(() => q.keyId, (e) => e.code === 'internal.freed');
  assert.equal(cw.liveHandles(), before);
});

test('seal / open / grant / revoke / inspect, binary and JWE, records and bytes', () => {
  const alice = cw.Party.generate();
  const bob = cw.Party.generate();
  const carol = cw.Party.generate();
  for (const form of ['binary', 'jwe']) {
    const sealed = cw.seal(record(), { owner: alice, recipients: [bob.publicKeys], form });
    assert.ok(sealed instanceof Uint8Array);
    const o = cw.open(sealed, { party: bob, expectOwner: alice });
    assert.equal(o.format, form);
    assert.equal(o.contentType, 'record');
    assert.equal(o.owner, alice.keyId);
    assert.equal(o.epoch, 0);
    assert.deepEqual(o.content, record());
    // JWE text is accepted as a string too
    if (form === 'jwe') assert.deepEqual(cw.open(new TextDecoder().decode(sealed), { party: bob }).content, record());
    throwsCode(() => cw.open(sealed, { party: carol }), 'not_a_recipient', 'denied');
    throwsCode(() => cw.open(sealed, { party: bob, expectOwner: carol }), 'seal.wrong_owner', 'denied');
    const info = cw.inspect(sealed);
    assert.equal(info.owner, alice.keyId);
    assert.deepEqual([...info.recipients].sort(), [alice.keyId, bob.keyId].sort());
    // grant keeps the form and the epoch; only the owner can
    const granted = cw.grant(sealed, { owner: alice, to: carol });
    assert.equal(cw.open(granted, { party: carol }).format, form);
    assert.deepEqual(cw.open(granted, { party: carol }).content, record());
    throwsCode(() => cw.grant(sealed, { owner: bob, to: carol }), 'seal.not_owner', 'denied');
    // revoke: new epoch, bob's old key no longer opens the new copy
    const revoked = cw.revoke(granted, { owner: alice, recipient: bob });
    assert.equal(cw.open(revoked, { party: carol }).epoch, 1);
    throwsCode(() => cw.open(revoked, { party: bob }), 'not_a_recipient', 'denied');
    // one changed byte anywhere in the binary body: never opens, always a typed error
    if (form === 'binary') {
      for (let i = 4; i < sealed.length; i += Math.max(1, Math.floor(sealed.length / 40))) {
        const t = sealed.slice();
        t[i] ^= 0x01;
        assert.throws(() => cw.open(t, { party: bob }), (e) => cw.isCausewayError(e) && e.kind !== 'internal');
      }
    }
  }
  const bytes = new Uint8Array([0, 1, 2, 255]);
  const sb = cw.seal(bytes, { owner: alice, recipients: [bob] });
  const ob = cw.open(sb, { party: bob });
  assert.equal(ob.contentType, 'bytes');
  assert.deepEqual(ob.content, bytes);
  assert.deepEqual(cw.openBinary(sb, bob), bytes);
});

test('an int outside i64 is refused, not wrapped; so is an unsafe number', () => {
  const alice = cw.Party.generate();
  for (const value of [2n ** 63n, -(2n ** 63n) - 1n, 2n ** 64n]) {
    const r = { schema: 's', fields: { x: { type: 'int', value } } };
    throwsCode(() => cw.seal(r, { owner: alice }), 'record.invalid_value', 'malformed');
  }
  throwsCode(() => cw.seal({ schema: 's', fields: { x: { type: 'int', value: 2 ** 60 } } }, { owner: alice }),
    'record.invalid_value', 'malformed');
  const edge = { schema: 's', fields: { x: { type: 'int', value: 2n ** 63n - 1n } } };
  assert.equal(cw.open(cw.seal(edge, { owner: alice }), { party: alice }).content.fields.x.value, 2n ** 63n - 1n);
});

function issued(issuer, holder, fields) {
  return cw.issueAttestation({ schema: 'person/v1', fields }, {
    issuer, subject: holder.publicKeys, notBefore: NOW - YEAR, notAfter: NOW + YEAR,
  });
}

test('attested records round trip; Bulletproofs presentations verify and refuse replays', () => {
  const bank = cw.Party.generate();
  const holder = cw.Party.generate();
  const held = issued(bank, holder, {
    name: { type: 'string', value: 'Alice' },
    age: { type: 'int', value: 34n },
    income: { type: 'int', value: 85_000n },
  });
  assert.deepEqual(held.attestation.numericFields.sort(), ['age', 'income']);
  assert.equal(held.attestation.notBefore, NOW - YEAR);
  const again = cw.AttestedRecord.fromBytes(held.toBytes());
  assert.equal(again.attestation.id, held.attestation.id);
  assert.deepEqual(again.record, held.record);
  cw.validate('attestation', held.attestationBytes());

  const challenge = cw.randomChallenge();
  let phases = [];
  const p = cw.createPresentation({
    holder, attested: [again], disclose: ['name'], prove: ['age >= 18', 'income >= 50000'],
    challenge, onProgress: (x) => phases.push(`${x.phase}:${x.done}/${x.total}`),
  });
  // stage by stage since decision 0088 (was ['prove:0/1', 'prove:1/1']: core reported nothing finer)
  assert.deepEqual(phases, ['statement:0/4', 'statement:1/4', 'range:2/4', 'sign:3/4', 'done:4/4']);
  const v = cw.verifyPresentation(p.bytes, { issuers: [bank], challenge, now: NOW });
  assert.equal(v.backend, 'bulletproofs');
  assert.equal(v.subject, holder.keyId);
  assert.deepEqual(v.statements, ['age >= 18', 'income >= 50000']);
  assert.deepEqual(v.disclosed, [{ attestation: 0, field: 'name', type: 'string', value: 'Alice' }]);
  // the JSON form verifies the same
  assert.deepEqual(cw.verifyPresentation(p.json, { issuers: [bank], challenge, now: NOW }), v);
  assert.equal(cw.inspectPresentation(p.bytes).holder, holder.publicKeys.toText());
  // replay under another challenge, an untrusted issuer, an expired window, a flipped byte
  throwsCode(() => cw.verifyPresentation(p.bytes, { issuers: [bank], challenge: cw.randomChallenge(), now: NOW }),
    'verify.bad_signature', 'denied');
  assert.throws(() => cw.verifyPresentation(p.bytes, { issuers: [holder], challenge, now: NOW }), cw.DeniedError);
  throwsCode(() => cw.verifyPresentation(p.bytes, { issuers: [bank], challenge, now: NOW + 2n * YEAR }),
    'verify.expired', 'denied');
  const t = p.bytes.slice();
  t[t.length - 40] ^= 1;
  assert.throws(() => cw.verifyPresentation(t, { issuers: [bank], challenge, now: NOW }),
    (e) => cw.isCausewayError(e) && e.kind !== 'internal');
  // a false statement is not provable; someone else cannot present it
  throwsCode(() => cw.createPresentation({ holder, attested: [held], prove: ['age >= 40'], challenge }),
    'prove.unsatisfied', 'denied');
  assert.throws(() => cw.createPresentation({ holder: bank, attested: [held], prove: ['age >= 18'], challenge }),
    (e) => e.code === 'prove.not_subject');
  // now outside u64 is refused
  throwsCode(() => cw.verifyPresentation(p.bytes, { issuers: [bank], challenge, now: -1n }), 'record.invalid_value');
});

test('Groth16: keys checked against the pinned id; presentations and membership prove and verify', () => {
  const setup = cw.setupCircuit('attribute');
  const other = cw.setupCircuit('attribute');
  const keys = new cw.KeyRing();
  // a key that is not the pinned one is refused, and the ring stays empty
  throwsCode(() => keys.addProvingKey('attribute', setup.keyId, other.provingKey), 'keyring.wrong_key_id');
  assert.deepEqual(keys.keys(), []);
  const changed = setup.provingKey.slice();
  changed[changed.length - 1] ^= 1;
  assert.throws(() => keys.addProvingKey('attribute', setup.keyId, changed, { digest: setup.digest }),
    (e) => cw.isCausewayError(e));
  keys.addProvingKey('attribute', setup.keyId, setup.provingKey, { digest: setup.digest });
  assert.deepEqual(keys.keys(), [{ circuit: 'attribute', keyId: setup.keyId, proving: true }]);
  const vkeys = new cw.KeyRing().addVerifyingKey('attribute', setup.keyId, setup.verifyingKey);
  assert.equal(cw.verifyingKeyId(setup.verifyingKey), setup.keyId);

  const bank = cw.Party.generate();
  const holder = cw.Party.generate();
  const held = issued(bank, holder, { age: { type: 'int', value: 34n } });
  const challenge = cw.randomChallenge();
  assert.deepEqual(cw.presentationCircuits({ attested: [held], prove: ['age >= 18'] }), ['attribute']);
  const p = cw.createPresentation({
    holder, attested: [held], prove: ['age >= 18'], backend: 'groth16', challenge, keys,
  });
  const v = cw.verifyPresentation(p.bytes, { issuers: [bank], challenge, now: NOW, keys: vkeys });
  assert.equal(v.backend, 'groth16');
  assert.deepEqual(cw.inspectPresentation(p.bytes).groth16KeyIds, [setup.keyId]);
  throwsCode(() => cw.verifyPresentation(p.bytes, { issuers: [bank], challenge, now: NOW }), 'verify.no_key', 'unsupported');
  const wrong = new cw.KeyRing().addVerifyingKey('attribute', other.keyId, other.verifyingKey);
  assert.throws(() => cw.verifyPresentation(p.bytes, { issuers: [bank], challenge, now: NOW, keys: wrong }), cw.DeniedError);
  assert.throws(() => cw.verifyPresentation(p.bytes, { issuers: [bank], challenge: cw.randomChallenge(), now: NOW, keys: vkeys }), cw.DeniedError);
  throwsCode(() => cw.createPresentation({ holder, attested: [held], prove: ['age >= 18'], backend: 'groth16', challenge }),
    'prove.no_key');

  // membership with a nullifier
  const mk = cw.setupCircuit('membership:3:nullifier');
  const mkeys = new cw.KeyRing().addProvingKey(mk.circuit, mk.keyId, mk.provingKey);
  const me = cw.MemberSecret.random();
  assert.equal(cw.MemberSecret.fromHex(me.toHex()).leaf, me.leaf);
  const others = [cw.MemberSecret.random(), cw.MemberSecret.random()];
  const leaves = [others[0].leaf, me.leaf, others[1].leaf].join('\n') + '\n';
  const root = cw.membershipRoot(leaves, 3);
  const context = '00'.repeat(31) + 'ab';
  const proof = cw.proveMembership({ secret: me, leaves, depth: 3, context, challenge, keys: mkeys });
  const got = cw.verifyMembership(proof, { root, depth: 3, context, challenge, keys: mkeys });
  assert.match(got.nullifier, /^[0-9a-f]{64}$/);
  const proof2 = cw.proveMembership({ secret: me, leaves, depth: 3, context, challenge, keys: mkeys });
  assert.equal(cw.verifyMembership(proof2, { root, depth: 3, context, challenge, keys: mkeys }).nullifier, got.nullifier);
  assert.throws(() => cw.verifyMembership(proof, { root, depth: 3, context, challenge: cw.randomChallenge(), keys: mkeys }), cw.DeniedError);
  assert.throws(() => cw.verifyMembership(proof, { root: others[0].leaf, depth: 3, context, challenge, keys: mkeys }), cw.DeniedError);
  const outsider = cw.MemberSecret.random();
  assert.throws(() => cw.proveMembership({ secret: outsider, leaves, depth: 3, context, challenge, keys: mkeys }),
    (e) => e.code === 'prove.not_a_member');
  for (const o of [keys, vkeys, wrong, mkeys, me, outsider, ...others]) o.free();
});
