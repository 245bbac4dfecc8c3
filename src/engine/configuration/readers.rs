//! Reading one URL parameter's value into a [`Config`]: a reader per
//! parameter that is more than a number or a flag, and the readers of
//! numbers, flags, model lists and URLs they share. Each writes a safe value
//! and says what it replaced; none fails. Which parameter uses which reader
//! is the table's ([`super::parameters::PARAMETERS`]).

use super::config::{max_threads, Config, ReplaySpeed, SweepKind, WorkloadKind};
use super::limits::*;
use super::numbers::thousands;
use super::query::shorten;
use crate::engine::cpu::fault::Fault;
use crate::engine::cpu::model::CpuModel;
use crate::engine::experiments::{Experiment, EXPERIMENTS};
use crate::engine::io::model::IoModel;
use crate::engine::io::workload::{IoSource, LatencySpread};
use crate::engine::mixed::{Order, Spread};
use crate::engine::model::{Item, KMeans, Model};

/// Where a message about a value goes: the parameter's name, and the text.
pub type Say<'a> = dyn FnMut(&str, String) + 'a;

pub(super) fn read_workload(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    match WorkloadKind::from_id(value) {
        Some(kind) => {
            // Runs per model follow the workload unless `repeat`/`warmup`
            // (read later, in the table's order) say otherwise.
            config.kind = kind;
            (config.repeat, config.warmup) = kind.default_repeat_and_warmup();
            // Mixed tasks compute as well as wait: a GIL matters there, so
            // `gil` runs unless `models` (read later) says otherwise.
            if kind == WorkloadKind::Mixed {
                config.io_models = IoModel::ALL.map(Item::plain).to_vec();
            }
        }
        None => say(
            "workload",
            format!("Unknown workload “{}”: use sieve, squares, io or mixed. Running the sieve.", shorten(value)),
        ),
    }
}

/// One of a few public ids: the choice, or `None` after saying which ids
/// there are and what is used instead (`fallback`, the default).
fn one_of<T: Copy>(field: &str, value: &str, all: &[T], id: fn(T) -> &'static str, say: &mut Say) -> Option<T> {
    let found = all.iter().copied().find(|choice| id(*choice) == value.trim());
    if found.is_none() {
        let ids: Vec<&str> = all.iter().map(|choice| id(*choice)).collect();
        let (last, rest) = ids.split_last().expect("a choice has ids");
        say(
            field,
            format!("Unknown {field} “{}”: use {} or {last}. Using {}.", shorten(value), rest.join(", "), ids[0]),
        );
    }
    found
}

pub(super) fn read_order(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    config.order = one_of("order", value, &Order::ALL, Order::id, say).unwrap_or(Order::ALL[0]);
}

pub(super) fn read_spread(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    config.spread = one_of("spread", value, &Spread::ALL, Spread::id, say).unwrap_or(Spread::ALL[0]);
}

pub(super) fn read_source(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    config.io.source = one_of("source", value, &IoSource::ALL, IoSource::id, say).unwrap_or(IoSource::ALL[0]);
}

pub(super) fn read_latency_spread(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    config.io.latency_spread =
        one_of("latency_spread", value, &LatencySpread::ALL, LatencySpread::id, say).unwrap_or(LatencySpread::ALL[0]);
}

/// `1` (or `threads`) for the thread sweep, `mix` for the crossover sweep,
/// `0` for none.
pub(super) fn read_sweep(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    config.sweep = match value.trim() {
        "1" | "true" | "threads" => SweepKind::Threads,
        "mix" => SweepKind::Mix,
        "0" | "false" | "" => SweepKind::Off,
        other => {
            say(
                "sweep",
                format!(
                    "sweep takes 1 (threads, for the sieve and squares), mix (mixed tasks) or 0, not “{}”; no sweep.",
                    shorten(other)
                ),
            );
            SweepKind::Off
        }
    };
}

/// A share of requests as a fraction (`0.05`) or a percentage (`5%`),
/// kept in thousandths, from 0 to 1.
pub(super) fn read_fail_rate(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    let written = value.trim();
    let (number, scale) = match written.strip_suffix('%') {
        Some(percent) => (percent.trim(), 10.0),
        None => (written, 1000.0),
    };
    match number.parse::<f64>().ok().filter(|n| n.is_finite()) {
        Some(share) => {
            let permille = (share * scale).round();
            if !(0.0..=1000.0).contains(&permille) {
                say(
                    "fail_rate",
                    format!(
                        "fail_rate is a share from 0 to 1 (or 0% to 100%), not “{}”; using {}.",
                        shorten(written),
                        if permille < 0.0 { "0" } else { "1" }
                    ),
                );
            }
            config.io.fail_permille = permille.clamp(0.0, 1000.0) as u32;
        }
        None if written.is_empty() => config.io.fail_permille = 0,
        None => {
            say(
                "fail_rate",
                format!("fail_rate is a share from 0 to 1 (or 0% to 100%), not “{}”; using 0.", shorten(written)),
            );
            config.io.fail_permille = 0;
        }
    }
}

/// `t=`: a moment of the run in ms (decimals allowed), from 0 to an hour.
pub(super) fn read_replay_at(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    let written = value.trim();
    config.replay.at_us = match written.parse::<f64>() {
        _ if written.is_empty() => None,
        Ok(ms) if ms.is_finite() && (0.0..=MAX_REPLAY_AT_MS).contains(&ms) => Some((ms * 1000.0).round() as u64),
        _ => {
            say(
                "t",
                format!(
                    "t is a moment of the run in ms, 0 to {MAX_REPLAY_AT_MS}, not “{}”; opening at the start.",
                    shorten(written)
                ),
            );
            None
        }
    };
}

/// `speed=`: a fraction of real time (`0.1`, or `1/10`), the nearest of
/// the speeds the replay offers.
pub(super) fn read_replay_speed(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    let written = value.trim();
    let fraction = match written.split_once('/') {
        Some((top, bottom)) => {
            top.trim().parse::<f64>().ok().zip(bottom.trim().parse::<f64>().ok()).map(|(t, b)| t / b)
        }
        None => written.parse::<f64>().ok(),
    };
    let ids: Vec<&str> = ReplaySpeed::ALL.iter().map(|speed| speed.id()).collect();
    match fraction.filter(|f| f.is_finite() && *f > 0.0) {
        Some(fraction) => {
            let speed = ReplaySpeed::nearest(fraction);
            if (speed.fraction() - fraction).abs() > 1e-9 {
                say(
                    "speed",
                    format!(
                        "The replay plays at {}; “{}” is nearest {}.",
                        ids.join(", "),
                        shorten(written),
                        speed.id()
                    ),
                );
            }
            config.replay.speed = speed;
        }
        None => {
            say(
                "speed",
                format!(
                    "speed is a fraction of real time, one of {}, not “{}”; using 0.1.",
                    ids.join(", "),
                    shorten(written)
                ),
            );
            config.replay.speed = ReplaySpeed::Tenth;
        }
    }
}

/// A compute step as time (ms): empty or `0` for none (then `compute_n` sets it).
pub(super) fn read_cpu_ms(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    let written = value.trim();
    config.cpu_ms = match written {
        "" | "0" => None,
        _ => Some(number("cpu_ms", written, 1, MAX_CPU_MS as u64, config.cpu_ms.unwrap_or(1) as u64, say) as u32),
    };
}

pub(super) fn read_url(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    let in_use = config.kind.waits() && config.io.source == IoSource::Url;
    config.io.url = checked_url(value, in_use, say);
}

pub(super) fn read_models(config: &mut Config, value: &str, cores: u32, say: &mut Say) {
    let cpu_ids: Vec<&str> = CpuModel::ALL.iter().map(|m| m.id().as_str()).collect();
    let io_ids: Vec<&str> = IoModel::ALL.iter().map(|m| m.id().as_str()).collect();
    match config.kind {
        WorkloadKind::Io | WorkloadKind::Mixed => {
            config.io_models =
                model_list(value, &IoModel::ALL, |m| m.id().as_str(), Model::Io, "IO", &cpu_ids, cores, say)
        }
        WorkloadKind::Sieve | WorkloadKind::Squares => {
            config.cpu_models =
                model_list(value, &CpuModel::ALL, |m| m.id().as_str(), Model::Cpu, "CPU", &io_ids, cores, say)
        }
    }
}

pub(super) fn read_experiment(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    match Experiment::find(value.trim()) {
        Some(experiment) => config.experiment = Some(experiment.id),
        None if value.trim().is_empty() => config.experiment = None,
        None => {
            let ids: Vec<&str> = EXPERIMENTS.iter().map(|e| e.id).collect();
            say(
                "experiment",
                format!(
                    "Unknown experiment “{}”: the posts' are {}. Running the link's own settings.",
                    shorten(value),
                    ids.join(", ")
                ),
            );
        }
    }
}

/// `key:seconds,…`: a tutorial author's own Python timings, one per model
/// key of this run (read after `models`, so the keys can be checked).
pub(super) fn read_reference(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    let keys: Vec<String> = config.models().iter().map(|item| item.key()).collect();
    let mut entries: Vec<(String, u64)> = Vec::new();
    for written in value.split(',').map(str::trim).filter(|entry| !entry.is_empty()) {
        let Some((key, seconds)) = written.split_once(':') else {
            say("ref", format!("“{}” is not key:seconds (for example seq:16.3); skipped.", shorten(written)));
            continue;
        };
        let key = key.trim();
        let seconds = seconds.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s > 0.0 && *s <= MAX_REFERENCE_S);
        match (keys.iter().any(|k| k == key), seconds) {
            (_, None) => say(
                "ref",
                format!(
                    "In “{}”, the time must be seconds above 0 and at most {MAX_REFERENCE_S}; skipped.",
                    shorten(written)
                ),
            ),
            (false, _) => {
                say("ref", format!("“{}” is not a model of this run ({}); skipped.", shorten(key), keys.join(", ")))
            }
            (true, _) if entries.iter().any(|(k, _)| k == key) => {
                say("ref", format!("“{key}” is given twice in ref; the first counts."))
            }
            (true, Some(seconds)) => entries.push((key.to_string(), (seconds * 1000.0).round() as u64)),
        }
    }
    config.reference_ms = entries;
}

/// `auto` (Pool.map's own rule) or a number of tasks per message.
pub(super) fn read_chunksize(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    let value = value.trim();
    if value.is_empty() || value == "auto" {
        config.chunksize = None;
        return;
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        let current = config.chunksize.map_or("auto".to_string(), |size| size.to_string());
        say(
            "chunksize",
            format!(
                "“chunksize” takes auto or a whole number from 1 to {MAX_TASKS}, not “{}”; using {current}.",
                shorten(value)
            ),
        );
        return;
    }
    config.chunksize = Some(number("chunksize", value, 1, MAX_TASKS, 1, say) as u32);
}

pub(super) fn read_fault(config: &mut Config, value: &str, _cores: u32, say: &mut Say) {
    match (value, Fault::from_id(value)) {
        (_, Some(fault)) => config.fault = Some(fault),
        ("", None) => config.fault = None,
        (other, None) => say("fault", format!("fault takes panic or oom (for tests), not “{}”; none.", shorten(other))),
    }
}

pub(super) fn number(field: &str, value: &str, min: u64, max: u64, current: u64, say: &mut Say) -> u64 {
    let (min_text, max_text, current_text) = (thousands(min), thousands(max), thousands(current));
    let trimmed = value.trim();
    if trimmed.is_empty() {
        say(field, format!("“{field}” is empty; using {current_text}."));
        return current;
    }
    if !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        say(
            field,
            format!(
                "“{field}” must be a whole number from {min_text} to {max_text}, not “{}”; using {current_text}.",
                shorten(trimmed)
            ),
        );
        return current;
    }
    match trimmed.parse::<u64>() {
        Ok(n) if n < min => {
            say(field, format!("“{field}” must be at least {min_text}; using {min_text}."));
            min
        }
        Ok(n) if n > max => {
            say(field, format!("“{field}” may be at most {max_text}; using {max_text}."));
            max
        }
        Ok(n) => n,
        Err(_) => {
            say(field, format!("“{field}” is far too large (at most {max_text}); using {max_text}."));
            max
        }
    }
}

/// A 1/0 switch; anything else is off, with a message saying so.
pub(super) fn flag(field: &str, value: &str, off_means: &str, say: &mut Say) -> bool {
    match value {
        "1" | "true" => true,
        "0" | "false" | "" => false,
        other => {
            say(field, format!("{field} takes 1 or 0, not “{}”; {off_means}.", shorten(other)));
            false
        }
    }
}

/// Reads a comma list of model items of one family, each `id` or `id@k`
/// (`threads@100`: that model with its own k). Unknown ids, repeated
/// items and a k a model does not take are skipped or dropped with a
/// message; none at all means every model.
#[allow(clippy::too_many_arguments)]
fn model_list<M: Copy + PartialEq>(
    value: &str,
    all: &[M],
    id: fn(M) -> &'static str,
    either: fn(M) -> Model,
    family: &str,
    other_family: &[&str],
    cores: u32,
    say: &mut Say,
) -> Vec<Item<M>> {
    let mut chosen: Vec<Item<M>> = Vec::new();
    let known: Vec<&str> = all.iter().map(|&m| id(m)).collect();
    for written in value.split(',').map(str::trim).filter(|written| !written.is_empty()) {
        let (name, k_text) = match written.split_once('@') {
            Some((name, k)) => (name.trim(), Some(k.trim())),
            None => (written, None),
        };
        let Some(model) = all.iter().copied().find(|&m| id(m) == name) else {
            match other_family.contains(&name) {
                true => say(
                    "models",
                    format!(
                        "“{name}” is not a model of this workload, skipped. {family} models: {}.",
                        known.join(", ")
                    ),
                ),
                false => say(
                    "models",
                    format!("Unknown model “{}”, skipped. {family} models: {}.", shorten(name), known.join(", ")),
                ),
            }
            continue;
        };
        let k = k_text.and_then(|k_text| item_k(name, k_text, either(model), cores, say));
        let item = Item { model, k };
        if chosen.contains(&item) {
            say("models", format!("“{}” is listed twice; it runs once.", shorten(written)));
        } else {
            chosen.push(item);
        }
    }
    if chosen.is_empty() {
        say("models", "No known model was chosen; running all of them.".to_string());
        chosen = all.iter().map(|&model| Item::plain(model)).collect();
    }
    chosen
}

/// The k of an item `name@k_text`, within what that k means for its model;
/// `None` (with a message) when the model takes none or it is not a number.
fn item_k(name: &str, k_text: &str, model: Model, cores: u32, say: &mut Say) -> Option<u32> {
    let (max, what) = match model.k_means() {
        Some(KMeans::Threads) => (max_threads(cores), "threads or worker instances"),
        Some(KMeans::Instances) => (MAX_THREADS, "worker instances"),
        Some(KMeans::Concurrency) => (MAX_CONCURRENCY, "requests or threads at once"),
        None => {
            say("models", format!("{name} takes no k, so “{name}@{}” runs as {name}.", shorten(k_text)));
            return None;
        }
    };
    let mut message = None;
    let k = number("models", k_text, 1, max as u64, 1, &mut |_: &str, text: String| message = Some(text));
    match message {
        // Not a number at all: the item runs with the shared setting.
        Some(_) if !k_text.bytes().all(|b| b.is_ascii_digit()) || k_text.is_empty() => {
            say("models", format!("In “{name}@{}”, k must be a whole number of {what} (1 to {max}); running {name} with the shared setting.", shorten(k_text)));
            None
        }
        Some(_) => {
            say("models", format!("In “{name}@{k_text}”, k may be 1 to {max} {what}; using {name}@{k}."));
            Some(k as u32)
        }
        None => Some(k as u32),
    }
}

/// A user's URL, if it is one the page may fetch: http or https, with a
/// host, no credentials, no spaces or control characters, not too long.
/// Anything else is refused with the reason (when the URL is in use) and
/// `None` is kept. The browser's own URL parser has the last word when the
/// request is made.
fn checked_url(value: &str, in_use: bool, say: &mut Say) -> Option<String> {
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
            None
        }
        None => (!url.is_empty()).then(|| url.to_string()),
    }
}
