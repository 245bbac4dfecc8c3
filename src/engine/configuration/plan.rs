//! A run plan: one `models=` item resolved once, before it runs: where it
//! runs here and on how many threads or instances, the requests it may
//! have in flight, its chunks, switch interval and fault. The scheduler
//! builds it; the executors get ready, run and free by it; results copy
//! its numbers. Nothing else derives them again.

use super::config::Config;
use crate::engine::cpu::fault::Fault;
use crate::engine::cpu::model::CpuModel;
use crate::engine::model::{Model, ModelItem};
use crate::engine::placement::Placement;
use crate::engine::task::chunks::pool_map_chunksize;

/// One item of `models=`, as it runs here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunPlan {
    pub item: ModelItem,
    /// Where it runs; `None`: it needs threads that share one memory, and
    /// this browser (or this page) offers none.
    pub placement: Option<Placement>,
    /// The threads or worker instances it runs on (1: one thread).
    pub threads: u32,
    /// IO: the requests it may have in flight at once.
    pub in_flight: Option<u32>,
    /// CPU models on instances: tasks per message (Pool.map's chunks; 1
    /// for `executor`, one `submit()` per task).
    pub chunk_size: Option<u32>,
    /// `gil`: the switch interval (CPython's `sys.getswitchinterval()`).
    pub switch_ms: Option<u32>,
    /// A fault to inject (tests).
    pub fault: Option<Fault>,
}

impl RunPlan {
    /// `item` of `config` where threads can share one memory
    /// (`shared_memory`) or not. The item's own `@k` replaces `threads` or
    /// `concurrency` for it.
    pub fn resolve(item: ModelItem, config: &Config, shared_memory: bool) -> Self {
        let config = config.for_item(item);
        // Requests for IO, tasks (each one request) for mixed tasks.
        let requests = config.workload().task_count().max(1) as u32;
        let threads = match item.model {
            Model::Cpu(model) if model.uses_thread_count() => config.threads,
            // A blocked thread per request in flight, never more than the requests.
            Model::Io(model) if model.blocks_threads() => config.concurrency.min(requests),
            Model::Io(model) if model.uses_thread_count() => config.threads,
            _ => 1,
        };
        let in_flight = match item.model {
            Model::Cpu(_) => None,
            Model::Io(model) => Some(model.in_flight(requests, config.concurrency, config.threads)),
        };
        let chunk_size = match item.model {
            Model::Cpu(CpuModel::Workers) => Some(config.chunksize.unwrap_or_else(|| {
                pool_map_chunksize(config.cpu_workload().task_count(), config.threads as usize) as u32
            })),
            Model::Cpu(CpuModel::Executor) => Some(1),
            _ => None,
        };
        RunPlan {
            item,
            placement: item.model.placement(shared_memory),
            threads,
            in_flight,
            chunk_size,
            switch_ms: item.model.under_gil().then_some(config.switch_ms),
            fault: config.fault,
        }
    }

    pub fn model(&self) -> Model {
        self.item.model
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::io::model::IoModel;
    use crate::engine::model::Item;

    fn plan(query: &str, id: &str, shared_memory: bool) -> RunPlan {
        let (config, messages) = Config::parse(query, 2);
        assert!(messages.is_empty(), "{messages:?}");
        let item = config.models().into_iter().find(|item| item.key() == id).expect("the item");
        RunPlan::resolve(item, &config, shared_memory)
    }

    #[test]
    fn each_item_gets_its_own_numbers_once() {
        let io = "workload=io&models=seq,bounded,threads,threads@100,workers,procs&concurrency=5&threads=2&requests=30";
        assert_eq!((plan(io, "seq", true).threads, plan(io, "seq", true).in_flight), (1, Some(1)));
        assert_eq!((plan(io, "bounded", true).threads, plan(io, "bounded", true).in_flight), (1, Some(5)));
        assert_eq!((plan(io, "threads", true).threads, plan(io, "threads", true).in_flight), (5, Some(5)));
        assert_eq!(plan(io, "threads@100", true).threads, 30, "never more threads than requests");
        assert_eq!((plan(io, "workers", true).threads, plan(io, "workers", true).in_flight), (2, Some(30)));
        assert_eq!((plan(io, "procs", true).threads, plan(io, "procs", true).in_flight), (2, Some(2)));
        let cpu = "workload=sieve&models=seq,gil,workers,executor&threads=2&switch_ms=1&chunksize=50";
        assert_eq!(plan(cpu, "gil", true).switch_ms, Some(1));
        assert_eq!(plan(cpu, "seq", true).switch_ms, None);
        assert_eq!(plan(cpu, "workers", true).chunk_size, Some(50));
        assert_eq!(plan(cpu, "executor", true).chunk_size, Some(1));
        let pool_map = "workload=sieve&models=workers&threads=2";
        assert_eq!(plan(pool_map, "workers", true).chunk_size, Some(15000 / 8), "Pool.map's rule at 2 workers");
    }

    #[test]
    fn where_it_runs_follows_shared_memory() {
        let cpu = "workload=sieve&models=main,seq,gil,rayon,workers";
        let at = |id, shared| plan(cpu, id, shared).placement;
        assert_eq!(at("main", false), Some(Placement::PageThread));
        assert_eq!(at("seq", true), Some(Placement::PoolJob));
        assert_eq!(at("seq", false), Some(Placement::WorkerInstances));
        assert_eq!(at("gil", true), Some(Placement::LimitedPool));
        assert_eq!(at("gil", false), Some(Placement::WorkerInstances));
        assert_eq!(at("rayon", false), None);
        assert_eq!(plan("workload=io&models=threads", "threads", false).placement, None);
        for model in CpuModel::ALL.map(Model::Cpu).into_iter().chain(IoModel::ALL.map(Model::Io)) {
            let placement = RunPlan::resolve(Item::plain(model), &Config::defaults(2), true).placement;
            assert!(placement.is_some(), "{model:?} runs where memory is shared");
        }
    }
}
