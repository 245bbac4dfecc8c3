//! The page's public API in the browser: its URL (query and fragment), the
//! messages to and from the embedding page (their words are
//! `engine::embed_api`'s), downloads and
//! the clipboard; and the few things of the document the UI needs (a class
//! on the body, a theme colour, where the pointer is over an element).

use crate::browser::platform::js_error::describe_js_error;
use crate::engine::embed_api::height_message;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Whether this thread is a page's (a `window`), not a pool worker or a
/// worker instance, which start the same module.
pub fn is_a_page() -> bool {
    web_sys::window().is_some()
}

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

/// The URL's fragment, without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Removes the fragment from the address bar (a shared run was read from it).
pub fn clear_fragment() {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
}

/// The page's URL up to its query: `https://host/path/`.
pub fn address() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split(['?', '#']).next().unwrap_or_default().to_string()
}

/// Tells the embedding page how tall the content is, so it can size the
/// iframe: `{type: "concurrency-playground:height", height}`.
pub fn post_height(height: f64) {
    let _ = post_to_parent(&height_message(height));
}

/// The embedding page's window; `None` when the page is not embedded.
fn parent_window() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    window.parent().ok().flatten().filter(|parent| *parent != window)
}

/// Posts a message (JSON text) to the embedding page; nothing when not embedded.
pub fn post_to_parent(json: &str) -> Result<(), String> {
    parent_window().map_or(Ok(()), |parent| post_json(&parent, json))
}

/// Posts a message (JSON text) to the embedding page, or to this window
/// when the page is not embedded (so a script on the page hears it too).
pub fn post_to_parent_or_self(json: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    post_json(&parent_window().unwrap_or(window), json)
}

fn post_json(target: &web_sys::Window, json: &str) -> Result<(), String> {
    let message = js_sys::JSON::parse(json).map_err(|e| describe_js_error(&e))?;
    target.post_message(&message, "*").map_err(|e| format!("postMessage failed: {}", describe_js_error(&e)))
}

/// Calls `on_message` with each message (as JSON text) that the embedding
/// page's own window sends; a message from any other window (a sibling
/// frame, a pop-up) is never passed on. Nothing when not embedded.
pub fn listen_to_parent(on_message: impl Fn(String) + 'static) {
    let (Some(window), Some(parent)) = (web_sys::window(), parent_window()) else { return };
    let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let from_parent = event.source().is_some_and(|source| JsValue::from(source) == JsValue::from(parent.clone()));
        if !from_parent {
            return;
        }
        if let Some(json) = js_sys::JSON::stringify(&event.data()).ok().and_then(|text| text.as_string()) {
            on_message(json);
        }
    });
    let _ = window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    // It listens as long as the page lives.
    listener.forget();
}

/// Calls `on_height` with the document's height now and whenever it changes.
pub fn watch_height(on_height: impl Fn(f64) + 'static) {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else {
        return;
    };
    // The root's own box, not scrollHeight: that is never less than the
    // frame, so a frame taller than the content could never shrink.
    let measured = root.clone();
    let callback = Closure::<dyn Fn()>::new(move || on_height(measured.get_bounding_client_rect().height()));
    let observer = js_sys::Reflect::get(&js_sys::global(), &"ResizeObserver".into())
        .ok()
        .and_then(|constructor| constructor.dyn_into::<js_sys::Function>().ok())
        .and_then(|constructor| js_sys::Reflect::construct(&constructor, &js_sys::Array::of1(callback.as_ref())).ok());
    if let Some(observer) = observer {
        if let Ok(observe) = js_sys::Reflect::get(&observer, &"observe".into()) {
            let _ = observe.unchecked_into::<js_sys::Function>().call1(&observer, &root);
        }
    }
    // The observer lives as long as the page.
    callback.forget();
}

/// Writes `text` to the clipboard (the page must have focus; a browser may refuse).
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window().ok_or("no window")?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(|e| describe_js_error(&e))
}

/// The file chosen in the file input that fired `event`: its name and its
/// text. `None` when none was chosen.
pub async fn chosen_file_text(event: &web_sys::Event) -> Option<Result<(String, String), String>> {
    let input: web_sys::HtmlInputElement = event.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    let text = JsFuture::from(file.text()).await.map_err(|e| describe_js_error(&e));
    Some(text.map(|text| (file.name(), text.as_string().unwrap_or_default())))
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

/// Adds `class` to the page's body (the embed layout).
pub fn add_body_class(class: &str) {
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.class_list().add_1(class);
    }
}

/// The value of the CSS custom property `name` on the root element (the
/// current theme's colour, for a PNG's background); `None` if unset.
pub fn css_variable(name: &str) -> Option<String> {
    let window = web_sys::window()?;
    let root = window.document()?.document_element()?;
    let style = window.get_computed_style(&root).ok()??;
    let value = style.get_property_value(name).ok()?;
    Some(value.trim().to_string()).filter(|value| !value.is_empty())
}

/// Where the pointer of `event` is across the element that handles it, as
/// a fraction of its width (0 at its left edge), or `None` if it has none.
pub fn pointer_fraction(event: &web_sys::MouseEvent) -> Option<f64> {
    let target = event.current_target()?.dyn_into::<web_sys::Element>().ok()?;
    let rect = target.get_bounding_client_rect();
    (rect.width() > 0.0).then(|| (event.client_x() as f64 - rect.left()) / rect.width())
}

/// Whether the page is now at most `max_width_px` wide, and a call of
/// `on_change` whenever that changes (a phone turned, a window resized).
pub fn watch_max_width(max_width_px: u32, on_change: impl Fn(bool) + 'static) -> bool {
    let Some(query) =
        web_sys::window().and_then(|w| w.match_media(&format!("(max-width: {max_width_px}px)")).ok().flatten())
    else {
        return false;
    };
    let matches = query.matches();
    let listener = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(move |event: web_sys::MediaQueryListEvent| {
        on_change(event.matches())
    });
    let _ = query.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();
    matches
}

/// Moves the keyboard focus to `element` (a button that appears where the
/// one just pressed was disabled, so the focus is not dropped to the page),
/// without scrolling to it: the page may have brought the results into view.
pub fn focus(element: &web_sys::HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = element.focus_with_options(&options);
}

/// The page's width in CSS pixels (its layout viewport, without a scrollbar).
pub fn width_px() -> f64 {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    root.map_or(0.0, |root| root.client_width() as f64)
}

/// Scrolls `element` to the top of the view unless its top is already in
/// view: a run's results, started from a form three phone-screens below.
pub fn bring_into_view(element: &web_sys::Element) {
    let Some(window) = web_sys::window() else { return };
    let top = element.get_bounding_client_rect().top();
    let height = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    if top < 0.0 || top > height * 0.25 {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Start);
        let smooth = !prefers_reduced_motion();
        options.set_behavior(if smooth { web_sys::ScrollBehavior::Smooth } else { web_sys::ScrollBehavior::Instant });
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// Whether the user asked for less motion (`prefers-reduced-motion`).
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|query| query.matches())
}

/// The element of the static first paint (index.html) with `id`, emptied,
/// for the app to draw into: the page's text is on screen before the wasm
/// arrives, and the app takes over only the parts that need it.
pub fn static_slot(id: &str) -> Option<web_sys::Element> {
    let element = web_sys::window()?.document()?.get_element_by_id(id)?;
    element.set_inner_html("");
    Some(element)
}

/// Whether the keyboard focus is inside an element matching `selector`.
pub fn focus_is_in(selector: &str) -> bool {
    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    active.is_some_and(|active| active.closest(selector).ok().flatten().is_some())
}

/// Whether the keyboard focus has dropped to the page (nothing, or the
/// body, has it): a focused button that became disabled loses it so.
pub fn focus_is_lost() -> bool {
    let document = web_sys::window().and_then(|w| w.document());
    match document.as_ref().and_then(|d| d.active_element()) {
        None => true,
        Some(active) => document.and_then(|d| d.body()).is_some_and(|body| active == *body.as_ref()),
    }
}
