//! The UI: Leptos components that render signals and start runs; they do
//! no timing or measuring (that is the engine's and the browser layer's).
//! Chart geometry (`geometry`) and the form's state (`form`) are plain Rust, compiled and tested natively.

pub mod form;
pub mod geometry;
pub mod model_code;
pub mod palette;
pub mod series;
pub mod timeline_layout;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod chart_frame;
#[cfg(target_arch = "wasm32")]
mod chart_parts;
#[cfg(target_arch = "wasm32")]
mod controls;
#[cfg(target_arch = "wasm32")]
mod environment_panel;
#[cfg(target_arch = "wasm32")]
mod memory_chart;
#[cfg(target_arch = "wasm32")]
mod model_cards;
#[cfg(target_arch = "wasm32")]
mod results_view;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
mod status;
#[cfg(target_arch = "wasm32")]
mod sweep_chart;
#[cfg(target_arch = "wasm32")]
mod time_chart;
#[cfg(target_arch = "wasm32")]
mod timeline;
