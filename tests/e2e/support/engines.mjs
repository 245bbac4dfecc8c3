// One page driver for three browser engines, so one spec body can run in
// Chromium, Firefox and WebKit:
//
//   const engine = await launchEngine('firefox');
//   const page = await engine.open(url, { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
//   const [{ results }] = await page.waitForPosted(1, { timeoutMs: 120_000 });
//   await page.waitFor(() => document.querySelector('[data-testid=run]')?.disabled === false);
//   await page.close(); await engine.close();
//
// For WebKit the site's server must also serve the engines' host page:
// `serveDistForEngines(options)` is serveDist with ENGINE_ROUTES added.
//
// chromium: Debian's Chromium through playwright-core (support/browser.mjs).
// firefox:  Debian's firefox-esr through puppeteer-core over WebDriver BiDi
//           (Playwright's Firefox needs a patched build these machines cannot fetch).
// webkit:   WebKitGTK's MiniBrowser through WebKitWebDriver (classic WebDriver,
//           plain HTTP from fetch()) on an Xvfb display of its own.
//
// What differs, and what a spec author must know:
// - posted(): every `concurrency-playground:results` message, recorded from
//   before the page's first script. Chromium and Firefox add a listener to
//   the page itself before it runs (init / preload script). A classic
//   WebDriver session cannot, so WebKit opens a host page of the same origin
//   (HOST_PATH: serve the site with serveDistForEngines(), or serveDist with
//   ENGINE_ROUTES) that embeds the page in a full-size iframe and records
//   what it posts to its parent. So in WebKit the page runs EMBEDDED
//   (`window.parent !== window`: its results say `environment.embedded:
//   true`, it posts its height to the parent too, and it posts results to
//   the parent, not to itself: read them with posted()/waitForPosted(), or
//   in the page as `window.parent.__posted`, which is the page's own
//   `window.__posted` in the other engines). evaluate/waitFor/click/press
//   act inside the frame. `receivedAt` is on the page's own clock everywhere.
//   The host page is cross-origin isolated when the server is (it sends the
//   isolation headers, and the frame has allow="cross-origin-isolated").
// - evaluate(fn, arg): fn is serialised into the page (a string is an
//   expression); arg and the result must be JSON-like. WebKit returns null
//   for undefined. None of the engines' evaluation is stopped by the page's
//   Content-Security-Policy.
// - errors: strings `pageerror: <message>` and `console.error: <text>`, as
//   PlaygroundPage collects them (the message without its "Error: " class).
//   Chromium and Firefox: uncaught errors, unhandled rejections and
//   console.error of the page and of its dedicated workers. WebKit (no
//   console over classic WebDriver, and MiniBrowser's
//   --enable-write-console-messages-to-stdout is ignored under --automation):
//   the host page hooks each document of the frame (window error and
//   unhandledrejection events, console.error) before the page's scripts run,
//   and reports to the server as they happen. So WebKit sees the page's own
//   errors and its workers' uncaught errors (WebKit forwards those to the
//   window), not console.error in workers. Chromium alone logs "Failed to
//   load resource" for failed requests.
// - colorScheme ('light' | 'dark'): Chromium emulates it per page
//   (setColorScheme works any time). Firefox 153 has no BiDi command for it
//   (emulation.setMediaFeaturesOverride is unknown to it; puppeteer's
//   emulateMediaFeatures needs CDP), so the driver sets the pref
//   layout.css.prefers-color-scheme.content-override from Firefox's chrome
//   (privileged) realm: it applies at once, but browser-wide, so the last
//   open()/setColorScheme wins for every open page. WebKitGTK follows GTK:
//   MiniBrowser runs with GTK_THEME=Adwaita:dark for dark, fixed per
//   process, so each WebKit open() is a MiniBrowser (and Xvfb and driver) of
//   its own, and setColorScheme throws there unless the scheme is unchanged.
// - viewport: Chromium per context, Firefox browsingContext.setViewport,
//   WebKit by resizing MiniBrowser's window so that innerWidth and
//   innerHeight are as asked (the window has a toolbar above the page).
// - screenshot(path, { fullPage }): all three. Firefox's full page leaves
//   out the scrollbar (1268 px wide for a 1280 px viewport). WebKit's
//   screenshots stop at the viewport, so a full-page shot makes the window
//   as tall as the page for one shot (the page sees a resize, innerHeight
//   as tall as the content, then its viewport again).
// - press(key): Playwright's key names ('Tab', 'Enter', ' ', 'ArrowRight',
//   'Shift+Tab', ...), through each engine's own keyboard input (WebDriver
//   actions in WebKit).
// - waitFor polls in the page in Chromium and Firefox, from node (one
//   WebDriver call per poll) in WebKit; a timeout names the predicate.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { launchChromium } from './browser.mjs';
import { RESULTS_TYPE } from './playground_page.mjs';
import { serveDist } from './server.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

export const FIREFOX_PATH = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
export const MINIBROWSER_PATH = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? 'WebKitWebDriver';

const DEFAULT_VIEWPORT = { width: 1280, height: 900 };
const LAUNCH_TIMEOUT_MS = 120_000;
const COMMAND_TIMEOUT_MS = 300_000;
// A click's wait for its element, and the like.
const ACTION_TIMEOUT_MS = 120_000;
// WebKit's full-page screenshots grow the window to the page: this tall at most.
const MAX_FULL_PAGE_HEIGHT = 16_384;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- host page

/** Where WebKit's host page lives on the site's server. */
export const HOST_PATH = '/__engines/host.html';
const REPORT_PATH = '/__engines/report';

// The host page: a full-size frame showing `?src=` (same origin only), a
// record of what it posts (on the frame's clock), and the frame's errors,
// sent to REPORT_PATH as they happen. `allow` lets the frame be
// cross-origin isolated when this page is (the server sends it the headers).
//
// The error hooks: the frame's document is same-origin, so the host adds
// listeners to each new document of the frame as soon as it exists (WebKit
// does not carry them over from the frame's initial about:blank). It looks
// on every task (a MessageChannel loop) while a document is due; the two
// documents share one event loop. WebKit parses the playground's small
// HTML in one task, so the hooks come at readyState 'interactive', but
// before the frame has loaded any resource (window.__hooks keeps the
// count), so before any of its scripts: all of them are module scripts
// (crash.js, and the inline one that imports the wasm glue).
const HOST_HTML = `<!doctype html><meta charset="utf-8"><title>engine host</title>
<style>html,body{margin:0;height:100%;overflow:hidden;background:#888}
iframe{display:block;border:0;width:100%;height:100%}</style>
<iframe id="__engine_target" allow="cross-origin-isolated; clipboard-write"></iframe>
<script>
window.__posted = [];
window.__hooks = [];
const params = new URLSearchParams(location.search);
const frame = document.getElementById('__engine_target');
// One report at a time, so they arrive in order.
let reports = Promise.resolve();
const report = (error) => {
  reports = reports.then(() => fetch(${JSON.stringify(REPORT_PATH)} + '?page=' + encodeURIComponent(params.get('page') || ''),
    { method: 'POST', body: JSON.stringify({ error }), keepalive: true })).catch(() => {});
};
addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow || !event.data || event.data.type !== ${JSON.stringify(RESULTS_TYPE)}) return;
  const frameOrigin = frame.contentWindow.performance.timeOrigin;
  window.__posted.push({ ...event.data, receivedAt: performance.timeOrigin + performance.now() - frameOrigin });
});
addEventListener('error', (event) => report('host pageerror: ' + event.message));
const describe = (value) => (value && value.message !== undefined ? String(value.message) : String(value));
const withoutClass = (message) => String(message).replace(/^(Uncaught )?([A-Z]\\w*)?(Error|Exception): /, '');
let hooked = null;
function hook() {
  let doc;
  try { doc = frame.contentDocument; } catch { return false; }
  if (!doc || doc === hooked || doc.URL === 'about:blank') return false;
  hooked = doc;
  const win = frame.contentWindow;
  window.__hooks.push({ url: doc.URL, readyState: doc.readyState, resourcesLoaded: win.performance.getEntriesByType('resource').length });
  win.addEventListener('error', (event) => {
    // Not a script's error: the Resize Observer spec reports, as an error
    // event with no error, a resize it defers to the next frame ("deliver
    // resize loop error notification"); WebKitGTK sends it when the embedded
    // page's height changes while the host sizes the frame.
    if (!event.error && /^ResizeObserver loop/.test(event.message)) return;
    report('pageerror: ' + (event.error ? describe(event.error) : withoutClass(event.message)));
  });
  win.addEventListener('unhandledrejection', (event) => report('pageerror: ' + describe(event.reason)));
  const original = win.console.error;
  win.console.error = function (...args) {
    report('console.error: ' + args.map((arg) => (typeof arg === 'string' ? arg : describe(arg))).join(' '));
    return original.apply(this, args);
  };
  // Look for the next document once this one goes.
  win.addEventListener('pagehide', () => watch());
  return true;
}
// Every task while a document is due (10 s at most; then every 50 ms).
const channel = new MessageChannel();
let watchingUntil = 0;
channel.port1.onmessage = () => {
  if (hook()) watchingUntil = 0;
  else if (performance.now() < watchingUntil) channel.port2.postMessage(0);
};
function watch() {
  const idle = watchingUntil === 0 || performance.now() >= watchingUntil;
  watchingUntil = performance.now() + 10000;
  if (idle) channel.port2.postMessage(0);
}
setInterval(hook, 50);
const src = new URL(params.get('src'), location.href);
if (src.origin !== location.origin) throw new Error('the host page frames its own origin only: ' + src);
watch();
frame.src = src.href;
</script>`;

// Pages waiting for their host page's error reports, by id.
const reporters = new Map();

/** Routes for `serveDist({ routes })`: the host page WebKit opens pages in, and its error reports. */
export const ENGINE_ROUTES = {
  [HOST_PATH]: (_request, response, isolationHeaders) =>
    response.writeHead(200, { ...isolationHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(HOST_HTML),
  [REPORT_PATH]: (request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      response.writeHead(204).end();
      const id = new URL(request.url, 'http://localhost').searchParams.get('page');
      try {
        reporters.get(id)?.(JSON.parse(body).error);
      } catch { /* not ours */ }
    });
  },
};

/** serveDist with the engines' host page added (use it for WebKit). */
export function serveDistForEngines(options = {}) {
  return serveDist({ ...options, routes: { ...ENGINE_ROUTES, ...options.routes } });
}

// ------------------------------------------------------------ shared pieces

function fnSource(fn) {
  if (typeof fn === 'function') return fn.toString();
  if (typeof fn === 'string') return `() => (${fn})`;
  throw new TypeError(`evaluate/waitFor take a function or an expression string, not ${typeof fn}`);
}

function shortSource(fn) {
  const source = fnSource(fn).replace(/\s+/g, ' ');
  return source.length > 300 ? `${source.slice(0, 300)}…` : source;
}

function timeoutError(engine, fn, timeoutMs, cause) {
  const error = new Error(`${engine}: waitFor timed out after ${timeoutMs} ms waiting for ${shortSource(fn)}`
    + (cause ? ` (last error: ${cause.message ?? cause})` : ''));
  if (cause) error.cause = cause;
  return error;
}

const withoutClass = (message) => String(message).replace(/^(Uncaught )?([A-Z]\w*)?(Error|Exception): /, '');

function writeScreenshot(path, png) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
}

// The recorder every engine but WebKit installs before the page's scripts.
function recordPosted(type) {
  window.__posted = [];
  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === type) window.__posted.push({ ...event.data, receivedAt: performance.now() });
  });
}

/** The methods every page handle shares, on top of the engine's own. */
class PageBase {
  constructor(engine) {
    this.engine = engine;
    this.errors = [];
  }

  /** The errors collected so far that match none of `patterns` (regexes). */
  errorsExcept(...patterns) {
    return this.errors.filter((e) => !patterns.some((pattern) => pattern.test(e)));
  }

  // window.parent is the page itself unless it is framed (WebKit's host page).
  async posted() {
    return this.evaluate(() => window.parent.__posted ?? []);
  }

  /** Waits until the page has posted `count` results messages; returns them all. */
  async waitForPosted(count = 1, { timeoutMs = 120_000, pollMs = 100 } = {}) {
    await this.waitFor((n) => (window.parent.__posted ?? []).length >= n, count, { timeoutMs, pollMs });
    return this.posted();
  }

  // Node-side polling: survives navigations of the page (an evaluation
  // that fails meanwhile is retried until the deadline).
  async pollFor(fn, arg, { timeoutMs = 60_000, pollMs = 100 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastError = null;
    for (;;) {
      try {
        const value = await this.evaluate(fn, arg);
        if (value) return value;
        lastError = null;
      } catch (error) {
        if (this.closed) throw error;
        lastError = error;
      }
      if (Date.now() >= deadline) throw timeoutError(this.engine, fn, timeoutMs, lastError);
      await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
    }
  }
}

// ------------------------------------------------------------------ chromium

async function launchChromiumEngine() {
  const browser = await launchChromium();
  return {
    name: 'chromium',
    version: browser.version(),
    browser,
    async open(url, { viewport = DEFAULT_VIEWPORT, colorScheme = 'light' } = {}) {
      const context = await browser.newContext({ viewport, colorScheme });
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      try {
        const page = await context.newPage();
        const handle = new ChromiumPage(page, context);
        await page.addInitScript(recordPosted, RESULTS_TYPE);
        await page.goto(url, { timeout: COMMAND_TIMEOUT_MS });
        return handle;
      } catch (error) {
        await context.close();
        throw error;
      }
    },
    async close() {
      await browser.close();
    },
  };
}

class ChromiumPage extends PageBase {
  constructor(page, context) {
    super('chromium');
    this.raw = page;
    this.context = context;
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console.error: ${message.text()}`);
    });
  }

  evaluate(fn, arg) {
    return this.raw.evaluate(fn, arg);
  }

  async waitFor(fn, arg, { timeoutMs = 60_000, pollMs = 100 } = {}) {
    try {
      const handle = await this.raw.waitForFunction(fn, arg, { timeout: timeoutMs, polling: pollMs });
      const value = await handle.jsonValue();
      await handle.dispose();
      return value;
    } catch (error) {
      if (error.name === 'TimeoutError') throw timeoutError(this.engine, fn, timeoutMs);
      throw error;
    }
  }

  click(selector) {
    return this.raw.click(selector);
  }

  press(key) {
    return this.raw.keyboard.press(key);
  }

  async screenshot(path, { fullPage = false } = {}) {
    mkdirSync(dirname(path), { recursive: true });
    await this.raw.screenshot({ path, fullPage });
  }

  setViewport({ width, height }) {
    return this.raw.setViewportSize({ width, height });
  }

  setColorScheme(colorScheme) {
    return this.raw.emulateMedia({ colorScheme });
  }

  async close() {
    this.closed = true;
    await this.context.close();
  }
}

// ------------------------------------------------------------------- firefox

async function launchFirefoxEngine() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocol: 'webDriverBiDi',
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: COMMAND_TIMEOUT_MS,
    // A chrome (privileged) realm over BiDi: the only way to switch the
    // colour scheme of a running Firefox (see setFirefoxColorScheme).
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'layout.css.prefers-color-scheme.content-override': 1 },
  });
  const engine = {
    name: 'firefox',
    version: await browser.version(),
    browser,
    colorScheme: 'light',
    async open(url, { viewport = DEFAULT_VIEWPORT, colorScheme = 'light' } = {}) {
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(ACTION_TIMEOUT_MS);
        const handle = new FirefoxPage(engine, page, context);
        await page.setViewport(viewport);
        await handle.setColorScheme(colorScheme);
        await page.evaluateOnNewDocument(recordPosted, RESULTS_TYPE);
        await page.goto(url, { timeout: COMMAND_TIMEOUT_MS, waitUntil: 'load' });
        return handle;
      } catch (error) {
        await context.close().catch(() => {});
        throw error;
      }
    },
    async close() {
      await browser.close();
    },
  };
  return engine;
}

// layout.css.prefers-color-scheme.content-override: 0 dark, 1 light.
async function setFirefoxColorScheme(page, colorScheme) {
  if (colorScheme !== 'light' && colorScheme !== 'dark') throw new Error(`firefox: colorScheme 'light' or 'dark', not ${colorScheme}`);
  const session = page.mainFrame().browsingContext.userContext.browser.session;
  const tree = await session.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
  const chrome = tree.result.contexts[0]?.context;
  if (!chrome) throw new Error('firefox: no chrome context to set the colour scheme from (needs --remote-allow-system-access)');
  const value = colorScheme === 'dark' ? 0 : 1;
  const { result } = await session.send('script.evaluate', {
    expression: `Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', ${value})`,
    target: { context: chrome },
    awaitPromise: false,
  });
  if (result.type !== 'success') throw new Error(`firefox: setting the colour scheme failed: ${JSON.stringify(result)}`);
}

class FirefoxPage extends PageBase {
  constructor(engine, page, context) {
    super('firefox');
    this.firefox = engine;
    this.raw = page;
    this.context = context;
    // Firefox's text keeps the class ("Error: boom"); the others give the message alone.
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${withoutClass(error.message)}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console.error: ${message.text()}`);
    });
  }

  evaluate(fn, arg) {
    return this.raw.evaluate(fn, arg);
  }

  async waitFor(fn, arg, { timeoutMs = 60_000, pollMs = 100 } = {}) {
    try {
      const handle = await this.raw.waitForFunction(fn, { timeout: timeoutMs, polling: pollMs }, arg);
      const value = await handle.jsonValue();
      await handle.dispose();
      return value;
    } catch (error) {
      if (error.name === 'TimeoutError') throw timeoutError(this.engine, fn, timeoutMs);
      throw error;
    }
  }

  click(selector) {
    return this.raw.click(selector);
  }

  // Puppeteer has no 'Shift+Tab' form: hold each modifier, press, release.
  async press(key) {
    const parts = key.length > 1 ? key.split('+') : [key];
    const main = parts.pop() || '+';
    for (const modifier of parts) await this.raw.keyboard.down(modifier);
    await this.raw.keyboard.press(main);
    for (const modifier of parts.reverse()) await this.raw.keyboard.up(modifier);
  }

  async screenshot(path, { fullPage = false } = {}) {
    mkdirSync(dirname(path), { recursive: true });
    await this.raw.screenshot({ path, fullPage });
  }

  setViewport({ width, height }) {
    return this.raw.setViewport({ width, height });
  }

  /** Browser-wide in Firefox: every open page follows the last scheme set. */
  async setColorScheme(colorScheme) {
    await setFirefoxColorScheme(this.raw, colorScheme);
    this.firefox.colorScheme = colorScheme;
  }

  async close() {
    this.closed = true;
    await this.context.close();
  }
}

// -------------------------------------------------------------------- webkit

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

// WebDriver's key codepoints for Playwright's key names.
const WEBDRIVER_KEYS = {
  Backspace: '\uE003', Tab: '\uE004', Enter: '\uE007', Shift: '\uE008', Control: '\uE009', Alt: '\uE00A',
  Escape: '\uE00C', ' ': ' ', Space: ' ', PageUp: '\uE00E', PageDown: '\uE00F', End: '\uE010', Home: '\uE011',
  ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015', Insert: '\uE016',
  Delete: '\uE017', Meta: '\uE03D',
};

function webdriverKey(name) {
  if (Object.hasOwn(WEBDRIVER_KEYS, name)) return WEBDRIVER_KEYS[name];
  if ([...name].length === 1) return name;
  throw new Error(`webkit: no WebDriver key for ${JSON.stringify(name)}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits for a child to exit, up to `ms`; true when it did. */
function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => { clearTimeout(timer); resolve(true); });
  });
}

// The process groups (Xvfb, WebKitWebDriver and its MiniBrowser) still up:
// killed if node exits without closing them (a crashed or cancelled run).
const liveGroups = new Set();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  }
});

function spawnGroup(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true });
  // A missing binary is an 'error' event, not an exception: keep it for the message.
  child.on('error', (error) => { child.spawnError = error; });
  if (child.pid) liveGroups.add(child.pid);
  return child;
}

/** The live (not zombie) processes of process group `pgid`, from /proc. */
function groupMembers(pgid) {
  const members = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(entry));
    } catch { /* gone meanwhile */ }
  }
  return members;
}

/** Waits until `test()` is true, up to `ms`; its last value. */
async function until(test, ms) {
  const deadline = Date.now() + ms;
  while (!test() && Date.now() < deadline) await sleep(50);
  return test();
}

/**
 * Ends a detached child's whole process group (the child and everything it
 * started): lets the others go first if they are already leaving
 * (`graceMs`), then TERM, then KILL whatever is left, and checks that
 * nothing of the group lives on.
 */
async function killGroup(child, { graceMs = 0 } = {}) {
  if (!child?.pid) return;
  const pgid = child.pid;
  const signal = (name) => { try { process.kill(-pgid, name); } catch { /* already gone */ } };
  if (graceMs) await until(() => groupMembers(pgid).every((pid) => pid === pgid), graceMs);
  signal('SIGTERM');
  if (!(await until(() => groupMembers(pgid).length === 0, 5_000))) {
    signal('SIGKILL');
    if (!(await until(() => groupMembers(pgid).length === 0, 5_000))) {
      throw new Error(`processes ${groupMembers(pgid).join(', ')} of group ${pgid} outlived SIGKILL`);
    }
  }
  await exited(child, 5_000);
  liveGroups.delete(pgid);
}

/** An Xvfb display of its own (it picks a free number: -displayfd). */
async function startXvfb() {
  const xvfb = spawnGroup('Xvfb', ['-displayfd', '3', '-screen', '0', '3200x2400x24', '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  xvfb.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start in 30 s: ${stderr}`)), 30_000);
    xvfb.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) { clearTimeout(timer); resolve(`:${out.trim()}`); }
    });
    xvfb.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited (${code}): ${stderr}`)); });
    xvfb.once('error', (error) => { clearTimeout(timer); reject(error); });
  }).catch(async (error) => { await killGroup(xvfb); throw error; });
  return { xvfb, display };
}

/** A WebKitWebDriver on a free port; its and MiniBrowser's last output lines are kept for error messages. */
async function startWebKitDriver(display, colorScheme) {
  const env = { ...process.env, DISPLAY: display };
  delete env.WAYLAND_DISPLAY;
  if (colorScheme === 'dark') env.GTK_THEME = 'Adwaita:dark';
  else env.GTK_THEME = 'Adwaita';
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const driver = spawnGroup(WEBKIT_DRIVER, [`--port=${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { lines: [] };
    const onData = (chunk) => {
      output.lines.push(...String(chunk).split('\n').filter(Boolean));
      if (output.lines.length > 200) output.lines.splice(0, output.lines.length - 200);
    };
    driver.stdout.on('data', onData);
    driver.stderr.on('data', onData);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    let ready = false;
    while (Date.now() < deadline && driver.exitCode === null && !driver.spawnError) {
      try {
        const response = await fetch(`${url}/status`);
        if (response.ok && (await response.json()).value?.ready) { ready = true; break; }
      } catch { /* not listening yet */ }
      await sleep(50);
    }
    if (ready) return { driver, url, output };
    await killGroup(driver);
    if (driver.spawnError) throw new Error(`webkit: cannot run ${WEBKIT_DRIVER} (apt-get install webkit2gtk-driver): ${driver.spawnError.message}`);
    if (attempt >= 3) throw new Error(`webkit: WebKitWebDriver did not start on port ${port}: ${output.lines.slice(-10).join('\n')}`);
  }
}

async function launchWebKitEngine() {
  if (!existsSync(MINIBROWSER_PATH)) throw new Error(`webkit: no MiniBrowser at ${MINIBROWSER_PATH} (apt-get install webkit2gtk-driver)`);
  const pages = new Set();
  let version = null;
  const engine = {
    name: 'webkit',
    get version() { return version; },
    // Each page is a MiniBrowser of its own, with its own Xvfb and driver:
    // its colour scheme is a GTK setting of the process (GTK_THEME).
    async open(url, { viewport = DEFAULT_VIEWPORT, colorScheme = 'light' } = {}) {
      const page = await WebKitPage.start(colorScheme);
      pages.add(page);
      page.onClose = () => pages.delete(page);
      try {
        version ??= `MiniBrowser (WebKitGTK ${page.capabilities.browserVersion})`;
        await page.setViewport(viewport);
        await page.navigate(url);
        return page;
      } catch (error) {
        await page.close();
        throw error;
      }
    },
    async close() {
      await Promise.all([...pages].map((page) => page.close()));
    },
  };
  return engine;
}

class WebKitPage extends PageBase {
  static async start(colorScheme) {
    if (colorScheme !== 'light' && colorScheme !== 'dark') throw new Error(`webkit: colorScheme 'light' or 'dark', not ${colorScheme}`);
    const page = new WebKitPage(colorScheme);
    try {
      const { xvfb, display } = await startXvfb();
      page.xvfb = xvfb;
      const { driver, url, output } = await startWebKitDriver(display, colorScheme);
      page.driver = driver;
      page.driverUrl = url;
      page.output = output;
      const session = await page.request('POST', '/session', {
        capabilities: {
          alwaysMatch: {
            browserName: 'MiniBrowser',
            'webkitgtk:browserOptions': {
              binary: MINIBROWSER_PATH,
              args: ['--automation'],
            },
          },
        },
      }, LAUNCH_TIMEOUT_MS);
      page.sessionId = session.sessionId;
      page.capabilities = session.capabilities;
      await page.command('POST', '/timeouts', { script: COMMAND_TIMEOUT_MS, pageLoad: COMMAND_TIMEOUT_MS, implicit: 0 });
      return page;
    } catch (error) {
      await page.close();
      throw error;
    }
  }

  constructor(colorScheme) {
    super('webkit');
    this.id = randomUUID();
    reporters.set(this.id, (error) => this.errors.push(String(error)));
    this.colorScheme = colorScheme;
    this.inFrame = false;
    this.chromeSize = null;
  }

  async request(method, path, body, timeoutMs = COMMAND_TIMEOUT_MS) {
    const signal = AbortSignal.timeout(timeoutMs);
    let response;
    try {
      response = await fetch(`${this.driverUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw new Error(`webkit: ${method} ${path} failed: ${error.message}${this.driverDied()}`, { cause: error });
    }
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`webkit: ${method} ${path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    }
    if (!response.ok) {
      const { error = response.status, message = '' } = json.value ?? {};
      const failure = new Error(`webkit: ${method} ${path}: ${error}: ${message}`);
      failure.webdriverError = error;
      throw failure;
    }
    return json.value;
  }

  driverDied() {
    if (!this.driver || this.driver.exitCode === null) return '';
    return ` (WebKitWebDriver exited ${this.driver.exitCode}: ${this.output.lines.slice(-5).join(' | ')})`;
  }

  command(method, path, body) {
    if (!this.sessionId) throw new Error('webkit: the page is closed');
    return this.request(method, `/session/${this.sessionId}${path}`, body);
  }

  async navigate(url) {
    const target = new URL(url);
    const host = new URL(HOST_PATH, target);
    host.search = `?page=${this.id}&src=${encodeURIComponent(target.href)}`;
    await this.command('POST', '/url', { url: host.href });
    const title = await this.command('POST', '/execute/sync', { script: 'return document.title', args: [] });
    if (title !== 'engine host') {
      throw new Error(`webkit: ${host} is not the engines' host page (title ${JSON.stringify(title)}): `
        + 'serve the site with serveDistForEngines() or serveDist({ routes: ENGINE_ROUTES })');
    }
    this.inFrame = false;
    await this.enterFrame();
    this.navigated = true;
  }

  async enterFrame() {
    await this.command('POST', '/frame', { id: null });
    this.inFrame = false;
    const frame = await this.command('POST', '/element', { using: 'css selector', value: '#__engine_target' });
    await this.command('POST', '/frame', { id: frame });
    this.inFrame = true;
  }

  /** Runs `path` in the target frame, re-entering it once if it was lost. */
  async inTarget(method, path, body) {
    if (!this.inFrame) await this.enterFrame();
    try {
      return await this.command(method, path, body);
    } catch (error) {
      if (!/no such frame|no such window|stale element/.test(error.message)) throw error;
      await this.enterFrame();
      return this.command(method, path, body);
    }
  }

  async evaluate(fn, arg) {
    // execute/sync awaits a returned promise; errors come back as values so
    // their message survives.
    const script = `const fn = (${fnSource(fn)});
      return Promise.resolve().then(() => fn(arguments[0])).then(
        (value) => ({ ok: true, value: value === undefined ? null : value }),
        (error) => ({ ok: false, error: String(error && error.stack ? error.message + '\\n' + error.stack : error) }));`;
    const result = await this.inTarget('POST', '/execute/sync', { script, args: [arg === undefined ? null : arg] });
    if (!result || typeof result !== 'object' || !('ok' in result)) return result;
    if (!result.ok) throw new Error(`webkit: evaluate failed: ${result.error}`);
    return result.value;
  }

  waitFor(fn, arg, options) {
    return this.pollFor(fn, arg, options);
  }

  async click(selector) {
    const element = await this.inTarget('POST', '/element', { using: 'css selector', value: selector });
    await this.command('POST', `/element/${element[ELEMENT]}/click`, {});
  }

  async press(key) {
    const parts = key.length > 1 ? key.split('+') : [key];
    const main = webdriverKey(parts.pop() || '+');
    const modifiers = parts.map(webdriverKey);
    const actions = [
      ...modifiers.map((value) => ({ type: 'keyDown', value })),
      { type: 'keyDown', value: main }, { type: 'keyUp', value: main },
      ...modifiers.reverse().map((value) => ({ type: 'keyUp', value })),
    ];
    await this.inTarget('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.command('DELETE', '/actions');
  }

  async screenshot(path, { fullPage = false } = {}) {
    if (!fullPage) {
      writeScreenshot(path, Buffer.from(await this.command('GET', '/screenshot'), 'base64'));
      return;
    }
    // WebKit's screenshots (page and element) stop at the viewport, but it
    // draws a window taller than the X screen: make the window as tall as
    // the page for one shot, then give the page its viewport back.
    const viewport = this.viewport;
    const pageHeight = () => this.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(
      () => resolve(Math.ceil(Math.max(document.documentElement.scrollHeight, document.body?.scrollHeight ?? 0)))))));
    try {
      let height = viewport.height;
      for (let attempt = 0; attempt < 3; attempt++) {
        const needed = Math.min(MAX_FULL_PAGE_HEIGHT, await pageHeight());
        if (needed <= height) break;
        height = needed;
        await this.resizeWindow(viewport.width, height);
      }
      writeScreenshot(path, Buffer.from(await this.command('GET', '/screenshot'), 'base64'));
    } finally {
      await this.setViewport(viewport);
    }
  }

  async resizeWindow(width, height) {
    await this.command('POST', '/window/rect', { width: width + this.chromeSize.width, height: height + this.chromeSize.height });
  }

  /** Sizes MiniBrowser's window so the page's own viewport is width × height. */
  async setViewport({ width, height }) {
    // The frame fills the host page, so its viewport is the window's.
    const inner = () => (this.navigated ? this.inTarget.bind(this) : this.command.bind(this))(
      'POST', '/execute/sync', { script: 'return [innerWidth, innerHeight]', args: [] });
    this.chromeSize ??= await (async () => {
      const rect = await this.command('GET', '/window/rect');
      const [w, h] = await inner();
      return { width: rect.width - w, height: rect.height - h };
    })();
    this.viewport = { width, height };
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.resizeWindow(width, height);
      const [w, h] = await inner();
      if (w === width && h === height) return;
      const rect = await this.command('GET', '/window/rect');
      this.chromeSize = { width: rect.width - w, height: rect.height - h };
    }
    const [w, h] = await inner();
    throw new Error(`webkit: asked for a ${width}×${height} viewport, got ${w}×${h}`);
  }

  /** Only the scheme the page was opened with: GTK_THEME is fixed per MiniBrowser. */
  async setColorScheme(colorScheme) {
    if (colorScheme === this.colorScheme) return;
    throw new Error(`webkit: the colour scheme is fixed when the page opens (GTK_THEME of its MiniBrowser); open() it again with colorScheme '${colorScheme}'`);
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.sessionId) {
        await this.request('DELETE', `/session/${this.sessionId}`, undefined, 30_000).catch(() => {});
      }
    } finally {
      this.sessionId = null;
      reporters.delete(this.id);
      // MiniBrowser leaves after DELETE /session: let the driver see it go.
      await killGroup(this.driver, { graceMs: 5_000 });
      await killGroup(this.xvfb);
      this.onClose?.();
    }
  }
}

// -------------------------------------------------------------------- launch

/**
 * Starts `name` (one of ENGINES): `{ name, version, open(url, { viewport:
 * { width, height }, colorScheme: 'light' | 'dark' }), close() }` (WebKit's
 * version is known after its first open(); its launch starts nothing, each
 * open() starts Xvfb, WebKitWebDriver and MiniBrowser). close() closes every
 * page still open. A page handle has evaluate(fn, arg), waitFor(fn, arg,
 * { timeoutMs, pollMs }) (the predicate's truthy value), click(selector),
 * press(key), screenshot(path, { fullPage }), posted(), waitForPosted(count,
 * { timeoutMs }), errors, errorsExcept(...patterns), setViewport({ width,
 * height }), setColorScheme(scheme), close(), and `raw` (Playwright's or
 * Puppeteer's page, for what only one engine has; none for WebKit).
 */
export async function launchEngine(name) {
  switch (name) {
    case 'chromium': return launchChromiumEngine();
    case 'firefox': return launchFirefoxEngine();
    case 'webkit': return launchWebKitEngine();
    default: throw new Error(`unknown engine ${JSON.stringify(name)}: one of ${ENGINES.join(', ')}`);
  }
}
