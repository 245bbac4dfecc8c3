//! A run's trace opened in Perfetto's UI, by the handshake Perfetto
//! documents for this ("Opening a trace via postMessage", perfetto.dev/docs
//! /visualization/deep-linking-to-perfetto-ui): open ui.perfetto.dev in a
//! new tab, post it `PING` until it answers `PONG` (its page must have
//! loaded its listener first), then post `{perfetto: {buffer, title, url}}`.
//! The trace's bytes are the export's (`reporting::export::trace_events`).
//!
//! A cross-origin isolated page cannot: its `Cross-Origin-Opener-Policy:
//! same-origin` puts a tab of another site in another browsing context
//! group, and the handle `window.open` returns reads closed (Perfetto's
//! docs say as much). So an isolated page at the top opens the relay
//! instead (`perfetto.html`, same origin, which the service worker serves
//! without isolation): the trace goes to it over a BroadcastChannel, and it
//! frames Perfetto's UI and does the same handshake with the frame. An
//! embed, or a page that is not isolated, talks to Perfetto's tab itself.

use crate::browser::platform::environment::{cross_origin_isolated, embedded};
use crate::browser::platform::js_error::describe_js_error;
use crate::browser::platform::page;
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

/// The relay, beside the page.
const RELAY_PAGE: &str = "perfetto.html";
/// How long to wait for the relay to take the trace.
const RELAY_TIMEOUT_MS: i32 = 30_000;

/// Where the trace goes: Perfetto's own tab, or the relay's (its channel).
pub enum PerfettoTab {
    Direct(web_sys::Window),
    Relay(String),
}

/// Whether this page's opener policy severs a tab of another site.
fn severs_other_sites() -> bool {
    cross_origin_isolated() && !embedded()
}

/// Opens Perfetto's UI (or the relay) in a new tab. Call it in the click's
/// own handler: a browser blocks a tab opened later, outside the gesture.
pub fn open_tab() -> Result<PerfettoTab, String> {
    let window = web_sys::window().ok_or("no window")?;
    let blocked = || "The browser blocked the new tab: allow pop-ups for this page, or download the trace.".to_string();
    if severs_other_sites() {
        let id = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
        window
            .open_with_url_and_target(&format!("{}{RELAY_PAGE}#{id}", page::base_url()), "_blank")
            .map_err(|e| describe_js_error(&e))?
            .ok_or_else(blocked)?;
        return Ok(PerfettoTab::Relay(id));
    }
    let tab = window
        .open_with_url_and_target(&format!("{PERFETTO_UI}/"), "_blank")
        .map_err(|e| describe_js_error(&e))?
        .ok_or_else(blocked)?;
    Ok(PerfettoTab::Direct(tab))
}

/// Hands `trace_json`, titled `title`, to the tab `open_tab` opened.
pub async fn hand_over(tab: PerfettoTab, trace_json: String, title: String) -> Result<(), String> {
    match tab {
        PerfettoTab::Direct(tab) => hand_to_perfetto(tab, trace_json, title).await,
        PerfettoTab::Relay(id) => hand_to_relay(&id, &trace_json, title).await,
    }
}

/// The relay says `{ready}` (again and again until it has the trace); the
/// message for Perfetto goes once, and the relay says `{received}`.
async fn hand_to_relay(id: &str, trace_json: &str, title: String) -> Result<(), String> {
    let channel = web_sys::BroadcastChannel::new(&format!("concurrency-playground:perfetto:{id}"))
        .map_err(|e| describe_js_error(&e))?;
    let (ready, received) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
    let listener = {
        let (ready, received) = (ready.clone(), received.clone());
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let flag = |key: &str| js_sys::Reflect::get(&data, &key.into()).is_ok_and(|value| value.is_truthy());
            ready.set(ready.get() || flag("ready"));
            received.set(received.get() || flag("received"));
        })
    };
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    let (mut waited_ms, mut sent) = (0, false);
    while !received.get() && waited_ms < RELAY_TIMEOUT_MS {
        if ready.get() && !sent {
            channel.post_message(&perfetto_message(trace_json, &title)?).map_err(|e| describe_js_error(&e))?;
            sent = true;
        }
        sleep_ms(PING_EVERY_MS).await;
        waited_ms += PING_EVERY_MS;
    }
    channel.set_onmessage(None);
    channel.close();
    match received.get() {
        true => Ok(()),
        false => Err("The Perfetto tab did not take the trace (was it closed?): download the trace and open it there."
            .to_string()),
    }
}

/// What Perfetto takes: `{perfetto: {buffer, title, url}}`, the trace's
/// bytes as an ArrayBuffer. The relay passes it on as it is.
fn perfetto_message(trace_json: &str, title: &str) -> Result<JsValue, String> {
    let set = |object: &js_sys::Object, key: &str, value: JsValue| {
        js_sys::Reflect::set(object, &key.into(), &value).map(|_| ()).map_err(|e| describe_js_error(&e))
    };
    let inner = js_sys::Object::new();
    set(&inner, "buffer", js_sys::Uint8Array::from(trace_json.as_bytes()).buffer().into())?;
    set(&inner, "title", title.into())?;
    // The page's whole address: its query reproduces the run.
    let href = web_sys::window().and_then(|window| window.location().href().ok()).unwrap_or_default();
    set(&inner, "url", href.into())?;
    let message = js_sys::Object::new();
    set(&message, "perfetto", inner.into())?;
    Ok(message.into())
}

/// PINGs Perfetto's tab until it answers PONG, then hands it the trace.
async fn hand_to_perfetto(tab: web_sys::Window, trace_json: String, title: String) -> Result<(), String> {
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
    tab.post_message(&perfetto_message(&trace_json, &title)?, PERFETTO_UI).map_err(|e| describe_js_error(&e))
}
