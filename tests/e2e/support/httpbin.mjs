// A real HTTP server for the IO specs: PyPI's httpbin (the service the
// posts called) under gunicorn, from the virtual environment .ci/install
// makes in tests/.venv. It sends CORS headers for any origin and no
// Timing-Allow-Origin, as the public httpbin.org does; `/delay/<s>` answers
// after s seconds.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const GUNICORN = fileURLToPath(new URL('../../.venv/bin/gunicorn', import.meta.url));

/** Starts httpbin on a free loopback port; resolves once it listens. */
export async function startHttpbin() {
  // Threads, not processes: one process answers every request at once
  // (the posts' scripts had up to 100 in flight), and it starts quickly.
  const server = spawn(GUNICORN, ['-b', '127.0.0.1:0', '-k', 'gthread', '--threads', '128', '-w', '1', 'httpbin:app'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise((resolve, reject) => {
    let log = '';
    const failed = (why) => reject(new Error(`httpbin did not start (${why}): ${log.slice(-500)}`));
    server.once('error', (error) => failed(error.message));
    server.once('exit', (code) => failed(`exit ${code}`));
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const listening = log.match(/Listening at: (http:\/\/127\.0\.0\.1:\d+)/);
      if (listening) resolve(`${listening[1]}/`);
    });
  });
  const close = () => new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
  return { url, close };
}
