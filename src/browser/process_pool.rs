//! The `workers` model's page side: k Web Workers, each a separate wasm
//! instance with its own memory (see process_worker.js), fed chunks of the
//! task list the way `multiprocessing.Pool.map` feeds its processes.
//!
//! Everything here runs on the page's main thread and only awaits: messages
//! in, messages out, no shared memory between the page and an instance.

use super::rayon_pool::describe_js_error;
use crate::engine::process::{self, ChunkReply, ChunkRequest, InstanceMemory};
use crate::engine::record::MemorySample;
use crate::engine::run::{RunContext, RunMeasurement, Tally};
use futures_channel::oneshot;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/browser/process_worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = spawnProcessWorker, catch)]
    fn spawn_process_worker(index: u32) -> Result<web_sys::Worker, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    // The URL of our own wasm-bindgen glue, which the worker imports.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS_URL: String;
}

type Pending = Rc<RefCell<Option<oneshot::Sender<Result<JsValue, String>>>>>;

/// One worker instance: one request in flight at a time.
struct ProcessWorker {
    worker: web_sys::Worker,
    pending: Pending,
    memory: InstanceMemory,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::ErrorEvent)>,
}

impl ProcessWorker {
    async fn spawn(index: u32) -> Result<Self, String> {
        let worker = spawn_process_worker(index).map_err(|e| describe_js_error(&e))?;
        let pending: Pending = Rc::new(RefCell::new(None));
        let answer = pending.clone();
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let kind = js_sys::Reflect::get(&data, &"type".into()).ok().and_then(|t| t.as_string());
            let outcome = match kind.as_deref() {
                Some("error") => Err(js_sys::Reflect::get(&data, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_else(|| "the worker failed".into())),
                _ => Ok(data),
            };
            if let Some(sender) = answer.borrow_mut().take() {
                let _ = sender.send(outcome);
            }
        });
        let failed = pending.clone();
        let on_error = Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            if let Some(sender) = failed.borrow_mut().take() {
                let _ = sender.send(Err(format!("worker error: {}", event.message())));
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut this =
            Self { worker, pending, memory: InstanceMemory::default(), _on_message: on_message, _on_error: on_error };

        let init = js_sys::Object::new();
        set(&init, "type", &"init".into());
        set(&init, "mainJs", &MAIN_JS_URL.with(|url| JsValue::from_str(url)));
        set(&init, "module", &wasm_bindgen::module());
        let ready = this.request(&init).await?;
        this.memory = parse(&field(&ready, "memory"))?;
        Ok(this)
    }

    async fn request(&self, message: &JsValue) -> Result<JsValue, String> {
        let (sender, receiver) = oneshot::channel();
        *self.pending.borrow_mut() = Some(sender);
        self.worker.post_message(message).map_err(|e| describe_js_error(&e))?;
        receiver.await.map_err(|_| "the worker went away".to_string())?
    }
}

impl Drop for ProcessWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// k worker instances, started together, terminated when dropped.
pub struct ProcessPool {
    workers: Vec<ProcessWorker>,
}

impl ProcessPool {
    pub async fn start(count: u32) -> Result<Self, String> {
        let spawned = futures_util::future::join_all((0..count).map(ProcessWorker::spawn)).await;
        let workers = spawned.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Self { workers })
    }

    /// One run: Pool.map's chunks go to whichever instance is free; each
    /// reply's spans and memory are merged into the page's measurement.
    /// After Stop no new chunk is sent; chunks in flight finish.
    pub async fn run(&mut self, run: &Arc<RunContext>) -> Result<RunMeasurement, String> {
        let chunks = RefCell::new(
            process::pool_map_chunks(run.workload.task_count(), self.workers.len())
                .into_iter()
                .collect::<VecDeque<_>>(),
        );
        let before: Vec<InstanceMemory> = self.workers.iter().map(|w| w.memory).collect();
        let lanes = self.workers.iter().enumerate().map(|(lane, worker)| {
            let chunks = &chunks;
            async move {
                let mut tally = Tally::default();
                let mut samples: Vec<MemorySample> = Vec::new();
                let mut memory = worker.memory;
                let mut peak = 0;
                while !run.is_cancelled() {
                    let Some(chunk) = chunks.borrow_mut().pop_front() else { break };
                    let request = ChunkRequest {
                        workload: run.workload,
                        first_task: chunk.start,
                        end_task: chunk.end,
                        lane: lane as u32,
                        origin_ms: run.origin_ms(),
                    };
                    let message = js_sys::Object::new();
                    set(&message, "type", &"chunk".into());
                    set(&message, "request", &serde_json::to_string(&request).expect("plain data").into());
                    let answer = worker.request(&message).await?;
                    let reply: ChunkReply = parse(&field(&answer, "reply"))?;
                    for (offset, span) in reply.spans.iter().enumerate() {
                        run.record_span(reply.first_task + offset, *span);
                    }
                    let checksum = reply.checksum.parse::<u128>().map_err(|e| e.to_string())?;
                    tally = tally + Tally { checksum, tasks_done: reply.tasks_done };
                    samples.extend(reply.samples);
                    memory = reply.memory;
                    peak = peak.max(reply.memory.peak_live_heap_bytes);
                }
                Ok::<_, String>((tally, samples, memory, peak))
            }
        });
        let outcomes = futures_util::future::join_all(lanes).await;
        let mut tally = Tally::default();
        let (mut after, mut peaks, mut worker_samples) = (Vec::new(), Vec::new(), Vec::new());
        for outcome in outcomes {
            let (lane_tally, samples, memory, peak) = outcome?;
            tally = tally + lane_tally;
            after.push(memory);
            peaks.push(peak);
            worker_samples.push(samples);
        }
        for (worker, memory) in self.workers.iter_mut().zip(&after) {
            worker.memory = *memory;
        }
        let mut measurement = run.finish(tally);
        process::add_worker_instances(&mut measurement, &before, &after, &peaks, &worker_samples);
        Ok(measurement)
    }
}

fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &key.into(), value);
}

fn field(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn parse<T: serde::de::DeserializeOwned>(json: &JsValue) -> Result<T, String> {
    let text = json.as_string().ok_or("the worker sent no JSON")?;
    serde_json::from_str(&text).map_err(|e| format!("bad message from a worker: {e}"))
}
