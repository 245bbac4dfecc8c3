//! The form (workload, sizes, IO source, models, threads, repeats), Run and
//! Stop, and the messages about bad input. Fields bind to `FormFields`;
//! what runs is `Config::parse` of its query.

use super::app::AppState;
use super::form::FormFields;
use crate::browser::page;
use crate::engine::config::{max_threads, Config, WorkloadKind};
use crate::engine::cpu::model::CpuModel;
use crate::engine::io::model::IoModel;
use crate::engine::io::workload::{IoSource, STATIC_FILES};
use crate::engine::limits::*;
use crate::engine::model::Model;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The messages about one field, joined.
fn field_message(state: AppState, name: &'static str) -> impl Fn() -> String + Copy {
    move || {
        state.parsed.with(|(_, messages)| {
            messages.iter().filter(|m| m.field == name).map(|m| m.text.clone()).collect::<Vec<_>>().join(" ")
        })
    }
}

/// A text field bound to one raw form value, with its hint and message.
#[component]
fn Field(
    label: &'static str,
    name: &'static str,
    hint: String,
    get: fn(&FormFields) -> String,
    set: fn(&mut FormFields, String),
    #[prop(default = "numeric")] inputmode: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] wide: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = field_message(state, name);
    let (id, label_for) = (format!("field-{name}"), format!("field-{name}"));
    view! {
        <label class="field" class:wide=wide for=label_for>
            <span class="field-label">{label}</span>
            <input
                id=id
                type=kind
                inputmode=inputmode
                autocomplete="off"
                spellcheck="false"
                data-testid=format!("input-{name}")
                prop:value=move || state.form.with(get)
                on:input=move |event| state.form.update(|form| set(form, event_target_value(&event)))
                aria-invalid=move || (!message().is_empty()).to_string()
                aria-describedby=format!("hint-{name} message-{name}")
            />
            <small class="field-hint" id=format!("hint-{name}")>{hint}</small>
            <small class="field-message" id=format!("message-{name}") role="alert">{message}</small>
        </label>
    }
}

/// A radio button that chooses the workload.
#[component]
fn WorkloadChoice(kind: WorkloadKind, label: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="choice">
            <input type="radio" name="workload" value=kind.id() data-testid=format!("workload-{}", kind.id())
                prop:checked=move || state.form.with(|f| f.workload == kind)
                on:change=move |_| state.form.update(|f| f.switch_workload(kind)) />
            " "{label}
        </label>
    }
}

#[component]
fn SourceChoice(source: IoSource) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="choice source-choice">
            <input type="radio" name="source" value=source.id() data-testid=format!("source-{}", source.id())
                prop:checked=move || state.form.with(|f| f.source == source)
                on:change=move |_| state.form.update(|f| f.source = source) />
            <span>
                <code>{source.id()}</code>" "{source.label()}
                <small class="python">{source.explanation()}</small>
            </span>
        </label>
    }
}

#[component]
fn ModelChoice(model: Model) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="choice model-choice">
            <input type="checkbox" data-testid=format!("model-{}", model.id())
                prop:checked=move || state.form.with(|f| f.has_model(model))
                on:change=move |event| {
                    let chosen = event_target_checked(&event);
                    state.form.update(|f| f.set_model(model, chosen));
                } />
            <span>
                <code>{model.id()}</code>" "{model.label()}
                <small class="python">"Python: "{model.python_counterpart()}</small>
            </span>
        </label>
    }
}

#[component]
fn CpuSizes() -> impl IntoView {
    let state = expect_context::<AppState>();
    let is_sieve = move || state.form.with(|f| f.workload == WorkloadKind::Sieve);
    view! {
        <Show when=is_sieve fallback=move || view! {
            <Field label="base" name="base" hint="m starts here".into()
                get=|f| f.base.clone() set=|f, v| f.base = v />
            <Field label="count" name="count" hint="one task per m".into()
                get=|f| f.count.clone() set=|f, v| f.count = v />
        }>
            <Field label="from" name="from" hint="first n".into()
                get=|f| f.from.clone() set=|f, v| f.from = v />
            <Field label="to" name="to" hint="last n + 1".into()
                get=|f| f.to.clone() set=|f, v| f.to = v />
        </Show>
    }
}

#[component]
fn IoSizes() -> impl IntoView {
    let state = expect_context::<AppState>();
    let source = move || state.form.with(|f| f.source);
    view! {
        <fieldset class="sources">
            <legend>"Where the requests go"</legend>
            {IoSource::ALL.into_iter().map(|source| view! { <SourceChoice source=source /> }).collect_view()}
        </fieldset>
        <Show when=move || source() == IoSource::Url>
            <Field label="url" name="url" hint="http(s), fetched only when you press Run".into()
                get=|f| f.url.clone() set=|f, v| f.url = v inputmode="url" kind="url" wide=true />
        </Show>
        <Field label="requests" name="requests" hint=format!("1–{MAX_REQUESTS}")
            get=|f| f.requests.clone() set=|f, v| f.requests = v />
        <Show when=move || source() == IoSource::Sim>
            <Field label="latency_ms" name="latency_ms" hint=format!("the delay of each answer, 0–{MAX_LATENCY_MS}")
                get=|f| f.latency_ms.clone() set=|f, v| f.latency_ms = v />
            <Field label="bytes" name="bytes" hint=format!("per response, 0–{MAX_RESPONSE_BYTES}")
                get=|f| f.bytes.clone() set=|f, v| f.bytes = v />
        </Show>
        <Show when=move || source() == IoSource::Static>
            <Field label="bytes" name="bytes" hint=static_sizes_hint()
                get=|f| f.bytes.clone() set=|f, v| f.bytes = v />
        </Show>
        <Field label="timeout_ms" name="timeout_ms" hint=format!("per request, {MIN_TIMEOUT_MS}–{MAX_TIMEOUT_MS}")
            get=|f| f.timeout_ms.clone() set=|f, v| f.timeout_ms = v />
    }
}

/// The iframe that embeds this configuration in a tutorial, with what it
/// needs: `allow="cross-origin-isolated"` lets the frame be isolated when
/// the tutorial page is (else the threaded models say they cannot run).
fn embed_snippet(query: &str) -> String {
    format!(
        "<iframe src=\"{}?{query}&embed=1\" title=\"Concurrency Playground\" width=\"100%\" height=\"720\" \
         style=\"border:0\" loading=\"lazy\" allow=\"cross-origin-isolated; clipboard-write\"></iframe>",
        page::address()
    )
}

#[component]
fn EmbedSnippet() -> impl IntoView {
    let state = expect_context::<AppState>();
    let snippet =
        move || state.parsed.with(|(config, _)| embed_snippet(&Config { embed: false, ..config.clone() }.to_query()));
    let copied = RwSignal::new(None::<String>);
    let copy = move |_| {
        let text = snippet();
        spawn_local(async move {
            copied.set(Some(match page::copy_to_clipboard(&text).await {
                Ok(()) => "Copied.".to_string(),
                Err(error) => format!("The browser did not allow copying ({error}); select the text and copy it."),
            }));
        });
    };
    view! {
        <div class="embed-snippet">
            <label for="embed-snippet">"Paste this where the tutorial should show the playground. It posts its results and its height to the page around it (see README)."</label>
            <textarea id="embed-snippet" readonly rows="3" data-testid="embed-snippet" prop:value=snippet></textarea>
            <div class="actions">
                <button type="button" data-testid="copy-embed" on:click=copy>"Copy"</button>
                <span class="run-hint" role="status">{move || copied.get()}</span>
            </div>
        </div>
    }
}

fn static_sizes_hint() -> String {
    let sizes: Vec<String> = STATIC_FILES.iter().map(|(size, _)| size.to_string()).collect();
    format!("one of the shipped files: {}", sizes.join(", "))
}

#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let max = max_threads(state.hardware_concurrency);
    let is_io = move || state.form.with(|f| f.workload == WorkloadKind::Io);
    let workload_description = move || state.parsed.with(|(config, _)| config.workload().describe());
    let all_messages = move || {
        let mut texts: Vec<String> =
            state.url_messages.with(|m| m.iter().map(|m| format!("In the link: {}", m.text)).collect());
        texts.extend(state.parsed.with(|(_, m)| m.iter().map(|m| m.text.clone()).collect::<Vec<_>>()));
        texts.dedup();
        texts
    };
    let cpu_models = CpuModel::ALL.map(Model::Cpu);
    let io_models = IoModel::ALL.map(Model::Io);
    let embed_open = RwSignal::new(false);

    view! {
        <section class="panel controls" aria-labelledby="controls-title">
            <h2 id="controls-title">"Workload and models"</h2>
            <p class="embed-summary" data-testid="embed-summary">
                {move || state.parsed.with(|(config, _)| {
                    let models: Vec<&str> = config.models().iter().map(|m| m.id()).collect();
                    format!("{}. Models: {}.", config.workload().describe(), models.join(", "))
                })}
            </p>
            <form on:submit=move |event| {
                event.prevent_default();
                state.run();
            }>
                <fieldset class="workload">
                    <legend>"Workload"</legend>
                    <div class="choices-row">
                        <WorkloadChoice kind=WorkloadKind::Sieve label="Sieve of Eratosthenes (CPU)" />
                        <WorkloadChoice kind=WorkloadKind::Squares label="Sum of squares (CPU)" />
                        <WorkloadChoice kind=WorkloadKind::Io label="HTTP requests (IO)" />
                    </div>
                    <div class="sizes">
                        <Show when=is_io fallback=|| view! { <CpuSizes /> }>
                            <IoSizes />
                        </Show>
                    </div>
                    <p class="workload-description" data-testid="workload-description">{workload_description}</p>
                </fieldset>

                <fieldset class="models">
                    <legend>"Models"</legend>
                    <Show when=is_io fallback=move || cpu_models.into_iter().map(|model| view! { <ModelChoice model=model /> }).collect_view()>
                        {io_models.into_iter().map(|model| view! { <ModelChoice model=model /> }).collect_view()}
                    </Show>
                </fieldset>

                <fieldset class="repeats">
                    <legend>"Threads and repeats"</legend>
                    <label class="field" for="field-threads">
                        <span class="field-label">"threads "
                            <output data-testid="threads-value">{move || state.parsed.with(|(c, _)| c.threads)}</output>
                            {format!(" of {max}")}
                        </span>
                        <input id="field-threads" type="range" min="1" max=max.to_string() step="1"
                            data-testid="input-threads"
                            prop:value=move || state.parsed.with(|(c, _)| c.threads.to_string())
                            on:input=move |event| state.form.update(|f| f.threads = event_target_value(&event)) />
                        <small class="field-hint">
                            {move || if is_io() { "worker instances for workers" } else { "for rayon and workers" }}
                            " (navigator.hardwareConcurrency = "{state.hardware_concurrency}")"
                        </small>
                    </label>
                    <Show when=is_io>
                        <Field label="concurrency" name="concurrency"
                            hint=format!("k in flight for bounded, threads for threads; 1–{MAX_CONCURRENCY}")
                            get=|f| f.concurrency.clone() set=|f, v| f.concurrency = v />
                    </Show>
                    <Show when=move || !is_io()>
                        <label class="choice" title="Each parallel model is run again at 1, 2, … n threads, for the speedup chart">
                            <input type="checkbox" data-testid="input-sweep"
                                prop:checked=move || state.form.with(|f| f.sweep)
                                on:change=move |event| state.form.update(|f| f.sweep = event_target_checked(&event)) />
                            {format!(" Thread sweep: also run rayon and workers on 1 … {max} threads")}
                        </label>
                    </Show>
                    <Field label="repeat" name="repeat" hint=format!("measured runs, 1–{MAX_REPEAT}")
                        get=|f| f.repeat.clone() set=|f, v| f.repeat = v />
                    <Field label="warm-up" name="warmup" hint=format!("unmeasured runs first, 0–{MAX_WARMUP}")
                        get=|f| f.warmup.clone() set=|f, v| f.warmup = v />
                </fieldset>

                <div class="actions">
                    <button type="submit" class="primary" data-testid="run"
                        disabled=move || !state.can_run()>
                        {move || if state.running.get() { "Running…" } else { "Run" }}
                    </button>
                    <button type="button" data-testid="stop"
                        disabled=move || !state.running.get() || state.stop_requested.get()
                        on:click=move |_| state.stop()>
                        "Stop"
                    </button>
                    <span class="run-hint" data-testid="run-hint">{move || state.run_blocked_reason()}</span>
                    <button type="button" class="embed-button" data-testid="embed-button"
                        aria-expanded=move || embed_open.get().to_string()
                        on:click=move |_| embed_open.update(|open| *open = !*open)>"Embed…"</button>
                </div>
            </form>
            <Show when=move || embed_open.get()>
                <EmbedSnippet />
            </Show>
            <Show when=move || !all_messages().is_empty()>
                <div class="messages" role="alert" data-testid="config-messages">
                    <ul>{move || all_messages().into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul>
                </div>
            </Show>
        </section>
    }
}
