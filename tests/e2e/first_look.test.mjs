// What a newcomer meets, checked as they would meet it, in Chromium and in
// Firefox through one driver (support/engines.mjs): a first screen that
// says what this is and offers one action above the fold; a run that
// moves the focus to Stop, draws bars as models finish and leads its
// verdict with Python's words; thread memory that is each model's own
// whatever ran first; a GIL run that draws waiting apart from computing;
// form controls at their normal size; no chart text clipped from 390 px
// up; a post's figures never beside a run of another size; counts that
// agree; tables readable on a phone and in an 800 px embed. (axe-core and
// Lighthouse: audits.test.mjs.)
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { launchEngine, serveDistForEngines } from './support/engines.mjs';
import { ARTIFACTS } from './support/playground_page.mjs';
import { DIST } from './support/server.mjs';
import { byId } from './support/suite.mjs';

const MINUTES = 60_000;
const DESKTOP = { width: 1400, height: 1000 };
const PHONE = { width: 390, height: 844 };

const env = {};
before(async () => {
  env.server = await serveDistForEngines({ isolated: true });
});
after(async () => {
  await env.server?.close();
});

/** Opens `query`, runs `body(page)`, closes the page whatever happens. */
async function withPage(engine, query, options, body) {
  const page = await engine.open(`${env.server.url}?${query}`, { viewport: DESKTOP, colorScheme: 'light', ...options });
  try {
    return await body(page);
  } finally {
    await page.close();
  }
}

/** Waits until Run (or the button `id`) can be pressed. */
const runEnabled = (page, id = 'run') => page.waitFor(
  (testid) => { const run = document.querySelector(`[data-testid=${testid}]`); return run && !run.disabled; },
  id, { timeoutMs: 2 * MINUTES },
);

/** Types `value` into the field of test id `id` and leaves it (input, then change). */
const type = (page, id, value) => page.evaluate(([testid, text]) => {
  const input = document.querySelector(`[data-testid=${testid}]`);
  input.focus();
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
  input.blur();
}, [id, value]);

/** Every figure of a table, and whether it lies inside the viewport. */
const cellsOutside = (page, table) => page.evaluate((selector) => {
  const cells = [...document.querySelectorAll(`${selector} td, ${selector} th[scope=row]`)]
    .filter((cell) => cell.getClientRects().length > 0);
  return cells.filter((cell) => {
    const box = cell.getBoundingClientRect();
    return box.left < -0.5 || box.right > document.documentElement.clientWidth + 0.5;
  }).map((cell) => `${cell.dataset.label ?? 'row'}: ${cell.textContent.trim().slice(0, 40)}`);
}, table);

/** Chart text cut off, overflowing its frame, or smaller than 11 px; and the page's sideways scroll. */
const chartLayout = (page) => page.evaluate(() => {
  const problems = [];
  for (const svg of document.querySelectorAll('svg.chart-svg')) {
    const frame = svg.closest('figure').getBoundingClientRect();
    const box = svg.getBoundingClientRect();
    if (box.right > frame.right + 1 || box.left < frame.left - 1) problems.push(`${svg.closest('figure').dataset.testid}: wider than its frame`);
    const view = svg.viewBox.baseVal;
    const scale = box.width / view.width;
    for (const text of svg.querySelectorAll('text')) {
      const label = text.textContent.trim();
      if (!label || text.closest('[visibility=hidden]')) continue;
      const bbox = text.getBBox();
      if (bbox.x < -0.5 || bbox.x + bbox.width > view.width + 0.5) problems.push(`cut off: "${label}"`);
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < 10.99) problems.push(`${px.toFixed(1)} px: "${label}"`);
    }
    // Tick labels along one axis never run into each other.
    const ticks = [...svg.querySelectorAll('text.tick')].map((t) => ({ box: t.getBBox(), text: t.textContent }))
      .filter((t) => t.text.trim()).sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
    for (let i = 1; i < ticks.length; i += 1) {
      const [a, b] = [ticks[i - 1], ticks[i]];
      if (Math.abs(a.box.y - b.box.y) < 1 && a.box.x + a.box.width > b.box.x + 0.5) problems.push(`"${a.text}" runs into "${b.text}"`);
    }
  }
  return { problems, scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth };
});

for (const name of ['chromium', 'firefox']) {
  describe(name, { timeout: 30 * MINUTES }, () => {
    const engine = {};
    before(async () => { engine.handle = await launchEngine(name); });
    after(async () => { await engine.handle?.close(); });

    test('the first screen says what this is and offers one action above the fold, on a desktop and a phone', async () => {
      // The words and the button are static HTML: painted before the wasm.
      const html = await readFile(`${DIST}index.html`, 'utf8');
      assert.match(html, /<p class="lede">Run sync code, threads, asyncio and processes/);
      assert.match(html, /Run the classic comparison<\/button>/);
      for (const [viewport, colorScheme] of [[DESKTOP, 'light'], [PHONE, 'dark']]) {
        await withPage(engine.handle, '', { viewport, colorScheme }, async (page) => {
          await runEnabled(page, 'run-classic');
          const first = await page.evaluate(() => {
            const run = document.querySelector('[data-testid=run-classic]').getBoundingClientRect();
            const lede = document.querySelector('.lede');
            return {
              runBottom: run.bottom, runTop: run.top, height: innerHeight,
              lede: lede.textContent, sentences: (lede.textContent + ' ' + document.querySelector('.lede-more').textContent).split(/[.!?](\s|$)/).filter((s) => s.trim().length > 3).length,
              diagnosticsOpen: document.querySelector('details.diagnostics').open,
              statusLine: document.querySelector('[data-testid=status-line]').textContent,
            };
          });
          assert.ok(first.runTop >= 0 && first.runBottom <= first.height, `${viewport.width} px: Run is at ${first.runTop}-${first.runBottom} of ${first.height}`);
          assert.equal(first.sentences, 2, 'what this is, in two sentences');
          assert.equal(first.diagnosticsOpen, false, 'the diagnostics are folded');
          assert.match(first.statusLine, /Page live: heartbeat \d+ · 2 cores · threads ready/);
          await page.screenshot(`${ARTIFACTS}first-screen-${name}-${viewport.width}.png`);
          assert.deepEqual(page.errors, []);
        });
      }
    });

    test('the classic comparison from the keyboard: focus on Stop, bars as models finish, results in view, Python\'s words first', async () => {
      await withPage(engine.handle, '', { viewport: PHONE, colorScheme: 'dark' }, async (page) => {
        await runEnabled(page, 'run-classic');
        await page.evaluate(() => document.querySelector('[data-testid=run-classic]').focus());
        await page.press('Enter');
        // The focus goes to the Stop beside the live figures, in view.
        const stop = await page.waitFor(() => {
          const focused = document.activeElement;
          if (focused?.dataset.testid !== 'stop-live') return null;
          const box = focused.getBoundingClientRect();
          return { top: box.top, bottom: box.bottom, height: innerHeight };
        }, null, { timeoutMs: MINUTES });
        assert.ok(stop.top >= 0 && stop.bottom <= stop.height, `Stop at ${stop.top}-${stop.bottom} of ${stop.height}`);
        // Bars appear while the run goes, one per finished model.
        const live = await page.waitFor(() => {
          const bars = document.querySelectorAll('[data-testid=live-charts] [data-testid=time-bar]').length;
          return bars > 0 && document.querySelector('[data-testid=stop-live]')?.disabled === false ? bars : 0;
        }, null, { timeoutMs: 2 * MINUTES, pollMs: 20 });
        assert.ok(live >= 1, `${live} bars while running`);
        const [{ results }] = await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
        assert.deepEqual(results.models.map((m) => m.key), ['seq', 'gil', 'async', 'workers', 'rayon']);
        const after = await page.waitFor(() => {
          const section = document.querySelector('[aria-labelledby=results-title]').getBoundingClientRect();
          const focused = document.activeElement?.dataset.testid;
          // When it ends, the focus is on the results' heading, not dropped.
          return document.activeElement?.id === 'results-title' ? { top: section.top, focused, height: innerHeight } : null;
        }, null, { timeoutMs: MINUTES });
        assert.ok(after.top > -5 && after.top < after.height / 2, `the results start at ${after.top} px of ${after.height}`);
        const verdict = results.verdict;
        assert.match(verdict, /^On 2 cores, against one thread: threads under the GIL \(gil, 2 threads\) were /);
        const order = ['threads under the GIL', 'multiprocessing.Pool (workers', 'asyncio (async)', 'Beyond Python: threads with no GIL (rayon'];
        const at = order.map((words) => verdict.indexOf(words));
        assert.ok(at.every((position, i) => position >= 0 && (i === 0 || position > at[i - 1])), `${verdict}`);
        assert.deepEqual(page.errors, []);
      });
    });

    test('thread memory is each model\'s own, whichever ran first: 100 threads hold five times what 20 do', async () => {
      for (const order of [['threads@100', 'threads@20'], ['threads@20', 'threads@100']]) {
        const query = `workload=io&source=sim&requests=100&latency_ms=20&models=${order.join(',')}&repeat=1&warmup=0&autorun=1`;
        await withPage(engine.handle, query, {}, async (page) => {
          const [{ results }] = await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
          const models = Object.fromEntries(results.models.map((m) => [m.key, m]));
          const [hundred, twenty] = [models['threads@100'], models['threads@20']];
          const ratio = hundred.startup_held_bytes / twenty.startup_held_bytes;
          assert.ok(ratio > 4.8 && ratio < 5.2, `${order}: 100 threads hold ${ratio.toFixed(2)}× what 20 do`);
          const perThread = [hundred, twenty].map((m) => m.startup_wasm_memory_bytes_per_thread);
          assert.ok(Math.abs(perThread[0] / perThread[1] - 1) < 0.02, `per thread: ${perThread}`);
          assert.ok(perThread[0] >= 2 ** 20, 'a 1 MiB stack and thread-locals each');
          // The second grew the page's memory by less than it holds, and says whose it took.
          const second = models[order[1]];
          assert.equal(second.startup_memory_reused_from, order[0]);
          const note = await page.evaluate((key) => document.querySelector(`[data-testid="result-${key}-startup-memory"]`).textContent, order[1]);
          assert.match(note, new RegExp(`memory ${order[0]} had freed`));
          assert.deepEqual(page.errors, []);
        });
      }
    });

    test('a gil run draws each thread computing apart from waiting for the lock', async () => {
      const query = 'workload=sieve&from=1000&to=16000&models=gil&threads=2&repeat=1&warmup=0&autorun=1';
      await withPage(engine.handle, query, {}, async (page) => {
        const [{ results }] = await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
        const gil = results.models[0];
        // The records: holds never overlap across threads (each thread reads its
        // own clock, timeOrigin + now(), so allow a tick of it); both threads waited.
        const holds = [...gil.gil_holds].sort((a, b) => a.start_ms - b.start_ms);
        const tick = Math.max(results.environment.timer_resolution_ms ?? 0, 0.02);
        const overlaps = holds.slice(1).map((hold, i) => holds[i].end_ms - hold.start_ms).filter((overlap) => overlap > 3 * tick);
        assert.deepEqual(overlaps, [], `one holder at a time (a tick is ${tick} ms)`);
        assert.equal(new Set(gil.gil_waits.map((w) => w.lane)).size, 2, 'both threads waited for the lock');
        const drawn = await page.evaluate(() => {
          const lanes = [...document.querySelectorAll('[data-testid=timeline-lane]')].map((lane) => lane.dataset.summary);
          const count = (testid) => [...document.querySelectorAll(`[data-testid=${testid}]`)].map((rect) => rect.dataset.lane);
          return { lanes, computing: count('timeline-gil-compute'), waiting: count('timeline-gil-wait'), taskBars: document.querySelectorAll('[data-testid=timeline-bar]').length };
        });
        assert.equal(drawn.taskBars, 0, 'no task bars that would show both threads busy at once');
        assert.equal(new Set(drawn.computing).size, 2);
        assert.equal(new Set(drawn.waiting).size, 2);
        for (const summary of drawn.lanes) {
          const [, computing, waiting] = summary.match(/computing \(holding the GIL\) (\d+) % of the run, waiting for the GIL (\d+) %/) ?? [];
          assert.ok(computing && waiting, summary);
          assert.ok(Number(computing) + Number(waiting) <= 102, summary);
        }
        assert.deepEqual(page.errors, []);
      });
    });

    test('checkboxes and radios keep their size, each beside its label', async () => {
      await withPage(engine.handle, 'workload=io', {}, async (page) => {
        await runEnabled(page);
        await page.click('[data-testid=embed-button]');
        const controls = await page.evaluate(() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
          .filter((input) => input.getClientRects().length > 0)
          .map((input) => {
            const box = input.getBoundingClientRect();
            // The first text of its label after the box.
            const label = input.closest('label');
            const range = document.createRange();
            const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT, { acceptNode: (node) => (node.textContent.trim() && !input.contains(node) ? 1 : 2) });
            const text = walker.nextNode();
            range.selectNodeContents(text);
            const textBox = range.getClientRects()[0];
            return { id: input.dataset.testid ?? input.name, width: box.width, height: box.height, gap: textBox.left - box.right, rowGap: Math.abs(textBox.top - box.top) };
          }));
        assert.ok(controls.length >= 10, `${controls.length} controls`);
        for (const control of controls) {
          assert.ok(control.width >= 12 && control.height >= 12, `${control.id}: ${control.width}×${control.height} px`);
          assert.ok(control.gap >= 0 && control.gap <= 24 && control.rowGap < 20, `${control.id}: its label starts ${control.gap} px after it`);
        }
      });
    });

    test('no chart text is clipped, overflows or shrinks below 11 px, at 390, 800 and 1400 px', async () => {
      const query = 'workload=sieve&from=1000&to=6000&models=main,seq,async_noawait,async,gil,rayon,workers,executor&threads=2&repeat=1&warmup=0&autorun=1';
      for (const width of [390, 800, 1400]) {
        await withPage(engine.handle, query, { viewport: { width, height: 900 } }, async (page) => {
          const [{ results }] = await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
          await page.waitFor(() => document.querySelectorAll('[data-testid=memory-chart] path[data-testid=chart-line]').length === 8);
          const layout = await chartLayout(page);
          assert.deepEqual(layout.problems, [], `${width} px`);
          assert.ok(layout.scrollWidth <= layout.width, `${width} px: the page is ${layout.scrollWidth} px wide`);
          // Bars over five times the median of all medians are broken (executor's
          // message per task always is), so the rest keep the axis.
          const medians = results.models.map((m) => m.median_ms).sort((a, b) => a - b);
          const typical = (medians[3] + medians[4]) / 2;
          const outliers = results.models.filter((m) => m.median_ms > 5 * typical).map((m) => m.key).sort();
          const broken = await page.evaluate(() => [...document.querySelectorAll('[data-testid=time-bar][data-broken=true]')].map((bar) => bar.dataset.model));
          assert.deepEqual(broken.sort(), outliers);
          assert.ok(broken.includes('executor'), `${broken}`);
          await page.screenshot(`${ARTIFACTS}charts-${name}-${width}.png`, { fullPage: true });
        });
      }
    });

    test('a post\'s figures never stand beside a run of another size', async () => {
      await withPage(engine.handle, 'experiment=shaji-io', {}, async (page) => {
        await runEnabled(page);
        assert.equal(await page.evaluate(() => document.querySelector('[data-testid=input-experiment]').value), 'shaji-io');
        await type(page, 'input-requests', '50');
        const said = await page.waitFor(() => {
          const choice = document.querySelector('[data-testid=input-experiment]').value;
          const messages = document.querySelector('[data-testid=config-messages]')?.textContent ?? '';
          return choice === '' && messages.includes("no longer shaji-io's run") ? messages : null;
        });
        assert.match(said, /requests is 50, the post's 100/);
      });
      await withPage(engine.handle, 'experiment=shaji-io&requests=20&latency_ms=5&autorun=1', {}, async (page) => {
        const [{ results }] = await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
        assert.equal(results.experiment, undefined, 'no post beside a run of 20 requests');
        assert.equal(await page.evaluate(() => document.querySelector('[data-testid=experiment]')), null);
      });
    });

    test('counts agree with each other and with English; a field shows the value that runs', async () => {
      const query = 'workload=sieve&from=1000&to=16000&models=main,workers,executor&threads=2&repeat=1&warmup=0&autorun=1';
      await withPage(engine.handle, query, {}, async (page) => {
        const [{ results }] = await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
        const { workers, executor } = byId(results);
        const said = await page.evaluate(() => ({
          workers: document.querySelector('[data-testid=result-workers-messages]').textContent,
          executor: document.querySelector('[data-testid=result-executor-messages]').textContent,
          page: document.body.innerText,
          legend: [...document.querySelectorAll('[data-testid=memory-peak]')].map((item) => [item.querySelector('code').textContent, item.querySelector('[data-testid=memory-peak-value]').textContent]),
          table: Object.fromEntries([...document.querySelectorAll('[data-testid$=-memory-held]')].map((cell) => [cell.dataset.testid.replace(/^result-|-memory-held$/g, ''), cell.textContent])),
        }));
        const chunks = Math.ceil(15000 / workers.chunksize);
        // One queue the 2 instances share (both engines have SharedArrayBuffer
        // here): a message out and back per instance, an event per chunk.
        assert.equal(workers.messages, chunks + 2 * 2);
        assert.equal(said.workers.replace(/\u202f/g, ' '), `${workers.messages} messages: ${chunks} chunks of ${workers.chunksize.toLocaleString('en').replace(',', ' ')} tasks`);
        assert.equal(said.executor.replace(/\u202f/g, ' '), '30 000 messages: 15 000 tasks, one per message');
        assert.doesNotMatch(said.page, /\b1 (tasks|lanes|bars|threads|messages|yields|chunks|instances|hand-offs)\b/);
        for (const [key, value] of said.legend) assert.equal(value, said.table[key], `${key}: the legend and the table say one figure`);
      });
      await withPage(engine.handle, 'workload=sieve', {}, async (page) => {
        await runEnabled(page);
        await type(page, 'input-to', 'abc');
        const field = await page.waitFor(() => {
          const input = document.querySelector('[data-testid=input-to]');
          const note = document.querySelector('[data-testid=note-to]').textContent;
          return note ? { value: input.value, note } : null;
        });
        assert.match(field.value, /^\d+$/, `the field shows the value used, not "abc": ${field.value}`);
        assert.match(field.note, /abc/);
      });
    });

    test('tables stay readable on a phone and in an 800 px embed', async () => {
      const query = 'experiment=shaji-cpu&repeat=1&warmup=0&autorun=1';
      for (const [viewport, embed] of [[PHONE, ''], [{ width: 800, height: 700 }, '&embed=1']]) {
        await withPage(engine.handle, query + embed, { viewport }, async (page) => {
          await page.waitForPosted(1, { timeoutMs: 5 * MINUTES });
          for (const table of ['[data-testid=results-table]', '[data-testid=published-table]']) {
            assert.deepEqual(await cellsOutside(page, table), [], `${viewport.width} px: ${table}`);
          }
          const shown = await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid^=published-][data-testid$=-measured-speedup]')).display);
          assert.notEqual(shown, 'none', '"Here vs seq" is shown');
          await page.screenshot(`${ARTIFACTS}tables-${name}-${viewport.width}.png`, { fullPage: true });
        });
      }
    });
  });
}
