//! The run configuration and its one parser. The URL query and the form both
//! go through [`Config::parse`], which never fails: it returns a
//! configuration inside the limits of [`super::limits`], and a message for
//! every value it could not take as given. The one thing it cannot make up
//! is a user's URL: without a valid one, [`Config::blocking_reason`] says
//! why Run must wait.

use super::cpu::model::CpuModel;
use super::cpu::workload::CpuWorkload;
use super::fault::Fault;
use super::io::model::IoModel;
use super::io::workload::{nearest_static_size, IoSource, IoWorkload, STATIC_FILES};
use super::limits::*;
use super::model::Model;
use super::query::{encode_component, parse_query, shorten};
use super::workload::Workload;

/// A message about one input field: shown next to the field and in the
/// page's alert region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigMessage {
    /// The URL parameter (and form field) it concerns, or "" for the query.
    pub field: String,
    pub text: String,
}

/// Which workload runs. Every workload's parameters are kept, so that
/// switching in the form does not lose what was typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    Sieve,
    Squares,
    Io,
}

impl WorkloadKind {
    pub fn id(self) -> &'static str {
        match self {
            Self::Sieve => "sieve",
            Self::Squares => "squares",
            Self::Io => "io",
        }
    }

    pub fn is_io(self) -> bool {
        self == Self::Io
    }

    /// Runs per model when the URL names none: the CPU workloads take
    /// milliseconds, so five measured runs after a warm-up; the IO workload
    /// takes seconds (100 sequential requests of 160 ms: 16 s), so one.
    pub fn default_repeat_and_warmup(self) -> (u32, u32) {
        match self {
            Self::Sieve | Self::Squares => (5, 1),
            Self::Io => (1, 0),
        }
    }
}

/// The IO workload's parameters as the form and the URL hold them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IoParams {
    pub source: IoSource,
    /// The user's URL (`source=url`); empty until one is given.
    pub url: String,
    pub requests: u32,
    pub latency_ms: u32,
    pub bytes: u32,
    pub timeout_ms: u32,
}

/// Everything a run needs to know. Its query form (`to_query`) is the
/// public page API: `workload`, `from`, `to`, `base`, `count`, `source`,
/// `url`, `requests`, `latency_ms`, `bytes`, `timeout_ms`, `models`,
/// `threads`, `concurrency`, `repeat`, `warmup`, `autorun`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub kind: WorkloadKind,
    pub sieve_from: u64,
    pub sieve_to: u64,
    pub squares_base: u64,
    pub squares_count: u64,
    pub io: IoParams,
    pub cpu_models: Vec<CpuModel>,
    pub io_models: Vec<IoModel>,
    /// Threads for `rayon`, worker instances for both `workers` models.
    pub threads: u32,
    /// Requests in flight at once for `bounded`, threads for IO `threads`.
    pub concurrency: u32,
    pub repeat: u32,
    pub warmup: u32,
    pub autorun: bool,
    /// Also run the parallel CPU models at every thread count (`sweep=1`).
    pub sweep: bool,
    /// The compact layout for an iframe in a tutorial (`embed=1`).
    pub embed: bool,
    /// A fault to inject, for tests (`fault=panic|oom`, CPU workloads).
    pub fault: Option<Fault>,
}

/// The most threads this browser may use: `navigator.hardwareConcurrency`,
/// capped by `MAX_THREADS` and at least 1.
pub fn max_threads(hardware_concurrency: u32) -> u32 {
    hardware_concurrency.clamp(1, MAX_THREADS)
}

/// Python's default `ThreadPoolExecutor(max_workers=None)`: min(32, cores + 4).
pub fn default_concurrency(hardware_concurrency: u32) -> u32 {
    (hardware_concurrency.max(1) + 4).min(32)
}

impl Config {
    pub fn defaults(hardware_concurrency: u32) -> Self {
        let (CpuWorkload::Sieve { from, to }, CpuWorkload::Squares { base, count }) =
            (CpuWorkload::DEFAULT_SIEVE, CpuWorkload::DEFAULT_SQUARES)
        else {
            unreachable!("the defaults are one sieve and one squares workload")
        };
        let io = IoWorkload::default_sim();
        let (repeat, warmup) = WorkloadKind::Sieve.default_repeat_and_warmup();
        Self {
            kind: WorkloadKind::Sieve,
            sieve_from: from,
            sieve_to: to,
            squares_base: base,
            squares_count: count,
            io: IoParams {
                source: io.source,
                url: String::new(),
                requests: io.requests,
                latency_ms: io.latency_ms,
                bytes: io.bytes,
                timeout_ms: io.timeout_ms,
            },
            cpu_models: CpuModel::ALL.to_vec(),
            io_models: IoModel::ALL.to_vec(),
            threads: max_threads(hardware_concurrency),
            concurrency: default_concurrency(hardware_concurrency),
            repeat,
            warmup,
            autorun: false,
            sweep: false,
            embed: false,
            fault: None,
        }
    }

    pub fn cpu_workload(&self) -> CpuWorkload {
        match self.kind {
            WorkloadKind::Squares => CpuWorkload::Squares { base: self.squares_base, count: self.squares_count },
            WorkloadKind::Sieve | WorkloadKind::Io => CpuWorkload::Sieve { from: self.sieve_from, to: self.sieve_to },
        }
    }

    pub fn io_workload(&self) -> IoWorkload {
        let io = &self.io;
        IoWorkload {
            source: io.source,
            url: (io.source == IoSource::Url).then(|| io.url.clone()),
            requests: io.requests,
            latency_ms: io.latency_ms,
            bytes: io.bytes,
            timeout_ms: io.timeout_ms,
        }
    }

    pub fn workload(&self) -> Workload {
        match self.kind {
            WorkloadKind::Io => Workload::Io(self.io_workload()),
            WorkloadKind::Sieve | WorkloadKind::Squares => Workload::Cpu(self.cpu_workload()),
        }
    }

    /// The models that run, in the order given.
    pub fn models(&self) -> Vec<Model> {
        match self.kind {
            WorkloadKind::Io => self.io_models.iter().map(|&m| Model::Io(m)).collect(),
            WorkloadKind::Sieve | WorkloadKind::Squares => self.cpu_models.iter().map(|&m| Model::Cpu(m)).collect(),
        }
    }

    /// The threads or instances `model` is given, and the requests it may
    /// have in flight at once (IO).
    pub fn threads_for(&self, model: Model) -> u32 {
        match model {
            Model::Cpu(cpu) if cpu.uses_thread_count() => self.threads,
            Model::Io(IoModel::Threads) => self.concurrency,
            Model::Io(IoModel::Workers) => self.threads,
            _ => 1,
        }
    }

    /// Why Run cannot start with this configuration, if it cannot: only a
    /// missing or invalid URL for `source=url` (there is no safe value to
    /// put in its place).
    pub fn blocking_reason(&self) -> Option<String> {
        (self.kind == WorkloadKind::Io && self.io.source == IoSource::Url && self.io.url.is_empty())
            .then(|| "Enter an http(s) URL to fetch, or choose another source.".to_string())
    }

    /// Parses a URL query (with or without the leading `?`).
    pub fn parse(query: &str, hardware_concurrency: u32) -> (Self, Vec<ConfigMessage>) {
        let (pairs, decode_messages) = parse_query(query);
        let mut messages: Vec<ConfigMessage> =
            decode_messages.into_iter().map(|text| ConfigMessage { field: String::new(), text }).collect();
        let mut config = Self::defaults(hardware_concurrency);
        let mut seen: Vec<&str> = Vec::new();
        let mut say = |field: &str, text: String| messages.push(ConfigMessage { field: field.to_string(), text });
        // Read after the loop: which family `models=` names, and the
        // default runs, depend on `workload=`, which may come later.
        let (mut models_value, mut repeat, mut warmup, mut url_value) = (None, None, None, None);

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
                    "io" => config.kind = WorkloadKind::Io,
                    other => say(
                        key,
                        format!("Unknown workload “{}”: use sieve, squares or io. Running the sieve.", shorten(other)),
                    ),
                },
                "from" => config.sieve_from = number(key, value, 0, MAX_SIEVE_N, config.sieve_from, &mut say),
                "to" => config.sieve_to = number(key, value, 1, MAX_SIEVE_N + 1, config.sieve_to, &mut say),
                "base" => config.squares_base = number(key, value, 0, MAX_SQUARES_M - 1, config.squares_base, &mut say),
                "count" => config.squares_count = number(key, value, 1, MAX_TASKS, config.squares_count, &mut say),
                "source" => match IoSource::from_id(value) {
                    Some(source) => config.io.source = source,
                    None => {
                        say(key, format!("Unknown source “{}”: use sim, static or url. Using sim.", shorten(value)))
                    }
                },
                "url" => url_value = Some(value.clone()),
                "requests" => config.io.requests = small(key, value, 1, MAX_REQUESTS, config.io.requests, &mut say),
                "latency_ms" => {
                    config.io.latency_ms = small(key, value, 0, MAX_LATENCY_MS, config.io.latency_ms, &mut say)
                }
                "bytes" => config.io.bytes = small(key, value, 0, MAX_RESPONSE_BYTES, config.io.bytes, &mut say),
                "timeout_ms" => {
                    config.io.timeout_ms =
                        small(key, value, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS, config.io.timeout_ms, &mut say)
                }
                "threads" => {
                    let max = max_threads(hardware_concurrency);
                    config.threads = small(key, value, 1, max, config.threads, &mut say)
                }
                "concurrency" => {
                    config.concurrency = small(key, value, 1, MAX_CONCURRENCY, config.concurrency, &mut say)
                }
                "repeat" => repeat = Some(small(key, value, 1, MAX_REPEAT, config.repeat, &mut say)),
                "warmup" => warmup = Some(small(key, value, 0, MAX_WARMUP, config.warmup, &mut say)),
                "autorun" => config.autorun = flag(key, value, "not starting on load", &mut say),
                "sweep" => config.sweep = flag(key, value, "no thread sweep", &mut say),
                "embed" => config.embed = flag(key, value, "showing the full page", &mut say),
                "fault" => match (value.as_str(), Fault::from_id(value)) {
                    (_, Some(fault)) => config.fault = Some(fault),
                    ("", None) => config.fault = None,
                    (other, None) => {
                        say(key, format!("fault takes panic or oom (for tests), not “{}”; none.", shorten(other)))
                    }
                },
                "models" => models_value = Some(value.clone()),
                // Parameters of other tools (analytics, embeds) are none of ours.
                _ => {}
            }
        }
        let (default_repeat, default_warmup) = config.kind.default_repeat_and_warmup();
        config.repeat = repeat.unwrap_or(default_repeat);
        config.warmup = warmup.unwrap_or(default_warmup);
        if let Some(value) = models_value {
            match config.kind {
                WorkloadKind::Io => config.io_models = io_models(&value, &mut say),
                WorkloadKind::Sieve | WorkloadKind::Squares => config.cpu_models = cpu_models(&value, &mut say),
            }
        }
        if let Some(value) = url_value {
            config.io.url = checked_url(&value, config.io.source == IoSource::Url, &mut say);
        }
        config.fit_workload_to_limits(&mut say);
        if let Some(reason) = config.blocking_reason() {
            if !messages.iter().any(|m| m.field == "url") {
                messages.push(ConfigMessage { field: "url".into(), text: reason });
            }
        }
        (config, messages)
    }

    /// Keeps the sieve range non-empty and every workload under the task,
    /// work, byte and duration limits, shrinking it from its top.
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
        self.fit_io_to_limits(say);
    }

    fn fit_io_to_limits(&mut self, say: &mut impl FnMut(&str, String)) {
        let io = &mut self.io;
        if io.source == IoSource::Static && !STATIC_FILES.iter().any(|(size, _)| *size == io.bytes) {
            let nearest = nearest_static_size(io.bytes);
            let sizes: Vec<String> = STATIC_FILES.iter().map(|(size, _)| size.to_string()).collect();
            say(
                "bytes",
                format!(
                    "The static source has files of {} bytes only; using the nearest, {nearest}.",
                    sizes.join(", ")
                ),
            );
            io.bytes = nearest;
        }
        let total_bytes = io.requests as u64 * io.bytes as u64;
        if total_bytes > MAX_IO_TOTAL_BYTES {
            io.requests = (MAX_IO_TOTAL_BYTES / io.bytes.max(1) as u64).max(1) as u32;
            say(
                "requests",
                format!(
                    "More than {} MiB in all would strain the tab's memory; “requests” was lowered to {}.",
                    MAX_IO_TOTAL_BYTES >> 20,
                    io.requests
                ),
            );
        }
        let sequential_ms = io.requests as u64 * io.latency_ms as u64;
        if sequential_ms > MAX_SEQUENTIAL_MS {
            io.requests = (MAX_SEQUENTIAL_MS / io.latency_ms.max(1) as u64).max(1) as u32;
            say(
                "requests",
                format!(
                    "One after another, that would take more than {} minutes; “requests” was lowered to {}.",
                    MAX_SEQUENTIAL_MS / 60_000,
                    io.requests
                ),
            );
        }
    }

    /// The canonical query without `autorun`: for links that show a
    /// recorded run, and for opening the full page from an embed.
    pub fn to_query_without_autorun(&self) -> String {
        Config { autorun: false, ..self.clone() }.to_query()
    }

    /// The canonical query for this configuration (the URL the page shows).
    /// Only the selected workload's parameters are written.
    pub fn to_query(&self) -> String {
        let models: Vec<&str> = self.models().iter().map(|model| model.id()).collect();
        let workload = match self.kind {
            WorkloadKind::Sieve => format!("workload=sieve&from={}&to={}", self.sieve_from, self.sieve_to),
            WorkloadKind::Squares => {
                format!("workload=squares&base={}&count={}", self.squares_base, self.squares_count)
            }
            WorkloadKind::Io => {
                let io = &self.io;
                let url = match io.source {
                    IoSource::Url => format!("&url={}", encode_component(&io.url)),
                    _ => String::new(),
                };
                format!(
                    "workload=io&source={}{url}&requests={}&latency_ms={}&bytes={}&timeout_ms={}",
                    io.source.id(),
                    io.requests,
                    io.latency_ms,
                    io.bytes,
                    io.timeout_ms
                )
            }
        };
        let concurrency = match self.kind {
            WorkloadKind::Io => format!("&concurrency={}", self.concurrency),
            _ => String::new(),
        };
        let mut query = format!(
            "{workload}&models={}&threads={}{concurrency}&repeat={}&warmup={}",
            encode_component(&models.join(",")),
            self.threads,
            self.repeat,
            self.warmup
        );
        if self.sweep && self.kind != WorkloadKind::Io {
            query.push_str("&sweep=1");
        }
        if self.autorun {
            query.push_str("&autorun=1");
        }
        if self.embed {
            query.push_str("&embed=1");
        }
        if let Some(fault) = self.fault {
            query.push_str(&format!("&fault={}", fault.id()));
        }
        query
    }
}

/// Every URL parameter the page reads (the property test draws from it too).
pub const KNOWN_KEYS: [&str; 20] = [
    "workload",
    "from",
    "to",
    "base",
    "count",
    "source",
    "url",
    "requests",
    "latency_ms",
    "bytes",
    "timeout_ms",
    "models",
    "threads",
    "concurrency",
    "repeat",
    "warmup",
    "autorun",
    "sweep",
    "embed",
    "fault",
];

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

/// A 1/0 switch; anything else is off, with a message saying so.
fn flag(field: &str, value: &str, off_means: &str, say: &mut impl FnMut(&str, String)) -> bool {
    match value {
        "1" | "true" => true,
        "0" | "false" | "" => false,
        other => {
            say(field, format!("{field} takes 1 or 0, not “{}”; {off_means}.", shorten(other)));
            false
        }
    }
}

/// [`number`] for the u32 fields.
fn small(field: &str, value: &str, min: u32, max: u32, current: u32, say: &mut impl FnMut(&str, String)) -> u32 {
    number(field, value, min as u64, max as u64, current as u64, say) as u32
}

/// Reads a comma list of model ids of one family: unknown ids and repeats
/// are skipped with a message; none at all means every model.
fn model_list<M: Copy + PartialEq>(
    value: &str,
    all: &[M],
    id: fn(M) -> &'static str,
    family: &str,
    other_family: &[&str],
    say: &mut impl FnMut(&str, String),
) -> Vec<M> {
    let mut chosen = Vec::new();
    let known: Vec<&str> = all.iter().map(|&m| id(m)).collect();
    for name in value.split(',').map(str::trim).filter(|name| !name.is_empty()) {
        match all.iter().copied().find(|&m| id(m) == name) {
            Some(model) if chosen.contains(&model) => say("models", format!("“{name}” is listed twice; it runs once.")),
            Some(model) => chosen.push(model),
            None if other_family.contains(&name) => say(
                "models",
                format!("“{name}” is not a model of this workload, skipped. {family} models: {}.", known.join(", ")),
            ),
            None => say(
                "models",
                format!("Unknown model “{}”, skipped. {family} models: {}.", shorten(name), known.join(", ")),
            ),
        }
    }
    if chosen.is_empty() {
        say("models", "No known model was chosen; running all of them.".to_string());
        chosen = all.to_vec();
    }
    chosen
}

fn cpu_models(value: &str, say: &mut impl FnMut(&str, String)) -> Vec<CpuModel> {
    let io_ids: Vec<&str> = IoModel::ALL.iter().map(|m| m.id()).collect();
    model_list(value, &CpuModel::ALL, CpuModel::id, "CPU", &io_ids, say)
}

fn io_models(value: &str, say: &mut impl FnMut(&str, String)) -> Vec<IoModel> {
    let cpu_ids: Vec<&str> = CpuModel::ALL.iter().map(|m| m.id()).collect();
    model_list(value, &IoModel::ALL, IoModel::id, "IO", &cpu_ids, say)
}

/// A user's URL, if it is one the page may fetch: http or https, with a
/// host, no credentials, no spaces or control characters, not too long.
/// Anything else is refused with the reason (and `""` is returned). The
/// browser's own URL parser has the last word when the request is made.
fn checked_url(value: &str, in_use: bool, say: &mut impl FnMut(&str, String)) -> String {
    let url = value.trim();
    let problem = if url.is_empty() {
        None
    } else if url.chars().count() > MAX_URL_CHARS {
        Some(format!("The URL is longer than {MAX_URL_CHARS} characters."))
    } else if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("The URL contains spaces or control characters.".to_string())
    } else {
        let lower = url.to_ascii_lowercase();
        match lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) {
            None => Some(format!("“{}” is not an http:// or https:// URL.", shorten(url))),
            Some(rest) => {
                let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
                if authority.contains('@') {
                    Some("URLs with a user name or password cannot be fetched by a page.".to_string())
                } else if authority.is_empty() || authority.starts_with(':') {
                    Some(format!("“{}” has no host name.", shorten(url)))
                } else {
                    None
                }
            }
        }
    };
    match problem {
        Some(problem) => {
            if in_use {
                say("url", format!("{problem} Enter an http(s) URL."));
            }
            String::new()
        }
        None => url.to_string(),
    }
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
        assert_eq!(config.workload(), Workload::Cpu(CpuWorkload::Sieve { from: 1000, to: 16000 }));
        assert_eq!(config.models(), vec![Model::Cpu(CpuModel::Seq), Model::Cpu(CpuModel::Rayon)]);
        assert_eq!((config.threads, config.repeat, config.warmup, config.autorun), (2, 3, 1, true));
    }

    #[test]
    fn the_io_example_parses_without_messages() {
        let (config, messages) = parse(
            "workload=io&source=sim&requests=40&latency_ms=100&models=seq,all,bounded&concurrency=5&repeat=1&warmup=0&autorun=1",
        );
        assert_eq!(messages, vec![]);
        let Workload::Io(io) = config.workload() else { panic!("an IO workload") };
        assert_eq!((io.source, io.requests, io.latency_ms, io.bytes), (IoSource::Sim, 40, 100, 2048));
        assert_eq!(config.io_models, vec![IoModel::Seq, IoModel::All, IoModel::Bounded]);
        assert_eq!(config.concurrency, 5);
        assert_eq!(config.threads_for(Model::Io(IoModel::Bounded)), 1);
        assert_eq!(config.threads_for(Model::Io(IoModel::Threads)), 5);
    }

    #[test]
    fn io_defaults_follow_the_post_and_python() {
        let (config, _) = parse("workload=io");
        assert_eq!((config.io.requests, config.io.latency_ms), (100, 160));
        assert_eq!((config.repeat, config.warmup), (1, 0), "IO runs take seconds: one run by default");
        assert_eq!(config.concurrency, 6, "min(32, cores + 4) with 2 cores");
        assert_eq!(config.models().len(), 5);
        assert_eq!(Config::parse("workload=io", 64).0.concurrency, 32);
    }

    #[test]
    fn canonical_query_round_trips() {
        for query in [
            "workload=squares&base=10&count=4&models=workers,main&threads=1&warmup=0",
            "workload=io&source=url&url=https%3A%2F%2Fhttpbin.org%2Fip%3Fa%3D1&models=all,threads&concurrency=3",
            "workload=io&source=static&bytes=16384&requests=7&models=bounded",
        ] {
            let (config, messages) = parse(query);
            assert_eq!(messages, vec![], "{query}");
            assert_eq!(parse(&config.to_query()), (config.clone(), vec![]), "{query}");
        }
        assert_eq!(
            parse("workload=squares&base=10&count=4&models=workers,main&threads=1&warmup=0").0.to_query(),
            "workload=squares&base=10&count=4&models=workers,main&threads=1&repeat=5&warmup=0"
        );
    }

    #[test]
    fn bad_values_get_messages_and_safe_values() {
        let (config, messages) = parse("from=abc&to=-5&threads=99&repeat=0&models=seq,seq,gevent&autorun=yes");
        let fields: Vec<&str> = messages.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, vec!["from", "to", "threads", "repeat", "autorun", "models", "models"]);
        assert_eq!((config.sieve_from, config.sieve_to), (1000, 16000));
        assert_eq!((config.threads, config.repeat, config.autorun), (2, 1, false));
        assert_eq!(config.cpu_models, vec![CpuModel::Seq]);
    }

    #[test]
    fn a_model_of_the_other_family_is_named_as_such() {
        let (config, messages) = parse("workload=io&models=rayon,all");
        assert_eq!(config.io_models, vec![IoModel::All]);
        assert!(messages[0].text.contains("not a model of this workload"), "{messages:?}");
    }

    #[test]
    fn enormous_work_is_cut_to_the_limit() {
        let (config, messages) = parse("workload=squares&base=3000000000&count=1000000");
        assert!(!messages.is_empty());
        let Workload::Cpu(workload) = config.workload() else { panic!() };
        assert!(workload.work_units() <= MAX_WORK_UNITS as u128);
        assert!(config.squares_count >= 1);
        let (config, _) = parse("from=0&to=99999999999999999999999");
        let Workload::Cpu(workload) = config.workload() else { panic!() };
        assert!(workload.work_units() <= MAX_WORK_UNITS as u128);
        assert!(workload.task_count() as u64 <= MAX_TASKS);
    }

    #[test]
    fn io_sizes_are_cut_to_the_byte_and_duration_limits() {
        let (config, messages) = parse("workload=io&requests=2000&bytes=4194304");
        assert!(config.io.requests as u64 * config.io.bytes as u64 <= MAX_IO_TOTAL_BYTES);
        assert_eq!(messages[0].field, "requests");
        let (config, _) = parse("workload=io&requests=2000&latency_ms=10000");
        assert!(config.io.requests as u64 * config.io.latency_ms as u64 <= MAX_SEQUENTIAL_MS);
        let (config, messages) = parse("workload=io&source=static&bytes=5000");
        assert_eq!((config.io.bytes, messages[0].field.as_str()), (2048, "bytes"));
    }

    #[test]
    fn urls_must_be_http_and_a_missing_one_blocks_run() {
        for bad in ["javascript:alert(1)", "ftp://x/y", "https://user:pw@host/", "http://", "http://a b", "//x"] {
            let (config, messages) = parse(&format!("workload=io&source=url&url={}", encode_component(bad)));
            assert_eq!(config.io.url, "", "{bad}");
            assert!(messages.iter().any(|m| m.field == "url"), "{bad}: {messages:?}");
            assert!(config.blocking_reason().is_some(), "{bad}");
        }
        let (config, messages) = parse("workload=io&source=url&url=HTTPS://Example.org:8443/x?y=1");
        assert_eq!((config.io.url.as_str(), messages), ("HTTPS://Example.org:8443/x?y=1", vec![]));
        assert_eq!(config.blocking_reason(), None);
        // A URL given for another source is kept quietly for later.
        let (config, messages) = parse("workload=io&source=sim&url=nonsense");
        assert_eq!((config.io.url.as_str(), messages.len()), ("", 0));
    }

    #[test]
    fn empty_range_becomes_one_task() {
        let (config, messages) = parse("from=500&to=500");
        assert_eq!(config.workload().task_count(), 1);
        assert_eq!(messages[0].field, "to");
    }
}
