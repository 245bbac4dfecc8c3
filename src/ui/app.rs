//! The page: its state as signals, the run pipeline started from here, and
//! the layout. Parsing, running and measuring happen in the engine and the
//! browser layer; this file wires them to what the user sees.

use super::controls::{Controls, FormFields, StatusBar};
use super::results_view::ResultsView;
use crate::browser::environment::{cross_origin_isolated, environment, hardware_concurrency};
use crate::browser::executor::{BrowserExecutor, PoolState, NOT_ISOLATED};
use crate::browser::{heartbeat, page, rayon_pool};
use crate::engine::config::{max_threads, Config, ConfigMessage};
use crate::engine::model::CpuModel;
use crate::engine::results::Results;
use crate::engine::scheduler::{run_models, Progress};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

/// Everything the components read and write, in one Copy handle.
#[derive(Clone, Copy)]
pub struct AppState {
    pub form: RwSignal<FormFields>,
    /// The configuration the form amounts to, and the messages about it.
    pub parsed: Memo<(Config, Vec<ConfigMessage>)>,
    /// Messages about the URL the page was opened with.
    pub url_messages: RwSignal<Vec<ConfigMessage>>,
    pub pool: RwSignal<PoolState>,
    pub running: RwSignal<bool>,
    pub stop_requested: RwSignal<bool>,
    pub progress: RwSignal<Option<Progress>>,
    pub results: RwSignal<Option<Results>>,
    pub heartbeat: RwSignal<u64>,
    pub notice: RwSignal<Option<String>>,
    pub hardware_concurrency: u32,
    cancel: StoredValue<Arc<AtomicBool>>,
}

impl AppState {
    fn new() -> Self {
        let hardware_concurrency = hardware_concurrency();
        let (config, url_messages) = Config::parse(&page::query(), hardware_concurrency);
        let form = RwSignal::new(FormFields::from_config(&config));
        let parsed = Memo::new(move |_| Config::parse(&form.with(FormFields::to_query), hardware_concurrency));
        let pool = if cross_origin_isolated() {
            PoolState::Starting
        } else {
            PoolState::Unavailable(NOT_ISOLATED.to_string())
        };
        Self {
            form,
            parsed,
            url_messages: RwSignal::new(url_messages),
            pool: RwSignal::new(pool),
            running: RwSignal::new(false),
            stop_requested: RwSignal::new(false),
            progress: RwSignal::new(None),
            results: RwSignal::new(None),
            heartbeat: RwSignal::new(0),
            notice: RwSignal::new(None),
            hardware_concurrency,
            cancel: StoredValue::new(Arc::new(AtomicBool::new(false))),
        }
    }

    /// Whether Run can start now: not running, and the pool ready if a
    /// chosen model needs it (never let a click into a pool not ready).
    pub fn can_run(&self) -> bool {
        let needs_pool =
            self.parsed.with(|(config, _)| config.models.iter().any(|m| matches!(m, CpuModel::Seq | CpuModel::Rayon)));
        !self.running.get() && !(needs_pool && self.pool.get() == PoolState::Starting)
    }

    /// Starts a run of the current configuration (ignored while one runs).
    pub fn run(self) {
        if self.running.get_untracked() {
            return;
        }
        let config = self.parsed.with_untracked(|(config, _)| config.clone());
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel.set_value(cancel.clone());
        self.running.set(true);
        self.stop_requested.set(false);
        self.notice.set(None);
        let pool = self.pool.get_untracked();
        spawn_local(async move {
            let mut executor = BrowserExecutor::new(pool);
            let progress = self.progress;
            let results = run_models(&config, environment(), &mut executor, &cancel, &mut |step| {
                progress.set(Some(step));
            })
            .await;
            if let Err(error) = page::post_results(&results) {
                self.notice.set(Some(format!("Could not post the results to the embedding page: {error}")));
            }
            self.results.set(Some(results));
            self.progress.set(None);
            self.running.set(false);
        });
    }

    /// Asks the running models to stop at their next checkpoint.
    pub fn stop(self) {
        self.cancel.with_value(|cancel| cancel.store(true, Relaxed));
        self.stop_requested.set(true);
    }
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);

    heartbeat::start(move |ticks| state.heartbeat.set(ticks));

    // The URL always reproduces the form (a permalink), without navigating.
    Effect::new(move |_| {
        let query = state.parsed.with(|(config, _)| config.to_query());
        page::replace_query(&query);
    });

    if cross_origin_isolated() {
        let threads = max_threads(state.hardware_concurrency) as usize;
        spawn_local(async move {
            let started_ms = js_sys::Date::now();
            let outcome = rayon_pool::start_global_pool(threads).await;
            state.pool.set(match outcome {
                Ok(()) => PoolState::Ready { threads, startup_ms: js_sys::Date::now() - started_ms },
                Err(reason) => PoolState::Failed(reason),
            });
        });
    }

    // autorun=1: start once, as soon as Run could be pressed.
    let autorun = state.parsed.with_untracked(|(config, _)| config.autorun);
    let autorun_done = StoredValue::new(!autorun);
    Effect::new(move |_| {
        if !autorun_done.get_value() && state.can_run() {
            autorun_done.set_value(true);
            state.run();
        }
    });

    view! {
        <header class="masthead">
            <h1>"Concurrency Playground"</h1>
            <p class="tagline">
                "The CPU workloads of the well-known Python concurrency posts, run under each model "
                "in your browser: Rust compiled to WebAssembly, measured live."
            </p>
        </header>
        <main>
            <StatusBar />
            <Controls />
            <ResultsView />
        </main>
        <footer>
            <p>"Every figure on this page was measured in this tab, just now; nothing is pre-recorded."</p>
        </footer>
    }
}
