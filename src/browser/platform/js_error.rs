//! Reading JavaScript values that cross into Rust: an error's name and
//! message, an object's field. Small, but every part of the browser layer
//! that talks to JS needs them the same way.

use wasm_bindgen::JsValue;

/// An error's `message`, or the value itself as text.
pub fn describe_js_error(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// An error's `name` (`TypeError`, `AbortError`, ...) and message.
pub fn name_and_message(error: &JsValue) -> (String, String) {
    let name = field(error, "name").as_string().unwrap_or_else(|| "Error".into());
    (name, describe_js_error(error))
}

/// `object[key]`, or `undefined`.
pub fn field(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}
