// Where a `workers` run's CPU time goes, from the kernel's scheduler: one
// undriven load traced with ftrace (sched_switch, sched_wakeup), then, for
// each measured run, how long each worker instance was on a CPU, how long it
// was ready but kept off one (preempted, or woken and not yet running), how
// long a CPU sat idle, and which other threads ran. The page's own timeline
// cannot see any of this: a span is wall time, whoever held the CPU.
// Stops at the summary; report.mjs words it. Needs root and tracefs (Linux);
// elsewhere it returns `{ skipped }`.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { median } from './report.mjs';

const TRACEFS = '/sys/kernel/tracing';
const EVENTS = ['sched/sched_switch', 'sched/sched_wakeup'];
// Per CPU; a load of ~3 s writes ~2 MB of events in all.
const BUFFER_KB = 32768;
// An instance's on-CPU slices closer than this belong to one run: between
// runs the page waits for a paint and 30 ms (browser/executor.rs).
const SAME_RUN_GAP_S = 0.004;
// Chromium names its worker threads so (Linux keeps 15 characters).
const WORKER_THREAD = 'DedicatedWorker';
// Chromium's processes' name, which a new thread bears until it names
// itself (pthread_setname_np), and which one that never does keeps.
const PROCESS_NAME = 'chromium';
const unnamed = (role) => role.endsWith(` ${PROCESS_NAME}`);

const SWITCH = /\[(\d+)\].*?\s(\d+\.\d+): sched_switch: prev_comm=(.*?) prev_pid=(\d+) .*?prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)/;
const WAKEUP = /\s(\d+\.\d+): sched_wakeup: comm=(.*?) pid=(\d+) /;

/**
 * Traces one page load, `load()` (the bench's own, with its checks: it must
 * run `seq` then `workers` on `k` instances, `repeat` measured runs each,
 * and resolve to what the page reported), and summarises the measured
 * `workers` runs.
 */
export async function traceWorkersLoad({ load, k, repeat }) {
  const unavailable = tracefsUnavailable();
  if (unavailable) return { skipped: unavailable };
  const write = (file, value) => writeFileSync(`${TRACEFS}/${file}`, String(value));
  const bufferBefore = readFileSync(`${TRACEFS}/buffer_size_kb`, 'utf8').trim().replace(/\D.*$/, '');
  const roles = new Map();
  const sampler = setInterval(() => noteChromiumThreads(roles), 300);
  let report, text;
  try {
    write('tracing_on', 0);
    write('trace', '');
    write('buffer_size_kb', BUFFER_KB);
    for (const event of EVENTS) write(`events/${event}/enable`, 1);
    write('tracing_on', 1);
    report = await load();
  } finally {
    clearInterval(sampler);
    write('tracing_on', 0);
    text = readFileSync(`${TRACEFS}/trace`, 'utf8');
    for (const event of EVENTS) write(`events/${event}/enable`, 0);
    write('trace', '');
    write('buffer_size_kb', bufferBefore || 1408);
  }
  const modelMedian = (id) => report.results.models.find((model) => model.id === id)?.median_ms ?? null;
  return { query: report.results.config.query, seq_median_ms: modelMedian('seq'), workers_median_ms: modelMedian('workers'),
    ...summarise(text, roles, k, repeat) };
}

/** Why tracing cannot run here, or null. Mounts tracefs when it can. */
function tracefsUnavailable() {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (ftrace needs it)';
  if (!existsSync(`${TRACEFS}/trace`)) {
    try {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { stdio: 'ignore' });
    } catch {
      return `no tracefs at ${TRACEFS}`;
    }
  }
  return existsSync(`${TRACEFS}/events/sched/sched_switch/enable`) ? null : 'no sched events in tracefs';
}

/** Each live Chromium thread's role ("renderer main", "gpu-process VizCompositorTh", ...), by thread id. */
function noteChromiumThreads(roles) {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== PROCESS_NAME) continue;
      const type = readFileSync(`/proc/${pid}/cmdline`, 'utf8').match(/--type=([a-z-]+)/)?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const known = roles.get(Number(tid));
        // Read again while it has no name of its own (below).
        if (known && !unnamed(known)) continue;
        const name = tid === pid ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim().replace(/\d+$/, '');
        roles.set(Number(tid), `${type} ${name}`);
      }
    } catch {
      // The process ended while being read.
    }
  }
}

/** On-CPU slices and ready-but-waiting intervals from the trace; then per run. */
export function summarise(text, roles, k, repeat) {
  const names = new Map();
  const running = new Map(); // cpu -> [tid, since]
  const slices = new Map(); // tid -> [[start, end]]
  const events = []; // [time, tid, kind] for every thread
  for (const line of text.split('\n')) {
    const s = SWITCH.exec(line);
    if (s) {
      const [cpu, time, prevComm, prevPid, prevState, nextComm, nextPid] =
        [Number(s[1]), Number(s[2]), s[3], Number(s[4]), s[5], s[6], Number(s[7])];
      names.set(prevPid, prevComm);
      names.set(nextPid, nextComm);
      const on = running.get(cpu);
      if (on) (slices.get(on[0]) ?? slices.set(on[0], []).get(on[0])).push([on[1], time]);
      running.set(cpu, [nextPid, time]);
      events.push([time, prevPid, prevState.startsWith('R') ? 'preempted' : 'slept'], [time, nextPid, 'in']);
      continue;
    }
    const w = WAKEUP.exec(line);
    if (w) events.push([Number(w[1]), Number(w[3]), 'woken']);
  }
  const cpuMs = (tid) => 1000 * (slices.get(tid) ?? []).reduce((sum, [a, b]) => sum + b - a, 0);
  // The instances: the last k worker threads to start that did real work
  // (the rayon pool's threads start with the page; the instances when
  // `workers` is prepared, after `seq` has run).
  const instances = [...slices.keys()]
    .filter((tid) => names.get(tid)?.startsWith(WORKER_THREAD) && cpuMs(tid) >= 30)
    .sort((a, b) => slices.get(a)[0][0] - slices.get(b)[0][0] || a - b)
    .slice(-k);
  if (instances.length < k) return { skipped: `found ${instances.length} busy worker threads, not ${k}` };
  const runs = [];
  for (const [start, end] of instances.flatMap((tid) => slices.get(tid)).sort((a, b) => a[0] - b[0])) {
    const last = runs.at(-1);
    if (last && start - last[1] < SAME_RUN_GAP_S) last[1] = Math.max(last[1], end);
    else runs.push([start, end]);
  }
  // The measured runs are the last `repeat` (warm-up first; the instances' start-up is shorter).
  const measured = runs.filter(([a, b]) => b - a >= 0.01).slice(-repeat);
  const waits = readyIntervals(events, new Set(instances));
  const overlap = (a0, a1, b0, b1) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  const role = (tid) => {
    if (tid === 0) return 'idle CPU';
    const traced = names.get(tid)?.replace(/\d+$/, '');
    const sampled = roles.get(tid);
    if (!sampled) return traced ?? String(tid);
    // A thread sampled before it named itself still bears its process's
    // name; the trace saw the name it took later, if it took one.
    if (!unnamed(sampled)) return sampled;
    const type = sampled.slice(0, sampled.indexOf(' '));
    return traced && traced !== PROCESS_NAME ? `${type} ${traced}` : `${type} thread with no name`;
  };
  const perRun = measured.map(([w0, w1]) => {
    const others = {};
    for (const [tid, list] of slices) {
      if (instances.includes(tid)) continue;
      const ms = 1000 * list.reduce((sum, [a, b]) => sum + overlap(a, b, w0, w1), 0);
      if (ms > 0) others[role(tid)] = (others[role(tid)] ?? 0) + ms;
    }
    const lane = (tid) => {
      // From just before the run: the message that starts it wakes the instance.
      const sum = (kind) => 1000 * (waits.get(tid) ?? []).filter(([, , why]) => why === kind)
        .reduce((s, [a, b]) => s + overlap(a, b, w0 - SAME_RUN_GAP_S, w1), 0);
      const onCpu = 1000 * slices.get(tid).reduce((s, [a, b]) => s + overlap(a, b, w0, w1), 0);
      return { on_cpu_ms: onCpu, preempted_ms: sum('preempted'), woken_waiting_ms: sum('woken') };
    };
    return { run_ms: 1000 * (w1 - w0), instances: instances.map(lane), others_ms: others };
  });
  return summary(perRun);
}

/** Each thread's intervals of ready-but-not-running: from a preemption or a wake-up to its next switch-in. */
function readyIntervals(events, tids) {
  events.sort((a, b) => a[0] - b[0]);
  const since = new Map();
  const intervals = new Map();
  for (const [time, tid, kind] of events) {
    if (!tids.has(tid)) continue;
    if (kind === 'preempted' || kind === 'woken') {
      if (!since.has(tid)) since.set(tid, [time, kind]);
    } else if (kind === 'in') {
      const from = since.get(tid);
      if (from) (intervals.get(tid) ?? intervals.set(tid, []).get(tid)).push([from[0], time, from[1]]);
      since.delete(tid);
    } else {
      since.delete(tid);
    }
  }
  return intervals;
}

/** Medians over the measured runs, the other threads' biggest shares first. */
function summary(perRun) {
  const med = (values) => {
    const middle = median(values);
    return middle == null ? null : round(middle);
  };
  const roleNames = [...new Set(perRun.flatMap((run) => Object.keys(run.others_ms)))];
  const others = roleNames.map((name) => [name, med(perRun.map((run) => run.others_ms[name] ?? 0))])
    .filter(([, ms]) => ms >= 0.1).sort((a, b) => b[1] - a[1]);
  const perInstance = (field) => med(perRun.flatMap((run) => run.instances.map((lane) => lane[field])));
  return {
    runs: perRun.length,
    run_ms: med(perRun.map((run) => run.run_ms)),
    instance_on_cpu_ms: perInstance('on_cpu_ms'),
    instance_preempted_ms: perInstance('preempted_ms'),
    instance_woken_waiting_ms: perInstance('woken_waiting_ms'),
    others_ms: Object.fromEntries(others),
    per_run: perRun.map((run) => ({
      run_ms: round(run.run_ms),
      instances: run.instances.map((lane) => Object.fromEntries(Object.entries(lane).map(([key, v]) => [key, round(v)]))),
      others_ms: Object.fromEntries(Object.entries(run.others_ms).filter(([, v]) => v >= 0.1).map(([key, v]) => [key, round(v)])),
    })),
  };
}

const round = (value) => Math.round(value * 100) / 100;
