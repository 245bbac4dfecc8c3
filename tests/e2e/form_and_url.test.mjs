// The page API around a run: bad URL values get messages and safe values,
// the URL follows the form, Run and Stop behave, and the JSON download
// carries the same results as the posted message.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

test('bad URL values are explained and replaced by safe ones', async () => {
  await withPlayground(env.browser, env.server.url, 'from=abc&to=%zz&models=seq,gevent,seq&threads=99&repeat=0', async (page) => {
    const alert = page.page.getByRole('alert').filter({ hasText: 'gevent' });
    await alert.waitFor();
    const messages = await page.text('config-messages');
    for (const expected of ['“from” must be a whole number', 'malformed %-escape', 'Unknown model “gevent”', 'listed twice', '“threads” may be at most 2', '“repeat” must be at least 1']) {
      assert.ok(messages.includes(expected), `expected a message containing ${expected}: ${messages}`);
    }
    // The URL now holds the configuration that will really run.
    await page.page.waitForURL(/models=seq&threads=2&repeat=1/);
    assert.equal(await page.testId('input-from').inputValue(), '1000');
    assert.deepEqual(page.errors, []);
  });
});

test('the URL follows the form, and Run, Stop and Download JSON work', async () => {
  await withPlayground(env.browser, env.server.url, 'workload=sieve&from=1000&to=16000&models=seq,rayon&repeat=20&warmup=0', async (page) => {
    await page.testId('workload-squares').check();
    await page.testId('input-count').fill('8');
    await page.testId('model-seq').uncheck();
    await page.page.waitForURL(/workload=squares&base=5000000&count=8&models=rayon&/);

    // Run is enabled once the pool is ready; Stop ends a long run early.
    // 2000 x 5e6 iterations is over the work limit: the page runs fewer.
    await page.testId('input-count').fill('2000');
    assert.match(await page.text('config-messages'), /“count” was lowered to \d+/);
    const run = page.testId('run');
    await run.click();
    assert.equal(await run.isDisabled(), true, 'no second run while one is going');
    await page.page.waitForTimeout(400);
    await page.testId('stop').click();
    const stopped = await page.postedResults(60_000);
    assert.equal(stopped.partial, true);
    assert.equal(stopped.models[0].partial, true);
    assert.ok(stopped.workload.task_count > 100, 'the count was cut to the work limit, not to nothing');
    assert.ok(stopped.models[0].tasks_done < stopped.workload.task_count, 'the run ended before its last task');

    // A new run after Stop works, and the download equals what was posted.
    await page.testId('input-count').fill('8');
    await page.testId('input-repeat').fill('2');
    await run.click();
    await page.page.waitForFunction(() => window.__posted.length === 2, null, { timeout: 60_000 });
    const posted = await page.page.evaluate(() => window.__posted[1].results);
    assert.equal(posted.partial, false);
    assert.equal(posted.models[0].checksum_ok, true);
    const [download] = await Promise.all([page.page.waitForEvent('download'), page.testId('download-json').click()]);
    const downloaded = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.deepEqual(downloaded, posted);
    assert.deepEqual(page.errors, []);
  });
});
