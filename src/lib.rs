//! Concurrency Playground: the same CPU workloads under each concurrency
//! model, measured live in the browser.
//!
//! Three layers, data flowing one way (see ARCHITECTURE.md):
//! - [`engine`]: plain Rust, tested natively; workloads, models, measurement.
//! - `browser`: the only code that touches web-sys/js-sys (wasm32 only).
//! - `ui`: Leptos components that render signals and start runs (wasm32 only).

pub mod engine;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod ui;

/// Counts live heap bytes for the memory charts (see `engine::alloc_counter`).
#[global_allocator]
static ALLOCATOR: engine::alloc_counter::CountingAllocator<std::alloc::System> =
    engine::alloc_counter::CountingAllocator(std::alloc::System);

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
compile_error!(
    "Build for wasm32 with the flags in .cargo/config.toml (atomics, shared memory, build-std): \
     use `trunk build` from the repository root with the pinned nightly."
);
