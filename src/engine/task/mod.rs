//! A task as steps, and the one run state every model runs tasks in.
//!
//! A task is a list of steps, each computing (a unit of a CPU workload) or
//! waiting (one request) ([`step`]). One run of one model is a [`run::ModelRun`]
//! with its books for both kinds of step; [`task_loop`] runs any task in
//! it, on a thread that may block or on an event loop, timed by a [`lane`]. The shapes the
//! models run in ([`shapes`]) and what worker instances are sent and send
//! back ([`chunks`], [`shares`], [`part`]) run any task, so a task of both kinds
//! needs no shape of its own. It sits on `cpu`, `io` and `workload`.

pub mod chunks;
pub mod lane;
pub mod part;
pub mod run;
pub mod shapes;
pub mod shares;
pub mod step;
pub mod task_loop;
