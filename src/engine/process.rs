//! The `workers` model's pure half: multiprocessing.Pool.map's chunking, the
//! messages between the page and its worker instances, the loop a worker
//! instance runs for one chunk, and how the instances' memory adds up.
//!
//! The browser half (spawning instances, posting messages) is in
//! `browser::process_pool`; it stops at these types.

use super::limits::SAMPLE_PERIOD_MS;
use super::measure::{Clock, MemoryProbe};
use super::record::{MemorySample, SampleBuffer, TaskSpan};
use super::run::RunMeasurement;
use super::workload::CpuWorkload;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Chunks as `multiprocessing.Pool.map` cuts them: chunksize is
/// `len / (4 * workers)`, rounded up (CPython `Pool._map_async`). Workers
/// take the next chunk when they finish one, so uneven tasks balance out.
pub fn pool_map_chunks(task_count: usize, workers: usize) -> Vec<Range<usize>> {
    let workers = workers.max(1);
    let chunk_size = task_count.div_ceil(4 * workers).max(1);
    (0..task_count).step_by(chunk_size).map(|start| start..(start + chunk_size).min(task_count)).collect()
}

/// What the page sends a worker instance: one chunk of tasks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChunkRequest {
    pub workload: CpuWorkload,
    pub first_task: usize,
    pub end_task: usize,
    /// The worker's index: the lane its spans are drawn in.
    pub lane: u32,
    /// The run's start on the shared clock, so spans line up with the page's.
    pub origin_ms: f64,
}

/// One instance's memory at a moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InstanceMemory {
    pub wasm_memory_bytes: u64,
    pub live_heap_bytes: u64,
    pub peak_live_heap_bytes: u64,
}

impl InstanceMemory {
    pub fn read(memory: &dyn MemoryProbe) -> Self {
        Self {
            wasm_memory_bytes: memory.wasm_memory_bytes(),
            live_heap_bytes: memory.live_heap_bytes(),
            peak_live_heap_bytes: memory.peak_live_heap_bytes(),
        }
    }
}

/// What a worker instance sends back for a chunk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChunkReply {
    pub first_task: usize,
    /// u128 as a decimal string: JSON numbers are doubles.
    pub checksum: String,
    pub tasks_done: usize,
    /// One span per task done, in task order from `first_task`.
    pub spans: Vec<TaskSpan>,
    pub samples: Vec<MemorySample>,
    pub memory: InstanceMemory,
}

/// Runs one chunk inside a worker instance (its own memory, its own heap
/// counters) and reports what it did and what it cost.
pub fn run_chunk(request: &ChunkRequest, clock: &dyn Clock, memory: &dyn MemoryProbe) -> ChunkReply {
    memory.reset_peak();
    let now = || clock.now_ms() - request.origin_ms;
    let samples = SampleBuffer::new(1024, SAMPLE_PERIOD_MS);
    let sample =
        |t: f64, force: bool| samples.maybe_sample(t, force, || (memory.wasm_memory_bytes(), memory.live_heap_bytes()));
    let tasks = request.first_task..request.end_task;
    let mut spans = Vec::with_capacity(tasks.len());
    let mut checksum: u128 = 0;
    sample(now(), true);
    for task in tasks {
        let start_ms = now();
        let result = request.workload.run_task(task, &mut || {
            sample(now(), false);
            true
        });
        let Some(result) = result else { break };
        checksum += result;
        let end_ms = now();
        spans.push(TaskSpan { start_ms, end_ms, lane: request.lane });
        sample(end_ms, false);
    }
    sample(now(), true);
    ChunkReply {
        first_task: request.first_task,
        checksum: checksum.to_string(),
        tasks_done: spans.len(),
        spans,
        samples: samples.samples(),
        memory: InstanceMemory::read(memory),
    }
}

/// Adds the worker instances to a measurement taken on the page's instance,
/// as memory_profiler's `include_children` adds child processes: memory is
/// the page's plus every worker's. The peak is the sum of each instance's
/// peak, an upper bound (their peaks need not coincide). Memory samples are
/// re-summed at every moment any instance sampled, each instance counting
/// with its latest reading (or its `before` reading if it has none yet).
pub fn add_worker_instances(
    measurement: &mut RunMeasurement,
    before: &[InstanceMemory],
    after: &[InstanceMemory],
    peaks: &[u64],
    worker_samples: &[Vec<MemorySample>],
) {
    measurement.wasm_memory_bytes_before += before.iter().map(|m| m.wasm_memory_bytes).sum::<u64>();
    measurement.wasm_memory_bytes_after += after.iter().map(|m| m.wasm_memory_bytes).sum::<u64>();
    measurement.live_heap_bytes_before += before.iter().map(|m| m.live_heap_bytes).sum::<u64>();
    measurement.live_heap_bytes_after += after.iter().map(|m| m.live_heap_bytes).sum::<u64>();
    measurement.peak_live_heap_bytes += peaks.iter().sum::<u64>();

    let page = std::mem::take(&mut measurement.memory_samples);
    let mut series: Vec<(MemorySample, &[MemorySample])> =
        vec![(page.first().copied().unwrap_or(MemorySample(0.0, 0, 0)), &page[..])];
    for (index, samples) in worker_samples.iter().enumerate() {
        let initial = before.get(index).copied().unwrap_or_default();
        series.push((MemorySample(0.0, initial.wasm_memory_bytes, initial.live_heap_bytes), &samples[..]));
    }
    let mut times: Vec<f64> = series.iter().flat_map(|(_, s)| s.iter().map(|x| x.t_ms())).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    measurement.memory_samples = times
        .into_iter()
        .map(|t| {
            let (wasm, heap) = series.iter().fold((0, 0), |(wasm, heap), (initial, samples)| {
                let latest = samples.iter().take_while(|s| s.t_ms() <= t).last().unwrap_or(initial);
                (wasm + latest.wasm_memory_bytes(), heap + latest.live_heap_bytes())
            });
            MemorySample(t, wasm, heap)
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::measure::{NativeClock, NativeMemory};

    #[test]
    fn chunks_follow_pool_map_and_cover_every_task_once() {
        // CPython: divmod(15000, 2 * 4) = (1875, 0) -> chunksize 1875.
        let chunks = pool_map_chunks(15000, 2);
        assert_eq!(chunks.len(), 8);
        assert!(chunks.iter().all(|c| c.len() == 1875));
        // divmod(20, 8) = (2, 4) -> chunksize 3: 7 chunks, the last of 2.
        let chunks = pool_map_chunks(20, 2);
        assert_eq!(chunks.iter().map(|c| c.len()).collect::<Vec<_>>(), vec![3, 3, 3, 3, 3, 3, 2]);
        for (tasks, workers) in [(0, 3), (1, 8), (17, 5), (1000, 1)] {
            let covered: Vec<usize> = pool_map_chunks(tasks, workers).into_iter().flatten().collect();
            assert_eq!(covered, (0..tasks).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_chunk_reports_its_checksum_spans_and_memory() {
        let workload = CpuWorkload::Sieve { from: 1000, to: 1100 };
        let request = ChunkRequest { workload, first_task: 10, end_task: 30, lane: 3, origin_ms: NativeClock.now_ms() };
        let reply = run_chunk(&request, &NativeClock, &NativeMemory);
        let expected: u128 = (10..30).map(|t| workload.run_task(t, &mut || true).unwrap()).sum();
        assert_eq!(reply.checksum, expected.to_string());
        assert_eq!(reply.tasks_done, 20);
        assert!(reply.spans.iter().all(|s| s.lane == 3));
        assert!(reply.samples.len() >= 2);
        // The message survives JSON, u128 checksum included.
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<ChunkReply>(&json).unwrap(), reply);
    }

    #[test]
    fn worker_memory_adds_to_the_page_and_samples_are_summed() {
        let mut measurement = RunMeasurement {
            elapsed_ms: 10.0,
            checksum: 0,
            tasks_done: 0,
            partial: false,
            threads_used: 2,
            wasm_memory_bytes_before: 100,
            wasm_memory_bytes_after: 100,
            live_heap_bytes_before: 10,
            live_heap_bytes_after: 10,
            peak_live_heap_bytes: 10,
            tasks: vec![],
            memory_samples: vec![MemorySample(0.0, 100, 10), MemorySample(10.0, 100, 10)],
        };
        let before = [InstanceMemory { wasm_memory_bytes: 1000, live_heap_bytes: 50, peak_live_heap_bytes: 50 }; 2];
        let after = [InstanceMemory { wasm_memory_bytes: 2000, live_heap_bytes: 60, peak_live_heap_bytes: 90 }; 2];
        let samples = vec![vec![MemorySample(5.0, 2000, 80)], vec![]];
        add_worker_instances(&mut measurement, &before, &after, &[90, 70], &samples);
        assert_eq!(measurement.wasm_memory_bytes_before, 2100);
        assert_eq!(measurement.wasm_memory_bytes_after, 4100);
        assert_eq!(measurement.peak_live_heap_bytes, 170);
        assert_eq!(
            measurement.memory_samples,
            vec![MemorySample(0.0, 2100, 110), MemorySample(5.0, 3100, 140), MemorySample(10.0, 3100, 140),]
        );
    }
}
