//! Threads of this page's wasm instance for the IO `threads` model: k Web
//! Workers that share the page's memory and each run a Rust closure, as
//! `ThreadPoolExecutor(max_workers=k)` runs k OS threads. In them, requests
//! block: a thread waits on its slot while the network agent makes its
//! request (`network_agent.rs`).
//!
//! The page's main thread never waits on them: it hands a job over by
//! message and awaits a message back. Stop needs nothing of them: it aborts
//! the agent's requests, each blocked thread wakes with its request
//! cancelled, and the job's loop takes no next one.
//!
//! Why not the rayon pool: its size is fixed to the cores
//! (wasm-bindgen-rayon #20), while threads blocked on IO are useful far
//! beyond the core count (Python's default is min(32, cores + 4)), and rayon
//! owns its workers' event loop (wasm-bindgen-rayon #23).

use crate::browser::platform::js_error::describe_js_error;
use crate::browser::platform::timers::sleep_ms;
use crate::browser::platform::worker_link::{main_js_url, message, WorkerLink};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/browser/threads/thread_worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = spawnThread, catch)]
    fn spawn_thread(index: u32) -> Result<web_sys::Worker, JsValue>;
}

/// How long ending the threads may take before the page goes on without
/// their answers: an idle thread answers within milliseconds.
const SHUT_DOWN_PATIENCE_MS: i32 = 5_000;

/// Each thread's stack: 1 MiB, as the main thread's (wasm-ld's default).
/// A request loop needs little, but overflowing a stack in shared memory
/// would silently overwrite the heap, so there is room to spare.
pub const THREAD_STACK_BYTES: u32 = 1 << 20;

/// What one thread runs once: `job(index)`. Owned by the page (the `Rc`
/// is only ever touched on the page's thread); the thread only borrows the
/// job while it runs it. The closure itself is `Sync`: k threads call it
/// at once.
struct ThreadJob {
    job: Rc<dyn Fn(u32) + Sync>,
    index: u32,
}

/// Runs the job at `pointer` on this thread (called by thread_worker.js).
#[wasm_bindgen]
pub fn thread_worker_run_job(pointer: u32) {
    // SAFETY: the page made `pointer` from a Box<ThreadJob> and frees it
    // only after this thread answered "done".
    let job = unsafe { &*(pointer as *const ThreadJob) };
    (job.job)(job.index);
}

struct Thread {
    link: WorkerLink,
    /// The job it is running, owned here until "done".
    job: RefCell<Option<Box<ThreadJob>>>,
    /// It answered "exit": its stack and thread-locals are free.
    exited: Cell<bool>,
}

impl Thread {
    async fn spawn(index: u32) -> Result<Self, String> {
        let link = WorkerLink::new(spawn_thread(index).map_err(|e| describe_js_error(&e))?);
        let init = message(
            "init",
            &[
                ("mainJs", &main_js_url()),
                ("module", &wasm_bindgen::module()),
                ("memory", &wasm_bindgen::memory()),
                ("stackSize", &THREAD_STACK_BYTES.into()),
            ],
        );
        link.request(&init).await?;
        Ok(Self { link, job: RefCell::new(None), exited: Cell::new(false) })
    }
}

impl Drop for Thread {
    fn drop(&mut self) {
        if !self.exited.get() {
            // Let the thread free its own stack and thread-locals, then close.
            let _ = self.link.post(&message("exit", &[]));
        }
    }
}

/// k threads, started together, ended when dropped.
pub struct ThreadPool {
    threads: Vec<Thread>,
}

impl ThreadPool {
    pub async fn start(count: u32) -> Result<Self, String> {
        let spawned = futures_util::future::join_all((0..count).map(Thread::spawn)).await;
        let threads = spawned.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Self { threads })
    }

    pub fn count(&self) -> u32 {
        self.threads.len() as u32
    }

    /// Ends every thread and resolves once each has freed its stack and
    /// thread-locals, or after [`SHUT_DOWN_PATIENCE_MS`] if one never answers.
    pub async fn shut_down(self) {
        let exits = self.threads.iter().map(|thread| async move {
            if thread.link.request(&message("exit", &[])).await.is_ok() {
                thread.exited.set(true);
            }
        });
        let all = Box::pin(futures_util::future::join_all(exits));
        let _ = futures_util::future::select(all, Box::pin(sleep_ms(SHUT_DOWN_PATIENCE_MS))).await;
    }

    /// Runs `job(index)` on every thread and resolves when each has
    /// finished it.
    pub async fn run(&self, job: Rc<dyn Fn(u32) + Sync>) -> Result<(), String> {
        let runs = self.threads.iter().enumerate().map(|(index, thread)| {
            let job = job.clone();
            async move {
                let boxed = Box::new(ThreadJob { job, index: index as u32 });
                let pointer = boxed.as_ref() as *const ThreadJob as u32;
                *thread.job.borrow_mut() = Some(boxed);
                let outcome = thread.link.request(&message("job", &[("job", &pointer.into())])).await;
                thread.job.borrow_mut().take();
                outcome.map(|_| ())
            }
        });
        futures_util::future::join_all(runs).await.into_iter().collect()
    }
}
