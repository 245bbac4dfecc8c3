// Carries a panic's message out of wasm before the instance aborts. On the
// page it is shown by the crash screen (www/crash.js); in one of the
// playground's own workers it is posted to the page, which is waiting for
// that worker's answer.
export function reportPanic(message) {
  if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
    if (typeof self.name === 'string' && self.name.startsWith('concurrency-playground-')) {
      self.postMessage({ type: 'panic', message });
    }
  } else if (typeof window !== 'undefined') {
    window.dispatchEvent(new CustomEvent('concurrency-playground:panic', { detail: message }));
  }
}
