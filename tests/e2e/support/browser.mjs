// Debian's Chromium driven by playwright-core, with the flags that work on
// these machines (no sandbox as root, no background network). Playwright
// gives every launch a fresh temporary profile (it refuses --user-data-dir).
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// For a Chromium launched by hand (the benchmark's timed loads): the
// omnibox's popup is a WebUI page that Chromium preloads in a renderer of
// its own, even headless, about 0.6 s of CPU in the first seconds after
// launch, when every timed load runs (each load is a fresh browser).
// Not for Playwright's launches: it passes a --disable-features list of its
// own, and Chromium keeps only the last such switch.
export const UNDRIVEN_FLAGS = ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup'];

export async function launchChromium(extraArgs = (process.env.CHROMIUM_ARGS ?? '').split(' ').filter(Boolean)) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}
