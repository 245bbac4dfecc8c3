//! Threads of this page's wasm instance for the IO `threads` model: k Web
//! Workers that share the page's memory and each run a Rust closure, as
//! `ThreadPoolExecutor(max_workers=k)` runs k OS threads. In them, requests
//! block (synchronous XMLHttpRequest, see `thread_worker.js`).
//!
//! The page's main thread never waits on them: it hands a job over by
//! message and awaits a message back. A thread blocked in a request cannot
//! be interrupted, so Stop terminates it, which is safe only while it is in
//! the JS-only window that its state word marks `BLOCKED` (no lock of the
//! shared heap can be held there); the page then frees the thread's stack
//! and thread-locals, which the thread can no longer do itself.
//!
//! Why not the rayon pool: its size is fixed to the cores
//! (wasm-bindgen-rayon #20), while threads blocked on IO are useful far
//! beyond the core count (Python's default is min(32, cores + 4)), and rayon
//! owns its workers' event loop (wasm-bindgen-rayon #23).

use super::blocking_xhr::{with_state_word, BLOCKED, KILLED, RUNNING};
use super::js_error::{describe_js_error, field};
use super::timers::sleep_ms;
use super::worker_link::{main_js_url, message, WorkerLink};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/browser/thread_worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = spawnThread, catch)]
    fn spawn_thread(index: u32) -> Result<web_sys::Worker, JsValue>;
}

/// Stop asked: the next request is not sent; the job ends on its own.
/// (The other states of a thread's word are `blocking_xhr`'s.)
const STOPPING: u32 = 3;

/// How long ending the threads may take before the page goes on without
/// their answers: an idle thread answers within milliseconds.
const SHUT_DOWN_PATIENCE_MS: i32 = 5_000;

/// Each thread's stack: 1 MiB, as the main thread's (wasm-ld's default).
/// A request loop needs little, but overflowing a stack in shared memory
/// would silently overwrite the heap, so there is room to spare.
pub const THREAD_STACK_BYTES: u32 = 1 << 20;

/// What one thread runs once: `job(index)`. Owned by the page (the `Rc`
/// is only ever touched on the page's thread); the thread only borrows the
/// job while it runs it, so a terminated thread leaks nothing. The closure
/// itself is `Sync`: k threads call it at once.
struct ThreadJob {
    job: Rc<dyn Fn(u32) + Sync>,
    index: u32,
    state_address: u32,
}

/// Runs the job at `pointer` on this thread (called by thread_worker.js).
#[wasm_bindgen]
pub fn thread_worker_run_job(pointer: u32) {
    // SAFETY: the page made `pointer` from a Box<ThreadJob> and frees it
    // only after this thread answered "done" or was terminated.
    let job = unsafe { &*(pointer as *const ThreadJob) };
    with_state_word(job.state_address, || (job.job)(job.index));
}

/// Where a thread's stack and thread-locals are in the shared heap.
#[derive(Clone, Copy, Default)]
struct ThreadResources {
    stack_alloc: u32,
    tls_base: u32,
}

struct Thread {
    link: WorkerLink,
    /// In the shared memory (a Box never moves): the thread reads it too.
    state: Box<AtomicU32>,
    resources: ThreadResources,
    /// The job it is running, owned here until "done" or termination.
    job: RefCell<Option<Box<ThreadJob>>>,
    terminated: Cell<bool>,
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
        let ready = link.request(&init).await?;
        let number = |key: &str| field(&ready, key).as_f64().unwrap_or(0.0) as u32;
        Ok(Self {
            link,
            state: Box::new(AtomicU32::new(RUNNING)),
            resources: ThreadResources { stack_alloc: number("stackAlloc"), tls_base: number("tlsBase") },
            job: RefCell::new(None),
            terminated: Cell::new(false),
            exited: Cell::new(false),
        })
    }

    /// Stop for one thread: a thread blocked in a request is terminated
    /// (the browser aborts the request), one running Rust code is told not
    /// to send another. Returns whether it was terminated.
    fn stop(&self) -> bool {
        loop {
            match self.state.load(SeqCst) {
                RUNNING => {
                    if self.state.compare_exchange(RUNNING, STOPPING, SeqCst, SeqCst).is_ok() {
                        return false;
                    }
                }
                BLOCKED => {
                    if self.state.compare_exchange(BLOCKED, KILLED, SeqCst, SeqCst).is_ok() {
                        self.terminate();
                        return true;
                    }
                }
                _ => return false,
            }
        }
    }

    /// Ends the worker now, frees what it held in the shared heap, and
    /// answers whoever waits for it.
    fn terminate(&self) {
        self.link.worker().terminate();
        self.terminated.set(true);
        // wasm-bindgen's `__wbindgen_thread_destroy`, given another thread's
        // TLS base and stack, frees them with the layouts it allocated them
        // with (`__tls_size` and `__tls_align` are not exported, so only it
        // knows them). It only calls `__wbindgen_free`, and std's wasm
        // allocator spins rather than waits (library/std/src/sys/alloc/
        // wasm.rs), so this thread may call it. The thread is gone: nothing
        // uses that stack or TLS again.
        let ThreadResources { stack_alloc, tls_base } = self.resources;
        let destroy = field(&wasm_bindgen::exports(), "__wbindgen_thread_destroy");
        if let Ok(destroy) = destroy.dyn_into::<js_sys::Function>() {
            let args = js_sys::Array::of3(&tls_base.into(), &stack_alloc.into(), &THREAD_STACK_BYTES.into());
            let _ = destroy.apply(&JsValue::NULL, &args);
        }
        self.job.borrow_mut().take();
        self.link.answer_pending(Ok(JsValue::from_str("terminated")));
    }
}

impl Drop for Thread {
    fn drop(&mut self) {
        if !self.terminated.get() && !self.exited.get() {
            // Let the thread free its own stack and thread-locals, then close.
            let _ = self.link.post(&message("exit", &[]));
        }
    }
}

/// k threads, started together, ended when dropped.
pub struct ThreadPool {
    threads: Rc<Vec<Thread>>,
}

impl ThreadPool {
    pub async fn start(count: u32) -> Result<Self, String> {
        let spawned = futures_util::future::join_all((0..count).map(Thread::spawn)).await;
        let threads = spawned.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Self { threads: Rc::new(threads) })
    }

    pub fn count(&self) -> u32 {
        self.threads.len() as u32
    }

    /// Ends every thread and resolves once each has freed its stack and
    /// thread-locals (a terminated one's were freed by the page already),
    /// or after [`SHUT_DOWN_PATIENCE_MS`] if one never answers.
    pub async fn shut_down(self) {
        let exits = self.threads.iter().filter(|thread| !thread.terminated.get()).map(|thread| async move {
            if thread.link.request(&message("exit", &[])).await.is_ok() {
                thread.exited.set(true);
            }
        });
        let all = Box::pin(futures_util::future::join_all(exits));
        let _ = futures_util::future::select(all, Box::pin(sleep_ms(SHUT_DOWN_PATIENCE_MS))).await;
    }

    /// A handle that stops the threads (see [`Thread::stop`]) from a Stop
    /// click while [`ThreadPool::run`] is being awaited.
    pub fn stopper(&self) -> impl Fn() -> usize + 'static {
        let threads = Rc::downgrade(&self.threads);
        move || threads.upgrade().map_or(0, |threads| threads.iter().filter(|thread| thread.stop()).count())
    }

    /// Runs `job(index)` on every live thread and resolves when each has
    /// finished it or was terminated. Terminated threads are not replaced:
    /// Stop ends the model.
    pub async fn run(&self, job: Rc<dyn Fn(u32) + Sync>) -> Result<(), String> {
        let runs =
            self.threads.iter().enumerate().filter(|(_, thread)| !thread.terminated.get()).map(|(index, thread)| {
                let job = job.clone();
                async move {
                    let _ = thread.state.compare_exchange(STOPPING, RUNNING, SeqCst, SeqCst);
                    let boxed = Box::new(ThreadJob {
                        job,
                        index: index as u32,
                        state_address: thread.state.as_ref() as *const AtomicU32 as u32,
                    });
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
