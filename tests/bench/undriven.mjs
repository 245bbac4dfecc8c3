// Runs the playground in a Chromium that no DevTools client drives, for the
// benchmark's timed loads; stops at handing back what the page posted.
//
// Playwright drives Chromium over the DevTools protocol, and its page
// always has the Network domain on: every fetch then costs the browser a
// few protocol events sent down the pipe (measured here: 100 requests all
// at once took ~25 % longer with Playwright attached than without). So the
// timed loads open Chromium with a URL and nothing attached: a small frame
// page embeds the playground, as a tutorial does, takes the results it
// posts (`concurrency-playground:results`) and sends them back to the
// harness's server. The frame page can also time plain JavaScript's
// `Promise.all` of the same service-worker requests in the playground's
// own frame once the playground has finished (the browser's floor).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, UNDRIVEN_FLAGS } from '../e2e/support/browser.mjs';
import { JS_PEERS_HTML, JS_PEERS_PATH } from './js_peers.mjs';

const FRAME_PATH = '/__bench/frame.html';
const REPORT_PATH = '/__bench/report';

// The frame page. Its query goes to the playground unchanged; `#js_fetch=`
// asks for the plain-JavaScript timing ("requests,latency_ms,runs").
const FRAME_HTML = `<!doctype html><meta charset="utf-8"><title>benchmark frame</title>
<iframe id="playground" style="width:1280px;height:900px;border:0"></iframe>
<script>
const frame = document.getElementById('playground');
const report = (body) => fetch('${REPORT_PATH}', { method: 'POST', body: JSON.stringify(body) });
async function jsFetchAll(requests, latencyMs, runs) {
  // In the playground's frame, so the same service worker answers, with the
  // same path, body size and stamp as the page's own requests (www/sw.js).
  const win = frame.contentWindow;
  const base = new win.URL('io-sim/delay', win.document.baseURI);
  const times = [];
  for (let run = 0; run < runs; run++) {
    const started = win.performance.now();
    await Promise.all(Array.from({ length: requests }, (_, i) =>
      win.fetch(base + '?ms=' + latencyMs + '&bytes=2048&i=' + i + '&run=js' + run, {
        headers: { 'X-Playground-Sent-At': String(win.performance.timeOrigin + win.performance.now()) },
      }).then((response) => response.arrayBuffer())));
    times.push(win.performance.now() - started);
  }
  return times;
}
addEventListener('message', async (event) => {
  if (event.source !== frame.contentWindow || event.data?.type !== 'concurrency-playground:results') return;
  const asked = new URLSearchParams(location.hash.slice(1)).get('js_fetch');
  const jsFetchMs = asked ? await jsFetchAll(...asked.split(',').map(Number)) : null;
  await report({ results: event.data.results, js_fetch_ms: jsFetchMs });
});
addEventListener('error', (event) => report({ error: String(event.message) }));
// The playground is the site's root page, one level up from this frame page.
frame.src = '../' + location.search;
</script>`;

/**
 * Routes for `serveDist({ routes })`: the frame page, and the report it
 * sends, handed to whoever waits in `run`.
 */
export function undrivenRoutes() {
  const waiting = [];
  return {
    waiting,
    routes: {
      [FRAME_PATH]: (_request, response, headers) =>
        response.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(FRAME_HTML),
      [JS_PEERS_PATH]: (_request, response, headers) =>
        response.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(JS_PEERS_HTML(REPORT_PATH)),
      [REPORT_PATH]: (request, response) => {
        let body = '';
        request.on('data', (chunk) => { body += chunk; });
        request.on('end', () => {
          response.writeHead(204).end();
          waiting.shift()?.(JSON.parse(body));
        });
      },
    },
  };
}

/**
 * Opens `query` (with `#hash`, if any) in a fresh undriven Chromium and
 * returns what the frame page reported: `{ results, js_fetch_ms }`.
 * Throws if nothing comes within `timeoutMs`.
 */
export async function runUndriven(server, undriven, query, hash = '', timeoutMs = 1_800_000) {
  return openUndriven(server, undriven, `${FRAME_PATH.slice(1)}?${query}${hash ? `#${hash}` : ''}`, timeoutMs);
}

/** The JavaScript peers (js_peers.mjs) on `k` workers, undriven: `{ js_peers }`. */
export async function runJsPeers(server, undriven, { k, repeat, warmup }) {
  return openUndriven(server, undriven, `${JS_PEERS_PATH.slice(1)}?k=${k}&repeat=${repeat}&warmup=${warmup}`, 600_000);
}

async function openUndriven(server, undriven, path, timeoutMs) {
  const profile = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
  const url = `${server.url}${path}`;
  let deliver;
  const reported = new Promise((resolve) => { deliver = resolve; });
  undriven.waiting.push(deliver);
  // Its own process group, so the renderer and GPU processes go with it.
  const chromium = spawn(CHROMIUM_PATH, [...CHROMIUM_FLAGS, ...UNDRIVEN_FLAGS, `--user-data-dir=${profile}`, '--window-size=1300,950', url],
    { stdio: 'ignore', detached: true });
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no results within ${timeoutMs} ms: ${url}`)), timeoutMs);
  });
  try {
    const report = await Promise.race([reported, timedOut]);
    if (report.error) throw new Error(`the frame page failed: ${report.error}`);
    return report;
  } finally {
    clearTimeout(timer);
    const index = undriven.waiting.indexOf(deliver);
    if (index >= 0) undriven.waiting.splice(index, 1);
    try { process.kill(-chromium.pid, 'SIGKILL'); } catch { /* already gone */ }
    await new Promise((resolve) => (chromium.exitCode !== null ? resolve() : chromium.once('exit', resolve)));
    rmSync(profile, { recursive: true, force: true });
  }
}
