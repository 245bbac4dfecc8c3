// Shared set-up for the specs: one static server (with isolation headers
// unless told otherwise), optionally a second origin, and one Chromium per
// spec file, torn down after it.
import { after, before } from 'node:test';
import { launchChromium } from './browser.mjs';
import { serveDist, serveOtherOrigin } from './server.mjs';

export function useBrowserAndServer({ isolated = true, staticDelayMs = 0, otherOrigin = false } = {}) {
  const handles = {};
  before(async () => {
    handles.server = await serveDist({ isolated, staticDelayMs });
    if (otherOrigin) handles.other = await serveOtherOrigin();
    handles.browser = await launchChromium();
  });
  after(async () => {
    await handles.browser?.close();
    await handles.server?.close();
    await handles.other?.close();
  });
  return handles;
}

/** The models of `results` by id. */
export function byId(results) {
  return Object.fromEntries(results.models.map((model) => [model.id, model]));
}
