// The shared testkit (tests/vectors, tests/vectors/README.md) in wasm: the same outcomes and,
// on failure, the same error codes as the Rust runners (tests/tests/sealed_vectors.rs,
// bundle_vectors.rs, anchor_vectors.rs, membership_vectors.rs) and the pytest runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { load, VECTORS, b64u, hex, readJson, readText } from './helpers.mjs';

const cw = await load();

// tests/src/testkit.rs ERROR_CLASSES
const ERROR_CLASSES = new Set([
  'decrypt', 'not_a_recipient', 'io', 'decode.truncated', 'decode.trailing_data',
  'decode.bad_magic', 'decode.unsupported_version', 'decode.unexpected_tag', 'decode.too_long',
  'decode.invalid_utf8', 'decode.invalid_base64', 'decode.invalid_text', 'decode.invalid',
  'decode.json',
]);

const SEALED = path.join(VECTORS, 'sealed');
const parties = new Map();
function party(name) {
  if (!parties.has(name)) {
    parties.set(name, cw.Party.fromSecretText(readText(path.join(SEALED, 'keys', `${name}.key`))));
  }
  return parties.get(name);
}

// The Rust runner's calls, one per form.
function run(form, data, p) {
  switch (form) {
    case 'jwe': return cw.openSealed(data, p);
    case 'binary': return cw.openBinary(data, p);
    case 'foreign-jwe': return cw.openForeignJwe(data, p);
    case 'stream': {
      const o = cw.open(data, { party: p });
      assert.equal(o.format, 'stream');
      return o.content;
    }
    default: throw new Error(`unknown form ${form}`);
  }
}

function recordsEqual(got, want) {
  // want: the record's JSON view (ints as numbers, bytes as base64url)
  assert.equal(got.schema, want.schema);
  assert.deepEqual(Object.keys(got.fields).sort(), Object.keys(want.fields).sort());
  for (const [k, w] of Object.entries(want.fields)) {
    const g = got.fields[k];
    assert.equal(g.type, w.type, k);
    if (w.type === 'int') assert.equal(g.value, BigInt(w.value), k);
    else if (w.type === 'bytes') assert.deepEqual(Buffer.from(g.value).toString('base64url'), w.value, k);
    else assert.equal(g.value, w.value, k);
  }
}

function checkOpened(got, want) {
  if ('record' in want) {
    assert.ok(!(got instanceof Uint8Array), 'opened to bytes, expected a record');
    recordsEqual(got, want.record);
    return;
  }
  assert.ok(got instanceof Uint8Array, 'opened to a record, expected bytes');
  if ('plaintext_b64u' in want) assert.deepEqual(Buffer.from(got), Buffer.from(b64u(want.plaintext_b64u)));
  if ('sha256' in want) assert.equal(createHash('sha256').update(got).digest('hex'), want.sha256);
  if ('length' in want) assert.equal(got.length, want.length);
}

const sealedFiles = readdirSync(SEALED).filter((f) => f.endsWith('.json')).sort();

test('the sealed testkit is present', () => {
  assert.ok(sealedFiles.length >= 100);
});

test('every sealed vector gives the Rust outcome and code', () => {
  const seen = new Map();
  for (const f of sealedFiles) {
    const v = readJson(path.join(SEALED, f));
    const data = b64u(v.sealed_b64u);
    const p = party(v.opener);
    if ('opens_to' in v.expect) {
      checkOpened(run(v.form, data, p), v.expect.opens_to);
      continue;
    }
    const want = v.expect.fails_with;
    assert.ok(ERROR_CLASSES.has(want), `${f}: ${want}`);
    assert.throws(() => run(v.form, data, p), (e) => {
      assert.ok(cw.isCausewayError(e), `${f}: not a CausewayError: ${e}`);
      assert.equal(e.code, want, `${f}: ${e.message}`);
      if (want === 'decrypt' || want === 'not_a_recipient') assert.equal(e.kind, 'denied', f);
      if (want === 'decode.unsupported_version') assert.equal(e.kind, 'unsupported', f);
      else if (want.startsWith('decode.')) assert.equal(e.kind, 'malformed', f);
      return true;
    });
    seen.set(want, (seen.get(want) ?? 0) + 1);
  }
  for (const c of ['decrypt', 'not_a_recipient', 'decode.truncated', 'decode.trailing_data',
    'decode.bad_magic', 'decode.unsupported_version', 'decode.unexpected_tag', 'decode.too_long',
    'decode.invalid_base64', 'decode.invalid', 'decode.json']) {
    assert.ok(seen.get(c) > 0, c);
  }
});

test('open (core open_any) agrees with the per-form calls on record vectors', () => {
  for (const f of sealedFiles) {
    const v = readJson(path.join(SEALED, f));
    if (!['jwe', 'binary'].includes(v.form) || v.expect.fails_with === 'decode.bad_magic') continue;
    const data = b64u(v.sealed_b64u);
    const p = party(v.opener);
    if ('opens_to' in v.expect) {
      checkOpened(cw.open(data, { party: p }).content, v.expect.opens_to);
    } else {
      assert.throws(() => cw.open(data, { party: p }), (e) => e.code === v.expect.fails_with);
    }
  }
});

test('a version-1 record has no authenticated owner; asking for one refuses it', () => {
  const v1 = b64u(readJson(path.join(SEALED, '001-jwe-record-for-recipient.json')).sealed_b64u);
  const v2 = b64u(readJson(path.join(SEALED, '101-jwe-record-for-recipient.json')).sealed_b64u);
  const old = cw.open(v1, { party: party('bob') });
  assert.equal(old.version, 1);
  assert.equal(old.owner, null);
  assert.equal(old.ownerSigned, false);
  assert.throws(() => cw.open(v1, { party: party('bob'), expectOwner: party('alice').publicKeys }),
    (e) => e instanceof cw.DeniedError && e.code === 'seal.unauthenticated');
  const fresh = cw.open(v2, { party: party('bob'), expectOwner: party('alice').publicKeys });
  assert.equal(fresh.version, 2);
  assert.equal(fresh.owner, party('alice').keyId);
  assert.throws(() => cw.grant(v1, { owner: party('alice'), to: party('carol') }),
    (e) => e.code === 'seal.unauthenticated');
});

const LEDGER = path.join(VECTORS, 'ledger');
test('ledger proof bundles verify as in Rust, refused ones fail', () => {
  const files = readdirSync(LEDGER).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length >= 11);
  for (const f of files) {
    const v = readJson(path.join(LEDGER, f));
    const opts = { logKey: v.log_key, origin: v.origin };
    if (v.expect.fails) {
      assert.throws(() => cw.verifyBundle(v.bundle, opts), (e) => cw.isCausewayError(e), f);
      continue;
    }
    const got = cw.verifyBundle(v.bundle, opts);
    assert.equal(got.origin, v.origin, f);
    assert.equal(got.originPinned, true, f);
    assert.equal(got.checkpoint.size, BigInt(v.expect.tree_size), f);
    assert.equal(got.kind, v.expect.verified, f);
    if (got.kind === 'inclusion') {
      assert.equal(got.index, BigInt(v.expect.index), f);
      assert.equal(typeof got.receipt, 'object');
    } else if (got.kind === 'consistency') {
      assert.equal(got.oldSize, BigInt(v.expect.old_size), f);
      assert.equal(got.oldCheckpointSigned, v.expect.old_checkpoint_signed, f);
    } else {
      assert.equal(got.revoked, v.expect.revoked, f);
      if (v.expect.revoked) assert.equal(got.index, BigInt(v.expect.index), f);
    }
  }
});

test('a bundle without a pinned origin says so', () => {
  const v = readJson(path.join(LEDGER, 'bundle-v2-inclusion.json'));
  assert.equal(cw.verifyBundle(v.bundle, { logKey: v.log_key }).originPinned, false);
});

const ANCHOR = path.join(VECTORS, 'anchor');
test('anchor receipts verify offline as in Rust; another chain or contract is refused', () => {
  for (const f of ['receipt-v1.json', 'receipt-v2.json']) {
    const v = readJson(path.join(ANCHOR, f));
    const opts = {
      logKey: v.log_key, anchoredCheckpoint: v.anchored_checkpoint,
      chainId: BigInt(v.chain_id), contract: v.contract,
    };
    const got = cw.verifyAnchorReceipt(b64u(v.receipt_b64u), opts);
    assert.equal(got.index, BigInt(v.entry_index));
    assert.equal(got.anchoredValue, v.anchored_value);
    assert.equal(got.coversCheckpoint, v.version === 2);
    assert.equal(got.chainId, BigInt(v.chain_id));
    // the base64url text form is accepted too
    assert.equal(cw.verifyAnchorReceipt(v.receipt_b64u, opts).index, got.index);
    assert.throws(() => cw.verifyAnchorReceipt(b64u(v.receipt_b64u), { ...opts, chainId: 1n }),
      (e) => e instanceof cw.DeniedError && e.code === 'anchor.wrong_chain');
    assert.throws(() => cw.verifyAnchorReceipt(b64u(v.receipt_b64u),
      { ...opts, contract: `0x${'cd'.repeat(20)}` }), (e) => e.code === 'anchor.wrong_chain');
    // a changed byte in the signed part (the entry's receipt at the start) is refused; the
    // block hash near the end is only checked online (docs/spec/anchoring.md)
    for (const at of [20, 60, 100]) {
      const bytes = b64u(v.receipt_b64u);
      bytes[at] ^= 1;
      assert.throws(() => cw.verifyAnchorReceipt(bytes, opts), (e) => cw.isCausewayError(e), `byte ${at}`);
    }
    // a chain id outside u64 is refused, not wrapped
    assert.throws(() => cw.verifyAnchorReceipt(b64u(v.receipt_b64u), { ...opts, chainId: 2n ** 64n + BigInt(v.chain_id) }),
      (e) => e.code === 'record.invalid_value');
  }
});

const MEMBERSHIP = path.join(VECTORS, 'membership');
test('membership proofs verify as in Rust; refusals refuse', () => {
  const files = readdirSync(MEMBERSHIP).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length >= 6);
  for (const f of files) {
    const v = readJson(path.join(MEMBERSHIP, f));
    const vk = b64u(v.verifying_key_b64u);
    const keys = new cw.KeyRing();
    keys.addVerifyingKey(v.circuit, cw.verifyingKeyId(vk), vk);
    assert.equal(cw.membershipRoot(v.leaves, v.depth), v.root, f);
    const opts = {
      root: v.root, depth: v.depth, context: v.nullifier_context ?? undefined,
      challenge: hex(v.challenge), keys,
    };
    if (v.expect.parses === false) {
      assert.throws(() => cw.verifyMembership(v.proof_json, opts), (e) => e instanceof cw.MalformedError, f);
    } else if (v.expect.verifies) {
      assert.equal(cw.verifyMembership(v.proof_json, opts).nullifier, v.expect.nullifier ?? null, f);
    } else {
      assert.throws(() => cw.verifyMembership(v.proof_json, opts), (e) => e instanceof cw.DeniedError, f);
    }
    keys.free();
  }
});

const ATTEST = path.join(VECTORS, 'attest');
const snake = (s) => s.replace(/\(.*\)$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
test('golden presentations verify to the same established facts; negatives give the Rust error', () => {
  const codes = new Map(cw.errorCodes());
  for (const f of ['presentation-v1.json', 'presentation-attestation-v2.json', 'presentation-column-v1.json']) {
    const v = readJson(path.join(ATTEST, f));
    const issuer = v.issuer_public;
    cw.validate('attestation', hex(v.attestation));
    const held = cw.AttestedRecord.fromBytes(hex(v.attested_record));
    assert.equal(held.attestation.id, v.attestation_id, f);
    held.free();
    const got = cw.verifyPresentation(hex(v.presentation), {
      issuers: [issuer], challenge: hex(v.challenge), now: BigInt(v.now),
    });
    const want = v.verified;
    assert.equal(got.backend, want.backend);
    assert.equal(got.subject, want.subject);
    assert.deepEqual(got.statements, want.statements);
    assert.deepEqual(got.attestations.map((a) => [a.id, a.issuer, a.schema, a.notBefore, a.notAfter, a.recordId]),
      want.attestations.map((a) => [a.id, a.issuer, a.schema, BigInt(a.not_before), BigInt(a.not_after), a.record_id ?? null]));
    assert.deepEqual(got.disclosed.map((d) => [d.attestation, d.field, d.type, d.value]),
      want.disclosed.map((d) => [d.attestation, d.field, d.type, d.type === 'int' ? BigInt(d.value) : d.value]));
    for (const c of v.negative) {
      assert.throws(() => cw.verifyPresentation(hex(c.presentation), {
        issuers: [issuer], challenge: hex(c.challenge), now: BigInt(c.now),
      }), (e) => {
        assert.ok(cw.isCausewayError(e), `${f} ${c.case}`);
        if (c.error !== 'any') {
          const code = `verify.${snake(c.error)}`;
          assert.ok(codes.has(code), code);
          assert.equal(e.code, code, `${f} ${c.case}`);
          assert.equal(e.kind, 'denied');
        }
        return true;
      });
    }
  }
});
