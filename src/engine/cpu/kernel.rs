//! The CPU kernels as a compute step: a kernel at a size (the sieve up to n,
//! a sum of squares below m), run whole or paused at its checkpoints. It
//! stops at one step; which steps a task has is `task::step`'s.

use super::sieve;
use super::squares::{self, SquaresProgress};

/// The CPU kernels of the posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// Count the primes up to n with the sieve of Eratosthenes.
    Sieve,
    /// sum(i * i for i in range(m)).
    Squares,
}

/// A compute step: `kernel` at `size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compute {
    pub kernel: Kernel,
    pub size: u64,
}

/// Where a compute step paused at a checkpoint stands (see
/// [`Compute::run_from`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ComputeProgress {
    squares: SquaresProgress,
}

impl Compute {
    /// Runs the step from `progress` on; `None` when `checkpoint` returned
    /// false, with `progress` where it paused: a later call goes on from
    /// there (a GIL handed over mid-task). A sieve has no checkpoint inside.
    pub fn run_from(&self, progress: &mut ComputeProgress, checkpoint: &mut dyn FnMut() -> bool) -> Option<u128> {
        match self.kernel {
            Kernel::Sieve => Some(sieve::count_primes_up_to(self.size) as u128),
            Kernel::Squares => squares::sum_of_squares_from(self.size, &mut progress.squares, checkpoint),
        }
    }

    /// Runs the whole step; `None` when `checkpoint` returned false.
    pub fn run(&self, checkpoint: &mut dyn FnMut() -> bool) -> Option<u128> {
        self.run_from(&mut ComputeProgress::default(), checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_step_goes_on_where_it_stopped() {
        let step = Compute { kernel: Kernel::Squares, size: 3 * squares::ITERATIONS_PER_CHECKPOINT };
        let whole = step.run(&mut || true).unwrap();
        let mut progress = ComputeProgress::default();
        assert_eq!(step.run_from(&mut progress, &mut || false), None, "paused at its first checkpoint");
        assert_eq!(step.run_from(&mut progress, &mut || true), Some(whole));
        assert_eq!(Compute { kernel: Kernel::Sieve, size: 100 }.run(&mut || false), Some(25));
    }
}
