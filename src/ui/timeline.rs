//! The per-task timeline (a Gantt chart): for the chosen model's median
//! run, one row per lane (a thread, a worker instance, a request slot),
//! one bar per run of back-to-back tasks, from measured timestamps; idle
//! time is the gaps. Hand-drawn SVG from `timeline_layout` (no charting
//! crate draws lanes of intervals).

use super::chart_frame::ChartFrame;
use super::chart_parts::MsAxis;
use super::geometry::{chart_svg_style, nice_ticks, LinearScale};
use super::palette;
use super::timeline_layout::{layout, TimelineLayout};
use crate::engine::model::Model;
use crate::engine::reporting::format::ms;
use crate::engine::reporting::results::{ModelResult, Results};
use crate::sorting::sort_unique;
use leptos::prelude::*;
use std::sync::Arc;

const WIDTH: f64 = 760.0;
const LABEL_WIDTH: f64 = 96.0;
const RIGHT_MARGIN: f64 = 54.0;
const PLOT_WIDTH: f64 = WIDTH - LABEL_WIDTH - RIGHT_MARGIN;
const MAX_PLOT_HEIGHT: f64 = 320.0;
const AXIS_HEIGHT: f64 = 26.0;

#[component]
pub fn Timeline(results: Arc<Results>) -> impl IntoView {
    let drawable: Vec<ModelResult> = results.models.iter().filter(|m| !m.tasks.is_empty()).cloned().collect();
    let selected = RwSignal::new(drawable.first().map(|m| m.key.clone()).unwrap_or_default());
    let drawable = StoredValue::new(drawable);
    let workload = results.workload.workload.clone();
    let chosen = move || drawable.with_value(|all| all.iter().find(|m| m.key == selected.get()).cloned());
    let caption = Signal::derive(move || {
        "The median run of the chosen model: one row per lane (a thread, a worker instance, or a slot for a \
         request in flight), one bar per task or request, touching ones merged; the gaps are idle time. \
         Tasks under 0.1 ms are timed in runs of back-to-back tasks (a clock read costs ~0.5 µs). \
         Hover or focus a bar for exact times."
            .to_string()
    });

    let chart = move || {
        let Some(model) = chosen() else {
            return view! { <p class="empty">"No model recorded tasks in this run."</p> }.into_any();
        };
        let kind = Model::from_result(&workload, &model.id);
        // Laid out on the rounded axis the ticks use.
        let end_ms = model.tasks.iter().map(|t| t.end_ms()).fold(model.median_ms.unwrap_or(0.0), f64::max);
        let (_, nice_max) = nice_ticks(end_ms, 6);
        let drawing = layout(&model.tasks, PLOT_WIDTH, nice_max);
        view! { <TimelineSvg model=model kind=kind drawing=drawing /> }.into_any()
    };

    view! {
        <ChartFrame id="timeline" title="Timeline of tasks" caption=caption>
            <div class="chart-controls" role="tablist" aria-label="Which model's timeline">
                {move || drawable.with_value(|all| all.iter().map(|model| {
                    let id = model.key.clone();
                    let (for_selected, for_click) = (id.clone(), id.clone());
                    view! {
                        <button type="button" class="small" role="tab" data-testid=format!("timeline-tab-{id}")
                            aria-selected=move || (selected.get() == for_selected).to_string()
                            on:click=move |_| selected.set(for_click.clone())>{id.clone()}</button>
                    }
                }).collect_view())}
            </div>
            {chart}
        </ChartFrame>
    }
}

#[component]
fn TimelineSvg(model: ModelResult, kind: Option<Model>, drawing: TimelineLayout) -> impl IntoView {
    // The `gil` model adds one lane below its threads: who held the lock when.
    let holds = model.gil_holds.clone().unwrap_or_default();
    let gil_rows = usize::from(model.gil_holds.is_some());
    let rows = (drawing.rows.len() + gil_rows).max(1);
    let row_height = (MAX_PLOT_HEIGHT / rows as f64).clamp(2.0, 20.0);
    let plot_height = row_height * rows as f64;
    let height = plot_height + AXIS_HEIGHT;
    let (ticks, _) = nice_ticks(drawing.max_ms, 6);
    let scale = LinearScale { max: drawing.max_ms, length: PLOT_WIDTH };
    let colour = palette::hex(palette::rgb(&model.key));
    let failed_colour = palette::hex(palette::FAILED);
    let span_ms = model.tasks.iter().map(|t| t.end_ms()).fold(f64::EPSILON, f64::max);
    let lane_name = move |lanes: &[u32]| match (lanes.first(), lanes.last(), kind) {
        (Some(first), Some(last), Some(kind)) if first == last => kind.lane_label(*first),
        (Some(first), Some(last), Some(kind)) => format!("{} – {}", kind.lane_label(*first), last),
        _ => String::new(),
    };
    view! {
        <svg class="chart-svg timeline" viewBox=format!("0 0 {WIDTH} {height}") style=chart_svg_style(WIDTH) role="group"
            aria-label=format!("Timeline of {}: {} lanes", model.key, drawing.rows.len())
            data-testid="timeline-svg" data-model=model.key.clone()>
            <MsAxis ticks=ticks scale=scale left=LABEL_WIDTH bottom=plot_height />
            {drawing.rows.iter().enumerate().map(|(index, row)| {
                let y = index as f64 * row_height;
                let name = lane_name(&row.lanes);
                let busy = 100.0 * row.busy_ms / span_ms;
                let summary = format!("{name}: {} tasks, busy {busy:.0} % of the run, idle {:.0} %", row.tasks, 100.0 - busy);
                view! {
                    <g data-testid="timeline-lane" data-lanes=row.lanes.len()>
                        <title>{summary}</title>
                        <rect class="lane-bg" x=LABEL_WIDTH y=y width=PLOT_WIDTH height=row_height />
                        {(row_height >= 10.0).then(|| view! {
                            <text class="lane-label" x=LABEL_WIDTH - 6.0 y=y + row_height / 2.0 + 4.0 text-anchor="end">{name.clone()}</text>
                            <text class="lane-busy" x=WIDTH - RIGHT_MARGIN + 6.0 y=y + row_height / 2.0 + 4.0>{format!("{busy:.0}%")}</text>
                        })}
                    </g>
                }
            }).collect_view()}
            {drawing.bars.iter().map(|bar| {
                let y = bar.row as f64 * row_height;
                let inset = if row_height >= 6.0 { 1.0 } else { 0.0 };
                let what = if bar.tasks == 1 { "1 task".to_string() } else { format!("{} tasks", bar.tasks) };
                let tip = format!("{what}, {} – {} ({}){}", ms(bar.start_ms), ms(bar.end_ms), ms(bar.end_ms - bar.start_ms),
                    if bar.failed { ", failed" } else { "" });
                view! {
                    // A hairline between touching bars keeps tasks apart.
                    <rect data-testid="timeline-bar" x=LABEL_WIDTH + bar.x y=y + inset
                        width={if bar.width > 2.0 { bar.width - 0.5 } else { bar.width }} height=(row_height - 2.0 * inset).max(1.0)
                        fill=if bar.failed { failed_colour.clone() } else { colour.clone() }>
                        <title>{tip}</title>
                    </rect>
                }
            }).collect_view()}
            {(gil_rows == 1).then(|| {
                let y = drawing.rows.len() as f64 * row_height;
                let holders: Vec<u32> = {
                    let mut lanes: Vec<u32> = holds.iter().map(|hold| hold.lane).collect();
                    sort_unique(&mut lanes);
                    lanes
                };
                view! {
                    <g data-testid="timeline-gil-lane">
                        <title>{format!("The global lock: held by one thread at a time, {} hand-offs", model.gil_switches.unwrap_or(0))}</title>
                        <rect class="lane-bg" x=LABEL_WIDTH y=y width=PLOT_WIDTH height=row_height />
                        {(row_height >= 10.0).then(|| view! {
                            <text class="lane-label" x=LABEL_WIDTH - 6.0 y=y + row_height / 2.0 + 4.0 text-anchor="end">"GIL held by"</text>
                        })}
                        {holds.iter().map(|hold| {
                            // Alternate shades tell the holders apart.
                            let shade = holders.binary_search(&hold.lane).unwrap_or(0) % 2 == 1;
                            let base = palette::rgb(&model.key);
                            let fill = palette::hex(if shade { palette::faded(base) } else { base });
                            let x = LABEL_WIDTH + scale.project(hold.start_ms);
                            let width = (scale.project(hold.end_ms) - scale.project(hold.start_ms)).max(0.5);
                            let holder = kind.map_or_else(|| format!("lane {}", hold.lane), |kind| kind.lane_label(hold.lane));
                            view! {
                                <rect data-testid="timeline-gil-hold" x=x y=y + 1.0 width=width height=(row_height - 2.0).max(1.0) fill=fill>
                                    <title>{format!("{holder} held the lock, {} – {}", ms(hold.start_ms), ms(hold.end_ms))}</title>
                                </rect>
                            }
                        }).collect_view()}
                    </g>
                }
            })}
        </svg>
        <p class="axis-note" data-testid="timeline-summary">
            {format!(
                "{} lanes, {} bars for {} tasks",
                drawing.rows.len(),
                drawing.bars.len(),
                model.tasks.iter().map(|t| t.count()).sum::<usize>()
            )}
        </p>
    }
}
