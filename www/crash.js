// The page's last resort: if its WebAssembly stops (a panic or an
// allocation failure on the page's own thread aborts the instance), the
// page can no longer draw anything, so this plain script says what
// happened and offers a reload. Loaded as a file, not inline, so the
// Content-Security-Policy needs no exception for it.
function showCrash(message) {
  if (document.getElementById('crash')) return;
  const box = document.createElement('div');
  box.id = 'crash';
  box.setAttribute('role', 'alert');
  box.dataset.testid = 'crash';
  const text = document.createElement('p');
  text.textContent = `The playground stopped: ${message}. The run in progress is lost; reload the page to start again.`;
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => location.reload());
  box.append(text, reload);
  document.body.prepend(box);
  reload.focus();
}

addEventListener('concurrency-playground:panic', (event) => showCrash(String(event.detail)));
addEventListener('error', (event) => {
  if (event.error instanceof WebAssembly.RuntimeError) showCrash(String(event.error));
});
addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof WebAssembly.RuntimeError) showCrash(String(event.reason));
});
