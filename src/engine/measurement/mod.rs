//! The measurement layer: everything a run measures with and records, and
//! nothing else. Every other part of the engine sits on it; it imports
//! nothing above it (no workload, model, configuration or report).
//!
//! In pipeline order: the probes a run reads (`probes`: clock, memory; the
//! heap counter behind the live-heap figures), the window a run opens
//! (`run_window`, with its `sampling` settings), where it writes while it
//! goes (`slots`), what it records (`records`, and of requests on the wire
//! `wire`), what one run measured (`run_measurement`), and how worker
//! instances' memory adds to the page's (`instance_memory`).

pub mod heap_counter;
pub mod instance_memory;
pub mod probes;
pub mod records;
pub mod run_measurement;
pub mod run_window;
pub mod sampling;
pub mod slots;
pub mod wire;
