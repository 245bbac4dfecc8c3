//! The rayon pool on Web Workers (wasm-bindgen-rayon) and the k-thread pools
//! the `rayon` model runs in.
//!
//! wasm-bindgen-rayon builds the global pool once per page and its size is
//! fixed (wasm-bindgen-rayon #20), so it is built with every thread this
//! browser offers, and a [`ThreadLimit`] keeps all but k of them out of a
//! run: `par_iter` is then plain rayon on exactly k Web Workers.
//!
//! The page's main thread never blocks here: it hands work over with
//! `spawn` and awaits a oneshot channel (Atomics.wait throws on the main
//! thread; wasm-bindgen-rayon #36). Nothing async runs inside rayon jobs:
//! rayon owns its workers' event loop (wasm-bindgen-rayon #23).

use crate::browser::platform::clock::{CLOCK, MEMORY};
use crate::browser::platform::js_error::describe_js_error;
use crate::browser::platform::panic;
use crate::browser::platform::timers::sleep_ms;
use crate::engine::measurement::probes::{Clock, MemoryProbe};
use futures_channel::oneshot;
use futures_util::future::{select, Either};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex};
use wasm_bindgen_futures::JsFuture;

/// What starting the global pool took.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolStart {
    pub ms: f64,
    /// What one pool thread holds: its stack and thread-locals, which each
    /// worker allocates from the shared heap before it reports ready.
    pub bytes_per_thread: u64,
}

/// Starts the global pool with `threads` Web Workers and returns how long
/// that took, on the engine's one clock. Call once per page, only when
/// cross-origin isolated (else workers cannot share the memory).
pub async fn start_global_pool(threads: usize) -> Result<PoolStart, String> {
    let (started_ms, heap_before) = (CLOCK.now_ms(), MEMORY.live_heap_bytes());
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads))
        .await
        .map(|_| PoolStart {
            ms: CLOCK.now_ms() - started_ms,
            bytes_per_thread: MEMORY.live_heap_bytes().saturating_sub(heap_before) / threads.max(1) as u64,
        })
        .map_err(|error| format!("The thread pool did not start: {}", describe_js_error(&error)))
}

/// Runs `job` on one thread of the global pool and awaits its result.
///
/// A pool thread that panics (or runs out of memory) aborts and never
/// answers, and with panic=abort nothing tells the pool: so the wait is
/// raced with a look, every 50 ms, at the panic hook's record of this
/// instance (`panic::fatal_message`).
pub async fn run_on_global_pool<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    if let Some(message) = panic::fatal_message() {
        return Err(pool_failed(&message));
    }
    let (sender, receiver) = oneshot::channel();
    rayon::spawn(move || {
        let _ = sender.send(job());
    });
    let watch = Box::pin(async {
        loop {
            sleep_ms(50).await;
            if let Some(message) = panic::fatal_message() {
                return message;
            }
        }
    });
    match select(receiver, watch).await {
        Either::Left((Ok(value), _)) => Ok(value),
        Either::Left((Err(_), _)) => Err("the worker thread stopped before answering (see the console)".to_string()),
        Either::Right((message, _)) => Err(pool_failed(&message)),
    }
}

/// What the page says once a thread of this instance has died.
pub fn pool_failed(message: &str) -> String {
    format!("A worker thread died ({message}). The thread pool cannot be trusted now: reload the page to restart it.")
}

/// Limits the global pool to k working threads for one model: the other
/// n - k threads are parked inside a job that sleeps on a condition variable
/// until released, so `par_iter` (run with [`run_on_global_pool`])
/// work-steals over exactly the k free threads. Parked threads use no CPU.
///
/// The main thread never touches the lock (a contended lock would
/// `Atomics.wait` there, which throws: wasm-bindgen-rayon #36): release is
/// itself a job, run by one of the k free threads.
///
/// Why not a separate k-thread `ThreadPool`: rayon lets a thread belong to
/// one registry only (`registry.rs`: "assertion failed: t.get().is_null()"),
/// so a pool cannot borrow the global pool's threads, and the global pool is
/// the only one wasm-bindgen-rayon builds.
pub struct ThreadLimit {
    gate: Arc<ParkingGate>,
}

#[derive(Default)]
struct ParkingGate {
    released: Mutex<bool>,
    wake: Condvar,
    parked: AtomicUsize,
}

impl ThreadLimit {
    /// Parks `pool_threads - threads` threads and waits (without blocking)
    /// until they are parked.
    pub async fn start(threads: usize, pool_threads: usize) -> Result<Self, String> {
        if threads == 0 || threads > pool_threads {
            return Err(format!("{threads} threads asked for, but the pool has {pool_threads}."));
        }
        let gate = Arc::new(ParkingGate::default());
        let to_park = pool_threads - threads;
        for _ in 0..to_park {
            let gate = gate.clone();
            rayon::spawn(move || {
                gate.parked.fetch_add(1, SeqCst);
                let mut released = gate.released.lock().unwrap_or_else(|e| e.into_inner());
                while !*released {
                    released = gate.wake.wait(released).unwrap_or_else(|e| e.into_inner());
                }
                drop(released);
                gate.parked.fetch_sub(1, SeqCst);
            });
        }
        let parked = gate.clone();
        wait_until(move || parked.parked.load(SeqCst) == to_park, "pool threads to park").await?;
        Ok(Self { gate })
    }

    /// Releases the parked threads and waits until they are back in the pool.
    pub async fn release(self) {
        let gate = self.gate.clone();
        rayon::spawn(move || {
            *gate.released.lock().unwrap_or_else(|e| e.into_inner()) = true;
            gate.wake.notify_all();
        });
        let gate = self.gate;
        let _ = wait_until(move || gate.parked.load(SeqCst) == 0, "pool threads to unpark").await;
    }
}

/// Polls `done` every millisecond for up to 10 s, yielding to the event
/// loop; gives up at once if a thread of this instance has died.
async fn wait_until(done: impl Fn() -> bool, what: &str) -> Result<(), String> {
    for _ in 0..10_000 {
        if done() {
            return Ok(());
        }
        if let Some(message) = panic::fatal_message() {
            return Err(pool_failed(&message));
        }
        sleep_ms(1).await;
    }
    Err(format!("timed out waiting for {what}"))
}
