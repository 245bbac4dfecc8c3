//! A run's trace opened in Perfetto's UI, by the handshake Perfetto
//! documents for this ("Opening a trace via postMessage", perfetto.dev/docs
//! /visualization/deep-linking-to-perfetto-ui): open ui.perfetto.dev in a
//! new tab, post it `PING` until it answers `PONG` (its page must have
//! loaded its listener first), then post `{perfetto: {buffer, title, url}}`.
//! The trace's bytes are the export's (`reporting::export::trace_events`).
//!
//! A cross-origin isolated page cannot: its `Cross-Origin-Opener-Policy:
//! same-origin` puts a tab of another site in another browsing context
//! group, and the handle `window.open` returns is closed at once (Perfetto's
//! docs say as much). So the hand-over works from a page that is not
//! isolated, and from an embed (a frame's opener policy is its tutorial
//! page's); an isolated page says why not, with the trace a download away.

use crate::browser::platform::environment::cross_origin_isolated;
use crate::browser::platform::js_error::describe_js_error;
use crate::browser::platform::timers::sleep_ms;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

pub const PERFETTO_UI: &str = "https://ui.perfetto.dev";

/// What an isolated page says instead.
const SEVERED: &str = "Perfetto opened in a new tab, but this page is cross-origin isolated (for the threads), so the browser \
                       keeps it from talking to a tab of another site. Download the timeline trace and drop it on Perfetto's page; \
                       from an embed, or a page that is not isolated, the trace goes across by itself.";

/// How long to wait for Perfetto's `PONG`: its UI loads megabytes first.
const HANDSHAKE_TIMEOUT_MS: f64 = 60_000.0;
const PING_EVERY_MS: i32 = 100;

/// Opens Perfetto's UI in a new tab. Call it in the click's own handler: a
/// browser blocks a tab opened later, outside the user's gesture.
pub fn open_tab() -> Result<web_sys::Window, String> {
    let window = web_sys::window().ok_or("no window")?;
    window
        .open_with_url_and_target(&format!("{PERFETTO_UI}/"), "_blank")
        .map_err(|e| describe_js_error(&e))?
        .ok_or_else(|| {
            "The browser blocked the new tab: allow pop-ups for this page, or download the trace.".to_string()
        })
}

/// PINGs the tab until it answers PONG, then hands it `trace_json` titled `title`.
pub async fn hand_over(tab: web_sys::Window, trace_json: String, title: String) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let answered = Rc::new(Cell::new(false));
    let listener = {
        let (answered, tab) = (answered.clone(), JsValue::from(tab.clone()));
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let from_tab = event.source().is_some_and(|source| JsValue::from(source) == tab);
            if from_tab && event.origin() == PERFETTO_UI && event.data().as_string().as_deref() == Some("PONG") {
                answered.set(true);
            }
        })
    };
    window
        .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
        .map_err(|e| describe_js_error(&e))?;
    let clock = window.performance().ok_or("no performance clock")?;
    let started_ms = clock.now();
    // The handle of a severed tab reads closed once the tab has left
    // about:blank for Perfetto's site: from then on nothing reaches it.
    let mut severed = false;
    while !answered.get() {
        if tab.closed().unwrap_or(true) {
            severed = cross_origin_isolated();
            break;
        }
        if clock.now() - started_ms > HANDSHAKE_TIMEOUT_MS {
            break;
        }
        // Posting to a tab still on another origin (about:blank) throws; it is tried again.
        let _ = tab.post_message(&JsValue::from_str("PING"), PERFETTO_UI);
        sleep_ms(PING_EVERY_MS).await;
    }
    let _ = window.remove_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    if severed {
        return Err(SEVERED.to_string());
    }
    if !answered.get() {
        return Err(
            "Perfetto did not answer (the tab was closed, or it could not load): download the trace and open it there."
                .to_string(),
        );
    }
    let buffer = js_sys::Uint8Array::from(trace_json.as_bytes()).buffer();
    let inner = js_sys::Object::new();
    let set = |object: &js_sys::Object, key: &str, value: &JsValue| js_sys::Reflect::set(object, &key.into(), value);
    set(&inner, "buffer", &JsValue::from(buffer)).map_err(|e| describe_js_error(&e))?;
    set(&inner, "title", &JsValue::from(title)).map_err(|e| describe_js_error(&e))?;
    let url = window.location().href().unwrap_or_default();
    set(&inner, "url", &JsValue::from(url)).map_err(|e| describe_js_error(&e))?;
    let message = js_sys::Object::new();
    set(&message, "perfetto", &JsValue::from(inner)).map_err(|e| describe_js_error(&e))?;
    tab.post_message(&message, PERFETTO_UI).map_err(|e| describe_js_error(&e))
}
