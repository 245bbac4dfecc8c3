//! The web platform as the rest of the browser layer uses it: the shared
//! clock and memory probe, timers, JS errors in words, the page itself
//! (URL, messages, downloads, focus) and its environment (isolation,
//! shared memory, cores), the page's side of a Web Worker, Stop, the
//! heartbeat and the panic hook. Imports nothing else of the browser layer.

pub mod clock;
pub mod js_error;
pub mod panic;

#[cfg(feature = "page")]
pub mod environment;
#[cfg(feature = "page")]
pub mod heartbeat;
#[cfg(feature = "page")]
pub mod page;
#[cfg(feature = "page")]
pub mod stop;
#[cfg(feature = "page")]
pub mod timers;
#[cfg(feature = "page")]
pub mod worker_link;
