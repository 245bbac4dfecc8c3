//! The results record is a contract with tutorials: twelve queries, run
//! natively, must keep every key path their JSON has today, the canonical
//! query, and each entry's figures that do not depend on timing (threads,
//! requests in flight, chunks, switch interval, where it ran, checksum).
//! The snapshot is `tests/fixtures/results_shape.txt`; a change to it is a
//! change of the public format, made on purpose (`UPDATE_RESULTS_SHAPE=1`
//! writes it) and said in the commit.

#[allow(dead_code)] // The network's own counts are for other tests.
mod support;

use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use support::fake_network::FakeNetwork;

const QUERIES: [&str; 12] = [
    "workload=sieve&from=1000&to=3000&models=main,seq,async_noawait,async,gil,rayon,workers,executor&threads=2&repeat=1&warmup=0",
    "workload=squares&base=1000&count=8&models=seq,gil@2,rayon@1,workers&chunksize=3&threads=2&repeat=2&warmup=1",
    "workload=sieve&from=1000&to=2000&models=seq,gil,rayon,workers&threads=2&sweep=1&repeat=1&warmup=0",
    "workload=sieve&from=1000&to=2000&models=gil,executor&switch_ms=1&threads=2&repeat=1&warmup=0",
    "workload=io&source=sim&requests=12&latency_ms=5&bytes=64&models=seq,all,bounded,threads,workers,procs&concurrency=3&threads=2&repeat=1&warmup=0",
    "workload=io&source=sim&requests=12&latency_ms=5&models=threads@100,threads@4,bounded@2&repeat=1&warmup=0",
    "workload=io&source=static&requests=6&bytes=16384&models=seq,all,procs@2&repeat=1&warmup=0",
    "workload=io&source=url&url=https%3A%2F%2Fexample.com%2Fip&requests=6&models=seq,all,workers&threads=2&repeat=1&warmup=0",
    "workload=sieve&from=1000&to=2000&models=seq,rayon&threads=2&ref=seq:0.5,rayon:0.25&repeat=1&warmup=0",
    "workload=io&source=sim&requests=8&latency_ms=5&models=seq,all&ref=seq:1.3,all:0.2&repeat=1&warmup=0",
    "workload=mixed&tasks=6&compute_n=20000&latency_ms=5&bytes=64&latency_spread=random&fail_rate=0.3&seed=3&spread=random&models=seq,all,gil,threads,workers,procs&concurrency=3&threads=2&repeat=1&warmup=0",
    "workload=mixed&tasks=4&task_ms=4&sweep=mix&bytes=64&models=seq,all&repeat=1&warmup=0",
];

/// Each entry's figures that no timing can move.
const STABLE_FIELDS: [&str; 12] = [
    "id",
    "key",
    "available",
    "threads",
    "concurrency",
    "chunksize",
    "switch_ms",
    "runs_on",
    "checksum",
    "checksum_ok",
    "tasks_done",
    "partial",
];

/// Arrays that are empty or not by timing alone (no `gil` thread had to
/// wait): their items' keys are not part of the snapshot.
const MAYBE_EMPTY: [&str; 2] = ["gil_waits", "crossovers"];

/// Every key path of `value`, arrays collapsed to `[]`.
fn key_paths(value: &Value, path: String, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = format!("{path}.{key}");
                into.insert(child_path.clone());
                if !MAYBE_EMPTY.contains(&key.as_str()) {
                    key_paths(child, child_path, into);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                key_paths(item, format!("{path}[]"), into);
            }
        }
        _ => {}
    }
}

fn shape_of(query: &str) -> String {
    let mut executor = NativeExecutor::with_network(FakeNetwork::default());
    let results = run_query(query, 2, &mut executor, &Arc::new(AtomicBool::new(false))).expect("a valid query");
    let json = serde_json::to_value(&results).expect("plain data");
    let mut paths = BTreeSet::new();
    key_paths(&json, String::new(), &mut paths);
    let canonical = json["config"]["query"].as_str().expect("config.query");
    // The crossover sweep sizes its sieve by timing it: its size, and the
    // checksums that follow from it, are not stable figures.
    let calibrated = json.get("calibration").is_some();
    let canonical: Vec<&str> = canonical
        .split('&')
        .map(|pair| if calibrated && pair.starts_with("compute_n=") { "compute_n=*" } else { pair })
        .collect();
    let mut out = format!("query {query}\ncanonical {}\n", canonical.join("&"));
    for model in json["models"].as_array().expect("models") {
        let figures: Vec<String> = STABLE_FIELDS
            .iter()
            .filter(|field| !(calibrated && **field == "checksum"))
            .filter_map(|field| model.get(*field).map(|value| format!("{field}={value}")))
            .collect();
        out += &format!("entry {}\n", figures.join(" "));
    }
    for path in paths {
        out += &format!("path {path}\n");
    }
    out
}

#[test]
fn every_query_keeps_its_keys_canonical_query_and_stable_figures() {
    let shape: String = QUERIES.iter().map(|query| shape_of(query) + "\n").collect();
    let snapshot_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/results_shape.txt");
    if std::env::var_os("UPDATE_RESULTS_SHAPE").is_some() {
        std::fs::write(snapshot_path, &shape).expect("the snapshot written");
        return;
    }
    let snapshot = std::fs::read_to_string(snapshot_path).expect("the snapshot (UPDATE_RESULTS_SHAPE=1 writes it)");
    if shape != snapshot {
        let (now, then): (Vec<&str>, Vec<&str>) = (shape.lines().collect(), snapshot.lines().collect());
        let gone: Vec<&&str> = then.iter().filter(|line| !now.contains(line)).collect();
        let new: Vec<&&str> = now.iter().filter(|line| !then.contains(line)).collect();
        panic!("the results' shape changed.\nno longer there: {gone:#?}\nnew: {new:#?}");
    }
}
