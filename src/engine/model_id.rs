//! A model's public id, typed: the one word a model has in `models=`,
//! results' `id` and every view, and what belongs to the id whatever its
//! family (its colour, whether it is the baseline). Knows no model.

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
