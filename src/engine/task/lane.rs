//! How one thread's loop over tasks is timed: computing in spans of
//! back-to-back tasks (a clock read costs more than a short sieve task), a
//! wait closing the span before it (the lane computes nothing meanwhile).
//! Stops at the records; the loop itself is [`super::run`]'s.

use super::run::ModelRun;

/// A span shorter than this is not worth a clock read of its own: a read
/// costs 0.35-0.55 µs in a Chromium worker (bench/report.md), so tasks are
/// timed in runs of back-to-back tasks lasting at least this long, which
/// keeps the clock under 0.5 % of the work. Longer tasks are timed alone.
pub const MIN_SPAN_MS: f64 = 0.1;
/// The most tasks one span may stand for.
const MAX_TASKS_PER_SPAN: usize = 1024;

/// One thread's loop over tasks: what it has computed, and the run of
/// tasks it is timing as one span (`pending` of them from `first_task`,
/// started at `start_ms`; `done` of them have run every step). How many
/// tasks a span takes adapts as the loop goes: doubled while spans are
/// shorter than `MIN_SPAN_MS`, halved when they grow past four times that.
#[derive(Clone, Copy, Debug)]
pub struct Lane {
    pub lane: u32,
    pub checksum: u128,
    pub start_ms: f64,
    first_task: usize,
    pending: usize,
    done: usize,
    tasks_per_span: usize,
}

impl Lane {
    /// A timed loop on the calling thread, starting now.
    pub fn open(run: &ModelRun, lane: u32) -> Self {
        Lane { lane, checksum: 0, start_ms: run.now_ms(), first_task: 0, pending: 0, done: 0, tasks_per_span: 1 }
    }

    /// Before task `task`: a span only holds consecutive tasks, so one that
    /// does not follow (a loop that skipped) is timed now.
    pub fn before_task(self, run: &ModelRun, task: usize) -> Self {
        match self.pending > 0 && self.first_task + self.pending != task {
            true => self.close_span(run),
            false => self,
        }
    }

    /// Before a wait of task `task`: what the lane computed until now is
    /// timed, this task's compute step with it when it `computed` one.
    pub fn before_wait(mut self, run: &ModelRun, task: usize, computed: bool) -> Self {
        if computed {
            self = self.add(task, false);
        }
        self.close_span(run)
    }

    /// After a wait: computing starts again now.
    pub fn after_wait(self, run: &ModelRun) -> Self {
        Lane { start_ms: run.now_ms(), ..self }
    }

    /// Task `task` has run every step; its last one computed if `computed`
    /// (timed in the lane's span), else it was a wait (already recorded).
    pub fn task_done(self, run: &ModelRun, task: usize, computed: bool) -> Self {
        if !computed {
            run.count_done(1);
            return self;
        }
        let lane = self.add(task, true);
        match lane.pending >= lane.tasks_per_span {
            true => lane.close_span(run),
            false => lane,
        }
    }

    fn add(mut self, task: usize, done: bool) -> Self {
        if self.pending == 0 {
            self.first_task = task;
        }
        self.pending += 1;
        self.done += usize::from(done);
        self
    }

    /// Reads the clock and records the tasks computed since the last read
    /// as one span (a lone task as its own), then samples memory.
    pub fn close_span(mut self, run: &ModelRun) -> Self {
        if self.pending == 0 {
            return self;
        }
        let end_ms = run.now_ms();
        run.record_computed(self.first_task, self.pending, self.start_ms, end_ms, self.lane);
        run.sample(end_ms, false);
        run.count_done(self.done);
        let span_ms = end_ms - self.start_ms;
        if span_ms < MIN_SPAN_MS && self.pending == self.tasks_per_span {
            self.tasks_per_span = (self.tasks_per_span * 2).min(MAX_TASKS_PER_SPAN);
        } else if span_ms > 4.0 * MIN_SPAN_MS {
            self.tasks_per_span = (self.tasks_per_span / 2).max(1);
        }
        Lane { pending: 0, done: 0, start_ms: end_ms, ..self }
    }

    /// Times what is left of the loop and returns what it computed.
    pub fn close(self, run: &ModelRun) -> u128 {
        self.close_span(run).checksum
    }
}

/// A `gil` instance's record of the compute steps it finished: consecutive
/// short ones are timed together, as a lane's are (`MIN_SPAN_MS`).
pub struct TokenLane {
    pub lane: u32,
    pub checksum: u128,
    /// The span being timed: first task, count, start, end, and how many
    /// of its tasks have run every step.
    run: Option<(usize, usize, f64, f64, usize)>,
}

impl TokenLane {
    pub fn new(lane: u32) -> Self {
        Self { lane, checksum: 0, run: None }
    }

    /// Task `task`'s compute step ran from `start_ms` to `end_ms`; `last`
    /// if it was the task's last step.
    pub fn computed(&mut self, run: &ModelRun, task: usize, start_ms: f64, end_ms: f64, result: u128, last: bool) {
        self.checksum += result;
        let done = usize::from(last);
        self.run = match self.run {
            Some((first, count, span_start, _, finished))
                if first + count == task && end_ms - span_start < MIN_SPAN_MS =>
            {
                Some((first, count + 1, span_start, end_ms, finished + done))
            }
            _ => {
                self.close(run);
                Some((task, 1, start_ms, end_ms, done))
            }
        };
        if self.run.is_some_and(|(_, _, span_start, _, _)| end_ms - span_start >= MIN_SPAN_MS) {
            self.close(run);
        }
    }

    /// Records the span being timed, if any.
    pub fn close(&mut self, run: &ModelRun) {
        if let Some((first, count, start_ms, end_ms, finished)) = self.run.take() {
            run.record_computed(first, count, start_ms, end_ms, self.lane);
            run.count_done(finished);
        }
    }
}
