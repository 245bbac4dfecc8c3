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

test('the crossover: every model from all waiting to all computing, a chart, and a verdict that names where lines cross', async () => {
  // all overlaps every wait but computes on the page's one thread; procs
  // waits for its share in turn but computes on two instances: all leads
  // while tasks wait and must lose once they compute.
  const query = 'workload=mixed&tasks=16&task_ms=40&sweep=mix&models=seq,all,procs&threads=2&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults(240_000);
    const sweep = results.mix_sweep;
    assert.deepEqual(sweep.shares_pct, [0, 10, 25, 50, 75, 90, 100]);
    assert.equal(sweep.points.length, 21);
    for (const point of sweep.points) assert.ok(point.checksum_ok, `${point.key} at ${point.share_pct} %: ${point.error}`);
    const at = (key, share) => sweep.points.find((p) => p.key === key && p.share_pct === share);
    console.log(`# crossover (16 tasks of 40 ms), ms: ${['seq', 'all', 'procs'].map((key) => `${key} ${sweep.shares_pct.map((s) => Math.round(at(key, s).median_ms)).join('/')}`).join('; ')}`);
    console.log(`# ${sweep.verdict}`);
    // The task's time is held: sync takes about as long at every share
    // (generous: a request through the service worker costs a few ms).
    const seqRatio = at('seq', 100).median_ms / at('seq', 0).median_ms;
    assert.ok(seqRatio > 0.5 && seqRatio < 2, `seq at 100 % / at 0 %: ${seqRatio.toFixed(2)}`);
    assert.ok(at('seq', 100).compute_n > at('seq', 50).compute_n && at('seq', 100).latency_ms === 0);
    const crossing = sweep.crossovers.find((c) => c.faster === 'all' && c.slower === 'procs');
    assert.ok(crossing, `all and procs cross: ${JSON.stringify(sweep.crossovers)}`);
    // The page draws it and says it, with the share.
    await page.testId('mix-sweep-chart').scrollIntoViewIfNeeded();
    assert.match(await page.text('mix-verdict'), /all \(asyncio\.gather\)/);
    assert.match(await page.text('mix-verdict'), new RegExp(`beat procs[^.]* computing and lost from ${crossing.first_behind_pct}\u00a0%`));
    assert.equal(await page.text('mix-winner-0'), '0\u00a0%all');
    assert.equal(await page.page.locator('[data-testid=mix-sweep-plot] svg path').count() >= 3, true, 'a line per model');
    assert.equal(await page.text(`mix-procs-100`), `${Number(at('procs', 100).median_ms) >= 100 ? Math.round(at('procs', 100).median_ms) : at('procs', 100).median_ms.toFixed(1)}\u00a0ms`);
    // The run's models are the half-and-half share, timeline and all.
    assert.deepEqual(results.models.map((m) => m.key), ['seq', 'all', 'procs']);
    assert.equal(results.workload.wait.latency_ms, 20);
    assert.match(results.config.query, /sweep=mix/);
    assert.ok(results.calibration.ns_per_n > 0);
    await page.screenshot('mixed-crossover');
    assert.deepEqual(page.errors, []);
  });
});

test('the shaper: a preset sets the tasks and says its lesson; the drawing follows the values', async () => {
  await withPlayground(env.browser, env.server.url, 'workload=mixed', async (page) => {
    await page.waitForRunEnabled();
    await page.testId('preset-mostly-computing').click();
    assert.match(await page.text('preset-lesson'), /^Mostly computing: .*processes/);
    assert.equal(await page.testId('input-compute_n').inputValue(), '12000000');
    const width = (id) => page.page.locator(`[data-testid=${id}]`).evaluate((rect) => Number(rect.getAttribute('width')));
    assert.ok((await width('task-drawing-compute')) > (await width('task-drawing-wait')), 'computing drawn longer');
    await page.testId('preset-mostly-waiting').click();
    assert.ok((await width('task-drawing-wait')) > 10 * (await width('task-drawing-compute')), 'waiting drawn longer');
    // Computing as time: cpu_ms, drawn as given.
    await page.testId('input-cpu_ms').fill('100');
    assert.ok(Math.abs((await width('task-drawing-compute')) - (await width('task-drawing-wait'))) < 2, '100 ms against 100 ms');
    // The crossover's switch shows task_ms and hides cpu_ms.
    await page.testId('input-sweep-mix').check();
    assert.equal(await page.testId('input-task_ms').isVisible(), true);
    assert.equal(await page.testId('input-cpu_ms').isVisible(), false);
    assert.match(page.page.url(), /sweep=mix/);
    assert.deepEqual(page.errors, []);
  });
});

test('answers with a long tail, some failing: every model meets the same answers, counted per kind, and the run goes on', async () => {
  const query = 'workload=io&requests=30&latency_ms=40&latency_spread=random&fail_rate=0.2&seed=2&models=seq,all,threads&concurrency=6&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    assert.deepEqual([results.workload.latency_spread, results.workload.fail_rate, results.workload.seed], ['random', 0.2, 2]);
    const failed = results.models[0].requests_failed;
    assert.ok(failed > 0 && failed < 30, `${failed} of 30 failed`);
    for (const model of results.models) {
      assert.equal(model.error, null, model.id);
      assert.ok(model.checksum_ok, `${model.id}: ${model.checksum} vs ${results.workload.expected_checksum}`);
      assert.equal(model.requests_failed, failed, `${model.id}: the same requests fail`);
      assert.deepEqual(model.failures, { http: failed }, model.id);
      // The delays vary: the slowest request waits far longer than the quickest.
      const spans = model.tasks.filter((t) => t.status !== undefined).map((t) => t.end_ms - t.start_ms);
      assert.ok(Math.max(...spans) > 1.5 * Math.min(...spans), `${model.id}: ${Math.min(...spans)} to ${Math.max(...spans)} ms`);
    }
    assert.match(results.workload.description, /delays drawn around 40 ms with a long tail.*answered with HTTP 503/);
    assert.match(await page.text('failures-seq-http'), new RegExp(`${failed}`));
    assert.deepEqual(page.errorsExcept(/503/), []);
  });
});
