// The page object: opens the playground with a query, collects every page
// error and console error, and hands back the results the page posts.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_TYPE = 'concurrency-playground:results';
export const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
// The console error Chromium logs for every response that fails (a 404, a
// refused connection): expected wherever a spec makes requests fail.
export const FAILED_RESOURCE = /Failed to load resource/;

export class PlaygroundPage {
  constructor(page) {
    this.page = page;
    this.errors = [];
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console.error: ${message.text()}`);
    });
  }

  static async open(browser, baseUrl, query, viewport = { width: 1280, height: 900 }, contextOptions = {}) {
    const context = await browser.newContext({ viewport, ...contextOptions });
    const page = await context.newPage();
    const playground = new PlaygroundPage(page);
    // Listen before any script of the page runs, so no message is missed.
    await page.addInitScript((type) => {
      window.__posted = [];
      window.addEventListener('message', (event) => {
        if (event.data && event.data.type === type) window.__posted.push({ ...event.data, receivedAt: performance.now() });
      });
    }, RESULTS_TYPE);
    await page.goto(`${baseUrl}?${query}`);
    return playground;
  }

  /** The `results` of the first message the page posts (autorun). */
  async postedResults(timeoutMs = 120_000) {
    await this.page.waitForFunction(() => window.__posted.length > 0, null, { timeout: timeoutMs, polling: 100 });
    return this.page.evaluate(() => window.__posted[0].results);
  }

  /**
   * Presses Stop and returns how long, on the page's own clock, it took
   * until the results were posted (the driver's own waits left out).
   */
  async stopAndTime(timeoutMs = 30_000) {
    const count = await this.page.evaluate(() => window.__posted.length);
    await this.page.evaluate(() => {
      window.__stoppedAt = performance.now();
      document.querySelector('[data-testid=stop]').click();
    });
    await this.page.waitForFunction((n) => window.__posted.length > n, count, { timeout: timeoutMs });
    return this.page.evaluate((n) => window.__posted[n].receivedAt - window.__stoppedAt, count);
  }

  /**
   * Presses Run and waits until the first measured run has begun (the
   * model's threads or instances are ready), then `settleMs` more so that
   * its tasks are running or its requests are in flight: Stop lands mid-run.
   */
  async runUntilMidRun(settleMs) {
    await this.waitForRunEnabled();
    await this.testId('run').click();
    await this.page.waitForFunction(() => /run 1 of 1/.test(document.querySelector('[data-testid=progress]').textContent));
    await this.page.waitForTimeout(settleMs);
  }

  /**
   * After a stopped run: sets `field` to `value` (a shorter run), runs
   * again and returns the second run's results, which must come.
   */
  async runAgain(field, value, timeoutMs = 60_000) {
    await this.testId(`input-${field}`).fill(value);
    await this.waitForRunEnabled();
    await this.testId('run').click();
    await this.page.waitForFunction(() => window.__posted.length === 2, null, { timeout: timeoutMs });
    return this.page.evaluate(() => window.__posted[1].results);
  }

  /** Waits until Run can be pressed (pool, service worker and form ready). */
  async waitForRunEnabled(timeoutMs = 30_000) {
    await this.page.waitForFunction(
      () => { const run = document.querySelector('[data-testid=run]'); return run && !run.disabled; },
      null, { timeout: timeoutMs },
    );
  }

  /** The errors collected so far that match none of `patterns` (regexes). */
  errorsExcept(...patterns) {
    return this.errors.filter((e) => !patterns.some((pattern) => pattern.test(e)));
  }

  testId(id) {
    return this.page.getByTestId(id);
  }

  async text(id) {
    return (await this.testId(id).textContent()).trim();
  }

  async heartbeat() {
    return Number(await this.text('heartbeat'));
  }

  async screenshot(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  }

  async close() {
    await this.page.context().close();
  }
}

/** Opens the playground at `query`, runs `body(page)`, and closes the page whatever happens. */
export async function withPlayground(browser, baseUrl, query, body, { viewport, contextOptions } = {}) {
  const page = await PlaygroundPage.open(browser, baseUrl, query, viewport, contextOptions);
  try {
    return await body(page);
  } finally {
    await page.close();
  }
}
