// Trunk post-build hook (Trunk.toml [[hooks]]): writes the page's
// Content-Security-Policy into the built index.html.
//
// The policy allows no eval ('wasm-unsafe-eval' lets WebAssembly compile,
// nothing else) and no inline script but the ones the build writes itself:
// Trunk's module loader, and under `trunk serve` its autoreload script.
// Their text changes with every build (hashed file names), so each is
// allowed by its own SHA-256, computed here from the exact bytes.
//
// connect-src is open to any http(s) origin because the IO workload's `url`
// source fetches a URL the user chooses (only after an explicit Run).
// style-src allows inline styles: the charts colour their elements with
// style attributes. A meta policy cannot set frame-ancestors, which is
// wanted: tutorials embed the page.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('csp.mjs runs as a Trunk hook: TRUNK_STAGING_DIR is not set');
  process.exit(1);
}
const file = join(staging, 'index.html');
let html = readFileSync(file, 'utf8');

const hashes = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
  ([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`,
);

const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' http: https:",
  // wasm-bindgen-rayon's no-bundler helper starts the pool's threads from
  // blob: URLs; only scripts this policy already allows can make one.
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
// Before anything it governs: right after the charset declaration.
html = html.replace(/(<meta charset="utf-8" \/>)/, `$1\n    ${meta}`);
if (!html.includes(meta)) {
  console.error('csp.mjs: could not place the policy in index.html');
  process.exit(1);
}
writeFileSync(file, html);
console.log(`csp.mjs: Content-Security-Policy written (${hashes.length} inline script hashes)`);
