//! The worker-instance models' page side: k Web Workers, each a separate
//! wasm instance with its own memory (see worker_instance.js). CPU: fed
//! chunks of the task list the way `multiprocessing.Pool.map` feeds its
//! processes (`workers`: from one shared queue where SharedArrayBuffer
//! exists, else by message), or one task per message (`executor`). IO: each
//! given a contiguous share of the requests, to make at once (`workers`)
//! or one at a time, blocking (`procs`).
//!
//! Everything here runs on the page's main thread and only awaits: messages
//! in, messages out; the one thing shared is the queue's index, never a
//! lock, and never the instances' memories.

use crate::browser::platform::environment::shared_memory;
use crate::browser::platform::js_error::{describe_js_error, field};
use crate::browser::platform::page;
use crate::browser::platform::timers::sleep_ms;
use crate::browser::platform::worker_link::{main_js_url, message, WorkerLink};
use crate::engine::cpu::gil_token::{TokenAction, TokenKeeper, TokenRequest};
use crate::engine::measurement::instance_memory::{add_worker_instances, InstanceMemory, InstanceReport};
use crate::engine::measurement::records::TaskSpan;
use crate::engine::measurement::run_measurement::{GilFacts, RunMeasurement};
use crate::engine::measurement::wire::WireTimings;
use crate::engine::task::chunks::{chunk_request, chunks, GilReply};
use crate::engine::task::part::PartReply;
use crate::engine::task::run::ModelRun;
use crate::engine::task::shares::{dispatch_one, record_share, share_requests, ShareReply};
use crate::sorting::sort_by;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

#[wasm_bindgen(module = "/src/browser/threads/worker_instance.js")]
extern "C" {
    #[wasm_bindgen(js_name = spawnWorkerInstance, catch)]
    fn spawn_worker_instance(index: u32) -> Result<web_sys::Worker, JsValue>;
}

/// Where the instances' own build lies, beside the page (.ci/build-instances).
const INSTANCES_BUILD: &str = "instances/";

/// The answer a request gets when its instance was terminated by Stop.
const TERMINATED: &str = "terminated by Stop";

/// How many chunks a CPU run keeps with each instance: the one it runs and
/// the next, waiting in its message queue, so it starts the next the moment
/// it is free instead of idling while its reply travels to the page and a
/// new chunk travels back. CPython's workers do not wait for the parent
/// either: Pool.map puts every chunk in one task queue that free workers
/// read, and ProcessPoolExecutor keeps max_workers + 1 calls queued
/// (EXTRA_QUEUED_CALLS). Messages have no queue that several workers read,
/// so each instance holds its next chunk instead (where SharedArrayBuffer
/// exists, `run_from_queue` gives them one).
const CHUNKS_HELD: usize = 2;

/// One worker instance.
struct WorkerInstance {
    link: WorkerLink,
    memory: InstanceMemory,
}

impl WorkerInstance {
    /// Starts the worker of instance `index` and waits until its script runs.
    async fn spawn(index: u32) -> Result<WorkerLink, String> {
        let link = WorkerLink::new(spawn_worker_instance(index).map_err(|e| describe_js_error(&e))?);
        link.expect().await?;
        Ok(link)
    }

    /// Instantiates the module in a started worker: where threads can share
    /// memory, the page's own compiled module with a fresh memory; elsewhere
    /// (no SharedArrayBuffer: a page that is not isolated, or WebKit) the
    /// instances' own build, without atomics, fetched by the worker.
    async fn init(link: WorkerLink) -> Result<Self, String> {
        let init = match shared_memory() {
            true => message("init", &[("mainJs", &main_js_url()), ("module", &wasm_bindgen::module())]),
            false => {
                let base = format!("{}{INSTANCES_BUILD}", page::base_url());
                let glue = JsValue::from_str(&format!("{base}concurrency_playground.js"));
                let wasm = JsValue::from_str(&format!("{base}concurrency_playground_bg.wasm"));
                message("init", &[("mainJs", &glue), ("wasmUrl", &wasm)])
            }
        };
        let ready = link.request(&init).await?;
        let memory = parse(&field(&ready, "memory"))?;
        Ok(Self { link, memory })
    }
}

impl Drop for WorkerInstance {
    fn drop(&mut self) {
        self.link.worker().terminate();
    }
}

/// k worker instances, started together, terminated when dropped.
pub struct WorkerInstances {
    workers: Vec<WorkerInstance>,
}

impl WorkerInstances {
    /// Starts `count` instances: their workers one after another (WebKit
    /// puts only a worker started alone under the service worker's
    /// control), then their modules all at once.
    pub async fn start(count: u32) -> Result<Self, String> {
        let mut links = Vec::with_capacity(count as usize);
        for index in 0..count {
            links.push(WorkerInstance::spawn(index).await?);
        }
        let ready = futures_util::future::join_all(links.into_iter().map(WorkerInstance::init)).await;
        let workers = ready.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Self { workers })
    }

    /// One run: chunks of `chunk_size` tasks (Pool.map's for `workers`,
    /// one for `executor`) go to whichever instance is free, each holding
    /// [`CHUNKS_HELD`]; each reply's spans and memory are merged into the
    /// page's measurement. After Stop no new chunk is sent (and the Stop
    /// hook terminates the instances, `terminator`).
    pub async fn run(&mut self, run: &Arc<ModelRun>, chunk_size: usize) -> Result<RunMeasurement, String> {
        let chunks = RefCell::new(chunks(run.tasks().len(), chunk_size).into_iter().collect::<VecDeque<_>>());
        let messages = Cell::new(0u32);
        let log = MessageLog::new(run);
        // Sends instance `lane` one chunk: when, and the answer to await.
        let send = |lane: usize, worker: &WorkerInstance, chunk: Range<usize>| {
            let request = serde_json::to_string(&chunk_request(run, chunk, lane as u32)).expect("plain data");
            messages.set(messages.get() + 1);
            let sent_ms = log.sent();
            worker.link.send(&message("chunk", &[("request", &request.into())])).map(|answer| (sent_ms, answer))
        };
        // Sends instance `lane` the next chunk, unless Stop came or none is left.
        let send_next = |lane: usize, worker: &WorkerInstance| -> Result<_, String> {
            if run.is_cancelled() {
                return Ok(None);
            }
            let Some(chunk) = chunks.borrow_mut().pop_front() else { return Ok(None) };
            Ok(Some(send(lane, worker, chunk)?))
        };
        // The first chunks are taken a round at a time, one per instance,
        // so instance i holds chunks i, i + k, ... as free workers would
        // take them; but each instance is sent all it holds before the next
        // is sent any. A message to an idle instance wakes it, and on 2
        // cores the woken thread can take the page's core for milliseconds
        // (sched_switch traces: the page descheduled 0.7-3.4 ms after
        // waking one): a second round sent after that reached the first
        // instance after it had finished its first chunk and gone idle.
        let k = self.workers.len();
        let first: Vec<Range<usize>> = {
            let mut chunks = chunks.borrow_mut();
            let held_in_all = chunks.len().min(CHUNKS_HELD * k);
            chunks.drain(..held_in_all).collect()
        };
        let mut held: Vec<VecDeque<_>> = self.workers.iter().map(|_| VecDeque::new()).collect();
        for (lane, worker) in self.workers.iter().enumerate() {
            for chunk in first.iter().skip(lane).step_by(k) {
                if run.is_cancelled() {
                    break;
                }
                held[lane].push_back(send(lane, worker, chunk.clone())?);
            }
        }
        let lanes = self.workers.iter().zip(held).enumerate().map(|(lane, (worker, mut held))| {
            let (send_next, messages, log) = (&send_next, &messages, &log);
            async move {
                let mut checksum = 0;
                let mut report = InstanceReport::idle(worker.memory);
                while let Some((sent_ms, answer)) = held.pop_front() {
                    let answer = answer.await?;
                    if answer.as_string().as_deref() == Some(TERMINATED) {
                        // Stop: the chunks it held are lost; what came back stands.
                        break;
                    }
                    messages.set(messages.get() + 1);
                    log.replied(lane, sent_ms);
                    // It is already running the chunk it held; the next
                    // goes out before this reply is read.
                    held.extend(send_next(lane, worker)?);
                    let reply: PartReply = parse(&field(&answer, "reply"))?;
                    checksum += reply.record_into(run);
                    report.add(reply.memory_before, reply.memory, reply.samples);
                }
                Ok::<_, String>((checksum, report))
            }
        });
        let outcomes = futures_util::future::join_all(lanes).await;
        let mut checksum = 0;
        let mut reports = Vec::with_capacity(outcomes.len());
        for outcome in outcomes {
            let (lane_checksum, report) = outcome?;
            checksum += lane_checksum;
            reports.push(report);
        }
        let mut measurement = run.finish(checksum);
        measurement.shape.messages = Some(messages.get());
        log.into_measurement(&mut measurement);
        self.add_reports(&mut measurement, reports);
        Ok(measurement)
    }

    /// One `workers` run where SharedArrayBuffer exists, as
    /// multiprocessing.Pool runs it: the chunks wait in one queue the
    /// instances share (the next chunk's index, in a SharedArrayBuffer;
    /// their wasm memories stay apart, as processes' do), and a free
    /// instance takes the next at once, with no round trip to the page.
    /// Each chunk's reply comes back as an event, recorded as it arrives,
    /// so the live count moves and Stop (which terminates the instances)
    /// keeps what came back. One message each starts them, and one reply
    /// each says the queue is empty.
    pub async fn run_from_queue(&mut self, run: &Arc<ModelRun>, chunk_size: usize) -> Result<RunMeasurement, String> {
        let queue = js_sys::Int32Array::new(&js_sys::SharedArrayBuffer::new(4));
        let tally = Rc::new(QueueTally {
            checksum: Cell::new(0),
            events: Cell::new(0),
            failure: RefCell::new(None),
            reports: RefCell::new(self.workers.iter().map(|w| InstanceReport::idle(w.memory)).collect()),
        });
        for (lane, worker) in self.workers.iter().enumerate() {
            let (run, tally) = (run.clone(), tally.clone());
            worker.link.on_events(Some(Box::new(move |event| tally.take(&run, lane, &event))));
        }
        let log = MessageLog::new(run);
        let replies = self
            .workers
            .iter()
            .enumerate()
            .map(|(lane, worker)| {
                let request = serde_json::to_string(&chunk_request(run, run.tasks(), lane as u32)).expect("plain data");
                let start = message(
                    "queue",
                    &[("request", &request.into()), ("chunkSize", &(chunk_size as u32).into()), ("queue", &queue)],
                );
                let sent_ms = log.sent();
                let answer = worker.link.send(&start)?;
                let log = &log;
                Ok(async move {
                    let answer = answer.await?;
                    if answer.as_string().as_deref() != Some(TERMINATED) {
                        log.replied(lane, sent_ms);
                    }
                    Ok::<_, String>(())
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let replies = futures_util::future::join_all(replies).await;
        for worker in &self.workers {
            worker.link.on_events(None);
        }
        replies.into_iter().collect::<Result<Vec<()>, String>>()?;
        if let Some(failure) = tally.failure.take() {
            return Err(failure);
        }
        let mut measurement = run.finish(tally.checksum.get());
        // Out and back per instance, and one event per chunk.
        measurement.shape.messages = Some(2 * self.workers.len() as u32 + tally.events.get());
        log.into_measurement(&mut measurement);
        self.add_reports(&mut measurement, tally.reports.take());
        Ok(measurement)
    }

    /// One `gil` run where threads cannot share memory: every instance runs
    /// tasks only while it holds the one token this page keeps
    /// (`gil_token::TokenKeeper`), which hands it over by CPython's rules;
    /// their records, holds and waits come back when the queue is empty.
    /// After Stop (which terminates the instances) what came back stands.
    pub async fn run_gil(&mut self, run: &Arc<ModelRun>, switch_ms: u32) -> Result<RunMeasurement, String> {
        let lanes = self.workers.len() as u32;
        let keeper = Rc::new(RefCell::new(TokenKeeper::new(run.tasks().len(), lanes, switch_ms)));
        let workers: Vec<web_sys::Worker> = self.workers.iter().map(|w| w.link.worker().clone()).collect();
        let act = TokenActions::new(keeper.clone(), workers);
        for (lane, worker) in self.workers.iter().enumerate() {
            let (keeper, act) = (keeper.clone(), act.clone());
            worker.link.on_events(Some(Box::new(move |event| {
                let Ok(request) = parse::<TokenRequest>(&field(&event, "request")) else { return };
                let actions = keeper.borrow_mut().handle(lane as u32, request);
                act.perform(actions);
            })));
        }
        let log = MessageLog::new(run);
        let replies = self
            .workers
            .iter()
            .enumerate()
            .map(|(lane, worker)| {
                let request = serde_json::to_string(&chunk_request(run, run.tasks(), lane as u32)).expect("plain data");
                let sent_ms = log.sent();
                let answer = worker.link.send(&message("gil", &[("request", &request.into())]))?;
                let log = &log;
                Ok(async move {
                    let answer = answer.await;
                    log.replied(lane, sent_ms);
                    answer
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let replies = futures_util::future::join_all(replies).await;
        for worker in &self.workers {
            worker.link.on_events(None);
        }
        let mut checksum = 0;
        let mut reports: Vec<InstanceReport> = self.workers.iter().map(|w| InstanceReport::idle(w.memory)).collect();
        let (mut holds, mut waits) = (Vec::new(), Vec::new());
        for (report, answer) in reports.iter_mut().zip(replies) {
            let answer = answer?;
            if answer.as_string().as_deref() == Some(TERMINATED) {
                continue;
            }
            let reply: GilReply = parse(&field(&answer, "reply"))?;
            checksum += reply.part.record_into(run);
            report.add(reply.part.memory_before, reply.part.memory, reply.part.samples);
            holds.extend(reply.holds);
            waits.extend(reply.waits);
        }
        sort_by(&mut holds, |a, b| a.start_ms.total_cmp(&b.start_ms));
        sort_by(&mut waits, |a, b| a.start_ms.total_cmp(&b.start_ms));
        let wait_ms = waits.iter().map(|wait| wait.end_ms - wait.start_ms).sum();
        let mut measurement = run.finish(checksum);
        measurement.shape.gil = Some(GilFacts { switches: keeper.borrow().switches(), wait_ms, holds, waits });
        log.into_measurement(&mut measurement);
        self.add_reports(&mut measurement, reports);
        Ok(measurement)
    }

    /// One IO run: each instance gets a contiguous share of the requests
    /// and makes them all at once; its records, samples and memory are
    /// merged into the page's run as they come back.
    pub async fn run_io(&mut self, run: &Arc<ModelRun>) -> Result<(RunMeasurement, WireTimings), String> {
        let requests = share_requests(run, self.workers.len());
        let log = MessageLog::new(run);
        let replies = futures_util::future::join_all(requests.into_iter().zip(&self.workers).enumerate().map(
            |(lane, (request, worker))| {
                let log = &log;
                async move {
                    let request = serde_json::to_string(&request).expect("plain data");
                    let sent_ms = log.sent();
                    let answer = worker.link.request(&message("share", &[("request", &request.into())])).await?;
                    log.replied(lane, sent_ms);
                    parse::<ShareReply>(&field(&answer, "reply"))
                }
            },
        ))
        .await;
        let mut reports: Vec<InstanceReport> = self.workers.iter().map(|w| InstanceReport::idle(w.memory)).collect();
        let (mut wire, mut checksum) = (WireTimings::default(), 0);
        for (report, reply) in reports.iter_mut().zip(replies) {
            let reply = reply?;
            checksum += record_share(run, &reply);
            wire.add(reply.wire);
            report.add(reply.part.memory_before, reply.part.memory, reply.part.samples);
        }
        let mut measurement = run.finish(checksum);
        log.into_measurement(&mut measurement);
        self.add_reports(&mut measurement, reports);
        Ok((measurement, wire))
    }

    /// One `procs` run: each instance is sent the next URL when it has
    /// answered the last (ProcessPoolExecutor.map), and makes that one
    /// request. Stop aborts it (`aborter`); no next URL is sent.
    pub async fn run_io_one_by_one(&mut self, run: &Arc<ModelRun>) -> Result<(RunMeasurement, WireTimings), String> {
        let queue = RefCell::new(run.tasks().collect::<VecDeque<_>>());
        let log = MessageLog::new(run);
        let lanes = self.workers.iter().enumerate().map(|(worker_index, worker)| {
            let (queue, log) = (&queue, &log);
            async move {
                let (mut report, mut wire, mut checksum) =
                    (InstanceReport::idle(worker.memory), WireTimings::default(), 0);
                while !run.is_cancelled() {
                    let Some(task) = queue.borrow_mut().pop_front() else { break };
                    let request = dispatch_one(run, task, worker_index as u32);
                    let request = serde_json::to_string(&request).expect("plain data");
                    let sent_ms = log.sent();
                    let answer = worker.link.request(&message("share", &[("request", &request.into())])).await?;
                    if answer.as_string().as_deref() == Some(TERMINATED) {
                        break;
                    }
                    log.replied(worker_index, sent_ms);
                    let reply: ShareReply = parse(&field(&answer, "reply"))?;
                    checksum += record_share(run, &reply);
                    wire.add(reply.wire);
                    report.add(reply.part.memory_before, reply.part.memory, reply.part.samples);
                }
                Ok::<_, String>((report, wire, checksum))
            }
        });
        let outcomes = futures_util::future::join_all(lanes).await;
        let (mut reports, mut wire, mut checksum) = (Vec::with_capacity(outcomes.len()), WireTimings::default(), 0);
        for outcome in outcomes {
            let (report, lane_wire, lane_checksum) = outcome?;
            wire.add(lane_wire);
            checksum += lane_checksum;
            reports.push(report);
        }
        let mut measurement = run.finish(checksum);
        log.into_measurement(&mut measurement);
        self.add_reports(&mut measurement, reports);
        Ok((measurement, wire))
    }

    /// Adds what each instance reported to the page's measurement, and
    /// keeps each instance's latest memory for the next run.
    fn add_reports(&mut self, measurement: &mut RunMeasurement, reports: Vec<InstanceReport>) {
        for (worker, report) in self.workers.iter_mut().zip(&reports) {
            worker.memory = report.after;
        }
        add_worker_instances(measurement, &reports);
    }

    /// A handle that stops a CPU run at once (Stop): every instance is
    /// terminated, losing the chunk it was running. That is safe here as it
    /// is not for threads: an instance shares no memory with the page, so
    /// it can hold no lock of the page's.
    pub fn terminator(&self) -> impl Fn() + 'static {
        let links: Vec<(web_sys::Worker, std::rc::Rc<dyn Fn()>)> =
            self.workers.iter().map(|w| (w.link.worker().clone(), w.link.answerer(TERMINATED))).collect();
        move || {
            for (worker, answer) in &links {
                worker.terminate();
                answer();
            }
        }
    }

    pub fn count(&self) -> u32 {
        self.workers.len() as u32
    }

    /// What the instances hold in all, ready and idle: their start-up cost.
    pub fn memory(&self) -> InstanceMemory {
        self.workers.iter().fold(InstanceMemory::default(), |sum, worker| InstanceMemory {
            wasm_memory_bytes: sum.wasm_memory_bytes + worker.memory.wasm_memory_bytes,
            live_heap_bytes: sum.live_heap_bytes + worker.memory.live_heap_bytes,
            peak_live_heap_bytes: sum.peak_live_heap_bytes + worker.memory.peak_live_heap_bytes,
        })
    }

    /// A handle that aborts every instance's requests (Stop) while a run is
    /// being awaited: each instance stops starting requests and aborts
    /// those in flight, then replies with what it has.
    pub fn aborter(&self) -> impl Fn() + 'static {
        let workers: Vec<web_sys::Worker> = self.workers.iter().map(|w| w.link.worker().clone()).collect();
        move || {
            let abort = message("abort", &[]);
            for worker in &workers {
                let _ = worker.post_message(&abort);
            }
        }
    }
}

/// What the chunks' replies of a shared-queue run add up to, taken as
/// their events arrive.
struct QueueTally {
    checksum: Cell<u128>,
    events: Cell<u32>,
    /// The first reply that could not be read: the run fails with it.
    failure: RefCell<Option<String>>,
    reports: RefCell<Vec<InstanceReport>>,
}

impl QueueTally {
    fn take(&self, run: &ModelRun, lane: usize, event: &JsValue) {
        self.events.set(self.events.get() + 1);
        match parse::<PartReply>(&field(event, "reply")) {
            Ok(reply) => {
                self.checksum.set(self.checksum.get() + reply.record_into(run));
                if let Some(report) = self.reports.borrow_mut().get_mut(lane) {
                    report.add(reply.memory_before, reply.memory, reply.samples);
                }
            }
            Err(error) => {
                self.failure.borrow_mut().get_or_insert(error);
            }
        }
    }
}

/// The page's messages to its instances in one run: when each was sent
/// and when its reply was read (the replay's message events). A message
/// whose reply never came (Stop) is left out.
struct MessageLog<'a> {
    run: &'a ModelRun,
    spans: RefCell<Vec<TaskSpan>>,
}

impl<'a> MessageLog<'a> {
    fn new(run: &'a ModelRun) -> Self {
        Self { run, spans: RefCell::new(Vec::new()) }
    }

    /// Now, to pass back to [`MessageLog::replied`].
    fn sent(&self) -> f64 {
        self.run.now_ms()
    }

    fn replied(&self, lane: usize, sent_ms: f64) {
        let span = TaskSpan { start_ms: sent_ms, end_ms: self.run.now_ms(), lane: lane as u32 };
        self.spans.borrow_mut().push(span);
    }

    fn into_measurement(self, measurement: &mut RunMeasurement) {
        let mut spans = self.spans.into_inner();
        sort_by(&mut spans, |a, b| a.start_ms.total_cmp(&b.start_ms));
        measurement.shape.instance_messages = Some(spans);
    }
}

/// What the page does for the token keeper: sends each instance its
/// answers, and keeps the reminders of waiters' switch intervals (a timer
/// each, which hands the keeper back its switch number).
#[derive(Clone)]
struct TokenActions {
    keeper: Rc<RefCell<TokenKeeper>>,
    workers: Rc<Vec<web_sys::Worker>>,
}

impl TokenActions {
    fn new(keeper: Rc<RefCell<TokenKeeper>>, workers: Vec<web_sys::Worker>) -> Self {
        Self { keeper, workers: Rc::new(workers) }
    }

    fn perform(&self, actions: Vec<TokenAction>) {
        for action in actions {
            if let TokenAction::Remind { after_ms, switch_number } = action {
                let this = self.clone();
                spawn_local(async move {
                    sleep_ms(after_ms as i32).await;
                    let actions = this.keeper.borrow_mut().interval_passed(switch_number);
                    this.perform(actions);
                });
                continue;
            }
            let Some((lane, answer)) = action.answer() else { continue };
            let answer = serde_json::to_string(&answer).expect("plain data");
            if let Some(worker) = self.workers.get(lane as usize) {
                let _ = worker.post_message(&message("token", &[("answer", &answer.into())]));
            }
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(json: &JsValue) -> Result<T, String> {
    let text = json.as_string().ok_or("the worker sent no JSON")?;
    serde_json::from_str(&text).map_err(|e| format!("bad message from a worker: {e}"))
}
