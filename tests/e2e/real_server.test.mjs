// Against a real HTTP server, the posts' own service (httpbin under
// gunicorn, support/httpbin.mjs), asked the same URL every time as the
// posts' scripts asked it: every IO model receives every answer, the
// blocking models (threads, procs) overlap their requests up to their k
// and the browser's connections, and the page says how many requests were
// really on the wire beside how many each model started. In Chromium and
// Firefox.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchEngine, serveDistForEngines } from './support/engines.mjs';
import { startHttpbin } from './support/httpbin.mjs';
import { byId } from './support/suite.mjs';

const MINUTES = 60_000;
const N = 30;
const L_MS = 160;
const K = 10;

const env = {};
before(async () => {
  env.server = await serveDistForEngines({ isolated: true });
  env.httpbin = await startHttpbin();
});
after(async () => {
  await env.server?.close();
  await env.httpbin?.close();
});

for (const name of ['chromium', 'firefox']) {
  describe(name, { timeout: 10 * MINUTES }, () => {
    const engine = {};
    before(async () => { engine.handle = await launchEngine(name); });
    after(async () => { await engine.handle?.close(); });

    test(`${N} requests of ${L_MS} ms to httpbin: every model gets every answer; blocking models overlap`, async () => {
      const url = encodeURIComponent(`${env.httpbin.url}delay/${L_MS / 1000}`);
      const query = `workload=io&source=url&url=${url}&requests=${N}&models=seq,all,bounded,threads,workers,procs`
        + `&concurrency=${K}&threads=2&repeat=1&warmup=0&autorun=1`;
      const page = await engine.handle.open(`${env.server.url}?${query}`, { viewport: { width: 1280, height: 900 } });
      try {
        const [{ results }] = await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
        const models = byId(results);
        const times = Object.values(models).map((m) => `${m.id} ${Math.round(m.median_ms)} ms (${m.max_in_flight} started, ${m.max_on_wire} on the wire, ${m.on_wire_basis})`);
        console.log(`# ${name}: ${times.join('; ')}`);
        for (const model of Object.values(models)) {
          assert.equal(model.error, null, `${model.id}: ${model.error}`);
          assert.equal(model.requests_ok, N, `${model.id}: every answer`);
          assert.equal(model.requests_failed, 0, model.id);
          assert.equal(model.checksum_ok, true, `${model.id}: the same bytes in every run`);
        }
        const sequential = models.seq.median_ms;
        assert.ok(sequential >= N * L_MS, `seq: ${sequential} ms for ${N} × ${L_MS} ms`);
        // The blocking models overlap: k threads, 2 processes. The browser
        // carries at most six requests to one host over HTTP/1.1, so k = 10
        // threads run about six at a time: N × L / 6, far from N × L.
        assert.ok(models.threads.median_ms < sequential / 3, `threads ${models.threads.median_ms} ms vs seq ${sequential} ms`);
        assert.ok(models.procs.median_ms < sequential / 1.6, `procs ${models.procs.median_ms} ms vs seq ${sequential} ms`);
        assert.ok(models.threads.median_ms < 2 * N * L_MS / 6 + 500, `threads ${models.threads.median_ms} ms`);
        // On the wire: httpbin withholds its timing (no Timing-Allow-Origin),
        // so the page estimates it from the answers' waves: six connections.
        for (const id of ['all', 'bounded', 'threads', 'workers']) {
          const model = models[id];
          assert.ok(model.max_in_flight > 6, `${id} started ${model.max_in_flight}`);
          assert.ok(model.max_on_wire >= 4 && model.max_on_wire <= 6, `${id}: ${model.max_on_wire} on the wire`);
          assert.equal(model.on_wire_basis, 'estimated', id);
        }
        assert.equal(models.procs.max_in_flight, 2, 'one request per process');
        const said = await page.evaluate(() => ({
          threads: document.querySelector('[data-testid=result-threads-on-wire]').textContent,
          verdict: document.querySelector('[data-testid=verdict]').textContent,
          checksum: document.querySelector('[data-testid=url-checksum-note]').textContent,
        }));
        assert.match(said.threads, /about \d on the wire \(estimated\)/);
        assert.match(said.verdict, /at most six connections to one host/);
        assert.match(said.checksum, /echo service/);
        assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
      } finally {
        await page.close();
      }
    });
  });
}
