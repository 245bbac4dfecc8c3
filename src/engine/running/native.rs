//! Every model's code path run natively, on std threads: the executor that
//! `cargo test` pushes one workload through to demand the same checksum from
//! all models, and the native baseline for benchmarks.
//!
//! Each model runs the same engine code as in the browser: one
//! [`ModelRun`] per run, and the shapes of `task::shapes`. `main` and `seq`
//! run [`ModelRun::run_sequential`], the async models
//! [`ModelRun::run_gathered`] and [`ModelRun::run_yielding`] on this
//! thread, `gil` and `threads` run [`ModelRun::run_blocking_lane`] on k
//! threads (under a GIL, or not), `rayon` calls [`ModelRun::run_par_iter`]
//! inside a k-thread pool, `bounded` awaits [`ModelRun::run_bounded`], and
//! the worker-instance models send chunks ([`chunks::run_chunk`]) or shares
//! ([`shares::run_share`], [`shares::run_share_in_turn`]) to k threads,
//! replies going through JSON as between a page and its instances. What
//! differs from the browser is only where threads come from, and the
//! network: natively it is whatever [`Fetcher`] the caller gives (tests use
//! a fake one).

use super::scheduler::{run_models, Executor};
use crate::engine::configuration::config::Config;
use crate::engine::configuration::parser::ConfigMessage;
use crate::engine::configuration::plan::RunPlan;
use crate::engine::cpu::gil::{Gil, DEFAULT_SWITCH_MS};
use crate::engine::cpu::model::CpuModel;
use crate::engine::cpu::sieve;
use crate::engine::io::fetch::{BlockingFetcher, Fetcher, NoNetwork};
use crate::engine::io::model::IoModel;
use crate::engine::measurement::probes::{thread_id, Clock, NativeClock, NativeMemory};
use crate::engine::measurement::run_measurement::{RunMeasurement, Startup};
use crate::engine::measurement::run_window::Instruments;
use crate::engine::measurement::slots::AtomicSum;
use crate::engine::model::Model;
use crate::engine::placement::Placement;
use crate::engine::reporting::results::{Environment, Results};
use crate::engine::task::chunks;
use crate::engine::task::part::PartReply;
use crate::engine::task::run::ModelRun;
use crate::engine::task::shapes::Lanes;
use crate::engine::task::shares::{self, ShareReply};
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
        let workload = config.workload();
        let urls = workload.request_urls(NATIVE_BASE_URL, self.runs);
        let instruments = Instruments::new(&NativeClock, &NativeMemory, cancel.clone());
        let run = ModelRun::start(workload, urls, &instruments, plan.fault);
        match plan.model() {
            Model::Cpu(cpu) => self.run_cpu(cpu, plan, &run),
            Model::Io(io) => Ok(self.run_io(io, plan, &run, cancel).await),
        }
    }

    /// Dropping the pool ends its threads and their sieve buffers; a model
    /// on the calling thread frees its own, as the page's executor does.
    async fn release(&mut self, plan: &RunPlan) {
        self.pool = None;
        if plan.placement == Some(Placement::PageThread) {
            sieve::free_thread_buffers();
        }
    }

    fn heartbeat_ticks(&self) -> u64 {
        0
    }

    fn clock(&self) -> &dyn Clock {
        &NativeClock
    }
}

impl<N: Fetcher + BlockingFetcher + Sync> NativeExecutor<N> {
    fn run_cpu(&self, model: CpuModel, plan: &RunPlan, run: &Arc<ModelRun>) -> Result<RunMeasurement, String> {
        let network = &self.network;
        let checksum = match model {
            CpuModel::Main => run.run_sequential(run.tasks(), thread_id(), network),
            CpuModel::Seq => {
                std::thread::scope(|scope| scope.spawn(|| run.run_sequential(run.tasks(), thread_id(), network)).join())
                    .map_err(|_| "the worker thread panicked".to_string())?
            }
            CpuModel::Rayon => {
                let pool = self.pool.as_ref().ok_or("rayon model was not prepared")?;
                pool.install(|| run.run_par_iter(network))
            }
            CpuModel::AsyncNoawait => block_on(run.run_gathered(Lanes::One(thread_id()), network)),
            CpuModel::Async => {
                let (checksum, yields) = block_on(run.run_yielding(thread_id(), yield_now, network));
                let mut measurement = run.finish(checksum);
                measurement.shape.yields = Some(yields);
                return Ok(measurement);
            }
            CpuModel::Gil => {
                let pool = self.pool.as_ref().ok_or("gil model was not prepared")?;
                let switch_ms = plan.switch_ms.unwrap_or(DEFAULT_SWITCH_MS);
                let (checksum, gil) = pool.install(|| run.run_under_gil_on_pool(plan.threads, switch_ms, network));
                let mut measurement = run.finish(checksum);
                measurement.shape.gil = Some(gil);
                return Ok(measurement);
            }
            CpuModel::Workers | CpuModel::Executor => {
                return Ok(run_cpu_workers(run, plan.threads, plan.chunk_size.unwrap_or(1) as usize, network))
            }
        };
        Ok(run.finish(checksum))
    }

    async fn run_io(
        &self,
        model: IoModel,
        plan: &RunPlan,
        run: &Arc<ModelRun>,
        cancel: &Arc<AtomicBool>,
    ) -> RunMeasurement {
        let network = &self.network;
        let checksum = match model {
            IoModel::Seq => run.run_in_turn(run.tasks(), 0, network).await,
            IoModel::All => run.run_gathered(Lanes::PerTask, network).await,
            IoModel::Bounded => run.run_bounded(plan.in_flight.unwrap_or(1), network).await,
            IoModel::Threads => run_threads(run, plan.threads, None, network),
            IoModel::Gil => {
                let gil = Gil::new(plan.switch_ms.unwrap_or(DEFAULT_SWITCH_MS));
                let checksum = run_threads(run, plan.threads, Some(&gil), network);
                let mut measurement = run.finish(checksum);
                measurement.shape.gil = Some(gil.facts());
                return measurement;
            }
            IoModel::Workers => return self.run_io_workers(run, plan.threads, cancel),
            IoModel::Procs => return self.run_io_procs(run, plan.threads, cancel),
        };
        run.finish(checksum)
    }

    /// The IO process-pool shape: k "instances", each running its share of
    /// the tasks all at once on its own thread and executor; replies
    /// come back as JSON and are recorded into the page's run.
    fn run_io_workers(&self, run: &Arc<ModelRun>, workers: u32, cancel: &Arc<AtomicBool>) -> RunMeasurement {
        let network = &self.network;
        let replies: Vec<ShareReply> = std::thread::scope(|scope| {
            let handles: Vec<_> = shares::share_requests(run, workers as usize)
                .into_iter()
                .map(|request| {
                    let cancel = cancel.clone();
                    scope.spawn(move || {
                        let instruments = Instruments::new(&NativeClock, &NativeMemory, cancel);
                        let reply = block_on(shares::run_share(request, network, &instruments));
                        serde_json::to_string(&reply).expect("plain data")
                    })
                })
                .collect();
            handles.into_iter().map(|h| serde_json::from_str(&h.join().expect("a share thread")).unwrap()).collect()
        });
        let checksum = replies.iter().map(|reply| shares::record_share(run, reply)).sum();
        // Natively the "instances" share the one heap, already measured.
        run.finish(checksum)
    }

    /// The `procs` shape: k "instances" on their own threads, each sent the
    /// next URL when it answered the last, one request at a time; replies
    /// come back as JSON and are recorded into the page's run.
    fn run_io_procs(&self, run: &Arc<ModelRun>, workers: u32, cancel: &Arc<AtomicBool>) -> RunMeasurement {
        let network = &self.network;
        let next = Mutex::new(run.tasks());
        let checksum = AtomicSum::default();
        std::thread::scope(|scope| {
            for worker in 0..workers.min(run.tasks().len() as u32) {
                let (next, checksum, cancel) = (&next, &checksum, cancel.clone());
                scope.spawn(move || loop {
                    if run.is_cancelled() {
                        break;
                    }
                    let Some(task) = next.lock().unwrap().next() else { break };
                    let request = shares::dispatch_one(run, task, worker);
                    let instruments = Instruments::new(&NativeClock, &NativeMemory, cancel.clone());
                    let reply = block_on(shares::run_share_in_turn(request, network, &instruments));
                    let reply: ShareReply = serde_json::from_str(&serde_json::to_string(&reply).unwrap()).unwrap();
                    checksum.add(shares::record_share(run, &reply));
                });
            }
        });
        // Natively the "instances" share the one heap, already measured.
        run.finish(checksum.get())
    }
}

/// k std threads blocked in requests, each [`ModelRun::run_blocking_lane`]
/// under `gil` or none; returns what they computed.
fn run_threads(run: &ModelRun, threads: u32, gil: Option<&Gil>, network: &(impl BlockingFetcher + Sync)) -> u128 {
    std::thread::scope(|scope| {
        let lanes: Vec<_> =
            (0..threads).map(|lane| scope.spawn(move || run.run_blocking_lane(lane, gil, network))).collect();
        lanes.into_iter().map(|lane| lane.join().expect("a blocking thread")).sum()
    })
}

/// The CPU process-pool shapes: a shared queue of chunks of `chunk_size`
/// tasks (Pool.map's for `workers`, one for `executor`), k "instances"
/// taking the next chunk as they finish one, results coming back as messages.
fn run_cpu_workers(
    run: &Arc<ModelRun>,
    workers: u32,
    chunk_size: usize,
    network: &(impl BlockingFetcher + Sync),
) -> RunMeasurement {
    let cut = Mutex::new(chunks::chunks(run.tasks().len(), chunk_size).into_iter());
    let (replies, received) = mpsc::channel();
    std::thread::scope(|scope| {
        for lane in 0..workers {
            let (cut, replies, run) = (&cut, replies.clone(), run.clone());
            scope.spawn(move || loop {
                let Some(chunk) = cut.lock().unwrap().next() else { break };
                let request = chunks::chunk_request(&run, chunk, lane);
                // A round trip through JSON, as between a page and a worker.
                let reply = chunks::run_chunk(&request, &NativeClock, &NativeMemory, network);
                replies.send(serde_json::to_string(&reply).unwrap()).unwrap();
            });
        }
    });
    drop(replies);
    let (mut checksum, mut messages) = (0, 0);
    for reply in received {
        // The chunk that went out, and its reply.
        messages += 2;
        let reply: PartReply = serde_json::from_str(&reply).unwrap();
        checksum += reply.record_into(run);
    }
    let mut measurement = run.finish(checksum);
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
