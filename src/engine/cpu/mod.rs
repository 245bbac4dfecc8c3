//! The CPU half of the engine: the posts' CPU workloads as task lists
//! (`workload`, `sieve`, `squares`), the CPU models (`model`), the task loop
//! they share (`run`), the `gil` model's lock (`gil`) and, where threads
//! cannot share memory, its token (`gil_token`), how worker instances are fed chunks
//! (`worker_instances`), and the faults tests inject (`fault`). Where the
//! threads come from is the browser layer's (and `running::native`'s).
//! It sits on the measurement layer and imports nothing else of the engine.

pub mod fault;
pub mod gil;
pub mod gil_token;
pub mod model;
pub mod run;
pub mod sieve;
pub mod squares;
pub mod worker_instances;
pub mod workload;
