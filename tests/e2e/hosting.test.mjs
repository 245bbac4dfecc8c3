// The two other ways people use the playground: the hosted page on a static
// host that sends no isolation headers (served here by python3 -m
// http.server under a sub-path, as GitHub Pages serves a project), and an
// embed in a tutorial of another origin that is not isolated. Also the
// links: a share link shows a recorded run without running it, and the
// Embed button gives the iframe for the current configuration.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from './support/browser.mjs';
import { PlaygroundPage, withPlayground } from './support/playground_page.mjs';
import { closedPort, DIST } from './support/server.mjs';
import { byId } from './support/suite.mjs';

const env = {};

before(async () => {
  // dist/ served at /playground/ by Python's plain static server: no
  // COOP, no COEP, nothing but files.
  env.root = await mkdtemp(join(tmpdir(), 'playground-host-'));
  await symlink(DIST, join(env.root, 'playground'));
  env.port = await closedPort();
  env.python = spawn('python3', ['-m', 'http.server', String(env.port), '--bind', '127.0.0.1', '--directory', env.root], {
    stdio: 'ignore',
  });
  env.site = `http://127.0.0.1:${env.port}/playground/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(env.site)).ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  env.browser = await launchChromium();
});

after(async () => {
  await env.browser?.close();
  env.python?.kill();
  await rm(env.root, { recursive: true, force: true });
});

/** Counts the documents a frame loads (not history.replaceState updates). */
function countLoads(page, inFrame) {
  const loads = { count: 0 };
  page.on('request', (request) => {
    const frame = request.frame();
    if (request.isNavigationRequest() && (inFrame ? frame !== page.mainFrame() : frame === page.mainFrame())) {
      loads.count += 1;
    }
  });
  return loads;
}

test('on a static host without isolation headers, under a sub-path, one reload makes the page isolated', async () => {
  // Long enough (15000 tasks) that rayon's second thread always steals work.
  const query = 'workload=sieve&from=1000&to=16000&models=seq,rayon&threads=2&repeat=1&warmup=0&autorun=1';
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const playground = new PlaygroundPage(page);
  const loads = countLoads(page, false);
  await page.addInitScript(() => {
    window.__posted = [];
    addEventListener('message', (event) => event.data?.type === 'concurrency-playground:results' && window.__posted.push(event.data));
  });
  try {
    const response = await page.goto(`${env.site}?${query}`);
    assert.equal(response.headers()['cross-origin-embedder-policy'], undefined, 'the server sends no isolation headers');
    const results = await playground.postedResults(60_000);
    assert.equal(results.environment.cross_origin_isolated, true, 'isolated through the service worker');
    assert.equal(loads.count, 2, 'the first load and exactly one reload');
    const { seq, rayon } = byId(results);
    assert.equal(seq.checksum_ok, true);
    assert.equal(rayon.checksum_ok, true);
    assert.equal(rayon.threads_used, 2, 'the pool works: two threads ran tasks');
    // Loading it again needs no reload: the service worker serves it isolated.
    await page.reload();
    await page.waitForFunction(() => window.__posted.length > 0);
    assert.equal(loads.count, 3);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.deepEqual(playground.errors, []);
  } finally {
    await context.close();
  }
});

test('embedded in a page of another origin that is not isolated, models that need shared memory say why; the rest run', async () => {
  // The embed: worker instances of their own build (no shared
  // memory) run seq and workers; only rayon and IO threads cannot.
  const cases = [
    { query: 'workload=sieve&from=1000&to=16000&models=main,seq,gil,rayon,workers&threads=2', ran: ['main', 'seq', 'gil', 'workers'], unavailable: ['rayon'] },
    { query: 'workload=io&source=sim&requests=10&latency_ms=20&models=seq,all,threads,workers,procs&threads=2&repeat=1&warmup=0', ran: ['seq', 'all', 'workers', 'procs'], unavailable: ['threads'] },
  ];
  for (const { query, ran, unavailable } of cases) {
    const src = `${env.site}?${query}&embed=1&autorun=1`;
    const tutorial = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end(
      `<!doctype html><title>A tutorial</title><h1>A tutorial</h1>
       <iframe src="${src}" width="100%" height="500" allow="cross-origin-isolated"></iframe>
       <script>window.messages = []; addEventListener('message', (e) => window.messages.push({ origin: e.origin, data: e.data }));</script>`,
    ));
    await new Promise((resolve) => tutorial.listen(0, '127.0.0.1', resolve));
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const loads = countLoads(page, true);
    try {
      await page.goto(`http://127.0.0.1:${tutorial.address().port}/`);
      await page.waitForFunction(() => window.messages.some((m) => m.data?.type === 'concurrency-playground:results'), null, { timeout: 60_000 });
      // The height follows the content once the results are drawn.
      await page.waitForFunction(() => window.messages.filter((m) => m.data?.type === 'concurrency-playground:height').some((m) => m.data.height > 700));
      const messages = await page.evaluate(() => window.messages);
      const posted = messages.filter((m) => m.data.type === 'concurrency-playground:results');
      assert.equal(posted.length, 1, 'results are posted once');
      assert.equal(posted[0].origin, new URL(env.site).origin);
      const results = posted[0].data.results;
      assert.equal(results.environment.cross_origin_isolated, false);
      assert.equal(results.environment.embedded, true);
      assert.ok(loads.count <= 2, `the frame reloaded at most once (${loads.count} loads)`);
      const models = byId(results);
      for (const id of ran) {
        assert.equal(models[id].available, true, id);
        assert.equal(models[id].error, null, `${id}: ${models[id].error}`);
        assert.equal(models[id].checksum_ok, true, id);
      }
      for (const id of unavailable) {
        assert.equal(models[id].available, false, id);
        assert.match(models[id].error, /needs threads that share one memory\. This page runs in a frame whose embedding page is not cross-origin isolated/, id);
        assert.ok(models[id].error.length < 200, 'a sentence or two a reader understands');
      }
      if (models.gil) {
        // The GIL where tutorials live: k worker instances passing one token,
        // by the same rules, with its hand-offs counted.
        assert.equal(models.gil.runs_on, 'worker_instances');
        assert.equal(models.gil.checksum, '15730622');
        assert.ok(models.gil.gil_switches > 0, `${models.gil.gil_switches} hand-offs`);
        assert.equal(new Set(models.gil.gil_holds.map((hold) => hold.lane)).size, 2, 'both instances held the token');
        // One holder at a time, to within the clocks: each instance stamps
        // its own holds on its own timeOrigin + now(), which a page that is
        // not isolated coarsens to 100 µs with jitter, so two stamps of one
        // hand-off can disagree by a few tenths of a millisecond.
        const holds = [...models.gil.gil_holds].sort((a, b) => a.start_ms - b.start_ms);
        const overlaps = holds.slice(1).map((hold, i) => holds[i].end_ms - hold.start_ms);
        const worst = Math.max(0, ...overlaps);
        assert.ok(worst < 1, `one holder at a time: the worst overlap of two holds is ${worst.toFixed(3)} ms`);
        console.log(`# not isolated: gil ${models.gil.median_ms.toFixed(1)} ms beside seq ${models.seq.median_ms.toFixed(1)} ms, ${models.gil.gil_switches} hand-offs`);
      }
      if (models.workers && results.workload.kind === 'sieve') {
        assert.equal(models.workers.checksum, '15730622');
        assert.equal(models.workers.threads_used, 2);
        console.log(`# not isolated: seq ${models.seq.median_ms.toFixed(1)} ms, workers ${models.workers.median_ms.toFixed(1)} ms `
          + `(${(models.seq.median_ms / models.workers.median_ms).toFixed(2)}x; fastest runs ${models.seq.min_ms.toFixed(1)} / `
          + `${models.workers.min_ms.toFixed(1)} ms, ${(models.seq.min_ms / models.workers.min_ms).toFixed(2)}x)`);
        // Faster than seq on 2 cores, compared by the fastest runs: this
        // VM's other load only ever adds time, and a median of five moved
        // by 1.5x between two loads here (workers 84.6 and 58.6 ms beside
        // seq 84.0 and 102.6).
        assert.ok(models.workers.min_ms < models.seq.min_ms,
          `workers ${models.workers.min_ms} ms vs seq ${models.seq.min_ms} ms (fastest runs) on 2 cores`);
      }
      const frame = page.frames().find((f) => f !== page.mainFrame());
      assert.match(await frame.getByTestId('threads-banner').textContent(), /this tutorial's page is not/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await new Promise((resolve) => tutorial.close(resolve));
    }
  }
});

test('a share link carries the results: it draws the recorded run and runs nothing', async () => {
  const query = 'workload=sieve&from=1000&to=6000&models=seq,rayon&threads=2&repeat=2&warmup=0&autorun=1';
  await withPlayground(env.browser, env.site, query, async (page) => {
    const measured = await page.postedResults(60_000);
    await page.testId('share-results').click();
    const link = await page.testId('share-link').inputValue();
    assert.ok(link.startsWith(`${env.site}?workload=sieve&`), link.slice(0, 120));
    assert.ok(!link.split('#')[0].includes('autorun=1'), 'the link does not run anything');
    assert.ok(link.length < 40_000, `${link.length} characters`);

    const shown = new PlaygroundPage(await page.page.context().newPage());
    await shown.page.addInitScript(() => {
      window.__posted = [];
      addEventListener('message', (event) => event.data?.type === 'concurrency-playground:results' && window.__posted.push(event.data));
    });
    await shown.page.goto(link);
    await shown.testId('recorded-banner').waitFor();
    assert.match(await shown.text('results-summary'), /^Recorded run 1\./);
    assert.equal(await shown.testId('time-bar').count(), 2);
    // The page rounds (43.0 ms, 122 ms): the number shown is the measured
    // median to within that rounding. (Matching its first two digits failed
    // when 42.96 was shown, correctly, as 43.0.)
    const shownMs = parseFloat(await shown.text('result-rayon-median-ms'));
    assert.ok(Math.abs(shownMs - measured.models[1].median_ms) <= 0.5, `${shownMs} vs ${measured.models[1].median_ms}`);
    assert.equal(await shown.text('result-rayon-checksum'), `✓ ${measured.models[1].checksum}`);
    await shown.testId('timeline-tab-rayon').click();
    assert.equal(await shown.testId('timeline-lane').count(), 2, 'the timeline is drawn from the link');
    assert.match(await shown.text('timeline-summary'), /for 5\u202f000 tasks/);
    await shown.page.waitForTimeout(1000);
    assert.equal(await shown.page.evaluate(() => window.__posted.length), 0, 'nothing ran');
    assert.deepEqual(shown.errors, []);
    assert.deepEqual(page.errors, []);
  });
});

test('a broken share link is explained and the page still works', async () => {
  await withPlayground(env.browser, env.site, 'workload=squares&base=10&count=3&models=main&repeat=1&warmup=0&autorun=1#results=garbage!', async (page) => {
    await page.page.getByRole('alert').filter({ hasText: 'recorded run could not be read' }).waitFor();
    const results = await page.postedResults(60_000);
    assert.equal(results.models[0].checksum_ok, true, 'autorun still runs: there was no recorded run to show');
  });
});

test('the Embed dialog\'s snippet, pasted into a tutorial page of another origin, runs and reports back', async () => {
  const query = 'workload=sieve&from=1000&to=3000&models=main,seq,workers&threads=2&repeat=1&warmup=0&autorun=1';
  let snippet;
  await withPlayground(env.browser, env.site, query, async (page) => {
    // On this host the first load reloads itself once to become isolated
    // (a dialog opened before that is gone with the old page): the run it
    // posts comes after the reload.
    await page.postedResults();
    await page.testId('embed-button').click();
    // The tag is offered first; a bare iframe is one choice away.
    assert.match(await page.testId('embed-snippet').inputValue(), /^<script src="http:\/\/127\.0\.0\.1:\d+\/playground\/embed\.js" defer><\/script>\n<concurrency-playground query="workload=sieve&amp;/);
    await page.testId('embed-snippet-kind').selectOption('iframe');
    await page.testId('embed-charts-only').check();
    snippet = await page.testId('embed-snippet').inputValue();
    assert.match(snippet, /^<iframe id="concurrency-playground" src="http:\/\/127\.0\.0\.1:\d+\/playground\/\?workload=sieve&[^"]*models=main,seq,workers[^"]*&embed=1&charts_only=1&autorun=1"/);
    assert.match(snippet, /allow="cross-origin-isolated; clipboard-write"/);
    assert.match(snippet, /event\.source !== frame\.contentWindow/);
    assert.match(await page.text('embed-threads-note'), /Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/s);
  });
  // The snippet as a tutorial would paste it, on a page of another origin.
  const tutorial = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html' })
    .end(`<!doctype html><title>A tutorial</title><h1>A tutorial</h1>${snippet}`));
  await new Promise((resolve) => tutorial.listen(0, '127.0.0.1', resolve));
  const context = await env.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${tutorial.address().port}/`);
    await page.waitForFunction(() => window.playgroundResults !== undefined, null, { timeout: 90_000 });
    const results = await page.evaluate(() => window.playgroundResults);
    const models = byId(results);
    for (const id of ['main', 'seq', 'workers']) assert.equal(models[id].checksum_ok, true, id);
    const height = await page.evaluate(() => document.getElementById('concurrency-playground').style.height);
    assert.match(height, /^\d+px$/, 'the listener sized the frame to its content');
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.equal(await frame.getByTestId('run').count(), 0, 'charts only: no form');
    assert.ok(await frame.getByTestId('results-table').count() > 0);
  } finally {
    await context.close();
    await new Promise((resolve) => tutorial.close(resolve));
  }
});
