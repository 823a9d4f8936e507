//! Percent-decoding as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS use it (W3C
//! baggage style: `%XX` escapes, no `+` for space).

/// Decodes `%XX` escapes; the result must be UTF-8.
pub fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    format!(
                        "`%` at byte {i} does not start a %XX escape (write a literal % as %25)"
                    )
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the %XX escapes do not decode to UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_escapes_and_keeps_plus() {
        assert_eq!(decode("a%2Cb%3Dc+d").unwrap(), "a,b=c+d");
        assert_eq!(decode("%C3%A9").unwrap(), "é");
    }

    #[test]
    fn rejects_broken_escapes_without_panicking() {
        for bad in ["%", "%4", "%zz", "abc%", "%FF", "%+1"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }
}
