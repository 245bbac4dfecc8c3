//! One run of one IO model: the shapes in which the models issue their
//! requests, and the measurement around them.
//!
//! An [`IoRun`] takes the "before" readings, is shared by whatever issues
//! requests (the page's futures, worker threads, or nothing at all when
//! worker instances report back), and records every request in a lock-free
//! slot: start, end, lane, status, bytes, error. [`IoRun::finish`] takes the
//! "after" readings and derives the figures (requests ok and failed, bytes,
//! the most requests in flight at once) from those records alone, so every
//! model is counted the same way.
//!
//! The records themselves live in the measurement layer's lock-free slots
//! (`measurement::slots`); how worker instances split a run and report
//! back is [`super::worker_instances`].

use super::fetch::{BlockingFetcher, FetchOutcome, Fetcher};
use super::workload::IoWorkload;
use crate::engine::measurement::probes::thread_id;
use crate::engine::measurement::records::{FetchErrorKind, RequestSpan, TaskRecord};
use crate::engine::measurement::run_measurement::{IoFacts, RunMeasurement};
use crate::engine::measurement::run_window::{Instruments, RunWindow};
use crate::engine::measurement::sampling::MAX_SAMPLES;
use crate::engine::measurement::slots::{FirstMessage, RequestSlots};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

/// The state of one run, shared by everything that issues its requests.
pub struct IoRun {
    pub workload: IoWorkload,
    urls: Vec<String>,
    /// The index in the whole request list of `urls[0]` (a worker instance
    /// runs a contiguous share of it).
    first_index: usize,
    slots: RequestSlots,
    next: AtomicUsize,
    messages: [FirstMessage; FetchErrorKind::ALL.len()],
    /// The protocol the requests went over, as whoever made them read it.
    protocol: FirstMessage,
    window: RunWindow,
}

impl IoRun {
    /// Allocates the recorders, then opens the measured window (see
    /// [`RunWindow::open`]); `origin_ms` puts it on the page's time line
    /// (a worker instance's share), `None` starts it now.
    pub fn start(
        workload: IoWorkload,
        urls: Vec<String>,
        first_index: usize,
        instruments: &Instruments,
        origin_ms: Option<f64>,
    ) -> Arc<Self> {
        let slots = RequestSlots::new(urls.len());
        let (messages, protocol) = (Default::default(), FirstMessage::default());
        let window = RunWindow::open(instruments, origin_ms, MAX_SAMPLES, urls.len());
        Arc::new(Self { workload, urls, first_index, slots, next: AtomicUsize::new(0), messages, protocol, window })
    }

    pub fn request_count(&self) -> usize {
        self.urls.len()
    }

    pub fn url(&self, local: usize) -> &str {
        &self.urls[local]
    }

    /// The URLs of requests `range` (local indices), in order.
    pub fn urls(&self, range: std::ops::Range<usize>) -> &[String] {
        &self.urls[range]
    }

    /// The index in the whole request list of this run's first request.
    pub fn first_index(&self) -> usize {
        self.first_index
    }

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

    /// Marks request `local` as started on `lane`; returns its start time.
    fn begin(&self, local: usize, lane: u32) -> f64 {
        let start_ms = self.now_ms();
        self.slots.begin(local, start_ms, lane, thread_id());
        self.sample_now(false);
        start_ms
    }

    fn end(&self, local: usize, outcome: &FetchOutcome) {
        self.slots.end(local, self.now_ms(), outcome.status, outcome.bytes, outcome.error);
        if let (Some(kind), Some(message)) = (outcome.error, &outcome.message) {
            self.messages[kind as usize].offer(message);
        }
        self.sample_now(false);
        self.window.tasks_done(1);
    }

    /// One request through an async fetcher; false if Stop came first.
    // [model-code: io-seq io-all io-bounded io-workers]
    pub async fn fetch_one(&self, fetcher: &impl Fetcher, local: usize, lane: u32) -> bool {
        if self.is_cancelled() {
            return false;
        }
        self.begin(local, lane);
        let outcome = fetcher.fetch(&self.urls[local]).await;
        self.end(local, &outcome);
        true
    }
    // [/model-code]

    /// The next request nobody has taken yet (the shared queue of
    /// `bounded` and `threads`), or `None` when all are taken or Stop came.
    // [model-code: io-bounded io-threads]
    fn take_next(&self) -> Option<usize> {
        if self.is_cancelled() {
            return None;
        }
        let local = self.next.fetch_add(1, Relaxed);
        (local < self.urls.len()).then_some(local)
    }
    // [/model-code]

    /// `seq`: one request after another, each awaited before the next.
    // [model-code: io-seq]
    pub async fn run_sequential(&self, fetcher: &impl Fetcher) {
        for local in 0..self.urls.len() {
            if !self.fetch_one(fetcher, local, 0).await {
                break;
            }
        }
    }
    // [/model-code]

    /// `all` (and each worker instance's share): every request started at
    /// once and joined; each has a slot (lane) of its own.
    // [model-code: io-all io-workers]
    pub async fn run_all(&self, fetcher: &impl Fetcher) {
        let requests = (0..self.urls.len()).map(|local| self.fetch_one(fetcher, local, local as u32));
        futures_util::future::join_all(requests).await;
    }
    // [/model-code]

    /// `bounded`: k lanes, each taking the next request when its last one
    /// ends, so at most k are in flight (ThreadPoolExecutor(max_workers=k)).
    // [model-code: io-bounded]
    pub async fn run_bounded(&self, fetcher: &impl Fetcher, k: u32) {
        let lanes = (0..k.max(1).min(self.urls.len() as u32)).map(|lane| async move {
            while let Some(local) = self.take_next() {
                self.fetch_one(fetcher, local, lane).await;
            }
        });
        futures_util::future::join_all(lanes).await;
    }
    // [/model-code]

    /// `threads`: the loop one worker thread runs, blocked in each request,
    /// taking the next from the shared queue until none is left.
    // [model-code: io-threads]
    pub fn run_blocking_lane(&self, fetcher: &impl BlockingFetcher, lane: u32) {
        while let Some(local) = self.take_next() {
            self.begin(local, lane);
            let outcome = fetcher.fetch_blocking(&self.urls[local]);
            self.end(local, &outcome);
        }
    }
    // [/model-code]

    /// Where request `index` (its place in the whole list) is in this
    /// run's own list, if it is one of this run's.
    fn local(&self, index: usize) -> Option<usize> {
        index.checked_sub(self.first_index).filter(|local| *local < self.urls.len())
    }

    /// Records that request `index` (its place in the whole list) was sent
    /// to worker instance `worker`, now: until the instance's record of it
    /// arrives, it counts as in flight, and as cancelled if it never does
    /// (Stop terminated the instance).
    pub(crate) fn record_dispatch(&self, index: usize, worker: u32) {
        let Some(local) = self.local(index) else { return };
        self.slots.begin(local, self.now_ms(), worker, worker);
        self.slots.set_worker(local, Some(worker));
    }

    /// Records a request that another instance made: `index` is its place
    /// in the whole request list.
    pub(crate) fn record_remote(&self, index: usize, span: &RequestSpan, message: Option<&str>) {
        let Some(local) = self.local(index) else { return };
        self.slots.begin(local, span.start_ms, span.lane, span.worker.unwrap_or(0));
        self.slots.set_worker(local, span.worker);
        self.slots.end(local, span.end_ms, span.status, span.bytes, span.error);
        self.window.tasks_done(1);
        if let (Some(kind), Some(message)) = (span.error, message) {
            self.messages[kind as usize].offer(message);
        }
    }

    /// The requests recorded so far, by index. A request that began but
    /// never ended (its thread was terminated by Stop) counts as
    /// cancelled, ending now.
    pub fn spans(&self) -> Vec<(usize, RequestSpan)> {
        let now_ms = self.now_ms();
        self.slots.spans(now_ms).into_iter().map(|(local, span)| (self.first_index + local, span)).collect()
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

    /// Takes the "after" readings, then derives the run's figures from the
    /// request records.
    pub fn finish(&self) -> RunMeasurement {
        let closing = self.window.close();
        let spans = self.slots.spans(closing.elapsed_ms);
        let js_heap_samples = self.window.js_heap_samples();
        let peak_js_heap_bytes = js_heap_samples.iter().map(|(_, bytes)| *bytes).max();
        let facts = IoFacts {
            protocol: self.protocol.get(),
            ..IoFacts::from_spans(
                spans.iter().map(|(_, span)| span),
                self.failure_messages(),
                self.window.js_heap_bytes_before,
                closing.js_heap_bytes_after,
                peak_js_heap_bytes,
                js_heap_samples,
            )
        };
        let finished = spans.iter().filter(|(_, span)| span.error != Some(FetchErrorKind::Cancelled)).count();
        RunMeasurement {
            checksum: facts.bytes_total as u128,
            tasks_done: finished,
            partial: self.is_cancelled() || finished < self.urls.len(),
            threads_used: self.slots.distinct_threads(),
            tasks: spans.into_iter().map(|(_, span)| TaskRecord::Request(span)).collect(),
            io: Some(facts),
            ..self.window.measurement(&closing)
        }
    }
}
