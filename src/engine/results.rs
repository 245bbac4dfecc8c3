//! The results record: what the page posts to its parent, offers as JSON,
//! and draws. Its field names are public (schema
//! `concurrency-playground/results@1`); extend it, never rename.

use super::record::{MemorySample, TaskSpan};
use super::workload::CpuWorkload;
use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "concurrency-playground/results@1";

/// The `type` of the message posted to `window.parent` when a run ends.
pub const POST_MESSAGE_TYPE: &str = "concurrency-playground:results";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub schema: String,
    pub workload: WorkloadRecord,
    pub environment: Environment,
    pub config: ConfigRecord,
    /// Stop was pressed: some model did not run all its runs.
    pub partial: bool,
    pub models: Vec<ModelResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkloadRecord {
    /// `kind` plus its parameters: `from`/`to` or `base`/`count`.
    #[serde(flatten)]
    pub workload: CpuWorkload,
    pub task_count: usize,
    /// Computed independently of every model (decimal: it can exceed 2^53).
    pub expected_checksum: String,
    pub description: String,
}

impl WorkloadRecord {
    pub fn new(workload: CpuWorkload) -> Self {
        Self {
            workload,
            task_count: workload.task_count(),
            expected_checksum: workload.expected_checksum().to_string(),
            description: workload.describe(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    pub cross_origin_isolated: bool,
    pub hardware_concurrency: u32,
    pub user_agent: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecord {
    pub threads: u32,
    pub repeat: u32,
    pub warmup: u32,
    /// The page URL's query that reproduces this run.
    pub query: String,
}

/// One model's outcome. Numbers a model could not measure are `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelResult {
    pub id: String,
    pub label: String,
    pub python: String,
    pub available: bool,
    /// Threads (rayon) or worker instances (workers) asked for; 1 otherwise.
    pub threads: u32,
    /// Elapsed time of each measured (non-warm-up) run that completed.
    pub runs_ms: Vec<f64>,
    pub median_ms: Option<f64>,
    pub min_ms: Option<f64>,
    pub max_ms: Option<f64>,
    /// seq's median / this model's median, when seq ran.
    pub speedup_vs_seq: Option<f64>,
    /// The median run's checksum, decimal.
    pub checksum: Option<String>,
    /// Every completed run's checksum equals `workload.expected_checksum`.
    pub checksum_ok: bool,
    /// Most distinct threads (or instances) that ran tasks in one run.
    pub threads_used: usize,
    /// Before the model's first run (warm-up included) and after its last.
    /// Live-heap figures of later runs are rebased on the first run's
    /// "before", so the playground's own records of earlier runs are not
    /// counted as the workload's memory (see `scheduler::rebase_live_heap`).
    pub wasm_memory_bytes_before: Option<u64>,
    pub wasm_memory_bytes_after: Option<u64>,
    pub live_heap_bytes_before: Option<u64>,
    pub live_heap_bytes_after: Option<u64>,
    /// The highest live heap during any of its runs.
    pub peak_live_heap_bytes: Option<u64>,
    /// Time to get the pool or the worker instances ready; not in runs_ms.
    pub startup_ms: Option<f64>,
    /// Main-thread heartbeat ticks during the measured runs: near 0 means
    /// the page was frozen.
    pub heartbeat_ticks: u64,
    /// Stop came before this model finished all its runs.
    pub partial: bool,
    /// Tasks finished in the last run (all of them unless partial).
    pub tasks_done: usize,
    /// The median run's tasks: `{start_ms, end_ms, lane}` since its start.
    pub tasks: Vec<TaskSpan>,
    /// The median run's memory over time: `[t_ms, wasm_memory_bytes, live_heap_bytes]`.
    pub memory_samples: Vec<MemorySample>,
    pub error: Option<String>,
}

impl Results {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("results hold only JSON-safe values")
    }
}
