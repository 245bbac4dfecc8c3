// Every control can be reached by keyboard: Tab from the top of the page
// to its end focuses each button, field, choice and disclosure of the
// form, the results and the charts, with a visible focus ring (a native
// radio group is one stop, chosen within by its arrow keys).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPlayground } from './support/playground_page.mjs';
import { useBrowserAndServer } from './support/suite.mjs';

const env = useBrowserAndServer();

test('Tab reaches every control on the page, each with a visible focus ring', async () => {
  const query = 'workload=sieve&from=1000&to=3000&models=seq,rayon,workers&threads=2&repeat=1&warmup=0&autorun=1';
  await withPlayground(env.browser, env.server.url, query, async (page) => {
    await page.postedResults();
    const controls = await page.page.evaluate(() => {
      const selector = 'button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), '
        + 'textarea:not([disabled]), summary, a[href], [tabindex="0"]';
      // Inside a closed <details> only its summary can take focus (Chromium
      // still lays out the rest, content-visibility: hidden).
      const folded = (element) => { const details = element.closest('details'); return details && !details.open && !element.matches('summary'); };
      const visible = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden' && !folded(element);
      return [...document.querySelectorAll(selector)].filter(visible).map((element, index) => {
        element.dataset.keyboardIndex = String(index);
        return index;
      }).length;
    });
    assert.ok(controls > 30, `${controls} controls on the page`);
    const reached = new Set();
    // A native radio group is one Tab stop; its arrow keys choose within it.
    const reachedGroups = new Set();
    let unringed = [];
    // Radio groups and the like may keep focus inside one stop; each stop
    // still has to come up. Twice the controls is more Tabs than needed.
    for (let press = 0; press < controls * 2 + 20; press++) {
      await page.page.keyboard.press('Tab');
      const focused = await page.page.evaluate(() => {
        const element = document.activeElement;
        if (!element || element === document.body) return null;
        // SVG bars draw their ring on their rect (charts.test.mjs checks it).
        const style = getComputedStyle(element);
        const ring = !(element instanceof HTMLElement)
          || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
        return { index: element.dataset.keyboardIndex ?? null, ring, name: element.outerHTML.slice(0, 80),
          radioGroup: element.type === 'radio' ? element.name : null };
      });
      if (!focused) continue;
      if (focused.index !== null) reached.add(focused.index);
      if (focused.radioGroup) reachedGroups.add(focused.radioGroup);
      if (!focused.ring) unringed.push(focused.name);
    }
    const missed = await page.page.evaluate(([reachedIndexes, groups]) =>
      [...document.querySelectorAll('[data-keyboard-index]')]
        .filter((element) => !reachedIndexes.includes(element.dataset.keyboardIndex))
        .filter((element) => !(element.type === 'radio' && groups.includes(element.name)))
        .map((element) => element.outerHTML.slice(0, 100)), [[...reached], [...reachedGroups]]);
    assert.deepEqual(missed, [], 'controls Tab never reached');
    unringed = [...new Set(unringed)];
    assert.deepEqual(unringed, [], 'focused without a visible ring');
  });
});
