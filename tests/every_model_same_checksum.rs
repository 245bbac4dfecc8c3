//! Every CPU model's code path, run natively, reaches the workload's
//! independently computed checksum, with the threads it was given.

use concurrency_playground::engine::cpu::model::CpuModel;
use concurrency_playground::engine::measurement::records::TaskRecord;
use concurrency_playground::engine::reporting::results::Results;
use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

fn run(query: &str) -> Results {
    run_query(query, 2, &mut NativeExecutor::default(), &Arc::new(AtomicBool::new(false))).unwrap()
}

fn assert_every_model_agrees(results: &Results) {
    assert_eq!(results.models.len(), CpuModel::ALL.len());
    for model in &results.models {
        assert!(model.error.is_none(), "{}: {:?}", model.id, model.error);
        assert_eq!(model.checksum.as_deref(), results.workload.expected_checksum.as_deref(), "{}", model.id);
        assert!(model.checksum_ok, "{}", model.id);
        let recorded: usize = model.tasks.iter().map(TaskRecord::count).sum();
        assert_eq!(recorded, results.workload.task_count, "{}: every task recorded once", model.id);
        let expected_threads = if matches!(model.id.as_str(), "rayon" | "workers") { 2 } else { 1 };
        assert_eq!(model.threads_used, expected_threads, "{}", model.id);
        assert_eq!(model.runs_ms.len(), 2);
        assert!(model.memory_samples.len() >= 2, "{}", model.id);
    }
    assert!(!results.partial);
}

#[test]
fn sieve_gives_one_checksum_under_every_model() {
    let results = run("workload=sieve&from=1000&to=6000&models=main,seq,rayon,workers&threads=2&repeat=2&warmup=0");
    // CPython, running the post's sieve over range(1000, 6000), sums to this.
    assert_eq!(results.workload.expected_checksum.as_deref(), Some("2431393"));
    assert_every_model_agrees(&results);
    assert!(results.models.iter().all(|m| m.speedup_vs_seq.is_some()));
}

#[test]
fn squares_gives_one_checksum_under_every_model() {
    let results =
        run("workload=squares&base=300000&count=12&models=main,seq,rayon,workers&threads=2&repeat=2&warmup=1");
    assert_every_model_agrees(&results);
}

#[test]
fn results_json_has_the_public_field_names() {
    let results = run("workload=squares&base=10&count=3&models=main,seq,rayon,workers&threads=2&repeat=2&warmup=0");
    let json: serde_json::Value = serde_json::from_str(&results.to_json()).unwrap();
    assert_eq!(json["schema"], "concurrency-playground/results@1");
    assert_eq!(json["workload"]["kind"], "squares");
    assert_eq!(json["workload"]["base"], 10);
    assert_eq!(json["environment"]["cross_origin_isolated"], true);
    let model = &json["models"][2];
    for field in [
        "id",
        "label",
        "available",
        "threads",
        "runs_ms",
        "median_ms",
        "min_ms",
        "max_ms",
        "checksum",
        "checksum_ok",
        "threads_used",
        "wasm_memory_bytes_before",
        "wasm_memory_bytes_after",
        "live_heap_bytes_before",
        "live_heap_bytes_after",
        "peak_live_heap_bytes",
        "error",
    ] {
        assert!(model.get(field).is_some(), "models[].{field} is missing");
    }
    assert!(model["checksum"].is_string());
    assert_eq!(model["tasks"][0].as_object().unwrap().len(), 3, "tasks are {{start_ms, end_ms, lane}}");
    assert!(model.get("requests_ok").is_none(), "CPU models carry no IO fields");
    // The record reads back as it was written (shared results are drawn from it).
    assert_eq!(Results::from_json(&results.to_json()).unwrap(), results);
    assert_eq!(model["memory_samples"][0].as_array().unwrap().len(), 3);
}

#[test]
fn the_sweep_runs_each_parallel_model_at_every_thread_count() {
    let results =
        run("workload=squares&base=300000&count=12&models=seq,rayon,workers&threads=2&repeat=1&warmup=0&sweep=1");
    let sweep = results.sweep.as_ref().expect("sweep=1 adds a sweep");
    assert_eq!(sweep.baseline, "seq");
    let points: Vec<(&str, u32)> = sweep.points.iter().map(|p| (p.model.as_str(), p.threads)).collect();
    assert_eq!(points, vec![("rayon", 1), ("rayon", 2), ("workers", 1), ("workers", 2)]);
    for point in &sweep.points {
        assert!(point.checksum_ok, "{point:?}");
        assert_eq!(point.threads_used as u32, point.threads, "{point:?}");
        let (speedup, efficiency) = (point.speedup.unwrap(), point.efficiency.unwrap());
        assert!((efficiency - speedup / point.threads as f64).abs() < 1e-12);
    }
    assert!(!sweep.partial && !results.partial);
    let json: serde_json::Value = serde_json::from_str(&results.to_json()).unwrap();
    assert_eq!(json["sweep"]["points"].as_array().unwrap().len(), 4);
    assert_eq!(Results::from_json(&results.to_json()).unwrap(), results);
}
