// The `workers` models' Web Worker: one per worker instance (the posts'
// "process"). This file is both the page-side helper (spawnWorkerInstance)
// and, loaded with the name below, the worker's script, as
// wasm-bindgen-rayon's no-bundler helper does.
//
// A worker imports the page's wasm-bindgen glue and instantiates the same
// compiled module WITHOUT passing the page's memory: the glue then creates a
// fresh memory, so each worker is a separate instance with its own memory,
// heap and statics - the browser's nearest honest form of a process. On a
// page without SharedArrayBuffer it imports the instances' own build
// (instances/, no atomics) instead, and fetches its wasm.

const NAME = 'concurrency-playground-instance';

export function spawnWorkerInstance(index) {
  return new Worker(new URL(import.meta.url), { type: 'module', name: `${NAME}-${index}` });
}

// WebKit evaluates a module worker's own script a second time when the glue
// imports it (its module map does not hold the worker's entry point), which
// would add a second listener whose `glue` is never set: once is enough.
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope
    && typeof self.name === 'string' && self.name.startsWith(NAME) && !self.__playgroundListening) {
  self.__playgroundListening = true;
  let glue = null;
  // The page spawns the next instance only once this one is running: WebKit
  // leaves workers started together outside the service worker's control,
  // and their requests to the latency source would miss it.
  postMessage({ type: 'started' });
  self.addEventListener('message', async ({ data }) => {
    try {
      if (data.type === 'init') {
        glue = await import(data.mainJs);
        if (data.module) {
          // The page's own compiled module (isolated page): a fresh memory.
          glue.initSync({ module: data.module });
        } else {
          // The instances' own build (no shared memory), fetched here.
          await glue.default({ module_or_path: data.wasmUrl });
        }
        postMessage({ type: 'ready', memory: glue.worker_instance_memory() });
      } else if (data.type === 'chunk') {
        postMessage({ type: 'reply', reply: glue.worker_instance_run_chunk(data.request) });
      } else if (data.type === 'queue') {
        // Chunks taken from the page's shared queue until it is empty; each
        // chunk's reply goes to the page as it is made, without waiting.
        const report = (reply) => postMessage({ type: 'event', reply });
        glue.worker_instance_run_queue(data.request, data.chunkSize, data.queue, report);
        postMessage({ type: 'reply', reply: 'empty' });
      } else if (data.type === 'gil') {
        // Async: while it waits for the token, or yields at a checkpoint,
        // this worker's event loop takes the page's 'token' messages.
        postMessage({ type: 'reply', reply: await glue.worker_instance_run_gil(data.request) });
      } else if (data.type === 'token') {
        glue.worker_instance_token(data.answer);
      } else if (data.type === 'share') {
        // Async: while the share's requests are in flight this worker's
        // event loop is free, so an 'abort' message is handled at once.
        postMessage({ type: 'reply', reply: await glue.worker_instance_run_share(data.request) });
      } else if (data.type === 'abort') {
        glue.worker_instance_abort();
      }
    } catch (error) {
      // A panic in the instance arrives here as a RuntimeError ("unreachable").
      // A sentence for the page, not a stack trace.
      postMessage({ type: 'error', message: String((error && error.message) || error) });
    }
  });
}
