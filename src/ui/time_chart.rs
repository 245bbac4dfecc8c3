//! Elapsed time per model: a horizontal bar at the median, a whisker from
//! min to max, the speedup against seq at the bar's end. SVG, drawn from
//! `geometry`; a later issue deepens the charts.

use super::format::{ms, ratio};
use super::geometry::{nice_ticks, tick_label, LinearScale};
use crate::engine::results::ModelResult;
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 90.0;
const RIGHT_MARGIN: f64 = 130.0;
const ROW_HEIGHT: f64 = 34.0;
const AXIS_HEIGHT: f64 = 28.0;

#[component]
pub fn TimeChart(models: Vec<ModelResult>) -> impl IntoView {
    let measured: Vec<ModelResult> = models.into_iter().filter(|m| m.median_ms.is_some()).collect();
    let max_ms = measured.iter().filter_map(|m| m.max_ms).fold(0.0, f64::max);
    let (ticks, nice_max) = nice_ticks(max_ms, 5);
    let scale = LinearScale { max: nice_max, length: WIDTH - LABEL_WIDTH - RIGHT_MARGIN };
    let height = measured.len() as f64 * ROW_HEIGHT + AXIS_HEIGHT;
    let plot_bottom = measured.len() as f64 * ROW_HEIGHT;
    view! {
        <figure class="chart" data-testid="time-chart">
            <figcaption>"Elapsed time in ms: median bar, min–max whisker, speedup against seq"</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label="Elapsed time per model">
                {ticks.iter().map(|&tick| {
                    let x = LABEL_WIDTH + scale.project(tick);
                    view! {
                        <line class="grid" x1=x x2=x y1=0 y2=plot_bottom />
                        <text class="tick" x=x y=plot_bottom + 18.0 text-anchor="middle">{tick_label(tick)}</text>
                    }
                }).collect_view()}
                {measured.into_iter().enumerate().map(|(row, model)| {
                    let y = row as f64 * ROW_HEIGHT;
                    let median = model.median_ms.unwrap_or(0.0);
                    let bar_end = LABEL_WIDTH + scale.project(median);
                    let whisker_from = LABEL_WIDTH + scale.project(model.min_ms.unwrap_or(median));
                    let whisker_to = LABEL_WIDTH + scale.project(model.max_ms.unwrap_or(median));
                    let middle = y + ROW_HEIGHT / 2.0;
                    let class = format!("bar bar-{}", model.id);
                    let label = match model.speedup_vs_seq {
                        Some(_) => format!("{} · {}", ms(median), ratio(model.speedup_vs_seq)),
                        None => ms(median),
                    };
                    view! {
                        <g data-testid="time-bar" data-model=model.id.clone()>
                            <title>{format!("{}: median {}, min {}, max {}", model.id, ms(median),
                                ms(model.min_ms.unwrap_or(median)), ms(model.max_ms.unwrap_or(median)))}</title>
                            <text class="bar-label" x=LABEL_WIDTH - 8.0 y=middle + 4.0 text-anchor="end">{model.id.clone()}</text>
                            <rect class=class x=LABEL_WIDTH y=y + 7.0 width=(bar_end - LABEL_WIDTH).max(1.0) height=ROW_HEIGHT - 14.0 rx=3 />
                            <line class="whisker" x1=whisker_from x2=whisker_to y1=middle y2=middle />
                            <line class="whisker" x1=whisker_from x2=whisker_from y1=middle - 5.0 y2=middle + 5.0 />
                            <line class="whisker" x1=whisker_to x2=whisker_to y1=middle - 5.0 y2=middle + 5.0 />
                            <text class="bar-value" x=whisker_to.max(bar_end) + 6.0 y=middle + 4.0>{label}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}
