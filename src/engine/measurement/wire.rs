//! What a run records of its requests on the wire: the browser's Resource
//! Timing of them (when each was sent and when its last byte came), and
//! what the figure derived from it (`io::on_wire`) was counted from. Types
//! only; results carry them.

use serde::{Deserialize, Serialize};

/// What `max_on_wire` was counted from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnWireBasis {
    /// Each request's `requestStart` to `responseEnd`, as the browser timed it.
    ResourceTiming,
    /// The waves in which the answers ended (the browser withheld its timing).
    Estimated,
    /// Answered by the page's service worker: no connection carried them.
    ServiceWorker,
}

/// Resource Timing of a run's requests, as each context that made them
/// read its own timeline: the times each was on the wire, and how many
/// entries withheld them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WireTimings {
    /// `(request_start, response_end)` on the shared clock.
    pub intervals: Vec<(f64, f64)>,
    /// Entries whose timing the server withheld (no `Timing-Allow-Origin`).
    pub hidden: u32,
}

impl WireTimings {
    pub fn add(&mut self, other: WireTimings) {
        self.intervals.extend(other.intervals);
        self.hidden += other.hidden;
    }
}
