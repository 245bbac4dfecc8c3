//! What a worker instance exports to its Web Worker script
//! (worker_instance.js): read its memory, run one CPU chunk (`workers`,
//! `executor`) or take chunks from a queue shared with the other instances
//! (`workers` where SharedArrayBuffer exists), run `gil`'s tasks under the page's token (where threads
//! cannot share memory) and take the page's answers about it, run one IO
//! share at once (`workers`) or in turn (`procs`), abort a share. Runs inside the worker instance, on its own
//! memory; JSON in, JSON out.

use crate::browser::network::fetch::PageFetcher;
use crate::browser::network::resource_timing;
use crate::browser::platform::clock::{CLOCK, MEMORY};
use crate::browser::platform::js_error::describe_js_error;
use crate::engine::cpu::gil_token::{TokenAnswer, TokenLink, TokenRequest};
use crate::engine::io::fetch::NoNetwork;
use crate::engine::io::workload::{IoSource, IoWorkload};
use crate::engine::measurement::instance_memory::InstanceMemory;
use crate::engine::measurement::run_window::Instruments;
use crate::engine::task::chunks::{nth_chunk, run_chunk, run_gil_instance, ChunkRequest};
use crate::engine::task::shares::{run_share, run_share_in_turn, ShareReply, ShareRequest};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The share in flight in this instance: what `worker_instance_abort` stops.
    static CURRENT_SHARE: RefCell<Option<(Arc<AtomicBool>, Rc<PageFetcher>)>> = const { RefCell::new(None) };
}

/// This instance's memory now, as JSON `InstanceMemory`.
#[wasm_bindgen]
pub fn worker_instance_memory() -> String {
    serde_json::to_string(&InstanceMemory::read(&MEMORY)).expect("plain numbers")
}

/// Runs a JSON `ChunkRequest` and returns a JSON `ChunkReply`. The page
/// sends chunks of CPU workloads only, whose tasks never wait: an instance
/// has no way to block in a request but a synchronous XMLHttpRequest.
#[wasm_bindgen]
pub fn worker_instance_run_chunk(request: &str) -> Result<String, JsError> {
    let request: ChunkRequest = serde_json::from_str(request)?;
    Ok(serde_json::to_string(&run_chunk(&request, &CLOCK, &MEMORY, &NoNetwork))?)
}

/// Runs chunks of a JSON `ChunkRequest` (all the run's tasks) as
/// multiprocessing.Pool's workers do: each takes the next chunk from the
/// one queue the instances share (`queue[0]`, the next chunk's index in a
/// SharedArrayBuffer the page made; the instances' memories stay their own)
/// and hands each chunk's JSON `PartReply` to `report` without waiting for
/// the page. Returns when the queue is empty (or Stop emptied it).
#[wasm_bindgen]
pub fn worker_instance_run_queue(
    request: &str,
    chunk_size: usize,
    queue: &js_sys::Int32Array,
    report: &js_sys::Function,
) -> Result<(), JsError> {
    let request: ChunkRequest = serde_json::from_str(request)?;
    let tasks = request.first_task..request.end_task;
    loop {
        let taken = js_sys::Atomics::add(queue, 0, 1).map_err(|e| JsError::new(&describe_js_error(&e)))?;
        let Some(chunk) = nth_chunk(tasks.clone(), chunk_size, taken) else { return Ok(()) };
        let part = ChunkRequest { first_task: chunk.start, end_task: chunk.end, ..request.clone() };
        let reply = serde_json::to_string(&run_chunk(&part, &CLOCK, &MEMORY, &NoNetwork))?;
        report.call1(&JsValue::NULL, &reply.into()).map_err(|e| JsError::new(&describe_js_error(&e)))?;
    }
}

/// The fetcher an instance makes its tasks' requests with.
fn fetcher_for(requests: &IoWorkload) -> Result<PageFetcher, JsError> {
    PageFetcher::new(requests.timeout_ms, requests.source == IoSource::Sim).map_err(|e| JsError::new(&e))
}

/// Runs a JSON `ShareRequest` (all its requests at once, or one after
/// another for `procs`) and resolves to a JSON `ShareReply`.
#[wasm_bindgen]
pub async fn worker_instance_run_share(request: String) -> Result<String, JsError> {
    let request: ShareRequest = serde_json::from_str(&request)?;
    let requests = request.workload.requests().ok_or_else(|| JsError::new("a share whose tasks make no requests"))?;
    let fetcher = Rc::new(fetcher_for(requests)?);
    let cancel = Arc::new(AtomicBool::new(false));
    CURRENT_SHARE.with(|current| *current.borrow_mut() = Some((cancel.clone(), fetcher.clone())));
    resource_timing::start_run();
    let instruments = Instruments::new(&CLOCK, &MEMORY, cancel);
    let reply = match request.in_turn {
        true => run_share_in_turn(request, fetcher.as_ref(), &instruments).await,
        false => run_share(request, fetcher.as_ref(), &instruments).await,
    };
    CURRENT_SHARE.with(|current| current.borrow_mut().take());
    let reply = ShareReply { protocol: resource_timing::protocol(), wire: resource_timing::wire_timings(), ..reply };
    Ok(serde_json::to_string(&reply)?)
}

/// What the page has told this instance of the token (the `gil` model
/// where threads cannot share memory), for its side of the link.
#[derive(Default)]
struct TokenInbox {
    /// Waiting for the token (a grant) or for more tasks (a lease).
    waiting: Option<futures_channel::oneshot::Sender<Option<std::ops::Range<usize>>>>,
    drop_asked: bool,
}

thread_local! {
    static TOKEN: RefCell<TokenInbox> = RefCell::new(TokenInbox::default());
}

/// This instance's side of the token: requests posted to the page, answers
/// taken by [`worker_instance_token`].
struct InstanceTokenLink;

impl InstanceTokenLink {
    fn ask(request: &TokenRequest) -> futures_channel::oneshot::Receiver<Option<std::ops::Range<usize>>> {
        let (sender, receiver) = futures_channel::oneshot::channel();
        TOKEN.with(|token| token.borrow_mut().waiting = Some(sender));
        post_event(request);
        receiver
    }
}

impl TokenLink for InstanceTokenLink {
    async fn want(&self) -> std::ops::Range<usize> {
        Self::ask(&TokenRequest::Want).await.ok().flatten().unwrap_or(0..0)
    }

    async fn more(&self) -> Option<std::ops::Range<usize>> {
        Self::ask(&TokenRequest::More).await.ok().flatten()
    }

    fn release(&self, unused: std::ops::Range<usize>) {
        TOKEN.with(|token| token.borrow_mut().drop_asked = false);
        post_event(&TokenRequest::Release { unused_start: unused.start, unused_end: unused.end });
    }

    fn drop_requested(&self) -> bool {
        TOKEN.with(|token| token.borrow().drop_asked)
    }

    async fn yield_now(&self) {
        // A posted message: its own task, after whatever the page sent.
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            let Ok(channel) = web_sys::MessageChannel::new() else {
                let _ = resolve.call0(&JsValue::NULL);
                return;
            };
            channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
            let _ = channel.port2().post_message(&JsValue::NULL);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// Tells the page something of the token: `{type: "event", request}`.
fn post_event(request: &TokenRequest) {
    let event = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&event, &"type".into(), &"event".into());
    let json = serde_json::to_string(request).expect("plain data");
    let _ = js_sys::Reflect::set(&event, &"request".into(), &json.into());
    if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
        let _ = scope.post_message(&event);
    }
}

/// Runs a JSON `ChunkRequest` (all the run's tasks) under the token and resolves to a JSON `GilReply`.
#[wasm_bindgen]
pub async fn worker_instance_run_gil(request: String) -> Result<String, JsError> {
    let request: ChunkRequest = serde_json::from_str(&request)?;
    TOKEN.with(|token| *token.borrow_mut() = TokenInbox::default());
    let reply = match request.workload.requests() {
        Some(requests) => {
            run_gil_instance(&request, &InstanceTokenLink, &CLOCK, &MEMORY, &fetcher_for(requests)?).await
        }
        None => run_gil_instance(&request, &InstanceTokenLink, &CLOCK, &MEMORY, &NoNetwork).await,
    };
    Ok(serde_json::to_string(&reply)?)
}

/// Takes the page's JSON `TokenAnswer`: the token (or more tasks) this
/// instance waits for, the end of the queue, or a request to drop it.
#[wasm_bindgen]
pub fn worker_instance_token(answer: &str) -> Result<(), JsError> {
    let answer: TokenAnswer = serde_json::from_str(answer)?;
    TOKEN.with(|token| {
        let mut token = token.borrow_mut();
        let given = match answer {
            TokenAnswer::DropAsked => {
                token.drop_asked = true;
                return;
            }
            TokenAnswer::Granted { lease_start, lease_end } => {
                token.drop_asked = false;
                Some(lease_start..lease_end)
            }
            TokenAnswer::Leased { lease_start, lease_end } => Some(lease_start..lease_end),
            TokenAnswer::Finished => None,
        };
        if let Some(waiting) = token.waiting.take() {
            let _ = waiting.send(given);
        }
    });
    Ok(())
}

/// Stop: no new request is started, and those in flight are aborted.
#[wasm_bindgen]
pub fn worker_instance_abort() {
    CURRENT_SHARE.with(|current| {
        if let Some((cancel, fetcher)) = current.borrow().as_ref() {
            cancel.store(true, Relaxed);
            fetcher.abort();
        }
    });
}
