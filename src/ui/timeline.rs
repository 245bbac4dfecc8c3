//! The per-task timeline (a Gantt chart): for the chosen model's median
//! run, one row per lane (a thread, a worker instance, a request slot),
//! one bar per run of back-to-back tasks, from measured timestamps; idle
//! time is the gaps, and the replay's cursor over them (its controls and
//! narration are `replay_controls`'). Hand-drawn SVG from `timeline_layout`
//! (no charting crate draws lanes of intervals).

use super::chart_frame::ChartFrame;
use super::chart_parts::MsAxis;
use super::geometry::{chart_svg_style, nice_ticks, tick_target, ChartWidth, LinearScale, ROW_CHART};
use super::palette;
use super::replay_controls::{ReplayControls, ReplayState};
use super::timeline_layout::{layout, TimelineLayout};
use crate::engine::measurement::records::{TaskRecord, TaskSpan};
use crate::engine::model::Model;
use crate::engine::reporting::format::{count, ms};
use crate::engine::reporting::replay::Replay;
use crate::engine::reporting::results::{ModelResult, Results};
use crate::sorting::sort_unique;
use leptos::prelude::*;
use std::sync::Arc;

const RIGHT_MARGIN: f64 = 54.0;
const MAX_PLOT_HEIGHT: f64 = 320.0;

/// Where the lanes' names end and the plot begins, for a drawing this wide.
fn label_width(width: f64) -> f64 {
    if width < 500.0 {
        76.0
    } else {
        96.0
    }
}
const AXIS_HEIGHT: f64 = 26.0;

#[component]
pub fn Timeline(results: Arc<Results>, width: ChartWidth, replay: ReplayState) -> impl IntoView {
    let width = width.units(ROW_CHART);
    let plot_width = width - label_width(width) - RIGHT_MARGIN;
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
        let kind = Model::of(&workload, model.id);
        // Laid out on the rounded axis the ticks use.
        let end_ms = model.tasks.iter().map(|t| t.end_ms()).fold(model.median_ms.unwrap_or(0.0), f64::max);
        let (_, nice_max) = nice_ticks(end_ms, tick_target(plot_width, 40.0));
        let drawing = layout(&model.tasks, plot_width, nice_max);
        let events = Arc::new(Replay::of(&model, &workload));
        view! {
            <TimelineSvg model=model kind=kind drawing=drawing width=width cursor=replay.cursor />
            <ReplayControls replay=events state=replay />
        }
        .into_any()
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

/// A `gil` thread's time: holding the lock (computing) and waiting for it.
#[derive(Clone, Copy, Default)]
struct LockTime {
    holding_ms: f64,
    waiting_ms: f64,
}

fn lock_time(lanes: &[u32], holds: &[TaskSpan], waits: &[TaskSpan]) -> LockTime {
    let total = |spans: &[TaskSpan]| {
        spans.iter().filter(|span| lanes.contains(&span.lane)).map(|span| (span.end_ms - span.start_ms).max(0.0)).sum()
    };
    LockTime { holding_ms: total(holds), waiting_ms: total(waits) }
}

#[component]
fn TimelineSvg(
    model: ModelResult,
    kind: Option<Model>,
    drawing: TimelineLayout,
    width: f64,
    cursor: RwSignal<Option<f64>>,
) -> impl IntoView {
    let label_width = label_width(width);
    let plot_width = width - label_width - RIGHT_MARGIN;
    // A `gil` run draws each thread's time from the lock's own records:
    // computing while it holds the lock, hatched while it waits for it,
    // so no two threads are ever drawn computing at once. One lane below
    // the threads shows who held the lock when.
    let holds = model.gil_holds.clone().unwrap_or_default();
    let waits = model.gil_waits.clone().unwrap_or_default();
    let under_gil = model.gil_holds.is_some();
    let gil_rows = usize::from(under_gil);
    let rows = (drawing.rows.len() + gil_rows).max(1);
    let row_height = (MAX_PLOT_HEIGHT / rows as f64).clamp(2.0, 20.0);
    let plot_height = row_height * rows as f64;
    let height = plot_height + AXIS_HEIGHT;
    let (ticks, _) = nice_ticks(drawing.max_ms, tick_target(plot_width, 40.0));
    let scale = LinearScale { max: drawing.max_ms, length: plot_width };
    let max_ms = drawing.max_ms;
    let colour = palette::hex(palette::rgb(model.id, &model.key));
    let failed_colour = palette::hex(palette::FAILED);
    // Tasks that wait and compute draw their computing solid and their
    // requests hollow: a light fill of the same colour inside its outline.
    let wait_fill = format!("{colour}40");
    let any_failed = drawing.bars.iter().any(|bar| bar.failed);
    let two_styles =
        drawing.bars.iter().any(|bar| bar.waiting) && (under_gil || drawing.bars.iter().any(|bar| !bar.waiting));
    let span_ms = model.tasks.iter().map(|t| t.end_ms()).fold(f64::EPSILON, f64::max);
    let lane_name = move |lanes: &[u32]| match (lanes.first(), lanes.last(), kind) {
        (Some(first), Some(last), Some(kind)) if first == last => kind.lane_label(*first),
        (Some(first), Some(last), Some(kind)) => format!("{} – {}", kind.lane_label(*first), last),
        _ => String::new(),
    };
    let row_of_lane = {
        let lanes: Vec<Vec<u32>> = drawing.rows.iter().map(|row| row.lanes.clone()).collect();
        move |lane: u32| lanes.iter().position(|row| row.contains(&lane))
    };
    // One rect per lock span, in its thread's row.
    let lock_rects = |spans: &[TaskSpan], class: &'static str, what: &'static str| {
        spans
            .iter()
            .filter_map(|span| {
                let row = row_of_lane(span.lane)?;
                let y = row as f64 * row_height;
                let x = label_width + scale.project(span.start_ms);
                let w = (scale.project(span.end_ms) - scale.project(span.start_ms)).max(0.5);
                let holder = kind.map_or_else(|| format!("lane {}", span.lane), |kind| kind.lane_label(span.lane));
                let tip = format!(
                    "{holder} {what}, {} – {} ({})",
                    ms(span.start_ms),
                    ms(span.end_ms),
                    ms(span.end_ms - span.start_ms)
                );
                let fill = if class == "gil-compute" { colour.clone() } else { "url(#gil-wait-hatch)".to_string() };
                Some(view! {
                    <rect class=class data-testid=format!("timeline-{class}") data-lane=span.lane.to_string()
                        x=x y=y + 1.0 width=w height=(row_height - 2.0).max(1.0) fill=fill>
                        <title>{tip}</title>
                    </rect>
                })
            })
            .collect_view()
    };
    let lanes_count = drawing.rows.len();
    let tasks_total: usize = model.tasks.iter().map(|t| t.count()).sum();
    // Tasks that wait and compute have a record for each step: count tasks once.
    let requests_total = model.tasks.iter().filter(|t| matches!(t, TaskRecord::Request(_))).count();
    let what = match requests_total > 0 && requests_total < tasks_total {
        true => format!("{} (each a request and its computing)", count(requests_total as u64, "task", "tasks")),
        false => count(tasks_total as u64, "task", "tasks"),
    };
    view! {
        <svg class="chart-svg timeline" viewBox=format!("0 0 {width} {height}") style=chart_svg_style(width) role="group"
            aria-label=format!("Timeline of {}: {}", model.key, count(lanes_count as u64, "lane", "lanes"))
            data-testid="timeline-svg" data-model=model.key.clone()>
            {under_gil.then(|| view! {
                <defs>
                    <pattern id="gil-wait-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <line x1="0" y1="0" x2="0" y2="6" stroke=colour.clone() stroke-width="2.5" />
                    </pattern>
                </defs>
            })}
            <MsAxis ticks=ticks scale=scale left=label_width bottom=plot_height />
            {drawing.rows.iter().enumerate().map(|(index, row)| {
                let y = index as f64 * row_height;
                let name = lane_name(&row.lanes);
                let tasks = count(row.tasks as u64, "task", "tasks");
                let (summary, figure) = if under_gil {
                    let time = lock_time(&row.lanes, &holds, &waits);
                    let (computing, waiting) = (100.0 * time.holding_ms / span_ms, 100.0 * time.waiting_ms / span_ms);
                    (
                        format!("{name}: {tasks}; computing (holding the GIL) {computing:.0} % of the run, waiting for the GIL {waiting:.0} %"),
                        format!("{computing:.0}%"),
                    )
                } else {
                    let busy = 100.0 * row.busy_ms / span_ms;
                    (format!("{name}: {tasks}, busy {busy:.0} % of the run, idle {:.0} %", 100.0 - busy), format!("{busy:.0}%"))
                };
                view! {
                    <g data-testid="timeline-lane" data-lanes=row.lanes.len() data-summary=summary.clone()>
                        <title>{summary.clone()}</title>
                        <rect class="lane-bg" x=label_width y=y width=plot_width height=row_height />
                        {(row_height >= 10.0).then(|| view! {
                            <text class="lane-label" x=label_width - 6.0 y=y + row_height / 2.0 + 4.0 text-anchor="end">{name.clone()}</text>
                            <text class="lane-busy" x=width - RIGHT_MARGIN + 6.0 y=y + row_height / 2.0 + 4.0>{figure}</text>
                        })}
                    </g>
                }
            }).collect_view()}
            // Under the GIL the lock's records draw the computing; the
            // requests (waits on the network) are drawn either way.
            {drawing.bars.iter().filter(|bar| !under_gil || bar.waiting).map(|bar| {
                let y = bar.row as f64 * row_height;
                let inset = if row_height >= 6.0 { 1.0 } else { 0.0 };
                let what = match (bar.waiting, two_styles) {
                    (true, true) => count(bar.tasks as u64, "request", "requests"),
                    _ => count(bar.tasks as u64, "task", "tasks"),
                };
                let tip = format!("{what}, {} – {} ({}){}", ms(bar.start_ms), ms(bar.end_ms), ms(bar.end_ms - bar.start_ms),
                    if bar.failed { ", failed" } else { "" });
                let hollow = bar.waiting && two_styles;
                let fill = match (bar.failed, hollow) {
                    (true, _) => failed_colour.clone(),
                    (false, true) => wait_fill.clone(),
                    (false, false) => colour.clone(),
                };
                let stroke = hollow.then(|| if bar.failed { failed_colour.clone() } else { colour.clone() });
                view! {
                    // A hairline between touching bars keeps tasks apart.
                    <rect data-testid="timeline-bar" class=hollow.then_some("wait") x=label_width + bar.x y=y + inset
                        width={if bar.width > 2.0 { bar.width - 0.5 } else { bar.width }} height=(row_height - 2.0 * inset).max(1.0)
                        fill=fill stroke=stroke stroke-width=hollow.then_some("1")>
                        <title>{tip}</title>
                    </rect>
                }
            }).collect_view()}
            {under_gil.then(|| view! {
                {lock_rects(&waits, "gil-wait", "waited for the GIL")}
                {lock_rects(&holds, "gil-compute", "held the GIL, computing")}
            })}
            {under_gil.then(|| {
                let y = drawing.rows.len() as f64 * row_height;
                let holders: Vec<u32> = {
                    let mut lanes: Vec<u32> = holds.iter().map(|hold| hold.lane).collect();
                    sort_unique(&mut lanes);
                    lanes
                };
                view! {
                    <g data-testid="timeline-gil-lane">
                        <title>{format!("The global lock: held by one thread at a time, {}", count(model.gil_switches.unwrap_or(0) as u64, "hand-off", "hand-offs"))}</title>
                        <rect class="lane-bg" x=label_width y=y width=plot_width height=row_height />
                        {(row_height >= 10.0).then(|| view! {
                            <text class="lane-label" x=label_width - 6.0 y=y + row_height / 2.0 + 4.0 text-anchor="end">"GIL"</text>
                        })}
                        {holds.iter().map(|hold| {
                            // Alternate shades tell the holders apart.
                            let shade = holders.binary_search(&hold.lane).unwrap_or(0) % 2 == 1;
                            let base = palette::rgb(model.id, &model.key);
                            let fill = palette::hex(if shade { palette::faded(base) } else { base });
                            let x = label_width + scale.project(hold.start_ms);
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
            // The replay's moment: a line across every lane (the exports
            // draw it where it stands).
            {move || cursor.get().filter(|at| *at <= max_ms).map(|at| {
                let x = label_width + scale.project(at);
                view! { <line class="replay-cursor" data-testid="replay-cursor" x1=x x2=x y1="0" y2=plot_height /> }
            })}
        </svg>
        {any_failed.then(|| view! {
            <p class="axis-note legend-note" data-testid="timeline-failed-legend">
                <span class="swatch" style=format!("background:{failed_colour}")></span>" a request that failed (an error or an HTTP error status)"
            </p>
        })}
        {(under_gil || two_styles).then(|| view! {
            <p class="axis-note legend-note" data-testid="timeline-legend">
                <span class="swatch" style=format!("background:{colour}")></span>
                {if under_gil { " computing, holding the GIL" } else { " computing" }}
                {two_styles.then(|| view! {
                    " ·"<span class="swatch" style=format!("background:{wait_fill};box-shadow:inset 0 0 0 1px {colour}")></span>
                    {if under_gil { " waiting for its request, the GIL let go" } else { " waiting for its request" }}
                })}
                {under_gil.then(|| view! {
                    " ·"<span class="swatch hatch" style=format!("color:{colour}")></span>" waiting for the GIL · the GIL row: who holds it, a shade per thread"
                })}
            </p>
        })}
        <p class="axis-note" data-testid="timeline-summary">
            {match under_gil {
                true => format!(
                    "{}, {what}, {} of the GIL",
                    count(lanes_count as u64, "thread", "threads"),
                    count(model.gil_switches.unwrap_or(0) as u64, "hand-off", "hand-offs")
                ),
                false => format!(
                    "{}, {} for {what}",
                    count(lanes_count as u64, "lane", "lanes"),
                    count(drawing.bars.len() as u64, "bar", "bars"),
                ),
            }}
        </p>
    }
}
