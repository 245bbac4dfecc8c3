//! The UI: Leptos components that render signals and start runs; they do
//! no timing or measuring (that is the engine's and the browser layer's).
//! Chart geometry (`geometry`) and the form's state (`form`) are plain Rust, compiled and tested natively.

pub mod form;
pub mod geometry;
pub mod model_code;
pub mod palette;
pub mod series;
pub mod timeline_layout;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod app;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod chart_frame;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod chart_parts;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod controls;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod embed_commands;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod environment_panel;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod hero;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod memory_chart;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod mix_sweep_chart;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod model_cards;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod replay_controls;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod results_view;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod run_buttons;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod run_comparison;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod startup;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod state;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod status;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod sweep_chart;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod task_shaper;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod time_chart;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod timeline;
