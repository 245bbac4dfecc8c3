//! A run in a link: a compact copy of a results record, deflated and
//! base64url-encoded, for the URL fragment `#results=…`. A tutorial can
//! show a recorded run, drawn with the same charts, without running it.
//!
//! Compact, because a sieve run keeps 15 000 task records per model (about
//! 2.5 MB of JSON for four models): touching tasks on a lane become one
//! record with a `count` (gaps finer than any chart draws are dropped, so
//! the timeline looks the same), and memory samples are thinned keeping
//! each stretch's highest. The fragment never reaches a server, so its
//! length meets no request-line limit.

use super::results::Results;
use crate::engine::measurement::records::{TaskRecord, TaskRun, TaskSpan};
use crate::sorting::sort_by;
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

/// The fragment's key: `#results=<encoded>`.
pub const FRAGMENT_KEY: &str = "results=";

/// Tasks closer than the run's span divided by this merge: a 4000th of the
/// run is below a pixel of any chart this page draws.
const RESOLUTION: f64 = 4000.0;

/// Memory samples kept per model (and JS heap samples per IO model).
const SAMPLES_KEPT: usize = 400;

/// A decoded record may not inflate beyond this (a link is input).
const MAX_DECODED_BYTES: usize = 32 << 20;

/// The most of anything a shared record may hold, so a crafted link cannot
/// make the page draw millions of elements.
const MAX_MODELS: usize = 32;
const MAX_RECORDS_PER_MODEL: usize = 200_000;

/// The link's form of `results`: compacted, deflated, base64url.
pub fn encode(results: &Results) -> String {
    let json = compact(results).to_json();
    base64url_encode(&compress_to_vec(json.as_bytes(), 9))
}

/// Reads a link's `results`, refusing anything that is not a sound record.
pub fn decode(text: &str) -> Result<Results, String> {
    let deflated = base64url_decode(text.trim()).ok_or("the link's results are not valid base64url")?;
    let json = decompress_to_vec_with_limit(&deflated, MAX_DECODED_BYTES)
        .map_err(|_| "the link's results do not inflate (the link may be cut short)".to_string())?;
    let json = String::from_utf8(json).map_err(|_| "the link's results are not text".to_string())?;
    let results = Results::from_json(&json)?;
    if results.models.len() > MAX_MODELS {
        return Err(format!("the link holds more than {MAX_MODELS} models"));
    }
    for model in &results.models {
        let records = model.tasks.len()
            + model.memory_samples.len()
            + model.gil_holds.as_ref().map_or(0, Vec::len)
            + model.gil_waits.as_ref().map_or(0, Vec::len)
            + model.instance_messages.as_ref().map_or(0, Vec::len)
            + model.io.as_ref().map_or(0, |io| io.facts.js_heap_samples.len());
        if records > MAX_RECORDS_PER_MODEL {
            return Err(format!("model “{}” holds more than {MAX_RECORDS_PER_MODEL} records", model.id));
        }
    }
    Ok(results)
}

/// The same record with touching tasks merged per lane and memory samples
/// thinned. Figures (medians, checksums, peaks, counts) are untouched.
pub fn compact(results: &Results) -> Results {
    let mut compact = results.clone();
    for model in &mut compact.models {
        model.tasks = merged_tasks(&model.tasks);
        model.memory_samples = thin(&model.memory_samples, SAMPLES_KEPT, |s| s.t_ms(), |s| s.live_heap_bytes());
        if let Some(io) = &mut model.io {
            io.facts.js_heap_samples = thin(&io.facts.js_heap_samples, SAMPLES_KEPT, |s| s.0, |s| s.1);
        }
    }
    compact
}

/// An entry's tasks as a share link keeps them: touching ones merged at
/// the link's resolution. Doing it again changes nothing, so the replay
/// builds its events from this and a shared run replays the same events.
pub fn merged_tasks(tasks: &[TaskRecord]) -> Vec<TaskRecord> {
    let span_ms = tasks.iter().map(TaskRecord::end_ms).fold(0.0, f64::max);
    merge_touching(tasks, span_ms / RESOLUTION)
}

/// CPU tasks on one lane that start within `min_gap_ms` of the previous
/// one's end become one run; IO requests are kept one by one (each has a
/// status, and there are at most a few thousand).
fn merge_touching(tasks: &[TaskRecord], min_gap_ms: f64) -> Vec<TaskRecord> {
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    sort_by(&mut order, |&a, &b| {
        tasks[a].lane().cmp(&tasks[b].lane()).then(tasks[a].start_ms().total_cmp(&tasks[b].start_ms()))
    });
    let mut merged: Vec<TaskRecord> = Vec::new();
    for index in order {
        let task = tasks[index];
        if let TaskRecord::Request(_) = task {
            merged.push(task);
            continue;
        }
        let joined = match merged.last_mut() {
            Some(TaskRecord::Run(run)) if run.lane == task.lane() && task.start_ms() - run.end_ms <= min_gap_ms => {
                run.end_ms = run.end_ms.max(task.end_ms());
                run.count += task.count() as u32;
                true
            }
            _ => false,
        };
        if !joined {
            merged.push(TaskRecord::Run(TaskRun {
                start_ms: task.start_ms(),
                end_ms: task.end_ms(),
                lane: task.lane(),
                count: task.count() as u32,
            }));
        }
    }
    // A run of one is just a task.
    for record in &mut merged {
        if let TaskRecord::Run(run) = *record {
            if run.count == 1 {
                *record = TaskRecord::Task(TaskSpan { start_ms: run.start_ms, end_ms: run.end_ms, lane: run.lane });
            }
        }
    }
    sort_by(&mut merged, |a, b| a.start_ms().total_cmp(&b.start_ms()));
    merged
}

/// At most about `keep` samples: the first, the last, and in each of
/// `keep` equal stretches of time the one with the highest `value`.
fn thin<T: Copy>(samples: &[T], keep: usize, t: impl Fn(&T) -> f64, value: impl Fn(&T) -> u64) -> Vec<T> {
    if samples.len() <= keep {
        return samples.to_vec();
    }
    let (first, last) = (t(&samples[0]), t(&samples[samples.len() - 1]));
    let width = ((last - first) / keep as f64).max(f64::MIN_POSITIVE);
    let mut kept: Vec<T> = vec![samples[0]];
    let mut bucket_of_last = usize::MAX;
    for sample in &samples[1..samples.len() - 1] {
        let bucket = ((t(sample) - first) / width) as usize;
        match kept.last_mut() {
            Some(best) if bucket == bucket_of_last => {
                if value(sample) > value(best) {
                    *best = *sample;
                }
            }
            _ => {
                kept.push(*sample);
                bucket_of_last = bucket;
            }
        }
    }
    kept.push(samples[samples.len() - 1]);
    kept
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 base64url, without padding (it is a URL fragment).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| (n << 8) | b as u32) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(BASE64URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// `None` for anything but base64url (padding is accepted and ignored).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .trim_end_matches('=')
        .bytes()
        .map(|c| BASE64URL.iter().position(|&d| d == c).map(|p| p as u8))
        .collect::<Option<_>>()?;
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().fold(0u32, |n, &d| (n << 6) | d as u32) << (6 * (4 - chunk.len()));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::measurement::records::MemorySample;

    #[test]
    fn base64url_round_trips_every_length() {
        for length in 0..40 {
            let bytes: Vec<u8> = (0..length).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(text.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
            assert_eq!(base64url_decode(&text).as_deref(), Some(&bytes[..]));
        }
        assert_eq!(base64url_encode(b"hello?"), "aGVsbG8_");
        assert_eq!(base64url_decode("a"), None, "one digit cannot be a byte");
        assert_eq!(base64url_decode("ab+/"), None, "standard base64's digits are not url-safe");
    }

    #[test]
    fn merging_keeps_gaps_a_chart_can_show() {
        let task = |start: f64, end: f64, lane: u32| TaskRecord::Task(TaskSpan { start_ms: start, end_ms: end, lane });
        let tasks = [task(0.0, 1.0, 1), task(1.0, 2.0, 1), task(50.0, 51.0, 1), task(0.0, 400.0, 2)];
        let merged = merge_touching(&tasks, 400.0 / RESOLUTION);
        let runs: Vec<(f64, f64, u32, usize)> =
            merged.iter().map(|t| (t.start_ms(), t.end_ms(), t.lane(), t.count())).collect();
        assert_eq!(runs, vec![(0.0, 2.0, 1, 2), (0.0, 400.0, 2, 1), (50.0, 51.0, 1, 1)]);
    }

    #[test]
    fn thinning_keeps_the_ends_and_each_stretchs_highest() {
        let samples: Vec<MemorySample> =
            (0..10_000).map(|i| MemorySample(i as f64, 0, if i == 7_777 { 99 } else { 1 })).collect();
        let kept = thin(&samples, 100, |s| s.t_ms(), |s| s.live_heap_bytes());
        assert!(kept.len() <= 102);
        assert_eq!((kept[0].t_ms(), kept[kept.len() - 1].t_ms()), (0.0, 9_999.0));
        assert!(kept.iter().any(|s| s.live_heap_bytes() == 99));
    }
}
