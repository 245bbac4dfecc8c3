//! One colour per model id, the same in every chart (bars, lines, lanes)
//! and readable on the light and the dark theme. An earlier run's series
//! are drawn in a faded version of the same colour.

/// `(red, green, blue)` of a model's colour.
pub fn rgb(model_id: &str) -> (u8, u8, u8) {
    match model_id {
        "main" => (0xd9, 0x48, 0x3b),
        "seq" => (0x7d, 0x85, 0x90),
        "rayon" => (0x3b, 0x6f, 0xd9),
        "workers" => (0x8b, 0x5c, 0xf6),
        "all" => (0x0e, 0x9f, 0x6e),
        "bounded" => (0xd9, 0x77, 0x06),
        "threads" => (0x08, 0x91, 0xb2),
        _ => (0x6b, 0x72, 0x80),
    }
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
        let ids = ["main", "seq", "rayon", "workers", "all", "bounded", "threads"];
        let mut colours: Vec<String> = ids.iter().map(|id| hex(rgb(id))).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), ids.len());
        assert_eq!(hex(rgb("rayon")), "#3b6fd9");
        assert_eq!(faded((0x9c, 0x9c, 0x9c)), (0x9c, 0x9c, 0x9c));
    }
}
