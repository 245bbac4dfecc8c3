// Concurrency Playground service worker. Two jobs, and nothing else:
//
// 1. The IO workload's deterministic latency source (below).
// 2. Cross-origin isolation on hosts that cannot send headers (GitHub
//    Pages): SharedArrayBuffer, and with it every threaded model, needs the
//    page served with COOP `same-origin` and COEP `require-corp`. As the
//    coi-serviceworker technique does, this worker re-serves the page's own
//    navigations and worker scripts with those headers; the page reloads
//    once after the worker first takes control (src/browser/isolation.rs),
//    and never more than once. Where the server already sends the headers,
//    setting them again changes nothing. One page is the exception:
//    perfetto.html, the relay that hands a trace to Perfetto's UI, is
//    served without them, whatever the host sent, so that it may frame
//    ui.perfetto.dev (see perfetto.js).
//
// GET <scope>io-sim/delay?ms=160&bytes=2048&run=3&i=17 is answered `ms`
// milliseconds after the page sent it, with `bytes` bytes, without touching
// the network: every model is compared on the same, exactly known latency,
// offline, on any static host. `run` and `i` only make each URL distinct
// (and name the request in DevTools). With `fail=1` the answer, as late,
// is HTTP 503 with no body. Which requests fail and how long each waits
// (latency_spread, fail_rate) the page draws from its seed and writes into
// each URL, so this worker stays a timer and every model meets the same
// answers.
//
// "After the page sent it": the browser hands concurrent requests to this
// worker one after another (about 2 ms each on a 2-core machine), so a
// timer started on arrival would make the 100th request of `all` 200 ms
// slower than the first, an artifact of the simulation that a server
// `ms` away would not have. The page stamps each request with its send
// time (header X-Playground-Sent-At, on the shared clock timeOrigin +
// now()), and the timer waits only what remains of `ms`. When the browser
// is slower than `ms` to deliver a request, it is answered at once, late,
// and the results show it.
//
// Nothing else may pay for this worker: a measured request that passed
// through it would carry its dispatch cost. So, where the browser has the
// ServiceWorker static routing API (Chromium 123+), routes send every
// fetch()/XMLHttpRequest except the latency source straight to the network
// (request destination "" is exactly those), and the fetch handler is not
// even started for them. Elsewhere the fetch handler returns at once
// without responding, and the browser fetches as if there were no worker.

// The limits the page's parser enforces (src/engine/limits.rs), enforced
// again here: this URL can be requested by anyone who knows it.
const MAX_LATENCY_MS = 10_000;
const MAX_RESPONSE_BYTES = 4 << 20;
const LATENCY_PATH = /\/io-sim\/delay$/;
const RELAY_PATH = /\/perfetto\.html$/;

self.addEventListener('install', (event) => {
  if (typeof event.addRoutes === 'function' && typeof URLPattern === 'function') {
    event.waitUntil(
      event
        .addRoutes([
          { condition: { urlPattern: new URLPattern({ pathname: '*/io-sim/delay' }) }, source: 'fetch-event' },
          { condition: { requestDestination: '' }, source: 'network' },
        ])
        // An older router that rejects a condition must not stop the
        // install: the fetch handler below gives the same answers.
        .catch((error) => console.warn('Concurrency Playground: static routes not used:', error)),
    );
  }
  self.skipWaiting();
});

// Take control of the open page at once (no reload needed), and of the
// workers it starts afterwards.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// A page loaded by a hard reload is not controlled, and `activate` does
// not run again to claim it: the page asks.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'concurrency-playground:claim') {
    event.waitUntil(self.clients.claim());
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (!LATENCY_PATH.test(url.pathname)) {
    if (request.mode === 'navigate' && RELAY_PATH.test(url.pathname)) event.respondWith(withoutIsolationHeaders(request));
    else if (needsIsolationHeaders(request)) event.respondWith(withIsolationHeaders(request));
    return;
  }
  const ms = clampedNumber(url.searchParams.get('ms'), MAX_LATENCY_MS);
  const bytes = clampedNumber(url.searchParams.get('bytes'), MAX_RESPONSE_BYTES);
  const fail = url.searchParams.get('fail') === '1';
  const sentAt = Number(event.request.headers.get('X-Playground-Sent-At'));
  const now = performance.timeOrigin + performance.now();
  // A missing or implausible stamp (another client, a skewed clock) falls
  // back to timing from arrival.
  const delivery = Number.isFinite(sentAt) && sentAt > 0 && sentAt <= now && now - sentAt < ms + 60_000 ? now - sentAt : 0;
  event.respondWith(answerAfter(Math.max(0, ms - delivery), fail ? 0 : bytes, fail ? 503 : 200, event.request.signal));
});

// The documents and worker scripts whose headers decide isolation: a
// navigation (the page, or a frame of it) and a worker's own script.
// Everything else the page loads is same-origin and needs nothing.
function needsIsolationHeaders(request) {
  return request.mode === 'navigate' || request.destination === 'worker' || request.destination === 'sharedworker';
}

async function withIsolationHeaders(request) {
  const response = await fetch(request);
  // Opaque and error responses cannot be re-wrapped; redirects stay as they are.
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  // A tutorial page that is itself isolated may frame the page only if it says so.
  headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// The relay to Perfetto: whatever the host sent, not isolated.
async function withoutIsolationHeaders(request) {
  const response = await fetch(request);
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const name of ['Cross-Origin-Opener-Policy', 'Cross-Origin-Embedder-Policy']) headers.delete(name);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function clampedNumber(text, max) {
  const value = Math.floor(Number(text));
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), max) : 0;
}

// Resolves after `ms` with `bytes` bytes and `status`; an aborted request
// (Stop, or the page's timeout) stops its timer, so nothing lingers.
function answerAfter(ms, bytes, status, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      resolve(
        new Response(new Uint8Array(bytes), {
          status,
          headers: {
            'Content-Type': 'application/octet-stream',
            'Cache-Control': 'no-store',
            'Cross-Origin-Resource-Policy': 'same-origin',
            'X-Concurrency-Playground': 'latency-source',
          },
        }),
      );
    }, ms);
    if (signal) {
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
      });
    }
  });
}
