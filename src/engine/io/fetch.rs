//! What an IO model asks of the network, as traits: an async fetch (the
//! page and worker instances: `fetch()`) and a blocking one (worker threads:
//! synchronous XMLHttpRequest). The browser layer implements them; tests use
//! fakes that count how many requests are in flight.
//!
//! It stops at one request's outcome: status, bytes, and why it failed (the
//! kinds of failure are records: `measurement::records::FetchErrorKind`).

use crate::engine::measurement::records::FetchErrorKind;

/// One request's outcome, as a fetcher reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchOutcome {
    /// HTTP status; 0 when there was no response.
    pub status: u16,
    /// Body bytes received.
    pub bytes: u64,
    pub error: Option<FetchErrorKind>,
    /// The browser's message for a failure (shown once per kind).
    pub message: Option<String>,
}

impl FetchOutcome {
    pub fn ok(status: u16, bytes: u64) -> Self {
        let error = (!(200..300).contains(&status)).then_some(FetchErrorKind::Http);
        let message = error.map(|_| format!("HTTP status {status}"));
        Self { status, bytes, error, message }
    }

    pub fn failed(kind: FetchErrorKind, message: impl Into<String>) -> Self {
        Self { status: 0, bytes: 0, error: Some(kind), message: Some(message.into()) }
    }
}

/// An async fetcher: one shared client for a whole model run, as the posts
/// should have used (one `requests.Session`, one `aiohttp.ClientSession`).
#[allow(async_fn_in_trait)]
pub trait Fetcher {
    async fn fetch(&self, url: &str) -> FetchOutcome;
}

/// A blocking fetcher: the calling thread waits for the whole response.
pub trait BlockingFetcher {
    fn fetch_blocking(&self, url: &str) -> FetchOutcome;
}

/// The network where there is none: every request fails at once. A run
/// whose tasks only compute is given it, and never asks.
pub struct NoNetwork;

impl Fetcher for NoNetwork {
    async fn fetch(&self, _url: &str) -> FetchOutcome {
        FetchOutcome::failed(FetchErrorKind::Network, "no network here")
    }
}

impl BlockingFetcher for NoNetwork {
    fn fetch_blocking(&self, _url: &str) -> FetchOutcome {
        FetchOutcome::failed(FetchErrorKind::Network, "no network here")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_decides_success() {
        assert_eq!(FetchOutcome::ok(200, 5).error, None);
        assert_eq!(FetchOutcome::ok(404, 9).error, Some(FetchErrorKind::Http));
        assert_eq!(FetchOutcome::failed(FetchErrorKind::Timeout, "x").message.as_deref(), Some("x"));
    }
}
