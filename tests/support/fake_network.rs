//! A network for native tests: answers the latency source's URLs after the
//! `ms=` they ask for with the `bytes=` they ask for, and counts for itself
//! how many requests are in flight, so a test can check the engine's own
//! count against an independent one.
//!
//! Hosts stand for failures: `refused.test` never answers (a network
//! error), `missing.test` answers 404 with a 9-byte body. A latency-source
//! URL with `fail=1` is answered after its delay with 503 and no body, as
//! the service worker answers it.

use concurrency_playground::engine::io::fetch::{BlockingFetcher, FetchOutcome, Fetcher};
use concurrency_playground::engine::measurement::records::FetchErrorKind;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

#[derive(Default)]
pub struct FakeNetwork {
    in_flight: AtomicU32,
    most_in_flight: AtomicU32,
    requests: AtomicU32,
}

impl FakeNetwork {
    /// The most requests that were in flight at once, by this network's count.
    pub fn most_in_flight(&self) -> u32 {
        self.most_in_flight.load(SeqCst)
    }

    pub fn requests(&self) -> u32 {
        self.requests.load(SeqCst)
    }

    fn enter(&self) {
        self.requests.fetch_add(1, SeqCst);
        let now = self.in_flight.fetch_add(1, SeqCst) + 1;
        self.most_in_flight.fetch_max(now, SeqCst);
    }

    fn leave(&self) {
        self.in_flight.fetch_sub(1, SeqCst);
    }

    fn answer(url: &str) -> (Duration, FetchOutcome) {
        let param = |name: &str| {
            url.split(['?', '&'])
                .find_map(|pair| pair.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
                .and_then(|value| value.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let latency = Duration::from_millis(param("ms"));
        if url.contains("refused.test") {
            (Duration::from_millis(1), FetchOutcome::failed(FetchErrorKind::Network, "connection refused"))
        } else if url.contains("missing.test") {
            (Duration::from_millis(1), FetchOutcome::ok(404, 9))
        } else if param("fail") == 1 {
            (latency, FetchOutcome::ok(503, 0))
        } else {
            (latency, FetchOutcome::ok(200, param("bytes")))
        }
    }
}

impl Fetcher for FakeNetwork {
    async fn fetch(&self, url: &str) -> FetchOutcome {
        self.enter();
        let (latency, outcome) = Self::answer(url);
        Sleep::new(latency).await;
        self.leave();
        outcome
    }
}

impl BlockingFetcher for FakeNetwork {
    fn fetch_blocking(&self, url: &str) -> FetchOutcome {
        self.enter();
        let (latency, outcome) = Self::answer(url);
        std::thread::sleep(latency);
        self.leave();
        outcome
    }
}

/// Whether the timer fired, and who to wake when it does.
type TimerState = Arc<Mutex<(bool, Option<Waker>)>>;

/// A timer future: a thread sleeps, then wakes whoever awaits.
struct Sleep {
    latency: Duration,
    state: Option<TimerState>,
}

impl Sleep {
    fn new(latency: Duration) -> Self {
        Self { latency, state: None }
    }
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        let latency = self.latency;
        let state = self.state.get_or_insert_with(|| {
            let state: TimerState = Arc::new(Mutex::new((false, None)));
            let timer = state.clone();
            std::thread::spawn(move || {
                std::thread::sleep(latency);
                let mut state = timer.lock().unwrap();
                state.0 = true;
                if let Some(waker) = state.1.take() {
                    waker.wake();
                }
            });
            state
        });
        let mut state = state.lock().unwrap();
        if state.0 {
            Poll::Ready(())
        } else {
            state.1 = Some(context.waker().clone());
            Poll::Pending
        }
    }
}
