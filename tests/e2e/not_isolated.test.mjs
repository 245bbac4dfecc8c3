// Served without COOP/COEP (a plain static host): the page still loads,
// runs `main`, reports the threaded models unavailable with the reason, and
// posts its results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlaygroundPage } from './support/playground_page.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer({ isolated: false });

test('without isolation headers, main runs and threaded models say why they cannot', async () => {
  const query = 'workload=sieve&from=1000&to=3000&models=main,seq,rayon,workers&repeat=1&warmup=0&autorun=1';
  const page = await PlaygroundPage.open(env.browser, env.server.url, query);
  try {
    const results = await page.postedResults();
    assert.equal(results.environment.cross_origin_isolated, false);
    const models = byId(results);
    assert.equal(models.main.available, true);
    assert.equal(models.main.checksum_ok, true);
    for (const id of ['seq', 'rayon', 'workers']) {
      assert.equal(models[id].available, false, id);
      assert.match(models[id].error, /not cross-origin isolated/, id);
    }
    assert.equal(await page.text('cross-origin-isolated'), 'no');
    assert.match(await page.text('result-rayon-status'), /Unavailable: .*Cross-Origin-Opener-Policy/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
