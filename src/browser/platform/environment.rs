//! Facts about the browser that decide what can run, go into results, and
//! fill the environment panel: isolation, cores, the timer's resolution,
//! whether the page is framed, its protocol, and whether the tab was hidden.

use crate::browser::platform::js_error::field;
use crate::engine::reporting::results::Environment;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `crossOriginIsolated` is not in web-sys' Window yet; it is a global.
    #[wasm_bindgen(thread_local_v2, js_name = crossOriginIsolated)]
    static CROSS_ORIGIN_ISOLATED: Option<bool>;
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// SharedArrayBuffer (and so every threaded model) needs this to be true:
/// the page must be served with COOP `same-origin` and COEP `require-corp`.
pub fn cross_origin_isolated() -> bool {
    CROSS_ORIGIN_ISOLATED.with(|isolated| isolated.unwrap_or(false))
}

thread_local! {
    static SHARED_MEMORY: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Whether threads can share this instance's memory here: the page is
/// cross-origin isolated, the browser offers SharedArrayBuffer, and a shared
/// wasm memory can be sent to another thread. Isolation alone is not enough:
/// WebKit (Safari's engine) reports `crossOriginIsolated` and has no
/// SharedArrayBuffer, and sending it a shared memory throws a DataCloneError.
/// Decided once, by trying.
pub fn shared_memory() -> bool {
    if let Some(known) = SHARED_MEMORY.with(Cell::get) {
        return known;
    }
    let usable = cross_origin_isolated() && shared_memory_can_be_sent();
    SHARED_MEMORY.with(|cell| cell.set(Some(usable)));
    usable
}

fn shared_memory_can_be_sent() -> bool {
    let global = js_sys::global();
    if !js_sys::Reflect::has(&global, &"SharedArrayBuffer".into()).unwrap_or(false) {
        return false;
    }
    let descriptor = js_sys::Object::new();
    for (key, value) in [("initial", JsValue::from(1)), ("maximum", JsValue::from(1)), ("shared", JsValue::TRUE)] {
        let _ = js_sys::Reflect::set(&descriptor, &key.into(), &value);
    }
    let Ok(memory) = js_sys::WebAssembly::Memory::new(&descriptor) else { return false };
    let Ok(channel) = web_sys::MessageChannel::new() else { return false };
    let sent = channel.port1().post_message(&memory).is_ok();
    channel.port1().close();
    sent
}

/// Why threads cannot share one memory here, in a sentence, or `None`.
pub fn no_shared_memory_reason() -> Option<String> {
    if shared_memory() {
        return None;
    }
    Some(match isolation_note() {
        Some(note) => note,
        None => "This browser offers no SharedArrayBuffer here, even cross-origin isolated (WebKit, Safari's engine, does not), so no two threads can share one memory."
            .to_string(),
    })
}

pub fn hardware_concurrency() -> u32 {
    web_sys::window().map(|w| w.navigator().hardware_concurrency() as u32).unwrap_or(1).max(1)
}

pub fn user_agent() -> String {
    web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default()
}

/// Whether the page runs inside a frame (an embed in a tutorial).
pub fn embedded() -> bool {
    let Some(window) = web_sys::window() else { return false };
    match window.top() {
        Ok(Some(top)) => top != window,
        // A cross-origin parent can still be compared; an error means framed.
        _ => true,
    }
}

/// Why the page is not cross-origin isolated, in a sentence, or `None`.
pub fn isolation_note() -> Option<String> {
    if cross_origin_isolated() {
        return None;
    }
    Some(if embedded() {
        "This page runs in a frame whose embedding page is not cross-origin isolated, so it cannot be either."
            .to_string()
    } else {
        "The server sent this page without the headers Cross-Origin-Opener-Policy: same-origin and \
         Cross-Origin-Embedder-Policy: require-corp."
            .to_string()
    })
}

thread_local! {
    static TIMER_RESOLUTION_MS: Cell<Option<f64>> = const { Cell::new(None) };
}

/// The smallest step of `performance.now()`, measured once (a few hundred
/// microseconds of spinning): 5 µs when isolated, 100 µs otherwise in
/// Chromium (coarsened against timing attacks).
pub fn timer_resolution_ms() -> Option<f64> {
    if let Some(known) = TIMER_RESOLUTION_MS.with(Cell::get) {
        return Some(known);
    }
    let mut smallest = f64::INFINITY;
    let mut previous = performance_now();
    let deadline = previous + 5.0;
    let mut steps = 0;
    while steps < 20 {
        let now = performance_now();
        if now > previous {
            smallest = smallest.min(now - previous);
            previous = now;
            steps += 1;
        }
        if now > deadline {
            break;
        }
    }
    let measured = smallest.is_finite().then_some((smallest * 1e6).round() / 1e6);
    TIMER_RESOLUTION_MS.with(|cell| cell.set(measured));
    measured
}

/// `nextHopProtocol` of the page's own navigation (h2, http/1.1, ...).
pub fn page_protocol() -> Option<String> {
    let performance = field(&js_sys::global(), "performance");
    let entries = js_sys::Reflect::get(&performance, &"getEntriesByType".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&performance, &"navigation".into()).ok())?;
    let entry = js_sys::Array::from(&entries).get(0);
    field(&entry, "nextHopProtocol").as_string().filter(|p| !p.is_empty())
}

thread_local! {
    static HIDDEN_SINCE_MARK: Cell<bool> = const { Cell::new(false) };
}

/// Starts noting whether the tab gets hidden (once per page).
pub fn watch_visibility() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let on_change = Closure::<dyn Fn()>::new(|| {
        let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
        if hidden {
            HIDDEN_SINCE_MARK.with(|cell| cell.set(true));
        }
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", on_change.as_ref().unchecked_ref());
    on_change.forget();
}

/// Forgets earlier hiding (a run starts); true if the tab is hidden now.
pub fn mark_visibility() {
    let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
    HIDDEN_SINCE_MARK.with(|cell| cell.set(hidden));
}

/// Whether the tab was hidden since [`mark_visibility`].
pub fn hidden_since_mark() -> bool {
    HIDDEN_SINCE_MARK.with(Cell::get)
}

pub fn environment() -> Environment {
    Environment {
        cross_origin_isolated: cross_origin_isolated(),
        shared_memory: shared_memory(),
        hardware_concurrency: hardware_concurrency(),
        user_agent: user_agent(),
        timer_resolution_ms: timer_resolution_ms(),
        embedded: embedded(),
        page_protocol: page_protocol(),
        tab_hidden_during_run: false,
    }
}
