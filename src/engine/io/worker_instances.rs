//! The IO `workers` model's worker instances, their pure half: how a run's
//! request list is split among k instances (contiguous, near-equal shares,
//! as the posts split their URL list among processes), the messages between
//! the page and an instance, what an instance runs for its share (every
//! request at once, on its own memory, on the page's time line), and how
//! its reply is recorded into the page's run.
//!
//! The browser half (spawning instances, posting messages) is
//! `browser::worker_instances`; it stops at these types.

use super::fetch::Fetcher;
use super::run::IoRun;
use super::workload::IoWorkload;
use crate::engine::measurement::instance_memory::InstanceMemory;
use crate::engine::measurement::records::{FetchErrorKind, MemorySample, RequestSpan};
use crate::engine::measurement::run_window::Instruments;
use crate::engine::measurement::wire::WireTimings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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
    pub workload: IoWorkload,
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

/// What the instance sends back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareReply {
    /// The instance's memory when the share started, its recorders already
    /// allocated (so they are not counted as the workload's).
    pub memory_before: InstanceMemory,
    /// (index in the whole list, record) for every request it started.
    pub spans: Vec<(usize, RequestSpan)>,
    pub messages: BTreeMap<FetchErrorKind, String>,
    pub samples: Vec<MemorySample>,
    pub memory: InstanceMemory,
    /// `nextHopProtocol` as the instance saw it (its own resource timeline).
    pub protocol: Option<String>,
    /// Its requests on the wire, as its own resource timeline saw them.
    #[serde(default)]
    pub wire: WireTimings,
}

/// Runs one share inside a worker instance: all its requests at once
/// (`workers`: a process running asyncio.gather on its share).
// [model-code: io-workers]
pub async fn run_share(request: ShareRequest, fetcher: &impl Fetcher, instruments: &Instruments) -> ShareReply {
    let worker = request.worker;
    let run = IoRun::start(request.workload, request.urls, request.first_index, instruments, Some(request.origin_ms));
    let memory_before = InstanceMemory::read(instruments.memory);
    run.run_all(fetcher).await;
    // Every request had a slot of its own: its place in the whole list.
    share_reply(&run, worker, memory_before, instruments, |index, _| index as u32)
}
// [/model-code]

/// Runs one share inside a worker instance, one request after another
/// (`procs`: a process of ProcessPoolExecutor calling requests.get; the
/// page sends it one URL at a time). Each is awaited, not blocked in: from
/// outside the same, one request in flight per process, and an instance
/// that awaits still reads the page's messages, so Stop can abort it.
// [model-code: io-procs]
pub async fn run_share_in_turn(request: ShareRequest, fetcher: &impl Fetcher, instruments: &Instruments) -> ShareReply {
    let worker = request.worker;
    let run = IoRun::start(request.workload, request.urls, request.first_index, instruments, Some(request.origin_ms));
    let memory_before = InstanceMemory::read(instruments.memory);
    run.run_sequential(fetcher).await;
    // One lane per process: it made its requests one after another.
    share_reply(&run, worker, memory_before, instruments, |_, _| worker)
}
// [/model-code]

/// What an instance sends back once its share has run.
fn share_reply(
    run: &IoRun,
    worker: u32,
    memory_before: InstanceMemory,
    instruments: &Instruments,
    lane: impl Fn(usize, &RequestSpan) -> u32,
) -> ShareReply {
    let measurement = run.finish();
    let spans = run
        .spans()
        .into_iter()
        .map(|(index, span)| (index, RequestSpan { worker: Some(worker), lane: lane(index, &span), ..span }))
        .collect();
    ShareReply {
        memory_before,
        spans,
        messages: run.failure_messages(),
        samples: measurement.memory_samples,
        memory: InstanceMemory::read(instruments.memory),
        protocol: None,
        wire: WireTimings::default(),
    }
}

/// The requests of `run` for k worker instances: contiguous, near-equal
/// shares (see [`shares`]), on the run's time line.
pub fn share_requests(run: &IoRun, k: usize) -> Vec<ShareRequest> {
    shares(run.request_count(), k)
        .into_iter()
        .enumerate()
        .map(|(worker, range)| share_request(run, range, worker as u32))
        .collect()
}

/// The requests `range` of `run` (its own indices) as a share for `worker`.
fn share_request(run: &IoRun, range: Range<usize>, worker: u32) -> ShareRequest {
    ShareRequest {
        workload: run.workload.clone(),
        first_index: run.first_index() + range.start,
        urls: run.urls(range).to_vec(),
        worker,
        origin_ms: run.origin_ms(),
        in_turn: false,
    }
}

/// Request `index` of `run` alone, as a share for `worker`: `procs` sends
/// one URL per message, as ProcessPoolExecutor.map hands its items out,
/// and records it as sent.
pub fn dispatch_one(run: &IoRun, index: usize, worker: u32) -> ShareRequest {
    run.record_dispatch(index, worker);
    let local = index - run.first_index();
    ShareRequest { in_turn: true, ..share_request(run, local..local + 1, worker) }
}

/// Records what a worker instance did with its share into the page's run:
/// its requests, its browser's messages, the protocol it saw.
pub fn record_share(run: &IoRun, reply: &ShareReply) {
    for (index, span) in &reply.spans {
        let message = span.error.and_then(|kind| reply.messages.get(&kind)).map(String::as_str);
        run.record_remote(*index, span, message);
    }
    if let Some(protocol) = &reply.protocol {
        run.note_protocol(protocol);
    }
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
