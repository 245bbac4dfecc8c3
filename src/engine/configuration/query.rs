//! URL query strings, decoded and encoded by hand so the configuration
//! parser (and its property test) runs natively with the browser's rules:
//! `application/x-www-form-urlencoded` as the URL Standard defines it.

/// Splits `a=1&b=x%20y` into decoded pairs. Never fails: malformed percent
/// escapes are kept literally (as browsers do) and reported in the messages.
pub fn parse_query(query: &str) -> (Vec<(String, String)>, Vec<String>) {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut messages = Vec::new();
    let pairs = query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (decode(key, &mut messages), decode(value, &mut messages))
        })
        .collect();
    (pairs, messages)
}

fn decode(text: &str, messages: &mut Vec<String>) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex)) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => {
                    messages.push(format!("“{}” has a malformed %-escape; it was read literally.", shorten(text)));
                    out.push(b'%');
                }
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => decoded,
        Err(error) => {
            messages.push(format!("“{}” does not decode to UTF-8 text; bad bytes were replaced.", shorten(text)));
            String::from_utf8_lossy(error.as_bytes()).into_owned()
        }
    }
}

fn hex(byte: &u8) -> Option<u8> {
    (*byte as char).to_digit(16).map(|digit| digit as u8)
}

/// At most 40 characters of user text, for messages.
pub fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        short.push('…');
    }
    short
}

/// Percent-encodes a query component: everything but unreserved characters
/// and the comma, at sign and colon (kept readable in `models=seq,threads@100`
/// and `ref=seq:16.3`;
/// both are allowed in a query, RFC 3986 section 3.4).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b'@' | b':' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_plus_and_percent() {
        let (pairs, messages) = parse_query("?a=1&b=x+y%21&&c&d=%E2%9C%93");
        assert!(messages.is_empty());
        let expected = [("a", "1"), ("b", "x y!"), ("c", ""), ("d", "✓")];
        assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())).to_vec());
    }

    #[test]
    fn malformed_escapes_are_literal_and_reported() {
        let (pairs, messages) = parse_query("from=%zz1&to=%E2%9C");
        assert_eq!(pairs[0].1, "%zz1");
        assert_eq!(pairs[1].1, "\u{FFFD}");
        assert_eq!(messages.len(), 2);
    }

    #[test]
    fn encoding_round_trips() {
        for text in ["seq,rayon", "a b&c=d", "ünï", "%"] {
            let (pairs, _) = parse_query(&format!("k={}", encode_component(text)));
            assert_eq!(pairs[0].1, text);
        }
    }
}
