//! The engine's `CpuExecutor` in the browser: where each CPU model's threads
//! come from. `main` runs right here on the page's thread; `seq` on one
//! worker of the global rayon pool; `rayon` with `par_iter` on k threads of
//! that pool (`ThreadLimit`); `workers` on k separate worker instances. All of them run the
//! engine's shared task loop (`RunContext`).

use super::clock::{CLOCK, MEMORY};
use super::environment::cross_origin_isolated;
use super::heartbeat;
use super::process_pool::ProcessPool;
use super::rayon_pool::{run_on_global_pool, ThreadLimit};
use super::timers::after_next_paint;
use crate::engine::config::Config;
use crate::engine::measure::{thread_id, Clock};
use crate::engine::model::CpuModel;
use crate::engine::run::{RunContext, RunMeasurement};
use crate::engine::scheduler::CpuExecutor;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The state of the page's global rayon pool.
#[derive(Clone, Debug, PartialEq)]
pub enum PoolState {
    Starting,
    Ready {
        threads: usize,
        startup_ms: f64,
    },
    Failed(String),
    /// Not cross-origin isolated: SharedArrayBuffer is off.
    Unavailable(String),
}

pub struct BrowserExecutor {
    pool: PoolState,
    thread_limit: Option<ThreadLimit>,
    processes: Option<ProcessPool>,
}

/// Why threaded models cannot run on a page that is not isolated.
pub const NOT_ISOLATED: &str = "This page is not cross-origin isolated, so SharedArrayBuffer (and with it every \
    worker model) is off. Serve it with the headers Cross-Origin-Opener-Policy: same-origin and \
    Cross-Origin-Embedder-Policy: require-corp (trunk serve does; see README).";

impl BrowserExecutor {
    pub fn new(pool: PoolState) -> Self {
        Self { pool, thread_limit: None, processes: None }
    }
}

impl CpuExecutor for BrowserExecutor {
    fn unavailable_reason(&self, model: CpuModel) -> Option<String> {
        if model.needs_cross_origin_isolation() && !cross_origin_isolated() {
            return Some(NOT_ISOLATED.to_string());
        }
        match (&self.pool, model) {
            (PoolState::Failed(reason) | PoolState::Unavailable(reason), CpuModel::Seq | CpuModel::Rayon) => {
                Some(reason.clone())
            }
            (PoolState::Starting, CpuModel::Seq | CpuModel::Rayon) => Some("The thread pool is still starting.".into()),
            _ => None,
        }
    }

    async fn prepare(&mut self, model: CpuModel, threads: u32) -> Result<f64, String> {
        let started_ms = CLOCK.now_ms();
        match model {
            CpuModel::Rayon => {
                let pool_threads = match self.pool {
                    PoolState::Ready { threads, .. } => threads,
                    _ => 0,
                };
                self.thread_limit = Some(ThreadLimit::start(threads as usize, pool_threads).await?);
            }
            CpuModel::Workers => self.processes = Some(ProcessPool::start(threads).await?),
            CpuModel::Main | CpuModel::Seq => {}
        }
        Ok(CLOCK.now_ms() - started_ms)
    }

    async fn before_run(&mut self) {
        // Let the progress line paint before a run starts (and before `main`
        // freezes the page).
        after_next_paint().await;
    }

    async fn run(
        &mut self,
        model: CpuModel,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> Result<RunMeasurement, String> {
        let run = RunContext::start(config.workload(), &CLOCK, &MEMORY, cancel.clone());
        let all_tasks = 0..run.workload.task_count();
        let tally = match model {
            CpuModel::Main => run.run_sequential(all_tasks, thread_id()),
            CpuModel::Seq => {
                let shared = run.clone();
                run_on_global_pool(move || shared.run_sequential(all_tasks, thread_id())).await?
            }
            CpuModel::Rayon => {
                let shared = run.clone();
                run_on_global_pool(move || shared.run_par_iter()).await?
            }
            CpuModel::Workers => {
                let processes = self.processes.as_mut().ok_or("the worker instances were not prepared")?;
                return processes.run(&run).await;
            }
        };
        Ok(run.finish(tally))
    }

    async fn release(&mut self, model: CpuModel) {
        match model {
            CpuModel::Rayon => {
                if let Some(limit) = self.thread_limit.take() {
                    limit.release().await;
                }
            }
            CpuModel::Workers => self.processes = None,
            CpuModel::Main | CpuModel::Seq => {}
        }
    }

    fn heartbeat_ticks(&self) -> u64 {
        heartbeat::ticks()
    }
}
