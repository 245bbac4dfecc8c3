// The pictures: elapsed time, memory over time, the per-task timeline and
// the thread sweep, drawn from the run's own records; their controls; the
// exports (JSON, CSV, trace events, SVG, PNG); comparing runs; live
// progress; and the page in light and dark.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { byId, useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

const QUERY = 'workload=sieve&from=1000&to=6000&models=seq,rayon&threads=2&repeat=2&warmup=0&autorun=1';

// Lines in the plot (ui/chart_parts.rs); the memory chart marks each
// line's peak with a dot.
const plotLines = (chart) => `[data-testid=${chart}-chart] path[data-testid=chart-line]`;
const peakMarkers = '[data-testid=memory-chart] circle[data-testid=chart-peak]';
const waitForLines = (page, chart, count) =>
  page.page.waitForFunction(([selector, n]) => document.querySelectorAll(selector).length === n, [plotLines(chart), count]);

test('the charts are drawn from the run: bars, lines, lanes', async () => {
  await withPlayground(env.browser, env.server.url, QUERY, async (page) => {
    const results = await page.postedResults();
    const { seq, rayon } = byId(results);
    for (const model of [seq, rayon]) {
      assert.equal(model.tasks.reduce((sum, t) => sum + (t.count ?? 1), 0), 5000, `${model.id}: every task recorded`);
      assert.ok(model.memory_samples.length >= 3, `${model.id}: ${model.memory_samples.length} memory samples`);
    }
    assert.equal(new Set(rayon.tasks.map((t) => t.lane)).size, 2, 'rayon ran on two lanes');

    // Elapsed time: one bar per model.
    assert.equal(await page.testId('time-bar').count(), 2);
    // Memory: one line and one legend entry per model (drawn once the chart
    // has measured its container); the legend hides and shows.
    await waitForLines(page, 'memory', 2);
    assert.equal(await page.testId('memory-legend-item').count(), 2);
    await page.testId('memory-legend-item').first().click();
    await waitForLines(page, 'memory', 1);
    assert.equal(await page.testId('memory-legend-item').first().getAttribute('aria-pressed'), 'false');
    await page.testId('memory-legend-item').first().click();
    await waitForLines(page, 'memory', 2);
    await page.testId('memory-metric-wasm-memory').click();
    assert.equal(await page.testId('memory-metric-wasm-memory').getAttribute('aria-checked'), 'true');
    await waitForLines(page, 'memory', 2);
    assert.equal(await page.testId('memory-peak').count(), 2, 'each line\'s peak is named');
    assert.equal(await page.page.locator(peakMarkers).count(), 2, 'and marked on its line');

    // Timeline: seq on one lane, rayon on two; bars from the records.
    assert.equal(await page.testId('timeline-lane').count(), 1);
    assert.match(await page.text('timeline-summary'), /^1 lane, \d+ bars for 5\u202f000 tasks$/);
    await page.testId('timeline-tab-rayon').click();
    await page.page.waitForFunction(() => document.querySelector('[data-testid=timeline-svg]')?.dataset.model === 'rayon');
    assert.equal(await page.testId('timeline-lane').count(), 2);
    const bars = await page.testId('timeline-bar').count();
    assert.ok(bars >= 2 && bars <= 2 * 700, `${bars} bars: merged at the chart's resolution`);
    assert.match(await page.text('timeline-summary'), /^2 lanes, \d+ bars for 5\u202f000 tasks$/);

    // Every chart can be reached and read by keyboard: bars are focusable
    // and carry their exact figures.
    const bar = page.testId('time-bar').first();
    await bar.focus();
    assert.equal(await page.page.evaluate(() => document.activeElement?.dataset.testid), 'time-bar');
    assert.match(await bar.getAttribute('aria-label'), /median [\d.]+\s+ms, min [\d.]+\s+ms, max [\d.]+\s+ms over 2 runs/);

    // The environment panel says where this ran.
    assert.match(await page.text('env-timer'), /[\d.]+ ms/);
    assert.match(await page.text('env-isolated'), /^yes/);

    await page.screenshot('charts-light');
    await page.page.emulateMedia({ colorScheme: 'dark' });
    await page.page.waitForTimeout(200);
    await page.screenshot('charts-dark');
    assert.deepEqual(page.errors, []);
  });
});

test('exports: JSON, CSV, trace events, SVG and PNG download and parse', async () => {
  await withPlayground(env.browser, env.server.url, QUERY, async (page) => {
    const posted = await page.postedResults();
    const save = async (testId) => {
      const [download] = await Promise.all([page.page.waitForEvent('download'), page.testId(testId).click()]);
      return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
    };
    const json = await save('download-json');
    assert.deepEqual(JSON.parse(json.bytes.toString('utf8')), posted);

    const csv = (await save('download-csv')).bytes.toString('utf8').trim().split('\r\n');
    assert.equal(csv.length, 3, 'a header and a row per model');
    assert.ok(csv[0].startsWith('workload,id,label,available,threads,threads_used,median_ms'));
    assert.ok(csv[2].startsWith('sieve,rayon,'));

    const trace = JSON.parse((await save('download-trace')).bytes.toString('utf8'));
    const complete = trace.traceEvents.filter((e) => e.ph === 'X');
    assert.equal(complete.length, posted.models.reduce((sum, m) => sum + m.tasks.length, 0), 'one complete event per record');
    assert.equal(complete.reduce((sum, e) => sum + (e.args?.tasks ?? 1), 0), 10000, 'every task of both models');
    assert.deepEqual([...new Set(complete.map((e) => e.pid))].sort(), [1, 2]);
    assert.equal(new Set(complete.filter((e) => e.pid === 2).map((e) => e.tid)).size, 2, 'rayon: two thread tracks');
    assert.ok(trace.traceEvents.some((e) => e.ph === 'M' && e.name === 'process_name' && e.args.name.startsWith('rayon')));
    assert.ok(trace.traceEvents.some((e) => e.ph === 'C' && e.name === 'memory'));

    for (const chart of ['time', 'memory', 'timeline']) {
      const svg = await save(`export-${chart}-svg`);
      const text = svg.bytes.toString('utf8');
      assert.equal(svg.name, `concurrency-playground-${chart}.svg`);
      assert.ok(text.startsWith('<svg') && text.includes('xmlns="http://www.w3.org/2000/svg"'), chart);
      assert.match(text, /style="[^"]*fill:/, `${chart}: computed styles are inlined`);
      const png = await save(`export-${chart}-png`);
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${chart}: a PNG`);
      assert.ok(png.bytes.length > 2000, `${chart}: PNG of ${png.bytes.length} bytes`);
    }
    assert.deepEqual(page.errors, []);
  });
});

test('the thread sweep runs each parallel model at 1..n threads, beside the ideal', async () => {
  const query = 'workload=sieve&from=1000&to=8000&models=seq,rayon,workers&threads=2&repeat=2&warmup=1&sweep=1&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const points = results.sweep.points.map((p) => `${p.model}@${p.threads}`);
    assert.deepEqual(points, ['rayon@1', 'rayon@2', 'workers@1', 'workers@2']);
    assert.equal(results.sweep.baseline, 'seq');
    for (const point of results.sweep.points) {
      assert.equal(point.checksum_ok, true, `${point.model}@${point.threads}`);
      assert.equal(point.threads_used, point.threads, 'the threads were really used');
      assert.ok(Math.abs(point.efficiency - point.speedup / point.threads) < 1e-9);
    }
    await waitForLines(page, 'sweep', 3); // rayon, workers and the ideal
    assert.equal(await page.page.locator('[data-testid=sweep-table] tbody tr').count(), 4);
    assert.match(await page.text('sweep-rayon-2'), /\d+ %/);
    assert.deepEqual(page.errors, []);
  });
});

test('earlier runs stay and can be drawn beside the newest; progress shows live', async () => {
  await withPlayground(env.browser, env.server.url, QUERY, async (page) => {
    await page.postedResults();
    // A longer second run: the live count moves while it goes.
    await page.testId('input-repeat').fill('20');
    await page.waitForRunEnabled();
    await page.testId('run').click();
    await page.testId('live-progress').waitFor();
    await page.page.waitForFunction(() => /[\d\u202f]+ of 5\u202f000 done/.test(document.querySelector('[data-testid=live-progress]')?.textContent ?? ''));
    // The tab is hidden for a moment: the run's figures get a warning.
    await page.page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
      delete document.hidden;
    });
    await page.page.waitForFunction(() => window.__posted.length === 2, null, { timeout: 120_000 });
    const second = await page.page.evaluate(() => window.__posted[1].results);
    assert.equal(second.environment.tab_hidden_during_run, true);
    await page.testId('hidden-warning').waitFor();

    assert.equal(await page.testId('time-bar-earlier').count(), 0);
    await page.testId('compare-select').selectOption({ label: 'run 1 (sieve: seq, rayon)' });
    await page.page.waitForFunction(() => document.querySelectorAll('[data-testid=time-bar-earlier]').length === 2);
    assert.equal(await page.testId('memory-legend-item').count(), 4, 'the earlier run\'s lines can be shown too');
    assert.match(await page.text('results-summary'), /^Run 2\./);
    assert.deepEqual(page.errors, []);
  });
});

test('each model card shows the Rust that runs it and the Python it stands for', async () => {
  await withPlayground(env.browser, env.server.url, 'workload=io', async (page) => {
    for (const [model, rust] of [['io-all', 'join_all'], ['io-threads', 'fetch_blocking'], ['io-workers', 'fn run_share']]) {
      const card = page.testId(`model-card-${model}`);
      await card.locator('summary').first().click();
      assert.match(await page.text(`rust-code-${model}`), new RegExp(rust));
    }
    await page.testId('workload-sieve').check();
    await page.testId('model-card-cpu-rayon').locator('summary').first().click();
    assert.match(await page.text('rust-code-cpu-rayon'), /into_par_iter/);
    assert.match(await page.testId('python-code-cpu-workers').textContent(), /multiprocessing\.Pool/);
    assert.deepEqual(page.errors, []);
  });
});

test('on a 390 px phone, light and dark: no sideways page scroll and no chart text under 11 px', async () => {
  const queries = {
    // main: the longest bar, which carries the longest label ("page frozen").
    light: 'workload=sieve&from=1000&to=4000&models=main,seq,rayon,workers&threads=2&repeat=1&warmup=0&autorun=1',
    // IO too: its model choices carry the longest Python calls.
    dark: 'workload=io&source=sim&requests=20&latency_ms=20&models=seq,all,threads@4,workers&threads=2&repeat=1&warmup=0&autorun=1',
  };
  for (const [colorScheme, query] of Object.entries(queries)) {
    await withPlayground(env.browser, env.server.url, query, async (page) => {
      await page.postedResults();
      await waitForLines(page, 'memory', 4);
      const layout = await page.page.evaluate(() => {
        // The size text is drawn at: its font size, times how much its SVG
        // is scaled from its viewBox to the screen.
        const texts = [...document.querySelectorAll('svg.chart-svg text')].map((text) => {
          const svg = text.ownerSVGElement;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return { px: parseFloat(getComputedStyle(text).fontSize) * scale, text: text.textContent.trim() };
        }).filter((text) => text.text !== '');
        // Every bar's label inside its chart, none cut off at the edge.
        const cut = [...document.querySelectorAll('[data-testid=time-bar] text')].filter((text) => {
          const box = text.getBBox();
          return box.x < 0 || box.x + box.width > text.ownerSVGElement.viewBox.baseVal.width + 0.5;
        }).map((text) => text.textContent);
        return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, texts, cut,
          dark: matchMedia('(prefers-color-scheme: dark)').matches };
      });
      assert.equal(layout.dark, colorScheme === 'dark');
      assert.ok(layout.scrollWidth <= layout.innerWidth, `${colorScheme}: the page is ${layout.scrollWidth} px wide`);
      assert.ok(layout.texts.length > 20, `${colorScheme}: ${layout.texts.length} chart texts`);
      assert.deepEqual(layout.cut, [], `${colorScheme}: bar labels cut off at the chart's edge`);
      const small = layout.texts.filter((text) => text.px < 10.99);
      assert.deepEqual(small, [], `${colorScheme}: chart text under 11 px`);
      await page.screenshot(`phone-390-${colorScheme}`);
    }, { viewport: { width: 390, height: 844 }, contextOptions: { colorScheme } });
  }
});

test('memory: the default view counts what each model holds, thread stacks from before start-up', async () => {
  const query = 'workload=io&source=sim&requests=40&latency_ms=50&models=all,threads@8&threads=2&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults();
    const threads = results.models.find((model) => model.key === 'threads@8');
    assert.ok(threads.startup_wasm_memory_bytes >= 4 * 2 ** 20, `8 threads reserved ${threads.startup_wasm_memory_bytes} B`);
    await waitForLines(page, 'memory', 2);
    assert.equal(await page.testId('memory-metric-held').getAttribute('aria-checked'), 'true');
    const peaks = await page.testId('memory-peak').allTextContents();
    const peakOf = (key) => peaks.find((text) => text.startsWith(key));
    // The peak list names what the table does: for threads, its stacks
    // (MiB), which its threads hold from start-up on.
    assert.match(peakOf('threads@8'), /peaks at [\d.,]+\s+MiB.*held by its threads/);
    assert.doesNotMatch(peakOf('all'), /MiB/);
    // On one time axis the line of threads starts before 0 (its start-up),
    // at nothing held.
    await page.testId('memory-time-shared').click();
    assert.equal(await page.testId('memory-plot').getAttribute('data-time-axis'), 'shared');
    const firstX = await page.page.evaluate(() => {
      const path = [...document.querySelectorAll('[data-testid=memory-chart] path[data-testid=chart-line]')];
      return path.map((p) => Number(p.getAttribute('d').match(/M\s*([\d.]+)/)[1]));
    });
    assert.ok(Math.min(...firstX) < Math.max(...firstX), `lines start at x ${firstX}: threads earlier`);
    await page.testId('memory-time-own').click();
    assert.equal(await page.testId('memory-plot').getAttribute('data-time-axis'), 'own');
  });
});
