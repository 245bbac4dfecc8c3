//! A chart as a file: its SVG, with the styles the page's CSS gave it
//! written onto each element (so it looks the same in another program, in
//! the theme it was shown in), or a PNG drawn from that SVG at twice the
//! size. The page's own SVG is never changed: a copy is.

use crate::browser::platform::js_error::describe_js_error;
use crate::browser::platform::page;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The properties that make a chart look as it does; everything else is
/// the SVG's own attributes.
const STYLE_PROPERTIES: [&str; 14] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "visibility",
    "display",
];

fn js(error: JsValue) -> String {
    describe_js_error(&error)
}

/// The chart drawn inside `container` (its `svg.chart-svg`), if it is drawn.
pub fn chart_svg_in(container: &web_sys::Element) -> Option<web_sys::Element> {
    container.query_selector("svg.chart-svg").ok().flatten()
}

/// The SVG of `svg` as a standalone document, computed styles inlined.
pub fn svg_markup(svg: &web_sys::Element) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let copy: web_sys::Element = svg.clone_node_with_deep(true).map_err(js)?.unchecked_into();
    inline_styles(&window, svg, &copy)?;
    let rect = svg.get_bounding_client_rect();
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg").map_err(js)?;
    copy.set_attribute("width", &format!("{:.0}", rect.width())).map_err(js)?;
    copy.set_attribute("height", &format!("{:.0}", rect.height())).map_err(js)?;
    let serializer = web_sys::XmlSerializer::new().map_err(js)?;
    serializer.serialize_to_string(&copy).map_err(js)
}

fn inline_styles(window: &web_sys::Window, original: &web_sys::Element, copy: &web_sys::Element) -> Result<(), String> {
    if let Some(style) = window.get_computed_style(original).map_err(js)? {
        let declarations: Vec<String> = STYLE_PROPERTIES
            .iter()
            .filter_map(|property| {
                let value = style.get_property_value(property).ok()?;
                (!value.is_empty()).then(|| format!("{property}:{value}"))
            })
            .collect();
        copy.set_attribute("style", &declarations.join(";")).map_err(js)?;
    }
    let (originals, copies) = (original.children(), copy.children());
    for index in 0..originals.length().min(copies.length()) {
        if let (Some(child), Some(child_copy)) = (originals.item(index), copies.item(index)) {
            inline_styles(window, &child, &child_copy)?;
        }
    }
    Ok(())
}

/// Offers the chart as an SVG file.
pub fn download_svg(svg: &web_sys::Element, file_name: &str) -> Result<(), String> {
    page::download(file_name, "image/svg+xml", &svg_markup(svg)?)
}

/// Offers the chart as a PNG file at twice its size on the page, on the
/// page's background colour (`background`, a CSS colour).
pub async fn download_png(svg: &web_sys::Element, file_name: &str, background: &str) -> Result<(), String> {
    let markup = svg_markup(svg)?;
    let rect = svg.get_bounding_client_rect();
    let (width, height) = (rect.width().max(1.0), rect.height().max(1.0));
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(&markup));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let svg_blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js)?;
    let svg_url = web_sys::Url::create_object_url_with_blob(&svg_blob).map_err(js)?;
    let image = web_sys::HtmlImageElement::new().map_err(js)?;
    image.set_src(&svg_url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&svg_url);
    decoded.map_err(|e| format!("the chart could not be drawn as an image: {}", js(e)))?;

    const SCALE: f64 = 2.0;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").map_err(js)?.unchecked_into();
    canvas.set_width((width * SCALE) as u32);
    canvas.set_height((height * SCALE) as u32);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").map_err(js)?.ok_or("no 2d canvas")?.unchecked_into();
    context.scale(SCALE, SCALE).map_err(js)?;
    context.set_fill_style_str(background);
    context.fill_rect(0.0, 0.0, width, height);
    context.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width, height).map_err(js)?;

    let blob = JsFuture::from(js_sys::Promise::new(&mut |resolve, reject| {
        let callback = Closure::once_into_js(move |blob: JsValue| {
            let _ = if blob.is_null() {
                reject.call1(&JsValue::NULL, &"no PNG".into())
            } else {
                resolve.call1(&JsValue::NULL, &blob)
            };
        });
        let _ = canvas.to_blob(callback.unchecked_ref());
    }))
    .await
    .map_err(js)?;
    page::download_blob(file_name, &blob.unchecked_into())
}
