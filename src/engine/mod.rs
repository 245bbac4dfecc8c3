//! The engine: workloads, models, measurement and statistics in plain Rust.
//!
//! Nothing in here touches a browser API: `cargo test` runs all of it
//! natively. It stops at the traits in [`measure`] (clock, memory probe) and
//! [`scheduler::CpuExecutor`], which the browser layer implements.

pub mod alloc_counter;
pub mod config;
pub mod limits;
pub mod measure;
pub mod model;
pub mod native;
pub mod process;
pub mod query;
pub mod record;
pub mod results;
pub mod run;
pub mod scheduler;
pub mod sieve;
pub mod squares;
pub mod stats;
pub mod workload;
