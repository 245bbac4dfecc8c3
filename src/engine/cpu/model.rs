//! The CPU concurrency models: their public ids, labels, Python counterparts
//! and what each needs from the browser. How each one runs lives in
//! [`super::run`] (the shared task loop) and the browser layer's executor.

use serde::{Deserialize, Serialize};

/// A CPU model. The ids (`main`, `seq`, `rayon`, `workers`) are public: they
/// appear in `models=` in the URL and as `id` in results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CpuModel {
    Main,
    Seq,
    Rayon,
    Workers,
}

impl CpuModel {
    pub const ALL: [CpuModel; 4] = [Self::Main, Self::Seq, Self::Rayon, Self::Workers];

    pub fn id(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::Seq => "seq",
            Self::Rayon => "rayon",
            Self::Workers => "workers",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|model| model.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Main => "Main thread, sequential (freezes the page)",
            Self::Seq => "One worker thread, sequential",
            Self::Rayon => "rayon par_iter on a worker pool",
            Self::Workers => "Worker instances (process pool)",
        }
    }

    /// The model's counterpart in the Python posts.
    pub fn python_counterpart(self) -> &'static str {
        match self {
            Self::Main => "plain sequential loop (sync) in the main thread",
            Self::Seq => "the same loop in one thread: ThreadPoolExecutor(max_workers=1)",
            Self::Rayon => "ThreadPoolExecutor(max_workers=k), but without a GIL",
            Self::Workers => "multiprocessing.Pool(k).map",
        }
    }

    /// Why it behaves as it does, in one sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Main => "The page's own thread does all the work, so nothing else on the page (the heartbeat, clicks, painting) can happen until it ends.",
            Self::Seq => "One Web Worker does the work in order while the page stays live: the fair baseline for the parallel models.",
            Self::Rayon => "Threads share one wasm memory and steal tasks from each other, so there is no copying and, unlike CPython threads, no GIL to serialise them.",
            Self::Workers => "Each worker is a separate wasm instance with its own memory, like a process: tasks go out and results come back as messages, in chunks as Pool.map sends them.",
        }
    }

    /// Where the browser version differs from the Python one, said plainly.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            Self::Main => {
                Some("Stop takes effect only after the current run: the click itself waits for the page to unfreeze.")
            }
            Self::Workers => Some(
                "A Web Worker is a thread of the browser's renderer process, not an OS process. What is \
                 separate is what isolation means to the code: its own wasm instance, linear memory, heap \
                 and statics, and only messages in between. Start-up (spawning and instantiating) is shown \
                 apart from the run times, and Stop lets chunks already sent finish.",
            ),
            Self::Seq | Self::Rayon => None,
        }
    }

    /// Whether the model needs SharedArrayBuffer, i.e. a cross-origin
    /// isolated page: the pool shares the memory, and a worker instance
    /// creates a shared memory of its own (the module imports one).
    pub fn needs_cross_origin_isolation(self) -> bool {
        !matches!(self, Self::Main)
    }

    /// Whether `threads=` applies to the model.
    pub fn uses_thread_count(self) -> bool {
        matches!(self, Self::Rayon | Self::Workers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_match_serde() {
        for model in CpuModel::ALL {
            assert_eq!(CpuModel::from_id(model.id()), Some(model));
            assert_eq!(serde_json::to_string(&model).unwrap(), format!("\"{}\"", model.id()));
        }
        assert_eq!(CpuModel::from_id("threads"), None);
    }
}
