//! Chart data in plain Rust: the memory-over-time rows (several models,
//! sampled at different instants, put on one time axis) and the thread
//! sweep's and the crossover sweep's rows. The chart components hand these
//! to `chart_parts::LineChart`.

use crate::engine::measurement::records::MemorySample;
use crate::engine::model_id::ModelId;
use crate::engine::reporting::results::{MixSweep, ModelResult, Sweep};
use crate::sorting::{sort_by, sort_floats, sort_unique};

/// Which memory a memory chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryMetric {
    /// What the model holds: what start-up reserved (thread stacks, worker
    /// instances' memories) plus its live heap's growth.
    Held,
    LiveHeap,
    WasmMemory,
    JsHeap,
}

impl MemoryMetric {
    pub const ALL: [MemoryMetric; 4] = [Self::Held, Self::LiveHeap, Self::WasmMemory, Self::JsHeap];

    pub fn id(self) -> &'static str {
        match self {
            Self::Held => "held",
            Self::LiveHeap => "live-heap",
            Self::WasmMemory => "wasm-memory",
            Self::JsHeap => "js-heap",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Held => "Held by the model",
            Self::LiveHeap => "Live heap",
            Self::WasmMemory => "Wasm linear memory",
            Self::JsHeap => "JS heap",
        }
    }

    /// `(t_ms, bytes)` of one model's median run. `Held` starts before
    /// start-up (at minus its duration, holding nothing) and steps up by
    /// what start-up added at 0, so a model's threads or instances show as
    /// what they cost before the first request or task.
    pub fn samples(self, model: &ModelResult) -> Vec<(f64, f64)> {
        let from = |samples: &[MemorySample], pick: fn(&MemorySample) -> u64| {
            samples.iter().map(|s| (s.t_ms(), pick(s) as f64)).collect()
        };
        match self {
            Self::Held => {
                if model.memory_samples.is_empty() {
                    return Vec::new();
                }
                let startup = model.startup_held_bytes_or_estimate() as f64;
                let heap_before = model.live_heap_bytes_before.unwrap_or(0) as f64;
                let run = model
                    .memory_samples
                    .iter()
                    .map(|s| (s.t_ms(), startup + (s.live_heap_bytes() as f64 - heap_before).max(0.0)));
                let before_startup = -model.startup_ms.unwrap_or(0.0).max(0.0);
                [(before_startup.min(-f64::EPSILON), 0.0), (0.0, startup)].into_iter().chain(run).collect()
            }
            Self::LiveHeap => from(&model.memory_samples, MemorySample::live_heap_bytes),
            Self::WasmMemory => from(&model.memory_samples, MemorySample::wasm_memory_bytes),
            Self::JsHeap => model
                .io
                .as_ref()
                .map(|io| io.facts.js_heap_samples.iter().map(|&(t, bytes)| (t, bytes as f64)).collect())
                .unwrap_or_default(),
        }
    }
}

/// One instant on the shared time axis: each series' value then, `NaN`
/// where a series has no data (before its first sample or after its last),
/// so its line has a gap there.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesRow {
    pub x: f64,
    pub values: Vec<f64>,
}

/// Puts several step series on one axis: at each instant any series was
/// sampled, every series holds its latest value. With more instants than
/// `max_rows`, instants are grouped into equal time buckets and each
/// bucket keeps every series' maximum, so peaks survive the thinning.
/// O(total samples x series).
pub fn step_rows(series: &[Vec<(f64, f64)>], max_rows: usize) -> Vec<SeriesRow> {
    let mut times: Vec<f64> = series.iter().flatten().map(|&(t, _)| t).collect();
    sort_floats(&mut times);
    times.dedup();
    let value_at = |points: &[(f64, f64)], t: f64| -> f64 {
        match points.partition_point(|&(time, _)| time <= t) {
            0 => f64::NAN,
            after if after == points.len() && t > points[after - 1].0 => f64::NAN,
            after => points[after - 1].1,
        }
    };
    let sorted: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|points| {
            let mut points = points.clone();
            sort_by(&mut points, |a, b| a.0.total_cmp(&b.0));
            points
        })
        .collect();
    let rows: Vec<SeriesRow> = times
        .iter()
        .map(|&t| SeriesRow { x: t, values: sorted.iter().map(|points| value_at(points, t)).collect() })
        .collect();
    if rows.len() <= max_rows.max(2) {
        return rows;
    }
    let (first, last) = (rows[0].x, rows[rows.len() - 1].x);
    let width = (last - first) / max_rows as f64;
    let mut thinned: Vec<SeriesRow> = Vec::with_capacity(max_rows + 1);
    for row in rows {
        let bucket = if width > 0.0 { ((row.x - first) / width) as usize } else { 0 };
        let bucket_start = first + bucket as f64 * width;
        match thinned.last_mut() {
            Some(current) if current.x >= bucket_start && bucket < max_rows => {
                for (kept, value) in current.values.iter_mut().zip(row.values) {
                    if kept.is_nan() || value > *kept {
                        *kept = value;
                    }
                }
            }
            _ => thinned.push(row),
        }
    }
    thinned
}

/// The highest value of a series and when it was reached.
pub fn peak(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    points.iter().copied().filter(|(_, v)| !v.is_nan()).max_by(|a, b| a.1.total_cmp(&b.1))
}

/// The thread sweep as rows: x = threads, one speedup per swept model,
/// `NaN` where a model has no point at that count.
pub fn sweep_rows(sweep: &Sweep) -> (Vec<ModelId>, Vec<SeriesRow>) {
    let mut models: Vec<ModelId> = Vec::new();
    for point in &sweep.points {
        if !models.contains(&point.model) {
            models.push(point.model);
        }
    }
    let mut threads: Vec<u32> = sweep.points.iter().map(|p| p.threads).collect();
    sort_unique(&mut threads);
    let rows = threads
        .into_iter()
        .map(|k| SeriesRow {
            x: k as f64,
            values: models
                .iter()
                .map(|model| {
                    sweep
                        .points
                        .iter()
                        .find(|p| &p.model == model && p.threads == k)
                        .and_then(|p| p.speedup)
                        .unwrap_or(f64::NAN)
                })
                .collect(),
        })
        .collect();
    (models, rows)
}

/// The crossover sweep as rows: x = the share computing (%), one median
/// per entry, `NaN` where an entry has no point there. The entries are
/// (key, model), in the order they ran.
pub fn mix_rows(sweep: &MixSweep) -> (Vec<(String, ModelId)>, Vec<SeriesRow>) {
    let entries: Vec<(String, ModelId)> = sweep
        .keys()
        .into_iter()
        .filter_map(|key| sweep.points.iter().find(|p| p.key == key).map(|p| (key, p.model)))
        .collect();
    let rows = sweep
        .shares_pct
        .iter()
        .map(|&share| SeriesRow {
            x: share as f64,
            values: entries.iter().map(|(key, _)| sweep.median_at(key, share).unwrap_or(f64::NAN)).collect(),
        })
        .collect();
    (entries, rows)
}

/// Spans this many times apart get their own time scales: beside a line
/// ten times longer, a short model's line is under a tenth of the plot
/// (100 ms beside 4.5 s was a few pixels wide at 1400 px).
pub const OWN_TIME_RATIO: f64 = 10.0;

/// Where each line's time axis comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeAxis {
    /// Milliseconds since each model's run started, the same for all.
    Shared,
    /// A share of each line's own span (start-up and run): 0 to 100 %.
    OwnSpan,
}

impl TimeAxis {
    /// Own spans when the lines' spans differ by `OWN_TIME_RATIO` or more.
    pub fn fitting(lines: &[Vec<(f64, f64)>]) -> Self {
        let spans: Vec<f64> = lines.iter().filter_map(|points| Some(points.last()?.0 - points.first()?.0)).collect();
        let (shortest, longest) = spans.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), &s| (lo.min(s), hi.max(s)));
        if shortest > 0.0 && longest / shortest >= OWN_TIME_RATIO {
            Self::OwnSpan
        } else {
            Self::Shared
        }
    }

    /// `points` (t_ms, value) with t moved onto this axis.
    pub fn place(self, points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
        match (self, points.first(), points.last()) {
            (Self::OwnSpan, Some(&(first, _)), Some(&(last, _))) if last > first => {
                points.into_iter().map(|(t, v)| ((t - first) / (last - first) * 100.0, v)).collect()
            }
            _ => points,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::configuration::plan::RunPlan;
    use crate::engine::reporting::results::SweepPoint;

    #[test]
    fn series_sampled_at_different_instants_share_one_axis() {
        let a = vec![(0.0, 10.0), (5.0, 30.0), (10.0, 20.0)];
        let b = vec![(0.0, 1.0), (2.0, 2.0)];
        let rows = step_rows(&[a, b], 100);
        let xs: Vec<f64> = rows.iter().map(|r| r.x).collect();
        assert_eq!(xs, vec![0.0, 2.0, 5.0, 10.0]);
        assert_eq!(rows[1].values[0], 10.0, "a holds its value until its next sample");
        assert_eq!(rows[1].values[1], 2.0);
        assert!(rows[2].values[1].is_nan(), "b has ended: a gap, not a flat line");
        assert_eq!(rows[3].values[0], 20.0);
        assert!(rows[3].values[1].is_nan());
    }

    #[test]
    fn thinning_keeps_every_peak() {
        // 10 000 samples with one spike; thinned to 50 rows.
        let spike_at = 6_123;
        let points: Vec<(f64, f64)> =
            (0..10_000).map(|i| (i as f64, if i == spike_at { 1e6 } else { (i % 7) as f64 })).collect();
        let rows = step_rows(std::slice::from_ref(&points), 50);
        assert!(rows.len() <= 51, "{} rows", rows.len());
        assert_eq!(rows.iter().map(|r| r.values[0]).fold(0.0, f64::max), 1e6);
        assert_eq!(peak(&points), Some((spike_at as f64, 1e6)));
        assert_eq!(peak(&[]), None);
    }

    #[test]
    fn sweep_rows_put_each_model_on_the_thread_axis() {
        let point = |model: ModelId, threads: u32, speedup: f64| SweepPoint {
            model,
            threads,
            threads_used: threads as usize,
            runs_ms: vec![],
            median_ms: Some(1.0),
            min_ms: None,
            max_ms: None,
            speedup: Some(speedup),
            efficiency: Some(speedup / threads as f64),
            checksum_ok: true,
            error: None,
        };
        let sweep = Sweep {
            baseline: "seq".into(),
            baseline_ms: Some(2.0),
            partial: false,
            points: vec![point(ModelId::Rayon, 1, 1.0), point(ModelId::Rayon, 2, 1.9), point(ModelId::Workers, 1, 0.9)],
        };
        let (models, rows) = sweep_rows(&sweep);
        assert_eq!(models, vec![ModelId::Rayon, ModelId::Workers]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].values[0], 1.9);
        assert!(rows[1].values[1].is_nan(), "workers has no 2-thread point");
    }

    #[test]
    fn held_memory_starts_before_start_up_and_counts_it() {
        use crate::engine::configuration::config::Config;
        use crate::engine::io::model::IoModel;
        use crate::engine::model::{Item, Model};
        let (config, _) = Config::parse("workload=io&models=threads@4", 2);
        let model = ModelResult {
            memory_samples: vec![
                MemorySample(0.0, 5_000_000, 1000),
                MemorySample(50.0, 5_000_000, 1600),
                MemorySample(100.0, 5_000_000, 1200),
            ],
            live_heap_bytes_before: Some(1000),
            startup_ms: Some(30.0),
            startup_wasm_memory_bytes: Some(4_194_304),
            startup_live_heap_bytes: Some(96),
            ..ModelResult::new(&RunPlan::resolve(Item::plain(Model::Io(IoModel::Threads)), &config, true))
        };
        let held = MemoryMetric::Held.samples(&model);
        let startup = 4194304.0;
        assert_eq!(held[0], (-30.0, 0.0), "before start-up it holds nothing");
        assert_eq!(held[1], (0.0, startup), "start-up's stacks and heap, at once");
        assert_eq!(&held[2..], &[(0.0, startup), (50.0, startup + 600.0), (100.0, startup + 200.0)]);
        assert_eq!(peak(&held), Some((50.0, startup + 600.0)));
        assert!(MemoryMetric::Held.samples(&ModelResult { memory_samples: vec![], ..model }).is_empty());
    }

    #[test]
    fn models_10x_apart_get_their_own_time_scale() {
        let short = vec![(-10.0, 0.0), (0.0, 1.0), (240.0, 2.0)];
        let long = vec![(0.0, 0.0), (16000.0, 1.0)];
        assert_eq!(TimeAxis::fitting(&[short.clone(), long.clone()]), TimeAxis::OwnSpan);
        assert_eq!(TimeAxis::fitting(&[short.clone(), vec![(0.0, 0.0), (1000.0, 1.0)]]), TimeAxis::Shared);
        assert_eq!(TimeAxis::OwnSpan.place(short.clone()), vec![(0.0, 0.0), (4.0, 1.0), (100.0, 2.0)]);
        assert_eq!(TimeAxis::Shared.place(long.clone()), long);
    }
}
