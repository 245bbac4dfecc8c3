//! What the page has ready, said in one line of plain words under the
//! masthead (the page is live, its cores, whether threads and the latency
//! source can run), with the diagnostics folded under it: the heartbeat's
//! count, isolation, the thread pool and the service worker.

use super::state::{Notice, PageStatus};
use crate::browser::executor::PoolState;
use crate::browser::network::service_worker::ServiceWorkerState;
use crate::browser::platform::environment::cross_origin_isolated;
use crate::browser::platform::heartbeat;
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let status = expect_context::<PageStatus>();
    let notice = expect_context::<Notice>();
    let pool_text = move || match status.pool.get() {
        PoolState::Starting => "starting…".to_string(),
        PoolState::Ready { threads, startup_ms, .. } => format!("{threads} threads, started in {startup_ms:.0} ms"),
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
    // The line's words: what a learner needs to know before pressing Run.
    let threads_words = move || match status.pool.get() {
        PoolState::Starting => "threads starting…",
        PoolState::Ready { .. } => "threads ready",
        PoolState::Failed(_) => "threads failed (see Page status)",
        PoolState::Unavailable(_) => "no shared-memory threads here",
    };
    let requests_words = move || match status.service_worker.get() {
        ServiceWorkerState::Starting => "simulated requests starting…",
        ServiceWorkerState::Ready => "simulated requests ready",
        ServiceWorkerState::Unavailable(_) => "no simulated requests here",
    };
    let notice = move || notice.0.get().map(|text| view! { <p class="notice" role="alert">{text}</p> });
    view! {
        <section class="status" aria-label="Page status">
            <p class="status-line" data-testid="status-line">
                // The dot changes every 25 ticks (half a second of a live
                // page), so it freezes when the page does; a CSS animation
                // would go on pulsing on the compositor while the main
                // thread is stuck, and cost a frame 60 times a second.
                <span class="heartbeat-stat" title="A main-thread counter bumped every 20 ms (shown twice a second, and as soon as a freeze ends). It stops whenever the page is frozen.">
                    <span class="pulse" class:dim=move || (status.heartbeat.get() / heartbeat::SHOW_EVERY_TICKS) % 2 == 1 aria-hidden="true"></span>
                    "Page live: heartbeat "<span class="stat-value" data-testid="heartbeat">{move || status.heartbeat.get()}</span>
                </span>
                <span class="status-sep" aria-hidden="true">" · "</span>
                <span>{format!("{} cores", status.hardware_concurrency)}</span>
                <span class="status-sep" aria-hidden="true">" · "</span>
                <span data-testid="threads-words">{threads_words}</span>
                <span class="status-sep" aria-hidden="true">" · "</span>
                <span>{requests_words}</span>
            </p>
            <details class="diagnostics">
                <summary>"Page status"</summary>
                <dl class="stats">
                    <div class="stat">
                        <dt class="stat-label">"Cross-origin isolated"</dt>
                        <dd class="stat-value" data-testid="cross-origin-isolated">{if cross_origin_isolated() { "yes" } else { "no" }}</dd>
                    </div>
                    <div class="stat">
                        <dt class="stat-label">"Cores"</dt>
                        <dd class="stat-value" data-testid="hardware-concurrency">{status.hardware_concurrency}</dd>
                    </div>
                    <div class="stat">
                        <dt class="stat-label">"Thread pool"</dt>
                        <dd class="stat-value" data-testid="pool-status">{pool_text}</dd>
                    </div>
                    <div class="stat" title=service_worker_title>
                        <dt class="stat-label">"Service worker"</dt>
                        <dd class="stat-value" data-testid="service-worker-status">{service_worker_text}</dd>
                    </div>
                </dl>
            </details>
            {notice}
        </section>
    }
}
