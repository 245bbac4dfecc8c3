// Stop in every IO model: requests in flight are aborted at once (not
// waited for), what ran is kept and marked partial, and the page runs
// again afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAILED_RESOURCE, withPlayground } from './support/playground_page.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

// Each request takes 2 s, so a Stop that did not abort them would take
// about that long to end the run.
const LATENCY_MS = 2000;

for (const model of ['seq', 'all', 'bounded', 'threads', 'workers']) {
  test(`Stop aborts ${model}'s requests in flight and keeps the partial results`, async () => {
    const query = `workload=io&source=sim&requests=12&latency_ms=${LATENCY_MS}&models=${model}&concurrency=3&threads=2&repeat=1&warmup=0`;
    await withPlayground(env.browser, env.server.url, query, async (page) => {
      // Started (threads and instances are ready), and its requests are in flight.
      await page.runUntilMidRun(400);
      const stopToResults = await page.stopAndTime();
      assert.ok(stopToResults < LATENCY_MS / 4, `results ${stopToResults.toFixed(0)} ms after Stop: in-flight requests were aborted`);
      const results = await page.postedResults();
      assert.equal(results.partial, true);
      const stopped = byId(results)[model];
      assert.equal(stopped.partial, true);
      assert.equal(stopped.error, null, stopped.error);
      assert.ok(stopped.failures.cancelled >= 1, `${model}: requests in flight were cancelled: ${JSON.stringify(stopped.failures)}`);
      assert.ok(stopped.tasks.length >= 1, 'the stopped run\'s records are kept');
      assert.ok(stopped.tasks.some((t) => t.error === 'cancelled'));
      assert.equal(stopped.requests_ok + stopped.requests_failed, stopped.tasks.length);
      assert.deepEqual(stopped.runs_ms, [], 'a stopped run is not a run time');
      assert.match(await page.text(`result-${model}-status`), /Stopped part-way/);

      // The page recovers: a new, short run of the same model completes.
      const again = await page.runAgain('latency_ms', '20');
      const rerun = byId(again)[model];
      assert.equal(again.partial, false);
      assert.equal(rerun.requests_ok, 12, `${model} runs again after Stop`);
      assert.equal(rerun.checksum_ok, true);
      assert.deepEqual(page.errorsExcept(FAILED_RESOURCE), []);
    });
  });
}
