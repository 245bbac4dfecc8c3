//! One step of a task: computing (a CPU kernel at a size,
//! `cpu::kernel`) or waiting (the task's one request), and the steps each
//! workload's tasks have. Stops there: how a step is run and recorded is
//! the run's ([`super::run`]).

use crate::engine::cpu::kernel::Compute;
use crate::engine::mixed::Order;
use crate::engine::workload::Workload;

/// What a task does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Compute(Compute),
    /// The task's request: a task waits at most once, and its request has
    /// the task's own number (request i is task i's), so a run's URL list
    /// is indexed by task.
    Wait,
}

/// Step `index` of task `task` of `workload`, or `None` past its last.
/// The posts' workloads have tasks of one step: a compute step (sieve,
/// squares) or a wait (IO); a mixed task has one of each.
pub fn step(workload: &Workload, task: usize, index: usize) -> Option<Step> {
    match (workload, index) {
        (Workload::Cpu(cpu), 0) => Some(Step::Compute(cpu.compute_step(task))),
        (Workload::Io(_), 0) => Some(Step::Wait),
        (Workload::Mixed(mixed), 0 | 1) => {
            let compute_now = (index == 0) == (mixed.order == Order::ComputeFirst);
            Some(if compute_now { Step::Compute(mixed.compute_step(task)) } else { Step::Wait })
        }
        _ => None,
    }
}

/// The steps of task `task`, in order, without allocating.
pub fn steps(workload: &Workload, task: usize) -> impl Iterator<Item = Step> + '_ {
    (0..).map_while(move |index| step(workload, task, index))
}

/// Whether any task of `workload` computes, and whether any waits: which
/// books a run keeps.
pub fn kinds(workload: &Workload) -> (bool, bool) {
    match workload {
        Workload::Cpu(_) => (true, false),
        Workload::Io(_) => (false, true),
        Workload::Mixed(_) => (true, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cpu::workload::{CpuWorkload, Sieve};
    use crate::engine::io::workload::IoWorkload;

    #[test]
    fn todays_tasks_are_one_step_each() {
        let sieve = Workload::Cpu(CpuWorkload::Sieve(Sieve { from: 10, to: 20 }));
        let one: Vec<Step> = steps(&sieve, 3).collect();
        assert_eq!(one.len(), 1);
        assert!(matches!(one[0], Step::Compute(compute) if compute.size == 13));
        assert_eq!(steps(&Workload::Io(IoWorkload::default_sim()), 7).collect::<Vec<_>>(), vec![Step::Wait]);
    }
}
