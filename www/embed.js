// <concurrency-playground>: the Concurrency Playground in a tutorial, in one tag.
//
//   <script src="https://your.host/playground/embed.js" defer></script>
//   <concurrency-playground experiment="sync-vs-threads" autorun></concurrency-playground>
//
// Attributes: `experiment` (a post's experiment id), `query` (any query the
// page's URL takes; with `experiment`, added to it), `autorun`, `height`
// (px before the page reports its own), `charts-only`, `title`, `compare`
// (a run to compare the reader's with: a share link, or what follows its
// `#results=`), and `src` (the playground's address; by default where this
// script came from).
// The frame is made only when the tag comes near the viewport, so a page
// with five tags does not load five playgrounds at once. It is sized to the
// playground's content, and re-dispatches the playground's messages as DOM
// events on the tag: `ready`, `results` (detail: the results record), and
// `reply`. Methods: run(query?), stop(), configure(query), seek(t_ms),
// play(speed?), pause(); each returns a promise of the page's reply
// ({ok, reason, messages}). It needs nothing of the host page's headers.
(() => {
  const PREFIX = 'concurrency-playground:';
  const script = document.currentScript;
  // Where this script came from is where the playground lives.
  const scriptBase = script && script.src ? new URL('./', script.src).href : null;
  const NEAR = '400px';

  class ConcurrencyPlayground extends HTMLElement {
    static get observedAttributes() { return ['height']; }

    constructor() {
      super();
      this.frame = null;
      this.results = null;
      this.ready = null;
      this.pending = new Map();
      this.nextId = 1;
      this.readyPromise = new Promise((resolve) => { this.resolveReady = resolve; });
      this.onMessage = this.onMessage.bind(this);
    }

    connectedCallback() {
      if (this.placeholder || this.frame) return;
      this.style.display = 'block';
      const box = document.createElement('div');
      box.className = 'concurrency-playground-placeholder';
      box.style.cssText = `height:${this.initialHeight()}px;display:flex;align-items:center;justify-content:center;`
        + 'border:1px dashed currentColor;border-radius:8px;opacity:0.7;font:14px system-ui,sans-serif;';
      box.textContent = 'The Concurrency Playground loads here when you scroll to it.';
      this.placeholder = box;
      this.append(box);
      addEventListener('message', this.onMessage);
      if ('IntersectionObserver' in window) {
        this.observer = new IntersectionObserver((entries) => {
          if (entries.some((entry) => entry.isIntersecting)) this.load();
        }, { rootMargin: NEAR });
        this.observer.observe(this);
      } else {
        this.load();
      }
    }

    disconnectedCallback() {
      removeEventListener('message', this.onMessage);
      if (this.observer) this.observer.disconnect();
    }

    attributeChangedCallback(name, _old, value) {
      if (name === 'height' && this.placeholder && !this.frame) this.placeholder.style.height = `${this.initialHeight()}px`;
    }

    initialHeight() {
      const height = parseInt(this.getAttribute('height') || '', 10);
      return Number.isFinite(height) && height > 0 ? Math.min(height, 10000) : 640;
    }

    /** The frame's address: the playground, this tag's query, embed=1. */
    address() {
      const base = this.getAttribute('src') || scriptBase;
      if (!base) throw new Error('<concurrency-playground> needs src="…" (the playground\'s address) when embed.js is loaded as a module');
      const url = new URL(base, document.baseURI);
      const params = new URLSearchParams(this.getAttribute('query') || '');
      const experiment = this.getAttribute('experiment');
      if (experiment) params.set('experiment', experiment);
      params.set('embed', '1');
      if (this.hasAttribute('autorun')) params.set('autorun', '1');
      if (this.hasAttribute('charts-only')) params.set('charts_only', '1');
      url.search = params.toString();
      // The author's run, for the reader's to be compared with (#compare=…).
      const compare = this.getAttribute('compare');
      if (compare) {
        const shared = /(?:^|[#&])(?:results|compare)=([^&]+)/.exec(compare.trim());
        url.hash = `compare=${shared ? shared[1] : compare.trim()}`;
      }
      return url;
    }

    /** Makes the frame (once): as the tag nears the viewport, or when a method needs it. */
    load() {
      if (this.frame) return;
      if (this.observer) this.observer.disconnect();
      const url = this.address();
      this.origin = url.origin;
      const frame = document.createElement('iframe');
      frame.src = url.href;
      frame.title = this.getAttribute('title') || 'Concurrency Playground';
      frame.allow = 'cross-origin-isolated; clipboard-write';
      frame.style.cssText = `width:100%;height:${this.initialHeight()}px;border:0;display:block;`;
      this.frame = frame;
      this.placeholder.replaceWith(frame);
      this.placeholder = null;
    }

    onMessage(event) {
      if (!this.frame || event.source !== this.frame.contentWindow) return;
      const data = event.data;
      if (!data || typeof data.type !== 'string' || !data.type.startsWith(PREFIX)) return;
      switch (data.type.slice(PREFIX.length)) {
        case 'height':
          if (Number.isFinite(data.height) && data.height > 0) this.frame.style.height = `${Math.ceil(data.height)}px`;
          return;
        case 'ready':
          this.ready = data;
          this.resolveReady(data);
          this.dispatchEvent(new CustomEvent('ready', { detail: data, bubbles: true }));
          return;
        case 'results':
          this.results = data.results;
          this.dispatchEvent(new CustomEvent('results', { detail: data.results, bubbles: true }));
          return;
        case 'reply': {
          const settle = this.pending.get(data.id);
          this.pending.delete(data.id);
          if (settle) settle(data);
          this.dispatchEvent(new CustomEvent('reply', { detail: data, bubbles: true }));
          return;
        }
        default:
      }
    }

    /** Sends a command once the page is ready; resolves with its reply. */
    async command(command, fields = {}) {
      this.load();
      await this.readyPromise;
      const id = `cp-${this.nextId++}`;
      const reply = new Promise((resolve) => this.pending.set(id, resolve));
      this.frame.contentWindow.postMessage({ type: `${PREFIX}command`, id, command, ...fields }, this.origin);
      return reply;
    }

    run(query) { return this.command('run', query === undefined ? {} : { query }); }
    stop() { return this.command('stop'); }
    configure(query) { return this.command('configure', { query }); }
    seek(t) { return this.command('seek', { t }); }
    play(speed) { return this.command('play', speed === undefined ? {} : { speed }); }
    pause() { return this.command('pause'); }
  }

  if (!customElements.get('concurrency-playground')) {
    customElements.define('concurrency-playground', ConcurrencyPlayground);
  }
})();
