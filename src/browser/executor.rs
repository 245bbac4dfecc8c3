//! The engine's `Executor` in the browser: where each model's threads come
//! from. CPU: `main` and the async models run right here on the page's
//! thread, `seq` on one worker of the global rayon pool, `gil` and `rayon`
//! on k threads of that pool (`ThreadLimit`), `workers` and `executor` on k
//! worker instances. IO: `seq`, `all` and `bounded` are futures on the
//! page's thread, `threads` blocks in requests on k threads of this
//! instance, `workers` and `procs` run on k worker instances.
//! All of them run the engine's one run state (`ModelRun`) in its shapes.

use crate::browser::network::agent::{AgentFetcher, NetworkAgent};
use crate::browser::network::fetch::PageFetcher;
use crate::browser::network::resource_timing;
use crate::browser::network::service_worker::ServiceWorkerState;
use crate::browser::platform::clock::{CLOCK, MEMORY};
use crate::browser::platform::environment::{no_shared_memory_reason, shared_memory};
use crate::browser::platform::heartbeat;
use crate::browser::platform::page;
use crate::browser::platform::panic;
use crate::browser::platform::stop::StopSignal;
use crate::browser::platform::timers::{after_next_paint, sleep_ms, yield_to_event_loop, Interval};
use crate::browser::threads::instance_threads::ThreadPool;
use crate::browser::threads::rayon_pool::{pool_failed, run_on_global_pool, ThreadLimit};
use crate::browser::threads::worker_instances::WorkerInstances;
use crate::engine::configuration::config::Config;
use crate::engine::configuration::plan::RunPlan;
use crate::engine::cpu::gil::{Gil, DEFAULT_SWITCH_MS};
use crate::engine::cpu::model::CpuModel;
use crate::engine::cpu::sieve;
use crate::engine::io::fetch::NoNetwork;
use crate::engine::io::model::IoModel;
use crate::engine::io::on_wire::add_on_wire;
use crate::engine::io::workload::IoSource;
use crate::engine::measurement::probes::{thread_id, Clock, MemoryProbe};
use crate::engine::measurement::records::{FetchErrorKind, TaskRecord};
use crate::engine::measurement::run_measurement::{RunMeasurement, Startup};
use crate::engine::measurement::run_window::{Instruments, LiveCount};
use crate::engine::measurement::sampling::SAMPLE_PERIOD_MS;
use crate::engine::measurement::slots::AtomicSum;
use crate::engine::model::Model;
use crate::engine::placement::Placement;
use crate::engine::running::scheduler::Executor;
use crate::engine::running::small_polls::boxed;
use crate::engine::task::run::ModelRun;
use crate::engine::task::shapes::Lanes;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use wasm_bindgen_futures::JsFuture;

/// How long a run waits after the progress line has painted: compositing
/// that frame (software GL in headless Chromium) runs on other threads for
/// a few milliseconds, which on 2 cores took a core from a run's second
/// thread or instance just as it started.
const SETTLE_MS: i32 = 30;

/// The state of the page's global rayon pool.
#[derive(Clone, Debug, PartialEq)]
pub enum PoolState {
    Starting,
    Ready {
        threads: usize,
        startup_ms: f64,
        /// What one pool thread holds (its stack and thread-locals).
        bytes_per_thread: u64,
    },
    Failed(String),
    /// Not cross-origin isolated: SharedArrayBuffer is off.
    Unavailable(String),
}

/// What the page had ready when a run started, and why not.
#[derive(Clone, Debug, PartialEq)]
pub struct Readiness {
    pub pool: PoolState,
    pub service_worker: ServiceWorkerState,
}

thread_local! {
    /// IO runs so far on this page: each run's URLs carry its number, so no
    /// two requests of the page's life share a URL (and a cache entry).
    static IO_RUNS: Cell<u32> = const { Cell::new(0) };
}

pub struct BrowserExecutor {
    ready: Readiness,
    stop: StopSignal,
    /// The current run's progress, which the page shows while it goes.
    live: Arc<LiveCount>,
    thread_limit: Option<ThreadLimit>,
    instances: Option<WorkerInstances>,
    threads: Option<ThreadPool>,
}

impl BrowserExecutor {
    pub fn new(ready: Readiness, stop: StopSignal, live: Arc<LiveCount>) -> Self {
        Self { ready, stop, live, thread_limit: None, instances: None, threads: None }
    }

    fn instruments(&self, cancel: &Arc<AtomicBool>) -> Instruments {
        Instruments { clock: &CLOCK, memory: &MEMORY, cancel: cancel.clone(), live: self.live.clone() }
    }

    async fn run_io(
        &mut self,
        model: IoModel,
        plan: &RunPlan,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> Result<RunMeasurement, String> {
        let workload = config.io_workload();
        let run_number = IO_RUNS.with(|runs| {
            runs.set(runs.get() + 1);
            runs.get()
        });
        let urls = config.workload().request_urls(&page::base_url(), run_number);
        resource_timing::start_run();
        // The threads' network agent forgets earlier runs before this one starts.
        let agent = match model {
            IoModel::Threads | IoModel::Gil => {
                let agent = NetworkAgent::get().await?;
                boxed(agent.start_run()).await?;
                Some(agent)
            }
            _ => None,
        };
        let run = ModelRun::start(config.workload(), urls, &self.instruments(cancel), plan.fault);
        let stamp_send_time = workload.source == IoSource::Sim;
        // While requests are pending nothing else runs to sample memory.
        let sampler = {
            let run = run.clone();
            Interval::every(SAMPLE_PERIOD_MS as i32, move || run.sample_now(false))
        };
        let (mut measurement, wire) = match model {
            IoModel::Seq | IoModel::All | IoModel::Bounded => {
                let fetcher = Rc::new(PageFetcher::new(workload.timeout_ms, stamp_send_time)?);
                let _abort = {
                    let fetcher = fetcher.clone();
                    self.stop.on_stop(move || fetcher.abort())
                };
                // Boxed, as every model's part below: each request's end
                // polls it (engine::running::small_polls).
                let checksum = match model {
                    IoModel::Seq => boxed(run.run_in_turn(run.tasks(), 0, fetcher.as_ref())).await,
                    IoModel::All => boxed(run.run_gathered(Lanes::PerTask, fetcher.as_ref())).await,
                    _ => boxed(run.run_bounded(plan.in_flight.unwrap_or(1), fetcher.as_ref())).await,
                };
                if let Some(protocol) = resource_timing::protocol() {
                    run.note_protocol(&protocol);
                }
                (run.finish(checksum), resource_timing::wire_timings())
            }
            // k threads of this instance blocked in requests, under one
            // GIL (`gil`, let go while they wait) or none (`threads`).
            IoModel::Threads | IoModel::Gil => {
                let pool = self.threads.as_ref().ok_or("the threads were not prepared")?;
                let agent = agent.ok_or("the network agent did not start")?;
                // Stop aborts the agent's requests: each blocked thread wakes
                // with its request cancelled and takes no next one.
                let _abort = self.stop.on_stop(agent.aborter());
                let switch_ms = plan.switch_ms.unwrap_or(DEFAULT_SWITCH_MS);
                let gil = (model == IoModel::Gil).then(|| Arc::new(Gil::new(switch_ms)));
                let (job_run, job_gil, timeout_ms) = (run.clone(), gil.clone(), workload.timeout_ms);
                let computed = Arc::new(AtomicSum::default());
                let job_computed = computed.clone();
                boxed(pool.run(Rc::new(move |lane: u32| {
                    let fetcher = AgentFetcher { timeout_ms, stamp_send_time };
                    job_computed.add(job_run.run_blocking_lane(lane, job_gil.as_deref(), &fetcher));
                })))
                .await?;
                let mut measurement = run.finish(computed.get());
                measurement.shape.gil = gil.map(|gil| gil.facts());
                let (timings, protocol) = boxed(agent.wire_timings(run.tasks().len())).await?;
                if let (Some(io), Some(protocol)) = (measurement.io.as_mut(), protocol) {
                    io.protocol = Some(protocol);
                }
                (measurement, timings)
            }
            IoModel::Workers => {
                let instances = self.instances.as_mut().ok_or("the worker instances were not prepared")?;
                let _abort = self.stop.on_stop(instances.aborter());
                boxed(instances.run_io(&run)).await?
            }
            IoModel::Procs => {
                let instances = self.instances.as_mut().ok_or("the worker instances were not prepared")?;
                let _abort = self.stop.on_stop(instances.aborter());
                boxed(instances.run_io_one_by_one(&run)).await?
            }
        };
        drop(sampler);
        add_on_wire(&mut measurement, workload.source == IoSource::Sim, &wire);
        if workload.source == IoSource::Url {
            if let Some(url) = &workload.url {
                diagnose_network_failures(&mut measurement, url).await;
            }
        }
        Ok(measurement)
    }
}

impl Executor for BrowserExecutor {
    fn unavailable_reason(&self, plan: &RunPlan, config: &Config) -> Option<String> {
        let Some(placement) = plan.placement else {
            // One line a reader understands; the environment panel has more.
            return Some(format!(
                "{} needs threads that share one memory. {}",
                plan.model().id(),
                no_shared_memory_reason().unwrap_or_default()
            ));
        };
        let on_this_instance =
            matches!(placement, Placement::PoolJob | Placement::LimitedPool | Placement::InstanceThreads);
        // A thread of this instance died: its pool and threads are suspect.
        if let (true, Some(message)) = (on_this_instance, panic::fatal_message()) {
            return Some(pool_failed(&message));
        }
        let pool_ready = match &self.ready.pool {
            PoolState::Failed(reason) | PoolState::Unavailable(reason) => Some(reason.clone()),
            PoolState::Starting => Some("The thread pool is still starting.".into()),
            PoolState::Ready { .. } => None,
        };
        let service_worker_ready = match &self.ready.service_worker {
            ServiceWorkerState::Ready => None,
            ServiceWorkerState::Starting => Some("The service worker (the latency source) is still starting.".into()),
            ServiceWorkerState::Unavailable(reason) => Some(reason.clone()),
        };
        match (placement, plan.model()) {
            (Placement::PoolJob | Placement::LimitedPool, _) => pool_ready,
            (_, Model::Io(_)) if config.io.source == IoSource::Sim => service_worker_ready,
            _ => None,
        }
    }

    async fn prepare(&mut self, plan: &RunPlan) -> Result<Startup, String> {
        let placement = plan.placement.ok_or("it cannot run here")?;
        // The page's one network agent, which makes blocked threads'
        // requests, starts before any model's start-up is measured: it is
        // the page's, not the model's (as the OS's network stack is).
        if placement == Placement::InstanceThreads {
            NetworkAgent::get().await?;
        }
        let started_ms = CLOCK.now_ms();
        let (wasm_before, heap_before) = (MEMORY.wasm_memory_bytes(), MEMORY.live_heap_bytes());
        let pool_thread_bytes = match self.ready.pool {
            PoolState::Ready { bytes_per_thread, .. } => bytes_per_thread,
            _ => 0,
        };
        // Who holds the model's memory: k of the page's pool threads (their
        // stacks, allocated when the page started the pool), k new threads
        // of this instance (their stacks and thread-locals, which grow this
        // instance's heap), or k worker instances (their whole memories).
        let (held_bytes, holders, instances) = match placement {
            Placement::PageThread => (0, 0, None),
            Placement::PoolJob => (pool_thread_bytes, 1, None),
            Placement::LimitedPool => {
                let pool_threads = match self.ready.pool {
                    PoolState::Ready { threads, .. } => threads,
                    _ => 0,
                };
                self.thread_limit = Some(ThreadLimit::start(plan.threads as usize, pool_threads).await?);
                (plan.threads as u64 * pool_thread_bytes, plan.threads, None)
            }
            Placement::InstanceThreads => {
                let threads = ThreadPool::start(plan.threads).await?;
                let count = threads.count();
                self.threads = Some(threads);
                (MEMORY.live_heap_bytes().saturating_sub(heap_before), count, None)
            }
            Placement::WorkerInstances => {
                let instances = WorkerInstances::start(plan.threads).await?;
                let memory = instances.memory();
                let count = instances.count();
                self.instances = Some(instances);
                (memory.wasm_memory_bytes, count, Some(memory))
            }
        };
        // New instances' memories are wholly the model's.
        Ok(Startup {
            ms: CLOCK.now_ms() - started_ms,
            wasm_memory_bytes: MEMORY.wasm_memory_bytes().saturating_sub(wasm_before)
                + instances.map_or(0, |m| m.wasm_memory_bytes),
            live_heap_bytes: MEMORY.live_heap_bytes().saturating_sub(heap_before)
                + instances.map_or(0, |m| m.live_heap_bytes),
            held_bytes,
            holders,
        })
    }

    async fn before_run(&mut self) {
        // Let the progress line paint before a run starts (and before `main`
        // freezes the page).
        after_next_paint().await;
        sleep_ms(SETTLE_MS).await;
    }

    async fn run(
        &mut self,
        plan: &RunPlan,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> Result<RunMeasurement, String> {
        let cpu = match plan.model() {
            Model::Io(io) => return boxed(self.run_io(io, plan, config, cancel)).await,
            Model::Cpu(cpu) => cpu,
        };
        let on_instances = plan.placement == Some(Placement::WorkerInstances);
        let run = ModelRun::start(config.workload(), Vec::new(), &self.instruments(cancel), plan.fault);
        // A CPU workload's tasks never wait: no network is needed.
        let checksum = match cpu {
            // Synchronously, here: the page freezes until it ends (by design).
            // [model-code: cpu-main]
            CpuModel::Main => run.run_sequential(run.tasks(), thread_id(), &NoNetwork),
            // [/model-code]
            // Not isolated: no pool, so the loop runs in one worker instance.
            CpuModel::Seq if on_instances => {
                let instances = self.instances.as_mut().ok_or("the worker instance was not prepared")?;
                let _terminate = self.stop.on_stop(instances.terminator());
                return boxed(instances.run(&run, run.tasks().len())).await;
            }
            // [model-code: cpu-seq]
            CpuModel::Seq => {
                let shared = run.clone();
                run_on_global_pool(move || shared.run_sequential(shared.tasks(), thread_id(), &NoNetwork)).await?
            }
            // [/model-code]
            // [model-code: cpu-rayon]
            CpuModel::Rayon => {
                let shared = run.clone();
                run_on_global_pool(move || shared.run_par_iter(&NoNetwork)).await?
            }
            // [/model-code]
            // Synchronously, here, as coroutines that never await: the
            // event loop, and with it the page, waits until all are done.
            // [model-code: cpu-async_noawait]
            CpuModel::AsyncNoawait => run.run_gathered(Lanes::One(thread_id()), &NoNetwork).await,
            // [/model-code]
            // [model-code: cpu-async]
            CpuModel::Async => {
                let (checksum, yields) = boxed(run.run_yielding(thread_id(), yield_to_event_loop, &NoNetwork)).await;
                let mut measurement = run.finish(checksum);
                measurement.shape.yields = Some(yields);
                return Ok(measurement);
            }
            // [/model-code]
            // No shared memory here: k worker instances, computing only
            // while they hold the one token this page keeps.
            CpuModel::Gil if on_instances => {
                let instances = self.instances.as_mut().ok_or("the worker instances were not prepared")?;
                let _terminate = self.stop.on_stop(instances.terminator());
                return boxed(instances.run_gil(&run, plan.switch_ms.unwrap_or(DEFAULT_SWITCH_MS))).await;
            }
            // k threads of the pool (the rest parked), under one lock that
            // only they touch: the page's thread just awaits the result.
            // [model-code: cpu-gil]
            CpuModel::Gil => {
                let (shared, threads, switch_ms) =
                    (run.clone(), plan.threads, plan.switch_ms.unwrap_or(DEFAULT_SWITCH_MS));
                let (checksum, gil) =
                    run_on_global_pool(move || shared.run_under_gil_on_pool(threads, switch_ms, &NoNetwork)).await?;
                let mut measurement = run.finish(checksum);
                measurement.shape.gil = Some(gil);
                return Ok(measurement);
            }
            // [/model-code]
            CpuModel::Workers | CpuModel::Executor => {
                let chunk_size = plan.chunk_size.unwrap_or(1) as usize;
                let instances = self.instances.as_mut().ok_or("the worker instances were not prepared")?;
                let _terminate = self.stop.on_stop(instances.terminator());
                // Pool.map's workers read one shared queue; the executor's
                // lesson is the message each task costs, so it keeps it.
                if cpu == CpuModel::Workers && shared_memory() {
                    return boxed(instances.run_from_queue(&run, chunk_size)).await;
                }
                return boxed(instances.run(&run, chunk_size)).await;
            }
        };
        Ok(run.finish(checksum))
    }

    async fn release(&mut self, plan: &RunPlan) {
        match plan.placement {
            Some(Placement::WorkerInstances) => self.instances = None,
            Some(Placement::LimitedPool) => {
                if let Some(limit) = self.thread_limit.take() {
                    limit.release().await;
                }
                free_pool_sieve_buffers().await;
            }
            Some(Placement::PoolJob) => free_pool_sieve_buffers().await,
            Some(Placement::PageThread) => sieve::free_thread_buffers(),
            // Awaited: the threads free their stacks themselves, and a
            // model started while they still were would see the heap shrink
            // under its own start-up.
            Some(Placement::InstanceThreads) => {
                if let Some(threads) = self.threads.take() {
                    threads.shut_down().await;
                }
            }
            None => {}
        }
    }

    fn heartbeat_ticks(&self) -> u64 {
        heartbeat::ticks()
    }

    fn clock(&self) -> &dyn Clock {
        &CLOCK
    }
}

/// A failed `fetch()` does not tell a page whether the host was unreachable
/// or refused to let the page read the answer (CORS): the Fetch standard
/// hides it. One `no-cors` request, made after the run, can tell: if it
/// resolves, the host answered, so the failures were CORS refusals. Under
/// `Cross-Origin-Embedder-Policy: require-corp` (an isolated page) that
/// request is blocked too, and the failures stay `network`, explained.
async fn diagnose_network_failures(measurement: &mut RunMeasurement, url: &str) {
    let Some(facts) = measurement.io.as_mut() else { return };
    let Some(&count) = facts.failures.get(&FetchErrorKind::Network) else { return };
    let Some(window) = web_sys::window() else { return };
    let init = web_sys::RequestInit::new();
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_cache(web_sys::RequestCache::NoStore);
    let reachable = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.is_ok();
    if !reachable {
        return;
    }
    facts.failures.remove(&FetchErrorKind::Network);
    facts.failures.insert(FetchErrorKind::Cors, count);
    if let Some(message) = facts.failure_messages.remove(&FetchErrorKind::Network) {
        facts.failure_messages.insert(
            FetchErrorKind::Cors,
            format!("{message} (the host answered a no-cors request, so it is up: its responses lack Access-Control-Allow-Origin)"),
        );
    }
    for task in &mut measurement.tasks {
        if let TaskRecord::Request(request) = task {
            if request.error == Some(FetchErrorKind::Network) {
                request.error = Some(FetchErrorKind::Cors);
            }
        }
    }
}

/// Every thread of the global pool frees its sieve buffers (`rayon::broadcast`
/// runs the closure once on each), awaited from the page as any pool job is.
/// A pool that did not start has nothing to free.
async fn free_pool_sieve_buffers() {
    let _ = run_on_global_pool(|| {
        rayon::broadcast(|_| sieve::free_thread_buffers());
    })
    .await;
}
