//! Chart geometry in plain Rust: "nice" axis ticks and linear scales. The
//! components only place what this computes, so it is tested natively.

/// A linear map from data values in [0, max] to pixels in [0, length].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    pub max: f64,
    pub length: f64,
}

impl From<LinearScale> for TimeScale {
    fn from(scale: LinearScale) -> Self {
        Self::Linear(scale)
    }
}

impl LinearScale {
    pub fn project(&self, value: f64) -> f64 {
        if self.max <= 0.0 {
            return 0.0;
        }
        (value.clamp(0.0, self.max) / self.max) * self.length
    }
}

/// The elapsed-time axis: linear, or logarithmic when the medians differ
/// so much (50x or more) that the short ones would be a few pixels beside
/// the long one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TimeScale {
    Linear(LinearScale),
    /// From `min` to `max` (powers of ten), over `length`.
    Log {
        min: f64,
        max: f64,
        length: f64,
    },
}

/// Medians this many times apart, or more, are drawn on a log scale.
pub const LOG_SCALE_RATIO: f64 = 50.0;

impl TimeScale {
    /// The scale for values from `smallest` to `largest` over `length`,
    /// with its ticks.
    pub fn fit(smallest: f64, largest: f64, length: f64) -> (Self, Vec<f64>) {
        if smallest > 0.0 && largest / smallest >= LOG_SCALE_RATIO {
            let min = 10f64.powf(smallest.log10().floor());
            let max = 10f64.powf(largest.log10().ceil());
            let mut ticks = Vec::new();
            let mut tick = min;
            while tick <= max * 1.000_001 {
                ticks.push(tick);
                tick *= 10.0;
            }
            (Self::Log { min, max, length }, ticks)
        } else {
            let (ticks, nice_max) = nice_ticks(largest, 5);
            (Self::Linear(LinearScale { max: nice_max, length }), ticks)
        }
    }

    pub fn project(&self, value: f64) -> f64 {
        match *self {
            Self::Linear(scale) => scale.project(value),
            Self::Log { min, max, length } => {
                let value = value.clamp(min, max);
                (value.log10() - min.log10()) / (max.log10() - min.log10()) * length
            }
        }
    }

    pub fn length(&self) -> f64 {
        match *self {
            Self::Linear(scale) => scale.length,
            Self::Log { length, .. } => length,
        }
    }

    pub fn is_log(&self) -> bool {
        matches!(self, Self::Log { .. })
    }
}

/// Axis ticks from 0 to a "nice" maximum covering `max` (steps of 1, 2 or 5
/// times a power of ten, about `target` ticks). Returns (ticks, nice max).
pub fn nice_ticks(max: f64, target: usize) -> (Vec<f64>, f64) {
    if !(max.is_finite() && max > 0.0) {
        return (vec![0.0, 1.0], 1.0);
    }
    let rough_step = max / target.max(1) as f64;
    let magnitude = 10f64.powf(rough_step.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= rough_step)
        .unwrap_or(10.0 * magnitude);
    let count = (max / step).ceil() as usize;
    let ticks = (0..=count).map(|i| i as f64 * step).collect::<Vec<_>>();
    let nice_max = *ticks.last().unwrap_or(&step);
    (ticks, nice_max)
}

/// Formats a tick value without float noise (0.30000000000000004 -> 0.3).
pub fn tick_label(value: f64) -> String {
    let rounded = (value * 1e6).round() / 1e6;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

/// A linear map from data values in [min, max] to pixels in [0, length]
/// (values outside clamped): the line charts' axes, which need not start
/// at 0 (x) and may be flipped (y, where SVG grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeScale {
    pub min: f64,
    pub max: f64,
    pub length: f64,
}

impl RangeScale {
    pub fn project(&self, value: f64) -> f64 {
        LinearScale { max: self.max - self.min, length: self.length }.project(value - self.min)
    }
}

/// How a line goes from one point to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interpolation {
    /// Straight to the next point.
    Linear,
    /// Level until the next point's x, then up or down: a sampled value
    /// that holds until the next sample (memory_profiler's reading).
    Step,
}

/// The SVG path data of one line through `points` (already in pixels, y
/// downwards), broken where a value is NaN: a series with no data there.
/// Empty when there is nothing to draw.
pub fn line_path(points: &[(f64, f64)], interpolation: Interpolation) -> String {
    let mut path = String::new();
    let mut drawing = false;
    for &(x, y) in points {
        if !(x.is_finite() && y.is_finite()) {
            drawing = false;
            continue;
        }
        let command = match (drawing, interpolation) {
            (false, _) => format!("M{x:.1},{y:.1}"),
            (true, Interpolation::Linear) => format!("L{x:.1},{y:.1}"),
            (true, Interpolation::Step) => format!("H{x:.1}V{y:.1}"),
        };
        path.push_str(&command);
        drawing = true;
    }
    path
}

/// The index of the row whose x is nearest `x` (rows sorted by x).
pub fn nearest_index(xs: &[f64], x: f64) -> Option<usize> {
    let after = xs.partition_point(|&value| value < x);
    match (after.checked_sub(1), xs.get(after)) {
        (Some(before), Some(&next)) => Some(if x - xs[before] <= next - x { before } else { after }),
        (Some(before), None) => Some(before),
        (None, Some(_)) => Some(0),
        (None, None) => None,
    }
}

/// The smallest text any chart draws, in SVG user units (www/style.css:
/// no chart font is set below this).
const SMALLEST_TEXT_UNITS: f64 = 12.0;
/// Chart text is never drawn smaller than this many CSS pixels.
const MIN_TEXT_PX: f64 = 11.0;

/// About how wide `text` is drawn at the charts' 12-unit font, in SVG
/// units (7 per character: enough for digits, letters and "·"), for
/// placing a label where it fits.
pub fn text_width_units(text: &str) -> f64 {
    7.0 * text.chars().count() as f64
}

/// Where a bar's value label is drawn, in SVG units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BarLabel {
    /// Starting at x, after the bar and its whisker.
    After(f64),
    /// Ending at x, inside the bar's end (on the bar's colour).
    Inside(f64),
}

/// After the whisker where the label fits in the chart's `width`; else
/// inside the bar when the bar is long enough to hold it, so a long label
/// ("· page frozen" on the longest bar) is never cut off at the edge.
pub fn bar_label(bar_start: f64, bar_end: f64, whisker_end: f64, label: &str, width: f64) -> BarLabel {
    let after = whisker_end.max(bar_end) + 6.0;
    let label_width = text_width_units(label);
    if after + label_width > width && bar_end - bar_start > label_width + 12.0 {
        BarLabel::Inside(bar_end - 6.0)
    } else {
        BarLabel::After(after)
    }
}

/// The `style` of a chart's `<svg>` `view_box_width` units wide: it may
/// shrink with the page only down to where its smallest text is still
/// `MIN_TEXT_PX`; a narrower column (a phone) scrolls the chart sideways
/// inside its frame, never the page.
pub fn chart_svg_style(view_box_width: f64) -> String {
    format!("min-width: {:.0}px", (view_box_width * MIN_TEXT_PX / SMALLEST_TEXT_UNITS).ceil())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_that_would_be_cut_off_goes_inside_its_bar() {
        // The embed's `main`: 108 ms on a 0-150 ms axis of 300 units, its
        // whisker to 140 ms, in a 520-unit chart.
        let label = "108 ms · 0.75× · page frozen";
        assert_eq!(bar_label(100.0, 316.0, 380.0, label, 520.0), BarLabel::Inside(310.0));
        assert_eq!(bar_label(100.0, 160.0, 170.0, "50 ms · 1.59×", 520.0), BarLabel::After(176.0));
        // A bar too short to hold it keeps it after, as before.
        assert_eq!(bar_label(100.0, 150.0, 480.0, label, 520.0), BarLabel::After(486.0));
    }

    #[test]
    fn times_fifty_fold_apart_go_on_a_log_scale() {
        let (scale, ticks) = TimeScale::fit(250.0, 16_000.0, 300.0);
        assert!(scale.is_log());
        assert_eq!(ticks, vec![100.0, 1_000.0, 10_000.0, 100_000.0]);
        assert_eq!((scale.project(100.0), scale.project(100_000.0)), (0.0, 300.0));
        assert!((scale.project(1_000.0) - 100.0).abs() < 1e-9, "a decade per third");
        let (scale, _) = TimeScale::fit(60.0, 150.0, 300.0);
        assert!(!scale.is_log());
    }

    #[test]
    fn ticks_cover_the_maximum_with_nice_steps() {
        let (ticks, max) = nice_ticks(123.0, 5);
        assert_eq!(ticks, vec![0.0, 50.0, 100.0, 150.0]);
        assert_eq!(max, 150.0);
        // 0.9 / 4 = 0.225 rounds up to a step of 0.5.
        assert_eq!(nice_ticks(0.9, 4), (vec![0.0, 0.5, 1.0], 1.0));
        assert_eq!(nice_ticks(0.0, 5), (vec![0.0, 1.0], 1.0));
        assert_eq!(nice_ticks(f64::NAN, 5).1, 1.0);
    }

    #[test]
    fn scale_projects_and_clamps() {
        let scale = LinearScale { max: 200.0, length: 400.0 };
        assert_eq!(scale.project(50.0), 100.0);
        assert_eq!(scale.project(500.0), 400.0);
        assert_eq!(scale.project(-1.0), 0.0);
        assert_eq!(LinearScale { max: 0.0, length: 10.0 }.project(5.0), 0.0);
    }

    #[test]
    fn range_scale_maps_min_to_zero_and_clamps() {
        let scale = RangeScale { min: 1.0, max: 3.0, length: 100.0 };
        assert_eq!((scale.project(1.0), scale.project(2.0), scale.project(3.0)), (0.0, 50.0, 100.0));
        assert_eq!((scale.project(0.0), scale.project(9.0)), (0.0, 100.0));
    }

    #[test]
    fn paths_step_or_go_straight_and_break_at_gaps() {
        let points = [(0.0, 10.0), (5.0, 20.0), (6.0, f64::NAN), (8.0, 5.0), (9.0, 6.0)];
        assert_eq!(line_path(&points, Interpolation::Linear), "M0.0,10.0L5.0,20.0M8.0,5.0L9.0,6.0");
        assert_eq!(line_path(&points, Interpolation::Step), "M0.0,10.0H5.0V20.0M8.0,5.0H9.0V6.0");
        assert_eq!(line_path(&[(1.0, f64::NAN)], Interpolation::Step), "");
    }

    #[test]
    fn nearest_row_to_a_pointer() {
        let xs = [0.0, 10.0, 20.0];
        assert_eq!(nearest_index(&xs, -5.0), Some(0));
        assert_eq!(nearest_index(&xs, 4.0), Some(0));
        assert_eq!(nearest_index(&xs, 6.0), Some(1));
        assert_eq!(nearest_index(&xs, 99.0), Some(2));
        assert_eq!(nearest_index(&[], 1.0), None);
    }

    #[test]
    fn labels_drop_float_noise() {
        assert_eq!(tick_label(0.1 + 0.2), "0.3");
        assert_eq!(tick_label(150.0), "150");
    }
}
