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
//! No locks anywhere: worker threads record into the same run that the
//! page's main thread reads, and the main thread must never wait on a lock
//! (`Atomics.wait` throws there; wasm-bindgen-rayon #36).

use super::fetch::{BlockingFetcher, FetchErrorKind, FetchOutcome, Fetcher};
use super::share::{shares, ShareReply, ShareRequest};
use super::workload::IoWorkload;
use crate::engine::limits::MAX_SAMPLES;
use crate::engine::measure::thread_id;
use crate::engine::measurement::{IoFacts, RunMeasurement};
use crate::engine::record::TaskRecord;
use crate::engine::window::{Instruments, RunWindow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

/// One finished request: times in ms since the model's run started. Public:
/// an entry of `tasks` in results for IO models.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestSpan {
    pub start_ms: f64,
    pub end_ms: f64,
    /// The slot it ran in: 0 for `seq`, the request's own slot for `all`
    /// and `workers`, one of k for `bounded` and `threads`.
    pub lane: u32,
    /// HTTP status, 0 if there was no response.
    pub status: u16,
    pub bytes: u64,
    pub error: Option<FetchErrorKind>,
    /// The worker instance that made it (`workers` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<u32>,
}

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
        self.slots.end(local, self.now_ms(), outcome);
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

    /// The requests of this run for k worker instances: contiguous,
    /// near-equal shares (see [`shares`]), on this run's time line.
    pub fn share_requests(&self, k: usize) -> Vec<ShareRequest> {
        shares(self.urls.len(), k)
            .into_iter()
            .enumerate()
            .map(|(worker, range)| ShareRequest {
                workload: self.workload.clone(),
                first_index: self.first_index + range.start,
                urls: self.urls[range].to_vec(),
                worker: worker as u32,
                origin_ms: self.origin_ms(),
            })
            .collect()
    }

    /// Records what a worker instance did with its share: its requests,
    /// its browser's messages, the protocol it saw.
    pub fn record_share(&self, reply: &ShareReply) {
        for (index, span) in &reply.spans {
            let message = span.error.and_then(|kind| reply.messages.get(&kind)).map(String::as_str);
            self.record_remote(*index, span, message);
        }
        if let Some(protocol) = &reply.protocol {
            self.note_protocol(protocol);
        }
    }

    /// Records a request that another instance made: `index` is its place
    /// in the whole request list.
    fn record_remote(&self, index: usize, span: &RequestSpan, message: Option<&str>) {
        let Some(local) = index.checked_sub(self.first_index).filter(|local| *local < self.urls.len()) else {
            return;
        };
        self.slots.begin(local, span.start_ms, span.lane, span.worker.unwrap_or(0));
        self.slots.set_worker(local, span.worker);
        let outcome = FetchOutcome { status: span.status, bytes: span.bytes, error: span.error, message: None };
        self.slots.end(local, span.end_ms, &outcome);
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

/// The most intervals [start, end) that overlap at any instant: the
/// requests in flight at once. Ends sort before starts at the same time,
/// so back-to-back requests count as one. O(n log n).
pub fn max_in_flight<'a>(spans: impl IntoIterator<Item = &'a RequestSpan>) -> u32 {
    let mut events: Vec<(u64, i32)> = Vec::new();
    for span in spans {
        events.push((micros(span.start_ms) as u64, 1));
        events.push((micros(span.end_ms) as u64, -1));
    }
    events.sort_unstable();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, delta) in events {
        now += delta;
        most = most.max(now);
    }
    most as u32
}

fn micros(ms: f64) -> u32 {
    (ms.max(0.0) * 1000.0).round().min(u32::MAX as f64) as u32
}

/// One slot per request, written by whichever thread made it.
struct RequestSlots {
    start_us: Box<[AtomicU32]>,
    end_us: Box<[AtomicU32]>,
    /// 0 = not started; otherwise lane + 1.
    lane_plus_one: Box<[AtomicU32]>,
    /// 0 = not ended; otherwise status + 1.
    status_plus_one: Box<[AtomicU32]>,
    bytes: Box<[AtomicU64]>,
    error: Box<[AtomicU32]>,
    thread: Box<[AtomicU32]>,
    /// 0 = none; otherwise worker + 1.
    worker_plus_one: Box<[AtomicU32]>,
}

impl RequestSlots {
    fn new(count: usize) -> Self {
        let zeros32 = || (0..count).map(|_| AtomicU32::new(0)).collect();
        Self {
            start_us: zeros32(),
            end_us: zeros32(),
            lane_plus_one: zeros32(),
            status_plus_one: zeros32(),
            bytes: (0..count).map(|_| AtomicU64::new(0)).collect(),
            error: zeros32(),
            thread: zeros32(),
            worker_plus_one: zeros32(),
        }
    }

    fn begin(&self, local: usize, start_ms: f64, lane: u32, thread: u32) {
        self.start_us[local].store(micros(start_ms), Relaxed);
        self.thread[local].store(thread, Relaxed);
        self.lane_plus_one[local].store(lane + 1, Relaxed);
    }

    fn set_worker(&self, local: usize, worker: Option<u32>) {
        self.worker_plus_one[local].store(worker.map_or(0, |w| w + 1), Relaxed);
    }

    fn end(&self, local: usize, end_ms: f64, outcome: &FetchOutcome) {
        self.end_us[local].store(micros(end_ms), Relaxed);
        self.bytes[local].store(outcome.bytes, Relaxed);
        self.error[local].store(outcome.error_code(), Relaxed);
        self.status_plus_one[local].store(outcome.status as u32 + 1, Relaxed);
    }

    /// Every started request, in index order. Call after the run has
    /// joined, or accept that a request still in flight reads as cancelled
    /// at `now_ms`.
    fn spans(&self, now_ms: f64) -> Vec<(usize, RequestSpan)> {
        (0..self.start_us.len())
            .filter_map(|local| {
                let lane = self.lane_plus_one[local].load(Relaxed).checked_sub(1)?;
                let start_ms = self.start_us[local].load(Relaxed) as f64 / 1000.0;
                let worker = self.worker_plus_one[local].load(Relaxed).checked_sub(1);
                let span = match self.status_plus_one[local].load(Relaxed).checked_sub(1) {
                    Some(status) => RequestSpan {
                        start_ms,
                        end_ms: self.end_us[local].load(Relaxed) as f64 / 1000.0,
                        lane,
                        status: status as u16,
                        bytes: self.bytes[local].load(Relaxed),
                        error: FetchOutcome::error_from_code(self.error[local].load(Relaxed)),
                        worker,
                    },
                    None => RequestSpan {
                        start_ms,
                        end_ms: now_ms.max(start_ms),
                        lane,
                        status: 0,
                        bytes: 0,
                        error: Some(FetchErrorKind::Cancelled),
                        worker,
                    },
                };
                Some((local, span))
            })
            .collect()
    }

    /// Distinct threads (or worker instances) that made requests.
    fn distinct_threads(&self) -> usize {
        (0..self.start_us.len())
            .filter(|&local| self.lane_plus_one[local].load(Relaxed) != 0)
            .map(|local| match self.worker_plus_one[local].load(Relaxed) {
                0 => (0, self.thread[local].load(Relaxed)),
                worker => (1, worker),
            })
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// A message set once by whichever thread offers one first, lock-free (a
/// `Mutex` or `OnceLock` could make the page's main thread wait).
#[derive(Default)]
struct FirstMessage(AtomicPtr<String>);

impl FirstMessage {
    fn offer(&self, message: &str) {
        if !self.0.load(Relaxed).is_null() {
            return;
        }
        let boxed = Box::into_raw(Box::new(message.to_string()));
        if self.0.compare_exchange(ptr::null_mut(), boxed, std::sync::atomic::Ordering::AcqRel, Relaxed).is_err() {
            // SAFETY: `boxed` came from Box::into_raw above and was not published.
            drop(unsafe { Box::from_raw(boxed) });
        }
    }

    fn get(&self) -> Option<String> {
        let pointer = self.0.load(std::sync::atomic::Ordering::Acquire);
        // SAFETY: a non-null pointer was published by `offer` and lives until drop.
        (!pointer.is_null()).then(|| unsafe { (*pointer).clone() })
    }
}

impl Drop for FirstMessage {
    fn drop(&mut self) {
        let pointer = *self.0.get_mut();
        if !pointer.is_null() {
            // SAFETY: published by `offer`, freed exactly once here.
            drop(unsafe { Box::from_raw(pointer) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start_ms: f64, end_ms: f64) -> RequestSpan {
        RequestSpan { start_ms, end_ms, lane: 0, status: 200, bytes: 1, error: None, worker: None }
    }

    #[test]
    fn back_to_back_requests_are_one_in_flight() {
        let spans = [span(0.0, 1.0), span(1.0, 2.0), span(2.0, 3.0)];
        assert_eq!(max_in_flight(&spans), 1);
        let overlapping = [span(0.0, 2.0), span(1.0, 3.0), span(1.5, 1.6), span(5.0, 6.0)];
        assert_eq!(max_in_flight(&overlapping), 3);
        assert_eq!(max_in_flight(&[]), 0);
    }

    #[test]
    fn first_message_keeps_the_first() {
        let message = FirstMessage::default();
        assert_eq!(message.get(), None);
        message.offer("one");
        message.offer("two");
        assert_eq!(message.get().as_deref(), Some("one"));
    }
}
