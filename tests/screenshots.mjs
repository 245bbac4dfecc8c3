// Screenshots of every experiment (engine/experiments.rs) as a learner sees
// it: the Results panel (verdict, the post's figures beside this run's,
// the charts) at 1400 px and at 390 px, light and dark, as JPEG files in
// www/screenshots/ that README links. Each experiment runs once; the same
// page is then drawn at each width and colour scheme.
//
// Usage (from tests/, after `bash .ci/build-site`): node screenshots.mjs
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './e2e/support/browser.mjs';
import { serveDist } from './e2e/support/server.mjs';
import { PlaygroundPage } from './e2e/support/playground_page.mjs';

const OUT = fileURLToPath(new URL('../www/screenshots/', import.meta.url));
const EXPERIMENTS = ['shaji-io', 'shaji-cpu', 'csrgxtu-io', 'csrgxtu-cpu', 'wolf-io'];
const SHOTS = [
  { width: 1400, height: 1000, scheme: 'light' },
  { width: 1400, height: 1000, scheme: 'dark' },
  { width: 390, height: 844, scheme: 'light' },
  { width: 390, height: 844, scheme: 'dark' },
];

mkdirSync(OUT, { recursive: true });
const server = await serveDist({});
const browser = await launchChromium();
try {
  for (const id of EXPERIMENTS) {
    const page = await PlaygroundPage.open(browser, server.url, `experiment=${id}&autorun=1`, { width: 1400, height: 1000 });
    const results = await page.postedResults(600_000);
    console.log(`${id}: ${await page.text('verdict')}`);
    for (const { width, height, scheme } of SHOTS) {
      await page.page.setViewportSize({ width, height });
      await page.page.emulateMedia({ colorScheme: scheme });
      await page.page.waitForTimeout(400);
      const path = `${OUT}${id}-${width}-${scheme}.jpg`;
      await page.page.locator('section.results').screenshot({ path, type: 'jpeg', quality: 70 });
    }
    if (results.models.some((model) => model.available && !model.checksum_ok)) throw new Error(`${id}: a checksum is wrong`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
