//! Helpers shared by the native integration tests.

pub mod fake_network;
