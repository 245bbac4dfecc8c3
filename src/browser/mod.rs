//! The browser layer: the only code that touches web-sys, js-sys and
//! wasm-bindgen. It implements the engine's traits (clock, memory probe,
//! executor) with the page's main thread, the wasm-bindgen-rayon pool and
//! worker instances, and gives the UI the page's URL, heartbeat and exports.
//! It does no layout and holds no UI state.

pub mod clock;
pub mod environment;
pub mod executor;
pub mod heartbeat;
pub mod page;
pub mod process_pool;
pub mod rayon_pool;
pub mod timers;
pub mod worker_entry;
