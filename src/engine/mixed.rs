//! Tasks that wait and compute: each task makes one request (with the IO
//! workload's parameters) and runs one compute step (the sieve up to
//! `compute_n`), in the order given: download, then parse, or the other
//! way round. The engine runs it in every shape (`task::shapes`); the URL
//! parameters and the models the page offers for it are the configuration's
//! to add.

use super::cpu::kernel::{Compute, Kernel};
use super::cpu::sieve;
use super::io::workload::IoWorkload;
use serde::{Deserialize, Serialize};

/// Which step of a task comes first. The ids are public (`order=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Download, then parse.
    WaitFirst,
    ComputeFirst,
}

impl Order {
    pub const ALL: [Order; 2] = [Self::WaitFirst, Self::ComputeFirst];

    pub fn id(self) -> &'static str {
        match self {
            Self::WaitFirst => "wait_first",
            Self::ComputeFirst => "compute_first",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|order| order.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::WaitFirst => "Request, then compute (download, then parse)",
            Self::ComputeFirst => "Compute, then request (prepare, then upload)",
        }
    }
}

/// `requests` tasks (the count is the IO workload's), each one request and
/// one compute step; its JSON form is `{"kind": "mixed", ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename = "mixed")]
pub struct MixedWorkload {
    pub wait: IoWorkload,
    /// The sieve's n in every task's compute step.
    pub compute_n: u64,
    pub order: Order,
}

impl MixedWorkload {
    /// `workload=mixed` when the link says no more: 40 tasks, each a
    /// request and a sieve of about a millisecond.
    pub const DEFAULT_TASKS: u32 = 40;
    pub const DEFAULT_COMPUTE_N: u64 = 200_000;

    pub fn task_count(&self) -> usize {
        self.wait.task_count()
    }

    /// Every task's compute step.
    pub fn compute_step(&self) -> Compute {
        Compute { kernel: Kernel::Sieve, size: self.compute_n }
    }

    /// What every task computes, and the bytes every request returns, in
    /// all; `None` when the bytes cannot be known ahead (a user's URL).
    pub fn expected_checksum(&self) -> Option<u128> {
        let computed = self.task_count() as u128 * sieve::count_primes_up_to(self.compute_n) as u128;
        self.wait.expected_bytes().map(|bytes| bytes + computed)
    }

    pub fn describe(&self) -> String {
        let compute = format!("counting the primes up to {}", self.compute_n);
        let steps = match self.order {
            Order::WaitFirst => format!("a request, then {compute}"),
            Order::ComputeFirst => format!("{compute}, then a request"),
        };
        format!("{} tasks, each {steps}; each request {}", self.task_count(), self.wait.describe_request())
    }
}
