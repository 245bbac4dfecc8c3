// The benchmark's JavaScript peer: the two CPU workloads written as a
// JavaScript developer would write them by hand, with no wasm - the sieve
// over a Uint8Array, the sum of squares with an exact BigInt total - run
// the way the playground's `workers` model runs them: multiprocessing.Pool.map's
// chunks (ceil(tasks / (4 k)) tasks each) handed to whichever of k Web
// Workers is free. Timed on 1 worker and on k workers, with the same chunks.
// Stops at the page that runs them; bench.mjs opens it and report.mjs
// compares.

export const JS_PEERS_PATH = '/__bench/js_peers.html';

// One worker's code: a chunk of tasks in, its checksum (a decimal string) out.
const WORKER_SOURCE = String.raw`
function countPrimesUpTo(n) {
  if (n < 2) return 0;
  const isPrime = new Uint8Array(n + 1).fill(1);
  isPrime[0] = 0;
  isPrime[1] = 0;
  for (let p = 2; p * p <= n; p++) {
    if (isPrime[p]) {
      for (let multiple = p * p; multiple <= n; multiple += p) isPrime[multiple] = 0;
    }
  }
  let count = 0;
  for (let i = 0; i <= n; i++) count += isPrime[i];
  return count;
}

// sum(i * i for i in range(m)), exact: squares below 2^53 are added as
// doubles while the partial sum stays exact, then moved into a BigInt.
function sumOfSquares(m) {
  const flushAt = Number.MAX_SAFE_INTEGER - (m - 1) * (m - 1);
  let total = 0n;
  let partial = 0;
  for (let i = 0; i < m; i++) {
    partial += i * i;
    if (partial > flushAt) { total += BigInt(partial); partial = 0; }
  }
  return total + BigInt(partial);
}

onmessage = ({ data: { workload, first, end } }) => {
  let checksum = 0n;
  for (let task = first; task < end; task++) {
    checksum += workload.kind === 'sieve'
      ? BigInt(countPrimesUpTo(workload.from + task))
      : sumOfSquares(workload.base + task);
  }
  postMessage(checksum.toString());
};
`;

// The page: ?k=2&repeat=5&warmup=1; it reports to `reportPath` what each
// workload took on 1 and on k workers, every run, with its checksum.
export const JS_PEERS_HTML = (reportPath) => `<!doctype html><meta charset="utf-8"><title>JavaScript peers</title>
<script>
const WORKLOADS = {
  sieve: { kind: 'sieve', from: 1000, to: 16000 },
  squares: { kind: 'squares', base: 5000000, count: 20 },
};
const taskCount = (w) => (w.kind === 'sieve' ? w.to - w.from : w.count);
const workerUrl = URL.createObjectURL(new Blob([${JSON.stringify(WORKER_SOURCE)}], { type: 'text/javascript' }));

// Pool.map: chunks in order, each to the next free worker; the total is
// the sum of the chunks' checksums. Time from the first chunk sent to the
// last reply (the workers are started before, as the playground's are).
async function poolMap(workers, workload) {
  const tasks = taskCount(workload);
  const chunkSize = Math.max(1, Math.ceil(tasks / (4 * workers.length)));
  const chunks = [];
  for (let first = 0; first < tasks; first += chunkSize) chunks.push([first, Math.min(first + chunkSize, tasks)]);
  let total = 0n;
  const started = performance.now();
  await Promise.all(workers.map(async (worker) => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      const reply = await new Promise((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.postMessage({ workload, first: chunk[0], end: chunk[1] });
      });
      total += BigInt(reply);
    }
  }));
  return { ms: performance.now() - started, checksum: total.toString() };
}

async function main() {
  const query = new URLSearchParams(location.search);
  const k = Number(query.get('k') ?? 2), repeat = Number(query.get('repeat') ?? 5), warmup = Number(query.get('warmup') ?? 1);
  const report = { k, repeat, warmup, workloads: {} };
  for (const [name, workload] of Object.entries(WORKLOADS)) {
    report.workloads[name] = {};
    for (const count of [1, k]) {
      const workers = Array.from({ length: count }, () => new Worker(workerUrl));
      const runs = [];
      for (let run = 0; run < warmup + repeat; run++) runs.push(await poolMap(workers, workload));
      workers.forEach((worker) => worker.terminate());
      report.workloads[name][count] = { runs_ms: runs.slice(warmup).map((r) => r.ms), checksum: runs[0].checksum,
        checksums_agree: runs.every((r) => r.checksum === runs[0].checksum) };
    }
  }
  return report;
}
main().then((report) => fetch('${reportPath}', { method: 'POST', body: JSON.stringify({ js_peers: report }) }),
  (error) => fetch('${reportPath}', { method: 'POST', body: JSON.stringify({ error: String(error) }) }));
</script>`;
