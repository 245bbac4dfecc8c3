//! One colour per model entry, the same in every chart (bars, lines,
//! lanes) and readable on the light and the dark theme: the model's own
//! hue, and for an entry with its own k (`threads@100`) a lighter or
//! darker shade of it. An earlier run's series are drawn in a faded
//! version of the same colour.

/// `(red, green, blue)` of an entry's colour, by its key (`rayon`,
/// `threads@100`).
pub fn rgb(key: &str) -> (u8, u8, u8) {
    let (id, k) = match key.split_once('@') {
        Some((id, k)) => (id, k.parse::<u32>().ok()),
        None => (key, None),
    };
    let base = match id {
        "main" => (0xd9, 0x48, 0x3b),
        "seq" => (0x7d, 0x85, 0x90),
        "async_noawait" => (0xc2, 0x41, 0x0c),
        "async" => (0xca, 0x8a, 0x04),
        "gil" => (0xdb, 0x27, 0x77),
        "rayon" => (0x3b, 0x6f, 0xd9),
        "workers" => (0x8b, 0x5c, 0xf6),
        "executor" => (0x65, 0x4c, 0xb3),
        "all" => (0x0e, 0x9f, 0x6e),
        "bounded" => (0xd9, 0x77, 0x06),
        "threads" => (0x08, 0x91, 0xb2),
        "procs" => (0x7c, 0x3a, 0xed),
        _ => (0x6b, 0x72, 0x80),
    };
    match k {
        // Two entries of one model at different k differ in shade, not in
        // hue: one of four shades, picked by a multiplicative hash of k.
        Some(k) => shade(base, [0.62, 0.8, 1.2, 1.38][(k.wrapping_mul(2_654_435_761) >> 30) as usize]),
        None => base,
    }
}

fn shade((red, green, blue): (u8, u8, u8), factor: f64) -> (u8, u8, u8) {
    let scale = |c: u8| (c as f64 * factor).round().clamp(0.0, 255.0) as u8;
    (scale(red), scale(green), scale(blue))
}

/// Halfway to a neutral grey: the earlier run's shade of a colour.
pub fn faded((red, green, blue): (u8, u8, u8)) -> (u8, u8, u8) {
    let toward = |c: u8| ((c as u16 + 0x9c) / 2) as u8;
    (toward(red), toward(green), toward(blue))
}

pub fn hex((red, green, blue): (u8, u8, u8)) -> String {
    format!("#{red:02x}{green:02x}{blue:02x}")
}

/// The colour of a failed request in the timeline.
pub const FAILED: (u8, u8, u8) = (0xdc, 0x26, 0x26);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_has_its_own_colour() {
        let ids = [
            "main",
            "seq",
            "async_noawait",
            "async",
            "gil",
            "rayon",
            "workers",
            "executor",
            "all",
            "bounded",
            "threads",
            "procs",
        ];
        let mut colours: Vec<String> = ids.iter().map(|id| hex(rgb(id))).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), ids.len());
        assert_eq!(hex(rgb("rayon")), "#3b6fd9");
        assert_ne!(rgb("threads@100"), rgb("threads@20"), "the same model at two k");
        assert_eq!(faded((0x9c, 0x9c, 0x9c)), (0x9c, 0x9c, 0x9c));
    }
}
