// Every link in tests/fixtures/bad_queries.txt, opened with autorun=1: the
// page shows a message, stays responsive (the main-thread heartbeat goes
// on), logs no page error and no panic, and runs no script from the link.
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
      // Responsive: the heartbeat keeps counting while whatever autorun
      // started goes on (even the main model only pauses it per run).
      const before = await page.heartbeat();
      await page.page.waitForFunction((n) => Number(document.querySelector('[data-testid=heartbeat]').textContent) > n + 3, before, { timeout: 10_000 });
      assert.deepEqual(dialogs, [], `${query}: no script from the link ran`);
      const problems = page.errorsExcept(FAILED_RESOURCE);
      assert.deepEqual(problems, [], query);
      assert.ok(!page.errors.some((e) => /panicked|RuntimeError|unreachable/.test(e)), query);
    });
  }
});
