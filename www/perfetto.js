// The relay between the playground's own page and Perfetto's UI. The page
// is cross-origin isolated (its threads need it), and its
// Cross-Origin-Opener-Policy keeps it from talking to a tab of another
// site, so it opens this page instead: same origin, served by the service
// worker without the isolation headers (sw.js), which therefore may frame
// ui.perfetto.dev. The trace comes over a BroadcastChannel (same origin,
// whatever the opener policy), and goes to Perfetto by its documented
// embedding handshake: PING until PONG, then {perfetto: {buffer, title, url}}.
(() => {
  const PERFETTO = 'https://ui.perfetto.dev';
  const status = document.getElementById('status');
  const id = location.hash.slice(1);
  if (!/^[\w-]{1,64}$/.test(id)) {
    status.textContent = 'Open this page from the playground\'s "Open in Perfetto" button.';
    return;
  }
  if (self.crossOriginIsolated) {
    // The service worker did not serve this page (a private window, say):
    // an isolated page cannot frame Perfetto, which sends no such headers.
    status.textContent = 'This page could not leave cross-origin isolation here, so it cannot show Perfetto. '
      + 'Download the timeline trace in the playground and drop it on ui.perfetto.dev.';
    return;
  }
  const channel = new BroadcastChannel(`concurrency-playground:perfetto:${id}`);
  // The playground may start listening after this page says it is ready.
  const asking = setInterval(() => channel.postMessage({ ready: true }), 200);
  channel.postMessage({ ready: true });
  // The playground sends Perfetto's own message, {perfetto: {buffer, title, url}}: passed on as it is.
  channel.onmessage = (event) => {
    const message = event.data;
    if (!message || !message.perfetto || !(message.perfetto.buffer instanceof ArrayBuffer)) return;
    clearInterval(asking);
    channel.postMessage({ received: true });
    channel.close();
    show(message);
  };

  function show(message) {
    document.title = `${message.perfetto.title || 'Concurrency Playground trace'} in Perfetto`;
    const frame = document.createElement('iframe');
    frame.src = `${PERFETTO}/`;
    frame.title = 'Perfetto UI';
    frame.allow = 'clipboard-read; clipboard-write; fullscreen';
    status.replaceWith(frame);
    const pinging = setInterval(() => frame.contentWindow && frame.contentWindow.postMessage('PING', PERFETTO), 100);
    addEventListener('message', function onPong(event) {
      if (event.source !== frame.contentWindow || event.data !== 'PONG') return;
      clearInterval(pinging);
      removeEventListener('message', onPong);
      frame.contentWindow.postMessage(message, PERFETTO);
    });
  }
})();
