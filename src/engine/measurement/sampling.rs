//! How often memory is sampled while a run goes, and how many samples a
//! run keeps: the settings every run window ([`super::run_window`]) uses.

/// Memory is sampled at most this often while a model runs (at most 20 ms
/// apart, so a chart shows growth within a short run).
pub const SAMPLE_PERIOD_MS: f64 = 10.0;

/// Samples kept per run; at 10 ms that is over two minutes of run time
/// (and the period doubles as the buffer fills, so a longer run is still
/// covered to its end).
pub const MAX_SAMPLES: usize = 16_384;

/// Samples one worker instance's chunk keeps: a chunk is at most a quarter
/// of one instance's share of the tasks.
pub const CHUNK_SAMPLES: usize = 1024;
