//! `workload=mixed` natively, through the scheduler as the page runs it:
//! tasks that make a request and count primes, in either order, run by
//! every model of waiting tasks against a fake network. Each reaches the
//! one exact checksum; `gil` never computes on two threads at once yet its
//! waits overlap; `all`'s computing never overlaps; `threads`' does.

#[allow(dead_code)] // The network's count in flight is for other tests.
mod support;

use concurrency_playground::engine::io::model::IoModel;
use concurrency_playground::engine::measurement::records::TaskRecord;
use concurrency_playground::engine::reporting::results::{ModelResult, Results};
use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use support::fake_network::FakeNetwork;

const TASKS: usize = 16;
/// Cores the parser is told of: enough for 3 worker instances.
const CORES: u32 = 4;

/// Runs `models` on mixed tasks in `order`; returns the results and how
/// many requests the network answered.
fn run(order: &str, models: &str) -> (Results, u32) {
    let query = format!(
        "workload=mixed&tasks={TASKS}&order={order}&source=sim&latency_ms=15&bytes=100&compute_n=150000\
         &models={models}&concurrency=4&threads=3&repeat=1&warmup=0"
    );
    let mut executor = NativeExecutor::with_network(FakeNetwork::default());
    let results = run_query(&query, CORES, &mut executor, &Arc::new(AtomicBool::new(false))).unwrap();
    (results, executor.into_network().requests())
}

/// (start, end, lane) of every compute record: what ran while a thread computed.
fn computing(model: &ModelResult) -> Vec<(f64, f64, u32)> {
    model
        .tasks
        .iter()
        .filter(|record| !matches!(record, TaskRecord::Request(_)))
        .map(|record| (record.start_ms(), record.end_ms(), record.lane()))
        .collect()
}

/// The most compute records running at one instant.
fn most_at_once(spans: &[(f64, f64, u32)]) -> usize {
    spans
        .iter()
        .map(|(at, _, _)| spans.iter().filter(|(start, end, _)| start <= at && at < end).count())
        .max()
        .unwrap_or(0)
}

#[test]
fn every_model_reaches_the_exact_checksum_in_either_order_and_every_spread() {
    let models: Vec<&str> = IoModel::ALL.iter().map(|model| model.id().as_str()).collect();
    for (order, spread) in
        [("wait_first", "even"), ("compute_first", "growing"), ("wait_first", "straggler"), ("compute_first", "random")]
    {
        let order = &format!("{order}&spread={spread}&seed=7");
        let (results, requests) = run(order, &models.join(","));
        assert_eq!(requests as usize, TASKS * models.len(), "each task's request made once, by every model");
        let expected = results.workload.expected_checksum.clone().expect("known ahead for the latency source");
        assert_eq!(results.models.len(), IoModel::ALL.len());
        for model in &results.models {
            assert_eq!(model.error, None, "{}, {order}", model.key);
            assert_eq!(model.checksum.as_ref(), Some(&expected), "{}, {order}", model.key);
            assert!(model.checksum_ok && !model.partial, "{}, {order}", model.key);
            let io = model.io.as_ref().expect("request fields");
            assert_eq!(io.facts.requests_ok, TASKS as u32, "{}, {order}", model.key);
            let computed: usize = model
                .tasks
                .iter()
                .filter(|record| !matches!(record, TaskRecord::Request(_)))
                .map(TaskRecord::count)
                .sum();
            assert_eq!(computed, TASKS, "{}, {order}: every compute step recorded once", model.key);
        }
    }
}

#[test]
fn a_gil_lets_the_waits_overlap_but_never_the_computing() {
    let (results, _) = run("wait_first", "gil,all,threads");
    let [gil, all, threads] = [0, 1, 2].map(|i| &results.models[i]);
    // gil: one computing at a time (a hair of clock skew allowed), four waiting at once.
    let gil_spans = computing(gil);
    let mut sorted = gil_spans.clone();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let overlaps = sorted.windows(2).filter(|pair| pair[1].0 < pair[0].1 - 0.01).count();
    assert_eq!(overlaps, 0, "two threads computed at once under the GIL: {sorted:?}");
    assert!(gil.io.as_ref().unwrap().facts.max_in_flight >= 2, "the GIL is let go while a thread waits");
    assert!(gil_spans.iter().map(|(_, _, lane)| lane).collect::<std::collections::BTreeSet<_>>().len() >= 2);
    assert!(gil.gil_holds.as_ref().is_some_and(|holds| !holds.is_empty()), "the lock's holds are reported");
    // all: one thread, so its computing never overlaps, though every request was in flight at once.
    assert_eq!(most_at_once(&computing(all)), 1, "asyncio computes on one thread");
    assert_eq!(all.io.as_ref().unwrap().facts.max_in_flight, TASKS as u32);
    // threads: no GIL, so the threads compute at once.
    assert!(most_at_once(&computing(threads)) >= 2, "free threads compute at once");
}

#[test]
fn the_crossover_sweep_runs_every_entry_at_every_share_and_names_the_winners() {
    let query =
        "workload=mixed&tasks=6&task_ms=6&sweep=mix&bytes=10&models=seq,all,gil,workers&concurrency=3&threads=2\
                 &latency_spread=random&fail_rate=0.2&seed=4&repeat=1&warmup=0";
    let mut executor = NativeExecutor::with_network(FakeNetwork::default());
    let results = run_query(query, CORES, &mut executor, &Arc::new(AtomicBool::new(false))).unwrap();
    let sweep = results.mix_sweep.as_ref().expect("the crossover sweep");
    assert_eq!(sweep.shares_pct, vec![0, 10, 25, 50, 75, 90, 100]);
    assert_eq!(sweep.points.len(), 7 * 4);
    for point in &sweep.points {
        assert!(
            point.checksum_ok && point.median_ms.is_some(),
            "{} at {} %: {:?}",
            point.key,
            point.share_pct,
            point.error
        );
    }
    let seq: Vec<_> = sweep.points.iter().filter(|p| p.key == "seq").collect();
    assert!(seq
        .windows(2)
        .all(|pair| pair[0].compute_n <= pair[1].compute_n && pair[0].latency_ms >= pair[1].latency_ms));
    assert_eq!((seq[0].compute_n, seq[0].latency_ms, seq[6].latency_ms), (2, 6, 0));
    assert_eq!(sweep.winners.len(), 7);
    assert!(sweep.verdict.starts_with("In tasks of 6 ms"), "{}", sweep.verdict);
    assert!(results.verdict.starts_with(&sweep.verdict), "the crossover leads the run's verdict");
    // The run's models are the half-and-half share, whole (with their tasks).
    let featured: Vec<&str> = results.models.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(featured, ["seq", "all", "gil", "workers"]);
    assert!(results.models.iter().all(|m| m.tasks.len() >= TASKS_AT_LEAST && m.checksum_ok));
    assert!(results.config.query.contains("sweep=mix") && results.config.query.contains("latency_ms=3&"));
    let calibration = results.calibration.as_ref().expect("the sieve was timed");
    assert!(calibration.calibration.ns_per_n > 0.0 && calibration.cpu_ms_step.is_none());
}

/// Every task of the featured share leaves a request and a compute record.
const TASKS_AT_LEAST: usize = 6;

#[test]
fn cpu_ms_sizes_the_compute_step_and_the_results_replay_the_size() {
    let query = "workload=mixed&tasks=4&cpu_ms=3&latency_ms=1&bytes=10&models=seq&repeat=1&warmup=0";
    let mut executor = NativeExecutor::with_network(FakeNetwork::default());
    let results = run_query(query, CORES, &mut executor, &Arc::new(AtomicBool::new(false))).unwrap();
    let step = results.calibration.as_ref().and_then(|c| c.cpu_ms_step).expect("cpu_ms was sized");
    assert_eq!(step.cpu_ms, 3.0);
    assert!(step.compute_n > 2 && step.compute_n != 200_000, "{step:?}");
    let query = &results.config.query;
    assert!(query.contains(&format!("compute_n={}&", step.compute_n)) && !query.contains("cpu_ms"), "{query}");
    assert!(results.models[0].checksum_ok);
}
