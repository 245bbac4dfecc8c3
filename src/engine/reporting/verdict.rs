//! The verdict: one paragraph, written from a run's own figures, that leads
//! with the posts' lesson in Python's words (threads under the GIL,
//! asyncio, multiprocessing), then what goes beyond Python (rayon), what
//! the models held in memory (first where a post's lesson is memory), how
//! many requests the browser really carried at once, and, beside a post's
//! figures, how the post's pattern compares with this run's. Nothing
//! canned: every clause names a number this run measured, and a clause
//! whose figures are missing is left out.

use super::format::{bytes, count, ms, pace, pace_against, times};
use super::results::{ModelResult, Results};
use crate::engine::cpu::model::CpuModel;
use crate::engine::experiments::Experiment;
use crate::engine::io::model::IoModel;
use crate::engine::mixed::Order;
use crate::engine::model::Model;
use crate::engine::model_id::ModelId;
use crate::engine::placement::RunsOn;
use crate::engine::workload::Workload;
use crate::sorting::sort_by;

/// A speedup this close to 1 is "no faster": the same run on these VMs
/// moves by up to +-30 %, and a 1.11x GIL run is noise, not a faster GIL.
const CLEARLY_FASTER: f64 = 1.3;

/// A task this short is cheaper than a message or a yield to the browser's
/// event loop (tens of microseconds), so those, not the work, decide.
const TINY_TASK_MS: f64 = 0.05;

/// The paragraph for `results`; empty when nothing ran to the end.
pub fn verdict(results: &Results) -> String {
    let mut measured: Vec<(&ModelResult, Model)> = results
        .models
        .iter()
        .filter(|model| model.median_ms.is_some())
        .filter_map(|model| Model::of(&results.workload.workload, model.id).map(|kind| (model, kind)))
        .collect();
    sort_by(&mut measured, |a, b| a.1.lesson_rank().cmp(&b.1.lesson_rank()));
    let per_task_ms = per_task_ms(results);
    let mut python: Vec<String> = Vec::new();
    let mut beyond: Vec<String> = Vec::new();
    for (model, kind) in &measured {
        match kind.python_name() {
            Some(_) => python.extend(python_clause(model, *kind, per_task_ms)),
            None => beyond.extend(beyond_clause(model)),
        }
    }
    let has_baseline = measured.iter().any(|(model, _)| model.speedup_vs_seq.is_some());
    let mut sentences: Vec<String> = Vec::new();
    if !python.is_empty() {
        let lead = match (&results.workload.workload, has_baseline) {
            (_, false) => "In this run (no sequential run to compare with)".to_string(),
            (Workload::Io(_), true) => "Against one request after another".to_string(),
            (Workload::Mixed(mixed), true) => format!(
                "Against one task after another (each {})",
                match mixed.order {
                    Order::WaitFirst => "its request, then its computing",
                    Order::ComputeFirst => "its computing, then its request",
                }
            ),
            (Workload::Cpu(_), true) => format!(
                "On {}, against one thread",
                count(results.environment.hardware_concurrency as u64, "core", "cores")
            ),
        };
        sentences.push(format!("{lead}: {}.", python.join("; ")));
    }
    if !beyond.is_empty() {
        sentences.push(format!("Beyond Python: {}.", beyond.join("; ")));
    }
    if let Some(memory) = memory_sentence(&measured) {
        // Where the post's lesson is memory (wolf-io), memory comes first.
        match memory_first(results) {
            true => sentences.insert(0, memory),
            false => sentences.push(memory),
        }
    }
    sentences.extend(wire_sentence(&measured));
    sentences.extend(post_sentence(results));
    sentences.join(" ")
}

fn memory_first(results: &Results) -> bool {
    results.experiment.as_ref().and_then(|e| Experiment::find(&e.id)).is_some_and(|e| e.memory_first)
}

/// One task's time on one thread: the sequential run's median over the
/// tasks (CPU work only).
fn per_task_ms(results: &Results) -> Option<f64> {
    let seq = results.models.iter().find(|m| m.key == "seq")?;
    let tasks = results.workload.task_count.max(1) as f64;
    seq.median_ms.map(|median| median / tasks)
}

/// How a model did against the baseline, as a predicate: "was 1.6× faster",
/// "was no faster (1.08×)" while within noise, or, with no baseline, "took
/// 80.1 ms". `plural` for "were".
fn outcome(model: &ModelResult, plural: bool) -> String {
    let was = if plural { "were" } else { "was" };
    match model.speedup_vs_seq {
        Some(s) if s < CLEARLY_FASTER && s > 1.0 / CLEARLY_FASTER => format!("{was} no faster ({s:.2}×)"),
        Some(s) => format!("{was} {}", pace(s)),
        None => format!("took {}", ms(model.median_ms.unwrap_or(0.0))),
    }
}

/// One clause in Python's words, with the entry's key so the table and
/// the charts can be found from it.
fn python_clause(model: &ModelResult, kind: Model, per_task_ms: Option<f64>) -> Option<String> {
    let key = &model.key;
    let k = model.threads;
    let froze = model.heartbeat_ticks == 0;
    // Why a model that pays per task was slower: its tasks take microseconds here.
    let tiny = per_task_ms.filter(|ms| *ms < TINY_TASK_MS).filter(|_| model.speedup_vs_seq.is_some_and(|s| s < 0.9));
    Some(match kind {
        Model::Cpu(CpuModel::Seq) | Model::Io(IoModel::Seq) => return None,
        Model::Cpu(CpuModel::Gil) => format!(
            "threads under the GIL ({key}, {}) {}",
            match model.runs_on {
                // No shared memory here: the same rules on instances passing a token.
                Some(RunsOn::WorkerInstances) =>
                    format!("{} passing one token", count(k as u64, "instance", "instances")),
                _ => count(k as u64, "thread", "threads"),
            },
            outcome(model, true)
        ),
        Model::Cpu(CpuModel::Workers) => format!(
            "multiprocessing.Pool ({key}, {}) {}",
            count(k as u64, "process", "processes"),
            outcome(model, false)
        ),
        Model::Cpu(CpuModel::Executor) => format!(
            "ProcessPoolExecutor ({key}) {}, a message per task ({}){}",
            outcome(model, false),
            count(model.messages.unwrap_or(0) as u64, "message", "messages"),
            tiny.map(|task| format!(": a task takes {} here, less than its message", ms(task))).unwrap_or_default()
        ),
        Model::Cpu(CpuModel::Async) => format!(
            "asyncio ({key}) kept the page live but {} ({}){}",
            outcome(model, false),
            count(model.yields.unwrap_or(0) as u64, "yield", "yields"),
            tiny.map(|task| format!(": a task takes {} here, less than a yield to the browser's event loop", ms(task)))
                .unwrap_or_default()
        ),
        Model::Cpu(CpuModel::AsyncNoawait) if froze => {
            format!("asyncio without awaits ({key}) froze the page for {}", ms(model.median_ms.unwrap_or(0.0)))
        }
        Model::Cpu(CpuModel::Main) if froze => {
            format!("a plain loop on the main thread ({key}) froze the page for {}", ms(model.median_ms.unwrap_or(0.0)))
        }
        Model::Cpu(cpu) => format!("{} ({key}) {}", cpu.python_name()?, outcome(model, false)),
        Model::Io(IoModel::All) => format!("asyncio.gather ({key}) {}", outcome(model, false)),
        Model::Io(IoModel::Threads) => {
            format!("ThreadPoolExecutor({}) ({key}) {}", in_flight(model), outcome(model, false))
        }
        Model::Io(IoModel::Gil) => {
            format!("ThreadPoolExecutor({}) under the GIL ({key}) {}", in_flight(model), outcome(model, false))
        }
        Model::Io(IoModel::Bounded) => {
            format!("asyncio with a Semaphore({}) ({key}) {}", in_flight(model), outcome(model, false))
        }
        Model::Io(IoModel::Workers) => {
            format!("multiprocessing.Pool({k}), each process running asyncio, ({key}) {}", outcome(model, false))
        }
        Model::Io(IoModel::Procs) => format!("ProcessPoolExecutor({k}) ({key}) {}", outcome(model, false)),
        // A model with no clause of its own, in the words it declares.
        #[allow(unreachable_patterns)]
        Model::Io(io) => format!("{} ({key}) {}", io.python_name(), outcome(model, false)),
    })
}

/// The requests an IO model may have in flight at once (its k).
fn in_flight(model: &ModelResult) -> u32 {
    model.io.as_ref().map_or(model.threads, |io| io.concurrency)
}

/// What the IO models held at most, and how many times the least of their
/// threads' memory the most is (wolf-io: 100 threads against 20).
fn memory_sentence(models: &[(&ModelResult, Model)]) -> Option<String> {
    let held: Vec<(&ModelResult, u64)> = models
        .iter()
        .filter(|(_, kind)| matches!(kind, Model::Io(_)))
        .filter_map(|(model, _)| {
            let growth = model.peak_live_heap_bytes?.saturating_sub(model.live_heap_bytes_before?);
            Some((*model, model.startup_held_bytes.unwrap_or(0) + growth))
        })
        .collect();
    if held.len() < 2 {
        return None;
    }
    let clauses: Vec<String> =
        held.iter().map(|(model, bytes_held)| format!("{} {}", model.key, bytes(*bytes_held))).collect();
    let threads: Vec<&(&ModelResult, u64)> = held.iter().filter(|(model, _)| model.id == ModelId::Threads).collect();
    let ratio = match (threads.iter().map(|t| t.1).max(), threads.iter().map(|t| t.1).min()) {
        (Some(most), Some(least)) if threads.len() > 1 && least > 0 => {
            format!(" (the most threads held {} what the fewest did)", times(most as f64 / least as f64))
        }
        _ => String::new(),
    };
    Some(format!("Memory held at most: {}{ratio}.", clauses.join(", ")))
}

/// Where the browser carried fewer requests at once than a model had
/// started: the most it carried, and why.
fn wire_sentence(models: &[(&ModelResult, Model)]) -> Option<String> {
    let held_back = models
        .iter()
        .filter_map(|(model, _)| model.io.as_ref())
        .filter(|io| io.facts.max_on_wire.is_some_and(|wire| wire < io.facts.max_in_flight));
    let most = held_back.filter_map(|io| io.facts.max_on_wire).max()?;
    let protocol = models.iter().find_map(|(model, _)| model.io.as_ref()?.facts.protocol.clone());
    let why = match protocol.as_deref() {
        Some(p) if p.starts_with("h2") || p.starts_with("h3") => "its connection multiplexes them, yet the server took them so",
        _ => "over HTTP/1.1 a browser opens at most six connections to one host; Python's aiohttp and httpx allow 100, requests one per thread",
    };
    Some(format!(
        "The browser carried at most {} to this server at once ({why}): models that started more waited for a connection.",
        count(most as u64, "request", "requests")
    ))
}

/// A model beyond Python (rayon: threads with no GIL).
fn beyond_clause(model: &ModelResult) -> Option<String> {
    Some(format!(
        "threads with no GIL ({}, {}) {}",
        model.key,
        count(model.threads as u64, "thread", "threads"),
        outcome(model, true)
    ))
}

/// The post's pattern beside this run's: its largest published speedup,
/// and the same entry here, in the same words as the rest of the verdict.
fn post_sentence(results: &Results) -> Option<String> {
    let experiment = results.experiment.as_ref()?;
    let entry = experiment
        .entries
        .iter()
        .filter(|entry| entry.key != "seq" && entry.published_speedup.is_some() && entry.measured_speedup.is_some())
        .max_by(|a, b| a.published_speedup.unwrap_or(0.0).total_cmp(&b.published_speedup.unwrap_or(0.0)))?;
    let here = results.models.iter().find(|model| model.key == entry.key)?;
    Some(format!(
        "In the post, {} was {}; here {} {} on {}.",
        entry.python,
        pace_against(entry.published_speedup.unwrap_or(0.0), "sync"),
        entry.key,
        outcome(here, false),
        count(results.environment.hardware_concurrency as u64, "core", "cores")
    ))
}
