//! The engine: workloads, models, measurement, configuration, the run
//! pipeline and its reports, in plain Rust. Nothing in here touches a
//! browser API: `cargo test` runs all of it natively.
//!
//! Its folders, from the bottom up (each imports only those before it):
//! - [`model_id`], [`placement`], [`seeded`]: a model's public id and where a model
//!   runs, which both families declare their models with; seeded draws.
//! - [`measurement`]: clock and memory probes, the run window, records,
//!   lock-free slots, what one run measured.
//! - [`cpu`], [`io`]: the posts' workloads, their kernels, the models; the
//!   network is behind [`io::fetch`]'s traits.
//! - [`mixed`]: tasks that wait and compute.
//! - [`model`], [`workload`]: either family, for the code that does not care which;
//!   [`experiments`]: the posts' experiments as data (a query, the published figures).
//! - [`task`]: a task as steps of computing and waiting, the one run state
//!   every model runs tasks in, the shapes, and what worker instances are sent.
//! - [`configuration`]: the URL parameters, their limits, and the one parser.
//! - [`reporting`]: statistics, the results record, and its exports.
//! - [`embed_api`]: the embed's messages (ready, commands, replies, results),
//!   read and validated as the URL is.
//! - [`running`]: the scheduler (the pipeline), its [`running::scheduler::Executor`]
//!   trait that the browser layer implements, and the native executor.

pub mod configuration;
pub mod cpu;
pub mod embed_api;
pub mod experiments;
pub mod io;
pub mod measurement;
pub mod mixed;
pub mod model;
pub mod model_id;
pub mod placement;
pub mod reporting;
pub mod running;
pub mod seeded;
pub mod task;
pub mod workload;
