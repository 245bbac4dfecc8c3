//! The per-task timeline's geometry (a Gantt chart), in plain Rust: one row
//! per lane (a thread, a worker instance or an in-flight slot), one bar per
//! task or request, except below the chart's resolution: tasks too narrow
//! to tell apart ([`MIN_DISTINCT_PX`]) that touch are drawn as one bar, so
//! 15 000 tasks do not become 15 000 SVG elements, while every idle gap of
//! at least [`MIN_GAP_PX`] stays visible. 100 sequential requests stay 100
//! bars. The
//! component (`timeline.rs`) only places what this computes.

use crate::engine::measurement::records::TaskRecord;
use crate::sorting::{sort_by, sort_unique};

/// A gap narrower than this (in pixels) is drawn as busy: it could not be
/// seen anyway, and merging there bounds the number of bars by the width.
pub const MIN_GAP_PX: f64 = 0.5;

/// A bar at least this wide is a task of its own: touching tasks are only
/// merged while the bar they would join is narrower.
pub const MIN_DISTINCT_PX: f64 = 1.5;

/// A bar is at least this wide, so a single short task is still visible.
pub const MIN_BAR_PX: f64 = 0.75;

/// At most this many rows: beyond it (hundreds of in-flight slots), lanes
/// share rows in order, and a row shows their union.
pub const MAX_ROWS: usize = 160;

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineBar {
    pub row: usize,
    pub x: f64,
    pub width: f64,
    pub start_ms: f64,
    pub end_ms: f64,
    /// Tasks (or requests) drawn in this bar.
    pub tasks: usize,
    /// Some of them failed (IO): drawn in the failure colour.
    pub failed: bool,
    /// Requests (a task waiting), not computing: where a run has both,
    /// they are drawn in two styles.
    pub waiting: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineRow {
    /// The lanes drawn in this row (one unless lanes outnumber rows).
    pub lanes: Vec<u32>,
    /// Time covered by at least one task, in ms (idle = span - busy).
    pub busy_ms: f64,
    pub tasks: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineLayout {
    pub rows: Vec<TimelineRow>,
    pub bars: Vec<TimelineBar>,
    /// The time axis runs from 0 to this.
    pub max_ms: f64,
}

/// Lays out `tasks` across `width_px` for a time axis from 0 to `max_ms`
/// (at least the last task's end). O(n log n) in the number of tasks.
pub fn layout(tasks: &[TaskRecord], width_px: f64, max_ms: f64) -> TimelineLayout {
    let max_ms = tasks.iter().map(TaskRecord::end_ms).fold(max_ms.max(0.0), f64::max);
    let mut lanes: Vec<u32> = tasks.iter().map(TaskRecord::lane).collect();
    sort_unique(&mut lanes);
    let row_count = lanes.len().min(MAX_ROWS);
    let row_of_lane = |lane: u32| {
        let index = lanes.binary_search(&lane).unwrap_or(0);
        index * row_count / lanes.len().max(1)
    };
    let mut rows: Vec<TimelineRow> =
        (0..row_count).map(|_| TimelineRow { lanes: Vec::new(), busy_ms: 0.0, tasks: 0 }).collect();
    for &lane in &lanes {
        rows[row_of_lane(lane)].lanes.push(lane);
    }

    let px_per_ms = if max_ms > 0.0 { width_px / max_ms } else { 0.0 };
    // Per row: (start, end, failed, waiting, tasks) of each record.
    type Span = (f64, f64, bool, bool, usize);
    let mut by_row: Vec<Vec<Span>> = vec![Vec::new(); row_count];
    for task in tasks {
        let failed = matches!(task, TaskRecord::Request(request) if request.error.is_some());
        let waiting = matches!(task, TaskRecord::Request(_));
        let span = (task.start_ms(), task.end_ms().max(task.start_ms()), failed, waiting, task.count());
        by_row[row_of_lane(task.lane())].push(span);
    }

    let mut bars = Vec::new();
    for (row, mut spans) in by_row.into_iter().enumerate() {
        sort_by(&mut spans, |a, b| a.0.total_cmp(&b.0));
        rows[row].tasks = spans.iter().map(|span| span.4).sum();
        let mut busy_end = f64::NEG_INFINITY;
        let mut current: Option<TimelineBar> = None;
        for (start_ms, end_ms, failed, waiting, count) in spans {
            // Busy time is the union of the row's intervals.
            if end_ms > busy_end {
                rows[row].busy_ms += end_ms - start_ms.max(busy_end);
                busy_end = end_ms;
            }
            match current.as_mut() {
                Some(bar)
                    if (start_ms - bar.end_ms) * px_per_ms < MIN_GAP_PX
                        && (bar.end_ms - bar.start_ms) * px_per_ms < MIN_DISTINCT_PX
                        && (bar.failed, bar.waiting) == (failed, waiting) =>
                {
                    bar.end_ms = bar.end_ms.max(end_ms);
                    bar.tasks += count;
                }
                _ => {
                    if let Some(done) = current.take() {
                        bars.push(done);
                    }
                    let (x, width) = (0.0, 0.0);
                    current = Some(TimelineBar { row, x, width, start_ms, end_ms, tasks: count, failed, waiting });
                }
            }
        }
        bars.extend(current);
    }
    for bar in &mut bars {
        bar.x = bar.start_ms * px_per_ms;
        bar.width = ((bar.end_ms - bar.start_ms) * px_per_ms).max(MIN_BAR_PX);
    }
    TimelineLayout { rows, bars, max_ms }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::measurement::records::FetchErrorKind;
    use crate::engine::measurement::records::RequestSpan;
    use crate::engine::measurement::records::TaskSpan;

    fn task(start_ms: f64, end_ms: f64, lane: u32) -> TaskRecord {
        TaskRecord::Task(TaskSpan { start_ms, end_ms, lane })
    }

    #[test]
    fn back_to_back_tasks_merge_and_gaps_stay_visible() {
        // 100 px for 100 ms: 1 px per ms. Three touching tasks too short to
        // tell apart, a 6.5 ms gap, then one more; another lane with one task.
        let tasks = [task(0.0, 0.5, 7), task(0.5, 1.0, 7), task(1.2, 1.5, 7), task(8.0, 9.0, 7), task(0.0, 50.0, 3)];
        let layout = layout(&tasks, 100.0, 100.0);
        assert_eq!(layout.rows.iter().map(|r| r.lanes.clone()).collect::<Vec<_>>(), vec![vec![3], vec![7]]);
        let lane_7: Vec<(f64, f64, usize)> =
            layout.bars.iter().filter(|b| b.row == 1).map(|b| (b.start_ms, b.end_ms, b.tasks)).collect();
        assert_eq!(lane_7, vec![(0.0, 1.5, 3), (8.0, 9.0, 1)], "a 0.2 px gap merges, a 6.5 px gap does not");
        assert_eq!(layout.rows[1].busy_ms, 0.5 + 0.5 + 0.3 + 1.0);
        assert_eq!(layout.rows[1].tasks, 4);
        assert_eq!(layout.bars.iter().map(|b| b.tasks).sum::<usize>(), tasks.len(), "every task is in a bar");
    }

    #[test]
    fn bars_are_bounded_by_the_width_and_never_invisible() {
        // 15 000 one-microsecond tasks, each followed by an equal gap, on
        // 600 px: far below a pixel apart, so a handful of bars, not 15 000.
        let tasks: Vec<TaskRecord> = (0..15_000).map(|i| task(i as f64 * 0.002, i as f64 * 0.002 + 0.001, 1)).collect();
        let layout = layout(&tasks, 600.0, 0.0);
        assert!(layout.bars.len() <= 600, "{} bars", layout.bars.len());
        assert!(layout.bars.iter().all(|b| b.width >= MIN_BAR_PX));
        assert!((layout.max_ms - 29.999).abs() < 1e-9, "the axis reaches the last end");
    }

    #[test]
    fn many_lanes_share_rows_and_failures_stand_apart() {
        let request = |lane: u32, error: Option<FetchErrorKind>| {
            TaskRecord::Request(RequestSpan {
                start_ms: 0.0,
                end_ms: 10.0,
                lane,
                status: if error.is_some() { 0 } else { 200 },
                bytes: 0,
                error,
                worker: None,
            })
        };
        let tasks: Vec<TaskRecord> = (0..1000).map(|lane| request(lane, None)).collect();
        let layout = layout(&tasks, 300.0, 10.0);
        assert_eq!(layout.rows.len(), MAX_ROWS);
        assert_eq!(layout.rows.iter().map(|r| r.lanes.len()).sum::<usize>(), 1000);
        let mixed = [request(0, None), request(0, Some(FetchErrorKind::Timeout))];
        let layout = super::layout(&mixed, 100.0, 10.0);
        assert_eq!(layout.bars.len(), 2, "a failed request is its own bar");
        assert!(layout.bars.iter().any(|b| b.failed));
    }

    #[test]
    fn sequential_requests_stay_one_bar_each() {
        // 100 back-to-back requests of 160 ms on 500 px: 3 px each.
        let tasks: Vec<TaskRecord> = (0..100).map(|i| task(i as f64 * 160.0, (i + 1) as f64 * 160.0, 0)).collect();
        let layout = layout(&tasks, 500.0, 16_000.0);
        assert_eq!(layout.bars.len(), 100);
        assert!(layout.bars.iter().all(|bar| bar.tasks == 1));
    }

    #[test]
    fn nothing_to_draw_is_an_empty_layout() {
        let layout = layout(&[], 100.0, 0.0);
        assert!(layout.rows.is_empty() && layout.bars.is_empty());
    }
}
