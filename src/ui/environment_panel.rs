//! Where the figures were measured: isolation (and why not), cores, the
//! timer's resolution, the browser, the page's protocol, the pool and the
//! service worker. What the engine records of these goes into results.

use super::state::PageStatus;
use crate::browser::executor::PoolState;
use crate::browser::network::service_worker::ServiceWorkerState;
use crate::browser::platform::clock::instance_memory_bytes;
use crate::browser::platform::environment::{
    self, cross_origin_isolated, isolation_note, no_shared_memory_reason, shared_memory,
};
use crate::browser::platform::timers::Interval;
use crate::engine::reporting::format::bytes;
use leptos::prelude::*;

#[component]
pub fn EnvironmentPanel() -> impl IntoView {
    let state = expect_context::<PageStatus>();
    let facts = environment::environment();
    let isolated = match (cross_origin_isolated(), shared_memory()) {
        (true, true) => "yes: SharedArrayBuffer is on, so threads that share one memory can run".to_string(),
        (true, false) => format!("yes, but no shared memory: {}", no_shared_memory_reason().unwrap_or_default()),
        (false, _) => format!("no. {}", isolation_note().unwrap_or_default()),
    };
    let resolution = facts.timer_resolution_ms.map_or("unknown".to_string(), |ms| {
        format!("{:.3} ms{}", ms, if ms >= 0.1 { " (coarse: times below it are noise)" } else { "" })
    });
    let pool = move || match state.pool.get() {
        PoolState::Starting => "starting…".to_string(),
        PoolState::Ready { threads, startup_ms, .. } => format!("{threads} Web Workers, started in {startup_ms:.0} ms"),
        PoolState::Failed(reason) | PoolState::Unavailable(reason) => reason,
    };
    // This instance's memory now, read every second: after a run it should
    // come back to where it was (the long-session test reads it).
    let memory_now = RwSignal::new(instance_memory_bytes());
    if let Some(poll) = Interval::every(1000, move || memory_now.set(instance_memory_bytes())) {
        // The panel lives as long as the page.
        std::mem::forget(poll);
    }
    let service_worker = move || match state.service_worker.get() {
        ServiceWorkerState::Starting => "starting…".to_string(),
        ServiceWorkerState::Ready => "controls the page: the latency source answers".to_string(),
        ServiceWorkerState::Unavailable(reason) => reason,
    };
    view! {
        <section class="panel environment" aria-labelledby="environment-title">
            <h2 id="environment-title">"Where this runs"</h2>
            <dl class="facts">
                <dt>"Cross-origin isolated"</dt><dd data-testid="env-isolated">{isolated}</dd>
                <dt>"Cores"</dt><dd data-testid="env-cores">{format!("{} (navigator.hardwareConcurrency)", facts.hardware_concurrency)}</dd>
                <dt>"Timer resolution"</dt><dd data-testid="env-timer">{resolution}</dd>
                <dt>"Browser"</dt><dd data-testid="env-browser">{facts.user_agent.clone()}</dd>
                <dt>"Page loaded over"</dt><dd data-testid="env-protocol">{facts.page_protocol.clone().unwrap_or_else(|| "unknown".into())}</dd>
                <dt>"Embedded"</dt><dd data-testid="env-embedded">{if facts.embedded { "yes, in a frame" } else { "no" }}</dd>
                <dt>"Thread pool"</dt><dd>{pool}</dd>
                <dt>"Service worker"</dt><dd>{service_worker}</dd>
                <dt>"Memory now"</dt>
                <dd>
                    <span data-testid="env-live-heap" data-bytes=move || memory_now.get().1.to_string()>
                        {move || format!("live heap {}", bytes(memory_now.get().1))}
                    </span>", "
                    <span data-testid="env-wasm-memory" data-bytes=move || memory_now.get().0.to_string()>
                        {move || format!("wasm memory {}", bytes(memory_now.get().0))}
                    </span>
                    " (this page's instance, read every second)"
                </dd>
            </dl>
        </section>
    }
}
