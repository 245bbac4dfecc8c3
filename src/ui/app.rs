//! The page's layout, and what it starts once on load: the heartbeat, the
//! service worker, the pool, a share link's recorded run, the URL kept in
//! step with the form, and `autorun`. The state it wires up lives in
//! [`super::state`]; each component takes only the piece it needs.

use super::controls::Controls;
use super::embed_commands;
use super::environment_panel::EnvironmentPanel;
use super::hero::HeroActions;
use super::model_cards::ModelCards;
use super::results_view::ResultsView;
use super::run_buttons::RunControls;
use super::startup::{Later, Startup};
use super::state::AppState;
use super::status::StatusBar;
use crate::browser::isolation;
use crate::browser::isolation::IsolationState;
use crate::browser::network::service_worker;
use crate::browser::platform::{environment, heartbeat, page};
use crate::engine::configuration::config::{max_threads, Config};
use crate::engine::reporting::comparison;
use crate::engine::reporting::permalink;
use leptos::portal::Portal;
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
    state.watch_chart_width();
    let embed = form.parsed.with_untracked(|(config, _)| config.embed);
    let charts_only = form.parsed.with_untracked(|(config, _)| config.embed && config.charts_only);
    let embedded = environment::embedded();
    if embedded {
        page::watch_height(page::post_height);
        embed_commands::serve(state);
    }

    // A share link: show its recorded run, and do not run anything by itself.
    // It may carry a second run to compare with (`&compare=`).
    let fragment = page::fragment();
    let (ours, theirs) = comparison::split_fragment(&fragment);
    let shared = ours.map(permalink::decode);
    let shared_run = matches!(shared, Some(Ok(_)));
    match shared {
        Some(Ok(results)) => runs.push(results, true),
        Some(Err(error)) => state.notice.say(format!("The link's recorded run could not be read: {error}.")),
        None => {}
    }
    match theirs.map(permalink::decode) {
        Some(Ok(results)) => runs.compare_with_other(results, "the shared run".to_string()),
        Some(Err(error)) => state.notice.say(format!("The run the link compares with could not be read: {error}.")),
        None => {}
    }

    // The URL always reproduces the form (a permalink), without navigating.
    Effect::new(move |_| {
        let query = form.parsed.with(|(config, _)| config.to_query());
        page::replace_query(&query);
    });

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
    let classic = RunControls { on_run: Callback::new(move |_| state.run_classic()), ..controls };
    let form_first = embed;
    // The start-up in short tasks, so none is long (a phone's first input
    // waits for the task going on): here only the state and the page's
    // frame; then the thread pool and the service worker (their work goes
    // on in the background); then each part (`Later`) in a task of its own,
    // in document order, so nothing drawn moves what is drawn already.
    let startup = Startup::provide();
    startup.then(move || {
        spawn_local(async move {
            let registered = service_worker::register().await;
            status.service_worker.set(registered.clone());
            status.isolation.set(isolation::settle(&registered));
        });
        state.start_pool(max_threads(form.hardware_concurrency) as usize);
    });
    view! {
        // The masthead's words are index.html's, painted before the wasm
        // arrived; its buttons go in the slot it left (not in an embed,
        // whose run is the link's).
        {(!embed).then(|| view! {
            <Later>{move || page::static_slot("hero-run").map(|slot| view! { <Portal mount=slot><HeroActions run=classic /></Portal> })}</Later>
        })}
        <main>
            {move || {
                // Said only where it matters: a chosen model needs shared memory.
                if !form.parsed.with(|(config, _)| config.models().iter().any(|item| item.model.needs_shared_memory())) {
                    return None;
                }
                let isolation = status.isolation.get();
                let no_shared_memory = isolation == IsolationState::Isolated && !environment::shared_memory();
                let text = match (&isolation, embedded) {
                    (IsolationState::NotIsolated(_), true) => "Threads that share one memory need a cross-origin isolated page; this tutorial's page is not. Open the playground in its own tab to run them.",
                    (IsolationState::NotIsolated(_), false) => "Threads that share one memory need a cross-origin isolated page; this one is not, so those models cannot run here. The rest run, each worker instance with its own memory.",
                    _ if no_shared_memory => "This browser offers no SharedArrayBuffer, even on a cross-origin isolated page (WebKit, Safari's engine, does not), so models whose threads share one memory cannot run here. The rest run, each worker instance with its own memory.",
                    _ => return None,
                };
                // Another tab helps only where isolation is what is missing.
                let link = (!no_shared_memory).then(|| view! {
                    " "<a href=full_page_link(form.parsed) target="_blank" rel="noopener" data-testid="threads-banner-link">"Open it in a new tab ↗"</a>
                });
                Some(view! {
                    <p class="warning threads-banner" role="status" data-testid="threads-banner">{text}{link}</p>
                })
            }}
            <Later><StatusBar /></Later>
            // An embed's form is its Run and Stop only: above its results.
            {(form_first && !charts_only).then(|| view! { <Later><Controls run=controls /></Later> })}
            <Later><ResultsView on_stop=controls.on_stop /></Later>
            {(!form_first).then(|| view! { <Later><Controls run=controls /></Later> })}
            {(!embed).then(|| view! { <Later><ModelCards /></Later> })}
            {(!embed).then(|| view! { <Later><EnvironmentPanel /></Later> })}
        </main>
        <Later><Footer embed=embed parsed=form.parsed /></Later>
    }
}

#[component]
fn Footer(
    embed: bool,
    parsed: Memo<(Config, Vec<crate::engine::configuration::parser::ConfigMessage>)>,
) -> impl IntoView {
    view! {
        <footer>
            {if embed {
                view! { <p><a href=move || full_page_link(parsed) target="_blank" rel="noopener" data-testid="open-full">"Open the full playground ↗"</a></p> }.into_any()
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
