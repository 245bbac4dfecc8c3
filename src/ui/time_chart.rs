//! Elapsed time per model: a horizontal bar at the median, a whisker from
//! min to max, the speedup against seq at the bar's end; with an earlier
//! run chosen for comparison, its bar is drawn faded under the newest.
//! Hand-drawn SVG from `geometry` (no charting crate draws whiskers).

use super::chart_frame::ChartFrame;
use super::chart_parts::MsAxis;
use super::geometry::{bar_label, chart_svg_style, BarLabel, TimeScale};
use super::palette;
use crate::engine::cpu::model::CpuModel;
use crate::engine::reporting::format::{ms, ratio};
use crate::engine::reporting::results::ModelResult;
use leptos::prelude::*;

const WIDTH: f64 = 520.0;
/// Wide enough for the longest key, `async_noawait` or `threads@100`.
const LABEL_WIDTH: f64 = 100.0;
const RIGHT_MARGIN: f64 = 120.0;
const BAR_HEIGHT: f64 = 20.0;
const EARLIER_HEIGHT: f64 = 10.0;
const ROW_GAP: f64 = 12.0;
const AXIS_HEIGHT: f64 = 28.0;

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

/// Whether a model of this id runs on the page's own thread, where no
/// heartbeat tick means the page was frozen.
fn froze_the_page(id: &str) -> bool {
    CpuModel::from_id(id).is_some_and(CpuModel::on_the_page_thread)
}

#[component]
pub fn TimeChart(
    models: Vec<ModelResult>,
    /// An earlier run's label and models, drawn faded for comparison.
    earlier: Option<(String, Vec<ModelResult>)>,
) -> impl IntoView {
    let (earlier_label, earlier_models) = earlier.clone().unwrap_or_default();
    let comparing = earlier.is_some();
    let rows = rows(&models, &earlier_models);
    let measured = || rows.iter().flat_map(|row| [&row.newest, &row.earlier]).flatten();
    let max_ms = measured().filter_map(|m| m.max_ms).fold(0.0, f64::max);
    let min_ms = measured().filter_map(|m| m.median_ms).fold(f64::INFINITY, f64::min);
    // A 250 ms model beside a 16 s one would be a few pixels: log scale.
    let (scale, ticks) = TimeScale::fit(min_ms, max_ms, WIDTH - LABEL_WIDTH - RIGHT_MARGIN);
    let row_height = BAR_HEIGHT + if comparing { EARLIER_HEIGHT + 2.0 } else { 0.0 } + ROW_GAP;
    let plot_bottom = rows.len() as f64 * row_height;
    let height = plot_bottom + AXIS_HEIGHT;
    let log_note = if scale.is_log() { " Logarithmic axis: each grid line is ten times the one before." } else { "" };
    let caption = if comparing {
        format!("Median bar, min–max whisker, speedup against seq. Faded: {earlier_label}.{log_note}")
    } else {
        format!("Median bar, min–max whisker, speedup against seq.{log_note}")
    };

    let bar = move |model: &ModelResult, y: f64, bar_height: f64, earlier: bool| {
        let median = model.median_ms.unwrap_or(0.0);
        let (min, max) = (model.min_ms.unwrap_or(median), model.max_ms.unwrap_or(median));
        let bar_end = LABEL_WIDTH + scale.project(median);
        let (from, to) = (LABEL_WIDTH + scale.project(min), LABEL_WIDTH + scale.project(max));
        let middle = y + bar_height / 2.0;
        let base = palette::rgb(&model.key);
        let colour = palette::hex(if earlier { palette::faded(base) } else { base });
        // A model that froze the page says so on its bar.
        let froze = model.heartbeat_ticks == 0 && model.median_ms.is_some() && froze_the_page(&model.id);
        let label = match model.speedup_vs_seq {
            Some(_) => format!("{} · {}", ms(median), ratio(model.speedup_vs_seq)),
            None => ms(median),
        } + if froze { " · page frozen" } else { "" };
        let description = format!(
            "{}{}: median {}, min {}, max {} over {} runs{}",
            model.key,
            if earlier { " (earlier run)" } else { "" },
            ms(median),
            ms(min),
            ms(max),
            model.runs_ms.len(),
            model.speedup_vs_seq.map(|s| format!(", {s:.2}× seq")).unwrap_or_default()
        );
        let tooltip = description.clone();
        let place = bar_label(LABEL_WIDTH, bar_end, to, &label, WIDTH);
        view! {
            <g data-testid=if earlier { "time-bar-earlier" } else { "time-bar" } data-model=model.key.clone()
                class:earlier=earlier tabindex="0" role="img" aria-label=description>
                <title>{tooltip}</title>
                <rect class="bar" x=LABEL_WIDTH y=y fill=colour
                    width=(bar_end - LABEL_WIDTH).max(1.0) height=bar_height rx=3 />
                <line class="whisker" x1=from x2=to y1=middle y2=middle />
                <line class="whisker" x1=from x2=from y1=middle - bar_height / 3.0 y2=middle + bar_height / 3.0 />
                <line class="whisker" x1=to x2=to y1=middle - bar_height / 3.0 y2=middle + bar_height / 3.0 />
                {match place {
                    BarLabel::Inside(x) => view! {
                        <text class="bar-value inside" x=x y=middle + 4.0 text-anchor="end">{label}</text>
                    }.into_any(),
                    BarLabel::After(x) => view! { <text class="bar-value" x=x y=middle + 4.0>{label}</text> }.into_any(),
                }}
            </g>
        }
    };

    view! {
        <ChartFrame id="time" title="Elapsed time" caption=Signal::derive(move || caption.clone())>
            <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {height}") style=chart_svg_style(WIDTH) role="group" aria-label="Elapsed time per model">
                <MsAxis ticks=ticks scale=scale left=LABEL_WIDTH bottom=plot_bottom />
                {rows.into_iter().enumerate().map(|(index, row)| {
                    let y = index as f64 * row_height + ROW_GAP / 2.0;
                    let middle = y + BAR_HEIGHT / 2.0;
                    view! {
                        <text class="bar-label" x=LABEL_WIDTH - 8.0 y=middle + 4.0 text-anchor="end">{row.id.clone()}</text>
                        {row.newest.as_ref().map(|model| bar(model, y, BAR_HEIGHT, false))}
                        {row.earlier.as_ref().map(|model| bar(model, y + BAR_HEIGHT + 2.0, EARLIER_HEIGHT, true))}
                    }
                }).collect_view()}
            </svg>
        </ChartFrame>
    }
}
