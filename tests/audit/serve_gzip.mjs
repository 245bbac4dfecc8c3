// A static server for a built dist/ folder that behaves like a static host
// (Netlify, Cloudflare Pages): every compressible file gzipped once at start
// (level 9) and sent with Content-Encoding: gzip to clients that accept it,
// long-lived caching for content-hashed names, no-cache (with an ETag) for
// the rest, and the cross-origin isolation headers (or not: `isolated`).
// For audits (Lighthouse measures transfer sizes) and the benchmark. Where it
// stops: no Brotli, no Range requests, no HTTP/2, no directory listings, no
// _headers parsing; files are read once, so a rebuild needs a new server.
//
//   import { serveGzip } from './serve_gzip.mjs';
//   const { url, close } = await serveGzip({ dist: '/tmp/dist/' });
//   node tests/audit/serve_gzip.mjs [dist] [--port N] [--not-isolated]
import { createServer } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

export const DEFAULT_DIST = process.env.DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));

// As tests/e2e/support/server.mjs.
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.svg', '.txt']);
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
// Trunk's content hashes: name-<16 hex>.ext or name-<16 hex>_bg.wasm. The
// snippets/<crate>-<hash>/ folders are named per crate, not per content.
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // Dotfiles, and the hosts' own config files, which they do not serve.
    if (entry.name.startsWith('.') || entry.name === '_headers' || entry.name === '_redirects') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Reads and precompresses every file of `dist`: URL path → entry. */
async function load(dist) {
  const files = new Map();
  for await (const file of walk(dist)) {
    const path = '/' + relative(dist, file).split(sep).join('/');
    const raw = await readFile(file);
    const ext = extname(file);
    const gz = COMPRESSIBLE.has(ext) ? gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }) : null;
    const name = path.slice(path.lastIndexOf('/') + 1);
    files.set(path, {
      raw,
      gzip: gz && gz.length < raw.length ? gz : null,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha1').update(raw).digest('base64url').slice(0, 20)}"`,
      cache: HASHED.test(name) ? IMMUTABLE : 'no-cache',
    });
  }
  return files;
}

/**
 * Serves `dist` on loopback. Returns `{ url, port, close, files }`, `files`
 * the URL paths with their raw and gzipped sizes (for reports).
 */
export async function serveGzip({ dist = DEFAULT_DIST, isolated = true, port = 0 } = {}) {
  const root = resolve(dist);
  const files = await load(root);
  const server = createServer((request, response) => {
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = files.get(path);
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(file ? 405 : 404, { 'Content-Type': 'text/plain' }).end(file ? 'method not allowed' : 'not found');
      return;
    }
    const gzip = file.gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    const headers = {
      'Content-Type': file.type,
      'Cache-Control': file.cache,
      ETag: gzip ? file.etag.replace(/"$/, '-gz"') : file.etag,
      Vary: 'Accept-Encoding',
      ...(isolated ? ISOLATION_HEADERS : {}),
    };
    if (request.headers['if-none-match'] === headers.ETag) {
      response.writeHead(304, headers).end();
      return;
    }
    const body = gzip ? file.gzip : file.raw;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = body.length;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise((done) => server.listen(port, '127.0.0.1', done));
  const address = server.address();
  // Keep-alive sockets would hold close() open until they time out.
  const close = () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); });
  const sizes = [...files].map(([path, f]) => ({ path, bytes: f.raw.length, gzipBytes: f.gzip?.length ?? f.raw.length }));
  return { url: `http://127.0.0.1:${address.port}/`, port: address.port, close, files: sizes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 ? Number(args[portAt + 1]) : 0;
  const dist = args.find((a, i) => !a.startsWith('--') && (portAt < 0 || i !== portAt + 1));
  const { url, files } = await serveGzip({ dist: dist ?? DEFAULT_DIST, isolated: !args.includes('--not-isolated'), port });
  for (const f of files) console.log(`${String(f.gzipBytes).padStart(9)} gz ${String(f.bytes).padStart(9)} raw  ${f.path}`);
  console.log(`serving ${resolve(dist ?? DEFAULT_DIST)} at ${url}`);
}
