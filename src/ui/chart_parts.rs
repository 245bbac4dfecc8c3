//! Pieces the charts share, drawn as plain SVG: the millisecond x-axis of
//! the timeline, and the line chart of the memory and sweep charts (axes,
//! grid, lines, markers, a legend, a hover read-out). Where things go is
//! computed by `geometry` and `series` (plain Rust, tested natively); this
//! file only places it. Drawn by hand rather than by a chart crate: the
//! page needs two kinds of line, and leptos-chartistry with what it pulled
//! in was a fifth of the wasm's code (twiggy, before it went).

use super::geometry::{
    chart_svg_style, line_path, nearest_index, nice_ticks, text_width_units, tick_label, tick_target, Interpolation,
    RangeScale, TimeScale,
};
use super::palette;
use super::series::SeriesRow;
use crate::browser::platform::page;
use leptos::prelude::*;

const LEFT: f64 = 56.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 30.0;
const LEGEND_WIDTH: f64 = 120.0;

/// Vertical grid lines at `ticks` from the top to `bottom` and their
/// labels under it, the last one with its unit ("2000 ms") and ending at
/// its line, so the unit never runs past the chart or into a number;
/// `left` is where 0 ms is drawn.
#[component]
pub fn MsAxis(ticks: Vec<f64>, #[prop(into)] scale: TimeScale, left: f64, bottom: f64) -> impl IntoView {
    let last = ticks.len().saturating_sub(1);
    view! {
        {ticks.into_iter().enumerate().map(|(index, tick)| {
            let x = left + scale.project(tick);
            let (text, anchor) = match index == last {
                true => (format!("{} ms", tick_label(tick)), "end"),
                false => (tick_label(tick), "middle"),
            };
            view! {
                <line class="grid" x1=x x2=x y1=0 y2=bottom />
                <text class="tick" x=x y=bottom + 17.0 text-anchor=anchor data-testid=(index == last).then_some("axis-unit")>{text}</text>
            }
        }).collect_view()}
    }
}

/// Which points of a line get a dot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markers {
    None,
    Every,
    /// Only the highest point (the first, if it is reached more than once).
    Peak,
}

/// One line of a [`LineChart`]: its values are `row.values[i]` for the
/// line's index `i` in the chart's list.
#[derive(Clone, Debug)]
pub struct ChartLine {
    pub name: String,
    pub colour: (u8, u8, u8),
    pub width: f64,
    pub interpolation: Interpolation,
    pub markers: Markers,
}

/// A line chart of `rows` as every line chart on this page is drawn: the
/// container's width, a fixed height, horizontal grid lines, axis labels,
/// a legend on the right if asked, and the exact values under the pointer.
#[component]
pub fn LineChart(
    lines: Vec<ChartLine>,
    rows: Vec<SeriesRow>,
    /// Above the y axis, with its unit.
    y_label: String,
    /// Under the x axis.
    x_label: &'static str,
    /// After an x value in the read-out ("ms", "threads").
    x_unit: &'static str,
    /// After a y value in the read-out ("KiB", "x").
    #[prop(optional)]
    y_unit: &'static str,
    height: f64,
    /// The drawing's width in SVG units (it scales to its column).
    width: f64,
    #[prop(optional)] legend: bool,
    /// The x axis' range; the rows' own when not given.
    #[prop(optional)]
    x_range: Option<(f64, f64)>,
    /// Only whole numbers on the x axis (thread counts).
    #[prop(optional)]
    integer_x: bool,
    /// The y axis' top; the data's (rounded up) when not given.
    #[prop(optional)]
    y_max: Option<f64>,
    /// The replay's moment, in x units: a line across the plot there.
    #[prop(optional)]
    cursor: Option<Signal<Option<f64>>>,
) -> impl IntoView {
    // A narrow drawing keeps its legend under the plot, not beside it.
    let legend_below = legend && width < 2.0 * LEGEND_WIDTH + 260.0;
    let plot_width = width - LEFT - if legend && !legend_below { LEGEND_WIDTH } else { 16.0 };
    let legend_height = if legend_below { 20.0 * lines.len() as f64 + 8.0 } else { 0.0 };
    let plot_height = height - TOP - BOTTOM;
    let total_height = height + legend_height;
    let xs: Vec<f64> = rows.iter().map(|row| row.x).collect();
    let (x_min, x_max) = x_range.unwrap_or_else(|| {
        let mut known = xs.iter().copied().filter(|x| x.is_finite());
        let first = known.next().unwrap_or(0.0);
        (first, known.next_back().unwrap_or(first))
    });
    let x_max = if x_max > x_min { x_max } else { x_min + 1.0 };
    let data_max = rows.iter().flat_map(|row| row.values.iter().copied()).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let (y_ticks, nice_max) = nice_ticks(y_max.unwrap_or(data_max), 5);
    let x_scale = RangeScale { min: x_min, max: x_max, length: plot_width };
    let y_scale = RangeScale { min: 0.0, max: nice_max, length: plot_height };
    let px = move |x: f64| LEFT + x_scale.project(x);
    let py = move |y: f64| TOP + plot_height - y_scale.project(y);
    let (x_ticks, _) = nice_ticks(x_max, tick_target(plot_width, 30.0));
    let x_ticks: Vec<f64> =
        x_ticks.into_iter().filter(|t| *t >= x_min - 1e-9 && (!integer_x || t.fract() == 0.0)).collect();

    let drawn: Vec<_> = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let points: Vec<(f64, f64)> = rows
                .iter()
                .map(|row| {
                    let value = row.values.get(index).copied().unwrap_or(f64::NAN);
                    (px(row.x), if value.is_finite() { py(value) } else { f64::NAN })
                })
                .collect();
            let peak = rows
                .iter()
                .enumerate()
                .filter(|(_, row)| row.values.get(index).is_some_and(|v| v.is_finite()))
                .fold(None::<(usize, f64)>, |best, (at, row)| match best {
                    Some((_, value)) if value >= row.values[index] => best,
                    _ => Some((at, row.values[index])),
                });
            let dots: Vec<(f64, f64)> = match line.markers {
                Markers::None => Vec::new(),
                Markers::Every => points.iter().copied().filter(|(_, y)| y.is_finite()).collect(),
                Markers::Peak => peak.map(|(at, _)| points[at]).into_iter().collect(),
            };
            (line.clone(), line_path(&points, line.interpolation), dots)
        })
        .collect();

    // The read-out: the row nearest the pointer, in SVG units.
    let hovered: RwSignal<Option<usize>> = RwSignal::new(None);
    let rows_for_hover = xs.clone();
    let on_move = move |event: leptos::ev::MouseEvent| {
        let Some(fraction) = page::pointer_fraction(&event) else { return };
        let x = fraction * width;
        let data_x = x_min + (x - LEFT) / plot_width * (x_max - x_min);
        hovered.set(if (LEFT..=LEFT + plot_width).contains(&x) {
            nearest_index(&rows_for_hover, data_x)
        } else {
            None
        });
    };
    let readout = {
        let lines = lines.clone();
        let rows = rows.clone();
        move || {
            let row = rows.get(hovered.get()?)?;
            let x = px(row.x);
            let mut text = vec![(format!("{} {x_unit}", short(row.x)), None)];
            for (index, line) in lines.iter().enumerate() {
                if let Some(value) = row.values.get(index).filter(|v| v.is_finite()) {
                    text.push((
                        format!("{}: {} {y_unit}", line.name, short(*value)).trim_end().to_string(),
                        Some(line.colour),
                    ));
                }
            }
            let box_width = 16.0 + text.iter().map(|(t, _)| text_width_units(t)).fold(0.0, f64::max);
            let box_height = 8.0 + 16.0 * text.len() as f64;
            let box_x = if x + 8.0 + box_width > LEFT + plot_width { x - 8.0 - box_width } else { x + 8.0 };
            Some(view! {
                <g class="readout" data-testid="chart-readout" pointer-events="none">
                    <line class="guide" x1=x x2=x y1=TOP y2=TOP + plot_height />
                    <rect class="readout-box" x=box_x y=TOP width=box_width height=box_height rx="4" />
                    {text.into_iter().enumerate().map(|(at, (line, colour))| view! {
                        <text class="readout-text" x=box_x + 8.0 y=TOP + 18.0 + 16.0 * at as f64
                            fill=colour.map(palette::hex)>{line}</text>
                    }).collect_view()}
                </g>
            })
        }
    };
    let aria = format!(
        "{y_label} against {x_label}: {}",
        lines.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
    );

    view! {
        <svg class="chart-svg line-chart" viewBox=format!("0 0 {width} {total_height}") style=chart_svg_style(width) role="img" aria-label=aria
            on:mousemove=on_move on:mouseleave=move |_| hovered.set(None)>
            <text class="axis-label" x=LEFT - 8.0 y=TOP - 10.0>{y_label.clone()}</text>
            {y_ticks.into_iter().map(|tick| {
                let y = py(tick);
                view! {
                    <line class="grid" x1=LEFT x2=LEFT + plot_width y1=y y2=y />
                    <text class="tick" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{tick_label(tick)}</text>
                }
            }).collect_view()}
            {x_ticks.into_iter().map(|tick| view! {
                <text class="tick" x=px(tick) y=TOP + plot_height + 18.0 text-anchor="middle">{tick_label(tick)}</text>
            }).collect_view()}
            <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=TOP + plot_height />
            <line class="axis" x1=LEFT x2=LEFT + plot_width y1=TOP + plot_height y2=TOP + plot_height />
            {drawn.into_iter().map(|(line, path, dots)| {
                let colour = palette::hex(line.colour);
                view! {
                    <g data-testid="chart-line-group">
                        <path data-testid="chart-line" data-name=line.name.clone() d=path fill="none" stroke=colour.clone()
                            stroke-width=line.width stroke-linejoin="round"><title>{line.name.clone()}</title></path>
                        {dots.into_iter().map(|(x, y)| view! {
                            <circle data-testid=if line.markers == Markers::Peak { "chart-peak" } else { "chart-marker" }
                                cx=x cy=y r=if line.markers == Markers::Peak { 5.0 } else { 3.5 } fill=colour.clone() />
                        }).collect_view()}
                    </g>
                }
            }).collect_view()}
            {legend.then(|| lines.iter().enumerate().map(|(at, line)| {
                let (x, y) = match legend_below {
                    true => (LEFT, height + 8.0 + 20.0 * at as f64),
                    false => (LEFT + plot_width + 14.0, TOP + 8.0 + 20.0 * at as f64),
                };
                view! {
                    <line x1=x x2=x + 18.0 y1=y y2=y stroke=palette::hex(line.colour) stroke-width=line.width.max(2.0) />
                    <text class="tick" x=x + 24.0 y=y + 4.0>{line.name.clone()}</text>
                }
            }).collect_view())}
            {move || cursor.and_then(|cursor| cursor.get()).filter(|at| (x_min..=x_max).contains(at)).map(|at| {
                let x = px(at);
                view! { <line class="replay-cursor" data-testid="chart-cursor" x1=x x2=x y1=TOP y2=TOP + plot_height /> }
            })}
            {readout}
        </svg>
        <p class="axis-note">{x_label}</p>
    }
}

/// A read-out value: whole numbers as they are, others to 3 significant digits.
fn short(value: f64) -> String {
    if value.fract() == 0.0 || value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}
