//! The results record: what the page posts to its parent, offers as JSON,
//! and draws. Its field names are public (schema
//! `concurrency-playground/results@1`); extend it, never rename.

use crate::engine::cpu::calibrate::{Calibration, SizedStep};
use crate::engine::measurement::records::{MemorySample, TaskRecord, TaskSpan};
use crate::engine::measurement::run_measurement::IoFacts;
use crate::engine::model_id::ModelId;
use crate::engine::placement::RunsOn;
use crate::engine::workload::Workload;
use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "concurrency-playground/results@1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub schema: String,
    pub workload: WorkloadRecord,
    pub environment: Environment,
    pub config: ConfigRecord,
    /// Stop was pressed: some model did not run all its runs.
    pub partial: bool,
    pub models: Vec<ModelResult>,
    /// The thread sweep (`sweep=1`, CPU workloads only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<Sweep>,
    /// The crossover sweep (`sweep=mix`, mixed tasks only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mix_sweep: Option<MixSweep>,
    /// How the sieve was sized to a time (`cpu_ms=`, or the crossover
    /// sweep's shares) on this machine, before the models ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationRecord>,
    /// The post this run reproduces (`experiment=ID`), with its figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<ExperimentRecord>,
    /// A tutorial author's own figures (`ref=`), shown the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceRecord>,
    /// One line, written from this run's figures: what it shows.
    #[serde(default)]
    pub verdict: String,
}

/// A post's experiment beside this run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExperimentRecord {
    pub id: String,
    pub title: String,
    pub author: String,
    /// The post's address, where it could be confirmed.
    pub url: Option<String>,
    pub year: u32,
    /// What differs from the post, and why.
    pub scaled: String,
    /// The post's cpu_count() - 1 (or Pool()'s cpu_count()) against this
    /// browser's cores, said plainly, where the post's k depended on them.
    pub cores_note: Option<String>,
    pub entries: Vec<PublishedEntry>,
}

/// Someone's own figures for this run's models (`ref=`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceRecord {
    pub entries: Vec<PublishedEntry>,
}

/// One published figure beside this run's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedEntry {
    /// The model entry it stands beside (`threads@100`).
    pub key: String,
    /// The Python system (empty for `ref=`).
    pub python: String,
    /// Seconds as published; `null` where none was printed.
    pub published_s: Option<f64>,
    /// Published sync time / this one.
    pub published_speedup: Option<f64>,
    /// This run: the entry's median and its speedup over `seq`.
    pub measured_ms: Option<f64>,
    pub measured_speedup: Option<f64>,
}

/// Each parallel model at every thread count from 1 to the cores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// What the speedups are against: "seq", or the same model on 1 thread.
    pub baseline: String,
    pub baseline_ms: Option<f64>,
    pub partial: bool,
    pub points: Vec<SweepPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub model: ModelId,
    pub threads: u32,
    pub threads_used: usize,
    pub runs_ms: Vec<f64>,
    pub median_ms: Option<f64>,
    pub min_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub speedup: Option<f64>,
    /// Speedup per thread: 1.0 is perfect scaling.
    pub efficiency: Option<f64>,
    pub checksum_ok: bool,
    pub error: Option<String>,
}

/// The crossover: every chosen model at each share of computing in a task
/// of `task_ms`, its wait the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MixSweep {
    pub task_ms: u32,
    pub tasks: u32,
    /// The shares run, in percent of `task_ms` spent computing.
    pub shares_pct: Vec<u32>,
    pub partial: bool,
    /// One per share and model, share by share.
    pub points: Vec<MixPoint>,
    /// The fastest entry at each share (`null` where none finished).
    pub winners: Vec<Option<String>>,
    /// Where two models' lines cross in this run.
    pub crossovers: Vec<Crossover>,
    /// The crossover in words, from this run's figures.
    pub verdict: String,
}

/// One model at one share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MixPoint {
    pub share_pct: u32,
    /// The entry as written (`threads@4`), and its model.
    pub key: String,
    pub model: ModelId,
    /// Each task's wait, and the sieve's n chosen for its compute share.
    pub latency_ms: u32,
    pub compute_n: u64,
    pub runs_ms: Vec<f64>,
    pub median_ms: Option<f64>,
    pub checksum_ok: bool,
    pub error: Option<String>,
}

/// Two entries' lines crossing: `faster` beat `slower` up to
/// `last_ahead_pct` computing, and lost from `first_behind_pct` on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Crossover {
    pub faster: String,
    pub slower: String,
    pub last_ahead_pct: u32,
    pub first_behind_pct: u32,
}

/// The calibration, as results record it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationRecord {
    #[serde(flatten)]
    pub calibration: Calibration,
    /// `cpu_ms=`'s compute step, sized (when the link gave `cpu_ms`).
    pub cpu_ms_step: Option<SizedStep>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkloadRecord {
    /// `kind` plus its parameters: `from`/`to`, `base`/`count`, or the IO
    /// workload's `source`, `url`, `requests`, `latency_ms`, `bytes`, `timeout_ms`.
    #[serde(flatten)]
    pub workload: Workload,
    /// Tasks (CPU) or requests (IO).
    pub task_count: usize,
    /// Computed independently of every model (decimal: it can exceed
    /// 2^53). For IO, the bytes every request returns in all; `null` when
    /// it cannot be known ahead (a user's URL).
    pub expected_checksum: Option<String>,
    pub description: String,
}

impl WorkloadRecord {
    pub fn new(workload: Workload) -> Self {
        Self {
            task_count: workload.task_count(),
            expected_checksum: workload.expected_checksum().map(|sum| sum.to_string()),
            description: workload.describe(),
            workload,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    pub cross_origin_isolated: bool,
    /// Threads could share one memory here (isolated, and the browser
    /// offers SharedArrayBuffer: WebKit does not, even isolated).
    #[serde(default)]
    pub shared_memory: bool,
    pub hardware_concurrency: u32,
    pub user_agent: String,
    /// The smallest step `performance.now()` took here: times below it are noise.
    #[serde(default)]
    pub timer_resolution_ms: Option<f64>,
    /// The page ran inside a frame (an embed).
    #[serde(default)]
    pub embedded: bool,
    /// How the page itself was loaded (`nextHopProtocol` of the navigation).
    #[serde(default)]
    pub page_protocol: Option<String>,
    /// The tab was hidden at some point during the run: browsers throttle
    /// hidden tabs' timers and may slow their work, so these figures may be off.
    #[serde(default)]
    pub tab_hidden_during_run: bool,
}

impl Environment {
    /// A native run's environment on `cores` (tests and the benchmark):
    /// isolated, as nothing there needs shared memory to be allowed.
    pub fn native(cores: u32) -> Self {
        Self {
            cross_origin_isolated: true,
            shared_memory: true,
            hardware_concurrency: cores,
            user_agent: "native".to_string(),
            ..Default::default()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecord {
    pub threads: u32,
    /// Requests in flight for `bounded`, threads for IO `threads` (IO only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    pub repeat: u32,
    pub warmup: u32,
    /// The page URL's query that reproduces this run.
    pub query: String,
}

/// One model's outcome. Numbers a model could not measure are `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelResult {
    pub id: ModelId,
    /// The entry as `models=` wrote it: the id, or `id@k` for a model given
    /// its own k (`threads@100`). Tells apart entries of one model.
    #[serde(default)]
    pub key: String,
    pub label: String,
    pub python: String,
    pub available: bool,
    /// Threads or worker instances it runs on (the run plan's; IO `threads`: one per
    /// request in flight, never more than the requests); 1 otherwise.
    pub threads: u32,
    /// Elapsed time of each measured (non-warm-up) run that completed.
    pub runs_ms: Vec<f64>,
    pub median_ms: Option<f64>,
    pub min_ms: Option<f64>,
    pub max_ms: Option<f64>,
    /// seq's median / this model's median, when seq ran.
    pub speedup_vs_seq: Option<f64>,
    /// The median run's checksum, decimal: CPU, the sum of the task
    /// results; IO, the bytes received.
    pub checksum: Option<String>,
    /// Every completed run's checksum equals `workload.expected_checksum`
    /// (IO with a user's URL: every run received the same bytes, none failed).
    pub checksum_ok: bool,
    /// Most distinct threads (or instances) that ran tasks in one run.
    pub threads_used: usize,
    /// Before the model's first run (warm-up included) and after its last.
    /// Live-heap figures of later runs are rebased on the first run's
    /// "before", so the playground's own records of earlier runs are not
    /// counted as the workload's memory (see `assemble::rebase_live_heap`).
    pub wasm_memory_bytes_before: Option<u64>,
    pub wasm_memory_bytes_after: Option<u64>,
    pub live_heap_bytes_before: Option<u64>,
    pub live_heap_bytes_after: Option<u64>,
    /// The highest live heap during any of its runs.
    pub peak_live_heap_bytes: Option<u64>,
    /// Time to get the pool, the threads or the worker instances ready; not in runs_ms.
    pub startup_ms: Option<f64>,
    /// Linear memory that getting ready added (thread stacks; each new
    /// instance's whole memory): the fixed cost of the model's threads or
    /// instances, not in the runs' before/after figures.
    pub startup_wasm_memory_bytes: Option<u64>,
    /// Live heap that getting ready added, in all instances.
    pub startup_live_heap_bytes: Option<u64>,
    /// Main-thread heartbeat ticks during the measured runs: near 0 means
    /// the page was frozen.
    pub heartbeat_ticks: u64,
    /// Stop came before this model finished all its runs.
    pub partial: bool,
    /// Tasks (or requests) finished in the last run (all unless partial).
    pub tasks_done: usize,
    /// The median run's tasks since its start: `{start_ms, end_ms, lane}`,
    /// and for IO requests also `status`, `bytes`, `error` (and `worker`).
    pub tasks: Vec<TaskRecord>,
    /// The median run's memory over time: `[t_ms, wasm_memory_bytes, live_heap_bytes]`.
    pub memory_samples: Vec<MemorySample>,
    pub error: Option<String>,
    /// Live linear memory per thread or instance of the model
    /// (`startup_held_bytes` over its threads or instances): what one
    /// thread's stack and thread-locals, or one instance, cost. Models that
    /// run on threads or instances of their own only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_wasm_memory_bytes_per_thread: Option<f64>,
    /// What the model's threads or instances hold, whatever ran before: k
    /// threads' stacks and thread-locals (counted by the allocator) or k
    /// instances' whole memories. `startup_wasm_memory_bytes` is growth,
    /// and the page's memory never shrinks: a model after one that freed
    /// room grows it by less, or by nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_held_bytes: Option<u64>,
    /// Where a model's threads found room without growing the page's
    /// memory: the key of the earlier entry whose freed memory they took,
    /// or `page` (memory the page already held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_memory_reused_from: Option<String>,
    /// Where its work ran here: `page_thread`, `pool_threads`,
    /// `instance_threads` (threads it started in the page's instance) or
    /// `worker_instances` (`gil` and `seq` run there where threads cannot
    /// share memory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_on: Option<RunsOn>,
    /// `gil`: the switch interval, hand-offs of the lock, time threads
    /// waited for it (all threads together), and who held it when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gil_switches: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gil_wait_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gil_holds: Option<Vec<TaskSpan>>,
    /// `gil`: when each thread waited for the lock (`lane` the waiter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gil_waits: Option<Vec<TaskSpan>>,
    /// `async`: times the run handed the event loop back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yields: Option<u32>,
    /// `workers`, `executor`: tasks per message, and messages between the
    /// page and the instances in the median run (both ways).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunksize: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<u32>,
    /// Worker-instance models: each message the page sent an instance in
    /// the median run, from its sending (`start_ms`) to the reading of its
    /// reply (`end_ms`), `lane` the instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_messages: Option<Vec<TaskSpan>>,
    /// IO models only: these fields are absent for CPU models.
    #[serde(flatten)]
    pub io: Option<IoModelResult>,
}

impl ModelResult {
    /// What the model's threads or instances hold (`startup_held_bytes`). A
    /// record from before that field: the larger of its two start-up
    /// figures, which then depended on what ran before it.
    pub fn startup_held_bytes_or_estimate(&self) -> u64 {
        self.startup_held_bytes.unwrap_or_else(|| {
            self.startup_wasm_memory_bytes.unwrap_or(0).max(self.startup_live_heap_bytes.unwrap_or(0))
        })
    }

    /// The most the model held: its threads' or instances' memory plus its
    /// live heap's exact peak above where its runs started (the allocator's
    /// count, between samples too). The table, the memory chart's legend
    /// and a comparison of runs all say this one figure.
    pub fn held_at_peak_bytes(&self) -> Option<u64> {
        let growth = self.peak_live_heap_bytes?.saturating_sub(self.live_heap_bytes_before?);
        Some(self.startup_held_bytes_or_estimate() + growth)
    }
}

/// What an IO model adds to its result, from its median run: the run's
/// own IO figures (`IoFacts`: requests, failures, bytes, in flight, the JS
/// heap) flattened in, and what follows from them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IoModelResult {
    /// Requests allowed in flight at once: 1 (seq), k (bounded, threads), all (all, workers).
    pub concurrency: u32,
    #[serde(flatten)]
    pub facts: IoFacts,
    pub requests_per_second: Option<f64>,
    /// Live heap at its peak above where it started, per request in flight
    /// at once: what a pending request holds in wasm memory (its future,
    /// its record). The browser's own per-request memory is in the JS heap
    /// and the network stack, which a page cannot attribute exactly.
    pub bytes_per_in_flight_request: Option<f64>,
}

impl Results {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("results hold only JSON-safe values")
    }

    pub fn from_json(json: &str) -> Result<Self, String> {
        let mut results: Self = serde_json::from_str(json).map_err(|error| format!("not a results record: {error}"))?;
        if results.schema != SCHEMA {
            return Err(format!("schema “{}” is not {SCHEMA}", results.schema));
        }
        // A record from before entries had keys: each entry's key was its id.
        for model in &mut results.models {
            if model.key.is_empty() {
                model.key = model.id.to_string();
            }
        }
        Ok(results)
    }
}
