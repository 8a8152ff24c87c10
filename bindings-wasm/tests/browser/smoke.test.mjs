// The package loads in headless Chromium from a page served on 127.0.0.1 (streaming
// instantiation of the .wasm file, application/wasm), seals and opens; and the harness's
// `isolated` option makes the page cross-origin isolated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, withPage } from './harness.mjs';

for (const isolated of [false, true]) {
  test(`the package loads and round-trips in Chromium (isolated: ${isolated})`, async () => {
    const server = await serve(
      { '/': 'bindings-wasm/tests/browser/pages', '/pkg/': 'bindings-wasm/pkg' },
      { isolated },
    );
    try {
      await withPage(async (page) => {
        await page.goto(`${server.url}/smoke.html`);
        await page.waitForFunction(() => window.smoke !== undefined, null, { timeout: 60_000 });
        const smoke = await page.evaluate(() => window.smoke);
        assert.equal(smoke.ok, true, smoke.error);
        assert.equal(smoke.text, 'hello');
        assert.equal(smoke.prover, true);
        assert.equal(smoke.isolated, isolated);
        assert.deepEqual(page.causewayErrors, []);
      });
      // the module was fetched as a file, once per page load (not inlined)
      assert.equal(server.requests.get('/pkg/full/causeway_wasm_bg.wasm'), 1);
    } finally {
      await server.close();
    }
  });
}
