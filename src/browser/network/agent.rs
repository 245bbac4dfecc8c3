//! Blocking requests for threads of the page's instance: the engine's
//! [`BlockingFetcher`] as a hand-off. A thread writes its request into a
//! slot of shared memory, rings a doorbell and waits on the slot
//! (`memory.atomic.wait32`); one Web Worker, the network agent
//! (network_agent.js), makes the request with `fetch(url, {cache:
//! "no-store"})` and wakes it. So the thread is blocked for the whole
//! request, as a thread in `requests.get` is, and its request obeys the same
//! rules as every other model's.
//!
//! Why not a synchronous XMLHttpRequest: it cannot be sent `no-store`, and
//! the browser's HTTP cache then lets one request for one URL out at a time
//! (Chromium; a real server's `/delay/0.16` asked 30 times took 30 × 165 ms
//! on 10 threads), or merges them into one (WebKit). The user's URL is
//! never changed to dodge that.
//!
//! Waiting happens on worker threads only: the page's thread never calls
//! [`AgentFetcher::fetch_blocking`] (`Atomics.wait` throws there).

use crate::browser::network::fetch::outcome_of_error;
use crate::browser::network::resource_timing;
use crate::browser::platform::js_error::{describe_js_error, field};
use crate::browser::platform::worker_link::{message, WorkerLink};
use crate::engine::configuration::limits::{MAX_CONCURRENCY, MAX_REQUESTS, MAX_THREADS};
use crate::engine::io::fetch::{BlockingFetcher, FetchOutcome};
use crate::engine::measurement::wire::WireTimings;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU8, Ordering::Relaxed, Ordering::SeqCst};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/browser/network/agent.js")]
extern "C" {
    #[wasm_bindgen(js_name = spawnNetworkAgent, catch)]
    fn spawn_network_agent() -> Result<web_sys::Worker, JsValue>;
}

// A slot's states (mirrored in network_agent.js).
const FREE: i32 = 0;
/// A thread has taken the slot and is writing its request.
const CLAIMED: i32 = 1;
const REQUESTED: i32 = 2;
// 3, TAKEN: the agent is making the request (network_agent.js sets it).
/// The outcome is in the slot (the agent sets it; the thread reads it).
const DONE: i32 = 4;

/// Bit of `flags`: add the send time for the latency source.
const STAMP_SEND_TIME: u32 = 1;

/// Bytes kept of a failure's name and message.
const TEXT_BYTES: usize = 200;

/// One request's place in shared memory, as network_agent.js reads it: ten
/// words, then the failure's text. Every field is an atomic, so the thread
/// and the agent never race on plain memory; the state word orders them.
#[repr(C)]
struct Slot {
    state: AtomicI32,
    url_pointer: AtomicU32,
    url_length: AtomicU32,
    timeout_ms: AtomicU32,
    flags: AtomicU32,
    status: AtomicU32,
    bytes_low: AtomicU32,
    bytes_high: AtomicU32,
    failed: AtomicU32,
    text_length: AtomicU32,
    text: [AtomicU8; TEXT_BYTES],
}

impl Slot {
    const fn new() -> Self {
        Self {
            state: AtomicI32::new(FREE),
            url_pointer: AtomicU32::new(0),
            url_length: AtomicU32::new(0),
            timeout_ms: AtomicU32::new(0),
            flags: AtomicU32::new(0),
            status: AtomicU32::new(0),
            bytes_low: AtomicU32::new(0),
            bytes_high: AtomicU32::new(0),
            failed: AtomicU32::new(0),
            text_length: AtomicU32::new(0),
            text: [const { AtomicU8::new(0) }; TEXT_BYTES],
        }
    }
}

/// One slot per thread that may block at once: every IO thread, and every
/// thread of the pool.
const SLOTS: usize = (MAX_CONCURRENCY + MAX_THREADS) as usize;

static SLOT_TABLE: [Slot; SLOTS] = [const { Slot::new() }; SLOTS];
/// Bumped (and notified) for each request, so the agent wakes.
static DOORBELL: AtomicI32 = AtomicI32::new(0);

/// How long the agent may take to add a run's last entries to its timeline
/// (Firefox adds one shortly after the body has ended), in 10 ms tries.
const ENTRY_PATIENCE_TRIES: u32 = 30;

/// The blocking fetcher of a thread of the page's instance.
pub struct AgentFetcher {
    pub timeout_ms: u32,
    /// Tell the latency source when each request was sent (see network.rs).
    pub stamp_send_time: bool,
}

impl BlockingFetcher for AgentFetcher {
    fn fetch_blocking(&self, url: &str) -> FetchOutcome {
        let Some(slot) = claim() else {
            return FetchOutcome::failed(crate::engine::measurement::records::FetchErrorKind::Network, "no free slot");
        };
        slot.url_pointer.store(url.as_ptr() as u32, Relaxed);
        slot.url_length.store(url.len() as u32, Relaxed);
        slot.timeout_ms.store(self.timeout_ms, Relaxed);
        slot.flags.store(if self.stamp_send_time { STAMP_SEND_TIME } else { 0 }, Relaxed);
        slot.state.store(REQUESTED, SeqCst);
        DOORBELL.fetch_add(1, SeqCst);
        notify(&DOORBELL);
        // Blocked until the agent has the answer (`url` stays borrowed).
        // Requested, then taken by the agent, then done.
        loop {
            match slot.state.load(SeqCst) {
                DONE => break,
                state => wait(&slot.state, state),
            }
        }
        let outcome = match slot.failed.load(Relaxed) {
            0 => {
                let bytes = slot.bytes_low.load(Relaxed) as u64 | (slot.bytes_high.load(Relaxed) as u64) << 32;
                FetchOutcome::ok(slot.status.load(Relaxed) as u16, bytes)
            }
            _ => {
                let length = (slot.text_length.load(Relaxed) as usize).min(TEXT_BYTES);
                let text: Vec<u8> = slot.text[..length].iter().map(|byte| byte.load(Relaxed)).collect();
                let text = String::from_utf8_lossy(&text);
                let (name, message) = text.split_once('\n').unwrap_or((&text, ""));
                outcome_of_error(name, message)
            }
        };
        slot.state.store(FREE, SeqCst);
        outcome
    }
}

/// A free slot, now this thread's.
fn claim() -> Option<&'static Slot> {
    SLOT_TABLE.iter().find(|slot| slot.state.compare_exchange(FREE, CLAIMED, SeqCst, SeqCst).is_ok())
}

fn wait(word: &AtomicI32, expected: i32) {
    // SAFETY: the word is a live static in this instance's shared memory;
    // waiting does not touch it. Never called on the page's thread.
    unsafe { core::arch::wasm32::memory_atomic_wait32(word.as_ptr(), expected, -1) };
}

fn notify(word: &AtomicI32) {
    // SAFETY: as for `wait`; notify only wakes waiters.
    unsafe { core::arch::wasm32::memory_atomic_notify(word.as_ptr(), u32::MAX) };
}

thread_local! {
    /// The page's one agent, started when first needed.
    static AGENT: RefCell<Option<Rc<WorkerLink>>> = const { RefCell::new(None) };
}

/// The page's network agent: started once, on the page's thread.
#[derive(Clone)]
pub struct NetworkAgent {
    link: Rc<WorkerLink>,
}

impl NetworkAgent {
    pub async fn get() -> Result<Self, String> {
        if let Some(link) = AGENT.with(|agent| agent.borrow().clone()) {
            return Ok(Self { link });
        }
        let link = WorkerLink::new(spawn_network_agent().map_err(|e| describe_js_error(&e))?);
        let layout = js_sys::Object::new();
        let slot_bytes = std::mem::size_of::<Slot>();
        for (key, value) in [
            ("slots", SLOT_TABLE.as_ptr() as usize),
            ("slotBytes", slot_bytes),
            ("count", SLOTS),
            ("textBytes", TEXT_BYTES),
            ("doorbell", DOORBELL.as_ptr() as usize),
        ] {
            let _ = js_sys::Reflect::set(&layout, &key.into(), &JsValue::from(value as u32));
        }
        let init = message("init", &[("memory", &wasm_bindgen::memory()), ("layout", &layout)]);
        let ready = link.request(&init).await?;
        if field(&ready, "free").as_f64() != Some(FREE as f64) {
            return Err("the network agent does not speak this page's layout".into());
        }
        let link = Rc::new(link);
        AGENT.with(|agent| *agent.borrow_mut() = Some(link.clone()));
        Ok(Self { link })
    }

    /// A run starts: the agent forgets earlier runs' timeline entries and
    /// earlier Stops.
    pub async fn start_run(&self) -> Result<(), String> {
        let entries = JsValue::from(MAX_REQUESTS + 250);
        self.link.request(&message("start", &[("entries", &entries)])).await.map(|_| ())
    }

    /// A handle that aborts every request the agent has in flight (Stop):
    /// each fails as cancelled and wakes its thread.
    pub fn aborter(&self) -> impl Fn() + 'static {
        let worker = self.link.worker().clone();
        move || {
            let _ = worker.post_message(&message("abort", &[]));
        }
    }

    /// This run's requests as the agent's timeline saw them, once it has
    /// `expected` of them (or has waited its patience), and the protocol
    /// they went over.
    pub async fn wire_timings(&self, expected: usize) -> Result<(WireTimings, Option<String>), String> {
        let ask = message(
            "entries",
            &[("expected", &JsValue::from(expected as u32)), ("patienceTries", &JsValue::from(ENTRY_PATIENCE_TRIES))],
        );
        // Each entry: [start, request_start (0: withheld), response_end,
        // protocol, answered by a service worker, url].
        let entries = js_sys::Array::from(&field(&self.link.request(&ask).await?, "entries"));
        let (mut timings, mut protocol) = (WireTimings::default(), None);
        for entry in entries.iter() {
            let entry = js_sys::Array::from(&entry);
            let number = |at: u32| entry.get(at).as_f64().unwrap_or(0.0);
            match number(1) > 0.0 {
                true => timings.intervals.push((number(1), number(2))),
                false => timings.hidden += 1,
            }
            let next_hop = entry.get(3).as_string().unwrap_or_default();
            let from_service_worker = entry.get(4).as_bool() == Some(true);
            let url = entry.get(5).as_string().unwrap_or_default();
            protocol = protocol.or(resource_timing::protocol_of(&next_hop, &url, from_service_worker));
        }
        Ok((timings, protocol))
    }
}
