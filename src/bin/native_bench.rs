//! The engine's CPU workloads natively, for the benchmark (`bash .ci/bench`):
//! the same models, through the same scheduler, as the page runs them,
//! `seq` and `rayon` at every thread count, plus what the playground's own
//! recording costs. Prints one JSON object. Natively only: in a wasm build
//! (Trunk builds every target) `main` does nothing.
//!
//! Usage: `cargo run --release --bin native-bench -- [repeat] [warmup]`,
//! or `-- plain` / `-- recorded`: one run of the seed sieve, bare or as
//! the page records it, for counting instructions under Cachegrind
//! (`.ci/bench`): a count does not move with the machine's load.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use concurrency_playground::engine::cpu::workload::{CpuWorkload, Sieve};
    use concurrency_playground::engine::measurement::run_window::Instruments;
    use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
    use concurrency_playground::engine::running::overhead::{measure_overhead, run_plain, run_recorded};
    use concurrency_playground::engine::workload::Workload;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    // `plain` / `recorded`: one run of the seed sieve, for Cachegrind.
    let seed_sieve = CpuWorkload::Sieve(Sieve::DEFAULT);
    let once = match std::env::args().nth(1).as_deref() {
        Some("plain") => Some(run_plain(seed_sieve, &Instruments::native())),
        Some("recorded") => Some(run_recorded(seed_sieve, &Instruments::native())),
        _ => None,
    };
    if let Some((_, checksum)) = once {
        println!("{checksum}");
        return;
    }
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u32>().expect("repeat and warmup are numbers"));
    let (repeat, warmup) = (args.next().unwrap_or(15), args.next().unwrap_or(3));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let mut workloads = serde_json::Map::new();
    for (name, workload) in
        [("sieve", "workload=sieve&from=1000&to=16000"), ("squares", "workload=squares&base=5000000&count=20")]
    {
        let query = format!("{workload}&models=seq,rayon&threads={cores}&repeat={repeat}&warmup={warmup}&sweep=1");
        let cancel = Arc::new(AtomicBool::new(false));
        let results = run_query(&query, cores, &mut NativeExecutor::default(), &cancel).expect("a query as written");
        let Workload::Cpu(workload) = results.workload.workload else { unreachable!("CPU queries") };
        let overhead = measure_overhead(workload, repeat as usize, &Instruments::native());
        let mut record = serde_json::json!({ "query": query, "overhead": overhead });
        // The figures the report needs; the task lists would only be bulk.
        let results = serde_json::to_value(&results).expect("results are JSON");
        for model in results["models"].as_array().expect("models") {
            let id = model["id"].as_str().expect("id").to_string();
            record[id] = serde_json::json!({
                "runs_ms": model["runs_ms"], "median_ms": model["median_ms"], "min_ms": model["min_ms"],
                "max_ms": model["max_ms"], "checksum": model["checksum"], "checksum_ok": model["checksum_ok"],
                "threads_used": model["threads_used"],
            });
        }
        record["sweep"] = results["sweep"].clone();
        workloads.insert(name.to_string(), record);
    }
    println!("{}", serde_json::json!({ "cores": cores, "repeat": repeat, "warmup": warmup, "workloads": workloads }));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
