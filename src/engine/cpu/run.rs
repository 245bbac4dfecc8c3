//! One run of one CPU model: the task loop every CPU model shares, and the
//! measurement around it.
//!
//! A [`CpuRun`] is created on the thread that waits for the run (the
//! page's main thread in the browser), takes the "before" readings, and is
//! shared with whatever threads execute tasks. Every model funnels each task
//! through [`CpuRun::run_task`], so they all record spans, sample memory,
//! honour Stop and add up checksums the same way. [`CpuRun::finish`]
//! takes the "after" readings on the waiting thread again, so elapsed time is
//! what the page waited, hand-offs included.

use super::fault::Fault;
use super::gil::Gil;
use super::gil_token::TokenLink;
use super::workload::{CpuWorkload, TaskProgress};
use crate::engine::measurement::probes::thread_id;
use crate::engine::measurement::records::{MemorySample, TaskRecord, TaskSpan};
use crate::engine::measurement::run_measurement::{GilFacts, RunMeasurement};
use crate::engine::measurement::run_window::{Instruments, RunWindow};
use crate::engine::measurement::sampling::MAX_SAMPLES;
use crate::engine::measurement::slots::TaskSlots;
use crate::sorting::sort_unique;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

/// What some tasks added up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub checksum: u128,
    pub tasks_done: usize,
}

impl std::ops::Add for Tally {
    type Output = Tally;
    fn add(self, other: Tally) -> Tally {
        Tally { checksum: self.checksum + other.checksum, tasks_done: self.tasks_done + other.tasks_done }
    }
}

/// A span shorter than this is not worth a clock read of its own: a read
/// costs 0.35-0.55 µs in a Chromium worker (bench/report.md), so tasks are
/// timed in runs of back-to-back tasks lasting at least this long, which
/// keeps the clock under 0.5 % of the work. Longer tasks are timed alone.
const MIN_SPAN_MS: f64 = 0.1;
/// The most tasks one span may stand for.
const MAX_TASKS_PER_SPAN: usize = 1024;

/// One thread's loop over consecutive tasks: what it has added up, and the
/// run of tasks it is timing as one span (`pending` of them from
/// `first_task`, set when the span's first task runs; started at `start_ms`). How many tasks a span takes adapts as the loop
/// goes: doubled while spans are shorter than `MIN_SPAN_MS`, halved when
/// they grow past four times that.
#[derive(Clone, Copy, Debug)]
struct Lane {
    lane: u32,
    tally: Tally,
    first_task: usize,
    pending: usize,
    start_ms: f64,
    tasks_per_span: usize,
}

/// How much work a worker instance of `gil` does between two looks at its
/// messages (a yield to its event loop costs tens of microseconds): the
/// token's checkpoint, a fifth of CPython's 5 ms switch interval.
pub const TOKEN_CHECK_MS: f64 = 1.0;

/// A `gil` instance's record of the tasks it finished: consecutive short
/// ones are timed together, as a lane's are (`MIN_SPAN_MS`).
struct TokenLane {
    lane: u32,
    tally: Tally,
    /// The span being timed: first task, count, start and end.
    run: Option<(usize, usize, f64, f64)>,
}

impl TokenLane {
    fn done(&mut self, run: &CpuRun, task: usize, start_ms: f64, end_ms: f64, result: u128) {
        self.tally = self.tally + Tally { checksum: result, tasks_done: 1 };
        self.run = match self.run {
            Some((first, count, span_start, _)) if first + count == task && end_ms - span_start < MIN_SPAN_MS => {
                Some((first, count + 1, span_start, end_ms))
            }
            _ => {
                self.close(run);
                Some((task, 1, start_ms, end_ms))
            }
        };
        if self.run.is_some_and(|(_, _, span_start, _)| end_ms - span_start >= MIN_SPAN_MS) {
            self.close(run);
        }
    }

    /// Records the span being timed, if any.
    fn close(&mut self, run: &CpuRun) {
        if let Some((first, count, start_ms, end_ms)) = self.run.take() {
            run.slots.record_run(first, count, start_ms, end_ms, self.lane);
            run.window.tasks_done(count);
        }
    }
}

/// The state one run shares between the waiting thread and the workers.
pub struct CpuRun {
    pub workload: CpuWorkload,
    /// Brought about at task 0, for tests (`fault=`).
    pub fault: Option<Fault>,
    slots: TaskSlots,
    window: RunWindow,
    /// The next task nobody has taken (the shared list `gil`'s threads
    /// take from, as a ThreadPoolExecutor's threads take from its queue).
    next: AtomicUsize,
}

impl CpuRun {
    /// Allocates the recorders, then takes the "before" readings and starts
    /// the clock, in that order: the recorders are not the workload's memory.
    pub fn start(workload: CpuWorkload, instruments: &Instruments) -> Arc<Self> {
        Self::start_with_fault(workload, instruments, None)
    }

    /// As [`CpuRun::start`], with a fault to bring about at task 0 (tests).
    pub fn start_with_fault(workload: CpuWorkload, instruments: &Instruments, fault: Option<Fault>) -> Arc<Self> {
        let slots = TaskSlots::new(workload.task_count());
        let window = RunWindow::open(instruments, None, MAX_SAMPLES, workload.task_count());
        Arc::new(Self { workload, fault, slots, window, next: AtomicUsize::new(0) })
    }

    /// One chunk of a run, inside a worker instance: slots for `tasks`
    /// only, recorded on the page's time line (`origin_ms`), with room for
    /// `sample_capacity` memory samples. Its loop is `run_sequential`'s, so
    /// its tasks are timed in spans just as `seq`'s are.
    pub fn start_chunk(
        workload: CpuWorkload,
        instruments: &Instruments,
        tasks: Range<usize>,
        origin_ms: f64,
        sample_capacity: usize,
        fault: Option<Fault>,
    ) -> Self {
        let slots = TaskSlots::covering(tasks.clone());
        let window = RunWindow::open(instruments, Some(origin_ms), sample_capacity, tasks.len());
        Self { workload, fault, slots, window, next: AtomicUsize::new(0) }
    }

    /// A chunk's records, in task order from its first, and its memory
    /// samples, once its loop has returned.
    pub fn finish_chunk(&self) -> (Vec<TaskRecord>, Vec<MemorySample>) {
        self.window.close();
        (self.slots.finished(), self.window.samples())
    }

    /// [`CpuRun::finish_chunk`], each record with the task it starts at.
    pub fn finish_chunk_indexed(&self) -> (Vec<(usize, TaskRecord)>, Vec<MemorySample>) {
        self.window.close();
        (self.slots.finished_indexed(), self.window.samples())
    }

    /// Absolute start time (the shared clock), for worker instances that
    /// record spans relative to it.
    pub fn origin_ms(&self) -> f64 {
        self.window.origin_ms()
    }

    pub fn now_ms(&self) -> f64 {
        self.window.now_ms()
    }

    pub fn is_cancelled(&self) -> bool {
        self.window.is_cancelled()
    }

    fn sample(&self, t_ms: f64, force: bool) {
        self.window.sample(t_ms, force);
    }

    /// Runs task `task`, sampling memory at its checkpoints, where
    /// `at_checkpoint` runs too (`gil` may hand its lock over there);
    /// `None` if Stop came first. It reads no clock: the loop around it
    /// times tasks.
    // [model-code: cpu-main cpu-seq cpu-rayon]
    fn run_task(&self, task: usize, at_checkpoint: &mut dyn FnMut()) -> Option<u128> {
        if self.is_cancelled() {
            return None;
        }
        if let (0, Some(fault)) = (task, self.fault) {
            fault.trigger();
        }
        self.workload.run_task(task, &mut || {
            at_checkpoint();
            self.sample(self.now_ms(), false);
            !self.is_cancelled()
        })
    }
    // [/model-code]

    /// A timed loop on the calling thread, starting now.
    fn open_lane(&self, lane: u32) -> Lane {
        Lane { lane, tally: Tally::default(), first_task: 0, pending: 0, start_ms: self.now_ms(), tasks_per_span: 1 }
    }

    /// Runs `task` as the next task of `lane`'s loop; the clock is read
    /// when the span it is timing has as many tasks as it should. Also
    /// returns whether the task ran (false: Stop came first).
    // [model-code: cpu-main cpu-seq cpu-rayon]
    fn run_in_lane(&self, lane: Lane, task: usize) -> (Lane, bool) {
        self.run_in_lane_with(lane, task, &mut || {})
    }

    fn run_in_lane_with(&self, mut lane: Lane, task: usize, at_checkpoint: &mut dyn FnMut()) -> (Lane, bool) {
        if lane.pending > 0 && lane.first_task + lane.pending != task {
            // Not the next task (a loop that skipped one): time what ran.
            lane = self.close_span(lane);
        }
        let Some(result) = self.run_task(task, at_checkpoint) else { return (lane, false) };
        if lane.pending == 0 {
            lane.first_task = task;
        }
        lane.pending += 1;
        lane.tally = lane.tally + Tally { checksum: result, tasks_done: 1 };
        if lane.pending >= lane.tasks_per_span {
            lane = self.close_span(lane);
        }
        (lane, true)
    }
    // [/model-code]

    /// Reads the clock and records the tasks run since the last read as one
    /// span (a lone task as its own), then samples memory.
    fn close_span(&self, mut lane: Lane) -> Lane {
        if lane.pending == 0 {
            return lane;
        }
        let end_ms = self.now_ms();
        self.slots.record_run(lane.first_task, lane.pending, lane.start_ms, end_ms, lane.lane);
        self.sample(end_ms, false);
        self.window.tasks_done(lane.pending);
        let span_ms = end_ms - lane.start_ms;
        if span_ms < MIN_SPAN_MS && lane.pending == lane.tasks_per_span {
            lane.tasks_per_span = (lane.tasks_per_span * 2).min(MAX_TASKS_PER_SPAN);
        } else if span_ms > 4.0 * MIN_SPAN_MS {
            lane.tasks_per_span = (lane.tasks_per_span / 2).max(1);
        }
        Lane { pending: 0, start_ms: end_ms, ..lane }
    }

    /// Times what is left of `lane`'s loop and returns its tally.
    fn close_lane(&self, lane: Lane) -> Tally {
        self.close_span(lane).tally
    }

    /// Records what a worker instance measured for the tasks from
    /// `first_task` on (its reply's records, in task order).
    pub fn record_reply(&self, first_task: usize, records: &[TaskRecord]) {
        let mut task = first_task;
        for record in records {
            let count = record.count();
            self.slots.record_run(task, count, record.start_ms(), record.end_ms(), record.lane());
            task += count;
        }
        self.window.tasks_done(task - first_task);
    }

    /// The `main`, `seq` and per-chunk `workers` shape: tasks in order on the
    /// calling thread, stopping at the first cancelled one.
    // [model-code: cpu-main cpu-seq]
    pub fn run_sequential(&self, tasks: Range<usize>, lane: u32) -> Tally {
        let mut timed = self.open_lane(lane);
        for task in tasks {
            let (next, ran) = self.run_in_lane(timed, task);
            timed = next;
            if !ran {
                break;
            }
        }
        self.close_lane(timed)
    }
    // [/model-code]

    /// The `rayon` shape: `par_iter` over all tasks on the current rayon pool
    /// (call it inside `pool.install` or a job spawned on the pool).
    ///
    /// `fold` runs each piece rayon splits off as one plain loop on one
    /// thread, timed as `run_sequential` times its loop; `map` closes the
    /// piece on the same thread right after its last task.
    // [model-code: cpu-rayon]
    pub fn run_par_iter(&self) -> Tally {
        (0..self.workload.task_count())
            .into_par_iter()
            .fold(|| self.open_lane(thread_id()), |lane, task| self.run_in_lane(lane, task).0)
            .map(|lane| self.close_lane(lane))
            .reduce(Tally::default, |a, b| a + b)
    }
    // [/model-code]

    /// The `gil` shape: one of k threads taking tasks from the shared list,
    /// running task code only while it holds `gil`. Between tasks, and at
    /// the task's own checkpoints, it hands the lock over when another
    /// thread has asked. Between tasks a span is closed before it waits;
    /// a wait inside a task (squares) stays inside that task's span, so the
    /// lock's holds (`gil_holds`, the timeline's GIL lane) are what show
    /// who ran when.
    // [model-code: cpu-gil]
    pub fn run_under_gil(&self, gil: &Gil, lane: u32) -> Tally {
        let now_ms = || self.now_ms();
        gil.take(lane, &now_ms);
        let mut timed = self.open_lane(lane);
        loop {
            if gil.drop_requested() {
                timed = self.close_span(timed);
                gil.yield_if_asked(lane, &now_ms);
                timed.start_ms = self.now_ms();
            }
            let task = self.next.fetch_add(1, Relaxed);
            if task >= self.workload.task_count() {
                break;
            }
            let (next, ran) = self.run_in_lane_with(timed, task, &mut || {
                gil.yield_if_asked(lane, &now_ms);
            });
            timed = next;
            if !ran {
                break;
            }
        }
        let tally = self.close_lane(timed);
        gil.release(lane, &now_ms);
        tally
    }

    /// k threads of the current rayon pool under one new GIL: k
    /// `rayon::scope` jobs, each [`Self::run_under_gil`]. Only they touch
    /// the lock; the caller waits for the scope. Returns their tally and
    /// the lock's figures.
    pub fn run_under_gil_on_pool(&self, threads: u32, switch_ms: u32) -> (Tally, GilFacts) {
        let gil = Gil::new(switch_ms);
        let tallies = std::sync::Mutex::new(Vec::new());
        rayon::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|_| {
                    let tally = self.run_under_gil(&gil, thread_id());
                    tallies.lock().unwrap_or_else(|e| e.into_inner()).push(tally);
                });
            }
        });
        let tallies = tallies.into_inner().unwrap_or_else(|e| e.into_inner());
        (tallies.into_iter().fold(Tally::default(), |a, b| a + b), gil.facts())
    }
    // [/model-code]

    /// The `gil` shape where threads cannot share memory: this worker
    /// instance, one of k, runs task code only while it holds the token the
    /// page keeps (`gil_token`). It asks for it, runs the tasks leased with
    /// it, and looks at its messages at least every [`TOKEN_CHECK_MS`] of
    /// work, between tasks and inside long ones; asked to drop the token, it
    /// gives it back with the tasks it had not started, asks again, and
    /// goes on where it paused once it holds it. Returns its tally, and when
    /// it held the token and when it waited for it.
    // [model-code: cpu-gil]
    pub async fn run_under_token(&self, link: &impl TokenLink, lane: u32) -> (Tally, Vec<TaskSpan>, Vec<TaskSpan>) {
        let (mut holds, mut waits) = (Vec::new(), Vec::new());
        let span = |start_ms: f64, end_ms: f64| TaskSpan { start_ms, end_ms, lane };
        let asked_ms = self.now_ms();
        let mut lease = link.want().await;
        let mut held_ms = self.now_ms();
        waits.push(span(asked_ms, held_ms));
        let mut timed = TokenLane { lane, tally: Tally::default(), run: None };
        let mut paused: Option<(usize, TaskProgress, f64)> = None;
        let mut looked_ms = held_ms;
        while !self.is_cancelled() {
            // The task paused at a checkpoint, else the lease's next, else more.
            let (task, mut progress, started_ms) = match paused.take() {
                Some(paused) => paused,
                None => match lease.next() {
                    Some(task) => (task, TaskProgress::default(), self.now_ms()),
                    None => match link.more().await {
                        Some(more) => {
                            lease = more;
                            continue;
                        }
                        None => break,
                    },
                },
            };
            let mut look = false;
            let outcome = self.workload.run_task_from(task, &mut progress, &mut || {
                let now_ms = self.now_ms();
                self.sample(now_ms, false);
                look = now_ms - looked_ms >= TOKEN_CHECK_MS || self.is_cancelled();
                !look
            });
            match outcome {
                Some(result) => timed.done(self, task, started_ms, self.now_ms(), result),
                None => paused = Some((task, progress, started_ms)),
            }
            if look || self.now_ms() - looked_ms >= TOKEN_CHECK_MS {
                timed.close(self);
                link.yield_now().await;
                looked_ms = self.now_ms();
                if link.drop_requested() {
                    holds.push(span(held_ms, looked_ms));
                    link.release(std::mem::replace(&mut lease, 0..0));
                    lease = link.want().await;
                    held_ms = self.now_ms();
                    waits.push(span(looked_ms, held_ms));
                    looked_ms = held_ms;
                }
            }
        }
        timed.close(self);
        holds.push(span(held_ms, self.now_ms()));
        (timed.tally, holds, waits)
    }
    // [/model-code]

    /// The `async` shape: each task a coroutine that awaits
    /// `yield_now()` after its work (asyncio's `await asyncio.sleep(0)`),
    /// so the event loop runs between tasks. Gathered coroutines run in
    /// this order: each to its first await, the loop, the next. Returns
    /// the tally and the yields made.
    // [model-code: cpu-async]
    pub async fn run_yielding<F: std::future::Future<Output = ()>>(
        &self,
        lane: u32,
        mut yield_now: impl FnMut() -> F,
    ) -> (Tally, u32) {
        let (mut tally, mut yields) = (Tally::default(), 0);
        for task in 0..self.workload.task_count() {
            let timed = self.open_lane(lane);
            let (timed, ran) = self.run_in_lane(timed, task);
            tally = tally + self.close_lane(timed);
            if !ran {
                break;
            }
            yield_now().await;
            yields += 1;
        }
        (tally, yields)
    }
    // [/model-code]

    /// The `async_noawait` shape: every task a coroutine that never awaits,
    /// all gathered (`asyncio.gather`): a coroutine runs to its end when
    /// first polled, so they run one after another in one poll, and the
    /// event loop gets nothing until all are done.
    // [model-code: cpu-async_noawait]
    pub async fn run_gathered_without_awaits(&self, lane: u32) -> Tally {
        let coroutines = (0..self.workload.task_count()).map(|task| async move {
            let timed = self.open_lane(lane);
            let (timed, _) = self.run_in_lane(timed, task);
            self.close_lane(timed)
        });
        let tallies = futures_util::future::join_all(coroutines).await;
        tallies.into_iter().fold(Tally::default(), |a, b| a + b)
    }
    // [/model-code]

    /// Takes the "after" readings, then assembles the measurement: in that
    /// order, so the span and sample lists built here are not counted.
    pub fn finish(&self, tally: Tally) -> RunMeasurement {
        let closing = self.window.close();
        let tasks = self.slots.finished();
        let mut lanes: Vec<u32> = tasks.iter().map(TaskRecord::lane).collect();
        sort_unique(&mut lanes);
        let threads_used = lanes.len();
        RunMeasurement {
            checksum: tally.checksum,
            tasks_done: tally.tasks_done,
            partial: tally.tasks_done < self.workload.task_count(),
            threads_used,
            tasks,
            ..self.window.measurement(&closing)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cpu::workload::{Sieve, Squares};
    use crate::engine::measurement::probes::{NativeClock, NativeMemory};
    use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

    fn context(workload: CpuWorkload) -> Arc<CpuRun> {
        CpuRun::start(workload, &Instruments::native())
    }

    #[test]
    fn sequential_run_records_every_task_on_one_lane() {
        let workload = CpuWorkload::Sieve(Sieve { from: 100, to: 400 });
        let run = context(workload);
        let measurement = run.finish(run.run_sequential(0..workload.task_count(), 7));
        assert_eq!(measurement.checksum, workload.expected_checksum());
        assert_eq!(measurement.tasks.iter().map(TaskRecord::count).sum::<usize>(), 300, "every task once");
        assert!(measurement.tasks.iter().all(|span| span.lane() == 7 && span.end_ms() >= span.start_ms()));
        let ends_then_starts = measurement.tasks.windows(2).all(|pair| pair[0].end_ms() <= pair[1].start_ms());
        assert!(ends_then_starts, "spans follow each other");
        assert_eq!(measurement.threads_used, 1);
        assert!(!measurement.partial);
        assert!(measurement.memory_samples.len() >= 2, "start and end are always sampled");
    }

    #[test]
    fn short_tasks_are_timed_in_runs_and_long_ones_alone() {
        // Sieves up to 2000 take a few microseconds natively: far below
        // MIN_SPAN_MS, so spans grow to many tasks each.
        let short = CpuWorkload::Sieve(Sieve { from: 2, to: 2002 });
        let run = context(short);
        let measurement = run.finish(run.run_sequential(0..short.task_count(), 0));
        assert_eq!(measurement.tasks.iter().map(TaskRecord::count).sum::<usize>(), 2000);
        assert!(measurement.tasks.len() < 500, "{} records for 2000 short tasks", measurement.tasks.len());
        assert!(measurement.tasks.iter().any(|record| record.count() >= 8));
        // Each squares task here is a loop of two million: milliseconds.
        let long = CpuWorkload::Squares(Squares { base: 2_000_000, count: 4 });
        let run = context(long);
        let measurement = run.finish(run.run_sequential(0..4, 0));
        assert_eq!(measurement.checksum, long.expected_checksum());
        assert_eq!(measurement.tasks.len(), 4, "one span per long task");
    }

    #[test]
    fn par_iter_uses_several_threads_of_the_pool() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let workload = CpuWorkload::Squares(Squares { base: 2_000_000, count: 8 });
        let run = context(workload);
        let tally = pool.install(|| run.run_par_iter());
        let measurement = run.finish(tally);
        assert_eq!(measurement.checksum, workload.expected_checksum());
        assert_eq!(measurement.threads_used, 2);
    }

    #[test]
    fn cancel_stops_the_run_and_marks_it_partial() {
        let cancel = Arc::new(AtomicBool::new(false));
        let workload = CpuWorkload::Sieve(Sieve { from: 0, to: 1000 });
        let run = CpuRun::start(workload, &Instruments::new(&NativeClock, &NativeMemory, cancel.clone()));
        let first = run.run_sequential(0..10, 0);
        cancel.store(true, Relaxed);
        let rest = run.run_sequential(10..1000, 0);
        let measurement = run.finish(first + rest);
        assert_eq!(measurement.tasks_done, 10);
        assert!(measurement.partial);
        assert_eq!(measurement.tasks.iter().map(TaskRecord::count).sum::<usize>(), 10, "the 10 that ran, timed");
    }
}
