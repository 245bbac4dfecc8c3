// Trunk post-build hook (Trunk.toml [[hooks]]): makes wasm-bindgen-rayon's
// worker script call the wasm-bindgen glue's init the current way.
//
// wasm-bindgen-rayon 1.3.0's workerHelpers.no-bundler.js starts each pool
// thread with `pkg.default(data.module, data.memory)`, positional
// arguments that wasm-bindgen 0.2.9x+ still accepts but warns about on
// every thread ("using deprecated parameters for the initialization
// function; pass a single object instead"): a console warning per thread
// on every page load. The object form does the same thing. If a later
// wasm-bindgen-rayon changes that line, this hook says so and stops the
// build, so the patch cannot silently go stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('rayon-helper.mjs runs as a Trunk hook: TRUNK_STAGING_DIR is not set');
  process.exit(1);
}
const OLD = 'await pkg.default(data.module, data.memory);';
const NEW = 'await pkg.default({ module_or_path: data.module, memory: data.memory });';
const snippets = join(staging, 'snippets');
const helpers = readdirSync(snippets)
  .filter((dir) => dir.startsWith('wasm-bindgen-rayon-'))
  .map((dir) => join(snippets, dir, 'src', 'workerHelpers.no-bundler.js'));
if (helpers.length !== 1) {
  console.error(`rayon-helper.mjs: expected one wasm-bindgen-rayon worker helper, found ${helpers.length}`);
  process.exit(1);
}
const source = readFileSync(helpers[0], 'utf8');
if (!source.includes(NEW)) {
  if (!source.includes(OLD)) {
    console.error(`rayon-helper.mjs: ${helpers[0]} no longer contains \`${OLD}\`; check the new version and update this hook`);
    process.exit(1);
  }
  writeFileSync(helpers[0], source.replace(OLD, NEW));
}
console.log('rayon-helper.mjs: the pool threads initialise with one object');
