// Every link in tests/fixtures/bad_queries.txt, opened with autorun=1: the
// page shows a message, whatever it started stops on Stop, it stays
// responsive (the main-thread heartbeat goes on), logs no page error and no
// panic, and runs no script from the link.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { FAILED_RESOURCE, withPlayground } from './support/playground_page.mjs';
import { useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

const corpus = (await readFile(new URL('../fixtures/bad_queries.txt', import.meta.url), 'utf8'))
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'));

test(`${corpus.length} bad links: a message each, no panic, no hang, no script`, async () => {
  for (const query of corpus) {
    await withPlayground(env.browser, env.server.url, `${query}&autorun=1`, async (page) => {
      const dialogs = [];
      page.page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        dialog.dismiss();
      });
      const alert = page.page.locator('[data-testid=config-messages][role=alert]');
      await alert.waitFor({ timeout: 15_000 });
      assert.ok((await alert.textContent()).trim().length > 0, query);
      // Stoppable: whatever autorun started ends when Stop is pressed, and
      // its results are posted (partial). The click is dispatched from
      // inside the page, so it lands in the first moment the page's thread
      // is free: between two runs of `main`, whose every run freezes the
      // page by design (a clamped link can make each run a few seconds
      // long, longer than any wait for the heartbeat). Settled means not
      // running and not waiting to start (the hints that end in "…":
      // isolation, pool, service worker); Stop is disabled once pressed.
      await page.page.waitForFunction(() => {
        // The form's buttons are drawn a few tasks after its messages.
        const [stop, run, hint] = ['stop', 'run', 'run-hint'].map((id) => document.querySelector(`[data-testid=${id}]`));
        if (!stop || !run || !hint) return false;
        if (!stop.disabled) {
          stop.click();
          window.__stopPressed = true;
        }
        const running = run.textContent.trim() === 'Running…';
        const waiting = hint.textContent.trim().endsWith('…');
        return !running && !waiting;
      }, null, { timeout: 90_000, polling: 200 }).catch((error) => {
        throw new Error(`${query}: the page did not settle after Stop: ${error.message}`);
      });
      const stopped = await page.page.evaluate(() => window.__stopPressed === true && window.__posted.map((posted) => posted.results));
      if (stopped) {
        assert.equal(stopped.length, 1, `${query}: one results message for the stopped run`);
        const { partial, models } = stopped[0];
        // Stop can land just after the last model's last run, with nothing left to cut.
        assert.ok(partial || models.every((model) => !model.partial), `${query}: results say what Stop cut`);
        assert.ok(models.some((model) => model.partial || model.median_ms != null), `${query}: what ran before Stop is kept`);
      }
      // Responsive: then the heartbeat counts on.
      const before = await page.heartbeat();
      await page.page.waitForFunction((n) => Number(document.querySelector('[data-testid=heartbeat]').textContent) > n + 3, before, { timeout: 10_000 })
        .catch((error) => { throw new Error(`${query}: the heartbeat stopped: ${error.message}`); });
      assert.deepEqual(dialogs, [], `${query}: no script from the link ran`);
      const problems = page.errorsExcept(FAILED_RESOURCE);
      assert.deepEqual(problems, [], query);
      assert.ok(!page.errors.some((e) => /panicked|RuntimeError|unreachable/.test(e)), query);
    });
  }
});
