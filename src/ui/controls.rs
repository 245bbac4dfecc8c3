//! The form (workload, sizes, IO source, models, threads, repeats), Run and
//! Stop, the Embed snippet, and the messages about bad input. Its text
//! fields are the parameter table's (`engine::configuration::parameters`),
//! bound to `FormFields`; what runs is `Config::parse` of its query. Run
//! and Stop are callbacks the page hands in.

use super::form::FormFields;
use super::replay_controls::ReplayShared;
use super::run_buttons::{RunButtons, RunControls};
use super::startup::Later;
use super::state::{FormState, RunHistory};
use super::task_shaper::{AnswerShape, TaskShaper};
use crate::browser::platform::page;
use crate::engine::configuration::config::{max_threads, Config, ReplayStart, WorkloadKind};
use crate::engine::configuration::parameters::{Parameter, Section, PARAMETERS};
use crate::engine::cpu::model::CpuModel;
use crate::engine::embed_api::{self, EmbedOptions, SnippetKind};
use crate::engine::experiments::EXPERIMENTS;
use crate::engine::io::model::IoModel;
use crate::engine::io::workload::IoSource;
use crate::engine::mixed::{Order, Spread};
use crate::engine::model::Model;
use crate::engine::reporting::format::ms;
use crate::engine::reporting::permalink;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The messages about one field, joined.
fn field_message(state: FormState, name: &'static str) -> impl Fn() -> String + Copy {
    move || {
        state.parsed.with(|(_, messages)| {
            messages.iter().filter(|m| m.field == name).map(|m| m.text.clone()).collect::<Vec<_>>().join(" ")
        })
    }
}

/// What a field said before it was set to the value used, while it stands.
fn field_correction(state: FormState, name: &'static str) -> impl Fn() -> String + Copy {
    move || {
        state
            .corrected
            .with(|kept| kept.iter().filter(|m| m.field == name).map(|m| m.text.clone()).collect::<Vec<_>>().join(" "))
    }
}

/// The text field of one parameter: its label, hint and visibility come
/// from the table; its raw value from the form. A field that does not
/// apply is hidden, not removed, so what was typed in it stays.
#[component]
fn Field(parameter: &'static Parameter) -> impl IntoView {
    let state = expect_context::<FormState>();
    let field = parameter.field.expect("a parameter with a form field");
    let name = parameter.name;
    let message = field_message(state, name);
    let correction = field_correction(state, name);
    let hint = move || state.parsed.with(|(config, _)| parameter.hint(config, state.hardware_concurrency));
    let hidden = move || !state.parsed.with(|(config, _)| (field.shown)(config));
    let kind = if field.input_mode == "url" { "url" } else { "text" };
    view! {
        <label class="field" class:wide=field.input_mode == "url" for=format!("field-{name}") hidden=hidden>
            <span class="field-label">{field.label}</span>
            <input
                id=format!("field-{name}")
                type=kind
                inputmode=field.input_mode
                autocomplete="off"
                spellcheck="false"
                data-testid=format!("input-{name}")
                prop:value=move || state.form.with(|form| form.value(name).to_string())
                on:input=move |event| {
                    state.forget_correction(name);
                    state.form.update(|form| form.set(name, event_target_value(&event)));
                }
                // Leaving the field shows the value that will run.
                on:change=move |_| state.show_values_used(Some(name))
                aria-invalid=move || (!message().is_empty()).to_string()
                aria-describedby=format!("hint-{name} message-{name} note-{name}")
            />
            <small class="field-hint" id=format!("hint-{name}")>{hint}</small>
            <small class="field-message" id=format!("message-{name}") role="alert">{message}</small>
            <small class="field-note" id=format!("note-{name}") data-testid=format!("note-{name}")>{correction}</small>
        </label>
    }
}

/// Every text field of one section, in the table's order.
fn fields(section: Section) -> impl IntoView {
    PARAMETERS
        .iter()
        .filter(|parameter| parameter.field.is_some_and(|field| field.section == section))
        .map(|parameter| view! { <Field parameter=parameter /> })
        .collect_view()
}

/// A radio button that chooses the workload.
#[component]
fn WorkloadChoice(kind: WorkloadKind, label: &'static str) -> impl IntoView {
    let state = expect_context::<FormState>();
    view! {
        <label class="choice">
            <input type="radio" name="workload" value=kind.id() data-testid=format!("workload-{}", kind.id())
                prop:checked=move || state.form.with(|f| f.workload() == kind)
                on:change=move |_| state.form.update(|f| f.switch_workload(kind)) />
            " "{label}
        </label>
    }
}

#[component]
fn SourceChoice(source: IoSource) -> impl IntoView {
    let state = expect_context::<FormState>();
    view! {
        <label class="choice source-choice">
            <input type="radio" name="source" value=source.id() data-testid=format!("source-{}", source.id())
                prop:checked=move || state.form.with(|f| f.source() == source)
                on:change=move |_| state.form.update(|f| f.set("source", source.id().to_string())) />
            <span>
                <code>{source.id()}</code>" "{source.label()}
                <small class="python">{source.explanation()}</small>
            </span>
        </label>
    }
}

#[component]
fn ModelChoice(model: Model) -> impl IntoView {
    let state = expect_context::<FormState>();
    // Both families are drawn (one hidden), and ids repeat across them
    // (`seq`, `workers`): only the shown family's boxes carry the test id.
    let shown = move || state.form.with(|f| f.workload().waits() == matches!(model, Model::Io(_)));
    view! {
        <label class="choice model-choice">
            <input type="checkbox" data-testid=move || shown().then(|| format!("model-{}", model.id()))
                prop:checked=move || state.form.with(|f| f.has_model(model))
                on:change=move |event| {
                    let chosen = event_target_checked(&event);
                    state.form.update(|f| f.set_model(model, chosen));
                } />
            <span>
                <code>{model.id().as_str()}</code>" "{model.label()}
                <small class="python">"Python: "{model.python_counterpart()}</small>
            </span>
        </label>
    }
}

/// Reproduce a post: choosing one sets every field as the post ran it.
#[component]
fn ExperimentChoice() -> impl IntoView {
    let state = expect_context::<FormState>();
    let choose = move |event: leptos::ev::Event| {
        let id = event_target_value(&event);
        if id.is_empty() {
            state.form.update(|form| form.set("experiment", String::new()));
            return;
        }
        let (config, _) = Config::parse(&format!("experiment={id}"), state.hardware_concurrency);
        state.form.set(FormFields::from_config(&config));
    };
    view! {
        <label class="field wide experiment-choice" for="field-experiment">
            <span class="field-label">"Reproduce a post"</span>
            <select id="field-experiment" data-testid="input-experiment" on:change=choose
                prop:value=move || state.parsed.with(|(config, _)| config.experiment.unwrap_or_default().to_string())>
                <option value="">"— my own settings —"</option>
                {EXPERIMENTS.iter().map(|experiment| view! {
                    <option value=experiment.id>{format!("{} ({}, {}): {}", experiment.id, experiment.author, experiment.year, experiment.title)}</option>
                }).collect_view()}
            </select>
            <small class="field-hint">"Sets workload, models and sizes as the post did; the post's own figures appear beside the results."</small>
        </label>
    }
}

/// A mixed task's shape: which step comes first, and how the computing
/// varies across tasks.
#[component]
fn TaskShape() -> impl IntoView {
    let state = expect_context::<FormState>();
    let hidden = move || state.form.with(|f| f.workload() != WorkloadKind::Mixed);
    // One radio per value of a parameter of the form.
    let choice = move |name: &'static str, id: &'static str, label: &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name=name value=id data-testid=format!("{name}-{id}")
                    prop:checked=move || state.form.with(|f| f.value(name) == id)
                    on:change=move |_| state.form.update(|f| f.set(name, id.to_string())) />
                " "{label}
            </label>
        }
    };
    view! {
        <fieldset class="orders" hidden=hidden>
            <legend>"Each task"</legend>
            {Order::ALL.into_iter().map(|order| choice("order", order.id(), order.label())).collect_view()}
        </fieldset>
        <fieldset class="orders" hidden=hidden>
            <legend>"Computing across tasks"</legend>
            {Spread::ALL.into_iter().map(|spread| choice("spread", spread.id(), spread.label())).collect_view()}
        </fieldset>
    }
}

/// Where the IO requests go: one choice per source.
#[component]
fn Sources() -> impl IntoView {
    let state = expect_context::<FormState>();
    let hidden = move || state.form.with(|f| !f.workload().waits());
    view! {
        <fieldset class="sources" hidden=hidden>
            <legend>"Where the requests go"</legend>
            {IoSource::ALL.into_iter().map(|source| view! { <SourceChoice source=source /> }).collect_view()}
        </fieldset>
    }
}

#[component]
fn EmbedSnippet() -> impl IntoView {
    let state = expect_context::<FormState>();
    let replay = expect_context::<ReplayShared>();
    let kind = RwSignal::new(SnippetKind::Tag);
    let charts_only = RwSignal::new(false);
    let autorun = RwSignal::new(true);
    let at_cursor = RwSignal::new(false);
    let with_comparison = RwSignal::new(false);
    let runs = expect_context::<RunHistory>();
    // This page's newest run, encoded once (only when asked: encoding a
    // long run's records takes a while), for the reader's to be compared with.
    let this_run = Memo::new(move |_| {
        with_comparison.get().then(|| runs.latest().map(|entry| permalink::encode(&entry.results))).flatten()
    });
    let snippet = move || {
        let mut config = state.parsed.with(|(config, _)| Config { embed: false, charts_only: false, ..config.clone() });
        // The replay's moment: the embed opens there once its run ends, and plays.
        if let (true, Some(at)) = (at_cursor.get(), replay.cursor.get()) {
            config.replay =
                ReplayStart { at_us: Some((at * 1000.0).round() as u64), play: true, speed: replay.speed.get() };
        }
        let compare = this_run.get();
        let options =
            EmbedOptions { charts_only: charts_only.get(), autorun: autorun.get(), compare: compare.as_deref() };
        embed_api::snippet(kind.get(), &page::base_url(), &config.to_query_without_autorun(), options)
    };
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
            <label class="embed-kind">"Where it goes "
                <select data-testid="embed-snippet-kind" prop:value=move || kind.get().id()
                    on:change=move |event| {
                        let id = event_target_value(&event);
                        if let Some(chosen) = SnippetKind::ALL.into_iter().find(|k| k.id() == id) {
                            kind.set(chosen);
                        }
                    }>
                    {SnippetKind::ALL.map(|k| view! { <option value=k.id()>{k.label()}</option> }).collect_view()}
                </select>
            </label>
            <label for="embed-snippet">{move || format!("Paste this where the tutorial should show the playground. {}", kind.get().about())}</label>
            <textarea id="embed-snippet" readonly rows="9" data-testid="embed-snippet" prop:value=snippet></textarea>
            <label class="choice">
                <input type="checkbox" data-testid="embed-autorun" prop:checked=move || autorun.get()
                    on:change=move |event| autorun.set(event_target_checked(&event)) />
                " Run on load (autorun)"
            </label>
            <label class="choice" hidden=move || runs.history.with(Vec::is_empty)>
                <input type="checkbox" data-testid="embed-compare" prop:checked=move || with_comparison.get()
                    on:change=move |event| with_comparison.set(event_target_checked(&event)) />
                " Show the reader's run beside this one (yours, carried in the snippet)"
            </label>
            <label class="choice">
                <input type="checkbox" data-testid="embed-charts-only" prop:checked=move || charts_only.get()
                    on:change=move |event| charts_only.set(event_target_checked(&event)) />
                " Charts only: no form, just the run and its pictures"
            </label>
            <label class="choice" hidden=move || replay.cursor.get().is_none()>
                <input type="checkbox" data-testid="embed-at-cursor" prop:checked=move || at_cursor.get()
                    on:change=move |event| at_cursor.set(event_target_checked(&event)) />
                {move || format!(
                    " Open the replay at this run's moment ({}) and play it (t=, play=1, speed=)",
                    replay.cursor.get().map(ms).unwrap_or_default()
                )}
            </label>
            <p class="field-hint" data-testid="embed-threads-note">
                "Threads (rayon, gil, IO threads) need a cross-origin isolated tutorial page: serve it with "
                <code>"Cross-Origin-Opener-Policy: same-origin"</code>" and "<code>"Cross-Origin-Embedder-Policy: require-corp"</code>
                " (or credentialless), and keep "<code>"allow=\"cross-origin-isolated\""</code>" on the iframe. Without them everything else runs, each worker instance with its own memory."
            </p>
            <div class="actions">
                <button type="button" data-testid="copy-embed" on:click=copy>"Copy"</button>
                <span class="run-hint" role="status">{move || copied.get()}</span>
            </div>
        </div>
    }
}

#[component]
pub fn Controls(run: RunControls) -> impl IntoView {
    let state = expect_context::<FormState>();
    let max = max_threads(state.hardware_concurrency);
    let is_io = move || state.form.with(|f| f.workload().waits());
    let workload_description = move || state.parsed.with(|(config, _)| config.workload().describe());
    let all_messages = move || {
        let mut texts: Vec<String> =
            state.url_messages.with(|m| m.iter().map(|m| format!("In the link: {}", m.text)).collect());
        texts.extend(state.parsed.with(|(_, m)| m.iter().map(|m| m.text.clone()).collect::<Vec<_>>()));
        texts.dedup();
        texts
    };
    let embed_open = RwSignal::new(false);
    let embed_drawn = Memo::new(move |drawn: Option<&bool>| drawn == Some(&true) || embed_open.get());
    let ever_mixed = RwSignal::new(false);
    Effect::new(move |_| {
        if !ever_mixed.get_untracked() && state.form.with(|f| f.workload() == WorkloadKind::Mixed) {
            ever_mixed.set(true);
        }
    });

    // Both families' choices and every field are drawn once and hidden when
    // they do not apply: a `<Show>` here would make them again on every
    // switch, each time leaving dead subscribers in the form's signals
    // (see "Views made again and again" in ARCHITECTURE.md).
    view! {
        <section class="panel controls" aria-labelledby="controls-title">
            <h2 id="controls-title">"Your own run: workload and models"</h2>
            <p class="embed-summary" data-testid="embed-summary">
                {move || state.parsed.with(|(config, _)| {
                    let models: Vec<String> = config.models().iter().map(|m| m.key()).collect();
                    format!("{}. Models: {}.", config.workload().describe(), models.join(", "))
                })}
            </p>
            <form on:submit=move |event| {
                event.prevent_default();
                run.on_run.run(());
            }>
                // Each part in a task of its own at start-up (`Later`).
                <Later><ExperimentChoice /></Later>
                <Later><fieldset class="workload">
                    <legend>"Workload"</legend>
                    <div class="choices-row">
                        <WorkloadChoice kind=WorkloadKind::Sieve label="Sieve of Eratosthenes (CPU)" />
                        <WorkloadChoice kind=WorkloadKind::Squares label="Sum of squares (CPU)" />
                        <WorkloadChoice kind=WorkloadKind::Io label="HTTP requests (IO)" />
                        <WorkloadChoice kind=WorkloadKind::Mixed label="Request, then compute (mixed)" />
                    </div>
                    // Drawn the first time mixed tasks are chosen, then kept
                    // (hidden when another workload is): the first paint of
                    // the default page does not pay for them.
                    {move || ever_mixed.get().then(|| view! { <TaskShaper /> })}
                    <TaskShape />
                    <Sources />
                    <AnswerShape />
                    <div class="sizes">{fields(Section::Sizes)}</div>
                    <p class="workload-description" data-testid="workload-description">{workload_description}</p>
                </fieldset></Later>

                <Later><fieldset class="models">
                    <legend>"Models"</legend>
                    <div class="model-choices" hidden=is_io>
                        {CpuModel::ALL.map(|model| view! { <ModelChoice model=Model::Cpu(model) /> }).collect_view()}
                    </div>
                    <div class="model-choices" hidden=move || !is_io()>
                        {IoModel::ALL.map(|model| view! { <ModelChoice model=Model::Io(model) /> }).collect_view()}
                    </div>
                </fieldset></Later>

                <Later><fieldset class="repeats">
                    <legend>"Threads and repeats"</legend>
                    <label class="field" for="field-threads">
                        <span class="field-label">"threads "
                            <output data-testid="threads-value">{move || state.parsed.with(|(c, _)| c.threads)}</output>
                            {format!(" of {max}")}
                        </span>
                        <input id="field-threads" type="range" min="1" max=max.to_string() step="1"
                            data-testid="input-threads"
                            prop:value=move || state.parsed.with(|(c, _)| c.threads.to_string())
                            on:input=move |event| state.form.update(|f| f.set("threads", event_target_value(&event))) />
                        <small class="field-hint">
                            {move || if is_io() { "worker instances for workers" } else { "for rayon and workers" }}
                            " (navigator.hardwareConcurrency = "{state.hardware_concurrency}")"
                        </small>
                    </label>
                    <label class="choice" hidden=is_io title="Each parallel model is run again at 1, 2, … n threads, for the speedup chart">
                        <input type="checkbox" data-testid="input-sweep"
                            prop:checked=move || state.form.with(|f| f.flag("sweep"))
                            on:change=move |event| state.form.update(|f| f.set_flag("sweep", event_target_checked(&event))) />
                        {format!(" Thread sweep: also run rayon and workers on 1 … {max} threads")}
                    </label>
                    {fields(Section::Runs)}
                </fieldset></Later>

                <Later><div class="actions form-actions">
                    <RunButtons run=run label=Signal::derive(|| "Run these settings".to_string()) run_id="run" stop_id="stop" submit=true />
                    <button type="button" class="embed-button" data-testid="embed-button"
                        aria-expanded=move || embed_open.get().to_string()
                        on:click=move |_| embed_open.update(|open| *open = !*open)>"Embed…"</button>
                </div></Later>
            </form>
            // Drawn the first time it is opened, then kept (hidden when closed):
            // its snippet was a fifth of the form's start-up.
            {move || embed_drawn.get().then(|| view! {
                <div hidden=move || !embed_open.get()>
                    <EmbedSnippet />
                </div>
            })}
            <div class="messages" role="alert" data-testid="config-messages" hidden=move || all_messages().is_empty()>
                <ul>{move || all_messages().into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul>
            </div>
        </section>
    }
}
