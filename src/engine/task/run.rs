//! One run of one model, of any workload: the state its threads, futures
//! or worker instances share, and its books for both kinds of step.
//!
//! A [`ModelRun`] is created on the thread that waits for the run (the
//! page's main thread in the browser), takes the "before" readings, and is
//! shared with whatever runs tasks. Every shape ([`super::shapes`]) runs
//! each task through the one task loop ([`super::task_loop`]), which writes
//! a compute step into the task books (timed in spans, [`super::lane`]) and
//! a wait into the request books (start, end, status, bytes, error).
//! [`ModelRun::finish`] takes the "after" readings on the waiting thread
//! again and derives the figures from the books alone.

use super::step::kinds;
use crate::engine::cpu::fault::Fault;
use crate::engine::cpu::kernel::{Compute, ComputeProgress};
use crate::engine::io::fetch::FetchOutcome;
use crate::engine::measurement::probes::thread_id;
use crate::engine::measurement::records::{FetchErrorKind, MemorySample, RequestSpan, TaskRecord};
use crate::engine::measurement::run_measurement::{IoFacts, RunMeasurement};
use crate::engine::measurement::run_window::{Instruments, RunWindow};
use crate::engine::measurement::sampling::MAX_SAMPLES;
use crate::engine::measurement::slots::{FirstMessage, RequestSlots, TaskSlots};
use crate::engine::workload::Workload;
use crate::sorting::sort_unique;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

/// What a worker instance's part of a run recorded, once its loop has
/// returned.
pub struct PartBooks {
    /// What it computed, each record with the task it starts at.
    pub computed: Vec<(usize, TaskRecord)>,
    /// Its requests, each with its task.
    pub requests: Vec<(usize, RequestSpan)>,
    pub samples: Vec<MemorySample>,
    /// Tasks that ran every step.
    pub tasks_done: usize,
}

/// The state one run shares between the waiting thread and whatever runs
/// its tasks.
pub struct ModelRun {
    pub workload: Workload,
    /// Brought about at task 0's first compute step, for tests (`fault=`).
    pub fault: Option<Fault>,
    /// The tasks this run covers: all of them, or a worker instance's part.
    tasks: Range<usize>,
    /// The covered tasks' URLs, from `tasks.start` on (task i waits for
    /// request i); empty when no task waits.
    urls: Vec<String>,
    /// The compute books: one slot per covered task, none when no task computes.
    computed: TaskSlots,
    /// The request books: one slot per covered task, none when no task waits.
    requests: RequestSlots,
    /// The next task nobody has taken (the shared queue of `bounded`,
    /// `threads` and `gil`, as a ThreadPoolExecutor's threads take from its queue).
    next: AtomicUsize,
    messages: [FirstMessage; FetchErrorKind::ALL.len()],
    /// The protocol the requests went over, as whoever made them read it.
    protocol: FirstMessage,
    window: RunWindow,
}

impl ModelRun {
    /// A run of every task, starting now: allocates the books, then takes
    /// the "before" readings and starts the clock, in that order (the books
    /// are not the workload's memory). `urls` are the tasks' requests.
    pub fn start(workload: Workload, urls: Vec<String>, instruments: &Instruments, fault: Option<Fault>) -> Arc<Self> {
        let tasks = 0..workload.task_count();
        Arc::new(Self::start_part(workload, tasks, urls, instruments, None, MAX_SAMPLES, fault))
    }

    /// A run of `tasks` only (a worker instance's chunk or share), with the
    /// URLs of their requests, on the page's time line when `origin_ms` is
    /// given, with room for `sample_capacity` memory samples.
    pub fn start_part(
        workload: Workload,
        tasks: Range<usize>,
        urls: Vec<String>,
        instruments: &Instruments,
        origin_ms: Option<f64>,
        sample_capacity: usize,
        fault: Option<Fault>,
    ) -> Self {
        let (computes, waits) = kinds(&workload);
        let none = tasks.start..tasks.start;
        let computed = TaskSlots::covering(if computes { tasks.clone() } else { none });
        let requests = RequestSlots::new(if waits { urls.len() } else { 0 });
        let (messages, protocol) = (Default::default(), FirstMessage::default());
        let window = RunWindow::open(instruments, origin_ms, sample_capacity, tasks.len());
        let next = AtomicUsize::new(tasks.start);
        Self { workload, fault, tasks, urls, computed, requests, next, messages, protocol, window }
    }

    /// The tasks this run covers.
    pub fn tasks(&self) -> Range<usize> {
        self.tasks.clone()
    }

    /// The URLs of tasks `tasks`' requests, in order.
    pub fn urls(&self, tasks: Range<usize>) -> &[String] {
        &self.urls[tasks.start - self.tasks.start..tasks.end - self.tasks.start]
    }

    /// Absolute start time (the shared clock), for worker instances that
    /// record relative to it.
    pub fn origin_ms(&self) -> f64 {
        self.window.origin_ms()
    }

    pub fn now_ms(&self) -> f64 {
        self.window.now_ms()
    }

    pub fn is_cancelled(&self) -> bool {
        self.window.is_cancelled()
    }

    /// Takes a memory sample if a period has passed (or `force`). The
    /// browser also calls this from a timer: while requests are pending
    /// nothing else runs to take one.
    pub fn sample_now(&self, force: bool) {
        self.window.sample_now(force);
    }

    pub(super) fn sample(&self, t_ms: f64, force: bool) {
        self.window.sample(t_ms, force);
    }

    pub(super) fn count_done(&self, tasks: usize) {
        self.window.tasks_done(tasks);
    }

    /// The next task nobody has taken yet, or `None` when all are taken or
    /// Stop came.
    // [model-code: io-bounded io-threads]
    pub(super) fn take_next(&self) -> Option<usize> {
        if self.is_cancelled() {
            return None;
        }
        let task = self.next.fetch_add(1, Relaxed);
        (task < self.tasks.end).then_some(task)
    }
    // [/model-code]

    /// Runs a compute step of `task` from `progress` on, sampling memory at
    /// its checkpoints, where `at_checkpoint` runs too (`gil` may hand its
    /// lock over there); `None` if Stop came first or `go_on` said to pause.
    pub(super) fn compute_from(
        &self,
        task: usize,
        compute: Compute,
        progress: &mut ComputeProgress,
        at_checkpoint: &mut dyn FnMut() -> bool,
    ) -> Option<u128> {
        if let (0, Some(fault)) = (task, self.fault) {
            fault.trigger();
        }
        compute.run_from(progress, &mut || {
            let go_on = at_checkpoint();
            self.sample(self.now_ms(), false);
            go_on && !self.is_cancelled()
        })
    }

    /// Records task `task`'s request as started on `lane`, now.
    pub(super) fn begin_wait(&self, task: usize, lane: u32) {
        let begun = self.requests.begin(task - self.tasks.start, self.now_ms(), lane, thread_id());
        self.window.requests_moved(begun, false);
        self.sample_now(false);
    }

    /// Records how task `task`'s request ended, now.
    pub(super) fn end_wait(&self, task: usize, outcome: &FetchOutcome) {
        let ended =
            self.requests.end(task - self.tasks.start, self.now_ms(), outcome.status, outcome.bytes, outcome.error);
        self.window.requests_moved(false, ended);
        if let (Some(kind), Some(message)) = (outcome.error, &outcome.message) {
            self.messages[kind as usize].offer(message);
        }
        self.sample_now(false);
    }

    pub(super) fn url(&self, task: usize) -> &str {
        &self.urls[task - self.tasks.start]
    }

    /// Records tasks `first_task..first_task + count`, computed back to back
    /// on `lane` from `start_ms` to `end_ms`, as one span.
    pub(super) fn record_computed(&self, first_task: usize, count: usize, start_ms: f64, end_ms: f64, lane: u32) {
        self.computed.record_run(first_task, count, start_ms, end_ms, lane);
    }

    /// Records what a worker instance computed, `records` each with the
    /// task it starts at.
    pub fn record_remote_computed(&self, records: &[(usize, TaskRecord)]) {
        for (task, record) in records {
            self.computed.record_run(*task, record.count(), record.start_ms(), record.end_ms(), record.lane());
        }
    }

    /// Records that task `task`'s request was sent to worker instance
    /// `worker`, now: until the instance's record of it arrives it counts
    /// as in flight, and as cancelled if it never does (Stop terminated the
    /// instance).
    pub fn record_dispatch(&self, task: usize, worker: u32) {
        let Some(local) = self.local(task) else { return };
        let begun = self.requests.begin(local, self.now_ms(), worker, worker);
        self.window.requests_moved(begun, false);
        self.requests.set_worker(local, Some(worker));
    }

    /// Records a request another instance made for task `task`.
    pub fn record_remote_request(&self, task: usize, span: &RequestSpan, message: Option<&str>) {
        let Some(local) = self.local(task) else { return };
        let begun = self.requests.begin(local, span.start_ms, span.lane, span.worker.unwrap_or(0));
        self.requests.set_worker(local, span.worker);
        let ended = self.requests.end(local, span.end_ms, span.status, span.bytes, span.error);
        self.window.requests_moved(begun, ended);
        if let (Some(kind), Some(message)) = (span.error, message) {
            self.messages[kind as usize].offer(message);
        }
    }

    /// Counts `tasks` more tasks done for the live progress line (what an
    /// instance reported).
    pub fn record_remote_done(&self, tasks: usize) {
        self.window.tasks_done(tasks);
    }

    fn local(&self, task: usize) -> Option<usize> {
        task.checked_sub(self.tasks.start).filter(|local| *local < self.urls.len())
    }

    /// The requests recorded so far, by task. A request that began but never
    /// ended (its thread was terminated by Stop) counts as cancelled, ending now.
    pub fn request_spans(&self) -> Vec<(usize, RequestSpan)> {
        let now_ms = self.now_ms();
        self.requests.spans(now_ms).into_iter().map(|(local, span)| (self.tasks.start + local, span)).collect()
    }

    /// Notes the protocol the requests went over (`nextHopProtocol`, read
    /// by the browser layer from the timeline of whoever made them).
    pub fn note_protocol(&self, protocol: &str) {
        self.protocol.offer(protocol);
    }

    /// The first message of each kind of failure seen.
    pub fn failure_messages(&self) -> BTreeMap<FetchErrorKind, String> {
        FetchErrorKind::ALL
            .into_iter()
            .filter_map(|kind| self.messages[kind as usize].get().map(|message| (kind, message)))
            .collect()
    }

    /// A part's books once its loop has returned (see [`PartBooks`]).
    pub fn finish_part(&self) -> PartBooks {
        let closing = self.window.close();
        let (computed, requests) = (self.computed.finished_indexed(), self.requests_at(closing.elapsed_ms));
        let tasks_done = self.tasks_done(&computed, &requests);
        PartBooks { computed, requests, samples: self.window.samples(), tasks_done }
    }

    /// Whether any task of this run waits (it has request books).
    pub fn waits(&self) -> bool {
        kinds(&self.workload).1
    }

    fn requests_at(&self, now_ms: f64) -> Vec<(usize, RequestSpan)> {
        self.requests.spans(now_ms).into_iter().map(|(local, span)| (self.tasks.start + local, span)).collect()
    }

    /// Takes the "after" readings, then derives the run's figures from its
    /// books: in that order, so the lists built here are not counted.
    /// `checksum` is what the tasks computed; the bytes received add to it.
    pub fn finish(&self, checksum: u128) -> RunMeasurement {
        let closing = self.window.close();
        let computed = self.computed.finished_indexed();
        let requests = self.requests_at(closing.elapsed_ms);
        let tasks_done = self.tasks_done(&computed, &requests);
        let (_, waits) = kinds(&self.workload);
        let io = waits.then(|| {
            let js_heap_samples = self.window.js_heap_samples();
            let peak_js_heap_bytes = js_heap_samples.iter().map(|(_, bytes)| *bytes).max();
            IoFacts {
                protocol: self.protocol.get(),
                ..IoFacts::from_spans(
                    requests.iter().map(|(_, span)| span),
                    self.failure_messages(),
                    self.window.js_heap_bytes_before,
                    closing.js_heap_bytes_after,
                    peak_js_heap_bytes,
                    js_heap_samples,
                )
            }
        });
        // Who ran: the request books know each request's thread; compute
        // records know only their lane, which is the thread where no task waits.
        let threads_used = if waits {
            self.requests.distinct_threads()
        } else {
            let mut lanes: Vec<u32> = computed.iter().map(|(_, record)| record.lane()).collect();
            sort_unique(&mut lanes);
            lanes.len()
        };
        let bytes = io.as_ref().map_or(0, |facts| facts.bytes_total as u128);
        let tasks = computed
            .into_iter()
            .map(|(_, record)| record)
            .chain(requests.into_iter().map(|(_, span)| TaskRecord::Request(span)))
            .collect();
        RunMeasurement {
            checksum: checksum + bytes,
            tasks_done,
            partial: tasks_done < self.tasks.len(),
            threads_used,
            tasks,
            io,
            ..self.window.measurement(&closing)
        }
    }

    /// The tasks every step of which the books hold: computed, and a
    /// request that ended (failed or not) rather than being cancelled.
    fn tasks_done(&self, computed: &[(usize, TaskRecord)], requests: &[(usize, RequestSpan)]) -> usize {
        const COMPUTED: u8 = 1;
        const WAITED: u8 = 2;
        let (computes, waits) = kinds(&self.workload);
        let needed = if computes { COMPUTED } else { 0 } | if waits { WAITED } else { 0 };
        let mut held = vec![0u8; self.tasks.len()];
        for (first, record) in computed {
            for task in *first..*first + record.count() {
                held[task - self.tasks.start] |= COMPUTED;
            }
        }
        for (task, span) in requests {
            if span.error != Some(FetchErrorKind::Cancelled) {
                held[*task - self.tasks.start] |= WAITED;
            }
        }
        held.iter().filter(|bits| **bits & needed == needed).count()
    }
}
