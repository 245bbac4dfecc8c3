//! The sieve of Eratosthenes, as the Python post wrote it: primes up to and
//! including n. Also a fast independent reference for the whole task list.

/// Number of primes p <= n, by the sieve of Eratosthenes over bools.
///
/// This is the per-task work of the sieve workload, O(n log log n). The
/// n + 1 flags live in a buffer each thread keeps and grows (visible in the
/// live-heap measurement as one buffer per thread), not a fresh `Vec` per
/// task: in wasm every thread of an instance shares one allocator (std's
/// dlmalloc behind a single lock), so two threads allocating and freeing
/// 16 KB per task handed each other the same memory and the same
/// allocator state, and rayon's tasks ran up to 1.6x slower on 2 threads
/// than alone (bench/report.md, rayon efficiency). Natively each thread has
/// its own malloc arena and this made no difference.
///
/// Above [`SEGMENT_FLAGS`] the flags are sieved a segment at a time (the
/// segmented sieve: the same crossings, in cache-sized windows), so a
/// thread never holds more than one segment: over one array of n flags,
/// a sieve up to 16 million was bound by memory, and two cores of the CI's
/// VM ran two of them only 1.1 to 1.4 times as fast as one.
pub fn count_primes_up_to(n: u64) -> u64 {
    if n < 2 {
        return 0;
    }
    match n < SEGMENT_FLAGS as u64 {
        true => SIEVE_FLAGS.with_borrow_mut(|buffer| sieve_and_count(buffer, n as usize)),
        false => SIEVE_FLAGS
            .with_borrow_mut(|buffer| BASE_PRIMES.with_borrow_mut(|base| segmented_count(buffer, base, n as usize))),
    }
}

/// A segment's flags: 256 KiB, within the L2 cache of the machines here.
pub const SEGMENT_FLAGS: usize = 1 << 18;

/// Primes up to n, a segment at a time: the primes up to sqrt(n) by the
/// plain sieve, then each window [low, low + SEGMENT_FLAGS) crossed out by
/// them and counted.
#[inline(never)]
#[cfg_attr(target_arch = "wasm32", optimize(speed))]
fn segmented_count(buffer: &mut Vec<bool>, base: &mut Vec<usize>, n: usize) -> u64 {
    let root = n.isqrt();
    // The base primes, sieved in the buffer's first root + 1 flags.
    if buffer.len() < SEGMENT_FLAGS.max(root + 1) {
        buffer.resize(SEGMENT_FLAGS.max(root + 1), true);
    }
    let small = &mut buffer[..=root];
    small.fill(true);
    sieve_flags(small);
    base.clear();
    base.extend(small.iter().enumerate().filter(|(_, &prime)| prime).map(|(p, _)| p));
    let mut count = 0;
    let mut low = 0;
    while low <= n {
        let high = (low + SEGMENT_FLAGS - 1).min(n);
        let window = &mut buffer[..=high - low];
        // SAFETY: as in `sieve_and_count`, the flags are ours and 1 is `true`.
        unsafe { core::ptr::write_bytes(window.as_mut_ptr(), 1, window.len()) };
        for &p in base.iter() {
            let mut multiple = (p * p).max(low.div_ceil(p) * p);
            while multiple <= high {
                window[multiple - low] = false;
                multiple += p;
            }
        }
        if low == 0 {
            window[0] = false;
            window[1] = false;
        }
        count += count_true(window);
        low = high + 1;
    }
    count
}

/// One task in the thread's own buffer. Kept out of line and compiled for
/// speed in a page built for size (lib.rs), so no caller built for size
/// inlines it and takes it back. The flags are set with `write_bytes`
/// (memory.fill in wasm): `fill(true)` compiled to a byte loop at
/// opt-level "z", a fifth of the task's time.
#[inline(never)]
#[cfg_attr(target_arch = "wasm32", optimize(speed))]
fn sieve_and_count(buffer: &mut Vec<bool>, n: usize) -> u64 {
    if buffer.len() <= n {
        buffer.resize(n + 1, true);
    }
    let is_prime = &mut buffer[..=n];
    // SAFETY: the n + 1 flags are ours to write, and the byte 1 is `true`
    // (a bool is one byte, 0 or 1: the Rust reference, "Boolean type").
    unsafe { core::ptr::write_bytes(is_prime.as_mut_ptr(), 1, is_prime.len()) };
    sieve_flags(is_prime);
    count_true(is_prime)
}

/// Frees the calling thread's sieve buffers. The executors' `release` calls
/// it on every thread a model ran on that outlives the model, so the next model's runs
/// allocate their own: otherwise a thread that ran `seq` brought its 16 KB
/// of flags into `rayon`'s runs, and `rayon`'s heap growth showed one
/// buffer where its two threads hold two (every_model.test.mjs).
pub fn free_thread_buffers() {
    SIEVE_FLAGS.with_borrow_mut(|flags| *flags = Vec::new());
    BASE_PRIMES.with_borrow_mut(|primes| *primes = Vec::new());
}

thread_local! {
    /// The calling thread's sieve flags, reused by every task it runs.
    static SIEVE_FLAGS: std::cell::RefCell<Vec<bool>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The segmented sieve's primes up to sqrt(n), reused likewise.
    static BASE_PRIMES: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Crosses out the multiples of every prime in `is_prime` (all true on
/// entry), leaving true exactly at the primes.
#[cfg_attr(target_arch = "wasm32", optimize(speed))]
fn sieve_flags(is_prime: &mut [bool]) {
    let n = is_prime.len() - 1;
    is_prime[0] = false;
    is_prime[1] = false;
    let mut p = 2;
    while p * p <= n {
        if is_prime[p] {
            let mut multiple = p * p;
            while multiple <= n {
                is_prime[multiple] = false;
                multiple += p;
            }
        }
        p += 1;
    }
}

/// How many of `flags` are true: a third of the sieve's time. Native
/// release code is auto-vectorized (16 flags per instruction); the page's
/// wasm is built at opt-level "s" (Cargo.toml `wasm-release`, for size), at
/// which rustc turns LLVM's loop vectorizer off, so the same iterator would
/// count one byte at a time and wasm seq would trail native by ~1.5x. With
/// simd128 (.cargo/config.toml) the count is written out in 16-byte lanes.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn count_true(flags: &[bool]) -> u64 {
    flags.iter().filter(|&&flag| flag).count() as u64
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[optimize(speed)]
fn count_true(flags: &[bool]) -> u64 {
    use core::arch::wasm32::{
        u16x8_extadd_pairwise_u8x16, u32x4_extadd_pairwise_u16x8, u32x4_extract_lane, u8x16_add, u8x16_splat, v128,
        v128_load,
    };
    // SAFETY: a bool is one byte, 0 or 1 (the Rust reference, "Boolean
    // type"), so the same memory read as u8 is valid and counts the trues.
    let bytes: &[u8] = unsafe { core::slice::from_raw_parts(flags.as_ptr().cast::<u8>(), flags.len()) };
    let mut chunks = bytes.chunks_exact(16);
    let mut total: u64 = 0;
    loop {
        // Up to 255 chunks in u8 lanes (at most 255 per lane), then widen.
        let mut lanes: v128 = u8x16_splat(0);
        let mut taken = 0;
        for chunk in chunks.by_ref().take(255) {
            // SAFETY: `chunk` is 16 readable bytes; v128_load allows any alignment.
            lanes = u8x16_add(lanes, unsafe { v128_load(chunk.as_ptr().cast::<v128>()) });
            taken += 1;
        }
        let wide = u32x4_extadd_pairwise_u16x8(u16x8_extadd_pairwise_u8x16(lanes));
        total += [
            u32x4_extract_lane::<0>(wide),
            u32x4_extract_lane::<1>(wide),
            u32x4_extract_lane::<2>(wide),
            u32x4_extract_lane::<3>(wide),
        ]
        .into_iter()
        .map(u64::from)
        .sum::<u64>();
        if taken < 255 {
            break;
        }
    }
    total + chunks.remainder().iter().map(|&byte| byte as u64).sum::<u64>()
}

/// Sum over n in `from..to` of pi(n), computed a different way: one sieve up
/// to `to - 1` and a running prime count. It checks every model's checksum
/// without sharing a line of code with the per-task sieve.
pub fn total_primes_over_range(from: u64, to: u64) -> u128 {
    if to <= from || to < 3 {
        return 0;
    }
    let mut total: u128 = 0;
    each_prime_count((to - 1) as usize, |n, primes_so_far| {
        if n as u64 >= from {
            total += primes_so_far as u128;
        }
    });
    total
}

/// Sum of pi(n) over every n of `sizes` (in any order, repeats counted),
/// computed as [`total_primes_over_range`] is.
pub fn total_primes_of_sizes(sizes: &[u64]) -> u128 {
    let mut sorted = sizes.to_vec();
    sorted.sort_unstable();
    let Some(&top) = sorted.last() else { return 0 };
    let (mut total, mut next) = (0u128, 0usize);
    each_prime_count(top as usize, |n, primes_so_far| {
        while next < sorted.len() && sorted[next] as usize == n {
            total += primes_so_far as u128;
            next += 1;
        }
    });
    total
}

/// Calls `visit(n, pi(n))` for every n in `0..=top`, from one sieve of its
/// own (not the per-task one).
fn each_prime_count(top: usize, mut visit: impl FnMut(usize, u64)) {
    let mut composite = vec![false; top + 1];
    let mut primes_so_far: u64 = 0;
    for n in 0..=top {
        if n >= 2 && !composite[n] {
            primes_so_far += 1;
            let mut multiple = n.saturating_mul(n);
            while multiple <= top {
                composite[multiple] = true;
                multiple += n;
            }
        }
        visit(n, primes_so_far);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prime_counts_of_any_sizes_agree_with_the_per_task_sieve() {
        let sizes = [1000, 2, 0, 7919, 1000, 97, 1];
        let per_task: u128 = sizes.iter().map(|&n| count_primes_up_to(n) as u128).sum();
        assert_eq!(total_primes_of_sizes(&sizes), per_task);
        assert_eq!(total_primes_of_sizes(&[]), 0);
    }

    #[test]
    fn the_segmented_sieve_counts_as_the_plain_one() {
        // pi(10^6) = 78498, pi(2^18) = 23000, pi(10^7) = 664579 (OEIS A006880, A007053).
        assert_eq!(count_primes_up_to(1_000_000), 78_498);
        assert_eq!(count_primes_up_to(1 << 18), 23_000);
        assert_eq!(count_primes_up_to(10_000_000), 664_579);
        for n in
            [SEGMENT_FLAGS as u64 - 1, SEGMENT_FLAGS as u64, SEGMENT_FLAGS as u64 + 1, 3 * SEGMENT_FLAGS as u64 + 7]
        {
            let mut plain = Vec::new();
            assert_eq!(count_primes_up_to(n), sieve_and_count(&mut plain, n as usize), "n = {n}");
        }
    }

    #[test]
    fn small_prime_counts_match_known_values() {
        let known = [(0, 0), (1, 0), (2, 1), (3, 2), (10, 4), (100, 25), (1000, 168), (7919, 1000)];
        for (n, pi) in known {
            assert_eq!(count_primes_up_to(n), pi, "pi({n})");
        }
    }

    #[test]
    fn reference_agrees_with_per_task_sieve() {
        for (from, to) in [(0, 0), (0, 50), (5, 6), (1000, 1100), (2, 3), (90, 97)] {
            let per_task: u128 = (from..to).map(|n| count_primes_up_to(n) as u128).sum();
            assert_eq!(total_primes_over_range(from, to), per_task, "{from}..{to}");
        }
    }

    #[test]
    fn the_posts_range_has_the_known_total() {
        // 1000..16000 as in the post; the figure was also measured in
        // headless Chromium (../shared/NOTES.md).
        assert_eq!(total_primes_over_range(1000, 16000), 15_730_622);
    }
}
