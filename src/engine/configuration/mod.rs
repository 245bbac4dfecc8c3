//! What a run is asked to do: the configuration (`config`), the URL
//! parameters it is made of as one table (`parameters`), the limits every
//! accepted value stays inside (`limits`), the one parser and the canonical
//! query (`parser`), and the query string codec (`query`). It sits on the workloads and models and knows
//! nothing of running or reporting.

pub mod config;
pub mod limits;
pub mod parameters;
pub mod parser;
pub mod query;
