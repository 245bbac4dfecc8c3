//! Requests: the engine's fetchers over `fetch()` (`fetch`), the network
//! agent that makes the requests of threads blocked in them (`agent`), what
//! the browser's Resource Timing says of them, and the service worker that
//! answers the latency source. Imports `platform` only.

pub mod fetch;
pub mod resource_timing;

#[cfg(feature = "page")]
pub mod agent;
#[cfg(feature = "page")]
pub mod service_worker;
