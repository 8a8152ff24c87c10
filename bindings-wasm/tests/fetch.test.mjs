// The fetch-by-URL helper: keys downloaded from a local HTTP server with progress, refused under
// another key id before they are kept, HTTP failures as IoError, cancellation as AbortError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { load } from './helpers.mjs';

const cw = await load();
const setup = cw.setupCircuit('membership:1');
const other = cw.setupCircuit('membership:1');
const server = http.createServer((req, res) => {
  if (req.url === '/pk') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': setup.provingKey.length, connection: 'close' });
    // in pieces, so that progress is reported more than once
    const b = Buffer.from(setup.provingKey);
    const step = Math.ceil(b.length / 4);
    let i = 0;
    const next = () => {
      if (i >= b.length) { res.end(); return; }
      res.write(b.subarray(i, i + step));
      i += step;
      setTimeout(next, 5);
    };
    next();
  } else if (req.url === '/slow') {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('x'); // and never finishes
  } else {
    res.writeHead(404, { connection: 'close' });
    res.end();
  }
});
server.keepAliveTimeout = 60_000; // a loaded machine must not reset a reused connection
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

test('fetchKey reports download progress; the key is checked against the pinned id', async () => {
  const seen = [];
  const bytes = await cw.fetchKey(`${base}/pk`, { onProgress: (p) => seen.push(p) });
  assert.deepEqual(bytes, setup.provingKey);
  assert.ok(seen.length >= 2, `${seen.length} progress events`);
  assert.ok(seen.every((p) => p.phase === 'download' && p.total === bytes.length));
  assert.equal(seen.at(-1).done, bytes.length);
  const ring = new cw.KeyRing();
  await ring.fetchProvingKey('membership:1', setup.keyId, `${base}/pk`);
  assert.equal(ring.keys()[0].keyId, setup.keyId);
  await assert.rejects(new cw.KeyRing().fetchProvingKey('membership:1', other.keyId, `${base}/pk`),
    (e) => e.code === 'keyring.wrong_key_id');
  ring.free();
});

test('HTTP failures are IoError; an abort rejects with AbortError', async () => {
  await assert.rejects(cw.fetchKey(`${base}/missing`), (e) => e instanceof cw.IoError && e.code === 'io');
  const ac = new AbortController();
  const p = cw.fetchKey(`${base}/slow`, { signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(p, (e) => e.name === 'AbortError');
  server.closeAllConnections();
  server.close();
});
