//! What the browser's Resource Timing says about a run's requests: the
//! protocol they went over (`nextHopProtocol`), and when each was on the
//! wire. Works on the page and in workers alike; each has its own
//! timeline, so each reads its own.

use crate::browser::platform::js_error::field;
use crate::engine::configuration::limits::MAX_REQUESTS;
use crate::engine::io::workload::SIM_PATH;
use crate::engine::measurement::wire::WireTimings;
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
        let from_service_worker = field(&entry, "workerStart").as_f64() > Some(0.0);
        let Some(protocol) = protocol_of(&next_hop, &name, from_service_worker) else { continue };
        if !protocols.contains(&protocol) {
            protocols.push(protocol);
        }
    }
    (!protocols.is_empty()).then(|| protocols.join("+"))
}

/// This context's fetch() and XMLHttpRequest entries since [`start_run`]:
/// when each request was sent and its last byte came, on the shared clock
/// (`timeOrigin` + the entry's times), or counted hidden where the server
/// withheld them (a cross-origin answer without Timing-Allow-Origin).
pub fn wire_timings() -> WireTimings {
    let origin = field(&performance(), "timeOrigin").as_f64().unwrap_or(0.0);
    let entries = call("getEntriesByType", &[JsValue::from_str("resource")]);
    let mut timings = WireTimings::default();
    for entry in js_sys::Array::from(&entries).iter() {
        let initiator = field(&entry, "initiatorType").as_string().unwrap_or_default();
        if initiator != "fetch" && initiator != "xmlhttprequest" {
            continue;
        }
        let request_start = field(&entry, "requestStart").as_f64().unwrap_or(0.0);
        let response_end = field(&entry, "responseEnd").as_f64().unwrap_or(0.0);
        match request_start > 0.0 {
            true => timings.intervals.push((origin + request_start, origin + response_end)),
            false => timings.hidden += 1,
        }
    }
    timings
}

/// What one entry says a request went over: its `nextHopProtocol`, or
/// `service-worker` for the latency source's answers, which never reach
/// the network (no hop, so no protocol); `None` when it does not say.
pub fn protocol_of(next_hop: &str, url: &str, from_service_worker: bool) -> Option<String> {
    match (next_hop.is_empty(), from_service_worker && url.contains(SIM_PATH)) {
        (false, _) => Some(next_hop.to_string()),
        (true, true) => Some("service-worker".to_string()),
        (true, false) => None,
    }
}
