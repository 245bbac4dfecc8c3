// All four CPU models on one page: one checksum, the threads each really
// used, and the heartbeat showing which models freeze the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

test('main, seq, rayon and workers reach one checksum; only main freezes the heartbeat', async () => {
  const query = 'workload=sieve&from=1000&to=16000&models=main,seq,rayon,workers&threads=2&repeat=2&warmup=1&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const models = byId(results);
    assert.deepEqual(Object.keys(models), ['main', 'seq', 'rayon', 'workers']);
    for (const model of Object.values(models)) {
      assert.equal(model.error, null, `${model.id}: ${model.error}`);
      assert.equal(model.checksum, '15730622', model.id);
      assert.equal(model.checksum_ok, true, model.id);
      // Tasks of a few microseconds are timed in runs ({count} tasks per
      // record; engine/cpu/run.rs, MIN_SPAN_MS): every task is in one.
      assert.equal(model.tasks.reduce((sum, t) => sum + (t.count ?? 1), 0), 15000, `${model.id}: every task recorded`);
    }
    assert.deepEqual(
      Object.values(models).map((m) => m.threads_used),
      [1, 1, 2, 2],
      'threads (or worker instances) that actually ran tasks',
    );
    // A synchronous run on the main thread lets no timer fire: exactly 0.
    assert.equal(models.main.heartbeat_ticks, 0);
    for (const id of ['seq', 'rayon', 'workers']) {
      assert.ok(models[id].heartbeat_ticks > 0, `${id} kept the page live`);
    }
    // The largest task is a sieve of n = 15999: 16000 flags, in a buffer
    // each thread keeps and reuses; rayon's two threads hold two.
    const growth = (model) => model.peak_live_heap_bytes - model.live_heap_bytes_before;
    for (const id of ['main', 'seq']) {
      // At least most of it: the buffer may have been a few bytes long before.
      assert.ok(growth(models[id]) >= 15000 && growth(models[id]) < 64 * 1024, `${id} peak growth ${growth(models[id])}`);
    }
    // rayon's two threads each keep a buffer as large as the largest sieve
    // it ran (n = 1000 + task), both held at the end: its growth holds both,
    // whichever tasks work stealing gave each (under load one thread may
    // take only small ones, so "more than seq" alone failed once in CI).
    const largestPerLane = new Map();
    let ran = 0;
    for (const record of models.rayon.tasks) {
      ran += record.count ?? 1;
      largestPerLane.set(record.lane, Math.max(largestPerLane.get(record.lane) ?? 0, 1000 + ran - 1));
    }
    const buffers = [...largestPerLane.values()].reduce((sum, n) => sum + n, 0);
    assert.equal(largestPerLane.size, 2, 'both rayon threads sieved');
    assert.ok(growth(models.rayon) >= 0.9 * buffers && growth(models.rayon) < 2 * buffers + 64 * 1024,
      `two sieves at once: growth ${growth(models.rayon)}, largest sieves per thread ${[...largestPerLane.values()]}`);
    // Each worker instance has its own linear memory, so the process model's
    // memory is the page's plus at least one more instance's.
    assert.ok(models.workers.wasm_memory_bytes_after > models.seq.wasm_memory_bytes_after);
    assert.ok(models.workers.startup_ms > 0, 'starting the instances is measured');
    // Pool.map's 8 chunks of 1875 tasks in one queue the two instances
    // share (this page has SharedArrayBuffer): one message out and one
    // back per instance, and one event per chunk. Every chunk runs whole
    // on one instance, both instances take chunks, and each takes its
    // chunks in queue order.
    assert.equal(models.workers.chunksize, 1875);
    assert.equal(models.workers.messages, 2 * 2 + 8);
    const chunkLanes = Array.from({ length: 8 }, () => new Set());
    let task = 0;
    for (const record of models.workers.tasks) {
      for (let i = 0; i < (record.count ?? 1); i++, task++) chunkLanes[Math.floor(task / 1875)].add(record.lane);
    }
    assert.ok(chunkLanes.every((lanes) => lanes.size === 1), 'a chunk runs on one instance');
    const laneOf = chunkLanes.map((lanes) => [...lanes][0]);
    assert.deepEqual([...new Set(laneOf)].sort(), [0, 1], `both instances took chunks: ${laneOf}`);
    assert.equal(models.workers.instance_messages.length, 2, 'one message to each instance, answered once');
    await page.screenshot('cpu-every-model');
    assert.deepEqual(page.errors, []);
  });
});
