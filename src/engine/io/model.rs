//! The IO concurrency models: their public ids, labels, Python counterparts
//! and what each needs from the browser. How each one issues its requests
//! lives in [`super::run`] (the shapes) and the browser layer (where the
//! threads and worker instances come from).

use crate::engine::model_id::ModelId;
use crate::engine::placement::{LaneKind, Placement};
use serde::{Deserialize, Serialize};

/// A model of tasks that wait (IO, and mixed tasks that also compute). The
/// ids (`seq`, `all`, `bounded`, `threads`, `gil`, `workers`, `procs`) are
/// public: `models=` in the URL and `id` in results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IoModel {
    Seq,
    All,
    Bounded,
    Threads,
    Gil,
    Workers,
    Procs,
}

impl IoModel {
    pub const ALL: [IoModel; 7] =
        [Self::Seq, Self::All, Self::Bounded, Self::Threads, Self::Gil, Self::Workers, Self::Procs];

    /// The models `workload=io` runs when `models=` names none: the posts'
    /// six. Under a GIL, threads that only wait run as they would without
    /// one, so `gil` is there to choose, and runs by default on mixed tasks.
    pub const POSTS: [IoModel; 6] = [Self::Seq, Self::All, Self::Bounded, Self::Threads, Self::Workers, Self::Procs];

    /// Its public id.
    pub fn id(self) -> ModelId {
        match self {
            Self::Seq => ModelId::Seq,
            Self::All => ModelId::All,
            Self::Bounded => ModelId::Bounded,
            Self::Threads => ModelId::Threads,
            Self::Gil => ModelId::Gil,
            Self::Workers => ModelId::Workers,
            Self::Procs => ModelId::Procs,
        }
    }

    /// The model of this family with that id, if there is one.
    pub fn from_id(id: ModelId) -> Option<Self> {
        Self::ALL.into_iter().find(|model| model.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Seq => "Sequential awaits, one request after another",
            Self::All => "Every request at once, joined",
            Self::Bounded => "At most k requests in flight",
            Self::Threads => "Blocking requests on k worker threads",
            Self::Gil => "k blocking threads under one global lock (a simulated GIL)",
            Self::Workers => "k worker instances, each its share at once",
            Self::Procs => "k worker instances, each blocking in one request at a time",
        }
    }

    pub fn python_counterpart(self) -> &'static str {
        match self {
            Self::Seq => "for url in urls: session.get(url)  (sync)",
            Self::All => "await asyncio.gather(*(fetch(session, url) for url in urls)); gevent's nearest form",
            Self::Bounded => "ThreadPoolExecutor(max_workers=k).map(get, urls), asyncio with Semaphore(k), or a gevent Pool(k)",
            Self::Threads => "threading.Thread per request, or ThreadPoolExecutor(max_workers=k): each thread blocked in requests.get",
            Self::Gil => "ThreadPoolExecutor(max_workers=k) under CPython's GIL: each thread lets go of it while blocked in requests.get, and takes it back to run Python code",
            Self::Workers => "multiprocessing.Pool(k), each process running asyncio.gather on its share",
            Self::Procs => "ProcessPoolExecutor(max_workers=k).map(requests.get, urls): each process blocks in one request",
        }
    }

    /// What Python calls it, in the few words a verdict leads with.
    pub fn python_name(self) -> &'static str {
        match self {
            Self::Seq => "sync requests",
            Self::All => "asyncio.gather",
            Self::Bounded => "asyncio with a Semaphore",
            Self::Threads => "ThreadPoolExecutor",
            Self::Gil => "ThreadPoolExecutor under the GIL",
            Self::Workers => "multiprocessing.Pool",
            Self::Procs => "ProcessPoolExecutor",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            Self::Seq => "Each request waits for the one before it, so the total is the sum of the latencies, even though the page itself stays free while it waits.",
            Self::All => "One thread starts every request and then waits for them together: the total is about one latency, and the only cost is what each pending request holds in memory.",
            Self::Bounded => "k requests are in flight at any moment, so the total is about ceil(N / k) latencies: the knob real clients use to be polite to servers.",
            Self::Threads => "Each of k Web Workers, sharing this page's wasm memory, blocks until its request is answered, exactly like a thread blocked in requests.get: k at a time, and every thread costs a stack in linear memory. With no GIL, threads that also compute do so at once, as in free-threaded Python (3.13t).",
            Self::Gil => "k Web Workers sharing this page's wasm memory, as k threads of one Python process: each blocks in its request with the lock let go, so the waits overlap, and holds the one lock whenever it computes, so the computing never does. On requests alone it runs as the threads do; on tasks that also compute, the lock is what limits it.",
            Self::Workers => "Each of k worker instances (its own wasm memory, like a process) runs its share of the requests all at once, and sends back what it measured.",
            Self::Procs => "Each of k worker instances (its own wasm memory, like a process) makes its share of the requests one after another, blocked in a synchronous request each time: k in flight, about N / k latencies in all, and each process's memory is a fixed cost.",
        }
    }

    /// Where the browser version differs from Python's, said plainly.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            Self::Threads => Some(
                "A blocked thread waits on a slot of shared memory while the page's network agent (one more \
                 worker) makes its request with fetch(): a synchronous XMLHttpRequest cannot skip the browser's \
                 HTTP cache, which lets one request per URL out at a time. Stop aborts the agent's requests: \
                 each blocked thread wakes with its request cancelled and takes no next one.",
            ),
            Self::Gil => Some(
                "A simulation of CPython's GIL, not CPython: the same lock as the CPU gil model (CPython's \
                 switch interval and hand-over rules), let go around each blocking request as CPython lets go \
                 of it around blocking I/O. It needs threads that share one memory, so a cross-origin \
                 isolated page.",
            ),
            Self::Workers => Some(
                "A Web Worker is a thread of the browser's renderer, not an OS process; what is separate is its \
                 wasm instance and memory. All instances share the browser's one connection pool per host.",
            ),
            Self::Procs => Some(
                "Each instance is sent the next URL when it has answered the last, as ProcessPoolExecutor.map \
                 hands them out. A blocked instance cannot read messages, so Stop terminates the instances; \
                 their memory is separate, so nothing is left locked, and a request sent counts as cancelled.",
            ),
            Self::All => Some(
                "gevent's nearest form is this one (or bounded, for a gevent Pool(k)): greenlets are cooperative \
                 on one thread, and monkey-patching makes each socket call yield to gevent's hub, as each \
                 fetch() here yields to the browser's event loop. What gevent adds is that blocking-looking \
                 code (requests.get) becomes cooperative without an await.",
            ),
            _ => None,
        }
    }

    /// Where it runs (see [`crate::engine::model::Model::placement`]): `threads` run on the
    /// page's memory, so cannot run without shared memory; worker
    /// instances have memories of their own.
    pub fn placement(self, shared_memory: bool) -> Option<Placement> {
        Some(match self {
            Self::Seq | Self::All | Self::Bounded => Placement::PageThread,
            Self::Threads | Self::Gil if shared_memory => Placement::InstanceThreads,
            Self::Threads | Self::Gil => return None,
            Self::Workers | Self::Procs => Placement::WorkerInstances,
        })
    }

    /// Where the verdict tells of it, lower first: the concurrent forms,
    /// the baseline last.
    pub fn lesson_rank(self) -> u8 {
        match self {
            Self::All => 0,
            Self::Bounded => 1,
            Self::Threads => 2,
            Self::Gil => 3,
            Self::Workers => 4,
            Self::Procs => 5,
            Self::Seq => 9,
        }
    }

    /// Whether `concurrency=` (k in flight) applies to the model.
    pub fn uses_concurrency(self) -> bool {
        matches!(self, Self::Bounded | Self::Threads | Self::Gil)
    }

    /// The requests it may have in flight at once, of `requests`, its k
    /// being `concurrency` or `instances` as it declares.
    pub fn in_flight(self, requests: u32, concurrency: u32, instances: u32) -> u32 {
        match self {
            Self::Seq => 1,
            Self::Bounded | Self::Threads | Self::Gil => concurrency.min(requests),
            Self::Procs => instances.min(requests),
            Self::All | Self::Workers => requests,
        }
    }

    /// Whether its k is threads, each blocked in a request (so never more
    /// than the requests).
    pub fn blocks_threads(self) -> bool {
        matches!(self, Self::Threads | Self::Gil)
    }

    /// Whether it runs under the simulated GIL (`switch_ms=` applies).
    pub fn under_gil(self) -> bool {
        self == Self::Gil
    }

    /// What a lane of its timeline is.
    pub fn lane_kind(self) -> LaneKind {
        match self {
            Self::Threads | Self::Gil => LaneKind::Thread,
            Self::Procs => LaneKind::Process,
            _ => LaneKind::Slot,
        }
    }

    /// Whether `threads=` (worker instances) applies to the model.
    pub fn uses_thread_count(self) -> bool {
        matches!(self, Self::Workers | Self::Procs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_match_serde() {
        for model in IoModel::ALL {
            assert_eq!(IoModel::from_id(model.id()), Some(model));
            assert_eq!(serde_json::to_string(&model).unwrap(), format!("\"{}\"", model.id()));
        }
        assert_eq!(IoModel::from_id(ModelId::Rayon), None);
    }
}
