// The IO workload's other sources: real static files from the page's own
// server (where the browser's per-host connection limit shows), and a
// URL on another origin that answers, answers 404, refuses CORS, or is not
// there at all. Failures are counted per request; the page never breaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAILED_RESOURCE, withPlayground } from './support/playground_page.mjs';
import { closedPort } from './support/server.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const STATIC_DELAY_MS = 150;
const env = useBrowserAndServer({ staticDelayMs: STATIC_DELAY_MS, otherOrigin: true });

test('static files: real responses over HTTP/1.1, at most 6 connections to one host', async () => {
  const requests = 24;
  const query = `workload=io&source=static&bytes=16384&requests=${requests}&models=all&repeat=1&warmup=0&autorun=1`;
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const { all } = byId(results);
    assert.equal(all.error, null);
    assert.equal(all.requests_ok, requests);
    assert.equal(all.bytes_total, requests * 16384);
    assert.equal(all.checksum_ok, true);
    assert.equal(all.protocol, 'http/1.1');
    assert.equal(all.max_in_flight, requests, 'the page had every request in flight');
    assert.equal(env.server.stats.mostInFlight, 6, 'but the server never saw more than 6 at once');
    // So they were answered in waves of 6: ceil(24 / 6) = 4 server delays.
    assert.ok(all.median_ms >= 4 * STATIC_DELAY_MS, `${all.median_ms} ms`);
    assert.deepEqual(page.errorsExcept(FAILED_RESOURCE), []);
  });
});

test('a URL that answers is measured; 404s and refusals are counted per request', async () => {
  const refused = `http://127.0.0.1:${await closedPort()}/ip`;
  const cases = [
    { url: `${env.other.url}cors`, ok: 6, failed: {}, bytes: 6 * 2048, checksumOk: true },
    { url: `${env.other.url}missing`, ok: 0, failed: { http: 6 }, bytes: 6 * 8, checksumOk: false },
    { url: `${env.other.url}no-cors`, ok: 0, failed: { network: 6 }, bytes: 0, checksumOk: false },
    { url: refused, ok: 0, failed: { network: 6 }, bytes: 0, checksumOk: false },
    { url: `${env.other.url}slow?ms=3000`, ok: 0, failed: { timeout: 6 }, bytes: 0, checksumOk: false, timeoutMs: 300 },
  ];
  for (const { url, ok, failed, bytes, checksumOk, timeoutMs = 30000 } of cases) {
    const query = `workload=io&source=url&url=${encodeURIComponent(url)}&requests=6&timeout_ms=${timeoutMs}&models=seq,all,bounded,threads,workers&concurrency=2&threads=2&repeat=1&warmup=0&autorun=1`;
    await withPlayground(env.browser, env.server.url, query, async (page) => {
      const results = await page.postedResults();
      assert.equal(results.workload.url, url);
      assert.equal(results.workload.expected_checksum, null, 'a URL has no size known ahead');
      for (const model of results.models) {
        const where = `${url} ${model.id}`;
        assert.equal(model.error, null, `${where}: ${model.error}`);
        assert.equal(model.requests_ok, ok, where);
        assert.deepEqual(model.failures, failed, where);
        assert.equal(model.bytes_total, bytes, where);
        assert.equal(model.checksum_ok, checksumOk, where);
        assert.equal(model.tasks.length, 6, `${where}: every request recorded`);
        if (timeoutMs < 1000) {
          assert.ok(model.tasks.every((t) => t.end_ms - t.start_ms < 2000), `${where}: aborted at the timeout, not at 3 s`);
        }
      }
      if (ok === 0) {
        const kind = Object.keys(failed)[0];
        const text = await page.text(`failures-seq-${kind}`);
        const explanation = { http: /error status/, network: /CORS/, timeout: /timeout_ms/ }[kind];
        assert.match(text, explanation, `the page explains ${kind}`);
      } else {
        assert.equal(byId(results).seq.protocol, 'http/1.1', 'Timing-Allow-Origin lets the page see the protocol');
      }
      // Failing requests log "Failed to load resource" and CORS errors to
      // the console by themselves; nothing else may appear.
      const unexpected = page.errorsExcept(FAILED_RESOURCE, /CORS policy|net::ERR_/);
      assert.deepEqual(unexpected, [], url);
    });
  }
});

test('a URL that is not http(s) is refused with a message and nothing runs', async () => {
  const query = `workload=io&source=url&url=${encodeURIComponent('javascript:alert(1)')}&autorun=1`;
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    await page.testId('config-messages').waitFor();
    assert.match(await page.text('config-messages'), /not an http:\/\/ or https:\/\/ URL/);
    assert.match(await page.text('run-hint'), /Enter an http\(s\) URL/);
    assert.equal(await page.testId('run').isDisabled(), true);
    await page.page.waitForTimeout(500);
    assert.equal(await page.page.evaluate(() => window.__posted.length), 0, 'autorun did not start');
    assert.deepEqual(page.errors, []);
  });
});
