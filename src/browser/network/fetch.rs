//! The engine's async [`Fetcher`] in the browser: `fetch()` through
//! gloo-net, on the page and inside worker instances alike.
//!
//! One client per model run, as the posts should have had: the browser's
//! network stack is the shared session (one connection pool per origin),
//! and one `AbortController` per run lets Stop abort every request in
//! flight at once. Each request also gets its own timeout.

use crate::browser::platform::clock::CLOCK;
use crate::browser::platform::js_error::{describe_js_error, name_and_message};
use crate::engine::io::fetch::{FetchOutcome, Fetcher};
use crate::engine::measurement::probes::Clock;
use crate::engine::measurement::records::FetchErrorKind;
use gloo_net::http::Request;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestCache};

pub struct PageFetcher {
    controller: AbortController,
    timeout_ms: u32,
    stamp_send_time: bool,
}

/// The header that tells the latency source when a request was sent
/// (`performance.timeOrigin + now()`), so it answers `latency_ms` after
/// that, not after the browser got round to delivering it (www/sw.js).
/// Only ever sent to the page's own origin: on another origin a custom
/// header would cost a CORS preflight.
pub const SENT_AT_HEADER: &str = "X-Playground-Sent-At";

impl PageFetcher {
    /// `stamp_send_time`: add [`SENT_AT_HEADER`] (the latency source only).
    pub fn new(timeout_ms: u32, stamp_send_time: bool) -> Result<Self, String> {
        let controller = AbortController::new().map_err(|e| describe_js_error(&e))?;
        Ok(Self { controller, timeout_ms, stamp_send_time })
    }

    /// Aborts every request of this run still in flight (Stop).
    pub fn abort(&self) {
        self.controller.abort();
    }
}

impl Fetcher for PageFetcher {
    async fn fetch(&self, url: &str) -> FetchOutcome {
        // Aborted by Stop (an AbortError) or by the timeout (a TimeoutError),
        // whichever comes first; the rejection says which.
        let signals = js_sys::Array::of2(&self.controller.signal(), &AbortSignal::timeout_with_u32(self.timeout_ms));
        let signal = AbortSignal::any(&signals);
        // no-store: every request goes to the source, none is answered by
        // the HTTP cache, so no model is helped by another's run.
        let mut request = Request::get(url).cache(RequestCache::NoStore).abort_signal(Some(&signal));
        if self.stamp_send_time {
            request = request.header(SENT_AT_HEADER, &format!("{:.3}", CLOCK.now_ms()));
        }
        let sent = request.send().await;
        let response = match sent {
            Ok(response) => response,
            Err(gloo_net::Error::JsError(error)) => return outcome_of_error(&error.name, &error.message),
            Err(other) => return FetchOutcome::failed(FetchErrorKind::Network, other.to_string()),
        };
        let status = response.status();
        // Count the body without copying it into wasm memory: it is the
        // browser's to hold, as a real client's buffers would be.
        let raw: web_sys::Response = response.into();
        let body = match raw.array_buffer() {
            Ok(promise) => JsFuture::from(promise).await,
            Err(error) => Err(error),
        };
        match body {
            Ok(buffer) => {
                let bytes = buffer.dyn_into::<js_sys::ArrayBuffer>().map(|b| b.byte_length() as u64).unwrap_or(0);
                FetchOutcome::ok(status, bytes)
            }
            Err(error) => {
                let (name, message) = name_and_message(&error);
                outcome_of_error(&name, &message)
            }
        }
    }
}

/// What a failed `fetch()` (or body read) means, by the error's name.
/// A CORS refusal and an unreachable host are the same `TypeError` to the
/// page (the Fetch standard hides which); the executor tells them apart
/// afterwards where it can (see `executor::diagnose_network_failures`).
pub fn outcome_of_error(name: &str, message: &str) -> FetchOutcome {
    let kind = match name {
        "TimeoutError" => FetchErrorKind::Timeout,
        "AbortError" => FetchErrorKind::Cancelled,
        _ => FetchErrorKind::Network,
    };
    FetchOutcome::failed(kind, format!("{name}: {message}"))
}
