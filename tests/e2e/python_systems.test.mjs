// The posts' Python systems as models, in Chromium: threads under a
// simulated GIL, asyncio on CPU work, ProcessPoolExecutor's one message per
// task, the same model twice at different k, and processes that block in
// one request at a time. Checksums exact; timings only as generous sanity
// ratios (the VM moves by tens of percent).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

/** The models of `results` by key (`threads@100`). */
const byKey = (results) => Object.fromEntries(results.models.map((model) => [model.key, model]));

test('sieve: gil, async, executor and workers beside seq and rayon; one checksum', async () => {
  const query = 'workload=sieve&from=1000&to=16000&models=seq,gil,async,rayon,workers,executor&threads=2&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults(300_000);
    const { seq, gil, async: asyncModel, rayon, workers, executor } = byId(results);
    console.log(`# sieve medians: ${results.models.map((m) => `${m.key} ${m.median_ms.toFixed(1)} ms`).join(', ')}; gil ${gil.gil_switches} hand-offs, waited ${gil.gil_wait_ms.toFixed(1)} ms`);
    for (const model of results.models) {
      assert.equal(model.error, null, `${model.id}: ${model.error}`);
      assert.equal(model.checksum, '15730622', model.id);
      assert.equal(model.checksum_ok, true, model.id);
      assert.equal(model.key, model.id, 'a plain entry is keyed by its id');
    }
    // The GIL: two threads, hand-offs, and one runs at a time.
    assert.equal(gil.threads_used, 2, 'gil ran tasks on two threads');
    assert.equal(gil.switch_ms, 5, 'CPython\'s default switch interval');
    assert.ok(gil.gil_switches > 0, `${gil.gil_switches} hand-offs`);
    assert.ok(gil.gil_wait_ms > 0);
    assert.ok(gil.gil_holds.length > 1);
    // Not faster than one thread, shown without timing noise: the lock's
    // holds never overlap, and the task code of both threads together takes
    // no longer than the run itself (it never ran on two threads at once).
    const holds = gil.gil_holds;
    assert.ok(holds.every((hold, i) => i === 0 || holds[i - 1].end_ms <= hold.start_ms + 0.01), 'holds never overlap');
    const busy = gil.tasks.reduce((sum, t) => sum + (t.end_ms - t.start_ms), 0);
    assert.ok(busy <= gil.median_ms * 1.02 + 1, `task code ${busy.toFixed(1)} ms within the run's ${gil.median_ms.toFixed(1)} ms`);
    // And, generously (the VM moves by tens of percent), no real speedup.
    assert.ok(gil.median_ms > 0.6 * seq.median_ms, `gil ${gil.median_ms} ms vs seq ${seq.median_ms} ms`);
    // async: the page stays live, one yield per task.
    assert.equal(asyncModel.yields, 15000);
    assert.ok(asyncModel.heartbeat_ticks > 0, 'the heartbeat ticked during async');
    // rayon stays clearly faster than one thread.
    assert.ok(rayon.median_ms < 0.9 * seq.median_ms, `rayon ${rayon.median_ms} ms vs seq ${seq.median_ms} ms`);
    // Messages: one round trip per task for the executor; Pool.map's
    // instances take its chunks from one shared queue, so a message out and
    // back per instance and an event per chunk.
    assert.equal(executor.chunksize, 1);
    assert.equal(executor.messages, 2 * 15000);
    assert.equal(workers.chunksize, 1875, 'Pool.map: ceil(15000 / (4 * 2))');
    assert.equal(workers.messages, 8 + 2 * 2);
    // The page shows the same.
    assert.equal(await page.testId('result-gil-threads-used').textContent(), '2 of 2');
    assert.equal(await page.testId('result-executor-messages').getAttribute('data-value'), '30000');
    assert.equal(await page.testId('result-async-yields').getAttribute('data-value'), '15000');
    await page.testId('timeline-tab-gil').click();
    assert.ok((await page.testId('timeline-gil-hold').count()) > 1, 'the timeline shows who held the lock');
    await page.screenshot('python-systems-sieve');
    assert.deepEqual(page.errors, []);
  });
});

test('IO: a thread per request beside 6 threads, processes that block, processes with asyncio', async () => {
  const query = 'workload=io&source=sim&requests=100&latency_ms=100&models=threads@100,threads@6,procs,workers&threads=2&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults(300_000);
    const models = byKey(results);
    console.log(`# IO medians: ${results.models.map((m) => `${m.key} ${m.median_ms.toFixed(0)} ms (in flight ${m.max_in_flight}, start-up +${m.startup_wasm_memory_bytes} B)`).join(', ')}`);
    const inFlight = Object.fromEntries(results.models.map((m) => [m.key, m.max_in_flight]));
    // 100 threads take requests from one queue, as a pool's threads do: one
    // that answers before the last thread has started may take a second
    // request, so 100 in flight is "about 100" on a busy 2-core machine.
    assert.ok(inFlight['threads@100'] >= 95, `threads@100: ${inFlight['threads@100']} in flight`);
    assert.deepEqual({ ...inFlight, 'threads@100': 100 }, { 'threads@100': 100, 'threads@6': 6, procs: 2, workers: 100 });
    for (const model of results.models) {
      assert.equal(model.error, null, `${model.key}: ${model.error}`);
      assert.equal(model.checksum_ok, true, model.key);
      assert.equal(model.requests_ok, 100, model.key);
    }
    assert.equal(models['threads@100'].id, 'threads');
    assert.equal(models['threads@100'].threads, 100);
    const many = models['threads@100'].startup_wasm_memory_bytes;
    const few = models['threads@6'].startup_wasm_memory_bytes;
    assert.ok(many > few, `100 threads reserve more at start-up (${many} B) than 6 (${few} B)`);
    assert.ok(models['threads@100'].startup_wasm_memory_bytes_per_thread > 0);
    // procs: 2 processes, each blocked in one request at a time: about N/k x L.
    const procs = models.procs;
    assert.ok(procs.median_ms >= 50 * 100, `procs ${procs.median_ms} ms for 50 rounds of 100 ms`);
    assert.ok(procs.median_ms < 50 * 100 * 2, `procs ${procs.median_ms} ms`);
    assert.equal(await page.text('result-threads@100-max-in-flight'), '100');
    assert.equal(await page.text('result-threads@6-max-in-flight'), '6');
    await page.screenshot('python-systems-io');
    assert.deepEqual(page.errors, []);
  });
});

// Stop in the new CPU models; IO procs below.
for (const model of ['gil', 'async', 'executor']) {
  test(`Stop ends a long ${model} run, keeps what ran, and the page runs again`, async () => {
    const query = `workload=sieve&from=1000&to=60000&models=${model}&threads=2&repeat=1&warmup=0`;
    await withPlayground(env.browser, env.server.url, query, async (page) => {
      await page.runUntilMidRun(500);
      const stopToResults = await page.stopAndTime();
      assert.ok(stopToResults < 1000, `results ${stopToResults.toFixed(0)} ms after Stop`);
      const stopped = byId(await page.postedResults())[model];
      assert.equal(stopped.partial, true);
      assert.equal(stopped.error, null);
      assert.ok(stopped.tasks.length > 0, 'what ran is kept');
      assert.ok(stopped.tasks_done < 59000);

      const again = byId(await page.runAgain('to', '3000'))[model];
      assert.equal(again.checksum_ok, true, `${model} runs again after Stop`);
      assert.deepEqual(page.errors, []);
    });
  });
}

test('Stop ends a procs run: the request in flight in each instance is aborted and counts as cancelled', async () => {
  const query = 'workload=io&source=sim&requests=12&latency_ms=2000&models=procs&threads=2&repeat=1&warmup=0';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    await page.runUntilMidRun(400);
    const stopToResults = await page.stopAndTime();
    assert.ok(stopToResults < 500, `results ${stopToResults.toFixed(0)} ms after Stop`);
    const stopped = byId(await page.postedResults()).procs;
    assert.equal(stopped.partial, true);
    assert.equal(stopped.error, null);
    assert.equal(stopped.failures.cancelled, 2, 'the request in flight in each instance');
    assert.deepEqual(stopped.runs_ms, []);

    const rerun = byId(await page.runAgain('latency_ms', '20')).procs;
    assert.equal(rerun.requests_ok, 12, 'procs runs again after Stop');
  });
});
