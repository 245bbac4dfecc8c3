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
        Self::fit_with(smallest, largest, length, 5)
    }

    /// [`TimeScale::fit`], with about `ticks` ticks on a linear axis.
    pub fn fit_with(smallest: f64, largest: f64, length: f64, ticks: usize) -> (Self, Vec<f64>) {
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
            let (ticks, nice_max) = nice_ticks(largest, ticks);
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

/// How wide the page lays its charts out. A chart's SVG scales to its
/// column, so it is drawn in about as many units as its column has pixels:
/// a 760-unit drawing in a phone's 340 px column would shrink its 12-unit
/// text to 5 px (or, held at a minimum width, scroll and hide its end).
/// www/style.css uses the same breakpoints for its columns and paddings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartWidth {
    /// A phone: pages up to [`NARROW_PAGE_PX`], one column of about 340 px.
    Narrow,
    /// One column of 500 to 1000 px (a tablet, an 800 px embed).
    Medium,
    /// Pages over [`WIDE_PAGE_PX`]: two columns of 500 px or more, and
    /// the timeline across both.
    Wide,
}

/// The breakpoints between [`ChartWidth`]s.
pub const NARROW_PAGE_PX: u32 = 600;
pub const WIDE_PAGE_PX: u32 = 1100;

/// A chart's drawn width in SVG units for each [`ChartWidth`]: each is the
/// narrowest column of its range times 12/11 at most, so 12-unit text
/// never falls below 11 px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartUnits {
    pub narrow: f64,
    pub medium: f64,
    pub wide: f64,
}

/// A chart in one column of the charts' grid (time, memory, sweep).
pub const COLUMN_CHART: ChartUnits = ChartUnits { narrow: 340.0, medium: 460.0, wide: 520.0 };
/// A chart across the grid's whole row (the timeline).
pub const ROW_CHART: ChartUnits = ChartUnits { narrow: 340.0, medium: 460.0, wide: 920.0 };

/// A drawing is shown at most this many times its units in pixels, so a
/// wide column does not blow its text up past about 16 px.
pub const MAX_SCALE: f64 = 1.3;

impl ChartWidth {
    pub fn of_page(width_px: f64) -> Self {
        if width_px <= NARROW_PAGE_PX as f64 {
            Self::Narrow
        } else if width_px <= WIDE_PAGE_PX as f64 {
            Self::Medium
        } else {
            Self::Wide
        }
    }

    /// The drawing's width in SVG units for a chart laid out as `units`.
    pub fn units(self, units: ChartUnits) -> f64 {
        match self {
            Self::Narrow => units.narrow,
            Self::Medium => units.medium,
            Self::Wide => units.wide,
        }
    }
}

/// The `style` of a chart's `<svg>` drawn `units` wide: as wide as its
/// column, up to [`MAX_SCALE`] times its units.
pub fn chart_svg_style(units: f64) -> String {
    format!("max-width: {:.0}px", units * MAX_SCALE)
}

/// About how many ticks fit along `length` units, each label about
/// `label_units` wide with room between.
pub fn tick_target(length: f64, label_units: f64) -> usize {
    ((length / (label_units + 28.0)).floor() as usize).clamp(2, 6)
}

/// Elapsed-time bars whose medians lie this many times above the median of
/// all medians (three or more bars) are drawn broken at the axis' end, so
/// the bars that hold the comparison keep the axis (executor's 1.6 s does
/// not squeeze 40-90 ms models into slivers).
pub const OUTLIER_RATIO: f64 = 5.0;

/// The axis of an elapsed-time chart of bars with these `(median, max)`
/// pairs over `length` units: its scale, its ticks, and which bars are
/// drawn broken (their medians are off the axis). Linear up to the
/// whiskers of the bars that are not outliers; with no outliers, as
/// [`TimeScale::fit`] (logarithmic only for two bars 50x apart).
pub fn bar_axis(bars: &[(f64, f64)], length: f64, ticks: usize) -> (TimeScale, Vec<f64>, Vec<bool>) {
    let mut medians: Vec<f64> = bars.iter().map(|b| b.0).filter(|m| m.is_finite() && *m > 0.0).collect();
    crate::sorting::sort_floats(&mut medians);
    let typical = match medians.len() {
        0 => 0.0,
        n if n % 2 == 1 => medians[n / 2],
        n => (medians[n / 2 - 1] + medians[n / 2]) / 2.0,
    };
    let broken: Vec<bool> =
        bars.iter().map(|&(median, _)| medians.len() >= 3 && median > OUTLIER_RATIO * typical).collect();
    if !broken.iter().any(|&b| b) {
        let smallest = medians.first().copied().unwrap_or(0.0);
        let largest = bars.iter().map(|b| b.1.max(b.0)).fold(0.0, f64::max);
        let (scale, tick_values) = TimeScale::fit_with(smallest, largest, length, ticks);
        return (scale, tick_values, broken);
    }
    let largest = bars.iter().zip(&broken).filter(|(_, &b)| !b).map(|(bar, _)| bar.1.max(bar.0)).fold(0.0, f64::max);
    let (tick_values, nice_max) = nice_ticks(largest, ticks);
    (TimeScale::Linear(LinearScale { max: nice_max, length }), tick_values, broken)
}

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
    fn outliers_are_broken_so_the_comparison_keeps_the_axis() {
        // The default CPU run: executor and async far above the rest.
        let bars = [81.0, 82.0, 81.0, 496.0, 93.0, 57.0, 79.0, 1707.0].map(|m| (m, m * 1.05));
        let (scale, ticks, broken) = bar_axis(&bars, 300.0, 5);
        assert_eq!(broken, [false, false, false, true, false, false, false, true]);
        assert!(!scale.is_log());
        assert_eq!(ticks.last().copied(), Some(100.0), "the axis ends above the whiskers of the rest: {ticks:?}");
        // Two bars are both the comparison: none is broken.
        let (scale, _, broken) = bar_axis(&[(16_000.0, 16_100.0), (250.0, 260.0)], 300.0, 5);
        assert_eq!(broken, [false, false]);
        assert!(scale.is_log(), "50x apart");
        let (_, ticks, broken) = bar_axis(&[(60.0, 70.0), (90.0, 95.0), (150.0, 160.0)], 300.0, 5);
        assert_eq!((broken, ticks.last().copied()), (vec![false; 3], Some(200.0)));
        assert_eq!(tick_target(300.0, 40.0), 4);
        assert_eq!(ChartWidth::of_page(390.0).units(ROW_CHART), 340.0);
        assert_eq!((ChartWidth::of_page(800.0), ChartWidth::of_page(1400.0)), (ChartWidth::Medium, ChartWidth::Wide));
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
