// The benchmark's browser half and its report (`bash .ci/bench` runs it):
// every model of every workload in headless Chromium against the release
// build in dist/, the page's load time, its size, what its own recording
// costs, the peers (hand-written JavaScript, js_peers.mjs; CPython,
// python_peers.py), a scheduler trace of `workers` runs (sched_trace.mjs)
// and the native figures .ci/bench measured just before;
// writes bench/report.json, bench/report.md and README's figures (between
// its bench-report markers). It measures; it asserts nothing
// (the tests do that) except that every checksum matches.
//
// Usage: node bench/bench.mjs NATIVE_JSON OUT_DIR   (from tests/)
// Env: BENCH_LOADS (page loads per workload, default 3), BENCH_REPEAT (5),
//      BENCH_WARMUP (1), BENCH_INTERACTIVE_LOADS (7), BENCH_EFFICIENCY_LOADS (8),
//      BENCH_LIGHTHOUSE_LOADS (5), BENCH_MIXED_LOADS (5), BENCH_PYTHON_REPEAT (2),
//      BENCH_README (0: leave README alone).
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, release } from 'node:os';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { join } from 'node:path';
import { launchChromium } from '../e2e/support/browser.mjs';
import { serveDist, DIST } from '../e2e/support/server.mjs';
import { PlaygroundPage } from '../e2e/support/playground_page.mjs';
import { runJsPeers, runUndriven, undrivenRoutes } from './undriven.mjs';
import { traceWorkersLoad } from './sched_trace.mjs';
import { TARGETS, summarize, writeMarkdown, writeReadmeSection } from './report.mjs';
import { runLighthouse } from '../audit/lighthouse.mjs';

const [nativePath, outDir] = process.argv.slice(2);
if (!nativePath || !outDir) throw new Error('usage: node bench/bench.mjs NATIVE_JSON OUT_DIR');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const LOADS = env('BENCH_LOADS', 3);
const REPEAT = env('BENCH_REPEAT', 5);
const WARMUP = env('BENCH_WARMUP', 1);
const INTERACTIVE_LOADS = env('BENCH_INTERACTIVE_LOADS', 7);
const PYTHON_REPEAT = env('BENCH_PYTHON_REPEAT', 2);
const EFFICIENCY_LOADS = env('BENCH_EFFICIENCY_LOADS', 8);
const LIGHTHOUSE_LOADS = env('BENCH_LIGHTHOUSE_LOADS', 5);
// More loads for the mixes: one model (workers) swung 1.0-1.3 from load to load.
const MIXED_LOADS = env('BENCH_MIXED_LOADS', 5);
const IO_REQUESTS = 100;
// The sieve as the post ran it: every n in 1000..16000.
const SIEVE_QUERY = 'workload=sieve&from=1000&to=16000';
// The page's message when its rayon pool failed to start (browser/rayon_pool.rs).
const POOL_FAILED = 'The thread pool did not start';
const poolStartFailures = [];
const IO_LATENCY_MS = 160;
// The two mixes of waiting and computing (each task: a request, then a
// sieve timed to take cpu_ms here), and k for the models that take one.
const MIXES = {
  waiting: 'tasks=24&latency_ms=100&cpu_ms=2',
  computing: 'tasks=24&latency_ms=10&cpu_ms=20',
};
const MIXED_CONCURRENCY = 8;

const native = JSON.parse(readFileSync(nativePath, 'utf8'));
const log = (...parts) => console.log('[bench]', ...parts);

const undriven = undrivenRoutes();
const server = await serveDist({ routes: undriven.routes });
const browser = await launchChromium();
try {
  const report = {
    schema: 'concurrency-playground/bench@1',
    date: new Date().toISOString(),
    machine: machine(browser.version()),
    settings: { loads: LOADS, repeat: REPEAT, warmup: WARMUP, interactive_loads: INTERACTIVE_LOADS,
      efficiency_loads: EFFICIENCY_LOADS, mixed_loads: MIXED_LOADS, lighthouse_loads: LIGHTHOUSE_LOADS,
      native_repeat: native.repeat, native_warmup: native.warmup },
  };
  const cores = await hardwareConcurrency();
  const size = wasmSize();
  const interactive = await interactiveMs();
  const cpu = {};
  for (const [name, query] of [['sieve', SIEVE_QUERY], ['squares', 'workload=squares&base=5000000&count=20']]) {
    cpu[name] = await everyModel(`${query}&models=main,seq,rayon,workers&threads=${cores}&sweep=1`);
  }
  // Rayon's efficiency from short loads of seq and the thread sweep only,
  // each load's ratio on its own: this VM's speed drifts by tens of percent
  // over seconds, so seq and rayon are compared a second apart, not across
  // a whole workload's loads (report.mjs, pairedEfficiency).
  const efficiency = [];
  for (let load = 0; load < EFFICIENCY_LOADS; load++) {
    log('efficiency load', load + 1, 'of', EFFICIENCY_LOADS);
    efficiency.push(slim((await autorun(`${SIEVE_QUERY}&models=seq,rayon,workers&threads=${cores}&sweep=1`)).results));
  }
  // One more load of seq and workers with the kernel's scheduler traced:
  // what the instances' CPUs did during each run (sched_trace.mjs).
  log('scheduler trace of one seq + workers load');
  const workersTrace = await traceWorkersLoad({ k: cores, repeat: REPEAT,
    load: () => autorun(`${SIEVE_QUERY}&models=seq,workers&threads=${cores}`) });
  if (workersTrace.skipped) log('scheduler trace skipped:', workersTrace.skipped);
  // The peers a user would pick instead, in the same run: the same CPU
  // workloads in hand-written JavaScript on 1 and on `cores` workers with
  // Pool.map's chunks (js_peers.mjs), and CPython's sync and Pool runs
  // (python_peers.py) when python3 is here.
  const jsPeers = [];
  for (let load = 0; load < LOADS; load++) {
    log('JavaScript peers load', load + 1, 'of', LOADS);
    jsPeers.push((await runJsPeers(server, undriven, { k: cores, repeat: REPEAT, warmup: WARMUP })).js_peers);
  }
  const cpython = cpythonPeers(cores);
  // Each IO load also times plain JavaScript's Promise.all of the same
  // requests in the same frame afterwards (the browser's floor).
  const ioLoads = await everyModel(`workload=io&source=sim&requests=${IO_REQUESTS}&latency_ms=${IO_LATENCY_MS}`
    + `&models=seq,all,bounded,threads,workers&concurrency=${cores === 1 ? 2 : 10}&threads=${cores}`,
  `js_fetch=${IO_REQUESTS},${IO_LATENCY_MS},${WARMUP + REPEAT}`);
  const io = ioLoads.map(({ results }) => results);
  const jsFetchPerLoad = ioLoads.map(({ js_fetch_ms }) => js_fetch_ms.slice(WARMUP));
  const jsFetchBaseline = jsFetchPerLoad.flat();
  // Mixed tasks, mostly waiting and mostly computing, every model of
  // waiting tasks, each against the ideal for its shape (report.mjs).
  const mixed = {};
  for (const [name, shape] of Object.entries(MIXES)) {
    mixed[name] = await everyModel(`workload=mixed&${shape}&order=wait_first&spread=even&source=sim`
      + `&models=seq,all,bounded,threads,gil,workers,procs&concurrency=${MIXED_CONCURRENCY}&threads=${cores}`, undefined, MIXED_LOADS);
  }
  // The first load as Lighthouse 12's mobile profile sees it, on the built
  // site served gzipped (tests/audit/lighthouse.mjs, as the audit test).
  log('Lighthouse,', LIGHTHOUSE_LOADS, 'loads');
  const lighthouse = await runLighthouse({ dist: DIST, runs: LIGHTHOUSE_LOADS });
  const overhead = await browserOverhead(SIEVE_QUERY);
  const clockCost = await clockCostNs();

  // Cachegrind's instruction counts of the native sieve, bare and recorded (.ci/bench).
  const [plainInstructions, recordedInstructions] = (process.env.NATIVE_INSTRUCTIONS ?? '').split(' ').map(Number);
  const instructions = plainInstructions > 0 && recordedInstructions > 0
    ? { plain: plainInstructions, recorded: recordedInstructions } : null;
  report.pool_start_failures = poolStartFailures;
  Object.assign(report, summarize({ native, cpu, efficiency, workersTrace, io, jsFetchBaseline, jsFetchPerLoad, jsPeers, cpython, overhead, clockCost, instructions, size, interactive, cores,
    ioRequests: IO_REQUESTS, ioLatencyMs: IO_LATENCY_MS, mixed, lighthouse: lighthouseSummary(lighthouse) }));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  // Every page's results (tasks and samples left out), for a second look.
  writeFileSync(join(outDir, 'runs.json'), JSON.stringify({ cpu, efficiency, workersTrace, io, mixed, native, jsPeers, cpython }) + '\n');
  writeMarkdown(join(outDir, 'report.md'), report, TARGETS);
  // README's figures are this report's (BENCH_README=0 leaves README alone, for trial runs).
  if (process.env.BENCH_README !== '0') writeReadmeSection(new URL('../../README.md', import.meta.url).pathname, report, TARGETS);
  log('wrote', join(outDir, 'report.json'), 'and report.md');
} finally {
  await browser.close();
  await server.close();
}

/** What the report keeps of the Lighthouse loads: each load's metrics and the median load's long tasks. */
function lighthouseSummary({ runs, medianRun }) {
  const keep = ({ score, fcp, lcp, tbt, cls, si, tti, benchmarkIndex, loadBefore }) => ({ score, fcp, lcp, tbt, cls, si, tti, benchmarkIndex, loadBefore });
  return { runs: runs.map(keep), medianRun: { ...keep(medianRun), longTasks: medianRun.longTasks, lcpElement: medianRun.lcpElement } };
}

/** The machine, as the report must describe it. */
function machine(chromiumVersion) {
  const run = (command, args) => { try { return execFileSync(command, args, { encoding: 'utf8' }).trim(); } catch { return null; } };
  return {
    cpu_model: cpus()[0]?.model ?? null,
    cores: cpus().length,
    memory_bytes: totalmem(),
    kernel: release(),
    os: run('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
    chromium: chromiumVersion,
    rustc_wasm: run('rustc', ['--version']),
    rustc_native: run('rustc', ['+stable', '--version']),
    node: process.version,
    commit: run('git', ['rev-parse', '--short', 'HEAD']),
  };
}

async function hardwareConcurrency() {
  const page = await PlaygroundPage.open(browser, server.url, '');
  const cores = await page.page.evaluate(() => navigator.hardwareConcurrency);
  await page.close();
  return cores;
}

/** The wasm file Trunk wrote, raw and gzipped as a host would send it. */
function wasmSize() {
  const name = readdirSync(DIST).find((file) => file.endsWith('_bg.wasm'));
  const bytes = readFileSync(join(DIST, name));
  const jsName = readdirSync(DIST).find((file) => file.startsWith('concurrency-playground') && file.endsWith('.js'));
  // `gzip -9` (GNU gzip, as one precompresses files for a static host); its
  // deflate is its own, a little tighter than zlib's, which is reported too.
  const zlibGzip = (data) => gzipSync(data, { level: zlib.Z_BEST_COMPRESSION }).length;
  const gzip = (data) => {
    try {
      return execFileSync('gzip', ['-9c'], { input: data, maxBuffer: 64 << 20 }).length;
    } catch {
      return zlibGzip(data);
    }
  };
  const dist = readdirSync(DIST).filter((file) => statSync(join(DIST, file)).isFile());
  return {
    wasm_file: name,
    wasm_bytes: bytes.length,
    wasm_gzip_bytes: gzip(bytes),
    // What a host compressing on the fly more likely sends: gzip's default
    // level, and Brotli (quality 11, as precompressed).
    wasm_zlib9_bytes: zlibGzip(bytes),
    wasm_gzip6_bytes: gzipSync(bytes, { level: 6 }).length,
    wasm_brotli_bytes: brotliCompressSync(bytes).length,
    js_glue_bytes: jsName ? statSync(join(DIST, jsName)).size : null,
    js_glue_gzip_bytes: jsName ? gzip(readFileSync(join(DIST, jsName))) : null,
    dist_files_gzip_bytes: dist.reduce((sum, file) => sum + gzip(readFileSync(join(DIST, file))), 0),
  };
}

/**
 * Navigation start to the moment Run is enabled (the pool started, the
 * form parsed), on the page's own clock, each load in a fresh browser
 * context: nothing cached, the service worker not yet installed.
 */
async function interactiveMs() {
  const loads = [];
  for (let load = 0; load < INTERACTIVE_LOADS; load++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      // Two moments: the app mounted (the wasm compiled, instantiated and
      // rendered), and Run enabled (the thread pool's workers started too).
      const check = () => {
        const run = document.querySelector('[data-testid=run]');
        if (run && window.__mountedAt === undefined) window.__mountedAt = performance.now();
        if (run && !run.disabled && window.__runEnabledAt === undefined) window.__runEnabledAt = performance.now();
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.__runEnabledAt !== undefined, null, { timeout: 60_000 });
    const timing = await page.evaluate(() => {
      const [navigation] = performance.getEntriesByType('navigation');
      const wasm = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('.wasm'));
      return { run_enabled_ms: window.__runEnabledAt, mounted_ms: window.__mountedAt,
        wasm_response_end_ms: wasm?.responseEnd ?? null, dom_content_loaded_ms: navigation.domContentLoadedEventEnd,
        load_event_ms: navigation.loadEventEnd };
    });
    loads.push(timing);
    await context.close();
  }
  return loads;
}

/**
 * One fresh, undriven load of `query` with warm-up and repeats (see
 * undriven.mjs); every model must have run and matched its checksum.
 * A load whose thread pool failed to start is loaded again, at most
 * twice, and the failure kept for the report: wasm-bindgen-rayon's
 * `build_global` waits on the page's thread until every pool thread has
 * started, and throws there when one has not yet (Atomics.wait cannot
 * block the main thread), which a fresh load here hit once in ~40.
 */
async function autorun(query, hash) {
  let report;
  for (let attempt = 1; ; attempt++) {
    report = await runUndriven(server, undriven, `${query}&repeat=${REPEAT}&warmup=${WARMUP}&autorun=1`, hash);
    const failed = report.results.models.find((model) => model.error?.startsWith(POOL_FAILED));
    if (!failed || attempt === 3) break;
    log('the thread pool did not start; loading again:', failed.error);
    poolStartFailures.push({ query, error: failed.error });
  }
  for (const model of report.results.models) {
    if (model.error) throw new Error(`${model.id}: ${model.error}`);
    if (!model.checksum_ok) throw new Error(`${model.id}: checksum ${model.checksum} does not match`);
  }
  return report;
}

/**
 * `LOADS` fresh page loads of `query` (every model of one workload): the
 * slimmed results of each, or with `hash`, `{ results, js_fetch_ms }`.
 */
async function everyModel(query, hash, count = LOADS) {
  const loads = [];
  for (let load = 0; load < count; load++) {
    log(query, 'load', load + 1, 'of', count);
    const report = await autorun(query, hash);
    loads.push(hash ? { ...report, results: slim(report.results) } : slim(report.results));
  }
  return loads;
}

/**
 * Where a CPU model's median run went, from its own timeline (records of
 * spans of back-to-back tasks on the run's clock): when the first task
 * began, each lane's time in tasks and the span from its first task's start
 * to its last's end, and how long after the last task the run ended.
 */
function timeUse(tasks, elapsedMs) {
  const lanes = new Map();
  for (const { start_ms: start, end_ms: end, lane } of tasks) {
    const l = lanes.get(lane) ?? { busy_ms: 0, first_ms: Infinity, last_ms: 0 };
    l.busy_ms += end - start;
    l.first_ms = Math.min(l.first_ms, start);
    l.last_ms = Math.max(l.last_ms, end);
    lanes.set(lane, l);
  }
  const all = [...lanes.values()];
  const lastEnd = Math.max(...all.map((l) => l.last_ms));
  return { elapsed_ms: elapsedMs, first_task_ms: Math.min(...all.map((l) => l.first_ms)), tail_ms: elapsedMs - lastEnd,
    lanes: all.map((l) => ({ busy_ms: l.busy_ms, first_ms: l.first_ms, last_ms: l.last_ms })) };
}

/**
 * A mixed run's tasks as its median run recorded them: how many computed,
 * how long each computed on average, and the median request's wait (a
 * request's record has a status or an error; a computing record does not).
 */
function mixUse(tasks) {
  const isRequest = (record) => 'status' in record || 'error' in record;
  const computing = tasks.filter((record) => !isRequest(record));
  const computed = computing.reduce((sum, record) => sum + (record.count ?? 1), 0);
  const waits = tasks.filter(isRequest).map((record) => record.end_ms - record.start_ms).sort((a, b) => a - b);
  return { tasks: computed, compute_ms: computing.reduce((sum, r) => sum + r.end_ms - r.start_ms, 0) / Math.max(1, computed),
    wait_ms: waits.length ? waits[waits.length >> 1] : NaN };
}

/**
 * What the memory sampler and the timeline cost, measured in the page where
 * the `seq` model runs (a pool worker): the wasm export `measure_overhead`.
 */
async function browserOverhead(query) {
  const loads = [];
  for (let load = 0; load < LOADS; load++) {
    const page = await PlaygroundPage.open(browser, server.url, query);
    await page.waitForRunEnabled();
    const json = await page.page.evaluate(({ query, runs }) => window.wasmBindings.measure_overhead(query, runs),
      { query, runs: REPEAT * 3 });
    loads.push(JSON.parse(json));
    await page.close();
  }
  return loads;
}

/**
 * What one read of the clock costs in this browser: `performance.now()`
 * in a worker (where `seq` and `rayon` run) and on the page, in ns: what
 * sets how many tasks the recorder times as one span (engine/cpu/run.rs).
 */
async function clockCostNs() {
  const page = await PlaygroundPage.open(browser, server.url, '');
  await page.waitForRunEnabled();
  const cost = await page.page.evaluate(async () => {
    const loop = () => {
      const calls = 300_000;
      let sum = 0;
      const started = performance.now();
      for (let i = 0; i < calls; i++) sum += performance.now();
      return ((performance.now() - started) / calls) * 1e6 + (sum === 0 ? 1 : 0);
    };
    const source = `onmessage = () => postMessage((${loop.toString()})());`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const inWorker = await new Promise((resolve) => { worker.onmessage = (event) => resolve(event.data); worker.postMessage(0); });
    worker.terminate();
    return { worker_ns: inWorker, page_ns: loop() };
  });
  await page.close();
  return cost;
}

/**
 * CPython running the posts' workloads (python_peers.py): sieve and squares,
 * sync and on Pool(`cores`), `PYTHON_REPEAT` runs each; null without python3.
 */
function cpythonPeers(cores) {
  const script = new URL('./python_peers.py', import.meta.url).pathname;
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
  } catch {
    log('no python3 here: the CPython peers are left out');
    return null;
  }
  const runs = {};
  for (const workload of ['sieve', 'squares']) {
    runs[workload] = {};
    for (const mode of ['sync', 'pool']) {
      log('CPython', workload, mode);
      const out = execFileSync('python3', [script, workload, mode, String(cores), String(PYTHON_REPEAT)], { encoding: 'utf8' });
      runs[workload][mode] = JSON.parse(out.trim().split('\n').pop());
    }
  }
  return runs;
}

/** The figures the report needs from a results record; tasks and samples left out. */
function slim(results) {
  const cpu = !/(^|&)workload=(io|mixed)(&|$)/.test(results.config.query);
  const mixed = /(^|&)workload=mixed(&|$)/.test(results.config.query);
  const model = ({ tasks, memory_samples, js_heap_samples, ...rest }) => {
    if (cpu && tasks?.length && rest.median_ms != null) return { ...rest, time_use: timeUse(tasks, rest.median_ms) };
    if (mixed && tasks?.length) return { ...rest, mix_use: mixUse(tasks) };
    return rest;
  };
  return { config: results.config, environment: results.environment, models: results.models.map(model),
    sweep: results.sweep };
}
