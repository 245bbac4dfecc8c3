//! The page's layout, and what it starts once on load: the heartbeat, the
//! service worker, the pool, a share link's recorded run, the URL kept in
//! step with the form, and `autorun`. The state it wires up lives in
//! [`super::state`]; each component takes only the piece it needs.

use super::controls::{Controls, RunControls};
use super::environment_panel::EnvironmentPanel;
use super::model_cards::ModelCards;
use super::results_view::ResultsView;
use super::state::AppState;
use super::status::StatusBar;
use crate::browser::isolation::IsolationState;
use crate::browser::{environment, heartbeat, isolation, page, service_worker};
use crate::engine::configuration::config::{max_threads, Config};
use crate::engine::reporting::permalink;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::from_page();
    state.provide();
    let (form, status, runs) = (state.form, state.status, state.runs);

    // One display tick redraws every live number: the heartbeat and the
    // run's progress change in the same task, so the browser draws one frame.
    heartbeat::start(move |ticks| {
        status.heartbeat.set(ticks);
        runs.refresh_live();
    });
    environment::watch_visibility();
    let embed = form.parsed.with_untracked(|(config, _)| config.embed);
    let charts_only = form.parsed.with_untracked(|(config, _)| config.embed && config.charts_only);
    let embedded = environment::embedded();
    if embedded {
        page::watch_height(page::post_height);
    }

    // A share link: show its recorded run, and do not run anything by itself.
    let shared = page::fragment().strip_prefix(permalink::FRAGMENT_KEY).map(permalink::decode);
    let shared_run = matches!(shared, Some(Ok(_)));
    match shared {
        Some(Ok(results)) => runs.push(results, true),
        Some(Err(error)) => state.notice.say(format!("The link's recorded run could not be read: {error}.")),
        None => {}
    }

    // The URL always reproduces the form (a permalink), without navigating.
    Effect::new(move |_| {
        let query = form.parsed.with(|(config, _)| config.to_query());
        page::replace_query(&query);
    });

    spawn_local(async move {
        let registered = service_worker::register().await;
        status.service_worker.set(registered.clone());
        status.isolation.set(isolation::settle(&registered));
    });
    state.start_pool(max_threads(form.hardware_concurrency) as usize);

    // autorun=1: start once, as soon as Run could be pressed (but not over
    // a shared run: a tutorial shows it without running anything).
    let autorun = form.parsed.with_untracked(|(config, _)| config.autorun) && !shared_run;
    let autorun_done = StoredValue::new(!autorun);
    Effect::new(move |_| {
        if !autorun_done.get_value() && state.can_run() {
            autorun_done.set_value(true);
            state.run();
        }
    });

    // The embed layout: compact, the results first; the full page is a link away.
    if embed {
        page::add_body_class("embed");
    }
    let controls = RunControls {
        can_run: Signal::derive(move || state.can_run()),
        blocked_reason: Signal::derive(move || state.run_blocked_reason()),
        running: runs.running.into(),
        stop_requested: runs.stop_requested.into(),
        on_run: Callback::new(move |_| state.run()),
        on_stop: Callback::new(move |_| state.stop()),
    };
    view! {
        <header class="masthead">
            <h1>"Concurrency Playground"</h1>
            <p class="tagline">
                "The CPU and IO workloads of the well-known Python concurrency posts, run under each "
                "model in your browser: Rust compiled to WebAssembly, measured live."
            </p>
        </header>
        <main>
            {move || matches!(status.isolation.get(), IsolationState::NotIsolated(_)).then(|| {
                let text = if embedded {
                    "Threads need a cross-origin isolated page; this tutorial's page is not. Open the playground in its own tab to run them."
                } else {
                    "Threads need a cross-origin isolated page; this one is not, so models that share one memory cannot run here. The rest run, each worker instance with its own memory."
                };
                view! {
                    <p class="warning threads-banner" role="status" data-testid="threads-banner">
                        {text}" "
                        <a href=full_page_link(form.parsed) target="_blank" rel="noopener" data-testid="threads-banner-link">"Open it in a new tab ↗"</a>
                    </p>
                }
            })}
            <StatusBar />
            {(!charts_only).then(|| view! { <Controls run=controls /> })}
            <ResultsView />
            {(!embed).then(|| view! { <ModelCards /> <EnvironmentPanel /> })}
        </main>
        <footer>
            {if embed {
                view! { <p><a href=move || full_page_link(form.parsed) target="_blank" rel="noopener" data-testid="open-full">"Open the full playground ↗"</a></p> }.into_any()
            } else {
                view! { <p>"Every figure on this page was measured in this tab unless it says it was recorded; nothing is made up."</p> }.into_any()
            }}
        </footer>
    }
}

/// The same configuration in the full page (no `embed`, no `autorun`).
fn full_page_link(parsed: Memo<(Config, Vec<crate::engine::configuration::parser::ConfigMessage>)>) -> String {
    let query = parsed
        .with(|(config, _)| Config { embed: false, charts_only: false, ..config.clone() }.to_query_without_autorun());
    format!("{}?{query}", page::address())
}
