// One headless Chromium for a whole test stage (scripts/suites/80-wasm.sh): started with the
// harness's executable and flags as a playwright browser server; its WebSocket endpoint is
// written to the file given as the only argument (then the harness's `launch` connects to it
// when $CAUSEWAY_BROWSER_WS is set: a new browser context per page instead of a new browser).
// Runs until SIGTERM/SIGINT or until its stdin closes, then closes the browser.
//
//   node tests/browser/browser-server.mjs /tmp/ws-endpoint &
import { writeFileSync, renameSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumPath, CHROMIUM_FLAGS } from './harness.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node browser-server.mjs ENDPOINT_FILE');
  process.exit(2);
}
const server = await chromium.launchServer({
  executablePath: chromiumPath(),
  headless: true,
  args: CHROMIUM_FLAGS,
  host: '127.0.0.1',
});
writeFileSync(`${out}.tmp`, `${server.wsEndpoint()}\n`);
renameSync(`${out}.tmp`, out);
let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await server.close().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
