// The same smoke run in Chromium, Firefox and WebKit through one driver
// (support/engines.mjs): a small sieve on main, seq and workers, on an
// isolated server, one engine at a time. Chromium and Firefox must run every
// model with the exact checksum. WebKit (WebKitGTK's MiniBrowser) must run
// `main`; what it says of the others is logged, not asserted: today `seq`
// (the thread pool) and `workers` fail there. WebKit's page runs framed by
// the driver's host page, so it is embedded there.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, launchEngine, serveDistForEngines } from './support/engines.mjs';
import { ARTIFACTS } from './support/playground_page.mjs';
import { byId } from './support/suite.mjs';

const QUERY = 'workload=sieve&from=1000&to=4000&models=main,seq,workers&threads=2&repeat=1&warmup=0&autorun=1';
// Generous: these machines have 2 cores and other work on them.
const MINUTES = 60_000;

const env = {};
before(async () => {
  env.server = await serveDistForEngines({ isolated: true });
});
after(async () => {
  await env.server?.close();
});

for (const name of ENGINES) {
  describe(name, { timeout: 15 * MINUTES }, () => {
    const engine = {};
    before(async () => {
      const started = performance.now();
      engine.handle = await launchEngine(name);
      engine.launchMs = performance.now() - started;
    });
    after(async () => {
      await engine.handle?.close();
    });

    test('the smoke run posts its results; every model that runs has the exact checksum', async () => {
      const started = performance.now();
      const page = await engine.handle.open(`${env.server.url}?${QUERY}`, { viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
      try {
        const posted = await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
        const runMs = performance.now() - started;
        assert.equal(posted[0].type, 'concurrency-playground:results');
        const { results } = posted[0];
        const models = byId(results);
        assert.deepEqual(Object.keys(models), ['main', 'seq', 'workers']);
        console.log(`# ${name} ${engine.handle.version}: launched in ${engine.launchMs.toFixed(0)} ms, `
          + `opened and ran in ${runMs.toFixed(0)} ms; embedded ${results.environment.embedded}, `
          + `cross-origin isolated ${results.environment.cross_origin_isolated}`);
        // WebKit's page is framed by the host page that records its messages.
        assert.equal(results.environment.embedded, name === 'webkit');
        assert.equal(results.environment.cross_origin_isolated, true, 'the server (and the host page) send the isolation headers');

        if (name === 'webkit') {
          assert.equal(models.main.error, null, `main: ${models.main.error}`);
          assert.equal(models.main.checksum_ok, true, 'main');
          for (const model of Object.values(models)) {
            console.log(`# webkit ${model.id}: available ${model.available}, checksum_ok ${model.checksum_ok}, error ${JSON.stringify(model.error)}`);
          }
          const probe = await page.evaluate(() => {
            let sharedMemory;
            try {
              sharedMemory = Object.prototype.toString.call(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer);
            } catch (error) {
              sharedMemory = `throws ${error}`;
            }
            // The host page's error hooks: in before any of the page's resources had loaded?
            const hooks = window.parent.__hooks.map((hook) => `${hook.readyState}, ${hook.resourcesLoaded} resources loaded`);
            return { crossOriginIsolated: globalThis.crossOriginIsolated, SharedArrayBuffer: typeof SharedArrayBuffer, sharedMemory, hooks };
          });
          console.log(`# webkit ${JSON.stringify(probe)}; errors ${JSON.stringify(page.errors)}`);
        } else {
          for (const model of Object.values(models)) {
            assert.equal(model.available, true, model.id);
            assert.equal(model.error, null, `${model.id}: ${model.error}`);
            assert.equal(model.checksum_ok, true, model.id);
          }
          assert.deepEqual(page.errors, []);
        }
        await page.screenshot(`${ARTIFACTS}engines-${name}.png`, { fullPage: true });
      } finally {
        await page.close();
      }
    });

    test('the viewport, the colour scheme and the keyboard reach the page', async () => {
      const viewport = { width: 800, height: 600 };
      const page = await engine.handle.open(`${env.server.url}?workload=sieve&from=1000&to=1100&models=main`, { viewport, colorScheme: 'dark' });
      try {
        await page.waitFor(() => document.querySelector('[data-testid=run]')?.disabled === false, null, { timeoutMs: 2 * MINUTES });
        const seen = await page.evaluate(() => ({
          width: innerWidth, height: innerHeight, dark: matchMedia('(prefers-color-scheme: dark)').matches,
        }));
        assert.deepEqual(seen, { ...viewport, dark: true });
        await page.evaluate(() => document.querySelector('[data-testid=run]').focus());
        await page.press('Enter');
        const posted = await page.waitForPosted(1, { timeoutMs: 2 * MINUTES });
        assert.equal(byId(posted[0].results).main.checksum_ok, true, 'Enter on Run ran it');
      } finally {
        await page.close();
      }
    });
  });
}
