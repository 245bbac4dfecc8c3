//! The engine's clock and memory probe, implemented for every thread of a
//! wasm instance (the page, pool workers and worker instances alike), and
//! the few readings the UI shows from them. The UI reads no clock itself.

use crate::browser::platform::js_error::field;
use crate::engine::measurement::probes::{Clock, MemoryProbe};
use crate::engine::measurement::run_window::LiveCount;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `performance` is a global in windows and workers alike.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(thread_local_v2, js_namespace = performance, js_name = timeOrigin)]
    static TIME_ORIGIN: f64;
}

/// `performance.timeOrigin + performance.now()`: each worker has its own
/// time origin (HR-Time spec), so `now()` alone is not comparable across
/// threads; the sum is, to the timer's resolution.
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        TIME_ORIGIN.with(|origin| *origin) + performance_now()
    }
}

/// Linear memory from `memory.size` (read in wasm, no JS call), the live
/// heap from the counting allocator, and the page's JS heap where Chromium
/// tells it.
pub struct WasmMemory;

impl MemoryProbe for WasmMemory {
    fn wasm_memory_bytes(&self) -> u64 {
        core::arch::wasm32::memory_size::<0>() as u64 * 65536
    }

    /// `performance.memory.usedJSHeapSize`: non-standard, Chromium's page
    /// only (undefined in workers and other browsers), and coarse: Chromium
    /// refreshes it only every so often (about 100 ms seen here), so it
    /// shows trends, not single requests.
    fn js_heap_bytes(&self) -> Option<u64> {
        let memory = field(&field(&js_sys::global(), "performance"), "memory");
        field(&memory, "usedJSHeapSize").as_f64().map(|bytes| bytes as u64)
    }
}

pub static CLOCK: BrowserClock = BrowserClock;
pub static MEMORY: WasmMemory = WasmMemory;

/// `(wasm_memory_bytes, live_heap_bytes)` of this instance now, for the
/// page's "memory now" read-out.
pub fn instance_memory_bytes() -> (u64, u64) {
    (MEMORY.wasm_memory_bytes(), MEMORY.live_heap_bytes())
}

/// How long the current run has gone, on the one clock, for the progress line.
pub fn live_elapsed_ms(live: &LiveCount) -> f64 {
    CLOCK.now_ms() - live.origin_ms()
}

/// `[wasm_memory_bytes, live_heap_bytes]` of this instance now: for tests
/// of long sessions (`window.wasmBindings.memory_now()`), read-only.
#[wasm_bindgen]
pub fn memory_now() -> Vec<f64> {
    let (wasm, heap) = instance_memory_bytes();
    vec![wasm as f64, heap as f64]
}
