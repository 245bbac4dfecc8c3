//! The page's state as signals, in small pieces that components take as
//! context (each only the piece it reads): the form ([`FormState`]), what
//! the page has ready ([`PageStatus`]), the runs and their history
//! ([`RunHistory`]), and the notice line ([`Notice`]). [`AppState`] holds
//! them together and starts and stops runs. No layout here (that is
//! `app`), and no measuring: runs are the engine's and the browser
//! layer's; this file only wires their outcome into signals.

use super::form::FormFields;
use super::geometry::{ChartWidth, NARROW_PAGE_PX, WIDE_PAGE_PX};
use super::replay_controls::ReplayShared;
use crate::browser::executor::{self, BrowserExecutor, PoolState};
use crate::browser::isolation::IsolationState;
use crate::browser::network::service_worker::ServiceWorkerState;
use crate::browser::platform::clock::live_elapsed_ms;
use crate::browser::platform::environment::{
    self, cross_origin_isolated, hardware_concurrency, no_shared_memory_reason, shared_memory,
};
use crate::browser::platform::stop::StopSignal;
use crate::browser::platform::{page, panic};
use crate::browser::threads::rayon_pool;
use crate::engine::configuration::config::Config;
use crate::engine::configuration::parser::ConfigMessage;
use crate::engine::embed_api::results_message;
use crate::engine::experiments::CLASSIC_QUERY;
use crate::engine::io::workload::IoSource;
use crate::engine::measurement::run_window::LiveCount;
use crate::engine::model::Model;
use crate::engine::reporting::results::{ModelResult, Results};
use crate::engine::running::scheduler::{run_models, Progress, RunEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// Runs kept on the page for comparison (the newest last).
const HISTORY_LENGTH: usize = 8;

/// The form as typed, and the configuration it amounts to.
#[derive(Clone, Copy)]
pub struct FormState {
    pub form: RwSignal<FormFields>,
    /// The configuration the form amounts to, and the messages about it.
    pub parsed: Memo<(Config, Vec<ConfigMessage>)>,
    /// Messages about the URL the page was opened with.
    pub url_messages: RwSignal<Vec<ConfigMessage>>,
    /// What a field said before it was set to the value used (it shows that
    /// value once the user leaves it, or runs): kept until the field is
    /// typed in again, so the reason stays beside the corrected value.
    pub corrected: RwSignal<Vec<ConfigMessage>>,
    pub hardware_concurrency: u32,
}

impl FormState {
    /// Sets every field the parser could not take as typed (`field`, or all
    /// of them with `None`) to the value that runs, keeping what it said.
    pub fn show_values_used(&self, field: Option<&str>) {
        let (config, messages) = self.parsed.get_untracked();
        let changed: Vec<ConfigMessage> =
            messages.into_iter().filter(|m| !m.field.is_empty() && field.is_none_or(|f| f == m.field)).collect();
        if changed.is_empty() {
            return;
        }
        self.form.update(|form| {
            for message in &changed {
                form.show_value_used(&message.field, &config);
            }
        });
        self.corrected.update(|kept| {
            kept.retain(|old| !changed.iter().any(|new| new.field == old.field));
            kept.extend(changed);
        });
    }

    /// Forgets what a field said when it was corrected (it is typed in again).
    pub fn forget_correction(&self, field: &str) {
        if self.corrected.with_untracked(|kept| kept.iter().any(|m| m.field == field)) {
            self.corrected.update(|kept| kept.retain(|m| m.field != field));
        }
    }
}

/// What the page has ready for a run: the pool, the service worker,
/// isolation, and the main thread's heartbeat.
#[derive(Clone, Copy)]
pub struct PageStatus {
    pub pool: RwSignal<PoolState>,
    pub service_worker: RwSignal<ServiceWorkerState>,
    pub isolation: RwSignal<IsolationState>,
    pub heartbeat: RwSignal<u64>,
    pub hardware_concurrency: u32,
    /// How wide the charts are laid out: a phone's column, or wider.
    pub chart_width: RwSignal<ChartWidth>,
}

/// A finished run kept on the page, numbered in the order it ran.
#[derive(Clone, Debug)]
pub struct RunEntry {
    pub number: u32,
    pub results: Arc<Results>,
    /// Read from a share link, not measured in this tab.
    pub recorded: bool,
    /// Where a run from elsewhere came from ("the linked run", a file's
    /// name): it is compared with, never one of this session's.
    pub from_elsewhere: Option<String>,
}

/// The current run's progress as the status bar shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LiveView {
    pub done: usize,
    pub total: usize,
    pub elapsed_ms: f64,
    /// Requests in flight now, and answered so far, as recorded.
    pub requests_in_flight: usize,
    pub requests_answered: usize,
}

/// The run going now, and the runs of this page session.
#[derive(Clone, Copy)]
pub struct RunHistory {
    pub running: RwSignal<bool>,
    pub stop_requested: RwSignal<bool>,
    pub progress: RwSignal<Option<Progress>>,
    /// The current run's entries that have finished, drawn as they come.
    pub finished: RwSignal<Vec<ModelResult>>,
    /// Tasks done in the current run, as last read (`refresh_live`).
    pub live: RwSignal<Option<LiveView>>,
    /// The current run's counter, which `refresh_live` reads.
    pub live_count: StoredValue<Option<Arc<LiveCount>>>,
    /// Every run of this page session, the newest last (at most
    /// `HISTORY_LENGTH`); the newest is the one shown.
    pub history: RwSignal<Vec<RunEntry>>,
    /// An earlier run (index into `history`) drawn beside the newest.
    pub compare_with: RwSignal<Option<usize>>,
    /// A run from elsewhere (a share link, a results file) drawn beside
    /// the newest; it takes the place of `compare_with` while set.
    pub other: RwSignal<Option<RunEntry>>,
}

impl RunHistory {
    /// Reads the current run's counter into `live`, if a run is going. The
    /// page calls it on the heartbeat's display tick (app.rs), so one frame
    /// draws both.
    pub fn refresh_live(&self) {
        if let Some(live) = self.live_count.get_value() {
            let elapsed_ms = live_elapsed_ms(&live);
            self.live.set(Some(LiveView {
                done: live.done(),
                total: live.total(),
                elapsed_ms,
                requests_in_flight: live.requests_in_flight(),
                requests_answered: live.requests_ended(),
            }));
        }
    }

    /// The newest run, if any.
    pub fn latest(&self) -> Option<RunEntry> {
        self.history.with(|history| history.last().cloned())
    }

    /// The run chosen for comparison, if any: one from elsewhere, or an
    /// earlier one of this session.
    pub fn compared(&self) -> Option<RunEntry> {
        if let Some(other) = self.other.get() {
            return Some(other);
        }
        let index = self.compare_with.get()?;
        self.history.with(|history| (index + 1 < history.len()).then(|| history[index].clone()))
    }

    /// Compares the newest run with `results` from elsewhere, named `from`.
    pub fn compare_with_other(&self, results: Results, from: String) {
        self.other.set(Some(RunEntry {
            number: 0,
            results: Arc::new(results),
            recorded: true,
            from_elsewhere: Some(from),
        }));
    }

    /// Keeps a finished run (`recorded`: read from a link), dropping the
    /// oldest beyond `HISTORY_LENGTH`.
    pub fn push(&self, results: Results, recorded: bool) {
        let mut dropped = 0;
        self.history.update(|history| {
            let number = history.last().map_or(1, |entry| entry.number + 1);
            history.push(RunEntry { number, results: Arc::new(results), recorded, from_elsewhere: None });
            while history.len() > HISTORY_LENGTH {
                history.remove(0);
                dropped += 1;
            }
        });
        // Keep pointing at the same earlier run, or at none once it is gone.
        self.compare_with.update(|compare| *compare = compare.and_then(|index| index.checked_sub(dropped)));
    }
}

/// The one line of news the page shows (a failed download, a link that
/// could not be read, results that could not be posted).
#[derive(Clone, Copy)]
pub struct Notice(pub RwSignal<Option<String>>);

impl Notice {
    pub fn say(&self, text: String) {
        self.0.set(Some(text));
    }
}

/// Every piece together, and the run controller.
#[derive(Clone, Copy)]
pub struct AppState {
    pub form: FormState,
    pub status: PageStatus,
    pub runs: RunHistory,
    pub notice: Notice,
    /// The replay's moment, shared by the timeline and the Embed dialog.
    pub replay: ReplayShared,
    /// The running session's Stop (none between runs).
    stop_signal: StoredValue<Option<StopSignal>, LocalStorage>,
}

impl AppState {
    /// The state of a page just opened: the form from its URL, nothing ready yet.
    pub fn from_page() -> Self {
        let hardware_concurrency = hardware_concurrency();
        let (config, url_messages) = Config::parse(&page::query(), hardware_concurrency);
        let form = RwSignal::new(FormFields::from_config(&config));
        let parsed = Memo::new(move |_| Config::parse(&form.with(FormFields::to_query), hardware_concurrency));
        let (isolated, threads) = (cross_origin_isolated(), shared_memory());
        Self {
            form: FormState {
                form,
                parsed,
                url_messages: RwSignal::new(url_messages),
                corrected: RwSignal::new(Vec::new()),
                hardware_concurrency,
            },
            status: PageStatus {
                pool: RwSignal::new(if threads {
                    PoolState::Starting
                } else {
                    PoolState::Unavailable(no_shared_memory_reason().unwrap_or_default())
                }),
                service_worker: RwSignal::new(ServiceWorkerState::Starting),
                isolation: RwSignal::new(if isolated { IsolationState::Isolated } else { IsolationState::Checking }),
                heartbeat: RwSignal::new(0),
                hardware_concurrency,
                chart_width: RwSignal::new(ChartWidth::Wide),
            },
            runs: RunHistory {
                running: RwSignal::new(false),
                stop_requested: RwSignal::new(false),
                progress: RwSignal::new(None),
                finished: RwSignal::new(Vec::new()),
                live: RwSignal::new(None),
                live_count: StoredValue::new(None),
                history: RwSignal::new(Vec::new()),
                compare_with: RwSignal::new(None),
                other: RwSignal::new(None),
            },
            notice: Notice(RwSignal::new(None)),
            replay: ReplayShared::new(config.replay),
            stop_signal: StoredValue::new_local(None),
        }
    }

    /// Gives each piece to the components as its own context.
    pub fn provide(self) {
        provide_context(self.form);
        provide_context(self.status);
        provide_context(self.runs);
        provide_context(self.notice);
        provide_context(self.replay);
    }

    /// Keeps `chart_width` in step with the page's width.
    pub fn watch_chart_width(self) {
        let chart_width = self.status.chart_width;
        let follow = move |_| chart_width.set(ChartWidth::of_page(page::width_px()));
        page::watch_max_width(NARROW_PAGE_PX, follow);
        page::watch_max_width(WIDE_PAGE_PX, follow);
        follow(true);
    }

    /// Sets the form to the classic comparison (the posts' CPU lesson:
    /// sync, threads under the GIL, asyncio, multiprocessing, then rayon)
    /// and runs it.
    pub fn run_classic(self) {
        if self.runs.running.get_untracked() {
            return;
        }
        let (config, _) = Config::parse(CLASSIC_QUERY, self.form.hardware_concurrency);
        self.configure(&config);
        self.run();
    }

    /// Sets the form to `config`, keeping the page's layout (`embed`,
    /// `charts_only`: a command's query does not rearrange the frame).
    pub fn configure(self, config: &Config) {
        let (embed, charts_only) = self.form.parsed.with_untracked(|(now, _)| (now.embed, now.charts_only));
        self.form.form.set(FormFields::from_config(&Config { embed, charts_only, ..config.clone() }));
        self.form.corrected.set(Vec::new());
    }

    /// Starts the global rayon pool (an isolated page only), and says how
    /// it went in `page.pool`.
    pub fn start_pool(self, threads: usize) {
        if !shared_memory() {
            return;
        }
        spawn_local(async move {
            self.status.pool.set(match rayon_pool::start_global_pool(threads).await {
                Ok(start) => {
                    PoolState::Ready { threads, startup_ms: start.ms, bytes_per_thread: start.bytes_per_thread }
                }
                Err(reason) => PoolState::Failed(reason),
            });
        });
    }

    /// Why Run cannot start right now, or `None` if it can: a run is going,
    /// the configuration lacks a URL, or something a chosen model needs is
    /// still starting (never let a click into a pool that is not ready).
    pub fn run_blocked_reason(&self) -> Option<String> {
        if self.runs.running.get() {
            return None;
        }
        match self.status.isolation.get() {
            IsolationState::Checking => return Some("Checking cross-origin isolation…".to_string()),
            IsolationState::Reloading => return Some("Reloading once to become cross-origin isolated…".to_string()),
            IsolationState::Isolated | IsolationState::NotIsolated(_) => {}
        }
        self.form.parsed.with(|(config, _)| {
            if let Some(reason) = config.blocking_reason() {
                return Some(reason);
            }
            let models = config.models();
            // Every run waits for the pool, even one that does not use it:
            // its start-up (threads, stacks) would land in the measurement.
            if self.status.pool.get() == PoolState::Starting {
                return Some("Starting the thread pool…".to_string());
            }
            let needs_service_worker = matches!(models.first(), Some(item) if matches!(item.model, Model::Io(_)))
                && config.io.source == IoSource::Sim;
            if needs_service_worker && self.status.service_worker.get() == ServiceWorkerState::Starting {
                return Some("Starting the service worker (the latency source)…".to_string());
            }
            None
        })
    }

    /// Whether Run can start now.
    pub fn can_run(&self) -> bool {
        !self.runs.running.get() && self.run_blocked_reason().is_none()
    }

    /// Starts a run of the current configuration (ignored while one runs).
    pub fn run(self) {
        self.run_for(None);
    }

    /// Starts a run, for the embed command `command_id` if one asked for it:
    /// its results message names that command.
    pub fn run_for(self, command_id: Option<serde_json::Value>) {
        let runs = self.runs;
        if runs.running.get_untracked() {
            return;
        }
        // The form shows what runs: a field typed "abc" shows the 100 used.
        self.form.show_values_used(None);
        let config = self.form.parsed.with_untracked(|(config, _)| config.clone());
        let stop = StopSignal::new();
        self.stop_signal.set_value(Some(stop.clone()));
        runs.running.set(true);
        runs.stop_requested.set(false);
        runs.finished.set(Vec::new());
        self.notice.0.set(None);
        let ready = executor::Readiness {
            pool: self.status.pool.get_untracked(),
            service_worker: self.status.service_worker.get_untracked(),
        };
        environment::mark_visibility();
        spawn_local(async move {
            let cancel = stop.flag();
            let live = Arc::new(LiveCount::default());
            let mut executor = BrowserExecutor::new(ready, stop, live.clone());
            // The status bar reads it while the run goes (it cannot during
            // `main`, which freezes the page by design).
            runs.live_count.set_value(Some(live.clone()));
            let mut results =
                run_models(&config, environment::environment(), &mut executor, &cancel, &mut |event| match event {
                    RunEvent::Progress(step) => runs.progress.set(Some(step)),
                    RunEvent::Finished(model) => runs.finished.update(|finished| finished.push(*model)),
                })
                .await;
            runs.live_count.set_value(None);
            drop(executor);
            // A thread of this instance died during the run: say so where
            // the pool's state is shown, and keep later runs off it.
            if let Some(message) = panic::fatal_message() {
                self.status.pool.set(PoolState::Failed(rayon_pool::pool_failed(&message)));
            }
            results.environment.tab_hidden_during_run = environment::hidden_since_mark();
            self.stop_signal.set_value(None);
            // Shown first, then posted: whoever receives the message finds
            // the page already showing what it says.
            let posted = page::post_to_parent_or_self(&results_message(&results, command_id.as_ref()));
            // A shared run's link no longer describes what the page shows.
            page::clear_fragment();
            runs.push(results, false);
            if let Err(error) = posted {
                self.notice.say(format!("Could not post the results to the embedding page: {error}"));
            }
            runs.progress.set(None);
            runs.live.set(None);
            runs.finished.set(Vec::new());
            runs.running.set(false);
        });
    }

    /// Stops the run: no model starts another task or request, requests in
    /// flight are aborted, and what was measured is kept, marked partial.
    pub fn stop(self) {
        self.stop_signal.with_value(|stop| {
            if let Some(stop) = stop {
                stop.stop();
            }
        });
        self.runs.stop_requested.set(true);
    }
}
