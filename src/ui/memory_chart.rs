//! Memory over time, as memory_profiler plots it but live: one line per
//! model against the time since that model's run started, overlaid, with
//! each line's peak named. First, what each model holds (what start-up
//! added - thread stacks, worker instances - and its heap's growth), each
//! line starting before start-up; then the live heap as growth above the
//! model's start (its absolute level is mostly the playground itself);
//! wasm memory absolute (it only grows, a 64 KiB page at a time); the JS
//! heap where Chromium reports it. Models whose runs differ by 10x or more
//! are drawn each on its own time scale (a share of its own run), so a
//! 250 ms model is not squeezed beside a 16 s one. Drawn by
//! `chart_parts::LineChart` from the rows `series::step_rows` builds; the
//! legend hides and shows lines.

use super::chart_frame::ChartFrame;
use super::chart_parts::{ChartLine, LineChart, Markers};
use super::geometry::{ChartWidth, Interpolation, COLUMN_CHART};
use super::palette;
use super::series::{peak, step_rows, MemoryMetric, SeriesRow, TimeAxis};
use crate::engine::placement::RunsOn;
use crate::engine::reporting::format::{bytes, ms};
use crate::engine::reporting::results::ModelResult;
use leptos::prelude::*;

/// Rows drawn at most: thinning keeps each bucket's maximum.
const MAX_ROWS: usize = 600;

/// One line that can be shown.
#[derive(Clone)]
struct Entry {
    name: String,
    model: ModelResult,
    earlier: bool,
}

impl Entry {
    /// `(t_ms, bytes)` for `metric`, growth-based where the level is not the model's.
    fn points(&self, metric: MemoryMetric) -> Vec<(f64, f64)> {
        let points = metric.samples(&self.model);
        let start = match metric {
            MemoryMetric::Held => None,
            MemoryMetric::LiveHeap => self.model.live_heap_bytes_before.map(|b| b as f64),
            MemoryMetric::JsHeap => {
                self.model.io.as_ref().and_then(|io| io.facts.js_heap_bytes_before).map(|b| b as f64)
            }
            MemoryMetric::WasmMemory => Some(0.0),
        };
        match start {
            Some(start) => points.into_iter().map(|(t, v)| (t, v - start)).collect(),
            None => points,
        }
    }

    fn colour(&self) -> (u8, u8, u8) {
        let base = palette::rgb(self.model.id, &self.model.key);
        if self.earlier {
            palette::faded(base)
        } else {
            base
        }
    }
}

/// The unit a chart's axis uses for values up to `max`.
fn unit(max: f64) -> (f64, &'static str) {
    if max >= 2.0 * 1024.0 * 1024.0 {
        (1024.0 * 1024.0, "MiB")
    } else if max >= 2.0 * 1024.0 {
        (1024.0, "KiB")
    } else {
        (1.0, "bytes")
    }
}

#[component]
pub fn MemoryChart(
    models: Vec<ModelResult>,
    earlier: Option<(String, Vec<ModelResult>)>,
    width: ChartWidth,
    /// The replay's moment (ms since each model's run started).
    cursor: RwSignal<Option<f64>>,
) -> impl IntoView {
    let mut entries: Vec<Entry> = models
        .into_iter()
        .filter(|m| !m.memory_samples.is_empty())
        .map(|model| Entry { name: model.key.clone(), model, earlier: false })
        .collect();
    if let Some((label, earlier_models)) = earlier {
        entries.extend(earlier_models.into_iter().filter(|m| !m.memory_samples.is_empty()).map(|model| Entry {
            name: format!("{} ({label})", model.key),
            model,
            earlier: true,
        }));
    }
    let has_js_heap = entries.iter().any(|e| !MemoryMetric::JsHeap.samples(&e.model).is_empty());
    let entries = StoredValue::new(entries);
    let metric = RwSignal::new(MemoryMetric::Held);
    // None: as `TimeAxis::fitting` decides for the lines shown.
    let time_axis: RwSignal<Option<TimeAxis>> = RwSignal::new(None);
    let hidden: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let visible = move || {
        let hidden = hidden.get();
        entries.with_value(|all| all.iter().filter(|e| !hidden.contains(&e.name)).cloned().collect::<Vec<_>>())
    };

    let caption = Signal::derive(move || {
        match metric.get() {
        MemoryMetric::Held => "What each model holds: its threads' stacks or its worker instances' memories, from before start-up, then its live heap's growth during the median run (sampled every 10 ms; the figure under the chart is the exact peak).".to_string(),
        MemoryMetric::LiveHeap => "Live heap above each model's start (the counting allocator), against the time since the model's run started. The median run of each model.".to_string(),
        MemoryMetric::WasmMemory => "Wasm linear memory (all instances of a workers model added up), against the time since the model's run started.".to_string(),
        MemoryMetric::JsHeap => "The page's JS heap above each model's start (performance.memory: Chromium only, refreshed coarsely).".to_string(),
    }
    });

    // The time axis in use: the one chosen, or the one that fits the lines
    // shown; worked out once per change, for the chart and both buttons.
    let axis_now = Memo::new(move |_| {
        time_axis.get().unwrap_or_else(|| {
            let metric = metric.get();
            TimeAxis::fitting(&visible().iter().map(|e| e.points(metric)).collect::<Vec<_>>())
        })
    });
    let chart = move || {
        let metric = metric.get();
        let shown = visible();
        let series_points: Vec<Vec<(f64, f64)>> = shown.iter().map(|e| e.points(metric)).collect();
        let axis = axis_now.get();
        let series_points: Vec<Vec<(f64, f64)>> = series_points.into_iter().map(|points| axis.place(points)).collect();
        let max = series_points.iter().flatten().map(|&(_, v)| v.abs()).fold(0.0, f64::max);
        let (divisor, unit_name) = unit(max);
        let scaled: Vec<Vec<(f64, f64)>> =
            series_points.iter().map(|points| points.iter().map(|&(t, v)| (t, v / divisor)).collect()).collect();
        if scaled.iter().all(Vec::is_empty) {
            return view! { <p class="empty" data-testid="memory-empty">"No samples of this kind in these runs."</p> }
                .into_any();
        }
        let rows: Vec<SeriesRow> = step_rows(&scaled, MAX_ROWS);
        // Each line's highest drawn point gets a dot.
        let lines: Vec<ChartLine> = shown
            .iter()
            .map(|entry| ChartLine {
                name: entry.name.clone(),
                colour: entry.colour(),
                width: if entry.earlier { 1.5 } else { 2.0 },
                interpolation: Interpolation::Step,
                markers: Markers::Peak,
            })
            .collect();
        let (x_unit, x_label) = match axis {
            TimeAxis::Shared => ("ms", "ms since the model's run started (before 0: its start-up)"),
            TimeAxis::OwnSpan => ("%", "% of each model's own start-up and run (each line on its own time scale)"),
        };
        // The replay's moment is a time since the run started: only the
        // shared axis has one.
        let cursor = Signal::derive(move || cursor.get().filter(|_| axis == TimeAxis::Shared));
        let axis_id = match axis {
            TimeAxis::Shared => "shared",
            TimeAxis::OwnSpan => "own",
        };
        view! {
            <div class="chart-body" data-testid="memory-plot" data-unit=unit_name data-time-axis=axis_id>
                <LineChart lines=lines rows=rows height=300.0 width=width.units(COLUMN_CHART) x_unit=x_unit y_unit=unit_name
                    y_label=format!("{} ({unit_name})", metric.label()) x_label=x_label cursor=cursor />
            </div>
        }
        .into_any()
    };

    // Samples come every 10 ms; an allocation that lives for microseconds
    // can fall between them. The allocator also counts the exact peak, and
    // the figure named here is that one, the table's (`ModelResult::held_at_peak_bytes`);
    // the dot marks the line's highest sample.
    let peaks = move || {
        let metric = metric.get();
        visible()
            .into_iter()
            .filter_map(|entry| {
                let (_, sampled) = peak(&entry.points(metric))?;
                let model = &entry.model;
                let exact = match metric {
                    MemoryMetric::Held => model.held_at_peak_bytes(),
                    MemoryMetric::LiveHeap => match (model.peak_live_heap_bytes, model.live_heap_bytes_before) {
                        (Some(peak), Some(before)) => Some(peak.saturating_sub(before)),
                        _ => None,
                    },
                    MemoryMetric::WasmMemory | MemoryMetric::JsHeap => None,
                };
                let value = exact.unwrap_or(sampled.max(0.0) as u64);
                let note = match metric {
                    MemoryMetric::Held => {
                        let startup = model.startup_held_bytes_or_estimate();
                        let holders = if model.runs_on == Some(RunsOn::WorkerInstances) { "instances" } else { "threads" };
                        (startup > 0).then(|| format!(", {} of it held by its {holders}", bytes(startup)))
                    }
                    _ => None,
                };
                Some(view! {
                    <li data-testid="memory-peak">
                        <span class="swatch" style=format!("background:{}", palette::hex(entry.colour()))></span>
                        <code>{entry.name.clone()}</code>
                        " peaks at "<strong data-testid="memory-peak-value" data-bytes=value.to_string()>{bytes(value)}</strong>
                        {note}
                    </li>
                })
            })
            .collect_view()
    };

    // Each line's value at the replay's moment, as the step lines draw it
    // (the last sample at or before it), named in words under the chart.
    let at_cursor = move || {
        let at = cursor.get()?;
        if axis_now.get() != TimeAxis::Shared {
            return Some(
                view! {
                    <p class="axis-note" data-testid="memory-cursor-note">
                        {format!("The replay's moment ({}) is drawn on one time axis: choose it above.", ms(at))}
                    </p>
                }
                .into_any(),
            );
        }
        let metric = metric.get();
        let values: Vec<String> = visible()
            .iter()
            .filter_map(|entry| {
                let points = entry.points(metric);
                let (_, value) = points.iter().take_while(|(t, _)| *t <= at).last()?;
                Some(format!("{} {}", entry.name, bytes(value.max(0.0) as u64)))
            })
            .collect();
        (!values.is_empty()).then(|| {
            view! {
                <p class="axis-note" data-testid="memory-at-cursor">{format!("At {}: {}", ms(at), values.join(", "))}</p>
            }
            .into_any()
        })
    };

    view! {
        <ChartFrame id="memory" title="Memory over time" caption=caption>
            <div class="chart-controls" role="radiogroup" aria-label="Which memory">
                {MemoryMetric::ALL.into_iter().map(|kind| {
                    let disabled = kind == MemoryMetric::JsHeap && !has_js_heap;
                    view! {
                        <button type="button" class="small" role="radio" data-testid=format!("memory-metric-{}", kind.id())
                            aria-checked=move || (metric.get() == kind).to_string() disabled=disabled
                            title=if disabled { "Only IO runs in Chromium report the JS heap" } else { "" }
                            on:click=move |_| metric.set(kind)>{kind.label()}</button>
                    }
                }).collect_view()}
            </div>
            <div class="chart-controls" role="radiogroup" aria-label="Time axis">
                {[(TimeAxis::Shared, "shared", "One time axis"), (TimeAxis::OwnSpan, "own", "Each model's own time")].into_iter().map(|(axis, id, label)| {
                    view! {
                        <button type="button" class="small" role="radio" data-testid=format!("memory-time-{id}")
                            aria-checked=move || (axis_now.get() == axis).to_string()
                            on:click=move |_| time_axis.set(Some(axis))>{label}</button>
                    }
                }).collect_view()}
            </div>
            <div class="legend" role="group" aria-label="Show or hide a model's line">
                {move || entries.with_value(|all| all.iter().map(|entry| {
                    let name = entry.name.clone();
                    let shown = {
                        let name = name.clone();
                        move || !hidden.with(|h| h.contains(&name))
                    };
                    let toggle = {
                        let name = name.clone();
                        move |_| hidden.update(|h| if h.contains(&name) { h.retain(|n| n != &name) } else { h.push(name.clone()) })
                    };
                    view! {
                        <button type="button" class="legend-item" data-testid="memory-legend-item"
                            aria-pressed=move || shown().to_string() on:click=toggle>
                            <span class="swatch" style=format!("background:{}", palette::hex(entry.colour()))></span>
                            {name}
                        </button>
                    }
                }).collect_view())}
            </div>
            {chart}
            {at_cursor}
            <ul class="peaks">{peaks}</ul>
        </ChartFrame>
    }
}
