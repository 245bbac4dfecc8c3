//! What a model run measures with, as traits: a clock shared by all threads
//! and a probe of the instance's memory. The browser layer implements them
//! with `performance.timeOrigin + performance.now()` and the wasm memory
//! size; `NativeClock`/`NativeMemory` serve `cargo test`.

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// Milliseconds on one time line for every thread and every worker instance.
///
/// Each Web Worker has its own `performance.timeOrigin`, so the browser
/// implementation adds it to `now()`; times from different workers are then
/// comparable (to the timer resolution).
pub trait Clock: Sync {
    fn now_ms(&self) -> f64;
}

/// Memory of the running instance: its linear memory and live heap bytes.
pub trait MemoryProbe: Sync {
    /// Size of the wasm linear memory (natively: 0, there is none).
    fn wasm_memory_bytes(&self) -> u64;
    fn live_heap_bytes(&self) -> u64 {
        super::heap_counter::live_heap_bytes()
    }
    fn peak_live_heap_bytes(&self) -> u64 {
        super::heap_counter::peak_live_heap_bytes()
    }
    fn reset_peak(&self) {
        super::heap_counter::reset_peak()
    }
    /// The JavaScript heap of this thread's realm, where the browser tells
    /// (`performance.memory`, Chromium's page only); `None` elsewhere.
    fn js_heap_bytes(&self) -> Option<u64> {
        None
    }
}

/// `std::time::Instant` on a process-wide origin, for native runs and tests.
pub struct NativeClock;

impl Clock for NativeClock {
    fn now_ms(&self) -> f64 {
        use std::sync::OnceLock;
        use std::time::Instant;
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}

/// Natively there is no linear memory to report; the heap counters still work.
pub struct NativeMemory;

impl MemoryProbe for NativeMemory {
    fn wasm_memory_bytes(&self) -> u64 {
        0
    }
}

static NEXT_THREAD_ID: AtomicU32 = AtomicU32::new(1);

thread_local! {
    static THREAD_ID: Cell<u32> = const { Cell::new(0) };
}

/// A small number naming the calling thread, distinct among all threads of
/// this instance. `threads_used` counts these, so it reports the threads that
/// really ran tasks, not the pool size that was asked for.
pub fn thread_id() -> u32 {
    THREAD_ID.with(|id| {
        if id.get() == 0 {
            id.set(NEXT_THREAD_ID.fetch_add(1, Relaxed));
        }
        id.get()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_ids_differ_between_threads_and_stay_put_within_one() {
        let here = thread_id();
        assert_eq!(thread_id(), here);
        let there = std::thread::spawn(thread_id).join().unwrap();
        assert_ne!(here, there);
    }
}
