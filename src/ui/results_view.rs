//! The results of the newest run: its charts (time, memory, timeline, the
//! thread sweep), one table row per model with every measured number (each
//! with a data-testid), failed requests explained, the downloads, and the
//! choice of an earlier run to compare with.

use super::geometry::ChartWidth;
use super::memory_chart::MemoryChart;
use super::mix_sweep_chart::MixSweepChart;
use super::replay_controls::ReplayShared;
use super::run_comparison::{run_label, ComparePicker, RunComparison};
use super::state::{Notice, PageStatus, RunEntry, RunHistory};
use super::sweep_chart::SweepChart;
use super::time_chart::TimeChart;
use super::timeline::Timeline;
use crate::browser::perfetto;
use crate::browser::platform::environment;
use crate::browser::platform::page;
use crate::engine::configuration::config::Config;
use crate::engine::experiments::Experiment;
use crate::engine::measurement::wire::OnWireBasis;
use crate::engine::model_id::ModelId;
use crate::engine::placement::RunsOn;
use crate::engine::reporting::comparison;
use crate::engine::reporting::export;
use crate::engine::reporting::format::{bytes, bytes_precise, count, opt_ms, ratio, thousands};
use crate::engine::reporting::permalink;
use crate::engine::reporting::results::{ExperimentRecord, ModelResult, PublishedEntry};
use crate::engine::reporting::stats::speedup;
use crate::engine::workload::Workload;
use leptos::html::{Button, Section, H2};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// Where the keyboard focus may be when a run starts for the results' own
/// Stop to take it over: on a Run button, or anywhere in the form.
const RUN_CONTROLS: &str = "form, .hero-actions";

#[component]
pub fn ResultsView(on_stop: Callback<()>) -> impl IntoView {
    let runs = expect_context::<RunHistory>();
    let status = expect_context::<PageStatus>();
    let section = NodeRef::<Section>::new();
    let heading = NodeRef::<H2>::new();
    let stop_button = NodeRef::<Button>::new();
    // A run's figures come here, above the form: bring them into view as it
    // starts (on a phone the form is screens long; never from an embed,
    // which would scroll the tutorial around it). The focus follows: from
    // the Run pressed to the Stop beside the live figures, and, when the
    // run ends, to the results' heading, both in view.
    let holding_focus = StoredValue::new(false);
    Effect::new(move |was_running: Option<bool>| {
        let running = runs.running.get();
        match (was_running, running) {
            (Some(false) | None, true) => {
                holding_focus.set_value(page::focus_is_in(RUN_CONTROLS));
                request_animation_frame(move || {
                    if let (false, Some(section)) = (environment::embedded(), section.get_untracked()) {
                        page::bring_into_view(&section);
                    }
                    if let (true, Some(stop)) = (holding_focus.get_value(), stop_button.get_untracked()) {
                        page::focus(&stop);
                    }
                });
            }
            (Some(true), false) if holding_focus.get_value() => {
                holding_focus.set_value(false);
                request_animation_frame(move || {
                    if let (true, Some(heading)) = (page::focus_is_lost(), heading.get_untracked()) {
                        page::focus(&heading);
                    }
                });
            }
            _ => {}
        }
        running
    });
    // While a run goes: where it stands, drawn from plain values in this one
    // closure (see "Views made again and again" in ARCHITECTURE.md).
    let live_progress = move || {
        if !runs.running.get() {
            return None;
        }
        let step = runs.progress.get();
        let live = runs.live.get().filter(|live| live.total > 0);
        let text = match &step {
            Some(p) => format!(
                "Running {}{} ({} of {}), {} {} of {}",
                p.key,
                p.sweep_threads
                    .map(|k| format!(" on {} (the sweep)", count(k as u64, "thread", "threads")))
                    .or(p.mix_share_pct.map(|share| format!(" at {share}\u{a0}% computing (the crossover)")))
                    .unwrap_or_default(),
                p.model_index + 1,
                count(p.model_count as u64, "model", "models"),
                if p.warmup { "warm-up" } else { "run" },
                p.run,
                p.runs
            ),
            None => "Getting ready…".to_string(),
        };
        let done = live.map(|live| {
            let fraction = live.done as f64 / live.total as f64;
            let mut text = format!(
                "{} of {} done, {:.1} s",
                thousands(live.done as u64),
                thousands(live.total as u64),
                live.elapsed_ms / 1000.0
            );
            // The newest records, as the replay would narrate them.
            if live.requests_in_flight + live.requests_answered > 0 {
                text.push_str(&format!(
                    "; {} in flight, {} answered",
                    count(live.requests_in_flight as u64, "request", "requests"),
                    thousands(live.requests_answered as u64)
                ));
            }
            if live.done > 0 && live.done < live.total {
                let left_ms = live.elapsed_ms / live.done as f64 * (live.total - live.done) as f64;
                text.push_str(&format!(", about {:.1} s left in this run", left_ms / 1000.0));
            }
            view! {
                <span class="live" data-testid="live-progress" data-in-flight=live.requests_in_flight.to_string()>
                    <progress max="1" value=fraction.to_string()></progress>" "{text}
                </span>
            }
        });
        Some(view! {
            <div class="live-progress" role="status">
                <p data-testid="progress">{text}</p>
                {done}
            </div>
        })
    };
    // The Stop in view while a run goes (the form's is far below on a phone).
    let live_stop = move || {
        runs.running.get().then(|| view! {
            <button type="button" class="live-stop" data-testid="stop-live" node_ref=stop_button
                disabled=move || runs.stop_requested.get() on:click=move |_| on_stop.run(())>"Stop this run"</button>
        })
    };
    // Each entry's bar as soon as its model has finished.
    let live_bars = move || {
        if !runs.running.get() {
            return None;
        }
        let finished = with_speedups(runs.finished.get());
        let width = status.chart_width.get();
        (!finished.is_empty()).then(|| {
            view! {
                <div class="charts live-charts" data-testid="live-charts">
                    <TimeChart models=finished earlier=None width=width />
                </div>
            }
        })
    };
    view! {
        <section class="panel results" aria-labelledby="results-title" node_ref=section>
            <div class="results-head">
                <h2 id="results-title" tabindex="-1" node_ref=heading>"Results"</h2>
                {live_stop}
            </div>
            {live_progress}
            {live_bars}
            {move || match (runs.running.get(), runs.latest()) {
                (true, _) => view! { <span></span> }.into_any(),
                (false, None) => view! {
                    <p class="empty">"Press Run: each chosen model runs the same task list, and its time, memory, timeline and checksum appear here."</p>
                }.into_any(),
                (false, Some(latest)) => view! {
                    <ResultsBody latest=latest earlier=runs.compared() width=status.chart_width.get() />
                }.into_any(),
            }}
        </section>
    }
}

/// Finished entries with their speedups over `seq`, once `seq` is among
/// them (the whole run's record computes the same in `Results::new`).
fn with_speedups(mut models: Vec<ModelResult>) -> Vec<ModelResult> {
    let baseline = models.iter().find(|m| m.key == "seq").and_then(|m| m.median_ms);
    for model in &mut models {
        model.speedup_vs_seq = speedup(baseline, model.median_ms);
    }
    models
}

#[component]
fn ResultsBody(latest: RunEntry, earlier: Option<RunEntry>, width: ChartWidth) -> impl IntoView {
    let notice = expect_context::<Notice>();
    let results = latest.results.clone();
    let offer = move |file: &'static str, mime: &'static str, text: String| {
        move |_| {
            if let Err(error) = page::download(file, mime, &text) {
                notice.say(format!("The download failed: {error}"));
            }
        }
    };
    let download_json = offer("concurrency-playground-results.json", "application/json", results.to_json());
    let download_csv = offer("concurrency-playground-results.csv", "text/csv", export::results_csv(&results));
    let trace = export::trace_events(&results);
    let download_trace = offer("concurrency-playground-trace.json", "application/json", trace.clone());
    // The tab opens in the click itself (a browser blocks one opened later);
    // the handshake follows.
    let open_in_perfetto = {
        let title = format!("Concurrency Playground: {}", run_label(&latest));
        move |_| match perfetto::open_tab() {
            Ok(tab) => {
                let (trace, title) = (trace.clone(), title.clone());
                spawn_local(async move {
                    if let Err(error) = perfetto::hand_over(tab, trace, title).await {
                        notice.say(error);
                    }
                });
            }
            Err(error) => notice.say(error),
        }
    };
    let share_link = RwSignal::new(None::<(String, String)>);
    let share = {
        let results = results.clone();
        // The run compared with goes in the link too: it shows both.
        let theirs = earlier.as_ref().map(|entry| entry.results.clone());
        move |_| {
            let compare = theirs
                .as_ref()
                .map(|theirs| format!("&{}{}", comparison::COMPARE_KEY, permalink::encode(theirs)))
                .unwrap_or_default();
            let link = format!(
                "{}?{}#{}{}{compare}",
                page::address(),
                Config::parse(&results.config.query, u32::MAX).0.to_query_without_autorun(),
                permalink::FRAGMENT_KEY,
                permalink::encode(&results)
            );
            let for_clipboard = link.clone();
            spawn_local(async move {
                let note = match page::copy_to_clipboard(&for_clipboard).await {
                    Ok(()) => "Copied.".to_string(),
                    Err(_) => "Select it and copy it.".to_string(),
                };
                share_link.set(Some((for_clipboard, note)));
            });
            share_link.set(Some((link, String::new())));
        }
    };
    let is_io = results.workload.workload.requests().is_some();
    let task_count = results.workload.task_count;
    let expected = match (&results.workload.expected_checksum, &results.workload.workload) {
        (Some(sum), Workload::Mixed(_)) => format!("{sum} (the primes every task counted, plus the bytes received)"),
        (Some(sum), _) if is_io => format!("{sum} bytes"),
        (Some(sum), _) => sum.clone(),
        (None, _) => "unknown ahead (a URL's size is the server's affair)".to_string(),
    };
    // A user's URL has no checksum known ahead: what one means there.
    let url_checksum_note = (is_io && results.workload.expected_checksum.is_none()).then_some(
        " For a URL you gave, a model's checksum is the bytes it received, and it is right when every run received \
         the same bytes with no request failing. An echo service (httpbin) answers each kind of request with \
         slightly different bytes (the request's own headers differ between the page, a thread and a worker), so \
         models are each checked against themselves, not against each other.",
    );
    let models = results.models.clone();
    let failed: Vec<ModelResult> = results
        .models
        .iter()
        .filter(|m| m.io.as_ref().is_some_and(|io| io.facts.requests_failed > 0))
        .cloned()
        .collect();
    let earlier_models = earlier.as_ref().map(|entry| (run_label(entry), entry.results.models.clone()));
    let anything_ran = results.models.iter().any(|model| !model.tasks.is_empty() || model.median_ms.is_some());
    // One replay's moment for the timeline (every tab) and the memory chart.
    let replay = expect_context::<ReplayShared>().state_for(Arc::as_ptr(&results) as usize);
    // The table shows the columns that carry the lesson; the rest on request.
    let all_figures = RwSignal::new(false);
    // A post whose lesson is memory (wolf-io) shows memory first.
    let memory_first = results
        .experiment
        .as_ref()
        .and_then(|experiment| Experiment::find(&experiment.id))
        .is_some_and(|experiment| experiment.memory_first);
    view! {
        {latest.recorded.then(|| view! {
            <p class="warning" role="status" data-testid="recorded-banner">
                "A recorded run, read from the link: measured in "{results.environment.user_agent.clone()}
                " with "{results.environment.hardware_concurrency}" cores, not in this tab. Press Run to measure it here."
            </p>
        })}
        <p class="run-summary" data-testid="results-summary">
            <strong>{format!("{} {}. ", if latest.recorded { "Recorded run" } else { "Run" }, latest.number)}</strong>
            {results.workload.description.clone()}
            ". Expected checksum "<code data-testid="expected-checksum">{expected}</code>"."
            {url_checksum_note.map(|note| view! { <span data-testid="url-checksum-note">{note}</span> })}
            {results.partial.then_some(" Stopped: these results are partial.")}
        </p>
        {results.environment.tab_hidden_during_run.then(|| view! {
            <p class="warning" role="alert" data-testid="hidden-warning">
                "The tab was hidden during this run. Browsers slow hidden tabs' timers and work, so these figures may be off: run again with the tab in view."
            </p>
        })}
        {(!results.verdict.is_empty()).then(|| view! {
            <p class="verdict" data-testid="verdict" role="status">{results.verdict.clone()}</p>
        })}
        {results.experiment.clone().map(|experiment| view! { <ExperimentPanel experiment=experiment /> })}
        {results.reference.clone().map(|reference| view! {
            <section class="experiment" data-testid="reference">
                <h3>"Your own figures beside this run (ref=)"</h3>
                <PublishedTable entries=reference.entries />
            </section>
        })}
        <ComparePicker />
        {earlier.clone().map(|earlier| view! { <RunComparison latest=latest.clone() earlier=earlier /> })}
        // No empty charts: a run where no model ran (all unavailable, or
        // Stop before the first) says so in a line instead.
        {if anything_ran {
            view! {
                <div class="charts">
                    // A crossover run's lesson is the crossover: its chart leads.
                    {results.mix_sweep.clone().map(|sweep| view! { <MixSweepChart sweep=sweep width=width /> })}
                    {memory_first.then(|| view! { <MemoryChart models=results.models.clone() earlier=earlier_models.clone() width=width cursor=replay.cursor /> })}
                    <TimeChart models=results.models.clone() earlier=earlier_models.clone() width=width />
                    {(!memory_first).then(|| view! { <MemoryChart models=results.models.clone() earlier=earlier_models.clone() width=width cursor=replay.cursor /> })}
                    <Timeline results=results.clone() width=width replay=replay />
                    {results.sweep.clone().map(|sweep| view! { <SweepChart sweep=sweep width=width /> })}
                </div>
            }.into_any()
        } else {
            view! { <p class="empty" data-testid="nothing-ran">"No model could run here, so there is nothing to draw: each row below says why."</p> }.into_any()
        }}
        <label class="choice all-figures">
            <input type="checkbox" data-testid="all-figures" prop:checked=move || all_figures.get()
                on:change=move |event| all_figures.set(event_target_checked(&event)) />
            " All figures (range, threads used, heartbeat, memory before → after, IO details)"
        </label>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Results table">
            <table class="stack" data-testid="results-table" class:all=move || all_figures.get()>
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Median"</th>
                        <th scope="col">"Speedup vs seq"</th>
                        <th scope="col">"Checksum"</th>
                        <th scope="col" title="Highest live heap during a run above the heap before it, and what start-up added (thread stacks, instances' memories)">"Memory held"</th>
                        <th scope="col" title="Getting the pool, threads or worker instances ready; not in the run figures">"Start-up"</th>
                        {is_io.then(|| view! {
                            <th scope="col" title="The most requests a model had started and not seen answered at one instant (from its records), and how many of them the browser really had on the wire">"In flight: started, on the wire"</th>
                            <th scope="col" title="Requests that succeeded / failed, in the median run">"Requests ok / failed"</th>
                        })}
                        <th scope="col" title="What this model's own mechanism did: the GIL's hand-offs and waiting, the event-loop yields, the messages to worker instances, what each thread or instance costs">"The model's own"</th>
                        <th scope="col" class="more">"Min – max"</th>
                        <th scope="col" class="more">"Threads used"</th>
                        <th scope="col" class="more" title="Main-thread heartbeat ticks during the measured runs">"Heartbeat"</th>
                        <th scope="col" class="more">"Wasm memory"</th>
                        <th scope="col" class="more">"Live heap"</th>
                        {is_io.then(|| view! {
                            <th scope="col" class="more">"Requests/s"</th>
                            <th scope="col" class="more" title="Body bytes received: the checksum of an IO model">"Bytes"</th>
                            <th scope="col" class="more" title="nextHopProtocol from Resource Timing">"Protocol"</th>
                            <th scope="col" class="more" title="performance.memory.usedJSHeapSize at its peak (Chromium, coarse)">"JS heap peak"</th>
                            <th scope="col" class="more" title="Live heap at its peak above the start, per request in flight at once">"Per in-flight request"</th>
                        })}
                    </tr>
                </thead>
                <tbody>
                    {models.into_iter().map(|model| view! { <ModelRow model=model is_io=is_io task_count=task_count /> }).collect_view()}
                </tbody>
            </table>
        </div>
        {(!failed.is_empty()).then(|| view! { <Failures models=failed /> })}
        <div class="actions" role="group" aria-label="Download these results" hidden=!anything_ran>
            <button type="button" data-testid="download-json" on:click=download_json>"Results JSON"</button>
            <button type="button" data-testid="download-csv" on:click=download_csv>"CSV"</button>
            <button type="button" data-testid="download-trace" on:click=download_trace
                title="Chrome trace-event format: open it in ui.perfetto.dev or DevTools' Performance panel">"Timeline trace (Perfetto)"</button>
            <button type="button" data-testid="open-perfetto" on:click=open_in_perfetto
                title="Opens ui.perfetto.dev in a new tab and hands it this run's trace">"Open in Perfetto ↗"</button>
            <button type="button" data-testid="share-results" on:click=share
                title="A link that carries these results: it shows them without running anything">"Share results"</button>
        </div>
        {move || share_link.get().map(|(link, note)| view! {
            <div class="embed-snippet">
                <label for="share-link">{format!("This link shows these results, drawn as here, without running anything ({} characters). {note}", link.len())}</label>
                <input id="share-link" type="text" readonly data-testid="share-link" prop:value=link />
            </div>
        })}
    }
}

/// The post, what was scaled and why, and its figures beside this run's.
#[component]
fn ExperimentPanel(experiment: ExperimentRecord) -> impl IntoView {
    view! {
        <section class="experiment" data-testid="experiment">
            <h3>
                "Reproducing: "
                {match experiment.url.clone() {
                    Some(url) => view! { <a href=url target="_blank" rel="noopener" data-testid="experiment-title">{experiment.title.clone()}</a> }.into_any(),
                    None => view! { <cite data-testid="experiment-title">{experiment.title.clone()}</cite> }.into_any(),
                }}
            </h3>
            <p class="experiment-by">{format!("{}, {}", experiment.author, experiment.year)}
                {experiment.url.is_none().then_some(" (its address could not be confirmed here)")}</p>
            <p class="experiment-scaled" data-testid="experiment-scaled">{experiment.scaled.clone()}</p>
            {experiment.cores_note.clone().map(|note| view! { <p class="experiment-scaled" data-testid="experiment-cores">{note}</p> })}
            <PublishedTable entries=experiment.entries />
        </section>
    }
}

/// Published figures (a post's, or `ref=`) beside the measured ones.
#[component]
fn PublishedTable(entries: Vec<PublishedEntry>) -> impl IntoView {
    let seconds = |value: Option<f64>| value.map_or("—".to_string(), |s| format!("{s:.2} s"));
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Published figures beside this run">
            <table class="published stack" data-testid="published-table">
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Python, as published"</th>
                        <th scope="col">"Published"</th>
                        <th scope="col">"Published vs sync"</th>
                        <th scope="col">"Here, median"</th>
                        <th scope="col">"Here vs seq"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|entry| {
                        let id = entry.key.clone();
                        let testid = move |what: &str| format!("published-{id}-{what}");
                        view! {
                            <tr>
                                <th scope="row"><code>{entry.key.clone()}</code></th>
                                <td data-label="Python, as published">{entry.python.clone()}</td>
                                <td class="num" data-label="Published" data-testid=testid("seconds")>{seconds(entry.published_s)}</td>
                                <td class="num" data-label="Published vs sync" data-testid=testid("speedup")>{ratio(entry.published_speedup)}</td>
                                // In seconds, as the post printed its own.
                                <td class="num" data-label="Here, median" data-testid=testid("measured-ms")
                                    data-ms=entry.measured_ms.map(|ms| ms.to_string())>{seconds(entry.measured_ms.map(|ms| ms / 1000.0))}</td>
                                <td class="num" data-label="Here vs seq" data-testid=testid("measured-speedup")>{ratio(entry.measured_speedup)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ModelRow(model: ModelResult, is_io: bool, task_count: usize) -> impl IntoView {
    let id = model.key.clone();
    let testid = move |what: &str| format!("result-{id}-{what}");
    // A model that could not run here is one line: its name and why.
    if !model.available {
        let reason = model.error.clone().unwrap_or_default();
        return view! {
            <tr data-testid=testid("row") class="unavailable">
                <th scope="row"><code>{model.key.clone()}</code></th>
                <td colspan="99" data-testid=testid("status")>{format!("Unavailable here: {reason}")}</td>
            </tr>
        }
        .into_any();
    }
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
        (Some(peak), Some(before)) => format!("runs +{}", bytes(peak.saturating_sub(before))),
        _ => "—".into(),
    };
    let held = model.held_at_peak_bytes().map_or_else(|| "—".to_string(), bytes);
    let status = if !model.available {
        Some(format!("Unavailable: {}", model.error.clone().unwrap_or_default()))
    } else {
        model.error.clone().map(|e| format!("Error: {e}")).or(model.partial.then(|| "Stopped part-way.".to_string()))
    };
    // What its threads or instances hold: k of them, each its stack (or,
    // an instance, its whole memory), and whose memory they took.
    let holder = if model.runs_on == Some(RunsOn::WorkerInstances) { "instance" } else { "thread" };
    let startup_memory = match (model.startup_held_bytes, model.startup_wasm_memory_bytes_per_thread) {
        (Some(held), Some(per)) if held > 0 => {
            let holders = (held as f64 / per.max(1.0)).round() as u64;
            let reused = match model.startup_memory_reused_from.as_deref() {
                Some("page") => ", reusing memory the page already held".to_string(),
                Some(key) => format!(", reusing memory {key} had freed"),
                None => String::new(),
            };
            Some(format!(
                "{} × {}{reused}",
                count(holders, holder, &format!("{holder}s")),
                bytes_precise(per.round() as u64)
            ))
        }
        _ => None,
    };
    let io_cells = model.io.clone().filter(|_| is_io).map(|io| {
        let requests = format!("{} / {}", io.facts.requests_ok, io.facts.requests_failed);
        let per_second = io.requests_per_second.map_or("—".into(), |r| format!("{r:.1}"));
        let js_heap = io.facts.peak_js_heap_bytes.map_or("—".into(), bytes);
        let per_request = io.bytes_per_in_flight_request.map_or("—".into(), |b| bytes(b.round() as u64));
        let protocol = io.facts.protocol.clone().unwrap_or_else(|| "—".into());
        let on_wire = match (io.facts.max_on_wire, io.facts.on_wire_basis) {
            (_, Some(OnWireBasis::ServiceWorker)) => "none on the wire: the page's service worker answered".to_string(),
            (Some(wire), Some(OnWireBasis::ResourceTiming)) => format!("{wire} on the wire"),
            (Some(wire), Some(OnWireBasis::Estimated)) => format!("about {wire} on the wire (estimated)"),
            _ => "on the wire: unknown".to_string(),
        };
        (
            requests,
            (io.facts.max_in_flight, on_wire),
            io.concurrency,
            per_second,
            bytes(io.facts.bytes_total),
            protocol,
            js_heap,
            per_request,
        )
    });
    let (leading, trailing) = match io_cells {
        Some((
            requests,
            (max_in_flight, on_wire),
            allowed,
            per_second,
            bytes_total,
            protocol,
            js_heap,
            per_request,
        )) => (
            Some(view! {
                <td class="num" data-label="In flight: started, on the wire" title=format!("{allowed} allowed")>
                    <span data-testid=testid("max-in-flight")>{max_in_flight}</span>
                    <small class="cell-note" data-testid=testid("on-wire")>{on_wire}</small>
                </td>
                <td class="num" data-label="Requests ok / failed" class:failed=model.io.as_ref().is_some_and(|io| io.facts.requests_failed > 0)
                    data-testid=testid("requests")>{requests}</td>
            }),
            Some(view! {
                <td class="num more" data-label="Requests/s" data-testid=testid("requests-per-second")>{per_second}</td>
                <td class="num more" data-label="Bytes" data-testid=testid("bytes-total")>{bytes_total}</td>
                <td class="more" data-label="Protocol" data-testid=testid("protocol")>{protocol}</td>
                <td class="num more" data-label="JS heap peak" data-testid=testid("js-heap-peak")>{js_heap}</td>
                <td class="num more" data-label="Per in-flight request" data-testid=testid("bytes-per-in-flight")>{per_request}</td>
            }),
        ),
        None => (None, None),
    };
    view! {
        <tr data-testid=testid("row") class:unavailable=!model.available class:mismatch=model.checksum.is_some() && !model.checksum_ok>
            <th scope="row">
                <code>{model.key.clone()}</code>
                <span class="model-label">{model.label.clone()}</span>
                {status.map(|text| view! { <small class="model-status" data-testid=testid("status")>{text}</small> })}
            </th>
            <td class="num" data-label="Median" data-testid=testid("median-ms")>{opt_ms(model.median_ms)}</td>
            <td class="num" data-label="Speedup vs seq" data-testid=testid("speedup")>{ratio(model.speedup_vs_seq)}</td>
            <td class="num checksum" data-label="Checksum" data-testid=testid("checksum")>{checksum_text}</td>
            <td class="num" data-label="Memory held">
                <span data-testid=testid("memory-held")>{held}</span>
                {startup_memory.map(|text| view! { <small class="cell-note" data-testid=testid("startup-memory")>{text}</small> })}
                <small class="cell-note" data-testid=testid("peak-heap-growth")>{peak_growth}</small>
            </td>
            <td class="num" data-label="Start-up" data-testid=testid("startup-ms")>{opt_ms(model.startup_ms)}</td>
            {leading}
            <td class="own-figures" data-label="The model's own">
                {model.gil_switches.map(|switches| view! {
                    <span data-testid=testid("gil-switches") data-value=switches.to_string()>{count(switches as u64, "GIL hand-off", "GIL hand-offs")}</span>
                })}
                {(model.id == ModelId::Gil && model.runs_on == Some(RunsOn::WorkerInstances)).then(|| view! {
                    <small class="cell-note" data-testid=testid("gil-token")>
                        {format!("{} passing one token: no shared memory here", count(model.threads as u64, "worker instance", "worker instances"))}
                    </small>
                })}
                {model.gil_wait_ms.map(|wait| view! {
                    <small class="cell-note" data-testid=testid("gil-wait-ms") data-value=wait.to_string()>
                        {format!("threads waited {} for it (switch interval {} ms)", opt_ms(Some(wait)), model.switch_ms.unwrap_or(0))}
                    </small>
                })}
                {model.yields.map(|yields| view! {
                    <span data-testid=testid("yields") data-value=yields.to_string()>{format!("{} to the event loop", count(yields as u64, "yield", "yields"))}</span>
                })}
                {model.messages.map(|messages| {
                    let chunksize = model.chunksize.unwrap_or(1).max(1) as usize;
                    let chunks = task_count.div_ceil(chunksize) as u64;
                    let what = match chunksize {
                        1 => format!("{}, one per message", count(chunks, "task", "tasks")),
                        _ => format!("{} of {}", count(chunks, "chunk", "chunks"), count(chunksize as u64, "task", "tasks")),
                    };
                    view! {
                        <span data-testid=testid("messages") data-value=messages.to_string()>
                            {format!("{}: {what}", count(messages as u64, "message", "messages"))}
                        </span>
                    }
                })}
                {model.startup_wasm_memory_bytes_per_thread.map(|per| view! {
                    <small class="cell-note" data-testid=testid("memory-per-thread") data-value=per.round().to_string()>
                        {format!("{} per {holder}", bytes_precise(per.round() as u64))}
                    </small>
                })}
            </td>
            <td class="num more" data-label="Min – max" data-testid=testid("range-ms")>{range}</td>
            <td class="num more" data-label="Threads used" data-testid=testid("threads-used")>{format!("{} of {}", model.threads_used, model.threads)}</td>
            <td class="num more" data-label="Heartbeat" data-testid=testid("heartbeat-ticks")>{model.heartbeat_ticks}</td>
            <td class="num more" data-label="Wasm memory" data-testid=testid("wasm-memory")>{memory(model.wasm_memory_bytes_before, model.wasm_memory_bytes_after)}</td>
            <td class="num more" data-label="Live heap" data-testid=testid("live-heap")>{memory(model.live_heap_bytes_before, model.live_heap_bytes_after)}</td>
            {trailing}
        </tr>
    }
    .into_any()
}

/// Failed requests, per model and kind, with what each kind means and the
/// browser's own words.
#[component]
fn Failures(models: Vec<ModelResult>) -> impl IntoView {
    view! {
        <div class="failures" role="status" data-testid="failures">
            <h3>"Failed requests"</h3>
            <ul>
                {models.into_iter().map(|model| {
                    let io = model.io.clone().unwrap_or_else(|| unreachable!("filtered to IO models"));
                    let kinds = io.facts.failures.iter().map(|(kind, count)| {
                        let said = io.facts.failure_messages.get(kind).cloned();
                        view! {
                            <li data-testid=format!("failures-{}-{}", model.key, kind.id())>
                                <code>{kind.id()}</code>" × "{*count}": "{kind.explanation()}
                                {said.map(|said| view! { " The browser said: “"<q>{said}</q>"”." })}
                            </li>
                        }
                    }).collect_view();
                    view! {
                        <li>
                            <code>{model.key.clone()}</code>": "{io.facts.requests_failed}" of "{io.facts.requests_ok + io.facts.requests_failed}" failed"
                            <ul>{kinds}</ul>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
