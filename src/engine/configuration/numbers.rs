//! How numbers are written for people: thousands separated by narrow
//! no-break spaces (a line never breaks inside a number).
//! Here, below the reporting, because the configuration's own messages and
//! hints write numbers too ("`to` was lowered to 16 000"); the reporting's
//! `format` uses the same function. Stops at writing one number.

/// A count with thousands separated by narrow no-break spaces: 15000 -> "15 000".
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}
