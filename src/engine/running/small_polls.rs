//! Futures behind a pointer, so that every poll of a run goes through
//! small functions: what it is and why; it stops at the one helper.
//!
//! An `async fn` becomes one state machine whose `poll` inlines every
//! future it awaits. The page polls its run chain on every event (each
//! worker instance's reply, each finished request, each yield), and V8
//! compiles a hot wasm function to its top tier on a background thread
//! (dynamic tiering). With every model's code inlined into the scheduler's
//! `run_model`, that one function was 46 KB of wasm and took 97 ms to
//! compile; `BrowserExecutor::run`, the next, 52 ms (V8's
//! `--trace-wasm-compilation-times`, 2 cores). The compile started
//! whenever its budget ran out, usually in the middle of a measured run,
//! where it took one of the run's two cores. Boxed as `dyn Future`, each
//! awaited part is its own function, polled through a vtable for the cost
//! of one allocation per run.

use std::future::Future;
use std::pin::Pin;

/// `future` behind a pointer, polled through its vtable (see above).
pub fn boxed<'a, T>(future: impl Future<Output = T> + 'a) -> Pin<Box<dyn Future<Output = T> + 'a>> {
    Box::pin(future)
}
