//! Cross-origin isolation on hosts that send no headers (GitHub Pages): once
//! the service worker controls the page, a reload gets the page from it
//! with COOP/COEP (www/sw.js), and the page is isolated. At most one reload
//! per tab session, never a loop: a sessionStorage flag remembers the try,
//! and without sessionStorage there is no try at all.

use crate::browser::network::service_worker::ServiceWorkerState;
use crate::browser::platform::environment::{cross_origin_isolated, embedded};

/// Where isolation stands after the page's start.
#[derive(Clone, Debug, PartialEq)]
pub enum IsolationState {
    /// Waiting for the service worker before deciding.
    Checking,
    Isolated,
    /// The page is reloading to come back isolated.
    Reloading,
    /// Not isolated, and nothing this page can do about it: why.
    NotIsolated(String),
}

const TRIED_KEY: &str = "concurrency-playground:isolation-reload";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Decides, once the service worker has settled, whether the page is
/// isolated, must reload once to become so, or cannot be.
pub fn settle(service_worker: &ServiceWorkerState) -> IsolationState {
    let storage = session_storage();
    if cross_origin_isolated() {
        // A later load in this tab without isolation may try again.
        if let Some(storage) = &storage {
            let _ = storage.remove_item(TRIED_KEY);
        }
        return IsolationState::Isolated;
    }
    let tried = storage.as_ref().is_some_and(|s| s.get_item(TRIED_KEY).ok().flatten().is_some());
    match (service_worker, &storage) {
        (ServiceWorkerState::Ready, Some(storage)) if !tried => {
            let _ = storage.set_item(TRIED_KEY, "1");
            match web_sys::window().map(|w| w.location().reload()) {
                Some(Ok(())) => IsolationState::Reloading,
                _ => IsolationState::NotIsolated("The page could not reload itself to become isolated.".into()),
            }
        }
        (ServiceWorkerState::Ready, Some(_)) => IsolationState::NotIsolated(if embedded() {
            "This page runs in a frame whose embedding page is not cross-origin isolated (it would need \
             Cross-Origin-Embedder-Policy itself, and allow=\"cross-origin-isolated\" on the iframe), so it \
             cannot be either."
                .into()
        } else {
            "The page reloaded once through its service worker to become cross-origin isolated and still is \
             not: this browser does not allow it here."
                .into()
        }),
        (ServiceWorkerState::Ready, None) => IsolationState::NotIsolated(
            "The server sends no isolation headers, and this page cannot store the note that keeps a reload \
             from repeating (sessionStorage is off), so it does not try."
                .into(),
        ),
        (ServiceWorkerState::Unavailable(reason), _) => IsolationState::NotIsolated(format!(
            "The server sends no isolation headers, and the service worker that would add them is not \
             available. ({reason})"
        )),
        (ServiceWorkerState::Starting, _) => IsolationState::Checking,
    }
}
