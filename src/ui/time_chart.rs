//! Elapsed time per model: a horizontal bar at the median, a whisker from
//! min to max, the speedup against seq beside it; with an earlier run
//! chosen for comparison, its bar is drawn faded under the newest. A bar
//! far longer than the rest (`geometry::bar_axis`) is drawn broken at the
//! axis' end with its figure written out, so the comparison that matters
//! keeps the axis. On a phone each bar has its name and figure on a line
//! above it. Hand-drawn SVG from `geometry` (no charting crate draws
//! whiskers).

use super::chart_frame::ChartFrame;
use super::chart_parts::MsAxis;
use super::geometry::{
    bar_axis, bar_label, chart_svg_style, text_width_units, tick_target, BarLabel, ChartWidth, COLUMN_CHART,
};
use super::palette;
use crate::engine::placement::RunsOn;
use crate::engine::reporting::format::{ms, ratio};
use crate::engine::reporting::results::ModelResult;
use leptos::prelude::*;

/// The right margin holds the figures written after the bars: as wide as
/// the longest, within these bounds (a longer one goes inside its bar).
const MIN_RIGHT_MARGIN: f64 = 90.0;
const MAX_RIGHT_SHARE: f64 = 0.45;
const BAR_HEIGHT: f64 = 20.0;
const EARLIER_HEIGHT: f64 = 10.0;
const ROW_GAP: f64 = 12.0;
const AXIS_HEIGHT: f64 = 28.0;
/// On a phone: the line of name and figure above each bar.
const CAPTION_LINE: f64 = 16.0;

/// One row: a model id with its newest and (when comparing) earlier result.
struct Row {
    id: String,
    newest: Option<ModelResult>,
    earlier: Option<ModelResult>,
}

fn rows(newest: &[ModelResult], earlier: &[ModelResult]) -> Vec<Row> {
    let measured = |list: &[ModelResult], id: &str| list.iter().find(|m| m.key == id && m.median_ms.is_some()).cloned();
    let mut ids: Vec<String> = newest.iter().map(|m| m.key.clone()).collect();
    ids.extend(earlier.iter().map(|m| m.key.clone()).filter(|id| !newest.iter().any(|m| &m.key == id)));
    ids.into_iter()
        .map(|id| Row { newest: measured(newest, &id), earlier: measured(earlier, &id), id })
        .filter(|row| row.newest.is_some() || row.earlier.is_some())
        .collect()
}

/// Whether the entry's work ran on the page's own thread and computed
/// there (a CPU model: IO futures there wait, they do not block), where no
/// heartbeat tick means the page was frozen.
fn froze_the_page(model: &ModelResult) -> bool {
    model.io.is_none() && model.runs_on == Some(RunsOn::PageThread)
}

/// What a bar says: its median, speedup, and whether it froze the page.
fn bar_text(model: &ModelResult) -> String {
    let median = model.median_ms.unwrap_or(0.0);
    let froze = model.heartbeat_ticks == 0 && model.median_ms.is_some() && froze_the_page(model);
    let text = match model.speedup_vs_seq {
        Some(_) => format!("{} · {}", ms(median), ratio(model.speedup_vs_seq)),
        None => ms(median),
    };
    text + if froze { " · page frozen" } else { "" }
}

#[component]
pub fn TimeChart(
    models: Vec<ModelResult>,
    /// An earlier run's label and models, drawn faded for comparison.
    earlier: Option<(String, Vec<ModelResult>)>,
    width: ChartWidth,
) -> impl IntoView {
    let (earlier_label, earlier_models) = earlier.clone().unwrap_or_default();
    let comparing = earlier.is_some();
    let rows = rows(&models, &earlier_models);
    let narrow = width == ChartWidth::Narrow;
    let chart_width = width.units(COLUMN_CHART);
    // Wide enough for the longest name (`async_noawait`, `threads@100`).
    let label_width =
        if narrow { 0.0 } else { rows.iter().map(|row| text_width_units(&row.id) + 14.0).fold(60.0, f64::max) };
    let left = if narrow { 4.0 } else { label_width };
    let right_margin = rows
        .iter()
        .flat_map(|row| [&row.newest, &row.earlier])
        .flatten()
        .map(|model| text_width_units(&bar_text(model)) + 12.0)
        .fold(MIN_RIGHT_MARGIN, f64::max)
        .min(MAX_RIGHT_SHARE * chart_width);
    let plot_width = chart_width - left - if narrow { 12.0 } else { right_margin };
    // Every bar, newest and earlier, on one axis.
    let bars: Vec<(f64, f64)> = rows
        .iter()
        .flat_map(|row| [&row.newest, &row.earlier])
        .flatten()
        .map(|m| (m.median_ms.unwrap_or(0.0), m.max_ms.or(m.median_ms).unwrap_or(0.0)))
        .collect();
    let (scale, ticks, broken) = bar_axis(&bars, plot_width, tick_target(plot_width, 40.0));
    let any_broken = broken.iter().any(|&b| b);
    let mut broken = broken.into_iter();
    let caption_line = if narrow { CAPTION_LINE } else { 0.0 };
    let row_height = caption_line + BAR_HEIGHT + if comparing { EARLIER_HEIGHT + 2.0 } else { 0.0 } + ROW_GAP;
    let plot_bottom = rows.len() as f64 * row_height;
    let height = plot_bottom + AXIS_HEIGHT;
    let scale_note = match (scale.is_log(), any_broken) {
        (true, _) => " Logarithmic axis: each grid line is ten times the one before.",
        (false, true) => " A broken bar ran far longer than the rest: its time is written beside it, off the axis.",
        (false, false) => "",
    };
    let caption = if comparing {
        format!("Median bar, min–max whisker, speedup against seq. Faded: {earlier_label}.{scale_note}")
    } else {
        format!("Median bar, min–max whisker, speedup against seq.{scale_note}")
    };

    let bar = move |model: &ModelResult, y: f64, bar_height: f64, earlier: bool, is_broken: bool| {
        let median = model.median_ms.unwrap_or(0.0);
        let (min, max) = (model.min_ms.unwrap_or(median), model.max_ms.unwrap_or(median));
        let end = left + scale.length();
        let bar_end = if is_broken { end } else { left + scale.project(median) };
        let (from, to) = (left + scale.project(min), left + scale.project(max));
        let middle = y + bar_height / 2.0;
        let base = palette::rgb(model.id, &model.key);
        let colour = palette::hex(if earlier { palette::faded(base) } else { base });
        let label = bar_text(model);
        let description = format!(
            "{}{}: median {}, min {}, max {} over {} runs{}{}",
            model.key,
            if earlier { " (earlier run)" } else { "" },
            ms(median),
            ms(min),
            ms(max),
            model.runs_ms.len(),
            model.speedup_vs_seq.map(|s| format!(", {s:.2}× seq")).unwrap_or_default(),
            if is_broken { " (off the axis: drawn broken)" } else { "" }
        );
        let tooltip = description.clone();
        // On a phone the figure is on the line above the bar (drawn by the row).
        let place = (!narrow || earlier)
            .then(|| bar_label(left, bar_end, if is_broken { bar_end } else { to }, &label, chart_width));
        view! {
            <g data-testid=if earlier { "time-bar-earlier" } else { "time-bar" } data-model=model.key.clone()
                data-broken=is_broken.to_string() class:earlier=earlier tabindex="0" role="img" aria-label=description>
                <title>{tooltip}</title>
                <rect class="bar" x=left y=y fill=colour
                    width=(bar_end - left).max(1.0) height=bar_height rx=3 />
                {(!is_broken).then(|| view! {
                    <line class="whisker" x1=from x2=to y1=middle y2=middle />
                    <line class="whisker" x1=from x2=from y1=middle - bar_height / 3.0 y2=middle + bar_height / 3.0 />
                    <line class="whisker" x1=to x2=to y1=middle - bar_height / 3.0 y2=middle + bar_height / 3.0 />
                })}
                // Two slants across the bar's end: it goes on, off the axis.
                {is_broken.then(|| view! {
                    <path class="axis-break" d=format!(
                        "M{:.1},{:.1}l6,{:.1}M{:.1},{:.1}l6,{:.1}",
                        bar_end - 22.0, y - 2.0, bar_height + 4.0, bar_end - 15.0, y - 2.0, bar_height + 4.0
                    ) />
                })}
                {match place {
                    Some(BarLabel::Inside(x)) => view! {
                        <text class="bar-value inside" x=x y=middle + 4.0 text-anchor="end">{label}</text>
                    }.into_any(),
                    Some(BarLabel::After(x)) => view! { <text class="bar-value" x=x y=middle + 4.0>{label}</text> }.into_any(),
                    None => ().into_any(),
                }}
            </g>
        }
    };

    let drawn: Vec<_> = rows
        .into_iter()
        .enumerate()
        .map(|(index, row)| {
            let top = index as f64 * row_height + ROW_GAP / 2.0;
            let y = top + caption_line;
            let middle = y + BAR_HEIGHT / 2.0;
            let newest_broken = row.newest.as_ref().map(|_| broken.next().unwrap_or(false));
            let earlier_broken = row.earlier.as_ref().map(|_| broken.next().unwrap_or(false));
            let figure = row.newest.as_ref().map(bar_text).unwrap_or_default();
            view! {
                {if narrow {
                    view! {
                        <text class="bar-label" x=left y=top + 11.0>{row.id.clone()}</text>
                        <text class="bar-value" x=chart_width - 4.0 y=top + 11.0 text-anchor="end">{figure}</text>
                    }.into_any()
                } else {
                    view! { <text class="bar-label" x=left - 8.0 y=middle + 4.0 text-anchor="end">{row.id.clone()}</text> }.into_any()
                }}
                {row.newest.as_ref().map(|model| bar(model, y, BAR_HEIGHT, false, newest_broken.unwrap_or(false)))}
                {row.earlier.as_ref().map(|model| bar(model, y + BAR_HEIGHT + 2.0, EARLIER_HEIGHT, true, earlier_broken.unwrap_or(false)))}
            }
        })
        .collect();

    view! {
        <ChartFrame id="time" title="Elapsed time" caption=Signal::derive(move || caption.clone())>
            <svg class="chart-svg" viewBox=format!("0 0 {chart_width} {height}") style=chart_svg_style(chart_width) role="group" aria-label="Elapsed time per model"
                data-testid="time-svg">
                <MsAxis ticks=ticks scale=scale left=left bottom=plot_bottom />
                {drawn}
            </svg>
        </ChartFrame>
    }
}
