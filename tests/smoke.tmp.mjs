import { serveDist } from '/work/main/tests/e2e/support/server.mjs';
import { launchChromium } from '/work/main/tests/e2e/support/browser.mjs';
import { PlaygroundPage } from '/work/main/tests/e2e/support/playground_page.mjs';
const server = await serveDist();
const browser = await launchChromium();
const p = await PlaygroundPage.open(browser, server.url, process.argv[2]);
try {
  const results = await p.postedResults(60000);
  for (const m of results.models) { const {tasks, memory_samples, ...rest} = m; console.log(JSON.stringify({...rest, ntasks: tasks.length, nsamples: memory_samples.length})); }
  console.log(JSON.stringify(results.environment), results.partial);
} catch (e) { console.log('ERR', e.message); }
await p.screenshot('smoke');
console.log(p.errors);
await browser.close(); await server.close();
