//! A model of either family, for the parts of the pipeline that do not care
//! which: the scheduler, results, progress and the model cards; its public
//! id ([`ModelId`], the one word in `models=`, results and every view);
//! where it runs ([`Placement`]); and an entry of `models=` ([`Item`]).
//! An id names a model only with its family (`seq` and `workers` exist in
//! both); the workload decides which family `models=` is read in.

use super::cpu::model::CpuModel;
use super::io::model::IoModel;
use super::workload::Workload;
use serde::{Deserialize, Serialize};

/// A model's public id, typed: `models=` in the URL, `id` in results, and
/// what every view reads. A string only at those boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelId {
    Main,
    Seq,
    AsyncNoawait,
    Async,
    Gil,
    Rayon,
    Workers,
    Executor,
    All,
    Bounded,
    Threads,
    Procs,
}

impl ModelId {
    pub const ALL: [ModelId; 12] = [
        Self::Main,
        Self::Seq,
        Self::AsyncNoawait,
        Self::Async,
        Self::Gil,
        Self::Rayon,
        Self::Workers,
        Self::Executor,
        Self::All,
        Self::Bounded,
        Self::Threads,
        Self::Procs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::Seq => "seq",
            Self::AsyncNoawait => "async_noawait",
            Self::Async => "async",
            Self::Gil => "gil",
            Self::Rayon => "rayon",
            Self::Workers => "workers",
            Self::Executor => "executor",
            Self::All => "all",
            Self::Bounded => "bounded",
            Self::Threads => "threads",
            Self::Procs => "procs",
        }
    }

    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|model| model.as_str() == id)
    }

    /// The model's colour in every chart, `(red, green, blue)`: its own
    /// hue, readable on the light and the dark theme (a model of either
    /// family with this id shares it: `seq` is the grey baseline in both).
    pub fn rgb(self) -> (u8, u8, u8) {
        match self {
            Self::Main => (0xd9, 0x48, 0x3b),
            Self::Seq => (0x7d, 0x85, 0x90),
            Self::AsyncNoawait => (0xc2, 0x41, 0x0c),
            Self::Async => (0xca, 0x8a, 0x04),
            Self::Gil => (0xdb, 0x27, 0x77),
            Self::Rayon => (0x3b, 0x6f, 0xd9),
            Self::Workers => (0x8b, 0x5c, 0xf6),
            Self::Executor => (0x65, 0x4c, 0xb3),
            Self::All => (0x0e, 0x9f, 0x6e),
            Self::Bounded => (0xd9, 0x77, 0x06),
            Self::Threads => (0x08, 0x91, 0xb2),
            Self::Procs => (0x7c, 0x3a, 0xed),
        }
    }

    /// The baseline speedups are measured against: `seq` in both families.
    pub fn is_baseline(self) -> bool {
        self == Self::Seq
    }
}

impl std::fmt::Display for ModelId {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Model {
    Cpu(CpuModel),
    Io(IoModel),
}

impl Model {
    pub fn id(self) -> ModelId {
        match self {
            Self::Cpu(model) => model.id(),
            Self::Io(model) => model.id(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Cpu(model) => model.label(),
            Self::Io(model) => model.label(),
        }
    }

    pub fn python_counterpart(self) -> &'static str {
        match self {
            Self::Cpu(model) => model.python_counterpart(),
            Self::Io(model) => model.python_counterpart(),
        }
    }

    /// What Python calls it in a few words; `None` beyond Python (rayon).
    pub fn python_name(self) -> Option<&'static str> {
        match self {
            Self::Cpu(model) => model.python_name(),
            Self::Io(model) => Some(model.python_name()),
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            Self::Cpu(model) => model.explanation(),
            Self::Io(model) => model.explanation(),
        }
    }

    pub fn caveat(self) -> Option<&'static str> {
        match self {
            Self::Cpu(model) => model.caveat(),
            Self::Io(model) => model.caveat(),
        }
    }

    /// Where the model runs: with threads that share one memory when the
    /// browser offers it (`shared_memory`), and without. `None`: it cannot
    /// run without. Each family declares it once, per model.
    pub fn placement(self, shared_memory: bool) -> Option<Placement> {
        match self {
            Self::Cpu(model) => model.placement(shared_memory),
            Self::Io(model) => model.placement(shared_memory),
        }
    }

    /// Whether the model needs threads that share one memory, and so a
    /// cross-origin isolated page (SharedArrayBuffer).
    pub fn needs_shared_memory(self) -> bool {
        self.placement(false).is_none()
    }

    /// What an item's `@k` sets for it, if it takes one.
    pub fn k_means(self) -> Option<KMeans> {
        match self {
            Self::Cpu(model) if model.uses_thread_count() => Some(KMeans::Threads),
            Self::Io(model) if model.uses_thread_count() => Some(KMeans::Instances),
            Self::Io(model) if model.uses_concurrency() => Some(KMeans::Concurrency),
            _ => None,
        }
    }

    /// The model of `id` in the family of `workload` (results' entries
    /// carry the id; the record, its workload).
    pub fn of(workload: &Workload, id: ModelId) -> Option<Self> {
        match workload {
            Workload::Cpu(_) => CpuModel::from_id(id).map(Self::Cpu),
            Workload::Io(_) => IoModel::from_id(id).map(Self::Io),
        }
    }

    /// What a lane of its timeline is, by its number: a thread (its id),
    /// a worker instance (CPU `workers`), or a slot for a request in flight
    /// (IO futures; IO `workers` also name the instance in each record).
    pub fn lane_label(self, lane: u32) -> String {
        match self {
            Self::Cpu(CpuModel::Workers | CpuModel::Executor) => format!("worker {lane}"),
            Self::Cpu(_) | Self::Io(IoModel::Threads) => format!("thread {lane}"),
            Self::Io(IoModel::Procs) => format!("process {lane}"),
            Self::Io(_) => format!("slot {lane}"),
        }
    }

    /// Whether the thread sweep runs it at every thread count.
    pub fn is_swept(self) -> bool {
        matches!(self, Self::Cpu(CpuModel::Gil | CpuModel::Rayon | CpuModel::Workers))
    }

    /// The baseline speedups are measured against: `seq` in both families.
    pub fn is_baseline(self) -> bool {
        self.id().is_baseline()
    }
}

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

/// What an item's `@k` is for its model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KMeans {
    /// Threads or worker instances for CPU work (`threads=`): at most the
    /// cores, as more gains nothing.
    Threads,
    /// Worker instances for IO (`threads=`): processes waiting on the
    /// network, which may outnumber the cores (ProcessPoolExecutor(5) on
    /// any machine).
    Instances,
    /// Requests in flight, or blocking threads (`concurrency=`).
    Concurrency,
}

/// One entry of `models=`: a model, and its own k when the entry was
/// written `id@k` (`threads@100`), so one run can hold the same model at
/// several k.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Item<M> {
    pub model: M,
    pub k: Option<u32>,
}

/// An entry of either family.
pub type ModelItem = Item<Model>;

impl<M> Item<M> {
    pub fn plain(model: M) -> Self {
        Self { model, k: None }
    }
}

impl ModelItem {
    /// The entry as written: `threads@100`, or the id alone. Public: `key`
    /// of a model's results.
    pub fn key(&self) -> String {
        match self.k {
            Some(k) => format!("{}@{k}", self.model.id()),
            None => self.model.id().to_string(),
        }
    }
}
