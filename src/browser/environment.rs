//! Facts about the browser that decide what can run and go into results.

use crate::engine::results::Environment;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `crossOriginIsolated` is not in web-sys' Window yet; it is a global.
    #[wasm_bindgen(thread_local_v2, js_name = crossOriginIsolated)]
    static CROSS_ORIGIN_ISOLATED: Option<bool>;
}

/// SharedArrayBuffer (and so every threaded model) needs this to be true:
/// the page must be served with COOP `same-origin` and COEP `require-corp`.
pub fn cross_origin_isolated() -> bool {
    CROSS_ORIGIN_ISOLATED.with(|isolated| isolated.unwrap_or(false))
}

pub fn hardware_concurrency() -> u32 {
    web_sys::window().map(|w| w.navigator().hardware_concurrency() as u32).unwrap_or(1).max(1)
}

pub fn user_agent() -> String {
    web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default()
}

pub fn environment() -> Environment {
    Environment {
        cross_origin_isolated: cross_origin_isolated(),
        hardware_concurrency: hardware_concurrency(),
        user_agent: user_agent(),
    }
}
