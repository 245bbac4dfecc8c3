//! What a worker instance sends back for its part of a run (a chunk, a
//! share, or a `gil` instance's tasks), and how the page records it into
//! its own run. The messages around it are [`super::chunks`]' and
//! [`super::shares`]'.

use super::run::{ModelRun, PartBooks};
use crate::engine::measurement::instance_memory::InstanceMemory;
use crate::engine::measurement::probes::MemoryProbe;
use crate::engine::measurement::records::{FetchErrorKind, MemorySample, RequestSpan, TaskRecord};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An instance's part of a run, as it reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartReply {
    /// The instance's memory when the part started, its books already
    /// allocated (so they are not counted as the workload's).
    pub memory_before: InstanceMemory,
    /// What its tasks computed: u128 as a decimal string (JSON numbers are doubles).
    pub checksum: String,
    /// Tasks that ran every step, for the page's progress line.
    pub tasks_done: usize,
    /// What it computed, each record with the task it starts at.
    pub computed: Vec<(usize, TaskRecord)>,
    /// Its requests, each with its task.
    pub requests: Vec<(usize, RequestSpan)>,
    /// The first message of each kind of failure it saw.
    pub messages: BTreeMap<FetchErrorKind, String>,
    pub samples: Vec<MemorySample>,
    pub memory: InstanceMemory,
}

impl PartReply {
    /// The reply of `run`, a part whose loop has returned having computed
    /// `checksum`; each request's record passed through `request`.
    pub fn of(
        run: &ModelRun,
        checksum: u128,
        memory_before: InstanceMemory,
        memory: &dyn MemoryProbe,
        request: impl Fn(usize, RequestSpan) -> RequestSpan,
    ) -> Self {
        let PartBooks { computed, requests, samples, tasks_done } = run.finish_part();
        Self {
            memory_before,
            checksum: checksum.to_string(),
            tasks_done,
            computed,
            requests: requests.into_iter().map(|(task, span)| (task, request(task, span))).collect(),
            messages: run.failure_messages(),
            samples,
            memory: InstanceMemory::read(memory),
        }
    }

    /// Records it into the page's run: what it computed, its requests with
    /// their messages, how many tasks it ended. Returns what it computed.
    pub fn record_into(&self, run: &ModelRun) -> u128 {
        run.record_remote_computed(&self.computed);
        for (task, span) in &self.requests {
            let message = span.error.and_then(|kind| self.messages.get(&kind)).map(String::as_str);
            run.record_remote_request(*task, span, message);
        }
        run.record_remote_done(self.tasks_done);
        self.checksum.parse().unwrap_or(0)
    }
}
