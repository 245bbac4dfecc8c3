//! Worker instances fed chunks of tasks, their pure half:
//! multiprocessing.Pool.map's chunking (`workers`, `executor`'s chunks of
//! one), the `gil` instances' run under the page's token, the messages
//! between the page and its instances, and what an instance runs for one
//! chunk. How the instances' memory adds up to the model's is
//! [`crate::engine::measurement::instance_memory`].
//!
//! The browser half (spawning instances, posting messages) is
//! `browser::worker_instances`; it stops at these types.

use super::part::PartReply;
use super::run::ModelRun;
use crate::engine::cpu::fault::Fault;
use crate::engine::cpu::gil_token::TokenLink;
use crate::engine::io::fetch::{BlockingFetcher, Fetcher};
use crate::engine::measurement::instance_memory::InstanceMemory;
use crate::engine::measurement::probes::{Clock, MemoryProbe};
use crate::engine::measurement::records::TaskSpan;
use crate::engine::measurement::run_window::Instruments;
use crate::engine::measurement::sampling::CHUNK_SAMPLES;
use crate::engine::workload::Workload;
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

/// Chunk `index` of [`chunks`] over `tasks` (a queue's next taken chunk),
/// or `None` past the last. `index` is the shared queue's i32 counter,
/// which Stop pushes past any chunk count: negative or huge, it is no chunk.
pub fn nth_chunk(tasks: Range<usize>, chunk_size: usize, index: i32) -> Option<Range<usize>> {
    let chunk_size = chunk_size.max(1);
    let start = usize::try_from(index).ok()?.checked_mul(chunk_size)?.checked_add(tasks.start)?;
    (start < tasks.end).then(|| start..(start + chunk_size).min(tasks.end))
}

/// What the page sends a worker instance: one chunk of tasks (for a `gil`
/// instance, the tasks it may be leased with the token).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChunkRequest {
    pub workload: Workload,
    pub first_task: usize,
    pub end_task: usize,
    /// The URLs of the chunk's requests (none when its tasks only compute).
    #[serde(default)]
    pub urls: Vec<String>,
    /// The worker's index: the lane its spans are drawn in.
    pub lane: u32,
    /// The run's start on the shared clock, so spans line up with the page's.
    pub origin_ms: f64,
    /// Brought about at task 0 (tests, `fault=`).
    #[serde(default)]
    pub fault: Option<Fault>,
}

/// What a worker instance is sent to run `tasks` of `run` on lane `lane`,
/// on the run's time line.
pub fn chunk_request(run: &ModelRun, tasks: Range<usize>, lane: u32) -> ChunkRequest {
    ChunkRequest {
        workload: run.workload.clone(),
        urls: if run.waits() { run.urls(tasks.clone()).to_vec() } else { Vec::new() },
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
/// clock read each (a read costs 0.35 µs, a short sieve task 5 µs); a wait
/// blocks the instance in `net`, as a process blocks in requests.get.
// [model-code: cpu-workers cpu-executor]
pub fn run_chunk(
    request: &ChunkRequest,
    clock: &'static dyn Clock,
    memory: &'static dyn MemoryProbe,
    net: &impl BlockingFetcher,
) -> PartReply {
    let tasks = request.first_task..request.end_task;
    // A chunk is not stopped from inside: Stop sends no further chunks.
    let instruments = Instruments::new(clock, memory, Arc::new(AtomicBool::new(false)));
    // A sample buffer to the chunk's measure: one task (executor) needs a few.
    let samples = CHUNK_SAMPLES.min(tasks.len() + 8);
    let (workload, urls) = (request.workload.clone(), request.urls.clone());
    let origin_ms = Some(request.origin_ms);
    let chunk = ModelRun::start_part(workload, tasks.clone(), urls, &instruments, origin_ms, samples, request.fault);
    let memory_before = InstanceMemory::read(memory);
    let checksum = chunk.run_sequential(tasks, request.lane, net);
    PartReply::of(&chunk, checksum, memory_before, memory, |_, span| span)
}
// [/model-code]

/// What a `gil` instance sends back once the queue is empty: its part,
/// and when it held the token and when it waited for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GilReply {
    pub part: PartReply,
    pub holds: Vec<TaskSpan>,
    pub waits: Vec<TaskSpan>,
}

/// Runs one `gil` instance: tasks only while it holds the token
/// (`ModelRun::run_under_token`), on the page's time line.
pub async fn run_gil_instance(
    request: &ChunkRequest,
    link: &impl TokenLink,
    clock: &'static dyn Clock,
    memory: &'static dyn MemoryProbe,
    fetcher: &impl Fetcher,
) -> GilReply {
    // Stop terminates the instances; nothing stops this from inside.
    let instruments = Instruments::new(clock, memory, Arc::new(AtomicBool::new(false)));
    let tasks = request.first_task..request.end_task;
    let (workload, urls, origin_ms) = (request.workload.clone(), request.urls.clone(), Some(request.origin_ms));
    let run = ModelRun::start_part(workload, tasks, urls, &instruments, origin_ms, CHUNK_SAMPLES, request.fault);
    let memory_before = InstanceMemory::read(memory);
    let (checksum, holds, waits) = run.run_under_token(link, request.lane, fetcher).await;
    GilReply { part: PartReply::of(&run, checksum, memory_before, memory, |_, span| span), holds, waits }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cpu::workload::{CpuWorkload, Sieve};
    use crate::engine::io::fetch::NoNetwork;
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
    fn a_shared_queue_hands_out_pool_maps_chunks_then_none() {
        for (tasks, size) in [(0..20, 3), (5..22, 4), (0..1, 1), (0..0, 2)] {
            let taken: Vec<_> = (0..).map_while(|index| nth_chunk(tasks.clone(), size, index)).collect();
            let expected: Vec<_> =
                chunks(tasks.len(), size).into_iter().map(|c| c.start + tasks.start..c.end + tasks.start).collect();
            assert_eq!(taken, expected);
        }
        // Stop pushes the counter past every chunk; a wrapped counter is no chunk either.
        assert_eq!(nth_chunk(0..20, 3, i32::MAX), None);
        assert_eq!(nth_chunk(0..20, 3, -1), None);
    }

    #[test]
    fn a_chunk_reports_its_checksum_spans_and_memory() {
        let workload = CpuWorkload::Sieve(Sieve { from: 1000, to: 1100 });
        let request = ChunkRequest {
            workload: Workload::Cpu(workload),
            urls: Vec::new(),
            first_task: 10,
            end_task: 30,
            lane: 3,
            origin_ms: NativeClock.now_ms(),
            fault: None,
        };
        let reply = run_chunk(&request, &NativeClock, &NativeMemory, &NoNetwork);
        let expected: u128 = (10..30).map(|t| workload.run_task(t, &mut || true).unwrap()).sum();
        assert_eq!(reply.checksum, expected.to_string());
        assert_eq!(reply.tasks_done, 20);
        assert!(reply.computed.iter().all(|(_, r)| r.lane() == 3));
        assert_eq!(reply.computed.iter().map(|(_, r)| r.count()).sum::<usize>(), 20);
        assert_eq!(reply.computed[0].0, 10, "records name their first task");
        assert!(reply.samples.len() >= 2);
        // The message survives JSON, u128 checksum included.
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<PartReply>(&json).unwrap(), reply);
    }
}
