//! The playground's service worker (`www/sw.js`, the IO latency source):
//! registers it and tells when it controls the page, or why it cannot.

use crate::browser::platform::js_error::{describe_js_error, field};
use crate::browser::platform::timers::sleep_ms;
use futures_util::future::{select, Either};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Debug, PartialEq)]
pub enum ServiceWorkerState {
    Starting,
    /// It controls the page: latency-source requests are answered.
    Ready,
    Unavailable(String),
}

/// The script's URL relative to the page: the page's directory is its
/// scope, so the playground works under any sub-path.
const SCRIPT: &str = "sw.js";

/// How long to wait for the worker to take control before giving up.
const CONTROL_TIMEOUT_MS: i32 = 10_000;

/// Registers the service worker and waits until it controls this page.
pub async fn register() -> ServiceWorkerState {
    match try_register().await {
        Ok(()) => ServiceWorkerState::Ready,
        Err(reason) => ServiceWorkerState::Unavailable(reason),
    }
}

async fn try_register() -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let container = field(&window.navigator(), "serviceWorker");
    if container.is_undefined() || container.is_null() {
        return Err("This browser allows no service worker here (a private window, or a page served over plain \
             http from a host other than localhost), so the simulated latency source cannot run. The static \
             and url sources still work."
            .into());
    }
    let container: web_sys::ServiceWorkerContainer = container.unchecked_into();
    let registration = JsFuture::from(container.register(SCRIPT))
        .await
        .map_err(|error| format!("The service worker could not be registered: {}", describe_js_error(&error)))?;
    if container.controller().is_some() {
        return Ok(());
    }
    // A first visit: the worker claims the page once it activates. After a
    // hard reload (which bypasses service workers) it is already active and
    // will not claim again unless asked.
    let controlled = js_sys::Promise::new(&mut |resolve, _| {
        let _ = container.add_event_listener_with_callback("controllerchange", &resolve);
    });
    let active = field(&registration, "active");
    if !active.is_undefined() && !active.is_null() {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"concurrency-playground:claim".into());
        let _ = active.unchecked_into::<web_sys::ServiceWorker>().post_message(&message);
    }
    let waited = select(Box::pin(JsFuture::from(controlled)), Box::pin(sleep_ms(CONTROL_TIMEOUT_MS))).await;
    match waited {
        Either::Left(_) if container.controller().is_some() => Ok(()),
        _ => Err("The service worker did not take control of this page; reload it to use the simulated \
                  latency source."
            .into()),
    }
}
