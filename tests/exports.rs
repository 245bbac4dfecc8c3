//! The results as other tools read them, from a real native run: the CSV
//! (one row per model under the public field names), the trace (one event
//! per record), and the share link (every figure survives; a broken or
//! hostile link is refused).

use concurrency_playground::engine::measurement::records::TaskRecord;
use concurrency_playground::engine::reporting::export::{results_csv, trace_events, CSV_COLUMNS};
use concurrency_playground::engine::reporting::permalink::{base64url_encode, decode, encode};
use concurrency_playground::engine::reporting::results::Results;
use concurrency_playground::engine::running::native::{run_query, NativeExecutor};
use miniz_oxide::deflate::compress_to_vec;
use serde_json::Value;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

fn results(query: &str) -> Results {
    run_query(query, 2, &mut NativeExecutor::default(), &Arc::new(AtomicBool::new(false))).unwrap()
}

/// A small RFC 4180 reader, enough to check what `results_csv` writes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted, mut chars) =
        (vec![], vec![], String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_has_a_row_per_model_under_the_public_field_names() {
    let mut results = results("workload=sieve&from=100&to=300&models=seq,rayon&repeat=2&warmup=0");
    results.models[1].label = "a \"quoted\", label".into();
    let rows = parse_csv(&results_csv(&results));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], CSV_COLUMNS.map(String::from).to_vec());
    assert!(rows.iter().all(|row| row.len() == CSV_COLUMNS.len()));
    let column = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    assert_eq!(rows[1][column("id")], "seq");
    assert_eq!(rows[2][column("label")], "a \"quoted\", label", "quotes and commas survive");
    assert_eq!(rows[2][column("checksum")], results.workload.expected_checksum.clone().unwrap());
    assert_eq!(rows[2][column("runs_ms")].split(' ').count(), 2);
    assert_eq!(rows[2][column("requests_ok")], "", "CPU models have no IO figures");
}

#[test]
fn trace_has_an_event_per_record_on_named_lanes_and_memory_counters() {
    let results = results("workload=sieve&from=100&to=300&models=seq,rayon&threads=2&repeat=1&warmup=0");
    let trace: Value = serde_json::from_str(&trace_events(&results)).unwrap();
    let events = trace["traceEvents"].as_array().unwrap();
    let of = |ph: &str, pid: u64| events.iter().filter(|e| e["ph"] == ph && e["pid"] == pid).count();
    for (pid, model) in [(1, &results.models[0]), (2, &results.models[1])] {
        assert_eq!(of("X", pid), model.tasks.len(), "{}: one complete event per record", model.id);
        assert_eq!(model.tasks.iter().map(TaskRecord::count).sum::<usize>(), 200, "{}: every task", model.id);
    }
    assert!(of("C", 2) >= 2, "memory counters");
    let rayon_lanes: Vec<&Value> = events.iter().filter(|e| e["name"] == "thread_name" && e["pid"] == 2).collect();
    let mut recorded: Vec<u32> = results.models[1].tasks.iter().map(TaskRecord::lane).collect();
    recorded.sort_unstable();
    recorded.dedup();
    assert_eq!(rayon_lanes.len(), recorded.len(), "one named lane per thread that ran tasks");
    assert!(rayon_lanes[0]["args"]["name"].as_str().unwrap().starts_with("thread "));
    let task = events.iter().find(|e| e["ph"] == "X").unwrap();
    assert!(task["ts"].as_f64().unwrap() >= 0.0 && task["dur"].as_f64().unwrap() >= 0.0);
    assert_eq!(trace["displayTimeUnit"], "ms");
}

#[test]
fn a_link_carries_every_figure_and_a_timeline_that_draws_the_same() {
    let original = results("workload=sieve&from=1000&to=6000&models=seq,rayon&threads=2&repeat=2&warmup=0");
    let link = encode(&original);
    let shared = decode(&link).unwrap();
    assert!(
        link.len() < original.to_json().len() / 4,
        "{} characters for {} of JSON",
        link.len(),
        original.to_json().len()
    );
    for (before, after) in original.models.iter().zip(&shared.models) {
        assert_eq!(
            (&before.id, before.median_ms, &before.checksum, before.peak_live_heap_bytes),
            (&after.id, after.median_ms, &after.checksum, after.peak_live_heap_bytes)
        );
        let count = |tasks: &[TaskRecord]| tasks.iter().map(TaskRecord::count).sum::<usize>();
        assert_eq!(count(&after.tasks), 5000, "{}: every task is still counted", after.id);
        let lanes = |tasks: &[TaskRecord]| {
            let mut lanes: Vec<u32> = tasks.iter().map(TaskRecord::lane).collect();
            lanes.sort_unstable();
            lanes.dedup();
            lanes
        };
        assert_eq!(lanes(&before.tasks), lanes(&after.tasks));
        assert!(after.tasks.len() <= before.tasks.len());
    }
    assert_eq!(shared.workload, original.workload);
    // Decoding what was encoded is a fixed point.
    assert_eq!(decode(&encode(&shared)).unwrap(), shared);
}

#[test]
fn a_broken_or_hostile_link_is_refused_with_a_reason() {
    assert!(decode("not base64!").unwrap_err().contains("base64url"));
    assert!(decode(&base64url_encode(b"plain text, not deflated")).unwrap_err().contains("inflate"));
    let not_results = base64url_encode(&compress_to_vec(b"{\"schema\": 3}", 9));
    assert!(decode(&not_results).unwrap_err().contains("not a results record"));
    let link = encode(&results("workload=squares&base=10&count=3&models=seq&repeat=1&warmup=0"));
    assert!(decode(&link[..link.len() / 2]).is_err(), "a link cut short");
}
