//! Every model's code path run natively, on std threads: the executor that
//! `cargo test` pushes one workload through to demand the same checksum from
//! all models, and the native baseline for benchmarks.
//!
//! Each model runs the same engine code as in the browser. CPU: `main` and
//! `seq` call [`CpuRun::run_sequential`], the async models
//! [`CpuRun::run_gathered_without_awaits`] and [`CpuRun::run_yielding`] on
//! this thread, `gil` runs [`CpuRun::run_under_gil`] on k threads, `rayon`
//! calls [`CpuRun::run_par_iter`] inside a k-thread pool, and `workers` and
//! `executor` send chunks (Pool.map's, or one task each) to k threads that
//! each run [`worker_instances::run_chunk`]. IO:
//! `seq`, `all` and `bounded` await [`IoRun`]'s shapes on this thread,
//! `threads` runs [`IoRun::run_blocking_lane`] on k std threads, and
//! `workers` and `procs` run [`io_instances::run_share`] and
//! [`io_instances::run_share_in_turn`] on k threads, replies going through
//! JSON as between a page and its instances. What differs from the browser
//! is only where threads come from, and the network: natively it is
//! whatever [`Fetcher`] the caller gives (tests use a fake one).

use super::scheduler::{run_models, Executor};
use crate::engine::configuration::config::Config;
use crate::engine::configuration::parser::ConfigMessage;
use crate::engine::configuration::plan::RunPlan;
use crate::engine::cpu::gil::DEFAULT_SWITCH_MS;
use crate::engine::cpu::model::CpuModel;
use crate::engine::cpu::run::{CpuRun, Tally};
use crate::engine::cpu::worker_instances::{self, ChunkReply};
use crate::engine::io::fetch::{BlockingFetcher, FetchOutcome, Fetcher};
use crate::engine::io::model::IoModel;
use crate::engine::io::run::IoRun;
use crate::engine::io::worker_instances::{self as io_instances, ShareReply};
use crate::engine::measurement::probes::{thread_id, NativeClock, NativeMemory};
use crate::engine::measurement::records::FetchErrorKind;
use crate::engine::measurement::run_measurement::{RunMeasurement, Startup};
use crate::engine::measurement::run_window::Instruments;
use crate::engine::model::Model;
use crate::engine::placement::Placement;
use crate::engine::reporting::results::{Environment, Results};
use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// The base of the URLs native IO runs request (they never leave the process).
pub const NATIVE_BASE_URL: &str = "native://playground/";

pub struct NativeExecutor<N = NoNetwork> {
    pool: Option<rayon::ThreadPool>,
    network: N,
    runs: u32,
}

impl Default for NativeExecutor<NoNetwork> {
    fn default() -> Self {
        Self::with_network(NoNetwork)
    }
}

impl<N> NativeExecutor<N> {
    pub fn with_network(network: N) -> Self {
        Self { pool: None, network, runs: 0 }
    }

    /// The network back, to read what it counted.
    pub fn into_network(self) -> N {
        self.network
    }
}

impl<N: Fetcher + BlockingFetcher + Sync> Executor for NativeExecutor<N> {
    fn unavailable_reason(&self, plan: &RunPlan, _config: &Config) -> Option<String> {
        plan.placement.is_none().then(|| "it needs threads that share one memory".to_string())
    }

    /// Natively only a limited pool is got ready: a rayon pool of k
    /// threads. Other threads and "instances" are std threads each run starts.
    async fn prepare(&mut self, plan: &RunPlan) -> Result<Startup, String> {
        if plan.placement == Some(Placement::LimitedPool) {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(plan.threads as usize).build();
            self.pool = Some(pool.map_err(|error| error.to_string())?);
        }
        Ok(Startup::default())
    }

    async fn run(
        &mut self,
        plan: &RunPlan,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> Result<RunMeasurement, String> {
        self.runs += 1;
        match plan.model() {
            Model::Cpu(cpu) => self.run_cpu(cpu, plan, config, cancel),
            Model::Io(io) => Ok(self.run_io(io, plan, config, cancel).await),
        }
    }

    async fn release(&mut self, _plan: &RunPlan) {
        self.pool = None;
    }

    fn heartbeat_ticks(&self) -> u64 {
        0
    }
}

impl<N: Fetcher + BlockingFetcher + Sync> NativeExecutor<N> {
    fn run_cpu(
        &self,
        model: CpuModel,
        plan: &RunPlan,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> Result<RunMeasurement, String> {
        let workload = config.cpu_workload();
        let run = CpuRun::start(workload, &Instruments::new(&NativeClock, &NativeMemory, cancel.clone()));
        let all_tasks = 0..workload.task_count();
        let tally = match model {
            CpuModel::Main => run.run_sequential(all_tasks, thread_id()),
            CpuModel::Seq => {
                let run = run.clone();
                std::thread::spawn(move || run.run_sequential(all_tasks, thread_id()))
                    .join()
                    .map_err(|_| "the worker thread panicked".to_string())?
            }
            CpuModel::Rayon => {
                let pool = self.pool.as_ref().ok_or("rayon model was not prepared")?;
                pool.install(|| run.run_par_iter())
            }
            CpuModel::AsyncNoawait => block_on(run.run_gathered_without_awaits(thread_id())),
            CpuModel::Async => {
                let (tally, yields) = block_on(run.run_yielding(thread_id(), yield_now));
                let mut measurement = run.finish(tally);
                measurement.shape.yields = Some(yields);
                return Ok(measurement);
            }
            CpuModel::Gil => {
                let pool = self.pool.as_ref().ok_or("gil model was not prepared")?;
                let (tally, gil) = pool
                    .install(|| run.run_under_gil_on_pool(plan.threads, plan.switch_ms.unwrap_or(DEFAULT_SWITCH_MS)));
                let mut measurement = run.finish(tally);
                measurement.shape.gil = Some(gil);
                return Ok(measurement);
            }
            CpuModel::Workers | CpuModel::Executor => {
                return Ok(run_cpu_workers(&run, plan.threads, plan.chunk_size.unwrap_or(1) as usize))
            }
        };
        Ok(run.finish(tally))
    }

    async fn run_io(
        &self,
        model: IoModel,
        plan: &RunPlan,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> RunMeasurement {
        let workload = config.io_workload();
        let urls: Vec<String> =
            (0..workload.task_count()).map(|i| workload.request_url(NATIVE_BASE_URL, self.runs, i)).collect();
        let run = IoRun::start(workload, urls, 0, &Instruments::new(&NativeClock, &NativeMemory, cancel.clone()), None);
        let network = &self.network;
        match model {
            IoModel::Seq => run.run_sequential(network).await,
            IoModel::All => run.run_all(network).await,
            IoModel::Bounded => run.run_bounded(network, plan.in_flight.unwrap_or(1)).await,
            IoModel::Threads => std::thread::scope(|scope| {
                for lane in 0..plan.threads {
                    let run = &run;
                    scope.spawn(move || run.run_blocking_lane(network, lane));
                }
            }),
            IoModel::Workers => return self.run_io_workers(&run, plan.threads, cancel),
            IoModel::Procs => return self.run_io_procs(&run, plan.threads, cancel),
        }
        run.finish()
    }

    /// The IO process-pool shape: k "instances", each running its share of
    /// the requests all at once on its own thread and executor; replies
    /// come back as JSON and are recorded into the page's run.
    fn run_io_workers(&self, run: &Arc<IoRun>, workers: u32, cancel: &Arc<AtomicBool>) -> RunMeasurement {
        let network = &self.network;
        let replies: Vec<ShareReply> = std::thread::scope(|scope| {
            let handles: Vec<_> = io_instances::share_requests(run, workers as usize)
                .into_iter()
                .map(|request| {
                    let cancel = cancel.clone();
                    scope.spawn(move || {
                        let instruments = Instruments::new(&NativeClock, &NativeMemory, cancel);
                        let reply = block_on(io_instances::run_share(request, network, &instruments));
                        serde_json::to_string(&reply).expect("plain data")
                    })
                })
                .collect();
            handles.into_iter().map(|h| serde_json::from_str(&h.join().expect("a share thread")).unwrap()).collect()
        });
        for reply in &replies {
            io_instances::record_share(run, reply);
        }
        // Natively the "instances" share the one heap, already measured.
        run.finish()
    }

    /// The `procs` shape: k "instances" on their own threads, each sent the
    /// next URL when it answered the last, one request at a time; replies
    /// come back as JSON and are recorded into the page's run.
    fn run_io_procs(&self, run: &Arc<IoRun>, workers: u32, cancel: &Arc<AtomicBool>) -> RunMeasurement {
        let network = &self.network;
        let next = Mutex::new(run.first_index()..run.first_index() + run.request_count());
        std::thread::scope(|scope| {
            for worker in 0..workers.min(run.request_count() as u32) {
                let (next, cancel) = (&next, cancel.clone());
                scope.spawn(move || loop {
                    if run.is_cancelled() {
                        break;
                    }
                    let Some(index) = next.lock().unwrap().next() else { break };
                    let request = io_instances::dispatch_one(run, index, worker);
                    let instruments = Instruments::new(&NativeClock, &NativeMemory, cancel.clone());
                    let reply = block_on(io_instances::run_share_in_turn(request, network, &instruments));
                    let reply: ShareReply = serde_json::from_str(&serde_json::to_string(&reply).unwrap()).unwrap();
                    io_instances::record_share(run, &reply);
                });
            }
        });
        // Natively the "instances" share the one heap, already measured.
        run.finish()
    }
}

/// The CPU process-pool shapes: a shared queue of chunks of `chunk_size`
/// tasks (Pool.map's for `workers`, one for `executor`), k "instances"
/// taking the next chunk as they finish one, results coming back as messages.
fn run_cpu_workers(run: &Arc<CpuRun>, workers: u32, chunk_size: usize) -> RunMeasurement {
    let chunks = Mutex::new(worker_instances::chunks(run.workload.task_count(), chunk_size).into_iter());
    let (replies, received) = mpsc::channel();
    std::thread::scope(|scope| {
        for lane in 0..workers {
            let (chunks, replies, run) = (&chunks, replies.clone(), run.clone());
            scope.spawn(move || loop {
                let Some(chunk) = chunks.lock().unwrap().next() else { break };
                let request = worker_instances::chunk_request(&run, chunk, lane);
                // A round trip through JSON, as between a page and a worker.
                let reply =
                    serde_json::to_string(&worker_instances::run_chunk(&request, &NativeClock, &NativeMemory)).unwrap();
                replies.send(reply).unwrap();
            });
        }
    });
    drop(replies);
    let mut tally = Tally::default();
    let mut messages = 0;
    for reply in received {
        // The chunk that went out, and its reply.
        messages += 2;
        let reply: ChunkReply = serde_json::from_str(&reply).unwrap();
        run.record_reply(reply.first_task, &reply.records);
        tally = tally + Tally { checksum: reply.checksum.parse().unwrap(), tasks_done: reply.tasks_done };
    }
    let mut measurement = run.finish(tally);
    measurement.shape.messages = Some(messages);
    // Natively the "instances" share the one heap, already measured.
    measurement
}

/// A future that is pending once, waking itself: natively, the analog of
/// handing the event loop back (`asyncio.sleep(0)`).
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|context| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        context.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}

/// Parses `query` for a machine of `cores` and runs it through the
/// scheduler to its results, as the page does, on `executor`: the one way
/// the native tests, the exports' tests and the benchmark run a query. A
/// query the parser had to correct is refused with its messages: a test or
/// a benchmark should run exactly what it says.
pub fn run_query<N: Fetcher + BlockingFetcher + Sync>(
    query: &str,
    cores: u32,
    executor: &mut NativeExecutor<N>,
    cancel: &Arc<AtomicBool>,
) -> Result<Results, Vec<ConfigMessage>> {
    let (config, messages) = Config::parse(query, cores);
    if !messages.is_empty() {
        return Err(messages);
    }
    Ok(block_on(run_models(&config, Environment::native(cores), executor, cancel, &mut |_| {})))
}

/// The network when none is given: every request fails at once.
pub struct NoNetwork;

impl Fetcher for NoNetwork {
    async fn fetch(&self, _url: &str) -> FetchOutcome {
        FetchOutcome::failed(FetchErrorKind::Network, "no network in a native run")
    }
}

impl BlockingFetcher for NoNetwork {
    fn fetch_blocking(&self, _url: &str) -> FetchOutcome {
        FetchOutcome::failed(FetchErrorKind::Network, "no network in a native run")
    }
}

/// Runs a future to completion on this thread, sleeping until its waker is
/// called (the fake network wakes it from timer threads).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        // A wake between the poll and here leaves a token: park returns at once.
        std::thread::park();
    }
}
