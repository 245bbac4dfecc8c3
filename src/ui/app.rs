//! The page: its state as signals, the run pipeline started from here, and
//! the layout. Parsing, running and measuring happen in the engine and the
//! browser layer; this file wires them to what the user sees.

use super::controls::Controls;
use super::environment_panel::EnvironmentPanel;
use super::form::FormFields;
use super::model_cards::ModelCards;
use super::results_view::ResultsView;
use super::status::StatusBar;
use crate::browser::clock::CLOCK;
use crate::browser::environment::{self, cross_origin_isolated, hardware_concurrency};
use crate::browser::executor::{BrowserExecutor, PoolState, Readiness, NOT_ISOLATED};
use crate::browser::isolation::{self, IsolationState};
use crate::browser::service_worker::{self, ServiceWorkerState};
use crate::browser::stop::StopSignal;
use crate::browser::timers::Interval;
use crate::browser::{heartbeat, page, rayon_pool};
use crate::engine::config::{max_threads, Config, ConfigMessage};
use crate::engine::io::workload::IoSource;
use crate::engine::measure::Clock;
use crate::engine::model::Model;
use crate::engine::permalink;
use crate::engine::results::Results;
use crate::engine::scheduler::{run_models, Progress};
use crate::engine::window::LiveCount;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// Runs kept on the page for comparison (the newest last).
const HISTORY_LENGTH: usize = 8;

/// A finished run kept on the page, numbered in the order it ran.
#[derive(Clone, Debug)]
pub struct RunEntry {
    pub number: u32,
    pub results: Arc<Results>,
    /// Read from a share link, not measured in this tab.
    pub recorded: bool,
}

/// The current run's progress as the status bar shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LiveView {
    pub done: usize,
    pub total: usize,
    pub elapsed_ms: f64,
}

/// Everything the components read and write, in one Copy handle.
#[derive(Clone, Copy)]
pub struct AppState {
    pub form: RwSignal<FormFields>,
    /// The configuration the form amounts to, and the messages about it.
    pub parsed: Memo<(Config, Vec<ConfigMessage>)>,
    /// Messages about the URL the page was opened with.
    pub url_messages: RwSignal<Vec<ConfigMessage>>,
    pub pool: RwSignal<PoolState>,
    pub service_worker: RwSignal<ServiceWorkerState>,
    pub isolation: RwSignal<IsolationState>,
    pub running: RwSignal<bool>,
    pub stop_requested: RwSignal<bool>,
    pub progress: RwSignal<Option<Progress>>,
    /// Tasks done in the current run, polled while it goes.
    pub live: RwSignal<Option<LiveView>>,
    /// Every run of this page session, the newest last (at most
    /// `HISTORY_LENGTH`); the newest is the one shown.
    pub history: RwSignal<Vec<RunEntry>>,
    /// An earlier run (index into `history`) drawn beside the newest.
    pub compare_with: RwSignal<Option<usize>>,
    pub heartbeat: RwSignal<u64>,
    pub notice: RwSignal<Option<String>>,
    pub hardware_concurrency: u32,
    /// The running session's Stop (none between runs).
    stop_signal: StoredValue<Option<StopSignal>, LocalStorage>,
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
            service_worker: RwSignal::new(ServiceWorkerState::Starting),
            isolation: RwSignal::new(if cross_origin_isolated() {
                IsolationState::Isolated
            } else {
                IsolationState::Checking
            }),
            running: RwSignal::new(false),
            stop_requested: RwSignal::new(false),
            progress: RwSignal::new(None),
            live: RwSignal::new(None),
            history: RwSignal::new(Vec::new()),
            compare_with: RwSignal::new(None),
            heartbeat: RwSignal::new(0),
            notice: RwSignal::new(None),
            hardware_concurrency,
            stop_signal: StoredValue::new_local(None),
        }
    }

    /// Why Run cannot start right now, or `None` if it can: a run is going,
    /// the configuration lacks a URL, or something a chosen model needs is
    /// still starting (never let a click into a pool that is not ready).
    pub fn run_blocked_reason(&self) -> Option<String> {
        if self.running.get() {
            return None;
        }
        match self.isolation.get() {
            IsolationState::Checking => return Some("Checking cross-origin isolation…".to_string()),
            IsolationState::Reloading => return Some("Reloading once to become cross-origin isolated…".to_string()),
            IsolationState::Isolated | IsolationState::NotIsolated(_) => {}
        }
        self.parsed.with(|(config, _)| {
            if let Some(reason) = config.blocking_reason() {
                return Some(reason);
            }
            let models = config.models();
            // Every run waits for the pool, even one that does not use it:
            // its start-up (threads, stacks) would land in the measurement.
            if self.pool.get() == PoolState::Starting {
                return Some("Starting the thread pool…".to_string());
            }
            let needs_service_worker =
                matches!(models.first(), Some(Model::Io(_))) && config.io.source == IoSource::Sim;
            if needs_service_worker && self.service_worker.get() == ServiceWorkerState::Starting {
                return Some("Starting the service worker (the latency source)…".to_string());
            }
            None
        })
    }

    /// Whether Run can start now.
    pub fn can_run(&self) -> bool {
        !self.running.get() && self.run_blocked_reason().is_none()
    }

    /// Starts a run of the current configuration (ignored while one runs).
    pub fn run(self) {
        if self.running.get_untracked() {
            return;
        }
        let config = self.parsed.with_untracked(|(config, _)| config.clone());
        let stop = StopSignal::new();
        self.stop_signal.set_value(Some(stop.clone()));
        self.running.set(true);
        self.stop_requested.set(false);
        self.notice.set(None);
        let ready = Readiness {
            pool: self.pool.get_untracked(),
            service_worker: self.service_worker.get_untracked(),
            isolation_note: match self.isolation.get_untracked() {
                IsolationState::NotIsolated(why) => Some(why),
                _ => None,
            },
        };
        environment::mark_visibility();
        spawn_local(async move {
            let cancel = stop.flag();
            let live = Arc::new(LiveCount::default());
            let mut executor = BrowserExecutor::new(ready, stop, live.clone());
            let progress = self.progress;
            // The status bar reads the live count ten times a second (it
            // cannot during `main`, which freezes the page by design).
            let poll = {
                let view = self.live;
                Interval::every(100, move || {
                    let elapsed_ms = CLOCK.now_ms() - live.origin_ms();
                    view.set(Some(LiveView { done: live.done(), total: live.total(), elapsed_ms }));
                })
            };
            let mut results = run_models(&config, environment::environment(), &mut executor, &cancel, &mut |step| {
                progress.set(Some(step));
            })
            .await;
            drop(poll);
            drop(executor);
            // A thread of this instance died during the run: say so where
            // the pool's state is shown, and keep later runs off it.
            if let Some(message) = crate::browser::panic::fatal_message() {
                self.pool.set(PoolState::Failed(crate::browser::rayon_pool::pool_failed(&message)));
            }
            results.environment.tab_hidden_during_run = environment::hidden_since_mark();
            self.stop_signal.set_value(None);
            // Shown first, then posted: whoever receives the message finds
            // the page already showing what it says.
            let posted = page::post_results(&results);
            // A shared run's link no longer describes what the page shows.
            page::clear_fragment();
            self.push_results(results);
            if let Err(error) = posted {
                self.notice.set(Some(format!("Could not post the results to the embedding page: {error}")));
            }
            self.progress.set(None);
            self.live.set(None);
            self.running.set(false);
        });
    }

    /// The newest run, if any.
    pub fn latest(&self) -> Option<RunEntry> {
        self.history.with(|history| history.last().cloned())
    }

    /// The earlier run chosen for comparison, if any.
    pub fn compared(&self) -> Option<RunEntry> {
        let index = self.compare_with.get()?;
        self.history.with(|history| (index + 1 < history.len()).then(|| history[index].clone()))
    }

    /// Keeps a finished run, dropping the oldest beyond `HISTORY_LENGTH`.
    fn push_results(&self, results: Results) {
        self.push_entry(results, false);
    }

    fn push_entry(&self, results: Results, recorded: bool) {
        let mut dropped = 0;
        self.history.update(|history| {
            let number = history.last().map_or(1, |entry| entry.number + 1);
            history.push(RunEntry { number, results: Arc::new(results), recorded });
            while history.len() > HISTORY_LENGTH {
                history.remove(0);
                dropped += 1;
            }
        });
        // Keep pointing at the same earlier run, or at none once it is gone.
        self.compare_with.update(|compare| *compare = compare.and_then(|index| index.checked_sub(dropped)));
    }

    /// Stops the run: no model starts another task or request, requests in
    /// flight are aborted, and what was measured is kept, marked partial.
    pub fn stop(self) {
        self.stop_signal.with_value(|stop| {
            if let Some(stop) = stop {
                stop.stop();
            }
        });
        self.stop_requested.set(true);
    }
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);

    heartbeat::start(move |ticks| state.heartbeat.set(ticks));
    environment::watch_visibility();
    let embed = state.parsed.with_untracked(|(config, _)| config.embed);
    if environment::embedded() {
        page::watch_height(page::post_height);
    }

    // A share link: show its recorded run, and do not run anything by itself.
    let shared = page::fragment().strip_prefix(permalink::FRAGMENT_KEY).map(permalink::decode);
    let shared_run = matches!(shared, Some(Ok(_)));
    match shared {
        Some(Ok(results)) => state.push_entry(results, true),
        Some(Err(error)) => state.notice.set(Some(format!("The link's recorded run could not be read: {error}."))),
        None => {}
    }

    // The URL always reproduces the form (a permalink), without navigating.
    Effect::new(move |_| {
        let query = state.parsed.with(|(config, _)| config.to_query());
        page::replace_query(&query);
    });

    spawn_local(async move {
        let registered = service_worker::register().await;
        state.service_worker.set(registered.clone());
        state.isolation.set(isolation::settle(&registered));
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

    // autorun=1: start once, as soon as Run could be pressed (but not over
    // a shared run: a tutorial shows it without running anything).
    let autorun = state.parsed.with_untracked(|(config, _)| config.autorun) && !shared_run;
    let autorun_done = StoredValue::new(!autorun);
    Effect::new(move |_| {
        if !autorun_done.get_value() && state.can_run() {
            autorun_done.set_value(true);
            state.run();
        }
    });

    // The embed layout: compact, the results first; the full page is a link away.
    if embed {
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.class_list().add_1("embed");
        }
    }
    view! {
        <header class="masthead">
            <h1>"Concurrency Playground"</h1>
            <p class="tagline">
                "The CPU and IO workloads of the well-known Python concurrency posts, run under each "
                "model in your browser: Rust compiled to WebAssembly, measured live."
            </p>
        </header>
        <main>
            <StatusBar />
            <Controls />
            <ResultsView />
            {(!embed).then(|| view! { <ModelCards /> <EnvironmentPanel /> })}
        </main>
        <footer>
            {if embed {
                view! { <p><a href=move || full_page_link(state) target="_blank" rel="noopener" data-testid="open-full">"Open the full playground ↗"</a></p> }.into_any()
            } else {
                view! { <p>"Every figure on this page was measured in this tab unless it says it was recorded; nothing is made up."</p> }.into_any()
            }}
        </footer>
    }
}

/// The same configuration in the full page (no `embed`, no `autorun`).
fn full_page_link(state: AppState) -> String {
    let query = state.parsed.with(|(config, _)| Config { embed: false, ..config.clone() }.to_query_without_autorun());
    format!("{}?{query}", page::address())
}
