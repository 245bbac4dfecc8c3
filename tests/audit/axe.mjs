// axe-core 4.14 accessibility check of a page as it is now (a Playwright
// page, or a page of support/engines.mjs in any engine) (call it
// on a finished page: after the results are posted, or whatever state you
// want audited). Where it stops: the page's own document only (axe follows
// same-origin frames, not the workers), the rules axe runs by default (WCAG
// 2.0-2.2 A/AA and best practices), no `incomplete` results (the checks axe
// could not decide, e.g. contrast over images), no fixing.
//
// The page's Content-Security-Policy (a <meta>) forbids inline scripts, so
// open it in a context made with `bypassCSP: true`:
//
//   import { axeViolations } from '../audit/axe.mjs';
//   const context = await browser.newContext({ bypassCSP: true, colorScheme: 'dark' });
//   const page = await context.newPage();
//   await page.goto(url); /* ...wait for the state to audit... */
//   const violations = await axeViolations(page);                  // serious + critical
//   const all = await axeViolations(page, { impacts: null });      // every impact
//   // [{ id, impact, help, helpUrl, count, nodes: [{ target, html, summary }] }]
//   assert.deepEqual(violations.map((v) => v.id), []);
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe on `page` and returns its violations whose impact is in
 * `impacts` (null: all), each with up to `maxNodes` of its nodes (target
 * selectors, html snippet, axe's failure summary). `options` goes to
 * axe.run as is (e.g. `{ runOnly: ['wcag2a', 'wcag2aa'] }`).
 */
export async function axeViolations(page, { impacts = ['serious', 'critical'], maxNodes = 5, options = {} } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // A Playwright page adds a script tag; a page of support/engines.mjs
    // (Chromium, Firefox, WebKit) evaluates the source, which no engine's
    // Content-Security-Policy stops.
    const inject = page.addScriptTag ? page.addScriptTag({ content: AXE_SOURCE }) : page.evaluate(AXE_SOURCE);
    await inject.catch((error) => {
      throw new Error(`axe-core could not be injected (a context without bypassCSP: true?): ${error.message}`);
    });
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
      throw new Error('axe-core was blocked by the page\'s Content-Security-Policy: make the context with bypassCSP: true');
    }
  }
  const violations = await page.evaluate(async (options) => {
    const results = await window.axe.run(document, { ...options, resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' >>> '), html: n.html, summary: n.failureSummary })),
    }));
  }, options);
  return violations
    .filter((v) => !impacts || impacts.includes(v.impact))
    .map((v) => ({ ...v, count: v.nodes.length, nodes: v.nodes.slice(0, maxNodes) }));
}
