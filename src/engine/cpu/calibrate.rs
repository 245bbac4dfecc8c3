//! Calibrating the sieve to a time on this machine, as criterion and
//! hyperfine calibrate before they measure: grow a probe until one run is
//! long enough for the clock to time it well, estimate the cost per n from
//! the fastest of a few runs (other work on the machine can only add time,
//! and a spike while the page starts its threads skewed a median), then,
//! for one size, check the estimate at the size it gives and correct it. It stops at a size; what uses the size (`cpu_ms=`,
//! the crossover sweep) is the scheduler's.

use super::sieve::count_primes_up_to;
use crate::engine::measurement::probes::Clock;
use serde::{Deserialize, Serialize};

/// A probe this long is timed well by a clock of 0.1 ms (a page that is
/// not isolated) or even 1 ms (Firefox's, coarsened): within 10 %.
const PROBE_MS: f64 = 10.0;
/// Run the sieve this long before timing it, as criterion warms up: V8
/// first runs wasm from its baseline compiler (Liftoff) and swaps in the
/// optimized code once a function is hot, and the models' runs see the
/// optimized code.
const WARM_UP_MS: f64 = 40.0;
/// The first probe's n: well under a millisecond anywhere.
const FIRST_PROBE_N: u64 = 50_000;
/// Runs of each probe; the fastest counts.
const PROBE_RUNS: usize = 3;

/// The sieve's cost per n where nothing has timed it yet: Chromium's wasm
/// on the CI's VM (a sieve up to 12 million in about 24 ms). Only the
/// form's drawing of a task uses it, and says it is an estimate.
pub const NOMINAL_NS_PER_N: f64 = 2.0;

/// What the calibration measured: the sieve's cost per n here.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The probe's n, and its fastest run.
    pub probe_n: u64,
    pub probe_ms: f64,
    /// Nanoseconds per unit of n, from the probe.
    pub ns_per_n: f64,
    /// The largest n it may answer (the limit on one sieve).
    pub max_n: u64,
}

impl Calibration {
    /// Times the sieve on this thread with `clock` (tens of milliseconds).
    pub fn measure(clock: &dyn Clock, max_n: u64) -> Self {
        let warm_up_start = clock.now_ms();
        while clock.now_ms() - warm_up_start < WARM_UP_MS {
            std::hint::black_box(count_primes_up_to(std::hint::black_box(FIRST_PROBE_N.min(max_n))));
        }
        let mut probe_n = FIRST_PROBE_N.min(max_n);
        let probe_ms = loop {
            let fastest_ms = fastest_time(clock, probe_n, PROBE_RUNS);
            if fastest_ms >= PROBE_MS || probe_n >= max_n {
                break fastest_ms;
            }
            // Aim past the probe time with room, but grow at most 8-fold.
            let factor = (PROBE_MS * 1.5 / fastest_ms.max(0.01)).clamp(2.0, 8.0);
            probe_n = ((probe_n as f64 * factor) as u64).min(max_n);
        };
        Self { probe_n, probe_ms, ns_per_n: probe_ms.max(1e-3) * 1e6 / probe_n as f64, max_n }
    }

    /// The n whose sieve takes about `ms` here, by the probe's rate
    /// (at least 2, at most `max_n`).
    pub fn estimate_n(&self, ms: f64) -> u64 {
        ((ms * 1e6 / self.ns_per_n).round() as u64).clamp(2, self.max_n)
    }

    /// The sieve's time at `n` by the probe's rate.
    pub fn estimate_ms(&self, n: u64) -> f64 {
        n as f64 * self.ns_per_n / 1e6
    }

    /// The n for `ms`, checked: the sieve's cost per n is not quite the
    /// same at every n, so the estimate is run, and scaled by what it took
    /// (the fastest of three runs).
    pub fn size_for_ms(&self, clock: &dyn Clock, ms: f64) -> SizedStep {
        let estimate = self.estimate_n(ms);
        if ms < 1.0 || estimate >= self.max_n {
            return SizedStep { cpu_ms: ms, compute_n: estimate, checked_ms: None };
        }
        let checked_ms = fastest_time(clock, estimate, PROBE_RUNS);
        let compute_n = ((estimate as f64 * ms / checked_ms.max(1e-3)).round() as u64).clamp(2, self.max_n);
        SizedStep { cpu_ms: ms, compute_n, checked_ms: Some(checked_ms) }
    }
}

/// A compute step sized to a time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SizedStep {
    /// The time asked for.
    pub cpu_ms: f64,
    /// The sieve's n chosen for it.
    pub compute_n: u64,
    /// What the probe's estimate took when run, if it was.
    pub checked_ms: Option<f64>,
}

/// The fastest of `runs` timings of the sieve up to `n`.
fn fastest_time(clock: &dyn Clock, n: u64, runs: usize) -> f64 {
    (0..runs).map(|_| time_sieve(clock, n)).fold(f64::INFINITY, f64::min)
}

fn time_sieve(clock: &dyn Clock, n: u64) -> f64 {
    let start = clock.now_ms();
    std::hint::black_box(count_primes_up_to(std::hint::black_box(n)));
    clock.now_ms() - start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::measurement::probes::NativeClock;

    #[test]
    fn a_size_for_a_time_takes_about_that_time() {
        // Another test, or a build, may run beside this one on two cores, and
        // a load that comes or goes between the calibration and the check
        // halves or doubles the time: the calibration is measured again, up
        // to three times, and one of them must hold (generously).
        let mut tries = Vec::new();
        let calibration = loop {
            let calibration = Calibration::measure(&NativeClock, 20_000_000);
            assert!(calibration.probe_ms >= PROBE_MS || calibration.probe_n == 20_000_000, "{calibration:?}");
            let step = calibration.size_for_ms(&NativeClock, 8.0);
            let best_ms = (0..5).map(|_| time_sieve(&NativeClock, step.compute_n)).fold(f64::INFINITY, f64::min);
            tries.push((step.compute_n, best_ms));
            if (4.0..16.0).contains(&best_ms) || tries.len() == 3 {
                break calibration;
            }
        };
        let held = tries.iter().any(|(_, ms)| (4.0..16.0).contains(ms));
        assert!(held, "asked 8 ms; (n, ms) of each try: {tries:?}");
        assert_eq!(calibration.estimate_n(0.0), 2);
        assert_eq!(calibration.estimate_n(1e9), 20_000_000, "never past the limit");
        let sizes: Vec<u64> = [0.0, 1.0, 5.0, 10.0].map(|ms| calibration.estimate_n(ms)).to_vec();
        assert!(sizes.windows(2).all(|pair| pair[0] < pair[1]), "{sizes:?}");
    }
}
