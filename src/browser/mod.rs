//! The browser layer: the only code that touches web-sys, js-sys and
//! wasm-bindgen. It implements the engine's traits (clock, memory probe,
//! fetchers, executor) with the page's main thread, the wasm-bindgen-rayon
//! pool, threads of this instance, worker instances and the service worker,
//! and gives the UI the page's URL, heartbeat, Stop and exports. It does no
//! layout and holds no UI state.
//!
//! Two builds come from it (Cargo feature `page`, on by default): the
//! page's, with atomics and shared memory, and the worker instances' own
//! (no `page`, no atomics), which a page without SharedArrayBuffer gives
//! its instances. The second holds only what an instance runs: the clock,
//! the fetchers, resource timing, the panic hook and the instance's exports.

// In the instances' build, what only the page uses goes unused.
#![cfg_attr(not(feature = "page"), allow(dead_code))]

pub mod clock;
pub mod js_error;
pub mod network;
pub mod panic;
pub mod resource_timing;
pub mod worker_instance_entry;

#[cfg(feature = "page")]
pub mod bench;
#[cfg(feature = "page")]
pub mod environment;
#[cfg(feature = "page")]
pub mod executor;
#[cfg(feature = "page")]
pub mod export_image;
#[cfg(feature = "page")]
pub mod heartbeat;
#[cfg(feature = "page")]
pub mod isolation;
#[cfg(feature = "page")]
pub mod network_agent;
#[cfg(feature = "page")]
pub mod page;
#[cfg(feature = "page")]
pub mod rayon_pool;
#[cfg(feature = "page")]
pub mod service_worker;
#[cfg(feature = "page")]
pub mod stop;
#[cfg(feature = "page")]
pub mod threads;
#[cfg(feature = "page")]
pub mod timers;
#[cfg(feature = "page")]
pub mod worker_instances;
#[cfg(feature = "page")]
pub mod worker_link;
