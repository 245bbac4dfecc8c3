//! Running models: the scheduler that takes a configuration through every
//! model in turn (`scheduler`, with the `Executor` trait the browser layer
//! implements), the same shapes on std threads (`native`, for tests and the
//! benchmark), and what recording itself costs (`overhead`). It sits on
//! everything else in the engine.

pub mod native;
pub mod overhead;
pub mod scheduler;
