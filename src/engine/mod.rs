//! The engine: workloads, models, measurement and statistics in plain Rust.
//!
//! Nothing in here touches a browser API: `cargo test` runs all of it
//! natively. It stops at the traits in [`measure`] (clock, memory probe),
//! [`io::fetch`] (the network) and [`scheduler::Executor`] (where a model's
//! threads come from), which the browser layer implements.

pub mod alloc_counter;
pub mod config;
pub mod cpu;
pub mod export;
pub mod fault;
pub mod instances;
pub mod io;
pub mod limits;
pub mod measure;
pub mod measurement;
pub mod model;
pub mod native;
pub mod overhead;
pub mod permalink;
pub mod query;
pub mod record;
pub mod results;
pub mod scheduler;
pub mod stats;
pub mod window;
pub mod workload;
