//! What the browser's Resource Timing says about a run's requests: the
//! protocol they went over (`nextHopProtocol`). Works on the page and in
//! workers alike; each has its own timeline, so each reads its own.

use super::js_error::field;
use crate::engine::configuration::limits::MAX_REQUESTS;
use crate::engine::io::workload::SIM_PATH;
use wasm_bindgen::JsValue;

fn performance() -> JsValue {
    field(&js_sys::global(), "performance")
}

fn call(method: &str, args: &[JsValue]) -> JsValue {
    let performance = performance();
    let Ok(function) = js_sys::Reflect::get(&performance, &method.into()) else { return JsValue::UNDEFINED };
    let Ok(function) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(function) else { return JsValue::UNDEFINED };
    function.apply(&performance, &args.iter().collect::<js_sys::Array>()).unwrap_or(JsValue::UNDEFINED)
}

/// Forgets earlier entries and makes room for every request of a run (the
/// default buffer holds 250, and a full buffer drops new entries).
pub fn start_run() {
    call("setResourceTimingBufferSize", &[JsValue::from(MAX_REQUESTS + 250)]);
    call("clearResourceTimings", &[]);
}

/// The protocols of this context's fetch() and XMLHttpRequest entries since
/// [`start_run`]: `h2`, `http/1.1`, or `service-worker` for responses the
/// service worker made (no hop at all). Several are joined with `+`. `None`
/// when the browser withholds it (a cross-origin server that sends no
/// Timing-Allow-Origin) or there were no entries.
pub fn protocol() -> Option<String> {
    let entries = call("getEntriesByType", &[JsValue::from_str("resource")]);
    let mut protocols: Vec<String> = Vec::new();
    for entry in js_sys::Array::from(&entries).iter() {
        let initiator = field(&entry, "initiatorType").as_string().unwrap_or_default();
        if initiator != "fetch" && initiator != "xmlhttprequest" {
            continue;
        }
        let next_hop = field(&entry, "nextHopProtocol").as_string().unwrap_or_default();
        let name = field(&entry, "name").as_string().unwrap_or_default();
        // The latency source's responses never reach the network: the entry
        // has no protocol, because there was no hop.
        let from_service_worker = name.contains(SIM_PATH) && field(&entry, "workerStart").as_f64() > Some(0.0);
        let protocol = match (next_hop.is_empty(), from_service_worker) {
            (false, _) => next_hop,
            (true, true) => "service-worker".to_string(),
            (true, false) => continue,
        };
        if !protocols.contains(&protocol) {
            protocols.push(protocol);
        }
    }
    (!protocols.is_empty()).then(|| protocols.join("+"))
}
