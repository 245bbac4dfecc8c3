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
    sum_of_squares_from(m, &mut SquaresProgress::default(), checkpoint)
}

/// Where a sum of squares stands when it was paused at a checkpoint: the
/// next i, and the sum below it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SquaresProgress {
    pub next: u64,
    pub total: u128,
}

/// [`sum_of_squares`] from `progress` on: when `checkpoint` returns false
/// it returns `None` with `progress` where it stopped, and a later call
/// goes on from there (a task handed over mid-way, as a GIL does).
pub fn sum_of_squares_from(
    m: u64,
    progress: &mut SquaresProgress,
    checkpoint: &mut dyn FnMut() -> bool,
) -> Option<u128> {
    assert!(m <= MAX_EXACT_M, "m = {m} is above the exact limit");
    while progress.next < m {
        let end = (progress.next + ITERATIONS_PER_CHECKPOINT).min(m);
        progress.total += chunk_sum(progress.next, end);
        progress.next = end;
        if progress.next < m && !checkpoint() {
            return None;
        }
    }
    Some(progress.total)
}

/// The hot loop, in blocks short enough that their sum fits a u64: the
/// sum of `len` squares below `end` is under `len * (end - 1)^2`, so a
/// block of `u64::MAX / (end - 1)^2` of them cannot overflow. Each block is
/// a plain u64 loop and one u128 addition; a u128 step per square cost
/// wasm 2.4x native (bench/report.md), as it is two 64-bit adds and a carry
/// there. For the posts' m (5 million) a block is the whole chunk; near
/// 2^32 it is a single square, still exact.
#[inline(never)]
#[cfg_attr(target_arch = "wasm32", optimize(speed))]
fn chunk_sum(start: u64, end: u64) -> u128 {
    if start >= end {
        return 0;
    }
    let largest_square = (end - 1) * (end - 1);
    let block_len = (u64::MAX / largest_square.max(1)).max(1);
    let mut total: u128 = 0;
    let mut block_start = start;
    while block_start < end {
        let block_end = end.min(block_start.saturating_add(block_len));
        total += block_sum(block_start, block_end) as u128;
        block_start = block_end;
    }
    total
}

/// Sum of i*i for i in `start..end`, for `end <= 2^32` and a sum that fits
/// a u64 (`chunk_sum` cuts blocks so). LLVM does not replace this loop by
/// the closed form (`tests::the_loop_really_loops` guards that): going
/// through u32 keeps its scalar evolution from seeing a cubic polynomial in
/// the sum, which it folds for a plain u64 `i * i`. The workload is the loop.
#[cfg_attr(target_arch = "wasm32", optimize(speed))]
fn block_sum(start: u64, end: u64) -> u64 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return wasm_simd::block_sum(start, end);
    #[allow(unreachable_code)]
    portable_block_sum(start, end)
}

/// The loop as written; natively (opt-level 3) LLVM runs it several squares
/// at a time.
#[cfg_attr(target_arch = "wasm32", optimize(speed))]
fn portable_block_sum(start: u64, end: u64) -> u64 {
    let mut block: u64 = 0;
    for i in start..end {
        // Exact: i < 2^32.
        let i = i as u32 as u64;
        block += i * i;
    }
    block
}

/// The same loop eight squares at a time in wasm's 128-bit SIMD. The page
/// is built for size (Cargo.toml `wasm-release`), where rustc turns LLVM's
/// loop vectorizer off (it runs at opt-level 2 and 3 only), so the loop that native code runs in vector registers
/// ran one square at a time in wasm (2.4x native); this is that vector
/// loop by hand. `u64x2_extmul_*_u32x4` squares two u32 lanes into two u64
/// lanes exactly; four accumulators keep the adds independent. V8 (node's,
/// at least) lowers each extmul to two unpacks and a `pmuludq`, where native
/// code needs no unpack: likely why this stays behind native (README,
/// Figures, says what was seen and tried).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm_simd {
    use core::arch::wasm32::{
        u32x4, u32x4_add, u32x4_splat, u64x2_add, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane,
        u64x2_splat,
    };

    #[optimize(speed)]
    pub fn block_sum(start: u64, end: u64) -> u64 {
        let eights = (end - start) / 8;
        let first = start as u32;
        let mut low4 = u32x4(first, first.wrapping_add(1), first.wrapping_add(2), first.wrapping_add(3));
        let mut high4 = u32x4_add(low4, u32x4_splat(4));
        let step = u32x4_splat(8);
        let mut sums = [u64x2_splat(0); 4];
        for _ in 0..eights {
            sums[0] = u64x2_add(sums[0], u64x2_extmul_low_u32x4(low4, low4));
            sums[1] = u64x2_add(sums[1], u64x2_extmul_high_u32x4(low4, low4));
            sums[2] = u64x2_add(sums[2], u64x2_extmul_low_u32x4(high4, high4));
            sums[3] = u64x2_add(sums[3], u64x2_extmul_high_u32x4(high4, high4));
            low4 = u32x4_add(low4, step);
            high4 = u32x4_add(high4, step);
        }
        let lanes = u64x2_add(u64x2_add(sums[0], sums[1]), u64x2_add(sums[2], sums[3]));
        let vector_part = u64x2_extract_lane::<0>(lanes) + u64x2_extract_lane::<1>(lanes);
        vector_part + super::portable_block_sum(start + eights * 8, end)
    }
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
    fn a_paused_sum_goes_on_where_it_stopped() {
        let m = 3 * ITERATIONS_PER_CHECKPOINT + 17;
        let mut progress = SquaresProgress::default();
        let mut pauses = 0;
        let total = loop {
            // Pause at every checkpoint: a holder asked to hand over each time.
            match sum_of_squares_from(m, &mut progress, &mut || false) {
                Some(total) => break total,
                None => pauses += 1,
            }
        };
        assert_eq!(pauses, 3);
        assert_eq!(total, sum_of_squares_closed_form(m));
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
