//! One colour per model entry, the same in every chart (bars, lines,
//! lanes) and readable on the light and the dark theme: the model's own
//! hue, and for an entry with its own k (`threads@100`) a lighter or
//! darker shade of it. An earlier run's series are drawn in a faded
//! version of the same colour.

use crate::engine::model_id::ModelId;

/// `(red, green, blue)` of an entry's colour: its model's
/// ([`ModelId::rgb`]), and for an entry with its own k (its key
/// `threads@100`) a shade of it.
pub fn rgb(id: ModelId, key: &str) -> (u8, u8, u8) {
    let base = id.rgb();
    match key.split_once('@').and_then(|(_, k)| k.parse::<u32>().ok()) {
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
        let mut colours: Vec<String> = ModelId::ALL.iter().map(|&id| hex(rgb(id, id.as_str()))).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), ModelId::ALL.len());
        assert_eq!(hex(rgb(ModelId::Rayon, "rayon")), "#3b6fd9");
        assert_ne!(
            rgb(ModelId::Threads, "threads@100"),
            rgb(ModelId::Threads, "threads@20"),
            "the same model at two k"
        );
        assert_eq!(faded((0x9c, 0x9c, 0x9c)), (0x9c, 0x9c, 0x9c));
    }
}
