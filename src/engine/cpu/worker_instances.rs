//! The CPU `workers` model's worker instances, their pure half:
//! multiprocessing.Pool.map's chunking, the messages between the page and
//! its instances, and the loop an instance runs for one chunk. How the
//! instances' memory adds up to the model's is
//! [`crate::engine::measurement::instance_memory`].
//!
//! The browser half (spawning instances, posting messages) is
//! `browser::worker_instances`; it stops at these types.

use super::fault::Fault;
use super::gil_token::TokenLink;
use super::run::CpuRun;
use super::workload::CpuWorkload;
use crate::engine::measurement::instance_memory::InstanceMemory;
use crate::engine::measurement::probes::{Clock, MemoryProbe};
use crate::engine::measurement::records::{MemorySample, TaskRecord, TaskSpan};
use crate::engine::measurement::run_window::Instruments;
use crate::engine::measurement::sampling::CHUNK_SAMPLES;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// `multiprocessing.Pool.map`'s own chunksize: `len / (4 * workers)`,
/// rounded up (CPython `Pool._map_async`), at least 1.
pub fn pool_map_chunksize(task_count: usize, workers: usize) -> usize {
    task_count.div_ceil(4 * workers.max(1)).max(1)
}

/// The task list cut into chunks of `chunk_size` tasks, in order (the last
/// may be shorter). Workers take the next chunk when they finish one, so
/// uneven tasks balance out; `executor` sends chunks of one.
pub fn chunks(task_count: usize, chunk_size: usize) -> Vec<Range<usize>> {
    let chunk_size = chunk_size.max(1);
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
    /// Brought about at task 0 (tests, `fault=`).
    #[serde(default)]
    pub fault: Option<Fault>,
}

/// What a worker instance sends back for a chunk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChunkReply {
    /// The instance's memory when the chunk started, its recorders already
    /// allocated (so they are not counted as the workload's).
    pub memory_before: InstanceMemory,
    pub first_task: usize,
    /// u128 as a decimal string: JSON numbers are doubles.
    pub checksum: String,
    pub tasks_done: usize,
    /// The tasks done, in task order from `first_task`: one record per
    /// task timed alone, one per run of short tasks timed together.
    pub records: Vec<TaskRecord>,
    pub samples: Vec<MemorySample>,
    pub memory: InstanceMemory,
}

/// What a worker instance is sent to run `tasks` of `run` on lane `lane`,
/// on the run's time line.
pub fn chunk_request(run: &CpuRun, tasks: Range<usize>, lane: u32) -> ChunkRequest {
    ChunkRequest {
        workload: run.workload,
        first_task: tasks.start,
        end_task: tasks.end,
        lane,
        origin_ms: run.origin_ms(),
        fault: run.fault,
    }
}

/// Runs one chunk inside a worker instance (its own memory, its own heap
/// counters) and reports what it did and what it cost. The chunk's loop is
/// `seq`'s own: its tasks are timed in spans of back-to-back tasks, not a
/// clock read each (a read costs 0.35 µs, a short sieve task 5 µs).
// [model-code: cpu-workers cpu-executor]
pub fn run_chunk(request: &ChunkRequest, clock: &'static dyn Clock, memory: &'static dyn MemoryProbe) -> ChunkReply {
    let tasks = request.first_task..request.end_task;
    // A chunk is not stopped from inside: Stop sends no further chunks.
    let instruments = Instruments::new(clock, memory, Arc::new(AtomicBool::new(false)));
    // A sample buffer to the chunk's measure: one task (executor) needs a few.
    let samples = CHUNK_SAMPLES.min(tasks.len() + 8);
    let chunk =
        CpuRun::start_chunk(request.workload, &instruments, tasks.clone(), request.origin_ms, samples, request.fault);
    let memory_before = InstanceMemory::read(memory);
    let tally = chunk.run_sequential(tasks, request.lane);
    let (records, samples) = chunk.finish_chunk();
    ChunkReply {
        memory_before,
        first_task: request.first_task,
        checksum: tally.checksum.to_string(),
        tasks_done: tally.tasks_done,
        records,
        samples,
        memory: InstanceMemory::read(memory),
    }
}
// [/model-code]

/// What the page sends each of `gil`'s worker instances (where threads
/// cannot share memory) to start: the run; its tasks come with the token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GilRequest {
    pub workload: CpuWorkload,
    pub lane: u32,
    pub origin_ms: f64,
    #[serde(default)]
    pub fault: Option<Fault>,
}

/// What a `gil` instance sends back once the queue is empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GilReply {
    pub memory_before: InstanceMemory,
    /// u128 as a decimal string: JSON numbers are doubles.
    pub checksum: String,
    pub tasks_done: usize,
    /// Its records, each with the task it starts at (its tasks are scattered).
    pub records: Vec<(usize, TaskRecord)>,
    /// When it held the token, and when it waited for it.
    pub holds: Vec<TaskSpan>,
    pub waits: Vec<TaskSpan>,
    pub samples: Vec<MemorySample>,
    pub memory: InstanceMemory,
}

/// Runs one `gil` instance: tasks only while it holds the token
/// (`CpuRun::run_under_token`), on the page's time line.
pub async fn run_gil_instance(
    request: &GilRequest,
    link: &impl TokenLink,
    clock: &'static dyn Clock,
    memory: &'static dyn MemoryProbe,
) -> GilReply {
    // Stop terminates the instances; nothing stops this from inside.
    let instruments = Instruments::new(clock, memory, Arc::new(AtomicBool::new(false)));
    let tasks = 0..request.workload.task_count();
    let run =
        CpuRun::start_chunk(request.workload, &instruments, tasks, request.origin_ms, CHUNK_SAMPLES, request.fault);
    let memory_before = InstanceMemory::read(memory);
    let (tally, holds, waits) = run.run_under_token(link, request.lane).await;
    let (records, samples) = run.finish_chunk_indexed();
    GilReply {
        memory_before,
        checksum: tally.checksum.to_string(),
        tasks_done: tally.tasks_done,
        records,
        holds,
        waits,
        samples,
        memory: InstanceMemory::read(memory),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cpu::workload::Sieve;
    use crate::engine::measurement::probes::{NativeClock, NativeMemory};

    #[test]
    fn chunks_follow_pool_map_and_cover_every_task_once() {
        // CPython: divmod(15000, 2 * 4) = (1875, 0) -> chunksize 1875.
        assert_eq!(pool_map_chunksize(15000, 2), 1875);
        let cut = chunks(15000, 1875);
        assert_eq!(cut.len(), 8);
        assert!(cut.iter().all(|c| c.len() == 1875));
        // divmod(20, 8) = (2, 4) -> chunksize 3: 7 chunks, the last of 2.
        assert_eq!(pool_map_chunksize(20, 2), 3);
        assert_eq!(chunks(20, 3).iter().map(|c| c.len()).collect::<Vec<_>>(), vec![3, 3, 3, 3, 3, 3, 2]);
        for (tasks, size) in [(0, 3), (1, 8), (17, 5), (1000, 1)] {
            let covered: Vec<usize> = chunks(tasks, size).into_iter().flatten().collect();
            assert_eq!(covered, (0..tasks).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_chunk_reports_its_checksum_spans_and_memory() {
        let workload = CpuWorkload::Sieve(Sieve { from: 1000, to: 1100 });
        let request = ChunkRequest {
            workload,
            first_task: 10,
            end_task: 30,
            lane: 3,
            origin_ms: NativeClock.now_ms(),
            fault: None,
        };
        let reply = run_chunk(&request, &NativeClock, &NativeMemory);
        let expected: u128 = (10..30).map(|t| workload.run_task(t, &mut || true).unwrap()).sum();
        assert_eq!(reply.checksum, expected.to_string());
        assert_eq!(reply.tasks_done, 20);
        assert!(reply.records.iter().all(|r| r.lane() == 3));
        assert_eq!(reply.records.iter().map(TaskRecord::count).sum::<usize>(), 20);
        assert!(reply.samples.len() >= 2);
        // The message survives JSON, u128 checksum included.
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<ChunkReply>(&json).unwrap(), reply);
    }
}
