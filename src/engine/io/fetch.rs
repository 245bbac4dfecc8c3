//! What an IO model asks of the network, as traits: an async fetch (the
//! page and worker instances: `fetch()`) and a blocking one (worker threads:
//! synchronous XMLHttpRequest). The browser layer implements them; tests use
//! fakes that count how many requests are in flight.
//!
//! It stops at one request's outcome: status, bytes, and why it failed.

use serde::{Deserialize, Serialize};

/// Why a request failed. Public: `error` of a request in results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchErrorKind {
    /// The server answered with a status outside 200-299.
    Http,
    /// No readable response: refused, unreachable, DNS, a network error, or
    /// a CORS refusal that could not be told apart (see `explanation`).
    Network,
    /// The server answered but did not allow this page to read it (CORS).
    Cors,
    /// No answer within the workload's `timeout_ms`.
    Timeout,
    /// Stop aborted the request.
    Cancelled,
}

impl FetchErrorKind {
    pub const ALL: [FetchErrorKind; 5] = [Self::Http, Self::Network, Self::Cors, Self::Timeout, Self::Cancelled];

    pub fn id(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Network => "network",
            Self::Cors => "cors",
            Self::Timeout => "timeout",
            Self::Cancelled => "cancelled",
        }
    }

    /// What it means for the user, and what to try.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Http => "The server answered with an error status (for example 404: the URL does not exist there).",
            // A page cannot tell these causes apart: the Fetch standard gives
            // it one TypeError for all of them.
            Self::Network => "No readable response: the host refused or could not be reached, or it answered without allowing this page to read it (CORS). Browsers do not tell a page which; the browser console (F12) names the cause.",
            Self::Cors => "The server answered, but its response does not carry Access-Control-Allow-Origin for this page, so the browser refused to let the page read it (CORS). Only a server that allows cross-origin reads can be measured from here.",
            Self::Timeout => "No answer within timeout_ms; the request was aborted. Raise timeout_ms or lower the latency.",
            Self::Cancelled => "Stop aborted the request while it was in flight.",
        }
    }

    fn code(self) -> u32 {
        self as u32 + 1
    }

    fn from_code(code: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

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

    /// The error kind packed in a u32 for lock-free slots (0 = none).
    pub(crate) fn error_code(&self) -> u32 {
        self.error.map_or(0, FetchErrorKind::code)
    }

    pub(crate) fn error_from_code(code: u32) -> Option<FetchErrorKind> {
        FetchErrorKind::from_code(code)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_decides_success_and_codes_round_trip() {
        assert_eq!(FetchOutcome::ok(200, 5).error, None);
        assert_eq!(FetchOutcome::ok(404, 9).error, Some(FetchErrorKind::Http));
        for kind in FetchErrorKind::ALL {
            let outcome = FetchOutcome::failed(kind, "x");
            assert_eq!(FetchOutcome::error_from_code(outcome.error_code()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.id()));
        }
        assert_eq!(FetchOutcome::error_from_code(0), None);
    }
}
