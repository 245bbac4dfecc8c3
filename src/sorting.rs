//! One compiled sort for the whole crate. Every list the crate orders goes
//! through one sort of indices with a `dyn` comparison, because each
//! `sort_by` (or `BTreeSet` collect) of another type or closure compiles the
//! standard library's whole sort again: 3-8 KB of wasm each, 67 KB for the
//! crate's twenty sorts, in a module downloaded before the page works
//! (bench/report.md, `wasm_gzip_bytes`). The lists are short (at most a
//! run's tasks), so the indirection costs nothing a user sees. Stops at
//! ordering; what to compare is the caller's.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably (equal items keep their order).
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_indices(&mut order, &|a, b| compare(&items[a], &items[b]));
    let mut taken: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().map(|index| taken[index].take().expect("a permutation takes each item once")));
}

/// Sorts `items` by their own order and drops repeats.
pub fn sort_unique<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
    items.dedup();
}

/// Sorts floats by `f64::total_cmp` (NaN last).
pub fn sort_floats(values: &mut Vec<f64>) {
    sort_by(values, f64::total_cmp);
}

/// The one sort: indices, ties broken by position, which makes it stable.
#[inline(never)]
fn sort_indices(order: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_and_uniquely() {
        let mut pairs = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
        assert_eq!(pairs, vec![(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        let mut lanes = vec![3u32, 1, 3, 2, 1];
        sort_unique(&mut lanes);
        assert_eq!(lanes, vec![1, 2, 3]);
        let mut times = vec![2.5, f64::NAN, -1.0, 0.0];
        sort_floats(&mut times);
        assert_eq!(&times[..3], &[-1.0, 0.0, 2.5]);
        assert!(times[3].is_nan());
        let mut empty: Vec<String> = Vec::new();
        sort_unique(&mut empty);
        assert!(empty.is_empty());
    }
}
