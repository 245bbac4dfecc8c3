//! What a worker instance exports to its Web Worker script
//! (worker_instance.js): read its memory, run one CPU chunk (`workers`,
//! `executor`), run one IO share at once (`workers`) or in turn
//! (`procs`), abort a share. Runs inside the worker instance, on its own
//! memory; JSON in, JSON out.

use super::clock::{CLOCK, MEMORY};
use super::network::PageFetcher;
use super::resource_timing;
use crate::engine::cpu::worker_instances::{run_chunk, ChunkRequest};
use crate::engine::io::worker_instances::{run_share, run_share_in_turn, ShareReply, ShareRequest};
use crate::engine::io::workload::IoSource;
use crate::engine::measurement::instance_memory::InstanceMemory;
use crate::engine::measurement::run_window::Instruments;
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

/// Runs a JSON `ChunkRequest` and returns a JSON `ChunkReply`.
#[wasm_bindgen]
pub fn worker_instance_run_chunk(request: &str) -> Result<String, JsError> {
    let request: ChunkRequest = serde_json::from_str(request)?;
    Ok(serde_json::to_string(&run_chunk(&request, &CLOCK, &MEMORY))?)
}

/// Runs a JSON `ShareRequest` (all its requests at once, or one after
/// another for `procs`) and resolves to a JSON `ShareReply`.
#[wasm_bindgen]
pub async fn worker_instance_run_share(request: String) -> Result<String, JsError> {
    let request: ShareRequest = serde_json::from_str(&request)?;
    let stamp_send_time = request.workload.source == IoSource::Sim;
    let fetcher =
        Rc::new(PageFetcher::new(request.workload.timeout_ms, stamp_send_time).map_err(|e| JsError::new(&e))?);
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
