//! What a run reports: statistics over repeated runs (`stats`), the public
//! results record (`results`) and how it is assembled from what was
//! measured (`assemble`), and the results as other tools read
//! them (`export`: CSV and a trace; `permalink`: a share link), the verdict
//! line written from a run's figures (`verdict`), the crossover sweep's
//! winners and crossings (`crossover`), a run as events to replay and
//! narrate (`replay`), two runs side by side (`comparison`), and how
//! numbers read (`format`). It sits on
//! the configuration and below the scheduler, which fills it in.

pub mod assemble;
pub mod comparison;
pub mod crossover;
pub mod export;
pub mod format;
pub mod permalink;
pub mod replay;
pub mod results;
pub mod stats;
pub mod verdict;
