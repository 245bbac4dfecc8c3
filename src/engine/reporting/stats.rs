//! Statistics over repeated runs. Knows nothing but numbers.

use crate::sorting::{sort_by, sort_floats};

/// Median, minimum and maximum of some elapsed times.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
}

/// `None` for no runs. The median of an even count is the mean of the two
/// middle values. O(n log n); n is the repeat count (<= 20).
pub fn summarize(runs_ms: &[f64]) -> Option<Summary> {
    if runs_ms.is_empty() {
        return None;
    }
    let mut sorted = runs_ms.to_vec();
    sort_floats(&mut sorted);
    let middle = sorted.len() / 2;
    let median_ms = if sorted.len() % 2 == 1 { sorted[middle] } else { (sorted[middle - 1] + sorted[middle]) / 2.0 };
    Some(Summary { median_ms, min_ms: sorted[0], max_ms: sorted[sorted.len() - 1] })
}

/// Index of the run whose time is the median (the lower middle for an even
/// count): its timeline and memory samples are the ones reported.
pub fn median_index(runs_ms: &[f64]) -> Option<usize> {
    let mut order: Vec<usize> = (0..runs_ms.len()).collect();
    sort_by(&mut order, |&a, &b| runs_ms[a].total_cmp(&runs_ms[b]));
    order.get(runs_ms.len().saturating_sub(1) / 2).copied()
}

/// How many times faster than the baseline: baseline / this. `None` when
/// either is missing or not positive.
pub fn speedup(baseline_ms: Option<f64>, this_ms: Option<f64>) -> Option<f64> {
    match (baseline_ms, this_ms) {
        (Some(base), Some(this)) if base > 0.0 && this > 0.0 => Some(base / this),
        _ => None,
    }
}

/// Parallel efficiency: speedup per thread (1.0 = perfect scaling).
pub fn efficiency(speedup: f64, threads: u32) -> f64 {
    speedup / threads.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_medians() {
        let odd = summarize(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((odd.median_ms, odd.min_ms, odd.max_ms), (2.0, 1.0, 3.0));
        assert_eq!(summarize(&[4.0, 1.0, 2.0, 3.0]).unwrap().median_ms, 2.5);
        assert_eq!(summarize(&[]), None);
    }

    #[test]
    fn median_index_points_at_a_middle_run() {
        assert_eq!(median_index(&[30.0, 10.0, 20.0]), Some(2));
        assert_eq!(median_index(&[40.0, 10.0, 30.0, 20.0]), Some(3));
        assert_eq!(median_index(&[]), None);
    }

    #[test]
    fn speedup_needs_two_positive_times() {
        assert_eq!(speedup(Some(100.0), Some(50.0)), Some(2.0));
        assert_eq!(speedup(None, Some(50.0)), None);
        assert_eq!(speedup(Some(100.0), Some(0.0)), None);
    }

    #[test]
    fn efficiency_is_speedup_per_thread() {
        assert_eq!(efficiency(1.8, 2), 0.9);
        assert_eq!(efficiency(1.0, 0), 1.0);
    }
}
