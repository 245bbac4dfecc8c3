// Static file servers for the release build in dist/, on loopback, sending
// the cross-origin isolation headers a host must send (or not: `isolated`),
// and a second origin for the IO `url` source's tests.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

// DIST=/other/dist/ serves another build (the benchmark compares builds).
export const DIST = process.env.DIST ?? fileURLToPath(new URL('../../../dist/', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

// What a host must send for the page to be cross-origin isolated (as
// www/_headers does; resources cross-origin so tutorials can load embed.js).
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Serves dist/. `staticDelayMs` makes the IO static files slow, as a real
 * server far away would be, so the browser's per-host connection limit
 * shows in the timings. `inFlight` counts the requests the server is
 * answering at once (its own view of concurrency). `routes` maps a path to
 * a handler `(request, response, isolationHeaders)` that answers it instead
 * (the benchmark's frame page).
 */
export async function serveDist({ isolated = true, staticDelayMs = 0, routes = {} } = {}) {
  const stats = { inFlight: 0, mostInFlight: 0, staticRequests: 0 };
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    if (Object.hasOwn(routes, path)) {
      routes[path](request, response, isolated ? ISOLATION_HEADERS : {});
      return;
    }
    const file = normalize(join(DIST, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(DIST)) {
      response.writeHead(403).end();
      return;
    }
    const isStatic = path.includes('/io-static/');
    if (isStatic) {
      stats.staticRequests += 1;
      stats.inFlight += 1;
      stats.mostInFlight = Math.max(stats.mostInFlight, stats.inFlight);
      await sleep(staticDelayMs);
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
      if (isolated) Object.assign(headers, ISOLATION_HEADERS);
      response.writeHead(200, headers).end(await readFile(file));
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    } finally {
      if (isStatic) stats.inFlight -= 1;
    }
  });
  return listen(server, stats);
}

/**
 * Another origin for the `url` source: `/cors` answers 2048 bytes that any
 * page may read, `/missing` a 404 that any page may read, `/no-cors` an
 * answer without Access-Control-Allow-Origin, `/slow` the 2048 bytes after
 * `?ms=` milliseconds.
 */
export async function serveOtherOrigin() {
  const stats = { requests: 0 };
  const body = 'x'.repeat(2048);
  const server = createServer(async (request, response) => {
    stats.requests += 1;
    const url = new URL(request.url, 'http://localhost');
    const cors = { 'Access-Control-Allow-Origin': '*', 'Timing-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    switch (url.pathname) {
      case '/cors':
        response.writeHead(200, { ...cors, 'Content-Type': 'text/plain' }).end(body);
        break;
      case '/slow':
        await sleep(Number(url.searchParams.get('ms') ?? 0));
        response.writeHead(200, { ...cors, 'Content-Type': 'text/plain' }).end(body);
        break;
      case '/missing':
        response.writeHead(404, { ...cors, 'Content-Type': 'text/plain' }).end('not here');
        break;
      default:
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end(body);
    }
  });
  return listen(server, stats);
}

/**
 * A tutorial's site on another origin, sending no special headers (as most
 * do): `pages` maps a path to its HTML.
 */
export async function serveTutorial(pages) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    // A browser asks for the icon by itself: no icon, and no error for it.
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (!Object.hasOwn(pages, path)) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(pages[path]);
  });
  return listen(server, {});
}

/** A loopback port with nothing listening on it: connections are refused. */
export async function closedPort() {
  const server = createServer();
  const { port } = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address())));
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listen(server, stats) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  // Keep-alive sockets would hold close() open until they time out.
  const close = () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); });
  return { url: `http://127.0.0.1:${port}/`, port, stats, close };
}
