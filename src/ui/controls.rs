//! The form (workload, sizes, models, threads, repeats), Run and Stop, the
//! messages about bad input, and the status bar with the heartbeat.

use super::app::AppState;
use crate::browser::environment::cross_origin_isolated;
use crate::browser::executor::PoolState;
use crate::engine::config::{max_threads, Config};
use crate::engine::limits::{MAX_REPEAT, MAX_WARMUP};
use crate::engine::model::CpuModel;
use crate::engine::query::encode_component;
use leptos::prelude::*;

/// The form's fields as typed: raw text, so a half-typed number is not
/// overwritten. `Config::parse` of `to_query()` is what runs.
#[derive(Clone, Debug, PartialEq)]
pub struct FormFields {
    pub workload: String,
    pub from: String,
    pub to: String,
    pub base: String,
    pub count: String,
    pub models: Vec<CpuModel>,
    pub threads: String,
    pub repeat: String,
    pub warmup: String,
    pub autorun: bool,
}

impl FormFields {
    pub fn from_config(config: &Config) -> Self {
        Self {
            workload: config.workload().id().to_string(),
            from: config.sieve_from.to_string(),
            to: config.sieve_to.to_string(),
            base: config.squares_base.to_string(),
            count: config.squares_count.to_string(),
            models: config.models.clone(),
            threads: config.threads.to_string(),
            repeat: config.repeat.to_string(),
            warmup: config.warmup.to_string(),
            autorun: config.autorun,
        }
    }

    pub fn to_query(&self) -> String {
        let models: Vec<&str> = self.models.iter().map(|m| m.id()).collect();
        let pairs = [
            ("workload", self.workload.as_str()),
            ("from", &self.from),
            ("to", &self.to),
            ("base", &self.base),
            ("count", &self.count),
            ("models", &models.join(",")),
            ("threads", &self.threads),
            ("repeat", &self.repeat),
            ("warmup", &self.warmup),
            ("autorun", if self.autorun { "1" } else { "0" }),
        ];
        pairs.iter().map(|(key, value)| format!("{key}={}", encode_component(value))).collect::<Vec<_>>().join("&")
    }
}

/// A number field bound to one raw form value, with its message below it.
#[component]
fn NumberField(
    label: &'static str,
    name: &'static str,
    hint: String,
    get: fn(&FormFields) -> String,
    set: fn(&mut FormFields, String),
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = move || {
        state.parsed.with(|(_, messages)| {
            messages.iter().filter(|m| m.field == name).map(|m| m.text.clone()).collect::<Vec<_>>().join(" ")
        })
    };
    let (id, label_for) = (format!("field-{name}"), format!("field-{name}"));
    view! {
        <label class="field" for=label_for>
            <span class="field-label">{label}</span>
            <input
                id=id
                type="text"
                inputmode="numeric"
                autocomplete="off"
                data-testid=format!("input-{name}")
                prop:value=move || state.form.with(get)
                on:input=move |event| state.form.update(|form| set(form, event_target_value(&event)))
                aria-invalid=move || (!message().is_empty()).to_string()
            />
            <small class="field-hint">{hint}</small>
            <small class="field-message" role="alert">{message}</small>
        </label>
    }
}

#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let max = max_threads(state.hardware_concurrency);
    let is_sieve = move || state.form.with(|f| f.workload != "squares");
    let workload_description = move || state.parsed.with(|(config, _)| config.workload().describe());
    let all_messages = move || {
        let mut texts: Vec<String> =
            state.url_messages.with(|m| m.iter().map(|m| format!("In the link: {}", m.text)).collect());
        texts.extend(state.parsed.with(|(_, m)| m.iter().map(|m| m.text.clone()).collect::<Vec<_>>()));
        texts
    };

    view! {
        <section class="panel controls" aria-labelledby="controls-title">
            <h2 id="controls-title">"Workload and models"</h2>
            <form on:submit=move |event| {
                event.prevent_default();
                state.run();
            }>
                <fieldset class="workload">
                    <legend>"CPU workload"</legend>
                    <label class="choice">
                        <input type="radio" name="workload" value="sieve" data-testid="workload-sieve"
                            prop:checked=is_sieve
                            on:change=move |_| state.form.update(|f| f.workload = "sieve".into()) />
                        " Sieve of Eratosthenes"
                    </label>
                    <label class="choice">
                        <input type="radio" name="workload" value="squares" data-testid="workload-squares"
                            prop:checked=move || !is_sieve()
                            on:change=move |_| state.form.update(|f| f.workload = "squares".into()) />
                        " Sum of squares"
                    </label>
                    <div class="sizes">
                        <Show when=is_sieve fallback=move || view! {
                            <NumberField label="base" name="base" hint="m starts here".into()
                                get=|f| f.base.clone() set=|f, v| f.base = v />
                            <NumberField label="count" name="count" hint="one task per m".into()
                                get=|f| f.count.clone() set=|f, v| f.count = v />
                        }>
                            <NumberField label="from" name="from" hint="first n".into()
                                get=|f| f.from.clone() set=|f, v| f.from = v />
                            <NumberField label="to" name="to" hint="last n + 1".into()
                                get=|f| f.to.clone() set=|f, v| f.to = v />
                        </Show>
                    </div>
                    <p class="workload-description" data-testid="workload-description">{workload_description}</p>
                </fieldset>

                <fieldset class="models">
                    <legend>"Models"</legend>
                    {CpuModel::ALL.into_iter().map(|model| view! {
                        <label class="choice model-choice">
                            <input type="checkbox" data-testid=format!("model-{}", model.id())
                                prop:checked=move || state.form.with(|f| f.models.contains(&model))
                                on:change=move |event| {
                                    let checked = event_target_checked(&event);
                                    state.form.update(|f| {
                                        f.models.retain(|m| *m != model);
                                        if checked {
                                            f.models.push(model);
                                            f.models.sort();
                                        }
                                    });
                                } />
                            <span>
                                <code>{model.id()}</code>" "{model.label()}
                                <small class="python">"Python: "{model.python_counterpart()}</small>
                            </span>
                        </label>
                    }).collect_view()}
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
                        <small class="field-hint">"for rayon and workers (navigator.hardwareConcurrency = "{state.hardware_concurrency}")"</small>
                    </label>
                    <NumberField label="repeat" name="repeat" hint=format!("measured runs, 1–{MAX_REPEAT}")
                        get=|f| f.repeat.clone() set=|f, v| f.repeat = v />
                    <NumberField label="warm-up" name="warmup" hint=format!("unmeasured runs first, 0–{MAX_WARMUP}")
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
                </div>
            </form>
            <Show when=move || !all_messages().is_empty()>
                <div class="messages" role="alert" data-testid="config-messages">
                    <ul>{move || all_messages().into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul>
                </div>
            </Show>
        </section>
    }
}

/// Heartbeat, pool and isolation status, and live progress.
#[component]
pub fn StatusBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let pool_text = move || match state.pool.get() {
        PoolState::Starting => "starting…".to_string(),
        PoolState::Ready { threads, startup_ms } => format!("{threads} threads, started in {startup_ms:.0} ms"),
        PoolState::Failed(reason) => format!("failed: {reason}"),
        PoolState::Unavailable(_) => "unavailable (not cross-origin isolated)".to_string(),
    };
    let progress_text = move || {
        state.progress.with(|progress| match progress {
            Some(p) => format!(
                "{} ({} of {}): {} {} of {}",
                p.model.id(),
                p.model_index + 1,
                p.model_count,
                if p.warmup { "warm-up" } else { "run" },
                p.run,
                p.runs
            ),
            None if state.running.get() => "starting…".to_string(),
            None => "idle".to_string(),
        })
    };
    view! {
        <section class="panel status" aria-label="Status">
            <div class="stat heartbeat-stat" title="A main-thread counter bumped every 20 ms. It stops whenever the page is frozen.">
                <span class="stat-label"><span class="pulse" aria-hidden="true"></span>"Heartbeat"</span>
                <span class="stat-value" data-testid="heartbeat">{move || state.heartbeat.get()}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Cross-origin isolated"</span>
                <span class="stat-value" data-testid="cross-origin-isolated">{if cross_origin_isolated() { "yes" } else { "no" }}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Cores"</span>
                <span class="stat-value" data-testid="hardware-concurrency">{state.hardware_concurrency}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Thread pool"</span>
                <span class="stat-value" data-testid="pool-status">{pool_text}</span>
            </div>
            <div class="stat wide" aria-live="polite">
                <span class="stat-label">"Now"</span>
                <span class="stat-value" data-testid="progress">{progress_text}</span>
            </div>
            <Show when=move || state.notice.get().is_some()>
                <p class="notice" role="alert">{move || state.notice.get()}</p>
            </Show>
        </section>
    }
}
