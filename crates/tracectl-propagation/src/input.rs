//! What people paste: `curl -v` lines (`> traceparent: …`), `-H 'name: value'` fragments,
//! lowercase gRPC metadata names, surrounding quotes and whitespace.

use std::borrow::Cow;

use crate::{Decoded, Kind, Options, decode};

/// A header as pasted: its name when one was given, and its cleaned value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub name: Option<&'a str>,
    pub value: &'a str,
}

/// One decoded input line.
#[derive(Debug, Clone, PartialEq)]
pub struct Header<'a> {
    pub name: Option<&'a str>,
    /// The value that was decoded; for a non-UTF-8 line, the whole line made readable.
    pub value: Cow<'a, str>,
    pub decoded: Decoded,
}

/// Splits a pasted line into name and value, or `None` for a line that carries no header:
/// blank, `curl -v` chatter (`* Connected`, `> GET / HTTP/1.1`, `< HTTP/2 200`).
pub fn split_line(line: &str) -> Option<Line<'_>> {
    let mut s = line.trim();
    if s.starts_with("* ") || s.starts_with("{ ") || s.starts_with("} ") {
        return None;
    }
    let curl = s.starts_with('>') || s.starts_with('<');
    if curl {
        s = s.get(1..).unwrap_or_default().trim_start();
    }
    for flag in ["--header", "-H"] {
        if let Some(rest) = s.strip_prefix(flag)
            && rest.starts_with([' ', '\t', '\'', '"'])
        {
            s = rest.trim_start();
            break;
        }
    }
    s = s.strip_suffix('\\').map_or(s, str::trim_end);
    s = unquote(s);
    let named = s.split_once(':').filter(|(n, rest)| {
        is_token(n)
            && (Kind::from_name(n).is_some() || rest.is_empty() || rest.starts_with([' ', '\t']))
    });
    match named {
        Some((name, rest)) => Some(Line {
            name: Some(name),
            value: unquote(rest.trim()),
        }),
        None if curl || s.is_empty() => None,
        None => Some(Line {
            name: None,
            value: s,
        }),
    }
}

/// Strips one pair of matching surrounding quotes.
fn unquote(s: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.trim();
        }
    }
    s
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(crate::w3c::is_tchar)
}

/// Decodes one raw input line; `as_kind` (from `--as`) applies to bare values only. `None` for a
/// line that carries no header (see [`split_line`]).
pub fn decode_line<'a>(
    line: &'a [u8],
    as_kind: Option<Kind>,
    opts: &Options,
) -> Option<Header<'a>> {
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            let mut decoded = Decoded::new(Kind::Unknown);
            decoded.error(
                "not-utf8",
                Some(e.valid_up_to()),
                format!(
                    "the line is not UTF-8 (bad byte at offset {}); headers are ASCII: check the \
                     file's encoding",
                    e.valid_up_to()
                ),
            );
            return Some(Header {
                name: None,
                value: String::from_utf8_lossy(line),
                decoded,
            });
        }
    };
    let Line { name, value } = split_line(text)?;
    let decoded = match name {
        Some(n) => match Kind::from_name(n) {
            Some(kind) => decode(Some(kind), Some(n), value, opts),
            None => {
                let mut d = Decoded::new(Kind::Unknown);
                d.warn(
                    "not-propagation-header",
                    None,
                    format!("`{n}` is not a propagation header; it was ignored"),
                );
                d
            }
        },
        None => decode(as_kind, None, value, opts),
    };
    Some(Header {
        name,
        value: Cow::Borrowed(value),
        decoded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Option<(Option<&str>, &str)> {
        split_line(s).map(|l| (l.name, l.value))
    }

    #[test]
    fn accepts_what_people_paste() {
        let tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        for line in [
            format!("traceparent: {tp}"),
            format!("  traceparent:{tp}  \r"),
            format!("> traceparent: {tp}"),
            format!("-H 'traceparent: {tp}'"),
            format!("-H \"traceparent: {tp}\" \\"),
            format!("--header 'traceparent: {tp}'"),
            format!("'traceparent: \"{tp}\"'"),
        ] {
            assert_eq!(split(&line), Some((Some("traceparent"), tp)), "{line}");
        }
        assert_eq!(
            split(&format!("< TraceResponse: {tp}")),
            Some((Some("TraceResponse"), tp))
        );
        assert_eq!(split(&format!("\"{tp}\"")), Some((None, tp)));
    }

    #[test]
    fn a_jaeger_value_is_not_mistaken_for_a_name() {
        assert_eq!(split("abc:def:0:1"), Some((None, "abc:def:0:1")));
        assert_eq!(
            split("uber-trace-id: abc:def:0:1"),
            Some((Some("uber-trace-id"), "abc:def:0:1"))
        );
        assert_eq!(
            split("uber-trace-id:abc:def:0:1"),
            Some((Some("uber-trace-id"), "abc:def:0:1"))
        );
    }

    #[test]
    fn curl_chatter_carries_no_header() {
        for line in [
            "",
            "   ",
            "* Connected to x",
            "> GET / HTTP/1.1",
            "< HTTP/2 200",
            ">",
        ] {
            assert_eq!(split(line), None, "{line}");
        }
    }

    #[test]
    fn non_utf8_is_reported_with_its_offset() {
        let h = decode_line(b"tracep\xffarent: x", None, &Options::default());
        let d = h.map(|h| h.decoded);
        assert_eq!(d.as_ref().map(|d| d.errors[0].code), Some("not-utf8"));
        assert_eq!(d.map(|d| d.errors[0].column), Some(Some(6)));
    }
}
