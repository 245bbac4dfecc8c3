//! A simulation of CPython's global interpreter lock, for the `gil` model:
//! k real threads that may run task code only while they hold one lock.
//! It follows CPython's own rules (`Python/ceval_gil.c`): a thread that
//! wants the lock waits at most one switch interval
//! (`sys.getswitchinterval()`, 5 ms by default), then asks the holder to
//! drop it (`gil_drop_request`); the holder looks at its next checkpoint
//! (CPython: between bytecodes; here: between tasks, and inside a task
//! wherever the workload offers a checkpoint), drops the lock, and waits
//! until another thread has taken it before asking again
//! (`FORCE_SWITCHING`).
//!
//! What it leaves out: the interpreter's own cost per bytecode (the task
//! code here is compiled Rust, so every thread runs it at native speed
//! while it holds the lock), the lock's priority and fairness details,
//! and that CPython releases the lock around blocking I/O and in many C
//! extensions. Waiting happens on worker threads only: the page's main
//! thread never touches this lock (`Atomics.wait` throws there;
//! wasm-bindgen-rayon #36).

use crate::engine::measurement::records::{micros, TaskSpan};
use crate::engine::measurement::run_measurement::GilFacts;
use crate::sorting::sort_by;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// CPython's default switch interval, `sys.getswitchinterval()`: 5 ms.
pub const DEFAULT_SWITCH_MS: u32 = 5;

/// Hold spans (and wait spans) kept per run, allocated before the run
/// starts; a run with more hand-offs (thousands, at a short switch
/// interval) keeps the first.
pub const MAX_HOLDS: usize = 4096;

struct State {
    holder: Option<u32>,
    /// The last thread that held the lock, to count hand-offs.
    last_holder: Option<u32>,
    /// Bumped whenever a thread takes the lock (CPython's `switch_number`).
    switch_number: u64,
    /// Threads waiting for the lock now.
    waiting: u32,
    /// The current hold's start, µs since the run's start.
    held_since_us: u32,
    holds: Vec<TaskSpan>,
    /// When each thread waited for the lock: one span per wait, `lane` the
    /// waiter, so a timeline can tell waiting from computing.
    waits: Vec<TaskSpan>,
    switches: u32,
}

/// The lock, shared by the k threads of one run.
pub struct Gil {
    switch_interval: Duration,
    state: Mutex<State>,
    changed: Condvar,
    /// Set by a thread that waited a whole switch interval in vain: the
    /// holder drops the lock at its next checkpoint.
    drop_request: AtomicBool,
    wait_us: AtomicU64,
}

impl Gil {
    pub fn new(switch_interval_ms: u32) -> Self {
        Self {
            switch_interval: Duration::from_millis(switch_interval_ms.max(1) as u64),
            state: Mutex::new(State {
                holder: None,
                last_holder: None,
                switch_number: 0,
                waiting: 0,
                held_since_us: 0,
                holds: Vec::with_capacity(MAX_HOLDS),
                waits: Vec::with_capacity(MAX_HOLDS),
                switches: 0,
            }),
            changed: Condvar::new(),
            drop_request: AtomicBool::new(false),
            wait_us: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes the lock for `lane`, waiting as CPython's `take_gil` does; `now_ms`
    /// is the run's clock (ms since its start).
    // [model-code: cpu-gil io-gil]
    pub fn take(&self, lane: u32, now_ms: &dyn Fn() -> f64) {
        self.take_waiting_since(lane, now_ms(), now_ms);
    }

    /// [`Gil::take`], counting the wait from `started_ms` (a thread that
    /// dropped the lock has been waiting since it dropped it).
    fn take_waiting_since(&self, lane: u32, started_ms: f64, now_ms: &dyn Fn() -> f64) {
        let mut state = self.lock();
        if state.holder.is_some() {
            state.waiting += 1;
            while state.holder.is_some() {
                let seen = state.switch_number;
                let (guard, waited) =
                    self.changed.wait_timeout(state, self.switch_interval).unwrap_or_else(|e| e.into_inner());
                state = guard;
                if waited.timed_out() && state.holder.is_some() && state.switch_number == seen {
                    // A whole interval and nobody let go: ask the holder.
                    self.drop_request.store(true, Relaxed);
                }
            }
            state.waiting -= 1;
        }
        let now = now_ms();
        state.holder = Some(lane);
        state.switch_number += 1;
        if state.last_holder.is_some_and(|last| last != lane) {
            state.switches += 1;
        }
        state.last_holder = Some(lane);
        state.held_since_us = micros(now);
        if now > started_ms && state.waits.len() < MAX_HOLDS {
            let span =
                TaskSpan { start_ms: micros(started_ms) as f64 / 1000.0, end_ms: micros(now) as f64 / 1000.0, lane };
            if span.end_ms > span.start_ms {
                state.waits.push(span);
            }
        }
        self.drop_request.store(false, Relaxed);
        self.wait_us.fetch_add(micros(now - started_ms) as u64, Relaxed);
        drop(state);
        // A thread that dropped the lock waits to see it taken.
        self.changed.notify_all();
    }
    // [/model-code]

    /// Whether another thread has asked for the lock (a relaxed load: the
    /// check at every checkpoint costs next to nothing).
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Relaxed)
    }

    /// Lets go of the lock.
    pub fn release(&self, lane: u32, now_ms: &dyn Fn() -> f64) {
        let mut state = self.lock();
        Self::end_hold(&mut state, lane, now_ms());
        drop(state);
        self.changed.notify_all();
    }

    // [model-code: cpu-gil io-gil]
    /// At a checkpoint: if another thread asked, drops the lock, waits
    /// until some thread has taken it (`FORCE_SWITCHING`), then takes it
    /// back in turn. Returns whether it handed the lock over.
    pub fn yield_if_asked(&self, lane: u32, now_ms: &dyn Fn() -> f64) -> bool {
        if !self.drop_requested() {
            return false;
        }
        let mut state = self.lock();
        let seen = state.switch_number;
        let dropped_ms = now_ms();
        Self::end_hold(&mut state, lane, dropped_ms);
        self.changed.notify_all();
        while state.switch_number == seen && state.waiting > 0 {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        drop(state);
        self.take_waiting_since(lane, dropped_ms, now_ms);
        true
    }
    // [/model-code]

    fn end_hold(state: &mut State, lane: u32, now_ms: f64) {
        if state.holder != Some(lane) {
            return;
        }
        state.holder = None;
        if state.holds.len() < MAX_HOLDS {
            let start_ms = state.held_since_us as f64 / 1000.0;
            let end_ms = micros(now_ms) as f64 / 1000.0;
            state.holds.push(TaskSpan { start_ms, end_ms, lane });
        }
    }

    /// What the lock did, once every thread has let go of it. Never waits:
    /// the page's thread may read it (after the threads have joined, so the
    /// lock is free), and the page's thread must not wait on a lock
    /// (wasm-bindgen-rayon #36); were it still held, the facts are empty.
    pub fn facts(&self) -> GilFacts {
        let state = match self.state.try_lock() {
            Ok(state) => state,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return GilFacts::default(),
        };
        let (mut holds, mut waits) = (state.holds.clone(), state.waits.clone());
        sort_by(&mut holds, |a, b| a.start_ms.total_cmp(&b.start_ms));
        sort_by(&mut waits, |a, b| a.start_ms.total_cmp(&b.start_ms));
        GilFacts { switches: state.switches, wait_ms: self.wait_us.load(Relaxed) as f64 / 1000.0, holds, waits }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;
    use std::time::Instant;

    #[test]
    fn the_lock_passes_between_threads_and_never_has_two_holders() {
        let origin = Instant::now();
        let now_ms = move || origin.elapsed().as_secs_f64() * 1000.0;
        let gil = Gil::new(1);
        let inside = AtomicU32::new(0);
        let most_inside = AtomicU32::new(0);
        std::thread::scope(|scope| {
            for lane in 0..3 {
                let (gil, inside, most_inside) = (&gil, &inside, &most_inside);
                scope.spawn(move || {
                    gil.take(lane, &now_ms);
                    let until = Instant::now() + Duration::from_millis(40);
                    while Instant::now() < until {
                        let now = inside.fetch_add(1, Relaxed) + 1;
                        most_inside.fetch_max(now, Relaxed);
                        std::hint::black_box((0..1000).sum::<u64>());
                        inside.fetch_sub(1, Relaxed);
                        gil.yield_if_asked(lane, &now_ms);
                    }
                    gil.release(lane, &now_ms);
                });
            }
        });
        let facts = gil.facts();
        assert_eq!(most_inside.load(Relaxed), 1, "task code ran on one thread at a time");
        assert!(facts.switches >= 3, "{} hand-offs", facts.switches);
        assert!(facts.wait_ms > 0.0);
        let overlapping = facts.holds.windows(2).any(|pair| pair[1].start_ms < pair[0].end_ms);
        assert!(!overlapping, "holds do not overlap: {:?}", facts.holds);
        let lanes: std::collections::BTreeSet<u32> = facts.holds.iter().map(|hold| hold.lane).collect();
        assert_eq!(lanes.len(), 3);
        // Every thread but the first waited, and no thread waits while it holds the lock.
        let waiters: std::collections::BTreeSet<u32> = facts.waits.iter().map(|wait| wait.lane).collect();
        assert!(waiters.len() >= 2, "waits: {:?}", facts.waits);
        for wait in &facts.waits {
            let holding = facts.holds.iter().filter(|hold| hold.lane == wait.lane);
            let overlaps = holding.into_iter().any(|hold| hold.start_ms < wait.end_ms && wait.start_ms < hold.end_ms);
            assert!(!overlaps, "thread {} waited while it held the lock", wait.lane);
        }
        let waited_ms: f64 = facts.waits.iter().map(|wait| wait.end_ms - wait.start_ms).sum();
        assert!((waited_ms - facts.wait_ms).abs() < 0.01 * facts.wait_ms + 0.1, "{waited_ms} vs {}", facts.wait_ms);
    }
}
