//! The verdict: one paragraph, written from a run's own figures, that leads
//! with the posts' lesson in Python's words (threads under the GIL,
//! asyncio, multiprocessing), then what goes beyond Python (rayon), and,
//! beside a post's figures, how the post's pattern compares with this
//! run's. Nothing canned: every clause names a number this run measured,
//! and a clause whose figures are missing is left out.

use super::format::{bytes, count, ms, pace, pace_against};
use super::results::{ModelResult, Results};
use crate::engine::cpu::model::CpuModel;
use crate::engine::io::model::IoModel;
use crate::engine::model::Model;
use crate::sorting::sort_by;

/// A speedup this close to 1 is "no faster": the same run on these VMs
/// moves by up to +-30 %, and a 1.11x GIL run is noise, not a faster GIL.
const CLEARLY_FASTER: f64 = 1.3;

/// The paragraph for `results`; empty when nothing ran to the end.
pub fn verdict(results: &Results) -> String {
    let mut measured: Vec<(&ModelResult, Model)> = results
        .models
        .iter()
        .filter(|model| model.median_ms.is_some())
        .filter_map(|model| Model::from_result(&results.workload.workload, &model.id).map(|kind| (model, kind)))
        .collect();
    sort_by(&mut measured, |a, b| lesson_rank(a.1).cmp(&lesson_rank(b.1)));
    let mut python: Vec<String> = Vec::new();
    let mut beyond: Vec<String> = Vec::new();
    for (model, kind) in &measured {
        match kind.python_name() {
            Some(_) => python.extend(python_clause(model, *kind)),
            None => beyond.extend(beyond_clause(model)),
        }
    }
    let mut sentences: Vec<String> = Vec::new();
    if !python.is_empty() {
        let lead = match measured.first() {
            Some((_, Model::Io(_))) => "Against one request after another".to_string(),
            _ => format!(
                "On {}, against one thread",
                count(results.environment.hardware_concurrency as u64, "core", "cores")
            ),
        };
        sentences.push(format!("{lead}: {}.", python.join("; ")));
    }
    if !beyond.is_empty() {
        sentences.push(format!("Beyond Python: {}.", beyond.join("; ")));
    }
    sentences.extend(post_sentence(results));
    sentences.join(" ")
}

/// The order the lesson is told in: Python's threads, processes and
/// asyncio first, the page-freezing baselines after, the rest last.
fn lesson_rank(model: Model) -> u8 {
    match model {
        Model::Cpu(CpuModel::Gil) => 0,
        Model::Cpu(CpuModel::Workers) => 1,
        Model::Cpu(CpuModel::Executor) => 2,
        Model::Cpu(CpuModel::Async) => 3,
        Model::Cpu(CpuModel::AsyncNoawait) => 4,
        Model::Cpu(CpuModel::Main) => 5,
        Model::Cpu(CpuModel::Seq) | Model::Io(IoModel::Seq) => 9,
        Model::Cpu(CpuModel::Rayon) => 10,
        Model::Io(IoModel::All) => 0,
        Model::Io(IoModel::Bounded) => 1,
        Model::Io(IoModel::Threads) => 2,
        Model::Io(IoModel::Workers) => 3,
        Model::Io(IoModel::Procs) => 4,
    }
}

/// "1.6× faster", or, for a model whose lesson is that it is not faster,
/// "no faster (1.08×)" while within noise.
fn speed(model: &ModelResult) -> Option<String> {
    let speedup = model.speedup_vs_seq?;
    Some(match speedup {
        s if s < CLEARLY_FASTER && s > 1.0 / CLEARLY_FASTER => format!("no faster ({s:.2}×)"),
        s => pace(s),
    })
}

/// The model's speed against the baseline, or its own time without one.
fn speed_or_time(model: &ModelResult) -> String {
    speed(model).unwrap_or_else(|| format!("took {}", ms(model.median_ms.unwrap_or(0.0))))
}

/// One clause in Python's words, with the entry's key so the table and
/// the charts can be found from it.
fn python_clause(model: &ModelResult, kind: Model) -> Option<String> {
    let key = &model.key;
    let k = model.threads;
    let froze = model.heartbeat_ticks == 0;
    Some(match kind {
        Model::Cpu(CpuModel::Seq) | Model::Io(IoModel::Seq) => return None,
        Model::Cpu(CpuModel::Gil) => {
            format!(
                "threads under the GIL ({key}, {}) were {}",
                count(k as u64, "thread", "threads"),
                speed_or_time(model)
            )
        }
        Model::Cpu(CpuModel::Workers) => format!(
            "multiprocessing.Pool ({key}, {}) was {}",
            count(k as u64, "process", "processes"),
            speed_or_time(model)
        ),
        Model::Cpu(CpuModel::Executor) => format!(
            "ProcessPoolExecutor ({key}) was {}, a message per task ({})",
            speed_or_time(model),
            count(model.messages.unwrap_or(0) as u64, "message", "messages")
        ),
        Model::Cpu(CpuModel::Async) => format!(
            "asyncio ({key}) kept the page live but was {} ({})",
            speed_or_time(model),
            count(model.yields.unwrap_or(0) as u64, "yield", "yields")
        ),
        Model::Cpu(CpuModel::AsyncNoawait) if froze => {
            format!("asyncio without awaits ({key}) froze the page for {}", ms(model.median_ms.unwrap_or(0.0)))
        }
        Model::Cpu(CpuModel::Main) if froze => {
            format!("a plain loop on the main thread ({key}) froze the page for {}", ms(model.median_ms.unwrap_or(0.0)))
        }
        Model::Cpu(cpu) => format!("{} ({key}) was {}", cpu.python_name()?, speed_or_time(model)),
        Model::Io(IoModel::All) => {
            let held = model.peak_live_heap_bytes?.saturating_sub(model.live_heap_bytes_before?);
            format!("asyncio.gather ({key}) was {}, its futures holding {}", speed_or_time(model), bytes(held))
        }
        Model::Io(IoModel::Threads) => {
            let held = model
                .startup_held_bytes
                .filter(|b| *b > 0)
                .map(|held| format!(", its threads holding {}", bytes(held)));
            format!("ThreadPoolExecutor({k}) ({key}) was {}{}", speed_or_time(model), held.unwrap_or_default())
        }
        Model::Io(io @ (IoModel::Bounded | IoModel::Workers | IoModel::Procs)) => {
            format!("{}({k}) ({key}) was {}", io.python_name(), speed_or_time(model))
        }
    })
}

/// A model beyond Python (rayon: threads with no GIL).
fn beyond_clause(model: &ModelResult) -> Option<String> {
    Some(format!(
        "threads with no GIL ({}, {}) were {}",
        model.key,
        count(model.threads as u64, "thread", "threads"),
        pace(model.speedup_vs_seq?)
    ))
}

/// The post's pattern beside this run's: its largest published speedup.
fn post_sentence(results: &Results) -> Option<String> {
    let experiment = results.experiment.as_ref()?;
    let entry = experiment
        .entries
        .iter()
        .filter(|entry| entry.key != "seq" && entry.published_speedup.is_some() && entry.measured_speedup.is_some())
        .max_by(|a, b| a.published_speedup.unwrap_or(0.0).total_cmp(&b.published_speedup.unwrap_or(0.0)))?;
    Some(format!(
        "In the post, {} was {}; here {} was {} on {}.",
        entry.python,
        pace_against(entry.published_speedup.unwrap_or(0.0), "sync"),
        entry.key,
        pace(entry.measured_speedup.unwrap_or(0.0)),
        count(results.environment.hardware_concurrency as u64, "core", "cores")
    ))
}
