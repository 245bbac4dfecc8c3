//! The shapes models run tasks in: in order, gathered, at most k at once,
//! on blocking threads (under a GIL or not), rayon's `par_iter`, yielding
//! coroutines, and a `gil` instance holding the page's token. Each runs any
//! task, step by step, through [`ModelRun`]'s task loop: a shape says only
//! who takes which task, on which lane, and how a wait is made (blocking
//! or awaited). Where the threads come from is the executors'.

use super::lane::{Lane, TokenLane};
use super::run::ModelRun;
use super::step::{steps, Step};
use crate::engine::cpu::gil::Gil;
use crate::engine::cpu::gil_token::TokenLink;
use crate::engine::cpu::kernel::ComputeProgress;
use crate::engine::io::fetch::{BlockingFetcher, Fetcher};
use crate::engine::measurement::probes::thread_id;
use crate::engine::measurement::records::TaskSpan;
use crate::engine::measurement::run_measurement::GilFacts;
use crate::engine::measurement::slots::AtomicSum;
use rayon::prelude::*;
use std::ops::Range;

/// How much work a worker instance of `gil` does between two looks at its
/// messages (a yield to its event loop costs tens of microseconds): the
/// token's checkpoint, a fifth of CPython's 5 ms switch interval.
pub const TOKEN_CHECK_MS: f64 = 1.0;

/// Which lane a gathered task's records go in.
#[derive(Clone, Copy, Debug)]
pub enum Lanes {
    /// All on one (a thread's coroutines: `async_noawait`).
    One(u32),
    /// Each task its own, numbered from the run's first task (`all`: each
    /// request in flight has a slot).
    PerTask,
}

impl ModelRun {
    /// In order on a thread that may block, each task after the one
    /// before, stopping at the first Stop: `main`, `seq`, and a worker
    /// instance's chunk. Returns what the tasks computed.
    // [model-code: cpu-main cpu-seq cpu-workers cpu-executor]
    pub fn run_sequential(&self, tasks: Range<usize>, lane: u32, net: &impl BlockingFetcher) -> u128 {
        let wait = |url: &str| net.fetch_blocking(url);
        let mut timed = Lane::open(self, lane);
        for task in tasks {
            let (next, ran) = self.run_task_blocking(timed, task, &wait, &mut || {});
            timed = next;
            if !ran {
                break;
            }
        }
        timed.close(self)
    }
    // [/model-code]

    /// In order on an event loop, each task awaited before the next: IO
    /// `seq`, and `procs`' one task at a time in an instance.
    // [model-code: io-seq io-procs]
    pub async fn run_in_turn(&self, tasks: Range<usize>, lane: u32, fetcher: &impl Fetcher) -> u128 {
        let mut timed = Lane::open(self, lane);
        for task in tasks {
            let (next, ran) = self.run_task_async(timed, task, fetcher).await;
            timed = next;
            if !ran {
                break;
            }
        }
        timed.close(self)
    }
    // [/model-code]

    /// Every task a coroutine, all started and joined (`asyncio.gather`):
    /// `all`, each worker instance's share of `workers`, and
    /// `async_noawait`, whose coroutines never await, so they run one after
    /// another in one poll and the event loop gets nothing until all are done.
    // [model-code: io-all io-workers cpu-async_noawait]
    pub async fn run_gathered(&self, lanes: Lanes, fetcher: &impl Fetcher) -> u128 {
        let first = self.tasks().start;
        let coroutines = self.tasks().map(|task| async move {
            let lane = match lanes {
                Lanes::One(lane) => lane,
                Lanes::PerTask => (task - first) as u32,
            };
            let (timed, _) = self.run_task_async(Lane::open(self, lane), task, fetcher).await;
            timed.close(self)
        });
        futures_util::future::join_all(coroutines).await.into_iter().sum()
    }
    // [/model-code]

    /// k lanes on an event loop, each taking the next task when its last
    /// one ends, so at most k are in flight (ThreadPoolExecutor(max_workers=k)'s
    /// pace, or asyncio with a Semaphore(k)): `bounded`.
    // [model-code: io-bounded]
    pub async fn run_bounded(&self, k: u32, fetcher: &impl Fetcher) -> u128 {
        let lanes = (0..k.max(1).min(self.tasks().len() as u32)).map(|lane| async move {
            let mut timed = Lane::open(self, lane);
            while let Some(task) = self.take_next() {
                timed = self.run_task_async(timed, task, fetcher).await.0;
            }
            timed.close(self)
        });
        futures_util::future::join_all(lanes).await.into_iter().sum()
    }
    // [/model-code]

    /// One of k threads taking tasks from the shared queue until none is
    /// left, blocked in each wait (`threads`: a thread blocked in
    /// requests.get). Under a `gil` it runs task code only while it holds
    /// the lock: between tasks, and at a task's own checkpoints, it hands
    /// the lock over when another thread has asked, and it lets go of it
    /// while it waits, as CPython does around blocking IO. Between tasks a
    /// span is closed before it waits for the lock; a wait inside a task
    /// stays inside that task's span, so the lock's holds (`gil_holds`, the
    /// timeline's GIL lane) are what show who ran when.
    // [model-code: io-threads io-gil cpu-gil]
    pub fn run_blocking_lane(&self, lane: u32, gil: Option<&Gil>, net: &impl BlockingFetcher) -> u128 {
        let now_ms = || self.now_ms();
        let wait = |url: &str| {
            if let Some(gil) = gil {
                gil.release(lane, &now_ms);
            }
            let outcome = net.fetch_blocking(url);
            if let Some(gil) = gil {
                gil.take(lane, &now_ms);
            }
            outcome
        };
        if let Some(gil) = gil {
            gil.take(lane, &now_ms);
        }
        let mut timed = Lane::open(self, lane);
        loop {
            if let Some(gil) = gil.filter(|gil| gil.drop_requested()) {
                timed = timed.close_span(self);
                gil.yield_if_asked(lane, &now_ms);
                timed.start_ms = self.now_ms();
            }
            let Some(task) = self.take_next() else { break };
            let (next, ran) = self.run_task_blocking(timed, task, &wait, &mut || {
                if let Some(gil) = gil {
                    gil.yield_if_asked(lane, &now_ms);
                }
            });
            timed = next;
            if !ran {
                break;
            }
        }
        let checksum = timed.close(self);
        if let Some(gil) = gil {
            gil.release(lane, &now_ms);
        }
        checksum
    }

    /// k threads of the current rayon pool under one new GIL: k
    /// `rayon::scope` jobs, each [`Self::run_blocking_lane`]. Only they
    /// touch the lock; the caller waits for the scope. Returns what they
    /// computed and the lock's figures.
    pub fn run_under_gil_on_pool(
        &self,
        threads: u32,
        switch_ms: u32,
        net: &(impl BlockingFetcher + Sync),
    ) -> (u128, GilFacts) {
        let gil = Gil::new(switch_ms);
        let computed = AtomicSum::default();
        rayon::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|_| computed.add(self.run_blocking_lane(thread_id(), Some(&gil), net)));
            }
        });
        (computed.get(), gil.facts())
    }
    // [/model-code]

    /// `par_iter` over all tasks on the current rayon pool (call it inside
    /// `pool.install` or a job spawned on the pool): `rayon`.
    ///
    /// `fold` runs each piece rayon splits off as one plain loop on one
    /// thread, timed as `run_sequential` times its loop; `map` closes the
    /// piece on the same thread right after its last task.
    // [model-code: cpu-rayon]
    pub fn run_par_iter(&self, net: &(impl BlockingFetcher + Sync)) -> u128 {
        let wait = |url: &str| net.fetch_blocking(url);
        self.tasks()
            .into_par_iter()
            .fold(
                || Lane::open(self, thread_id()),
                |lane, task| self.run_task_blocking(lane, task, &wait, &mut || {}).0,
            )
            .map(|lane| lane.close(self))
            .sum()
    }
    // [/model-code]

    /// Each task a coroutine that awaits `yield_now()` after its work
    /// (asyncio's `await asyncio.sleep(0)`), so the event loop runs between
    /// tasks: `async`. Gathered coroutines run in this order: each to its
    /// first await, the loop, the next. Returns what the tasks computed and
    /// the yields made.
    // [model-code: cpu-async]
    pub async fn run_yielding<F: std::future::Future<Output = ()>>(
        &self,
        lane: u32,
        mut yield_now: impl FnMut() -> F,
        fetcher: &impl Fetcher,
    ) -> (u128, u32) {
        let (mut checksum, mut yields) = (0, 0);
        for task in self.tasks() {
            let (timed, ran) = self.run_task_async(Lane::open(self, lane), task, fetcher).await;
            checksum += timed.close(self);
            if !ran {
                break;
            }
            yield_now().await;
            yields += 1;
        }
        (checksum, yields)
    }
    // [/model-code]

    /// The `gil` shape where threads cannot share memory: this worker
    /// instance, one of k, runs task code only while it holds the token the
    /// page keeps (`gil_token`). It asks for it, runs the tasks leased with
    /// it, and looks at its messages at least every [`TOKEN_CHECK_MS`] of
    /// work, between tasks and inside long ones; asked to drop the token, it
    /// gives it back with the tasks it had not started, asks again, and
    /// goes on where it paused once it holds it. It gives the token back
    /// while it waits for a request, too. Returns what it computed, and
    /// when it held the token and when it waited for it.
    // [model-code: cpu-gil]
    pub async fn run_under_token(
        &self,
        link: &impl TokenLink,
        lane: u32,
        fetcher: &impl Fetcher,
    ) -> (u128, Vec<TaskSpan>, Vec<TaskSpan>) {
        let (mut holds, mut waits) = (Vec::new(), Vec::new());
        let span = |start_ms: f64, end_ms: f64| TaskSpan { start_ms, end_ms, lane };
        let asked_ms = self.now_ms();
        let mut lease = link.want().await;
        let mut held_ms = self.now_ms();
        waits.push(span(asked_ms, held_ms));
        let mut timed = TokenLane::new(lane);
        // A task under way: its number, its next step, where that step
        // paused, and when the step started.
        let mut paused: Option<(usize, usize, ComputeProgress, f64)> = None;
        let mut looked_ms = held_ms;
        while !self.is_cancelled() {
            let (task, index, mut progress, started_ms) = match paused.take() {
                Some(paused) => paused,
                None => match lease.next() {
                    Some(task) => (task, 0, ComputeProgress::default(), self.now_ms()),
                    None => match link.more().await {
                        Some(more) => {
                            lease = more;
                            continue;
                        }
                        None => break,
                    },
                },
            };
            let Some(step) = steps(&self.workload, task).nth(index) else { continue };
            let last = steps(&self.workload, task).nth(index + 1).is_none();
            let mut look = false;
            match step {
                Step::Compute(compute) => {
                    let outcome = self.compute_from(task, compute, &mut progress, &mut || {
                        look = self.now_ms() - looked_ms >= TOKEN_CHECK_MS || self.is_cancelled();
                        !look
                    });
                    match outcome {
                        Some(result) => {
                            timed.computed(self, task, started_ms, self.now_ms(), result, last);
                            if !last {
                                paused = Some((task, index + 1, ComputeProgress::default(), self.now_ms()));
                            }
                        }
                        None => paused = Some((task, index, progress, started_ms)),
                    }
                }
                Step::Wait => {
                    // Python lets go of the GIL around blocking IO.
                    timed.close(self);
                    let released_ms = self.now_ms();
                    holds.push(span(held_ms, released_ms));
                    link.release(std::mem::replace(&mut lease, 0..0));
                    self.begin_wait(task, lane);
                    let outcome = fetcher.fetch(self.url(task)).await;
                    self.end_wait(task, &outcome);
                    if last {
                        self.count_done(1);
                    }
                    let asked_ms = self.now_ms();
                    lease = link.want().await;
                    held_ms = self.now_ms();
                    waits.push(span(asked_ms, held_ms));
                    looked_ms = held_ms;
                    if !last {
                        paused = Some((task, index + 1, ComputeProgress::default(), held_ms));
                    }
                    continue;
                }
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
        (timed.checksum, holds, waits)
    }
    // [/model-code]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cpu::workload::{CpuWorkload, Sieve, Squares};
    use crate::engine::io::fetch::NoNetwork;
    use crate::engine::measurement::probes::{NativeClock, NativeMemory};
    use crate::engine::measurement::records::TaskRecord;
    use crate::engine::measurement::run_window::Instruments;
    use crate::engine::workload::Workload;
    use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
    use std::sync::Arc;

    fn context(workload: CpuWorkload) -> Arc<ModelRun> {
        ModelRun::start(Workload::Cpu(workload), Vec::new(), &Instruments::native(), None)
    }

    #[test]
    fn sequential_run_records_every_task_on_one_lane() {
        let workload = CpuWorkload::Sieve(Sieve { from: 100, to: 400 });
        let run = context(workload);
        let measurement = run.finish(run.run_sequential(run.tasks(), 7, &NoNetwork));
        assert_eq!(measurement.checksum, workload.expected_checksum());
        assert_eq!(measurement.tasks.iter().map(TaskRecord::count).sum::<usize>(), 300, "every task once");
        assert!(measurement.tasks.iter().all(|span| span.lane() == 7 && span.end_ms() >= span.start_ms()));
        let ends_then_starts = measurement.tasks.windows(2).all(|pair| pair[0].end_ms() <= pair[1].start_ms());
        assert!(ends_then_starts, "spans follow each other");
        assert_eq!((measurement.threads_used, measurement.tasks_done), (1, 300));
        assert!(!measurement.partial);
        assert!(measurement.io.is_none(), "no request books where no task waits");
        assert!(measurement.memory_samples.len() >= 2, "start and end are always sampled");
    }

    #[test]
    fn short_tasks_are_timed_in_runs_and_long_ones_alone() {
        // Sieves up to 2000 take a few microseconds natively: far below
        // MIN_SPAN_MS, so spans grow to many tasks each.
        let short = CpuWorkload::Sieve(Sieve { from: 2, to: 2002 });
        let run = context(short);
        let measurement = run.finish(run.run_sequential(run.tasks(), 0, &NoNetwork));
        assert_eq!(measurement.tasks.iter().map(TaskRecord::count).sum::<usize>(), 2000);
        assert!(measurement.tasks.len() < 500, "{} records for 2000 short tasks", measurement.tasks.len());
        assert!(measurement.tasks.iter().any(|record| record.count() >= 8));
        // Each squares task here is a loop of two million: milliseconds.
        let long = CpuWorkload::Squares(Squares { base: 2_000_000, count: 4 });
        let run = context(long);
        let measurement = run.finish(run.run_sequential(0..4, 0, &NoNetwork));
        assert_eq!(measurement.checksum, long.expected_checksum());
        assert_eq!(measurement.tasks.len(), 4, "one span per long task");
    }

    #[test]
    fn par_iter_uses_several_threads_of_the_pool() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let workload = CpuWorkload::Squares(Squares { base: 2_000_000, count: 8 });
        let run = context(workload);
        let checksum = pool.install(|| run.run_par_iter(&NoNetwork));
        let measurement = run.finish(checksum);
        assert_eq!(measurement.checksum, workload.expected_checksum());
        assert_eq!(measurement.threads_used, 2);
    }

    #[test]
    fn cancel_stops_the_run_and_marks_it_partial() {
        let cancel = Arc::new(AtomicBool::new(false));
        let workload = CpuWorkload::Sieve(Sieve { from: 0, to: 1000 });
        let instruments = Instruments::new(&NativeClock, &NativeMemory, cancel.clone());
        let run = ModelRun::start(Workload::Cpu(workload), Vec::new(), &instruments, None);
        let first = run.run_sequential(0..10, 0, &NoNetwork);
        cancel.store(true, Relaxed);
        let rest = run.run_sequential(10..1000, 0, &NoNetwork);
        let measurement = run.finish(first + rest);
        assert_eq!(measurement.tasks_done, 10);
        assert!(measurement.partial);
        assert_eq!(measurement.tasks.iter().map(TaskRecord::count).sum::<usize>(), 10, "the 10 that ran, timed");
    }
}
