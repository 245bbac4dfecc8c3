//! What a `workers` model instance exports to its Web Worker script
//! (process_worker.js): read its memory, run one chunk. Runs inside the
//! worker instance, on its own memory; JSON in, JSON out.

use super::clock::{CLOCK, MEMORY};
use crate::engine::process::{run_chunk, ChunkRequest, InstanceMemory};
use wasm_bindgen::prelude::*;

/// This instance's memory now, as JSON `InstanceMemory`.
#[wasm_bindgen]
pub fn process_worker_memory() -> String {
    serde_json::to_string(&InstanceMemory::read(&MEMORY)).expect("plain numbers")
}

/// Runs a JSON `ChunkRequest` and returns a JSON `ChunkReply`.
#[wasm_bindgen]
pub fn process_worker_run_chunk(request: &str) -> Result<String, JsError> {
    let request: ChunkRequest = serde_json::from_str(request)?;
    Ok(serde_json::to_string(&run_chunk(&request, &CLOCK, &MEMORY))?)
}
