import { serveDist } from '/work/main/tests/e2e/support/server.mjs';
import { launchChromium } from '/work/main/tests/e2e/support/browser.mjs';
const server = await serveDist(); const browser = await launchChromium();
const page = await browser.newPage();
page.on('response', r => { if (r.status() >= 400) console.log(r.status(), r.url()); });
await page.goto(server.url + '?workload=squares&models=seq,rayon&threads=1&repeat=2&autorun=1');
await page.waitForFunction(() => document.querySelector('[data-testid=result-rayon-threads-used]'), null, {timeout: 60000});
console.log(await page.textContent('[data-testid=result-rayon-threads-used]'), await page.textContent('[data-testid=result-rayon-median-ms]'), await page.textContent('[data-testid=result-seq-median-ms]'));
await browser.close(); await server.close();
