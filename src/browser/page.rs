//! The page's public API in the browser: its URL query, the results message
//! to the embedding page, and the JSON download.

use crate::engine::results::{Results, POST_MESSAGE_TYPE};
use wasm_bindgen::prelude::*;

/// The current query string, without `?`.
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|search| search.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// The page's directory, ending in `/`: the base of the latency source's
/// and the static files' URLs (the playground may live under a sub-path).
pub fn base_url() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let without_query = href.split(['?', '#']).next().unwrap_or_default();
    match without_query.rfind('/') {
        Some(slash) => without_query[..=slash].to_string(),
        None => format!("{without_query}/"),
    }
}

/// Puts `query` in the address bar without a navigation or a history entry,
/// so the URL always reproduces what the form shows.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let path = window.location().pathname().unwrap_or_default();
    let hash = window.location().hash().unwrap_or_default();
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}?{query}{hash}")));
}

/// Posts `{type: "concurrency-playground:results", results}` to the parent
/// window (to this window when the page is not embedded).
pub fn post_results(results: &Results) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let target = window.parent().ok().flatten().unwrap_or_else(|| window.clone());
    let message = js_sys::Object::new();
    let results = js_sys::JSON::parse(&results.to_json()).map_err(|e| format!("{e:?}"))?;
    js_sys::Reflect::set(&message, &"type".into(), &POST_MESSAGE_TYPE.into()).map_err(|e| format!("{e:?}"))?;
    js_sys::Reflect::set(&message, &"results".into(), &results).map_err(|e| format!("{e:?}"))?;
    target.post_message(&message, "*").map_err(|e| format!("postMessage failed: {e:?}"))
}

/// Offers `text` as a file download named `file_name`.
pub fn download(file_name: &str, mime_type: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| format!("{e:?}"))?;
    download_blob(file_name, &blob)
}

/// Offers `blob` as a file download named `file_name`.
pub fn download_blob(file_name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| format!("{e:?}"))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|e| format!("{e:?}"))?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoking at once can cancel the download in some browsers; later is safe.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}
