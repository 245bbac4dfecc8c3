//! Where a run writes its records while it goes, with no lock and no
//! allocation: one slot per task, one per request, a bounded buffer of
//! memory samples, and a message set once. All are allocated before a
//! run's "before" readings (so the heap growth measured is the workload's),
//! written by whichever thread did the work, and read after the run joins.
//! No locks anywhere: worker threads write what the page's main thread
//! reads, and the main thread must never wait on a lock (`Atomics.wait`
//! throws there; wasm-bindgen-rayon #36).

use super::records::{micros, FetchErrorKind, MemorySample, RequestSpan, TaskRecord, TaskRun, TaskSpan};
use crate::sorting::{sort_by, sort_unique};
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed};

/// Task slots: written once each, by whichever thread ran the task.
/// Times are whole microseconds since the run's start (u32: 71 minutes).
/// They cover tasks `first_task..first_task + len` (a worker instance's
/// chunk covers only its own).
pub struct TaskSlots {
    first_task: usize,
    start_us: Box<[AtomicU32]>,
    end_us: Box<[AtomicU32]>,
    /// 0 = no record starts here (not run, or inside a run of tasks
    /// recorded at its first task); otherwise lane + 1.
    lane_plus_one: Box<[AtomicU32]>,
    /// How many back-to-back tasks the record starting here stands for.
    count: Box<[AtomicU32]>,
}

impl TaskSlots {
    pub fn new(task_count: usize) -> Self {
        Self::covering(0..task_count)
    }

    /// Slots for tasks `tasks` only.
    pub fn covering(tasks: std::ops::Range<usize>) -> Self {
        let zeros = || tasks.clone().map(|_| AtomicU32::new(0)).collect();
        Self { first_task: tasks.start, start_us: zeros(), end_us: zeros(), lane_plus_one: zeros(), count: zeros() }
    }

    /// Records tasks `first_task..first_task + count`, run back to back on
    /// `lane`, as one span.
    pub fn record_run(&self, first_task: usize, count: usize, start_ms: f64, end_ms: f64, lane: u32) {
        let first_task = first_task - self.first_task;
        self.start_us[first_task].store(micros(start_ms), Relaxed);
        self.end_us[first_task].store(micros(end_ms), Relaxed);
        self.count[first_task].store(count as u32, Relaxed);
        self.lane_plus_one[first_task].store(lane + 1, Relaxed);
    }

    /// The finished tasks' records, in task order from the first covered:
    /// a `Task` for a task timed alone, a `Run` for tasks timed together. Call after the run has
    /// joined (the join is the happens-before edge for the relaxed stores).
    pub fn finished(&self) -> Vec<TaskRecord> {
        self.finished_indexed().into_iter().map(|(_, record)| record).collect()
    }

    /// [`TaskSlots::finished`], each record with the task it starts at (an
    /// instance that ran scattered tasks, as the `gil` token leases them).
    pub fn finished_indexed(&self) -> Vec<(usize, TaskRecord)> {
        (0..self.start_us.len())
            .filter_map(|task| {
                let lane = self.lane_plus_one[task].load(Relaxed);
                if lane == 0 {
                    return None;
                }
                let (start_ms, end_ms) = (
                    self.start_us[task].load(Relaxed) as f64 / 1000.0,
                    self.end_us[task].load(Relaxed) as f64 / 1000.0,
                );
                let record = match self.count[task].load(Relaxed) {
                    1 => TaskRecord::Task(TaskSpan { start_ms, end_ms, lane: lane - 1 }),
                    count => TaskRecord::Run(TaskRun { start_ms, end_ms, lane: lane - 1, count }),
                };
                Some((self.first_task + task, record))
            })
            .collect()
    }
}

const NO_JS_HEAP: u64 = u64::MAX;

/// Memory samples taken by whichever thread reaches a checkpoint first once
/// the sample period has passed; a compare-and-swap on the last sample time
/// elects one sampler, so k threads do not take k samples.
pub struct SampleBuffer {
    t_us: Box<[AtomicU32]>,
    wasm_memory_bytes: Box<[AtomicU64]>,
    live_heap_bytes: Box<[AtomicU64]>,
    /// `NO_JS_HEAP` where the thread that sampled could not read it.
    js_heap_bytes: Box<[AtomicU64]>,
    len: AtomicUsize,
    last_us: AtomicU32,
    period_us: u32,
}

impl SampleBuffer {
    pub fn new(capacity: usize, period_ms: f64) -> Self {
        Self {
            t_us: (0..capacity).map(|_| AtomicU32::new(0)).collect(),
            wasm_memory_bytes: (0..capacity).map(|_| AtomicU64::new(0)).collect(),
            live_heap_bytes: (0..capacity).map(|_| AtomicU64::new(0)).collect(),
            js_heap_bytes: (0..capacity).map(|_| AtomicU64::new(NO_JS_HEAP)).collect(),
            len: AtomicUsize::new(0),
            last_us: AtomicU32::new(0),
            period_us: micros(period_ms),
        }
    }

    /// Takes a sample if a period has passed since the last one (or
    /// `force`); `read` gives wasm memory, live heap and, where this thread
    /// can see it, the JS heap.
    pub fn maybe_sample(&self, t_ms: f64, force: bool, read: impl FnOnce() -> (u64, u64, Option<u64>)) {
        let now_us = micros(t_ms);
        let last = self.last_us.load(Relaxed);
        let len = self.len.load(Relaxed);
        // Each time another quarter of the buffer fills, the period doubles,
        // so a long run (a slow IO source) is covered to its end by a
        // bounded buffer: 10 ms for the first ~40 s, then 20 ms, 40, 80 ...
        let quarter = (self.t_us.len() / 4).max(1);
        let period_us = self.period_us.saturating_mul(1 << (len / quarter).min(16));
        let due = force || len == 0 || now_us.saturating_sub(last) >= period_us;
        if !due || self.last_us.compare_exchange(last, now_us, Relaxed, Relaxed).is_err() {
            return;
        }
        let capacity = self.t_us.len();
        let mut index = self.len.fetch_add(1, Relaxed);
        if index >= capacity {
            // Full: the count stays bounded. A forced sample (the end of the
            // run, each quarter of it) takes the last place, so the run's
            // last reading is never the one dropped.
            self.len.fetch_sub(1, Relaxed);
            if !force {
                return;
            }
            index = capacity - 1;
        }
        let (wasm, heap, js_heap) = read();
        self.t_us[index].store(now_us, Relaxed);
        self.wasm_memory_bytes[index].store(wasm, Relaxed);
        self.live_heap_bytes[index].store(heap, Relaxed);
        self.js_heap_bytes[index].store(js_heap.unwrap_or(NO_JS_HEAP), Relaxed);
    }

    /// `(t_ms, js_heap_bytes)` for the samples that could read the JS heap.
    pub fn js_heap_samples(&self) -> Vec<(f64, u64)> {
        let len = self.len.load(Relaxed).min(self.t_us.len());
        let mut samples: Vec<(f64, u64)> = (0..len)
            .filter_map(|i| {
                let bytes = self.js_heap_bytes[i].load(Relaxed);
                (bytes != NO_JS_HEAP).then(|| (self.t_us[i].load(Relaxed) as f64 / 1000.0, bytes))
            })
            .collect();
        sort_by(&mut samples, |a, b| a.0.total_cmp(&b.0));
        samples
    }

    /// The samples in time order (threads may have finished slots out of order).
    pub fn samples(&self) -> Vec<MemorySample> {
        let len = self.len.load(Relaxed).min(self.t_us.len());
        let mut samples: Vec<MemorySample> = (0..len)
            .map(|i| {
                MemorySample(
                    self.t_us[i].load(Relaxed) as f64 / 1000.0,
                    self.wasm_memory_bytes[i].load(Relaxed),
                    self.live_heap_bytes[i].load(Relaxed),
                )
            })
            .collect();
        sort_by(&mut samples, |a, b| a.0.total_cmp(&b.0));
        samples
    }
}

/// One slot per request, written by whichever thread made it.
pub struct RequestSlots {
    start_us: Box<[AtomicU32]>,
    end_us: Box<[AtomicU32]>,
    /// 0 = not started; otherwise lane + 1.
    lane_plus_one: Box<[AtomicU32]>,
    /// 0 = not ended; otherwise status + 1.
    status_plus_one: Box<[AtomicU32]>,
    bytes: Box<[AtomicU64]>,
    error: Box<[AtomicU32]>,
    thread: Box<[AtomicU32]>,
    /// 0 = none; otherwise worker + 1.
    worker_plus_one: Box<[AtomicU32]>,
}

impl RequestSlots {
    pub fn new(count: usize) -> Self {
        let zeros32 = || (0..count).map(|_| AtomicU32::new(0)).collect();
        Self {
            start_us: zeros32(),
            end_us: zeros32(),
            lane_plus_one: zeros32(),
            status_plus_one: zeros32(),
            bytes: (0..count).map(|_| AtomicU64::new(0)).collect(),
            error: zeros32(),
            thread: zeros32(),
            worker_plus_one: zeros32(),
        }
    }

    /// Whether the request had not begun before (an instance's record of a
    /// request the page dispatched begins it again).
    pub fn begin(&self, local: usize, start_ms: f64, lane: u32, thread: u32) -> bool {
        self.start_us[local].store(micros(start_ms), Relaxed);
        self.thread[local].store(thread, Relaxed);
        self.lane_plus_one[local].swap(lane + 1, Relaxed) == 0
    }

    pub fn set_worker(&self, local: usize, worker: Option<u32>) {
        self.worker_plus_one[local].store(worker.map_or(0, |w| w + 1), Relaxed);
    }

    /// Whether the request had not ended before.
    pub fn end(&self, local: usize, end_ms: f64, status: u16, bytes: u64, error: Option<FetchErrorKind>) -> bool {
        self.end_us[local].store(micros(end_ms), Relaxed);
        self.bytes[local].store(bytes, Relaxed);
        self.error[local].store(error.map_or(0, FetchErrorKind::code), Relaxed);
        self.status_plus_one[local].swap(status as u32 + 1, Relaxed) == 0
    }

    /// Every started request, in index order. Call after the run has
    /// joined, or accept that a request still in flight reads as cancelled
    /// at `now_ms`.
    pub fn spans(&self, now_ms: f64) -> Vec<(usize, RequestSpan)> {
        (0..self.start_us.len())
            .filter_map(|local| {
                let lane = self.lane_plus_one[local].load(Relaxed).checked_sub(1)?;
                let start_ms = self.start_us[local].load(Relaxed) as f64 / 1000.0;
                let worker = self.worker_plus_one[local].load(Relaxed).checked_sub(1);
                let span = match self.status_plus_one[local].load(Relaxed).checked_sub(1) {
                    Some(status) => RequestSpan {
                        start_ms,
                        end_ms: self.end_us[local].load(Relaxed) as f64 / 1000.0,
                        lane,
                        status: status as u16,
                        bytes: self.bytes[local].load(Relaxed),
                        error: FetchErrorKind::from_code(self.error[local].load(Relaxed)),
                        worker,
                    },
                    None => RequestSpan {
                        start_ms,
                        end_ms: now_ms.max(start_ms),
                        lane,
                        status: 0,
                        bytes: 0,
                        error: Some(FetchErrorKind::Cancelled),
                        worker,
                    },
                };
                Some((local, span))
            })
            .collect()
    }

    /// Distinct threads (or worker instances) that made requests.
    pub fn distinct_threads(&self) -> usize {
        let mut threads = (0..self.start_us.len())
            .filter(|&local| self.lane_plus_one[local].load(Relaxed) != 0)
            .map(|local| match self.worker_plus_one[local].load(Relaxed) {
                0 => (0, self.thread[local].load(Relaxed)),
                worker => (1, worker),
            })
            .collect::<Vec<(u32, u32)>>();
        sort_unique(&mut threads);
        threads.len()
    }
}

/// A u128 sum that many threads add to, lock-free: wasm has no 128-bit
/// atomics, so it is two u64 words, each add carrying into the high word
/// when the low one wraps (every add's carry is its own, so concurrent
/// adds sum exactly). Read once the adders have joined.
#[derive(Default)]
pub struct AtomicSum {
    low: AtomicU64,
    high: AtomicU64,
}

impl AtomicSum {
    pub fn add(&self, value: u128) {
        let (low, high) = (value as u64, (value >> 64) as u64);
        let before = self.low.fetch_add(low, Relaxed);
        let carry = u64::from(before.checked_add(low).is_none());
        self.high.fetch_add(high + carry, Relaxed);
    }

    pub fn get(&self) -> u128 {
        ((self.high.load(Relaxed) as u128) << 64) | self.low.load(Relaxed) as u128
    }
}

/// A message set once by whichever thread offers one first, lock-free (a
/// `Mutex` or `OnceLock` could make the page's main thread wait).
#[derive(Default)]
pub struct FirstMessage(AtomicPtr<String>);

impl FirstMessage {
    pub fn offer(&self, message: &str) {
        if !self.0.load(Relaxed).is_null() {
            return;
        }
        let boxed = Box::into_raw(Box::new(message.to_string()));
        if self.0.compare_exchange(ptr::null_mut(), boxed, std::sync::atomic::Ordering::AcqRel, Relaxed).is_err() {
            // SAFETY: `boxed` came from Box::into_raw above and was not published.
            drop(unsafe { Box::from_raw(boxed) });
        }
    }

    pub fn get(&self) -> Option<String> {
        let pointer = self.0.load(std::sync::atomic::Ordering::Acquire);
        // SAFETY: a non-null pointer was published by `offer` and lives until drop.
        (!pointer.is_null()).then(|| unsafe { (*pointer).clone() })
    }
}

impl Drop for FirstMessage {
    fn drop(&mut self) {
        let pointer = *self.0.get_mut();
        if !pointer.is_null() {
            // SAFETY: published by `offer`, freed exactly once here.
            drop(unsafe { Box::from_raw(pointer) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_sum_carries_exactly_from_many_threads() {
        let sum = AtomicSum::default();
        let value = u64::MAX as u128 - 3;
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| (0..1000).for_each(|_| sum.add(value)));
            }
        });
        assert_eq!(sum.get(), 4000 * value);
    }

    #[test]
    fn slots_keep_only_finished_tasks_in_task_order() {
        let slots = TaskSlots::new(3);
        slots.record_run(2, 1, 5.0, 7.5, 1);
        slots.record_run(0, 1, 0.25, 1.0, 0);
        let spans = slots.finished();
        assert_eq!(
            spans,
            vec![
                TaskRecord::Task(TaskSpan { start_ms: 0.25, end_ms: 1.0, lane: 0 }),
                TaskRecord::Task(TaskSpan { start_ms: 5.0, end_ms: 7.5, lane: 1 }),
            ]
        );
    }

    #[test]
    fn a_run_of_tasks_is_one_record_counting_them_all() {
        let slots = TaskSlots::new(6);
        slots.record_run(1, 4, 0.5, 2.0, 3);
        slots.record_run(5, 1, 2.0, 2.25, 3);
        let records = slots.finished();
        assert_eq!(
            records,
            vec![
                TaskRecord::Run(TaskRun { start_ms: 0.5, end_ms: 2.0, lane: 3, count: 4 }),
                TaskRecord::Task(TaskSpan { start_ms: 2.0, end_ms: 2.25, lane: 3 }),
            ]
        );
        assert_eq!(records.iter().map(TaskRecord::count).sum::<usize>(), 5, "task 0 never ran");
    }

    #[test]
    fn samples_respect_the_period_unless_forced() {
        let buffer = SampleBuffer::new(16, 10.0);
        for t in [0.0, 3.0, 9.0, 10.0, 12.0, 25.0] {
            buffer.maybe_sample(t, false, || (t as u64, 1, None));
        }
        buffer.maybe_sample(26.0, true, || (26, 1, Some(7)));
        let times: Vec<f64> = buffer.samples().iter().map(|s| s.t_ms()).collect();
        assert_eq!(times, vec![0.0, 10.0, 25.0, 26.0]);
        assert_eq!(buffer.js_heap_samples(), vec![(26.0, 7)]);
    }

    #[test]
    fn the_period_doubles_as_the_buffer_fills() {
        let buffer = SampleBuffer::new(8, 1.0);
        for t in 0..40 {
            buffer.maybe_sample(t as f64, false, || (0, 0, None));
        }
        let times: Vec<f64> = buffer.samples().iter().map(|s| s.t_ms()).collect();
        // Two samples per quarter: every 1 ms, then 2, 4, 8 ms.
        assert_eq!(times, vec![0.0, 1.0, 3.0, 5.0, 9.0, 13.0, 21.0, 29.0]);
    }

    #[test]
    fn a_full_buffer_stays_bounded() {
        let buffer = SampleBuffer::new(2, 1.0);
        for t in 0..10 {
            buffer.maybe_sample(t as f64 * 2.0, false, || (0, 0, None));
        }
        assert_eq!(buffer.samples().len(), 2);
        buffer.maybe_sample(30.0, true, || (5, 6, None));
        let samples = buffer.samples();
        assert_eq!(samples.len(), 2, "still bounded");
        assert_eq!(samples.last().map(|s| (s.t_ms(), s.1, s.2)), Some((30.0, 5, 6)), "a forced last reading is kept");
    }

    #[test]
    fn first_message_keeps_the_first() {
        let message = FirstMessage::default();
        assert_eq!(message.get(), None);
        message.offer("one");
        message.offer("two");
        assert_eq!(message.get().as_deref(), Some("one"));
    }
}
