// The IO workload on the service worker's latency source: every model
// receives every byte, keeps as many requests in flight as its shape
// allows, and takes about as long as that shape predicts (N x L, L,
// ceil(N / k) x L), with the page live throughout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

const N = 40;
const L = 100;
const K = 5;

test('seq is about N x L, all about L, bounded about ceil(N/k) x L; none fails', async () => {
  const query = `workload=io&source=sim&requests=${N}&latency_ms=${L}&models=seq,all,bounded&concurrency=${K}&repeat=1&warmup=0&autorun=1`;
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    assert.equal(results.workload.kind, 'io');
    assert.equal(results.workload.source, 'sim');
    assert.equal(results.workload.expected_checksum, String(N * 2048));
    assert.equal(results.config.concurrency, K);
    const { seq, all, bounded } = byId(results);
    for (const model of [seq, all, bounded]) {
      assert.equal(model.error, null, `${model.id}: ${model.error}`);
      assert.equal(model.requests_ok, N, model.id);
      assert.equal(model.requests_failed, 0, model.id);
      assert.equal(model.bytes_total, N * 2048, model.id);
      assert.equal(model.checksum_ok, true, model.id);
      assert.equal(model.protocol, 'service-worker', `${model.id}: answered by the service worker, no hop`);
      assert.equal(model.tasks.length, N, `${model.id}: one record per request`);
      assert.ok(model.tasks.every((t) => t.status === 200 && t.bytes === 2048 && t.error === null), model.id);
      assert.ok(model.memory_samples.length >= 3, `${model.id}: memory sampled while it ran`);
      assert.ok(model.heartbeat_ticks > 0, `${model.id}: the page stayed live`);
    }
    assert.deepEqual([seq.max_in_flight, all.max_in_flight, bounded.max_in_flight], [1, N, K]);
    // Generous bounds on the shape, not a benchmark: each request costs a
    // few ms of service-worker dispatch on top of L.
    const within = (model, rounds) => {
      const ideal = rounds * L;
      assert.ok(model.median_ms >= ideal, `${model.id}: ${model.median_ms} ms < ${ideal}`);
      assert.ok(model.median_ms < ideal * 1.6 + 250, `${model.id}: ${model.median_ms} ms for ${rounds} x ${L} ms`);
    };
    within(seq, N);
    within(all, 1);
    within(bounded, Math.ceil(N / K));
    // Lanes are slots: one for seq, k for bounded.
    assert.deepEqual([...new Set(seq.tasks.map((t) => t.lane))], [0]);
    assert.equal(new Set(bounded.tasks.map((t) => t.lane)).size, K);

    // The page shows what it posted.
    assert.equal(await page.text('result-bounded-max-in-flight'), String(K));
    assert.equal(await page.text('result-all-requests'), `${N} / 0`);
    assert.equal(await page.text('result-seq-protocol'), 'service-worker');
    await page.screenshot('io-sim-seq-all-bounded');
    assert.deepEqual(page.errors, []);
  });
});

test('threads block k at a time on worker threads; workers fetch their shares at once', async () => {
  const query = `workload=io&source=sim&requests=${N}&latency_ms=${L}&models=threads,workers&concurrency=${K}&threads=2&repeat=1&warmup=0&autorun=1`;
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const { threads, workers } = byId(results);
    for (const model of [threads, workers]) {
      assert.equal(model.error, null, `${model.id}: ${model.error}`);
      assert.equal(model.available, true, model.id);
      assert.equal(model.requests_ok, N, model.id);
      assert.equal(model.checksum_ok, true, model.id);
      assert.equal(model.protocol, 'service-worker', `${model.id}: the service worker answers workers too`);
      assert.ok(model.startup_ms > 0, `${model.id}: starting threads or instances is measured apart`);
    }
    assert.equal(threads.threads_used, K, 'k worker threads each made requests');
    assert.equal(threads.max_in_flight, K);
    assert.equal(new Set(threads.tasks.map((t) => t.lane)).size, K);
    assert.ok(threads.median_ms >= Math.ceil(N / K) * L, `threads: ${threads.median_ms} ms`);
    assert.equal(workers.threads_used, 2, 'two worker instances each made requests');
    assert.equal(workers.max_in_flight, N);
    assert.deepEqual([...new Set(workers.tasks.map((t) => t.worker))].sort(), [0, 1]);
    assert.ok(workers.median_ms < 0.5 * threads.median_ms, `workers ${workers.median_ms} ms, threads ${threads.median_ms} ms`);
    // Each thread's 1 MiB stack is allocated in the shared heap while it lives.
    assert.ok(threads.wasm_memory_bytes_after >= threads.wasm_memory_bytes_before);
    assert.deepEqual(page.errors, []);
  });
});
