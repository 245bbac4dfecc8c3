//! The crossover sweep: each entry's time against the share of a task
//! spent computing, one line per entry, the fastest marked at every share
//! under the plot, and every median in a table with the winner's in bold.
//! Drawn by `chart_parts::LineChart` from `series::mix_rows`; the verdict
//! is the engine's (`reporting::crossover`).

use super::chart_frame::ChartFrame;
use super::chart_parts::{ChartLine, LineChart, Markers};
use super::geometry::{ChartWidth, Interpolation, ROW_CHART};
use super::palette;
use super::series::mix_rows;
use crate::engine::reporting::format::opt_ms;
use crate::engine::reporting::results::MixSweep;
use leptos::prelude::*;

/// A table cell: the share, the entry's median there, and whether it was the fastest.
type Cell = (u32, Option<f64>, bool);

#[component]
pub fn MixSweepChart(sweep: MixSweep, width: ChartWidth) -> impl IntoView {
    let (entries, rows) = mix_rows(&sweep);
    let lines: Vec<ChartLine> = entries
        .iter()
        .map(|(key, model)| ChartLine {
            name: key.clone(),
            colour: palette::rgb(*model, key),
            width: 2.0,
            interpolation: Interpolation::Linear,
            markers: Markers::Every,
        })
        .collect();
    let colour_of = {
        let entries = entries.clone();
        move |key: &str| entries.iter().find(|(k, _)| k == key).map(|(k, model)| palette::hex(palette::rgb(*model, k)))
    };
    let caption = format!(
        "Each task {} ms in all: at 0 % it only waits, at 100 % it only computes (the sieve, sized on this machine). Time of {} tasks per model; the fastest at each share is marked under the plot. {}",
        sweep.task_ms,
        sweep.tasks,
        if sweep.partial { "Stopped part-way: some points are missing." } else { "" }
    );
    let winners: Vec<(u32, Option<String>)> =
        sweep.shares_pct.iter().copied().zip(sweep.winners.iter().cloned()).collect();
    let table_rows: Vec<(String, Vec<Cell>)> = entries
        .iter()
        .map(|(key, _)| {
            let cells = winners
                .iter()
                .map(|(share, winner)| (*share, sweep.median_at(key, *share), winner.as_deref() == Some(key.as_str())))
                .collect();
            (key.clone(), cells)
        })
        .collect();
    let shares = sweep.shares_pct.clone();
    view! {
        <ChartFrame id="mix-sweep" title="Crossover: waiting against computing" caption=Signal::derive(move || caption.clone())>
            <p class="verdict mix-verdict" data-testid="mix-verdict">{sweep.verdict.clone()}</p>
            <div class="chart-body" data-testid="mix-sweep-plot">
                <LineChart lines=lines rows=rows height=280.0 width=width.units(ROW_CHART) legend=true x_unit="% computing" y_unit="ms"
                    x_range=(0.0, 100.0) y_label="time (ms)".to_string() x_label="share of each task spent computing (%)" />
            </div>
            <ol class="mix-winners" data-testid="mix-winners" aria-label="The fastest at each share">
                {winners.into_iter().map(|(share, winner)| {
                    let colour = winner.as_deref().and_then(&colour_of).unwrap_or_else(|| "transparent".into());
                    view! {
                        <li data-testid=format!("mix-winner-{share}")>
                            <span class="share">{format!("{share}\u{a0}%")}</span>
                            <span class="swatch" style=format!("background:{colour}") aria-hidden="true"></span>
                            <code>{winner.unwrap_or_else(|| "—".into())}</code>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Crossover table">
                <table data-testid="mix-table">
                    <thead><tr>
                        <th scope="col">"Model"</th>
                        {shares.into_iter().map(|share| view! { <th scope="col" class="num">{format!("{share}\u{a0}%")}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {table_rows.into_iter().map(|(key, cells)| view! {
                            <tr data-testid=format!("mix-row-{key}")>
                                <th scope="row"><code>{key.clone()}</code></th>
                                {cells.into_iter().map(|(share, median, won)| view! {
                                    <td class="num" class:winner=won data-testid=format!("mix-{key}-{share}")>{opt_ms(median)}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </ChartFrame>
    }
}
