// The replay in Chromium: a finished gil run plays (the cursor moves and
// the narration changes), the arrow keys step from event to event in
// order, t= opens at that moment, a shared #results= link replays the same
// events, the memory chart and its readings follow the cursor, messages to
// worker instances are events, the live line counts requests in flight
// while a run goes, and the page stays responsive playing 100 000 tasks.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { PlaygroundPage, withPlayground } from './support/playground_page.mjs';
import { useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();
const GIL = 'workload=sieve&from=1000&to=3000&models=gil&threads=2&switch_ms=1&repeat=1&warmup=0&autorun=1';

/** The cursor's moment, in ms, as the page shows it. */
async function cursorMs(page) {
  return parseFloat((await page.text('replay-time')).replace(/[^\d.]/g, ''));
}

test('a gil run plays and steps: the cursor moves, the narration names the holder, the keys visit events in order', async () => {
  await withPlayground(env.browser, env.server.url, GIL, async (page) => {
    const results = await page.postedResults();
    const holds = results.models[0].gil_holds;
    assert.ok(holds.length > 1, 'the lock changed hands');
    await page.testId('replay').focus();
    const visited = [];
    const narrations = new Set();
    for (let step = 0; step < 8; step += 1) {
      await page.page.keyboard.press('ArrowRight');
      visited.push(await cursorMs(page));
      narrations.add(await page.text('narration'));
    }
    assert.ok(visited.every((at, i) => i === 0 || at >= visited[i - 1]), `in order: ${visited}`);
    assert.ok(narrations.size > 2, `the narration changes: ${[...narrations].join(' | ')}`);
    assert.ok([...narrations].some((line) => /thread \d+ holds it/.test(line)), [...narrations].join(' | '));
    await page.page.keyboard.press('ArrowLeft');
    assert.ok((await cursorMs(page)) <= visited.at(-1));
    // Stepping announces; the cursor line is drawn on the timeline.
    assert.equal(await page.testId('narration').getAttribute('aria-live'), 'polite');
    assert.equal(await page.testId('replay-cursor').count(), 1);
    // Play: the cursor moves by itself, then Space pauses.
    await page.page.keyboard.press('Home');
    await page.testId('replay-speed').selectOption('0.05');
    await page.page.keyboard.press(' ');
    assert.equal(await page.testId('replay-play').getAttribute('aria-pressed'), 'true');
    await page.page.waitForFunction(() => parseFloat(document.querySelector('[data-testid=replay-time]').textContent) > 0.05);
    assert.equal(await page.testId('narration').getAttribute('aria-live'), 'off', 'not announced while playing');
    await page.page.keyboard.press(' ');
    const paused = await cursorMs(page);
    await page.page.waitForTimeout(300);
    assert.equal(await cursorMs(page), paused, 'paused');
    // The timeline's SVG export draws the cursor where it stands.
    const [download] = await Promise.all([page.page.waitForEvent('download'), page.testId('export-timeline-svg').click()]);
    const svg = await readFile(await download.path(), 'utf8');
    assert.match(svg, /class="replay-cursor"[^>]*x1="[\d.]+"/);
    await page.testId('replay').focus();
    await page.page.keyboard.press('End');
    assert.match(await page.text('narration'), /2000 of 2000 tasks done/);
    assert.deepEqual(page.errors, []);
  });
});

test('t= opens the replay at that moment, and a shared run replays the same events', async () => {
  await withPlayground(env.browser, env.server.url, `${GIL}&t=1.5`, async (page) => {
    await page.postedResults();
    assert.match(await page.text('narration'), /^1\.5\u00a0ms, gil: /);
    assert.equal(await page.text('replay-time'), '1.50\u00a0ms');
    const steps = async (p) => {
      await p.testId('replay').focus();
      await p.page.keyboard.press('Home');
      const seen = [];
      for (let step = 0; step < 6; step += 1) {
        await p.page.keyboard.press('ArrowRight');
        seen.push(await p.text('narration'));
      }
      return seen;
    };
    const here = await steps(page);
    await page.testId('share-results').click();
    const link = await page.testId('share-link').inputValue();
    const shown = new PlaygroundPage(await page.page.context().newPage());
    await shown.page.goto(link);
    await shown.testId('recorded-banner').waitFor();
    assert.deepEqual(await steps(shown), here, 'the same events, the same words');
    await shown.page.close();
    assert.deepEqual(page.errors, []);
  });
});

test('bad replay values get a message and a safe value; the page stays responsive while a long run plays', async () => {
  const query = 'workload=io&source=sim&requests=400&latency_ms=20&models=all,seq&repeat=1&warmup=0&t=-4&speed=fast&play=1&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const alert = page.page.locator('[data-testid=config-messages]');
    await alert.waitFor();
    assert.match(await alert.textContent(), /t is a moment of the run in ms/);
    assert.match(await alert.textContent(), /speed is a fraction of real time/);
    await page.postedResults();
    // play=1: it plays once the run has ended, at 1/10 of real time.
    await page.page.waitForFunction(() => document.querySelector('[data-testid=replay-play]').getAttribute('aria-pressed') === 'true');
    const before = await page.heartbeat();
    await page.page.waitForFunction((n) => Number(document.querySelector('[data-testid=heartbeat]').textContent) > n + 3, before, { timeout: 10_000 });
    assert.match(await page.text('narration'), /requests? in flight, \d+ of 400 answered/);
    assert.deepEqual(page.errors, []);
  });
});

test('the memory chart follows the cursor, and messages to worker instances are sent, answered and counted', async () => {
  const query = 'workload=sieve&from=1000&to=6000&models=workers,seq&threads=2&repeat=1&warmup=0&autorun=1&t=2';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const workers = results.models.find((m) => m.key === 'workers');
    const messages = workers.instance_messages;
    assert.ok(messages.length >= 2, 'the page sent each instance a chunk');
    assert.ok(messages.every((m) => m.end_ms >= m.start_ms && m.lane < 2), JSON.stringify(messages));
    assert.equal(results.models.find((m) => m.key === 'seq').instance_messages, undefined);
    // The cursor at t=2 ms is drawn on the memory chart's one time axis
    // (each model's own time has no common moment), with each line's reading.
    await page.testId('memory-time-shared').click();
    await page.testId('memory-at-cursor').waitFor();
    assert.match(await page.text('memory-at-cursor'), /^At 2\.00\u00a0ms: workers [\d.]+\u00a0\w*B, seq /);
    assert.equal(await page.page.locator('[data-testid=memory-plot] [data-testid=chart-cursor]').count(), 1);
    const [download] = await Promise.all([page.page.waitForEvent('download'), page.testId('export-memory-svg').click()]);
    assert.match(await readFile(await download.path(), 'utf8'), /class="replay-cursor"/, 'the export draws the cursor');
    // The workers tab: its messages at the cursor, and in the narration at the end.
    await page.testId('timeline-tab-workers').click();
    await page.testId('replay-messages').waitFor();
    await page.testId('replay').focus();
    await page.page.keyboard.press('Home');
    await page.page.keyboard.press('ArrowRight');
    assert.match(await page.text('narration'), /messages? to worker \d( and worker \d)? awaits? a reply; 0 of \d+ replies read/);
    assert.match(await page.text('replay-messages'), /^(1 message awaiting a reply|([2-9]|[1-9]\d+) messages awaiting replies)$/);
    await page.page.keyboard.press('End');
    assert.match(await page.text('narration'), new RegExp(`no message awaits a reply; ${messages.length} of ${messages.length} replies read`));
    assert.deepEqual(page.errors, []);
  });
});

test('while a run goes, the live line counts the requests in flight', async () => {
  const query = 'workload=io&source=sim&requests=60&latency_ms=60&models=bounded&concurrency=5&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const inFlight = await page.page.waitForFunction(() => {
      const live = document.querySelector('[data-testid=live-progress]');
      return live && Number(live.dataset.inFlight) >= 2 && live.textContent;
    });
    assert.match(await inFlight.jsonValue(), /[2-5] requests in flight, \d+ answered/);
    await page.postedResults();
    assert.deepEqual(page.errors, []);
  });
});

test('a run of 100 000 tasks plays with the heartbeat going and no frame held up', async () => {
  const query = 'workload=squares&base=1&count=100000&models=gil,seq&threads=2&switch_ms=1&repeat=1&warmup=0&play=1&speed=0.05&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    assert.deepEqual(results.models.map((m) => m.tasks_done), [100000, 100000]);
    await page.page.waitForFunction(() => document.querySelector('[data-testid=replay-play]').getAttribute('aria-pressed') === 'true');
    const before = await page.heartbeat();
    // Frames while it plays: none held up for long (a generous bound, on a loaded VM).
    const worstGapMs = await page.page.evaluate(() => new Promise((resolve) => {
      let worst = 0, last = performance.now(), frames = 0;
      const tick = () => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
        if ((frames += 1) < 60) requestAnimationFrame(tick); else resolve(worst);
      };
      requestAnimationFrame(tick);
    }));
    assert.ok(worstGapMs < 250, `the longest frame took ${worstGapMs} ms`);
    await page.page.waitForFunction((n) => Number(document.querySelector('[data-testid=heartbeat]').textContent) > n + 3, before, { timeout: 10_000 });
    assert.equal(await page.testId('replay-play').getAttribute('aria-pressed'), 'true', 'still playing');
    assert.match(await page.text('narration'), /of 100000 tasks done/);
    assert.deepEqual(page.errors, []);
  });
});
