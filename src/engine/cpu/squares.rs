//! Sum of squares, as the Python post wrote it: sum(i * i for i in range(m)).
//! Exact for every m up to [`MAX_EXACT_M`] (the configuration's limit stays
//! below it).

/// The largest m for which the loop is exact: every i < 2^32 squares into
/// a u64, and the u128 sum of all of them cannot overflow.
pub const MAX_EXACT_M: u64 = 1 << 32;

/// How many loop iterations run between two calls of the checkpoint: about
/// a millisecond of work, so Stop and the memory sampler are never far off.
pub const ITERATIONS_PER_CHECKPOINT: u64 = 1 << 20;

/// Sum of i*i for i in 0..m, by the loop (this is the workload). Returns
/// `None` if `checkpoint` asked to stop.
///
/// For i < 2^32 the square fits in u64 and the sum in u128 (m^3/3 < 2^128),
/// which is why m is capped at [`MAX_EXACT_M`].
pub fn sum_of_squares(m: u64, checkpoint: &mut dyn FnMut() -> bool) -> Option<u128> {
    assert!(m <= MAX_EXACT_M, "m = {m} is above the exact limit");
    let mut total: u128 = 0;
    let mut start = 0;
    while start < m {
        let end = (start + ITERATIONS_PER_CHECKPOINT).min(m);
        total += chunk_sum(start, end);
        start = end;
        if start < m && !checkpoint() {
            return None;
        }
    }
    Some(total)
}

/// The hot loop. LLVM cannot replace it by the closed form: `i * i` is a
/// wrapping u64 product widened to u128, which scalar evolution does not
/// sum symbolically. `tests::the_loop_really_loops` guards that.
#[inline(never)]
fn chunk_sum(start: u64, end: u64) -> u128 {
    let mut total: u128 = 0;
    for i in start..end {
        total += (i * i) as u128;
    }
    total
}

/// The closed form (m-1)m(2m-1)/6: the independent reference for checksums.
pub fn sum_of_squares_closed_form(m: u64) -> u128 {
    if m == 0 {
        return 0;
    }
    let m = m as u128;
    (m - 1) * m * (2 * m - 1) / 6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never_stop() -> bool {
        true
    }

    #[test]
    fn loop_matches_closed_form_for_small_m() {
        for m in [0, 1, 2, 3, 10, 1000, ITERATIONS_PER_CHECKPOINT + 7] {
            assert_eq!(sum_of_squares(m, &mut never_stop), Some(sum_of_squares_closed_form(m)), "m = {m}");
        }
    }

    #[test]
    fn exact_at_the_largest_exact_m() {
        // The top chunk of the largest m: the squares there are the largest
        // the loop ever adds, (2^32 - 1)^2 < 2^64.
        let m = MAX_EXACT_M;
        let top = chunk_sum(m - 1000, m);
        let expected = sum_of_squares_closed_form(m) - sum_of_squares_closed_form(m - 1000);
        assert_eq!(top, expected);
        // And the closed form itself stays in range: m^3/3 < 2^128.
        assert!(sum_of_squares_closed_form(m) > 0);
    }

    #[test]
    fn the_posts_default_total() {
        let total: u128 = (5_000_000..5_000_020).map(sum_of_squares_closed_form).sum();
        assert_eq!(total, 833_337_833_344_750_010_830);
    }

    #[test]
    fn the_loop_really_loops() {
        // If LLVM ever folded the loop into the closed form, 2^26 iterations
        // would take nanoseconds; as a loop they take tens of milliseconds
        // in a debug build and milliseconds in release. A generous floor.
        let started = std::time::Instant::now();
        let sum = chunk_sum(0, std::hint::black_box(1 << 26));
        let elapsed = started.elapsed();
        assert_eq!(sum, sum_of_squares_closed_form(1 << 26));
        assert!(elapsed.as_micros() > 500, "the loop took {elapsed:?}: folded away?");
    }

    #[test]
    fn checkpoint_can_stop_a_long_task() {
        let mut calls = 0;
        let stopped = sum_of_squares(ITERATIONS_PER_CHECKPOINT * 4, &mut || {
            calls += 1;
            calls < 2
        });
        assert_eq!(stopped, None);
        assert_eq!(calls, 2);
    }
}
