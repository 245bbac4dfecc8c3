//! The values a run records, as results carry them: task spans and runs of
//! tasks, request spans with the kind of their failure, memory samples, and
//! the one derived figure every IO model is counted by (`max_in_flight`).
//! Plain data with its JSON form; how these are written while a run goes
//! is [`super::slots`].

use crate::sorting::sort_by;
use serde::{Deserialize, Serialize};

/// One finished task: times in ms since the model's run started.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskSpan {
    pub start_ms: f64,
    pub end_ms: f64,
    /// The thread (rayon, seq, main) or worker instance (workers) that ran it.
    pub lane: u32,
}

/// One entry of a model's `tasks` in results: a CPU task's span, or an IO
/// request's span with its status, bytes and error, or (in a shared link's
/// compact record, or for tasks too short to time one by one) a run of
/// `count` back-to-back tasks on one lane.
/// Serialized as the inner record alone, so CPU entries stay
/// `{start_ms, end_ms, lane}`; read back by the fields present
/// ([`AnyRecord`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TaskRecord {
    Request(RequestSpan),
    Run(TaskRun),
    Task(TaskSpan),
}

/// Every field a record may carry, read in one pass. `#[serde(untagged)]`
/// would buffer each record and try the variants in turn, building an
/// error message for each miss: two per CPU record. A worker instance's
/// reply carries about 130 records, parsed on the page's thread while the
/// other instances compute (and results JSON read back has thousands).
#[derive(Deserialize)]
struct AnyRecord {
    start_ms: f64,
    end_ms: f64,
    lane: u32,
    count: Option<u32>,
    status: Option<u16>,
    bytes: Option<u64>,
    error: Option<FetchErrorKind>,
    worker: Option<u32>,
}

impl<'de> Deserialize<'de> for TaskRecord {
    /// What `untagged` chose, in its order: a request if it has a status
    /// and bytes, a run if it has a count, else a task.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let AnyRecord { start_ms, end_ms, lane, count, status, bytes, error, worker } =
            AnyRecord::deserialize(deserializer)?;
        Ok(match (status, bytes, count) {
            (Some(status), Some(bytes), _) => {
                Self::Request(RequestSpan { start_ms, end_ms, lane, status, bytes, error, worker })
            }
            (_, _, Some(count)) => Self::Run(TaskRun { start_ms, end_ms, lane, count }),
            _ => Self::Task(TaskSpan { start_ms, end_ms, lane }),
        })
    }
}

/// Back-to-back tasks on one lane, as one record: `{start_ms, end_ms, lane, count}`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRun {
    pub start_ms: f64,
    pub end_ms: f64,
    pub lane: u32,
    pub count: u32,
}

impl TaskRecord {
    pub fn start_ms(&self) -> f64 {
        match self {
            Self::Request(span) => span.start_ms,
            Self::Run(run) => run.start_ms,
            Self::Task(span) => span.start_ms,
        }
    }

    pub fn end_ms(&self) -> f64 {
        match self {
            Self::Request(span) => span.end_ms,
            Self::Run(run) => run.end_ms,
            Self::Task(span) => span.end_ms,
        }
    }

    pub fn lane(&self) -> u32 {
        match self {
            Self::Request(span) => span.lane,
            Self::Run(run) => run.lane,
            Self::Task(span) => span.lane,
        }
    }

    /// How many tasks the record stands for.
    pub fn count(&self) -> usize {
        match self {
            Self::Run(run) => run.count as usize,
            _ => 1,
        }
    }
}

/// One memory reading: `[t_ms, wasm_memory_bytes, live_heap_bytes]` in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemorySample(pub f64, pub u64, pub u64);

impl MemorySample {
    pub fn t_ms(&self) -> f64 {
        self.0
    }
    pub fn wasm_memory_bytes(&self) -> u64 {
        self.1
    }
    pub fn live_heap_bytes(&self) -> u64 {
        self.2
    }
}

/// One finished request: times in ms since the model's run started. Public:
/// an entry of `tasks` in results for IO models.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestSpan {
    pub start_ms: f64,
    pub end_ms: f64,
    /// The slot it ran in: 0 for `seq`, the request's own slot for `all`
    /// and `workers`, one of k for `bounded` and `threads`.
    pub lane: u32,
    /// HTTP status, 0 if there was no response.
    pub status: u16,
    pub bytes: u64,
    pub error: Option<FetchErrorKind>,
    /// The worker instance that made it (`workers` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<u32>,
}

/// Why a request failed. Public: `error` of a request in results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchErrorKind {
    /// The server answered with a status outside 200-299.
    Http,
    /// No readable response: refused, unreachable, DNS, a network error, or
    /// a CORS refusal that could not be told apart (see `explanation`).
    Network,
    /// The server answered but did not allow this page to read it (CORS).
    Cors,
    /// No answer within the workload's `timeout_ms`.
    Timeout,
    /// Stop aborted the request.
    Cancelled,
}

impl FetchErrorKind {
    pub const ALL: [FetchErrorKind; 5] = [Self::Http, Self::Network, Self::Cors, Self::Timeout, Self::Cancelled];

    pub fn id(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Network => "network",
            Self::Cors => "cors",
            Self::Timeout => "timeout",
            Self::Cancelled => "cancelled",
        }
    }

    /// What it means for the user, and what to try.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Http => "The server answered with an error status (for example 404: the URL does not exist there).",
            // A page cannot tell these causes apart: the Fetch standard gives
            // it one TypeError for all of them.
            Self::Network => "No readable response: the host refused or could not be reached, or it answered without allowing this page to read it (CORS). Browsers do not tell a page which; the browser console (F12) names the cause.",
            Self::Cors => "The server answered, but its response does not carry Access-Control-Allow-Origin for this page, so the browser refused to let the page read it (CORS). Only a server that allows cross-origin reads can be measured from here.",
            Self::Timeout => "No answer within timeout_ms; the request was aborted. Raise timeout_ms or lower the latency.",
            Self::Cancelled => "Stop aborted the request while it was in flight.",
        }
    }

    /// The kind packed in a u32 for lock-free slots (0 is "none").
    pub(crate) fn code(self) -> u32 {
        self as u32 + 1
    }

    pub(crate) fn from_code(code: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// The most intervals [start, end) that overlap at any instant: the
/// requests in flight at once. Ends sort before starts at the same time,
/// so back-to-back requests count as one. O(n log n).
pub fn max_in_flight<'a>(spans: impl IntoIterator<Item = &'a RequestSpan>) -> u32 {
    let mut events: Vec<(u64, i32)> = Vec::new();
    for span in spans {
        events.push((micros(span.start_ms) as u64, 1));
        events.push((micros(span.end_ms) as u64, -1));
    }
    sort_by(&mut events, Ord::cmp);
    let (mut now, mut most) = (0i32, 0i32);
    for (_, delta) in events {
        now += delta;
        most = most.max(now);
    }
    most as u32
}

/// Milliseconds as whole microseconds (clamped to u32: 71 minutes): the
/// resolution every record is kept in, in slots, in results and in traces.
pub fn micros(ms: f64) -> u32 {
    (ms.max(0.0) * 1000.0).round().min(u32::MAX as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start_ms: f64, end_ms: f64) -> RequestSpan {
        RequestSpan { start_ms, end_ms, lane: 0, status: 200, bytes: 1, error: None, worker: None }
    }

    #[test]
    fn every_record_reads_back_as_the_kind_it_was_written_as() {
        let records = [
            TaskRecord::Task(TaskSpan { start_ms: 0.5, end_ms: 1.25, lane: 2 }),
            TaskRecord::Run(TaskRun { start_ms: 1.25, end_ms: 3.0, lane: 2, count: 16 }),
            TaskRecord::Request(span(3.0, 4.0)),
            TaskRecord::Request(RequestSpan {
                status: 0,
                error: Some(FetchErrorKind::Timeout),
                worker: Some(1),
                ..span(4.0, 5.0)
            }),
        ];
        let json = serde_json::to_string(&records).unwrap();
        // CPU records keep the public shape: no field of another kind.
        assert!(json.starts_with(r#"[{"start_ms":0.5,"end_ms":1.25,"lane":2},"#), "{json}");
        assert_eq!(serde_json::from_str::<Vec<TaskRecord>>(&json).unwrap(), records);
        // As untagged chose: a request needs both status and bytes.
        let partial: TaskRecord = serde_json::from_str(r#"{"start_ms":0,"end_ms":1,"lane":0,"status":200}"#).unwrap();
        assert_eq!(partial, TaskRecord::Task(TaskSpan { start_ms: 0.0, end_ms: 1.0, lane: 0 }));
        assert!(serde_json::from_str::<TaskRecord>(r#"{"start_ms":0,"lane":0}"#).is_err());
    }

    #[test]
    fn back_to_back_requests_are_one_in_flight() {
        let spans = [span(0.0, 1.0), span(1.0, 2.0), span(2.0, 3.0)];
        assert_eq!(max_in_flight(&spans), 1);
        let overlapping = [span(0.0, 2.0), span(1.0, 3.0), span(1.5, 1.6), span(5.0, 6.0)];
        assert_eq!(max_in_flight(&overlapping), 3);
        assert_eq!(max_in_flight(&[]), 0);
    }

    #[test]
    fn error_kinds_pack_into_codes_and_serialize_as_their_ids() {
        for kind in FetchErrorKind::ALL {
            assert_eq!(FetchErrorKind::from_code(kind.code()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.id()));
        }
        assert_eq!(FetchErrorKind::from_code(0), None);
    }

    #[test]
    fn micros_round_and_clamp() {
        assert_eq!((micros(1.2344), micros(-3.0), micros(1e12)), (1234, 0, u32::MAX));
    }
}
