//! What a run is asked to do: the configuration (`config`), the URL
//! parameters it is made of as one table (`parameters`), the limits every
//! accepted value stays inside (`limits`), the one parser and the canonical
//! query (`parser`), the query string codec (`query`), and how its messages
//! write numbers (`numbers`). It sits on the workloads and models and knows
//! nothing of running or reporting.

pub mod config;
pub mod limits;
pub mod numbers;
pub mod parameters;
pub mod parser;
pub mod query;
