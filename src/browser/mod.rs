//! The browser layer: the only code that touches web-sys, js-sys and
//! wasm-bindgen. It implements the engine's traits (clock, memory probe,
//! fetchers, executor) with the page's main thread, the wasm-bindgen-rayon
//! pool, threads of this instance, worker instances and the service worker,
//! and gives the UI the page's URL, heartbeat, Stop and exports. It does no
//! layout and holds no UI state.

pub mod bench;
pub mod clock;
pub mod environment;
pub mod executor;
pub mod export_image;
pub mod heartbeat;
pub mod isolation;
pub mod js_error;
pub mod network;
pub mod page;
pub mod panic;
pub mod rayon_pool;
pub mod resource_timing;
pub mod service_worker;
pub mod stop;
pub mod threads;
pub mod timers;
pub mod worker_instance_entry;
pub mod worker_instances;
pub mod worker_link;
