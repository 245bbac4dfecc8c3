// Served without COOP/COEP to a browser that allows no service worker (a
// private window, say): the page cannot become cross-origin isolated. It
// still loads, runs what needs no shared memory, reports the rest
// unavailable with the reason, and posts its results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer({ isolated: false });
const NO_SERVICE_WORKERS = { serviceWorkers: 'block' };

test('without isolation headers or a service worker, main runs and threaded models say why they cannot', async () => {
  const query = 'workload=sieve&from=1000&to=3000&models=main,seq,rayon,workers&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    assert.equal(results.environment.cross_origin_isolated, false);
    const models = byId(results);
    assert.equal(models.main.available, true);
    assert.equal(models.main.checksum_ok, true);
    for (const id of ['seq', 'rayon', 'workers']) {
      assert.equal(models[id].available, false, id);
      assert.match(models[id].error, /not cross-origin isolated.*no isolation headers.*service worker.*not available/s, id);
    }
    assert.equal(await page.text('cross-origin-isolated'), 'no');
    assert.match(await page.text('result-rayon-status'), /Unavailable: .*sends no isolation headers/);
    assert.match(await page.text('env-isolated'), /^no\./);
    assert.deepEqual(page.errors, []);
  }, { contextOptions: NO_SERVICE_WORKERS });
});

test('without a service worker the latency source says why, and the other sources still work', async () => {
  const query = 'workload=io&source=static&bytes=2048&requests=8&models=seq,all,bounded,threads&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const models = byId(results);
    for (const id of ['seq', 'all', 'bounded']) {
      assert.equal(models[id].requests_ok, 8, id);
      assert.equal(models[id].checksum_ok, true, id);
    }
    assert.equal(models.threads.available, false, 'threads share memory: unavailable here');
    await page.testId('source-sim').check();
    await page.page.waitForFunction(() => /service worker/.test(document.querySelector('[data-testid=service-worker-status]')?.parentElement?.title ?? ''));
    assert.equal(await page.text('service-worker-status'), 'unavailable');
    assert.deepEqual(page.errors, []);
  }, { contextOptions: NO_SERVICE_WORKERS });
});
