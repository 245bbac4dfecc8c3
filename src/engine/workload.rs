//! A workload of either family, as the scheduler and results see it: how
//! many tasks, the checksum every model must reach, a sentence for people.
//! Its JSON form is the family's own, tagged by `kind` (`sieve`, `squares`
//! or `io`).

use super::cpu::workload::CpuWorkload;
use super::io::workload::IoWorkload;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Workload {
    Cpu(CpuWorkload),
    Io(IoWorkload),
}

impl Workload {
    pub fn id(&self) -> &'static str {
        match self {
            Self::Cpu(workload) => workload.id(),
            Self::Io(_) => "io",
        }
    }

    /// Tasks (CPU) or requests (IO).
    pub fn task_count(&self) -> usize {
        match self {
            Self::Cpu(workload) => workload.task_count(),
            Self::Io(workload) => workload.task_count(),
        }
    }

    /// The checksum every model must report, computed without running any
    /// model: the sum of the task results, or the bytes every request
    /// returns. `None` when it cannot be known ahead (a user's URL).
    pub fn expected_checksum(&self) -> Option<u128> {
        match self {
            Self::Cpu(workload) => Some(workload.expected_checksum()),
            Self::Io(workload) => workload.expected_bytes(),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Cpu(workload) => workload.describe(),
            Self::Io(workload) => workload.describe(),
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
