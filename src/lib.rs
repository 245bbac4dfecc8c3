//! Concurrency Playground: the same CPU and IO workloads under each
//! concurrency model, measured live in the browser.
//!
//! Three layers, data flowing one way (see ARCHITECTURE.md):
//! - [`engine`]: plain Rust, tested natively; workloads, models, measurement.
//! - `browser`: the only code that touches web-sys/js-sys (wasm32 only).
//! - `ui`: Leptos components that render signals and start runs (wasm32 only).

// Nightly's allocation-error hook gives "memory exhausted" a message in the
// browser (browser/panic.rs); the wasm build is on the pinned nightly anyway.
#![cfg_attr(target_arch = "wasm32", feature(alloc_error_hook))]
// The page is built for size (Cargo.toml `wasm-release`, opt-level "z");
// the workload kernels are marked `optimize(speed)` so they alone are
// compiled for speed (rust-lang/rust#54882).
#![cfg_attr(target_arch = "wasm32", feature(optimize_attribute))]
// A thread blocked in a request waits on shared memory with wasm's own
// `memory.atomic.wait32` (browser/network_agent.rs): the threaded page only.
#![cfg_attr(all(target_arch = "wasm32", target_feature = "atomics"), feature(stdarch_wasm_atomic_wait))]

pub mod engine;
pub mod sorting;

#[cfg(target_arch = "wasm32")]
mod browser;
pub mod ui;

/// Starts the app on a page. The same module also starts in every pool
/// worker and worker instance (they instantiate it to share its code); those
/// have no `window` and must not mount anything.
#[cfg(all(target_arch = "wasm32", feature = "page"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    browser::platform::panic::install();
    if !browser::platform::page::is_a_page() {
        return;
    }
    // Into the slot index.html leaves under its static masthead (painted
    // before the wasm arrived); the body if there is none. In a task of its
    // own, after the one that instantiated the module: two shorter tasks
    // keep a phone's first input from waiting on one long one.
    browser::platform::timers::after_a_task(|| {
        match browser::platform::page::static_slot("app").and_then(|slot| wasm_bindgen::JsCast::dyn_into(slot).ok()) {
            Some(slot) => leptos::mount::mount_to(slot, ui::app::App).forget(),
            None => leptos::mount::mount_to_body(ui::app::App),
        }
    });
}

/// The worker instances' own build (no `page`): it only ever starts in a
/// worker instance, and only needs the panic hook.
#[cfg(all(target_arch = "wasm32", not(feature = "page")))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    browser::platform::panic::install();
}

/// Counts live heap bytes for the memory charts (see `engine::measurement::heap_counter`).
#[global_allocator]
static ALLOCATOR: engine::measurement::heap_counter::CountingAllocator<std::alloc::System> =
    engine::measurement::heap_counter::CountingAllocator(std::alloc::System);

#[cfg(all(target_arch = "wasm32", feature = "page", not(target_feature = "atomics")))]
compile_error!(
    "Build the page for wasm32 with the flags in .cargo/config.toml (atomics, shared memory, build-std): \
     use `trunk build` from the repository root with the pinned nightly. (Only the worker instances' \
     own build, --no-default-features, is made without atomics: .ci/build-instances.)"
);
