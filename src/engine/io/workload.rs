//! The IO workload of the posts: N HTTP requests of about L ms each, as a
//! list of URLs, and the bytes every model must receive in total.
//!
//! Three sources: `sim`, the service worker's deterministic latency source
//! (`www/sw.js`); `static`, real files shipped in `www/io-static/` and served
//! by the site's own server; `url`, any http(s) URL the user enters. How the
//! requests are spread over futures, threads and workers is the models'
//! business ([`super::run`]); limits live in [`crate::engine::configuration::limits`].

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

/// The path of the service worker's latency source, relative to the page's
/// directory (the service worker's scope).
pub const SIM_PATH: &str = "io-sim/delay";

/// The directory of the static files, relative to the page's directory.
pub const STATIC_DIR: &str = "io-static/";

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
}

impl IoWorkload {
    /// The post's IO task: 100 requests of about 0.16 s, here from the
    /// deterministic source.
    pub fn default_sim() -> Self {
        Self { source: IoSource::Sim, url: None, requests: 100, latency_ms: 160, bytes: 2_048, timeout_ms: 30_000 }
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
                format!("{base_url}{SIM_PATH}?ms={}&bytes={}&run={run}&i={index}", self.latency_ms, self.bytes)
            }
            IoSource::Static => format!("{base_url}{STATIC_DIR}{}?run={run}&i={index}", static_file_name(self.bytes)),
            IoSource::Url => self.url.clone().unwrap_or_default(),
        }
    }

    /// Bytes every model must receive in all: the checksum of an IO model.
    /// Unknown (`None`) for a user's URL: its size is the server's affair.
    pub fn expected_bytes(&self) -> Option<u128> {
        match self.source {
            IoSource::Sim | IoSource::Static => Some(self.requests as u128 * self.bytes as u128),
            IoSource::Url => None,
        }
    }

    /// The least time any model can take: one request's latency (sim only).
    pub fn ideal_ms(&self) -> Option<f64> {
        (self.source == IoSource::Sim).then_some(self.latency_ms as f64)
    }

    /// One request, in words: who answers it and with what (a mixed
    /// task's request).
    pub fn describe_request(&self) -> String {
        match self.source {
            IoSource::Sim => {
                format!("answered by the service worker after {} ms with {} bytes", self.latency_ms, self.bytes)
            }
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
                "{} requests, each answered by the service worker after {} ms with {} bytes",
                self.requests, self.latency_ms, self.bytes
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
    }
}
