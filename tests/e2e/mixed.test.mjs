// Mixed tasks in Chromium: each task a request to the latency source and a
// sieve. Where tasks mostly wait, every model that overlaps the waits (all,
// threads, threads under the GIL) is many times faster than one task after
// another; where they mostly compute, the GIL gives back only the waits,
// and two worker instances beat it. Every model reaches the one checksum.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

function assertExact(results, models) {
  assert.equal(results.workload.kind, 'mixed');
  for (const model of models) {
    assert.equal(model.error, null, `${model.id}: ${model.error}`);
    assert.equal(model.checksum_ok, true, `${model.id}: ${model.checksum} vs ${results.workload.expected_checksum}`);
    assert.equal(model.checksum, results.workload.expected_checksum, model.id);
    assert.equal(model.requests_failed, 0, model.id);
  }
}

test('mostly waiting: all, threads and gil overlap the waits, many times faster than seq', async () => {
  const query = 'workload=mixed&tasks=40&latency_ms=100&compute_n=20000&spread=random&seed=3&models=seq,all,threads,gil&concurrency=10&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const { seq, all, threads, gil } = byId(results);
    assertExact(results, [seq, all, threads, gil]);
    // The seed is recorded: a link replays the same tasks.
    assert.deepEqual([results.workload.spread, results.workload.seed, results.workload.order], ['random', 3, 'wait_first']);
    console.log(`# mostly waiting (40 x (100 ms + sieve 20000)), ms: seq ${seq.median_ms}, all ${all.median_ms}, threads ${threads.median_ms}, gil ${gil.median_ms}`);
    assert.ok(seq.median_ms >= 40 * 100, `seq waits for every request in turn: ${seq.median_ms} ms`);
    for (const model of [all, threads, gil]) {
      const faster = seq.median_ms / model.median_ms;
      assert.ok(faster > 4, `${model.id}: only ${faster.toFixed(1)}x faster than seq (${model.median_ms} ms)`);
      assert.ok(model.max_in_flight >= 10, `${model.id}: ${model.max_in_flight} in flight`);
    }
    assert.ok(gil.gil_holds.length > 0, 'the GIL lane has holds to draw');
    assert.equal(await page.text('result-gil-requests'), '40 / 0');
    // The timeline draws each task's request hollow and its computing solid;
    // under the GIL, beside when each thread held and waited for the lock.
    await page.testId('timeline-tab-gil').click();
    assert.match(await page.text('timeline-legend'), /computing, holding the GIL · waiting for its request, the GIL let go · waiting for the GIL/);
    assert.equal(await page.page.locator('[data-testid="timeline-bar"].wait').count() > 0, true, 'hollow request bars');
    assert.ok(await page.page.locator('[data-testid="timeline-gil-compute"]').count() > 0, 'the lock holds on the thread rows');
    assert.match(await page.text('timeline-summary'), /^10 threads, 40 tasks \(each a request and its computing\)/);
    await page.screenshot('mixed-mostly-waiting');
    assert.deepEqual(page.errors, []);
  });
});

test('mostly computing: the GIL gives back only the waits; two instances beat it', async () => {
  const query = 'workload=mixed&tasks=24&latency_ms=5&compute_n=12000000&models=seq,gil,workers&concurrency=4&threads=2&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const { seq, gil, workers } = byId(results);
    assertExact(results, [seq, gil, workers]);
    console.log(`# mostly computing (24 x (5 ms + sieve 12000000)), ms: seq ${seq.median_ms}, gil ${gil.median_ms}, workers ${workers.median_ms}`);
    // Computing holds the lock: gil computes one task at a time, so it can
    // save at most the waits (5 ms of each task) over seq.
    const computeMs = gil.tasks.filter((t) => t.status === undefined).reduce((sum, t) => sum + (t.end_ms - t.start_ms), 0);
    assert.ok(gil.median_ms >= computeMs * 0.95, `gil ${gil.median_ms} ms < the ${computeMs.toFixed(0)} ms it computed, one at a time`);
    assert.ok(workers.median_ms < gil.median_ms * 0.9, `two instances (${workers.median_ms} ms) vs gil (${gil.median_ms} ms)`);
    await page.screenshot('mixed-mostly-computing');
    assert.deepEqual(page.errors, []);
  });
});
