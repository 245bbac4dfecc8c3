//! The browser layer: the only code that touches web-sys, js-sys and
//! wasm-bindgen. It implements the engine's traits (clock, memory probe,
//! fetchers, executor) and gives the UI the page's URL, heartbeat, Stop and
//! exports. It does no layout and holds no UI state.
//!
//! Three folders, each importing only the ones above it in this list:
//! `platform` (the web platform as the rest uses it: the clock, timers,
//! errors, the page and its environment, a link to a Web Worker, Stop, the
//! heartbeat, the panic hook), `network` (requests: `fetch()`, the agent
//! that makes blocked threads' requests, Resource Timing, the service
//! worker) and `threads` (where threads come from: the rayon pool, threads
//! of this instance, worker instances). What ties them together sits here:
//! the executor, the page's isolation, image export, the hand-over of a
//! trace to Perfetto's UI and the benchmark's export.
//!
//! Two builds come from it (Cargo feature `page`, on by default): the
//! page's, with atomics and shared memory, and the worker instances' own
//! (no `page`, no atomics), which a page without SharedArrayBuffer gives
//! its instances. The second holds only what an instance runs: the clock,
//! the fetchers, resource timing, the panic hook and the instance's exports.

// In the instances' build, what only the page uses goes unused.
#![cfg_attr(not(feature = "page"), allow(dead_code))]

pub mod network;
pub mod platform;
pub mod threads;

#[cfg(feature = "page")]
pub mod bench;
#[cfg(feature = "page")]
pub mod executor;
#[cfg(feature = "page")]
pub mod export_image;
#[cfg(feature = "page")]
pub mod isolation;
#[cfg(feature = "page")]
pub mod perfetto;
