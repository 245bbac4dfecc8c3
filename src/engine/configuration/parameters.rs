//! Every URL parameter the page reads, in one table: its name, its kind and
//! limits, which workload it belongs to, how it is read into a [`Config`]
//! and written back, and its form field. The parser, the list of known
//! keys, the canonical query and the form's fields are all derived from
//! [`PARAMETERS`], so adding a parameter is one entry here (and its field
//! in `Config`). Defaults are `Config::defaults`, written through the same
//! table. How a value is read is [`super::readers`]'; checks across
//! parameters (a range's ends, the work and byte limits) are
//! [`super::parser`]'s.

use super::config::{max_threads, Config, ReplaySpeed, SweepKind, WorkloadKind};
use super::limits::*;
use super::numbers::thousands;
use super::readers::{
    flag, number, read_chunksize, read_cpu_ms, read_experiment, read_fail_rate, read_fault, read_latency_spread,
    read_models, read_order, read_reference, read_replay_at, read_replay_speed, read_source, read_spread, read_sweep,
    read_url, read_workload, Say,
};
use crate::engine::cpu::gil::DEFAULT_SWITCH_MS;
use crate::engine::cpu::model::CpuModel;
use crate::engine::io::workload::{IoSource, LatencySpread, STATIC_FILES};
use crate::engine::model::Model;

/// Which workload a parameter belongs to: the canonical query writes it
/// only for that workload (a permalink names what ran, nothing else).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Every,
    Sieve,
    Squares,
    /// Both CPU workloads.
    Cpu,
    /// The workloads whose tasks wait: `io` and `mixed`.
    Io,
    /// Exactly this workload.
    Kind(WorkloadKind),
    /// The IO workload with this source.
    IoSource(IoSource),
    /// Only when one of these models is among those chosen (their own knob).
    Uses(&'static [Model]),
    /// Only when a model under the simulated GIL is among those chosen.
    UnderGil,
}

impl Scope {
    pub fn includes(self, config: &Config) -> bool {
        match self {
            Self::Every => true,
            Self::Sieve => config.kind == WorkloadKind::Sieve,
            Self::Squares => config.kind == WorkloadKind::Squares,
            Self::Cpu => !config.kind.waits(),
            Self::Io => config.kind.waits(),
            Self::Kind(kind) => config.kind == kind,
            Self::IoSource(source) => config.kind.waits() && config.io.source == source,
            Self::Uses(models) => config.models().iter().any(|item| models.contains(&item.model)),
            Self::UnderGil => config.models().iter().any(|item| item.model.under_gil()),
        }
    }
}

/// The largest value a number may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Max {
    Fixed(u64),
    /// [`max_threads`] of this browser's cores.
    Threads,
}

/// What a parameter's value is, with how it is read and written.
#[derive(Clone, Copy)]
pub enum Kind {
    /// A whole number from `min` to `max`; out of range is clamped, with a message.
    Number { min: u64, max: Max, get: fn(&Config) -> u64, set: fn(&mut Config, u64) },
    /// `1`/`true` or `0`/`false`; the canonical query writes it only when on.
    /// `off_means` ends the message about a value that is neither.
    Flag { off_means: &'static str, get: fn(&Config) -> bool, set: fn(&mut Config, bool) },
    /// Anything else, read and written by its own functions (`read` is
    /// also given the cores: some limits are the cores); the canonical
    /// query writes it only when `written` says so (the form always).
    Text { read: fn(&mut Config, &str, u32, &mut Say), write: fn(&Config) -> String, written: fn(&Config) -> bool },
}

/// Where a form field sits on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// With the workload: its sizes.
    Sizes,
    /// With threads and repeats.
    Runs,
}

/// A text field of the form for one parameter.
#[derive(Clone, Copy)]
pub struct FormField {
    pub label: &'static str,
    pub section: Section,
    /// What the value means; a number's range is added to it.
    pub about: fn(&Config) -> String,
    /// Whether the field applies to the configuration as it stands (a
    /// field that does not is hidden, its value kept).
    pub shown: fn(&Config) -> bool,
    /// Whether the hint adds a number's range (not where only a few
    /// values are accepted, which `about` lists).
    pub range_shown: fn(&Config) -> bool,
    /// The `inputmode`: `numeric` or `url`.
    pub input_mode: &'static str,
}

#[derive(Clone, Copy)]
pub struct Parameter {
    pub name: &'static str,
    pub scope: Scope,
    pub kind: Kind,
    /// Its text field, if the form edits it as one (choices and switches
    /// have widgets of their own; `autorun`, `embed` and `fault` come only
    /// from a link).
    pub field: Option<FormField>,
}

impl Parameter {
    /// Reads `value` into `config`, clamping it to the limits and saying
    /// why whenever the value is not taken as given.
    pub fn read(&self, config: &mut Config, value: &str, hardware_concurrency: u32, say: &mut Say) {
        match self.kind {
            Kind::Number { min, get, set, .. } => {
                let max = self.max(hardware_concurrency).unwrap_or(u64::MAX);
                let current = get(config);
                set(config, number(self.name, value, min, max, current, say));
            }
            Kind::Flag { off_means, set, .. } => set(config, flag(self.name, value, off_means, say)),
            Kind::Text { read, .. } => read(config, value, hardware_concurrency, say),
        }
    }

    /// The value as the canonical query writes it, or `None` if it leaves it out.
    pub fn write(&self, config: &Config) -> Option<String> {
        match self.kind {
            Kind::Number { get, .. } => Some(get(config).to_string()),
            Kind::Flag { get, .. } => get(config).then(|| "1".to_string()),
            Kind::Text { write, written, .. } => written(config).then(|| write(config)),
        }
    }

    /// The value as a form holds it: always written, switches as `1`/`0`.
    pub fn form_value(&self, config: &Config) -> String {
        match self.kind {
            Kind::Flag { get, .. } => if get(config) { "1" } else { "0" }.to_string(),
            Kind::Text { write, .. } => write(config),
            Kind::Number { get, .. } => get(config).to_string(),
        }
    }

    /// The largest value of a number (`None` for other kinds).
    pub fn max(&self, hardware_concurrency: u32) -> Option<u64> {
        match self.kind {
            Kind::Number { max: Max::Fixed(max), .. } => Some(max),
            Kind::Number { max: Max::Threads, .. } => Some(max_threads(hardware_concurrency) as u64),
            _ => None,
        }
    }

    /// The hint under the form field: what it means, and a number's range.
    pub fn hint(&self, config: &Config, hardware_concurrency: u32) -> String {
        let about = self.field.map(|field| (field.about)(config)).unwrap_or_default();
        let range_shown = self.field.is_some_and(|field| (field.range_shown)(config));
        match (self.kind, self.max(hardware_concurrency)) {
            (Kind::Number { min, .. }, Some(max)) if range_shown => {
                format!("{about}, {}–{}", thousands(min), thousands(max))
            }
            _ => about,
        }
    }
}

/// The parameter named `name`.
pub fn parameter(name: &str) -> Option<&'static Parameter> {
    PARAMETERS.iter().find(|parameter| parameter.name == name)
}

/// Every parameter's name, in the table's order (the property test draws from it).
pub fn known_keys() -> impl Iterator<Item = &'static str> {
    PARAMETERS.iter().map(|parameter| parameter.name)
}

/// A numeric field, always shown, with its range in the hint.
const fn number_field(label: &'static str, section: Section, about: fn(&Config) -> String) -> FormField {
    FormField { label, section, about, shown: |_| true, range_shown: |_| true, input_mode: "numeric" }
}

fn shown_for_io(config: &Config) -> bool {
    config.kind.waits()
}

/// Thousandths as the fraction a link carries: 50 is `0.05`.
fn fraction_of_thousandths(permille: u32) -> String {
    let text = format!("{:.3}", permille as f64 / 1000.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Every URL parameter, in the canonical query's order. Workloads first,
/// `workload` and `source` before the parameters whose reading depends on them.
pub static PARAMETERS: [Parameter; 37] = [
    Parameter {
        name: "experiment",
        scope: Scope::Every,
        // Read first: the parser applies the experiment's own query before
        // the link's other parameters, which may then change it.
        kind: Kind::Text {
            read: read_experiment,
            write: |config| config.experiment.unwrap_or_default().to_string(),
            written: |config| config.experiment.is_some(),
        },
        field: None,
    },
    Parameter {
        name: "workload",
        scope: Scope::Every,
        kind: Kind::Text { read: read_workload, write: |config| config.kind.id().to_string(), written: |_| true },
        field: None,
    },
    Parameter {
        name: "from",
        scope: Scope::Sieve,
        kind: Kind::Number {
            min: 0,
            max: Max::Fixed(MAX_SIEVE_N),
            get: |config| config.sieve.from,
            set: |config, n| config.sieve.from = n,
        },
        field: Some(FormField {
            shown: |config| config.kind == WorkloadKind::Sieve,
            ..number_field("from", Section::Sizes, |_| "first n".into())
        }),
    },
    Parameter {
        name: "to",
        scope: Scope::Sieve,
        kind: Kind::Number {
            min: 1,
            max: Max::Fixed(MAX_SIEVE_N + 1),
            get: |config| config.sieve.to,
            set: |config, n| config.sieve.to = n,
        },
        field: Some(FormField {
            shown: |config| config.kind == WorkloadKind::Sieve,
            ..number_field("to", Section::Sizes, |_| "last n + 1".into())
        }),
    },
    Parameter {
        name: "base",
        scope: Scope::Squares,
        kind: Kind::Number {
            min: 0,
            max: Max::Fixed(MAX_SQUARES_M - 1),
            get: |config| config.squares.base,
            set: |config, m| config.squares.base = m,
        },
        field: Some(FormField {
            shown: |config| config.kind == WorkloadKind::Squares,
            ..number_field("base", Section::Sizes, |_| "m starts here".into())
        }),
    },
    Parameter {
        name: "count",
        scope: Scope::Squares,
        kind: Kind::Number {
            min: 1,
            max: Max::Fixed(MAX_TASKS),
            get: |config| config.squares.count,
            set: |config, count| config.squares.count = count,
        },
        field: Some(FormField {
            shown: |config| config.kind == WorkloadKind::Squares,
            ..number_field("count", Section::Sizes, |_| "one task per m".into())
        }),
    },
    Parameter {
        name: "source",
        scope: Scope::Io,
        kind: Kind::Text { read: read_source, write: |config| config.io.source.id().to_string(), written: |_| true },
        field: None,
    },
    Parameter {
        name: "url",
        scope: Scope::IoSource(IoSource::Url),
        kind: Kind::Text {
            read: read_url,
            write: |config| config.io.url.clone().unwrap_or_default(),
            written: |_| true,
        },
        field: Some(FormField {
            label: "url",
            section: Section::Sizes,
            about: |_| "http(s), fetched only when you press Run".into(),
            shown: |config| config.kind.waits() && config.io.source == IoSource::Url,
            range_shown: |_| false,
            input_mode: "url",
        }),
    },
    Parameter {
        name: "tasks",
        scope: Scope::Kind(WorkloadKind::Mixed),
        kind: Kind::Number {
            min: 1,
            max: Max::Fixed(MAX_REQUESTS as u64),
            get: |config| config.tasks as u64,
            set: |config, n| config.tasks = n as u32,
        },
        field: Some(FormField {
            shown: |config| config.kind == WorkloadKind::Mixed,
            ..number_field("tasks", Section::Sizes, |_| "each one request and one sieve".into())
        }),
    },
    Parameter {
        name: "compute_n",
        scope: Scope::Kind(WorkloadKind::Mixed),
        kind: Kind::Number {
            min: 2,
            max: Max::Fixed(MAX_COMPUTE_N),
            get: |config| config.compute_n,
            set: |config, n| config.compute_n = n,
        },
        field: Some(FormField {
            shown: |config| config.kind == WorkloadKind::Mixed,
            ..number_field("compute_n", Section::Sizes, |_| "each task counts the primes up to n".into())
        }),
    },
    Parameter {
        name: "cpu_ms",
        scope: Scope::Kind(WorkloadKind::Mixed),
        kind: Kind::Text {
            read: read_cpu_ms,
            write: |config| config.cpu_ms.map_or(String::new(), |ms| ms.to_string()),
            written: |config| config.cpu_ms.is_some(),
        },
        field: Some(FormField {
            label: "cpu_ms",
            section: Section::Sizes,
            about: |_| {
                format!("or each task's compute as time, 1–{MAX_CPU_MS} ms: the sieve is calibrated to it before the run (empty: use compute_n)")
            },
            shown: |config| config.kind == WorkloadKind::Mixed && config.sweep != SweepKind::Mix,
            range_shown: |_| false,
            input_mode: "numeric",
        }),
    },
    Parameter {
        name: "order",
        scope: Scope::Kind(WorkloadKind::Mixed),
        kind: Kind::Text { read: read_order, write: |config| config.order.id().to_string(), written: |_| true },
        field: None,
    },
    Parameter {
        name: "spread",
        scope: Scope::Kind(WorkloadKind::Mixed),
        kind: Kind::Text { read: read_spread, write: |config| config.spread.id().to_string(), written: |_| true },
        field: None,
    },
    Parameter {
        name: "task_ms",
        scope: Scope::Kind(WorkloadKind::Mixed),
        kind: Kind::Text {
            read: |config, value, _cores, say| {
                config.task_ms = number("task_ms", value, 1, MAX_CPU_MS as u64, config.task_ms as u64, say) as u32
            },
            write: |config| config.task_ms.to_string(),
            written: |config| config.sweep == SweepKind::Mix,
        },
        field: Some(FormField {
            shown: |config| config.kind == WorkloadKind::Mixed && config.sweep == SweepKind::Mix,
            ..number_field("task_ms", Section::Sizes, |_| {
                format!("the crossover: each task's whole time, waiting plus computing, 1–{MAX_CPU_MS}")
            })
        }),
    },
    Parameter {
        name: "requests",
        scope: Scope::Kind(WorkloadKind::Io),
        kind: Kind::Number {
            min: 1,
            max: Max::Fixed(MAX_REQUESTS as u64),
            get: |config| config.io.requests as u64,
            set: |config, n| config.io.requests = n as u32,
        },
        field: Some(FormField {
            shown: |config| config.kind == WorkloadKind::Io,
            ..number_field("requests", Section::Sizes, |_| "requests per run".into())
        }),
    },
    Parameter {
        name: "latency_ms",
        scope: Scope::Io,
        kind: Kind::Number {
            min: 0,
            max: Max::Fixed(MAX_LATENCY_MS as u64),
            get: |config| config.io.latency_ms as u64,
            set: |config, ms| config.io.latency_ms = ms as u32,
        },
        field: Some(FormField {
            shown: |config| config.kind.waits() && config.io.source == IoSource::Sim,
            ..number_field("latency_ms", Section::Sizes, |_| "the delay of each answer".into())
        }),
    },
    Parameter {
        name: "latency_spread",
        scope: Scope::IoSource(IoSource::Sim),
        kind: Kind::Text {
            read: read_latency_spread,
            write: |config| config.io.latency_spread.id().to_string(),
            written: |config| config.io.latency_spread != LatencySpread::Fixed,
        },
        field: None,
    },
    Parameter {
        name: "fail_rate",
        scope: Scope::IoSource(IoSource::Sim),
        kind: Kind::Text {
            read: read_fail_rate,
            write: |config| fraction_of_thousandths(config.io.fail_permille),
            written: |config| config.io.fail_permille > 0,
        },
        field: Some(FormField {
            label: "fail_rate",
            section: Section::Sizes,
            about: |_| "the share of requests answered with HTTP 503, 0 to 1 (0.1 or 10%)".into(),
            shown: |config| config.kind.waits() && config.io.source == IoSource::Sim,
            range_shown: |_| false,
            input_mode: "decimal",
        }),
    },
    Parameter {
        name: "seed",
        scope: Scope::Io,
        kind: Kind::Text {
            read: |config, value, _cores, say| {
                config.io.seed = number("seed", value, 0, u32::MAX as u64, config.io.seed, say)
            },
            write: |config| config.io.seed.to_string(),
            written: Config::draws_from_seed,
        },
        field: Some(FormField {
            shown: Config::draws_from_seed,
            range_shown: |_| false,
            ..number_field("seed", Section::Sizes, |_| "the same seed, the same tasks and answers".into())
        }),
    },
    Parameter {
        name: "bytes",
        scope: Scope::Io,
        kind: Kind::Number {
            min: 0,
            max: Max::Fixed(MAX_RESPONSE_BYTES as u64),
            get: |config| config.io.bytes as u64,
            set: |config, bytes| config.io.bytes = bytes as u32,
        },
        field: Some(FormField {
            shown: |config| config.kind.waits() && config.io.source != IoSource::Url,
            range_shown: |config| config.io.source != IoSource::Static,
            ..number_field("bytes", Section::Sizes, |config| match config.io.source {
                IoSource::Static => {
                    let sizes: Vec<String> = STATIC_FILES.iter().map(|(size, _)| size.to_string()).collect();
                    format!("one of the shipped files: {}", sizes.join(", "))
                }
                _ => "per response".into(),
            })
        }),
    },
    Parameter {
        name: "timeout_ms",
        scope: Scope::Io,
        kind: Kind::Number {
            min: MIN_TIMEOUT_MS as u64,
            max: Max::Fixed(MAX_TIMEOUT_MS as u64),
            get: |config| config.io.timeout_ms as u64,
            set: |config, ms| config.io.timeout_ms = ms as u32,
        },
        field: Some(FormField {
            shown: shown_for_io,
            ..number_field("timeout_ms", Section::Sizes, |_| "per request".into())
        }),
    },
    Parameter {
        name: "models",
        scope: Scope::Every,
        kind: Kind::Text {
            read: read_models,
            write: |config| config.models().iter().map(|item| item.key()).collect::<Vec<_>>().join(","),
            written: |_| true,
        },
        field: None,
    },
    Parameter {
        name: "ref",
        scope: Scope::Every,
        kind: Kind::Text {
            read: read_reference,
            write: |config| {
                let entries: Vec<String> =
                    config.reference_ms.iter().map(|(key, ms)| format!("{key}:{}", *ms as f64 / 1000.0)).collect();
                entries.join(",")
            },
            written: |config| !config.reference_ms.is_empty(),
        },
        field: None,
    },
    Parameter {
        name: "threads",
        scope: Scope::Every,
        kind: Kind::Number {
            min: 1,
            max: Max::Threads,
            get: |config| config.threads as u64,
            set: |config, threads| config.threads = threads as u32,
        },
        // A slider (the form's own widget): its range is the cores.
        field: None,
    },
    Parameter {
        name: "concurrency",
        scope: Scope::Io,
        kind: Kind::Number {
            min: 1,
            max: Max::Fixed(MAX_CONCURRENCY as u64),
            get: |config| config.concurrency as u64,
            set: |config, k| config.concurrency = k as u32,
        },
        field: Some(FormField {
            shown: shown_for_io,
            ..number_field("concurrency", Section::Runs, |_| "k in flight for bounded, threads for threads".into())
        }),
    },
    Parameter {
        name: "repeat",
        scope: Scope::Every,
        kind: Kind::Number {
            min: 1,
            max: Max::Fixed(MAX_REPEAT as u64),
            get: |config| config.repeat as u64,
            set: |config, runs| config.repeat = runs as u32,
        },
        field: Some(number_field("repeat", Section::Runs, |_| "measured runs".into())),
    },
    Parameter {
        name: "warmup",
        scope: Scope::Every,
        kind: Kind::Number {
            min: 0,
            max: Max::Fixed(MAX_WARMUP as u64),
            get: |config| config.warmup as u64,
            set: |config, runs| config.warmup = runs as u32,
        },
        field: Some(number_field("warm-up", Section::Runs, |_| "unmeasured runs first".into())),
    },
    Parameter {
        name: "switch_ms",
        scope: Scope::UnderGil,
        // Written only when not CPython's default, as `chunksize` only when
        // not `auto`: a link names what differs from the post.
        kind: Kind::Text {
            read: |config, value, _cores, say| {
                config.switch_ms =
                    number("switch_ms", value, 1, MAX_SWITCH_MS as u64, config.switch_ms as u64, say) as u32
            },
            write: |config| config.switch_ms.to_string(),
            written: |config| config.switch_ms != DEFAULT_SWITCH_MS,
        },
        field: Some(FormField {
            shown: |config| Scope::UnderGil.includes(config),
            range_shown: |_| false,
            ..number_field("switch_ms", Section::Runs, |_| {
                format!("gil: the switch interval, 1–{MAX_SWITCH_MS} (CPython: {DEFAULT_SWITCH_MS})")
            })
        }),
    },
    Parameter {
        name: "chunksize",
        scope: Scope::Uses(&[Model::Cpu(CpuModel::Workers)]),
        kind: Kind::Text {
            read: read_chunksize,
            write: |config| config.chunksize.map_or("auto".to_string(), |size| size.to_string()),
            written: |config| config.chunksize.is_some(),
        },
        field: Some(FormField {
            label: "chunksize",
            section: Section::Runs,
            about: |_| "workers: tasks per message, or auto (Pool.map's rule)".into(),
            shown: |config| Scope::Uses(&[Model::Cpu(CpuModel::Workers)]).includes(config),
            range_shown: |_| false,
            input_mode: "text",
        }),
    },
    Parameter {
        name: "sweep",
        scope: Scope::Every,
        kind: Kind::Text {
            read: read_sweep,
            write: |config| config.sweep.id().to_string(),
            written: |config| config.sweep.applies_to(config.kind),
        },
        field: None,
    },
    Parameter {
        name: "t",
        scope: Scope::Every,
        kind: Kind::Text {
            read: read_replay_at,
            write: |config| config.replay.at_us.map_or(String::new(), |us| format!("{}", us as f64 / 1000.0)),
            written: |config| config.replay.at_us.is_some(),
        },
        field: None,
    },
    Parameter {
        name: "play",
        scope: Scope::Every,
        kind: Kind::Flag {
            off_means: "the replay waits for Play",
            get: |config| config.replay.play,
            set: |config, on| config.replay.play = on,
        },
        field: None,
    },
    Parameter {
        name: "speed",
        scope: Scope::Every,
        kind: Kind::Text {
            read: read_replay_speed,
            write: |config| config.replay.speed.id().to_string(),
            written: |config| config.replay.speed != ReplaySpeed::Tenth,
        },
        field: None,
    },
    Parameter {
        name: "autorun",
        scope: Scope::Every,
        kind: Kind::Flag {
            off_means: "not starting on load",
            get: |config| config.autorun,
            set: |config, on| config.autorun = on,
        },
        field: None,
    },
    Parameter {
        name: "embed",
        scope: Scope::Every,
        kind: Kind::Flag {
            off_means: "showing the full page",
            get: |config| config.embed,
            set: |config, on| config.embed = on,
        },
        field: None,
    },
    Parameter {
        name: "charts_only",
        scope: Scope::Every,
        kind: Kind::Flag {
            off_means: "showing the form",
            get: |config| config.charts_only,
            set: |config, on| config.charts_only = on,
        },
        field: None,
    },
    Parameter {
        name: "fault",
        scope: Scope::Every,
        kind: Kind::Text {
            read: read_fault,
            write: |config| config.fault.map_or(String::new(), |fault| fault.id().to_string()),
            written: |config| config.fault.is_some(),
        },
        field: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_number_has_a_range() {
        let mut names: Vec<&str> = known_keys().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PARAMETERS.len());
        for parameter in &PARAMETERS {
            if let Kind::Number { min, .. } = parameter.kind {
                assert!(parameter.max(2).is_some_and(|max| max >= min), "{}", parameter.name);
            }
        }
    }

    #[test]
    fn every_default_reads_back_as_itself() {
        let defaults = Config::defaults(2);
        for parameter in &PARAMETERS {
            let mut config = defaults.clone();
            let mut messages = Vec::new();
            parameter.read(&mut config, &parameter.form_value(&defaults), 2, &mut |field: &str, text| {
                messages.push((field.to_string(), text))
            });
            assert_eq!((config, messages), (defaults.clone(), vec![]), "{}", parameter.name);
        }
    }

    #[test]
    fn hints_carry_the_range() {
        let config = Config::defaults(2);
        assert_eq!(parameter("repeat").unwrap().hint(&config, 2), format!("measured runs, 1–{MAX_REPEAT}"));
        assert_eq!(parameter("threads").unwrap().max(6), Some(6));
    }
}
