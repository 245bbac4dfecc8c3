//! The run pipeline: configuration -> each model in turn (prepare, warm-up,
//! repeats) -> statistics -> the results record. How a model actually runs
//! is behind [`CpuExecutor`]: the browser layer implements it with the page's
//! main thread, the rayon pool and worker instances; tests use a mock.

use super::config::Config;
use super::model::CpuModel;
use super::results::{ConfigRecord, Environment, ModelResult, Results, WorkloadRecord, SCHEMA};
use super::run::RunMeasurement;
use super::stats::{median_index, speedup, summarize};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

/// Where a run stands, for the live progress line.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub model: CpuModel,
    pub model_index: usize,
    pub model_count: usize,
    pub warmup: bool,
    /// 1-based run number within its phase, and the phase's length.
    pub run: u32,
    pub runs: u32,
}

/// Runs models. Futures are awaited on one thread (the page's), so no `Send`.
#[allow(async_fn_in_trait)]
pub trait CpuExecutor {
    /// Why `model` cannot run here (e.g. the page is not cross-origin
    /// isolated), or `None` if it can.
    fn unavailable_reason(&self, model: CpuModel) -> Option<String>;
    /// Gets the model ready with `threads` threads or instances; returns how
    /// long that took in ms, or why it failed.
    async fn prepare(&mut self, model: CpuModel, threads: u32) -> Result<f64, String>;
    /// Called before each run, outside the measured window: yield so the
    /// page can paint the progress line (and, before `main`, its last frame).
    async fn before_run(&mut self) {}
    /// One run of the whole workload.
    async fn run(
        &mut self,
        model: CpuModel,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> Result<RunMeasurement, String>;
    /// Frees what `prepare` took (worker instances, a sized pool).
    async fn release(&mut self, model: CpuModel);
    /// The main thread's heartbeat count so far.
    fn heartbeat_ticks(&self) -> u64;
}

/// Runs every configured model and returns the results record. Stops early,
/// keeping what was measured and marking it partial, once `cancel` is set.
pub async fn run_models(
    config: &Config,
    environment: Environment,
    executor: &mut impl CpuExecutor,
    cancel: &Arc<AtomicBool>,
    progress: &mut impl FnMut(Progress),
) -> Results {
    let workload = config.workload();
    let expected = workload.expected_checksum();
    let mut models = Vec::with_capacity(config.models.len());
    for (model_index, &model) in config.models.iter().enumerate() {
        let threads = if model.uses_thread_count() { config.threads } else { 1 };
        let mut result = empty_result(model, threads);
        if cancel.load(Relaxed) {
            result.partial = true;
            result.error = Some("Stopped before this model ran.".to_string());
            models.push(result);
            continue;
        }
        if let Some(reason) = executor.unavailable_reason(model) {
            result.available = false;
            result.error = Some(reason);
            models.push(result);
            continue;
        }
        match executor.prepare(model, threads).await {
            Ok(startup_ms) => result.startup_ms = Some(startup_ms),
            Err(reason) => {
                result.available = false;
                result.error = Some(reason);
                models.push(result);
                continue;
            }
        }

        let mut measured: Vec<RunMeasurement> = Vec::new();
        let mut heap_baseline: Option<u64> = None;
        let mut all_checksums_ok = true;
        let phases = [(true, config.warmup), (false, config.repeat)];
        'phases: for (warmup, runs) in phases {
            for run in 1..=runs {
                progress(Progress { model, model_index, model_count: config.models.len(), warmup, run, runs });
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
                        if measurement.partial {
                            result.partial = true;
                            break 'phases;
                        }
                        all_checksums_ok &= measurement.checksum == expected;
                        result.threads_used = result.threads_used.max(measurement.threads_used);
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
        if let Some(index) = median_index(&result.runs_ms) {
            let median_run = measured.swap_remove(index);
            result.checksum = Some(median_run.checksum.to_string());
            result.checksum_ok = all_checksums_ok;
            result.tasks = median_run.tasks;
            result.memory_samples = median_run.memory_samples;
        }
        models.push(result);
    }

    let seq_median = models.iter().find(|m| m.id == CpuModel::Seq.id()).and_then(|m| m.median_ms);
    for result in &mut models {
        result.speedup_vs_seq = speedup(seq_median, result.median_ms);
    }
    Results {
        schema: SCHEMA.to_string(),
        workload: WorkloadRecord::new(workload),
        environment,
        config: ConfigRecord {
            threads: config.threads,
            repeat: config.repeat,
            warmup: config.warmup,
            query: config.to_query(),
        },
        partial: models.iter().any(|m| m.partial),
        models,
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

fn empty_result(model: CpuModel, threads: u32) -> ModelResult {
    ModelResult {
        id: model.id().to_string(),
        label: model.label().to_string(),
        python: model.python_counterpart().to_string(),
        available: true,
        threads,
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
        heartbeat_ticks: 0,
        partial: false,
        tasks_done: 0,
        tasks: Vec::new(),
        memory_samples: Vec::new(),
        error: None,
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
        };
        rebase_live_heap(&mut second, 1000);
        assert_eq!(
            (second.live_heap_bytes_before, second.live_heap_bytes_after, second.peak_live_heap_bytes),
            (1000, 1010, 1100)
        );
        assert_eq!(second.memory_samples[1].live_heap_bytes(), 1100);
    }
}
