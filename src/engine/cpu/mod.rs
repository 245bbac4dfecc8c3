//! The CPU half of the engine: the posts' CPU workloads as task lists, the
//! CPU models, the task loop they share, and the process-pool chunking.
//! Where the threads come from is the browser layer's (and `native`'s).

pub mod model;
pub mod process;
pub mod run;
pub mod sieve;
pub mod squares;
pub mod workload;
