//! The CPU concurrency models: their public ids, labels, Python counterparts
//! and what each needs from the browser. How each one runs lives in
//! [`super::run`] (the shared task loop) and the browser layer's executor.

use crate::engine::model_id::ModelId;
use crate::engine::placement::{LaneKind, Placement};
use serde::{Deserialize, Serialize};

/// A CPU model. The ids (`main`, `seq`, `async_noawait`, `async`, `gil`,
/// `rayon`, `workers`, `executor`) are public: they appear in `models=` in
/// the URL and as `id` in results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CpuModel {
    Main,
    Seq,
    /// asyncio's coroutines that never await: gathered, they run one after
    /// another and the event loop is blocked, as under `main`.
    AsyncNoawait,
    /// The same coroutines, each awaiting `asyncio.sleep(0)` after its
    /// work: the event loop (here the browser's) runs between tasks.
    Async,
    Gil,
    Rayon,
    Workers,
    Executor,
}

impl CpuModel {
    pub const ALL: [CpuModel; 8] =
        [Self::Main, Self::Seq, Self::AsyncNoawait, Self::Async, Self::Gil, Self::Rayon, Self::Workers, Self::Executor];

    /// Its public id.
    pub fn id(self) -> ModelId {
        match self {
            Self::Main => ModelId::Main,
            Self::Seq => ModelId::Seq,
            Self::AsyncNoawait => ModelId::AsyncNoawait,
            Self::Async => ModelId::Async,
            Self::Gil => ModelId::Gil,
            Self::Rayon => ModelId::Rayon,
            Self::Workers => ModelId::Workers,
            Self::Executor => ModelId::Executor,
        }
    }

    /// The model of this family with that id, if there is one.
    pub fn from_id(id: ModelId) -> Option<Self> {
        Self::ALL.into_iter().find(|model| model.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Main => "Main thread, sequential (freezes the page)",
            Self::Seq => "One worker thread, sequential",
            Self::AsyncNoawait => "Coroutines that never await, gathered on the page's thread",
            Self::Async => "Coroutines yielding to the event loop after each task",
            Self::Gil => "k threads under one global lock (a simulated GIL)",
            Self::Rayon => "rayon par_iter on a worker pool",
            Self::Workers => "Worker instances fed chunks (process pool map)",
            Self::Executor => "Worker instances fed one task per message (executor submit)",
        }
    }

    /// The model's counterpart in the Python posts.
    pub fn python_counterpart(self) -> &'static str {
        match self {
            Self::Main => "plain sequential loop (sync) in the main thread",
            Self::Seq => "the same loop in one thread: ThreadPoolExecutor(max_workers=1)",
            Self::AsyncNoawait => "asyncio.gather(*(task(n) for n in ns)) where task never awaits",
            Self::Async => "asyncio.gather of tasks that each await asyncio.sleep(0)",
            Self::Gil => "threading / ThreadPoolExecutor(max_workers=k) on CPU work, under the GIL",
            Self::Rayon => "no CPython counterpart: threads with no GIL (free-threaded 3.13t comes closest)",
            Self::Workers => "multiprocessing.Pool(k).map(f, tasks, chunksize)",
            Self::Executor => "ProcessPoolExecutor(k): one submit() per task",
        }
    }

    /// What Python calls it, in the few words a verdict leads with; `None`
    /// for a model with no CPython counterpart.
    pub fn python_name(self) -> Option<&'static str> {
        match self {
            Self::Main => Some("a plain loop on the main thread"),
            Self::Seq => Some("sync"),
            Self::AsyncNoawait => Some("asyncio without awaits"),
            Self::Async => Some("asyncio"),
            Self::Gil => Some("threads under the GIL"),
            Self::Rayon => None,
            Self::Workers => Some("multiprocessing.Pool"),
            Self::Executor => Some("ProcessPoolExecutor"),
        }
    }

    /// Why it behaves as it does, in one sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Main => "The page's own thread does all the work, so nothing else on the page (the heartbeat, clicks, painting) can happen until it ends.",
            Self::Seq => "One Web Worker does the work in order while the page stays live: the fair baseline for the parallel models.",
            Self::AsyncNoawait => "asyncio runs coroutines on one thread and switches only at an await; a CPU task has none, so gathered coroutines simply run one after another while the event loop, and the page with it, is frozen: no faster than a plain loop.",
            Self::Async => "Each task hands the event loop back when it is done (await asyncio.sleep(0)), so the page stays live between tasks; but one thread still does all the work, so nothing gets faster, and every hand-back costs time.",
            Self::Gil => "k threads take tasks from one list, but a thread runs task code only while it holds the one lock: after a switch interval (5 ms, sys.getswitchinterval()) a waiting thread asks for it and the holder hands it over. Only one thread computes at any moment, so k threads are no faster than one.",
            Self::Rayon => "Threads share one wasm memory and steal tasks from each other, so there is no copying and no global lock: k threads really compute at once. CPython's threads cannot do this (that is the gil model).",
            Self::Workers => "Each worker is a separate wasm instance with its own memory, like a process: in Pool.map's chunks, each free worker takes the next from one queue, and results come back as messages.",
            Self::Executor => "The same worker instances, but fed one task per message, as ProcessPoolExecutor.submit sends work: every task pays a round trip, which is why the post's executor was slower than Pool.map.",
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
                 apart from the run times. Where SharedArrayBuffer exists, the queue is one shared index \
                 that each free instance takes the next chunk from, as Pool's workers read its task queue \
                 (in WebKit, and on a page that is not isolated, each instance holds its next chunk by \
                 message instead). Stop terminates the instances at once; the chunks they were running are \
                 lost, what came back stands.",
            ),
            Self::AsyncNoawait => {
                Some("Runs on the page's own thread, so the page freezes, like main; Stop takes effect after the run.")
            }
            Self::Async => Some(
                "The browser's event loop stands in for asyncio's: a yield is a posted message (MessageChannel), \
                 which lets timers, input and painting run, as the asyncio loop would run its other callbacks.",
            ),
            Self::Gil => Some(
                "A simulation of CPython's GIL, not CPython: real threads of the pool run compiled Rust, and a \
                 lock of ours decides which one may. It follows CPython's rules (a waiter asks after the switch \
                 interval; the holder drops at its next checkpoint, between tasks or inside one, and waits \
                 until another thread has taken it). It leaves out the interpreter's own speed, lock fairness \
                 details, and the GIL being released around I/O and in C extensions. Where threads cannot share \
                 memory (a tutorial page that is not isolated, Safari), the same rules run on k worker instances \
                 passing one token that the page keeps: each looks for the page's request to hand it over every \
                 millisecond of work, and a hand-over costs messages (a millisecond or so), where CPython's \
                 costs microseconds.",
            ),
            Self::Executor => Some(
                "ProcessPoolExecutor queues max_workers + 1 calls ahead; here each instance holds its next \
                 task while it runs one, so what it pays is the messages, not a wait for the page between \
                 tasks. Start-up is shown apart, as for workers.",
            ),
            Self::Seq | Self::Rayon => None,
        }
    }

    /// Where it runs (see [`crate::engine::model::Model::placement`]). Without shared memory
    /// `seq` runs on one worker instance and `gil` on k passing a token;
    /// `rayon` cannot run.
    pub fn placement(self, shared_memory: bool) -> Option<Placement> {
        Some(match (self, shared_memory) {
            (Self::Main | Self::AsyncNoawait | Self::Async, _) => Placement::PageThread,
            (Self::Seq, true) => Placement::PoolJob,
            (Self::Gil | Self::Rayon, true) => Placement::LimitedPool,
            (Self::Rayon, false) => return None,
            (Self::Seq | Self::Gil, false) | (Self::Workers | Self::Executor, _) => Placement::WorkerInstances,
        })
    }

    /// Where the verdict tells of it, lower first: Python's threads,
    /// processes and asyncio, then the page-freezing baselines, then the
    /// rest (the baseline itself, and what Python cannot do).
    pub fn lesson_rank(self) -> u8 {
        match self {
            Self::Gil => 0,
            Self::Workers => 1,
            Self::Executor => 2,
            Self::Async => 3,
            Self::AsyncNoawait => 4,
            Self::Main => 5,
            Self::Seq => 9,
            Self::Rayon => 10,
        }
    }

    /// Whether the thread sweep (`sweep=1`) runs it at every thread count:
    /// the models whose lesson is how they scale.
    pub fn is_swept(self) -> bool {
        matches!(self, Self::Gil | Self::Rayon | Self::Workers)
    }

    /// Whether `threads=` (and an item's `@k`) applies to the model.
    pub fn uses_thread_count(self) -> bool {
        matches!(self, Self::Gil | Self::Rayon | Self::Workers | Self::Executor)
    }

    /// Whether it runs under the simulated GIL (`switch_ms=` applies).
    pub fn under_gil(self) -> bool {
        self == Self::Gil
    }

    /// What a lane of its timeline is.
    pub fn lane_kind(self) -> LaneKind {
        match self {
            Self::Workers | Self::Executor => LaneKind::Worker,
            _ => LaneKind::Thread,
        }
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
        assert_eq!(CpuModel::from_id(ModelId::Threads), None);
    }
}
