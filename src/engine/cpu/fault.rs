//! Faults injected on purpose, for tests of the page's own fault handling:
//! `fault=panic` makes task 0 of a CPU run panic, `fault=oom` makes it
//! exhaust the wasm memory, on whichever thread or instance runs it. No
//! valid input does either; this is how the tests see what a user would
//! if a bug or the browser did.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fault {
    Panic,
    Oom,
}

/// What `fault=oom` asks for: more than the 1 GiB the wasm memory may grow
/// to (`.cargo/config.toml`), less than the 2 GiB a layout may have.
pub const OOM_REQUEST_BYTES: usize = 1536 << 20;

impl Fault {
    pub const ALL: [Fault; 2] = [Self::Panic, Self::Oom];

    pub fn id(self) -> &'static str {
        match self {
            Self::Panic => "panic",
            Self::Oom => "oom",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|fault| fault.id() == id)
    }

    /// Brings the fault about. Never returns.
    pub fn trigger(self) -> ! {
        match self {
            Self::Panic => panic!("injected fault (fault=panic): a panic in task 0"),
            Self::Oom => {
                // A real allocation that cannot succeed: it fails where a
                // runaway one would, through the allocation-error path.
                let block = vec![1u8; std::hint::black_box(OOM_REQUEST_BYTES)];
                panic!("an allocation of {} bytes succeeded", block.len())
            }
        }
    }
}
