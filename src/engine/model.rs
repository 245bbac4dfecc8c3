//! A model of either family, for the parts of the pipeline that do not care
//! which: the scheduler, results, progress and the model cards; and an
//! entry of `models=` ([`Item`]). An id ([`super::model_id::ModelId`]) names a model only
//! with its family (`seq` and `workers` exist in both); the workload
//! decides which family `models=` is read in.

use super::cpu::model::CpuModel;
use super::io::model::IoModel;
use super::model_id::ModelId;
use super::placement::Placement;
use super::workload::Workload;

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
            // Mixed tasks wait too: the models of waiting tasks run them.
            Workload::Io(_) | Workload::Mixed(_) => IoModel::from_id(id).map(Self::Io),
        }
    }

    /// What a lane of its timeline is, by its number: a thread (its id),
    /// a worker instance, or a slot for a request in flight (IO `workers`
    /// also name the instance in each record). Each family declares it.
    pub fn lane_label(self, lane: u32) -> String {
        match self {
            Self::Cpu(model) => model.lane_kind().label(lane),
            Self::Io(model) => model.lane_kind().label(lane),
        }
    }

    /// Whether it runs under the simulated GIL (`switch_ms=` applies).
    pub fn under_gil(self) -> bool {
        match self {
            Self::Cpu(model) => model.under_gil(),
            Self::Io(model) => model.under_gil(),
        }
    }

    /// Where the verdict tells of it: lower first.
    pub fn lesson_rank(self) -> u8 {
        match self {
            Self::Cpu(model) => model.lesson_rank(),
            Self::Io(model) => model.lesson_rank(),
        }
    }

    /// Whether the thread sweep runs it at every thread count.
    pub fn is_swept(self) -> bool {
        matches!(self, Self::Cpu(model) if model.is_swept())
    }

    /// The baseline speedups are measured against: `seq` in both families.
    pub fn is_baseline(self) -> bool {
        self.id().is_baseline()
    }
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
