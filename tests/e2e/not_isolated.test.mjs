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

test('without isolation headers or a service worker, models of worker instances run on their own build (the GIL too); shared-memory ones say why not', async () => {
  const query = 'workload=sieve&from=1000&to=3000&models=main,seq,gil,rayon,workers,executor&threads=2&repeat=1&warmup=0&autorun=1';
  const instanceBuild = [];
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    page.page.on('request', (request) => { if (request.url().includes('/instances/')) instanceBuild.push(request.url()); });
    const results = await page.postedResults();
    assert.equal(results.environment.cross_origin_isolated, false);
    const models = byId(results);
    for (const id of ['main', 'seq', 'gil', 'workers', 'executor']) {
      assert.equal(models[id].available, true, id);
      assert.equal(models[id].error, null, `${id}: ${models[id].error}`);
      assert.equal(models[id].checksum_ok, true, id);
    }
    // The GIL where threads cannot share memory: k instances passing one token.
    assert.equal(models.gil.runs_on, 'worker_instances');
    assert.equal(models.rayon.available, false);
    assert.match(models.rayon.error, /needs threads that share one memory/);
    assert.ok(instanceBuild.some((url) => url.endsWith('.wasm')), 'the instances\' own build was fetched');
    assert.equal(await page.text('cross-origin-isolated'), 'no');
    assert.match(await page.text('result-rayon-status'), /Unavailable here: rayon needs threads that share one memory/);
    assert.match(await page.text('env-isolated'), /^no\./);
    assert.match(await page.text('threads-banner'), /need a cross-origin isolated page/);
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
