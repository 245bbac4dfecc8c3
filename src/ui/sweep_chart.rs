//! The thread sweep: each parallel CPU model's speedup at 1, 2, ... n
//! threads, against the ideal (speedup = threads), and the parallel
//! efficiency (speedup per thread) in a table beside it. Drawn by
//! `chart_parts::LineChart` from `series::sweep_rows`.

use super::chart_frame::ChartFrame;
use super::chart_parts::{ChartLine, LineChart, Markers};
use super::geometry::{ChartWidth, Interpolation, COLUMN_CHART};
use super::palette;
use super::series::sweep_rows;
use crate::engine::reporting::format::{opt_ms, ratio};
use crate::engine::reporting::results::Sweep;
use leptos::prelude::*;

#[component]
pub fn SweepChart(sweep: Sweep, width: ChartWidth) -> impl IntoView {
    let (models, mut rows) = sweep_rows(&sweep);
    // The ideal line: as many times faster as there are threads.
    for row in &mut rows {
        row.values.push(row.x);
    }
    let max_threads = rows.last().map_or(1.0, |row| row.x).max(2.0);
    let line = |name: String, colour, width, markers| ChartLine {
        name,
        colour,
        width,
        interpolation: Interpolation::Linear,
        markers,
    };
    let lines: Vec<ChartLine> = models
        .iter()
        .map(|&model| line(model.to_string(), palette::rgb(model, model.as_str()), 2.0, Markers::Every))
        .chain(std::iter::once(line("ideal".to_string(), (0x9c, 0xa3, 0xaf), 1.0, Markers::None)))
        .collect();
    let caption = format!(
        "Speedup against {} at each thread count, with the ideal (as many times faster as threads). {}",
        sweep.baseline,
        if sweep.partial { "Stopped part-way: some points are missing." } else { "" }
    );
    let points = sweep.points.clone();
    view! {
        <ChartFrame id="sweep" title="Thread sweep" caption=Signal::derive(move || caption.clone())>
            <div class="chart-body" data-testid="sweep-plot">
                <LineChart lines=lines rows=rows height=260.0 width=width.units(COLUMN_CHART) legend=true x_unit="threads" y_unit="×" integer_x=true
                    x_range=(1.0, max_threads) y_max=max_threads * 1.1
                    y_label="speedup (×)".to_string() x_label="threads" />
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Thread sweep table">
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
                                    <th scope="row"><code>{point.model.as_str()}</code></th>
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
