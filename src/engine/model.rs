//! A model of either family, for the parts of the pipeline that do not care
//! which: the scheduler, results, progress and the model cards. The ids are
//! only unique within a family (`seq` and `workers` exist in both); the
//! workload decides which family `models=` is read in.

use super::cpu::model::CpuModel;
use super::io::model::IoModel;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Model {
    Cpu(CpuModel),
    Io(IoModel),
}

impl Model {
    pub fn id(self) -> &'static str {
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

    pub fn needs_cross_origin_isolation(self) -> bool {
        match self {
            Self::Cpu(model) => model.needs_cross_origin_isolation(),
            Self::Io(model) => model.needs_cross_origin_isolation(),
        }
    }

    /// Whether it runs on worker instances of its own (a `workers` model).
    pub fn uses_instances(self) -> bool {
        matches!(self, Self::Cpu(CpuModel::Workers) | Self::Io(IoModel::Workers))
    }

    /// The baseline speedups are measured against: `seq` in both families.
    pub fn is_baseline(self) -> bool {
        matches!(self, Self::Cpu(CpuModel::Seq) | Self::Io(IoModel::Seq))
    }
}
