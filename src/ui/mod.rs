//! The UI: Leptos components that render signals and start runs; they do
//! no timing or measuring (that is the engine's and the browser layer's).
//! Chart geometry (`geometry`), number formats (`format`) and the form's
//! state (`form`) are plain Rust, compiled and tested natively.

pub mod form;
pub mod format;
pub mod geometry;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod controls;
#[cfg(target_arch = "wasm32")]
mod results_view;
#[cfg(target_arch = "wasm32")]
mod status;
#[cfg(target_arch = "wasm32")]
mod time_chart;
