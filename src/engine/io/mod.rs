//! The IO half of the engine: the posts' IO workload (N requests of about
//! L ms) as a list of URLs, and the IO models. The shapes in which they
//! issue requests are `task`'s. The network itself is behind
//! the traits in [`fetch`], which the browser layer implements; how many
//! requests were really on the wire is [`on_wire`].

pub mod fetch;
pub mod model;
pub mod on_wire;
pub mod workload;
