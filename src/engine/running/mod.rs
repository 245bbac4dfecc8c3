//! Running models: the scheduler that takes a configuration through every
//! model in turn (`scheduler`, with the `Executor` trait the browser layer
//! implements), the same shapes on std threads (`native`, for tests and the
//! benchmark), what recording itself costs (`overhead`), and the boxing
//! that keeps each poll of a run small (`small_polls`). It sits on
//! everything else in the engine.

pub mod native;
pub mod overhead;
pub mod scheduler;
pub mod small_polls;
