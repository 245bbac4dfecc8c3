//! The one loop every shape runs a task in: its steps in order, a compute
//! step here and a wait blocked in or awaited, each recorded in the run's
//! books and timed by the lane it runs on. Which task, on which lane, is
//! the shapes' ([`super::shapes`]).

use super::lane::Lane;
use super::run::ModelRun;
use super::step::{steps, Step};
use crate::engine::cpu::kernel::{Compute, ComputeProgress};
use crate::engine::io::fetch::{FetchOutcome, Fetcher};

/// Where a task under way stands: the lane it runs on, and whether the
/// lane has computed for it since its last wait.
struct UnderWay {
    lane: Lane,
    task: usize,
    computed: bool,
}

impl ModelRun {
    /// Runs task `task` as the next of `lane`'s loop on a thread that may
    /// block: compute steps here (`at_checkpoint` at their checkpoints),
    /// each wait through `wait`, which blocks until the answer. Also
    /// returns whether the task ran to its end (false: Stop came first).
    // [model-code: cpu-main cpu-seq cpu-rayon cpu-gil cpu-workers cpu-executor io-threads io-gil]
    pub(super) fn run_task_blocking(
        &self,
        lane: Lane,
        task: usize,
        wait: &dyn Fn(&str) -> FetchOutcome,
        at_checkpoint: &mut dyn FnMut(),
    ) -> (Lane, bool) {
        let mut under_way = self.begin_task(lane, task);
        for step in steps(&self.workload, task) {
            let ran = match step {
                _ if self.is_cancelled() => false,
                Step::Compute(compute) => self.compute_step(&mut under_way, compute, &mut || {
                    at_checkpoint();
                    true
                }),
                Step::Wait => {
                    self.before_wait(&mut under_way);
                    let outcome = wait(self.url(task));
                    self.after_wait(&mut under_way, &outcome)
                }
            };
            if !ran {
                return (under_way.lane, false);
            }
        }
        (self.end_task(under_way), true)
    }
    // [/model-code]

    /// [`ModelRun::run_task_blocking`] on an event loop: each wait is
    /// awaited through `fetcher`, so other tasks run meanwhile; compute
    /// steps hold the loop until they end, as a coroutine does.
    // [model-code: io-seq io-all io-bounded io-workers io-procs cpu-async cpu-async_noawait]
    pub(super) async fn run_task_async(&self, lane: Lane, task: usize, fetcher: &impl Fetcher) -> (Lane, bool) {
        let mut under_way = self.begin_task(lane, task);
        for step in steps(&self.workload, task) {
            let ran = match step {
                _ if self.is_cancelled() => false,
                Step::Compute(compute) => self.compute_step(&mut under_way, compute, &mut || true),
                Step::Wait => {
                    self.before_wait(&mut under_way);
                    let outcome = fetcher.fetch(self.url(task)).await;
                    self.after_wait(&mut under_way, &outcome)
                }
            };
            if !ran {
                return (under_way.lane, false);
            }
        }
        (self.end_task(under_way), true)
    }
    // [/model-code]

    fn begin_task(&self, lane: Lane, task: usize) -> UnderWay {
        UnderWay { lane: lane.before_task(self, task), task, computed: false }
    }

    /// Runs a compute step whole; false if Stop came first.
    fn compute_step(&self, under_way: &mut UnderWay, compute: Compute, checkpoint: &mut dyn FnMut() -> bool) -> bool {
        let progress = &mut ComputeProgress::default();
        let Some(result) = self.compute_from(under_way.task, compute, progress, checkpoint) else { return false };
        under_way.lane.checksum += result;
        under_way.computed = true;
        true
    }

    /// Before a wait: the lane's computing is timed, and the request starts.
    fn before_wait(&self, under_way: &mut UnderWay) {
        let computed = std::mem::take(&mut under_way.computed);
        under_way.lane = under_way.lane.before_wait(self, under_way.task, computed);
        self.begin_wait(under_way.task, under_way.lane.lane);
    }

    /// After a wait: its outcome is recorded and computing starts again.
    /// A failed request is an outcome like any other: the task goes on.
    fn after_wait(&self, under_way: &mut UnderWay, outcome: &FetchOutcome) -> bool {
        self.end_wait(under_way.task, outcome);
        under_way.lane = under_way.lane.after_wait(self);
        true
    }

    fn end_task(&self, under_way: UnderWay) -> Lane {
        under_way.lane.task_done(self, under_way.task, under_way.computed)
    }
}
