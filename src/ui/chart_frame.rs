//! The frame every chart sits in: a title, a caption saying how to read it,
//! and buttons that save the chart as SVG or PNG (`browser::export_image`;
//! a PNG's background is the theme's panel colour).

use super::state::Notice;
use crate::browser::export_image;
use crate::browser::platform::page;
use leptos::html::Figure;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ChartFrame(
    /// Names the chart in test ids (`{id}-chart`, `export-{id}-svg`) and files.
    id: &'static str,
    title: &'static str,
    #[prop(into)] caption: Signal<String>,
    children: Children,
) -> impl IntoView {
    let notice = expect_context::<Notice>();
    let figure = NodeRef::<Figure>::new();
    let svg = move || figure.get().and_then(|figure| export_image::chart_svg_in(&figure));
    let fail = move |what: &str, error: String| notice.say(format!("Saving the {what} failed: {error}"));
    let save_svg = move |_| match svg() {
        Some(svg) => {
            if let Err(error) = export_image::download_svg(&svg, &format!("concurrency-playground-{id}.svg")) {
                fail("SVG", error);
            }
        }
        None => fail("SVG", "the chart is not drawn".into()),
    };
    let save_png = move |_| {
        let Some(svg) = svg() else { return fail("PNG", "the chart is not drawn".into()) };
        let background = page::css_variable("--panel").unwrap_or_else(|| "#ffffff".into());
        spawn_local(async move {
            let name = format!("concurrency-playground-{id}.png");
            if let Err(error) = export_image::download_png(&svg, &name, &background).await {
                fail("PNG", error);
            }
        });
    };
    view! {
        <figure class="chart" data-testid=format!("{id}-chart") node_ref=figure>
            <div class="chart-head">
                <h3>{title}</h3>
                <div class="chart-tools" role="group" aria-label=format!("Save the {title} chart")>
                    <button type="button" class="small" data-testid=format!("export-{id}-svg") on:click=save_svg>"SVG"</button>
                    <button type="button" class="small" data-testid=format!("export-{id}-png") on:click=save_png>"PNG"</button>
                </div>
            </div>
            <figcaption>{move || caption.get()}</figcaption>
            {children()}
        </figure>
    }
}
