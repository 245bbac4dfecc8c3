// The replay in Chromium: a finished gil run plays (the cursor moves and
// the narration changes), the arrow keys step from event to event in
// order, t= opens at that moment, a shared #results= link replays the same
// events, and the page's heartbeat goes on while a long run plays.
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
