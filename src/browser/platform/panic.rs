//! What happens when Rust code panics or runs out of memory, on any thread
//! or instance: the message goes to the console (as console_error_panic_hook
//! writes it), is kept where the page's main thread can read it (a static in
//! the shared memory: a pool thread that dies cannot answer, so the page
//! looks here instead of waiting forever), and leaves the instance before
//! it aborts (`panic_report.js`: a worker posts it to the page; on the page
//! the crash screen shows it). With panic=abort nothing unwinds: a thread
//! that panicked is gone, and a pool with a dead thread cannot be trusted.

use std::sync::atomic::{AtomicPtr, Ordering};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/browser/platform/panic_report.js")]
extern "C" {
    #[wasm_bindgen(js_name = reportPanic)]
    fn report_panic(message: &str);
}

/// The first fatal message of this instance (any of its threads).
static FATAL: AtomicPtr<String> = AtomicPtr::new(std::ptr::null_mut());

fn record(message: String) {
    let boxed = Box::into_raw(Box::new(message));
    // Only the first is kept (and never freed: the instance is failing).
    if FATAL.compare_exchange(std::ptr::null_mut(), boxed, Ordering::AcqRel, Ordering::Acquire).is_err() {
        // SAFETY: `boxed` was not published.
        drop(unsafe { Box::from_raw(boxed) });
    }
}

/// The fatal message of a thread of this instance, if one died.
pub fn fatal_message() -> Option<String> {
    let pointer = FATAL.load(Ordering::Acquire);
    // SAFETY: published once by `record`, never freed.
    (!pointer.is_null()).then(|| unsafe { (*pointer).clone() })
}

/// Installs the hooks on the calling thread's instance (every thread and
/// instance starts the module, so each calls this).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = format!("{info}");
        record(message.clone());
        report_panic(&message);
    }));
    // Nightly's alloc_error_hook (wasm builds only): a failed allocation
    // says what it was before the abort, instead of a bare trap.
    std::alloc::set_alloc_error_hook(|layout| {
        let message = format!(
            "memory exhausted: an allocation of {} MiB failed (the wasm memory may grow to 1 GiB)",
            layout.size() >> 20
        );
        web_sys::console::error_1(&JsValue::from_str(&message));
        record(message.clone());
        report_panic(&message);
    });
}
