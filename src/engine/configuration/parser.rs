//! The one parser of a configuration, and its canonical query. The URL
//! query and the form both go through [`Config::parse`], which never fails:
//! it reads every parameter of [`PARAMETERS`] given, keeps the result inside
//! the limits of [`super::limits`], and returns a message for every value
//! it could not take as given. The one thing it cannot make up is a user's
//! URL: without a valid one, [`Config::blocking_reason`] says why Run must
//! wait. [`Config::to_query`] writes the same table back.

use super::config::{max_threads, Config, SweepKind, WorkloadKind, MIX_SHARES_PCT};
use super::limits::*;
use super::numbers::thousands;
use super::parameters::{Section, PARAMETERS};
use super::query::{encode_component, parse_query, shorten};
use super::readers::Say;
use crate::engine::cpu::workload::{CpuWorkload, Sieve};
use crate::engine::experiments::Experiment;
use crate::engine::io::workload::{nearest_static_size, IoSource, STATIC_FILES};
use crate::sorting::sort_by;

/// A message about one input field: shown next to the field and in the
/// page's alert region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigMessage {
    /// The URL parameter (and form field) it concerns, or "" for the query.
    pub field: String,
    pub text: String,
}

impl Config {
    /// Parses a URL query (with or without the leading `?`). Parameters of
    /// other tools (analytics, embeds) are none of ours and are ignored.
    /// Messages come in the order of the query's parameters they concern.
    pub fn parse(query: &str, hardware_concurrency: u32) -> (Self, Vec<ConfigMessage>) {
        let (pairs, decode_messages) = parse_query(query);
        // (position in the query, message): sorted by position at the end.
        let mut messages: Vec<(usize, ConfigMessage)> =
            decode_messages.into_iter().map(|text| (0, ConfigMessage { field: String::new(), text })).collect();
        // The last value given for each parameter, and where it stood. An
        // experiment's own query comes first, at the experiment's place, so
        // the link's other parameters change what they name.
        let mut given: Vec<Option<(usize, &str)>> = vec![None; PARAMETERS.len()];
        let experiment =
            pairs.iter().rev().find(|(key, _)| key == "experiment").and_then(|(_, id)| Experiment::find(id));
        let experiment_pairs = experiment.map(|e| parse_query(&e.query_for(max_threads(hardware_concurrency))).0);
        let experiment_position = pairs.iter().position(|(key, _)| key == "experiment").unwrap_or(0);
        for (key, value) in experiment_pairs.iter().flatten() {
            if let Some(index) = PARAMETERS.iter().position(|parameter| parameter.name == key) {
                given[index] = Some((experiment_position, value));
            }
        }
        let mut seen = vec![false; PARAMETERS.len()];
        for (position, (key, value)) in pairs.iter().enumerate() {
            let Some(index) = PARAMETERS.iter().position(|parameter| parameter.name == key) else { continue };
            if std::mem::replace(&mut seen[index], true) {
                let text = format!("“{key}” is given more than once; the last value, “{}”, counts.", shorten(value));
                messages.push((position, ConfigMessage { field: key.clone(), text }));
            }
            given[index] = Some((position, value));
        }
        // In the table's order: a parameter is read after those it depends on.
        let mut config = Self::defaults(hardware_concurrency);
        for (parameter, given) in PARAMETERS.iter().zip(&given) {
            if let Some((position, value)) = *given {
                let mut say = |field: &str, text: String| {
                    messages.push((position, ConfigMessage { field: field.to_string(), text }))
                };
                parameter.read(&mut config, value, hardware_concurrency, &mut say);
            }
        }
        // One message per field: a limit that changes a field again adds its
        // sentence to the field's message, which so ends with the value used.
        let mut say = |field: &str, text: String| match messages.iter_mut().find(|(_, m)| m.field == field) {
            Some((_, message)) => {
                message.text.push(' ');
                message.text.push_str(&text);
            }
            None => messages.push((usize::MAX, ConfigMessage { field: field.to_string(), text })),
        };
        config.fit_workload_to_limits(&mut say);
        config.leave_a_post_whose_workload_changed(hardware_concurrency, &mut say);
        if let Some(reason) = config.blocking_reason() {
            if !messages.iter().any(|(_, m)| m.field == "url") {
                messages.push((usize::MAX, ConfigMessage { field: "url".into(), text: reason }));
            }
        }
        sort_by(&mut messages, |a, b| a.0.cmp(&b.0));
        (config, messages.into_iter().map(|(_, message)| message).collect())
    }

    /// A post's figures stand beside a run of the post's own workload only:
    /// a link or an edit that changes its sizes (`experiment=shaji-io&
    /// requests=50`) leaves the post and says which values differ, so no
    /// published figure is set beside a run of another size as if comparable.
    fn leave_a_post_whose_workload_changed(&mut self, hardware_concurrency: u32, say: &mut Say) {
        let Some(experiment) = self.experiment.and_then(Experiment::find) else { return };
        let (post, _) = Config::parse(&experiment.query_for(max_threads(hardware_concurrency)), hardware_concurrency);
        if post.workload() == self.workload() {
            return;
        }
        let differences: Vec<String> = PARAMETERS
            .iter()
            .filter(|parameter| {
                matches!(parameter.name, "workload" | "source")
                    || parameter.field.is_some_and(|field| field.section == Section::Sizes)
            })
            .filter_map(|parameter| {
                let (ours, theirs) = (parameter.write(self), parameter.write(&post));
                (ours != theirs).then(|| match (ours, theirs) {
                    (Some(ours), Some(theirs)) => format!("{} is {ours}, the post's {theirs}", parameter.name),
                    (Some(ours), None) => format!("{} is {ours}", parameter.name),
                    (None, _) => format!("{} is unset", parameter.name),
                })
            })
            .collect();
        self.experiment = None;
        say(
            "experiment",
            format!(
                "This is no longer {}'s run ({}), so the post's figures are left out; choose the post again to run it as published.",
                experiment.id,
                differences.join("; ")
            ),
        );
    }

    /// Keeps the sieve range non-empty and every workload under the task,
    /// work, byte and duration limits, shrinking it from its top.
    fn fit_workload_to_limits(&mut self, say: &mut Say) {
        if self.sieve.to <= self.sieve.from {
            say(
                "to",
                format!(
                    "“to” ({}) must be above “from” ({}); using to = from + 1.",
                    thousands(self.sieve.to),
                    thousands(self.sieve.from)
                ),
            );
            self.sieve.to = self.sieve.from + 1;
        }
        let sieve_tasks = self.sieve.to - self.sieve.from;
        if sieve_tasks > MAX_TASKS {
            self.sieve.to = self.sieve.from + MAX_TASKS;
            say(
                "to",
                format!("At most {} tasks: “to” was lowered to {}.", thousands(MAX_TASKS), thousands(self.sieve.to)),
            );
        }
        let sieve = CpuWorkload::Sieve(self.sieve);
        if sieve.work_units() > MAX_WORK_UNITS as u128 {
            self.sieve.to = largest_top(self.sieve.from, self.sieve.to);
            say("to", format!("That range is more than {} units of work (the sum of every n) and would freeze the tab; “to” was lowered to {}.", thousands(MAX_WORK_UNITS), thousands(self.sieve.to)));
        }
        if self.squares.base + self.squares.count > MAX_SQUARES_M {
            self.squares.count = MAX_SQUARES_M - self.squares.base;
            say(
                "count",
                format!(
                    "base + count may be at most {}; “count” was lowered to {}.",
                    thousands(MAX_SQUARES_M),
                    thousands(self.squares.count)
                ),
            );
        }
        let squares = CpuWorkload::Squares(self.squares);
        if squares.work_units() > MAX_SQUARES_WORK_UNITS as u128 {
            let top =
                largest_top_within(self.squares.base, self.squares.base + self.squares.count, MAX_SQUARES_WORK_UNITS);
            let count = top - self.squares.base;
            self.squares.count = count;
            say(
                "count",
                format!(
                    "That is more than {} loop iterations in all and would freeze the tab; “count” was lowered to {}.",
                    thousands(MAX_SQUARES_WORK_UNITS),
                    thousands(count)
                ),
            );
        }
        self.fit_io_to_limits(say);
    }

    fn fit_io_to_limits(&mut self, say: &mut Say) {
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
        let (bytes, latency_ms) = (io.bytes, io.latency_ms);
        // Each count is held to the limits only where it is what runs: the
        // one kept for another workload must not speak up for this link's
        // latency or bytes (mixed tasks make `tasks` requests, not `requests`).
        if self.kind != WorkloadKind::Mixed {
            cap_count(&mut io.requests, "requests", bytes, latency_ms, 0, say);
        } else {
            // A task's time: its wait and its compute step as time when
            // given so, or a task of the crossover sweep at every share.
            let task_ms = match self.sweep {
                SweepKind::Mix => self.task_ms * MIX_SHARES_PCT.len() as u32,
                _ => latency_ms + self.cpu_ms.unwrap_or(0),
            };
            cap_count(&mut self.tasks, "tasks", bytes, task_ms, self.compute_n, say);
            self.fit_compute_to_limit(say);
        }
    }

    /// The largest task is at most [`MAX_COMPUTE_N`] whatever the spread
    /// (a straggler is ten times the others, a random draw up to eight
    /// times the average): `compute_n` is lowered until it is.
    pub(super) fn fit_compute_to_limit(&mut self, say: &mut Say) {
        let limit = MAX_COMPUTE_N;
        let largest = |config: &Config| config.mixed_workload().compute_sizes().into_iter().max().unwrap_or(0);
        let first = largest(self);
        if first <= limit {
            return;
        }
        // Every size scales with compute_n: lower it by the same factor
        // (and a little more where rounding leaves the largest above).
        self.compute_n = (self.compute_n as u128 * limit as u128 / first as u128).max(2) as u64;
        while largest(self) > limit && self.compute_n > 2 {
            self.compute_n -= (self.compute_n / 100).max(1);
        }
        say(
            "compute_n",
            format!(
                "With this spread the largest task would count the primes up to {}, and one task may count up to {}; “compute_n” was lowered to {}.",
                thousands(first),
                thousands(limit),
                thousands(self.compute_n)
            ),
        );
    }

    /// The canonical query without `autorun`: for links that show a
    /// recorded run, and for opening the full page from an embed.
    pub fn to_query_without_autorun(&self) -> String {
        Config { autorun: false, ..self.clone() }.to_query()
    }

    /// The canonical query for this configuration (the URL the page shows):
    /// every parameter of the chosen workload, in the table's order;
    /// switches only when on.
    pub fn to_query(&self) -> String {
        PARAMETERS
            .iter()
            .filter(|parameter| parameter.scope.includes(self))
            .filter_map(|parameter| Some(format!("{}={}", parameter.name, encode_component(&parameter.write(self)?))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Lowers `count` requests (named `field`), each of `bytes` and
/// `latency_ms`, and each task's sieve up to `compute_n` (0: none), to what
/// stays inside the byte, duration and work limits, saying why.
fn cap_count(count: &mut u32, field: &str, bytes: u32, latency_ms: u32, compute_n: u64, say: &mut Say) {
    let caps = [
        (
            MAX_IO_TOTAL_BYTES / bytes.max(1) as u64,
            format!("More than {} MiB in all would strain the tab's memory", MAX_IO_TOTAL_BYTES >> 20),
        ),
        (
            MAX_SEQUENTIAL_MS / latency_ms.max(1) as u64,
            format!("One after another, that would take more than {} minutes", MAX_SEQUENTIAL_MS / 60_000),
        ),
        (
            MAX_WORK_UNITS / compute_n.max(1),
            format!("That is more than {} units of work in all and would freeze the tab", thousands(MAX_WORK_UNITS)),
        ),
    ];
    for (most, why) in caps {
        if *count as u64 > most {
            *count = most.max(1) as u32;
            say(field, format!("{why}; “{field}” was lowered to {}.", thousands(*count as u64)));
        }
    }
}

/// The largest top such that from + ... + (top - 1) stays within the work
/// limit, and at least from + 1 (one task is always allowed: a single task
/// is at most MAX_SIEVE_N or MAX_SQUARES_M units, a few seconds at worst).
fn largest_top(from: u64, top: u64) -> u64 {
    largest_top_within(from, top, MAX_WORK_UNITS)
}

/// [`largest_top`] within `limit` units.
fn largest_top_within(from: u64, top: u64, limit: u64) -> u64 {
    let (mut low, mut high) = (from + 1, top);
    while low < high {
        let middle = low + (high - low).div_ceil(2);
        let work = CpuWorkload::Sieve(Sieve { from, to: middle }).work_units();
        if work <= limit as u128 {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cpu::model::CpuModel;
    use crate::engine::io::model::IoModel;
    use crate::engine::mixed::Order;
    use crate::engine::model::{Item, Model};
    use crate::engine::workload::Workload;

    fn parse(query: &str) -> (Config, Vec<ConfigMessage>) {
        Config::parse(query, 2)
    }

    #[test]
    fn the_documented_example_parses_without_messages() {
        let (config, messages) =
            parse("?workload=sieve&from=1000&to=16000&models=seq,rayon&threads=2&repeat=3&autorun=1");
        assert_eq!(messages, vec![]);
        assert_eq!(config.workload(), Workload::Cpu(CpuWorkload::Sieve(Sieve::DEFAULT)));
        assert_eq!(
            config.models(),
            vec![Item::plain(Model::Cpu(CpuModel::Seq)), Item::plain(Model::Cpu(CpuModel::Rayon))]
        );
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
        assert_eq!(config.io_models, [IoModel::Seq, IoModel::All, IoModel::Bounded].map(Item::plain).to_vec());
        assert_eq!(config.concurrency, 5);
    }

    #[test]
    fn io_defaults_follow_the_post_and_python() {
        let (config, _) = parse("workload=io");
        assert_eq!((config.io.requests, config.io.latency_ms), (100, 160));
        assert_eq!((config.repeat, config.warmup), (1, 0), "IO runs take seconds: one run by default");
        assert_eq!(config.concurrency, 6, "min(32, cores + 4) with 2 cores");
        assert_eq!(config.models().len(), IoModel::POSTS.len(), "the posts' six");
        assert_eq!(Config::parse("workload=io", 64).0.concurrency, 32);
    }

    #[test]
    fn mixed_tasks_take_the_request_parameters_and_run_every_waiting_model() {
        let (config, messages) = parse("workload=mixed&tasks=12&order=compute_first&compute_n=5000&latency_ms=40");
        assert!(messages.is_empty(), "{messages:?}");
        let Workload::Mixed(mixed) = config.workload() else { panic!("a mixed workload") };
        assert_eq!((mixed.task_count(), mixed.compute_n, mixed.order), (12, 5000, Order::ComputeFirst));
        assert_eq!(mixed.wait.latency_ms, 40);
        assert_eq!(config.models().len(), IoModel::ALL.len(), "gil too: mixed tasks compute");
        assert_eq!((config.repeat, config.warmup), (1, 0));
        let query = config.to_query();
        assert!(query.contains("tasks=12") && query.contains("order=compute_first") && !query.contains("requests="));
        assert_eq!(parse(&query).0, config, "the canonical query reads back the same");
        // Bad values get a safe one and a message naming the field.
        let (config, messages) = parse("workload=mixed&order=sideways&tasks=2000&compute_n=2000000");
        assert_eq!(config.order, Order::WaitFirst);
        assert!(config.tasks as u64 * config.compute_n <= MAX_WORK_UNITS);
        let fields: Vec<&str> = messages.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["order", "tasks"], "{messages:?}");
        // The largest task, not the average, is held to the limit.
        let (config, messages) = parse("workload=mixed&tasks=40&compute_n=20000000&spread=straggler");
        assert!(config.mixed_workload().compute_sizes().into_iter().max().unwrap() <= MAX_COMPUTE_N);
        assert!(config.compute_n > MAX_COMPUTE_N / 10 && config.compute_n < 20_000_000, "{}", config.compute_n);
        assert_eq!(messages[0].field, "compute_n");
        assert_eq!(parse("workload=mixed&tasks=40&compute_n=20000000").0.compute_n, 20_000_000);
    }

    #[test]
    fn messages_write_large_numbers_with_thousands_separated() {
        let (config, messages) = parse("workload=squares&base=5000000&count=100000&requests=999999999");
        let count = messages.iter().find(|m| m.field == "count").expect("count is lowered");
        assert!(count.text.contains("6\u{202f}000\u{202f}000\u{202f}000"), "{}", count.text);
        assert!(count.text.contains(&thousands(config.squares.count)), "{}: names the value used", count.text);
        let requests: Vec<&ConfigMessage> = messages.iter().filter(|m| m.field == "requests").collect();
        assert_eq!(requests.len(), 1, "one message per field: {requests:?}");
        assert!(requests[0].text.contains(&thousands(config.io.requests as u64)), "{}", requests[0].text);
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
        // In the order of the query's parameters.
        assert_eq!(fields, vec!["from", "to", "threads", "repeat", "models", "models", "autorun"]);
        assert_eq!((config.sieve.from, config.sieve.to), (1000, 16000));
        assert_eq!((config.threads, config.repeat, config.autorun), (2, 1, false));
        assert_eq!(config.cpu_models, vec![Item::plain(CpuModel::Seq)]);
    }

    #[test]
    fn a_model_of_the_other_family_is_named_as_such() {
        let (config, messages) = parse("workload=io&models=rayon,all");
        assert_eq!(config.io_models, vec![Item::plain(IoModel::All)]);
        assert!(messages[0].text.contains("not a model of this workload"), "{messages:?}");
    }

    #[test]
    fn enormous_work_is_cut_to_the_limit() {
        let (config, messages) = parse("workload=squares&base=3000000000&count=1000000");
        assert!(!messages.is_empty());
        let Workload::Cpu(workload) = config.workload() else { panic!() };
        assert!(workload.work_units() <= MAX_SQUARES_WORK_UNITS as u128);
        assert!(config.squares.count >= 1);
        // A hundred thousand squares tasks fit, for the replay to play.
        let (config, messages) = parse("workload=squares&base=1&count=100000");
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(config.squares.count, 100_000);
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
            assert_eq!(config.io.url, None, "{bad}");
            assert!(messages.iter().any(|m| m.field == "url"), "{bad}: {messages:?}");
            assert!(config.blocking_reason().is_some(), "{bad}");
        }
        let (config, messages) = parse("workload=io&source=url&url=HTTPS://Example.org:8443/x?y=1");
        assert_eq!((config.io.url.as_deref(), messages), (Some("HTTPS://Example.org:8443/x?y=1"), vec![]));
        assert_eq!(config.blocking_reason(), None);
        // A URL given for another source is kept quietly for later.
        let (config, messages) = parse("workload=io&source=sim&url=nonsense");
        assert_eq!((config.io.url, messages.len()), (None, 0));
    }

    #[test]
    fn items_carry_their_own_k_and_bad_ones_are_explained() {
        let (config, messages) = parse("workload=io&models=seq,threads@100,threads@20,all&concurrency=6");
        assert_eq!(messages, vec![]);
        let keys: Vec<String> = config.models().iter().map(|item| item.key()).collect();
        assert_eq!(keys, ["seq", "threads@100", "threads@20", "all"]);
        assert_eq!(config.for_item(config.models()[1]).concurrency, 100);
        assert_eq!(config.for_item(config.models()[3]).concurrency, 6, "all takes no k");
        assert!(config.to_query().contains("models=seq,threads@100,threads@20,all&"));
        let (config, messages) = parse("workload=io&models=threads@999,seq@3,procs@x,threads@999");
        let keys: Vec<String> = config.models().iter().map(|item| item.key()).collect();
        assert_eq!(keys, ["threads@256", "seq", "procs"]);
        let texts: Vec<&str> = messages.iter().map(|m| m.text.as_str()).collect();
        assert!(texts[0].contains("using threads@256"), "{texts:?}");
        assert!(texts[1].contains("seq takes no k"), "{texts:?}");
        assert!(texts[2].contains("whole number"), "{texts:?}");
        assert!(texts.last().unwrap().contains("listed twice"), "{texts:?}");
        let (config, _) = parse("models=gil@2,rayon@9&threads=1");
        assert_eq!(config.for_item(config.models()[0]).threads, 2);
        assert_eq!(config.models()[1].k, Some(2), "at most the cores");
    }

    #[test]
    fn the_gil_and_chunk_knobs_are_written_only_with_their_models() {
        let (config, messages) = parse("models=gil,workers&switch_ms=1&chunksize=50");
        assert_eq!(messages, vec![]);
        assert_eq!((config.switch_ms, config.chunksize), (1, Some(50)));
        assert!(config.to_query().contains("&switch_ms=1&chunksize=50"), "{}", config.to_query());
        let (config, _) = parse("models=seq&switch_ms=1&chunksize=auto");
        assert!(!config.to_query().contains("switch_ms") && !config.to_query().contains("chunksize"));
        let (config, messages) = parse("models=workers&chunksize=lots&switch_ms=0");
        assert_eq!((config.chunksize, config.switch_ms), (None, 1));
        assert_eq!(messages.len(), 2, "{messages:?}");
    }

    #[test]
    fn empty_range_becomes_one_task() {
        let (config, messages) = parse("from=500&to=500");
        assert_eq!(config.workload().task_count(), 1);
        assert_eq!(messages[0].field, "to");
    }
}
