//! What a run is asked to do: the configuration (`config`), the URL
//! parameters it is made of as one table (`parameters`) and how each value
//! is read (`readers`), the limits every
//! accepted value stays inside (`limits`), the one parser and the canonical
//! query (`parser`), the query string codec (`query`), and how its messages
//! write numbers (`numbers`); and each model item resolved once into what
//! it runs on (`plan`). It sits on the workloads and models and knows
//! nothing of running or reporting.

pub mod config;
pub mod limits;
pub mod numbers;
pub mod parameters;
pub mod parser;
pub mod plan;
pub mod query;
pub mod readers;
