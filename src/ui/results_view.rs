//! The results: one row per model with every measured number (each with a
//! data-testid), the elapsed-time chart, and the JSON download.

use super::app::AppState;
use super::format::{bytes, opt_ms, ratio};
use super::time_chart::TimeChart;
use crate::browser::page;
use crate::engine::model::CpuModel;
use crate::engine::results::{ModelResult, Results};
use leptos::prelude::*;

#[component]
pub fn ResultsView() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="panel results" aria-labelledby="results-title">
            <h2 id="results-title">"Results"</h2>
            {move || state.results.with(|results| match results {
                None => view! {
                    <p class="empty">"Press Run: each chosen model runs the same task list, and its time, memory and checksum appear here."</p>
                }.into_any(),
                Some(results) => view! { <ResultsBody results=results.clone() /> }.into_any(),
            })}
        </section>
        <section class="panel explain" aria-labelledby="models-title">
            <h2 id="models-title">"The models"</h2>
            <dl>
                {CpuModel::ALL.into_iter().map(|model| view! {
                    <dt><code>{model.id()}</code>" — "{model.label()}</dt>
                    <dd>
                        {model.explanation()}
                        {model.caveat().map(|caveat| view! { <br/><em class="caveat">{caveat}</em> })}
                        <br/><small>"In Python: "{model.python_counterpart()}"."</small>
                    </dd>
                }).collect_view()}
            </dl>
        </section>
    }
}

#[component]
fn ResultsBody(results: Results) -> impl IntoView {
    let state = expect_context::<AppState>();
    let json = results.to_json();
    let download = move |_| {
        if let Err(error) = page::download("concurrency-playground-results.json", "application/json", &json) {
            state.notice.set(Some(format!("The download failed: {error}")));
        }
    };
    let models = results.models.clone();
    view! {
        <p class="run-summary" data-testid="results-summary">
            {results.workload.description.clone()}
            ". Expected checksum "<code data-testid="expected-checksum">{results.workload.expected_checksum.clone()}</code>"."
            {results.partial.then_some(" Stopped: these results are partial.")}
        </p>
        <TimeChart models=results.models.clone() />
        <div class="table-scroll">
            <table data-testid="results-table">
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Median"</th>
                        <th scope="col">"Min – max"</th>
                        <th scope="col">"Speedup vs seq"</th>
                        <th scope="col">"Threads used"</th>
                        <th scope="col">"Checksum"</th>
                        <th scope="col" title="Main-thread heartbeat ticks during the measured runs">"Heartbeat"</th>
                        <th scope="col">"Wasm memory"</th>
                        <th scope="col">"Live heap"</th>
                        <th scope="col" title="Highest live heap during a run, above the heap before the model's first run">"Peak heap growth"</th>
                        <th scope="col">"Start-up"</th>
                    </tr>
                </thead>
                <tbody>
                    {models.into_iter().map(|model| view! { <ModelRow model=model /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <div class="actions">
            <button type="button" data-testid="download-json" on:click=download>"Download JSON"</button>
        </div>
    }
}

#[component]
fn ModelRow(model: ModelResult) -> impl IntoView {
    let id = model.id.clone();
    let testid = move |what: &str| format!("result-{id}-{what}");
    let range = match (model.min_ms, model.max_ms) {
        (Some(min), Some(max)) => format!("{} – {}", opt_ms(Some(min)), opt_ms(Some(max))),
        _ => "—".into(),
    };
    let checksum_text = match (&model.checksum, model.checksum_ok) {
        (Some(sum), true) => format!("✓ {sum}"),
        (Some(sum), false) => format!("✗ {sum}"),
        (None, _) => "—".into(),
    };
    let memory = |before: Option<u64>, after: Option<u64>| match (before, after) {
        (Some(b), Some(a)) => format!("{} → {}", bytes(b), bytes(a)),
        _ => "—".into(),
    };
    let peak_growth = match (model.peak_live_heap_bytes, model.live_heap_bytes_before) {
        (Some(peak), Some(before)) => format!("+{}", bytes(peak.saturating_sub(before))),
        _ => "—".into(),
    };
    let status = if !model.available {
        Some(format!("Unavailable: {}", model.error.clone().unwrap_or_default()))
    } else {
        model.error.clone().map(|e| format!("Error: {e}")).or(model.partial.then(|| "Stopped part-way.".to_string()))
    };
    view! {
        <tr data-testid=testid("row") class:unavailable=!model.available class:mismatch=model.checksum.is_some() && !model.checksum_ok>
            <th scope="row">
                <code>{model.id.clone()}</code>
                <span class="model-label">{model.label.clone()}</span>
                {status.map(|text| view! { <small class="model-status" data-testid=testid("status")>{text}</small> })}
            </th>
            <td class="num" data-testid=testid("median-ms")>{opt_ms(model.median_ms)}</td>
            <td class="num" data-testid=testid("range-ms")>{range}</td>
            <td class="num" data-testid=testid("speedup")>{ratio(model.speedup_vs_seq)}</td>
            <td class="num" data-testid=testid("threads-used")>{format!("{} of {}", model.threads_used, model.threads)}</td>
            <td class="num checksum" data-testid=testid("checksum")>{checksum_text}</td>
            <td class="num" data-testid=testid("heartbeat-ticks")>{model.heartbeat_ticks}</td>
            <td class="num" data-testid=testid("wasm-memory")>{memory(model.wasm_memory_bytes_before, model.wasm_memory_bytes_after)}</td>
            <td class="num" data-testid=testid("live-heap")>{memory(model.live_heap_bytes_before, model.live_heap_bytes_after)}</td>
            <td class="num" data-testid=testid("peak-heap-growth")>{peak_growth}</td>
            <td class="num" data-testid=testid("startup-ms")>{opt_ms(model.startup_ms)}</td>
        </tr>
    }
}
