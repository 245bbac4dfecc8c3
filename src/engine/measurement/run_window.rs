//! The measured window of one run, whatever it runs: the shared clock and
//! its origin, Stop, the memory samples, the count of tasks done, and the
//! "before" and "after" readings. CPU runs, IO runs and a worker instance's
//! chunk or share all open one with the [`Instruments`] they are given;
//! what they record inside it (task spans, request records) is theirs.

use super::probes::{Clock, MemoryProbe, NativeClock, NativeMemory};
use super::records::MemorySample;
use super::run_measurement::RunMeasurement;
use super::sampling::SAMPLE_PERIOD_MS;
use super::slots::SampleBuffer;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

/// What a run measures with: the shared clock, the memory probe, Stop, and
/// the live count the page reads while the run goes.
#[derive(Clone)]
pub struct Instruments {
    pub clock: &'static dyn Clock,
    pub memory: &'static dyn MemoryProbe,
    pub cancel: Arc<AtomicBool>,
    pub live: Arc<LiveCount>,
}

impl Instruments {
    pub fn new(clock: &'static dyn Clock, memory: &'static dyn MemoryProbe, cancel: Arc<AtomicBool>) -> Self {
        Self { clock, memory, cancel, live: Arc::default() }
    }

    /// `std::time::Instant` and the heap counters, never cancelled (tests).
    pub fn native() -> Self {
        Self::new(&NativeClock, &NativeMemory, Arc::new(AtomicBool::new(false)))
    }
}

/// How far the current run is, readable from another thread while it runs:
/// tasks (or requests) done of how many, requests in flight, since when
/// (on the shared clock).
#[derive(Debug, Default)]
pub struct LiveCount {
    done: AtomicUsize,
    total: AtomicUsize,
    /// Requests begun and ended so far, as the page has recorded them.
    requests_begun: AtomicUsize,
    requests_ended: AtomicUsize,
    origin_ms_bits: AtomicU64,
}

impl LiveCount {
    pub fn done(&self) -> usize {
        self.done.load(Relaxed)
    }

    pub fn total(&self) -> usize {
        self.total.load(Relaxed)
    }

    /// Requests begun and not ended yet, as recorded so far.
    pub fn requests_in_flight(&self) -> usize {
        self.requests_begun.load(Relaxed).saturating_sub(self.requests_ended.load(Relaxed))
    }

    /// Requests ended so far.
    pub fn requests_ended(&self) -> usize {
        self.requests_ended.load(Relaxed)
    }

    /// When the current run started, on the shared clock.
    pub fn origin_ms(&self) -> f64 {
        f64::from_bits(self.origin_ms_bits.load(Relaxed))
    }

    fn restart(&self, total: usize, origin_ms: f64) {
        self.done.store(0, Relaxed);
        self.total.store(total, Relaxed);
        self.requests_begun.store(0, Relaxed);
        self.requests_ended.store(0, Relaxed);
        self.origin_ms_bits.store(origin_ms.to_bits(), Relaxed);
    }
}

pub struct RunWindow {
    clock: &'static dyn Clock,
    memory: &'static dyn MemoryProbe,
    cancel: Arc<AtomicBool>,
    live: Arc<LiveCount>,
    origin_ms: f64,
    samples: SampleBuffer,
    pub wasm_memory_bytes_before: u64,
    pub live_heap_bytes_before: u64,
    pub js_heap_bytes_before: Option<u64>,
}

/// The readings taken when a window closes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Closing {
    pub elapsed_ms: f64,
    pub wasm_memory_bytes_after: u64,
    pub live_heap_bytes_after: u64,
    pub js_heap_bytes_after: Option<u64>,
    pub peak_live_heap_bytes: u64,
}

impl RunWindow {
    /// Allocates the sample buffer, then takes the "before" readings and
    /// starts the clock, in that order: the recorders are not the
    /// workload's memory (allocate any others before calling this too).
    /// `origin_ms` puts the window on another's time line (a worker
    /// instance records on the page's); `None` starts it now. `tasks` is
    /// how many the run will do, for the live count.
    pub fn open(instruments: &Instruments, origin_ms: Option<f64>, sample_capacity: usize, tasks: usize) -> Self {
        let Instruments { clock, memory, .. } = *instruments;
        let samples = SampleBuffer::new(sample_capacity, SAMPLE_PERIOD_MS);
        memory.reset_peak();
        let window = Self {
            clock,
            memory,
            cancel: instruments.cancel.clone(),
            live: instruments.live.clone(),
            samples,
            wasm_memory_bytes_before: memory.wasm_memory_bytes(),
            live_heap_bytes_before: memory.live_heap_bytes(),
            js_heap_bytes_before: memory.js_heap_bytes(),
            origin_ms: origin_ms.unwrap_or_else(|| clock.now_ms()),
        };
        window.live.restart(tasks, window.origin_ms);
        window.sample_now(true);
        window
    }

    /// Counts `count` more tasks done. Crossing a quarter of the run forces
    /// a memory sample, so even a run shorter than the sample period is
    /// drawn with a few points, not just its two ends.
    pub fn tasks_done(&self, count: usize) {
        let before = self.live.done.fetch_add(count, Relaxed);
        let total = self.live.total().max(1);
        if (before + count) * 4 / total != before * 4 / total {
            self.sample_now(true);
        }
    }

    /// Counts a request begun and one ended, for the live line.
    pub fn requests_moved(&self, begun: bool, ended: bool) {
        self.live.requests_begun.fetch_add(begun as usize, Relaxed);
        self.live.requests_ended.fetch_add(ended as usize, Relaxed);
    }

    /// The window's start on the shared clock.
    pub fn origin_ms(&self) -> f64 {
        self.origin_ms
    }

    /// Milliseconds since the window opened.
    pub fn now_ms(&self) -> f64 {
        self.clock.now_ms() - self.origin_ms
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Relaxed)
    }

    /// Takes a memory sample at `t_ms` if a period has passed (or `force`).
    pub fn sample(&self, t_ms: f64, force: bool) {
        self.samples.maybe_sample(t_ms, force, || {
            (self.memory.wasm_memory_bytes(), self.memory.live_heap_bytes(), self.memory.js_heap_bytes())
        });
    }

    pub fn sample_now(&self, force: bool) {
        self.sample(self.now_ms(), force);
    }

    /// Takes the last sample and the "after" readings.
    pub fn close(&self) -> Closing {
        let elapsed_ms = self.now_ms();
        self.sample(elapsed_ms, true);
        Closing {
            elapsed_ms,
            wasm_memory_bytes_after: self.memory.wasm_memory_bytes(),
            live_heap_bytes_after: self.memory.live_heap_bytes(),
            js_heap_bytes_after: self.memory.js_heap_bytes(),
            peak_live_heap_bytes: self.memory.peak_live_heap_bytes(),
        }
    }

    /// A measurement of this window: time, memory readings and samples
    /// filled in; what the run counted (checksum, tasks, spans) is left for
    /// the caller to set.
    pub fn measurement(&self, closing: &Closing) -> RunMeasurement {
        RunMeasurement {
            elapsed_ms: closing.elapsed_ms,
            checksum: 0,
            tasks_done: 0,
            partial: false,
            threads_used: 0,
            wasm_memory_bytes_before: self.wasm_memory_bytes_before,
            wasm_memory_bytes_after: closing.wasm_memory_bytes_after,
            live_heap_bytes_before: self.live_heap_bytes_before,
            live_heap_bytes_after: closing.live_heap_bytes_after,
            peak_live_heap_bytes: closing.peak_live_heap_bytes,
            tasks: Vec::new(),
            memory_samples: self.samples(),
            io: None,
            shape: Default::default(),
        }
    }

    pub fn samples(&self) -> Vec<MemorySample> {
        self.samples.samples()
    }

    pub fn js_heap_samples(&self) -> Vec<(f64, u64)> {
        self.samples.js_heap_samples()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_samples_at_both_ends_and_times_from_its_origin() {
        let origin = NativeClock.now_ms() - 50.0;
        let window = RunWindow::open(&Instruments::native(), Some(origin), 8, 1);
        assert!(window.now_ms() >= 50.0);
        let closing = window.close();
        assert!(closing.elapsed_ms >= 50.0);
        assert_eq!(window.samples().len(), 2, "opened and closed");
        assert!(!window.is_cancelled());
    }

    #[test]
    fn every_quarter_of_the_tasks_is_sampled_and_counted_live() {
        let instruments = Instruments::native();
        let window = RunWindow::open(&instruments, None, 64, 8);
        for _ in 0..8 {
            window.tasks_done(1);
        }
        window.close();
        // Opened, four quarters, closed: even a run of microseconds.
        assert_eq!(window.samples().len(), 6);
        assert_eq!((instruments.live.done(), instruments.live.total()), (8, 8));
    }
}
