//! Awaitable timers for the main thread: the ways a run yields to the event
//! loop so the page can paint and the heartbeat can tick (and the `async`
//! model's yield after each task).

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Resolves after `ms` milliseconds (a macrotask: input and timers run first).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves after the next frame has been painted: requestAnimationFrame
/// runs before paint, and the timeout queued from it runs after.
pub async fn after_next_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        let after_frame = Closure::once_into_js(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 0);
            }
        });
        let _ = window.request_animation_frame(after_frame.unchecked_ref());
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves at the next animation frame with its timestamp (ms on the
/// page's clock): a replay advances its cursor once per frame.
pub async fn next_frame() -> f64 {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| match web_sys::window() {
        Some(window) => {
            let _ = window.request_animation_frame(resolve.unchecked_ref());
        }
        None => {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    JsFuture::from(promise).await.ok().and_then(|stamp| stamp.as_f64()).unwrap_or(0.0)
}

/// Resolves in a task of its own, after whatever the event loop has queued
/// (timers, input, a frame to paint): the `async` model's
/// `await asyncio.sleep(0)`. A posted message, not `setTimeout(0)`, which
/// browsers clamp to 4 ms once timeouts nest (HTML: timer initialisation
/// steps), and which would make each yield cost 4 ms.
pub async fn yield_to_event_loop() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let Ok(channel) = web_sys::MessageChannel::new() else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
        let _ = channel.port2().post_message(&JsValue::NULL);
    });
    let _ = JsFuture::from(promise).await;
}

/// Calls `then` once, in a task of its own after this one (a `setTimeout`
/// of 0: the first of a chain is not clamped).
pub fn after_a_task(then: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(then);
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 0);
    }
}

/// Calls `tick` every `period_ms` on this thread's event loop until dropped
/// (the IO models' memory sampler: while requests are pending, nothing else
/// runs to take a sample).
pub struct Interval {
    id: i32,
    _tick: Closure<dyn Fn()>,
}

impl Interval {
    pub fn every(period_ms: i32, tick: impl Fn() + 'static) -> Option<Self> {
        let tick = Closure::<dyn Fn()>::new(tick);
        let window = web_sys::window()?;
        let id = window
            .set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), period_ms)
            .ok()?;
        Some(Self { id, _tick: tick })
    }
}

impl Drop for Interval {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.clear_interval_with_handle(self.id);
        }
    }
}
