//! Tasks that wait and compute: each task makes one request (with the IO
//! workload's parameters) and runs one compute step (the sieve, about
//! `compute_n` on average, spread across tasks as `spread` says, seeded),
//! in the order given: download, then parse, or the other way round. The
//! engine runs it in every shape (`task::shapes`); the models of waiting
//! tasks run it (`workload=mixed`).

use super::cpu::kernel::{Compute, Kernel};
use super::cpu::sieve;
use super::io::workload::IoWorkload;
use super::seeded::{split_mix, unit, Stream};
use serde::{Deserialize, Serialize};

/// Which step of a task comes first. The ids are public (`order=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Download, then parse.
    WaitFirst,
    ComputeFirst,
}

impl Order {
    pub const ALL: [Order; 2] = [Self::WaitFirst, Self::ComputeFirst];

    pub fn id(self) -> &'static str {
        match self {
            Self::WaitFirst => "wait_first",
            Self::ComputeFirst => "compute_first",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|order| order.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::WaitFirst => "Request, then compute (download, then parse)",
            Self::ComputeFirst => "Compute, then request (prepare, then upload)",
        }
    }
}

/// How the compute sizes vary across tasks, around `compute_n` on average.
/// The ids are public (`spread=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Spread {
    /// Every task the same.
    Even,
    /// A ramp, as the sieve's tasks grow with n: from almost nothing to
    /// twice the average.
    Growing,
    /// One task (the seed picks which) ten times each of the others.
    Straggler,
    /// Each task drawn from a long tail (exponential, capped at 8 times the
    /// average), by the seed.
    Random,
}

impl Spread {
    pub const ALL: [Spread; 4] = [Self::Even, Self::Growing, Self::Straggler, Self::Random];

    pub fn id(self) -> &'static str {
        match self {
            Self::Even => "even",
            Self::Growing => "growing",
            Self::Straggler => "straggler",
            Self::Random => "random",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|spread| spread.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Even => "even: every task the same",
            Self::Growing => "growing: a ramp, like the sieve's",
            Self::Straggler => "straggler: one task ten times the others",
            Self::Random => "random: a long tail",
        }
    }
}

/// A shape of mixed tasks to start from, with its lesson in one line. The
/// form's shaper offers them; each is a query, read as a link is.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    pub id: &'static str,
    pub label: &'static str,
    pub lesson: &'static str,
    pub query: &'static str,
}

pub const PRESETS: [Preset; 4] = [
    Preset {
        id: "mostly-waiting",
        label: "Mostly waiting",
        lesson: "Each task waits 100 ms and computes about 1 ms: whatever overlaps the waits (asyncio, threads even under the GIL) finishes in a few waits, sync in forty.",
        query: "workload=mixed&tasks=40&latency_ms=100&compute_n=200000&models=seq,all,gil,threads,workers&concurrency=10",
    },
    Preset {
        id: "mostly-computing",
        label: "Mostly computing",
        lesson: "Each task waits 5 ms and computes for tens: the GIL lets threads overlap only the waits, asyncio computes on its one thread, and only processes (or threads without a GIL) use every core.",
        query: "workload=mixed&tasks=24&latency_ms=5&compute_n=12000000&models=seq,all,gil,threads,workers,procs&concurrency=4",
    },
    Preset {
        id: "straggler",
        label: "A straggler",
        lesson: "One task computes ten times as long as each other: it sets the end for every model, and how the tasks were split decides how much else waits behind it.",
        query: "workload=mixed&tasks=24&latency_ms=20&compute_n=2000000&spread=straggler&seed=1&models=seq,all,threads,workers,procs&concurrency=4",
    },
    Preset {
        id: "long-tail",
        label: "A long tail of latency",
        lesson: "Answers vary around 50 ms, one in a hundred over three times that: sync pays every slow answer in full, the overlapping models about the slowest one, and a bound of 5 in flight something between.",
        query: "workload=mixed&tasks=40&latency_ms=50&latency_spread=random&seed=1&compute_n=200000&models=seq,all,bounded,gil,workers&concurrency=5",
    },
];

/// The straggler's size, in others' sizes.
const STRAGGLER_FACTOR: u64 = 10;
/// The random spread's cap, in averages.
const RANDOM_CAP: f64 = 8.0;

/// `requests` tasks (the count is the IO workload's), each one request and
/// one compute step; its JSON form is `{"kind": "mixed", ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename = "mixed")]
pub struct MixedWorkload {
    pub wait: IoWorkload,
    /// The sieve's n of a task, on average over the tasks.
    pub compute_n: u64,
    pub order: Order,
    pub spread: Spread,
    /// Picks the straggler and draws the random sizes: the same seed, the
    /// same tasks.
    pub seed: u64,
}

impl MixedWorkload {
    /// `workload=mixed` when the link says no more: 40 tasks, each a
    /// request and a sieve of about a millisecond.
    pub const DEFAULT_TASKS: u32 = 40;
    pub const DEFAULT_COMPUTE_N: u64 = 200_000;

    pub fn task_count(&self) -> usize {
        self.wait.task_count()
    }

    /// Task `task`'s compute step: the sieve at its size.
    pub fn compute_step(&self, task: usize) -> Compute {
        Compute { kernel: Kernel::Sieve, size: self.compute_size(task) }
    }

    /// The sieve's n of task `task`, from the spread and the seed alone
    /// (no state: any thread or instance works it out the same).
    pub fn compute_size(&self, task: usize) -> u64 {
        let (n, count) = (self.compute_n, self.task_count().max(1) as u64);
        let size = match self.spread {
            Spread::Even => n,
            Spread::Growing => 2 * n * (task as u64 + 1) / (count + 1),
            Spread::Straggler => {
                let each = n * count / (count + STRAGGLER_FACTOR - 1);
                match task as u64 == split_mix(self.seed) % count {
                    true => each * STRAGGLER_FACTOR,
                    false => each,
                }
            }
            Spread::Random => {
                // An exponential draw with mean 1, capped: mean 1 - e^-8.
                let unit = unit(self.seed, Stream::ComputeSize, task as u64);
                let draw = (-(1.0 - unit).ln()).min(RANDOM_CAP);
                (n as f64 * draw).round() as u64
            }
        };
        size.max(2)
    }

    /// Every task's size, in task order.
    pub fn compute_sizes(&self) -> Vec<u64> {
        (0..self.task_count()).map(|task| self.compute_size(task)).collect()
    }

    /// What every task computes, and the bytes every request returns, in
    /// all; `None` when the bytes cannot be known ahead (a user's URL).
    pub fn expected_checksum(&self) -> Option<u128> {
        let computed = sieve::total_primes_of_sizes(&self.compute_sizes());
        self.wait.expected_bytes().map(|bytes| bytes + computed)
    }

    pub fn describe(&self) -> String {
        let compute = match self.spread {
            Spread::Even => format!("counting the primes up to {}", self.compute_n),
            spread => {
                format!("counting the primes up to about {} ({}, seed {})", self.compute_n, spread.label(), self.seed)
            }
        };
        let steps = match self.order {
            Order::WaitFirst => format!("a request, then {compute}"),
            Order::ComputeFirst => format!("{compute}, then a request"),
        };
        format!("{} tasks, each {steps}; each request {}", self.task_count(), self.wait.describe_request())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mixed(spread: Spread, seed: u64) -> MixedWorkload {
        let wait = IoWorkload { requests: 50, ..IoWorkload::default_sim() };
        MixedWorkload { wait, compute_n: 10_000, order: Order::WaitFirst, spread, seed }
    }

    #[test]
    fn every_spread_averages_about_compute_n_and_repeats_by_its_seed() {
        for spread in Spread::ALL {
            let sizes = mixed(spread, 7).compute_sizes();
            let mean = sizes.iter().sum::<u64>() as f64 / sizes.len() as f64;
            assert!((mean / 10_000.0 - 1.0).abs() < 0.35, "{spread:?}: mean {mean}");
            assert_eq!(sizes, mixed(spread, 7).compute_sizes(), "{spread:?}: the same seed, the same tasks");
            assert!(sizes.iter().all(|&size| size >= 2));
        }
        assert!(mixed(Spread::Even, 1).compute_sizes().iter().all(|&size| size == 10_000));
        let growing = mixed(Spread::Growing, 1).compute_sizes();
        assert!(growing.windows(2).all(|pair| pair[0] <= pair[1]) && growing[49] > 10 * growing[0]);
        let straggler = mixed(Spread::Straggler, 3).compute_sizes();
        let largest = *straggler.iter().max().unwrap();
        assert_eq!(straggler.iter().filter(|&&size| size == largest).count(), 1);
        assert_eq!(largest, 10 * straggler.iter().min().unwrap());
        assert_ne!(mixed(Spread::Random, 1).compute_sizes(), mixed(Spread::Random, 2).compute_sizes());
        assert!(mixed(Spread::Random, 1).compute_sizes().iter().all(|&size| size <= 80_000));
    }

    #[test]
    fn the_checksum_counts_what_each_task_computes() {
        let workload = mixed(Spread::Random, 5);
        let computed: u128 = (0..50).map(|task| workload.compute_step(task).run(&mut || true).unwrap()).sum();
        assert_eq!(workload.expected_checksum(), Some(computed + 50 * 2048));
    }
}
