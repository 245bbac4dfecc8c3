//! How the results record is assembled from what was measured: a model's
//! entry (of a model that did not run; its start-up; each run as it comes,
//! memory rebased on the first run's heap; at the end the statistics, the
//! checksum verdict and the median run's records), a point of the thread
//! sweep, and the whole record. The scheduler decides what runs; this file
//! decides what is reported of it.

use super::results::{
    CalibrationRecord, ConfigRecord, Environment, ExperimentRecord, IoModelResult, MixSweep, ModelResult,
    PublishedEntry, ReferenceRecord, Results, Sweep, SweepPoint, WorkloadRecord, SCHEMA,
};
use super::stats::{efficiency, median_index, speedup, summarize};
use super::verdict::verdict;
use crate::engine::configuration::config::Config;
use crate::engine::configuration::plan::RunPlan;
use crate::engine::experiments::Experiment;
use crate::engine::measurement::run_measurement::{RunMeasurement, Startup};
use crate::engine::placement::{Placement, RunsOn};

impl Results {
    /// The record of a whole run: every model's entry, their speedups
    /// over `seq` (when it ran), and the sweeps and calibration if there were.
    pub fn new(config: &Config, environment: Environment, mut models: Vec<ModelResult>, extras: RunExtras) -> Self {
        let RunExtras { sweep, mix_sweep, calibration } = extras;
        note_reused_memory(&mut models);
        let baseline_median = baseline_median(config, &models);
        for result in &mut models {
            result.speedup_vs_seq = speedup(baseline_median, result.median_ms);
        }
        let experiment = config.experiment.and_then(Experiment::find).map(|experiment| ExperimentRecord {
            id: experiment.id.to_string(),
            title: experiment.title.to_string(),
            author: experiment.author.to_string(),
            url: experiment.url.map(str::to_string),
            year: experiment.year,
            scaled: experiment.scaled.to_string(),
            cores_note: experiment.query.contains("{cores}").then(|| {
                format!(
                    "The post's process count followed its machine's cores; here it is this browser's {} (threads={}).",
                    environment.hardware_concurrency, config.threads
                )
            }),
            entries: experiment
                .entries
                .iter()
                .map(|entry| {
                    let published = (entry.seconds, experiment.published_speedup(entry));
                    beside(&models, entry.key, entry.python, published)
                })
                .collect(),
        });
        let reference = (!config.reference_ms.is_empty()).then(|| {
            let sync_s = config.reference_ms.iter().find(|(key, _)| key == "seq").map(|(_, ms)| *ms as f64 / 1000.0);
            ReferenceRecord {
                entries: config
                    .reference_ms
                    .iter()
                    .map(|(key, ms)| {
                        let seconds = *ms as f64 / 1000.0;
                        beside(&models, key, "", (Some(seconds), sync_s.map(|sync| sync / seconds)))
                    })
                    .collect(),
            }
        });
        let mut results = Results {
            schema: SCHEMA.to_string(),
            workload: WorkloadRecord::new(config.workload()),
            environment,
            config: ConfigRecord {
                threads: config.threads,
                concurrency: config.kind.waits().then_some(config.concurrency),
                repeat: config.repeat,
                warmup: config.warmup,
                query: config.to_query(),
            },
            partial: models.iter().any(|m| m.partial)
                || sweep.as_ref().is_some_and(|s| s.partial)
                || mix_sweep.as_ref().is_some_and(|s| s.partial),
            models,
            sweep,
            mix_sweep,
            calibration,
            experiment,
            reference,
            verdict: String::new(),
        };
        // A crossover run's lesson is the crossover: it leads.
        results.verdict = match &results.mix_sweep {
            Some(mix) if !mix.verdict.is_empty() => format!("{} {}", mix.verdict, verdict(&results)).trim().to_string(),
            _ => verdict(&results),
        };
        results
    }
}

/// What a run may add to its models' entries: the thread sweep, the
/// crossover sweep, and the calibration that sized its compute steps.
#[derive(Clone, Debug, Default)]
pub struct RunExtras {
    pub sweep: Option<Sweep>,
    pub mix_sweep: Option<MixSweep>,
    pub calibration: Option<CalibrationRecord>,
}

/// The page's linear memory grows 64 KiB at a time and never shrinks.
const WASM_PAGE_BYTES: u64 = 65_536;

/// Says, for each entry whose new threads hold more than they grew the
/// page's memory by, whose freed memory they took: the earlier entry that
/// grew the page's memory most (its threads have been ended since), or
/// `page` where none did. `models` are in run order.
fn note_reused_memory(models: &mut [ModelResult]) {
    let starts_page_threads = |model: &ModelResult| model.runs_on == Some(RunsOn::InstanceThreads);
    for index in 0..models.len() {
        let model = &models[index];
        let (held, grown) = (model.startup_held_bytes.unwrap_or(0), model.startup_wasm_memory_bytes.unwrap_or(0));
        if !starts_page_threads(model) || held <= grown + WASM_PAGE_BYTES {
            continue;
        }
        let donor = (0..index)
            .filter(|&earlier| starts_page_threads(&models[earlier]))
            .filter(|&earlier| models[earlier].startup_wasm_memory_bytes.unwrap_or(0) > 0)
            .max_by_key(|&earlier| models[earlier].startup_wasm_memory_bytes.unwrap_or(0))
            .map_or_else(|| "page".to_string(), |earlier| models[earlier].key.clone());
        models[index].startup_memory_reused_from = Some(donor);
    }
}

/// A published figure beside the measured entry of `key`.
fn beside(models: &[ModelResult], key: &str, python: &str, published: (Option<f64>, Option<f64>)) -> PublishedEntry {
    let measured = models.iter().find(|model| model.key == key);
    PublishedEntry {
        key: key.to_string(),
        python: python.to_string(),
        published_s: published.0,
        published_speedup: published.1,
        measured_ms: measured.and_then(|model| model.median_ms),
        measured_speedup: measured.and_then(|model| model.speedup_vs_seq),
    }
}

/// The median of the baseline (`seq`) among `models`, the entries of
/// `config.models()` in order, when it ran.
pub fn baseline_median(config: &Config, models: &[ModelResult]) -> Option<f64> {
    config
        .models()
        .iter()
        .zip(models)
        .filter(|(item, _)| item.model.is_baseline() && item.k.is_none())
        .find_map(|(_, result)| result.median_ms)
}

impl SweepPoint {
    /// A sweep point from the model's entry at `threads`, with its speedup.
    pub fn new(result: ModelResult, threads: u32, speedup: Option<f64>) -> Self {
        SweepPoint {
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
        }
    }
}

impl ModelResult {
    /// A model's entry before any run, every figure unmeasured. An IO model
    /// has its IO fields from the start, so that every IO model has the
    /// same shape even if it never ran (unavailable, stopped before its
    /// turn, failed to start).
    pub fn new(plan: &RunPlan) -> Self {
        let (item, model) = (plan.item, plan.model());
        ModelResult {
            id: model.id(),
            key: item.key(),
            label: model.label().to_string(),
            python: model.python_counterpart().to_string(),
            available: true,
            threads: plan.threads,
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
            startup_wasm_memory_bytes_per_thread: None,
            startup_held_bytes: None,
            startup_memory_reused_from: None,
            runs_on: None,
            switch_ms: plan.switch_ms,
            gil_switches: None,
            gil_wait_ms: None,
            gil_holds: None,
            gil_waits: None,
            yields: None,
            chunksize: plan.chunk_size,
            messages: None,
            instance_messages: None,
            io: plan.in_flight.map(|in_flight| IoModelResult {
                concurrency: in_flight,
                facts: Default::default(),
                requests_per_second: None,
                bytes_per_in_flight_request: None,
            }),
        }
    }

    /// The entry of a model that cannot run here, and why.
    pub fn unavailable(plan: &RunPlan, reason: String) -> Self {
        Self { available: false, error: Some(reason), ..Self::new(plan) }
    }

    /// The entry of a model that Stop reached before its turn.
    pub fn stopped_before_its_turn(plan: &RunPlan) -> Self {
        Self { partial: true, error: Some("Stopped before this model ran.".to_string()), ..Self::new(plan) }
    }
}

/// A model's entry as its runs come in: warm-ups count for the checksum
/// verdict and memory, measured runs also for time.
pub struct ModelReport {
    result: ModelResult,
    measured: Vec<RunMeasurement>,
    /// The run Stop cut short: reported (marked partial) when no run
    /// completed, so what it did is not lost.
    stopped_run: Option<RunMeasurement>,
    heap_baseline: Option<u64>,
    checksums: Vec<u128>,
    failed_requests: u32,
}

impl ModelReport {
    /// The entry of `plan`, which got ready as `startup` says, before its
    /// runs; where it runs is the plan's.
    pub fn new(plan: &RunPlan, startup: Startup) -> Self {
        let result = ModelResult {
            runs_on: plan.placement.map(Placement::runs_on),
            startup_ms: Some(startup.ms),
            startup_wasm_memory_bytes: Some(startup.wasm_memory_bytes),
            startup_live_heap_bytes: Some(startup.live_heap_bytes),
            startup_held_bytes: Some(startup.held_bytes),
            startup_wasm_memory_bytes_per_thread: (startup.holders > 0)
                .then(|| startup.held_bytes as f64 / startup.holders as f64),
            ..ModelResult::new(plan)
        };
        Self {
            result,
            measured: Vec::new(),
            stopped_run: None,
            heap_baseline: None,
            checksums: Vec::new(),
            failed_requests: 0,
        }
    }

    /// Adds one run; returns false once the model should run no more (Stop
    /// cut this run short).
    pub fn add_run(&mut self, mut measurement: RunMeasurement, warmup: bool, heartbeat_ticks: u64) -> bool {
        let baseline = *self.heap_baseline.get_or_insert(measurement.live_heap_bytes_before);
        rebase_live_heap(&mut measurement, baseline);
        let result = &mut self.result;
        result.wasm_memory_bytes_before.get_or_insert(measurement.wasm_memory_bytes_before);
        result.live_heap_bytes_before.get_or_insert(measurement.live_heap_bytes_before);
        result.wasm_memory_bytes_after = Some(measurement.wasm_memory_bytes_after);
        result.live_heap_bytes_after = Some(measurement.live_heap_bytes_after);
        let peak = result.peak_live_heap_bytes.unwrap_or(0).max(measurement.peak_live_heap_bytes);
        result.peak_live_heap_bytes = Some(peak);
        result.tasks_done = measurement.tasks_done;
        result.threads_used = result.threads_used.max(measurement.threads_used);
        if measurement.partial {
            result.partial = true;
            self.stopped_run = Some(measurement);
            return false;
        }
        self.checksums.push(measurement.checksum);
        self.failed_requests += measurement.io.as_ref().map_or(0, |io| io.requests_failed);
        if !warmup {
            result.heartbeat_ticks += heartbeat_ticks;
            self.measured.push(measurement);
        }
        true
    }

    /// A run that failed (the model's threads or instances broke).
    pub fn fail(&mut self, error: String) {
        self.result.error = Some(error);
    }

    /// The entry: run statistics, the checksum verdict against `expected`
    /// (`None` for a user's URL), and the median run's records.
    pub fn finish(mut self, expected: Option<u128>) -> ModelResult {
        let result = &mut self.result;
        result.runs_ms = self.measured.iter().map(|m| m.elapsed_ms).collect();
        if let Some(summary) = summarize(&result.runs_ms) {
            result.median_ms = Some(summary.median_ms);
            result.min_ms = Some(summary.min_ms);
            result.max_ms = Some(summary.max_ms);
        }
        let reported = match median_index(&result.runs_ms) {
            Some(index) => {
                result.checksum_ok = match expected {
                    Some(expected) => self.checksums.iter().all(|sum| *sum == expected),
                    // Nothing to compare with (a user's URL): every run must
                    // have received the same bytes, with no request failing.
                    None => self.failed_requests == 0 && self.checksums.windows(2).all(|pair| pair[0] == pair[1]),
                };
                Some(self.measured.swap_remove(index))
            }
            // Only a stopped run: its records stand, marked partial; its time
            // is not a run time, and its checksum cannot be right.
            None => self.stopped_run,
        };
        if let Some(run) = reported {
            result.checksum = Some(run.checksum.to_string());
            if let (Some(io), Some(facts)) = (result.io.as_mut(), &run.io) {
                io.facts = facts.clone();
                io.requests_per_second = requests_per_second(&run);
                io.bytes_per_in_flight_request = bytes_per_in_flight_request(&run);
            }
            if let Some(gil) = run.shape.gil {
                result.gil_switches = Some(gil.switches);
                result.gil_wait_ms = Some(gil.wait_ms);
                result.gil_holds = Some(gil.holds);
                result.gil_waits = Some(gil.waits);
            }
            result.yields = run.shape.yields;
            result.messages = run.shape.messages;
            result.instance_messages = run.shape.instance_messages;
            result.tasks = run.tasks;
            result.memory_samples = run.memory_samples;
        }
        self.result
    }
}

fn requests_per_second(run: &RunMeasurement) -> Option<f64> {
    let facts = run.io.as_ref()?;
    let requests = facts.requests_ok + facts.requests_failed;
    (run.elapsed_ms > 0.0).then(|| requests as f64 / (run.elapsed_ms / 1000.0))
}

/// The live heap at its peak above where it started, per request in flight
/// at once. The live heap only: it counts every allocation exactly. The JS
/// heap is reported beside it, but it moves with garbage collection and the
/// page's other work, so dividing it by requests would divide noise.
fn bytes_per_in_flight_request(run: &RunMeasurement) -> Option<f64> {
    let facts = run.io.as_ref()?;
    let heap_growth = run.peak_live_heap_bytes.saturating_sub(run.live_heap_bytes_before);
    (facts.max_in_flight > 0).then(|| heap_growth as f64 / facts.max_in_flight as f64)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::measurement::records::MemorySample;

    #[test]
    fn threads_that_reuse_freed_memory_say_whose_it_was() {
        // wolf-io's order: 100 threads grow the page by 100 MiB; 20 threads
        // after them hold 20 MiB and grow it by nothing.
        let (config, _) = Config::parse("workload=io&models=threads@100,threads@20,all", 2);
        let mib = 1u64 << 20;
        let startup = |held: u64, grown: u64, holders: u32| Startup {
            ms: 1.0,
            wasm_memory_bytes: grown,
            live_heap_bytes: held,
            held_bytes: held,
            holders,
        };
        let entries = config.models();
        let mut models: Vec<ModelResult> =
            [startup(100 * mib, 100 * mib, 100), startup(20 * mib, 0, 20), startup(0, 0, 0)]
                .into_iter()
                .zip(&entries)
                .map(|(startup, item)| ModelReport::new(&RunPlan::resolve(*item, &config, true), startup).finish(None))
                .collect();
        note_reused_memory(&mut models);
        let per_thread: Vec<Option<f64>> = models.iter().map(|m| m.startup_wasm_memory_bytes_per_thread).collect();
        assert_eq!(per_thread, vec![Some(mib as f64), Some(mib as f64), None], "each thread's own, whatever ran first");
        let from: Vec<Option<&str>> = models.iter().map(|m| m.startup_memory_reused_from.as_deref()).collect();
        assert_eq!(from, vec![None, Some("threads@100"), None]);
        // First in a page, with nothing before it to take from: the page's own.
        let mut alone =
            vec![ModelReport::new(&RunPlan::resolve(entries[1], &config, true), startup(20 * mib, 0, 20)).finish(None)];
        note_reused_memory(&mut alone);
        assert_eq!(alone[0].startup_memory_reused_from.as_deref(), Some("page"));
    }

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
            shape: Default::default(),
        };
        rebase_live_heap(&mut second, 1000);
        assert_eq!(
            (second.live_heap_bytes_before, second.live_heap_bytes_after, second.peak_live_heap_bytes),
            (1000, 1010, 1100)
        );
        assert_eq!(second.memory_samples[1].live_heap_bytes(), 1100);
    }
}
