// Debian's Chromium driven by playwright-core, with the flags that work on
// these machines (no sandbox as root, no background network). Playwright
// gives every launch a fresh temporary profile (it refuses --user-data-dir).
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchChromium(extraArgs = (process.env.CHROMIUM_ARGS ?? '').split(' ').filter(Boolean)) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}
