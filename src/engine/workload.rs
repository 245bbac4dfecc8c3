//! A workload of either family, or of tasks that do both, as the scheduler
//! and results see it: how many tasks, the checksum every model must
//! reach, a sentence for people. Its JSON form is the kind's own, tagged by
//! `kind` (`sieve`, `squares`, `io` or `mixed`).

use super::cpu::workload::CpuWorkload;
use super::io::workload::IoWorkload;
use super::mixed::MixedWorkload;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Workload {
    Cpu(CpuWorkload),
    Io(IoWorkload),
    Mixed(MixedWorkload),
}

impl Workload {
    pub fn id(&self) -> &'static str {
        match self {
            Self::Cpu(workload) => workload.id(),
            Self::Io(_) => "io",
            Self::Mixed(_) => "mixed",
        }
    }

    /// Tasks (CPU, mixed) or requests (IO).
    pub fn task_count(&self) -> usize {
        match self {
            Self::Cpu(workload) => workload.task_count(),
            Self::Io(workload) => workload.task_count(),
            Self::Mixed(workload) => workload.task_count(),
        }
    }

    /// The checksum every model must report, computed without running any
    /// model: the sum of the task results, or the bytes every request
    /// returns. `None` when it cannot be known ahead (a user's URL).
    pub fn expected_checksum(&self) -> Option<u128> {
        match self {
            Self::Cpu(workload) => Some(workload.expected_checksum()),
            Self::Io(workload) => workload.expected_bytes(),
            Self::Mixed(workload) => workload.expected_checksum(),
        }
    }

    /// How its tasks' requests are made (source, timeout), if any task waits.
    pub fn requests(&self) -> Option<&IoWorkload> {
        match self {
            Self::Cpu(_) => None,
            Self::Io(workload) | Self::Mixed(MixedWorkload { wait: workload, .. }) => Some(workload),
        }
    }

    /// The URLs of the tasks' requests, task i's at i, absolute under
    /// `base_url`, for the page's `run`-th run (see
    /// [`IoWorkload::request_url`]); none when no task waits.
    pub fn request_urls(&self, base_url: &str, run: u32) -> Vec<String> {
        match self.requests() {
            None => Vec::new(),
            Some(requests) => (0..self.task_count()).map(|i| requests.request_url(base_url, run, i)).collect(),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Cpu(workload) => workload.describe(),
            Self::Io(workload) => workload.describe(),
            Self::Mixed(workload) => workload.describe(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cpu::workload::Sieve;

    #[test]
    fn json_is_tagged_by_kind_and_round_trips() {
        for workload in [Workload::Cpu(CpuWorkload::Sieve(Sieve::DEFAULT)), Workload::Io(IoWorkload::default_sim())] {
            let json = serde_json::to_value(&workload).unwrap();
            assert_eq!(json["kind"], workload.id());
            assert_eq!(serde_json::from_value::<Workload>(json).unwrap(), workload);
        }
    }
}
