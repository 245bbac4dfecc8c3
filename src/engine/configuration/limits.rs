//! The documented input limits: every accepted configuration stays inside them.
//!
//! They exist so that no input a user can type (or put in a URL) can freeze
//! the tab for long or exhaust the 1 GiB wasm memory ceiling set in
//! `.cargo/config.toml`. The parser in [`super::config`] clamps to them,
//! and the parameter table ([`super::parameters`]) names them.

/// Work is measured in "units": the sum of every task's size (n for the
/// sieve, m for the squares). The default sieve is 1.2e8 units (~120 ms in
/// wasm on one core); this cap is ~17x that, a few seconds sequentially.
pub const MAX_WORK_UNITS: u64 = 2_000_000_000;

/// The squares' own cap on work: a unit there (one loop step) costs about a
/// fifth of a sieve's (63 236 tasks, 2.0e9 units, took `seq` 395 ms in
/// Chromium here), so this is about a second and a half, and lets a run
/// have 100 000 tasks (m from 1: 5.0e9 units) for the replay to play.
pub const MAX_SQUARES_WORK_UNITS: u64 = 6_000_000_000;

/// The largest single sieve: its `Vec<bool>` is one byte per number, so one
/// task never holds more than ~2 MB however many threads run.
pub const MAX_SIEVE_N: u64 = 2_000_000;

/// The largest m for the squares workload: one task is never more than the
/// whole work limit, and the sum stays exact (every i < m fits in u32).
pub const MAX_SQUARES_M: u64 = MAX_WORK_UNITS;
const _: () = assert!(MAX_SQUARES_M <= crate::engine::cpu::squares::MAX_EXACT_M);

/// The largest sieve in a mixed task's compute step, about 140 ms in wasm
/// here, so a task can be mostly computing. A sieve this large runs a
/// segment at a time (`cpu::sieve`), so a thread holds 256 KiB of flags
/// whatever n is, and this limit is one of time, not memory.
pub const MAX_COMPUTE_N: u64 = 100_000_000;

/// A mixed task's compute step as time (`cpu_ms=`), and a task's whole
/// time in the crossover sweep (`task_ms=`): the largest sieve,
/// [`MAX_COMPUTE_N`], takes about this long in wasm on a fast core; a
/// slower machine reaches it sooner, and the calibration says so.
pub const MAX_CPU_MS: u32 = 100;
pub const DEFAULT_TASK_MS: u32 = 20;

/// The most tasks a run may have: the per-task timeline costs 12 bytes each.
pub const MAX_TASKS: u64 = 1_000_000;

/// Repeats and warm-ups per model.
pub const MAX_REPEAT: u32 = 20;
pub const MAX_WARMUP: u32 = 5;

/// The most worker threads (rayon) or worker instances (workers) we start,
/// whatever `navigator.hardwareConcurrency` says: each costs a Web Worker and
/// a thread stack, and more than this gains nothing in a tab.
pub const MAX_THREADS: u32 = 32;

// The IO workload. A request's cost is in the browser (sockets, buffers,
// the service worker), not in our heap, so the limits bound what the tab
// holds at once and how long the slowest model (`seq`) can run.

/// Requests per run: `all` starts every one at once.
pub const MAX_REQUESTS: u32 = 2_000;

/// The service worker's delay per request: the latency source's own
/// limit (a drawn delay is held to it too), also enforced in `www/sw.js`.
pub use crate::engine::io::workload::MAX_LATENCY_MS;

/// One response body; `all` may hold every body at once.
pub const MAX_RESPONSE_BYTES: u32 = 4 << 20;

/// All response bodies of one run together.
pub const MAX_IO_TOTAL_BYTES: u64 = 256 << 20;

/// requests x latency_ms: the time `seq` needs, at most 5 minutes.
pub const MAX_SEQUENTIAL_MS: u64 = 300_000;

/// Per-request timeout bounds (default 30 s).
pub const MIN_TIMEOUT_MS: u32 = 100;
pub const MAX_TIMEOUT_MS: u32 = 120_000;

/// Requests in flight for `bounded`, and threads for IO `threads`: enough
/// for the post's thread per request (100 requests), with room. Each
/// thread is a Web Worker with a 1 MiB stack (wasm-bindgen's default) and
/// its thread-locals in the shared memory: 256 of them hold about 260 MiB
/// of the 1 GiB ceiling.
pub const MAX_CONCURRENCY: u32 = 256;

/// The `gil` model's switch interval, in ms (CPython accepts any positive
/// float; a second is already far beyond any run here).
pub const MAX_SWITCH_MS: u32 = 1_000;

/// `t=`, the moment a replay opens at: an hour is past any run here.
pub const MAX_REPLAY_AT_MS: f64 = 3_600_000.0;

/// A user's URL, in characters.
pub const MAX_URL_CHARS: usize = 2_048;

/// A time given in `ref=`, in seconds (a day: more is surely a typo).
pub const MAX_REFERENCE_S: f64 = 86_400.0;
