//! Worker instances given shares of the tasks, their pure half (IO
//! `workers` and `procs`): how a run's tasks are split among k instances
//! (contiguous, near-equal shares, as the posts split their URL list among
//! processes), the messages between the page and an instance, what an
//! instance runs for its share (every task at once, or one after another,
//! on its own memory, on the page's time line), and how its reply is
//! recorded into the page's run.
//!
//! The browser half (spawning instances, posting messages) is
//! `browser::worker_instances`; it stops at these types.

use super::part::PartReply;
use super::run::ModelRun;
use super::shapes::Lanes;
use crate::engine::io::fetch::Fetcher;
use crate::engine::measurement::instance_memory::InstanceMemory;
use crate::engine::measurement::records::RequestSpan;
use crate::engine::measurement::run_window::Instruments;
use crate::engine::measurement::sampling::MAX_SAMPLES;
use crate::engine::measurement::wire::WireTimings;
use crate::engine::workload::Workload;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// k contiguous shares of `count` requests, sizes differing by at most one,
/// none empty (fewer shares than k when there are fewer requests).
pub fn shares(count: usize, k: usize) -> Vec<Range<usize>> {
    let k = k.clamp(1, count.max(1));
    let (size, larger) = (count / k, count % k);
    let mut start = 0;
    (0..k)
        .map(|share| {
            let end = start + size + usize::from(share < larger);
            let range = start..end;
            start = end;
            range
        })
        .filter(|range| !range.is_empty())
        .collect()
}

/// What the page sends a worker instance: its share of the requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareRequest {
    pub workload: Workload,
    /// The share's first task (task i makes request i).
    pub first_index: usize,
    pub urls: Vec<String>,
    /// The instance's index: `worker` in its request records.
    pub worker: u32,
    /// The run's start on the shared clock, so times line up with the page's.
    pub origin_ms: f64,
    /// One request after another (`procs`), not all at once (`workers`).
    #[serde(default)]
    pub in_turn: bool,
}

/// What the instance sends back: its part, and what its browser saw of
/// the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareReply {
    pub part: PartReply,
    /// `nextHopProtocol` as the instance saw it (its own resource timeline).
    pub protocol: Option<String>,
    /// Its requests on the wire, as its own resource timeline saw them.
    #[serde(default)]
    pub wire: WireTimings,
}

/// Runs one share inside a worker instance: all its tasks at once
/// (`workers`: a process running asyncio.gather on its share).
// [model-code: io-workers]
pub async fn run_share(request: ShareRequest, fetcher: &impl Fetcher, instruments: &Instruments) -> ShareReply {
    let (worker, run) = (request.worker, start_share(request, instruments));
    let memory_before = InstanceMemory::read(instruments.memory);
    let checksum = run.run_gathered(Lanes::PerTask, fetcher).await;
    // Every request had a slot of its own: its place in the whole list.
    share_reply(&run, checksum, worker, memory_before, instruments, |task| task as u32)
}
// [/model-code]

/// Runs one share inside a worker instance, one task after another
/// (`procs`: a process of ProcessPoolExecutor calling requests.get; the
/// page sends it one URL at a time). Each wait is awaited, not blocked in:
/// from outside the same, one request in flight per process, and an
/// instance that awaits still reads the page's messages, so Stop can abort it.
// [model-code: io-procs]
pub async fn run_share_in_turn(request: ShareRequest, fetcher: &impl Fetcher, instruments: &Instruments) -> ShareReply {
    let (worker, run) = (request.worker, start_share(request, instruments));
    let memory_before = InstanceMemory::read(instruments.memory);
    let checksum = run.run_in_turn(run.tasks(), worker, fetcher).await;
    // One lane per process: it made its requests one after another.
    share_reply(&run, checksum, worker, memory_before, instruments, |_| worker)
}
// [/model-code]

/// The run of a share, on the page's time line.
fn start_share(request: ShareRequest, instruments: &Instruments) -> ModelRun {
    let tasks = request.first_index..request.first_index + request.urls.len();
    let origin_ms = Some(request.origin_ms);
    ModelRun::start_part(request.workload, tasks, request.urls, instruments, origin_ms, MAX_SAMPLES, None)
}

/// What an instance sends back once its share has run: each request
/// named with the instance, on the lane `lane` gives it.
fn share_reply(
    run: &ModelRun,
    checksum: u128,
    worker: u32,
    memory_before: InstanceMemory,
    instruments: &Instruments,
    lane: impl Fn(usize) -> u32,
) -> ShareReply {
    let request = |task, span| RequestSpan { worker: Some(worker), lane: lane(task), ..span };
    let part = PartReply::of(run, checksum, memory_before, instruments.memory, request);
    ShareReply { part, protocol: None, wire: WireTimings::default() }
}

/// The tasks of `run` for k worker instances: contiguous, near-equal
/// shares (see [`shares`]), on the run's time line.
pub fn share_requests(run: &ModelRun, k: usize) -> Vec<ShareRequest> {
    let first = run.tasks().start;
    shares(run.tasks().len(), k)
        .into_iter()
        .enumerate()
        .map(|(worker, range)| share_request(run, first + range.start..first + range.end, worker as u32))
        .collect()
}

/// The tasks `tasks` of `run` as a share for `worker`.
fn share_request(run: &ModelRun, tasks: std::ops::Range<usize>, worker: u32) -> ShareRequest {
    ShareRequest {
        workload: run.workload.clone(),
        first_index: tasks.start,
        urls: run.urls(tasks).to_vec(),
        worker,
        origin_ms: run.origin_ms(),
        in_turn: false,
    }
}

/// Task `task` of `run` alone, as a share for `worker`: `procs` sends one
/// URL per message, as ProcessPoolExecutor.map hands its items out, and
/// records it as sent.
pub fn dispatch_one(run: &ModelRun, task: usize, worker: u32) -> ShareRequest {
    run.record_dispatch(task, worker);
    ShareRequest { in_turn: true, ..share_request(run, task..task + 1, worker) }
}

/// Records what a worker instance did with its share into the page's run:
/// what it computed, its requests, its browser's messages, the protocol it
/// saw. Returns what its tasks computed.
pub fn record_share(run: &ModelRun, reply: &ShareReply) -> u128 {
    if let Some(protocol) = &reply.protocol {
        run.note_protocol(protocol);
    }
    reply.part.record_into(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_request_once_and_differ_by_at_most_one() {
        assert_eq!(shares(10, 3), vec![0..4, 4..7, 7..10]);
        assert_eq!(shares(2, 4), vec![0..1, 1..2]);
        assert_eq!(shares(0, 2), Vec::<Range<usize>>::new());
        for (count, k) in [(100, 2), (7, 7), (1, 1), (99, 8)] {
            let parts = shares(count, k);
            let covered: Vec<usize> = parts.iter().cloned().flatten().collect();
            assert_eq!(covered, (0..count).collect::<Vec<_>>());
            let sizes: Vec<usize> = parts.iter().map(|r| r.len()).collect();
            assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{sizes:?}");
        }
    }
}
