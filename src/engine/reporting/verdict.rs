//! The verdict: one line, written from a run's own figures, saying what it
//! shows (who was faster, who froze the page, what threads cost), and,
//! beside a post's figures, how the post's pattern compares with this
//! run's. Nothing canned: every clause names a number this run measured,
//! and a clause whose figures are missing is left out.

use super::format::{bytes, ms, thousands};
use super::results::{ModelResult, Results};
use crate::engine::cpu::model::CpuModel;
use crate::engine::io::model::IoModel;
use crate::engine::model::Model;

/// "Faster" in a claim that says whether a model's lesson held (a GIL, a
/// yielding loop): more than this, because the same run on these VMs moves
/// by up to +-30 %, and a 1.11x GIL run is noise, not a faster GIL.
const CLEARLY_FASTER: f64 = 1.3;

/// The line for `results`; empty when nothing ran to the end.
pub fn verdict(results: &Results) -> String {
    let measured: Vec<(&ModelResult, Model)> = results
        .models
        .iter()
        .filter(|model| model.median_ms.is_some())
        .filter_map(|model| Model::from_result(&results.workload.workload, &model.id).map(|kind| (model, kind)))
        .collect();
    let mut clauses: Vec<String> = Vec::new();
    let is_io = matches!(measured.first(), Some((_, Model::Io(_))));
    let baseline = if is_io { "sequential" } else { "one thread" };

    // The fastest entry against seq.
    if let Some((fastest, _)) = measured
        .iter()
        .filter(|(model, _)| model.id != "seq")
        // Speedup from running at once: the page-thread models (main, the
        // async ones) are one thread too, whatever seq measured.
        .filter(|(_, kind)| !matches!(kind, Model::Cpu(cpu) if cpu.on_the_page_thread()))
        .filter(|(model, _)| model.speedup_vs_seq.is_some_and(|s| s > 1.1))
        .max_by(|a, b| a.0.speedup_vs_seq.unwrap_or(0.0).total_cmp(&b.0.speedup_vs_seq.unwrap_or(0.0)))
    {
        clauses.push(format!("{} {:.1}× faster than {baseline}", fastest.key, fastest.speedup_vs_seq.unwrap_or(0.0)));
    }
    for (model, kind) in &measured {
        let speedup = model.speedup_vs_seq.map(|s| format!(" ({s:.2}×)")).unwrap_or_default();
        match kind {
            Model::Cpu(CpuModel::Gil) => {
                let faster = model.speedup_vs_seq.is_some_and(|s| s > CLEARLY_FASTER);
                clauses.push(format!(
                    "{} threads under a GIL {}{speedup}",
                    model.threads_used,
                    if faster { "faster" } else { "no faster" }
                ));
            }
            Model::Cpu(cpu) if cpu.on_the_page_thread() && model.heartbeat_ticks == 0 => {
                clauses.push(format!("{} froze the page for {}", model.key, ms(model.median_ms.unwrap_or(0.0))));
            }
            Model::Cpu(CpuModel::Async) => {
                let faster = model.speedup_vs_seq.is_some_and(|s| s > CLEARLY_FASTER);
                clauses.push(format!(
                    "async kept the page live with {} yields, {}{speedup}",
                    thousands(model.yields.unwrap_or(0) as u64),
                    if faster { "faster than seq here" } else { "no faster" }
                ));
            }
            Model::Cpu(CpuModel::Executor) => {
                if let Some(messages) = model.messages {
                    // A message per task: say what that cost against seq in words.
                    let pace = match model.speedup_vs_seq {
                        Some(s) if s > 0.0 && s < 0.9 => format!(", {:.0}× slower than {baseline}", 1.0 / s),
                        Some(s) if s > 1.1 => format!(", {s:.1}× faster than {baseline}"),
                        Some(_) => format!(", as fast as {baseline}"),
                        None => String::new(),
                    };
                    clauses.push(format!("executor sent {} messages{pace}", thousands(messages as u64)));
                }
            }
            Model::Io(IoModel::Threads) => {
                if let Some(stacks) = model.startup_wasm_memory_bytes.filter(|b| *b > 0) {
                    clauses.push(format!("{} threads reserved {} of stacks", model.threads, bytes(stacks)));
                }
            }
            Model::Io(IoModel::All) => {
                if let (Some(peak), Some(before)) = (model.peak_live_heap_bytes, model.live_heap_bytes_before) {
                    clauses.push(format!("all-at-once futures {}", bytes(peak.saturating_sub(before))));
                }
            }
            _ => {}
        }
    }
    // The post's pattern beside this run's: its largest published speedup.
    if let Some(experiment) = &results.experiment {
        if let Some(entry) = experiment
            .entries
            .iter()
            .filter(|entry| entry.key != "seq" && entry.published_speedup.is_some() && entry.measured_speedup.is_some())
            .max_by(|a, b| a.published_speedup.unwrap_or(0.0).total_cmp(&b.published_speedup.unwrap_or(0.0)))
        {
            clauses.push(format!(
                "in the post {} was {:.1}× faster than sync; here {} {:.1}× on {} cores",
                entry.python,
                entry.published_speedup.unwrap_or(0.0),
                entry.key,
                entry.measured_speedup.unwrap_or(0.0),
                results.environment.hardware_concurrency
            ));
        }
    }
    match clauses.is_empty() {
        true => String::new(),
        // Clauses start with a model's key, which keeps its case.
        false => format!("This run: {}.", clauses.join("; ")),
    }
}
