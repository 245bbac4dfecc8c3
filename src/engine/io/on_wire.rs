//! How many requests were really on the wire at once, beside how many a
//! model had started: over HTTP/1.1 a browser opens at most six connections
//! to one host, so `all` may start 30 requests while six travel. Where the
//! server lets the page see its Resource Timing, each request's time from
//! sending it to its last byte says so exactly; where it does not (a
//! cross-origin server without `Timing-Allow-Origin`), the requests' own
//! records give an estimate: answers that a connection limit holds back end
//! in waves, as many at a time as there were connections. The latency
//! source (the page's service worker) uses no connection at all.

use crate::engine::measurement::records::{RequestSpan, TaskRecord};
use crate::engine::measurement::run_measurement::RunMeasurement;
use crate::engine::measurement::wire::{OnWireBasis, WireTimings};
use crate::sorting::{sort_by, sort_floats};

/// The most intervals open at one instant (an interval ending as another
/// starts does not overlap it).
pub fn max_overlap(intervals: &[(f64, f64)]) -> u32 {
    let mut edges: Vec<(f64, i32)> = intervals.iter().flat_map(|&(start, end)| [(start, 1), (end, -1)]).collect();
    // Ends before starts at the same instant.
    sort_by(&mut edges, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut open, mut most) = (0i32, 0i32);
    for (_, change) in edges {
        open += change;
        most = most.max(open);
    }
    most.max(0) as u32
}

/// The requests on the wire at once, estimated from their records: their
/// ends, sorted, fall into waves wherever the gap between two exceeds a
/// third of the shortest request; the median wave's size is the number of
/// connections that carried them. `None` with fewer than two requests.
pub fn estimate_from_spans(spans: &[RequestSpan]) -> Option<u32> {
    let finished: Vec<&RequestSpan> = spans.iter().filter(|span| span.error.is_none()).collect();
    if finished.len() < 2 {
        return None;
    }
    let shortest = finished.iter().map(|span| span.end_ms - span.start_ms).fold(f64::INFINITY, f64::min);
    let mut ends: Vec<f64> = finished.iter().map(|span| span.end_ms).collect();
    sort_floats(&mut ends);
    let mut waves = vec![1u32];
    for pair in ends.windows(2) {
        match pair[1] - pair[0] > shortest.max(0.0) / 3.0 {
            true => waves.push(1),
            false => *waves.last_mut().expect("one wave at least") += 1,
        }
    }
    sort_by(&mut waves, Ord::cmp);
    Some(waves[waves.len() / 2])
}

/// The most requests on the wire at once, and what it was counted from:
/// the service worker's answers took none; else the browser's timing where
/// it gave it for most requests, else the estimate. Never more than the
/// model had started (`max_in_flight`).
pub fn on_wire(
    from_service_worker: bool,
    timings: &WireTimings,
    spans: &[RequestSpan],
    max_in_flight: u32,
) -> (Option<u32>, Option<OnWireBasis>) {
    if from_service_worker {
        return (None, Some(OnWireBasis::ServiceWorker));
    }
    let timed = timings.intervals.len();
    if timed > 0 && timed >= timings.hidden as usize {
        return (Some(max_overlap(&timings.intervals).min(max_in_flight)), Some(OnWireBasis::ResourceTiming));
    }
    match estimate_from_spans(spans) {
        Some(estimate) => (Some(estimate.min(max_in_flight)), Some(OnWireBasis::Estimated)),
        None => (None, None),
    }
}

/// Adds to a finished IO run's figures what was on the wire at once (see
/// [`on_wire`]): `from_service_worker` for the latency source.
pub fn add_on_wire(measurement: &mut RunMeasurement, from_service_worker: bool, timings: &WireTimings) {
    let spans: Vec<RequestSpan> = measurement
        .tasks
        .iter()
        .filter_map(|record| match record {
            TaskRecord::Request(span) => Some(*span),
            _ => None,
        })
        .collect();
    if let Some(facts) = measurement.io.as_mut() {
        (facts.max_on_wire, facts.on_wire_basis) = on_wire(from_service_worker, timings, &spans, facts.max_in_flight);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start_ms: f64, end_ms: f64) -> RequestSpan {
        RequestSpan { start_ms, end_ms, lane: 0, status: 200, bytes: 1, error: None, worker: None }
    }

    #[test]
    fn overlap_counts_intervals_open_at_once() {
        assert_eq!(max_overlap(&[(0.0, 10.0), (5.0, 15.0), (10.0, 20.0)]), 2, "one ends as the third starts");
        assert_eq!(max_overlap(&[]), 0);
        let six_at_a_time: Vec<(f64, f64)> =
            (0..30).map(|i| ((i / 6) as f64 * 160.0, (i / 6 + 1) as f64 * 160.0)).collect();
        assert_eq!(max_overlap(&six_at_a_time), 6);
    }

    #[test]
    fn answers_in_waves_of_six_mean_six_connections() {
        // 30 requests started at once, a limit of 6 lets them end 160 ms apart in waves.
        let spans: Vec<RequestSpan> =
            (0..30).map(|i| span(0.0, (i / 6 + 1) as f64 * 160.0 + (i % 6) as f64 * 0.7)).collect();
        assert_eq!(estimate_from_spans(&spans), Some(6));
        // All answered together: one wave of all.
        let together: Vec<RequestSpan> = (0..30).map(|i| span(0.0, 160.0 + i as f64 * 0.1)).collect();
        assert_eq!(estimate_from_spans(&together), Some(30));
        assert_eq!(estimate_from_spans(&together[..1]), None);
    }

    #[test]
    fn the_basis_follows_what_the_browser_gave() {
        let spans: Vec<RequestSpan> = (0..12).map(|i| span(0.0, (i / 6 + 1) as f64 * 100.0)).collect();
        let timed = WireTimings { intervals: vec![(0.0, 100.0), (0.0, 100.0), (100.0, 200.0)], hidden: 0 };
        assert_eq!(on_wire(false, &timed, &spans, 12), (Some(2), Some(OnWireBasis::ResourceTiming)));
        let hidden = WireTimings { intervals: vec![], hidden: 12 };
        assert_eq!(on_wire(false, &hidden, &spans, 12), (Some(6), Some(OnWireBasis::Estimated)));
        assert_eq!(on_wire(false, &hidden, &spans, 4), (Some(4), Some(OnWireBasis::Estimated)), "never above started");
        assert_eq!(on_wire(true, &timed, &spans, 12), (None, Some(OnWireBasis::ServiceWorker)));
    }
}
