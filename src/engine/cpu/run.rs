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

use super::process::ChunkRequest;
use super::workload::CpuWorkload;
use crate::engine::fault::Fault;
use crate::engine::limits::MAX_SAMPLES;
use crate::engine::measure::thread_id;
use crate::engine::measurement::RunMeasurement;
use crate::engine::record::{TaskRecord, TaskSlots, TaskSpan};
use crate::engine::window::{Instruments, RunWindow};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ops::Range;
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

/// What one piece of a `par_iter` run has added up, and when its last task
/// ended (the next task's start).
#[derive(Clone, Copy, Debug, Default)]
struct Piece {
    tally: Tally,
    last_end_ms: Option<f64>,
}

impl Piece {
    fn add(self, checksum: u128, end_ms: f64) -> Piece {
        Piece { tally: self.tally + Tally { checksum, tasks_done: 1 }, last_end_ms: Some(end_ms) }
    }
}

/// The state one run shares between the waiting thread and the workers.
pub struct CpuRun {
    pub workload: CpuWorkload,
    /// Brought about at task 0, for tests (`fault=`).
    pub fault: Option<Fault>,
    slots: TaskSlots,
    window: RunWindow,
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
        Arc::new(Self { workload, fault, slots, window })
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

    /// Runs task `task` on lane `lane`, which started at `start_ms`,
    /// recording its span and sampling memory at its checkpoints; returns
    /// its result and when it ended, or `None` if Stop came first.
    ///
    /// A loop passes the previous task's end as the next one's start: the
    /// next task starts right then, and one clock read per task is saved,
    /// which matters because a read costs 0.35-0.55 µs in Chromium and a
    /// sieve task is ~8 µs (bench/report.md, recording overhead).
    // [model-code: cpu-main cpu-seq cpu-rayon]
    fn run_task_from(&self, task: usize, lane: u32, start_ms: f64) -> Option<(u128, f64)> {
        if self.is_cancelled() {
            return None;
        }
        if let (0, Some(fault)) = (task, self.fault) {
            fault.trigger();
        }
        let result = self.workload.run_task(task, &mut || {
            self.sample(self.now_ms(), false);
            !self.is_cancelled()
        })?;
        let end_ms = self.now_ms();
        self.slots.record(task, start_ms, end_ms, lane);
        self.sample(end_ms, false);
        self.window.tasks_done(1);
        Some((result, end_ms))
    }
    // [/model-code]

    /// What a worker instance is sent to run `tasks` on lane `lane`, on
    /// this run's time line.
    pub fn chunk_request(&self, tasks: Range<usize>, lane: u32) -> ChunkRequest {
        ChunkRequest {
            workload: self.workload,
            first_task: tasks.start,
            end_task: tasks.end,
            lane,
            origin_ms: self.origin_ms(),
            fault: self.fault,
        }
    }

    /// Records a span measured elsewhere (a worker instance's reply).
    pub fn record_span(&self, task: usize, span: TaskSpan) {
        self.slots.record(task, span.start_ms, span.end_ms, span.lane);
        self.window.tasks_done(1);
    }

    /// The `main`, `seq` and per-chunk `workers` shape: tasks in order on the
    /// calling thread, stopping at the first cancelled one.
    // [model-code: cpu-main cpu-seq]
    pub fn run_sequential(&self, tasks: Range<usize>, lane: u32) -> Tally {
        let mut tally = Tally::default();
        let mut start_ms = self.now_ms();
        for task in tasks {
            match self.run_task_from(task, lane, start_ms) {
                Some((result, end_ms)) => {
                    tally = tally + Tally { checksum: result, tasks_done: 1 };
                    start_ms = end_ms;
                }
                None => break,
            }
        }
        tally
    }
    // [/model-code]

    /// The `rayon` shape: `par_iter` over all tasks on the current rayon pool
    /// (call it inside `pool.install` or a job spawned on the pool).
    ///
    /// `fold` runs each piece rayon splits off as one plain loop on one
    /// thread, so, as in `run_sequential`, a task starts when the previous
    /// one of its piece ended and the clock is read once per task.
    // [model-code: cpu-rayon]
    pub fn run_par_iter(&self) -> Tally {
        (0..self.workload.task_count())
            .into_par_iter()
            .fold(Piece::default, |piece, task| {
                let start_ms = piece.last_end_ms.unwrap_or_else(|| self.now_ms());
                match self.run_task_from(task, thread_id(), start_ms) {
                    Some((result, end_ms)) => piece.add(result, end_ms),
                    None => piece,
                }
            })
            .map(|piece| piece.tally)
            .reduce(Tally::default, |a, b| a + b)
    }
    // [/model-code]

    /// Takes the "after" readings, then assembles the measurement: in that
    /// order, so the span and sample lists built here are not counted.
    pub fn finish(&self, tally: Tally) -> RunMeasurement {
        let closing = self.window.close();
        let tasks = self.slots.finished();
        let threads_used = tasks.iter().map(|span| span.lane).collect::<BTreeSet<_>>().len();
        RunMeasurement {
            checksum: tally.checksum,
            tasks_done: tally.tasks_done,
            partial: tally.tasks_done < self.workload.task_count(),
            threads_used,
            tasks: tasks.into_iter().map(TaskRecord::Task).collect(),
            ..self.window.measurement(&closing)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::measure::{NativeClock, NativeMemory};
    use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

    fn context(workload: CpuWorkload) -> Arc<CpuRun> {
        CpuRun::start(workload, &Instruments::native())
    }

    #[test]
    fn sequential_run_records_every_task_on_one_lane() {
        let workload = CpuWorkload::Sieve { from: 100, to: 400 };
        let run = context(workload);
        let measurement = run.finish(run.run_sequential(0..workload.task_count(), 7));
        assert_eq!(measurement.checksum, workload.expected_checksum());
        assert_eq!(measurement.tasks.len(), 300);
        assert!(measurement.tasks.iter().all(|span| span.lane() == 7 && span.end_ms() >= span.start_ms()));
        assert_eq!(measurement.threads_used, 1);
        assert!(!measurement.partial);
        assert!(measurement.memory_samples.len() >= 2, "start and end are always sampled");
    }

    #[test]
    fn par_iter_uses_several_threads_of_the_pool() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let workload = CpuWorkload::Squares { base: 2_000_000, count: 8 };
        let run = context(workload);
        let tally = pool.install(|| run.run_par_iter());
        let measurement = run.finish(tally);
        assert_eq!(measurement.checksum, workload.expected_checksum());
        assert_eq!(measurement.threads_used, 2);
    }

    #[test]
    fn cancel_stops_the_run_and_marks_it_partial() {
        let cancel = Arc::new(AtomicBool::new(false));
        let workload = CpuWorkload::Sieve { from: 0, to: 1000 };
        let run = CpuRun::start(workload, &Instruments::new(&NativeClock, &NativeMemory, cancel.clone()));
        let first = run.run_sequential(0..10, 0);
        cancel.store(true, Relaxed);
        let rest = run.run_sequential(10..1000, 0);
        let measurement = run.finish(first + rest);
        assert_eq!(measurement.tasks_done, 10);
        assert!(measurement.partial);
        assert_eq!(measurement.tasks.len(), 10);
    }
}
