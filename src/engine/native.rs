//! Every model's code path run natively, on std threads: the executor that
//! `cargo test` pushes one workload through to demand the same checksum from
//! all models, and the native baseline for benchmarks.
//!
//! Each model runs the same engine code as in the browser: `main` and `seq`
//! call [`RunContext::run_sequential`], `rayon` calls
//! [`RunContext::run_par_iter`] inside a k-thread pool, and `workers` sends
//! Pool.map chunks to k threads that each run [`process::run_chunk`], as the
//! browser's worker instances do. What differs is only where threads come from.

use super::config::Config;
use super::measure::{NativeClock, NativeMemory};
use super::model::CpuModel;
use super::process::{self, ChunkRequest, InstanceMemory};
use super::run::{RunContext, RunMeasurement, Tally};
use super::scheduler::CpuExecutor;
use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc, Mutex};

#[derive(Default)]
pub struct NativeExecutor {
    pool: Option<rayon::ThreadPool>,
    threads: u32,
}

impl CpuExecutor for NativeExecutor {
    fn unavailable_reason(&self, _model: CpuModel) -> Option<String> {
        None
    }

    async fn prepare(&mut self, model: CpuModel, threads: u32) -> Result<f64, String> {
        self.threads = threads;
        if model == CpuModel::Rayon {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads as usize).build();
            self.pool = Some(pool.map_err(|error| error.to_string())?);
        }
        Ok(0.0)
    }

    async fn run(
        &mut self,
        model: CpuModel,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> Result<RunMeasurement, String> {
        let workload = config.workload();
        let run = RunContext::start(workload, &NativeClock, &NativeMemory, cancel.clone());
        let all_tasks = 0..workload.task_count();
        let tally = match model {
            CpuModel::Main => run.run_sequential(all_tasks, super::measure::thread_id()),
            CpuModel::Seq => {
                let run = run.clone();
                std::thread::spawn(move || run.run_sequential(all_tasks, super::measure::thread_id()))
                    .join()
                    .map_err(|_| "the worker thread panicked".to_string())?
            }
            CpuModel::Rayon => {
                let pool = self.pool.as_ref().ok_or("rayon model was not prepared")?;
                pool.install(|| run.run_par_iter())
            }
            CpuModel::Workers => return Ok(run_workers(&run, self.threads)),
        };
        Ok(run.finish(tally))
    }

    async fn release(&mut self, _model: CpuModel) {
        self.pool = None;
    }

    fn heartbeat_ticks(&self) -> u64 {
        0
    }
}

/// The process-pool shape: a shared queue of chunks, k "instances" taking
/// the next chunk as they finish one, results coming back as messages.
fn run_workers(run: &Arc<RunContext>, workers: u32) -> RunMeasurement {
    let chunks = Mutex::new(process::pool_map_chunks(run.workload.task_count(), workers as usize).into_iter());
    let (replies, received) = mpsc::channel();
    std::thread::scope(|scope| {
        for lane in 0..workers {
            let (chunks, replies, run) = (&chunks, replies.clone(), run.clone());
            scope.spawn(move || loop {
                let Some(chunk) = chunks.lock().unwrap().next() else { break };
                let request = ChunkRequest {
                    workload: run.workload,
                    first_task: chunk.start,
                    end_task: chunk.end,
                    lane,
                    origin_ms: run.origin_ms(),
                };
                // A round trip through JSON, as between a page and a worker.
                let reply = serde_json::to_string(&process::run_chunk(&request, &NativeClock, &NativeMemory)).unwrap();
                replies.send(reply).unwrap();
            });
        }
    });
    drop(replies);
    let mut tally = Tally::default();
    for reply in received {
        let reply: process::ChunkReply = serde_json::from_str(&reply).unwrap();
        for (offset, span) in reply.spans.iter().enumerate() {
            run.record_span(reply.first_task + offset, *span);
        }
        tally = tally + Tally { checksum: reply.checksum.parse().unwrap(), tasks_done: reply.tasks_done };
    }
    let mut measurement = run.finish(tally);
    // Natively the "instances" share one heap; report none of their own.
    let none = vec![InstanceMemory::default(); workers as usize];
    process::add_worker_instances(&mut measurement, &none, &none, &[], &[]);
    measurement
}

/// Polls a future to completion on this thread. The native executor's
/// futures never wait on anything, so this never spins for long.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::yield_now();
    }
}
