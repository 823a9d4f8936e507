//! What people paste: `curl -v` lines (`> traceparent: …`), `-H 'name: value'` fragments,
//! lowercase gRPC metadata names, surrounding quotes and whitespace.

use std::borrow::Cow;

use crate::{Decoded, Details, Kind, Options, decode, names};

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
            && (Kind::from_name(n).is_some()
                || rest.is_empty()
                || rest.starts_with([' ', '\t'])
                || names::near_miss(n).is_some())
    });
    // `traceparent=00-…`, as grepped out of logs.
    let named = named.or_else(|| {
        s.split_once('=')
            .filter(|(n, _)| is_token(n) && Kind::from_name(n).is_some())
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
            None => match names::near_miss(n) {
                Some(miss) => misspelled(n, miss),
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
        },
        None => decode(as_kind, None, value, opts),
    };
    Some(Header {
        name,
        value: Cow::Borrowed(value),
        decoded,
    })
}

/// A header whose name misses a propagation header's: receivers ignore it, so on its own it
/// breaks the trace (an error; [`crate::request::check`] makes it a warning when the request also
/// carries the header it was meant to be).
fn misspelled(name: &str, miss: names::NearMiss) -> Decoded {
    let mut d = Decoded::new(Kind::Unknown);
    let meant = names::suggestion(name, miss.meant);
    let proxy = if miss.underscore {
        "; proxies drop names with underscores too (nginx by default: `underscores_in_headers off`)"
    } else {
        ""
    };
    d.error(
        "misspelled-header",
        None,
        format!(
            "`{name}` is not a header receivers read: did you mean `{meant}`? Receivers ignore \
             it and start a new trace{proxy}; send the context as `{meant}`"
        ),
    );
    d.details = Details::Misspelled { meant: miss.meant };
    d
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

    const TP: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn request(lines: &[String]) -> Vec<Header<'_>> {
        let mut headers: Vec<Header<'_>> = lines
            .iter()
            .filter_map(|l| decode_line(l.as_bytes(), None, &Options::default()))
            .collect();
        crate::request::check(&mut headers);
        headers
    }

    fn codes(f: &[crate::Finding]) -> Vec<&'static str> {
        f.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_misspelled_name_alone_is_an_error_naming_the_header() {
        for (name, meant, proxy) in [
            ("trace-parent", "traceparent", false),
            ("trace.parent", "traceparent", false),
            ("uber_trace_id", "uber-trace-id", true),
            ("Trace_Parent", "traceparent", true),
        ] {
            let lines = [format!("{name}: {TP}")];
            let headers = request(&lines);
            let d = &headers[0].decoded;
            assert_eq!(codes(&d.errors), ["misspelled-header"], "{name}");
            let message = &d.errors[0].message;
            assert!(
                message.contains(&format!("did you mean `{meant}`")),
                "{message}"
            );
            assert_eq!(
                message.contains("underscores_in_headers off"),
                proxy,
                "{message}"
            );
        }
        let no_space = [format!("trace-parent:{TP}")];
        assert_eq!(request(&no_space)[0].name, Some("trace-parent"));
    }

    #[test]
    fn a_misspelled_name_next_to_the_real_header_is_a_warning() {
        let lines = [format!("traceparent: {TP}"), format!("trace_parent: {TP}")];
        let headers = request(&lines);
        assert!(headers.iter().all(|h| h.decoded.is_valid()));
        assert_eq!(codes(&headers[1].decoded.warnings), ["misspelled-header"]);
        let other_key = ["uberctx-a: 1".to_string(), "uberctx_b: 2".to_string()];
        assert!(!request(&other_key)[1].decoded.is_valid());
        let same_key = ["uberctx-b: 1".to_string(), "uberctx_b: 2".to_string()];
        assert!(request(&same_key)[1].decoded.is_valid());
    }

    #[test]
    fn other_names_stay_a_warning() {
        let lines = ["Host: example.com".to_string()];
        let headers = request(&lines);
        assert_eq!(
            codes(&headers[0].decoded.warnings),
            ["not-propagation-header"]
        );
        assert!(headers[0].decoded.is_valid());
    }

    #[test]
    fn name_equals_value_as_grepped_from_logs_is_that_header() {
        assert_eq!(
            split(&format!("traceparent={TP}")),
            Some((Some("traceparent"), TP))
        );
        assert_eq!(split("b3=1"), Some((Some("b3"), "1")));
        assert_eq!(
            split("rojo=00f067aa0ba902b7"),
            Some((None, "rojo=00f067aa0ba902b7"))
        );
        let lines = [format!("traceparent={TP}")];
        let d = &request(&lines)[0].decoded;
        assert_eq!(
            (d.kind, d.assumed, d.is_valid()),
            (Kind::TraceParent, false, true)
        );
    }

    #[test]
    fn non_utf8_is_reported_with_its_offset() {
        let h = decode_line(b"tracep\xffarent: x", None, &Options::default());
        let d = h.map(|h| h.decoded);
        assert_eq!(d.as_ref().map(|d| d.errors[0].code), Some("not-utf8"));
        assert_eq!(d.map(|d| d.errors[0].column), Some(Some(6)));
    }
}
