//! W3C Trace Context (`traceparent`, `traceresponse`, `tracestate`, the Level 3 `server-timing`
//! metric) and W3C Baggage: one file per header, and the character rules they share with the
//! other formats.

mod baggage;
mod traceparent;
mod tracestate;

pub(crate) use baggage::baggage;
pub use traceparent::is_plain_valid_traceparent;
pub(crate) use traceparent::{server_timing, traceparent};
pub(crate) use tracestate::tracestate;

/// An RFC 9110 token character (header names, baggage keys).
pub(crate) fn is_tchar(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// Percent-decodes `s`, or returns the offset of a `%` without two hex digits.
pub(crate) fn percent_decode(s: &str) -> Result<Vec<u8>, usize> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hi = b.get(i + 1).and_then(|&h| (h as char).to_digit(16));
            let lo = b.get(i + 2).and_then(|&l| (l as char).to_digit(16));
            match hi.zip(lo).and_then(|(h, l)| u8::try_from(h * 16 + l).ok()) {
                Some(byte) => out.push(byte),
                None => return Err(i),
            }
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}
