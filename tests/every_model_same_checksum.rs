//! Every CPU model's code path, run natively, reaches the workload's
//! independently computed checksum, with the threads it was given; and the
//! models of the posts' Python systems do what those systems do: the GIL
//! lets one thread run task code at a time, `executor` sends a message per
//! task, `async` yields after each.

use concurrency_playground::engine::cpu::model::CpuModel;
use concurrency_playground::engine::measurement::records::TaskRecord;
use concurrency_playground::engine::reporting::results::Results;
use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

fn run(query: &str) -> Results {
    run_query(query, 2, &mut NativeExecutor::default(), &Arc::new(AtomicBool::new(false))).unwrap()
}

/// Every CPU model, by id, in a `models=` list.
fn every_model() -> String {
    CpuModel::ALL.map(|model| model.id().as_str()).join(",")
}

fn assert_every_model_agrees(results: &Results) {
    assert_eq!(results.models.len(), CpuModel::ALL.len());
    for model in &results.models {
        assert!(model.error.is_none(), "{}: {:?}", model.id, model.error);
        assert_eq!(model.checksum.as_deref(), results.workload.expected_checksum.as_deref(), "{}", model.id);
        assert!(model.checksum_ok, "{}", model.id);
        let recorded: usize = model.tasks.iter().map(TaskRecord::count).sum();
        assert_eq!(recorded, results.workload.task_count, "{}: every task recorded once", model.id);
        let expected_threads =
            if matches!(model.id.as_str(), "gil" | "rayon" | "workers" | "executor") { 2 } else { 1 };
        assert_eq!(model.threads_used, expected_threads, "{}", model.id);
        assert_eq!(model.runs_ms.len(), 2);
        assert!(model.memory_samples.len() >= 2, "{}", model.id);
    }
    assert!(!results.partial);
}

#[test]
fn sieve_gives_one_checksum_under_every_model() {
    let results =
        run(&format!("workload=sieve&from=1000&to=6000&models={}&threads=2&repeat=2&warmup=0", every_model()));
    // CPython, running the post's sieve over range(1000, 6000), sums to this.
    assert_eq!(results.workload.expected_checksum.as_deref(), Some("2431393"));
    assert_every_model_agrees(&results);
    assert!(results.models.iter().all(|m| m.speedup_vs_seq.is_some()));
}

#[test]
fn squares_gives_one_checksum_under_every_model() {
    let results =
        run(&format!("workload=squares&base=300000&count=12&models={}&threads=2&repeat=2&warmup=1", every_model()));
    assert_every_model_agrees(&results);
}

#[test]
fn the_gil_lets_one_thread_run_task_code_at_a_time() {
    // A short switch interval, so a short run hands the lock over often.
    let results = run("workload=sieve&from=1000&to=9000&models=seq,gil&threads=2&switch_ms=1&repeat=1&warmup=0");
    let gil = &results.models[1];
    assert!(gil.checksum_ok && gil.threads_used == 2, "{gil:?}");
    assert_eq!(gil.switch_ms, Some(1));
    let holds = gil.gil_holds.as_ref().expect("the gil model says who held the lock");
    assert!(
        gil.gil_switches.unwrap() >= 1 && gil.gil_wait_ms.unwrap() > 0.0,
        "{:?}",
        (gil.gil_switches, gil.gil_wait_ms)
    );
    assert!(holds.windows(2).all(|pair| pair[0].end_ms <= pair[1].start_ms), "holds never overlap");
    // Every task (the sieve has no checkpoint inside a task) ran inside a
    // hold of the thread that ran it: no two threads ran task code at once.
    for task in &gil.tasks {
        let inside = holds.iter().any(|hold| {
            hold.lane == task.lane() && hold.start_ms <= task.start_ms() + 0.001 && task.end_ms() <= hold.end_ms + 0.001
        });
        assert!(inside, "task {task:?} outside every hold of its thread");
    }
    let serial: Vec<(f64, f64)> = {
        let mut spans: Vec<(f64, f64)> = gil.tasks.iter().map(|t| (t.start_ms(), t.end_ms())).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        spans
    };
    assert!(serial.windows(2).all(|pair| pair[0].1 <= pair[1].0 + 0.001), "task spans of both threads never overlap");
}

#[test]
fn the_executor_sends_a_message_per_task_and_workers_one_per_chunk() {
    let results =
        run("workload=sieve&from=1000&to=1400&models=workers,executor&threads=2&chunksize=25&repeat=1&warmup=0");
    let (workers, executor) = (&results.models[0], &results.models[1]);
    assert!(workers.checksum_ok && executor.checksum_ok);
    assert_eq!((workers.chunksize, workers.messages), (Some(25), Some(2 * 400 / 25)), "a chunk out, its reply back");
    assert_eq!((executor.chunksize, executor.messages), (Some(1), Some(2 * 400)), "one submit per task");
    let auto = run("workload=sieve&from=1000&to=1400&models=workers&threads=2&repeat=1&warmup=0");
    assert_eq!(auto.models[0].chunksize, Some(50), "Pool.map: ceil(400 / (4 * 2))");
}

#[test]
fn async_yields_after_every_task_and_noawait_never() {
    let results = run("workload=sieve&from=1000&to=1300&models=async_noawait,async&repeat=1&warmup=0");
    let (noawait, yielding) = (&results.models[0], &results.models[1]);
    assert!(noawait.checksum_ok && yielding.checksum_ok);
    assert_eq!(noawait.yields, None);
    assert_eq!(yielding.yields, Some(300));
}

#[test]
fn the_same_model_twice_at_different_k_gives_two_entries() {
    let results = run("workload=sieve&from=1000&to=3000&models=seq,rayon@1,rayon@2&threads=2&repeat=1&warmup=0");
    let keys: Vec<&str> = results.models.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, ["seq", "rayon@1", "rayon@2"]);
    assert_eq!((results.models[1].threads, results.models[1].threads_used), (1, 1));
    assert_eq!((results.models[2].threads, results.models[2].threads_used), (2, 2));
    assert!(results.models.iter().all(|m| m.checksum_ok && m.id.as_str() == m.key.split('@').next().unwrap()));
}

#[test]
fn results_json_has_the_public_field_names() {
    let results = run("workload=squares&base=10&count=3&models=main,seq,rayon,workers&threads=2&repeat=2&warmup=0");
    assert!(results.models.iter().all(|m| m.key == m.id.as_str()), "a plain entry's key is its id");
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
