// The tutorial author's kit in Chromium, from a host page of another origin
// that is not isolated: the embed API (ready, run naming its command, a
// second run refused, stop mid-run, a sibling frame ignored, bad commands
// and the replay's seek), the <concurrency-playground> tag (sized to its
// content, its results event, two tags loading only when scrolled near),
// "Open in Perfetto" completing Perfetto's handshake with a stand-in (from
// an embed directly, from the isolated page through its relay), and runs
// compared.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from './support/browser.mjs';
import { withPlayground } from './support/playground_page.mjs';
import { serveDist, serveTutorial } from './support/server.mjs';

const env = {};
before(async () => {
  env.site = await serveDist({ isolated: true });
  env.browser = await launchChromium();
});
after(async () => {
  await env.browser?.close();
  await env.site?.close();
});

const SMALL = 'workload=sieve&from=1000&to=3000&models=seq,workers&threads=2&repeat=1&warmup=0';
const LONG = 'workload=sieve&from=1000&to=400000&models=seq,workers&threads=2&repeat=3&warmup=0';

/** Opens `html` served from another origin; `fn(page)`; closes both. */
async function onHostPage(html, fn, viewport = { width: 1280, height: 900 }) {
  const tutorial = await serveTutorial({ '/': html });
  const context = await env.browser.newContext({ viewport });
  const errors = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(tutorial.url);
    await fn(page);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await tutorial.close();
  }
}

test('the host page drives the frame: ready, run naming its command, one run at a time, stop mid-run, a sibling frame ignored', async () => {
  const html = `<!doctype html><title>A tutorial</title>
    <iframe id="playground" src="${env.site.url}?${SMALL}&embed=1" width="100%" height="600" style="border:0"></iframe>
    <iframe id="sibling" srcdoc="<p>another frame</p>"></iframe>
    <script>
      const frame = document.getElementById('playground');
      window.heard = [];
      addEventListener('message', (event) => {
        if (event.source === frame.contentWindow && event.data && event.data.type !== 'concurrency-playground:height') window.heard.push(event.data);
      });
      window.send = (message) => frame.contentWindow.postMessage({ type: 'concurrency-playground:command', ...message }, '*');
      // A sibling frame speaks to the playground as if it were the host.
      window.sendFromSibling = (message) => document.getElementById('sibling').contentWindow.eval(
        'parent.frames[0].postMessage(' + JSON.stringify({ type: 'concurrency-playground:command', ...message }) + ', "*")');
    </script>`;
  await onHostPage(html, async (page) => {
    const heard = (predicate) => page.waitForFunction(predicate, null, { timeout: 120_000, polling: 50 }).then((h) => h.jsonValue());
    const ready = await heard(() => window.heard.find((m) => m.type === 'concurrency-playground:ready'));
    assert.equal(ready.version, 1);
    assert.deepEqual(ready.commands, ['run', 'stop', 'configure', 'seek', 'play', 'pause']);
    assert.ok(ready.can_run.includes('seq') && ready.can_run.includes('workers'), JSON.stringify(ready));
    assert.ok(ready.cannot_run.some((c) => c.id === 'rayon' && c.reason.length > 0), 'a frame of a page that is not isolated has no shared memory');

    // A command from a sibling frame changes nothing and gets no reply.
    await page.evaluate(() => window.sendFromSibling({ id: 'sibling', command: 'run' }));
    await page.evaluate(() => window.send({ id: 'stop-0', command: 'stop' }));
    const refusedStop = await heard(() => window.heard.find((m) => m.id === 'stop-0'));
    assert.deepEqual([refusedStop.ok, refusedStop.reason], [false, 'No run is going.']);
    assert.equal(await page.evaluate(() => window.heard.some((m) => m.id === 'sibling' || m.command_id === 'sibling')), false);

    // Run: the reply, then results that name the command.
    await page.evaluate((query) => window.send({ id: 'run-1', command: 'run', query }), SMALL);
    const accepted = await heard(() => window.heard.find((m) => m.id === 'run-1'));
    assert.deepEqual([accepted.type, accepted.ok, accepted.reason], ['concurrency-playground:reply', true, null]);
    const first = await heard(() => window.heard.find((m) => m.type === 'concurrency-playground:results' && m.command_id === 'run-1'));
    assert.ok(first.results.models.every((m) => m.checksum_ok), 'every model exact');
    assert.equal(first.results.config.query.includes('from=1000&to=3000'), true);

    // The replay answers seek, and refuses a moment that is none.
    await page.evaluate(() => window.send({ id: 'seek-1', command: 'seek', t: 1 }));
    assert.equal((await heard(() => window.heard.find((m) => m.id === 'seek-1'))).ok, true);
    const frame = page.frames().find((f) => f.url().includes('embed=1'));
    assert.equal(await frame.getByTestId('replay-time').textContent(), '1.00\u00a0ms');
    await page.evaluate(() => window.send({ id: 'seek-bad', command: 'seek', t: 'soon' }));
    assert.match((await heard(() => window.heard.find((m) => m.id === 'seek-bad'))).reason, /t is a moment of the run in ms/);
    await page.evaluate(() => window.send({ id: 'odd', command: 'explode' }));
    assert.match((await heard(() => window.heard.find((m) => m.id === 'odd'))).reason, /not a command/);

    // A long run: a second run is refused while it goes; stop gives a partial result.
    await page.evaluate((query) => window.send({ id: 'run-2', command: 'run', query }), LONG);
    assert.equal((await heard(() => window.heard.find((m) => m.id === 'run-2'))).ok, true);
    await page.evaluate(() => window.send({ id: 'run-3', command: 'run' }));
    const second = await heard(() => window.heard.find((m) => m.id === 'run-3'));
    assert.equal(second.ok, false);
    assert.match(second.reason, /A run is going/);
    await frame.waitForFunction(() => {
      const live = document.querySelector('[data-testid=live-progress]');
      return live && !/^0 of/.test(live.textContent.trim());
    }, null, { timeout: 60_000 });
    await page.evaluate(() => window.send({ id: 'stop-1', command: 'stop' }));
    assert.equal((await heard(() => window.heard.find((m) => m.id === 'stop-1'))).ok, true);
    const stopped = await heard(() => window.heard.find((m) => m.type === 'concurrency-playground:results' && m.command_id === 'run-2'));
    assert.equal(stopped.results.partial, true);
  });
});

test('the tag sizes its frame, fires its results, and loads a second tag only when scrolled near', async () => {
  const html = `<!doctype html><title>A tutorial with two playgrounds</title>
    <script src="${env.site.url}embed.js" defer></script>
    <h1>Two playgrounds</h1>
    <concurrency-playground id="one" query="${SMALL}" autorun height="500"></concurrency-playground>
    <div style="height:3000px">Prose between them.</div>
    <concurrency-playground id="two" query="${SMALL}" height="400"></concurrency-playground>
    <script>
      window.got = [];
      document.addEventListener('results', (event) => window.got.push({ id: event.target.id, results: event.detail }));
    </script>`;
  await onHostPage(html, async (page) => {
    const frameUrls = () => page.frames().map((f) => f.url()).filter((url) => url.includes('embed=1'));
    await page.waitForFunction(() => window.got.some((g) => g.id === 'one'), null, { timeout: 120_000 });
    assert.equal(frameUrls().length, 1, 'the second tag has not loaded');
    assert.equal(await page.locator('#two iframe').count(), 0);
    const height = await page.evaluate(() => parseFloat(document.querySelector('#one iframe').style.height));
    assert.notEqual(height, 500, 'sized to the content the page reported');
    assert.ok(height > 300, `${height}`);
    const results = await page.evaluate(() => window.got.find((g) => g.id === 'one').results);
    assert.ok(results.models.every((m) => m.checksum_ok));
    // Scrolled near, the second loads; its run() runs it.
    await page.locator('#two').scrollIntoViewIfNeeded();
    await page.locator('#two iframe').waitFor();
    const reply = await page.evaluate(() => document.getElementById('two').run());
    assert.equal(reply.ok, true, JSON.stringify(reply));
    await page.waitForFunction(() => window.got.some((g) => g.id === 'two'), null, { timeout: 120_000 });
    assert.equal(frameUrls().length, 2);
  });
});

// Perfetto's part, as its docs describe it: PONG to each PING, then take the trace.
const PERFETTO_STAND_IN = `<!doctype html><title>Perfetto stand-in</title><script>
  window.pings = 0;
  addEventListener('message', (event) => {
    if (event.data === 'PING') { window.pings += 1; event.source.postMessage('PONG', '*'); return; }
    if (event.data && event.data.perfetto) {
      window.received = { text: new TextDecoder().decode(event.data.perfetto.buffer), title: event.data.perfetto.title, from: event.origin };
    }
  });
</script>`;

test('Open in Perfetto hands the stand-in the trace the export writes after PING and PONG: from an embed directly, from the isolated page through its relay', async () => {
  const html = `<!doctype html><title>A tutorial</title>
    <iframe id="playground" src="${env.site.url}?${SMALL}&embed=1&autorun=1" width="100%" height="800" style="border:0"></iframe>
    <script>
      window.got = [];
      addEventListener('message', (event) => { if (event.data && event.data.type === 'concurrency-playground:results') window.got.push(event.data); });
    </script>`;
  await onHostPage(html, async (page) => {
    await page.context().route('https://ui.perfetto.dev/**', (route) => route.fulfill({ contentType: 'text/html', body: PERFETTO_STAND_IN }));
    await page.waitForFunction(() => window.got.length > 0, null, { timeout: 120_000 });
    const frame = page.frames().find((f) => f.url().includes('embed=1'));
    const [tab] = await Promise.all([page.context().waitForEvent('page'), frame.getByTestId('open-perfetto').click()]);
    await tab.waitForURL(/^https:\/\/ui\.perfetto\.dev\//);
    const received = await (await tab.waitForFunction(() => window.received, null, { timeout: 30_000 })).jsonValue();
    assert.ok(await tab.evaluate(() => window.pings) >= 1, 'PINGed until it answered');
    const [download] = await Promise.all([page.waitForEvent('download'), frame.getByTestId('download-trace').click()]);
    assert.equal(received.text, await readFile(await download.path(), 'utf8'), 'the same trace as the export');
    assert.match(received.title, /^Concurrency Playground: run 1/);
    assert.equal(received.from, new URL(env.site.url).origin);
  });
  // The playground's own isolated page: its opener policy would sever a
  // tab of another site, so the trace goes through the relay, which frames
  // Perfetto and does the same handshake with the frame.
  await withPlayground(env.browser, env.site.url, `${SMALL}&autorun=1`, async (page) => {
    await page.postedResults();
    await page.page.context().route('https://ui.perfetto.dev/**', (route) => route.fulfill({ contentType: 'text/html', body: PERFETTO_STAND_IN }));
    const [tab] = await Promise.all([page.page.context().waitForEvent('page'), page.testId('open-perfetto').click()]);
    await tab.waitForLoadState();
    assert.match(tab.url(), /\/perfetto\.html#[0-9a-f]+$/);
    assert.equal(await tab.evaluate(() => self.crossOriginIsolated), false, 'the relay is served without isolation');
    // The relay makes its frame when the trace has come; the frame starts at about:blank.
    const perfetto = await (await tab.locator('iframe').elementHandle()).contentFrame();
    await perfetto.waitForURL(/^https:\/\/ui\.perfetto\.dev\//);
    await perfetto.waitForLoadState();
    const received = await (await perfetto.waitForFunction(() => window.received, null, { timeout: 30_000 })).jsonValue();
    const [download] = await Promise.all([page.page.waitForEvent('download'), page.testId('download-trace').click()]);
    assert.equal(received.text, await readFile(await download.path(), 'utf8'), 'the same trace, through the relay');
    assert.equal(received.from, new URL(env.site.url).origin);
    assert.deepEqual(page.errors, []);
  });
});

test('a run compared with a shared one shows both, their ratios and what differs; the link then carries both', async () => {
  await withPlayground(env.browser, env.site.url, `${SMALL}&autorun=1`, async (page) => {
    const theirs = await page.postedResults();
    await page.testId('share-results').click();
    const theirLink = await page.testId('share-link').inputValue();
    // A second run, compared with the first through its link.
    const posted = await page.page.evaluate(() => window.__posted.length);
    await page.testId('run').click();
    await page.page.waitForFunction((n) => window.__posted.length > n, posted, { timeout: 120_000 });
    const ours = await page.page.evaluate((n) => window.__posted[n].results, posted);
    await page.page.locator('[data-testid=other-run] summary').click();
    await page.testId('other-run-link').fill('not a link at all');
    await page.testId('other-run-compare').click();
    assert.match(await page.text('other-run-problem'), /not a share link/);
    await page.testId('other-run-link').fill(theirLink);
    await page.testId('other-run-compare').click();
    await page.testId('comparison').waitFor();
    for (const key of ['seq', 'workers']) {
      const here = ours.models.find((m) => m.key === key).median_ms;
      const there = theirs.models.find((m) => m.key === key).median_ms;
      const shown = parseFloat(await page.text(`compare-time-ratio-${key}`));
      assert.ok(Math.abs(shown - here / there) <= 0.01 + 0.005 * (here / there), `${key}: ${shown} vs ${here / there}`);
      assert.match(await page.text(`compare-theirs-ms-${key}`), /ms$/);
    }
    assert.equal(await page.testId('comparison-same-place').count(), 1, 'same machine, same browser');
    // The link now carries both runs, and opens showing both.
    await page.testId('share-results').click();
    const both = await page.testId('share-link').inputValue();
    assert.match(both, /#results=[^&]+&compare=/);
    const shown = await page.page.context().newPage();
    await shown.goto(both);
    await shown.getByTestId('comparison').waitFor();
    const linkedRatio = await page.text('compare-time-ratio-seq');
    assert.equal(await shown.getByTestId('compare-time-ratio-seq').textContent(), linkedRatio);
    await shown.close();
    // A results file does the same: the first run's JSON, as Results JSON saves it.
    const file = join(tmpdir(), `concurrency-playground-theirs-${process.pid}.json`);
    await writeFile(file, JSON.stringify(theirs));
    await page.testId('other-run-file').setInputFiles(file);
    await page.page.getByRole('heading', { name: /This run beside the file concurrency-playground-theirs-/ }).waitFor();
    assert.equal(await page.text('compare-time-ratio-seq'), linkedRatio, 'the same run, from a file');
    await rm(file);
    assert.deepEqual(page.errors, []);
  });
});
