//! The run pipeline: configuration -> each model in turn (prepare, warm-up,
//! repeats) -> statistics -> the results record. How a model actually runs
//! is behind [`Executor`]: the browser layer implements it with the page's
//! main thread, the rayon pool, worker threads and worker instances; the
//! native tests with std threads and a fake network.

use super::config::{max_threads, Config, WorkloadKind};
use super::io::model::IoModel;
use super::measurement::RunMeasurement;
use super::model::Model;
use super::results::{
    ConfigRecord, Environment, IoModelResult, ModelResult, Results, Sweep, SweepPoint, WorkloadRecord, SCHEMA,
};
use super::stats::{efficiency, median_index, speedup, summarize};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

/// Where a run stands, for the live progress line.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub model: Model,
    pub model_index: usize,
    pub model_count: usize,
    /// In the thread sweep: the thread count of this point.
    pub sweep_threads: Option<u32>,
    pub warmup: bool,
    /// 1-based run number within its phase, and the phase's length.
    pub run: u32,
    pub runs: u32,
}

/// What getting a model ready took: time, and the memory its threads or
/// instances hold before any run (stacks, thread-locals, instances'
/// memories). Outside every run's figures, so reported on its own.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Startup {
    pub ms: f64,
    /// Linear memory added: the page's growth plus each new instance's own.
    pub wasm_memory_bytes: u64,
    /// Live heap added, in the page's instance and the new instances together.
    pub live_heap_bytes: u64,
}

/// Runs models. Futures are awaited on one thread (the page's), so no `Send`.
#[allow(async_fn_in_trait)]
pub trait Executor {
    /// Why `model` cannot run here (e.g. the page is not cross-origin
    /// isolated), or `None` if it can.
    fn unavailable_reason(&self, model: Model, config: &Config) -> Option<String>;
    /// Gets the model ready (its pool size, threads or instances); returns
    /// what that took, or why it failed.
    async fn prepare(&mut self, model: Model, config: &Config) -> Result<Startup, String>;
    /// Called before each run, outside the measured window: yield so the
    /// page can paint the progress line (and, before `main`, its last frame).
    async fn before_run(&mut self) {}
    /// One run of the whole workload.
    async fn run(&mut self, model: Model, config: &Config, cancel: &Arc<AtomicBool>) -> Result<RunMeasurement, String>;
    /// Frees what `prepare` took (worker instances, threads, a sized pool).
    async fn release(&mut self, model: Model);
    /// The main thread's heartbeat count so far.
    fn heartbeat_ticks(&self) -> u64;
}

/// Runs every configured model, then the thread sweep if asked, and
/// returns the results record. Stops early, keeping what was measured and
/// marking it partial, once `cancel` is set.
pub async fn run_models(
    config: &Config,
    environment: Environment,
    executor: &mut impl Executor,
    cancel: &Arc<AtomicBool>,
    progress: &mut impl FnMut(Progress),
) -> Results {
    let workload = config.workload();
    let chosen = config.models();
    let mut models = Vec::with_capacity(chosen.len());
    let mut baseline_median = None;
    for (model_index, &model) in chosen.iter().enumerate() {
        let place = Place { model_index, model_count: chosen.len(), sweep_threads: None };
        let result = run_model(model, config, executor, cancel, progress, place).await;
        if model.is_baseline() {
            baseline_median = result.median_ms;
        }
        models.push(result);
    }
    for result in &mut models {
        result.speedup_vs_seq = speedup(baseline_median, result.median_ms);
    }
    let sweep = match config.sweep && config.kind != WorkloadKind::Io {
        true => Some(run_sweep(config, &environment, executor, cancel, progress, baseline_median).await),
        false => None,
    };
    Results {
        schema: SCHEMA.to_string(),
        workload: WorkloadRecord::new(workload),
        environment,
        config: ConfigRecord {
            threads: config.threads,
            concurrency: (config.kind == WorkloadKind::Io).then_some(config.concurrency),
            repeat: config.repeat,
            warmup: config.warmup,
            query: config.to_query(),
        },
        partial: models.iter().any(|m| m.partial) || sweep.as_ref().is_some_and(|s| s.partial),
        models,
        sweep,
    }
}

/// Where a model's runs stand in the whole run, for the progress line.
#[derive(Clone, Copy)]
struct Place {
    model_index: usize,
    model_count: usize,
    sweep_threads: Option<u32>,
}

/// One model: prepare, warm-up, measured runs, release, and its result.
async fn run_model(
    model: Model,
    config: &Config,
    executor: &mut impl Executor,
    cancel: &Arc<AtomicBool>,
    progress: &mut impl FnMut(Progress),
    place: Place,
) -> ModelResult {
    let expected = config.workload().expected_checksum();
    let mut result = empty_result(model, config);
    if cancel.load(Relaxed) {
        result.partial = true;
        result.error = Some("Stopped before this model ran.".to_string());
        return result;
    }
    if let Some(reason) = executor.unavailable_reason(model, config) {
        result.available = false;
        result.error = Some(reason);
        return result;
    }
    match executor.prepare(model, config).await {
        Ok(startup) => {
            result.startup_ms = Some(startup.ms);
            result.startup_wasm_memory_bytes = Some(startup.wasm_memory_bytes);
            result.startup_live_heap_bytes = Some(startup.live_heap_bytes);
        }
        Err(reason) => {
            result.available = false;
            result.error = Some(reason);
            return result;
        }
    }

    let mut measured: Vec<RunMeasurement> = Vec::new();
    // The run Stop cut short: reported (marked partial) when no run
    // completed, so what it did is not lost.
    let mut stopped_run: Option<RunMeasurement> = None;
    let mut heap_baseline: Option<u64> = None;
    let mut checksums: Vec<u128> = Vec::new();
    let mut failed_requests = 0;
    let phases = [(true, config.warmup), (false, config.repeat)];
    'phases: for (warmup, runs) in phases {
        for run in 1..=runs {
            progress(Progress {
                model,
                model_index: place.model_index,
                model_count: place.model_count,
                sweep_threads: place.sweep_threads,
                warmup,
                run,
                runs,
            });
            executor.before_run().await;
            let ticks_before = executor.heartbeat_ticks();
            let outcome = executor.run(model, config, cancel).await;
            let ticks = executor.heartbeat_ticks().saturating_sub(ticks_before);
            match outcome {
                Ok(mut measurement) => {
                    let baseline = *heap_baseline.get_or_insert(measurement.live_heap_bytes_before);
                    rebase_live_heap(&mut measurement, baseline);
                    note_memory(&mut result, &measurement);
                    result.tasks_done = measurement.tasks_done;
                    result.threads_used = result.threads_used.max(measurement.threads_used);
                    if measurement.partial {
                        result.partial = true;
                        stopped_run = Some(measurement);
                        break 'phases;
                    }
                    checksums.push(measurement.checksum);
                    failed_requests += measurement.io.as_ref().map_or(0, |io| io.requests_failed);
                    if !warmup {
                        result.heartbeat_ticks += ticks;
                        measured.push(measurement);
                    }
                }
                Err(error) => {
                    result.error = Some(error);
                    break 'phases;
                }
            }
        }
    }
    executor.release(model).await;

    result.runs_ms = measured.iter().map(|m| m.elapsed_ms).collect();
    if let Some(summary) = summarize(&result.runs_ms) {
        result.median_ms = Some(summary.median_ms);
        result.min_ms = Some(summary.min_ms);
        result.max_ms = Some(summary.max_ms);
    }
    let reported = match median_index(&result.runs_ms) {
        Some(index) => {
            result.checksum_ok = match expected {
                Some(expected) => checksums.iter().all(|sum| *sum == expected),
                // Nothing to compare with (a user's URL): every run must
                // have received the same bytes, with no request failing.
                None => failed_requests == 0 && checksums.windows(2).all(|pair| pair[0] == pair[1]),
            };
            Some(measured.swap_remove(index))
        }
        // Only a stopped run: its records stand, marked partial; its time
        // is not a run time, and its checksum cannot be right.
        None => stopped_run,
    };
    if let Some(run) = reported {
        result.checksum = Some(run.checksum.to_string());
        if let Some(facts) = &run.io {
            result.io = Some(io_result(model, config, &run, facts));
        }
        result.tasks = run.tasks;
        result.memory_samples = run.memory_samples;
    }
    result
}

/// The thread sweep: every chosen model that takes a thread count, run at
/// each count from 1 to the cores, each point a full model run (warm-up
/// and repeats). Speedups are against `seq` when it ran, else against the
/// same model on one thread.
async fn run_sweep(
    config: &Config,
    environment: &Environment,
    executor: &mut impl Executor,
    cancel: &Arc<AtomicBool>,
    progress: &mut impl FnMut(Progress),
    seq_median: Option<f64>,
) -> Sweep {
    let max = max_threads(environment.hardware_concurrency);
    let swept: Vec<Model> = config.models().into_iter().filter(|m| m.is_swept()).collect();
    let mut points = Vec::new();
    let mut partial = false;
    for (model_index, &model) in swept.iter().enumerate() {
        let mut one_thread_median = None;
        for threads in 1..=max {
            if cancel.load(Relaxed) {
                partial = true;
                break;
            }
            let at_k = Config { threads, ..config.clone() };
            let place = Place { model_index, model_count: swept.len(), sweep_threads: Some(threads) };
            let result = run_model(model, &at_k, executor, cancel, progress, place).await;
            partial |= result.partial;
            if threads == 1 {
                one_thread_median = result.median_ms;
            }
            let speedup = speedup(seq_median.or(one_thread_median), result.median_ms);
            points.push(SweepPoint {
                model: result.id,
                threads,
                threads_used: result.threads_used,
                runs_ms: result.runs_ms,
                median_ms: result.median_ms,
                min_ms: result.min_ms,
                max_ms: result.max_ms,
                speedup,
                efficiency: speedup.map(|s| efficiency(s, threads)),
                checksum_ok: result.checksum_ok,
                error: result.error,
            });
        }
    }
    Sweep {
        baseline: if seq_median.is_some() { "seq" } else { "the same model on 1 thread" }.to_string(),
        baseline_ms: seq_median,
        partial,
        points,
    }
}

/// Puts a run's live-heap figures on the model's first baseline.
///
/// Between runs the heap holds what the playground itself kept of earlier
/// runs (their task spans and samples: ~360 KB a run for the default sieve).
/// That is not the workload's memory, so each run is measured from its own
/// "before" and its growth is added to the first run's "before": as if every
/// run had started from the same heap.
fn rebase_live_heap(measurement: &mut RunMeasurement, baseline: u64) {
    let shift =
        |bytes: u64| (bytes as i128 - measurement.live_heap_bytes_before as i128 + baseline as i128).max(0) as u64;
    measurement.live_heap_bytes_after = shift(measurement.live_heap_bytes_after);
    measurement.peak_live_heap_bytes = shift(measurement.peak_live_heap_bytes);
    for sample in &mut measurement.memory_samples {
        sample.2 = shift(sample.2);
    }
    measurement.live_heap_bytes_before = baseline;
}

/// Memory before the first run and after the last, and the highest peak.
fn note_memory(result: &mut ModelResult, measurement: &RunMeasurement) {
    result.wasm_memory_bytes_before.get_or_insert(measurement.wasm_memory_bytes_before);
    result.live_heap_bytes_before.get_or_insert(measurement.live_heap_bytes_before);
    result.wasm_memory_bytes_after = Some(measurement.wasm_memory_bytes_after);
    result.live_heap_bytes_after = Some(measurement.live_heap_bytes_after);
    let peak = result.peak_live_heap_bytes.unwrap_or(0).max(measurement.peak_live_heap_bytes);
    result.peak_live_heap_bytes = Some(peak);
}

/// The requests an IO model may have in flight at once.
fn in_flight_allowed(model: IoModel, config: &Config) -> u32 {
    match model {
        IoModel::Seq => 1,
        IoModel::Bounded | IoModel::Threads => config.concurrency.min(config.io.requests),
        IoModel::All | IoModel::Workers => config.io.requests,
    }
}

/// An IO model's figures from its median run.
fn io_result(
    model: Model,
    config: &Config,
    run: &RunMeasurement,
    facts: &super::measurement::IoFacts,
) -> IoModelResult {
    let Model::Io(io_model) = model else { unreachable!("only IO runs carry IO facts") };
    let requests = facts.requests_ok + facts.requests_failed;
    // The live heap only: it counts every allocation exactly. The JS heap
    // is reported beside it, but it moves with garbage collection and the
    // page's other work, so dividing it by requests would divide noise.
    let heap_growth = run.peak_live_heap_bytes.saturating_sub(run.live_heap_bytes_before);
    IoModelResult {
        concurrency: in_flight_allowed(io_model, config),
        requests_ok: facts.requests_ok,
        requests_failed: facts.requests_failed,
        failures: facts.failures.clone(),
        failure_messages: facts.failure_messages.clone(),
        max_in_flight: facts.max_in_flight,
        protocol: facts.protocol.clone(),
        bytes_total: facts.bytes_total,
        requests_per_second: (run.elapsed_ms > 0.0).then(|| requests as f64 / (run.elapsed_ms / 1000.0)),
        bytes_per_in_flight_request: (facts.max_in_flight > 0).then(|| heap_growth as f64 / facts.max_in_flight as f64),
        js_heap_bytes_before: facts.js_heap_bytes_before,
        js_heap_bytes_after: facts.js_heap_bytes_after,
        peak_js_heap_bytes: facts.peak_js_heap_bytes,
        js_heap_samples: facts.js_heap_samples.clone(),
    }
}

fn empty_io_result() -> IoModelResult {
    IoModelResult {
        concurrency: 0,
        requests_ok: 0,
        requests_failed: 0,
        failures: Default::default(),
        failure_messages: Default::default(),
        max_in_flight: 0,
        protocol: None,
        bytes_total: 0,
        requests_per_second: None,
        bytes_per_in_flight_request: None,
        js_heap_bytes_before: None,
        js_heap_bytes_after: None,
        peak_js_heap_bytes: None,
        js_heap_samples: Vec::new(),
    }
}

/// A model's result before any run. An IO model has its IO fields from the
/// start, empty, so that every IO model has the same shape even if it never
/// ran (unavailable, stopped before its turn, failed to start).
fn empty_result(model: Model, config: &Config) -> ModelResult {
    ModelResult {
        id: model.id().to_string(),
        label: model.label().to_string(),
        python: model.python_counterpart().to_string(),
        available: true,
        threads: config.threads_for(model),
        runs_ms: Vec::new(),
        median_ms: None,
        min_ms: None,
        max_ms: None,
        speedup_vs_seq: None,
        checksum: None,
        checksum_ok: false,
        threads_used: 0,
        wasm_memory_bytes_before: None,
        wasm_memory_bytes_after: None,
        live_heap_bytes_before: None,
        live_heap_bytes_after: None,
        peak_live_heap_bytes: None,
        startup_ms: None,
        startup_wasm_memory_bytes: None,
        startup_live_heap_bytes: None,
        heartbeat_ticks: 0,
        partial: false,
        tasks_done: 0,
        tasks: Vec::new(),
        memory_samples: Vec::new(),
        error: None,
        io: match model {
            Model::Io(io_model) => {
                Some(IoModelResult { concurrency: in_flight_allowed(io_model, config), ..empty_io_result() })
            }
            Model::Cpu(_) => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::record::MemorySample;

    #[test]
    fn later_runs_are_rebased_on_the_first_runs_heap() {
        // The second run starts 400 bytes higher (records of the first run)
        // and grows by 100 at its peak, 10 at its end.
        let mut second = RunMeasurement {
            elapsed_ms: 1.0,
            checksum: 0,
            tasks_done: 1,
            partial: false,
            threads_used: 1,
            wasm_memory_bytes_before: 0,
            wasm_memory_bytes_after: 0,
            live_heap_bytes_before: 1400,
            live_heap_bytes_after: 1410,
            peak_live_heap_bytes: 1500,
            tasks: vec![],
            memory_samples: vec![MemorySample(0.0, 0, 1400), MemorySample(1.0, 0, 1500)],
            io: None,
        };
        rebase_live_heap(&mut second, 1000);
        assert_eq!(
            (second.live_heap_bytes_before, second.live_heap_bytes_after, second.peak_live_heap_bytes),
            (1000, 1010, 1100)
        );
        assert_eq!(second.memory_samples[1].live_heap_bytes(), 1100);
    }
}
