//! A blocking request: a synchronous XMLHttpRequest (see `thread_worker.js`,
//! allowed in workers only), as a thread blocked in `requests.get`. Used by
//! the IO `threads` model's threads and by `procs`' worker instances.
//!
//! Each blocking thread has a state word in its instance's memory: while a
//! request is in JS only, the word says `BLOCKED`, and only then may the
//! page terminate the thread (no lock of a shared heap can be held there;
//! `threads.rs`). A worker instance keeps a word of its own, which nobody
//! else reads: it shares no memory, so Stop terminates it outright.

use super::js_error::field;
use crate::engine::io::fetch::{BlockingFetcher, FetchOutcome};
use crate::engine::measurement::records::FetchErrorKind;
use std::cell::Cell;
use std::sync::atomic::AtomicU32;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/browser/thread_worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = blockingGet)]
    fn blocking_get(url: &str, timeout_ms: u32, stamp_send_time: bool, memory: &JsValue, state_address: u32)
        -> JsValue;
}

// A blocking thread's state word (mirrored in thread_worker.js).
/// Running Rust code (it may hold a lock): never terminated.
pub const RUNNING: u32 = 0;
/// Inside a blocking request, in JS only: safe to terminate.
pub const BLOCKED: u32 = 1;
/// Terminated by the page; the thread will never run Rust code again.
pub const KILLED: u32 = 2;

thread_local! {
    /// The state word of the blocking loop running on this thread (0: none).
    static STATE_ADDRESS: Cell<u32> = const { Cell::new(0) };
}

/// Runs `body` with the state word at `address` (a pool thread's job,
/// whose word the page watches).
pub fn with_state_word<T>(address: u32, body: impl FnOnce() -> T) -> T {
    STATE_ADDRESS.with(|current| current.set(address));
    let outcome = body();
    STATE_ADDRESS.with(|current| current.set(0));
    outcome
}

/// Runs `body` with a state word of this thread's own, for blocking
/// requests made outside a pool job: a worker instance (`procs`), whose
/// memory the page never reads, so nothing ever marks it killed; Stop
/// terminates such an instance instead.
pub fn with_own_state_word<T>(body: impl FnOnce() -> T) -> T {
    let state = Box::new(AtomicU32::new(RUNNING));
    with_state_word(state.as_ref() as *const AtomicU32 as u32, body)
}

/// The blocking fetcher of a thread inside a job (or of a worker instance
/// inside [`with_own_state_word`]).
pub struct SyncXhr {
    pub timeout_ms: u32,
    /// Tell the latency source when each request was sent (see network.rs).
    pub stamp_send_time: bool,
}

impl BlockingFetcher for SyncXhr {
    fn fetch_blocking(&self, url: &str) -> FetchOutcome {
        let state_address = STATE_ADDRESS.with(Cell::get);
        let result = blocking_get(url, self.timeout_ms, self.stamp_send_time, &wasm_bindgen::memory(), state_address);
        let number = |key: &str| field(&result, key).as_f64().unwrap_or(0.0);
        match field(&result, "errorName").as_string() {
            None => FetchOutcome::ok(number("status") as u16, number("bytes") as u64),
            Some(name) => {
                let message = field(&result, "message").as_string().unwrap_or_default();
                let kind = match name.as_str() {
                    "TimeoutError" => FetchErrorKind::Timeout,
                    "AbortError" => FetchErrorKind::Cancelled,
                    _ => FetchErrorKind::Network,
                };
                FetchOutcome::failed(kind, format!("{name}: {message}"))
            }
        }
    }
}
