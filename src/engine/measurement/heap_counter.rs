//! A global allocator wrapper that counts live heap bytes and their peak.
//!
//! It is the browser analog of memory_profiler's RSS line for the heap: every
//! thread of one wasm instance shares the counters (they live in the shared
//! memory), and each worker instance of the `workers` model has its own.
//! Two relaxed atomics per allocation: cheap next to any real allocation.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

static LIVE_BYTES: AtomicU64 = AtomicU64::new(0);
static PEAK_BYTES: AtomicU64 = AtomicU64::new(0);

/// Wraps an allocator and counts what passes through it.
pub struct CountingAllocator<A>(pub A);

// SAFETY: every call is forwarded unchanged to the wrapped allocator; the
// counters only observe sizes.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAllocator<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { self.0.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size() as u64);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { self.0.alloc_zeroed(layout) };
        if !pointer.is_null() {
            grew(layout.size() as u64);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { self.0.dealloc(pointer, layout) };
        LIVE_BYTES.fetch_sub(layout.size() as u64, Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { self.0.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size as u64 >= layout.size() as u64 {
                grew(new_size as u64 - layout.size() as u64);
            } else {
                LIVE_BYTES.fetch_sub(layout.size() as u64 - new_size as u64, Relaxed);
            }
        }
        moved
    }
}

fn grew(bytes: u64) {
    let live = LIVE_BYTES.fetch_add(bytes, Relaxed) + bytes;
    PEAK_BYTES.fetch_max(live, Relaxed);
}

/// Bytes currently allocated through the global allocator.
pub fn live_heap_bytes() -> u64 {
    LIVE_BYTES.load(Relaxed)
}

/// The highest `live_heap_bytes` since the last [`reset_peak`].
pub fn peak_live_heap_bytes() -> u64 {
    PEAK_BYTES.load(Relaxed)
}

/// Starts a new peak window at the current live size (before a model runs).
pub fn reset_peak() {
    PEAK_BYTES.store(LIVE_BYTES.load(Relaxed), Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_allocation_shows_in_live_and_peak() {
        // Other tests allocate concurrently, so compare with a margin far
        // smaller than the 64 MiB this test holds.
        const HELD: u64 = 64 << 20;
        let before = live_heap_bytes();
        let block = vec![1u8; HELD as usize];
        assert!(live_heap_bytes() >= before + HELD / 2);
        assert!(peak_live_heap_bytes() >= HELD);
        drop(block);
        assert!(live_heap_bytes() < before + HELD / 2);
    }
}
