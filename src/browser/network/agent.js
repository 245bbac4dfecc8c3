// The network agent: one Web Worker that makes the requests of threads
// blocked in them (network_agent.rs). A thread writes its request into a
// slot of the shared wasm memory, rings a doorbell and waits on the slot
// (Atomics.wait); this worker, woken by the doorbell (Atomics.waitAsync),
// fetches with cache: 'no-store', writes the outcome into the slot and
// notifies the thread. So a blocked thread holds a request in flight as a
// thread blocked in requests.get does, the URL is the user's own, and the
// browser's usual limits apply (a synchronous XMLHttpRequest would be let
// through Chromium's HTTP cache one at a time for one URL, and merged into
// one request by WebKit).
//
// This file is both the page-side helper (spawnNetworkAgent) and, loaded
// with the name below, the worker's script.

const NAME = 'concurrency-playground-network';

// A slot's states and layout: mirrored in network_agent.rs.
const FREE = 0;
const REQUESTED = 2;
const TAKEN = 3;
const DONE = 4;
const SLOT_WORDS = { state: 0, urlPointer: 1, urlLength: 2, timeoutMs: 3, flags: 4, status: 5, bytesLow: 6, bytesHigh: 7, failed: 8, textLength: 9 };
const TEXT_OFFSET = 40;
const STAMP_SEND_TIME = 1;

export function spawnNetworkAgent() {
  return new Worker(new URL(import.meta.url), { type: 'module', name: NAME });
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope
    && self.name === NAME && !self.__playgroundListening) {
  self.__playgroundListening = true;
  let memory = null;
  let layout = null;
  let run = new AbortController();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  // Views of the shared memory, made again when it has grown (its buffer
  // is then another object).
  let words = null;
  const view = () => {
    if (!words || words.buffer !== memory.buffer) words = new Int32Array(memory.buffer);
    return words;
  };
  const word = (slot, name) => (layout.slots + slot * layout.slotBytes) / 4 + SLOT_WORDS[name];

  async function make(slot) {
    const i32 = view();
    const pointer = i32[word(slot, 'urlPointer')] >>> 0;
    const length = i32[word(slot, 'urlLength')] >>> 0;
    // TextDecoder takes no view of shared memory: copy the bytes out.
    const url = decoder.decode(new Uint8Array(memory.buffer, pointer, length).slice());
    const timeoutMs = i32[word(slot, 'timeoutMs')] >>> 0;
    const headers = (i32[word(slot, 'flags')] & STAMP_SEND_TIME)
      ? { 'X-Playground-Sent-At': (performance.timeOrigin + performance.now()).toFixed(3) } : undefined;
    let status = 0;
    let bytes = 0;
    let failure = null;
    try {
      const signal = AbortSignal.any([run.signal, AbortSignal.timeout(timeoutMs)]);
      const response = await fetch(url, { cache: 'no-store', headers, signal });
      status = response.status;
      bytes = (await response.arrayBuffer()).byteLength;
    } catch (error) {
      failure = `${(error && error.name) || 'Error'}\n${(error && error.message) || String(error)}`;
    }
    const out = view();
    out[word(slot, 'status')] = status;
    out[word(slot, 'bytesLow')] = bytes % 2 ** 32;
    out[word(slot, 'bytesHigh')] = Math.floor(bytes / 2 ** 32);
    out[word(slot, 'failed')] = failure === null ? 0 : 1;
    const text = encoder.encode(failure ?? '').subarray(0, layout.textBytes);
    new Uint8Array(memory.buffer, layout.slots + slot * layout.slotBytes + TEXT_OFFSET, text.length).set(text);
    out[word(slot, 'textLength')] = text.length;
    Atomics.store(out, word(slot, 'state'), DONE);
    Atomics.notify(out, word(slot, 'state'));
  }

  // Takes every requested slot, then sleeps until the doorbell rings again.
  async function listen() {
    for (;;) {
      const i32 = view();
      const seen = Atomics.load(i32, layout.doorbell / 4);
      for (let slot = 0; slot < layout.count; slot += 1) {
        if (Atomics.compareExchange(i32, word(slot, 'state'), REQUESTED, TAKEN) === REQUESTED) make(slot);
      }
      const waiting = Atomics.waitAsync(view(), layout.doorbell / 4, seen);
      if (waiting.async) await waiting.value;
    }
  }

  self.addEventListener('message', ({ data }) => {
    try {
      if (data.type === 'init') {
        ({ memory, layout } = data);
        listen();
        postMessage({ type: 'ready', free: FREE });
      } else if (data.type === 'start') {
        // A run starts: room for all its entries, none of another run's.
        performance.setResourceTimingBufferSize(data.entries);
        performance.clearResourceTimings();
        run = new AbortController();
        postMessage({ type: 'started' });
      } else if (data.type === 'abort') {
        // Stop: every request in flight fails as cancelled, and its thread wakes.
        run.abort();
      } else if (data.type === 'entries') {
        // The run's requests as this worker's timeline saw them (on the
        // shared clock). Firefox adds an entry a little after the body ends:
        // wait, a frame at a time, until there are as many as asked for.
        const answer = (tries) => {
          const entries = performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'fetch');
          if (entries.length >= data.expected || tries <= 0) {
            const origin = performance.timeOrigin;
            // [start, request start (0: withheld), response end, protocol,
            // whether a service worker answered, the URL]
            postMessage({ type: 'entries', entries: entries.map((e) => [origin + e.startTime, e.requestStart > 0 ? origin + e.requestStart : 0, origin + e.responseEnd, e.nextHopProtocol || '', e.workerStart > 0, e.name]) });
          } else {
            setTimeout(() => answer(tries - 1), 10);
          }
        };
        answer(data.patienceTries);
      }
    } catch (error) {
      postMessage({ type: 'error', message: String((error && error.message) || error) });
    }
  });
}
