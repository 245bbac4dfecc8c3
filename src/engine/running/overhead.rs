//! What the playground's own measuring costs: the same task list run as a
//! bare loop and as the `seq` model records it (a span per task, memory
//! samples, the live count, the Stop check), interleaved run by run so
//! both see the same machine. The benchmark reports the ratio natively
//! (`native-bench`) and in the browser (the wasm export `measure_overhead`).

use crate::engine::cpu::workload::CpuWorkload;
use crate::engine::io::fetch::NoNetwork;
use crate::engine::measurement::probes::thread_id;
use crate::engine::measurement::run_window::Instruments;
use crate::engine::reporting::stats::summarize;
use crate::engine::task::run::ModelRun;
use crate::engine::workload::Workload;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Overhead {
    /// Run times of the bare loop.
    pub plain_ms: Vec<f64>,
    /// Run times of the recorded loop (window open to close).
    pub recorded_ms: Vec<f64>,
    pub plain_median_ms: f64,
    pub recorded_median_ms: f64,
    pub plain_min_ms: f64,
    pub recorded_min_ms: f64,
    /// recorded / plain - 1 of the medians: what recording adds, as a fraction.
    pub overhead: f64,
    /// The same of the fastest runs: on a shared machine other work only
    /// ever adds time, so the minimums are the least disturbed estimate.
    pub overhead_of_minimums: f64,
}

/// Runs `workload` `runs` times each way (after one unmeasured run each),
/// on the calling thread, alternating which goes first so neither always
/// runs on a warmer (or busier) machine. Both loops compute the same checksum.
pub fn measure_overhead(workload: CpuWorkload, runs: usize, instruments: &Instruments) -> Overhead {
    let (mut plain_ms, mut recorded_ms) = (Vec::new(), Vec::new());
    let plain = || run_plain(workload, instruments);
    let recorded = || run_recorded(workload, instruments);
    for round in 0..=runs {
        let ((plain_run, plain_sum), (recorded_run, recorded_sum)) = if round % 2 == 0 {
            (plain(), recorded())
        } else {
            let recorded_first = recorded();
            (plain(), recorded_first)
        };
        assert_eq!(plain_sum, recorded_sum, "both loops compute the same");
        if round > 0 {
            plain_ms.push(plain_run);
            recorded_ms.push(recorded_run);
        }
    }
    let summary = |runs: &[f64]| summarize(runs).map_or((f64::NAN, f64::NAN), |s| (s.median_ms, s.min_ms));
    let ((plain_median_ms, plain_min_ms), (recorded_median_ms, recorded_min_ms)) =
        (summary(&plain_ms), summary(&recorded_ms));
    Overhead {
        plain_ms,
        recorded_ms,
        plain_median_ms,
        recorded_median_ms,
        plain_min_ms,
        recorded_min_ms,
        overhead: recorded_median_ms / plain_median_ms - 1.0,
        overhead_of_minimums: recorded_min_ms / plain_min_ms - 1.0,
    }
}

/// The task list as a bare loop: `(elapsed ms, checksum)`.
pub fn run_plain(workload: CpuWorkload, instruments: &Instruments) -> (f64, u128) {
    let started = instruments.clock.now_ms();
    let sum: u128 = (0..workload.task_count()).map(|task| workload.run_task(task, &mut || true).unwrap_or(0)).sum();
    (instruments.clock.now_ms() - started, std::hint::black_box(sum))
}

/// The task list as the `seq` model records it: `(elapsed ms, checksum)`.
pub fn run_recorded(workload: CpuWorkload, instruments: &Instruments) -> (f64, u128) {
    let run = ModelRun::start(Workload::Cpu(workload), Vec::new(), instruments, None);
    let checksum = run.run_sequential(run.tasks(), thread_id(), &NoNetwork);
    let measurement = run.finish(checksum);
    (measurement.elapsed_ms, measurement.checksum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cpu::workload::Sieve;

    #[test]
    fn both_loops_run_and_are_compared() {
        let overhead = measure_overhead(CpuWorkload::Sieve(Sieve { from: 100, to: 400 }), 3, &Instruments::native());
        assert_eq!((overhead.plain_ms.len(), overhead.recorded_ms.len()), (3, 3));
        assert!(overhead.plain_median_ms > 0.0 && overhead.overhead.is_finite());
    }
}
