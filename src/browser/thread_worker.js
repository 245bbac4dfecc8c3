// Threads of this page's wasm instance: Web Workers that instantiate the
// same module on the page's shared memory, so Rust code runs on them as on
// std threads (the IO `threads` model's ThreadPoolExecutor). This file is
// both the page-side helper (spawnThread, blockingGet) and, loaded with the
// name below, the worker's script, as wasm-bindgen-rayon's no-bundler helper
// does; the glue the worker imports imports this file again and gets the
// same module back (a module map has one entry per URL).

const NAME = 'concurrency-playground-thread';

// The thread's state word, shared with the page (see threads.rs).
const RUNNING = 0;
const BLOCKED = 1;
const KILLED = 2;

export function spawnThread(index) {
  return new Worker(new URL(import.meta.url), { type: 'module', name: `${NAME}-${index}` });
}

// A blocking GET by synchronous XMLHttpRequest (allowed in workers only).
//
// While the request blocks, the state word says BLOCKED, and the page may
// terminate this worker to abort the request (Stop): nothing can interrupt a
// blocked thread from inside, in Python as here. That is only safe because
// nothing between the two compare-exchanges below is wasm code: this thread
// holds no lock of the shared heap there. If the page has claimed the
// thread (KILLED) by the time the request returns, the thread never returns
// into wasm; it waits to be terminated.
//
// `stampSendTime`: tell the latency source when the request was sent (see
// www/sw.js; same origin only).
export function blockingGet(url, timeoutMs, stampSendTime, memory, stateAddress) {
  const state = new Int32Array(memory.buffer);
  const index = stateAddress >>> 2;
  const xhr = new XMLHttpRequest();
  try {
    xhr.open('GET', url, false);
    xhr.timeout = timeoutMs;
    xhr.responseType = 'arraybuffer';
  } catch (error) {
    return { status: 0, bytes: 0, errorName: error.name, message: String(error.message) };
  }
  if (stampSendTime) {
    xhr.setRequestHeader('X-Playground-Sent-At', (performance.timeOrigin + performance.now()).toFixed(3));
  }
  if (Atomics.compareExchange(state, index, RUNNING, BLOCKED) !== RUNNING) {
    return { status: 0, bytes: 0, errorName: 'AbortError', message: 'Stopped before it was sent' };
  }
  let result;
  try {
    xhr.send();
    result = { status: xhr.status, bytes: xhr.response ? xhr.response.byteLength : 0, errorName: null, message: null };
  } catch (error) {
    result = { status: 0, bytes: 0, errorName: error.name, message: String(error.message) };
  }
  if (Atomics.compareExchange(state, index, BLOCKED, RUNNING) !== BLOCKED) {
    for (;;) Atomics.wait(state, index, KILLED);
  }
  return result;
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope
    && typeof self.name === 'string' && self.name.startsWith(NAME)) {
  let glue = null;
  let wasm = null;
  self.addEventListener('message', async ({ data }) => {
    try {
      if (data.type === 'init') {
        glue = await import(data.mainJs);
        wasm = glue.initSync({ module: data.module, memory: data.memory, thread_stack_size: data.stackSize });
        // Where this thread's stack and thread-locals live in the shared
        // heap: the page frees them if it ever has to terminate the thread.
        postMessage({ type: 'ready', stackAlloc: wasm.__stack_alloc.value, tlsBase: wasm.__tls_base.value });
      } else if (data.type === 'job') {
        glue.thread_worker_run_job(data.job);
        postMessage({ type: 'done' });
      } else if (data.type === 'exit') {
        // Frees this thread's stack and thread-locals (wasm-bindgen's
        // threads transform), then ends the worker.
        wasm.__wbindgen_thread_destroy();
        postMessage({ type: 'exited' });
        close();
      }
    } catch (error) {
      // A panic on the thread arrives here as a RuntimeError ("unreachable").
      postMessage({ type: 'error', message: String((error && error.stack) || error) });
    }
  });
}
