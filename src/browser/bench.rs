//! The benchmark's hook into the page (`bash .ci/bench` calls it; the UI
//! never does): what the playground's own recording costs, measured where
//! the `seq` model runs, on a worker of the global rayon pool, with the
//! page's clock and memory probe. Read-only: it runs a fixed workload and
//! returns numbers; it starts no run and changes no state of the page.

use crate::browser::platform::clock::{CLOCK, MEMORY};
use crate::browser::threads::rayon_pool::run_on_global_pool;
use crate::engine::configuration::config::Config;
use crate::engine::measurement::run_window::Instruments;
use crate::engine::running::overhead::measure_overhead as measure_on_this_thread;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// `await window.wasmBindings.measure_overhead("workload=sieve", 15)`: the
/// query's CPU workload run `runs` times bare and `runs` times recorded,
/// interleaved, on one pool worker; the engine's `Overhead` as JSON.
#[wasm_bindgen]
pub async fn measure_overhead(query: String, runs: u32) -> Result<String, JsError> {
    let cores = crate::browser::platform::environment::hardware_concurrency();
    let (config, messages) = Config::parse(&query, cores);
    if !messages.is_empty() {
        let texts: Vec<String> = messages.into_iter().map(|message| message.text).collect();
        return Err(JsError::new(&texts.join("; ")));
    }
    let workload = config.cpu_workload();
    let runs = runs.clamp(1, 100) as usize;
    let overhead = run_on_global_pool(move || {
        let instruments = Instruments::new(&CLOCK, &MEMORY, Arc::new(AtomicBool::new(false)));
        measure_on_this_thread(workload, runs, &instruments)
    })
    .await
    .map_err(|message| JsError::new(&message))?;
    serde_json::to_string(&overhead).map_err(|error| JsError::new(&error.to_string()))
}
