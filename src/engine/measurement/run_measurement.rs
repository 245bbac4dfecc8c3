//! What one run of one model measured, CPU or IO alike: the record that the
//! reporting code turns into a model's result. IO runs add [`IoFacts`],
//! derived from their request records only. What getting the model ready
//! took, outside every run, is [`Startup`].

use super::records::{max_in_flight, FetchErrorKind, MemorySample, RequestSpan, TaskRecord, TaskSpan};
use super::wire::OnWireBasis;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything one run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct RunMeasurement {
    pub elapsed_ms: f64,
    /// CPU: the sum of the task results. IO: the bytes received.
    pub checksum: u128,
    /// Tasks (or requests) that ran to the end.
    pub tasks_done: usize,
    /// Stop was pressed: fewer than all tasks ran.
    pub partial: bool,
    /// Distinct threads (or worker instances) that ran at least one task.
    pub threads_used: usize,
    pub wasm_memory_bytes_before: u64,
    pub wasm_memory_bytes_after: u64,
    pub live_heap_bytes_before: u64,
    pub live_heap_bytes_after: u64,
    pub peak_live_heap_bytes: u64,
    pub tasks: Vec<TaskRecord>,
    pub memory_samples: Vec<MemorySample>,
    /// IO runs only.
    pub io: Option<IoFacts>,
    /// What the model's shape adds (a lock's hand-offs, yields, messages).
    pub shape: ShapeFacts,
}

/// What some models' shapes add to a run's figures; all `None` for the
/// rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShapeFacts {
    /// The `gil` model's lock.
    pub gil: Option<GilFacts>,
    /// `async`: times the run handed the page's event loop back.
    pub yields: Option<u32>,
    /// Worker-instance models: messages between the page and the
    /// instances, both ways (a request and its reply are two).
    pub messages: Option<u32>,
    /// Worker-instance models: each message the page sent an instance,
    /// from its sending (`start_ms`) to its reply's reading (`end_ms`),
    /// `lane` the instance.
    pub instance_messages: Option<Vec<TaskSpan>>,
}

/// What the `gil` model's lock did in one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GilFacts {
    /// Times the lock went from one thread to another.
    pub switches: u32,
    /// Time threads spent waiting for the lock, all threads together.
    pub wait_ms: f64,
    /// Who held the lock when: one span per hold, `lane` the holder.
    pub holds: Vec<TaskSpan>,
    /// Who waited for it when: one span per wait, `lane` the waiter.
    pub waits: Vec<TaskSpan>,
}

/// What an IO run adds: requests, failures, bytes, concurrency reached.
/// Public as it stands: these are fields of an IO model's result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IoFacts {
    pub requests_ok: u32,
    pub requests_failed: u32,
    /// Failed requests by kind (`cancelled` included).
    pub failures: BTreeMap<FetchErrorKind, u32>,
    /// The browser's first message for each kind of failure.
    pub failure_messages: BTreeMap<FetchErrorKind, String>,
    /// The most requests in flight at one instant, from the records: as
    /// many as the model had started and not yet seen answered.
    pub max_in_flight: u32,
    /// The most of them really on the wire at once (see `io::on_wire`):
    /// over HTTP/1.1 the browser opens at most six connections to a host.
    /// `null` when unknown, and for the service worker's answers.
    #[serde(default)]
    pub max_on_wire: Option<u32>,
    /// What `max_on_wire` was counted from.
    #[serde(default)]
    pub on_wire_basis: Option<OnWireBasis>,
    /// `nextHopProtocol` of the responses ("h2", "http/1.1", ...), or
    /// "service-worker" for the latency source; `null` when the browser
    /// does not reveal it (a cross-origin server without Timing-Allow-Origin).
    pub protocol: Option<String>,
    pub bytes_total: u64,
    /// The page's JavaScript heap (`performance.memory`, Chromium only).
    pub js_heap_bytes_before: Option<u64>,
    pub js_heap_bytes_after: Option<u64>,
    pub peak_js_heap_bytes: Option<u64>,
    /// `[t_ms, js_heap_bytes]` while the run went.
    pub js_heap_samples: Vec<(f64, u64)>,
}

/// What getting a model ready took: time, and the memory its threads or
/// instances hold before any run (stacks, thread-locals, instances'
/// memories). Outside every run's figures, so reported on its own.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Startup {
    pub ms: f64,
    /// Linear memory added: the page's growth plus each new instance's own.
    pub wasm_memory_bytes: u64,
    /// Live heap added, in the page's instance and the new instances together.
    pub live_heap_bytes: u64,
    /// What the model's threads or instances hold, whatever ran before: a
    /// thread's stack and thread-locals (allocated from the heap, so counted
    /// even where the page's memory had room left by an earlier model), an
    /// instance's whole memory. Growth alone would be order-dependent: the
    /// page's linear memory never shrinks, so 20 threads after 100 grow it
    /// by nothing.
    pub held_bytes: u64,
    /// The threads or instances that hold it (0: the page's own thread).
    pub holders: u32,
}

impl IoFacts {
    pub fn from_spans<'a>(
        spans: impl Iterator<Item = &'a RequestSpan> + Clone,
        failure_messages: BTreeMap<FetchErrorKind, String>,
        js_heap_bytes_before: Option<u64>,
        js_heap_bytes_after: Option<u64>,
        peak_js_heap_bytes: Option<u64>,
        js_heap_samples: Vec<(f64, u64)>,
    ) -> Self {
        let mut facts = IoFacts {
            failure_messages,
            js_heap_bytes_before,
            js_heap_bytes_after,
            peak_js_heap_bytes,
            js_heap_samples,
            max_in_flight: max_in_flight(spans.clone()),
            ..Default::default()
        };
        for span in spans {
            facts.bytes_total += span.bytes;
            match span.error {
                None => facts.requests_ok += 1,
                Some(kind) => {
                    facts.requests_failed += 1;
                    *facts.failures.entry(kind).or_default() += 1;
                }
            }
        }
        facts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_count_every_request_once() {
        let ok = RequestSpan { start_ms: 0.0, end_ms: 2.0, lane: 0, status: 200, bytes: 10, error: None, worker: None };
        let missing = RequestSpan { status: 404, bytes: 3, error: Some(FetchErrorKind::Http), ..ok };
        let refused = RequestSpan { status: 0, bytes: 0, error: Some(FetchErrorKind::Network), start_ms: 5.0, ..ok };
        let spans = [ok, missing, refused];
        let facts = IoFacts::from_spans(spans.iter(), BTreeMap::new(), None, None, None, vec![]);
        assert_eq!((facts.requests_ok, facts.requests_failed, facts.bytes_total), (1, 2, 13));
        assert_eq!(facts.failures[&FetchErrorKind::Http], 1);
        assert_eq!(facts.failures[&FetchErrorKind::Network], 1);
        assert_eq!(facts.max_in_flight, 2);
    }
}
