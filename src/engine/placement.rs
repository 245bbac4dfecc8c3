//! Where a model's work runs: what each model declares (`Placement`, by
//! family in `cpu::model` and `io::model`), the public word results give
//! for it (`RunsOn`), and what a lane of its timeline is (`LaneKind`).
//! Knows no model.

use serde::{Deserialize, Serialize};

/// Where a model's work runs, as the executors provide it: what they get
/// ready before a model's runs and free after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The page's own thread, nothing to get ready.
    PageThread,
    /// One job on the page's thread pool.
    PoolJob,
    /// k threads of the page's thread pool, the others parked.
    LimitedPool,
    /// k threads the model starts in the page's instance.
    InstanceThreads,
    /// k worker instances, each its own wasm instance and memory.
    WorkerInstances,
}

impl Placement {
    /// The results' word for it (`runs_on`).
    pub fn runs_on(self) -> RunsOn {
        match self {
            Self::PageThread => RunsOn::PageThread,
            Self::PoolJob | Self::LimitedPool => RunsOn::PoolThreads,
            Self::InstanceThreads => RunsOn::InstanceThreads,
            Self::WorkerInstances => RunsOn::WorkerInstances,
        }
    }
}

/// Where a model's work ran (results' `runs_on`): the public form of its
/// [`Placement`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunsOn {
    /// The page's own thread.
    PageThread,
    /// Threads of the page's thread pool, sharing its memory.
    PoolThreads,
    /// Threads the model started in the page's instance, sharing its memory.
    InstanceThreads,
    /// Worker instances, each its own wasm instance and memory.
    WorkerInstances,
}

/// What one lane of a model's timeline is, as each model declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneKind {
    /// A thread (its id).
    Thread,
    /// A worker instance fed chunks.
    Worker,
    /// A worker instance standing for a process that blocks in requests.
    Process,
    /// A slot for a request in flight (futures on one thread).
    Slot,
}

impl LaneKind {
    /// Lane `lane` in words: "thread 3", "worker 0".
    pub fn label(self, lane: u32) -> String {
        let word = match self {
            Self::Thread => "thread",
            Self::Worker => "worker",
            Self::Process => "process",
            Self::Slot => "slot",
        };
        format!("{word} {lane}")
    }
}
