//! The CPU workloads of the Python posts, as a list of independent tasks.
//!
//! A workload knows its tasks, how to run one, and the checksum every model
//! must reach. How tasks are spread over threads is the models' business
//! ([`super::run`]); limits on sizes are the configuration's
//! (`configuration::limits`).

use super::kernel::{Compute, Kernel};
use super::{sieve, squares};
use serde::{Deserialize, Serialize};

/// For every n in from..to (Python range semantics), count the primes up
/// to n with the sieve of Eratosthenes. One task per n.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sieve {
    pub from: u64,
    pub to: u64,
}

/// For every m in base..base+count, sum i*i for i in range(m). One task per m.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Squares {
    pub base: u64,
    pub count: u64,
}

impl Sieve {
    /// The post's sieve: every n in 1000..16000.
    pub const DEFAULT: Self = Self { from: 1000, to: 16000 };
}

impl Squares {
    /// The post's squares: range(5_000_000 + x) for x in 0..20.
    pub const DEFAULT: Self = Self { base: 5_000_000, count: 20 };
}

/// A CPU workload; `kind` and the parameters are its JSON form in results
/// (`{"kind": "sieve", "from": 1000, "to": 16000}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum CpuWorkload {
    Sieve(Sieve),
    Squares(Squares),
}

impl CpuWorkload {
    /// The public id (`workload=` in the URL, `kind` in results).
    pub fn id(&self) -> &'static str {
        match self {
            Self::Sieve(_) => "sieve",
            Self::Squares(_) => "squares",
        }
    }

    pub fn task_count(&self) -> usize {
        match *self {
            Self::Sieve(Sieve { from, to }) => to.saturating_sub(from) as usize,
            Self::Squares(Squares { count, .. }) => count as usize,
        }
    }

    /// The size of task `task`: n for the sieve, m for the squares.
    pub fn task_size(&self, task: usize) -> u64 {
        match *self {
            Self::Sieve(Sieve { from, .. }) => from + task as u64,
            Self::Squares(Squares { base, .. }) => base + task as u64,
        }
    }

    /// Sum of all task sizes: the measure of work that limits are set in.
    pub fn work_units(&self) -> u128 {
        let (first, count) = match *self {
            Self::Sieve(Sieve { from, to }) => (from, to.saturating_sub(from)),
            Self::Squares(Squares { base, count }) => (base, count),
        };
        let (first, count) = (first as u128, count as u128);
        // first + (first+1) + ... + (first+count-1)
        count * first + count * count.saturating_sub(1) / 2
    }

    /// Task `task` as a compute step: its kernel at its size.
    pub fn compute_step(&self, task: usize) -> Compute {
        let kernel = match self {
            Self::Sieve(_) => Kernel::Sieve,
            Self::Squares(_) => Kernel::Squares,
        };
        Compute { kernel, size: self.task_size(task) }
    }

    /// Runs one task whole; `None` when `checkpoint` returned false (Stop).
    pub fn run_task(&self, task: usize, checkpoint: &mut dyn FnMut() -> bool) -> Option<u128> {
        self.compute_step(task).run(checkpoint)
    }

    /// The checksum every model must report: the sum of all task results,
    /// computed independently (one shared sieve, or the closed form).
    pub fn expected_checksum(&self) -> u128 {
        match *self {
            Self::Sieve(Sieve { from, to }) => sieve::total_primes_over_range(from, to),
            Self::Squares(Squares { base, count }) => {
                (base..base + count).map(squares::sum_of_squares_closed_form).sum()
            }
        }
    }

    /// One line for people: what runs, as the post would say it.
    pub fn describe(&self) -> String {
        match *self {
            Self::Sieve(Sieve { from, to }) => format!(
                "count primes with the sieve of Eratosthenes for every n in range({from}, {to}): {} tasks",
                self.task_count()
            ),
            Self::Squares(Squares { base, count }) => {
                format!("sum(i * i for i in range({base} + x)) for x in range({count}): {count} tasks")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_units_are_the_sum_of_task_sizes() {
        for workload in [
            CpuWorkload::Sieve(Sieve { from: 10, to: 20 }),
            CpuWorkload::Squares(Squares { base: 7, count: 5 }),
            CpuWorkload::Sieve(Sieve { from: 5, to: 5 }),
        ] {
            let summed: u128 = (0..workload.task_count()).map(|t| workload.task_size(t) as u128).sum();
            assert_eq!(workload.work_units(), summed, "{workload:?}");
        }
    }

    #[test]
    fn expected_checksum_equals_running_every_task() {
        for workload in
            [CpuWorkload::Sieve(Sieve { from: 0, to: 300 }), CpuWorkload::Squares(Squares { base: 0, count: 40 })]
        {
            let ran: u128 = (0..workload.task_count()).map(|t| workload.run_task(t, &mut || true).unwrap()).sum();
            assert_eq!(ran, workload.expected_checksum(), "{workload:?}");
        }
    }
}
