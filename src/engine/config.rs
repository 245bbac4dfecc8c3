//! The run configuration and its one parser. The URL query and the form both
//! go through [`Config::parse`], which never fails: it returns a valid
//! configuration inside the limits of [`super::limits`], and a message for
//! every value it could not take as given.

use super::limits::*;
use super::model::CpuModel;
use super::query::{encode_component, parse_query, shorten};
use super::workload::CpuWorkload;

/// A message about one input field: shown next to the field and in the
/// page's alert region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigMessage {
    /// The URL parameter (and form field) it concerns, or "" for the query.
    pub field: String,
    pub text: String,
}

/// Which CPU workload runs; both workloads' parameters are kept so that
/// switching in the form does not lose what was typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    Sieve,
    Squares,
}

/// Everything a run needs to know. Its query form (`to_query`) is the
/// public page API: `workload`, `from`, `to`, `base`, `count`, `models`,
/// `threads`, `repeat`, `warmup`, `autorun`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub kind: WorkloadKind,
    pub sieve_from: u64,
    pub sieve_to: u64,
    pub squares_base: u64,
    pub squares_count: u64,
    pub models: Vec<CpuModel>,
    /// Threads for `rayon`, worker instances for `workers`.
    pub threads: u32,
    pub repeat: u32,
    pub warmup: u32,
    pub autorun: bool,
}

/// The most threads this browser may use: `navigator.hardwareConcurrency`,
/// capped by `MAX_THREADS` and at least 1.
pub fn max_threads(hardware_concurrency: u32) -> u32 {
    hardware_concurrency.clamp(1, MAX_THREADS)
}

impl Config {
    pub fn defaults(hardware_concurrency: u32) -> Self {
        let (CpuWorkload::Sieve { from, to }, CpuWorkload::Squares { base, count }) =
            (CpuWorkload::DEFAULT_SIEVE, CpuWorkload::DEFAULT_SQUARES)
        else {
            unreachable!("the defaults are one sieve and one squares workload")
        };
        Self {
            kind: WorkloadKind::Sieve,
            sieve_from: from,
            sieve_to: to,
            squares_base: base,
            squares_count: count,
            models: CpuModel::ALL.to_vec(),
            threads: max_threads(hardware_concurrency),
            repeat: 5,
            warmup: 1,
            autorun: false,
        }
    }

    pub fn workload(&self) -> CpuWorkload {
        match self.kind {
            WorkloadKind::Sieve => CpuWorkload::Sieve { from: self.sieve_from, to: self.sieve_to },
            WorkloadKind::Squares => CpuWorkload::Squares { base: self.squares_base, count: self.squares_count },
        }
    }

    /// Parses a URL query (with or without the leading `?`).
    pub fn parse(query: &str, hardware_concurrency: u32) -> (Self, Vec<ConfigMessage>) {
        let (pairs, decode_messages) = parse_query(query);
        let mut messages: Vec<ConfigMessage> =
            decode_messages.into_iter().map(|text| ConfigMessage { field: String::new(), text }).collect();
        let mut config = Self::defaults(hardware_concurrency);
        let mut seen: Vec<&str> = Vec::new();
        let mut say = |field: &str, text: String| messages.push(ConfigMessage { field: field.to_string(), text });

        for (key, value) in &pairs {
            let key = key.as_str();
            if let Some(known) = KNOWN_KEYS.iter().find(|k| **k == key) {
                if seen.contains(known) {
                    say(key, format!("“{key}” is given more than once; the last value, “{}”, counts.", shorten(value)));
                }
                seen.push(known);
            }
            match key {
                "workload" => match value.as_str() {
                    "sieve" => config.kind = WorkloadKind::Sieve,
                    "squares" => config.kind = WorkloadKind::Squares,
                    other => say(
                        key,
                        format!("Unknown workload “{}”: use sieve or squares. Running the sieve.", shorten(other)),
                    ),
                },
                "from" => config.sieve_from = number(key, value, 0, MAX_SIEVE_N, config.sieve_from, &mut say),
                "to" => config.sieve_to = number(key, value, 1, MAX_SIEVE_N + 1, config.sieve_to, &mut say),
                "base" => config.squares_base = number(key, value, 0, MAX_SQUARES_M - 1, config.squares_base, &mut say),
                "count" => config.squares_count = number(key, value, 1, MAX_TASKS, config.squares_count, &mut say),
                "threads" => {
                    let max = max_threads(hardware_concurrency) as u64;
                    config.threads = number(key, value, 1, max, config.threads as u64, &mut say) as u32
                }
                "repeat" => {
                    config.repeat = number(key, value, 1, MAX_REPEAT as u64, config.repeat as u64, &mut say) as u32
                }
                "warmup" => {
                    config.warmup = number(key, value, 0, MAX_WARMUP as u64, config.warmup as u64, &mut say) as u32
                }
                "autorun" => match value.as_str() {
                    "1" | "true" => config.autorun = true,
                    "0" | "false" | "" => config.autorun = false,
                    other => say(key, format!("autorun takes 1 or 0, not “{}”; not starting on load.", shorten(other))),
                },
                "models" => config.models = models(value, &mut say),
                // Parameters of other tools (analytics, embeds) are none of ours.
                _ => {}
            }
        }
        config.fit_workload_to_limits(&mut say);
        (config, messages)
    }

    /// Keeps the sieve range non-empty and every workload under the task
    /// and work limits, shrinking the range from its top.
    fn fit_workload_to_limits(&mut self, say: &mut impl FnMut(&str, String)) {
        if self.sieve_to <= self.sieve_from {
            say(
                "to",
                format!("“to” ({}) must be above “from” ({}); using to = from + 1.", self.sieve_to, self.sieve_from),
            );
            self.sieve_to = self.sieve_from + 1;
        }
        let sieve_tasks = self.sieve_to - self.sieve_from;
        if sieve_tasks > MAX_TASKS {
            self.sieve_to = self.sieve_from + MAX_TASKS;
            say("to", format!("At most {MAX_TASKS} tasks: “to” was lowered to {}.", self.sieve_to));
        }
        let sieve = CpuWorkload::Sieve { from: self.sieve_from, to: self.sieve_to };
        if sieve.work_units() > MAX_WORK_UNITS as u128 {
            self.sieve_to = largest_top(self.sieve_from, self.sieve_to);
            say("to", format!("That range is more than {MAX_WORK_UNITS} units of work (the sum of every n) and would freeze the tab; “to” was lowered to {}.", self.sieve_to));
        }
        if self.squares_base + self.squares_count > MAX_SQUARES_M {
            self.squares_count = MAX_SQUARES_M - self.squares_base;
            say(
                "count",
                format!("base + count may be at most {MAX_SQUARES_M}; “count” was lowered to {}.", self.squares_count),
            );
        }
        let squares = CpuWorkload::Squares { base: self.squares_base, count: self.squares_count };
        if squares.work_units() > MAX_WORK_UNITS as u128 {
            let count = largest_top(self.squares_base, self.squares_base + self.squares_count) - self.squares_base;
            self.squares_count = count;
            say("count", format!("That is more than {MAX_WORK_UNITS} loop iterations in all and would freeze the tab; “count” was lowered to {count}."));
        }
    }

    /// The canonical query for this configuration (the URL the page shows).
    /// Only the selected workload's parameters are written.
    pub fn to_query(&self) -> String {
        let models: Vec<&str> = self.models.iter().map(|model| model.id()).collect();
        let workload = match self.kind {
            WorkloadKind::Sieve => format!("workload=sieve&from={}&to={}", self.sieve_from, self.sieve_to),
            WorkloadKind::Squares => {
                format!("workload=squares&base={}&count={}", self.squares_base, self.squares_count)
            }
        };
        let mut query = format!(
            "{workload}&models={}&threads={}&repeat={}&warmup={}",
            encode_component(&models.join(",")),
            self.threads,
            self.repeat,
            self.warmup
        );
        if self.autorun {
            query.push_str("&autorun=1");
        }
        query
    }
}

const KNOWN_KEYS: [&str; 10] =
    ["workload", "from", "to", "base", "count", "models", "threads", "repeat", "warmup", "autorun"];

/// The largest top such that from + ... + (top - 1) stays within the work
/// limit, and at least from + 1 (one task is always allowed: a single task
/// is at most MAX_SIEVE_N or MAX_SQUARES_M units, a few seconds at worst).
fn largest_top(from: u64, top: u64) -> u64 {
    let (mut low, mut high) = (from + 1, top);
    while low < high {
        let middle = low + (high - low).div_ceil(2);
        let work = CpuWorkload::Sieve { from, to: middle }.work_units();
        if work <= MAX_WORK_UNITS as u128 {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    low
}

fn number(field: &str, value: &str, min: u64, max: u64, current: u64, say: &mut impl FnMut(&str, String)) -> u64 {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        say(field, format!("“{field}” is empty; using {current}."));
        return current;
    }
    if !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        say(
            field,
            format!(
                "“{field}” must be a whole number from {min} to {max}, not “{}”; using {current}.",
                shorten(trimmed)
            ),
        );
        return current;
    }
    match trimmed.parse::<u64>() {
        Ok(n) if n < min => {
            say(field, format!("“{field}” must be at least {min}; using {min}."));
            min
        }
        Ok(n) if n > max => {
            say(field, format!("“{field}” may be at most {max}; using {max}."));
            max
        }
        Ok(n) => n,
        Err(_) => {
            say(field, format!("“{field}” is far too large (at most {max}); using {max}."));
            max
        }
    }
}

fn models(value: &str, say: &mut impl FnMut(&str, String)) -> Vec<CpuModel> {
    let mut chosen = Vec::new();
    for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        match CpuModel::from_id(id) {
            Some(model) if chosen.contains(&model) => say("models", format!("“{id}” is listed twice; it runs once.")),
            Some(model) => chosen.push(model),
            None => {
                let known: Vec<&str> = CpuModel::ALL.iter().map(|m| m.id()).collect();
                say("models", format!("Unknown model “{}”, skipped. CPU models: {}.", shorten(id), known.join(", ")))
            }
        }
    }
    if chosen.is_empty() {
        say("models", "No known model was chosen; running all of them.".to_string());
        chosen = CpuModel::ALL.to_vec();
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> (Config, Vec<ConfigMessage>) {
        Config::parse(query, 2)
    }

    #[test]
    fn the_documented_example_parses_without_messages() {
        let (config, messages) =
            parse("?workload=sieve&from=1000&to=16000&models=seq,rayon&threads=2&repeat=3&autorun=1");
        assert_eq!(messages, vec![]);
        assert_eq!(config.workload(), CpuWorkload::Sieve { from: 1000, to: 16000 });
        assert_eq!(config.models, vec![CpuModel::Seq, CpuModel::Rayon]);
        assert_eq!((config.threads, config.repeat, config.warmup, config.autorun), (2, 3, 1, true));
    }

    #[test]
    fn canonical_query_round_trips() {
        let (config, _) = parse("workload=squares&base=10&count=4&models=workers,main&threads=1&warmup=0");
        assert_eq!(
            config.to_query(),
            "workload=squares&base=10&count=4&models=workers,main&threads=1&repeat=5&warmup=0"
        );
        assert_eq!(parse(&config.to_query()).0, config);
    }

    #[test]
    fn bad_values_get_messages_and_safe_values() {
        let (config, messages) = parse("from=abc&to=-5&threads=99&repeat=0&models=seq,seq,gevent&autorun=yes");
        let fields: Vec<&str> = messages.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, vec!["from", "to", "threads", "repeat", "models", "models", "autorun"]);
        assert_eq!((config.sieve_from, config.sieve_to), (1000, 16000));
        assert_eq!((config.threads, config.repeat, config.autorun), (2, 1, false));
        assert_eq!(config.models, vec![CpuModel::Seq]);
    }

    #[test]
    fn enormous_work_is_cut_to_the_limit() {
        let (config, messages) = parse("workload=squares&base=3000000000&count=1000000");
        assert!(!messages.is_empty());
        assert!(config.workload().work_units() <= MAX_WORK_UNITS as u128);
        assert!(config.squares_count >= 1);
        let (config, _) = parse("from=0&to=99999999999999999999999");
        assert!(config.workload().work_units() <= MAX_WORK_UNITS as u128);
        assert!(config.workload().task_count() as u64 <= MAX_TASKS);
    }

    #[test]
    fn empty_range_becomes_one_task() {
        let (config, messages) = parse("from=500&to=500");
        assert_eq!(config.workload().task_count(), 1);
        assert_eq!(messages[0].field, "to");
    }
}
