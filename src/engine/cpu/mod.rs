//! The CPU half of the engine: the posts' CPU workloads as task lists
//! (`workload`), their kernels as compute steps (`kernel`, `sieve`,
//! `squares`), the CPU models (`model`), the `gil` model's lock (`gil`)
//! and, where threads cannot share memory, its token (`gil_token`), and the
//! faults tests inject (`fault`); the sieve timed to a size (`calibrate`). The loop tasks run in is `task`'s; where
//! the threads come from is the browser layer's (and `running::native`'s).
//! It sits on the measurement layer and imports nothing else of the engine.

pub mod calibrate;
pub mod fault;
pub mod gil;
pub mod gil_token;
pub mod kernel;
pub mod model;
pub mod sieve;
pub mod squares;
pub mod workload;
