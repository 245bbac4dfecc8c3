//! The status bar: the main-thread heartbeat, isolation, cores, the thread
//! pool, the service worker, and where a run stands.

use super::state::{Notice, PageStatus, RunHistory};
use crate::browser::environment::cross_origin_isolated;
use crate::browser::executor::PoolState;
use crate::browser::heartbeat;
use crate::browser::service_worker::ServiceWorkerState;
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let status = expect_context::<PageStatus>();
    let runs = expect_context::<RunHistory>();
    let notice = expect_context::<Notice>();
    let pool_text = move || match status.pool.get() {
        PoolState::Starting => "starting…".to_string(),
        PoolState::Ready { threads, startup_ms } => format!("{threads} threads, started in {startup_ms:.0} ms"),
        PoolState::Failed(reason) => format!("failed: {reason}"),
        PoolState::Unavailable(_) => "unavailable (not cross-origin isolated)".to_string(),
    };
    let service_worker_text = move || match status.service_worker.get() {
        ServiceWorkerState::Starting => "starting…".to_string(),
        ServiceWorkerState::Ready => "ready".to_string(),
        ServiceWorkerState::Unavailable(_) => "unavailable".to_string(),
    };
    let service_worker_title = move || match status.service_worker.get() {
        ServiceWorkerState::Unavailable(reason) => reason,
        _ => "The service worker answers the simulated latency source's requests.".to_string(),
    };
    let progress_text = move || {
        runs.progress.with(|progress| match progress {
            Some(p) => format!(
                "{}{} ({} of {}): {} {} of {}",
                p.key,
                p.sweep_threads.map(|k| format!(" on {k} threads (sweep)")).unwrap_or_default(),
                p.model_index + 1,
                p.model_count,
                if p.warmup { "warm-up" } else { "run" },
                p.run,
                p.runs
            ),
            None if runs.running.get() => "starting…".to_string(),
            None => "idle".to_string(),
        })
    };
    // One closure draws the whole live line from plain values, and the
    // notice likewise: they come and go with every run, and closures inside
    // them would each leave a dead subscriber in `live` or `notice` when
    // dropped (see "Views made again and again" in ARCHITECTURE.md).
    let live_line = move || {
        if !runs.running.get() {
            return None;
        }
        let live = runs.live.get().filter(|live| live.total > 0)?;
        let fraction = live.done as f64 / live.total as f64;
        let text = format!("{} of {} done, {:.1} s", live.done, live.total, live.elapsed_ms / 1000.0);
        Some(view! {
            <span class="live" data-testid="live-progress">
                <progress max="1" value=fraction.to_string()></progress>
                " "{text}
            </span>
        })
    };
    let notice = move || notice.0.get().map(|text| view! { <p class="notice" role="alert">{text}</p> });
    view! {
        <section class="panel status" aria-label="Status">
            <div class="stat heartbeat-stat" title="A main-thread counter bumped every 20 ms (shown twice a second, and as soon as a freeze ends). It stops whenever the page is frozen.">
                // The dot changes every 25 ticks (half a second of a live
                // page), so it freezes when the page does; a CSS animation
                // would go on pulsing on the compositor while the main
                // thread is stuck, and cost a frame 60 times a second.
                <span class="stat-label">
                    <span class="pulse" class:dim=move || (status.heartbeat.get() / heartbeat::SHOW_EVERY_TICKS) % 2 == 1 aria-hidden="true"></span>
                    "Heartbeat"
                </span>
                <span class="stat-value" data-testid="heartbeat">{move || status.heartbeat.get()}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Cross-origin isolated"</span>
                <span class="stat-value" data-testid="cross-origin-isolated">{if cross_origin_isolated() { "yes" } else { "no" }}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Cores"</span>
                <span class="stat-value" data-testid="hardware-concurrency">{status.hardware_concurrency}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Thread pool"</span>
                <span class="stat-value" data-testid="pool-status">{pool_text}</span>
            </div>
            <div class="stat" title=service_worker_title>
                <span class="stat-label">"Service worker"</span>
                <span class="stat-value" data-testid="service-worker-status">{service_worker_text}</span>
            </div>
            <div class="stat wide" aria-live="polite">
                <span class="stat-label">"Now"</span>
                <span class="stat-value" data-testid="progress">{progress_text}</span>
                {live_line}
            </div>
            {notice}
        </section>
    }
}
