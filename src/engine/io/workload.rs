//! The IO workload of the posts: N HTTP requests of about L ms each, as a
//! list of URLs, and the bytes every model must receive in total.
//!
//! Three sources: `sim`, the service worker's deterministic latency source
//! (`www/sw.js`); `static`, real files shipped in `www/io-static/` and served
//! by the site's own server; `url`, any http(s) URL the user enters. How the
//! requests are spread over futures, threads and workers is the models'
//! business ([`super::run`]); limits live in [`crate::engine::configuration::limits`].

use crate::engine::seeded::{unit, Stream};
use serde::{Deserialize, Serialize};

/// Where the requests go. The ids are public (`source=` in the URL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IoSource {
    /// The service worker answers after `latency_ms` with `bytes` bytes.
    Sim,
    /// Real files from this site's own server, one of [`STATIC_FILES`].
    Static,
    /// A URL the user entered, fetched as given.
    Url,
}

impl IoSource {
    pub const ALL: [IoSource; 3] = [Self::Sim, Self::Static, Self::Url];

    pub fn id(self) -> &'static str {
        match self {
            Self::Sim => "sim",
            Self::Static => "static",
            Self::Url => "url",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|source| source.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Sim => "Simulated latency (service worker)",
            Self::Static => "Static files from this site",
            Self::Url => "A URL of your choice",
        }
    }

    /// What the source is, and what it shows, in a sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Sim => "A service worker in this page answers every request after exactly latency_ms with bytes bytes: no network, so the comparison is deterministic and works offline. Responses made by the service worker skip the browser's per-host connection limit.",
            Self::Static => "Real files shipped with the playground, fetched from the server that serves this page. The latency is the server's own; over HTTP/1.1 the browser opens at most 6 connections per host, so more than 6 requests queue, and the timeline shows it.",
            Self::Url => "Any http(s) URL, fetched as given (the post used httpbin.org/ip). Another site must allow this page to read it (CORS); refusals, network errors and timeouts are counted per request.",
        }
    }
}

/// The static files in `www/io-static/`: (size in bytes, file name). A
/// native test checks each file's size, so the expected checksum is exact.
pub const STATIC_FILES: [(u32, &str); 3] =
    [(2_048, "payload-2k.txt"), (16_384, "payload-16k.txt"), (131_072, "payload-128k.txt")];

/// The latency source's longest delay, drawn or not (`www/sw.js` holds
/// every request to it as well).
pub const MAX_LATENCY_MS: u32 = 10_000;

/// The path of the service worker's latency source, relative to the page's
/// directory (the service worker's scope).
pub const SIM_PATH: &str = "io-sim/delay";

/// The directory of the static files, relative to the page's directory.
pub const STATIC_DIR: &str = "io-static/";

/// How each answer's delay varies around `latency_ms` (the `sim` source).
/// The ids are public (`latency_spread=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LatencySpread {
    /// Every answer after exactly `latency_ms`.
    #[default]
    Fixed,
    /// Log-normal around `latency_ms` (its median), seeded: most answers
    /// near it, one in a hundred over three times it, none over ten times.
    Random,
}

impl LatencySpread {
    pub const ALL: [LatencySpread; 2] = [Self::Fixed, Self::Random];

    pub fn id(self) -> &'static str {
        match self {
            Self::Fixed => "fixed",
            Self::Random => "random",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|spread| spread.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Fixed => "fixed: every answer after latency_ms",
            Self::Random => "random: around latency_ms, with a long tail",
        }
    }
}

/// The log-normal's sigma: the 99th percentile is e^(2.33 σ) ≈ 3.2 times the median.
const RANDOM_LATENCY_SIGMA: f64 = 0.5;
/// No drawn delay exceeds this many medians.
const RANDOM_LATENCY_CAP: f64 = 10.0;

/// The IO workload; its JSON form in results is `{"kind": "io", ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename = "io")]
pub struct IoWorkload {
    pub source: IoSource,
    /// The user's URL for `source = url`; `None` for the other sources.
    pub url: Option<String>,
    pub requests: u32,
    /// The service worker's delay per request (`sim` only).
    pub latency_ms: u32,
    /// Response size: the service worker's body (`sim`) or the file (`static`).
    pub bytes: u32,
    /// A request still unanswered after this long is aborted and counted as a timeout.
    pub timeout_ms: u32,
    /// How the delays vary (`sim` only); results before it were `fixed`.
    #[serde(default)]
    pub latency_spread: LatencySpread,
    /// The share of requests the latency source answers with HTTP 503, in
    /// thousandths (`sim` only); `fail_rate` in results, as a fraction.
    #[serde(default, rename = "fail_rate", with = "thousandths_as_fraction")]
    pub fail_permille: u32,
    /// Draws the random delays and picks the failing requests: the same
    /// seed, the same answers.
    #[serde(default)]
    pub seed: u64,
}

/// `fail_permille` as the fraction people read and write (`0.05`).
mod thousandths_as_fraction {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(permille: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(*permille as f64 / 1000.0)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        let fraction = f64::deserialize(deserializer)?;
        Ok((fraction.clamp(0.0, 1.0) * 1000.0).round() as u32)
    }
}

impl IoWorkload {
    /// The post's IO task: 100 requests of about 0.16 s, here from the
    /// deterministic source.
    pub fn default_sim() -> Self {
        Self {
            source: IoSource::Sim,
            url: None,
            requests: 100,
            latency_ms: 160,
            bytes: 2_048,
            timeout_ms: 30_000,
            latency_spread: LatencySpread::Fixed,
            fail_permille: 0,
            seed: 1,
        }
    }

    /// Request `index`'s delay at the latency source, in ms.
    pub fn latency_of(&self, index: usize) -> u32 {
        match self.latency_spread {
            LatencySpread::Fixed => self.latency_ms,
            LatencySpread::Random => {
                // Box–Muller: one standard normal draw from two uniform ones.
                let radius = (-2.0 * (1.0 - unit(self.seed, Stream::Latency, index as u64)).ln()).sqrt();
                let angle = std::f64::consts::TAU * unit(self.seed, Stream::LatencyAngle, index as u64);
                let factor = (RANDOM_LATENCY_SIGMA * radius * angle.cos()).exp().min(RANDOM_LATENCY_CAP);
                ((self.latency_ms as f64 * factor).round() as u32).min(MAX_LATENCY_MS)
            }
        }
    }

    /// Whether the latency source answers request `index` with an error.
    pub fn fails(&self, index: usize) -> bool {
        self.source == IoSource::Sim
            && self.fail_permille > 0
            && unit(self.seed, Stream::Failure, index as u64) * 1000.0 < self.fail_permille as f64
    }

    /// How many requests the latency source answers with an error.
    pub fn failing_count(&self) -> usize {
        (0..self.task_count()).filter(|&index| self.fails(index)).count()
    }

    pub fn task_count(&self) -> usize {
        self.requests as usize
    }

    /// The URL of request `index` of run `run`, absolute under `base_url`
    /// (the page's directory, ending in `/`). Workers resolve relative URLs
    /// against their own script, so every model gets absolute ones.
    ///
    /// `sim` and `static` URLs carry the run and the request index: each
    /// request is then distinct, so no HTTP cache entry or cache lock can
    /// join two requests into one (Chromium serialises concurrent
    /// cacheable GETs of one URL), and the timeline can name each one.
    pub fn request_url(&self, base_url: &str, run: u32, index: usize) -> String {
        match self.source {
            IoSource::Sim => {
                let fail = if self.fails(index) { "&fail=1" } else { "" };
                format!(
                    "{base_url}{SIM_PATH}?ms={}&bytes={}{fail}&run={run}&i={index}",
                    self.latency_of(index),
                    self.bytes
                )
            }
            IoSource::Static => format!("{base_url}{STATIC_DIR}{}?run={run}&i={index}", static_file_name(self.bytes)),
            IoSource::Url => self.url.clone().unwrap_or_default(),
        }
    }

    /// Bytes every model must receive in all: the checksum of an IO model.
    /// A failing answer has no body. Unknown (`None`) for a user's URL:
    /// its size is the server's affair.
    pub fn expected_bytes(&self) -> Option<u128> {
        match self.source {
            IoSource::Sim => Some((self.task_count() - self.failing_count()) as u128 * self.bytes as u128),
            IoSource::Static => Some(self.requests as u128 * self.bytes as u128),
            IoSource::Url => None,
        }
    }

    /// The least time any model can take: the slowest request's latency (sim only).
    pub fn ideal_ms(&self) -> Option<f64> {
        let slowest = (0..self.task_count()).map(|index| self.latency_of(index)).max().unwrap_or(0);
        (self.source == IoSource::Sim).then_some(slowest as f64)
    }

    /// The latency source's shapes in words, or nothing when there are
    /// none: "delays drawn around 100 ms with a long tail; 10 % fail".
    fn describe_shapes(&self) -> String {
        if self.source != IoSource::Sim {
            return String::new();
        }
        let mut shapes = Vec::new();
        if self.latency_spread == LatencySpread::Random {
            shapes.push(format!("delays drawn around {} ms with a long tail (seed {})", self.latency_ms, self.seed));
        }
        if self.fail_permille > 0 {
            shapes.push(format!(
                "{} of {} answered with HTTP 503 ({} requested, seed {})",
                self.failing_count(),
                self.task_count(),
                percent_of_thousandths(self.fail_permille),
                self.seed
            ));
        }
        match shapes.is_empty() {
            true => String::new(),
            false => format!("; {}", shapes.join("; ")),
        }
    }

    /// One request, in words: who answers it and with what (a mixed
    /// task's request).
    pub fn describe_request(&self) -> String {
        match self.source {
            IoSource::Sim => format!(
                "answered by the service worker after {} ms with {} bytes{}",
                self.latency_ms,
                self.bytes,
                self.describe_shapes()
            ),
            IoSource::Static => format!(
                "for the static file {STATIC_DIR}{} ({} bytes) from this site's server",
                static_file_name(self.bytes),
                self.bytes
            ),
            IoSource::Url => format!("for {}", self.url.as_deref().unwrap_or("(no URL)")),
        }
    }

    pub fn describe(&self) -> String {
        match self.source {
            IoSource::Sim => format!(
                "{} requests, each answered by the service worker after {} ms with {} bytes{}",
                self.requests,
                self.latency_ms,
                self.bytes,
                self.describe_shapes()
            ),
            IoSource::Static => format!(
                "{} requests for the static file {}{} ({} bytes) from this site's server",
                self.requests,
                STATIC_DIR,
                static_file_name(self.bytes),
                self.bytes
            ),
            IoSource::Url => {
                format!("{} requests for {}", self.requests, self.url.as_deref().unwrap_or("(no URL)"))
            }
        }
    }
}

/// Thousandths as a percentage in words: 50 is "5 %", 5 is "0.5 %".
pub fn percent_of_thousandths(permille: u32) -> String {
    match permille % 10 {
        0 => format!("{} %", permille / 10),
        tenth => format!("{}.{tenth} %", permille / 10),
    }
}

/// The static file of exactly `bytes` bytes (the parser only accepts sizes
/// from [`STATIC_FILES`]); the smallest if there is none.
pub fn static_file_name(bytes: u32) -> &'static str {
    STATIC_FILES.iter().find(|(size, _)| *size == bytes).unwrap_or(&STATIC_FILES[0]).1
}

/// The shipped size nearest to `bytes`.
pub fn nearest_static_size(bytes: u32) -> u32 {
    STATIC_FILES.iter().map(|(size, _)| *size).min_by_key(|size| size.abs_diff(bytes)).unwrap_or(STATIC_FILES[0].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sim_urls_are_distinct_and_carry_the_parameters() {
        let workload = IoWorkload::default_sim();
        let url = workload.request_url("http://h/p/", 3, 17);
        assert_eq!(url, "http://h/p/io-sim/delay?ms=160&bytes=2048&run=3&i=17");
        assert_ne!(workload.request_url("http://h/p/", 3, 18), url);
        assert_eq!(workload.expected_bytes(), Some(204_800));
    }

    #[test]
    fn static_urls_name_a_shipped_file_and_user_urls_are_kept() {
        let workload = IoWorkload { source: IoSource::Static, bytes: 16_384, ..IoWorkload::default_sim() };
        assert_eq!(workload.request_url("http://h/", 0, 1), "http://h/io-static/payload-16k.txt?run=0&i=1");
        let user = IoWorkload {
            source: IoSource::Url,
            url: Some("https://httpbin.org/ip".into()),
            ..IoWorkload::default_sim()
        };
        assert_eq!(user.request_url("http://h/", 5, 9), "https://httpbin.org/ip");
        assert_eq!(user.expected_bytes(), None);
        assert_eq!(nearest_static_size(3000), 2_048);
        assert_eq!(nearest_static_size(100_000), 131_072);
    }

    #[test]
    fn the_shipped_static_files_have_the_sizes_the_checksum_assumes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www").join("io-static");
        for (size, name) in STATIC_FILES {
            let length = std::fs::metadata(dir.join(name)).map(|m| m.len()).unwrap_or(0);
            assert_eq!(length, size as u64, "www/io-static/{name}");
        }
    }

    #[test]
    fn json_says_kind_io() {
        let json = serde_json::to_value(IoWorkload::default_sim()).unwrap();
        assert_eq!(json["kind"], "io");
        assert_eq!(json["source"], "sim");
        assert_eq!(json["latency_ms"], 160);
        assert_eq!((json["latency_spread"].as_str(), json["fail_rate"].as_f64()), (Some("fixed"), Some(0.0)));
        let shaped = IoWorkload { fail_permille: 50, ..IoWorkload::default_sim() };
        let json = serde_json::to_value(&shaped).unwrap();
        assert_eq!(json["fail_rate"].as_f64(), Some(0.05));
        assert_eq!(serde_json::from_value::<IoWorkload>(json).unwrap(), shaped);
    }

    #[test]
    fn results_written_before_the_shapes_still_read() {
        let mut json = serde_json::to_value(IoWorkload::default_sim()).unwrap();
        for field in ["latency_spread", "fail_rate", "seed"] {
            json.as_object_mut().unwrap().remove(field);
        }
        let read: IoWorkload = serde_json::from_value(json).unwrap();
        assert_eq!((read.latency_spread, read.fail_permille, read.seed), (LatencySpread::Fixed, 0, 0));
    }

    #[test]
    fn random_delays_have_a_long_tail_around_latency_ms_and_repeat_by_seed() {
        let workload = IoWorkload {
            requests: 2_000,
            latency_ms: 100,
            latency_spread: LatencySpread::Random,
            ..IoWorkload::default_sim()
        };
        let mut delays: Vec<u32> = (0..2_000).map(|i| workload.latency_of(i)).collect();
        assert_eq!(delays, (0..2_000).map(|i| workload.latency_of(i)).collect::<Vec<_>>());
        delays.sort_unstable();
        let (median, p99, most) = (delays[1_000], delays[1_980], delays[1_999]);
        assert!((90..=110).contains(&median), "median {median}");
        assert!((250..=400).contains(&p99), "99th percentile {p99}");
        assert!(most <= 1_000 && delays[0] >= 10, "{} to {most}", delays[0]);
        assert!(workload.request_url("http://h/", 0, 5).contains(&format!("ms={}&", workload.latency_of(5))));
        assert_eq!(workload.ideal_ms(), Some(most as f64));
        let other_seed = IoWorkload { seed: 2, ..workload.clone() };
        let first_fifty = |w: &IoWorkload| (0..50).map(|i| w.latency_of(i)).collect::<Vec<_>>();
        assert_ne!(first_fifty(&other_seed), first_fifty(&workload));
    }

    #[test]
    fn failures_are_the_share_asked_for_seeded_and_leave_out_their_bytes() {
        let workload = IoWorkload { requests: 1_000, fail_permille: 100, seed: 9, ..IoWorkload::default_sim() };
        let failing = workload.failing_count();
        assert!((70..=130).contains(&failing), "{failing} of 1000 at 10 %");
        assert_eq!(workload.expected_bytes(), Some((1_000 - failing) as u128 * 2_048));
        let first = (0..1_000).find(|&i| workload.fails(i)).unwrap();
        assert!(workload.request_url("http://h/", 0, first).contains("&fail=1"));
        assert_eq!(IoWorkload { seed: 9, ..workload.clone() }.failing_count(), failing);
        let static_files = IoWorkload { source: IoSource::Static, ..workload };
        assert_eq!(static_files.failing_count(), 0, "only the latency source fails on purpose");
        assert_eq!(percent_of_thousandths(50), "5 %");
        assert_eq!(percent_of_thousandths(5), "0.5 %");
    }
}
