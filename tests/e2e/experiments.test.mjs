// Each post in one link (experiment=ID): the page runs what the post ran,
// posts results whose experiment block holds the post's published figures,
// every checksum is exact, and the verdict names this run's numbers. Also
// ref= (an author's own figures) and bad experiment= / ref= values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

// The posts' figures, in seconds as printed (null: the post timed none).
const PUBLISHED = {
  'shaji-io': { seq: 15.71, 'threads@100': 1.02, threads: 1.34, all: 0.55 },
  'shaji-cpu': { seq: 17.86, workers: 2.98, executor: 4.45 },
  'csrgxtu-io': { seq: 147.57, 'threads@5': 34.54, 'procs@5': 41.21, all: 14.11, 'workers@5': 6.90 },
  'csrgxtu-cpu': { seq: 11.24, gil: null, async: null, workers: 3.23 },
  'wolf-io': { seq: 29, 'threads@100': null, 'threads@20': 17, all: null },
};

for (const [id, figures] of Object.entries(PUBLISHED)) {
  test(`experiment=${id} runs the post's models and shows its figures`, async () => {
    await withPlayground(env.browser, env.server.url, `experiment=${id}&autorun=1`, async (page) => {
      const results = await page.postedResults(300_000);
      const experiment = results.experiment;
      assert.equal(experiment.id, id);
      assert.ok(experiment.title.length > 10 && experiment.author.length > 2 && experiment.year >= 2018);
      assert.ok(experiment.scaled.length > 40, 'says what was scaled and why');
      const published = Object.fromEntries(experiment.entries.map((e) => [e.key, e.published_s]));
      assert.deepEqual(published, figures);
      for (const entry of experiment.entries) {
        if (entry.published_s !== null && entry.key !== 'seq') {
          assert.ok(Math.abs(entry.published_speedup - figures.seq / entry.published_s) < 1e-9, entry.key);
        }
      }
      for (const model of results.models) {
        assert.equal(model.error, null, `${model.key}: ${model.error}`);
        assert.equal(model.checksum_ok, true, `${model.key}: checksum ${model.checksum}`);
      }
      const keys = results.models.map((m) => m.key);
      assert.deepEqual(keys, Object.keys(figures), 'the post\'s entries, in its order');
      // The verdict names this run's own numbers.
      const verdict = await page.text('verdict');
      assert.equal(verdict, results.verdict);
      assert.ok(verdict.length > 20, verdict);
      // As the verdict writes a speedup: "1.6× faster", "21× slower", "no faster (1.08×)".
      const times = (factor) => `${factor >= 9.95 ? factor.toFixed(0) : factor.toFixed(1)}×`;
      const said = (s) => [times(s), times(1 / s), `${s.toFixed(2)}×`];
      const speedups = results.models.filter((m) => m.speedup_vs_seq && m.key !== 'seq').map((m) => m.speedup_vs_seq);
      assert.ok(speedups.some((s) => said(s).some((words) => verdict.includes(words))), verdict);
      assert.equal(await page.text('published-seq-seconds'), `${figures.seq.toFixed(2)} s`);
      console.log(`# ${id}: ${verdict}`);
      await page.screenshot(`experiment-${id}`);
      assert.deepEqual(page.errors, []);
    });
  });
}

test('ref= shows an author\'s own figures beside the run and round-trips into results', async () => {
  const query = 'workload=io&source=sim&requests=20&latency_ms=50&models=seq,threads@20,all&ref=seq:16.3,threads@20:1.1,all:0.21&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const results = await page.postedResults(120_000);
    assert.deepEqual(results.reference.entries.map((e) => [e.key, e.published_s]), [['seq', 16.3], ['threads@20', 1.1], ['all', 0.21]]);
    assert.match(results.config.query, /ref=seq:16.3,threads@20:1.1,all:0.21/);
    assert.equal(await page.text('published-all-seconds'), '0.21 s');
    assert.deepEqual(page.errors, []);
  });
});

test('bad experiment= and ref= values get clear messages', async () => {
  const query = 'experiment=nope&ref=seq:soon,threads@3:2';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    const messages = await page.text('config-messages');
    assert.match(messages, /Unknown experiment “nope”: the posts' are shaji-io/);
    assert.match(messages, /seconds above 0/);
    assert.match(messages, /“threads@3” is not a model of this run/);
  });
});
