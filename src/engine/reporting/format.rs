//! How numbers read, on the page and in the verdict: milliseconds, bytes,
//! ratios. Pure.

/// Milliseconds, the unit held to its number (a no-break space).
pub fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}\u{a0}ms")
    } else if value >= 10.0 {
        format!("{value:.1}\u{a0}ms")
    } else {
        format!("{value:.2}\u{a0}ms")
    }
}

pub fn opt_ms(value: Option<f64>) -> String {
    value.map(ms).unwrap_or_else(|| "—".into())
}

/// Bytes in binary units: 1536 -> "1.5 KiB" (the unit held to its number).
pub fn bytes(value: u64) -> String {
    bytes_to(value, 1)
}

/// Bytes in binary units with two decimals: a part that a total of one
/// decimal is a multiple of ("2 threads × 2.06 MiB" beside "4.1 MiB").
pub fn bytes_precise(value: u64) -> String {
    bytes_to(value, 2)
}

fn bytes_to(value: u64, decimals: usize) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut scaled = value as f64;
    let mut unit = 0;
    while scaled >= 1024.0 && unit < UNITS.len() - 1 {
        scaled /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value}\u{a0}B")
    } else {
        format!("{scaled:.decimals$}\u{a0}{}", UNITS[unit])
    }
}

pub use crate::engine::configuration::numbers::thousands;

/// A count and its noun, in English: `count(1, "task", "tasks")` is
/// "1 task", `count(15000, ...)` "15 000 tasks".
pub fn count(value: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(value), if value == 1 { one } else { many })
}

/// How a speedup over a baseline reads: "1.6× faster", "21× slower", or,
/// within 10 % either way, "as fast".
pub fn pace(speedup: f64) -> String {
    if speedup >= 1.1 {
        format!("{} faster", times(speedup))
    } else if speedup > 0.0 && speedup <= 1.0 / 1.1 {
        format!("{} slower", times(1.0 / speedup))
    } else {
        "as fast".to_string()
    }
}

/// [`pace`] against a named baseline: "6.0× faster than sync", "as fast as sync".
pub fn pace_against(speedup: f64, baseline: &str) -> String {
    match pace(speedup) {
        same if same == "as fast" => format!("as fast as {baseline}"),
        pace => format!("{pace} than {baseline}"),
    }
}

/// A factor: two digits below 10 ("1.6×"), whole above ("21×").
pub fn times(factor: f64) -> String {
    if factor >= 9.95 {
        format!("{factor:.0}×")
    } else {
        format!("{factor:.1}×")
    }
}

pub fn ratio(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}×")).unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(15_000), "15\u{202f}000");
        assert_eq!((thousands(999), thousands(1_234_567)), ("999".to_string(), "1\u{202f}234\u{202f}567".to_string()));
    }

    #[test]
    fn units_read_well() {
        assert_eq!(ms(1234.4), "1234\u{a0}ms");
        assert_eq!(ms(12.345), "12.3\u{a0}ms");
        assert_eq!(ms(0.5), "0.50\u{a0}ms");
        assert_eq!(bytes(512), "512\u{a0}B");
        assert_eq!(bytes(1536), "1.5\u{a0}KiB");
        assert_eq!(bytes(3 << 30), "3.0\u{a0}GiB");
        assert_eq!(bytes_precise(2_160_000), "2.06\u{a0}MiB");
        assert_eq!(ratio(Some(1.666)), "1.67×");
        assert_eq!(opt_ms(None), "—");
        assert_eq!(
            (count(1, "task", "tasks"), count(1875, "task", "tasks")),
            ("1 task".into(), "1\u{202f}875 tasks".into())
        );
        assert_eq!(
            (pace(1.63), pace(0.047), pace(0.95), pace(12.4)),
            ("1.6× faster".into(), "21× slower".into(), "as fast".into(), "12× faster".into())
        );
    }
}
