//! The results as files other tools read: CSV (one row per model, for a
//! spreadsheet) and the Chrome trace-event format (the timeline, for
//! Perfetto and the DevTools performance panel). Plain text in, plain text
//! out; the browser layer only offers them as downloads.

use super::results::{ModelResult, Results};
use crate::engine::measurement::records::{micros, TaskRecord};
use crate::engine::model::Model;
use crate::sorting::sort_unique;
use serde_json::{json, Value};

/// The CSV's columns: the results' own field names, so a column means what
/// the JSON field means. `runs_ms` is the run times joined by spaces.
pub const CSV_COLUMNS: [&str; 41] = [
    "workload",
    "id",
    "label",
    "available",
    "threads",
    "threads_used",
    "median_ms",
    "min_ms",
    "max_ms",
    "runs_ms",
    "speedup_vs_seq",
    "checksum",
    "checksum_ok",
    "wasm_memory_bytes_before",
    "wasm_memory_bytes_after",
    "live_heap_bytes_before",
    "live_heap_bytes_after",
    "peak_live_heap_bytes",
    "startup_ms",
    "startup_wasm_memory_bytes",
    "startup_live_heap_bytes",
    "heartbeat_ticks",
    "partial",
    "tasks_done",
    "concurrency",
    "requests_ok",
    "requests_failed",
    "max_in_flight",
    "protocol",
    "bytes_total",
    "requests_per_second",
    "bytes_per_in_flight_request",
    "error",
    // Added later, at the end, so earlier columns keep their places.
    "key",
    "startup_wasm_memory_bytes_per_thread",
    "switch_ms",
    "gil_switches",
    "gil_wait_ms",
    "yields",
    "chunksize",
    "messages",
];

/// One header row, then one row per model (RFC 4180: fields with commas,
/// quotes or line breaks are quoted, quotes doubled; missing values empty).
pub fn results_csv(results: &Results) -> String {
    let mut csv = CSV_COLUMNS.join(",");
    csv.push_str("\r\n");
    for model in &results.models {
        let row: Vec<String> = model_fields(results, model).into_iter().map(|field| quote(&field)).collect();
        csv.push_str(&row.join(","));
        csv.push_str("\r\n");
    }
    csv
}

fn model_fields(results: &Results, model: &ModelResult) -> Vec<String> {
    let opt = |value: Option<String>| value.unwrap_or_default();
    let num = |value: Option<f64>| opt(value.map(|v| v.to_string()));
    let int = |value: Option<u64>| opt(value.map(|v| v.to_string()));
    let io = model.io.as_ref();
    vec![
        results.workload.workload.id().to_string(),
        model.id.to_string(),
        model.label.clone(),
        model.available.to_string(),
        model.threads.to_string(),
        model.threads_used.to_string(),
        num(model.median_ms),
        num(model.min_ms),
        num(model.max_ms),
        model.runs_ms.iter().map(f64::to_string).collect::<Vec<_>>().join(" "),
        num(model.speedup_vs_seq),
        opt(model.checksum.clone()),
        model.checksum_ok.to_string(),
        int(model.wasm_memory_bytes_before),
        int(model.wasm_memory_bytes_after),
        int(model.live_heap_bytes_before),
        int(model.live_heap_bytes_after),
        int(model.peak_live_heap_bytes),
        num(model.startup_ms),
        int(model.startup_wasm_memory_bytes),
        int(model.startup_live_heap_bytes),
        model.heartbeat_ticks.to_string(),
        model.partial.to_string(),
        model.tasks_done.to_string(),
        opt(io.map(|io| io.concurrency.to_string())),
        opt(io.map(|io| io.facts.requests_ok.to_string())),
        opt(io.map(|io| io.facts.requests_failed.to_string())),
        opt(io.map(|io| io.facts.max_in_flight.to_string())),
        opt(io.and_then(|io| io.facts.protocol.clone())),
        opt(io.map(|io| io.facts.bytes_total.to_string())),
        num(io.and_then(|io| io.requests_per_second)),
        num(io.and_then(|io| io.bytes_per_in_flight_request)),
        opt(model.error.clone()),
        model.key.clone(),
        num(model.startup_wasm_memory_bytes_per_thread),
        int(model.switch_ms.map(u64::from)),
        int(model.gil_switches.map(u64::from)),
        num(model.gil_wait_ms),
        int(model.yields.map(u64::from)),
        int(model.chunksize.map(u64::from)),
        int(model.messages.map(u64::from)),
    ]
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The timeline in the Chrome trace-event format: each model a process
/// (in the order they ran), each lane a thread, each task or request a
/// complete event (`ph: "X"`, times in µs from the model's start), and the
/// memory samples as counter tracks. Opens in Perfetto (ui.perfetto.dev) and
/// in DevTools' Performance panel (Load profile).
pub fn trace_events(results: &Results) -> String {
    let mut events: Vec<Value> = Vec::new();
    let category = results.workload.workload.id();
    for (index, model) in results.models.iter().enumerate() {
        let pid = index as u64 + 1;
        let kind = Model::of(&results.workload.workload, model.id);
        events.push(json!({"name": "process_name", "ph": "M", "pid": pid, "tid": 0,
            "args": {"name": format!("{} — {}", model.key, model.label)}}));
        events.push(json!({"name": "process_sort_index", "ph": "M", "pid": pid, "tid": 0,
            "args": {"sort_index": index}}));
        let mut lanes: Vec<u32> = model.tasks.iter().map(TaskRecord::lane).collect();
        sort_unique(&mut lanes);
        for lane in lanes {
            let name = kind.map_or_else(|| format!("lane {lane}"), |kind| kind.lane_label(lane));
            events.push(json!({"name": "thread_name", "ph": "M", "pid": pid, "tid": lane, "args": {"name": name}}));
        }
        for (position, task) in model.tasks.iter().enumerate() {
            let (name, args) = match task {
                TaskRecord::Task(_) => (format!("task {position}"), json!({"task": position})),
                TaskRecord::Run(run) => (format!("{} tasks", run.count), json!({"tasks": run.count})),
                TaskRecord::Request(request) => (
                    format!("request {position}"),
                    json!({"status": request.status, "bytes": request.bytes, "error": request.error,
                           "worker": request.worker}),
                ),
            };
            events.push(json!({
                "name": name, "cat": category, "ph": "X", "pid": pid, "tid": task.lane(),
                "ts": micros(task.start_ms()), "dur": micros(task.end_ms() - task.start_ms()),
                "args": args,
            }));
        }
        // The `gil` model's lock on each thread's track: who held it, who waited.
        let lock_spans = [("holding the GIL", &model.gil_holds), ("waiting for the GIL", &model.gil_waits)];
        for (name, spans) in lock_spans {
            for span in spans.iter().flatten() {
                events.push(json!({
                    "name": name, "cat": "gil", "ph": "X", "pid": pid, "tid": span.lane,
                    "ts": micros(span.start_ms), "dur": micros(span.end_ms - span.start_ms),
                }));
            }
        }
        for sample in &model.memory_samples {
            events.push(json!({
                "name": "memory", "ph": "C", "pid": pid, "tid": 0, "ts": micros(sample.t_ms()),
                "args": {"wasm_memory_bytes": sample.wasm_memory_bytes(), "live_heap_bytes": sample.live_heap_bytes()},
            }));
        }
    }
    let trace = json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {
            "schema": results.schema,
            "workload": results.workload.description,
            "query": results.config.query,
            "user_agent": results.environment.user_agent,
        },
    });
    trace.to_string()
}
