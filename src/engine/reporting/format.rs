//! How numbers read, on the page and in the verdict: milliseconds, bytes,
//! ratios. Pure.

pub fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0} ms")
    } else if value >= 10.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.2} ms")
    }
}

pub fn opt_ms(value: Option<f64>) -> String {
    value.map(ms).unwrap_or_else(|| "—".into())
}

/// Bytes in binary units: 1536 -> "1.5 KiB".
pub fn bytes(value: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut scaled = value as f64;
    let mut unit = 0;
    while scaled >= 1024.0 && unit < UNITS.len() - 1 {
        scaled /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value} B")
    } else {
        format!("{scaled:.1} {}", UNITS[unit])
    }
}

pub use crate::engine::configuration::numbers::thousands;

pub fn ratio(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}×")).unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(15_000), "15\u{2009}000");
        assert_eq!((thousands(999), thousands(1_234_567)), ("999".to_string(), "1\u{2009}234\u{2009}567".to_string()));
    }

    #[test]
    fn units_read_well() {
        assert_eq!(ms(1234.4), "1234 ms");
        assert_eq!(ms(12.345), "12.3 ms");
        assert_eq!(ms(0.5), "0.50 ms");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(3 << 30), "3.0 GiB");
        assert_eq!(ratio(Some(1.666)), "1.67×");
        assert_eq!(opt_ms(None), "—");
    }
}
