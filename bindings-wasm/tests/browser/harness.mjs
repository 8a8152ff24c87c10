// The browser test harness: a static server on 127.0.0.1 and Debian's Chromium driven by
// playwright-core (../shared/TOOLCHAIN.md: it downloads nothing; `executablePath` is
// /usr/bin/chromium, or $CAUSEWAY_CHROMIUM). Used by the tests in this folder, the demo page's
// test and the browser benchmarks.
//
//   const server = await serve({ '/': 'examples/web', '/pkg/': 'bindings-wasm/pkg' },
//                              { isolated: true });
//   await withPage(async (page) => { await page.goto(server.url + '/'); ... });
//   await server.close();
//
// `isolated: true` sends the headers that make a page cross-origin isolated
// (`crossOriginIsolated === true`: SharedArrayBuffer, wasm threads):
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// and every response carries `Cross-Origin-Resource-Policy: same-origin`.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/**
 * Serves directories on 127.0.0.1 on a free port (or `port`). `mounts` maps a URL prefix ending in `/` to a
 * directory (relative to the repository root, or absolute); the longest prefix wins. Only GET
 * and HEAD; no directory listings (`/` serves `index.html`); paths that leave their directory
 * are refused. Returns `{ url, port, close(), requests }` (`requests` counts requests by path,
 * for tests that check what a page fetched).
 */
export async function serve(mounts, { isolated = false, headers = {}, port: listenPort = 0 } = {}) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : `${prefix}/`, path.resolve(ROOT, dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const requests = new Map();
  const server = http.createServer(async (req, res) => {
    const send = (status, body, extra = {}) => {
      res.writeHead(status, { 'Cache-Control': 'no-store', ...extra });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'bad request');
    }
    requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
    const mount = table.find(([prefix]) => pathname.startsWith(prefix) || `${pathname}/` === prefix);
    if (!mount) return send(404, 'not found');
    const [prefix, dir] = mount;
    let rel = pathname.slice(Math.min(prefix.length, pathname.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(dir, rel);
    if (file !== dir && !file.startsWith(dir + path.sep)) return send(403, 'forbidden');
    let stat;
    try {
      stat = await fsp.stat(file);
    } catch {
      return send(404, 'not found');
    }
    if (!stat.isFile()) return send(404, 'not found');
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const out = {
      'Content-Type': type,
      'Content-Length': String(stat.size),
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      ...(isolated
        ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
        : {}),
      ...headers,
    };
    res.writeHead(200, out);
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** The Chromium executable: $CAUSEWAY_CHROMIUM or Debian's /usr/bin/chromium. */
export function chromiumPath() {
  return process.env.CAUSEWAY_CHROMIUM || '/usr/bin/chromium';
}

// Flags that work as root on this closed network (../shared/TOOLCHAIN.md).
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The flags every Chromium of the tests gets (browser-server.mjs launches with them too). */
export const CHROMIUM_FLAGS = FLAGS;

/**
 * Launches headless Chromium with a fresh profile in a temporary directory. Returns
 * `{ context, close() }`; `close` removes the profile. `args` adds flags.
 *
 * When $CAUSEWAY_BROWSER_WS names a running browser server (browser-server.mjs; the browser
 * tests' stage in scripts/suites/80-wasm.sh starts one for all of its files) and no `args` are
 * given, connects to it and returns a new browser context instead (its own cookies, storage,
 * caches and service workers, like a fresh profile; closed with `close`): the same Chromium
 * binary and flags, without a browser start per page.
 */
export async function launch({ args = [], viewport = { width: 1280, height: 860 } } = {}) {
  const { chromium } = await import('playwright-core');
  const ws = process.env.CAUSEWAY_BROWSER_WS;
  if (ws && args.length === 0) {
    const browser = await chromium.connect(ws);
    try {
      const context = await browser.newContext({ viewport });
      return {
        context,
        close: async () => {
          await context.close().catch(() => {});
          await browser.close().catch(() => {});
        },
      };
    } catch (e) {
      await browser.close().catch(() => {});
      throw e;
    }
  }
  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'causeway-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...FLAGS, ...args],
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      await fsp.rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `fn(page, context)` in a fresh browser and closes it afterwards. The page's console
 * errors and uncaught exceptions are collected in `page.causewayErrors` (an array of strings)
 * so a test can assert there were none.
 */
export async function withPage(fn, opts = {}) {
  const browser = await launch(opts);
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.causewayErrors = [];
    page.on('pageerror', (e) => page.causewayErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') page.causewayErrors.push(`console: ${m.text()}`);
    });
    return await fn(page, browser.context);
  } finally {
    await browser.close();
  }
}

/** Where tests save screenshots and other artefacts: $CAUSEWAY_ARTIFACTS or target/browser. */
export function artifactsDir() {
  const dir = process.env.CAUSEWAY_ARTIFACTS
    || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'browser');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
