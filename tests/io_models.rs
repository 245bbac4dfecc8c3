//! Every IO model's code path, run natively against a fake network: each
//! receives the bytes the workload promises, and each keeps exactly as many
//! requests in flight as its shape allows, by the engine's count (from the
//! request records) and by the network's own.

mod support;

use concurrency_playground::engine::io::model::IoModel;
use concurrency_playground::engine::measurement::records::TaskRecord;
use concurrency_playground::engine::reporting::results::{ModelResult, Results};
use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use support::fake_network::FakeNetwork;

const REQUESTS: u32 = 24;
const LATENCY_MS: f64 = 20.0;
/// Cores the parser is told of: enough for 3 worker instances.
const CORES: u32 = 4;

/// Runs `query` on a fresh fake network; returns the results and the network.
fn run_with(query: &str, cancel: Arc<AtomicBool>) -> (Results, FakeNetwork) {
    let mut executor = NativeExecutor::with_network(FakeNetwork::default());
    let results = run_query(query, CORES, &mut executor, &cancel).unwrap();
    (results, executor.into_network())
}

/// One model alone on the latency source, so the network's own count of
/// requests in flight is that model's.
fn run_model(model: IoModel) -> (ModelResult, FakeNetwork) {
    let query = format!(
        "workload=io&source=sim&requests={REQUESTS}&latency_ms={LATENCY_MS}&bytes=100&models={}&concurrency=4&threads=3&repeat=1&warmup=0",
        model.id()
    );
    let (mut results, network) = run_with(&query, Arc::new(AtomicBool::new(false)));
    assert_eq!(results.workload.expected_checksum.as_deref(), Some("2400"));
    (results.models.remove(0), network)
}

#[test]
fn every_model_receives_every_byte_with_the_concurrency_its_shape_allows() {
    let n = REQUESTS;
    // (model, requests in flight at once, threads or instances that made requests)
    let cases = [
        (IoModel::Seq, 1, 1),
        (IoModel::All, n, 1),
        (IoModel::Bounded, 4, 1),
        (IoModel::Threads, 4, 4),
        (IoModel::Workers, n, 3),
        (IoModel::Procs, 3, 3),
    ];
    for (model, in_flight, threads) in cases {
        let (result, network) = run_model(model);
        let io = result.io.as_ref().expect("an IO model has IO fields");
        assert_eq!(result.error, None, "{model:?}");
        assert_eq!(result.checksum.as_deref(), Some("2400"), "{model:?}: total bytes");
        assert!(result.checksum_ok, "{model:?}");
        assert_eq!((io.facts.requests_ok, io.facts.requests_failed, io.facts.bytes_total), (n, 0, 2400), "{model:?}");
        assert_eq!(network.requests(), n, "{model:?}: each request made once");
        assert_eq!(io.facts.max_in_flight, in_flight, "{model:?}: by the engine's records");
        assert_eq!(network.most_in_flight(), in_flight, "{model:?}: by the network's own count");
        assert_eq!(result.threads_used, threads, "{model:?}");
        assert_eq!(result.tasks.len(), n as usize, "{model:?}: one record per request");
        assert!(result.tasks.iter().all(|t| matches!(t, TaskRecord::Request(r) if r.status == 200 && r.bytes == 100)));
        // A generous sanity ratio of the shape, not a benchmark:
        // sequential is about N latencies, bounded about N / k.
        let median = result.median_ms.unwrap();
        let rounds = n.div_ceil(in_flight) as f64;
        assert!(median >= rounds * LATENCY_MS, "{model:?}: {median} ms for {rounds} rounds");
        assert!(median < rounds * LATENCY_MS * 3.0 + 200.0, "{model:?}: {median} ms for {rounds} rounds");
    }
}

#[test]
fn lanes_are_slots_one_per_request_in_flight() {
    let lanes = |model| {
        let (result, _) = run_model(model);
        let mut lanes: Vec<u32> = result.tasks.iter().map(TaskRecord::lane).collect();
        lanes.sort_unstable();
        lanes.dedup();
        lanes
    };
    assert_eq!(lanes(IoModel::Seq), vec![0]);
    assert_eq!(lanes(IoModel::Bounded), vec![0, 1, 2, 3]);
    assert_eq!(lanes(IoModel::Threads), vec![0, 1, 2, 3]);
    assert_eq!(lanes(IoModel::All).len(), REQUESTS as usize);
    let (workers, _) = run_model(IoModel::Workers);
    let mut by_worker = [0; 3];
    for task in &workers.tasks {
        let TaskRecord::Request(request) = task else { panic!("a request") };
        by_worker[request.worker.expect("workers records say which instance") as usize] += 1;
    }
    assert_eq!(by_worker, [8, 8, 8], "contiguous equal shares");
    assert_eq!(lanes(IoModel::Procs), vec![0, 1, 2], "one lane per process, its requests one after another");
}

#[test]
fn the_same_model_at_two_k_keeps_each_its_own_in_flight() {
    let query = format!(
        "workload=io&source=sim&requests={REQUESTS}&latency_ms=20&bytes=100&models=threads@6,threads@2,bounded@12&concurrency=4&repeat=1&warmup=0"
    );
    let (results, _) = run_with(&query, Arc::new(AtomicBool::new(false)));
    let in_flight: Vec<(&str, u32)> =
        results.models.iter().map(|m| (m.key.as_str(), m.io.as_ref().unwrap().facts.max_in_flight)).collect();
    assert_eq!(in_flight, vec![("threads@6", 6), ("threads@2", 2), ("bounded@12", 12)]);
    assert!(results.models.iter().all(|m| m.checksum_ok));
}

#[test]
fn failures_are_counted_per_request_and_the_run_completes() {
    for (url, kind, status, bytes) in
        [("http%3A%2F%2Frefused.test%2Fip", "network", 0, 0), ("https%3A%2F%2Fmissing.test%2Fx", "http", 404, 9)]
    {
        let query = format!("workload=io&source=url&url={url}&requests=6&models=seq,all,bounded,threads,workers,procs&concurrency=2&repeat=2&warmup=0");
        let (results, network) = run_with(&query, Arc::new(AtomicBool::new(false)));
        assert_eq!(results.workload.expected_checksum, None, "a user's URL has no known size");
        assert_eq!(network.requests(), 6 * 2 * 6, "every request of every run was made");
        for model in &results.models {
            let io = model.io.as_ref().unwrap();
            assert_eq!(model.error, None, "{}: failures are not an error of the run", model.id);
            assert_eq!(model.runs_ms.len(), 2, "{}", model.id);
            assert_eq!((io.facts.requests_ok, io.facts.requests_failed), (0, 6), "{}", model.id);
            assert_eq!(io.facts.failures.iter().map(|(k, n)| (k.id(), *n)).collect::<Vec<_>>(), vec![(kind, 6)]);
            assert!(io.facts.failure_messages.values().next().is_some(), "{}: the browser's message is kept", model.id);
            assert_eq!(io.facts.bytes_total, 6 * bytes);
            assert!(!model.checksum_ok, "{}: failed requests cannot be a correct checksum", model.id);
            for task in &model.tasks {
                let TaskRecord::Request(request) = task else { panic!() };
                assert_eq!((request.status, request.error.map(|e| e.id())), (status, Some(kind)));
            }
        }
    }
}

#[test]
fn stop_keeps_what_ran_and_marks_it_partial() {
    let cancel = Arc::new(AtomicBool::new(false));
    let stopper = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(150));
            cancel.store(true, Relaxed);
        })
    };
    // 30 sequential requests of 20 ms take 600 ms; Stop comes at 150.
    let query = "workload=io&source=sim&requests=30&latency_ms=20&models=seq,all&repeat=1&warmup=0";
    let (results, _) = run_with(query, cancel);
    stopper.join().unwrap();
    assert!(results.partial);
    let seq = &results.models[0];
    assert!(seq.partial);
    let done = seq.io.as_ref().unwrap().facts.requests_ok as usize;
    assert!((3..30).contains(&done), "some but not all requests ran: {done}");
    assert_eq!(seq.tasks.len(), done, "the stopped run's records are kept");
    assert_eq!(seq.runs_ms, Vec::<f64>::new(), "a stopped run is not a run time");
    assert_eq!(results.models[1].error.as_deref(), Some("Stopped before this model ran."));
}

#[test]
fn io_results_carry_the_public_fields_and_read_back() {
    let (results, _) = run_with(
        "workload=io&source=sim&requests=5&latency_ms=1&models=seq,bounded&concurrency=2&repeat=1&warmup=0",
        Arc::new(AtomicBool::new(false)),
    );
    let json: serde_json::Value = serde_json::from_str(&results.to_json()).unwrap();
    assert_eq!(json["workload"]["kind"], "io");
    assert_eq!(json["workload"]["source"], "sim");
    assert_eq!(json["config"]["concurrency"], 2);
    let model = &json["models"][1];
    for field in ["requests_ok", "requests_failed", "max_in_flight", "protocol", "bytes_total", "failures"] {
        assert!(model.get(field).is_some(), "models[].{field} is missing");
    }
    assert_eq!(model["checksum"], "10240");
    assert_eq!(model["tasks"][0]["status"], 200);
    assert_eq!(model["tasks"][0]["error"], serde_json::Value::Null);
    assert_eq!(Results::from_json(&results.to_json()).unwrap(), results);
}
