//! The thread sweep: each parallel CPU model's speedup at 1, 2, ... n
//! threads, against the ideal (speedup = threads), and the parallel
//! efficiency (speedup per thread) in a table beside it. Drawn by
//! leptos-chartistry from `series::sweep_rows`.

use super::chart_frame::ChartFrame;
use super::chart_parts::LineChart;
use super::format::{opt_ms, ratio};
use super::palette;
use super::series::{sweep_rows, SeriesRow};
use crate::engine::results::Sweep;
use leptos::prelude::*;
use leptos_chartistry::{Colour, Line, MarkerShape, Series};

#[component]
pub fn SweepChart(sweep: Sweep) -> impl IntoView {
    let (models, mut rows) = sweep_rows(&sweep);
    // The ideal line: as many times faster as there are threads.
    for row in &mut rows {
        row.values.push(row.x);
    }
    let ideal_index = models.len();
    let max_threads = rows.last().map_or(1.0, |row| row.x);
    let lines: Vec<Line<SeriesRow, f64>> = models
        .iter()
        .enumerate()
        .map(|(index, model)| {
            let (red, green, blue) = palette::rgb(model);
            Line::new(move |row: &SeriesRow| row.values[index])
                .with_name(model.clone())
                .with_colour(Colour::from_rgb(red, green, blue))
                .with_marker(MarkerShape::Circle)
        })
        .chain(std::iter::once(
            Line::new(move |row: &SeriesRow| row.values[ideal_index])
                .with_name("ideal")
                .with_colour(Colour::from_rgb(0x9c, 0xa3, 0xaf))
                .with_width(1.0),
        ))
        .collect();
    let series = Series::new(|row: &SeriesRow| row.x)
        .with_x_range(1.0, max_threads.max(2.0))
        .with_y_range(0.0, max_threads.max(2.0) * 1.1)
        .lines(lines);
    let caption = format!(
        "Speedup against {} at each thread count, with the ideal (as many times faster as threads). {}",
        sweep.baseline,
        if sweep.partial { "Stopped part-way: some points are missing." } else { "" }
    );
    let points = sweep.points.clone();
    view! {
        <ChartFrame id="sweep" title="Thread sweep" caption=Signal::derive(move || caption.clone())>
            <div class="chart-body" data-testid="sweep-plot">
                <LineChart series=series rows=rows height=260.0 legend=true
                    y_label="speedup (×)".to_string() x_label="threads" />
            </div>
            <div class="table-scroll">
                <table data-testid="sweep-table">
                    <thead><tr>
                        <th scope="col">"Model"</th><th scope="col">"Threads"</th><th scope="col">"Used"</th>
                        <th scope="col">"Median"</th><th scope="col">"Speedup"</th>
                        <th scope="col" title="Speedup per thread: 100 % is perfect scaling">"Efficiency"</th>
                    </tr></thead>
                    <tbody>
                        {points.into_iter().map(|point| {
                            let testid = format!("sweep-{}-{}", point.model, point.threads);
                            view! {
                                <tr data-testid=testid class:mismatch=!point.checksum_ok>
                                    <th scope="row"><code>{point.model.clone()}</code></th>
                                    <td class="num">{point.threads}</td>
                                    <td class="num">{point.threads_used}</td>
                                    <td class="num">{opt_ms(point.median_ms)}</td>
                                    <td class="num">{ratio(point.speedup)}</td>
                                    <td class="num" data-testid="sweep-efficiency">
                                        {point.efficiency.map_or("—".to_string(), |e| format!("{:.0} %", e * 100.0))}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </ChartFrame>
    }
}
