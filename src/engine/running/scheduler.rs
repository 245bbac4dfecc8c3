//! The run pipeline: configuration -> each model in turn (prepare, warm-up,
//! repeats) -> statistics -> the results record. How a model actually runs
//! is behind [`Executor`]: the browser layer implements it with the page's
//! main thread, the rayon pool, worker threads and worker instances; the
//! native tests with std threads and a fake network.

use crate::engine::configuration::config::{
    max_threads, Config, SweepKind, WorkloadKind, FEATURED_SHARE_PCT, MIX_SHARES_PCT,
};
use crate::engine::configuration::limits::MAX_COMPUTE_N;
use crate::engine::configuration::plan::RunPlan;
use crate::engine::cpu::calibrate::Calibration;
use crate::engine::measurement::probes::Clock;
use crate::engine::measurement::run_measurement::{RunMeasurement, Startup};
use crate::engine::model::{Model, ModelItem};
use crate::engine::reporting::assemble::{baseline_median, ModelReport, RunExtras};
use crate::engine::reporting::results::{
    CalibrationRecord, Environment, MixPoint, MixSweep, ModelResult, Results, Sweep, SweepPoint,
};
use crate::engine::reporting::stats::speedup;
use crate::engine::running::small_polls::boxed;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

/// Where a run stands, for the live progress line.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub model: Model,
    /// The item as written (`threads@100`), telling entries of one model apart.
    pub key: String,
    pub model_index: usize,
    pub model_count: usize,
    /// In the thread sweep: the thread count of this point.
    pub sweep_threads: Option<u32>,
    /// In the crossover sweep: the share of each task spent computing, in %.
    pub mix_share_pct: Option<u32>,
    pub warmup: bool,
    /// 1-based run number within its phase, and the phase's length.
    pub run: u32,
    pub runs: u32,
}

/// What the scheduler tells its caller as a run goes: where it stands, and
/// each entry as soon as its model has finished (the page draws it at once).
#[derive(Clone, Debug, PartialEq)]
pub enum RunEvent {
    Progress(Progress),
    /// An entry of `models=` with all its runs done (not the sweep's points).
    Finished(Box<ModelResult>),
}

/// Runs models, each by its [`RunPlan`]: getting ready and freeing go by
/// where it runs (`plan.placement`), a run by which model it is. Futures
/// are awaited on one thread (the page's), so no `Send`.
#[allow(async_fn_in_trait)]
pub trait Executor {
    /// Why the plan cannot run here (the page cannot share memory, the
    /// pool failed, the service worker is not there), or `None` if it can.
    fn unavailable_reason(&self, plan: &RunPlan, config: &Config) -> Option<String>;
    /// Gets the plan's threads or instances ready; returns what that
    /// took, or why it failed.
    async fn prepare(&mut self, plan: &RunPlan) -> Result<Startup, String>;
    /// Called before each run, outside the measured window: yield so the
    /// page can paint the progress line (and, before `main`, its last frame).
    async fn before_run(&mut self) {}
    /// One run of the whole workload.
    async fn run(
        &mut self,
        plan: &RunPlan,
        config: &Config,
        cancel: &Arc<AtomicBool>,
    ) -> Result<RunMeasurement, String>;
    /// Frees what `prepare` took (worker instances, threads, a sized pool).
    async fn release(&mut self, plan: &RunPlan);
    /// The main thread's heartbeat count so far.
    fn heartbeat_ticks(&self) -> u64;
    /// The clock the calibration times the sieve with, on this thread.
    fn clock(&self) -> &dyn Clock;
}

/// Runs every configured model, then the thread sweep or the crossover
/// sweep if asked, and returns the results record. Stops early, keeping
/// what was measured and marking it partial, once `cancel` is set.
pub async fn run_models(
    config: &Config,
    environment: Environment,
    executor: &mut impl Executor,
    cancel: &Arc<AtomicBool>,
    on_event: &mut impl FnMut(RunEvent),
) -> Results {
    let mix_sweep_asked = config.sweep == SweepKind::Mix && config.kind == WorkloadKind::Mixed;
    // Timed on the page's thread before anything runs: tens of milliseconds.
    let calibration = (config.kind == WorkloadKind::Mixed && (config.cpu_ms.is_some() || mix_sweep_asked))
        .then(|| Calibration::measure(executor.clock(), MAX_COMPUTE_N));
    let cpu_ms_step = calibration.zip(config.cpu_ms).map(|(c, ms)| c.size_for_ms(executor.clock(), ms as f64));
    let sized;
    let config = match cpu_ms_step {
        Some(step) => {
            sized = config.with_compute_n(step.compute_n);
            &sized
        }
        None => config,
    };
    if let Some(calibration) = calibration.filter(|_| mix_sweep_asked) {
        let (mix_sweep, featured) = run_mix_sweep(config, &calibration, &environment, executor, cancel, on_event).await;
        let calibration = Some(CalibrationRecord { calibration, cpu_ms_step });
        let extras = RunExtras { mix_sweep: Some(mix_sweep), calibration, ..RunExtras::default() };
        return Results::new(&featured.config, environment, featured.models, extras);
    }
    let chosen = config.models();
    // Worked out once for the run: for uneven mixed tasks it is a sieve up
    // to the largest task, tens of milliseconds on the page's thread.
    let expected_checksum = config.workload().expected_checksum();
    let mut models = Vec::with_capacity(chosen.len());
    for (model_index, &item) in chosen.iter().enumerate() {
        let place = Place { model_index, model_count: chosen.len(), ..Place::default() };
        let plan = RunPlan::resolve(item, config, environment.shared_memory);
        let result = run_model(&plan, config, expected_checksum, executor, cancel, on_event, place).await;
        on_event(RunEvent::Finished(Box::new(result.clone())));
        models.push(result);
    }
    let seq_median = baseline_median(config, &models);
    let sweep = match config.sweep.applies_to(config.kind) && config.sweep == SweepKind::Threads {
        true => Some(run_sweep(config, expected_checksum, &environment, executor, cancel, on_event, seq_median).await),
        false => None,
    };
    let calibration = calibration.map(|calibration| CalibrationRecord { calibration, cpu_ms_step });
    Results::new(config, environment, models, RunExtras { sweep, calibration, ..RunExtras::default() })
}

/// Where a model's runs stand in the whole run, for the progress line.
#[derive(Clone, Copy, Default)]
struct Place {
    model_index: usize,
    model_count: usize,
    sweep_threads: Option<u32>,
    mix_share_pct: Option<u32>,
}

/// One model item by its plan: prepare, warm-up, measured runs, release,
/// and its result.
async fn run_model(
    plan: &RunPlan,
    config: &Config,
    expected_checksum: Option<u128>,
    executor: &mut impl Executor,
    cancel: &Arc<AtomicBool>,
    on_event: &mut impl FnMut(RunEvent),
    place: Place,
) -> ModelResult {
    if cancel.load(Relaxed) {
        return ModelResult::stopped_before_its_turn(plan);
    }
    if let Some(reason) = executor.unavailable_reason(plan, config) {
        return ModelResult::unavailable(plan, reason);
    }
    // Each call of the executor boxed: `small_polls` says why.
    let mut report = match boxed(executor.prepare(plan)).await {
        Ok(startup) => ModelReport::new(plan, startup),
        Err(reason) => return ModelResult::unavailable(plan, reason),
    };
    let phases = [(true, config.warmup), (false, config.repeat)];
    'phases: for (warmup, runs) in phases {
        for run in 1..=runs {
            on_event(RunEvent::Progress(Progress {
                model: plan.model(),
                key: plan.item.key(),
                model_index: place.model_index,
                model_count: place.model_count,
                sweep_threads: place.sweep_threads,
                mix_share_pct: place.mix_share_pct,
                warmup,
                run,
                runs,
            }));
            boxed(executor.before_run()).await;
            let ticks_before = executor.heartbeat_ticks();
            let outcome = boxed(executor.run(plan, config, cancel)).await;
            let ticks = executor.heartbeat_ticks().saturating_sub(ticks_before);
            match outcome {
                Ok(measurement) => {
                    if !report.add_run(measurement, warmup, ticks) {
                        break 'phases;
                    }
                }
                Err(error) => {
                    report.fail(error);
                    break 'phases;
                }
            }
        }
    }
    boxed(executor.release(plan)).await;
    report.finish(expected_checksum)
}

/// The thread sweep: every chosen model that takes a thread count, run at
/// each count from 1 to the cores, each point a full model run (warm-up
/// and repeats). Speedups are against `seq` when it ran, else against the
/// same model on one thread.
async fn run_sweep(
    config: &Config,
    expected_checksum: Option<u128>,
    environment: &Environment,
    executor: &mut impl Executor,
    cancel: &Arc<AtomicBool>,
    on_event: &mut impl FnMut(RunEvent),
    seq_median: Option<f64>,
) -> Sweep {
    let max = max_threads(environment.hardware_concurrency);
    // Each swept model once, at every thread count (an item's own k would
    // only repeat one of the points).
    let mut swept: Vec<ModelItem> = Vec::new();
    for item in config.models() {
        if item.model.is_swept() && !swept.iter().any(|s| s.model == item.model) {
            swept.push(ModelItem::plain(item.model));
        }
    }
    let mut points = Vec::new();
    let mut partial = false;
    for (model_index, &item) in swept.iter().enumerate() {
        let mut one_thread_median = None;
        for threads in 1..=max {
            if cancel.load(Relaxed) {
                partial = true;
                break;
            }
            let at_k = Config { threads, ..config.clone() };
            let place =
                Place { model_index, model_count: swept.len(), sweep_threads: Some(threads), ..Place::default() };
            let plan = RunPlan::resolve(item, &at_k, environment.shared_memory);
            let result = run_model(&plan, &at_k, expected_checksum, executor, cancel, on_event, place).await;
            partial |= result.partial;
            if threads == 1 {
                one_thread_median = result.median_ms;
            }
            let speedup = speedup(seq_median.or(one_thread_median), result.median_ms);
            points.push(SweepPoint::new(result, threads, speedup));
        }
    }
    Sweep {
        baseline: if seq_median.is_some() { "seq" } else { "the same model on 1 thread" }.to_string(),
        baseline_ms: seq_median,
        partial,
        points,
    }
}

/// The crossover sweep's share whose entries stand as the run's models
/// (cards, table, timeline): its configuration and its full entries.
struct FeaturedShare {
    config: Config,
    models: Vec<ModelResult>,
}

/// The crossover sweep: each share of computing in a task of `task_ms`
/// (its wait the rest), every chosen entry at each, share by share, so a
/// Stop keeps whole shares. Each share's sieve is sized by `calibration`'s
/// one rate, so the sizes grow with the share as the times should.
/// The entries of [`FEATURED_SHARE_PCT`] are kept whole and reported as
/// they finish, as a run's models are; the rest become points.
async fn run_mix_sweep(
    config: &Config,
    calibration: &Calibration,
    environment: &Environment,
    executor: &mut impl Executor,
    cancel: &Arc<AtomicBool>,
    on_event: &mut impl FnMut(RunEvent),
) -> (MixSweep, FeaturedShare) {
    let entries = config.models();
    let mut points = Vec::new();
    let mut partial = false;
    let mut featured = FeaturedShare { config: config.clone(), models: Vec::new() };
    'shares: for share in MIX_SHARES_PCT {
        let compute_ms = config.task_ms as f64 * share as f64 / 100.0;
        let compute_n = match share {
            0 => 2,
            _ => calibration.estimate_n(compute_ms),
        };
        let latency_ms = (config.task_ms * (100 - share) + 50) / 100;
        let at_share = config.at_mix_share(latency_ms, compute_n);
        let expected_checksum = at_share.workload().expected_checksum();
        for (model_index, &item) in entries.iter().enumerate() {
            if cancel.load(Relaxed) {
                partial = true;
                break 'shares;
            }
            let place =
                Place { model_index, model_count: entries.len(), mix_share_pct: Some(share), ..Place::default() };
            let plan = RunPlan::resolve(item, &at_share, environment.shared_memory);
            let result = run_model(&plan, &at_share, expected_checksum, executor, cancel, on_event, place).await;
            partial |= result.partial;
            points.push(MixPoint {
                share_pct: share,
                key: result.key.clone(),
                model: result.id,
                latency_ms: at_share.io.latency_ms,
                compute_n: at_share.compute_n,
                runs_ms: result.runs_ms.clone(),
                median_ms: result.median_ms,
                checksum_ok: result.checksum_ok,
                error: result.error.clone(),
            });
            if share == FEATURED_SHARE_PCT {
                on_event(RunEvent::Finished(Box::new(result.clone())));
                featured = FeaturedShare { config: at_share.clone(), models: [featured.models, vec![result]].concat() };
            }
        }
    }
    // Stopped before the featured share: the entries say they did not run.
    if featured.models.is_empty() {
        let at_share = config.at_mix_share(config.task_ms / 2, 2);
        let models = entries
            .iter()
            .map(|&item| {
                ModelResult::stopped_before_its_turn(&RunPlan::resolve(item, &at_share, environment.shared_memory))
            })
            .collect();
        featured = FeaturedShare { config: at_share, models };
    }
    (MixSweep::new(config.task_ms, config.tasks, points, partial, &config.workload()), featured)
}
