// Threads of this page's wasm instance: Web Workers that instantiate the
// same module on the page's shared memory, so Rust code runs on them as on
// std threads (the IO `threads` model's ThreadPoolExecutor). This file is
// both the page-side helper (spawnThread) and, loaded with the name below,
// the worker's script, as wasm-bindgen-rayon's no-bundler helper does.

const NAME = 'concurrency-playground-thread';

export function spawnThread(index) {
  return new Worker(new URL(import.meta.url), { type: 'module', name: `${NAME}-${index}` });
}

// Once per worker: WebKit evaluates a module worker's script again when the
// glue imports it (see worker_instance.js).
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope
    && typeof self.name === 'string' && self.name.startsWith(NAME) && !self.__playgroundListening) {
  self.__playgroundListening = true;
  let glue = null;
  let wasm = null;
  self.addEventListener('message', async ({ data }) => {
    try {
      if (data.type === 'init') {
        glue = await import(data.mainJs);
        wasm = glue.initSync({ module: data.module, memory: data.memory, thread_stack_size: data.stackSize });
        postMessage({ type: 'ready' });
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
