//! Chart geometry in plain Rust: "nice" axis ticks and linear scales. The
//! components only place what this computes, so it is tested natively.

/// A linear map from data values in [0, max] to pixels in [0, length].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    pub max: f64,
    pub length: f64,
}

impl LinearScale {
    pub fn project(&self, value: f64) -> f64 {
        if self.max <= 0.0 {
            return 0.0;
        }
        (value.clamp(0.0, self.max) / self.max) * self.length
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn labels_drop_float_noise() {
        assert_eq!(tick_label(0.1 + 0.2), "0.3");
        assert_eq!(tick_label(150.0), "150");
    }
}
