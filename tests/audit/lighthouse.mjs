// Lighthouse 12.2.3 (node API) against a dist/ folder served gzipped with the
// isolation headers (serve_gzip.mjs), in its default mobile profile
// (simulated throttling: 150 ms RTT, 1.6 Mbit/s, 4x CPU, as PageSpeed does),
// performance category only, a fresh Debian Chromium per run. Returns each
// run's metrics and diagnostics (LCP element and phases, bootup, main-thread
// breakdown, long tasks, transfer sizes, document loads: 2 means the page
// reloaded itself for isolation) and the per-metric medians.
// Where it stops: one URL (the page without a query: nothing autoruns), no
// desktop profile, no traces kept. The simulation scales the tasks observed
// on this machine, so other work on its 2 cores moves TBT (each run records
// the load average and Lighthouse's benchmarkIndex): compare builds on a
// quiet machine, with 5 runs when they are close. Lantern counts a request
// in LCP only if it ended (unthrottled, on loopback) before the observed LCP
// paint, so a first paint that races the wasm download can flip LCP between
// ~1.2 s and ~3.8 s from run to run.
//
//   import { runLighthouse } from './lighthouse.mjs';
//   const { runs, median, medianRun } = await runLighthouse({ dist: '/tmp/dist/', runs: 3 });
//   node tests/audit/lighthouse.mjs [dist] [--runs N] [--json out.json] [--not-isolated]
import { writeFileSync } from 'node:fs';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import Trace from 'lighthouse/core/gather/gatherers/trace.js';
import { serveGzip, DEFAULT_DIST } from './serve_gzip.mjs';

export const CHROME_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROME_FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const METRICS = {
  score: null, lcp: 'largest-contentful-paint', fcp: 'first-contentful-paint', tbt: 'total-blocking-time',
  cls: 'cumulative-layout-shift', si: 'speed-index', tti: 'interactive',
};
const TOP = 6;

// Chromium 156 names PipelineReporter's args `frame_reporter`; Lighthouse
// 12.2.3's trace engine reads `chrome_frame_reporter` and throws, which
// fails the RootCauses gatherer and with it largest-contentful-paint-element,
// layout-shifts and render-blocking-resources. Give the events both names.
if (!Trace.endTraceAndCollectEvents.patchedForFrameReporter) {
  const collect = Trace.endTraceAndCollectEvents;
  Trace.endTraceAndCollectEvents = async (...args) => {
    const trace = await collect.apply(Trace, args);
    for (const event of trace.traceEvents) {
      if (event.name === 'PipelineReporter' && event.args?.frame_reporter && !event.args.chrome_frame_reporter) {
        event.args.chrome_frame_reporter = event.args.frame_reporter;
      }
    }
    return trace;
  };
  Trace.endTraceAndCollectEvents.patchedForFrameReporter = true;
}

const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const items = (lhr, id) => lhr.audits[id]?.details?.items ?? [];
const shortUrl = (url, base) => (typeof url === 'string' && url.startsWith(base) ? '/' + url.slice(base.length) : url);

/** The figures this audit reports from one Lighthouse result. */
export function summarize(lhr, base) {
  const run = {};
  for (const [key, id] of Object.entries(METRICS)) {
    run[key] = id ? lhr.audits[id]?.numericValue ?? null : lhr.categories.performance.score;
  }
  // The LCP element table, then (when computed) its phases.
  const [elementTable, phaseTable] = items(lhr, 'largest-contentful-paint-element');
  const node = elementTable?.items?.[0]?.node;
  run.lcpElement = node ? { selector: node.selector, label: node.nodeLabel, snippet: node.snippet } : null;
  run.lcpPhases = Object.fromEntries((phaseTable?.items ?? []).map((p) => [p.phase, Math.round(p.timing)]));
  run.bootup = items(lhr, 'bootup-time').slice(0, TOP).map((i) => ({
    url: shortUrl(i.url, base), total: Math.round(i.total), scripting: Math.round(i.scripting),
    parseCompile: Math.round(i.scriptParseCompile),
  }));
  run.mainThread = items(lhr, 'mainthread-work-breakdown').map((i) => ({ group: i.group, ms: Math.round(i.duration) }));
  run.longTasks = items(lhr, 'long-tasks').slice(0, TOP).map((i) => ({
    url: shortUrl(i.url, base), startTime: Math.round(i.startTime), duration: Math.round(i.duration),
  }));
  const requests = items(lhr, 'network-requests');
  run.requests = requests.map((r) => ({
    url: shortUrl(r.url, base), type: r.resourceType, transferSize: r.transferSize, resourceSize: r.resourceSize,
  }));
  run.transferBytes = requests.reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
  // More than one document load of the page means it reloaded itself (the
  // service worker's isolation reload): with the headers, it must not.
  // (The reload is of the URL with the form's query, which the page writes.)
  run.documentLoads = requests.filter((r) => r.resourceType === 'Document' && r.url.startsWith(base)).length;
  run.benchmarkIndex = lhr.environment?.benchmarkIndex ?? null;
  run.warnings = lhr.runWarnings ?? [];
  return run;
}

/**
 * One Lighthouse run against `url` in a fresh Chromium; a run that fails
 * outright (NO_NAVSTART now and then here) is retried, `attempts` in all.
 */
export async function lighthouseOnce(url, attempts = 3) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await lighthouseAttempt(url);
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.warn(`lighthouse: attempt ${attempt} failed (${error.message}), retrying`);
    }
  }
}

async function lighthouseAttempt(url) {
  // Our own profile folder: chrome-launcher kills Chromium with SIGKILL, so
  // Chromium leaves its singleton socket folder (/tmp/org.chromium.Chromium.*)
  // behind; both are removed here.
  const userDataDir = await mkdtemp(join(tmpdir(), 'lighthouse-audit-'));
  let chrome;
  try {
    chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: CHROME_FLAGS, userDataDir });
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
    if (!result?.lhr) throw new Error('Lighthouse returned no result');
    if (result.lhr.runtimeError) throw new Error(`Lighthouse: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
    return result.lhr;
  } finally {
    const socket = await readlink(join(userDataDir, 'SingletonSocket')).catch(() => null);
    chrome?.kill();
    if (socket && /org\.chromium\.Chromium\.\w+$/.test(dirname(socket))) await rm(dirname(socket), { recursive: true, force: true });
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * Serves `dist` with serveGzip and runs Lighthouse `runs` times. Returns
 * `{ url, runs, median, medianRun }`: per-metric medians, and the whole
 * summary of the run whose score is the median (for its LCP element,
 * bootup, long tasks). `keepLhr` keeps each raw result on its run as `lhr`.
 */
export async function runLighthouse({ dist = DEFAULT_DIST, runs = 3, isolated = true, keepLhr = false } = {}) {
  const server = await serveGzip({ dist, isolated });
  try {
    const results = [];
    for (let i = 0; i < runs; i += 1) {
      // Other work on the machine slows the observed tasks that the
      // simulation scales: the 1-minute load average flags noisy runs.
      const load = loadavg()[0];
      const lhr = await lighthouseOnce(server.url);
      results.push({ ...summarize(lhr, server.url), loadBefore: Number(load.toFixed(2)), ...(keepLhr ? { lhr } : {}) });
    }
    const medians = Object.fromEntries(Object.keys(METRICS).map((k) => [k, median(results.map((r) => r[k]))]));
    const byScore = [...results].sort((a, b) => a.score - b.score || b.lcp - a.lcp);
    return { url: server.url, dist: resolve(dist), runs: results, median: medians, medianRun: byScore[(byScore.length - 1) >> 1] };
  } finally {
    await server.close();
  }
}

function printTable({ runs, median: m, medianRun }) {
  const row = (name, r) => [name, r.score?.toFixed(2), ...['fcp', 'lcp', 'tbt', 'si', 'tti'].map((k) => Math.round(r[k])), r.cls?.toFixed(3),
    r.benchmarkIndex ?? '', r.loadBefore ?? '', r.documentLoads ?? ''].map((v) => String(v ?? '-').padStart(7)).join(' ');
  console.log(['run', 'score', 'FCP', 'LCP', 'TBT', 'SI', 'TTI', 'CLS', 'bench', 'load', 'docs'].map((h) => h.padStart(7)).join(' '));
  runs.forEach((r, i) => console.log(row(String(i + 1), r)));
  console.log(row('median', m));
  console.log(`LCP element: ${medianRun.lcpElement ? `${medianRun.lcpElement.selector}  ${medianRun.lcpElement.snippet}` : '-'}`);
  console.log(`LCP phases (ms): ${JSON.stringify(medianRun.lcpPhases)}`);
  console.log('bootup (ms total/scripting/parse+compile):');
  for (const b of medianRun.bootup) console.log(`  ${b.total}/${b.scripting}/${b.parseCompile}  ${b.url}`);
  console.log(`main thread (ms): ${medianRun.mainThread.map((g) => `${g.group} ${g.ms}`).join(', ')}`);
  console.log('long tasks (start+duration ms):');
  for (const t of medianRun.longTasks) console.log(`  ${t.startTime}+${t.duration}  ${t.url}`);
  console.log(`transfer: ${medianRun.transferBytes} bytes in ${medianRun.requests.length} requests`);
  for (const w of new Set(runs.flatMap((r) => r.warnings))) console.log(`warning: ${w}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const valueOf = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const dist = args.find((a, i) => !a.startsWith('--') && !['--runs', '--json'].includes(args[i - 1]));
  const report = await runLighthouse({ dist: dist ?? DEFAULT_DIST, runs: Number(valueOf('--runs') ?? 3), isolated: !args.includes('--not-isolated') });
  printTable(report);
  const out = valueOf('--json');
  if (out) writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
}
