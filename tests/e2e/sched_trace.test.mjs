// The benchmark's scheduler-trace reading (bench/sched_trace.mjs) on a
// trace written by hand: which threads are the instances, what a run was,
// and who held the CPUs. No browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarise } from '../bench/sched_trace.mjs';

// One ftrace sched_switch line, as /sys/kernel/tracing/trace prints it.
const at = (seconds) => seconds.toFixed(6);
const name = (tid) => ({ 0: 'swapper', 10: 'chromium', 20: 'ThreadPoolForeg', 30: 'chromium' })[tid] ?? 'DedicatedWorker';
const switchLine = (cpu, seconds, prev, prevState, next) =>
  `  ${name(prev)}-${prev} [00${cpu}] d..2. ${at(seconds)}: sched_switch: prev_comm=${name(prev)} prev_pid=${prev} `
  + `prev_prio=120 prev_state=${prevState} ==> next_comm=${name(next)} next_pid=${next} next_prio=120`;
const wakeLine = (seconds, tid) =>
  `  swapper-0 [000] dNh5. ${at(seconds)}: sched_wakeup: comm=${name(tid)} pid=${tid} prio=120 target_cpu=000`;

test('a traced workers run: the instances, their time on and off the CPUs, and who else ran', () => {
  const trace = [
    // A rayon pool thread, busy from the page's start: not an instance.
    switchLine(0, 0.0, 0, 'R', 50),
    switchLine(0, 0.05, 50, 'S', 0),
    // The run: instance 101 on CPU 0 for 40 ms; instance 102 on CPU 1,
    // preempted for 5 ms by the page's main thread (10), then back.
    wakeLine(0.999, 101),
    wakeLine(0.999, 102),
    switchLine(0, 1.0, 0, 'R', 101),
    switchLine(1, 1.0, 0, 'R', 102),
    switchLine(1, 1.03, 102, 'R', 10),
    switchLine(1, 1.035, 10, 'S', 102),
    // Two renderer threads the sampler saw before they had names: one
    // named itself later (20), one never did (30).
    switchLine(0, 1.04, 101, 'S', 20),
    switchLine(0, 1.042, 20, 'S', 30),
    switchLine(0, 1.043, 30, 'S', 0),
    switchLine(1, 1.05, 102, 'S', 0),
    switchLine(0, 2.0, 0, 'R', 10),
  ].join('\n');
  const summary = summarise(trace, new Map([[10, 'renderer main'], [20, 'renderer chromium'], [30, 'renderer chromium']]), 2, 1);
  assert.equal(summary.runs, 1);
  assert.equal(summary.run_ms, 50);
  assert.deepEqual(summary.per_run[0].instances.map((lane) => lane.on_cpu_ms), [40, 45]);
  assert.deepEqual(summary.per_run[0].instances.map((lane) => lane.preempted_ms), [0, 5]);
  // Woken 1 ms before each started.
  assert.deepEqual(summary.per_run[0].instances.map((lane) => lane.woken_waiting_ms), [1, 1]);
  // CPU 0 after instance 101 ran out of work: the two unnamed-when-sampled
  // threads, then idle; the main thread's 5 ms.
  const others = Object.fromEntries(Object.entries(summary.per_run[0].others_ms).map(([who, ms]) => [who, Math.round(ms * 1000) / 1000]));
  assert.deepEqual(others, { 'idle CPU': 7, 'renderer main': 5, 'renderer ThreadPoolForeg': 2, 'renderer thread with no name': 1 });
});

test('a trace without enough busy worker threads says so instead of guessing', () => {
  const trace = [switchLine(0, 0.0, 0, 'R', 101), switchLine(0, 0.05, 101, 'S', 0)].join('\n');
  assert.match(summarise(trace, new Map(), 2, 5).skipped, /found 1 busy worker threads, not 2/);
});
