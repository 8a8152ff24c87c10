// The demo page: (1) open the record a bank sealed for you and see its attested fields;
// (2) prove "age >= 18" and "income >= 30000" to a verifier in a background worker, with
// progress and cancellation; (3) verify a product's provenance bundle and anchor receipt and
// show its history. Every check is causeway-wasm's; the fixtures come from
// examples/examples/web_fixtures.rs (fixtures/manifest.json).
import * as cw from './pkg/index.js';
import { CausewayWorker } from './pkg/worker.js';

const $ = (id) => document.getElementById(id);
const FIX = './fixtures/';

// What a test (or a curious user in the console) can read: the state of each step and the
// objects the page made or checked.
const demo = {
  engine: 'loading',
  record: { state: 'sealed' },
  prove: { state: 'idle', phases: [] },
  history: { state: 'idle' },
  presentation: null,
  challenge: null,
  manifest: null,
  errors: [],
};
window.causewayDemo = demo;

const app = {
  manifest: null,
  sealed: null,
  holderKey: null,
  held: null,
  // The holder's worker (proving) and the verifier's own (verifying), from causeway-wasm/worker.
  prover: null,
  verifier: null,
  keysAdded: null,
  abort: null,
};

// ------------------------------------------------------------------------------ helpers

async function fetchBytes(path) {
  const res = await fetch(FIX + path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
async function fetchText(path) {
  const res = await fetch(FIX + path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.text();
}
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
function icon(path) {
  const s = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  s.setAttribute('viewBox', '0 0 24 24');
  s.setAttribute('aria-hidden', 'true');
  s.innerHTML = path;
  return s;
}
const ICON_OK = '<path d="M5 12.5l4.5 4.5L19 7.5"/>';
const ICON_BAD = '<circle cx="12" cy="12" r="9"/><path d="M12 7.5v5.5M12 16.5v.01"/>';
const ICON_ANCHOR = '<circle cx="12" cy="5" r="2"/><path d="M12 7v13M5 13a7 7 0 0 0 14 0M8 10h8"/>';
const short = (s, n = 10) => (s.length > n + 2 ? `${s.slice(0, n)}…` : s);
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const human = (name) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
const number = (s) => {
  const [i, f] = String(s).split('.');
  return i.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f') + (f ? `.${f}` : '');
};
const when = (ms) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
  .format(new Date(Number(ms)));
function bind(name, value) {
  for (const n of document.querySelectorAll(`[data-bind="${name}"]`)) n.textContent = value;
}
function statementText(s) {
  return s.replace(/>=/g, '≥').replace(/<=/g, '≤').replace(/\d{4,}/g, (d) => number(d))
    .replace(/^\w+/, (w) => human(w));
}
function report(where, e) {
  demo.errors.push({ where, code: e?.code ?? null, message: String(e?.message ?? e) });
}

// ------------------------------------------------------------------------------ tabs

const tabs = [...document.querySelectorAll('[role="tab"]')];
function select(step, { focus = false } = {}) {
  for (const t of tabs) {
    const on = t.dataset.step === step;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !on;
    if (on && focus) t.focus();
  }
  if (location.hash !== `#${step}`) history.replaceState(null, '', `#${step}`);
}
for (const t of tabs) {
  t.addEventListener('click', () => select(t.dataset.step));
  t.addEventListener('keydown', (ev) => {
    const i = tabs.indexOf(t);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    select(tabs[(to + tabs.length) % tabs.length].dataset.step, { focus: true });
  });
}
const first = location.hash.slice(1);
select(tabs.some((t) => t.dataset.step === first) ? first : 'record');

// ------------------------------------------------------------------------------ start

async function start() {
  const engine = $('engine');
  try {
    const res = await fetch(`${FIX}manifest.json`);
    if (!res.ok) throw new Error(`the demo's fixtures are missing (HTTP ${res.status}): run scripts/serve-demo.sh`);
    const m = await res.json();
    app.manifest = m;
    demo.manifest = m;
    await cw.init();
    const bank = cw.PublicKeys.parse(m.bank.key);
    const bankKeyId = bank.keyId;
    bind('bankName', m.bank.name);
    bind('bankKeyId', short(bankKeyId, 12));
    bank.free();
    bind('customerName', m.customer.name);
    bind('customerKeyId', short(m.customer.keyId, 12));
    bind('productName', m.product.name);
    bind('productId', m.product.id);
    bind('logName', m.product.logName);
    bind('origin', m.product.origin);
    $('vk-id').textContent = short(m.circuit.keyId, 18);
    $('version').textContent = `causeway-wasm ${cw.version()}`;
    // the sealed record, described without opening it
    app.sealed = await fetchBytes(m.record);
    const info = cw.inspect(app.sealed);
    $('sealed-id').textContent = short(info.record_id, 14);
    // Who the object says sealed it (checked when it is opened: expectOwner).
    $('sealed-from').textContent = info.owner === bankKeyId ? m.bank.name : 'an unknown sender';
    $('sealed-owner').textContent = short(info.owner, 12);
    $('sealed-alg').textContent = `${info.enc} · key wrapped for ${info.recipients.length} recipients`;
    $('open-record').disabled = false;
    // the verifier's request
    const claims = $('claims');
    for (const s of m.statements) {
      claims.append(el('li', {}, icon('<path d="M12 3l7 3v6c0 4.5-3 7.7-7 9-4-1.3-7-4.5-7-9V6z"/>'),
        el('code', { text: statementText(s) }), el('span', { class: 'hidden-val', text: 'value stays hidden' })));
    }
    await drawCode(m.product.id);
    const policy = JSON.parse(await fetchText(m.product.policy));
    const byName = new Map();
    for (const s of policy.steps) for (const p of s.parties) byName.set(p, [...(byName.get(p) ?? []), s.step]);
    for (const [name, steps] of byName) {
      $('policy').append(el('li', {}, el('b', { text: human(name) }), ` — ${steps.join(', ')}`));
    }
    $('check').disabled = false;
    engine.dataset.state = 'ready';
    $('engine-text').textContent = 'Secure engine ready · runs locally';
    demo.engine = 'ready';
  } catch (e) {
    report('start', e);
    engine.dataset.state = 'error';
    $('engine-text').textContent = `Could not start: ${e.message}`;
    demo.engine = 'error';
  }
}

// ------------------------------------------------------------------------------ step 1

$('open-record').addEventListener('click', async () => {
  const btn = $('open-record');
  const status = $('record-status');
  btn.disabled = true;
  status.textContent = 'Opening…';
  demo.record.state = 'opening';
  let party = null;
  let held = null;
  try {
    const m = app.manifest;
    const keyText = await fetchText(m.customer.keyFile);
    party = cw.Party.fromSecretText(keyText);
    // Refuse anything not signed by the bank before decrypting it.
    const opened = cw.open(app.sealed, { party, expectOwner: m.bank.key });
    if (opened.contentType !== 'bytes') throw new Error('the bank sent something else than an attested record');
    held = cw.AttestedRecord.fromBytes(opened.content);
    const att = held.attestation;
    const bankId = cw.PublicKeys.parse(m.bank.key);
    const issuerOk = att.issuer === bankId.keyId;
    bankId.free();
    if (!issuerOk) throw new Error('the attestation is not signed by your bank');
    if (att.subject !== party.keyId) throw new Error('the attestation is about someone else');
    const rec = held.record;
    const tbody = $('fields').querySelector('tbody');
    tbody.replaceChildren();
    for (const [name, f] of Object.entries(rec.fields)) {
      let v = f.value;
      if (f.type === 'int' || f.type === 'decimal') v = number(v);
      else if (f.type === 'date') v = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${f.value}T00:00:00Z`));
      else v = String(v);
      const provable = att.numericFields.includes(name);
      tbody.append(el('tr', { 'data-field': name },
        el('td', { text: human(name) }),
        el('td', { class: 'v', text: v }),
        el('td', {}, el('span', { class: provable ? 'tag' : 'tag off', text: provable ? 'zero-knowledge' : 'disclose only' }))));
    }
    $('att-until').textContent = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(Number(att.notAfter) * 1000));
    $('att-id').textContent = short(att.id, 14);
    $('att-schema').textContent = att.schema;
    app.holderKey = keyText;
    app.held = held.toBytes();
    $('record-empty').hidden = true;
    $('record-opened').hidden = false;
    $('panel-record').dataset.state = 'open';
    $('tab-record').dataset.done = 'true';
    btn.replaceChildren(icon(ICON_OK), ' Opened');
    status.textContent = `Opened and checked: signed by ${m.bank.name}, sealed for your key only.`;
    $('prove').disabled = false;
    demo.record = { state: 'open', fields: Object.keys(rec.fields), issuer: att.issuer, subject: att.subject };
  } catch (e) {
    report('record', e);
    status.textContent = `Could not open the record${e.code ? ` (${e.code})` : ''}.`;
    const why = {
      'seal.wrong_owner': `It is not signed by ${app.manifest.bank.name}: someone else sent it.`,
      decrypt: 'It does not decrypt: it was changed, or it is not sealed for your key.',
      not_a_recipient: 'It is not sealed for your key.',
    }[e.code] ?? e.message;
    $('record-empty').replaceChildren(icon(ICON_BAD), el('p', {}, el('b', { text: 'Refused. ' }), why, ' ',
      el('code', { class: 'kid', text: e.code ?? 'error' })));
    $('record-empty').classList.add('refused');
    $('panel-record').dataset.state = 'refused';
    demo.record = { state: 'error', code: e.code ?? null };
    btn.disabled = false;
  } finally {
    held?.free();
    party?.free();
  }
});
$('to-prove').addEventListener('click', () => select('prove', { focus: true }));

// ------------------------------------------------------------------------------ step 2

function setProgress(pct, phase, label) {
  const p = Math.max(0, Math.min(100, Math.round(pct)));
  $('bar').style.width = `${p}%`;
  $('pct').textContent = `${p}%`;
  $('progress').setAttribute('aria-valuenow', String(p));
  $('prover').dataset.phase = phase;
  if (label !== undefined) $('progress-label').textContent = label;
  demo.prove.phases.push({ phase, pct: p, t: performance.now() });
}

function verdict(kind, title, body) {
  const v = $('verdict');
  v.className = `verdict ${kind}`;
  v.replaceChildren(el('h3', {}, icon(kind === 'ok' ? ICON_OK : ICON_BAD), title), ...body);
  $('verifier').dataset.state = kind === 'ok' ? 'verified' : kind === 'bad' ? 'refused' : 'waiting';
}

// What each proving stage is (core's ProvePhase, decision 0088), in words.
const STAGE = {
  statement: 'preparing the statement',
  range: 'range proof',
  witness: 'computing the witness',
  quotient: 'polynomial quotient',
  'msm-h': 'multi-scalar multiplication 1 of 5',
  'msm-l': 'multi-scalar multiplication 2 of 5',
  'msm-a': 'multi-scalar multiplication 3 of 5',
  'msm-b1': 'multi-scalar multiplication 4 of 5',
  'msm-b2': 'multi-scalar multiplication 5 of 5',
  check: 'checking the proof',
  sign: 'signing the presentation',
  done: 'done',
};

let ticker = null;
$('prove').addEventListener('click', async () => {
  const m = app.manifest;
  const proveBtn = $('prove');
  const cancelBtn = $('cancel');
  proveBtn.disabled = true;
  cancelBtn.hidden = false;
  cancelBtn.focus();
  app.abort = new AbortController();
  const { signal } = app.abort;
  demo.prove = { state: 'running', phases: [] };
  demo.presentation = null;
  $('verdict').className = 'verdict';
  $('verdict').replaceChildren(el('p', { class: 'verdict-wait', text: 'Waiting for a presentation…' }));
  $('verifier').dataset.state = 'waiting';
  // The verifier's fresh challenge: the proof is bound to it and cannot be replayed elsewhere.
  const challenge = cw.randomChallenge();
  demo.challenge = challenge;
  $('challenge').textContent = short(hex(challenge), 16);
  const started = performance.now();
  clearInterval(ticker);
  $('ticker').hidden = false;
  $('ticker').textContent = '0.0 s';
  ticker = setInterval(() => {
    $('ticker').textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  }, 100);
  try {
    // Which Groth16 keys the statements need (both: the `attribute` circuit).
    const circuits = cw.statementCircuits(m.statements);
    if (circuits.some((c) => c !== m.circuit.name)) throw new Error(`no key for ${circuits.join(', ')}`);
    app.prover ??= new CausewayWorker();
    if (!app.keysAdded) {
      setProgress(2, 'download', 'Fetching the proving key…');
      const total = m.circuit.provingKeyBytes;
      const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
      // Fetched inside the worker and checked there against the pinned key id and digest; the
      // helper adds it again by itself if the worker is restarted (after a cancel).
      app.keysAdded = app.prover.addProvingKey(m.circuit.name, m.circuit.keyId, new URL(FIX + m.circuit.provingKey, location.href).href, {
        digest: m.circuit.digest,
        onProgress: (p) => {
          if (p.phase !== 'download') return;
          const t = p.total || total;
          if (p.done < t) setProgress(2 + 56 * (p.done / t), 'download', `Fetching the proving key… ${mb(p.done)} of ${mb(t)}`);
          else setProgress(60, 'check', 'Checking the key against its pinned id and digest…');
        },
      });
      app.keysAdded.catch(() => { app.keysAdded = null; });
    }
    // A cancel during the download stops waiting for it (the key is still kept for next time).
    await Promise.race([app.keysAdded, new Promise((_, reject) => {
      if (signal.aborted) reject(new DOMException('cancelled', 'AbortError'));
      signal.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')), { once: true });
    })]);
    setProgress(64, 'prove', 'Proving 2 statements on this device…');
    const started2 = performance.now();
    const out = await app.prover.createPresentation({
      holder: app.holderKey,
      attested: [app.held],
      prove: m.statements,
      disclose: [],
      challenge,
      backend: 'groth16',
    }, {
      signal,
      onProgress: (p) => {
        if (!p.total) return;
        const what = STAGE[p.phase] ?? p.phase;
        const which = p.statements ? `Statement ${Math.min((p.statement ?? 0) + 1, p.statements)} of ${p.statements} · ` : '';
        setProgress(64 + 36 * (p.done / p.total), 'prove', p.phase === 'done' ? 'Finishing…' : `${which}${what}…`);
      },
    });
    out.ms = performance.now() - started2;
    setProgress(100, 'done', `Proof ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${out.bytes.length.toLocaleString()} bytes). Sent to the verifier.`);
    demo.presentation = out.bytes;
    demo.prove.state = 'proved';
    demo.prove.proveMs = out.ms;
    cancelBtn.hidden = true;
    // The verifier's side: its own worker, its own copy of the verifying key (checked by id).
    verdict('', 'Verifying…', []);
    const tv = performance.now();
    if (!app.verifier) {
      app.verifier = new CausewayWorker();
      await app.verifier.addVerifyingKey(m.circuit.name, m.circuit.keyId, new URL(FIX + m.circuit.verifyingKey, location.href).href);
    }
    const verified = await app.verifier.verifyPresentation(out.bytes, { issuers: [m.bank.key], challenge });
    const v = { verified, ms: performance.now() - tv };
    const st = v.verified.statements;
    verdict('ok', 'Verified', [
      el('p', { text: `${m.customer.name.split(' ')[0]} meets both conditions, according to ${m.bank.name}:` }),
      el('ul', {}, ...st.map((s) => el('li', {}, el('code', { text: statementText(s) })))),
      el('p', { class: 'small', text: `Disclosed values: ${v.verified.disclosed.length === 0 ? 'none' : v.verified.disclosed.length}. Groth16 proofs checked in the verifier's worker in ${v.ms.toFixed(0)} ms; bound to this challenge only.` }),
    ]);
    demo.prove.state = 'verified';
    demo.prove.verified = { statements: st, disclosed: v.verified.disclosed.length, subject: v.verified.subject };
    $('tab-prove').dataset.done = 'true';
  } catch (e) {
    cancelBtn.hidden = true;
    if (e.name === 'AbortError') {
      setProgress(0, 'cancelled', 'Cancelled. Nothing was sent; you can try again.');
      demo.prove.state = 'cancelled';
    } else {
      report('prove', e);
      setProgress(100, 'error', `Could not prove${e.code ? ` (${e.code})` : ''}: ${e.message}`);
      if (demo.presentation) verdict('bad', 'Not verified', [el('p', {}, el('code', { text: e.code ?? 'error' }), ` ${e.message}`)]);
      demo.prove.state = 'error';
      demo.prove.code = e.code ?? null;
    }
  } finally {
    clearInterval(ticker);
    $('ticker').hidden = true;
    proveBtn.disabled = false;
    proveBtn.lastChild.textContent = demo.prove.state === 'verified' ? ' Prove again' : ' Create proof';
    app.abort = null;
  }
});
$('cancel').addEventListener('click', () => app.abort?.abort());

// ------------------------------------------------------------------------------ step 3

// What a refusal means, for the codes a provenance check can end with.
const MEANING = {
  'log.invalid_receipt': 'An event no longer matches its signature: it was changed after it was signed.',
  'log.bad_signature': 'The log checkpoint is not signed by the log you trust.',
  'log.wrong_origin': 'An event belongs to another log.',
  'log.invalid_proof': 'An event is not in the log where the bundle says it is.',
  'trace.chain_broken': 'Steps are missing or out of order.',
  'trace.fork': 'Two different histories claim the same step.',
  'trace.duplicate': 'A step is shown twice.',
  'trace.wrong_product': 'The history is about another product.',
  'trace.untrusted_signer': 'A step is signed by someone you do not trust for it.',
  'anchor.wrong_chain': 'The anchor is on another chain or registry.',
  'anchor.invalid': 'The anchor receipt does not match this history.',
};

function banner(kind, title, text, extra) {
  const s = $('history-status');
  const mark = kind === 'busy' ? el('span', { class: 'spinner', 'aria-hidden': 'true' }) : icon(kind === 'ok' ? ICON_OK : ICON_BAD);
  s.replaceChildren(el('div', { class: `banner ${kind}` }, mark, el('div', {}, el('h3', { text: title }), el('p', {}, text, extra ?? ''))));
}

$('check').addEventListener('click', async () => {
  const m = app.manifest.product;
  const copy = document.querySelector('input[name="copy"]:checked').value;
  const btn = $('check');
  btn.disabled = true;
  $('timeline').replaceChildren();
  $('panel-product').dataset.state = 'checking';
  demo.history = { state: 'checking', copy };
  banner('busy', 'Checking…', 'Verifying signatures, inclusion proofs and the anchor in your browser.');
  try {
    const [bundle, policy, receipt, anchoredNote] = await Promise.all([
      fetchBytes(copy === 'tampered' ? m.tampered : m.bundle),
      fetchText(m.policy),
      fetchBytes(m.anchorReceipt),
      fetchText(m.anchoredCheckpoint),
    ]);
    await new Promise((r) => setTimeout(r, 0));
    const chain = { chainId: BigInt(m.chain.chainId), contract: m.chain.contract };
    const t0 = performance.now();
    // The trust anchors (log key, origin, policy, chain) are the verifier's, never the bundle's.
    const v = cw.verifyProvenance(bundle, { logKey: m.logKey, origin: m.origin, policy, product: m.id, chain });
    // The operator's anchor receipt on its own: the entry is in the anchored checkpoint.
    const a = cw.verifyAnchorReceipt(receipt, {
      logKey: m.logKey, anchoredCheckpoint: anchoredNote, chainId: chain.chainId, contract: chain.contract, origin: m.origin,
    });
    const ms = performance.now() - t0;
    const tl = $('timeline');
    for (const e of v.events) {
      const chips = Object.entries(e.fields).map(([k, val]) => el('span', { class: 'chip' }, el('b', { text: `${human(k)}: ` }), val.length > 24 ? short(val, 16) : val));
      if (e.details) chips.push(el('span', { class: 'chip sealed', text: `sealed report for partners · ${short(e.details.recordId, 8)}` }));
      tl.append(el('li', { 'data-step': e.step },
        el('span', { class: 'pin' }, icon(ICON_OK)),
        el('div', { class: 'ev-head' },
          el('span', { class: 'ev-step', text: e.step }),
          el('span', { class: 'ev-by', text: `by ${human(e.party)}` }),
          el('time', { class: 'ev-time', datetime: new Date(Number(e.timeMs)).toISOString(), text: when(e.timeMs) })),
        chips.length ? el('div', { class: 'chips' }, ...chips) : null,
        el('div', { class: 'ev-proof', text: `signed by key ${short(e.signer, 8)} · log entry ${e.index} · step ${e.seq + 1} of ${v.events.length}` })));
    }
    if (v.anchor) {
      tl.append(el('li', { class: 'anchor', 'data-step': 'anchored' },
        el('span', { class: 'pin' }, icon(ICON_ANCHOR)),
        el('div', { class: 'ev-head' },
          el('span', { class: 'ev-step', text: 'Anchored on chain' }),
          el('span', { class: 'ev-by', text: `chain ${v.anchor.chainId} · block ${v.anchor.blockNumber}` })),
        el('div', { class: 'chips' },
          el('span', { class: 'chip' }, el('b', { text: 'Registry: ' }), short(v.anchor.contract, 12)),
          el('span', { class: 'chip' }, el('b', { text: 'Checkpoint: ' }), `${v.anchor.size} entries`),
          el('span', { class: 'chip' }, el('b', { text: 'Tx: ' }), short(`0x${v.anchor.txHash}`, 12))),
        el('div', { class: 'ev-proof', text: `verified offline: the log operator's signed anchor statement and the receipt for entry ${a.index} (${a.coversCheckpoint ? 'covers' : 'does not cover'} the checkpoint). The block itself is not checked here: confirming it needs a node of the chain` })));
    }
    banner('ok', 'Verified history', `${v.events.length} steps from the first, none missing, each signed by a party you trust for it; anchored in block ${v.anchor?.blockNumber ?? '—'}. Checked in ${ms.toFixed(0)} ms.`);
    $('panel-product').dataset.state = 'verified';
    $('tab-product').dataset.done = 'true';
    demo.history = {
      state: 'verified', copy, steps: v.events.map((e) => e.step), parties: v.events.map((e) => e.party),
      anchor: v.anchor ? { chainId: String(v.anchor.chainId), blockNumber: String(v.anchor.blockNumber), chainPinned: v.anchor.chainPinned } : null,
      receipt: { index: String(a.index), coversCheckpoint: a.coversCheckpoint },
    };
  } catch (e) {
    const code = e.code ?? 'error';
    banner('bad', 'Verification failed — do not trust this history', `${MEANING[code] ?? e.message} `,
      el('span', { class: 'code-chip', text: code }));
    $('history-status').append(el('ul', { class: 'refusal-notes' },
      el('li', { text: 'Nothing from this copy is shown: a history that fails any check is not displayed at all.' }),
      el('li', { text: `Checked against the ${m.logName.toLowerCase()}'s key and your trust policy, not against anything in the copy itself.` }),
      el('li', { text: copy === 'tampered' ? 'Switch to “As published” to check the genuine copy.' : 'Ask the seller for a fresh copy of the history.' })));
    $('panel-product').dataset.state = 'refused';
    demo.history = { state: 'refused', copy, code, message: e.message };
  } finally {
    btn.disabled = false;
  }
});
for (const r of document.querySelectorAll('input[name="copy"]')) {
  r.addEventListener('change', () => {
    $('timeline').replaceChildren();
    $('history-status').replaceChildren(el('p', { class: 'muted', text: 'Press “Check history” to verify this copy.' }));
    $('panel-product').dataset.state = 'idle';
    demo.history = { state: 'idle' };
  });
}

// A decorative 2D code for the scanned product (drawn from the id's SHA-256; not a real QR).
async function drawCode(id) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)));
  const svg = $('code-art');
  const n = 21;
  const finder = (x, y) => [[0, 0], [n - 7, 0], [0, n - 7]].some(([fx, fy]) => x >= fx && x < fx + 7 && y >= fy && y < fy + 7);
  const inFinder = (x, y) => {
    for (const [fx, fy] of [[0, 0], [n - 7, 0], [0, n - 7]]) {
      const dx = x - fx; const dy = y - fy;
      if (dx >= 0 && dx < 7 && dy >= 0 && dy < 7) {
        return dx === 0 || dy === 0 || dx === 6 || dy === 6 || (dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4);
      }
    }
    return false;
  };
  let bit = 0;
  const parts = [];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let on;
      if (finder(x, y)) on = inFinder(x, y);
      else { on = (d[(bit >> 3) % d.length] >> (bit & 7)) & 1; bit = (bit * 7 + 3) % 256; bit += x & 1; }
      if (on) parts.push(`<rect x="${x}" y="${y}" width="1" height="1"/>`);
    }
  }
  svg.innerHTML = parts.join('');
}

start();
