//! Where a model's threads come from: the page's wasm-bindgen-rayon pool
//! (`rayon_pool`), threads a model starts in the page's instance
//! (`instance_threads`), and worker instances, each its own wasm instance
//! and memory (`worker_instances` on the page's side,
//! `worker_instance_entry` inside one). Imports `platform` and `network`.

pub mod worker_instance_entry;

#[cfg(feature = "page")]
pub mod instance_threads;
#[cfg(feature = "page")]
pub mod rayon_pool;
#[cfg(feature = "page")]
pub mod worker_instances;
