//! Pieces the charts share: the millisecond x-axis of the hand-drawn SVG
//! charts, and the leptos-chartistry line chart as this page configures it.

use super::geometry::{tick_label, LinearScale};
use super::series::SeriesRow;
use leptos::prelude::*;
use leptos_chartistry::*;

/// Vertical grid lines at `ticks` from the top to `bottom`, their labels
/// under it, and "ms" after the last; `left` is where 0 ms is drawn.
#[component]
pub fn MsAxis(ticks: Vec<f64>, scale: LinearScale, left: f64, bottom: f64) -> impl IntoView {
    let end = left + scale.length;
    view! {
        {ticks.into_iter().map(|tick| {
            let x = left + scale.project(tick);
            view! {
                <line class="grid" x1=x x2=x y1=0 y2=bottom />
                <text class="tick" x=x y=bottom + 17.0 text-anchor="middle">{tick_label(tick)}</text>
            }
        }).collect_view()}
        <text class="tick" x=end y=bottom + 17.0 dx="14">"ms"</text>
    }
}

/// A line chart of `rows` as every line chart on this page is drawn: the
/// container's width, a fixed height, small type, axis markers, horizontal
/// grid lines, a tooltip with exact values; a legend on the right if asked.
#[component]
pub fn LineChart(
    series: Series<SeriesRow, f64, f64>,
    rows: Vec<SeriesRow>,
    /// Above the y axis, with its unit.
    y_label: String,
    /// Under the x axis.
    x_label: &'static str,
    height: f64,
    #[prop(optional)] legend: bool,
) -> impl IntoView {
    let right = if legend { vec![Legend::end().into_edge()] } else { vec![] };
    view! {
        <Chart
            aspect_ratio=AspectRatio::from_env_width(height)
            series=series
            data=Signal::stored(rows)
            font_height=12.0
            font_width=7.0
            top=RotatedLabel::start(y_label)
            left=TickLabels::aligned_floats()
            bottom=TickLabels::aligned_floats()
            right=right
            inner=[
                AxisMarker::left_edge().into_inner(),
                AxisMarker::bottom_edge().into_inner(),
                YGridLine::default().into_inner(),
                XGuideLine::over_mouse().into_inner(),
            ]
            tooltip=Tooltip::left_cursor().show_x_ticks(true)
        />
        <p class="axis-note">{x_label}</p>
    }
}
